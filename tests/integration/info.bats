#!/usr/bin/env bats
# INFO: sections and their selection, Redis 7.0's field names and layout,
# and values that move as the server works (clients, memory, stats,
# keyspace, commandstats, errorstats).

load ../helpers/kvd
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() { kvd_start; }
teardown() { kvd_stop; }

# info_field SECTION NAME: prints the value of one INFO field.
info_field() {
    kvcli INFO "$1" | tr -d '\r' | awk -F: -v f="$2" '$1 == f { sub(/^[^:]*:/, ""); print; exit }'
}

# An INFO reply as text lines (redis-cli prints the CRs of the bulk).
info_text() {
    kvcli INFO "$@" | tr -d '\r'
}

# Section titles of an INFO reply, one per line.
info_titles() {
    kvcli INFO "$@" | tr -d '\r' | grep '^# '
}

@test "INFO without arguments gives the default sections in Redis order" {
    run info_titles
    assert_success
    assert_output "$(printf '# %s\n' Server Clients Memory Persistence Stats Replication CPU \
        Modules Errorstats Cluster Keyspace)"
    run info_titles default
    assert_output "$(printf '# %s\n' Server Clients Memory Persistence Stats Replication CPU \
        Modules Errorstats Cluster Keyspace)"
}

@test "INFO all and everything add commandstats and latencystats" {
    local expected
    expected=$(printf '# %s\n' Server Clients Memory Persistence Stats Replication CPU Modules \
        Commandstats Errorstats Latencystats Cluster Keyspace)
    run info_titles all
    assert_output "$expected"
    run info_titles everything
    assert_output "$expected"
    run info_titles default commandstats
    assert_output "$(printf '# %s\n' Server Clients Memory Persistence Stats Replication CPU \
        Modules Commandstats Errorstats Cluster Keyspace)"
}

@test "INFO takes several sections, in any case, and prints them in fixed order" {
    run info_titles cpu nosuchsection SERVER Server
    assert_output "$(printf '# %s\n' Server CPU)"
    run resp_cmd INFO nosuchsection
    assert_output '$0\r\n\r\n'
}

@test "INFO layout: CRLF lines, one blank line between sections, none at the end" {
    run resp_cmd INFO clients cpu
    assert_output --regexp '^\$[0-9]+\\r\\n# Clients\\r\\nconnected_clients:[0-9]+\\r\\n'
    assert_output --partial 'clients_in_timeout_table:0\r\n\r\n# CPU\r\nused_cpu_sys:'
    assert_output --regexp 'used_cpu_user_main_thread:[0-9]+\.[0-9]{6}\\r\\n\\r\\n$'
    # No line ends in a bare LF.
    run bash -c "printf 'INFO everything\r\n' | $KV_PYTHON $KV_RESP_PY send --port $KVD_PORT --raw \
        | tail -c +8 | grep -c \$'[^\r]\$'"
    assert_output 0
}

@test "INFO is a verbatim string in RESP3" {
    run resp_send -n 2 'HELLO 3\r\nINFO cluster\r\n'
    assert_line -n 1 '=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n'
}

@test "INFO server fields describe this process" {
    [ "$(info_field server redis_version)" = 7.0.15 ]
    [ "$(info_field server kvd_version)" = 0.1.0 ]
    [ "$(info_field server redis_mode)" = standalone ]
    [ "$(info_field server process_id)" = "$KVD_PID" ]
    [ "$(info_field server tcp_port)" = "$KVD_PORT" ]
    [ "$(info_field server multiplexing_api)" = epoll ]
    [ "$(info_field server arch_bits)" = 64 ]
    [[ "$(info_field server run_id)" =~ ^[0-9a-f]{40}$ ]]
    [[ "$(info_field server uptime_in_seconds)" =~ ^[0-9]+$ ]]
    [ "$(info_field server hz)" = 10 ]
    [ "$(info_field server configured_hz)" = 10 ]
    [ "$(info_field server executable)" = "$(cd "$KV_BIN" && pwd)/kvd" ]
    local now usec
    now=$(date +%s)
    usec=$(info_field server server_time_usec)
    [ $((usec / 1000000 - now)) -ge -5 ] && [ $((usec / 1000000 - now)) -le 5 ]
}

@test "INFO prints every field Redis 7.0 prints, in the same order" {
    [ -x /usr/bin/redis-server ] || skip "no redis-server"
    local ours theirs
    ours=$(kvcli INFO everything | tr -d '\r' | sed 's/:.*//' |
        grep -v -E '^(kvd_version|cmdstat_.*|errorstat_.*|latency_percentiles_usec_.*|db[0-9]+)$')
    KVD_SERVER=/usr/bin/redis-server kvd_start_as redis
    theirs=$(kvcli INFO everything | tr -d '\r' | sed 's/:.*//' |
        grep -v -E '^(cmdstat_.*|errorstat_.*|latency_percentiles_usec_.*|db[0-9]+)$')
    run diff <(echo "$theirs") <(echo "$ours")
    assert_success
}

@test "connected_clients counts open connections" {
    [ "$(info_field clients connected_clients)" = 1 ]
    exec {fd}<>"/dev/tcp/127.0.0.1/$KVD_PORT"
    wait_until 5 bash -c "[ \"\$(redis-cli -p $KVD_PORT INFO clients | tr -d '\r' | \
        grep '^connected_clients:')\" = connected_clients:2 ]"
    exec {fd}<&-
    wait_until 5 bash -c "[ \"\$(redis-cli -p $KVD_PORT INFO clients | tr -d '\r' | \
        grep '^connected_clients:')\" = connected_clients:1 ]"
    [ "$(info_field clients maxclients)" = 10000 ]
}

@test "memory fields: used, human form, peak, maxmemory, allocator" {
    local used peak
    used=$(info_field memory used_memory)
    [ "$used" -gt 0 ]
    [[ "$(info_field memory used_memory_human)" =~ ^[0-9]+(\.[0-9]{2}[KMGTP]|B)$ ]]
    head -c 300000 /dev/zero | tr '\0' x | kvcli -x SET big >/dev/null
    peak=$(info_field memory used_memory_peak)
    [ "$peak" -ge 300000 ]
    kvcli DEL big >/dev/null
    [ "$(info_field memory used_memory_peak)" -ge "$peak" ]
    [ "$(info_field memory used_memory)" -lt "$peak" ]
    [[ "$(info_field memory used_memory_peak_perc)" =~ ^[0-9]+\.[0-9]{2}%$ ]]
    [[ "$(info_field memory mem_allocator)" =~ ^(jemalloc-|libc) ]]
    [ "$(info_field memory maxmemory)" = 0 ]
    [ "$(info_field memory maxmemory_human)" = 0B ]
    kvcli CONFIG SET maxmemory 100mb >/dev/null
    [ "$(info_field memory maxmemory)" = 104857600 ]
    [ "$(info_field memory maxmemory_human)" = 100.00M ]
    [ "$(info_field memory maxmemory_policy)" = noeviction ]
}

@test "persistence: rdb_changes_since_last_save counts writes" {
    [ "$(info_field persistence loading)" = 0 ]
    local before
    before=$(info_field persistence rdb_changes_since_last_save)
    kvcli SET a 1 >/dev/null
    kvcli SET b 2 >/dev/null
    [ "$(info_field persistence rdb_changes_since_last_save)" = $((before + 2)) ]
    [ "$(info_field persistence rdb_last_save_time)" = "$(kvcli LASTSAVE)" ]
}

@test "stats: commands, keyspace hits and misses, expired keys, errors" {
    local cmds
    cmds=$(info_field stats total_commands_processed)
    kvcli SET k v >/dev/null
    kvcli GET k >/dev/null
    kvcli GET k >/dev/null
    kvcli GET nokey >/dev/null
    # The INFO call itself counts once it is done.
    [ "$(info_field stats total_commands_processed)" = $((cmds + 5)) ]
    [ "$(info_field stats keyspace_hits)" = 2 ]
    [ "$(info_field stats keyspace_misses)" = 1 ]
    kvcli SET gone v PX 1 >/dev/null
    sleep 0.05
    kvcli GET gone >/dev/null
    [ "$(info_field stats expired_keys)" = 1 ]
    local errs
    errs=$(info_field stats total_error_replies)
    kvcli INCR k >/dev/null
    [ "$(info_field stats total_error_replies)" = $((errs + 1)) ]
    [ "$(info_field stats total_connections_received)" -ge 10 ]
}

@test "stats: instantaneous_ops_per_sec rises under load" {
    redis-cli -p "$KVD_PORT" -r 200000 PING >/dev/null 2>&1 &
    local load=$!
    run wait_until 8 bash -c "[ \"\$(redis-cli -p $KVD_PORT INFO stats | tr -d '\r' | \
        sed -n 's/^instantaneous_ops_per_sec://p')\" -gt 0 ]"
    kill "$load" 2>/dev/null || true
    wait "$load" 2>/dev/null || true
    assert_success
    [[ "$(info_field stats instantaneous_input_kbps)" =~ ^[0-9]+\.[0-9]{2}$ ]]
}

@test "replication shows a master with no replicas" {
    [ "$(info_field replication role)" = master ]
    [ "$(info_field replication connected_slaves)" = 0 ]
    [[ "$(info_field replication master_replid)" =~ ^[0-9a-f]{40}$ ]]
    [ "$(info_field replication master_repl_offset)" = 0 ]
}

@test "cpu: used_cpu_* are seconds with microseconds" {
    [[ "$(info_field cpu used_cpu_sys)" =~ ^[0-9]+\.[0-9]{6}$ ]]
    [[ "$(info_field cpu used_cpu_user)" =~ ^[0-9]+\.[0-9]{6}$ ]]
    [[ "$(info_field cpu used_cpu_user_children)" =~ ^[0-9]+\.[0-9]{6}$ ]]
}

@test "keyspace lists non-empty databases with keys and expires" {
    run info_text keyspace
    assert_output '# Keyspace'
    kvcli MSET a 1 b 2 c 3 >/dev/null
    kvcli EXPIRE a 100 >/dev/null
    kvcli -n 3 SET x y >/dev/null
    run info_text keyspace
    assert_line -n 1 --regexp '^db0:keys=3,expires=1,avg_ttl=[0-9]+'
    assert_line -n 2 'db3:keys=1,expires=0,avg_ttl=0'
}

@test "commandstats counts calls, failed and rejected calls" {
    kvcli SET a x >/dev/null
    kvcli SET b y >/dev/null
    kvcli INCR a >/dev/null      # fails: not an integer
    kvcli GET >/dev/null         # rejected: arity
    kvcli CLIENT HELP >/dev/null
    run info_text commandstats
    assert_line --regexp '^cmdstat_set:calls=2,usec=[0-9]+,usec_per_call=[0-9]+\.[0-9]{2},rejected_calls=0,failed_calls=0'
    assert_line --regexp '^cmdstat_incr:calls=1,.*rejected_calls=0,failed_calls=1'
    assert_line --regexp '^cmdstat_get:calls=0,.*rejected_calls=1,failed_calls=0'
    assert_line --regexp '^cmdstat_client\|help:calls=1,'
}

@test "errorstats counts errors by prefix" {
    run info_text errorstats
    assert_output '# Errorstats'
    kvcli SET a x >/dev/null
    kvcli INCR a >/dev/null
    kvcli NOSUCHCOMMAND >/dev/null
    run info_text errorstats
    assert_line 'errorstat_ERR:count=2'
}

@test "latencystats prints percentiles per command" {
    kvcli SET a 1 >/dev/null
    kvcli SET a 2 >/dev/null
    run info_text latencystats
    assert_line --regexp '^latency_percentiles_usec_set:p50=[0-9]+\.[0-9]{3},p99=[0-9]+\.[0-9]{3},p99\.9=[0-9]+\.[0-9]{3}$'
}
