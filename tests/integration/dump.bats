#!/usr/bin/env bats
# dump.bats — DUMP and RESTORE: payloads byte-identical to Redis 7.0's for
# the same values, exchanged with Redis 7.0 in both directions, every
# RESTORE option and error reply as Redis gives them, legacy encodings, and
# bad payloads refused (bounded fuzz) without ever hurting the server.

load '../helpers/kvd'

TOOL="$BATS_TEST_DIRNAME/rdb_tool.py"

tool() { "$KV_PYTHON" "$TOOL" "$@"; }
redis_start_as() {
    local name=$1
    shift
    KVD_SERVER=/usr/bin/redis-server kvd_start_as "$name" "$@"
}
# The raw DUMP payload of KEY on PORT into FILE (redis-cli adds a newline).
dump_to() {
    redis-cli -p "$1" --raw DUMP "$2" | head -c -1 >"$3"
}

teardown() { kvd_stop; }

@test "DUMP of a missing key is nil" {
    kvd_start
    run kvcli DUMP nosuchkey
    [ "$output" = "" ]
    run resp_cmd DUMP nosuchkey
    [ "$output" = '$-1\r\n' ]
}

@test "DUMP payloads are byte-identical to Redis 7.0's for the same values" {
    redis_start_as REDIS
    rport=$KVD_PORT
    kvd_start_as KVD
    kport=$KVD_PORT
    for p in "$rport" "$kport"; do
        redis-cli -p "$p" SET s:int 12345 >/dev/null
        redis-cli -p "$p" SET s:big 9223372036854775807 >/dev/null
        redis-cli -p "$p" SET s:str hello >/dev/null
        redis-cli -p "$p" SET s:lzf "$(printf 'abc%.0s' $(seq 1 100))" >/dev/null
        redis-cli -p "$p" HSET h:lp a 1 b hello c -5 >/dev/null
        redis-cli -p "$p" SADD set:is 5 -3 70000 >/dev/null
        redis-cli -p "$p" RPUSH l:ql a b 1 2 "$(printf 'x%.0s' $(seq 1 100))" >/dev/null
        redis-cli -p "$p" ZADD z:lp 1 a 2.5 b -inf c >/dev/null
        redis-cli -p "$p" ZADD z:sl $(for i in $(seq 1 200); do echo "$i m$i"; done) >/dev/null
    done
    for k in s:int s:big s:str s:lzf h:lp set:is l:ql z:lp z:sl; do
        dump_to "$rport" "$k" "$BATS_TEST_TMPDIR/r"
        dump_to "$kport" "$k" "$BATS_TEST_TMPDIR/k"
        [ -s "$BATS_TEST_TMPDIR/r" ]
        cmp "$BATS_TEST_TMPDIR/r" "$BATS_TEST_TMPDIR/k" || { echo "payload of $k differs"; false; }
    done
}

@test "a long list is cut into quicklist nodes as Redis cuts it (identical DUMP)" {
    redis_start_as REDIS
    rport=$KVD_PORT
    kvd_start_as KVD
    kport=$KVD_PORT
    for p in "$rport" "$kport"; do
        redis-cli -p "$p" RPUSH l:big $(seq 1 3000) >/dev/null
    done
    dump_to "$rport" l:big "$BATS_TEST_TMPDIR/r"
    dump_to "$kport" l:big "$BATS_TEST_TMPDIR/k"
    cmp "$BATS_TEST_TMPDIR/r" "$BATS_TEST_TMPDIR/k"
}

@test "Redis 7.0's DUMP restores into kvd and kvd's into Redis: every type and encoding" {
    redis_start_as REDIS
    rport=$KVD_PORT
    tool populate "$rport" --large
    want=$(tool view "$rport")
    kvd_start_as KVD
    kport=$KVD_PORT
    run tool copy "$rport" "$kport"
    [ "$status" = 0 ]
    [ "$(tool view "$kport")" = "$want" ]
    # and back: kvd's payloads into an emptied Redis
    redis-cli -p "$rport" FLUSHALL >/dev/null
    run tool copy "$kport" "$rport"
    [ "$status" = 0 ]
    [ "$(tool view "$rport")" = "$want" ]
}

@test "legacy encodings in payloads restore as in Redis 7.0" {
    redis_start_as REDIS
    rport=$KVD_PORT
    kvd_start_as KVD
    kport=$KVD_PORT
    tool legacy "$rport"
    tool legacy "$kport"
    want=$(tool view "$rport")
    [ "$(echo "$want" | wc -l)" = 15 ]
    [ "$(tool view "$kport")" = "$want" ]
    [ "$(tool encodings "$kport")" = "$(tool encodings "$rport")" ]
}

@test "RESTORE options: REPLACE, BUSYKEY, TTL, ABSTTL, an expired TTL" {
    kvd_start
    kvcli SET src hello >/dev/null
    dump_to "$KVD_PORT" src "$BATS_TEST_TMPDIR/p"
    # RESTORE KEY TTL <payload from the file> [options...]
    restore() {
        local key=$1 ttl=$2
        shift 2
        kvcli -X PAYLOAD RESTORE "$key" "$ttl" PAYLOAD "$@" <"$BATS_TEST_TMPDIR/p"
    }
    [ "$(restore k 0)" = OK ]
    [ "$(kvcli GET k)" = hello ]
    [ "$(kvcli TTL k)" = -1 ]
    run restore k 0
    [ "$output" = "BUSYKEY Target key name already exists." ]
    kvcli SET k other >/dev/null
    [ "$(restore k 5000 REPLACE)" = OK ]
    [ "$(kvcli GET k)" = hello ]
    ttl=$(kvcli PTTL k)
    [ "$ttl" -gt 4000 ] && [ "$ttl" -le 5000 ]
    at=$((($(date +%s) + 100) * 1000))
    [ "$(restore k2 "$at" ABSTTL)" = OK ]
    [ "$(kvcli PEXPIRETIME k2)" = "$at" ]
    # an absolute time in the past: OK, and the key is not there (a replaced
    # one is gone too)
    [ "$(restore k2 1000 ABSTTL REPLACE)" = OK ]
    [ "$(kvcli EXISTS k2)" = 0 ]
}

@test "RESTORE IDLETIME and FREQ set the LRU/LFU clock" {
    kvd_start
    kvcli SET src hello >/dev/null
    dump_to "$KVD_PORT" src "$BATS_TEST_TMPDIR/p"
    kvcli CONFIG SET maxmemory-policy allkeys-lru >/dev/null
    [ "$(kvcli -X P RESTORE idle 0 P IDLETIME 1000 <"$BATS_TEST_TMPDIR/p")" = OK ]
    idle=$(kvcli OBJECT IDLETIME idle)
    [ "$idle" -ge 1000 ] && [ "$idle" -le 1002 ]
    kvcli CONFIG SET maxmemory-policy allkeys-lfu >/dev/null
    [ "$(kvcli -X P RESTORE freq 0 P FREQ 100 <"$BATS_TEST_TMPDIR/p")" = OK ]
    [ "$(kvcli OBJECT FREQ freq)" = 100 ]
}

@test "RESTORE argument errors are Redis 7.0's, in Redis's order" {
    redis_start_as REDIS
    rport=$KVD_PORT
    kvd_start_as KVD
    kport=$KVD_PORT
    for p in "$rport" "$kport"; do redis-cli -p "$p" SET taken v >/dev/null; done
    dump_to "$rport" taken "$BATS_TEST_TMPDIR/p"
    cases=(
        "new abc"
        "new -1"
        "taken abc"
        "taken 0 badopt"
        "new 0 IDLETIME -1"
        "new 0 IDLETIME abc"
        "new 0 IDLETIME"
        "new 0 FREQ 256"
        "new 0 FREQ -1"
        "new 0 IDLETIME 1 FREQ 2"
        "new 0 FREQ 2 IDLETIME 1"
        "taken 0 IDLETIME -1"
        "taken 0"
    )
    for c in "${cases[@]}"; do
        read -r -a a <<<"$c"
        want=$(redis-cli -p "$rport" -X P RESTORE "${a[0]}" "${a[1]}" P "${a[@]:2}" \
            <"$BATS_TEST_TMPDIR/p" 2>&1)
        got=$(redis-cli -p "$kport" -X P RESTORE "${a[0]}" "${a[1]}" P "${a[@]:2}" \
            <"$BATS_TEST_TMPDIR/p" 2>&1)
        [ "$want" = "$got" ] || { echo "RESTORE $c: redis '$want' kvd '$got'"; false; }
    done
    # the payload is checked after the options, the key and the TTL
    for p in "$rport" "$kport"; do
        run redis-cli -p "$p" RESTORE new 0 garbage
        [ "$output" = "ERR DUMP payload version or checksum are wrong" ]
        run redis-cli -p "$p" RESTORE taken 0 garbage
        [ "$output" = "BUSYKEY Target key name already exists." ]
    done
}

@test "payloads with a bad version or checksum are refused" {
    kvd_start
    kvcli SET src hello >/dev/null
    dump_to "$KVD_PORT" src "$BATS_TEST_TMPDIR/p"
    size=$(stat -c %s "$BATS_TEST_TMPDIR/p")
    # a changed value byte, same CRC
    cp "$BATS_TEST_TMPDIR/p" "$BATS_TEST_TMPDIR/bad"
    printf 'j' | dd of="$BATS_TEST_TMPDIR/bad" bs=1 seek=2 conv=notrunc 2>/dev/null
    run kvcli -x RESTORE k 0 <"$BATS_TEST_TMPDIR/bad"
    [ "$output" = "ERR DUMP payload version or checksum are wrong" ]
    # RDB version 11 in the trailer
    cp "$BATS_TEST_TMPDIR/p" "$BATS_TEST_TMPDIR/bad"
    printf '\013' | dd of="$BATS_TEST_TMPDIR/bad" bs=1 seek=$((size - 10)) conv=notrunc 2>/dev/null
    run kvcli -x RESTORE k 0 <"$BATS_TEST_TMPDIR/bad"
    [ "$output" = "ERR DUMP payload version or checksum are wrong" ]
    # shorter than a trailer
    run kvcli RESTORE k 0 abc
    [ "$output" = "ERR DUMP payload version or checksum are wrong" ]
    [ "$(kvcli EXISTS k)" = 0 ]
}

@test "checksummed but malformed payloads get Bad data format, as in Redis" {
    redis_start_as REDIS
    rport=$KVD_PORT
    kvd_start_as KVD
    kport=$KVD_PORT
    # type byte 42, an empty set, a truncated listpack, duplicates, bad
    # intsets: each with a valid trailer. kvd always validates payloads
    # deeply, which Redis does with sanitize-dump-payload yes.
    redis-cli -p "$rport" CONFIG SET sanitize-dump-payload yes >/dev/null
    "$KV_PYTHON" - "$TOOL" "$BATS_TEST_TMPDIR" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("t", sys.argv[1]); t = importlib.util.module_from_spec(spec)
spec.loader.exec_module(t)
cases = {
    "badtype": t.payload(42, t.rdb_str("x"), 10),
    "emptyset": t.payload(2, t.rdb_len(0), 10),
    "shortlp": t.payload(16, t.rdb_str(b"\x20\x00\x00\x00\x02\x00\x81a"), 10),
    "dupset": t.payload(2, t.rdb_len(2) + t.rdb_str("a") + t.rdb_str("a"), 10),
    "duphash": t.payload(13, t.rdb_str(t.ziplist(["f", "1", "f", "2"])), 10),
    "emptyintset": t.payload(11, t.rdb_str(t.intset([], 2)), 10),
    "unsortedintset": t.payload(11, t.rdb_str(b"\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x01\x00"), 10),
}
for name, p in cases.items():
    open(sys.argv[2] + "/" + name, "wb").write(p)
EOF
    for c in badtype emptyset shortlp dupset duphash emptyintset unsortedintset; do
        want=$(redis-cli -p "$rport" -x RESTORE k 0 <"$BATS_TEST_TMPDIR/$c")
        got=$(redis-cli -p "$kport" -x RESTORE k 0 <"$BATS_TEST_TMPDIR/$c")
        [ "$got" = "ERR Bad data format" ] || { echo "$c: kvd '$got'"; false; }
        [ "$want" = "$got" ] || { echo "$c: redis '$want' kvd '$got'"; false; }
    done
    [ "$(redis-cli -p "$kport" EXISTS k)" = 0 ]
    [ "$(redis-cli -p "$kport" PING)" = PONG ]
}

@test "fuzzed payloads never crash the server and never restore garbage" {
    kvd_start
    tool populate "$KVD_PORT"
    tool legacy "$KVD_PORT"
    run tool fuzz-restore "$KVD_PORT" 3000 "$RANDOM"
    [ "$status" = 0 ] || { echo "$output"; false; }
    [[ "$output" == *"ERR Bad data format="* ]]
    [ "$(kvcli PING)" = PONG ]
}

@test "DUMP and RESTORE appear in the command table as in Redis" {
    kvd_start
    run kvcli COMMAND INFO dump restore
    [[ "$output" == *dump* ]]
    [[ "$output" == *restore* ]]
    run kvcli COMMAND GETKEYS RESTORE k 0 payload
    [ "$output" = k ]
    run kvcli RESTORE k
    [ "$output" = "ERR wrong number of arguments for 'restore' command" ]
    run kvcli DUMP
    [ "$output" = "ERR wrong number of arguments for 'dump' command" ]
}
