/* quicklist.c — the list value: listpack nodes in a doubly linked list with
 * optional LZF compression of the middle nodes. Layout, fill rules and
 * invariants are described in quicklist.h.
 *
 * Access discipline: a node's listpack is only read or written between
 * qlUse(node) (decompresses it when needed and marks it busy) and
 * qlRest(ql, node) (clears busy and compresses it again if it lies outside
 * the plain ends). After any change to the chain of nodes, qlFixEnds()
 * decompresses nodes that moved into the plain ends and compresses the node
 * just past each end, never touching a busy node. Every public function
 * leaves no node busy except the one an iterator stands on.
 */
#include "quicklist.h"

#include "listpack.h"
#include "mem.h"

#include <liblzf/lzf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Positive fill still never lets a node pass 8 KB (Redis SIZE_SAFETY_LIMIT). */
#define QL_SIZE_SAFETY_LIMIT 8192
/* Nodes below this size are not worth compressing; a compressed form must
 * save at least QL_MIN_COMPRESS_IMPROVE bytes to be kept (Redis's values). */
#define QL_MIN_COMPRESS_BYTES   48
#define QL_MIN_COMPRESS_IMPROVE 8
#define QL_NODE_MAX_COUNT       ((1UL << 28) - 1)

/* Elements of at least this many bytes get a plain node (Redis 7.0's
 * packed_threshold; one value for the whole server, as in Redis). Redis
 * refuses thresholds above 4 GB - 1 MB so that a plain size fits 32 bits. */
#define QL_PACKED_THRESHOLD_MAX ((1ULL << 32) - (1ULL << 20))
static size_t qlPackedThreshold = QL_DEFAULT_PACKED_THRESHOLD;

static bool qlIsLarge(size_t len) {
    return len >= qlPackedThreshold;
}

/* Byte limits of fill -1 .. -5. */
static const size_t qlSizeClasses[] = {4096, 8192, 16384, 32768, 65536};

static void qlFatal(const char *what) {
    fprintf(stderr, "quicklist: %s\n", what);
    abort();
}

/* ------------------------------------------------------------------------
 * Fill limits
 * ---------------------------------------------------------------------- */

/* Upper bound of the bytes a string of len bytes takes as a listpack entry
 * (it may take fewer when it reads as an integer). */
static size_t qlEntryBytes(size_t len) {
    size_t body = (len < 64 ? 1 : len < 4096 ? 2 : 5) + len;
    size_t back = body < 128 ? 1 : body < 16383 ? 2 : body < 2097151 ? 3 : body < 268435455 ? 4 : 5;
    return body + back;
}

/* True when a node of sz bytes and count entries respects the list's fill. */
static bool qlFits(const Quicklist *ql, size_t sz, unsigned long count) {
    if (count > QL_NODE_MAX_COUNT) return false;
    if (ql->fill < 0) return sz <= qlSizeClasses[-ql->fill - 1];
    return count <= (unsigned long)ql->fill && sz <= QL_SIZE_SAFETY_LIMIT;
}

/* Redis 7.0 estimates an insert as the string length plus 8 bytes (an
 * overestimate for small entries); we use the same estimate so that nodes
 * are cut where Redis cuts them and DUMP payloads stay identical. */
#define QL_SIZE_ESTIMATE_OVERHEAD 8

static bool qlAllowInsert(const Quicklist *ql, const QuicklistNode *n, size_t len) {
    return n && !n->plain && !qlIsLarge(len) &&
           qlFits(ql, (size_t)n->sz + len + QL_SIZE_ESTIMATE_OVERHEAD, (unsigned long)n->count + 1);
}

static bool qlAllowMerge(const Quicklist *ql, const QuicklistNode *a, const QuicklistNode *b) {
    if (!a || !b || a->plain || b->plain) return false;
    /* One header and one end byte go away. */
    size_t sz = (size_t)a->sz + b->sz - (LP_HDR_SIZE + 1);
    return qlFits(ql, sz, (unsigned long)a->count + b->count);
}

/* ------------------------------------------------------------------------
 * Nodes and compression
 * ---------------------------------------------------------------------- */

static QuicklistNode *qlNodeNew(unsigned char *lp) {
    QuicklistNode *n = kvMalloc(sizeof(*n));
    n->prev = n->next = NULL;
    n->data = lp;
    n->sz = (uint32_t)lpBytes(lp);
    n->count = (uint32_t)lpLength(lp);
    n->plain = 0;
    n->compressed = 0;
    n->recompress = 0;
    n->noCompress = 0;
    return n;
}

/* A plain node owning data (len bytes, kvMalloc'd). */
static QuicklistNode *qlPlainNodeNew(unsigned char *data, size_t len) {
    if (len > UINT32_MAX) qlFatal("element too large");
    QuicklistNode *n = kvMalloc(sizeof(*n));
    n->prev = n->next = NULL;
    n->data = data;
    n->sz = (uint32_t)len;
    n->count = 1;
    n->plain = 1;
    n->compressed = 0;
    n->recompress = 0;
    n->noCompress = 0;
    return n;
}

/* After the listpack of a packed node changed: size, count, and
 * compression worth retrying. Never called on plain nodes. */
static void qlNodeUpdate(QuicklistNode *n) {
    n->sz = (uint32_t)lpBytes(n->data);
    n->count = (uint32_t)lpLength(n->data);
    n->noCompress = 0;
}

static void qlNodeFree(QuicklistNode *n) {
    kvFree(n->data); /* listpacks and QuicklistLzf blobs both come from kvMalloc */
    kvFree(n);
}

static void qlCompressNode(QuicklistNode *n) {
    if (n->compressed || n->noCompress) return;
    if (n->sz < QL_MIN_COMPRESS_BYTES) {
        n->noCompress = 1;
        return;
    }
    QuicklistLzf *z = kvMalloc(sizeof(*z) + n->sz);
    unsigned int out = lzf_compress(n->data, n->sz, z->bytes, n->sz);
    if (out == 0 || (size_t)out + QL_MIN_COMPRESS_IMPROVE >= n->sz) {
        kvFree(z);
        n->noCompress = 1;
        return;
    }
    z = kvRealloc(z, sizeof(*z) + out);
    z->len = out;
    kvFree(n->data); /* a listpack or a plain element */
    n->data = (unsigned char *)z;
    n->compressed = 1;
}

/* The listpack of a compressed node in a new allocation. */
static unsigned char *qlInflate(const QuicklistNode *n) {
    const QuicklistLzf *z = (const QuicklistLzf *)n->data;
    unsigned char *lp = kvMalloc(n->sz);
    if (lzf_decompress(z->bytes, z->len, lp, n->sz) != n->sz) qlFatal("corrupt compressed node");
    return lp;
}

static void qlDecompressNode(QuicklistNode *n) {
    if (!n->compressed) return;
    unsigned char *lp = qlInflate(n);
    kvFree(n->data);
    n->data = lp;
    n->compressed = 0;
}

/* True when n is one of the `compress` nodes at either end. O(compress). */
static bool qlInPlainEnds(const Quicklist *ql, const QuicklistNode *n) {
    const QuicklistNode *f = ql->head, *b = ql->tail;
    for (unsigned i = 0; i < ql->compress && f; i++) {
        if (f == n || b == n) return true;
        f = f->next;
        b = b->prev;
    }
    return false;
}

/* Makes n's listpack accessible until qlRest. */
static void qlUse(QuicklistNode *n) {
    qlDecompressNode(n);
    n->recompress = 1;
}

/* Ends an access to n: compresses it when it lies in the middle. */
static void qlRest(const Quicklist *ql, QuicklistNode *n) {
    if (!n) return;
    n->recompress = 0;
    if (ql->compress == 0 || n->compressed) return;
    if (!qlInPlainEnds(ql, n)) qlCompressNode(n);
}

/* Restores the compression layout after nodes were added or removed: the
 * plain ends decompressed, the nodes just past each end compressed. */
static void qlFixEnds(Quicklist *ql) {
    if (ql->compress == 0 || !ql->head) return;
    QuicklistNode *f = ql->head, *b = ql->tail;
    for (unsigned i = 0; i < ql->compress; i++) {
        qlDecompressNode(f);
        qlDecompressNode(b);
        if (f == b || f->next == b) return; /* every node is in an end */
        f = f->next;
        b = b->prev;
    }
    /* f .. b is the middle now. One change adds at most two nodes (a split
     * and a new node between its halves), so at most two nodes per side can
     * have moved out of an end. */
    for (int k = 0; k < 2; k++) {
        if (!f->recompress) qlCompressNode(f);
        if (!b->recompress) qlCompressNode(b);
        if (f == b || f->next == b) break;
        f = f->next;
        b = b->prev;
    }
}

/* ------------------------------------------------------------------------
 * The chain
 * ---------------------------------------------------------------------- */

/* Links n after `old` (or before it when !after); old NULL means the list
 * is empty. Adds n's entries to the count. */
static void qlLink(Quicklist *ql, QuicklistNode *old, QuicklistNode *n, bool after) {
    if (!old) {
        ql->head = ql->tail = n;
    } else if (after) {
        n->prev = old;
        n->next = old->next;
        if (old->next) old->next->prev = n;
        old->next = n;
        if (ql->tail == old) ql->tail = n;
    } else {
        n->next = old;
        n->prev = old->prev;
        if (old->prev) old->prev->next = n;
        old->prev = n;
        if (ql->head == old) ql->head = n;
    }
    ql->len++;
    ql->count += n->count;
}

/* Unlinks and frees n, taking its entries off the count. */
static void qlUnlinkFree(Quicklist *ql, QuicklistNode *n) {
    if (n->prev) n->prev->next = n->next;
    if (n->next) n->next->prev = n->prev;
    if (ql->head == n) ql->head = n->next;
    if (ql->tail == n) ql->tail = n->prev;
    ql->len--;
    ql->count -= n->count;
    qlNodeFree(n);
}

/* A new node holding s alone: plain when s is large, packed otherwise. */
static QuicklistNode *qlNodeWith(const void *s, size_t len) {
    if (qlIsLarge(len)) {
        unsigned char *data = kvMalloc(len);
        memcpy(data, s, len);
        return qlPlainNodeNew(data, len);
    }
    unsigned char *lp = lpAppend(lpNew(0), s, (uint32_t)len);
    if (!lp) qlFatal("element too large");
    return qlNodeNew(lp);
}

/* Inserts s as entry `off` (0..count) of a node being used. */
static void qlNodeInsert(QuicklistNode *n, long off, const void *s, size_t len) {
    unsigned char *lp;
    if (off >= (long)n->count) {
        lp = lpAppend(n->data, s, (uint32_t)len);
    } else {
        unsigned char *p = lpSeek(n->data, off);
        lp = lpInsertString(n->data, s, (uint32_t)len, p, LP_BEFORE, NULL);
    }
    if (!lp) qlFatal("listpack too large");
    n->data = lp;
    qlNodeUpdate(n);
}

/* Merges b (a->next, both in use) into a, freeing b. Returns a. */
static QuicklistNode *qlMerge(Quicklist *ql, QuicklistNode *a, QuicklistNode *b) {
    a->data = lpConcat(a->data, b->data);
    qlNodeUpdate(a);
    b->count = 0; /* its entries stay counted: they are in a now */
    qlUnlinkFree(ql, b);
    return a;
}

/* Splits a node in use at off (0 < off < count): n keeps [0, off), the new
 * node after it (returned, in use) gets [off, count). */
static QuicklistNode *qlSplit(Quicklist *ql, QuicklistNode *n, long off) {
    unsigned long total = n->count;
    unsigned char *right = lpDup(n->data);
    n->data = lpDeleteRange(n->data, off, total - (unsigned long)off);
    qlNodeUpdate(n);
    right = lpDeleteRange(right, 0, (unsigned long)off);
    QuicklistNode *r = qlNodeNew(right);
    r->recompress = 1;
    ql->count -= r->count; /* qlLink counts them again */
    qlLink(ql, n, r, true);
    return r;
}

/* Merges b (b == a->next) into a, both at rest; returns the merged node,
 * at rest. */
static QuicklistNode *qlMergePair(Quicklist *ql, QuicklistNode *a, QuicklistNode *b) {
    qlUse(a);
    qlUse(b);
    a = qlMerge(ql, a, b);
    qlRest(ql, a);
    return a;
}

/* Redis 7.0's merge after a split, around `center` (at rest): the two
 * nodes before it, the two after it, then center with its previous and the
 * result with its next, each when the pair fits in one node. */
static void qlMergeAround(Quicklist *ql, QuicklistNode *center) {
    QuicklistNode *prev = center->prev, *next = center->next;
    QuicklistNode *prevPrev = prev ? prev->prev : NULL, *nextNext = next ? next->next : NULL;
    if (qlAllowMerge(ql, prevPrev, prev)) qlMergePair(ql, prevPrev, prev);
    if (qlAllowMerge(ql, next, nextNext)) qlMergePair(ql, next, nextNext);
    QuicklistNode *target = center;
    if (qlAllowMerge(ql, center->prev, center)) target = qlMergePair(ql, center->prev, center);
    if (qlAllowMerge(ql, target, target->next)) qlMergePair(ql, target, target->next);
}

/* Inserts s so that it lands at position `off` of node (0..count), using a
 * neighbour, a new node or a split when node is full, as Redis 7.0's
 * _quicklistInsert does. `after` says whether the caller inserts after the
 * entry at off - 1 (true) or before the entry at off: inside a full node it
 * decides which half of the split takes the value. node may be NULL only
 * when the list is empty. */
static void qlInsertAt(Quicklist *ql, QuicklistNode *node, long off, bool after, const void *s,
                       size_t len) {
    if (!node) {
        qlLink(ql, NULL, qlNodeWith(s, len), true);
        return;
    }
    qlUse(node);
    bool atHead = off == 0, atTail = off >= (long)node->count;
    if (qlAllowInsert(ql, node, len)) {
        qlNodeInsert(node, off, s, len);
        ql->count++;
        qlRest(ql, node);
        return;
    }
    if (atHead && qlAllowInsert(ql, node->prev, len)) {
        QuicklistNode *p = node->prev;
        qlUse(p);
        qlNodeInsert(p, (long)p->count, s, len);
        ql->count++;
        qlRest(ql, p);
        qlRest(ql, node);
        return;
    }
    if (atTail && qlAllowInsert(ql, node->next, len)) {
        QuicklistNode *nx = node->next;
        qlUse(nx);
        qlNodeInsert(nx, 0, s, len);
        ql->count++;
        qlRest(ql, nx);
        qlRest(ql, node);
        return;
    }
    if (atHead || atTail) {
        QuicklistNode *n = qlNodeWith(s, len);
        qlLink(ql, node, n, atTail);
        qlRest(ql, n);
        qlRest(ql, node);
        qlFixEnds(ql);
        return;
    }
    /* Inside a full node: split it at off. A large value gets a plain node
     * between the halves (no merging); a small one joins the half on its
     * `after` side (the head of the right half, or the tail of the left
     * one), and then the nodes around the other half merge where they fit. */
    QuicklistNode *right = qlSplit(ql, node, off), *center;
    if (qlIsLarge(len)) {
        QuicklistNode *n = qlNodeWith(s, len);
        qlLink(ql, node, n, true);
        qlRest(ql, n);
        qlRest(ql, node);
        qlRest(ql, right);
        qlFixEnds(ql);
        return;
    }
    if (after) {
        qlNodeInsert(right, 0, s, len);
        center = node;
    } else {
        qlNodeInsert(node, (long)node->count, s, len);
        center = right;
    }
    ql->count++;
    qlRest(ql, node);
    qlRest(ql, right);
    qlMergeAround(ql, center);
    qlFixEnds(ql);
}

/* ------------------------------------------------------------------------
 * Lists
 * ---------------------------------------------------------------------- */

static void qlClampOptions(Quicklist *ql, int fill, int compress) {
    if (fill < QL_FILL_MIN) fill = QL_FILL_MIN;
    if (fill > QL_FILL_MAX) fill = QL_FILL_MAX;
    if (compress < 0) compress = 0;
    if (compress > QL_COMPRESS_MAX) compress = QL_COMPRESS_MAX;
    ql->fill = (int16_t)fill;
    ql->compress = (uint16_t)compress;
}

Quicklist *quicklistCreate(int fill, int compress) {
    Quicklist *ql = kvMalloc(sizeof(*ql));
    ql->head = ql->tail = NULL;
    ql->count = 0;
    ql->len = 0;
    qlClampOptions(ql, fill, compress);
    return ql;
}

void quicklistRelease(Quicklist *ql) {
    if (!ql) return;
    QuicklistNode *n = ql->head;
    while (n) {
        QuicklistNode *next = n->next;
        qlNodeFree(n);
        n = next;
    }
    kvFree(ql);
}

Quicklist *quicklistDup(const Quicklist *ql) {
    Quicklist *copy = quicklistCreate(ql->fill, ql->compress);
    for (const QuicklistNode *n = ql->head; n; n = n->next) {
        size_t bytes =
            n->compressed ? sizeof(QuicklistLzf) + ((const QuicklistLzf *)n->data)->len : n->sz;
        QuicklistNode *c = kvMalloc(sizeof(*c));
        *c = *n;
        c->prev = c->next = NULL;
        c->recompress = 0;
        c->data = kvMalloc(bytes);
        memcpy(c->data, n->data, bytes);
        qlLink(copy, copy->tail, c, true);
    }
    return copy;
}

void quicklistSetOptions(Quicklist *ql, int fill, int compress) {
    unsigned oldCompress = ql->compress;
    qlClampOptions(ql, fill, compress);
    if (ql->compress == oldCompress) return;
    unsigned long i = 0;
    for (QuicklistNode *n = ql->head; n; n = n->next, i++) {
        bool end = i < ql->compress || (unsigned long)ql->len - i <= ql->compress;
        if (ql->compress == 0 || end)
            qlDecompressNode(n);
        else
            qlCompressNode(n);
    }
}

void quicklistPush(Quicklist *ql, int where, const void *s, size_t len) {
    if (where == QL_HEAD)
        qlInsertAt(ql, ql->head, 0, false, s, len);
    else
        qlInsertAt(ql, ql->tail, ql->tail ? (long)ql->tail->count : 0, true, s, len);
}

static void qlFillEntry(QuicklistNode *n, unsigned char *p, long offset, QuicklistEntry *e) {
    uint32_t slen = 0;
    e->node = n;
    if (n->plain) {
        e->lpEntry = NULL;
        e->offset = 0;
        e->value = n->data;
        e->sz = n->sz;
        e->longval = 0;
        return;
    }
    e->lpEntry = p;
    e->offset = offset;
    e->value = lpGet(p, &slen, &e->longval);
    e->sz = slen;
}

bool quicklistPeek(Quicklist *ql, int where, QuicklistEntry *e) {
    QuicklistNode *n = where == QL_HEAD ? ql->head : ql->tail;
    if (!n) return false;
    qlDecompressNode(n); /* an end node: uncompressed from now on */
    unsigned char *p = n->plain ? n->data : where == QL_HEAD ? lpFirst(n->data) : lpLast(n->data);
    qlFillEntry(n, p, where == QL_HEAD ? 0 : (long)n->count - 1, e);
    return true;
}

bool quicklistDelEnd(Quicklist *ql, int where) {
    QuicklistNode *n = where == QL_HEAD ? ql->head : ql->tail;
    if (!n) return false;
    if (n->count == 1) {
        qlUnlinkFree(ql, n);
        qlFixEnds(ql);
        return true;
    }
    qlUse(n);
    unsigned char *p = where == QL_HEAD ? lpFirst(n->data) : lpLast(n->data);
    n->data = lpDelete(n->data, p, NULL);
    qlNodeUpdate(n);
    ql->count--;
    qlRest(ql, n);
    return true;
}

/* ------------------------------------------------------------------------
 * Iteration
 * ---------------------------------------------------------------------- */

void quicklistIterInit(QuicklistIter *it, Quicklist *ql, int direction) {
    it->ql = ql;
    it->direction = direction;
    it->node = direction == QL_FORWARD ? ql->head : ql->tail;
    it->p = NULL;
    it->offset = 0;
    it->pending = true;
}

/* The node holding entry `index` (0-based from the head, < count) and the
 * entry's offset in it, walking from the nearer end. */
static QuicklistNode *qlLocate(const Quicklist *ql, unsigned long index, long *offset) {
    QuicklistNode *n;
    if (index < ql->count / 2) {
        unsigned long seen = 0;
        for (n = ql->head; n && seen + n->count <= index; n = n->next) seen += n->count;
        *offset = (long)(index - seen);
    } else {
        unsigned long fromTail = ql->count - 1 - index, seen = 0;
        for (n = ql->tail; n && seen + n->count <= fromTail; n = n->prev) seen += n->count;
        *offset = (long)(n->count - 1 - (fromTail - seen));
    }
    return n;
}

/* Normalises a possibly negative index; false when out of range. */
static bool qlIndex(const Quicklist *ql, long long index, unsigned long *out) {
    if (index < 0) {
        /* -1 is the last entry; written so LLONG_MIN cannot overflow. */
        unsigned long long back = (unsigned long long)(-(index + 1)) + 1;
        if (back > ql->count) return false;
        *out = ql->count - (unsigned long)back;
    } else {
        if ((unsigned long long)index >= ql->count) return false;
        *out = (unsigned long)index;
    }
    return true;
}

bool quicklistIterInitAtIndex(QuicklistIter *it, Quicklist *ql, int direction, long long index) {
    unsigned long idx;
    quicklistIterInit(it, ql, direction);
    if (!qlIndex(ql, index, &idx)) {
        it->node = NULL;
        return false;
    }
    long off;
    QuicklistNode *n = qlLocate(ql, idx, &off);
    qlUse(n);
    it->node = n;
    it->p = n->plain ? n->data : lpSeek(n->data, off);
    it->offset = off;
    it->pending = true;
    return true;
}

bool quicklistNext(QuicklistIter *it, QuicklistEntry *e) {
    bool fwd = it->direction == QL_FORWARD;
    for (;;) {
        QuicklistNode *n = it->node;
        if (!n) return false;
        qlUse(n);
        if (it->pending) {
            if (!it->p) {
                it->p = n->plain ? n->data : fwd ? lpFirst(n->data) : lpLast(n->data);
                it->offset = fwd ? 0 : (long)n->count - 1;
            }
            it->pending = false;
        } else if (n->plain) {
            it->p = NULL; /* its only element was returned */
        } else {
            it->p = fwd ? lpNext(n->data, it->p) : lpPrev(n->data, it->p);
            it->offset += fwd ? 1 : -1;
        }
        if (it->p) break;
        qlRest(it->ql, n);
        it->node = fwd ? n->next : n->prev;
        it->pending = true;
    }
    qlFillEntry(it->node, it->p, it->offset, e);
    return true;
}

void quicklistIterEnd(QuicklistIter *it) {
    if (it->node) qlRest(it->ql, it->node);
    it->node = NULL;
}

void quicklistDelEntry(QuicklistIter *it, QuicklistEntry *e) {
    Quicklist *ql = it->ql;
    QuicklistNode *n = e->node;
    bool fwd = it->direction == QL_FORWARD;
    unsigned char *newp = NULL;
    if (n->plain) {
        it->pending = true;
        it->node = fwd ? n->next : n->prev;
        it->p = NULL;
        qlUnlinkFree(ql, n);
        qlFixEnds(ql);
        return;
    }
    n->data = lpDelete(n->data, e->lpEntry, &newp);
    qlNodeUpdate(n);
    ql->count--;
    it->pending = true;
    if (n->count == 0) {
        it->node = fwd ? n->next : n->prev;
        it->p = NULL;
        qlUnlinkFree(ql, n);
        qlFixEnds(ql);
        return;
    }
    if (fwd) {
        it->p = newp;
        if (!newp) {
            qlRest(ql, n);
            it->node = n->next;
        }
    } else if (e->offset == 0) {
        it->p = NULL;
        qlRest(ql, n);
        it->node = n->prev;
    } else {
        it->p = newp ? lpPrev(n->data, newp) : lpLast(n->data);
        it->offset = e->offset - 1;
    }
}

/* Bytes the entry at p takes in lp. */
static size_t qlEntrySize(const unsigned char *lp, const unsigned char *p) {
    const unsigned char *next = lpNext(lp, p);
    const unsigned char *end = next ? next : lp + lpBytes(lp) - 1;
    return (size_t)(end - p);
}

void quicklistReplaceEntry(QuicklistIter *it, QuicklistEntry *e, const void *s, size_t len) {
    Quicklist *ql = it->ql;
    QuicklistNode *n = e->node;
    bool large = qlIsLarge(len);
    it->node = NULL;
    if (n->plain && large) {
        /* A large value for a large value: the node's bytes are swapped. */
        if (len > UINT32_MAX) qlFatal("element too large");
        unsigned char *data = kvMalloc(len);
        memcpy(data, s, len);
        kvFree(n->data);
        n->data = data;
        n->sz = (uint32_t)len;
        n->noCompress = 0;
        qlRest(ql, n);
        return;
    }
    if (n->plain || (large && n->count == 1)) {
        /* The container kind changes: the new value goes in after the node
         * (into the next node when it has room, as Redis does), then the
         * node goes. */
        qlInsertAt(ql, n, 1, true, s, len);
        qlUnlinkFree(ql, n);
        qlFixEnds(ql);
        return;
    }
    size_t newSz = (size_t)n->sz - qlEntrySize(n->data, e->lpEntry) + qlEntryBytes(len);
    if (!large && (n->count == 1 || qlFits(ql, newSz, n->count))) {
        unsigned char *p = e->lpEntry;
        n->data = lpReplace(n->data, &p, s, (uint32_t)len);
        if (!n->data) qlFatal("listpack too large");
        qlNodeUpdate(n);
        qlRest(ql, n);
        return;
    }
    /* The node would overflow, or the value needs a plain node: take the
     * old entry out (the node keeps at least one) and insert the new value
     * where it was, which may split the node. */
    n->data = lpDelete(n->data, e->lpEntry, NULL);
    qlNodeUpdate(n);
    ql->count--;
    qlInsertAt(ql, n, e->offset, false, s, len);
}

void quicklistInsertAt(QuicklistIter *it, QuicklistEntry *e, bool after, const void *s,
                       size_t len) {
    QuicklistNode *n = e->node;
    it->node = NULL;
    qlInsertAt(it->ql, n, e->offset + (after ? 1 : 0), after, s, len);
}

bool quicklistEntryEquals(const QuicklistEntry *e, const void *s, size_t len) {
    if (!e->lpEntry) return e->sz == len && (len == 0 || memcmp(e->value, s, len) == 0);
    if (len > UINT32_MAX) return false;
    return lpCompare(e->lpEntry, s, (uint32_t)len);
}

bool quicklistReplaceAtIndex(Quicklist *ql, long long index, const void *s, size_t len) {
    QuicklistIter it;
    QuicklistEntry e;
    if (!quicklistIterInitAtIndex(&it, ql, QL_FORWARD, index)) return false;
    quicklistNext(&it, &e);
    quicklistReplaceEntry(&it, &e, s, len);
    quicklistIterEnd(&it);
    return true;
}

unsigned long quicklistDelRange(Quicklist *ql, long long start, unsigned long num) {
    unsigned long idx;
    if (num == 0 || !qlIndex(ql, start, &idx)) return 0;
    if (num > ql->count - idx) num = ql->count - idx;
    unsigned long deleted = 0;
    long off;
    QuicklistNode *n = qlLocate(ql, idx, &off);
    while (n && deleted < num) {
        QuicklistNode *next = n->next;
        unsigned long left = num - deleted;
        if (off == 0 && left >= n->count) {
            deleted += n->count;
            qlUnlinkFree(ql, n);
        } else {
            unsigned long take = n->count - (unsigned long)off;
            if (take > left) take = left;
            qlUse(n);
            n->data = lpDeleteRange(n->data, off, take);
            qlNodeUpdate(n);
            ql->count -= take;
            deleted += take;
            qlRest(ql, n);
        }
        off = 0;
        n = next;
    }
    qlFixEnds(ql);
    return deleted;
}

bool quicklistAppendListpack(Quicklist *ql, unsigned char *lp) {
    unsigned long count = lpLength(lp);
    if (count == 0) {
        lpFree(lp);
        return true;
    }
    if (count > QL_NODE_MAX_COUNT) return false;
    QuicklistNode *n = qlNodeNew(lp);
    qlLink(ql, ql->tail, n, true);
    qlRest(ql, n);
    qlFixEnds(ql);
    return true;
}

void quicklistAppendPlain(Quicklist *ql, unsigned char *data, size_t len) {
    QuicklistNode *n = qlPlainNodeNew(data, len);
    qlLink(ql, ql->tail, n, true);
    qlRest(ql, n);
    qlFixEnds(ql);
}

unsigned char *quicklistNodeListpack(const QuicklistNode *node, bool *mustFree) {
    *mustFree = node->compressed;
    return node->compressed ? qlInflate(node) : node->data;
}

bool quicklistSetPackedThreshold(unsigned long long sz) {
    if (sz > QL_PACKED_THRESHOLD_MAX) return false;
    qlPackedThreshold = sz == 0 ? QL_DEFAULT_PACKED_THRESHOLD : (size_t)sz;
    return true;
}

size_t quicklistPackedThreshold(void) {
    return qlPackedThreshold;
}

size_t quicklistMemUsage(const Quicklist *ql) {
    size_t total = kvAllocSize(ql);
    for (const QuicklistNode *n = ql->head; n; n = n->next)
        total += kvAllocSize(n) + kvAllocSize(n->data);
    return total;
}

void quicklistStats(const Quicklist *ql, unsigned long *compressedNodes,
                    unsigned long long *uncompressedBytes) {
    unsigned long c = 0;
    unsigned long long bytes = 0;
    for (const QuicklistNode *n = ql->head; n; n = n->next) {
        if (n->compressed) c++;
        bytes += n->sz;
    }
    *compressedNodes = c;
    *uncompressedBytes = bytes;
}

bool quicklistCheck(const Quicklist *ql, const char **why) {
    const char *reason = NULL;
    unsigned long count = 0, len = 0, i = 0;
    const QuicklistNode *prev = NULL;
    for (const QuicklistNode *n = ql->head; n && !reason; prev = n, n = n->next, i++) {
        len++;
        count += n->count;
        bool mustFree;
        unsigned char *lp = quicklistNodeListpack(n, &mustFree);
        if (n->prev != prev)
            reason = "broken prev link";
        else if (n->count == 0)
            reason = "empty node";
        else if (n->plain && (n->count != 1 || n->sz == 0))
            reason = "plain node without exactly one element";
        else if (n->plain && n->recompress)
            reason = "node left busy";
        else if (n->plain)
            ; /* its bytes are the element: nothing more to check */
        else if (lpBytes(lp) != n->sz)
            reason = "node size differs from its listpack";
        else if (lpLength(lp) != n->count)
            reason = "node count differs from its listpack";
        else if (!lpValidate(lp, n->sz, true))
            reason = "invalid listpack";
        else if (n->recompress)
            reason = "node left busy";
        if (mustFree) lpFree(lp);
        if (reason || ql->compress == 0) continue;
        bool end = i < ql->compress || (unsigned long)ql->len - i <= ql->compress;
        if (end && n->compressed) reason = "compressed node in a plain end";
        if (!end && !n->compressed && !n->noCompress) reason = "middle node left uncompressed";
    }
    if (!reason && ql->tail != prev) reason = "tail is not the last node";
    if (!reason && count != ql->count) reason = "count differs from the nodes' sum";
    if (!reason && len != ql->len) reason = "len differs from the number of nodes";
    if (why) *why = reason;
    return reason == NULL;
}
