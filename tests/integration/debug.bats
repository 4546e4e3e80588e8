#!/usr/bin/env bats
# DEBUG: digest (equal to redis-server's for the same data), OBJECT, SLEEP,
# POPULATE, PROTOCOL in RESP2 and RESP3, SET-ACTIVE-EXPIRE, HTSTATS,
# ERROR/LOG, REPLYBUFFER (and the reply buffer sizing it steers), PAUSE-CRON,
# CLIENT-EVICTION, CHANGE-REPL-ID, CONFIG-REWRITE-FORCE-ALL, MALLCTL(-STR),
# SDSLEN, STRUCTSIZE, RESTART, CRASH-AND-RECOVER, the cluster-only ones and
# the error replies.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() { kvd_stop; }

ZEROS=0000000000000000000000000000000000000000

# Loads the same mixed string data into the current instance.
load_sample_data() {
    kvcli MSET small bar int 12345 neg -7 big 1234567890123 zero 0 \
        padded 0123 float 3.14 empty "" >/dev/null
    kvcli SET long "$(printf 'a%.0s' {1..100})" >/dev/null
    kvcli SET spaced "hello world, this value is longer than forty-four bytes" >/dev/null
    kvcli SET withttl v EX 1000 >/dev/null
    kvcli APPEND appended more >/dev/null
    kvcli -n 3 SET other db3 >/dev/null
    kvcli -n 3 SET key:0 1 PX 500000 >/dev/null
}

@test "DEBUG HELP and unknown subcommands" {
    run kvcli DEBUG HELP
    assert_line -n 0 'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'
    assert_line 'DIGEST-VALUE <key> [<key> ...]'
    assert_line 'PROTOCOL <type>'
    assert_line -n -1 '    Prints this help.'
    run resp_cmd DEBUG nosuch
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.\r\n"
    run resp_cmd DEBUG object
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG HELP.\r\n"
    run resp_cmd debug digest extra
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'digest'. Try DEBUG HELP.\r\n"
}

@test "DEBUG DIGEST: zeros when empty, changes with data, back to zeros" {
    run resp_cmd DEBUG DIGEST
    assert_output "+$ZEROS\r\n"
    kvcli SET a 1 >/dev/null
    run kvcli DEBUG DIGEST
    assert_output --regexp '^[0-9a-f]{40}$'
    refute_output "$ZEROS"
    local one=$output
    kvcli SET a 2 >/dev/null
    run kvcli DEBUG DIGEST
    refute_output "$one"
    kvcli DEL a >/dev/null
    run kvcli DEBUG DIGEST
    assert_output "$ZEROS"
}

@test "DEBUG DIGEST does not depend on insertion order or TTL values" {
    kvcli SET x 1 EX 100 >/dev/null
    kvcli SET y two >/dev/null
    local first
    first=$(kvcli DEBUG DIGEST)
    kvcli FLUSHALL >/dev/null
    kvcli SET y two >/dev/null
    kvcli SET x 1 EX 5000 >/dev/null
    [ "$(kvcli DEBUG DIGEST)" = "$first" ]
    # ... but the presence of a TTL matters, and so does the database.
    kvcli PERSIST x >/dev/null
    [ "$(kvcli DEBUG DIGEST)" != "$first" ]
}

@test "DEBUG DIGEST and DIGEST-VALUE equal redis-server's for the same data" {
    [ -x /usr/bin/redis-server ] || skip "no redis-server"
    load_sample_data
    local ours oursv
    ours=$(kvcli DEBUG DIGEST)
    oursv=$(kvcli DEBUG DIGEST-VALUE small int long withttl appended nosuchkey)
    KVD_SERVER=/usr/bin/redis-server kvd_start_as redis
    load_sample_data
    [ "$(kvcli DEBUG DIGEST)" = "$ours" ]
    [ "$(kvcli DEBUG DIGEST-VALUE small int long withttl appended nosuchkey)" = "$oursv" ]
    [ "$ours" != "$ZEROS" ]
}

@test "DEBUG DIGEST-VALUE: one digest per key, zeros for missing keys" {
    kvcli SET a hello >/dev/null
    run resp_cmd DEBUG DIGEST-VALUE a missing
    assert_output --regexp '^\*2\\r\\n\+[0-9a-f]{40}\\r\\n\+0{40}\\r\\n$'
    run resp_cmd DEBUG DIGEST-VALUE
    assert_output '*0\r\n'
}

@test "DEBUG OBJECT describes a key as Redis does" {
    kvcli SET i 12345 >/dev/null
    kvcli SET b 1234567890123 >/dev/null
    kvcli SET s hello >/dev/null
    kvcli SET r "$(printf 'x%.0s' {1..50})" >/dev/null
    kvcli SET shared 7 >/dev/null
    run kvcli DEBUG OBJECT i
    assert_output --regexp '^Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:3 lru:[0-9]+ lru_seconds_idle:[0-9]+$'
    run kvcli DEBUG OBJECT b
    assert_output --regexp ' encoding:int serializedlength:14 '
    run kvcli DEBUG OBJECT s
    assert_output --regexp ' refcount:1 encoding:embstr serializedlength:6 '
    run kvcli DEBUG OBJECT r
    assert_output --regexp ' encoding:raw serializedlength:[0-9]+ '
    run kvcli DEBUG OBJECT shared
    assert_output --regexp ' refcount:2147483647 encoding:int serializedlength:2 '
    run resp_cmd DEBUG OBJECT nosuchkey
    assert_output '-ERR no such key\r\n'
}

@test "DEBUG SLEEP blocks the server for the given time" {
    local start end
    start=$(date +%s%N)
    run kvcli DEBUG SLEEP 0.5
    end=$(date +%s%N)
    assert_output OK
    [ $(((end - start) / 1000000)) -ge 450 ]
    [ $(((end - start) / 1000000)) -lt 5000 ]
    # Redis reads the number with strtod: junk and negatives sleep 0.
    run kvcli DEBUG SLEEP abc
    assert_output OK
    run kvcli DEBUG SLEEP -1
    assert_output OK
}

@test "DEBUG POPULATE creates missing keys only, with prefix and size" {
    kvcli SET key:1 mine >/dev/null
    run kvcli DEBUG POPULATE 3
    assert_output OK
    [ "$(kvcli DBSIZE)" = 3 ]
    [ "$(kvcli GET key:0)" = value:0 ]
    [ "$(kvcli GET key:1)" = mine ]
    [ "$(kvcli GET key:2)" = value:2 ]
    kvcli DEBUG POPULATE 2 p 3 >/dev/null
    [ "$(kvcli GET p:1)" = val ]
    kvcli DEBUG POPULATE 1 q 10 >/dev/null
    run resp_cmd GET q:0
    assert_output '$10\r\nvalue:0\x00\x00\x00\r\n'
    kvcli DEBUG POPULATE 0 >/dev/null
    [ "$(kvcli DBSIZE)" = 6 ]
    run resp_cmd DEBUG POPULATE -1
    assert_output '-ERR value is out of range, must be positive\r\n'
    run resp_cmd DEBUG POPULATE 2 z x
    assert_output '-ERR value is out of range, must be positive\r\n'
    run kvcli OBJECT ENCODING key:0
    assert_output embstr
}

@test "DEBUG POPULATE fills a large keyspace quickly" {
    run kvcli DEBUG POPULATE 100000 bulk
    assert_output OK
    [ "$(kvcli DBSIZE)" = 100000 ]
    [ "$(kvcli GET bulk:99999)" = value:99999 ]
}

@test "DEBUG PROTOCOL in RESP2" {
    run resp_cmd DEBUG PROTOCOL string
    assert_output '$11\r\nHello World\r\n'
    run resp_cmd DEBUG PROTOCOL integer
    assert_output ':12345\r\n'
    run resp_cmd DEBUG PROTOCOL double
    assert_output '$5\r\n3.141\r\n'
    run resp_cmd DEBUG PROTOCOL bignum
    assert_output '$37\r\n1234567999999999999999999999999999999\r\n'
    run resp_cmd DEBUG PROTOCOL null
    assert_output '$-1\r\n'
    run resp_cmd DEBUG PROTOCOL array
    assert_output '*3\r\n:0\r\n:1\r\n:2\r\n'
    run resp_cmd DEBUG PROTOCOL set
    assert_output '*3\r\n:0\r\n:1\r\n:2\r\n'
    run resp_cmd DEBUG PROTOCOL map
    assert_output '*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n'
    run resp_cmd DEBUG PROTOCOL attrib
    assert_output '$39\r\nSome real reply following the attribute\r\n'
    run resp_cmd DEBUG PROTOCOL push
    assert_output '-ERR RESP2 is not supported by this command\r\n'
    run resp_cmd DEBUG PROTOCOL verbatim
    assert_output '$25\r\nThis is a verbatim\nstring\r\n'
    run resp_cmd DEBUG PROTOCOL true
    assert_output ':1\r\n'
    run resp_cmd DEBUG PROTOCOL false
    assert_output ':0\r\n'
    run resp_cmd DEBUG PROTOCOL nosuch
    assert_output '-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n'
}

# resp3 TYPE: the reply of DEBUG PROTOCOL TYPE after HELLO 3 (and what follows it).
resp3() {
    resp_send -n "${2:-2}" "HELLO 3\r\nDEBUG PROTOCOL $1\r\n" | tail -n +2
}

@test "DEBUG PROTOCOL in RESP3" {
    run resp3 string
    assert_output '$11\r\nHello World\r\n'
    run resp3 double
    assert_output ',3.141\r\n'
    run resp3 bignum
    assert_output '(1234567999999999999999999999999999999\r\n'
    run resp3 null
    assert_output '_\r\n'
    run resp3 set
    assert_output '~3\r\n:0\r\n:1\r\n:2\r\n'
    run resp3 map
    assert_output '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n'
    run resp3 attrib
    assert_output '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n'
    run resp3 push 3
    assert_line -n 0 '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n'
    assert_line -n 1 '$40\r\nSome real reply following the push reply\r\n'
    run resp3 verbatim
    assert_output '=29\r\ntxt:This is a verbatim\nstring\r\n'
    run resp3 true
    assert_output '#t\r\n'
    run resp3 false
    assert_output '#f\r\n'
}

@test "DEBUG PROTOCOL through redis-cli -3 reads as it does from redis-server" {
    run kvcli -3 DEBUG PROTOCOL true
    assert_output '(true)'
    run kvcli -3 DEBUG PROTOCOL map
    assert_output "$(printf '0 (false)\n1 (true)\n2 (false)')"
    [ -x /usr/bin/redis-server ] || skip "no redis-server"
    local t ours=() theirs=()
    # bignum is left out: Debian's redis-cli cannot print it.
    local types=(string integer double null array set map attrib push verbatim true false)
    for t in "${types[@]}"; do ours+=("$(kvcli -3 DEBUG PROTOCOL "$t" 2>&1 || true)"); done
    KVD_SERVER=/usr/bin/redis-server kvd_start_as redis
    for t in "${types[@]}"; do theirs+=("$(kvcli -3 DEBUG PROTOCOL "$t" 2>&1 || true)"); done
    for i in "${!types[@]}"; do
        [ "${ours[$i]}" = "${theirs[$i]}" ] || {
            echo "${types[$i]}: kvd '${ours[$i]}' redis '${theirs[$i]}'"
            return 1
        }
    done
}

@test "DEBUG SET-ACTIVE-EXPIRE 0 keeps untouched expired keys" {
    run kvcli DEBUG SET-ACTIVE-EXPIRE 0
    assert_output OK
    kvcli DEBUG POPULATE 50 >/dev/null
    for i in 0 1 2 3 4 5 6 7 8 9; do kvcli PEXPIRE "key:$i" 10 >/dev/null; done
    sleep 0.5
    # Expired but nobody touched them and the active cycle is off.
    [ "$(kvcli DBSIZE)" = 50 ]
    kvcli DEBUG SET-ACTIVE-EXPIRE 1 >/dev/null
    run wait_until 5 bash -c "[ \"\$(redis-cli -p $KVD_PORT DBSIZE)\" = 40 ]"
    assert_success
}

@test "DEBUG HTSTATS and HTSTATS-KEY" {
    run resp_cmd DEBUG HTSTATS 0
    assert_output '$189\r\n[Dictionary HT]\nHash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n[Expires HT]\nHash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n\r\n'
    kvcli SET a 1 >/dev/null
    run kvcli DEBUG HTSTATS 0
    assert_line -n 0 '[Dictionary HT]'
    assert_line ' number of elements: 1'
    assert_line ' Chain length distribution:'
    assert_line '[Expires HT]'
    run resp_cmd DEBUG HTSTATS 16
    assert_output '-ERR Out of range database\r\n'
    run resp_cmd DEBUG HTSTATS x
    assert_output '-ERR value is not an integer or out of range\r\n'
    run resp_cmd DEBUG HTSTATS-KEY a
    assert_output '-ERR The value stored at the specified key is not represented using an hash table\r\n'
    run resp_cmd DEBUG HTSTATS-KEY nosuchkey
    assert_output '-ERR no such key\r\n'
}

@test "DEBUG ERROR, LOG, LEAK" {
    run resp_cmd DEBUG ERROR "MYERR something odd"
    assert_output '-MYERR something odd\r\n'
    run kvcli DEBUG LOG "marker-$$"
    assert_output OK
    kvd_log_wait "DEBUG LOG: marker-$$"
    run kvcli DEBUG LEAK abc
    assert_output OK
    # Redis does not count DEBUG ERROR's reply as an error.
    run kvcli INFO errorstats
    refute_output --partial 'MYERR'
    run kvcli INFO commandstats
    assert_line --regexp '^cmdstat_debug:calls=[0-9]+,.*,failed_calls=0'
}

@test "DEBUG PAUSE-CRON and REPLYBUFFER settings" {
    run kvcli DEBUG PAUSE-CRON 1
    assert_output OK
    run kvcli DEBUG PAUSE-CRON 0
    assert_output OK
    run kvcli PING
    assert_output PONG
    run kvcli DEBUG REPLYBUFFER PEAK-RESET-TIME never
    assert_output OK
    run kvcli DEBUG REPLYBUFFER PEAK-RESET-TIME 100
    assert_output OK
    run kvcli DEBUG REPLYBUFFER PEAK-RESET-TIME reset
    assert_output OK
    run resp_cmd DEBUG REPLYBUFFER PEAK-RESET-TIME soon
    assert_output '-ERR value is not an integer or out of range\r\n'
    run kvcli DEBUG REPLYBUFFER RESIZING 0
    assert_output OK
    run resp_cmd DEBUG REPLYBUFFER other 0
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'REPLYBUFFER'. Try DEBUG HELP.\r\n"
}

@test "DEBUG STRINGMATCH-TEST survives the glob fuzzer" {
    run resp_cmd -t 120 DEBUG STRINGMATCH-TEST
    assert_output '+Apparently Redis did not crash: test passed\r\n'
}

@test "DEBUG SEGFAULT crashes the server" {
    run resp_send -c -t 5 '*2\r\n$5\r\nDEBUG\r\n$8\r\nSEGFAULT\r\n'
    refute_output --partial '+OK'
    run wait_until 10 bash -c "! kill -0 $KVD_PID 2>/dev/null"
    assert_success
}

@test "DEBUG HELP is Redis 7.0's text" {
    run kvcli DEBUG HELP
    assert_line 'QUICKLIST-PACKED-THRESHOLD <size>'
    assert_line '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.'
    assert_line 'LISTPACK <key>'
    assert_line '    The optional argument (0 by default) sets the level of detail'
    # 7.0.15 prints 106 lines (with HELP itself)
    [ "${#lines[@]}" = 106 ]
}

@test "DEBUG LISTPACK prints a listpack-encoded hash or zset on stdout" {
    kvcli HSET h field hello num 12345678901 >/dev/null
    kvcli ZADD z 1.5 member >/dev/null
    kvcli RPUSH l a b >/dev/null
    kvcli SET s v >/dev/null
    run resp_cmd DEBUG LISTPACK h
    assert_output "+Listpack structure printed on stdout\r\n"
    run resp_cmd DEBUG LISTPACK z
    assert_output "+Listpack structure printed on stdout\r\n"
    run cat "$KVD_DIR/stdout.log"
    assert_output --partial '{total bytes 36} {num entries 4}'
    assert_output --partial '[str]hello'
    assert_output --partial '[int]12345678901'
    assert_output --partial '[str]member'
    # Redis 7.0 lists are quicklists, not listpacks
    run resp_cmd DEBUG LISTPACK l
    assert_output "-ERR Not a listpack encoded object.\r\n"
    run resp_cmd DEBUG LISTPACK s
    assert_output "-ERR Not a listpack encoded object.\r\n"
    run resp_cmd DEBUG LISTPACK nokey
    assert_output "-ERR no such key\r\n"
    run resp_cmd DEBUG LISTPACK
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'LISTPACK'. Try DEBUG HELP.\r\n"
}

@test "DEBUG QUICKLIST prints a list's nodes, PLAIN ones included" {
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 8 >/dev/null
    kvcli RPUSH l a 0123456789 b >/dev/null
    kvcli DEBUG QUICKLIST-PACKED-THRESHOLD 0 >/dev/null
    kvcli HSET h f v >/dev/null
    run resp_cmd DEBUG QUICKLIST l
    assert_output "+Quicklist structure printed on stdout\r\n"
    run resp_cmd DEBUG QUICKLIST l 1
    assert_output "+Quicklist structure printed on stdout\r\n"
    run cat "$KVD_DIR/stdout.log"
    assert_output --partial '{count : 3}'
    assert_output --partial '{container : PLAIN, encoding: RAW, size: 10, count: 1'
    assert_output --partial '{container : PACKED, encoding: RAW, size: 10, count: 1'
    assert_output --partial '0123456789'
    run resp_cmd DEBUG QUICKLIST h
    assert_output "-ERR Not a quicklist encoded object.\r\n"
    run resp_cmd DEBUG QUICKLIST nokey
    assert_output "-ERR no such key\r\n"
}

@test "DEBUG RELOAD saves, flushes and loads back; bad options refused as Redis 7.0" {
    run kvcli DEBUG RELOAD FOO
    assert_output "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."
    kvcli SET a 1 >/dev/null
    kvcli RPUSH l x y z >/dev/null
    local digest
    digest=$(kvcli DEBUG DIGEST)
    rm -f "$KVD_DIR/dump.rdb"
    assert_equal "$(kvcli DEBUG RELOAD)" OK
    # the default saves first: the file exists and holds the data set
    [ -f "$KVD_DIR/dump.rdb" ]
    assert_equal "$(kvcli DEBUG DIGEST)" "$digest"
}

@test "DEBUG RELOAD NOSAVE replaces the data set with the file's, without saving" {
    kvcli SET a 1 >/dev/null
    kvcli SAVE >/dev/null
    kvcli SET a 2 >/dev/null
    kvcli SET b 2 >/dev/null
    local sum
    sum=$(md5sum <"$KVD_DIR/dump.rdb")
    assert_equal "$(kvcli DEBUG RELOAD nosave)" OK
    assert_equal "$(md5sum <"$KVD_DIR/dump.rdb")" "$sum"
    assert_equal "$(kvcli GET a)" 1
    assert_equal "$(kvcli EXISTS b)" 0
    # no file: the load fails (Redis 7.0's text) after the flush
    rm -f "$KVD_DIR/dump.rdb"
    run kvcli DEBUG RELOAD NOSAVE
    assert_output "ERR Error trying to load the RDB dump"
    assert_equal "$(kvcli DBSIZE)" 0
}

@test "DEBUG RELOAD NOSAVE NOFLUSH MERGE adds the file's keys, the file winning conflicts" {
    kvcli SET a 1 >/dev/null
    kvcli SET c 3 >/dev/null
    kvcli SAVE >/dev/null
    kvcli SET a 2 >/dev/null
    kvcli SET b 2 >/dev/null
    assert_equal "$(kvcli DEBUG RELOAD NOSAVE NOFLUSH MERGE)" OK
    assert_equal "$(kvcli MGET a b c | tr '\n' ,)" "1,2,3,"
    assert_equal "$(kvcli DBSIZE)" 3
}

@test "DEBUG RELOAD NOSAVE NOFLUSH: disjoint keys are added, a conflict fails the load" {
    kvcli SET a 1 >/dev/null
    kvcli SAVE >/dev/null
    kvcli FLUSHALL >/dev/null
    kvcli SET b 2 >/dev/null
    assert_equal "$(kvcli DEBUG RELOAD NOSAVE NOFLUSH)" OK
    assert_equal "$(kvcli MGET a b | tr '\n' ,)" "1,2,"
    # a duplicate without MERGE: Redis 7.0 aborts the process; kvd refuses
    # the load and keeps serving (documented difference)
    run kvcli DEBUG RELOAD NOSAVE NOFLUSH
    assert_output "ERR Error trying to load the RDB dump"
    assert_equal "$(kvcli PING)" PONG
    grep -q "RDB has duplicated key 'a' in DB 0" "$KVD_DIR/stdout.log" "$KVD_DIR"/*.log 2>/dev/null
}

# --- DEBUG subcommands of Redis 7.0 added later: REPLYBUFFER's effect, ---
# --- CLIENT-EVICTION, CHANGE-REPL-ID, CONFIG-REWRITE-FORCE-ALL, MALLCTL, ---
# --- SDSLEN, STRUCTSIZE, RESTART, CRASH-AND-RECOVER and the cluster ones ---

# Runs a python3 snippet with `r` (a control connection) and `tc` (a client
# named "tc" on its own connection) to the current instance, and rb() giving
# tc's (rbs, rbp) from CLIENT LIST.
reply_buffer_py() {
    "$KV_PYTHON" - "$KVD_PORT" <<PY
import sys, time, redis
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
tc = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), single_connection_client=True)
tc.client_setname("tc")
def rb():
    for c in r.client_list():
        if c["name"] == "tc":
            return int(c["rbs"]), int(c["rbp"])
def wait(cond, secs=5):
    end = time.time() + secs
    while time.time() < end:
        if cond(*rb()):
            return True
        time.sleep(0.05)
    print("gave up at", rb())
    return False
$1
PY
}

@test "DEBUG REPLYBUFFER: with PEAK-RESET-TIME never and RESIZING 0 rbs and rbp stay" {
    run reply_buffer_py '
r.set("v", "x" * 3000)
r.execute_command("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never")
r.execute_command("DEBUG", "REPLYBUFFER", "RESIZING", "0")
tc.get("v")
before = rb()
time.sleep(0.6)  # several cron ticks
after = rb()
print(before[1] >= 3000, before == after)'
    assert_success
    assert_output "True True"
}

@test "DEBUG REPLYBUFFER: an idle client's rbs shrinks, a big reply's peak makes it 16 KB" {
    run reply_buffer_py '
r.set("mid", "m" * 5000)
r.set("bigval", "x" * 32768)
tc.get("mid")
r.execute_command("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "100")
print("shrunk", wait(lambda rbs, rbp: 1024 <= rbs < 2048 and rbp < 100))
r.execute_command("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never")
# kvd grows the buffer with the reply and cron trims it to 16 KB; Redis
# doubles it each tick the peak filled it, so the reply is asked again.
print("grown", wait(lambda rbs, rbp: tc.get("bigval") and 16384 <= rbs < 32768 and rbp >= 16384))
print("shrinks", int(r.info("stats")["reply_buffer_shrinks"]) > 0)'
    assert_success
    assert_line "shrunk True"
    assert_line "grown True"
    assert_line "shrinks True"
}

@test "CLIENT LIST rbp is the reply buffer's peak, not the query buffer's" {
    run reply_buffer_py '
r.execute_command("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "100")
wait(lambda rbs, rbp: rbp < 100)
r.execute_command("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never")
tc.set("k", "q" * 20000)   # a big request, a tiny reply
rbs, rbp = rb()
print(rbp < 100)
tc.get("k")
print(rb()[1] >= 16384)  # Redis counts up to its 16 KB buffer, kvd the whole reply'
    assert_success
    assert_output $'True\nTrue'
}

@test "DEBUG CLIENT-EVICTION prints the buckets in Redis's layout" {
    run resp_cmd DEBUG CLIENT-EVICTION
    assert_output '-ERR maxmemory-clients is disabled.\r\n'
    kvcli CONFIG SET maxmemory-clients 100mb >/dev/null
    run kvcli DEBUG CLIENT-EVICTION
    assert_success
    assert_line -n 0 --regexp '^bucket          0 - +[0-9]+: tot-mem: +[0-9]+, clients: [0-9]+$'
    assert_line -n -1 --regexp '^bucket +[0-9]+\+            : tot-mem: +[0-9]+, clients: [0-9]+$'
    [ "${#lines[@]}" = 20 ] # kvd's 20 buckets (Redis 7.0 has 19, from 32 KB up)
    # Our own connection is counted in some bucket.
    local total=0 n
    for n in $(printf '%s\n' "${lines[@]}" | sed 's/.*clients: //'); do total=$((total + n)); done
    [ "$total" -ge 1 ]
    # A verbatim string, as Redis replies.
    run resp_send -n 2 '*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n*2\r\n$5\r\nDEBUG\r\n$15\r\nCLIENT-EVICTION\r\n'
    assert_line -n 1 --regexp '^=[0-9]+\\r\\ntxt:bucket          0 - '
}

@test "DEBUG CHANGE-REPL-ID gives a new 40-hex master_replid" {
    local before after
    before=$(kvcli INFO replication | tr -d '\r' | sed -n 's/^master_replid://p')
    run kvcli DEBUG CHANGE-REPL-ID
    assert_output OK
    after=$(kvcli INFO replication | tr -d '\r' | sed -n 's/^master_replid://p')
    [[ "$after" =~ ^[0-9a-f]{40}$ ]]
    [ "$before" != "$after" ]
    run kvcli INFO replication
    assert_line --partial "master_replid2:0000000000000000000000000000000000000000"
    run resp_cmd DEBUG CHANGE-REPL-ID extra
    assert_output --partial "-ERR unknown subcommand"
}

@test "DEBUG CONFIG-REWRITE-FORCE-ALL writes defaults too; Redis's error without a file" {
    run resp_cmd DEBUG CONFIG-REWRITE-FORCE-ALL
    assert_output '-ERR CONFIG-REWRITE-FORCE-ALL failed: Bad address\r\n'
    kvd_stop
    local conf="$BATS_TEST_TMPDIR/force.conf"
    printf '# kept comment\nmaxmemory 10mb\n' >"$conf"
    kvd_start "$conf"
    kvcli CONFIG REWRITE >/dev/null
    run grep -c '^hz ' "$conf"
    assert_output 0 # plain REWRITE leaves defaults out
    run kvcli DEBUG CONFIG-REWRITE-FORCE-ALL
    assert_output OK
    run cat "$conf"
    assert_line '# kept comment'
    assert_line --regexp '^maxmemory (10mb|10485760)$'
    assert_line 'hz 10'
    assert_line 'databases 16'
    # The file it wrote starts a server with the same settings.
    kvd_restart
    run kvcli CONFIG GET maxmemory
    assert_line 10485760
}

@test "DEBUG MALLCTL and MALLCTL-STR read jemalloc settings as Redis does" {
    if ! kvcli INFO memory | grep -q '^mem_allocator:jemalloc'; then
        # Without jemalloc Redis does not know these subcommands.
        run resp_cmd DEBUG MALLCTL arenas.page
        assert_output "-ERR unknown subcommand or wrong number of arguments for 'MALLCTL'. Try DEBUG HELP.\r\n"
        return 0
    fi
    run resp_cmd DEBUG MALLCTL arenas.page
    assert_output ':4096\r\n'
    run resp_cmd DEBUG MALLCTL stats.allocated
    assert_output --regexp '^:[0-9]+\\r\\n$'
    run resp_cmd DEBUG MALLCTL no.such.key
    assert_output '-ERR No such file or directory\r\n'
    # A 32-bit setting: Redis reads 64 bits only.
    run resp_cmd DEBUG MALLCTL opt.narenas
    assert_output '-ERR Invalid argument\r\n'
    run resp_cmd DEBUG MALLCTL stats.allocated 5
    assert_output '-ERR Operation not permitted\r\n'
    run resp_cmd DEBUG MALLCTL stats.allocated abc
    assert_output '-ERR value is not an integer or out of range\r\n'
    run resp_cmd DEBUG MALLCTL-STR version
    assert_output --regexp '^\$[0-9]+\\r\\n5\.'
    run resp_cmd DEBUG MALLCTL-STR no.such.key
    assert_output '-ERR No such file or directory\r\n'
    run resp_cmd DEBUG MALLCTL
    assert_output --partial "-ERR unknown subcommand"
}

@test "DEBUG SDSLEN and STRUCTSIZE describe kvd's strings and structures" {
    kvcli SET short bar >/dev/null
    kvcli SET long "$(printf 'x%.0s' {1..100})" >/dev/null
    kvcli SET n 123 >/dev/null
    kvcli RPUSH l a >/dev/null
    run resp_cmd DEBUG SDSLEN short
    assert_output --regexp '^\+key_sds_len:5, key_sds_avail:0, key_zmalloc: [0-9]+, val_sds_len:3, val_sds_avail:0, val_zmalloc: [0-9]+\\r\\n$'
    run resp_cmd DEBUG SDSLEN long
    assert_output --regexp '^\+key_sds_len:4, key_sds_avail:0, key_zmalloc: [0-9]+, val_sds_len:100, val_sds_avail:[0-9]+, val_zmalloc: [0-9]+\\r\\n$'
    run resp_cmd DEBUG SDSLEN nosuch
    assert_output '-ERR no such key\r\n'
    run resp_cmd DEBUG SDSLEN n
    assert_output '-ERR Not an sds encoded string.\r\n'
    run resp_cmd DEBUG SDSLEN l
    assert_output '-ERR Not an sds encoded string.\r\n'
    run resp_cmd DEBUG STRUCTSIZE
    assert_output --regexp '^\$[0-9]+\\r\\nbits:64 object:16 dictlink:8 dictbucket:8 dstrhdr:16 \\r\\n$'
}

@test "DEBUG RESTART comes back in the same process with the data saved" {
    kvd_stop
    kvd_start --save "3600 1"
    local pid=$KVD_PID
    kvcli SET kept 1 >/dev/null
    kvcli LPUSH list a b c >/dev/null
    run resp_send -c -t 5 '*3\r\n$5\r\nDEBUG\r\n$7\r\nRESTART\r\n$2\r\n50\r\n'
    assert_line '<closed>'
    run wait_until 10 bash -c "/usr/bin/redis-cli -p $KVD_PORT PING 2>/dev/null | grep -q PONG"
    assert_success
    run kvcli INFO server
    assert_line --partial "process_id:$pid"
    run kvcli GET kept
    assert_output 1
    run kvcli LRANGE list 0 -1
    assert_output $'c\nb\na'
    run kvcli DEBUG RESTART abc
    assert_output --partial 'value is not an integer'
    kvd_log_wait 'Saving the final RDB snapshot'
}

@test "DEBUG CRASH-AND-RECOVER comes back without the unsaved writes" {
    kvd_stop
    kvd_start --save "3600 1000"
    local pid=$KVD_PID
    kvcli SET saved 1 >/dev/null
    kvcli SAVE >/dev/null
    kvcli SET unsaved 2 >/dev/null
    run resp_send -c -t 5 '*2\r\n$5\r\nDEBUG\r\n$17\r\nCRASH-AND-RECOVER\r\n'
    assert_line '<closed>'
    run wait_until 10 bash -c "/usr/bin/redis-cli -p $KVD_PORT PING 2>/dev/null | grep -q PONG"
    assert_success
    run kvcli INFO server
    assert_line --partial "process_id:$pid"
    run kvcli GET saved
    assert_output 1
    run kvcli EXISTS unsaved
    assert_output 0
}

@test "DEBUG DROP-CLUSTER-PACKET-FILTER and CLUSTERLINK KILL answer as Redis 7.0 without cluster" {
    run resp_cmd DEBUG DROP-CLUSTER-PACKET-FILTER 1
    assert_output '+OK\r\n'
    run resp_cmd DEBUG DROP-CLUSTER-PACKET-FILTER -1
    assert_output '+OK\r\n'
    run resp_cmd DEBUG DROP-CLUSTER-PACKET-FILTER x
    assert_output '-ERR value is not an integer or out of range\r\n'
    run resp_cmd DEBUG CLUSTERLINK KILL to 0123456789012345678901234567890123456789
    assert_output '-ERR Debug option only available for cluster mode enabled setup!\r\n'
    run resp_cmd DEBUG CLUSTERLINK other to abc
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'CLUSTERLINK'. Try DEBUG HELP.\r\n"
}

@test "DEBUG SET-SKIP-CHECKSUM-VALIDATION lets RESTORE and the RDB loader accept a wrong CRC" {
    pyrun <<'EOF_PY'
call("RPUSH", "l", "a", "b", "c")
payload = bytearray(call("DUMP", "l"))
payload[-1] ^= 0xFF  # last byte of the CRC-64
r = call("RESTORE", "l2", 0, bytes(payload))
assert r == "ERR DUMP payload version or checksum are wrong", r
assert call("DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", 1) == b"OK"
assert call("RESTORE", "l2", 0, bytes(payload)) == b"OK"
assert call("LRANGE", "l2", 0, -1) == [b"a", b"b", b"c"]
# a newer RDB version is still refused
newer = bytearray(payload); newer[-10] = 0xFF; newer[-9] = 0xFF
r = call("RESTORE", "l3", 0, bytes(newer))
assert r == "ERR DUMP payload version or checksum are wrong", r
assert call("DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", 0) == b"OK"
EOF_PY
    # the RDB file: a flipped CRC byte makes DEBUG RELOAD NOSAVE fail, unless
    # the check is skipped
    run kvcli SAVE
    assert_output OK
    dir=$(kvcli CONFIG GET dir | sed -n 2p)
    /usr/bin/python3 - "$dir/dump.rdb" <<'EOF_PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[-1] ^= 0xFF
open(p, "wb").write(b)
EOF_PY
    run kvcli DEBUG RELOAD NOSAVE
    assert_output --partial "Error trying to load the RDB dump"
    run kvcli DEBUG SET-SKIP-CHECKSUM-VALIDATION 1
    assert_output OK
    run kvcli DEBUG RELOAD NOSAVE
    assert_output OK
    run kvcli LRANGE l2 0 -1
    assert_output $'a\nb\nc'
}

@test "DEBUG AOF-FLUSH-SLEEP delays each AOF write" {
    run kvcli CONFIG SET appendonly yes appendfsync no
    assert_output OK
    no_rewrite() { kvcli INFO persistence | tr -d '\r' | grep -qx 'aof_rewrite_in_progress:0'; }
    wait_until 10 no_rewrite
    set_ms() {  # milliseconds one SET takes, reply included
        local start=$(date +%s%N)
        kvcli SET k "$1" >/dev/null
        echo $((($(date +%s%N) - start) / 1000000))
    }
    run kvcli DEBUG AOF-FLUSH-SLEEP 300000
    assert_output OK
    elapsed=$(set_ms v)
    [ "$elapsed" -ge 250 ] || fail "SET took ${elapsed} ms with a 300 ms AOF flush sleep"
    run kvcli DEBUG AOF-FLUSH-SLEEP 0
    assert_output OK
    elapsed=$(set_ms v2)
    [ "$elapsed" -lt 250 ] || fail "SET still took ${elapsed} ms after AOF-FLUSH-SLEEP 0"
}
