#!/usr/bin/env bash
# The README's demo: trains a score model on a 2-D swiss roll (about a minute on 2 cores),
# samples it, and writes the picture out/demo/samples.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
out=out/demo
mkdir -p "$out"
sk=build/scorekit
$sk train --data swissroll --sde vp --objective dsm --model mlp --steps 6000 --batch 512 --lr 2e-3 --seed 0 --out "$out"
$sk sample --checkpoint "$out/checkpoint.skc" --n 10000 --sampler em --steps 300 --seed 1 \
  --out "$out/samples.npy" --png "$out/samples.png"
$sk evaluate --checkpoint "$out/checkpoint.skc" --n 5000 --seed 2
echo "demo: picture in $out/samples.png, training metrics in $out/metrics.jsonl"
