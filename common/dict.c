/* dict.c — chained hash table with incremental rehashing (design in dict.h). */
#include "dict.h"

#include "hash.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#define DICT_INITIAL_SIZE     4
#define DICT_FORCE_RATIO      5
#define DICT_MIN_FILL_PERCENT 10

static bool dictResizeEnabled = true;

void dictSetResizeEnabled(bool enabled) {
    dictResizeEnabled = enabled;
}

static inline uint64_t dictHashKey(Dict *d, const void *key, size_t len) {
    return d->type->hash(key, len);
}

static inline bool dictKeyMatches(Dict *d, const DictLink *e, const void *key, size_t len) {
    size_t elen;
    const void *ekey = d->type->entryKey(e, &elen);
    if (d->type->keyEqual) return d->type->keyEqual(ekey, elen, key, len);
    return elen == len && memcmp(ekey, key, len) == 0;
}

static inline uint64_t dictHashEntry(Dict *d, const DictLink *e) {
    size_t len;
    const void *key = d->type->entryKey(e, &len);
    return dictHashKey(d, key, len);
}

Dict *dictCreate(const DictType *type) {
    Dict *d = kvCalloc(sizeof(*d));
    d->type = type;
    d->rehashIdx = -1;
    return d;
}

static void dictClearTable(Dict *d, int t) {
    for (size_t i = 0; i < d->size[t] && d->used[t] > 0; i++) {
        DictLink *e = d->table[t][i];
        while (e) {
            DictLink *next = e->next;
            if (d->type->entryFree) d->type->entryFree(e);
            d->used[t]--;
            e = next;
        }
    }
    kvFree(d->table[t]);
    d->table[t] = NULL;
    d->size[t] = 0;
    d->used[t] = 0;
}

void dictEmpty(Dict *d) {
    dictClearTable(d, 0);
    dictClearTable(d, 1);
    d->rehashIdx = -1;
}

void dictRelease(Dict *d) {
    if (!d) return;
    dictEmpty(d);
    kvFree(d);
}

static size_t dictNextPower(size_t n) {
    size_t s = DICT_INITIAL_SIZE;
    while (s < n) s <<= 1;
    return s;
}

/* Allocates table[1] of the given size and starts rehashing into it (or
 * installs it as table[0] when the dict is empty). */
static void dictResizeTo(Dict *d, size_t size) {
    if (dictIsRehashing(d)) return;
    size = dictNextPower(size);
    if (size == d->size[0]) return;
    DictLink **t = kvCalloc(size * sizeof(DictLink *));
    if (d->table[0] == NULL || d->used[0] == 0) {
        kvFree(d->table[0]);
        d->table[0] = t;
        d->size[0] = size;
        return;
    }
    d->table[1] = t;
    d->size[1] = size;
    d->used[1] = 0;
    d->rehashIdx = 0;
}

void dictExpand(Dict *d, size_t n) {
    if (dictIsRehashing(d) || n <= d->size[0]) return;
    dictResizeTo(d, n);
}

bool dictShrinkIfSparse(Dict *d) {
    if (dictIsRehashing(d) || !dictResizeEnabled) return false;
    size_t used = d->used[0];
    if (d->size[0] <= DICT_INITIAL_SIZE) return false;
    if (used * 100 / d->size[0] >= DICT_MIN_FILL_PERCENT) return false;
    dictResizeTo(d, used < DICT_INITIAL_SIZE ? DICT_INITIAL_SIZE : used);
    return true;
}

static void dictExpandIfNeeded(Dict *d) {
    if (dictIsRehashing(d)) return;
    if (d->size[0] == 0) {
        dictResizeTo(d, DICT_INITIAL_SIZE);
        return;
    }
    if (d->used[0] >= d->size[0] &&
        (dictResizeEnabled || d->used[0] / d->size[0] > DICT_FORCE_RATIO))
        dictResizeTo(d, d->used[0] + 1);
}

bool dictRehash(Dict *d, int n) {
    int emptyVisits = n * 10;
    if (!dictIsRehashing(d)) return false;
    while (n-- && d->used[0] != 0) {
        while (d->table[0][d->rehashIdx] == NULL) {
            d->rehashIdx++;
            if (--emptyVisits == 0) return true;
        }
        DictLink *e = d->table[0][d->rehashIdx];
        while (e) {
            DictLink *next = e->next;
            size_t idx = dictHashEntry(d, e) & (d->size[1] - 1);
            e->next = d->table[1][idx];
            d->table[1][idx] = e;
            d->used[0]--;
            d->used[1]++;
            e = next;
        }
        d->table[0][d->rehashIdx] = NULL;
        d->rehashIdx++;
    }
    if (d->used[0] == 0) {
        kvFree(d->table[0]);
        d->table[0] = d->table[1];
        d->size[0] = d->size[1];
        d->used[0] = d->used[1];
        d->table[1] = NULL;
        d->size[1] = 0;
        d->used[1] = 0;
        d->rehashIdx = -1;
        return false;
    }
    return true;
}

static long long dictNowUs(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int dictRehashMicroseconds(Dict *d, long long us) {
    if (d->pauseRehash > 0) return 0;
    long long start = dictNowUs();
    int moved = 0;
    while (dictRehash(d, 100)) {
        moved += 100;
        if (dictNowUs() - start > us) break;
    }
    return moved;
}

static inline void dictRehashStep(Dict *d) {
    if (d->pauseRehash == 0) dictRehash(d, 1);
}

DictLink *dictFind(Dict *d, const void *key, size_t len) {
    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) dictRehashStep(d);
    uint64_t h = dictHashKey(d, key, len);
    for (int t = 0; t <= 1; t++) {
        if (d->size[t] == 0) break;
        DictLink *e = d->table[t][h & (d->size[t] - 1)];
        while (e) {
            if (dictKeyMatches(d, e, key, len)) return e;
            e = e->next;
        }
        if (!dictIsRehashing(d)) break;
    }
    return NULL;
}

static void dictInsertAt(Dict *d, DictLink *entry, uint64_t h) {
    int t = dictIsRehashing(d) ? 1 : 0;
    size_t idx = h & (d->size[t] - 1);
    entry->next = d->table[t][idx];
    d->table[t][idx] = entry;
    d->used[t]++;
}

void dictAddUnique(Dict *d, DictLink *entry) {
    if (dictIsRehashing(d)) dictRehashStep(d);
    dictExpandIfNeeded(d);
    dictInsertAt(d, entry, dictHashEntry(d, entry));
}

uint64_t dictHash(const Dict *d, const void *key, size_t len) {
    return d->type->hash(key, len);
}

DictLink *dictAddIfAbsentHashed(Dict *d, DictLink *entry, uint64_t h) {
    size_t len;
    const void *key = d->type->entryKey(entry, &len);
    if (dictSize(d) > 0) {
        if (dictIsRehashing(d)) dictRehashStep(d);
        for (int t = 0; t <= 1; t++) {
            if (d->size[t] == 0) break;
            for (DictLink *e = d->table[t][h & (d->size[t] - 1)]; e; e = e->next)
                if (dictKeyMatches(d, e, key, len)) return e;
            if (!dictIsRehashing(d)) break;
        }
    }
    dictExpandIfNeeded(d);
    dictInsertAt(d, entry, h);
    return NULL;
}

DictLink *dictAddIfAbsent(Dict *d, DictLink *entry) {
    size_t len;
    const void *key = d->type->entryKey(entry, &len);
    return dictAddIfAbsentHashed(d, entry, dictHashKey(d, key, len));
}

DictLink *dictUnlink(Dict *d, const void *key, size_t len) {
    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) dictRehashStep(d);
    uint64_t h = dictHashKey(d, key, len);
    for (int t = 0; t <= 1; t++) {
        if (d->size[t] == 0) break;
        DictLink **ref = &d->table[t][h & (d->size[t] - 1)];
        while (*ref) {
            DictLink *e = *ref;
            if (dictKeyMatches(d, e, key, len)) {
                *ref = e->next;
                e->next = NULL;
                d->used[t]--;
                return e;
            }
            ref = &e->next;
        }
        if (!dictIsRehashing(d)) break;
    }
    return NULL;
}

bool dictDelete(Dict *d, const void *key, size_t len) {
    DictLink *e = dictUnlink(d, key, len);
    if (!e) return false;
    if (d->type->entryFree) d->type->entryFree(e);
    return true;
}

bool dictReplaceEntry(Dict *d, DictLink *old, DictLink *repl) {
    size_t len;
    const void *key = d->type->entryKey(old, &len);
    uint64_t h = dictHashKey(d, key, len);
    for (int t = 0; t <= 1; t++) {
        if (d->size[t] == 0) break;
        DictLink **ref = &d->table[t][h & (d->size[t] - 1)];
        while (*ref) {
            if (*ref == old) {
                repl->next = old->next;
                *ref = repl;
                return true;
            }
            ref = &(*ref)->next;
        }
    }
    return false;
}

static unsigned long reverseBits(unsigned long v) {
    unsigned long s = 8 * sizeof(v);
    unsigned long mask = ~0UL;
    while ((s >>= 1) > 0) {
        mask ^= (mask << s);
        v = ((v >> s) & mask) | ((v << s) & ~mask);
    }
    return v;
}

static void dictScanBucket(DictLink *e, DictScanFn *fn, void *priv) {
    while (e) {
        DictLink *next = e->next; /* fn may unlink e */
        fn(priv, e);
        e = next;
    }
}

unsigned long dictScan(Dict *d, unsigned long v, DictScanFn *fn, void *priv) {
    if (dictSize(d) == 0) return 0;
    d->pauseRehash++;
    if (!dictIsRehashing(d)) {
        unsigned long m0 = d->size[0] - 1;
        dictScanBucket(d->table[0][v & m0], fn, priv);
        v |= ~m0;
        v = reverseBits(v);
        v++;
        v = reverseBits(v);
    } else {
        int small = 0, big = 1;
        if (d->size[0] > d->size[1]) {
            small = 1;
            big = 0;
        }
        unsigned long m0 = d->size[small] - 1, m1 = d->size[big] - 1;
        dictScanBucket(d->table[small][v & m0], fn, priv);
        do {
            dictScanBucket(d->table[big][v & m1], fn, priv);
            v |= ~m1;
            v = reverseBits(v);
            v++;
            v = reverseBits(v);
        } while (v & (m0 ^ m1));
    }
    d->pauseRehash--;
    return v;
}

DictLink *dictRandomEntry(Dict *d) {
    if (dictSize(d) == 0) return NULL;
    if (dictIsRehashing(d)) dictRehashStep(d);
    DictLink *head = NULL;
    if (dictIsRehashing(d)) {
        size_t s0 = d->size[0];
        do {
            /* Buckets of table[0] below rehashIdx are empty: skip them. */
            size_t span = s0 + d->size[1] - (size_t)d->rehashIdx;
            size_t h = (size_t)d->rehashIdx + ((size_t)random() % span);
            head = h >= s0 ? d->table[1][h - s0] : d->table[0][h];
        } while (head == NULL);
    } else {
        do {
            head = d->table[0][(size_t)random() & (d->size[0] - 1)];
        } while (head == NULL);
    }
    size_t n = 0;
    for (DictLink *e = head; e; e = e->next) n++;
    size_t pick = (size_t)random() % n;
    while (pick--) head = head->next;
    return head;
}

void dictIterInit(DictIter *it, Dict *d, bool safe) {
    it->d = d;
    it->table = 0;
    it->index = -1;
    it->safe = safe;
    it->entry = it->nextEntry = NULL;
    if (safe) d->pauseRehash++;
}

DictLink *dictIterNext(DictIter *it) {
    Dict *d = it->d;
    for (;;) {
        if (it->entry == NULL) {
            it->index++;
            if (it->index >= (long)d->size[it->table]) {
                if (dictIsRehashing(d) && it->table == 0) {
                    it->table = 1;
                    it->index = 0;
                } else {
                    return NULL;
                }
            }
            if (d->size[it->table] == 0) return NULL;
            /* Entries are scattered in memory: start fetching the chain a
             * few buckets ahead so that a full walk does not wait on each. */
            if ((size_t)it->index + 8 < d->size[it->table]) {
                DictLink *ahead = d->table[it->table][it->index + 8];
                if (ahead) __builtin_prefetch(ahead);
            }
            it->entry = d->table[it->table][it->index];
        } else {
            it->entry = it->nextEntry;
        }
        if (it->entry) {
            it->nextEntry = it->entry->next;
            return it->entry;
        }
    }
}

void dictIterRelease(DictIter *it) {
    if (it->safe && it->d) it->d->pauseRehash--;
    it->d = NULL;
}

/* ---- DictEntry maps keyed by dstr ---- */

static const void *dictEntryKeyOf(const DictLink *e, size_t *len) {
    const DictEntry *de = (const DictEntry *)e;
    *len = dstrLen(de->key);
    return de->key;
}

static void dictEntryFreeFn(DictLink *e) {
    DictEntry *de = (DictEntry *)e;
    dstrFree(de->key);
    kvFree(de);
}

static bool dictNocaseEqual(const void *a, size_t alen, const void *b, size_t blen) {
    return alen == blen && strncasecmp(a, b, alen) == 0;
}

const DictType dictTypeDstrKey = {hashBytes, dictEntryKeyOf, NULL, dictEntryFreeFn};
const DictType dictTypeDstrKeyNocase = {hashBytesNocase, dictEntryKeyOf, dictNocaseEqual,
                                        dictEntryFreeFn};
const DictType dictTypeDstrKeyNocaseTrusted = {hashBytesNocaseTrusted, dictEntryKeyOf,
                                               dictNocaseEqual, dictEntryFreeFn};

DictEntry *dictEntryFind(Dict *d, const char *key, size_t len) {
    return (DictEntry *)dictFind(d, key, len);
}

DictEntry *dictEntryAdd(Dict *d, const char *key, size_t len, bool *created) {
    DictEntry *de = dictEntryFind(d, key, len);
    if (de) {
        if (created) *created = false;
        return de;
    }
    de = kvCalloc(sizeof(*de));
    de->key = dstrNewLen(key, len);
    dictAddUnique(d, &de->link);
    if (created) *created = true;
    return de;
}

static dstr dictTableStats(Dict *d, int t, dstr out, bool full) {
    if (d->used[t] == 0) {
        return dstrCatPrintf(out,
                             "Hash table %d stats (%s):\n"
                             "No stats available for empty dictionaries\n",
                             t, t == 0 ? "main hash table" : "rehashing target");
    }
    enum { SLOTS = 50 };
    size_t clvector[SLOTS] = {0};
    size_t slots = 0, maxchain = 0, totchain = 0;
    for (size_t i = 0; i < d->size[t]; i++) {
        if (d->table[t][i] == NULL) {
            clvector[0]++;
            continue;
        }
        slots++;
        size_t chain = 0;
        for (DictLink *e = d->table[t][i]; e; e = e->next) chain++;
        clvector[chain < SLOTS ? chain : SLOTS - 1]++;
        if (chain > maxchain) maxchain = chain;
        totchain += chain;
    }
    out = dstrCatPrintf(out,
                        "Hash table %d stats (%s):\n"
                        " table size: %zu\n"
                        " number of elements: %zu\n",
                        t, t == 0 ? "main hash table" : "rehashing target", d->size[t], d->used[t]);
    if (full) {
        out = dstrCatPrintf(out,
                            " different slots: %zu\n"
                            " max chain length: %zu\n"
                            " avg chain length (counted): %.02f\n"
                            " avg chain length (computed): %.02f\n"
                            " Chain length distribution:\n",
                            slots, maxchain, slots ? (float)totchain / slots : 0,
                            slots ? (float)d->used[t] / slots : 0);
        for (size_t i = 0; i < SLOTS - 1; i++) {
            if (clvector[i] == 0) continue;
            out = dstrCatPrintf(out, "   %zu: %zu (%.02f%%)\n", i, clvector[i],
                                ((float)clvector[i] / d->size[t]) * 100);
        }
    }
    return out;
}

dstr dictStats(Dict *d, dstr out, bool full) {
    out = dictTableStats(d, 0, out, full);
    if (dictIsRehashing(d)) out = dictTableStats(d, 1, out, full);
    return out;
}
