#!/usr/bin/env bats
# Lua scripting: EVAL/EVALSHA/EVAL_RO, SCRIPT, the busy-script time limit
# (BUSY replies, SCRIPT KILL, UNKILLABLE, SHUTDOWN NOSAVE) seen from a second
# connection, deny-oom, blocking commands inside scripts, INFO memory, and a
# real client (python3-redis register_script). Reply-by-reply comparisons
# with redis-server are in tests/compat/scripts/scripting*.txt.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() { kvd_stop; }

@test "EVAL runs a script with KEYS and ARGV and writes through redis.call" {
    run kvcli EVAL "return redis.call('set', KEYS[1], ARGV[1])" 1 greeting hello
    assert_output "OK"
    run kvcli GET greeting
    assert_output "hello"
    run kvcli EVAL "return {KEYS[1], ARGV[1], ARGV[2]}" 1 k a b
    assert_output $'k\na\nb'
}

@test "SCRIPT LOAD, EXISTS, EVALSHA and FLUSH share one cache" {
    sha=$(kvcli SCRIPT LOAD "return 'cached'")
    assert_equal "$sha" "$(printf %s "return 'cached'" | sha1sum | cut -c1-40)"
    run kvcli EVALSHA "$sha" 0
    assert_output "cached"
    run kvcli SCRIPT EXISTS "$sha" ffffffffffffffffffffffffffffffffffffffff
    assert_output $'1\n0'
    run kvcli INFO memory
    assert_line --regexp '^number_of_cached_scripts:1'
    run kvcli SCRIPT FLUSH
    assert_output "OK"
    run kvcli EVALSHA "$sha" 0
    assert_output "NOSCRIPT No matching script. Please use EVAL."
    run kvcli INFO memory
    assert_line --regexp '^number_of_cached_scripts:0'
}

@test "a busy script gets BUSY replies for others, SCRIPT KILL stops it" {
    kvcli CONFIG SET busy-reply-threshold 100 >/dev/null
    run kvcli CONFIG GET lua-time-limit
    assert_output $'lua-time-limit\n100'
    pyrun <<'PY'
a = connect()
b = connect()
a.send("EVAL", "local i = 0 while true do i = i + 1 end", 0)
deadline = time.time() + 10
while True:
    r = b.call("PING")
    if isinstance(r, Error):
        break
    if time.time() > deadline:
        fail("never busy: %r" % r)
    time.sleep(0.05)
if r != "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.":
    fail("busy error: %r" % r)
stats = b.call("FUNCTION", "STATS")
if stats[0] != b"running_script" or stats[1][0] != b"name" or len(stats[1][1]) != 40:
    fail("stats: %r" % stats)
if stats[1][3][0] != b"EVAL":
    fail("stats command: %r" % stats)
k = b.call("FUNCTION", "KILL")
if not k.startswith("BUSY") or "SCRIPT KILL" not in k:
    fail("function kill on a script: %r" % k)
if b.call("SCRIPT", "KILL") != b"OK":
    fail("script kill")
r = a.read(timeout=10)
if not (isinstance(r, Error) and r.startswith("ERR Script killed by user with SCRIPT KILL...")):
    fail("killed script reply: %r" % r)
if b.call("PING") != b"PONG" or a.call("PING") != b"PONG":
    fail("server not back")
if b.call("SCRIPT", "KILL") != "NOTBUSY No scripts in execution right now.":
    fail("notbusy")
PY
}

@test "SCRIPT KILL from a connection opened while the script is busy (kv-cli, redis-cli)" {
    kvcli CONFIG SET busy-reply-threshold 100 >/dev/null
    pyrun <<'PY'
a = connect()
a.send("EVAL", "local i = 0 while true do i = i + 1 end", 0)
time.sleep(0.5)
PY
    # The script is busy now (0.5 s > 100 ms): a brand-new connection must
    # be accepted and served.
    run timeout 10 "$KV_BIN/kv-cli" -h 127.0.0.1 -p "$KVD_PORT" PING
    assert_output --partial "BUSY Redis is busy running a script"
    run timeout 10 "$KV_BIN/kv-cli" -h 127.0.0.1 -p "$KVD_PORT" SCRIPT KILL
    assert_output OK
    run timeout 10 "$KV_BIN/kv-cli" -h 127.0.0.1 -p "$KVD_PORT" PING
    assert_output PONG
}

@test "a script that wrote is UNKILLABLE; SHUTDOWN needs NOSAVE" {
    kvcli CONFIG SET busy-reply-threshold 50 >/dev/null
    pyrun <<'PY'
a = connect()
b = connect()
a.send("EVAL", "redis.call('set','w','1') while true do end", 0)
deadline = time.time() + 10
while not isinstance(b.call("PING"), Error):
    if time.time() > deadline:
        fail("never busy")
    time.sleep(0.05)
r = b.call("SCRIPT", "KILL")
if not r.startswith("UNKILLABLE Sorry the script already executed write commands"):
    fail("kill: %r" % r)
r = b.call("SHUTDOWN")
if not r.startswith("BUSY"):
    fail("plain shutdown: %r" % r)
b.send("SHUTDOWN", "NOSAVE")
PY
    # The server exits from inside the script.
    wait_until 10 bash -c "! kill -0 $KVD_PID 2>/dev/null"
}

@test "EVAL_RO and no-writes scripts refuse writes; deny-oom before the first write" {
    run kvcli EVAL_RO "return redis.call('set','k','v')" 0
    assert_output --partial "ERR Write commands are not allowed from read-only scripts."
    run kvcli EVAL "#!lua flags=no-writes
return redis.call('set','k','v')" 0
    assert_output --partial "Write commands are not allowed from read-only scripts."
    kvcli CONFIG SET maxmemory 1 >/dev/null
    run kvcli EVAL "return redis.call('set','k','v')" 0
    assert_output --partial "OOM command not allowed when used memory > 'maxmemory'."
    run kvcli EVAL "#!lua
return 1" 0
    assert_output "OOM command not allowed when used memory > 'maxmemory'."
    run kvcli EVAL "#!lua flags=no-writes
return 2" 0
    assert_output "2"
    run kvcli EVAL "#!lua flags=allow-oom
return redis.call('set','k','v')" 0
    assert_output "OK"
    kvcli CONFIG SET maxmemory 0 >/dev/null
}

@test "noscript commands are refused unless DEBUG SET-DISABLE-DENY-SCRIPTS" {
    run kvcli EVAL "return redis.call('client','id')" 0
    assert_output --partial "This Redis command is not allowed from script"
    run kvcli DEBUG SET-DISABLE-DENY-SCRIPTS 1
    assert_output "OK"
    run kvcli EVAL "return type(redis.call('client','id'))" 0
    assert_output "number"
    kvcli DEBUG SET-DISABLE-DENY-SCRIPTS 0 >/dev/null
}

@test "a script's writes wake a blocked client after the script" {
    pyrun <<'PY'
a = connect()
b = connect()
a.send("BLPOP", "q", 5)
time.sleep(0.2)
r = b.call("EVAL", "redis.call('rpush','q','x') return redis.call('llen','q')", 0)
if r != 1:
    fail("llen inside the script: %r" % r)
r = a.read(timeout=5)
if r != [b"q", b"x"]:
    fail("blocked client: %r" % r)
PY
}

@test "python3-redis register_script falls back from EVALSHA to EVAL" {
    pyrun <<'PY'
import redis
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
r.script_flush()
release = r.register_script(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end")
if not r.set("lock", "token", nx=True, ex=10):
    fail("lock")
if release(keys=["lock"], args=["other"]) != 0 or release(keys=["lock"], args=["token"]) != 1:
    fail("release")
if r.exists("lock"):
    fail("lock still there")
bucket = r.register_script("""
local tokens = tonumber(redis.call('get', KEYS[1]) or ARGV[1])
if tokens > 0 then redis.call('set', KEYS[1], tokens - 1) return 1 end
return 0""")
got = [bucket(keys=["bucket"], args=[3]) for _ in range(5)]
if got != [1, 1, 1, 0, 0]:
    fail("token bucket: %r" % got)
PY
}

@test "INFO memory reports the Lua VM" {
    run kvcli INFO memory
    assert_line --regexp '^used_memory_lua:[1-9][0-9]*'
    assert_line --regexp '^used_memory_vm_total:[1-9][0-9]*'
    assert_line --regexp '^number_of_libraries:0'
}

# The incr file's commands, one per line, arguments space separated
# (PXAT values replaced by N).
aof_commands() {
    "$KV_PYTHON" - "$KVD_DIR/appendonlydir/appendonly.aof.1.incr.aof" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
i, out = 0, []
while i < len(data):
    assert data[i:i+1] == b"*", data[i:i+20]
    j = data.index(b"\r\n", i)
    n, i, args = int(data[i+1:j]), j + 2, []
    for _ in range(n):
        j = data.index(b"\r\n", i)
        ln = int(data[i+1:j])
        args.append(data[j+2:j+2+ln].decode())
        i = j + 2 + ln + 2
    if len(args) == 5 and args[3] == "PXAT":
        args[4] = "N"
    out.append(" ".join(args))
print("\n".join(out))
PY
}

@test "redis.set_repl: REPL_NONE propagates nothing, REPL_AOF reaches the AOF, REPL_REPLICA does not" {
    kvd_stop
    kvd_start --appendonly yes --appendfsync always
    run kvcli EVAL "redis.set_repl(redis.REPL_NONE); redis.call('set','none','1'); redis.set_repl(redis.REPL_AOF); redis.call('set','aof','1'); redis.set_repl(redis.REPL_REPLICA); redis.call('set','replica','1'); redis.set_repl(redis.REPL_ALL); return redis.call('set','all','1')" 0
    assert_output "OK"
    run kvcli EVAL "redis.set_repl(redis.REPL_SLAVE); return redis.call('set','slaveonly','1')" 0
    run kvcli EVAL "redis.set_repl(redis.REPL_NONE); redis.call('set','n2','1'); redis.call('set','n3','1'); return 1" 0
    run kvcli EVAL "redis.set_repl(redis.REPL_AOF); redis.call('set','a2','1'); return 1" 0
    # one command left after filtering: no MULTI/EXEC around it
    run kvcli EVAL "redis.call('set','t','1','px','100000'); redis.set_repl(redis.REPL_NONE); redis.call('incr','cnt'); return 1" 0
    run kvcli SET marker end
    # every key exists in memory whatever set_repl said
    run kvcli DBSIZE
    assert_output 11
    run aof_commands
    assert_success
    # as Redis 7.0 writes it (checked against redis-server 7.0.15): a unit is
    # wrapped when it holds more than one command for any target
    assert_output "SELECT 0
MULTI
set aof 1
set all 1
EXEC
set a2 1
SET t 1 PXAT N
SET marker end"
    # after a restart the keys set with REPL_NONE / REPL_REPLICA are gone
    kvd_restart
    run kvcli EXISTS none replica slaveonly n2 n3 cnt
    assert_output 0
    run kvcli EXISTS aof all a2 t marker
    assert_output 5
}

@test "redis.set_repl argument errors are Redis 7.0's" {
    run kvcli EVAL "redis.set_repl()" 0
    assert_output --partial "ERR redis.set_repl() requires two arguments. script:"
    run kvcli EVAL "redis.set_repl(1, 2)" 0
    assert_output --partial "ERR redis.set_repl() requires two arguments. script:"
    run kvcli EVAL "redis.set_repl(4)" 0
    assert_output --partial "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script:"
    run kvcli EVAL "redis.set_repl(-1)" 0
    assert_output --partial "ERR Invalid replication flags."
    run kvcli EVAL "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}" 0
    assert_output $'0\n1\n2\n2\n3'
}

@test "time is frozen for expiry during a script: a PX 10 key stays visible while the script loops past it" {
    run kvcli EVAL "redis.call('set','pk','v','px','10')
local t0 = redis.call('time')
local n = 0
while n < 10000000 do
  local t = redis.call('time')
  n = n + 1
  if (t[1]-t0[1])*1000000 + (t[2]-t0[2]) > 50000 then break end
end
return {redis.call('exists','pk'), redis.call('get','pk'), redis.call('pttl','pk'), n > 1 and 1 or 0}" 0
    # PTTL reads the real clock (clamped at 0), as Redis 7.0
    assert_output $'1\nv\n0\n1'
    # once the script is over the key is gone
    run kvcli EXISTS pk
    assert_output 0
    # a key already expired when the script starts is not seen
    kvcli SET gone v PX 1 >/dev/null
    sleep 0.05
    run kvcli EVAL "return redis.call('exists','gone')" 0
    assert_output 0
}

@test "time is frozen for expiry during EXEC: a key expiring mid-transaction stays visible to it" {
    run resp_send -n 9 'SET ek v PX 30\r\nMULTI\r\nGET ek\r\nDEBUG SLEEP 0.06\r\nGET ek\r\nEXISTS ek\r\nPTTL ek\r\nEXEC\r\nEXISTS ek\r\n'
    assert_success
    assert_line -n 7 '*5\r\n$1\r\nv\r\n+OK\r\n$1\r\nv\r\n:1\r\n:0\r\n'
    assert_line -n 8 ':0\r\n'
}

# "calls/rejected/failed" of one command in INFO commandstats ("-" if absent).
cmdstat() {
    kvcli INFO commandstats | tr -d '\r' |
        sed -n "s/^cmdstat_$1:calls=\([0-9]*\),.*rejected_calls=\([0-9]*\),failed_calls=\([0-9]*\)$/\1\/\2\/\3/p" |
        grep . || echo -
}
info_section() { kvcli INFO "$1" | tr -d '\r'; }

@test "commandstats: errors inside scripts count on the command that failed, the script's call fails once" {
    kvcli SET s x >/dev/null
    kvcli CONFIG RESETSTAT >/dev/null
    kvcli EVAL "redis.pcall('incr','s') redis.pcall('incr','s') return redis.call('incr','s')" 0 >/dev/null
    assert_equal "$(cmdstat incr)" 3/0/3
    assert_equal "$(cmdstat eval)" 1/0/1
    # two returned errors already counted: two failures of EVAL (Redis 7.0)
    kvcli CONFIG RESETSTAT >/dev/null
    kvcli EVAL "return {redis.pcall('incr','s'), redis.pcall('incr','s')}" 0 >/dev/null
    assert_equal "$(cmdstat eval)" 1/0/2
    # two new errors in one reply: one failure
    kvcli CONFIG RESETSTAT >/dev/null
    kvcli EVAL "return {{err='X y'}, {err='Z y'}}" 0 >/dev/null
    assert_equal "$(cmdstat eval)" 1/0/1
    # an error swallowed by the script: the inner command failed, EVAL did not
    kvcli CONFIG RESETSTAT >/dev/null
    kvcli EVAL "local r = redis.pcall('incr','s') return 1" 0 >/dev/null
    assert_equal "$(cmdstat incr)" 1/0/1
    assert_equal "$(cmdstat eval)" 1/0/0
    run info_section stats
    assert_line "total_error_replies:1"
}

@test "commandstats: calls a script may not make are rejected_calls of that command" {
    kvcli CONFIG RESETSTAT >/dev/null
    kvcli EVAL "local r = redis.pcall('get') return 1" 0 >/dev/null
    kvcli EVAL_RO "return redis.call('set','a','b')" 0 >/dev/null
    kvcli EVAL "return redis.pcall('multi')" 0 >/dev/null
    kvcli EVAL "return redis.pcall('eval','return 1','0')" 0 >/dev/null
    assert_equal "$(cmdstat get)" 0/1/0
    assert_equal "$(cmdstat set)" 0/1/0
    assert_equal "$(cmdstat multi)" 0/1/0
    # the inner EVAL was refused, the outer failed by returning its error
    assert_equal "$(cmdstat eval)" 3/1/2
    assert_equal "$(cmdstat eval_ro)" 1/0/1
    run info_section errorstats
    assert_line "errorstat_ERR:count=4"
}

@test "commandstats inside EXEC: queued commands and scripts count as at top level" {
    kvcli CONFIG RESETSTAT >/dev/null
    run resp_send -n 7 'MULTI\r\nSET s x\r\nINCR s\r\nEVAL "return redis.call(\\"incr\\",\\"s\\",\\"x\\")" 0\r\nEVAL "return redis.pcall(\\"incr\\",\\"s\\")" 0\r\nEXEC\r\n'
    assert_success
    assert_equal "$(cmdstat incr)" 2/1/2
    assert_equal "$(cmdstat eval)" 2/0/2
    assert_equal "$(cmdstat exec)" 1/0/0
    run info_section errorstats
    assert_line "errorstat_ERR:count=3"
}

@test "SCRIPT DEBUG: NO accepted, YES/SYNC refused (no Lua debugger), refused inside a pipeline as Redis" {
    run kvcli SCRIPT DEBUG NO
    assert_output OK
    run kvcli SCRIPT DEBUG YES
    assert_output "ERR SCRIPT DEBUG YES/SYNC is not supported: kvd has no Lua debugger"
    run kvcli SCRIPT DEBUG sync
    assert_output "ERR SCRIPT DEBUG YES/SYNC is not supported: kvd has no Lua debugger"
    run kvcli SCRIPT DEBUG maybe
    assert_output "ERR Use SCRIPT DEBUG YES/SYNC/NO"
    # earlier replies not yet written: Redis 7.0 refuses whatever the mode
    run resp_send -n 3 'PING\r\nSCRIPT DEBUG NO\r\nSCRIPT DEBUG YES\r\n'
    assert_line -n 0 '+PONG\r\n'
    assert_line -n 1 '-ERR SCRIPT DEBUG must be called outside a pipeline\r\n'
    assert_line -n 2 '-ERR SCRIPT DEBUG must be called outside a pipeline\r\n'
}
