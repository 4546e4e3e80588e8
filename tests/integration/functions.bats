#!/usr/bin/env bats
# Functions: FUNCTION LOAD / FCALL / FCALL_RO, persistence in RDB files
# (FUNCTION2 opcodes) read and written in both directions with redis-server
# 7.0, FUNCTION DUMP / RESTORE payloads exchanged with redis-server 7.0, and
# FUNCTION KILL / STATS of a busy function from a second connection.
# Reply-by-reply comparisons are in tests/compat/scripts/functions.txt.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

LIB='#!lua name=mylib
redis.register_function("hello", function(keys, args) return "hello " .. args[1] end)
redis.register_function{function_name="getk", callback=function(keys) return redis.call("get", keys[1]) end, flags={"no-writes"}, description="reads a key"}'

redis_start_as() {
    local name=$1
    shift
    KVD_SERVER=/usr/bin/redis-server kvd_start_as "$name" "$@"
}

teardown() { kvd_stop; }

@test "FUNCTION LOAD then FCALL and FCALL_RO" {
    kvd_start
    run kvcli FUNCTION LOAD "$LIB"
    assert_output "mylib"
    run kvcli FCALL hello 0 world
    assert_output "hello world"
    kvcli SET k v >/dev/null
    run kvcli FCALL_RO getk 1 k
    assert_output "v"
    run kvcli FCALL_RO hello 0 x
    assert_output "ERR Can not execute a script with write flag using *_ro command."
    run kvcli INFO memory
    assert_line --regexp '^number_of_functions:2'
    assert_line --regexp '^number_of_libraries:1'
    run kvcli FUNCTION DELETE mylib
    assert_output "OK"
    run kvcli FCALL hello 0 x
    assert_output "ERR Function not found"
}

@test "functions survive a restart through the RDB file, and DEBUG RELOAD" {
    kvd_start
    kvcli FUNCTION LOAD "$LIB" >/dev/null
    kvcli DEBUG RELOAD >/dev/null
    run kvcli FCALL hello 0 again
    assert_output "hello again"
    kvcli SAVE >/dev/null
    kvd_restart
    run kvcli FCALL hello 0 restarted
    assert_output "hello restarted"
    run kvcli FUNCTION LIST
    assert_line "reads a key"
}

@test "redis-server 7.0 loads kvd's RDB with functions, and the reverse" {
    kvd_start_as KVD
    kdir=$KVD_DIR
    kvcli FUNCTION LOAD "$LIB" >/dev/null
    kvcli SET key value >/dev/null
    kvcli SAVE >/dev/null
    redis_start_as REDIS --dir "$kdir" --dbfilename dump.rdb
    run kvcli FCALL hello 0 from-kvd
    assert_output "hello from-kvd"
    run kvcli FUNCTION LOAD "#!lua name=rlib
redis.register_function('fromredis', function() return 'made by redis' end)"
    assert_output "rlib"
    kvcli SAVE >/dev/null
    # redis-server saved into kvd's directory (its --dir above).
    kvd_start_as KVD2 --dir "$kdir" --dbfilename dump.rdb
    run kvcli FCALL fromredis 0
    assert_output "made by redis"
    run kvcli FCALL hello 0 back
    assert_output "hello back"
}

@test "FUNCTION DUMP payloads are identical to redis-server's and restore both ways" {
    redis_start_as REDIS
    rport=$KVD_PORT
    kvd_start_as KVD
    kport=$KVD_PORT
    for p in "$rport" "$kport"; do redis-cli -p "$p" FUNCTION LOAD "$LIB" >/dev/null; done
    KPORT=$kport RPORT=$rport "$KV_PYTHON" - <<'PY'
import os, redis, sys
k = redis.Redis(port=int(os.environ["KPORT"]))
r = redis.Redis(port=int(os.environ["RPORT"]))
kd, rd = k.function_dump(), r.function_dump()
if kd != rd:
    sys.exit("payloads differ:\n%r\n%r" % (kd, rd))
for src, dst in ((k, r), (r, k)):
    payload = src.function_dump()
    try:
        dst.function_restore(payload)
        sys.exit("APPEND over an existing library must fail")
    except redis.ResponseError as e:
        if "already exists" not in str(e):
            sys.exit("append error: %s" % e)
    dst.function_flush()
    if dst.function_restore(payload) is not True:
        sys.exit("restore")
    if dst.fcall("hello", 0, "x") != b"hello x":
        sys.exit("fcall after restore")
    if dst.function_restore(payload, "REPLACE") is not True:
        sys.exit("replace")
try:
    k.function_restore(b"garbage")
    sys.exit("garbage accepted")
except redis.ResponseError as e:
    if str(e) != "DUMP payload version or checksum are wrong":
        sys.exit("garbage error: %s" % e)
PY
}

@test "FUNCTION KILL stops a busy function; STATS names it" {
    kvd_start
    kvcli CONFIG SET busy-reply-threshold 100 >/dev/null
    kvcli FUNCTION LOAD "#!lua name=spin
redis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}" >/dev/null
    pyrun <<'PY'
a = connect()
b = connect()
a.send("FCALL", "spin", 0)
deadline = time.time() + 10
while True:
    r = b.call("GET", "x")
    if isinstance(r, Error):
        break
    if time.time() > deadline:
        fail("never busy")
    time.sleep(0.05)
if r != "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.":
    fail("busy: %r" % r)
stats = b.call("FUNCTION", "STATS")
if stats[1][:2] != [b"name", b"spin"] or stats[1][3] != [b"FCALL", b"spin", b"0"]:
    fail("stats: %r" % stats)
r = b.call("SCRIPT", "KILL")
if not r.startswith("BUSY") or "FUNCTION KILL" not in r:
    fail("script kill on a function: %r" % r)
if b.call("FUNCTION", "KILL") != b"OK":
    fail("kill")
r = a.read(timeout=10)
if not (isinstance(r, Error) and "Script killed by user" in r):
    fail("killed reply: %r" % r)
if a.call("PING") != b"PONG":
    fail("after kill")
PY
}
