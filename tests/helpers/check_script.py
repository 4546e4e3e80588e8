"""Runs a reply script against a server over one connection.

Usage: check_script.py PORT < SCRIPT

Each script line is "COMMAND ARGS => EXPECTED": the command in redis-cli
quoting, EXPECTED the whole reply escaped as resp_cmd prints it (\\r \\n \\\\
\\xHH). "@hello3" switches the connection to RESP3; "#" and blank lines are
skipped. Prints each mismatch and exits 1 if there was any.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resp  # noqa: E402


def main():
    conn = resp.Connection("127.0.0.1", int(sys.argv[1]))
    bad = 0
    for n, line in enumerate(sys.stdin.buffer.read().split(b"\n"), 1):
        s = line.strip()
        if not s or s.startswith(b"#"):
            continue
        if s == b"@hello3":
            conn.send(resp.encode_command([b"HELLO", b"3"]))
            conn.read_reply()
            continue
        cmd, sep, want = s.partition(b" => ")
        if not sep:
            print('line %d: no " => " in %r' % (n, s))
            bad += 1
            continue
        conn.send(resp.encode_command(resp.split_args(cmd)))
        got = resp.escape(conn.read_reply())
        if got != want.decode():
            print("line %d: %s\n  expected: %s\n  got:      %s"
                  % (n, cmd.decode("latin-1"), want.decode(), got))
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
