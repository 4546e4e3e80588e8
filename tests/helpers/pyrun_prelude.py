"""What `pyrun` (tests/helpers/kvd.bash) gives a test program.

The program runs with the server's port in sys.argv[1] and these names:
  call(*args)   one command on a shared RESP2 connection; returns bytes, int,
                None, a list (maps: a list of (key, value) pairs) or an
                Error (a str) for an error reply
  call3(*args)  the same on a RESP3 connection (opened on first use)
  connect(proto=2) a new Client with send(*args), read(timeout), pending(wait)
                and call(*args), for tests that need several connections
  fail(msg)     prints msg and exits 1
plus the modules os, sys, random, time and resp.
"""
import os
import random  # noqa: F401  (for the test programs)
import sys
import time  # noqa: F401

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resp  # noqa: E402


class Error(str):
    pass


def plain(tree):
    kind, p = tree
    if kind == "-":
        return Error(p.decode("latin-1"))
    if kind == ":":
        return int(p)
    if kind == "%":
        return [(plain(k), plain(v)) for k, v in p]
    if isinstance(p, list):
        return [plain(x) for x in p]
    return p


class Client:
    def __init__(self, proto=2):
        self.conn = resp.Connection("127.0.0.1", int(sys.argv[1]))
        if proto == 3:
            self.call("HELLO", 3)

    def send(self, *args):
        self.conn.send(resp.encode_command(
            [a if isinstance(a, bytes) else str(a).encode() for a in args]))

    def read(self, timeout=30):
        return plain(resp.decode(self.conn.read_reply(timeout=timeout))[0])

    def pending(self, wait=0.2):
        return self.conn.has_pending(wait)

    def call(self, *args):
        self.send(*args)
        return self.read()


def connect(proto=2):
    return Client(proto)


main = Client()
call = main.call
_resp3 = None


def call3(*args):
    global _resp3
    if _resp3 is None:
        _resp3 = Client(3)
    return _resp3.call(*args)


def fail(msg):
    print(msg)
    sys.exit(1)
