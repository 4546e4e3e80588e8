/* fuzz_rdb.c — libFuzzer target for kvd's RDB loader.
 *
 * Each input is a whole RDB file. It is written to an anonymous memory file
 * and read back through rdbLoadFromFile(), the function kvd's start-up load
 * (rdbLoad) and DEBUG RELOAD use, with kvd's default configuration and 16
 * databases, so the parser (common/rdbfile.c), the value loaders and the
 * deep validators of kvd/rdb.c all see the bytes. After each input every
 * loaded key is serialized again (as SAVE would) and the databases are
 * emptied. Any crash, leak or sanitizer report is a loader bug.
 *
 * Build and run: `make fuzz` (see the Makefile; FUZZ_SECONDS bounds a run).
 */
#include "config.h"
#include "db.h"
#include "dict.h"
#include "log.h"
#include "object.h"
#include "rdb.h"
#include "server.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    configInitDefaults();
    logSetLevel(LL_NOTHING);
    serverUpdateTime();
    dbInitAll(16);
    return 0;
}

/* Serializes every loaded key again, as a SAVE right after the load would. */
static void saveEverything(void) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, true, true);
    rdbSaveToWriter(&w, false);
    rdbWriterFreeBuffer(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("fuzz-rdb", 0);
    if (fd == -1) return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    lseek(fd, 0, SEEK_SET);
    FILE *fp = fdopen(fd, "r");
    if (!fp) {
        close(fd);
        return 0;
    }
    RdbLoadInfo info;
    if (rdbLoadFromFile(fp, 0, &info)) saveEverything();
    fclose(fp);
    dbEmptyAll();
    return 0;
}
