#!/usr/bin/env bats
# Blocking list commands (kvd/t_list.c over kvd/blocking.c): BLPOP BRPOP
# BLMOVE BRPOPLPUSH BLMPOP — serving order of several waiters, serving after
# the command that pushed, chains of BLMOVE, timeouts (sub-second, measured;
# 0 = forever), disconnection while blocked, keys that change type, other
# databases, pipelined commands after a blocked one, RESP3, CLIENT UNBLOCK
# and INFO blocked_clients.
#
# Every scenario is a small Python program (see `scenario`) driving several
# connections; every wait is bounded. The suite passes against redis-server
# 7.0.15 too:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/blocking.bats

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() { kvcli FLUSHALL >/dev/null; }

# Helpers in scope of every scenario:
#   conn(resp3=False)   a new connection (its CLIENT ID in .cid)
#   cmd(c, *args)       sends a command, returns its reply bytes (<= 5 s)
#   send(c, *args)      sends a command without reading the reply
#   reply(c, t=5)       the next reply's bytes, or None if none within t s
#   quiet(c, t)         True if nothing arrives on c within t seconds
#   blocked(c)          waits (<= 5 s) until the server ran c's last command
#                       (CLIENT LIST shows it as c's cmd); fails otherwise
#   eq(got, want)       checks got == want (bytes; a str is encoded)
#   info(field)         the value of an INFO field, as a str
# A failed check prints what was expected and what came, and exits 1.
SCENARIO_HELPERS=$(
    cat <<'PYEOF'
import os, sys, time
sys.path.insert(0, os.path.join(os.environ["KV_REPO"], "tests", "helpers"))
import resp
PORT = int(sys.argv[1])

def enc(a):
    return a if isinstance(a, bytes) else str(a).encode()

def fail(msg):
    print(msg)
    sys.exit(1)

def send(c, *args):
    c.last = enc(args[0]).lower()
    c.send(resp.encode_command([enc(a) for a in args]))

def reply(c, t=5.0):
    try:
        return c.read_reply(timeout=t)
    except resp.ReplyTimeout:
        return None

def cmd(c, *args):
    send(c, *args)
    r = reply(c)
    if r is None:
        fail("no reply to %r" % (args,))
    return r

def quiet(c, t):
    return not c.has_pending(wait=t)

def conn(resp3=False):
    c = resp.Connection("127.0.0.1", PORT)
    if resp3:
        cmd(c, "HELLO", "3")
    c.cid = int(cmd(c, "CLIENT", "ID")[1:-2])
    return c

_control = []

def control():
    if not _control:
        _control.append(conn())
    return _control[0]

def blocked(c):
    want_id, want_cmd = b"id=%d " % c.cid, b" cmd=%s " % c.last
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        raw = cmd(control(), "CLIENT", "LIST")
        for line in raw[raw.index(b"\r\n") + 2:].split(b"\n"):
            if line.startswith(want_id) and want_cmd in line:
                return
        time.sleep(0.02)
    fail("client %d did not get to run %s" % (c.cid, c.last.decode()))

def info(field):
    raw = cmd(control(), "INFO")
    for line in raw.split(b"\r\n"):
        if line.startswith(field.encode() + b":"):
            return line.split(b":", 1)[1].decode()
    return None

def eq(got, want):
    want = enc(want)
    if got != want:
        fail("expected: %s\ngot:      %s"
             % (resp.escape(want), resp.escape(got) if got is not None else "(nothing)"))
PYEOF
)

# scenario < PROGRAM: runs PROGRAM (Python) after the helpers above.
scenario() {
    local prog
    prog=$(cat)
    "$KV_PYTHON" -c "$SCENARIO_HELPERS
$prog" "$KVD_PORT"
}

@test "waiters on one key are served in the order they blocked, after the pushing command" {
    run scenario <<'EOF'
w = [conn() for _ in range(3)]
for c in w:
    send(c, "BLPOP", "k", "0")
    blocked(c)
p = conn()
# One RPUSH with three elements: each waiter gets one, in blocking order.
eq(cmd(p, "RPUSH", "k", "a", "b", "c", "d"), ":4\r\n")
eq(reply(w[0]), "*2\r\n$1\r\nk\r\n$1\r\na\r\n")
eq(reply(w[1]), "*2\r\n$1\r\nk\r\n$1\r\nb\r\n")
eq(reply(w[2]), "*2\r\n$1\r\nk\r\n$1\r\nc\r\n")
eq(cmd(p, "LRANGE", "k", "0", "-1"), "*1\r\n$1\r\nd\r\n")
# BRPOP takes from the tail.
r = [conn() for _ in range(2)]
for c in r:
    send(c, "BRPOP", "t", "0")
    blocked(c)
eq(cmd(p, "RPUSH", "t", "1", "2", "3"), ":3\r\n")
eq(reply(r[0]), "*2\r\n$1\r\nt\r\n$1\r\n3\r\n")
eq(reply(r[1]), "*2\r\n$1\r\nt\r\n$1\r\n2\r\n")
eq(cmd(p, "LRANGE", "t", "0", "-1"), "*1\r\n$1\r\n1\r\n")
EOF
    assert_success
}

@test "a waiter on several keys is served from the key that got data; the reply names it" {
    run scenario <<'EOF'
a, b = conn(), conn()
send(a, "BLPOP", "k1", "k2", "k3", "0")
blocked(a)
send(b, "BLPOP", "k2", "0")
blocked(b)
p = conn()
eq(cmd(p, "RPUSH", "k2", "x"), ":1\r\n")
eq(reply(a), "*2\r\n$2\r\nk2\r\n$1\r\nx\r\n")
assert quiet(b, 0.2), "b must still wait"
eq(cmd(p, "LPUSH", "k2", "y"), ":1\r\n")
eq(reply(b), "*2\r\n$2\r\nk2\r\n$1\r\ny\r\n")
eq(cmd(p, "EXISTS", "k1", "k2", "k3"), ":0\r\n")
# A key named twice is waited on once.
send(a, "BLPOP", "same", "same", "0")
blocked(a)
eq(cmd(p, "RPUSH", "same", "1", "2"), ":2\r\n")
eq(reply(a), "*2\r\n$4\r\nsame\r\n$1\r\n1\r\n")
eq(cmd(p, "LLEN", "same"), ":1\r\n")
EOF
    assert_success
}

@test "BLMOVE chains: a moved element serves the waiters of its destination too" {
    run scenario <<'EOF'
c1, c2, c3 = conn(), conn(), conn()
send(c1, "BLMOVE", "a", "b", "LEFT", "RIGHT", "0")
blocked(c1)
send(c2, "BRPOPLPUSH", "b", "c", "0")
blocked(c2)
send(c3, "BLPOP", "c", "0")
blocked(c3)
p = conn()
eq(cmd(p, "RPUSH", "a", "x"), ":1\r\n")
eq(reply(c1), "$1\r\nx\r\n")
eq(reply(c2), "$1\r\nx\r\n")
eq(reply(c3), "*2\r\n$1\r\nc\r\n$1\r\nx\r\n")
eq(cmd(p, "EXISTS", "a", "b", "c"), ":0\r\n")
# A BLMOVE onto its own key rotates.
send(c1, "BLMOVE", "r", "r", "LEFT", "RIGHT", "0")
blocked(c1)
eq(cmd(p, "RPUSH", "r", "1"), ":1\r\n")
eq(reply(c1), "$1\r\n1\r\n")
eq(cmd(p, "LRANGE", "r", "0", "-1"), "*1\r\n$1\r\n1\r\n")
EOF
    assert_success
}

@test "BLMPOP is served with up to COUNT elements from the ready key" {
    run scenario <<'EOF'
a, b = conn(), conn()
send(a, "BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2")
blocked(a)
send(b, "BLMPOP", "0", "1", "m2", "LEFT", "COUNT", "5")
blocked(b)
p = conn()
eq(cmd(p, "RPUSH", "m2", "1", "2", "3"), ":3\r\n")
eq(reply(a), "*2\r\n$2\r\nm2\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n")
eq(reply(b), "*2\r\n$2\r\nm2\r\n*1\r\n$1\r\n1\r\n")
eq(cmd(p, "EXISTS", "m2"), ":0\r\n")
EOF
    assert_success
}

@test "timeouts: sub-second ones fire on time with a nil array, 0 waits until served" {
    run scenario <<'EOF'
c = conn()
for t, lo, hi in (("0.2", 0.19, 0.6), ("0.5", 0.49, 0.9), ("0.05", 0.04, 0.45)):
    start = time.monotonic()
    send(c, "BLPOP", "nokey", t)
    eq(reply(c), "*-1\r\n")
    took = time.monotonic() - start
    assert lo <= took <= hi, "timeout %s took %.3f s" % (t, took)
start = time.monotonic()
send(c, "BLMOVE", "nokey", "d", "LEFT", "LEFT", "0.1")
eq(reply(c), "*-1\r\n")  # Redis 7.0: BLMOVE times out with a nil array too
send(c, "BLMPOP", "0.1", "1", "nokey", "LEFT")
eq(reply(c), "*-1\r\n")
assert time.monotonic() - start < 1.0
# 0 is forever: still waiting after 1.2 s, served by a later push.
send(c, "BRPOP", "later", "0")
blocked(c)
assert quiet(c, 1.2), "a zero timeout must not expire"
eq(cmd(conn(), "RPUSH", "later", "v"), ":1\r\n")
eq(reply(c), "*2\r\n$5\r\nlater\r\n$1\r\nv\r\n")
# One client's timeout leaves another waiter alone.
a, b = conn(), conn()
send(a, "BLPOP", "w", "0.1")
send(b, "BLPOP", "w", "0")
eq(reply(a), "*-1\r\n")
blocked(b)
eq(cmd(conn(), "RPUSH", "w", "z"), ":1\r\n")
eq(reply(b), "*2\r\n$1\r\nw\r\n$1\r\nz\r\n")
EOF
    assert_success
}

@test "a client that disconnects while blocked leaves nothing behind" {
    run scenario <<'EOF'
a = conn()
send(a, "BLPOP", "gone", "0")
blocked(a)
b = conn()
send(b, "BLMOVE", "gone", "dst", "LEFT", "LEFT", "0")
blocked(b)
a.close()
b.close()
p = conn()
# Wait (bounded) until the server has seen both connections close.
deadline = time.monotonic() + 5
while time.monotonic() < deadline:
    raw = cmd(p, "CLIENT", "LIST")
    if (b"id=%d " % a.cid) not in raw and (b"id=%d " % b.cid) not in raw:
        break
    time.sleep(0.02)
eq(cmd(p, "RPUSH", "gone", "x"), ":1\r\n")
eq(cmd(p, "LRANGE", "gone", "0", "-1"), "*1\r\n$1\r\nx\r\n")
eq(cmd(p, "EXISTS", "dst"), ":0\r\n")
# A new waiter on the same key works as usual.
c = conn()
send(c, "BLPOP", "gone2", "0")
blocked(c)
eq(cmd(p, "RPUSH", "gone2", "y"), ":1\r\n")
eq(reply(c), "*2\r\n$5\r\ngone2\r\n$1\r\ny\r\n")
EOF
    assert_success
}

@test "commands pipelined after a blocking one run once it is served" {
    run scenario <<'EOF'
a, p = conn(), conn()
a.send(b"BLPOP pk 0\r\nPING\r\nGET foo\r\n")
a.last = b"blpop"
blocked(a)
assert quiet(a, 0.2), "nothing may be answered while blocked"
p.send(b"RPUSH pk v1 v2\r\nSET foo bar\r\n")
eq(reply(p), ":2\r\n")
eq(reply(p), "+OK\r\n")
eq(reply(a), "*2\r\n$2\r\npk\r\n$2\r\nv1\r\n")
eq(reply(a), "+PONG\r\n")
eq(reply(a), "$3\r\nbar\r\n")
EOF
    assert_success
}

@test "a key that changes type leaves its waiters blocked; a served BLMOVE onto a non-list gets WRONGTYPE" {
    run scenario <<'EOF'
a, p = conn(), conn()
send(a, "BLPOP", "k", "0")
blocked(a)
eq(cmd(p, "SET", "k", "string"), "+OK\r\n")
assert quiet(a, 0.3), "SET does not serve a list waiter"
eq(cmd(p, "DEL", "k"), ":1\r\n")
eq(cmd(p, "RPUSH", "k", "z"), ":1\r\n")
eq(reply(a), "*2\r\n$1\r\nk\r\n$1\r\nz\r\n")
# BLMOVE whose destination became a string by the time data came.
eq(cmd(p, "SET", "dst", "string"), "+OK\r\n")
send(a, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0")
blocked(a)
eq(cmd(p, "RPUSH", "src", "x", "y"), ":2\r\n")
eq(reply(a), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
eq(cmd(p, "LRANGE", "src", "0", "-1"), "*2\r\n$1\r\nx\r\n$1\r\ny\r\n")
EOF
    assert_success
}

@test "waiters are per database" {
    run scenario <<'EOF'
a, p = conn(), conn()
eq(cmd(a, "SELECT", "1"), "+OK\r\n")
send(a, "BLPOP", "k", "0")
blocked(a)
eq(cmd(p, "RPUSH", "k", "db0"), ":1\r\n")
assert quiet(a, 0.2), "a push in db 0 must not serve db 1"
eq(cmd(p, "SELECT", "1"), "+OK\r\n")
eq(cmd(p, "RPUSH", "k", "db1"), ":1\r\n")
eq(reply(a), "*2\r\n$1\r\nk\r\n$3\r\ndb1\r\n")
eq(cmd(p, "EXISTS", "k"), ":0\r\n")
eq(cmd(p, "SELECT", "0"), "+OK\r\n")
eq(cmd(p, "LLEN", "k"), ":1\r\n")
EOF
    assert_success
}

@test "RESP3: a timeout is the null '_', served replies are arrays" {
    run scenario <<'EOF'
a = conn(resp3=True)
send(a, "BLPOP", "nokey", "0.05")
eq(reply(a), "_\r\n")
send(a, "BLMPOP", "0.05", "1", "nokey", "LEFT")
eq(reply(a), "_\r\n")
send(a, "BLPOP", "k", "0")
blocked(a)
eq(cmd(conn(), "RPUSH", "k", "v"), ":1\r\n")
eq(reply(a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n")
EOF
    assert_success
}

@test "argument errors and data present: the blocking commands answer at once" {
    run scenario <<'EOF'
c = conn()
wrong = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
eq(cmd(c, "SET", "str", "v"), "+OK\r\n")
eq(cmd(c, "RPUSH", "l", "a", "b", "c"), ":3\r\n")
eq(cmd(c, "BLPOP", "nokey", "l", "0"), "*2\r\n$1\r\nl\r\n$1\r\na\r\n")
eq(cmd(c, "BRPOP", "l", "0"), "*2\r\n$1\r\nl\r\n$1\r\nc\r\n")
eq(cmd(c, "BLPOP", "str", "0"), wrong)
eq(cmd(c, "BLPOP", "nokey", "str", "0"), wrong)
eq(cmd(c, "BLMOVE", "l", "str", "LEFT", "LEFT", "0"), wrong)
eq(cmd(c, "BLMOVE", "str", "l", "LEFT", "LEFT", "0"), wrong)
eq(cmd(c, "BLMPOP", "0", "2", "nokey", "str", "LEFT"), wrong)
for t in ("-1", "-0.5", "inf", "1e300", "10000000000000000"):
    eq(cmd(c, "BLPOP", "l", t), "-ERR timeout is negative\r\n")
for t in ("abc", "nan", " 1", "1 ", "", "1e-5000"):
    eq(cmd(c, "BLPOP", "l", t), "-ERR timeout is not a float or out of range\r\n")
eq(cmd(c, "BLMOVE", "l", "d", "MIDDLE", "LEFT", "-1"), "-ERR syntax error\r\n")
eq(cmd(c, "BRPOPLPUSH", "l", "d", "x"), "-ERR timeout is not a float or out of range\r\n")
eq(cmd(c, "BLMPOP", "x", "0", "l", "LEFT"), "-ERR numkeys should be greater than 0\r\n")
eq(cmd(c, "BLMPOP", "x", "1", "l", "LEFT", "COUNT", "0"), "-ERR count should be greater than 0\r\n")
eq(cmd(c, "BLMPOP", "x", "1", "l", "LEFT"), "-ERR timeout is not a float or out of range\r\n")
eq(cmd(c, "BLPOP", "l"), "-ERR wrong number of arguments for 'blpop' command\r\n")
eq(cmd(c, "BLMOVE", "l", "d", "LEFT", "LEFT"), "-ERR wrong number of arguments for 'blmove' command\r\n")
eq(cmd(c, "BLMOVE", "l", "d", "LEFT", "RIGHT", "0"), "$1\r\nb\r\n")
eq(cmd(c, "LRANGE", "d", "0", "-1"), "*1\r\n$1\r\nb\r\n")
eq(cmd(c, "EXISTS", "l"), ":0\r\n")
EOF
    assert_success
}

@test "CLIENT UNBLOCK ends a wait as a timeout or with the UNBLOCKED error" {
    run kvcli CLIENT UNBLOCK 999999
    assert_output 0
    run scenario <<'EOF'
a, p = conn(), conn()
send(a, "BLPOP", "k", "0")
blocked(a)
eq(cmd(p, "CLIENT", "UNBLOCK", str(a.cid)), ":1\r\n")
eq(reply(a), "*-1\r\n")
send(a, "BLMOVE", "k", "d", "LEFT", "LEFT", "0")
blocked(a)
eq(cmd(p, "CLIENT", "UNBLOCK", str(a.cid), "ERROR"), ":1\r\n")
eq(reply(a), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n")
eq(cmd(p, "CLIENT", "UNBLOCK", str(a.cid)), ":0\r\n")
eq(cmd(p, "CLIENT", "UNBLOCK", str(p.cid)), ":0\r\n")
# The unblocked client carries on; the key still serves the next waiter.
send(a, "BLPOP", "k", "0")
blocked(a)
eq(cmd(p, "RPUSH", "k", "v"), ":1\r\n")
eq(reply(a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n")
EOF
    assert_success
}

@test "INFO blocked_clients counts the clients waiting on keys" {
    run scenario <<'EOF'
a, b = conn(), conn()
send(a, "BLPOP", "k", "0")
blocked(a)
eq(info("blocked_clients").encode(), "1")
send(b, "BLMPOP", "0", "1", "k2", "LEFT")
blocked(b)
eq(info("blocked_clients").encode(), "2")
cmd(conn(), "RPUSH", "k", "v")
eq(reply(a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n")
eq(info("blocked_clients").encode(), "1")
b.close()
deadline = time.monotonic() + 5
while info("blocked_clients") != "0" and time.monotonic() < deadline:
    time.sleep(0.02)
eq(info("blocked_clients").encode(), "0")
EOF
    assert_success
}

@test "SWAPDB serves a client blocked on a key that exists after the swap" {
    run scenario <<'EOF2'
w = conn()
send(w, "BLPOP", "k", "0")
blocked(w)
p = conn()
eq(cmd(p, "SELECT", "1"), "+OK\r\n")
eq(cmd(p, "RPUSH", "k", "x"), ":1\r\n")
eq(cmd(p, "SWAPDB", "0", "1"), "+OK\r\n")
eq(reply(w), "*2\r\n$1\r\nk\r\n$1\r\nx\r\n")
eq(cmd(p, "EXISTS", "k"), ":0\r\n")
eq(cmd(p, "SELECT", "0"), "+OK\r\n")
eq(cmd(p, "EXISTS", "k"), ":0\r\n")
eq(cmd(p, "FLUSHALL"), "+OK\r\n")
EOF2
    assert_success
}

@test "CLIENT LIST shows a blocked client with flag b" {
    run scenario <<'EOF2'
w = conn()
send(w, "BLPOP", "k", "0")
blocked(w)
p = conn()
lines = cmd(p, "CLIENT", "LIST").decode().split("\n")
flags = sorted(f.split(" ")[0] for l in lines for f in l.split("flags=")[1:])
# the waiter is "b"; the others (this one, the helper's) are "N"
eq(" ".join(f for f in flags if f != "N").encode(), "b")
eq(cmd(p, "RPUSH", "k", "x"), ":1\r\n")
eq(reply(w), "*2\r\n$1\r\nk\r\n$1\r\nx\r\n")
EOF2
    assert_success
}
