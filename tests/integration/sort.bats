#!/usr/bin/env bats
# SORT and SORT_RO (kvd/sort.c): numeric and ALPHA sorts of lists, sets
# (intset, hashtable) and sorted sets (listpack, skiplist); ASC/DESC; LIMIT
# with negative and huge values; BY string keys, hash fields and constant
# patterns (no sorting); GET patterns; STORE; errors; key extraction; the
# keyspace hit/miss and dirty counters; RESP3 nulls.
#
# Expected replies were taken from redis-server 7.0.15, and the suite passes
# against it too:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/sort.bats
#
# One server for the whole file; every test starts from FLUSHALL.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    kvcli FLUSHALL >/dev/null
    kvcli CONFIG SET zset-max-listpack-entries 128 >/dev/null
    kvcli CONFIG SET set-max-intset-entries 512 >/dev/null
}

# line CMD...: the reply's lines joined by single spaces (a nil is an empty
# line in redis-cli's output, so it shows as two spaces).
line() {
    kvcli "$@" | paste -sd' ' -
}

# stat NAME: a field of INFO (all sections).
stat() {
    kvcli INFO everything | tr -d '\r' | sed -n "s/^$1://p"
}

@test "numeric sort of a list, ascending and descending, strtod's syntax" {
    kvcli RPUSH l 3 1 2 10 -5 2.5 1e1 0x10 " 7" inf -inf >/dev/null
    run line SORT l
    assert_output "-inf -5 1 2 2.5 3  7 10 1e1 0x10 inf"
    run line SORT l DESC
    assert_output "inf 0x10 1e1 10  7 3 2.5 2 1 -5 -inf"
    run line SORT_RO l desc asc
    assert_output "-inf -5 1 2 2.5 3  7 10 1e1 0x10 inf"
    # equal weights: the element bytes decide (10 before 1e1)
    kvcli RPUSH e 1e1 10 "" 0 >/dev/null
    run line SORT e
    assert_output " 0 10 1e1"
}

@test "values that are not numbers fail a numeric sort" {
    kvcli RPUSH bad 1 2 abc >/dev/null
    run kvcli SORT bad
    assert_output "ERR One or more scores can't be converted into double"
    kvcli RPUSH bad2 "7 " >/dev/null
    run kvcli SORT bad2
    assert_output "ERR One or more scores can't be converted into double"
    kvcli RPUSH bad3 nan >/dev/null
    run kvcli SORT bad3
    assert_output "ERR One or more scores can't be converted into double"
    kvcli RPUSH bad4 1e400 >/dev/null
    run kvcli SORT bad4
    assert_output "ERR One or more scores can't be converted into double"
    # ALPHA and BY nosort do not parse numbers
    run line SORT bad ALPHA
    assert_output "1 2 abc"
    run line SORT bad BY nosort DESC
    assert_output "abc 2 1"
}

@test "ALPHA compares bytes" {
    kvcli RPUSH w banana Apple apple "" B b "a b" 10 9 "$(printf '\xff')" >/dev/null
    run line SORT w ALPHA
    assert_output " 10 9 Apple B a b apple b banana $(printf '\xff')"
    run line SORT w ALPHA DESC LIMIT 0 3
    assert_output "$(printf '\xff') banana b"
}

@test "LIMIT: offset and count, negative and huge values clamped" {
    kvcli RPUSH l 5 4 3 2 1 >/dev/null
    run line SORT l LIMIT 1 2
    assert_output "2 3"
    run line SORT l LIMIT -3 2
    assert_output "1 2"
    run line SORT l LIMIT 2 -1
    assert_output "3 4 5"
    run line SORT l LIMIT 2 0
    assert_output ""
    run line SORT l LIMIT 5 1
    assert_output ""
    run line SORT l LIMIT 3 9223372036854775807
    assert_output "4 5"
    run line SORT l LIMIT 9223372036854775807 9223372036854775807
    assert_output ""
    run line SORT l LIMIT -9223372036854775808 2
    assert_output "1 2"
    # the last LIMIT wins
    run line SORT l LIMIT 0 1 LIMIT 3 5
    assert_output "4 5"
}

@test "BY nosort keeps a list's order; DESC reverses it; LIMIT applies to it" {
    kvcli RPUSH l c a d b >/dev/null
    run line SORT l BY nosort
    assert_output "c a d b"
    run line SORT l BY nosort DESC
    assert_output "b d a c"
    run line SORT l BY nosort LIMIT 1 2
    assert_output "a d"
    run line SORT l BY nosort DESC LIMIT 1 2
    assert_output "d a"
    run line SORT l BY nosort LIMIT 10 2
    assert_output ""
    # a constant BY is not undone by a later BY pattern
    kvcli MSET w_c 1 w_a 2 >/dev/null
    run line SORT l BY nosort BY w_*
    assert_output "c a d b"
    run line SORT l BY w_* BY nosort
    assert_output "c a d b"
}

@test "BY string keys: numeric and ALPHA weights, missing ones weigh least" {
    kvcli RPUSH ids 1 2 3 4 5 >/dev/null
    kvcli MSET w_1 50 w_2 30 w_3 40 w_4 10 >/dev/null
    run line SORT ids BY w_*
    assert_output "5 4 2 3 1"
    run line SORT ids BY w_* DESC LIMIT 0 2
    assert_output "1 3"
    kvcli MSET w_1 b w_2 a w_3 c w_4 a >/dev/null
    run kvcli SORT ids BY w_*
    assert_output "ERR One or more scores can't be converted into double"
    run line SORT ids BY w_* ALPHA
    assert_output "5 2 4 1 3"
    run line SORT ids BY w_* ALPHA DESC
    assert_output "3 1 2 4 5"
    # a weight key of another type counts as missing
    kvcli DEL w_3 >/dev/null
    kvcli RPUSH w_3 x >/dev/null
    run line SORT ids BY w_* ALPHA
    assert_output "3 5 2 4 1"
}

@test "ties between equal ALPHA weights come out as in Redis" {
    # full sort: stable (glibc's merge sort); with a LIMIT: Redis's pqsort
    kvcli RPUSH l 0 1 3 6 2 5 4 >/dev/null
    kvcli MSET w_0 v2 w_1 v3 w_3 v2 w_2 v2 w_5 v0 w_4 v2 >/dev/null
    run line SORT l BY w_* ALPHA DESC
    assert_output "1 0 3 2 4 5 6"
    run line SORT l BY w_* ALPHA DESC LIMIT 1 7
    assert_output "4 3 0 2 5 6"
    run line SORT l BY w_* ALPHA DESC LIMIT 3 6
    assert_output "0 2 5 6"
    run line SORT l BY w_* ALPHA LIMIT 1 7
    assert_output "5 3 0 2 4 1"
    run line SORT l BY nokey_* ALPHA LIMIT 1 3
    assert_output "1 3 0"
}

@test "BY and GET hash fields" {
    kvcli RPUSH ids 1 2 3 4 >/dev/null
    kvcli HSET h_1 f 3 g gamma >/dev/null
    kvcli HSET h_2 f 1 g alpha >/dev/null
    kvcli HSET h_3 f 2 g beta >/dev/null
    run line SORT ids BY 'h_*->f'
    assert_output "4 2 3 1"
    run line SORT ids BY 'h_*->g' ALPHA DESC
    assert_output "1 3 2 4"
    run line SORT ids BY 'h_*->f' GET 'h_*->g' GET '#' GET 'h_*->nofield'
    assert_output " 4  alpha 2  beta 3  gamma 1 "
    # "->" with nothing after it is part of the key name
    kvcli SET 'h_1->' x >/dev/null
    run line SORT ids GET 'h_*->'
    assert_output "x   "
    # a field pattern on a string key, a string pattern on a hash: nil
    kvcli SET s_1 str >/dev/null
    run line SORT ids LIMIT 0 1 GET 's_*->f' GET 'h_*'
    assert_output " "
}

@test "GET: the element, several patterns, missing values are nil" {
    kvcli RPUSH ids 2 1 3 >/dev/null
    kvcli MSET name_1 one name_2 two >/dev/null
    run line SORT ids GET '#' GET 'name_*'
    assert_output "1 one 2 two 3 "
    run line SORT ids GET nostar
    assert_output "  "
    run resp_cmd SORT ids LIMIT 2 1 GET 'name_*' GET '#'
    assert_output '*2\r\n$-1\r\n$1\r\n3\r\n'
    run line SORT ids BY nosort DESC LIMIT 0 2 GET 'name_*'
    assert_output " one"
}

@test "sets: intsets and hashtables; BY nosort with STORE sorts ALPHA" {
    kvcli SADD si 5 -3 100 42 0 >/dev/null
    run kvcli OBJECT ENCODING si
    assert_output "intset"
    run line SORT si
    assert_output "-3 0 5 42 100"
    run line SORT si ALPHA
    assert_output "-3 0 100 42 5"
    run line SORT si BY nosort DESC LIMIT 1 2
    assert_output "0 5"
    kvcli SADD sh 10 banana apple 3 -1 >/dev/null
    run kvcli OBJECT ENCODING sh
    assert_output "hashtable"
    run line SORT sh ALPHA DESC
    assert_output "banana apple 3 10 -1"
    run kvcli SORT sh
    assert_output "ERR One or more scores can't be converted into double"
    run kvcli SORT sh BY nosort STORE out
    assert_output "5"
    run line LRANGE out 0 -1
    assert_output "-1 10 3 apple banana"
    run kvcli SORT si BY nosort DESC LIMIT 0 2 STORE out
    assert_output "2"
    run line LRANGE out 0 -1
    assert_output "5 42"
}

@test "sorted sets: listpack and skiplist; BY nosort keeps the score order" {
    kvcli ZADD zl 3 c 1 a 2 b 5 e 4 d >/dev/null
    run kvcli OBJECT ENCODING zl
    assert_output "listpack"
    run line SORT zl BY nosort
    assert_output "a b c d e"
    run line SORT zl BY nosort DESC LIMIT 1 2
    assert_output "d c"
    run line SORT zl BY nosort LIMIT 4 3
    assert_output "e"
    run line SORT zl ALPHA DESC
    assert_output "e d c b a"
    # SORT converted the set to a skiplist for good, as Redis 7.0 does
    run kvcli OBJECT ENCODING zl
    assert_output "skiplist"
    kvcli CONFIG SET zset-max-listpack-entries 2 >/dev/null
    kvcli ZADD zs 10 m10 30 m30 20 m20 40 m40 >/dev/null
    run kvcli OBJECT ENCODING zs
    assert_output "skiplist"
    run line SORT zs BY nosort DESC LIMIT 1 2
    assert_output "m30 m20"
    run line SORT zs ALPHA LIMIT 2 5
    assert_output "m30 m40"
    kvcli ZADD zn 1 10 2 9 3 100 >/dev/null
    run line SORT zn DESC
    assert_output "100 10 9"
}

@test "STORE: a list, replies the count, replaces the destination" {
    kvcli RPUSH src 3 1 2 >/dev/null
    kvcli SET dst old EX 100 >/dev/null
    run kvcli SORT src STORE dst
    assert_output "3"
    run kvcli TYPE dst
    assert_output "list"
    run kvcli TTL dst
    assert_output "-1"
    run line LRANGE dst 0 -1
    assert_output "1 2 3"
    # the last STORE wins
    run kvcli SORT src DESC STORE d1 STORE d2
    assert_output "3"
    run kvcli EXISTS d1
    assert_output "0"
    run line LRANGE d2 0 -1
    assert_output "3 2 1"
    # GET values are stored, missing ones as empty strings
    kvcli SET val_1 one >/dev/null
    run kvcli SORT src GET 'val_*' GET '#' STORE dst
    assert_output "6"
    run line LRANGE dst 0 -1
    assert_output "one 1  2  3"
    # over the source itself
    run kvcli SORT src DESC STORE src
    assert_output "3"
    run line LRANGE src 0 -1
    assert_output "3 2 1"
}

@test "STORE of an empty result deletes the destination" {
    kvcli RPUSH src 1 2 >/dev/null
    kvcli SET dst x >/dev/null
    run kvcli SORT src LIMIT 5 5 STORE dst
    assert_output "0"
    run kvcli EXISTS dst
    assert_output "0"
    kvcli SET dst x >/dev/null
    run kvcli SORT nosuchkey STORE dst
    assert_output "0"
    run kvcli EXISTS dst
    assert_output "0"
    # a conversion error stores nothing
    kvcli RPUSH bad x >/dev/null
    kvcli SET dst keep >/dev/null
    run kvcli SORT bad STORE dst
    assert_output "ERR One or more scores can't be converted into double"
    run kvcli GET dst
    assert_output "keep"
}

@test "missing keys give an empty array; strings and hashes are WRONGTYPE" {
    run resp_cmd SORT nosuchkey
    assert_output '*0\r\n'
    run resp_cmd SORT_RO nosuchkey BY nosort LIMIT 0 1 GET '#'
    assert_output '*0\r\n'
    kvcli SET str v >/dev/null
    kvcli HSET hash f v >/dev/null
    run kvcli SORT str
    assert_output "WRONGTYPE Operation against a key holding the wrong kind of value"
    run kvcli SORT_RO hash ALPHA
    assert_output "WRONGTYPE Operation against a key holding the wrong kind of value"
}

@test "syntax errors, bad LIMIT values, SORT_RO refuses STORE" {
    kvcli RPUSH l 1 >/dev/null
    kvcli SET str v >/dev/null
    run kvcli SORT
    assert_output "ERR wrong number of arguments for 'sort' command"
    run kvcli SORT_RO
    assert_output "ERR wrong number of arguments for 'sort_ro' command"
    for args in "BOGUS" "LIMIT" "LIMIT 1" "BY" "GET" "STORE" "ALPHA LIMIT 0 1 x"; do
        # shellcheck disable=SC2086
        run kvcli SORT l $args
        assert_output "ERR syntax error"
    done
    run kvcli SORT l LIMIT a 1
    assert_output "ERR value is not an integer or out of range"
    run kvcli SORT l LIMIT 1 1.5
    assert_output "ERR value is not an integer or out of range"
    run kvcli SORT l LIMIT 0 99999999999999999999
    assert_output "ERR value is not an integer or out of range"
    # option errors come before the key's type is checked
    run kvcli SORT str LIMIT x 1
    assert_output "ERR value is not an integer or out of range"
    run kvcli SORT_RO l STORE dst
    assert_output "ERR syntax error"
    run kvcli EXISTS dst
    assert_output "0"
}

@test "COMMAND GETKEYS and COMMAND INFO" {
    run line COMMAND GETKEYS SORT src BY 'w_*' GET '#' STORE d1 STORE d2
    assert_output "src d2"
    run line COMMAND GETKEYS SORT src LIMIT store x y
    assert_output "src"
    run line COMMAND GETKEYS SORT src STORE
    assert_output "src"
    run line COMMAND GETKEYS SORT_RO src STORE dst
    assert_output "src"
    run kvcli COMMAND INFO sort
    assert_line --index 0 "sort"
    assert_line --index 1 "-2"
    assert_line --index 2 "write"
    assert_line --index 3 "denyoom"
    assert_line --index 4 "movablekeys"
    run kvcli COMMAND INFO sort_ro
    assert_line --index 2 "readonly"
    assert_line --index 3 "movablekeys"
    assert_line --index 4 "1"
}

@test "BY and GET lookups count keyspace hits and misses" {
    kvcli RPUSH l 3 1 2 >/dev/null
    kvcli MSET w_1 10 w_2 5 >/dev/null
    kvcli CONFIG RESETSTAT >/dev/null
    kvcli SORT l BY 'w_*' GET 'w_*' GET '#' GET nostar >/dev/null
    # l: 1 hit; BY: 2 hits 1 miss; GET w_*: 2 hits 1 miss; '#', nostar: none
    run stat keyspace_hits
    assert_output "5"
    run stat keyspace_misses
    assert_output "2"
}

@test "STORE counts one change per stored element" {
    kvcli RPUSH src 3 1 2 >/dev/null
    local before after
    before=$(stat rdb_changes_since_last_save)
    kvcli SORT src STORE dst >/dev/null
    after=$(stat rdb_changes_since_last_save)
    [ $((after - before)) -eq 3 ]
    kvcli SORT src LIMIT 9 9 STORE dst >/dev/null
    [ "$(stat rdb_changes_since_last_save)" -eq $((after + 1)) ]
}

@test "RESP3: missing GET values are nulls" {
    kvcli RPUSH l 1 2 >/dev/null
    kvcli SET v_1 x >/dev/null
    run resp_send -n 2 '*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n*4\r\n$4\r\nSORT\r\n$1\r\nl\r\n$3\r\nGET\r\n$3\r\nv_*\r\n'
    assert_line --index 1 '*2\r\n$1\r\nx\r\n_\r\n'
}

@test "a large list sorts like sort(1)" {
    local nums
    nums=$(seq 1 2000 | awk 'BEGIN{srand(7)} {print int(rand()*100000) - 50000}')
    # shellcheck disable=SC2086
    kvcli RPUSH big $nums >/dev/null
    run kvcli SORT big
    assert_output "$(printf '%s\n' $nums | sort -n)"
    run kvcli SORT big DESC LIMIT 10 5
    assert_output "$(printf '%s\n' $nums | sort -rn | sed -n 11,15p)"
    run kvcli SORT big STORE out
    assert_output "2000"
}
