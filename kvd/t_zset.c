/* t_zset.c — the sorted set type of Redis 7.0 and its commands: ZADD ZINCRBY
 * ZREM ZCARD ZSCORE ZMSCORE ZCOUNT ZLEXCOUNT ZRANK ZREVRANK ZRANGE
 * ZRANGESTORE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX
 * ZREVRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN
 * ZPOPMAX ZMPOP BZPOPMIN BZPOPMAX BZMPOP ZRANDMEMBER ZUNION ZINTER ZDIFF
 * ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZINTERCARD ZSCAN.
 *
 * Encodings (see t_zset.h): a listpack of member, score pairs while small,
 * the skiplist + member table of zskiplist.c once a limit is passed. What
 * depends on the encoding follows Redis 7.0's t_zset.c:
 *   - ZADD creates a skiplist at once when zset-max-listpack-entries is 0 or
 *     the *first* member is longer than zset-max-listpack-value; later
 *     members convert before being inserted;
 *   - ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE build a skiplist and store it as a
 *     listpack when it fits; ZRANGESTORE starts a skiplist when a rank range
 *     is known to pass zset-max-listpack-entries, else a listpack that
 *     converts as it grows;
 *   - scores in a listpack are stored as integers when they are integral
 *     within ±LLONG_MAX/2, so ZSCORE of a member added with -0 says "0" in a
 *     listpack and "-0" in a skiplist (a Redis quirk kept on purpose);
 *   - ZSCAN returns a listpack whole (cursor 0) with the scores as stored
 *     ("100000000000000000"), a skiplist by dict cursor with scores printed
 *     by "%.17Lg" ("1e+17");
 *   - ZRANDMEMBER uses Redis's four strategies, and with a count ≥ the size
 *     returns the whole set from the highest score down.
 * Replies and errors are Redis 7.0's byte for byte, in RESP2 and RESP3.
 *
 * Every change is followed by dbSignalModified() and its keyspace event
 * (notify.h: zadd, zincr, zrem, zpopmin…, then "del" when the set empties),
 * through zsetSignal.
 */
#include "t_zset.h"

#include "propagate.h"
#include "blocking.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "debug.h"
#include "hash.h"
#include "listpack.h"
#include "mem.h"
#include "notify.h"
#include "reply.h"
#include "scan.h"
#include "t_set.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ZRANDMEMBER tuning, as Redis: below 3x the count, build-and-remove
 * (CASE 3) instead of picking until enough distinct (CASE 4); listpack
 * samples are drawn in batches of at most 1000. */
#define ZRANDMEMBER_SUB_STRATEGY_MUL    3
#define ZRANDMEMBER_RANDOM_SAMPLE_LIMIT 1000
/* Nodes MEMORY USAGE looks at to estimate a skiplist's average node. */
#define ZSET_MEMORY_SAMPLES 5
/* Longest score text Redis's zzlStrtod reads. */
#define ZSET_SCORE_BUF 128

enum { ZSET_MIN = 0, ZSET_MAX = 1 };

/* ------------------------------------------------------------------------
 * Listpack encoding: member, score, member, score… in (score, member) order
 * ---------------------------------------------------------------------- */

/* Redis double2ll: the double as an integer when it is one and lies within
 * ±LLONG_MAX/2 (so that the conversion is exact). -0 becomes 0. */
static bool zsetDoubleToLongLong(double d, long long *out) {
    if (d < (double)(-LLONG_MAX / 2) || d > (double)(LLONG_MAX / 2)) return false;
    long long ll = (long long)d;
    if ((double)ll != d) return false;
    *out = ll;
    return true;
}

static double zzlParseScore(const unsigned char *s, size_t len) {
    char buf[ZSET_SCORE_BUF];
    if (len >= sizeof(buf)) len = sizeof(buf) - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return strtod(buf, NULL);
}

/* The score stored in entry sp. */
static double zzlGetScore(const unsigned char *sp) {
    uint32_t len;
    long long ll;
    const unsigned char *s = lpGet(sp, &len, &ll);
    return s ? zzlParseScore(s, len) : (double)ll;
}

/* Compares the member at entry p with (m, len), as zslCompareMembers. */
static int zzlCompareMember(const unsigned char *p, const char *m, size_t len) {
    char buf[LP_INTBUF_SIZE];
    uint32_t plen;
    const unsigned char *s = lpGetString(p, &plen, buf);
    return zslCompareMembers((const char *)s, plen, m, len);
}

static void zzlEntryToMember(const unsigned char *p, ZsetMember *m) {
    uint32_t len = 0;
    m->s = (const char *)lpGet(p, &len, &m->ll);
    m->len = len;
}

/* Member entry of the pair after / before the pair whose member is ep. */
static unsigned char *zzlNextMember(const unsigned char *lp, const unsigned char *ep) {
    unsigned char *sp = lpNext(lp, ep);
    return sp ? lpNext(lp, sp) : NULL;
}

static unsigned char *zzlPrevMember(const unsigned char *lp, const unsigned char *ep) {
    unsigned char *sp = lpPrev(lp, ep);
    return sp ? lpPrev(lp, sp) : NULL;
}

static unsigned char *zzlLastMember(const unsigned char *lp) {
    return lpSeek(lp, -2);
}

static unsigned long zzlLength(unsigned char *lp) {
    return lpLength(lp) / 2;
}

/* The member entry of m, or NULL; sets *score when found. */
static unsigned char *zzlFind(unsigned char *lp, const char *m, size_t len, double *score) {
    unsigned char *ep = lpFirst(lp);
    if (!ep) return NULL;
    ep = lpFind(lp, ep, m, (uint32_t)len, 1);
    if (ep && score) *score = zzlGetScore(lpNext(lp, ep));
    return ep;
}

/* Inserts the pair before member entry ep (at the end when ep is NULL). */
static unsigned char *zzlInsertAt(unsigned char *lp, unsigned char *ep, const char *m, size_t len,
                                  double score) {
    long long ll;
    bool isInt = zsetDoubleToLongLong(score, &ll);
    char sbuf[DOUBLE_STR_SIZE];
    int slen = isInt ? 0 : doubleToStr(sbuf, sizeof(sbuf), score);
    if (!ep) {
        lp = lpAppend(lp, m, (uint32_t)len);
        return isInt ? lpAppendInteger(lp, ll) : lpAppend(lp, sbuf, (uint32_t)slen);
    }
    unsigned char *newp;
    lp = lpInsertString(lp, m, (uint32_t)len, ep, LP_BEFORE, &newp);
    if (isInt) return lpInsertInteger(lp, ll, newp, LP_AFTER, NULL);
    return lpInsertString(lp, sbuf, (uint32_t)slen, newp, LP_AFTER, NULL);
}

/* Inserts a member that is not in the listpack at its place. Results built
 * in ascending order (ZRANGESTORE) append, so the tail is tried first. */
static unsigned char *zzlInsert(unsigned char *lp, const char *m, size_t len, double score) {
    unsigned char *last = zzlLastMember(lp);
    if (last) {
        double s = zzlGetScore(lpNext(lp, last));
        if (s < score || (s == score && zzlCompareMember(last, m, len) < 0))
            return zzlInsertAt(lp, NULL, m, len, score);
    }
    for (unsigned char *ep = lpFirst(lp); ep; ep = zzlNextMember(lp, ep)) {
        double s = zzlGetScore(lpNext(lp, ep));
        if (s > score || (s == score && zzlCompareMember(ep, m, len) > 0))
            return zzlInsertAt(lp, ep, m, len, score);
    }
    return zzlInsertAt(lp, NULL, m, len, score);
}

static unsigned char *zzlDelete(unsigned char *lp, unsigned char *ep) {
    return lpDeleteRangeWithEntry(lp, &ep, 2);
}

static bool zzlLexGteMin(const unsigned char *ep, const ZLexRangeSpec *r) {
    char buf[LP_INTBUF_SIZE];
    uint32_t len;
    const unsigned char *s = lpGetString(ep, &len, buf);
    return zslLexGteMin((const char *)s, len, r);
}

static bool zzlLexLteMax(const unsigned char *ep, const ZLexRangeSpec *r) {
    char buf[LP_INTBUF_SIZE];
    uint32_t len;
    const unsigned char *s = lpGetString(ep, &len, buf);
    return zslLexLteMax((const char *)s, len, r);
}

static unsigned char *zzlFirstInRange(const unsigned char *lp, const ZRangeSpec *r) {
    if (zslRangeIsEmpty(r)) return NULL;
    for (unsigned char *ep = lpFirst(lp); ep; ep = zzlNextMember(lp, ep)) {
        double s = zzlGetScore(lpNext(lp, ep));
        if (zslValueGteMin(s, r)) return zslValueLteMax(s, r) ? ep : NULL;
    }
    return NULL;
}

static unsigned char *zzlLastInRange(const unsigned char *lp, const ZRangeSpec *r) {
    if (zslRangeIsEmpty(r)) return NULL;
    for (unsigned char *ep = zzlLastMember(lp); ep; ep = zzlPrevMember(lp, ep)) {
        double s = zzlGetScore(lpNext(lp, ep));
        if (zslValueLteMax(s, r)) return zslValueGteMin(s, r) ? ep : NULL;
    }
    return NULL;
}

static unsigned char *zzlFirstInLexRange(const unsigned char *lp, const ZLexRangeSpec *r) {
    if (zslLexRangeIsEmpty(r)) return NULL;
    for (unsigned char *ep = lpFirst(lp); ep; ep = zzlNextMember(lp, ep))
        if (zzlLexGteMin(ep, r)) return zzlLexLteMax(ep, r) ? ep : NULL;
    return NULL;
}

static unsigned char *zzlLastInLexRange(const unsigned char *lp, const ZLexRangeSpec *r) {
    if (zslLexRangeIsEmpty(r)) return NULL;
    for (unsigned char *ep = zzlLastMember(lp); ep; ep = zzlPrevMember(lp, ep))
        if (zzlLexLteMax(ep, r)) return zzlLexGteMin(ep, r) ? ep : NULL;
    return NULL;
}

static unsigned char *zzlDeleteRangeByScore(unsigned char *lp, const ZRangeSpec *r,
                                            unsigned long *deleted) {
    *deleted = 0;
    unsigned char *ep = zzlFirstInRange(lp, r);
    while (ep && zslValueLteMax(zzlGetScore(lpNext(lp, ep)), r)) {
        lp = lpDeleteRangeWithEntry(lp, &ep, 2);
        (*deleted)++;
    }
    return lp;
}

static unsigned char *zzlDeleteRangeByLex(unsigned char *lp, const ZLexRangeSpec *r,
                                          unsigned long *deleted) {
    *deleted = 0;
    unsigned char *ep = zzlFirstInLexRange(lp, r);
    while (ep && zzlLexLteMax(ep, r)) {
        lp = lpDeleteRangeWithEntry(lp, &ep, 2);
        (*deleted)++;
    }
    return lp;
}

/* ------------------------------------------------------------------------
 * The sorted set type
 * ---------------------------------------------------------------------- */

static bool zsetTypeReady = false;

static void zsetTypeInitOnce(void) {
    if (!zsetTypeReady) zsetTypeInit();
}

Zset zsetNewListpack(void) {
    zsetTypeInitOnce();
    Zset z = {OBJ_ENC_LISTPACK, lpNew(0)};
    return z;
}

Zset zsetNewSkiplist(void) {
    zsetTypeInitOnce();
    Zset z = {OBJ_ENC_SKIPLIST, zslCreate()};
    return z;
}

Zset zsetNewFor(size_t sizeHint, size_t maxMemberLen) {
    if (config.zsetMaxListpackEntries == 0 || sizeHint > (size_t)config.zsetMaxListpackEntries ||
        maxMemberLen > (size_t)config.zsetMaxListpackValue)
        return zsetNewSkiplist();
    return zsetNewListpack();
}

Object *zsetNewObject(const char *key, size_t klen, Zset *z) {
    zsetTypeInitOnce();
    Object *o = objNewPtr(key, klen, OBJ_ZSET, z->encoding, z->ptr, -1);
    z->ptr = NULL;
    return o;
}

void zsetFree(Zset *z) {
    if (!z->ptr) return;
    if (z->encoding == OBJ_ENC_LISTPACK)
        lpFree(z->ptr);
    else
        zslFree(z->ptr);
    z->ptr = NULL;
}

Zset zsetDup(const Zset *z) {
    Zset copy = {z->encoding, NULL};
    copy.ptr = z->encoding == OBJ_ENC_LISTPACK ? (void *)lpDup(z->ptr) : (void *)zslDup(z->ptr);
    return copy;
}

unsigned long zsetLength(const Zset *z) {
    if (z->encoding == OBJ_ENC_LISTPACK) return zzlLength(z->ptr);
    return ((const Zsl *)z->ptr)->length;
}

void zsetConvert(Zset *z, int encoding) {
    if (z->encoding == encoding) return;
    if (z->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = z->ptr;
        Zsl *zsl = zslCreate();
        dictExpand(zsl->dict, zzlLength(lp));
        char buf[LP_INTBUF_SIZE];
        for (unsigned char *ep = lpFirst(lp); ep; ep = zzlNextMember(lp, ep)) {
            uint32_t len;
            const unsigned char *s = lpGetString(ep, &len, buf);
            zslInsert(zsl, zzlGetScore(lpNext(lp, ep)), s, len);
        }
        lpFree(lp);
        z->ptr = zsl;
        z->encoding = OBJ_ENC_SKIPLIST;
    } else {
        Zsl *zsl = z->ptr;
        unsigned char *lp = lpNew(0);
        for (ZslNode *n = zslFirst(zsl); n; n = zslNext(n))
            lp = zzlInsertAt(lp, NULL, zslNodeMember(n), zslNodeMemberLen(n), n->score);
        zslFree(zsl);
        z->ptr = lp;
        z->encoding = OBJ_ENC_LISTPACK;
    }
}

void zsetConvertToListpackIfNeeded(Zset *z, size_t maxMemberLen, size_t totalMemberLen) {
    if (z->encoding == OBJ_ENC_LISTPACK) return;
    const Zsl *zsl = z->ptr;
    if (zsl->length <= (unsigned long)config.zsetMaxListpackEntries &&
        maxMemberLen <= (size_t)config.zsetMaxListpackValue && lpSafeToAdd(NULL, totalMemberLen))
        zsetConvert(z, OBJ_ENC_LISTPACK);
}

bool zsetScore(const Zset *z, const char *m, size_t len, double *score) {
    if (z->encoding == OBJ_ENC_LISTPACK) return zzlFind(z->ptr, m, len, score) != NULL;
    const ZslNode *n = zslFind(z->ptr, m, len);
    if (!n) return false;
    *score = n->score;
    return true;
}

/* The update part of zsetAdd for a member whose score is `cur`: applies
 * INCR/GT/LT, sets *score to the new score; false (with the out flags set)
 * when nothing is to be written. */
static bool zsetAddExisting(int inFlags, double cur, double *score, int *outFlags, bool *ok) {
    *ok = true;
    if (inFlags & ZADD_IN_NX) {
        *outFlags |= ZADD_OUT_NOP;
        return false;
    }
    if (inFlags & ZADD_IN_INCR) {
        *score += cur;
        if (isnan(*score)) {
            *outFlags |= ZADD_OUT_NAN;
            *ok = false;
            return false;
        }
    }
    if (((inFlags & ZADD_IN_LT) && *score >= cur) || ((inFlags & ZADD_IN_GT) && *score <= cur)) {
        *outFlags |= ZADD_OUT_NOP;
        return false;
    }
    return true;
}

bool zsetAdd(Zset *z, double score, const char *m, size_t len, int inFlags, int *outFlags,
             double *newScore) {
    *outFlags = 0;
    if (isnan(score)) {
        *outFlags = ZADD_OUT_NAN;
        return false;
    }
    double cur;
    bool ok;
    if (z->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *ep = zzlFind(z->ptr, m, len, &cur);
        if (ep) {
            if (!zsetAddExisting(inFlags, cur, &score, outFlags, &ok)) return ok;
            if (newScore) *newScore = score;
            if (score != cur) {
                z->ptr = zzlDelete(z->ptr, ep);
                z->ptr = zzlInsert(z->ptr, m, len, score);
                *outFlags |= ZADD_OUT_UPDATED;
            }
            return true;
        }
        if (inFlags & ZADD_IN_XX) {
            *outFlags |= ZADD_OUT_NOP;
            return true;
        }
        /* Convert before inserting when a limit would be passed. */
        if (zzlLength(z->ptr) + 1 > (unsigned long)config.zsetMaxListpackEntries ||
            len > (size_t)config.zsetMaxListpackValue || !lpSafeToAdd(z->ptr, len)) {
            zsetConvert(z, OBJ_ENC_SKIPLIST);
        } else {
            z->ptr = zzlInsert(z->ptr, m, len, score);
            if (newScore) *newScore = score;
            *outFlags |= ZADD_OUT_ADDED;
            return true;
        }
    }
    Zsl *zsl = z->ptr;
    ZslNode *n = zslFind(zsl, m, len);
    if (n) {
        if (!zsetAddExisting(inFlags, n->score, &score, outFlags, &ok)) return ok;
        if (newScore) *newScore = score;
        if (score != n->score) {
            zslUpdateScore(zsl, n, score);
            *outFlags |= ZADD_OUT_UPDATED;
        }
        return true;
    }
    if (inFlags & ZADD_IN_XX) {
        *outFlags |= ZADD_OUT_NOP;
        return true;
    }
    zslInsert(zsl, score, m, len);
    *outFlags |= ZADD_OUT_ADDED;
    if (newScore) *newScore = score;
    return true;
}

bool zsetDelete(Zset *z, const char *m, size_t len) {
    if (z->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *ep = zzlFind(z->ptr, m, len, NULL);
        if (!ep) return false;
        z->ptr = zzlDelete(z->ptr, ep);
        return true;
    }
    Zsl *zsl = z->ptr;
    ZslNode *n = zslFind(zsl, m, len);
    if (!n) return false;
    zslDelete(zsl, n);
    zslShrinkIfSparse(zsl);
    return true;
}

long zsetRank(const Zset *z, const char *m, size_t len, bool reverse) {
    unsigned long length = zsetLength(z);
    unsigned long rank; /* 1-based */
    if (z->encoding == OBJ_ENC_LISTPACK) {
        const unsigned char *lp = z->ptr;
        rank = 1;
        const unsigned char *ep;
        for (ep = lpFirst(lp); ep; ep = zzlNextMember(lp, ep), rank++)
            if (lpCompare(ep, m, (uint32_t)len)) break;
        if (!ep) return -1;
    } else {
        const ZslNode *n = zslFind(z->ptr, m, len);
        if (!n) return -1;
        rank = zslRank(z->ptr, n);
    }
    return reverse ? (long)(length - rank) : (long)(rank - 1);
}

void zsetIterInit(ZsetIter *it, const Zset *z, bool reverse) {
    it->encoding = z->encoding;
    it->reverse = reverse;
    it->lp = NULL;
    it->p = NULL;
    it->node = NULL;
    if (z->encoding == OBJ_ENC_LISTPACK) {
        it->lp = z->ptr;
        it->p = reverse ? zzlLastMember(it->lp) : lpFirst(it->lp);
    } else {
        it->node = reverse ? zslLast(z->ptr) : zslFirst(z->ptr);
    }
}

bool zsetIterNext(ZsetIter *it, ZsetMember *m, double *score) {
    if (it->encoding == OBJ_ENC_LISTPACK) {
        if (!it->p) return false;
        zzlEntryToMember(it->p, m);
        if (score) *score = zzlGetScore(lpNext(it->lp, it->p));
        it->p = it->reverse ? zzlPrevMember(it->lp, it->p) : zzlNextMember(it->lp, it->p);
        return true;
    }
    if (!it->node) return false;
    m->s = zslNodeMember(it->node);
    m->len = zslNodeMemberLen(it->node);
    m->ll = 0;
    if (score) *score = it->node->score;
    it->node = it->reverse ? zslPrev(it->node) : zslNext(it->node);
    return true;
}

const char *zsetMemberBytes(const ZsetMember *m, char buf[LONG_STR_SIZE], size_t *len) {
    if (m->s) {
        *len = m->len;
        return m->s;
    }
    *len = (size_t)llToStr(buf, LONG_STR_SIZE, m->ll);
    return buf;
}

size_t zsetMemoryUsage(const Zset *z) {
    if (z->encoding == OBJ_ENC_LISTPACK) return kvAllocSize(z->ptr);
    return zslMemoryUsage(z->ptr, ZSET_MEMORY_SAMPLES);
}

/* ------------------------------------------------------------------------
 * Hooks for object.c and DEBUG
 * ---------------------------------------------------------------------- */

static void zsetValueFree(int encoding, void *ptr) {
    Zset z = {encoding, ptr};
    zsetFree(&z);
}

static void *zsetValueDup(int encoding, const void *ptr) {
    Zset z = {encoding, (void *)ptr};
    return zsetDup(&z).ptr;
}

static size_t zsetValueSize(int encoding, const void *ptr) {
    Zset z = {encoding, (void *)ptr};
    return zsetMemoryUsage(&z);
}

/* Redis's xorObjectDigest for zsets: per member, SHA1 mix of the member
 * bytes then the score as "%.17g", XORed into the digest (order-free). */
static void zsetDigestValue(unsigned char *digest, const Object *o) {
    Zset z = zsetOf(o);
    ZsetIter it;
    ZsetMember m;
    double score;
    zsetIterInit(&it, &z, false);
    while (zsetIterNext(&it, &m, &score)) {
        unsigned char ele[DEBUG_DIGEST_LEN];
        char buf[LONG_STR_SIZE], sbuf[ZSET_SCORE_BUF];
        size_t len;
        const char *p = zsetMemberBytes(&m, buf, &len);
        memset(ele, 0, sizeof(ele));
        debugMixDigest(ele, p, len);
        int slen = snprintf(sbuf, sizeof(sbuf), "%.17g", score);
        debugMixDigest(ele, sbuf, (size_t)slen);
        debugXorDigest(digest, ele, sizeof(ele));
    }
}

static Dict *zsetHashTable(const Object *o) {
    return o->encoding == OBJ_ENC_SKIPLIST ? ((Zsl *)objPtr(o))->dict : NULL;
}

static const DebugTypeOps zsetDebugOps = {zsetDigestValue, zsetHashTable, NULL, NULL};

void zsetTypeInit(void) {
    objRegisterType(OBJ_ZSET, zsetValueFree, zsetValueDup, zsetValueSize);
    debugRegisterType(OBJ_ZSET, &zsetDebugOps);
    zsetTypeReady = true;
}

/* ------------------------------------------------------------------------
 * Command helpers
 * ---------------------------------------------------------------------- */

/* Looks up a key that must hold a sorted set: *out is the object or NULL
 * when the key is missing. Returns false (after replying WRONGTYPE) when
 * the key holds another type. `write` picks the lookup that does not count
 * keyspace hits/misses. */
static bool zsetLookup(Client *c, const Arg *key, bool write, Object **out) {
    Object *o =
        write ? dbLookupWrite(c->db, key->ptr, key->len) : dbLookupRead(c->db, key->ptr, key->len);
    *out = o;
    if (o && o->type != OBJ_ZSET) {
        addReplyErrorWrongType(c);
        return false;
    }
    return true;
}

static bool zsetParseLongOrReply(Client *c, const Arg *a, long *out) {
    if (strToLong(a->ptr, a->len, out)) return true;
    addReplyError(c, errNotInteger);
    return false;
}

/* Redis getRangeLongFromObjectOrReply: an integer within [min, max], else
 * "ERR <msg>" (or Redis's generic range message when msg is NULL). */
static bool zsetParseRangeLongOrReply(Client *c, const Arg *a, long min, long max, long *out,
                                      const char *msg) {
    /* With a message, Redis uses it for a non-integer too. */
    if (msg && !strToLong(a->ptr, a->len, out)) {
        addReplyErrorFormat(c, "ERR %s", msg);
        return false;
    }
    if (!msg && !zsetParseLongOrReply(c, a, out)) return false;
    if (*out >= min && *out <= max) return true;
    if (msg)
        addReplyErrorFormat(c, "ERR %s", msg);
    else
        addReplyErrorFormat(c, "ERR value is out of range, value must between %ld and %ld", min,
                            max);
    return false;
}

/* A NUL-terminated copy of an argument in buf (cap bytes) or, when longer,
 * a new allocation the caller frees when it differs from buf. */
static char *zsetArgCString(const Arg *a, char *buf, size_t cap) {
    char *s = a->len < cap ? buf : kvMalloc(a->len + 1);
    memcpy(s, a->ptr, a->len);
    s[a->len] = '\0';
    return s;
}

/* One bound of a score range, as Redis zslParseRange reads it: strtod on the
 * C string (so "" is 0, leading spaces and "1e400" pass, bytes after an
 * embedded NUL are ignored — Redis quirks kept on purpose), "(" in front
 * makes it exclusive, NaN is refused. */
static bool zsetParseScoreBound(const Arg *a, double *v, bool *exclusive) {
    char buf[128];
    char *s = zsetArgCString(a, buf, sizeof(buf));
    const char *p = s;
    *exclusive = false;
    if (p[0] == '(') {
        p++;
        *exclusive = true;
    }
    char *end;
    *v = strtod(p, &end);
    bool ok = end[0] == '\0' && !isnan(*v);
    if (s != buf) kvFree(s);
    return ok;
}

static bool zsetParseRange(const Arg *min, const Arg *max, ZRangeSpec *r) {
    return zsetParseScoreBound(min, &r->min, &r->minex) &&
           zsetParseScoreBound(max, &r->max, &r->maxex);
}

/* One bound of a lex range (Redis zslParseLexRangeItem): "+" or "-" alone
 * (compared as C strings, so "+\0x" is "+"), or "[" / "(" and the member.
 * The bound borrows the argument's bytes. */
static bool zsetParseLexBound(const Arg *a, ZLexBound *b) {
    b->p = NULL;
    b->len = 0;
    if (a->len == 0) return false;
    switch (a->ptr[0]) {
        case '+':
        case '-':
            if (a->len > 1 && a->ptr[1] != '\0') return false;
            b->kind = a->ptr[0] == '+' ? ZLEX_PLUS_INF : ZLEX_MINUS_INF;
            b->exclusive = true;
            return true;
        case '(':
        case '[':
            b->kind = ZLEX_VALUE;
            b->exclusive = a->ptr[0] == '(';
            b->p = a->ptr + 1;
            b->len = a->len - 1;
            return true;
        default: return false;
    }
}

static bool zsetParseLexRange(const Arg *min, const Arg *max, ZLexRangeSpec *r) {
    return zsetParseLexBound(min, &r->min) && zsetParseLexBound(max, &r->max);
}

static void addReplyZsetMember(Client *c, const ZsetMember *m) {
    if (m->s)
        addReplyBulk(c, m->s, m->len);
    else
        addReplyBulkLongLong(c, m->ll);
}

static void addReplyLpEntry(Client *c, const LpEntry *e) {
    if (e->sval)
        addReplyBulk(c, e->sval, e->slen);
    else
        addReplyBulkLongLong(c, e->lval);
}

static double lpEntryScore(const LpEntry *e) {
    return e->sval ? zzlParseScore(e->sval, e->slen) : (double)e->lval;
}

/* Signals a change of key and publishes `event` ("del" is a generic event,
 * the others sorted-set events). */
static void zsetSignal(Client *c, const Arg *key, const char *event) {
    dbSignalModified(c->db, key->ptr, key->len);
    bool del = strcmp(event, "del") == 0;
    notifyKeyspaceEvent(del ? NOTIFY_GENERIC : NOTIFY_ZSET, event, key->ptr, key->len, c->db->id);
}

/* An iterator that starts at a given listpack entry or skiplist node (as
 * found by a range search) instead of an end. */
static void zsetIterAt(ZsetIter *it, const Zset *z, bool reverse, const unsigned char *ep,
                       const ZslNode *node) {
    zsetIterInit(it, z, reverse);
    it->p = ep;
    it->node = node;
}

/* An iterator positioned at the element of 0-based rank `start`, counted
 * from the end the iteration starts from. start < length. */
static void zsetIterAtRank(ZsetIter *it, const Zset *z, unsigned long start, bool reverse) {
    if (z->encoding == OBJ_ENC_LISTPACK) {
        long index = reverse ? -2 - 2 * (long)start : 2 * (long)start;
        zsetIterAt(it, z, reverse, lpSeek(z->ptr, index), NULL);
    } else {
        const Zsl *zsl = z->ptr;
        const ZslNode *n = reverse ? (start ? zslByRank(zsl, zsl->length - start) : zslLast(zsl))
                                   : (start ? zslByRank(zsl, start + 1) : zslFirst(zsl));
        zsetIterAt(it, z, reverse, NULL, n);
    }
}

/* ------------------------------------------------------------------------
 * ZADD ZINCRBY ZREM
 * ---------------------------------------------------------------------- */

static void zaddGenericCommand(Client *c, int flags) {
    static const char *const errNan = "ERR resulting score is not a number (NaN)";
    int scoreIdx = 2;
    bool ch = false;
    for (; scoreIdx < c->argc; scoreIdx++) {
        const Arg *opt = &c->argv[scoreIdx];
        if (argIs(opt, "nx"))
            flags |= ZADD_IN_NX;
        else if (argIs(opt, "xx"))
            flags |= ZADD_IN_XX;
        else if (argIs(opt, "ch"))
            ch = true;
        else if (argIs(opt, "incr"))
            flags |= ZADD_IN_INCR;
        else if (argIs(opt, "gt"))
            flags |= ZADD_IN_GT;
        else if (argIs(opt, "lt"))
            flags |= ZADD_IN_LT;
        else
            break;
    }
    bool incr = flags & ZADD_IN_INCR, nx = flags & ZADD_IN_NX, xx = flags & ZADD_IN_XX;
    bool gt = flags & ZADD_IN_GT, lt = flags & ZADD_IN_LT;

    int elements = c->argc - scoreIdx;
    if (elements % 2 || !elements) {
        addReplyError(c, errSyntax);
        return;
    }
    elements /= 2;
    if (nx && xx) {
        addReplyError(c, "ERR XX and NX options at the same time are not compatible");
        return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
        addReplyError(c, "ERR GT, LT, and/or NX options at the same time are not compatible");
        return;
    }
    if (incr && elements > 1) {
        addReplyError(c, "ERR INCR option supports a single increment-element pair");
        return;
    }

    /* Every score is checked before anything changes: all or nothing. */
    double *scores = kvMalloc(sizeof(double) * (size_t)elements);
    for (int j = 0; j < elements; j++) {
        const Arg *a = &c->argv[scoreIdx + j * 2];
        if (!strToDouble(a->ptr, a->len, &scores[j])) {
            addReplyError(c, errNotFloat);
            kvFree(scores);
            return;
        }
    }

    const Arg *key = &c->argv[1];
    Object *o;
    int added = 0, updated = 0, processed = 0;
    double score = 0;
    if (!zsetLookup(c, key, true, &o)) goto cleanup;
    if (!o) {
        if (xx) goto reply;
        /* Redis looks at the first member only to pick the encoding. */
        Zset z = zsetNewFor(1, c->argv[scoreIdx + 1].len);
        o = zsetNewObject(key->ptr, key->len, &z);
        dbAdd(c->db, o);
    }
    Zset z = zsetOf(o);
    for (int j = 0; j < elements; j++) {
        const Arg *m = &c->argv[scoreIdx + 1 + j * 2];
        int out;
        double newScore = 0;
        bool ok = zsetAdd(&z, scores[j], m->ptr, m->len, flags, &out, &newScore);
        zsetStore(o, &z);
        if (!ok) {
            addReplyError(c, errNan);
            goto cleanup;
        }
        if (out & ZADD_OUT_ADDED) added++;
        if (out & ZADD_OUT_UPDATED) updated++;
        if (!(out & ZADD_OUT_NOP)) processed++;
        score = newScore;
    }
reply:
    if (incr) {
        if (processed)
            addReplyDouble(c, score);
        else
            addReplyNull(c);
    } else {
        addReplyLongLong(c, ch ? added + updated : added);
    }
cleanup:
    kvFree(scores);
    if (added || updated) zsetSignal(c, key, incr ? "zincr" : "zadd");
}

void zaddCommand(Client *c) {
    zaddGenericCommand(c, 0);
}

/* ZINCRBY key increment member. It shares ZADD's parser, so an increment
 * spelled like an option ("nx") is a syntax error, as in Redis. */
void zincrbyCommand(Client *c) {
    zaddGenericCommand(c, ZADD_IN_INCR);
}

void zremCommand(Client *c) {
    const Arg *key = &c->argv[1];
    Object *o;
    if (!zsetLookup(c, key, true, &o)) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    Zset z = zsetOf(o);
    long long deleted = 0;
    bool keyRemoved = false;
    for (int j = 2; j < c->argc; j++) {
        if (zsetDelete(&z, c->argv[j].ptr, c->argv[j].len)) deleted++;
        zsetStore(o, &z);
        if (zsetLength(&z) == 0) {
            dbDelete(c->db, key->ptr, key->len);
            keyRemoved = true;
            break;
        }
    }
    if (deleted) zsetSignal(c, key, "zrem");
    if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
    addReplyLongLong(c, deleted);
}

/* ------------------------------------------------------------------------
 * ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT
 * ---------------------------------------------------------------------- */

void zcardCommand(Client *c) {
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    Zset z = zsetOf(o);
    addReplyLongLong(c, (long long)zsetLength(&z));
}

void zscoreCommand(Client *c) {
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    double score;
    if (o) {
        Zset z = zsetOf(o);
        if (zsetScore(&z, c->argv[2].ptr, c->argv[2].len, &score)) {
            addReplyDouble(c, score);
            return;
        }
    }
    addReplyNull(c);
}

void zmscoreCommand(Client *c) {
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    Zset z = {0, NULL};
    if (o) z = zsetOf(o);
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        double score;
        /* A missing key answers as an empty set. */
        if (o && zsetScore(&z, c->argv[j].ptr, c->argv[j].len, &score))
            addReplyDouble(c, score);
        else
            addReplyNull(c);
    }
}

static void zrankGenericCommand(Client *c, bool reverse) {
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    if (!o) {
        addReplyNull(c);
        return;
    }
    Zset z = zsetOf(o);
    long rank = zsetRank(&z, c->argv[2].ptr, c->argv[2].len, reverse);
    if (rank >= 0)
        addReplyLongLong(c, rank);
    else
        addReplyNull(c);
}

void zrankCommand(Client *c) {
    zrankGenericCommand(c, false);
}

void zrevrankCommand(Client *c) {
    zrankGenericCommand(c, true);
}

void zcountCommand(Client *c) {
    ZRangeSpec r;
    if (!zsetParseRange(&c->argv[2], &c->argv[3], &r)) {
        addReplyError(c, "ERR min or max is not a float");
        return;
    }
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    unsigned long count = 0;
    if (o) {
        Zset z = zsetOf(o);
        if (z.encoding == OBJ_ENC_LISTPACK) {
            unsigned char *lp = z.ptr;
            for (unsigned char *ep = zzlFirstInRange(lp, &r); ep; ep = zzlNextMember(lp, ep)) {
                if (!zslValueLteMax(zzlGetScore(lpNext(lp, ep)), &r)) break;
                count++;
            }
        } else {
            const Zsl *zsl = z.ptr;
            const ZslNode *first = zslFirstInRange(zsl, &r);
            if (first) {
                const ZslNode *last = zslLastInRange(zsl, &r);
                count = zslRank(zsl, last) - zslRank(zsl, first) + 1;
            }
        }
    }
    addReplyLongLong(c, (long long)count);
}

void zlexcountCommand(Client *c) {
    ZLexRangeSpec r;
    if (!zsetParseLexRange(&c->argv[2], &c->argv[3], &r)) {
        addReplyError(c, "ERR min or max not valid string range item");
        return;
    }
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    unsigned long count = 0;
    if (o) {
        Zset z = zsetOf(o);
        if (z.encoding == OBJ_ENC_LISTPACK) {
            unsigned char *lp = z.ptr;
            for (unsigned char *ep = zzlFirstInLexRange(lp, &r); ep; ep = zzlNextMember(lp, ep)) {
                if (!zzlLexLteMax(ep, &r)) break;
                count++;
            }
        } else {
            const Zsl *zsl = z.ptr;
            const ZslNode *first = zslFirstInLexRange(zsl, &r);
            if (first) {
                const ZslNode *last = zslLastInLexRange(zsl, &r);
                count = zslRank(zsl, last) - zslRank(zsl, first) + 1;
            }
        }
    }
    addReplyLongLong(c, (long long)count);
}

/* ------------------------------------------------------------------------
 * ZRANGE and friends
 *
 * One parser (Redis zrangeGenericCommand) serves ZRANGE, ZRANGESTORE and
 * the older Z[REV]RANGE[BYSCORE|BYLEX] forms; the elements found go to a
 * sink that either replies them or adds them to the destination set.
 * ---------------------------------------------------------------------- */

typedef enum { ZRANGE_AUTO = 0, ZRANGE_RANK, ZRANGE_SCORE, ZRANGE_LEX } ZRangeType;
typedef enum { ZRANGE_DIR_AUTO = 0, ZRANGE_DIR_FORWARD, ZRANGE_DIR_REVERSE } ZRangeDir;

typedef struct ZRangeSink {
    Client *c;
    bool withScores;
    const Arg *dstKey; /* ZRANGESTORE: the destination; NULL for a reply */
    Zset dst;
    bool deferred;
    size_t handle;
} ZRangeSink;

/* length: the number of results when known in advance, else -1. */
static void zrangeSinkBegin(ZRangeSink *s, long length) {
    if (s->dstKey) {
        /* Redis 7.0.15 starts a skiplist when the known length already
         * passes the limit (which keeps -0 scores), else a listpack. */
        s->dst = length > config.zsetMaxListpackEntries ? zsetNewSkiplist() : zsetNewListpack();
        return;
    }
    if (length > 0) {
        addReplyArrayLen(s->c, s->withScores && s->c->resp == 2 ? length * 2 : length);
        s->deferred = false;
    } else {
        s->handle = addReplyDeferredLen(s->c);
        s->deferred = true;
    }
}

static void zrangeSinkEmit(ZRangeSink *s, const ZsetMember *m, double score) {
    Client *c = s->c;
    if (s->dstKey) {
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = zsetMemberBytes(m, buf, &len);
        int out;
        zsetAdd(&s->dst, score, p, len, 0, &out, NULL);
        return;
    }
    if (s->withScores && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyZsetMember(c, m);
    if (s->withScores) addReplyDouble(c, score);
}

static void zrangeSinkFinish(ZRangeSink *s, unsigned long count) {
    Client *c = s->c;
    if (!s->dstKey) {
        if (s->deferred)
            setDeferredArrayLen(c, s->handle,
                                (long long)(s->withScores && c->resp == 2 ? count * 2 : count));
        return;
    }
    if (count) {
        dbSetKey(c->db, zsetNewObject(s->dstKey->ptr, s->dstKey->len, &s->dst));
        addReplyLongLong(c, (long long)count);
        zsetSignal(c, s->dstKey, "zrangestore");
    } else {
        zsetFree(&s->dst);
        addReplyLongLong(c, 0);
        if (dbDelete(c->db, s->dstKey->ptr, s->dstKey->len)) zsetSignal(c, s->dstKey, "del");
    }
}

static void zrangeByRank(ZRangeSink *s, const Zset *z, long start, long end, bool reverse) {
    long length = (long)zsetLength(z);
    if (start < 0) start = length + start;
    if (end < 0) end = length + end;
    if (start < 0) start = 0;
    /* start >= 0 here, so this is also true when end < 0. */
    if (start > end || start >= length) {
        zrangeSinkBegin(s, 0);
        zrangeSinkFinish(s, 0);
        return;
    }
    if (end >= length) end = length - 1;
    long rangeLen = end - start + 1;
    zrangeSinkBegin(s, rangeLen);
    ZsetIter it;
    ZsetMember m;
    double score;
    zsetIterAtRank(&it, z, (unsigned long)start, reverse);
    for (long i = 0; i < rangeLen && zsetIterNext(&it, &m, &score); i++)
        zrangeSinkEmit(s, &m, score);
    zrangeSinkFinish(s, (unsigned long)rangeLen);
}

/* Emits the elements from `it` on, after skipping `offset` of them, while
 * inRange() holds and `limit` (negative: no limit) is not reached. A
 * negative offset emits nothing (in Redis it skips past the end). */
typedef bool ZRangeTest(const ZsetMember *m, double score, const void *range, bool reverse);

static unsigned long zrangeEmitFrom(ZRangeSink *s, ZsetIter *it, long offset, long limit,
                                    ZRangeTest *inRange, const void *range) {
    ZsetMember m;
    double score;
    unsigned long count = 0;
    if (offset < 0) return 0;
    while (offset > 0 && zsetIterNext(it, &m, NULL)) offset--;
    if (offset > 0) return 0;
    while (limit != 0 && zsetIterNext(it, &m, &score)) {
        if (!inRange(&m, score, range, it->reverse)) break;
        zrangeSinkEmit(s, &m, score);
        count++;
        if (limit > 0) limit--;
    }
    return count;
}

static bool zrangeScoreTest(const ZsetMember *m, double score, const void *range, bool reverse) {
    (void)m;
    return reverse ? zslValueGteMin(score, range) : zslValueLteMax(score, range);
}

static bool zrangeLexTest(const ZsetMember *m, double score, const void *range, bool reverse) {
    (void)score;
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = zsetMemberBytes(m, buf, &len);
    return reverse ? zslLexGteMin(p, len, range) : zslLexLteMax(p, len, range);
}

static void zrangeByScore(ZRangeSink *s, const Zset *z, const ZRangeSpec *r, long offset,
                          long limit, bool reverse) {
    zrangeSinkBegin(s, -1);
    if (offset > 0 && (unsigned long)offset >= zsetLength(z)) {
        zrangeSinkFinish(s, 0);
        return;
    }
    ZsetIter it;
    if (z->encoding == OBJ_ENC_LISTPACK)
        zsetIterAt(&it, z, reverse,
                   reverse ? zzlLastInRange(z->ptr, r) : zzlFirstInRange(z->ptr, r), NULL);
    else
        zsetIterAt(&it, z, reverse, NULL,
                   reverse ? zslLastInRange(z->ptr, r) : zslFirstInRange(z->ptr, r));
    zrangeSinkFinish(s, zrangeEmitFrom(s, &it, offset, limit, zrangeScoreTest, r));
}

static void zrangeByLex(ZRangeSink *s, const Zset *z, const ZLexRangeSpec *r, long offset,
                        long limit, bool reverse) {
    zrangeSinkBegin(s, -1);
    ZsetIter it;
    if (z->encoding == OBJ_ENC_LISTPACK)
        zsetIterAt(&it, z, reverse,
                   reverse ? zzlLastInLexRange(z->ptr, r) : zzlFirstInLexRange(z->ptr, r), NULL);
    else
        zsetIterAt(&it, z, reverse, NULL,
                   reverse ? zslLastInLexRange(z->ptr, r) : zslFirstInLexRange(z->ptr, r));
    zrangeSinkFinish(s, zrangeEmitFrom(s, &it, offset, limit, zrangeLexTest, r));
}

/* The syntax after the source key (argv[keyIdx]):
 *   <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT offset count]
 * with type/dir fixed by the older commands (then BYSCORE, BYLEX and REV
 * are syntax errors). dstKey is ZRANGESTORE's destination or NULL. */
static void zrangeGenericCommand(Client *c, int keyIdx, const Arg *dstKey, ZRangeType type,
                                 ZRangeDir dir) {
    int minIdx = keyIdx + 1, maxIdx = keyIdx + 2;
    long optStart = 0, optEnd = 0, optOffset = 0, optLimit = -1;
    bool withScores = false;

    for (int j = keyIdx + 3; j < c->argc; j++) {
        int left = c->argc - j - 1;
        const Arg *a = &c->argv[j];
        if (!dstKey && argIs(a, "withscores")) {
            withScores = true;
        } else if (argIs(a, "limit") && left >= 2) {
            if (!zsetParseLongOrReply(c, &c->argv[j + 1], &optOffset) ||
                !zsetParseLongOrReply(c, &c->argv[j + 2], &optLimit))
                return;
            j += 2;
        } else if (dir == ZRANGE_DIR_AUTO && argIs(a, "rev")) {
            dir = ZRANGE_DIR_REVERSE;
        } else if (type == ZRANGE_AUTO && argIs(a, "bylex")) {
            type = ZRANGE_LEX;
        } else if (type == ZRANGE_AUTO && argIs(a, "byscore")) {
            type = ZRANGE_SCORE;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    if (dir == ZRANGE_DIR_AUTO) dir = ZRANGE_DIR_FORWARD;
    if (type == ZRANGE_AUTO) type = ZRANGE_RANK;
    bool reverse = dir == ZRANGE_DIR_REVERSE;

    if (optLimit != -1 && type == ZRANGE_RANK) {
        addReplyError(c, "ERR syntax error, LIMIT is only supported in combination with either "
                         "BYSCORE or BYLEX");
        return;
    }
    if (withScores && type == ZRANGE_LEX) {
        addReplyError(c, "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        return;
    }
    /* Score and lex ranges are given as max, min when reversed. */
    if (reverse && (type == ZRANGE_SCORE || type == ZRANGE_LEX)) {
        int tmp = maxIdx;
        maxIdx = minIdx;
        minIdx = tmp;
    }

    ZRangeSpec range;
    ZLexRangeSpec lexRange;
    switch (type) {
        case ZRANGE_SCORE:
            if (!zsetParseRange(&c->argv[minIdx], &c->argv[maxIdx], &range)) {
                addReplyError(c, "ERR min or max is not a float");
                return;
            }
            break;
        case ZRANGE_LEX:
            if (!zsetParseLexRange(&c->argv[minIdx], &c->argv[maxIdx], &lexRange)) {
                addReplyError(c, "ERR min or max not valid string range item");
                return;
            }
            break;
        default:
            if (!zsetParseLongOrReply(c, &c->argv[minIdx], &optStart) ||
                !zsetParseLongOrReply(c, &c->argv[maxIdx], &optEnd))
                return;
            break;
    }

    ZRangeSink sink = {c, withScores || dstKey != NULL, dstKey, {0, NULL}, false, 0};
    Object *o;
    if (!zsetLookup(c, &c->argv[keyIdx], false, &o)) return;
    if (!o) {
        if (dstKey) {
            zrangeSinkBegin(&sink, -1);
            zrangeSinkFinish(&sink, 0);
        } else {
            addReplyArrayLen(c, 0);
        }
        return;
    }
    Zset z = zsetOf(o);
    switch (type) {
        case ZRANGE_SCORE: zrangeByScore(&sink, &z, &range, optOffset, optLimit, reverse); break;
        case ZRANGE_LEX: zrangeByLex(&sink, &z, &lexRange, optOffset, optLimit, reverse); break;
        default: zrangeByRank(&sink, &z, optStart, optEnd, reverse); break;
    }
}

void zrangeCommand(Client *c) {
    zrangeGenericCommand(c, 1, NULL, ZRANGE_AUTO, ZRANGE_DIR_AUTO);
}

void zrangestoreCommand(Client *c) {
    zrangeGenericCommand(c, 2, &c->argv[1], ZRANGE_AUTO, ZRANGE_DIR_AUTO);
}

void zrevrangeCommand(Client *c) {
    zrangeGenericCommand(c, 1, NULL, ZRANGE_RANK, ZRANGE_DIR_REVERSE);
}

void zrangebyscoreCommand(Client *c) {
    zrangeGenericCommand(c, 1, NULL, ZRANGE_SCORE, ZRANGE_DIR_FORWARD);
}

void zrevrangebyscoreCommand(Client *c) {
    zrangeGenericCommand(c, 1, NULL, ZRANGE_SCORE, ZRANGE_DIR_REVERSE);
}

void zrangebylexCommand(Client *c) {
    zrangeGenericCommand(c, 1, NULL, ZRANGE_LEX, ZRANGE_DIR_FORWARD);
}

void zrevrangebylexCommand(Client *c) {
    zrangeGenericCommand(c, 1, NULL, ZRANGE_LEX, ZRANGE_DIR_REVERSE);
}

/* ------------------------------------------------------------------------
 * ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX
 * ---------------------------------------------------------------------- */

static void zremrangeGenericCommand(Client *c, ZRangeType type) {
    const Arg *key = &c->argv[1];
    long start = 0, end = 0;
    ZRangeSpec range;
    ZLexRangeSpec lexRange;
    if (type == ZRANGE_RANK) {
        if (!zsetParseLongOrReply(c, &c->argv[2], &start) ||
            !zsetParseLongOrReply(c, &c->argv[3], &end))
            return;
    } else if (type == ZRANGE_SCORE) {
        if (!zsetParseRange(&c->argv[2], &c->argv[3], &range)) {
            addReplyError(c, "ERR min or max is not a float");
            return;
        }
    } else if (!zsetParseLexRange(&c->argv[2], &c->argv[3], &lexRange)) {
        addReplyError(c, "ERR min or max not valid string range item");
        return;
    }

    Object *o;
    if (!zsetLookup(c, key, true, &o)) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    Zset z = zsetOf(o);
    if (type == ZRANGE_RANK) {
        long length = (long)zsetLength(&z);
        if (start < 0) start = length + start;
        if (end < 0) end = length + end;
        if (start < 0) start = 0;
        if (start > end || start >= length) {
            addReplyLongLong(c, 0);
            return;
        }
        if (end >= length) end = length - 1;
    }

    unsigned long deleted = 0;
    if (z.encoding == OBJ_ENC_LISTPACK) {
        if (type == ZRANGE_RANK) {
            deleted = (unsigned long)(end - start + 1);
            z.ptr = lpDeleteRange(z.ptr, 2 * start, 2 * deleted);
        } else if (type == ZRANGE_SCORE) {
            z.ptr = zzlDeleteRangeByScore(z.ptr, &range, &deleted);
        } else {
            z.ptr = zzlDeleteRangeByLex(z.ptr, &lexRange, &deleted);
        }
    } else {
        Zsl *zsl = z.ptr;
        if (type == ZRANGE_RANK)
            deleted = zslDeleteRangeByRank(zsl, (unsigned long)start + 1, (unsigned long)end + 1);
        else if (type == ZRANGE_SCORE)
            deleted = zslDeleteRangeByScore(zsl, &range);
        else
            deleted = zslDeleteRangeByLex(zsl, &lexRange);
        zslShrinkIfSparse(zsl);
    }
    zsetStore(o, &z);
    if (deleted)
        zsetSignal(c, key,
                   type == ZRANGE_RANK    ? "zremrangebyrank"
                   : type == ZRANGE_SCORE ? "zremrangebyscore"
                                          : "zremrangebylex");
    if (zsetLength(&z) == 0) {
        dbDelete(c->db, key->ptr, key->len);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
    }
    addReplyLongLong(c, (long long)deleted);
}

void zremrangebyrankCommand(Client *c) {
    zremrangeGenericCommand(c, ZRANGE_RANK);
}

void zremrangebyscoreCommand(Client *c) {
    zremrangeGenericCommand(c, ZRANGE_SCORE);
}

void zremrangebylexCommand(Client *c) {
    zremrangeGenericCommand(c, ZRANGE_LEX);
}

/* ------------------------------------------------------------------------
 * ZPOPMIN ZPOPMAX ZMPOP BZPOPMIN BZPOPMAX BZMPOP
 * ---------------------------------------------------------------------- */

/* Pops up to `count` (>= 1) elements of the sorted set o (in db) from the
 * `where` end and replies them. Reply shapes (Redis genericZpopCommand):
 *   !emitKey !nested  [m, s, m, s…]            ZPOPMIN, and RESP2 with count
 *   !emitKey  nested  [[m, s], [m, s]…]        ZPOPMIN with count in RESP3
 *    emitKey !nested  [key, m, s]              BZPOPMIN / BZPOPMAX
 *    emitKey  nested  [key, [[m, s]…]]         ZMPOP / BZMPOP
 * Deletes the key when it becomes empty. */
static void zpopFromObject(Client *c, Db *db, Object *o, int where, long count, bool emitKey,
                           bool nested) {
    Zset z = zsetOf(o);
    long length = (long)zsetLength(&z);
    long rangeLen = count > length ? length : count;
    if (!emitKey) {
        addReplyArrayLen(c, nested ? rangeLen : rangeLen * 2);
    } else if (!nested) {
        addReplyArrayLen(c, rangeLen * 2 + 1);
        addReplyBulk(c, objKey(o), objKeyLen(o));
    } else {
        addReplyArrayLen(c, 2);
        addReplyBulk(c, objKey(o), objKeyLen(o));
        addReplyArrayLen(c, rangeLen);
    }
    for (long i = 0; i < rangeLen; i++) {
        if (nested) addReplyArrayLen(c, 2);
        if (z.encoding == OBJ_ENC_LISTPACK) {
            unsigned char *ep = where == ZSET_MAX ? zzlLastMember(z.ptr) : lpFirst(z.ptr);
            ZsetMember m;
            zzlEntryToMember(ep, &m);
            addReplyZsetMember(c, &m);
            addReplyDouble(c, zzlGetScore(lpNext(z.ptr, ep)));
            z.ptr = zzlDelete(z.ptr, ep);
        } else {
            Zsl *zsl = z.ptr;
            ZslNode *n = where == ZSET_MAX ? zslLast(zsl) : zslFirst(zsl);
            addReplyBulk(c, zslNodeMember(n), zslNodeMemberLen(n));
            addReplyDouble(c, n->score);
            zslDelete(zsl, n);
        }
    }
    if (z.encoding == OBJ_ENC_SKIPLIST) zslShrinkIfSparse(z.ptr);
    zsetStore(o, &z);
    if (rangeLen > 0) {
        dbSignalModified(db, objKey(o), objKeyLen(o));
        notifyKeyspaceEvent(NOTIFY_ZSET, where == ZSET_MAX ? "zpopmax" : "zpopmin", objKey(o),
                            objKeyLen(o), db->id);
    }
    if (zsetLength(&z) == 0) {
        dstr key = dstrNewLen(objKey(o), objKeyLen(o)); /* the Object goes away */
        dbDelete(db, key, dstrLen(key));
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, dstrLen(key), db->id);
        dstrFree(key);
    }
}

/* ZMPOP/BZMPOP/BZPOPMIN/BZPOPMAX propagate as ZPOPMIN/ZPOPMAX key [n]
 * (n: the number actually popped; none for BZPOP*), as Redis 7.0. Called
 * before the pop. inCall: under callCommand (replace the argv), else a
 * blocked client is being served. */
static void zpopPropagate(Client *c, Db *db, Object *o, int where, long count, bool inCall) {
    char num[24];
    Arg argv[3] = {{where == ZSET_MAX ? "ZPOPMAX" : "ZPOPMIN", 7},
                   {(char *)objKey(o), objKeyLen(o)},
                   {num, 0}};
    int argc = 2;
    if (count != -1) {
        Zset z = zsetOf(o);
        long length = (long)zsetLength(&z);
        argv[2].len = (size_t)snprintf(num, sizeof(num), "%ld", count > length ? length : count);
        argc = 3;
    }
    if (inCall)
        propagateReplace(c, argc, argv);
    else
        propagateAlso(db->id, argc, argv);
}

/* Pops from the first existing key of keys[0..nkeys-1]. count is -1 for a
 * plain single pop. With nilWhenEmpty (ZMPOP) no key answers a null
 * array, else an empty one. */
static void zpopGenericCommand(Client *c, const Arg *keys, int nkeys, int where, bool emitKey,
                               long count, bool nested, bool nilWhenEmpty) {
    Object *o = NULL;
    for (int i = 0; i < nkeys && !o; i++)
        if (!zsetLookup(c, &keys[i], true, &o)) return;
    if (!o) {
        if (nilWhenEmpty)
            addReplyNullArray(c);
        else
            addReplyArrayLen(c, 0);
        return;
    }
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (emitKey) zpopPropagate(c, c->db, o, where, count, true); /* ZMPOP */
    zpopFromObject(c, c->db, o, where, count == -1 ? 1 : count, emitKey, nested);
}

static void zpopMinMaxCommand(Client *c, int where) {
    if (c->argc > 3) {
        addReplyError(c, errSyntax);
        return;
    }
    long count = -1;
    if (c->argc == 3 && !zsetParseRangeLongOrReply(c, &c->argv[2], 0, LONG_MAX, &count,
                                                   "value is out of range, must be positive"))
        return;
    /* A count makes RESP3 replies nested pairs; without one it stays flat. */
    bool nested = c->resp > 2 && count != -1;
    zpopGenericCommand(c, &c->argv[1], 1, where, false, count, nested, false);
}

void zpopminCommand(Client *c) {
    zpopMinMaxCommand(c, ZSET_MIN);
}

void zpopmaxCommand(Client *c) {
    zpopMinMaxCommand(c, ZSET_MAX);
}

/* What a client blocked in BZPOPMIN/BZPOPMAX/BZMPOP waits to do. */
typedef struct ZpopBlock {
    int where;
    long count;
    bool nested;
} ZpopBlock;

static bool zpopServeBlocked(Client *c, Db *db, Object *o, void *priv) {
    const ZpopBlock *b = priv;
    zpopPropagate(c, db, o, b->where, b->nested ? b->count : -1, false);
    zpopFromObject(c, db, o, b->where, b->count, true, b->nested);
    return true;
}

static void zpopFreeBlock(void *priv) {
    kvFree(priv);
}

static const BlockSpec zpopBlockSpec = {OBJ_ZSET, zpopServeBlocked, zpopFreeBlock};

/* BZPOPMIN/BZPOPMAX (count -1, flat [key, member, score]) and BZMPOP
 * (count >= 1, nested). The timeout is argv[timeoutIdx]. */
static void zpopBlockingGeneric(Client *c, const Arg *keys, int nkeys, int where, int timeoutIdx,
                                long count, bool nested) {
    long long deadline;
    if (!blockingParseTimeoutOrReply(c, &c->argv[timeoutIdx], &deadline)) return;
    for (int i = 0; i < nkeys; i++) {
        Object *o;
        if (!zsetLookup(c, &keys[i], true, &o)) return;
        if (!o) continue;
        zpopPropagate(c, c->db, o, where, count, true);
        zpopFromObject(c, c->db, o, where, count == -1 ? 1 : count, true, nested);
        return;
    }
    /* Inside MULTI or a script: answer as an immediate timeout. */
    if (!blockingAllowed(c)) {
        addReplyNullArray(c);
        return;
    }
    ZpopBlock *b = kvMalloc(sizeof(*b));
    b->where = where;
    b->count = count == -1 ? 1 : count;
    b->nested = nested;
    blockingBlockClient(c, keys, nkeys, deadline, &zpopBlockSpec, b);
}

void bzpopminCommand(Client *c) {
    zpopBlockingGeneric(c, &c->argv[1], c->argc - 2, ZSET_MIN, c->argc - 1, -1, false);
}

void bzpopmaxCommand(Client *c) {
    zpopBlockingGeneric(c, &c->argv[1], c->argc - 2, ZSET_MAX, c->argc - 1, -1, false);
}

/* ZMPOP numkeys key [key …] MIN|MAX [COUNT count], and BZMPOP with the
 * timeout first (numkeys at argv[2]). */
static void zmpopGenericCommand(Client *c, int numkeysIdx, bool blocking) {
    long numkeys, count = -1;
    int where;
    if (!zsetParseRangeLongOrReply(c, &c->argv[numkeysIdx], 1, LONG_MAX, &numkeys,
                                   "numkeys should be greater than 0"))
        return;
    /* MIN|MAX must follow the keys (compared so that a huge numkeys cannot
     * overflow). */
    if (numkeys >= c->argc - numkeysIdx - 1) {
        addReplyError(c, errSyntax);
        return;
    }
    long whereIdx = numkeysIdx + numkeys + 1;
    if (argIs(&c->argv[whereIdx], "min")) {
        where = ZSET_MIN;
    } else if (argIs(&c->argv[whereIdx], "max")) {
        where = ZSET_MAX;
    } else {
        addReplyError(c, errSyntax);
        return;
    }
    for (long j = whereIdx + 1; j < c->argc; j++) {
        bool moreArgs = j < c->argc - 1;
        if (count == -1 && argIs(&c->argv[j], "count") && moreArgs) {
            j++;
            if (!zsetParseRangeLongOrReply(c, &c->argv[j], 1, LONG_MAX, &count,
                                           "count should be greater than 0"))
                return;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    if (count == -1) count = 1;
    const Arg *keys = &c->argv[numkeysIdx + 1];
    if (blocking)
        zpopBlockingGeneric(c, keys, (int)numkeys, where, 1, count, true);
    else
        zpopGenericCommand(c, keys, (int)numkeys, where, true, count, true, true);
}

void zmpopCommand(Client *c) {
    zmpopGenericCommand(c, 1, false);
}

void bzmpopCommand(Client *c) {
    zmpopGenericCommand(c, 2, true);
}

/* ------------------------------------------------------------------------
 * ZRANDMEMBER
 * ---------------------------------------------------------------------- */

static void zrandmemberReplyPair(Client *c, const ZsetMember *m, double score, bool withScores) {
    if (withScores && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyZsetMember(c, m);
    if (withScores) addReplyDouble(c, score);
}

static void zrandmemberReplyLp(Client *c, unsigned long n, const LpEntry *keys,
                               const LpEntry *vals) {
    for (unsigned long i = 0; i < n; i++) {
        if (vals && c->resp > 2) addReplyArrayLen(c, 2);
        addReplyLpEntry(c, &keys[i]);
        if (vals) addReplyDouble(c, lpEntryScore(&vals[i]));
    }
}

/* A random node of a skiplist-encoded set (which is not empty). */
static const ZslNode *zslRandomNode(const Zsl *zsl) {
    return (const ZslNode *)dictRandomEntry(zsl->dict);
}

/* CASE 1: a negative count (repeats allowed, random order), or 1. */
static void zrandmemberRepeated(Client *c, const Zset *z, unsigned long count, bool withScores) {
    addReplyArrayLen(c, (long long)(withScores && c->resp == 2 ? count * 2 : count));
    if (z->encoding == OBJ_ENC_SKIPLIST) {
        while (count--) {
            if (replyAbortCheck(c, count)) break; /* the client is gone */
            const ZslNode *n = zslRandomNode(z->ptr);
            ZsetMember m = {zslNodeMember(n), zslNodeMemberLen(n), 0};
            zrandmemberReplyPair(c, &m, n->score, withScores);
        }
        return;
    }
    unsigned long limit =
        count > ZRANDMEMBER_RANDOM_SAMPLE_LIMIT ? ZRANDMEMBER_RANDOM_SAMPLE_LIMIT : count;
    LpEntry *keys = kvMalloc(sizeof(LpEntry) * limit);
    LpEntry *vals = withScores ? kvMalloc(sizeof(LpEntry) * limit) : NULL;
    while (count) {
        unsigned long n = count > limit ? limit : count;
        count -= n;
        lpRandomPairs(z->ptr, (unsigned int)n, keys, vals);
        zrandmemberReplyLp(c, n, keys, vals);
        if (replyAborted(c)) break; /* checked once per sample batch */
    }
    kvFree(keys);
    kvFree(vals);
}

typedef struct ZrandPick {
    ZsetMember m;
    double score;
} ZrandPick;

/* CASE 3: count close to the size: every element, then random ones removed
 * until `count` remain, replied in the order left. */
static void zrandmemberByRemoval(Client *c, const Zset *z, unsigned long size, unsigned long count,
                                 bool withScores) {
    ZrandPick *all = kvMalloc(sizeof(ZrandPick) * size);
    ZsetIter it;
    unsigned long n = 0;
    zsetIterInit(&it, z, true);
    while (n < size && zsetIterNext(&it, &all[n].m, &all[n].score)) n++;
    while (n > count) {
        unsigned long victim = (unsigned long)random() % n;
        all[victim] = all[--n];
    }
    for (unsigned long i = 0; i < n; i++)
        zrandmemberReplyPair(c, &all[i].m, all[i].score, withScores);
    kvFree(all);
}

/* CASE 4: count well below the size: distinct random picks. */
static void zrandmemberDistinct(Client *c, const Zset *z, unsigned long count, bool withScores) {
    if (z->encoding == OBJ_ENC_LISTPACK) {
        LpEntry *keys = kvMalloc(sizeof(LpEntry) * count);
        LpEntry *vals = withScores ? kvMalloc(sizeof(LpEntry) * count) : NULL;
        unsigned int got = lpRandomPairsUnique(z->ptr, (unsigned int)count, keys, vals);
        zrandmemberReplyLp(c, got, keys, vals);
        kvFree(keys);
        kvFree(vals);
        return;
    }
    Dict *seen = dictCreate(&dictTypeDstrKey);
    dictExpand(seen, count);
    unsigned long added = 0;
    while (added < count) {
        const ZslNode *n = zslRandomNode(z->ptr);
        bool created;
        dictEntryAdd(seen, zslNodeMember(n), zslNodeMemberLen(n), &created);
        if (!created) continue;
        added++;
        ZsetMember m = {zslNodeMember(n), zslNodeMemberLen(n), 0};
        zrandmemberReplyPair(c, &m, n->score, withScores);
    }
    dictRelease(seen);
}

static void zrandmemberWithCount(Client *c, long l, bool withScores) {
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    if (!o) {
        addReplyArrayLen(c, 0);
        return;
    }
    Zset z = zsetOf(o);
    unsigned long size = zsetLength(&z);
    bool unique = l >= 0;
    unsigned long count = l >= 0 ? (unsigned long)l : (unsigned long)-l;
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (!unique || count == 1) {
        zrandmemberRepeated(c, &z, count, withScores);
        return;
    }
    unsigned long replySize = count < size ? count : size;
    addReplyArrayLen(c, (long long)(withScores && c->resp == 2 ? replySize * 2 : replySize));
    if (count >= size) {
        /* CASE 2: the whole set, from the highest score down (as Redis's
         * reverse iteration). */
        ZsetIter it;
        ZsetMember m;
        double score;
        zsetIterInit(&it, &z, true);
        while (zsetIterNext(&it, &m, &score)) zrandmemberReplyPair(c, &m, score, withScores);
    } else if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
        zrandmemberByRemoval(c, &z, size, count, withScores);
    } else {
        zrandmemberDistinct(c, &z, count, withScores);
    }
}

void zrandmemberCommand(Client *c) {
    if (c->argc >= 3) {
        long l;
        if (!zsetParseRangeLongOrReply(c, &c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL)) return;
        if (c->argc > 4 || (c->argc == 4 && !argIs(&c->argv[3], "withscores"))) {
            addReplyError(c, errSyntax);
            return;
        }
        bool withScores = c->argc == 4;
        /* Redis 7.0.15 refuses counts whose doubled reply length overflows. */
        if (withScores && (l < -LONG_MAX / 2 || l > LONG_MAX / 2)) {
            addReplyError(c, "ERR value is out of range");
            return;
        }
        zrandmemberWithCount(c, l, withScores);
        return;
    }
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    if (!o) {
        addReplyNull(c);
        return;
    }
    Zset z = zsetOf(o);
    if (z.encoding == OBJ_ENC_SKIPLIST) {
        const ZslNode *n = zslRandomNode(z.ptr);
        addReplyBulk(c, zslNodeMember(n), zslNodeMemberLen(n));
    } else {
        LpEntry key;
        lpRandomPair(z.ptr, zsetLength(&z), &key, NULL);
        addReplyLpEntry(c, &key);
    }
}

/* ------------------------------------------------------------------------
 * ZSCAN
 * ---------------------------------------------------------------------- */

void zscanCommand(Client *c) {
    unsigned long cursor;
    if (!scanParseCursorOrReply(c, &c->argv[2], &cursor)) return;
    Object *o;
    if (!zsetLookup(c, &c->argv[1], false, &o)) return;
    if (!o) {
        scanReplyCursor(c, 0);
        addReplyArrayLen(c, 0);
        return;
    }
    ScanOptions opt;
    if (!scanParseOptionsOrReply(c, 3, false, &opt)) return;
    Zset z = zsetOf(o);

    if (z.encoding == OBJ_ENC_LISTPACK) {
        /* Returned whole with cursor 0, scores as the listpack stores them. */
        scanReplyCursor(c, 0);
        size_t handle = addReplyDeferredLen(c);
        long long n = 0;
        const unsigned char *lp = z.ptr;
        for (const unsigned char *ep = lpFirst(lp); ep; ep = zzlNextMember(lp, ep)) {
            char mbuf[LP_INTBUF_SIZE], sbuf[LP_INTBUF_SIZE];
            uint32_t mlen, slen;
            const unsigned char *m = lpGetString(ep, &mlen, mbuf);
            if (!scanMatches(&opt, (const char *)m, mlen)) continue;
            const unsigned char *s = lpGetString(lpNext(lp, ep), &slen, sbuf);
            addReplyBulk(c, m, mlen);
            addReplyBulk(c, s, slen);
            n += 2;
        }
        setDeferredArrayLen(c, handle, n);
        return;
    }

    /* Redis counts members and scores against COUNT, so a call gathers
     * about COUNT/2 members. */
    ScanBatch batch = {NULL, 0, 0};
    long long want = opt.count / 2 + (opt.count & 1);
    cursor = scanDict(((Zsl *)z.ptr)->dict, cursor, want, &batch);
    size_t kept = 0;
    for (size_t i = 0; i < batch.len; i++) {
        const ZslNode *n = (const ZslNode *)batch.items[i];
        if (scanMatches(&opt, zslNodeMember(n), zslNodeMemberLen(n)))
            batch.items[kept++] = batch.items[i];
    }
    scanReplyCursor(c, cursor);
    addReplyArrayLen(c, (long long)kept * 2);
    for (size_t i = 0; i < kept; i++) {
        const ZslNode *n = (const ZslNode *)batch.items[i];
        char buf[128];
        addReplyBulk(c, zslNodeMember(n), zslNodeMemberLen(n));
        /* Redis builds the score with createStringObjectFromLongDouble. */
        int len = longDoubleToStr(buf, sizeof(buf), (long double)n->score, LD_STR_AUTO);
        addReplyBulk(c, buf, (size_t)len);
    }
    scanBatchFree(&batch);
}

/* ------------------------------------------------------------------------
 * ZUNION ZINTER ZDIFF ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZINTERCARD
 *
 * Inputs may be sorted sets or plain sets (whose members score 1). As in
 * Redis, the inputs of UNION and INTER are processed from the smallest up
 * (a stable order, which also fixes the order in which SUM adds the
 * weighted scores of one member), sorted sets are walked from the highest
 * score down, and the result is built as a skiplist, stored as a listpack
 * when it fits.
 * ---------------------------------------------------------------------- */

typedef enum { ZSET_OP_UNION, ZSET_OP_INTER, ZSET_OP_DIFF } ZsetOp;
typedef enum { ZSET_AGGR_SUM, ZSET_AGGR_MIN, ZSET_AGGR_MAX } ZsetAggregate;

typedef struct ZSource {
    Object *o; /* NULL when the key is missing */
    Zset z;    /* when o is a sorted set */
    Set s;     /* when o is a set */
    double weight;
    unsigned long size;
} ZSource;

typedef struct ZSourceIter {
    const ZSource *src;
    ZsetIter zi;
    SetIter si;
} ZSourceIter;

static void zsourceIterInit(ZSourceIter *it, const ZSource *src) {
    it->src = src;
    if (src->o->type == OBJ_ZSET)
        zsetIterInit(&it->zi, &src->z, true);
    else
        setIterInit(&it->si, &src->s);
}

/* The next member's bytes (integers formatted into buf) and score. */
static bool zsourceIterNext(ZSourceIter *it, const char **p, size_t *len, double *score,
                            char buf[LONG_STR_SIZE]) {
    if (it->src->o->type == OBJ_ZSET) {
        ZsetMember m;
        if (!zsetIterNext(&it->zi, &m, score)) return false;
        *p = zsetMemberBytes(&m, buf, len);
        return true;
    }
    SetElem e;
    if (!setIterNext(&it->si, &e)) return false;
    *p = setElemBytes(&e, buf, len);
    *score = 1.0;
    return true;
}

static void zsourceIterRelease(ZSourceIter *it) {
    if (it->src->o->type == OBJ_SET) setIterRelease(&it->si);
}

static bool zsourceFind(const ZSource *src, const char *p, size_t len, double *score) {
    if (!src->o) return false;
    if (src->o->type == OBJ_ZSET) return zsetScore(&src->z, p, len, score);
    if (!setIsMember(&src->s, p, len)) return false;
    *score = 1.0;
    return true;
}

static void zsetAggregate(double *target, double val, ZsetAggregate aggr) {
    if (aggr == ZSET_AGGR_SUM) {
        *target = *target + val;
        /* inf + -inf: Redis keeps 0 rather than NaN. */
        if (isnan(*target)) *target = 0.0;
    } else if (aggr == ZSET_AGGR_MIN) {
        *target = val < *target ? val : *target;
    } else {
        *target = val > *target ? val : *target;
    }
}

/* Stable insertion sort by size (ascending, or descending with desc). */
static void zsourceSortBySize(ZSource *src, long n, bool desc) {
    for (long i = 1; i < n; i++) {
        ZSource cur = src[i];
        long j = i - 1;
        while (j >= 0 && (desc ? src[j].size < cur.size : src[j].size > cur.size)) {
            src[j + 1] = src[j];
            j--;
        }
        src[j + 1] = cur;
    }
}

/* The UNION accumulator: member -> aggregated score. */
typedef struct ZAccEntry {
    DictLink link;
    double score;
    size_t len;
    char m[];
} ZAccEntry;

static const void *zaccKey(const DictLink *l, size_t *len) {
    const ZAccEntry *e = (const ZAccEntry *)l;
    *len = e->len;
    return e->m;
}

static void zaccFree(DictLink *l) {
    kvFree(l);
}

static const DictType zaccDictType = {hashBytes, zaccKey, NULL, zaccFree};

typedef struct ZOpResult {
    Zsl *zsl;
    size_t maxLen, totalLen;
    unsigned long cardinality;
} ZOpResult;

static void zopResultAdd(ZOpResult *r, double score, const char *p, size_t len) {
    zslInsert(r->zsl, score, p, len);
    if (len > r->maxLen) r->maxLen = len;
    r->totalLen += len;
}

static void zsetInter(ZSource *src, long n, ZsetAggregate aggr, bool cardOnly, long limit,
                      ZOpResult *r) {
    if (src[0].size == 0) return;
    ZSourceIter it;
    const char *p;
    size_t len;
    double s0;
    char buf[LONG_STR_SIZE];
    zsourceIterInit(&it, &src[0]);
    while (zsourceIterNext(&it, &p, &len, &s0, buf)) {
        double score = src[0].weight * s0;
        if (isnan(score)) score = 0;
        long j;
        for (j = 1; j < n; j++) {
            double value;
            if (src[j].o == src[0].o) {
                value = s0 * src[j].weight;
                zsetAggregate(&score, value, aggr);
            } else if (zsourceFind(&src[j], p, len, &value)) {
                value *= src[j].weight;
                zsetAggregate(&score, value, aggr);
            } else {
                break;
            }
        }
        if (j < n) continue;
        if (cardOnly) {
            r->cardinality++;
            if (limit && r->cardinality >= (unsigned long)limit) break;
        } else {
            zopResultAdd(r, score, p, len);
        }
    }
    zsourceIterRelease(&it);
}

static void zsetUnion(ZSource *src, long n, ZsetAggregate aggr, ZOpResult *r) {
    Dict *acc = dictCreate(&zaccDictType);
    if (n) dictExpand(acc, src[n - 1].size);
    for (long i = 0; i < n; i++) {
        if (src[i].size == 0) continue;
        ZSourceIter it;
        const char *p;
        size_t len;
        double s;
        char buf[LONG_STR_SIZE];
        zsourceIterInit(&it, &src[i]);
        while (zsourceIterNext(&it, &p, &len, &s, buf)) {
            double score = src[i].weight * s;
            if (isnan(score)) score = 0;
            ZAccEntry *e = (ZAccEntry *)dictFind(acc, p, len);
            if (e) {
                zsetAggregate(&e->score, score, aggr);
                continue;
            }
            e = kvMalloc(sizeof(*e) + len);
            e->link.next = NULL;
            e->score = score;
            e->len = len;
            memcpy(e->m, p, len);
            dictAddUnique(acc, &e->link);
            if (len > r->maxLen) r->maxLen = len;
            r->totalLen += len;
        }
        zsourceIterRelease(&it);
    }
    dictExpand(r->zsl->dict, dictSize(acc));
    DictIter di;
    DictLink *l;
    dictIterInit(&di, acc, false);
    while ((l = dictIterNext(&di))) {
        const ZAccEntry *e = (const ZAccEntry *)l;
        zslInsert(r->zsl, e->score, e->m, e->len);
    }
    dictIterRelease(&di);
    dictRelease(acc);
}

/* The members of src[0] found in no other input, with src[0]'s scores
 * (Redis's "algorithm 1"; both of its algorithms give the same set). */
static void zsetDiff(ZSource *src, long n, ZOpResult *r) {
    if (src[0].size == 0) return;
    /* An input given twice removes everything. */
    for (long j = 1; j < n; j++)
        if (src[j].o == src[0].o) return;
    zsourceSortBySize(src + 1, n - 1, true);
    ZSourceIter it;
    const char *p;
    size_t len;
    double s;
    char buf[LONG_STR_SIZE];
    zsourceIterInit(&it, &src[0]);
    while (zsourceIterNext(&it, &p, &len, &s, buf)) {
        bool found = false;
        for (long j = 1; j < n && !found; j++) {
            double ignored;
            found = zsourceFind(&src[j], p, len, &ignored);
        }
        if (!found) zopResultAdd(r, s, p, len);
    }
    zsourceIterRelease(&it);
}

/* numkeysIdx: 1 for ZUNION/ZINTER/ZDIFF/ZINTERCARD, 2 for the *STORE forms
 * (whose destination is dstKey). */
static void zsetOpGenericCommand(Client *c, const Arg *dstKey, int numkeysIdx, ZsetOp op,
                                 bool cardOnly) {
    long setnum;
    if (!zsetParseLongOrReply(c, &c->argv[numkeysIdx], &setnum)) return;
    if (setnum < 1) {
        addReplyErrorFormat(c, "ERR at least 1 input key is needed for '%s' command",
                            c->cmd->fullname);
        return;
    }
    if (setnum > c->argc - (numkeysIdx + 1)) {
        addReplyError(c, errSyntax);
        return;
    }

    ZSource *src = kvCalloc(sizeof(ZSource) * (size_t)setnum);
    int j = numkeysIdx + 1;
    for (long i = 0; i < setnum; i++, j++) {
        Object *o = dbLookupRead(c->db, c->argv[j].ptr, c->argv[j].len);
        if (o && o->type != OBJ_ZSET && o->type != OBJ_SET) {
            kvFree(src);
            addReplyErrorWrongType(c);
            return;
        }
        src[i].o = o;
        src[i].weight = 1.0;
        if (o && o->type == OBJ_ZSET) {
            src[i].z = zsetOf(o);
            src[i].size = zsetLength(&src[i].z);
        } else if (o) {
            src[i].s = setOf(o);
            src[i].size = setSize(&src[i].s);
        }
    }

    ZsetAggregate aggr = ZSET_AGGR_SUM;
    bool withScores = false;
    long limit = 0;
    while (j < c->argc) {
        int remaining = c->argc - j;
        const Arg *a = &c->argv[j];
        if (op != ZSET_OP_DIFF && !cardOnly && remaining >= setnum + 1 && argIs(a, "weights")) {
            j++;
            for (long i = 0; i < setnum; i++, j++) {
                if (!strToDouble(c->argv[j].ptr, c->argv[j].len, &src[i].weight)) {
                    kvFree(src);
                    addReplyError(c, "ERR weight value is not a float");
                    return;
                }
            }
        } else if (op != ZSET_OP_DIFF && !cardOnly && remaining >= 2 && argIs(a, "aggregate")) {
            const Arg *v = &c->argv[j + 1];
            if (argIs(v, "sum")) {
                aggr = ZSET_AGGR_SUM;
            } else if (argIs(v, "min")) {
                aggr = ZSET_AGGR_MIN;
            } else if (argIs(v, "max")) {
                aggr = ZSET_AGGR_MAX;
            } else {
                kvFree(src);
                addReplyError(c, errSyntax);
                return;
            }
            j += 2;
        } else if (remaining >= 1 && !dstKey && !cardOnly && argIs(a, "withscores")) {
            j++;
            withScores = true;
        } else if (cardOnly && remaining >= 2 && argIs(a, "limit")) {
            if (!zsetParseRangeLongOrReply(c, &c->argv[j + 1], 0, LONG_MAX, &limit,
                                           "LIMIT can't be negative")) {
                kvFree(src);
                return;
            }
            j += 2;
        } else {
            kvFree(src);
            addReplyError(c, errSyntax);
            return;
        }
    }

    if (op != ZSET_OP_DIFF) zsourceSortBySize(src, setnum, false);

    ZOpResult r = {cardOnly ? NULL : zslCreate(), 0, 0, 0};
    if (op == ZSET_OP_INTER)
        zsetInter(src, setnum, aggr, cardOnly, limit, &r);
    else if (op == ZSET_OP_UNION)
        zsetUnion(src, setnum, aggr, &r);
    else
        zsetDiff(src, setnum, &r);
    kvFree(src);

    if (cardOnly) {
        addReplyLongLong(c, (long long)r.cardinality);
        return;
    }
    if (dstKey) {
        if (r.zsl->length) {
            Zset z = {OBJ_ENC_SKIPLIST, r.zsl};
            zsetConvertToListpackIfNeeded(&z, r.maxLen, r.totalLen);
            unsigned long length = zsetLength(&z);
            dbSetKey(c->db, zsetNewObject(dstKey->ptr, dstKey->len, &z));
            addReplyLongLong(c, (long long)length);
            zsetSignal(c, dstKey,
                       op == ZSET_OP_UNION   ? "zunionstore"
                       : op == ZSET_OP_INTER ? "zinterstore"
                                             : "zdiffstore");
        } else {
            zslFree(r.zsl);
            addReplyLongLong(c, 0);
            if (dbDelete(c->db, dstKey->ptr, dstKey->len)) zsetSignal(c, dstKey, "del");
        }
        return;
    }
    unsigned long length = r.zsl->length;
    addReplyArrayLen(c, (long long)(withScores && c->resp == 2 ? length * 2 : length));
    for (const ZslNode *n = zslFirst(r.zsl); n; n = zslNext(n)) {
        if (withScores && c->resp > 2) addReplyArrayLen(c, 2);
        addReplyBulk(c, zslNodeMember(n), zslNodeMemberLen(n));
        if (withScores) addReplyDouble(c, n->score);
    }
    zslFree(r.zsl);
}

void zunionstoreCommand(Client *c) {
    zsetOpGenericCommand(c, &c->argv[1], 2, ZSET_OP_UNION, false);
}

void zinterstoreCommand(Client *c) {
    zsetOpGenericCommand(c, &c->argv[1], 2, ZSET_OP_INTER, false);
}

void zdiffstoreCommand(Client *c) {
    zsetOpGenericCommand(c, &c->argv[1], 2, ZSET_OP_DIFF, false);
}

void zunionCommand(Client *c) {
    zsetOpGenericCommand(c, NULL, 1, ZSET_OP_UNION, false);
}

void zinterCommand(Client *c) {
    zsetOpGenericCommand(c, NULL, 1, ZSET_OP_INTER, false);
}

void zdiffCommand(Client *c) {
    zsetOpGenericCommand(c, NULL, 1, ZSET_OP_DIFF, false);
}

void zintercardCommand(Client *c) {
    zsetOpGenericCommand(c, NULL, 1, ZSET_OP_INTER, true);
}

/* ------------------------------------------------------------------------
 * Key positions of the commands whose keys follow a numkeys argument
 * ---------------------------------------------------------------------- */

/* Keys argv[numkeysIdx+1 .. +numkeys], after argv[dstIdx] when dstIdx > 0.
 * Returns the number of keys, or 0 when numkeys is not a valid count (as
 * Redis's getkeys procs). */
static int zsetNumkeysGetKeys(int argc, Arg *argv, int numkeysIdx, int dstIdx, int *keys,
                              int maxKeys) {
    long num;
    if (argc <= numkeysIdx || !strToLong(argv[numkeysIdx].ptr, argv[numkeysIdx].len, &num))
        return 0;
    if (num < 1 || num > argc - numkeysIdx - 1) return 0;
    int n = 0;
    if (dstIdx > 0) {
        if (n < maxKeys) keys[n] = dstIdx;
        n++;
    }
    for (long i = 0; i < num; i++, n++)
        if (n < maxKeys) keys[n] = numkeysIdx + 1 + (int)i;
    return n;
}

int zunionInterDiffGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    return zsetNumkeysGetKeys(argc, argv, 1, 0, keys, maxKeys);
}

int zunionInterDiffStoreGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    return zsetNumkeysGetKeys(argc, argv, 2, 1, keys, maxKeys);
}

int zmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    return zsetNumkeysGetKeys(argc, argv, 1, 0, keys, maxKeys);
}

int bzmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    return zsetNumkeysGetKeys(argc, argv, 2, 0, keys, maxKeys);
}
