"""Before and after of a change: the same training step timed with two scorekit binaries (say one
built from the commit before the change and one from after it), alternating A B, B A, … so both see
the same machine load; prints each one's median seconds a step and A's median ÷ B's (> 1: B is faster).

    python3 bench/ab.py BEFORE/scorekit AFTER/scorekit [--rounds 5] [--steps 20] [--threads 1]
                        [--workload unet_dsm_32 | --spec JSON]

The default workload is bench/peer's 16-channel U-Net DSM step at batch 32 (`--workload` names any
of peer's training workloads).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer"))
import peer  # noqa: E402


def seconds_per_step(scorekit, spec, steps, threads):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    cmd = [scorekit, "bench", "--threads", str(threads), "--spec", json.dumps(spec), "--steps", str(steps), "--warmup", "3"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout)["seconds_per_step"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", help="the 'before' scorekit binary")
    p.add_argument("b", help="the 'after' scorekit binary")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--steps", type=int, default=20, help="timed steps per run")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workload", default="unet_dsm_32", help="one of bench/peer's training workloads")
    p.add_argument("--spec", help="a training spec (JSON) instead of --workload")
    a = p.parse_args()
    if a.spec:
        spec = json.loads(a.spec)
    else:
        table = peer.workloads(quick=False)
        if a.workload not in table or table[a.workload][1] is not None:
            p.error(f"--workload: expected one of {', '.join(k for k, v in table.items() if v[1] is None)}")
        spec = table[a.workload][0]
    binaries, times = [a.a, a.b], [[], []]
    for r in range(a.rounds):
        for i in ((0, 1) if r % 2 == 0 else (1, 0)):
            times[i].append(seconds_per_step(binaries[i], spec, a.steps, a.threads))
    med = [statistics.median(t) for t in times]
    for i, label in enumerate(("A (before)", "B (after)")):
        print(f"{label}: {med[i] * 1e3:.2f} ms a step (median of {a.rounds}; "
              f"{', '.join(f'{t * 1e3:.1f}' for t in times[i])}) {binaries[i]}")
    print(f"A / B: {med[0] / med[1]:.3f}")


if __name__ == "__main__":
    main()
