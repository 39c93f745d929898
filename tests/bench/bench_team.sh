#!/usr/bin/env bash
# B9, team mode scaling: 20,000 deliveries over 100 hooks (one local receiver)
# drained by 1, 2 and 4 `serve` processes sharing one PostgreSQL database,
# against the same drain by 1 serve on a SQLite file, in the same run. Each
# figure is whole processes: from the serves' start to the last delivery
# recorded as succeeded. Also counts requests the receiver got twice.
#   bench_team.sh --admin PATH/webhook-admin --receiver PATH/webhook-test-receiver
# Prints METRIC lines (run_benchmarks.sh's format) and a table on stderr.
set -euo pipefail

admin="" receiver=""
hooks=${B9_HOOKS:-100}
tasks=${B9_TASKS:-200} # deliveries per hook
while [[ $# -gt 0 ]]; do
    case $1 in
    --admin) admin=$2; shift 2 ;;
    --receiver) receiver=$2; shift 2 ;;
    *) echo "bench_team.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -x $admin && -x $receiver ]] || { echo "bench_team.sh: --admin and --receiver are needed" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
state="$work/pg/address"
cleanup() {
    pkill -P $$ 2>/dev/null || true
    bash "$root/tests/support/pg_cluster.sh" stop "$state" || true
    rm -rf "$work"
}
trap cleanup EXIT
bash "$root/tests/support/pg_cluster.sh" start "$state"
server=$(cat "$state")
export QT_QPA_PLATFORM=offscreen WEBHOOK_BATCH_SIZE=1 LC_ALL=C.UTF-8 LANGUAGE=en

"$receiver" --port 0 --log "$work/received.log" >"$work/receiver.out" 2>&1 &
for _ in $(seq 50); do grep -q listening "$work/receiver.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '[0-9]*' "$work/receiver.out" | head -n 1)

python3 - "$tasks" >"$work/tasks.json" <<'PY'
import json, sys
print(json.dumps({"tasks": [{"id": i + 1} for i in range(int(sys.argv[1]))]}))
PY
python3 - "$hooks" "$port" >"$work/hooks.json" <<'PY'
import json, sys
n, port = int(sys.argv[1]), sys.argv[2]
print(json.dumps([{"url": f"http://127.0.0.1:{port}/ok", "send_payload": True,
                   "send_for_all_actions": False, "actions": ["TASKS_CREATED"]} for _ in range(n)]))
PY

count() { # location, sql
    if [[ $1 == postgresql://* ]]; then psql -Atq "$1" -c "$2"; else sqlite3 "$1" "$2"; fi
}

drain() { # name, location, serves
    local name=$1 db=$2 serves=$3
    "$admin" --db "$db" hooks import "$work/hooks.json" >/dev/null
    "$admin" --db "$db" emit TASKS_CREATED --data "$work/tasks.json" --queue >/dev/null
    local total=$((hooks * tasks))
    : >"$work/received.log"
    local start pids=()
    start=$(date +%s.%N)
    for ((i = 0; i < serves; i++)); do
        "$admin" --db "$db" serve >/dev/null 2>"$work/serve-$name-$i.err" &
        pids+=($!)
    done
    while [[ $(count "$db" "SELECT count(*) FROM deliveries WHERE status = 'succeeded'") -lt $total ]]; do
        sleep 0.05
    done
    local end
    end=$(date +%s.%N)
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    local seconds requests unique
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    requests=$(wc -l <"$work/received.log")
    unique=$(cut -d' ' -f1 "$work/received.log" | sort -u | wc -l)
    printf 'METRIC B9_%s_per_s %.3f deliveries/s\n' "$name" "$(awk -v t="$total" -v s="$seconds" 'BEGIN { print t / s }')"
    printf 'METRIC B9_%s_twice %d requests\n' "$name" "$((requests - unique))"
    printf '%-14s %8d deliveries %7.2f s %9.0f/s  sent twice: %d  lost: %d\n' "$name" "$total" \
        "$seconds" "$(awk -v t="$total" -v s="$seconds" 'BEGIN { print t / s }')" "$((requests - unique))" "$((total - unique))" >&2
}

drain sqlite_1 "$work/team.sqlite" 1
for n in 1 2 4; do
    psql -Atq "$server" -c "CREATE DATABASE b9_$n"
    drain "postgresql_$n" "${server%/postgres}/b9_$n" "$n"
done
