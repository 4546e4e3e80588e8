#!/usr/bin/env bats
# Hash commands (kvd/t_hash.c): HSET HSETNX HMSET HGET HMGET HGETALL HDEL HLEN
# HEXISTS HKEYS HVALS HINCRBY HINCRBYFLOAT HSTRLEN HRANDFIELD HSCAN, the
# listpack -> hashtable conversion at hash-max-listpack-entries / -value,
# RESP3 reply shapes, and a random-operation run against a model.
#
# Exact replies are compared as RESP bytes; the expected values were taken
# from redis-server 7.0.15, and the suite passes against it:
#     KVD_SERVER=/usr/bin/redis-server bats tests/integration/hash.bats
#
# One server for the whole file; every test starts from FLUSHALL and the
# default encoding thresholds.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
setup() {
    kvcli FLUSHALL >/dev/null
    kvcli CONFIG SET hash-max-listpack-entries 128 hash-max-listpack-value 64 >/dev/null
}


encoding_is() { [ "$(kvcli OBJECT ENCODING "$1")" = "$2" ]; }

# ------------------------------------------------------------ HSET family

@test "HSET HMSET HSETNX: counts, updates, odd arguments, arity" {
    check <<'EOF'
HSET h f1 v1 => :1\r\n
HSET h f1 v2 f2 v2 => :1\r\n
HSET h f3 a f3 b => :1\r\n
HGET h f3 => $1\r\nb\r\n
HSET h f1 => -ERR wrong number of arguments for 'hset' command\r\n
HSET h f1 v1 f2 => -ERR wrong number of arguments for 'hset' command\r\n
HSET h => -ERR wrong number of arguments for 'hset' command\r\n
HMSET h f1 v1 f2 => -ERR wrong number of arguments for 'hmset' command\r\n
HMSET h f4 v4 f1 x => +OK\r\n
HSETNX h f4 other => :0\r\n
HSETNX h f5 v5 => :1\r\n
HSETNX h f5 => -ERR wrong number of arguments for 'hsetnx' command\r\n
HMGET h f1 f2 f3 f4 f5 nofield => *6\r\n$1\r\nx\r\n$2\r\nv2\r\n$1\r\nb\r\n$2\r\nv4\r\n$2\r\nv5\r\n$-1\r\n
HLEN h => :5\r\n
TYPE h => +hash\r\n
OBJECT ENCODING h => $8\r\nlistpack\r\n
HSETNX fresh a b => :1\r\n
HGETALL fresh => *2\r\n$1\r\na\r\n$1\r\nb\r\n
EOF
}

@test "HGET HMGET HLEN HEXISTS HSTRLEN, integers and binary-safe bytes" {
    check <<'EOF'
HSET n a 0 b -4097 c 9223372036854775807 d -9223372036854775808 e 01 f -0 g "" => :7\r\n
HGET n b => $5\r\n-4097\r\n
HGET n c => $19\r\n9223372036854775807\r\n
HGET n e => $2\r\n01\r\n
HGET n f => $2\r\n-0\r\n
HGET n g => $0\r\n\r\n
HGET n nofield => $-1\r\n
HGET nokey f => $-1\r\n
HMGET nokey a b => *2\r\n$-1\r\n$-1\r\n
HSTRLEN n d => :20\r\n
HSTRLEN n b => :5\r\n
HSTRLEN n g => :0\r\n
HSTRLEN n nofield => :0\r\n
HSTRLEN nokey f => :0\r\n
HEXISTS n a => :1\r\n
HEXISTS n nofield => :0\r\n
HEXISTS nokey a => :0\r\n
HLEN nokey => :0\r\n
HSET bin "\x00\xff" "a\r\nb" "" empty => :2\r\n
HGET bin "\x00\xff" => $4\r\na\r\nb\r\n
HGET bin "" => $5\r\nempty\r\n
HGET n => -ERR wrong number of arguments for 'hget' command\r\n
HMGET n => -ERR wrong number of arguments for 'hmget' command\r\n
HLEN => -ERR wrong number of arguments for 'hlen' command\r\n
EOF
}

@test "HGETALL HKEYS HVALS: listpack order, empty and missing keys, RESP3 map" {
    check <<'EOF'
HSET h z 1 a 2 m 3 => :3\r\n
HGETALL h => *6\r\n$1\r\nz\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nm\r\n$1\r\n3\r\n
HKEYS h => *3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nm\r\n
HVALS h => *3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n
HGETALL nokey => *0\r\n
HKEYS nokey => *0\r\n
HVALS nokey => *0\r\n
@hello3
HGETALL h => %3\r\n$1\r\nz\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nm\r\n$1\r\n3\r\n
HGETALL nokey => %0\r\n
HKEYS nokey => *0\r\n
HGET h nofield => _\r\n
HMGET h z nofield => *2\r\n$1\r\n1\r\n_\r\n
EOF
}

@test "HDEL deletes fields and the key with its last field" {
    check <<'EOF'
HSET d a 1 b 2 c 3 => :3\r\n
HDEL d nofield => :0\r\n
HDEL d a a => :1\r\n
HDEL d b c d => :2\r\n
EXISTS d => :0\r\n
HDEL d a => :0\r\n
HDEL nokey a => :0\r\n
HDEL d => -ERR wrong number of arguments for 'hdel' command\r\n
EOF
}

@test "every hash command on a string key is WRONGTYPE and changes nothing" {
    kvcli SET s v
    local cmd
    while IFS= read -r cmd; do
        # shellcheck disable=SC2086
        run kvcli $cmd
        assert_output "WRONGTYPE Operation against a key holding the wrong kind of value"
    done <<'EOF'
HSET s f v
HMSET s f v
HSETNX s f v
HGET s f
HMGET s f
HGETALL s
HKEYS s
HVALS s
HLEN s
HEXISTS s f
HSTRLEN s f
HDEL s f
HINCRBY s f 1
HINCRBYFLOAT s f 1
HRANDFIELD s
HRANDFIELD s 2
HRANDFIELD s -2 WITHVALUES
HSCAN s 0
EOF
    run kvcli GET s
    assert_output v
}

# ------------------------------------------------------------ HINCRBY family

@test "HINCRBY: creation, overflow, non-integer values and increments" {
    check <<'EOF'
HINCRBY i f 5 => :5\r\n
HINCRBY i f -7 => :-2\r\n
HINCRBY nokey f 3 => :3\r\n
HSET i big 9223372036854775806 small -9223372036854775807 s abc fl 1.5 z 05 => :5\r\n
HINCRBY i big 1 => :9223372036854775807\r\n
HINCRBY i big 1 => -ERR increment or decrement would overflow\r\n
HINCRBY i small -1 => :-9223372036854775808\r\n
HINCRBY i small -1 => -ERR increment or decrement would overflow\r\n
HINCRBY i s 1 => -ERR hash value is not an integer\r\n
HINCRBY i fl 1 => -ERR hash value is not an integer\r\n
HINCRBY i z 1 => -ERR hash value is not an integer\r\n
HINCRBY i f abc => -ERR value is not an integer or out of range\r\n
HINCRBY i f 1.0 => -ERR value is not an integer or out of range\r\n
HINCRBY i f 9223372036854775808 => -ERR value is not an integer or out of range\r\n
HINCRBY i f => -ERR wrong number of arguments for 'hincrby' command\r\n
HGET i big => $19\r\n9223372036854775807\r\n
HGET i f => $2\r\n-2\r\n
EOF
}

@test "HINCRBYFLOAT: formatting, errors, NaN and infinity" {
    check <<'EOF'
HINCRBYFLOAT f x 10.5 => $4\r\n10.5\r\n
HINCRBYFLOAT f x 0.1 => $4\r\n10.6\r\n
HINCRBYFLOAT f x -5.0e3 => $23\r\n-4989.39999999999999991\r\n
HINCRBYFLOAT f y 3 => $1\r\n3\r\n
HINCRBYFLOAT f y 1.0 => $1\r\n4\r\n
HINCRBYFLOAT f z -0 => $1\r\n0\r\n
HINCRBYFLOAT f x inf => -ERR value is NaN or Infinity\r\n
HINCRBYFLOAT f x nan => -ERR value is not a valid float\r\n
HINCRBYFLOAT f x abc => -ERR value is not a valid float\r\n
HINCRBYFLOAT f x "" => -ERR value is not a valid float\r\n
HINCRBYFLOAT f x " 1" => -ERR value is not a valid float\r\n
HSET f s hello i inf => :2\r\n
HINCRBYFLOAT f s 1 => -ERR hash value is not a float\r\n
HINCRBYFLOAT f i 1 => -ERR increment would produce NaN or Infinity\r\n
HSET f max 1e4932 => :1\r\n
HINCRBYFLOAT f max 1e4932 => -ERR increment would produce NaN or Infinity\r\n
HGET f max => $6\r\n1e4932\r\n
HINCRBYFLOAT f x => -ERR wrong number of arguments for 'hincrbyfloat' command\r\n
EOF
}

# ------------------------------------------------------------ encodings

@test "conversion at hash-max-listpack-entries: N fields stay listpack, N+1 convert" {
    kvcli CONFIG SET hash-max-listpack-entries 4 >/dev/null
    kvcli HSET h a 1 b 2 c 3 d 4 >/dev/null
    encoding_is h listpack
    kvcli HSET h d 5 >/dev/null # an update adds nothing
    encoding_is h listpack
    kvcli HSET h e 5 >/dev/null
    encoding_is h hashtable
    run kvcli HLEN h
    assert_output 5
    run kvcli HGET h d
    assert_output 5
    # never back, even when small again
    kvcli HDEL h a b c d >/dev/null
    encoding_is h hashtable
    # each write path converts: HSETNX, HINCRBY, HINCRBYFLOAT, HMSET
    kvcli HSET h2 a 1 b 2 c 3 d 4 >/dev/null
    kvcli HSETNX h2 e 1 >/dev/null
    encoding_is h2 hashtable
    kvcli HSET h3 a 1 b 2 c 3 d 4 >/dev/null
    kvcli HINCRBY h3 e 1 >/dev/null
    encoding_is h3 hashtable
    kvcli HSET h4 a 1 b 2 c 3 d 4 >/dev/null
    kvcli HINCRBYFLOAT h4 e 1 >/dev/null
    encoding_is h4 hashtable
    kvcli HMSET h5 a 1 b 2 c 3 d 4 e 5 >/dev/null
    encoding_is h5 hashtable
    # 0 entries allowed: every hash is a table
    kvcli CONFIG SET hash-max-listpack-entries 0 >/dev/null
    kvcli HSET h6 a 1 >/dev/null
    encoding_is h6 hashtable
    # the old name is an alias
    kvcli CONFIG SET hash-max-ziplist-entries 2 >/dev/null
    run kvcli CONFIG GET hash-max-listpack-entries
    assert_line -n 1 2
}

@test "conversion at hash-max-listpack-value: any argument longer than the limit" {
    kvcli CONFIG SET hash-max-listpack-value 8 >/dev/null
    kvcli HSET a f 12345678 >/dev/null
    encoding_is a listpack
    kvcli HSET a f 123456789 >/dev/null
    encoding_is a hashtable
    kvcli HSET b 123456789 v >/dev/null
    encoding_is b hashtable
    # HSETNX of an existing field sets nothing and converts nothing
    kvcli HSET c f v >/dev/null
    kvcli HSETNX c f 123456789012 >/dev/null
    encoding_is c listpack
    kvcli HSETNX c g 123456789012 >/dev/null
    encoding_is c hashtable
    # a long field through HINCRBY / HINCRBYFLOAT converts too
    kvcli HSET d f 1 >/dev/null
    kvcli HINCRBY d abcdefghij 1 >/dev/null
    encoding_is d hashtable
    kvcli HSET e f 1 >/dev/null
    kvcli HINCRBYFLOAT e f 0.123456789 >/dev/null
    encoding_is e hashtable
    run kvcli HGET e f
    assert_output 1.123456789
    kvcli CONFIG SET hash-max-ziplist-value 100 >/dev/null
    run kvcli CONFIG GET hash-max-listpack-value
    assert_line -n 1 100
}

@test "a big hashtable-encoded hash: contents survive the conversion and HDEL empties it" {
    pyrun <<'EOF'
n = 1500
fields = [("field:%d" % i).encode() for i in range(n)]
for i in range(0, n, 100):
    args = []
    for j in range(i, i + 100):
        args += [fields[j], str(j * 7 - 3000).encode() if j % 2 else b"v" * (j % 80)]
    call("HSET", "big", *args)
if call("OBJECT", "ENCODING", "big") != b"hashtable": fail("not converted")
if call("HLEN", "big") != n: fail("HLEN")
got = call("HGETALL", "big")
pairs = dict(zip(got[0::2], got[1::2]))
if len(pairs) != n: fail("HGETALL has %d fields" % len(pairs))
for j in range(n):
    want = str(j * 7 - 3000).encode() if j % 2 else b"v" * (j % 80)
    if pairs[fields[j]] != want: fail("field %d: %r" % (j, pairs[fields[j]]))
if sorted(call("HKEYS", "big")) != sorted(fields): fail("HKEYS")
if len(call("HVALS", "big")) != n: fail("HVALS")
if call("HINCRBY", "big", "field:1", 10) != 7 - 3000 + 10: fail("HINCRBY")
if call("HSTRLEN", "big", "field:78") != 78: fail("HSTRLEN")
for i in range(0, n, 100):
    if call("HDEL", "big", *fields[i:i + 100]) != 100: fail("HDEL")
if call("EXISTS", "big") != 0: fail("key left after the last HDEL")
EOF
}

@test "values are replaced in place and reallocated in a hashtable without corruption" {
    pyrun <<'EOF'
call("CONFIG", "SET", "hash-max-listpack-entries", "0")
model = {}
rng = random.Random(7)
for step in range(3000):
    f = b"f%d" % rng.randrange(40)
    v = b"x" * rng.choice([0, 1, 5, 20, 100, 300, 2000])
    call("HSET", "t", f, v)
    model[f] = v
    if step % 10 == 0:
        got = call("HGETALL", "t")
        if dict(zip(got[0::2], got[1::2])) != model: fail("mismatch at step %d" % step)
if call("OBJECT", "ENCODING", "t") != b"hashtable": fail("encoding")
EOF
}

# ------------------------------------------------------------ HRANDFIELD

@test "HRANDFIELD without count, count 0, missing key, errors" {
    check <<'EOF'
HRANDFIELD nokey => $-1\r\n
HRANDFIELD nokey 3 => *0\r\n
HRANDFIELD nokey -3 WITHVALUES => *0\r\n
HSET one only 1 => :1\r\n
HRANDFIELD one => $4\r\nonly\r\n
HRANDFIELD one 0 => *0\r\n
HRANDFIELD one -3 => *3\r\n$4\r\nonly\r\n$4\r\nonly\r\n$4\r\nonly\r\n
HRANDFIELD one -2 WITHVALUES => *4\r\n$4\r\nonly\r\n$1\r\n1\r\n$4\r\nonly\r\n$1\r\n1\r\n
HRANDFIELD one 5 WITHVALUES => *2\r\n$4\r\nonly\r\n$1\r\n1\r\n
HRANDFIELD one abc => -ERR value is not an integer or out of range\r\n
HRANDFIELD one 1 WITHVALUE => -ERR syntax error\r\n
HRANDFIELD one 1 WITHVALUES x => -ERR syntax error\r\n
HRANDFIELD one -9223372036854775808 => -ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n
HRANDFIELD one 4611686018427387904 WITHVALUES => -ERR value is out of range\r\n
HRANDFIELD nokey 4611686018427387904 WITHVALUES => -ERR value is out of range\r\n
@hello3
HRANDFIELD nokey => _\r\n
HRANDFIELD nokey 2 => *0\r\n
HRANDFIELD one -2 WITHVALUES => *2\r\n*2\r\n$4\r\nonly\r\n$1\r\n1\r\n*2\r\n$4\r\nonly\r\n$1\r\n1\r\n
HRANDFIELD one 1 => *1\r\n$4\r\nonly\r\n
EOF
}

@test "HRANDFIELD counts: distinct for positive, repeated for negative, every strategy and encoding" {
    pyrun <<'EOF'
def fill(key, n, table):
    call("DEL", key)
    if table:
        call("CONFIG", "SET", "hash-max-listpack-entries", "0")
    args = []
    for i in range(n):
        args += [b"f%d" % i, str(i * 10).encode()]
    call("HSET", key, *args)
    call("CONFIG", "SET", "hash-max-listpack-entries", "128")
    want = "hashtable" if table else "listpack"
    if call("OBJECT", "ENCODING", key) != want.encode(): fail("encoding of " + key)
    return {b"f%d" % i: str(i * 10).encode() for i in range(n)}

for table in (False, True):
    n = 100
    model = fill("h", n, table)
    # positive counts: CASE 2 (>= size), CASE 3 (> size/3), CASE 4 (small)
    for count in (1, 2, 10, 33, 34, 60, 99, 100, 101, 500):
        got = call("HRANDFIELD", "h", count)
        if len(got) != min(count, n): fail("count %d: %d replies" % (count, len(got)))
        if len(set(got)) != len(got): fail("count %d: repeats" % count)
        if not set(got) <= set(model): fail("count %d: unknown field" % count)
        wv = call("HRANDFIELD", "h", count, "WITHVALUES")
        if len(wv) != 2 * min(count, n): fail("WITHVALUES count %d" % count)
        for f, v in zip(wv[0::2], wv[1::2]):
            if model.get(f) != v: fail("WITHVALUES pair %r %r" % (f, v))
        r3 = call3("HRANDFIELD", "h", count, "WITHVALUES")
        if len(r3) != min(count, n) or any(len(p) != 2 or model[p[0]] != p[1] for p in r3):
            fail("RESP3 WITHVALUES count %d" % count)
    # negative counts: exactly |count|, repeats allowed (and certain here)
    for count in (1, 5, 300, 2500):
        got = call("HRANDFIELD", "h", -count)
        if len(got) != count or not set(got) <= set(model): fail("-%d" % count)
        if count == 2500 and len(set(got)) == len(got): fail("no repeats in 2500 of 100")
        if count == 2500 and len(set(got)) < 90: fail("-2500 covers only %d fields" % len(set(got)))
        wv = call("HRANDFIELD", "h", -count, "WITHVALUES")
        if len(wv) != 2 * count: fail("-%d WITHVALUES" % count)
        for f, v in zip(wv[0::2], wv[1::2]):
            if model.get(f) != v: fail("-%d WITHVALUES pair" % count)
    # no count: every field turns up eventually
    seen = set(call("HRANDFIELD", "h") for _ in range(2000))
    if seen != set(model): fail("single picks saw %d of %d fields" % (len(seen), n))
    # count >= size on a listpack: the whole hash in order
    if not table and call("HRANDFIELD", "h", 100) != [b"f%d" % i for i in range(n)]:
        fail("whole listpack not in order")
EOF
}

# ------------------------------------------------------------ HSCAN

@test "HSCAN on a listpack: everything in one call, cursor 0, MATCH, errors" {
    check <<'EOF'
HSET sc f1 v1 f2 v2 g1 12 => :3\r\n
HSCAN sc 0 => *2\r\n$1\r\n0\r\n*6\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n$2\r\ng1\r\n$2\r\n12\r\n
HSCAN sc 0 COUNT 1 => *2\r\n$1\r\n0\r\n*6\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n$2\r\ng1\r\n$2\r\n12\r\n
HSCAN sc 0 MATCH f* => *2\r\n$1\r\n0\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n
HSCAN sc 0 MATCH *1 COUNT 5 => *2\r\n$1\r\n0\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\ng1\r\n$2\r\n12\r\n
HSCAN sc 0 MATCH v* => *2\r\n$1\r\n0\r\n*0\r\n
HSCAN sc 12345 => *2\r\n$1\r\n0\r\n*6\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n$2\r\ng1\r\n$2\r\n12\r\n
HSCAN nokey 0 => *2\r\n$1\r\n0\r\n*0\r\n
HSCAN sc abc => -ERR invalid cursor\r\n
HSCAN sc " 0" => -ERR invalid cursor\r\n
HSCAN sc 0 COUNT 0 => -ERR syntax error\r\n
HSCAN sc 0 COUNT x => -ERR value is not an integer or out of range\r\n
HSCAN sc 0 MATCH => -ERR syntax error\r\n
HSCAN sc 0 TYPE hash => -ERR syntax error\r\n
HSCAN nokey 0 COUNT 0 => *2\r\n$1\r\n0\r\n*0\r\n
HSCAN sc => -ERR wrong number of arguments for 'hscan' command\r\n
EOF
}

@test "HSCAN on a hashtable: a full cursor walk returns every field, MATCH filters" {
    pyrun <<'EOF'
n = 1000
args = []
for i in range(n):
    args += [b"k%d" % i, b"v%d" % i]
call("HSET", "t", *args)
if call("OBJECT", "ENCODING", "t") != b"hashtable": fail("encoding")
for count in (1, 7, 100):
    seen, cursor, calls = {}, b"0", 0
    while True:
        cursor, items = call("HSCAN", "t", cursor, "COUNT", count)
        calls += 1
        for f, v in zip(items[0::2], items[1::2]):
            seen[f] = v
        if cursor == b"0" or calls > 5000:
            break
    if calls > 5000: fail("cursor never came back to 0")
    if len(seen) != n or any(seen[b"k%d" % i] != b"v%d" % i for i in range(n)):
        fail("COUNT %d: %d fields seen" % (count, len(seen)))
    if count == 1 and calls < 10: fail("COUNT 1 finished in %d calls" % calls)
seen, cursor = set(), b"0"
for _ in range(5000):
    cursor, items = call("HSCAN", "t", cursor, "MATCH", "k1*")
    seen.update(items[0::2])
    if cursor == b"0":
        break
want = {b"k%d" % i for i in range(n) if str(i).startswith("1")}
if seen != want: fail("MATCH k1*: %d of %d" % (len(seen), len(want)))
EOF
}

# ------------------------------------------------------------ other keyspace uses

@test "COPY duplicates a hash of either encoding; the copy is independent" {
    kvcli HSET small a 1 b 2 >/dev/null
    kvcli CONFIG SET hash-max-listpack-entries 1 >/dev/null
    kvcli HSET big a 1 b 2 c 3 >/dev/null
    run kvcli COPY small small2
    assert_output 1
    run kvcli COPY big big2
    assert_output 1
    kvcli HSET small2 c 3 >/dev/null
    kvcli HDEL big2 a >/dev/null
    run kvcli HLEN small
    assert_output 2
    run kvcli HLEN big
    assert_output 3
    run kvcli HLEN big2
    assert_output 2
    encoding_is small2 hashtable # two fields + one, past the limit of 1
    encoding_is big2 hashtable
    run kvcli TYPE big2
    assert_output hash
}

@test "MEMORY USAGE grows with the hash for both encodings" {
    kvcli HSET lp f v >/dev/null
    local small big
    small=$(kvcli MEMORY USAGE lp)
    for i in $(seq 1 50); do kvcli HSET lp "field$i" "value$i" >/dev/null; done
    big=$(kvcli MEMORY USAGE lp)
    [ "$small" -gt 0 ] && [ "$big" -gt $((small + 500)) ]
    kvcli CONFIG SET hash-max-listpack-entries 10 >/dev/null
    kvcli HSET ht a b >/dev/null
    for i in $(seq 1 50); do kvcli HSET ht "field$i" "value$i" >/dev/null; done
    encoding_is ht hashtable
    big=$(kvcli MEMORY USAGE ht)
    [ "$big" -gt 1000 ] && [ "$big" -lt 20000 ]
}

# ------------------------------------------------------------ model

@test "random operations against a model, crossing both thresholds" {
    pyrun <<'EOF'
rng = random.Random(2024)
call("CONFIG", "SET", "hash-max-listpack-entries", "12")
call("CONFIG", "SET", "hash-max-listpack-value", "10")
keys = [b"m%d" % i for i in range(4)]
model = {k: {} for k in keys}
def rfield():
    return rng.choice([b"f%d" % rng.randrange(20), b"%d" % rng.randrange(-5, 300), b"",
                       b"long-field-name-%d" % rng.randrange(3)])
def rvalue():
    return rng.choice([b"%d" % rng.randrange(-70000, 70000), b"v" * rng.randrange(0, 16),
                       b"9223372036854775807", b"-0", b"01", b"\x00\r\n"])
for step in range(4000):
    k = rng.choice(keys)
    m = model[k]
    op = rng.randrange(8)
    if op < 3:
        pairs = [(rfield(), rvalue()) for _ in range(rng.randrange(1, 4))]
        args = [x for p in pairs for x in p]
        added = len({f for f, _ in pairs} - set(m))
        if call("HSET", k, *args) != added: fail("HSET count at %d" % step)
        m.update(pairs)
    elif op == 3:
        fs = [rfield() for _ in range(rng.randrange(1, 4))]
        gone = len(set(fs) & set(m))
        if call("HDEL", k, *fs) != gone: fail("HDEL count at %d" % step)
        for f in fs:
            m.pop(f, None)
    elif op == 4:
        f = rfield()
        r = call("HINCRBY", k, f, rng.randrange(-100, 100))
        if isinstance(r, int):
            m[f] = b"%d" % r
    elif op == 5:
        f = rfield()
        if call("HGET", k, f) != m.get(f): fail("HGET at %d" % step)
    elif op == 6:
        if call("HLEN", k) != len(m): fail("HLEN at %d" % step)
        if call("EXISTS", k) != (1 if m else 0): fail("EXISTS at %d" % step)
    else:
        got = call("HGETALL", k)
        if dict(zip(got[0::2], got[1::2])) != m: fail("HGETALL at %d" % step)
        if m:
            enc = call("OBJECT", "ENCODING", k)
            if enc not in (b"listpack", b"hashtable"): fail("encoding %r" % enc)
            if len(m) > 12 and enc != b"hashtable": fail("big listpack at %d" % step)
EOF
}

@test "huge counts: HRANDFIELD range errors, positive huge counts answer at once" {
    kvcli HSET h a 1 b 2 >/dev/null
    run resp_cmd HRANDFIELD h -9223372036854775808
    assert_output "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
    run resp_cmd HRANDFIELD h -4611686018427387904 WITHVALUES
    assert_output "-ERR value is out of range\r\n"
    run resp_cmd HRANDFIELD h 9223372036854775807 WITHVALUES
    assert_output "-ERR value is out of range\r\n"
    run kvcli HRANDFIELD h 4611686018427387903 WITHVALUES
    [ "${#lines[@]}" = 4 ]
    run kvcli HRANDFIELD h 9223372036854775807
    [ "${#lines[@]}" = 2 ]
}
