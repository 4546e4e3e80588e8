/* object.h — the values stored in the keyspace.
 *
 * Design
 * ------
 * Each key of a database is one Object: a single allocation that holds the
 * dict chain link, the type/encoding/LRU header, the expire time (only when
 * the key has one), the value (inline for integers and short strings, a
 * pointer otherwise) and finally the key bytes:
 *
 *   +------+-------------------------+----------+-----------------+---------+
 *   | next | type:4 enc:4 lru:24     | [expire] | value part      | key     |
 *   | 8 B  | keyLen:31 hasExpire:1   |  8 B     | see below       | keyLen  |
 *   +------+-------------------------+----------+-----------------+---------+
 *
 *   value part by encoding:
 *     OBJ_ENC_INT     int64 (8 B)
 *     OBJ_ENC_EMBSTR  uint8 length + bytes (at most OBJ_EMBSTR_MAX)
 *     OBJ_ENC_RAW     dstr pointer (8 B), the string can grow in place
 *     other types     pointer to the type's own structure (8 B)
 *
 * A 16-byte key with a 10-byte value costs one 48-byte allocation plus its
 * bucket slot, where a dictEntry + key sds + robj layout needs three.
 *
 * Invariants: the key never changes after creation; changing the encoding or
 * adding an expire time means building a new Object and swapping it in with
 * dbReplaceObject() (db.h), so callers must not keep an Object pointer across
 * calls that may replace it. Encodings reported by OBJECT ENCODING follow
 * Redis: strings that parse as a 64-bit integer are "int", other strings up to
 * 44 bytes "embstr", longer or modified-in-place ones "raw".
 */
#ifndef KV_OBJECT_H
#define KV_OBJECT_H

#include "dict.h"
#include "dstr.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OBJ_STRING 0
#define OBJ_LIST   1
#define OBJ_SET    2
#define OBJ_ZSET   3
#define OBJ_HASH   4
#define OBJ_STREAM 6

#define OBJ_ENC_RAW       0
#define OBJ_ENC_INT       1
#define OBJ_ENC_HASHTABLE 2
#define OBJ_ENC_INTSET    6
#define OBJ_ENC_SKIPLIST  7
#define OBJ_ENC_EMBSTR    8
#define OBJ_ENC_QUICKLIST 9
#define OBJ_ENC_STREAM    10
#define OBJ_ENC_LISTPACK  11

#define OBJ_EMBSTR_MAX          44
#define OBJ_KEY_MAX             0x3fffffffU
#define OBJ_LRU_BITS            24
#define OBJ_LRU_CLOCK_MAX_VALUE ((1U << OBJ_LRU_BITS) - 1)
/* Refcount Redis reports for its shared integer objects (0..9999). */
#define OBJ_SHARED_REFCOUNT 2147483647
#define OBJ_SHARED_INTEGERS 10000

typedef struct Object {
    DictLink link;
    uint32_t type : 4;
    uint32_t encoding : 4;
    uint32_t lru : OBJ_LRU_BITS;
    uint32_t keyLen : 30;
    /* An int value Redis would hold in a private object rather than one of
     * its shared 0..9999 integers (a COPY of one): OBJECT REFCOUNT says 1. */
    uint32_t unsharedInt : 1;
    uint32_t hasExpire : 1;
} Object;

static_assert(sizeof(Object) == 16, "Object header must stay 16 bytes");

static inline size_t objExpireSize(const Object *o) {
    return o->hasExpire ? 8 : 0;
}
static inline char *objValuePart(const Object *o) {
    return (char *)o + sizeof(Object) + objExpireSize(o);
}
static inline size_t objValuePartSize(const Object *o) {
    if (o->encoding == OBJ_ENC_EMBSTR) return 1 + (uint8_t)objValuePart(o)[0];
    return 8;
}
static inline const char *objKey(const Object *o) {
    return objValuePart(o) + objValuePartSize(o);
}
static inline size_t objKeyLen(const Object *o) {
    return o->keyLen;
}
static inline long long objGetExpire(const Object *o) {
    long long when;
    if (!o->hasExpire) return -1;
    memcpy(&when, (const char *)o + sizeof(Object), 8);
    return when;
}
static inline void objSetExpireField(Object *o, long long when) {
    assert(o->hasExpire);
    memcpy((char *)o + sizeof(Object), &when, 8);
}
static inline void *objPtr(const Object *o) {
    void *p;
    memcpy(&p, objValuePart(o), sizeof(p));
    return p;
}
static inline void objSetPtr(Object *o, void *p) {
    memcpy(objValuePart(o), &p, sizeof(p));
}
static inline long long objInt(const Object *o) {
    long long v;
    memcpy(&v, objValuePart(o), 8);
    return v;
}
static inline void objSetInt(Object *o, long long v) {
    memcpy(objValuePart(o), &v, 8);
}

/* A string value: the key plus the value bytes. With tryInt, a value that
 * reads as a 64-bit integer (Redis's rules) is stored as OBJ_ENC_INT.
 * `expire` is the absolute ms time or -1. Free with objFree(). */
Object *objNewString(const char *key, size_t klen, const char *val, size_t vlen, bool tryInt,
                     long long expire);
Object *objNewStringInt(const char *key, size_t klen, long long v, long long expire);
/* A RAW string taking ownership of `val`. */
Object *objNewStringRaw(const char *key, size_t klen, dstr val, long long expire);
/* An object of another type holding `ptr` (ownership passes to the object). */
Object *objNewPtr(const char *key, size_t klen, int type, int encoding, void *ptr,
                  long long expire);
/* A copy of `o` under another key (COPY); deep-copies the value. */
Object *objDupWithKey(const Object *o, const char *key, size_t klen);
/* A new allocation with the same key and value and the expire slot added
 * (set to 0) or removed. `o` is untouched; pointer values are shared, so the
 * caller frees `o` with objFreeShell() once the new object replaced it. */
Object *objWithExpireSlot(const Object *o, bool hasExpire);
/* Frees the object and its value. */
void objFree(Object *o);
/* Frees only the Object allocation (the value moved elsewhere). */
void objFreeShell(Object *o);

/* String contents: returns a pointer to the bytes and sets *len. For integer
 * encoding the digits are written to buf (at least 21 bytes). */
const char *objStringBytes(const Object *o, char *buf, size_t *len);
size_t objStringLen(const Object *o);

const char *objTypeName(int type);
const char *objEncodingName(int encoding);
/* Bytes of memory the object uses (MEMORY USAGE). */
size_t objMemoryUsage(const Object *o);
/* Frees the type-specific value behind a pointer-encoded object. Each data
 * type registers its own freer/duplicator. */
typedef void ObjValueFree(int encoding, void *ptr);
typedef void *ObjValueDup(int encoding, const void *ptr);
typedef size_t ObjValueSize(int encoding, const void *ptr);
void objRegisterType(int type, ObjValueFree *freeFn, ObjValueDup *dupFn, ObjValueSize *sizeFn);

#endif
