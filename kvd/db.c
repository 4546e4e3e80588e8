/* db.c — the keyspace (see db.h): databases of Objects, expire bookkeeping,
 * lazy expiry and the low-level add/replace/delete every command uses. */
#include "db.h"

#include "aof.h"
#include "blocking.h"
#include "config.h"
#include "hash.h"
#include "lazyfree.h"
#include "mem.h"
#include "multi.h"
#include "notify.h"
#include "propagate.h"
#include "server.h"
#include "tracking.h"

#include <stdlib.h>
#include <string.h>

static Db *dbs = NULL;
static int dbNum = 0;

static const void *dbObjectKey(const DictLink *e, size_t *len) {
    const Object *o = (const Object *)e;
    *len = objKeyLen(o);
    return objKey(o);
}

static void dbObjectFree(DictLink *e) {
    objFree((Object *)e);
}

static const void *dbExpireKey(const DictLink *e, size_t *len) {
    const Object *o = ((const ExpireEntry *)e)->obj;
    *len = objKeyLen(o);
    return objKey(o);
}

static void dbExpireFree(DictLink *e) {
    kvFree(e);
}

static const DictType dbKeysType = {hashBytes, dbObjectKey, NULL, dbObjectFree};
/* The keys dict owns the Objects; the expires dict only its entries. */
static const DictType dbExpiresType = {hashBytes, dbExpireKey, NULL, dbExpireFree};

void dbInitAll(int count) {
    dbs = kvCalloc((size_t)count * sizeof(Db));
    dbNum = count;
    for (int i = 0; i < count; i++) {
        dbs[i].id = i;
        dbs[i].keys = dictCreate(&dbKeysType);
        dbs[i].expires = dictCreate(&dbExpiresType);
    }
}

int dbCount(void) {
    return dbNum;
}

Db *dbGet(int id) {
    if (id < 0 || id >= dbNum) return NULL;
    return &dbs[id];
}

static bool expiryClockFrozen;
static long long expiryClockMs;

void dbExpiryClockFreeze(long long ms) {
    expiryClockMs = ms;
    expiryClockFrozen = true;
}

void dbExpiryClockThaw(void) {
    expiryClockFrozen = false;
}

bool dbIsExpired(const Object *o) {
    if (!o->hasExpire) return false;
    /* Nothing expires while the AOF is replayed: the file's own DELs (or
     * the cron afterwards) remove what is due, as in Redis. */
    if (aofLoading()) return false;
    long long now = expiryClockFrozen ? expiryClockMs : serverNowMs();
    return objGetExpire(o) < now; /* expired once now > when, as Redis */
}

/* ---- access clock: LRU seconds, or LFU (16-bit minutes << 8 | 8-bit
 * logarithmic counter) under an LFU maxmemory policy, as Redis keeps it. */
#define LFU_INIT_VAL 5

bool dbPolicyIsLfu(void) {
    return config.maxmemoryPolicy == MAXMEMORY_VOLATILE_LFU ||
           config.maxmemoryPolicy == MAXMEMORY_ALLKEYS_LFU;
}

static unsigned long dbLfuMinutes(void) {
    return (unsigned long)(serverNowMs() / 1000 / 60) & 65535;
}

unsigned long dbLfuDecayedCounter(const Object *o) {
    unsigned long ldt = o->lru >> 8, counter = o->lru & 255, now = dbLfuMinutes();
    unsigned long elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    unsigned long periods = config.lfuDecayTime ? elapsed / (unsigned long)config.lfuDecayTime : 0;
    if (periods) counter = periods > counter ? 0 : counter - periods;
    return counter;
}

static void dbInitClock(Object *o) {
    if (dbPolicyIsLfu())
        o->lru = (uint32_t)((dbLfuMinutes() << 8) | LFU_INIT_VAL);
    else
        o->lru = serverLruClock();
}

static void dbUpdateLru(Object *o) {
    if (!dbPolicyIsLfu()) {
        o->lru = serverLruClock();
        return;
    }
    unsigned long counter = dbLfuDecayedCounter(o);
    if (counter < 255) {
        /* Logarithmic increment: the higher the counter, the less likely. */
        double base = (double)counter - LFU_INIT_VAL;
        if (base < 0) base = 0;
        double p = 1.0 / (base * config.lfuLogFactor + 1);
        if ((double)random() / RAND_MAX < p) counter++;
    }
    o->lru = (uint32_t)((dbLfuMinutes() << 8) | counter);
}

Object *dbFindRaw(Db *db, const char *key, size_t klen) {
    return (Object *)dictFind(db->keys, key, klen);
}

bool dbExpireIfNeeded(Db *db, Object *o) {
    if (!dbIsExpired(o)) return false;
    /* TODO(replication): a replica must not expire keys itself; it waits
     * for the master's DEL. There are no replicas yet. */
    stats.expiredKeys++;
    const char *key = objKey(o);
    size_t klen = objKeyLen(o);
    /* Copy the key: deleting frees the Object that holds it. */
    char stackbuf[128];
    char *copy = klen <= sizeof(stackbuf) ? stackbuf : kvMalloc(klen);
    memcpy(copy, key, klen);
    dbDeleteLazy(db, copy, klen, config.lazyfreeLazyExpire);
    notifyKeyspaceEvent(NOTIFY_EXPIRED, "expired", copy, klen, db->id);
    /* An expiry is not a change of the caller's command (Redis does not
     * count it as dirty): it propagates as its own DEL/UNLINK, and a read
     * that found the key expired still propagates nothing. */
    long long dirty = stats.dirty;
    dbSignalModified(db, copy, klen);
    stats.dirty = dirty;
    propagateDeletion(db->id, copy, klen, config.lazyfreeLazyExpire);
    if (copy != stackbuf) kvFree(copy);
    return true;
}

Object *dbLookupNoTouch(Db *db, const char *key, size_t klen) {
    Object *o = dbFindRaw(db, key, klen);
    if (o && dbExpireIfNeeded(db, o)) return NULL;
    return o;
}

Object *dbLookupRead(Db *db, const char *key, size_t klen) {
    Object *o = dbLookupNoTouch(db, key, klen);
    if (o) {
        dbUpdateLru(o);
        stats.keyspaceHits++;
    } else {
        stats.keyspaceMisses++;
        notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", key, klen, db->id);
    }
    return o;
}

Object *dbLookupWrite(Db *db, const char *key, size_t klen) {
    Object *o = dbLookupNoTouch(db, key, klen);
    if (o) dbUpdateLru(o);
    return o;
}

bool dbExists(Db *db, const char *key, size_t klen) {
    return dbLookupNoTouch(db, key, klen) != NULL;
}

static void dbAddExpireEntry(Db *db, Object *o) {
    ExpireEntry *ee = kvMalloc(sizeof(*ee));
    ee->link.next = NULL;
    ee->obj = o;
    dictAddUnique(db->expires, &ee->link);
}

/* What dbAdd does once the object is in the keys dict. */
static void dbAdded(Db *db, Object *o) {
    if (o->hasExpire) dbAddExpireEntry(db, o);
    notifyKeyspaceEvent(NOTIFY_NEW, "new", objKey(o), objKeyLen(o), db->id);
    /* Clients may be blocked waiting for this key to exist. */
    if (o->type == OBJ_LIST || o->type == OBJ_ZSET || o->type == OBJ_STREAM)
        blockingSignalKeyReady(db, objKey(o), objKeyLen(o));
}

void dbAdd(Db *db, Object *o) {
    dbInitClock(o);
    dictAddUnique(db->keys, &o->link);
    dbAdded(db, o);
}

Object *dbAddIfAbsent(Db *db, Object *o, uint64_t hash) {
    dbInitClock(o);
    Object *old = (Object *)dictAddIfAbsentHashed(db->keys, &o->link, hash);
    if (old) return old;
    /* A loaded key is not an event: no "new" notification and no wake-up
     * of blocked clients, as Redis 7.0's loader. */
    if (o->hasExpire) dbAddExpireEntry(db, o);
    return NULL;
}

uint64_t dbKeyHash(const Db *db, const char *key, size_t klen) {
    return dictHash(db->keys, key, klen);
}

void dbReplaceObject(Db *db, Object *old, Object *repl, bool shellOnly) {
    dictReplaceEntry(db->keys, &old->link, &repl->link);
    if (old->hasExpire && repl->hasExpire) {
        ExpireEntry *ee = (ExpireEntry *)dictFind(db->expires, objKey(old), objKeyLen(old));
        if (ee) ee->obj = repl;
    } else if (old->hasExpire) {
        dictDelete(db->expires, objKey(old), objKeyLen(old));
    } else if (repl->hasExpire) {
        dbAddExpireEntry(db, repl);
    }
    if (shellOnly)
        objFreeShell(old);
    else
        lazyfreeFreeObject(old, config.lazyfreeLazyServerDel); /* an implicit delete */
}

void dbSetKey(Db *db, Object *o) {
    Object *old = dbFindRaw(db, objKey(o), objKeyLen(o));
    if (!old) {
        dbAdd(db, o);
        return;
    }
    /* Overwriting keeps the LFU history of the key (Redis does the same). */
    if (dbPolicyIsLfu())
        o->lru = old->lru;
    else
        dbInitClock(o);
    dbReplaceObject(db, old, o, false);
}

Object *dbUnlink(Db *db, const char *key, size_t klen) {
    Object *o = dbFindRaw(db, key, klen);
    if (!o) return NULL;
    if (o->hasExpire) dictDelete(db->expires, key, klen);
    dictUnlink(db->keys, key, klen);
    return o;
}

bool dbDeleteLazy(Db *db, const char *key, size_t klen, bool lazy) {
    Object *o = dbFindRaw(db, key, klen);
    if (!o) return false;
    if (o->hasExpire) dictDelete(db->expires, key, klen);
    /* dictDelete frees the Object, which holds the key bytes: unlink first. */
    dictUnlink(db->keys, key, klen);
    lazyfreeFreeObject(o, lazy); /* nothing else points to o now */
    return true;
}

bool dbDelete(Db *db, const char *key, size_t klen) {
    return dbDeleteLazy(db, key, klen, config.lazyfreeLazyServerDel);
}

Object *dbSetExpire(Db *db, Object *o, long long when) {
    if (o->hasExpire) {
        objSetExpireField(o, when);
        return o;
    }
    Object *n = objWithExpireSlot(o, true);
    objSetExpireField(n, when);
    dbReplaceObject(db, o, n, true);
    return n;
}

Object *dbRemoveExpire(Db *db, Object *o) {
    if (!o->hasExpire) return o;
    Object *n = objWithExpireSlot(o, false);
    dbReplaceObject(db, o, n, true);
    return n;
}

static long long dbEmptyOne(Db *db, bool lazy) {
    multiTouchDb(db, NULL); /* WATCHed keys that exist are about to go */
    long long removed = (long long)dictSize(db->keys);
    if (lazy) {
        /* Fresh tables here, the old ones (and every Object they own) to
         * the lazy free thread. Even an empty db makes a job, as Redis. */
        lazyfreeFreeDicts(db->keys, db->expires);
        db->keys = dictCreate(&dbKeysType);
        db->expires = dictCreate(&dbExpiresType);
    } else {
        dictEmpty(db->expires);
        dictEmpty(db->keys);
    }
    db->avgTtl = 0;
    db->expiresCursor = 0;
    return removed;
}

long long dbEmptyLazy(Db *db, bool lazy) {
    trackingFlush(lazy); /* one null invalidation per flush, whatever the db */
    return dbEmptyOne(db, lazy);
}

long long dbEmpty(Db *db) {
    return dbEmptyLazy(db, false);
}

long long dbEmptyAllLazy(bool lazy) {
    long long removed = 0;
    trackingFlush(lazy);
    for (int i = 0; i < dbNum; i++) removed += dbEmptyOne(&dbs[i], lazy);
    return removed;
}

long long dbEmptyAll(void) {
    return dbEmptyAllLazy(false);
}

void dbSwap(int a, int b) {
    /* WATCH stays with the db number: keys present on either side change. */
    multiTouchDb(&dbs[a], &dbs[b]);
    multiTouchDb(&dbs[b], &dbs[a]);
    Db tmp = dbs[a];
    dbs[a].keys = dbs[b].keys;
    dbs[a].expires = dbs[b].expires;
    dbs[a].avgTtl = dbs[b].avgTtl;
    dbs[a].expiresCursor = dbs[b].expiresCursor;
    dbs[b].keys = tmp.keys;
    dbs[b].expires = tmp.expires;
    dbs[b].avgTtl = tmp.avgTtl;
    dbs[b].expiresCursor = tmp.expiresCursor;
    /* Clients blocked on a key that exists after the swap are served, as
     * Redis 7.0 does for SWAPDB. */
    blockingSignalDbReady(&dbs[a]);
    blockingSignalDbReady(&dbs[b]);
}

Object *dbRandomKey(Db *db) {
    /* Bounded retries: if every sampled key is expired (and we may not
     * delete, e.g. on a replica later) give up like Redis does. */
    for (int tries = 0; tries < 100 && dictSize(db->keys) > 0; tries++) {
        Object *o = (Object *)dictRandomEntry(db->keys);
        if (!o) return NULL;
        if (dbExpireIfNeeded(db, o)) continue;
        return o;
    }
    return NULL;
}

void dbSignalModified(Db *db, const char *key, size_t klen) {
    multiTouchKey(db, key, klen);
    trackingKeyModified(key, klen);
    stats.dirty++;
}

void dbCron(void) {
    /* Rehash a little every cron tick and give back sparse tables. */
    for (int i = 0; i < dbNum; i++) {
        Db *db = &dbs[i];
        if (!dictShrinkIfSparse(db->keys)) dictExpand(db->keys, dictSize(db->keys));
        dictShrinkIfSparse(db->expires);
        if (dictIsRehashing(db->keys)) dictRehashMicroseconds(db->keys, 1000);
        if (dictIsRehashing(db->expires)) dictRehashMicroseconds(db->expires, 1000);
    }
}
