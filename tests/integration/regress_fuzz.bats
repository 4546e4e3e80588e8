#!/usr/bin/env bats
# Regressions found by the libFuzzer targets (tests/fuzz): each input is also
# a seed in the target's corpus.

load '../helpers/kvd'

teardown() { kvd_stop; }

@test "RESTORE of a bare 10-byte trailer is refused, the server stays up" {
    kvd_start
    # Ten zero bytes: version 0 and CRC-64 0 (the CRC of nothing) pass the
    # trailer check; there is no type byte before it. kvd used to read past
    # the payload (SIGSEGV).
    run "$KV_PYTHON" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(b"*4\r\n$7\r\nRESTORE\r\n$1\r\nk\r\n$1\r\n0\r\n$10\r\n" + b"\0" * 10 + b"\r\n")
print(s.recv(100))' "$KVD_PORT"
    [[ "$output" == *"-ERR Bad data format"* ]]
    run resp_cmd PING
    [ "$output" = '+PONG\r\n' ]
}

@test "an inline request with escapes sent during CLIENT PAUSE runs intact afterwards" {
    kvd_start
    run resp_cmd CLIENT PAUSE 300 WRITE
    [ "$output" = '+OK\r\n' ]
    run "$KV_PYTHON" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(b"SET k \"a\\x41\"\r\n")
print(s.recv(100))' "$KVD_PORT"
    [[ "$output" == *"+OK"* ]]
    run resp_cmd GET k
    [ "$output" = '$2\r\naA\r\n' ]
}
