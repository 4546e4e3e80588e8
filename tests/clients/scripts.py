#!/usr/bin/python3
"""redis-py's register_script: the Script object calls EVALSHA and, on a
NOSCRIPT error, loads the script (SCRIPT LOAD) and retries — so it keeps
working after SCRIPT FLUSH.  Also inside a pipeline (redis-py checks SCRIPT
EXISTS and loads missing scripts before sending the pipeline) and inside a
MULTI/EXEC pipeline."""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kvclient import check, client, expect  # noqa: E402

import redis  # noqa: E402

INCR_BY = """
local v = redis.call("INCRBY", KEYS[1], ARGV[1])
return {v, KEYS[1], "done"}
"""


def main():
    r = client()
    r.flushdb()
    r.script_flush()
    s = r.register_script(INCR_BY)
    expect(s.sha, hashlib.sha1(INCR_BY.encode()).hexdigest(), "SHA1 of the script")
    expect(r.script_exists(s.sha), [False], "not loaded before the first call")
    # First call: EVALSHA → NOSCRIPT → SCRIPT LOAD → EVALSHA.
    expect(s(keys=["n"], args=[5]), [5, b"n", b"done"], "first call")
    expect(r.script_exists(s.sha), [True], "loaded by the fallback")
    expect(s(keys=["n"], args=[2]), [7, b"n", b"done"], "second call (EVALSHA)")
    # The raw error the fallback relies on.
    r.script_flush()
    try:
        r.evalsha(s.sha, 1, "n", 1)
        raise AssertionError("EVALSHA after SCRIPT FLUSH must fail")
    except redis.exceptions.NoScriptError as e:
        check("NOSCRIPT" in str(e) or "No matching script" in str(e), "error text: %r" % e)
    expect(s(keys=["n"], args=[1]), [8, b"n", b"done"], "call after SCRIPT FLUSH")
    r.script_flush("SYNC")
    expect(s(keys=["n"], args=[1]), [9, b"n", b"done"], "call after SCRIPT FLUSH SYNC")

    # Pipelines (plain and transactional) load missing scripts first.
    for transaction in (False, True):
        r.script_flush()
        p = r.pipeline(transaction=transaction)
        s(keys=["m"], args=[1], client=p)
        p.get("m")
        s(keys=["m"], args=[10], client=p)
        expect(p.execute(), [[1, b"m", b"done"], b"1", [11, b"m", b"done"]],
               "pipeline transaction=%s" % transaction)
        r.delete("m")

    # Script errors surface as ResponseError, the script stays loaded.
    bad = r.register_script("return redis.call('INCR', KEYS[1])")
    r.set("str", "abc")
    try:
        bad(keys=["str"])
        raise AssertionError("INCR of a non-integer must fail")
    except redis.ResponseError as e:
        check("not an integer" in str(e), "error text: %r" % e)
    expect(r.script_exists(bad.sha, s.sha), [True, True], "both scripts loaded")
    print("ok scripts")


if __name__ == "__main__":
    main()
