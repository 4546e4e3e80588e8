#!/usr/bin/env bats
# Client eviction (kvd/clienteviction.c): maxmemory-clients in bytes or as a
# percentage of maxmemory, CONFIG SET/GET forms and errors, the biggest
# clients closed first when all clients together hold more than the limit
# (a query buffer grown by a partly sent request, replies piled up for a
# client that does not read, a subscriber that does not read), the log line
# and INFO evicted_clients, CLIENT NO-EVICT protection switched on and off,
# "0" turning it off, mem_clients_normal as a true sum, and
# client-output-buffer-limit still acting alongside.
#
# Every program below also passes against Redis 7.0:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/client_eviction.bats

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    kvcli CONFIG SET maxmemory-clients 0 >/dev/null
    kvcli CONFIG SET maxmemory 0 >/dev/null
    kvcli CONFIG SET client-output-buffer-limit "normal 0 0 0 pubsub 32mb 8mb 60" >/dev/null
    kvcli CONFIG RESETSTAT >/dev/null
    # Connections of the previous test are gone.
    wait_until 5 test "$(kvcli INFO clients | tr -d '\r' | sed -n 's/^connected_clients://p')" = 1
}

# Python helpers prepended to the test programs (run with pyrun). The
# control connection `r` is NO-EVICT: only the clients under test can go.
PYLIB='
import redis, socket
PORT = int(sys.argv[1])
r = redis.Redis(port=PORT, single_connection_client=True, socket_timeout=10)
r.execute_command("CLIENT", "NO-EVICT", "ON")
main.conn.close()  # the prelude connection would be one more evictable client

def stat(field):
    return int(r.info("stats")[field])

def mem(field):
    return int(r.info("memory")[field])

def raw(rcvbuf=None, name=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(("127.0.0.1", PORT))
    s.settimeout(10)
    if name:
        s.sendall(enc("CLIENT", "SETNAME", name))
        if s.recv(100) != b"+OK\r\n":
            fail("SETNAME")
    return s

def enc(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

def partial_set(s, total, sent):
    """Starts SET q <total bytes> and sends only `sent` bytes of the value
    (more than one 16 KB read: kvd sizes the buffer for the whole value on
    the read after the bulk header, Redis on parsing the header)."""
    try:
        s.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$%d\r\n" % total + b"x" * sent)
    except OSError:
        pass  # evicted while sending (closed() tells)

def closed(s, timeout):
    """True when the server closes s within timeout seconds (pending
    replies are read and dropped)."""
    end = time.time() + timeout
    while time.time() < end:
        s.settimeout(max(0.05, end - time.time()))
        try:
            if s.recv(1 << 20) == b"":
                return True
        except socket.timeout:
            return False
        except OSError:
            return True
    return False

def names():
    return [c["name"] for c in r.client_list()]

def wait_for(pred, timeout, what):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.05)
    fail("timed out waiting for " + what)
'

py() { { printf '%s\n' "$PYLIB"; cat; } | pyrun; }

@test "CONFIG SET/GET maxmemory-clients: bytes, percent, 0 and Redis's errors" {
    run kvcli CONFIG GET maxmemory-clients
    assert_output $'maxmemory-clients\n0'
    kvcli CONFIG SET maxmemory-clients 10%
    run kvcli CONFIG GET maxmemory-clients
    assert_output $'maxmemory-clients\n10%'
    kvcli CONFIG SET maxmemory-clients 5mb
    run kvcli CONFIG GET maxmemory-clients
    assert_output $'maxmemory-clients\n5242880'
    kvcli CONFIG SET maxmemory-clients 0%
    run kvcli CONFIG GET maxmemory-clients
    assert_output $'maxmemory-clients\n0'
    run kvcli CONFIG SET maxmemory-clients 101%
    assert_output --partial "percentage argument must be less or equal to 100"
    for bad in -1 -5% abc 10.5% 1.5mb 50%x %; do
        run kvcli CONFIG SET maxmemory-clients "$bad"
        assert_output --partial "argument must be a memory or percent value"
    done
    run kvcli CONFIG GET maxmemory-clients
    assert_output $'maxmemory-clients\n0'
}

@test "a client whose query buffer passes maxmemory-clients is evicted, logged and counted" {
    py <<'EOF'
r.config_set("maxmemory-clients", "1mb")
small = raw(name="small")
big = raw(name="big")
partial_set(big, 4000000, 1500000)
if not closed(big, 5):
    fail("the big client was not evicted")
if stat("evicted_clients") != 1:
    fail("evicted_clients %d" % stat("evicted_clients"))
# the small client is still served
small.sendall(enc("PING"))
if small.recv(100) != b"+PONG\r\n":
    fail("small client disturbed")
if "big" in names() or "small" not in names():
    fail("clients left: %r" % names())
EOF
    kvd_log_wait "Evicting client: id=[0-9]+ .*name=big " 5
    run kvcli INFO stats
    assert_output --partial "evicted_clients:1"
    kvcli CONFIG RESETSTAT
    run kvcli INFO stats
    assert_output --partial "evicted_clients:0"
}

@test "the biggest client goes first and only as many as needed" {
    py <<'EOF'
r.config_set("maxmemory-clients", "3mb")
mid = raw(name="mid")
partial_set(mid, 1500000, 100000)   # about 1.5 MB of query buffer
wait_for(lambda: any(c["name"] == "mid" and int(c["tot-mem"]) > 1000000
                     for c in r.client_list()), 5, "mid to grow")
huge = raw(name="huge")
partial_set(huge, 3000000, 100000)  # about 3 MB: the sum passes 3 MB
if not closed(huge, 5):
    fail("the huge client was not evicted")
if closed(mid, 1):
    fail("the smaller client was evicted too")
if stat("evicted_clients") != 1:
    fail("evicted_clients %d" % stat("evicted_clients"))
# mid completes its command normally
mid.sendall(b"x" * (1500000 - 100000) + b"\r\n")
mid.settimeout(5)
if mid.recv(100) != b"+OK\r\n":
    fail("mid not served")
EOF
}

@test "a client that does not read its replies is evicted" {
    py <<'EOF'
r.set("big", "v" * 1000000)
r.config_set("maxmemory-clients", "8mb")
other = raw(name="other")
slow = raw(rcvbuf=4096, name="slow")
slow.sendall(enc("GET", "big") * 40)  # 40 MB of replies, never read
if not closed(slow, 10):
    fail("the client that does not read was not evicted")
if stat("evicted_clients") != 1:
    fail("evicted_clients %d" % stat("evicted_clients"))
other.sendall(enc("GET", "big"))
got = b""
while len(got) < 1000000:
    chunk = other.recv(1 << 20)
    if not chunk:
        fail("other client closed")
    got += chunk
EOF
}

@test "a subscriber that does not read is evicted (not cut by its output limit)" {
    py <<'EOF'
r.config_set("client-output-buffer-limit", "pubsub 0 0 0")
r.config_set("maxmemory-clients", "4mb")
sub = raw(rcvbuf=4096, name="sub")
sub.sendall(enc("SUBSCRIBE", "ch"))
wait_for(lambda: r.execute_command("PUBSUB", "NUMSUB", "ch")[1] == 1, 5, "subscription")
msg = "m" * 100000
for i in range(200):  # 20 MB
    r.publish("ch", msg)
    if "sub" not in names():
        break
if not closed(sub, 5):
    fail("the subscriber was not evicted")
if stat("evicted_clients") != 1:
    fail("evicted_clients %d" % stat("evicted_clients"))
EOF
}

@test "CLIENT NO-EVICT ON spares a client; OFF makes it evictable at once" {
    py <<'EOF'
r.set("big", "v" * 1000000)
r.config_set("maxmemory-clients", "4mb")
keep = raw(rcvbuf=4096, name="keep")
keep.sendall(enc("CLIENT", "NO-EVICT", "ON"))
keep.settimeout(5)
if keep.recv(100) != b"+OK\r\n":
    fail("NO-EVICT ON")
keep.sendall(enc("GET", "big") * 30)  # 30 MB of replies, not read yet
wait_for(lambda: any(c["name"] == "keep" and int(c["omem"]) > 8000000
                     for c in r.client_list()), 10, "keep's output to pile up")
time.sleep(0.5)  # (reading would drain its output)
if "keep" not in names():
    fail("the NO-EVICT client was evicted")
if stat("evicted_clients") != 0:
    fail("evicted_clients %d" % stat("evicted_clients"))
if "e" not in [c["flags"] for c in r.client_list() if c["name"] == "keep"][0]:
    fail("flag e missing")
keep.sendall(enc("CLIENT", "NO-EVICT", "OFF"))
if not closed(keep, 5):
    fail("not evicted after NO-EVICT OFF")
if stat("evicted_clients") != 1:
    fail("evicted_clients %d" % stat("evicted_clients"))
EOF
}

@test "NO-EVICT clients still count: others go, the protected one stays" {
    py <<'EOF'
r.config_set("maxmemory-clients", "1mb")
plain = raw(name="plain")
keep = raw(name="keep")
keep.sendall(enc("CLIENT", "NO-EVICT", "ON"))
keep.settimeout(5)
if keep.recv(100) != b"+OK\r\n":
    fail("NO-EVICT ON")
partial_set(keep, 3000000, 100000)
if not closed(plain, 5):
    fail("the evictable client was not evicted")
if closed(keep, 1):
    fail("the NO-EVICT client was evicted")
keep.sendall(b"x" * (3000000 - 100000) + b"\r\n")
keep.settimeout(5)
if keep.recv(100) != b"+OK\r\n":
    fail("keep not served")
EOF
}

@test "percentage of maxmemory: evicts with maxmemory set, nothing without" {
    py <<'EOF'
r.config_set("maxmemory-clients", "1%")
# maxmemory 0: a percentage means no limit
c1 = raw(name="c1")
partial_set(c1, 4000000, 1500000)
if closed(c1, 1.5):
    fail("evicted with maxmemory 0")
if stat("evicted_clients") != 0:
    fail("evicted_clients %d" % stat("evicted_clients"))
# 1% of 100 MB: 1 MB, which c1 is over
r.config_set("maxmemory", "100mb")
if not closed(c1, 5):
    fail("not evicted with maxmemory-clients 1% of 100mb")
if stat("evicted_clients") != 1:
    fail("evicted_clients %d" % stat("evicted_clients"))
EOF
}

@test "maxmemory-clients 0 turns eviction off; mem_clients_normal is a true sum" {
    py <<'EOF'
r.config_set("maxmemory-clients", "1mb")
r.config_set("maxmemory-clients", "0")
base = mem("mem_clients_normal")
c1 = raw(name="c1")
partial_set(c1, 4000000, 1500000)
if closed(c1, 1.5):
    fail("evicted although maxmemory-clients is 0")
if stat("evicted_clients") != 0:
    fail("evicted_clients %d" % stat("evicted_clients"))
# refreshed at least once per cron tick
wait_for(lambda: mem("mem_clients_normal") >= base + 1500000, 5,
         "mem_clients_normal to count the big query buffer")
c1.sendall(b"x" * (4000000 - 1500000) + b"\r\n")
c1.settimeout(5)
if c1.recv(100) != b"+OK\r\n":
    fail("c1 not served")
c1.close()
wait_for(lambda: mem("mem_clients_normal") < base + 1000000, 5,
         "mem_clients_normal to drop when the client leaves")
EOF
}

@test "client-output-buffer-limit still closes a client under maxmemory-clients" {
    py <<'EOF'
r.set("big", "v" * 1000000)
r.config_set("maxmemory-clients", "1gb")
r.config_set("client-output-buffer-limit", "normal 4mb 0 0")
slow = raw(rcvbuf=4096, name="slow")
slow.sendall(enc("GET", "big") * 40)
if not closed(slow, 10):
    fail("the output buffer limit did not close the client")
if stat("evicted_clients") != 0:
    fail("counted as evicted: %d" % stat("evicted_clients"))
EOF
    kvd_log_wait "name=slow .*overcoming of output buffer limits" 5
}
