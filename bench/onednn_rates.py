"""How fast oneDNN runs each convolution of a training step, from oneDNN's own timings
(ONEDNN_VERBOSE=1; the system's oneDNN 2 that scorekit drives, or LibTorch's with SCOREKIT_ONEDNN_CONV=0): per kind (forward, backward data, backward weights) and shape, milliseconds a
step and GFLOP/s, with the step's time and a 1024² SGEMM beside them. What is left of the step is
time outside oneDNN's convolutions (normalisation, adds, copies, ATen's wrappers, the optimiser).

    python3 bench/onednn_rates.py [--spec JSON | --workload unet_dsm_32] [--steps 3] [--threads 1] [--top 30]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peer"))
import peer  # noqa: E402


def conv_times(verbose_lines):
    """(kind, ic, oc, input side, kernel, stride) -> [calls, ms, flops] from oneDNN's exec lines."""
    table = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for line in verbose_lines:
        f = line.strip().split(",")
        # LibTorch's oneDNN 3 writes "onednn_verbose,v1,primitive,exec,cpu,convolution,...", the
        # system's oneDNN 2 that scorekit drives (models/cached_conv.hpp) "onednn_verbose,exec,cpu,...".
        e = f.index("exec") if "exec" in f[:4] else -1
        if e < 0 or len(f) < e + 5 or f[e + 2] != "convolution":
            continue
        dims = dict(re.findall(r"([a-z]+)(\d+)", f[-2]))
        flops = 2 * int(dims["mb"]) * int(dims["ic"]) * int(dims["oc"]) * int(dims["oh"]) * int(dims["ow"]) * \
            int(dims["kh"]) * int(dims["kw"])
        key = (f[e + 4], int(dims["ic"]), int(dims["oc"]), int(dims["ih"]), int(dims["kh"]), int(dims["sh"]))
        entry = table[key]
        entry[0] += 1
        entry[1] += float(f[-1])
        entry[2] += flops
    return table


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scorekit", default=os.path.join(HERE, "..", "build", "scorekit"))
    p.add_argument("--workload", default="unet_dsm_32", help="one of bench/peer's training workloads")
    p.add_argument("--spec", help="a training spec (JSON) instead of --workload")
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--top", type=int, default=30)
    a = p.parse_args()
    spec = json.loads(a.spec) if a.spec else peer.workloads(quick=False)[a.workload][0]
    env = dict(os.environ, OMP_WAIT_POLICY=os.environ.get("OMP_WAIT_POLICY", "PASSIVE"))
    # The warm-up's calls are logged too: count them in, then divide by every step that ran.
    run = subprocess.run([a.scorekit, "bench", "--threads", str(a.threads), "--spec", json.dumps(spec), "--warmup", "2",
                          "--steps", str(a.steps)], check=True, capture_output=True, text=True,
                         env=dict(env, ONEDNN_VERBOSE="1"))
    table = conv_times(run.stdout.splitlines() + run.stderr.splitlines())
    if not table:
        sys.exit("onednn_rates: oneDNN logged no convolution (ONEDNN_VERBOSE=1 printed no exec lines this script reads)")
    logged_steps = a.steps + 2
    step_ms = peer.cpp_side(a.scorekit, spec, None, max(a.steps, 10), a.threads, env)[0] * 1e3
    sgemm = peer.machine_sgemm(a.scorekit, a.threads, env)
    total = sum(e[1] for e in table.values()) / logged_steps
    flops = sum(e[2] for e in table.values()) / logged_steps
    print(f"step {step_ms:.1f} ms (timed without the log); oneDNN's convolutions {total:.1f} ms of it "
          f"({total / step_ms:.0%}) at {flops / total / 1e6:.0f} GFLOP/s; SGEMM 1024² {sgemm:.0f} GFLOP/s\n")
    print("| kind | in → out, side, kernel/stride | calls/step | ms/step | GFLOP/s | of SGEMM |\n|---|---|---|---|---|---|")
    rows = sorted(table.items(), key=lambda kv: -kv[1][1])[:a.top]
    for (kind, ic, oc, side, k, s), (calls, ms, fl) in rows:
        rate = fl / ms / 1e6
        print(f"| {kind} | {ic} → {oc}, {side}², {k}×{k}/{s} | {calls / logged_steps:.0f} | {ms / logged_steps:.2f} | "
              f"{rate:.0f} | {rate / sgemm:.0%} |")


if __name__ == "__main__":
    main()
