#!/usr/bin/env bash
# Two builds of scorekit on two LibTorchs, measured in one run, interleaved (A B A B ...), same threads:
#   bench/compare_libtorch.sh BIN_A BIN_B [threads] [rounds]
# e.g. BIN_A = build/scorekit (the torch 2.11 wheel), BIN_B = a build with SCOREKIT_TORCH=system (Debian's 1.13).
# Runs `bench` (MLP training at batch 256/1024/4096, EM and PF-ODE sampling) and `bench --images --quick`
# (every objective on the demo U-Net) and prints, per figure, the median over rounds of each and B/A.
set -euo pipefail
a=$1 b=$2 threads=${3:-1} rounds=${4:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export OMP_WAIT_POLICY=PASSIVE   # no spinning OpenMP threads between the runs of the other binary
for r in $(seq 1 "$rounds"); do
  for side in a b; do
    bin=${!side}
    "$bin" bench --threads "$threads" 2> /dev/null | tail -1 > "$out/bench-$side-$r.json"
    "$bin" bench --images --quick --threads "$threads" 2> /dev/null | tail -1 > "$out/images-$side-$r.json"
  done
done
python3 - "$out" "$rounds" "$a" "$b" "$threads" <<'PY'
import json, statistics, sys, subprocess
out, rounds, a, b, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def load(kind, side):
    return [json.load(open(f"{out}/{kind}-{side}-{r}.json")) for r in range(1, rounds + 1)]
def figures(kind, runs):
    rows = {}
    for run in runs:
        if kind == "bench":
            for t in run["train"]:
                rows.setdefault(f"train MLP batch {t['batch']} (steps/s)", []).append(t["steps_per_s"])
            for s in run["sampling"]:
                rows.setdefault(f"sample {s['sampler']} 10k x {s['steps']} (samples/s)", []).append(s["samples_per_s"])
        else:
            for t in run["train"]:
                o = t["objective"]; name = o["name"] + (f" n={o['reference']}" if "reference" in o else "")
                if "images_per_s" in t:
                    rows.setdefault(f"U-Net {name} batch {t['batch']} (images/s)", []).append(t["images_per_s"])
    return {k: statistics.median(v) for k, v in rows.items()}
def version(binary):
    info = subprocess.run([binary, "info"], capture_output=True, text=True).stdout.strip().splitlines()
    if info:
        d = json.loads(info[-1]); return f"torch {d['torch']}, BLAS {d.get('blas')}"
    return "?"
print(f"A = {a} ({version(a)})\nB = {b} ({version(b)})\nthreads {threads}, {rounds} interleaved rounds, medians\n")
print("| figure | A | B | B / A |\n|---|---|---|---|")
for kind in ("bench", "images"):
    fa, fb = figures(kind, load(kind, "a")), figures(kind, load(kind, "b"))
    for k in fa:
        if k in fb:
            print(f"| {k} | {fa[k]:.1f} | {fb[k]:.1f} | {fb[k] / fa[k]:.2f} |")
PY
