#!/usr/bin/env bats
# crash.bats — kill -9 of kvd during heavy writes, for each appendfsync
# policy: after a restart nothing acknowledged is missing and the files pass
# kv-check-aof. (A killed process loses nothing the kernel already has, so
# every policy must keep every acknowledged write here; what `everysec` and
# `no` may lose is what a power failure takes from the page cache, which a
# test cannot cause.)

load '../helpers/kvd'

WRITER="$BATS_TEST_DIRNAME/aof_writer.py"

teardown() { kvd_stop; }

# crash_and_check POLICY: writes for up to 4 s, kills kvd -9 after ~1.5 s,
# restarts it on the same files and compares with the acknowledgements.
crash_and_check() {
    local policy=$1 dir wpid c i got
    kvd_start_as a --appendonly yes --appendfsync "$policy"
    dir=$KVD_DIR_a
    "$KV_PYTHON" "$WRITER" "$KVD_PORT_a" 4 "$BATS_TEST_TMPDIR/acks.$policy" &
    wpid=$!
    sleep 1.5
    kvd_kill a KILL
    wait "$wpid" || true
    [ -s "$BATS_TEST_TMPDIR/acks.$policy" ]
    run "$KV_BIN/kv-check-aof" "$dir/appendonlydir/appendonly.aof.manifest"
    echo "$output"
    [ "$status" = 0 ]
    [[ "$output" == *"All AOF files and manifest are valid"* ]]
    kvd_start_as b --appendonly yes --dir "$dir"
    read -r _ c0 c1 c2 c3 _ sets <"$BATS_TEST_TMPDIR/acks.$policy"
    [ "$sets" -gt 100 ]
    i=0
    for c in "$c0" "$c1" "$c2" "$c3"; do
        got=$(kvcli GET "ctr:$i")
        echo "ctr:$i acked $c found $got"
        [ "$got" -ge "$c" ]
        # at most the one batch in flight beyond what was acknowledged
        [ "$got" -le $((c + 20)) ]
        i=$((i + 1))
    done
    [ "$(kvcli GET "k:$((sets - 1))")" = "$((sets - 1))" ]
}

@test "kill -9 during writes, appendfsync always: nothing acknowledged lost" {
    crash_and_check always
}

@test "kill -9 during writes, appendfsync everysec: nothing acknowledged lost" {
    crash_and_check everysec
}

@test "kill -9 during writes, appendfsync no: nothing acknowledged lost" {
    crash_and_check no
}

@test "kill -9 during a rewrite: the previous files stay valid and complete" {
    kvd_start_as a --appendonly yes
    for i in $(seq 1 200); do printf 'SET key:%d %d\n' "$i" "$i"; done | kvcli >/dev/null
    kvcli CONFIG SET rdb-key-save-delay 20000 >/dev/null
    kvcli BGREWRITEAOF >/dev/null
    kvcli SET during 1 >/dev/null
    local dir=$KVD_DIR_a
    kvd_kill a KILL
    run "$KV_BIN/kv-check-aof" "$dir/appendonlydir/appendonly.aof.manifest"
    [ "$status" = 0 ]
    kvd_start_as b --appendonly yes --dir "$dir"
    [ "$(kvcli DBSIZE)" = 201 ]
    [ "$(kvcli GET during)" = 1 ]
}
