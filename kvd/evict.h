/* evict.h — key eviction under maxmemory, as Redis 7.0 applies
 * maxmemory-policy.
 *
 * When maxmemory is set, dispatch.c calls evictPerform() before every
 * command. While used memory (kvMemUsed() minus what evictNotCountedMemory()
 * leaves out: the AOF buffer) is above maxmemory it deletes keys chosen by
 * the policy:
 *
 *   volatile-lru / allkeys-lru   the longest idle (approximated LRU)
 *   volatile-lfu / allkeys-lfu   the least frequently used (approximated LFU)
 *   volatile-ttl                 the nearest expire time
 *   volatile-random / allkeys-random   any key, one db after the other
 *   noeviction                   nothing: write commands get -OOM
 *
 * "volatile-" policies only look at keys with an expire time (each db's
 * expires dict), "allkeys-" at every key.
 *
 * Approximation
 * -------------
 * The LRU/LFU/TTL policies do not keep keys ordered. Each round samples
 * maxmemory-samples keys of every non-empty db and offers them to the
 * eviction pool: EVICT_POOL_SIZE slots sorted by a score where higher means
 * "evict sooner" (idle ms, 255 - decayed LFU counter, or ULLONG_MAX - the
 * expire time). The pool lives across calls, so good candidates seen earlier
 * stay until something better comes along. The best entry is popped and, if
 * its key still exists (and is still volatile for volatile-*), deleted;
 * entries whose key went away meanwhile are dropped ("ghosts").
 *
 * Pool layout (ascending score, the next victim on the right):
 *
 *   slot:  0      1      2     ...    15
 *        [low ] [    ] [    ]  ... [high]     empty slots: klen == SIZE_MAX
 *
 * Insertion keeps the order; when the pool is full the new entry replaces
 * the worst one (slot 0) or is dropped if it is worse than all of them. A key
 * already in the pool is re-scored rather than stored twice.
 *
 * Time limit
 * ----------
 * One pass stops after a time set by maxmemory-eviction-tenacity (0..10: 50
 * µs per step; 11..99: 500 µs × 1.15^(tenacity - 10); 100: no limit),
 * checked every 16 keys. When it stops early a zero-delay timer on the event
 * loop continues the work on later loop turns until memory is under the
 * limit, and meanwhile commands are not refused (EVICT_RUNNING), as in
 * Redis 7.0.
 *
 * Each eviction deletes the key (with lazyfree-lazy-eviction a big value is
 * freed by the lazy free thread, lazyfree.h, and the deletion propagates as
 * UNLINK instead of DEL), counts stats.evictedKeys, signals WATCH, publishes
 * the "evicted" keyspace event and propagates the deletion. While the lazy
 * free thread has work pending, a pass first gives it its time budget and
 * re-reads the memory usage before choosing more victims, so that memory
 * about to come back does not cost extra keys.
 *
 * Nothing is evicted while a dataset is loading, while a busy script runs or
 * while clients are paused: evictPerform() then answers EVICT_OK.
 */
#ifndef KV_EVICT_H
#define KV_EVICT_H

#include "object.h"

#include <stdbool.h>
#include <stddef.h>

#define EVICT_OK      0 /* under the limit (or eviction not allowed now) */
#define EVICT_RUNNING 1 /* still over, the timer continues the work */
#define EVICT_FAIL    2 /* over the limit and nothing (more) can be evicted */

/* Evicts keys until memory is under maxmemory or the time limit hits. Cheap
 * when maxmemory is 0 or memory is under the limit. */
int evictPerform(void);

/* dispatch.c, before each command when maxmemory is set: evictPerform()
 * and records whether memory is still over the limit with nothing left to
 * evict; returns that. */
bool evictBeforeCommand(void);
/* What the last evictBeforeCommand() found (Redis's pre-command OOM state):
 * scripts decide with it whether deny-oom commands may run, so that memory
 * their own run allocates does not change the answer. */
bool evictCommandStartOom(void);

/* Bytes of used memory that eviction does not count (INFO's
 * mem_not_counted_for_evict): the AOF buffer. */
size_t evictNotCountedMemory(void);

/* True when memory as eviction counts it is above maxmemory; *toFree (may be
 * NULL) gets the excess in bytes. */
bool evictOverLimit(size_t *toFree);

/* Time spent over the limit (INFO stats, microseconds): in total (including
 * the current stretch) and in the current stretch (0 when under). */
long long evictExceededTotalUs(void);
long long evictExceededCurrentUs(void);
/* CONFIG RESETSTAT. */
void evictResetStats(void);

/* The apply hook of CONFIG SET maxmemory: warns when the new limit is below
 * current usage and evicts at once, as Redis 7.0. */
bool evictApplyMaxmemory(const char **err);

/* Microseconds one eviction pass may take for a tenacity (0..100);
 * 0 means "stop after the first 16 keys", ULLONG_MAX no limit. */
unsigned long long evictTimeLimitUs(int tenacity);

/* ---- the eviction pool (exposed for unit tests) ---- */

#define EVICT_POOL_SIZE       16
#define EVICT_POOL_CACHED_KEY 255 /* longer keys are copied to the heap */

typedef struct EvictPoolEntry {
    unsigned long long score; /* higher: better candidate */
    int dbid;
    size_t klen;   /* SIZE_MAX: empty slot */
    char *heapKey; /* the key when longer than the cached buffer, else NULL */
    char cached[EVICT_POOL_CACHED_KEY];
} EvictPoolEntry;

typedef struct EvictPool {
    EvictPoolEntry slots[EVICT_POOL_SIZE];
} EvictPool;

void evictPoolInit(EvictPool *pool);
/* Frees heap keys and empties every slot. */
void evictPoolClear(EvictPool *pool);
/* Offers a candidate; copies the key. Returns true if it was kept. */
bool evictPoolInsert(EvictPool *pool, int dbid, const char *key, size_t klen,
                     unsigned long long score);
/* Moves the best entry into *out (and empties its slot). False when the
 * pool is empty. Release *out with evictPoolEntryRelease(). */
bool evictPoolPopBest(EvictPool *pool, EvictPoolEntry *out);
static inline const char *evictPoolEntryKey(const EvictPoolEntry *e) {
    return e->heapKey ? e->heapKey : e->cached;
}
void evictPoolEntryRelease(EvictPoolEntry *e);
/* Number of occupied slots. */
int evictPoolCount(const EvictPool *pool);

/* The pool score of o under `policy` (MAXMEMORY_*, config.h): idle ms for
 * LRU, 255 - decayed counter for LFU, ULLONG_MAX - expire time for TTL. */
unsigned long long evictScore(const Object *o, int policy);

#endif
