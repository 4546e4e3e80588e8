#!/usr/bin/python3
"""Seeded random set-command streams for the differential runner (compat.py).

    gen_set.py --seed S --count N [--keys 6]

prints a compat script (redis-cli syntax plus @ directives) of N random set
commands over a small key space (s0 .. s<keys-1> plus a string key "str" for
WRONGTYPE), with members drawn from a pool that mixes integers (every intset
encoding boundary) with strings that merely look like integers ("01", "-0",
"+1", "9223372036854775808" ...), so that both encodings and every
conversion happen; CONFIG SET set-max-intset-entries moves the limit around.

The generator keeps a model of every set — its members and its encoding,
following Redis 7.0's rules (intset while all members are integers and the
size stays within the limit, checked when an intset grows; SUNION/SDIFF/
*STORE results built in a new set that starts as an intset; the choice
between SDIFF's two algorithms) — in order to know when a reply's order is
defined: Redis lists an intset in ascending order, and kvd must too, so such
replies are compared as they are; replies that walk a hashtable get @sort.
OBJECT ENCODING is compared directly.

What would make the servers' replies differ for reasons other than a bug is
avoided: SPOP only without a count on one-member sets or with count >= size
(the whole set, deterministic as a multiset); SRANDMEMBER only with count >=
size, or on one-member sets (repeats with a negative count); SSCAN only with
cursor 0 and a COUNT large enough to finish in one call.

The same seed always gives the same script.
"""

import argparse
import random
import re
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
from resp import quote  # noqa: E402  (redis-cli quoting, shared)


INT_MEMBERS = ["0", "1", "-1", "2", "3", "7", "42", "100", "-100", "999",
               "32767", "-32768", "32768", "-32769",
               "2147483647", "-2147483648", "2147483648", "-2147483649",
               "5000000000", "9223372036854775807", "-9223372036854775808"]
STR_MEMBERS = ["a", "b", "c", "foo", "bar", "x y", "", "01", "-0", "+1", "1.5", " 1",
               "9223372036854775808", "-9223372036854775809", "1e3", "\x00", "\xff\xfe"]
LIMITS = ["512", "512", "512", "3", "5", "8", "1", "0", "16"]
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
INT_RE = re.compile(r"^(0|-?[1-9][0-9]*)$")


def is_int(m):
    """Redis string2ll: strict decimal within 64 bits."""
    return bool(INT_RE.match(m)) and INT64_MIN <= int(m) <= INT64_MAX


def int_sort_key(m):
    return int(m)


class ModelSet:
    def __init__(self, first):
        self.members = set()
        self.intset = is_int(first)

    def copy(self):
        c = ModelSet("0")
        c.members = set(self.members)
        c.intset = self.intset
        return c


class Gen:
    def __init__(self, rng, nkeys):
        self.rng = rng
        self.keys = ["s%d" % i for i in range(nkeys)]
        self.sets = {}
        self.strkey = False  # whether "str" holds a string
        self.limit = 512

    # -- model ----------------------------------------------------------

    def add(self, s, m):
        """Redis setTypeAdd on the model; True if added."""
        if s.intset and not is_int(m):
            s.intset = False
        if m in s.members:
            return False
        s.members.add(m)
        if s.intset and len(s.members) > min(self.limit, 1 << 30):
            s.intset = False
        return True

    def fresh(self):
        """Redis's temporary result set: an empty intset."""
        return ModelSet("0")

    def ordered(self, s):
        """The members in reply order if it is defined, else None."""
        if s.intset:
            return sorted(s.members, key=int_sort_key)
        return None

    # -- building blocks -------------------------------------------------

    def key(self):
        r = self.rng.random()
        if r < 0.05:
            return "str"
        if r < 0.10:
            return "nokey"
        return self.rng.choice(self.keys)

    def member(self):
        r = self.rng.random()
        if r < 0.6:
            return self.rng.choice(INT_MEMBERS)
        if r < 0.7:
            return str(self.rng.randint(-50, 50))
        return self.rng.choice(STR_MEMBERS)

    def members(self, lo=1, hi=6):
        return [self.member() for _ in range(self.rng.randint(lo, hi))]

    def lookup(self, k):
        """'set', 'missing' or 'wrong'."""
        if k == "str" and self.strkey:
            return "wrong"
        return "set" if k in self.sets else "missing"

    def sort_unless(self, out, s):
        if s is None or not s.intset:
            out.append("@sort")

    # -- commands -------------------------------------------------------

    def sadd(self):
        k = self.key()
        ms = self.members()
        out = [["SADD", k] + ms]
        if self.lookup(k) == "set":
            s = self.sets[k]
        elif self.lookup(k) == "missing":
            s = self.sets[k] = ModelSet(ms[0])
            if k == "str":
                self.strkey = False
        else:
            return out
        for m in ms:
            self.add(s, m)
        return out

    def srem(self):
        k = self.key()
        ms = self.members(1, 4)
        if self.lookup(k) == "set":
            s = self.sets[k]
            for m in ms:
                s.members.discard(m)
                if not s.members:
                    del self.sets[k]
                    break
        return [["SREM", k] + ms]

    def smove(self):
        src, dst, m = self.key(), self.key(), self.member()
        out = [["SMOVE", src, dst, m]]
        if self.lookup(src) != "set" or self.lookup(dst) == "wrong":
            return out
        if src == dst:
            return out
        s = self.sets[src]
        if m not in s.members:
            return out
        s.members.discard(m)
        if not s.members:
            del self.sets[src]
        if dst not in self.sets:
            self.sets[dst] = ModelSet(m)
        self.add(self.sets[dst], m)
        return out

    def query(self):
        k = self.key()
        r = self.rng.random()
        if r < 0.3:
            return [["SISMEMBER", k, self.member()]]
        if r < 0.55:
            return [["SMISMEMBER", k] + self.members(1, 5)]
        if r < 0.7:
            return [["SCARD", k]]
        if r < 0.85:
            out = []
            if self.lookup(k) == "set":
                self.sort_unless(out, self.sets[k])
            return out + [["SMEMBERS", k]]
        if self.lookup(k) == "set":
            return [["OBJECT", "ENCODING", k]]
        return [["TYPE", k]]

    def source_keys(self, lo=1, hi=4):
        return [self.key() for _ in range(self.rng.randint(lo, hi))]

    def resolve(self, keys):
        """The model sets of keys (None for missing); None if WRONGTYPE."""
        if any(self.lookup(k) == "wrong" for k in keys):
            return None
        return [self.sets.get(k) if self.lookup(k) == "set" else None for k in keys]

    def inter(self, keys, sets):
        """Result members and whether the reply order is defined (the walk
        over the smallest set, ties by argument order)."""
        if any(s is None for s in sets):
            return set(), True
        order = sorted(range(len(sets)), key=lambda i: (len(sets[i].members), i))
        first = sets[order[0]]
        result = set(first.members)
        for s in sets:
            result &= s.members
        return result, first.intset

    def union_diff(self, keys, sets, op):
        """The temporary result set Redis builds (members and encoding)."""
        dst = self.fresh()
        if op == "union":
            for s in sets:
                if s is None:
                    continue
                for m in sorted(s.members):
                    self.add(dst, m)
            return dst
        if sets[0] is None:
            return dst
        if any(keys[j] == keys[0] for j in range(1, len(keys))):
            return dst
        one = sum(len(sets[0].members) for s in sets if s is not None) // 2
        two = sum(len(s.members) for s in sets if s is not None)
        rest = set()
        for s in sets[1:]:
            if s is not None:
                rest |= s.members
        if one <= two:
            for m in sorted(sets[0].members - rest):
                self.add(dst, m)
        else:
            for m in sorted(sets[0].members):
                self.add(dst, m)
            # removals never change the encoding; Redis stops early once the
            # result is empty, which changes nothing either
            dst.members -= rest
        return dst

    def store(self, dkey, result):
        if self.lookup(dkey) == "wrong" or dkey == "str":
            self.strkey = False
        if result is not None and result.members:
            self.sets[dkey] = result
        else:
            self.sets.pop(dkey, None)

    def algebra(self):
        r = self.rng.random()
        keys = self.source_keys()
        store = self.rng.random() < 0.35
        dkey = self.rng.choice(self.keys) if self.rng.random() < 0.9 else "str"
        if r < 0.35:
            op = "inter"
        elif r < 0.7:
            op = "union"
        else:
            op = "diff"
        name = {"inter": "SINTER", "union": "SUNION", "diff": "SDIFF"}[op]
        out = []
        sets = self.resolve(keys)
        if store:
            out.append([name + "STORE", dkey] + keys)
            if sets is None:
                return out
            if op == "inter":
                members, _ = self.inter(keys, sets)
                res = self.fresh()
                # the walk may be in any order: the encoding only depends
                # on the final content since an intersection only grows
                for m in sorted(members):
                    self.add(res, m)
            else:
                res = self.union_diff(keys, sets, op)
            self.store(dkey, res)
            if self.rng.random() < 0.5 and dkey in self.sets:
                out.append(["OBJECT", "ENCODING", dkey])
            return out
        if sets is not None:
            if op == "inter":
                _, defined = self.inter(keys, sets)
                if not defined:
                    out.append("@sort")
            else:
                self.sort_unless(out, self.union_diff(keys, sets, op))
        out.append([name] + keys)
        return out

    def sintercard(self):
        keys = self.source_keys()
        args = ["SINTERCARD", str(len(keys))] + keys
        r = self.rng.random()
        if r < 0.3:
            args += ["LIMIT", self.rng.choice(["0", "1", "2", "5", "-1", "abc"])]
        elif r < 0.4:
            args[1] = self.rng.choice(["0", "-1", "abc", str(len(keys) + 1), ""])
        elif r < 0.45:
            args += ["LIMIT"]
        return [args]

    def spop(self):
        k = self.key()
        kind = self.lookup(k)
        if kind != "set":
            return [self.rng.choice([["SPOP", k], ["SPOP", k, "2"], ["SPOP", k, "-1"]])]
        s = self.sets[k]
        n = len(s.members)
        if n == 1 and self.rng.random() < 0.5:
            del self.sets[k]
            return [["SPOP", k]]
        if self.rng.random() < 0.1:
            return [["SPOP", k, self.rng.choice(["0", "-1", "abc"])]]
        out = []
        # popping everything replies through Redis's SUNION path
        tmp = self.union_diff([k], [s], "union")
        self.sort_unless(out, tmp)
        out.append(["SPOP", k, str(n + self.rng.randint(0, 3))])
        del self.sets[k]
        return out

    def srandmember(self):
        k = self.key()
        if self.lookup(k) != "set":
            return [self.rng.choice([["SRANDMEMBER", k], ["SRANDMEMBER", k, "3"],
                                     ["SRANDMEMBER", k, "-3"], ["SRANDMEMBER", k, "x"]])]
        s = self.sets[k]
        n = len(s.members)
        if n == 1:
            return [["SRANDMEMBER", k, self.rng.choice(["-3", "1", "5", "0"])]]
        out = []
        self.sort_unless(out, s)
        out.append(["SRANDMEMBER", k, str(n + self.rng.randint(0, 3))])
        return out

    def sscan(self):
        k = self.key()
        args = ["SSCAN", k, "0"]
        if self.rng.random() < 0.4:
            args += ["MATCH", self.rng.choice(["*", "1*", "-*", "?", "[a-c]", "*0*"])]
        args += ["COUNT", "1000"]
        if self.rng.random() < 0.05:
            args = ["SSCAN", k, self.rng.choice(["abc", "18446744073709551616", " 0"])]
        out = []
        if self.lookup(k) == "set":
            self.sort_unless(out, self.sets[k])
        return out + [args]

    def misc(self):
        r = self.rng.random()
        if r < 0.3:
            self.limit = int(self.rng.choice(LIMITS))
            return [["CONFIG", "SET", "set-max-intset-entries", str(self.limit)]]
        if r < 0.5:
            self.strkey = True
            self.sets.pop("str", None)
            return [["SET", "str", "v"]]
        if r < 0.7:
            k = self.rng.choice(self.keys)
            self.sets.pop(k, None)
            return [["DEL", k]]
        if r < 0.85:
            return [["EXISTS"] + self.source_keys()]
        return [self.rng.choice([["SADD", "s0"], ["SREM"], ["SCARD", "a", "b"], ["SMOVE", "a", "b"],
                                 ["SINTER"], ["SUNIONSTORE", "x"], ["SISMEMBER", "a"],
                                 ["SINTERCARD", "1"], ["SSCAN", "a"]])]

    def command(self):
        r = self.rng.random()
        if r < 0.25:
            return self.sadd()
        if r < 0.35:
            return self.srem()
        if r < 0.42:
            return self.smove()
        if r < 0.60:
            return self.query()
        if r < 0.75:
            return self.algebra()
        if r < 0.79:
            return self.sintercard()
        if r < 0.84:
            return self.spop()
        if r < 0.88:
            return self.srandmember()
        if r < 0.93:
            return self.sscan()
        return self.misc()


def main(argv):
    parser = argparse.ArgumentParser(description="random set-command compat script generator")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--keys", type=int, default=6)
    opts = parser.parse_args(argv)
    rng = random.Random(opts.seed)
    gen = Gen(rng, opts.keys)
    out = sys.stdout
    out.write("# generated by gen_set.py --seed %d --count %d --keys %d\n"
              % (opts.seed, opts.count, opts.keys))
    for _ in range(opts.count):
        for item in gen.command():
            if isinstance(item, str):
                out.write(item + "\n")
            else:
                out.write(" ".join(quote(arg) for arg in item) + "\n")
    out.write("CONFIG SET set-max-intset-entries 512\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
