#!/usr/bin/env bats
# rdb.bats — RDB persistence: SAVE/BGSAVE, loading at start-up, save points,
# MISCONF, saving at shutdown, files exchanged with Redis 7.0 in both
# directions (every type and encoding, expires, several dbs), legacy
# encodings, refused corrupt/truncated files, and kv-check-rdb.
#
# Redis 7.0 (/usr/bin/redis-server) runs through the same helper with
# KVD_SERVER pointing at it; rdb_tool.py writes the data sets and prints the
# encoding-independent views that are compared.

load '../helpers/kvd'

TOOL="$BATS_TEST_DIRNAME/rdb_tool.py"

check_rdb() { "$KV_BIN/kv-check-rdb" "$@"; }
tool() { "$KV_PYTHON" "$TOOL" "$@"; }
redis_start_as() {
    local name=$1
    shift
    KVD_SERVER=/usr/bin/redis-server kvd_start_as "$name" "$@"
}
info_field() { kvcli INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }
bgsave_done() { [ "$(info_field rdb_bgsave_in_progress)" = 0 ]; }
bgsave_status_is() { [ "$(info_field rdb_last_bgsave_status)" = "$1" ]; }

teardown() {
    # a dump.rdb directory (MISCONF tests) would make a shutdown save fail
    [ -z "${KVD_DIR:-}" ] || rmdir "$KVD_DIR/dump.rdb" 2>/dev/null || true
    kvd_stop
}

# Starts the kvd binary on a copy of FILE as dump.rdb and reports how it
# went: "loaded" (it answered PING), or "exit N" when it stopped. Waits at
# most 10 s. The log is left in $BATS_TEST_TMPDIR/start.log.
start_on_file() {
    local dir r
    dir=$(mktemp -d "$BATS_TEST_TMPDIR/start.XXXXXX")
    cp "$1" "$dir/dump.rdb"
    r=$(kvd_try_start "$KV_BIN/kvd" "$dir" --logfile "$BATS_TEST_TMPDIR/start.log")
    echo "${r/#loaded */loaded}"
}

@test "SAVE writes an RDB that kv-check-rdb and redis-check-rdb accept" {
    kvd_start
    kvcli SET k v >/dev/null
    before=$(info_field rdb_saves)
    run kvcli SAVE
    [ "$output" = OK ]
    [ -f "$KVD_DIR/dump.rdb" ]
    [ "$(info_field rdb_changes_since_last_save)" = 0 ]
    [ "$(info_field rdb_saves)" = $((before + 1)) ]
    [ "$(kvcli LASTSAVE)" -ge $(($(date +%s) - 5)) ]
    run check_rdb "$KVD_DIR/dump.rdb"
    [ "$status" = 0 ]
    [[ "$output" == *'\o/ RDB looks OK! \o/'* ]]
    [[ "$output" == *"[info] 1 keys read"* ]]
    run redis-check-rdb "$KVD_DIR/dump.rdb"
    [ "$status" = 0 ]
    [[ "$output" == *"Checksum OK"* ]]
}

@test "a restart loads what SAVE wrote: every type, expires, several dbs" {
    kvd_start
    tool populate "$KVD_PORT" --large
    before=$(tool view "$KVD_PORT")
    [ "$(echo "$before" | wc -l)" -gt 20000 ]
    kvcli SAVE
    kvd_restart
    after=$(tool view "$KVD_PORT")
    [ "$before" = "$after" ]
    kvd_log_wait 'DB loaded from disk: [0-9.]+ seconds'
    [ "$(info_field rdb_last_load_keys_loaded)" = "$(echo "$before" | wc -l)" ]
}

@test "a file written by Redis 7.0 loads into kvd with the same values and encodings" {
    redis_start_as REDIS
    tool populate "$KVD_PORT" --large
    kvcli SAVE
    want=$(tool view "$KVD_PORT")
    want_enc=$(tool encodings "$KVD_PORT")
    mkdir "$BATS_TEST_TMPDIR/k"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/k/"
    kvd_start_as KVD --dir "$BATS_TEST_TMPDIR/k"
    got=$(tool view "$KVD_PORT")
    [ "$want" = "$got" ]
    got_enc=$(tool encodings "$KVD_PORT")
    [ "$want_enc" = "$got_enc" ]
}

@test "a file written by kvd loads into Redis 7.0 with the same values" {
    kvd_start_as KVD
    tool populate "$KVD_PORT" --large
    kvcli SAVE
    want=$(tool view "$KVD_PORT")
    mkdir "$BATS_TEST_TMPDIR/r"
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/r/"
    redis_start_as REDIS --dir "$BATS_TEST_TMPDIR/r"
    got=$(tool view "$KVD_PORT")
    [ "$want" = "$got" ]
    # and Redis's own checker is happy with it
    run redis-check-rdb "$BATS_TEST_TMPDIR/r/dump.rdb"
    [ "$status" = 0 ]
}

@test "legacy encodings (zipmap, ziplists, quicklist v1, text scores) load as in Redis 7.0" {
    tool legacy-file "$BATS_TEST_TMPDIR/legacy.rdb"
    mkdir "$BATS_TEST_TMPDIR/r" "$BATS_TEST_TMPDIR/k"
    cp "$BATS_TEST_TMPDIR/legacy.rdb" "$BATS_TEST_TMPDIR/r/dump.rdb"
    cp "$BATS_TEST_TMPDIR/legacy.rdb" "$BATS_TEST_TMPDIR/k/dump.rdb"
    redis_start_as REDIS --dir "$BATS_TEST_TMPDIR/r"
    want=$(tool view "$KVD_PORT")
    want_enc=$(tool encodings "$KVD_PORT")
    [ "$(echo "$want" | wc -l)" = 19 ]
    kvd_start_as KVD --dir "$BATS_TEST_TMPDIR/k"
    [ "$(tool view "$KVD_PORT")" = "$want" ]
    [ "$(tool encodings "$KVD_PORT")" = "$want_enc" ]
    [ "$(kvcli -n 3 GET legacy:db3)" = "in db 3" ]
    [ "$(kvcli EXPIRETIME legacy:exp-s)" = 1893456000 ]
}

@test "keys already expired are not loaded, and are counted" {
    kvd_start
    kvcli DEBUG SET-ACTIVE-EXPIRE 0 >/dev/null
    kvcli SET gone v PX 100 >/dev/null
    kvcli SET stay v EX 1000 >/dev/null
    kvcli SET plain v >/dev/null
    sleep 0.3
    kvcli SAVE
    run check_rdb "$KVD_DIR/dump.rdb"
    [[ "$output" == *"[info] 3 keys read"* ]]
    [[ "$output" == *"[info] 2 expires"* ]]
    [[ "$output" == *"[info] 1 already expired"* ]]
    kvd_restart
    [ "$(kvcli DBSIZE)" = 2 ]
    [ "$(kvcli EXISTS gone)" = 0 ]
    [ "$(kvcli TTL stay)" -gt 900 ]
    [ "$(info_field rdb_last_load_keys_expired)" = 1 ]
    [ "$(info_field rdb_last_load_keys_loaded)" = 2 ]
    kvd_log_wait 'Done loading RDB, keys loaded: 2, keys expired: 1'
}

@test "BGSAVE forks a child; a second one is refused while it runs" {
    kvd_start
    kvcli DEBUG POPULATE 300000 >/dev/null
    before=$(kvcli LASTSAVE)
    sleep 1
    run bash -c "printf 'BGSAVE\nBGSAVE\nBGSAVE SCHEDULE\nSAVE\n' | redis-cli -p $KVD_PORT"
    [ "${lines[0]}" = "Background saving started" ]
    [ "${lines[1]}" = "ERR Background save already in progress" ]
    [ "${lines[2]}" = "ERR Background save already in progress" ]
    [ "${lines[3]}" = "ERR Background save already in progress" ]
    wait_until 20 bgsave_done
    bgsave_status_is ok
    [ "$(kvcli LASTSAVE)" -gt "$before" ]
    kvd_log_wait 'Background saving terminated with success'
    run check_rdb "$KVD_DIR/dump.rdb"
    [ "$status" = 0 ]
    [[ "$output" == *"[info] 300000 keys read"* ]]
}

@test "BGSAVE argument errors match Redis" {
    kvd_start
    run kvcli BGSAVE foo
    [ "$output" = "ERR syntax error" ]
    run kvcli BGSAVE SCHEDULE extra
    [ "$output" = "ERR syntax error" ]
    run kvcli BGSAVE SCHEDULE
    [ "$output" = "Background saving started" ]
    wait_until 10 bgsave_done
}

@test "a save point triggers a BGSAVE" {
    kvd_start --save 1 1
    kvcli SET a 1 >/dev/null
    kvd_log_wait '1 changes in 1 seconds. Saving...' 8
    wait_until 10 bgsave_done
    [ -f "$KVD_DIR/dump.rdb" ]
    [ "$(info_field rdb_changes_since_last_save)" = 0 ]
}

@test "MISCONF: a failed BGSAVE with save points stops writes until a save succeeds" {
    kvd_start --save 3600 1
    kvcli SET a 1 >/dev/null
    mkdir "$KVD_DIR/dump.rdb" # the rename onto it fails
    run kvcli BGSAVE
    [ "$output" = "Background saving started" ]
    wait_until 10 bgsave_status_is err
    run kvcli SET b 2
    [[ "$output" == "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk."* ]]
    [ "$(kvcli GET a)" = 1 ]
    run kvcli PING
    [[ "$output" == MISCONF* ]]
    # without save points the setting does not apply
    kvcli CONFIG SET save "" >/dev/null
    [ "$(kvcli SET c 3)" = OK ]
    kvcli CONFIG SET save "3600 1" >/dev/null
    rmdir "$KVD_DIR/dump.rdb"
    kvcli BGSAVE >/dev/null
    wait_until 10 bgsave_status_is ok
    [ "$(kvcli SET b 2)" = OK ]
}

@test "SAVE failing replies a bare ERR, as Redis" {
    kvd_start
    mkdir "$KVD_DIR/dump.rdb"
    run kvcli SAVE
    [ "$output" = "ERR" ]
    kvd_log_wait 'Error moving temp DB file'
}

@test "shutdown saves when save points are configured; SHUTDOWN NOSAVE does not" {
    kvd_start --save 3600 1
    kvcli SET k v >/dev/null
    kvd_restart
    [ "$(kvcli GET k)" = v ]
    kvd_log_wait 'Saving the final RDB snapshot before exiting.'
    kvcli SET k2 v2 >/dev/null
    kvcli SHUTDOWN NOSAVE || true
    kvd_restart
    [ "$(kvcli GET k)" = v ]
    [ "$(kvcli EXISTS k2)" = 0 ]
}

@test "SHUTDOWN SAVE saves even without save points" {
    kvd_start
    kvcli SET k v >/dev/null
    kvcli SHUTDOWN SAVE || true
    kvd_restart
    [ "$(kvcli GET k)" = v ]
}

@test "an RDB version newer than 10 is refused with a clear message" {
    printf 'REDIS0011\377\0\0\0\0\0\0\0\0' >"$BATS_TEST_TMPDIR/v11.rdb"
    run start_on_file "$BATS_TEST_TMPDIR/v11.rdb"
    [ "$output" = "exit 1" ]
    grep -q "Can't handle RDB format version 11" "$BATS_TEST_TMPDIR/start.log"
    run check_rdb "$BATS_TEST_TMPDIR/v11.rdb"
    [ "$status" = 1 ]
    [[ "$output" == *"Can't handle RDB format version 11"* ]]
}

@test "truncated and corrupt files are refused at start-up, never a crash" {
    kvd_start
    tool populate "$KVD_PORT"
    kvcli SAVE
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/good.rdb"
    size=$(stat -c %s "$BATS_TEST_TMPDIR/good.rdb")
    for cut in 5 9 40 200 $((size / 2)) $((size - 1)); do
        head -c "$cut" "$BATS_TEST_TMPDIR/good.rdb" >"$BATS_TEST_TMPDIR/t.rdb"
        run start_on_file "$BATS_TEST_TMPDIR/t.rdb"
        [ "$output" = "exit 1" ] || { echo "cut $cut: $output"; false; }
        grep -q "Fatal error loading the DB" "$BATS_TEST_TMPDIR/start.log"
    done
    # even seeds keep the stale checksum: always refused; odd seeds fix it:
    # refused or loaded, but never a signal
    for seed in $(seq 1 12); do
        tool mutate "$BATS_TEST_TMPDIR/good.rdb" "$BATS_TEST_TMPDIR/m.rdb" "$seed"
        run start_on_file "$BATS_TEST_TMPDIR/m.rdb"
        if [ $((seed % 2)) = 0 ]; then
            [ "$output" = "exit 1" ] || { echo "seed $seed: $output"; false; }
        else
            [ "$output" = "exit 1" ] || [ "$output" = loaded ] || { echo "seed $seed: $output"; false; }
        fi
    done
}

@test "kv-check-rdb prints what redis-check-rdb prints for sound files" {
    redis_start_as REDIS
    tool populate "$KVD_PORT"
    kvcli XADD stream '*' f v >/dev/null
    kvcli XGROUP CREATE stream grp 0 >/dev/null
    kvcli XREADGROUP GROUP grp c1 COUNT 1 STREAMS stream '>' >/dev/null
    kvcli SAVE
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/redis.rdb"
    tool legacy-file "$BATS_TEST_TMPDIR/legacy.rdb"
    kvd_start_as KVD
    tool populate "$KVD_PORT"
    kvcli SAVE
    for f in "$BATS_TEST_TMPDIR/redis.rdb" "$BATS_TEST_TMPDIR/legacy.rdb" "$KVD_DIR/dump.rdb"; do
        want=$(redis-check-rdb "$f")
        run check_rdb "$f"
        [ "$status" = 0 ]
        [ "$output" = "$want" ] || { diff <(echo "$want") <(echo "$output"); false; }
    done
}

@test "kv-check-rdb reports a corrupt value with offset, key and reason" {
    kvd_start
    kvcli HSET h a 1 b 2 >/dev/null
    kvcli SAVE
    # Break the listpack's terminator and fix the file checksum, so only the
    # value check can catch it.
    "$KV_PYTHON" - "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/bad.rdb" "$TOOL" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("t", sys.argv[3]); t = importlib.util.module_from_spec(spec)
spec.loader.exec_module(t)
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"\x10\x01h")            # HASH_LISTPACK, key "h"
n = d[i + 3]                         # 6-bit length of the listpack string
d[i + 4 + n - 1] = 0x05              # its last byte, 0xFF
d[-8:] = t.crc64(bytes(d[:-8])).to_bytes(8, "little")
open(sys.argv[2], "wb").write(bytes(d))
EOF
    run check_rdb "$BATS_TEST_TMPDIR/bad.rdb"
    [ "$status" = 1 ]
    [[ "$output" == *"--- RDB ERROR DETECTED ---"* ]]
    [[ "$output" == *"] Hash listpack integrity check failed."* ]]
    [[ "$output" == *"[additional info] While doing: read-object-value"* ]]
    [[ "$output" == *"[additional info] Reading key 'h'"* ]]
    [[ "$output" == *"[additional info] Reading type 16 (hash-listpack)"* ]]
    [[ "$output" == *"[info] 1 keys read"* ]]
    # the same lines as redis-check-rdb, whose reason carries an internal prefix
    want=$(redis-check-rdb "$BATS_TEST_TMPDIR/bad.rdb" 2>/dev/null | grep -v Terminating |
        sed 's/Internal error in RDB reading offset 0, function at rdb.c:[0-9]* -> //')
    [ "$output" = "$want" ]
    # and kvd refuses to start on it
    run start_on_file "$BATS_TEST_TMPDIR/bad.rdb"
    [ "$output" = "exit 1" ]
    grep -q "Hash listpack integrity check failed." "$BATS_TEST_TMPDIR/start.log"
}

@test "kv-check-rdb: truncation, CRC errors, usage, exit codes" {
    kvd_start
    kvcli SET foo bar >/dev/null
    kvcli SAVE
    size=$(stat -c %s "$KVD_DIR/dump.rdb")
    head -c $((size - 10)) "$KVD_DIR/dump.rdb" >"$BATS_TEST_TMPDIR/t.rdb"
    run check_rdb "$BATS_TEST_TMPDIR/t.rdb"
    [ "$status" = 1 ]
    [[ "$output" == *"Unexpected EOF reading RDB file"* ]]
    [ "$output" = "$(redis-check-rdb "$BATS_TEST_TMPDIR/t.rdb" 2>/dev/null | grep -v Terminating)" ]
    cp "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/c.rdb"
    printf 'X' | dd of="$BATS_TEST_TMPDIR/c.rdb" bs=1 seek=$((size - 12)) conv=notrunc 2>/dev/null
    run check_rdb "$BATS_TEST_TMPDIR/c.rdb"
    [ "$status" = 1 ]
    [[ "$output" == *"RDB CRC error"* ]]
    [ "$output" = "$(redis-check-rdb "$BATS_TEST_TMPDIR/c.rdb")" ]
    run check_rdb
    [ "$status" = 1 ]
    run check_rdb --help
    [ "$status" = 0 ]
    [[ "$output" == *"Usage: kv-check-rdb"* ]]
    run check_rdb --version
    [ "$status" = 0 ]
    run check_rdb "$BATS_TEST_TMPDIR/does-not-exist.rdb"
    [ "$status" = 1 ]
}

@test "kv-check-rdb --stats: keys and bytes per type, largest keys" {
    kvd_start
    kvcli RPUSH biglist $(seq 1 2000) >/dev/null
    kvcli HSET h a 1 >/dev/null
    kvcli SET s x >/dev/null
    kvcli SAVE
    run check_rdb --stats "$KVD_DIR/dump.rdb"
    [ "$status" = 0 ]
    [[ "$output" == *"[stats] string: 1 keys"* ]]
    [[ "$output" == *"[stats] list: 1 keys"* ]]
    [[ "$output" == *"[stats] hash: 1 keys"* ]]
    [[ "$output" == *'[stats] largest #1: db 0 key "biglist" (list, quicklist-v2)'* ]]
}

@test "kv-check-rdb never crashes on mutated files" {
    kvd_start
    tool populate "$KVD_PORT"
    kvcli SAVE
    for seed in $(seq 1 150); do
        tool mutate "$KVD_DIR/dump.rdb" "$BATS_TEST_TMPDIR/m.rdb" "$seed"
        run check_rdb "$BATS_TEST_TMPDIR/m.rdb"
        [ "$status" -le 1 ] || { echo "seed $seed: status $status"; false; }
        if [ $((seed % 2)) = 0 ]; then [ "$status" = 1 ]; fi
    done
}

@test "INFO persistence has Redis 7.0's RDB fields in Redis's order" {
    redis_start_as REDIS
    want=$(kvcli INFO persistence | tr -d '\r' | sed -n 's/^\([a-z_]*\):.*/\1/p')
    kvd_start_as KVD
    got=$(kvcli INFO persistence | tr -d '\r' | sed -n 's/^\([a-z_]*\):.*/\1/p')
    [ "$want" = "$got" ]
    [ "$(info_field rdb_last_bgsave_status)" = ok ]
    [ "$(info_field rdb_bgsave_in_progress)" = 0 ]
}

@test "DEBUG RELOAD saves and loads the data set back" {
    kvd_start
    tool populate "$KVD_PORT"
    before=$(tool view "$KVD_PORT")
    run kvcli DEBUG RELOAD
    [ "$output" = OK ]
    [ "$(tool view "$KVD_PORT")" = "$before" ]
}

# CONFIG GET, SET yes, GET, SET of a bad value: one line each.
del_sync_files_replies() {
    kvcli CONFIG GET rdb-del-sync-files | tr '\n' ' '
    echo
    kvcli CONFIG SET rdb-del-sync-files yes
    kvcli CONFIG GET rdb-del-sync-files | tail -1
    kvcli CONFIG SET rdb-del-sync-files maybe 2>&1
}

@test "rdb-del-sync-files: CONFIG GET/SET/REWRITE as redis-server 7.0 (its effect arrives with replication)" {
    local want got conf
    redis_start_as REDIS
    want=$(del_sync_files_replies)
    kvd_start_as KVD
    got=$(del_sync_files_replies)
    echo "$got"
    [ "$got" = "$want" ]
    [ "$(sed -n 1p <<<"$got")" = "rdb-del-sync-files no " ]
    [ "$(sed -n 3p <<<"$got")" = yes ]
    # REWRITE writes it; a restart reads it back
    conf="$BATS_TEST_TMPDIR/del.conf"
    : >"$conf"
    kvd_start_as FILE "$conf"
    [ "$(kvcli CONFIG SET rdb-del-sync-files yes)" = OK ]
    [ "$(kvcli CONFIG REWRITE)" = OK ]
    grep -qx 'rdb-del-sync-files yes' "$conf"
    kvd_restart FILE
    [ "$(kvcli CONFIG GET rdb-del-sync-files | tail -1)" = yes ]
}

loading_now() { [ "$(kvcli PING 2>&1)" = "LOADING Redis is loading the dataset in memory" ]; }

@test "DEBUG RELOAD answers other clients with -LOADING while it loads, as Redis 7.0" {
    kvd_start
    kvcli DEBUG POPULATE 30000 >/dev/null
    local digest
    digest=$(kvcli DEBUG DIGEST)
    # A transaction queued before the load: its EXEC, sent during the load,
    # must wait for the end (it would write into a half-loaded data set).
    "$KV_PYTHON" - "$KVD_PORT" "$BATS_TEST_TMPDIR" <<'PY' &
import sys, time, redis
port, tmp = int(sys.argv[1]), sys.argv[2]
r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=30)
c = r.connection_pool.get_connection("MULTI")
c.send_command("MULTI"); c.read_response()
c.send_command("SET", "key:5", "from-exec"); c.read_response()
open(tmp + "/queued", "w").close()
probe = redis.Redis(host="127.0.0.1", port=port, socket_timeout=30)
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        probe.ping()
    except redis.exceptions.BusyLoadingError:
        break
    time.sleep(0.05)
c.send_command("EXEC")
reply = c.read_response()
loading = probe.info("persistence")["loading"]
with open(tmp + "/exec", "w") as f:
    f.write("%r loading=%d\n" % (reply, loading))
PY
    local py=$!
    wait_until 10 test -e "$BATS_TEST_TMPDIR/queued"
    # about 0.1 ms per key: the load takes some seconds
    kvcli CONFIG SET key-load-delay 100 >/dev/null
    kvcli DEBUG RELOAD >"$BATS_TEST_TMPDIR/reload" 2>&1 &
    local reload=$!
    wait_until 10 loading_now
    [ "$(info_field loading)" = 1 ]
    kvcli INFO persistence | grep -q '^loading_loaded_perc:'
    # what would change the data set under the load is refused
    [ "$(kvcli DEBUG RELOAD 2>&1)" = "LOADING Redis is loading the dataset in memory" ]
    [ "$(kvcli DEBUG POPULATE 10 other 2>&1)" = "LOADING Redis is loading the dataset in memory" ]
    [ "$(kvcli SET x y 2>&1)" = "LOADING Redis is loading the dataset in memory" ]
    # as Redis 7.0 (DENY_LOADING_CONFIG): dir and appendonly wait, the rest not
    [ "$(kvcli CONFIG SET appendonly yes 2>&1)" = "LOADING Redis is loading the dataset in memory" ]
    [ "$(kvcli CONFIG SET hz 10 dir /tmp 2>&1)" = "LOADING Redis is loading the dataset in memory" ]
    [ "$(kvcli CONFIG SET hz 10)" = OK ]
    # bounded: the load ends within some seconds
    local i
    for ((i = 0; i < 300; i++)); do kill -0 "$reload" 2>/dev/null || break; sleep 0.1; done
    wait "$reload"
    [ "$(cat "$BATS_TEST_TMPDIR/reload")" = OK ]
    for ((i = 0; i < 100; i++)); do kill -0 "$py" 2>/dev/null || break; sleep 0.1; done
    wait "$py"
    cat "$BATS_TEST_TMPDIR/exec"
    # EXEC ran once the load was over, on the complete data set
    [ "$(cat "$BATS_TEST_TMPDIR/exec")" = "[b'OK'] loading=0" ]
    [ "$(info_field loading)" = 0 ]
    [ "$(kvcli DBSIZE)" = 30000 ]
    [ "$(kvcli GET key:5)" = from-exec ]
    kvcli SET key:5 value:5 >/dev/null
    [ "$(kvcli DEBUG DIGEST)" = "$digest" ]
}
