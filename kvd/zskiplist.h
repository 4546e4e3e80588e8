/* zskiplist.h — the "skiplist" encoding of sorted sets: a skiplist ordered by
 * (score, member) for ranks and ranges, plus a hash table from member to the
 * same node for O(1) score lookups (Redis's zset = dict + zskiplist).
 *
 * Design
 * ------
 * One allocation per member, shared by both views:
 *
 *   +--------------+-------+----------+----------------+------------------+--------+
 *   | DictLink 8 B | score | backward | len:56 height:8 | level[height]    | member |
 *   |              | 8 B   | 8 B      | 8 B             | {forward, span}  | len B  |
 *   +--------------+-------+----------+----------------+------------------+--------+
 *
 * The hash table (common/dict.h) is intrusive: it chains nodes through their
 * DictLink and reads the key from the member bytes, so a member costs one
 * node plus its bucket slot. A 10-byte member on one level is a 58-byte
 * allocation (64 with jemalloc), where Redis spends a dictEntry, an sds and a
 * skiplist node (~112 bytes).
 *
 * The skiplist follows Pugh's algorithm as Redis adapts it: levels drawn with
 * p = 1/4 up to ZSL_MAX_LEVEL; equal scores ordered by member bytes (memcmp,
 * then the shorter first); every forward link carries a span (the number of
 * level-0 steps it jumps) so ranks are found in O(log N); level 0 is doubly
 * linked (backward) for reverse walks. The header node has every level and
 * no member; it is not counted in ranks (rank 1 is the first element).
 *
 * Invariants: every node is in both the list and the dict; the list is
 * sorted by (score, member) with no NaN score; header->level[i].span sums
 * match ranks; `level` is the highest level in use (at least 1); tail is the
 * last node or NULL when empty.
 *
 * Ownership: a Zsl owns its nodes; nodes returned by lookups are borrowed
 * and valid until the element is deleted (an update of the score keeps the
 * node). All functions trust their arguments (no NaN scores; members to
 * insert are absent).
 */
#ifndef KV_ZSKIPLIST_H
#define KV_ZSKIPLIST_H

#include "dict.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZSL_MAX_LEVEL 32   /* enough for 2^64 elements with p = 1/4 */
#define ZSL_P         0.25 /* probability of one more level */
/* Longest member a node can hold (56-bit length field). */
#define ZSL_MEMBER_MAX ((1ULL << 56) - 1)

struct ZslNode;

typedef struct ZslLevel {
    struct ZslNode *forward;
    unsigned long span;
} ZslLevel;

typedef struct ZslNode {
    DictLink link; /* first: the dict stores &link */
    double score;
    struct ZslNode *backward;
    uint64_t len : 56;
    uint64_t height : 8;
    ZslLevel level[]; /* `height` entries, then the member bytes */
} ZslNode;

typedef struct Zsl {
    Dict *dict; /* member -> node (the same nodes as the list) */
    ZslNode *header;
    ZslNode *tail;
    unsigned long length;
    int level;
} Zsl;

/* A score interval; minex/maxex make a bound exclusive. */
typedef struct ZRangeSpec {
    double min, max;
    bool minex, maxex;
} ZRangeSpec;

/* A bound of a lexicographic interval: "-" (below everything), "+" (above
 * everything) or a member with [ (inclusive) or ( (exclusive). */
typedef enum { ZLEX_VALUE = 0, ZLEX_MINUS_INF, ZLEX_PLUS_INF } ZLexKind;

typedef struct ZLexBound {
    ZLexKind kind;
    bool exclusive;
    const char *p; /* borrowed bytes (ZLEX_VALUE) */
    size_t len;
} ZLexBound;

typedef struct ZLexRangeSpec {
    ZLexBound min, max;
} ZLexRangeSpec;

static inline const char *zslNodeMember(const ZslNode *n) {
    return (const char *)&n->level[n->height];
}
static inline size_t zslNodeMemberLen(const ZslNode *n) {
    return (size_t)n->len;
}
static inline ZslNode *zslFirst(const Zsl *zsl) {
    return zsl->header->level[0].forward;
}
static inline ZslNode *zslLast(const Zsl *zsl) {
    return zsl->tail;
}
static inline ZslNode *zslNext(const ZslNode *n) {
    return n->level[0].forward;
}
static inline ZslNode *zslPrev(const ZslNode *n) {
    return n->backward;
}

/* Member order: memcmp over the common length, then the shorter first
 * (Redis sdscmp). */
int zslCompareMembers(const char *a, size_t alen, const char *b, size_t blen);

/* An empty sorted set; free with zslFree(). */
Zsl *zslCreate(void);
void zslFree(Zsl *zsl);
/* A deep copy (same elements; levels drawn anew). O(N). */
Zsl *zslDup(const Zsl *zsl);

/* The node of member m, or NULL. O(1) average. */
ZslNode *zslFind(const Zsl *zsl, const void *m, size_t len);
/* Adds member m (copied; must be absent, len <= ZSL_MEMBER_MAX) with the
 * score; returns its node. O(log N). */
ZslNode *zslInsert(Zsl *zsl, double score, const void *m, size_t len);
/* Removes node n (of zsl) from both views and frees it. O(log N). */
void zslDelete(Zsl *zsl, ZslNode *n);
/* Changes the score of node n, moving it if the order changes; the node
 * stays the same allocation. O(log N), O(1) when it does not move. */
void zslUpdateScore(Zsl *zsl, ZslNode *n, double score);

/* 1-based rank of node n. O(log N). */
unsigned long zslRank(const Zsl *zsl, const ZslNode *n);
/* The node at a 1-based rank, or NULL when out of range. O(log N). */
ZslNode *zslByRank(const Zsl *zsl, unsigned long rank);

/* Range helpers shared with the listpack encoding. */
bool zslValueGteMin(double v, const ZRangeSpec *r);
bool zslValueLteMax(double v, const ZRangeSpec *r);
/* True when no value can be inside r (min > max, or equal with an
 * exclusive side). */
bool zslRangeIsEmpty(const ZRangeSpec *r);
bool zslLexGteMin(const char *m, size_t len, const ZLexRangeSpec *r);
bool zslLexLteMax(const char *m, size_t len, const ZLexRangeSpec *r);
bool zslLexRangeIsEmpty(const ZLexRangeSpec *r);

/* First / last node inside the range, or NULL. O(log N). */
ZslNode *zslFirstInRange(const Zsl *zsl, const ZRangeSpec *r);
ZslNode *zslLastInRange(const Zsl *zsl, const ZRangeSpec *r);
ZslNode *zslFirstInLexRange(const Zsl *zsl, const ZLexRangeSpec *r);
ZslNode *zslLastInLexRange(const Zsl *zsl, const ZLexRangeSpec *r);

/* Deletions of a whole range; return how many elements went. O(log N + M).
 * Ranks are 1-based and inclusive. The dict may be left sparse: call
 * zslShrinkIfSparse() afterwards. */
unsigned long zslDeleteRangeByScore(Zsl *zsl, const ZRangeSpec *r);
unsigned long zslDeleteRangeByLex(Zsl *zsl, const ZLexRangeSpec *r);
unsigned long zslDeleteRangeByRank(Zsl *zsl, unsigned long start, unsigned long end);
void zslShrinkIfSparse(Zsl *zsl);

/* Bytes used: exact for the fixed parts, nodes estimated from the first
 * `samples` ones (all of them when samples is 0). */
size_t zslMemoryUsage(const Zsl *zsl, size_t samples);

#endif
