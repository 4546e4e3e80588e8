#!/bin/sh
# Runs every unit-test binary (bin/test_*) and prints one closing line with
# the totals. Exit status is non-zero if any binary failed or crashed.
BIN=${1:-bin}
total_pass=0; total_fail=0; status=0
for t in "$BIN"/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1); rc=$?
    line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
    p=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/'); f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    [ -n "$p" ] || { p=0; f=1; }
    if [ $rc != 0 ]; then
        status=1; printf '%s\n' "$out" | grep -v ' passed, ' | head -50
        [ "$f" = 0 ] && f=1
    fi
    echo "unit $(basename "$t"): $p passed, $f failed"
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done
echo "unit: $total_pass passed, $total_fail failed"
exit $status
