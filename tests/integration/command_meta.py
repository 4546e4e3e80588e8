#!/usr/bin/python3
"""Differential check of command metadata: COMMAND INFO and COMMAND DOCS of
every command and subcommand kvd lists (COMMAND LIST) against redis-server
7.0, over RESP3 so that reply types (set, map, array) count too.

    command_meta.py KVD_PORT REDIS_PORT [--summary]
    command_meta.py KVD_PORT REDIS_PORT --getkeys

Rules of the comparison (tests/integration/command.bats runs it):
  * INFO: the whole entry must be equal, except that subcommand entries are
    compared as a set (Redis lists them in its hash table's random order)
    and subcommands kvd does not implement are left out of Redis's entry
    (they are printed as a note).
  * DOCS: equal except for prose: the values of "summary" and "complexity"
    (ours are in our own words) and the text of each history entry (ours is
    our own wording; the versions must match). Subcommands as in INFO.
  * Prose must be ours: a summary, complexity or history text longer than
    PROSE_MIN_LEN characters that equals Redis's for the same command (for
    history: any text of that command's history) is reported as copied.
Exit status 0 when everything matches; 1 with a readable diff otherwise.
With --summary it prints the counts of differing commands and always exits 0.

With --getkeys it sends COMMAND GETKEYS and GETKEYSANDFLAGS for the calls
in GETKEYS_CALLS (every movable-key command, right and wrong numkeys, SORT's
STORE, SET's GET, multi-spec commands, not_key channels) to both servers
and fails on any difference. Calls of commands kvd lacks are skipped.
"""
import difflib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
import resp  # noqa: E402

PROSE = (b"summary", b"complexity")
# Shorter texts ("O(1)", "O(log(N))") are facts that anyone writes the same way.
PROSE_MIN_LEN = 12
MAX_DIFFS_SHOWN = 15

GETKEYS_CALLS = [
    # movable keys: numkeys forms, including bad counts
    "sintercard 2 a b", "sintercard 2 a b LIMIT 3", "sintercard 3 a b", "sintercard 0 a",
    "sintercard x a",
    "lmpop 2 a b LEFT", "lmpop 1 a RIGHT COUNT 3", "lmpop -1 a LEFT",
    "blmpop 0 2 a b LEFT", "blmpop 0 1 a RIGHT COUNT 2", "blmpop 0 5 a LEFT",
    "zmpop 2 a b MIN", "zmpop 3 a b MAX", "bzmpop 0 2 a b MIN", "bzmpop 1 1 a MAX COUNT 2",
    "zdiff 2 a b", "zdiff 2 a b WITHSCORES", "zdiffstore d 2 a b", "zdiffstore d 4 a b",
    "zinter 2 a b WEIGHTS 1 2", "zintercard 2 a b", "zintercard 2 a b LIMIT 1",
    "zinterstore d 2 a b AGGREGATE MIN", "zunion 3 a b c", "zunion 1 a WITHSCORES",
    "zunionstore d 2 a b", "zunionstore d 3 a b", "zunionstore d 0 a",
    "eval s 0", "eval s 2 a b c", "eval s 3 a b", "eval_ro s 1 a", "evalsha x 2 a b arg",
    "evalsha_ro x 1 a", "fcall f 1 a b", "fcall_ro f 2 a b", "fcall f 0", "fcall f -1 a",
    # SORT: the sorted key and STORE's destination
    "sort k", "sort k STORE d", "sort k BY w_* GET o_* STORE d", "sort k store d1 store d2",
    "sort k LIMIT 0 1 ALPHA", "sort_ro k", "sort_ro k BY w_* GET #",
    # fixed positions, several specs, variable flags
    "set k v", "set k v GET", "set k v NX GET EX 10", "mset a 1 b 2", "msetnx a 1 b 2",
    "del a b", "unlink a b", "exists a b", "touch a b", "watch a b", "rename a b",
    "renamenx a b", "lmove a b LEFT RIGHT", "blmove a b LEFT RIGHT 0", "rpoplpush a b",
    "brpoplpush a b 0", "smove a b m", "copy a b REPLACE", "sdiffstore d a b",
    "sinterstore d a b", "sunionstore d a", "zrangestore d s 0 1", "lcs a b",
    "object encoding k", "memory usage k", "getex k EX 1", "getdel k", "blpop a b 0",
    "brpop a 0", "bzpopmin a b 0", "restore k 0 x", "hset h f v", "expire k 10",
    # shard channels are not keys; commands without keys
    "spublish ch m", "ssubscribe ch", "sunsubscribe ch", "publish ch m", "ping x",
]


class Server:
    def __init__(self, port):
        self.conn = resp.Connection("127.0.0.1", port)
        self.call("HELLO", "3")

    def call(self, *args):
        self.conn.send(resp.encode_command([a if isinstance(a, bytes) else str(a).encode()
                                            for a in args]))
        tree, _ = resp.decode(self.conn.read_reply(timeout=10))
        return tree


INFO_FIELDS = ["name", "arity", "flags", "first key", "last key", "key step", "ACL categories",
               "tips", "key specs", "subcommands"]


def render(tree, indent=0, labels=None):
    """A tree as indented lines, one scalar per line, for difflib; labels
    name the items of the top-level array (COMMAND INFO's fields)."""
    pad = "  " * indent
    kind, payload = tree
    if payload is None or isinstance(payload, bytes):
        return [pad + kind + ("null" if payload is None else payload.decode("latin-1"))]
    lines = [pad + kind + "["]
    if kind == "%":
        for k, v in payload:
            lines += render(k, indent + 1)
            lines += render(v, indent + 2)
    else:
        for i, item in enumerate(payload):
            if labels and i < len(labels):
                lines.append(pad + "  # " + labels[i])
            lines += render(item, indent + 1)
    lines.append(pad + "]")
    return lines


def compact(tree):
    """A tree on one line: scalars as they are, aggregates as kind[...]."""
    kind, payload = tree
    if payload is None or isinstance(payload, bytes):
        return kind + ("null" if payload is None else payload.decode("latin-1"))
    if kind == "%":
        return "%[" + ", ".join(compact(k) + ": " + compact(v) for k, v in payload) + "]"
    return kind + "[" + ", ".join(compact(item) for item in payload) + "]"


def name_of_info(entry):
    return entry[1][0][1]


def normalize_info(entry, known):
    """Sorts the subcommand entries (element 9) and drops those kvd lacks;
    returns (entry, dropped names)."""
    if entry[1] is None:
        return entry, []
    items = list(entry[1])
    kind, subs = items[9]
    dropped = [name_of_info(s).decode() for s in subs if name_of_info(s) not in known]
    kept = sorted((s for s in subs if name_of_info(s) in known), key=name_of_info)
    items[9] = (kind, kept)
    return (entry[0], items), dropped


def normalize_docs(doc, known):
    """Blanks prose in a docs map (recursively through subcommands) and
    sorts/filters subcommands; returns (doc, dropped names)."""
    kind, pairs = doc
    out, dropped = [], []
    for k, v in pairs:
        key = k[1]
        if key in PROSE:
            v = (v[0], b"<prose>")
        elif key == b"history":
            v = (v[0], [(e[0], [e[1][0], (e[1][1][0], b"<prose>")]) for e in v[1]])
        elif key == b"subcommands":
            subs = []
            for sk, sv in v[1]:
                if sk[1] not in known:
                    dropped.append(sk[1].decode())
                    continue
                sv, more = normalize_docs(sv, known)
                dropped += more
                subs.append((sk, sv))
            v = (v[0], sorted(subs, key=lambda p: p[0][1]))
        out.append((k, v))
    return (kind, out), dropped


def doc_map(doc):
    """A docs map as a dict: field name -> value tree."""
    return {k[1]: v for k, v in doc[1]} if doc and doc[1] is not None else {}


def history_texts(value):
    """The texts of a history value: an array of [version, text] arrays."""
    return [entry[1][1][1] for entry in value[1]] if value else []


def copied_prose(name, ours, theirs):
    """(command, field, text) for each prose text of kvd's docs map `ours`
    that equals Redis's `theirs`, walking the subcommands of both."""
    ours, theirs = doc_map(ours), doc_map(theirs)
    found = []
    for field in PROSE:
        text = ours.get(field, (None, None))[1]
        if (isinstance(text, bytes) and len(text) > PROSE_MIN_LEN
                and text == theirs.get(field, (None, None))[1]):
            found.append((name, field.decode(), text.decode("latin-1")))
    their_history = set(history_texts(theirs.get(b"history")))
    for text in history_texts(ours.get(b"history")):
        if len(text) > PROSE_MIN_LEN and text in their_history:
            found.append((name, "history", text.decode("latin-1")))
    their_subs = dict((k[1], v) for k, v in theirs.get(b"subcommands", (None, []))[1])
    for sub_name, sub_doc in ours.get(b"subcommands", (None, []))[1]:
        if sub_name[1] in their_subs:
            found += copied_prose(sub_name[1].decode(), sub_doc, their_subs[sub_name[1]])
    return found


def compare_getkeys(kvd, redis):
    bad = skipped = 0
    for line in GETKEYS_CALLS:
        args = line.split()
        if kvd.call("COMMAND", "INFO", args[0])[1][0][1] is None:
            skipped += 1
            continue
        for sub in ("GETKEYS", "GETKEYSANDFLAGS"):
            ours, theirs = kvd.call("COMMAND", sub, *args), redis.call("COMMAND", sub, *args)
            if ours != theirs:
                bad += 1
                print("--- COMMAND %s %s\n  kvd:   %s\n  redis: %s" % (
                    sub, line, compact(ours), compact(theirs)))
    print("GETKEYS calls: %d, differing replies: %d, skipped (command missing): %d" % (
        len(GETKEYS_CALLS), bad, skipped))
    return 1 if bad else 0


def main(argv):
    summary = "--summary" in argv
    args = [a for a in argv if not a.startswith("--")]
    kvd, redis = Server(int(args[0])), Server(int(args[1]))
    if "--getkeys" in argv:
        return compare_getkeys(kvd, redis)
    names = [n[1] for n in kvd.call("COMMAND", "LIST")[1]]
    known = set(names)
    info_diffs, docs_diffs, dropped, copied = [], [], set(), []
    for name in names:
        ours, _ = normalize_info(kvd.call("COMMAND", "INFO", name)[1][0], known)
        theirs, gone = normalize_info(redis.call("COMMAND", "INFO", name)[1][0], known)
        dropped.update(gone)
        if ours != theirs:
            info_diffs.append((name.decode(), ours, theirs))
        ours_docs = kvd.call("COMMAND", "DOCS", name)[1]
        theirs_docs = redis.call("COMMAND", "DOCS", name)[1]
        if ours_docs and theirs_docs:
            copied += copied_prose(name.decode(), ours_docs[0][1], theirs_docs[0][1])
        ours = normalize_docs(ours_docs[0][1], known)[0] if ours_docs else ("_", None)
        if theirs_docs:
            theirs, gone = normalize_docs(theirs_docs[0][1], known)
            dropped.update(gone)
        else:
            theirs = ("_", None)
        if ours != theirs:
            docs_diffs.append((name.decode(), ours, theirs))
    print("commands compared: %d" % len(names))
    print("COMMAND INFO differs for %d" % len(info_diffs))
    print("COMMAND DOCS differs for %d" % len(docs_diffs))
    # A subcommand is reached both through its container and on its own.
    copied = sorted(set(copied))
    print("Prose equal to Redis's: %d" % len(copied))
    for name, field, text in copied:
        print("  copied %s of %s: %r" % (field, name, text))
    if dropped:
        print("Redis subcommands kvd lacks (left out): " + " ".join(sorted(dropped)))
    if summary:
        print("INFO: " + " ".join(n for n, _, _ in info_diffs))
        print("DOCS: " + " ".join(n for n, _, _ in docs_diffs))
        return 0
    shown = 0
    for what, diffs in (("INFO", info_diffs), ("DOCS", docs_diffs)):
        for name, ours, theirs in diffs:
            if shown == MAX_DIFFS_SHOWN:
                print("... more differences not shown")
                break
            shown += 1
            print("--- COMMAND %s %s (kvd -, redis +)" % (what, name))
            labels = INFO_FIELDS if what == "INFO" else None
            for line in difflib.unified_diff(render(ours, 0, labels), render(theirs, 0, labels),
                                             "kvd", "redis", lineterm="", n=3):
                print(line)
    return 1 if info_diffs or docs_diffs or copied else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
