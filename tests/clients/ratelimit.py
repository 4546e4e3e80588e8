#!/usr/bin/python3
"""Sliding-window rate limiter: one sorted set per caller holding the
timestamps of its requests; each request runs, as one MULTI/EXEC pipeline
(transaction=True), ZREMRANGEBYSCORE (drop what left the window), ZCARD
(count what is left), ZADD (record this request) and EXPIRE (let idle
callers vanish).  A request is allowed when the count was below the limit.
Checks the decisions, the window sliding, the TTL, that every pipeline went
out as a transaction (all-or-nothing replies) and that concurrent callers
never exceed the limit."""
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kvclient import check, client, expect, fail  # noqa: E402

LIMIT = 5
WINDOW_MS = 400


def hit(r, caller, now_ms=None):
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    key = "rl:" + caller
    p = r.pipeline(transaction=True)
    p.zremrangebyscore(key, 0, now_ms - WINDOW_MS)
    p.zcard(key)
    p.zadd(key, {"%d-%s" % (now_ms, uuid.uuid4().hex): now_ms})
    p.expire(key, (WINDOW_MS + 999) // 1000)
    removed, count, added, expire_set = p.execute()
    check(isinstance(removed, int) and added == 1 and expire_set is True,
          "pipeline replies: %r" % ([removed, count, added, expire_set],))
    return count < LIMIT


def main():
    r = client()
    r.flushdb()

    # Deterministic timestamps: a burst, then the window slides.
    t0 = 1_000_000
    got = [hit(r, "alice", t0 + i) for i in range(8)]
    expect(got, [True] * LIMIT + [False] * 3, "burst of 8 inside one window")
    expect(r.zcard("rl:alice"), 8, "denied requests are recorded too")
    check(0 < r.ttl("rl:alice") <= 1, "TTL of the window key: %r" % r.ttl("rl:alice"))
    # Later than the window after the whole burst: everything old is dropped.
    expect(hit(r, "alice", t0 + 7 + WINDOW_MS + 1), True, "after the window slid")
    expect(r.zcard("rl:alice"), 1, "old entries removed by ZREMRANGEBYSCORE")
    # Another caller is independent.
    expect(hit(r, "bob", t0), True, "another caller")

    # A transaction pipeline is all-or-nothing: a wrong-type key makes the
    # commands after the failing one still run (no rollback, as Redis).
    r.set("rl:mallory", "not a zset")
    try:
        hit(r, "mallory")
        fail("a pipeline on a string key must raise")
    except Exception as e:  # redis.ResponseError (WRONGTYPE)
        check("WRONGTYPE" in str(e), "unexpected error %r" % e)
    check(r.ttl("rl:mallory") > 0, "EXPIRE after the failed commands still ran")

    # Real time, several threads hammering one caller: never more than
    # LIMIT allowed within any window.
    r.delete("rl:shared")
    allowed = []
    lock = threading.Lock()

    def worker():
        c = client()
        for _ in range(20):
            ok = hit(c, "shared")
            if ok:
                with lock:
                    allowed.append(time.time())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
        if t.is_alive():
            fail("a worker thread hung")
    elapsed = time.time() - start
    windows = int(elapsed * 1000 // WINDOW_MS) + 1
    check(0 < len(allowed) <= LIMIT * (windows + 1),
          "%d allowed in %.2f s (limit %d per %d ms)" % (len(allowed), elapsed, LIMIT, WINDOW_MS))
    print("ok ratelimit: %d of 80 concurrent requests allowed in %.2f s" % (len(allowed), elapsed))


if __name__ == "__main__":
    main()
