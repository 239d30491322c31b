"""How fast LibTorch's CPU convolutions (oneDNN) run at the benchmark U-Net's shapes, forward +
backward, in the contiguous (NCHW) and channels-last layouts, against a 1024² SGEMM in the same run:
the ceiling the U-Net step's share of SGEMM sits under (docs/benchmarks.md).

    .venv/bin/python bench/conv_rates.py [--threads 1] [--rounds 3] [--reps 20]
"""
import argparse
import statistics
import time

import torch

# (in channels, out channels, side, kernel, stride): the 3x3 convolutions of the 16-channel U-Net
# (channel_mult 1, 2, 2 on 28x28 images, batch 32) and its 1x1 skip.
SHAPES = [(16, 16, 28, 3, 1), (16, 16, 28, 3, 2), (16, 32, 14, 3, 1), (32, 32, 14, 3, 1), (32, 32, 7, 3, 1),
          (64, 32, 7, 3, 1), (64, 32, 14, 3, 1), (48, 16, 28, 3, 1), (32, 16, 28, 3, 1), (32, 16, 28, 1, 1)]
BATCH = 32


def seconds(fn, reps):
    fn()
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def conv_rate(cin, cout, side, kernel, stride, channels_last, reps):
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    x = torch.randn(BATCH, cin, side, side).contiguous(memory_format=fmt).requires_grad_()
    w = torch.randn(cout, cin, kernel, kernel, requires_grad=True)
    b = torch.randn(cout, requires_grad=True)
    y = torch.nn.functional.conv2d(x, w, b, stride=stride, padding=kernel // 2)
    g = torch.randn_like(y)

    def step():
        torch.nn.functional.conv2d(x, w, b, stride=stride, padding=kernel // 2).backward(g)

    flops = 3 * 2 * y.numel() * cin * kernel * kernel  # forward, input gradient, weight gradient
    return flops / seconds(step, reps) / 1e9


def sgemm(size=1024, reps=20):
    a, b = torch.randn(size, size), torch.randn(size, size)
    return 2.0 * size**3 / seconds(lambda: torch.mm(a, b), reps) / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are printed")
    p.add_argument("--reps", type=int, default=20, help="timed calls per figure")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rates = {(s, cl): [] for s in SHAPES for cl in (False, True)}
    gemm = []
    for _ in range(a.rounds):
        gemm.append(sgemm(reps=a.reps))
        for s in SHAPES:
            for cl in (False, True):
                rates[(s, cl)].append(conv_rate(*s, channels_last=cl, reps=a.reps))
    top = statistics.median(gemm)
    print(f"SGEMM 1024²: {top:.1f} GFLOP/s (median of {a.rounds}); convolutions at batch {BATCH}, forward + backward\n")
    print("| in → out, side, kernel/stride | NCHW GFLOP/s | of SGEMM | channels-last GFLOP/s | of SGEMM |")
    print("|---|---|---|---|---|")
    for s in SHAPES:
        nchw, cl = statistics.median(rates[(s, False)]), statistics.median(rates[(s, True)])
        print(f"| {s[0]} → {s[1]}, {s[2]}², {s[3]}×{s[3]}/{s[4]} | {nchw:.0f} | {nchw / top:.0%} | {cl:.0f} | {cl / top:.0%} |")


if __name__ == "__main__":
    main()
