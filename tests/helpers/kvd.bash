# shellcheck shell=bash
# Shared bats helpers: start kvd on a free loopback port in a temp dir, talk to
# it, stop it.  Load from a .bats file with
#
#     load ../helpers/kvd
#     setup()    { kvd_start; }          # or kvd_start --maxmemory 10mb ...
#     teardown() { kvd_stop; }           # stops every instance this test started
#
# or, one server for the whole file (faster; reset state in setup()):
#
#     setup_file()    { kvd_start; }     # KVD_PORT/KVD_PID/KVD_DIR are exported
#     teardown_file() { kvd_stop; }      # to the tests; start/stop pair in the
#     setup()         { kvcli FLUSHALL >/dev/null; }   # same (file) process
#
# (each test runs in its own process: a test's kvd_stop/kvd_restart only see
# the instances that test started, never the file's.)
#
# Starting
#   kvd_start [CONFIGFILE] [--directive value ...]
#       Starts ${KVD_SERVER:-${KV_BIN:-<repo>/bin}/kvd} as
#         kvd [CONFIGFILE] --port P --bind 127.0.0.1 --save '' --appendonly no
#             --dir D --logfile D/kvd.log --enable-debug-command yes [args...]
#       (later arguments win, so extra args may override any of these; a first
#       argument not starting with "--" is taken as the config file).  P is a
#       free port in 10000-22767 (P+10000, the cluster bus port, is free too);
#       D is a fresh `mktemp -d` under $BATS_TMPDIR (or $TMPDIR).  Waits at most
#       $KVD_START_TIMEOUT seconds (default 10) for our process to own the
#       listening socket and answer PING; retries on another port (5 tries)
#       if the port was taken meanwhile.  Sets and exports KVD_PORT, KVD_PID,
#       KVD_DIR.  Returns non-zero (printing the log tail) if it did not start.
#       Do not call it through `run` (variables set in a subshell are lost).
#   kvd_start_as NAME [args...]
#       Same, and also records the instance under NAME (letters, digits, _):
#       KVD_PORT_<NAME>, KVD_PID_<NAME>, KVD_DIR_<NAME>.  `kvd_use NAME` makes
#       NAME the current instance again (KVD_PORT/KVD_PID/KVD_DIR), which is
#       what kvcli, resp_send and kvd_log_wait talk to.
#   kvd_restart [NAME]
#       Stops the instance (SIGTERM, so it saves if configured to) keeping its
#       dir, and starts it again with the same arguments, dir and port.
#
# Stopping
#   kvd_stop [NAME]
#       Without NAME stops every instance started in this test; with NAME only
#       that one.  SIGTERM, waits up to 5 s ($KVD_STOP_TIMEOUT), then SIGKILL;
#       then removes the dir
#       (kept when $KVD_KEEP_DIRS is set, to debug).  Safe to call twice.
#   kvd_kill [NAME] [SIGNAL]
#       Sends SIGNAL (default KILL) and waits up to 5 s for the process to exit;
#       keeps the dir (for crash/recovery tests).
#
# Talking to it
#   kvcli [args...]
#       Runs the client with -h 127.0.0.1 -p $KVD_PORT args.  The client is
#       $KV_CLI: unset or "redis-cli" means /usr/bin/redis-cli, "kv-cli" means
#       $KV_BIN/kv-cli, anything else is taken as a path.  A later "-p PORT"
#       in args talks to another port.
#   resp_send [-p PORT] [-t SECS] [-i SECS] [-n REPLIES] [-r] [-c] FORMAT [ARGS...]
#       Sends the bytes `printf FORMAT ARGS...` produces (so "\r\n", "\x00" and
#       %s work) and prints what comes back: each complete reply on its own
#       line, escaped (\r \n \t \\ \xHH; e.g. "+PONG\r\n"), or raw bytes with
#       -r.  Stops after REPLIES complete replies (-n), when the server closes,
#       after SECS seconds without a new byte (-i, default 0.3; 1 s while
#       nothing came back yet) or SECS in all (-t, default 3).  Pass -n when
#       the reply count is known: it returns as soon as they are in.  -c
#       prints a final "<closed>" line if the server closed the connection.
#   resp_cmd [-p PORT] [-t SECS] ARG...
#       Sends ARG... as one multibulk command; prints its one reply escaped.
#
# Waiting and asserting
#   kvd_log_wait REGEX [TIMEOUT_SECS=5]       (whole seconds)
#       Succeeds as soon as the current instance's log (kvd.log, or its
#       stdout/stderr capture) has a line matching the extended REGEX; after
#       TIMEOUT fails, printing the last 20 log lines.
#   wait_until TIMEOUT_SECS COMMAND [ARGS...] (whole seconds)
#       Runs COMMAND every 0.1 s until it succeeds (returns 0) or TIMEOUT
#       passes (returns 1).
#   kvd_free_port
#       Prints a currently free loopback port (P and P+10000 both free).
#   kvd_try_start [--keep] BIN DIR [args...]
#       For start-up tests that expect a refusal as often as a start: runs
#       BIN --port P --bind 127.0.0.1 --save '' --dir DIR args... (stderr in
#       DIR/stderr.log, where a sanitizer report lands) without waiting for
#       success, and prints "loaded P PID" once it answers PING (then stops
#       it with SIGTERM, unless --keep: the caller stops PID), "exit N" when
#       it ended by itself, or "timeout" after 10 s (then it is killed).
#
# Sanitizer reports (ASan/UBSan builds: `make sanitize`, KV_BIN=bin-san)
#   kvd_start runs the server with its stderr in D/stdout.log and with
#   ASAN_OPTIONS+=":log_path=stderr" and UBSAN_OPTIONS="print_stacktrace=1:..."
#   so that every AddressSanitizer, LeakSanitizer and UBSan report (the
#   sanitized build aborts on the first one) lands in that file, even when
#   the caller set a log_path for other processes.  When kvd_stop stops an
#   instance (kvd_restart and kvd_kill keep the dir and its log, which grows
#   over restarts, for the kvd_stop that follows) its stdout.log is scanned for
#     "==PID==ERROR: AddressSanitizer|LeakSanitizer" and "file:L:C: runtime error:"
#   and on a hit the report is printed to stderr, the dir is kept, and
#   kvd_stop returns 1 (so teardown / teardown_file fails the test).  (The
#   sanitized kvd makes DEBUG SEGFAULT die by the plain signal and DEBUG LEAK
#   invisible to LeakSanitizer, so deliberate faults leave no report.)
#   LeakSanitizer runs when kvd exits after SIGTERM/SHUTDOWN: it reports
#   memory no longer reachable from anything (leaked per request), not what
#   the data set still holds at exit; an instance killed with SIGKILL is not
#   checked for leaks.  The scan costs one grep and is always on (it finds
#   nothing with an uninstrumented build or KVD_SERVER=redis-server).
#
# Environment
#   KV_BIN           directory of our binaries (default <repo>/bin)
#   KVD_SERVER       server binary to run instead of $KV_BIN/kvd (e.g.
#                    /usr/bin/redis-server to check a test against Redis)
#   KV_CLI           client, see kvcli
#   KVD_START_TIMEOUT seconds to wait for a start (default 10)
#   KVD_STOP_TIMEOUT  seconds kvd_stop waits after SIGTERM before SIGKILL
#                    (default 5; a sanitized kvd's leak check at exit is slow)
#   KVD_KEEP_DIRS    keep temp dirs after kvd_stop

KV_REPO=${KV_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KV_BIN=${KV_BIN:-$KV_REPO/bin}
KV_PYTHON=${KV_PYTHON:-/usr/bin/python3}
KV_RESP_PY="$KV_REPO/tests/helpers/resp.py"
export KV_REPO KV_BIN

# Per-test registry of started instances: parallel arrays indexed by slot.
KVD_SLOT_PIDS=()
KVD_SLOT_STARTS=()
KVD_SLOT_DIRS=()
KVD_SLOT_PORTS=()
KVD_SLOT_NAMES=()
KVD_SLOT_ARGS=()

kvd_server_bin() {
    printf '%s\n' "${KVD_SERVER:-$KV_BIN/kvd}"
}

kvd_try_start() {
    local keep=0 bin dir port pid i
    if [ "$1" = --keep ]; then
        keep=1
        shift
    fi
    bin=$1 dir=$2
    shift 2
    port=$(kvd_free_port)
    "$bin" --port "$port" --bind 127.0.0.1 --save '' --dir "$dir" "$@" \
        >/dev/null 2>>"$dir/stderr.log" 3>&- </dev/null &
    pid=$!
    for ((i = 0; i < 200; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"
            echo "exit $?"
            return 0
        fi
        if /usr/bin/redis-cli -p "$port" PING 2>/dev/null | grep -q PONG; then
            if [ "$keep" = 0 ]; then
                kill -TERM "$pid"
                wait "$pid" 2>/dev/null || true
            fi
            echo "loaded $port $pid"
            return 0
        fi
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo timeout
}

kvd_free_port() {
    # Pure bash (no fork): a random port below the Linux ephemeral range
    # (32768+) so that outgoing connections do not take it, with room for the
    # cluster bus port (+10000); both must refuse a connection.  A port that
    # is bound but not listening slips through: kvd_start then retries.
    local i port fd
    for ((i = 0; i < 200; i++)); do
        port=$((10000 + ${SRANDOM:-$((RANDOM * 32768 + RANDOM))} % 12768))
        if { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
            exec {fd}<&-
            continue
        fi
        if { exec {fd}<>"/dev/tcp/127.0.0.1/$((port + 10000))"; } 2>/dev/null; then
            exec {fd}<&-
            continue
        fi
        echo "$port"
        return 0
    done
    return 1
}

# Start time (clock ticks since boot) of a process, so that a recycled PID is
# never mistaken for ours.
_kvd_proc_start() {
    local stat
    { IFS= read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    printf '%s\n' "${20}"
}

# True while PID is running (not a zombie) and is the process started at START.
_kvd_alive() {
    local pid=$1 start=$2 stat state
    [ -n "$pid" ] || return 1
    { IFS= read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    state=${stat%% *}
    [ "$state" != Z ] || return 1
    [ -z "$start" ] || [ "$(_kvd_proc_start "$pid")" = "$start" ]
}

# True if PID owns a socket listening on 127.0.0.1:PORT (or on any address).
_kvd_owns_port() {
    local pid=$1 port=$2 hexport inodes inode link
    hexport=$(printf '%04X' "$port")
    inodes=$(awk -v p=":$hexport" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null) || true
    [ -n "$inodes" ] || return 1
    for inode in $inodes; do
        for link in "/proc/$pid/fd"/*; do
            if [ "$(readlink "$link" 2>/dev/null)" = "socket:[$inode]" ]; then
                return 0
            fi
        done
    done
    return 1
}

# True if a PING on PORT gets +PONG (or -NOAUTH: the server is up, just
# password protected).
_kvd_ping() {
    local port=$1 fd line
    { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
    # shellcheck disable=SC2016
    printf '*1\r\n$4\r\nPING\r\n' >&"$fd" || true
    IFS= read -r -t 1 line <&"$fd" || true
    exec {fd}<&-
    [[ "$line" == "+PONG"* || "$line" == "-NOAUTH"* ]]
}

_kvd_log_tail() {
    local dir=$1 f
    for f in "$dir/kvd.log" "$dir/stdout.log"; do
        [ -s "$f" ] || continue
        echo "--- tail of $f" >&2
        tail -n 20 "$f" >&2
    done
}

# _kvd_launch SLOT PORT: starts the slot's server on PORT; 0 when it is up.
_kvd_launch() {
    local slot=$1 port=$2 dir=${KVD_SLOT_DIRS[$1]} bin timeout deadline pid start unowned=0
    local -a args=()
    eval "args=(${KVD_SLOT_ARGS[$slot]})"
    bin=$(kvd_server_bin)
    if [ ! -x "$bin" ]; then
        echo "kvd_start: no server binary at $bin (build it or set KVD_SERVER)" >&2
        return 2
    fi
    local -a conf=()
    if [ ${#args[@]} -gt 0 ] && [[ "${args[0]}" != --* ]]; then
        conf=("${args[0]}")
        args=("${args[@]:1}")
    fi
    # 3>&- : bats waits for fd 3 to close; a server holding it would hang the run.
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=stderr" \
        UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}" \
        "$bin" "${conf[@]}" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$dir" --logfile "$dir/kvd.log" --enable-debug-command yes "${args[@]}" \
        >>"$dir/stdout.log" 2>&1 3>&- </dev/null &
    pid=$!
    start=$(_kvd_proc_start "$pid")
    KVD_SLOT_PIDS[slot]=$pid
    KVD_SLOT_STARTS[slot]=$start
    KVD_SLOT_PORTS[slot]=$port
    timeout=${KVD_START_TIMEOUT:-10}
    deadline=$((SECONDS + timeout))
    while [ $SECONDS -le $deadline ]; do
        if ! _kvd_alive "$pid" "$start"; then
            wait "$pid" 2>/dev/null || true
            return 1
        fi
        if _kvd_ping "$port"; then
            # Answered; make sure it is our process and not another server that
            # took the port first (ours then dies on bind).  A wrapper that forks
            # never owns the socket itself: accept it after 2 s of answers.
            if _kvd_owns_port "$pid" "$port"; then
                return 0
            fi
            unowned=$((unowned + 1))
            [ $unowned -lt 40 ] || return 0
        fi
        sleep 0.05
    done
    echo "kvd_start: server pid $pid not answering PING on port $port after ${timeout}s" >&2
    return 3
}

# _kvd_set_current SLOT: exports KVD_PORT/KVD_PID/KVD_DIR for SLOT.
_kvd_set_current() {
    export KVD_PORT=${KVD_SLOT_PORTS[$1]} KVD_PID=${KVD_SLOT_PIDS[$1]} KVD_DIR=${KVD_SLOT_DIRS[$1]}
    local name=${KVD_SLOT_NAMES[$1]}
    if [ -n "$name" ]; then
        export "KVD_PORT_$name=$KVD_PORT" "KVD_PID_$name=$KVD_PID" "KVD_DIR_$name=$KVD_DIR"
    fi
}

_kvd_start_slot() {
    local name=$1; shift
    local slot=${#KVD_SLOT_DIRS[@]} dir try port rc quoted
    if [ -n "$name" ] && [[ ! "$name" =~ ^[A-Za-z0-9_]+$ ]]; then
        echo "kvd_start_as: bad name '$name' (letters, digits, _)" >&2
        return 2
    fi
    dir=$(mktemp -d "${BATS_TMPDIR:-${TMPDIR:-/tmp}}/kvd.XXXXXX") || return 2
    quoted=
    [ $# = 0 ] || printf -v quoted '%q ' "$@"
    KVD_SLOT_DIRS[slot]=$dir
    KVD_SLOT_NAMES[slot]=$name
    KVD_SLOT_ARGS[slot]=$quoted
    KVD_SLOT_PIDS[slot]=
    KVD_SLOT_STARTS[slot]=
    KVD_SLOT_PORTS[slot]=
    rc=1
    for try in 1 2 3 4 5; do
        port=$(kvd_free_port) || { sleep 0.1; continue; }
        rc=0
        _kvd_launch "$slot" "$port" || rc=$?
        if [ $rc = 0 ] || [ $rc = 2 ]; then
            break
        fi
        _kvd_stop_slot "$slot" keep
        # Only a port collision is worth another try.
        grep -qiE 'in use|bind' "$dir/kvd.log" "$dir/stdout.log" 2>/dev/null || break
    done
    if [ $rc != 0 ]; then
        echo "kvd_start: failed (try $try, port $port, dir $dir)" >&2
        _kvd_log_tail "$dir"
        _kvd_stop_slot "$slot" || true
        return 1
    fi
    _kvd_set_current "$slot"
}

kvd_start() { _kvd_start_slot "" "$@"; }

kvd_start_as() {
    local name=$1; shift
    _kvd_start_slot "$name" "$@"
}

# _kvd_slot NAME: prints the slot of NAME (the current instance if empty).
_kvd_slot() {
    local i
    for ((i = ${#KVD_SLOT_DIRS[@]} - 1; i >= 0; i--)); do
        if [ -n "$1" ]; then
            [ "${KVD_SLOT_NAMES[$i]}" = "$1" ] && { echo "$i"; return 0; }
        elif [ -n "${KVD_PID:-}" ] && [ "${KVD_SLOT_PIDS[$i]}" = "$KVD_PID" ]; then
            echo "$i"; return 0
        fi
    done
    echo "kvd: no instance named '${1:-<current>}'" >&2
    return 1
}

kvd_use() {
    local slot
    slot=$(_kvd_slot "$1") || return 1
    _kvd_set_current "$slot"
}

# _kvd_wait_exit PID START SECS: waits for the process to exit; 0 if it did.
_kvd_wait_exit() {
    local pid=$1 start=$2 i
    for ((i = 0; i < $3 * 20; i++)); do
        if ! _kvd_alive "$pid" "$start"; then
            wait "$pid" 2>/dev/null || true
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# _kvd_san_check DIR: 1 (printing the reports) if DIR/stdout.log holds a
# sanitizer report; see the header.
_kvd_san_check() {
    local log=$1/stdout.log pat
    pat='^==[0-9]+==ERROR: (AddressSanitizer|LeakSanitizer)|^[^ ]+:[0-9]+:[0-9]+: runtime error: '
    [ -f "$log" ] && grep -qE "$pat" "$log" || return 0
    echo "kvd: sanitizer report in $log (dir kept):" >&2
    grep -E -A 40 "$pat" "$log" | head -n 200 >&2
    return 1
}

# _kvd_stop_slot SLOT [keep]: TERM, wait 5 s, KILL; removes the dir unless
# keep.  Returns 1 if the instance left a sanitizer report (dir then kept).
_kvd_stop_slot() {
    local slot=$1 pid=${KVD_SLOT_PIDS[$1]} start=${KVD_SLOT_STARTS[$1]} dir=${KVD_SLOT_DIRS[$1]}
    if [ -n "$pid" ] && _kvd_alive "$pid" "$start"; then
        kill -TERM "$pid" 2>/dev/null || true
        if ! _kvd_wait_exit "$pid" "$start" "${KVD_STOP_TIMEOUT:-5}"; then
            echo "kvd_stop: pid $pid ignored SIGTERM for ${KVD_STOP_TIMEOUT:-5} s, sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
            _kvd_wait_exit "$pid" "$start" 5 || true
        fi
    fi
    if [ -n "$pid" ]; then
        wait "$pid" 2>/dev/null || true
    fi
    KVD_SLOT_PIDS[slot]=
    local san=0
    if [ -n "$dir" ] && [ "${2:-}" != keep ]; then
        _kvd_san_check "$dir" || san=1
    fi
    if [ "${2:-}" != keep ] && [ -n "$dir" ] && [ -z "${KVD_KEEP_DIRS:-}" ] && [ $san = 0 ]; then
        rm -rf "$dir"
        KVD_SLOT_DIRS[slot]=
    fi
    return $san
}

kvd_stop() {
    local slot i rc=0
    if [ -n "${1:-}" ]; then
        slot=$(_kvd_slot "$1") || return 0
        _kvd_stop_slot "$slot" || rc=1
        return $rc
    fi
    for ((i = 0; i < ${#KVD_SLOT_DIRS[@]}; i++)); do
        _kvd_stop_slot "$i" || rc=1
    done
    return $rc
}

kvd_kill() {
    local slot pid start sig=${2:-KILL}
    slot=$(_kvd_slot "${1:-}") || return 1
    pid=${KVD_SLOT_PIDS[$slot]} start=${KVD_SLOT_STARTS[$slot]}
    [ -n "$pid" ] || return 0
    if _kvd_alive "$pid" "$start"; then
        kill -"$sig" "$pid" 2>/dev/null || true
    fi
    _kvd_wait_exit "$pid" "$start" 5 || { echo "kvd_kill: pid $pid still running" >&2; return 1; }
    KVD_SLOT_PIDS[slot]=
}

kvd_restart() {
    local slot port rc i
    slot=$(_kvd_slot "${1:-}") || return 1
    port=${KVD_SLOT_PORTS[$slot]}
    _kvd_stop_slot "$slot" keep
    # The old socket may linger a moment; retry the same port briefly.
    for ((i = 0; i < 20; i++)); do
        rc=0
        _kvd_launch "$slot" "$port" || rc=$?
        if [ $rc = 0 ]; then
            _kvd_set_current "$slot"
            return 0
        fi
        [ $rc != 2 ] || break
        _kvd_stop_slot "$slot" keep
        sleep 0.25
    done
    echo "kvd_restart: could not restart on port $port" >&2
    _kvd_log_tail "${KVD_SLOT_DIRS[$slot]}"
    return 1
}

kvcli() {
    local cli
    case "${KV_CLI:-redis-cli}" in
        redis-cli) cli=/usr/bin/redis-cli ;;
        kv-cli) cli=$KV_BIN/kv-cli ;;
        *) cli=$KV_CLI ;;
    esac
    "$cli" -h 127.0.0.1 -p "$KVD_PORT" "$@"
}

resp_send() {
    local port=$KVD_PORT timeout=3 idle=0.3 replies=0 opt
    local -a flags=()
    OPTIND=1
    while getopts 'p:t:i:n:rc' opt; do
        case $opt in
            p) port=$OPTARG ;;
            t) timeout=$OPTARG ;;
            i) idle=$OPTARG ;;
            n) replies=$OPTARG ;;
            r) flags+=(--raw) ;;
            c) flags+=(--closed) ;;
            *) echo "resp_send: bad option" >&2; return 2 ;;
        esac
    done
    shift $((OPTIND - 1))
    # shellcheck disable=SC2059
    printf -- "$@" | "$KV_PYTHON" -I -S "$KV_RESP_PY" send --port "$port" --timeout "$timeout" \
        --idle "$idle" --replies "$replies" "${flags[@]}"
}

resp_cmd() {
    local port=$KVD_PORT timeout=3 opt
    OPTIND=1
    while getopts 'p:t:' opt; do
        case $opt in
            p) port=$OPTARG ;;
            t) timeout=$OPTARG ;;
            *) echo "resp_cmd: bad option" >&2; return 2 ;;
        esac
    done
    shift $((OPTIND - 1))
    "$KV_PYTHON" -I -S "$KV_RESP_PY" cmd --port "$port" --timeout "$timeout" -- "$@"
}

wait_until() {
    local timeout=$1 i
    shift
    for ((i = 0; i <= timeout * 10; i++)); do
        if "$@"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

kvd_log_wait() {
    local regex=$1 timeout=${2:-5} i f
    for ((i = 0; i <= timeout * 10; i++)); do
        for f in "$KVD_DIR/kvd.log" "$KVD_DIR/stdout.log"; do
            if [ -f "$f" ] && grep -qE -- "$regex" "$f"; then
                return 0
            fi
        done
        sleep 0.1
    done
    echo "kvd_log_wait: no line matching /$regex/ after ${timeout}s" >&2
    _kvd_log_tail "$KVD_DIR"
    return 1
}

# check < SCRIPT: runs "COMMAND ARGS => EXPECTED" lines against the current
# instance over one connection (tests/helpers/check_script.py); fails on any
# mismatch, printing each.
check() {
    "$KV_PYTHON" "$KV_REPO/tests/helpers/check_script.py" "$KVD_PORT"
}

# pyrun < PROGRAM: runs a Python test program against the current instance
# with call/call3/connect/fail in scope (tests/helpers/pyrun_prelude.py).
pyrun() {
    local prog
    prog=$(cat)
    "$KV_PYTHON" -c "import sys; sys.path.insert(0, sys.argv[2])
from pyrun_prelude import *
$prog" "$KVD_PORT" "$KV_REPO/tests/helpers"
}
