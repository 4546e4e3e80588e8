#!/usr/bin/env bats
# kv-cli, the redis-cli workalike.
#
# Most tests are differential: the same command line is given to kv-cli and
# to Debian's redis-cli 7.0 (the reference), against the same server, and
# stdout, stderr and the exit code must match byte for byte, in every output
# mode (--no-raw, --raw, --csv; RESP2 and RESP3). Two servers are used:
#   - the server under test (kvd, or $KV_SERVER / $KVD_SERVER, e.g.
#     /usr/bin/redis-server), for real command replies;
#   - a canned-reply server (Python, below) that answers "RAW <bytes>" with
#     exactly <bytes>, to reach every RESP2/RESP3 reply shape whatever the
#     server under test supports.
# Interactive mode runs in tmux (a private tmux server per file).

bats_require_minimum_version 1.5.0

load ../helpers/kvd
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

REDIS_CLI=${REDIS_CLI:-/usr/bin/redis-cli}

setup_file() {
    export KVD_SERVER=${KVD_SERVER:-${KV_SERVER:-$KV_BIN/kvd}}
    export KVCLI=$KV_BIN/kv-cli
    kvd_start
    export MAIN_PORT=$KVD_PORT
    export KVCLI_TMUX="kvcli-test-$BASHPID-$RANDOM"

    # Data the read-only differential cases look at.
    resp_cmd SET str value >/dev/null
    resp_cmd SET binary $'a\x01b\x7f\xff"q"\\\a\b\t\r\nend' >/dev/null
    resp_cmd RPUSH list one "two words" $'three\nlines' "" >/dev/null
    resp_cmd RPUSH long 1 2 3 4 5 6 7 8 9 10 11 12 >/dev/null
    resp_cmd HSET hash field value f2 v2 >/dev/null
    resp_cmd SADD set m1 >/dev/null
    resp_cmd ZADD zset 1.5 a 2 b 3.25 c >/dev/null

    start_canned_server
}

teardown_file() {
    if [ -n "${CANNED_PID:-}" ]; then
        kill "$CANNED_PID" 2>/dev/null || true
        wait "$CANNED_PID" 2>/dev/null || true
    fi
    tmux -L "$KVCLI_TMUX" kill-server 2>/dev/null || true
    kvd_stop
}

teardown() {
    if [ -n "${REPL:-}" ]; then
        tmux -L "$KVCLI_TMUX" kill-session -t "$REPL" 2>/dev/null || true
    fi
    # Instances a test started by name (never the file's shared server).
    for name in ${TEST_INSTANCES:-}; do kvd_stop "$name"; done
}

# --- the canned-reply server ------------------------------------------------

start_canned_server() {
    local script=$BATS_FILE_TMPDIR/canned.py portfile=$BATS_FILE_TMPDIR/canned.port i
    cat >"$script" <<'EOF'
# Answers each RESP command: RAW <bytes> -> <bytes> verbatim; RAWSLOW <bytes>
# -> the same one byte per packet; CLOSE -> closes the connection; anything
# else -> +OK.
import socket, sys, threading, time

def read_request(f):
    line = f.readline()
    if not line:
        return None
    if not line.startswith(b"*"):
        return line.strip().split()
    args = []
    for _ in range(int(line[1:])):
        n = int(f.readline()[1:])
        args.append(f.read(n + 2)[:-2])
    return args

def serve(conn):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = conn.makefile("rb")
    try:
        while True:
            args = read_request(f)
            if args is None:
                break
            cmd = args[0].upper() if args else b""
            if cmd == b"RAW":
                conn.sendall(args[1])
            elif cmd == b"RAWSLOW":
                for i in range(len(args[1])):
                    conn.sendall(args[1][i:i + 1])
                    time.sleep(0.001)
            elif cmd == b"CLOSE":
                break
            else:
                conn.sendall(b"+OK\r\n")
    except OSError:
        pass
    finally:
        conn.close()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1], "w") as out:
    out.write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
    rm -f "$portfile"
    # 3>&- : bats waits for fd 3 to close; the server must not hold it.
    "$KV_PYTHON" "$script" "$portfile" >"$BATS_FILE_TMPDIR/canned.log" 2>&1 3>&- </dev/null &
    export CANNED_PID=$!
    for ((i = 0; i < 50; i++)); do
        if [ -s "$portfile" ]; then
            export CANNED_PORT
            CANNED_PORT=$(cat "$portfile")
            return 0
        fi
        sleep 0.1
    done
    echo "canned server did not start" >&2
    cat "$BATS_FILE_TMPDIR/canned.log" >&2
    return 1
}

# --- differential helpers ----------------------------------------------------

# run_cli OUT CLI ARGS...: runs CLI with stdin from /dev/null; stdout goes to
# OUT.stdout, stderr to OUT.stderr, the exit code to OUT_RC. (Few processes
# per call: this runs hundreds of times.)
run_cli() {
    local out=$1 cli=$2
    shift 2
    OUT_RC=0
    "$cli" "$@" </dev/null >"$out.stdout" 2>"$out.stderr" || OUT_RC=$?
}

# same_as_redis_cli ARGS...: kv-cli and redis-cli give identical stdout,
# stderr and exit code.
same_as_redis_cli() {
    local d=$BATS_TEST_TMPDIR ref_rc
    run_cli "$d/ref" "$REDIS_CLI" "$@"
    ref_rc=$OUT_RC
    run_cli "$d/our" "$KVCLI" "$@"
    if [ "$ref_rc" != "$OUT_RC" ] || ! cmp -s "$d/ref.stdout" "$d/our.stdout" ||
        ! cmp -s "$d/ref.stderr" "$d/our.stderr"; then
        echo "kv-cli differs from redis-cli for: $*"
        echo "exit code: redis-cli $ref_rc, kv-cli $OUT_RC"
        diff -u --label redis-cli --label kv-cli "$d/ref.stdout" "$d/our.stdout" | cat -A | head -30
        diff -u --label redis-cli --label kv-cli "$d/ref.stderr" "$d/our.stderr" | cat -A | head -10
        return 1
    fi
}

need_redis_cli() {
    [ -x "$REDIS_CLI" ] || skip "no reference redis-cli at $REDIS_CLI"
}

# Commands whose replies do not change between the two runs.
ONESHOT_CASES=(
    'PING'
    'ECHO "hello world"'
    'GET str'
    'GET missing'
    'GET binary'
    'STRLEN binary'
    'INCR str'
    'LRANGE list 0 -1'
    'LRANGE missing 0 -1'
    'LRANGE long 0 -1'
    'HGETALL hash'
    'HGET hash field'
    'SMEMBERS set'
    'ZRANGE zset 0 -1 WITHSCORES'
    'ZSCORE zset a'
    'MGET str missing binary'
    'EXISTS str missing list'
    'TYPE hash'
    'SET str value'
    'DEL never-there'
    'NOSUCHCOMMAND a b'
    'GET'
    'SELECT 99'
    'CONFIG GET maxmemory-policy'
    'INFO keyspace'
    'EVAL "return {1,{2,{3,{}}},\"x\",{err=\"bad\"},{ok=\"fine\"}}" 0'
    'EVAL "local t={} for i=1,11 do t[i]={i,\"v\"} end return t" 0'
    'EVAL "return redis.error_reply(\"MYERR custom\")" 0'
    "ECHO $'tab\\there'"
    'SET "" ""'
)

# run_case_table ARGS...: every ONESHOT_CASES entry with ARGS in front.
run_case_table() {
    local failures=0 c
    local -a args
    for c in "${ONESHOT_CASES[@]}"; do
        eval "args=($c)"
        same_as_redis_cli -p "$MAIN_PORT" "$@" "${args[@]}" || failures=$((failures + 1))
    done
    [ "$failures" = 0 ]
}

# RESP payloads for the canned server to answer with.
CANNED_CASES=(
    $'+OK\r\n'
    $'-ERR something bad\r\n'
    $':-42\r\n'
    $'$5\r\nhello\r\n'
    $'$-1\r\n'
    $'*-1\r\n'
    $'*0\r\n'
    $'$0\r\n\r\n'
    $'*3\r\n:1\r\n*2\r\n+a\r\n*1\r\n$1\r\nb\r\n-ERR inner\r\n'
    $'*1\r\n*1\r\n*1\r\n:7\r\n'
    $'%2\r\n+a\r\n:1\r\n+b\r\n*2\r\n:1\r\n:2\r\n'
    $'%1\r\n$1\r\na\r\n*1\r\n$1\r\nx\r\n'
    $'%1\r\n$1\r\na\r\n*1\r\n*2\r\n:1\r\n:2\r\n'
    $'%1\r\n$1\r\na\r\n%1\r\n$1\r\nk\r\n*2\r\n:1\r\n:2\r\n'
    $'%1\r\n*2\r\n:1\r\n:2\r\n+v\r\n'
    $'%11\r\n+k1\r\n:1\r\n+k2\r\n:2\r\n+k3\r\n:3\r\n+k4\r\n:4\r\n+k5\r\n:5\r\n+k6\r\n:6\r\n+k7\r\n:7\r\n+k8\r\n:8\r\n+k9\r\n:9\r\n+k10\r\n:10\r\n+k11\r\n*2\r\n+x\r\n+y\r\n'
    $'~3\r\n+x\r\n$1\r\ny\r\n:3\r\n'
    $'~1\r\n~1\r\n+nested\r\n'
    $'*2\r\n%1\r\n+k\r\n+v\r\n~1\r\n:5\r\n'
    $'%0\r\n'
    $'~0\r\n'
    $',1.5\r\n'
    $',inf\r\n'
    $',-inf\r\n'
    $',-0\r\n'
    $'#t\r\n'
    $'#f\r\n'
    $'_\r\n'
    $'=15\r\ntxt:Some string\r\n'
    $'=19\r\ntxt:line one\nline 2\r\n'
    $'%1\r\n+v\r\n=19\r\ntxt:line one\nline 2\r\n'
    $'>2\r\n+pushed\r\n+data\r\n:7\r\n'
    $'$11\r\n\x01\x02\xfe"\\\r\n\t\a\b!\r\n'
)

run_canned_table() {
    local failures=0 c
    for c in "${CANNED_CASES[@]}"; do
        same_as_redis_cli -p "$CANNED_PORT" "$@" RAW "$c" || failures=$((failures + 1))
    done
    [ "$failures" = 0 ]
}

# --- tmux helpers for interactive mode ---------------------------------------

tmux_cmd() { tmux -L "$KVCLI_TMUX" "$@"; }

# repl_start SHELL-COMMAND: runs it in a fresh 200x50 tmux session.
repl_start() {
    command -v tmux >/dev/null || skip "tmux is not installed"
    REPL="t$BATS_TEST_NUMBER"
    tmux_cmd new-session -d -s "$REPL" -x 200 -y 50 "$1"
}

repl_send() {
    tmux_cmd send-keys -t "$REPL" -l -- "$1"
    tmux_cmd send-keys -t "$REPL" Enter
}

repl_screen() { tmux_cmd capture-pane -t "$REPL" -p -J -S -300; }

# repl_wait TEXT [COUNT]: waits (at most 5 s) until TEXT (a fixed string)
# shows on COUNT (default 1) or more lines of the screen.
repl_wait() {
    local text=$1 count=${2:-1} i n
    for ((i = 0; i < 50; i++)); do
        n=$(repl_screen | grep -cF -- "$text" || true)
        [ "$n" -ge "$count" ] && return 0
        sleep 0.1
    done
    echo "screen does not show '$text' $count time(s):" >&2
    repl_screen >&2
    return 1
}

# repl_cmd LINE PROMPT: types LINE, waits for the next prompt PROMPT.
repl_cmd() {
    local before
    before=$(repl_screen | grep -cF -- "$2" || true)
    repl_send "$1"
    repl_wait "$2" $((before + 1))
}

kvcli_in_tmux() {
    printf 'env HOME=%q KVCLI_HISTFILE=%q %q' "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/history" "$KVCLI"
    printf ' %q' "$@"
}

# ============================================================================
# One-shot output, compared with redis-cli
# ============================================================================

@test "one-shot: every case prints as redis-cli in --no-raw (terminal) format" {
    need_redis_cli
    run_case_table --no-raw
}

@test "one-shot: every case prints as redis-cli in raw format (stdout not a tty)" {
    need_redis_cli
    run_case_table
}

@test "one-shot: every case prints as redis-cli in --csv format" {
    need_redis_cli
    run_case_table --csv
}

@test "one-shot: every case prints as redis-cli over RESP3 (-3)" {
    need_redis_cli
    run_case_table -3 --no-raw
    run_case_table -3
}

@test "one-shot: terminal format of values, checked literally" {
    run "$KVCLI" -p "$MAIN_PORT" --no-raw GET binary
    assert_success
    assert_output '"a\x01b\x7f\xff\"q\"\\\a\b\t\r\nend"'
    run "$KVCLI" -p "$MAIN_PORT" --no-raw LRANGE long 0 -1
    assert_line -n 0 ' 1) "1"'
    assert_line -n 11 '12) "12"'
    run "$KVCLI" -p "$MAIN_PORT" --no-raw GET missing
    assert_output '(nil)'
    run "$KVCLI" -p "$MAIN_PORT" --no-raw INCR str
    assert_success
    assert_output '(error) ERR value is not an integer or out of range'
    run "$KVCLI" -p "$MAIN_PORT" --no-raw EXISTS str
    assert_output '(integer) 1'
    run "$KVCLI" -p "$MAIN_PORT" --no-raw LRANGE missing 0 -1
    assert_output '(empty array)'
}

@test "one-shot: raw format prints bare values and errors on stdout" {
    run "$KVCLI" -p "$MAIN_PORT" LRANGE list 0 -1
    assert_success
    # (the last element is empty; bats drops the trailing newlines)
    assert_output $'one\ntwo words\nthree\nlines'
    run "$KVCLI" -p "$MAIN_PORT" INCR str
    assert_success
    assert_output 'ERR value is not an integer or out of range'
}

@test "RESP shapes from the canned server print as redis-cli, --no-raw" {
    need_redis_cli
    run_canned_table --no-raw
}

@test "RESP shapes from the canned server print as redis-cli, raw and csv" {
    need_redis_cli
    run_canned_table
    run_canned_table --csv
    run_canned_table -d , -D '|'
}

@test "RESP3 map, set, double, bool and verbatim, checked literally" {
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'%2\r\n$1\r\na\r\n:1\r\n+b\r\n*2\r\n:1\r\n:2\r\n'
    assert_output $'1# "a" => (integer) 1\n2# b => \n   1) (integer) 1\n   2) (integer) 2'
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'~2\r\n+x\r\n:3\r\n'
    assert_output $'1~ x\n2~ (integer) 3'
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $',1.5\r\n'
    assert_output '(double) 1.5'
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'#t\r\n'
    assert_output '(true)'
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'=15\r\ntxt:Some string\r\n'
    assert_output 'Some string'
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'%0\r\n'
    assert_output '(empty hash)'
}

@test "RESP3 beyond redis-cli 7.0: big number, blob error, attribute" {
    # redis-cli 7.0 cannot read these (it exits on them); kv-cli shows them
    # as later redis-cli versions do.
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'(12345678901234567890123\r\n'
    assert_success
    assert_output '(big number) 12345678901234567890123'
    run "$KVCLI" -p "$CANNED_PORT" RAW $'(-5\r\n'
    assert_output '-5'
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'!21\r\nSYNTAX invalid syntax\r\n'
    assert_output '(error) SYNTAX invalid syntax'
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAW $'|1\r\n+key-popularity\r\n:5\r\n:3\r\n'
    assert_output '(integer) 3'
}

@test "protocol errors and a closed connection end one-shot mode like redis-cli" {
    need_redis_cli
    same_as_redis_cli -p "$CANNED_PORT" RAW $'x\r\n'
    same_as_redis_cli -p "$CANNED_PORT" RAW $':abc\r\n'
    same_as_redis_cli -p "$CANNED_PORT" CLOSE
    run "$KVCLI" -p "$CANNED_PORT" CLOSE
    assert_failure 1
    assert_output 'Error: Server closed the connection'
}

@test "a reply split across many packets is read whole" {
    local payload chunk i
    printf -v chunk '%*s' 1000 ''
    chunk=${chunk// /x}
    payload=$'*100\r\n'
    for ((i = 0; i < 100; i++)); do payload+=$'$1000\r\n'"$chunk"$'\r\n'; done
    run "$KVCLI" -p "$CANNED_PORT" RAW "$payload"
    assert_success
    [ "${#lines[@]}" = 100 ]
    [ "${lines[99]}" = "$chunk" ]
}

@test "replies arriving one byte at a time read the same as whole ones" {
    local c failures=0
    for c in "${CANNED_CASES[@]}" $'(123\r\n' $'|1\r\n+a\r\n+b\r\n:1\r\n'; do
        "$KVCLI" -p "$CANNED_PORT" --no-raw RAW "$c" >"$BATS_TEST_TMPDIR/whole"
        "$KVCLI" -p "$CANNED_PORT" --no-raw RAWSLOW "$c" >"$BATS_TEST_TMPDIR/slow"
        if ! cmp -s "$BATS_TEST_TMPDIR/whole" "$BATS_TEST_TMPDIR/slow"; then
            echo "differs when fragmented: $(printf '%q' "$c")"
            failures=$((failures + 1))
        fi
    done
    [ "$failures" = 0 ]
    # And it was not trivially empty.
    run "$KVCLI" -p "$CANNED_PORT" --no-raw RAWSLOW $'*2\r\n$3\r\nabc\r\n,2.5\r\n'
    assert_output $'1) "abc"\n2) (double) 2.5'
}

# ============================================================================
# Options
# ============================================================================

@test "-n selects the database" {
    run "$KVCLI" -p "$MAIN_PORT" -n 3 SET only-in-3 yes
    assert_output OK
    run "$KVCLI" -p "$MAIN_PORT" GET only-in-3
    assert_output ''
    run "$KVCLI" -p "$MAIN_PORT" -n 3 GET only-in-3
    assert_output yes
    run "$KVCLI" -p "$MAIN_PORT" -u "redis://127.0.0.1:$MAIN_PORT/3" GET only-in-3
    assert_output yes
}

@test "-n with a database out of range warns like redis-cli and goes on" {
    need_redis_cli
    same_as_redis_cli -p "$MAIN_PORT" -n 99 GET str
}

@test "-a / --user --pass authenticate; the -a warning and --no-auth-warning" {
    kvd_start_as authsrv --requirepass s3cret
    TEST_INSTANCES=authsrv
    run "$KVCLI" -p "$KVD_PORT" PING
    assert_output --partial NOAUTH
    run "$KVCLI" -p "$KVD_PORT" -a s3cret PING
    assert_success
    assert_line -n 0 "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe."
    assert_line -n 1 PONG
    run "$KVCLI" -p "$KVD_PORT" -a s3cret --no-auth-warning PING
    assert_output PONG
    run "$KVCLI" -p "$KVD_PORT" --user default --pass s3cret --no-auth-warning PING
    assert_output PONG
    KVCLI_AUTH=s3cret run "$KVCLI" -p "$KVD_PORT" PING
    assert_output PONG
    run "$KVCLI" -p "$KVD_PORT" -a wrong --no-auth-warning PING
    assert_success
    assert_line -n 0 --partial 'AUTH failed: WRONGPASS'
    assert_line -n 1 --partial NOAUTH
    run "$KVCLI" -p "$KVD_PORT" -n 2 -a s3cret --no-auth-warning SET in2 x
    run "$KVCLI" -p "$KVD_PORT" -a s3cret --no-auth-warning -n 2 GET in2
    assert_output x
}

@test "-a against a password-protected server matches redis-cli" {
    need_redis_cli
    kvd_start_as authsrv2 --requirepass s3cret
    TEST_INSTANCES=authsrv2
    same_as_redis_cli -p "$KVD_PORT" PING
    same_as_redis_cli -p "$KVD_PORT" -a s3cret PING
    same_as_redis_cli -p "$KVD_PORT" -a wrong PING
    same_as_redis_cli -p "$KVD_PORT" -a s3cret -n 1 --no-raw GET nothing
}

@test "-x reads the last argument from stdin, binary-safe" {
    run bash -c "printf 'line1\nline2\x01' | '$KVCLI' -p $MAIN_PORT -x SET from-stdin"
    assert_output OK
    run "$KVCLI" -p "$MAIN_PORT" --no-raw GET from-stdin
    assert_output '"line1\nline2\x01"'
    run bash -c "printf 'abc' | '$KVCLI' -p $MAIN_PORT -x ECHO"
    assert_output abc
}

@test "-r repeats and -i waits between repetitions" {
    "$KVCLI" -p "$MAIN_PORT" DEL counter >/dev/null
    run "$KVCLI" -p "$MAIN_PORT" -r 3 INCR counter
    assert_output $'1\n2\n3'
    run "$KVCLI" -p "$MAIN_PORT" --no-raw -r 2 INCR counter
    assert_output $'(integer) 4\n(integer) 5'
    local start end
    start=$(date +%s%N)
    run "$KVCLI" -p "$MAIN_PORT" -r 3 -i 0.2 PING
    end=$(date +%s%N)
    assert_output $'PONG\nPONG\nPONG'
    [ $(((end - start) / 1000000)) -ge 550 ]
    run "$KVCLI" -p "$MAIN_PORT" -r 0 PING
    assert_output ''
}

@test "-d and -D set the raw delimiters" {
    run "$KVCLI" -p "$MAIN_PORT" -d , LRANGE long 0 2
    assert_output '1,2,3'
    run "$KVCLI" -p "$MAIN_PORT" -D '|' -r 2 PING
    assert_output 'PONG|PONG|'
}

@test "connection refused: redis-cli's message on stderr, exit 1" {
    local port
    port=$(kvd_free_port)
    run --separate-stderr "$KVCLI" -p "$port" PING
    assert_failure 1
    [ "$output" = "" ]
    [ "$stderr" = "Could not connect to Redis at 127.0.0.1:$port: Connection refused" ]
    run --separate-stderr "$KVCLI" -s "$BATS_TEST_TMPDIR/no.sock" PING
    assert_failure 1
    [ "$stderr" = "Could not connect to Redis at $BATS_TEST_TMPDIR/no.sock: No such file or directory" ]
}

@test "connection failures match redis-cli (refused, unknown host, bad socket)" {
    need_redis_cli
    local port
    port=$(kvd_free_port)
    same_as_redis_cli -p "$port" PING
    same_as_redis_cli -h host.invalid -p "$port" PING
    same_as_redis_cli -s "$BATS_TEST_TMPDIR/no.sock" PING
}

@test "-e: an error reply exits 1 with the error on stderr; without -e exit 0" {
    run --separate-stderr "$KVCLI" -p "$MAIN_PORT" -e INCR str
    assert_failure 1
    [ "$output" = "" ]
    [ "$stderr" = "ERR value is not an integer or out of range" ]
    run "$KVCLI" -p "$MAIN_PORT" INCR str
    assert_success
    run "$KVCLI" -p "$MAIN_PORT" -e PING
    assert_success
    assert_output PONG
}

@test "-e and error exit codes match redis-cli" {
    need_redis_cli
    same_as_redis_cli -p "$MAIN_PORT" -e INCR str
    same_as_redis_cli -p "$MAIN_PORT" -e --no-raw INCR str
    same_as_redis_cli -p "$MAIN_PORT" -e GET str
}

@test "--quoted-input unquotes arguments" {
    run "$KVCLI" -p "$MAIN_PORT" --quoted-input SET '"q\x41\nz"' '"v"'
    assert_output OK
    run "$KVCLI" -p "$MAIN_PORT" GET $'qA\nz'
    assert_output v
    run "$KVCLI" -p "$MAIN_PORT" --quoted-input GET '"unbalanced'
    assert_failure 1
    assert_output 'Invalid quoted string'
}

@test "--help, --version, bad options" {
    run "$KVCLI" --version
    assert_success
    assert_output 'kv-cli 0.1.0'
    run "$KVCLI" -v
    assert_output 'kv-cli 0.1.0'
    run --separate-stderr "$KVCLI" --help
    assert_success
    assert_line -n 0 'kv-cli 0.1.0'
    assert_line 'Usage: kv-cli [OPTIONS] [cmd [arg [arg ...]]]'
    run --separate-stderr "$KVCLI" --no-such-option
    assert_failure 1
    [ "$stderr" = "Unrecognized option or bad number of args for: '--no-such-option'" ]
    run --separate-stderr "$KVCLI" -p
    assert_failure 1
    [ "$stderr" = "Unrecognized option or bad number of args for: '-p'" ]
}

@test "help for a command comes from COMMAND DOCS as in redis-cli" {
    run "$KVCLI" -p "$MAIN_PORT" help
    assert_line -n 0 'kv-cli 0.1.0'
    run "$KVCLI" -p "$MAIN_PORT" help get
    assert_output --partial 'GET'
    assert_output --partial 'summary:'
    if [ -x "$REDIS_CLI" ]; then
        same_as_redis_cli -p "$MAIN_PORT" help set
        same_as_redis_cli -p "$MAIN_PORT" help client kill
        same_as_redis_cli -p "$MAIN_PORT" help @hyperloglog
        same_as_redis_cli -p "$MAIN_PORT" help nosuchcommand
    fi
}

@test "SUBSCRIBE streams messages until killed" {
    local out=$BATS_TEST_TMPDIR/sub.out pid i
    "$KVCLI" -p "$MAIN_PORT" --no-raw SUBSCRIBE news >"$out" 2>&1 3>&- &
    pid=$!
    for ((i = 0; i < 50; i++)); do grep -q '(integer) 1' "$out" && break; sleep 0.1; done
    "$KVCLI" -p "$MAIN_PORT" PUBLISH news $'hello\nworld' >/dev/null
    for ((i = 0; i < 50; i++)); do grep -q 'hello' "$out" && break; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    run cat "$out"
    assert_line -n 0 'Reading messages... (press Ctrl-C to quit)'
    assert_line -n 1 '1) "subscribe"'
    assert_line -n 3 '3) (integer) 1'
    assert_line -n 4 '1) "message"'
    assert_line -n 6 '3) "hello\nworld"'
}

# ============================================================================
# Commands from stdin (not a terminal)
# ============================================================================

@test "stdin not a tty: one command per line, same output as redis-cli" {
    need_redis_cli
    local script=$BATS_TEST_TMPDIR/script
    printf '%s\n' 'set piped "a b"' 'get piped' 'incr piped' 'get "unbalanced' \
        "lrange list 0 -1" '' '   ' "echo 'it\\'s'" 'get missing' >"$script"
    "$REDIS_CLI" -p "$MAIN_PORT" <"$script" >"$BATS_TEST_TMPDIR/ref" 2>&1
    "$KVCLI" -p "$MAIN_PORT" <"$script" >"$BATS_TEST_TMPDIR/our" 2>&1
    diff -u "$BATS_TEST_TMPDIR/ref" "$BATS_TEST_TMPDIR/our"
    "$REDIS_CLI" -p "$MAIN_PORT" --no-raw <"$script" >"$BATS_TEST_TMPDIR/ref" 2>&1
    "$KVCLI" -p "$MAIN_PORT" --no-raw <"$script" >"$BATS_TEST_TMPDIR/our" 2>&1
    diff -u "$BATS_TEST_TMPDIR/ref" "$BATS_TEST_TMPDIR/our"
}

@test "stdin not a tty: output checked literally" {
    run bash -c "printf 'set k1 \"x y\"\nget k1\nget \"bad\nquit\nping\n' | '$KVCLI' -p $MAIN_PORT"
    assert_success
    assert_output $'OK\nx y\nInvalid argument(s)'
}

# ============================================================================
# Interactive mode (tmux)
# ============================================================================

@test "interactive: prompt, formatted replies, errors, quoting" {
    repl_start "$(kvcli_in_tmux -p "$MAIN_PORT")"
    local p="127.0.0.1:$MAIN_PORT> "
    repl_wait "$p"
    repl_cmd 'set greeting "hello\tworld"' "$p"
    repl_cmd 'get greeting' "$p"
    repl_cmd 'lrange long 0 -1' "$p"
    repl_cmd 'incr greeting' "$p"
    repl_cmd "echo 'it\\'s'" "$p"
    repl_cmd 'get "unbalanced' "$p"
    repl_cmd 'get "a"b' "$p"
    repl_cmd 'get missing' "$p"
    run repl_screen
    assert_line "${p}get greeting"
    assert_line '"hello\tworld"'
    assert_line ' 9) "9"'
    assert_line '12) "12"'
    assert_line '(error) ERR value is not an integer or out of range'
    assert_line '"it'"'"'s"'
    assert_line 'Invalid argument(s)'
    assert_line '(nil)'
}

@test "interactive: SELECT puts [db] in the prompt, MULTI adds (TX)" {
    repl_start "$(kvcli_in_tmux -p "$MAIN_PORT")"
    repl_wait "127.0.0.1:$MAIN_PORT> "
    repl_cmd 'select 2' "127.0.0.1:$MAIN_PORT[2]> "
    repl_cmd 'multi' "127.0.0.1:$MAIN_PORT[2](TX)> "
    repl_cmd 'ping' "127.0.0.1:$MAIN_PORT[2](TX)> "
    repl_cmd 'exec' "127.0.0.1:$MAIN_PORT[2]> "
    repl_cmd 'select 0' "127.0.0.1:$MAIN_PORT> "
    run repl_screen
    assert_line 'QUEUED'
    assert_line '1) PONG'
}

@test "interactive: -n starts on that database's prompt" {
    "$KVCLI" -p "$MAIN_PORT" -n 5 SET only-in-5 here >/dev/null
    repl_start "$(kvcli_in_tmux -p "$MAIN_PORT" -n 5)"
    repl_wait "127.0.0.1:$MAIN_PORT[5]> "
    repl_cmd 'get only-in-5' "127.0.0.1:$MAIN_PORT[5]> "
    run repl_screen
    assert_line '"here"'
}

@test "interactive: repeat prefix, help, timing, quit" {
    repl_start "$(kvcli_in_tmux -p "$MAIN_PORT")"
    local p="127.0.0.1:$MAIN_PORT> "
    repl_wait "$p"
    repl_cmd '3 ping' "$p"
    repl_cmd '0 ping' "$p"
    repl_cmd 'help' "$p"
    repl_cmd 'debug sleep 0.6' "$p"
    run repl_screen
    [ "$(grep -c '^PONG$' <<<"$output")" = 3 ]
    assert_line 'Invalid kv-cli repeat command option value.'
    assert_line 'kv-cli 0.1.0'
    assert_line --regexp '^\(0\.[6-9][0-9]s\)$'
    repl_send 'quit'
    local i
    for ((i = 0; i < 50; i++)); do
        tmux_cmd has-session -t "$REPL" 2>/dev/null || break
        sleep 0.1
    done
    ! tmux_cmd has-session -t "$REPL" 2>/dev/null
}

@test "interactive: history file written, without AUTH lines" {
    repl_start "$(kvcli_in_tmux -p "$MAIN_PORT")"
    local p="127.0.0.1:$MAIN_PORT> "
    repl_wait "$p"
    repl_cmd 'set hist 1' "$p"
    repl_cmd 'auth secret-password' "$p"
    repl_cmd 'get hist' "$p"
    repl_cmd 'get hist' "$p"
    run cat "$BATS_TEST_TMPDIR/history"
    assert_output $'set hist 1\nget hist'
    [ "$(stat -c %a "$BATS_TEST_TMPDIR/history")" = 600 ]
    # A new session reads it back: Up recalls the last line, Up Up the one before.
    tmux_cmd kill-session -t "$REPL"
    repl_start "$(kvcli_in_tmux -p "$MAIN_PORT")"
    repl_wait "$p"
    tmux_cmd send-keys -t "$REPL" Up Enter
    repl_wait '"1"'
    tmux_cmd send-keys -t "$REPL" Up Up Enter
    repl_wait 'OK'
    run repl_screen
    assert_line "${p}get hist"
    assert_line "${p}set hist 1"
}

@test "interactive: unix socket prompt" {
    local sock=$BATS_TEST_TMPDIR/kv.sock
    kvd_start_as unixsrv --unixsocket "$sock"
    TEST_INSTANCES=unixsrv
    repl_start "$(kvcli_in_tmux -s "$sock" -n 1)"
    repl_wait "redis $sock[1]> "
    repl_cmd 'ping' "redis $sock[1]> "
    run repl_screen
    assert_line 'PONG'
}

@test "interactive: a lost server shows 'not connected>' and reconnects" {
    kvd_start_as lost
    TEST_INSTANCES=lost
    local port=$KVD_PORT p="127.0.0.1:$KVD_PORT"
    repl_start "$(kvcli_in_tmux -p "$port")"
    repl_wait "$p> "
    repl_cmd 'select 4' "$p[4]> "
    repl_cmd 'set where four' "$p[4]> "
    kvd_restart lost
    repl_cmd 'get where' "not connected> "
    assert_equal "$(repl_screen | grep -c 'Error: Server closed the connection')" 1
    # The next command reconnects, back on db 4 (redis-cli 7.0 would land on db 0).
    repl_cmd 'dbsize' "$p[4]> "
    repl_cmd 'client info' "$p[4]> "
    run repl_screen
    assert_output --partial ' db=4 '
    kvd_stop lost
    repl_cmd 'ping' "not connected> "
    repl_cmd 'ping' "not connected> "
    run repl_screen
    assert_line "Could not connect to Redis at 127.0.0.1:$port: Connection refused"
}

@test "interactive: no server at start gives 'not connected>'" {
    local port
    port=$(kvd_free_port)
    repl_start "$(kvcli_in_tmux -p "$port")"
    repl_wait "not connected> "
    run repl_screen
    assert_line "Could not connect to Redis at 127.0.0.1:$port: Connection refused"
}
