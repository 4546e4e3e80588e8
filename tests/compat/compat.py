#!/usr/bin/python3
"""Differential compatibility runner: the same command scripts sent to Redis
7.0 (the oracle) and to kvd, every reply compared byte for byte.

Usage:
    compat.py [--kvd PATH] [--redis PATH] [--exceptions FILE] [--timeout S]
              [--max-report N] [--verbose] SCRIPT...

Both servers are started by this runner, each on a free 127.0.0.1 port in a
temp dir of its own, with identical options:
    --port P --bind 127.0.0.1 --save '' --appendonly no
    --enable-debug-command yes --dir D --logfile D/server.log

Script format (one command per line, redis-cli syntax):
    # comment                 blank lines and '#' lines are skipped
    SET k "a b\\x00"           split like redis-cli / sdssplitargs: "double
                              quotes" with \\n \\r \\t \\b \\a \\\\ \\" \\xHH,
                              'single quotes' with \\'; sent as a multibulk
    @sort                     next command: compare arrays/sets/maps at every
                              depth as multisets (KEYS, SMEMBERS, SCAN ...)
    @approx N                 next command: integers may differ by up to N
                              (TTL, PTTL, EXPIRETIME after a relative EXPIRE)
    @skip-reply-compare WHY   next command: only the reply type must match
                              (RANDOMKEY, TIME, CLIENT ID ...)
    @sleep MS                 sleep MS milliseconds
    @raw BYTES                send BYTES (escaped as inside double quotes, no
                              quotes needed) verbatim, then read until the
                              server closes or goes quiet; compares all bytes
                              received and whether the connection was closed
                              (a closed connection is reopened)
    @reconnect                open fresh connections (RESP2, db 0); closes
                              the extra ones of @conn and makes 0 current
    @hello3                   HELLO 3 on both connections (reply compared)
    @conn N                   make connection N (0-9) the current one: the
                              commands that follow go through it (pairs of
                              connections, one per server, opened on first
                              use: RESP2, db 0); each script starts on 0
    @replies N                next command: read and compare N replies
                              (SUBSCRIBE a b answers once per channel)
    @read [MS]                read one more reply (a Pub/Sub message, a
                              MONITOR line ...) from the current connection
                              of both servers and compare; waits up to MS
                              milliseconds (default 1000) and "no reply" on
                              both sides is a match

Before each script both servers get FLUSHALL on fresh connections.  Replies
are compared after masking what differs by construction: the "id" field of a
HELLO reply, each server's own dir (anywhere) and port (in CONFIG, INFO,
CLIENT, HELLO and ROLE replies), by placeholders of equal length.

Exceptions file lines (two or more spaces, or a tab, before the reason):
    strings.txt:42  reason          one line of one script
    command NAME  reason            every line running command NAME (or
                                    NAME|SUBCOMMAND, e.g. command|count)
Excepted mismatches are listed but do not fail the run.

Output: one line per script (ok / FAIL), the details of each mismatch
(script:line, command, both replies), the excepted items used, and the
closing line "compat: N passed, N failed" counting scripts.  Exit status 0
when every script passed, 1 otherwise, 2 when the servers could not start.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
import resp  # noqa: E402  (tests/helpers/resp.py)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

# Consecutive reply timeouts after which a script is abandoned (a hung
# server must not make the run last timeout x lines).
MAX_CONSECUTIVE_TIMEOUTS = 3
START_TIMEOUT = 10.0
PORT_MASKED_COMMANDS = {b"CONFIG", b"INFO", b"CLIENT", b"HELLO", b"ROLE"}


def free_port():
    """A port in 10000-22767 that, with port+10000, is free right now.
    Always five digits, so masked replies keep equal lengths."""
    import random

    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randint(10000, 22767)
        ok = True
        for p in (port, port + 10000):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                ok = False
            finally:
                s.close()
            if not ok:
                break
        if ok:
            return port
    raise RuntimeError("no free port found")


class Server:
    """One server process (redis-server or kvd) in its own temp dir."""

    def __init__(self, label, binary, tag):
        self.label = label
        self.binary = binary
        # Equal-length dir names for both servers: replies that contain the
        # (masked) dir then keep equal bulk lengths.
        self.dir = os.path.realpath(tempfile.mkdtemp(prefix="kvcompat-%s-" % tag))
        self.proc = None
        self.port = None

    def start(self):
        """Starts the server and waits for PING; retries on another port if
        the chosen one was taken meanwhile.  Raises RuntimeError."""
        last = ""
        for _ in range(5):
            self.port = free_port()
            args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
                    "--dir", self.dir, "--logfile", os.path.join(self.dir, "server.log")]
            out = open(os.path.join(self.dir, "stdout.log"), "ab")
            try:
                self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)
            finally:
                out.close()
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                if self.ping():
                    return
                time.sleep(0.05)
            last = self.log_tail()
            self.stop()
        raise RuntimeError("%s (%s) did not start:\n%s" % (self.label, self.binary, last))

    def ping(self):
        try:
            conn = resp.Connection("127.0.0.1", self.port, connect_timeout=1.0)
        except OSError:
            return False
        try:
            conn.send(resp.encode_command([b"PING"]))
            return conn.read_reply(1.0) == b"+PONG\r\n"
        except (OSError, resp.ReplyTimeout, resp.ConnectionClosed, resp.ProtocolError):
            return False
        finally:
            conn.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines=8):
        """The last lines of the server's log and output, plus the lines that
        look like the cause of a crash (signal, assertion, sanitizer)."""
        text = []
        cause = re.compile(r"crashed by signal|signal \d|ASSERTION|Assertion|assert|"
                           r"AddressSanitizer|runtime error|panic|FATAL|Segmentation")
        for name in ("server.log", "stdout.log"):
            path = os.path.join(self.dir, name)
            try:
                with open(path, "rb") as f:
                    data = f.read().decode("utf-8", "replace").splitlines()
            except OSError:
                continue
            if data:
                text.append("--- %s %s" % (self.label, name))
                causes = [l for l in data[:-lines] if cause.search(l)][:6]
                text.extend(l[:200] for l in causes)
                if causes:
                    text.append("...")
                text.extend(l[:200] for l in data[-lines:])
        return "\n".join(text)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def cleanup(self, keep=False):
        self.stop()
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self):
        return resp.Connection("127.0.0.1", self.port)

    def mask(self, reply, command):
        """Replaces what differs between the servers by construction with
        placeholders of the same length, so the reply still decodes."""
        path = self.dir.encode()
        reply = reply.replace(path, b"<DIR" + b"_" * (len(path) - 5) + b">")
        if command in PORT_MASKED_COMMANDS:
            reply = re.sub(rb"(?<![0-9])%d(?![0-9])" % self.port, b"<PRT>", reply)
        return reply


class Exceptions:
    """The exceptions file: per-line and per-command allowances."""

    def __init__(self, path):
        self.lines = {}
        self.commands = {}
        self.used = {}
        if not path or not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            for number, raw in enumerate(f, 1):
                text = raw.strip()
                if not text or text.startswith("#"):
                    continue
                parts = re.split(r"\t+|\s{2,}", text, maxsplit=1)
                key = parts[0]
                reason = parts[1].strip() if len(parts) > 1 else "(no reason given)"
                if key.lower().startswith("command "):
                    name = key.split(None, 1)[1].strip().lower()
                    self.commands[name] = reason
                elif re.match(r"^[^:\s]+:\d+$", key):
                    self.lines[key] = reason
                else:
                    print("exceptions: %s:%d: cannot parse %r" % (path, number, text),
                          file=sys.stderr)

    def match(self, where, args):
        """The reason if the mismatch at `where` running `args` is excepted."""
        if where in self.lines:
            self.used[where] = self.lines[where]
            return self.lines[where]
        if args:
            name = args[0].decode("utf-8", "replace").lower()
            keys = [name]
            if len(args) > 1:
                keys.insert(0, name + "|" + args[1].decode("utf-8", "replace").lower())
            for key in keys:
                if key in self.commands:
                    self.used["command " + key] = self.commands[key]
                    return self.commands[key]
        return None


def show(data, limit=600):
    text = repr(data)
    if len(text) > limit:
        text = text[:limit] + "... (%d bytes)" % len(data)
    return text


def ints_close(a, b, tolerance):
    """Trees equal except integer leaves, which may differ by tolerance."""
    if a[0] != b[0]:
        return False
    if a[0] == ":":
        try:
            return abs(int(a[1]) - int(b[1])) <= tolerance
        except ValueError:
            return a[1] == b[1]
    if isinstance(a[1], list) and isinstance(b[1], list):
        if len(a[1]) != len(b[1]):
            return False
        for x, y in zip(a[1], b[1]):
            if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], tuple):
                if not (ints_close(x[0], y[0], tolerance) and ints_close(x[1], y[1], tolerance)):
                    return False
            elif not ints_close(x, y, tolerance):
                return False
        return True
    return a == b


class ScriptAbort(Exception):
    pass


class Runner:
    def __init__(self, servers, exceptions, timeout, max_report, verbose):
        self.servers = servers          # [redis, kvd]
        self.exceptions = exceptions
        self.timeout = timeout
        self.max_report = max_report
        self.verbose = verbose
        self.conns = [None, None]       # the current pair (see @conn)
        self.pool = {}                  # @conn number -> pair, current one excluded
        self.current = 0
        self.excepted = []              # (where, command, reason)
        self.reconnect_later = False

    # -- connections ---------------------------------------------------

    def close_pool(self):
        """Closes every @conn pair but the current one and makes the current
        one number 0."""
        for pair in self.pool.values():
            for conn in pair:
                if conn is not None:
                    conn.close()
        self.pool = {}
        self.current = 0

    def switch_conn(self, number):
        """@conn: parks the current pair and makes pair `number` current."""
        if number == self.current:
            return
        self.pool[self.current] = self.conns
        self.conns = self.pool.pop(number, None) or [None, None]
        self.current = number
        for i in (0, 1):
            if self.conns[i] is None:
                self.conns[i] = self.servers[i].connect()

    def reconnect(self, which=(0, 1)):
        for i in which:
            if self.conns[i] is not None:
                self.conns[i].close()
            self.conns[i] = self.servers[i].connect()

    def ensure_alive(self, where):
        """Restarts every server that died; then raises ScriptAbort naming
        them (the script's state is lost)."""
        dead = []
        for server in self.servers:
            if not server.alive():
                # A dying server may still be flushing; give it a moment.
                time.sleep(0.1)
                code = server.proc.poll() if server.proc else None
                dead.append("%s died at %s (exit status %s, restarted)\n%s"
                            % (server.label, where, code, server.log_tail()))
                server.stop()
                server.start()
        if dead:
            self.reconnect()
            raise ScriptAbort("\n".join(dead))

    def read_one(self, i, deadline):
        """One reply from connection i as (bytes, error-string-or-None),
        waiting until `deadline` (time.monotonic()) at most: both servers
        share the deadline of a command, so neither gets extra time.  A push
        message followed at once by more data is joined with the reply after
        it (RESP3 out-of-band push before the real reply)."""
        conn = self.conns[i]
        try:
            reply = conn.read_reply(max(deadline - time.monotonic(), 0.0))
            for _ in range(16):
                if not reply.startswith(b">") or not conn.has_pending(0.02):
                    break
                reply += conn.read_reply(max(deadline - time.monotonic(), 0.05))
            return reply, None
        except resp.ReplyTimeout as err:
            self.reconnect([i])
            return err.partial, "timeout after %.0fs" % self.timeout
        except resp.ConnectionClosed as err:
            self.reconnect_later = True
            return err.partial, "connection closed"
        except resp.ProtocolError as err:
            partial = conn.buf
            self.reconnect([i])
            return partial, "bad RESP: %s" % err

    # -- one script ----------------------------------------------------

    def run_script(self, path):
        """Returns (commands run, [mismatch dicts])."""
        name = os.path.basename(path)
        mismatches = []
        count = 0
        timeouts = 0
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
        try:
            self.close_pool()
            self.reconnect()
            for i in (0, 1):
                self.conns[i].send(resp.encode_command([b"FLUSHALL"]))
            deadline = time.monotonic() + self.timeout
            for i in (0, 1):
                reply, err = self.read_one(i, deadline)
                if reply != b"+OK\r\n":
                    mismatches.append(self.mismatch(name + ":0", "FLUSHALL (setup)",
                                                    None, None, None,
                                                    "setup FLUSHALL failed on %s: %r %s"
                                                    % (self.servers[i].label, reply, err or "")))
                    return count, mismatches
            mods = {}
            for number, raw in enumerate(lines, 1):
                where = "%s:%d" % (name, number)
                line = raw.rstrip(b"\r").strip()
                if not line or line.startswith(b"#"):
                    continue
                if line.startswith(b"@"):
                    directive, _, rest = line[1:].partition(b" ")
                    directive = directive.decode("utf-8", "replace")
                    rest = rest.strip()
                    if directive in ("approx", "sleep", "conn", "replies", "read") and \
                            not re.fullmatch(rb"\d*", rest):
                        mismatches.append(self.mismatch(where, line.decode("utf-8", "replace"),
                                                        None, None, None,
                                                        "script error: @%s needs a number"
                                                        % directive))
                        continue
                    if directive == "sort":
                        mods["sort"] = True
                    elif directive == "approx":
                        mods["approx"] = int(rest or b"1")
                    elif directive == "skip-reply-compare":
                        mods["skip"] = rest.decode("utf-8", "replace") or "(no reason)"
                    elif directive == "sleep":
                        time.sleep(int(rest or b"0") / 1000.0)
                    elif directive == "reconnect":
                        self.close_pool()
                        self.reconnect()
                    elif directive == "conn":
                        if not rest or int(rest) > 9:
                            mismatches.append(self.mismatch(
                                where, line.decode("utf-8", "replace"), None, None, None,
                                "script error: @conn needs a number 0-9"))
                        else:
                            self.switch_conn(int(rest))
                    elif directive == "replies":
                        mods["replies"] = int(rest or b"1")
                    elif directive == "read":
                        count += 1
                        m = self.compare_read(where, int(rest or b"1000"))
                        if m:
                            mismatches.append(m)
                    elif directive == "hello3":
                        count += 1
                        m = self.compare(where, [b"HELLO", b"3"], mods)
                        if m:
                            mismatches.append(m)
                    elif directive == "raw":
                        count += 1
                        m = self.compare_raw(where, rest)
                        if m:
                            mismatches.append(m)
                    else:
                        mismatches.append(self.mismatch(where, line.decode("utf-8", "replace"),
                                                        None, None, None,
                                                        "unknown directive @%s" % directive))
                    if directive not in ("sort", "approx", "skip-reply-compare", "replies"):
                        mods = {}
                    continue
                try:
                    args = resp.split_args(line)
                except ValueError as err:
                    mismatches.append(self.mismatch(where, line.decode("utf-8", "replace"),
                                                    None, None, None,
                                                    "script error: %s" % err))
                    mods = {}
                    continue
                count += 1
                m = self.compare(where, args, mods)
                mods = {}
                if m:
                    mismatches.append(m)
                    if m.get("timeout"):
                        timeouts += 1
                        if timeouts >= MAX_CONSECUTIVE_TIMEOUTS:
                            raise ScriptAbort("%d consecutive timeouts, script abandoned at %s"
                                              % (timeouts, where))
                    else:
                        timeouts = 0
                else:
                    timeouts = 0
        except ScriptAbort as err:
            mismatches.append(self.mismatch(name, "(script aborted)", None, None, None, str(err)))
        except OSError as err:
            try:
                self.ensure_alive(name)
                note = "connection error: %s" % err
            except ScriptAbort as abort:
                note = str(abort)
            mismatches.append(self.mismatch(name, "(script aborted)", None, None, None, note))
        return count, mismatches

    def mismatch(self, where, command, replies, errors, args, note=""):
        """A mismatch record, excepted if the exceptions file lists its line
        or its command (@raw lines count as the command "@raw")."""
        if args is None:
            args = [b"@raw"] if command.startswith("@raw") else []
        reason = self.exceptions.match(where, args)
        if reason is not None:
            self.excepted.append((where, command, reason))
        return {"where": where, "command": command, "replies": replies, "errors": errors,
                "note": note, "excepted": reason is not None, "timeout": bool(
                    errors and any(e and e.startswith("timeout") for e in errors))}

    def send_both(self, data):
        for i in (0, 1):
            try:
                self.conns[i].send(data)
            except OSError:
                # Closed by the server (QUIT, CLIENT KILL, protocol error ...):
                # reopen and send again.
                self.reconnect([i])
                self.conns[i].send(data)

    def compare(self, where, args, mods):
        command_text = " ".join(resp.escape(a) if re.fullmatch(rb"[\x21-\x7e]+", a)
                                else '"%s"' % resp.escape(a) for a in args)
        self.reconnect_later = False
        self.send_both(resp.encode_command(args))
        replies, errors = [], []
        deadline = time.monotonic() + self.timeout
        for i in (0, 1):
            reply, err = self.read_one(i, deadline)
            # @replies N: the N-1 replies that follow belong to this command.
            for _ in range(mods.get("replies", 1) - 1):
                if err:
                    break
                more, err = self.read_one(i, deadline)
                reply += more
            replies.append(reply)
            errors.append(err)
        name = args[0].upper() if args else b""
        if self.verbose:
            print("  %s %s\n    redis: %s\n    kvd:   %s" % (where, command_text,
                                                           show(replies[0]), show(replies[1])))
        if self.reconnect_later or name in (b"QUIT", b"RESET"):
            self.ensure_alive(where)
            self.reconnect()
        if errors[0] or errors[1]:
            if errors[0] == errors[1] and replies[0] == replies[1]:
                return None
            return self.mismatch(where, command_text, replies, errors, args)
        masked = [self.servers[i].mask(replies[i], name) for i in (0, 1)]
        if name == b"HELLO":
            masked = [re.sub(rb"(\$2\r\nid\r\n):\d+\r\n", rb"\1:<ID>\r\n", m) for m in masked]
        if masked[0] == masked[1]:
            return None
        try:
            if "skip" in mods:
                if masked[0][:1] == masked[1][:1]:
                    return None
            elif "sort" in mods or "approx" in mods:
                trees = [resp.decode(m)[0] for m in masked]
                if "sort" in mods:
                    trees = [resp.unordered(t) for t in trees]
                if "approx" in mods:
                    if ints_close(trees[0], trees[1], mods["approx"]):
                        return None
                elif trees[0] == trees[1]:
                    return None
        except (resp.ProtocolError, ValueError, IndexError, TypeError) as err:
            return self.mismatch(where, command_text, replies, errors, args,
                                 "cannot decode for comparison: %s" % err)
        note = "reply types differ (compare skipped: %s)" % mods["skip"] if "skip" in mods else ""
        return self.mismatch(where, command_text, replies, errors, args, note)

    def compare_read(self, where, wait_ms):
        """@read: one reply that arrives without a command of its own."""
        got = [None, None]
        for i in (0, 1):
            try:
                got[i] = self.conns[i].read_reply(wait_ms / 1000.0)
            except resp.ReplyTimeout as err:
                got[i] = err.partial + b"<no reply>" if err.partial else b"<no reply>"
            except resp.ConnectionClosed as err:
                got[i] = err.partial + b"<closed>"
                self.reconnect([i])
        if self.verbose:
            print("  %s @read\n    redis: %s\n    kvd:   %s" % (where, show(got[0]), show(got[1])))
        masked = [self.servers[i].mask(got[i], b"") for i in (0, 1)]
        if masked[0] == masked[1]:
            return None
        return self.mismatch(where, "@read", got, [None, None], [b"@read"])

    def compare_raw(self, where, escaped):
        data = resp.unescape(escaped)
        command_text = "@raw " + escaped.decode("utf-8", "replace")
        self.send_both(data)
        got = [None, None]

        def drain(i):
            got[i] = self.conns[i].read_until_quiet(idle=0.25, first_idle=1.0,
                                                    timeout=self.timeout)

        # Both servers are drained at once: each waits for a quiet period.
        threads = [threading.Thread(target=drain, args=(i,), daemon=True) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if got[0][1] or got[1][1]:
            self.ensure_alive(where)
            self.reconnect([i for i in (0, 1) if got[i][1]])
        if self.verbose:
            print("  %s %s\n    redis: %s%s\n    kvd:   %s%s"
                  % (where, command_text, show(got[0][0]), " <closed>" if got[0][1] else "",
                     show(got[1][0]), " <closed>" if got[1][1] else ""))
        masked = [self.servers[i].mask(got[i][0], b"") for i in (0, 1)]
        if masked[0] == masked[1] and got[0][1] == got[1][1]:
            return None
        replies = [got[i][0] + (b" <closed>" if got[i][1] else b"") for i in (0, 1)]
        return self.mismatch(where, command_text, replies, [None, None], None)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kvd", default=os.environ.get("KVD_SERVER") or os.path.join(
        os.environ.get("KV_BIN") or os.path.join(REPO, "bin"), "kvd"))
    parser.add_argument("--redis", default=os.environ.get("COMPAT_REDIS", "/usr/bin/redis-server"))
    parser.add_argument("--exceptions", default=os.path.join(HERE, "exceptions.txt"))
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per reply")
    parser.add_argument("--max-report", type=int, default=20,
                        help="mismatches detailed per script")
    parser.add_argument("--keep", action="store_true", help="keep the servers' temp dirs")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("scripts", nargs="+")
    opts = parser.parse_args(argv)

    # SIGTERM (a CI timeout, run.sh interrupted) unwinds like Ctrl-C, so the
    # `finally` below stops both servers and removes their dirs.
    def terminate(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, terminate)

    exceptions = Exceptions(opts.exceptions)
    redis = Server("redis", opts.redis, "r")
    kvd = Server("kvd", opts.kvd, "k")
    servers = [redis, kvd]
    passed = failed = 0
    status = 0
    try:
        for server in servers:
            if not (os.path.isfile(server.binary) and os.access(server.binary, os.X_OK)):
                raise RuntimeError("%s: no executable at %s" % (server.label, server.binary))
            server.start()
        print("compat: redis=%s (port %d) vs kvd=%s (port %d)"
              % (redis.binary, redis.port, kvd.binary, kvd.port))
        runner = Runner(servers, exceptions, opts.timeout, opts.max_report, opts.verbose)
        for path in opts.scripts:
            name = os.path.basename(path)
            start = time.monotonic()
            count, mismatches = runner.run_script(path)
            real = [m for m in mismatches if not m["excepted"]]
            took = time.monotonic() - start
            if real:
                failed += 1
                print("FAIL %s (%d commands, %d mismatches, %d excepted, %.1fs)"
                      % (name, count, len(real), len(mismatches) - len(real), took))
                for m in real[: opts.max_report]:
                    print("  %s: %s" % (m["where"], m["command"]))
                    if m["note"]:
                        for line in m["note"].splitlines():
                            print("      %s" % line)
                    if m["replies"] is not None:
                        for i, label in ((0, "redis"), (1, "kvd  ")):
                            err = m["errors"][i] if m["errors"] else None
                            print("      %s: %s%s" % (label, show(m["replies"][i]),
                                                      "  [%s]" % err if err else ""))
                if len(real) > opts.max_report:
                    print("  ... %d more mismatches in %s" % (len(real) - opts.max_report, name))
            else:
                passed += 1
                print("ok   %s (%d commands, %d excepted, %.1fs)"
                      % (name, count, len(mismatches), took))
        if runner.excepted:
            print("excepted (%d):" % len(runner.excepted))
            for where, command, reason in runner.excepted:
                print("  %s: %s  -- %s" % (where, command, reason))
        else:
            print("excepted: none")
        unused = sorted(set(list(exceptions.lines) + ["command " + c for c in exceptions.commands])
                        - set(exceptions.used))
        if unused:
            print("exceptions not needed in this run: %s" % ", ".join(unused))
        status = 1 if failed else 0
    except RuntimeError as err:
        print("compat: setup failed: %s" % err)
        failed = len(opts.scripts) - passed
        status = 2
    except KeyboardInterrupt:
        print("compat: interrupted")
        failed = len(opts.scripts) - passed
        status = 130
    finally:
        for server in servers:
            server.cleanup(keep=opts.keep)
    print("compat: %d passed, %d failed" % (passed, failed))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
