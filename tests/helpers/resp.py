#!/usr/bin/python3
"""RESP2/RESP3 toolkit for the test suites (python3 standard library only).

Used two ways:

* as a module by tests/compat/compat.py (the differential runner): a reply
  *framer* that returns the exact bytes of one complete reply, a decoder to a
  tree (for unordered comparisons), the redis-cli argument splitter
  (sdssplitargs semantics) and escaping helpers;

* as a command-line tool by tests/helpers/kvd.bash (`resp_send`, `resp_cmd`):

    resp.py send --port P [--timeout S] [--idle S] [--first-idle S] [--replies N]
                 [--raw] [--closed]
        sends stdin verbatim, then prints what came back: one complete reply
        per line in escaped form (\\r \\n \\t \\\\ \\xHH), or the raw bytes with
        --raw.  Reading stops at the first of: N complete replies (--replies),
        the server closing the connection, no new byte for --idle seconds
        after the last one (default 0.3) or for --first-idle seconds after the
        send when nothing came back yet (default 1), --timeout seconds in all
        (default 3).
        With --closed a last line "<closed>" tells that the server closed the
        connection.  Exit status 0, or 2 when the connection was refused.

    resp.py cmd --port P [--timeout S] [--raw] ARG...
        sends ARG... as one multibulk command and prints the one reply.

Framing (see `reply_end`) walks the reply in pre-order keeping a count of
nodes still to read, so nesting needs no recursion.  Push messages ('>') are
replies like any other here; callers decide whether one is out of band.
"""

import argparse
import select
import socket
import sys
import time

LINE_TYPES = b"+-:_,(#"
BULK_TYPES = b"$=!"
ARRAY_TYPES = b"*~>"
MAP_TYPES = b"%|"

# Named limits on what a server may send us: a broken server must produce a
# clear error, not a runaway allocation in the test runner.
MAX_BULK_LEN = 1 << 32
MAX_AGGREGATE_LEN = 1 << 24


class ProtocolError(Exception):
    """The bytes are not valid RESP."""


class ReplyTimeout(Exception):
    """No complete reply arrived in time.  `partial` holds what did arrive."""

    def __init__(self, partial):
        super().__init__("timeout")
        self.partial = partial


class ConnectionClosed(Exception):
    """The peer closed the connection before a complete reply.  `partial`
    holds what did arrive."""

    def __init__(self, partial):
        super().__init__("connection closed")
        self.partial = partial


def _read_line(buf, pos):
    """Returns (line-without-CRLF, index after CRLF) or None if incomplete."""
    end = buf.find(b"\r\n", pos)
    if end < 0:
        return None
    return buf[pos:end], end + 2


def _parse_int(raw, what):
    try:
        return int(raw)
    except ValueError:
        raise ProtocolError("bad %s %r" % (what, raw)) from None


def reply_end(buf, pos=0):
    """Index just past the one complete reply starting at buf[pos], or -1 if
    buf holds only part of it.  Raises ProtocolError on malformed input.

    An attribute ('|') belongs to the reply that follows it, so the pair is
    framed as one reply."""
    remaining = 1
    while remaining > 0:
        if pos >= len(buf):
            return -1
        kind = buf[pos]
        got = _read_line(buf, pos + 1)
        if got is None:
            return -1
        line, pos = got
        remaining -= 1
        if kind in LINE_TYPES:
            continue
        if kind in BULK_TYPES:
            length = _parse_int(line, "bulk length")
            if length < 0:
                if kind != ord("$") or length != -1:
                    raise ProtocolError("bad bulk length %d" % length)
                continue
            if length > MAX_BULK_LEN:
                raise ProtocolError("bulk length %d over limit" % length)
            if len(buf) < pos + length + 2:
                return -1
            if buf[pos + length : pos + length + 2] != b"\r\n":
                raise ProtocolError("bulk not terminated by CRLF")
            pos += length + 2
            continue
        if kind in ARRAY_TYPES or kind in MAP_TYPES:
            count = _parse_int(line, "aggregate length")
            if count < 0:
                if kind != ord("*") or count != -1:
                    raise ProtocolError("bad aggregate length %d" % count)
                continue
            if count > MAX_AGGREGATE_LEN:
                raise ProtocolError("aggregate length %d over limit" % count)
            if kind in ARRAY_TYPES:
                remaining += count
            elif kind == ord("%"):
                remaining += 2 * count
            else:
                remaining += 2 * count + 1  # attribute map, then the reply
            continue
        raise ProtocolError("unknown reply type byte %r" % chr(kind))
    return pos


def split_replies(buf):
    """Splits a byte string into complete replies; returns (list, rest)."""
    replies = []
    pos = 0
    while pos < len(buf):
        end = reply_end(buf, pos)
        if end < 0:
            break
        replies.append(buf[pos:end])
        pos = end
    return replies, buf[pos:]


def decode(buf, pos=0, depth=0):
    """Decodes one complete reply into a tree: (type-char, payload) where the
    payload is bytes for scalars, None for nulls, a list of trees for arrays,
    sets and pushes, a list of (key, value) tree pairs for maps, and for an
    attribute ('|', (pairs, reply)).  Returns (tree, end)."""
    if depth > 512:
        raise ProtocolError("reply nested too deeply")
    kind = chr(buf[pos])
    line, pos = _read_line(buf, pos + 1)
    if kind.encode() in LINE_TYPES:
        return (kind, line), pos
    if kind.encode() in BULK_TYPES:
        length = int(line)
        if length < 0:
            return (kind, None), pos
        return (kind, buf[pos : pos + length]), pos + length + 2
    count = int(line)
    if count < 0:
        return (kind, None), pos
    if kind.encode() in ARRAY_TYPES:
        items = []
        for _ in range(count):
            item, pos = decode(buf, pos, depth + 1)
            items.append(item)
        return (kind, items), pos
    pairs = []
    for _ in range(count):
        key, pos = decode(buf, pos, depth + 1)
        value, pos = decode(buf, pos, depth + 1)
        pairs.append((key, value))
    if kind == "|":
        reply, pos = decode(buf, pos, depth + 1)
        return (kind, (pairs, reply)), pos
    return (kind, pairs), pos


def unordered(tree):
    """Canonical form of a decoded tree in which every array, set, push and
    map, at any depth, is compared as a multiset."""
    kind, payload = tree
    if payload is None or isinstance(payload, bytes):
        return tree
    if kind == "|":
        pairs, reply = payload
        return (kind, (sorted((repr(unordered(k)), repr(unordered(v))) for k, v in pairs),
                       unordered(reply)))
    if kind in "%":
        return (kind, sorted((repr(unordered(k)), repr(unordered(v))) for k, v in payload))
    return (kind, sorted(repr(unordered(item)) for item in payload))


def encode_command(args):
    """Multibulk encoding of a command; args are bytes or str."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


_HEX = b"0123456789abcdefABCDEF"
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
            ord("a"): b"\a"}


def split_args(line):
    """Splits a redis-cli command line into arguments (list of bytes) with
    the semantics of Redis's sdssplitargs(): whitespace separates, "double
    quotes" understand \\n \\r \\t \\b \\a \\xHH and \\<any char>, 'single
    quotes' understand only \\', and a closing quote must be followed by
    whitespace or the end of the line.  Raises ValueError where Redis would
    return NULL (unbalanced quotes)."""
    if isinstance(line, str):
        line = line.encode()
    p = 0
    n = len(line)
    args = []
    while True:
        while p < n and line[p] in b" \t\n\r\v\f":
            p += 1
        if p >= n:
            return args
        in_double = in_single = False
        current = bytearray()
        while True:
            c = line[p] if p < n else 0
            nxt = line[p + 1] if p + 1 < n else 0
            if in_double:
                if (c == ord("\\") and nxt == ord("x") and p + 3 < n
                        and line[p + 2] in _HEX and line[p + 3] in _HEX):
                    current.append(int(line[p + 2 : p + 4], 16))
                    p += 3
                elif c == ord("\\") and nxt:
                    p += 1
                    current += _ESCAPES.get(nxt, bytes([nxt]))
                elif c == ord('"'):
                    if nxt and nxt not in b" \t\n\r\v\f":
                        raise ValueError("closing quote must be followed by a space")
                    p += 1
                    break
                elif p >= n:
                    raise ValueError("unbalanced quotes")
                else:
                    current.append(c)
            elif in_single:
                if c == ord("\\") and nxt == ord("'"):
                    p += 1
                    current.append(ord("'"))
                elif c == ord("'"):
                    if nxt and nxt not in b" \t\n\r\v\f":
                        raise ValueError("closing quote must be followed by a space")
                    p += 1
                    break
                elif p >= n:
                    raise ValueError("unbalanced quotes")
                else:
                    current.append(c)
            else:
                if p >= n or c in b" \n\r\t\0":
                    break
                if c == ord('"'):
                    in_double = True
                elif c == ord("'"):
                    in_single = True
                else:
                    current.append(c)
            p += 1
        args.append(bytes(current))


def unescape(text):
    """Bytes of a string written with the double-quote escapes of
    split_args (\\r \\n \\t \\b \\a \\xHH \\\\ \\"), without surrounding
    quotes.  Used for raw protocol bytes in scripts and helpers."""
    if isinstance(text, str):
        text = text.encode()
    out = bytearray()
    p = 0
    n = len(text)
    while p < n:
        c = text[p]
        if c == ord("\\") and p + 1 < n:
            nxt = text[p + 1]
            if nxt == ord("x") and p + 3 < n and text[p + 2] in _HEX and text[p + 3] in _HEX:
                out.append(int(text[p + 2 : p + 4], 16))
                p += 4
                continue
            out += _ESCAPES.get(nxt, bytes([nxt]))
            p += 2
            continue
        out.append(c)
        p += 1
    return bytes(out)


def escape(data):
    """Printable one-line form of bytes: the inverse of unescape()."""
    out = []
    for b in data:
        if b == 0x0D:
            out.append("\\r")
        elif b == 0x0A:
            out.append("\\n")
        elif b == 0x09:
            out.append("\\t")
        elif b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


# Bytes that need no quoting in redis-cli syntax.
SAFE = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:+*?[]^/@=,;!%&()<>{}|~$#")


def quote(arg):
    """One argument in redis-cli syntax: the inverse of split_args()."""
    data = arg.encode("latin-1") if isinstance(arg, str) else arg
    if data and all(b in SAFE for b in data):
        return data.decode("latin-1")
    out = ['"']
    for b in data:
        if b == 0x22:
            out.append('\\"')
        elif b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    out.append('"')
    return "".join(out)


class Connection:
    """A blocking TCP connection with a receive buffer and per-reply
    deadlines.  Not thread-safe."""

    def __init__(self, host, port, connect_timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=connect_timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.closed = False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        """Reads more bytes into the buffer; returns False on timeout.
        Raises ConnectionClosed when the peer closed."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.sock], [], [], remaining)
        if not ready:
            return False
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            chunk = b""
        if not chunk:
            self.closed = True
            raise ConnectionClosed(self.buf)
        self.buf += chunk
        return True

    def read_reply(self, timeout=5.0):
        """Exact bytes of the next complete reply.  Raises ReplyTimeout,
        ConnectionClosed or ProtocolError (the buffer is kept as is)."""
        deadline = time.monotonic() + timeout
        while True:
            end = reply_end(self.buf)
            if end >= 0:
                reply, self.buf = self.buf[:end], self.buf[end:]
                return reply
            if not self._fill(deadline):
                raise ReplyTimeout(self.buf)

    def has_pending(self, wait=0.02):
        """True if bytes are buffered or arrive within `wait` seconds."""
        if self.buf:
            return True
        try:
            return self._fill(time.monotonic() + wait)
        except ConnectionClosed:
            return False

    def read_until_quiet(self, idle=0.3, first_idle=1.0, timeout=5.0):
        """Everything that arrives until the peer closes, or no byte comes for
        `idle` seconds after the last one (`first_idle` before the first), or
        `timeout` seconds in all.  Returns (bytes, closed)."""
        start = time.monotonic()
        got_any = bool(self.buf)
        while True:
            now = time.monotonic()
            wait = idle if got_any else first_idle
            deadline = min(now + wait, start + timeout)
            try:
                if not self._fill(deadline):
                    break
                got_any = True
            except ConnectionClosed:
                break
        data, self.buf = self.buf, b""
        return data, self.closed


def _cli_send(opts, payload):
    try:
        conn = Connection(opts.host, opts.port)
    except OSError as err:
        print("resp.py: cannot connect to %s:%d: %s" % (opts.host, opts.port, err),
              file=sys.stderr)
        return 2
    conn.send(payload)
    data = b""
    closed = False
    start = time.monotonic()
    if opts.replies:
        count = 0
        while count < opts.replies:
            left = opts.timeout - (time.monotonic() - start)
            try:
                reply = conn.read_reply(max(left, 0.0))
            except (ReplyTimeout, ConnectionClosed) as err:
                data += err.partial
                conn.buf = b""
                closed = isinstance(err, ConnectionClosed)
                break
            data += reply
            count += 1
    else:
        data, closed = conn.read_until_quiet(opts.idle, opts.first_idle, opts.timeout)
    conn.close()
    if opts.raw:
        sys.stdout.buffer.write(data)
    else:
        try:
            replies, rest = split_replies(data)
        except ProtocolError:
            replies, rest = [], data
        for reply in replies:
            print(escape(reply))
        if rest:
            print(escape(rest))
    if opts.closed and closed:
        print("<closed>")
    sys.stdout.flush()
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description="send RESP to a server, print replies")
    sub = parser.add_subparsers(dest="mode", required=True)
    for name in ("send", "cmd"):
        p = sub.add_parser(name)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--timeout", type=float, default=3.0)
        p.add_argument("--idle", type=float, default=0.3)
        p.add_argument("--first-idle", type=float, default=1.0)
        p.add_argument("--replies", type=int, default=0)
        p.add_argument("--raw", action="store_true")
        p.add_argument("--closed", action="store_true")
        if name == "cmd":
            p.add_argument("args", nargs="+")
    opts = parser.parse_args(argv)
    if opts.mode == "cmd":
        opts.replies = 1
        payload = encode_command([a.encode("utf-8", "surrogateescape") for a in opts.args])
    else:
        payload = sys.stdin.buffer.read()
    return _cli_send(opts, payload)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
