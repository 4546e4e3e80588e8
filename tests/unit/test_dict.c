/* test_dict.c — unit tests of common/dict: the intrusive chained hash table
 * with incremental rehashing.
 *
 * The table is checked against a simple model (an array of "is key i
 * present" flags) under random inserts, deletes and lookups across many grow
 * and shrink rehashes; then the safe iterator (deleting while iterating),
 * dictReplaceEntry, dictRandomEntry, and the SCAN guarantee: every key
 * present for the whole scan is returned at least once even when the table
 * grows, shrinks or is mid-rehash between dictScan calls.
 *
 * Entries are a small intrusive struct (DictLink first, then the key bytes);
 * the test counts frees to check that the table frees exactly what it owns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "hash.h"
#include "mem.h"
#include "testhelp.h"

/* ---- the entry type ---- */

typedef struct TestEntry {
    DictLink link; /* must stay first: the table stores &link */
    int id;        /* index in the model */
    size_t len;
    char key[24];
} TestEntry;

static long entriesFreed = 0;

static const void *testEntryKey(const DictLink *e, size_t *len) {
    const TestEntry *te = (const TestEntry *)e;
    *len = te->len;
    return te->key;
}

static void testEntryFree(DictLink *e) {
    entriesFreed++;
    kvFree(e);
}

static const DictType testType = {hashBytes, testEntryKey, NULL, testEntryFree};

/* Key text for model index i; prefix tells apart key families. */
static size_t keyFor(char *buf, char prefix, int i) {
    return (size_t)snprintf(buf, 24, "%c:%d", prefix, i);
}

static TestEntry *entryNew(char prefix, int i) {
    TestEntry *e = kvCalloc(sizeof(*e));
    e->id = i;
    e->len = keyFor(e->key, prefix, i);
    return e;
}

static TestEntry *findKey(Dict *d, char prefix, int i) {
    char buf[24];
    size_t len = keyFor(buf, prefix, i);
    return (TestEntry *)dictFind(d, buf, len);
}

static bool deleteKey(Dict *d, char prefix, int i) {
    char buf[24];
    size_t len = keyFor(buf, prefix, i);
    return dictDelete(d, buf, len);
}

/* Counts entries by walking an unsafe iterator; checks each is findable. */
static size_t countByIteration(Dict *d, bool *allFindable) {
    DictIter it;
    size_t n = 0;
    *allFindable = true;
    dictIterInit(&it, d, false);
    DictLink *l;
    while ((l = dictIterNext(&it)) != NULL) {
        TestEntry *e = (TestEntry *)l;
        if (dictFind(d, e->key, e->len) != l) *allFindable = false;
        n++;
    }
    dictIterRelease(&it);
    return n;
}

/* ---- random operations against the model ---- */

#define MODEL_KEYS 4000

static void testRandomOpsAgainstModel(void) {
    static bool present[MODEL_KEYS];
    memset(present, 0, sizeof(present));
    Dict *d = dictCreate(&testType);
    size_t modelCount = 0;
    long mismatches = 0, grows = 0, shrinks = 0;
    size_t lastSize = 0;
    entriesFreed = 0;
    long inserted = 0;

    srandom(1234);
    /* Phases alternate between insert-heavy and delete-heavy so that the
     * table grows large and then shrinks back, many times. */
    for (int phase = 0; phase < 24; phase++) {
        int insertPercent = (phase % 2 == 0) ? 80 : 2;
        int deletePercent = (phase % 2 == 0) ? 10 : 78;
        for (int op = 0; op < 20000; op++) {
            int i = (int)(random() % MODEL_KEYS);
            int r = (int)(random() % 100);
            if (r < insertPercent) {
                TestEntry *e = entryNew('k', i);
                DictLink *existing = dictAddIfAbsent(d, &e->link);
                if (present[i]) {
                    if (existing == NULL || ((TestEntry *)existing)->id != i) mismatches++;
                    kvFree(e);
                } else {
                    if (existing != NULL) mismatches++;
                    present[i] = true;
                    modelCount++;
                    inserted++;
                }
            } else if (r < insertPercent + deletePercent) {
                bool deleted = deleteKey(d, 'k', i);
                if (deleted != present[i]) mismatches++;
                if (present[i]) modelCount--;
                present[i] = false;
            } else {
                TestEntry *e = findKey(d, 'k', i);
                if ((e != NULL) != present[i]) mismatches++;
                if (e && e->id != i) mismatches++;
            }
            if (op % 64 == 0) dictShrinkIfSparse(d);
            size_t size = d->size[0];
            if (!dictIsRehashing(d) && size != lastSize) {
                if (size > lastSize)
                    grows++;
                else
                    shrinks++;
                lastSize = size;
            }
            if (dictSize(d) != modelCount) mismatches++;
        }
    }
    TEST_CHECK(mismatches == 0);
    TEST_CHECK(grows >= 10);
    TEST_CHECK(shrinks >= 5);
    TEST_CHECK(dictSize(d) == modelCount);

    /* Every model key is found; iteration sees exactly the model. */
    size_t found = 0;
    for (int i = 0; i < MODEL_KEYS; i++) {
        TestEntry *e = findKey(d, 'k', i);
        if ((e != NULL) != present[i]) mismatches++;
        if (e) found++;
    }
    TEST_CHECK(mismatches == 0);
    TEST_CHECK(found == modelCount);
    bool allFindable;
    TEST_CHECK(countByIteration(d, &allFindable) == modelCount);
    TEST_CHECK(allFindable);

    /* The table freed every deleted entry, and release frees the rest. */
    TEST_CHECK((long)modelCount + entriesFreed == inserted);
    dictRelease(d);
    TEST_CHECK(entriesFreed == inserted);
}

/* Lookups and deletes keep working at every point of a rehash. */
static void testOperationsDuringRehash(void) {
    Dict *d = dictCreate(&testType);
    for (int i = 0; i < 1024; i++) dictAddUnique(d, &entryNew('r', i)->link);
    while (dictRehash(d, 100)) {
    }
    TEST_CHECK(d->size[0] == 1024);
    /* 1024 entries in 1024 buckets: the next insert starts a grow. */
    dictAddUnique(d, &entryNew('r', 1024)->link);
    TEST_CHECK(dictIsRehashing(d));
    int steps = 0, missing = 0;
    while (dictIsRehashing(d) && steps < 100000) {
        for (int i = 0; i <= 1024; i += 97)
            if (!findKey(d, 'r', i)) missing++;
        dictRehash(d, 1);
        steps++;
    }
    TEST_CHECK(!dictIsRehashing(d));
    TEST_CHECK(missing == 0);
    TEST_CHECK(d->size[0] == 2048);

    /* Delete 95%, shrink, and keep deleting/finding while it rehashes. */
    for (int i = 0; i < 980; i++) TEST_CHECK(deleteKey(d, 'r', i));
    TEST_CHECK(dictShrinkIfSparse(d));
    TEST_CHECK(dictIsRehashing(d));
    int wrong = 0;
    for (int i = 980; i <= 1024; i++) {
        if (!findKey(d, 'r', i)) wrong++;
        if (deleteKey(d, 'r', i - 980 + 0)) wrong++; /* already deleted */
    }
    TEST_CHECK(wrong == 0);
    while (dictRehash(d, 10)) {
    }
    TEST_CHECK(d->size[0] < 2048);
    TEST_CHECK(dictSize(d) == 45);
    bool allFindable;
    TEST_CHECK(countByIteration(d, &allFindable) == 45 && allFindable);
    dictRelease(d);
}

/* ---- safe iterator ---- */

static void testSafeIteratorDeletes(void) {
    Dict *d = dictCreate(&testType);
    enum { N = 3000 };
    static int seen[N];
    memset(seen, 0, sizeof(seen));
    for (int i = 0; i < N; i++) dictAddUnique(d, &entryNew('i', i)->link);
    /* Make sure the iteration also covers a table in the middle of a
     * rehash (both tables populated). */
    dictExpand(d, 4 * N);
    dictRehash(d, 100);
    bool wasRehashing = dictIsRehashing(d);
    TEST_CHECK(wasRehashing);

    DictIter it;
    dictIterInit(&it, d, true);
    TEST_CHECK(d->pauseRehash > 0);
    DictLink *l;
    int visited = 0;
    while ((l = dictIterNext(&it)) != NULL) {
        TestEntry *e = (TestEntry *)l;
        seen[e->id]++;
        visited++;
        /* Delete the current entry for even ids: allowed with a safe
         * iterator, and lookups done meanwhile must not move buckets. */
        if (e->id % 2 == 0) {
            char key[24];
            size_t len = e->len;
            memcpy(key, e->key, len);
            TEST_CHECK(dictDelete(d, key, len));
        }
        findKey(d, 'i', (visited * 7) % N);
    }
    dictIterRelease(&it);
    TEST_CHECK(d->pauseRehash == 0);
    TEST_CHECK(visited == N);
    int twice = 0;
    for (int i = 0; i < N; i++)
        if (seen[i] != 1) twice++;
    TEST_CHECK(twice == 0);
    TEST_CHECK(dictSize(d) == N / 2);
    int wrong = 0;
    for (int i = 0; i < N; i++)
        if ((findKey(d, 'i', i) != NULL) != (i % 2 == 1)) wrong++;
    TEST_CHECK(wrong == 0);
    dictRelease(d);
}

/* ---- dictReplaceEntry ---- */

static void testReplaceEntry(void) {
    Dict *d = dictCreate(&testType);
    for (int i = 0; i < 200; i++) dictAddUnique(d, &entryNew('p', i)->link);
    /* Replace every entry with a copy: some while the table rehashes. */
    dictExpand(d, 1000);
    int failures = 0;
    for (int i = 0; i < 200; i++) {
        TestEntry *old = findKey(d, 'p', i);
        if (!old) {
            failures++;
            continue;
        }
        TestEntry *repl = entryNew('p', i);
        repl->id = 10000 + i;
        if (!dictReplaceEntry(d, &old->link, &repl->link)) failures++;
        kvFree(old); /* no longer in the table */
        TestEntry *now = findKey(d, 'p', i);
        if (now != repl) failures++;
        if (i % 50 == 0) dictRehash(d, 3);
    }
    TEST_CHECK(failures == 0);
    TEST_CHECK(dictSize(d) == 200);
    /* Every entry is now the replacement, and iteration agrees. */
    DictIter it;
    dictIterInit(&it, d, false);
    DictLink *l;
    int n = 0, bad = 0;
    while ((l = dictIterNext(&it)) != NULL) {
        n++;
        if (((TestEntry *)l)->id < 10000) bad++;
    }
    dictIterRelease(&it);
    TEST_CHECK(n == 200 && bad == 0);
    /* An entry that is not in the table is refused. */
    TestEntry *stranger = entryNew('p', 5);
    TestEntry *other = entryNew('p', 5);
    TEST_CHECK(!dictReplaceEntry(d, &stranger->link, &other->link));
    kvFree(stranger);
    kvFree(other);
    dictRelease(d);
}

/* ---- dictRandomEntry ---- */

static void testRandomEntry(void) {
    Dict *d = dictCreate(&testType);
    TEST_CHECK(dictRandomEntry(d) == NULL);
    enum { N = 500 };
    static int hits[N];
    memset(hits, 0, sizeof(hits));
    for (int i = 0; i < N; i++) dictAddUnique(d, &entryNew('x', i)->link);
    int notMember = 0;
    for (int round = 0; round < 4000; round++) {
        /* Half the draws happen while the table is rehashing. */
        if (round == 2000) {
            dictExpand(d, 8 * N);
            TEST_CHECK(dictIsRehashing(d));
        }
        DictLink *l = dictRandomEntry(d);
        if (!l) {
            notMember++;
            continue;
        }
        TestEntry *e = (TestEntry *)l;
        if (e->id < 0 || e->id >= N || findKey(d, 'x', e->id) != e) {
            notMember++;
            continue;
        }
        hits[e->id]++;
    }
    TEST_CHECK(notMember == 0);
    int covered = 0;
    for (int i = 0; i < N; i++)
        if (hits[i]) covered++;
    /* 4000 draws over 500 keys cover ~99.9% if uniform; 80% is lenient. */
    TEST_CHECK(covered > N * 8 / 10);

    /* A single entry is always the one returned. */
    Dict *one = dictCreate(&testType);
    TestEntry *only = entryNew('o', 1);
    dictAddUnique(one, &only->link);
    TEST_CHECK(dictRandomEntry(one) == &only->link);
    dictRelease(one);
    dictRelease(d);
}

/* ---- SCAN guarantee ---- */

typedef struct ScanSeen {
    int *stableSeen; /* per stable id */
    int stableCount;
    long other;
} ScanSeen;

static void scanCollect(void *priv, DictLink *l) {
    ScanSeen *s = priv;
    TestEntry *e = (TestEntry *)l;
    if (e->key[0] == 's' && e->id < s->stableCount)
        s->stableSeen[e->id]++;
    else
        s->other++;
}

enum { SCAN_GROW, SCAN_SHRINK, SCAN_MIXED };

/* Runs one full scan over `stable` permanent keys while the table changes
 * between calls according to `mode`. Returns the number of stable keys never
 * returned (must be 0); *calls receives the number of dictScan calls. */
static int scanWithChurn(int mode, int stable, unsigned seed, long *calls, int *sizesSeen) {
    Dict *d = dictCreate(&testType);
    int transientMax = 6000, nextTransient = 0, lowTransient = 0;
    int *seen = calloc((size_t)stable, sizeof(int));
    ScanSeen s = {seen, stable, 0};
    srandom(seed);
    for (int i = 0; i < stable; i++) dictAddUnique(d, &entryNew('s', i)->link);
    if (mode == SCAN_SHRINK) {
        for (; nextTransient < transientMax; nextTransient++)
            dictAddUnique(d, &entryNew('t', nextTransient)->link);
        while (dictRehash(d, 100)) {
        }
    }
    size_t lastSize = 0;
    int distinctSizes = 0;
    unsigned long cursor = 0;
    *calls = 0;
    do {
        cursor = dictScan(d, cursor, scanCollect, &s);
        (*calls)++;
        int r = (int)(random() % 100);
        int batch = 1 + (int)(random() % 40);
        bool grow = mode == SCAN_GROW || (mode == SCAN_MIXED && r < 50);
        if (grow && nextTransient < transientMax) {
            for (int k = 0; k < batch && nextTransient < transientMax; k++, nextTransient++)
                dictAddUnique(d, &entryNew('t', nextTransient)->link);
        } else if (!grow || nextTransient >= transientMax) {
            for (int k = 0; k < batch * 3 && lowTransient < nextTransient; k++, lowTransient++)
                deleteKey(d, 't', lowTransient);
            dictShrinkIfSparse(d);
        }
        /* Sometimes let the rehash progress a little, sometimes a lot, so
         * that scan calls land in every phase of it. */
        if (r % 3 == 0) dictRehash(d, 1 + (int)(random() % 8));
        if (d->size[0] != lastSize) {
            lastSize = d->size[0];
            distinctSizes++;
        }
    } while (cursor != 0 && *calls < 1000000);
    int missing = 0;
    for (int i = 0; i < stable; i++)
        if (seen[i] == 0) missing++;
    *sizesSeen = distinctSizes;
    free(seen);
    dictRelease(d);
    return missing;
}

static void testScanGuaranteeUnderRehash(void) {
    int modes[] = {SCAN_GROW, SCAN_SHRINK, SCAN_MIXED};
    int totalMissing = 0, endless = 0, unchanged = 0;
    for (int m = 0; m < 3; m++) {
        for (unsigned seed = 1; seed <= 12; seed++) {
            long calls;
            int sizes;
            int stable = 50 + (int)(seed * 37);
            totalMissing +=
                scanWithChurn(modes[m], stable, seed * 7919 + (unsigned)m, &calls, &sizes);
            if (calls >= 1000000) endless++;
            /* The scenario must really have resized the table. */
            if (sizes < 2) unchanged++;
        }
    }
    TEST_CHECK(totalMissing == 0);
    TEST_CHECK(endless == 0);
    TEST_CHECK(unchanged == 0);
}

/* Without changes, a scan returns every key exactly once. */
static void testScanStableTableExactlyOnce(void) {
    Dict *d = dictCreate(&testType);
    enum { N = 1000 };
    int *seen = calloc(N, sizeof(int));
    ScanSeen s = {seen, N, 0};
    for (int i = 0; i < N; i++) dictAddUnique(d, &entryNew('s', i)->link);
    while (dictRehash(d, 100)) {
    }
    unsigned long cursor = 0;
    long calls = 0;
    do {
        cursor = dictScan(d, cursor, scanCollect, &s);
        calls++;
    } while (cursor != 0 && calls < 100000);
    int wrong = 0;
    for (int i = 0; i < N; i++)
        if (seen[i] != 1) wrong++;
    TEST_CHECK(wrong == 0);
    TEST_CHECK(s.other == 0);
    TEST_CHECK(calls == (long)d->size[0]);
    /* An empty table's scan ends at once. */
    Dict *empty = dictCreate(&testType);
    TEST_CHECK(dictScan(empty, 0, scanCollect, &s) == 0);
    dictRelease(empty);
    free(seen);
    dictRelease(d);
}

/* A scan callback may unlink the entry it is given (active expiry does). */
typedef struct ScanDeleter {
    Dict *d;
    long deleted;
    long visited;
} ScanDeleter;

static void scanDeleteOdd(void *priv, DictLink *l) {
    ScanDeleter *sd = priv;
    TestEntry *e = (TestEntry *)l;
    sd->visited++;
    if (e->id % 2 == 1) {
        DictLink *u = dictUnlink(sd->d, e->key, e->len);
        if (u == l) {
            sd->deleted++;
            kvFree(u);
        }
    }
}

static void testScanCallbackMayDelete(void) {
    Dict *d = dictCreate(&testType);
    enum { N = 2000 };
    for (int i = 0; i < N; i++) dictAddUnique(d, &entryNew('s', i)->link);
    ScanDeleter sd = {d, 0, 0};
    unsigned long cursor = 0;
    long calls = 0;
    do {
        cursor = dictScan(d, cursor, scanDeleteOdd, &sd);
        calls++;
    } while (cursor != 0 && calls < 100000);
    TEST_CHECK(sd.deleted == N / 2);
    TEST_CHECK(sd.visited >= N);
    TEST_CHECK(dictSize(d) == N / 2);
    int wrong = 0;
    for (int i = 0; i < N; i++)
        if ((findKey(d, 's', i) != NULL) != (i % 2 == 0)) wrong++;
    TEST_CHECK(wrong == 0);
    dictRelease(d);
}

/* dictEmpty frees every entry and leaves a usable table. */
static void testEmptyAndReuse(void) {
    Dict *d = dictCreate(&testType);
    for (int i = 0; i < 777; i++) dictAddUnique(d, &entryNew('e', i)->link);
    entriesFreed = 0;
    dictEmpty(d);
    TEST_CHECK(entriesFreed == 777);
    TEST_CHECK(dictSize(d) == 0);
    TEST_CHECK(dictFind(d, "e:1", 3) == NULL);
    TEST_CHECK(!dictDelete(d, "e:1", 3));
    dictAddUnique(d, &entryNew('e', 1)->link);
    TEST_CHECK(findKey(d, 'e', 1) != NULL);
    TEST_CHECK(dictSize(d) == 1);
    dictRelease(d);
}

int main(void) {
    static const uint8_t seed[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    hashSetSeed(seed);
    TEST_RUN(testRandomOpsAgainstModel);
    TEST_RUN(testOperationsDuringRehash);
    TEST_RUN(testSafeIteratorDeletes);
    TEST_RUN(testReplaceEntry);
    TEST_RUN(testRandomEntry);
    TEST_RUN(testScanStableTableExactlyOnce);
    TEST_RUN(testScanGuaranteeUnderRehash);
    TEST_RUN(testScanCallbackMayDelete);
    TEST_RUN(testEmptyAndReuse);
    return TEST_REPORT();
}
