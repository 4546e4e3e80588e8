/* blocking.h — clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, … and
 * later XREAD BLOCK): registration, serving when a key becomes ready,
 * timeouts, CLIENT UNBLOCK, cleanup on disconnect.
 *
 * Core hooks (already wired): dbAdd signals new list/zset/stream keys with
 * blockingSignalKeyReady; dispatch calls blockingServeReadyKeys after every
 * command; the cron calls blockingCron for timeouts; freeing a client calls
 * blockingOnClientFree. A blocked client has CLIENT_BLOCKED set and its
 * further input is left unprocessed until it is unblocked, after which the
 * blocking module calls clientProcessInput() to resume it.
 *
 * How a data type uses it: a blocking command that finds nothing to serve
 * calls blockingBlockClient() with the keys, a deadline and a BlockSpec that
 * names the type of value that can serve it and a serve callback. When one
 * of the keys is created as that type (dbAdd → blockingSignalKeyReady), the
 * waiters on that key are offered it in the order they blocked, after the
 * command that created it has finished; each serve callback writes its
 * client's reply and says whether the client is done. Serving repeats until
 * no key is ready any more (a BLMOVE that creates another key serves that
 * key's waiters too). A timed out client gets the null array (RESP2 "*-1",
 * RESP3 "_"), as Redis 7.0 replies for lists, sorted sets and streams.
 */
#ifndef KV_BLOCKING_H
#define KV_BLOCKING_H

#include "client.h"
#include "db.h"

#include <stdbool.h>
#include <stdint.h>

/* What a blocked client waits for. Specs are static data of the type's
 * module. */
typedef struct BlockSpec {
    int keyType; /* OBJ_LIST, OBJ_ZSET, OBJ_STREAM: only such keys serve */
    /* Offers key o (of keyType, in db, o's key being one the client waits
     * on) to the client. Writes the client's whole reply and returns true
     * when the client is done (served, or answered with an error); false
     * keeps it waiting. May change or delete the key and write other keys.
     * priv is what blockingBlockClient got. */
    bool (*serve)(Client *c, Db *db, Object *o, void *priv);
    /* Frees priv when the client stops waiting (any way); may be NULL. */
    void (*freePriv)(void *priv);
} BlockSpec;

/* Blocks c on keys[0..nkeys-1] of c->db (copied; duplicates are waited on
 * once) until served, the deadline passes (absolute ms from serverNowMs();
 * 0 = never), CLIENT UNBLOCK, or disconnection. Takes ownership of priv.
 * The caller writes no reply. */
void blockingBlockClient(Client *c, const Arg *keys, int nkeys, long long deadline,
                         const BlockSpec *spec, void *priv);

/* Parses a timeout in seconds (a float; 0 = forever) as Redis 7.0 does,
 * replying "ERR timeout is not a float or out of range" or "ERR timeout is
 * negative" on bad input. On success *deadline is the absolute ms time, or
 * 0 for no timeout. */
bool blockingParseTimeoutOrReply(Client *c, const Arg *arg, long long *deadline);

/* False while blocking is refused: inside MULTI/EXEC and scripts, which
 * wrap their execution in blockingDenyBegin/End. A blocking command that
 * cannot be served then answers as if it timed out at once (Redis 7.0). */
bool blockingAllowed(const Client *c);
void blockingDenyBegin(void);
void blockingDenyEnd(void);

/* CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: unblocks the client if it is blocked
 * on keys, replying as on a timeout, or with withError the error
 * "UNBLOCKED client unblocked via CLIENT UNBLOCK". Returns true if it was
 * blocked (CLIENT UNBLOCK replies :1), false otherwise (:0). */
bool blockingUnblockClient(uint64_t id, bool withError);

/* True when c is waiting on keys (not merely about to resume). */
bool blockingIsBlocked(const Client *c);

void blockingSignalKeyReady(Db *db, const char *key, size_t klen);
/* Signals every key of db that clients wait on and that now exists (after
 * SWAPDB, as Redis 7.0 does). */
void blockingSignalDbReady(Db *db);
/* Serves clients blocked on keys signalled ready since the last call. */
void blockingServeReadyKeys(void);
void blockingOnClientFree(Client *c);
/* Times out blocked clients whose deadline passed. */
void blockingCron(void);
/* Number of blocked clients (INFO blocked_clients). */
unsigned long blockingClientCount(void);
/* Number of distinct keys clients are blocked on. */
unsigned long blockingKeyCount(void);

#endif
