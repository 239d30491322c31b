"""Before and after of a change: the same workload timed with two scorekit binaries (say one built
from the commit before the change and one from after it), alternating A B, B A, … so both see the
same machine load; prints each one's median time and A's median ÷ B's (> 1: B is faster).

    python3 bench/ab.py BEFORE/scorekit AFTER/scorekit [--rounds 5] [--steps N] [--threads 1]
                        [--workload unet_dsm_32 | --spec JSON]

`--workload` names one of bench/peer's scorekit workloads (default: the 16-channel U-Net DSM step at
batch 32; sample_em_mlp times drawing samples); `--spec` times the training step of any spec.
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer"))
import peer  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", help="the 'before' scorekit binary")
    p.add_argument("b", help="the 'after' scorekit binary")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--steps", type=int, help="timed training steps per run, or samples drawn (default: peer's)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workload", default="unet_dsm_32", help="one of bench/peer's scorekit workloads")
    p.add_argument("--spec", help="a training spec (JSON) instead of --workload")
    a = p.parse_args()
    if a.spec:
        spec, sampler, steps = json.loads(a.spec), None, 20
    else:
        table = peer.workloads(quick=False)
        if a.workload not in table:
            p.error(f"--workload: expected one of {', '.join(table)}")
        spec, sampler, steps, _ = table[a.workload]
    steps = a.steps or steps
    env = dict(os.environ, OMP_WAIT_POLICY=os.environ.get("OMP_WAIT_POLICY", "PASSIVE"))
    binaries, times = [a.a, a.b], [[], []]
    for r in range(a.rounds):
        for i in ((0, 1) if r % 2 == 0 else (1, 0)):  # timed as peer times scorekit's side
            times[i].append(peer.cpp_side(binaries[i], spec, sampler, steps, a.threads, env)[0])
    med = [statistics.median(t) for t in times]
    for i, label in enumerate(("A (before)", "B (after)")):
        print(f"{label}: {med[i] * 1e3:.2f} ms {'to sample' if sampler else 'a step'} (median of {a.rounds}; "
              f"{', '.join(f'{t * 1e3:.1f}' for t in times[i])}) {binaries[i]}")
    print(f"A / B: {med[0] / med[1]:.3f}")


if __name__ == "__main__":
    main()
