/* evict.c — key eviction under maxmemory (design in evict.h): the eviction
 * pool, sampling per policy, the time-bounded eviction pass, its
 * continuation timer and the "time over the limit" statistics. */
#include "evict.h"

#include "aof.h"
#include "client.h"
#include "config.h"
#include "db.h"
#include "lazyfree.h"
#include "log.h"
#include "mem.h"
#include "notify.h"
#include "propagate.h"
#include "rdb.h"
#include "script.h"
#include "server.h"

#include <event2/event.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------
 * The pool
 * ---------------------------------------------------------------------- */

#define EVICT_SLOT_EMPTY SIZE_MAX

void evictPoolInit(EvictPool *pool) {
    for (int i = 0; i < EVICT_POOL_SIZE; i++) {
        pool->slots[i].klen = EVICT_SLOT_EMPTY;
        pool->slots[i].heapKey = NULL;
        pool->slots[i].score = 0;
        pool->slots[i].dbid = 0;
    }
}

void evictPoolEntryRelease(EvictPoolEntry *e) {
    if (e->heapKey) kvFree(e->heapKey);
    e->heapKey = NULL;
    e->klen = EVICT_SLOT_EMPTY;
    e->score = 0;
}

void evictPoolClear(EvictPool *pool) {
    for (int i = 0; i < EVICT_POOL_SIZE; i++) evictPoolEntryRelease(&pool->slots[i]);
}

int evictPoolCount(const EvictPool *pool) {
    int n = 0;
    for (int i = 0; i < EVICT_POOL_SIZE; i++)
        if (pool->slots[i].klen != EVICT_SLOT_EMPTY) n++;
    return n;
}

static bool evictSlotEmpty(const EvictPoolEntry *e) {
    return e->klen == EVICT_SLOT_EMPTY;
}

/* Removes slot k, closing the gap so that occupied slots stay a prefix
 * followed by empty ones (the order the insertion below relies on). */
static void evictPoolRemoveAt(EvictPool *pool, int k) {
    evictPoolEntryRelease(&pool->slots[k]);
    memmove(&pool->slots[k], &pool->slots[k + 1],
            sizeof(EvictPoolEntry) * (size_t)(EVICT_POOL_SIZE - k - 1));
    pool->slots[EVICT_POOL_SIZE - 1].klen = EVICT_SLOT_EMPTY;
    pool->slots[EVICT_POOL_SIZE - 1].heapKey = NULL;
}

static void evictPoolStore(EvictPoolEntry *e, int dbid, const char *key, size_t klen,
                           unsigned long long score) {
    e->score = score;
    e->dbid = dbid;
    e->klen = klen;
    if (klen > EVICT_POOL_CACHED_KEY) {
        e->heapKey = kvMalloc(klen);
        memcpy(e->heapKey, key, klen);
    } else {
        e->heapKey = NULL;
        if (klen) memcpy(e->cached, key, klen);
    }
}

bool evictPoolInsert(EvictPool *pool, int dbid, const char *key, size_t klen,
                     unsigned long long score) {
    EvictPoolEntry *s = pool->slots;
    /* Already there: drop the old score, the new one is more recent. */
    for (int i = 0; i < EVICT_POOL_SIZE && !evictSlotEmpty(&s[i]); i++) {
        if (s[i].dbid == dbid && s[i].klen == klen &&
            memcmp(evictPoolEntryKey(&s[i]), key, klen) == 0) {
            evictPoolRemoveAt(pool, i);
            break;
        }
    }
    /* First slot that is empty or holds a score not below ours. */
    int k = 0;
    while (k < EVICT_POOL_SIZE && !evictSlotEmpty(&s[k]) && s[k].score < score) k++;
    bool full = !evictSlotEmpty(&s[EVICT_POOL_SIZE - 1]);
    if (k == 0 && full) return false; /* worse than everything we hold */
    if (k < EVICT_POOL_SIZE && evictSlotEmpty(&s[k])) {
        /* Append at the end of the occupied prefix. */
    } else if (!full) {
        /* Make room at k by shifting the better entries right. */
        memmove(&s[k + 1], &s[k], sizeof(EvictPoolEntry) * (size_t)(EVICT_POOL_SIZE - k - 1));
    } else {
        /* Full: the worst entry (slot 0) leaves, the worse ones shift left
         * and ours goes just below the first better one. */
        k--;
        evictPoolEntryRelease(&s[0]);
        memmove(&s[0], &s[1], sizeof(EvictPoolEntry) * (size_t)k);
    }
    evictPoolStore(&s[k], dbid, key, klen, score);
    return true;
}

bool evictPoolPopBest(EvictPool *pool, EvictPoolEntry *out) {
    for (int k = EVICT_POOL_SIZE - 1; k >= 0; k--) {
        EvictPoolEntry *e = &pool->slots[k];
        if (evictSlotEmpty(e)) continue;
        *out = *e; /* the heap key, if any, moves with it */
        e->heapKey = NULL;
        e->klen = EVICT_SLOT_EMPTY;
        e->score = 0;
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------------
 * Scores and sampling
 * ---------------------------------------------------------------------- */

static bool evictPolicyAllKeys(int policy) {
    return policy == MAXMEMORY_ALLKEYS_LRU || policy == MAXMEMORY_ALLKEYS_LFU ||
           policy == MAXMEMORY_ALLKEYS_RANDOM;
}

static bool evictPolicyUsesPool(int policy) {
    return policy == MAXMEMORY_VOLATILE_LRU || policy == MAXMEMORY_ALLKEYS_LRU ||
           policy == MAXMEMORY_VOLATILE_LFU || policy == MAXMEMORY_ALLKEYS_LFU ||
           policy == MAXMEMORY_VOLATILE_TTL;
}

unsigned long long evictScore(const Object *o, int policy) {
    switch (policy) {
        case MAXMEMORY_VOLATILE_LFU:
        case MAXMEMORY_ALLKEYS_LFU:
            /* Rarely used first: invert the 0..255 counter. */
            return 255 - dbLfuDecayedCounter(o);
        case MAXMEMORY_VOLATILE_TTL:
            /* Sooner expire first. */
            return ULLONG_MAX - (unsigned long long)objGetExpire(o);
        default: return (unsigned long long)serverEstimateIdleMs(o->lru);
    }
}

static Object *evictSampleOne(Db *db, bool allKeys) {
    if (allKeys) return (Object *)dictRandomEntry(db->keys);
    ExpireEntry *ee = (ExpireEntry *)dictRandomEntry(db->expires);
    return ee ? ee->obj : NULL;
}

/* Offers maxmemory-samples random keys of db to the pool. */
static void evictPoolPopulate(EvictPool *pool, Db *db, int policy) {
    bool allKeys = evictPolicyAllKeys(policy);
    Dict *d = allKeys ? db->keys : db->expires;
    size_t samples = (size_t)(config.maxmemorySamples > 0 ? config.maxmemorySamples : 5);
    /* A small db: every key once rather than random draws with repeats. */
    if (dictSize(d) <= samples) {
        DictIter it;
        dictIterInit(&it, d, false);
        DictLink *l;
        while ((l = dictIterNext(&it)) != NULL) {
            Object *o = allKeys ? (Object *)l : ((ExpireEntry *)l)->obj;
            evictPoolInsert(pool, db->id, objKey(o), objKeyLen(o), evictScore(o, policy));
        }
        dictIterRelease(&it);
        return;
    }
    for (size_t i = 0; i < samples; i++) {
        Object *o = evictSampleOne(db, allKeys);
        if (!o) break;
        evictPoolInsert(pool, db->id, objKey(o), objKeyLen(o), evictScore(o, policy));
    }
}

static EvictPool pool;
static bool poolReady = false;

/* Picks the next victim under a pool policy; copies its key into *victim.
 * False when no db has a candidate key. */
static bool evictPickFromPool(int policy, EvictPoolEntry *victim) {
    bool allKeys = evictPolicyAllKeys(policy);
    if (!poolReady) {
        evictPoolInit(&pool);
        poolReady = true;
    }
    /* Each round samples every db (no local choice per db); ghosts found
     * when popping send us back for another round. Bounded: each round
     * either finds a live key or empties the pool of ghosts. */
    for (int round = 0; round < 1000; round++) {
        size_t total = 0;
        for (int i = 0; i < dbCount(); i++) {
            Db *db = dbGet(i);
            size_t n = dictSize(allKeys ? db->keys : db->expires);
            if (n == 0) continue;
            evictPoolPopulate(&pool, db, policy);
            total += n;
        }
        if (total == 0) return false;
        EvictPoolEntry e;
        while (evictPoolPopBest(&pool, &e)) {
            Db *db = dbGet(e.dbid);
            DictLink *found = NULL;
            if (db)
                found = dictFind(allKeys ? db->keys : db->expires, evictPoolEntryKey(&e), e.klen);
            if (found) {
                *victim = e;
                return true;
            }
            evictPoolEntryRelease(&e); /* a ghost: the key went away */
        }
    }
    return false;
}

/* Random policies: one random key, taking the dbs in turn. */
static bool evictPickRandom(int policy, EvictPoolEntry *victim) {
    static unsigned int nextDb = 0;
    bool allKeys = evictPolicyAllKeys(policy);
    int n = dbCount();
    for (int i = 0; i < n; i++) {
        Db *db = dbGet((int)(++nextDb % (unsigned int)n));
        if (dictSize(allKeys ? db->keys : db->expires) == 0) continue;
        Object *o = evictSampleOne(db, allKeys);
        if (!o) continue;
        victim->heapKey = NULL;
        evictPoolStore(victim, db->id, objKey(o), objKeyLen(o), 0);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------------
 * Memory state and statistics
 * ---------------------------------------------------------------------- */

size_t evictNotCountedMemory(void) {
    /* Redis leaves out the AOF buffer and the part of the replication buffer
     * above the backlog size; kvd has no replication buffers yet. */
    return aofBufferSize();
}

bool evictOverLimit(size_t *toFree) {
    if (config.maxmemory <= 0) return false;
    size_t used = kvMemUsed();
    if (used <= (size_t)config.maxmemory) return false;
    size_t notCounted = evictNotCountedMemory();
    used = used > notCounted ? used - notCounted : 0;
    if (used <= (size_t)config.maxmemory) return false;
    if (toFree) *toFree = used - (size_t)config.maxmemory;
    return true;
}

static long long evictMonotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long exceededSinceUs = 0; /* 0: not over the limit */
static long long exceededTotalUs = 0;

long long evictExceededCurrentUs(void) {
    return exceededSinceUs ? evictMonotonicUs() - exceededSinceUs : 0;
}

long long evictExceededTotalUs(void) {
    return exceededTotalUs + evictExceededCurrentUs();
}

void evictResetStats(void) {
    exceededTotalUs = 0;
    exceededSinceUs = 0;
}

static void evictUpdateMetrics(int result) {
    if (result == EVICT_OK) {
        if (exceededSinceUs) {
            exceededTotalUs += evictMonotonicUs() - exceededSinceUs;
            exceededSinceUs = 0;
        }
    } else if (!exceededSinceUs) {
        exceededSinceUs = evictMonotonicUs();
    }
}

unsigned long long evictTimeLimitUs(int tenacity) {
    if (tenacity < 0) tenacity = 0;
    if (tenacity <= 10) return 50ULL * (unsigned long long)tenacity;
    if (tenacity < 100) return (unsigned long long)(500.0 * pow(1.15, tenacity - 10.0));
    return ULLONG_MAX;
}

/* ------------------------------------------------------------------------
 * The pass and its continuation
 * ---------------------------------------------------------------------- */

static struct event *continueEvent = NULL;
static bool continueArmed = false;

static void evictContinue(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    (void)arg;
    continueArmed = false;
    serverUpdateTime();
    /* evictPerform re-arms the timer while it still runs out of time. */
    evictPerform();
}

static void evictArmContinuation(void) {
    if (continueArmed) return;
    struct event_base *base = serverEventBase();
    if (!base) return; /* unit tests: no loop, the next call continues */
    if (!continueEvent) continueEvent = event_new(base, -1, 0, evictContinue, NULL);
    if (!continueEvent) return;
    struct timeval now = {0, 0};
    if (event_add(continueEvent, &now) == 0) continueArmed = true;
}

static bool evictAllowedNow(void) {
    /* Not while a dataset loads, nor under a script past its busy threshold
     * (the dataset must not change under it), nor while clients are paused
     * (the dataset must stay still); Redis answers "OK" then. */
    if (rdbIsLoading() || aofLoading()) return false;
    if (scriptIsTimedOut()) return false;
    if (clientsArePaused(true)) return false;
    return true;
}

/* Deletes the victim's key as one eviction. Returns the bytes the delete
 * itself released (negative if memory grew meanwhile). */
static long long evictDeleteKey(Db *db, const char *key, size_t klen) {
    long long before = (long long)kvMemUsed();
    if (!dbDeleteLazy(db, key, klen, config.lazyfreeLazyEviction)) return 0;
    long long freed = before - (long long)kvMemUsed();
    stats.evictedKeys++;
    /* WATCH sees the change; like an expiry it is not the running command's
     * change, so the dirty counter stays as it was (Redis does not count
     * evictions as dirty either). */
    long long dirty = stats.dirty;
    dbSignalModified(db, key, klen);
    stats.dirty = dirty;
    notifyKeyspaceEvent(NOTIFY_EVICTED, "evicted", key, klen, db->id);
    /* Outside any execution unit (before the command runs, or from the
     * timer) this is sent at once, as its own DEL/UNLINK. */
    propagateDeletion(db->id, key, klen, config.lazyfreeLazyEviction);
    return freed;
}

int evictPerform(void) {
    if (config.maxmemory <= 0) {
        evictUpdateMetrics(EVICT_OK);
        return EVICT_OK;
    }
    /* A pretend "OK": not counted as time over the limit either. */
    if (!evictAllowedNow()) return EVICT_OK;

    size_t toFree = 0;
    int result = EVICT_FAIL;
    if (!evictOverLimit(&toFree)) {
        result = EVICT_OK;
        goto done;
    }
    int policy = config.maxmemoryPolicy;
    if (policy == MAXMEMORY_NO_EVICTION) goto done;

    unsigned long long limitUs = evictTimeLimitUs(config.maxmemoryEvictionTenacity);
    long long limit = limitUs > LLONG_MAX ? LLONG_MAX : (long long)limitUs;
    long long start = evictMonotonicUs();
    long long freed = 0;
    unsigned long keysFreed = 0;
    bool stoppedOnTime = false;
    while (freed < (long long)toFree) {
        /* Memory the lazy free thread is about to give back (values of
         * lazily evicted keys, UNLINK, FLUSHALL ASYNC) would otherwise
         * cost more keys than needed, since `freed` only sees what the
         * deletes released here: let the thread work within this pass's
         * time, then look at the real usage (Redis 7.0 re-checks it too). */
        if (lazyfreePendingObjects() > 0) {
            long long spent = evictMonotonicUs() - start;
            if (spent < limit) lazyfreeWaitIdle(limit - spent);
            if (!evictOverLimit(NULL)) break;
            if (evictMonotonicUs() - start >= limit) {
                stoppedOnTime = true;
                break;
            }
        }
        EvictPoolEntry victim;
        bool picked = evictPolicyUsesPool(policy) ? evictPickFromPool(policy, &victim)
                                                  : evictPickRandom(policy, &victim);
        if (!picked) {
            /* Nothing left to evict: EVICT_FAIL, unless what the thread
             * still frees brings us under the limit within the time. */
            if (lazyfreePendingObjects() > 0) {
                long long spent = evictMonotonicUs() - start;
                lazyfreeWaitIdle(spent < limit ? limit - spent : 0);
                if (!evictOverLimit(NULL)) break;
            }
            goto done;
        }
        Db *db = dbGet(victim.dbid);
        freed += evictDeleteKey(db, evictPoolEntryKey(&victim), victim.klen);
        evictPoolEntryRelease(&victim);
        keysFreed++;
        if (keysFreed % 16 == 0) {
            /* Lazily freed values come back while we loop (Redis 7.0). */
            if (config.lazyfreeLazyEviction && !evictOverLimit(NULL)) break;
            if ((unsigned long long)(evictMonotonicUs() - start) > limitUs) {
                stoppedOnTime = true;
                break;
            }
        }
    }
    if (stoppedOnTime) {
        evictArmContinuation();
        result = EVICT_RUNNING;
    } else {
        result = EVICT_OK;
    }
done:
    evictUpdateMetrics(result);
    return result;
}

static bool commandStartOom = false;

bool evictBeforeCommand(void) {
    commandStartOom = evictPerform() == EVICT_FAIL;
    return commandStartOom;
}

bool evictCommandStartOom(void) {
    return commandStartOom;
}

bool evictApplyMaxmemory(const char **err) {
    (void)err;
    if (config.maxmemory <= 0) return true;
    size_t used = kvMemUsed();
    size_t notCounted = evictNotCountedMemory();
    used = used > notCounted ? used - notCounted : 0;
    if ((size_t)config.maxmemory < used)
        logMsg(LL_WARNING,
               "WARNING: the new maxmemory value set via CONFIG SET (%llu) is smaller than the "
               "current memory usage (%zu). This will result in key eviction and/or the "
               "inability to accept new write commands depending on the maxmemory-policy.",
               (unsigned long long)config.maxmemory, used);
    evictPerform();
    return true;
}
