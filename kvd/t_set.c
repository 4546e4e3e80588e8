/* t_set.c — the set type of Redis 7.0 and its commands: SADD SREM SMEMBERS
 * SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER SINTERCARD
 * SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN.
 *
 * Encodings (see t_set.h): an Intset while every member is an integer and
 * the set is small, else a Dict of SetMember entries. Everything observable
 * follows Redis 7.0's t_set.c, including what depends on the encoding:
 *   - intsets list their members in ascending order (SMEMBERS, SSCAN,
 *     SRANDMEMBER with a count ≥ the size …);
 *   - SUNION, SDIFF and the *STORE commands build their result in a fresh
 *     set that starts as an intset, so a result of few integers is sorted
 *     (and stored as an intset) even when the inputs were hashtables;
 *   - SDIFF picks one of Redis's two algorithms by the same cost estimate,
 *     because they leave the result in different encodings;
 *   - SPOP with a count close to the size rebuilds the set from the members
 *     that stay, as Redis does, so its encoding may change back to intset;
 *   - SINTER walks the smallest set (stable order among equal sizes).
 * Redis-visible counters follow Redis too: keyspace hits/misses per lookup
 * kind (the *STORE commands read their sources with read lookups, SPOP
 * with a count ≥ size looks the key up again as a read) and `dirty` grows by
 * the number of elements changed.
 *
 * Propagation to AOF/replicas (SPOP as SREM or DEL) is not done here yet:
 * the core has no propagation sink so far.
 */
#include "t_set.h"

#include "propagate.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "debug.h"
#include "globmatch.h"
#include "hash.h"
#include "mem.h"
#include "notify.h"
#include "reply.h"
#include "scan.h"
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Redis's SPOP_MOVE_STRATEGY_MUL and SRANDMEMBER_SUB_STRATEGY_MUL. */
#define SPOP_MOVE_STRATEGY_MUL       5
#define SRANDMEMBER_SUB_STRATEGY_MUL 3
#define SET_MEMORY_SAMPLES           5
#define SET_INTSET_HARD_LIMIT        (1UL << 30)
#define SET_MEMBER_SHORT_MAX         254
#define SET_MEMBER_LONG_MARK         255

/* ------------------------------------------------------------------------
 * Hashtable members
 *
 * One allocation per member: the dict chain link, then the length — one
 * byte up to 254, else the byte 255 and a 64-bit length — then the bytes
 * (no NUL). A member of up to 7 bytes fits a 16-byte allocation.
 * ---------------------------------------------------------------------- */

typedef struct SetMember {
    DictLink link;
    uint8_t data[];
} SetMember;

static SetMember *memberNew(const char *p, size_t len) {
    size_t hdr = len <= SET_MEMBER_SHORT_MAX ? 1 : 9;
    SetMember *m = kvMalloc(sizeof(SetMember) + hdr + len);
    m->link.next = NULL;
    if (hdr == 1) {
        m->data[0] = (uint8_t)len;
    } else {
        uint64_t n = len;
        m->data[0] = SET_MEMBER_LONG_MARK;
        memcpy(m->data + 1, &n, 8);
    }
    memcpy(m->data + hdr, p, len);
    return m;
}

static const void *memberKey(const DictLink *l, size_t *len) {
    const uint8_t *d = ((const SetMember *)l)->data;
    if (d[0] != SET_MEMBER_LONG_MARK) {
        *len = d[0];
        return d + 1;
    }
    uint64_t n;
    memcpy(&n, d + 1, 8);
    *len = (size_t)n;
    return d + 9;
}

static void memberFree(DictLink *l) {
    kvFree(l);
}

static const DictType setDictType = {hashBytes, memberKey, NULL, memberFree};

/* ------------------------------------------------------------------------
 * The Set value
 * ---------------------------------------------------------------------- */

static void setTypeInitOnce(void);

size_t setMaxIntsetEntries(void) {
    /* Redis caps the limit at 2^30 entries because of intset internals. */
    long long max = config.setMaxIntsetEntries;
    if (max < 0) max = 0;
    if ((unsigned long long)max >= SET_INTSET_HARD_LIMIT) return SET_INTSET_HARD_LIMIT;
    return (size_t)max;
}

Set setNewIntset(void) {
    setTypeInitOnce();
    Set s = {OBJ_ENC_INTSET, intsetNew()};
    return s;
}

Set setNewHashtable(size_t sizeHint) {
    setTypeInitOnce();
    Dict *d = dictCreate(&setDictType);
    if (sizeHint) dictExpand(d, sizeHint);
    Set s = {OBJ_ENC_HASHTABLE, d};
    return s;
}

Set setNewFor(const char *m, size_t len) {
    return strToLongLong(m, len, NULL) ? setNewIntset() : setNewHashtable(0);
}

void setFree(Set *s) {
    if (!s->ptr) return;
    if (s->encoding == OBJ_ENC_INTSET)
        intsetFree(s->ptr);
    else
        dictRelease(s->ptr);
    s->ptr = NULL;
}

size_t setSize(const Set *s) {
    if (s->encoding == OBJ_ENC_INTSET) return intsetLen(s->ptr);
    return dictSize(s->ptr);
}

const char *setElemBytes(const SetElem *e, char buf[LONG_STR_SIZE], size_t *len) {
    if (!e->isInt) {
        *len = e->len;
        return e->p;
    }
    *len = (size_t)llToStr(buf, LONG_STR_SIZE, e->i);
    return buf;
}

/* Adds bytes known to be absent-or-present to a hashtable set. */
static bool htAdd(Dict *d, const char *m, size_t len) {
    if (dictFind(d, m, len)) return false;
    dictAddUnique(d, &memberNew(m, len)->link);
    return true;
}

void setConvertToHashtable(Set *s) {
    if (s->encoding == OBJ_ENC_HASHTABLE) return;
    Intset *is = s->ptr;
    uint32_t len = intsetLen(is);
    Set h = setNewHashtable(len);
    for (uint32_t i = 0; i < len; i++) {
        int64_t v;
        char buf[LONG_STR_SIZE];
        intsetGet(is, i, &v);
        int n = llToStr(buf, sizeof(buf), v);
        dictAddUnique(h.ptr, &memberNew(buf, (size_t)n)->link);
    }
    intsetFree(is);
    *s = h;
}

bool setAddInt(Set *s, int64_t v) {
    if (s->encoding == OBJ_ENC_INTSET) {
        bool added;
        s->ptr = intsetAdd(s->ptr, v, &added);
        if (added && intsetLen(s->ptr) > setMaxIntsetEntries()) setConvertToHashtable(s);
        return added;
    }
    char buf[LONG_STR_SIZE];
    int n = llToStr(buf, sizeof(buf), v);
    return htAdd(s->ptr, buf, (size_t)n);
}

bool setAdd(Set *s, const char *m, size_t len) {
    if (s->encoding == OBJ_ENC_INTSET) {
        long long v;
        if (strToLongLong(m, len, &v)) return setAddInt(s, v);
        setConvertToHashtable(s);
    }
    return htAdd(s->ptr, m, len);
}

bool setAddElem(Set *s, const SetElem *e) {
    return e->isInt ? setAddInt(s, e->i) : setAdd(s, e->p, e->len);
}

bool setRemove(Set *s, const char *m, size_t len) {
    if (s->encoding == OBJ_ENC_INTSET) {
        long long v;
        bool removed = false;
        if (strToLongLong(m, len, &v)) s->ptr = intsetRemove(s->ptr, v, &removed);
        return removed;
    }
    if (!dictDelete(s->ptr, m, len)) return false;
    dictShrinkIfSparse(s->ptr);
    return true;
}

bool setRemoveElem(Set *s, const SetElem *e) {
    if (e->isInt && s->encoding == OBJ_ENC_INTSET) {
        bool removed;
        s->ptr = intsetRemove(s->ptr, e->i, &removed);
        return removed;
    }
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = setElemBytes(e, buf, &len);
    return setRemove(s, p, len);
}

bool setIsMember(const Set *s, const char *m, size_t len) {
    if (s->encoding == OBJ_ENC_INTSET) {
        long long v;
        return strToLongLong(m, len, &v) && intsetFind(s->ptr, v);
    }
    return dictFind(s->ptr, m, len) != NULL;
}

bool setIsMemberElem(const Set *s, const SetElem *e) {
    if (e->isInt && s->encoding == OBJ_ENC_INTSET) return intsetFind(s->ptr, e->i);
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = setElemBytes(e, buf, &len);
    return setIsMember(s, p, len);
}

void setIterInit(SetIter *it, const Set *s) {
    it->set = s;
    it->pos = 0;
    if (s->encoding == OBJ_ENC_HASHTABLE) dictIterInit(&it->di, s->ptr, false);
}

bool setIterNext(SetIter *it, SetElem *e) {
    if (it->set->encoding == OBJ_ENC_INTSET) {
        e->isInt = true;
        return intsetGet(it->set->ptr, it->pos++, &e->i);
    }
    DictLink *l = dictIterNext(&it->di);
    if (!l) return false;
    e->isInt = false;
    e->p = memberKey(l, &e->len);
    return true;
}

void setIterRelease(SetIter *it) {
    if (it->set->encoding == OBJ_ENC_HASHTABLE) dictIterRelease(&it->di);
}

void setRandomElem(const Set *s, SetElem *e) {
    if (s->encoding == OBJ_ENC_INTSET) {
        e->isInt = true;
        e->i = intsetRandom(s->ptr);
        return;
    }
    DictLink *l = dictRandomEntry(s->ptr);
    e->isInt = false;
    e->p = memberKey(l, &e->len);
}

Set setDup(const Set *s) {
    if (s->encoding == OBJ_ENC_INTSET) {
        Set c = {OBJ_ENC_INTSET, intsetDup(s->ptr)};
        return c;
    }
    Set c = setNewHashtable(dictSize(s->ptr));
    SetIter it;
    SetElem e;
    setIterInit(&it, s);
    while (setIterNext(&it, &e)) dictAddUnique(c.ptr, &memberNew(e.p, e.len)->link);
    setIterRelease(&it);
    return c;
}

size_t setMemoryUsage(const Set *s) {
    if (s->encoding == OBJ_ENC_INTSET) return kvAllocSize(s->ptr);
    Dict *d = s->ptr;
    size_t size = kvAllocSize(d) + kvAllocSize(d->table[0]) + kvAllocSize(d->table[1]);
    size_t total = dictSize(d);
    if (total == 0) return size;
    /* As Redis's MEMORY USAGE: average a few members, scale to the size. */
    size_t sampled = 0, bytes = 0;
    DictIter it;
    DictLink *l;
    dictIterInit(&it, d, false);
    while (sampled < SET_MEMORY_SAMPLES && (l = dictIterNext(&it)) != NULL) {
        bytes += kvAllocSize(l);
        sampled++;
    }
    dictIterRelease(&it);
    return size + (size_t)((double)bytes / (double)sampled * (double)total);
}

/* ---- object and DEBUG hooks ---- */

static void setValueFree(int encoding, void *ptr) {
    Set s = {encoding, ptr};
    setFree(&s);
}

static void *setValueDup(int encoding, const void *ptr) {
    Set s = {encoding, (void *)ptr};
    return setDup(&s).ptr;
}

static size_t setValueSize(int encoding, const void *ptr) {
    Set s = {encoding, (void *)ptr};
    return setMemoryUsage(&s);
}

/* Redis's DEBUG DIGEST for sets XORs the digest of every member (as its
 * string form), so the result does not depend on order or encoding. */
static void setDigestValue(unsigned char *digest, const Object *o) {
    Set s = setOf(o);
    SetIter it;
    SetElem e;
    setIterInit(&it, &s);
    while (setIterNext(&it, &e)) {
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = setElemBytes(&e, buf, &len);
        debugXorDigest(digest, p, len);
    }
    setIterRelease(&it);
}

static Dict *setHashTable(const Object *o) {
    return o->encoding == OBJ_ENC_HASHTABLE ? objPtr(o) : NULL;
}

static const DebugTypeOps setDebugOps = {setDigestValue, setHashTable, NULL, NULL};
static bool setTypeReady = false;

void setTypeInit(void) {
    objRegisterType(OBJ_SET, setValueFree, setValueDup, setValueSize);
    debugRegisterType(OBJ_SET, &setDebugOps);
    setTypeReady = true;
}

static void setTypeInitOnce(void) {
    if (!setTypeReady) setTypeInit();
}

/* ------------------------------------------------------------------------
 * Command helpers
 * ---------------------------------------------------------------------- */

/* Looks up a key that must hold a set: *out is the object or NULL when the
 * key is missing. Returns false (after replying WRONGTYPE) when the key
 * holds another type. `write` picks the lookup that does not count
 * keyspace hits/misses. */
static bool lookupSet(Client *c, const Arg *key, bool write, Object **out) {
    Object *o =
        write ? dbLookupWrite(c->db, key->ptr, key->len) : dbLookupRead(c->db, key->ptr, key->len);
    *out = o;
    if (o && o->type != OBJ_SET) {
        addReplyErrorWrongType(c);
        return false;
    }
    return true;
}

/* Signals a change of `key` that Redis counts as `changes` for dirty. */
static void signalChanges(Db *db, const Arg *key, unsigned long long changes) {
    dbSignalModified(db, key->ptr, key->len);
    /* dbSignalModified counted one; unsigned arithmetic wraps like Redis's
     * `server.dirty += count` for absurd SPOP counts. */
    stats.dirty = (long long)((unsigned long long)stats.dirty + changes - 1);
}

/* Adds a new key holding s (takes ownership of s). */
static Object *addSetKey(Db *db, const Arg *key, Set *s) {
    Object *o = objNewPtr(key->ptr, key->len, OBJ_SET, s->encoding, s->ptr, -1);
    dbAdd(db, o);
    s->ptr = NULL;
    return o;
}

static void replyElem(Client *c, const SetElem *e) {
    if (e->isInt)
        addReplyBulkLongLong(c, e->i);
    else
        addReplyBulk(c, e->p, e->len);
}

/* Replies every member of s (no aggregate header). */
static void replyMembers(Client *c, const Set *s) {
    SetIter it;
    SetElem e;
    setIterInit(&it, s);
    unsigned long long i = 0;
    while (setIterNext(&it, &e)) {
        if (replyAbortCheck(c, i++)) break;
        replyElem(c, &e);
    }
    setIterRelease(&it);
}

/* Redis's emptyscan reply, the same bytes in RESP2 and RESP3. */
static void replyEmptyScan(Client *c) {
    addReplyArrayLen(c, 2);
    addReplyBulk(c, "0", 1);
    addReplyArrayLen(c, 0);
}

/* ------------------------------------------------------------------------
 * SADD SREM SMOVE SISMEMBER SMISMEMBER SCARD
 * ---------------------------------------------------------------------- */

void saddCommand(Client *c) {
    Object *o;
    const Arg *key = &c->argv[1];
    if (!lookupSet(c, key, true, &o)) return;
    Set s = o ? setOf(o) : setNewFor(c->argv[2].ptr, c->argv[2].len);
    long long added = 0;
    for (int j = 2; j < c->argc; j++)
        if (setAdd(&s, c->argv[j].ptr, c->argv[j].len)) added++;
    if (o)
        setStore(o, &s);
    else
        addSetKey(c->db, key, &s);
    if (added) {
        signalChanges(c->db, key, (unsigned long long)added);
        notifyKeyspaceEvent(NOTIFY_SET, "sadd", key->ptr, key->len, c->db->id);
    }
    addReplyLongLong(c, added);
}

void sremCommand(Client *c) {
    Object *o;
    const Arg *key = &c->argv[1];
    if (!lookupSet(c, key, true, &o)) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    Set s = setOf(o);
    long long deleted = 0;
    bool keyRemoved = false;
    for (int j = 2; j < c->argc; j++) {
        if (setRemove(&s, c->argv[j].ptr, c->argv[j].len)) deleted++;
        if (setSize(&s) == 0) {
            setStore(o, &s); /* the object frees the current pointer */
            dbDelete(c->db, key->ptr, key->len);
            keyRemoved = true;
            break;
        }
    }
    if (!keyRemoved) setStore(o, &s);
    if (deleted) {
        signalChanges(c->db, key, (unsigned long long)deleted);
        notifyKeyspaceEvent(NOTIFY_SET, "srem", key->ptr, key->len, c->db->id);
        if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
    }
    addReplyLongLong(c, deleted);
}

void smoveCommand(Client *c) {
    const Arg *srcKey = &c->argv[1], *dstKey = &c->argv[2], *ele = &c->argv[3];
    Object *src = dbLookupWrite(c->db, srcKey->ptr, srcKey->len);
    Object *dst = dbLookupWrite(c->db, dstKey->ptr, dstKey->len);
    /* A missing source answers 0 even when the destination has another type. */
    if (!src) {
        addReplyLongLong(c, 0);
        return;
    }
    if (src->type != OBJ_SET || (dst && dst->type != OBJ_SET)) {
        addReplyErrorWrongType(c);
        return;
    }
    if (src == dst) {
        Set s = setOf(src);
        addReplyLongLong(c, setIsMember(&s, ele->ptr, ele->len) ? 1 : 0);
        return;
    }
    Set s = setOf(src);
    if (!setRemove(&s, ele->ptr, ele->len)) {
        addReplyLongLong(c, 0);
        return;
    }
    setStore(src, &s);
    notifyKeyspaceEvent(NOTIFY_SET, "srem", srcKey->ptr, srcKey->len, c->db->id);
    if (setSize(&s) == 0) {
        dbDelete(c->db, srcKey->ptr, srcKey->len);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", srcKey->ptr, srcKey->len, c->db->id);
    }
    if (!dst) {
        Set d = setNewFor(ele->ptr, ele->len);
        dst = addSetKey(c->db, dstKey, &d);
    }
    signalChanges(c->db, srcKey, 1);
    Set d = setOf(dst);
    bool added = setAdd(&d, ele->ptr, ele->len);
    setStore(dst, &d);
    if (added) {
        signalChanges(c->db, dstKey, 1);
        notifyKeyspaceEvent(NOTIFY_SET, "sadd", dstKey->ptr, dstKey->len, c->db->id);
    }
    addReplyLongLong(c, 1);
}

void sismemberCommand(Client *c) {
    Object *o;
    if (!lookupSet(c, &c->argv[1], false, &o)) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    Set s = setOf(o);
    addReplyLongLong(c, setIsMember(&s, c->argv[2].ptr, c->argv[2].len) ? 1 : 0);
}

void smismemberCommand(Client *c) {
    Object *o;
    if (!lookupSet(c, &c->argv[1], false, &o)) return;
    addReplyArrayLen(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        bool in = false;
        if (o) {
            Set s = setOf(o);
            in = setIsMember(&s, c->argv[j].ptr, c->argv[j].len);
        }
        addReplyLongLong(c, in ? 1 : 0);
    }
}

void scardCommand(Client *c) {
    Object *o;
    if (!lookupSet(c, &c->argv[1], false, &o)) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    Set s = setOf(o);
    addReplyLongLong(c, (long long)setSize(&s));
}

/* ------------------------------------------------------------------------
 * SINTER SINTERCARD SINTERSTORE SMEMBERS
 * ---------------------------------------------------------------------- */

typedef struct SetRef {
    Object *o; /* NULL for a missing key */
    Set s;
    size_t size;
    int index; /* position among the arguments, for a stable sort */
} SetRef;

static int compareBySize(const void *a, const void *b) {
    const SetRef *x = a, *y = b;
    if (x->size != y->size) return x->size < y->size ? -1 : 1;
    return x->index - y->index;
}

/* Looks up `n` keys as Redis does for the multi-key commands: every key is
 * looked up (a read lookup each) and type-checked, also after a missing
 * one. Returns NULL after replying WRONGTYPE; *missing counts the missing
 * keys. Free the array with kvFree. */
static SetRef *lookupSets(Client *c, const Arg *keys, int n, int *missing) {
    SetRef *refs = kvMalloc((size_t)n * sizeof(SetRef));
    *missing = 0;
    for (int j = 0; j < n; j++) {
        Object *o;
        if (!lookupSet(c, &keys[j], false, &o)) {
            kvFree(refs);
            return NULL;
        }
        refs[j].o = o;
        refs[j].index = j;
        if (o) {
            refs[j].s = setOf(o);
            refs[j].size = setSize(&refs[j].s);
        } else {
            refs[j].s = (Set){OBJ_ENC_INTSET, NULL};
            refs[j].size = 0;
            (*missing)++;
        }
    }
    return refs;
}

/* Stores `result` under dstKey (taking ownership) and replies its size, or
 * deletes dstKey and replies 0 when it is empty — the tail of every *STORE
 * command. The new key has no expire time, as with SET. */
static void storeResult(Client *c, const Arg *dstKey, Set *result, const char *event) {
    size_t size = setSize(result);
    if (size > 0) {
        Object *o = objNewPtr(dstKey->ptr, dstKey->len, OBJ_SET, result->encoding, result->ptr, -1);
        result->ptr = NULL;
        dbSetKey(c->db, o);
        addReplyLongLong(c, (long long)size);
        dbSignalModified(c->db, dstKey->ptr, dstKey->len);
        notifyKeyspaceEvent(NOTIFY_SET, event, dstKey->ptr, dstKey->len, c->db->id);
    } else {
        setFree(result);
        addReplyLongLong(c, 0);
        if (dbDelete(c->db, dstKey->ptr, dstKey->len)) {
            dbSignalModified(c->db, dstKey->ptr, dstKey->len);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstKey->ptr, dstKey->len, c->db->id);
        }
    }
}

/* The intersection of the sets at keys[0..n): replied as a set, stored at
 * dstKey, or counted (up to limit, 0 = no limit) with cardinalityOnly. */
static void sinterGeneric(Client *c, const Arg *keys, int n, const Arg *dstKey,
                          bool cardinalityOnly, unsigned long long limit) {
    int missing;
    SetRef *sets = lookupSets(c, keys, n, &missing);
    if (!sets) return;

    if (missing > 0) {
        kvFree(sets);
        if (dstKey) {
            if (dbDelete(c->db, dstKey->ptr, dstKey->len)) {
                dbSignalModified(c->db, dstKey->ptr, dstKey->len);
                notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstKey->ptr, dstKey->len, c->db->id);
            }
            addReplyLongLong(c, 0);
        } else if (cardinalityOnly) {
            addReplyLongLong(c, 0);
        } else {
            addReplySetLen(c, 0);
        }
        return;
    }

    /* Walk the smallest set and probe the others. */
    qsort(sets, (size_t)n, sizeof(SetRef), compareBySize);
    Set result = {OBJ_ENC_INTSET, NULL};
    size_t handle = 0;
    if (dstKey)
        result = setNewIntset();
    else if (!cardinalityOnly)
        handle = addReplyDeferredLen(c);

    unsigned long long cardinality = 0;
    SetIter it;
    SetElem e;
    setIterInit(&it, &sets[0].s);
    while (setIterNext(&it, &e)) {
        int j;
        for (j = 1; j < n; j++) {
            if (sets[j].o == sets[0].o) continue;
            if (!setIsMemberElem(&sets[j].s, &e)) break;
        }
        if (j < n) continue;
        if (cardinalityOnly) {
            cardinality++;
            if (limit && cardinality >= limit) break;
        } else if (dstKey) {
            setAddElem(&result, &e);
        } else {
            if (replyAbortCheck(c, cardinality)) break;
            replyElem(c, &e);
            cardinality++;
        }
    }
    setIterRelease(&it);
    kvFree(sets);

    if (cardinalityOnly)
        addReplyLongLong(c, (long long)cardinality);
    else if (dstKey)
        storeResult(c, dstKey, &result, "sinterstore");
    else
        setDeferredSetLen(c, handle, (long long)cardinality);
}

void sinterCommand(Client *c) {
    sinterGeneric(c, &c->argv[1], c->argc - 1, NULL, false, 0);
}

/* Redis 7.0 runs SMEMBERS as SINTER of one key. */
void smembersCommand(Client *c) {
    sinterGeneric(c, &c->argv[1], 1, NULL, false, 0);
}

void sinterstoreCommand(Client *c) {
    sinterGeneric(c, &c->argv[2], c->argc - 2, &c->argv[1], false, 0);
}

/* Parses a long the way Redis's getLongFromObjectOrReply does and checks
 * [min, max]; replies `msg` (or the generic errors when msg is NULL) on a
 * bad value. */
static bool argToRangeOrReply(Client *c, const Arg *a, long long min, long long max, long long *out,
                              const char *msg) {
    long long v;
    if (!strToLongLong(a->ptr, a->len, &v)) {
        addReplyError(c, msg ? msg : errNotInteger);
        return false;
    }
    if (v < min || v > max) {
        if (msg)
            addReplyError(c, msg);
        else
            addReplyErrorFormat(c, "ERR value is out of range, value must between %lld and %lld",
                                min, max);
        return false;
    }
    *out = v;
    return true;
}

void sintercardCommand(Client *c) {
    long long numkeys, limit = 0;
    if (!argToRangeOrReply(c, &c->argv[1], 1, LLONG_MAX, &numkeys,
                           "ERR numkeys should be greater than 0"))
        return;
    if (numkeys > c->argc - 2) {
        addReplyError(c, "ERR Number of keys can't be greater than number of args");
        return;
    }
    for (long long j = 2 + numkeys; j < c->argc; j++) {
        bool moreArgs = j < c->argc - 1;
        if (argIs(&c->argv[j], "limit") && moreArgs) {
            j++;
            if (!argToRangeOrReply(c, &c->argv[j], 0, LLONG_MAX, &limit,
                                   "ERR LIMIT can't be negative"))
                return;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    sinterGeneric(c, &c->argv[2], (int)numkeys, NULL, true, (unsigned long long)limit);
}

/* SINTERCARD's key positions, as Redis 7.0 finds them: its keynum spec
 * (numkeys at 1, keys from 2) and, when that spec does not fit the call
 * (numkeys not a strict integer, zero, or past the end), the fallback that
 * reads numkeys with atoi() and gives no key unless 1 ≤ numkeys ≤ argc-2.
 * Both agree whenever the spec fits, so the atoi reading alone decides. */
int sintercardGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    if (argc < 2) return 0;
    char *s = kvStrndup(argv[1].ptr, argv[1].len);
    int num = atoi(s);
    kvFree(s);
    if (num < 1 || num > argc - 2) return 0;
    for (int i = 0; i < num && i < maxKeys; i++) keys[i] = 2 + i;
    return num;
}

/* ------------------------------------------------------------------------
 * SUNION SUNIONSTORE SDIFF SDIFFSTORE
 * ---------------------------------------------------------------------- */

typedef enum { SET_OP_UNION, SET_OP_DIFF } SetOp;

static int compareByRevSize(const void *a, const void *b) {
    const SetRef *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return x->index - y->index;
}

/* Computes the union or difference of sets[0..n) into a new set (starting
 * as an intset, as Redis's temporary set does). */
static Set unionDiff(SetRef *sets, int n, SetOp op) {
    Set dst = setNewIntset();
    SetIter it;
    SetElem e;
    bool sameSet = false;
    for (int j = 1; j < n; j++)
        if (sets[j].o == sets[0].o) sameSet = true;

    if (op == SET_OP_UNION) {
        for (int j = 0; j < n; j++) {
            if (!sets[j].o) continue;
            setIterInit(&it, &sets[j].s);
            while (setIterNext(&it, &e)) setAddElem(&dst, &e);
            setIterRelease(&it);
        }
        return dst;
    }
    if (!sets[0].o || sameSet) return dst;

    /* Redis's choice between its two DIFF algorithms: 1 probes every member
     * of the first set in the others, 2 copies the first set and removes
     * the others' members. They leave different encodings behind (2 may
     * convert on the way), so the choice must be the same. */
    long long algoOne = 0, algoTwo = 0;
    for (int j = 0; j < n; j++) {
        if (!sets[j].o) continue;
        algoOne += (long long)sets[0].size;
        algoTwo += (long long)sets[j].size;
    }
    algoOne /= 2;
    if (algoOne <= algoTwo) {
        /* Largest first: a member is more likely to be found early. */
        if (n > 1) qsort(sets + 1, (size_t)n - 1, sizeof(SetRef), compareByRevSize);
        setIterInit(&it, &sets[0].s);
        while (setIterNext(&it, &e)) {
            int j;
            for (j = 1; j < n; j++) {
                if (!sets[j].o) continue;
                if (sets[j].o == sets[0].o) break;
                if (setIsMemberElem(&sets[j].s, &e)) break;
            }
            if (j == n) setAddElem(&dst, &e);
        }
        setIterRelease(&it);
    } else {
        for (int j = 0; j < n; j++) {
            if (!sets[j].o) continue;
            setIterInit(&it, &sets[j].s);
            while (setIterNext(&it, &e)) {
                if (j == 0)
                    setAddElem(&dst, &e);
                else
                    setRemoveElem(&dst, &e);
            }
            setIterRelease(&it);
            if (setSize(&dst) == 0) break;
        }
    }
    return dst;
}

static void sunionDiffGeneric(Client *c, const Arg *keys, int n, const Arg *dstKey, SetOp op) {
    int missing;
    SetRef *sets = lookupSets(c, keys, n, &missing);
    if (!sets) return;
    Set result = unionDiff(sets, n, op);
    kvFree(sets);
    if (dstKey) {
        storeResult(c, dstKey, &result, op == SET_OP_UNION ? "sunionstore" : "sdiffstore");
        return;
    }
    addReplySetLen(c, (long long)setSize(&result));
    replyMembers(c, &result);
    setFree(&result);
}

void sunionCommand(Client *c) {
    sunionDiffGeneric(c, &c->argv[1], c->argc - 1, NULL, SET_OP_UNION);
}

void sunionstoreCommand(Client *c) {
    sunionDiffGeneric(c, &c->argv[2], c->argc - 2, &c->argv[1], SET_OP_UNION);
}

void sdiffCommand(Client *c) {
    sunionDiffGeneric(c, &c->argv[1], c->argc - 1, NULL, SET_OP_DIFF);
}

void sdiffstoreCommand(Client *c) {
    sunionDiffGeneric(c, &c->argv[2], c->argc - 2, &c->argv[1], SET_OP_DIFF);
}

/* ------------------------------------------------------------------------
 * SPOP SRANDMEMBER
 * ---------------------------------------------------------------------- */

/* SPOP propagates as one SREM per member popped (Redis 7.0), or as DEL
 * when the whole set goes. */
static void propagateSrem(Client *c, const Arg *key, const SetElem *e) {
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = setElemBytes(e, buf, &len);
    Arg argv[3] = {{"SREM", 4}, *key, {(char *)p, len}};
    propagateReplace(c, 3, argv);
}

static void propagateDel(Client *c, const Arg *key) {
    Arg argv[2] = {{"DEL", 3}, *key};
    propagateReplace(c, 2, argv);
}

static void spopWithCount(Client *c) {
    const Arg *key = &c->argv[1];
    long long l;
    if (!argToRangeOrReply(c, &c->argv[2], 0, LLONG_MAX, &l,
                           "ERR value is out of range, must be positive"))
        return;
    unsigned long long count = (unsigned long long)l;
    Object *o;
    if (!lookupSet(c, key, true, &o)) return;
    if (!o || count == 0) {
        addReplySetLen(c, 0);
        return;
    }
    Set s = setOf(o);
    size_t size = setSize(&s);

    /* Popping everything: Redis replies through its SUNION code (which
     * looks the key up once more as a read) and deletes the key. */
    if (count >= size) {
        sunionDiffGeneric(c, key, 1, NULL, SET_OP_UNION);
        dbDelete(c->db, key->ptr, key->len);
        signalChanges(c->db, key, size);
        notifyKeyspaceEvent(NOTIFY_SET, "spop", key->ptr, key->len, c->db->id);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
        propagateDel(c, key);
        return;
    }

    addReplySetLen(c, (long long)count);
    size_t remaining = size - count;
    SetElem e;
    char buf[LONG_STR_SIZE];
    if ((unsigned long long)remaining * SPOP_MOVE_STRATEGY_MUL > count) {
        /* Few to pop: pick and remove them one by one. */
        for (unsigned long long i = 0; i < count; i++) {
            setRandomElem(&s, &e);
            replyElem(c, &e);
            propagateSrem(c, key, &e);
            if (e.isInt) {
                setRemoveElem(&s, &e);
            } else {
                /* e.p points into the member about to be freed. */
                dstr copy = dstrNewLen(e.p, e.len);
                setRemove(&s, copy, dstrLen(copy));
                dstrFree(copy);
            }
        }
        setStore(o, &s);
    } else {
        /* Most of the set goes: move the members that stay to a new set
         * (created for its first member, so it may be an intset again),
         * then reply what is left in the old one. */
        Set kept = {OBJ_ENC_INTSET, NULL};
        for (size_t i = 0; i < remaining; i++) {
            setRandomElem(&s, &e);
            size_t len;
            const char *p = setElemBytes(&e, buf, &len);
            dstr copy = dstrNewLen(p, len);
            if (!kept.ptr) kept = setNewFor(copy, dstrLen(copy));
            setAdd(&kept, copy, dstrLen(copy));
            setRemove(&s, copy, dstrLen(copy));
            dstrFree(copy);
        }
        replyMembers(c, &s);
        SetIter it;
        setIterInit(&it, &s);
        while (setIterNext(&it, &e)) propagateSrem(c, key, &e);
        setIterRelease(&it);
        setFree(&s);
        setStore(o, &kept);
    }
    signalChanges(c->db, key, count);
    notifyKeyspaceEvent(NOTIFY_SET, "spop", key->ptr, key->len, c->db->id);
}

void spopCommand(Client *c) {
    if (c->argc == 3) {
        spopWithCount(c);
        return;
    }
    if (c->argc > 3) {
        addReplyError(c, errSyntax);
        return;
    }
    const Arg *key = &c->argv[1];
    Object *o;
    if (!lookupSet(c, key, true, &o)) return;
    if (!o) {
        addReplyNull(c);
        return;
    }
    Set s = setOf(o);
    SetElem e;
    setRandomElem(&s, &e);
    replyElem(c, &e);
    propagateSrem(c, key, &e);
    if (e.isInt) {
        setRemoveElem(&s, &e);
    } else {
        dstr copy = dstrNewLen(e.p, e.len);
        setRemove(&s, copy, dstrLen(copy));
        dstrFree(copy);
    }
    setStore(o, &s);
    notifyKeyspaceEvent(NOTIFY_SET, "spop", key->ptr, key->len, c->db->id);
    if (setSize(&s) == 0) {
        dbDelete(c->db, key->ptr, key->len);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
    }
    signalChanges(c->db, key, 1);
}

static void srandmemberWithCount(Client *c) {
    long long l;
    /* Redis refuses only LLONG_MIN, whose negation does not exist; any
     * other count is served, streamed element by element (a negative one of
     * 2^31 really sends 2^31 elements). */
    if (!argToRangeOrReply(c, &c->argv[2], -LLONG_MAX, LLONG_MAX, &l, NULL)) return;
    bool unique = l >= 0;
    unsigned long long count = unique ? (unsigned long long)l : (unsigned long long)-l;

    Object *o;
    if (!lookupSet(c, &c->argv[1], false, &o)) return;
    if (!o || count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    Set s = setOf(o);
    size_t size = setSize(&s);
    SetElem e;

    /* Repeats allowed (or a single one): independent picks. */
    if (!unique || count == 1) {
        addReplyArrayLen(c, (long long)count);
        while (count--) {
            if (replyAbortCheck(c, count)) break; /* the client is gone */
            setRandomElem(&s, &e);
            replyElem(c, &e);
        }
        return;
    }
    /* Everything: the whole set in iteration order. */
    if (count >= size) {
        addReplyArrayLen(c, (long long)size);
        replyMembers(c, &s);
        return;
    }
    addReplyArrayLen(c, (long long)count);
    if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
        /* Close to the size: list all, drop random ones down to count. */
        SetElem *all = kvMalloc(size * sizeof(SetElem));
        size_t n = 0;
        SetIter it;
        setIterInit(&it, &s);
        while (setIterNext(&it, &e)) all[n++] = e;
        setIterRelease(&it);
        while (n > count) {
            size_t victim = (size_t)random() % n;
            all[victim] = all[--n];
        }
        for (size_t i = 0; i < n; i++) replyElem(c, &all[i]);
        kvFree(all);
        return;
    }
    /* Much smaller than the size: random picks, duplicates skipped. */
    Set picked = setNewHashtable((size_t)count);
    char buf[LONG_STR_SIZE];
    while (dictSize(picked.ptr) < count) {
        setRandomElem(&s, &e);
        size_t len;
        const char *p = setElemBytes(&e, buf, &len);
        htAdd(picked.ptr, p, len);
    }
    replyMembers(c, &picked);
    setFree(&picked);
}

void srandmemberCommand(Client *c) {
    if (c->argc == 3) {
        srandmemberWithCount(c);
        return;
    }
    if (c->argc > 3) {
        addReplyError(c, errSyntax);
        return;
    }
    Object *o;
    if (!lookupSet(c, &c->argv[1], false, &o)) return;
    if (!o) {
        addReplyNull(c);
        return;
    }
    Set s = setOf(o);
    SetElem e;
    setRandomElem(&s, &e);
    replyElem(c, &e);
}

/* ------------------------------------------------------------------------
 * SSCAN
 * ---------------------------------------------------------------------- */

void sscanCommand(Client *c) {
    unsigned long cursor;
    if (!scanParseCursorOrReply(c, &c->argv[2], &cursor)) return;
    Object *o;
    if (!lookupSet(c, &c->argv[1], false, &o)) return;
    if (!o) {
        replyEmptyScan(c);
        return;
    }
    ScanOptions opt;
    if (!scanParseOptionsOrReply(c, 3, false, &opt)) return;
    Set s = setOf(o);

    if (s.encoding == OBJ_ENC_INTSET) {
        /* A small encoding is returned whole in one call (cursor 0). */
        size_t handle;
        long long n = 0;
        char buf[LONG_STR_SIZE];
        addReplyArrayLen(c, 2);
        addReplyBulk(c, "0", 1);
        handle = addReplyDeferredLen(c);
        SetIter it;
        SetElem e;
        setIterInit(&it, &s);
        while (setIterNext(&it, &e)) {
            size_t len;
            const char *p = setElemBytes(&e, buf, &len);
            if (!scanMatches(&opt, p, len)) continue;
            addReplyBulk(c, p, len);
            n++;
        }
        setIterRelease(&it);
        setDeferredArrayLen(c, handle, n);
        return;
    }

    ScanBatch batch = {NULL, 0, 0};
    cursor = scanDict(s.ptr, cursor, opt.count, &batch);

    size_t kept = 0;
    for (size_t i = 0; i < batch.len; i++) {
        size_t len;
        const char *p = memberKey(batch.items[i], &len);
        if (!scanMatches(&opt, p, len)) continue;
        batch.items[kept++] = batch.items[i];
    }
    scanReplyCursor(c, cursor);
    addReplyArrayLen(c, (long long)kept);
    for (size_t i = 0; i < kept; i++) {
        size_t len;
        const char *p = memberKey(batch.items[i], &len);
        addReplyBulk(c, p, len);
    }
    scanBatchFree(&batch);
}
