/* quicklist.h — the list value: a doubly linked list of listpack nodes, with
 * the middle nodes optionally LZF-compressed (Redis 7.0's quicklist design,
 * our own implementation).
 *
 * Design
 * ------
 *
 *   Quicklist: head ──> [node] <──> [node] <──> [node] <── tail
 *                        │            │            │
 *                     listpack     LZF blob     listpack
 *                     a b c d      (e f g h)    i j
 *
 * Every node holds one listpack (listpack.h) of 1..N entries. How full a node
 * may grow is the list's `fill` (config list-max-listpack-size):
 *   fill < 0   a byte limit on the node's listpack: -1 4 KB, -2 8 KB,
 *              -3 16 KB, -4 32 KB, -5 64 KB (below -5 is clamped to -5,
 *              as Redis does);
 *   fill >= 0  at most `fill` entries per node, and never more than 8 KB
 *              (Redis's safety limit); 0 means one entry per node.
 * An entry bigger than the limit gets a node of its own. Nodes split when an
 * insert lands inside a full node and neighbours merge when the result fits.
 *
 * Plain nodes (Redis 7.0): an element of at least the packed threshold
 * (quicklistSetPackedThreshold; 1 GB by default, DEBUG
 * QUICKLIST-PACKED-THRESHOLD changes it) is not put in a listpack at all:
 * it gets a PLAIN node whose data is the element's bytes, sz its length
 * and count 1. Plain nodes never take further entries and never merge; a
 * small element replacing a plain one goes into a packed node again. RDB
 * files mark each node PACKED (2) or PLAIN (1). Changing the threshold
 * leaves existing nodes as they are, as in Redis.
 *
 * Compression (config list-compress-depth): with depth d > 0, the d nodes at
 * each end are kept as plain listpacks and every node in between is stored
 * LZF-compressed when that saves at least 8 bytes (nodes under 48 bytes are
 * never compressed). A node that an operation or an iterator touches is
 * decompressed for the time of the access and compressed again afterwards.
 *
 * Invariants (checked by quicklistCheck, used by the unit test):
 *   - count == sum of node counts; len == number of nodes; no node is empty;
 *   - packed nodes: node->count == lpLength(listpack), node->sz ==
 *     lpBytes(listpack); plain nodes: count == 1, sz > 0;
 *   - prev/next links are consistent, head->prev == tail->next == NULL;
 *   - the `compress` nodes at each end are never compressed when no access
 *     is in progress.
 *
 * Ownership: a Quicklist owns its nodes and their data. Entry values
 * handed out (QuicklistEntry.value) point into a node's data and stay
 * valid until the list is next modified or the iterator leaves the node.
 *
 * Complexity: push/pop at either end O(1) (amortised; a node's listpack is
 * reallocated as it grows); access by index O(nodes + node size); insert or
 * delete at an index the same.
 */
#ifndef KV_QUICKLIST_H
#define KV_QUICKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QL_HEAD 0
#define QL_TAIL 1

/* Iteration directions. */
#define QL_FORWARD  0 /* head to tail */
#define QL_BACKWARD 1 /* tail to head */

/* Redis clamps fill to [-5, 32767] and compress to [0, 65535]. */
#define QL_FILL_MIN     (-5)
#define QL_FILL_MAX     32767
#define QL_COMPRESS_MAX 65535

/* Redis 7.0's default packed threshold: 1 GB. */
#define QL_DEFAULT_PACKED_THRESHOLD (1UL << 30)

typedef struct QuicklistNode {
    struct QuicklistNode *prev, *next;
    unsigned char *data;     /* listpack or plain bytes, or a QuicklistLzf when compressed */
    uint32_t sz;             /* bytes of the listpack / element (uncompressed) */
    uint32_t count : 28;     /* entries (1 for a plain node) */
    uint32_t plain : 1;      /* PLAIN container: data is one element's bytes */
    uint32_t compressed : 1; /* data is a QuicklistLzf */
    uint32_t recompress : 1; /* decompressed for an access in progress */
    uint32_t noCompress : 1; /* compression was tried and did not pay */
} QuicklistNode;

/* A compressed node's data. */
typedef struct QuicklistLzf {
    uint32_t len; /* compressed bytes */
    unsigned char bytes[];
} QuicklistLzf;

typedef struct Quicklist {
    QuicklistNode *head, *tail;
    unsigned long count; /* entries in all nodes */
    uint32_t len;        /* nodes */
    int16_t fill;
    uint16_t compress;
} Quicklist;

/* One entry as returned by iteration or lookup. A string has value != NULL
 * (sz bytes, pointing into the node's data); an integer has value == NULL
 * and longval. Elements of plain nodes are always strings. */
typedef struct QuicklistEntry {
    QuicklistNode *node;
    unsigned char *lpEntry; /* the entry inside node's listpack (NULL: plain node) */
    long offset;            /* its index inside the node */
    const unsigned char *value;
    size_t sz;
    long long longval;
} QuicklistEntry;

/* An iterator on the stack; end it with quicklistIterEnd(). The list may be
 * changed during iteration only through quicklistDelEntry (after which the
 * iteration continues with the following entry in the iteration's
 * direction) or quicklistReplaceEntry; any other change ends it. */
typedef struct QuicklistIter {
    Quicklist *ql;
    QuicklistNode *node;
    unsigned char *p; /* current entry, or the next one when pending */
    long offset;      /* index of p in node */
    int direction;
    bool pending; /* p (or the node's first entry when p is NULL) is next */
} QuicklistIter;

/* A new empty list; fill and compress are clamped to Redis's ranges. Free
 * with quicklistRelease(). */
Quicklist *quicklistCreate(int fill, int compress);
void quicklistRelease(Quicklist *ql);
/* A deep copy (compressed nodes are copied compressed). */
Quicklist *quicklistDup(const Quicklist *ql);
/* Changes the options of an existing list (they apply to later changes;
 * compression is brought in line at once). */
void quicklistSetOptions(Quicklist *ql, int fill, int compress);

static inline unsigned long quicklistCount(const Quicklist *ql) {
    return ql->count;
}

/* Adds a string at the head or the tail (QL_HEAD / QL_TAIL). Strings that
 * read as integers are stored as integers (listpack rules). */
void quicklistPush(Quicklist *ql, int where, const void *s, size_t len);
/* The first (QL_HEAD) or last entry; false when the list is empty. The
 * entry's value stays valid until the list is next modified. */
bool quicklistPeek(Quicklist *ql, int where, QuicklistEntry *e);
/* Removes the first or last entry; false when the list is empty. */
bool quicklistDelEnd(Quicklist *ql, int where);

/* Iteration from either end, or from index `index` (0-based, negative from
 * the tail; false when out of range). */
void quicklistIterInit(QuicklistIter *it, Quicklist *ql, int direction);
bool quicklistIterInitAtIndex(QuicklistIter *it, Quicklist *ql, int direction, long long index);
/* Moves to the next entry and fills e; false at the end. */
bool quicklistNext(QuicklistIter *it, QuicklistEntry *e);
/* Finishes an iteration (compresses the node it stopped on if needed). */
void quicklistIterEnd(QuicklistIter *it);
/* Deletes the entry the iterator returned last (e); the next call to
 * quicklistNext returns the entry that followed it. */
void quicklistDelEntry(QuicklistIter *it, QuicklistEntry *e);
/* Replaces the value of the entry the iterator returned last (e). The
 * iteration may not continue afterwards; end it. */
void quicklistReplaceEntry(QuicklistIter *it, QuicklistEntry *e, const void *s, size_t len);
/* Inserts a string before or after the entry e the iterator returned last
 * (after = true: after it in head-to-tail order). Ends the iteration's
 * usefulness: call quicklistIterEnd next. */
void quicklistInsertAt(QuicklistIter *it, QuicklistEntry *e, bool after, const void *s, size_t len);

/* True when entry e holds exactly the len bytes of s (an integer entry
 * compares as its decimal text). */
bool quicklistEntryEquals(const QuicklistEntry *e, const void *s, size_t len);

/* Replaces the entry at `index` (negative from the tail); false when out
 * of range. */
bool quicklistReplaceAtIndex(Quicklist *ql, long long index, const void *s, size_t len);
/* Deletes up to `num` entries starting at index `start` (negative from the
 * tail); returns how many were deleted. O(nodes touched). */
unsigned long quicklistDelRange(Quicklist *ql, long long start, unsigned long num);

/* Appends a whole listpack as a node (RDB loading); takes ownership of lp.
 * An empty listpack is freed and nothing is added. Returns false (lp not
 * taken) when lp has more entries than a node can count. */
bool quicklistAppendListpack(Quicklist *ql, unsigned char *lp);
/* Appends a PLAIN node holding the len bytes at data (RDB loading of a
 * PLAIN container; kept plain whatever the threshold, as Redis does);
 * takes ownership of data (a kvMalloc'd buffer). len must be > 0. */
void quicklistAppendPlain(Quicklist *ql, unsigned char *data, size_t len);
/* The bytes of a node (its listpack, or a plain node's element), inflated
 * into a new allocation when the node is compressed (*mustFree then says
 * the caller frees it with kvFree). For RDB saving and DEBUG. */
unsigned char *quicklistNodeListpack(const QuicklistNode *node, bool *mustFree);

/* The packed threshold shared by every list: elements of at least sz bytes
 * go into plain nodes. 0 restores the default (1 GB). Returns false (and
 * changes nothing) when sz is above 4 GB - 1 MB, Redis's limit. */
bool quicklistSetPackedThreshold(unsigned long long sz);
size_t quicklistPackedThreshold(void);

/* Bytes of memory used by the list (MEMORY USAGE). */
size_t quicklistMemUsage(const Quicklist *ql);
/* Totals for DEBUG OBJECT: compressed nodes and the bytes of all listpacks
 * uncompressed. */
void quicklistStats(const Quicklist *ql, unsigned long *compressedNodes,
                    unsigned long long *uncompressedBytes);

/* Checks every invariant above; returns false (with a reason in *why when
 * not NULL) on the first violation. O(N). For tests. */
bool quicklistCheck(const Quicklist *ql, const char **why);

#endif
