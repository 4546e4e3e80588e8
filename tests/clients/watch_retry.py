#!/usr/bin/python3
"""Optimistic locking under contention: several processes each add 1 to a
counter N times with WATCH / GET / MULTI / SET / EXEC, retrying when EXEC
fails (redis-py raises WatchError on the null reply).  The final counter
must be exact, and with this much contention some EXECs must have failed
(otherwise the test proved nothing).  Also runs redis-py's
Redis.transaction() helper, which retries the same way, on a second key."""
import multiprocessing
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kvclient import check, client, expect, fail, time_left  # noqa: E402

import redis  # noqa: E402

PROCS = 4
INCREMENTS = 200
MAX_RETRIES = 100000  # per process, a bound on the loop, never reached in practice


def worker(n, deadline, out):
    r = client()
    rnd = random.Random(n)
    retries = 0
    with r.pipeline() as p:
        for _ in range(INCREMENTS):
            while True:
                if time.monotonic() > deadline or retries > MAX_RETRIES:
                    out.put("process %d ran out of time/retries" % n)
                    return
                try:
                    p.watch("counter")
                    v = int(p.get("counter") or 0)
                    # A short pause now and then widens the race window.
                    if rnd.random() < 0.2:
                        time.sleep(0.0002)
                    p.multi()
                    p.set("counter", v + 1)
                    p.execute()
                    break
                except redis.WatchError:
                    retries += 1
    # The helper: transaction(func, *watches) retries on WatchError itself.
    def bump(pipe):
        v = int(pipe.get("counter2") or 0)
        pipe.multi()
        pipe.set("counter2", v + 1)
    for _ in range(INCREMENTS // 4):
        r.transaction(bump, "counter2")
    out.put((n, retries))


def main():
    r = client()
    r.delete("counter", "counter2")
    deadline = time.monotonic() + min(time_left() - 5, 50)
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(i, deadline, out)) for i in range(PROCS)]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        try:
            results.append(out.get(timeout=max(1, deadline - time.monotonic() + 5)))
        except Exception:
            results.append("a process did not report in time")
    for p in procs:
        p.join(timeout=5)
        if p.is_alive():
            p.kill()
    for res in results:
        if not isinstance(res, tuple):
            fail(res)
    total_retries = sum(x[1] for x in results)
    expect(int(r.get("counter")), PROCS * INCREMENTS, "counter after all increments")
    expect(int(r.get("counter2")), PROCS * (INCREMENTS // 4), "counter2 (transaction helper)")
    check(total_retries > 0, "no EXEC ever failed: the contention test proved nothing")
    print("ok watch_retry: %d increments, %d retries" % (PROCS * INCREMENTS, total_retries))


if __name__ == "__main__":
    main()
