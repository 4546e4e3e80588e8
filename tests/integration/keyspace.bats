#!/usr/bin/env bats
# Generic key commands (kvd/keyspace.c): DEL UNLINK EXISTS TYPE RENAME
# RENAMENX KEYS SCAN RANDOMKEY TOUCH COPY MOVE SWAPDB DBSIZE FLUSHDB FLUSHALL
# OBJECT. Expected replies and error texts were taken from redis-server
# 7.0.15; run with KVD_SERVER=/usr/bin/redis-server to check the suite itself.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() { kvd_stop; }

# Exact reply bytes of one command (escaped), e.g. '-ERR syntax error\r\n'.
raw() { resp_cmd "$@"; }

# Fills db 0 with N keys "key:1".."key:N" through one pipelined client run.
fill_keys() {
    local n=$1 i
    for ((i = 1; i <= n; i++)); do printf 'SET key:%d %d\n' "$i" "$i"; done | kvcli >/dev/null
}

# Skips the test when the server does not know a command yet (another
# module's data type).
require_command() {
    local out
    out=$(resp_cmd COMMAND INFO "$1")
    # A known command has a non-empty info array; an unknown one is null.
    [[ "$out" == '*1\r\n*'[1-9]* ]] || skip "$1 not implemented"
}

# ---- DEL UNLINK EXISTS TOUCH ----

@test "DEL counts the keys it removed, missing and repeated ones excluded" {
    kvcli MSET a 1 b 2 c 3 >/dev/null
    run raw DEL a b missing a
    assert_output ':2\r\n'
    run kvcli EXISTS a b c
    assert_output 1
    run raw DEL missing
    assert_output ':0\r\n'
}

@test "UNLINK removes keys like DEL" {
    kvcli MSET a 1 b 2 >/dev/null
    run raw UNLINK a b z
    assert_output ':2\r\n'
    run kvcli DBSIZE
    assert_output 0
}

@test "DEL and EXISTS arity errors" {
    run raw DEL
    assert_output "-ERR wrong number of arguments for 'del' command\\r\\n"
    run raw EXISTS
    assert_output "-ERR wrong number of arguments for 'exists' command\\r\\n"
}

@test "EXISTS counts a key once per mention" {
    kvcli SET a 1 >/dev/null
    run raw EXISTS a a missing a
    assert_output ':3\r\n'
    run raw EXISTS missing
    assert_output ':0\r\n'
}

@test "TOUCH counts existing keys" {
    kvcli MSET a 1 b 2 >/dev/null
    run raw TOUCH a b c
    assert_output ':2\r\n'
}

@test "TOUCH resets the idle time, EXISTS and TYPE do not" {
    kvcli SET a 1 >/dev/null
    sleep 2.1
    kvcli EXISTS a >/dev/null
    kvcli TYPE a >/dev/null
    run kvcli OBJECT IDLETIME a
    [ "$output" -ge 2 ]
    kvcli TOUCH a >/dev/null
    run kvcli OBJECT IDLETIME a
    [ "$output" -le 1 ]
}

# ---- TYPE ----

@test "TYPE of every string encoding and of a missing key" {
    kvcli SET int 12345 >/dev/null
    kvcli SET emb hello >/dev/null
    kvcli SET raw "$(printf 'x%.0s' {1..100})" >/dev/null
    kvcli SET ex v EX 100 >/dev/null
    kvcli SETNX nx v >/dev/null
    kvcli SETEX sx 100 v >/dev/null
    kvcli PSETEX psx 100000 v >/dev/null
    kvcli MSET m1 a m2 b >/dev/null
    for k in int emb raw ex nx sx psx m1 m2; do
        run raw TYPE "$k"
        assert_output '+string\r\n'
    done
    run raw TYPE missing
    assert_output '+none\r\n'
}

@test "TYPE of the other data types" {
    kvcli LPUSH l a >/dev/null
    kvcli SADD s a >/dev/null
    kvcli ZADD z 1 a >/dev/null
    kvcli HSET h f v >/dev/null
    run kvcli TYPE l; assert_output list
    run kvcli TYPE s; assert_output set
    run kvcli TYPE z; assert_output zset
    run kvcli TYPE h; assert_output hash
}

@test "TYPE of a stream" {
    require_command xadd
    kvcli XADD x '*' f v >/dev/null
    run kvcli TYPE x; assert_output stream
}

# ---- RENAME RENAMENX ----

@test "RENAME moves the value and replaces the target" {
    kvcli MSET src hello dst old >/dev/null
    run raw RENAME src dst
    assert_output '+OK\r\n'
    run kvcli GET dst
    assert_output hello
    run kvcli EXISTS src
    assert_output 0
}

@test "RENAME of a missing key is an error; to itself is OK" {
    run raw RENAME nokey x
    assert_output '-ERR no such key\r\n'
    run raw RENAME nokey nokey
    assert_output '-ERR no such key\r\n'
    kvcli SET k v >/dev/null
    run raw RENAME k k
    assert_output '+OK\r\n'
    run kvcli GET k
    assert_output v
}

@test "RENAME keeps the source TTL and drops the target's" {
    kvcli SET src v EX 1000 >/dev/null
    kvcli SET dst w EX 50 >/dev/null
    kvcli RENAME src dst >/dev/null
    run kvcli TTL dst
    [ "$output" -gt 990 ] && [ "$output" -le 1000 ]
    kvcli SET plain v >/dev/null
    kvcli RENAME plain dst >/dev/null
    run kvcli TTL dst
    assert_output -1
}

@test "RENAME keeps every string encoding" {
    kvcli SET i 42 >/dev/null
    kvcli SET e short >/dev/null
    kvcli SET r "$(printf 'y%.0s' {1..60})" >/dev/null
    kvcli RENAME i i2 >/dev/null
    kvcli RENAME e e2 >/dev/null
    kvcli RENAME r r2 >/dev/null
    run kvcli OBJECT ENCODING i2; assert_output int
    run kvcli OBJECT ENCODING e2; assert_output embstr
    run kvcli OBJECT ENCODING r2; assert_output raw
    run kvcli GET i2; assert_output 42
    run kvcli GET e2; assert_output short
    run kvcli STRLEN r2; assert_output 60
}

@test "RENAMENX only when the target is free" {
    kvcli MSET a 1 b 2 >/dev/null
    run raw RENAMENX a b
    assert_output ':0\r\n'
    run raw RENAMENX a c
    assert_output ':1\r\n'
    run kvcli MGET a b c
    assert_output $'\n2\n1'
    run raw RENAMENX c c
    assert_output ':0\r\n'
    run raw RENAMENX nokey c
    assert_output '-ERR no such key\r\n'
}

@test "RENAME of an expired key is no such key" {
    kvcli SET k v PX 1 >/dev/null
    sleep 0.05
    run raw RENAME k k2
    assert_output '-ERR no such key\r\n'
}

# ---- KEYS ----

@test "KEYS with glob patterns" {
    kvcli MSET hello 1 hallo 2 hxllo 3 hllo 4 heeeello 5 'h*llo' 6 >/dev/null
    run bash -c "redis-cli -p $KVD_PORT KEYS 'h?llo' | sort"
    assert_output $'h*llo\nhallo\nhello\nhxllo'
    run bash -c "redis-cli -p $KVD_PORT KEYS 'h[ae]llo' | sort"
    assert_output $'hallo\nhello'
    run bash -c "redis-cli -p $KVD_PORT KEYS 'h[^e]llo' | sort"
    assert_output $'h*llo\nhallo\nhxllo'
    run bash -c "redis-cli -p $KVD_PORT KEYS 'h*llo' | sort"
    assert_output $'h*llo\nhallo\nheeeello\nhello\nhllo\nhxllo'
    run kvcli KEYS 'h\*llo'
    assert_output 'h*llo'
    run raw KEYS 'nomatch*'
    assert_output '*0\r\n'
    run bash -c "redis-cli -p $KVD_PORT KEYS '*' | wc -l"
    assert_output 6
}

@test "KEYS skips expired keys" {
    kvcli DEBUG SET-ACTIVE-EXPIRE 0 >/dev/null
    kvcli SET live 1 >/dev/null
    kvcli SET dead 1 PX 1 >/dev/null
    sleep 0.05
    run kvcli KEYS '*'
    assert_output live
    kvcli DEBUG SET-ACTIVE-EXPIRE 1 >/dev/null
}

@test "KEYS arity" {
    run raw KEYS
    assert_output "-ERR wrong number of arguments for 'keys' command\\r\\n"
    run raw KEYS a b
    assert_output "-ERR wrong number of arguments for 'keys' command\\r\\n"
}

# ---- SCAN ----

# Runs a full SCAN with extra args; prints every returned key, one a line.
# Fails if the scan does not end within 20000 calls.
scan_all() {
    local cursor=0 calls=0 out
    while :; do
        out=$(kvcli SCAN "$cursor" "$@") || return 1
        cursor=$(printf '%s\n' "$out" | head -1)
        printf '%s\n' "$out" | tail -n +2 | sed '/^$/d'
        calls=$((calls + 1))
        [ "$cursor" = 0 ] && return 0
        [ $calls -lt 20000 ] || return 1
    done
}

@test "SCAN returns every key of a 1000-key db" {
    fill_keys 1000
    run kvcli DBSIZE
    assert_output 1000
    scan_all COUNT 17 >"$BATS_TEST_TMPDIR/scan.out"
    sort -u "$BATS_TEST_TMPDIR/scan.out" >"$BATS_TEST_TMPDIR/got"
    for ((i = 1; i <= 1000; i++)); do echo "key:$i"; done | sort >"$BATS_TEST_TMPDIR/want"
    run diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
    assert_success
}

@test "SCAN with the default COUNT also covers everything" {
    fill_keys 300
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all | sort -u | wc -l"
    assert_output 300
}

@test "SCAN MATCH filters by pattern" {
    fill_keys 200
    kvcli MSET other:1 a other:2 b >/dev/null
    scan_all MATCH 'key:1?' COUNT 50 | sort -u >"$BATS_TEST_TMPDIR/got"
    run cat "$BATS_TEST_TMPDIR/got"
    assert_output "$(for i in 10 11 12 13 14 15 16 17 18 19; do echo "key:$i"; done)"
}

@test "SCAN TYPE filters by type, case-insensitively" {
    kvcli MSET s1 a s2 b >/dev/null
    kvcli LPUSH l1 a >/dev/null
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all TYPE string | sort"
    assert_output $'s1\ns2'
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all TYPE LIST"
    assert_output l1
    # Redis 7.0 accepts an unknown type name and returns nothing.
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all TYPE nosuchtype"
    assert_output ''
}

@test "SCAN TYPE string without other types" {
    kvcli MSET s1 a s2 b >/dev/null
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all TYPE STRING | sort"
    assert_output $'s1\ns2'
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all TYPE hash"
    assert_output ''
}

@test "SCAN skips and reclaims expired keys" {
    kvcli DEBUG SET-ACTIVE-EXPIRE 0 >/dev/null
    kvcli SET live 1 >/dev/null
    kvcli SET dead 1 PX 1 >/dev/null
    sleep 0.05
    run kvcli DBSIZE
    assert_output 2
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all"
    assert_output live
    run kvcli DBSIZE
    assert_output 1
}

@test "SCAN TYPE reclaims expired keys; TYPE none even returns them (Redis 7.0 quirk)" {
    kvcli DEBUG SET-ACTIVE-EXPIRE 0 >/dev/null
    kvcli SET dead1 v PX 1 >/dev/null
    kvcli SET dead2 v PX 1 >/dev/null
    kvcli SET live v >/dev/null
    sleep 0.05
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all TYPE none | sort"
    assert_output $'dead1\ndead2'
    run kvcli DBSIZE
    assert_output 1
    kvcli SET dead3 v PX 1 >/dev/null
    sleep 0.05
    run bash -c "$(declare -f scan_all kvcli); KVD_PORT=$KVD_PORT scan_all TYPE string"
    assert_output live
    run kvcli DBSIZE
    assert_output 1
}

@test "SCAN reply shape on an empty db" {
    run raw SCAN 0
    assert_output '*2\r\n$1\r\n0\r\n*0\r\n'
}

@test "SCAN cursor and option errors" {
    run raw SCAN abc
    assert_output '-ERR invalid cursor\r\n'
    run raw SCAN 18446744073709551616
    assert_output '-ERR invalid cursor\r\n'
    run raw SCAN ' 1'
    assert_output '-ERR invalid cursor\r\n'
    run raw SCAN 1x
    assert_output '-ERR invalid cursor\r\n'
    # A bad cursor is reported before bad options.
    run raw SCAN abc COUNT 0
    assert_output '-ERR invalid cursor\r\n'
    run raw SCAN 0 COUNT 0
    assert_output '-ERR syntax error\r\n'
    run raw SCAN 0 COUNT -1
    assert_output '-ERR syntax error\r\n'
    run raw SCAN 0 COUNT x
    assert_output '-ERR value is not an integer or out of range\r\n'
    run raw SCAN 0 COUNT 9223372036854775808
    assert_output '-ERR value is not an integer or out of range\r\n'
    run raw SCAN 0 MATCH
    assert_output '-ERR syntax error\r\n'
    run raw SCAN 0 TYPE
    assert_output '-ERR syntax error\r\n'
    run raw SCAN 0 FOO bar
    assert_output '-ERR syntax error\r\n'
    run raw SCAN
    assert_output "-ERR wrong number of arguments for 'scan' command\\r\\n"
}

@test "SCAN accepts the cursors strtoul accepts (Redis 7.0 quirk)" {
    run raw SCAN 18446744073709551615
    assert_output '*2\r\n$1\r\n0\r\n*0\r\n'
    run raw SCAN -1
    assert_output '*2\r\n$1\r\n0\r\n*0\r\n'
    run raw SCAN ''
    assert_output '*2\r\n$1\r\n0\r\n*0\r\n'
    run raw SCAN 0 COUNT 9223372036854775807
    assert_output '*2\r\n$1\r\n0\r\n*0\r\n'
}

@test "SCAN continues from a returned cursor" {
    fill_keys 100
    run kvcli SCAN 0 COUNT 5
    local cursor=${lines[0]}
    [ "$cursor" != 0 ]
    [ ${#lines[@]} -ge 6 ]
    run kvcli SCAN "$cursor" COUNT 5
    assert_success
    [ ${#lines[@]} -ge 2 ]
}

# ---- RANDOMKEY DBSIZE ----

@test "RANDOMKEY on an empty db is nil, otherwise an existing key" {
    run raw RANDOMKEY
    assert_output '$-1\r\n'
    kvcli MSET a 1 b 2 c 3 >/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        run kvcli RANDOMKEY
        [[ "$output" =~ ^[abc]$ ]]
    done
}

@test "RANDOMKEY eventually returns each key" {
    kvcli MSET a 1 b 2 c 3 >/dev/null
    run bash -c "for i in \$(seq 200); do echo RANDOMKEY; done | redis-cli -p $KVD_PORT | sort -u"
    assert_output $'a\nb\nc'
}

@test "RANDOMKEY never returns an expired key" {
    kvcli DEBUG SET-ACTIVE-EXPIRE 0 >/dev/null
    kvcli SET dead 1 PX 1 >/dev/null
    kvcli SET live 1 >/dev/null
    sleep 0.05
    for _ in 1 2 3 4 5 6 7 8; do
        run kvcli RANDOMKEY
        assert_output live
    done
}

@test "DBSIZE counts the keys of the selected db" {
    run raw DBSIZE
    assert_output ':0\r\n'
    kvcli MSET a 1 b 2 >/dev/null
    kvcli -n 3 SET c 1 >/dev/null
    run kvcli DBSIZE
    assert_output 2
    run kvcli -n 3 DBSIZE
    assert_output 1
}

# ---- COPY ----

@test "COPY duplicates a value and its TTL" {
    kvcli SET src hello EX 1000 >/dev/null
    run raw COPY src dst
    assert_output ':1\r\n'
    run kvcli GET dst
    assert_output hello
    run kvcli TTL dst
    [ "$output" -gt 990 ]
    # The copy is independent.
    kvcli APPEND dst '!' >/dev/null
    run kvcli GET src
    assert_output hello
}

@test "COPY refuses an existing target unless REPLACE" {
    kvcli MSET src a dst b >/dev/null
    run raw COPY src dst
    assert_output ':0\r\n'
    run kvcli GET dst
    assert_output b
    run raw COPY src dst REPLACE
    assert_output ':1\r\n'
    run kvcli GET dst
    assert_output a
    run raw COPY missing dst REPLACE
    assert_output ':0\r\n'
}

@test "COPY to another db" {
    kvcli SET src 42 >/dev/null
    run raw COPY src src DB 5
    assert_output ':1\r\n'
    run kvcli -n 5 GET src
    assert_output 42
    run kvcli -n 5 OBJECT ENCODING src
    assert_output int
    run raw COPY src src DB 5
    assert_output ':0\r\n'
    run raw COPY src other db 5 replace
    assert_output ':1\r\n'
}

@test "COPY errors" {
    run raw COPY a a
    assert_output '-ERR source and destination objects are the same\r\n'
    kvcli SET a 1 >/dev/null
    run raw COPY a a
    assert_output '-ERR source and destination objects are the same\r\n'
    run raw COPY a a DB 0
    assert_output '-ERR source and destination objects are the same\r\n'
    run raw COPY a b DB 16
    assert_output '-ERR DB index is out of range\r\n'
    run raw COPY a b DB -1
    assert_output '-ERR DB index is out of range\r\n'
    run raw COPY a b DB x
    assert_output '-ERR value is not an integer or out of range\r\n'
    run raw COPY a b DB 99999999999
    assert_output '-ERR value is out of range, value must between -2147483648 and 2147483647\r\n'
    run raw COPY a b foo
    assert_output '-ERR syntax error\r\n'
    run raw COPY a b REPLACE DB
    assert_output '-ERR syntax error\r\n'
    run raw COPY a
    assert_output "-ERR wrong number of arguments for 'copy' command\\r\\n"
}

# ---- MOVE ----

@test "MOVE moves a key with its TTL to another db" {
    kvcli SET k v EX 1000 >/dev/null
    run raw MOVE k 2
    assert_output ':1\r\n'
    run kvcli EXISTS k
    assert_output 0
    run kvcli -n 2 GET k
    assert_output v
    run kvcli -n 2 TTL k
    [ "$output" -gt 990 ]
}

@test "MOVE returns 0 for a missing key or an occupied target" {
    run raw MOVE nokey 1
    assert_output ':0\r\n'
    kvcli SET k here >/dev/null
    kvcli -n 1 SET k there >/dev/null
    run raw MOVE k 1
    assert_output ':0\r\n'
    run kvcli GET k
    assert_output here
    run kvcli -n 1 GET k
    assert_output there
}

@test "MOVE errors" {
    kvcli SET a 1 >/dev/null
    run raw MOVE a 0
    assert_output '-ERR source and destination objects are the same\r\n'
    run raw MOVE a 16
    assert_output '-ERR DB index is out of range\r\n'
    run raw MOVE a -1
    assert_output '-ERR DB index is out of range\r\n'
    run raw MOVE a x
    assert_output '-ERR value is not an integer or out of range\r\n'
    run raw MOVE a 99999999999
    assert_output '-ERR value is out of range, value must between -2147483648 and 2147483647\r\n'
}

# ---- SWAPDB ----

@test "SWAPDB exchanges two databases" {
    kvcli SET a zero >/dev/null
    kvcli -n 1 SET b one >/dev/null
    kvcli -n 1 SET c one EX 1000 >/dev/null
    run raw SWAPDB 0 1
    assert_output '+OK\r\n'
    run kvcli GET b
    assert_output one
    run kvcli TTL c
    [ "$output" -gt 990 ]
    run kvcli EXISTS a
    assert_output 0
    run kvcli -n 1 GET a
    assert_output zero
    run raw SWAPDB 0 0
    assert_output '+OK\r\n'
    run kvcli DBSIZE
    assert_output 2
}

@test "SWAPDB errors" {
    run raw SWAPDB x 1
    assert_output '-ERR invalid first DB index\r\n'
    run raw SWAPDB 1 x
    assert_output '-ERR invalid second DB index\r\n'
    run raw SWAPDB x y
    assert_output '-ERR invalid first DB index\r\n'
    run raw SWAPDB 16 1
    assert_output '-ERR DB index is out of range\r\n'
    run raw SWAPDB 1 16
    assert_output '-ERR DB index is out of range\r\n'
    run raw SWAPDB 99999999999 1
    assert_output '-ERR invalid first DB index\r\n'
    run raw SWAPDB 1 99999999999
    assert_output '-ERR invalid second DB index\r\n'
    run raw SWAPDB -1 1
    assert_output '-ERR DB index is out of range\r\n'
    run raw SWAPDB 1
    assert_output "-ERR wrong number of arguments for 'swapdb' command\\r\\n"
}

# ---- FLUSHDB FLUSHALL ----

@test "FLUSHDB empties only the selected db" {
    kvcli MSET a 1 b 2 >/dev/null
    kvcli -n 1 SET c 3 >/dev/null
    run raw FLUSHDB
    assert_output '+OK\r\n'
    run kvcli DBSIZE
    assert_output 0
    run kvcli -n 1 DBSIZE
    assert_output 1
    kvcli SET a 1 >/dev/null
    run raw FLUSHDB ASYNC
    assert_output '+OK\r\n'
    kvcli SET a 1 >/dev/null
    run raw FLUSHDB sync
    assert_output '+OK\r\n'
    run kvcli DBSIZE
    assert_output 0
}

@test "FLUSHALL empties every db" {
    kvcli SET a 1 >/dev/null
    kvcli -n 7 SET b 1 EX 100 >/dev/null
    run raw FLUSHALL
    assert_output '+OK\r\n'
    run kvcli -n 7 DBSIZE
    assert_output 0
    run kvcli DBSIZE
    assert_output 0
    kvcli SET a 1 >/dev/null
    run raw FLUSHALL ASYNC
    assert_output '+OK\r\n'
    run raw FLUSHALL SYNC
    assert_output '+OK\r\n'
    run kvcli EXISTS a
    assert_output 0
}

@test "FLUSHDB and FLUSHALL option errors" {
    run raw FLUSHDB foo
    assert_output '-ERR syntax error\r\n'
    run raw FLUSHDB async sync
    assert_output '-ERR syntax error\r\n'
    run raw FLUSHALL foo
    assert_output '-ERR syntax error\r\n'
    run raw FLUSHALL async x
    assert_output '-ERR syntax error\r\n'
}

@test "FLUSHALL counts the removed keys as changes (no save points)" {
    kvcli MSET a 1 b 2 c 3 >/dev/null
    local before after
    before=$(kvcli INFO persistence | tr -d '\r' | sed -n 's/^rdb_changes_since_last_save://p')
    [ -n "$before" ]
    kvcli FLUSHALL >/dev/null
    after=$(kvcli INFO persistence | tr -d '\r' | sed -n 's/^rdb_changes_since_last_save://p')
    [ "$after" -eq $((before + 3)) ]
}

# ---- OBJECT ----

@test "OBJECT ENCODING of strings" {
    kvcli SET i 12345 >/dev/null
    kvcli SET neg -7 >/dev/null
    kvcli SET e "$(printf 'a%.0s' {1..44})" >/dev/null
    kvcli SET r "$(printf 'a%.0s' {1..45})" >/dev/null
    run raw OBJECT ENCODING i
    assert_output '$3\r\nint\r\n'
    run kvcli OBJECT ENCODING neg
    assert_output int
    run kvcli OBJECT ENCODING e
    assert_output embstr
    run kvcli OBJECT ENCODING r
    assert_output raw
    run raw OBJECT ENCODING missing
    assert_output '$-1\r\n'
    run raw OBJECT encoding i
    assert_output '$3\r\nint\r\n'
}

@test "OBJECT REFCOUNT: shared small integers, 1 otherwise" {
    kvcli SET small 5 >/dev/null
    kvcli SET big 10000 >/dev/null
    kvcli SET str abc >/dev/null
    run raw OBJECT REFCOUNT small
    assert_output ':2147483647\r\n'
    run raw OBJECT REFCOUNT big
    assert_output ':1\r\n'
    run raw OBJECT REFCOUNT str
    assert_output ':1\r\n'
    run raw OBJECT REFCOUNT missing
    assert_output '$-1\r\n'
}

@test "OBJECT REFCOUNT is 1 for small integers under an LRU policy with maxmemory" {
    kvcli CONFIG SET maxmemory 1gb >/dev/null
    kvcli CONFIG SET maxmemory-policy allkeys-lru >/dev/null
    kvcli SET small 5 >/dev/null
    run raw OBJECT REFCOUNT small
    assert_output ':1\r\n'
}

@test "OBJECT IDLETIME grows while a key is not accessed" {
    kvcli SET k v >/dev/null
    # The LRU clock ticks in whole seconds: "just touched" reads 0 or 1.
    run raw OBJECT IDLETIME k
    assert_output --regexp '^:[01]\\r\\n$'
    sleep 2.1
    run kvcli OBJECT IDLETIME k
    [ "$output" -ge 2 ] && [ "$output" -le 4 ]
    # OBJECT itself does not touch the key.
    run kvcli OBJECT IDLETIME k
    [ "$output" -ge 2 ]
    kvcli GET k >/dev/null
    run kvcli OBJECT IDLETIME k
    [ "$output" -le 1 ]
    run raw OBJECT IDLETIME missing
    assert_output '$-1\r\n'
}

@test "OBJECT IDLETIME and FREQ depend on the LFU policy" {
    kvcli SET k v >/dev/null
    run raw OBJECT FREQ k
    assert_output '-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n'
    run raw OBJECT FREQ missing
    assert_output '$-1\r\n'
    kvcli CONFIG SET maxmemory-policy allkeys-lfu >/dev/null
    run raw OBJECT IDLETIME k
    assert_output '-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n'
    run kvcli OBJECT FREQ k
    [[ "$output" =~ ^[0-9]+$ ]] && [ "$output" -le 255 ]
    kvcli CONFIG SET maxmemory-policy volatile-lfu >/dev/null
    run raw OBJECT IDLETIME k
    assert_output --partial '-ERR An LFU maxmemory policy is selected'
}

@test "OBJECT HELP matches Redis" {
    run kvcli OBJECT HELP
    assert_output "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
ENCODING <key>
    Return the kind of internal representation used in order to store the value
    associated with a <key>.
FREQ <key>
    Return the access frequency index of the <key>. The returned integer is
    proportional to the logarithm of the recent access frequency of the key.
IDLETIME <key>
    Return the idle time of the <key>, that is the approximated number of
    seconds elapsed since the last access to the key.
REFCOUNT <key>
    Return the number of references of the value associated with the specified
    <key>.
HELP
    Prints this help."
    run bash -c "printf '*2\r\n\$6\r\nOBJECT\r\n\$4\r\nhelp\r\n' | python3 $KV_RESP_PY send --port $KVD_PORT --replies 1"
    assert_output --partial '*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n'
}

@test "OBJECT with an unknown subcommand or wrong arity" {
    run raw OBJECT foo k
    assert_output "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\\r\\n"
    run raw OBJECT ENCODING
    assert_output "-ERR wrong number of arguments for 'object|encoding' command\\r\\n"
}
