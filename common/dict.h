/* dict.h — chained hash table with incremental rehashing and a stable SCAN.
 *
 * Design
 * ------
 * The table is *intrusive*: an entry is any struct whose first member is a
 * DictLink, and the table stores pointers to entries, never copies. The
 * entry's owner decides what it holds; the table only asks the type for the
 * entry's key bytes (`entryKey`). This lets kvd keep a key, its value header
 * and short values in one allocation, while generic maps use DictEntry below.
 *
 *   table[0]: [b0]->e->e   [b1]   [b2]->e   ...   (size 2^n)
 *   table[1]: used only while rehashing, size 2^m
 *
 * Invariants
 * - Sizes are 0 or powers of two; an entry lives in exactly one bucket of one
 *   table; while rehashing (rehashIdx >= 0), every bucket of table[0] below
 *   rehashIdx is empty and new entries go to table[1].
 * - Growth: when used reaches size (load factor 1) the table doubles; with
 *   resizing disabled (a fork child shares pages) only past load factor 5.
 *   Shrinking is explicit (dictShrinkIfSparse), to 10% fill like Redis.
 * - Every lookup, insert and delete moves one bucket forward when the table is
 *   rehashing and no safe iterator holds it (pauseRehash == 0); a timer may
 *   also call dictRehashMicroseconds.
 *
 * SCAN guarantee: dictScan's cursor increments the *reversed* bucket index,
 * so that when the table grows or shrinks between calls, the buckets already
 * visited map onto a prefix of the new order. Every entry present from the
 * first call to the last is returned at least once; some may be returned
 * twice. While rehashing, each call visits the small table's bucket and every
 * bucket of the big table that it expands to.
 */
#ifndef KV_DICT_H
#define KV_DICT_H

#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct DictLink {
    struct DictLink *next;
} DictLink;

typedef struct DictType {
    uint64_t (*hash)(const void *key, size_t len);
    /* The key bytes of an entry (borrowed). */
    const void *(*entryKey)(const DictLink *entry, size_t *len);
    /* Key equality; NULL means byte-for-byte. */
    bool (*keyEqual)(const void *a, size_t alen, const void *b, size_t blen);
    /* Frees an entry removed by dictDelete/dictEmpty/dictRelease; may be NULL. */
    void (*entryFree)(DictLink *entry);
} DictType;

typedef struct Dict {
    const DictType *type;
    DictLink **table[2];
    size_t size[2];
    size_t used[2];
    long rehashIdx;  /* -1 when not rehashing */
    int pauseRehash; /* > 0 while safe iterators or scans hold the table */
} Dict;

/* A generic key/value entry for ordinary maps. The key is a dstr owned by the
 * entry; the value is whatever the user puts there. */
typedef struct DictEntry {
    DictLink link;
    dstr key;
    union {
        void *ptr;
        int64_t i64;
        uint64_t u64;
        double d;
    } v;
} DictEntry;

typedef struct DictIter {
    Dict *d;
    int table;
    long index;
    bool safe;
    DictLink *entry, *nextEntry;
} DictIter;

typedef void DictScanFn(void *priv, DictLink *entry);

/* Ready-made types for DictEntry maps with dstr keys; entryFree frees the key
 * and the entry (not v.ptr). */
extern const DictType dictTypeDstrKey;       /* case-sensitive */
extern const DictType dictTypeDstrKeyNocase; /* ASCII case-insensitive */
/* Case-insensitive with hashBytesNocaseTrusted: for tables only the program
 * fills (command names), looked up on every request. */
extern const DictType dictTypeDstrKeyNocaseTrusted;

Dict *dictCreate(const DictType *type);
/* Removes every entry (calling entryFree) and frees the table. */
void dictRelease(Dict *d);
/* Removes every entry, keeping the Dict itself usable. */
void dictEmpty(Dict *d);

static inline size_t dictSize(const Dict *d) {
    return d->used[0] + d->used[1];
}
static inline size_t dictBuckets(const Dict *d) {
    return d->size[0] + d->size[1];
}
static inline bool dictIsRehashing(const Dict *d) {
    return d->rehashIdx != -1;
}

/* Returns the entry with this key, or NULL. O(1) average. */
DictLink *dictFind(Dict *d, const void *key, size_t len);
/* Inserts an entry whose key the caller knows is absent. */
void dictAddUnique(Dict *d, DictLink *entry);
/* Inserts entry unless its key is present; returns the existing entry then
 * (and does not take ownership of `entry`), or NULL when inserted. */
DictLink *dictAddIfAbsent(Dict *d, DictLink *entry);
/* dictAddIfAbsent with the key's hash already computed (dictHash): one
 * hash and one chain walk for "insert unless present". */
DictLink *dictAddIfAbsentHashed(Dict *d, DictLink *entry, uint64_t hash);
/* The hash the dict's type gives this key. */
uint64_t dictHash(const Dict *d, const void *key, size_t len);
/* Asks the CPU to start fetching the bucket(s) a key of this hash lives in,
 * so that a lookup or insert issued a little later does not wait on memory.
 * Only a hint: nothing is read, any table state is fine. */
/* always_inline: GCC deems a function whose only effect is a prefetch
 * pure, and drops calls to it that were not inlined early. */
#define DICT_PREFETCH_FN static inline __attribute__((always_inline)) void
DICT_PREFETCH_FN dictPrefetchBucket(const Dict *d, uint64_t hash) {
    /* The table inserts go to. */
    int t = d->size[1] ? 1 : 0;
    if (d->size[t]) __builtin_prefetch(&d->table[t][hash & (d->size[t] - 1)]);
}
/* The next step after dictPrefetchBucket (once that line has arrived):
 * starts fetching the first entry of the chain. Reads the bucket only. */
DICT_PREFETCH_FN dictPrefetchChain(const Dict *d, uint64_t hash) {
    int t = d->size[1] ? 1 : 0;
    if (d->size[t] == 0) return;
    const DictLink *head = d->table[t][hash & (d->size[t] - 1)];
    if (head) __builtin_prefetch(head);
}
/* Removes the entry with this key from the table without freeing it. */
DictLink *dictUnlink(Dict *d, const void *key, size_t len);
/* Removes and frees (entryFree); returns true if the key was present. */
bool dictDelete(Dict *d, const void *key, size_t len);
/* Puts `repl` where `old` is (same key; used after reallocating an entry). */
bool dictReplaceEntry(Dict *d, DictLink *old, DictLink *repl);

/* Grows to hold at least n entries without rehashing again. */
void dictExpand(Dict *d, size_t n);
/* Starts shrinking when fill is below 10%; returns true if it did. */
bool dictShrinkIfSparse(Dict *d);
/* Does n bucket moves; returns true if rehashing is still in progress. */
bool dictRehash(Dict *d, int n);
/* Rehashes for about us microseconds; returns the number of buckets moved. */
int dictRehashMicroseconds(Dict *d, long long us);
/* Process-wide: false while a fork child exists (limits copy-on-write). */
void dictSetResizeEnabled(bool enabled);

/* One SCAN step from `cursor`; calls fn for each entry visited; returns the
 * next cursor (0 when the scan is complete). */
unsigned long dictScan(Dict *d, unsigned long cursor, DictScanFn *fn, void *priv);

/* A random entry (NULL when empty): a random non-empty bucket, then a random
 * entry of its chain. */
DictLink *dictRandomEntry(Dict *d);

/* Iteration. A safe iterator allows deleting the current entry and pauses
 * rehashing until released; an unsafe one forbids changes meanwhile. */
void dictIterInit(DictIter *it, Dict *d, bool safe);
DictLink *dictIterNext(DictIter *it);
void dictIterRelease(DictIter *it);

/* DictEntry helpers for dstr-keyed maps. */
DictEntry *dictEntryFind(Dict *d, const char *key, size_t len);
/* Adds key → ptr if absent; returns the entry (new or existing). */
DictEntry *dictEntryAdd(Dict *d, const char *key, size_t len, bool *created);

/* Appends a human-readable stats report (DEBUG HTSTATS). */
dstr dictStats(Dict *d, dstr out, bool full);

#endif
