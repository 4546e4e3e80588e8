#!/usr/bin/env bats
# SLOWLOG: what is recorded (threshold, max length), the entry format, the
# trimming of long commands, redaction of secrets, GET/LEN/RESET/HELP.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start --slowlog-log-slower-than 0; }
teardown() { kvd_stop; }

@test "with slowlog-log-slower-than 0 every command is logged, newest first" {
    kvcli SLOWLOG RESET >/dev/null
    kvcli SET a 1 >/dev/null
    kvcli GET a >/dev/null
    # RESET itself, SET and GET.
    [ "$(kvcli SLOWLOG LEN)" = 3 ]
    run kvcli SLOWLOG GET 3
    # redis-cli flattens: id, time, duration, args..., addr, name. The
    # arguments are logged as sent.
    assert_line -n 3 SLOWLOG
    assert_line -n 4 LEN
    # (bats drops the empty client-name lines)
    assert_line -n 9 GET
    assert_line -n 10 a
    assert_line -n 15 SET
}

@test "an entry is id, unix time, duration, arguments, client address and name" {
    kvcli SLOWLOG RESET >/dev/null
    kvcli CLIENT SETNAME logger >/dev/null
    run resp_cmd SLOWLOG GET 1
    local now
    now=$(date +%s)
    assert_output --regexp '^\*1\\r\\n\*6\\r\\n:[0-9]+\\r\\n:[0-9]+\\r\\n:[0-9]+\\r\\n\*3\\r\\n\$6\\r\\nCLIENT\\r\\n\$7\\r\\nSETNAME\\r\\n\$6\\r\\nlogger\\r\\n\$[0-9]+\\r\\n127\.0\.0\.1:[0-9]+\\r\\n\$6\\r\\nlogger\\r\\n$'
    local t
    t=$(echo "$output" | sed -E 's/^\*1\\r\\n\*6\\r\\n:[0-9]+\\r\\n:([0-9]+).*/\1/')
    [ $((now - t)) -ge 0 ] && [ $((now - t)) -le 5 ]
    # Anonymous clients get an empty name.
    run resp_cmd SLOWLOG GET 1
    assert_output --regexp '127\.0\.0\.1:[0-9]+\\r\\n\$0\\r\\n\\r\\n$'
}

@test "ids keep increasing across RESET" {
    kvcli PING >/dev/null
    local first
    first=$(kvcli SLOWLOG GET 1 | head -1)
    kvcli SLOWLOG RESET >/dev/null
    [ "$(kvcli SLOWLOG GET 1 | head -1)" -gt "$first" ]
}

@test "the threshold selects slow commands; negative disables the log" {
    # 300 ms: far above what SET takes even on a loaded machine.
    kvcli CONFIG SET slowlog-log-slower-than 300000 >/dev/null
    kvcli SLOWLOG RESET >/dev/null
    kvcli SET fast 1 >/dev/null
    kvcli DEBUG SLEEP 0.4 >/dev/null
    [ "$(kvcli SLOWLOG LEN)" = 1 ]
    run kvcli SLOWLOG GET
    assert_line -n 3 DEBUG
    assert_line -n 4 SLEEP
    local duration=${lines[2]}
    [ "$duration" -ge 350000 ] && [ "$duration" -lt 5000000 ]
    kvcli CONFIG SET slowlog-log-slower-than -1 >/dev/null
    kvcli SLOWLOG RESET >/dev/null
    kvcli DEBUG SLEEP 0.1 >/dev/null
    [ "$(kvcli SLOWLOG LEN)" = 0 ]
}

@test "slowlog-max-len keeps the newest entries" {
    kvcli CONFIG SET slowlog-max-len 3 >/dev/null
    for i in 1 2 3 4 5 6; do kvcli SET "k$i" v >/dev/null; done
    [ "$(kvcli SLOWLOG LEN)" = 3 ]
    run kvcli SLOWLOG GET
    assert_line -n 3 SLOWLOG
    assert_line -n 9 SET
    assert_line -n 10 k6
    kvcli CONFIG SET slowlog-max-len 0 >/dev/null
    [ "$(kvcli SLOWLOG LEN)" = 0 ]
}

@test "SLOWLOG GET count: default 10, -1 for all, errors below -1" {
    for i in $(seq 1 15); do kvcli PING >/dev/null; done
    run resp_cmd SLOWLOG GET
    assert_output --regexp '^\*10\\r\\n'
    run resp_cmd SLOWLOG GET -1
    assert_output --regexp '^\*1[5-9]\\r\\n'
    run resp_cmd SLOWLOG GET 0
    assert_output '*0\r\n'
    run resp_cmd SLOWLOG GET 2
    assert_output --regexp '^\*2\\r\\n'
    run resp_cmd SLOWLOG GET -2
    assert_output '-ERR count should be greater than or equal to -1\r\n'
    run resp_cmd SLOWLOG GET abc
    assert_output '-ERR count should be greater than or equal to -1\r\n'
    run resp_cmd SLOWLOG GET 1 2
    assert_output "-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n"
}

@test "long arguments and long commands are trimmed as Redis does" {
    kvcli SLOWLOG RESET >/dev/null
    kvcli SET k "$(printf 'x%.0s' {1..200})" >/dev/null
    run kvcli SLOWLOG GET 1
    assert_line -n 5 "$(printf 'x%.0s' {1..128})... (72 more bytes)"
    kvcli MSET $(seq 1 40) >/dev/null
    run kvcli SLOWLOG GET 1
    # 41 arguments: 31 kept, the 32nd says how many more there were.
    assert_line -n 3 MSET
    assert_line -n 33 30
    assert_line -n 34 '... (10 more arguments)'
    assert_line -n 35 --regexp '^127\.0\.0\.1:[0-9]+$'
}

@test "secrets are redacted" {
    kvcli SLOWLOG RESET >/dev/null
    kvcli AUTH hunter2 >/dev/null 2>&1 || true
    kvcli AUTH someone hunter2 >/dev/null 2>&1 || true
    kvcli CONFIG SET requirepass "" >/dev/null
    run kvcli SLOWLOG GET
    refute_output --partial hunter2
    assert_line -n 3 CONFIG
    assert_line -n 6 '(redacted)'
    run kvcli SLOWLOG GET -1
    assert_output --partial "$(printf 'AUTH\n(redacted)\n(redacted)')"
}

@test "SLOWLOG HELP, LEN, RESET and unknown subcommands" {
    run kvcli SLOWLOG HELP
    assert_line -n 0 'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'
    assert_line -n 1 'GET [<count>]'
    assert_line -n 2 '    Return top <count> entries from the slowlog (default: 10, -1 mean all).'
    assert_line -n 11 '    Prints this help.'
    [ "${#lines[@]}" = 12 ]
    run kvcli SLOWLOG RESET
    assert_output OK
    run resp_cmd SLOWLOG LEN
    assert_output ':1\r\n'
    run resp_cmd SLOWLOG nosuch
    assert_output "-ERR unknown subcommand 'nosuch'. Try SLOWLOG HELP.\r\n"
    run resp_cmd SLOWLOG LEN extra
    assert_output "-ERR wrong number of arguments for 'slowlog|len' command\r\n"
}
