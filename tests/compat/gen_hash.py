#!/usr/bin/python3
"""Seeded random hash-command streams for the differential runner (compat.py).

    gen_hash.py --seed S --count N [--keys 5]

prints a compat script (redis-cli syntax plus @ directives) of N random hash
commands over a few keys (h0 .. h<keys-1>, plus a string key for WRONGTYPE
and a missing key), with valid and invalid arguments.  The stream first
lowers hash-max-listpack-entries / hash-max-listpack-value, and changes them
again now and then, so that hashes cross the listpack -> hashtable
conversion both by count and by length, and OBJECT ENCODING is checked
along the way; it restores the defaults at the end (CONFIG persists across
scripts in one compat run).

The same seed always gives the same script.  What would make the two
servers' replies differ for reasons other than a bug is avoided:
  * HGETALL / HKEYS / HVALS and whole-hash HRANDFIELD / HSCAN are prefixed
    with @sort (a hashtable's order is its own);
  * HRANDFIELD only in deterministic forms: count 0, a count at least the
    hash's size (the whole hash), a missing key, or argument errors;
  * HSCAN only from cursor 0 with a COUNT large enough to finish in one call
    (or on a listpack, which always does), or with a bad cursor/option.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
from resp import quote  # noqa: E402  (redis-cli quoting, shared)

INT_VALUES = ["0", "1", "-1", "127", "128", "4095", "4096", "-4096", "-4097", "32767",
              "32768", "8388607", "8388608", "2147483647", "2147483648",
              "9223372036854775807", "-9223372036854775808", "9223372036854775806",
              "-9223372036854775807", "9223372036854775808", "01", "-0", "+1", " 1"]
FLOAT_INCRS = ["0", "1.5", "-0.25", "0.1", "1e3", "3.0e-5", "-1e10", "5.0e3", "10.50",
               "-0", "1e308", "1.7976931348623157e308", "-1e308",
               "inf", "-inf", "nan", "+inf", "1e400", "abc", "", " 1.5", "1.5 ", "0x1p3"]
BAD_INTS = ["", "abc", "1.5", " 1", "1 ", "0x10", "1e3", "+", "-", "99999999999999999999"]


class HashGen:
    def __init__(self, rng, nkeys):
        self.rng = rng
        self.keys = ["h%d" % i for i in range(nkeys)]
        self.fields = ["f%d" % i for i in range(16)] + ["1", "-5", "01", "", "x y", "\x00\xff"]
        self.entries_limit = 128
        self.value_limit = 64

    # -- building blocks -------------------------------------------------

    def key(self):
        r = self.rng.random()
        if r < 0.04:
            return "nokey"
        if r < 0.07:
            return "str"
        return self.rng.choice(self.keys)

    def field(self):
        r = self.rng.random()
        if r < 0.05:
            # Longer than the (lowered) value limit: converts a listpack.
            return "long-field-" + "z" * self.rng.randint(0, 20)
        return self.rng.choice(self.fields)

    def value(self):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(INT_VALUES)
        if r < 0.4:
            return str(self.rng.randint(-1000, 1000))
        if r < 0.5:
            return "v" * self.rng.randint(5, 20)  # around the value limit
        if r < 0.55:
            return self.rng.choice(["", " ", "\x00", "a\r\nb", "1.5", "hello world"])
        n = self.rng.randint(0, 6)
        return "".join(self.rng.choice("abcdefgh") for _ in range(n))

    def int_arg(self):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice(BAD_INTS)
        if r < 0.25:
            return self.rng.choice(INT_VALUES[:20])
        return str(self.rng.randint(-100, 100))

    def mangle_arity(self, args):
        r = self.rng.random()
        if r < 0.02 and len(args) > 1:
            return args[: self.rng.randint(1, len(args) - 1)]
        if r < 0.03:
            return args + [self.value()]
        return args

    # -- commands ----------------------------------------------------------

    def hset(self):
        name = self.rng.choice(["HSET", "HSET", "HSET", "HMSET"])
        args = [name, self.key()]
        for _ in range(self.rng.choice([1, 1, 1, 2, 3, 5])):
            args += [self.field(), self.value()]
        return [self.mangle_arity(args)]

    def hsetnx(self):
        return [self.mangle_arity(["HSETNX", self.key(), self.field(), self.value()])]

    def hget(self):
        return [self.mangle_arity(["HGET", self.key(), self.field()])]

    def hmget(self):
        return [["HMGET", self.key()] + [self.field() for _ in range(self.rng.randint(0, 4))]]

    def hdel(self):
        return [["HDEL", self.key()] + [self.field() for _ in range(self.rng.randint(0, 4))]]

    def simple(self):
        name = self.rng.choice(["HLEN", "HEXISTS", "HSTRLEN", "OBJECT ENCODING", "TYPE", "EXISTS"])
        if name in ("HEXISTS", "HSTRLEN"):
            return [self.mangle_arity([name, self.key(), self.field()])]
        return [name.split() + [self.key()]]

    def whole(self):
        name = self.rng.choice(["HGETALL", "HKEYS", "HVALS"])
        return [["@sort"], self.mangle_arity([name, self.key()])]

    def hincrby(self):
        return [self.mangle_arity(["HINCRBY", self.key(), self.field(), self.int_arg()])]

    def hincrbyfloat(self):
        if self.rng.random() < 0.5:
            inc = self.rng.choice(FLOAT_INCRS)
        else:
            inc = "%.*f" % (self.rng.randint(0, 4), self.rng.uniform(-100, 100))
        return [self.mangle_arity(["HINCRBYFLOAT", self.key(), self.field(), inc])]

    def hrandfield(self):
        r = self.rng.random()
        key = self.key()
        if r < 0.3:
            return [["HRANDFIELD", key, "0"] + (["WITHVALUES"] if self.rng.random() < 0.5 else [])]
        if r < 0.7:
            # At least the size of any hash here: the whole hash.
            args = ["HRANDFIELD", key, str(self.rng.choice([1000, 5000, 100000]))]
            if self.rng.random() < 0.5:
                args.append(self.rng.choice(["WITHVALUES", "withvalues"]))
            return [["@sort"], args]
        if r < 0.8:
            return [["HRANDFIELD", "never-written"] + self.rng.choice([[], ["3"], ["-3", "WITHVALUES"]])]
        return [["HRANDFIELD", key] + self.rng.choice([
            ["abc"], ["1.5"], ["1", "WITHVALUE"], ["1", "WITHVALUES", "x"],
            ["-9223372036854775808"], ["9223372036854775807", "WITHVALUES"]])]

    def hscan(self):
        r = self.rng.random()
        key = self.key()
        if r < 0.75:
            args = ["HSCAN", key, "0", "COUNT", "10000"]
            if self.rng.random() < 0.5:
                args += ["MATCH", self.rng.choice(["f*", "*1*", "f?", "[a-f]*", "*", "nomatch"])]
                if self.rng.random() < 0.5:
                    args[3:7] = args[5:7] + args[3:5]  # MATCH before COUNT
            return [["@sort"], args]
        return [["HSCAN", key] + self.rng.choice([
            ["abc"], ["0", "COUNT", "0"], ["0", "COUNT", "x"], ["0", "MATCH"],
            ["0", "TYPE", "hash"], [" 1"], ["0", "COUNT"]])]

    def admin(self):
        r = self.rng.random()
        if r < 0.4:
            self.entries_limit = self.rng.choice([0, 1, 2, 4, 8, 16, 128])
            return [["CONFIG", "SET", "hash-max-listpack-entries", str(self.entries_limit)]]
        if r < 0.8:
            self.value_limit = self.rng.choice([0, 1, 4, 8, 12, 64])
            return [["CONFIG", "SET", "hash-max-listpack-value", str(self.value_limit)]]
        return [["DEL", self.key()]]

    def copy(self):
        return [["COPY", self.key(), self.key(), "REPLACE"]]

    # -- stream ------------------------------------------------------------

    def command(self):
        r = self.rng.random()
        table = [
            (0.22, self.hset), (0.27, self.hsetnx), (0.37, self.hget), (0.42, self.hmget),
            (0.52, self.hdel), (0.62, self.simple), (0.70, self.whole), (0.78, self.hincrby),
            (0.84, self.hincrbyfloat), (0.89, self.hrandfield), (0.94, self.hscan),
            (0.98, self.admin), (1.01, self.copy)]
        for limit, fn in table:
            if r < limit:
                return fn()
        return self.hget()


def main(argv):
    parser = argparse.ArgumentParser(description="random hash compat script generator")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--keys", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    gen = HashGen(rng, max(1, args.keys))
    out = sys.stdout
    out.write("# gen_hash.py --seed %d --count %d --keys %d\n" % (args.seed, args.count, args.keys))
    out.write("SET str v\n")
    out.write("CONFIG SET hash-max-listpack-entries 8\n")
    out.write("CONFIG SET hash-max-listpack-value 12\n")
    for _ in range(args.count):
        for cmd in gen.command():
            if cmd and cmd[0].startswith("@"):
                out.write(" ".join(cmd) + "\n")
            else:
                out.write(" ".join(quote(a) for a in cmd) + "\n")
    out.write("CONFIG SET hash-max-listpack-entries 128\n")
    out.write("CONFIG SET hash-max-listpack-value 64\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
