#!/usr/bin/env bats
# Pub/Sub: delivery to channel, pattern and shard subscribers (RESP2 arrays,
# RESP3 pushes), the RESP2 subscribed context, subscription bookkeeping
# (CLIENT LIST sub/psub/ssub and flag P, INFO stats, PUBSUB), cleanup on
# disconnect/RESET/CLIENT KILL TYPE pubsub, client-output-buffer-limit for
# slow subscribers, and python3-redis's pubsub.listen().

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    # Earlier tests' subscribers must be gone (closed connections).
    wait_until 5 test "$(kvcli PUBSUB NUMPAT)" = 0
    kvcli CONFIG SET client-output-buffer-limit "pubsub 32mb 8mb 60" >/dev/null
}

@test "PUBLISH reaches channel then pattern subscribers and counts them" {
    pyrun <<'EOF_PY'
a = connect(); b = connect(); p = connect()
assert a.call("SUBSCRIBE", "news") == [b"subscribe", b"news", 1]
assert b.call("SUBSCRIBE", "news") == [b"subscribe", b"news", 1]
assert p.call("PSUBSCRIBE", "n*s") == [b"psubscribe", b"n*s", 1]
n = call("PUBLISH", "news", "hello")
if n != 3: fail("receivers %r" % n)
assert a.read(5) == [b"message", b"news", b"hello"]
assert b.read(5) == [b"message", b"news", b"hello"]
assert p.read(5) == [b"pmessage", b"n*s", b"news", b"hello"]
assert call("PUBLISH", "nope", "x") == 0
# binary-safe channel and payload
assert call("PUBLISH", "news", b"a\r\n\x00b") == 3
assert a.read(5) == [b"message", b"news", b"a\r\n\x00b"]
assert p.read(5) == [b"pmessage", b"n*s", b"news", b"a\r\n\x00b"]
EOF_PY
}

@test "RESP2 subscribed context allows only the subscribe family, PING, QUIT, RESET" {
    pyrun <<'EOF_PY'
s = connect()
s.call("SUBSCRIBE", "c")
e = s.call("GET", "x")
exp = ("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
       "RESET are allowed in this context")
if e != exp: fail("got %r" % e)
assert s.call("CONFIG", "GET", "x").startswith("ERR Can't execute 'config|get'")
assert s.call("PING") == [b"pong", b""]
assert s.call("PING", "hi") == [b"pong", b"hi"]
assert s.call("UNSUBSCRIBE") == [b"unsubscribe", b"c", 0]
assert s.call("PING") == b"PONG"
assert s.call("UNSUBSCRIBE") == [b"unsubscribe", None, 0]
EOF_PY
}

@test "RESP3: subscribe replies and messages are push frames, other commands still work" {
    pyrun <<'EOF_PY'
s = resp.Connection("127.0.0.1", int(sys.argv[1]))
def cmd(*a):
    s.send(resp.encode_command([x.encode() for x in a]))
    return s.read_reply(5)
cmd("HELLO", "3")
assert cmd("SUBSCRIBE", "r3") == b">3\r\n$9\r\nsubscribe\r\n$2\r\nr3\r\n:1\r\n"
assert cmd("SET", "k", "v") == b"+OK\r\n"
assert cmd("PING") == b"+PONG\r\n"
assert call("PUBLISH", "r3", "m") == 1
assert s.read_reply(5) == b">3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$1\r\nm\r\n"
# CLIENT REPLY OFF does not swallow pushes (as Redis).
s.send(resp.encode_command([b"CLIENT", b"REPLY", b"OFF"]))
assert call("PUBLISH", "r3", "m2") == 1
assert s.read_reply(5) == b">3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$2\r\nm2\r\n"
EOF_PY
}

@test "shard channels: SPUBLISH reaches SSUBSCRIBE only, counts are per kind" {
    pyrun <<'EOF_PY'
s = connect(); p = connect()
assert s.call("SSUBSCRIBE", "sh") == [b"ssubscribe", b"sh", 1]
assert s.call("SUBSCRIBE", "sh") == [b"subscribe", b"sh", 1]
p.call("PSUBSCRIBE", "*")
assert call("SPUBLISH", "sh", "x") == 1
assert s.read(5) == [b"smessage", b"sh", b"x"]
assert call("PUBSUB", "SHARDNUMSUB", "sh", "zz") == [b"sh", 1, b"zz", 0]
assert call("PUBSUB", "SHARDCHANNELS") == [b"sh"]
assert s.call("SUNSUBSCRIBE") == [b"sunsubscribe", b"sh", 0]
# the pattern subscriber got nothing from SPUBLISH
if p.pending(0.3): fail("pattern subscriber got %r" % p.read(1))
EOF_PY
}

@test "CLIENT LIST shows sub/psub/ssub and flag P; INFO stats counts channels and patterns" {
    pyrun <<'EOF_PY'
s = connect()
s.call("SUBSCRIBE", "a", "b")
s.read(); s.call("PSUBSCRIBE", "x*", "y*"); s.read()
s.call("SSUBSCRIBE", "z"); 
me = s.conn
lines = call("CLIENT", "LIST").decode().splitlines()
sub = [l for l in lines if " sub=2 " in l]
if len(sub) != 1: fail("no subscriber line in %r" % lines)
if " psub=2 ssub=1 " not in sub[0] or " flags=P " not in sub[0]: fail(sub[0])
info = call("INFO", "stats").decode()
for want in ("pubsub_channels:2", "pubsub_patterns:2", "pubsubshard_channels:1"):
    if want not in info: fail("missing %s" % want)
assert call("PUBSUB", "NUMPAT") == 2
assert sorted(call("PUBSUB", "CHANNELS")) == [b"a", b"b"]
assert call("PUBSUB", "CHANNELS", "a*") == [b"a"]
EOF_PY
}

@test "disconnect, RESET and CLIENT KILL TYPE pubsub drop the subscriptions" {
    pyrun <<'EOF_PY'
a = connect(); b = connect(); c = connect()
a.call("SUBSCRIBE", "d1"); b.call("PSUBSCRIBE", "d*"); c.call("SUBSCRIBE", "d3")
assert call("PUBSUB", "NUMSUB", "d1", "d3") == [b"d1", 1, b"d3", 1]
a.conn.close()
deadline = time.time() + 5
while call("PUBSUB", "NUMSUB", "d1")[1] != 0 and time.time() < deadline: time.sleep(0.05)
assert call("PUBSUB", "NUMSUB", "d1") == [b"d1", 0]
assert b.call("RESET") == b"RESET"
assert call("PUBSUB", "NUMPAT") == 0
assert b.call("GET", "nokey") is None
# only c is still a pubsub client
assert call("CLIENT", "KILL", "TYPE", "pubsub") == 1
assert call("PUBSUB", "NUMSUB", "d3") == [b"d3", 0]
assert call("CLIENT", "KILL", "TYPE", "pubsub") == 0
EOF_PY
}

@test "client-output-buffer-limit: CONFIG GET/SET format and errors as Redis" {
    run kvcli CONFIG SET client-output-buffer-limit "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60"
    assert_output OK
    run kvcli CONFIG GET client-output-buffer-limit
    assert_line -n 1 "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    run kvcli CONFIG SET client-output-buffer-limit "replica 1mb 2 3"
    assert_output OK
    run kvcli CONFIG GET client-output-buffer-limit
    assert_line -n 1 "normal 0 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60"
    run kvcli CONFIG SET client-output-buffer-limit "normal 1 2"
    assert_output "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration."
    run kvcli CONFIG SET client-output-buffer-limit "master 1 2 3"
    assert_output "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."
    run kvcli CONFIG SET client-output-buffer-limit "pubsub x 2 3"
    assert_output "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration."
    # a refused value changes nothing
    run kvcli CONFIG GET client-output-buffer-limit
    assert_line -n 1 "normal 0 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60"
    kvcli CONFIG SET client-output-buffer-limit "slave 256mb 64mb 60" >/dev/null
}

@test "a subscriber that does not read is cut off at the pubsub hard limit" {
    kvcli CONFIG SET client-output-buffer-limit "pubsub 1mb 0 0" >/dev/null
    pyrun <<'EOF_PY'
import socket
slow = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
slow.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nslow\r\n")
time.sleep(0.2)
payload = b"x" * 10000
sent = 0
# 50 MB would be sent without a limit; the limit must close it long before.
while sent < 5000:
    n = call("PUBLISH", "slow", payload)
    sent += 1
    if n == 0:
        break
if n != 0: fail("still subscribed after %d messages" % sent)
if sent * len(payload) > 20 * 1024 * 1024: fail("cut off too late: %d" % sent)
lines = [l for l in call("CLIENT", "LIST").decode().splitlines() if "flags=P" in l]
if lines: fail("subscriber still listed: %r" % lines)
EOF_PY
    kvd_log_wait "scheduled to be closed ASAP for overcoming of output buffer limits"
}

@test "the soft limit closes a subscriber over it for longer than the soft seconds" {
    kvcli CONFIG SET client-output-buffer-limit "pubsub 0 256kb 1" >/dev/null
    pyrun <<'EOF_PY'
import socket
slow = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
slow.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nsoft\r\n")
time.sleep(0.2)
payload = b"y" * 10000
# ~15 MB: more than the kernel's socket buffers take, so the rest queues up
# in kvd, over the soft limit.
for _ in range(1500):
    if call("PUBLISH", "soft", payload) == 0: fail("closed before the soft seconds")
omem = [l for l in call("CLIENT", "LIST").decode().splitlines() if "flags=P" in l][0]
used = int(omem.split(" omem=")[1].split(" ")[0])
if used < 256 * 1024: fail("omem %d" % used)
time.sleep(1.3)
# the next message finds it over the soft limit for > 1 s
call("PUBLISH", "soft", payload)
deadline = time.time() + 5
while call("PUBSUB", "NUMSUB", "soft")[1] != 0 and time.time() < deadline:
    call("PUBLISH", "soft", b"z")
    time.sleep(0.05)
assert call("PUBSUB", "NUMSUB", "soft") == [b"soft", 0]
EOF_PY
}

@test "python3-redis: pubsub.listen() with channel and pattern subscriptions" {
    run /usr/bin/python3 - "$KVD_PORT" <<'EOF_PY'
import sys, threading, time, redis
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
ps = r.pubsub()
ps.subscribe("orders")
ps.psubscribe("events.*")
got = []
def listen():
    for m in ps.listen():
        got.append((m["type"], m.get("pattern"), m["channel"], m["data"]))
        if m["type"] in ("message", "pmessage") and m["data"] == b"stop":
            break
t = threading.Thread(target=listen, daemon=True)
t.start()
deadline = time.time() + 5
while r.pubsub_numpat() < 1 and time.time() < deadline:
    time.sleep(0.02)
assert r.publish("orders", "o1") == 1
assert r.publish("events.login", "alice") == 1
assert r.publish("other", "x") == 0
assert r.publish("events.stop", "stop") == 1
t.join(5)
assert not t.is_alive(), "listener did not finish"
want = [("subscribe", None, b"orders", 1), ("psubscribe", None, b"events.*", 2),
        ("message", None, b"orders", b"o1"),
        ("pmessage", b"events.*", b"events.login", b"alice"),
        ("pmessage", b"events.*", b"events.stop", b"stop")]
assert got == want, got
ps.close()
print("ok")
EOF_PY
    assert_success
    assert_output ok
}
