#!/bin/sh
# libscorekit.so must export exactly the functions scorekit.h declares (SK_API), all sk_*:
# LibTorch, the C++ core and the C++ runtime stay hidden.
set -eu
lib="$1"
header="$2"
exported=$(nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u)
declared=$(sed -n 's/^SK_API[^(]*[ *]\(sk_[a-z0-9_]*\)(.*/\1/p' "$header" | sort -u)
if [ "$exported" != "$declared" ]; then
  echo "exported symbols differ from the header's SK_API functions:" >&2
  printf '%s\n' "$exported" > exported.txt.$$
  printf '%s\n' "$declared" > declared.txt.$$
  diff declared.txt.$$ exported.txt.$$ | head -40 >&2 || true
  rm -f exported.txt.$$ declared.txt.$$
  exit 1
fi
echo "OK: $(printf '%s\n' "$exported" | wc -l) symbols exported, all sk_* and all declared in scorekit.h"
