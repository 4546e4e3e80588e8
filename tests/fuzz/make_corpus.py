#!/usr/bin/python3
"""Regenerates the seed corpora of the fuzz targets (tests/fuzz/corpus/).

    tests/fuzz/make_corpus.py [REDIS_SERVER]

Starts redis-server 7.0 (default /usr/bin/redis-server) on a free loopback
port in a temp dir, fills it with small values of every type and encoding
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


def main():
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
