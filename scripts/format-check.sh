#!/bin/sh
# Fails if any tracked C file differs from what clang-format would produce.
cd "$(dirname "$0")/.." || exit 1
bad=0
for f in $(git ls-files '*.c' '*.h'); do
    [ -f "$f" ] || continue
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "format: $f is not clang-formatted (run 'make format')"
        bad=1
    fi
done
[ $bad = 0 ] && echo "format check: ok"
exit $bad
