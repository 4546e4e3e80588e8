#!/usr/bin/env bats
# The COMMAND command family (kvd/commandcmd.c): COMMAND, COUNT, INFO, DOCS,
# LIST (with FILTERBY), GETKEYS, GETKEYSANDFLAGS, HELP and their errors, in
# Redis 7.0's reply shapes. The exact bytes checked for COMMAND INFO GET were
# taken from redis-server 7.0.15. Run against Redis with
# KVD_SERVER=/usr/bin/redis-server (DOCS texts differ there, by design).
# The metadata tests compare every command kvd lists with a redis-server 7.0
# started beside it (tests/integration/command_meta.py; skipped without
# redis-server), and check that redis-cli 7.0 builds its argument hints from
# kvd's COMMAND DOCS.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

# One server for the whole file: these tests only read. Tests comparing
# with Redis start redis-server 7.0 as a second instance ("oracle") and stop
# it in teardown.
setup_file() { kvd_start; }
teardown_file() { kvd_stop; }
teardown() {
    if [ -n "${ORACLE_STARTED:-}" ]; then kvd_stop oracle || true; fi
}

REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}

# oracle_start: starts redis-server 7.0 on a free port as instance "oracle"
# and prints nothing; KVD_PORT stays the kvd under test, ORACLE_PORT is set.
# Skips the test when redis-server is not installed.
oracle_start() {
    [ -x "$REDIS_SERVER" ] || skip "redis-server is not installed"
    local ours=$KVD_PORT
    ORACLE_STARTED=1
    KVD_SERVER=$REDIS_SERVER kvd_start_as oracle
    ORACLE_PORT=$KVD_PORT
    export KVD_PORT=$ours
}

# cmd_json [-3] ARG...: sends one command (after HELLO 3 with -3) and prints
# the reply as JSON: strings, integers, null, lists (arrays and sets),
# objects (maps) and {"error": "..."} for errors.
cmd_json() {
    local proto=2
    if [ "$1" = -3 ]; then
        proto=3
        shift
    fi
    "$KV_PYTHON" - "$KVD_PORT" "$proto" "$KV_RESP_PY" "$@" <<'EOF'
import json, os, socket, sys
port, proto, resppy = int(sys.argv[1]), sys.argv[2], sys.argv[3]
args = sys.argv[4:]
sys.path.insert(0, os.path.dirname(resppy))
import resp

def tojson(tree):
    kind, payload = tree
    if payload is None:
        return None
    if kind == ":":
        return int(payload)
    if kind == "-":
        return {"error": payload.decode("latin1")}
    if isinstance(payload, bytes):
        return payload.decode("latin1")
    if kind == "%":
        return {str(tojson(k)): tojson(v) for k, v in payload}
    return [tojson(item) for item in payload]

s = socket.create_connection(("127.0.0.1", port), timeout=5)
buf = b""
def one():
    global buf
    while True:
        end = resp.reply_end(buf)
        if end >= 0:
            tree, _ = resp.decode(buf[:end])
            buf = buf[end:]
            return tree
        chunk = s.recv(1 << 20)
        if not chunk:
            raise SystemExit("connection closed")
        buf += chunk
if proto == "3":
    s.sendall(resp.encode_command(["HELLO", "3"]))
    one()
s.sendall(resp.encode_command(args))
print(json.dumps(tojson(one())))
EOF
}

# cj FILTER [-3] ARG...: cmd_json piped through `jq -c FILTER`.
cj() {
    local filter=$1
    shift
    cmd_json "$@" | jq -c "$filter"
}

# ---- COUNT, COMMAND, LIST ----

@test "COMMAND COUNT equals the number of entries COMMAND returns" {
    run kvcli COMMAND COUNT
    assert_success
    [[ "$output" =~ ^[0-9]+$ ]]
    local count=$output
    [ "$count" -gt 20 ]
    run cj 'length' COMMAND
    assert_output "$count"
    run cj 'length' COMMAND INFO
    assert_output "$count"
    # ... and the number of top-level names COMMAND LIST gives.
    run bash -c "/usr/bin/redis-cli -p $KVD_PORT COMMAND LIST | grep -vc '|'"
    assert_output "$count"
}

@test "COMMAND entries are 10-element arrays named by the command" {
    local names listed
    names=$(cmd_json COMMAND | jq -r '.[] | select(length == 10) | .[0]' | sort)
    listed=$(kvcli COMMAND LIST | grep -v '|' | sort)
    assert_equal "$names" "$listed"
    run grep -cx -e get -e set -e client -e command -e ping <<<"$names"
    assert_output 5
}

@test "COMMAND LIST names commands and subcommands" {
    run kvcli COMMAND LIST
    assert_success
    assert_line get
    assert_line client
    assert_line "client|kill"
    assert_line "command|getkeys"
    assert_line "config|get"
    refute_line "get|x"
}

@test "COMMAND LIST FILTERBY PATTERN / ACLCAT / MODULE" {
    run kvcli COMMAND LIST FILTERBY PATTERN 'client|*'
    assert_line "client|kill"
    assert_line "client|list"
    refute_line client
    refute_line get
    run kvcli COMMAND LIST FILTERBY pattern 'CL*'
    assert_line client
    assert_line "client|id"
    run kvcli COMMAND LIST FILTERBY ACLCAT string
    assert_line get
    assert_line set
    assert_line mset
    refute_line ping
    refute_line del
    run kvcli COMMAND LIST FILTERBY aclcat CONNECTION
    assert_line ping
    assert_line "client|id"
    refute_line get
    run kvcli COMMAND LIST FILTERBY ACLCAT nosuchcategory
    assert_success
    assert_output ""
    run kvcli COMMAND LIST FILTERBY MODULE anything
    assert_output ""
    run kvcli COMMAND LIST FILTERBY PATTERN 'zzz*'
    assert_output ""
}

@test "COMMAND LIST syntax errors" {
    run kvcli COMMAND LIST foo
    assert_output "ERR syntax error"
    run kvcli COMMAND LIST FILTERBY foo x
    assert_output "ERR syntax error"
    run kvcli COMMAND LIST FILTERBY PATTERN
    assert_output "ERR syntax error"
    run kvcli COMMAND LIST FILTERBY PATTERN a extra
    assert_output "ERR syntax error"
}

# ---- INFO ----

@test "COMMAND INFO get is byte-identical to Redis 7.0 (RESP2 and RESP3)" {
    run resp_send 'COMMAND INFO get\r\n'
    assert_output '*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n'
    run resp_send -n 2 'HELLO 3\r\nCOMMAND INFO get\r\n'
    assert_line -n 1 '*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n'
}

@test "COMMAND INFO for write and multi-key commands" {
    local set mset
    set=$(cmd_json -3 COMMAND INFO SET)
    assert_equal "$(jq -c '.[0][0:6]' <<<"$set")" '["set",-3,["write","denyoom"],1,1,1]'
    assert_equal "$(jq -c '.[0][6]' <<<"$set")" '["@write","@string","@slow"]'
    mset=$(cmd_json -3 COMMAND INFO mset)
    assert_equal "$(jq -c '.[0][0:6]' <<<"$mset")" '["mset",-3,["write","denyoom"],1,-1,2]'
    assert_equal "$(jq -c '.[0][8][0].find_keys' <<<"$mset")" \
        '{"type":"range","spec":{"lastkey":-1,"keystep":2,"limit":0}}'
    assert_equal "$(jq -c '.[0][8][0].flags' <<<"$mset")" '["OW","update"]'
    run cj '.[0][8][0].flags' -3 COMMAND INFO del
    assert_output '["RM","delete"]'
    # RENAME: two key specs, source then destination.
    run cj '[.[0][3:6], [.[0][8][] | [.flags, .begin_search.spec.index, .find_keys.spec.lastkey]]]' -3 COMMAND INFO rename
    assert_output '[[1,2,1],[[["RW","access","delete"],1,0],[["OW","update"],2,0]]]'
}

@test "COMMAND INFO of a subcommand and of a container" {
    run cj '.[0][0:6]' COMMAND INFO 'config|get'
    assert_output '["config|get",-3,["admin","noscript","loading","stale"],0,0,0]'
    run cj '[.[0][0], .[0][2], .[0][6]]' COMMAND INFO 'CLIENT|KILL'
    assert_output '["client|kill",["admin","noscript","loading","stale"],["@admin","@slow","@dangerous","@connection"]]'
    local client
    client=$(cmd_json -3 COMMAND INFO client)
    assert_equal "$(jq -c '.[0][0:6]' <<<"$client")" '["client",-2,[],0,0,0]'
    assert_equal "$(jq -c '[.[0][9][] | .[0]] | sort' <<<"$client" | jq -c 'map(select(. == "client|kill" or . == "client|id" or . == "client|pause"))')" \
        '["client|id","client|kill","client|pause"]'
    # Every subcommand entry has the full 10-element shape.
    assert_equal "$(jq '[.[0][9][] | length] | unique' <<<"$client")" "$(printf '[\n  10\n]')"
    # A command without subcommands ends with an empty set.
    assert_equal "$(cmd_json -3 COMMAND INFO ping | jq -c '.[0][9]')" '[]'
}

@test "COMMAND INFO unknown names give nulls in place" {
    run resp_send 'COMMAND INFO nosuch\r\n'
    assert_output '*1\r\n$-1\r\n'
    run resp_send -n 2 'HELLO 3\r\nCOMMAND INFO nosuch\r\n'
    assert_line -n 1 '*1\r\n_\r\n'
    run cj 'map(if . == null then null else .[0] end)' COMMAND INFO get nosuch 'get|x' 'config|get|x' 'config|nosuch' GET
    assert_output '["get",null,null,null,null,"get"]'
}

@test "COMMAND INFO flags are printed in Redis's order; hidden ones never" {
    run cj '.[0][2]' COMMAND INFO shutdown
    assert_output '["admin","noscript","loading","stale","no_multi","allow_busy"]'
    # DEBUG is "protected" inside, which Redis does not print.
    run cj '.[0][2]' COMMAND INFO debug
    assert_output '["admin","noscript","loading","stale"]'
    run cj '[.. | strings | select(. == "may_replicate" or . == "protected" or . == "sentinel" or . == "only_sentinel")] | length' COMMAND
    assert_output 0
}

# ---- DOCS ----

@test "COMMAND DOCS gives summary, since, group and complexity" {
    local docs
    docs=$(cmd_json -3 COMMAND DOCS get)
    assert_equal "$(jq -c '.get | keys_unsorted' <<<"$docs" | jq -c 'map(select(. != "arguments"))')" \
        '["summary","since","group","complexity"]'
    assert_equal "$(jq -c '[.get.since, .get.group, .get.complexity]' <<<"$docs")" '["1.0.0","string","O(1)"]'
    [ -n "$(jq -r '.get.summary' <<<"$docs")" ]
    # Unknown names are left out; RESP2 gets a flat array.
    run resp_send 'COMMAND DOCS nosuch\r\n'
    assert_output '*0\r\n'
    run cj 'keys' -3 COMMAND DOCS nosuch ping 'config|get'
    assert_output '["config|get","ping"]'
}

@test "COMMAND DOCS of a container includes its subcommands" {
    local docs
    docs=$(cmd_json -3 COMMAND DOCS client)
    assert_equal "$(jq -r '.client.group' <<<"$docs")" connection
    assert_equal "$(jq -r '.client.subcommands["client|kill"].group' <<<"$docs")" connection
    assert_equal "$(jq -r '.client.subcommands["client|setname"].since' <<<"$docs")" 2.6.9
    # Without names: every top-level command.
    run cj 'length' -3 COMMAND DOCS
    assert_output "$(kvcli COMMAND COUNT)"
}

# ---- GETKEYS / GETKEYSANDFLAGS ----

@test "COMMAND GETKEYS extracts keys" {
    run kvcli COMMAND GETKEYS MSET a 1 b 2
    assert_output "$(printf 'a\nb')"
    run kvcli COMMAND GETKEYS mset a b c
    assert_output "$(printf 'a\nc')"
    run kvcli COMMAND GETKEYS get k
    assert_output k
    run kvcli COMMAND GETKEYS del a b c
    assert_output "$(printf 'a\nb\nc')"
    run kvcli COMMAND GETKEYS rename src dst
    assert_output "$(printf 'src\ndst')"
    run kvcli COMMAND GETKEYS object encoding k
    assert_output k
    run kvcli COMMAND GETKEYS set "a key" v EX 10
    assert_output "a key"
}

@test "COMMAND GETKEYS errors" {
    run kvcli COMMAND GETKEYS nosuch a
    assert_output "ERR Invalid command specified"
    run kvcli COMMAND GETKEYS object nosuch k
    assert_output "ERR Invalid command specified"
    run kvcli COMMAND GETKEYS ping x
    assert_output "ERR The command has no key arguments"
    run kvcli COMMAND GETKEYS config get x
    assert_output "ERR The command has no key arguments"
    run kvcli COMMAND GETKEYS get a b
    assert_output "ERR Invalid number of arguments specified for command"
    run kvcli COMMAND GETKEYS mset a
    assert_output "ERR Invalid number of arguments specified for command"
    run kvcli COMMAND GETKEYS get
    assert_output "ERR wrong number of arguments for 'command|getkeys' command"
    run kvcli COMMAND GETKEYS
    assert_output "ERR wrong number of arguments for 'command|getkeys' command"
    run kvcli COMMAND GETKEYSANDFLAGS get
    assert_output "ERR wrong number of arguments for 'command|getkeysandflags' command"
}

@test "COMMAND GETKEYSANDFLAGS gives each key with its access flags" {
    run cj '.' COMMAND GETKEYSANDFLAGS mset a 1 b 2
    assert_output '[["a",["OW","update"]],["b",["OW","update"]]]'
    run cj '.' COMMAND GETKEYSANDFLAGS get a
    assert_output '[["a",["RO","access"]]]'
    run cj '.' COMMAND GETKEYSANDFLAGS del a b
    assert_output '[["a",["RM","delete"]],["b",["RM","delete"]]]'
    # SET's flags depend on its GET option.
    run cj '.' COMMAND GETKEYSANDFLAGS set k v
    assert_output '[["k",["OW","update"]]]'
    run cj '.' COMMAND GETKEYSANDFLAGS set k v get
    assert_output '[["k",["RW","access","update"]]]'
    run cj '.' COMMAND GETKEYSANDFLAGS rename a b
    assert_output '[["a",["RW","access","delete"]],["b",["OW","update"]]]'
    run resp_send -n 2 'HELLO 3\r\nCOMMAND GETKEYSANDFLAGS get a\r\n'
    assert_line -n 1 '*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n'
}

# ---- metadata against Redis 7.0 (tests/integration/command_meta.py) ----

@test "COMMAND INFO and DOCS equal redis-server 7.0's for every command kvd lists" {
    oracle_start
    # Prints a diff per differing command; summary/complexity/history texts
    # are ours by design and compared only for presence (and versions).
    # They must not equal Redis's either: copied texts are listed and fail.
    run "$KV_PYTHON" "$KV_REPO/tests/integration/command_meta.py" "$KVD_PORT" "$ORACLE_PORT"
    echo "$output"
    assert_success
    assert_line "COMMAND INFO differs for 0"
    assert_line "COMMAND DOCS differs for 0"
    assert_line "Prose equal to Redis's: 0"
}

@test "COMMAND GETKEYS/GETKEYSANDFLAGS equal redis-server 7.0's (movable keys and more)" {
    oracle_start
    run "$KV_PYTHON" "$KV_REPO/tests/integration/command_meta.py" "$KVD_PORT" "$ORACLE_PORT" --getkeys
    echo "$output"
    assert_success
    assert_line --regexp "^GETKEYS calls: [0-9]+, differing replies: 0, "
}

@test "COMMAND INFO tips and key specs (checked without Redis)" {
    run cj '.[0][7]' -3 COMMAND INFO del
    assert_output '["request_policy:multi_shard","response_policy:agg_sum"]'
    run cj '.[0][7]' -3 COMMAND INFO 'object|encoding'
    assert_output '["nondeterministic_output"]'
    # BLMPOP: index + keynum.
    run cj '.[0][8][0] | [.begin_search, .find_keys]' -3 COMMAND INFO blmpop
    assert_output '[{"type":"index","spec":{"index":2}},{"type":"keynum","spec":{"keynumidx":0,"firstkey":1,"keystep":1}}]'
    # SORT: three specs, the last two "unknown" with Redis's notes.
    run cj '[.[0][8][] | [.begin_search.type, .flags, (.notes // "" | length > 0)]]' -3 COMMAND INFO sort
    assert_output '[["index",["RO","access"],false],["unknown",["RO","access"],true],["unknown",["OW","update"],true]]'
    # ZUNIONSTORE: destination, then the sources after numkeys.
    run cj '[.[0][8][] | [.flags, .find_keys.type]]' -3 COMMAND INFO zunionstore
    assert_output '[[["OW","update"],"range"],[["RO","access"],"keynum"]]'
}

@test "COMMAND GETKEYSANDFLAGS of movable-key commands (checked without Redis)" {
    run cj '.' COMMAND GETKEYSANDFLAGS zunionstore d 2 a b
    assert_output '[["d",["OW","update"]],["a",["RO","access"]],["b",["RO","access"]]]'
    run cj '.' COMMAND GETKEYSANDFLAGS sort k BY w_* STORE d
    assert_output '[["k",["RO","access"]],["d",["OW","update"]]]'
    run cj '.' COMMAND GETKEYSANDFLAGS eval "return 1" 2 a b arg
    assert_output '[["a",["RW","access","update"]],["b",["RW","access","update"]]]'
    run kvcli COMMAND GETKEYS zunionstore d 5 a
    assert_output "ERR Invalid arguments specified for command"
    run kvcli COMMAND GETKEYS spublish ch m
    assert_output "ERR The command has no key arguments"
}

@test "COMMAND DOCS argument trees, history and doc flags (checked without Redis)" {
    local docs
    docs=$(cmd_json -3 COMMAND DOCS set)
    assert_equal "$(jq -c '.set.arguments[0]' <<<"$docs")" '{"name":"key","type":"key","key_spec_index":0}'
    assert_equal "$(jq -c '.set.arguments[2] | [.name, .type, .since, .flags, [.arguments[].token]]' <<<"$docs")" \
        '["condition","oneof","2.6.12",["optional"],["NX","XX"]]'
    # History: Redis's versions, our own texts.
    assert_equal "$(jq -c '[.set.history[][0]] | sort' <<<"$docs")" '["2.6.12","6.0.0","6.2.0","7.0.0"]'
    [ "$(jq '[.set.history[][1] | select(length > 0)] | length' <<<"$docs")" = 4 ]
    run cj '.substr | [.doc_flags, .deprecated_since, .replaced_by]' -3 COMMAND DOCS substr
    assert_output '[["deprecated"],"2.0.0","`GETRANGE`"]'
    # RESP2: the same trees, flattened.
    run cj '.[1] as $d | ($d | index(["arguments"])) as $i | $d[$i + 1][0]' COMMAND DOCS get
    assert_output '["name","key","type","key","key_spec_index",0]'
}

@test "redis-cli 7.0 shows argument hints built from kvd's COMMAND DOCS" {
    command -v tmux >/dev/null || skip "tmux is not installed"
    [ -x /usr/bin/redis-cli ] || skip "redis-cli is not installed"
    local sock="kvcmd-$BASHPID-$RANDOM" screen i
    # redis-cli 7.0 builds its hints from COMMAND DOCS when the server answers
    # it (a server whose DOCS have no arguments gets no hint at all).
    tmux -L "$sock" new-session -d -s hint -x 200 -y 20 \
        "env HOME=$BATS_TEST_TMPDIR /usr/bin/redis-cli -p $KVD_PORT"
    for ((i = 0; i < 50; i++)); do
        tmux -L "$sock" capture-pane -t hint -p | grep -q "127.0.0.1:$KVD_PORT>" && break
        sleep 0.1
    done
    tmux -L "$sock" send-keys -t hint -l -- "SET k v "
    for ((i = 0; i < 50; i++)); do
        screen=$(tmux -L "$sock" capture-pane -t hint -p)
        grep -q "KEEPTTL" <<<"$screen" && break
        sleep 0.1
    done
    tmux -L "$sock" send-keys -t hint C-u "ZUNIONSTORE d 2 a b "
    sleep 0.3
    local zscreen
    zscreen=$(tmux -L "$sock" capture-pane -t hint -p)
    tmux -L "$sock" kill-server 2>/dev/null || true
    echo "$screen"
    echo "$zscreen"
    grep -qF "SET k v [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]" <<<"$screen"
    grep -qF "ZUNIONSTORE d 2 a b [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]" <<<"$zscreen"
}

# ---- HELP, errors ----

@test "COMMAND HELP is Redis 7.0's text" {
    run kvcli COMMAND HELP
    local expected
    expected=$(cat <<'EOF'
COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
(no subcommand)
    Return details about all Redis commands.
COUNT
    Return the total number of commands in this Redis server.
LIST
    Return a list of all commands in this Redis server.
INFO [<command-name> ...]
    Return details about multiple Redis commands.
    If no command names are given, documentation details for all
    commands are returned.
DOCS [<command-name> ...]
    Return documentation details about multiple Redis commands.
    If no command names are given, documentation details for all
    commands are returned.
GETKEYS <full-command>
    Return the keys from a full Redis command.
GETKEYSANDFLAGS <full-command>
    Return the keys and the access flags from a full Redis command.
HELP
    Prints this help.
EOF
)
    assert_output "$expected"
}

@test "COMMAND unknown subcommand and arity errors" {
    run kvcli COMMAND foo
    assert_output "ERR unknown subcommand 'foo'. Try COMMAND HELP."
    run kvcli COMMAND COUNT x
    assert_output "ERR wrong number of arguments for 'command|count' command"
    run kvcli COMMAND HELP x
    assert_output "ERR wrong number of arguments for 'command|help' command"
    run kvcli command count
    [[ "$output" =~ ^[0-9]+$ ]]
}
