/* listpack.c — the listpack format (design and byte layout in listpack.h).
 *
 * Written from the public Listpack specification; the choices the
 * specification leaves open (which integer width a value gets, the backlen
 * byte-count bounds, how the element count behaves around 65535, when the
 * allocation shrinks) follow what Redis 7.0 writes, checked byte for byte
 * against `DUMP` payloads of redis-server 7.0 in tests/unit/test_listpack.c.
 *
 * Every change goes through one primitive, lpSplice(): replace the bytes of
 * one entry (or nothing) at an offset with a freshly encoded entry (or
 * nothing), moving the tail once and reallocating at most once.
 */
#include "listpack.h"

#include "mem.h"
#include "numconv.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define LP_ENC_6BIT_STR  0x80
#define LP_ENC_13BIT_INT 0xC0
#define LP_ENC_12BIT_STR 0xE0
#define LP_ENC_32BIT_STR 0xF0
#define LP_ENC_16BIT_INT 0xF1
#define LP_ENC_24BIT_INT 0xF2
#define LP_ENC_32BIT_INT 0xF3
#define LP_ENC_64BIT_INT 0xF4

/* Longest <encoding + data> of an integer entry (64-bit: 1 + 8). */
#define LP_MAX_INT_ENTRY 9
/* Longest string length header (32-bit: 1 + 4). */
#define LP_MAX_STR_HEADER 5
#define LP_MAX_BACKLEN    5

static_assert(LP_INTBUF_SIZE >= LONG_STR_SIZE, "lpGetString's buffer must hold any long long");

/* ------------------------------------------------------------------------
 * Header and little-endian helpers
 * ---------------------------------------------------------------------- */

static inline uint64_t lpLoadLe(const unsigned char *p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static inline void lpStoreLe(unsigned char *p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static inline uint32_t lpGetTotalBytes(const unsigned char *lp) {
    return (uint32_t)lpLoadLe(lp, 4);
}
static inline void lpSetTotalBytes(unsigned char *lp, uint32_t v) {
    lpStoreLe(lp, v, 4);
}
static inline uint32_t lpGetNumElements(const unsigned char *lp) {
    return (uint32_t)lpLoadLe(lp + 4, 2);
}
static inline void lpSetNumElements(unsigned char *lp, uint32_t v) {
    lpStoreLe(lp + 4, v, 2);
}

/* ------------------------------------------------------------------------
 * Encoding
 * ---------------------------------------------------------------------- */

/* Writes the smallest integer entry (encoding + data) for v; returns its
 * length (1..9). */
static size_t lpEncodeInteger(unsigned char *buf, long long v) {
    uint64_t u = (uint64_t)v; /* two's complement, masked to the width below */
    if (v >= 0 && v <= 127) {
        buf[0] = (unsigned char)v;
        return 1;
    } else if (v >= -4096 && v <= 4095) {
        u &= 0x1fff;
        buf[0] = (unsigned char)(LP_ENC_13BIT_INT | (u >> 8));
        buf[1] = (unsigned char)(u & 0xff);
        return 2;
    } else if (v >= -32768 && v <= 32767) {
        buf[0] = LP_ENC_16BIT_INT;
        lpStoreLe(buf + 1, u, 2);
        return 3;
    } else if (v >= -8388608 && v <= 8388607) {
        buf[0] = LP_ENC_24BIT_INT;
        lpStoreLe(buf + 1, u, 3);
        return 4;
    } else if (v >= -2147483648LL && v <= 2147483647LL) {
        buf[0] = LP_ENC_32BIT_INT;
        lpStoreLe(buf + 1, u, 4);
        return 5;
    }
    buf[0] = LP_ENC_64BIT_INT;
    lpStoreLe(buf + 1, u, 8);
    return 9;
}

/* Writes the length header of a string entry; returns its length. */
static size_t lpEncodeStringHeader(unsigned char *buf, uint32_t len) {
    if (len < 64) {
        buf[0] = (unsigned char)(LP_ENC_6BIT_STR | len);
        return 1;
    } else if (len < 4096) {
        buf[0] = (unsigned char)(LP_ENC_12BIT_STR | (len >> 8));
        buf[1] = (unsigned char)(len & 0xff);
        return 2;
    }
    buf[0] = LP_ENC_32BIT_STR;
    lpStoreLe(buf + 1, len, 4);
    return 5;
}

/* Bytes the backlen of an entry of `l` bytes takes. The strict "<" bounds
 * are Redis's (an entry of exactly 16383 bytes gets a 3-byte backlen). */
static inline size_t lpBacklenSize(uint64_t l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
}

/* Writes the n-byte backlen of l at buf (rightmost byte least significant,
 * continuation bit on every byte but the leftmost). */
static void lpWriteBacklen(unsigned char *buf, uint64_t l, size_t n) {
    for (size_t i = n; i-- > 0;) {
        unsigned char b = (unsigned char)(l & 127);
        l >>= 7;
        if (i != 0) b |= 128;
        buf[i] = b;
    }
}

/* Reads a backlen whose rightmost byte is at q, going left; stores the
 * number of bytes read in *n. Trusted data: at most 5 bytes are read. */
static inline uint64_t lpReadBacklen(const unsigned char *q, size_t *n) {
    uint64_t v = 0;
    size_t i = 0;
    for (;;) {
        unsigned char c = *(q - i);
        v |= (uint64_t)(c & 127) << (7 * i);
        i++;
        if (!(c & 128) || i == LP_MAX_BACKLEN) break;
    }
    *n = i;
    return v;
}

/* ------------------------------------------------------------------------
 * Decoding (trusted bytes)
 * ---------------------------------------------------------------------- */

/* Size of <encoding + data> of the entry at p. */
static inline uint64_t lpEncodedSize(const unsigned char *p) {
    unsigned char b = p[0];
    if (b < 0x80) return 1;
    if (b < 0xC0) return 1 + (uint64_t)(b & 0x3f);
    if (b < 0xE0) return 2;
    if (b < 0xF0) return 2 + ((((uint64_t)b & 0x0f) << 8) | p[1]);
    switch (b) {
        case LP_ENC_32BIT_STR: return 5 + lpLoadLe(p + 1, 4);
        case LP_ENC_16BIT_INT: return 3;
        case LP_ENC_24BIT_INT: return 4;
        case LP_ENC_32BIT_INT: return 5;
        case LP_ENC_64BIT_INT: return 9;
        default: return 1; /* EOF (and invalid bytes, which validation refuses) */
    }
}

/* Whole size of the entry at p, backlen included. */
static inline uint64_t lpEntrySize(const unsigned char *p) {
    uint64_t l = lpEncodedSize(p);
    return l + lpBacklenSize(l);
}

static inline bool lpIsString(unsigned char b) {
    return (b & 0xC0) == LP_ENC_6BIT_STR || (b & 0xF0) == LP_ENC_12BIT_STR || b == LP_ENC_32BIT_STR;
}

/* Sign-extends the low `bits` bits of u. */
static inline long long lpSignExtend(uint64_t u, int bits) {
    if (bits < 64) {
        uint64_t sign = 1ULL << (bits - 1);
        if (u & sign) return (long long)(u & (sign - 1)) - (long long)sign;
        return (long long)u;
    }
    if (u > (uint64_t)LLONG_MAX) return -(long long)(~u) - 1;
    return (long long)u;
}

const unsigned char *lpGet(const unsigned char *p, uint32_t *slen, long long *ival) {
    unsigned char b = p[0];
    uint64_t u;
    int bits;
    if (b < 0x80) {
        if (ival) *ival = b;
        return NULL;
    } else if (b < 0xC0) {
        if (slen) *slen = b & 0x3f;
        return p + 1;
    } else if (b < 0xE0) {
        u = (((uint64_t)b & 0x1f) << 8) | p[1];
        bits = 13;
    } else if (b < 0xF0) {
        if (slen) *slen = (uint32_t)((b & 0x0f) << 8) | p[1];
        return p + 2;
    } else {
        switch (b) {
            case LP_ENC_32BIT_STR:
                if (slen) *slen = (uint32_t)lpLoadLe(p + 1, 4);
                return p + 5;
            case LP_ENC_16BIT_INT: u = lpLoadLe(p + 1, 2), bits = 16; break;
            case LP_ENC_24BIT_INT: u = lpLoadLe(p + 1, 3), bits = 24; break;
            case LP_ENC_32BIT_INT: u = lpLoadLe(p + 1, 4), bits = 32; break;
            case LP_ENC_64BIT_INT: u = lpLoadLe(p + 1, 8), bits = 64; break;
            default: /* not an entry: callers never pass one */
                assert(0 && "lpGet on a non-entry byte");
                if (ival) *ival = 0;
                return NULL;
        }
    }
    if (ival) *ival = lpSignExtend(u, bits);
    return NULL;
}

const unsigned char *lpGetString(const unsigned char *p, uint32_t *slen, char *buf) {
    long long v;
    uint32_t len;
    const unsigned char *s = lpGet(p, &len, &v);
    if (s) {
        *slen = len;
        return s;
    }
    *slen = (uint32_t)llToStr(buf, LP_INTBUF_SIZE, v);
    return (const unsigned char *)buf;
}

void lpGetEntry(const unsigned char *p, LpEntry *e) {
    e->sval = lpGet(p, &e->slen, &e->lval);
}

bool lpGetInteger(const unsigned char *p, long long *v) {
    uint32_t len;
    const unsigned char *s = lpGet(p, &len, v);
    if (!s) return true;
    return strToLongLong((const char *)s, len, v);
}

uint32_t lpGetStringLen(const unsigned char *p) {
    char buf[LP_INTBUF_SIZE];
    uint32_t len;
    lpGetString(p, &len, buf);
    return len;
}

bool lpCompare(const unsigned char *p, const void *s, uint32_t slen) {
    long long v, sv;
    uint32_t len;
    const unsigned char *es = lpGet(p, &len, &v);
    if (es) return len == slen && (slen == 0 || memcmp(es, s, slen) == 0);
    return strToLongLong(s, slen, &sv) && sv == v;
}

/* ------------------------------------------------------------------------
 * Creation, size, navigation
 * ---------------------------------------------------------------------- */

unsigned char *lpNew(size_t capacity) {
    unsigned char *lp = kvMalloc(capacity > LP_HDR_SIZE + 1 ? capacity : LP_HDR_SIZE + 1);
    lpSetTotalBytes(lp, LP_HDR_SIZE + 1);
    lpSetNumElements(lp, 0);
    lp[LP_HDR_SIZE] = LP_EOF;
    return lp;
}

void lpFree(unsigned char *lp) {
    kvFree(lp);
}

unsigned char *lpDup(const unsigned char *lp) {
    size_t bytes = lpBytes(lp);
    unsigned char *n = kvMalloc(bytes);
    memcpy(n, lp, bytes);
    return n;
}

unsigned char *lpShrinkToFit(unsigned char *lp) {
    size_t bytes = lpBytes(lp);
    if (kvAllocSize(lp) > bytes) lp = kvRealloc(lp, bytes);
    return lp;
}

size_t lpBytes(const unsigned char *lp) {
    return lpGetTotalBytes(lp);
}

bool lpSafeToAdd(const unsigned char *lp, size_t add) {
    size_t len = lp ? lpBytes(lp) : 0;
    return len + add <= LP_MAX_SAFETY_SIZE;
}

unsigned char *lpFirst(const unsigned char *lp) {
    const unsigned char *p = lp + LP_HDR_SIZE;
    return p[0] == LP_EOF ? NULL : (unsigned char *)p;
}

unsigned char *lpNext(const unsigned char *lp, const unsigned char *p) {
    (void)lp;
    if (p[0] == LP_EOF) return NULL;
    p += lpEntrySize(p);
    return p[0] == LP_EOF ? NULL : (unsigned char *)p;
}

unsigned char *lpPrev(const unsigned char *lp, const unsigned char *p) {
    if (p - lp <= LP_HDR_SIZE) return NULL;
    size_t n;
    uint64_t l = lpReadBacklen(p - 1, &n);
    return (unsigned char *)(p - n - l);
}

unsigned char *lpLast(const unsigned char *lp) {
    return lpPrev(lp, lp + lpGetTotalBytes(lp) - 1);
}

/* Counts entries by walking (no header write-back). */
static unsigned long lpCount(const unsigned char *lp) {
    unsigned long count = 0;
    const unsigned char *p = lp + LP_HDR_SIZE;
    while (p[0] != LP_EOF) {
        count++;
        p += lpEntrySize(p);
    }
    return count;
}

unsigned long lpLength(unsigned char *lp) {
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) return n;
    unsigned long count = lpCount(lp);
    /* As Redis: remember the count once it fits in the header again. */
    if (count < LP_HDR_NUMELE_UNKNOWN) lpSetNumElements(lp, (uint32_t)count);
    return count;
}

unsigned char *lpSeek(const unsigned char *lp, long index) {
    uint32_t n = lpGetNumElements(lp);
    bool forward = index >= 0;
    if (n != LP_HDR_NUMELE_UNKNOWN) {
        if (index < 0) index += (long)n;
        if (index < 0 || index >= (long)n) return NULL;
        /* From whichever end is nearer. */
        forward = index <= (long)n / 2;
        if (!forward) index -= (long)n;
    }
    unsigned char *p;
    if (forward) {
        p = lpFirst(lp);
        while (index-- > 0 && p) p = lpNext(lp, p);
    } else {
        p = lpLast(lp);
        while (++index < 0 && p) p = lpPrev(lp, p);
    }
    return p;
}

/* ------------------------------------------------------------------------
 * Changes
 * ---------------------------------------------------------------------- */

/* The one primitive behind every insert, replace and delete: at offset
 * `off`, replaces `oldSize` bytes (one entry, or 0 to insert) by the entry
 * hdr[0..hdrLen) + data[0..dataLen) plus its backlen, or by nothing when hdr
 * is NULL. `delta` is added to a known element count. *newp (if not NULL)
 * gets the new entry, or after a delete the following entry (NULL at the
 * end). Returns the listpack, or NULL when it would pass 4 GB. */
static unsigned char *lpSplice(unsigned char *lp, size_t off, size_t oldSize,
                               const unsigned char *hdr, size_t hdrLen, const void *data,
                               size_t dataLen, int delta, unsigned char **newp) {
    uint64_t contentLen = (uint64_t)hdrLen + dataLen;
    size_t blen = hdr ? lpBacklenSize(contentLen) : 0;
    uint64_t newSize = hdr ? contentLen + blen : 0;
    uint64_t oldBytes = lpGetTotalBytes(lp);
    uint64_t newBytes = oldBytes - oldSize + newSize;
    if (newBytes > UINT32_MAX) return NULL;
    size_t tail = (size_t)(oldBytes - off - oldSize);

    /* The data may come from this very listpack (an entry copied elsewhere
     * in it): take a copy before moving or reallocating. */
    void *copy = NULL;
    if (dataLen && (uintptr_t)data >= (uintptr_t)lp && (uintptr_t)data < (uintptr_t)lp + oldBytes) {
        copy = kvMalloc(dataLen);
        memcpy(copy, data, dataLen);
        data = copy;
    }

    if (newSize > oldSize) {
        if (newBytes > kvAllocSize(lp)) lp = kvRealloc(lp, (size_t)newBytes);
        memmove(lp + off + newSize, lp + off + oldSize, tail);
    } else if (newSize < oldSize) {
        memmove(lp + off + newSize, lp + off + oldSize, tail);
        lp = kvRealloc(lp, (size_t)newBytes);
    }
    if (hdr) {
        memcpy(lp + off, hdr, hdrLen);
        if (dataLen) memcpy(lp + off + hdrLen, data, dataLen);
        lpWriteBacklen(lp + off + contentLen, contentLen, blen);
    }
    kvFree(copy);

    lpSetTotalBytes(lp, (uint32_t)newBytes);
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN && delta != 0) lpSetNumElements(lp, (uint32_t)((long)n + delta));
    if (newp) {
        *newp = lp + off;
        if (!hdr && lp[off] == LP_EOF) *newp = NULL;
    }
    return lp;
}

/* Encodes a string for lpSplice: an integer entry in ibuf when it reads as
 * one (then *data is NULL), else a length header in ibuf plus the bytes. */
static size_t lpEncodeString(unsigned char *ibuf, const void *s, uint32_t slen, const void **data) {
    long long v;
    if (slen <= 20 && strToLongLong(s, slen, &v)) {
        *data = NULL;
        return lpEncodeInteger(ibuf, v);
    }
    *data = s;
    return lpEncodeStringHeader(ibuf, slen);
}

/* Offset of the insertion point for (p, where). */
static size_t lpInsertOffset(const unsigned char *lp, const unsigned char *p, int where) {
    if (where == LP_AFTER && p[0] != LP_EOF) p += lpEntrySize(p);
    return (size_t)(p - lp);
}

unsigned char *lpInsertString(unsigned char *lp, const void *s, uint32_t slen, unsigned char *p,
                              int where, unsigned char **newp) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    const void *data;
    size_t hlen = lpEncodeString(hdr, s, slen, &data);
    size_t off = lpInsertOffset(lp, p, where);
    return lpSplice(lp, off, 0, hdr, hlen, data, data ? slen : 0, 1, newp);
}

unsigned char *lpInsertInteger(unsigned char *lp, long long v, unsigned char *p, int where,
                               unsigned char **newp) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    size_t hlen = lpEncodeInteger(hdr, v);
    size_t off = lpInsertOffset(lp, p, where);
    return lpSplice(lp, off, 0, hdr, hlen, NULL, 0, 1, newp);
}

unsigned char *lpAppend(unsigned char *lp, const void *s, uint32_t slen) {
    unsigned char *eof = lp + lpGetTotalBytes(lp) - 1;
    return lpInsertString(lp, s, slen, eof, LP_BEFORE, NULL);
}

unsigned char *lpPrepend(unsigned char *lp, const void *s, uint32_t slen) {
    return lpInsertString(lp, s, slen, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

unsigned char *lpAppendInteger(unsigned char *lp, long long v) {
    unsigned char *eof = lp + lpGetTotalBytes(lp) - 1;
    return lpInsertInteger(lp, v, eof, LP_BEFORE, NULL);
}

unsigned char *lpPrependInteger(unsigned char *lp, long long v) {
    return lpInsertInteger(lp, v, lp + LP_HDR_SIZE, LP_BEFORE, NULL);
}

/* Encodes entry e for lpBatchAppend: header (or whole integer entry) in
 * hdr, returns its length; *data and *dataLen get the string bytes that follow. */
static size_t lpEncodeEntry(unsigned char *hdr, const LpEntry *e, const void **data,
                            size_t *dataLen) {
    if (!e->sval) {
        *data = NULL;
        *dataLen = 0;
        return lpEncodeInteger(hdr, e->lval);
    }
    size_t hlen = lpEncodeString(hdr, e->sval, e->slen, data);
    *dataLen = *data ? e->slen : 0;
    return hlen;
}

unsigned char *lpBatchAppend(unsigned char *lp, const LpEntry *e, size_t n) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    const void *data;
    size_t dataLen;
    uint64_t add = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t l = lpEncodeEntry(hdr, &e[i], &data, &dataLen) + (uint64_t)dataLen;
        add += l + lpBacklenSize(l);
    }
    uint64_t oldBytes = lpGetTotalBytes(lp);
    uint32_t count = lpGetNumElements(lp);
    if (oldBytes + add > UINT32_MAX) return NULL;
    if (oldBytes + add > kvAllocSize(lp)) lp = kvRealloc(lp, (size_t)(oldBytes + add));
    unsigned char *dst = lp + oldBytes - 1;
    for (size_t i = 0; i < n; i++) {
        size_t hlen = lpEncodeEntry(hdr, &e[i], &data, &dataLen);
        uint64_t l = hlen + (uint64_t)dataLen;
        memcpy(dst, hdr, hlen);
        if (dataLen) memcpy(dst + hlen, data, dataLen);
        size_t bl = lpBacklenSize(l);
        lpWriteBacklen(dst + l, l, bl);
        dst += l + bl;
    }
    *dst = LP_EOF;
    lpSetTotalBytes(lp, (uint32_t)(oldBytes + add));
    if (count != LP_HDR_NUMELE_UNKNOWN) {
        uint64_t nc = (uint64_t)count + n;
        lpSetNumElements(lp, nc < LP_HDR_NUMELE_UNKNOWN ? (uint32_t)nc : LP_HDR_NUMELE_UNKNOWN);
    }
    return lp;
}

unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const void *s, uint32_t slen) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    const void *data;
    size_t hlen = lpEncodeString(hdr, s, slen, &data);
    size_t off = (size_t)(*p - lp);
    return lpSplice(lp, off, (size_t)lpEntrySize(*p), hdr, hlen, data, data ? slen : 0, 0, p);
}

unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long v) {
    unsigned char hdr[LP_MAX_INT_ENTRY];
    size_t hlen = lpEncodeInteger(hdr, v);
    size_t off = (size_t)(*p - lp);
    return lpSplice(lp, off, (size_t)lpEntrySize(*p), hdr, hlen, NULL, 0, 0, p);
}

unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp) {
    size_t off = (size_t)(p - lp);
    return lpSplice(lp, off, (size_t)lpEntrySize(p), NULL, 0, NULL, 0, -1, newp);
}

unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num) {
    unsigned char *start = *p, *end = *p;
    unsigned long deleted = 0;
    while (deleted < num && end[0] != LP_EOF) {
        end += lpEntrySize(end);
        deleted++;
    }
    size_t off = (size_t)(start - lp);
    size_t gone = (size_t)(end - start);
    size_t total = lpGetTotalBytes(lp);
    memmove(start, end, total - off - gone);
    lpSetTotalBytes(lp, (uint32_t)(total - gone));
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) lpSetNumElements(lp, (uint32_t)(n - deleted));
    if (gone) lp = kvRealloc(lp, total - gone);
    *p = lp[off] == LP_EOF ? NULL : lp + off;
    return lp;
}

unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num) {
    unsigned char *p = lpSeek(lp, index);
    if (!p || num == 0) return lp;
    return lpDeleteRangeWithEntry(lp, &p, num);
}

unsigned char *lpConcat(unsigned char *dst, const unsigned char *src) {
    size_t dbytes = lpGetTotalBytes(dst), sbytes = lpGetTotalBytes(src);
    size_t add = sbytes - LP_HDR_SIZE - 1;
    unsigned long count = lpLength(dst) + lpCount(src);
    if ((uint64_t)dbytes + add > UINT32_MAX) return NULL;
    if (dbytes + add > kvAllocSize(dst)) dst = kvRealloc(dst, dbytes + add);
    /* src's entries and its EOF byte over dst's EOF. */
    memcpy(dst + dbytes - 1, src + LP_HDR_SIZE, add + 1);
    lpSetTotalBytes(dst, (uint32_t)(dbytes + add));
    lpSetNumElements(dst, count < LP_HDR_NUMELE_UNKNOWN ? (uint32_t)count : LP_HDR_NUMELE_UNKNOWN);
    return dst;
}

/* ------------------------------------------------------------------------
 * Search
 * ---------------------------------------------------------------------- */

unsigned char *lpFind(const unsigned char *lp, const unsigned char *p, const void *s, uint32_t slen,
                      unsigned int skip) {
    (void)lp;
    /* s as an integer, parsed on the first integer entry met. */
    int sIntState = 0; /* 0 not parsed, 1 integer, -1 not an integer */
    long long sInt = 0;
    unsigned int skipLeft = 0;
    if (!p) return NULL;
    while (p[0] != LP_EOF) {
        if (skipLeft == 0) {
            unsigned char b = p[0];
            if (lpIsString(b)) {
                uint32_t len;
                const unsigned char *es = lpGet(p, &len, NULL);
                if (len == slen && (slen == 0 || memcmp(es, s, slen) == 0))
                    return (unsigned char *)p;
            } else {
                if (sIntState == 0)
                    sIntState = (slen <= 20 && strToLongLong(s, slen, &sInt)) ? 1 : -1;
                if (sIntState == 1) {
                    long long v;
                    lpGet(p, NULL, &v);
                    if (v == sInt) return (unsigned char *)p;
                }
            }
            skipLeft = skip;
        } else {
            skipLeft--;
        }
        p += lpEntrySize(p);
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Validation of untrusted bytes
 * ---------------------------------------------------------------------- */

/* Checks the entry at offset off of a listpack whose EOF byte is at offset
 * eof; on success stores the whole entry size in *size. Reads only inside
 * [off, eof). */
static bool lpValidateEntry(const unsigned char *lp, size_t off, size_t eof, uint64_t *size) {
    const unsigned char *p = lp + off;
    size_t avail = eof - off; /* >= 1 */
    unsigned char b = p[0];
    uint64_t l;
    /* Bytes of the encoding needed before the length is known. */
    if (b >= 0xE0 && b < 0xF0) {
        if (avail < 2) return false;
    } else if (b == LP_ENC_32BIT_STR) {
        if (avail < 5) return false;
    } else if (b > LP_ENC_64BIT_INT) {
        return false; /* 0xF5..0xFE are unused, 0xFF ends the listpack */
    }
    l = lpEncodedSize(p);
    size_t bl = lpBacklenSize(l);
    if (l > avail || bl > avail - l) return false;
    /* The backlen must be exactly bl bytes and say l. */
    const unsigned char *q = p + l + bl - 1;
    uint64_t v = 0;
    for (size_t i = 0; i < bl; i++) {
        unsigned char c = q[-(long)i];
        bool last = i == bl - 1;
        if (((c & 128) != 0) == last) return false;
        v |= (uint64_t)(c & 127) << (7 * i);
    }
    if (v != l) return false;
    *size = l + bl;
    return true;
}

bool lpValidateDeep(const unsigned char *lp, size_t size, LpValidateEntryFn *entryCb, void *priv) {
    if (!lpValidate(lp, size, false)) return false;
    size_t eof = size - 1, off = LP_HDR_SIZE;
    unsigned long count = 0;
    while (off < eof) {
        uint64_t esize;
        if (!lpValidateEntry(lp, off, eof, &esize)) return false;
        if (entryCb && !entryCb(lp + off, priv)) return false;
        off += (size_t)esize;
        count++;
    }
    if (off != eof) return false;
    uint32_t n = lpGetNumElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN && n != count) return false;
    return true;
}

bool lpValidate(const unsigned char *lp, size_t size, bool deep) {
    if (!lp || size < LP_HDR_SIZE + 1) return false;
    if (lpGetTotalBytes(lp) != size) return false;
    if (lp[size - 1] != LP_EOF) return false;
    if (!deep) return true;
    return lpValidateDeep(lp, size, NULL, NULL);
}

/* ------------------------------------------------------------------------
 * Random pairs
 * ---------------------------------------------------------------------- */

/* A uniform random integer in [0, n). */
static unsigned long lpRandomBelow(unsigned long n) {
    unsigned long r = ((unsigned long)random() << 31) ^ (unsigned long)random();
    return r % n;
}

void lpRandomPair(const unsigned char *lp, unsigned long totalPairs, LpEntry *key, LpEntry *val) {
    assert(totalPairs > 0);
    unsigned long r = lpRandomBelow(totalPairs);
    unsigned char *p = lpSeek(lp, (long)(2 * r));
    assert(p);
    lpGetEntry(p, key);
    if (val) {
        p = lpNext(lp, p);
        assert(p);
        lpGetEntry(p, val);
    }
}

typedef struct LpPick {
    unsigned long index; /* pair index */
    unsigned int order;  /* position in the output */
} LpPick;

static int lpPickCompare(const void *a, const void *b) {
    const LpPick *x = a, *y = b;
    if (x->index != y->index) return x->index < y->index ? -1 : 1;
    return 0;
}

void lpRandomPairs(const unsigned char *lp, unsigned int count, LpEntry *keys, LpEntry *vals) {
    unsigned long total = lpCount(lp) / 2;
    if (count == 0) return;
    assert(total > 0);
    LpPick *picks = kvMalloc(sizeof(*picks) * count);
    for (unsigned int i = 0; i < count; i++) {
        picks[i].index = lpRandomBelow(total);
        picks[i].order = i;
    }
    /* One walk in index order fills the output in the picked order. */
    qsort(picks, count, sizeof(*picks), lpPickCompare);
    const unsigned char *p = lp + LP_HDR_SIZE;
    unsigned long pair = 0;
    for (unsigned int i = 0; i < count; i++) {
        while (pair < picks[i].index) {
            p += lpEntrySize(p);
            p += lpEntrySize(p);
            pair++;
        }
        lpGetEntry(p, &keys[picks[i].order]);
        if (vals) lpGetEntry(p + lpEntrySize(p), &vals[picks[i].order]);
    }
    kvFree(picks);
}

unsigned int lpRandomPairsUnique(const unsigned char *lp, unsigned int count, LpEntry *keys,
                                 LpEntry *vals) {
    unsigned long total = lpCount(lp) / 2;
    if (count > total) count = (unsigned int)total;
    unsigned int picked = 0;
    const unsigned char *p = lp + LP_HDR_SIZE;
    /* Selection sampling: pair i is taken with probability
     * (still needed) / (still available), which picks exactly `count`. */
    for (unsigned long i = 0; i < total && picked < count; i++) {
        const unsigned char *v = p + lpEntrySize(p);
        unsigned long available = total - i, needed = count - picked;
        if (lpRandomBelow(available) < needed) {
            lpGetEntry(p, &keys[picked]);
            if (vals) lpGetEntry(v, &vals[picked]);
            picked++;
        }
        p = v + lpEntrySize(v);
    }
    return picked;
}
