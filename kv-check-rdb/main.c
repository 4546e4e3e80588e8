/* kv-check-rdb — verifies an RDB file offline, with the output of Redis 7.0's
 * redis-check-rdb:
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
 * what was being read (stage, key, type) and the same [info] totals; exit
 * status 0 when the file is sound, 1 otherwise. With --stats it adds keys
 * and serialized bytes per type and the largest keys.
 *
 * This file is only the command line: the checking and the report are
 * common/rdbcheck.c, which kv-check-aof uses for RDB preambles too.
 */
#include "rdbcheck.h"
#include "rdbfile.h"

#include <stdio.h>
#include <string.h>

#define KV_CHECK_RDB_VERSION "0.1.0"

static void usage(FILE *out) {
    fprintf(out,
            "Usage: kv-check-rdb [--stats] <rdb-file-name>\n"
            "       kv-check-rdb --help | --version\n"
            "Checks an RDB file (version 1 to %d, as written by Redis 7.0 and kvd).\n"
            "  --stats   also print keys and bytes per type and the largest keys\n"
            "Exit status: 0 when the file is sound, 1 otherwise.\n",
            RDB_VERSION);
}

int main(int argc, char **argv) {
    const char *file = NULL;
    bool stats = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-v") == 0) {
            printf("kv-check-rdb %s (RDB version %d)\n", KV_CHECK_RDB_VERSION, RDB_VERSION);
            return 0;
        } else if (strcmp(argv[i], "--stats") == 0) {
            stats = true;
        } else if (!file && (argv[i][0] != '-' || argv[i][1] == '\0')) {
            file = argv[i];
        } else {
            usage(stderr);
            return 1;
        }
    }
    if (!file) {
        usage(stderr);
        return 1;
    }
    RdbCheckOptions opt = {.stats = stats, .out = stdout};
    return rdbCheckFile(file, &opt, NULL) ? 0 : 1;
}
