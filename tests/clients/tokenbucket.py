#!/usr/bin/python3
"""Token bucket in Lua: the bucket (tokens, last refill time) lives in a
hash; one EVAL refills by elapsed time, takes the requested tokens if there
are enough and returns {allowed, tokens left, ms until one token}.  The
caller passes the time, so the expected decisions are exact."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kvclient import check, client, expect  # noqa: E402

import redis  # noqa: E402

BUCKET = """
local capacity = tonumber(ARGV[1])
local per_sec  = tonumber(ARGV[2])
local now      = tonumber(ARGV[3])
local want     = tonumber(ARGV[4])
local state = redis.call("HMGET", KEYS[1], "tokens", "ts")
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil then
    tokens = capacity
    ts = now
end
if now > ts then
    tokens = math.min(capacity, tokens + (now - ts) * per_sec / 1000)
    ts = now
end
local allowed = 0
if tokens >= want then
    tokens = tokens - want
    allowed = 1
end
redis.call("HSET", KEYS[1], "tokens", tostring(tokens), "ts", ts)
redis.call("PEXPIRE", KEYS[1], math.ceil(capacity / per_sec * 1000) + 1000)
local wait = 0
if tokens < 1 then
    wait = math.ceil((1 - tokens) * 1000 / per_sec)
end
return {allowed, math.floor(tokens), wait, tostring(tokens)}
"""


def take(r, key, now, want=1, capacity=5, per_sec=10):
    return r.eval(BUCKET, 1, key, capacity, per_sec, now, want)


def main():
    r = client()
    r.flushdb()
    t = 50_000
    # A full bucket serves a burst of 5, then refuses.
    for i in range(5):
        expect(take(r, "tb:a", t)[:3], [1, 4 - i, 0 if i < 4 else 100], "burst request %d" % i)
    expect(take(r, "tb:a", t), [0, 0, 100, b"0"], "6th request of the burst")
    # 10 tokens/s: after 250 ms there are 2.5 tokens.
    expect(take(r, "tb:a", t + 250), [1, 1, 0, b"1.5"], "after 250 ms")
    expect(take(r, "tb:a", t + 250), [1, 0, 50, b"0.5"], "second token after 250 ms")
    expect(take(r, "tb:a", t + 250), [0, 0, 50, b"0.5"], "half a token is not enough")
    # Never more than the capacity, however long the idle time.
    expect(take(r, "tb:a", t + 3_600_000, want=5)[:2], [1, 0], "refilled to capacity")
    expect(take(r, "tb:a", t + 3_600_000)[0], 0, "capacity caps the refill")
    # Asking for more than the capacity is always refused.
    expect(take(r, "tb:b", t, want=6)[0], 0, "request above capacity")
    # State is visible as a hash with a TTL.
    h = r.hgetall("tb:a")
    check(set(h) == {b"tokens", b"ts"}, "bucket hash: %r" % h)
    check(0 < r.pttl("tb:a") <= 1500, "PTTL of the bucket: %r" % r.pttl("tb:a"))
    # The same script through EVALSHA.
    sha = r.script_load(BUCKET)
    expect(r.evalsha(sha, 1, "tb:c", 5, 10, t, 1)[:2], [1, 4], "EVALSHA of the bucket")
    # A wrong-type key: the error of redis.call surfaces as a script error.
    r.set("tb:str", "x")
    try:
        take(r, "tb:str", t)
        raise AssertionError("a string key must fail")
    except redis.ResponseError as e:
        check("WRONGTYPE" in str(e), "error for a string key: %r" % e)
    print("ok tokenbucket")


if __name__ == "__main__":
    main()
