#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz") and runs each for a bounded
# time from the seed corpus in tests/fuzz/corpus. Fails on any crash, leak or
# sanitizer report. Usage: tests/fuzz/run_fuzzers.sh [SECONDS_PER_TARGET]
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for target in url header label_studio_import event_payload retry_after payload_filter; do
  cp -r "tests/fuzz/corpus/$target" "$work/$target"
  log="$work/$target.log"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     "build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
       -timeout=10 -artifact_prefix="$work/$target-" "$work/$target" >"$log" 2>&1; then
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo 0)
    echo "fuzz_$target: $runs executions in ${seconds}s, no findings"
  else
    echo "fuzz_$target: FAILED"
    tail -n 40 "$log"
    ls "$work"/"$target"-* 2>/dev/null || true
    status=1
  fi
done
exit $status
