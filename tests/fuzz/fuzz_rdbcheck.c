/* fuzz_rdbcheck.c — libFuzzer target for the offline RDB checker
 * (common/rdbcheck.c: kv-check-rdb, and kv-check-aof's RDB preambles).
 *
 * Each input is a whole RDB file, written to an anonymous memory file and
 * checked by rdbCheckFile() with the statistics on (every report path of
 * kv-check-rdb --stats), the report going to /dev/null. Seeds: the RDB
 * corpus (tests/fuzz/corpus/rdbcheck is a link to corpus/rdb). Any crash,
 * leak or sanitizer report is a checker bug.
 *
 * Build and run: `make fuzz` (see the Makefile; FUZZ_SECONDS bounds a run).
 */
#include "rdbcheck.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    sink = fopen("/dev/null", "w");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!sink) return 0;
    int fd = memfd_create("fuzz-rdbcheck", 0);
    if (fd == -1) return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    RdbCheckOptions opt = {.stats = true, .out = sink};
    uint64_t end = 0;
    rdbCheckFile(path, &opt, &end);
    close(fd);
    return 0;
}
