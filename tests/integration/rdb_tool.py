#!/usr/bin/python3
"""Helpers for the persistence suites (rdb.bats, dump.bats); standard library only.

    rdb_tool.py populate PORT [--large] [--no-zset]
                                          write every type and encoding into several dbs
    rdb_tool.py view PORT                 print a canonical, encoding-independent view of
                                          every db: one line per key (type, TTL presence,
                                          value with sets/hashes sorted)
    rdb_tool.py encodings PORT            print "db key encoding" for every key not made by
                                          DEBUG POPULATE (prefix "pop:")
    rdb_tool.py copy SRC DST              DUMP every key of every db on SRC and RESTORE it
                                          on DST (with its PTTL); prints the count
    rdb_tool.py fuzz-restore PORT N SEED  mutate DUMP payloads of PORT's db 0 keys N times,
                                          fixing the CRC so the value decoder sees them;
                                          every reply must be +OK or a known error, and the
                                          server must answer PING afterwards
    rdb_tool.py legacy PORT               RESTORE values in the older encodings Redis 7.0 still
                                          loads (zipmap, ziplists, quicklist of ziplists, plain
                                          list, ZSET with text scores) as keys legacy:*
    rdb_tool.py legacy-file OUT           write an RDB (version 9) holding those values, plus
                                          EXPIRETIME (seconds), IDLE, FREQ and RESIZEDB opcodes
                                          and a second db
    rdb_tool.py version-file VERSION OUT  write an RDB of format VERSION (1..9) holding the legacy
                                          values whose types existed in that version, with that
                                          version's framing (no checksum before 5, no AUX before 7,
                                          expires in seconds before 3)
    rdb_tool.py digests PORT              print "db key DEBUG-DIGEST-VALUE" for every key of every
                                          db, then "digest DEBUG-DIGEST"
    rdb_tool.py malformed                 print "name hex" lines: DUMP payloads with a valid
                                          trailer whose value is malformed (listpacks, intsets,
                                          ziplists, lengths, huge declared sizes, bad types)
    rdb_tool.py crc64 FILE                print the CRC-64 (Jones) of a file, hex
    rdb_tool.py mutate IN OUT SEED        write a copy of IN with a few random bytes changed
                                          and, with SEED odd, its checksum fixed

Exit status 0 on success, 1 with a message on stderr otherwise.
"""

import random
import socket
import struct
import sys


# ---------------------------------------------------------------- RESP client
class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
        self.buf = b""

    def _read_line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(1 << 16)
            if not chunk:
                raise EOFError("server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(1 << 16)
            if not chunk:
                raise EOFError("server closed the connection")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_reply(self):
        line = self._read_line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RespError(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self._read_exact(n + 2)
            return data[:-2]
        if t == b"*":
            n = int(rest)
            if n < 0:
                return None
            return [self.read_reply() for _ in range(n)]
        raise ValueError("unexpected reply type %r" % line)

    @staticmethod
    def encode(*args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if isinstance(a, int):
                a = str(a).encode()
            elif isinstance(a, str):
                a = a.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def call(self, *args):
        self.s.sendall(self.encode(*args))
        return self.read_reply()

    def pipeline(self, cmds):
        data = b"".join(self.encode(*c) for c in cmds)
        self.s.sendall(data)
        return [self.read_reply() for _ in cmds]


class RespError(str):
    pass


def check_ok(replies):
    for r in replies:
        if isinstance(r, RespError):
            raise SystemExit("command failed: %s" % r)


# ---------------------------------------------------------------- populate
def populate(port, large, zsets=True):
    c = Conn(port)
    rnd = random.Random(7)
    cmds = []
    # db 0: strings of every encoding
    cmds.append(["SELECT", 0])
    for v in ["0", "1", "-1", "127", "-128", "128", "32767", "-32768", "32768", "2147483647",
              "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775808",
              "007", "+5", "-0", "1.5", "", "hello", "x" * 44, "y" * 45, "z" * 200]:
        cmds.append(["SET", "str:%s" % (v[:20] or "empty"), v])
    cmds.append(["SET", "str:binary", b"a\x00b\r\n\xff\xfe"])
    cmds.append(["SET", "str:lzf", "abcabcabc" * 100])
    cmds.append(["SET", "str:random", bytes(rnd.getrandbits(8) for _ in range(300))])
    cmds.append(["SET", "str:ttl", "v", "EX", 100000])
    cmds.append(["SET", "str:pttl", "v", "PXAT", 4102444800000])
    cmds.append(["SET", "12345", "numeric key"])
    # hashes
    cmds.append(["HSET", "hash:small", "a", "1", "b", "2", "c", "-3", "num", "12345678901",
                 "f", "1.5"])
    cmds.append(["HSET", "hash:longval", "k", "v" * 100])
    cmds.append(["HSET", "hash:big"] + [x for i in range(600) for x in ("f%d" % i, "v%d" % i)])
    cmds.append(["HSET", "hash:ttl", "a", "b"])
    cmds.append(["EXPIRE", "hash:ttl", 50000])
    # sets
    cmds.append(["SADD", "set:int16", "1", "2", "3", "-5"])
    cmds.append(["SADD", "set:int64", "1", "9223372036854775807", "-9223372036854775808"])
    cmds.append(["SADD", "set:str", "a", "b", "c", "1"])
    cmds.append(["SADD", "set:bigint"] + [str(i * 3) for i in range(600)])
    cmds.append(["SADD", "set:bigstr"] + ["m%d" % i for i in range(300)])
    # lists
    cmds.append(["RPUSH", "list:small", "a", "b", "1", "-2", "c"])
    cmds.append(["RPUSH", "list:big"] + ["element-%d" % i for i in range(2000)])
    cmds.append(["RPUSH", "list:ints"] + [str(i) for i in range(-300, 300)])
    cmds.append(["RPUSH", "list:longelems"] + ["L" * 5000 + str(i) for i in range(10)])
    # sorted sets
    if zsets:
        cmds.append(["ZADD", "zset:small", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "-inf",
                     "e"])
        cmds.append(["ZADD", "zset:big"] + [x for i in range(300) for x in (str(i / 7), "m%d" % i)])
        cmds.append(["ZADD", "zset:longmember", "1", "x" * 100])
    # other dbs
    cmds.append(["SELECT", 1])
    cmds.append(["SET", "db1:key", "one"])
    cmds.append(["HSET", "db1:hash", "f", "v"])
    cmds.append(["SELECT", 5])
    cmds.append(["RPUSH", "db5:list", "x", "y"])
    cmds.append(["SADD", "db5:set", "m"])
    cmds.append(["SET", "db5:ttl", "t", "PX", 99999999])
    cmds.append(["SELECT", 15])
    cmds.append(["SET", "db15:last", "z"])
    cmds.append(["SELECT", 0])
    check_ok(c.pipeline(cmds))
    if large:
        r = c.call("DEBUG", "POPULATE", 20000, "pop", 20)
        if isinstance(r, RespError):
            raise SystemExit("DEBUG POPULATE: %s" % r)
    print("populated")


# ---------------------------------------------------------------- view
def esc(b):
    if b is None:
        return "(nil)"
    if isinstance(b, int):
        return str(b)
    out = []
    for ch in b:
        if 32 <= ch < 127 and ch not in (92, 34):
            out.append(chr(ch))
        else:
            out.append("\\x%02x" % ch)
    return '"' + "".join(out) + '"'


def view(port):
    c = Conn(port)
    lines = []
    for db in range(16):
        r = c.call("SELECT", db)
        if isinstance(r, RespError):
            break
        keys = []
        cursor = b"0"
        while True:
            cursor, batch = c.call("SCAN", cursor, "COUNT", 1000)
            keys.extend(batch)
            if cursor == b"0":
                break
        for k in sorted(set(keys)):
            t = c.call("TYPE", k)
            ttl = c.call("PTTL", k)
            ttl_s = "ttl" if isinstance(ttl, int) and ttl >= 0 else "persist"
            if t == "string":
                v = esc(c.call("GET", k))
            elif t == "hash":
                flat = c.call("HGETALL", k)
                pairs = sorted(zip(flat[0::2], flat[1::2]))
                v = " ".join("%s=%s" % (esc(a), esc(b)) for a, b in pairs)
            elif t == "set":
                v = " ".join(esc(m) for m in sorted(c.call("SMEMBERS", k)))
            elif t == "list":
                v = " ".join(esc(m) for m in c.call("LRANGE", k, 0, -1))
            elif t == "zset":
                flat = c.call("ZRANGE", k, 0, -1, "WITHSCORES")
                v = " ".join("%s:%s" % (esc(a), b.decode()) for a, b in zip(flat[0::2], flat[1::2]))
            else:
                v = "?"
            lines.append("db%d %s %s %s %s" % (db, esc(k), t, ttl_s, v))
    c.call("SELECT", 0)
    sys.stdout.write("\n".join(lines) + ("\n" if lines else ""))


def encodings(port):
    c = Conn(port)
    for db in range(16):
        if isinstance(c.call("SELECT", db), RespError):
            break
        for k in sorted(c.call("KEYS", "*")):
            if k.startswith(b"pop:"):
                continue
            print("db%d %s %s" % (db, esc(k), esc(c.call("OBJECT", "ENCODING", k))))
    c.call("SELECT", 0)


# ---------------------------------------------------------------- copy
def copy(src, dst):
    a, b = Conn(src), Conn(dst)
    n = 0
    for db in range(16):
        if isinstance(a.call("SELECT", db), RespError):
            break
        check_ok([b.call("SELECT", db)])
        keys = []
        cursor = b"0"
        while True:
            cursor, batch = a.call("SCAN", cursor, "COUNT", 1000)
            keys.extend(batch)
            if cursor == b"0":
                break
        for k in sorted(set(keys)):
            payload = a.call("DUMP", k)
            if payload is None:
                continue
            ttl = a.call("PTTL", k)
            r = b.call("RESTORE", k, max(ttl, 0), payload, "REPLACE")
            if r != "OK":
                raise SystemExit("RESTORE %r into db %d failed: %s" % (k, db, r))
            n += 1
    a.call("SELECT", 0)
    print("copied %d" % n)


# ---------------------------------------------------------------- CRC-64 (Jones, reflected)
_CRC_TABLE = []


def crc64(data, crc=0):
    if not _CRC_TABLE:
        for b in range(256):
            v = b
            for _ in range(8):
                v = (v >> 1) ^ 0x95AC9329AC4BC9B5 if v & 1 else v >> 1
            _CRC_TABLE.append(v)
    for ch in data:
        crc = _CRC_TABLE[(crc ^ ch) & 0xFF] ^ (crc >> 8)
    return crc


def fix_payload_crc(p):
    body = p[:-8]
    return body + crc64(body).to_bytes(8, "little")


# ---------------------------------------------------------------- legacy encodings
def rdb_len(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    return b"\x80" + n.to_bytes(4, "big")


def rdb_str(b):
    if isinstance(b, str):
        b = b.encode()
    return rdb_len(len(b)) + b


def zl_entry(prevlen, v):
    pl = bytes([prevlen]) if prevlen < 254 else b"\xfe" + prevlen.to_bytes(4, "little")
    if isinstance(v, int):
        if 0 <= v <= 12:
            enc = bytes([0xF1 + v])
        elif -128 <= v <= 127:
            enc = b"\xfe" + v.to_bytes(1, "little", signed=True)
        elif -32768 <= v <= 32767:
            enc = b"\xc0" + v.to_bytes(2, "little", signed=True)
        elif -(1 << 23) <= v < (1 << 23):
            enc = b"\xf0" + v.to_bytes(3, "little", signed=True)
        elif -(1 << 31) <= v < (1 << 31):
            enc = b"\xd0" + v.to_bytes(4, "little", signed=True)
        else:
            enc = b"\xe0" + v.to_bytes(8, "little", signed=True)
    else:
        b = v.encode() if isinstance(v, str) else v
        if len(b) < 64:
            enc = bytes([len(b)]) + b
        elif len(b) < 16384:
            enc = bytes([0x40 | (len(b) >> 8), len(b) & 0xFF]) + b
        else:
            enc = b"\x80" + len(b).to_bytes(4, "big") + b
    return pl + enc


def ziplist(values):
    body, prev, tail = b"", 0, 10
    for v in values:
        e = zl_entry(prev, v)
        tail = 10 + len(body)
        body += e
        prev = len(e)
    total = 10 + len(body) + 1
    return (total.to_bytes(4, "little") + tail.to_bytes(4, "little") +
            min(len(values), 65535).to_bytes(2, "little") + body + b"\xff")


def zipmap_pairs(pairs):
    out = bytes([min(len(pairs), 254)])
    for k, v in pairs:
        kb, vb = k.encode(), v.encode()
        out += bytes([len(kb)]) + kb + bytes([len(vb)]) + b"\x02" + vb + b"\x00\x00"
    return out + b"\xff"


def intset(values, width):
    values = sorted(values)
    return (width.to_bytes(4, "little") + len(values).to_bytes(4, "little") +
            b"".join(v.to_bytes(width, "little", signed=True) for v in values))


def old_double(d):
    t = repr(d).encode() if d == d and abs(d) != float("inf") else None
    if d == float("inf"):
        return b"\xfe"
    if d == float("-inf"):
        return b"\xff"
    return bytes([len(t)]) + t


def payload(type_byte, value, version=9):
    body = bytes([type_byte]) + value + version.to_bytes(2, "little")
    return body + crc64(body).to_bytes(8, "little")


def legacy_payloads():
    big = ["e%d" % i for i in range(40)] + [7, -7, 300, -70000, 1 << 40, "x" * 100]
    pairs = [("f%d" % i, "v%d" % i) for i in range(20)]
    out = {
        "legacy:list-ziplist": payload(10, rdb_str(ziplist(big))),
        "legacy:quicklist": payload(14, rdb_len(3) + rdb_str(ziplist(big[:10])) +
                                    rdb_str(ziplist([1, 2, 3])) + rdb_str(ziplist(["z" * 300]))),
        "legacy:list-linked": payload(1, rdb_len(3) + rdb_str("a") + rdb_str("12") + rdb_str("")),
        "legacy:hash-ziplist": payload(13, rdb_str(ziplist([x for p in pairs for x in p] +
                                                           ["num", 42, 5, "five"]))),
        "legacy:hash-zipmap": payload(9, rdb_str(zipmap_pairs(pairs[:5]))),
        "legacy:hash-big-ziplist": payload(13, rdb_str(ziplist(
            [x for i in range(600) for x in ("k%d" % i, i)]))),
        "legacy:zset-ziplist": payload(12, rdb_str(ziplist(["c", "-inf", "e", -3, "a", 1, "b",
                                                            "2.5", "d", "inf"]))),
        "legacy:zset-v1": payload(3, rdb_len(4) + rdb_str("m1") + old_double(1.5) + rdb_str("m2") +
                                  old_double(float("inf")) + rdb_str("m3") + old_double(-2.0) +
                                  rdb_str("m4") + old_double(float("-inf"))),
        "legacy:zset-v2-big": payload(5, rdb_len(200) + b"".join(
            rdb_str("z%d" % i) + struct.pack("<d", i * 0.5) for i in range(200))),
        "legacy:set-linked": payload(2, rdb_len(3) + rdb_str("1") + rdb_str("2") + rdb_str("x")),
        "legacy:set-int-linked": payload(2, rdb_len(3) + rdb_str("1") + rdb_str("2") +
                                         rdb_str("3")),
        "legacy:intset16": payload(11, rdb_str(intset([1, -2, 300], 2))),
        "legacy:intset32": payload(11, rdb_str(intset([1, 70000, -70000], 4))),
        "legacy:intset64": payload(11, rdb_str(intset([1, 1 << 40, -(1 << 50)], 8))),
        "legacy:hash-linked": payload(4, rdb_len(2) + rdb_str("a") + rdb_str("1") +
                                      rdb_str("b") + rdb_str("2")),
    }
    return out


def legacy(port):
    c = Conn(port)
    n = 0
    for k, p in sorted(legacy_payloads().items()):
        r = c.call("RESTORE", k, 0, p, "REPLACE")
        if r != "OK":
            raise SystemExit("RESTORE %s: %s" % (k, r))
        n += 1
    print("restored %d" % n)


def legacy_file(out):
    data = b"REDIS0009"
    data += b"\xfa" + rdb_str("redis-ver") + rdb_str("6.0.16")
    data += b"\xfa" + rdb_str("redis-bits") + b"\xc0\x40"
    data += b"\xfe\x00" + b"\xfb" + rdb_len(17) + rdb_len(2)
    for k, p in sorted(legacy_payloads().items()):
        data += p[:1] + rdb_str(k) + p[1:-10]
    # a key with an old-style expire in seconds (year 2030) and one with an LRU hint
    data += b"\xfd" + (1893456000).to_bytes(4, "little") + b"\x00" + rdb_str("legacy:exp-s") + \
        rdb_str("x")
    data += b"\xfc" + (4102444800123).to_bytes(8, "little") + b"\xf8" + rdb_len(100) + b"\x00" + \
        rdb_str("legacy:exp-ms-idle") + rdb_str("y")
    data += b"\xf9\x05\x00" + rdb_str("legacy:freq") + b"\xc0\x07"
    data += b"\xfe\x03" + b"\x00" + rdb_str("legacy:db3") + rdb_str("in db 3")
    data += b"\xff"
    data += crc64(data).to_bytes(8, "little")
    open(out, "wb").write(data)


# The RDB version that introduced each legacy payload's type byte.
_TYPE_SINCE = {0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 9: 2, 10: 2, 11: 2, 12: 2, 13: 4, 14: 7, 5: 8}


def version_file(version, out):
    data = b"REDIS%04d" % version
    if version >= 7:
        data += b"\xfa" + rdb_str("redis-ver") + rdb_str("old-%d" % version)
    data += b"\xfe\x00"
    for k, p in sorted(legacy_payloads().items()):
        if _TYPE_SINCE[p[0]] <= version:
            data += p[:1] + rdb_str(k) + p[1:-10]
    if version >= 3:
        data += b"\xfc" + (4102444800123).to_bytes(8, "little")
    else:
        data += b"\xfd" + (1893456000).to_bytes(4, "little")
    data += b"\x00" + rdb_str("old:expiring") + rdb_str("e")
    data += b"\xfe\x02" + b"\x00" + rdb_str("old:db2") + rdb_str("in db 2")
    data += b"\xff"
    if version >= 5:
        data += crc64(data).to_bytes(8, "little")
    open(out, "wb").write(data)


def _lp_entry_str(b):
    b = b.encode() if isinstance(b, str) else b
    assert len(b) < 64
    return bytes([0x80 | len(b)]) + b + bytes([1 + len(b)])


def listpack(entries, total=None, count=None, end=b"\xff"):
    body = b"".join(_lp_entry_str(e) for e in entries)
    n = 6 + len(body) + len(end)
    return ((total if total is not None else n).to_bytes(4, "little") +
            (count if count is not None else len(entries)).to_bytes(2, "little") + body + end)


def malformed_payloads():
    big = (1 << 40)
    lz = b"\xc3" + rdb_len(5) + b"\x80" + (1 << 30).to_bytes(4, "big") + b"\x04abcde"
    cases = {
        "hash-lp-terminator": payload(16, rdb_str(listpack(["a", "1", "b", "2"], end=b"\x05")), 10),
        "hash-lp-total-bytes": payload(16, rdb_str(listpack(["a", "1"], total=4000)), 10),
        "hash-lp-odd": payload(16, rdb_str(listpack(["a", "1", "b"])), 10),
        "hash-lp-dup": payload(16, rdb_str(listpack(["a", "1", "a", "2"])), 10),
        "hash-lp-empty": payload(16, rdb_str(listpack([])), 10),
        "hash-lp-count": payload(16, rdb_str(listpack(["a", "1"], count=7)), 10),
        "zset-lp-score": payload(17, rdb_str(listpack(["m", "abc"])), 10),
        "zset-lp-dup": payload(17, rdb_str(listpack(["m", "1", "m", "2"])), 10),
        "intset-unsorted": payload(11, rdb_str((2).to_bytes(4, "little") + (2).to_bytes(4, "little") +
                                               (5).to_bytes(2, "little") + (1).to_bytes(2, "little")), 10),
        "intset-dup": payload(11, rdb_str((2).to_bytes(4, "little") + (2).to_bytes(4, "little") +
                                          (5).to_bytes(2, "little") * 2), 10),
        "intset-width": payload(11, rdb_str((3).to_bytes(4, "little") + (1).to_bytes(4, "little") +
                                            b"\x01\x00\x00"), 10),
        "intset-len": payload(11, rdb_str((2).to_bytes(4, "little") + (9).to_bytes(4, "little") +
                                          (1).to_bytes(2, "little")), 10),
        "ql2-container": payload(18, rdb_len(1) + rdb_len(3) + rdb_str(listpack(["a"])), 10),
        "ql2-huge-count": payload(18, b"\x81" + big.to_bytes(8, "big") + rdb_len(2) +
                                  rdb_str(listpack(["a"])), 10),
        "ql2-node-corrupt": payload(18, rdb_len(1) + rdb_len(2) +
                                    rdb_str(listpack(["a"], total=3)), 10),
        "ql2-empty": payload(18, rdb_len(0), 10),
        "string-huge-len": payload(0, b"\x81" + big.to_bytes(8, "big") + b"abc", 10),
        "set-huge-count": payload(2, b"\x81" + big.to_bytes(8, "big") + rdb_str("a"), 10),
        "hash-huge-count": payload(4, b"\x80" + (1 << 31).to_bytes(4, "big") + rdb_str("a") +
                                   rdb_str("b"), 10),
        "lzf-huge-ulen": payload(0, lz, 10),
        "unknown-type": payload(200, rdb_str("x"), 10),
        "module-pre-release": payload(6, rdb_len(1), 10),
        "hash-empty": payload(4, rdb_len(0), 10),
        "ziplist-prevlen": payload(10, rdb_str(bytes(ziplist(["a", "b"])[:11]) + b"\x09" +
                                               ziplist(["a", "b"])[12:]), 10),
        "zipmap-short": payload(9, rdb_str(b"\x01\x05ab"), 10),
        "zset2-nan": payload(5, rdb_len(1) + rdb_str("m") + struct.pack("<d", float("nan")), 10),
        "zset1-bad-double": payload(3, rdb_len(1) + rdb_str("m") + b"\x03x1y", 10),
    }
    return cases


def digests(port):
    c = Conn(port)
    for db in range(16):
        if isinstance(c.call("SELECT", db), RespError):
            break
        for k in sorted(c.call("KEYS", "*")):
            d = c.call("DEBUG", "DIGEST-VALUE", k)[0]
            print("db%d %s %s" % (db, esc(k), d.decode() if isinstance(d, bytes) else d))
    c.call("SELECT", 0)
    print("digest %s" % c.call("DEBUG", "DIGEST"))


def fuzz_restore(port, n, seed):
    c = Conn(port)
    rnd = random.Random(seed)
    keys = sorted(c.call("KEYS", "*"))[:2000]
    by_type = {}
    for k in keys:
        p = c.call("DUMP", k)
        if p:
            by_type.setdefault(p[0], []).append(p)
    if not by_type:
        raise SystemExit("no keys to fuzz")
    groups = [by_type[t] for t in sorted(by_type)]
    allowed = ("OK", "ERR Bad data format", "ERR DUMP payload version or checksum are wrong")
    counts = {}
    for i in range(n):
        p = bytearray(rnd.choice(rnd.choice(groups)))  # every encoding equally often
        body_len = len(p) - 10
        kind = rnd.randrange(4)
        if kind == 0 and body_len > 1:  # flip random bytes
            for _ in range(rnd.randint(1, 4)):
                j = rnd.randrange(body_len)
                p[j] = rnd.randrange(256)
        elif kind == 1 and body_len > 2:  # truncate the body
            cut = rnd.randrange(1, body_len)
            p = p[:cut] + p[body_len:]
        elif kind == 2:  # bogus type byte
            p[0] = rnd.randrange(256)
        else:  # insert garbage
            j = rnd.randrange(1, max(2, body_len))
            p = p[:j] + bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8))) + p[j:]
        p = fix_payload_crc(bytes(p))
        r = c.call("RESTORE", "fuzz:%d" % i, 0, p, "REPLACE")
        if r not in allowed:
            raise SystemExit("unexpected reply to a fuzzed payload: %r (payload %s)" % (r, p.hex()))
        counts[r] = counts.get(r, 0) + 1
        if r == "OK":
            # Whatever was accepted must be usable.
            t = c.call("TYPE", "fuzz:%d" % i)
            for cmd in (["GET"], ["HGETALL"], ["SMEMBERS"], ["LRANGE", 0, -1],
                        ["ZRANGE", 0, -1, "WITHSCORES"], ["DUMP"]):
                c.call(cmd[0], "fuzz:%d" % i, *cmd[1:])
            c.call("DEL", "fuzz:%d" % i)
            del t
    if c.call("PING") != "PONG":
        raise SystemExit("server does not answer PING after fuzzing")
    print(" ".join("%s=%d" % (k, v) for k, v in sorted(counts.items())))


def mutate(src, dst, seed):
    rnd = random.Random(seed)
    data = bytearray(open(src, "rb").read())
    end = len(data) - 8  # keep the checksum position
    for j in rnd.sample(range(9, end), rnd.randint(1, 3)):
        data[j] ^= rnd.randrange(1, 256)  # distinct positions, always a different byte
    if seed % 2:
        data[end:] = crc64(bytes(data[:end])).to_bytes(8, "little")
    open(dst, "wb").write(bytes(data))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 1
    cmd = argv[1]
    if cmd == "populate":
        populate(argv[2], "--large" in argv[3:], "--no-zset" not in argv[3:])
    elif cmd == "view":
        view(argv[2])
    elif cmd == "encodings":
        encodings(argv[2])
    elif cmd == "copy":
        copy(argv[2], argv[3])
    elif cmd == "fuzz-restore":
        fuzz_restore(argv[2], int(argv[3]), int(argv[4]))
    elif cmd == "legacy":
        legacy(argv[2])
    elif cmd == "legacy-file":
        legacy_file(argv[2])
    elif cmd == "version-file":
        version_file(int(argv[2]), argv[3])
    elif cmd == "digests":
        digests(argv[2])
    elif cmd == "malformed":
        for k, p in sorted(malformed_payloads().items()):
            print(k, p.hex())
    elif cmd == "crc64":
        print("%016x" % crc64(open(argv[2], "rb").read()))
    elif cmd == "mutate":
        mutate(argv[2], argv[3], int(argv[4]))
    else:
        sys.stderr.write(__doc__)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
