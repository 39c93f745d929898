#!/usr/bin/env bash
# Builds the release preset and runs every benchmark (U1-U4, B1-B11, B4P, B6P,
# F1, H2) several times, then prints tables of medians against the targets.
#
#   tests/bench/run_benchmarks.sh [-n RUNS] [--no-build] [--only B1,B4,...]
#
# U1-U4 time what users run (emit, serve, the window) as whole processes
# against nginx (Debian's nginx-light). H2 is B1 over HTTP/2 with prior
# knowledge (nghttpd as the receiver). B4P and B6P are B4 and B6 on PostgreSQL:
# a throwaway cluster (tests/support/pg_cluster.sh, as the tests' fixture; it
# needs the postgresql package) gets the same 1,000,000 attempts through
# `webhook-admin migrate`, and is removed afterwards.
# RUNS defaults to 3. The work files (a 1,000,000-attempt database of about
# 700 MB, made once per invocation by generate_log_db) go to a temporary
# directory that is removed afterwards. Raw METRIC lines are kept in
# build/release/bench-results.txt.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
runs=3
build=1
only="U1,U2,U3,U4,B1,B2,B3,B4,B5,B6,B7,B8,B9,B10,B11,B4P,B6P,F1,H2"
while [[ $# -gt 0 ]]; do
    case "$1" in
        -n) runs="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --only) only="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "run_benchmarks.sh: unknown option $1" >&2; exit 1 ;;
    esac
done
want() { [[ ",$only," == *",$1,"* ]]; }

cd "$root"
if [[ $build == 1 ]]; then
    cmake --preset release >/dev/null
    cmake --build --preset release -j2 --target bench_receiver bench_delivery bench_gui \
        bench_startup bench_serve_memory bench_intake bench_filters bench_user bench_gui_writer \
        bench_chart generate_log_db webhook-admin \
        webhook-test-receiver
fi
# BENCH_BUILD_DIR (with --no-build) runs the benchmarks of another build tree.
dir="${BENCH_BUILD_DIR:-$root/build/release}"
bin="$dir/tests/bench"
admin="$dir/app/webhook-admin"

work=$(mktemp -d)
pg_state="$work/pg/address"
cleanup() {
    bash "$root/tests/support/pg_cluster.sh" stop "$pg_state" || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/config" "$work/data" "$work/runtime"
chmod 700 "$work/runtime"
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    XDG_RUNTIME_DIR="$work/runtime" LC_ALL=C.UTF-8 LANG=C.UTF-8 LANGUAGE=en
results="$dir/bench-results.txt"
: > "$results"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if want B4 || want B6 || want B11 || want B4P || want B6P; then
    echo "generating 1,000,000 attempts and 10,000 hooks..." >&2
    "$bin/generate_log_db" --db "$work/log1m.sqlite" --hooks 10000 --attempts 1000000 >&2
fi
if want B4P || want B6P; then
    echo "copying them to a throwaway PostgreSQL (webhook-admin migrate)..." >&2
    bash "$root/tests/support/pg_cluster.sh" start "$pg_state"
    pg_server=$(cat "$pg_state")
    pg_log1m="${pg_server%/postgres}/log1m"
    psql -Atq "$pg_server" -c "CREATE DATABASE log1m"
    started=$(date +%s.%N)
    "$admin" migrate --from "$work/log1m.sqlite" --to "$pg_log1m" >&2
    seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    echo "  copied in $seconds s" >&2
    echo "RUN 1 METRIC b4p_migrate_s $seconds s" >> "$results"
fi

# rename=SED-EXPRESSION run ...: renames the metrics (B4P's are B4's on PostgreSQL).
run() { # name, command...
    local name="$1"; shift
    echo "run $r/$runs: $name" >&2
    if ! "$@" 2> "$work/stderr" | grep '^METRIC' | sed -e "${rename:-}" -e "s/^/RUN $r /" >> "$results"; then
        echo "  $name failed:" >&2
    fi
    grep -v -e propagateSizeHints -e XDG_RUNTIME_DIR "$work/stderr" >&2 || true
}

users=""
for u in U1 U2 U3 U4; do want $u && users="${users:+$users,}$u"; done
for ((r = 1; r <= runs; r++)); do
    [[ -n $users ]] && run "$users" "$bin/bench_user" --admin "$admin" --only "$users"
    want B1 && run B1 "$bin/bench_delivery" sustained
    want B2 && run B2 "$bin/bench_delivery" fanout
    want B3 && run B3 "$bin/bench_delivery" slow
    want H2 && run H2 "$bin/bench_delivery" http2
    want B4 && run B4 "$bin/bench_gui" log --db "$work/log1m.sqlite"
    want B5 && run B5 "$bin/bench_gui" live --extra-hooks 10000
    want B6 && run B6 "$bin/bench_startup" --db "$work/log1m.sqlite"
    want B11 && run B11 "$bin/bench_chart" --db "$work/log1m.sqlite"
    want B4P && rename='s/^METRIC b4_/METRIC b4p_/' run B4P "$bin/bench_gui" log --db "$pg_log1m"
    want B6P && rename='s/^METRIC b6_/METRIC b6p_/' run B6P "$bin/bench_startup" --db "$pg_log1m"
    want B7 && run B7 "$bin/bench_serve_memory" --admin "$admin"
    want B8 && run B8 "$bin/bench_intake" --admin "$admin"
    want F1 && run F1 "$bin/bench_filters" --hooks 100 --events 10000
    want B10 && run B10 "$bin/bench_gui_writer" --hold-ms 3000
    want B10 && run B10 "$bin/bench_gui_writer" --hold-ms 3000 --inline
    want B9 && run B9 bash "$root/tests/bench/bench_team.sh" --admin "$admin" \
        --receiver "$dir/tests/webhook-test-receiver"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 "$root/tests/bench/summarize.py" "$results" "$runs"
