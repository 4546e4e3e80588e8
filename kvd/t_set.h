/* t_set.h — the set value type, for the set commands (t_set.c) and for the
 * modules that build or walk sets without going through commands (RDB
 * loading and saving, AOF rewrite, DEBUG, COPY).
 *
 * A set has one of Redis 7.0's two encodings (7.0 has no listpack sets):
 *   OBJ_ENC_INTSET     ptr is an Intset (intset.h): every member reads as a
 *                      64-bit integer under Redis's string2ll rules and there
 *                      are at most set-max-intset-entries members (capped at
 *                      2^30, as Redis caps it);
 *   OBJ_ENC_HASHTABLE  ptr is a Dict (dict.h) of SetMember entries, each one
 *                      allocation: the chain link, the length and the bytes.
 * An intset becomes a hashtable when a non-integer member is added or it
 * grows past the limit; a hashtable never turns back, except that commands
 * which build a new set (SINTERSTORE, SUNIONSTORE, SDIFFSTORE, SPOP with a
 * large count) start it as an intset, exactly as Redis does.
 *
 * In the keyspace a set is an Object of type OBJ_SET whose encoding field
 * is the set's encoding and whose pointer is `ptr`; setOf()/setStore() move
 * between the two. Both encodings use the 8-byte pointer value part, so a
 * conversion updates the Object in place (no dbReplaceObject needed).
 *
 * Ownership: a Set owns its ptr; free with setFree() unless it was handed to
 * an Object (objNewPtr), which then owns it.
 */
#ifndef KV_T_SET_H
#define KV_T_SET_H

#include "dict.h"
#include "intset.h"
#include "numconv.h"
#include "object.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Set {
    int encoding; /* OBJ_ENC_INTSET or OBJ_ENC_HASHTABLE */
    void *ptr;    /* Intset * or Dict * */
} Set;

/* One member as seen by an iterator or a random pick: an integer for
 * intsets, borrowed bytes for hashtables. */
typedef struct SetElem {
    bool isInt;
    int64_t i;
    const char *p;
    size_t len;
} SetElem;

typedef struct SetIter {
    const Set *set;
    uint32_t pos;
    DictIter di;
} SetIter;

/* Registers the OBJ_SET free/dup/size and DEBUG hooks. Call once at start-up
 * (the set commands also call it lazily on first use). */
void setTypeInit(void);

/* The set held by an object of type OBJ_SET (borrowed view). */
static inline Set setOf(const Object *o) {
    Set s = {(int)o->encoding, objPtr(o)};
    return s;
}
/* Writes a possibly converted or moved set back into its object. */
static inline void setStore(Object *o, const Set *s) {
    o->encoding = (uint32_t)s->encoding;
    objSetPtr(o, s->ptr);
}

/* An empty set of the encoding Redis picks for a first member m: intset if
 * m reads as an integer, else hashtable (Redis's setTypeCreate). */
Set setNewFor(const char *m, size_t len);
/* An empty intset / hashtable set. */
Set setNewIntset(void);
Set setNewHashtable(size_t sizeHint);
void setFree(Set *s);
Set setDup(const Set *s);

size_t setSize(const Set *s);
/* Adds a member, converting the encoding as Redis does; true if added. */
bool setAdd(Set *s, const char *m, size_t len);
bool setAddInt(Set *s, int64_t v);
bool setAddElem(Set *s, const SetElem *e);
/* Removes a member; true if it was there. Shrinks a sparse hashtable. */
bool setRemove(Set *s, const char *m, size_t len);
bool setRemoveElem(Set *s, const SetElem *e);
bool setIsMember(const Set *s, const char *m, size_t len);
bool setIsMemberElem(const Set *s, const SetElem *e);
/* Converts an intset to a hashtable (no-op for a hashtable). */
void setConvertToHashtable(Set *s);
/* The largest intset Redis keeps before converting. */
size_t setMaxIntsetEntries(void);

/* Iteration: intsets in ascending order, hashtables in table order. The
 * set must not change while iterating. */
void setIterInit(SetIter *it, const Set *s);
bool setIterNext(SetIter *it, SetElem *e);
void setIterRelease(SetIter *it);
/* A random member; the set must not be empty. */
void setRandomElem(const Set *s, SetElem *e);
/* The bytes of an element (integers are formatted into buf). */
const char *setElemBytes(const SetElem *e, char buf[LONG_STR_SIZE], size_t *len);

/* Bytes the value uses (MEMORY USAGE), hashtables estimated from a sample
 * of members as Redis does. */
size_t setMemoryUsage(const Set *s);

#endif
