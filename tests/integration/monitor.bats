#!/usr/bin/env bats
# MONITOR: Redis 7.0's line format, argument quoting, secrets redacted,
# admin commands hidden, db shown after the call, RESP3, MONITOR inside
# MULTI and a second MONITOR, RESET and CLIENT LIST flag O.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup_file() { kvd_start; }
teardown_file() { kvd_stop; }

# Runs the commands (one per line, redis-cli quoting) on a second connection
# while a monitor reads, then prints the monitor lines with the timestamp
# checked and removed and the client's port replaced by PORT.
monitor_lines() {
    "$KV_PYTHON" - "$KVD_PORT" "$KV_REPO/tests/helpers" "$1" <<'EOF_PY'
import re, sys, time
sys.path.insert(0, sys.argv[2])
import resp
port = int(sys.argv[1])
m = resp.Connection("127.0.0.1", port)
m.send(resp.encode_command([b"MONITOR"]))
assert m.read_reply(5) == b"+OK\r\n"
c = resp.Connection("127.0.0.1", port)
for line in sys.argv[3].split("\n"):
    if line.strip():
        c.send(resp.encode_command(resp.split_args(line.encode())))
        c.read_reply(5)
c.send(resp.encode_command([b"ECHO", b"end-of-test"]))
c.read_reply(5)
now = time.time()
while True:
    line = m.read_reply(5).decode("latin-1")
    mt = re.match(r"^\+(\d+)\.(\d{6}) (.*)\r\n$", line)
    assert mt, repr(line)
    assert abs(int(mt.group(1)) - now) < 5, line
    text = re.sub(r"127\.0\.0\.1:\d+", "ADDR", mt.group(3))
    if "end-of-test" in text:
        break
    print(text)
EOF_PY
}

@test "every command is a +<unix>.<usec> [db addr] \"arg\" ... line, quoted as sdscatrepr" {
    run monitor_lines $'SET k "a b\\x00\\xff\\"\\n\\\\"\nGET k\nSELECT 3\nINCR n\nSELECT 0'
    assert_success
    assert_line -n 0 '[0 ADDR] "SET" "k" "a b\x00\xff\"\n\\"'
    assert_line -n 1 '[0 ADDR] "GET" "k"'
    # the db is the one in force after the command
    assert_line -n 2 '[3 ADDR] "SELECT" "3"'
    assert_line -n 3 '[3 ADDR] "INCR" "n"'
    assert_line -n 4 '[0 ADDR] "SELECT" "0"'
    [ "${#lines[@]}" -eq 5 ]
}

@test "AUTH and HELLO AUTH arguments are redacted; admin and failed lookups are not shown" {
    run monitor_lines $'AUTH secret\nAUTH user secret\nHELLO 2 AUTH default pw SETNAME me\nCONFIG GET maxmemory\nCLIENT LIST\nNOSUCHCMD x\nGET\nPING'
    assert_success
    assert_line -n 0 '[0 ADDR] "AUTH" "(redacted)"'
    assert_line -n 1 '[0 ADDR] "AUTH" "(redacted)" "(redacted)"'
    assert_line -n 2 '[0 ADDR] "HELLO" "2" "AUTH" "(redacted)" "(redacted)" "SETNAME" "me"'
    assert_line -n 3 '[0 ADDR] "PING"'
    [ "${#lines[@]}" -eq 4 ]
    refute_output --partial secret
}

@test "the monitor sees its own commands; a second MONITOR gets no reply; RESET ends it" {
    pyrun <<'EOF_PY'
m = connect()
assert m.call("MONITOR") == b"OK"
lines = m.call("CLIENT", "LIST").decode()
me = [l for l in lines.splitlines() if "cmd=monitor" in l or "flags=O" in l]
if not me or "flags=O" not in me[0]: fail(lines)
m.send("MONITOR")          # no reply at all, as Redis
m.send("PING")
assert m.read(5) == b"PONG"
line = m.read(5)
if not line.endswith(b'"PING"'): fail(line)
assert m.call("RESET") == b"RESET"
call("SET", "after", "reset")
assert m.call("PING") == b"PONG"
if m.pending(0.3): fail("still monitoring: %r" % m.read(1))
EOF_PY
}

@test "RESP3 monitors get the same status lines; MONITOR queued in MULTI fails at EXEC" {
    pyrun <<'EOF_PY'
m = connect(3)
assert m.call("MONITOR") == b"OK"
call("SET", "r3", "v")
line = m.read(5)
if b'"SET" "r3" "v"' not in line: fail(line)
t = connect()
assert t.call("MULTI") == b"OK"
assert t.call("MONITOR") == b"QUEUED"
r = t.call("EXEC")
if r != ["ERR MONITOR isn't allowed for DENY BLOCKING client"]: fail(repr(r))
seen = []
while m.pending(0.3): seen.append(m.read(5))
# MULTI and EXEC are shown, the refused MONITOR is not
if not (len(seen) == 2 and seen[0].endswith(b'"MULTI"') and seen[1].endswith(b'"EXEC"')):
    fail(repr(seen))
EOF_PY
}

@test "EVAL/EVALSHA/EVAL_RO are shown before the script's calls, which show [db lua]" {
    run monitor_lines $'EVAL "redis.call(\'set\',\'k\',\'v\') redis.call(\'select\',\'3\') redis.call(\'set\',\'k2\',\'v\') return redis.call(\'get\',\'k\')" 0\nSCRIPT LOAD "return redis.call(\'get\',\'k\')"\nEVALSHA 496368505412ccb8a568d43cf5c46b9910905b08 0\nEVAL_RO "return redis.call(\'get\',\'k\')" 0\nEVAL "return redis.pcall(\'incr\',\'k\')" 0\nEVAL "return redis.call(\'config\',\'get\',\'maxmemory\')" 0'
    assert_success
    assert_line -n 0 "[0 ADDR] \"EVAL\" \"redis.call('set','k','v') redis.call('select','3') redis.call('set','k2','v') return redis.call('get','k')\" \"0\""
    assert_line -n 1 '[0 lua] "set" "k" "v"'
    # the script's SELECT moves its own db (shown after the call), not the caller's
    assert_line -n 2 '[3 lua] "select" "3"'
    assert_line -n 3 '[3 lua] "set" "k2" "v"'
    assert_line -n 4 '[3 lua] "get" "k"'
    assert_line -n 5 "[0 ADDR] \"SCRIPT\" \"LOAD\" \"return redis.call('get','k')\""
    assert_line -n 6 '[0 ADDR] "EVALSHA" "496368505412ccb8a568d43cf5c46b9910905b08" "0"'
    assert_line -n 7 '[0 lua] "get" "k"'
    assert_line -n 8 "[0 ADDR] \"EVAL_RO\" \"return redis.call('get','k')\" \"0\""
    assert_line -n 9 '[0 lua] "get" "k"'
    # a call that fails is still shown
    assert_line -n 10 "[0 ADDR] \"EVAL\" \"return redis.pcall('incr','k')\" \"0\""
    assert_line -n 11 '[0 lua] "incr" "k"'
    # admin commands are hidden inside scripts too
    assert_line -n 12 "[0 ADDR] \"EVAL\" \"return redis.call('config','get','maxmemory')\" \"0\""
    [ "${#lines[@]}" -eq 13 ]
}

@test "EVAL/EVALSHA/FCALL that fail before running are still shown; refused inner calls are not" {
    run monitor_lines $'EVALSHA ffffffffffffffffffffffffffffffffffffffff 0\nEVAL "return 1" 5 a\nEVAL "return 1 +" 0\nFCALL nosuch 0\nEVAL_RO "return redis.call(\'set\',\'k\',\'v\')" 0\nEVAL "return redis.call(\'nosuch\')" 0'
    assert_success
    assert_line -n 0 '[0 ADDR] "EVALSHA" "ffffffffffffffffffffffffffffffffffffffff" "0"'
    assert_line -n 1 '[0 ADDR] "EVAL" "return 1" "5" "a"'
    assert_line -n 2 '[0 ADDR] "EVAL" "return 1 +" "0"'
    assert_line -n 3 '[0 ADDR] "FCALL" "nosuch" "0"'
    assert_line -n 4 "[0 ADDR] \"EVAL_RO\" \"return redis.call('set','k','v')\" \"0\""
    assert_line -n 5 "[0 ADDR] \"EVAL\" \"return redis.call('nosuch')\" \"0\""
    [ "${#lines[@]}" -eq 6 ]
}

@test "FCALL/FCALL_RO are shown before the function's calls" {
    kvcli FUNCTION LOAD REPLACE "#!lua name=monlib
redis.register_function('mset1', function(keys, args) return redis.call('set', keys[1], args[1]) end)
redis.register_function{function_name='mget1', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}" >/dev/null
    run monitor_lines $'FCALL mset1 1 a b\nFCALL_RO mget1 1 a'
    assert_success
    assert_line -n 0 '[0 ADDR] "FCALL" "mset1" "1" "a" "b"'
    assert_line -n 1 '[0 lua] "set" "a" "b"'
    assert_line -n 2 '[0 ADDR] "FCALL_RO" "mget1" "1" "a"'
    assert_line -n 3 '[0 lua] "get" "a"'
    [ "${#lines[@]}" -eq 4 ]
}

@test "MULTI/EXEC: queued commands are shown when EXEC runs them, EXEC last, scripts inside too" {
    run monitor_lines $'MULTI\nSET x 1\nEVAL "return redis.call(\'incr\',\'x\')" 0\nSELECT 4\nSET y 2\nEXEC\nSELECT 0\nMULTI\nSET x 1\nGET\nEXEC'
    assert_success
    assert_line -n 0 '[0 ADDR] "MULTI"'
    assert_line -n 1 '[0 ADDR] "SET" "x" "1"'
    assert_line -n 2 "[0 ADDR] \"EVAL\" \"return redis.call('incr','x')\" \"0\""
    assert_line -n 3 '[0 lua] "incr" "x"'
    assert_line -n 4 '[4 ADDR] "SELECT" "4"'
    assert_line -n 5 '[4 ADDR] "SET" "y" "2"'
    assert_line -n 6 '[4 ADDR] "EXEC"'
    assert_line -n 7 '[0 ADDR] "SELECT" "0"'
    # a transaction doomed at queue time: only MULTI and the EXEC that aborts
    assert_line -n 8 '[0 ADDR] "MULTI"'
    assert_line -n 9 '[0 ADDR] "EXEC"'
    [ "${#lines[@]}" -eq 10 ]
}
