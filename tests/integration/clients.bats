#!/usr/bin/env bats
# Real-client patterns with Debian's python3-redis (tests/clients/*.py): a
# distributed lock (SET NX EX + Lua release), a sliding-window rate limiter
# (MULTI/EXEC pipeline of ZREMRANGEBYSCORE/ZCARD/ZADD/EXPIRE), a token bucket
# in Lua, a WATCH/MULTI retry loop under contention from several processes,
# pub/sub with pubsub.listen() and pattern subscriptions, register_script with
# the EVALSHA → SCRIPT LOAD fallback after SCRIPT FLUSH.
#
# Each program exits 0 or prints what failed.
#
# To prove the programs themselves right, run the suite against Redis 7.0:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/clients.bats
# or one program by hand against any server:
#     /usr/bin/python3 -B tests/clients/lock.py PORT

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() { kvcli FLUSHALL >/dev/null; }

# client_run NAME: runs tests/clients/NAME.py against the server (bounded).
client_run() {
    run timeout 120 "$KV_PYTHON" -B "$KV_REPO/tests/clients/$1.py" "$KVD_PORT"
    assert_success
    assert_output --partial "ok $1"
}

@test "distributed lock: SET NX EX + Lua compare-and-delete, 4 processes, redis-py Lock" {
    client_run lock
}

@test "sliding-window rate limiter: MULTI/EXEC pipeline of ZREMRANGEBYSCORE ZCARD ZADD EXPIRE" {
    client_run ratelimit
}

@test "token bucket in Lua with exact refill arithmetic" {
    client_run tokenbucket
}

@test "WATCH/MULTI retry loop: 4 processes x 200 increments, exact result, retries seen" {
    client_run watch_retry
}

@test "pub/sub: pubsub.listen() with channel and pattern subscriptions, get_message polling" {
    client_run pubsub
}

@test "register_script: EVALSHA with SCRIPT LOAD fallback after SCRIPT FLUSH, in pipelines too" {
    client_run scripts
}
