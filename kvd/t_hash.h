/* t_hash.h — the hash type: its value encodings and what other modules
 * (RDB, AOF rewrite, DEBUG DIGEST, RESTORE) need to read and build hashes.
 * The HSET … HSCAN command handlers are declared in commands.h.
 *
 * A hash Object (type OBJ_HASH) points to one of:
 *   OBJ_ENC_LISTPACK   a listpack (listpack.h) of field, value, field, value…
 *                      in insertion order, while the hash has at most
 *                      config.hashMaxListpackEntries fields and every field
 *                      and value is at most config.hashMaxListpackValue bytes;
 *   OBJ_ENC_HASHTABLE  a Dict (common/dict.h) of HashField entries, once
 *                      either limit was passed. Never converted back (as
 *                      Redis).
 */
#ifndef KV_T_HASH_H
#define KV_T_HASH_H

#include "dict.h"
#include "object.h"

#include <stdbool.h>
#include <stddef.h>

/* A field or value as stored: string bytes (borrowed from the hash, valid
 * until it changes) or, for listpack integer entries, an integer. */
typedef struct HashValue {
    const unsigned char *s; /* NULL for an integer */
    size_t len;
    long long ll;
} HashValue;

/* Registers the hash type's free/dup/size functions with object.c. Call
 * once at start-up (the hash commands also call it on first use). */
void hashTypeInit(void);

/* A new, empty hash Object (listpack encoded) for `key`; not in any db.
 * Free with objFree() unless handed to the db. */
Object *hashTypeCreateObject(const char *key, size_t klen);

/* Number of fields. O(1) (O(N) for a listpack whose count is unknown). */
unsigned long hashTypeLength(const Object *o);

/* Sets field to value (both copied), converting the encoding when a limit
 * is passed. Returns true when the field existed (value updated), false
 * when it was added. For loaders (RDB, RESTORE) and the commands. */
bool hashTypeSet(Object *o, const void *field, size_t flen, const void *value, size_t vlen);

/* Reads a field's value: true and *value set when present. O(1) for a
 * table, O(N) for a listpack. */
bool hashTypeGet(const Object *o, const void *field, size_t flen, HashValue *value);
/* Deletes a field; true if it was present. The caller deletes the key when
 * the hash becomes empty. */
bool hashTypeDelete(Object *o, const void *field, size_t flen);

/* Converts a listpack-encoded hash to a hash table (no-op otherwise). */
void hashTypeConvertToHashtable(Object *o);

/* Iteration over the field/value pairs, in listpack order or in table
 * order. The hash must not change while iterating. */
typedef struct HashTypeIter {
    const Object *o;
    unsigned char *p; /* listpack: next field entry */
    DictIter di;      /* hashtable */
} HashTypeIter;

void hashTypeIterInit(HashTypeIter *it, const Object *o);
/* Fills the next pair (value may be NULL); false at the end. */
bool hashTypeIterNext(HashTypeIter *it, HashValue *field, HashValue *value);
void hashTypeIterRelease(HashTypeIter *it);

#endif
