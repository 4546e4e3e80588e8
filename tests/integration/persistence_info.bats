#!/usr/bin/env bats
# persistence_info.bats — INFO persistence's current_* fields while a fork
# child runs (BGSAVE, BGREWRITEAOF with an RDB preamble or a plain base):
# the child reports its progress and copy-on-write size through the child
# pipe, the parent shows them as Redis 7.0 does (keys processed of the keys
# at fork time, the percentage with two decimals, the CoW size, its peak and
# its age), and every one of them is back to 0 once the child is gone.

load '../helpers/kvd'
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

teardown() { kvd_stop; }

CURRENT_FIELDS="current_cow_peak current_cow_size current_cow_size_age current_fork_perc current_save_keys_processed current_save_keys_total"

# The fields of INFO persistence as NAME=VALUE lines.
persistence() { kvcli INFO persistence | tr -d '\r' | grep ':' | sed 's/:/=/'; }
field() { persistence | sed -n "s/^$1=//p"; }

# True once a report is in: some keys processed, not all of them.
progress_seen() {
    local p t
    p=$(field current_save_keys_processed)
    t=$(field current_save_keys_total)
    [ "$p" -gt 0 ] && [ "$p" -lt "$t" ]
}

# Checks one snapshot of the current_* fields taken while the child runs
# (the figures are read from one INFO reply, so they agree with each other).
check_running_fields() {
    local total=$1 snap p t perc peak cow age want
    snap=$(persistence)
    p=$(sed -n 's/^current_save_keys_processed=//p' <<<"$snap")
    t=$(sed -n 's/^current_save_keys_total=//p' <<<"$snap")
    perc=$(sed -n 's/^current_fork_perc=//p' <<<"$snap")
    peak=$(sed -n 's/^current_cow_peak=//p' <<<"$snap")
    cow=$(sed -n 's/^current_cow_size=//p' <<<"$snap")
    age=$(sed -n 's/^current_cow_size_age=//p' <<<"$snap")
    echo "processed=$p total=$t perc=$perc peak=$peak cow=$cow age=$age"
    [ "$t" = "$total" ]
    [ "$p" -gt 0 ] && [ "$p" -lt "$t" ]
    # processed / total * 100 with two decimals, strictly between 0 and 100
    want=$(awk -v p="$p" -v t="$t" 'BEGIN { printf "%.2f", p * 100 / t }')
    [ "$perc" = "$want" ]
    awk -v x="$perc" 'BEGIN { exit !(x > 0 && x < 100) }'
    [ "$peak" -ge "$cow" ]
    # a reading at most a few seconds old (reports come every second)
    [ "$age" -ge 0 ] && [ "$age" -le 5 ]
}

check_idle_fields() {
    local snap
    snap=$(persistence)
    echo "$snap" | grep '^current_'
    for f in current_cow_peak current_cow_size current_cow_size_age \
        current_save_keys_processed current_save_keys_total; do
        [ "$(sed -n "s/^$f=//p" <<<"$snap")" = 0 ]
    done
    [ "$(sed -n 's/^current_fork_perc=//p' <<<"$snap")" = 0.00 ]
}

bgsave_done() { [ "$(field rdb_bgsave_in_progress)" = 0 ]; }
rewrite_done() {
    [ "$(field aof_rewrite_in_progress)" = 0 ] && [ "$(field aof_rewrite_scheduled)" = 0 ]
}

# 2000 keys in db 0 and 1000 in db 1: the total counts every database.
populate_two_dbs() {
    kvcli DEBUG POPULATE 2000 >/dev/null
    kvcli -n 1 DEBUG POPULATE 1000 >/dev/null
}

@test "INFO persistence lists the current_* fields where Redis 7.0 does" {
    kvd_start
    local names
    names=$(persistence | cut -d= -f1 | sed -n '1,9p' | tr '\n' ' ')
    [ "$names" = "loading async_loading $CURRENT_FIELDS rdb_changes_since_last_save " ]
    check_idle_fields
}

@test "BGSAVE: the child's progress and CoW show in INFO while it runs, 0 after" {
    kvd_start
    populate_two_dbs
    # about 1 ms per key: the child runs for some 3 s
    kvcli CONFIG SET rdb-key-save-delay 1000 >/dev/null
    [ "$(kvcli BGSAVE)" = "Background saving started" ]
    run wait_until 10 progress_seen
    assert_success
    check_running_fields 3000
    # progress advances while the child runs
    local first
    first=$(field current_save_keys_processed)
    run wait_until 10 eval '[ "$(field current_save_keys_processed)" -gt "$first" ] || bgsave_done'
    assert_success
    run wait_until 20 bgsave_done
    assert_success
    [ "$(field rdb_last_bgsave_status)" = ok ]
    check_idle_fields
    kvd_log_wait 'Fork CoW for RDB: current [0-9]+ MB, peak [0-9]+ MB, average [0-9]+ MB'
}

@test "BGREWRITEAOF (RDB preamble and plain base): progress in INFO while it runs, 0 after" {
    kvd_start --appendonly yes
    populate_two_dbs
    for preamble in yes no; do
        kvcli CONFIG SET aof-use-rdb-preamble "$preamble" >/dev/null
        kvcli CONFIG SET rdb-key-save-delay 1000 >/dev/null
        run wait_until 20 rewrite_done
        assert_success
        [ "$(kvcli BGREWRITEAOF)" = "Background append only file rewriting started" ]
        run wait_until 10 progress_seen
        assert_success
        check_running_fields 3000
        run wait_until 20 rewrite_done
        assert_success
        [ "$(field aof_last_bgrewrite_status)" = ok ]
        check_idle_fields
    done
    # the data made it through both kinds of base
    kvcli CONFIG SET rdb-key-save-delay 0 >/dev/null
    kvd_restart
    [ "$(kvcli DBSIZE)" = 2000 ]
    [ "$(kvcli -n 1 DBSIZE)" = 1000 ]
}

@test "a killed child leaves no current_* figures behind" {
    kvd_start
    kvcli DEBUG POPULATE 3000 >/dev/null
    kvcli CONFIG SET rdb-key-save-delay 5000 >/dev/null
    [ "$(kvcli BGSAVE)" = "Background saving started" ]
    run wait_until 10 progress_seen
    assert_success
    # FLUSHALL kills a BGSAVE child, as Redis 7.0
    kvcli FLUSHALL >/dev/null
    run wait_until 5 bgsave_done
    assert_success
    check_idle_fields
}
