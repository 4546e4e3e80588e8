/* t_list.c — the list type and its commands of Redis 7.0: LPUSH RPUSH
 * LPUSHX RPUSHX LINSERT LSET LINDEX LLEN LRANGE LTRIM LREM LPOS LPOP RPOP
 * LMOVE RPOPLPUSH LMPOP and the blocking BLPOP BRPOP BLMOVE BRPOPLPUSH
 * BLMPOP.
 *
 * Lists are quicklists (quicklist.h, t_list.h). Replies, errors and the order
 * in which arguments are checked follow Redis 7.0 byte for byte; where 7.0
 * behaves oddly we match it and say so (LPOS RANK -9223372036854775808).
 *
 * Blocking: a blocking command that finds every key missing registers the
 * client with blocking.c, giving a ListBlock (what to pop, where to push)
 * and listServe as the serve callback. When a key is created, blocking.c
 * offers it to the waiters in the order they blocked; listServe pops for the
 * client and replies exactly as the command would have. As in Redis 7.0, a
 * served BLMOVE whose destination has meanwhile become another type gets
 * the WRONGTYPE error and the element stays; inside MULTI/EXEC or a script
 * (blockingAllowed false) the commands reply as on timeout at once.
 *
 * dbSignalModified() and the keyspace event of the command (notify.h, with
 * Redis's names: lpush, rpop, ltrim…, and "del" when a list empties)
 * follow every change.
 */
#include "t_list.h"

#include "blocking.h"
#include "command.h"
#include "propagate.h"
#include "server.h"
#include "commands.h"

#include "client.h"
#include "config.h"
#include "db.h"
#include "debug.h"
#include "listpack.h"
#include "mem.h"
#include "notify.h"
#include "numconv.h"
#include "reply.h"

#include <liblzf/lzf.h>
#include <limits.h>
#include <string.h>

static const char *const errRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
static const char *const errMustBePositive = "ERR value is out of range, must be positive";
static const char *const errNumkeys = "ERR numkeys should be greater than 0";
static const char *const errCount = "ERR count should be greater than 0";

/* ------------------------------------------------------------------------
 * The type: registration, DEBUG hooks
 * ---------------------------------------------------------------------- */

static void listValueFree(int encoding, void *ptr) {
    (void)encoding;
    quicklistRelease(ptr);
}

static void *listValueDup(int encoding, const void *ptr) {
    (void)encoding;
    return quicklistDup(ptr);
}

static size_t listValueSize(int encoding, const void *ptr) {
    (void)encoding;
    return quicklistMemUsage(ptr);
}

/* DEBUG DIGEST: every element's string form mixed in, head to tail (Redis's
 * xorObjectDigest for lists). */
static void listDigestValue(unsigned char *digest, const Object *o) {
    QuicklistIter it;
    QuicklistEntry e;
    quicklistIterInit(&it, listOf(o), QL_FORWARD);
    while (quicklistNext(&it, &e)) {
        if (e.value) {
            debugMixDigest(digest, e.value, e.sz);
        } else {
            char buf[LONG_STR_SIZE];
            int n = llToStr(buf, sizeof(buf), e.longval);
            debugMixDigest(digest, buf, (size_t)n);
        }
    }
    quicklistIterEnd(&it);
}

/* Bytes of an RDB length field. */
static size_t rdbLenSize(unsigned long long n) {
    return n < 64 ? 1 : n < 16384 ? 2 : n <= UINT32_MAX ? 5 : 9;
}

/* DEBUG OBJECT serializedlength: the RDB_TYPE_LIST_QUICKLIST_2 body Redis
 * writes: the node count, then per node its container kind and its
 * listpack as a string (LZF-compressed when rdbcompression is on and that
 * saves 4 bytes; a compressed node's own LZF blob as it is). */
static size_t listSerializedLength(const Object *o) {
    const Quicklist *ql = listOf(o);
    size_t total = rdbLenSize(ql->len);
    for (const QuicklistNode *n = ql->head; n; n = n->next) {
        total += 1; /* container: packed or plain */
        if (n->compressed) {
            size_t clen = ((const QuicklistLzf *)n->data)->len;
            total += 1 + rdbLenSize(clen) + rdbLenSize(n->sz) + clen;
            continue;
        }
        size_t len = n->sz, plain = rdbLenSize(len) + len;
        if (config.rdbcompression && len > 20) {
            unsigned int outlen = (unsigned int)len - 4;
            char *out = kvMalloc(outlen + 1);
            unsigned int clen = lzf_compress(n->data, (unsigned int)len, out, outlen);
            kvFree(out);
            if (clen > 0) {
                total += 1 + rdbLenSize(clen) + rdbLenSize(len) + clen;
                continue;
            }
        }
        total += plain;
    }
    return total;
}

/* DEBUG OBJECT's quicklist fields, as Redis 7.0 prints them. */
static dstr listObjectExtra(const Object *o, dstr out) {
    const Quicklist *ql = listOf(o);
    unsigned long compressed;
    unsigned long long bytes;
    quicklistStats(ql, &compressed, &bytes);
    return dstrCatPrintf(out,
                         " ql_nodes:%lu ql_avg_node:%.2f ql_listpack_max:%d ql_compressed:%d "
                         "ql_uncompressed_size:%llu",
                         (unsigned long)ql->len, (double)ql->count / ql->len, ql->fill,
                         ql->compress != 0, bytes);
}

static const DebugTypeOps listDebugOps = {listDigestValue, NULL, listSerializedLength,
                                          listObjectExtra};

void listTypeInit(void) {
    static bool done = false;
    if (done) return;
    objRegisterType(OBJ_LIST, listValueFree, listValueDup, listValueSize);
    debugRegisterType(OBJ_LIST, &listDebugOps);
    done = true;
}

Object *listTypeCreateObject(const char *key, size_t klen) {
    listTypeInit(); /* until start-up calls it: objFree must know the type */
    Quicklist *ql = quicklistCreate(config.listMaxListpackSize, config.listCompressDepth);
    return objNewPtr(key, klen, OBJ_LIST, OBJ_ENC_QUICKLIST, ql, -1);
}

void listTypePush(Object *o, int where, const void *s, size_t len) {
    quicklistPush(listOf(o), where, s, len);
}

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

static void replyEntry(Client *c, const QuicklistEntry *e) {
    if (e->value)
        addReplyBulk(c, e->value, e->sz);
    else
        addReplyBulkLongLong(c, e->longval);
}

/* True when the entry holds exactly the bytes of a. */
static bool entryEquals(const QuicklistEntry *e, const Arg *a) {
    return quicklistEntryEquals(e, a->ptr, a->len);
}

static bool argToLongLongOrReply(Client *c, const Arg *a, long long *out) {
    if (strToLongLong(a->ptr, a->len, out)) return true;
    addReplyError(c, errNotInteger);
    return false;
}

/* LEFT / RIGHT of LMOVE, BLMOVE, LMPOP, BLMPOP. */
static bool parseWhereOrReply(Client *c, const Arg *a, int *where) {
    if (argIs(a, "left")) {
        *where = QL_HEAD;
    } else if (argIs(a, "right")) {
        *where = QL_TAIL;
    } else {
        addReplyError(c, errSyntax);
        return false;
    }
    return true;
}

/* A list key for writing: NULL when missing; NULL with the WRONGTYPE reply
 * written (and *wrongType set) when it holds another type. */
static Object *lookupListWrite(Client *c, Db *db, const Arg *key, bool *wrongType) {
    Object *o = dbLookupWrite(db, key->ptr, key->len);
    *wrongType = false;
    if (o && o->type != OBJ_LIST) {
        addReplyErrorWrongType(c);
        *wrongType = true;
        return NULL;
    }
    return o;
}

/* A value copied out of a list before its entry goes away. */
typedef struct ListValue {
    const char *ptr;
    size_t len;
    char *heap;
    char small[64];
} ListValue;

static void listValueTake(ListValue *v, const QuicklistEntry *e) {
    v->heap = NULL;
    if (!e->value) {
        v->len = (size_t)llToStr(v->small, sizeof(v->small), e->longval);
        v->ptr = v->small;
    } else if (e->sz <= sizeof(v->small)) {
        memcpy(v->small, e->value, e->sz);
        v->ptr = v->small;
        v->len = e->sz;
    } else {
        v->heap = kvMalloc(e->sz);
        memcpy(v->heap, e->value, e->sz);
        v->ptr = v->heap;
        v->len = e->sz;
    }
}

static void listValueRelease(ListValue *v) {
    kvFree(v->heap);
    v->heap = NULL;
}

/* Signals the change of list o, publishes `event` for it, and deletes its
 * key (publishing "del") when it became empty. o must not be used
 * afterwards. */
static void listChanged(Db *db, Object *o, const char *event) {
    dbSignalModified(db, objKey(o), objKeyLen(o));
    notifyKeyspaceEvent(NOTIFY_LIST, event, objKey(o), objKeyLen(o), db->id);
    if (listTypeLength(o) != 0) return;
    if (!notifyEnabled(NOTIFY_GENERIC)) {
        dbDelete(db, objKey(o), objKeyLen(o));
        return;
    }
    dstr key = dstrNewLen(objKey(o), objKeyLen(o)); /* the Object goes away */
    dbDelete(db, key, dstrLen(key));
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, dstrLen(key), db->id);
    dstrFree(key);
}

/* Pops up to count entries from the `where` end of list o, replying with
 * each as a bulk string (no array header), signals the change and deletes
 * the key when it empties. Returns how many were popped. */
static unsigned long listPopReply(Client *c, Db *db, Object *o, int where, unsigned long count) {
    Quicklist *ql = listOf(o);
    if (count > ql->count) count = ql->count;
    if (count == 1) {
        QuicklistEntry e;
        quicklistPeek(ql, where, &e);
        replyEntry(c, &e);
        quicklistDelEnd(ql, where);
    } else {
        QuicklistIter it;
        QuicklistEntry e;
        quicklistIterInit(&it, ql, where == QL_HEAD ? QL_FORWARD : QL_BACKWARD);
        for (unsigned long i = 0; i < count && quicklistNext(&it, &e); i++) replyEntry(c, &e);
        quicklistIterEnd(&it);
        if (where == QL_HEAD)
            quicklistDelRange(ql, 0, count);
        else
            quicklistDelRange(ql, -(long long)count, count);
    }
    listChanged(db, o, where == QL_HEAD ? "lpop" : "rpop");
    return count;
}

/* Pushes v at `where` of the list at key dst (o, or created when o is NULL)
 * and signals dst. */
static void listPushTo(Db *db, Object *o, const char *dst, size_t dlen, int where,
                       const ListValue *v) {
    if (!o) {
        o = listTypeCreateObject(dst, dlen);
        listTypePush(o, where, v->ptr, v->len);
        dbAdd(db, o);
    } else {
        listTypePush(o, where, v->ptr, v->len);
    }
    dbSignalModified(db, dst, dlen);
    notifyKeyspaceEvent(NOTIFY_LIST, where == QL_HEAD ? "lpush" : "rpush", dst, dlen, db->id);
}

/* The element move of LMOVE and of a served BLMOVE: pops from src (a
 * non-empty list), pushes to dst (a list or missing; the caller checked its
 * type), replies with the element. src may be the same key as dst. */
static void listMove(Client *c, Db *db, Object *src, Object *dstObj, const char *dst, size_t dlen,
                     int wherefrom, int whereto) {
    QuicklistEntry e;
    ListValue v;
    quicklistPeek(listOf(src), wherefrom, &e);
    listValueTake(&v, &e);
    quicklistDelEnd(listOf(src), wherefrom);
    bool same = dstObj == src;
    /* Push first: with src == dst the list must not be deleted in between. */
    listPushTo(db, same ? src : dstObj, dst, dlen, whereto, &v);
    addReplyBulk(c, v.ptr, v.len);
    listValueRelease(&v);
    if (!same) {
        listChanged(db, src, wherefrom == QL_HEAD ? "lpop" : "rpop");
    } else {
        /* Redis publishes the pop for the same key too (it is never empty). */
        notifyKeyspaceEvent(NOTIFY_LIST, wherefrom == QL_HEAD ? "lpop" : "rpop", dst, dlen, db->id);
    }
}

/* ------------------------------------------------------------------------
 * Propagation: blocking and multi-key pops go out in their plain form
 * (Redis 7.0): BLPOP/LMPOP -> LPOP key [count], BLMOVE -> LMOVE,
 * BRPOPLPUSH -> RPOPLPUSH.
 * ---------------------------------------------------------------------- */

/* inCall: the command is running under callCommand (replace its argv);
 * otherwise a blocked client is being served (add to the unit). */
static void propagateList(Client *c, Db *db, bool inCall, int argc, Arg *argv) {
    if (inCall)
        propagateReplace(c, argc, argv);
    else
        propagateAlso(db->id, argc, argv);
}

static void propagatePop(Client *c, Db *db, bool inCall, const char *key, size_t klen, int where,
                         long long count) {
    char num[24];
    Arg argv[3] = {{where == QL_HEAD ? "LPOP" : "RPOP", 4}, {(char *)key, klen}, {num, 0}};
    if (count > 0) argv[2].len = (size_t)snprintf(num, sizeof(num), "%lld", count);
    propagateList(c, db, inCall, count > 0 ? 3 : 2, argv);
}

static void propagateMove(Client *c, Db *db, bool inCall, bool rpoplpush, const Arg *src,
                          const Arg *dst, int wherefrom, int whereto) {
    Arg argv[5] = {{rpoplpush ? "RPOPLPUSH" : "LMOVE", rpoplpush ? 9u : 5u},
                   *src,
                   *dst,
                   {wherefrom == QL_HEAD ? "LEFT" : "RIGHT", wherefrom == QL_HEAD ? 4u : 5u},
                   {whereto == QL_HEAD ? "LEFT" : "RIGHT", whereto == QL_HEAD ? 4u : 5u}};
    propagateList(c, db, inCall, rpoplpush ? 3 : 5, argv);
}

/* ------------------------------------------------------------------------
 * Blocking
 * ---------------------------------------------------------------------- */

/* What a blocked list command does once served. */
typedef struct ListBlock {
    int wherefrom;
    int whereto;     /* BLMOVE only */
    long long count; /* BLMPOP: elements to pop; 0: BLPOP/BRPOP (one) */
    dstr dst;        /* BLMOVE's destination key, or NULL */
    bool rpoplpush;  /* BRPOPLPUSH (propagates as RPOPLPUSH) */
} ListBlock;

static void listBlockFree(void *priv) {
    ListBlock *b = priv;
    dstrFree(b->dst);
    kvFree(b);
}

static bool listServe(Client *c, Db *db, Object *o, void *priv) {
    ListBlock *b = priv;
    if (b->dst) {
        bool wrongType;
        Object *dstObj = lookupListWrite(c, db, &(Arg){b->dst, dstrLen(b->dst)}, &wrongType);
        if (wrongType) return true; /* WRONGTYPE written; the element stays */
        Arg src = {(char *)objKey(o), objKeyLen(o)}, dst = {b->dst, dstrLen(b->dst)};
        propagateMove(c, db, false, b->rpoplpush, &src, &dst, b->wherefrom, b->whereto);
        listMove(c, db, o, dstObj, b->dst, dstrLen(b->dst), b->wherefrom, b->whereto);
        return true;
    }
    /* The key goes away with the last element: reply with it first. */
    if (b->count == 0) {
        addReplyArrayLen(c, 2);
        addReplyBulk(c, objKey(o), objKeyLen(o));
        propagatePop(c, db, false, objKey(o), objKeyLen(o), b->wherefrom, 0);
        listPopReply(c, db, o, b->wherefrom, 1);
    } else {
        unsigned long n = listTypeLength(o);
        if ((unsigned long long)b->count < n) n = (unsigned long)b->count;
        addReplyArrayLen(c, 2);
        addReplyBulk(c, objKey(o), objKeyLen(o));
        addReplyArrayLen(c, (long long)n);
        propagatePop(c, db, false, objKey(o), objKeyLen(o), b->wherefrom, (long long)n);
        listPopReply(c, db, o, b->wherefrom, n);
    }
    return true;
}

static const BlockSpec listBlockSpec = {OBJ_LIST, listServe, listBlockFree};

static void listBlock(Client *c, const Arg *keys, int nkeys, long long deadline, int wherefrom,
                      int whereto, long long count, const Arg *dst) {
    ListBlock *b = kvMalloc(sizeof(*b));
    b->wherefrom = wherefrom;
    b->whereto = whereto;
    b->count = count;
    b->dst = dst ? dstrNewLen(dst->ptr, dst->len) : NULL;
    b->rpoplpush = c->cmd && c->cmd->proc == brpoplpushCommand;
    blockingBlockClient(c, keys, nkeys, deadline, &listBlockSpec, b);
}

/* ------------------------------------------------------------------------
 * Push commands
 * ---------------------------------------------------------------------- */

static void pushGenericCommand(Client *c, int where, bool onlyExisting) {
    bool wrongType;
    const Arg *key = &c->argv[1];
    Object *o = lookupListWrite(c, c->db, key, &wrongType);
    if (wrongType) return;
    if (!o) {
        if (onlyExisting) {
            addReplyLongLong(c, 0);
            return;
        }
        o = listTypeCreateObject(key->ptr, key->len);
        for (int j = 2; j < c->argc; j++) listTypePush(o, where, c->argv[j].ptr, c->argv[j].len);
        dbAdd(c->db, o);
    } else {
        for (int j = 2; j < c->argc; j++) listTypePush(o, where, c->argv[j].ptr, c->argv[j].len);
    }
    dbSignalModified(c->db, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_LIST, where == QL_HEAD ? "lpush" : "rpush", key->ptr, key->len,
                        c->db->id);
    addReplyLongLong(c, (long long)listTypeLength(o));
}

void lpushCommand(Client *c) {
    pushGenericCommand(c, QL_HEAD, false);
}

void rpushCommand(Client *c) {
    pushGenericCommand(c, QL_TAIL, false);
}

void lpushxCommand(Client *c) {
    pushGenericCommand(c, QL_HEAD, true);
}

void rpushxCommand(Client *c) {
    pushGenericCommand(c, QL_TAIL, true);
}

void linsertCommand(Client *c) {
    bool after;
    if (argIs(&c->argv[2], "after")) {
        after = true;
    } else if (argIs(&c->argv[2], "before")) {
        after = false;
    } else {
        addReplyError(c, errSyntax);
        return;
    }
    bool wrongType;
    Object *o = lookupListWrite(c, c->db, &c->argv[1], &wrongType);
    if (wrongType) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    QuicklistIter it;
    QuicklistEntry e;
    bool found = false;
    quicklistIterInit(&it, listOf(o), QL_FORWARD);
    while (quicklistNext(&it, &e)) {
        if (entryEquals(&e, &c->argv[3])) {
            quicklistInsertAt(&it, &e, after, c->argv[4].ptr, c->argv[4].len);
            found = true;
            break;
        }
    }
    quicklistIterEnd(&it);
    if (!found) {
        addReplyLongLong(c, -1);
        return;
    }
    dbSignalModified(c->db, c->argv[1].ptr, c->argv[1].len);
    notifyKeyspaceEvent(NOTIFY_LIST, "linsert", c->argv[1].ptr, c->argv[1].len, c->db->id);
    addReplyLongLong(c, (long long)listTypeLength(o));
}

/* ------------------------------------------------------------------------
 * Reading and editing by index
 * ---------------------------------------------------------------------- */

void llenCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (o->type != OBJ_LIST) {
        addReplyErrorWrongType(c);
        return;
    }
    addReplyLongLong(c, (long long)listTypeLength(o));
}

void lindexCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyNull(c);
        return;
    }
    if (o->type != OBJ_LIST) {
        addReplyErrorWrongType(c);
        return;
    }
    long long index;
    if (!argToLongLongOrReply(c, &c->argv[2], &index)) return;
    QuicklistIter it;
    QuicklistEntry e;
    if (quicklistIterInitAtIndex(&it, listOf(o), QL_FORWARD, index) && quicklistNext(&it, &e))
        replyEntry(c, &e);
    else
        addReplyNull(c);
    quicklistIterEnd(&it);
}

void lsetCommand(Client *c) {
    bool wrongType;
    Object *o = lookupListWrite(c, c->db, &c->argv[1], &wrongType);
    if (wrongType) return;
    if (!o) {
        addReplyError(c, errNoSuchKey);
        return;
    }
    long long index;
    if (!argToLongLongOrReply(c, &c->argv[2], &index)) return;
    if (!quicklistReplaceAtIndex(listOf(o), index, c->argv[3].ptr, c->argv[3].len)) {
        addReplyError(c, errOutOfRange);
        return;
    }
    dbSignalModified(c->db, c->argv[1].ptr, c->argv[1].len);
    notifyKeyspaceEvent(NOTIFY_LIST, "lset", c->argv[1].ptr, c->argv[1].len, c->db->id);
    addReplyOk(c);
}

/* Turns LRANGE/LTRIM's start and end (negative from the tail) into a range
 * of the list [*from, *to]; false when the range is empty. */
static bool listRange(long long start, long long end, unsigned long llen, unsigned long *from,
                      unsigned long *to) {
    long long len = (long long)llen;
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) return false;
    if (end >= len) end = len - 1;
    *from = (unsigned long)start;
    *to = (unsigned long)end;
    return true;
}

void lrangeCommand(Client *c) {
    long long start, end;
    if (!argToLongLongOrReply(c, &c->argv[2], &start) ||
        !argToLongLongOrReply(c, &c->argv[3], &end))
        return;
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyArrayLen(c, 0);
        return;
    }
    if (o->type != OBJ_LIST) {
        addReplyErrorWrongType(c);
        return;
    }
    unsigned long from, to;
    if (!listRange(start, end, listTypeLength(o), &from, &to)) {
        addReplyArrayLen(c, 0);
        return;
    }
    unsigned long n = to - from + 1;
    addReplyArrayLen(c, (long long)n);
    QuicklistIter it;
    QuicklistEntry e;
    /* The iterator reaches `from` walking from the nearer end. */
    quicklistIterInitAtIndex(&it, listOf(o), QL_FORWARD, (long long)from);
    for (unsigned long i = 0; i < n && quicklistNext(&it, &e); i++) {
        if (replyAbortCheck(c, i)) break; /* the client is gone */
        replyEntry(c, &e);
    }
    quicklistIterEnd(&it);
}

void ltrimCommand(Client *c) {
    long long start, end;
    if (!argToLongLongOrReply(c, &c->argv[2], &start) ||
        !argToLongLongOrReply(c, &c->argv[3], &end))
        return;
    bool wrongType;
    Object *o = lookupListWrite(c, c->db, &c->argv[1], &wrongType);
    if (wrongType) return;
    if (!o) {
        addReplyOk(c);
        return;
    }
    Quicklist *ql = listOf(o);
    unsigned long llen = ql->count, from, to;
    if (!listRange(start, end, llen, &from, &to)) {
        quicklistDelRange(ql, 0, llen); /* out of range: everything goes */
    } else {
        unsigned long right = llen - to - 1;
        if (from > 0) quicklistDelRange(ql, 0, from);
        if (right > 0) quicklistDelRange(ql, -(long long)right, right);
    }
    listChanged(c->db, o, "ltrim");
    addReplyOk(c);
}

void lremCommand(Client *c) {
    long long count;
    if (!argToLongLongOrReply(c, &c->argv[2], &count)) return;
    bool wrongType;
    Object *o = lookupListWrite(c, c->db, &c->argv[1], &wrongType);
    if (wrongType) return;
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    /* |count| without overflowing on LLONG_MIN; 0 removes every match. */
    unsigned long long limit = count == 0  ? ULLONG_MAX
                               : count < 0 ? (unsigned long long)(-(count + 1)) + 1
                                           : (unsigned long long)count;
    QuicklistIter it;
    QuicklistEntry e;
    unsigned long long removed = 0;
    quicklistIterInit(&it, listOf(o), count < 0 ? QL_BACKWARD : QL_FORWARD);
    while (removed < limit && quicklistNext(&it, &e)) {
        if (entryEquals(&e, &c->argv[3])) {
            quicklistDelEntry(&it, &e);
            removed++;
        }
    }
    quicklistIterEnd(&it);
    if (removed) listChanged(c->db, o, "lrem");
    addReplyLongLong(c, (long long)removed);
}

/* LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
void lposCommand(Client *c) {
    long long rank = 1, count = -1, maxlen = 0;
    for (int j = 3; j < c->argc; j++) {
        bool more = j + 1 < c->argc;
        if (argIs(&c->argv[j], "rank") && more) {
            if (!argToLongLongOrReply(c, &c->argv[++j], &rank)) return;
            if (rank == 0) {
                addReplyError(c, errRankZero);
                return;
            }
        } else if (argIs(&c->argv[j], "count") && more) {
            /* A non-integer COUNT or MAXLEN gets the "negative" message (7.0). */
            if (!strToLongLong(c->argv[j + 1].ptr, c->argv[j + 1].len, &count)) count = -1;
            j++;
            if (count < 0) {
                addReplyError(c, "ERR COUNT can't be negative");
                return;
            }
        } else if (argIs(&c->argv[j], "maxlen") && more) {
            if (!strToLongLong(c->argv[j + 1].ptr, c->argv[j + 1].len, &maxlen)) maxlen = -1;
            j++;
            if (maxlen < 0) {
                addReplyError(c, "ERR MAXLEN can't be negative");
                return;
            }
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (o && o->type != OBJ_LIST) {
        addReplyErrorWrongType(c);
        return;
    }
    if (!o) {
        if (count != -1)
            addReplyArrayLen(c, 0);
        else
            addReplyNull(c);
        return;
    }
    /* A negative rank searches from the tail. Redis 7.0 negates the rank
     * without checking: -9223372036854775808 stays negative, so every match
     * from the tail qualifies and COUNT never stops the search (its
     * "matches - rank + 1 >= count" wraps); we reproduce that. */
    bool fromTail = rank < 0;
    bool rankMin = rank == LLONG_MIN;
    unsigned long long skip = rankMin ? 0 : (unsigned long long)(rank < 0 ? -rank : rank) - 1;
    unsigned long long want = (count <= 0 || rankMin) ? ULLONG_MAX : (unsigned long long)count;
    unsigned long long limit = maxlen == 0 ? ULLONG_MAX : (unsigned long long)maxlen;
    unsigned long llen = listTypeLength(o);
    size_t handle = 0;
    if (count != -1) handle = addReplyDeferredLen(c);
    QuicklistIter it;
    QuicklistEntry e;
    unsigned long long index = 0, matches = 0, found = 0;
    quicklistIterInit(&it, listOf(o), fromTail ? QL_BACKWARD : QL_FORWARD);
    while (index < limit && found < want && quicklistNext(&it, &e)) {
        if (entryEquals(&e, &c->argv[2])) {
            if (matches++ >= skip) {
                long long pos = fromTail ? (long long)(llen - index - 1) : (long long)index;
                addReplyLongLong(c, pos);
                found++;
                if (count == -1) break;
            }
        }
        index++;
    }
    quicklistIterEnd(&it);
    if (count != -1)
        setDeferredArrayLen(c, handle, (long long)found);
    else if (!found)
        addReplyNull(c);
}

/* ------------------------------------------------------------------------
 * Pop and move
 * ---------------------------------------------------------------------- */

static void popGenericCommand(Client *c, int where) {
    if (c->argc > 3) {
        addReplyErrorArity(c);
        return;
    }
    bool hasCount = c->argc == 3;
    long long count = 1;
    if (hasCount && (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &count) || count < 0)) {
        addReplyError(c, errMustBePositive);
        return;
    }
    bool wrongType;
    Object *o = lookupListWrite(c, c->db, &c->argv[1], &wrongType);
    if (wrongType) return;
    if (!o) {
        if (hasCount)
            addReplyNullArray(c);
        else
            addReplyNull(c);
        return;
    }
    if (!hasCount) {
        listPopReply(c, c->db, o, where, 1);
        return;
    }
    if (count == 0) {
        addReplyArrayLen(c, 0);
        return;
    }
    unsigned long n = listTypeLength(o);
    if ((unsigned long long)count < n) n = (unsigned long)count;
    addReplyArrayLen(c, (long long)n);
    listPopReply(c, c->db, o, where, n);
}

void lpopCommand(Client *c) {
    popGenericCommand(c, QL_HEAD);
}

void rpopCommand(Client *c) {
    popGenericCommand(c, QL_TAIL);
}

static void lmoveGenericCommand(Client *c, int wherefrom, int whereto) {
    bool wrongType;
    Object *src = lookupListWrite(c, c->db, &c->argv[1], &wrongType);
    if (wrongType) return;
    if (!src) {
        addReplyNull(c);
        return;
    }
    Object *dst = lookupListWrite(c, c->db, &c->argv[2], &wrongType);
    if (wrongType) return;
    listMove(c, c->db, src, dst, c->argv[2].ptr, c->argv[2].len, wherefrom, whereto);
}

void lmoveCommand(Client *c) {
    int wherefrom, whereto;
    if (!parseWhereOrReply(c, &c->argv[3], &wherefrom) ||
        !parseWhereOrReply(c, &c->argv[4], &whereto))
        return;
    lmoveGenericCommand(c, wherefrom, whereto);
}

void rpoplpushCommand(Client *c) {
    lmoveGenericCommand(c, QL_TAIL, QL_HEAD);
}

/* BLMOVE / BRPOPLPUSH once the timeout is parsed. */
static void blmoveGenericCommand(Client *c, int wherefrom, int whereto, long long deadline) {
    bool wrongType;
    Object *src = lookupListWrite(c, c->db, &c->argv[1], &wrongType);
    if (wrongType) return;
    if (src) {
        long long dirty = stats.dirty;
        lmoveGenericCommand(c, wherefrom, whereto);
        if (stats.dirty != dirty)
            propagateMove(c, c->db, true, c->cmd->proc == brpoplpushCommand, &c->argv[1],
                          &c->argv[2], wherefrom, whereto);
        return;
    }
    if (!blockingAllowed(c)) {
        addReplyNull(c); /* Redis 7.0: a null bulk here, a null array on timeout */
        return;
    }
    listBlock(c, &c->argv[1], 1, deadline, wherefrom, whereto, 0, &c->argv[2]);
}

void blmoveCommand(Client *c) {
    int wherefrom, whereto;
    long long deadline;
    if (!parseWhereOrReply(c, &c->argv[3], &wherefrom) ||
        !parseWhereOrReply(c, &c->argv[4], &whereto) ||
        !blockingParseTimeoutOrReply(c, &c->argv[5], &deadline))
        return;
    blmoveGenericCommand(c, wherefrom, whereto, deadline);
}

void brpoplpushCommand(Client *c) {
    long long deadline;
    if (!blockingParseTimeoutOrReply(c, &c->argv[3], &deadline)) return;
    blmoveGenericCommand(c, QL_TAIL, QL_HEAD, deadline);
}

/* BLPOP / BRPOP key [key ...] timeout */
static void blockingPopGenericCommand(Client *c, int where) {
    long long deadline;
    if (!blockingParseTimeoutOrReply(c, &c->argv[c->argc - 1], &deadline)) return;
    for (int j = 1; j < c->argc - 1; j++) {
        bool wrongType;
        Object *o = lookupListWrite(c, c->db, &c->argv[j], &wrongType);
        if (wrongType) return;
        if (!o) continue;
        addReplyArrayLen(c, 2);
        addReplyBulk(c, c->argv[j].ptr, c->argv[j].len);
        propagatePop(c, c->db, true, c->argv[j].ptr, c->argv[j].len, where, 0);
        listPopReply(c, c->db, o, where, 1);
        return;
    }
    if (!blockingAllowed(c)) {
        addReplyNullArray(c);
        return;
    }
    listBlock(c, &c->argv[1], c->argc - 2, deadline, where, QL_HEAD, 0, NULL);
}

void blpopCommand(Client *c) {
    blockingPopGenericCommand(c, QL_HEAD);
}

void brpopCommand(Client *c) {
    blockingPopGenericCommand(c, QL_TAIL);
}

/* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count], and BLMPOP with a
 * timeout before numkeys (numkeysIdx 2). */
static void mpopGenericCommand(Client *c, int numkeysIdx, bool block) {
    long long numkeys;
    if (!strToLongLong(c->argv[numkeysIdx].ptr, c->argv[numkeysIdx].len, &numkeys) || numkeys < 1) {
        addReplyError(c, errNumkeys);
        return;
    }
    if (numkeys > (long long)(c->argc - numkeysIdx - 2)) {
        addReplyError(c, errSyntax);
        return;
    }
    int whereIdx = numkeysIdx + (int)numkeys + 1;
    int where;
    if (!parseWhereOrReply(c, &c->argv[whereIdx], &where)) return;
    long long count = -1;
    for (int j = whereIdx + 1; j < c->argc; j++) {
        if (count == -1 && argIs(&c->argv[j], "count") && j + 1 < c->argc) {
            j++;
            if (!strToLongLong(c->argv[j].ptr, c->argv[j].len, &count) || count < 1) {
                addReplyError(c, errCount);
                return;
            }
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    if (count == -1) count = 1;
    /* BLMPOP's timeout comes first but is read last, as in Redis 7.0. */
    long long deadline = 0;
    if (block && !blockingParseTimeoutOrReply(c, &c->argv[1], &deadline)) return;
    const Arg *keys = &c->argv[numkeysIdx + 1];
    for (int j = 0; j < (int)numkeys; j++) {
        bool wrongType;
        Object *o = lookupListWrite(c, c->db, &keys[j], &wrongType);
        if (wrongType) return;
        if (!o) continue;
        unsigned long n = listTypeLength(o);
        if ((unsigned long long)count < n) n = (unsigned long)count;
        addReplyArrayLen(c, 2);
        addReplyBulk(c, keys[j].ptr, keys[j].len);
        addReplyArrayLen(c, (long long)n);
        propagatePop(c, c->db, true, keys[j].ptr, keys[j].len, where, (long long)n);
        listPopReply(c, c->db, o, where, n);
        return;
    }
    if (!block || !blockingAllowed(c)) {
        addReplyNullArray(c);
        return;
    }
    listBlock(c, keys, (int)numkeys, deadline, where, QL_HEAD, count, NULL);
}

void lmpopCommand(Client *c) {
    mpopGenericCommand(c, 1, false);
}

void blmpopCommand(Client *c) {
    mpopGenericCommand(c, 2, true);
}

/* Keys of LMPOP/BLMPOP: numkeys (read like atoi, as Redis does) keys after
 * it; none when numkeys is below 1 or more than the arguments left. */
static int mpopKeys(int argc, Arg *argv, int numkeysIdx, int *keys, int maxKeys) {
    if (numkeysIdx >= argc) return 0;
    const Arg *a = &argv[numkeysIdx];
    long long n = 0;
    size_t i = 0;
    bool neg = false;
    while (i < a->len && (a->ptr[i] == ' ' || a->ptr[i] == '\t')) i++;
    if (i < a->len && (a->ptr[i] == '-' || a->ptr[i] == '+')) neg = a->ptr[i++] == '-';
    while (i < a->len && a->ptr[i] >= '0' && a->ptr[i] <= '9' && n < INT_MAX)
        n = n * 10 + (a->ptr[i++] - '0');
    if (neg) n = -n;
    if (n < 1 || n > argc - numkeysIdx - 1) return 0;
    int count = 0;
    for (int j = 0; j < (int)n && count < maxKeys; j++) keys[count++] = numkeysIdx + 1 + j;
    return count;
}

int lmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    return mpopKeys(argc, argv, 1, keys, maxKeys);
}

int blmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    return mpopKeys(argc, argv, 2, keys, maxKeys);
}
