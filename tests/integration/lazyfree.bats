#!/usr/bin/env bats
# Lazy free (kvd/lazyfree.c): UNLINK, FLUSHALL/FLUSHDB ASYNC and the
# lazyfree-lazy-* directives hand big values (free effort above 64) to the
# background thread; small ones are freed at once. Checked through INFO
# memory's lazyfree_pending_objects / lazyfreed_objects (not wall-clock
# timings), SLOWLOG's server-side durations for UNLINK against DEL, used
# memory coming back, data written right after FLUSHALL ASYNC, DEBUG DIGEST,
# eviction not taking extra keys while memory is being freed, and a BGSAVE
# forked while the thread works.
#
# The counts follow Redis 7.0; the file passes against it too, except the
# check that eviction takes no extra keys (Redis 7.0 evicts every big set
# there; kvd waits for the memory being freed):
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/lazyfree.bats

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    kvcli CONFIG SET maxmemory 0 >/dev/null
    kvcli FLUSHALL SYNC >/dev/null
    kvcli SCRIPT FLUSH SYNC >/dev/null
    kvcli FUNCTION FLUSH SYNC >/dev/null
    for d in lazyfree-lazy-user-del lazyfree-lazy-server-del lazyfree-lazy-user-flush \
        lazyfree-lazy-expire lazyfree-lazy-eviction; do
        kvcli CONFIG SET "$d" no >/dev/null
    done
    kvcli CONFIG SET maxmemory-policy noeviction >/dev/null
    wait_until 30 pending_is_zero
    kvcli CONFIG RESETSTAT >/dev/null
}

field() { kvcli INFO "${2:-memory}" | tr -d '\r' | sed -n "s/^$1://p"; }
freed() { field lazyfreed_objects; }
db_is_empty() { [ "$(kvcli DBSIZE)" = 0 ]; }
pending_is_zero() { [ "$(field lazyfree_pending_objects)" = 0 ]; }
# Waits for the thread to finish, then prints lazyfreed_objects.
freed_settled() {
    wait_until 30 pending_is_zero || return 1
    freed
}

# bigset KEY N [DB]: a hashtable set of N members (free effort N).
bigset() {
    kvcli -n "${3:-0}" EVAL "for i=1,tonumber(ARGV[1]) do redis.call('sadd', KEYS[1], 'm'..i) end return redis.call('scard', KEYS[1])" 1 "$1" "$2"
}

@test "lazyfree: the directives exist with Redis's defaults" {
    run kvcli CONFIG GET 'lazyfree-*'
    assert_success
    for d in lazyfree-lazy-eviction lazyfree-lazy-expire lazyfree-lazy-server-del \
        lazyfree-lazy-user-del lazyfree-lazy-user-flush; do
        assert_line "$d"
    done
    [ "$(printf '%s\n' "$output" | grep -c '^no$')" = 5 ]
    run kvcli CONFIG GET replica-lazy-flush
    assert_output "$(printf 'replica-lazy-flush\nno')"
    run kvcli CONFIG SET slave-lazy-flush yes
    assert_output OK
    run kvcli CONFIG GET replica-lazy-flush
    assert_output "$(printf 'replica-lazy-flush\nyes')"
    kvcli CONFIG SET replica-lazy-flush no
}

@test "lazyfree: UNLINK of a big set is freed by the thread, pending seen, memory back" {
    base=$(field used_memory)
    run bigset big 300000
    assert_output 300000
    [ "$(field used_memory)" -gt $((base + 5000000)) ]
    # INFO runs right after UNLINK, in the same transaction: the thread has
    # hundreds of thousands of members still to free.
    run kvcli EVAL "redis.call('unlink', KEYS[1]) return redis.call('info', 'memory')" 1 big
    assert_output --partial "lazyfree_pending_objects:1"
    [ "$(kvcli EXISTS big)" = 0 ]
    [ "$(freed_settled)" = 1 ]
    # used_memory comes back to within 1 MB of where it was.
    [ "$(field used_memory)" -lt $((base + 1000000)) ]
}

@test "lazyfree: UNLINK returns much faster than DEL of the same value (server-side time)" {
    bigset a 300000 >/dev/null
    bigset b 300000 >/dev/null
    kvcli CONFIG SET slowlog-log-slower-than 0 >/dev/null
    kvcli SLOWLOG RESET >/dev/null
    kvcli DEL a >/dev/null
    kvcli UNLINK b >/dev/null
    kvcli CONFIG SET slowlog-log-slower-than 10000 >/dev/null
    log=$(kvcli SLOWLOG GET 10)
    # redis-cli prints each entry as: id, time, duration (µs), then the
    # arguments: the duration is the line before the command name.
    unlink_us=$(printf '%s\n' "$log" | awk '$0=="UNLINK" {print p} {p=$0}' | head -1)
    del_us=$(printf '%s\n' "$log" | awk '$0=="DEL" {print p} {p=$0}' | head -1)
    echo "DEL ${del_us}us UNLINK ${unlink_us}us"
    [ -n "$del_us" ] && [ -n "$unlink_us" ]
    [ $((unlink_us * 3)) -lt "$del_us" ]
    [ "$(freed_settled)" = 1 ]
}

@test "lazyfree: small values and compact encodings are freed synchronously" {
    kvcli SET s "$(head -c 1000 /dev/zero | tr '\0' x)" >/dev/null
    kvcli SADD ints 1 2 3 4 5 >/dev/null
    bigset sixtyfour 64 >/dev/null # effort 64: not above the threshold
    kvcli RPUSH l a b c >/dev/null
    kvcli HSET h f v >/dev/null
    kvcli ZADD z 1 a >/dev/null
    run kvcli UNLINK s ints sixtyfour l h z
    assert_output 6
    [ "$(freed_settled)" = 0 ]
    bigset sixtyfive 65 >/dev/null
    kvcli UNLINK sixtyfive >/dev/null
    [ "$(freed_settled)" = 1 ]
}

@test "lazyfree: hashes, sorted sets and lists count as Redis's free effort" {
    kvcli EVAL "for i=1,1000 do redis.call('hset', KEYS[1], 'f'..i, 'v') end" 1 h >/dev/null
    kvcli EVAL "for i=1,1000 do redis.call('zadd', KEYS[1], i, 'm'..i) end" 1 z >/dev/null
    # 100000 short elements: far more than 64 quicklist nodes
    kvcli EVAL "for i=1,100000 do redis.call('rpush', KEYS[1], 'element-'..i) end" 1 l >/dev/null
    [ "$(kvcli OBJECT ENCODING h)" = hashtable ]
    [ "$(kvcli OBJECT ENCODING z)" = skiplist ]
    kvcli UNLINK h z l >/dev/null
    [ "$(freed_settled)" = 3 ]
}

@test "lazyfree: DEL is lazy only under lazyfree-lazy-user-del" {
    bigset a 1000 >/dev/null
    kvcli DEL a >/dev/null
    [ "$(freed_settled)" = 0 ]
    kvcli CONFIG SET lazyfree-lazy-user-del yes >/dev/null
    bigset a 1000 >/dev/null
    run kvcli DEL a
    assert_output 1
    [ "$(freed_settled)" = 1 ]
}

@test "lazyfree: FLUSHALL/FLUSHDB ASYNC count the keys; no argument follows lazyfree-lazy-user-flush" {
    kvcli DEBUG POPULATE 100 >/dev/null
    kvcli -n 1 DEBUG POPULATE 50 >/dev/null
    kvcli FLUSHALL ASYNC >/dev/null
    [ "$(freed_settled)" = 150 ]
    kvcli DEBUG POPULATE 30 >/dev/null
    kvcli FLUSHDB ASYNC >/dev/null
    [ "$(freed_settled)" = 180 ]
    kvcli DEBUG POPULATE 10 >/dev/null
    kvcli FLUSHALL >/dev/null
    [ "$(freed_settled)" = 180 ]
    kvcli CONFIG SET lazyfree-lazy-user-flush yes >/dev/null
    kvcli DEBUG POPULATE 10 >/dev/null
    kvcli FLUSHALL >/dev/null
    [ "$(freed_settled)" = 190 ]
    kvcli DEBUG POPULATE 10 >/dev/null
    kvcli FLUSHDB SYNC >/dev/null
    [ "$(freed_settled)" = 190 ]
    [ "$(kvcli DBSIZE)" = 0 ]
}

@test "lazyfree: implicit deletes are lazy under lazyfree-lazy-server-del" {
    bigset a 1000 >/dev/null
    kvcli SET a x >/dev/null
    [ "$(freed_settled)" = 0 ]
    kvcli DEL a >/dev/null
    kvcli CONFIG SET lazyfree-lazy-server-del yes >/dev/null
    bigset a 1000 >/dev/null
    kvcli SET a x >/dev/null # overwrite
    [ "$(freed_settled)" = 1 ]
    bigset dst 1000 >/dev/null
    kvcli RENAME a dst >/dev/null # over an existing key
    [ "$(freed_settled)" = 2 ]
    [ "$(kvcli GET dst)" = x ]
    kvcli DEL dst >/dev/null
    bigset s1 1000 >/dev/null
    bigset dst 1000 >/dev/null
    kvcli SUNIONSTORE dst s1 >/dev/null # overwrites dst
    [ "$(freed_settled)" = 3 ]
    kvcli SET src y >/dev/null
    run kvcli COPY src dst REPLACE # dst holds SUNIONSTORE's 1000 members
    assert_output 1
    [ "$(freed_settled)" = 4 ]
    [ "$(kvcli GET dst)" = y ]
    kvcli SET dst z >/dev/null
    [ "$(freed_settled)" = 4 ] # a string: nothing to do lazily
    kvcli DEL s1 >/dev/null    # lazy-user-del is off: synchronous
    [ "$(freed_settled)" = 4 ]
    [ "$(kvcli GET dst)" = z ]
}

@test "lazyfree: RESTORE REPLACE over a big value follows lazyfree-lazy-server-del" {
    kvcli CONFIG SET lazyfree-lazy-server-del yes >/dev/null
    kvcli SET src hello >/dev/null
    bigset dst 1000 >/dev/null
    run /usr/bin/python3 - "$KVD_PORT" <<'EOF'
import sys, redis
r = redis.Redis(port=int(sys.argv[1]))
payload = r.dump("src")
print(r.restore("dst", 0, payload, replace=True) in (True, b"OK"))
print(r.get("dst").decode())
EOF
    assert_output "$(printf 'True\nhello')"
    [ "$(freed_settled)" = 1 ]
}

@test "lazyfree: expired keys are lazy under lazyfree-lazy-expire" {
    bigset a 1000 >/dev/null
    kvcli PEXPIRE a 1 >/dev/null
    wait_until 10 db_is_empty
    [ "$(freed_settled)" = 0 ]
    kvcli CONFIG SET lazyfree-lazy-expire yes >/dev/null
    bigset a 1000 >/dev/null
    kvcli PEXPIRE a 1 >/dev/null
    sleep 0.05
    [ "$(kvcli EXISTS a)" = 0 ] # lazy expiry on access
    [ "$(freed_settled)" = 1 ]
    bigset b 1000 >/dev/null
    kvcli EXPIRE b -1 >/dev/null # a time in the past deletes at once
    [ "$(kvcli EXISTS b)" = 0 ]
    [ "$(freed_settled)" = 2 ]
    [ "$(field expired_keys stats)" -ge 1 ]
}

@test "lazyfree: evicted keys are lazy under lazyfree-lazy-eviction, without extra evictions" {
    kvcli CONFIG SET lazyfree-lazy-eviction yes >/dev/null
    for i in 1 2 3 4 5 6 7 8; do bigset "big:$i" 20000 >/dev/null; done
    wait_until 30 pending_is_zero
    used=$(field used_memory)
    one=$(kvcli MEMORY USAGE big:1)
    # Room for all but about half of one set: one eviction is enough.
    kvcli CONFIG SET maxmemory-policy allkeys-random >/dev/null
    kvcli CONFIG SET maxmemory $((used - one / 2)) >/dev/null
    kvcli SET trigger 1 >/dev/null
    wait_until 30 pending_is_zero
    kvcli SET trigger 2 >/dev/null
    wait_until 30 pending_is_zero
    evicted=$(field evicted_keys stats)
    echo "evicted $evicted, freed $(freed), dbsize $(kvcli DBSIZE)"
    [ "$evicted" -ge 1 ]
    [ "$(freed)" = "$evicted" ]
    kvcli CONFIG SET maxmemory 0 >/dev/null
    # Without looking at the memory the thread gives back, the pass counts
    # only each key's header as freed and takes every set (Redis 7.0 does).
    case "${KVD_SERVER:-}" in *redis-server) return 0 ;; esac
    [ "$evicted" -le 2 ]
    [ "$(kvcli DBSIZE)" -ge 7 ]
}

@test "lazyfree: SCRIPT FLUSH and FUNCTION FLUSH ASYNC count as Redis 7.0 (over 64 only)" {
    for i in $(seq 1 64); do kvcli SCRIPT LOAD "return $i" >/dev/null; done
    kvcli SCRIPT FLUSH ASYNC >/dev/null
    [ "$(freed_settled)" = 0 ]
    for i in $(seq 1 65); do kvcli SCRIPT LOAD "return $i" >/dev/null; done
    kvcli SCRIPT FLUSH ASYNC >/dev/null
    [ "$(freed_settled)" = 65 ]
    [ "$(kvcli EVAL 'return 7' 0)" = 7 ] # a fresh state works at once
    code="#!lua name=many"
    for i in $(seq 1 70); do code="$code
redis.register_function('f$i', function() return $i end)"; done
    run kvcli FUNCTION LOAD "$code"
    assert_output many
    kvcli CONFIG SET lazyfree-lazy-user-flush yes >/dev/null
    kvcli FUNCTION FLUSH >/dev/null
    [ "$(freed_settled)" = 135 ]
    run kvcli FCALL f1 0
    assert_output --partial "Function not found"
}

@test "lazyfree: data written right after FLUSHALL ASYNC is intact; DEBUG DIGEST unaffected" {
    bigset big 200000 >/dev/null
    kvcli DEBUG POPULATE 2000 >/dev/null
    # FLUSHALL ASYNC and the new writes in one round trip.
    run /usr/bin/python3 - "$KVD_PORT" <<'EOF'
import sys, redis
r = redis.Redis(port=int(sys.argv[1]))
p = r.pipeline(transaction=False)
p.flushall(asynchronous=True)
for i in range(500):
    p.set("new:%d" % i, "value-%d" % i)
p.sadd("newset", *["m%d" % i for i in range(300)])
p.execute()
bad = [i for i in range(500) if r.get("new:%d" % i) != b"value-%d" % i]
print("bad", len(bad), "dbsize", r.dbsize(), "scard", r.scard("newset"))
EOF
    assert_output "bad 0 dbsize 501 scard 300"
    [ "$(freed_settled)" = 2001 ]
    digest=$(kvcli DEBUG DIGEST)
    bigset other 100000 >/dev/null
    [ "$(kvcli DEBUG DIGEST)" != "$digest" ]
    kvcli UNLINK other >/dev/null
    [ "$(kvcli DEBUG DIGEST)" = "$digest" ]
    [ "$(freed_settled)" = 2002 ]
    [ "$(kvcli DEBUG DIGEST)" = "$digest" ]
}

@test "lazyfree: CONFIG RESETSTAT clears lazyfreed_objects" {
    bigset a 1000 >/dev/null
    kvcli UNLINK a >/dev/null
    [ "$(freed_settled)" = 1 ]
    kvcli CONFIG RESETSTAT >/dev/null
    [ "$(freed)" = 0 ]
}

bgsave_done() { [ "$(field rdb_bgsave_in_progress persistence)" = 0 ]; }

@test "lazyfree: a BGSAVE forked while the thread frees saves the live data" {
    bigset big 300000 >/dev/null
    kvcli DEBUG POPULATE 1000 >/dev/null
    digest_before=$(kvcli DEBUG DIGEST)
    bigset gone 300000 >/dev/null
    # UNLINK, FLUSHDB ASYNC of another db and BGSAVE in one round trip: the
    # child is forked while the thread is freeing.
    bigset other 300000 1 >/dev/null
    run /usr/bin/python3 - "$KVD_PORT" <<'PY'
import sys, redis
r = redis.Redis(port=int(sys.argv[1]))
p = r.pipeline(transaction=False)
p.unlink("gone")
p.execute_command("SELECT", 1)
p.flushdb(asynchronous=True)
p.execute_command("SELECT", 0)
p.bgsave()
print(p.execute()[-1])
PY
    assert_output --regexp "^(True|Background saving started)"
    wait_until 60 bgsave_done
    [ "$(field rdb_last_bgsave_status persistence)" = ok ]
    run kvcli DEBUG RELOAD NOSAVE
    assert_output OK
    [ "$(kvcli DEBUG DIGEST)" = "$digest_before" ]
    [ "$(kvcli SCARD big)" = 300000 ]
    [ "$(freed_settled)" = 2 ]
}
