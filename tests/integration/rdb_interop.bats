#!/usr/bin/env bats
# rdb_interop.bats — RDB files and DUMP payloads exchanged with Redis 7.0,
# checked with Redis's own fingerprints: DEBUG DIGEST-VALUE of every key and
# DEBUG DIGEST of the data set must be equal on both sides, as must the
# encoding-independent view (type, TTL, full contents) and OBJECT ENCODING.
#
# rdb.bats already compares views for files in both directions; this suite
# adds the digests, LRU/LFU hints under maxmemory-policy, RDB format
# versions 1 to 9, files saved without compression or checksum, and the
# clear refusal of values kvd cannot hold yet (streams).
#
# Redis 7.0 (/usr/bin/redis-server) runs through the same helper with
# KVD_SERVER pointing at it; rdb_tool.py writes data sets and prints views.

load '../helpers/kvd'

TOOL="$BATS_TEST_DIRNAME/rdb_tool.py"

tool() { "$KV_PYTHON" "$TOOL" "$@"; }
redis_start_as() {
    local name=$1
    shift
    KVD_SERVER=/usr/bin/redis-server kvd_start_as "$name" "$@"
}

teardown() { kvd_stop; }

# Everything we compare between two instances, in one text.
fingerprint() {
    tool digests "$1"
    tool view "$1"
    tool encodings "$1"
}

# diff_or_fail WANT GOT: succeeds when equal, else prints a short diff.
same() {
    [ "$1" = "$2" ] && return 0
    diff <(echo "$1") <(echo "$2") | head -n 20
    return 1
}

@test "Redis 7.0's RDB loads into kvd: every key's DIGEST-VALUE and DEBUG DIGEST agree" {
    redis_start_as REDIS
    tool populate "$KVD_PORT" --large
    want=$(fingerprint "$KVD_PORT")
    [ "$(echo "$want" | grep -c '^db')" -gt 40000 ]
    redis-cli -p "$KVD_PORT" SAVE >/dev/null
    mkdir "$BATS_TEST_TMPDIR/k"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/k/"
    kvd_start_as KVD --dir "$BATS_TEST_TMPDIR/k"
    got=$(fingerprint "$KVD_PORT")
    same "$want" "$got"
}

@test "kvd's RDB loads into Redis 7.0: every key's DIGEST-VALUE and DEBUG DIGEST agree" {
    kvd_start_as KVD
    tool populate "$KVD_PORT" --large
    want=$(fingerprint "$KVD_PORT")
    kvcli SAVE >/dev/null
    mkdir "$BATS_TEST_TMPDIR/r"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/r/"
    redis_start_as REDIS --dir "$BATS_TEST_TMPDIR/r"
    got=$(fingerprint "$KVD_PORT")
    same "$want" "$got"
}

@test "files saved with rdbcompression no and rdbchecksum no interoperate both ways" {
    redis_start_as REDIS --rdbcompression no --rdbchecksum no
    tool populate "$KVD_PORT"
    want=$(fingerprint "$KVD_PORT")
    kvcli SAVE >/dev/null
    mkdir "$BATS_TEST_TMPDIR/k" "$BATS_TEST_TMPDIR/r"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/k/"
    kvd_start_as KVD --dir "$BATS_TEST_TMPDIR/k" --rdbcompression no --rdbchecksum no
    same "$want" "$(fingerprint "$KVD_PORT")"
    kvcli SET extra 1 >/dev/null
    want=$(fingerprint "$KVD_PORT")
    kvcli SAVE >/dev/null
    # no LZF strings and a zero checksum: Redis's checker says so
    run redis-check-rdb "$BATS_TEST_TMPDIR/k/dump.rdb"
    [ "$status" = 0 ]
    [[ "$output" == *"RDB file was saved with checksum disabled: no check performed."* ]]
    cp "$BATS_TEST_TMPDIR/k/dump.rdb" "$BATS_TEST_TMPDIR/r/"
    redis_start_as REDIS2 --dir "$BATS_TEST_TMPDIR/r"
    same "$want" "$(fingerprint "$KVD_PORT")"
}

# freq_and_idle PORT: "key freq" or "key idle" per key, per the policy.
object_hints() {
    local port=$1 what=$2 k
    for k in h1 h2 h3 h4; do
        echo "$k $(redis-cli -p "$port" OBJECT "$what" "$k")"
    done
}

@test "LFU counters survive the RDB trip both ways (maxmemory-policy allkeys-lfu)" {
    redis_start_as REDIS --maxmemory-policy allkeys-lfu --lfu-decay-time 0
    rport=$KVD_PORT
    redis-cli -p "$rport" SET src v >/dev/null
    redis-cli -p "$rport" --raw DUMP src | head -c -1 >"$BATS_TEST_TMPDIR/p"
    redis-cli -p "$rport" DEL src >/dev/null
    i=0
    for f in 0 7 100 255; do
        i=$((i + 1))
        redis-cli -p "$rport" -X P RESTORE "h$i" 0 P FREQ "$f" <"$BATS_TEST_TMPDIR/p" >/dev/null
    done
    # OBJECT FREQ reads without touching the counter; anything else would
    # increment it (logarithmically) and make the sides differ
    want=$(object_hints "$rport" FREQ)
    [ "$want" = "$(printf 'h1 0\nh2 7\nh3 100\nh4 255')" ]
    redis-cli -p "$rport" SAVE >/dev/null
    mkdir "$BATS_TEST_TMPDIR/k" "$BATS_TEST_TMPDIR/r"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/k/"
    kvd_start_as KVD --dir "$BATS_TEST_TMPDIR/k" --maxmemory-policy allkeys-lfu --lfu-decay-time 0
    same "$want" "$(object_hints "$KVD_PORT" FREQ)"
    kvcli SAVE >/dev/null
    cp "$BATS_TEST_TMPDIR/k/dump.rdb" "$BATS_TEST_TMPDIR/r/"
    redis_start_as REDIS2 --dir "$BATS_TEST_TMPDIR/r" --maxmemory-policy allkeys-lfu \
        --lfu-decay-time 0
    same "$want" "$(object_hints "$KVD_PORT" FREQ)"
}

# idle_ok PORT: every hN's idle time is within 3 s above its restored value.
idle_ok() {
    local port=$1 i=0 base idle
    for base in 0 100 5000 100000; do
        i=$((i + 1))
        idle=$(redis-cli -p "$port" OBJECT IDLETIME "h$i")
        [ "$idle" -ge "$base" ] && [ "$idle" -le $((base + 3)) ] ||
            { echo "h$i: idle $idle, want $base"; return 1; }
    done
}

@test "LRU idle times survive the RDB trip both ways (maxmemory-policy allkeys-lru)" {
    redis_start_as REDIS --maxmemory-policy allkeys-lru
    rport=$KVD_PORT
    redis-cli -p "$rport" SET src v >/dev/null
    redis-cli -p "$rport" --raw DUMP src | head -c -1 >"$BATS_TEST_TMPDIR/p"
    i=0
    for idle in 0 100 5000 100000; do
        i=$((i + 1))
        redis-cli -p "$rport" -X P RESTORE "h$i" 0 P IDLETIME "$idle" <"$BATS_TEST_TMPDIR/p" >/dev/null
    done
    idle_ok "$rport"
    redis-cli -p "$rport" SAVE >/dev/null
    # Redis wrote IDLE opcodes; its checker reads them fine
    run redis-check-rdb "$KVD_DIR/dump.rdb"
    [ "$status" = 0 ]
    mkdir "$BATS_TEST_TMPDIR/k" "$BATS_TEST_TMPDIR/r"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/k/"
    kvd_start_as KVD --dir "$BATS_TEST_TMPDIR/k" --maxmemory-policy allkeys-lru
    idle_ok "$KVD_PORT"
    kvcli SAVE >/dev/null
    cp "$BATS_TEST_TMPDIR/k/dump.rdb" "$BATS_TEST_TMPDIR/r/"
    redis_start_as REDIS2 --dir "$BATS_TEST_TMPDIR/r" --maxmemory-policy allkeys-lru
    idle_ok "$KVD_PORT"
}

@test "RDB format versions 1 to 9 load into kvd as into Redis 7.0" {
    for v in 1 2 3 4 5 6 7 8 9; do
        mkdir -p "$BATS_TEST_TMPDIR/r$v" "$BATS_TEST_TMPDIR/k$v"
        tool version-file "$v" "$BATS_TEST_TMPDIR/r$v/dump.rdb"
        cp "$BATS_TEST_TMPDIR/r$v/dump.rdb" "$BATS_TEST_TMPDIR/k$v/"
        redis_start_as "R$v" --dir "$BATS_TEST_TMPDIR/r$v"
        want=$(fingerprint "$KVD_PORT")
        [ "$(echo "$want" | grep -c '^db')" -ge 14 ] # digests + views of at least 7 keys
        kvd_start_as "K$v" --dir "$BATS_TEST_TMPDIR/k$v"
        same "$want" "$(fingerprint "$KVD_PORT")" || { echo "version $v differs"; false; }
        kvd_log_wait 'DB loaded from disk'
        kvd_stop "R$v"
        kvd_stop "K$v"
        # and kv-check-rdb agrees with redis-check-rdb on the file
        run "$KV_BIN/kv-check-rdb" "$BATS_TEST_TMPDIR/k$v/dump.rdb"
        [ "$status" = 0 ]
        same "$(redis-check-rdb "$BATS_TEST_TMPDIR/k$v/dump.rdb")" "$output"
    done
}

@test "DUMP/RESTORE both ways: every key's DIGEST-VALUE agrees with the original's" {
    redis_start_as REDIS
    rport=$KVD_PORT
    tool populate "$rport"
    tool legacy "$rport" # older encodings too, converted on RESTORE
    want=$(tool digests "$rport")
    kvd_start_as KVD
    kport=$KVD_PORT
    tool copy "$rport" "$kport"
    same "$want" "$(tool digests "$kport")"
    redis-cli -p "$rport" FLUSHALL >/dev/null
    tool copy "$kport" "$rport"
    same "$want" "$(tool digests "$rport")"
}

@test "an RDB holding a stream is refused with a clear message (streams are not supported yet)" {
    redis_start_as REDIS
    redis-cli -p "$KVD_PORT" SET before v >/dev/null
    redis-cli -p "$KVD_PORT" XADD s '*' f v >/dev/null
    redis-cli -p "$KVD_PORT" SAVE >/dev/null
    mkdir "$BATS_TEST_TMPDIR/k"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/k/"
    port=$(kvd_free_port)
    run "$KV_BIN/kvd" --port "$port" --bind 127.0.0.1 --save '' --dir "$BATS_TEST_TMPDIR/k" \
        --logfile "$BATS_TEST_TMPDIR/k/log"
    [ "$status" = 1 ]
    grep -q "Fatal error loading the DB dump.rdb: Stream values are not supported by this server yet" \
        "$BATS_TEST_TMPDIR/k/log"
    grep -q "key 's', type stream" "$BATS_TEST_TMPDIR/k/log"
    # DUMP payloads of streams get RESTORE's usual refusal
    redis-cli -p "$KVD_PORT" --raw DUMP s | head -c -1 >"$BATS_TEST_TMPDIR/p"
    kvd_start_as KVD
    run kvcli -x RESTORE s 0 <"$BATS_TEST_TMPDIR/p"
    [ "$output" = "ERR Bad data format" ]
}
