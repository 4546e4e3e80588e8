#!/usr/bin/env bash
# shellcheck disable=SC2317  # job_* and cleanup are called indirectly
# Side-by-side benchmark of kvd against Debian's redis-server 7.0 (same run,
# same machine, same options).  Not a test: exits 0 whatever the ratios.
#
#   bench/run.sh                     (or `make bench`)
#   BENCH_ONLY=collections,memory bench/run.sh
#
# Sections (BENCH_ONLY selects a comma-separated subset; default all)
#   throughput   redis-benchmark -t set,get,incr,mset -c 50 -n $BENCH_N,
#                unpipelined and with -P 16
#   collections  redis-benchmark -t lpush,lpop,sadd,hset,spop,zadd,zpopmin
#                -c 50 -n $BENCH_N, and -t lrange_100,lrange_300,lrange_600
#                -n $BENCH_LRANGE_N (fewer: each reply carries up to 600
#                elements)
#   pubsub       PUBLISH throughput (redis-benchmark running `publish`) with
#                1 and with 50 subscribers (redis-cli SUBSCRIBE processes
#                writing to /dev/null); -n $BENCH_N and $BENCH_N/4
#   scripting    redis-benchmark running `evalsha <sha> 1 <key>` of a small
#                script (INCR of its key)
#   multi        MULTI + 10 x SET/INCR + EXEC per transaction over 50
#                connections (bin/kv-bench-multi, hiredis), $BENCH_MULTI_N
#                transactions
#   memory       $BENCH_KEYS string keys `key:NNNNNNNNNNNN` -> 3-10 byte
#                values via redis-cli --pipe: used_memory and RSS delta per key
#   colmem       bytes per element of one collection of $BENCH_COLL_BIG
#                elements and of $BENCH_COLL_KEYS collections x
#                $BENCH_COLL_PER elements, for list, hash, set (strings),
#                set (integers: an intset when small) and zset, each loaded
#                into a freshly started server (gen_collections.py)
#   persistence $BENCH_MIXED_KEYS keys of mixed types: BGSAVE time, RDB
#                size, start-up load time of that file (until PING answers),
#                BGREWRITEAOF time
#   aof          SET throughput (-n $BENCH_N, and $BENCH_N/4 for always) with
#                appendonly yes and appendfsync everysec / always
# The throughput-like sections (throughput, collections, pubsub, scripting,
# multi) run $BENCH_ROUNDS times per server alternating redis/kvd, keeping
# each server's best; the others run once. A row a server cannot run
# (command missing, `appendonly yes` refused...) prints "n/a".
# Prints a markdown table and saves it to bench/results/latest.md.
#
# Environment
#   KV_BIN        our binaries (default <repo>/bin); kvd is $KV_BIN/kvd
#   KVD_SERVER    server to measure instead of $KV_BIN/kvd (e.g.
#                 /usr/bin/redis-server: ratios should then be ~1.0)
#   BENCH_ONLY    sections to run (see above; default all)
#   BENCH_N       requests per redis-benchmark test (default 200000)
#   BENCH_LRANGE_N requests per LRANGE test (default 50000)
#   BENCH_MULTI_N transactions for the multi section (default 50000)
#   BENCH_ROUNDS  runs per server of the throughput-like sections, best kept
#                 (default 2)
#   BENCH_BUDGET  seconds for those rounds (default 600): a further round
#                 starts only if the rounds so far say it fits
#   BENCH_KEYS    keys for the memory test (default 1000000)
#   BENCH_COLL_BIG, BENCH_COLL_KEYS, BENCH_COLL_PER  colmem sizes (default
#                 1000000, 100000, 10)
#   BENCH_MIXED_KEYS  keys for the persistence section (default 1000000)
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
MULTI_BENCH=$KV_BIN/kv-bench-multi
N=${BENCH_N:-200000}
LRANGE_N=${BENCH_LRANGE_N:-50000}
MULTI_N=${BENCH_MULTI_N:-50000}
ROUNDS=${BENCH_ROUNDS:-2}
KEYS=${BENCH_KEYS:-1000000}
COLL_BIG=${BENCH_COLL_BIG:-1000000}
COLL_KEYS=${BENCH_COLL_KEYS:-100000}
COLL_PER=${BENCH_COLL_PER:-10}
MIXED_KEYS=${BENCH_MIXED_KEYS:-1000000}
PIN=${BENCH_PIN:-1}
BUDGET=${BENCH_BUDGET:-600}
ONLY=${BENCH_ONLY:-throughput,collections,pubsub,scripting,multi,memory,colmem,persistence,aof}
STRING_TESTS=set,get,incr,mset
COLL_TESTS=lpush,lpop,sadd,hset,spop,zadd,zpopmin
LRANGE_TESTS=lrange_100,lrange_300,lrange_600
PUB_SUBS_MANY=50

for bin in "$KVD" "$REDIS" "$BENCHMARK" "$CLI"; do
    if [ ! -x "$bin" ]; then
        echo "bench: missing $bin (build kvd, or set KVD_SERVER; install redis-tools)" >&2
        exit 1
    fi
done

selected() { [[ ",$ONLY," == *",$1,"* ]]; }

server_pin=() client_pin=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    server_pin=(taskset -c 0)
    client_pin=(taskset -c 1)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kv-bench.XXXXXX") || exit 1
# Run private copies: the servers are restarted during the run, and a build
# of the tree meanwhile must not change (or briefly remove) the binary.
cp "$KVD" "$work/kvd.bin" && KVD_RUN=$work/kvd.bin || exit 1
if [ -x "$MULTI_BENCH" ]; then cp "$MULTI_BENCH" "$work/multi.bin" && MULTI_BENCH=$work/multi.bin; fi
declare -A PID PORT BIN
CHILD=   # the benchmark/pipe client running now, killed on interrupt
SUBS=()  # subscriber processes of the pubsub section
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    local name
    if [ -n "$CHILD" ]; then
        kill -TERM "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    stop_subscribers
    for name in "${!PID[@]}"; do stop "$name"; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

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

cli() {  # cli NAME ARGS...: redis-cli against server NAME
    local name=$1
    shift
    "$CLI" -p "${PORT[$name]}" "$@"
}

# start NAME BINARY [--directive value ...]: starts the server on a free port
# in $work/NAME (kept between starts: a restart finds its files), waits for
# PING (START_WAIT seconds, default 10). Returns 1 when it did not start.
START_WAIT=10
start() {
    local name=$1 bin=$2 dir=$work/$1 port i
    shift 2
    mkdir -p "$dir"
    BIN[$name]=$bin
    for _ in 1 2 3; do
        port=$(free_port)
        "${server_pin[@]}" "$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
            --dir "$dir" --logfile "$dir/server.log" "$@" >"$dir/stdout.log" 2>&1 </dev/null &
        PID[$name]=$!
        PORT[$name]=$port
        for ((i = 0; i < START_WAIT * 50; i++)); do
            kill -0 "${PID[$name]}" 2>/dev/null || break
            if [ "$("$CLI" -p "$port" PING 2>/dev/null)" = PONG ]; then
                return 0
            fi
            sleep 0.02
        done
        kill -KILL "${PID[$name]}" 2>/dev/null || true
        wait "${PID[$name]}" 2>/dev/null || true
        PID[$name]=
        # A server that exited by itself refused its options: no retry.
        grep -q . "$dir/server.log" 2>/dev/null && ! grep -qi 'address already in use' \
            "$dir/server.log" "$dir/stdout.log" 2>/dev/null && break
    done
    echo "bench: $name ($bin $*) did not start; log:" >&2
    tail -n 5 "$dir/server.log" "$dir/stdout.log" >&2 2>/dev/null
    return 1
}

stop() {  # stop NAME: SIGTERM, 5 s, SIGKILL
    local name=$1 pid=${PID[$1]:-} i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    PID[$name]=
}

# fresh NAME [--directive value ...]: restarts NAME from an empty directory.
fresh() {
    local name=$1
    shift
    stop "$name"
    rm -rf "${work:?}/$name"
    start "$name" "${BIN[$name]}" "$@"
}

# run_client TIMEOUT OUTFILE CMD...: a client in the background (so that an
# interrupt is handled at once), stdin from $CLIENT_IN (default /dev/null).
CLIENT_IN=/dev/null
run_client() {
    local limit=$1 out=$2 rc
    shift 2
    timeout -k 5 "$limit" "$@" <"$CLIENT_IN" >"$out" 2>"$out.err" &
    CHILD=$!
    wait "$CHILD"
    rc=$?
    CHILD=
    return $rc
}

# best KEY VALUE: keeps the larger value in BEST[KEY].
declare -A BEST
best() {
    if [ -z "${BEST[$1]:-}" ] || awk -v a="$2" -v b="${BEST[$1]}" 'BEGIN { exit !(a > b) }'; then
        BEST[$1]=$2
    fi
}

# rb NAME GROUP LABEL [redis-benchmark args...]: one redis-benchmark run,
# keeping the best ops/s per test in BEST[name/group/TEST] (TEST as
# redis-benchmark names it, or LABEL when given: for arbitrary commands).
rb() {
    local name=$1 group=$2 label=$3 test rps
    shift 3
    if ! run_client 300 "$work/bench.csv" "${client_pin[@]}" "$BENCHMARK" -h 127.0.0.1 \
        -p "${PORT[$name]}" --csv "$@"; then
        echo "bench: redis-benchmark $* against $name failed or timed out" >&2
        return 1
    fi
    while IFS=, read -r test rps _; do
        test=${test//\"/} rps=${rps//\"/}
        [ "$test" = test ] && continue
        [ -n "$test" ] || continue
        test=${test%% (*} # "MSET (10 keys)" -> "MSET"
        best "$name/$group/${label:-$test}" "$rps"
    done <"$work/bench.csv"
}

# ---------------------------------------------------------------- throughput-like jobs

# cpu_ns NAME: nanoseconds of CPU the main thread of server NAME has used
# so far (/proc/PID/schedstat, finer than the clock ticks of /proc/PID/stat;
# the main thread is where both servers execute commands).
cpu_ns() {
    awk '{ print $1 }' "/proc/${PID[$1]}/schedstat" 2>/dev/null || echo 0
}

# rb_cpu NAME GROUP TEST N [redis-benchmark args...]: one redis-benchmark
# run of one test (-t TEST -c 50 -n N), charging the server's CPU time to it:
# BESTCPU[name/group/TEST] keeps the lowest server CPU microseconds per
# request seen. With the client pinned to its own CPU, unpipelined
# throughput on 2 CPUs is bound by redis-benchmark itself (one thread at
# 100%) while the server idles part of the time; CPU per request is what the
# server spends, whoever limits the throughput.
declare -A BESTCPU
rb_cpu() {
    local name=$1 group=$2 test=$3 n=$4 t0 t1 us key
    shift 4
    t0=$(cpu_ns "$name")
    rb "$name" "$group" "" -t "$test" -c 50 -n "$n" "$@" || return 1
    t1=$(cpu_ns "$name")
    us=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%.3f", (b - a) / 1000 / n }')
    key=$name/$group/${test^^}
    if [ -z "${BESTCPU[$key]:-}" ] || awk -v a="$us" -v b="${BESTCPU[$key]}" 'BEGIN { exit !(a < b) }'; then
        BESTCPU[$key]=$us
    fi
}

job_strings() {
    local test
    for test in ${STRING_TESTS//,/ }; do
        cli "$1" FLUSHALL >/dev/null
        rb_cpu "$1" unpipelined "$test" "$N"
    done
    for test in ${STRING_TESTS//,/ }; do
        cli "$1" FLUSHALL >/dev/null
        rb_cpu "$1" pipelined "$test" "$N" -P 16
    done
}

# One run per test, in redis-benchmark's own order and without a flush in
# between, so that LPOP/SPOP/ZPOPMIN find what LPUSH/SADD/ZADD left, as in
# a single -t run.
job_collections() {
    local test
    cli "$1" FLUSHALL >/dev/null
    for test in ${COLL_TESTS//,/ }; do rb_cpu "$1" coll "$test" "$N"; done
    cli "$1" FLUSHALL >/dev/null
    for test in ${LRANGE_TESTS//,/ }; do rb_cpu "$1" lrange "$test" "$LRANGE_N"; done
}

stop_subscribers() {
    local pid
    for pid in "${SUBS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${SUBS[@]}"; do wait "$pid" 2>/dev/null || true; done
    SUBS=()
}

# subscribers NAME COUNT: COUNT redis-cli SUBSCRIBE bench:chan processes;
# returns 1 unless PUBSUB NUMSUB sees them all within 10 s.
subscribers() {
    local name=$1 count=$2 i
    for ((i = 0; i < count; i++)); do
        "$CLI" -p "${PORT[$name]}" SUBSCRIBE bench:chan >/dev/null 2>&1 </dev/null &
        SUBS+=($!)
    done
    for ((i = 0; i < 200; i++)); do
        [ "$(cli "$name" PUBSUB NUMSUB bench:chan 2>/dev/null | sed -n 2p)" = "$count" ] && return 0
        sleep 0.05
    done
    echo "bench: $name: $count subscribers not seen by PUBSUB NUMSUB" >&2
    return 1
}

job_pubsub() {
    local name=$1
    if subscribers "$name" 1; then
        rb "$name" pubsub PUBLISH_1 -c 50 -n "$N" publish bench:chan hello
    fi
    stop_subscribers
    if subscribers "$name" "$PUB_SUBS_MANY"; then
        rb "$name" pubsub PUBLISH_50 -c 50 -n $((N / 4)) publish bench:chan hello
    fi
    stop_subscribers
}

job_scripting() {
    local name=$1 sha
    sha=$(cli "$name" SCRIPT LOAD "return redis.call('incr', KEYS[1])" 2>/dev/null)
    if [[ ! "$sha" =~ ^[0-9a-f]{40}$ ]]; then
        echo "bench: $name: SCRIPT LOAD failed: $sha" >&2
        return 1
    fi
    rb "$name" scripting EVALSHA -c 50 -n "$N" evalsha "$sha" 1 bench:counter
}

job_multi() {
    local name=$1 tps
    if [ ! -x "$MULTI_BENCH" ]; then
        echo "bench: $MULTI_BENCH missing (make $MULTI_BENCH)" >&2
        return 1
    fi
    cli "$name" FLUSHALL >/dev/null
    if ! run_client 300 "$work/multi.out" "${client_pin[@]}" "$MULTI_BENCH" -p "${PORT[$name]}" \
        -c 50 -n "$MULTI_N" -m 10; then
        echo "bench: kv-bench-multi against $name failed: $(cat "$work/multi.out.err")" >&2
        return 1
    fi
    tps=$(awk '{ print $2 }' "$work/multi.out")
    best "$name/multi/MULTI" "$tps"
}

# ---------------------------------------------------------------- memory

info_field() {  # info_field NAME SECTION FIELD
    cli "$1" INFO "$2" | tr -d '\r' | awk -F: -v f="$3" '$1 == f { print $2 }'
}

# pipe_load NAME FILE: redis-cli --pipe of FILE into NAME; 0 when all replied without errors.
pipe_load() {
    local name=$1 file=$2
    CLIENT_IN=$file
    if ! run_client 600 "$work/$name.pipe.log" "$CLI" -p "${PORT[$name]}" --pipe ||
        ! grep -q 'errors: 0,' "$work/$name.pipe.log"; then
        CLIENT_IN=/dev/null
        echo "bench: redis-cli --pipe into $name failed:" >&2
        tail -n 3 "$work/$name.pipe.log" "$work/$name.pipe.log.err" >&2
        return 1
    fi
    CLIENT_IN=/dev/null
}

# measure_load NAME FILE COUNT KEY: loads FILE into NAME (as it is now) and
# stores MEM[KEY/used|rss] = delta / COUNT.
declare -A MEM
measure_load() {
    local name=$1 file=$2 count=$3 key=$4 used0 rss0 used1 rss1
    sleep 0.5
    used0=$(info_field "$name" memory used_memory)
    rss0=$(info_field "$name" memory used_memory_rss)
    pipe_load "$name" "$file" || return 1
    sleep 1
    used1=$(info_field "$name" memory used_memory)
    rss1=$(info_field "$name" memory used_memory_rss)
    MEM[$key/used]=$(awk -v a="$used0" -v b="$used1" -v n="$count" 'BEGIN { printf "%.1f", (b - a) / n }')
    MEM[$key/rss]=$(awk -v a="$rss0" -v b="$rss1" -v n="$count" 'BEGIN { printf "%.1f", (b - a) / n }')
}

memory_strings() {
    local name
    echo "bench: generating $KEYS keys" >&2
    "$PY" "$here/gen_keys.py" "$KEYS" >"$work/keys.resp"
    for name in redis kvd; do
        echo "bench: memory $name" >&2
        cli "$name" FLUSHALL >/dev/null
        measure_load "$name" "$work/keys.resp" "$KEYS" "$name/strings"
        [ "$(cli "$name" DBSIZE)" = "$KEYS" ] ||
            echo "bench: $name holds $(cli "$name" DBSIZE) keys after loading $KEYS" >&2
        cli "$name" FLUSHALL >/dev/null
    done
    rm -f "$work/keys.resp"
}

COLL_TYPES="list hash set intset zset"
# The element count a loaded collection file must show: LLEN/HLEN/SCARD/ZCARD of `big`.
card_cmd() {
    case $1 in
        list) echo LLEN ;;
        hash) echo HLEN ;;
        set | intset) echo SCARD ;;
        zset) echo ZCARD ;;
    esac
}

memory_collections() {
    local type shape file name count
    for shape in big small; do
        for type in $COLL_TYPES; do
            file=$work/$shape-$type.resp
            if [ "$shape" = big ]; then
                "$PY" "$here/gen_collections.py" big "$type" "$COLL_BIG" >"$file"
                count=$COLL_BIG
            else
                "$PY" "$here/gen_collections.py" small "$type" "$COLL_KEYS" "$COLL_PER" >"$file"
                count=$((COLL_KEYS * COLL_PER))
            fi
            for name in redis kvd; do
                echo "bench: colmem $shape $type $name" >&2
                fresh "$name" || continue
                measure_load "$name" "$file" "$count" "$name/$shape-$type" || continue
                if [ "$shape" = big ]; then
                    [ "$(cli "$name" "$(card_cmd "$type")" big)" = "$count" ] ||
                        echo "bench: $name: $type big has $(cli "$name" "$(card_cmd "$type")" big) elements, not $count" >&2
                else
                    [ "$(cli "$name" DBSIZE)" = "$COLL_KEYS" ] ||
                        echo "bench: $name: $(cli "$name" DBSIZE) $type keys, not $COLL_KEYS" >&2
                fi
                ENCODING[$name/$shape-$type]=$(cli "$name" OBJECT ENCODING "$([ "$shape" = big ] && echo big || echo c:00000000)")
            done
            rm -f "$file"
        done
    done
}
declare -A ENCODING

# ---------------------------------------------------------------- persistence

declare -A PERSIST
# wait_field NAME SECTION FIELD VALUE SECONDS: polls INFO until FIELD = VALUE.
wait_field() {
    local i
    for ((i = 0; i < $5 * 50; i++)); do
        [ "$(info_field "$1" "$2" "$3")" = "$4" ] && return 0
        sleep 0.02
    done
    return 1
}

persistence() {
    local name t0 saves rewrites reply
    echo "bench: generating $MIXED_KEYS keys of mixed types" >&2
    "$PY" "$here/gen_collections.py" mixed "$MIXED_KEYS" >"$work/mixed.resp"
    for name in redis kvd; do
        echo "bench: persistence $name" >&2
        fresh "$name" --dbfilename dump.rdb || continue
        pipe_load "$name" "$work/mixed.resp" || continue
        [ "$(cli "$name" DBSIZE)" = "$MIXED_KEYS" ] ||
            echo "bench: $name holds $(cli "$name" DBSIZE) keys, not $MIXED_KEYS" >&2
        # BGSAVE: from the command until the save counter moves.
        saves=$(info_field "$name" persistence rdb_saves)
        t0=$(now)
        reply=$(cli "$name" BGSAVE 2>&1)
        if [[ "$reply" == Background* ]] && [ -n "$saves" ] &&
            wait_field "$name" persistence rdb_saves $((saves + 1)) 300 &&
            wait_field "$name" persistence rdb_bgsave_in_progress 0 10 &&
            [ "$(info_field "$name" persistence rdb_last_bgsave_status)" = ok ]; then
            PERSIST[$name/bgsave]=$(elapsed "$t0")
            PERSIST[$name/rdbsize]=$(stat -c %s "$work/$name/dump.rdb")
        else
            echo "bench: $name: BGSAVE did not complete ($reply)" >&2
        fi
        # BGREWRITEAOF (guarded: a server without AOF gets n/a).
        rewrites=$(info_field "$name" persistence aof_rewrites)
        t0=$(now)
        reply=$(cli "$name" BGREWRITEAOF 2>&1)
        if [[ "$reply" == Background* ]] && [ -n "$rewrites" ] &&
            wait_field "$name" persistence aof_rewrites $((rewrites + 1)) 300 &&
            wait_field "$name" persistence aof_rewrite_in_progress 0 10 &&
            [ "$(info_field "$name" persistence aof_last_bgrewrite_status)" = ok ]; then
            PERSIST[$name/aofrewrite]=$(elapsed "$t0")
        else
            echo "bench: $name: BGREWRITEAOF not available or failed ($reply)" >&2
        fi
        # Start-up load of the RDB file: from exec until PING answers.
        if [ -n "${PERSIST[$name/rdbsize]:-}" ]; then
            stop "$name"
            rm -rf "$work/$name/appendonlydir"
            t0=$(now)
            START_WAIT=300
            if start "$name" "${BIN[$name]}" --dbfilename dump.rdb; then
                PERSIST[$name/load]=$(elapsed "$t0")
                [ "$(cli "$name" DBSIZE)" = "$MIXED_KEYS" ] ||
                    echo "bench: $name loaded $(cli "$name" DBSIZE) keys, not $MIXED_KEYS" >&2
            fi
            START_WAIT=10
        fi
        stop "$name"
    done
    rm -f "$work/mixed.resp"
}

aof_throughput() {
    local fsync name n order
    for fsync in everysec always; do
        n=$N
        [ "$fsync" = always ] && n=$((N / 4))
        if [ "$fsync" = always ]; then order="kvd redis"; else order="redis kvd"; fi
        for name in $order; do
            echo "bench: aof $fsync $name" >&2
            if ! fresh "$name" --appendonly yes --appendfsync "$fsync" ||
                [ "$(cli "$name" CONFIG GET appendonly | sed -n 2p)" != yes ]; then
                echo "bench: $name: appendonly yes refused; n/a" >&2
                continue
            fi
            rb "$name" aof "SET_$fsync" -t set -c 50 -n "$n"
            stop "$name"
        done
    done
}

# ---------------------------------------------------------------- run

start redis "$REDIS" || exit 1
start kvd "$KVD_RUN" || exit 1
echo "bench: redis=$REDIS (port ${PORT[redis]}) kvd=$KVD (port ${PORT[kvd]})" \
    "n=$N rounds=$ROUNDS sections=$ONLY${server_pin:+ pinned}" >&2

started=$SECONDS
jobs=()
for j in strings:throughput collections:collections pubsub:pubsub scripting:scripting multi:multi; do
    selected "${j#*:}" && jobs+=("${j%%:*}")
done
rounds_done=0
if ((${#jobs[@]})); then
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
        for job in "${jobs[@]}"; do
            for name in $order; do
                echo "bench: round $round/$ROUNDS $job $name" >&2
                "job_$job" "$name"
            done
        done
        rounds_done=$round
    done
fi

selected memory && memory_strings
selected colmem && memory_collections
selected persistence && persistence
selected aof && aof_throughput

# ---------------------------------------------------------------- table

# ratio A B: A/B with 2 decimals, "n/a" if either is missing/zero
ratio() {
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || a + 0 == 0 || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}
fmt() { [ -n "${1:-}" ] && printf '%s' "$1" || printf 'n/a'; }
row_more() {  # row_more LABEL KVD REDIS: higher is better (ratio kvd/redis)
    echo "| $1 | $(fmt "$2") | $(fmt "$3") | $(ratio "$2" "$3") |"
}
row_less() {  # row_less LABEL KVD REDIS: lower is better (ratio redis/kvd)
    echo "| $1 | $(fmt "$2") | $(fmt "$3") | $(ratio "$3" "$2") |"
}
ops_row() {  # ops_row LABEL GROUP TEST
    row_more "$1" "${BEST[kvd/$2/$3]:-}" "${BEST[redis/$2/$3]:-}"
}
cpu_row() {  # cpu_row LABEL GROUP TEST: server CPU per request, lower is better
    row_less "$1" "${BESTCPU[kvd/$2/$3]:-}" "${BESTCPU[redis/$2/$3]:-}"
}
mem_rows() {  # mem_rows LABEL KEY
    row_less "$1 (used_memory)" "${MEM[kvd/$2/used]:-}" "${MEM[redis/$2/used]:-}"
    row_less "$1 (RSS)" "${MEM[kvd/$2/rss]:-}" "${MEM[redis/$2/rss]:-}"
}

table=$(
    echo "| test | kvd | redis | ratio |"
    echo "|---|---:|---:|---:|"
    if selected throughput; then
        for test in SET GET INCR MSET; do ops_row "$test ops/s (c=50)" unpipelined "$test"; done
        for test in SET GET INCR MSET; do ops_row "$test ops/s (c=50, P=16)" pipelined "$test"; done
        for test in SET GET INCR MSET; do cpu_row "$test server CPU µs/request (c=50)" unpipelined "$test"; done
        for test in SET GET INCR MSET; do cpu_row "$test server CPU µs/request (c=50, P=16)" pipelined "$test"; done
    fi
    if selected collections; then
        for test in LPUSH LPOP SADD HSET SPOP ZADD ZPOPMIN; do ops_row "$test ops/s (c=50)" coll "$test"; done
        for test in LRANGE_100 LRANGE_300 LRANGE_600; do
            ops_row "$test ops/s (c=50, n=$LRANGE_N)" lrange "$test"
        done
        for test in LPUSH LPOP SADD HSET SPOP ZADD ZPOPMIN; do cpu_row "$test server CPU µs/request (c=50)" coll "$test"; done
        for test in LRANGE_100 LRANGE_300 LRANGE_600; do
            cpu_row "$test server CPU µs/request (c=50, n=$LRANGE_N)" lrange "$test"
        done
    fi
    if selected pubsub; then
        ops_row "PUBLISH ops/s, 1 subscriber (c=50)" pubsub PUBLISH_1
        ops_row "PUBLISH ops/s, $PUB_SUBS_MANY subscribers (c=50, n=$((N / 4)))" pubsub PUBLISH_50
    fi
    selected scripting && ops_row "EVALSHA (INCR script) ops/s (c=50)" scripting EVALSHA
    selected multi && ops_row "MULTI+10 cmds+EXEC transactions/s (c=50, n=$MULTI_N)" multi MULTI
    if selected aof; then
        ops_row "SET ops/s, appendonly everysec (c=50)" aof SET_everysec
        ops_row "SET ops/s, appendonly always (c=50, n=$((N / 4)))" aof SET_always
    fi
    selected memory && mem_rows "memory bytes/key, $KEYS strings" strings
    if selected colmem; then
        for type in $COLL_TYPES; do
            mem_rows "memory bytes/element, $type 1x$COLL_BIG [${ENCODING[kvd/big-$type]:-?}]" "big-$type"
        done
        for type in $COLL_TYPES; do
            mem_rows "memory bytes/element, $type ${COLL_KEYS}x$COLL_PER [${ENCODING[kvd/small-$type]:-?}]" "small-$type"
        done
    fi
    if selected persistence; then
        row_less "BGSAVE seconds, $MIXED_KEYS mixed keys" "${PERSIST[kvd/bgsave]:-}" "${PERSIST[redis/bgsave]:-}"
        row_less "RDB file bytes, $MIXED_KEYS mixed keys" "${PERSIST[kvd/rdbsize]:-}" "${PERSIST[redis/rdbsize]:-}"
        row_less "RDB load seconds (start until PING answers)" "${PERSIST[kvd/load]:-}" "${PERSIST[redis/load]:-}"
        row_less "BGREWRITEAOF seconds, $MIXED_KEYS mixed keys" "${PERSIST[kvd/aofrewrite]:-}" "${PERSIST[redis/aofrewrite]:-}"
    fi
    echo
    echo "Ratio > 1 means kvd is better: for ops/s it is kvd/redis; for memory, times and sizes it is redis/kvd."
    echo "Throughput rows: redis-benchmark -c 50 -n $N unless noted, best of $rounds_done per server alternating;" \
        "memory: used_memory / RSS delta per key or element after redis-cli --pipe into a fresh server" \
        "([kvd's encoding]); mixed keys: 1/3 strings, 1/6 each 5-element list, hash, set, zset."
    echo "kvd: $KVD; redis: $REDIS ($("$REDIS" --version | awk '{print $3}')); $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs."
)
echo "$table"
mkdir -p "$here/results"
printf '%s\n' "$table" >"$here/results/latest.md"
echo "bench: done in $((SECONDS - started)) s; table saved to bench/results/latest.md" >&2
exit 0
