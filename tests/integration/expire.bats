#!/usr/bin/env bats
# Key expiry (kvd/expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT with
# NX/XX/GT/LT, TTL PTTL EXPIRETIME PEXPIRETIME PERSIST, lazy expiry on access
# and the active expiry cycle. Expected replies and error texts were taken
# from redis-server 7.0.15; run with KVD_SERVER=/usr/bin/redis-server to check
# the suite itself.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() { kvd_stop; }

raw() { resp_cmd "$@"; }

now_ms() { date +%s%3N; }

# Sets N keys PREFIX:1..N with extra SET args (e.g. PX 100) in one pipe.
fill_keys() {
    local n=$1 prefix=$2 i
    shift 2
    for ((i = 1; i <= n; i++)); do
        printf 'SET %s:%d %d %s\n' "$prefix" "$i" "$i" "$*"
    done | kvcli "${DB_ARGS[@]}" >/dev/null
}
DB_ARGS=()

dbsize_is() { [ "$(kvcli "${@:2}" DBSIZE)" = "$1" ]; }

info_field() { kvcli INFO "$1" | tr -d '\r' | sed -n "s/^$2://p"; }

# ---- setting a TTL ----

@test "EXPIRE sets a TTL in seconds" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k 100
    assert_output ':1\r\n'
    run kvcli TTL k
    [ "$output" -ge 99 ] && [ "$output" -le 100 ]
    run kvcli PTTL k
    [ "$output" -gt 98000 ] && [ "$output" -le 100000 ]
    run raw EXPIRE missing 100
    assert_output ':0\r\n'
}

@test "PEXPIRE sets a TTL in milliseconds" {
    kvcli SET k v >/dev/null
    run raw PEXPIRE k 5500
    assert_output ':1\r\n'
    run kvcli PTTL k
    [ "$output" -gt 4500 ] && [ "$output" -le 5500 ]
    run kvcli TTL k
    [ "$output" -ge 5 ] && [ "$output" -le 6 ]
}

@test "EXPIREAT and PEXPIREAT take absolute Unix times" {
    kvcli MSET a 1 b 2 >/dev/null
    run raw EXPIREAT a 4102444800
    assert_output ':1\r\n'
    run raw EXPIRETIME a
    assert_output ':4102444800\r\n'
    run raw PEXPIRETIME a
    assert_output ':4102444800000\r\n'
    run raw PEXPIREAT b 4102444800123
    assert_output ':1\r\n'
    run raw PEXPIRETIME b
    assert_output ':4102444800123\r\n'
    run raw EXPIREAT missing 4102444800
    assert_output ':0\r\n'
}

@test "EXPIRETIME rounds to the nearest second" {
    kvcli MSET a 1 b 2 >/dev/null
    kvcli PEXPIREAT a 4102444800500 >/dev/null
    kvcli PEXPIREAT b 4102444800499 >/dev/null
    run raw EXPIRETIME a
    assert_output ':4102444801\r\n'
    run raw EXPIRETIME b
    assert_output ':4102444800\r\n'
}

@test "EXPIRE relative to now matches EXPIRETIME" {
    kvcli SET k v >/dev/null
    local before after t
    before=$(( $(now_ms) / 1000 ))
    kvcli EXPIRE k 1000 >/dev/null
    after=$(( $(now_ms) / 1000 ))
    t=$(kvcli EXPIRETIME k)
    [ "$t" -ge $((before + 1000)) ] && [ "$t" -le $((after + 1001)) ]
}

@test "TTL family on a missing key and on a key without TTL" {
    kvcli SET plain v >/dev/null
    for cmd in TTL PTTL EXPIRETIME PEXPIRETIME; do
        run raw "$cmd" missing
        assert_output ':-2\r\n'
        run raw "$cmd" plain
        assert_output ':-1\r\n'
    done
}

@test "a TTL survives value changes that keep the key, and every encoding" {
    kvcli SET i 123 >/dev/null
    kvcli SET e hello >/dev/null
    kvcli SET r "$(printf 'z%.0s' {1..80})" >/dev/null
    for k in i e r; do kvcli EXPIRE "$k" 1000 >/dev/null; done
    run kvcli OBJECT ENCODING i; assert_output int
    run kvcli OBJECT ENCODING e; assert_output embstr
    run kvcli OBJECT ENCODING r; assert_output raw
    run kvcli GET i; assert_output 123
    run kvcli GET e; assert_output hello
    run kvcli STRLEN r; assert_output 80
    kvcli EXPIRE e 2000 >/dev/null
    run kvcli TTL e
    [ "$output" -gt 1990 ]
    run kvcli PERSIST r
    assert_output 1
    run kvcli OBJECT ENCODING r; assert_output raw
    run kvcli STRLEN r; assert_output 80
}

@test "EXPIRE on other data types" {
    kvcli HSET h f v >/dev/null
    run raw EXPIRE h 100
    assert_output ':1\r\n'
    run kvcli HGET h f
    assert_output v
    run kvcli TTL h
    [ "$output" -ge 99 ]
}

# ---- times in the past ----

@test "a time in the past deletes the key and replies 1" {
    kvcli MSET a 1 b 2 c 3 d 4 >/dev/null
    run raw EXPIRE a -1
    assert_output ':1\r\n'
    run raw PEXPIRE b 0
    assert_output ':1\r\n'
    run raw EXPIREAT c 1
    assert_output ':1\r\n'
    run raw PEXPIREAT d -9223372036854775808
    assert_output ':1\r\n'
    run kvcli DBSIZE
    assert_output 0
    run raw EXPIRE missing -1
    assert_output ':0\r\n'
}

# ---- NX XX GT LT ----

@test "NX sets only when there is no TTL" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k 100 NX
    assert_output ':1\r\n'
    run raw EXPIRE k 200 nx
    assert_output ':0\r\n'
    run kvcli TTL k
    [ "$output" -le 100 ]
}

@test "XX sets only when there is a TTL" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k 100 XX
    assert_output ':0\r\n'
    run kvcli TTL k
    assert_output -1
    kvcli EXPIRE k 50 >/dev/null
    run raw EXPIRE k 100 XX
    assert_output ':1\r\n'
    run kvcli TTL k
    [ "$output" -gt 50 ]
}

@test "GT only raises a TTL and never applies to a key without one" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k 100 GT
    assert_output ':0\r\n'
    kvcli EXPIREAT k 4102444800 >/dev/null
    run raw EXPIREAT k 4102444700 GT
    assert_output ':0\r\n'
    run raw EXPIREAT k 4102444800 GT
    assert_output ':0\r\n'
    run raw EXPIREAT k 4102444900 GT
    assert_output ':1\r\n'
    run kvcli EXPIRETIME k
    assert_output 4102444900
}

@test "LT only lowers a TTL; a key without one counts as infinite" {
    kvcli SET k v >/dev/null
    run raw EXPIREAT k 4102444800 LT
    assert_output ':1\r\n'
    run raw EXPIREAT k 4102444800 LT
    assert_output ':0\r\n'
    run raw EXPIREAT k 4102444900 LT
    assert_output ':0\r\n'
    run raw PEXPIREAT k 4102444799999 lt
    assert_output ':1\r\n'
    run kvcli PEXPIRETIME k
    assert_output 4102444799999
}

@test "XX with GT or LT combine" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k 100 XX LT
    assert_output ':0\r\n'
    kvcli EXPIRE k 100 >/dev/null
    run raw EXPIRE k 200 XX GT
    assert_output ':1\r\n'
    run raw EXPIRE k 300 XX LT
    assert_output ':0\r\n'
}

@test "a past time with a failing condition does not delete" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k -1 XX
    assert_output ':0\r\n'
    run kvcli EXISTS k
    assert_output 1
    run raw EXPIRE k -1 LT
    assert_output ':1\r\n'
    run kvcli EXISTS k
    assert_output 0
}

@test "option errors" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k 10 NX XX
    assert_output '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n'
    run raw EXPIRE k 10 NX GT
    assert_output '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n'
    run raw PEXPIRE k 10 lt nx
    assert_output '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n'
    run raw EXPIRE k 10 GT LT
    assert_output '-ERR GT and LT options at the same time are not compatible\r\n'
    run raw EXPIREAT k 10 foo
    assert_output '-ERR Unsupported option foo\r\n'
    # Options are checked before the time argument.
    run raw EXPIRE k abc foo
    assert_output '-ERR Unsupported option foo\r\n'
    run raw EXPIRE k abc NX XX
    assert_output '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n'
    run raw EXPIRE k abc
    assert_output '-ERR value is not an integer or out of range\r\n'
    run raw EXPIRE k 10.5
    assert_output '-ERR value is not an integer or out of range\r\n'
    run raw EXPIRE k
    assert_output "-ERR wrong number of arguments for 'expire' command\\r\\n"
    run raw TTL
    assert_output "-ERR wrong number of arguments for 'ttl' command\\r\\n"
    run raw PERSIST a b
    assert_output "-ERR wrong number of arguments for 'persist' command\\r\\n"
    # Nothing changed.
    run kvcli TTL k
    assert_output -1
}

@test "overflowing times are invalid expire times" {
    kvcli SET k v >/dev/null
    run raw EXPIRE k 9223372036854775807
    assert_output "-ERR invalid expire time in 'expire' command\\r\\n"
    run raw EXPIRE k -9223372036854775808
    assert_output "-ERR invalid expire time in 'expire' command\\r\\n"
    run raw PEXPIRE k 9223372036854775807
    assert_output "-ERR invalid expire time in 'pexpire' command\\r\\n"
    run raw PEXPIRE k 9223372036854775000
    assert_output "-ERR invalid expire time in 'pexpire' command\\r\\n"
    run raw EXPIREAT k 9223372036854775807
    assert_output "-ERR invalid expire time in 'expireat' command\\r\\n"
    # The error does not depend on the key existing.
    run raw EXPIRE missing 9223372036854775807
    assert_output "-ERR invalid expire time in 'expire' command\\r\\n"
    # PEXPIREAT cannot overflow: the largest time is accepted.
    run raw PEXPIREAT k 9223372036854775807
    assert_output ':1\r\n'
    run raw PEXPIRETIME k
    assert_output ':9223372036854775807\r\n'
    run raw PEXPIREAT missing 9223372036854775807
    assert_output ':0\r\n'
}

# ---- PERSIST ----

@test "PERSIST removes a TTL" {
    kvcli SET k v EX 100 >/dev/null
    run raw PERSIST k
    assert_output ':1\r\n'
    run kvcli TTL k
    assert_output -1
    run raw PERSIST k
    assert_output ':0\r\n'
    run raw PERSIST missing
    assert_output ':0\r\n'
    run kvcli GET k
    assert_output v
}

# ---- lazy expiry ----

@test "an expired key is gone on access (lazy expiry)" {
    kvcli DEBUG SET-ACTIVE-EXPIRE 0 >/dev/null
    kvcli SET k v PX 50 >/dev/null
    sleep 0.2
    # Still stored (nothing reclaimed it) but invisible.
    run kvcli DBSIZE
    assert_output 1
    run raw GET k
    assert_output '$-1\r\n'
    run kvcli DBSIZE
    assert_output 0
    run raw TTL k
    assert_output ':-2\r\n'
    kvcli DEBUG SET-ACTIVE-EXPIRE 1 >/dev/null
}

@test "lazy expiry through EXISTS, TTL, EXPIRE and PERSIST" {
    kvcli DEBUG SET-ACTIVE-EXPIRE 0 >/dev/null
    kvcli MSET a 1 b 2 c 3 d 4 >/dev/null
    for k in a b c d; do kvcli PEXPIRE "$k" 30 >/dev/null; done
    sleep 0.15
    run raw EXISTS a
    assert_output ':0\r\n'
    run raw PTTL b
    assert_output ':-2\r\n'
    run raw EXPIRE c 100
    assert_output ':0\r\n'
    run raw PERSIST d
    assert_output ':0\r\n'
    run kvcli DBSIZE
    assert_output 0
    local expired
    expired=$(info_field stats expired_keys)
    [ "$expired" -ge 4 ]
}

# ---- active expiry ----

@test "1000 keys with PX 100 disappear without being touched" {
    fill_keys 1000 key PX 100
    fill_keys 10 keep
    run kvcli DBSIZE
    [ "$output" -le 1010 ]
    # Bounded wait: the cycle must reclaim them within ~2 s.
    run wait_until 3 dbsize_is 10
    assert_success
    run kvcli GET keep:1
    assert_output 1
    local expired
    expired=$(info_field stats expired_keys)
    [ "$expired" -ge 1000 ]
}

@test "active expiry reclaims keys in every database" {
    DB_ARGS=(-n 3)
    fill_keys 300 a PX 100
    DB_ARGS=(-n 9)
    fill_keys 300 b PX 100
    DB_ARGS=()
    run wait_until 3 dbsize_is 0 -n 3
    assert_success
    run wait_until 3 dbsize_is 0 -n 9
    assert_success
}

@test "active expiry leaves keys with a long TTL alone" {
    fill_keys 2000 long EX 1000
    fill_keys 500 short PX 100
    run wait_until 3 dbsize_is 2000
    assert_success
    sleep 0.3
    run kvcli DBSIZE
    assert_output 2000
    # TTL counts down in whole seconds; a loaded machine may take a few
    # seconds for the fill and the waits above.
    run kvcli TTL long:7
    [ "$output" -gt 900 ]
    [ "$output" -le 1000 ]
}

@test "DEBUG SET-ACTIVE-EXPIRE 0 stops active expiry, 1 resumes it" {
    run kvcli DEBUG SET-ACTIVE-EXPIRE 0
    assert_output OK
    fill_keys 200 key PX 50
    sleep 0.5
    run kvcli DBSIZE
    assert_output 200
    kvcli DEBUG SET-ACTIVE-EXPIRE 1 >/dev/null
    run wait_until 3 dbsize_is 0
    assert_success
}

@test "a key given a TTL later still expires actively" {
    kvcli MSET a 1 b 2 >/dev/null
    kvcli PEXPIRE a 100 >/dev/null
    kvcli PEXPIREAT b $(( $(now_ms) + 100 )) >/dev/null
    run wait_until 3 dbsize_is 0
    assert_success
}

@test "PERSIST saves a key from active expiry" {
    fill_keys 50 key PX 300
    kvcli PERSIST key:7 >/dev/null
    run wait_until 3 dbsize_is 1
    assert_success
    run kvcli GET key:7
    assert_output 7
}
