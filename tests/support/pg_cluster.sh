#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder
# as an unprivileged user, listening on a random free port of 127.0.0.1 only.
#   pg_cluster.sh start STATEFILE   prints nothing; writes the server's URL to
#                                   STATEFILE and the cluster's folder next to it
#   pg_cluster.sh stop STATEFILE    stops the server and removes the folder
#   pg_cluster.sh halt STATEFILE    stops the server (fast), keeps the folder
#   pg_cluster.sh resume STATEFILE  starts a halted server again, same port
set -euo pipefail

action=${1:?start, stop, halt or resume}
state=${2:?state file}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $bindir || ! -x $bindir/initdb ]]; then
    echo "pg_cluster.sh: PostgreSQL's server is not installed (Debian: postgresql)" >&2
    exit 1
fi

# Run as the owner of the cluster: root may not run postgres.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}
owner=$(id -un)
[[ $(id -u) -eq 0 ]] && owner=nobody

stop() {
    [[ -f $state.dir ]] || return 0
    local dir
    dir=$(cat "$state.dir")
    if [[ -d $dir/data ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    rm -f "$state" "$state.dir"
}

cluster_dir() {
    [[ -f $state.dir ]] || {
        echo "pg_cluster.sh: no cluster at $state" >&2
        exit 1
    }
    cat "$state.dir"
}

case $action in
stop)
    stop
    ;;
halt)
    dir=$(cluster_dir)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
resume)
    dir=$(cluster_dir)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -o "-p $(cat "$dir/port")" -l "$dir/server.log" \
        -w -t 30 start >/dev/null
    ;;
start)
    stop
    mkdir -p "$(dirname "$state")"
    dir=$(mktemp -d /tmp/webhook-admin-pg.XXXXXX)
    echo "$dir" >"$state.dir"
    chmod 0755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown "$owner" "$dir"
    password=test-$RANDOM$RANDOM
    echo "$password" >"$dir/pwfile"
    [[ $(id -u) -eq 0 ]] && chown "$owner" "$dir/pwfile"
    as_owner "$bindir/initdb" -D "$dir/data" -U webhook_admin --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    # A test cluster: speed over durability, and room for many connections.
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 64MB
CONF
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 30000))
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -o "-p $port" -l "$dir/server.log" -w -t 30 start >/dev/null 2>&1; then
            echo "postgresql://webhook_admin:$password@127.0.0.1:$port/postgres" >"$state"
            echo "$port" >"$dir/port"
            echo "$bindir" >"$dir/bindir"
            echo "$owner" >"$dir/owner"
            exit 0
        fi
    done
    echo "pg_cluster.sh: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
    ;;
*)
    echo "pg_cluster.sh: start, stop, halt or resume" >&2
    exit 2
    ;;
esac
