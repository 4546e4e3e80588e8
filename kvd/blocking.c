/* blocking.c — clients blocked on keys (see blocking.h).
 *
 * This file holds the core side of blocking; the blocking commands arrive
 * with the list and sorted set types, which register clients here. */
#include "blocking.h"

static unsigned long blockedClients = 0;

void blockingSignalKeyReady(Db *db, const char *key, size_t klen) {
    (void)db;
    (void)key;
    (void)klen;
    /* No client can be blocked yet: nothing to remember. */
}

void blockingServeReadyKeys(void) {}

void blockingOnClientFree(Client *c) {
    (void)c;
}

void blockingCron(void) {}

unsigned long blockingClientCount(void) {
    return blockedClients;
}
