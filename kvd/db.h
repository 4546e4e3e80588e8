/* db.h — the keyspace: N databases, each a dict of Objects (keys with their
 * values, see object.h) plus a dict of the keys that have an expire time.
 *
 * Lookups apply lazy expiry: a key whose time has passed is deleted when it
 * is touched and reported as missing. The active expiry cycle (expire.c)
 * samples the expires dicts from cron.
 *
 * Ownership: the database owns its Objects. Pointers returned by lookups are
 * borrowed and valid until the next call that may modify this key.
 */
#ifndef KV_DB_H
#define KV_DB_H

#include "dict.h"
#include "object.h"

#include <stdbool.h>

struct Client;

typedef struct ExpireEntry {
    DictLink link;
    Object *obj;
} ExpireEntry;

typedef struct Db {
    int id;
    Dict *keys;                  /* of Object */
    Dict *expires;               /* of ExpireEntry */
    unsigned long expiresCursor; /* active expiry's scan position */
    long long avgTtl;
} Db;

void dbInitAll(int count);
int dbCount(void);
Db *dbGet(int id);

/* Reads for a command: applies lazy expiry, updates the LRU clock and the
 * keyspace hit/miss counters. NULL when missing. */
Object *dbLookupRead(Db *db, const char *key, size_t klen);
/* Lookup before a write: lazy expiry, LRU update, no hit/miss counting. */
Object *dbLookupWrite(Db *db, const char *key, size_t klen);
/* Lookup with no side effect except lazy expiry. */
Object *dbLookupNoTouch(Db *db, const char *key, size_t klen);
/* Raw lookup, expired keys included. */
Object *dbFindRaw(Db *db, const char *key, size_t klen);
/* True when the key exists (after lazy expiry). */
bool dbExists(Db *db, const char *key, size_t klen);

/* Adds an object whose key is absent. Takes ownership. */
void dbAdd(Db *db, Object *o);
/* Adds o (taking ownership) unless its key is present: then returns the
 * object in the way and leaves o to the caller. hash is dbKeyHash(o's key):
 * one hash and one chain walk for the check and the insert. For loaders
 * (RDB): no "new" keyspace event, no wake-up of blocked clients. */
Object *dbAddIfAbsent(Db *db, Object *o, uint64_t hash);
uint64_t dbKeyHash(const Db *db, const char *key, size_t klen);
/* Starts fetching the bucket of a key about to be added or looked up (a
 * hint; see dictPrefetchBucket / dictPrefetchChain). */
DICT_PREFETCH_FN dbPrefetchKey(const Db *db, uint64_t hash) {
    dictPrefetchBucket(db->keys, hash);
}
DICT_PREFETCH_FN dbPrefetchKeyChain(const Db *db, uint64_t hash) {
    dictPrefetchChain(db->keys, hash);
}
/* SET semantics: adds or replaces the key's object; the old value (and,
 * unless the new object carries one, its expire time) is dropped, lazily
 * under lazyfree-lazy-server-del. Takes ownership of o. */
void dbSetKey(Db *db, Object *o);
/* Swaps `old` (which must be in db) for `repl` with the same key, keeping
 * expire bookkeeping right; frees old (as dbDelete would: lazily under
 * lazyfree-lazy-server-del) unless shellOnly. */
void dbReplaceObject(Db *db, Object *old, Object *repl, bool shellOnly);
/* Deletes a key; true if it existed. The value is freed by the lazy free
 * thread when `lazy` and it is big (lazyfree.h), else at once. */
bool dbDeleteLazy(Db *db, const char *key, size_t klen, bool lazy);
/* An implicit delete (overwrite, RENAME/COPY/RESTORE over a key, a key
 * emptied by its command): lazy as lazyfree-lazy-server-del says. */
bool dbDelete(Db *db, const char *key, size_t klen);
/* Unlinks an object without freeing it (RENAME, MOVE). */
Object *dbUnlink(Db *db, const char *key, size_t klen);

/* Sets the absolute expire time (ms); returns the possibly moved object. */
Object *dbSetExpire(Db *db, Object *o, long long when);
/* Removes the expire time; returns the possibly moved object. */
Object *dbRemoveExpire(Db *db, Object *o);
/* True if o is expired now (without deleting it). "Now" is the start of
 * the outermost execution unit while one runs (see dbExpiryClockFreeze). */
bool dbIsExpired(const Object *o);
/* Freezes the clock of expiry decisions at `ms` until Thaw. callCommand
 * freezes it when the outermost call starts and thaws it when that call
 * ends, so a key does not expire in the middle of an EXEC or a script (a
 * script that loops past a key's TTL still sees it), as Redis 7.0.
 * Commands a busy script serves to other clients use the script's start
 * too, as in Redis. */
void dbExpiryClockFreeze(long long ms);
void dbExpiryClockThaw(void);
/* Deletes o if expired, counting it; returns true if it was deleted. */
bool dbExpireIfNeeded(Db *db, Object *o);

/* Removes every key of one db / all dbs; returns the number removed. With
 * `lazy` the old tables are freed by the lazy free thread (FLUSH… ASYNC);
 * dbEmpty/dbEmptyAll free synchronously. */
long long dbEmptyLazy(Db *db, bool lazy);
long long dbEmptyAllLazy(bool lazy);
long long dbEmpty(Db *db);
long long dbEmptyAll(void);
/* Swaps the contents of two databases (SWAPDB). */
void dbSwap(int a, int b);
/* A random key that is not expired, or NULL. */
Object *dbRandomKey(Db *db);
/* Bumps the dirty counter and signals a modified key to WATCH (multi.h)
 * and client-side caching (tracking.h). */
void dbSignalModified(Db *db, const char *key, size_t klen);
/* True under an LFU maxmemory policy (o->lru then holds LFU data). */
bool dbPolicyIsLfu(void);
/* The LFU counter of o after time decay (OBJECT FREQ). */
unsigned long dbLfuDecayedCounter(const Object *o);
/* Incremental rehash and shrink of every db's dicts, from cron. */
void dbCron(void);

#endif
