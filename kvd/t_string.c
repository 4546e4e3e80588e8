/* t_string.c — the string commands of Redis 7.0: GET SET SETNX SETEX PSETEX
 * GETSET GETDEL GETEX MGET MSET MSETNX APPEND STRLEN GETRANGE/SUBSTR SETRANGE
 * INCR DECR INCRBY DECRBY INCRBYFLOAT LCS.
 *
 * Values are string Objects (object.h) in one of three encodings, chosen as
 * Redis chooses them so that OBJECT ENCODING answers the same:
 *   - "int"    SET/SETNX/SETEX/PSETEX/GETSET/MSET/MSETNX, APPEND creating a
 *              key, and the INCR family, when the value reads as a 64-bit
 *              integer under Redis's strict rules;
 *   - "embstr" other values of at most OBJ_EMBSTR_MAX (44) bytes, and every
 *              INCRBYFLOAT result that short;
 *   - "raw"    longer values, and anything APPEND or SETRANGE modified (even
 *              a short one), as Redis "unshares" a value before writing it.
 *
 * Hot path (GET, plain SET, MSET, INCR): one hash lookup, no allocation when
 * the key already holds a value of the same shape — an integer is rewritten
 * in place, an embstr of the same length is overwritten, a raw dstr with
 * room is reused (within the 10% slack Redis's trim rule leaves) — and one
 * allocation (the Object) otherwise.
 *
 * Every change to a key is followed by dbSignalModified(), which also counts
 * the change for `dirty`. Propagation to AOF/replicas (SET … EX as SET …
 * PXAT, GETEX as PEXPIREAT/PERSIST/DEL, INCRBYFLOAT as SET … KEEPTTL) is not
 * done here yet: there is no propagation sink in the core so far.
 */
#include "command.h"
#include "aof.h"
#include "propagate.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "mem.h"
#include "notify.h"
#include "numconv.h"
#include "object.h"
#include "reply.h"
#include "server.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Shared helpers
 * ---------------------------------------------------------------------- */

/* Replies the bytes of a string object as a bulk string. */
static void replyStringObject(Client *c, const Object *o) {
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = objStringBytes(o, buf, &len);
    addReplyBulk(c, p, len);
}

/* Redis's checkStringLength: a string about to become size + append bytes
 * must stay within proto-max-bulk-len (the overflow of the sum counts as
 * too long). Replies the error and returns false when it does not. */
static bool checkStringLength(Client *c, long long size, long long append) {
    long long total = (long long)((unsigned long long)size + (unsigned long long)append);
    if (total > config.protoMaxBulkLen || total < size || total < append) {
        addReplyError(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        return false;
    }
    return true;
}

/* "ERR invalid expire time in '<command>' command", named after the
 * command's table name as Redis does (not the name the client typed). */
static void replyInvalidExpire(Client *c) {
    addReplyErrorFormat(c, errInvalidExpire, c->cmd ? c->cmd->fullname : "set");
}

/* Option-name match as Redis 7.0 does it for SET/GETEX/LCS options: the
 * argument is compared as a C string, so bytes from the first NUL on are
 * ignored ("nx\0junk" is NX). A quirk, matched on purpose. */
static bool optIs(const Arg *a, const char *lit) {
    const char *nul = memchr(a->ptr, '\0', a->len);
    Arg head = {a->ptr, nul ? (size_t)(nul - a->ptr) : a->len};
    return argIs(&head, lit);
}

static bool argToLongLongOrReply(Client *c, const Arg *a, long long *out) {
    if (!strToLongLong(a->ptr, a->len, out)) {
        addReplyError(c, errNotInteger);
        return false;
    }
    return true;
}

/* The integer value of a string object (Redis getLongLongFromObject):
 * false when the bytes are not a strict 64-bit decimal. */
static bool objToLongLong(const Object *o, long long *out) {
    if (o->encoding == OBJ_ENC_INT) {
        *out = objInt(o);
        return true;
    }
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = objStringBytes(o, buf, &len);
    return strToLongLong(p, len, out);
}

/* Stores `val` under `key` with SET semantics: the encoding Redis's
 * tryObjectEncoding would pick, expire time `expire` (absolute ms, or -1
 * for none). `old` is the key's current object from dbLookupWrite (any
 * type) or NULL when the key is absent; it must not be used afterwards.
 * Overwrites `old` in place when the new value has the same shape and the
 * same expire time, so a repeated SET allocates nothing. Does not signal. */
static void stringStore(Db *db, Object *old, const Arg *key, const Arg *val, long long expire) {
    long long iv = 0;
    bool isInt = val->len <= 20 && strToLongLong(val->ptr, val->len, &iv);

    if (old && old->type == OBJ_STRING && objGetExpire(old) == expire) {
        if (isInt) {
            if (old->encoding == OBJ_ENC_INT) {
                objSetInt(old, iv);
                old->unsharedInt = 0;
                return;
            }
        } else if (val->len <= OBJ_EMBSTR_MAX) {
            char *p = objValuePart(old);
            if (old->encoding == OBJ_ENC_EMBSTR && (uint8_t)p[0] == val->len) {
                memcpy(p + 1, val->ptr, val->len);
                return;
            }
        } else if (old->encoding == OBJ_ENC_RAW) {
            /* Reuse only when the slack stays within what Redis keeps
             * (it trims a value whose free space exceeds a tenth of it). */
            dstr s = objPtr(old);
            size_t cap = dstrLen(s) + dstrAvail(s);
            if (cap >= val->len && cap - val->len <= val->len / 10) {
                memcpy(s, val->ptr, val->len);
                dstrSetLen(s, val->len);
                return;
            }
        }
    }

    Object *n = isInt ? objNewStringInt(key->ptr, key->len, iv, expire)
                      : objNewString(key->ptr, key->len, val->ptr, val->len, false, expire);
    if (old)
        dbSetKey(db, n);
    else
        dbAdd(db, n);
}

/* Turns `o` (a string object in db) into a RAW one whose dstr the caller may
 * modify, keeping its key and expire time: Redis's dbUnshareStringValue.
 * Returns the object now in the db (o itself when already RAW). */
static Object *stringUnshare(Db *db, Object *o) {
    if (o->encoding == OBJ_ENC_RAW) return o;
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = objStringBytes(o, buf, &len);
    Object *n = objNewStringRaw(objKey(o), objKeyLen(o), dstrNewLen(p, len), objGetExpire(o));
    n->lru = o->lru;
    dbReplaceObject(db, o, n, false);
    return n;
}

/* ------------------------------------------------------------------------
 * SET and its options
 * ---------------------------------------------------------------------- */

#define SET_NO_FLAGS 0
#define SET_NX       (1 << 0)
#define SET_XX       (1 << 1)
#define SET_GET      (1 << 2)
#define SET_KEEPTTL  (1 << 3)
#define SET_PERSIST  (1 << 4)
#define SET_EX       (1 << 5)
#define SET_PX       (1 << 6)
#define SET_EXAT     (1 << 7)
#define SET_PXAT     (1 << 8)

#define SET_ANY_EXPIRE (SET_EX | SET_PX | SET_EXAT | SET_PXAT)

enum { STRING_OPTS_SET, STRING_OPTS_GETEX };

/* Parses SET's (from argv[3]) or GETEX's (from argv[2]) options into *flags
 * and *expire (the time argument, borrowed from argv). Mirrors Redis 7.0's
 * rules exactly: NX/XX exclude each other, GET combines with anything,
 * KEEPTTL and PERSIST exclude every expire option, the expire options
 * exclude each other but may repeat (the last one wins), and an expire
 * option with no value after it is a syntax error. Replies
 * "ERR syntax error" and returns false on anything else. */
static bool parseStringOptions(Client *c, int kind, int *flags, const Arg **expire) {
    bool isSet = kind == STRING_OPTS_SET;
    for (int j = isSet ? 3 : 2; j < c->argc; j++) {
        const Arg *opt = &c->argv[j];
        const Arg *next = j + 1 < c->argc ? &c->argv[j + 1] : NULL;
        int f = *flags;

        if (isSet && optIs(opt, "nx") && !(f & SET_XX)) {
            *flags |= SET_NX;
        } else if (isSet && optIs(opt, "xx") && !(f & SET_NX)) {
            *flags |= SET_XX;
        } else if (isSet && optIs(opt, "get")) {
            *flags |= SET_GET;
        } else if (isSet && optIs(opt, "keepttl") && !(f & (SET_PERSIST | SET_ANY_EXPIRE))) {
            *flags |= SET_KEEPTTL;
        } else if (!isSet && optIs(opt, "persist") && !(f & (SET_KEEPTTL | SET_ANY_EXPIRE))) {
            *flags |= SET_PERSIST;
        } else if (next && optIs(opt, "ex") &&
                   !(f & (SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_EX)))) {
            *flags |= SET_EX;
            *expire = next;
            j++;
        } else if (next && optIs(opt, "px") &&
                   !(f & (SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_PX)))) {
            *flags |= SET_PX;
            *expire = next;
            j++;
        } else if (next && optIs(opt, "exat") &&
                   !(f & (SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_EXAT)))) {
            *flags |= SET_EXAT;
            *expire = next;
            j++;
        } else if (next && optIs(opt, "pxat") &&
                   !(f & (SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_PXAT)))) {
            *flags |= SET_PXAT;
            *expire = next;
            j++;
        } else {
            addReplyError(c, errSyntax);
            return false;
        }
    }
    return true;
}

/* Converts an expire argument to an absolute time in ms, as Redis 7.0's
 * getExpireMillisecondsOrReply: it must be an integer (else
 * errNotInteger), strictly positive, not overflow when seconds become ms,
 * and not overflow when a relative time is added to now (else "invalid
 * expire time in '<cmd>' command"). A time already past is accepted. */
static bool expireToAbsoluteMs(Client *c, const Arg *arg, int flags, long long *out) {
    long long v;
    bool seconds = (flags & (SET_EX | SET_EXAT)) != 0;
    if (!argToLongLongOrReply(c, arg, &v)) return false;
    if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
        replyInvalidExpire(c);
        return false;
    }
    if (seconds) v *= 1000;
    if (flags & (SET_EX | SET_PX)) {
        long long now = serverNowMs();
        if (v > LLONG_MAX - now) {
            replyInvalidExpire(c);
            return false;
        }
        v += now;
    }
    *out = v;
    return true;
}

/* Propagation (Redis 7.0's forms): a relative expire becomes an absolute
 * one, so that a replica or a replayed AOF sets the same deadline. */
static void propagateAbsolute(Client *c, int argc, Arg *argv, long long ms) {
    char num[24];
    argv[argc - 1] = (Arg){num, (size_t)snprintf(num, sizeof(num), "%lld", ms)};
    propagateReplace(c, argc, argv);
}

/* GET's body: replies the value (or null) and returns true, or replies
 * WRONGTYPE and returns false. Counts a keyspace hit or miss. */
static bool getGeneric(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyNull(c);
        return true;
    }
    if (o->type != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return false;
    }
    replyStringObject(c, o);
    return true;
}

/* The common part of SET, SETNX, SETEX and PSETEX. `expire` is the time
 * argument (or NULL), interpreted according to the SET_EX… flag in flags.
 * okReply / abortReply: integer replies for SETNX (1 / 0), or -1 for
 * Redis's defaults (+OK / null). Order of checks as Redis: the expire time
 * is validated first, then GET reads (and may fail with WRONGTYPE before
 * anything is written), then NX/XX decide. */
static void setGeneric(Client *c, int flags, const Arg *key, const Arg *val, const Arg *expire,
                       int okReply, int abortReply) {
    long long when = -1;
    if (expire && !expireToAbsoluteMs(c, expire, flags, &when)) return;
    if ((flags & SET_GET) && !getGeneric(c)) return;

    Db *db = c->db;
    Object *old = dbLookupWrite(db, key->ptr, key->len);
    if (((flags & SET_NX) && old) || ((flags & SET_XX) && !old)) {
        if (flags & SET_GET) return; /* GET already replied */
        if (abortReply >= 0)
            addReplyLongLong(c, abortReply);
        else
            addReplyNull(c);
        return;
    }
    if (!expire && (flags & SET_KEEPTTL) && old) when = objGetExpire(old);
    /* A time already in the past is stored as is: like Redis 7.0 the SET
     * succeeds and the key expires on its next access. */
    stringStore(db, old, key, val, when);
    dbSignalModified(db, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_STRING, "set", key->ptr, key->len, db->id);
    if (expire) notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key->ptr, key->len, db->id);
    /* Any time (EX/PX/EXAT/PXAT, SETEX/PSETEX) goes out as "SET k v PXAT
     * ms", other options dropped, as Redis 7.0; the other forms as written. */
    if (expire) {
        Arg argv[5] = {{"SET", 3}, *key, *val, {"PXAT", 4}, {NULL, 0}};
        propagateAbsolute(c, 5, argv, when);
    }

    if (flags & SET_GET) return;
    if (okReply >= 0)
        addReplyLongLong(c, okReply);
    else
        addReplyOk(c);
}

/* SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
void setCommand(Client *c) {
    int flags = SET_NO_FLAGS;
    const Arg *expire = NULL;
    if (c->argc == 3) {
        /* The plain form, the one benchmarks hammer. */
        Db *db = c->db;
        Object *old = dbLookupWrite(db, c->argv[1].ptr, c->argv[1].len);
        stringStore(db, old, &c->argv[1], &c->argv[2], -1);
        dbSignalModified(db, c->argv[1].ptr, c->argv[1].len);
        notifyKeyspaceEvent(NOTIFY_STRING, "set", c->argv[1].ptr, c->argv[1].len, db->id);
        addReplyOk(c);
        return;
    }
    if (!parseStringOptions(c, STRING_OPTS_SET, &flags, &expire)) return;
    setGeneric(c, flags, &c->argv[1], &c->argv[2], expire, -1, -1);
}

/* SETNX key value -> 1 if set, 0 if the key existed. */
void setnxCommand(Client *c) {
    setGeneric(c, SET_NX, &c->argv[1], &c->argv[2], NULL, 1, 0);
}

/* SETEX key seconds value */
void setexCommand(Client *c) {
    setGeneric(c, SET_EX, &c->argv[1], &c->argv[3], &c->argv[2], -1, -1);
}

/* PSETEX key milliseconds value */
void psetexCommand(Client *c) {
    setGeneric(c, SET_PX, &c->argv[1], &c->argv[3], &c->argv[2], -1, -1);
}

/* ------------------------------------------------------------------------
 * GET and friends
 * ---------------------------------------------------------------------- */

/* GET key */
void getCommand(Client *c) {
    getGeneric(c);
}

/* GETSET key value: the old value (or null); the new value drops any TTL. */
void getsetCommand(Client *c) {
    if (!getGeneric(c)) return;
    Db *db = c->db;
    Object *old = dbLookupWrite(db, c->argv[1].ptr, c->argv[1].len);
    stringStore(db, old, &c->argv[1], &c->argv[2], -1);
    dbSignalModified(db, c->argv[1].ptr, c->argv[1].len);
    notifyKeyspaceEvent(NOTIFY_STRING, "set", c->argv[1].ptr, c->argv[1].len, db->id);
}

/* GETDEL key: the value (or null), and the key is deleted. */
void getdelCommand(Client *c) {
    if (!getGeneric(c)) return;
    if (dbDelete(c->db, c->argv[1].ptr, c->argv[1].len)) {
        dbSignalModified(c->db, c->argv[1].ptr, c->argv[1].len);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", c->argv[1].ptr, c->argv[1].len, c->db->id);
        Arg argv[2] = {{"DEL", 3}, c->argv[1]};
        propagateReplace(c, 2, argv);
    }
}

/* GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]
 * Order of checks as Redis 7.0: options (syntax), then the key (null if
 * missing, WRONGTYPE), then the expire value; the reply is the value as it
 * was before the TTL change. An absolute time already past deletes the key. */
void getexCommand(Client *c) {
    int flags = SET_NO_FLAGS;
    const Arg *expire = NULL;
    const Arg *key = &c->argv[1];
    Db *db = c->db;

    if (!parseStringOptions(c, STRING_OPTS_GETEX, &flags, &expire)) return;
    Object *o = dbLookupRead(db, key->ptr, key->len);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (o->type != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    long long when = -1;
    if (expire && !expireToAbsoluteMs(c, expire, flags, &when)) return;
    replyStringObject(c, o);

    if ((flags & (SET_EXAT | SET_PXAT)) && when <= serverNowMs() && !aofLoading()) {
        dbDeleteLazy(db, key->ptr, key->len, config.lazyfreeLazyExpire);
        dbSignalModified(db, key->ptr, key->len);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, db->id);
        Arg argv[2] = {
            {config.lazyfreeLazyExpire ? "UNLINK" : "DEL", config.lazyfreeLazyExpire ? 6u : 3u},
            *key};
        propagateReplace(c, 2, argv);
    } else if (expire) {
        dbSetExpire(db, o, when);
        dbSignalModified(db, key->ptr, key->len);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key->ptr, key->len, db->id);
        Arg argv[3] = {{"PEXPIREAT", 9}, *key, {NULL, 0}};
        propagateAbsolute(c, 3, argv, when);
    } else if ((flags & SET_PERSIST) && o->hasExpire) {
        dbRemoveExpire(db, o);
        dbSignalModified(db, key->ptr, key->len);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key->ptr, key->len, db->id);
        Arg argv[2] = {{"PERSIST", 7}, *key};
        propagateReplace(c, 2, argv);
    }
}

/* MGET key [key ...]: null for missing keys and for non-strings. */
void mgetCommand(Client *c) {
    addReplyArrayLen(c, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        Object *o = dbLookupRead(c->db, c->argv[j].ptr, c->argv[j].len);
        if (!o || o->type != OBJ_STRING)
            addReplyNull(c);
        else
            replyStringObject(c, o);
    }
}

/* MSET / MSETNX body. An even argument count is an arity error raised here
 * (the table's arity -3 only ensures one pair). MSETNX sets nothing and
 * replies 0 when any key exists; with a key repeated the last value wins. */
static void msetGeneric(Client *c, bool nx) {
    Db *db = c->db;
    if (c->argc % 2 == 0) {
        addReplyErrorArity(c);
        return;
    }
    if (nx) {
        for (int j = 1; j < c->argc; j += 2) {
            if (dbLookupWrite(db, c->argv[j].ptr, c->argv[j].len)) {
                addReplyLongLong(c, 0);
                return;
            }
        }
    }
    for (int j = 1; j < c->argc; j += 2) {
        Object *old = dbLookupWrite(db, c->argv[j].ptr, c->argv[j].len);
        stringStore(db, old, &c->argv[j], &c->argv[j + 1], -1);
        dbSignalModified(db, c->argv[j].ptr, c->argv[j].len);
        notifyKeyspaceEvent(NOTIFY_STRING, "set", c->argv[j].ptr, c->argv[j].len, db->id);
    }
    if (nx)
        addReplyLongLong(c, 1);
    else
        addReplyOk(c);
}

/* MSET key value [key value ...] */
void msetCommand(Client *c) {
    msetGeneric(c, false);
}

/* MSETNX key value [key value ...] */
void msetnxCommand(Client *c) {
    msetGeneric(c, true);
}

/* ------------------------------------------------------------------------
 * APPEND, STRLEN, GETRANGE, SETRANGE
 * ---------------------------------------------------------------------- */

/* APPEND key value -> the new length. A new key is stored as SET would
 * (int/embstr/raw); an existing one becomes raw, grown in place. */
void appendCommand(Client *c) {
    Db *db = c->db;
    const Arg *key = &c->argv[1], *val = &c->argv[2];
    size_t total;
    Object *o = dbLookupWrite(db, key->ptr, key->len);
    if (!o) {
        stringStore(db, NULL, key, val, -1);
        total = val->len;
    } else {
        if (o->type != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        }
        if (!checkStringLength(c, (long long)objStringLen(o), (long long)val->len)) return;
        o = stringUnshare(db, o);
        dstr s = dstrCatLen(objPtr(o), val->ptr, val->len);
        objSetPtr(o, s);
        total = dstrLen(s);
    }
    dbSignalModified(db, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_STRING, "append", key->ptr, key->len, db->id);
    addReplyLongLong(c, (long long)total);
}

/* STRLEN key -> length in bytes, 0 when missing. */
void strlenCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    addReplyLongLong(c, (long long)objStringLen(o));
}

/* GETRANGE key start end (also SUBSTR). Indexes are inclusive, negative
 * ones count from the end. Redis 7.0 quirk kept on purpose: a negative end
 * before the start of the string clamps to 0, so GETRANGE k 0 -100 on
 * "hello" returns "h" (Redis 8 returns ""). A missing key gives "". */
void getrangeCommand(Client *c) {
    long long start, end;
    if (!argToLongLongOrReply(c, &c->argv[2], &start)) return;
    if (!argToLongLongOrReply(c, &c->argv[3], &end)) return;
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyBulk(c, "", 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = objStringBytes(o, buf, &len);

    if (start < 0 && end < 0 && start > end) {
        addReplyBulk(c, "", 0);
        return;
    }
    long long slen = (long long)len;
    if (start < 0) start = slen + start;
    if (end < 0) end = slen + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= slen) end = slen - 1;
    if (slen == 0 || start > end) {
        addReplyBulk(c, "", 0);
        return;
    }
    addReplyBulk(c, p + start, (size_t)(end - start + 1));
}

/* SETRANGE key offset value -> the new length. Zero-pads up to offset;
 * an empty value changes nothing (and creates no key). */
void setrangeCommand(Client *c) {
    Db *db = c->db;
    const Arg *key = &c->argv[1], *val = &c->argv[3];
    long offset;
    if (!strToLong(c->argv[2].ptr, c->argv[2].len, &offset)) {
        addReplyError(c, errNotInteger);
        return;
    }
    if (offset < 0) {
        addReplyError(c, "ERR offset is out of range");
        return;
    }
    Object *o = dbLookupWrite(db, key->ptr, key->len);
    if (!o) {
        if (val->len == 0) {
            addReplyLongLong(c, 0);
            return;
        }
        if (!checkStringLength(c, offset, (long long)val->len)) return;
        size_t total = (size_t)offset + val->len;
        dstr s = dstrNewLen(NULL, total);
        memset(s, 0, (size_t)offset);
        memcpy(s + offset, val->ptr, val->len);
        dbAdd(db, objNewStringRaw(key->ptr, key->len, s, -1));
        dbSignalModified(db, key->ptr, key->len);
        notifyKeyspaceEvent(NOTIFY_STRING, "setrange", key->ptr, key->len, db->id);
        addReplyLongLong(c, (long long)total);
        return;
    }
    if (o->type != OBJ_STRING) {
        addReplyErrorWrongType(c);
        return;
    }
    size_t olen = objStringLen(o);
    if (val->len == 0) {
        addReplyLongLong(c, (long long)olen);
        return;
    }
    if (!checkStringLength(c, offset, (long long)val->len)) return;
    o = stringUnshare(db, o);
    dstr s = objPtr(o);
    size_t need = (size_t)offset + val->len;
    if (need > olen) {
        s = dstrMakeRoom(s, need - olen);
        memset(s + olen, 0, need - olen);
        dstrSetLen(s, need);
        objSetPtr(o, s);
    }
    memcpy(s + offset, val->ptr, val->len);
    dbSignalModified(db, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_STRING, "setrange", key->ptr, key->len, db->id);
    addReplyLongLong(c, (long long)dstrLen(s));
}

/* ------------------------------------------------------------------------
 * INCR family
 * ---------------------------------------------------------------------- */

/* Adds incr to the integer at key (0 when missing), keeping its TTL. An
 * int-encoded value is updated in place; any other becomes a new int
 * object. */
static void incrDecr(Client *c, long long incr) {
    Db *db = c->db;
    const Arg *key = &c->argv[1];
    long long value = 0;
    Object *o = dbLookupWrite(db, key->ptr, key->len);
    if (o) {
        if (o->type != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        }
        if (!objToLongLong(o, &value)) {
            addReplyError(c, errNotInteger);
            return;
        }
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        addReplyError(c, "ERR increment or decrement would overflow");
        return;
    }
    value += incr;
    if (o && o->encoding == OBJ_ENC_INT) {
        objSetInt(o, value);
        o->unsharedInt = 0;
    } else if (o) {
        Object *n = objNewStringInt(key->ptr, key->len, value, objGetExpire(o));
        n->lru = o->lru;
        dbReplaceObject(db, o, n, false);
    } else {
        dbAdd(db, objNewStringInt(key->ptr, key->len, value, -1));
    }
    dbSignalModified(db, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_STRING, "incrby", key->ptr, key->len, db->id);
    addReplyLongLong(c, value);
}

/* INCR key */
void incrCommand(Client *c) {
    incrDecr(c, 1);
}

/* DECR key */
void decrCommand(Client *c) {
    incrDecr(c, -1);
}

/* INCRBY key increment */
void incrbyCommand(Client *c) {
    long long incr;
    if (!argToLongLongOrReply(c, &c->argv[2], &incr)) return;
    incrDecr(c, incr);
}

/* DECRBY key decrement; LLONG_MIN cannot be negated. */
void decrbyCommand(Client *c) {
    long long incr;
    if (!argToLongLongOrReply(c, &c->argv[2], &incr)) return;
    if (incr == LLONG_MIN) {
        addReplyError(c, "ERR decrement would overflow");
        return;
    }
    incrDecr(c, -incr);
}

/* INCRBYFLOAT key increment -> the new value as a bulk string, printed as
 * Redis's human-friendly long double (%.17Lf without trailing zeros) and
 * stored as a string (embstr/raw, never int, as Redis). Check order as
 * Redis: key type, the stored value, then the increment. */
void incrbyfloatCommand(Client *c) {
    Db *db = c->db;
    const Arg *key = &c->argv[1];
    long double value = 0, incr;
    Object *o = dbLookupWrite(db, key->ptr, key->len);
    if (o) {
        if (o->type != OBJ_STRING) {
            addReplyErrorWrongType(c);
            return;
        }
        if (o->encoding == OBJ_ENC_INT) {
            value = (long double)objInt(o);
        } else {
            char ibuf[LONG_STR_SIZE];
            size_t len;
            const char *p = objStringBytes(o, ibuf, &len);
            if (!strToLongDouble(p, len, &value)) {
                addReplyError(c, errNotFloat);
                return;
            }
        }
    }
    if (!strToLongDouble(c->argv[2].ptr, c->argv[2].len, &incr)) {
        addReplyError(c, errNotFloat);
        return;
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        addReplyError(c, "ERR increment would produce NaN or Infinity");
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int len = longDoubleToStr(buf, sizeof(buf), value, LD_STR_HUMAN);
    Object *n = objNewString(key->ptr, key->len, buf, (size_t)len, false, o ? objGetExpire(o) : -1);
    if (o) {
        n->lru = o->lru;
        dbReplaceObject(db, o, n, false);
    } else {
        dbAdd(db, n);
    }
    dbSignalModified(db, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_STRING, "incrbyfloat", key->ptr, key->len, db->id);
    /* Replayed as the exact result, not the float addition. */
    Arg argv[4] = {{"SET", 3}, *key, {buf, (size_t)len}, {"KEEPTTL", 7}};
    propagateReplace(c, 4, argv);
    addReplyBulk(c, buf, (size_t)len);
}

/* ------------------------------------------------------------------------
 * LCS
 * ---------------------------------------------------------------------- */

/* The dynamic-programming table: cell (i, j) holds the LCS length of the
 * first i bytes of a and the first j bytes of b. Row-major, rows of
 * blen + 1 cells. */
#define LCS_CELL(t, i, j, blen) ((t)[(size_t)(j) + (size_t)(i) * ((size_t)(blen) + 1)])

/* Emits one IDX range: [[aStart, aEnd], [bStart, bEnd]] (+ its length). */
static void lcsReplyRange(Client *c, uint32_t aStart, uint32_t aEnd, uint32_t bStart, uint32_t bEnd,
                          bool withLen) {
    addReplyArrayLen(c, withLen ? 3 : 2);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, aStart);
    addReplyLongLong(c, aEnd);
    addReplyArrayLen(c, 2);
    addReplyLongLong(c, bStart);
    addReplyLongLong(c, bEnd);
    if (withLen) addReplyLongLong(c, (long long)aEnd - aStart + 1);
}

/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
 * Replies the longest common subsequence (bulk), its length (LEN), or with
 * IDX a map {matches: [ranges, from the end of the strings backwards],
 * len: n}. Missing keys read as "". Check order as Redis 7.0: key types,
 * options, IDX+LEN, string length, table size. The table needs
 * (alen+1)*(blen+1)*4 bytes of transient memory, refused above
 * proto-max-bulk-len as Redis does. */
void lcsCommand(Client *c) {
    Db *db = c->db;
    Object *oa = dbLookupRead(db, c->argv[1].ptr, c->argv[1].len);
    Object *ob = dbLookupRead(db, c->argv[2].ptr, c->argv[2].len);
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        addReplyError(c, "ERR The specified keys must contain string values");
        return;
    }
    bool getIdx = false, getLen = false, withMatchLen = false;
    long long minMatchLen = 0;
    for (int j = 3; j < c->argc; j++) {
        const Arg *opt = &c->argv[j];
        bool more = j + 1 < c->argc;
        if (optIs(opt, "idx")) {
            getIdx = true;
        } else if (optIs(opt, "len")) {
            getLen = true;
        } else if (optIs(opt, "withmatchlen")) {
            withMatchLen = true;
        } else if (more && optIs(opt, "minmatchlen")) {
            if (!argToLongLongOrReply(c, &c->argv[j + 1], &minMatchLen)) return;
            if (minMatchLen < 0) minMatchLen = 0;
            j++;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    if (getIdx && getLen) {
        addReplyError(c, "ERR If you want both the length and indexes, please just use IDX.");
        return;
    }

    char bufA[LONG_STR_SIZE], bufB[LONG_STR_SIZE];
    size_t alen64 = 0, blen64 = 0;
    const char *a = oa ? objStringBytes(oa, bufA, &alen64) : "";
    const char *b = ob ? objStringBytes(ob, bufB, &blen64) : "";
    if (alen64 >= UINT32_MAX - 1 || blen64 >= UINT32_MAX - 1) {
        addReplyError(c, "ERR String too long for LCS");
        return;
    }
    uint32_t alen = (uint32_t)alen64, blen = (uint32_t)blen64;

    unsigned long long cells = (unsigned long long)(alen + 1ULL) * (blen + 1ULL);
    unsigned long long bytes = cells * sizeof(uint32_t);
    uint32_t *table = NULL;
    if (bytes < SIZE_MAX && bytes / cells == sizeof(uint32_t)) {
        if (bytes > (unsigned long long)config.protoMaxBulkLen) {
            addReplyError(c, "ERR Insufficient memory, transient memory for LCS exceeds "
                             "proto-max-bulk-len");
            return;
        }
        /* Plain malloc, not kvMalloc: a failure here is an error reply, not
         * a fatal out-of-memory. The table lives only during this call. */
        table = malloc((size_t)bytes);
    }
    if (!table) {
        addReplyError(c, "ERR Insufficient memory, failed allocating transient memory for LCS");
        return;
    }

    for (uint32_t j = 0; j <= blen; j++) LCS_CELL(table, 0, j, blen) = 0;
    for (uint32_t i = 1; i <= alen; i++) {
        uint32_t *row = &LCS_CELL(table, i, 0, blen);
        const uint32_t *up = &LCS_CELL(table, i - 1, 0, blen);
        unsigned char ai = (unsigned char)a[i - 1];
        row[0] = 0;
        for (uint32_t j = 1; j <= blen; j++) {
            if (ai == (unsigned char)b[j - 1])
                row[j] = up[j - 1] + 1;
            else
                row[j] = up[j] > row[j - 1] ? up[j] : row[j - 1];
        }
    }
    uint32_t lcsLen = LCS_CELL(table, alen, blen, blen);

    if (getLen && !getIdx) {
        addReplyLongLong(c, lcsLen);
        free(table);
        return;
    }

    /* Walk back from (alen, blen) collecting the subsequence; with IDX also
     * emit each run of contiguous matches, ending a run at a mismatch step
     * or at the start of either string (that is the order Redis emits). */
    dstr result = getIdx ? NULL : dstrNewLen(NULL, lcsLen);
    size_t handle = 0;
    long long ranges = 0;
    if (getIdx) {
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "matches");
        handle = addReplyDeferredLen(c);
    }
    uint32_t i = alen, j = blen, pos = lcsLen;
    bool inRun = false;
    uint32_t aStart = 0, aEnd = 0, bStart = 0, bEnd = 0;
    while (i > 0 && j > 0) {
        bool endRun = false;
        if (a[i - 1] == b[j - 1]) {
            if (result) result[pos - 1] = a[i - 1];
            pos--;
            if (!inRun) {
                inRun = true;
                aEnd = i - 1;
                bEnd = j - 1;
            }
            aStart = i - 1;
            bStart = j - 1;
            if (aStart == 0 || bStart == 0) endRun = true;
            i--;
            j--;
        } else {
            if (LCS_CELL(table, i - 1, j, blen) > LCS_CELL(table, i, j - 1, blen))
                i--;
            else
                j--;
            if (inRun) endRun = true;
        }
        if (endRun) {
            if (getIdx && (long long)(aEnd - aStart + 1) >= minMatchLen) {
                lcsReplyRange(c, aStart, aEnd, bStart, bEnd, withMatchLen);
                ranges++;
            }
            inRun = false;
        }
    }
    free(table);

    if (getIdx) {
        addReplyBulkCString(c, "len");
        addReplyLongLong(c, lcsLen);
        setDeferredArrayLen(c, handle, ranges);
    } else {
        addReplyBulk(c, result, dstrLen(result));
        dstrFree(result);
    }
}
