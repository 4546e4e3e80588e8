#!/usr/bin/env bats
# Set commands (kvd/t_set.c): SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD
# SPOP SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE
# SDIFF SDIFFSTORE SSCAN; the intset -> hashtable conversion on a
# non-integer member and past set-max-intset-entries; errors; RESP3 shapes;
# large sets; and a random-operation run against a model.
#
# Expected replies were taken from redis-server 7.0.15, and the suite passes
# against it too:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/set.bats
#
# One server for the whole file; every test starts from FLUSHALL and the
# default set-max-intset-entries.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    kvcli FLUSHALL >/dev/null
    kvcli CONFIG SET set-max-intset-entries 512 >/dev/null
}



@test "SADD SCARD SISMEMBER SMISMEMBER SMEMBERS basics" {
    check <<'EOF'
SADD s 3 1 2 => :3\r\n
SADD s 2 3 4 => :1\r\n
SADD s 4 4 4 => :0\r\n
SCARD s => :4\r\n
SCARD nokey => :0\r\n
SISMEMBER s 2 => :1\r\n
SISMEMBER s 5 => :0\r\n
SISMEMBER s 02 => :0\r\n
SISMEMBER nokey a => :0\r\n
SMISMEMBER s 1 9 4 x => *4\r\n:1\r\n:0\r\n:1\r\n:0\r\n
SMISMEMBER nokey a b => *2\r\n:0\r\n:0\r\n
SMEMBERS s => *4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n
SMEMBERS nokey => *0\r\n
TYPE s => +set\r\n
SADD b "a\x00b" "" => :2\r\n
SISMEMBER b "a\x00b" => :1\r\n
SISMEMBER b "" => :1\r\n
SISMEMBER b a => :0\r\n
EOF
}

@test "an intset lists its members sorted, across encoding upgrades" {
    check <<'EOF'
SADD s 5 -3 70000 -1 -9223372036854775808 0 32767 -32768 9223372036854775807 => :9\r\n
OBJECT ENCODING s => $6\r\nintset\r\n
SMEMBERS s => *9\r\n$20\r\n-9223372036854775808\r\n$6\r\n-32768\r\n$2\r\n-3\r\n$2\r\n-1\r\n$1\r\n0\r\n$1\r\n5\r\n$5\r\n32767\r\n$5\r\n70000\r\n$19\r\n9223372036854775807\r\n
SSCAN s 0 => *2\r\n$1\r\n0\r\n*9\r\n$20\r\n-9223372036854775808\r\n$6\r\n-32768\r\n$2\r\n-3\r\n$2\r\n-1\r\n$1\r\n0\r\n$1\r\n5\r\n$5\r\n32767\r\n$5\r\n70000\r\n$19\r\n9223372036854775807\r\n
SREM s 70000 9223372036854775807 -9223372036854775808 => :3\r\n
OBJECT ENCODING s => $6\r\nintset\r\n
SMEMBERS s => *6\r\n$6\r\n-32768\r\n$2\r\n-3\r\n$2\r\n-1\r\n$1\r\n0\r\n$1\r\n5\r\n$5\r\n32767\r\n
EOF
}

@test "a non-integer member converts an intset to a hashtable" {
    check <<'EOF'
SADD s 1 2 3 => :3\r\n
OBJECT ENCODING s => $6\r\nintset\r\n
SADD s hello => :1\r\n
OBJECT ENCODING s => $9\r\nhashtable\r\n
SCARD s => :4\r\n
SISMEMBER s 2 => :1\r\n
SISMEMBER s hello => :1\r\n
SREM s hello => :1\r\n
OBJECT ENCODING s => $9\r\nhashtable\r\n
SADD n1 01 => :1\r\n
OBJECT ENCODING n1 => $9\r\nhashtable\r\n
SADD n2 -0 => :1\r\n
OBJECT ENCODING n2 => $9\r\nhashtable\r\n
SADD n3 9223372036854775808 => :1\r\n
OBJECT ENCODING n3 => $9\r\nhashtable\r\n
SADD n4 " 7" => :1\r\n
OBJECT ENCODING n4 => $9\r\nhashtable\r\n
SADD n5 -9223372036854775808 => :1\r\n
OBJECT ENCODING n5 => $6\r\nintset\r\n
EOF
    run pyrun <<'EOF'
got = sorted(call("SMEMBERS", "s"))
if got != [b"1", b"2", b"3"]:
    fail("members after conversion: %r" % got)
EOF
    assert_success
}

@test "set-max-intset-entries: conversion when the intset grows past it" {
    check <<'EOF'
CONFIG SET set-max-intset-entries 3 => +OK\r\n
SADD s 1 2 3 => :3\r\n
OBJECT ENCODING s => $6\r\nintset\r\n
SADD s 3 => :0\r\n
OBJECT ENCODING s => $6\r\nintset\r\n
SADD s 4 => :1\r\n
OBJECT ENCODING s => $9\r\nhashtable\r\n
SREM s 4 3 => :2\r\n
OBJECT ENCODING s => $9\r\nhashtable\r\n
SADD big 1 2 3 4 5 6 => :6\r\n
OBJECT ENCODING big => $9\r\nhashtable\r\n
CONFIG SET set-max-intset-entries 0 => +OK\r\n
SADD z 1 => :1\r\n
OBJECT ENCODING z => $9\r\nhashtable\r\n
CONFIG SET set-max-intset-entries 2 => +OK\r\n
SUNIONSTORE u big => :6\r\n
OBJECT ENCODING u => $9\r\nhashtable\r\n
SINTERSTORE i big big => :6\r\n
OBJECT ENCODING i => $9\r\nhashtable\r\n
EOF
    # the default limit, 512
    kvcli CONFIG SET set-max-intset-entries 512 >/dev/null
    run pyrun <<'EOF'
call("SADD", "d", *range(512))
if call("OBJECT", "ENCODING", "d") != b"intset":
    fail("512 integers should stay an intset")
if call("SADD", "d", 512) != 1 or call("OBJECT", "ENCODING", "d") != b"hashtable":
    fail("the 513th integer should convert")
if call("SCARD", "d") != 513:
    fail("scard")
EOF
    assert_success
}

@test "SREM removes members and deletes the emptied key" {
    check <<'EOF'
SADD s a b 1 => :3\r\n
SREM s a x => :1\r\n
SREM nokey a => :0\r\n
SREM s b 1 b => :2\r\n
EXISTS s => :0\r\n
SADD i 1 2 => :2\r\n
SREM i 1 2 3 => :2\r\n
EXISTS i => :0\r\n
EOF
}

@test "SMOVE between sets, to a new key, same key, wrong types" {
    check <<'EOF'
SADD src 1 2 a => :3\r\n
SADD dst 3 => :1\r\n
SMOVE src dst 1 => :1\r\n
SMEMBERS dst => *2\r\n$1\r\n1\r\n$1\r\n3\r\n
SMOVE src dst a => :1\r\n
OBJECT ENCODING dst => $9\r\nhashtable\r\n
SMOVE src dst nothere => :0\r\n
SMOVE src fresh 2 => :1\r\n
EXISTS src => :0\r\n
OBJECT ENCODING fresh => $6\r\nintset\r\n
SMOVE nokey dst 3 => :0\r\n
SADD same x => :1\r\n
SMOVE same same x => :1\r\n
SMOVE same same y => :0\r\n
SCARD same => :1\r\n
SADD a 5 => :1\r\n
SADD b 5 => :1\r\n
SMOVE a b 5 => :1\r\n
EXISTS a => :0\r\n
SCARD b => :1\r\n
SET str v => +OK\r\n
SMOVE nokey str a => :0\r\n
SMOVE str b a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
SMOVE b str 5 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
SCARD b => :1\r\n
EOF
}

@test "SINTER SUNION SDIFF and their STORE forms" {
    check <<'EOF'
SADD i1 5 3 1 9 7 => :5\r\n
SADD i2 3 4 5 6 7 => :5\r\n
SADD i3 7 5 100 => :3\r\n
SINTER i1 i2 => *3\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n7\r\n
SINTER i1 i2 i3 => *2\r\n$1\r\n5\r\n$1\r\n7\r\n
SINTER i1 nokey => *0\r\n
SUNION i1 i2 => *7\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n
SUNION nokey => *0\r\n
SDIFF i1 i2 => *2\r\n$1\r\n1\r\n$1\r\n9\r\n
SDIFF i1 i2 i3 => *2\r\n$1\r\n1\r\n$1\r\n9\r\n
SDIFF i1 i1 => *0\r\n
SDIFF nokey i1 => *0\r\n
SINTERSTORE out i1 i2 => :3\r\n
SMEMBERS out => *3\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n7\r\n
SUNIONSTORE out i1 i3 => :6\r\n
SDIFFSTORE out i1 i2 => :2\r\n
SMEMBERS out => *2\r\n$1\r\n1\r\n$1\r\n9\r\n
SINTERSTORE out i1 nokey => :0\r\n
EXISTS out => :0\r\n
SUNIONSTORE out nokey => :0\r\n
SDIFFSTORE out i1 i1 => :0\r\n
SET str v => +OK\r\n
SUNIONSTORE str i3 => :3\r\n
TYPE str => +set\r\n
SADD acc 1 => :1\r\n
EXPIRE acc 1000 => :1\r\n
SUNIONSTORE acc acc i3 => :4\r\n
TTL acc => :-1\r\n
SMEMBERS acc => *4\r\n$1\r\n1\r\n$1\r\n5\r\n$1\r\n7\r\n$3\r\n100\r\n
EOF
    run pyrun <<'EOF'
call("SADD", "h1", "a", "b", "c", 1, 2)
call("SADD", "h2", "b", "c", "d", 2, 3)
if sorted(call("SINTER", "h1", "h2")) != [b"2", b"b", b"c"]:
    fail("sinter")
if sorted(call("SUNION", "h1", "h2")) != sorted([b"a", b"b", b"c", b"d", b"1", b"2", b"3"]):
    fail("sunion")
if sorted(call("SDIFF", "h1", "h2")) != [b"1", b"a"]:
    fail("sdiff")
# a result of integers only is built (and stored) as an intset
if call("SINTERSTORE", "o", "h1", "i1") != 1 or call("OBJECT", "ENCODING", "o") != b"intset":
    fail("sinterstore encoding")
call("SREM", "h1", "a", "b", "c")
if call("SUNION", "h1", "i3") != [b"1", b"2", b"5", b"7", b"100"]:
    fail("sunion of integer hashtable not sorted: %r" % call("SUNION", "h1", "i3"))
EOF
    assert_success
}

@test "SINTERCARD counts with LIMIT, and its errors" {
    check <<'EOF'
SADD a 1 2 3 4 => :4\r\n
SADD b 2 3 4 5 x => :5\r\n
SINTERCARD 2 a b => :3\r\n
SINTERCARD 1 a => :4\r\n
SINTERCARD 2 a nokey => :0\r\n
SINTERCARD 2 a b LIMIT 2 => :2\r\n
SINTERCARD 2 a b LIMIT 0 => :3\r\n
SINTERCARD 2 a b limit 10 => :3\r\n
SINTERCARD 0 a => -ERR numkeys should be greater than 0\r\n
SINTERCARD -1 a => -ERR numkeys should be greater than 0\r\n
SINTERCARD x a => -ERR numkeys should be greater than 0\r\n
SINTERCARD 3 a b => -ERR Number of keys can't be greater than number of args\r\n
SINTERCARD 1 a LIMIT -1 => -ERR LIMIT can't be negative\r\n
SINTERCARD 1 a LIMIT x => -ERR LIMIT can't be negative\r\n
SINTERCARD 1 a LIMIT => -ERR syntax error\r\n
SINTERCARD 1 a b => -ERR syntax error\r\n
SET str v => +OK\r\n
SINTERCARD 2 nokey str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
COMMAND GETKEYS SINTERCARD 2 a b LIMIT 1 => *2\r\n$1\r\na\r\n$1\r\nb\r\n
COMMAND GETKEYS SINTERCARD 3 a b => -ERR Invalid arguments specified for command\r\n
EOF
}

@test "SPOP: single, with count, count >= size, errors" {
    check <<'EOF'
SPOP nokey => $-1\r\n
SPOP nokey 3 => *0\r\n
SADD one x => :1\r\n
SPOP one => $1\r\nx\r\n
EXISTS one => :0\r\n
SADD p 3 1 2 => :3\r\n
SPOP p 0 => *0\r\n
SPOP p 10 => *3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n
EXISTS p => :0\r\n
SADD p 1 => :1\r\n
SPOP p -1 => -ERR value is out of range, must be positive\r\n
SPOP p x => -ERR value is out of range, must be positive\r\n
SPOP p 1 2 => -ERR syntax error\r\n
EOF
    run pyrun <<'EOF'
full = set(str(i).encode() for i in range(100)) | {b"m%d" % i for i in range(100)}
call("SADD", "s", *sorted(full))
left = set(full)
for count in (1, 3, 20, 50):
    got = call("SPOP", "s", count)
    if len(got) != count or len(set(got)) != count or not set(got) <= left:
        fail("spop %d gave %r" % (count, got))
    left -= set(got)
    if set(call("SMEMBERS", "s")) != left:
        fail("members after spop %d" % count)
# a large count (most of the set) takes the rebuild path
got = call("SPOP", "s", len(left) - 2)
left -= set(got)
if len(got) != 124 or set(call("SMEMBERS", "s")) != left or call("SCARD", "s") != 2:
    fail("spop most: %d popped, %r left" % (len(got), left))
one = call("SPOP", "s")
if one not in left:
    fail("spop one")
EOF
    assert_success
    # popping most of a hashtable of integers leaves an intset, as in Redis
    run pyrun <<'EOF'
call("SADD", "h", "a", *range(1, 10))
call("SREM", "h", "a")
call("SPOP", "h", 8)
if call("OBJECT", "ENCODING", "h") != b"intset" or call("SCARD", "h") != 1:
    fail("encoding after spop 8 of 9: %r" % call("OBJECT", "ENCODING", "h"))
EOF
    assert_success
}

@test "SRANDMEMBER: distinct, repeating, whole set, errors" {
    check <<'EOF'
SRANDMEMBER nokey => $-1\r\n
SRANDMEMBER nokey 5 => *0\r\n
SRANDMEMBER nokey -5 => *0\r\n
SADD one x => :1\r\n
SRANDMEMBER one -3 => *3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n
SRANDMEMBER one 0 => *0\r\n
SADD s 3 1 2 => :3\r\n
SRANDMEMBER s 5 => *3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n
SRANDMEMBER s -9223372036854775808 => -ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n
SRANDMEMBER s 9223372036854775808 => -ERR value is not an integer or out of range\r\n
SRANDMEMBER s x => -ERR value is not an integer or out of range\r\n
SRANDMEMBER s 1 2 => -ERR syntax error\r\n
EOF
    run pyrun <<'EOF'
for members in ([str(i).encode() for i in range(300)], [b"m%d" % i for i in range(300)]):
    key = "r" + members[0].decode()
    call("SADD", key, *members)
    full = set(members)
    for count in (1, 2, 10, 99, 100, 101, 150, 299):
        got = call("SRANDMEMBER", key, count)
        if len(got) != count or len(set(got)) != count or not set(got) <= full:
            fail("srandmember %d: %d results" % (count, len(got)))
    got = call("SRANDMEMBER", key, -1000)
    if len(got) != 1000 or not set(got) <= full:
        fail("negative count")
    if len(set(got)) < 200:
        fail("negative count looks far from random: %d distinct" % len(set(got)))
    one = call("SRANDMEMBER", key)
    if one not in full:
        fail("single")
    if call("SCARD", key) != 300:
        fail("srandmember changed the set")
EOF
    assert_success
}

@test "SSCAN: intsets in one call, hashtables by cursor, MATCH and errors" {
    check <<'EOF'
SADD i 10 2 33 => :3\r\n
SSCAN i 0 => *2\r\n$1\r\n0\r\n*3\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n33\r\n
SSCAN i 0 COUNT 1 => *2\r\n$1\r\n0\r\n*3\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n33\r\n
SSCAN i 0 MATCH 3* => *2\r\n$1\r\n0\r\n*1\r\n$2\r\n33\r\n
SSCAN nokey 0 => *2\r\n$1\r\n0\r\n*0\r\n
SSCAN i x => -ERR invalid cursor\r\n
SSCAN i 0 COUNT 0 => -ERR syntax error\r\n
SSCAN i 0 COUNT x => -ERR value is not an integer or out of range\r\n
SSCAN i 0 MATCH => -ERR syntax error\r\n
SSCAN i 0 TYPE set => -ERR syntax error\r\n
SET str v => +OK\r\n
SSCAN str 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
SSCAN str x => -ERR invalid cursor\r\n
EOF
    run pyrun <<'EOF'
members = {b"member:%d" % i for i in range(1000)}
call("SADD", "h", *sorted(members))
seen, cursor, calls = set(), b"0", 0
while True:
    cursor, batch = call("SSCAN", "h", cursor, "COUNT", 50)
    seen |= set(batch)
    calls += 1
    if cursor == b"0" or calls > 1000:
        break
if seen != members:
    fail("sscan saw %d of 1000" % len(seen))
if calls < 5:
    fail("sscan of 1000 members with COUNT 50 took only %d calls" % calls)
seen, cursor = set(), b"0"
while True:
    cursor, batch = call("SSCAN", "h", cursor, "MATCH", "member:1??")
    seen |= set(batch)
    if cursor == b"0":
        break
if seen != {b"member:%d" % i for i in range(100, 200)}:
    fail("match")
EOF
    assert_success
}

@test "WRONGTYPE from every set command on a string key" {
    kvcli SET str v >/dev/null
    local cmd
    for cmd in "SADD str a" "SREM str a" "SISMEMBER str a" "SMISMEMBER str a" "SCARD str" \
        "SMEMBERS str" "SPOP str" "SPOP str 2" "SRANDMEMBER str" "SRANDMEMBER str 2" \
        "SINTER str" "SINTER nokey str" "SUNION str" "SDIFF nokey str" "SINTERSTORE d str" \
        "SUNIONSTORE d str" "SDIFFSTORE d str" "SINTERCARD 1 str" "SSCAN str 0"; do
        # shellcheck disable=SC2086
        run resp_cmd $cmd
        assert_output '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n'
    done
    run kvcli GET str
    assert_output v
}

@test "wrong number of arguments" {
    check <<'EOF'
SADD s => -ERR wrong number of arguments for 'sadd' command\r\n
SREM s => -ERR wrong number of arguments for 'srem' command\r\n
SMEMBERS => -ERR wrong number of arguments for 'smembers' command\r\n
SMEMBERS a b => -ERR wrong number of arguments for 'smembers' command\r\n
SISMEMBER s => -ERR wrong number of arguments for 'sismember' command\r\n
SMISMEMBER s => -ERR wrong number of arguments for 'smismember' command\r\n
SCARD => -ERR wrong number of arguments for 'scard' command\r\n
SPOP => -ERR wrong number of arguments for 'spop' command\r\n
SRANDMEMBER => -ERR wrong number of arguments for 'srandmember' command\r\n
SMOVE a b => -ERR wrong number of arguments for 'smove' command\r\n
SINTER => -ERR wrong number of arguments for 'sinter' command\r\n
SINTERSTORE d => -ERR wrong number of arguments for 'sinterstore' command\r\n
SINTERCARD 1 => -ERR wrong number of arguments for 'sintercard' command\r\n
SUNION => -ERR wrong number of arguments for 'sunion' command\r\n
SDIFFSTORE d => -ERR wrong number of arguments for 'sdiffstore' command\r\n
SSCAN s => -ERR wrong number of arguments for 'sscan' command\r\n
EOF
}

@test "RESP3 reply shapes" {
    check <<'EOF'
SADD s 1 2 => :2\r\n
@hello3
SMEMBERS s => ~2\r\n$1\r\n1\r\n$1\r\n2\r\n
SMEMBERS nokey => ~0\r\n
SINTER s nokey => ~0\r\n
SUNION s => ~2\r\n$1\r\n1\r\n$1\r\n2\r\n
SDIFF s nokey => ~2\r\n$1\r\n1\r\n$1\r\n2\r\n
SPOP nokey 1 => ~0\r\n
SPOP nokey => _\r\n
SRANDMEMBER s 5 => *2\r\n$1\r\n1\r\n$1\r\n2\r\n
SRANDMEMBER nokey 5 => *0\r\n
SMISMEMBER s 1 3 => *2\r\n:1\r\n:0\r\n
SSCAN nokey 0 => *2\r\n$1\r\n0\r\n*0\r\n
EOF
}

@test "COPY, RENAME, DEBUG DIGEST-VALUE and MEMORY USAGE on sets" {
    check <<'EOF'
SADD a 1 2 3 => :3\r\n
SADD h 1 2 3 x => :4\r\n
SREM h x => :1\r\n
COPY a a2 => :1\r\n
SMEMBERS a2 => *3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n
OBJECT ENCODING a2 => $6\r\nintset\r\n
COPY h h2 => :1\r\n
OBJECT ENCODING h2 => $9\r\nhashtable\r\n
SCARD h2 => :3\r\n
RENAME h2 h3 => +OK\r\n
SISMEMBER h3 2 => :1\r\n
EOF
    # the digest of a set does not depend on its encoding
    run pyrun <<'EOF'
d1 = call("DEBUG", "DIGEST-VALUE", "a")
d2 = call("DEBUG", "DIGEST-VALUE", "h")
if d1 != d2 or d1[0] == b"0" * 40:
    fail("digests %r %r" % (d1, d2))
call("SADD", "h", 4)
if call("DEBUG", "DIGEST-VALUE", "h") == d1:
    fail("digest did not change")
for key in ("a", "h"):
    used = call("MEMORY", "USAGE", key)
    if not isinstance(used, int) or used < 16 or used > 4096:
        fail("memory usage of %s: %r" % (key, used))
EOF
    assert_success
}

@test "large sets: 100k members, conversions, pops" {
    run pyrun <<'EOF'
members = [b"%d" % i for i in range(100000)]
for i in range(0, len(members), 1000):
    call("SADD", "big", *members[i:i + 1000])
if call("SCARD", "big") != 100000 or call("OBJECT", "ENCODING", "big") != b"hashtable":
    fail("big set")
if call("SISMEMBER", "big", 99999) != 1 or call("SISMEMBER", "big", 100000) != 0:
    fail("membership")
call("SADD", "other", *members[50000:50100], "x")
if call("SINTERCARD", 2, "big", "other") != 100:
    fail("sintercard")
if call("SINTERCARD", 2, "big", "other", "LIMIT", 7) != 7:
    fail("sintercard limit")
got = call("SPOP", "big", 99990)
if len(got) != 99990 or call("SCARD", "big") != 10:
    fail("spop most")
if call("OBJECT", "ENCODING", "big") != b"intset":
    fail("the rebuilt remainder should be an intset")
rest = call("SMEMBERS", "big")
if rest != sorted(rest, key=int) or set(rest) & set(got):
    fail("remainder")
EOF
    assert_success
}

@test "random operations agree with a model" {
    run pyrun <<'EOF'
rng = random.Random(7)
pool = [str(i).encode() for i in range(-20, 40)] + [b"m%d" % i for i in range(30)] + \
       [b"01", b"-0", b"9223372036854775807", b"-9223372036854775808", b""]
keys = ["k%d" % i for i in range(4)]
model = {k: set() for k in keys}
for step in range(4000):
    k = rng.choice(keys)
    op = rng.random()
    if op < 0.4:
        ms = [rng.choice(pool) for _ in range(rng.randint(1, 5))]
        want = len(set(ms) - model[k])
        got = call("SADD", k, *ms)
        model[k] |= set(ms)
    elif op < 0.6:
        ms = [rng.choice(pool) for _ in range(rng.randint(1, 4))]
        want = len(set(ms) & model[k])
        got = call("SREM", k, *ms)
        model[k] -= set(ms)
    elif op < 0.7:
        d, m = rng.choice(keys), rng.choice(pool)
        want = 1 if m in model[k] else 0
        got = call("SMOVE", k, d, m)
        if want and d != k:
            model[k].discard(m)
            model[d].add(m)
    elif op < 0.78:
        n = rng.randint(0, 5)
        got = call("SPOP", k, n)
        want = min(n, len(model[k]))
        if not set(got) <= model[k] or len(got) != want:
            fail("step %d: spop %r from %r" % (step, got, model[k]))
        model[k] -= set(got)
        got = want
    elif op < 0.86:
        a, b = rng.choice(keys), rng.choice(keys)
        name = rng.choice(["SINTER", "SUNION", "SDIFF"])
        got = sorted(call(name, a, b))
        want = sorted({"SINTER": model[a] & model[b], "SUNION": model[a] | model[b],
                       "SDIFF": model[a] - model[b]}[name])
        if got != want:
            fail("step %d: %s %s %s gave %r, want %r" % (step, name, a, b, got, want))
        kind = rng.choice(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"])
        d = rng.choice(keys)
        res = {"SINTERSTORE": model[a] & model[b], "SUNIONSTORE": model[a] | model[b],
               "SDIFFSTORE": model[a] - model[b]}[kind]
        got = call(kind, d, a, b)
        want = len(res)
        model[d] = set(res)
    else:
        m = rng.choice(pool)
        got = call("SISMEMBER", k, m)
        want = 1 if m in model[k] else 0
    if got != want:
        fail("step %d: got %r want %r" % (step, got, want))
    if step % 100 == 0:
        for key in keys:
            if set(call("SMEMBERS", key)) != model[key] or call("SCARD", key) != len(model[key]):
                fail("step %d: %s differs" % (step, key))
            if call("EXISTS", key) != (1 if model[key] else 0):
                fail("step %d: %s existence" % (step, key))
            if model[key]:
                enc = call("OBJECT", "ENCODING", key)
                if enc not in (b"intset", b"hashtable"):
                    fail("encoding %r" % enc)
EOF
    assert_success
}

@test "huge counts: SRANDMEMBER/SPOP/SINTERCARD answer at once or with Redis's range error" {
    kvcli SADD s a b c >/dev/null
    kvcli SADD si 1 2 3 >/dev/null
    run resp_cmd SRANDMEMBER s -9223372036854775808
    assert_output "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
    run kvcli SRANDMEMBER si 9223372036854775807
    assert_output $'1\n2\n3'
    run resp_cmd SPOP si -1
    assert_output "-ERR value is out of range, must be positive\r\n"
    run kvcli SINTERCARD 1 si LIMIT 9223372036854775807
    assert_output 3
    run kvcli SPOP s 9223372036854775807
    assert_line -n 0 --regexp '^[abc]$'
    [ "${#lines[@]}" = 3 ]
    run kvcli EXISTS s
    assert_output 0
}
