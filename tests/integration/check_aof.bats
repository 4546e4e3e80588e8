#!/usr/bin/env bats
# check_aof.bats — kv-check-aof: a multi-part set written by kvd, single
# files, an RDB preamble, truncated and corrupt files (output compared with
# Redis 7.0's redis-check-aof), --fix with its backup and confirmation,
# --truncate-to-timestamp, usage and exit codes.

load '../helpers/kvd'

teardown() { kvd_stop; }

check() { "$KV_BIN/kv-check-aof" "$@"; }

# The lines both tools print for a file (the tool name differs in usage).
analyzed() { grep -E '^(0x|AOF )' ; }

setup() {
    T=$BATS_TEST_TMPDIR
    printf '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\n1\r\n' >"$T/good.aof"
    cp "$T/good.aof" "$T/trunc.aof"
    printf '*3\r\n$3\r\nset\r\n$1\r\nb\r\n$2\r\n2' >>"$T/trunc.aof"
    printf '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\nXXX\r\n$3\r\nset\r\n' >"$T/bad.aof"
}

@test "a valid set written by kvd (RDB base + incr) passes" {
    kvd_start --appendonly yes
    kvcli SET a 1 >/dev/null
    kvcli RPUSH l x y >/dev/null
    run check "$KVD_DIR/appendonlydir/appendonly.aof.manifest"
    [ "$status" = 0 ]
    [ "${lines[0]}" = "Start checking Multi Part AOF" ]
    [ "${lines[1]}" = "Start to check BASE AOF (RDB format)." ]
    [[ "$output" == *"RDB preamble is OK, proceeding with AOF tail..."* ]]
    [[ "$output" == *"BASE AOF appendonly.aof.1.base.rdb is valid"* ]]
    [[ "$output" == *"INCR AOF appendonly.aof.1.incr.aof is valid"* ]]
    [ "${lines[-1]}" = "All AOF files and manifest are valid" ]
}

@test "single files: the same report as redis-check-aof 7.0" {
    local f
    for f in good trunc bad; do
        run check "$T/$f.aof"
        local ours=$output ourstatus=$status
        run /usr/bin/redis-check-aof "$T/$f.aof"
        [ "$ourstatus" = "$status" ]
        [ "$(echo "$ours" | analyzed)" = "$(echo "$output" | analyzed)" ]
    done
    run check "$T/trunc.aof"
    [ "$status" = 1 ]
    [ "${lines[1]}" = "0x              4a: Expected to read 4 bytes, got 1 bytes" ]
    [ "${lines[2]}" = "AOF analyzed: filename=$T/trunc.aof, size=75, ok_up_to=50, ok_up_to_line=19, diff=25" ]
    [ "${lines[3]}" = "AOF $T/trunc.aof is not valid. Use the --fix option to try fixing it." ]
}

@test "--fix truncates after confirmation and keeps a backup" {
    # stdin not a terminal: no question asked
    run check --fix "$T/trunc.aof" </dev/null
    [ "$status" = 0 ]
    [[ "$output" == *"This will shrink the AOF $T/trunc.aof from 75 bytes, with 25 bytes, to 50 bytes"* ]]
    [[ "$output" == *"Successfully truncated AOF $T/trunc.aof"* ]]
    [ "$(stat -c %s "$T/trunc.aof")" = 50 ]
    [ "$(stat -c %s "$T/trunc.aof.bak")" = 75 ]
    cmp "$T/trunc.aof" "$T/good.aof"
    run check "$T/trunc.aof"
    [ "$status" = 0 ]
    [ "${lines[-1]}" = "AOF $T/trunc.aof is valid" ]
    # --yes fixes a format error too
    run check --fix --yes "$T/bad.aof"
    [ "$status" = 0 ]
    [ "$(stat -c %s "$T/bad.aof")" = 23 ]
}

@test "--fix on a terminal asks, and 'N' aborts without touching the file" {
    command -v script >/dev/null || skip "no script(1)"
    # a pseudo-terminal as stdin; the answer typed is N
    run script -qec "$KV_BIN/kv-check-aof --fix $T/trunc.aof" /dev/null <<<"N"
    [[ "$output" == *"Continue? [y/N]:"* ]]
    [ "$(stat -c %s "$T/trunc.aof")" = 75 ]
}

@test "a manifest with a truncated last incr file is fixed; a truncated earlier one is not" {
    local d=$T/dir
    mkdir -p "$d"
    cp "$T/good.aof" "$d/x.1.base.aof"
    cp "$T/good.aof" "$d/x.1.incr.aof"
    cp "$T/trunc.aof" "$d/x.2.incr.aof"
    printf 'file x.1.base.aof seq 1 type b\nfile x.1.incr.aof seq 1 type i\nfile x.2.incr.aof seq 2 type i\n' >"$d/x.manifest"
    run check "$d/x.manifest"
    [ "$status" = 1 ]
    [[ "$output" == *"Start to check BASE AOF (RESP format)."* ]]
    [[ "$output" == *"AOF x.2.incr.aof is not valid. Use the --fix option to try fixing it."* ]]
    run check --fix --yes "$d/x.manifest"
    [ "$status" = 0 ]
    [ "${lines[-1]}" = "All AOF files and manifest are valid" ]
    cp "$T/trunc.aof" "$d/x.1.incr.aof"
    run check --fix --yes "$d/x.manifest"
    [ "$status" = 1 ]
    [[ "$output" == *"INCR AOF x.1.incr.aof is not valid, aborting..."* ]]
    [ "$(stat -c %s "$d/x.1.incr.aof")" = 75 ]
    # a broken manifest
    printf 'file x seq 1 type q\n' >"$d/bad.manifest"
    run check "$d/bad.manifest"
    [ "$status" = 1 ]
    [[ "$output" == *"Unknown AOF file type"* ]]
}

@test "a corrupt RDB preamble is reported and refused" {
    kvd_start --appendonly yes
    kvcli SET a 1 >/dev/null
    local base=$KVD_DIR/appendonlydir/appendonly.aof.1.base.rdb
    cp "$base" "$T/base.rdb"
    printf 'ZZZZ' | dd of="$T/base.rdb" bs=1 seek=20 conv=notrunc 2>/dev/null
    run check "$T/base.rdb"
    [ "$status" = 1 ]
    [[ "$output" == *"--- RDB ERROR DETECTED ---"* ]]
    [ "${lines[-1]}" = "RDB preamble of AOF file is not sane, aborting." ]
}

@test "--truncate-to-timestamp cuts at the first annotation after T" {
    {
        printf '#TS:1000\r\n*1\r\n$4\r\nPING\r\n'
        printf '#TS:2000\r\n*1\r\n$4\r\nPING\r\n'
        printf '#TS:3000\r\n*1\r\n$4\r\nPING\r\n'
    } >"$T/ts.aof"
    run check --truncate-to-timestamp 2500 "$T/ts.aof"
    [ "$status" = 0 ]
    [ "${lines[-1]}" = "Successfully truncated AOF $T/ts.aof to timestamp 2500" ]
    [ "$(stat -c %s "$T/ts.aof")" = 48 ]
    run check "$T/ts.aof"
    [ "$status" = 0 ]
    run check --fix --truncate-to-timestamp 1 "$T/ts.aof"
    [ "$status" = 1 ]
}

@test "usage, missing files and exit codes" {
    run check
    [ "$status" = 1 ]
    [[ "$output" == *"Usage:"* ]]
    run check --help
    [ "$status" = 0 ]
    run check "$T/nope.aof"
    [ "$status" = 1 ]
    [[ "$output" == *"Cannot open file"* ]]
    run check "$T/good.aof"
    [ "$status" = 0 ]
    [ "${lines[-1]}" = "AOF $T/good.aof is valid" ]
}

@test "the RDB preamble report is kv-check-rdb's (one shared checker), the tail checked after it" {
    kvd_start --appendonly yes
    kvcli SET a 1 >/dev/null
    kvcli SADD s x y >/dev/null
    [ "$(kvcli BGREWRITEAOF)" = "Background append only file rewriting started" ]
    wait_until 30 eval '[ "$(kvcli INFO persistence | tr -d "\r" | sed -n "s/^aof_rewrite_in_progress://p")" = 0 ]'
    kvcli SET b 2 >/dev/null
    local base incr
    base=$(ls "$KVD_DIR"/appendonlydir/*.base.rdb)
    incr=$(ls "$KVD_DIR"/appendonlydir/*.incr.aof)
    # a single file: the base with its tail appended
    cat "$base" "$incr" >"$T/preamble.aof"
    run check "$T/preamble.aof"
    [ "$status" = 0 ]
    local ours=$output
    run "$KV_BIN/kv-check-rdb" "$T/preamble.aof"
    [ "$status" = 0 ]
    # kv-check-aof prints exactly kv-check-rdb's report, then goes on
    [ "$(echo "$ours" | sed -n '2,/^\[info\] 0 already expired$/p')" = "$output" ]
    [[ "$ours" == *"RDB preamble is OK, proceeding with AOF tail..."* ]]
    [[ "$ours" == *"AOF $T/preamble.aof is valid"* ]]
    # a broken tail after a sound preamble is found at its offset
    printf '*2\r\n$3\r\nGET\r\n$1\r\n' >>"$T/preamble.aof"
    run check "$T/preamble.aof"
    [ "$status" = 1 ]
    local size
    size=$(stat -c %s "$T/preamble.aof")
    [[ "$output" == *"ok_up_to=$((size - 17)),"* ]]
}
