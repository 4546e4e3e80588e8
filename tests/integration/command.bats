#!/usr/bin/env bats
# The COMMAND command family (kvd/commandcmd.c): COMMAND, COUNT, INFO, DOCS,
# LIST (with FILTERBY), GETKEYS, GETKEYSANDFLAGS, HELP and their errors, in
# Redis 7.0's reply shapes. The exact bytes checked for COMMAND INFO GET were
# taken from redis-server 7.0.15. Run against Redis with
# KVD_SERVER=/usr/bin/redis-server (DOCS texts differ there, by design).

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

# One server for the whole file: these tests only read.
setup_file() { kvd_start; }
teardown_file() { kvd_stop; }

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
