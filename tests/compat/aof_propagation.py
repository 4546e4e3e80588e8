#!/usr/bin/python3
"""Differential test of write propagation: runs the same write commands
against redis-server 7.0 and kvd, both with appendonly yes, and compares the
incremental AOF files command by command.

Absolute times computed from the clock (SET … EX → PXAT <now+ms>) differ
between the two runs, so every integer that looks like a millisecond time
within a day of now is replaced by "<ms-time>" before comparing. The command
list avoids randomness (SPOP only where the result is forced).

    tests/compat/aof_propagation.py [--verbose]
Environment: KV_BIN (default <repo>/bin), REDIS_SERVER (/usr/bin/redis-server).
Exit status 0 when the files agree, 1 when they differ, 2 on setup trouble.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import redis

HERE = os.path.dirname(os.path.abspath(__file__))
KV_BIN = os.environ.get("KV_BIN", os.path.join(HERE, "..", "..", "bin"))
REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")

# (command args) — each sent as is to both servers, in order.
COMMANDS = [
    "SET s1 v EX 100", "SET s2 v PX 100000 NX", "SET s3 v EXAT 4000000000",
    "SET s4 v PXAT 4000000000000 GET", "set s5 v KEEPTTL", "SETEX s6 100 v",
    "PSETEX s7 100000 v", "SET s8 v", "SET s8 w XX", "SET s8 w NX",
    "GETEX s1 EX 200", "GETEX s1 PERSIST", "GETEX s1 PERSIST", "GETEX s2 PXAT 1",
    "GETEX s6", "GETDEL s3", "GETDEL nosuch", "INCRBYFLOAT f 1.5", "INCRBYFLOAT f 0.25",
    "INCR n", "DECRBY n 5", "APPEND s8 x", "SETRANGE s8 5 y", "MSET a 1 b 2", "MSETNX a 1 c 3",
    "HSET h f 1", "HINCRBYFLOAT h f 2.5", "HINCRBY h g 3", "HDEL h g", "HSETNX h f 9",
    "SADD st a", "SPOP st", "SADD st2 a b c", "SPOP st2 10", "SADD st3 x y",
    "SRANDMEMBER st3", "SREM st3 x", "SMOVE st3 st4 y",
    "RPUSH l a b c d e f", "LMPOP 1 l LEFT COUNT 2", "BLMPOP 0 1 l RIGHT COUNT 10",
    "RPUSH l a b c", "BLPOP l 0", "BRPOP l 0", "LPOP l", "LPOP l",
    "RPUSH l2 x y z", "BLMOVE l2 l3 LEFT RIGHT 0", "BRPOPLPUSH l2 l3 0", "lmove l2 l3 left left",
    "RPOPLPUSH l3 l3", "LSET l3 0 q", "LREM l3 0 nothing", "LINSERT l3 BEFORE q p", "LTRIM l3 0 1",
    "ZADD z 1 a 2 b 3 c 4 d 5 e", "BZPOPMIN z 0", "BZPOPMAX z 0", "ZMPOP 1 z MIN COUNT 1",
    "BZMPOP 0 1 z MAX COUNT 5", "ZADD z2 1 a", "ZINCRBY z2 2 a", "ZPOPMIN z2 5",
    "SET k1 v", "EXPIRE k1 100", "PEXPIRE k1 100000 NX", "EXPIREAT k1 4000000000 GT",
    "PEXPIREAT k1 4000000001000", "pexpireat k1 4000000002000", "PERSIST k1", "EXPIRE k1 -1",
    "SET e1 v", "EXPIRE e1 0", "SET e2 v", "PEXPIREAT e2 1",
    "SET m1 v", "MOVE m1 1", "SET c1 v", "COPY c1 c2", "RENAME c2 c3", "RENAMENX c3 c4",
    "DEL c4 nosuch", "UNLINK c1", "SELECT 2", "SET in2 v", "SELECT 0", "SWAPDB 0 1",
    "FLUSHDB", "SELECT 1", "DEL nosuch", "FLUSHALL",
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, workdir):
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--dir", workdir,
            "--logfile", os.path.join(workdir, "log")]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            client.ping()
            return proc, client
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    proc.wait()
    raise RuntimeError("%s did not start" % binary)


def parse_aof(data):
    """The commands of a RESP AOF as lists of byte strings."""
    cmds, pos = [], 0
    while pos < len(data):
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = data.index(b"\r\n", pos)
        argc = int(data[pos + 1:end])
        pos = end + 2
        args = []
        for _ in range(argc):
            end = data.index(b"\r\n", pos)
            n = int(data[pos + 1:end])
            pos = end + 2
            args.append(data[pos:pos + n])
            pos += n + 2
        cmds.append(args)
    return cmds


def normalise(cmds):
    now = time.time() * 1000
    out = []
    for args in cmds:
        norm = []
        for a in args:
            if a.isdigit() and abs(int(a) - now) < 86400000:
                norm.append("<ms-time>")
            else:
                norm.append(a.decode("latin-1"))
        out.append(" ".join(norm))
    return out


def run(binary):
    workdir = tempfile.mkdtemp(prefix="kv-aofprop.")
    proc, client = start(binary, workdir)
    try:
        for line in COMMANDS:
            try:
                client.execute_command(*line.split())
            except redis.exceptions.ResponseError:
                pass
        client.connection_pool.disconnect()
        manifest = open(os.path.join(workdir, "appendonlydir", "appendonly.aof.manifest")).read()
        incr = [l.split()[1] for l in manifest.splitlines() if l.endswith("type i")]
        with open(os.path.join(workdir, "appendonlydir", incr[-1]), "rb") as f:
            return normalise(parse_aof(f.read()))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    verbose = "--verbose" in sys.argv
    try:
        expected = run(REDIS_SERVER)
        got = run(os.path.join(KV_BIN, "kvd"))
    except Exception as e:  # setup trouble, not a difference
        print("aof_propagation: setup failed: %s" % e)
        return 2
    if expected == got:
        print("aof_propagation: %d commands propagated identically" % len(expected))
        if verbose:
            print("\n".join(expected))
        return 0
    import difflib
    print("aof_propagation: the AOF files differ (- redis-server, + kvd)")
    for line in difflib.unified_diff(expected, got, lineterm="", n=2):
        print(line)
    return 1


if __name__ == "__main__":
    sys.exit(main())
