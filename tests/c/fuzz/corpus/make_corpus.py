#!/usr/bin/python3
"""Writes the seed corpora of the NPY and IDX fuzzers (tests/c/fuzz/corpus/{npy,idx}): small valid
files of every accepted kind plus a few near-misses. The files are committed; this script only
documents how they were made (run it from this directory to regenerate them)."""
import gzip
import os
import struct

import numpy as np


def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def npy(arr, version=(1, 0), fortran=False, descr=None):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr or arr.dtype.str, fortran, repr(arr.shape))
    prefix = 10 if version[0] == 1 else 12
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    size = struct.pack("<H", len(header)) if version[0] == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes(version) + size + header.encode("latin1") + arr.tobytes()


rng = np.random.default_rng(0)
put("npy/f4_2x3.npy", npy(rng.standard_normal((2, 3)).astype("<f4")))
put("npy/f8_4.npy", npy(rng.standard_normal(4).astype("<f8")))
put("npy/f4_2x1x2x2_v2.npy", npy(rng.standard_normal((2, 1, 2, 2)).astype("<f4"), version=(2, 0)))
put("npy/f4_scalar_v3.npy", npy(np.array(1.5, dtype="<f4"), version=(3, 0)))
put("npy/f4_0x2.npy", npy(np.zeros((0, 2), dtype="<f4")))
put("npy/i4_rejected.npy", npy(np.arange(6, dtype="<i4").reshape(2, 3)))
put("npy/fortran_rejected.npy", npy(rng.standard_normal((2, 2)).astype("<f4"), fortran=True))
put("npy/truncated.npy", npy(rng.standard_normal((3, 3)).astype("<f4"))[:-5])


def idx(type_code, dims, payload):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


u8 = bytes(range(24))
put("idx/u8_2x3x4.idx", idx(0x08, [2, 3, 4], u8))
put("idx/u8_2x3x4.idx.gz", gzip.compress(idx(0x08, [2, 3, 4], u8), mtime=0))
put("idx/i8_5.idx", idx(0x09, [5], bytes([0, 1, 127, 128, 255])))
put("idx/i16_2x2.idx", idx(0x0B, [2, 2], struct.pack(">4h", 1, -2, 300, -32768)))
put("idx/i32_3.idx", idx(0x0C, [3], struct.pack(">3i", 7, -7, 2**31 - 1)))
put("idx/f32_2x2.idx", idx(0x0D, [2, 2], struct.pack(">4f", 0.5, -1.25, 3.0, 1e-3)))
put("idx/f64_2.idx.gz", gzip.compress(idx(0x0E, [2], struct.pack(">2d", 3.25, -0.125)), mtime=0))
put("idx/labels_4.idx", idx(0x08, [4], bytes([0, 9, 3, 7])))
put("idx/truncated.idx", idx(0x08, [2, 3, 4], u8)[:-3])
put("idx/truncated.idx.gz", gzip.compress(idx(0x08, [2, 3, 4], u8), mtime=0)[:-6])
