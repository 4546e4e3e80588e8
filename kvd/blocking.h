/* blocking.h — clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, … and
 * later XREAD BLOCK): registration, serving when a key becomes ready,
 * timeouts, CLIENT UNBLOCK, cleanup on disconnect.
 *
 * Core hooks (already wired): dbAdd signals new list/zset/stream keys with
 * blockingSignalKeyReady; dispatch calls blockingServeReadyKeys after every
 * command; the cron calls blockingCron for timeouts; freeing a client calls
 * blockingOnClientFree. A blocked client has CLIENT_BLOCKED set and its
 * further input is left unprocessed until it is unblocked, after which the
 * blocking module calls clientProcessInput() to resume it. */
#ifndef KV_BLOCKING_H
#define KV_BLOCKING_H

#include "client.h"
#include "db.h"

#include <stdbool.h>

void blockingSignalKeyReady(Db *db, const char *key, size_t klen);
/* Serves clients blocked on keys signalled ready since the last call. */
void blockingServeReadyKeys(void);
void blockingOnClientFree(Client *c);
/* Times out blocked clients whose deadline passed. */
void blockingCron(void);
/* Number of blocked clients (INFO blocked_clients). */
unsigned long blockingClientCount(void);

#endif
