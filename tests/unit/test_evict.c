/* test_evict.c — the eviction pool and the eviction pass (kvd/evict.c)
 * without a network.
 *
 * The pool is checked against its contract: ascending scores with the best
 * candidate popped first, a full pool dropping the worst, re-offered keys
 * re-scored rather than duplicated, long keys kept intact. The pass is
 * checked on real databases with maxmemory set just below what is in use,
 * so that each call must evict exactly one key: with maxmemory-samples above
 * the number of keys the sampling sees every key and the choice is exact,
 * which makes the policies' orders testable (oldest LRU clock, lowest LFU
 * counter, nearest expire time; volatile-* never touching keys without a
 * TTL and failing once only those are left). Propagation (DEL, or UNLINK
 * with lazyfree-lazy-eviction) is seen through a sink. */
#include "config.h"
#include "db.h"
#include "evict.h"
#include "mem.h"
#include "object.h"
#include "propagate.h"
#include "server.h"
#include "testhelp.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- the pool ---- */

static bool popIs(EvictPool *p, const char *key, unsigned long long score) {
    EvictPoolEntry e;
    if (!evictPoolPopBest(p, &e)) return false;
    bool ok = e.klen == strlen(key) && memcmp(evictPoolEntryKey(&e), key, e.klen) == 0 &&
              e.score == score;
    if (!ok)
        fprintf(stderr, "  popped %.*s/%llu, wanted %s/%llu\n", (int)e.klen, evictPoolEntryKey(&e),
                e.score, key, score);
    evictPoolEntryRelease(&e);
    return ok;
}

static void testPoolOrder(void) {
    EvictPool p;
    evictPoolInit(&p);
    TEST_CHECK(evictPoolCount(&p) == 0);
    TEST_CHECK(evictPoolInsert(&p, 0, "b", 1, 20));
    TEST_CHECK(evictPoolInsert(&p, 0, "a", 1, 10));
    TEST_CHECK(evictPoolInsert(&p, 0, "c", 1, 30));
    TEST_CHECK(evictPoolInsert(&p, 1, "a", 1, 15)); /* another db: another key */
    TEST_CHECK(evictPoolCount(&p) == 4);
    TEST_CHECK(popIs(&p, "c", 30));
    TEST_CHECK(popIs(&p, "b", 20));
    TEST_CHECK(popIs(&p, "a", 15));
    TEST_CHECK(popIs(&p, "a", 10));
    EvictPoolEntry e;
    TEST_CHECK(!evictPoolPopBest(&p, &e));
    evictPoolClear(&p);
}

static void testPoolFullDropsWorst(void) {
    EvictPool p;
    evictPoolInit(&p);
    char k[8];
    for (int i = 0; i < EVICT_POOL_SIZE; i++) {
        int n = snprintf(k, sizeof(k), "k%d", i);
        TEST_CHECK(evictPoolInsert(&p, 0, k, (size_t)n, (unsigned long long)(100 + i * 10)));
    }
    TEST_CHECK(evictPoolCount(&p) == EVICT_POOL_SIZE);
    /* Worse than all: refused. */
    TEST_CHECK(!evictPoolInsert(&p, 0, "low", 3, 5));
    /* In the middle: kept, and k0 (score 100, the worst) leaves. */
    TEST_CHECK(evictPoolInsert(&p, 0, "mid", 3, 155));
    TEST_CHECK(evictPoolCount(&p) == EVICT_POOL_SIZE);
    /* Best of all: kept at the top. */
    TEST_CHECK(evictPoolInsert(&p, 0, "top", 3, 1000));
    TEST_CHECK(popIs(&p, "top", 1000));
    TEST_CHECK(popIs(&p, "k15", 250));
    /* Drain and check the order and that k0 and k1 are gone. */
    unsigned long long last = ULLONG_MAX;
    int count = 0;
    bool sawMid = false, sawK0 = false, sawK1 = false;
    EvictPoolEntry e;
    while (evictPoolPopBest(&p, &e)) {
        TEST_CHECK(e.score <= last);
        last = e.score;
        if (e.klen == 3 && memcmp(evictPoolEntryKey(&e), "mid", 3) == 0) sawMid = true;
        if (e.klen == 2 && memcmp(evictPoolEntryKey(&e), "k0", 2) == 0) sawK0 = true;
        if (e.klen == 2 && memcmp(evictPoolEntryKey(&e), "k1", 2) == 0) sawK1 = true;
        evictPoolEntryRelease(&e);
        count++;
    }
    TEST_CHECK(count == EVICT_POOL_SIZE - 2);
    TEST_CHECK(sawMid);
    TEST_CHECK(!sawK0);
    TEST_CHECK(!sawK1);
}

static void testPoolRescoresDuplicates(void) {
    EvictPool p;
    evictPoolInit(&p);
    evictPoolInsert(&p, 0, "x", 1, 10);
    evictPoolInsert(&p, 0, "y", 1, 20);
    evictPoolInsert(&p, 0, "x", 1, 30); /* x again, now idle longer */
    TEST_CHECK(evictPoolCount(&p) == 2);
    TEST_CHECK(popIs(&p, "x", 30));
    TEST_CHECK(popIs(&p, "y", 20));
    evictPoolInsert(&p, 0, "y", 1, 20);
    evictPoolInsert(&p, 0, "y", 1, 1); /* touched: now the worst */
    TEST_CHECK(evictPoolCount(&p) == 1);
    TEST_CHECK(popIs(&p, "y", 1));
}

static void testPoolLongKeys(void) {
    EvictPool p;
    evictPoolInit(&p);
    char longKey[1000];
    for (size_t i = 0; i < sizeof(longKey); i++) longKey[i] = (char)('a' + i % 26);
    size_t before = kvMemUsed();
    TEST_CHECK(evictPoolInsert(&p, 2, longKey, sizeof(longKey), 7));
    TEST_CHECK(evictPoolInsert(&p, 2, longKey, EVICT_POOL_CACHED_KEY, 8)); /* fits the cache */
    TEST_CHECK(evictPoolInsert(&p, 2, "", 0, 9));                          /* empty key */
    /* Shifting entries around must keep each key with its entry. */
    for (int i = 0; i < 20; i++) evictPoolInsert(&p, 3, "f", 1, (unsigned long long)(i % 7));
    EvictPoolEntry e;
    TEST_CHECK(evictPoolPopBest(&p, &e) && e.klen == 0 && e.score == 9);
    evictPoolEntryRelease(&e);
    TEST_CHECK(evictPoolPopBest(&p, &e) && e.klen == EVICT_POOL_CACHED_KEY &&
               memcmp(evictPoolEntryKey(&e), longKey, e.klen) == 0);
    evictPoolEntryRelease(&e);
    TEST_CHECK(evictPoolPopBest(&p, &e) && e.klen == sizeof(longKey) && e.dbid == 2 &&
               memcmp(evictPoolEntryKey(&e), longKey, e.klen) == 0);
    evictPoolEntryRelease(&e);
    evictPoolClear(&p);
    TEST_CHECK(kvMemUsed() == before); /* heap keys freed */
}

static void testTimeLimit(void) {
    TEST_CHECK(evictTimeLimitUs(0) == 0);
    TEST_CHECK(evictTimeLimitUs(1) == 50);
    TEST_CHECK(evictTimeLimitUs(10) == 500);
    TEST_CHECK(evictTimeLimitUs(11) >= 574 && evictTimeLimitUs(11) <= 575);
    TEST_CHECK(evictTimeLimitUs(99) > 100000000ULL); /* about two minutes */
    TEST_CHECK(evictTimeLimitUs(100) == ULLONG_MAX);
}

/* ---- the pass on real databases ---- */

enum { MAX_SEEN = 64 };
static char seen[MAX_SEEN][64];
static int seenCount;

static void sink(int dbid, int argc, const Arg *argv) {
    if (seenCount >= MAX_SEEN) return;
    char *p = seen[seenCount++];
    int n = snprintf(p, 64, "%d:", dbid);
    for (int i = 0; i < argc && n < 56; i++)
        n += snprintf(p + n, (size_t)(64 - n), "%s%.*s", i ? " " : "", (int)argv[i].len,
                      argv[i].ptr);
}

static void addKey(int dbid, const char *key, long long expire) {
    Db *db = dbGet(dbid);
    dbAdd(db, objNewString(key, strlen(key), "some value", 10, false, expire));
}

static bool exists(int dbid, const char *key) {
    return dbFindRaw(dbGet(dbid), key, strlen(key)) != NULL;
}

/* One pass with the limit just below what is used: one key must go. */
static int evictOne(void) {
    config.maxmemory = (long long)kvMemUsed() - 1;
    int r = evictPerform();
    config.maxmemory = 0;
    return r;
}

static void resetDbs(int policy) {
    dbEmptyAll();
    config.maxmemoryPolicy = policy;
    config.maxmemorySamples = 100;
    config.lazyfreeLazyEviction = false;
    seenCount = 0;
}

static void testAllkeysLru(void) {
    resetDbs(MAXMEMORY_ALLKEYS_LRU);
    const char *keys[] = {"l0", "l1", "l2", "l3", "l4"};
    for (int i = 0; i < 5; i++) addKey(i % 2, keys[i], -1);
    /* Older clocks = idle longer; l3 the oldest, then l1, l0, l4, l2. */
    uint32_t now = serverLruClock();
    uint32_t ages[] = {30, 50, 5, 90, 10};
    for (int i = 0; i < 5; i++) dbFindRaw(dbGet(i % 2), keys[i], 2)->lru = now - ages[i];
    unsigned long long evictedBefore = stats.evictedKeys;
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(1, "l3") && exists(1, "l1") && exists(0, "l0"));
    TEST_CHECK(stats.evictedKeys == evictedBefore + 1);
    TEST_CHECK(seenCount == 1 && strcmp(seen[0], "1:DEL l3") == 0);
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(1, "l1") && exists(0, "l0"));
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(0, "l0") && exists(0, "l4") && exists(0, "l2"));
    TEST_CHECK(stats.evictedKeys == evictedBefore + 3);
}

static void testAllkeysLfu(void) {
    resetDbs(MAXMEMORY_ALLKEYS_LFU);
    const char *keys[] = {"f0", "f1", "f2"};
    unsigned long counters[] = {200, 3, 40};
    uint32_t minutes = (uint32_t)((serverNowMs() / 1000 / 60) & 65535);
    for (int i = 0; i < 3; i++) {
        addKey(0, keys[i], -1);
        dbFindRaw(dbGet(0), keys[i], 2)->lru = (minutes << 8) | (uint32_t)counters[i];
    }
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(0, "f1") && exists(0, "f0") && exists(0, "f2"));
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(0, "f2") && exists(0, "f0"));
}

static void testVolatileTtl(void) {
    resetDbs(MAXMEMORY_VOLATILE_TTL);
    config.lazyfreeLazyEviction = true;
    long long now = serverNowMs();
    addKey(0, "persist1", -1);
    addKey(0, "t300", now + 300000);
    addKey(2, "t100", now + 100000);
    addKey(0, "persist2", -1);
    addKey(0, "t200", now + 200000);
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(2, "t100") && exists(0, "t200"));
    TEST_CHECK(seenCount == 1 && strcmp(seen[0], "2:UNLINK t100") == 0);
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(0, "t200") && exists(0, "t300"));
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(0, "t300"));
    /* Only keys without a TTL are left: volatile-* cannot free memory. */
    unsigned long long evicted = stats.evictedKeys;
    TEST_CHECK(evictOne() == EVICT_FAIL);
    TEST_CHECK(exists(0, "persist1") && exists(0, "persist2"));
    TEST_CHECK(stats.evictedKeys == evicted);
    TEST_CHECK(evictExceededCurrentUs() >= 0);
}

static void testVolatileLruAndRandom(void) {
    int policies[] = {MAXMEMORY_VOLATILE_LRU, MAXMEMORY_VOLATILE_LFU, MAXMEMORY_VOLATILE_RANDOM};
    for (int p = 0; p < 3; p++) {
        resetDbs(policies[p]);
        long long now = serverNowMs();
        addKey(0, "keep", -1);
        addKey(0, "vol", now + 100000);
        addKey(3, "keep3", -1);
        TEST_CHECK(evictOne() == EVICT_OK);
        TEST_CHECK(!exists(0, "vol"));
        TEST_CHECK(evictOne() == EVICT_FAIL);
        TEST_CHECK(exists(0, "keep") && exists(3, "keep3"));
    }
}

static void testAllkeysRandomAndNoeviction(void) {
    resetDbs(MAXMEMORY_NO_EVICTION);
    addKey(0, "a", -1);
    addKey(5, "b", -1);
    TEST_CHECK(evictOne() == EVICT_FAIL);
    TEST_CHECK(exists(0, "a") && exists(5, "b"));
    TEST_CHECK(seenCount == 0);
    config.maxmemoryPolicy = MAXMEMORY_ALLKEYS_RANDOM;
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(exists(0, "a") != exists(5, "b")); /* exactly one went */
    TEST_CHECK(evictOne() == EVICT_OK);
    TEST_CHECK(!exists(0, "a") && !exists(5, "b"));
    TEST_CHECK(evictOne() == EVICT_FAIL); /* nothing left */
    /* Under the limit: nothing to do. */
    addKey(0, "c", -1);
    config.maxmemory = (long long)kvMemUsed() + 100000;
    TEST_CHECK(evictPerform() == EVICT_OK);
    config.maxmemory = 0;
    TEST_CHECK(exists(0, "c"));
}

static void testGhostsAreSkipped(void) {
    resetDbs(MAXMEMORY_ALLKEYS_LRU);
    addKey(0, "g1", -1);
    addKey(0, "g2", -1);
    uint32_t now = serverLruClock();
    dbFindRaw(dbGet(0), "g1", 2)->lru = now - 100;
    dbFindRaw(dbGet(0), "g2", 2)->lru = now - 50;
    /* Fill the pool with both, then delete the best one behind its back. */
    config.maxmemorySamples = 100;
    TEST_CHECK(evictOne() == EVICT_OK); /* g1 goes, g2 stays pooled */
    TEST_CHECK(!exists(0, "g1") && exists(0, "g2"));
    dbDelete(dbGet(0), "g2", 2);
    addKey(0, "g3", -1);
    TEST_CHECK(evictOne() == EVICT_OK); /* g2 is a ghost: g3 is taken */
    TEST_CHECK(!exists(0, "g3"));
}

int main(void) {
    configInitDefaults();
    serverUpdateTime();
    dbInitAll(16);
    propagateAddSink(sink);
    TEST_RUN(testPoolOrder);
    TEST_RUN(testPoolFullDropsWorst);
    TEST_RUN(testPoolRescoresDuplicates);
    TEST_RUN(testPoolLongKeys);
    TEST_RUN(testTimeLimit);
    TEST_RUN(testAllkeysLru);
    TEST_RUN(testAllkeysLfu);
    TEST_RUN(testVolatileTtl);
    TEST_RUN(testVolatileLruAndRandom);
    TEST_RUN(testAllkeysRandomAndNoeviction);
    TEST_RUN(testGhostsAreSkipped);
    return TEST_REPORT();
}
