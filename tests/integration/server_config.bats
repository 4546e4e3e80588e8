#!/usr/bin/env bats
# Configuration end to end: config file + command line precedence, CONFIG
# GET/SET/REWRITE round trip through a restart, include files, fatal config
# errors, daemonize + pidfile + logfile, supervised systemd notification.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

teardown() { kvd_stop; }

kvd_bin() { kvd_server_bin; }

@test "config file values apply and command line overrides them" {
    conf="$BATS_TEST_TMPDIR/a.conf"
    printf '# my comment\nhz 15\ntimeout 7\nslowlog-max-len 33\n' > "$conf"
    kvd_start "$conf" --timeout 9
    run kvcli CONFIG GET hz
    assert_output $'hz\n15'
    run kvcli CONFIG GET timeout
    assert_output $'timeout\n9'
    run kvcli CONFIG GET slowlog-max-len
    assert_output $'slowlog-max-len\n33'
}

@test "CONFIG GET takes several glob patterns" {
    kvd_start
    run kvcli CONFIG GET 'tcp-*' maxclients
    assert_success
    assert_line tcp-keepalive
    assert_line tcp-backlog
    assert_line maxclients
    assert_line 10000
}

@test "CONFIG SET of several directives is all or nothing" {
    kvd_start
    run kvcli CONFIG SET hz 20 timeout notanumber
    assert_output --partial "ERR CONFIG SET failed (possibly related to argument 'timeout')"
    run kvcli CONFIG GET hz
    assert_output $'hz\n10'
    run kvcli CONFIG SET hz 20 timeout 30
    assert_output OK
    run kvcli CONFIG GET hz timeout
    assert_line 20
    assert_line 30
    run kvcli CONFIG SET hz 1 hz 2
    assert_output --partial "duplicate parameter"
    run kvcli CONFIG SET nosuchthing 1
    assert_output "ERR Unknown option or number of arguments for CONFIG SET - 'nosuchthing'"
    run kvcli CONFIG SET daemonize yes
    assert_output --partial "can't set immutable config"
}

@test "CONFIG REWRITE keeps comments and order and survives a restart" {
    conf="$BATS_TEST_TMPDIR/rw.conf"
    printf '# header comment\nhz 11\n# middle comment\ntimeout 5\n' > "$conf"
    kvd_start "$conf"
    run kvcli CONFIG SET timeout 42 slowlog-max-len 77
    assert_output OK
    run kvcli CONFIG REWRITE
    assert_output OK
    run cat "$conf"
    assert_line -n 0 "# header comment"
    assert_line -n 1 "hz 11"
    assert_line -n 2 "# middle comment"
    assert_line -n 3 "timeout 42"
    assert_line "slowlog-max-len 77"
    kvd_restart
    run kvcli CONFIG GET timeout
    assert_output $'timeout\n42'
    run kvcli CONFIG GET slowlog-max-len
    assert_output $'slowlog-max-len\n77'
}

@test "CONFIG REWRITE without a config file is an error" {
    kvd_start
    run kvcli CONFIG REWRITE
    assert_output "ERR The server is running without a config file"
}

@test "include pulls in another file" {
    inc="$BATS_TEST_TMPDIR/inc.conf"
    conf="$BATS_TEST_TMPDIR/main.conf"
    printf 'slowlog-max-len 55\n' > "$inc"
    printf 'include %s\n' "$inc" > "$conf"
    kvd_start "$conf"
    run kvcli CONFIG GET slowlog-max-len
    assert_output $'slowlog-max-len\n55'
}

@test "a bad directive is a fatal config error naming the line" {
    conf="$BATS_TEST_TMPDIR/bad.conf"
    printf 'hz 10\nno-such-directive 1\n' > "$conf"
    run timeout 10 "$(kvd_bin)" "$conf"
    assert_failure
    assert_output --partial "FATAL CONFIG FILE ERROR"
    assert_output --partial "line 2"
    assert_output --partial "Bad directive or wrong number of arguments"
    run timeout 10 "$(kvd_bin)" --port notaport
    assert_failure
    assert_output --partial "argument couldn't be parsed into an integer"
}

@test "daemonize writes the pidfile and logfile, SIGTERM removes the pidfile" {
    dir="$BATS_TEST_TMPDIR/d"
    mkdir -p "$dir"
    port=$(kvd_free_port)
    run "$(kvd_bin)" --port "$port" --bind 127.0.0.1 --daemonize yes --pidfile "$dir/kvd.pid" \
        --logfile "$dir/kvd.log" --dir "$dir" --save ''
    assert_success
    wait_until 10 test -s "$dir/kvd.pid"
    pid=$(cat "$dir/kvd.pid")
    wait_until 10 redis-cli -p "$port" ping
    run redis-cli -p "$port" ping
    assert_output PONG
    run grep -c "Ready to accept connections" "$dir/kvd.log"
    assert_output 1
    run grep -E '^[0-9]+:M [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:.]{12} \* Ready to accept' "$dir/kvd.log"
    assert_success
    kill -TERM "$pid"
    wait_until 10 bash -c "! kill -0 $pid 2>/dev/null"
    run test -e "$dir/kvd.pid"
    assert_failure
    grep -q "ready to exit" "$dir/kvd.log"
}

@test "supervised systemd sends READY=1 over NOTIFY_SOCKET" {
    sock="$BATS_TEST_TMPDIR/notify.sock"
    out="$BATS_TEST_TMPDIR/notify.out"
    /usr/bin/python3 - "$sock" "$out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(10)
data = b""
try:
    while b"READY=1" not in data:
        data += s.recv(4096)
except socket.timeout:
    pass
open(sys.argv[2], "wb").write(data)
PY
    listener=$!
    wait_until 5 test -S "$sock"
    NOTIFY_SOCKET="$sock" kvd_start --supervised systemd
    wait "$listener"
    run cat "$out"
    assert_output --partial "READY=1"
}

@test "CONFIG SET port re-opens the listener; a port in use is refused and nothing changes" {
    kvd_start
    new=$(kvd_free_port)
    run kvcli CONFIG SET port "$new"
    assert_output OK
    run redis-cli -p "$new" PING
    assert_output PONG
    run redis-cli -p "$KVD_PORT" PING
    assert_output --partial "Connection refused"
    # take a port with another listener, then ask kvd for it
    other=$(kvd_free_port)
    /usr/bin/python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(5)' "$other" &
    holder=$!
    wait_until 5 bash -c "ss -ltn | grep -q ':$other '"
    run redis-cli -p "$new" CONFIG SET port "$other"
    assert_output --partial "Unable to listen on this port"
    run redis-cli -p "$new" CONFIG GET port
    assert_output $'port\n'"$new"
    kill "$holder" 2>/dev/null || true
    KVD_PORT=$new
}

@test "protected configs (dir, dbfilename) follow enable-protected-configs" {
    kvd_start
    run kvcli CONFIG SET dir /tmp
    assert_output "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"
    run kvcli CONFIG SET dbfilename x.rdb
    assert_output --partial "can't set protected config"
    kvd_stop
    kvd_start --enable-protected-configs local
    run kvcli CONFIG SET dbfilename x.rdb
    assert_output OK
}

@test "dynamic-hz raises the cron frequency with many clients" {
    kvd_start --hz 10
    run /usr/bin/python3 - "$KVD_PORT" <<'PY'
import socket, sys, time, resource
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
port = int(sys.argv[1])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(2100)]
c = socket.create_connection(("127.0.0.1", port))
c.sendall(b"INFO server\r\n")
time.sleep(0.5)
data = c.recv(65536).decode()
hz = [l for l in data.split("\r\n") if l.startswith("hz:")][0]
print(hz)
PY
    assert_output "hz:20"
}
