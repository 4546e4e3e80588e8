#!/usr/bin/env bats
# Transactions (kvd/multi.c): MULTI EXEC DISCARD WATCH UNWATCH with several
# connections — WATCH broken by other clients' writes, flushes, SWAPDB and
# expiry, per-database watching, contention between two clients, blocked
# clients served after EXEC, CLIENT LIST state (flags x/d, multi=,
# multi-mem=), cleanup on disconnect and RESET, pipelined transactions,
# EXECABORT reasons, command stats, the slow log of EXEC's commands, and
# what a transaction writes to the AOF.
# Single-connection replies are also diffed against Redis 7.0 by
# tests/compat/scripts/multi.txt.
#
# The suite passes against redis-server 7.0.15 too:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/multi.bats

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
teardown() { kvd_stop; } # only instances a test started itself (the AOF test's)
setup() {
    kvcli FLUSHALL >/dev/null
    kvcli CONFIG SET maxmemory 0 >/dev/null
    kvcli DEBUG SET-ACTIVE-EXPIRE 1 >/dev/null
}

# pyrun programs: call() is connection "a"; connect() opens others.

@test "WATCH: another client's write makes EXEC reply nil (RESP2 *-1, RESP3 _)" {
    pyrun <<'EOF'
b = connect()
for proto in (2, 3):
    a = connect(proto)
    assert a.call("SET", "k", "1") == b"OK"
    assert a.call("WATCH", "k") == b"OK"
    assert b.call("SET", "k", "2") == b"OK"
    assert a.call("MULTI") == b"OK"
    assert a.call("SET", "k", "mine") == b"QUEUED"
    a.send("EXEC")
    raw = a.conn.read_reply()
    want = b"*-1\r\n" if proto == 2 else b"_\r\n"
    if raw != want: fail("proto %d: EXEC gave %r" % (proto, raw))
    assert a.call("GET", "k") == b"2"
EOF
}

@test "WATCH: every kind of write by another client breaks it" {
    pyrun <<'EOF'
a, b = connect(), connect()
writes = [
    ("SET", "k", "x"), ("DEL", "k"), ("UNLINK", "k"), ("EXPIRE", "k", "100"),
    ("APPEND", "k", "z"), ("INCR", "n"), ("RENAME", "k", "k2"), ("GETDEL", "k"),
    ("LPUSH", "l", "v"), ("RPOP", "l2"), ("HSET", "h", "f", "v"), ("SADD", "s", "m"),
    ("ZADD", "z", "1", "m"), ("COPY", "src", "k", "REPLACE"), ("MOVE", "k", "9"),
    ("RESTORE", "k", "0", None, "REPLACE"), ("PERSIST", "k"),
]
for w in writes:
    b.call("FLUSHALL")
    b.call("SET", "k", "v"); b.call("SET", "n", "1"); b.call("SET", "src", "s")
    b.call("RPUSH", "l2", "a", "b")
    b.call("PEXPIRE", "k", "100000") if w[0] == "PERSIST" else None
    key = "k" if w[0] == "COPY" else w[1]
    if w[0] == "RESTORE":
        dump = b.call("DUMP", "k")
        w = ("RESTORE", "k", "0", dump, "REPLACE")
    assert a.call("WATCH", key) == b"OK", w
    r = b.call(*w)
    if isinstance(r, Error): fail("%r: %s" % (w, r))
    assert a.call("MULTI") == b"OK"
    assert a.call("PING") == b"QUEUED"
    got = a.call("EXEC")
    if got is not None: fail("%r did not break the watch: %r" % (w, got))
EOF
}

@test "WATCH: reads, no-op writes and other databases do not break it" {
    pyrun <<'EOF'
a, b = connect(), connect()
a.call("SET", "k", "v")
noops = [("GET", "k"), ("EXISTS", "k"), ("TTL", "k"), ("TYPE", "k"), ("DEL", "nokey"),
         ("PERSIST", "k"), ("SETNX", "k", "other"), ("SELECT", "1"), ("SET", "k", "db1"),
         ("DEL", "k"), ("FLUSHDB",), ("SELECT", "0"), ("EXPIRE", "nokey", "5")]
assert a.call("WATCH", "k") == b"OK"
for w in noops:
    b.call(*w)
assert a.call("MULTI") == b"OK"
assert a.call("GET", "k") == b"QUEUED"
assert a.call("EXEC") == [b"v"]
EOF
}

@test "WATCH: the same key name in another database is another key" {
    pyrun <<'EOF'
a, b = connect(), connect()
a.call("SELECT", "2")
a.call("SET", "k", "in2")
assert a.call("WATCH", "k") == b"OK"
a.call("SELECT", "0")            # watches stay with the db they were made in
b.call("SET", "k", "in0")
assert a.call("MULTI") == b"OK"
assert a.call("EXEC") == []
assert a.call("WATCH", "k") == b"OK"   # now db 0's k
b.call("SELECT", "2"); b.call("SET", "k", "again")
a.call("MULTI")
assert a.call("EXEC") == []
a.call("WATCH", "k")
b.call("SELECT", "0"); b.call("SET", "k", "again")
a.call("MULTI")
assert a.call("EXEC") is None
EOF
}

@test "WATCH: FLUSHALL/FLUSHDB/SWAPDB by another client break it only for keys that exist" {
    pyrun <<'EOF'
a, b = connect(), connect()
def attempt():
    assert a.call("MULTI") == b"OK"
    return a.call("EXEC")
# FLUSHALL with the key present
a.call("SET", "k", "1"); a.call("WATCH", "k"); b.call("FLUSHALL")
assert attempt() is None
# FLUSHALL while the watched key is missing: nothing changed for it
a.call("WATCH", "k"); a.call("SET", "other", "1"); b.call("FLUSHALL")
assert attempt() == []
# FLUSHDB of another db
a.call("SET", "k", "1"); a.call("WATCH", "k")
b.call("SELECT", "1"); b.call("SET", "k", "x"); b.call("FLUSHDB"); b.call("SELECT", "0")
assert attempt() == []
# FLUSHDB of our db
a.call("WATCH", "k"); b.call("FLUSHDB")
assert attempt() is None
# SWAPDB: key only in the other db
b.call("SELECT", "1"); b.call("SET", "w", "1"); b.call("SELECT", "0")
a.call("WATCH", "w"); b.call("SWAPDB", "0", "1")
assert attempt() is None
# SWAPDB: key in neither
a.call("WATCH", "none"); b.call("SWAPDB", "0", "1")
assert attempt() == []
EOF
}

@test "WATCH: expiry — a key expiring after WATCH breaks it, an already expired one does not" {
    pyrun <<'EOF'
a, b = connect(), connect()
# expires while watched, deleted by the active cycle or not at all: EXEC fails
a.call("SET", "e", "1", "PX", "50")
assert a.call("WATCH", "e") == b"OK"
time.sleep(0.15)
a.call("MULTI")
assert a.call("EXEC") is None
# with active expiry off the key is still there, logically expired
a.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")
a.call("SET", "e", "1", "PX", "50")
a.call("WATCH", "e")
time.sleep(0.15)
a.call("MULTI")
assert a.call("EXEC") is None
# already expired when WATCH ran; another client's read deletes it: no change
a.call("SET", "e", "1", "PX", "10")
time.sleep(0.05)
assert a.call("WATCH", "e") == b"OK"
assert b.call("GET", "e") is None
a.call("MULTI")
assert a.call("EXEC") == []
# already expired, then written by another client: a change
a.call("SET", "e", "1", "PX", "10")
time.sleep(0.05)
a.call("WATCH", "e")
b.call("SET", "e", "2")
a.call("MULTI")
assert a.call("EXEC") is None
a.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")
EOF
}

@test "WATCH: two clients racing on one key — exactly one EXEC wins" {
    pyrun <<'EOF'
a, b = connect(), connect()
a.call("SET", "ctr", "10")
for c in (a, b):
    assert c.call("WATCH", "ctr") == b"OK"
va, vb = int(a.call("GET", "ctr")), int(b.call("GET", "ctr"))
a.call("MULTI"); a.call("SET", "ctr", va + 1)
b.call("MULTI"); b.call("SET", "ctr", vb + 1)
ra = a.call("EXEC")
rb = b.call("EXEC")
if ra != [b"OK"] or rb is not None: fail("got %r %r" % (ra, rb))
assert a.call("GET", "ctr") == b"11"
EOF
}

@test "UNWATCH, DISCARD, EXEC, RESET and disconnect drop watches" {
    pyrun <<'EOF'
a, b = connect(), connect()
a.call("SET", "k", "1")
for release in (("UNWATCH",), ("MULTI", "DISCARD"), ("MULTI", "EXEC"), ("RESET",)):
    assert a.call("WATCH", "k") == b"OK"
    for cmd in release:
        r = a.call(cmd)
        assert not isinstance(r, Error), (cmd, r)
    b.call("SET", "k", "changed")
    a.call("MULTI")
    if a.call("EXEC") != []: fail("still watching after %r" % (release,))
# a client that disconnects while watching and inside MULTI
for i in range(20):
    c = connect()
    c.call("WATCH", "k", "k%d" % i, "shared")
    c.call("MULTI"); c.call("SET", "x", "y")
    c.conn.close()
time.sleep(0.1)
assert b.call("SET", "k", "after") == b"OK"
assert b.call("SET", "shared", "after") == b"OK"
assert b.call("PING") == b"PONG"
EOF
}

@test "CLIENT LIST shows flags x and d, multi= and multi-mem=" {
    pyrun <<'EOF'
import re
a, b = connect(), connect()
aid = a.call("CLIENT", "ID")
def line():
    for l in b.call("CLIENT", "LIST").decode().splitlines():
        if l.startswith("id=%d " % aid): return l
    fail("client %d not listed" % aid)
def field(l, name):
    return re.search(r"\b%s=(\S*)" % name, l).group(1)
a.call("SET", "k", "1")
l = line()
assert field(l, "flags") == "N" and field(l, "multi") == "-1" and field(l, "multi-mem") == "0", l
a.call("WATCH", "k")
assert field(line(), "flags") == "N"
b.call("SET", "k", "2")
assert field(line(), "flags") == "d", line()
a.call("UNWATCH")
a.call("MULTI")
l = line()
assert field(l, "flags") == "x" and field(l, "multi") == "0", l
assert a.call("SET", "x", "1") == b"QUEUED"
l = line()
# multi-mem: argument bytes plus one pointer per argument (3 + 1 + 1 + 3*8)
assert field(l, "multi") == "1" and field(l, "multi-mem") == "29" and field(l, "cmd") == "set", l
# CLIENT INFO inside EXEC still sees the transaction
a.call("CLIENT", "INFO")
r = a.call("EXEC")
assert r[0] == b"OK"
info = r[1].decode()
assert field(info, "flags") == "x" and field(info, "multi") == "2" and field(info, "cmd") == "exec", info
l = line()
assert field(l, "flags") == "N" and field(l, "multi") == "-1", l
EOF
}

@test "a doomed transaction keeps replying QUEUED but stores nothing" {
    pyrun <<'EOF'
import re
a, b = connect(), connect()
aid = a.call("CLIENT", "ID")
a.call("WATCH", "k"); b.call("SET", "k", "1")
a.call("MULTI")
for i in range(5):
    assert a.call("SET", "x%d" % i, "v") == b"QUEUED"
lst = b.call("CLIENT", "LIST").decode()
mine = [l for l in lst.splitlines() if l.startswith("id=%d " % aid)][0]
assert " multi=0 " in mine and "flags=xd" in mine, mine
assert a.call("EXEC") is None
assert b.call("EXISTS", "x0") == 0
EOF
}

@test "clients blocked on keys are served after EXEC, not in the middle" {
    pyrun <<'EOF'
a, b = connect(), connect()
b.send("BLPOP", "q", "5")
for _ in range(50):                   # until b is blocked
    if "cmd=blpop" in a.call("CLIENT", "LIST").decode(): break
    time.sleep(0.05)
a.call("MULTI")
a.call("RPUSH", "q", "first")
a.call("RPUSH", "q", "second")
a.call("LLEN", "q")
r = a.call("EXEC")
if r != [1, 2, 2]: fail("EXEC: %r" % (r,))
got = b.read(timeout=5)
if got != [b"q", b"first"]: fail("BLPOP got %r" % (got,))
assert a.call("LRANGE", "q", "0", "-1") == [b"second"]
EOF
}

@test "blocking commands inside EXEC answer as on timeout, at once" {
    pyrun <<'EOF'
start = time.time()
call("MULTI")
for c in (("BLPOP", "nol", "0"), ("BRPOP", "nol", "1"), ("BLMOVE", "nol", "x", "LEFT", "LEFT", "0"),
          ("BZPOPMAX", "noz", "0"), ("BRPOPLPUSH", "nol", "x", "0")):
    assert call(*c) == b"QUEUED"
r = call("EXEC")
if r != [None] * 5: fail("%r" % (r,))
if time.time() - start > 1: fail("EXEC waited")
EOF
}

@test "pipelined MULTI with many commands and EXEC in one write" {
    pyrun <<'EOF'
n = 2000
c = connect()
buf = resp.encode_command([b"MULTI"])
for i in range(n):
    buf += resp.encode_command([b"INCR", b"cnt"])
buf += resp.encode_command([b"EXEC"]) + resp.encode_command([b"GET", b"cnt"])
c.conn.send(buf)
assert c.read() == b"OK"
for i in range(n):
    if c.read() != b"QUEUED": fail("reply %d" % i)
r = c.read()
if r != list(range(1, n + 1)): fail("EXEC reply wrong: %r..." % (r[:5],))
assert c.read() == str(n).encode()
EOF
}

@test "large queued arguments are copied, not borrowed from the query buffer" {
    pyrun <<'EOF'
big = b"x" * (3 * 1024 * 1024)
c = connect()
c.call("MULTI")
assert c.call("SET", "big", big) == b"QUEUED"
# more traffic so the query buffer is reused before EXEC
for i in range(50):
    assert c.call("SET", "small%d" % i, b"y" * 1000) == b"QUEUED"
r = c.call("EXEC")
assert r == [b"OK"] * 51
assert c.call("STRLEN", "big") == len(big)
assert c.call("GET", "big") == big
EOF
}

@test "EXECABORT: queue-time refusals, NOAUTH and arity name their reason" {
    pyrun <<'EOF'
a = connect()
a.call("MULTI")
r = a.call("NOSUCH", "x")
assert isinstance(r, Error) and r.startswith("ERR unknown command 'NOSUCH'"), r
assert a.call("EXEC") == "EXECABORT Transaction discarded because of previous errors."
r = a.call("EXEC", "extra")
assert r == "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command", r
assert a.call("CONFIG", "SET", "requirepass", "pw") == b"OK"
b = connect()
assert b.call("MULTI") == "NOAUTH Authentication required."
assert b.call("EXEC") == "EXECABORT Transaction discarded because of: NOAUTH Authentication required.", b
assert b.call("AUTH", "pw") == b"OK"
assert b.call("CONFIG", "SET", "requirepass", "") == b"OK"
EOF
}

@test "OOM: inside MULTI every command is refused once over maxmemory; EXEC aborts" {
    pyrun <<'EOF'
a = connect()
a.call("MULTI")
assert a.call("SET", "k", "v") == b"QUEUED"
b = connect()
assert b.call("CONFIG", "SET", "maxmemory", "1") == b"OK"
assert a.call("GET", "k") == "OOM command not allowed when used memory > 'maxmemory'."
assert a.call("PING") == "OOM command not allowed when used memory > 'maxmemory'."
assert b.call("CONFIG", "SET", "maxmemory", "0") == b"OK"
assert a.call("EXEC") == "EXECABORT Transaction discarded because of previous errors."
EOF
}

@test "commandstats count EXEC's commands, rejections and EXECABORT; slowlog has the inner commands" {
    pyrun <<'EOF'
call("CONFIG", "RESETSTAT")
call("SLOWLOG", "RESET")
call("CONFIG", "SET", "slowlog-log-slower-than", "0")
call("MULTI"); call("SET", "a", "1"); call("LPUSH", "a", "x"); call("EXEC")
call("MULTI"); call("SET", "a"); call("EXEC")
stats = call("INFO", "commandstats").decode()
def stat(name):
    for l in stats.splitlines():
        if l.startswith("cmdstat_%s:" % name): return l
    return ""
assert "calls=1," in stat("set") and "rejected_calls=1," in stat("set"), stat("set")
assert "failed_calls=1" in stat("lpush"), stat("lpush")
assert "calls=2," in stat("exec") and "failed_calls=1" in stat("exec"), stat("exec")
assert "calls=2," in stat("multi"), stat("multi")
errs = call("INFO", "errorstats").decode()
assert "errorstat_EXECABORT:count=1" in errs, errs
log = call("SLOWLOG", "GET", "20")
names = [e[3][0].lower() for e in log]
call("CONFIG", "SET", "slowlog-log-slower-than", "10000")
assert b"lpush" in names and b"set" in names, names
assert b"exec" not in names, names
EOF
}

@test "AOF: a transaction is one MULTI/EXEC block; a single write is not wrapped (Redis 7.0)" {
    kvd_start_as aof --appendonly yes
    run pyrun <<'EOF2'
import glob
c = connect()
def tx(*cmds):
    assert c.call("MULTI") == b"OK"
    for cmd in cmds:
        assert c.call(*cmd) == b"QUEUED"
    return c.call("EXEC")
tx(("SET", "one", "1"), ("GET", "one"))                     # one write: alone
tx(("SET", "two", "2"), ("SET", "three", "3"))              # two: wrapped
tx(("GET", "one"),)                                         # reads: nothing
tx(("SELECT", "3"), ("SET", "four", "4"))                   # SELECT is not propagated itself
tx(("SET", "five", "5"), ("SELECT", "5"), ("SET", "six", "6"))
tx(("INCR", "one"), ("LPUSH", "one", "x"))                  # the failed LPUSH is not written
c.call("WATCH", "k"); c.call("SET", "k", "v")               # (SET k propagates by itself)
tx(("SET", "never", "1"),)                                  # aborted EXEC: nothing
c.call("MULTI"); c.call("SET", "never", "2"); c.call("SET"); c.call("EXEC")   # EXECABORT: nothing
c.call("SET", "last", "1")
want = [["SELECT", "0"], ["SET", "one", "1"],
        ["MULTI"], ["SET", "two", "2"], ["SET", "three", "3"], ["EXEC"],
        ["SELECT", "3"], ["SET", "four", "4"],
        ["MULTI"], ["SET", "five", "5"], ["SELECT", "5"], ["SET", "six", "6"], ["EXEC"],
        ["INCR", "one"], ["SET", "k", "v"], ["SET", "last", "1"]]
path = glob.glob(os.environ["KVD_DIR"] + "/appendonlydir/*.incr.aof")
if len(path) != 1: fail("incr files: %r" % path)
got = None
for _ in range(50):
    data = open(path[0], "rb").read()
    buf, got = data, []
    while buf:
        end = resp.reply_end(buf)
        if end < 0: break
        got.append([x.decode() for x in plain(resp.decode(buf[:end])[0])])
        buf = buf[end:]
    if got and got[-1] == ["SET", "last", "1"]: break
    time.sleep(0.1)
if got != want:
    fail("AOF commands:\n%r\nwanted:\n%r" % (got, want))
EOF2
    assert_success
}

@test "HELLO 3 queued in a transaction switches the encoding of the replies after it" {
    pyrun <<'EOF2'
c = connect()
c.call("MULTI")
for cmd in (("ECHO", "x"), ("HELLO", "3"), ("HGETALL", "nohash"), ("GET", "nokey")):
    assert c.call(*cmd) == b"QUEUED"
c.send("EXEC")
raw = c.conn.read_reply()
if not raw.startswith(b"*4\r\n$1\r\nx\r\n%7\r\n") or not raw.endswith(b"%0\r\n_\r\n"):
    fail("EXEC reply: %r" % raw)
EOF2
}
