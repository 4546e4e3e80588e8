#!/usr/bin/python3
"""Regenerates the seed corpora of the fuzz targets (tests/fuzz/corpus/).

    tests/fuzz/make_corpus.py [--static] [REDIS_SERVER]

The hand-written seeds of the parsers of network and file input (corpus/resp,
conf, aof and clireply: see static_seeds()) and of fuzz_commands (command
sequences: see command_seeds()) are written first; --static stops there. Then it starts redis-server 7.0 (default /usr/bin/redis-server) on a
free loopback port in a temp dir, fills it with small values of every type and encoding
(tests/integration/rdb_tool.py populate, without the large DEBUG POPULATE
part), and writes:

  corpus/rdb/      the SAVEd dump.rdb, one small RDB per type family, the
                   legacy (version 9) file of rdb_tool.py, and a version 1
                   file without a checksum
  corpus/restore/  the body (type byte and value, no version/CRC trailer:
                   fuzz_restore.c appends it) of the DUMP of every key, and
                   of rdb_tool.py's legacy payloads

Seeds are named by content hash, so rerunning adds only what changed.
"""
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "integration"))
import rdb_tool  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def put(dirname, data):
    os.makedirs(dirname, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(dirname, name), "wb") as f:
        f.write(data)


def small_rdb(keys):
    """An RDB (version 10) holding (key, payload body) pairs in db 0, one with an expire."""
    data = b"REDIS0010" + b"\xfa" + rdb_tool.rdb_str("redis-ver") + rdb_tool.rdb_str("7.0.15")
    data += b"\xfe\x00\xfb" + rdb_tool.rdb_len(len(keys)) + rdb_tool.rdb_len(1)
    for i, (k, body) in enumerate(keys):
        if i == 0:
            data += b"\xfc" + (4102444800000).to_bytes(8, "little")
        data += body[:1] + rdb_tool.rdb_str(k) + body[1:]
    data += b"\xff"
    return data + rdb_tool.crc64(data).to_bytes(8, "little")


def resp_cmd(*args):
    """A request in multibulk form."""
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def static_seeds():
    """Seeds of fuzz_resp, fuzz_conf, fuzz_aof and fuzz_clireply (see the
    input layout atop each target)."""
    d = os.path.join(here, "corpus")
    # fuzz_resp: 4 option bytes (flags, max bulk / 4, qbuf limit, chunk seed)
    pipeline = resp_cmd("SET", "k", "v") + resp_cmd("GET", "k") + b"PING\r\n" + \
        b'SET a "b c\\x41\\n" \'d\\\'e\'\r\n' + b"*0\r\n*-1\r\n\r\n" + resp_cmd("MSET", *"abcdefghijkl")
    for opts in (b"\x00\x40\xff\x00", b"\x00\x40\xff\x07", b"\x01\x40\xff\x03",
                 b"\x00\x01\x01\x05"):
        put(os.path.join(d, "resp"), opts + pipeline)
    put(os.path.join(d, "resp"), b"\x02\x00\xff\x09" + resp_cmd("SET", "k", "x" * 40000))
    put(os.path.join(d, "resp"), b"\x00\x40\xff\x00*2\r\n$3\r\nGET\r\n:1\r\n")
    put(os.path.join(d, "resp"), b"\x00\x40\xff\x00*1048577\r\n")
    put(os.path.join(d, "resp"), b"\x04\x40\xff\x02\r\nPING\r\n")
    put(os.path.join(d, "resp"), b"\x0c\x40\xff\x02\r\n")
    put(os.path.join(d, "resp"), b"\x00\x40\xff\x01GET \"unbalanced\r\n")
    # fuzz_conf: a config text
    for text in (
        b"# comment\nport 6380\nbind 127.0.0.1 -::1\nsave 3600 1 300 100\n"
        b"maxmemory 64mb\nmaxmemory 1GB\nrequirepass \"a b\\x00\\\"c\"\n",
        b"rename-command 'CONFIG' \"\"\n  dir \"/tmp\\t\"  \r\nlogfile ''\n",
        b"include a.conf\nport 1\n",
        b"include loop.conf\n",
        b"include *.conf\n",
        b"bad directive\nport 2\n",
        b"fail \"why\"\n",
        b"key \"unbalanced\nkey \"closed\"x\n",
        b"memory 10k 10kb 5m 5mb 1g 1gb 99999999999999999999999 -1 1.5 kb\n",
        b"\x00\x01\xff \"\\xzz\\xAb\\a\\b\\r\\n\\t\\q\" \v\f 'x\\'y'\n",
    ):
        put(os.path.join(d, "conf"), text)
    # fuzz_aof: an AOF (commands and annotations) or a manifest
    aof = b"#TS:1700000000\r\n" + resp_cmd("SELECT", "0") + resp_cmd("SET", "k", "v") + \
        resp_cmd("MULTI") + resp_cmd("INCR", "n") + resp_cmd("EXEC")
    put(os.path.join(d, "aof"), aof)
    put(os.path.join(d, "aof"), aof[:-5])
    put(os.path.join(d, "aof"), resp_cmd("SET", "k", "v")[:-8] + b"$2147483648\r\nab")
    put(os.path.join(d, "aof"), b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nvX\n")
    put(os.path.join(d, "aof"), b"*1\r\n*1\r\n" + b"x" * 200 + b"\r\n")
    put(os.path.join(d, "aof"), b"file appendonly.aof.1.base.rdb seq 1 type b\n"
        b"file appendonly.aof.1.incr.aof seq 1 type i\n"
        b"file appendonly.aof.2.incr.aof seq 2 type i\n")
    put(os.path.join(d, "aof"), b"# c\nfile \"odd name\\x01\" seq 3 type h extra x\r\n"
        b"file b seq 9 type b\n")
    put(os.path.join(d, "aof"), b"file a seq 2 type i\nfile b seq 1 type i\nfile c/d seq 1 type b\n")
    # fuzz_clireply: one chunk-seed byte, then what a server sends
    replies = (b"+OK\r\n-ERR no\r\n:42\r\n$3\r\nabc\r\n$-1\r\n*-1\r\n*0\r\n"
               b"*3\r\n$1\r\na\r\n:1\r\n*2\r\n+x\r\n$0\r\n\r\n")
    resp3 = (b"%2\r\n+k\r\n*2\r\n:1\r\n:2\r\n$1\r\nm\r\n~1\r\n,1.5\r\n_\r\n#t\r\n#f\r\n"
             b",inf\r\n,-nan\r\n(123456789012345678901234567890\r\n=15\r\ntxt:Some string\r\n"
             b"!9\r\nERR\r\nbad!\r\n|1\r\n+ttl\r\n:3600\r\n+with-attr\r\n"
             b">3\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n"
             b">2\r\n$10\r\ninvalidate\r\n_\r\n%0\r\n~0\r\n>0\r\n")
    for seed in (b"\x00", b"\x05"):
        put(os.path.join(d, "clireply"), seed + replies)
        put(os.path.join(d, "clireply"), seed + resp3)
    put(os.path.join(d, "clireply"), b"\x00" + b"*1\r\n" * 129 + b":1\r\n")
    put(os.path.join(d, "clireply"), b"\x00?bad\r\n")
    put(os.path.join(d, "clireply"), b"\x00$5\r\nab")


def c_strings(path, array):
    """The string literals of a C array initializer in tests/fuzz/<path>."""
    import re
    text = open(os.path.join(here, path)).read()
    body = text.split(array + "[] = {", 1)[1].split("};", 1)[0]
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    return re.findall(r'"((?:[^"\\]|\\.)*)"', body)


def command_seeds():
    """fuzz_commands: [name index][argc] then per argument a vocabulary tag
    (0x80 + index) or a literal (length byte, bytes)."""
    names = c_strings("fuzz_commands.c", "ALLOWED")
    words = c_strings("fuzz_commands.c", "WORDS")

    def cmd(name, *args):
        out = bytes([names.index(name), len(args)])
        for a in args:
            if a in words:
                out += bytes([0x80 + words.index(a)])
            else:
                out += bytes([len(a)]) + a.encode()
        return out

    seqs = [
        [cmd("SET", "k0", "v"), cmd("APPEND", "k0", "xyz"), cmd("GETRANGE", "k0", "0", "-1"),
         cmd("SETRANGE", "k0", "10", "ab"), cmd("INCRBYFLOAT", "k1", "1.5"),
         cmd("LCS", "k0", "k1", "IDX", "WITHMATCHLEN"), cmd("GETEX", "k0", "EX", "100")],
        [cmd("RPUSH", "k1", "a", "b", "c", "a"), cmd("LPOS", "k1", "a", "RANK", "-1"),
         cmd("LINSERT", "k1", "BEFORE", "b", "x"), cmd("LRANGE", "k1", "0", "-1"),
         cmd("LMOVE", "k1", "k2", "LEFT", "RIGHT"), cmd("SORT", "k1", "ALPHA", "DESC")],
        [cmd("ZADD", "k2", "1", "a", "2", "b", "+inf", "c"), cmd("ZRANGE", "k2", "(1", "+inf",
         "BYSCORE", "LIMIT", "0", "2", "WITHSCORES"), cmd("ZRANGEBYLEX", "k2", "-", "+"),
         cmd("ZUNIONSTORE", "k3", "2", "k2", "k2", "WEIGHTS", "2", "1", "AGGREGATE", "MAX"),
         cmd("ZPOPMIN", "k3", "COUNT", "2"), cmd("ZRANDMEMBER", "k2", "-2", "WITHSCORES")],
        [cmd("HSET", "k0", "f", "v", "g", "1"), cmd("HINCRBY", "k0", "g", "2"),
         cmd("HRANDFIELD", "k0", "-3", "WITHVALUES"), cmd("HSCAN", "k0", "0", "MATCH", "*"),
         cmd("SADD", "k1", "1", "2", "3"), cmd("SADD", "k2", "a", "2"),
         cmd("SINTERCARD", "2", "k1", "k2"), cmd("SPOP", "k1", "2"), cmd("OBJECT", "ENCODING",
         "k1")],
        [cmd("SETBIT", "k0", "100", "1"), cmd("BITCOUNT", "k0", "0", "-1", "BIT"),
         cmd("BITFIELD", "k0", "OVERFLOW", "SAT", "INCRBY", "u8", "#1", "200"),
         cmd("BITOP", "NOT", "k1", "k0"), cmd("PFADD", "k2", "a", "b"), cmd("PFCOUNT", "k2"),
         cmd("MULTI"), cmd("INCR", "k3"), cmd("EXEC"), cmd("DUMP", "k2"), cmd("KEYS", "[a-z]?"),
         cmd("COPY", "k2", "k3", "DB", "1", "REPLACE"), cmd("SWAPDB", "0", "1"), cmd("SCAN", "0")],
    ]
    for seq in seqs:
        put(os.path.join(here, "corpus", "commands"), b"".join(seq))


def main():
    static_seeds()
    command_seeds()
    if len(sys.argv) > 1 and sys.argv[1] == "--static":
        print("corpus: static seeds written")
        return
    server = sys.argv[1] if len(sys.argv) > 1 else "/usr/bin/redis-server"
    tmp = tempfile.mkdtemp()
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--dir", tmp, "--logfile", os.path.join(tmp, "log")])
    try:
        for _ in range(100):
            try:
                c = rdb_tool.Conn(port)
                break
            except OSError:
                time.sleep(0.05)
        rdb_tool.populate(port, False)
        rdb_dir = os.path.join(here, "corpus", "rdb")
        restore_dir = os.path.join(here, "corpus", "restore")
        # every key's payload body
        families = {}
        for db in range(16):
            c.call("SELECT", db)
            for k in c.call("KEYS", "*"):
                p = c.call("DUMP", k)
                put(restore_dir, p[:-10])
                families.setdefault(p[0], []).append((k, p[:-10]))
        for p in rdb_tool.legacy_payloads().values():
            put(restore_dir, p[:-10])
        c.call("SELECT", 0)
        c.call("SAVE")
        put(rdb_dir, open(os.path.join(tmp, "dump.rdb"), "rb").read())
        # one small file per RDB type, built from that type's payloads
        for t, bodies in sorted(families.items()):
            put(rdb_dir, small_rdb(bodies[:4]))
        legacy = os.path.join(tmp, "legacy.rdb")
        rdb_tool.legacy_file(legacy)
        put(rdb_dir, open(legacy, "rb").read())
        # version 1: no checksum after EOF
        v1 = b"REDIS0001" + b"\xfe\x00" + b"\x00" + rdb_tool.rdb_str("k") + rdb_tool.rdb_str("v")
        v1 += b"\x02" + rdb_tool.rdb_str("s") + rdb_tool.rdb_len(2) + rdb_tool.rdb_str("a") + \
            rdb_tool.rdb_str("b") + b"\xff"
        put(rdb_dir, v1)
        print("corpus: %d rdb, %d restore seeds" % (len(os.listdir(rdb_dir)),
                                                    len(os.listdir(restore_dir))))
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
