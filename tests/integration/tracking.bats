#!/usr/bin/env bats
# Client-side caching (CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO):
# invalidation pushes in RESP3, REDIRECT to a RESP2 client subscribed to
# __redis__:invalidate, broken redirections, NOLOOP, OPTIN/OPTOUT, BCAST with
# and without prefixes, flushes, expiry, tracking-table-max-keys, the order
# of invalidations after the reply (MULTI/EXEC, scripts), errors, CLIENT
# LIST flags and the INFO fields. Every reply is checked byte for byte; the
# suite passes against redis-server 7.0 too (KVD_SERVER=/usr/bin/redis-server).

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    # Tracking clients of earlier tests are gone (closed connections).
    wait_until 5 test "$(kvcli INFO clients | tr -d '\r' | grep '^tracking_clients:')" = \
        tracking_clients:0
}

# Raw connections for the test programs: cmd() returns the bytes of one
# reply, push() the next frame, quiet() asserts nothing more arrived.
PRELUDE='
class Raw:
    def __init__(self, proto=2):
        self.conn = resp.Connection("127.0.0.1", int(sys.argv[1]))
        if proto == 3:
            self.cmd("HELLO", "3")
        self.id = int(self.cmd("CLIENT", "ID")[1:-2])
    def send(self, *args):
        self.conn.send(resp.encode_command(
            [a if isinstance(a, bytes) else str(a).encode() for a in args]))
    def cmd(self, *args):
        self.send(*args)
        return self.conn.read_reply(5)
    def push(self, timeout=5):
        return self.conn.read_reply(timeout)
    def quiet(self, wait=0.2):
        if self.conn.has_pending(wait):
            fail("unexpected: %r" % self.conn.read_reply(1))
def inv(*keys):
    out = b">2\r\n$10\r\ninvalidate\r\n*%d\r\n" % len(keys)
    for k in keys:
        out += b"$%d\r\n%s\r\n" % (len(k), k.encode())
    return out
def expect(got, want, what=""):
    if got != want:
        fail("%s: got %r want %r" % (what, got, want))
'

trun() {
    local prog
    prog=$(cat)
    pyrun <<<"$PRELUDE
$prog"
}

@test "default mode: a key read by a RESP3 client is invalidated once when another client writes it" {
    trun <<'EOF_PY'
a = Raw(3); b = Raw()
expect(a.cmd("CLIENT", "TRACKING", "ON"), b"+OK\r\n")
expect(a.cmd("GET", "t1:k"), b"_\r\n")
expect(a.cmd("MGET", "t1:x", "t1:y"), b"*2\r\n_\r\n_\r\n")
expect(b.cmd("SET", "t1:k", "1"), b"+OK\r\n")
expect(a.push(), inv("t1:k"), "after SET")
expect(b.cmd("SET", "t1:k", "2"), b"+OK\r\n")
a.quiet()  # the entry went with the first invalidation
# MSET: one message per key, in argument order
expect(b.cmd("MSET", "t1:y", "1", "t1:x", "2"), b"+OK\r\n")
expect(a.push(), inv("t1:y"))
expect(a.push(), inv("t1:x"))
# the table ignores the database number (as Redis)
expect(a.cmd("SELECT", "1"), b"+OK\r\n")
expect(a.cmd("GET", "t1:z"), b"_\r\n")
expect(b.cmd("SET", "t1:z", "x"), b"+OK\r\n")
expect(a.push(), inv("t1:z"), "other db")
# other writers: DEL, RENAME (both names), EXPIRE
expect(a.cmd("SELECT", "0"), b"+OK\r\n")
expect(a.cmd("MGET", "t1:k", "t1:r"), b"*2\r\n$1\r\n2\r\n_\r\n")
expect(b.cmd("RENAME", "t1:k", "t1:r"), b"+OK\r\n")
expect(a.push(), inv("t1:k"))
expect(a.push(), inv("t1:r"))
# tracking off: no more messages for keys read since
expect(a.cmd("CLIENT", "TRACKING", "OFF"), b"+OK\r\n")
expect(a.cmd("GET", "t1:r"), b"$1\r\n2\r\n")
expect(b.cmd("DEL", "t1:r"), b":1\r\n")
a.quiet()
EOF_PY
}

@test "own writes: the invalidation follows the reply; NOLOOP suppresses it" {
    trun <<'EOF_PY'
a = Raw(3)
a.cmd("CLIENT", "TRACKING", "ON")
a.cmd("GET", "t2:k")
a.send("SET", "t2:k", "1")
expect(a.push(), b"+OK\r\n")
expect(a.push(), inv("t2:k"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "NOLOOP"), b"+OK\r\n")
a.cmd("GET", "t2:k")
expect(a.cmd("SET", "t2:k", "2"), b"+OK\r\n")
a.quiet()
# the entry went all the same: read again before another client writes
a.cmd("GET", "t2:k")
b = Raw()
b.cmd("SET", "t2:k", "3")
expect(a.push(), inv("t2:k"), "another client's write still counts")
# re-enabling without NOLOOP turns it off again
a.cmd("CLIENT", "TRACKING", "ON")
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n")
EOF_PY
}

@test "MULTI/EXEC and scripts: reads inside are tracked, invalidations come after the reply" {
    trun <<'EOF_PY'
a = Raw(3); b = Raw()
a.cmd("CLIENT", "TRACKING", "ON")
expect(a.cmd("MULTI"), b"+OK\r\n")
expect(a.cmd("GET", "t3:k"), b"+QUEUED\r\n")
expect(a.cmd("SET", "t3:k", "5"), b"+QUEUED\r\n")
expect(a.cmd("GET", "t3:k"), b"+QUEUED\r\n")
expect(a.cmd("SET", "t3:k", "6"), b"+QUEUED\r\n")
a.send("EXEC")
expect(a.push(), b"*4\r\n_\r\n+OK\r\n$1\r\n5\r\n+OK\r\n")
# read, write, read, write: the key is invalidated twice
expect(a.push(), inv("t3:k"))
expect(a.push(), inv("t3:k"))
a.quiet()
# a script: the invalidation of its write follows its reply
a.cmd("GET", "t3:k")
a.send("EVAL", "redis.call('get', 't3:x'); redis.call('set', 't3:k', '7'); return 5", "0")
expect(a.push(), b":5\r\n")
expect(a.push(), inv("t3:k"))
# Redis 7.0 quirk: a read-only command run by a script makes its caller
# track the keys the EVAL declares, not the ones the command read
expect(b.cmd("SET", "t3:x", "1"), b"+OK\r\n")
a.quiet()
expect(a.cmd("EVAL", "return redis.call('get', 't3:y')", "1", "t3:decl"), b"_\r\n")
expect(a.cmd("EVAL_RO", "return redis.call('get', 't3:y')", "1", "t3:ro"), b"_\r\n")
expect(a.cmd("EVAL", "return 1", "1", "t3:none"), b":1\r\n")  # ran no read
expect(b.cmd("MSET", "t3:y", "1", "t3:decl", "1", "t3:ro", "1", "t3:none", "1"), b"+OK\r\n")
expect(a.push(), inv("t3:decl"))
expect(a.push(), inv("t3:ro"))
a.quiet()
EOF_PY
}

@test "OPTIN and OPTOUT with CLIENT CACHING" {
    trun <<'EOF_PY'
a = Raw(3); b = Raw()
expect(a.cmd("CLIENT", "TRACKING", "ON", "OPTIN"), b"+OK\r\n")
a.cmd("GET", "t4:k1")                      # not tracked
expect(a.cmd("CLIENT", "CACHING", "YES"), b"+OK\r\n")
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\noptin\r\n$11\r\ncaching-yes\r\n"
       b"$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n")
a.cmd("GET", "t4:k2")                      # tracked (CLIENT subcommands keep the choice)
a.cmd("GET", "t4:k3")                      # not tracked: the choice lasts one command
a.cmd("CLIENT", "CACHING", "YES")
a.cmd("PING")
a.cmd("GET", "t4:k4")                      # not tracked: PING used the choice
a.cmd("CLIENT", "CACHING", "YES")
a.cmd("MULTI"); a.cmd("GET", "t4:k5"); a.cmd("GET", "t4:k6")
expect(a.cmd("EXEC"), b"*2\r\n_\r\n_\r\n")  # the whole transaction is tracked
a.cmd("GET", "t4:k7")
b.cmd("MSET", *[x for i in range(1, 8) for x in ("t4:k%d" % i, "1")])
expect(a.push(), inv("t4:k2"))
expect(a.push(), inv("t4:k5"))
expect(a.push(), inv("t4:k6"))
a.quiet()
expect(a.cmd("CLIENT", "TRACKING", "OFF"), b"+OK\r\n")
expect(a.cmd("CLIENT", "TRACKING", "ON", "OPTOUT"), b"+OK\r\n")
a.cmd("GET", "t4:k1")                      # tracked
expect(a.cmd("CLIENT", "CACHING", "NO"), b"+OK\r\n")
a.cmd("GET", "t4:k2")                      # skipped
a.cmd("GET", "t4:k3")                      # tracked
b.cmd("MSET", "t4:k1", "2", "t4:k2", "2", "t4:k3", "2")
expect(a.push(), inv("t4:k1"))
expect(a.push(), inv("t4:k3"))
a.quiet()
expect(a.cmd("CLIENT", "CACHING", "YES"),
       b"-ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.\r\n")
expect(a.cmd("CLIENT", "TRACKING", "ON", "OPTIN"),
       b"-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
       b"and then re-enabling it with a different mode.\r\n")
a.cmd("CLIENT", "TRACKING", "OFF")
expect(a.cmd("CLIENT", "CACHING", "NO"),
       b"-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
       b"or OPTOUT mode enabled\r\n")
EOF_PY
}

@test "BCAST: prefixes, sorted key lists per prefix, NOLOOP, sent before the loop sleeps" {
    trun <<'EOF_PY'
a = Raw(3); b = Raw(3); c = Raw()
expect(a.cmd("CLIENT", "TRACKING", "ON", "BCAST"), b"+OK\r\n")
expect(b.cmd("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "t5u:", "PREFIX", "t5v:", "NOLOOP"),
       b"+OK\r\n")
expect(c.cmd("MSET", "t5u:2", "1", "t5u:1", "2", "t5x", "3", "t5v:1", "4"), b"+OK\r\n")
expect(a.push(), inv("t5u:1", "t5u:2", "t5v:1", "t5x"), "all keys, sorted")
expect(b.push(), inv("t5u:1", "t5u:2"), "first prefix")
expect(b.push(), inv("t5v:1"), "second prefix")
# NOLOOP leaves out the client's own writes; without it they come back
expect(b.cmd("MSET", "t5u:2", "1", "t5v:1", "4"), b"+OK\r\n")
b.quiet()
expect(a.push(), inv("t5u:2", "t5v:1"))
expect(a.cmd("SET", "t5u:3", "1"), b"+OK\r\n")
expect(a.push(), inv("t5u:3"))
expect(b.push(), inv("t5u:3"))
# a transaction's keys are collected once
a.cmd("MULTI"); a.cmd("SET", "t5u:4", "1"); a.cmd("DEL", "t5u:4")
expect(a.cmd("EXEC"), b"*2\r\n+OK\r\n:1\r\n")
expect(a.push(), inv("t5u:4"))
expect(b.push(), inv("t5u:4"))
expect(b.cmd("CLIENT", "TRACKINGINFO"),
       b"%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\nbcast\r\n$6\r\nnoloop\r\n"
       b"$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*2\r\n$4\r\nt5u:\r\n$4\r\nt5v:\r\n")
# prefixes add up while on; OFF drops them
expect(b.cmd("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "t5w:"), b"+OK\r\n")
expect(b.cmd("CLIENT", "TRACKINGINFO"),
       b"%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n"
       b"$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*3\r\n$4\r\nt5u:\r\n$4\r\nt5v:\r\n$4\r\nt5w:\r\n")
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n"
       b"$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*1\r\n$0\r\n\r\n")
info = c.cmd("INFO", "stats")
if b"tracking_total_prefixes:4\r\n" not in info: fail(info)
b.cmd("CLIENT", "TRACKING", "OFF")
info = c.cmd("INFO", "stats")
if b"tracking_total_prefixes:1\r\n" not in info: fail(info)
EOF_PY
}

@test "REDIRECT: RESP2 target gets __redis__:invalidate messages, RESP3 target pushes" {
    trun <<'EOF_PY'
a = Raw(); r = Raw(); r3 = Raw(3); w = Raw()
expect(a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT", r.id), b"+OK\r\n")
expect(a.cmd("CLIENT", "GETREDIR"), b":%d\r\n" % r.id)
a.cmd("GET", "t6:k")
w.cmd("SET", "t6:k", "1")
r.quiet()  # not subscribed: nothing to deliver
expect(r.cmd("SUBSCRIBE", "__redis__:invalidate"),
       b"*3\r\n$9\r\nsubscribe\r\n$20\r\n__redis__:invalidate\r\n:1\r\n")
a.cmd("GET", "t6:k")
w.cmd("SET", "t6:k", "2")
expect(r.push(), b"*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$4\r\nt6:k\r\n")
a.quiet()
# a flush sends a null: in the tracking client's protocol (RESP2 here)
w.cmd("FLUSHDB")
expect(r.push(), b"*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n")
# to a RESP3 client: a push, subscribed or not
expect(a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT", r3.id), b"+OK\r\n")
a.cmd("GET", "t6:k")
w.cmd("SET", "t6:k", "3")
expect(r3.push(), inv("t6:k"))
w.cmd("FLUSHALL")
expect(r3.push(), b">2\r\n$10\r\ninvalidate\r\n$-1\r\n")
r.quiet()
EOF_PY
}

@test "REDIRECT to a client that left: tracking-redir-broken, flag R, broken_redirect" {
    trun <<'EOF_PY'
a = Raw(3); r = Raw(); w = Raw()
rid = r.id
a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT", rid)
r.conn.close()
time.sleep(0.2)
a.cmd("GET", "t7:k")
w.cmd("SET", "t7:k", "1")
broken = b">2\r\n$21\r\ntracking-redir-broken\r\n:%d\r\n" % rid
expect(a.push(), broken)
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$15\r\nbroken_redirect\r\n"
       b"$8\r\nredirect\r\n:" + str(rid).encode() + b"\r\n$8\r\nprefixes\r\n*0\r\n")
line = a.cmd("CLIENT", "INFO")
if b" flags=tR " not in line or (b" redir=%d " % rid) not in line: fail(line)
# told again at every message, flushes included
w.cmd("FLUSHALL")
expect(a.push(), broken)
# a new redirection clears the flag
expect(a.cmd("CLIENT", "TRACKING", "ON"), b"+OK\r\n")
line = a.cmd("CLIENT", "INFO")
if b" flags=t " not in line or b" redir=0 " not in line: fail(line)
expect(a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT", 1 << 40),
       b"-ERR The client ID you want redirect to does not exist\r\n")
EOF_PY
}

@test "FLUSHALL/FLUSHDB: one null invalidation to every tracking client (own: after the reply)" {
    trun <<'EOF_PY'
a = Raw(3); b = Raw(3); w = Raw(); n = Raw(3)
a.cmd("CLIENT", "TRACKING", "ON", "NOLOOP")
b.cmd("CLIENT", "TRACKING", "ON", "BCAST")
a.cmd("GET", "t8:k")
expect(w.cmd("SELECT", "3"), b"+OK\r\n")
expect(w.cmd("FLUSHDB"), b"+OK\r\n")  # an empty db of another number still counts
expect(a.push(), b">2\r\n$10\r\ninvalidate\r\n_\r\n")
expect(b.push(), b">2\r\n$10\r\ninvalidate\r\n_\r\n")
n.quiet(0.05)
# the table is gone: a write of t8:k tells nothing
w.cmd("SELECT", "0"); w.cmd("SET", "t8:k", "1")
a.quiet()
expect(b.push(), inv("t8:k"))
a.send("FLUSHALL", "ASYNC")
expect(a.push(), b"+OK\r\n")
expect(a.push(), b">2\r\n$10\r\ninvalidate\r\n_\r\n", "NOLOOP does not apply to flushes")
expect(b.push(), b">2\r\n$10\r\ninvalidate\r\n_\r\n")
EOF_PY
}

@test "expiry of a tracked key (active and lazy) invalidates it" {
    trun <<'EOF_PY'
a = Raw(3); w = Raw()
a.cmd("CLIENT", "TRACKING", "ON")
w.cmd("SET", "t9:e", "1", "PX", "300")
expect(a.cmd("GET", "t9:e"), b"$1\r\n1\r\n")
expect(a.push(2), inv("t9:e"), "active expiry")
# lazy expiry by the reader itself: the message follows the nil reply
w.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "0")
try:
    w.cmd("SET", "t9:f", "1", "PX", "100")
    a.cmd("GET", "t9:f")
    time.sleep(0.3)
    a.send("GET", "t9:f")
    expect(a.push(), b"_\r\n")
    expect(a.push(), inv("t9:f"), "lazy expiry")
finally:
    w.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1")
EOF_PY
}

@test "tracking-table-max-keys: extra keys are invalidated (before the next command, in cron)" {
    trun <<'EOF_PY'
a = Raw(3); w = Raw()
expect(w.cmd("CONFIG", "GET", "tracking-table-max-keys"),
       b"*2\r\n$23\r\ntracking-table-max-keys\r\n$7\r\n1000000\r\n")
expect(w.cmd("CONFIG", "SET", "tracking-table-max-keys", "-1"),
       b"-ERR CONFIG SET failed (possibly related to argument 'tracking-table-max-keys') - "
       b"argument must be between 0 and 9223372036854775807 inclusive\r\n")
w.cmd("FLUSHALL")  # drops what earlier tests left in the table
try:
    expect(w.cmd("CONFIG", "SET", "tracking-table-max-keys", "2"), b"+OK\r\n")
    a.cmd("CLIENT", "TRACKING", "ON")
    a.send("MGET", "t10:a", "t10:b", "t10:c", "t10:d", "t10:e")
    a.send("PING")
    expect(a.push(), b"*5\r\n_\r\n_\r\n_\r\n_\r\n_\r\n")
    got = set()
    for i in range(3):
        frame = a.push()
        if not frame.startswith(b">2\r\n$10\r\ninvalidate\r\n*1\r\n"): fail(frame)
        got.add(frame)
    expect(len(got), 3)
    expect(a.push(), b"+PONG\r\n", "evicted before PING ran")
    info = w.cmd("INFO", "stats")
    if b"tracking_total_keys:2\r\n" not in info or b"tracking_total_items:2\r\n" not in info:
        fail(info)
    # idle: cron does it
    a.cmd("MGET", "t10:f", "t10:g")
    expect(a.push(2).startswith(b">2\r\n$10\r\ninvalidate\r\n*1\r\n"), True)
    expect(a.push(2).startswith(b">2\r\n$10\r\ninvalidate\r\n*1\r\n"), True)
finally:
    w.cmd("CONFIG", "SET", "tracking-table-max-keys", "1000000")
EOF_PY
}

@test "GETREDIR and TRACKINGINFO in RESP2 and RESP3" {
    trun <<'EOF_PY'
a = Raw(); r = Raw()
expect(a.cmd("CLIENT", "GETREDIR"), b":-1\r\n")
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n")
a.cmd("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "b", "PREFIX", "a", "REDIRECT", r.id,
      "NOLOOP")
expect(a.cmd("CLIENT", "GETREDIR"), b":%d\r\n" % r.id)
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"*6\r\n$5\r\nflags\r\n*3\r\n$2\r\non\r\n$5\r\nbcast\r\n$6\r\nnoloop\r\n"
       b"$8\r\nredirect\r\n:" + str(r.id).encode() + b"\r\n$8\r\nprefixes\r\n"
       b"*2\r\n$1\r\na\r\n$1\r\nb\r\n")
a.cmd("HELLO", "3")  # the protocol changes, tracking stays
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\nbcast\r\n$6\r\nnoloop\r\n"
       b"$8\r\nredirect\r\n:" + str(r.id).encode() + b"\r\n$8\r\nprefixes\r\n"
       b"*2\r\n$1\r\na\r\n$1\r\nb\r\n")
expect(a.cmd("RESET"), b"+RESET\r\n")
expect(a.cmd("CLIENT", "GETREDIR"), b":-1\r\n")
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n")
a.cmd("CLIENT", "TRACKING", "ON")
expect(a.cmd("CLIENT", "GETREDIR"), b":0\r\n")
expect(a.cmd("CLIENT", "GETREDIR", "x"),
       b"-ERR wrong number of arguments for 'client|getredir' command\r\n")
expect(a.cmd("CLIENT", "TRACKINGINFO", "x"),
       b"-ERR wrong number of arguments for 'client|trackinginfo' command\r\n")
EOF_PY
}

@test "CLIENT TRACKING errors, in Redis 7.0's order and words" {
    trun <<'EOF_PY'
a = Raw(); other = Raw()
E = lambda s: b"-ERR " + s + b"\r\n"
def overlap(p, q, kind):
    return E(b"Prefix '" + p + b"' overlaps with " + kind + b" '" + q +
             b"'. Prefixes for a single client must not overlap.")
expect(a.cmd("CLIENT", "TRACKING"),
       E(b"wrong number of arguments for 'client|tracking' command"))
expect(a.cmd("CLIENT", "TRACKING", "maybe"), E(b"syntax error"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "foo"), E(b"syntax error"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "PREFIX"), E(b"syntax error"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT"), E(b"syntax error"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT", "x"),
       E(b"value is not an integer or out of range"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT", "0"),
       E(b"The client ID you want redirect to does not exist"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "REDIRECT", other.id, "REDIRECT", other.id),
       E(b"A client can only redirect to a single other client"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "PREFIX", "a"),
       E(b"PREFIX option requires BCAST mode to be enabled"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"),
       E(b"OPTIN and OPTOUT are not compatible with BCAST"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"),
       E(b"You can't specify both OPTIN mode and OPTOUT mode"))
expect(a.cmd("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a", "PREFIX", "ab"),
       overlap(b"a", b"ab", b"another provided prefix"))
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n")
# Redis 7.0 quirk: an overlap between later prefixes replies the error AND
# enables tracking with +OK
a.send("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a", "PREFIX", "b", "PREFIX", "bc")
expect(a.push(), overlap(b"b", b"bc", b"another provided prefix"))
expect(a.push(), b"+OK\r\n")
expect(a.cmd("CLIENT", "TRACKINGINFO"),
       b"*6\r\n$5\r\nflags\r\n*2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n"
       b"$8\r\nprefixes\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbc\r\n")
expect(a.cmd("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ax"),
       overlap(b"ax", b"a", b"an existing prefix"))
expect(a.cmd("CLIENT", "TRACKING", "ON"),
       E(b"You can't switch BCAST mode on/off before disabling tracking for this client, and "
         b"then re-enabling it with a different mode."))
expect(a.cmd("CLIENT", "CACHING", "maybe"), E(b"syntax error"))
expect(a.cmd("CLIENT", "CACHING"), E(b"wrong number of arguments for 'client|caching' command"))
EOF_PY
}

@test "CLIENT LIST flags t and B, redir=, INFO tracking_clients and tracking_total_*" {
    trun <<'EOF_PY'
a = Raw(3); b = Raw(); w = Raw()
w.cmd("FLUSHALL")
a.cmd("CLIENT", "TRACKING", "ON")
b.cmd("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x", "PREFIX", "y")
lst = w.cmd("CLIENT", "LIST")
la = [l for l in lst.split(b"\n") if l.startswith(b"id=%d " % a.id)][0]
lb = [l for l in lst.split(b"\n") if l.startswith(b"id=%d " % b.id)][0]
lw = [l for l in lst.split(b"\n") if l.startswith(b"id=%d " % w.id)][0]
if b" flags=t " not in la or b" redir=0 " not in la: fail(la)
if b" flags=tB " not in lb: fail(lb)
if b" flags=N " not in lw or b" redir=-1 " not in lw: fail(lw)
a.cmd("MGET", "t12:a", "t12:b")
d = Raw(3); d.cmd("CLIENT", "TRACKING", "ON")
c = Raw(3); c.cmd("CLIENT", "TRACKING", "ON"); c.cmd("GET", "t12:a")
info = w.cmd("INFO")
for want in (b"tracking_clients:4\r\n", b"tracking_total_keys:2\r\n",
             b"tracking_total_items:3\r\n", b"tracking_total_prefixes:2\r\n"):
    if want not in info: fail("%r not in INFO" % want)
# the fields sit where Redis 7.0 puts them
if b"blocked_clients:0\r\ntracking_clients:4\r\nclients_in_timeout_table:" not in info: fail(info)
if b"current_active_defrag_time:0\r\ntracking_total_keys:2\r\n" not in info: fail(info)
c.conn.close()
b.cmd("CLIENT", "TRACKING", "OFF")
for i in range(50):
    info = w.cmd("INFO", "clients")
    if b"tracking_clients:2\r\n" in info: break
    time.sleep(0.05)
else:
    fail(info)
EOF_PY
}
