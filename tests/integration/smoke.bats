#!/usr/bin/env bats
# Smoke test of the server and of the shared helpers (tests/helpers/kvd.bash):
# start, PING, SET/GET through the client, raw protocol, several instances,
# restart, log assertions, stop.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() { kvd_stop; }

@test "PING answers PONG through the client" {
    run kvcli PING
    assert_success
    assert_output PONG
}

@test "SET then GET round-trips a value" {
    run kvcli SET greeting "hello world"
    assert_output OK
    run kvcli GET greeting
    assert_output "hello world"
    run kvcli GET missing
    assert_output ""
}

@test "raw multibulk PING gets +PONG" {
    run resp_send '*1\r\n$4\r\nPING\r\n'
    assert_success
    assert_output '+PONG\r\n'
}

@test "inline commands and pipelining over a raw socket" {
    run resp_send -n 3 'PING\r\nset a b\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n'
    assert_success
    assert_line -n 0 '+PONG\r\n'
    assert_line -n 1 '+OK\r\n'
    assert_line -n 2 '$1\r\nb\r\n'
}

@test "resp_cmd sends binary-safe arguments" {
    run resp_cmd SET "k y" $'v\r\nx'
    assert_output '+OK\r\n'
    run resp_cmd GET "k y"
    assert_output '$4\r\nv\r\nx\r\n'
}

@test "protocol error is reported and the connection closed" {
    run resp_send -c '*1\r\n$-5\r\n'
    assert_output --partial '-ERR Protocol error'
    assert_line '<closed>'
}

@test "several instances run side by side" {
    local first=$KVD_PORT
    kvd_start_as second
    [ "$KVD_PORT" != "$first" ]
    [ "$KVD_PORT_second" = "$KVD_PORT" ]
    kvcli SET where second
    run kvcli -p "$first" GET where
    assert_output ""
    run kvcli GET where
    assert_output second
    kvd_stop second
    run kvcli -p "$first" PING
    assert_output PONG
    kvd_stop second   # safe twice
}

@test "restart keeps the dir, the port and the files in the dir" {
    kvd_stop
    kvd_start_as db
    local port=$KVD_PORT dir=$KVD_DIR
    kvcli SET persisted yes
    run kvcli SAVE
    assert_output OK
    [ -s "$KVD_DIR/dump.rdb" ]
    kvd_restart db
    [ "$KVD_PORT" = "$port" ] && [ "$KVD_DIR" = "$dir" ]
    [ -s "$KVD_DIR/dump.rdb" ]
    run kvcli PING
    assert_output PONG
}

@test "server log has its startup line" {
    kvd_log_wait 'Ready to accept connections'
    run kvd_log_wait 'this line is never logged' 1
    assert_failure
}

@test "CONFIG GET reflects command-line directives" {
    run kvcli CONFIG GET port
    assert_line -n 1 "$KVD_PORT"
    run kvcli CONFIG GET dir
    assert_line -n 1 "$(cd "$KVD_DIR" && pwd -P)"
}
