#!/usr/bin/env bats
# requirepass (NOAUTH, AUTH, HELLO AUTH), protected mode (from a host in a
# network namespace of our own), rename-command.

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

teardown() {
    kvd_stop
    if [ -n "${NS:-}" ]; then
        ip netns del "$NS" 2>/dev/null || true
        ip link del "${VETH:-none}" 2>/dev/null || true
    fi
}

@test "requirepass: NOAUTH before AUTH, then commands work" {
    kvd_start --requirepass s3cret
    run resp_cmd GET k
    assert_output '-NOAUTH Authentication required.\r\n'
    run resp_cmd AUTH wrong
    assert_output '-WRONGPASS invalid username-password pair or user is disabled.\r\n'
    run kvcli --no-auth-warning -a s3cret SET k v
    assert_output OK
    run kvcli --no-auth-warning -a s3cret GET k
    assert_output v
    run resp_send -n 2 '*2\r\n$4\r\nAUTH\r\n$6\r\ns3cret\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'
    assert_line -n 0 '+OK\r\n'
    assert_line -n 1 '$1\r\nv\r\n'
    run resp_send -n 1 '*4\r\n$5\r\nHELLO\r\n$1\r\n2\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n'
    assert_output "-ERR Syntax error in HELLO option 'AUTH'\\r\\n"
    run resp_cmd HELLO 3
    assert_output --partial 'NOAUTH HELLO must be called with the client already authenticated'
    run resp_cmd HELLO 3 AUTH default s3cret
    assert_output --partial '%7\r\n$6\r\nserver\r\n'
}

@test "AUTH without a configured password is an error" {
    kvd_start
    run resp_cmd AUTH foo
    assert_output '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n'
}

@test "unauthenticated clients get tighter protocol limits" {
    kvd_start --requirepass pw
    run resp_send -c '*11\r\n'
    assert_output --partial 'unauthenticated multibulk length'
    assert_output --partial '<closed>'
}

@test "rename-command renames and disables commands" {
    conf="$BATS_TEST_TMPDIR/r.conf"
    printf 'rename-command CONFIG myconfig\nrename-command FLUSHALL ""\n' > "$conf"
    kvd_start "$conf"
    run resp_cmd CONFIG GET port
    assert_output --partial "-ERR unknown command 'CONFIG'"
    run resp_cmd myconfig GET hz
    assert_output '*2\r\n$2\r\nhz\r\n$2\r\n10\r\n'
    run resp_cmd FLUSHALL
    assert_output --partial "-ERR unknown command 'FLUSHALL'"
}

setup_namespace() {
    command -v ip >/dev/null || skip "no iproute2"
    [ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
    NS="kvtest$$"
    VETH="kvh$$"
    ip netns add "$NS" || skip "cannot create a network namespace"
    ip link add "$VETH" type veth peer name kvp$$ || skip "no veth support"
    ip link set kvp$$ netns "$NS"
    ip addr add 10.250.$(( $$ % 250 )).1/24 dev "$VETH"
    ip link set "$VETH" up
    ip netns exec "$NS" ip addr add 10.250.$(( $$ % 250 )).2/24 dev kvp$$
    ip netns exec "$NS" ip link set kvp$$ up
    ip netns exec "$NS" ip link set lo up
    HOSTIP=10.250.$(( $$ % 250 )).1
}

@test "protected mode refuses non-loopback clients without a password" {
    setup_namespace
    kvd_start --bind "127.0.0.1 $HOSTIP" --protected-mode yes
    run ip netns exec "$NS" timeout 5 redis-cli -h "$HOSTIP" -p "$KVD_PORT" PING
    assert_output --partial "DENIED Redis is running in protected mode"
    # loopback still works
    run kvcli PING
    assert_output PONG
    # with protected mode off the same remote client is served
    run kvcli CONFIG SET protected-mode no
    assert_output OK
    run ip netns exec "$NS" timeout 5 redis-cli -h "$HOSTIP" -p "$KVD_PORT" PING
    assert_output PONG
}

@test "protected mode lets remote clients in once a password is set" {
    setup_namespace
    kvd_start --bind "127.0.0.1 $HOSTIP" --requirepass pw
    run ip netns exec "$NS" timeout 5 redis-cli --no-auth-warning -a pw -h "$HOSTIP" -p "$KVD_PORT" PING
    assert_output PONG
}
