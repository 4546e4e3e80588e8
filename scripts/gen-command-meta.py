#!/usr/bin/python3
"""Generates kvd/commanddocs.c: the command metadata COMMAND INFO and
COMMAND DOCS report beside the command table's own columns (kvd/commands.c)
— tips, key specs, doc flags, deprecation, history versions and argument
trees — for every command and subcommand kvd implements.

    scripts/gen-command-meta.py [--kvd-bin bin/kvd] [--redis-bin /usr/bin/redis-server]
                                [--redis-port P --kvd-port Q] [-o kvd/commanddocs.c]

It reads the facts from redis-server 7.0 (the oracle: Debian's 7.0.15) and
the list of names to cover from kvd (`COMMAND LIST`), so run it after adding
a command to the table (and building kvd). Without ports it starts both
servers itself on free loopback ports and stops them afterwards; with ports
it uses servers already running. Prose is not taken from Redis: summaries and
complexities live in kvd/commands.c in our own words, and history entries
get the texts written in HISTORY below (the script stops if a version has
none, or if the versions differ from the oracle's). Key-spec notes are
copied byte for byte because they are part of COMMAND INFO's reply.

The build never runs this script; the generated file is committed.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "helpers"))
import resp  # noqa: E402

# Our own words for each history entry, in the oracle's order.
HISTORY = {
    "auth": [("6.0.0", "Accepts a username before the password (ACL users).")],
    "bgsave": [("3.2.2", "New SCHEDULE option.")],
    "blpop": [("6.0.0", "The timeout may have a fractional part.")],
    "brpop": [("6.0.0", "The timeout may have a fractional part.")],
    "brpoplpush": [("6.0.0", "The timeout may have a fractional part.")],
    "bzpopmax": [("6.0.0", "The timeout may have a fractional part.")],
    "bzpopmin": [("6.0.0", "The timeout may have a fractional part.")],
    "client|kill": [
        ("2.8.12", "Filters given as name/value pairs."),
        ("2.8.12", "New ID filter."),
        ("3.2.0", "TYPE accepts master."),
        ("5.0.0", "TYPE replica replaces slave, which still works."),
        ("6.2.0", "New LADDR filter."),
    ],
    "client|list": [
        ("2.8.12", "Each line shows the client's id."),
        ("5.0.0", "New TYPE filter."),
        ("6.0.0", "Each line shows the ACL user."),
        ("6.2.0", "New ID filter; lines show argv-mem, tot-mem, laddr and redir."),
        ("7.0.0", "Lines show resp, multi-mem, rbs and rbp."),
        ("7.0.3", "Lines show ssub."),
    ],
    "client|pause": [("6.2.0", "New mode argument, with WRITE pauses.")],
    "command|info": [("7.0.0", "Without names it describes every command.")],
    "config|get": [("7.0.0", "Accepts several patterns at once.")],
    "config|set": [("7.0.0", "Accepts several directives at once.")],
    "exists": [("3.0.3", "Accepts several keys.")],
    "expire": [("7.0.0", "New NX, XX, GT and LT conditions.")],
    "expireat": [("7.0.0", "New NX, XX, GT and LT conditions.")],
    "flushall": [("4.0.0", "New ASYNC mode."), ("6.2.0", "New SYNC mode.")],
    "flushdb": [("4.0.0", "New ASYNC mode."), ("6.2.0", "New SYNC mode.")],
    "hdel": [("2.4.0", "Accepts several fields.")],
    "hello": [("6.2.0", "protover is optional; alone, the command describes the connection.")],
    "hset": [("4.0.0", "Accepts several field/value pairs.")],
    "info": [("7.0.0", "Accepts several sections.")],
    "lpop": [("6.2.0", "New count argument.")],
    "lpush": [("2.4.0", "Accepts several elements.")],
    "lpushx": [("4.0.0", "Accepts several elements.")],
    "pexpire": [("7.0.0", "New NX, XX, GT and LT conditions.")],
    "pexpireat": [("7.0.0", "New NX, XX, GT and LT conditions.")],
    "pttl": [("2.8.0", "Replies -2 for a missing key.")],
    "renamenx": [("3.2.0", "Same source and destination is no longer an error.")],
    "restore": [
        ("3.0.0", "New REPLACE modifier."),
        ("5.0.0", "New ABSTTL modifier."),
        ("5.0.0", "New IDLETIME and FREQ options."),
    ],
    "rpop": [("6.2.0", "New count argument.")],
    "rpush": [("2.4.0", "Accepts several elements.")],
    "rpushx": [("4.0.0", "Accepts several elements.")],
    "sadd": [("2.4.0", "Accepts several members.")],
    "scan": [("6.0.0", "New TYPE filter.")],
    "script|flush": [("6.2.0", "New ASYNC and SYNC modes.")],
    "set": [
        ("2.6.12", "New EX, PX, NX and XX options."),
        ("6.0.0", "New KEEPTTL option."),
        ("6.2.0", "New GET, EXAT and PXAT options."),
        ("7.0.0", "NX and GET may be combined."),
    ],
    "shutdown": [("7.0.0", "New NOW, FORCE and ABORT modifiers.")],
    "slowlog|get": [("4.0.0", "Entries show the client's address and name.")],
    "spop": [("3.2.0", "New count argument.")],
    "srandmember": [("2.6.0", "New count argument.")],
    "srem": [("2.4.0", "Accepts several members.")],
    "ttl": [("2.8.0", "Replies -2 for a missing key.")],
    "zadd": [
        ("2.4.0", "Accepts several score/member pairs."),
        ("3.0.2", "New XX, NX, CH and INCR options."),
        ("6.2.0", "New GT and LT options."),
    ],
    "zrange": [("6.2.0", "New REV, BYSCORE, BYLEX and LIMIT options.")],
    "zrangebyscore": [("2.0.0", "New WITHSCORES modifier.")],
    "zrem": [("2.4.0", "Accepts several members.")],
    "zrevrangebyscore": [("2.1.6", "min and max may be exclusive.")],
}

KEY_SPEC_FLAGS = ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key",
                  "incomplete", "variable_flags"]
ARG_TYPES = {"string": "ARG_STRING", "integer": "ARG_INTEGER", "double": "ARG_DOUBLE",
             "key": "ARG_KEY", "pattern": "ARG_PATTERN", "unix-time": "ARG_UNIX_TIME",
             "pure-token": "ARG_PURE_TOKEN", "oneof": "ARG_ONEOF", "block": "ARG_BLOCK"}
ARG_FLAGS = {"optional": "ARG_OPTIONAL", "multiple": "ARG_MULTIPLE",
             "multiple_token": "ARG_MULTIPLE_TOKEN"}
DOC_FLAGS = {"deprecated": "DOC_DEPRECATED", "syscmd": "DOC_SYSCMD"}
# Fields of an argument, in the order COMMAND DOCS prints them.
ARG_FIELDS = ["name", "type", "key_spec_index", "token", "since", "flags", "deprecated_since",
              "arguments"]
DOC_FIELDS = ["summary", "since", "group", "complexity", "doc_flags", "deprecated_since",
              "replaced_by", "history", "arguments", "subcommands"]


class Oracle:
    def __init__(self, port):
        self.conn = resp.Connection("127.0.0.1", port)

    def call(self, *args):
        self.conn.send(resp.encode_command([str(a).encode() for a in args]))
        tree, _ = resp.decode(self.conn.read_reply(timeout=10))
        return plain(tree)


def plain(tree):
    kind, payload = tree
    if kind == "-":
        raise SystemExit("error reply: %r" % payload)
    if kind == ":":
        return int(payload)
    if payload is None or isinstance(payload, bytes):
        return payload.decode() if payload is not None else None
    return [plain(x) for x in payload]


def pairs(flat):
    """A RESP2 flat map as an ordered list of (key, value)."""
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]


def cstr(s):
    if s is None:
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ident(fullname):
    return "".join(ch if ch.isalnum() else "_" for ch in fullname)


def bits(names, table, what):
    out = []
    for n in names:
        if n not in table:
            raise SystemExit("unknown %s %r" % (what, n))
        out.append(table[n])
    return " | ".join(out) if out else "0"


class Emitter:
    def __init__(self):
        self.lines = []
        self.counter = 0

    def args(self, prefix, arglist, top=True):
        """Emits the argument array (nested ones first, numbered within the
        command); returns its name."""
        rows = []
        for a in arglist:
            d = dict(pairs(a))
            extra = [k for k in d if k not in ARG_FIELDS]
            if extra:
                raise SystemExit("%s: argument fields not handled: %s" % (prefix, extra))
            order = [k for k in ARG_FIELDS if k in d]
            if [k for k, _ in pairs(a)] != order:
                raise SystemExit("%s: unexpected argument field order %s" % (prefix, list(d)))
            sub = "NULL"
            nsub = 0
            if "arguments" in d:
                sub = self.args(prefix, d["arguments"], False)
                nsub = len(d["arguments"])
            rows.append("    {%s, %s, %d, %s, %s, %s, %s, %s, %d}," % (
                cstr(d["name"]), ARG_TYPES[d["type"]], d.get("key_spec_index", -1),
                cstr(d.get("token")), cstr(d.get("since")),
                bits(d.get("flags", []), ARG_FLAGS, "argument flag"),
                cstr(d.get("deprecated_since")), sub, nsub))
        if top:
            name = prefix + "Args"
        else:
            self.counter += 1
            name = "%sArgs%d" % (prefix, self.counter)
        self.lines.append("static const CommandArgDoc %s[] = {" % name)
        self.lines += rows
        self.lines.append("};")
        return name

    def key_specs(self, prefix, specs):
        rows = []
        for spec in specs:
            d = dict(pairs(spec))
            bs, fk = dict(pairs(d["begin_search"])), dict(pairs(d["find_keys"]))
            bsspec, fkspec = dict(pairs(bs["spec"])), dict(pairs(fk["spec"]))
            flags = bits(d["flags"], {f: "KS_" + f.upper() for f in KEY_SPEC_FLAGS},
                         "key-spec flag")
            if bs["type"] == "index":
                begin = "KSB_INDEX, %d, NULL, 0" % bsspec["index"]
            elif bs["type"] == "keyword":
                begin = "KSB_KEYWORD, 0, %s, %d" % (cstr(bsspec["keyword"]), bsspec["startfrom"])
            elif bs["type"] == "unknown":
                begin = "KSB_UNKNOWN, 0, NULL, 0"
            else:
                raise SystemExit("%s: begin_search %s" % (prefix, bs["type"]))
            if fk["type"] == "range":
                find = "KSF_RANGE, %d, %d, %d" % (fkspec["lastkey"], fkspec["keystep"],
                                                  fkspec["limit"])
            elif fk["type"] == "keynum":
                find = "KSF_KEYNUM, %d, %d, %d" % (fkspec["keynumidx"], fkspec["firstkey"],
                                                   fkspec["keystep"])
            elif fk["type"] == "unknown":
                find = "KSF_UNKNOWN, 0, 0, 0"
            else:
                raise SystemExit("%s: find_keys %s" % (prefix, fk["type"]))
            rows.append("    {%s, %s, %s, %s}," % (cstr(d.get("notes")), flags, begin, find))
        name = prefix + "KeySpecs"
        self.lines.append("static const KeySpecDoc %s[] = {" % name)
        self.lines += rows
        self.lines.append("};")
        return name


def history_for(fullname, theirs):
    ours = HISTORY.get(fullname, [])
    if [v for v, _ in ours] != [v for v, _ in theirs]:
        raise SystemExit("%s: history versions %s, oracle has %s; write our own text in "
                         "HISTORY" % (fullname, [v for v, _ in ours], [v for v, _ in theirs]))
    return ours


def start_server(binary, tmpdir, name):
    """Starts binary on a free loopback port; returns (process, port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = os.path.join(tmpdir, name)
    os.mkdir(workdir)
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("%s did not start on port %d" % (binary, port))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--redis-port", type=int)
    ap.add_argument("--kvd-port", type=int)
    ap.add_argument("--redis-bin", default="/usr/bin/redis-server")
    ap.add_argument("--kvd-bin", default="bin/kvd")
    ap.add_argument("-o", "--output", default="kvd/commanddocs.c")
    opts = ap.parse_args()
    procs = []
    with tempfile.TemporaryDirectory() as tmpdir:
        try:
            if opts.redis_port is None:
                proc, opts.redis_port = start_server(opts.redis_bin, tmpdir, "redis")
                procs.append(proc)
            if opts.kvd_port is None:
                proc, opts.kvd_port = start_server(opts.kvd_bin, tmpdir, "kvd")
                procs.append(proc)
            generate(opts)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)


def generate(opts):
    redis, kvd = Oracle(opts.redis_port), Oracle(opts.kvd_port)
    version = dict(line.split(":", 1) for line in redis.call("INFO", "server").splitlines()
                   if ":" in line)["redis_version"]
    names = sorted(kvd.call("COMMAND", "LIST"))
    em = Emitter()
    rows = []
    for fullname in names:
        info = redis.call("COMMAND", "INFO", fullname)[0]
        docs = redis.call("COMMAND", "DOCS", fullname)
        if info is None or not docs:
            print("note: redis %s has no %s; no metadata" % (version, fullname), file=sys.stderr)
            continue
        doc = dict(pairs(docs[1]))
        unknown = [k for k in doc if k not in DOC_FIELDS]
        if unknown:
            raise SystemExit("%s: docs fields not handled: %s" % (fullname, unknown))
        prefix = "m_" + ident(fullname)
        em.counter = 0
        em.lines.append("")
        em.lines.append("/* %s */" % fullname)
        tips, specs = info[7], info[8]
        tipsName = "NULL"
        if tips:
            tipsName = prefix + "Tips"
            em.lines.append("static const char *const %s[] = {%s};" % (
                tipsName, ", ".join(cstr(t) for t in tips)))
        specsName = em.key_specs(prefix, specs) if specs else "NULL"
        hist = history_for(fullname, doc.get("history", []))
        histName = "NULL"
        if hist:
            histName = prefix + "History"
            em.lines.append("static const CommandHistoryDoc %s[] = {" % histName)
            em.lines += ["    {%s, %s}," % (cstr(v), cstr(t)) for v, t in hist]
            em.lines.append("};")
        args = doc.get("arguments")
        argsName = em.args(prefix, args) if args else "NULL"
        ours = dict(pairs(kvd.call("COMMAND", "DOCS", fullname)[1]))
        if ("complexity" in doc) != ("complexity" in ours):
            print("warning: %s: complexity is %s in redis; make the row match" % (
                fullname, "present" if "complexity" in doc else "absent"), file=sys.stderr)
        rows.append("    {%s, %s, %d, %s, %d, %s, %s, %s, %s, %d, %s, %d}," % (
            cstr(fullname), tipsName, len(tips), specsName, len(specs),
            bits(doc.get("doc_flags", []), DOC_FLAGS, "doc flag"),
            cstr(doc.get("deprecated_since")), cstr(doc.get("replaced_by")),
            histName, len(hist), argsName, len(args or [])))
    out = [
        "/* commanddocs.c — GENERATED by scripts/gen-command-meta.py; do not edit by hand.",
        " *",
        " * Metadata of every command and subcommand kvd implements, as redis-server",
        " * %s reports it: COMMAND INFO tips and key specs, COMMAND DOCS doc flags," % version,
        " * deprecation, history versions and argument trees. Made by running the script",
        " * against redis-server %s (the oracle) and kvd (for the list of names);" % version,
        " * history texts are our own (HISTORY in the script); summaries and",
        " * complexities are not here but in the command table (commands.c). Rows are",
        " * sorted by full name for commandMetaLookup's binary search.",
        " */",
        '#include "commanddocs.h"',
        "",
        "#include <stddef.h>",
        "#include <string.h>",
        "",
        "/* clang-format off */",
    ] + em.lines + [
        "",
        "static const CommandMeta commandMetaTable[] = {",
    ] + rows + [
        "};",
        "/* clang-format on */",
        "",
        "const CommandMeta *commandMetaLookup(const char *fullname) {",
        "    size_t lo = 0, hi = sizeof(commandMetaTable) / sizeof(commandMetaTable[0]);",
        "    while (lo < hi) {",
        "        size_t mid = lo + (hi - lo) / 2;",
        "        int cmp = strcmp(fullname, commandMetaTable[mid].fullname);",
        "        if (cmp == 0) return &commandMetaTable[mid];",
        "        if (cmp < 0)",
        "            hi = mid;",
        "        else",
        "            lo = mid + 1;",
        "    }",
        "    return NULL;",
        "}",
        "",
    ]
    with open(opts.output, "w") as f:
        f.write("\n".join(out))
    print("wrote %s: %d commands" % (opts.output, len(rows)))


if __name__ == "__main__":
    main()
