#!/usr/bin/env bash
# Runs every libFuzzer target in BIN_DIR for SECONDS each (make fuzz):
#
#   tests/fuzz/run.sh BIN_DIR [SECONDS]
#
# Each target fuzz_<name> starts from the seed corpus tests/fuzz/corpus/<name>/
# (read only: new inputs go to BIN_DIR/corpus/<name>/, kept between runs) and
# writes crash reproducers to BIN_DIR/artifacts/. Exit status is non-zero
# when a target found a crash, a leak or a sanitizer report; the last line
# is "fuzz: N passed, N failed" (one case per target).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh BIN_DIR [SECONDS]}
secs=${2:-30}
pass=0 fail=0
mkdir -p "$bin/artifacts"
bin=$(cd "$bin" && pwd) # absolute: a target may change directory for a while
for target in "$bin"/fuzz_*; do
    [ -x "$target" ] || continue
    name=$(basename "$target")
    name=${name#fuzz_}
    work="$bin/corpus/$name"
    mkdir -p "$work"
    echo "fuzz: $name for ${secs}s"
    if "$target" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$bin/artifacts/$name-" \
        "$work" "$here/corpus/$name" >"$bin/$name.log" 2>&1; then
        pass=$((pass + 1))
        grep -E '^stat::number_of_executed_units|^Done' "$bin/$name.log" | tail -n 2
    else
        fail=$((fail + 1))
        echo "fuzz: $name FAILED; log: $bin/$name.log"
        grep -E 'ERROR:|SUMMARY:|Test unit written' "$bin/$name.log" | head -n 5
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
