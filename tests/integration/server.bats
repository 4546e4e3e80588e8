#!/usr/bin/env bats
# TIME, LASTSAVE, SHUTDOWN (options, errors, the process really stops) and
# the MEMORY family (USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP).

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() { kvd_stop; }

@test "TIME returns unix seconds and microseconds as bulk strings" {
    run resp_cmd TIME
    assert_output --regexp '^\*2\\r\\n\$10\\r\\n[0-9]{10}\\r\\n\$[1-6]\\r\\n[0-9]{1,6}\\r\\n$'
    run kvcli TIME
    local now
    now=$(date +%s)
    [ $((lines[0] - now)) -ge -2 ] && [ $((lines[0] - now)) -le 2 ]
    [ "${lines[1]}" -lt 1000000 ]
    run resp_cmd TIME extra
    assert_output "-ERR wrong number of arguments for 'time' command\r\n"
}

@test "LASTSAVE is the start time before any save" {
    run resp_cmd LASTSAVE
    assert_output --regexp '^:[0-9]{10}\\r\\n$'
    local t now
    t=$(kvcli LASTSAVE)
    now=$(date +%s)
    [ $((now - t)) -ge 0 ] && [ $((now - t)) -le 30 ]
}

@test "SHUTDOWN rejects bad option combinations with Redis's errors" {
    run resp_cmd SHUTDOWN bogus
    assert_output '-ERR syntax error\r\n'
    run resp_cmd SHUTDOWN SAVE NOSAVE
    assert_output '-ERR syntax error\r\n'
    run resp_cmd SHUTDOWN NOSAVE ABORT
    assert_output '-ERR syntax error\r\n'
    run resp_cmd SHUTDOWN NOW ABORT
    assert_output '-ERR syntax error\r\n'
    run resp_cmd SHUTDOWN ABORT
    assert_output '-ERR No shutdown in progress.\r\n'
    run resp_cmd SHUTDOWN abort abort
    assert_output '-ERR No shutdown in progress.\r\n'
    run kvcli PING
    assert_output PONG
}

@test "SHUTDOWN NOSAVE stops the process without a reply" {
    run resp_send -c -t 5 '*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n'
    refute_output --partial '+OK'
    refute_output --partial '-ERR'
    run wait_until 5 bash -c "! kill -0 $KVD_PID 2>/dev/null"
    assert_success
    kvd_log_wait 'ready to exit, bye bye'
}

@test "SHUTDOWN NOW FORCE stops the process" {
    run kvcli SHUTDOWN NOW FORCE
    run wait_until 5 bash -c "! kill -0 $KVD_PID 2>/dev/null"
    assert_success
}

@test "MEMORY USAGE counts a key and its value" {
    kvcli SET small x >/dev/null
    head -c 10000 /dev/zero | tr '\0' y | kvcli -x SET big >/dev/null
    local small big
    small=$(kvcli MEMORY USAGE small)
    big=$(kvcli MEMORY USAGE big)
    [[ "$small" =~ ^[0-9]+$ ]]
    [ "$small" -ge 6 ] && [ "$small" -lt 200 ]
    [ "$big" -ge 10005 ] && [ "$big" -lt 20000 ]
    run resp_cmd MEMORY USAGE nosuchkey
    assert_output '$-1\r\n'
    run resp_cmd MEMORY USAGE small SAMPLES 0
    assert_output ":$small\r\n"
    run resp_cmd MEMORY USAGE small SAMPLES
    assert_output '-ERR syntax error\r\n'
    run resp_cmd MEMORY USAGE small SAMPLES -1
    assert_output '-ERR syntax error\r\n'
    run resp_cmd MEMORY USAGE small SAMPLES x
    assert_output '-ERR value is not an integer or out of range\r\n'
    run resp_cmd MEMORY USAGE small other 1
    assert_output '-ERR syntax error\r\n'
}

@test "MEMORY STATS lists Redis's fields with our figures" {
    kvcli MSET a 1 b 2 c 3 >/dev/null
    kvcli EXPIRE a 100 >/dev/null
    run kvcli MEMORY STATS
    assert_line -n 0 peak.allocated
    assert_line -n 2 total.allocated
    assert_line -n 4 startup.allocated
    assert_line -n 20 db.0
    assert_line -n 21 overhead.hashtable.main
    assert_line overhead.total
    assert_line fragmentation.bytes
    local i
    for i in "${!lines[@]}"; do
        if [ "${lines[$i]}" = keys.count ]; then [ "${lines[$((i + 1))]}" = 3 ]; fi
        if [ "${lines[$i]}" = total.allocated ]; then [ "${lines[$((i + 1))]}" -gt 0 ]; fi
    done
    run resp_cmd MEMORY STATS
    # 27 fields plus one per non-empty database.
    assert_output --regexp '^\*56\\r\\n'
    run resp_send -n 2 'HELLO 3\r\nMEMORY STATS\r\n'
    assert_line -n 1 --regexp '^%28\\r\\n'
}

@test "MEMORY DOCTOR, MALLOC-STATS, PURGE, HELP" {
    run kvcli MEMORY DOCTOR
    assert_output --regexp '^Hi Sam, '
    run kvcli MEMORY MALLOC-STATS
    assert_output --regexp '^(___ Begin jemalloc statistics ___|Stats not supported for the current allocator)'
    run kvcli MEMORY PURGE
    assert_output OK
    run kvcli MEMORY HELP
    assert_line -n 0 'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'
    assert_line -n 9 'USAGE <key> [SAMPLES <count>]'
    assert_line -n 13 '    Prints this help.'
    run resp_cmd MEMORY nosuch
    assert_output "-ERR unknown subcommand 'nosuch'. Try MEMORY HELP.\r\n"
}
