/* sort.c — SORT and SORT_RO of Redis 7.0: sorting the elements of a list, a
 * set or a sorted set, numerically or as strings (ALPHA), by the elements
 * themselves or by weights read from other keys (BY pattern), returning the
 * elements or values read from other keys (GET pattern), with LIMIT, and for
 * SORT storing the result as a list (STORE).
 *
 * How it works
 * ------------
 * 1. The options are parsed left to right as Redis does: ASC/DESC/ALPHA
 *    toggle, LIMIT/BY/GET/STORE take arguments when enough are left, the
 *    last LIMIT, BY and STORE win, and anything else is a syntax error
 *    (SORT_RO does not know STORE at all). A BY pattern without '*' means
 *    "don't sort" and that stays so even if a later BY has one.
 * 2. The elements are copied into one arena (NUL-terminated, so strtod and
 *    strcoll can read them) with a SortItem per element. Copying keeps them
 *    valid whatever the pattern lookups do to the keyspace (lazy expiry).
 *    When nothing is sorted, lists and sorted sets load only the LIMIT range
 *    in their own order (reversed for DESC); sets load in iteration order.
 * 3. Weights: numbers via strtod (the element itself or the BY value), or
 *    for ALPHA BY a copy of the BY value. A missing BY value weighs 0 (or
 *    sorts first under ALPHA).
 * 4. Sorting with the same comparisons as Redis's sortCompare, by a stable
 *    merge sort where Redis calls the C library's qsort (glibc's qsort is a
 *    stable merge sort, so ties keep their loading order) and by our own
 *    implementation of the Bentley–McIlroy partial quicksort where Redis
 *    calls pqsort (BY with a LIMIT that cuts), so that even ties between
 *    equal ALPHA BY weights come out in Redis's order.
 * 5. Output: the elements or the GET values (a missing one is a null reply,
 *    or an empty string in a STORE list); STORE replaces the destination
 *    with a list, or deletes it when the result is empty.
 *
 * Redis quirks matched on purpose:
 *   - SORT converts a listpack-encoded sorted set to a skiplist in place
 *     (OBJECT ENCODING changes), as Redis 7.0 does before sorting one;
 *   - sorting a set with a constant BY and STORE sorts it ALPHA anyway (for a
 *     deterministic result); Redis also does this for calls from scripts,
 *     which kvd does not have yet;
 *   - patterns are read as C strings where Redis reads them so (the '*', the
 *     "->" and the "#" tests stop at a NUL byte), the rest of the pattern
 *     bytes are used in full;
 *   - ALPHA compares with strcoll() (so up to a NUL byte, in the process's
 *     LC_COLLATE locale) except with STORE, where it compares bytes;
 *   - the numeric parse is strtod()'s: leading spaces, hex, "inf" and the
 *     empty string (0) are fine; trailing bytes, NaN and ERANGE are
 *     "One or more scores can't be converted into double";
 *   - LIMIT values are clamped to [0, size] and [-1, size] before use, as
 *     7.0.15 does to avoid overflow.
 * Not matched on purpose: Redis 7.0 tests errno for ERANGE after strtod()
 * without clearing it first, so once any earlier call left ERANGE behind
 * (a SORT weight like "1e400", for one) its numeric SORTs of non-integer
 * strings fail until something else resets errno. kvd clears errno first.
 * Every BY/GET lookup is a read lookup (keyspace hits/misses, lazy expiry).
 * Not done: the cluster-mode and ACL refusals of BY/GET (kvd has neither
 * yet) and keyspace notifications ("sortstore").
 */
#include "command.h"
#include "commands.h"
#include "db.h"
#include "mem.h"
#include "notify.h"
#include "numconv.h"
#include "reply.h"
#include "server.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Patterns
 * ---------------------------------------------------------------------- */

/* A BY or GET pattern, taken apart once. */
typedef struct SortPattern {
    const char *p;
    size_t len;
    bool self;        /* "#": the element itself */
    bool hasStar;     /* without a '*' a lookup finds nothing */
    size_t prefixLen; /* bytes before the '*' */
    size_t postfixOff, postfixLen;
    size_t fieldOff, fieldLen; /* hash field after "->"; fieldLen 0: none */
} SortPattern;

/* The length of p read as a C string (up to the first NUL). */
static size_t cstrLen(const char *p, size_t len) {
    const char *nul = memchr(p, '\0', len);
    return nul ? (size_t)(nul - p) : len;
}

/* True when the pattern has a '*' in its C-string part (Redis strchr). */
static bool patternHasStar(const char *p, size_t len) {
    return memchr(p, '*', cstrLen(p, len)) != NULL;
}

static void sortPatternInit(SortPattern *sp, const Arg *a) {
    memset(sp, 0, sizeof(*sp));
    sp->p = a->ptr;
    sp->len = a->len;
    size_t clen = cstrLen(a->ptr, a->len);
    /* Redis tests spat[0] == '#' && spat[1] == '\0'. */
    if (clen == 1 && a->ptr[0] == '#') {
        sp->self = true;
        return;
    }
    const char *star = memchr(a->ptr, '*', clen);
    if (!star) return;
    sp->hasStar = true;
    sp->prefixLen = (size_t)(star - a->ptr);
    /* A hash field: the first "->" after the '*' with at least one byte
     * after it, all within the C-string part; the field itself runs to the
     * end of the argument. */
    for (size_t i = sp->prefixLen + 1; i + 2 < clen; i++) {
        if (a->ptr[i] == '-' && a->ptr[i + 1] == '>') {
            sp->fieldOff = i + 2;
            sp->fieldLen = a->len - sp->fieldOff;
            break;
        }
    }
    sp->postfixOff = sp->prefixLen + 1;
    sp->postfixLen = a->len - sp->postfixOff - (sp->fieldLen ? sp->fieldLen + 2 : 0);
}

/* Scratch space reused by the lookups of one command. */
typedef struct SortScratch {
    dstr key;                /* the substituted key name */
    char num[LONG_STR_SIZE]; /* integer values formatted */
    dstr text;               /* NUL-terminated copy for strtod */
} SortScratch;

/* Redis lookupKeyByPattern: the value that pattern `sp` gives for element
 * `el` — the element itself for "#", else the string at the key made by
 * replacing the '*' with the element, or the field of the hash there.
 * Returns false when there is none (no '*', missing key or field, wrong
 * type). The bytes are borrowed (from the keyspace or scratch) and valid
 * until the keyspace next changes or the scratch is reused. */
static bool sortLookup(Db *db, const SortPattern *sp, const char *el, size_t elLen, SortScratch *sc,
                       const char **out, size_t *outLen) {
    if (sp->self) {
        *out = el;
        *outLen = elLen;
        return true;
    }
    if (!sp->hasStar) return false;
    dstrClear(sc->key);
    sc->key = dstrCatLen(sc->key, sp->p, sp->prefixLen);
    sc->key = dstrCatLen(sc->key, el, elLen);
    sc->key = dstrCatLen(sc->key, sp->p + sp->postfixOff, sp->postfixLen);
    Object *o = dbLookupRead(db, sc->key, dstrLen(sc->key));
    if (!o) return false;
    if (sp->fieldLen) {
        HashValue v;
        if (o->type != OBJ_HASH) return false;
        if (!hashTypeGet(o, sp->p + sp->fieldOff, sp->fieldLen, &v)) return false;
        if (v.s) {
            *out = (const char *)v.s;
            *outLen = v.len;
        } else {
            *outLen = (size_t)llToStr(sc->num, sizeof(sc->num), v.ll);
            *out = sc->num;
        }
        return true;
    }
    if (o->type != OBJ_STRING) return false;
    *out = objStringBytes(o, sc->num, outLen);
    return true;
}

/* ------------------------------------------------------------------------
 * The sort vector and its comparisons
 * ---------------------------------------------------------------------- */

/* One element to sort. Strings live in the SortCtx arena (each followed by
 * a NUL) and are referred to by offset, since the arena grows while
 * loading. */
typedef struct SortItem {
    size_t elemOff, elemLen;
    double score;
    bool hasCmp; /* ALPHA BY: a weight string was found */
    size_t cmpOff, cmpLen;
} SortItem;

typedef struct SortCtx {
    dstr arena;
    bool desc, alpha, byPattern, store;
} SortCtx;

/* Appends bytes plus a NUL to the arena; returns their offset. */
static size_t arenaAdd(SortCtx *ctx, const char *p, size_t len) {
    size_t off = dstrLen(ctx->arena);
    ctx->arena = dstrCatLen(ctx->arena, p, len);
    ctx->arena = dstrCatLen(ctx->arena, "", 1);
    return off;
}

/* Redis compareStringObjects: bytes, then the shorter first. */
static int compareBinary(const char *a, size_t alen, const char *b, size_t blen) {
    int cmp = memcmp(a, b, alen < blen ? alen : blen);
    if (cmp != 0) return cmp;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* Redis sortCompare, with the flags in ctx instead of globals. */
static int sortItemCompare(const SortCtx *ctx, const SortItem *a, const SortItem *b) {
    const char *arena = ctx->arena;
    int cmp;
    if (!ctx->alpha) {
        if (a->score > b->score)
            cmp = 1;
        else if (a->score < b->score)
            cmp = -1;
        else /* equal weights: the elements' bytes decide, for determinism */
            cmp = compareBinary(arena + a->elemOff, a->elemLen, arena + b->elemOff, b->elemLen);
    } else if (ctx->byPattern) {
        if (!a->hasCmp || !b->hasCmp) /* a missing weight sorts first */
            cmp = a->hasCmp == b->hasCmp ? 0 : (!a->hasCmp ? -1 : 1);
        else if (ctx->store)
            cmp = compareBinary(arena + a->cmpOff, a->cmpLen, arena + b->cmpOff, b->cmpLen);
        else
            cmp = strcoll(arena + a->cmpOff, arena + b->cmpOff);
    } else if (ctx->store) {
        cmp = compareBinary(arena + a->elemOff, a->elemLen, arena + b->elemOff, b->elemLen);
    } else {
        cmp = strcoll(arena + a->elemOff, arena + b->elemOff);
    }
    if (cmp > 0) cmp = 1;
    if (cmp < 0) cmp = -1;
    return ctx->desc ? -cmp : cmp;
}

/* Stable top-down merge sort of v[0..n) using tmp[0..n) — the order glibc's
 * qsort (a merge sort) gives, which is what Redis's full sort returns. */
static void mergeSort(const SortCtx *ctx, SortItem *v, SortItem *tmp, size_t n) {
    if (n < 2) return;
    size_t half = n / 2;
    mergeSort(ctx, v, tmp, half);
    mergeSort(ctx, v + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) {
        if (sortItemCompare(ctx, &v[i], &v[j]) <= 0)
            tmp[k++] = v[i++];
        else
            tmp[k++] = v[j++];
    }
    while (i < half) tmp[k++] = v[i++];
    /* v[j..n) is already in place */
    memcpy(v, tmp, k * sizeof(SortItem));
}

static void itemSwap(SortItem *v, size_t i, size_t j) {
    SortItem t = v[i];
    v[i] = v[j];
    v[j] = t;
}

/* Swaps the runs v[i..i+n) and v[j..j+n) element by element. */
static void itemRunSwap(SortItem *v, size_t i, size_t j, size_t n) {
    for (size_t k = 0; k < n; k++) itemSwap(v, i + k, j + k);
}

static void insertionSort(const SortCtx *ctx, SortItem *v, size_t n) {
    for (size_t m = 1; m < n; m++)
        for (size_t l = m; l > 0 && sortItemCompare(ctx, &v[l - 1], &v[l]) > 0; l--)
            itemSwap(v, l, l - 1);
}

/* The median of v[i], v[j], v[k], chosen with Bentley–McIlroy's sequence of
 * comparisons. */
static size_t median3(const SortCtx *ctx, SortItem *v, size_t i, size_t j, size_t k) {
    if (sortItemCompare(ctx, &v[i], &v[j]) < 0) {
        if (sortItemCompare(ctx, &v[j], &v[k]) < 0) return j;
        return sortItemCompare(ctx, &v[i], &v[k]) < 0 ? k : i;
    }
    if (sortItemCompare(ctx, &v[j], &v[k]) > 0) return j;
    return sortItemCompare(ctx, &v[i], &v[k]) < 0 ? i : k;
}

/* Partial sort (Redis pqsort): the Bentley–McIlroy three-way quicksort of
 * "Engineering a Sort Function", as in the BSD libc, except that it does not
 * descend into a partition lying wholly outside the wanted positions
 * [lo, hi]. Like Redis 7.0's pqsort.c (and unlike later versions) it has no
 * "nothing was swapped: finish by insertion sort" shortcut, which changes
 * the order of ties. all[first..first+n) is the part being sorted; lo and hi are
 * indexes into `all`. Afterwards all[lo..hi] hold what a full sort would put
 * there, and ties come out exactly as from Redis's pqsort. */
static void partialSort(const SortCtx *ctx, SortItem *all, size_t first, size_t n, size_t lo,
                        size_t hi) {
    for (;;) {
        SortItem *v = all + first;
        if (n < 7) {
            insertionSort(ctx, v, n);
            return;
        }
        size_t m = n / 2;
        if (n > 7) {
            size_t l = 0, r = n - 1;
            if (n > 40) {
                size_t d = n / 8;
                l = median3(ctx, v, l, l + d, l + 2 * d);
                m = median3(ctx, v, m - d, m, m + d);
                r = median3(ctx, v, r - 2 * d, r - d, r);
            }
            m = median3(ctx, v, l, m, r);
        }
        itemSwap(v, 0, m); /* the pivot waits at v[0] */

        /* Invariant: v[1..a) == pivot, v[a..b) < pivot, v(c..d] > pivot,
         * v(d..n) == pivot; signed so that c may pass below b. */
        long a = 1, b = 1, c = (long)n - 1, d = (long)n - 1;
        for (;;) {
            int res;
            while (b <= c && (res = sortItemCompare(ctx, &v[b], &v[0])) <= 0) {
                if (res == 0) itemSwap(v, (size_t)a++, (size_t)b);
                b++;
            }
            while (b <= c && (res = sortItemCompare(ctx, &v[c], &v[0])) >= 0) {
                if (res == 0) itemSwap(v, (size_t)c, (size_t)d--);
                c--;
            }
            if (b > c) break;
            itemSwap(v, (size_t)b++, (size_t)c--);
        }
        /* Bring the pivot-equal runs from both ends to the middle. */
        long s = a < b - a ? a : b - a;
        itemRunSwap(v, 0, (size_t)(b - s), (size_t)s);
        s = d - c < (long)n - d - 1 ? d - c : (long)n - d - 1;
        itemRunSwap(v, (size_t)b, (size_t)((long)n - s), (size_t)s);

        /* The two parts are disjoint, so sorting them in either order gives
         * the same result: recurse into the smaller one and loop on the
         * other, which bounds the stack depth by log2(n) (the BSD code
         * always recurses on the left part). */
        size_t lessN = (size_t)(b - a), moreN = (size_t)(d - c);
        size_t lessFirst = first, moreFirst = first + n - moreN;
        bool lessWanted = lessN > 1 && !(hi < lessFirst || lo >= lessFirst + lessN);
        bool moreWanted = moreN > 1 && !(hi < moreFirst || lo >= moreFirst + moreN);
        if (lessWanted && moreWanted) {
            if (lessN <= moreN) {
                partialSort(ctx, all, lessFirst, lessN, lo, hi);
                first = moreFirst;
                n = moreN;
            } else {
                partialSort(ctx, all, moreFirst, moreN, lo, hi);
                first = lessFirst;
                n = lessN;
            }
        } else if (lessWanted) {
            first = lessFirst;
            n = lessN;
        } else if (moreWanted) {
            first = moreFirst;
            n = moreN;
        } else {
            return;
        }
    }
}

/* ------------------------------------------------------------------------
 * SORT / SORT_RO
 * ---------------------------------------------------------------------- */

/* Appends one element to the vector. */
static void vectorAdd(SortCtx *ctx, SortItem *v, long *count, const char *p, size_t len) {
    SortItem *it = &v[(*count)++];
    memset(it, 0, sizeof(*it));
    it->elemOff = arenaAdd(ctx, p, len);
    it->elemLen = len;
}

/* Loads the elements of a list: the range [start, start+want) in list order
 * (from the tail when desc) when `range`, else all of them. */
static void loadList(SortCtx *ctx, Object *o, SortItem *v, long *count, bool range, long start,
                     long want, bool desc) {
    Quicklist *ql = listOf(o);
    QuicklistIter it;
    QuicklistEntry e;
    if (range) {
        long long index = desc ? (long long)quicklistCount(ql) - start - 1 : start;
        if (!quicklistIterInitAtIndex(&it, ql, desc ? QL_BACKWARD : QL_FORWARD, index)) return;
    } else {
        quicklistIterInit(&it, ql, QL_FORWARD);
        want = (long)quicklistCount(ql);
    }
    char buf[LONG_STR_SIZE];
    while (*count < want && quicklistNext(&it, &e)) {
        if (e.value) {
            vectorAdd(ctx, v, count, (const char *)e.value, e.sz);
        } else {
            int n = llToStr(buf, sizeof(buf), e.longval);
            vectorAdd(ctx, v, count, buf, (size_t)n);
        }
    }
    quicklistIterEnd(&it);
}

static void loadSet(SortCtx *ctx, Object *o, SortItem *v, long *count) {
    Set s = setOf(o);
    SetIter it;
    SetElem e;
    char buf[LONG_STR_SIZE];
    setIterInit(&it, &s);
    while (setIterNext(&it, &e)) {
        size_t len;
        const char *p = setElemBytes(&e, buf, &len);
        vectorAdd(ctx, v, count, p, len);
    }
    setIterRelease(&it);
}

/* Loads a sorted set (already a skiplist): `want` members from rank `start`
 * in score order (from the top when desc) when `range`, else all. */
static void loadZset(SortCtx *ctx, Object *o, SortItem *v, long *count, bool range, long start,
                     long want, bool desc) {
    Zset z = zsetOf(o);
    const Zsl *zsl = z.ptr;
    const ZslNode *node;
    if (!range) {
        desc = false;
        want = (long)zsl->length;
        node = zslFirst(zsl);
    } else if (desc) {
        node = start > 0 ? zslByRank(zsl, zsl->length - (unsigned long)start) : zslLast(zsl);
    } else {
        node = start > 0 ? zslByRank(zsl, (unsigned long)start + 1) : zslFirst(zsl);
    }
    while (*count < want && node) {
        vectorAdd(ctx, v, count, zslNodeMember(node), zslNodeMemberLen(node));
        node = desc ? zslPrev(node) : zslNext(node);
    }
}

/* Redis's numeric weight: strtod over the C string, refusing trailing
 * bytes, NaN and ERANGE. `text` must be NUL-terminated. */
static bool parseWeight(const char *text, double *out) {
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return end[0] == '\0' && errno != ERANGE && !isnan(*out);
}

/* The position of the argument after "STORE" that SORT would use (the
 * last one), or 0. Mirrors Redis's sortGetKeys scan: LIMIT skips two
 * arguments, GET and BY one, other words none. */
static int sortStorePosition(int argc, Arg *argv) {
    int pos = 0;
    for (int i = 2; i < argc; i++) {
        if (argIs(&argv[i], "limit"))
            i += 2;
        else if (argIs(&argv[i], "store") && i + 1 < argc)
            pos = i + 1;
        else if (argIs(&argv[i], "get") || argIs(&argv[i], "by"))
            i += 1;
    }
    return pos;
}

int sortGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    if (argc < 2) return 0;
    int n = 0;
    if (n < maxKeys) keys[n] = 1;
    n++;
    int store = sortStorePosition(argc, argv);
    if (store) {
        if (n < maxKeys) keys[n] = store;
        n++;
    }
    return n;
}

int sortRoGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    (void)argv;
    if (argc < 2) return 0;
    if (maxKeys > 0) keys[0] = 1;
    return 1;
}

/* Parsed options of one call. */
typedef struct SortOptions {
    bool desc, alpha, dontSort;
    long long limitStart, limitCount;
    const Arg *by;    /* the last BY, or NULL */
    const Arg *store; /* the last STORE destination, or NULL */
    SortPattern *gets;
    int getCount;
} SortOptions;

/* Parses argv[2..]; replies the error and returns false on a bad option. */
static bool sortParseOptionsOrReply(Client *c, bool readonly, SortOptions *opt) {
    for (int j = 2; j < c->argc; j++) {
        int left = c->argc - j - 1;
        Arg *a = &c->argv[j];
        if (argIs(a, "asc")) {
            opt->desc = false;
        } else if (argIs(a, "desc")) {
            opt->desc = true;
        } else if (argIs(a, "alpha")) {
            opt->alpha = true;
        } else if (argIs(a, "limit") && left >= 2) {
            if (!strToLongLong(c->argv[j + 1].ptr, c->argv[j + 1].len, &opt->limitStart) ||
                !strToLongLong(c->argv[j + 2].ptr, c->argv[j + 2].len, &opt->limitCount)) {
                addReplyError(c, errNotInteger);
                return false;
            }
            j += 2;
        } else if (!readonly && argIs(a, "store") && left >= 1) {
            opt->store = &c->argv[++j];
        } else if (argIs(a, "by") && left >= 1) {
            opt->by = &c->argv[++j];
            /* A constant BY means no sorting; a later BY does not undo it. */
            if (!patternHasStar(opt->by->ptr, opt->by->len)) opt->dontSort = true;
        } else if (argIs(a, "get") && left >= 1) {
            sortPatternInit(&opt->gets[opt->getCount++], &c->argv[++j]);
        } else {
            addReplyError(c, errSyntax);
            return false;
        }
    }
    return true;
}

/* Writes the result: elements [start, end] of v, or their GET values. */
static void sortReply(Client *c, const SortCtx *ctx, const SortOptions *opt, SortItem *v,
                      long start, long end, SortScratch *sc) {
    long n = end - start + 1;
    addReplyArrayLen(c, opt->getCount ? (long long)opt->getCount * n : n);
    for (long j = start; j <= end; j++) {
        /* GET patterns multiply the reply: stop once the client is gone. */
        if (replyAbortCheck(c, (unsigned long long)(j - start))) break;
        const char *el = ctx->arena + v[j].elemOff;
        if (!opt->getCount) addReplyBulk(c, el, v[j].elemLen);
        for (int g = 0; g < opt->getCount; g++) {
            const char *val;
            size_t len;
            if (sortLookup(c->db, &opt->gets[g], el, v[j].elemLen, sc, &val, &len))
                addReplyBulk(c, val, len);
            else
                addReplyNull(c);
        }
    }
}

/* STORE: the result as a list at the destination (deleted when empty). */
static void sortStore(Client *c, const SortCtx *ctx, const SortOptions *opt, SortItem *v,
                      long start, long end, SortScratch *sc) {
    const Arg *dst = opt->store;
    long n = end - start + 1;
    long long outputLen = opt->getCount ? (long long)opt->getCount * n : n;
    Object *list = listTypeCreateObject(dst->ptr, dst->len);
    for (long j = start; j <= end; j++) {
        const char *el = ctx->arena + v[j].elemOff;
        if (!opt->getCount) listTypePush(list, QL_TAIL, el, v[j].elemLen);
        for (int g = 0; g < opt->getCount; g++) {
            const char *val;
            size_t len;
            if (!sortLookup(c->db, &opt->gets[g], el, v[j].elemLen, sc, &val, &len)) {
                val = "";
                len = 0;
            }
            listTypePush(list, QL_TAIL, val, len);
        }
    }
    if (outputLen > 0) {
        dbSetKey(c->db, list);
        dbSignalModified(c->db, dst->ptr, dst->len);
        notifyKeyspaceEvent(NOTIFY_LIST, "sortstore", dst->ptr, dst->len, c->db->id);
        /* Redis counts one change per stored element. */
        stats.dirty += outputLen - 1;
    } else {
        objFree(list);
        if (dbDelete(c->db, dst->ptr, dst->len)) {
            dbSignalModified(c->db, dst->ptr, dst->len);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dst->ptr, dst->len, c->db->id);
        }
    }
    addReplyLongLong(c, outputLen);
}

static void sortGenericCommand(Client *c, bool readonly) {
    SortOptions opt = {0};
    opt.limitCount = -1;
    opt.gets = kvMalloc(sizeof(SortPattern) * (size_t)c->argc);
    SortScratch sc = {dstrEmpty(), {0}, dstrEmpty()};
    SortCtx ctx = {dstrEmpty(), false, false, false, false};
    SortItem *v = NULL, *tmp = NULL;

    if (!sortParseOptionsOrReply(c, readonly, &opt)) goto cleanup;

    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (o && o->type != OBJ_LIST && o->type != OBJ_SET && o->type != OBJ_ZSET) {
        addReplyErrorWrongType(c);
        goto cleanup;
    }
    const SortPattern *byPattern = NULL;
    SortPattern by;
    if (opt.by && !opt.dontSort) {
        sortPatternInit(&by, opt.by);
        byPattern = &by;
    }
    /* A set has no order of its own: when the result is stored, Redis sorts
     * it ALPHA so that replicas and the AOF get the same list. */
    if (o && o->type == OBJ_SET && opt.dontSort && opt.store) {
        opt.dontSort = false;
        opt.alpha = true;
        byPattern = NULL;
    }
    /* Redis 7.0 converts a sorted set to a skiplist for SORT, for good. */
    if (o && o->type == OBJ_ZSET) {
        Zset z = zsetOf(o);
        zsetConvert(&z, OBJ_ENC_SKIPLIST);
        zsetStore(o, &z);
    }

    long size = 0;
    if (o && o->type == OBJ_LIST) size = (long)listTypeLength(o);
    if (o && o->type == OBJ_SET) {
        Set s = setOf(o);
        size = (long)setSize(&s);
    }
    if (o && o->type == OBJ_ZSET) {
        Zset z = zsetOf(o);
        size = (long)zsetLength(&z);
    }

    /* LIMIT, clamped first so that nothing overflows (Redis 7.0.15). */
    long start = opt.limitStart < 0 ? 0 : (opt.limitStart > size ? size : (long)opt.limitStart);
    long count = opt.limitCount < -1 ? -1 : (opt.limitCount > size ? size : (long)opt.limitCount);
    long end = count < 0 ? size - 1 : start + count - 1;
    if (start >= size) {
        start = size - 1;
        end = size - 2;
    }
    if (end >= size) end = size - 1;

    /* Lists and sorted sets keep their own order when nothing is sorted:
     * then only the LIMIT range is loaded. */
    bool ordered = o && (o->type == OBJ_LIST || o->type == OBJ_ZSET);
    bool range = ordered && opt.dontSort && (start != 0 || end != size - 1);
    long vectorLen = range ? end - start + 1 : size;
    v = kvMalloc(sizeof(SortItem) * (size_t)(vectorLen > 0 ? vectorLen : 1));
    long loaded = 0;
    if (o && o->type == OBJ_LIST) {
        if (!opt.dontSort || end >= start)
            loadList(&ctx, o, v, &loaded, opt.dontSort, start, vectorLen, opt.desc);
    } else if (o && o->type == OBJ_SET) {
        loadSet(&ctx, o, v, &loaded);
    } else if (o && o->type == OBJ_ZSET) {
        loadZset(&ctx, o, v, &loaded, opt.dontSort, start, vectorLen, opt.desc);
    }
    if (opt.dontSort && ordered && end >= start) {
        /* The loaded vector is the range itself. */
        end -= start;
        start = 0;
    }
    vectorLen = loaded;

    bool conversionError = false;
    if (!opt.dontSort) {
        for (long j = 0; j < vectorLen; j++) {
            const char *val;
            size_t len;
            if (byPattern) {
                if (!sortLookup(c->db, byPattern, ctx.arena + v[j].elemOff, v[j].elemLen, &sc, &val,
                                &len))
                    continue;
            } else {
                val = ctx.arena + v[j].elemOff;
                len = v[j].elemLen;
            }
            if (opt.alpha) {
                if (byPattern) {
                    /* val may point into the arena: copy it out first. */
                    dstrClear(sc.text);
                    sc.text = dstrCatLen(sc.text, val, len);
                    v[j].cmpOff = arenaAdd(&ctx, sc.text, len);
                    v[j].cmpLen = len;
                    v[j].hasCmp = true;
                }
            } else {
                dstrClear(sc.text);
                sc.text = dstrCatLen(sc.text, val, len);
                if (!parseWeight(sc.text, &v[j].score)) conversionError = true;
            }
        }
        ctx.desc = opt.desc;
        ctx.alpha = opt.alpha;
        ctx.byPattern = byPattern != NULL;
        ctx.store = opt.store != NULL;
        if (byPattern && (start != 0 || end != vectorLen - 1)) {
            /* When the range is empty nothing is output: no need to sort. */
            if (end >= start)
                partialSort(&ctx, v, 0, (size_t)vectorLen, (size_t)start, (size_t)end);
        } else {
            tmp = kvMalloc(sizeof(SortItem) * (size_t)(vectorLen > 0 ? vectorLen : 1));
            mergeSort(&ctx, v, tmp, (size_t)vectorLen);
        }
    }

    if (conversionError)
        addReplyError(c, "ERR One or more scores can't be converted into double");
    else if (!opt.store)
        sortReply(c, &ctx, &opt, v, start, end, &sc);
    else
        sortStore(c, &ctx, &opt, v, start, end, &sc);

cleanup:
    kvFree(tmp);
    kvFree(v);
    kvFree(opt.gets);
    dstrFree(ctx.arena);
    dstrFree(sc.key);
    dstrFree(sc.text);
}

/* SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 *      [ALPHA] [STORE destination] */
void sortCommand(Client *c) {
    sortGenericCommand(c, false);
}

/* SORT_RO: SORT without STORE (which is a syntax error here). */
void sortRoCommand(Client *c) {
    sortGenericCommand(c, true);
}
