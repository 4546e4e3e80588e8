#!/usr/bin/env bats
# Sorted set commands (kvd/t_zset.c, kvd/zskiplist.c): ZADD ZINCRBY ZREM
# ZCARD ZSCORE ZMSCORE ZCOUNT ZLEXCOUNT ZRANK ZREVRANK ZRANGE ZRANGESTORE
# ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX
# ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP
# BZPOPMIN BZPOPMAX BZMPOP ZRANDMEMBER ZUNION ZINTER ZDIFF ZUNIONSTORE
# ZINTERSTORE ZDIFFSTORE ZINTERCARD ZSCAN; the listpack -> skiplist
# conversions at zset-max-listpack-entries / -value and the encodings the
# store commands pick; score parsing and formatting; errors; RESP3 shapes;
# blocking pops; large sets; and random operations against a model.
#
# Expected replies were taken from redis-server 7.0.15, and the suite passes
# against it too:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/zset.bats
#
# One server for the whole file; every test starts from FLUSHALL and the
# default zset-max-listpack-entries / -value.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    kvcli FLUSHALL >/dev/null
    kvcli CONFIG SET zset-max-listpack-entries 128 >/dev/null
    kvcli CONFIG SET zset-max-listpack-value 64 >/dev/null
}



@test "ZADD ZCARD ZSCORE ZRANGE basics, listpack order by score then member" {
    check <<'EOF'
ZADD z 1 a 2 b 3 c => :3\r\n
ZADD z 2 x 2 a 0 "" 2 "a\x00" => :3\r\n
ZCARD z => :6\r\n
ZCARD nokey => :0\r\n
ZSCORE z a => $1\r\n2\r\n
ZSCORE z nosuch => $-1\r\n
ZSCORE nokey a => $-1\r\n
ZRANGE z 0 -1 WITHSCORES => *12\r\n$0\r\n\r\n$1\r\n0\r\n$1\r\na\r\n$1\r\n2\r\n$2\r\na\x00\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n
TYPE z => +zset\r\n
OBJECT ENCODING z => $8\r\nlistpack\r\n
ZADD z 5 a => :0\r\n
ZADD z CH 5 a 6 b 7 new => :2\r\n
ZRANGE z 0 -1 WITHSCORES => *14\r\n$0\r\n\r\n$1\r\n0\r\n$2\r\na\x00\r\n$1\r\n2\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nb\r\n$1\r\n6\r\n$3\r\nnew\r\n$1\r\n7\r\n
EOF
}

@test "ZADD NX XX GT LT CH INCR and their errors" {
    check <<'EOF'
ZADD z 1 a 2 b => :2\r\n
ZADD z NX 10 a 3 c => :1\r\n
ZADD z XX 10 a 4 d => :0\r\n
ZADD z XX CH 11 a 4 d => :1\r\n
ZADD z GT CH 5 a 20 b 6 e => :2\r\n
ZADD z LT CH 100 a 1 b => :1\r\n
ZADD z XX GT 1 a 50 c => :0\r\n
ZRANGE z 0 -1 WITHSCORES => *8\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\ne\r\n$1\r\n6\r\n$1\r\na\r\n$2\r\n11\r\n$1\r\nc\r\n$2\r\n50\r\n
ZADD z INCR 2.5 a => $4\r\n13.5\r\n
ZADD z INCR NX 1 a => $-1\r\n
ZADD z INCR XX 1 nosuch => $-1\r\n
ZADD z INCR GT -1 a => $-1\r\n
ZADD z INCR LT -1 a => $4\r\n12.5\r\n
ZADD z INCR 3 fresh => $1\r\n3\r\n
ZADD nokey XX 1 a => :0\r\n
EXISTS nokey => :0\r\n
ZADD z NX XX 1 a => -ERR XX and NX options at the same time are not compatible\r\n
ZADD z GT LT 1 a => -ERR GT, LT, and/or NX options at the same time are not compatible\r\n
ZADD z NX GT 1 a => -ERR GT, LT, and/or NX options at the same time are not compatible\r\n
ZADD z NX LT 1 a => -ERR GT, LT, and/or NX options at the same time are not compatible\r\n
ZADD z INCR 1 a 2 b => -ERR INCR option supports a single increment-element pair\r\n
ZADD z 1 => -ERR wrong number of arguments for 'zadd' command\r\n
ZADD z 1 a 2 => -ERR syntax error\r\n
ZADD z CH => -ERR wrong number of arguments for 'zadd' command\r\n
ZADD z x a => -ERR value is not a valid float\r\n
ZADD z 1 a nan b => -ERR value is not a valid float\r\n
ZADD z "" a => -ERR value is not a valid float\r\n
ZADD z "1 " a => -ERR value is not a valid float\r\n
ZADD z INCR -inf inf => $4\r\n-inf\r\n
ZADD z INCR +inf inf => -ERR resulting score is not a number (NaN)\r\n
ZADD z INCR -inf inf => $4\r\n-inf\r\n
ZSCORE z inf => $4\r\n-inf\r\n
ZINCRBY z 1 a => $4\r\n13.5\r\n
ZINCRBY z -1.5 newm => $4\r\n-1.5\r\n
ZINCRBY z nx a => -ERR syntax error\r\n
ZINCRBY z abc a => -ERR value is not a valid float\r\n
EOF
}

@test "scores: infinities, %.17g, integers, and -0 in listpack vs skiplist" {
    check <<'EOF'
ZADD f 0.1 a 1.5 b 1e17 c +inf d -inf e 1e300 f 0x10 g 1e-310 h => :8\r\n
ZRANGE f 0 -1 WITHSCORES => *16\r\n$1\r\ne\r\n$4\r\n-inf\r\n$1\r\nh\r\n$23\r\n9.9999999999999694e-311\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nb\r\n$3\r\n1.5\r\n$1\r\ng\r\n$2\r\n16\r\n$1\r\nc\r\n$5\r\n1e+17\r\n$1\r\nf\r\n$23\r\n1.0000000000000001e+300\r\n$1\r\nd\r\n$3\r\ninf\r\n
ZADD f -0 zero => :1\r\n
ZSCORE f zero => $1\r\n0\r\n
ZADD f 1e400 big => -ERR value is not a valid float\r\n
ZADD f 1e-400 small => -ERR value is not a valid float\r\n
ZADD f nan n => -ERR value is not a valid float\r\n
ZADD f inf a => :0\r\n
ZSCORE f a => $3\r\ninf\r\n
CONFIG SET zset-max-listpack-entries 0 => +OK\r\n
ZADD s -0 zero 0.1 a 1e17 c => :3\r\n
OBJECT ENCODING s => $8\r\nskiplist\r\n
ZSCORE s zero => $2\r\n-0\r\n
ZRANGE s 0 -1 WITHSCORES => *6\r\n$4\r\nzero\r\n$2\r\n-0\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nc\r\n$5\r\n1e+17\r\n
ZSCAN f 0 MATCH [bc] => *2\r\n$1\r\n0\r\n*4\r\n$1\r\nb\r\n$3\r\n1.5\r\n$1\r\nc\r\n$18\r\n100000000000000000\r\n
CONFIG SET zset-max-listpack-entries 128 => +OK\r\n
EOF
}

@test "zset-max-listpack-entries: conversion when a member is added past it" {
    check <<'EOF'
CONFIG SET zset-max-listpack-entries 4 => +OK\r\n
ZADD t 1 a 2 b 3 c 4 d => :4\r\n
OBJECT ENCODING t => $8\r\nlistpack\r\n
ZADD t 4 d 1 a => :0\r\n
OBJECT ENCODING t => $8\r\nlistpack\r\n
ZADD t XX 5 e => :0\r\n
OBJECT ENCODING t => $8\r\nlistpack\r\n
ZADD t 5 e => :1\r\n
OBJECT ENCODING t => $8\r\nskiplist\r\n
ZRANGE t 0 -1 WITHSCORES => *10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n
ZREM t a b c d => :4\r\n
OBJECT ENCODING t => $8\r\nskiplist\r\n
ZADD t2 1 a 2 b 3 c 4 d 5 e => :5\r\n
OBJECT ENCODING t2 => $8\r\nskiplist\r\n
ZADD t3 1 a 2 b 3 c 4 d => :4\r\n
ZINCRBY t3 1 e => $1\r\n1\r\n
OBJECT ENCODING t3 => $8\r\nskiplist\r\n
CONFIG SET zset-max-listpack-entries 0 => +OK\r\n
ZADD t4 1 a => :1\r\n
OBJECT ENCODING t4 => $8\r\nskiplist\r\n
CONFIG SET zset-max-listpack-entries 128 => +OK\r\n
EOF
}

@test "zset-max-listpack-value: the first member decides at creation, later ones convert" {
    check <<'EOF'
CONFIG SET zset-max-listpack-value 4 => +OK\r\n
ZADD v 1 abcd => :1\r\n
OBJECT ENCODING v => $8\r\nlistpack\r\n
ZADD v 2 abcde => :1\r\n
OBJECT ENCODING v => $8\r\nskiplist\r\n
ZADD v2 1 abcde 2 a => :2\r\n
OBJECT ENCODING v2 => $8\r\nskiplist\r\n
ZADD v3 1 a 2 abcde => :2\r\n
OBJECT ENCODING v3 => $8\r\nskiplist\r\n
ZADD v4 1 a => :1\r\n
ZINCRBY v4 1 abcdef => $1\r\n1\r\n
OBJECT ENCODING v4 => $8\r\nskiplist\r\n
ZADD v5 1 abcd => :1\r\n
ZADD v5 XX 1 abcdefgh => :0\r\n
OBJECT ENCODING v5 => $8\r\nlistpack\r\n
CONFIG SET zset-max-listpack-value 64 => +OK\r\n
EOF
}

@test "store commands pick the result encoding as Redis 7.0" {
    check <<'EOF'
CONFIG SET zset-max-listpack-entries 3 => +OK\r\n
ZADD big 1 a 2 b 3 c 4 d 5 e => :5\r\n
OBJECT ENCODING big => $8\r\nskiplist\r\n
ZRANGESTORE d1 big 0 2 => :3\r\n
OBJECT ENCODING d1 => $8\r\nlistpack\r\n
ZRANGESTORE d2 big 0 3 => :4\r\n
OBJECT ENCODING d2 => $8\r\nskiplist\r\n
ZUNIONSTORE d3 1 big => :5\r\n
OBJECT ENCODING d3 => $8\r\nskiplist\r\n
ZINTERSTORE d4 2 big d1 => :3\r\n
OBJECT ENCODING d4 => $8\r\nlistpack\r\n
ZDIFFSTORE d5 2 big d2 => :1\r\n
OBJECT ENCODING d5 => $8\r\nlistpack\r\n
ZRANGE d5 0 -1 WITHSCORES => *2\r\n$1\r\ne\r\n$1\r\n5\r\n
CONFIG SET zset-max-listpack-value 0 => +OK\r\n
ZUNIONSTORE d6 1 d1 => :3\r\n
OBJECT ENCODING d6 => $8\r\nskiplist\r\n
CONFIG SET zset-max-listpack-value 64 => +OK\r\n
CONFIG SET zset-max-listpack-entries 128 => +OK\r\n
EOF
}

@test "ZREM deletes the emptied key; ZRANK ZREVRANK ZCOUNT ZLEXCOUNT ZMSCORE" {
    check <<'EOF'
ZADD r 1 a 2 b 3 c => :3\r\n
ZREM r a nosuch a => :1\r\n
ZREM r b c d => :2\r\n
EXISTS r => :0\r\n
ZREM r a => :0\r\n
ZADD r 1 a 2 b 2 c 5 d => :4\r\n
ZRANK r a => :0\r\n
ZRANK r c => :2\r\n
ZRANK r nosuch => $-1\r\n
ZRANK nokey a => $-1\r\n
ZREVRANK r a => :3\r\n
ZREVRANK r d => :0\r\n
ZCOUNT r 2 5 => :3\r\n
ZCOUNT r (2 5 => :1\r\n
ZCOUNT r -inf (5 => :3\r\n
ZCOUNT r 5 2 => :0\r\n
ZCOUNT r x 2 => -ERR min or max is not a float\r\n
ZCOUNT nokey 0 1 => :0\r\n
ZLEXCOUNT r - + => :4\r\n
ZLEXCOUNT r [b (d => :2\r\n
ZLEXCOUNT r b d => -ERR min or max not valid string range item\r\n
ZMSCORE r a nosuch d => *3\r\n$1\r\n1\r\n$-1\r\n$1\r\n5\r\n
ZMSCORE nokey a b => *2\r\n$-1\r\n$-1\r\n
EOF
}

@test "ZRANGE by rank, score and lex; REV; LIMIT; WITHSCORES; errors" {
    check <<'EOF'
ZADD g 1 a 2 b 3 c 4 d 5 e => :5\r\n
ZRANGE g 1 -2 => *3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n
ZRANGE g -100 100 WITHSCORES => *10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n
ZRANGE g 3 1 => *0\r\n
ZRANGE g 0 1 REV => *2\r\n$1\r\ne\r\n$1\r\nd\r\n
ZRANGE g (1 4 BYSCORE => *3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n
ZRANGE g 4 (1 BYSCORE REV WITHSCORES => *6\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n
ZRANGE g -inf +inf BYSCORE LIMIT 1 2 => *2\r\n$1\r\nb\r\n$1\r\nc\r\n
ZRANGE g -inf +inf BYSCORE LIMIT -1 2 => *0\r\n
ZRANGE g -inf +inf BYSCORE LIMIT 1 -1 => *4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n
ZRANGE g [b (d BYLEX => *2\r\n$1\r\nb\r\n$1\r\nc\r\n
ZRANGE g + - BYLEX REV LIMIT 0 2 => *2\r\n$1\r\ne\r\n$1\r\nd\r\n
ZRANGE g 0 -1 LIMIT 0 1 => -ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n
ZRANGE g - + BYLEX WITHSCORES => -ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n
ZRANGE g 0 -1 BYSCORE BYLEX => -ERR syntax error\r\n
ZRANGE g x 1 => -ERR value is not an integer or out of range\r\n
ZRANGE g x 1 BYSCORE => -ERR min or max is not a float\r\n
ZRANGE g x 1 BYLEX => -ERR min or max not valid string range item\r\n
ZRANGE g 0 1 LIMIT => -ERR syntax error\r\n
ZRANGE g 0 1 LIMIT x 1 => -ERR value is not an integer or out of range\r\n
ZRANGE nokey 0 -1 => *0\r\n
ZREVRANGE g 0 1 WITHSCORES => *4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n
ZRANGEBYSCORE g 2 4 WITHSCORES LIMIT 1 5 => *4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n
ZREVRANGEBYSCORE g +inf 4 => *2\r\n$1\r\ne\r\n$1\r\nd\r\n
ZRANGEBYLEX g (a [c => *2\r\n$1\r\nb\r\n$1\r\nc\r\n
ZREVRANGEBYLEX g [c (a => *2\r\n$1\r\nc\r\n$1\r\nb\r\n
ZRANGEBYSCORE g 0 1 REV => -ERR syntax error\r\n
ZREVRANGEBYLEX g - + BYLEX => -ERR syntax error\r\n
EOF
}

@test "ZRANGESTORE stores, overwrites, and deletes on an empty result" {
    check <<'EOF'
SET dst v => +OK\r\n
EXPIRE dst 100 => :1\r\n
ZADD src 1 a 2 b 3 c => :3\r\n
ZRANGESTORE dst src 0 1 => :2\r\n
TYPE dst => +zset\r\n
TTL dst => :-1\r\n
ZRANGE dst 0 -1 WITHSCORES => *4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n
ZRANGESTORE dst src (1 +inf BYSCORE LIMIT 1 1 => :1\r\n
ZRANGE dst 0 -1 WITHSCORES => *2\r\n$1\r\nc\r\n$1\r\n3\r\n
ZRANGESTORE dst src [b + BYLEX REV => :0\r\n
ZRANGE dst 0 -1 WITHSCORES => *0\r\n
ZRANGESTORE dst src 5 10 => :0\r\n
EXISTS dst => :0\r\n
ZRANGESTORE dst nokey 0 -1 => :0\r\n
ZRANGESTORE dst src 0 -1 WITHSCORES => -ERR syntax error\r\n
ZRANGESTORE src src 1 1 => :1\r\n
ZRANGE src 0 -1 WITHSCORES => *2\r\n$1\r\nb\r\n$1\r\n2\r\n
EOF
}

@test "ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX" {
    check <<'EOF'
ZADD g 1 a 2 b 3 c 4 d 5 e 6 f => :6\r\n
ZREMRANGEBYRANK g 0 1 => :2\r\n
ZREMRANGEBYRANK g -1 -1 => :1\r\n
ZREMRANGEBYRANK g 10 20 => :0\r\n
ZRANGE g 0 -1 => *3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n
ZREMRANGEBYSCORE g (3 4 => :1\r\n
ZREMRANGEBYSCORE g x 4 => -ERR min or max is not a float\r\n
ZRANGE g 0 -1 => *2\r\n$1\r\nc\r\n$1\r\ne\r\n
ZADD g 0 a 0 b => :2\r\n
ZREMRANGEBYLEX g [a (c => :2\r\n
ZREMRANGEBYLEX g a c => -ERR min or max not valid string range item\r\n
ZRANGE g 0 -1 WITHSCORES => *4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\ne\r\n$1\r\n5\r\n
ZREMRANGEBYSCORE g -inf +inf => :2\r\n
EXISTS g => :0\r\n
ZREMRANGEBYRANK nokey 0 -1 => :0\r\n
ZREMRANGEBYRANK g x 1 => -ERR value is not an integer or out of range\r\n
EOF
}

@test "ZPOPMIN ZPOPMAX ZMPOP and their errors" {
    check <<'EOF'
ZADD p 1 a 2 b 3 c 4 d => :4\r\n
ZPOPMIN p => *2\r\n$1\r\na\r\n$1\r\n1\r\n
ZPOPMAX p 2 => *4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n
ZPOPMIN p 0 => *0\r\n
ZPOPMIN p -1 => -ERR value is out of range, must be positive\r\n
ZPOPMIN p x => -ERR value is out of range, must be positive\r\n
ZPOPMIN p 1 1 => -ERR syntax error\r\n
ZPOPMAX p 10 => *2\r\n$1\r\nb\r\n$1\r\n2\r\n
EXISTS p => :0\r\n
ZPOPMIN p => *0\r\n
ZADD m1 1 a 2 b => :2\r\n
ZMPOP 2 nokey m1 MAX COUNT 5 => *2\r\n$2\r\nm1\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n
ZMPOP 1 m1 MIN => *-1\r\n
ZMPOP 0 m1 MIN => -ERR numkeys should be greater than 0\r\n
ZMPOP x m1 MIN => -ERR numkeys should be greater than 0\r\n
ZMPOP 2 m1 MIN => -ERR syntax error\r\n
ZMPOP 1 m1 LEFT => -ERR syntax error\r\n
ZMPOP 1 m1 MIN COUNT 0 => -ERR count should be greater than 0\r\n
ZMPOP 1 m1 MIN COUNT x => -ERR count should be greater than 0\r\n
ZMPOP 1 m1 MIN COUNT 1 COUNT 1 => -ERR syntax error\r\n
EOF
}

@test "ZUNION ZINTER ZDIFF ZINTERCARD and STORE forms, with sets as inputs" {
    check <<'EOF'
ZADD z1 1 a 2 b 3 c => :3\r\n
ZADD z2 10 b 20 c 30 d => :3\r\n
SADD s1 a c x => :3\r\n
ZUNION 2 z1 z2 WITHSCORES => *8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n
ZUNION 3 z1 z2 s1 WEIGHTS 1 2 3 WITHSCORES => *10\r\n$1\r\nx\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\n4\r\n$1\r\nb\r\n$2\r\n22\r\n$1\r\nc\r\n$2\r\n46\r\n$1\r\nd\r\n$2\r\n60\r\n
ZUNION 2 z1 z2 AGGREGATE MAX WITHSCORES => *8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\nc\r\n$2\r\n20\r\n$1\r\nd\r\n$2\r\n30\r\n
ZINTER 2 z1 z2 AGGREGATE MIN WITHSCORES => *4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n
ZINTER 2 z1 s1 WITHSCORES => *4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n4\r\n
ZDIFF 2 z1 z2 WITHSCORES => *2\r\n$1\r\na\r\n$1\r\n1\r\n
ZDIFF 2 z1 s1 => *1\r\n$1\r\nb\r\n
ZINTERCARD 2 z1 z2 => :2\r\n
ZINTERCARD 2 z1 z2 LIMIT 1 => :1\r\n
ZINTERCARD 2 z1 z2 LIMIT -1 => -ERR LIMIT can't be negative\r\n
ZUNIONSTORE out 2 z1 z2 WEIGHTS 2 1 => :4\r\n
ZRANGE out 0 -1 WITHSCORES => *8\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$2\r\n14\r\n$1\r\nc\r\n$2\r\n26\r\n$1\r\nd\r\n$2\r\n30\r\n
ZINTERSTORE out 2 z1 nokey => :0\r\n
EXISTS out => :0\r\n
ZDIFFSTORE out 2 z2 z1 => :1\r\n
ZRANGE out 0 -1 WITHSCORES => *2\r\n$1\r\nd\r\n$2\r\n30\r\n
ZUNION 0 z1 => -ERR at least 1 input key is needed for 'zunion' command\r\n
ZUNIONSTORE out 0 z1 => -ERR at least 1 input key is needed for 'zunionstore' command\r\n
ZUNION 3 z1 z2 => -ERR syntax error\r\n
ZUNION 2 z1 z2 WEIGHTS 1 => -ERR syntax error\r\n
ZUNION 2 z1 z2 WEIGHTS 1 x => -ERR weight value is not a float\r\n
ZUNION 2 z1 z2 AGGREGATE AVG => -ERR syntax error\r\n
ZDIFF 2 z1 z2 WEIGHTS 1 1 => -ERR syntax error\r\n
ZUNIONSTORE out 2 z1 z2 WITHSCORES => -ERR syntax error\r\n
ZADD i1 +inf a => :1\r\n
ZADD i2 -inf a => :1\r\n
ZUNION 2 i1 i2 WITHSCORES => *2\r\n$1\r\na\r\n$1\r\n0\r\n
ZUNION 2 i1 i2 WEIGHTS 0 1 WITHSCORES => *2\r\n$1\r\na\r\n$4\r\n-inf\r\n
EOF
}

@test "WRONGTYPE from every sorted set command on a string key" {
    check <<'EOF'
SET str v => +OK\r\n
ZADD str 1 a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZINCRBY str 1 a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREM str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZCARD str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZSCORE str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZMSCORE str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZCOUNT str 0 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZLEXCOUNT str - + => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZRANK str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREVRANK str a => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZRANGE str 0 -1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZRANGESTORE d str 0 -1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREVRANGE str 0 -1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZRANGEBYSCORE str 0 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREVRANGEBYSCORE str 1 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZRANGEBYLEX str - + => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREVRANGEBYLEX str + - => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREMRANGEBYRANK str 0 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREMRANGEBYSCORE str 0 1 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZREMRANGEBYLEX str - + => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZPOPMIN str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZPOPMAX str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZMPOP 1 str MIN => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
BZPOPMIN str 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
BZPOPMAX str 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
BZMPOP 0 1 str MIN => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZRANDMEMBER str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZRANDMEMBER str 2 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZUNION 1 str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZINTER 1 str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZDIFF 1 str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZINTERCARD 1 str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZUNIONSTORE d 1 str => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
ZSCAN str 0 => -WRONGTYPE Operation against a key holding the wrong kind of value\r\n
EOF
}

@test "wrong number of arguments" {
    check <<'EOF'
ZADD z 1 => -ERR wrong number of arguments for 'zadd' command\r\n
ZINCRBY z 1 => -ERR wrong number of arguments for 'zincrby' command\r\n
ZREM z => -ERR wrong number of arguments for 'zrem' command\r\n
ZCARD => -ERR wrong number of arguments for 'zcard' command\r\n
ZSCORE z => -ERR wrong number of arguments for 'zscore' command\r\n
ZMSCORE z => -ERR wrong number of arguments for 'zmscore' command\r\n
ZCOUNT z 1 => -ERR wrong number of arguments for 'zcount' command\r\n
ZLEXCOUNT z - => -ERR wrong number of arguments for 'zlexcount' command\r\n
ZRANK z => -ERR wrong number of arguments for 'zrank' command\r\n
ZRANGE z 0 => -ERR wrong number of arguments for 'zrange' command\r\n
ZRANGESTORE d z 0 => -ERR wrong number of arguments for 'zrangestore' command\r\n
ZREMRANGEBYSCORE z 0 => -ERR wrong number of arguments for 'zremrangebyscore' command\r\n
ZPOPMIN => -ERR wrong number of arguments for 'zpopmin' command\r\n
ZMPOP 1 z => -ERR wrong number of arguments for 'zmpop' command\r\n
BZPOPMIN z => -ERR wrong number of arguments for 'bzpopmin' command\r\n
BZMPOP 0 1 z => -ERR wrong number of arguments for 'bzmpop' command\r\n
ZRANDMEMBER => -ERR wrong number of arguments for 'zrandmember' command\r\n
ZUNION 1 => -ERR wrong number of arguments for 'zunion' command\r\n
ZINTERCARD 1 => -ERR wrong number of arguments for 'zintercard' command\r\n
ZUNIONSTORE d 1 => -ERR wrong number of arguments for 'zunionstore' command\r\n
ZSCAN z => -ERR wrong number of arguments for 'zscan' command\r\n
EOF
}

@test "RESP3 reply shapes" {
    check <<'EOF'
ZADD z 1 a 2.5 b 3 c => :3\r\n
@hello3
ZSCORE z b => ,2.5\r\n
ZSCORE z nosuch => _\r\n
ZMSCORE z a nosuch => *2\r\n,1\r\n_\r\n
ZINCRBY z 0.5 a => ,1.5\r\n
ZADD z XX INCR 1 nosuch => _\r\n
ZRANGE z 0 1 WITHSCORES => *2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2.5\r\n
ZRANGE z 0 1 => *2\r\n$1\r\na\r\n$1\r\nb\r\n
ZREVRANGEBYSCORE z +inf -inf WITHSCORES LIMIT 0 1 => *1\r\n*2\r\n$1\r\nc\r\n,3\r\n
ZPOPMIN z => *2\r\n$1\r\na\r\n,1.5\r\n
ZPOPMAX z 1 => *1\r\n*2\r\n$1\r\nc\r\n,3\r\n
ZADD z 1 a 9 b => :1\r\n
ZMPOP 1 z MIN COUNT 5 => *2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,9\r\n
ZMPOP 1 nokey MIN => _\r\n
BZPOPMIN nokey 0.01 => _\r\n
ZADD z 1 a 2 b => :2\r\n
ZRANDMEMBER z 5 WITHSCORES => *2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n
ZUNION 1 z WITHSCORES => *2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n
ZSCAN z 0 => *2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n
EOF
}

@test "BZPOPMIN BZPOPMAX BZMPOP wait for a member and get it first" {
    run pyrun <<'EOF'
a, b = connect(), connect()
a.send("BZPOPMIN", "k1", "k2", 5)
if a.pending():
    fail("BZPOPMIN answered before any member existed")
if b.call("ZADD", "k2", 3, "x", 1, "y") != 2:
    fail("zadd")
got = a.read(5)
if got != [b"k2", b"y", b"1"]:
    fail("BZPOPMIN served %r" % (got,))
if b.call("ZRANGE", "k2", 0, -1) != [b"x"]:
    fail("what is left")
a.send("BZPOPMAX", "k3", 5)
b.call("ZADD", "k3", 1, "lo", 2, "hi")
if a.read(5) != [b"k3", b"hi", b"2"]:
    fail("BZPOPMAX")
a.send("BZMPOP", 5, 2, "k4", "k5", "MAX", "COUNT", 10)
if a.pending():
    fail("BZMPOP answered early")
b.call("ZADD", "k5", 1, "a", 2, "b", 3, "c")
if a.read(5) != [b"k5", [[b"c", b"3"], [b"b", b"2"], [b"a", b"1"]]]:
    fail("BZMPOP")
if b.call("EXISTS", "k5") != 0:
    fail("the emptied key must be gone")
# the client goes on with its pipeline after being served
a.send("BZPOPMIN", "k6", 5)
a.send("PING")
b.call("ZADD", "k6", 1, "m")
if a.read(5) != [b"k6", b"m", b"1"] or a.read(5) != b"PONG":
    fail("pipeline after the blocking command")
EOF
    assert_success
}

@test "blocked clients: FIFO order, timeouts, keys of another type, store commands" {
    run pyrun <<'EOF'
a, b, c = connect(), connect(), connect()
a.send("BZPOPMIN", "k", 5)
time.sleep(0.1)
b.send("BZPOPMIN", "k", 5)
time.sleep(0.1)
c.call("ZADD", "k", 1, "first", 2, "second")
if a.read(5) != [b"k", b"first", b"1"] or b.read(5) != [b"k", b"second", b"2"]:
    fail("waiters must be served in the order they blocked")
# a timeout answers a null array
start = time.time()
if a.call("BZPOPMIN", "nokey", "0.2") is not None:
    fail("timeout reply")
if time.time() - start < 0.15:
    fail("timed out too early")
# a key created with another type does not serve; the later sorted set does
a.send("BZPOPMAX", "w", 5)
c.call("SET", "w", "string")
if a.pending():
    fail("a string key served a BZPOPMAX")
c.call("DEL", "w")
c.call("ZADD", "w", 7, "z")
if a.read(5) != [b"w", b"z", b"7"]:
    fail("served after the type changed")
# keys created by ZUNIONSTORE and ZRANGESTORE serve waiters too
c.call("ZADD", "src", 1, "u", 2, "v")
a.send("BZPOPMIN", "dst1", 5)
c.call("ZUNIONSTORE", "dst1", 1, "src")
if a.read(5) != [b"dst1", b"u", b"1"]:
    fail("ZUNIONSTORE did not serve")
a.send("BZPOPMAX", "dst2", 5)
c.call("ZRANGESTORE", "dst2", "src", 0, -1)
if a.read(5) != [b"dst2", b"v", b"2"]:
    fail("ZRANGESTORE did not serve")
# a client that disconnects while blocked is forgotten
d = connect()
d.send("BZPOPMIN", "gone", 0)
time.sleep(0.1)
d.conn.close()
time.sleep(0.1)
c.call("ZADD", "gone", 1, "stays")
if c.call("ZCARD", "gone") != 1:
    fail("a disconnected waiter popped")
# errors come before blocking
if not isinstance(a.call("BZPOPMIN", "k", -1), Error):
    fail("negative timeout")
if not isinstance(a.call("BZMPOP", 0, 0, "k", "MIN"), Error):
    fail("numkeys 0")
EOF
    assert_success
}

@test "BZPOPMIN timeout replies in RESP3 and CLIENT UNBLOCK" {
    run pyrun <<'EOF'
a, b = connect(), connect()
a.call("HELLO", 3)
a.send("BZPOPMIN", "nokey", "0.05")
raw = a.conn.read_reply(timeout=5)
if raw != b"_\r\n":
    fail("RESP3 timeout reply %r" % raw)
cid = a.call("CLIENT", "ID")
a.send("BZMPOP", 0, 1, "nokey", "MIN")
time.sleep(0.1)
if b.call("CLIENT", "UNBLOCK", cid) != 1:
    fail("client unblock")
raw = a.conn.read_reply(timeout=5)
if raw != b"_\r\n":
    fail("unblocked reply %r" % raw)
EOF
    assert_success
}

@test "ZRANDMEMBER: whole set, repeats, distinct picks, both encodings" {
    check <<'EOF'
ZADD rm 1 a 2 b 3 c => :3\r\n
ZRANDMEMBER rm 5 WITHSCORES => *6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n
ZRANDMEMBER rm 0 => *0\r\n
ZRANDMEMBER nokey => $-1\r\n
ZRANDMEMBER nokey 3 => *0\r\n
ZRANDMEMBER rm x => -ERR value is not an integer or out of range\r\n
ZRANDMEMBER rm -9223372036854775808 => -ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n
ZRANDMEMBER rm 4611686018427387904 WITHSCORES => -ERR value is out of range\r\n
ZRANDMEMBER rm 1 WITHSCORES x => -ERR syntax error\r\n
ZRANDMEMBER rm 1 x => -ERR syntax error\r\n
EOF
    run pyrun <<'EOF'
for entries in (128, 0):
    call("CONFIG", "SET", "zset-max-listpack-entries", entries)
    call("DEL", "z")
    n = 60
    scores = {b"m%d" % i: i * 0.5 for i in range(n)}
    for m, s in scores.items():
        call("ZADD", "z", s, m)
    enc = call("OBJECT", "ENCODING", "z")
    if enc != (b"listpack" if entries else b"skiplist"):
        fail("encoding %r" % enc)
    if call("ZRANDMEMBER", "z") not in scores:
        fail("single pick")
    whole = call("ZRANDMEMBER", "z", n + 10)
    if whole != sorted(scores, key=lambda m: -scores[m]):
        fail("count >= size: whole set from the highest score")
    for count, distinct in ((-200, False), (n - 5, True), (n // 2 + 1, True), (7, True)):
        got = call("ZRANDMEMBER", "z", count, "WITHSCORES")
        if len(got) != 2 * abs(count):
            fail("%s: %d items for count %d" % (enc, len(got), count))
        members = got[0::2]
        for m, s in zip(members, got[1::2]):
            if m not in scores or float(s) != scores[m]:
                fail("%s: bad pair %r %r" % (enc, m, s))
        if distinct and len(set(members)) != len(members):
            fail("%s: repeats for count %d" % (enc, count))
    # a negative count repeats members, over many draws
    got = call("ZRANDMEMBER", "z", -1000)
    if len(got) != 1000 or len(set(got)) < n // 2:
        fail("%s: negative count draws %d distinct" % (enc, len(set(got))))
EOF
    assert_success
}

@test "ZSCAN: a listpack in one call, a skiplist by cursor, MATCH and errors" {
    check <<'EOF'
ZADD l 1 a 2.5 b 1e17 c => :3\r\n
ZSCAN l 0 => *2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nc\r\n$18\r\n100000000000000000\r\n
ZSCAN l 0 MATCH [ab] COUNT 1 => *2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n
ZSCAN l 0 COUNT 0 => -ERR syntax error\r\n
ZSCAN l 0 TYPE zset => -ERR syntax error\r\n
ZSCAN l x => -ERR invalid cursor\r\n
ZSCAN nokey 0 => *2\r\n$1\r\n0\r\n*0\r\n
EOF
    run pyrun <<'EOF'
n = 1000
for i in range(0, n, 100):
    args = []
    for j in range(i, i + 100):
        args += [j / 4, "m%d" % j]
    call("ZADD", "s", *args)
call("ZADD", "s", "1e17", "big", "-0", "negzero")
if call("OBJECT", "ENCODING", "s") != b"skiplist":
    fail("not a skiplist")
seen = {}
cursor, calls = b"0", 0
while True:
    cursor, items = call("ZSCAN", "s", cursor, "COUNT", 10)
    calls += 1
    for m, s in zip(items[0::2], items[1::2]):
        seen[m] = s
    if cursor == b"0" or calls > 10000:
        break
if len(seen) != n + 2 or calls < 10:
    fail("scan saw %d members in %d calls" % (len(seen), calls))
# scores as Redis prints them for a skiplist ("%.17Lg"), -0 kept
want = {b"m1": b"0.25", b"m400": b"100", b"big": b"1e+17", b"negzero": b"-0"}
if any(seen[m] != s for m, s in want.items()):
    fail("skiplist scores %r" % ([seen[m] for m in want],))
cursor, items = b"0", []
while True:
    cursor, part = call("ZSCAN", "s", cursor, "MATCH", "m99*", "COUNT", 50)
    items += part[0::2]
    if cursor == b"0":
        break
if sorted(set(items)) != sorted([b"m99"] + [b"m99%d" % i for i in range(10)]):
    fail("match %r" % (sorted(set(items)),))
EOF
    assert_success
}

@test "COPY, RENAME, DEBUG DIGEST-VALUE and MEMORY USAGE on sorted sets" {
    check <<'EOF'
ZADD a 1 x 2.5 y 3 z => :3\r\n
CONFIG SET zset-max-listpack-entries 0 => +OK\r\n
ZADD s 1 x 2.5 y 3 z => :3\r\n
OBJECT ENCODING s => $8\r\nskiplist\r\n
COPY a a2 => :1\r\n
OBJECT ENCODING a2 => $8\r\nlistpack\r\n
COPY s s2 => :1\r\n
OBJECT ENCODING s2 => $8\r\nskiplist\r\n
ZADD s2 9 w => :1\r\n
ZCARD s => :3\r\n
ZRANGE s2 0 -1 WITHSCORES => *8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$3\r\n2.5\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$1\r\n9\r\n
RENAME s2 s3 => +OK\r\n
ZSCORE s3 w => $1\r\n9\r\n
ZRANK s3 w => :3\r\n
EOF
    run pyrun <<'EOF'
d1 = call("DEBUG", "DIGEST-VALUE", "a")
d2 = call("DEBUG", "DIGEST-VALUE", "s")
if d1 != d2 or d1[0] == b"0" * 40:
    fail("the digest must not depend on the encoding: %r %r" % (d1, d2))
call("ZINCRBY", "s", 1, "x")
if call("DEBUG", "DIGEST-VALUE", "s") == d1:
    fail("digest did not change")
lp, sl = call("MEMORY", "USAGE", "a"), call("MEMORY", "USAGE", "s")
if not (isinstance(lp, int) and isinstance(sl, int) and 16 < lp < sl < 8192):
    fail("memory usage %r %r" % (lp, sl))
EOF
    assert_success
}

@test "large sorted sets: 200k members, huge ranges and counts stay bounded" {
    run pyrun <<'EOF'
n = 200000
for i in range(0, n, 1000):
    args = []
    for j in range(i, i + 1000):
        args += [j % 1000, "e%06d" % j]
    main.send("ZADD", "big", *args)
for i in range(0, n, 1000):
    if main.read() != 1000:
        fail("zadd batch")
if call("ZCARD", "big") != n or call("OBJECT", "ENCODING", "big") != b"skiplist":
    fail("card/encoding")
# score i%1000, ties ordered by member: e000005 (score 5) has rank 5*200
if call("ZRANK", "big", "e000005") != 1000 or call("ZREVRANK", "big", "e000005") != n - 1001:
    fail("rank %r" % call("ZRANK", "big", "e000005"))
if call("ZCOUNT", "big", 10, "(20") != 2000 or call("ZLEXCOUNT", "big", "-", "+") != n:
    fail("count")
got = call("ZRANGE", "big", "-inf", "+inf", "BYSCORE", "LIMIT", 199998, 9223372036854775807)
if got != [b"e198999", b"e199999"]:
    fail("limit at the end %r" % got)
if call("ZRANGE", "big", 0, 1, "BYSCORE", "LIMIT", 9223372036854775807, 1) != []:
    fail("huge offset")
if call("ZRANGE", "big", 199999, 9223372036854775807) != [b"e199999"]:
    fail("huge end")
if call("ZRANGE", "big", -9223372036854775808, 0) != [b"e000000"]:
    fail("huge negative start")
if call("ZREMRANGEBYRANK", "big", 0, 99999) != 100000 or call("ZCARD", "big") != 100000:
    fail("zremrangebyrank")
if call("ZUNIONSTORE", "u", 2, "big", "big", "WEIGHTS", 1, 2) != 100000:
    fail("union")
if call("ZSCORE", "u", "e199999") != b"2997":
    fail("union score %r" % call("ZSCORE", "u", "e199999"))
if call("ZINTERCARD", 2, "big", "u", "LIMIT", 10) != 10:
    fail("intercard")
popped = call("ZPOPMIN", "big", 9223372036854775807)
if len(popped) != 200000 or call("EXISTS", "big") != 0:
    fail("zpopmin everything")
call("ZADD", "small", 1, "a")
if call("ZMPOP", 1, "small", "MAX", "COUNT", 9223372036854775807) != [b"small", [[b"a", b"1"]]]:
    fail("zmpop huge count")
EOF
    assert_success
}

@test "random operations agree with a model, in both encodings" {
    run pyrun <<'EOF'
import math
rng = random.Random(11)
pool = [b"m%d" % i for i in range(40)] + [str(i).encode() for i in range(-5, 15)] + \
       [b"", b"01", b"-0", b"a\x00b"]
scores = [0, 1, 2, -1, 0.5, 1.5, -2.25, 10, 100, "inf", "-inf", 1e17, 0.1]
def fmt(x):
    if x == math.inf:
        return b"inf"
    if x == -math.inf:
        return b"-inf"
    return b"%.17g" % x
def fscore(b):
    return float(b)
def ordered(z):
    return sorted(z.items(), key=lambda kv: (kv[1], kv[0]))
for limit in (128, 8, 0):
    call("FLUSHALL")
    call("CONFIG", "SET", "zset-max-listpack-entries", limit)
    model = {}
    for step in range(3000):
        k = "k%d" % rng.randrange(3)
        z = model.setdefault(k, {})
        r = rng.random()
        m = rng.choice(pool)
        if r < 0.35:
            s = rng.choice(scores)
            got = call("ZADD", k, s, m)
            want = 0 if m in z else 1
            z[m] = float(s)
            if got != want:
                fail("ZADD %r" % got)
        elif r < 0.45:
            s = rng.choice([1, -1, 0.25, 3])
            got = call("ZINCRBY", k, s, m)
            z[m] = z.get(m, 0.0) + s
            if got is None or fscore(got) != z[m]:
                fail("ZINCRBY %r %r" % (got, z[m]))
        elif r < 0.55:
            got = call("ZREM", k, m)
            if got != (1 if m in z else 0):
                fail("ZREM")
            z.pop(m, None)
        elif r < 0.65:
            items = ordered(z)
            a, b = rng.randrange(-10, 10), rng.randrange(-10, 10)
            got = call("ZRANGE", k, a, b, "WITHSCORES")
            n = len(items)
            lo = a + n if a < 0 else a
            hi = b + n if b < 0 else b
            lo = max(lo, 0)
            hi = min(hi, n - 1)
            want = items[lo:hi + 1] if lo <= hi else []
            if [(got[i], fscore(got[i + 1])) for i in range(0, len(got), 2)] != want:
                fail("ZRANGE %s %s %s" % (k, a, b))
        elif r < 0.72:
            lo, hi = sorted([float(rng.choice(scores)), float(rng.choice(scores))])
            got = call("ZRANGEBYSCORE", k, "(%s" % fmt(lo).decode(), fmt(hi))
            want = [mm for mm, s in ordered(z) if lo < s <= hi]
            if got != want:
                fail("ZRANGEBYSCORE (%s %s: %r vs %r" % (lo, hi, got, want))
        elif r < 0.78:
            got = call("ZRANK", k, m)
            items = [mm for mm, s in ordered(z)]
            if got != (items.index(m) if m in z else None):
                fail("ZRANK")
        elif r < 0.83:
            got = call("ZPOPMIN", k, 2)
            items = ordered(z)[:2]
            for mm, s in items:
                del z[mm]
            if [(got[i], fscore(got[i + 1])) for i in range(0, len(got), 2)] != items:
                fail("ZPOPMIN")
        elif r < 0.88:
            lo, hi = sorted([float(rng.choice(scores)), float(rng.choice(scores))])
            got = call("ZREMRANGEBYSCORE", k, fmt(lo), fmt(hi))
            gone = [mm for mm, s in z.items() if lo <= s <= hi]
            for mm in gone:
                del z[mm]
            if got != len(gone):
                fail("ZREMRANGEBYSCORE")
        elif r < 0.94:
            k2 = "k%d" % rng.randrange(3)
            z2 = model.setdefault(k2, {})
            got = call("ZUNION", 2, k, k2, "WITHSCORES")
            u = dict(z)
            for mm, s in z2.items():
                u[mm] = u.get(mm, 0.0) + s
                if math.isnan(u[mm]):
                    u[mm] = 0.0
            if [(got[i], fscore(got[i + 1])) for i in range(0, len(got), 2)] != ordered(u):
                fail("ZUNION")
        else:
            if call("ZCARD", k) != len(z):
                fail("ZCARD")
        if not z:
            if call("EXISTS", k) != 0:
                fail("an empty sorted set must not exist")
    for k, z in model.items():
        got = call("ZRANGE", k, 0, -1, "WITHSCORES")
        if [(got[i], fscore(got[i + 1])) for i in range(0, len(got), 2)] != ordered(z):
            fail("final contents of %s" % k)
        if z and limit == 0 and call("OBJECT", "ENCODING", k) != b"skiplist":
            fail("encoding")
EOF
    assert_success
}

@test "huge counts: ZRANDMEMBER range errors, ZPOPMIN/ZRANGE LIMIT answer at once" {
    kvcli ZADD z 1 a 2 b >/dev/null
    run resp_cmd ZRANDMEMBER z -9223372036854775808
    assert_output "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
    # WITHSCORES doubles the count: Redis refuses what would overflow
    run resp_cmd ZRANDMEMBER z -4611686018427387904 WITHSCORES
    assert_output "-ERR value is out of range\r\n"
    run resp_cmd ZRANDMEMBER z -9223372036854775807 WITHSCORES
    assert_output "-ERR value is out of range\r\n"
    run resp_cmd ZRANDMEMBER z 4611686018427387904 WITHSCORES
    assert_output "-ERR value is out of range\r\n"
    run kvcli ZRANDMEMBER z 4611686018427387903 WITHSCORES
    [ "${#lines[@]}" = 4 ]
    run kvcli ZRANDMEMBER z 9223372036854775807
    [ "${#lines[@]}" = 2 ]
    run kvcli ZRANGE z -inf +inf BYSCORE LIMIT 0 9223372036854775807
    assert_output $'a\nb'
    run kvcli ZPOPMIN z 9223372036854775807
    assert_output $'a\n1\nb\n2'
}
