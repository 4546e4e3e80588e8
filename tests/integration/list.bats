#!/usr/bin/env bats
# List commands (kvd/t_list.c over kvd/quicklist.c): LPUSH RPUSH LPUSHX
# RPUSHX LINSERT LSET LINDEX LLEN LRANGE LTRIM LREM LPOS LPOP RPOP LMOVE
# RPOPLPUSH LMPOP, multi-node and compressed lists, huge ranges on big
# lists, DEBUG OBJECT / DIGEST-VALUE of lists, COMMAND GETKEYS of LMPOP,
# plain nodes (DEBUG QUICKLIST-PACKED-THRESHOLD) and their RDB exchange
# with redis-server 7.0.
# The blocking commands are in blocking.bats.
#
# Replies are compared as exact RESP bytes. The expected values were taken
# from redis-server 7.0.15, and the suite passes against it:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/list.bats
#
# One server for the whole file; every test starts from FLUSHALL and the
# default list settings.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
teardown() { kvd_stop; } # instances a test started itself (never the file's)
setup() {
    kvcli FLUSHALL >/dev/null
    kvcli CONFIG SET list-max-listpack-size -2 >/dev/null
    kvcli CONFIG SET list-compress-depth 0 >/dev/null
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 0 >/dev/null
}


@test "LPUSH RPUSH LPUSHX RPUSHX LLEN: order, integers read back as sent, WRONGTYPE, arity" {
    run check <<'EOF'
RPUSH l a b c => :3\r\n
LPUSH l y z => :5\r\n
LRANGE l 0 -1 => *5\r\n$1\r\nz\r\n$1\r\ny\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n
LLEN l => :5\r\n
TYPE l => +list\r\n
OBJECT ENCODING l => $9\r\nquicklist\r\n
LPUSHX nokey a => :0\r\n
RPUSHX nokey a b => :0\r\n
EXISTS nokey => :0\r\n
LPUSHX l x1 x2 => :7\r\n
RPUSHX l x3 => :8\r\n
LRANGE l 0 -1 => *8\r\n$2\r\nx2\r\n$2\r\nx1\r\n$1\r\nz\r\n$1\r\ny\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\nx3\r\n
RPUSH n 0 -1 127 128 4096 -4097 32768 8388608 2147483648 9223372036854775807 -9223372036854775808 9223372036854775808 01 -0 +1 " 1" 1.5 "" "a\x00b" => :19\r\n
LRANGE n 0 -1 => *19\r\n$1\r\n0\r\n$2\r\n-1\r\n$3\r\n127\r\n$3\r\n128\r\n$4\r\n4096\r\n$5\r\n-4097\r\n$5\r\n32768\r\n$7\r\n8388608\r\n$10\r\n2147483648\r\n$19\r\n9223372036854775807\r\n$20\r\n-9223372036854775808\r\n$19\r\n9223372036854775808\r\n$2\r\n01\r\n$2\r\n-0\r\n$2\r\n+1\r\n$2\r\n 1\r\n$3\r\n1.5\r\n$0\r\n\r\n$3\r\na\x00b\r\n
SET str v => +OK\r\n
LPUSH str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
RPUSH str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LPUSHX str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
RPUSHX str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LLEN str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LLEN nokey => :0\r\n
RPUSH l => -ERR wrong number of arguments for 'rpush' command\r\n
LPUSH => -ERR wrong number of arguments for 'lpush' command\r\n
LPUSHX l => -ERR wrong number of arguments for 'lpushx' command\r\n
LLEN l extra => -ERR wrong number of arguments for 'llen' command\r\n
EOF
    assert_success
}

@test "LINDEX and LSET: negative and huge indexes, errors in Redis's order" {
    run check <<'EOF'
RPUSH l a b c d e => :5\r\n
LINDEX l 0 => $1\r\na\r\n
LINDEX l 4 => $1\r\ne\r\n
LINDEX l 5 => $-1\r\n
LINDEX l -1 => $1\r\ne\r\n
LINDEX l -5 => $1\r\na\r\n
LINDEX l -6 => $-1\r\n
LINDEX l 9223372036854775807 => $-1\r\n
LINDEX l -9223372036854775808 => $-1\r\n
LINDEX l x => -ERR value is not an integer or out of range\r\n
LINDEX l 1.0 => -ERR value is not an integer or out of range\r\n
LINDEX nokey 0 => $-1\r\n
LINDEX nokey x => $-1\r\n
SET str v => +OK\r\n
LINDEX str 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LINDEX str x => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LINDEX l => -ERR wrong number of arguments for 'lindex' command\r\n
LSET l 0 A => +OK\r\n
LSET l -1 E => +OK\r\n
LSET l 2 "a longer value than the one it replaces" => +OK\r\n
LRANGE l 0 -1 => *5\r\n$1\r\nA\r\n$1\r\nb\r\n$39\r\na longer value than the one it replaces\r\n$1\r\nd\r\n$1\r\nE\r\n
LSET l 5 x => -ERR index out of range\r\n
LSET l -6 x => -ERR index out of range\r\n
LSET l 9223372036854775807 x => -ERR index out of range\r\n
LSET l -9223372036854775808 x => -ERR index out of range\r\n
LSET l x v => -ERR value is not an integer or out of range\r\n
LSET nokey 0 v => -ERR no such key\r\n
LSET nokey x v => -ERR no such key\r\n
LSET str 0 v => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LSET str x v => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LSET l 0 => -ERR wrong number of arguments for 'lset' command\r\n
EOF
    assert_success
}

@test "LRANGE: clamping, huge and inverted ranges, errors" {
    run check <<'EOF'
RPUSH l a b c d e => :5\r\n
LRANGE l 0 0 => *1\r\n$1\r\na\r\n
LRANGE l 1 3 => *3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n
LRANGE l -2 -1 => *2\r\n$1\r\nd\r\n$1\r\ne\r\n
LRANGE l -100 100 => *5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n
LRANGE l 3 1 => *0\r\n
LRANGE l 5 10 => *0\r\n
LRANGE l -100 -6 => *0\r\n
LRANGE l 0 9223372036854775807 => *5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n
LRANGE l -9223372036854775808 9223372036854775807 => *5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n
LRANGE l 9223372036854775807 -9223372036854775808 => *0\r\n
LRANGE l x 1 => -ERR value is not an integer or out of range\r\n
LRANGE l 0 y => -ERR value is not an integer or out of range\r\n
LRANGE nokey 0 -1 => *0\r\n
LRANGE nokey x 1 => -ERR value is not an integer or out of range\r\n
SET str v => +OK\r\n
LRANGE str 0 -1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LRANGE str x 1 => -ERR value is not an integer or out of range\r\n
LRANGE l 0 => -ERR wrong number of arguments for 'lrange' command\r\n
EOF
    assert_success
}

@test "LINSERT: before/after, missing pivot, missing key, errors" {
    run check <<'EOF'
RPUSH l a b c => :3\r\n
LINSERT l BEFORE a first => :4\r\n
LINSERT l after c last => :5\r\n
LINSERT l Before b mid => :6\r\n
LINSERT l AFTER missing x => :-1\r\n
LRANGE l 0 -1 => *6\r\n$5\r\nfirst\r\n$1\r\na\r\n$3\r\nmid\r\n$1\r\nb\r\n$1\r\nc\r\n$4\r\nlast\r\n
LINSERT l middle b x => -ERR syntax error\r\n
LINSERT nokey BEFORE a b => :0\r\n
EXISTS nokey => :0\r\n
SET str v => +OK\r\n
LINSERT str BEFORE a b => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LINSERT str middle a b => -ERR syntax error\r\n
LINSERT l BEFORE b => -ERR wrong number of arguments for 'linsert' command\r\n
RPUSH n 1 2 3 => :3\r\n
LINSERT n AFTER 2 two => :4\r\n
LINSERT n BEFORE 02 x => :-1\r\n
LRANGE n 0 -1 => *4\r\n$1\r\n1\r\n$1\r\n2\r\n$3\r\ntwo\r\n$1\r\n3\r\n
EOF
    assert_success
}

@test "LTRIM: ranges, out-of-range trims delete the key, errors" {
    run check <<'EOF'
RPUSH t 0 1 2 3 4 5 6 7 8 9 => :10\r\n
LTRIM t 1 -2 => +OK\r\n
LRANGE t 0 -1 => *8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n
LTRIM t -3 100 => +OK\r\n
LRANGE t 0 -1 => *3\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n
LTRIM t -9223372036854775808 9223372036854775807 => +OK\r\n
LRANGE t 0 -1 => *3\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n
LTRIM t 1 0 => +OK\r\n
EXISTS t => :0\r\n
RPUSH t a b c => :3\r\n
LTRIM t 5 10 => +OK\r\n
EXISTS t => :0\r\n
RPUSH t a b c => :3\r\n
LTRIM t 0 0 => +OK\r\n
LRANGE t 0 -1 => *1\r\n$1\r\na\r\n
LTRIM t x 1 => -ERR value is not an integer or out of range\r\n
LTRIM t 0 y => -ERR value is not an integer or out of range\r\n
LTRIM nokey 0 1 => +OK\r\n
LTRIM nokey x 1 => -ERR value is not an integer or out of range\r\n
SET str v => +OK\r\n
LTRIM str 0 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LTRIM str x 1 => -ERR value is not an integer or out of range\r\n
LTRIM t 0 => -ERR wrong number of arguments for 'ltrim' command\r\n
EOF
    assert_success
}

@test "LREM: from the head, the tail, all; integers compare by value text; errors" {
    run check <<'EOF'
RPUSH r a b a c a d a => :7\r\n
LREM r 2 a => :2\r\n
LRANGE r 0 -1 => *5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\na\r\n
LREM r -1 a => :1\r\n
LRANGE r 0 -1 => *4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n
LREM r 0 a => :1\r\n
LRANGE r 0 -1 => *3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n
LREM r 0 zz => :0\r\n
LREM r -9223372036854775808 b => :1\r\n
LREM r 9223372036854775807 c => :1\r\n
LREM r 0 d => :1\r\n
EXISTS r => :0\r\n
RPUSH r 1 01 1 x => :4\r\n
LREM r 0 1 => :2\r\n
LRANGE r 0 -1 => *2\r\n$2\r\n01\r\n$1\r\nx\r\n
LREM r x a => -ERR value is not an integer or out of range\r\n
LREM nokey 0 a => :0\r\n
LREM nokey x a => -ERR value is not an integer or out of range\r\n
SET str v => +OK\r\n
LREM str 0 a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LREM str x a => -ERR value is not an integer or out of range\r\n
LREM r 0 => -ERR wrong number of arguments for 'lrem' command\r\n
EOF
    assert_success
}

@test "LPOS: RANK COUNT MAXLEN, the RANK -9223372036854775808 quirk, every error" {
    run check <<'EOF'
RPUSH m a a a b a c a => :7\r\n
LPOS m a => :0\r\n
LPOS m b => :3\r\n
LPOS m z => $-1\r\n
LPOS m a RANK 2 => :1\r\n
LPOS m a RANK -1 => :6\r\n
LPOS m a RANK -2 => :4\r\n
LPOS m a RANK 9 => $-1\r\n
LPOS m a COUNT 0 => *5\r\n:0\r\n:1\r\n:2\r\n:4\r\n:6\r\n
LPOS m a COUNT 2 => *2\r\n:0\r\n:1\r\n
LPOS m a COUNT 2 RANK 2 => *2\r\n:1\r\n:2\r\n
LPOS m a RANK -2 COUNT 2 => *2\r\n:4\r\n:2\r\n
LPOS m a RANK -1 COUNT 0 MAXLEN 2 => *1\r\n:6\r\n
LPOS m a COUNT 0 MAXLEN 2 => *2\r\n:0\r\n:1\r\n
LPOS m a MAXLEN 1 => :0\r\n
LPOS m c MAXLEN 3 => $-1\r\n
LPOS m z COUNT 3 => *0\r\n
LPOS m a COUNT 0 MAXLEN 0 => *5\r\n:0\r\n:1\r\n:2\r\n:4\r\n:6\r\n
LPOS m a COUNT 9223372036854775807 => *5\r\n:0\r\n:1\r\n:2\r\n:4\r\n:6\r\n
LPOS m a MAXLEN 9223372036854775807 => :0\r\n
LPOS m a RANK 9223372036854775807 COUNT 1 => *0\r\n
LPOS m a RANK -9223372036854775807 COUNT 2 => *0\r\n
# Redis 7.0 quirk: this rank counts from the tail and COUNT stops nothing
LPOS m a RANK -9223372036854775808 => :6\r\n
LPOS m a RANK -9223372036854775808 COUNT 2 => *5\r\n:6\r\n:4\r\n:2\r\n:1\r\n:0\r\n
LPOS m a rank 1 RANK 3 => :2\r\n
LPOS m a RANK 0 => -ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n
LPOS m a COUNT -1 => -ERR COUNT can't be negative\r\n
LPOS m a MAXLEN -1 => -ERR MAXLEN can't be negative\r\n
LPOS m a COUNT -1 RANK 0 => -ERR COUNT can't be negative\r\n
LPOS m a RANK 0 COUNT -1 => -ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n
LPOS m a RANK x => -ERR value is not an integer or out of range\r\n
LPOS m a COUNT x => -ERR COUNT can't be negative\r\n
LPOS m a MAXLEN x => -ERR MAXLEN can't be negative\r\n
LPOS m a RANK => -ERR syntax error\r\n
LPOS m a foo 1 => -ERR syntax error\r\n
LPOS nokey a => $-1\r\n
LPOS nokey a COUNT 0 => *0\r\n
LPOS nokey a RANK 0 => -ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n
SET str v => +OK\r\n
LPOS str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LPOS str a RANK 0 => -ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n
LPOS m => -ERR wrong number of arguments for 'lpos' command\r\n
EOF
    assert_success
}

@test "LPOP RPOP: with and without count, empty key deletion, errors, RESP3 nulls" {
    run check <<'EOF'
RPUSH p a b c d e f g => :7\r\n
LPOP p => $1\r\na\r\n
RPOP p => $1\r\ng\r\n
LPOP p 2 => *2\r\n$1\r\nb\r\n$1\r\nc\r\n
RPOP p 2 => *2\r\n$1\r\nf\r\n$1\r\ne\r\n
LPOP p 0 => *0\r\n
RPOP p 0 => *0\r\n
LPOP p 100 => *1\r\n$1\r\nd\r\n
EXISTS p => :0\r\n
LPOP p => $-1\r\n
LPOP p 1 => *-1\r\n
LPOP p 0 => *-1\r\n
RPUSH p a b => :2\r\n
LPOP p -1 => -ERR value is out of range, must be positive\r\n
LPOP p x => -ERR value is out of range, must be positive\r\n
RPOP p 1.5 => -ERR value is out of range, must be positive\r\n
LPOP p 1 2 => -ERR wrong number of arguments for 'lpop' command\r\n
LPOP p 9223372036854775807 => *2\r\n$1\r\na\r\n$1\r\nb\r\n
EXISTS p => :0\r\n
SET str v => +OK\r\n
LPOP str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LPOP str 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LPOP str x => -ERR value is out of range, must be positive\r\n
RPOP str 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LPOP => -ERR wrong number of arguments for 'lpop' command\r\n
@hello3
RPUSH p a => :1\r\n
LPOP nokey => _\r\n
LPOP nokey 1 => _\r\n
LPOP p 0 => *0\r\n
LPOP p 5 => *1\r\n$1\r\na\r\n
EOF
    assert_success
}

@test "LMOVE RPOPLPUSH: every direction, same key rotation, WRONGTYPE on either key" {
    run check <<'EOF'
RPUSH s 1 2 3 => :3\r\n
LMOVE s d LEFT RIGHT => $1\r\n1\r\n
LMOVE s d RIGHT LEFT => $1\r\n3\r\n
LMOVE s d left left => $1\r\n2\r\n
LRANGE d 0 -1 => *3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n
EXISTS s => :0\r\n
LMOVE s d LEFT LEFT => $-1\r\n
RPUSH s x => :1\r\n
LMOVE s s LEFT RIGHT => $1\r\nx\r\n
LRANGE s 0 -1 => *1\r\n$1\r\nx\r\n
RPUSH s y z => :3\r\n
LMOVE s s LEFT RIGHT => $1\r\nx\r\n
LMOVE s s RIGHT LEFT => $1\r\nx\r\n
LRANGE s 0 -1 => *3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n
RPOPLPUSH s d => $1\r\nz\r\n
RPOPLPUSH s s => $1\r\ny\r\n
LRANGE s 0 -1 => *2\r\n$1\r\ny\r\n$1\r\nx\r\n
LRANGE d 0 -1 => *4\r\n$1\r\nz\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n
SET str v => +OK\r\n
LMOVE s d MIDDLE LEFT => -ERR syntax error\r\n
LMOVE s d LEFT MIDDLE => -ERR syntax error\r\n
LMOVE s str LEFT LEFT => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LMOVE str s LEFT LEFT => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LMOVE nokey str LEFT LEFT => $-1\r\n
LMOVE str nokey LEFT LEFT => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LMOVE str s MIDDLE LEFT => -ERR syntax error\r\n
RPOPLPUSH s str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
RPOPLPUSH str s => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
RPOPLPUSH nokey d => $-1\r\n
RPOPLPUSH nokey str => $-1\r\n
LRANGE s 0 -1 => *2\r\n$1\r\ny\r\n$1\r\nx\r\n
LMOVE s d LEFT => -ERR wrong number of arguments for 'lmove' command\r\n
RPOPLPUSH s => -ERR wrong number of arguments for 'rpoplpush' command\r\n
EOF
    assert_success
}

@test "LMPOP: first non-empty key, COUNT, every error, RESP3" {
    run check <<'EOF'
RPUSH b 1 2 3 4 5 => :5\r\n
LMPOP 2 a b LEFT => *2\r\n$1\r\nb\r\n*1\r\n$1\r\n1\r\n
LMPOP 2 a b RIGHT COUNT 2 => *2\r\n$1\r\nb\r\n*2\r\n$1\r\n5\r\n$1\r\n4\r\n
LMPOP 2 a b left count 10 => *2\r\n$1\r\nb\r\n*2\r\n$1\r\n2\r\n$1\r\n3\r\n
EXISTS b => :0\r\n
LMPOP 2 a b LEFT => *-1\r\n
RPUSH a x y => :2\r\n
LMPOP 0 a LEFT => -ERR numkeys should be greater than 0\r\n
LMPOP -1 a LEFT => -ERR numkeys should be greater than 0\r\n
LMPOP x a LEFT => -ERR numkeys should be greater than 0\r\n
LMPOP 9999999999999 a LEFT => -ERR syntax error\r\n
LMPOP 2 a LEFT => -ERR syntax error\r\n
LMPOP 1 a MIDDLE => -ERR syntax error\r\n
LMPOP 1 a LEFT COUNT 0 => -ERR count should be greater than 0\r\n
LMPOP 1 a LEFT COUNT -1 => -ERR count should be greater than 0\r\n
LMPOP 1 a LEFT COUNT x => -ERR count should be greater than 0\r\n
LMPOP 1 a LEFT COUNT 1 COUNT 2 => -ERR syntax error\r\n
LMPOP 1 a LEFT COUNT => -ERR syntax error\r\n
LMPOP 1 a LEFT foo => -ERR syntax error\r\n
SET str v => +OK\r\n
LMPOP 1 str LEFT => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LMPOP 2 nokey str LEFT => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
LMPOP 2 a str LEFT => *2\r\n$1\r\na\r\n*1\r\n$1\r\nx\r\n
LMPOP 3 a => -ERR wrong number of arguments for 'lmpop' command\r\n
LMPOP 1 a => -ERR wrong number of arguments for 'lmpop' command\r\n
LRANGE a 0 -1 => *1\r\n$1\r\ny\r\n
@hello3
LMPOP 1 nokey LEFT => _\r\n
LMPOP 1 a RIGHT COUNT 3 => *2\r\n$1\r\na\r\n*1\r\n$1\r\ny\r\n
EOF
    assert_success
}

@test "multi-node lists (4 entries per node) and compressed ones (depth 1)" {
    run check <<'EOF'
CONFIG SET list-max-listpack-size 4 => +OK\r\n
RPUSH q 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 => :20\r\n
LRANGE q 3 13 => *11\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n12\r\n$2\r\n13\r\n
LRANGE q -7 -3 => *5\r\n$2\r\n13\r\n$2\r\n14\r\n$2\r\n15\r\n$2\r\n16\r\n$2\r\n17\r\n
LINDEX q 13 => $2\r\n13\r\n
LINDEX q -13 => $1\r\n7\r\n
LINSERT q BEFORE 8 x8 => :21\r\n
LINSERT q AFTER 3 x3 => :22\r\n
LINSERT q AFTER 19 x19 => :23\r\n
LINSERT q BEFORE 0 x0 => :24\r\n
LSET q 10 "a longer value that replaces a short one in a full node" => +OK\r\n
LSET q 0 first => +OK\r\n
LSET q -1 last => +OK\r\n
LRANGE q 0 -1 => *24\r\n$5\r\nfirst\r\n$1\r\n0\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\nx3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$55\r\na longer value that replaces a short one in a full node\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n12\r\n$2\r\n13\r\n$2\r\n14\r\n$2\r\n15\r\n$2\r\n16\r\n$2\r\n17\r\n$2\r\n18\r\n$2\r\n19\r\n$4\r\nlast\r\n
LREM q 0 x8 => :0\r\n
LPOS q 13 RANK -1 => :16\r\n
LTRIM q 2 -3 => +OK\r\n
LPOP q 5 => *5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\nx3\r\n$1\r\n4\r\n
RPOP q 5 => *5\r\n$2\r\n18\r\n$2\r\n17\r\n$2\r\n16\r\n$2\r\n15\r\n$2\r\n14\r\n
LRANGE q 0 -1 => *10\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$55\r\na longer value that replaces a short one in a full node\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n12\r\n$2\r\n13\r\n
CONFIG SET list-compress-depth 1 => +OK\r\n
RPUSH z aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb => :2\r\n
RPUSH z ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 => :19\r\n
LINDEX z 2 => $67\r\nccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\r\n
LINSERT z AFTER 5 five => :20\r\n
LREM z 0 3 => :1\r\n
LSET z 4 replaced => +OK\r\n
LRANGE z 0 -1 => *19\r\n$67\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n$73\r\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n$67\r\nccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\r\n$1\r\n1\r\n$8\r\nreplaced\r\n$1\r\n4\r\n$1\r\n5\r\n$4\r\nfive\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n$2\r\n11\r\n$2\r\n12\r\n$2\r\n13\r\n$2\r\n14\r\n$2\r\n15\r\n$2\r\n16\r\n
LPOS z five => :7\r\n
CONFIG SET list-compress-depth 0 => +OK\r\n
CONFIG SET list-max-listpack-size -2 => +OK\r\n
EOF
    assert_success
}

# bulk_rpush KEY N: RPUSH 0 .. N-1 to KEY in batches of 10000 arguments.
bulk_rpush() {
    "$KV_PYTHON" -c '
import os, sys
sys.path.insert(0, os.path.join(os.environ["KV_REPO"], "tests", "helpers"))
import resp
c = resp.Connection("127.0.0.1", int(sys.argv[1]))
key, n = sys.argv[2].encode(), int(sys.argv[3])
for start in range(0, n, 10000):
    args = [b"RPUSH", key] + [str(i).encode() for i in range(start, min(n, start + 10000))]
    c.send(resp.encode_command(args))
    c.read_reply(timeout=30)
' "$KVD_PORT" "$1" "$2"
}

@test "a 200000-element list: huge ranges and scans stay bounded and correct" {
    bulk_rpush big 200000
    run kvcli LLEN big
    assert_output 200000
    run kvcli OBJECT ENCODING big
    assert_output quicklist
    run kvcli LINDEX big 123456
    assert_output 123456
    run kvcli LINDEX big -1
    assert_output 199999
    # The whole list, asked for with the largest indexes there are.
    run bash -c "redis-cli -h 127.0.0.1 -p $KVD_PORT LRANGE big 0 9223372036854775807 | wc -l"
    assert_output 200000
    run bash -c "redis-cli -h 127.0.0.1 -p $KVD_PORT LRANGE big -9223372036854775808 -199998 | tr '\n' ' '"
    assert_output "0 1 2 "
    run kvcli LPOS big nosuch COUNT 0 MAXLEN 0
    assert_output ""
    run kvcli LPOS big 199999
    assert_output 199999
    run kvcli LPOS big 150000 RANK -1 MAXLEN 60000
    assert_output 150000
    run kvcli LTRIM big 100 -101
    assert_output OK
    run kvcli LLEN big
    assert_output 199800
    run kvcli LRANGE big 0 1
    assert_output $'100\n101'
    run kvcli LINSERT big BEFORE 150000 inserted
    assert_output 199801
    run kvcli LINDEX big 149900
    assert_output inserted
    run kvcli LREM big 0 inserted
    assert_output 1
    run kvcli LPOP big 3
    assert_output $'100\n101\n102'
    run kvcli RPOP big 2
    assert_output $'199899\n199898'
}

@test "DEBUG OBJECT reports Redis's quicklist fields; DIGEST-VALUE matches Redis" {
    kvcli CONFIG SET list-max-listpack-size 4 >/dev/null
    kvcli RPUSH q 1 2 3 4 5 6 7 8 9 10 >/dev/null
    run kvcli DEBUG OBJECT q
    assert_output --regexp ' encoding:quicklist serializedlength:[0-9]+ lru:[0-9]+ lru_seconds_idle:[0-9]+ ql_nodes:3 ql_avg_node:3.33 ql_listpack_max:4 ql_compressed:0 ql_uncompressed_size:[0-9]+$'
    kvcli CONFIG SET list-max-listpack-size -2 >/dev/null
    kvcli CONFIG SET list-compress-depth 1 >/dev/null
    kvcli RPUSH l a b c 1 2 >/dev/null
    run kvcli DEBUG OBJECT l
    assert_output --regexp 'serializedlength:23 .* ql_nodes:1 ql_avg_node:5.00 ql_listpack_max:-2 ql_compressed:1 ql_uncompressed_size:20$'
    # The digest redis-server 7.0.15 prints for this list.
    run kvcli DEBUG DIGEST-VALUE l
    assert_output f48a1249517530ff1906fc79ddbf9b687f71f06f
}

@test "COPY duplicates a list deeply; MEMORY USAGE grows with the list" {
    kvcli RPUSH src a b c >/dev/null
    run kvcli COPY src dst
    assert_output 1
    kvcli RPUSH src d >/dev/null
    run kvcli LRANGE dst 0 -1
    assert_output $'a\nb\nc'
    small=$(kvcli MEMORY USAGE dst)
    bulk_rpush dst 5000
    big=$(kvcli MEMORY USAGE dst)
    [ "$small" -gt 0 ]
    [ "$big" -gt $((small + 5000)) ]
}

@test "COMMAND GETKEYS finds the movable keys of LMPOP and BLMPOP" {
    run kvcli COMMAND GETKEYS LMPOP 2 a b LEFT COUNT 3
    assert_output $'a\nb'
    run kvcli COMMAND GETKEYS BLMPOP 0 1 k RIGHT
    assert_output k
    run kvcli COMMAND GETKEYS LMPOP 0 a LEFT
    assert_output "ERR Invalid arguments specified for command"
    run kvcli COMMAND GETKEYS BLPOP a b 0
    assert_output $'a\nb'
    run kvcli COMMAND GETKEYS BLMOVE a b LEFT RIGHT 0
    assert_output $'a\nb'
}

# Byte-exact DUMP of list l, as hex (DUMP shows the node layout).
dump_hex() { kvcli "$@" DUMP l | od -An -tx1 | tr -d ' \n'; }

@test "DEBUG QUICKLIST-PACKED-THRESHOLD: Redis's units, bounds and error" {
    run kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 1k
    assert_output OK
    run kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 4095mb
    assert_output OK
    for bad in 4gb -1 1.5k abc 5000000000; do
        run resp_cmd DEBUG QUICKLIST-PACKED-THRESHOLD "$bad"
        assert_output "-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n"
    done
    run resp_cmd DEBUG QUICKLIST-PACKED-THRESHOLD
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'QUICKLIST-PACKED-THRESHOLD'. Try DEBUG HELP.\r\n"
    run kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 0
    assert_output OK
}

@test "plain nodes: every list command across the threshold; node layout as in Redis" {
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 10 >/dev/null
    kvcli RPUSH l a b 0123456789 c 12345678901 d >/dev/null
    run kvcli LINSERT l BEFORE c XXXXXXXXXXXXXXX
    assert_output 7
    run kvcli LSET l 0 YYYYYYYYYYYY
    assert_output OK
    run kvcli LSET l 2 z
    assert_output OK
    run kvcli LRANGE l 0 -1
    assert_output $'YYYYYYYYYYYY\nb\nz\nXXXXXXXXXXXXXXX\nc\n12345678901\nd'
    run kvcli LINDEX l 5
    assert_output 12345678901
    run kvcli LPOS l XXXXXXXXXXXXXXX
    assert_output 3
    run kvcli LREM l 0 YYYYYYYYYYYY
    assert_output 1
    # redis-server 7.0.15 holds this list as 6 nodes, two of them PLAIN
    # (container 01), and dumps it as these bytes.
    run kvcli DEBUG OBJECT l
    assert_output --regexp ' serializedlength:79 .*ql_nodes:6 ql_avg_node:1.00 '
    run dump_hex
    assert_output 1206020a0a0000000100816202ff020a0a0000000100817a02ff010f585858585858585858585858585858020a0a0000000100816302ff010b3132333435363738393031020a0a0000000100816402ff0a0006e98308661e9faa0a
    run kvcli LMOVE l l2 LEFT RIGHT
    assert_output b
    run kvcli RPOPLPUSH l l2
    assert_output d
    run kvcli LPOP l 2
    assert_output $'z\nXXXXXXXXXXXXXXX'
    run kvcli LTRIM l 1 -1
    assert_output OK
    run kvcli LRANGE l 0 -1
    assert_output 12345678901
    run kvcli RPOP l
    assert_output 12345678901
    run kvcli EXISTS l
    assert_output 0
}

@test "plain nodes are compressed in the middle, survive DEBUG RELOAD, RESTORE and COPY" {
    kvcli CONFIG SET list-compress-depth 1 >/dev/null
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 100 >/dev/null
    big=$(printf 'p%.0s' {1..300})
    kvcli RPUSH l "$big" a "$big" b "$big" "$big" c >/dev/null
    run kvcli DEBUG OBJECT l
    assert_output --regexp 'ql_nodes:7 .*ql_compressed:1 '
    before=$(kvcli LRANGE l 0 -1 | md5sum)
    dump=$(dump_hex)
    run kvcli DEBUG RELOAD
    assert_output OK
    [ "$(kvcli LRANGE l 0 -1 | md5sum)" = "$before" ]
    [ "$(dump_hex)" = "$dump" ]
    run kvcli LINDEX l 4
    assert_output "$big"
    kvcli COPY l l2 >/dev/null
    run kvcli LRANGE l2 5 6
    assert_output $'p'"${big:1}"$'\nc'
    # A plain node stays plain when the threshold goes back to 1 GB.
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 0 >/dev/null
    kvcli DEL l2 >/dev/null
    kvcli DUMP l | head -c -1 >"$BATS_TEST_TMPDIR/payload"
    kvcli -x RESTORE l2 0 <"$BATS_TEST_TMPDIR/payload" >/dev/null
    [ "$(kvcli LRANGE l2 0 -1 | md5sum)" = "$before" ]
    [ "$(dump_hex)" = "$dump" ]
}

@test "RDB files with PLAIN list nodes go both ways between kvd and redis-server 7.0" {
    big=$(printf 'q%.0s' {1..500})
    mkdir -p "$BATS_TEST_TMPDIR/r" "$BATS_TEST_TMPDIR/k"
    # redis-server writes one...
    KVD_SERVER=/usr/bin/redis-server kvd_start_as REDIS --dir "$BATS_TEST_TMPDIR/r"
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 200 >/dev/null
    kvcli RPUSH l a "$big" 12345 "$big" b >/dev/null
    want=$(kvcli LRANGE l 0 -1 | md5sum)
    want_dump=$(dump_hex)
    kvcli SAVE >/dev/null
    cp "$BATS_TEST_TMPDIR/r/dump.rdb" "$BATS_TEST_TMPDIR/k/"
    kvd_stop REDIS
    # ... that kvd (default threshold) loads with the same nodes ...
    kvd_start_as KVD --dir "$BATS_TEST_TMPDIR/k"
    [ "$(kvcli LRANGE l 0 -1 | md5sum)" = "$want" ]
    [ "$(dump_hex)" = "$want_dump" ]
    run kvcli DEBUG OBJECT l
    assert_output --regexp 'ql_nodes:5 '
    # ... and kvd writes one that redis-server loads and checks.
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 200 >/dev/null
    kvcli RPUSH l "$big" c >/dev/null
    want=$(kvcli LRANGE l 0 -1 | md5sum)
    want_dump=$(dump_hex)
    kvcli SAVE >/dev/null
    kvd_stop KVD
    rm -f "$BATS_TEST_TMPDIR/r/dump.rdb"
    cp "$BATS_TEST_TMPDIR/k/dump.rdb" "$BATS_TEST_TMPDIR/r/"
    run redis-check-rdb "$BATS_TEST_TMPDIR/r/dump.rdb"
    assert_success
    KVD_SERVER=/usr/bin/redis-server kvd_start_as REDIS --dir "$BATS_TEST_TMPDIR/r"
    [ "$(kvcli LRANGE l 0 -1 | md5sum)" = "$want" ]
    [ "$(dump_hex)" = "$want_dump" ]
    run kvcli LLEN l
    assert_output 7
}

@test "huge counts and indexes answer at once with small replies (no huge allocation)" {
    kvcli RPUSH l a b c >/dev/null
    run kvcli LRANGE l 0 9223372036854775807
    assert_output $'a\nb\nc'
    run kvcli LRANGE l -9223372036854775808 9223372036854775807
    assert_output $'a\nb\nc'
    run resp_cmd LINDEX l -9223372036854775808
    assert_output '$-1\r\n'
    run kvcli LPOS l c COUNT 9223372036854775807 MAXLEN 9223372036854775807
    assert_output 2
    run kvcli LPOP l 9223372036854775807
    assert_output $'a\nb\nc'
    run kvcli EXISTS l
    assert_output 0
    # still answering, and no reply buffer of gigabytes was built
    run kvcli PING
    assert_output PONG
    used=$(kvcli INFO memory | tr -d '\r' | sed -n 's/^used_memory_peak://p')
    [ "$used" -lt 100000000 ]
}
