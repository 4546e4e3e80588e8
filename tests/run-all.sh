#!/usr/bin/env bash
# Runs every test layer and prints one closing line with the totals:
#
#   tests/run-all.sh [--no-unit] [--no-integration] [--no-compat] [--no-fuzz] [--jobs N]
#
#   unit         tests/unit/run.sh $KV_BIN            (C unit tests)
#   integration  bats over tests/integration/*.bats   (files in parallel with
#                --jobs N, default 2, when GNU parallel is installed)
#   compat       tests/compat/run.sh                  (differential vs Redis 7.0)
#   fuzz         make fuzz FUZZ_SECONDS=10            (libFuzzer targets, clang;
#                built in build-fuzz/ and bin-fuzz/, apart from the normal
#                build; the whole layer is killed after $FUZZ_TIMEOUT seconds,
#                default 600, and then counts as failed)
#
# Each layer prints "<layer>: N passed, N failed"; the last line is
# "all: N passed, N failed" where N counts test cases over all layers (unit
# checks, bats tests, compat scripts; skipped bats tests are not counted).
# A layer that fails without a count is one failure.  A bats test fails after
# $BATS_TEST_TIMEOUT seconds (default 120).  Exit status is non-zero if
# anything failed.
#
# Environment: KV_BIN (default <repo>/bin), KVD_SERVER / KV_CLI (see
# tests/helpers/kvd.bash), COMPAT_* (see tests/compat/run.sh).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
export KV_BIN=${KV_BIN:-$repo/bin}

run_unit=1 run_integration=1 run_compat=1 run_fuzz=1 jobs=2
while [ $# -gt 0 ]; do
    case $1 in
        --no-unit) run_unit=0 ;;
        --no-integration) run_integration=0 ;;
        --no-compat) run_compat=0 ;;
        --no-fuzz) run_fuzz=0 ;;
        --jobs|-j) shift; jobs=${1:-2} ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "run-all.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

log=$(mktemp -d "${TMPDIR:-/tmp}/kv-run-all.XXXXXX") || exit 2
trap 'rm -rf "$log"' EXIT

total_pass=0 total_fail=0 status=0
summary=()

# record LAYER PASS FAIL RC: adds a layer's counts to the totals.
record() {
    local layer=$1 pass=$2 fail=$3 rc=$4
    if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
        fail=1   # the layer failed without saying which case: count it once
    fi
    [ "$fail" = 0 ] || status=1
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    summary+=("$layer: $pass passed, $fail failed")
}

# closing_counts FILE PREFIX: "PASS FAIL" from the last "PREFIX: N passed, N failed".
closing_counts() {
    local line
    line=$(grep -E "^$2: [0-9]+ passed, [0-9]+ failed" "$1" | tail -n 1)
    if [ -z "$line" ]; then
        echo "0 0"
        return
    fi
    echo "$line" | sed -E 's/^[^:]*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/'
}

if [ $run_unit = 1 ]; then
    echo "=== unit"
    if [ -x "$here/unit/run.sh" ] || [ -f "$here/unit/run.sh" ]; then
        sh "$here/unit/run.sh" "$KV_BIN" 2>&1 | tee "$log/unit.out"
        rc=${PIPESTATUS[0]}
        read -r p f < <(closing_counts "$log/unit.out" unit)
        record unit "$p" "$f" "$rc"
    else
        echo "no tests/unit/run.sh"
        record unit 0 0 0
    fi
fi

if [ $run_integration = 1 ]; then
    echo "=== integration"
    shopt -s nullglob
    suites=("$here"/integration/*.bats)
    shopt -u nullglob
    if [ ${#suites[@]} = 0 ]; then
        echo "no integration suites"
        record integration 0 0 0
    else
        bats_args=(--tap)
        if [ "$jobs" -gt 1 ] && command -v parallel >/dev/null 2>&1; then
            # Files run side by side; the tests of one file stay in order, since
            # a suite may share one server across its tests (setup_file).
            bats_args+=(--jobs "$jobs" --no-parallelize-within-files)
        fi
        # A hung test fails after BATS_TEST_TIMEOUT seconds instead of hanging the run.
        BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-120} \
            bats "${bats_args[@]}" "${suites[@]}" </dev/null 2>&1 | tee "$log/integration.out"
        rc=${PIPESTATUS[0]}
        p=$(grep -E '^ok ' "$log/integration.out" | grep -cvE '^ok [0-9]+ .*# skip')
        s=$(grep -cE '^ok [0-9]+ .*# skip' "$log/integration.out")
        f=$(grep -cE '^not ok ' "$log/integration.out")
        echo "integration: $p passed, $f failed, $s skipped"
        record integration "$p" "$f" "$rc"
    fi
fi

if [ $run_compat = 1 ]; then
    echo "=== compat"
    "$here/compat/run.sh" 2>&1 | tee "$log/compat.out"
    rc=${PIPESTATUS[0]}
    read -r p f < <(closing_counts "$log/compat.out" compat)
    record compat "$p" "$f" "$rc"
fi

if [ $run_fuzz = 1 ]; then
    echo "=== fuzz"
    # Bounded: each target runs FUZZ_SECONDS (libFuzzer's -max_total_time),
    # and the build plus all targets are killed after FUZZ_TIMEOUT seconds.
    # 10 s each keeps the eight targets under about a minute and a half of
    # fuzzing; longer runs are `make fuzz` (30 s each) or FUZZ_SECONDS=N.
    # The clang objects go to build-fuzz/ and bin-fuzz/ only (Makefile), so
    # the normal build directories are not touched.
    if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
        echo "fuzz: ${FUZZ_CC:-clang} not found (scripts/deps.sh installs it; --no-fuzz skips)"
        echo "fuzz: 0 passed, 1 failed" | tee "$log/fuzz.out"
        rc=1
    else
        timeout -k 10 "${FUZZ_TIMEOUT:-600}" make -C "$repo" --no-print-directory -j2 fuzz \
            FUZZ_SECONDS="${FUZZ_SECONDS:-10}" </dev/null 2>&1 | tee "$log/fuzz.out"
        rc=${PIPESTATUS[0]}
        [ "$rc" = 124 ] && echo "fuzz: timed out after ${FUZZ_TIMEOUT:-600} s"
    fi
    read -r p f < <(closing_counts "$log/fuzz.out" fuzz)
    record fuzz "$p" "$f" "$rc"
fi

echo "==="
for line in "${summary[@]}"; do
    echo "$line"
done
echo "all: $total_pass passed, $total_fail failed"
exit $status
