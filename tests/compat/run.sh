#!/bin/sh
# Runs the differential compat suite: every tests/compat/scripts/*.txt plus a
# seeded random string/keyspace stream, against Redis 7.0 and kvd.  Prints
# one line per script and closes with "compat: N passed, N failed".
#
#   tests/compat/run.sh [SCRIPT...]      default: all scripts + random stream
#
# Environment:
#   KV_BIN        our binaries (default <repo>/bin); kvd is $KV_BIN/kvd
#   KVD_SERVER    server to test instead of $KV_BIN/kvd (e.g. /usr/bin/redis-server
#                 to check the scripts themselves: then zero diffs are expected)
#   COMPAT_SEED   seed of the random stream (default 1)
#   COMPAT_COUNT  commands in the random stream (default 5000; 0 = none)
#   COMPAT_TYPES  types of the random stream (default string,keyspace)
#   COMPAT_ARGS   extra arguments for compat.py (e.g. "--verbose")
set -u
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
seed=${COMPAT_SEED:-1}
count=${COMPAT_COUNT:-5000}
types=${COMPAT_TYPES:-string,keyspace}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kv-compat.XXXXXX") || exit 2
child=
trap 'rm -rf "$tmp"' EXIT
# Interrupted: stop the runner (it stops its servers), then leave.
trap '[ -z "$child" ] || { kill -TERM "$child" 2>/dev/null; wait "$child"; }; exit 143' INT TERM

if [ $# -gt 0 ]; then
    set -- "$@"
else
    set -- "$here"/scripts/*.txt
    if [ "$count" -gt 0 ]; then
        "$PY" "$here/gen_random.py" --seed "$seed" --count "$count" --types "$types" \
            > "$tmp/random.txt" || exit 2
        echo "compat: random stream: seed $seed, $count commands, types $types"
        set -- "$@" "$tmp/random.txt"
        # Seeded random streams per collection type.
        for t in hash set list zset; do
            "$PY" "$here/gen_$t.py" --seed "$seed" --count "${COMPAT_TYPE_COUNT:-2000}" \
                > "$tmp/random_$t.txt" || exit 2
            set -- "$@" "$tmp/random_$t.txt"
        done
    fi
fi
# In the background so that a signal reaches the trap at once.
# shellcheck disable=SC2086
"$PY" "$here/compat.py" ${COMPAT_ARGS:-} "$@" &
child=$!
wait "$child"
rc=$?
child=
exit $rc
