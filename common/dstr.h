/* dstr.h — binary-safe dynamic strings.
 *
 * A dstr is a `char *` pointing at NUL-terminated bytes, preceded in the
 * same allocation by a header holding the length and the capacity, so it can
 * be passed wherever a C string is read while still holding any bytes.
 * Functions that may grow the string return the (possibly moved) pointer:
 * always use the returned value. Free with dstrFree(). */
#ifndef KV_DSTR_H
#define KV_DSTR_H

#include <stdarg.h>
#include <stddef.h>

typedef char *dstr;

typedef struct DstrHeader {
    size_t len;
    size_t cap; /* bytes available for content, excluding the NUL */
    char buf[];
} DstrHeader;

#define DSTR_HDR(s) ((DstrHeader *)((s) - sizeof(DstrHeader)))

static inline size_t dstrLen(const dstr s) {
    return DSTR_HDR(s)->len;
}
static inline size_t dstrAvail(const dstr s) {
    return DSTR_HDR(s)->cap - DSTR_HDR(s)->len;
}

dstr dstrNewLen(const void *init, size_t len);
dstr dstrNew(const char *init);
dstr dstrEmpty(void);
/* An empty string with room for cap bytes. */
dstr dstrWithCapacity(size_t cap);
dstr dstrDup(const dstr s);
void dstrFree(dstr s);
/* Ensures room for addlen more bytes (grows geometrically up to 1 MB steps). */
dstr dstrMakeRoom(dstr s, size_t addlen);
/* Ensures room for exactly addlen more bytes (no extra preallocation). */
dstr dstrMakeRoomExact(dstr s, size_t addlen);
dstr dstrCatLen(dstr s, const void *t, size_t len);
dstr dstrCat(dstr s, const char *t);
dstr dstrCatPrintf(dstr s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
dstr dstrCatVPrintf(dstr s, const char *fmt, va_list ap);
/* Appends a quoted, escaped representation (as Redis's sdscatrepr does). */
dstr dstrCatRepr(dstr s, const char *p, size_t len);
/* Adjusts the length after writing into the spare room directly. */
void dstrIncrLen(dstr s, size_t incr);
void dstrSetLen(dstr s, size_t len);
void dstrClear(dstr s);
/* Removes the first n bytes. */
void dstrConsume(dstr s, size_t n);
/* Reduces capacity to the length. */
dstr dstrShrink(dstr s);
/* Total bytes allocated for s. */
size_t dstrAllocSize(const dstr s);
void dstrToLower(dstr s);
void dstrToUpper(dstr s);

#endif
