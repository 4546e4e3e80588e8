#!/usr/bin/env bash
# Side-by-side benchmark of kvd against Debian's redis-server 7.0 (same run,
# same machine, same options).  Not a test: exits 0 whatever the ratios.
#
#   bench/run.sh
#
# What it measures
#   * throughput: redis-benchmark -t set,get,incr,mset -c 50 -n $BENCH_N,
#     unpipelined and with -P 16, $BENCH_ROUNDS times per server alternating
#     redis/kvd, keeping each server's best ops/s;
#   * memory: $BENCH_KEYS keys `key:NNNNNNNNNNNN` -> 3-10 byte value pushed
#     with redis-cli --pipe; (used_memory after - before) / keys, and the same
#     for used_memory_rss.
# Prints a markdown table and saves it to bench/results/latest.md.
#
# Environment
#   KV_BIN        our binaries (default <repo>/bin); kvd is $KV_BIN/kvd
#   KVD_SERVER    server to measure instead of $KV_BIN/kvd (e.g.
#                 /usr/bin/redis-server: ratios should then be ~1.0)
#   BENCH_N       requests per redis-benchmark test (default 200000)
#   BENCH_ROUNDS  runs per server and mode, best kept (default 2)
#   BENCH_BUDGET  seconds for the throughput rounds (default 420): a further
#                 round starts only if the rounds so far say it fits, so a slow
#                 or loaded machine still finishes in ~10 minutes
#   BENCH_KEYS    keys for the memory test (default 1000000)
#   BENCH_PIN     1 (default) pins servers to CPU 0 and the benchmark client to
#                 CPU 1 when there are >= 2 CPUs; 0 disables
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
KV_BIN=${KV_BIN:-$repo/bin}
KVD=${KVD_SERVER:-$KV_BIN/kvd}
REDIS=${BENCH_REDIS:-/usr/bin/redis-server}
BENCHMARK=/usr/bin/redis-benchmark
CLI=/usr/bin/redis-cli
PY=/usr/bin/python3
N=${BENCH_N:-200000}
ROUNDS=${BENCH_ROUNDS:-2}
KEYS=${BENCH_KEYS:-1000000}
PIN=${BENCH_PIN:-1}
BUDGET=${BENCH_BUDGET:-420}
TESTS=set,get,incr,mset

for bin in "$KVD" "$REDIS" "$BENCHMARK" "$CLI"; do
    if [ ! -x "$bin" ]; then
        echo "bench: missing $bin (build kvd, or set KVD_SERVER; install redis-tools)" >&2
        exit 1
    fi
done

server_pin=() client_pin=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    server_pin=(taskset -c 0)
    client_pin=(taskset -c 1)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kv-bench.XXXXXX") || exit 1
declare -A PID PORT
CHILD=   # the benchmark/pipe client running now, killed on interrupt
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    local name pid i
    if [ -n "$CHILD" ]; then
        kill -TERM "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    for name in "${!PID[@]}"; do
        pid=${PID[$name]}
        [ -n "$pid" ] || continue
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$PY" - <<'EOF'
import random, socket
for _ in range(200):
    port = random.SystemRandom().randint(10000, 22767)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
EOF
}

# start NAME BINARY: starts the server on a free port, waits for PING (10 s).
start() {
    local name=$1 bin=$2 dir=$work/$1 port i
    mkdir -p "$dir"
    for _ in 1 2 3; do
        port=$(free_port)
        "${server_pin[@]}" "$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
            --dir "$dir" --logfile "$dir/server.log" >"$dir/stdout.log" 2>&1 </dev/null &
        PID[$name]=$!
        PORT[$name]=$port
        for ((i = 0; i < 100; i++)); do
            kill -0 "${PID[$name]}" 2>/dev/null || break
            if [ "$("$CLI" -p "$port" PING 2>/dev/null)" = PONG ]; then
                return 0
            fi
            sleep 0.1
        done
        kill -KILL "${PID[$name]}" 2>/dev/null || true
        wait "${PID[$name]}" 2>/dev/null || true
        PID[$name]=
    done
    echo "bench: $name ($bin) did not start; log:" >&2
    tail -n 20 "$dir/server.log" "$dir/stdout.log" >&2 2>/dev/null
    return 1
}

# bench NAME MODE: one redis-benchmark run, keeping the best ops/s per test in
# BEST[name/mode/test].
declare -A BEST
bench() {
    local name=$1 mode=$2 out test rps extra=()
    [ "$mode" = pipelined ] && extra=(-P 16)
    "$CLI" -p "${PORT[$name]}" FLUSHALL >/dev/null
    # A server that stops answering must not hang the run; run in the
    # background so that an interrupt is handled at once (wait is interruptible).
    timeout -k 5 300 "${client_pin[@]}" "$BENCHMARK" -h 127.0.0.1 -p "${PORT[$name]}" \
        -t "$TESTS" -c 50 -n "$N" "${extra[@]}" --csv >"$work/bench.csv" 2>/dev/null &
    CHILD=$!
    wait "$CHILD" || echo "bench: redis-benchmark against $name failed or timed out" >&2
    CHILD=
    out=$(cat "$work/bench.csv")
    while IFS=, read -r test rps _; do
        test=${test//\"/} rps=${rps//\"/}
        [ "$test" = test ] && continue
        [ -n "$test" ] || continue
        test=${test%% (*}          # "MSET (10 keys)" -> "MSET"
        local key="$name/$mode/$test"
        if [ -z "${BEST[$key]:-}" ] || awk -v a="$rps" -v b="${BEST[$key]}" 'BEGIN { exit !(a > b) }'; then
            BEST[$key]=$rps
        fi
    done <<<"$out"
}

info_field() {  # info_field NAME FIELD
    "$CLI" -p "${PORT[$1]}" INFO memory | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
}

# memory NAME: loads the key file, sets MEM[name/used] and MEM[name/rss] (bytes per key).
declare -A MEM
memory() {
    local name=$1 used0 rss0 used1 rss1 n
    "$CLI" -p "${PORT[$name]}" FLUSHALL >/dev/null
    sleep 1
    used0=$(info_field "$name" used_memory)
    rss0=$(info_field "$name" used_memory_rss)
    timeout -k 5 300 "$CLI" -p "${PORT[$name]}" --pipe <"$work/keys.resp" \
        >"$work/$name.pipe.log" 2>&1 &
    CHILD=$!
    if ! wait "$CHILD"; then
        echo "bench: redis-cli --pipe into $name failed:" >&2
        tail -n 5 "$work/$name.pipe.log" >&2
    fi
    CHILD=
    sleep 1
    n=$("$CLI" -p "${PORT[$name]}" DBSIZE)
    used1=$(info_field "$name" used_memory)
    rss1=$(info_field "$name" used_memory_rss)
    [ "$n" = "$KEYS" ] || echo "bench: $name holds $n keys after loading $KEYS" >&2
    MEM[$name/used]=$(awk -v a="$used0" -v b="$used1" -v n="$KEYS" 'BEGIN { printf "%.1f", (b - a) / n }')
    MEM[$name/rss]=$(awk -v a="$rss0" -v b="$rss1" -v n="$KEYS" 'BEGIN { printf "%.1f", (b - a) / n }')
    "$CLI" -p "${PORT[$name]}" FLUSHALL >/dev/null
}

start redis "$REDIS" || exit 1
start kvd "$KVD" || exit 1
echo "bench: redis=$REDIS (port ${PORT[redis]}) kvd=$KVD (port ${PORT[kvd]})" \
    "n=$N rounds=$ROUNDS keys=$KEYS${server_pin:+ pinned}" >&2

started=$SECONDS
rounds_done=0
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round > 1)); then
        per_round=$(((SECONDS - started) / rounds_done))
        if ((SECONDS - started + per_round > BUDGET)); then
            echo "bench: stopping after $rounds_done round(s): another would pass the ${BUDGET}s budget" >&2
            break
        fi
    fi
    # Alternate which server goes first, to spread drift in machine load.
    if ((round % 2)); then order="redis kvd"; else order="kvd redis"; fi
    for mode in unpipelined pipelined; do
        for name in $order; do
            echo "bench: round $round/$ROUNDS $mode $name" >&2
            bench "$name" "$mode"
        done
    done
    rounds_done=$round
done

echo "bench: generating $KEYS keys" >&2
"$PY" "$here/gen_keys.py" "$KEYS" >"$work/keys.resp"
for name in redis kvd; do
    echo "bench: memory $name" >&2
    memory "$name"
done

ratio() {  # ratio A B: A/B with 2 decimals, "n/a" if either is missing/zero
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || a + 0 == 0 || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}
fmt() { [ -n "${1:-}" ] && printf '%s' "$1" || printf 'n/a'; }

table=$(
    echo "| test | kvd | redis | kvd/redis |"
    echo "|---|---:|---:|---:|"
    for mode in unpipelined pipelined; do
        label="c=50"
        [ "$mode" = pipelined ] && label="c=50, P=16"
        for test in SET GET INCR MSET; do
            k=${BEST[kvd/$mode/$test]:-}
            r=${BEST[redis/$mode/$test]:-}
            echo "| $test ops/s ($label) | $(fmt "$k") | $(fmt "$r") | $(ratio "$k" "$r") |"
        done
    done
    echo "| memory bytes/key (used_memory) | $(fmt "${MEM[kvd/used]:-}") | $(fmt "${MEM[redis/used]:-}") | $(ratio "${MEM[redis/used]:-}" "${MEM[kvd/used]:-}") |"
    echo "| memory bytes/key (used_memory_rss) | $(fmt "${MEM[kvd/rss]:-}") | $(fmt "${MEM[redis/rss]:-}") | $(ratio "${MEM[redis/rss]:-}" "${MEM[kvd/rss]:-}") |"
    echo
    echo "Ratio > 1 means kvd is better: for ops/s it is kvd/redis, for memory it is redis/kvd."
    echo "redis-benchmark -t $TESTS -c 50 -n $N (and -P 16), best of $rounds_done per server;" \
        "memory: $KEYS keys key:NNNNNNNNNNNN -> 3-10 byte values via redis-cli --pipe."
    echo "kvd: $KVD; redis: $REDIS ($("$REDIS" --version | awk '{print $3}')); $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs."
)
echo "$table"
mkdir -p "$here/results"
printf '%s\n' "$table" >"$here/results/latest.md"
echo "bench: done in $((SECONDS - started)) s; table saved to bench/results/latest.md" >&2
exit 0
