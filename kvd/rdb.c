/* rdb.c — kvd's objects in RDB files and DUMP payloads, SAVE/BGSAVE, save
 * points, loading at start-up and the persistence state INFO shows.
 *
 * Saving maps each encoding onto the RDB type Redis 7.0 writes for it, so
 * the files are what Redis would write for the same data:
 *
 *   string  int → INT8/16/32 string or decimal text; raw/embstr → string
 *           (integer-encoded or LZF when that is what Redis would do)
 *   list    quicklist → LIST_QUICKLIST_2, one PACKED listpack per node, or
 *           one PLAIN element for a plain node (LZF-compressed nodes are
 *           written as they are kept)
 *   set     intset → SET_INTSET (the blob); hashtable → SET
 *   hash    listpack → HASH_LISTPACK (the blob); hashtable → HASH
 *   zset    listpack → ZSET_LISTPACK (the blob); skiplist → ZSET_2, members
 *           from the highest score down (so loading inserts at the head)
 *
 * Loading goes through common/rdbfile.c's parser with a "sink" (LoadSink
 * below) that builds one object per key from the parser's events, accepting
 * every older encoding Redis 7.0 still reads (zipmap, ziplists, quicklists
 * of ziplists, plain lists, ZSET with text scores) and converting them to
 * kvd's encodings under the current *-max-listpack-* limits. Nothing from a
 * file or a RESTORE payload is trusted: listpacks and intsets are validated
 * deeply (bounds, counts, pairing, duplicates) before being adopted.
 *
 * BGSAVE forks: the child writes the snapshot with rdbSaveFile() and exits
 * 0/1; the parent polls it from rdbCron(), as Redis does from serverCron.
 */
#include "debug.h"
#include "rdb.h"

#include "config.h"
#include "crc64.h"
#include "db.h"
#include "dict.h"
#include "intset.h"
#include "listpack.h"
#include "log.h"
#include "mem.h"
#include "numconv.h"
#include "quicklist.h"
#include "server.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"
#include "zskiplist.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *const rdbMisconfError =
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to "
    "disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB "
    "error.";

const char *const rdbLoadingError = "LOADING Redis is loading the dataset in memory";

/* Seconds to wait after a failed BGSAVE before a save point retries
 * (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
#define BGSAVE_RETRY_DELAY 5

/* ---- state owned by this module ---- */
static pid_t childPid = -1;
static long long childStartMs = 0;
static long long dirtyBeforeBgsave = 0;
static long long lastBgsaveTry = 0; /* seconds */
static bool lastBgsaveOk = true;
static long long lastBgsaveTimeSec = -1;
static long long rdbSaves = 0;
static bool bgsaveScheduled = false;
static long long lastLoadKeysLoaded = 0;
static long long lastLoadKeysExpired = 0;
static RdbFunctionLoader *functionLoader = NULL;
static RdbChildActiveFn *otherChildProbe = NULL;
static unsigned long long lastCowSize = 0;     /* bytes, measured by the last BGSAVE child */
static RdbForkCow cowPipe = {{-1, -1}, false}; /* child -> parent: progress, CoW */

/* The start-up load in progress, of an RDB file or of the AOF files
 * (INFO loading_*, -LOADING replies, progress lines): one state for both,
 * driven by rdbLoadingStart/Progress/Stop. */
static struct {
    bool active;
    bool serveEvents;   /* run the event loop now and then (start-up only) */
    bool serveBusy;     /* poll clients now and then from inside a command */
    const char *what;   /* "RDB" or "AOF", for the progress line */
    const char *unit;   /* what `keys` counts there ("keys", "commands") */
    long long startSec; /* loading_start_time */
    long long startMs;
    uint64_t totalBytes;   /* size of the file(s); 0 = not known yet */
    uint64_t fileBase;     /* bytes of the files loaded before the current one */
    uint64_t loadedBytes;  /* read so far, over all files */
    long long rdbUsedMem;  /* the file's used-mem aux field */
    long long keys;        /* keys (commands) loaded so far */
    long long lastLogMs;   /* last progress log line */
    long long lastServeMs; /* last progress call (clients served) */
} loading;

/* Bytes and keys between two turns of the event loop while loading
 * (Redis's loading-process-events-interval-bytes default and its fixed
 * key interval). */
#define LOADING_EVENTS_BYTES (2 * 1024 * 1024)
#define LOADING_EVENTS_KEYS  8192
/* ...and, checked once in LOADING_CHECK_KEYS keys, whenever this many ms
 * passed since clients were last served (slow keys: big values, a slow
 * disk, key-load-delay). */
#define LOADING_CHECK_KEYS 1024
#define LOADING_EVENTS_MS  100
/* At most one "Loading RDB: …" progress line per this many ms. */
#define LOADING_LOG_INTERVAL_MS 5000

void rdbSetOtherChildProbe(RdbChildActiveFn *fn) {
    otherChildProbe = fn;
}

bool rdbOtherChildActive(void) {
    return otherChildProbe && otherChildProbe();
}

bool rdbBgsaveScheduled(void) {
    return bgsaveScheduled;
}

bool rdbIsLoading(void) {
    return loading.active;
}

/* Redis's debugDelay: a positive value sleeps that many microseconds; a
 * negative -N sleeps 1 µs once in N calls on average. */
static void testingDelay(long long usec) {
    if (usec < 0) usec = (rand() % (int)(-usec > INT32_MAX ? INT32_MAX : -usec)) == 0 ? 1 : 0;
    if (usec > 0) usleep((useconds_t)(usec > 1000000 ? 1000000 : usec));
}

/* CLOCK_MONOTONIC in ms: the same clock in the parent and its fork child,
 * so the child can stamp its CoW readings and the parent age them;
 * also the pace of serving clients while loading. */
static long long monotonicMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static RdbFunctionSaver *functionSaver = NULL;

void rdbSetFunctionSaver(RdbFunctionSaver *fn) {
    functionSaver = fn;
}

void rdbSetFunctionLoader(RdbFunctionLoader *fn) {
    functionLoader = fn;
}

pid_t rdbChildPid(void) {
    return childPid;
}

static bool policyIsLfu(void) {
    return config.maxmemoryPolicy == MAXMEMORY_VOLATILE_LFU ||
           config.maxmemoryPolicy == MAXMEMORY_ALLKEYS_LFU;
}

static bool policyIsLru(void) {
    return config.maxmemoryPolicy == MAXMEMORY_VOLATILE_LRU ||
           config.maxmemoryPolicy == MAXMEMORY_ALLKEYS_LRU;
}

/* Minutes clock of the LFU layout (16 bits). */
static unsigned long lfuMinutes(void) {
    return (unsigned long)(serverNowMs() / 1000 / 60) & 65535;
}

/* The LFU counter of o decayed by the time since its last access (Redis's
 * LFUDecrAndReturn; the same arithmetic as keyspace.c's OBJECT FREQ, which
 * keeps it private). */
static unsigned long lfuDecayedCounter(const Object *o) {
    unsigned long ldt = o->lru >> 8;
    unsigned long counter = o->lru & 255;
    unsigned long now = lfuMinutes();
    unsigned long elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    unsigned long periods = config.lfuDecayTime ? elapsed / (unsigned long)config.lfuDecayTime : 0;
    return periods > counter ? 0 : counter - periods;
}

/* Sets o's clock from an IDLE or FREQ hint, for the policy in force (Redis's
 * objectSetLRUOrLFU). idleSec / freq are -1 when absent. */
void rdbApplyClockHints(Object *o, long long idleSec, int freq) {
    if (policyIsLfu()) {
        if (freq >= 0) o->lru = (uint32_t)((lfuMinutes() << 8) | (unsigned)(freq & 255));
    } else if (idleSec >= 0) {
        uint32_t now = serverLruClock();
        unsigned long long idle = (unsigned long long)idleSec;
        if (idle >= OBJ_LRU_CLOCK_MAX_VALUE) idle = OBJ_LRU_CLOCK_MAX_VALUE - 1;
        o->lru =
            idle <= now ? now - (uint32_t)idle : OBJ_LRU_CLOCK_MAX_VALUE - ((uint32_t)idle - now);
    }
}

/* ------------------------------------------------------------------------
 * Saving objects
 * ---------------------------------------------------------------------- */

int rdbObjectType(const Object *o) {
    switch (o->type) {
        case OBJ_STRING: return RDB_TYPE_STRING;
        case OBJ_LIST: return RDB_TYPE_LIST_QUICKLIST_2;
        case OBJ_SET: return o->encoding == OBJ_ENC_INTSET ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
        case OBJ_HASH:
            return o->encoding == OBJ_ENC_LISTPACK ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
        case OBJ_ZSET:
            return o->encoding == OBJ_ENC_LISTPACK ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
        default: return -1;
    }
}

static bool saveList(RdbWriter *w, const Object *o) {
    const Quicklist *ql = listOf(o);
    rdbWriteLen(w, ql->len);
    for (const QuicklistNode *n = ql->head; n; n = n->next) {
        rdbWriteLen(w, n->plain ? RDB_QUICKLIST_NODE_PLAIN : RDB_QUICKLIST_NODE_PACKED);
        if (n->compressed) {
            const QuicklistLzf *z = (const QuicklistLzf *)n->data;
            rdbWriteLzfString(w, z->bytes, z->len, n->sz);
        } else {
            rdbWriteString(w, n->data, n->sz);
        }
    }
    return !w->failed;
}

static bool saveSet(RdbWriter *w, const Object *o) {
    Set s = setOf(o);
    if (s.encoding == OBJ_ENC_INTSET) return rdbWriteString(w, s.ptr, intsetBlobLen(s.ptr));
    rdbWriteLen(w, setSize(&s));
    SetIter it;
    SetElem e;
    setIterInit(&it, &s);
    while (!w->failed && setIterNext(&it, &e)) {
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = setElemBytes(&e, buf, &len);
        rdbWriteString(w, p, len);
    }
    setIterRelease(&it);
    return !w->failed;
}

static bool writeHashValue(RdbWriter *w, const HashValue *v) {
    if (v->s) return rdbWriteString(w, v->s, v->len);
    return rdbWriteLongLongAsString(w, v->ll);
}

static bool saveHash(RdbWriter *w, const Object *o) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        const unsigned char *lp = objPtr(o);
        return rdbWriteString(w, lp, lpBytes(lp));
    }
    rdbWriteLen(w, hashTypeLength(o));
    HashTypeIter it;
    HashValue f, v;
    hashTypeIterInit(&it, o);
    while (!w->failed && hashTypeIterNext(&it, &f, &v)) {
        writeHashValue(w, &f);
        writeHashValue(w, &v);
    }
    hashTypeIterRelease(&it);
    return !w->failed;
}

static bool saveZset(RdbWriter *w, const Object *o) {
    Zset z = zsetOf(o);
    if (z.encoding == OBJ_ENC_LISTPACK) {
        const unsigned char *lp = z.ptr;
        return rdbWriteString(w, lp, lpBytes(lp));
    }
    const Zsl *zsl = z.ptr;
    rdbWriteLen(w, zsl->length);
    for (const ZslNode *n = zslLast(zsl); n && !w->failed; n = zslPrev(n)) {
        rdbWriteString(w, zslNodeMember(n), zslNodeMemberLen(n));
        rdbWriteBinaryDouble(w, n->score);
    }
    return !w->failed;
}

bool rdbSaveObjectValue(RdbWriter *w, const Object *o) {
    switch (o->type) {
        case OBJ_STRING:
            if (o->encoding == OBJ_ENC_INT) return rdbWriteLongLongAsString(w, objInt(o));
            {
                char buf[LONG_STR_SIZE];
                size_t len;
                const char *p = objStringBytes(o, buf, &len);
                return rdbWriteString(w, p, len);
            }
        case OBJ_LIST: return saveList(w, o);
        case OBJ_SET: return saveSet(w, o);
        case OBJ_HASH: return saveHash(w, o);
        case OBJ_ZSET: return saveZset(w, o);
        default:
            if (!w->failed) {
                w->failed = true;
                w->savedErrno = ENOTSUP;
            }
            return false;
    }
}

size_t rdbSerializedLength(const Object *o) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, false, config.rdbcompression);
    rdbSaveObjectValue(&w, o);
    size_t n = (size_t)w.written;
    rdbWriterFreeBuffer(&w);
    return n;
}

dstr rdbDumpObject(const Object *o) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, false, config.rdbcompression);
    int type = rdbObjectType(o);
    if (type < 0) {
        rdbWriterFreeBuffer(&w);
        return NULL;
    }
    rdbWriteType(&w, (unsigned char)type);
    rdbSaveObjectValue(&w, o);
    rdbWriteDumpTrailer(&w);
    if (w.failed) {
        rdbWriterFreeBuffer(&w);
        return NULL;
    }
    return rdbWriterTakeBuffer(&w);
}

/* One key: expire, LRU/LFU hint, type, key, value (Redis's
 * rdbSaveKeyValuePair). */
static bool saveKey(RdbWriter *w, const Object *o) {
    long long expire = objGetExpire(o);
    if (expire != -1) {
        rdbWriteType(w, RDB_OPCODE_EXPIRETIME_MS);
        rdbWriteMillis(w, expire);
    }
    if (policyIsLru()) {
        rdbWriteType(w, RDB_OPCODE_IDLE);
        rdbWriteLen(w, (uint64_t)(serverEstimateIdleMs(o->lru) / 1000));
    } else if (policyIsLfu()) {
        unsigned char freq = (unsigned char)lfuDecayedCounter(o);
        rdbWriteType(w, RDB_OPCODE_FREQ);
        rdbWriteRaw(w, &freq, 1);
    }
    int type = rdbObjectType(o);
    if (type < 0) {
        logMsg(LL_WARNING, "RDB: cannot save key '%.*s': its type has no RDB encoding yet",
               (int)(objKeyLen(o) > 128 ? 128 : objKeyLen(o)), objKey(o));
        w->failed = true;
        w->savedErrno = ENOTSUP;
        return false;
    }
    rdbWriteType(w, (unsigned char)type);
    rdbWriteString(w, objKey(o), objKeyLen(o));
    return rdbSaveObjectValue(w, o);
}

bool rdbSaveToWriter(RdbWriter *w, bool aofBase) {
    rdbWriteHeader(w);
    rdbWriteAuxString(w, "redis-ver", KV_VERSION);
    rdbWriteAuxLongLong(w, "redis-bits", sizeof(void *) == 8 ? 64 : 32);
    rdbWriteAuxLongLong(w, "ctime", (long long)time(NULL));
    rdbWriteAuxLongLong(w, "used-mem", (long long)kvMemUsed());
    rdbWriteAuxLongLong(w, "aof-base", aofBase ? 1 : 0);
    if (functionSaver) functionSaver(w);
    for (int id = 0; id < dbCount() && !w->failed; id++) {
        Db *db = dbGet(id);
        if (dictSize(db->keys) == 0) continue;
        rdbWriteType(w, RDB_OPCODE_SELECTDB);
        rdbWriteLen(w, (uint64_t)id);
        rdbWriteType(w, RDB_OPCODE_RESIZEDB);
        rdbWriteLen(w, dictSize(db->keys));
        rdbWriteLen(w, dictSize(db->expires));
        /* Keys are saved SAVE_AHEAD keys after the walk reaches them, their
         * values' memory being prefetched meanwhile (the walk stalls on
         * memory otherwise: the values are scattered). */
        enum { SAVE_AHEAD = 8 };
        const Object *ahead[SAVE_AHEAD];
        size_t n = 0;
        DictIter it;
        DictLink *l;
        dictIterInit(&it, db->keys, false);
        for (;;) {
            l = w->failed ? NULL : dictIterNext(&it);
            if (!l && n == 0) break;
            const Object *o = NULL;
            if (l) {
                const Object *next = (const Object *)l;
                if (next->encoding != OBJ_ENC_INT && next->encoding != OBJ_ENC_EMBSTR)
                    __builtin_prefetch(objPtr(next));
                if (n < SAVE_AHEAD) {
                    ahead[n++] = next;
                    continue;
                }
                o = ahead[0];
                memmove(ahead, ahead + 1, sizeof(ahead[0]) * (SAVE_AHEAD - 1));
                ahead[SAVE_AHEAD - 1] = next;
            } else {
                o = ahead[0];
                memmove(ahead, ahead + 1, sizeof(ahead[0]) * --n);
            }
            if (w->failed) break;
            saveKey(w, o);
            w->keysSaved++;
            rdbSavedKey((long long)w->keysSaved);
        }
        dictIterRelease(&it);
    }
    rdbWriteFooter(w);
    return !w->failed;
}

/* ------------------------------------------------------------------------
 * Loading: the sink that builds objects from parser events
 * ---------------------------------------------------------------------- */

/* A loaded key waiting for its insert. Keys go into the keyspace two keys
 * late, so that what the insert (and its duplicate check) reads arrives
 * while later keys are parsed instead of stalling the load: the bucket is
 * prefetched at the key's start, the first chain entry one key later (when
 * the bucket is there to read), and the insert comes one key after that. */
typedef struct PendingKey {
    Object *obj; /* NULL: none */
    uint64_t hash, offset;
    long long expireMs, idleSec;
    int dbid, freq, type;
} PendingKey;

typedef struct LoadSink {
    RdbParser *parser;
    /* the value being built */
    const char *key;
    size_t klen;
    int type;
    Object *obj; /* strings, lists, hashes */
    Set set;     /* sets are built apart and wrapped at the end */
    bool haveSet;
    Zset zset; /* so are sorted sets */
    bool haveZset;
    size_t zsetMaxLen, zsetTotalLen; /* members seen, for the final encoding */
    /* ziplist/zipmap pair walks: the field waiting for its value */
    const unsigned char *pendingField;
    size_t pendingLen;
    char pendingBuf[LONG_STR_SIZE];
    bool havePending;
    /* whole-file loading */
    uint64_t keyHash;   /* of the current key in its db's keys dict */
    PendingKey pend[2]; /* keys waiting for their insert, oldest first */
    /* a duplicate found on a late insert: the key the error is about */
    bool dupReported;
    char dupKey[64];
    int dupKeyLen, dupType;
    int flags;
    long long now;
    RdbLoadInfo *info;
} LoadSink;

static bool sinkFail(LoadSink *s, const char *why) {
    return rdbReaderFail(s->parser->reader, "%s", why);
}

/* Drops whatever was built for the current key. */
static void sinkDiscard(LoadSink *s) {
    if (s->obj) objFree(s->obj);
    if (s->haveSet) setFree(&s->set);
    if (s->haveZset) zsetFree(&s->zset);
    s->obj = NULL;
    s->haveSet = false;
    s->haveZset = false;
    s->havePending = false;
}

static bool sinkString(void *priv, const char *p, size_t len) {
    LoadSink *s = priv;
    if (s->type != RDB_TYPE_STRING) return sinkFail(s, "Unexpected string value");
    s->obj = objNewString(s->key, s->klen, p, len, true, -1);
    return true;
}

static bool sinkCount(void *priv, uint64_t n) {
    LoadSink *s = priv;
    if (n == 0 && s->type != RDB_TYPE_STREAM_LISTPACKS && s->type != RDB_TYPE_STREAM_LISTPACKS_2)
        return true; /* an empty value: refused as such at the end */
    switch (s->type) {
        case RDB_TYPE_LIST:
        case RDB_TYPE_LIST_QUICKLIST:
        case RDB_TYPE_LIST_QUICKLIST_2: s->obj = listTypeCreateObject(s->key, s->klen); return true;
        case RDB_TYPE_SET:
            /* As Redis: an intset unless the count alone rules it out. */
            if (n > setMaxIntsetEntries()) {
                /* The count is untrusted: size the table by what can follow. */
                uint64_t rem = rdbReaderRemaining(s->parser->reader);
                s->set = setNewHashtable((size_t)(n < rem ? n : rem));
            } else {
                s->set = setNewIntset();
            }
            s->haveSet = true;
            return true;
        case RDB_TYPE_HASH:
            s->obj = hashTypeCreateObject(s->key, s->klen);
            if ((long long)n > config.hashMaxListpackEntries) hashTypeConvertToHashtable(s->obj);
            return true;
        case RDB_TYPE_STREAM_LISTPACKS:
        case RDB_TYPE_STREAM_LISTPACKS_2:
            return sinkFail(s, "Stream values are not supported by this server yet");
        case RDB_TYPE_ZSET:
        case RDB_TYPE_ZSET_2:
            /* Scores arrive unordered: build a skiplist and pick the final
             * encoding once every member is known, as Redis does. */
            s->zset = zsetNewSkiplist();
            s->haveZset = true;
            s->zsetMaxLen = s->zsetTotalLen = 0;
            return true;
        default: return sinkFail(s, "Unexpected collection");
    }
}

static bool sinkElement(void *priv, const char *p, size_t len) {
    LoadSink *s = priv;
    if (s->type == RDB_TYPE_LIST && s->obj) {
        listTypePush(s->obj, QL_TAIL, p, len);
        return true;
    }
    if (s->type == RDB_TYPE_SET && s->haveSet) {
        if (!setAdd(&s->set, p, len)) return sinkFail(s, "Duplicate set members detected");
        return true;
    }
    return sinkFail(s, "Unexpected element");
}

static bool sinkField(void *priv, const char *f, size_t flen, const char *v, size_t vlen) {
    LoadSink *s = priv;
    if (s->type != RDB_TYPE_HASH || !s->obj) return sinkFail(s, "Unexpected hash field");
    if (hashTypeSet(s->obj, f, flen, v, vlen)) return sinkFail(s, "Duplicate hash fields detected");
    return true;
}

/* Adds a member to the sorted set being built; a repeated member is an
 * error. */
static bool zsetLoadAdd(LoadSink *s, const char *m, size_t mlen, double score) {
    int out = 0;
    if (!zsetAdd(&s->zset, score, m, mlen, ZADD_IN_NX, &out, NULL))
        return sinkFail(s, "Zset with NAN score detected");
    if (out & ZADD_OUT_NOP) return sinkFail(s, "Duplicate zset fields detected");
    if (mlen > s->zsetMaxLen) s->zsetMaxLen = mlen;
    s->zsetTotalLen += mlen;
    return true;
}

static bool sinkScored(void *priv, const char *m, size_t mlen, double score) {
    LoadSink *s = priv;
    if (!s->haveZset) return sinkFail(s, "Unexpected sorted set member");
    return zsetLoadAdd(s, m, mlen, score);
}

/* Ziplist / zipmap entry → text (integers into buf). */
static const unsigned char *entryText(const unsigned char *p, size_t *len, long long v,
                                      char buf[LONG_STR_SIZE]) {
    if (p) return p;
    *len = (size_t)llToStr(buf, LONG_STR_SIZE, v);
    return (const unsigned char *)buf;
}

/* Walk callbacks converting legacy encodings. */
static bool legacyListEntry(void *priv, const unsigned char *p, size_t len, long long v) {
    LoadSink *s = priv;
    char buf[LONG_STR_SIZE];
    p = entryText(p, &len, v, buf);
    listTypePush(s->obj, QL_TAIL, p, len);
    return true;
}

static bool legacyHashEntry(void *priv, const unsigned char *p, size_t len, long long v) {
    LoadSink *s = priv;
    if (!s->havePending) {
        s->pendingField = entryText(p, &len, v, s->pendingBuf);
        s->pendingLen = len;
        s->havePending = true;
        return true;
    }
    char buf[LONG_STR_SIZE];
    p = entryText(p, &len, v, buf);
    s->havePending = false;
    return !hashTypeSet(s->obj, s->pendingField, s->pendingLen, p, len); /* dup: fail */
}

static bool legacyZsetEntry(void *priv, const unsigned char *p, size_t len, long long v) {
    LoadSink *s = priv;
    if (!s->havePending) {
        s->pendingField = entryText(p, &len, v, s->pendingBuf);
        s->pendingLen = len;
        s->havePending = true;
        return true;
    }
    double score = (double)v;
    if (p && !strToDouble((const char *)p, len, &score)) return false;
    s->havePending = false;
    return zsetLoadAdd(s, (const char *)s->pendingField, s->pendingLen, score);
}

static bool loadZsetListpack(LoadSink *s, unsigned char **blob, size_t len) {
    unsigned long pairs;
    size_t maxLen;
    const char *why = rdbCheckPairListpack(*blob, len, true, &pairs, &maxLen);
    if (why) return sinkFail(s, why);
    if (pairs == 0) return true; /* empty: refused at the end */
    s->zset.encoding = OBJ_ENC_LISTPACK;
    s->zset.ptr = *blob;
    s->haveZset = true;
    *blob = NULL;
    if ((long long)pairs > config.zsetMaxListpackEntries ||
        (long long)maxLen > config.zsetMaxListpackValue)
        zsetConvert(&s->zset, OBJ_ENC_SKIPLIST);
    return true;
}

static bool loadListpackNode(LoadSink *s, unsigned char **blob, size_t len) {
    if (!lpValidate(*blob, len, true)) return sinkFail(s, "Listpack integrity check failed.");
    if (lpLength(*blob) == 0) return true; /* Redis skips empty nodes silently */
    if (quicklistAppendListpack(listOf(s->obj), *blob)) {
        *blob = NULL;
        return true;
    }
    /* Too many entries for one node here: push them one by one. */
    for (unsigned char *p = lpFirst(*blob); p; p = lpNext(*blob, p)) {
        char buf[LP_INTBUF_SIZE];
        uint32_t l;
        const unsigned char *e = lpGetString(p, &l, buf);
        listTypePush(s->obj, QL_TAIL, e, l);
    }
    return true;
}

static bool loadHashListpack(LoadSink *s, unsigned char **blob, size_t len) {
    unsigned long pairs;
    size_t maxLen;
    const char *why = rdbCheckPairListpack(*blob, len, false, &pairs, &maxLen);
    if (why) return sinkFail(s, why);
    if (pairs == 0) return true; /* empty: refused at the end */
    hashTypeInit();
    s->obj = objNewPtr(s->key, s->klen, OBJ_HASH, OBJ_ENC_LISTPACK, *blob, -1);
    *blob = NULL;
    if ((long long)pairs > config.hashMaxListpackEntries ||
        (long long)maxLen > config.hashMaxListpackValue)
        hashTypeConvertToHashtable(s->obj);
    return true;
}

static bool loadIntset(LoadSink *s, unsigned char **blob, size_t len) {
    if (!intsetValidate(*blob, len, true)) return sinkFail(s, "Intset integrity check failed.");
    s->set.encoding = OBJ_ENC_INTSET;
    s->set.ptr = *blob;
    s->haveSet = true;
    *blob = NULL;
    if (intsetLen(s->set.ptr) > setMaxIntsetEntries()) setConvertToHashtable(&s->set);
    return true;
}

static bool sinkBlob(void *priv, int kind, unsigned char **blob, size_t len) {
    LoadSink *s = priv;
    unsigned long count;
    switch (s->type) {
        case RDB_TYPE_SET_INTSET: return loadIntset(s, blob, len);
        case RDB_TYPE_HASH_LISTPACK: return loadHashListpack(s, blob, len);
        case RDB_TYPE_HASH_ZIPMAP:
        case RDB_TYPE_HASH_ZIPLIST: {
            s->obj = hashTypeCreateObject(s->key, s->klen);
            s->havePending = false;
            bool ok = kind == RDB_BLOB_ZIPMAP
                          ? rdbZipmapWalk(*blob, len, legacyHashEntry, s, &count)
                          : rdbZiplistWalk(*blob, len, legacyHashEntry, s, &count);
            if (!ok || s->havePending)
                return sinkFail(s, kind == RDB_BLOB_ZIPMAP
                                       ? "Zipmap integrity check failed."
                                       : "Hash ziplist integrity check failed.");
            return true;
        }
        case RDB_TYPE_LIST_ZIPLIST:
            s->obj = listTypeCreateObject(s->key, s->klen);
            /* fall through */
        case RDB_TYPE_LIST_QUICKLIST:
            if (!s->obj || kind != RDB_BLOB_ZIPLIST) return sinkFail(s, "Unexpected list node");
            if (!rdbZiplistWalk(*blob, len, legacyListEntry, s, &count))
                return sinkFail(s, "Ziplist integrity check failed.");
            return true;
        case RDB_TYPE_LIST_QUICKLIST_2:
            if (!s->obj) return sinkFail(s, "Unexpected list node");
            if (kind == RDB_BLOB_PLAIN) {
                /* Kept as a plain node whatever its size, as Redis does. */
                if (len == 0 || !*blob) {
                    listTypePush(s->obj, QL_TAIL, "", 0);
                } else {
                    quicklistAppendPlain(listOf(s->obj), *blob, len);
                    *blob = NULL;
                }
                return true;
            }
            return loadListpackNode(s, blob, len);
        case RDB_TYPE_ZSET_LISTPACK: return loadZsetListpack(s, blob, len);
        case RDB_TYPE_ZSET_ZIPLIST:
            s->zset = zsetNewSkiplist();
            s->haveZset = true;
            s->zsetMaxLen = s->zsetTotalLen = 0;
            s->havePending = false;
            if (!rdbZiplistWalk(*blob, len, legacyZsetEntry, s, &count) || s->havePending)
                return sinkFail(s, "Zset ziplist integrity check failed.");
            return true;
        case RDB_TYPE_STREAM_LISTPACKS:
        case RDB_TYPE_STREAM_LISTPACKS_2:
            return sinkFail(s, "Stream values are not supported by this server yet");
        default: return sinkFail(s, "Unexpected encoded value");
    }
}

static bool sinkOpaque(void *priv, const char *what) {
    LoadSink *s = priv;
    return rdbReaderFail(s->parser->reader,
                         "The RDB file contains module data I can't load: no matching module "
                         "'%s'",
                         what);
}

/* The finished object for the current key, or NULL when the value is
 * empty (*empty set) or was not built. Ownership passes to the caller. */
static Object *sinkFinish(LoadSink *s, bool *empty) {
    *empty = false;
    if (s->haveSet) {
        s->haveSet = false;
        if (setSize(&s->set) == 0) {
            setFree(&s->set);
            *empty = true;
            return NULL;
        }
        return objNewPtr(s->key, s->klen, OBJ_SET, s->set.encoding, s->set.ptr, -1);
    }
    if (s->haveZset) {
        s->haveZset = false;
        if (zsetLength(&s->zset) == 0) {
            zsetFree(&s->zset);
            *empty = true;
            return NULL;
        }
        if (s->zset.encoding == OBJ_ENC_SKIPLIST && s->type != RDB_TYPE_ZSET_LISTPACK)
            zsetConvertToListpackIfNeeded(&s->zset, s->zsetMaxLen, s->zsetTotalLen);
        return zsetNewObject(s->key, s->klen, &s->zset);
    }
    Object *o = s->obj;
    s->obj = NULL;
    if (!o) {
        *empty = true;
        return NULL;
    }
    bool isEmpty = (o->type == OBJ_LIST && listTypeLength(o) == 0) ||
                   (o->type == OBJ_HASH && hashTypeLength(o) == 0);
    if (isEmpty) {
        objFree(o);
        *empty = true;
        return NULL;
    }
    return o;
}

static const RdbParserCallbacks valueCallbacks = {
    .string = sinkString,
    .count = sinkCount,
    .element = sinkElement,
    .field = sinkField,
    .scored = sinkScored,
    .blob = sinkBlob,
    .opaque = sinkOpaque,
};

static void typesInit(void);

Object *rdbLoadObject(RdbReader *r, int type, const char *key, size_t klen, const char **why) {
    LoadSink s;
    RdbParser p;
    memset(&s, 0, sizeof(s));
    rdbParserInit(&p, r, &valueCallbacks, &s);
    s.parser = &p;
    s.key = key;
    s.klen = klen;
    s.type = type;
    *why = NULL;
    typesInit();
    Object *o = NULL;
    if (!rdbIsObjectType(type)) {
        rdbReaderFail(r, "Invalid object type: %d", type);
    } else if (rdbParseValue(&p, type)) {
        bool empty;
        o = sinkFinish(&s, &empty);
        if (empty) rdbReaderFail(r, "Empty keys are not allowed");
    }
    if (!o) {
        sinkDiscard(&s);
        *why = "Bad data format";
    }
    rdbParserFree(&p);
    return o;
}

/* ------------------------------------------------------------------------
 * Loading whole files
 * ---------------------------------------------------------------------- */

void rdbLoadingStart(const char *what, const char *unit, uint64_t totalBytes) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    memset(&loading, 0, sizeof(loading));
    loading.active = true;
    loading.serveEvents = true;
    loading.what = what;
    loading.unit = unit;
    loading.totalBytes = totalBytes;
    loading.startSec = (long long)tv.tv_sec;
    loading.startMs = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
    loading.lastLogMs = loading.startMs;
    loading.lastServeMs = monotonicMs();
}

void rdbLoadingFileStart(uint64_t bytesBefore) {
    loading.fileBase = bytesBefore;
}

void rdbLoadingServeFromCommand(void) {
    loading.serveEvents = false;
    loading.serveBusy = true;
}

void rdbLoadingStop(void) {
    loading.active = false;
}

/* Called every LOADING_EVENTS_BYTES read and every LOADING_EVENTS_KEYS keys
 * during the start-up load (RDB or AOF): updates the loading_* figures,
 * logs progress now and then, and lets the server answer clients
 * (-LOADING) and signals. */
void rdbLoadingProgress(uint64_t fileOffset, long long keys) {
    if (!loading.active) return;
    loading.lastServeMs = monotonicMs();
    loading.loadedBytes = loading.fileBase + fileOffset;
    if (keys >= 0) loading.keys = keys;
    serverUpdateTime();
    long long now = serverNowMs();
    if (now - loading.lastLogMs >= LOADING_LOG_INTERVAL_MS) {
        loading.lastLogMs = now;
        if (loading.totalBytes)
            logMsg(LL_NOTICE, "Loading %s: %.2f%% (%llu of %llu bytes, %lld %s) in %.1f seconds",
                   loading.what, (double)loading.loadedBytes * 100 / (double)loading.totalBytes,
                   (unsigned long long)loading.loadedBytes, (unsigned long long)loading.totalBytes,
                   loading.keys, loading.unit, (double)(now - loading.startMs) / 1000);
    }
    if (loading.serveEvents)
        serverProcessEventsWhileLoading();
    else if (loading.serveBusy)
        serverProcessEventsWhileBusy();
}

static void loadingProgress(RdbReader *r, void *priv) {
    (void)priv;
    /* Inside an AOF load the keys figure counts commands: left alone. */
    rdbLoadingProgress(r->offset, -1);
}

static bool fileHeader(void *priv, int version) {
    (void)priv;
    (void)version;
    return true;
}

static bool fileAux(void *priv, const char *k, size_t klen, const char *v, size_t vlen) {
    (void)priv;
    (void)klen;
    if (strcmp(k, "redis-ver") == 0) {
        logMsg(LL_NOTICE, "Loading RDB produced by version %.*s", (int)vlen, v);
    } else if (strcmp(k, "ctime") == 0) {
        long long ctime;
        if (strToLongLong(v, vlen, &ctime)) {
            long long age = (long long)time(NULL) - ctime;
            if (age < 0) age = 0;
            logMsg(LL_NOTICE, "RDB age %lld seconds", age);
        }
    } else if (strcmp(k, "used-mem") == 0) {
        long long used;
        if (strToLongLong(v, vlen, &used)) loading.rdbUsedMem = used;
        if (strToLongLong(v, vlen, &used))
            logMsg(LL_NOTICE, "RDB memory usage when created %.2f Mb",
                   (double)used / (1024 * 1024));
    } else if (strcmp(k, "aof-base") == 0 || strcmp(k, "redis-bits") == 0 ||
               strcmp(k, "repl-stream-db") == 0 || strcmp(k, "repl-id") == 0 ||
               strcmp(k, "repl-offset") == 0 || strcmp(k, "lua") == 0 || k[0] == '%') {
        /* Known fields we have no use for yet (replication uses repl-*). */
    } else {
        logMsg(LL_DEBUG, "Unrecognized RDB AUX field: '%s'", k);
    }
    return true;
}

static bool fileSelectDb(void *priv, uint64_t dbid) {
    LoadSink *s = priv;
    if (dbid >= (uint64_t)dbCount())
        return rdbReaderFail(s->parser->reader,
                             "FATAL: Data file was created with a Redis server configured to "
                             "handle more than %d databases. Exiting",
                             dbCount());
    return true;
}

static bool fileResizeDb(void *priv, uint64_t dbSize, uint64_t expiresSize) {
    LoadSink *s = priv;
    Db *db = dbGet(s->parser->dbid);
    uint64_t rem = rdbReaderRemaining(s->parser->reader);
    /* A key takes at least 3 bytes: only trust sizes the file can hold. */
    if (db && rem != UINT64_MAX && dbSize <= rem / 3 && expiresSize <= dbSize) {
        dictExpand(db->keys, dictSize(db->keys) + (size_t)dbSize);
        dictExpand(db->expires, dictSize(db->expires) + (size_t)expiresSize);
    }
    return true;
}

static bool fileModuleAux(void *priv, const char *name, uint64_t when) {
    LoadSink *s = priv;
    (void)when;
    return rdbReaderFail(s->parser->reader,
                         "The RDB file contains AUX module data I can't load: no matching "
                         "module '%s'",
                         name);
}

static bool fileFunction(void *priv, const char *code, size_t len) {
    LoadSink *s = priv;
    if (!functionLoader) {
        logMsg(LL_WARNING,
               "RDB: skipping a function library (%zu bytes): functions are not "
               "supported by this server yet",
               len);
        return true;
    }
    const char *err = NULL;
    if (!functionLoader(code, len, &err))
        return rdbReaderFail(s->parser->reader, "Failed loading library: %s",
                             err ? err : "unknown error");
    return true;
}

static bool fileKeyBegin(void *priv, const RdbKeyInfo *k) {
    LoadSink *s = priv;
    s->key = k->key;
    s->klen = k->keyLen;
    s->type = k->type;
    s->obj = NULL;
    s->haveSet = false;
    s->haveZset = false;
    /* The key's bucket is fetched while its value is parsed. */
    Db *db = dbGet(k->dbid);
    if (db) {
        s->keyHash = dbKeyHash(db, k->key, k->keyLen);
        dbPrefetchKey(db, s->keyHash);
    }
    return true;
}

/* Inserts a loaded key (ownership of pk->obj passes on); a key already
 * present is an error. */
static bool loadInsert(LoadSink *s, PendingKey *pk) {
    Object *o = pk->obj;
    Db *db = dbGet(pk->dbid);
    pk->obj = NULL;
    if (dbAddIfAbsent(db, o, pk->hash)) {
        size_t klen = objKeyLen(o);
        logMsg(LL_WARNING, "RDB has duplicated key '%.*s' in DB %d", (int)(klen > 256 ? 256 : klen),
               objKey(o), pk->dbid);
        s->dupReported = true;
        s->dupKeyLen = (int)(klen > sizeof(s->dupKey) ? sizeof(s->dupKey) : klen);
        memcpy(s->dupKey, objKey(o), (size_t)s->dupKeyLen);
        s->dupType = pk->type;
        objFree(o);
        RdbReader *r = s->parser->reader;
        rdbReaderFail(r, "Duplicated key found in RDB file");
        r->errOffset = pk->offset;
        return false;
    }
    if (pk->expireMs != -1) o = dbSetExpire(db, o, pk->expireMs);
    rdbApplyClockHints(o, pk->idleSec, pk->freq);
    s->info->keysLoaded++;
    if (config.keyLoadDelay) testingDelay(config.keyLoadDelay);
    if (loading.active && s->info->keysLoaded % LOADING_CHECK_KEYS == 0 &&
        (s->info->keysLoaded % LOADING_EVENTS_KEYS == 0 ||
         monotonicMs() - loading.lastServeMs >= LOADING_EVENTS_MS))
        rdbLoadingProgress(s->parser->reader->offset, s->info->keysLoaded);
    return true;
}

/* Inserts the keys waiting, oldest first. */
static bool loadFlushPending(LoadSink *s) {
    for (int i = 0; i < 2; i++)
        if (s->pend[i].obj && !loadInsert(s, &s->pend[i])) return false;
    return true;
}

static void loadDropPending(LoadSink *s) {
    for (int i = 0; i < 2; i++) {
        if (s->pend[i].obj) objFree(s->pend[i].obj);
        s->pend[i].obj = NULL;
    }
}

static bool fileKeyEnd(void *priv, const RdbKeyInfo *k) {
    LoadSink *s = priv;
    bool empty;
    Object *o = sinkFinish(s, &empty);
    if (!o) {
        if (!empty) return sinkFail(s, "Bad data format");
        s->info->emptySkipped++;
        return true;
    }
    /* As a master, Redis drops keys that expired while the file sat on disk
     * (AOF preambles and replicas keep them for the DELs that follow). */
    if (k->expireMs != -1 && !(s->flags & RDB_LOAD_KEEP_EXPIRED) && k->expireMs < s->now) {
        objFree(o);
        s->info->keysExpired++;
        return true;
    }
    Db *db = dbGet(k->dbid);
    PendingKey pk = {.obj = o,
                     .hash = s->keyHash,
                     .offset = s->parser->reader->offset,
                     .expireMs = k->expireMs,
                     .idleSec = k->idleSec,
                     .dbid = k->dbid,
                     .freq = k->freq,
                     .type = k->type};
    if (s->flags & RDB_LOAD_ALLOW_DUP) {
        /* DEBUG RELOAD MERGE: the file's value replaces the one in memory. */
        if (dbFindRaw(db, k->key, k->keyLen)) dbDelete(db, k->key, k->keyLen);
        return loadInsert(s, &pk);
    }
    if (s->pend[1].obj) dbPrefetchKeyChain(dbGet(s->pend[1].dbid), s->pend[1].hash);
    if (s->pend[0].obj && !loadInsert(s, &s->pend[0])) {
        objFree(o);
        return false;
    }
    s->pend[0] = s->pend[1];
    s->pend[1] = pk;
    return true;
}

static const RdbParserCallbacks fileCallbacks = {
    .header = fileHeader,
    .aux = fileAux,
    .selectDb = fileSelectDb,
    .resizeDb = fileResizeDb,
    .moduleAux = fileModuleAux,
    .function = fileFunction,
    .keyBegin = fileKeyBegin,
    .string = sinkString,
    .count = sinkCount,
    .element = sinkElement,
    .field = sinkField,
    .scored = sinkScored,
    .blob = sinkBlob,
    .opaque = sinkOpaque,
    .keyEnd = fileKeyEnd,
};

/* Makes sure every type's free/dup hooks are registered before objects
 * are built (start-up loads before anything else touched the types). */
static void typesInit(void) {
    static bool done = false;
    if (done) return;
    done = true;
    hashTypeInit();
    setTypeInit();
    listTypeInit();
    zsetTypeInit();
}

bool rdbLoadFromFile(FILE *fp, int flags, RdbLoadInfo *info) {
    RdbReader r;
    RdbParser p;
    LoadSink s;
    memset(info, 0, sizeof(*info));
    memset(&s, 0, sizeof(s));
    typesInit();
    /* As Redis: the checksum is verified when rdbchecksum is on, unless DEBUG
     * SET-SKIP-CHECKSUM-VALIDATION 1. */
    rdbReaderInitFile(&r, fp, config.rdbchecksum && !debugSkipChecksumValidation);
    if (loading.active) {
        if (!loading.totalBytes) loading.totalBytes = r.limit == UINT64_MAX ? 0 : r.limit;
        r.progress = loadingProgress;
        r.progressEvery = r.progressNext = LOADING_EVENTS_BYTES;
    }
    rdbParserInit(&p, &r, &fileCallbacks, &s);
    s.parser = &p;
    s.flags = flags;
    s.now = serverNowMs();
    s.info = info;
    bool ok = rdbParse(&p) && loadFlushPending(&s);
    rdbReaderRelease(&r); /* fp stays just past the RDB (AOF preambles) */
    if (!ok) {
        sinkDiscard(&s);
        loadDropPending(&s);
        if (s.dupReported)
            snprintf(info->error, sizeof(info->error), "%.200s (offset %llu, key '%.*s', type %s)",
                     r.err, (unsigned long long)r.errOffset, s.dupKeyLen, s.dupKey,
                     rdbTypeName(s.dupType));
        else if (p.inKey)
            snprintf(info->error, sizeof(info->error), "%.200s (offset %llu, key '%.*s', type %s)",
                     r.err, (unsigned long long)r.errOffset,
                     (int)(p.keyInfo.keyLen > 64 ? 64 : p.keyInfo.keyLen), p.keyInfo.key,
                     rdbTypeName(p.keyInfo.type));
        else
            snprintf(info->error, sizeof(info->error), "%.200s (offset %llu)", r.err,
                     (unsigned long long)r.errOffset);
    }
    rdbParserFree(&p);
    lastLoadKeysLoaded = info->keysLoaded;
    lastLoadKeysExpired = info->keysExpired;
    return ok;
}

bool rdbLoad(const char *filename, int flags, RdbLoadInfo *info) {
    FILE *fp = fopen(filename, "r");
    if (!fp) {
        int saved = errno;
        memset(info, 0, sizeof(*info));
        snprintf(info->error, sizeof(info->error), "%s", strerror(saved));
        errno = saved;
        return false;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 16);
    bool ok = rdbLoadFromFile(fp, flags, info);
    fclose(fp);
    if (!ok) errno = EINVAL;
    return ok;
}

static void logLoadDone(const RdbLoadInfo *info) {
    if (info->emptySkipped)
        logMsg(LL_NOTICE,
               "Done loading RDB, keys loaded: %lld, keys expired: %lld, empty keys skipped: %lld.",
               info->keysLoaded, info->keysExpired, info->emptySkipped);
    else
        logMsg(LL_NOTICE, "Done loading RDB, keys loaded: %lld, keys expired: %lld.",
               info->keysLoaded, info->keysExpired);
}

void rdbLoadAtStartup(void) {
    RdbLoadInfo info;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    long long start = (long long)tv.tv_sec * 1000000 + tv.tv_usec;
    rdbLoadingStart("RDB", "keys", 0); /* the size: from the reader */
    bool ok = rdbLoad(config.dbfilename, 0, &info);
    int savedErrno = errno;
    rdbLoadingStop();
    errno = savedErrno;
    if (ok) {
        logLoadDone(&info);
        gettimeofday(&tv, NULL);
        long long end = (long long)tv.tv_sec * 1000000 + tv.tv_usec;
        logMsg(LL_NOTICE, "DB loaded from disk: %.3f seconds", (double)(end - start) / 1000000);
        return;
    }
    if (errno == ENOENT) return; /* no file: start empty, as Redis */
    logMsg(LL_WARNING, "Fatal error loading the DB %s: %s", config.dbfilename, info.error);
    logMsg(LL_WARNING, "Terminating server after rdb file reading failure.");
    exit(1);
}

/* ------------------------------------------------------------------------
 * Writing files
 * ---------------------------------------------------------------------- */

/* fsyncs the directory holding path, so the rename survives a crash. */
static int fsyncDirOf(const char *path) {
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        strcpy(dir, ".");
    } else {
        size_t n = (size_t)(slash - path);
        if (n == 0) n = 1;
        if (n >= sizeof(dir)) return 0;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY);
    if (fd == -1) return -1;
    int rc = fsync(fd);
    /* Some filesystems refuse fsync on directories; that is not an error. */
    if (rc == -1 && (errno == EBADF || errno == EINVAL)) rc = 0;
    close(fd);
    return rc;
}

/* Writes the snapshot to a temp file in the working directory, then moves
 * it over filename. Logs and returns false on any failure (the temp file is
 * removed). Used by SAVE and by the BGSAVE child. */
static bool rdbSaveFile(const char *filename) {
    char tmp[64], cwd[1024];
    snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)getpid());
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        int saved = errno;
        if (!getcwd(cwd, sizeof(cwd))) strcpy(cwd, "unknown");
        logMsg(LL_WARNING,
               "Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", tmp,
               cwd, strerror(saved));
        return false;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 16);
    RdbWriter w;
    rdbWriterInitFile(&w, fp, config.rdbchecksum, config.rdbcompression);
    const char *op = "write";
    bool ok = rdbSaveToWriter(&w, false);
    if (!ok) errno = w.savedErrno;
    if (ok && fflush(fp) == EOF) ok = false, op = "fflush";
    if (ok && fsync(fileno(fp)) == -1) ok = false, op = "fsync";
    if (fclose(fp) == EOF && ok) ok = false, op = "fclose";
    if (!ok) {
        logMsg(LL_WARNING, "Write error saving DB on disk(%s): %s", op, strerror(errno));
        unlink(tmp);
        return false;
    }
    if (rename(tmp, filename) == -1) {
        int saved = errno;
        if (!getcwd(cwd, sizeof(cwd))) strcpy(cwd, "unknown");
        logMsg(LL_WARNING,
               "Error moving temp DB file %s on the final destination %s (in server root dir "
               "%s): %s",
               tmp, filename, cwd, strerror(saved));
        unlink(tmp);
        return false;
    }
    if (fsyncDirOf(filename) == -1) {
        logMsg(LL_WARNING, "Failed to fsync directory while saving DB: %s", strerror(errno));
        return false;
    }
    logMsg(LL_NOTICE, "DB saved on disk");
    return true;
}

bool rdbSave(const char *filename) {
    rdbSaves++;
    if (!rdbSaveFile(filename)) return false;
    stats.dirty = 0;
    stats.lastSaveTime = (long long)time(NULL);
    lastBgsaveOk = true;
    return true;
}

/* The process's private dirty memory in bytes: in a fork child, the pages
 * copied since the fork (copy-on-write), as Redis measures it — the sum of
 * Private_Dirty in /proc/self/smaps (smaps_rollup holds the same sum, read
 * first because it is much cheaper). 0 when unavailable. */
static unsigned long long privateDirtyBytes(void) {
    static const char *const files[] = {"/proc/self/smaps_rollup", "/proc/self/smaps"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        FILE *fp = fopen(files[i], "r");
        if (!fp) continue;
        char line[256];
        unsigned long long kb = 0, v;
        bool seen = false;
        while (fgets(line, sizeof(line), fp)) {
            if (sscanf(line, "Private_Dirty: %llu kB", &v) == 1) {
                kb += v;
                seen = true;
            }
        }
        fclose(fp);
        if (seen) return kb * 1024;
    }
    return 0;
}

/* One report on the child -> parent pipe. Smaller than PIPE_BUF, so each
 * write(2) is atomic and every read of this size returns a whole report. */
typedef struct ForkChildReport {
    long long keys;          /* keys written so far (progress reports) */
    unsigned long long cow;  /* CoW bytes at the reading */
    long long cowMeasuredMs; /* monotonicMs() of the reading */
    int closing;             /* 1: the last report, sent on success */
} ForkChildReport;

/* The parent's view of the running child (INFO current_*); all 0 when
 * none runs. */
static struct {
    unsigned long long cowPeak, cowBytes;
    long long cowMeasuredMs; /* 0 = no reading yet */
    long long keysProcessed, keysTotal;
    bool closingSeen;
} forkChild;

/* The child's own state (meaningful in a fork child only). */
static struct {
    RdbForkCow *fc; /* NULL: not a fork child, no reports */
    long long lastReportMs;
    unsigned long long cow, peak, sum;
    long long readings;
} childSide;

void rdbForkCowClose(RdbForkCow *fc) {
    for (int i = 0; i < 2; i++) {
        if (fc->pipe[i] != -1) close(fc->pipe[i]);
        fc->pipe[i] = -1;
    }
    if (fc->running) memset(&forkChild, 0, sizeof(forkChild));
    fc->running = false;
}

void rdbForkCowOpen(RdbForkCow *fc) {
    rdbForkCowClose(fc);
    if (pipe2(fc->pipe, O_CLOEXEC | O_NONBLOCK) == -1) fc->pipe[0] = fc->pipe[1] = -1;
}

void rdbForkCowParentAfterFork(RdbForkCow *fc) {
    if (fc->pipe[1] != -1) {
        close(fc->pipe[1]); /* the read end then sees EOF if the child dies */
        fc->pipe[1] = -1;
    }
    memset(&forkChild, 0, sizeof(forkChild));
    for (int id = 0; id < dbCount(); id++)
        forkChild.keysTotal += (long long)dictSize(dbGet(id)->keys);
    fc->running = true;
}

void rdbForkCowPoll(RdbForkCow *fc) {
    if (fc->pipe[0] == -1) return;
    ForkChildReport r;
    for (int i = 0; i < 1000; i++) { /* bounded: the child sends ~1 a second */
        ssize_t n = read(fc->pipe[0], &r, sizeof(r));
        if (n != (ssize_t)sizeof(r)) break; /* EAGAIN, EOF, or nothing whole */
        if (r.cow > forkChild.cowPeak) forkChild.cowPeak = r.cow;
        if (r.closing) {
            forkChild.closingSeen = true;
        } else {
            forkChild.cowBytes = r.cow;
            forkChild.cowMeasuredMs = r.cowMeasuredMs;
            forkChild.keysProcessed = r.keys;
        }
    }
}

bool rdbForkCowCollect(RdbForkCow *fc, unsigned long long *bytes) {
    rdbForkCowPoll(fc);
    bool got = forkChild.closingSeen;
    if (got) *bytes = forkChild.cowPeak;
    rdbForkCowClose(fc);
    return got;
}

/* Child: takes a CoW reading. */
static void childMeasureCow(void) {
    childSide.cow = privateDirtyBytes();
    if (childSide.cow > childSide.peak) childSide.peak = childSide.cow;
    childSide.sum += childSide.cow;
    childSide.readings++;
}

/* Child: sends a report; a full pipe drops it (the parent keeps the
 * previous figures) rather than stall the child. */
static void childSend(RdbForkCow *fc, long long keys, long long measuredMs, bool closing) {
    if (fc->pipe[1] == -1) return;
    ForkChildReport r;
    memset(&r, 0, sizeof(r));
    r.keys = keys;
    r.cow = childSide.cow;
    r.cowMeasuredMs = measuredMs;
    r.closing = closing;
    if (write(fc->pipe[1], &r, sizeof(r)) != (ssize_t)sizeof(r)) {
        /* dropped */
    }
}

void rdbForkCowChildStart(RdbForkCow *fc) {
    memset(&childSide, 0, sizeof(childSide));
    childSide.fc = fc;
}

void rdbSavedKey(long long keysSoFar) {
    if (config.rdbKeySaveDelay) testingDelay(config.rdbKeySaveDelay);
    /* Once in 1024 keys (from the first one on), a report if the last one
     * is a second old: reading smaps is too costly to do more often. */
    if (!childSide.fc || (keysSoFar - 1) % 1024 != 0) return;
    long long now = monotonicMs();
    if (childSide.lastReportMs && now - childSide.lastReportMs < 1000) return;
    childMeasureCow();
    childSide.lastReportMs = monotonicMs();
    childSend(childSide.fc, keysSoFar, childSide.lastReportMs, false);
}

void rdbForkCowChildReport(RdbForkCow *fc, const char *what) {
    childMeasureCow();
    logMsg(LL_NOTICE, "Fork CoW for %s: current %llu MB, peak %llu MB, average %llu MB", what,
           childSide.cow >> 20, childSide.peak >> 20,
           (childSide.sum / (unsigned long long)childSide.readings) >> 20);
    childSend(fc, 0, monotonicMs(), true);
}

bool rdbSaveBackground(const char *filename, const char **err) {
    if (childPid != -1) {
        *err = "ERR Background save already in progress";
        return false;
    }
    if (rdbOtherChildActive()) {
        *err = "ERR " BGSAVE_OTHER_CHILD_ERROR;
        return false;
    }
    rdbSaves++;
    dirtyBeforeBgsave = stats.dirty;
    lastBgsaveTry = (long long)time(NULL);
    fflush(stdout); /* no log line twice through inherited stdio buffers */
    rdbForkCowOpen(&cowPipe);
    pid_t pid = fork();
    if (pid == 0) {
        /* The child: no event loop, default signal handling (libevent's
         * handlers only write to the parent's loop), write and exit. */
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGUSR1, SIG_DFL);
        serverChildCloseListeners();
        rdbForkCowChildStart(&cowPipe);
        bool ok = rdbSaveFile(filename);
        if (ok) rdbForkCowChildReport(&cowPipe, "RDB");
        _exit(ok ? 0 : 1);
    }
    rdbForkCowParentAfterFork(&cowPipe);
    if (pid == -1) {
        rdbForkCowClose(&cowPipe);
        lastBgsaveOk = false;
        logMsg(LL_WARNING, "Can't save in background: fork: %s", strerror(errno));
        *err = "ERR";
        return false;
    }
    logMsg(LL_NOTICE, "Background saving started by pid %ld", (long)pid);
    childPid = pid;
    childStartMs = serverNowMs();
    bgsaveScheduled = false;
    dictSetResizeEnabled(false); /* fewer pages copied while the child runs */
    return true;
}

void rdbScheduleBgsave(void) {
    bgsaveScheduled = true;
}

static void removeTempFile(pid_t pid) {
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)pid);
    unlink(tmp);
}

static void childDone(int exitCode, int bySignal) {
    if (!bySignal && exitCode == 0) rdbForkCowCollect(&cowPipe, &lastCowSize);
    rdbForkCowClose(&cowPipe);
    if (!bySignal && exitCode == 0) {
        logMsg(LL_NOTICE, "Background saving terminated with success");
        stats.dirty -= dirtyBeforeBgsave;
        if (stats.dirty < 0) stats.dirty = 0;
        stats.lastSaveTime = (long long)time(NULL);
        lastBgsaveOk = true;
    } else if (!bySignal) {
        logMsg(LL_WARNING, "Background saving error");
        lastBgsaveOk = false;
    } else {
        logMsg(LL_WARNING, "Background saving terminated by signal %d", bySignal);
        removeTempFile(childPid);
        /* SIGUSR1 is how a save is cancelled on purpose: not an error. */
        if (bySignal != SIGUSR1) lastBgsaveOk = false;
    }
    lastBgsaveTimeSec = (serverNowMs() - childStartMs) / 1000;
    childPid = -1;
    dictSetResizeEnabled(true);
}

void rdbKillChild(void) {
    if (childPid == -1) return;
    pid_t pid = childPid;
    kill(pid, SIGUSR1);
    int status;
    while (waitpid(pid, &status, 0) == -1 && errno == EINTR) {
    }
    removeTempFile(pid);
    rdbForkCowClose(&cowPipe);
    lastBgsaveTimeSec = (serverNowMs() - childStartMs) / 1000;
    childPid = -1;
    dictSetResizeEnabled(true);
}

bool rdbHasSavePoints(void) {
    return config.saveParams && dstrLen(config.saveParams) > 0;
}

/* The first save point "<seconds> <changes>" that is due, if any. */
static bool savePointDue(long long now, long long *secsOut, long long *changesOut) {
    const char *p = config.saveParams;
    if (!p) return false;
    for (;;) {
        char *end;
        while (*p == ' ') p++;
        if (!*p) return false;
        long long secs = strtoll(p, &end, 10);
        if (end == p) return false;
        p = end;
        while (*p == ' ') p++;
        long long changes = strtoll(p, &end, 10);
        if (end == p) return false;
        p = end;
        if (stats.dirty >= changes && now - stats.lastSaveTime > secs &&
            (now - lastBgsaveTry > BGSAVE_RETRY_DELAY || lastBgsaveOk)) {
            *secsOut = secs;
            *changesOut = changes;
            return true;
        }
    }
}

void rdbCron(void) {
    if (childPid != -1) {
        rdbForkCowPoll(&cowPipe);
        int status;
        pid_t pid = waitpid(childPid, &status, WNOHANG);
        if (pid == childPid) {
            int exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            int bySignal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
            childDone(exitCode, bySignal);
        } else if (pid == -1 && errno == ECHILD) {
            childDone(1, 0); /* reaped elsewhere: we cannot know, count a failure */
        }
        return;
    }
    if (rdbOtherChildActive()) return; /* one child at a time */
    const char *err;
    if (bgsaveScheduled) {
        rdbSaveBackground(config.dbfilename, &err);
        return;
    }
    long long now = (long long)time(NULL), secs, changes;
    if (savePointDue(now, &secs, &changes)) {
        logMsg(LL_NOTICE, "%lld changes in %lld seconds. Saving...", changes, secs);
        rdbSaveBackground(config.dbfilename, &err);
    }
}

bool rdbRemoveSyncFileIfUnwanted(const char *path, bool forReplicaOnly) {
    /* Redis 7.0 removes such a file only when nothing else would use it: no
     * save points and no AOF (its allPersistenceDisabled()). Until kvd has
     * replication nothing calls this but the unit test (test_rdbsync.c). */
    if (!config.rdbDelSyncFiles || !forReplicaOnly) return false;
    if (rdbHasSavePoints() || config.appendonly) return false;
    if (unlink(path) == -1) return false;
    logMsg(LL_NOTICE, "Removing the RDB file used to feed replicas in a persistence-less instance");
    return true;
}

bool rdbWritesAllowed(void) {
    return !(config.stopWritesOnBgsaveError && rdbHasSavePoints() && !lastBgsaveOk);
}

bool rdbSaveOnShutdown(void) {
    if (childPid != -1) {
        logMsg(LL_WARNING, "There is a child saving an .rdb. Killing it!");
        rdbKillChild();
    }
    return rdbSave(config.dbfilename); /* logs "DB saved on disk" or why not */
}

bool rdbDebugReload(int options, const char **err) {
    if (!(options & RDB_RELOAD_NOSAVE) && !rdbSave(config.dbfilename)) {
        *err = "ERR";
        return false;
    }
    if (!(options & RDB_RELOAD_NOFLUSH)) dbEmptyAll();
    RdbLoadInfo info;
    int flags = (options & RDB_RELOAD_MERGE) ? RDB_LOAD_ALLOW_DUP : 0;
    if (options & RDB_RELOAD_SERVE) {
        rdbLoadingStart("RDB", "keys", 0);
        rdbLoadingServeFromCommand();
    }
    bool ok = rdbLoad(config.dbfilename, flags, &info);
    if (options & RDB_RELOAD_SERVE) rdbLoadingStop();
    if (!ok) {
        logMsg(LL_WARNING, "Error loading the RDB file %s: %s", config.dbfilename, info.error);
        /* Redis 7.0.15's words (it aborts the process on a duplicate key
         * under NOFLUSH; kvd refuses the load instead, the keys read until
         * then staying loaded). */
        *err = "ERR Error trying to load the RDB dump";
        return false;
    }
    logLoadDone(&info);
    logMsg(LL_WARNING, "DB reloaded by DEBUG RELOAD");
    return true;
}

dstr rdbInfoPersistence(dstr out) {
    long long current = childPid != -1 ? (serverNowMs() - childStartMs) / 1000 : -1;
    /* The current_* figures are those of any fork child (BGSAVE or AOF
     * rewrite), as in Redis 7.0. */
    long long cowAge =
        forkChild.cowMeasuredMs ? (monotonicMs() - forkChild.cowMeasuredMs) / 1000 : 0;
    double forkPerc = forkChild.keysTotal
                          ? (double)forkChild.keysProcessed * 100 / (double)forkChild.keysTotal
                          : 0;
    return dstrCatPrintf(out,
                         "loading:%d\r\n"
                         "async_loading:0\r\n"
                         "current_cow_peak:%llu\r\n"
                         "current_cow_size:%llu\r\n"
                         "current_cow_size_age:%lld\r\n"
                         "current_fork_perc:%.2f\r\n"
                         "current_save_keys_processed:%lld\r\n"
                         "current_save_keys_total:%lld\r\n"
                         "rdb_changes_since_last_save:%lld\r\n"
                         "rdb_bgsave_in_progress:%d\r\n"
                         "rdb_last_save_time:%lld\r\n"
                         "rdb_last_bgsave_status:%s\r\n"
                         "rdb_last_bgsave_time_sec:%lld\r\n"
                         "rdb_current_bgsave_time_sec:%lld\r\n"
                         "rdb_saves:%lld\r\n"
                         "rdb_last_cow_size:%llu\r\n"
                         "rdb_last_load_keys_expired:%lld\r\n"
                         "rdb_last_load_keys_loaded:%lld\r\n",
                         loading.active, forkChild.cowPeak, forkChild.cowBytes,
                         cowAge < 0 ? 0 : cowAge, forkPerc, forkChild.keysProcessed,
                         forkChild.keysTotal, stats.dirty, childPid != -1, stats.lastSaveTime,
                         lastBgsaveOk ? "ok" : "err", lastBgsaveTimeSec, current, rdbSaves,
                         lastCowSize, lastLoadKeysExpired, lastLoadKeysLoaded);
}

dstr rdbInfoLoading(dstr out) {
    if (!loading.active) return out;
    long long elapsed = (long long)time(NULL) - loading.startSec;
    double perc =
        loading.totalBytes ? (double)loading.loadedBytes * 100 / (double)loading.totalBytes : 0;
    long long eta = 1;
    if (elapsed > 0 && loading.loadedBytes > 0 && loading.totalBytes > loading.loadedBytes)
        eta = (long long)((double)(loading.totalBytes - loading.loadedBytes) /
                          ((double)loading.loadedBytes / (double)elapsed));
    return dstrCatPrintf(out,
                         "loading_start_time:%lld\r\n"
                         "loading_total_bytes:%llu\r\n"
                         "loading_rdb_used_mem:%lld\r\n"
                         "loading_loaded_bytes:%llu\r\n"
                         "loading_loaded_perc:%.2f\r\n"
                         "loading_eta_seconds:%lld\r\n",
                         loading.startSec, (unsigned long long)loading.totalBytes,
                         loading.rdbUsedMem, (unsigned long long)loading.loadedBytes, perc, eta);
}
