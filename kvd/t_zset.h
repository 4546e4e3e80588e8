/* t_zset.h — the sorted set value type, for the sorted set commands
 * (t_zset.c) and for the modules that build or walk sorted sets without
 * going through commands (RDB loading and saving, AOF rewrite, DEBUG, COPY).
 *
 * A sorted set has one of Redis 7.0's two encodings:
 *   OBJ_ENC_LISTPACK  ptr is a listpack (listpack.h) of member, score,
 *                     member, score… sorted by score, then member bytes,
 *                     while there are at most config.zsetMaxListpackEntries
 *                     members of at most config.zsetMaxListpackValue bytes.
 *                     Scores are stored as Redis stores them (byte-identical
 *                     listpacks): an integer entry when the double is an
 *                     integer within ±LLONG_MAX/2 (so -0 is stored as 0),
 *                     otherwise its "%.17g" text ("inf", "-inf").
 *   OBJ_ENC_SKIPLIST  ptr is a Zsl (zskiplist.h): skiplist + member table.
 * A listpack becomes a skiplist when an insertion would pass either limit;
 * a skiplist only turns back into a listpack in commands that build a new
 * set (ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE) when the result fits, exactly
 * as Redis 7.0 does (zsetConvertToListpackIfNeeded), and when loading.
 *
 * In the keyspace a sorted set is an Object of type OBJ_ZSET whose encoding
 * field is the encoding and whose pointer is `ptr`; zsetOf()/zsetStore()
 * move between the two. Both encodings use the 8-byte pointer value part, so
 * a conversion updates the Object in place.
 *
 * Ownership: a Zset owns its ptr; free with zsetFree() unless it was handed
 * to an Object (objNewPtr), which then owns it.
 */
#ifndef KV_T_ZSET_H
#define KV_T_ZSET_H

#include "numconv.h"
#include "object.h"
#include "zskiplist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Zset {
    int encoding; /* OBJ_ENC_LISTPACK or OBJ_ENC_SKIPLIST */
    void *ptr;    /* listpack or Zsl * */
} Zset;

/* A member as seen by an iterator: bytes (borrowed, valid until the set
 * changes) or, for listpack integer entries, an integer (s == NULL). */
typedef struct ZsetMember {
    const char *s;
    size_t len;
    long long ll;
} ZsetMember;

/* zsetAdd input flags (Redis ZADD_IN_*). */
#define ZADD_IN_INCR 1  /* add the score to the current one (0 if absent) */
#define ZADD_IN_NX   2  /* only add new members */
#define ZADD_IN_XX   4  /* only update existing members */
#define ZADD_IN_GT   8  /* only update when the new score is greater */
#define ZADD_IN_LT   16 /* only update when the new score is less */
/* zsetAdd output flags (Redis ZADD_OUT_*). */
#define ZADD_OUT_NOP     1 /* nothing done because of NX/XX/GT/LT */
#define ZADD_OUT_NAN     2 /* the resulting score was NaN: nothing done */
#define ZADD_OUT_ADDED   4
#define ZADD_OUT_UPDATED 8

/* Registers the OBJ_ZSET free/dup/size and DEBUG hooks. Call once at
 * start-up (the commands and constructors also call it lazily). */
void zsetTypeInit(void);

/* The sorted set held by an object of type OBJ_ZSET (borrowed view). */
static inline Zset zsetOf(const Object *o) {
    Zset z = {(int)o->encoding, objPtr(o)};
    return z;
}
/* Writes a possibly converted or moved set back into its object. */
static inline void zsetStore(Object *o, const Zset *z) {
    o->encoding = (uint32_t)z->encoding;
    objSetPtr(o, z->ptr);
}

/* Empty sets of each encoding. */
Zset zsetNewListpack(void);
Zset zsetNewSkiplist(void);
/* An empty set of the encoding Redis picks for `sizeHint` members, the
 * longest being `maxMemberLen` bytes (listpack when both fit the limits). */
Zset zsetNewFor(size_t sizeHint, size_t maxMemberLen);
/* A new Object holding z (ownership passes to the object). */
Object *zsetNewObject(const char *key, size_t klen, Zset *z);
void zsetFree(Zset *z);
Zset zsetDup(const Zset *z);

/* Number of members. O(1) (O(N) for a listpack of 32767+ members). */
unsigned long zsetLength(const Zset *z);

/* Adds or updates a member per the ZADD_IN_* flags, converting the
 * encoding when a limit is passed (before inserting, as Redis). Returns
 * false only for a NaN score or NaN result (*outFlags = ZADD_OUT_NAN,
 * nothing changed). With ZADD_IN_INCR the resulting score is stored in
 * *newScore (if not NULL) when something was done. m is copied. */
bool zsetAdd(Zset *z, double score, const char *m, size_t len, int inFlags, int *outFlags,
             double *newScore);
/* The score of member m: true and *score set when present. O(1) for a
 * skiplist, O(N) for a listpack. */
bool zsetScore(const Zset *z, const char *m, size_t len, double *score);
/* Removes member m; true if it was there. The caller deletes the key when
 * the set becomes empty. */
bool zsetDelete(Zset *z, const char *m, size_t len);
/* 0-based rank of m (from the highest score when reverse), or -1 when
 * absent. O(log N) for a skiplist, O(N) for a listpack. */
long zsetRank(const Zset *z, const char *m, size_t len, bool reverse);

/* Converts to `encoding` (no-op when already there). */
void zsetConvert(Zset *z, int encoding);
/* Redis zsetConvertToListpackIfNeeded: a skiplist turns into a listpack
 * when its length, longest member and total member bytes fit. */
void zsetConvertToListpackIfNeeded(Zset *z, size_t maxMemberLen, size_t totalMemberLen);

/* Iteration in ascending (or, with reverse, descending) order. The set must
 * not change while iterating; nothing to release. */
typedef struct ZsetIter {
    int encoding;
    bool reverse;
    const unsigned char *lp;
    const unsigned char *p; /* listpack: member entry of the next element */
    const ZslNode *node;    /* skiplist: next node */
} ZsetIter;

void zsetIterInit(ZsetIter *it, const Zset *z, bool reverse);
/* Fills the next element (score may be NULL); false at the end. */
bool zsetIterNext(ZsetIter *it, ZsetMember *m, double *score);
/* The bytes of a member (integers are formatted into buf). */
const char *zsetMemberBytes(const ZsetMember *m, char buf[LONG_STR_SIZE], size_t *len);

/* Bytes the value uses (MEMORY USAGE); skiplists estimated from a sample
 * of nodes as Redis does. */
size_t zsetMemoryUsage(const Zset *z);

#endif
