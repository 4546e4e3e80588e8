/* keyspace.c — the generic key commands, whatever the value's type: DEL,
 * UNLINK, EXISTS, TYPE, RENAME, RENAMENX, KEYS, SCAN, RANDOMKEY, TOUCH, COPY,
 * MOVE, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL and the OBJECT subcommands.
 *
 * Everything here goes through the keyspace API of db.h (lazy expiry,
 * add/unlink/delete, dbSignalModified after each change). Replies and error
 * texts follow Redis 7.0 byte for byte; where Redis 7.0 behaves oddly we do
 * the same and say so beside the code.
 *
 * Key lookups and statistics: Redis distinguishes read lookups (count a
 * keyspace hit or miss and update the access clock), read lookups that count
 * but leave the clock alone (EXISTS, TYPE, OBJECT: LOOKUP_NOTOUCH) and write
 * lookups (update the clock, count nothing). db.h offers read, write and
 * no-touch lookups; lookupReadNoTouch() below adds the hit/miss counting to
 * the no-touch one.
 */
#include "commands.h"

#include "client.h"
#include "command.h"
#include "config.h"
#include "db.h"
#include "globmatch.h"
#include "mem.h"
#include "notify.h"
#include "numconv.h"
#include "object.h"
#include "rdb.h"
#include "reply.h"
#include "scan.h"
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- helpers ---- */

/* A read lookup that counts keyspace hits/misses but leaves the access clock
 * alone (Redis's LOOKUP_NOTOUCH); a miss publishes "keymiss" unless
 * `silent` (Redis's LOOKUP_NONOTIFY, used by OBJECT). Borrowed pointer, NULL
 * when missing. */
static Object *lookupReadNoTouchGeneric(Db *db, const Arg *key, bool silent) {
    Object *o = dbLookupNoTouch(db, key->ptr, key->len);
    if (o) {
        stats.keyspaceHits++;
    } else {
        stats.keyspaceMisses++;
        if (!silent) notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", key->ptr, key->len, db->id);
    }
    return o;
}

static Object *lookupReadNoTouch(Db *db, const Arg *key) {
    return lookupReadNoTouchGeneric(db, key, false);
}

static bool argEqual(const Arg *a, const Arg *b) {
    return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
}

/* Parses an integer argument that must fit an int (Redis's
 * getIntFromObjectOrReply). On failure replies `err` when given, else the
 * not-an-integer error or, for an integer outside int's range, Redis's
 * range error; returns false then. */
static bool getIntOrReply(Client *c, const Arg *a, int *out, const char *err) {
    long long v;
    if (!strToLongLong(a->ptr, a->len, &v)) {
        addReplyError(c, err ? err : errNotInteger);
        return false;
    }
    if (v < INT_MIN || v > INT_MAX) {
        addReplyError(c, err ? err
                             : "ERR value is out of range, value must between -2147483648 and "
                               "2147483647");
        return false;
    }
    *out = (int)v;
    return true;
}

/* Parses a database index: not an integer → the integer error, out of range
 * → "ERR DB index is out of range". Returns the Db or NULL after replying. */
static Db *getDbOrReply(Client *c, const Arg *a) {
    int id;
    if (!getIntOrReply(c, a, &id, NULL)) return NULL;
    Db *db = dbGet(id);
    if (!db) addReplyError(c, errDbIndex);
    return db;
}

/* The same key and value under a new key name, without copying the value:
 * the value part moves to the new Object and `o` (already unlinked from its
 * db) is freed. Expire time and access clock carry over. Used by RENAME, which
 * must stay O(1) whatever the value's size (objDupWithKey deep-copies). */
static Object *objRekey(Object *o, const char *key, size_t klen) {
    long long expire = objGetExpire(o);
    Object *n;
    if (o->type == OBJ_STRING && o->encoding == OBJ_ENC_INT) {
        n = objNewStringInt(key, klen, objInt(o), expire);
    } else if (o->type == OBJ_STRING && o->encoding == OBJ_ENC_EMBSTR) {
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *bytes = objStringBytes(o, buf, &len);
        n = objNewString(key, klen, bytes, len, false, expire);
    } else if (o->type == OBJ_STRING) {
        n = objNewStringRaw(key, klen, objPtr(o), expire);
    } else {
        n = objNewPtr(key, klen, (int)o->type, (int)o->encoding, objPtr(o), expire);
    }
    n->lru = o->lru;
    objFreeShell(o);
    return n;
}

/* ---- DEL UNLINK EXISTS TYPE TOUCH ---- */

/* DEL and UNLINK: UNLINK leaves big values to the lazy free thread, DEL
 * too under lazyfree-lazy-user-del (lazyfree.h). */
static void delGenericCommand(Client *c, bool lazy) {
    long long deleted = 0;
    for (int j = 1; j < c->argc; j++) {
        const Arg *k = &c->argv[j];
        /* Lazy expiry first: an expired key counts as expired, not deleted. */
        if (!dbLookupNoTouch(c->db, k->ptr, k->len)) continue;
        if (dbDeleteLazy(c->db, k->ptr, k->len, lazy)) {
            dbSignalModified(c->db, k->ptr, k->len);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", k->ptr, k->len, c->db->id);
            deleted++;
        }
    }
    addReplyLongLong(c, deleted);
}

void delCommand(Client *c) {
    delGenericCommand(c, config.lazyfreeLazyUserDel);
}

void unlinkCommand(Client *c) {
    delGenericCommand(c, true);
}

void existsCommand(Client *c) {
    long long count = 0;
    /* A key named twice counts twice, as in Redis. */
    for (int j = 1; j < c->argc; j++)
        if (lookupReadNoTouch(c->db, &c->argv[j])) count++;
    addReplyLongLong(c, count);
}

void typeCommand(Client *c) {
    Object *o = lookupReadNoTouch(c->db, &c->argv[1]);
    addReplySimple(c, o ? objTypeName((int)o->type) : "none");
}

void touchCommand(Client *c) {
    long long touched = 0;
    for (int j = 1; j < c->argc; j++)
        if (dbLookupRead(c->db, c->argv[j].ptr, c->argv[j].len)) touched++;
    addReplyLongLong(c, touched);
}

/* ---- RENAME RENAMENX ---- */

static void renameGenericCommand(Client *c, bool nx) {
    const Arg *src = &c->argv[1], *dst = &c->argv[2];
    Db *db = c->db;
    if (!dbLookupWrite(db, src->ptr, src->len)) {
        addReplyError(c, errNoSuchKey);
        return;
    }
    /* Renaming a key to itself: OK for RENAME, 0 for RENAMENX (Redis 7.0
     * checks existence first, so a missing key is still "no such key"). */
    if (argEqual(src, dst)) {
        if (nx)
            addReplyLongLong(c, 0);
        else
            addReplyOk(c);
        return;
    }
    if (dbLookupWrite(db, dst->ptr, dst->len)) {
        if (nx) {
            addReplyLongLong(c, 0);
            return;
        }
        dbDelete(db, dst->ptr, dst->len);
    }
    Object *o = dbUnlink(db, src->ptr, src->len);
    dbAdd(db, objRekey(o, dst->ptr, dst->len)); /* keeps the TTL */
    dbSignalModified(db, src->ptr, src->len);
    dbSignalModified(db, dst->ptr, dst->len);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_from", src->ptr, src->len, db->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_to", dst->ptr, dst->len, db->id);
    /* Redis counts a rename as one change (dirty++), though two keys were
     * signalled. */
    stats.dirty--;
    if (nx)
        addReplyLongLong(c, 1);
    else
        addReplyOk(c);
}

void renameCommand(Client *c) {
    renameGenericCommand(c, false);
}

void renamenxCommand(Client *c) {
    renameGenericCommand(c, true);
}

/* ---- KEYS SCAN RANDOMKEY DBSIZE ---- */

void keysCommand(Client *c) {
    const Arg *pat = &c->argv[1];
    /* "*" is special-cased: the matcher does not match "" with "*". */
    bool allkeys = pat->len == 1 && pat->ptr[0] == '*';
    size_t handle = addReplyDeferredLen(c);
    long long n = 0;
    unsigned long long visited = 0;
    DictIter it;
    dictIterInit(&it, c->db->keys, true);
    DictLink *l;
    while ((l = dictIterNext(&it)) != NULL) {
        if (replyAbortCheck(c, visited++)) break; /* killed or over its limits */
        Object *o = (Object *)l;
        if (!allkeys && !globMatch(pat->ptr, pat->len, objKey(o), objKeyLen(o), false)) continue;
        /* Expired keys are skipped but not deleted (Redis 7.0 does the same:
         * KEYS never modifies the keyspace). */
        if (dbIsExpired(o)) continue;
        addReplyBulk(c, objKey(o), objKeyLen(o));
        n++;
    }
    dictIterRelease(&it);
    setDeferredArrayLen(c, handle, n);
}

/* strcasecmp of an argument with a NUL-terminated name, where the argument
 * is read as a C string (stops at an embedded NUL, as Redis does). */
static bool argCaseEqualCString(const Arg *a, const char *name) {
    size_t alen = strnlen(a->ptr, a->len);
    return strlen(name) == alen && strncasecmp(a->ptr, name, alen) == 0;
}

void scanCommand(Client *c) {
    unsigned long cursor;
    ScanOptions opt;
    if (!scanParseCursorOrReply(c, &c->argv[1], &cursor)) return;
    if (!scanParseOptionsOrReply(c, 2, true, &opt)) return;
    const Arg *typeName = opt.typeName;
    ScanBatch batch = {NULL, 0, 0};
    cursor = scanDict(c->db->keys, cursor, opt.count, &batch);

    scanReplyCursor(c, cursor);
    size_t handle = addReplyDeferredLen(c);
    long long replied = 0;
    /* Filter and reply. Deleting an expired key frees only that Object; the
     * other collected pointers stay valid. */
    for (size_t i = 0; i < batch.len; i++) {
        Object *o = (Object *)batch.items[i];
        if (!scanMatches(&opt, objKey(o), objKeyLen(o))) continue;
        if (typeName && dbIsExpired(o)) {
            /* Redis looks the key up for its type, which deletes an expired
             * key (a keyspace miss) and reads as "none". Redis 7.0 quirk:
             * with TYPE none the deleted key's name is then returned. */
            stats.keyspaceMisses++;
            if (argCaseEqualCString(typeName, "none")) {
                addReplyBulk(c, objKey(o), objKeyLen(o));
                replied++;
            }
            dbExpireIfNeeded(c->db, o);
            continue;
        }
        if (typeName) {
            stats.keyspaceHits++;
            if (!argCaseEqualCString(typeName, objTypeName((int)o->type))) continue;
        }
        if (dbExpireIfNeeded(c->db, o)) continue;
        addReplyBulk(c, objKey(o), objKeyLen(o));
        replied++;
    }
    setDeferredArrayLen(c, handle, replied);
    scanBatchFree(&batch);
}

void randomkeyCommand(Client *c) {
    Object *o = dbRandomKey(c->db);
    if (!o)
        addReplyNull(c);
    else
        addReplyBulk(c, objKey(o), objKeyLen(o));
}

void dbsizeCommand(Client *c) {
    /* Like Redis, keys that have expired but were not yet reclaimed count. */
    addReplyLongLong(c, (long long)dictSize(c->db->keys));
}

/* ---- COPY MOVE SWAPDB ---- */

void copyCommand(Client *c) {
    const Arg *src = &c->argv[1], *dst = &c->argv[2];
    Db *srcDb = c->db, *dstDb = c->db;
    bool replace = false;
    for (int j = 3; j < c->argc; j++) {
        bool more = j + 1 < c->argc;
        if (argIs(&c->argv[j], "replace")) {
            replace = true;
        } else if (argIs(&c->argv[j], "db") && more) {
            dstDb = getDbOrReply(c, &c->argv[j + 1]);
            if (!dstDb) return;
            j++;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    /* Checked before the source's existence, as Redis 7.0 does. */
    if (srcDb == dstDb && argEqual(src, dst)) {
        addReplyError(c, errSameObject);
        return;
    }
    Object *o = dbLookupRead(srcDb, src->ptr, src->len);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    /* dst is another key (or the same key in another db): looking it up or
     * deleting it leaves `o` valid. */
    if (dbLookupWrite(dstDb, dst->ptr, dst->len)) {
        if (!replace) {
            addReplyLongLong(c, 0);
            return;
        }
        dbDelete(dstDb, dst->ptr, dst->len);
    }
    dbAdd(dstDb, objDupWithKey(o, dst->ptr, dst->len)); /* keeps the TTL */
    dbSignalModified(dstDb, dst->ptr, dst->len);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "copy_to", dst->ptr, dst->len, dstDb->id);
    addReplyLongLong(c, 1);
}

void moveCommand(Client *c) {
    const Arg *key = &c->argv[1];
    Db *src = c->db;
    Db *dst = getDbOrReply(c, &c->argv[2]);
    if (!dst) return;
    if (src == dst) {
        addReplyError(c, errSameObject);
        return;
    }
    if (!dbLookupWrite(src, key->ptr, key->len)) {
        addReplyLongLong(c, 0);
        return;
    }
    if (dbLookupWrite(dst, key->ptr, key->len)) {
        addReplyLongLong(c, 0);
        return;
    }
    Object *o = dbUnlink(src, key->ptr, key->len);
    dbAdd(dst, o); /* the Object carries its expire time */
    dbSignalModified(src, key->ptr, key->len);
    dbSignalModified(dst, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "move_from", key->ptr, key->len, src->id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "move_to", key->ptr, key->len, dst->id);
    stats.dirty--; /* Redis counts a move as one change */
    addReplyLongLong(c, 1);
}

void swapdbCommand(Client *c) {
    int a, b;
    if (!getIntOrReply(c, &c->argv[1], &a, "ERR invalid first DB index")) return;
    if (!getIntOrReply(c, &c->argv[2], &b, "ERR invalid second DB index")) return;
    if (!dbGet(a) || !dbGet(b)) {
        addReplyError(c, errDbIndex);
        return;
    }
    if (a != b) dbSwap(a, b);
    stats.dirty++; /* also when a == b, as Redis */
    addReplyOk(c);
}

/* ---- FLUSHDB FLUSHALL ---- */

/* Accepts no argument, SYNC or ASYNC; sets *lazy: ASYNC frees the old
 * data on the lazy free thread, no argument follows
 * lazyfree-lazy-user-flush (Redis 7.0). Returns false after replying. */
static bool flushArgsOrReply(Client *c, bool *lazy) {
    if (c->argc > 2 ||
        (c->argc == 2 && !argIs(&c->argv[1], "sync") && !argIs(&c->argv[1], "async"))) {
        addReplyError(c, errSyntax);
        return false;
    }
    *lazy = c->argc == 2 ? argIs(&c->argv[1], "async") : config.lazyfreeLazyUserFlush;
    return true;
}

void flushdbCommand(Client *c) {
    bool lazy;
    if (!flushArgsOrReply(c, &lazy)) return;
    stats.dirty += dbEmptyLazy(c->db, lazy);
    addReplyOk(c);
}

void flushallCommand(Client *c) {
    bool lazy;
    if (!flushArgsOrReply(c, &lazy)) return;
    stats.dirty += dbEmptyAllLazy(lazy);
    /* As Redis 7.0: a running BGSAVE is killed and, with save points
     * configured, the empty dataset is saved at once. */
    rdbKillChild();
    if (rdbHasSavePoints()) rdbSave(config.dbfilename);
    addReplyOk(c);
}

/* ---- OBJECT ---- */

static bool policyIsLruOrLfu(void) {
    return dbPolicyIsLfu() || config.maxmemoryPolicy == MAXMEMORY_VOLATILE_LRU ||
           config.maxmemoryPolicy == MAXMEMORY_ALLKEYS_LRU;
}

/* The key of an OBJECT subcommand; replies null when missing. */
static Object *objectLookupOrReply(Client *c) {
    Object *o = lookupReadNoTouchGeneric(c->db, &c->argv[2], true);
    if (!o) addReplyNull(c);
    return o;
}

void objectEncodingCommand(Client *c) {
    Object *o = objectLookupOrReply(c);
    if (o) addReplyBulkCString(c, objEncodingName((int)o->encoding));
}

void objectRefcountCommand(Client *c) {
    Object *o = objectLookupOrReply(c);
    if (!o) return;
    /* Redis shares the integer objects 0..9999 (refcount INT_MAX) unless an
     * LRU/LFU policy needs a clock per key; kvd stores every value inline,
     * so we report what Redis would. */
    bool shared = o->type == OBJ_STRING && o->encoding == OBJ_ENC_INT && !o->unsharedInt &&
                  objInt(o) >= 0 && objInt(o) < OBJ_SHARED_INTEGERS &&
                  (config.maxmemory == 0 || !policyIsLruOrLfu());
    addReplyLongLong(c, shared ? OBJ_SHARED_REFCOUNT : 1);
}

void objectIdletimeCommand(Client *c) {
    Object *o = objectLookupOrReply(c);
    if (!o) return;
    if (dbPolicyIsLfu()) {
        addReplyError(c, "ERR An LFU maxmemory policy is selected, idle time not tracked. Please "
                         "note that when switching between policies at runtime LRU and LFU data "
                         "will take some time to adjust.");
        return;
    }
    addReplyLongLong(c, serverEstimateIdleMs(o->lru) / 1000);
}

void objectFreqCommand(Client *c) {
    Object *o = objectLookupOrReply(c);
    if (!o) return;
    if (!dbPolicyIsLfu()) {
        addReplyError(c, "ERR An LFU maxmemory policy is not selected, access frequency not "
                         "tracked. Please note that when switching between policies at runtime "
                         "LRU and LFU data will take some time to adjust.");
        return;
    }
    addReplyLongLong(c, (long long)dbLfuDecayedCounter(o));
}

void objectHelpCommand(Client *c) {
    static const char *help[] = {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        NULL};
    addReplyHelp(c, help);
}
