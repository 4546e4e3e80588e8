/* test_rdbsync.c — rdb-del-sync-files (kvd/rdb.c): the hook the replication
 * code will call after a full sync removes the RDB file only when it was made
 * for the replica alone, the directive is yes and persistence is off (no save
 * points, appendonly no), as Redis 7.0 decides; in every other case the file
 * stays. */
#include "config.h"
#include "dstr.h"
#include "rdb.h"
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[64];

static void makeFile(void) {
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs("REDIS0010", fp);
        fclose(fp);
    }
}

static bool fileThere(void) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void setSavePoints(const char *points) {
    if (config.saveParams) dstrFree(config.saveParams);
    config.saveParams = dstrNew(points);
}

static void testKeptUnlessAllowed(void) {
    makeFile();
    config.rdbDelSyncFiles = false;
    setSavePoints("");
    config.appendonly = false;
    TEST_CHECK(!rdbRemoveSyncFileIfUnwanted(path, true)); /* directive no (default) */
    TEST_CHECK(fileThere());
    config.rdbDelSyncFiles = true;
    TEST_CHECK(!rdbRemoveSyncFileIfUnwanted(path, false)); /* also the persistence file */
    TEST_CHECK(fileThere());
    setSavePoints("3600 1");
    TEST_CHECK(!rdbRemoveSyncFileIfUnwanted(path, true)); /* save points: RDB persistence */
    TEST_CHECK(fileThere());
    setSavePoints("");
    config.appendonly = true;
    TEST_CHECK(!rdbRemoveSyncFileIfUnwanted(path, true)); /* AOF on */
    TEST_CHECK(fileThere());
}

static void testRemovedWhenPersistenceOff(void) {
    makeFile();
    config.rdbDelSyncFiles = true;
    setSavePoints("");
    config.appendonly = false;
    TEST_CHECK(rdbRemoveSyncFileIfUnwanted(path, true));
    TEST_CHECK(!fileThere());
    TEST_CHECK(!rdbRemoveSyncFileIfUnwanted(path, true)); /* nothing left to remove */
}

int main(void) {
    configInitDefaults();
    TEST_CHECK(config.rdbDelSyncFiles == false); /* Redis 7.0's default */
    snprintf(path, sizeof(path), "/tmp/test_rdbsync-%d.rdb", (int)getpid());
    TEST_RUN(testKeptUnlessAllowed);
    TEST_RUN(testRemovedWhenPersistenceOff);
    unlink(path);
    return TEST_REPORT();
}
