#!/usr/bin/env bats
# Failure modes found by an adversarial review of lazy free, client
# eviction, DEBUG RELOAD/LOADAOF serving clients, DEBUG RESTART /
# CRASH-AND-RECOVER, the fork progress pipe and CONFIG REWRITE: each test
# failed before its fix.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { CHILD_PIDS=(); }
teardown() {
    local p
    for p in "${CHILD_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    kvd_stop
}

ping_ok() { [ "$(kvcli PING 2>/dev/null)" = "PONG" ]; }

@test "fork children close the listening sockets: CONFIG SET port during a BGSAVE frees the old port" {
    # A BGSAVE / AOF rewrite child kept copies of the listeners: the old
    # port still accepted connections (never served) until the child ended,
    # and could not be bound again meanwhile.
    kvd_start --rdb-key-save-delay 100000
    kvcli DEBUG POPULATE 100 >/dev/null
    run kvcli BGSAVE
    assert_output "Background saving started"
    local child old=$KVD_PORT new
    wait_until 5 pgrep -P "$KVD_PID" >/dev/null
    child=$(pgrep -P "$KVD_PID")
    CHILD_PIDS+=("$child")
    new=$(kvd_free_port)
    run kvcli CONFIG SET port "$new"
    assert_output "OK"
    kill -0 "$child" # the save (10 s) still runs
    run timeout 2 redis-cli -p "$old" PING
    assert_output --partial "Connection refused"
    run redis-cli -p "$new" CONFIG SET port "$old"
    assert_output "OK"
    run kvcli PING
    assert_output "PONG"
}

@test "DEBUG RESTART of a kvd started with a relative config file path comes back" {
    # The saved command line kept "kvd.conf" as given, but kvd has chdir'ed
    # to `dir` since: the new image could not open its config and exited.
    # Redis 7.0 puts the config file's absolute path in its exec argv.
    local confdir="$BATS_TEST_TMPDIR/conf"
    mkdir -p "$confdir"
    printf 'maxmemory 12mb\n' >"$confdir/kvd.conf"
    cd "$confdir"
    kvd_start kvd.conf
    cd /
    run kvcli CONFIG SET maxmemory-policy allkeys-lru
    assert_output "OK"
    run kvcli DEBUG RESTART
    wait_until 10 ping_ok
    kill -0 "$KVD_PID"
    run kvcli CONFIG GET maxmemory
    assert_output $'maxmemory\n12582912'
    # the rewrite before the restart kept the CONFIG SET
    run kvcli CONFIG GET maxmemory-policy
    assert_output $'maxmemory-policy\nallkeys-lru'
}

@test "a relative config file path with --dir elsewhere: INFO config_file absolute, CONFIG REWRITE works" {
    # The path was resolved after loading, when --dir (or a dir line) had
    # already moved kvd: kvd believed it had no config file.
    local confdir="$BATS_TEST_TMPDIR/conf"
    mkdir -p "$confdir"
    printf 'maxmemory 12mb\n' >"$confdir/kvd.conf"
    cd "$confdir"
    kvd_start kvd.conf
    cd /
    run kvcli INFO server
    assert_output --partial "config_file:$(realpath "$confdir/kvd.conf")"
    kvcli CONFIG SET maxmemory 13mb >/dev/null
    run kvcli CONFIG REWRITE
    assert_output "OK"
    run grep -c '^maxmemory 13mb' "$confdir/kvd.conf"
    assert_output "1"
}

@test "CONFIG REWRITE writes an empty bind as Redis does: bind \"\"" {
    local conf="$BATS_TEST_TMPDIR/kvd.conf" sock="$BATS_TEST_TMPDIR/kvd.sock"
    printf 'unixsocket %s\n' "$sock" >"$conf"
    kvd_start "$conf"
    run kvcli -s "$sock" CONFIG SET bind ""
    assert_output "OK"
    run kvcli -s "$sock" CONFIG REWRITE
    assert_output "OK"
    run grep -c '^bind ""$' "$conf"
    assert_output "1"
}

@test "DEBUG CRASH-AND-RECOVER during an AOF rewrite leaves no zombie child and no temp file" {
    # The new image only reaps the children it started: the old rewrite
    # child stayed a zombie and its temp file stayed in appendonlydir.
    kvd_start --appendonly yes --rdb-key-save-delay 20000
    kvcli DEBUG POPULATE 100 >/dev/null
    run kvcli BGREWRITEAOF
    assert_output --partial "rewriting started"
    local child
    wait_until 5 pgrep -P "$KVD_PID" >/dev/null
    child=$(pgrep -P "$KVD_PID")
    CHILD_PIDS+=("$child")
    wait_until 5 compgen -G "$KVD_DIR/appendonlydir/temp-rewriteaof-bg-$child.aof" >/dev/null
    run kvcli DEBUG CRASH-AND-RECOVER
    wait_until 10 ping_ok
    # the child (2 s of work) would be done and a zombie by now
    sleep 3
    run test -e "/proc/$child"
    assert_failure
    run compgen -G "$KVD_DIR/appendonlydir/temp-rewriteaof-bg-*"
    assert_failure
}
