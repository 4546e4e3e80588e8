/* zskiplist.c — the skiplist + member table behind skiplist-encoded sorted
 * sets (see zskiplist.h for the layout and invariants).
 *
 * Every search walks from the header's highest level down, moving forward
 * while the next node sorts before the target; `update[i]` remembers the
 * last node visited on level i (the one whose level-i link must change) and
 * `rank[i]` the level-0 steps crossed to reach it, from which the spans of
 * new and removed links are derived.
 */
#include "zskiplist.h"

#include "hash.h"
#include "mem.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static_assert(sizeof(ZslNode) == 32, "ZslNode header must stay 32 bytes");
static_assert(sizeof(ZslLevel) == 16, "ZslLevel must stay 16 bytes");

/* ------------------------------------------------------------------------
 * The member table
 * ---------------------------------------------------------------------- */

static uint64_t zslHashMember(const void *key, size_t len) {
    return hashBytes(key, len);
}

static const void *zslEntryKey(const DictLink *l, size_t *len) {
    const ZslNode *n = (const ZslNode *)l;
    *len = zslNodeMemberLen(n);
    return zslNodeMember(n);
}

/* Nodes are freed by the skiplist, never by the table. */
static const DictType zslDictType = {zslHashMember, zslEntryKey, NULL, NULL};

/* ------------------------------------------------------------------------
 * Nodes
 * ---------------------------------------------------------------------- */

int zslCompareMembers(const char *a, size_t alen, const char *b, size_t blen) {
    size_t min = alen < blen ? alen : blen;
    int cmp = min ? memcmp(a, b, min) : 0;
    if (cmp != 0) return cmp;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* Redis's zslRandomLevel: one more level with probability ZSL_P. */
static int zslRandomLevel(void) {
    int level = 1;
    while ((random() & 0xFFFF) < (long)(ZSL_P * 0xFFFF)) level++;
    return level < ZSL_MAX_LEVEL ? level : ZSL_MAX_LEVEL;
}

static ZslNode *zslNodeNew(int height, double score, const void *m, size_t len) {
    ZslNode *n = kvMalloc(sizeof(ZslNode) + (size_t)height * sizeof(ZslLevel) + len);
    n->link.next = NULL;
    n->score = score;
    n->backward = NULL;
    n->len = len;
    n->height = (uint64_t)height;
    if (len) memcpy((char *)&n->level[height], m, len);
    return n;
}

/* True when node x sorts strictly before (score, m). */
static bool zslBefore(const ZslNode *x, double score, const char *m, size_t len) {
    if (x->score != score) return x->score < score;
    return zslCompareMembers(zslNodeMember(x), zslNodeMemberLen(x), m, len) < 0;
}

/* ------------------------------------------------------------------------
 * Creation and destruction
 * ---------------------------------------------------------------------- */

Zsl *zslCreate(void) {
    Zsl *zsl = kvMalloc(sizeof(*zsl));
    zsl->dict = dictCreate(&zslDictType);
    zsl->header = zslNodeNew(ZSL_MAX_LEVEL, 0, NULL, 0);
    for (int i = 0; i < ZSL_MAX_LEVEL; i++) {
        zsl->header->level[i].forward = NULL;
        zsl->header->level[i].span = 0;
    }
    zsl->tail = NULL;
    zsl->length = 0;
    zsl->level = 1;
    return zsl;
}

void zslFree(Zsl *zsl) {
    if (!zsl) return;
    /* The table first: releasing it walks the chains through the nodes. */
    dictRelease(zsl->dict);
    ZslNode *n = zslFirst(zsl);
    while (n) {
        ZslNode *next = zslNext(n);
        kvFree(n);
        n = next;
    }
    kvFree(zsl->header);
    kvFree(zsl);
}

Zsl *zslDup(const Zsl *zsl) {
    Zsl *copy = zslCreate();
    dictExpand(copy->dict, zsl->length);
    /* From the greatest down: each insert stops at the header, O(1). */
    for (ZslNode *n = zsl->tail; n; n = n->backward)
        zslInsert(copy, n->score, zslNodeMember(n), zslNodeMemberLen(n));
    return copy;
}

ZslNode *zslFind(const Zsl *zsl, const void *m, size_t len) {
    return (ZslNode *)dictFind(zsl->dict, m, len);
}

/* ------------------------------------------------------------------------
 * Linking
 * ---------------------------------------------------------------------- */

/* Links node x (its score, member and height set) at its place in the list.
 * The member table is not touched. */
static void zslLink(Zsl *zsl, ZslNode *x) {
    ZslNode *update[ZSL_MAX_LEVEL];
    unsigned long rank[ZSL_MAX_LEVEL];
    const char *m = zslNodeMember(x);
    size_t len = zslNodeMemberLen(x);
    int height = (int)x->height;

    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (p->level[i].forward && zslBefore(p->level[i].forward, x->score, m, len)) {
            rank[i] += p->level[i].span;
            p = p->level[i].forward;
        }
        update[i] = p;
    }
    if (height > zsl->level) {
        for (int i = zsl->level; i < height; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            update[i]->level[i].span = zsl->length;
        }
        zsl->level = height;
    }
    for (int i = 0; i < height; i++) {
        x->level[i].forward = update[i]->level[i].forward;
        update[i]->level[i].forward = x;
        /* x takes over the part of update[i]'s span that lies after it. */
        x->level[i].span = update[i]->level[i].span - (rank[0] - rank[i]);
        update[i]->level[i].span = (rank[0] - rank[i]) + 1;
    }
    for (int i = height; i < zsl->level; i++) update[i]->level[i].span++;

    x->backward = update[0] == zsl->header ? NULL : update[0];
    if (x->level[0].forward)
        x->level[0].forward->backward = x;
    else
        zsl->tail = x;
    zsl->length++;
}

/* Unlinks x given the update vector of a search that stopped right before
 * it. The member table is not touched and x is not freed. */
static void zslUnlinkWith(Zsl *zsl, ZslNode *x, ZslNode **update) {
    for (int i = 0; i < zsl->level; i++) {
        if (update[i]->level[i].forward == x) {
            update[i]->level[i].span += x->level[i].span - 1;
            update[i]->level[i].forward = x->level[i].forward;
        } else {
            update[i]->level[i].span -= 1;
        }
    }
    if (x->level[0].forward)
        x->level[0].forward->backward = x->backward;
    else
        zsl->tail = x->backward;
    while (zsl->level > 1 && zsl->header->level[zsl->level - 1].forward == NULL) zsl->level--;
    zsl->length--;
}

/* Unlinks node x (found by its own score and member) from the list. */
static void zslUnlink(Zsl *zsl, ZslNode *x) {
    ZslNode *update[ZSL_MAX_LEVEL];
    const char *m = zslNodeMember(x);
    size_t len = zslNodeMemberLen(x);
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (p->level[i].forward && zslBefore(p->level[i].forward, x->score, m, len))
            p = p->level[i].forward;
        update[i] = p;
    }
    assert(update[0]->level[0].forward == x);
    zslUnlinkWith(zsl, x, update);
}

ZslNode *zslInsert(Zsl *zsl, double score, const void *m, size_t len) {
    assert(!isnan(score) && len <= ZSL_MEMBER_MAX);
    ZslNode *x = zslNodeNew(zslRandomLevel(), score, m, len);
    zslLink(zsl, x);
    dictAddUnique(zsl->dict, &x->link);
    return x;
}

void zslDelete(Zsl *zsl, ZslNode *n) {
    dictUnlink(zsl->dict, zslNodeMember(n), zslNodeMemberLen(n));
    zslUnlink(zsl, n);
    kvFree(n);
}

void zslUpdateScore(Zsl *zsl, ZslNode *n, double score) {
    assert(!isnan(score));
    const char *m = zslNodeMember(n);
    size_t len = zslNodeMemberLen(n);
    /* Still between its neighbours: the order holds, change it in place. */
    bool afterPrev = !n->backward || zslBefore(n->backward, score, m, len);
    ZslNode *next = n->level[0].forward;
    bool beforeNext = !next || next->score > score ||
                      (next->score == score &&
                       zslCompareMembers(zslNodeMember(next), zslNodeMemberLen(next), m, len) > 0);
    if (afterPrev && beforeNext) {
        n->score = score;
        return;
    }
    zslUnlink(zsl, n);
    n->score = score;
    zslLink(zsl, n);
}

/* ------------------------------------------------------------------------
 * Ranks
 * ---------------------------------------------------------------------- */

unsigned long zslRank(const Zsl *zsl, const ZslNode *n) {
    const char *m = zslNodeMember(n);
    size_t len = zslNodeMemberLen(n);
    unsigned long rank = 0;
    const ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        /* Forward while the next node sorts before n or is n. */
        while (p->level[i].forward &&
               (p->level[i].forward == n || zslBefore(p->level[i].forward, n->score, m, len))) {
            rank += p->level[i].span;
            p = p->level[i].forward;
        }
        if (p == n) return rank;
    }
    return 0;
}

ZslNode *zslByRank(const Zsl *zsl, unsigned long rank) {
    if (rank == 0 || rank > zsl->length) return NULL;
    unsigned long traversed = 0;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (p->level[i].forward && traversed + p->level[i].span <= rank) {
            traversed += p->level[i].span;
            p = p->level[i].forward;
        }
        if (traversed == rank) return p;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Ranges
 * ---------------------------------------------------------------------- */

bool zslValueGteMin(double v, const ZRangeSpec *r) {
    return r->minex ? v > r->min : v >= r->min;
}

bool zslValueLteMax(double v, const ZRangeSpec *r) {
    return r->maxex ? v < r->max : v <= r->max;
}

bool zslRangeIsEmpty(const ZRangeSpec *r) {
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

/* Compares a member with a lex bound: <0, 0 or >0 as the member sorts
 * before, at or after it. */
static int zslLexCompare(const char *m, size_t len, const ZLexBound *b) {
    if (b->kind == ZLEX_MINUS_INF) return 1;
    if (b->kind == ZLEX_PLUS_INF) return -1;
    return zslCompareMembers(m, len, b->p, b->len);
}

bool zslLexGteMin(const char *m, size_t len, const ZLexRangeSpec *r) {
    int cmp = zslLexCompare(m, len, &r->min);
    return r->min.exclusive ? cmp > 0 : cmp >= 0;
}

bool zslLexLteMax(const char *m, size_t len, const ZLexRangeSpec *r) {
    int cmp = zslLexCompare(m, len, &r->max);
    return r->max.exclusive ? cmp < 0 : cmp <= 0;
}

bool zslLexRangeIsEmpty(const ZLexRangeSpec *r) {
    /* Redis sdscmplex: "-" < every string < "+"; equal infinities are equal. */
    int cmp;
    const ZLexBound *a = &r->min, *b = &r->max;
    if (a->kind == b->kind && a->kind != ZLEX_VALUE)
        cmp = 0;
    else if (a->kind == ZLEX_MINUS_INF || b->kind == ZLEX_PLUS_INF)
        cmp = -1;
    else if (a->kind == ZLEX_PLUS_INF || b->kind == ZLEX_MINUS_INF)
        cmp = 1;
    else
        cmp = zslCompareMembers(a->p, a->len, b->p, b->len);
    return cmp > 0 || (cmp == 0 && (a->exclusive || b->exclusive));
}

static bool nodeGteMin(const ZslNode *n, const ZRangeSpec *r) {
    return zslValueGteMin(n->score, r);
}
static bool nodeLteMax(const ZslNode *n, const ZRangeSpec *r) {
    return zslValueLteMax(n->score, r);
}
static bool nodeLexGteMin(const ZslNode *n, const ZLexRangeSpec *r) {
    return zslLexGteMin(zslNodeMember(n), zslNodeMemberLen(n), r);
}
static bool nodeLexLteMax(const ZslNode *n, const ZLexRangeSpec *r) {
    return zslLexLteMax(zslNodeMember(n), zslNodeMemberLen(n), r);
}

ZslNode *zslFirstInRange(const Zsl *zsl, const ZRangeSpec *r) {
    if (zslRangeIsEmpty(r) || !zsl->tail || !nodeGteMin(zsl->tail, r)) return NULL;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (p->level[i].forward && !nodeGteMin(p->level[i].forward, r)) p = p->level[i].forward;
    p = p->level[0].forward;
    return p && nodeLteMax(p, r) ? p : NULL;
}

ZslNode *zslLastInRange(const Zsl *zsl, const ZRangeSpec *r) {
    if (zslRangeIsEmpty(r) || !zsl->tail || !nodeLteMax(zslFirst(zsl), r)) return NULL;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (p->level[i].forward && nodeLteMax(p->level[i].forward, r)) p = p->level[i].forward;
    return p != zsl->header && nodeGteMin(p, r) ? p : NULL;
}

ZslNode *zslFirstInLexRange(const Zsl *zsl, const ZLexRangeSpec *r) {
    if (zslLexRangeIsEmpty(r) || !zsl->tail || !nodeLexGteMin(zsl->tail, r)) return NULL;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (p->level[i].forward && !nodeLexGteMin(p->level[i].forward, r))
            p = p->level[i].forward;
    p = p->level[0].forward;
    return p && nodeLexLteMax(p, r) ? p : NULL;
}

ZslNode *zslLastInLexRange(const Zsl *zsl, const ZLexRangeSpec *r) {
    if (zslLexRangeIsEmpty(r) || !zsl->tail || !nodeLexLteMax(zslFirst(zsl), r)) return NULL;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (p->level[i].forward && nodeLexLteMax(p->level[i].forward, r))
            p = p->level[i].forward;
    return p != zsl->header && nodeLexGteMin(p, r) ? p : NULL;
}

/* Removes and frees x, which follows update[0] (see zslUnlinkWith). */
static void zslDeleteWith(Zsl *zsl, ZslNode *x, ZslNode **update) {
    zslUnlinkWith(zsl, x, update);
    dictUnlink(zsl->dict, zslNodeMember(x), zslNodeMemberLen(x));
    kvFree(x);
}

unsigned long zslDeleteRangeByScore(Zsl *zsl, const ZRangeSpec *r) {
    ZslNode *update[ZSL_MAX_LEVEL];
    unsigned long removed = 0;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (p->level[i].forward && !nodeGteMin(p->level[i].forward, r)) p = p->level[i].forward;
        update[i] = p;
    }
    p = p->level[0].forward;
    while (p && nodeLteMax(p, r)) {
        ZslNode *next = p->level[0].forward;
        zslDeleteWith(zsl, p, update);
        removed++;
        p = next;
    }
    return removed;
}

unsigned long zslDeleteRangeByLex(Zsl *zsl, const ZLexRangeSpec *r) {
    ZslNode *update[ZSL_MAX_LEVEL];
    unsigned long removed = 0;
    if (zslLexRangeIsEmpty(r)) return 0;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (p->level[i].forward && !nodeLexGteMin(p->level[i].forward, r))
            p = p->level[i].forward;
        update[i] = p;
    }
    p = p->level[0].forward;
    while (p && nodeLexLteMax(p, r)) {
        ZslNode *next = p->level[0].forward;
        zslDeleteWith(zsl, p, update);
        removed++;
        p = next;
    }
    return removed;
}

unsigned long zslDeleteRangeByRank(Zsl *zsl, unsigned long start, unsigned long end) {
    ZslNode *update[ZSL_MAX_LEVEL];
    unsigned long traversed = 0, removed = 0;
    ZslNode *p = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (p->level[i].forward && traversed + p->level[i].span < start) {
            traversed += p->level[i].span;
            p = p->level[i].forward;
        }
        update[i] = p;
    }
    traversed++;
    p = p->level[0].forward;
    while (p && traversed <= end) {
        ZslNode *next = p->level[0].forward;
        zslDeleteWith(zsl, p, update);
        removed++;
        traversed++;
        p = next;
    }
    return removed;
}

void zslShrinkIfSparse(Zsl *zsl) {
    dictShrinkIfSparse(zsl->dict);
}

size_t zslMemoryUsage(const Zsl *zsl, size_t samples) {
    size_t size = kvAllocSize(zsl) + kvAllocSize(zsl->header) + kvAllocSize(zsl->dict) +
                  dictBuckets(zsl->dict) * sizeof(DictLink *);
    size_t bytes = 0, seen = 0;
    for (ZslNode *n = zslFirst(zsl); n && (samples == 0 || seen < samples); n = zslNext(n)) {
        bytes += kvAllocSize(n);
        seen++;
    }
    if (seen) size += (size_t)((double)bytes / (double)seen * (double)zsl->length);
    return size;
}
