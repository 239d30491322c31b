#!/bin/sh
# Runs CMocka suites under valgrind memcheck, in parallel (one valgrind per suite). Any invalid
# read/write, use of uninitialised memory or *definite* leak fails the test. LibTorch allocates
# per-process singletons (operator registry, allocators, thread pools) that it never frees; they
# are "still reachable" and not reported (--errors-for-leak-kinds=definite). tests/c/valgrind.supp
# suppresses only reports from inside LibTorch's own start-up, each with a note.
#   run_memcheck.sh SUPPRESSIONS SUITE...
set -u
supp="$1"
shift
if ! command -v valgrind > /dev/null; then
  echo "SKIP: valgrind not installed"
  exit 77
fi
log_dir=$(mktemp -d)
i=0
for suite in "$@"; do
  i=$((i + 1))
  valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --num-callers=30 --suppressions="$supp" "$suite" > "$log_dir/$i.log" 2>&1 &
  pids="${pids:-} $!"
done
status=0
i=0
for pid in $pids; do
  i=$((i + 1))
  code=0
  wait "$pid" || code=$?
  echo "== valgrind suite $i (exit $code)"
  grep -E "^\[  (PASSED|FAILED)|ERROR SUMMARY|definitely lost|still reachable" "$log_dir/$i.log"
  # exit 99: valgrind errors; any other non-zero: a failing CMocka test.
  if [ $code -ne 0 ] || ! grep -q "ERROR SUMMARY: 0 errors" "$log_dir/$i.log"; then
    cat "$log_dir/$i.log"
    status=1
  fi
done
rm -rf "$log_dir"
[ $status -eq 0 ] && echo "OK: valgrind reported no errors and no definite leaks"
exit $status
