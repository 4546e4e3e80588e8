#!/usr/bin/python3
"""Write load for the AOF and crash suites (aof.bats, crash.bats).

    aof_writer.py PORT SECONDS ACKFILE [--counters N]

Sends INCR ctr:<i % N> and SET k:<n> <n> for SECONDS seconds (pipelined in
small batches) and records, after every acknowledged batch, the number of
acknowledged INCRs per counter and the highest acknowledged SET index, as one
line "acked <incrs...> sets <n>" rewritten in ACKFILE (write + rename, so a
kill of the server at any moment leaves a consistent file). Stops quietly
when the server goes away (the crash tests kill it).
"""
import os
import sys
import time

import redis


def main():
    port, seconds, ackfile = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    counters = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--counters" else 4
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    acked = [0] * counters
    sets = 0
    end = time.time() + seconds
    n = 0
    while time.time() < end:
        pipe = r.pipeline(transaction=False)
        batch = []
        for _ in range(20):
            c = n % counters
            pipe.incr("ctr:%d" % c)
            pipe.set("k:%d" % n, n)
            batch.append(c)
            n += 1
        try:
            replies = pipe.execute()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            break
        for i, c in enumerate(batch):
            if replies[2 * i] is not None:
                acked[c] = max(acked[c], replies[2 * i])
        sets = n
        tmp = ackfile + ".tmp"
        with open(tmp, "w") as f:
            f.write("acked %s sets %d\n" % (" ".join(map(str, acked)), sets))
        os.rename(tmp, ackfile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
