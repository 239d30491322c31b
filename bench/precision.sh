#!/usr/bin/env bash
# bf16 autocast vs fp32: training steps/s of the same run in both precisions, alternated `reps`
# times so that both see the same machine load; prints the median rates and bf16 ÷ fp32.
#   MLP (hidden 256, depth 3) + DSM on the 2-D mixture, batch 1024;
#   U-Net (16-32 channels) + DSM on Fashion-MNIST (first 512 images), batch 32 (skipped if absent).
# Usage: bench/precision.sh [steps, default 100] [reps, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
sk=build/scorekit
steps=${1:-100}
reps=${2:-3}
out=$(mktemp -d)
cat > "$out/mlp.json" <<JSON
{"data": {"name": "mixture", "path": "tests/data/mixture2d.json"}, "sde": "vp", "objective": "dsm",
 "model": {"name": "mlp", "hidden": 256, "depth": 3}, "train": {"batch": 1024, "seed": 0}}
JSON
cat > "$out/unet.json" <<JSON
{"data": {"name": "fashion-mnist", "limit": 512}, "sde": "vp", "objective": "dsm",
 "model": {"name": "unet", "channels": 16, "channel_mult": [1, 2], "num_res_blocks": 1, "attention_resolutions": []},
 "train": {"batch": 32, "seed": 0}}
JSON
rate() {  # spec precision → steps/s
  $sk train --spec "$out/$1.json" --precision "$2" --steps "$steps" --out "$out/run" | tail -n 1 |
    /usr/bin/python3 -c "import json,sys; r=json.load(sys.stdin); print($steps / r['seconds'])"
}
for model in mlp unet; do
  if [ "$model" = unet ] && [ ! -d /usr/share/datasets/fashion-mnist ]; then continue; fi
  fp32=(); bf16=()
  for _ in $(seq "$reps"); do fp32+=("$(rate $model fp32)"); bf16+=("$(rate $model bf16)"); done
  /usr/bin/python3 - "$model" "${fp32[*]}" "${bf16[*]}" <<'PY'
import json, statistics, sys
f = statistics.median(map(float, sys.argv[2].split()))
b = statistics.median(map(float, sys.argv[3].split()))
print(json.dumps({"model": sys.argv[1], "fp32_steps_per_s": round(f, 2), "bf16_steps_per_s": round(b, 2),
                  "bf16_over_fp32": round(b / f, 3)}))
PY
done
rm -rf "$out"
