#!/usr/bin/env bats
# regress_sanitize.bats — what `make sanitize` relies on: the sanitizer-report
# check of tests/helpers/kvd.bash (kvd_stop fails on an ASan, LeakSanitizer
# or UBSan report in the instance's stdout.log), and DEBUG's deliberate
# faults, which must not look like findings on the sanitized build (DEBUG
# LEAK was reported by LeakSanitizer, DEBUG SEGFAULT by ASan's SEGV handler).
# Every test also passes, and checks the same things, on the plain build.

load '../helpers/kvd'

teardown() { kvd_stop || true; }

# stop_with_report LINE: appends LINE to the running instance's stdout.log,
# then checks that kvd_stop fails, names the report and keeps the dir.
stop_with_report() {
    local dir=$KVD_DIR
    printf '%s\n    #0 0x1 in frame kvd/x.c:1\n' "$1" >>"$dir/stdout.log"
    run kvd_stop
    echo "$output"
    [ "$status" = 1 ]
    [[ "$output" == *"sanitizer report in $dir/stdout.log"* ]]
    [[ "$output" == *"$1"* ]]
    [ -d "$dir" ]
    rm -rf "$dir"
}

@test "kvd_stop fails on an AddressSanitizer report" {
    kvd_start
    stop_with_report "==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010"
}

@test "kvd_stop fails on a LeakSanitizer report" {
    kvd_start
    stop_with_report "==4242==ERROR: LeakSanitizer: detected memory leaks"
}

@test "kvd_stop fails on a UBSan report" {
    kvd_start
    stop_with_report "kvd/t_string.c:12:34: runtime error: signed integer overflow"
}

@test "kvd_stop succeeds and removes the dir without a report" {
    kvd_start
    local dir=$KVD_DIR
    echo "an ordinary line about runtime errors" >>"$dir/stdout.log"
    run kvd_stop
    [ "$status" = 0 ]
    [ ! -d "$dir" ]
}

@test "DEBUG LEAK leaves no LeakSanitizer report when kvd exits" {
    kvd_start
    run kvcli DEBUG LEAK some-bytes
    [ "$output" = OK ]
    local dir=$KVD_DIR
    KVD_KEEP_DIRS=1 kvd_stop
    run grep -c 'LeakSanitizer' "$dir/stdout.log"
    rm -rf "$dir"
    [ "$output" = 0 ]
}

@test "DEBUG SEGFAULT dies by SIGSEGV, without a sanitizer report" {
    kvd_start
    local pid=$KVD_PID rc=0
    run resp_send -c -t 5 '*2\r\n$5\r\nDEBUG\r\n$8\r\nSEGFAULT\r\n'
    run wait_until 30 bash -c "[ ! -e /proc/$pid ] || grep -q '^[^ ]* ([^)]*) Z' /proc/$pid/stat"
    [ "$status" = 0 ]
    wait "$pid" || rc=$?
    echo "exit status $rc"
    [ "$rc" = $((128 + 11)) ]
    run kvd_stop
    echo "$output"
    [ "$status" = 0 ]
}
