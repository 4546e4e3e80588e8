#!/usr/bin/env bats
# Keyspace notifications: the notify-keyspace-events classes (parse and
# CONFIG GET form), __keyspace@<db>__ / __keyevent@<db>__ channels, events of
# writes, expiry (lazy and active), key misses and new keys, per db.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    kvcli FLUSHALL >/dev/null
    kvcli CONFIG SET notify-keyspace-events "" >/dev/null
}

@test "notify-keyspace-events: CONFIG GET prints Redis's canonical form; bad classes refused" {
    kvcli CONFIG SET notify-keyspace-events KEA >/dev/null
    run kvcli CONFIG GET notify-keyspace-events
    assert_line -n 1 AKE
    kvcli CONFIG SET notify-keyspace-events 'Ex$lg' >/dev/null
    run kvcli CONFIG GET notify-keyspace-events
    assert_line -n 1 'g$lxE'
    # Redis 7.0 quirk: with every type class, "n" is not printed
    kvcli CONFIG SET notify-keyspace-events KEAmn >/dev/null
    run kvcli CONFIG GET notify-keyspace-events
    assert_line -n 1 AKEm
    run kvcli CONFIG SET notify-keyspace-events KEX
    assert_output "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag\$lshzxeKEtmdn'."
    run kvcli CONFIG GET notify-keyspace-events
    assert_line -n 1 AKEm
}

@test "a write publishes on the key's keyspace channel and the event's keyevent channel" {
    pyrun <<'EOF_PY'
call("CONFIG", "SET", "notify-keyspace-events", "KEA")
s = connect()
s.call("PSUBSCRIBE", "__key*__:*")
call("SELECT", 5)
call("RPUSH", "mylist", "a")
got = [s.read(5)[2:] for _ in range(2)]
assert got == [[b"__keyspace@5__:mylist", b"rpush"], [b"__keyevent@5__:rpush", b"mylist"]], got
call("RENAME", "mylist", "other")
got = [s.read(5)[2:] for _ in range(4)]
assert got == [[b"__keyspace@5__:mylist", b"rename_from"], [b"__keyevent@5__:rename_from", b"mylist"],
               [b"__keyspace@5__:other", b"rename_to"], [b"__keyevent@5__:rename_to", b"other"]], got
call("LPOP", "other")
got = [s.read(5)[3] for _ in range(4)]
assert got == [b"lpop", b"other", b"del", b"other"], got
call("SELECT", 0)
EOF_PY
}

@test "classes filter: only the enabled types and channel kinds publish" {
    pyrun <<'EOF_PY'
call("CONFIG", "SET", "notify-keyspace-events", "Kh")
s = connect()
s.call("PSUBSCRIBE", "__key*__:*")
call("SET", "str", "v")          # string class off: nothing
call("HSET", "h", "f", "v")      # hash class on, keyspace only
m = s.read(5)
assert m[2:] == [b"__keyspace@0__:h", b"hset"], m
if s.pending(0.3): fail("unexpected %r" % s.read(1))
call("CONFIG", "SET", "notify-keyspace-events", "")
call("HSET", "h", "g", "v")
if s.pending(0.3): fail("events while disabled: %r" % s.read(1))
EOF_PY
}

@test "expired events from lazy and active expiry, keymiss and new events" {
    pyrun <<'EOF_PY'
call("CONFIG", "SET", "notify-keyspace-events", "Exmn")
s = connect()
s.call("PSUBSCRIBE", "__keyevent@0__:*")
call("DEBUG", "SET-ACTIVE-EXPIRE", 0)
call("SET", "lazy", "v", "PX", 20)
assert s.read(5)[2:] == [b"__keyevent@0__:new", b"lazy"]
time.sleep(0.1)
assert call("GET", "lazy") is None
assert s.read(5)[2:] == [b"__keyevent@0__:expired", b"lazy"]
assert s.read(5)[2:] == [b"__keyevent@0__:keymiss", b"lazy"]
call("DEBUG", "SET-ACTIVE-EXPIRE", 1)
call("SET", "active", "v", "PX", 20)
assert s.read(5)[2:] == [b"__keyevent@0__:new", b"active"]
# nobody touches the key: the active cycle expires it and publishes
assert s.read(5)[2:] == [b"__keyevent@0__:expired", b"active"]
EOF_PY
}

@test "events of a collection emptied by a command end with del" {
    pyrun <<'EOF_PY'
call("CONFIG", "SET", "notify-keyspace-events", "E$lshzg")
s = connect()
s.call("PSUBSCRIBE", "__keyevent@0__:*")
def events(n):
    return [s.read(5)[2].split(b":", 1)[1] for _ in range(n)]
call("SADD", "s", "a"); call("SREM", "s", "a")
assert events(3) == [b"sadd", b"srem", b"del"]
call("ZADD", "z", 1, "a"); call("ZPOPMIN", "z")
assert events(3) == [b"zadd", b"zpopmin", b"del"]
call("HSET", "h", "f", 1); call("HINCRBY", "h", "f", 2); call("HDEL", "h", "f")
assert events(4) == [b"hset", b"hincrby", b"hdel", b"del"]
call("SET", "n", 1); call("INCRBYFLOAT", "n", 1.5); call("EXPIRE", "n", 100); call("PERSIST", "n")
assert events(4) == [b"set", b"incrbyfloat", b"expire", b"persist"]
if s.pending(0.3): fail("extra %r" % s.read(1))
EOF_PY
}

@test "loading a dataset (DEBUG RELOAD) publishes no new events; a write after it does" {
    pyrun <<'EOF_PY'
call("SET", "a", "1")
call("RPUSH", "l", "x")
call("CONFIG", "SET", "notify-keyspace-events", "En")
s = connect()
s.call("PSUBSCRIBE", "__keyevent@0__:*")
assert call("DEBUG", "RELOAD") == b"OK"
assert call("DBSIZE") == 2
call("SET", "b", "2")
# the first event the subscriber sees is the one of the new key b
assert s.read(5)[2:] == [b"__keyevent@0__:new", b"b"]
EOF_PY
}
