#!/usr/bin/python3
"""Seeded random command streams for the differential runner (compat.py).

    gen_random.py --seed S --count N [--types string,keyspace] [--keys 20]

prints a compat script (redis-cli syntax plus @ directives) of N random
commands over a small key space (k0 .. k<keys-1>, so collisions happen), with
valid and invalid arguments: wrong arity, WRONGTYPE (type "wrongtype" adds
a few hash/set keys), non-integers, overflow, NX/XX/GET combinations, bad
EX/PX values, negative and huge offsets, float edge values ...

The same seed always gives the same script.  What would make the two
servers' replies differ for reasons other than a bug is avoided:
  * no RANDOMKEY, TIME, OBJECT IDLETIME, no SCAN with a non-zero cursor;
  * no expiry short enough to fire during the run (relative expiries are
    at least 100 s; zero, negative and past ones given to EXPIRE*, GETEX
    delete at once, which is deterministic; SET gets no past EXAT/PXAT, as
    it leaves such a key for the active expire cycle, so DBSIZE would vary);
  * GT/LT only with absolute times (EXPIREAT/PEXPIREAT), because two relative
    expiries of equal value compare by the milliseconds between them;
  * TTL/EXPIRETIME are compared with @approx 1, PTTL/PEXPIRETIME with
    @approx 1000; KEYS and SCAN with @sort;
  * no SETRANGE that would allocate more than a few KB, values kept short so
    that LCS stays cheap.
"""

import argparse
import random
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
from resp import quote  # noqa: E402  (redis-cli quoting, shared)


INT_EDGES = ["0", "1", "-1", "2", "42", "-42", "100", "9999", "10000", "123456789",
             "9223372036854775807", "-9223372036854775808", "9223372036854775806",
             "-9223372036854775807", "9223372036854775808", "-9223372036854775809",
             "4611686018427387904", "-4611686018427387904"]
BAD_INTS = ["", "abc", "1.5", " 1", "1 ", "0x10", "1e3", "+", "-", "--1", "99999999999999999999",
            "1a"]
FLOAT_EDGES = ["0", "1.5", "-0.25", "0.1", "1e3", "3.0e-5", "-1e10", "5.0e3", "1.7976931348623157e308",
               "1e308", "-1e308", "1e-320", "123456789.123456789", "0.000001", "10.50",
               "-0", "inf", "-inf", "nan", "+inf", "1e400", "abc", "", " 1.5", "1.5 ", "0x1p3"]
ABS_SECONDS = ["4102444800", "4102444900", "4200000000", "1000000000", "1", "0"]
ABS_MILLIS = ["4102444800000", "4102444800500", "4200000000000", "1000000000000", "1"]
REL_SECONDS = ["100", "1000", "5000", "86400", "100000"]
REL_MILLIS = ["100000", "1000000", "5000000", "86400000"]
BAD_EXPIRES = ["0", "-1", "-100", "abc", "1.5", "", "9223372036854775807",
               "-9223372036854775808", "9223372036854775", "9223372036854775806"]


class Gen:
    def __init__(self, rng, nkeys, types):
        self.rng = rng
        self.keys = ["k%d" % i for i in range(nkeys)]
        self.types = types

    # -- building blocks -------------------------------------------------

    def key(self):
        r = self.rng.random()
        if r < 0.03:
            return "nokey"
        return self.rng.choice(self.keys)

    def text(self, maxlen=12):
        n = self.rng.randint(0, maxlen)
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))

    def value(self):
        r = self.rng.random()
        if r < 0.25:
            return self.rng.choice(INT_EDGES)
        if r < 0.35:
            return self.rng.choice(FLOAT_EDGES)
        if r < 0.45:
            return self.rng.choice(["", " ", "a", "hello", "with space", "x" * 44, "y" * 45,
                                    "\x00\xff\r\n", "quote\"d", "back\\slash", "12 ", " 12",
                                    "007", "-0", "1e5"])
        if r < 0.55:
            return str(self.rng.randint(-1000, 100000))
        return self.text()

    def int_arg(self, good):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice(BAD_INTS)
        if r < 0.3:
            return self.rng.choice(INT_EDGES)
        return self.rng.choice(good) if isinstance(good, list) else str(good())

    def rel_expire(self, millis):
        if self.rng.random() < 0.15:
            return self.rng.choice(BAD_EXPIRES)
        return self.rng.choice(REL_MILLIS if millis else REL_SECONDS)

    def abs_expire(self, millis, past_ok=True):
        """An absolute expiry.  SET keeps a key whose EXAT/PXAT is already
        past until it is accessed or the active expire cycle finds it, so
        DBSIZE would depend on timing: SET gets future times only (GETEX
        and EXPIREAT delete at once, so they may have past ones)."""
        if self.rng.random() < 0.1:
            return self.rng.choice(BAD_EXPIRES)
        choices = ABS_MILLIS if millis else ABS_SECONDS
        if not past_ok:
            choices = [c for c in choices if int(c) >= (4102444800000 if millis else 4102444800)]
        return self.rng.choice(choices)

    def db(self):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice(["16", "-1", "abc", "100000000000000000000", ""])
        return str(self.rng.randint(0, 2))

    def mangle_arity(self, args):
        """Occasionally drops or adds trailing arguments."""
        r = self.rng.random()
        if r < 0.02 and len(args) > 1:
            return args[: self.rng.randint(1, len(args) - 1)]
        if r < 0.04:
            return args + [self.value() for _ in range(self.rng.randint(1, 3))]
        return args

    # -- string commands ---------------------------------------------------

    def set_cmd(self):
        args = ["SET", self.key(), self.value()]
        opts = []
        r = self.rng.random()
        if r < 0.15:
            opts += ["EX", self.rel_expire(False)]
        elif r < 0.25:
            opts += ["PX", self.rel_expire(True)]
        elif r < 0.3:
            opts += ["EXAT", self.abs_expire(False, past_ok=False)]
        elif r < 0.35:
            opts += ["PXAT", self.abs_expire(True, past_ok=False)]
        elif r < 0.42:
            opts += ["KEEPTTL"]
        r = self.rng.random()
        if r < 0.15:
            opts.append("NX")
        elif r < 0.3:
            opts.append("XX")
        if self.rng.random() < 0.2:
            opts.append("GET")
        if self.rng.random() < 0.03:
            opts.append(self.rng.choice(["BADOPT", "EX", "PX", "NX", "KEEPTTL", "GET", "XX"]))
        if self.rng.random() < 0.05:
            self.rng.shuffle(opts)
        return [args + opts]

    def getex_cmd(self):
        args = ["GETEX", self.key()]
        r = self.rng.random()
        if r < 0.2:
            args += ["EX", self.rel_expire(False)]
        elif r < 0.35:
            args += ["PX", self.rel_expire(True)]
        elif r < 0.45:
            args += ["EXAT", self.abs_expire(False)]
        elif r < 0.55:
            args += ["PXAT", self.abs_expire(True)]
        elif r < 0.7:
            args += ["PERSIST"]
        elif r < 0.75:
            args += self.rng.choice([["BADOPT"], ["EX"], ["PERSIST", "EX", "10"]])
        return [args]

    def setrange_cmd(self):
        r = self.rng.random()
        if r < 0.8:
            offset = str(self.rng.randint(0, 300))
            value = self.value()
        elif r < 0.9:
            offset = self.rng.choice(["-1", "abc", "536870912", "9223372036854775807", "1.5"])
            value = self.value()
        else:
            # Huge offsets only with an empty value: no allocation happens.
            offset = self.rng.choice(["536870911", "100000", "0"])
            value = ""
        return [["SETRANGE", self.key(), offset, value]]

    def getrange_cmd(self):
        def off():
            return self.int_arg(lambda: self.rng.randint(-60, 60))
        name = "SUBSTR" if self.rng.random() < 0.1 else "GETRANGE"
        return [[name, self.key(), off(), off()]]

    def incr_cmd(self):
        name = self.rng.choice(["INCR", "DECR", "INCRBY", "DECRBY"])
        args = [name, self.key()]
        if name.endswith("BY"):
            args.append(self.int_arg(lambda: self.rng.randint(-1000, 1000)))
        return [args]

    def incrbyfloat_cmd(self):
        r = self.rng.random()
        inc = self.rng.choice(FLOAT_EDGES) if r < 0.4 else "%.*f" % (
            self.rng.randint(0, 4), self.rng.uniform(-100, 100))
        return [["INCRBYFLOAT", self.key(), inc]]

    def mset_cmd(self):
        name = self.rng.choice(["MSET", "MSET", "MSETNX"])
        args = [name]
        for _ in range(self.rng.randint(1, 4)):
            args += [self.key(), self.value()]
        return [args]

    def lcs_cmd(self):
        args = ["LCS", self.key(), self.key()]
        r = self.rng.random()
        if r < 0.2:
            args.append("LEN")
        elif r < 0.6:
            args.append("IDX")
            if self.rng.random() < 0.5:
                args += ["MINMATCHLEN", self.int_arg(lambda: self.rng.randint(0, 5))]
            if self.rng.random() < 0.5:
                args.append("WITHMATCHLEN")
        elif r < 0.65:
            args += self.rng.choice([["LEN", "IDX"], ["BADOPT"], ["MINMATCHLEN"]])
        return [args]

    def string_cmd(self):
        r = self.rng.random()
        table = [
            (0.14, self.set_cmd),
            (0.26, lambda: [["GET", self.key()]]),
            (0.29, lambda: [["SETNX", self.key(), self.value()]]),
            (0.32, lambda: [["SETEX", self.key(), self.rel_expire(False), self.value()]]),
            (0.34, lambda: [["PSETEX", self.key(), self.rel_expire(True), self.value()]]),
            (0.37, lambda: [["GETSET", self.key(), self.value()]]),
            (0.39, lambda: [["GETDEL", self.key()]]),
            (0.43, self.getex_cmd),
            (0.47, lambda: [["MGET"] + [self.key() for _ in range(self.rng.randint(1, 5))]]),
            (0.52, self.mset_cmd),
            (0.56, lambda: [["APPEND", self.key(), self.text(8)]]),
            (0.60, lambda: [["STRLEN", self.key()]]),
            (0.66, self.getrange_cmd),
            (0.70, self.setrange_cmd),
            (0.82, self.incr_cmd),
            (0.88, self.incrbyfloat_cmd),
            (0.91, self.lcs_cmd),
            (0.95, lambda: [["OBJECT", "ENCODING", self.key()]]),
            (0.97, lambda: [["OBJECT", "REFCOUNT", self.key()]]),
            (1.01, lambda: [["STRLEN", self.key()]]),
        ]
        for limit, fn in table:
            if r < limit:
                return fn()
        return [["GET", self.key()]]

    # -- keyspace commands -------------------------------------------------

    def expire_cmd(self):
        r = self.rng.random()
        if r < 0.35:
            args = ["EXPIRE", self.key(), self.rel_expire(False)]
            if self.rng.random() < 0.3:
                args.append(self.rng.choice(["NX", "XX"]))
        elif r < 0.55:
            args = ["PEXPIRE", self.key(), self.rel_expire(True)]
            if self.rng.random() < 0.3:
                args.append(self.rng.choice(["NX", "XX"]))
        elif r < 0.8:
            args = ["EXPIREAT", self.key(), self.abs_expire(False)]
            if self.rng.random() < 0.5:
                args.append(self.rng.choice(["NX", "XX", "GT", "LT"]))
        else:
            args = ["PEXPIREAT", self.key(), self.abs_expire(True)]
            if self.rng.random() < 0.5:
                args.append(self.rng.choice(["NX", "XX", "GT", "LT"]))
        if self.rng.random() < 0.04:
            args.append(self.rng.choice(["NX", "XX", "GT", "LT", "BADOPT"]))
        return [args]

    def ttl_cmd(self):
        name = self.rng.choice(["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"])
        tolerance = "1000" if name.startswith("P") else "1"
        return ["@approx " + tolerance, [name, self.key()]]

    def keyspace_cmd(self):
        r = self.rng.random()
        table = [
            (0.07, lambda: [[self.rng.choice(["DEL", "UNLINK"])]
                            + [self.key() for _ in range(self.rng.randint(1, 3))]]),
            (0.14, lambda: [["EXISTS"] + [self.key() for _ in range(self.rng.randint(1, 3))]]),
            (0.18, lambda: [["TOUCH"] + [self.key() for _ in range(self.rng.randint(1, 3))]]),
            (0.25, lambda: [["TYPE", self.key()]]),
            (0.30, lambda: [[self.rng.choice(["RENAME", "RENAMENX"]), self.key(), self.key()]]),
            (0.44, self.expire_cmd),
            (0.60, self.ttl_cmd),
            (0.64, lambda: [["PERSIST", self.key()]]),
            (0.69, self.copy_cmd),
            (0.73, lambda: [["MOVE", self.key(), self.db()]]),
            (0.77, lambda: [["SELECT", self.db()]]),
            (0.79, lambda: [["SWAPDB", self.db(), self.db()]]),
            (0.84, lambda: [["DBSIZE"]]),
            (0.89, lambda: ["@sort", ["KEYS", self.rng.choice(["*", "k1*", "k?", "k[1-3]",
                                                               "*0", "nomatch", "k\\*"])]]),
            (0.94, self.scan_cmd),
            (0.945, lambda: [self.rng.choice([["FLUSHDB"], ["FLUSHDB", "ASYNC"],
                                              ["FLUSHDB", "SYNC"]])]),
            (0.97, lambda: [["OBJECT", "ENCODING", self.key()]]),
            (0.99, lambda: [["OBJECT", self.rng.choice(["FREQ", "NOSUCH", "REFCOUNT"]), self.key()]]),
            (1.01, lambda: [["EXISTS", self.key()]]),
        ]
        for limit, fn in table:
            if r < limit:
                return fn()
        return [["DBSIZE"]]

    def copy_cmd(self):
        args = ["COPY", self.key(), self.key()]
        if self.rng.random() < 0.4:
            args += ["DB", self.db()]
        if self.rng.random() < 0.4:
            args.append("REPLACE")
        return [args]

    def scan_cmd(self):
        args = ["SCAN", "0"]
        if self.rng.random() < 0.5:
            args += ["MATCH", self.rng.choice(["*", "k1*", "k?", "*5", "nomatch"])]
        if self.rng.random() < 0.3:
            args += ["TYPE", self.rng.choice(["string", "list", "set", "none", "nosuch"])]
        args += ["COUNT", "1000"]
        return ["@sort", args]

    # -- other types (WRONGTYPE) ---------------------------------------------

    def wrongtype_cmd(self):
        key = self.key()
        if self.rng.random() < 0.5:
            return [["HSET", key, "field", self.value()]]
        return [["SADD", key, self.value()]]

    # -- the stream ----------------------------------------------------------

    def command(self):
        choices = []
        if "string" in self.types:
            choices += [self.string_cmd] * 6
        if "keyspace" in self.types:
            choices += [self.keyspace_cmd] * 3
        if "wrongtype" in self.types and self.rng.random() < 0.03:
            return self.wrongtype_cmd()
        items = self.rng.choice(choices)()
        # Not SCAN: without its COUNT the reply depends on the hash seed.
        if self.rng.random() < 0.04 and items[-1][0] != "SCAN":
            items[-1] = self.mangle_arity(items[-1])
        return items


def main(argv):
    parser = argparse.ArgumentParser(description="random compat script generator")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--types", default="string,keyspace",
                        help="comma list of: string, keyspace, wrongtype")
    parser.add_argument("--keys", type=int, default=20)
    opts = parser.parse_args(argv)
    types = set(t.strip() for t in opts.types.split(",") if t.strip())
    unknown = types - {"string", "keyspace", "wrongtype"}
    if unknown or not types & {"string", "keyspace"}:
        parser.error("bad --types %s" % opts.types)
    rng = random.Random(opts.seed)
    gen = Gen(rng, opts.keys, types)
    out = sys.stdout
    out.write("# generated by gen_random.py --seed %d --count %d --types %s --keys %d\n"
              % (opts.seed, opts.count, ",".join(sorted(types)), opts.keys))
    for _ in range(opts.count):
        for item in gen.command():
            if isinstance(item, str):
                out.write(item + "\n")
            else:
                out.write(" ".join(quote(arg) for arg in item) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
