/* test_zset.c — unit tests of the sorted set structures: the skiplist +
 * member table of kvd/zskiplist.c and the encoding-independent Zset API of
 * kvd/t_zset.c (listpack and skiplist encodings, conversions), each checked
 * against a simple model — a sorted array of (score, member) — under long
 * seeded sequences of random inserts, score updates, deletes, rank lookups,
 * score/lex range searches and range deletions. Skiplist invariants (spans
 * that add up to ranks, backward links, the tail, the level count) are
 * verified after every batch. */
#include "config.h"
#include "listpack.h"
#include "t_zset.h"
#include "testhelp.h"
#include "zskiplist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The model
 * ---------------------------------------------------------------------- */

#define MAXM 24

typedef struct ModelElem {
    double score;
    char m[MAXM];
    size_t len;
} ModelElem;

typedef struct Model {
    ModelElem *e;
    size_t n, cap;
} Model;

static int modelCmp(const ModelElem *a, const ModelElem *b) {
    if (a->score != b->score) return a->score < b->score ? -1 : 1;
    return zslCompareMembers(a->m, a->len, b->m, b->len);
}

static long modelFind(const Model *md, const char *m, size_t len) {
    for (size_t i = 0; i < md->n; i++)
        if (md->e[i].len == len && memcmp(md->e[i].m, m, len) == 0) return (long)i;
    return -1;
}

static void modelRemoveAt(Model *md, size_t i) {
    memmove(&md->e[i], &md->e[i + 1], (md->n - i - 1) * sizeof(ModelElem));
    md->n--;
}

static void modelInsert(Model *md, double score, const char *m, size_t len) {
    if (md->n == md->cap) {
        md->cap = md->cap ? md->cap * 2 : 64;
        md->e = realloc(md->e, md->cap * sizeof(ModelElem));
    }
    ModelElem x;
    x.score = score;
    memcpy(x.m, m, len);
    x.len = len;
    size_t i = 0;
    while (i < md->n && modelCmp(&md->e[i], &x) < 0) i++;
    memmove(&md->e[i + 1], &md->e[i], (md->n - i) * sizeof(ModelElem));
    md->e[i] = x;
    md->n++;
}

static void modelFree(Model *md) {
    free(md->e);
    md->e = NULL;
    md->n = md->cap = 0;
}

static unsigned long long rngState = 88172645463325252ULL;

static unsigned long long rng(void) {
    rngState ^= rngState << 13;
    rngState ^= rngState >> 7;
    rngState ^= rngState << 17;
    return rngState;
}

/* Members from a small pool, so that the same ones come back; some look
 * like integers (stored as integers in listpacks). */
static size_t randomMember(char *buf) {
    static const char *const pool[] = {"a",  "b",  "c",  "aa",    "ab",  "",
                                       "0",  "1",  "-1", "10",    "9",   "123456789",
                                       "-0", "01", "zz", "m\x01", "\xff"};
    unsigned long long r = rng() % 3;
    if (r == 0) {
        const char *p = pool[rng() % (sizeof(pool) / sizeof(pool[0]))];
        size_t len = strlen(p);
        memcpy(buf, p, len);
        return len;
    }
    if (r == 1) return (size_t)snprintf(buf, MAXM, "%llu", rng() % 500);
    return (size_t)snprintf(buf, MAXM, "m%llu", rng() % 300);
}

/* Scores with many ties and some special values. */
static double randomScore(void) {
    switch (rng() % 8) {
        case 0: return (double)(long long)(rng() % 10) - 5;
        case 1: return (double)(rng() % 1000) / 8.0;
        case 2: return rng() % 2 ? INFINITY : -INFINITY;
        case 3: return rng() % 2 ? 0.0 : -0.0;
        case 4: return 0.1 * (double)(rng() % 7);
        case 5: return 1e17 * (double)(rng() % 3);
        default: return (double)(rng() % 20);
    }
}

static void randomRange(ZRangeSpec *r) {
    r->min = randomScore();
    r->max = rng() % 4 ? r->min + (double)(rng() % 30) : randomScore();
    r->minex = rng() % 3 == 0;
    r->maxex = rng() % 3 == 0;
}

static char lexBufMin[MAXM], lexBufMax[MAXM];

static void randomLexBound(ZLexBound *b, char *buf) {
    unsigned long long r = rng() % 10;
    b->p = NULL;
    b->len = 0;
    if (r == 0) {
        b->kind = ZLEX_MINUS_INF;
        b->exclusive = true;
    } else if (r == 1) {
        b->kind = ZLEX_PLUS_INF;
        b->exclusive = true;
    } else {
        b->kind = ZLEX_VALUE;
        b->exclusive = rng() % 2;
        b->len = randomMember(buf);
        b->p = buf;
    }
}

static void randomLexRange(ZLexRangeSpec *r) {
    randomLexBound(&r->min, lexBufMin);
    randomLexBound(&r->max, lexBufMax);
}

static bool modelInRange(const ModelElem *e, const ZRangeSpec *r) {
    return zslValueGteMin(e->score, r) && zslValueLteMax(e->score, r);
}

static bool modelInLex(const ModelElem *e, const ZLexRangeSpec *r) {
    return zslLexGteMin(e->m, e->len, r) && zslLexLteMax(e->m, e->len, r);
}

/* ------------------------------------------------------------------------
 * Skiplist checks
 * ---------------------------------------------------------------------- */

static bool nodeIs(const ZslNode *n, const ModelElem *e) {
    return n && n->score == e->score && zslNodeMemberLen(n) == e->len &&
           memcmp(zslNodeMember(n), e->m, e->len) == 0 && signbit(n->score) == signbit(e->score);
}

/* Every structural invariant, plus equality with the model. */
static bool zslMatchesModel(const Zsl *zsl, const Model *md) {
    if (zsl->length != md->n || dictSize(zsl->dict) != md->n) return false;
    /* Level 0 forward and backward. */
    size_t i = 0;
    const ZslNode *prev = NULL;
    for (const ZslNode *n = zslFirst(zsl); n; n = zslNext(n), i++) {
        if (i >= md->n || !nodeIs(n, &md->e[i])) return false;
        if (n->backward != prev) return false;
        if (zslFind(zsl, zslNodeMember(n), zslNodeMemberLen(n)) != n) return false;
        prev = n;
    }
    if (i != md->n || zsl->tail != prev) return false;
    /* Spans: on every level, the ranks reached add up to the level-0 rank. */
    int maxHeight = 1;
    for (const ZslNode *n = zslFirst(zsl); n; n = zslNext(n))
        if ((int)n->height > maxHeight) maxHeight = (int)n->height;
    if (zsl->length && zsl->level != maxHeight) return false;
    for (int lvl = 0; lvl < zsl->level; lvl++) {
        unsigned long rank = 0;
        const ZslNode *x = zsl->header;
        while (x->level[lvl].forward) {
            rank += x->level[lvl].span;
            x = x->level[lvl].forward;
            if (zslRank(zsl, x) != rank) return false;
        }
    }
    return true;
}

static void testSkiplistAgainstModel(void) {
    Zsl *zsl = zslCreate();
    Model md = {NULL, 0, 0};
    bool allMatch = true, ranksOk = true, rangesOk = true, updatesOk = true;
    for (int round = 0; round < 20000; round++) {
        char m[MAXM];
        size_t len = randomMember(m);
        unsigned long long op = rng() % 10;
        long at = modelFind(&md, m, len);
        ZslNode *n = zslFind(zsl, m, len);
        if ((at >= 0) != (n != NULL)) allMatch = false;
        if (op < 5) {
            double score = randomScore();
            if (at < 0) {
                zslInsert(zsl, score, m, len);
                modelInsert(&md, score, m, len);
            } else {
                zslUpdateScore(zsl, n, score);
                if (zslFind(zsl, m, len) != n || n->score != score) updatesOk = false;
                modelRemoveAt(&md, (size_t)at);
                modelInsert(&md, score, m, len);
            }
        } else if (op < 8) {
            if (at >= 0) {
                zslDelete(zsl, n);
                modelRemoveAt(&md, (size_t)at);
            }
        } else if (md.n) {
            /* Rank <-> element, both ways. */
            unsigned long rank = (unsigned long)(rng() % md.n) + 1;
            ZslNode *byRank = zslByRank(zsl, rank);
            if (!nodeIs(byRank, &md.e[rank - 1]) || zslRank(zsl, byRank) != rank) ranksOk = false;
            if (zslByRank(zsl, 0) || zslByRank(zsl, md.n + 1)) ranksOk = false;
            /* First/last in a random score range. */
            ZRangeSpec r;
            randomRange(&r);
            long first = -1, last = -1;
            for (size_t i = 0; i < md.n; i++)
                if (modelInRange(&md.e[i], &r)) {
                    if (first < 0) first = (long)i;
                    last = (long)i;
                }
            ZslNode *f = zslFirstInRange(zsl, &r), *l = zslLastInRange(zsl, &r);
            if (first < 0 ? (f || l) : (!nodeIs(f, &md.e[first]) || !nodeIs(l, &md.e[last])))
                rangesOk = false;
        }
        if (round % 500 == 0 && !zslMatchesModel(zsl, &md)) allMatch = false;
    }
    TEST_CHECK(allMatch);
    TEST_CHECK(ranksOk);
    TEST_CHECK(rangesOk);
    TEST_CHECK(updatesOk);
    TEST_CHECK(zslMatchesModel(zsl, &md));

    /* A copy is equal and independent. */
    Zsl *copy = zslDup(zsl);
    TEST_CHECK(zslMatchesModel(copy, &md));
    if (zslFirst(copy)) zslDelete(copy, zslFirst(copy));
    TEST_CHECK(zslMatchesModel(zsl, &md));
    zslFree(copy);
    zslFree(zsl);
    modelFree(&md);
}

/* Lex ranges need equal scores: everything at score 0. */
static void testSkiplistLexRanges(void) {
    Zsl *zsl = zslCreate();
    Model md = {NULL, 0, 0};
    for (int i = 0; i < 400; i++) {
        char m[MAXM];
        size_t len = randomMember(m);
        if (modelFind(&md, m, len) >= 0) continue;
        zslInsert(zsl, 0, m, len);
        modelInsert(&md, 0, m, len);
    }
    TEST_CHECK(zslMatchesModel(zsl, &md));
    bool ok = true;
    for (int round = 0; round < 3000; round++) {
        ZLexRangeSpec r;
        randomLexRange(&r);
        long first = -1, last = -1;
        for (size_t i = 0; i < md.n; i++)
            if (modelInLex(&md.e[i], &r)) {
                if (first < 0) first = (long)i;
                last = (long)i;
            }
        ZslNode *f = zslFirstInLexRange(zsl, &r), *l = zslLastInLexRange(zsl, &r);
        if (first < 0 ? (f || l) : (!nodeIs(f, &md.e[first]) || !nodeIs(l, &md.e[last])))
            ok = false;
        /* An empty range per zslLexRangeIsEmpty holds nothing. */
        if (zslLexRangeIsEmpty(&r) && first >= 0) ok = false;
    }
    TEST_CHECK(ok);
    zslFree(zsl);
    modelFree(&md);
}

static void testSkiplistRangeDeletes(void) {
    bool ok = true;
    for (int round = 0; round < 300; round++) {
        Zsl *zsl = zslCreate();
        Model md = {NULL, 0, 0};
        bool lex = round % 3 == 2;
        int size = (int)(rng() % 200);
        for (int i = 0; i < size; i++) {
            char m[MAXM];
            size_t len = randomMember(m);
            if (modelFind(&md, m, len) >= 0) continue;
            double s = lex ? 0 : randomScore();
            zslInsert(zsl, s, m, len);
            modelInsert(&md, s, m, len);
        }
        unsigned long removed, expect = 0;
        if (round % 3 == 0) {
            ZRangeSpec r;
            randomRange(&r);
            removed = zslDeleteRangeByScore(zsl, &r);
            for (size_t i = md.n; i-- > 0;)
                if (modelInRange(&md.e[i], &r)) {
                    modelRemoveAt(&md, i);
                    expect++;
                }
        } else if (round % 3 == 1) {
            unsigned long start = (unsigned long)(rng() % (md.n + 2)) + 1;
            unsigned long end = start + (unsigned long)(rng() % 50);
            removed = zslDeleteRangeByRank(zsl, start, end);
            for (unsigned long rank = end; rank >= start; rank--)
                if (rank <= md.n) {
                    modelRemoveAt(&md, rank - 1);
                    expect++;
                }
        } else {
            ZLexRangeSpec r;
            randomLexRange(&r);
            removed = zslDeleteRangeByLex(zsl, &r);
            for (size_t i = md.n; i-- > 0;)
                if (modelInLex(&md.e[i], &r)) {
                    modelRemoveAt(&md, i);
                    expect++;
                }
        }
        zslShrinkIfSparse(zsl);
        if (removed != expect || !zslMatchesModel(zsl, &md)) ok = false;
        zslFree(zsl);
        modelFree(&md);
    }
    TEST_CHECK(ok);
}

/* ------------------------------------------------------------------------
 * The Zset API, both encodings
 * ---------------------------------------------------------------------- */

static bool zsetMatchesModel(const Zset *z, const Model *md) {
    if (zsetLength(z) != md->n) return false;
    ZsetIter it;
    ZsetMember m;
    double score;
    size_t i = 0;
    zsetIterInit(&it, z, false);
    while (zsetIterNext(&it, &m, &score)) {
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = zsetMemberBytes(&m, buf, &len);
        if (i >= md->n || len != md->e[i].len || memcmp(p, md->e[i].m, len) != 0) return false;
        /* -0 reads back as 0 from a listpack (integer entry). */
        if (score != md->e[i].score) return false;
        if (z->encoding == OBJ_ENC_SKIPLIST && signbit(score) != signbit(md->e[i].score))
            return false;
        i++;
    }
    if (i != md->n) return false;
    zsetIterInit(&it, z, true);
    while (zsetIterNext(&it, &m, &score)) {
        if (i == 0) return false;
        i--;
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = zsetMemberBytes(&m, buf, &len);
        if (len != md->e[i].len || memcmp(p, md->e[i].m, len) != 0) return false;
    }
    return i == 0;
}

/* Model of zsetAdd's flags (Redis zsetAdd). Returns the out flags. */
static int modelAdd(Model *md, double score, const char *m, size_t len, int flags, double *res) {
    long at = modelFind(md, m, len);
    if (at >= 0) {
        if (flags & ZADD_IN_NX) return ZADD_OUT_NOP;
        double cur = md->e[at].score;
        if (flags & ZADD_IN_INCR) {
            score += cur;
            if (isnan(score)) return ZADD_OUT_NAN;
        }
        if (((flags & ZADD_IN_LT) && score >= cur) || ((flags & ZADD_IN_GT) && score <= cur))
            return ZADD_OUT_NOP;
        *res = score;
        if (score == cur) return 0;
        modelRemoveAt(md, (size_t)at);
        modelInsert(md, score, m, len);
        return ZADD_OUT_UPDATED;
    }
    if (flags & ZADD_IN_XX) return ZADD_OUT_NOP;
    modelInsert(md, score, m, len);
    *res = score;
    return ZADD_OUT_ADDED;
}

static void runZsetModel(long long maxEntries, long long maxValue, bool *ok, bool *sawListpack,
                         bool *sawSkiplist) {
    config.zsetMaxListpackEntries = maxEntries;
    config.zsetMaxListpackValue = maxValue;
    Zset z = zsetNewFor(1, 1);
    Model md = {NULL, 0, 0};
    static const int flagSets[] = {0,
                                   0,
                                   ZADD_IN_NX,
                                   ZADD_IN_XX,
                                   ZADD_IN_GT,
                                   ZADD_IN_LT,
                                   ZADD_IN_INCR,
                                   ZADD_IN_INCR | ZADD_IN_XX,
                                   ZADD_IN_XX | ZADD_IN_GT};
    for (int round = 0; round < 6000; round++) {
        char m[MAXM];
        size_t len = randomMember(m);
        unsigned long long op = rng() % 10;
        if (op < 6) {
            int flags = flagSets[rng() % (sizeof(flagSets) / sizeof(flagSets[0]))];
            double score = randomScore(), got = 0, want = 0;
            int out;
            bool r = zsetAdd(&z, score, m, len, flags, &out, &got);
            int expect = modelAdd(&md, score, m, len, flags, &want);
            if (r != !(expect & ZADD_OUT_NAN) || out != expect) *ok = false;
            if ((out & (ZADD_OUT_ADDED | ZADD_OUT_UPDATED)) && got != want) *ok = false;
            /* A listpack stores -0 as the integer 0 (as Redis), and a later
             * conversion keeps that 0. */
            long at = modelFind(&md, m, len);
            if (z.encoding == OBJ_ENC_LISTPACK && at >= 0 && md.e[at].score == 0)
                md.e[at].score = 0.0;
        } else if (op < 8) {
            long at = modelFind(&md, m, len);
            if (zsetDelete(&z, m, len) != (at >= 0)) *ok = false;
            if (at >= 0) modelRemoveAt(&md, (size_t)at);
        } else {
            long at = modelFind(&md, m, len);
            double s;
            bool found = zsetScore(&z, m, len, &s);
            if (found != (at >= 0) || (found && s != md.e[at].score)) *ok = false;
            long rank = zsetRank(&z, m, len, false), rev = zsetRank(&z, m, len, true);
            if (rank != at || (at >= 0 && rev != (long)md.n - 1 - at) || (at < 0 && rev != -1))
                *ok = false;
        }
        if (z.encoding == OBJ_ENC_LISTPACK) *sawListpack = true;
        if (z.encoding == OBJ_ENC_SKIPLIST) *sawSkiplist = true;
        /* The listpack limits hold while listpack-encoded. */
        if (z.encoding == OBJ_ENC_LISTPACK && zsetLength(&z) > (unsigned long)maxEntries)
            *ok = false;
        if (round % 250 == 0 && !zsetMatchesModel(&z, &md)) *ok = false;
    }
    if (!zsetMatchesModel(&z, &md)) *ok = false;

    /* Round trips through both encodings keep the contents. */
    Zset copy = zsetDup(&z);
    zsetConvert(&copy, OBJ_ENC_SKIPLIST);
    if (!zsetMatchesModel(&copy, &md)) *ok = false;
    zsetConvert(&copy, OBJ_ENC_LISTPACK);
    if (copy.encoding != OBJ_ENC_LISTPACK || !zsetMatchesModel(&copy, &md)) *ok = false;
    zsetFree(&copy);
    zsetFree(&z);
    modelFree(&md);
}

static void testZsetApiAgainstModel(void) {
    bool ok = true, sawListpack = false, sawSkiplist = false;
    runZsetModel(1000000, 64, &ok, &sawListpack, &sawSkiplist); /* listpack throughout */
    TEST_CHECK(ok && sawListpack);
    ok = true;
    runZsetModel(0, 64, &ok, &sawListpack, &sawSkiplist); /* skiplist throughout */
    TEST_CHECK(ok && sawSkiplist);
    ok = true;
    sawListpack = sawSkiplist = false;
    runZsetModel(40, 64, &ok, &sawListpack, &sawSkiplist); /* converts on the way */
    TEST_CHECK(ok && sawListpack && sawSkiplist);
    ok = true;
    sawListpack = sawSkiplist = false;
    runZsetModel(128, 2, &ok, &sawListpack, &sawSkiplist); /* long members convert */
    TEST_CHECK(ok && sawSkiplist);
    config.zsetMaxListpackEntries = 128;
    config.zsetMaxListpackValue = 64;
}

/* Scores in a listpack are stored as Redis stores them. */
static void testListpackScoreStorage(void) {
    config.zsetMaxListpackEntries = 128;
    config.zsetMaxListpackValue = 64;
    Zset z = zsetNewListpack();
    int out;
    zsetAdd(&z, -0.0, "neg0", 4, 0, &out, NULL);
    zsetAdd(&z, 1e17, "big", 3, 0, &out, NULL);
    zsetAdd(&z, 0.1, "tenth", 5, 0, &out, NULL);
    zsetAdd(&z, INFINITY, "inf", 3, 0, &out, NULL);
    zsetAdd(&z, 1e300, "huge", 4, 0, &out, NULL);
    const unsigned char *lp = z.ptr;
    unsigned char *p = lpSeek(lp, 1); /* score of the first pair: neg0 */
    long long ll;
    uint32_t len;
    TEST_CHECK(lpGet(p, &len, &ll) == NULL && ll == 0);
    double s;
    TEST_CHECK(zsetScore(&z, "neg0", 4, &s) && s == 0 && !signbit(s));
    p = lpSeek(lp, 3); /* tenth */
    const unsigned char *str = lpGet(p, &len, &ll);
    TEST_CHECK(str && len == 19 && memcmp(str, "0.10000000000000001", 19) == 0);
    p = lpSeek(lp, 5); /* big: an integer entry */
    TEST_CHECK(lpGet(p, &len, &ll) == NULL && ll == 100000000000000000LL);
    p = lpSeek(lp, 7); /* huge */
    str = lpGet(p, &len, &ll);
    TEST_CHECK(str && len == 23 && memcmp(str, "1.0000000000000001e+300", 23) == 0);
    p = lpSeek(lp, 9); /* inf */
    str = lpGet(p, &len, &ll);
    TEST_CHECK(str && len == 3 && memcmp(str, "inf", 3) == 0);
    /* NaN never gets in. */
    TEST_CHECK(!zsetAdd(&z, NAN, "nan", 3, 0, &out, NULL) && out == ZADD_OUT_NAN);
    zsetAdd(&z, INFINITY, "inf", 3, 0, &out, NULL);
    TEST_CHECK(out == 0);
    TEST_CHECK(!zsetAdd(&z, -INFINITY, "inf", 3, ZADD_IN_INCR, &out, NULL) && out == ZADD_OUT_NAN);
    /* ...and a skiplist keeps -0. */
    zsetConvert(&z, OBJ_ENC_SKIPLIST);
    zsetAdd(&z, -0.0, "neg0b", 5, 0, &out, NULL);
    TEST_CHECK(zsetScore(&z, "neg0b", 5, &s) && s == 0 && signbit(s));
    zsetFree(&z);
}

static void testConvertToListpackIfNeeded(void) {
    config.zsetMaxListpackEntries = 4;
    config.zsetMaxListpackValue = 3;
    Zset z = zsetNewSkiplist();
    int out;
    zsetAdd(&z, 1, "a", 1, 0, &out, NULL);
    zsetAdd(&z, 2, "bbb", 3, 0, &out, NULL);
    zsetConvertToListpackIfNeeded(&z, 3, 4);
    TEST_CHECK(z.encoding == OBJ_ENC_LISTPACK && zsetLength(&z) == 2);
    zsetConvert(&z, OBJ_ENC_SKIPLIST);
    zsetConvertToListpackIfNeeded(&z, 4, 5); /* a member too long */
    TEST_CHECK(z.encoding == OBJ_ENC_SKIPLIST);
    zsetAdd(&z, 3, "c", 1, 0, &out, NULL);
    zsetAdd(&z, 4, "d", 1, 0, &out, NULL);
    zsetAdd(&z, 5, "e", 1, 0, &out, NULL);
    zsetConvertToListpackIfNeeded(&z, 3, 7); /* too many */
    TEST_CHECK(z.encoding == OBJ_ENC_SKIPLIST);
    zsetFree(&z);
    /* zsetNewFor picks like ZADD. */
    z = zsetNewFor(1, 3);
    TEST_CHECK(z.encoding == OBJ_ENC_LISTPACK);
    zsetFree(&z);
    z = zsetNewFor(1, 4);
    TEST_CHECK(z.encoding == OBJ_ENC_SKIPLIST);
    zsetFree(&z);
    config.zsetMaxListpackEntries = 0;
    z = zsetNewFor(1, 1);
    TEST_CHECK(z.encoding == OBJ_ENC_SKIPLIST);
    zsetFree(&z);
    config.zsetMaxListpackEntries = 128;
    config.zsetMaxListpackValue = 64;
}

/* Big sets: ranks stay O(log N) correct at depth (spans across levels). */
static void testSkiplistLarge(void) {
    Zsl *zsl = zslCreate();
    const int n = 200000;
    char m[MAXM];
    for (int i = n - 1; i >= 0; i--) {
        size_t len = (size_t)snprintf(m, sizeof(m), "e%d", i);
        zslInsert(zsl, (double)(i / 3), m, len);
    }
    TEST_CHECK(zsl->length == (unsigned long)n);
    bool ok = true;
    for (int k = 0; k < 2000; k++) {
        unsigned long rank = (unsigned long)(rng() % (unsigned long)n) + 1;
        const ZslNode *x = zslByRank(zsl, rank);
        if (!x || zslRank(zsl, x) != rank) ok = false;
    }
    TEST_CHECK(ok);
    ZRangeSpec r = {100, 200, true, false};
    const ZslNode *f = zslFirstInRange(zsl, &r), *l = zslLastInRange(zsl, &r);
    TEST_CHECK(f && l && f->score == 101 && l->score == 200);
    TEST_CHECK(zslRank(zsl, l) - zslRank(zsl, f) + 1 == 300);
    TEST_CHECK(zslDeleteRangeByRank(zsl, 1, 100000) == 100000 && zsl->length == 100000);
    TEST_CHECK(zslByRank(zsl, 1) && zslByRank(zsl, 1)->score == (double)(100000 / 3));
    zslFree(zsl);
}

int main(void) {
    srandom(12345);
    zsetTypeInit();
    TEST_RUN(testSkiplistAgainstModel);
    TEST_RUN(testSkiplistLexRanges);
    TEST_RUN(testSkiplistRangeDeletes);
    TEST_RUN(testZsetApiAgainstModel);
    TEST_RUN(testListpackScoreStorage);
    TEST_RUN(testConvertToListpackIfNeeded);
    TEST_RUN(testSkiplistLarge);
    return TEST_REPORT();
}
