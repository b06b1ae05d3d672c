#!/usr/bin/env bash
# bench_cluster.sh — a room of N at max rate with its members spread over 1, 2 and 3 nodes.
#
#   NATTER_TEST_POSTGRES=postgres://… tests/bench/bench_cluster.sh [NATTER_BINARY] [OUTDIR]
#
# Every scenario starts fresh: a database of its own in NATTER_TEST_POSTGRES's cluster, a
# redis-server, the nodes (`natter --headless --database … --redis …`) and HAProxy in front of
# them (roundrobin, so the room's members land on every node in turn). The load is the shared
# kit's driver (../shared/bench/driver.go, `chats` door): N members, SENDERS of them keeping W
# messages in flight for T seconds; a message counts when its ack and all N−1 deliveries have
# arrived, through whichever nodes they took. Scenarios: `1 node, no redis` (the baseline: the
# same proxy, no bus), `1 node + redis`, `2 nodes`, `3 nodes`. CPU is every node's plus
# redis-server's (user+sys from /proc), per delivery. The Redis hop's cost is `1 node + redis`
# minus the baseline. Knobs: N=100 T=10 W=64 SENDERS=10 SIZE=200 THREADS=1 REPEAT=1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
NATTER=${1:-$REPO/build/ci/app/natter}
OUT=${2:-$(mktemp -d /tmp/natter-cluster-bench.XXXXXX)}
KIT=${KIT:-$REPO/../shared/bench}
N=${N:-100}; T=${T:-10}; W=${W:-64}; SENDERS=${SENDERS:-10}; SIZE=${SIZE:-200}; THREADS=${THREADS:-1}
REPEAT=${REPEAT:-1}
: "${NATTER_TEST_POSTGRES:?needs NATTER_TEST_POSTGRES=postgres://user:pass@host:port/db}"
mkdir -p "$OUT"
TICK=$(getconf CLK_TCK)
ulimit -n 65536 2>/dev/null || true

DRIVER=${DRIVER:-${TMPDIR:-/tmp}/natter-bench/driver}
if [ ! -x "$DRIVER" ] || [ "$KIT/driver.go" -nt "$DRIVER" ]; then
    mkdir -p "$(dirname "$DRIVER")"
    (cd "$KIT" && GOCACHE=${GOCACHE:-/tmp/chatbench-gocache} go build -o "$DRIVER" driver.go)
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo 0; }
PIDS=()
cleanup() {
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
trap cleanup EXIT

# psql ADMIN_URL SQL
admin() { psql -q -v ON_ERROR_STOP=1 "$NATTER_TEST_POSTGRES" -c "$1" >/dev/null; }

# scenario LABEL NODES REDIS(0|1)
scenario() {
    local label=$1 nodes=$2 with_redis=$3 run=$4
    local db="natter_bench_$$_${run}" redis_port redis_pid="" proxy_port ports=() node_pids=()
    admin "CREATE DATABASE $db"
    local url="${NATTER_TEST_POSTGRES%/*}/$db"
    local cluster_args=()
    if [ "$with_redis" = 1 ]; then
        redis_port=$(free_port)
        redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/$label.redis.log" 2>&1 &
        redis_pid=$!; PIDS+=("$redis_pid")
        for _ in $(seq 100); do grep -q "Ready to accept" "$OUT/$label.redis.log" && break; sleep 0.1; done
        cluster_args=(--redis "redis://127.0.0.1:$redis_port")
    fi
    for i in $(seq 1 "$nodes"); do
        local data="$OUT/$label.node$i"; rm -rf "$data"; mkdir -p "$data"
        "$NATTER" --headless --listen 127.0.0.1:0 --data-dir "$data" --no-announce --database "$url" \
            "${cluster_args[@]}" --node-name "node$i" --threads "$THREADS" --message-rate 0 \
            --max-connections-per-address 0 --max-connections-per-user 0 >"$data.out" 2>"$data.err" &
        node_pids+=($!); PIDS+=($!)
        for _ in $(seq 300); do grep -q listening "$data.out" 2>/dev/null && break; sleep 0.1; done
        ports+=("$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$data.out" | head -1)")
    done
    proxy_port=$(free_port)
    {
        printf 'global\n    maxconn 4000\ndefaults\n    mode http\n    timeout connect 2s\n'
        printf '    timeout client 1h\n    timeout server 1h\n    timeout tunnel 1h\n'
        printf 'frontend natter\n    bind 127.0.0.1:%s\n    default_backend nodes\n' "$proxy_port"
        printf 'backend nodes\n    balance roundrobin\n'
        for i in "${!ports[@]}"; do printf '    server node%s 127.0.0.1:%s\n' "$i" "${ports[$i]}"; done
    } >"$OUT/$label.haproxy.cfg"
    haproxy -db -f "$OUT/$label.haproxy.cfg" >"$OUT/$label.haproxy.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$proxy_port/api/natter" >/dev/null && break; sleep 0.1; done

    PORT=$proxy_port timeout 300 python3 "$KIT/prep_natter.py" "$N" "r$N" >"$OUT/$label.prep"
    head -1 "$OUT/$label.prep" >"$OUT/$label.chat"
    tail -n +2 "$OUT/$label.prep" | grep . >"$OUT/$label.tok"
    sleep 2 # let the group's membership news settle on every node

    local c0=0 c1=0 pid
    for pid in "${node_pids[@]}" $redis_pid; do c0=$((c0 + $(cpu_ticks "$pid"))); done
    local res
    res=$(timeout $((T + 100)) "$DRIVER" -url "ws://127.0.0.1:$proxy_port/chats/ws" -tokens "$OUT/$label.tok" \
        -chat "$(cat "$OUT/$label.chat")" -n "$N" -t "$T" -size "$SIZE" -s "$SENDERS" -rate max -window "$W" 2>&1 | tail -1)
    for pid in "${node_pids[@]}" $redis_pid; do c1=$((c1 + $(cpu_ticks "$pid"))); done
    cleanup
    admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    echo "$res" | jq -c --arg name "$label" --argjson cpu $((c1 - c0)) --argjson tick "$TICK" \
        '{scenario: $name} + . + {server_cpu_s: ($cpu / $tick),
          us_per_delivery: (if .deliveries > 0 then ($cpu / $tick * 1e6 / .deliveries * 100 | round / 100) else null end)}' \
        | tee -a "$OUT/results.jsonl" \
        | jq -r '"\(.scenario)\tdeliv/s=\(.deliveries_per_s)\tp50=\(.p50_ms)ms\tp99=\(.p99_ms)ms\tcpu=\(.server_cpu_s)s\tus/deliv=\(.us_per_delivery)\terrors=\(.errors)"'
}

echo "N=$N T=${T}s W=$W senders=$SENDERS size=${SIZE}B threads/node=$THREADS; results in $OUT" >&2
run=0
for r in $(seq "$REPEAT"); do
    for spec in "1-node-no-redis 1 0" "1-node+redis 1 1" "2-nodes 2 1" "3-nodes 3 1"; do
        run=$((run + 1))
        # shellcheck disable=SC2086
        scenario $spec "$run"
    done
done
