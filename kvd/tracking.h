/* tracking.h — server-assisted client-side caching (CLIENT TRACKING), as
 * Redis 7.0 does it.
 *
 * Default mode: the keys a tracking client reads (the key arguments of the
 * read-only commands it runs, directly or inside EXEC; for a read-only
 * command a script runs, the keys its EVAL/FCALL declares) are remembered
 * in one table, key name → ids of the clients that read it. The
 * table ignores the database number, as Redis's does. When a key is
 * modified (dbSignalModified: writes, expiry, eviction, MOVE, RENAME…) every
 * client in its entry gets one invalidation message and the entry goes; a
 * client reading the key again puts it back.
 *
 * BCAST mode: no table; every modified key that starts with one of the
 * client's prefixes ("" matches all) is collected per prefix and announced
 * before the event loop sleeps, one message per prefix with its keys sorted.
 *
 * Delivery: a RESP3 client gets a push `>2 invalidate [keys]`; with
 * REDIRECT the message goes to the other client instead (a push if it
 * speaks RESP3, else a `__redis__:invalidate` pub/sub message when it has
 * any subscription). A flush (FLUSHALL/FLUSHDB/DEBUG RELOAD) sends a null in
 * place of the key array to every tracking client. Messages for the client
 * whose command is running are held until its reply is complete.
 */
#ifndef KV_TRACKING_H
#define KV_TRACKING_H

#include "client.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Options of CLIENT TRACKING ON, as client flags (client.h). */
#define TRACKING_OPTIONS                                                                           \
    (CLIENT_TRACKING_BCAST | CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT |                      \
     CLIENT_TRACKING_NOLOOP)

/* Checks new BCAST prefixes against each other and against c's current
 * ones. Returns 0 after replying an error when they overlap. Matches a
 * Redis 7.0 quirk on purpose: an overlap found between two new prefixes of
 * which the first is not the first given still replies the error but
 * returns non-zero, so the caller goes on to enable tracking and reply +OK
 * too (two replies to one command). */
int trackingCheckPrefixesOrReply(Client *c, const Arg *prefixes, size_t count);
/* Turns tracking on (or changes its options while on): `options` is a
 * subset of TRACKING_OPTIONS, `redirect` a client id or 0. The prefixes
 * (BCAST only; none means every key) are added to those c already has. */
void trackingEnable(Client *c, uint64_t redirect, uint64_t options, const Arg *prefixes,
                    size_t count);
/* Turns tracking off (CLIENT TRACKING OFF, RESET, disconnection): every
 * tracking flag cleared, prefixes dropped. Keys c read stay in the table
 * until modified (they are then skipped). No-op when not tracking. */
void trackingDisable(Client *c);

/* callCommand, after a read-only command ran on `executing`: remembers its
 * keys for `tracker` (the top-level client: the caller of a script or
 * EXEC), per tracker's OPTIN/OPTOUT state. */
void trackingAfterCall(Client *tracker, Client *executing);
/* dispatch, once c's top-level command has finished (its reply complete):
 * sends the invalidations held for c. */
void trackingSendPending(Client *c);
/* dispatch, after every request of c (run or refused): the CLIENT CACHING
 * choice lasts one command (or one transaction; CLIENT subcommands keep it,
 * as in Redis 7.0). */
void trackingCommandDone(Client *c);

/* A key was modified (db.c: dbSignalModified). */
void trackingKeyModified(const char *key, size_t klen);
/* Before a database or all of them are emptied: a null invalidation to
 * every tracking client, and the table is dropped (in the background when
 * `lazy`). */
void trackingFlush(bool lazy);
/* Before the event loop sleeps: the BCAST messages of this loop turn. */
void trackingBeforeSleep(void);
/* Invalidates random keys until the table is within tracking-table-max-keys
 * or this call's effort is spent; the effort grows with each call that
 * could not get there and resets once one does. As Redis 7.0, called
 * before every command while some client tracks (`self`: that command's
 * client, which NOLOOP then spares; the messages go before its reply) and
 * from cron (trackingCron). */
void trackingLimitTable(Client *self);
void trackingCron(void);

/* CLIENT GETREDIR / CLIENT LIST redir=: -1 when not tracking. */
long long trackingRedirectOf(const Client *c);
/* CLIENT TRACKINGINFO prefixes, in byte order. */
size_t trackingPrefixCount(const Client *c);
const char *trackingPrefixAt(const Client *c, size_t i, size_t *len);

/* INFO: clients with tracking on; keys in the table; (key, client) items;
 * BCAST prefixes in use. */
unsigned long trackingClientCount(void);
unsigned long long trackingTotalKeys(void);
unsigned long long trackingTotalItems(void);
unsigned long long trackingTotalPrefixes(void);

#endif
