/* dstr.c — binary-safe dynamic strings (see dstr.h for the layout). */
#include "dstr.h"

#include "mem.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define DSTR_MAX_PREALLOC (1024 * 1024)

static dstr dstrAlloc(size_t cap) {
    DstrHeader *h = kvMalloc(sizeof(DstrHeader) + cap + 1);
    h->len = 0;
    h->cap = cap;
    h->buf[0] = '\0';
    return h->buf;
}

dstr dstrNewLen(const void *init, size_t len) {
    dstr s = dstrAlloc(len);
    if (init && len) memcpy(s, init, len);
    s[len] = '\0';
    DSTR_HDR(s)->len = len;
    return s;
}

dstr dstrNew(const char *init) {
    return dstrNewLen(init, init ? strlen(init) : 0);
}

dstr dstrEmpty(void) {
    return dstrAlloc(0);
}

dstr dstrWithCapacity(size_t cap) {
    return dstrAlloc(cap);
}

dstr dstrDup(const dstr s) {
    return dstrNewLen(s, dstrLen(s));
}

void dstrFree(dstr s) {
    if (s) kvFree(DSTR_HDR(s));
}

dstr dstrMakeRoom(dstr s, size_t addlen) {
    DstrHeader *h = DSTR_HDR(s);
    if (h->cap - h->len >= addlen) return s;
    size_t need = h->len + addlen;
    size_t cap = need < DSTR_MAX_PREALLOC ? need * 2 : need + DSTR_MAX_PREALLOC;
    h = kvRealloc(h, sizeof(DstrHeader) + cap + 1);
    h->cap = cap;
    return h->buf;
}

dstr dstrMakeRoomExact(dstr s, size_t addlen) {
    DstrHeader *h = DSTR_HDR(s);
    if (h->cap - h->len >= addlen) return s;
    size_t cap = h->len + addlen;
    h = kvRealloc(h, sizeof(DstrHeader) + cap + 1);
    h->cap = cap;
    return h->buf;
}

dstr dstrCatLen(dstr s, const void *t, size_t len) {
    s = dstrMakeRoom(s, len);
    DstrHeader *h = DSTR_HDR(s);
    memcpy(s + h->len, t, len);
    h->len += len;
    s[h->len] = '\0';
    return s;
}

dstr dstrCat(dstr s, const char *t) {
    return dstrCatLen(s, t, strlen(t));
}

dstr dstrCatVPrintf(dstr s, const char *fmt, va_list ap) {
    char stackbuf[512];
    va_list cpy;
    va_copy(cpy, ap);
    int n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, cpy);
    va_end(cpy);
    if (n < 0) return s;
    if ((size_t)n < sizeof(stackbuf)) return dstrCatLen(s, stackbuf, (size_t)n);
    s = dstrMakeRoom(s, (size_t)n + 1);
    va_copy(cpy, ap);
    vsnprintf(s + dstrLen(s), (size_t)n + 1, fmt, cpy);
    va_end(cpy);
    dstrIncrLen(s, (size_t)n);
    return s;
}

dstr dstrCatPrintf(dstr s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = dstrCatVPrintf(s, fmt, ap);
    va_end(ap);
    return s;
}

dstr dstrCatRepr(dstr s, const char *p, size_t len) {
    s = dstrCatLen(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        switch (c) {
            case '\\': s = dstrCatLen(s, "\\\\", 2); break;
            case '"': s = dstrCatLen(s, "\\\"", 2); break;
            case '\n': s = dstrCatLen(s, "\\n", 2); break;
            case '\r': s = dstrCatLen(s, "\\r", 2); break;
            case '\t': s = dstrCatLen(s, "\\t", 2); break;
            case '\a': s = dstrCatLen(s, "\\a", 2); break;
            case '\b': s = dstrCatLen(s, "\\b", 2); break;
            default:
                if (isprint(c))
                    s = dstrCatLen(s, (const char *)&c, 1);
                else
                    s = dstrCatPrintf(s, "\\x%02x", c);
        }
    }
    return dstrCatLen(s, "\"", 1);
}

void dstrIncrLen(dstr s, size_t incr) {
    DstrHeader *h = DSTR_HDR(s);
    h->len += incr;
    s[h->len] = '\0';
}

void dstrSetLen(dstr s, size_t len) {
    DSTR_HDR(s)->len = len;
    s[len] = '\0';
}

void dstrClear(dstr s) {
    dstrSetLen(s, 0);
}

void dstrConsume(dstr s, size_t n) {
    DstrHeader *h = DSTR_HDR(s);
    if (n >= h->len) {
        dstrClear(s);
        return;
    }
    memmove(s, s + n, h->len - n);
    dstrSetLen(s, h->len - n);
}

dstr dstrShrink(dstr s) {
    DstrHeader *h = DSTR_HDR(s);
    if (h->cap == h->len) return s;
    h = kvRealloc(h, sizeof(DstrHeader) + h->len + 1);
    h->cap = h->len;
    return h->buf;
}

size_t dstrAllocSize(const dstr s) {
    return kvAllocSize(DSTR_HDR(s));
}

void dstrToLower(dstr s) {
    for (size_t i = 0; i < dstrLen(s); i++) s[i] = (char)tolower((unsigned char)s[i]);
}

void dstrToUpper(dstr s) {
    for (size_t i = 0; i < dstrLen(s); i++) s[i] = (char)toupper((unsigned char)s[i]);
}
