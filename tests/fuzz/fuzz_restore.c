/* fuzz_restore.c — libFuzzer target for RESTORE payloads.
 *
 * Each input is the body of a DUMP payload (type byte and serialized
 * value). The harness appends the trailer (RDB version 10 and the right
 * CRC-64), so the value decoder rather than the checksum sees the bytes, and
 * runs the real RESTORE command on a fake client: trailer check, the value
 * loader with its deep validation (listpacks, intsets, ziplists, zipmaps,
 * duplicates), then the key's creation. A value that was accepted must DUMP
 * again to a payload that RESTOREs to a value with the same DEBUG
 * DIGEST-VALUE (the round trip catches values built in an inconsistent
 * state; digests, not bytes, because a hash table's element order may
 * change). Any crash, leak, sanitizer report or broken round trip aborts.
 *
 * Build and run: `make fuzz`.
 */
#include "client.h"
#include "commands.h"
#include "config.h"
#include "crc64.h"
#include "db.h"
#include "debug.h"
#include "dstr.h"
#include "log.h"
#include "object.h"
#include "rdb.h"
#include "server.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Client *client;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    configInitDefaults();
    logSetLevel(LL_NOTHING);
    serverUpdateTime();
    dbInitAll(16);
    client = clientCreateFake();
    return 0;
}

/* Runs RESTORE key 0 payload REPLACE; true when it replied +OK. */
static bool restore(const char *key, const char *payload, size_t len) {
    Arg argv[5] = {
        {(char *)"RESTORE", 7}, {(char *)key, strlen(key)}, {(char *)"0", 1},
        {(char *)payload, len}, {(char *)"REPLACE", 7},
    };
    client->argv = argv;
    client->argc = 5;
    dstrClear(client->reply);
    restoreCommand(client);
    client->argv = NULL;
    client->argc = 0;
    return dstrLen(client->reply) == 5 && memcmp(client->reply, "+OK\r\n", 5) == 0;
}

static dstr dumpKey(const char *key) {
    Object *o = dbLookupRead(client->db, key, strlen(key));
    return o ? rdbDumpObject(o) : NULL;
}

static void digestKey(const char *key, unsigned char *digest) {
    debugObjectDigest(dbLookupRead(client->db, key, strlen(key)), digest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0 || size > (1 << 20)) return 0;
    dstr p = dstrNewLen((const char *)data, size);
    unsigned char ver[2] = {RDB_VERSION, 0};
    p = dstrCatLen(p, (const char *)ver, 2);
    uint64_t crc = crc64(0, (const unsigned char *)p, dstrLen(p));
    unsigned char c[8];
    for (int i = 0; i < 8; i++) c[i] = (unsigned char)(crc >> (8 * i));
    p = dstrCatLen(p, (const char *)c, 8);
    if (restore("k", p, dstrLen(p))) {
        dstr d1 = dumpKey("k");
        if (!d1) abort();                             /* accepted but cannot be dumped */
        if (!restore("k2", d1, dstrLen(d1))) abort(); /* our own payload refused */
        unsigned char a[DEBUG_DIGEST_LEN], b[DEBUG_DIGEST_LEN];
        digestKey("k", a);
        digestKey("k2", b);
        if (memcmp(a, b, sizeof(a)) != 0) abort(); /* the value changed on the way */
        dstrFree(d1);
    }
    dstrFree(p);
    dbEmptyAll();
    return 0;
}
