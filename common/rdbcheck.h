/* rdbcheck.h — offline RDB checking with the report of Redis 7.0's
 * redis-check-rdb, shared by kv-check-rdb (its whole job) and kv-check-aof
 * (the RDB preamble of an AOF base file):
 *
 *   [offset 0] Checking RDB file dump.rdb
 *   [offset 27] AUX FIELD redis-ver = '7.0.15'
 *   [offset 82] Selecting DB ID 0
 *   [offset 200] Checksum OK
 *   [offset 200] \o/ RDB looks OK! \o/
 *   [info] 6 keys read
 *   [info] 1 expires
 *   [info] 0 already expired
 *
 * and on a problem "--- RDB ERROR DETECTED ---", the offset and reason,
 * what was being read (stage, key, type) and the same [info] totals. With
 * the stats option it adds keys and serialized bytes per type and the
 * largest keys ("[stats] ..." lines).
 *
 * The structure and every value are checked with the code kvd loads with
 * (common/rdbfile.c and the encodings' validators), so a file this accepts
 * is one kvd loads.
 */
#ifndef KV_RDBCHECK_H
#define KV_RDBCHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct RdbCheckOptions {
    bool stats; /* add the per-type statistics and the largest keys */
    FILE *out;  /* where the report goes; NULL = stdout */
} RdbCheckOptions;

/* Checks the RDB file at path ("-" = standard input) from its first byte,
 * printing the report. opt may be NULL (no stats, stdout). Returns true
 * when the file is sound; then *end (when not NULL) is the offset just past
 * the RDB's EOF marker and checksum, i.e. where an AOF tail would begin.
 * Errors (unreadable file, bad content) are reported in the output, never
 * fatal. */
bool rdbCheckFile(const char *path, const RdbCheckOptions *opt, uint64_t *end);

#endif
