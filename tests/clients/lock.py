#!/usr/bin/python3
"""Distributed lock: acquire with SET key token NX EX, release with a Lua
compare-and-delete (EVAL), as the Redis documentation's single-instance lock
pattern.  Several processes take turns on a non-atomic read-modify-write
guarded by the lock; the final value must be exact.  Also: a wrong token
cannot release, the lock expires by itself, and redis-py's own Lock class
(SET NX PX + its Lua release/extend scripts over EVALSHA) works."""
import multiprocessing
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kvclient import check, client, expect, fail, time_left  # noqa: E402

import redis  # noqa: E402

RELEASE = """
if redis.call("GET", KEYS[1]) == ARGV[1] then
    return redis.call("DEL", KEYS[1])
else
    return 0
end
"""
WORKERS = 4
ROUNDS = 50


def acquire(r, key, token, deadline):
    while time.monotonic() < deadline:
        if r.set(key, token, nx=True, ex=5):
            return True
        time.sleep(0.001)
    return False


def worker(n, deadline, out):
    r = client()
    got = 0
    for _ in range(ROUNDS):
        token = uuid.uuid4().hex
        if not acquire(r, "lock:res", token, deadline):
            out.put("worker %d: could not take the lock in time" % n)
            return
        # The critical section: a read-modify-write that would lose updates
        # without the lock.
        v = int(r.get("res") or 0)
        time.sleep(0.0005)
        r.set("res", v + 1)
        released = r.eval(RELEASE, 1, "lock:res", token)
        if released != 1:
            out.put("worker %d: release returned %r" % (n, released))
            return
        got += 1
    out.put(got)


def main():
    r = client()
    r.delete("lock:res", "res")

    # Basic contract.
    check(r.set("lock:a", "t1", nx=True, ex=10) is True, "first SET NX must win")
    check(r.set("lock:a", "t2", nx=True, ex=10) is None, "second SET NX must lose")
    expect(r.eval(RELEASE, 1, "lock:a", "t2"), 0, "release with the wrong token")
    expect(r.get("lock:a"), b"t1", "lock after a wrong release")
    ttl = r.ttl("lock:a")
    check(0 < ttl <= 10, "TTL of the lock: %r" % ttl)
    expect(r.eval(RELEASE, 1, "lock:a", "t1"), 1, "release with the right token")
    expect(r.exists("lock:a"), 0, "lock after release")

    # The lock expires by itself (crashed holder).
    check(r.set("lock:b", "t", nx=True, px=100), "SET NX PX")
    time.sleep(0.25)
    check(r.set("lock:b", "t2", nx=True, ex=1), "an expired lock must be free again")

    # Mutual exclusion across processes.
    deadline = time.monotonic() + min(time_left(), 45)
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(i, deadline, out))
             for i in range(WORKERS)]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        try:
            results.append(out.get(timeout=max(1, deadline - time.monotonic() + 5)))
        except Exception:
            results.append("a worker did not report in time")
    for p in procs:
        p.join(timeout=5)
        if p.is_alive():
            p.kill()
    for res in results:
        if not isinstance(res, int):
            fail(res)
    expect(int(r.get("res")), WORKERS * ROUNDS, "counter guarded by the lock")
    expect(r.exists("lock:res"), 0, "lock left behind")

    # redis-py's Lock (SET NX PX, release and extend by registered scripts).
    lk = r.lock("lock:py", timeout=5, blocking_timeout=2)
    check(lk.acquire(), "redis-py Lock.acquire")
    other = client().lock("lock:py", timeout=5, blocking_timeout=0.1)
    check(not other.acquire(), "a second redis-py Lock must not acquire")
    check(lk.extend(5), "Lock.extend")
    check(4000 < r.pttl("lock:py") <= 10000, "PTTL after extend: %r" % r.pttl("lock:py"))
    lk.release()
    try:
        lk.release()
        fail("releasing twice must raise LockNotOwnedError")
    except redis.exceptions.LockError:
        pass
    check(other.acquire(), "the lock must be free after release")
    other.release()
    print("ok lock: %d increments by %d processes" % (WORKERS * ROUNDS, WORKERS))


if __name__ == "__main__":
    main()
