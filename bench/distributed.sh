#!/usr/bin/env bash
# Data-parallel scaling on this machine: steps/s of MLP + DSM with a fixed per-rank batch on
# 1 rank (all cores) and on 2 ranks (half the cores each), and the scaling efficiency
#   efficiency = (2-rank samples/s) / (2 × 1-rank samples/s)   (weak scaling, per-rank batch fixed).
# Usage: bench/distributed.sh [per-rank batch, default 1024] [steps, default 300]
set -euo pipefail
cd "$(dirname "$0")/.."
sk=build/scorekit
batch=${1:-1024}
steps=${2:-300}
out=$(mktemp -d)
run() {  # ranks
  local ranks=$1
  $sk train --data swissroll --sde vp --objective dsm --model mlp --steps "$steps" --seed 0 \
    --batch $((batch * ranks)) --micro-batch "$batch" --nproc "$ranks" --out "$out/r$ranks" | tail -n 1
}
one=$(run 1)
two=$(run 2)
/usr/bin/python3 - "$one" "$two" "$batch" "$steps" <<'PY'
import json, sys
one, two = json.loads(sys.argv[1]), json.loads(sys.argv[2])
batch, steps = int(sys.argv[3]), int(sys.argv[4])
s1, s2 = steps / one["seconds"], steps / two["seconds"]
print(json.dumps({"per_rank_batch": batch, "steps": steps,
                  "ranks_1": {"steps_per_s": s1, "samples_per_s": s1 * batch},
                  "ranks_2": {"steps_per_s": s2, "samples_per_s": s2 * 2 * batch},
                  "scaling_efficiency": (s2 * 2 * batch) / (2 * s1 * batch)}))
PY
rm -rf "$out"
