/* intset.h — a sorted set of 64-bit integers in one flat allocation, laid out
 * byte for byte as Redis's intset, because RDB files store it verbatim (the
 * SET_INTSET object type) and DUMP payloads carry it.
 *
 * Layout (all fields little-endian, whatever the host):
 *
 *   +----------------+----------------+-----------------------------------+
 *   | encoding: u32  | length: u32    | length × encoding bytes, ascending |
 *   +----------------+----------------+-----------------------------------+
 *
 * encoding is the element width in bytes: 2 (int16), 4 (int32) or 8
 * (int64). A new set starts at 2. Adding a value that does not fit the
 * current width "upgrades" the whole set to the smallest width that holds
 * it; removing never downgrades (Redis does not either, and the bytes must
 * match). The blob is exactly 8 + length × encoding bytes: every insert and
 * removal reallocates it to that size.
 *
 * Invariants: elements strictly ascending (no duplicates); every element
 * fits the encoding; the blob length is consistent with the header.
 * intsetValidate() checks these on untrusted bytes (RDB, RESTORE).
 *
 * Ownership: an Intset is a kvMalloc'd buffer owned by the caller. The
 * mutating functions may move it and return the new pointer (the old one is
 * then invalid), like realloc. A validated kvMalloc'd buffer of exactly
 * intsetBlobLen bytes may be used as an Intset directly.
 *
 * Complexity: find O(log n); add/remove O(n) (memmove), O(1) amortized when
 * appending the largest value; upgrade O(n).
 */
#ifndef KV_INTSET_H
#define KV_INTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Intset Intset;

#define INTSET_ENC_INT16 2
#define INTSET_ENC_INT32 4
#define INTSET_ENC_INT64 8
/* Header bytes before the elements. */
#define INTSET_HEADER_SIZE 8

/* A new empty set (encoding int16). Free with intsetFree(). */
Intset *intsetNew(void);
void intsetFree(Intset *is);
/* A copy of is (same bytes). */
Intset *intsetDup(const Intset *is);

/* Inserts value, upgrading the encoding if needed. Sets *added (if not
 * NULL) to whether it was absent. Returns the possibly moved set. */
Intset *intsetAdd(Intset *is, int64_t value, bool *added);
/* Removes value; sets *removed (if not NULL). Returns the possibly moved
 * set. The encoding never shrinks. */
Intset *intsetRemove(Intset *is, int64_t value, bool *removed);
/* True if value is in the set. */
bool intsetFind(const Intset *is, int64_t value);

/* Number of elements. */
uint32_t intsetLen(const Intset *is);
/* Size of the blob in bytes (header + elements): what RDB stores. */
size_t intsetBlobLen(const Intset *is);
/* Element width in bytes (INTSET_ENC_*). */
uint32_t intsetEncoding(const Intset *is);
/* The element at position pos (0 = smallest) into *value; false if pos is
 * out of range. */
bool intsetGet(const Intset *is, uint32_t pos, int64_t *value);
/* A uniformly random element (random()); the set must not be empty. */
int64_t intsetRandom(const Intset *is);
/* Smallest / largest element; the set must not be empty. */
int64_t intsetMin(const Intset *is);
int64_t intsetMax(const Intset *is);

/* The smallest encoding that holds v. */
uint32_t intsetValueEncoding(int64_t v);

/* Checks untrusted bytes: the header can be read, the encoding is 2, 4 or
 * 8, size is exactly 8 + length × encoding, and the set is not empty (Redis
 * refuses empty intsets in RDB). With deep, also that the elements are
 * strictly ascending (sorted, no duplicates), which is O(n). Never reads past
 * p + size. */
bool intsetValidate(const unsigned char *p, size_t size, bool deep);

#endif
