/* t_hash.c — the hash type and its commands of Redis 7.0: HSET HSETNX HMSET
 * HGET HMGET HGETALL HDEL HLEN HEXISTS HKEYS HVALS HINCRBY HINCRBYFLOAT
 * HSTRLEN HRANDFIELD HSCAN.
 *
 * Encodings (see t_hash.h): a listpack of field, value pairs while small,
 * a Dict of HashField entries once config.hashMaxListpackEntries fields or
 * config.hashMaxListpackValue bytes in one field or value are passed. The
 * conversion points are Redis's, so OBJECT ENCODING answers the same:
 *   - before writing, every argument of HSET/HMSET/HSETNX (fields and values,
 *     even of fields that exist) longer than the value limit converts, and
 *     so does a listpack that would pass 1 GB (Redis hashTypeTryConversion);
 *   - hashTypeSet converts a field or value longer than the limit (the
 *     HINCRBY/HINCRBYFLOAT path) and, after adding, a count past the limit;
 *   - nothing converts back.
 * The encoding of a pointer-valued Object is changed in place: both
 * encodings keep an 8-byte pointer in the Object, so its layout is the same.
 *
 * HashField (table entries) keeps field and value in one allocation:
 *
 *   +--------------+-------------+-------+-------------+-------+
 *   | DictLink 8 B | varint flen | field | varint vlen | value |
 *   +--------------+-------------+-------+-------------+-------+
 *
 * (varints are LEB128: 1 byte below 128). A 10-byte field with a 10-byte
 * value is one 30-byte allocation (32 with jemalloc) plus its bucket slot,
 * where Redis spends a dictEntry and two sds strings. A new value is written
 * in place when it fits the allocation without wasting much of it.
 *
 * Replies and errors follow Redis 7.0 byte for byte, including HRANDFIELD's
 * four strategies (which decide whether results repeat and their order) and
 * HSCAN returning a whole listpack-encoded hash at once with cursor 0.
 * dbSignalModified() and the keyspace event (notify.h) follow every change.
 */
#include "t_hash.h"

#include "propagate.h"
#include "commands.h"

#include "client.h"
#include "config.h"
#include "db.h"
#include "debug.h"
#include "globmatch.h"
#include "hash.h"
#include "listpack.h"
#include "mem.h"
#include "notify.h"
#include "numconv.h"
#include "reply.h"
#include "scan.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HRANDFIELD tuning, as Redis: below 3x the count, build-and-remove
 * (CASE 3) instead of picking until enough distinct (CASE 4); listpack
 * samples are drawn in batches of at most 1000. */
#define HRANDFIELD_SUB_STRATEGY_MUL    3
#define HRANDFIELD_RANDOM_SAMPLE_LIMIT 1000
/* Elements MEMORY USAGE looks at to estimate a table's average entry. */
#define HASH_MEMORY_SAMPLES 5

/* ------------------------------------------------------------------------
 * HashField: one table entry holding field and value
 * ---------------------------------------------------------------------- */

typedef struct HashField {
    DictLink link; /* first: the table stores &link */
    unsigned char data[];
} HashField;

static size_t varintLen(size_t n) {
    size_t len = 1;
    while (n >= 128) {
        n >>= 7;
        len++;
    }
    return len;
}

static unsigned char *varintPut(unsigned char *p, size_t n) {
    while (n >= 128) {
        *p++ = (unsigned char)((n & 127) | 128);
        n >>= 7;
    }
    *p++ = (unsigned char)n;
    return p;
}

static const unsigned char *varintGet(const unsigned char *p, size_t *n) {
    size_t v = 0;
    unsigned shift = 0;
    while (*p & 128) {
        v |= (size_t)(*p++ & 127) << shift;
        shift += 7;
    }
    *n = v | ((size_t)*p << shift);
    return p + 1;
}

static const void *hashFieldKey(const DictLink *l, size_t *len) {
    return varintGet(((const HashField *)l)->data, len);
}

static const unsigned char *hashFieldValue(const HashField *e, size_t *vlen) {
    size_t flen;
    const unsigned char *f = varintGet(e->data, &flen);
    return varintGet(f + flen, vlen);
}

static void hashFieldFree(DictLink *l) {
    kvFree(l);
}

static const DictType hashDictType = {hashBytes, hashFieldKey, NULL, hashFieldFree};

static HashField *hashFieldNew(const void *f, size_t flen, const void *v, size_t vlen) {
    size_t size = sizeof(HashField) + varintLen(flen) + flen + varintLen(vlen) + vlen;
    HashField *e = kvMalloc(size);
    e->link.next = NULL;
    unsigned char *p = varintPut(e->data, flen);
    if (flen) memcpy(p, f, flen);
    p = varintPut(p + flen, vlen);
    if (vlen) memcpy(p, v, vlen);
    return e;
}

/* Gives e (in table d) a new value, in place when it fits the allocation
 * and does not leave more than about a quarter of it unused. */
static void hashFieldSetValue(Dict *d, HashField *e, const void *v, size_t vlen) {
    size_t flen;
    const unsigned char *f = varintGet(e->data, &flen);
    size_t valueOff = (size_t)(f + flen - (const unsigned char *)e);
    size_t need = valueOff + varintLen(vlen) + vlen, have = kvAllocSize(e);
    if (need <= have && have - need <= need / 4 + 16) {
        unsigned char *p = varintPut((unsigned char *)e + valueOff, vlen);
        if (vlen) memmove(p, v, vlen);
        return;
    }
    HashField *n = hashFieldNew(f, flen, v, vlen);
    dictReplaceEntry(d, &e->link, &n->link);
    kvFree(e);
}

static HashField *hashFieldCopy(const HashField *e) {
    size_t vlen;
    const unsigned char *v = hashFieldValue(e, &vlen);
    size_t size = (size_t)(v + vlen - (const unsigned char *)e);
    HashField *n = kvMalloc(size);
    memcpy(n, e, size);
    n->link.next = NULL;
    return n;
}

/* ------------------------------------------------------------------------
 * Type registration: free, dup, size
 * ---------------------------------------------------------------------- */

static void hashValueFree(int encoding, void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK)
        lpFree(ptr);
    else
        dictRelease(ptr);
}

static void *hashValueDup(int encoding, const void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK) return lpDup(ptr);
    Dict *src = (Dict *)ptr, *d = dictCreate(&hashDictType);
    dictExpand(d, dictSize(src));
    DictIter it;
    dictIterInit(&it, src, false);
    DictLink *l;
    while ((l = dictIterNext(&it))) dictAddUnique(d, &hashFieldCopy((const HashField *)l)->link);
    dictIterRelease(&it);
    return d;
}

/* Bytes of the value: the listpack's allocation, or for a table the Dict,
 * its buckets and the average of a few entries times their number (as
 * Redis's MEMORY USAGE estimates by sampling). */
static size_t hashValueSize(int encoding, const void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK) return kvAllocSize(ptr);
    Dict *d = (Dict *)ptr;
    size_t size = kvAllocSize(d) + dictBuckets(d) * sizeof(DictLink *);
    size_t sampled = 0, bytes = 0;
    DictIter it;
    dictIterInit(&it, d, false);
    DictLink *l;
    while (sampled < HASH_MEMORY_SAMPLES && (l = dictIterNext(&it))) {
        bytes += kvAllocSize(l);
        sampled++;
    }
    dictIterRelease(&it);
    if (sampled) size += (size_t)((double)bytes / (double)sampled * (double)dictSize(d));
    return size;
}

/* A value as text (integers into buf), for the digest. */
static const char *hashValueText(const HashValue *v, char *buf, size_t *len) {
    if (v->s) {
        *len = v->len;
        return (const char *)v->s;
    }
    *len = (size_t)llToStr(buf, LONG_STR_SIZE, v->ll);
    return buf;
}

/* DEBUG DIGEST-VALUE of a hash, as Redis computes it: each field/value
 * pair mixed into its own digest, the pair digests XORed together (so the
 * order and the encoding do not matter). */
static void hashDigestValue(unsigned char *digest, const Object *o) {
    HashTypeIter it;
    HashValue f, v;
    hashTypeIterInit(&it, o);
    while (hashTypeIterNext(&it, &f, &v)) {
        unsigned char pair[DEBUG_DIGEST_LEN];
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p;
        memset(pair, 0, sizeof(pair));
        p = hashValueText(&f, buf, &len);
        debugMixDigest(pair, p, len);
        p = hashValueText(&v, buf, &len);
        debugMixDigest(pair, p, len);
        debugXorDigest(digest, pair, sizeof(pair));
    }
    hashTypeIterRelease(&it);
}

static Dict *hashHashTable(const Object *o) {
    return o->encoding == OBJ_ENC_HASHTABLE ? objPtr(o) : NULL;
}

static const DebugTypeOps hashDebugOps = {hashDigestValue, hashHashTable, NULL, NULL};

void hashTypeInit(void) {
    static bool done = false;
    if (done) return;
    objRegisterType(OBJ_HASH, hashValueFree, hashValueDup, hashValueSize);
    debugRegisterType(OBJ_HASH, &hashDebugOps);
    done = true;
}

/* ------------------------------------------------------------------------
 * The hash type
 * ---------------------------------------------------------------------- */

Object *hashTypeCreateObject(const char *key, size_t klen) {
    hashTypeInit(); /* until start-up calls it: objFree must know the type */
    return objNewPtr(key, klen, OBJ_HASH, OBJ_ENC_LISTPACK, lpNew(0), -1);
}

unsigned long hashTypeLength(const Object *o) {
    if (o->encoding == OBJ_ENC_LISTPACK) return lpLength(objPtr(o)) / 2;
    return (unsigned long)dictSize(objPtr(o));
}

static void lpEntryToHashValue(const unsigned char *p, HashValue *v) {
    uint32_t len = 0;
    v->s = lpGet(p, &len, &v->ll);
    v->len = len;
}

void hashTypeConvertToHashtable(Object *o) {
    if (o->encoding != OBJ_ENC_LISTPACK) return;
    unsigned char *lp = objPtr(o);
    Dict *d = dictCreate(&hashDictType);
    dictExpand(d, lpLength(lp) / 2);
    for (unsigned char *p = lpFirst(lp); p;) {
        unsigned char *vp = lpNext(lp, p);
        if (!vp) break; /* odd count: only a corrupt listpack; the loader checks */
        char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
        uint32_t flen, vlen;
        const unsigned char *f = lpGetString(p, &flen, fbuf);
        const unsigned char *v = lpGetString(vp, &vlen, vbuf);
        HashField *e = hashFieldNew(f, flen, v, vlen);
        if (dictAddIfAbsent(d, &e->link)) kvFree(e); /* duplicate: keep the first */
        p = lpNext(lp, vp);
    }
    lpFree(lp);
    o->encoding = OBJ_ENC_HASHTABLE;
    objSetPtr(o, d);
}

/* Redis's hashTypeTryConversion: before a write of argv[start..end], a
 * listpack converts if any of them is longer than the value limit, or if
 * their total would take the listpack past LP_MAX_SAFETY_SIZE. */
static void hashTypeTryConversion(Object *o, const Arg *argv, int start, int end) {
    if (o->encoding != OBJ_ENC_LISTPACK) return;
    size_t sum = 0;
    for (int i = start; i <= end; i++) {
        if ((long long)argv[i].len > config.hashMaxListpackValue) {
            hashTypeConvertToHashtable(o);
            return;
        }
        sum += argv[i].len;
    }
    if (!lpSafeToAdd(objPtr(o), sum)) hashTypeConvertToHashtable(o);
}

bool hashTypeSet(Object *o, const void *field, size_t flen, const void *value, size_t vlen) {
    bool update = false;
    if (o->encoding == OBJ_ENC_LISTPACK &&
        ((long long)flen > config.hashMaxListpackValue ||
         (long long)vlen > config.hashMaxListpackValue || !lpSafeToAdd(objPtr(o), flen + vlen)))
        hashTypeConvertToHashtable(o);

    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = objPtr(o);
        unsigned char *p = lpFirst(lp);
        if (p) p = lpFind(lp, p, field, (uint32_t)flen, 1);
        if (p) {
            unsigned char *vp = lpNext(lp, p);
            lp = lpReplace(lp, &vp, value, (uint32_t)vlen);
            update = true;
        } else {
            LpEntry pair[2] = {{field, (uint32_t)flen, 0}, {value, (uint32_t)vlen, 0}};
            lp = lpBatchAppend(lp, pair, 2);
        }
        objSetPtr(o, lp);
        if ((long long)(lpLength(lp) / 2) > config.hashMaxListpackEntries)
            hashTypeConvertToHashtable(o);
    } else {
        Dict *d = objPtr(o);
        HashField *e = (HashField *)dictFind(d, field, flen);
        if (e) {
            hashFieldSetValue(d, e, value, vlen);
            update = true;
        } else {
            dictAddUnique(d, &hashFieldNew(field, flen, value, vlen)->link);
        }
    }
    return update;
}

bool hashTypeGet(const Object *o, const void *field, size_t flen, HashValue *value) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = objPtr(o);
        unsigned char *p = lpFirst(lp);
        if (p) p = lpFind(lp, p, field, (uint32_t)flen, 1);
        if (!p) return false;
        lpEntryToHashValue(lpNext(lp, p), value);
        return true;
    }
    HashField *e = (HashField *)dictFind(objPtr(o), field, flen);
    if (!e) return false;
    value->s = hashFieldValue(e, &value->len);
    value->ll = 0;
    return true;
}

bool hashTypeDelete(Object *o, const void *field, size_t flen) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = objPtr(o);
        unsigned char *p = lpFirst(lp);
        if (p) p = lpFind(lp, p, field, (uint32_t)flen, 1);
        if (!p) return false;
        lp = lpDeleteRangeWithEntry(lp, &p, 2);
        objSetPtr(o, lp);
        return true;
    }
    Dict *d = objPtr(o);
    if (!dictDelete(d, field, flen)) return false;
    dictShrinkIfSparse(d);
    return true;
}

void hashTypeIterInit(HashTypeIter *it, const Object *o) {
    it->o = o;
    if (o->encoding == OBJ_ENC_LISTPACK)
        it->p = lpFirst(objPtr(o));
    else
        dictIterInit(&it->di, objPtr(o), false);
}

bool hashTypeIterNext(HashTypeIter *it, HashValue *field, HashValue *value) {
    if (it->o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = objPtr(it->o);
        if (!it->p) return false;
        unsigned char *vp = lpNext(lp, it->p);
        if (!vp) return false;
        lpEntryToHashValue(it->p, field);
        if (value) lpEntryToHashValue(vp, value);
        it->p = lpNext(lp, vp);
        return true;
    }
    HashField *e = (HashField *)dictIterNext(&it->di);
    if (!e) return false;
    field->s = hashFieldKey(&e->link, &field->len);
    field->ll = 0;
    if (value) {
        value->s = hashFieldValue(e, &value->len);
        value->ll = 0;
    }
    return true;
}

void hashTypeIterRelease(HashTypeIter *it) {
    if (it->o->encoding != OBJ_ENC_LISTPACK) dictIterRelease(&it->di);
}

/* ------------------------------------------------------------------------
 * Command helpers
 * ---------------------------------------------------------------------- */

static void addReplyHashValue(Client *c, const HashValue *v) {
    if (v->s)
        addReplyBulk(c, v->s, v->len);
    else
        addReplyBulkLongLong(c, v->ll);
}

/* The value's bytes; integers are written into buf (LONG_STR_SIZE). */
static const char *hashValueBytes(const HashValue *v, char *buf, size_t *len) {
    if (v->s) {
        *len = v->len;
        return (const char *)v->s;
    }
    *len = (size_t)llToStr(buf, LONG_STR_SIZE, v->ll);
    return buf;
}

/* False (after replying WRONGTYPE) when o exists and is not a hash. */
static bool hashCheckType(Client *c, const Object *o) {
    if (o && o->type != OBJ_HASH) {
        addReplyError(c, errWrongType);
        return false;
    }
    return true;
}

/* Redis's hashTypeLookupWriteOrCreate: the key's hash, or a new empty one
 * added to the db; NULL after replying WRONGTYPE. */
static Object *hashLookupWriteOrCreate(Client *c, const Arg *key) {
    Object *o = dbLookupWrite(c->db, key->ptr, key->len);
    if (!hashCheckType(c, o)) return NULL;
    if (!o) {
        o = hashTypeCreateObject(key->ptr, key->len);
        dbAdd(c->db, o);
    }
    return o;
}

/* ------------------------------------------------------------------------
 * HSET HMSET HSETNX
 * ---------------------------------------------------------------------- */

static void hsetGenericCommand(Client *c, bool isHset) {
    if (c->argc % 2 == 1) {
        addReplyErrorArity(c);
        return;
    }
    Object *o = hashLookupWriteOrCreate(c, &c->argv[1]);
    if (!o) return;
    hashTypeTryConversion(o, c->argv, 2, c->argc - 1);
    long long created = 0;
    for (int i = 2; i < c->argc; i += 2) {
        const Arg *f = &c->argv[i], *v = &c->argv[i + 1];
        created += !hashTypeSet(o, f->ptr, f->len, v->ptr, v->len);
    }
    if (isHset)
        addReplyLongLong(c, created);
    else
        addReplyOk(c);
    dbSignalModified(c->db, c->argv[1].ptr, c->argv[1].len);
    notifyKeyspaceEvent(NOTIFY_HASH, "hset", c->argv[1].ptr, c->argv[1].len, c->db->id);
}

void hsetCommand(Client *c) {
    hsetGenericCommand(c, true);
}

void hmsetCommand(Client *c) {
    hsetGenericCommand(c, false);
}

void hsetnxCommand(Client *c) {
    Object *o = hashLookupWriteOrCreate(c, &c->argv[1]);
    if (!o) return;
    const Arg *f = &c->argv[2], *v = &c->argv[3];
    HashValue cur;
    if (hashTypeGet(o, f->ptr, f->len, &cur)) {
        addReplyLongLong(c, 0);
        return;
    }
    hashTypeTryConversion(o, c->argv, 2, 3);
    hashTypeSet(o, f->ptr, f->len, v->ptr, v->len);
    addReplyLongLong(c, 1);
    dbSignalModified(c->db, c->argv[1].ptr, c->argv[1].len);
    notifyKeyspaceEvent(NOTIFY_HASH, "hset", c->argv[1].ptr, c->argv[1].len, c->db->id);
}

/* ------------------------------------------------------------------------
 * HGET HMGET HLEN HSTRLEN HEXISTS
 * ---------------------------------------------------------------------- */

void hgetCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!hashCheckType(c, o)) return;
    HashValue v;
    if (o && hashTypeGet(o, c->argv[2].ptr, c->argv[2].len, &v))
        addReplyHashValue(c, &v);
    else
        addReplyNull(c);
}

void hmgetCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!hashCheckType(c, o)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        HashValue v;
        if (o && hashTypeGet(o, c->argv[i].ptr, c->argv[i].len, &v))
            addReplyHashValue(c, &v);
        else
            addReplyNull(c);
    }
}

void hlenCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!hashCheckType(c, o)) return;
    addReplyLongLong(c, o ? (long long)hashTypeLength(o) : 0);
}

void hstrlenCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!hashCheckType(c, o)) return;
    HashValue v;
    size_t len = 0;
    if (o && hashTypeGet(o, c->argv[2].ptr, c->argv[2].len, &v)) {
        char buf[LONG_STR_SIZE];
        hashValueBytes(&v, buf, &len);
    }
    addReplyLongLong(c, (long long)len);
}

void hexistsCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!hashCheckType(c, o)) return;
    HashValue v;
    addReplyLongLong(c, o && hashTypeGet(o, c->argv[2].ptr, c->argv[2].len, &v) ? 1 : 0);
}

/* ------------------------------------------------------------------------
 * HDEL
 * ---------------------------------------------------------------------- */

void hdelCommand(Client *c) {
    const Arg *key = &c->argv[1];
    Object *o = dbLookupWrite(c->db, key->ptr, key->len);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (!hashCheckType(c, o)) return;
    long long deleted = 0;
    bool keyRemoved = false;
    for (int i = 2; i < c->argc; i++) {
        if (!hashTypeDelete(o, c->argv[i].ptr, c->argv[i].len)) continue;
        deleted++;
        if (hashTypeLength(o) == 0) {
            dbDelete(c->db, key->ptr, key->len);
            keyRemoved = true;
            break;
        }
    }
    if (deleted) {
        dbSignalModified(c->db, key->ptr, key->len);
        notifyKeyspaceEvent(NOTIFY_HASH, "hdel", key->ptr, key->len, c->db->id);
        if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
    }
    addReplyLongLong(c, deleted);
}

/* ------------------------------------------------------------------------
 * HGETALL HKEYS HVALS
 * ---------------------------------------------------------------------- */

static void hgetallGenericCommand(Client *c, bool keys, bool values) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!hashCheckType(c, o)) return;
    long long len = o ? (long long)hashTypeLength(o) : 0;
    /* A map for field + value (RESP3 %), else a flat array. */
    if (keys && values)
        addReplyMapLen(c, len);
    else
        addReplyArrayLen(c, len);
    if (!o) return;
    HashTypeIter it;
    HashValue f, v;
    hashTypeIterInit(&it, o);
    while (hashTypeIterNext(&it, &f, &v)) {
        if (keys) addReplyHashValue(c, &f);
        if (values) addReplyHashValue(c, &v);
    }
    hashTypeIterRelease(&it);
}

void hgetallCommand(Client *c) {
    hgetallGenericCommand(c, true, true);
}

void hkeysCommand(Client *c) {
    hgetallGenericCommand(c, true, false);
}

void hvalsCommand(Client *c) {
    hgetallGenericCommand(c, false, true);
}

/* ------------------------------------------------------------------------
 * HINCRBY HINCRBYFLOAT
 * ---------------------------------------------------------------------- */

void hincrbyCommand(Client *c) {
    long long incr, value = 0;
    if (!strToLongLong(c->argv[3].ptr, c->argv[3].len, &incr)) {
        addReplyError(c, errNotInteger);
        return;
    }
    Object *o = hashLookupWriteOrCreate(c, &c->argv[1]);
    if (!o) return;
    const Arg *f = &c->argv[2];
    HashValue cur;
    if (hashTypeGet(o, f->ptr, f->len, &cur)) {
        if (!cur.s)
            value = cur.ll;
        else if (!strToLongLong((const char *)cur.s, cur.len, &value)) {
            addReplyError(c, "ERR hash value is not an integer");
            return;
        }
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        addReplyError(c, "ERR increment or decrement would overflow");
        return;
    }
    value += incr;
    char buf[LONG_STR_SIZE];
    int len = llToStr(buf, sizeof(buf), value);
    hashTypeSet(o, f->ptr, f->len, buf, (size_t)len);
    addReplyLongLong(c, value);
    dbSignalModified(c->db, c->argv[1].ptr, c->argv[1].len);
    notifyKeyspaceEvent(NOTIFY_HASH, "hincrby", c->argv[1].ptr, c->argv[1].len, c->db->id);
}

void hincrbyfloatCommand(Client *c) {
    long double incr, value = 0;
    if (!strToLongDouble(c->argv[3].ptr, c->argv[3].len, &incr)) {
        addReplyError(c, errNotFloat);
        return;
    }
    if (isnan(incr) || isinf(incr)) {
        addReplyError(c, "ERR value is NaN or Infinity");
        return;
    }
    Object *o = hashLookupWriteOrCreate(c, &c->argv[1]);
    if (!o) return;
    const Arg *f = &c->argv[2];
    HashValue cur;
    if (hashTypeGet(o, f->ptr, f->len, &cur)) {
        if (!cur.s)
            value = (long double)cur.ll;
        else if (!strToLongDouble((const char *)cur.s, cur.len, &value)) {
            addReplyError(c, "ERR hash value is not a float");
            return;
        }
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        addReplyError(c, "ERR increment would produce NaN or Infinity");
        return;
    }
    char *buf = kvMalloc(MAX_LONG_DOUBLE_CHARS);
    int len = longDoubleToStr(buf, MAX_LONG_DOUBLE_CHARS, value, LD_STR_HUMAN);
    hashTypeSet(o, f->ptr, f->len, buf, (size_t)len);
    addReplyBulk(c, buf, (size_t)len);
    /* Replayed as the exact result (Redis 7.0: HSET key field value). */
    Arg argv[4] = {{"HSET", 4}, c->argv[1], *f, {buf, (size_t)len}};
    propagateReplace(c, 4, argv);
    kvFree(buf);
    dbSignalModified(c->db, c->argv[1].ptr, c->argv[1].len);
    notifyKeyspaceEvent(NOTIFY_HASH, "hincrbyfloat", c->argv[1].ptr, c->argv[1].len, c->db->id);
}

/* ------------------------------------------------------------------------
 * HRANDFIELD
 * ---------------------------------------------------------------------- */

typedef struct HashPair {
    HashValue f, v;
} HashPair;

static void replyPair(Client *c, const HashValue *f, const HashValue *v, bool withvalues) {
    if (withvalues && c->resp > 2) addReplyArrayLen(c, 2);
    addReplyHashValue(c, f);
    if (withvalues) addReplyHashValue(c, v);
}

static void tableEntryToPair(const HashField *e, HashPair *pair) {
    pair->f.s = hashFieldKey(&e->link, &pair->f.len);
    pair->v.s = hashFieldValue(e, &pair->v.len);
    pair->f.ll = pair->v.ll = 0;
}

static void lpEntryToValue(const LpEntry *e, HashValue *v) {
    v->s = e->sval;
    v->len = e->slen;
    v->ll = e->lval;
}

/* CASE 1 (negative count, or 1): `count` independent picks, repeats
 * allowed, random order. Stops early if the client is being closed. */
static void hrandfieldRepeated(Client *c, Object *o, unsigned long count, bool withvalues) {
    addReplyArrayLen(c, (long long)(withvalues && c->resp == 2 ? count * 2 : count));
    if (o->encoding == OBJ_ENC_HASHTABLE) {
        Dict *d = objPtr(o);
        while (count--) {
            HashPair pair;
            tableEntryToPair((const HashField *)dictRandomEntry(d), &pair);
            replyPair(c, &pair.f, &pair.v, withvalues);
            if (replyAbortCheck(c, count)) break;
        }
        return;
    }
    unsigned long limit =
        count > HRANDFIELD_RANDOM_SAMPLE_LIMIT ? HRANDFIELD_RANDOM_SAMPLE_LIMIT : count;
    LpEntry *keys = kvMalloc(sizeof(LpEntry) * limit);
    LpEntry *vals = withvalues ? kvMalloc(sizeof(LpEntry) * limit) : NULL;
    while (count) {
        unsigned long n = count > limit ? limit : count;
        count -= n;
        lpRandomPairs(objPtr(o), (unsigned int)n, keys, vals);
        for (unsigned long i = 0; i < n; i++) {
            HashValue f, v = {NULL, 0, 0};
            lpEntryToValue(&keys[i], &f);
            if (vals) lpEntryToValue(&vals[i], &v);
            replyPair(c, &f, &v, withvalues);
        }
        if (replyAborted(c)) break; /* checked once per sample batch */
    }
    kvFree(keys);
    kvFree(vals);
}

/* CASE 3 (count below size but more than a third of it): all pairs, then
 * random ones removed until `count` remain; replied in the resulting
 * (scrambled) order. */
static void hrandfieldByRemoval(Client *c, Object *o, unsigned long size, unsigned long count,
                                bool withvalues) {
    HashPair *pairs = kvMalloc(sizeof(HashPair) * size);
    unsigned long n = 0;
    HashTypeIter it;
    hashTypeIterInit(&it, o);
    while (n < size && hashTypeIterNext(&it, &pairs[n].f, &pairs[n].v)) n++;
    hashTypeIterRelease(&it);
    while (n > count) {
        unsigned long r = (unsigned long)random() % n;
        pairs[r] = pairs[--n];
    }
    for (unsigned long i = 0; i < n; i++) replyPair(c, &pairs[i].f, &pairs[i].v, withvalues);
    kvFree(pairs);
}

/* CASE 4 (count well below size): distinct random picks. A listpack is
 * sampled in one ordered pass; a table is picked from until `count`
 * distinct fields were seen. */
static void hrandfieldDistinct(Client *c, Object *o, unsigned long count, bool withvalues) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        LpEntry *keys = kvMalloc(sizeof(LpEntry) * count);
        LpEntry *vals = withvalues ? kvMalloc(sizeof(LpEntry) * count) : NULL;
        unsigned int got = lpRandomPairsUnique(objPtr(o), (unsigned int)count, keys, vals);
        for (unsigned int i = 0; i < got; i++) {
            HashValue f, v = {NULL, 0, 0};
            lpEntryToValue(&keys[i], &f);
            if (vals) lpEntryToValue(&vals[i], &v);
            replyPair(c, &f, &v, withvalues);
        }
        kvFree(keys);
        kvFree(vals);
        return;
    }
    Dict *d = objPtr(o);
    Dict *seen = dictCreate(&dictTypeDstrKey);
    dictExpand(seen, count);
    unsigned long added = 0;
    while (added < count) {
        HashPair pair;
        bool created;
        tableEntryToPair((const HashField *)dictRandomEntry(d), &pair);
        dictEntryAdd(seen, (const char *)pair.f.s, pair.f.len, &created);
        if (!created) continue;
        added++;
        replyPair(c, &pair.f, &pair.v, withvalues);
    }
    dictRelease(seen);
}

static void hrandfieldWithCountCommand(Client *c, long long l, bool withvalues) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (!hashCheckType(c, o)) return;
    unsigned long size = hashTypeLength(o), count;
    bool uniq = l >= 0;
    count = uniq ? (unsigned long)l : (unsigned long)-l;
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (!uniq || count == 1) {
        hrandfieldRepeated(c, o, count, withvalues);
        return;
    }
    unsigned long replySize = count < size ? count : size;
    addReplyArrayLen(c, (long long)(withvalues && c->resp == 2 ? replySize * 2 : replySize));
    if (count >= size) { /* CASE 2: the whole hash */
        HashTypeIter it;
        HashValue f, v;
        hashTypeIterInit(&it, o);
        while (hashTypeIterNext(&it, &f, &v)) replyPair(c, &f, &v, withvalues);
        hashTypeIterRelease(&it);
    } else if (count * HRANDFIELD_SUB_STRATEGY_MUL > size) {
        hrandfieldByRemoval(c, o, size, count, withvalues);
    } else {
        hrandfieldDistinct(c, o, count, withvalues);
    }
}

void hrandfieldCommand(Client *c) {
    if (c->argc >= 3) {
        long long l;
        if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &l)) {
            addReplyError(c, errNotInteger);
            return;
        }
        if (l < -LLONG_MAX) {
            addReplyErrorFormat(c, "ERR value is out of range, value must between %lld and %lld",
                                -LLONG_MAX, LLONG_MAX);
            return;
        }
        bool withvalues = false;
        if (c->argc > 4 || (c->argc == 4 && !argIs(&c->argv[3], "withvalues"))) {
            addReplyError(c, errSyntax);
            return;
        } else if (c->argc == 4) {
            withvalues = true;
            /* So that count * 2 cannot overflow (Redis 7.0). */
            if (l < -LLONG_MAX / 2 || l > LLONG_MAX / 2) {
                addReplyError(c, "ERR value is out of range");
                return;
            }
        }
        hrandfieldWithCountCommand(c, l, withvalues);
        return;
    }
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (!hashCheckType(c, o)) return;
    HashValue f;
    if (o->encoding == OBJ_ENC_HASHTABLE) {
        HashPair pair;
        tableEntryToPair((const HashField *)dictRandomEntry(objPtr(o)), &pair);
        f = pair.f;
    } else {
        LpEntry key;
        lpRandomPair(objPtr(o), hashTypeLength(o), &key, NULL);
        lpEntryToValue(&key, &f);
    }
    addReplyHashValue(c, &f);
}

/* ------------------------------------------------------------------------
 * HSCAN
 * ---------------------------------------------------------------------- */

void hscanCommand(Client *c) {
    unsigned long cursor;
    if (!scanParseCursorOrReply(c, &c->argv[2], &cursor)) return;
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        scanReplyCursor(c, 0);
        addReplyArrayLen(c, 0);
        return;
    }
    if (!hashCheckType(c, o)) return;
    ScanOptions opt;
    if (!scanParseOptionsOrReply(c, 3, false, &opt)) return;

    HashPair *pairs = NULL;
    size_t npairs = 0;
    if (o->encoding == OBJ_ENC_HASHTABLE) {
        /* Redis counts fields and values against COUNT, so about half as
         * many fields as COUNT come back. */
        ScanBatch batch = {NULL, 0, 0};
        cursor = scanDict(objPtr(o), cursor, (opt.count + 1) / 2, &batch);
        pairs = kvMalloc(sizeof(HashPair) * (batch.len ? batch.len : 1));
        for (size_t i = 0; i < batch.len; i++)
            tableEntryToPair((const HashField *)batch.items[i], &pairs[npairs++]);
        scanBatchFree(&batch);
    } else {
        /* A listpack is returned whole, with cursor 0. */
        unsigned long size = hashTypeLength(o);
        pairs = kvMalloc(sizeof(HashPair) * (size ? size : 1));
        HashTypeIter it;
        hashTypeIterInit(&it, o);
        while (npairs < size && hashTypeIterNext(&it, &pairs[npairs].f, &pairs[npairs].v)) npairs++;
        hashTypeIterRelease(&it);
        cursor = 0;
    }

    size_t kept = 0;
    for (size_t i = 0; i < npairs; i++) {
        if (!opt.patternNoop) {
            char buf[LONG_STR_SIZE];
            size_t flen;
            const char *f = hashValueBytes(&pairs[i].f, buf, &flen);
            if (!scanMatches(&opt, f, flen)) continue;
        }
        pairs[kept++] = pairs[i];
    }

    scanReplyCursor(c, cursor);
    addReplyArrayLen(c, (long long)kept * 2);
    for (size_t i = 0; i < kept; i++) {
        addReplyHashValue(c, &pairs[i].f);
        addReplyHashValue(c, &pairs[i].v);
    }
    kvFree(pairs);
}
