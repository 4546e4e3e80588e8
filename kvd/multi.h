/* multi.h — transactions: MULTI / EXEC / DISCARD and optimistic locking with
 * WATCH / UNWATCH, as Redis 7.0 behaves.
 *
 * Queueing. Between MULTI and EXEC a client's commands pass every check of
 * dispatchCommand (lookup, arity, auth, OOM, …) and are then queued instead
 * of run: dispatch calls multiQueueIfNeeded, which copies the arguments (the
 * client's argv points into its query buffer) and replies +QUEUED. A command
 * refused by a check calls multiFlagTransaction, so that EXEC answers
 * "EXECABORT Transaction discarded because of previous errors." — the
 * transaction is then also no longer stored (Redis does the same to save
 * memory). EXEC, DISCARD, MULTI, WATCH, QUIT and RESET are never queued.
 *
 * EXEC runs every queued command through callCommand on the same client,
 * one after the other, with blocking denied (a blocking command answers as
 * on timeout). Runtime errors do not stop or roll back the others. The whole
 * EXEC is one propagation unit (propagate.h): the writes it ran go to the
 * AOF/replicas as they are, wrapped in MULTI/EXEC when there are several.
 *
 * Watching. Each db has a table of watched keys → the clients watching them;
 * each client keeps the list of its watches. dbSignalModified (db.c) calls
 * multiTouchKey; dbEmpty/dbSwap call multiTouchDb before they change the
 * keyspace. A touched watch marks its client CLIENT_DIRTY_CAS, and EXEC then
 * replies a null array. Redis 7.0 details kept on purpose:
 *   - a key that exists but is logically expired when WATCH runs is noted as
 *     such; its later deletion (lazy or active expiry) is not a change;
 *   - a watched key that expires after WATCH makes EXEC fail even if nothing
 *     deleted it yet;
 *   - FLUSHDB/FLUSHALL/DEBUG RELOAD touch only watched keys that existed;
 *     SWAPDB touches those that exist in either database;
 *   - watching is per database: the same name in another db is another key.
 * EXEC, DISCARD, UNWATCH, RESET and disconnection drop a client's watches.
 */
#ifndef KV_MULTI_H
#define KV_MULTI_H

#include "client.h"
#include "command.h"
#include "db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Called by dispatch after the pre-call checks passed. When c is inside
 * MULTI and cmd is a command that is queued, copies the call into the
 * transaction, replies +QUEUED and returns true; otherwise returns false
 * and the command runs now. */
bool multiQueueIfNeeded(Client *c);
/* A command refused before running: inside MULTI, dooms the transaction. */
void multiFlagTransaction(Client *c);
/* True for the EXEC command (dispatch refuses it in its own words). */
bool multiIsExec(const Command *cmd);
/* Refuses EXEC itself for `reason` (an error text, "ERR " prefix dropped as
 * Redis does): "EXECABORT Transaction discarded because of: <reason>",
 * discarding the transaction. */
void multiExecAbort(Client *c, const char *reason, size_t len);
/* The flags dispatch must check for this call: the command's own, plus,
 * for EXEC, those of every queued command (write, denyoom, may-replicate),
 * so that EXEC is refused or paused as a write when it holds writes. */
uint64_t multiEffectiveFlags(const Client *c, const Command *cmd);
/* True while c is between MULTI and EXEC/DISCARD. */
static inline bool multiActive(const Client *c) {
    return (c->flags & CLIENT_MULTI) != 0;
}
/* CLIENT LIST fields: queued commands (-1 outside MULTI) and the bytes of
 * their arguments (Redis's multi-mem: argument bytes + a pointer each). */
long multiQueuedCount(const Client *c);
size_t multiQueuedMemory(const Client *c);
/* Bytes of c's WATCH entries (the watched keys themselves are shared). O(1). */
size_t multiWatchedMemory(const Client *c);

/* Drops the transaction and every watch of c (RESET, disconnection). */
void multiClientReset(Client *c);

/* Keyspace hooks (db.c). */
void multiTouchKey(Db *db, const char *key, size_t klen);
/* Before `emptied` loses its keys (flush) or gets `replacedWith`'s (SWAPDB,
 * called once per direction); replacedWith is NULL for a flush. */
void multiTouchDb(Db *emptied, Db *replacedWith);
/* Number of keys watched by any client (all dbs). */
unsigned long multiWatchedKeyCount(void);

#endif
