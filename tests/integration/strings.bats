#!/usr/bin/env bats
# String commands (kvd/t_string.c): GET SET (every option and error) SETNX
# SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX APPEND STRLEN GETRANGE
# SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT LCS, their encodings,
# TTL handling and size limits.
#
# Replies are compared as exact RESP bytes. The expected values were taken
# from redis-server 7.0.15, and the suite passes against it:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/strings.bats
#
# One server for the whole file; every test starts from FLUSHALL.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() { kvcli FLUSHALL >/dev/null; }


# ttl_between KEY LO HI: the TTL of KEY (seconds) is within [LO, HI].
ttl_between() {
    local t
    t=$(kvcli TTL "$1")
    if [ "$t" -lt "$2" ] || [ "$t" -gt "$3" ]; then
        echo "TTL $1 = $t, expected $2..$3" >&2
        return 1
    fi
}

# key_gone KEY: true when KEY does not exist.
key_gone() { [ "$(kvcli EXISTS "$1")" = 0 ]; }

# ---------------------------------------------------------------- GET / SET

@test "GET and SET: round trip, missing key, binary-safe and empty values" {
    check <<'EOF'
GET nokey => $-1\r\n
SET k v => +OK\r\n
GET k => $1\r\nv\r\n
SET "bin\x00key" "a\x00b\r\nc" => +OK\r\n
GET "bin\x00key" => $6\r\na\x00b\r\nc\r\n
SET empty "" => +OK\r\n
GET empty => $0\r\n\r\n
SET k 12345 => +OK\r\n
GET k => $5\r\n12345\r\n
SET k -9223372036854775808 => +OK\r\n
GET k => $20\r\n-9223372036854775808\r\n
EOF
}

@test "GET on a non-string is WRONGTYPE; SET overwrites any type" {
    check <<'EOF'
RPUSH l a => :1\r\n
GET l => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
SET l v => +OK\r\n
TYPE l => +string\r\n
GET l => $1\r\nv\r\n
EOF
}

@test "SET NX and XX" {
    check <<'EOF'
SET k v XX => $-1\r\n
GET k => $-1\r\n
SET k v NX => +OK\r\n
SET k w NX => $-1\r\n
GET k => $1\r\nv\r\n
SET k w XX => +OK\r\n
GET k => $1\r\nw\r\n
set k x xX => +OK\r\n
SET k v nx nx => $-1\r\n
SET k v xx xx => +OK\r\n
EOF
}

@test "SET GET returns the old value, also with NX and XX" {
    check <<'EOF'
SET k a GET => $-1\r\n
SET k b GET => $1\r\na\r\n
SET k c GET NX => $1\r\nb\r\n
GET k => $1\r\nb\r\n
SET k c GET GET => $1\r\nb\r\n
SET missing v GET XX => $-1\r\n
EXISTS missing => :0\r\n
SET new v GET NX => $-1\r\n
GET new => $1\r\nv\r\n
SET k v ex 100 Get => $1\r\nc\r\n
EOF
    ttl_between k 98 100
}

@test "SET GET on a non-string is WRONGTYPE and writes nothing" {
    check <<'EOF'
RPUSH l a => :1\r\n
SET l v GET => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
TYPE l => +list\r\n
# the expire time is validated before GET looks at the key
SET l v EX 0 GET => -ERR invalid expire time in 'set' command\r\n
SET l v GET NX => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
TYPE l => +list\r\n
EOF
}

@test "SET EX PX EXAT PXAT set the expire time" {
    check <<'EOF'
SET k v EX 100 => +OK\r\n
EOF
    ttl_between k 98 100
    check <<'EOF'
SET k v PX 50000 => +OK\r\n
EOF
    ttl_between k 48 50
    local now
    now=$(kvcli TIME | head -1)
    run kvcli SET k v EXAT $((now + 200))
    assert_output OK
    ttl_between k 198 200
    run kvcli SET k v pxat $(((now + 300) * 1000))
    assert_output OK
    ttl_between k 298 300
    # repeating an expire option is allowed: the last one wins
    check <<'EOF'
SET k v EX 10 EX 1000 => +OK\r\n
EOF
    ttl_between k 998 1000
}

@test "SET KEEPTTL keeps the TTL, a plain SET drops it" {
    check <<'EOF'
SET k v EX 100 => +OK\r\n
SET k v2 KEEPTTL => +OK\r\n
GET k => $2\r\nv2\r\n
EOF
    ttl_between k 98 100
    check <<'EOF'
SET k 6 KEEPTTL => +OK\r\n
EOF
    ttl_between k 98 100
    check <<'EOF'
SET k v3 => +OK\r\n
TTL k => :-1\r\n
SET k v KEEPTTL => +OK\r\n
TTL k => :-1\r\n
SET n 5 EX 100 => +OK\r\n
SET n 6 => +OK\r\n
TTL n => :-1\r\n
EOF
}

@test "SET option combinations refused with a syntax error" {
    check <<'EOF'
SET k v NX XX => -ERR syntax error\r\n
SET k v XX NX => -ERR syntax error\r\n
SET k v KEEPTTL EX 10 => -ERR syntax error\r\n
SET k v EX 10 KEEPTTL => -ERR syntax error\r\n
SET k v EX 10 PX 100 => -ERR syntax error\r\n
SET k v PX 100 EX 10 => -ERR syntax error\r\n
SET k v EXAT 10 PXAT 100 => -ERR syntax error\r\n
SET k v EX 10 EXAT 100 => -ERR syntax error\r\n
SET k v PXAT 1 KEEPTTL => -ERR syntax error\r\n
SET k v PERSIST => -ERR syntax error\r\n
SET k v EX => -ERR syntax error\r\n
SET k v PX => -ERR syntax error\r\n
SET k v EXAT => -ERR syntax error\r\n
SET k v PXAT => -ERR syntax error\r\n
SET k v NX EX => -ERR syntax error\r\n
SET k v foo => -ERR syntax error\r\n
SET k v EX 10 foo => -ERR syntax error\r\n
EXISTS k => :0\r\n
# Redis 7.0 compares option names as C strings: bytes after a NUL are ignored
SET k v "nx\x00junk" => +OK\r\n
SET k w "NX\x00" => $-1\r\n
SET k w "keepttl\x00x" GET => $1\r\nv\r\n
SET k v "nx\x01" => -ERR syntax error\r\n
EOF
}

@test "SET invalid expire times" {
    check <<'EOF'
SET k v EX 0 => -ERR invalid expire time in 'set' command\r\n
SET k v EX -1 => -ERR invalid expire time in 'set' command\r\n
SET k v PX 0 => -ERR invalid expire time in 'set' command\r\n
SET k v PX -5 => -ERR invalid expire time in 'set' command\r\n
SET k v EXAT 0 => -ERR invalid expire time in 'set' command\r\n
SET k v PXAT 0 => -ERR invalid expire time in 'set' command\r\n
SET k v PXAT -1 => -ERR invalid expire time in 'set' command\r\n
# seconds * 1000 overflows
SET k v EX 9223372036854775807 => -ERR invalid expire time in 'set' command\r\n
SET k v EX 9223372036854776 => -ERR invalid expire time in 'set' command\r\n
SET k v EXAT 9223372036854776 => -ERR invalid expire time in 'set' command\r\n
# relative time + now overflows
SET k v PX 9223372036854775807 => -ERR invalid expire time in 'set' command\r\n
SET k v EX 9223372036854775 => -ERR invalid expire time in 'set' command\r\n
SET k v EX abc => -ERR value is not an integer or out of range\r\n
SET k v EX 1.5 => -ERR value is not an integer or out of range\r\n
SET k v EX +1 => -ERR value is not an integer or out of range\r\n
SET k v PX " 10" => -ERR value is not an integer or out of range\r\n
SET k v PX 99999999999999999999 => -ERR value is not an integer or out of range\r\n
EXISTS k => :0\r\n
# the largest absolute times are fine
SET k v PXAT 9223372036854775807 => +OK\r\n
EXISTS k => :1\r\n
SET k v EXAT 9223372036854775 => +OK\r\n
EXISTS k => :1\r\n
EOF
}

@test "SET with an absolute time already past succeeds, then the key is gone" {
    check <<'EOF'
SET past v PXAT 1 => +OK\r\n
EXISTS past => :0\r\n
SET past v EXAT 1 => +OK\r\n
GET past => $-1\r\n
SET past v EXAT 1 GET => $-1\r\n
SET past v => +OK\r\n
SET past w EXAT 1 GET => $1\r\nv\r\n
EXISTS past => :0\r\n
EOF
}

@test "a key set with PX expires" {
    check <<'EOF'
SET k v PX 1500 => +OK\r\n
GET k => $1\r\nv\r\n
EOF
    wait_until 5 key_gone k
    check <<'EOF'
GET k => $-1\r\n
EOF
}

@test "SET chooses int, embstr and raw encodings as Redis, also when overwriting" {
    check <<'EOF'
SET k 12345 => +OK\r\n
OBJECT ENCODING k => $3\r\nint\r\n
SET k -9223372036854775808 => +OK\r\n
OBJECT ENCODING k => $3\r\nint\r\n
SET k 0 => +OK\r\n
OBJECT ENCODING k => $3\r\nint\r\n
SET k 9223372036854775808 => +OK\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
SET k 012 => +OK\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
SET k +1 => +OK\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
SET k -0 => +OK\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
SET k " 1" => +OK\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
SET k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa => +OK\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
SET k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa => +OK\r\n
OBJECT ENCODING k => $3\r\nraw\r\n
SET k bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb => +OK\r\n
GET k => $45\r\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n
OBJECT ENCODING k => $3\r\nraw\r\n
SET k cccccccccccccccccccccccccccccccccccccccccccccccccc => +OK\r\n
GET k => $50\r\ncccccccccccccccccccccccccccccccccccccccccccccccccc\r\n
SET k abc => +OK\r\n
SET k xyz => +OK\r\n
GET k => $3\r\nxyz\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
SET k 7 => +OK\r\n
SET k 8 => +OK\r\n
GET k => $1\r\n8\r\n
OBJECT ENCODING k => $3\r\nint\r\n
SET k xy => +OK\r\n
GET k => $2\r\nxy\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
EOF
}

# ------------------------------------------------------- SETNX SETEX PSETEX

@test "SETNX" {
    check <<'EOF'
SETNX k 1 => :1\r\n
SETNX k 2 => :0\r\n
GET k => $1\r\n1\r\n
OBJECT ENCODING k => $3\r\nint\r\n
RPUSH l a => :1\r\n
SETNX l v => :0\r\n
TYPE l => +list\r\n
EOF
}

@test "SETEX and PSETEX set a TTL and name themselves in errors" {
    check <<'EOF'
SETEX k 100 v => +OK\r\n
EOF
    ttl_between k 98 100
    check <<'EOF'
PSETEX k 100000 w => +OK\r\n
GET k => $1\r\nw\r\n
EOF
    ttl_between k 98 100
    check <<'EOF'
SETEX k 0 v => -ERR invalid expire time in 'setex' command\r\n
SETEX k -10 v => -ERR invalid expire time in 'setex' command\r\n
SETEX k 9223372036854775807 v => -ERR invalid expire time in 'setex' command\r\n
SETEX k abc v => -ERR value is not an integer or out of range\r\n
PSETEX k 0 v => -ERR invalid expire time in 'psetex' command\r\n
PSETEX k 9223372036854775807 v => -ERR invalid expire time in 'psetex' command\r\n
PSETEX k 1.5 v => -ERR value is not an integer or out of range\r\n
GET k => $1\r\nw\r\n
RPUSH l a => :1\r\n
SETEX l 10 v => +OK\r\n
TYPE l => +string\r\n
EOF
}

# --------------------------------------------------------- GETSET GETDEL

@test "GETSET returns the old value and drops the TTL" {
    check <<'EOF'
GETSET k 1 => $-1\r\n
GETSET k 2 => $1\r\n1\r\n
GET k => $1\r\n2\r\n
SET k v EX 100 => +OK\r\n
GETSET k w => $1\r\nv\r\n
TTL k => :-1\r\n
RPUSH l a => :1\r\n
GETSET l v => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
TYPE l => +list\r\n
EOF
}

@test "GETDEL returns the value and deletes the key" {
    check <<'EOF'
SET k v => +OK\r\n
GETDEL k => $1\r\nv\r\n
GETDEL k => $-1\r\n
EXISTS k => :0\r\n
SET n 42 => +OK\r\n
GETDEL n => $2\r\n42\r\n
RPUSH l a => :1\r\n
GETDEL l => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
EXISTS l => :1\r\n
EOF
}

# ------------------------------------------------------------------ GETEX

@test "GETEX sets, changes and removes the TTL" {
    check <<'EOF'
SET k v => +OK\r\n
GETEX k => $1\r\nv\r\n
TTL k => :-1\r\n
GETEX k EX 100 => $1\r\nv\r\n
EOF
    ttl_between k 98 100
    check <<'EOF'
GETEX k PX 200000 => $1\r\nv\r\n
EOF
    ttl_between k 198 200
    local now
    now=$(kvcli TIME | head -1)
    run kvcli GETEX k EXAT $((now + 300))
    assert_output v
    ttl_between k 298 300
    run kvcli GETEX k pxat $(((now + 400) * 1000))
    assert_output v
    ttl_between k 398 400
    check <<'EOF'
GETEX k PERSIST => $1\r\nv\r\n
TTL k => :-1\r\n
GETEX k PERSIST => $1\r\nv\r\n
GETEX k PERSIST PERSIST => $1\r\nv\r\n
GETEX nokey EX 10 => $-1\r\n
GETEX nokey => $-1\r\n
EOF
}

@test "GETEX with an absolute time already past replies the value and deletes the key" {
    check <<'EOF'
SET k v => +OK\r\n
GETEX k EXAT 1 => $1\r\nv\r\n
EXISTS k => :0\r\n
SET k w => +OK\r\n
GETEX k PXAT 1 => $1\r\nw\r\n
EXISTS k => :0\r\n
EOF
}

@test "GETEX errors and their order" {
    check <<'EOF'
SET k v => +OK\r\n
GETEX k EX 10 PX 10 => -ERR syntax error\r\n
GETEX k EX 10 PERSIST => -ERR syntax error\r\n
GETEX k PERSIST EX 10 => -ERR syntax error\r\n
GETEX k NX => -ERR syntax error\r\n
GETEX k XX => -ERR syntax error\r\n
GETEX k KEEPTTL => -ERR syntax error\r\n
GETEX k GET => -ERR syntax error\r\n
GETEX k EX => -ERR syntax error\r\n
GETEX k foo => -ERR syntax error\r\n
GETEX k EX 0 => -ERR invalid expire time in 'getex' command\r\n
GETEX k PX -1 => -ERR invalid expire time in 'getex' command\r\n
GETEX k EXAT 9223372036854775807 => -ERR invalid expire time in 'getex' command\r\n
GETEX k EX abc => -ERR value is not an integer or out of range\r\n
TTL k => :-1\r\n
# a missing key or a wrong type is reported before the expire value
GETEX nokey EX -1 => $-1\r\n
RPUSH l a => :1\r\n
GETEX l => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
GETEX l EX 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
# but the options are parsed first
GETEX l foo => -ERR syntax error\r\n
GETEX nokey foo => -ERR syntax error\r\n
EOF
}

# ---------------------------------------------------- MGET MSET MSETNX

@test "MSET and MGET" {
    check <<'EOF'
MSET a 1 b 2 c hello => +OK\r\n
RPUSH l x => :1\r\n
MGET a b c nokey l => *5\r\n$1\r\n1\r\n$1\r\n2\r\n$5\r\nhello\r\n$-1\r\n$-1\r\n
MGET nokey => *1\r\n$-1\r\n
OBJECT ENCODING a => $3\r\nint\r\n
MSET a 1 b => -ERR wrong number of arguments for 'mset' command\r\n
MSET dup 3 dup 4 => +OK\r\n
GET dup => $1\r\n4\r\n
SET t v EX 100 => +OK\r\n
MSET t w l v => +OK\r\n
TTL t => :-1\r\n
TYPE l => +string\r\n
EOF
}

@test "MSETNX sets all or nothing" {
    check <<'EOF'
MSETNX x 1 y 2 => :1\r\n
MGET x y => *2\r\n$1\r\n1\r\n$1\r\n2\r\n
MSETNX x 1 z 3 => :0\r\n
EXISTS z => :0\r\n
MSETNX dup 1 dup 2 => :1\r\n
GET dup => $1\r\n2\r\n
MSETNX a 1 b => -ERR wrong number of arguments for 'msetnx' command\r\n
EXISTS a => :0\r\n
EOF
}

# -------------------------------------------------------- APPEND STRLEN

@test "APPEND creates and grows values; raw encoding once modified" {
    check <<'EOF'
APPEND k hello => :5\r\n
OBJECT ENCODING k => $6\r\nembstr\r\n
APPEND k " world" => :11\r\n
GET k => $11\r\nhello world\r\n
OBJECT ENCODING k => $3\r\nraw\r\n
APPEND n 123 => :3\r\n
OBJECT ENCODING n => $3\r\nint\r\n
APPEND n "" => :3\r\n
OBJECT ENCODING n => $3\r\nraw\r\n
GET n => $3\r\n123\r\n
APPEND e "" => :0\r\n
EXISTS e => :1\r\n
APPEND b "a\x00" => :2\r\n
APPEND b "\x00b" => :4\r\n
GET b => $4\r\na\x00\x00b\r\n
RPUSH l a => :1\r\n
APPEND l x => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
EOF
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do kvcli APPEND big 0123456789 >/dev/null; done
    check <<'EOF'
STRLEN big => :100\r\n
GETRANGE big 90 -1 => $10\r\n0123456789\r\n
EOF
}

@test "APPEND keeps the TTL" {
    check <<'EOF'
SET t v EX 100 => +OK\r\n
APPEND t w => :2\r\n
GET t => $2\r\nvw\r\n
EOF
    ttl_between t 98 100
}

@test "STRLEN" {
    check <<'EOF'
STRLEN nokey => :0\r\n
SET k 12345 => +OK\r\n
STRLEN k => :5\r\n
SET k -9223372036854775808 => +OK\r\n
STRLEN k => :20\r\n
SET k "" => +OK\r\n
STRLEN k => :0\r\n
SET k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa => +OK\r\n
STRLEN k => :50\r\n
RPUSH l a => :1\r\n
STRLEN l => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
EOF
}

# ---------------------------------------------------- GETRANGE SETRANGE

@test "GETRANGE and SUBSTR" {
    check <<'EOF'
SET s "This is a string" => +OK\r\n
GETRANGE s 0 3 => $4\r\nThis\r\n
GETRANGE s -3 -1 => $3\r\ning\r\n
GETRANGE s 0 -1 => $16\r\nThis is a string\r\n
GETRANGE s 10 100 => $6\r\nstring\r\n
GETRANGE s 5 3 => $0\r\n\r\n
GETRANGE s -1 -5 => $0\r\n\r\n
GETRANGE s 100 200 => $0\r\n\r\n
GETRANGE s -9223372036854775808 9223372036854775807 => $16\r\nThis is a string\r\n
# Redis 7.0 clamps an end before the start of the string to 0
GETRANGE s 0 -100 => $1\r\nT\r\n
GETRANGE s -100 -50 => $1\r\nT\r\n
SUBSTR s 0 3 => $4\r\nThis\r\n
SUBSTR s -6 -1 => $6\r\nstring\r\n
GETRANGE nokey 0 -1 => $0\r\n\r\n
GETRANGE s a 1 => -ERR value is not an integer or out of range\r\n
GETRANGE nokey 1 1.5 => -ERR value is not an integer or out of range\r\n
SET n -12345 => +OK\r\n
GETRANGE n 0 2 => $3\r\n-12\r\n
GETRANGE n -2 -1 => $2\r\n45\r\n
SET e "" => +OK\r\n
GETRANGE e 0 -1 => $0\r\n\r\n
RPUSH l a => :1\r\n
GETRANGE l 0 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
EOF
}

@test "SETRANGE pads with zeros and makes raw strings" {
    check <<'EOF'
SETRANGE k 5 hello => :10\r\n
GET k => $10\r\n\x00\x00\x00\x00\x00hello\r\n
OBJECT ENCODING k => $3\r\nraw\r\n
SETRANGE k 0 HE => :10\r\n
SETRANGE k 12 xx => :14\r\n
GET k => $14\r\nHE\x00\x00\x00hello\x00\x00xx\r\n
SETRANGE k 1 "" => :14\r\n
SETRANGE nokey 100 "" => :0\r\n
EXISTS nokey => :0\r\n
SET n 1234 => +OK\r\n
SETRANGE n 1 x => :4\r\n
GET n => $4\r\n1x34\r\n
OBJECT ENCODING n => $3\r\nraw\r\n
SET e abc => +OK\r\n
SETRANGE e 0 z => :3\r\n
OBJECT ENCODING e => $3\r\nraw\r\n
GET e => $3\r\nzbc\r\n
EOF
}

@test "SETRANGE keeps the TTL" {
    check <<'EOF'
SET t v EX 100 => +OK\r\n
SETRANGE t 0 w => :1\r\n
EOF
    ttl_between t 98 100
}

@test "SETRANGE errors and the 512MB proto-max-bulk-len limit" {
    check <<'EOF'
SET k v => +OK\r\n
SETRANGE k -1 x => -ERR offset is out of range\r\n
SETRANGE k abc x => -ERR value is not an integer or out of range\r\n
SETRANGE k 9223372036854775808 x => -ERR value is not an integer or out of range\r\n
SETRANGE k 536870912 x => -ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n
SETRANGE k 536870911 xy => -ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n
SETRANGE nokey 9223372036854775807 x => -ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n
SETRANGE nokey 536870912 "" => :0\r\n
EXISTS nokey => :0\r\n
RPUSH l a => :1\r\n
SETRANGE l 0 x => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
SETRANGE l 0 "" => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
GET k => $1\r\nv\r\n
EOF
}

@test "APPEND and SETRANGE obey a lowered proto-max-bulk-len" {
    check <<'EOF'
CONFIG SET proto-max-bulk-len 1048576 => +OK\r\n
SETRANGE big 1048575 x => :1048576\r\n
SETRANGE big 1048576 x => -ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n
APPEND big y => -ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n
STRLEN big => :1048576\r\n
CONFIG SET proto-max-bulk-len 536870912 => +OK\r\n
APPEND big y => :1048577\r\n
EOF
}

# -------------------------------------------------------------- INCR family

@test "INCR DECR INCRBY DECRBY" {
    check <<'EOF'
INCR k => :1\r\n
INCR k => :2\r\n
OBJECT ENCODING k => $3\r\nint\r\n
DECR k => :1\r\n
DECRBY k 2 => :-1\r\n
INCRBY k 100 => :99\r\n
INCRBY k -1050 => :-951\r\n
DECRBY k -1000 => :49\r\n
DECR nokey => :-1\r\n
GET k => $2\r\n49\r\n
INCRBY big 9223372036854775807 => :9223372036854775807\r\n
DECRBY small 9223372036854775807 => :-9223372036854775807\r\n
DECR small => :-9223372036854775808\r\n
EOF
}

@test "INCR family errors: not an integer, overflow, wrong type" {
    check <<'EOF'
INCRBY k abc => -ERR value is not an integer or out of range\r\n
INCRBY k 1.5 => -ERR value is not an integer or out of range\r\n
INCRBY k "" => -ERR value is not an integer or out of range\r\n
DECRBY k 9223372036854775808 => -ERR value is not an integer or out of range\r\n
DECRBY k -9223372036854775808 => -ERR decrement would overflow\r\n
EXISTS k => :0\r\n
SET k 9223372036854775807 => +OK\r\n
INCR k => -ERR increment or decrement would overflow\r\n
INCRBY k 0 => :9223372036854775807\r\n
SET k -9223372036854775808 => +OK\r\n
DECR k => -ERR increment or decrement would overflow\r\n
INCRBY k -1 => -ERR increment or decrement would overflow\r\n
INCR k => :-9223372036854775807\r\n
SET k 10 => +OK\r\n
INCRBY k 9223372036854775807 => -ERR increment or decrement would overflow\r\n
SET k -10 => +OK\r\n
DECRBY k 9223372036854775799 => -ERR increment or decrement would overflow\r\n
GET k => $3\r\n-10\r\n
SET k abc => +OK\r\n
INCR k => -ERR value is not an integer or out of range\r\n
SET k " 1" => +OK\r\n
INCR k => -ERR value is not an integer or out of range\r\n
SET k "1 " => +OK\r\n
INCR k => -ERR value is not an integer or out of range\r\n
SET k 01 => +OK\r\n
INCR k => -ERR value is not an integer or out of range\r\n
SET k 1.0 => +OK\r\n
DECR k => -ERR value is not an integer or out of range\r\n
SET k "" => +OK\r\n
INCR k => -ERR value is not an integer or out of range\r\n
SET k 99999999999999999999 => +OK\r\n
INCRBY k 1 => -ERR value is not an integer or out of range\r\n
RPUSH l a => :1\r\n
INCR l => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
DECRBY l 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
# the increment is parsed before the key is looked at
INCRBY l abc => -ERR value is not an integer or out of range\r\n
EOF
}

@test "INCR keeps the TTL and turns a modified value back into int" {
    check <<'EOF'
SET k 5 EX 100 => +OK\r\n
INCR k => :6\r\n
EOF
    ttl_between k 98 100
    check <<'EOF'
SET k 1 => +OK\r\n
APPEND k 0 => :2\r\n
OBJECT ENCODING k => $3\r\nraw\r\n
INCR k => :11\r\n
OBJECT ENCODING k => $3\r\nint\r\n
SETRANGE r 0 42 => :2\r\n
EXPIRE r 100 => :1\r\n
INCRBY r 1000 => :1042\r\n
OBJECT ENCODING r => $3\r\nint\r\n
EOF
    ttl_between r 98 100
}

@test "INCRBYFLOAT values, formatting and encoding" {
    check <<'EOF'
INCRBYFLOAT f 10.5 => $4\r\n10.5\r\n
INCRBYFLOAT f 0.1 => $4\r\n10.6\r\n
OBJECT ENCODING f => $6\r\nembstr\r\n
INCRBYFLOAT f -5 => $3\r\n5.6\r\n
INCRBYFLOAT f 5.0e3 => $22\r\n5005.60000000000000009\r\n
SET f 3 => +OK\r\n
INCRBYFLOAT f 1 => $1\r\n4\r\n
OBJECT ENCODING f => $6\r\nembstr\r\n
SET f 0x10 => +OK\r\n
INCRBYFLOAT f 1 => $2\r\n17\r\n
SET f 0 => +OK\r\n
INCRBYFLOAT f 1e30 => $31\r\n1000000000000000000024696061952\r\n
SET f 1 => +OK\r\n
INCRBYFLOAT f 1.1 => $3\r\n2.1\r\n
INCRBYFLOAT f -1.1 => $1\r\n1\r\n
INCRBYFLOAT f -1 => $1\r\n0\r\n
SET f 1e10 => +OK\r\n
INCRBYFLOAT f 1 => $11\r\n10000000001\r\n
EOF
}

@test "INCRBYFLOAT keeps the TTL" {
    check <<'EOF'
SET f 1 EX 100 => +OK\r\n
INCRBYFLOAT f 0.5 => $3\r\n1.5\r\n
EOF
    ttl_between f 98 100
}

@test "INCRBYFLOAT errors" {
    check <<'EOF'
SET f 1 => +OK\r\n
INCRBYFLOAT f abc => -ERR value is not a valid float\r\n
INCRBYFLOAT f "" => -ERR value is not a valid float\r\n
INCRBYFLOAT f " 1" => -ERR value is not a valid float\r\n
INCRBYFLOAT f nan => -ERR value is not a valid float\r\n
INCRBYFLOAT f 1x => -ERR value is not a valid float\r\n
INCRBYFLOAT f inf => -ERR increment would produce NaN or Infinity\r\n
INCRBYFLOAT f -inf => -ERR increment would produce NaN or Infinity\r\n
SET g inf => +OK\r\n
INCRBYFLOAT g 1 => -ERR increment would produce NaN or Infinity\r\n
SET f abc => +OK\r\n
INCRBYFLOAT f 1 => -ERR value is not a valid float\r\n
GET f => $3\r\nabc\r\n
RPUSH l a => :1\r\n
INCRBYFLOAT l 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
# unlike INCRBY, the key is checked before the increment
INCRBYFLOAT l abc => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
INCRBYFLOAT nokey abc => -ERR value is not a valid float\r\n
EXISTS nokey => :0\r\n
EOF
}

# ------------------------------------------------------------------- LCS

@test "LCS string, LEN and IDX replies" {
    check <<'EOF'
MSET key1 ohmytext key2 mynewtext => +OK\r\n
LCS key1 key2 => $6\r\nmytext\r\n
LCS key1 key2 LEN => :6\r\n
LCS key1 key2 IDX => *4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n
LCS key1 key2 IDX WITHMATCHLEN => *4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n
LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN => *4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n
LCS key1 key2 IDX MINMATCHLEN -5 => *4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n
LCS key1 key2 idx minmatchlen 100 => *4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n
LCS key1 key2 LEN WITHMATCHLEN MINMATCHLEN 3 => :6\r\n
LCS key1 key1 => $8\r\nohmytext\r\n
LCS key1 key1 IDX WITHMATCHLEN => *4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:7\r\n*2\r\n:0\r\n:7\r\n:8\r\n$3\r\nlen\r\n:8\r\n
LCS key1 nokey => $0\r\n\r\n
LCS nokey nokey2 LEN => :0\r\n
LCS nokey nokey2 IDX => *4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n
MSET n1 1234567 n2 9234 => +OK\r\n
LCS n1 n2 => $3\r\n234\r\n
LCS n1 n2 IDX WITHMATCHLEN => *4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:1\r\n:3\r\n*2\r\n:1\r\n:3\r\n:3\r\n$3\r\nlen\r\n:3\r\n
MSET r1 ACCGGTCGAGTGCGCGGAAGCCGGCCGAA r2 GTCGTTCGGAATGCCGTTGCTCTGTAAA => +OK\r\n
LCS r1 r2 => $20\r\nGTCGTCGGAAGCCGGCCGAA\r\n
LCS r1 r2 IDX MINMATCHLEN 3 => *4\r\n$7\r\nmatches\r\n*3\r\n*2\r\n*2\r\n:19\r\n:22\r\n*2\r\n:12\r\n:15\r\n*2\r\n*2\r\n:14\r\n:18\r\n*2\r\n:6\r\n:10\r\n*2\r\n*2\r\n:4\r\n:6\r\n*2\r\n:0\r\n:2\r\n$3\r\nlen\r\n:20\r\n
MSET b1 "a\x00b\xffc" b2 "\x00\xff" => +OK\r\n
LCS b1 b2 => $2\r\n\x00\xff\r\n
EOF
}

@test "RESP3: LCS IDX is a map, nulls are _" {
    check <<'EOF'
MSET key1 ohmytext key2 mynewtext => +OK\r\n
@hello3
LCS key1 key2 IDX MINMATCHLEN 4 => %2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n
LCS key1 key2 LEN => :6\r\n
GET nokey => _\r\n
MGET key1 nokey => *2\r\n$8\r\nohmytext\r\n_\r\n
SET key1 v XX GET => $8\r\nohmytext\r\n
SET nokey v XX => _\r\n
GETEX nokey => _\r\n
INCRBYFLOAT f 1.5 => $3\r\n1.5\r\n
EOF
}

@test "LCS errors" {
    check <<'EOF'
MSET key1 ohmytext key2 mynewtext => +OK\r\n
RPUSH l a => :1\r\n
LCS key1 key2 IDX LEN => -ERR If you want both the length and indexes, please just use IDX.\r\n
LCS key1 key2 LEN IDX => -ERR If you want both the length and indexes, please just use IDX.\r\n
LCS key1 key2 MINMATCHLEN => -ERR syntax error\r\n
LCS key1 key2 foo => -ERR syntax error\r\n
LCS key1 key2 IDX LEN foo => -ERR syntax error\r\n
LCS key1 key2 MINMATCHLEN abc => -ERR value is not an integer or out of range\r\n
LCS key1 l => -ERR The specified keys must contain string values\r\n
LCS l key1 foo => -ERR The specified keys must contain string values\r\n
EOF
}

@test "LCS refuses a table larger than proto-max-bulk-len" {
    # (12001 + 1)^2 * 4 bytes = 576 MB > 512 MB: refused before allocating
    check <<'EOF'
SETRANGE a 12000 x => :12001\r\n
SETRANGE b 12000 y => :12001\r\n
LCS a b LEN => -ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n
LCS a b => -ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n
SETRANGE c 400 x => :401\r\n
SETRANGE d 400 y => :401\r\n
LCS c d LEN => :400\r\n
CONFIG SET proto-max-bulk-len 1048576 => +OK\r\n
SETRANGE e 599 x => :600\r\n
LCS c e LEN => :401\r\n
LCS e e LEN => -ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n
CONFIG SET proto-max-bulk-len 536870912 => +OK\r\n
EOF
}

# ------------------------------------------------------------------ arity

@test "wrong number of arguments" {
    check <<'EOF'
GET => -ERR wrong number of arguments for 'get' command\r\n
GET a b => -ERR wrong number of arguments for 'get' command\r\n
SET k => -ERR wrong number of arguments for 'set' command\r\n
SETNX k => -ERR wrong number of arguments for 'setnx' command\r\n
SETEX k 10 => -ERR wrong number of arguments for 'setex' command\r\n
PSETEX k 10 => -ERR wrong number of arguments for 'psetex' command\r\n
GETSET k => -ERR wrong number of arguments for 'getset' command\r\n
GETDEL a b => -ERR wrong number of arguments for 'getdel' command\r\n
GETEX => -ERR wrong number of arguments for 'getex' command\r\n
MGET => -ERR wrong number of arguments for 'mget' command\r\n
MSET => -ERR wrong number of arguments for 'mset' command\r\n
MSET a => -ERR wrong number of arguments for 'mset' command\r\n
MSETNX k => -ERR wrong number of arguments for 'msetnx' command\r\n
APPEND k => -ERR wrong number of arguments for 'append' command\r\n
STRLEN => -ERR wrong number of arguments for 'strlen' command\r\n
GETRANGE k 0 => -ERR wrong number of arguments for 'getrange' command\r\n
SUBSTR k 0 => -ERR wrong number of arguments for 'substr' command\r\n
SETRANGE k 0 => -ERR wrong number of arguments for 'setrange' command\r\n
INCR => -ERR wrong number of arguments for 'incr' command\r\n
DECR a b => -ERR wrong number of arguments for 'decr' command\r\n
INCRBY k => -ERR wrong number of arguments for 'incrby' command\r\n
DECRBY k => -ERR wrong number of arguments for 'decrby' command\r\n
INCRBYFLOAT k => -ERR wrong number of arguments for 'incrbyfloat' command\r\n
LCS k => -ERR wrong number of arguments for 'lcs' command\r\n
EOF
}

@test "writes count as changes for the save counter, reads do not" {
    local before after
    before=$(kvcli INFO persistence | tr -d '\r' | awk -F: '/^rdb_changes_since_last_save/ {print $2}')
    kvcli SET a 1 >/dev/null
    kvcli MSET b 1 c 2 >/dev/null
    kvcli INCR a >/dev/null
    kvcli GET a >/dev/null
    kvcli SET a 1 NX >/dev/null
    kvcli GETEX a PERSIST >/dev/null
    after=$(kvcli INFO persistence | tr -d '\r' | awk -F: '/^rdb_changes_since_last_save/ {print $2}')
    [ $((after - before)) -eq 4 ]
}

@test "many keys: MSET/MGET of 1000 pairs and INCR loop stay consistent" {
    local -a args=()
    local i
    for i in $(seq 1 1000); do args+=("key:$i" "$i"); done
    run kvcli MSET "${args[@]}"
    assert_output OK
    run kvcli MGET key:1 key:500 key:1000
    assert_output $'1\n500\n1000'
    for i in $(seq 1 50); do echo "INCR counter"; done | kvcli >/dev/null
    run kvcli GET counter
    assert_output 50
    run kvcli DBSIZE
    assert_output 1001
}
