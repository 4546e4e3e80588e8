#!/usr/bin/python3
"""Writes RESP streams of collection data for `redis-cli --pipe` (the memory
and persistence rows of bench/run.sh). Deterministic: the same arguments
always give the same bytes, so kvd and redis-server load identical data.

    gen_collections.py big TYPE COUNT        one key `big` with COUNT elements
    gen_collections.py small TYPE KEYS PER   KEYS keys `c:NNNNNNNN` of PER elements
    gen_collections.py mixed COUNT           COUNT keys of mixed types

TYPE is one of
    list    RPUSH of 10-byte strings `v:NNNNNNNN`
    hash    HSET of fields `f:NNNNNNNN` -> values of 3-10 bytes
    set     SADD of non-integer members `m:NNNNNNNN`
    intset  SADD of integers (a set Redis keeps as an intset when small)
    zset    ZADD of members `m:NNNNNNNN` with scores like 12.5

Large collections are sent 100 elements per command. `mixed` writes, for
key i: i % 6 in {0, 1} a string of 3-20 bytes, 2 a list, 3 a hash, 4 a set,
5 a sorted set, each collection with 5 elements (all compact encodings).
"""
import random
import sys

ALPHABET = b"abcdefghijklmnopqrstuvwxyz0123456789"
BATCH = 100


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


_POOLS = {}


def word(rng, lo, hi):
    """A random value of lo..hi bytes, from a pool of 8192 (fast enough for
    millions of values; the values' distribution is what matters here)."""
    pool = _POOLS.get((lo, hi))
    if pool is None:
        prng = random.Random(lo * 1000 + hi)
        pool = [bytes(prng.choice(ALPHABET) for _ in range(prng.randint(lo, hi)))
                for _ in range(8192)]
        _POOLS[(lo, hi)] = pool
    return pool[rng.getrandbits(13)]


def elements(kind, start, count, rng):
    """The argument list adding elements start..start+count-1 of kind."""
    args = []
    for i in range(start, start + count):
        if kind == "list":
            args.append(b"v:%08d" % i)
        elif kind == "hash":
            args += [b"f:%08d" % i, word(rng, 3, 10)]
        elif kind == "set":
            args.append(b"m:%08d" % i)
        elif kind == "intset":
            args.append(b"%d" % (i * 7 + 3))
        elif kind == "zset":
            args += [b"%d.5" % (i % 100000), b"m:%08d" % i]
        else:
            raise SystemExit("gen_collections.py: unknown type %r" % kind)
    return args


COMMAND = {"list": b"RPUSH", "hash": b"HSET", "set": b"SADD", "intset": b"SADD", "zset": b"ZADD"}


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    mode = sys.argv[1]
    rng = random.Random(7)
    out = sys.stdout.buffer
    chunk = []

    def emit(cmd):
        chunk.append(cmd)
        if len(chunk) >= 10000:
            out.write(b"".join(chunk))
            chunk.clear()

    if mode == "big":
        kind, count = sys.argv[2], int(sys.argv[3])
        for start in range(0, count, BATCH):
            n = min(BATCH, count - start)
            emit(resp(COMMAND[kind], b"big", *elements(kind, start, n, rng)))
    elif mode == "small":
        kind, keys, per = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        for k in range(keys):
            emit(resp(COMMAND[kind], b"c:%08d" % k, *elements(kind, k * per, per, rng)))
    elif mode == "mixed":
        count = int(sys.argv[2])
        kinds = [None, None, "list", "hash", "set", "zset"]
        for k in range(count):
            key = b"key:%08d" % k
            kind = kinds[k % 6]
            if kind is None:
                emit(resp(b"SET", key, word(rng, 3, 20)))
            else:
                emit(resp(COMMAND[kind], key, *elements(kind, k * 5, 5, rng)))
    else:
        raise SystemExit(__doc__)
    out.write(b"".join(chunk))
    out.flush()


if __name__ == "__main__":
    main()
