#!/usr/bin/env bats
# The network layer under load and abuse: pipelining, big arguments sent in
# pieces, many connections, unix sockets, maxclients, protocol errors, the
# query buffer limit, timeouts.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

teardown() { kvd_stop; }

PY=/usr/bin/python3

@test "10k pipelined commands get 10k replies in order" {
    kvd_start
    run $PY - "$KVD_PORT" <<'EOF2'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
n = 10000
buf = b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\nk%d\r\n$%d\r\nv%d\r\n" % (len(b"k%d" % i), i, len(b"v%d" % i), i) for i in range(n))
buf += b"".join(b"*2\r\n$3\r\nGET\r\n$%d\r\nk%d\r\n" % (len(b"k%d" % i), i) for i in range(n))
s.sendall(buf)
want = b"+OK\r\n" * n + b"".join(b"$%d\r\nv%d\r\n" % (len(b"v%d" % i), i) for i in range(n))
got = b""
while len(got) < len(want):
    chunk = s.recv(65536)
    if not chunk: break
    got += chunk
print("match" if got == want else "mismatch %d/%d" % (len(got), len(want)))
EOF2
    assert_output match
}

@test "a 100 MB bulk argument sent in small pieces is stored intact" {
    kvd_start
    run $PY - "$KVD_PORT" <<'EOF2'
import socket, sys, hashlib, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
size = 100 * 1024 * 1024
block = bytes(range(256)) * 256  # 64 KB
s.sendall(b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$%d\r\n" % size)
h = hashlib.sha1()
sent = 0
while sent < size:
    part = block[: min(len(block), size - sent)]
    s.sendall(part); h.update(part); sent += len(part)
s.sendall(b"\r\n")
print(s.recv(100).decode().strip())
s.sendall(b"*2\r\n$6\r\nSTRLEN\r\n$3\r\nbig\r\n")
print(s.recv(100).decode().strip())
s.sendall(b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n")
hdr = b""
while not hdr.endswith(b"\r\n"): hdr += s.recv(1)
n = int(hdr[1:-2]); g = hashlib.sha1(); left = n + 2; data = bytearray()
while left > 0:
    c = s.recv(min(left, 1 << 20))
    if not c: break
    left -= len(c)
    data += c
g.update(data[:-2])
print("same" if g.hexdigest() == h.hexdigest() else "different")
EOF2
    assert_line -n 0 "+OK"
    assert_line -n 1 ":104857600"
    assert_line -n 2 "same"
}

@test "1000 concurrent connections are all served" {
    kvd_start
    run $PY - "$KVD_PORT" <<'EOF2'
import socket, sys, resource
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
port = int(sys.argv[1])
socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(1000)]
for i, s in enumerate(socks):
    s.sendall(b"*2\r\n$4\r\nECHO\r\n$%d\r\n%d\r\n" % (len(str(i)), i))
ok = 0
for i, s in enumerate(socks):
    want = b"$%d\r\n%d\r\n" % (len(str(i)), i)
    got = b""
    while len(got) < len(want):
        c = s.recv(100)
        if not c: break
        got += c
    ok += got == want
c = socket.create_connection(("127.0.0.1", port), timeout=10)
c.sendall(b"*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n")
data = b""
while data.count(b"\n") < 1001:
    d = c.recv(1 << 20)
    if not d: break
    data += d
print(ok, data.count(b"id="))
EOF2
    assert_output "1000 1001"
}

@test "maxclients refuses the extra connection with Redis's error" {
    kvd_start --maxclients 2
    run $PY - "$KVD_PORT" <<'EOF2'
import socket, sys, time
port = int(sys.argv[1])
a = socket.create_connection(("127.0.0.1", port)); b = socket.create_connection(("127.0.0.1", port))
a.sendall(b"PING\r\n"); b.sendall(b"PING\r\n"); a.recv(10); b.recv(10)
c = socket.create_connection(("127.0.0.1", port), timeout=5)
print(c.recv(100).decode().strip())
EOF2
    assert_output "-ERR max number of clients reached"
}

@test "unix socket with permissions" {
    sock="$BATS_TEST_TMPDIR/kvd.sock"
    kvd_start --unixsocket "$sock" --unixsocketperm 700
    run redis-cli -s "$sock" PING
    assert_output PONG
    run stat -c %a "$sock"
    assert_output 700
}

@test "protocol errors get Redis's message and close the connection" {
    kvd_start
    run resp_send -c '*1\r\n$x\r\n'
    assert_output --partial "-ERR Protocol error: invalid bulk length"
    assert_output --partial "<closed>"
    run resp_send -c '*2\r\n+PING\r\n'
    assert_output --partial "-ERR Protocol error: expected '\$', got '+'"
    run resp_send -c '*3000000000\r\n'
    assert_output --partial "-ERR Protocol error: invalid multibulk length"
    run resp_send -c '*1\r\n$536870913\r\n'
    assert_output --partial "-ERR Protocol error: invalid bulk length"
    run resp_send -c 'SET a "b\r\n'
    assert_output --partial "-ERR Protocol error: unbalanced quotes in request"
    # the server is fine afterwards and nothing was written
    run kvcli DBSIZE
    assert_output 0
}

@test "an oversized inline request is refused" {
    kvd_start
    run $PY - "$KVD_PORT" <<'EOF2'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
try:
    s.sendall(b"a" * (70 * 1024))
except OSError:
    pass
print(s.recv(200).decode().strip())
EOF2
    assert_output "-ERR Protocol error: too big inline request"
}

@test "the query buffer limit closes a client that exceeds it" {
    kvd_start --client-query-buffer-limit 1mb
    run $PY - "$KVD_PORT" <<'EOF2'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"*2\r\n$4\r\nECHO\r\n$3000000\r\n")
try:
    for _ in range(40):
        s.sendall(b"x" * 100000)
    print("open", s.recv(10))
except OSError:
    print("closed")
EOF2
    assert_output --regexp "closed|open b''"
    run kvcli PING
    assert_output PONG
    kvd_log_wait "max query buffer length"
}

@test "timeout closes idle clients" {
    kvd_start --timeout 1
    run $PY - "$KVD_PORT" <<'EOF2'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"PING\r\n"); s.recv(10)
t = time.time()
print("closed" if s.recv(10) == b"" else "data", round(time.time() - t) <= 4)
EOF2
    assert_output "closed True"
}
