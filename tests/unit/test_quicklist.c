/* test_quicklist.c — unit tests of the quicklist (kvd/quicklist.c) against a
 * model: an array of strings that every operation is applied to as well.
 * Random operations run with many fill and compression settings, with
 * element sizes chosen so that nodes fill up, split, merge and compress;
 * after every step the list's invariants (quicklistCheck) hold and its
 * contents, read forward, backward and by index, equal the model's. */
#include "quicklist.h"

#include "listpack.h"
#include "mem.h"
#include "numconv.h"
#include "testhelp.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The model
 * ---------------------------------------------------------------------- */

typedef struct Elem {
    char *s;
    size_t len;
} Elem;

typedef struct Model {
    Elem *v;
    size_t n, cap;
} Model;

static void modelInsert(Model *m, size_t at, const char *s, size_t len) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = realloc(m->v, m->cap * sizeof(Elem));
    }
    memmove(m->v + at + 1, m->v + at, (m->n - at) * sizeof(Elem));
    m->v[at].s = malloc(len ? len : 1);
    memcpy(m->v[at].s, s, len);
    m->v[at].len = len;
    m->n++;
}

static void modelDelete(Model *m, size_t at, size_t num) {
    for (size_t i = at; i < at + num; i++) free(m->v[i].s);
    memmove(m->v + at, m->v + at + num, (m->n - at - num) * sizeof(Elem));
    m->n -= num;
}

static void modelFree(Model *m) {
    modelDelete(m, 0, m->n);
    free(m->v);
    memset(m, 0, sizeof(*m));
}

/* True when the entry holds the same bytes as the model element. */
static bool entryEquals(const QuicklistEntry *e, const Elem *x) {
    if (e->value) return e->sz == x->len && memcmp(e->value, x->s, x->len) == 0;
    char buf[LONG_STR_SIZE];
    int n = llToStr(buf, sizeof(buf), e->longval);
    return (size_t)n == x->len && memcmp(buf, x->s, x->len) == 0;
}

/* ------------------------------------------------------------------------
 * Random values
 * ---------------------------------------------------------------------- */

static unsigned long long rngState = 88172645463325252ULL;

static unsigned long long rnd(void) {
    rngState ^= rngState << 13;
    rngState ^= rngState >> 7;
    rngState ^= rngState << 17;
    return rngState;
}

static size_t rndBelow(size_t n) {
    return n ? (size_t)(rnd() % n) : 0;
}

/* A value: an integer, a short string, a compressible or random long one. */
static size_t randomValue(char *buf, size_t cap, size_t maxLong) {
    switch (rnd() % 6) {
        case 0: return (size_t)llToStr(buf, cap, (long long)(rnd() % 2000) - 1000);
        case 1: return (size_t)llToStr(buf, cap, (long long)rnd());
        case 2: {
            size_t len = rndBelow(12);
            for (size_t i = 0; i < len; i++) buf[i] = (char)('a' + rnd() % 26);
            return len;
        }
        case 3: {
            size_t len = rndBelow(maxLong);
            for (size_t i = 0; i < len; i++) buf[i] = (char)('a' + (i / 7) % 3); /* compresses */
            return len;
        }
        case 4: {
            size_t len = rndBelow(maxLong);
            for (size_t i = 0; i < len; i++) buf[i] = (char)rnd();
            return len;
        }
        default: return (size_t)snprintf(buf, cap, "0%d", (int)(rnd() % 100)); /* not an int */
    }
}

/* ------------------------------------------------------------------------
 * Comparison
 * ---------------------------------------------------------------------- */

static bool sameAsModel(Quicklist *ql, const Model *m) {
    const char *why = NULL;
    if (!quicklistCheck(ql, &why)) {
        fprintf(stderr, "invariant: %s (fill %d compress %u len %u)\n", why, ql->fill, ql->compress,
                ql->len);
        if (getenv("QL_DUMP"))
            for (QuicklistNode *n = ql->head; n; n = n->next)
                fprintf(stderr, "   node count %u sz %u c %u nc %u busy %u\n", n->count, n->sz,
                        n->compressed, n->noCompress, n->recompress);
        return false;
    }
    if (quicklistCount(ql) != m->n) return false;
    QuicklistIter it;
    QuicklistEntry e;
    size_t i = 0;
    quicklistIterInit(&it, ql, QL_FORWARD);
    while (quicklistNext(&it, &e)) {
        if (i >= m->n || !entryEquals(&e, &m->v[i])) {
            quicklistIterEnd(&it);
            return false;
        }
        i++;
    }
    quicklistIterEnd(&it);
    if (i != m->n) return false;
    quicklistIterInit(&it, ql, QL_BACKWARD);
    while (quicklistNext(&it, &e)) {
        if (i == 0 || !entryEquals(&e, &m->v[i - 1])) {
            quicklistIterEnd(&it);
            return false;
        }
        i--;
    }
    quicklistIterEnd(&it);
    if (!quicklistCheck(ql, &why)) {
        fprintf(stderr, "invariant after iteration: %s\n", why);
        return false;
    }
    return i == 0;
}

/* ------------------------------------------------------------------------
 * Tests
 * ---------------------------------------------------------------------- */

static void testEmpty(void) {
    Quicklist *ql = quicklistCreate(-2, 0);
    QuicklistEntry e;
    QuicklistIter it;
    TEST_CHECK(quicklistCount(ql) == 0);
    TEST_CHECK(!quicklistPeek(ql, QL_HEAD, &e));
    TEST_CHECK(!quicklistDelEnd(ql, QL_TAIL));
    TEST_CHECK(!quicklistIterInitAtIndex(&it, ql, QL_FORWARD, 0));
    TEST_CHECK(!quicklistIterInitAtIndex(&it, ql, QL_FORWARD, -1));
    TEST_CHECK(!quicklistReplaceAtIndex(ql, 0, "x", 1));
    TEST_CHECK(quicklistDelRange(ql, 0, 10) == 0);
    quicklistIterInit(&it, ql, QL_FORWARD);
    TEST_CHECK(!quicklistNext(&it, &e));
    quicklistIterEnd(&it);
    TEST_CHECK(quicklistCheck(ql, NULL));
    quicklistRelease(ql);
}

static void testClampAndFill(void) {
    Quicklist *ql = quicklistCreate(-100, -3);
    TEST_CHECK(ql->fill == -5 && ql->compress == 0);
    quicklistSetOptions(ql, 100000, 100000);
    TEST_CHECK(ql->fill == QL_FILL_MAX && ql->compress == QL_COMPRESS_MAX);
    quicklistRelease(ql);

    /* Positive fill: exactly fill entries per node. */
    ql = quicklistCreate(4, 0);
    for (int i = 0; i < 10; i++) quicklistPush(ql, QL_TAIL, "ab", 2);
    TEST_CHECK(ql->len == 3 && ql->head->count == 4 && ql->tail->count == 2);
    quicklistRelease(ql);

    /* fill 0: one entry per node, as Redis. */
    ql = quicklistCreate(0, 0);
    for (int i = 0; i < 5; i++) quicklistPush(ql, QL_HEAD, "ab", 2);
    TEST_CHECK(ql->len == 5);
    quicklistRelease(ql);

    /* Size classes: -1 keeps each node's listpack within 4 KB. */
    ql = quicklistCreate(-1, 0);
    char big[100];
    memset(big, 'x', sizeof(big));
    for (int i = 0; i < 1000; i++) quicklistPush(ql, QL_TAIL, big, sizeof(big));
    bool within = true;
    for (QuicklistNode *n = ql->head; n; n = n->next) within = within && n->sz <= 4096;
    TEST_CHECK(within && ql->len > 20 && ql->len < 30);
    TEST_CHECK(quicklistCheck(ql, NULL));
    quicklistRelease(ql);

    /* An element larger than the limit gets a node of its own. */
    ql = quicklistCreate(-1, 0);
    char *huge = malloc(10000);
    memset(huge, 'y', 10000);
    quicklistPush(ql, QL_TAIL, "a", 1);
    quicklistPush(ql, QL_TAIL, huge, 10000);
    quicklistPush(ql, QL_TAIL, "b", 1);
    TEST_CHECK(ql->len == 3 && ql->count == 3);
    QuicklistEntry e;
    QuicklistIter it;
    TEST_CHECK(quicklistIterInitAtIndex(&it, ql, QL_FORWARD, 1));
    TEST_CHECK(quicklistNext(&it, &e) && e.sz == 10000 && e.value[9999] == 'y');
    quicklistIterEnd(&it);
    free(huge);
    quicklistRelease(ql);
}

static void testCompression(void) {
    Quicklist *ql = quicklistCreate(-1, 1);
    char v[200];
    memset(v, 'z', sizeof(v));
    for (int i = 0; i < 500; i++) quicklistPush(ql, QL_TAIL, v, sizeof(v));
    unsigned long compressed = 0;
    unsigned long long raw = 0;
    quicklistStats(ql, &compressed, &raw);
    TEST_CHECK(ql->len > 3 && compressed == ql->len - 2);
    TEST_CHECK(!ql->head->compressed && !ql->tail->compressed);
    TEST_CHECK(quicklistMemUsage(ql) < raw / 4);
    TEST_CHECK(quicklistCheck(ql, NULL));

    /* A copy holds the same entries, compressed the same way. */
    Quicklist *copy = quicklistDup(ql);
    unsigned long c2 = 0;
    unsigned long long r2 = 0;
    quicklistStats(copy, &c2, &r2);
    TEST_CHECK(c2 == compressed && r2 == raw && copy->count == ql->count);
    TEST_CHECK(quicklistCheck(copy, NULL));
    quicklistRelease(copy);

    /* A middle node's listpack, decompressed on demand. */
    bool mustFree = false;
    unsigned char *lp = quicklistNodeListpack(ql->head->next, &mustFree);
    TEST_CHECK(mustFree && lpBytes(lp) == ql->head->next->sz && lpValidate(lp, lpBytes(lp), true));
    if (mustFree) lpFree(lp);

    /* Turning compression off decompresses everything. */
    quicklistSetOptions(ql, -1, 0);
    quicklistStats(ql, &compressed, &raw);
    TEST_CHECK(compressed == 0);
    quicklistSetOptions(ql, -1, 2);
    quicklistStats(ql, &compressed, &raw);
    TEST_CHECK(compressed == ql->len - 4);
    TEST_CHECK(quicklistCheck(ql, NULL));
    quicklistRelease(ql);
}

static void testAppendListpack(void) {
    Quicklist *ql = quicklistCreate(-2, 1);
    for (int n = 0; n < 5; n++) {
        unsigned char *lp = lpNew(0);
        for (int i = 0; i < 100; i++) lp = lpAppend(lp, "hello world hello world", 23);
        TEST_CHECK(quicklistAppendListpack(ql, lp));
    }
    TEST_CHECK(quicklistAppendListpack(ql, lpNew(0))); /* empty: dropped */
    TEST_CHECK(ql->len == 5 && ql->count == 500);
    TEST_CHECK(quicklistCheck(ql, NULL));
    quicklistRelease(ql);
}

static void testIndexExtremes(void) {
    Quicklist *ql = quicklistCreate(3, 0);
    for (int i = 0; i < 10; i++) {
        char b[8];
        int n = llToStr(b, sizeof(b), i);
        quicklistPush(ql, QL_TAIL, b, (size_t)n);
    }
    QuicklistIter it;
    QuicklistEntry e;
    TEST_CHECK(!quicklistIterInitAtIndex(&it, ql, QL_FORWARD, 10));
    TEST_CHECK(!quicklistIterInitAtIndex(&it, ql, QL_FORWARD, -11));
    TEST_CHECK(
        !quicklistIterInitAtIndex(&it, ql, QL_FORWARD, (long long)(-9223372036854775807LL - 1)));
    TEST_CHECK(!quicklistIterInitAtIndex(&it, ql, QL_FORWARD, 9223372036854775807LL));
    TEST_CHECK(quicklistIterInitAtIndex(&it, ql, QL_BACKWARD, -10));
    TEST_CHECK(quicklistNext(&it, &e) && !e.value && e.longval == 0);
    TEST_CHECK(!quicklistNext(&it, &e));
    quicklistIterEnd(&it);
    TEST_CHECK(quicklistIterInitAtIndex(&it, ql, QL_FORWARD, -1));
    TEST_CHECK(quicklistNext(&it, &e) && e.longval == 9);
    quicklistIterEnd(&it);
    TEST_CHECK(quicklistDelRange(ql, -3, 100) == 3 && ql->count == 7);
    TEST_CHECK(quicklistDelRange(ql, 7, 1) == 0);
    TEST_CHECK(quicklistDelRange(ql, 1, 5) == 5 && ql->count == 2);
    TEST_CHECK(quicklistCheck(ql, NULL));
    quicklistRelease(ql);
}

/* One random operation on both the list and the model. */
static unsigned lastOp;
static void randomStep(Quicklist *ql, Model *m, size_t maxLong) {
    static char buf[20000];
    size_t len;
    unsigned op = (unsigned)(rnd() % 100);
    lastOp = op;
    if (op < 30) {
        len = randomValue(buf, sizeof(buf), maxLong);
        bool head = rnd() & 1;
        quicklistPush(ql, head ? QL_HEAD : QL_TAIL, buf, len);
        modelInsert(m, head ? 0 : m->n, buf, len);
    } else if (op < 40) {
        bool head = rnd() & 1;
        QuicklistEntry e;
        bool have = quicklistPeek(ql, head ? QL_HEAD : QL_TAIL, &e);
        TEST_CHECK(have == (m->n > 0));
        if (have) {
            TEST_CHECK(entryEquals(&e, &m->v[head ? 0 : m->n - 1]));
            TEST_CHECK(quicklistDelEnd(ql, head ? QL_HEAD : QL_TAIL));
            modelDelete(m, head ? 0 : m->n - 1, 1);
        }
    } else if (op < 55 && m->n) {
        /* Insert before or after a random entry, reached from either end. */
        size_t at = rndBelow(m->n);
        bool after = rnd() & 1;
        int dir = (rnd() & 1) ? QL_FORWARD : QL_BACKWARD;
        long long idx = (rnd() & 1) ? (long long)at : (long long)at - (long long)m->n;
        QuicklistIter it;
        QuicklistEntry e;
        TEST_CHECK(quicklistIterInitAtIndex(&it, ql, dir, idx));
        TEST_CHECK(quicklistNext(&it, &e) && entryEquals(&e, &m->v[at]));
        len = randomValue(buf, sizeof(buf), maxLong);
        quicklistInsertAt(&it, &e, after, buf, len);
        quicklistIterEnd(&it);
        modelInsert(m, at + (after ? 1 : 0), buf, len);
    } else if (op < 65 && m->n) {
        size_t at = rndBelow(m->n);
        len = randomValue(buf, sizeof(buf), maxLong);
        TEST_CHECK(quicklistReplaceAtIndex(ql, (long long)at, buf, len));
        free(m->v[at].s);
        m->v[at].s = malloc(len ? len : 1);
        memcpy(m->v[at].s, buf, len);
        m->v[at].len = len;
    } else if (op < 72 && m->n) {
        size_t at = rndBelow(m->n), num = rndBelow(m->n / 3 + 2);
        size_t expect = num > m->n - at ? m->n - at : num;
        long long start = (rnd() & 1) ? (long long)at : (long long)at - (long long)m->n;
        TEST_CHECK(quicklistDelRange(ql, start, num) == expect);
        modelDelete(m, at, expect);
    } else if (op < 82 && m->n) {
        /* LREM-like: delete every entry whose first byte matches, walking in
         * either direction, possibly stopping after a few. */
        int dir = (rnd() & 1) ? QL_FORWARD : QL_BACKWARD;
        const Elem *pick = &m->v[rndBelow(m->n)];
        char first = pick->len ? pick->s[0] : 'a';
        size_t limit = (rnd() & 1) ? (size_t)-1 : rndBelow(5) + 1, removed = 0;
        QuicklistIter it;
        QuicklistEntry e;
        quicklistIterInit(&it, ql, dir);
        size_t pos = dir == QL_FORWARD ? 0 : m->n; /* model position (next, or one past) */
        while (removed < limit && quicklistNext(&it, &e)) {
            size_t at = dir == QL_FORWARD ? pos : pos - 1;
            TEST_CHECK(entryEquals(&e, &m->v[at]));
            if (m->v[at].len && m->v[at].s[0] == first) {
                quicklistDelEntry(&it, &e);
                modelDelete(m, at, 1);
                removed++;
                if (dir == QL_BACKWARD) pos--;
            } else {
                pos = dir == QL_FORWARD ? pos + 1 : pos - 1;
            }
        }
        quicklistIterEnd(&it);
    } else if (op < 88 && m->n) {
        /* Read a range from an index, as LRANGE does. */
        size_t at = rndBelow(m->n), num = rndBelow(50);
        QuicklistIter it;
        QuicklistEntry e;
        TEST_CHECK(quicklistIterInitAtIndex(&it, ql, QL_FORWARD, (long long)at));
        for (size_t i = at; i < m->n && i < at + num; i++)
            TEST_CHECK(quicklistNext(&it, &e) && entryEquals(&e, &m->v[i]));
        quicklistIterEnd(&it);
    } else if (op < 90) {
        Quicklist *copy = quicklistDup(ql);
        TEST_CHECK(sameAsModel(copy, m));
        quicklistRelease(copy);
    } else if (op < 91) {
        int fill = (int)(rnd() % 12) - 5; /* -5 .. 6 */
        quicklistSetOptions(ql, fill == 0 ? 1 : fill, (int)(rnd() % 4));
    } else if (op < 93 && m->n > 200) {
        /* Trim to a window, as LTRIM does. */
        size_t keep = rndBelow(m->n / 2) + 1, start = rndBelow(m->n - keep);
        TEST_CHECK(quicklistDelRange(ql, 0, start) == start);
        modelDelete(m, 0, start);
        size_t tail = m->n - keep;
        TEST_CHECK(quicklistDelRange(ql, -(long long)tail, tail) == tail);
        modelDelete(m, keep, tail);
    } else {
        len = randomValue(buf, sizeof(buf), maxLong);
        quicklistPush(ql, QL_TAIL, buf, len);
        modelInsert(m, m->n, buf, len);
    }
}

static void testRandomAgainstModel(void) {
    const int fills[] = {-1, -2, -3, -4, -5, 1, 2, 3, 4, 7, 32, 128, 0};
    const size_t maxLongs[] = {40, 400, 5000};
    int failures = 0;
    for (size_t f = 0; f < sizeof(fills) / sizeof(*fills); f++) {
        for (int depth = 0; depth <= 3; depth++) {
            for (size_t ml = 0; ml < 3; ml++) {
                Quicklist *ql = quicklistCreate(fills[f], depth);
                Model m = {0};
                int steps = fills[f] == 0 ? 300 : 1500;
                for (int i = 0; i < steps && failures < 5; i++) {
                    randomStep(ql, &m, maxLongs[ml]);
                    if (getenv("QL_EVERY") || i % 50 == 49 || i == steps - 1) {
                        bool same = sameAsModel(ql, &m);
                        TEST_CHECK(same);
                        if (!same) {
                            fprintf(stderr, "  op %u fill %d depth %d maxlong %zu step %d\n",
                                    lastOp, fills[f], depth, maxLongs[ml], i);
                            failures++;
                        }
                    }
                }
                quicklistRelease(ql);
                modelFree(&m);
            }
        }
    }
}

/* Plain nodes: with a small packed threshold, large elements get nodes of
 * their own, and the random operations (push/pop/insert/replace/delete/
 * iterate/dup/compress) cross the boundary in both directions. */
static void testPlainRandomAgainstModel(void) {
    const int fills[] = {-2, -1, 3, 128, 0};
    const size_t thresholds[] = {1, 20, 100, 1000};
    int failures = 0;
    for (size_t t = 0; t < sizeof(thresholds) / sizeof(*thresholds); t++) {
        TEST_CHECK(quicklistSetPackedThreshold(thresholds[t]));
        for (size_t f = 0; f < sizeof(fills) / sizeof(*fills); f++) {
            for (int depth = 0; depth <= 2; depth++) {
                Quicklist *ql = quicklistCreate(fills[f], depth);
                Model m = {0};
                unsigned long plainSeen = 0;
                for (int i = 0; i < 1200 && failures < 5; i++) {
                    randomStep(ql, &m, thresholds[t] * 3 + 10);
                    for (QuicklistNode *n = ql->head; n; n = n->next) plainSeen += n->plain;
                    if (getenv("QL_EVERY") || i % 40 == 39 || i == 1199) {
                        bool same = sameAsModel(ql, &m);
                        TEST_CHECK(same);
                        if (!same) {
                            fprintf(stderr, "  op %u fill %d depth %d threshold %zu step %d\n",
                                    lastOp, fills[f], depth, thresholds[t], i);
                            failures++;
                        }
                    }
                }
                TEST_CHECK(plainSeen > 0);
                quicklistRelease(ql);
                modelFree(&m);
            }
        }
    }
    TEST_CHECK(quicklistSetPackedThreshold(0));
    TEST_CHECK(quicklistPackedThreshold() == QL_DEFAULT_PACKED_THRESHOLD);
}

/* The node layout around plain nodes, and the threshold's bounds. */
static void testPlainNodes(void) {
    TEST_CHECK(!quicklistSetPackedThreshold((1ULL << 32) - (1ULL << 20) + 1));
    TEST_CHECK(!quicklistSetPackedThreshold(1ULL << 32));
    TEST_CHECK(quicklistPackedThreshold() == QL_DEFAULT_PACKED_THRESHOLD);
    TEST_CHECK(quicklistSetPackedThreshold((1ULL << 32) - (1ULL << 20)));
    TEST_CHECK(quicklistSetPackedThreshold(10));
    Quicklist *ql = quicklistCreate(-2, 0);
    char big[32];
    memset(big, 'x', sizeof(big));
    quicklistPush(ql, QL_TAIL, "a", 1);
    quicklistPush(ql, QL_TAIL, "b", 1);
    quicklistPush(ql, QL_TAIL, big, 10); /* exactly the threshold: plain */
    quicklistPush(ql, QL_TAIL, "c", 1);
    quicklistPush(ql, QL_HEAD, big, 20);
    /* [big20] [a b] [big10] [c] */
    TEST_CHECK(ql->len == 4 && ql->count == 5);
    TEST_CHECK(ql->head->plain && ql->head->sz == 20 && ql->head->count == 1);
    TEST_CHECK(!ql->head->next->plain && ql->head->next->count == 2);
    TEST_CHECK(ql->tail->prev->plain && !ql->tail->plain);
    /* A "12345678901" of 11 bytes is large: stored as the string. */
    quicklistPush(ql, QL_TAIL, "12345678901", 11);
    QuicklistEntry e;
    TEST_CHECK(quicklistPeek(ql, QL_TAIL, &e) && e.value && e.sz == 11 && !e.lpEntry);
    TEST_CHECK(quicklistEntryEquals(&e, "12345678901", 11));
    TEST_CHECK(!quicklistEntryEquals(&e, "1234567890", 10));
    /* A small value replacing a plain one joins a packed node again; a
     * large one replacing a packed entry splits it around a plain node. */
    /* (a node of its own after [c], as Redis's insert-after does) */
    TEST_CHECK(quicklistReplaceAtIndex(ql, -1, "d", 1));
    TEST_CHECK(ql->len == 5 && ql->tail->count == 1 && !ql->tail->plain);
    TEST_CHECK(quicklistReplaceAtIndex(ql, 0, "z", 1)); /* [z a b] */
    TEST_CHECK(!ql->head->plain && ql->head->count == 3);
    TEST_CHECK(quicklistReplaceAtIndex(ql, 1, big, 15)); /* [z] [big15] [b] */
    TEST_CHECK(ql->head->count == 1 && ql->head->next->plain && ql->head->next->sz == 15);
    TEST_CHECK(!ql->head->next->next->plain && ql->head->next->next->count == 1);
    TEST_CHECK(quicklistReplaceAtIndex(ql, 1, big, 25)); /* plain for plain */
    TEST_CHECK(ql->head->next->plain && ql->head->next->sz == 25);
    TEST_CHECK(quicklistCheck(ql, NULL));
    /* Plain nodes never merge with their neighbours. */
    QuicklistIter it;
    TEST_CHECK(quicklistIterInitAtIndex(&it, ql, QL_FORWARD, 1));
    TEST_CHECK(quicklistNext(&it, &e) && e.sz == 25);
    quicklistInsertAt(&it, &e, true, "y", 1);
    quicklistIterEnd(&it);
    TEST_CHECK(ql->head->next->plain && ql->head->next->next->count == 2);
    /* Appending a loaded plain node keeps it plain whatever its size. */
    unsigned char *data = kvMalloc(3);
    memcpy(data, "abc", 3);
    quicklistAppendPlain(ql, data, 3);
    TEST_CHECK(ql->tail->plain && ql->tail->sz == 3);
    TEST_CHECK(quicklistPeek(ql, QL_TAIL, &e) && e.sz == 3 && memcmp(e.value, "abc", 3) == 0);
    TEST_CHECK(quicklistCheck(ql, NULL));
    /* Compression covers plain nodes too. */
    quicklistRelease(ql);
    ql = quicklistCreate(-2, 1);
    static char huge[4000];
    memset(huge, 'q', sizeof(huge));
    for (int i = 0; i < 6; i++) quicklistPush(ql, QL_TAIL, huge, sizeof(huge));
    unsigned long compressed;
    unsigned long long raw;
    quicklistStats(ql, &compressed, &raw);
    TEST_CHECK(ql->len == 6 && compressed == 4 && raw == 6 * sizeof(huge));
    TEST_CHECK(quicklistMemUsage(ql) < sizeof(huge) * 3);
    TEST_CHECK(quicklistIterInitAtIndex(&it, ql, QL_FORWARD, 3));
    TEST_CHECK(quicklistNext(&it, &e) && e.sz == sizeof(huge) && e.value[3999] == 'q');
    quicklistIterEnd(&it);
    TEST_CHECK(quicklistCheck(ql, NULL));
    TEST_CHECK(quicklistDelRange(ql, 1, 4) == 4 && ql->len == 2 && ql->count == 2);
    TEST_CHECK(quicklistCheck(ql, NULL));
    quicklistRelease(ql);
    TEST_CHECK(quicklistSetPackedThreshold(0));
}

static void testManyElements(void) {
    /* 200k small integers at -2: tens of nodes, O(1) pushes and pops. */
    Quicklist *ql = quicklistCreate(-2, 0);
    for (long long i = 0; i < 200000; i++) {
        char b[24];
        int n = llToStr(b, sizeof(b), i);
        quicklistPush(ql, QL_TAIL, b, (size_t)n);
    }
    TEST_CHECK(ql->count == 200000 && ql->len > 50 && ql->len < 200);
    QuicklistIter it;
    QuicklistEntry e;
    TEST_CHECK(quicklistIterInitAtIndex(&it, ql, QL_FORWARD, 123456));
    TEST_CHECK(quicklistNext(&it, &e) && e.longval == 123456);
    quicklistIterEnd(&it);
    for (int i = 0; i < 100000; i++) quicklistDelEnd(ql, QL_HEAD);
    TEST_CHECK(quicklistPeek(ql, QL_HEAD, &e) && e.longval == 100000);
    TEST_CHECK(quicklistCheck(ql, NULL));
    quicklistRelease(ql);
}

int main(void) {
    TEST_RUN(testEmpty);
    TEST_RUN(testClampAndFill);
    TEST_RUN(testCompression);
    TEST_RUN(testAppendListpack);
    TEST_RUN(testIndexExtremes);
    TEST_RUN(testRandomAgainstModel);
    TEST_RUN(testPlainNodes);
    TEST_RUN(testPlainRandomAgainstModel);
    TEST_RUN(testManyElements);
    return TEST_REPORT();
}
