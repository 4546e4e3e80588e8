/* listpack.h — the listpack: a compact sequence of strings and integers in one
 * allocation, with the exact byte format Redis 7.0 uses (RDB files store
 * listpacks verbatim, so ours must be byte-identical to what Redis writes and
 * must accept what it writes).
 *
 * Format (Listpack specification 1.2, Sanfilippo / Inbar / Agra)
 * ------
 *
 *   <total-bytes:u32le> <num-elements:u16le> <entry> ... <entry> <0xFF>
 *
 *   num-elements is 65535 (LP_HDR_NUMELE_UNKNOWN) when the count does not fit;
 *   lpLength() then counts and writes the count back once it fits again.
 *
 *   entry = <encoding [+ data]> <backlen>
 *
 *     0xxxxxxx                      7-bit unsigned int 0..127
 *     10xxxxxx + bytes              string of 0..63 bytes
 *     110xxxxx yyyyyyyy             13-bit signed int (big-endian bits)
 *     1110xxxx yyyyyyyy + bytes     string of up to 4095 bytes
 *     11110000 <u32le> + bytes      string of up to 2^32-1 bytes
 *     11110001 <2 bytes le>         16-bit signed int
 *     11110010 <3 bytes le>         24-bit signed int
 *     11110011 <4 bytes le>         32-bit signed int
 *     11110100 <8 bytes le>         64-bit signed int
 *     11110101 .. 11111110          unused (invalid)
 *     11111111                      end of the listpack (not an entry)
 *
 *   Negative integers are stored in two's complement within their width.
 *   A string that reads as a 64-bit integer under Redis's strict rules (see
 *   strToLongLong in numconv.h: no '+', no leading zero, no "-0", no space)
 *   is stored with the smallest integer encoding that holds it; anything
 *   else is stored as a string with the smallest length encoding.
 *
 *   backlen is the size of <encoding + data> written so that it can be read
 *   from right to left: 1 to 5 bytes of 7 bits each, the rightmost byte
 *   holding the least significant bits; every byte but the leftmost has its
 *   high bit set. It takes 1 byte up to 127, 2 bytes below 16383, 3 below
 *   2097151, 4 below 268435455, 5 otherwise — the "below" bounds (16383 itself
 *   takes 3 bytes) are what Redis writes, kept on purpose.
 *
 * Ownership and pointers
 * ----------------------
 * A listpack is an `unsigned char *` from lpNew() freed with lpFree(). Every
 * function that changes it may reallocate it and returns the listpack to use
 * from then on (the old pointer is invalid). Entry pointers (`p`) point into
 * the listpack and are invalidated by any change, except those the changing
 * function hands back (newp). Values returned by lpGet() point into the
 * listpack (strings) and live until the next change.
 *
 * Trust: the navigation and mutation functions trust the bytes (they were
 * built by this file, or checked with lpValidate(…, deep = true) after being
 * read from a file or the network). lpValidate() never reads out of bounds.
 *
 * Complexity: navigation is O(1) per step; lpSeek, lpFind, lpLength with an
 * unknown count, inserts and deletes are O(N) in the listpack's bytes (a
 * memmove; a realloc when growing).
 */
#ifndef KV_LISTPACK_H
#define KV_LISTPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LP_HDR_SIZE           6
#define LP_HDR_NUMELE_UNKNOWN 65535
#define LP_EOF                0xFF
/* Room for any integer entry as text (lpGetString's buffer). */
#define LP_INTBUF_SIZE 21
/* Largest listpack the data types let grow (Redis LISTPACK_MAX_SAFETY_SIZE);
 * past it they convert to their big encodings. */
#define LP_MAX_SAFETY_SIZE (1UL << 30)

/* Where lpInsert puts the new entry relative to p. */
#define LP_BEFORE 0
#define LP_AFTER  1

/* A decoded entry: a string (sval != NULL, slen bytes, pointing into the
 * listpack or the caller's data) or an integer (sval == NULL, lval). */
typedef struct LpEntry {
    const unsigned char *sval;
    uint32_t slen;
    long long lval;
} LpEntry;

/* A new empty listpack (7 bytes used) with room for `capacity` bytes. */
unsigned char *lpNew(size_t capacity);
void lpFree(unsigned char *lp);
/* A copy of lp (same bytes, exact-size allocation). */
unsigned char *lpDup(const unsigned char *lp);
/* Reallocates lp to exactly lpBytes(lp). */
unsigned char *lpShrinkToFit(unsigned char *lp);

/* Total bytes (header field). O(1). */
size_t lpBytes(const unsigned char *lp);
/* Number of entries: the header's count, or (when it says unknown) a scan,
 * whose result is written back into the header if below 65535 (as Redis). */
unsigned long lpLength(unsigned char *lp);
/* True when lp can grow by `add` bytes and stay within LP_MAX_SAFETY_SIZE. */
bool lpSafeToAdd(const unsigned char *lp, size_t add);

/* Navigation; NULL past either end. lpSeek takes a 0-based index, negative
 * from the tail (-1 is the last entry); NULL when out of range. */
unsigned char *lpFirst(const unsigned char *lp);
unsigned char *lpLast(const unsigned char *lp);
unsigned char *lpNext(const unsigned char *lp, const unsigned char *p);
unsigned char *lpPrev(const unsigned char *lp, const unsigned char *p);
unsigned char *lpSeek(const unsigned char *lp, long index);

/* Reads the entry at p. A string entry returns a pointer to its bytes (in
 * the listpack) and sets *slen; an integer entry returns NULL and sets
 * *ival. Either output pointer may be NULL when not wanted. */
const unsigned char *lpGet(const unsigned char *p, uint32_t *slen, long long *ival);
/* As lpGet, but an integer is written as decimal text into buf
 * (LP_INTBUF_SIZE bytes), so the bytes of the entry are always returned. */
const unsigned char *lpGetString(const unsigned char *p, uint32_t *slen, char *buf);
void lpGetEntry(const unsigned char *p, LpEntry *e);
/* The entry's integer value: true for integer entries and for strings that
 * read as a 64-bit integer (strict rules). */
bool lpGetInteger(const unsigned char *p, long long *v);
/* Byte length of the entry's value as a string (digits for an integer). */
uint32_t lpGetStringLen(const unsigned char *p);
/* True when the entry at p equals the string s (integers compare by value
 * with s read as an integer under the strict rules). */
bool lpCompare(const unsigned char *p, const void *s, uint32_t slen);

/* Inserting: the string is stored as an integer when it reads as one. `p` is
 * an entry of lp; `where` is LP_BEFORE or LP_AFTER. When newp is not NULL it
 * receives the new entry's address. Returns the listpack, or NULL (lp
 * unchanged) when the result would exceed the 4 GB format limit. */
unsigned char *lpInsertString(unsigned char *lp, const void *s, uint32_t slen, unsigned char *p,
                              int where, unsigned char **newp);
unsigned char *lpInsertInteger(unsigned char *lp, long long v, unsigned char *p, int where,
                               unsigned char **newp);
unsigned char *lpAppend(unsigned char *lp, const void *s, uint32_t slen);
unsigned char *lpPrepend(unsigned char *lp, const void *s, uint32_t slen);
unsigned char *lpAppendInteger(unsigned char *lp, long long v);
unsigned char *lpPrependInteger(unsigned char *lp, long long v);
/* Appends n entries with one reallocation (e[i].sval NULL means integer
 * e[i].lval; strings are encoded as lpAppend does). */
unsigned char *lpBatchAppend(unsigned char *lp, const LpEntry *e, size_t n);

/* Replaces the entry at *p; *p is updated to the new entry. */
unsigned char *lpReplace(unsigned char *lp, unsigned char **p, const void *s, uint32_t slen);
unsigned char *lpReplaceInteger(unsigned char *lp, unsigned char **p, long long v);

/* Deletes the entry at p; *newp (if not NULL) receives the entry that
 * followed it, or NULL when it was the last. */
unsigned char *lpDelete(unsigned char *lp, unsigned char *p, unsigned char **newp);
/* Deletes up to num entries starting at *p; *p is left at the entry after
 * them (or NULL at the end). */
unsigned char *lpDeleteRangeWithEntry(unsigned char *lp, unsigned char **p, unsigned long num);
/* Deletes up to num entries starting at index (negative from the tail). */
unsigned char *lpDeleteRange(unsigned char *lp, long index, unsigned long num);

/* Appends the entries of `src` to `dst`; src is untouched. The count in the
 * header becomes the sum, or unknown past 65534 (as Redis lpMerge). */
unsigned char *lpConcat(unsigned char *dst, const unsigned char *src);

/* Searches from entry p (inclusive) for an entry equal to s, comparing one
 * entry then skipping `skip` entries (skip = 1 looks at the fields of a
 * field/value listpack only). Returns the entry or NULL. O(N). */
unsigned char *lpFind(const unsigned char *lp, const unsigned char *p, const void *s, uint32_t slen,
                      unsigned int skip);

/* Checks untrusted bytes: size >= 7, the header's total equals size, the
 * last byte is 0xFF. With deep, also every entry: a valid encoding, lengths
 * and backlen inside the buffer, backlen equal to the entry's size, and the
 * header's count (unless unknown) equal to the number of entries. Never
 * reads outside lp[0 .. size-1]. */
bool lpValidate(const unsigned char *lp, size_t size, bool deep);
/* As lpValidate(lp, size, true), also calling entryCb (if not NULL) for each
 * entry once its own bytes are known to be in bounds; a false return fails
 * the validation (used to check field/value pairing or duplicates). */
typedef bool LpValidateEntryFn(const unsigned char *p, void *priv);
bool lpValidateDeep(const unsigned char *lp, size_t size, LpValidateEntryFn *entryCb, void *priv);

/* Random access for HRANDFIELD / ZRANDMEMBER on field/value listpacks
 * (pairs: entries 2i and 2i+1). Entries returned point into lp. Randomness
 * from random(). */
/* One random pair; totalPairs is lpLength(lp) / 2 and must be > 0. val may
 * be NULL. O(N). */
void lpRandomPair(const unsigned char *lp, unsigned long totalPairs, LpEntry *key, LpEntry *val);
/* `count` pairs picked independently (repeats possible), in random order.
 * vals may be NULL. O(N + count log count). */
void lpRandomPairs(const unsigned char *lp, unsigned int count, LpEntry *keys, LpEntry *vals);
/* Up to `count` distinct pairs in listpack order; returns how many (the
 * smaller of count and the number of pairs). vals may be NULL. O(N). */
unsigned int lpRandomPairsUnique(const unsigned char *lp, unsigned int count, LpEntry *keys,
                                 LpEntry *vals);

#endif
