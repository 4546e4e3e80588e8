/* intset.c — sorted integer set in Redis's on-disk layout (see intset.h).
 *
 * The header fields and elements are kept little-endian in memory, so the
 * blob can be written to RDB and DUMP as is; every access goes through the
 * load/store helpers below, which are plain copies on little-endian hosts.
 */
#include "intset.h"

#include "mem.h"

#include <assert.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>

struct Intset {
    uint32_t encoding; /* little-endian */
    uint32_t length;   /* little-endian */
    uint8_t contents[];
};

static_assert(sizeof(struct Intset) == INTSET_HEADER_SIZE, "intset header is 8 bytes");

/* ---- header and element access ---- */

static inline uint32_t isEncoding(const Intset *is) {
    return le32toh(is->encoding);
}

static inline void isSetEncoding(Intset *is, uint32_t enc) {
    is->encoding = htole32(enc);
}

uint32_t intsetLen(const Intset *is) {
    return le32toh(is->length);
}

static inline void isSetLen(Intset *is, uint32_t len) {
    is->length = htole32(len);
}

uint32_t intsetEncoding(const Intset *is) {
    return isEncoding(is);
}

size_t intsetBlobLen(const Intset *is) {
    return INTSET_HEADER_SIZE + (size_t)intsetLen(is) * isEncoding(is);
}

/* Element pos read with encoding enc (the caller's view, which differs from
 * the header only in the middle of an upgrade). */
static inline int64_t loadAt(const uint8_t *contents, uint32_t pos, uint32_t enc) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v;
        memcpy(&v, contents + (size_t)pos * 8, 8);
        return (int64_t)le64toh(v);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v;
        memcpy(&v, contents + (size_t)pos * 4, 4);
        return (int32_t)le32toh(v);
    } else {
        uint16_t v;
        memcpy(&v, contents + (size_t)pos * 2, 2);
        return (int16_t)le16toh(v);
    }
}

static inline void storeAt(uint8_t *contents, uint32_t pos, uint32_t enc, int64_t value) {
    if (enc == INTSET_ENC_INT64) {
        uint64_t v = htole64((uint64_t)value);
        memcpy(contents + (size_t)pos * 8, &v, 8);
    } else if (enc == INTSET_ENC_INT32) {
        uint32_t v = htole32((uint32_t)(int32_t)value);
        memcpy(contents + (size_t)pos * 4, &v, 4);
    } else {
        uint16_t v = htole16((uint16_t)(int16_t)value);
        memcpy(contents + (size_t)pos * 2, &v, 2);
    }
}

static inline int64_t getAt(const Intset *is, uint32_t pos) {
    return loadAt(is->contents, pos, isEncoding(is));
}

uint32_t intsetValueEncoding(int64_t v) {
    if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64;
    if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32;
    return INTSET_ENC_INT16;
}

/* ---- allocation ---- */

Intset *intsetNew(void) {
    Intset *is = kvMalloc(INTSET_HEADER_SIZE);
    isSetEncoding(is, INTSET_ENC_INT16);
    isSetLen(is, 0);
    return is;
}

void intsetFree(Intset *is) {
    kvFree(is);
}

Intset *intsetDup(const Intset *is) {
    size_t n = intsetBlobLen(is);
    Intset *copy = kvMalloc(n);
    memcpy(copy, is, n);
    return copy;
}

/* Reallocates for len elements of the current encoding. */
static Intset *isResize(Intset *is, uint32_t len) {
    size_t bytes = (size_t)len * isEncoding(is);
    /* A uint32 count of at most 8-byte elements cannot overflow size_t on a
     * 64-bit host; keep the check for 32-bit builds. */
    assert(bytes / isEncoding(is) == len);
    return kvRealloc(is, INTSET_HEADER_SIZE + bytes);
}

/* ---- search ---- */

/* Binary search for value. Returns true if found, with *pos its position;
 * otherwise *pos is where it would be inserted. */
static bool isSearch(const Intset *is, int64_t value, uint32_t *pos) {
    uint32_t len = intsetLen(is);
    if (len == 0) {
        *pos = 0;
        return false;
    }
    /* Appends and prepends are common (increasing ids): answer them in O(1). */
    if (value > getAt(is, len - 1)) {
        *pos = len;
        return false;
    }
    if (value < getAt(is, 0)) {
        *pos = 0;
        return false;
    }
    uint32_t lo = 0, hi = len; /* answer in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = getAt(is, mid);
        if (cur == value) {
            *pos = mid;
            return true;
        }
        if (cur < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return false;
}

bool intsetFind(const Intset *is, int64_t value) {
    uint32_t pos;
    return intsetValueEncoding(value) <= isEncoding(is) && isSearch(is, value, &pos);
}

bool intsetGet(const Intset *is, uint32_t pos, int64_t *value) {
    if (pos >= intsetLen(is)) return false;
    *value = getAt(is, pos);
    return true;
}

int64_t intsetRandom(const Intset *is) {
    uint32_t len = intsetLen(is);
    assert(len > 0);
    return getAt(is, (uint32_t)((unsigned long)random() % len));
}

int64_t intsetMin(const Intset *is) {
    assert(intsetLen(is) > 0);
    return getAt(is, 0);
}

int64_t intsetMax(const Intset *is) {
    assert(intsetLen(is) > 0);
    return getAt(is, intsetLen(is) - 1);
}

/* ---- insertion and removal ---- */

/* Moves elements [from, len) to start at `to` (current encoding). */
static void isMoveTail(Intset *is, uint32_t from, uint32_t to) {
    uint32_t enc = isEncoding(is);
    size_t count = (size_t)(intsetLen(is) - from) * enc;
    memmove(is->contents + (size_t)to * enc, is->contents + (size_t)from * enc, count);
}

/* Widens every element to the encoding of value, then adds value, which by
 * construction is smaller (negative) or larger than every element. */
static Intset *isUpgradeAndAdd(Intset *is, int64_t value) {
    uint32_t oldEnc = isEncoding(is);
    uint32_t newEnc = intsetValueEncoding(value);
    uint32_t len = intsetLen(is);
    bool prepend = value < 0;

    isSetEncoding(is, newEnc);
    is = isResize(is, len + 1);
    /* Back to front so no element is overwritten before it is read; shift
     * by one slot when the new value goes first. */
    for (uint32_t i = len; i-- > 0;)
        storeAt(is->contents, i + (prepend ? 1 : 0), newEnc, loadAt(is->contents, i, oldEnc));
    storeAt(is->contents, prepend ? 0 : len, newEnc, value);
    isSetLen(is, len + 1);
    return is;
}

Intset *intsetAdd(Intset *is, int64_t value, bool *added) {
    if (added) *added = true;
    if (intsetValueEncoding(value) > isEncoding(is)) return isUpgradeAndAdd(is, value);

    uint32_t pos;
    if (isSearch(is, value, &pos)) {
        if (added) *added = false;
        return is;
    }
    uint32_t len = intsetLen(is);
    is = isResize(is, len + 1);
    if (pos < len) isMoveTail(is, pos, pos + 1);
    storeAt(is->contents, pos, isEncoding(is), value);
    isSetLen(is, len + 1);
    return is;
}

Intset *intsetRemove(Intset *is, int64_t value, bool *removed) {
    uint32_t pos;
    if (removed) *removed = false;
    if (intsetValueEncoding(value) > isEncoding(is) || !isSearch(is, value, &pos)) return is;
    uint32_t len = intsetLen(is);
    if (pos < len - 1) isMoveTail(is, pos + 1, pos);
    is = isResize(is, len - 1);
    isSetLen(is, len - 1);
    if (removed) *removed = true;
    return is;
}

/* ---- validation ---- */

bool intsetValidate(const unsigned char *p, size_t size, bool deep) {
    if (size < INTSET_HEADER_SIZE) return false;
    uint32_t enc, len;
    memcpy(&enc, p, 4);
    memcpy(&len, p + 4, 4);
    enc = le32toh(enc);
    len = le32toh(len);
    if (enc != INTSET_ENC_INT16 && enc != INTSET_ENC_INT32 && enc != INTSET_ENC_INT64) return false;
    /* 64-bit arithmetic: len × 8 cannot overflow. */
    if ((uint64_t)INTSET_HEADER_SIZE + (uint64_t)len * enc != (uint64_t)size) return false;
    if (len == 0) return false;
    if (!deep) return true;
    const uint8_t *contents = p + INTSET_HEADER_SIZE;
    int64_t prev = loadAt(contents, 0, enc);
    for (uint32_t i = 1; i < len; i++) {
        int64_t cur = loadAt(contents, i, enc);
        if (cur <= prev) return false;
        prev = cur;
    }
    return true;
}
