"""Shared bits of the real-client tests (tests/clients/*.py), which drive a
server with Debian's python3-redis exactly as an application would.

Every test program is run as
    /usr/bin/python3 tests/clients/NAME.py PORT
against kvd or, to prove the test itself right, against redis-server 7.0
(tests/integration/clients.bats starts either; see its header).  A program
prints what went wrong and exits 1 on failure, exits 0 on success.  Every
loop is bounded in time (DEADLINE seconds per program) and in count.
"""
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import redis  # noqa: E402  (Debian's python3-redis)

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("KVD_PORT", "6379"))
DEADLINE = float(os.environ.get("KV_CLIENT_DEADLINE", "60"))
_start = time.monotonic()


def client(**kw):
    """A redis.Redis on the server under test (bytes replies unless asked)."""
    kw.setdefault("socket_timeout", 10)
    kw.setdefault("socket_connect_timeout", 5)
    return redis.Redis(host="127.0.0.1", port=PORT, **kw)


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def expect(got, want, what):
    if got != want:
        fail("%s: expected %r, got %r" % (what, want, got))


def time_left():
    """Seconds left of this program's time budget; fails when none."""
    left = DEADLINE - (time.monotonic() - _start)
    if left <= 0:
        fail("time budget of %.0f s exhausted" % DEADLINE)
    return left
