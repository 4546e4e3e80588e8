#!/usr/bin/python3
"""Seeded random sorted-set command streams for the differential runner
(compat.py).

    gen_zset.py --seed S --count N [--keys 6]

prints a compat script (redis-cli syntax plus @ directives) of N random
sorted set commands over a small key space (z0 .. z<keys-1>, a plain set
"set" usable as an input of ZUNION/ZINTER/ZDIFF, and a string key "str" for
WRONGTYPE), plus l0 .. l2 whose members all score 0 for the lexicographical
commands (see lexkey()). Members come from a pool that mixes short strings, strings that
read as integers (stored as integers in listpacks), strings that merely look
like integers ("01", "-0"), binary bytes and members longer than a small
zset-max-listpack-value; scores from a pool with ties, decimals, infinities,
-0, integral values past 2^52, exclusive "(" bounds and invalid numbers.
CONFIG SET zset-max-listpack-entries / -value move the encoding limits
around (0, 1, 2, 5 … 128 entries; 3 … 64 bytes), so both encodings and every
conversion — ZADD, ZINCRBY, the store commands' result encodings — happen,
and OBJECT ENCODING and DEBUG DIGEST-VALUE are compared directly.

Every sorted set reply is ordered, so nothing needs a model to be compared;
what could differ for reasons other than a bug is avoided: ZRANDMEMBER only
with a count of 0 or one far above any size (the whole set, highest score
first); ZSCAN only with COUNT large enough to finish in one call, compared
with @sort (a skiplist is walked in dict order); blocking pops only with a
timeout of 10 ms (they answer at once or time out).

The same seed always gives the same script.
"""

import argparse
import random
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
from resp import quote  # noqa: E402  (redis-cli quoting, shared)


MEMBERS = ["a", "b", "c", "d", "e", "f", "aa", "ab", "ba", "", "x y", "A", "Z",
           "0", "1", "-1", "2", "10", "9", "100", "-100", "42", "9223372036854775807",
           "-9223372036854775808", "01", "-0", "+1", "1.5", "1e3",
           "\x00", "a\x00b", "\xff\xfe", "longmember-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
           "medium12"]
SCORES = ["0", "1", "2", "3", "-1", "-2", "0.5", "1.5", "2.25", "-0.75", "0.1", "0.2", "0.3",
          "10", "100", "-0", "inf", "-inf", "+inf", "1e17", "4503599627370496",
          "123456789012345678", "1e300", "-1e300", "2.5e-5", "0x10", "1e-310"]
BAD_SCORES = ["nan", "abc", "", " 1", "1 ", "1e400", "--1", "inf1"]
RANGE_EXTRA = ["(1", "(0", "(-inf", "(+inf", "(2.5", "(10", "-inf", "+inf", "(", "", "x", "nan",
               "(nan", " 2"]
LEX_BOUNDS = ["-", "+", "[a", "(a", "[b", "(b", "[c", "[aa", "(ab", "[", "(", "[1", "(10",
              "[z", "a", "+x", "-a", ""]
ENTRY_LIMITS = ["128", "128", "128", "0", "1", "2", "3", "5", "8", "16"]
VALUE_LIMITS = ["64", "64", "64", "3", "5", "8", "0"]
INTS = ["0", "1", "2", "-1", "-2", "3", "5", "-5", "10", "100", "-100",
        "9223372036854775807", "-9223372036854775808"]
BAD_INTS = ["x", "1.5", "", "9223372036854775808"]


class Gen:
    def __init__(self, rng, nkeys):
        self.rng = rng
        self.keys = ["z%d" % i for i in range(nkeys)]
        self.lexkeys = ["l%d" % i for i in range(3)]

    def special(self, r):
        if r < 0.04:
            return "str"
        if r < 0.07:
            return "set"
        return "nokey"

    def key(self):
        """Any key: mixed-score sets, equal-score sets, or a special one."""
        r = self.rng.random()
        if r < 0.11:
            return self.special(r)
        if r < 0.3:
            return self.rng.choice(self.lexkeys)
        return self.rng.choice(self.keys)

    def lexkey(self):
        """A key for lexicographical commands: only sets whose members all
        score 0 (with mixed scores, Redis's lex range walk depends on the
        skiplist's random levels, so two servers may answer differently),
        the string, the plain set, or a key nothing writes."""
        r = self.rng.random()
        if r < 0.11:
            return "nolex" if r >= 0.07 else self.special(r)
        return self.rng.choice(self.lexkeys)

    def member(self):
        return self.rng.choice(MEMBERS)

    def score(self, bad=0.02):
        if self.rng.random() < bad:
            return self.rng.choice(BAD_SCORES)
        return self.rng.choice(SCORES)

    def bound(self):
        if self.rng.random() < 0.3:
            return self.rng.choice(RANGE_EXTRA)
        s = self.rng.choice(SCORES)
        return ("(" + s) if self.rng.random() < 0.3 else s

    def integer(self):
        if self.rng.random() < 0.03:
            return self.rng.choice(BAD_INTS)
        if self.rng.random() < 0.8:
            return str(self.rng.randint(-8, 8))
        return self.rng.choice(INTS)

    def keys_list(self, lo=1, hi=4):
        return [self.key() for _ in range(self.rng.randint(lo, hi))]

    # -- commands -------------------------------------------------------

    def zadd(self):
        k = self.key()
        lex = k in self.lexkeys
        args = ["ZADD", k]
        if self.rng.random() < 0.35:
            opts = ["NX", "XX", "GT", "LT", "CH"] + ([] if lex else ["INCR"])
            args += self.rng.sample(opts, self.rng.randint(1, 2))
        n = 1 if "INCR" in args and self.rng.random() < 0.9 else self.rng.randint(1, 5)
        for _ in range(n):
            args += [self.rng.choice(["0", "-0"]) if lex else self.score(), self.member()]
        if self.rng.random() < 0.02:
            args.append(self.member())
        return [args]

    def zincrby(self):
        k = self.key()
        if k in self.lexkeys:
            k = self.rng.choice(self.keys)
        return [["ZINCRBY", k, self.score(0.03), self.member()]]

    def zrem(self):
        return [["ZREM", self.key()] + [self.member() for _ in range(self.rng.randint(1, 4))]]

    def query(self):
        k = self.key()
        r = self.rng.random()
        if r < 0.15:
            return [["ZSCORE", k, self.member()]]
        if r < 0.25:
            return [["ZMSCORE", k] + [self.member() for _ in range(self.rng.randint(1, 4))]]
        if r < 0.35:
            return [[self.rng.choice(["ZRANK", "ZREVRANK"]), k, self.member()]]
        if r < 0.45:
            return [["ZCARD", k]]
        if r < 0.6:
            return [["ZCOUNT", k, self.bound(), self.bound()]]
        if r < 0.7:
            return [["ZLEXCOUNT", self.lexkey(), self.rng.choice(LEX_BOUNDS),
                     self.rng.choice(LEX_BOUNDS)]]
        if r < 0.85:
            return [["OBJECT", "ENCODING", k]]
        return [["DEBUG", "DIGEST-VALUE", k]]

    def limit(self):
        if self.rng.random() < 0.4:
            return ["LIMIT", self.integer(), self.integer()]
        return []

    def zrange(self):
        k = self.key()
        r = self.rng.random()
        if r < 0.25:
            args = ["ZRANGE", k, self.integer(), self.integer()]
            if self.rng.random() < 0.3:
                args.append("REV")
            if self.rng.random() < 0.5:
                args.append("WITHSCORES")
            if self.rng.random() < 0.05:
                args += ["LIMIT", "0", "1"]
            return [args]
        if r < 0.45:
            rev = self.rng.random() < 0.3
            args = ["ZRANGE", k, self.bound(), self.bound(), "BYSCORE"]
            if rev:
                args.append("REV")
            if self.rng.random() < 0.5:
                args.append("WITHSCORES")
            return [args + self.limit()]
        if r < 0.6:
            args = ["ZRANGE", self.lexkey(), self.rng.choice(LEX_BOUNDS),
                    self.rng.choice(LEX_BOUNDS), "BYLEX"]
            if self.rng.random() < 0.3:
                args.append("REV")
            if self.rng.random() < 0.05:
                args.append("WITHSCORES")
            return [args + self.limit()]
        if r < 0.7:
            name = self.rng.choice(["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"])
            args = [name, k, self.bound(), self.bound()]
            if self.rng.random() < 0.5:
                args.append("WITHSCORES")
            return [args + self.limit()]
        if r < 0.8:
            name = self.rng.choice(["ZRANGEBYLEX", "ZREVRANGEBYLEX"])
            return [[name, self.lexkey(), self.rng.choice(LEX_BOUNDS),
                     self.rng.choice(LEX_BOUNDS)] + self.limit()]
        if r < 0.88:
            args = ["ZREVRANGE", k, self.integer(), self.integer()]
            if self.rng.random() < 0.5:
                args.append("WITHSCORES")
            return [args]
        # ZRANGESTORE, then what it stored
        dst = self.rng.choice(self.keys)
        kind = self.rng.random()
        rev = ["REV"] if self.rng.random() < 0.2 else []
        if kind < 0.4:
            args = ["ZRANGESTORE", dst, k, self.integer(), self.integer()] + rev
        elif kind < 0.8:
            args = ["ZRANGESTORE", dst, k, self.bound(), self.bound(), "BYSCORE"] + rev + \
                self.limit()
        else:
            dst = self.rng.choice(self.lexkeys)
            args = ["ZRANGESTORE", dst, self.lexkey(), self.rng.choice(LEX_BOUNDS),
                    self.rng.choice(LEX_BOUNDS), "BYLEX"] + rev
        return [args, ["OBJECT", "ENCODING", dst], ["ZRANGE", dst, "0", "-1", "WITHSCORES"]]

    def zremrange(self):
        k = self.key()
        r = self.rng.random()
        if r < 0.35:
            return [["ZREMRANGEBYRANK", k, self.integer(), self.integer()]]
        if r < 0.7:
            return [["ZREMRANGEBYSCORE", k, self.bound(), self.bound()]]
        return [["ZREMRANGEBYLEX", self.lexkey(), self.rng.choice(LEX_BOUNDS),
                 self.rng.choice(LEX_BOUNDS)]]

    def pop(self):
        r = self.rng.random()
        if r < 0.4:
            args = [self.rng.choice(["ZPOPMIN", "ZPOPMAX"]), self.key()]
            if self.rng.random() < 0.6:
                args.append(self.rng.choice(["1", "2", "3", "0", "100", "-1", "x"]))
            return [args]
        if r < 0.6:
            keys = self.keys_list(1, 3)
            args = ["ZMPOP", str(len(keys))] + keys + [self.rng.choice(["MIN", "MAX", "min"])]
            if self.rng.random() < 0.5:
                args += ["COUNT", self.rng.choice(["1", "2", "5", "0", "x"])]
            if self.rng.random() < 0.03:
                args[1] = self.rng.choice(["0", "-1", "x", str(len(keys) + 1)])
            return [args]
        if r < 0.8:
            keys = self.keys_list(1, 3)
            return [[self.rng.choice(["BZPOPMIN", "BZPOPMAX"])] + keys + ["0.01"]]
        keys = self.keys_list(1, 3)
        args = ["BZMPOP", "0.01", str(len(keys))] + keys + [self.rng.choice(["MIN", "MAX"])]
        if self.rng.random() < 0.5:
            args += ["COUNT", self.rng.choice(["1", "3", "10"])]
        return [args]

    def algebra(self):
        op = self.rng.choice(["UNION", "INTER", "DIFF"])
        keys = self.keys_list(1, 4)
        store = self.rng.random() < 0.4
        dst = self.rng.choice(self.keys)
        args = (["Z%sSTORE" % op, dst] if store else ["Z%s" % op]) + [str(len(keys))] + keys
        if op != "DIFF":
            if self.rng.random() < 0.4:
                args += ["WEIGHTS"] + [self.rng.choice(["1", "2", "0.5", "-1", "0", "inf", "x"])
                                       if self.rng.random() < 0.97 else "x" for _ in keys]
            if self.rng.random() < 0.4:
                args += ["AGGREGATE", self.rng.choice(["SUM", "MIN", "MAX", "sum", "avg"])]
        if not store and self.rng.random() < 0.6:
            args.append("WITHSCORES")
        if self.rng.random() < 0.03:
            args[2 if store else 1] = self.rng.choice(["0", "-1", "x", str(len(keys) + 1)])
        out = [args]
        if store:
            out += [["OBJECT", "ENCODING", dst], ["ZRANGE", dst, "0", "-1", "WITHSCORES"]]
        return out

    def zintercard(self):
        keys = self.keys_list(1, 4)
        args = ["ZINTERCARD", str(len(keys))] + keys
        if self.rng.random() < 0.4:
            args += ["LIMIT", self.rng.choice(["0", "1", "2", "-1", "x"])]
        return [args]

    def zrandmember(self):
        k = self.key()
        r = self.rng.random()
        if r < 0.4:
            return [["ZRANDMEMBER", k, "1000000"]]
        if r < 0.7:
            return [["ZRANDMEMBER", k, "1000000", "WITHSCORES"]]
        if r < 0.85:
            return [["ZRANDMEMBER", k, "0"]]
        return [self.rng.choice([["ZRANDMEMBER", k, "x"], ["ZRANDMEMBER", k, "1000000", "foo"],
                                 ["ZRANDMEMBER", k, "-9223372036854775808"]])]

    def zscan(self):
        args = ["ZSCAN", self.key(), "0"]
        if self.rng.random() < 0.4:
            args += ["MATCH", self.rng.choice(["*", "a*", "?", "[a-c]", "*0*", "1*"])]
        args += ["COUNT", "1000"]
        return ["@sort", args]

    def misc(self):
        r = self.rng.random()
        if r < 0.35:
            return [["CONFIG", "SET", "zset-max-listpack-entries", self.rng.choice(ENTRY_LIMITS)]]
        if r < 0.5:
            return [["CONFIG", "SET", "zset-max-listpack-value", self.rng.choice(VALUE_LIMITS)]]
        if r < 0.6:
            return [["SET", "str", "v"]]
        if r < 0.7:
            return [["SADD", "set"] + [self.member() for _ in range(3)]]
        if r < 0.85:
            return [["DEL", self.rng.choice(self.keys + self.lexkeys)]]
        return [["EXISTS"] + self.keys_list()]

    def command(self):
        r = self.rng.random()
        if r < 0.26:
            return self.zadd()
        if r < 0.31:
            return self.zincrby()
        if r < 0.37:
            return self.zrem()
        if r < 0.52:
            return self.query()
        if r < 0.67:
            return self.zrange()
        if r < 0.72:
            return self.zremrange()
        if r < 0.79:
            return self.pop()
        if r < 0.87:
            return self.algebra()
        if r < 0.89:
            return self.zintercard()
        if r < 0.91:
            return self.zrandmember()
        if r < 0.93:
            return self.zscan()
        return self.misc()


def main(argv):
    parser = argparse.ArgumentParser(description="random sorted-set compat script generator")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--keys", type=int, default=6)
    opts = parser.parse_args(argv)
    rng = random.Random(opts.seed)
    gen = Gen(rng, opts.keys)
    out = sys.stdout
    out.write("# generated by gen_zset.py --seed %d --count %d --keys %d\n"
              % (opts.seed, opts.count, opts.keys))
    # "str" and "set" keep their types throughout (nothing deletes them), so
    # sorted set commands on them are always WRONGTYPE (or read a plain set).
    out.write("SET str v\nSADD set a 1 x\n")
    for _ in range(opts.count):
        for item in gen.command():
            if isinstance(item, str):
                out.write(item + "\n")
            else:
                out.write(" ".join(quote(arg) for arg in item) + "\n")
    out.write("CONFIG SET zset-max-listpack-entries 128\n")
    out.write("CONFIG SET zset-max-listpack-value 64\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
