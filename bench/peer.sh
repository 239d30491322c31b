#!/usr/bin/env bash
# scorekit against a plain-PyTorch replica of the same models and loops (bench/peer/replica.py), both
# on the torch in .venv, interleaved, at the same thread count; prints the ratios and the issue's goals.
#   bash bench/peer.sh [--threads 1] [--rounds 3] [--quick] [--compile] [--ablate NAMES] [--only NAMES] [--out FILE.json]
# Builds scorekit first (scripts/build.sh). Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x build/scorekit ]] || bash scripts/build.sh > /dev/null
exec .venv/bin/python bench/peer/peer.py --scorekit build/scorekit "$@"
