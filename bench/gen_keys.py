#!/usr/bin/python3
"""Writes the RESP stream of the memory benchmark to stdout:
COUNT commands `SET key:NNNNNNNNNNNN value` (12-digit zero-padded key, value
of 3-10 bytes, deterministic), for `redis-cli --pipe`.

    gen_keys.py [COUNT=1000000]
"""
import random
import sys


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    rng = random.Random(42)
    alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789"
    out = sys.stdout.buffer
    chunk = []
    for i in range(1, count + 1):
        key = b"key:%012d" % i
        value = bytes(rng.choice(alphabet) for _ in range(rng.randint(3, 10)))
        chunk.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n"
                     % (len(key), key, len(value), value))
        if len(chunk) == 10000:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk))
    out.flush()


if __name__ == "__main__":
    main()
