#!/usr/bin/python3
"""Seeded random list-command streams for the differential runner (compat.py).

    gen_list.py --seed S --count N [--keys 4]

prints a compat script (redis-cli syntax plus @ directives) of N random list
commands over a few keys (l0 .. l<keys-1>, plus a string key for WRONGTYPE
and a missing key), with valid and invalid arguments: LPUSH RPUSH LPUSHX
RPUSHX LINSERT LSET LINDEX LLEN LRANGE LTRIM LREM LPOS LPOP RPOP LMOVE
RPOPLPUSH LMPOP, and BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP on their
non-blocking paths (a key with data, an argument error, or a 0.001 s
timeout on empty keys, which both servers answer with a nil array).

The stream first sets list-max-listpack-size to 4 entries per node, and
changes it (to small entry counts and byte limits) and list-compress-depth
now and then, so that lists span many nodes that split, merge and get
compressed; elements range from small integers to strings of a few hundred
bytes. A periodic LRANGE 0 -1 of every key compares whole contents. It
restores the defaults at the end (CONFIG persists across scripts in one
compat run).

The same seed always gives the same script. Every list reply is
deterministic, so nothing needs @sort or @approx.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
from resp import quote  # noqa: E402  (redis-cli quoting, shared)

INT_VALUES = ["0", "1", "-1", "127", "128", "4095", "4096", "-4096", "-4097", "32767",
              "32768", "8388607", "8388608", "2147483647", "2147483648",
              "9223372036854775807", "-9223372036854775808", "9223372036854775808",
              "01", "-0", "+1", " 1", "1.5"]
INDEXES = ["0", "1", "2", "-1", "-2", "3", "5", "-5", "10", "-10", "100", "-100",
           "9223372036854775807", "-9223372036854775808"]
BAD_INTS = ["", "abc", "1.5", " 1", "1 ", "0x10", "1e3", "+", "-", "99999999999999999999"]
TIMEOUTS_BAD = ["-1", "abc", "inf", "nan", "-0.5", "1e300", " 1", ""]
FILLS = ["4", "4", "2", "1", "8", "-1", "-2"]


class ListGen:
    def __init__(self, rng, nkeys):
        self.rng = rng
        self.keys = ["l%d" % i for i in range(nkeys)]

    # -- building blocks -------------------------------------------------

    def key(self):
        r = self.rng.random()
        if r < 0.04:
            return "nokey"
        if r < 0.07:
            return "str"
        return self.rng.choice(self.keys)

    def value(self):
        r = self.rng.random()
        if r < 0.25:
            return str(self.rng.randint(0, 20))  # repeats, so LREM/LPOS/LINSERT match
        if r < 0.4:
            return self.rng.choice(INT_VALUES)
        if r < 0.5:
            return self.rng.choice("abcde") * self.rng.randint(1, 3)
        if r < 0.6:
            # Long and compressible: fills byte-limited nodes, pays to compress.
            return self.rng.choice("xyz") * self.rng.randint(40, 400)
        if r < 0.65:
            return self.rng.choice(["", " ", "\x00", "a\r\nb", "hello world", "\xff\xfe"])
        n = self.rng.randint(0, 8)
        return "".join(self.rng.choice("abcdefgh") for _ in range(n))

    def index(self):
        r = self.rng.random()
        if r < 0.05:
            return self.rng.choice(BAD_INTS)
        if r < 0.3:
            return self.rng.choice(INDEXES)
        return str(self.rng.randint(-30, 30))

    def where(self):
        return self.rng.choice(["LEFT", "RIGHT", "left", "right", "LEFT", "RIGHT", "MIDDLE"]
                               if self.rng.random() < 0.05 else ["LEFT", "RIGHT"])

    def count(self):
        r = self.rng.random()
        if r < 0.05:
            return self.rng.choice(BAD_INTS + ["0", "-1"])
        return str(self.rng.randint(1, 6))

    def mangle_arity(self, args):
        r = self.rng.random()
        if r < 0.02 and len(args) > 1:
            return args[: self.rng.randint(1, len(args) - 1)]
        if r < 0.03:
            return args + [self.value()]
        return args

    # -- commands ----------------------------------------------------------

    def push(self):
        name = self.rng.choice(["LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"])
        args = [name, self.key()] + [self.value() for _ in range(self.rng.choice([1, 1, 2, 3, 8, 20]))]
        return [self.mangle_arity(args)]

    def linsert(self):
        pos = self.rng.choice(["BEFORE", "AFTER", "before", "after"] +
                              (["MIDDLE"] if self.rng.random() < 0.05 else []))
        return [self.mangle_arity(["LINSERT", self.key(), pos, self.value(), self.value()])]

    def lset(self):
        return [self.mangle_arity(["LSET", self.key(), self.index(), self.value()])]

    def lindex(self):
        return [self.mangle_arity(["LINDEX", self.key(), self.index()])]

    def simple(self):
        name = self.rng.choice(["LLEN", "LLEN", "OBJECT ENCODING", "TYPE", "EXISTS"])
        return [name.split() + [self.key()]]

    def lrange(self):
        return [self.mangle_arity(["LRANGE", self.key(), self.index(), self.index()])]

    def ltrim(self):
        # Mostly gentle trims, so lists keep growing.
        if self.rng.random() < 0.7:
            start, end = str(self.rng.randint(0, 2)), str(-self.rng.randint(1, 3))
        else:
            start, end = self.index(), self.index()
        return [self.mangle_arity(["LTRIM", self.key(), start, end])]

    def lrem(self):
        count = self.rng.choice(["0", "1", "2", "-1", "-2", "5"]) if self.rng.random() < 0.95 \
            else self.rng.choice(BAD_INTS + ["9223372036854775807", "-9223372036854775808"])
        return [self.mangle_arity(["LREM", self.key(), count, self.value()])]

    def lpos(self):
        args = ["LPOS", self.key(), self.value()]
        opts = ["RANK", "COUNT", "MAXLEN"]
        self.rng.shuffle(opts)
        for opt in opts[: self.rng.randint(0, 3)]:
            if opt == "RANK":
                val = self.rng.choice(["1", "2", "-1", "-2", "3", "0", "x",
                                       "-9223372036854775808", "9223372036854775807"])
            elif opt == "COUNT":
                val = self.rng.choice(["0", "1", "2", "5", "-1", "x"])
            else:
                val = self.rng.choice(["0", "1", "3", "10", "-1", "x"])
            args += [opt, val]
        if self.rng.random() < 0.03:
            args.append("RANK")
        return [args]

    def pop(self):
        name = self.rng.choice(["LPOP", "RPOP"])
        r = self.rng.random()
        if r < 0.5:
            return [self.mangle_arity([name, self.key()])]
        return [self.mangle_arity([name, self.key(), self.rng.choice(["0", "1", "2", "3", "10"])
                                   if r < 0.95 else self.rng.choice(BAD_INTS + ["-1"])])]

    def lmove(self):
        if self.rng.random() < 0.3:
            return [self.mangle_arity(["RPOPLPUSH", self.key(), self.key()])]
        return [self.mangle_arity(["LMOVE", self.key(), self.key(), self.where(), self.where()])]

    def lmpop(self):
        keys = [self.key() for _ in range(self.rng.randint(1, 3))]
        numkeys = str(len(keys))
        if self.rng.random() < 0.05:
            numkeys = self.rng.choice(["0", "-1", "x", "5"])
        args = ["LMPOP", numkeys] + keys + [self.where()]
        if self.rng.random() < 0.5:
            args += ["COUNT", self.count()]
        return [self.mangle_arity(args)]

    def blocking(self):
        """The blocking commands, never waiting long: a 0.001 s timeout on
        empty keys replies nil on both servers."""
        timeout = "0.001" if self.rng.random() < 0.95 else self.rng.choice(TIMEOUTS_BAD)
        r = self.rng.random()
        if r < 0.4:
            name = self.rng.choice(["BLPOP", "BRPOP"])
            return [[name] + [self.key() for _ in range(self.rng.randint(1, 3))] + [timeout]]
        if r < 0.6:
            return [["BRPOPLPUSH", self.key(), self.key(), timeout]]
        if r < 0.8:
            return [["BLMOVE", self.key(), self.key(), self.where(), self.where(), timeout]]
        keys = [self.key() for _ in range(self.rng.randint(1, 3))]
        args = ["BLMPOP", timeout, str(len(keys))] + keys + [self.where()]
        if self.rng.random() < 0.5:
            args += ["COUNT", self.count()]
        return [args]

    def config(self):
        if self.rng.random() < 0.7:
            return [["CONFIG", "SET", "list-max-listpack-size", self.rng.choice(FILLS)]]
        return [["CONFIG", "SET", "list-compress-depth", self.rng.choice(["0", "1", "2"])]]

    def dump_all(self):
        return [["LRANGE", k, "0", "-1"] for k in self.keys]

    def command(self):
        table = [
            (self.push, 22), (self.linsert, 6), (self.lset, 5), (self.lindex, 5),
            (self.simple, 4), (self.lrange, 7), (self.ltrim, 1), (self.lrem, 5),
            (self.lpos, 6), (self.pop, 8), (self.lmove, 5), (self.lmpop, 4),
            (self.blocking, 4), (self.config, 1), (self.dump_all, 2),
        ]
        total = sum(w for _, w in table)
        r = self.rng.uniform(0, total)
        for fn, w in table:
            if r < w:
                return fn()
            r -= w
        return self.push()


def main(argv):
    parser = argparse.ArgumentParser(description="random list compat script generator")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--keys", type=int, default=4)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    gen = ListGen(rng, max(1, args.keys))
    out = sys.stdout
    out.write("# gen_list.py --seed %d --count %d --keys %d\n" % (args.seed, args.count, args.keys))
    out.write("SET str v\n")
    out.write("CONFIG SET list-max-listpack-size 4\n")
    out.write("CONFIG SET list-compress-depth 0\n")
    for _ in range(args.count):
        for cmd in gen.command():
            if cmd and cmd[0].startswith("@"):
                out.write(" ".join(cmd) + "\n")
            else:
                out.write(" ".join(quote(a) for a in cmd) + "\n")
    for cmd in gen.dump_all():
        out.write(" ".join(quote(a) for a in cmd) + "\n")
    out.write("CONFIG SET list-max-listpack-size -2\n")
    out.write("CONFIG SET list-compress-depth 0\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
