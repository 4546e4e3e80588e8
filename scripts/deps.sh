#!/bin/sh
# Install every Debian package the build, the tests and the benchmarks need.
# Idempotent: installs only what is missing, so `make run` / `make test` can
# call it every time. Runs as root on Debian (bookworm).
#
# redis-server and redis-tools are the compatibility oracle and benchmark
# baseline, never a runtime dependency of kvd. Debian starts a redis-server on
# 6379 when the package is installed; we stop and disable it so that port is
# free for `make run`.
set -e

PKGS="build-essential pkg-config clang clang-format libevent-dev libssl-dev libhiredis-dev \
liblua5.1-0-dev lua-cjson lua-bitop liblzf-dev libjemalloc-dev libedit-dev \
bats bats-support bats-assert redis-server redis-tools python3-redis tmux procps parallel"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "deps.sh: missing packages:$missing (run as root to install)" >&2
        exit 1
    fi
    echo "deps.sh: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    # Keep the packaged redis-server from being started by the installer.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get update -qq || apt-get update
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
fi

# Whatever happened before, leave no Debian-started redis-server on 6379.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl stop redis-server >/dev/null 2>&1 || true
    systemctl disable redis-server >/dev/null 2>&1 || true
fi
if [ -x /etc/init.d/redis-server ]; then
    /etc/init.d/redis-server stop >/dev/null 2>&1 || true
fi
if command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d redis-server disable >/dev/null 2>&1 || true
fi
pids=$(pgrep -x redis-server 2>/dev/null || true)
for pid in $pids; do
    if [ "$(readlink /proc/$pid/exe 2>/dev/null)" = /usr/bin/redis-server ] &&
       grep -q 6379 /proc/$pid/cmdline 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
    fi
done
exit 0
