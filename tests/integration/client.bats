#!/usr/bin/env bats
# The CLIENT command family (kvd/clientcmd.c): ID, SETNAME/GETNAME, INFO,
# LIST, KILL (old and new forms), PAUSE/UNPAUSE, REPLY, NO-EVICT, HELP and
# their errors, with Redis 7.0's exact replies. Runs against redis-server
# too: KVD_SERVER=/usr/bin/redis-server bats tests/integration/client.bats

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() {
    conn_close
    kvd_stop
}

# A connection held open by the test (bash /dev/tcp), for what needs a
# second, long-lived client. conn_cmd sends one inline command and prints the
# first line of the reply without its \r (simple replies only).
CONN=
conn_open() { exec {CONN}<>"/dev/tcp/127.0.0.1/$KVD_PORT"; }
conn_close() {
    if [ -n "$CONN" ]; then
        exec {CONN}<&- || true
        CONN=
    fi
}
conn_cmd() {
    local line
    printf '%s\r\n' "$*" >&"$CONN"
    IFS= read -r -t 3 line <&"$CONN" || return 1
    printf '%s\n' "${line%$'\r'}"
}
# True when the server closed the held connection (EOF within 3 s).
conn_closed_by_server() {
    local line rc=0
    IFS= read -r -t 3 line <&"$CONN" || rc=$?
    [ "$rc" -eq 1 ] && [ -z "$line" ]
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- ID, SETNAME, GETNAME ----

@test "CLIENT ID is an integer, different per connection" {
    conn_open
    local held
    held=$(conn_cmd CLIENT ID)
    [[ "$held" =~ ^:[0-9]+$ ]]
    run kvcli CLIENT ID
    assert_success
    [[ "$output" =~ ^[0-9]+$ ]]
    [ "$output" -gt "${held#:}" ]
    # Same connection, same id.
    run conn_cmd CLIENT ID
    assert_output "$held"
}

@test "CLIENT SETNAME / GETNAME round trip, empty name clears" {
    run kvcli CLIENT GETNAME
    assert_output ""
    run resp_send 'CLIENT GETNAME\r\nCLIENT SETNAME worker-1\r\nCLIENT GETNAME\r\nCLIENT SETNAME ""\r\nCLIENT GETNAME\r\n'
    assert_line -n 0 '$-1\r\n'
    assert_line -n 1 '+OK\r\n'
    assert_line -n 2 '$8\r\nworker-1\r\n'
    assert_line -n 3 '+OK\r\n'
    assert_line -n 4 '$-1\r\n'
}

@test "CLIENT SETNAME refuses spaces, newlines and special characters" {
    local err='ERR Client names cannot contain spaces, newlines or special characters.'
    run kvcli CLIENT SETNAME "a b"
    assert_output "$err"
    run kvcli CLIENT SETNAME $'a\nb'
    assert_output "$err"
    run kvcli CLIENT SETNAME $'caf\xc3\xa9'
    assert_output "$err"
    run kvcli CLIENT SETNAME $'tab\there'
    assert_output "$err"
    # Every printable ASCII character but space is allowed.
    run kvcli CLIENT SETNAME '!~{}[]"'"'"'#$%'
    assert_output OK
}

@test "a refused name leaves the current one in place" {
    run resp_send 'CLIENT SETNAME keep\r\nCLIENT SETNAME "x y"\r\nCLIENT GETNAME\r\n'
    assert_line -n 0 '+OK\r\n'
    assert_line -n 1 --partial '-ERR Client names cannot contain'
    assert_line -n 2 '$4\r\nkeep\r\n'
}

# ---- INFO, LIST ----

@test "CLIENT INFO describes this connection with Redis 7.0's fields in order" {
    run bash -c "printf 'CLIENT ID\nCLIENT SETNAME me\nCLIENT INFO\n' | /usr/bin/redis-cli -p $KVD_PORT"
    assert_success
    local id=${lines[0]}
    local info=${lines[2]}
    [[ "$info" == "id=$id addr=127.0.0.1:"* ]]
    [[ "$info" == *" laddr=127.0.0.1:$KVD_PORT "* ]]
    [[ "$info" == *" name=me "* ]]
    [[ "$info" == *" db=0 "* ]]
    [[ "$info" == *" cmd=client|info "* ]]
    [[ "$info" == *" user=default "* ]]
    [[ "$info" == *" resp=2" ]]
    local keys
    keys=$(printf '%s\n' "$info" | tr ' ' '\n' | cut -d= -f1 | paste -sd' ')
    assert_equal "$keys" "id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp"
}

@test "CLIENT INFO is one line ending in a newline (verbatim txt in RESP3)" {
    run resp_send 'CLIENT INFO\r\n'
    [[ "$output" =~ ^\$[0-9]+\\r\\nid=[0-9]+\ .*resp=2\\n\\r\\n$ ]]
    run resp_send -n 2 'HELLO 3\r\nCLIENT INFO\r\n'
    [[ "${lines[1]}" =~ ^=[0-9]+\\r\\ntxt:id=[0-9]+\ .*resp=3\\n\\r\\n$ ]]
}

@test "CLIENT LIST shows every connection, oldest first, one line each" {
    conn_open
    conn_cmd CLIENT SETNAME holder
    local held
    held=$(conn_cmd CLIENT ID)
    held=${held#:}
    run kvcli CLIENT LIST
    assert_success
    [ "${#lines[@]}" -eq 2 ]
    [[ "${lines[0]}" == "id=$held "*" name=holder "* ]]
    [[ "${lines[1]}" == *" cmd=client|list "* ]]
}

@test "CLIENT LIST TYPE filters by client type" {
    conn_open
    conn_cmd PING
    run kvcli CLIENT LIST TYPE normal
    [ "${#lines[@]}" -eq 2 ]
    run kvcli CLIENT LIST TYPE NORMAL
    [ "${#lines[@]}" -eq 2 ]
    for t in master replica slave pubsub; do
        run kvcli CLIENT LIST TYPE "$t"
        assert_success
        assert_output ""
    done
    run kvcli CLIENT LIST TYPE foo
    assert_output "ERR Unknown client type 'foo'"
}

@test "CLIENT LIST ID lists the given clients, skipping unknown ids" {
    conn_open
    local held
    held=$(conn_cmd CLIENT ID)
    held=${held#:}
    run kvcli CLIENT LIST ID "$held"
    [ "${#lines[@]}" -eq 1 ]
    [[ "${lines[0]}" == "id=$held "* ]]
    run kvcli CLIENT LIST ID 999999 "$held" 0 -5
    [ "${#lines[@]}" -eq 1 ]
    [[ "${lines[0]}" == "id=$held "* ]]
    run kvcli CLIENT LIST ID "$held" "$held"
    [ "${#lines[@]}" -eq 2 ]
    run kvcli CLIENT LIST ID 999999
    assert_output ""
    run kvcli CLIENT LIST ID abc
    assert_output "ERR Invalid client ID"
    run kvcli CLIENT LIST ID "$held" 1x
    assert_output "ERR Invalid client ID"
}

@test "CLIENT LIST syntax errors" {
    run kvcli CLIENT LIST foo
    assert_output "ERR syntax error"
    run kvcli CLIENT LIST TYPE normal extra
    assert_output "ERR syntax error"
    run kvcli CLIENT LIST TYPE
    assert_output "ERR syntax error"
    run kvcli CLIENT LIST ID
    assert_output "ERR syntax error"
}

# ---- KILL ----

@test "CLIENT KILL ID from another connection closes that connection" {
    conn_open
    local held
    held=$(conn_cmd CLIENT ID)
    held=${held#:}
    run kvcli CLIENT KILL ID "$held"
    assert_output 1
    conn_closed_by_server
    run kvcli CLIENT LIST ID "$held"
    assert_output ""
    # Gone already: nothing to kill.
    run kvcli CLIENT KILL ID "$held"
    assert_output 0
}

@test "CLIENT KILL ip:port (old form) replies OK, or No such client" {
    conn_open
    conn_cmd CLIENT SETNAME victim
    local addr
    addr=$(kvcli CLIENT LIST | sed -n 's/.* addr=\([^ ]*\) .* name=victim .*/\1/p')
    [[ "$addr" == 127.0.0.1:* ]]
    run kvcli CLIENT KILL "$addr"
    assert_output OK
    conn_closed_by_server
    run kvcli CLIENT KILL "$addr"
    assert_output "ERR No such client"
    run kvcli CLIENT KILL 1.2.3.4:5
    assert_output "ERR No such client"
}

@test "CLIENT KILL old form may kill the caller, after its reply" {
    conn_open
    conn_cmd CLIENT SETNAME self
    local addr
    addr=$(kvcli CLIENT LIST | sed -n 's/.* addr=\([^ ]*\) .* name=self .*/\1/p')
    run conn_cmd CLIENT KILL "$addr"
    assert_output "+OK"
    conn_closed_by_server
}

@test "CLIENT KILL filters: ADDR, LADDR, USER, TYPE; SKIPME yes by default" {
    conn_open
    conn_cmd CLIENT SETNAME a1
    local addr
    addr=$(kvcli CLIENT LIST | sed -n 's/.* addr=\([^ ]*\) .* name=a1 .*/\1/p')
    run kvcli CLIENT KILL ADDR "$addr"
    assert_output 1
    conn_closed_by_server
    conn_close

    conn_open
    conn_cmd PING
    run kvcli CLIENT KILL LADDR "127.0.0.1:$KVD_PORT"
    assert_output 1
    conn_closed_by_server
    conn_close

    conn_open
    conn_cmd PING
    run kvcli CLIENT KILL USER default
    assert_output 1
    conn_closed_by_server
    conn_close

    conn_open
    conn_cmd PING
    run kvcli CLIENT KILL TYPE normal
    assert_output 1
    conn_closed_by_server
    conn_close

    # Filters combine with AND.
    conn_open
    local held
    held=$(conn_cmd CLIENT ID)
    run kvcli CLIENT KILL ID "${held#:}" LADDR 9.9.9.9:1
    assert_output 0
    run kvcli CLIENT KILL TYPE pubsub
    assert_output 0
    run kvcli CLIENT KILL ID "${held#:}" TYPE normal USER default
    assert_output 1
    conn_closed_by_server
}

@test "CLIENT KILL SKIPME: a client is spared unless SKIPME no, then closed after the reply" {
    conn_open
    local held
    held=$(conn_cmd CLIENT ID)
    run conn_cmd CLIENT KILL ID "${held#:}"
    assert_output ":0"
    run conn_cmd CLIENT KILL ID "${held#:}" SKIPME yes
    assert_output ":0"
    run conn_cmd CLIENT KILL ID "${held#:}" SKIPME no
    assert_output ":1"
    conn_closed_by_server
}

@test "CLIENT KILL TYPE normal SKIPME no counts and closes the caller too" {
    conn_open
    conn_cmd PING
    run resp_send -c 'CLIENT KILL TYPE normal SKIPME NO\r\nPING\r\n'
    assert_line -n 0 ':2\r\n'
    assert_line -n 1 '<closed>'
    conn_closed_by_server
}

@test "CLIENT KILL errors" {
    run kvcli CLIENT KILL ID 0
    assert_output "ERR client-id should be greater than 0"
    run kvcli CLIENT KILL ID -1
    assert_output "ERR client-id should be greater than 0"
    run kvcli CLIENT KILL ID abc
    assert_output "ERR client-id should be greater than 0"
    run kvcli CLIENT KILL TYPE foo
    assert_output "ERR Unknown client type 'foo'"
    run kvcli CLIENT KILL USER nobody
    assert_output "ERR No such user 'nobody'"
    run kvcli CLIENT KILL SKIPME maybe
    assert_output "ERR syntax error"
    run kvcli CLIENT KILL foo bar
    assert_output "ERR syntax error"
    run kvcli CLIENT KILL ID 5 extra
    assert_output "ERR syntax error"
    run kvcli CLIENT KILL
    assert_output "ERR wrong number of arguments for 'client|kill' command"
}

# ---- PAUSE / UNPAUSE ----

@test "CLIENT PAUSE WRITE holds a SET until the timeout while GET and PING run" {
    kvcli SET k old
    local t0 t1 t2
    t0=$(now_ms)
    run kvcli CLIENT PAUSE 2000 WRITE
    assert_output OK
    run kvcli GET k
    assert_output old
    run kvcli PING
    assert_output PONG
    # Both answered while the pause was still on (redis-cli itself takes
    # ~0.1 s to start here, hence the margin).
    t1=$(now_ms)
    [ $((t1 - t0)) -lt 1800 ]
    run timeout 10 /usr/bin/redis-cli -p "$KVD_PORT" SET k new
    assert_output OK
    t2=$(now_ms)
    [ $((t2 - t0)) -ge 1900 ]
    [ $((t2 - t0)) -lt 6000 ]
    run kvcli GET k
    assert_output new
}

@test "CLIENT PAUSE (ALL is the default) holds every command until the timeout" {
    local t0 t1
    t0=$(now_ms)
    run kvcli CLIENT PAUSE 800
    assert_output OK
    run timeout 10 /usr/bin/redis-cli -p "$KVD_PORT" PING
    assert_output PONG
    t1=$(now_ms)
    [ $((t1 - t0)) -ge 700 ]
    [ $((t1 - t0)) -lt 5000 ]
    t0=$(now_ms)
    run kvcli CLIENT PAUSE 800 ALL
    assert_output OK
    run timeout 10 /usr/bin/redis-cli -p "$KVD_PORT" GET k
    t1=$(now_ms)
    [ $((t1 - t0)) -ge 700 ]
}

@test "CLIENT UNPAUSE releases held clients at once" {
    run kvcli CLIENT PAUSE 20000 WRITE
    assert_output OK
    local out="$BATS_TEST_TMPDIR/held.out" t0 t1 pid
    t0=$(now_ms)
    timeout 15 /usr/bin/redis-cli -p "$KVD_PORT" SET held yes >"$out" 2>&1 3>&- &
    pid=$!
    sleep 0.4
    # Still held.
    [ ! -s "$out" ]
    run kvcli GET held
    assert_output ""
    run kvcli CLIENT UNPAUSE
    assert_output OK
    wait "$pid"
    t1=$(now_ms)
    run cat "$out"
    assert_output OK
    [ $((t1 - t0)) -lt 5000 ]
    run kvcli GET held
    assert_output yes
}

@test "pipelined commands behind a held write keep their order" {
    run kvcli CLIENT PAUSE 500 WRITE
    assert_output OK
    run resp_send -t 5 -n 3 -i 2 'SET p 1\r\nGET p\r\nINCR p\r\n'
    assert_line -n 0 '+OK\r\n'
    assert_line -n 1 '$1\r\n1\r\n'
    assert_line -n 2 ':2\r\n'
}

@test "CLIENT PAUSE 0 pauses nothing; a huge timeout is accepted" {
    run kvcli CLIENT PAUSE 0
    assert_output OK
    run timeout 3 /usr/bin/redis-cli -p "$KVD_PORT" SET k v
    assert_output OK
    # Redis 7.0 wraps the end time around: OK and no pause.
    run kvcli CLIENT PAUSE 9223372036854775807
    assert_output OK
    run timeout 3 /usr/bin/redis-cli -p "$KVD_PORT" SET k v
    assert_output OK
}

@test "CLIENT PAUSE errors" {
    run kvcli CLIENT PAUSE abc
    assert_output "ERR timeout is not an integer or out of range"
    run kvcli CLIENT PAUSE 1.5
    assert_output "ERR timeout is not an integer or out of range"
    run kvcli CLIENT PAUSE -1
    assert_output "ERR timeout is negative"
    run kvcli CLIENT PAUSE 100 foo
    assert_output "ERR CLIENT PAUSE mode must be WRITE or ALL"
    run kvcli CLIENT pause 1 2 3
    assert_output "ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP."
    run kvcli client PAUSE 1 2 3
    assert_output "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."
    run kvcli CLIENT PAUSE
    assert_output "ERR wrong number of arguments for 'client|pause' command"
    run kvcli CLIENT UNPAUSE x
    assert_output "ERR wrong number of arguments for 'client|unpause' command"
    # None of those paused anything.
    run timeout 3 /usr/bin/redis-cli -p "$KVD_PORT" SET k v
    assert_output OK
}

# ---- REPLY ----

@test "CLIENT REPLY OFF silences replies until ON (raw socket)" {
    run resp_send 'CLIENT REPLY OFF\r\nPING\r\nSET r 1\r\nNOSUCHCMD\r\nCLIENT REPLY ON\r\nPING\r\n'
    assert_success
    [ "${#lines[@]}" -eq 2 ]
    assert_line -n 0 '+OK\r\n'
    assert_line -n 1 '+PONG\r\n'
    # The commands ran even though nothing was said.
    run kvcli GET r
    assert_output 1
}

@test "CLIENT REPLY SKIP drops exactly the next reply" {
    run resp_send 'CLIENT REPLY SKIP\r\nPING\r\nECHO a\r\n'
    [ "${#lines[@]}" -eq 1 ]
    assert_line -n 0 '$1\r\na\r\n'
    # SKIP while OFF changes nothing; ON answers OK.
    run resp_send 'CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nPING\r\n'
    [ "${#lines[@]}" -eq 2 ]
    assert_line -n 0 '+OK\r\n'
    assert_line -n 1 '+PONG\r\n'
    # SKIP then OFF: nothing at all.
    run resp_send 'CLIENT REPLY SKIP\r\nCLIENT REPLY OFF\r\nPING\r\n'
    assert_output ""
}

@test "CLIENT REPLY errors" {
    run kvcli CLIENT REPLY foo
    assert_output "ERR syntax error"
    run kvcli CLIENT REPLY
    assert_output "ERR wrong number of arguments for 'client|reply' command"
    run kvcli CLIENT REPLY on
    assert_output OK
}

# ---- NO-EVICT ----

@test "CLIENT NO-EVICT on/off sets the e flag" {
    run bash -c "printf 'CLIENT NO-EVICT on\nCLIENT INFO\nCLIENT NO-EVICT OFF\nCLIENT INFO\n' | /usr/bin/redis-cli -p $KVD_PORT"
    assert_line -n 0 OK
    [[ "${lines[1]}" == *" flags=e "* ]]
    assert_line -n 2 OK
    [[ "${lines[3]}" == *" flags=N "* ]]
    run kvcli CLIENT NO-EVICT maybe
    assert_output "ERR syntax error"
}

# ---- HELP and generic errors ----

@test "CLIENT HELP is Redis 7.0's text" {
    run kvcli CLIENT HELP
    assert_success
    local expected
    expected=$(cat <<'EOF'
CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
CACHING (YES|NO)
    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.
GETREDIR
    Return the client ID we are redirecting to when tracking is enabled.
GETNAME
    Return the name of the current connection.
ID
    Return the ID of the current connection.
INFO
    Return information about the current client connection.
KILL <ip:port>
    Kill connection made from <ip:port>.
KILL <option> <value> [<option> <value> [...]]
    Kill connections. Options are:
    * ADDR (<ip:port>|<unixsocket>:0)
      Kill connections made from the specified address
    * LADDR (<ip:port>|<unixsocket>:0)
      Kill connections made to specified local address
    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)
      Kill connections by type.
    * USER <username>
      Kill connections authenticated by <username>.
    * SKIPME (YES|NO)
      Skip killing current connection (default: yes).
LIST [options ...]
    Return information about client connections. Options:
    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)
      Return clients of specified type.
UNPAUSE
    Stop the current client pause, resuming traffic.
PAUSE <timeout> [WRITE|ALL]
    Suspend all, or just write, clients for <timeout> milliseconds.
REPLY (ON|OFF|SKIP)
    Control the replies sent to the current connection.
SETNAME <name>
    Assign the name <name> to the current connection.
UNBLOCK <clientid> [TIMEOUT|ERROR]
    Unblock the specified blocked client.
TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]
         [OPTIN] [OPTOUT] [NOLOOP]
    Control server assisted client side caching.
TRACKINGINFO
    Report tracking status for the current connection.
NO-EVICT (ON|OFF)
    Protect current client connection from eviction.
HELP
    Prints this help.
EOF
)
    assert_output "$expected"
    run resp_send 'CLIENT HELP\r\n'
    [[ "$output" == '*48\r\n+CLIENT <subcommand>'* ]]
}

@test "CLIENT unknown subcommand and arity errors" {
    run kvcli CLIENT foo
    assert_output "ERR unknown subcommand 'foo'. Try CLIENT HELP."
    run kvcli CLIENT
    assert_output "ERR wrong number of arguments for 'client' command"
    run kvcli CLIENT ID x
    assert_output "ERR wrong number of arguments for 'client|id' command"
    run kvcli CLIENT GETNAME x
    assert_output "ERR wrong number of arguments for 'client|getname' command"
    run kvcli CLIENT SETNAME
    assert_output "ERR wrong number of arguments for 'client|setname' command"
    run kvcli CLIENT INFO x
    assert_output "ERR wrong number of arguments for 'client|info' command"
    run kvcli CLIENT NO-EVICT
    assert_output "ERR wrong number of arguments for 'client|no-evict' command"
    run kvcli client id
    [[ "$output" =~ ^[0-9]+$ ]]
}
