"""Training throughput of the scorekit command line idle and beside one CPU-bound competitor.

For each workload and thread setting: seconds per step alone, then with one busy-looping process
started beside it, alternating (idle, busy, idle, busy, ...); the figure is the busy rate over the
idle rate (the goal: >= 0.5). OMP_WAIT_POLICY and SCOREKIT_THREADS are removed from the environment,
so "default" is what a user gets. Run on an otherwise idle machine:
    .venv/bin/python bench/contention.py [--scorekit build/scorekit] [--rounds 2]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UNET = {"name": "unet", "channels": 16, "channel_mult": [1, 2, 2], "num_res_blocks": 1, "attention_resolutions": [7]}
WORKLOADS = {
    "mlp_dsm_256": ({"data": "swissroll", "model": "mlp", "train": {"batch": 256}}, 300),
    "unet_dsm_32": ({"data": {"name": "fashion-mnist", "limit": 8192}, "model": UNET, "train": {"batch": 32}}, 20),
}
SETTINGS = {  # name -> (extra command-line arguments, extra environment)
    "default": ([], {}),
    "--threads 1": (["--threads", "1"], {}),
    "--threads 2": (["--threads", "2"], {}),
    "--threads 2, OMP_WAIT_POLICY=PASSIVE": (["--threads", "2"], {"OMP_WAIT_POLICY": "PASSIVE"}),
}


def seconds_per_step(scorekit, spec, steps, args, env):
    out = subprocess.run([scorekit, "bench", "--spec", json.dumps(spec), "--steps", str(steps)] + args,
                         capture_output=True, text=True, env=env, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["seconds_per_step"], r["threads"]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--scorekit", default=os.path.join(HERE, "..", "build", "scorekit"))
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--only", default="", help="comma-separated workload names")
    a = p.parse_args()
    base_env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "SCOREKIT_THREADS")}
    rows = []
    for name, (spec, steps) in WORKLOADS.items():
        if a.only and name not in a.only.split(","):
            continue
        for setting, (args, extra) in SETTINGS.items():
            env = dict(base_env, **extra)
            idle, busy = [], []
            for _ in range(a.rounds):
                secs, threads = seconds_per_step(a.scorekit, spec, steps, args, env)
                idle.append(secs)
                hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
                try:
                    busy.append(seconds_per_step(a.scorekit, spec, steps, args, env)[0])
                finally:
                    hog.kill()
                    hog.wait()
            row = {"workload": name, "setting": setting, "threads": threads, "idle_steps_per_s": 1 / statistics.median(idle),
                   "busy_steps_per_s": 1 / statistics.median(busy)}
            row["kept"] = row["busy_steps_per_s"] / row["idle_steps_per_s"]
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print("| workload | setting | threads | idle steps/s | beside a busy process | kept |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['workload']} | {r['setting']} | {r['threads']} | {r['idle_steps_per_s']:.1f} | "
              f"{r['busy_steps_per_s']:.1f} | {r['kept']:.2f} |")


if __name__ == "__main__":
    main()
