/* debug.c — the DEBUG command: the subcommands of Redis 7.0 that test suites
 * and operators use (DIGEST, DIGEST-VALUE, OBJECT, SLEEP, POPULATE,
 * PROTOCOL, SET-ACTIVE-EXPIRE, HTSTATS, HTSTATS-KEY, PAUSE-CRON, REPLYBUFFER,
 * STRINGMATCH-TEST, ERROR, LOG, LEAK, LISTPACK, QUICKLIST,
 * QUICKLIST-PACKED-THRESHOLD, CLIENT-EVICTION, CHANGE-REPL-ID,
 * CONFIG-REWRITE-FORCE-ALL, MALLCTL, MALLCTL-STR (with jemalloc only, as in
 * Redis), SDSLEN, STRUCTSIZE, RESTART, CRASH-AND-RECOVER, the cluster ones
 * DROP-CLUSTER-PACKET-FILTER and CLUSTERLINK, and the deliberate crashes
 * SEGFAULT, PANIC, ASSERT, OOM), with Redis's replies and errors. HELP
 * prints Redis 7.0's text as it is, so it also names subcommands kvd does
 * not implement (they answer the unknown-subcommand error).
 *
 * The `enable-debug-command` gate is applied by dispatch (CMD_PROTECTED)
 * before we get here. Subcommands are matched by name *and* argument count
 * as Redis does, so a known name with the wrong count gets Redis's
 * "unknown subcommand or wrong number of arguments" error.
 *
 * Data types other than strings plug into DIGEST, HTSTATS-KEY and OBJECT
 * through debugRegisterType() (debug.h).
 */
#include "debug.h"

#include "aof.h"
#include "client.h"
#include "clienteviction.h"
#include "command.h"
#include "commands.h"
#include "conf.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "globmatch.h"
#include "info.h"
#include "listpack.h"
#include "log.h"
#include "mem.h"
#include "multi.h"
#include "numconv.h"
#include "object.h"
#include "quicklist.h"
#include "rdb.h"
#include "reply.h"
#include "script.h"
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#ifndef KV_NO_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#include <openssl/sha.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long long debugReplyBufferPeakResetTime = 5000; /* Redis's REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME */
bool debugReplyBufferResizing = true;
bool debugSkipChecksumValidation = false;
long long debugAofFlushSleepUs = 0;
long long debugClusterDropPacketFilter = -1;

static const DebugTypeOps *debugTypeOps[16];

void debugRegisterType(int type, const DebugTypeOps *ops) {
    if (type >= 0 && type < 16) debugTypeOps[type] = ops;
}

/* LZF from liblzf, when the build links it (the RDB module needs it too).
 * Declared weak so that this file links without it: serializedlength then
 * reports the uncompressed size. */
extern unsigned int lzf_compress(const void *const in, unsigned int inLen, void *out,
                                 unsigned int outLen) __attribute__((weak));

/* ------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------- */

/* A NUL-terminated copy of an argument (free with kvFree). */
static char *debugArgCString(const Arg *a) {
    return kvStrndup(a->ptr, a->len);
}

/* C atoi() of an argument, as Redis applies it to several DEBUG options. */
static int debugArgAtoi(const Arg *a) {
    char *s = debugArgCString(a);
    int v = atoi(s);
    kvFree(s);
    return v;
}

static bool debugPolicyIsLruOrLfu(void) {
    switch (config.maxmemoryPolicy) {
        case MAXMEMORY_VOLATILE_LRU:
        case MAXMEMORY_VOLATILE_LFU:
        case MAXMEMORY_ALLKEYS_LRU:
        case MAXMEMORY_ALLKEYS_LFU: return true;
        default: return false;
    }
}

/* ------------------------------------------------------------------------
 * Digest
 * ---------------------------------------------------------------------- */

void debugXorDigest(unsigned char *digest, const void *ptr, size_t len) {
    unsigned char hash[SHA_DIGEST_LENGTH];
    SHA1(ptr, len, hash);
    for (int j = 0; j < DEBUG_DIGEST_LEN; j++) digest[j] ^= hash[j];
}

void debugMixDigest(unsigned char *digest, const void *ptr, size_t len) {
    unsigned char hash[SHA_DIGEST_LENGTH];
    debugXorDigest(digest, ptr, len);
    SHA1(digest, DEBUG_DIGEST_LEN, hash);
    memcpy(digest, hash, DEBUG_DIGEST_LEN);
}

/* Redis's xorObjectDigest: type, value, and the presence of an expire (not
 * its time, so that digests stay comparable between instances). */
static void debugXorObjectDigest(unsigned char *digest, const Object *o) {
    uint32_t aux = htonl(o->type);
    debugMixDigest(digest, &aux, sizeof(aux));
    if (o->type == OBJ_STRING) {
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = objStringBytes(o, buf, &len);
        debugMixDigest(digest, p, len);
    } else if (debugTypeOps[o->type] && debugTypeOps[o->type]->digestValue) {
        debugTypeOps[o->type]->digestValue(digest, o);
    }
    if (o->hasExpire) debugXorDigest(digest, "!!expire!!", 10);
}

void debugObjectDigest(const Object *o, unsigned char *digest) {
    memset(digest, 0, DEBUG_DIGEST_LEN);
    if (o) debugXorObjectDigest(digest, o);
}

void debugDatasetDigest(unsigned char *final) {
    memset(final, 0, DEBUG_DIGEST_LEN);
    for (int j = 0; j < dbCount(); j++) {
        Db *db = dbGet(j);
        if (dictSize(db->keys) == 0) continue;
        /* The db id goes in so the same data in another db differs. */
        uint32_t aux = htonl((uint32_t)j);
        debugMixDigest(final, &aux, sizeof(aux));
        DictIter it;
        dictIterInit(&it, db->keys, false);
        DictLink *l;
        while ((l = dictIterNext(&it)) != NULL) {
            const Object *o = (const Object *)l;
            unsigned char digest[DEBUG_DIGEST_LEN];
            memset(digest, 0, sizeof(digest));
            debugMixDigest(digest, objKey(o), objKeyLen(o));
            debugXorObjectDigest(digest, o);
            debugXorDigest(final, digest, DEBUG_DIGEST_LEN);
        }
        dictIterRelease(&it);
    }
}

static void debugReplyDigest(Client *c, const unsigned char *digest) {
    char hex[DEBUG_DIGEST_LEN * 2 + 1];
    for (int i = 0; i < DEBUG_DIGEST_LEN; i++) snprintf(hex + i * 2, 3, "%02x", digest[i]);
    addReplyStatusLen(c, hex, DEBUG_DIGEST_LEN * 2);
}

/* ------------------------------------------------------------------------
 * RDB size of a string (DEBUG OBJECT serializedlength)
 * ---------------------------------------------------------------------- */

/* Bytes of an RDB length field. */
static size_t debugRdbLenSize(unsigned long long len) {
    if (len < (1 << 6)) return 1;
    if (len < (1 << 14)) return 2;
    if (len <= UINT32_MAX) return 5;
    return 9;
}

/* Bytes of an RDB integer encoding of v, or 0 when v needs more than 32
 * bits (then it is written as text). */
static size_t debugRdbIntSize(long long v) {
    if (v >= -(1 << 7) && v <= (1 << 7) - 1) return 2;
    if (v >= -(1 << 15) && v <= (1 << 15) - 1) return 3;
    if (v >= -((long long)1 << 31) && v <= ((long long)1 << 31) - 1) return 5;
    return 0;
}

/* As Redis's rdbSaveRawString: short strings that are canonical integers
 * are stored as integers, long ones LZF-compressed when that saves at least
 * 4 bytes (and rdbcompression is on), others verbatim. */
static size_t debugRdbStringSize(const char *s, size_t len) {
    long long v;
    if (len <= 11 && strToLongLong(s, len, &v)) {
        size_t n = debugRdbIntSize(v);
        if (n) return n;
    }
    if (config.rdbcompression && len > 20 && lzf_compress && len <= UINT32_MAX) {
        unsigned int outlen = (unsigned int)len - 4;
        char *out = kvMalloc(outlen + 1);
        unsigned int comprlen = lzf_compress(s, (unsigned int)len, out, outlen);
        kvFree(out);
        if (comprlen > 0) return 1 + debugRdbLenSize(comprlen) + debugRdbLenSize(len) + comprlen;
    }
    return debugRdbLenSize(len) + len;
}

static size_t debugSerializedLength(const Object *o) {
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENC_INT) {
            /* Integer objects skip the compression attempt. */
            size_t n = debugRdbIntSize(objInt(o));
            if (n) return n;
            char buf[LONG_STR_SIZE];
            int len = llToStr(buf, sizeof(buf), objInt(o));
            return debugRdbLenSize((size_t)len) + (size_t)len;
        }
        char buf[LONG_STR_SIZE];
        size_t len;
        const char *p = objStringBytes(o, buf, &len);
        return debugRdbStringSize(p, len);
    }
    if (debugTypeOps[o->type] && debugTypeOps[o->type]->serializedLength)
        return debugTypeOps[o->type]->serializedLength(o);
    return 0;
}

/* ------------------------------------------------------------------------
 * Subcommands
 * ---------------------------------------------------------------------- */

/* Redis 7.0.15's DEBUG HELP, line for line. */
static void debugHelp(Client *c) {
    static const char *help[] = {
        "AOF-FLUSH-SLEEP <microsec>",
        "    Server will sleep before flushing the AOF, this is used for testing.",
        "ASSERT",
        "    Crash by assertion failed.",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "CONFIG-REWRITE-FORCE-ALL",
        "    Like CONFIG REWRITE but writes all configuration options, including",
        "    keywords not listed in original configuration file or default values.",
        "CRASH-AND-RECOVER [<milliseconds>]",
        "    Hard crash and restart after a <milliseconds> delay (default 0).",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message. Useful for clients",
        "    unit tests to simulate Redis errors.",
        "LEAK <string>",
        "    Create a memory leak of the input string.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "HTSTATS <dbid>",
        "    Return hash table statistics of the specified Redis database.",
        "HTSTATS-KEY <key>",
        "    Like HTSTATS but for the hash table stored at <key>'s value.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "REPLICATE <string>",
        "    Replicates the provided string to replicas, allowing data divergence.",
        "MALLCTL <key> [<val>]",
        "    Get or set a malloc tuning integer.",
        "MALLCTL-STR <key> [<val>]",
        "    Get or set a malloc tuning string.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "DROP-CLUSTER-PACKET-FILTER <packet-type>",
        "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
        "OOM",
        "    Crash the server simulating an out-of-memory error.",
        "PANIC",
        "    Crash the server simulating a panic.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "RESTART [<milliseconds>]",
        "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
        "SDSLEN <key>",
        "    Show low level SDS string info representing `key` and value.",
        "SEGFAULT",
        "    Crash the server with sigsegv.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "STRINGMATCH-TEST",
        "    Run a fuzz tester against the stringmatchlen() function.",
        "STRUCTSIZE",
        "    Return the size of different Redis core C structures.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "QUICKLIST <key> [<0|1>]",
        "    Show low level info about the quicklist encoding of <key>.",
        "    The optional argument (0 by default) sets the level of detail",
        "CLIENT-EVICTION",
        "    Show low level client eviction pools info (maxmemory-clients).",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
        "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
        "    In case NEVER is provided the last observed peak will never be reset",
        "    In case RESET is provided the peak reset time will be restored to the default value",
        "REPLYBUFFER RESIZING <0|1>",
        "    Enable or disable the reply buffer resize cron job",
        "CLUSTERLINK KILL <to|from|all> <node-id>",
        "    Kills the link based on the direction to/from (both) with the provided node.",
        NULL};
    addReplyHelp(c, help);
}

/* Prints every entry of a listpack to f: its index, offset, size, raw
 * bytes (at most the first 32) and value, framed as Redis's lpRepr()
 * frames them ("{total bytes N} {num entries N}" ... "{end}"). */
static void debugPrintListpack(FILE *f, unsigned char *lp) {
    size_t total = lpBytes(lp);
    fprintf(f, "{total bytes %zu} {num entries %lu}\n", total, lpLength(lp));
    long index = 0;
    for (unsigned char *p = lpFirst(lp); p; p = lpNext(lp, p), index++) {
        unsigned char *next = lpNext(lp, p);
        size_t size = (size_t)((next ? next : lp + total - 1) - p);
        uint32_t slen = 0;
        long long ival = 0;
        const unsigned char *v = lpGet(p, &slen, &ival);
        fprintf(f,
                "{\n\taddr: %p,\n\tindex: %2ld,\n\toffset: %zu,\n\thdr+entrylen+backlen: %2zu,\n",
                (void *)p, index, (size_t)(p - lp), size);
        fprintf(f, "\tbytes: ");
        for (size_t i = 0; i < size && i < 32; i++) fprintf(f, "%02x|", p[i]);
        fprintf(f, size > 32 ? "...\n" : "\n");
        if (v)
            fprintf(f, "\t[str]%.*s%s\n}\n", (int)(slen > 256 ? 256 : slen), (const char *)v,
                    slen > 256 ? "..." : "");
        else
            fprintf(f, "\t[int]%lld\n}\n", ival);
    }
    fprintf(f, "{end}\n\n");
}

/* DEBUG LISTPACK <key>: a listpack-encoded value (hash, zset) printed on
 * stdout. Redis 7.0 lists are always quicklists, so they get the "Not a
 * listpack" error there too (DEBUG QUICKLIST shows their nodes). */
static void debugListpack(Client *c) {
    Object *o = dbFindRaw(c->db, c->argv[2].ptr, c->argv[2].len);
    if (!o) {
        addReplyError(c, errNoSuchKey);
    } else if (o->encoding != OBJ_ENC_LISTPACK) {
        addReplyError(c, "ERR Not a listpack encoded object.");
    } else {
        debugPrintListpack(stdout, objPtr(o));
        fflush(stdout);
        addReplySimple(c, "Listpack structure printed on stdout");
    }
}

/* DEBUG QUICKLIST <key> [0|1]: the list's nodes on stdout; level 1 also
 * prints every node's entries. */
static void debugQuicklist(Client *c) {
    Object *o = dbFindRaw(c->db, c->argv[2].ptr, c->argv[2].len);
    int full = c->argc == 4 ? debugArgAtoi(&c->argv[3]) : 0;
    if (!o) {
        addReplyError(c, errNoSuchKey);
        return;
    }
    if (o->encoding != OBJ_ENC_QUICKLIST) {
        addReplyError(c, "ERR Not a quicklist encoded object.");
        return;
    }
    const Quicklist *ql = objPtr(o);
    printf("{count : %lu}\n{len : %u}\n{fill : %d}\n{compress : %u}\n{bookmark_count : 0}\n",
           ql->count, ql->len, ql->fill, ql->compress);
    unsigned long i = 0;
    for (const QuicklistNode *n = ql->head; n; n = n->next, i++) {
        printf("{quicklist node(%lu)\n", i);
        printf("{container : %s, encoding: %s, size: %u, count: %u, recompress: %u, "
               "attempted_compress: %u}\n",
               n->plain ? "PLAIN" : "PACKED", n->compressed ? "LZF" : "RAW", n->sz,
               (unsigned)n->count, (unsigned)n->recompress, (unsigned)n->noCompress);
        if (full) {
            bool mustFree;
            unsigned char *data = quicklistNodeListpack(n, &mustFree);
            if (n->plain) {
                printf("{ value:\n%.*s%s\n}\n", (int)(n->sz > 256 ? 256 : n->sz), (char *)data,
                       n->sz > 256 ? "..." : "");
            } else {
                printf("{ listpack:\n");
                debugPrintListpack(stdout, data);
                printf("}\n");
            }
            if (mustFree) kvFree(data);
        }
        printf("}\n");
    }
    fflush(stdout);
    addReplySimple(c, "Quicklist structure printed on stdout");
}

/* DEBUG QUICKLIST-PACKED-THRESHOLD <size>: a memory value as Redis's
 * memtoull() reads it ("1k", "1kb"…), 0 for the default, at most 4 GB -
 * 1 MB. Applies to every list from the next insert on. */
static void debugQuicklistPackedThreshold(Client *c) {
    char *s = debugArgCString(&c->argv[2]);
    unsigned long long sz;
    bool ok = confParseMemory(s, &sz) && quicklistSetPackedThreshold(sz);
    kvFree(s);
    if (ok)
        addReplyOk(c);
    else
        addReplyError(c, "ERR argument must be a memory value bigger than 1 and smaller than 4gb");
}

/* DEBUG OBJECT <key>: Redis's one-line description. Looks the key up
 * without expiring or touching it, as Redis does. */
static void debugObject(Client *c) {
    Object *o = dbFindRaw(c->db, c->argv[2].ptr, c->argv[2].len);
    if (!o) {
        addReplyError(c, errNoSuchKey);
        return;
    }
    bool shared = o->type == OBJ_STRING && o->encoding == OBJ_ENC_INT && objInt(o) >= 0 &&
                  objInt(o) < OBJ_SHARED_INTEGERS &&
                  (config.maxmemory == 0 || !debugPolicyIsLruOrLfu());
    dstr line = dstrCatPrintf(dstrEmpty(),
                              "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%u "
                              "lru_seconds_idle:%lld",
                              (void *)o, shared ? OBJ_SHARED_REFCOUNT : 1,
                              objEncodingName((int)o->encoding), debugSerializedLength(o),
                              (unsigned)o->lru, serverEstimateIdleMs(o->lru) / 1000);
    if (debugTypeOps[o->type] && debugTypeOps[o->type]->objectExtra)
        line = debugTypeOps[o->type]->objectExtra(o, line);
    addReplyStatusLen(c, line, dstrLen(line));
    dstrFree(line);
}

/* DEBUG SLEEP <seconds>: strtod() semantics as Redis (junk sleeps 0). */
static void debugSleep(Client *c) {
    char *s = debugArgCString(&c->argv[2]);
    double secs = strtod(s, NULL);
    kvFree(s);
    if (!(secs > 0)) secs = 0;  /* negatives and NaN: no sleep */
    if (secs > 1e9) secs = 1e9; /* keeps the conversion defined */
    long long us = (long long)(secs * 1000000);
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
    while (us > 0 && nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
    addReplyOk(c);
}

/* A count or size of DEBUG POPULATE: Redis's getPositiveLongFromObject. */
static bool debugPositiveLong(Client *c, const Arg *a, long long *out) {
    if (!strToLongLong(a->ptr, a->len, out) || *out < 0) {
        addReplyError(c, "ERR value is out of range, must be positive");
        return false;
    }
    return true;
}

/* DEBUG POPULATE <count> [<prefix>] [<size>]: keys <prefix>:<n> holding
 * "value:<n>" (padded with zero bytes or cut to <size> when given), skipping
 * keys that exist. As in Redis, names are cut to 127 bytes, the prefix ends
 * at its first NUL byte, and nothing counts as a change to save or
 * propagate. */
static void debugPopulate(Client *c) {
    long long count, valsize = 0;
    if (!debugPositiveLong(c, &c->argv[2], &count)) return;
    if (c->argc == 5 && !debugPositiveLong(c, &c->argv[4], &valsize)) return;
    char *prefix = c->argc >= 4 ? debugArgCString(&c->argv[3]) : kvStrdup("key");
    /* Pre-size as Redis does, within reason: a huge count still fails later,
     * key by key, instead of on one giant table allocation. */
    if (count > 0 && count <= (1LL << 26)) dictExpand(c->db->keys, (size_t)count);

    long long dirty = stats.dirty;
    char key[128], val[128];
    char *padded = valsize > 0 ? kvCalloc((size_t)valsize) : NULL;
    for (long long j = 0; j < count; j++) {
        int klen = snprintf(key, sizeof(key), "%s:%llu", prefix, (unsigned long long)j);
        if (klen >= (int)sizeof(key)) klen = sizeof(key) - 1;
        if (dbLookupWrite(c->db, key, (size_t)klen) != NULL) continue;
        int vlen = snprintf(val, sizeof(val), "value:%llu", (unsigned long long)j);
        Object *o;
        if (valsize == 0) {
            o = objNewString(key, (size_t)klen, val, (size_t)vlen, false, -1);
        } else {
            memset(padded, 0, (size_t)valsize);
            memcpy(padded, val, (size_t)(valsize <= vlen ? valsize : vlen));
            o = objNewString(key, (size_t)klen, padded, (size_t)valsize, false, -1);
        }
        dbAdd(c->db, o);
        dbSignalModified(c->db, key, (size_t)klen);
    }
    /* Redis's POPULATE leaves the dirty counter alone: not saved-worthy,
     * never propagated. */
    stats.dirty = dirty;
    kvFree(padded);
    kvFree(prefix);
    addReplyOk(c);
}

/* DEBUG PROTOCOL <type>: Redis's fixed sample replies. */
static void debugProtocol(Client *c) {
    const Arg *t = &c->argv[2];
    if (argIs(t, "string")) {
        addReplyBulkCString(c, "Hello World");
    } else if (argIs(t, "integer")) {
        addReplyLongLong(c, 12345);
    } else if (argIs(t, "double")) {
        addReplyDouble(c, 3.141);
    } else if (argIs(t, "bignum")) {
        static const char big[] = "1234567999999999999999999999999999999";
        addReplyBigNum(c, big, sizeof(big) - 1);
    } else if (argIs(t, "null")) {
        addReplyNull(c);
    } else if (argIs(t, "array")) {
        addReplyArrayLen(c, 3);
        for (int j = 0; j < 3; j++) addReplyLongLong(c, j);
    } else if (argIs(t, "set")) {
        addReplySetLen(c, 3);
        for (int j = 0; j < 3; j++) addReplyLongLong(c, j);
    } else if (argIs(t, "map")) {
        addReplyMapLen(c, 3);
        for (int j = 0; j < 3; j++) {
            addReplyLongLong(c, j);
            addReplyBool(c, j == 1);
        }
    } else if (argIs(t, "attrib")) {
        if (c->resp >= 3) {
            addReplyAttributeLen(c, 1);
            addReplyBulkCString(c, "key-popularity");
            addReplyArrayLen(c, 2);
            addReplyBulkCString(c, "key:123");
            addReplyLongLong(c, 90);
        }
        /* An attribute is not a reply: a real one follows. */
        addReplyBulkCString(c, "Some real reply following the attribute");
    } else if (argIs(t, "push")) {
        if (c->resp < 3) {
            addReplyError(c, "ERR RESP2 is not supported by this command");
            return;
        }
        uint64_t oldFlags = c->flags;
        c->flags |= CLIENT_PUSHING;
        addReplyPushLen(c, 2);
        addReplyBulkCString(c, "server-cpu-usage");
        addReplyLongLong(c, 42);
        if (!(oldFlags & CLIENT_PUSHING)) c->flags &= ~(uint64_t)CLIENT_PUSHING;
        /* A push is out of band; a normal reply follows for clients that
         * wait for one. */
        addReplyBulkCString(c, "Some real reply following the push reply");
    } else if (argIs(t, "true")) {
        addReplyBool(c, true);
    } else if (argIs(t, "false")) {
        addReplyBool(c, false);
    } else if (argIs(t, "verbatim")) {
        static const char text[] = "This is a verbatim\nstring";
        addReplyVerbatim(c, text, sizeof(text) - 1, "txt");
    } else {
        addReplyError(c, "ERR Wrong protocol type name. Please use one of the following: "
                         "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|"
                         "true|false");
    }
}

/* Redis 7.0's dictGetStats for one dict: "No stats…" with the table header
 * for an empty dict (dict.c's dictStats words that case differently), the
 * full report otherwise. */
static dstr debugDictStats(Dict *d, dstr out) {
    return dictStats(d, out, true);
}

/* DEBUG HTSTATS <dbid> [FULL]. Redis 7.0 always prints the full report and
 * has no FULL option; 7.2 added it, so we accept it too. */
static void debugHtstats(Client *c) {
    long long dbid;
    if (c->argc == 4 && !argIs(&c->argv[3], "full")) {
        addReplyError(c, errSyntax);
        return;
    }
    if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &dbid)) {
        addReplyError(c, errNotInteger);
        return;
    }
    if (dbid < 0 || dbid >= dbCount()) {
        addReplyError(c, "ERR Out of range database");
        return;
    }
    Db *db = dbGet((int)dbid);
    dstr out = dstrNew("[Dictionary HT]\n");
    out = debugDictStats(db->keys, out);
    out = dstrCat(out, "[Expires HT]\n");
    out = debugDictStats(db->expires, out);
    addReplyVerbatim(c, out, dstrLen(out), "txt");
    dstrFree(out);
}

/* DEBUG HTSTATS-KEY <key> [FULL] */
static void debugHtstatsKey(Client *c) {
    if (c->argc == 4 && !argIs(&c->argv[3], "full")) {
        addReplyError(c, errSyntax);
        return;
    }
    Object *o = dbLookupNoTouch(c->db, c->argv[2].ptr, c->argv[2].len);
    if (!o) {
        addReplyError(c, errNoSuchKey);
        return;
    }
    Dict *ht = NULL;
    if (debugTypeOps[o->type] && debugTypeOps[o->type]->hashTable)
        ht = debugTypeOps[o->type]->hashTable(o);
    if (!ht) {
        addReplyError(c, "ERR The value stored at the specified key is not represented using an "
                         "hash table");
        return;
    }
    dstr out = debugDictStats(ht, dstrEmpty());
    addReplyVerbatim(c, out, dstrLen(out), "txt");
    dstrFree(out);
}

/* DEBUG STRINGMATCH-TEST: Redis's fuzzer of the glob matcher: random
 * patterns against random strings; passing means not crashing. */
static void debugStringmatchTest(Client *c) {
    (void)globMatchFuzzTest(10000000);
    addReplySimple(c, "Apparently Redis did not crash: test passed");
}

/* DEBUG REPLYBUFFER PEAK-RESET-TIME <never|reset|ms> | RESIZING <0|1> */
static void debugReplybuffer(Client *c) {
    if (argIs(&c->argv[2], "peak-reset-time")) {
        long long ms;
        if (argIs(&c->argv[3], "never")) {
            debugReplyBufferPeakResetTime = -1;
        } else if (argIs(&c->argv[3], "reset")) {
            debugReplyBufferPeakResetTime = 5000;
        } else if (strToLongLong(c->argv[3].ptr, c->argv[3].len, &ms)) {
            debugReplyBufferPeakResetTime = ms;
        } else {
            addReplyError(c, errNotInteger);
            return;
        }
    } else if (argIs(&c->argv[2], "resizing")) {
        debugReplyBufferResizing = debugArgAtoi(&c->argv[3]) != 0;
    } else {
        addReplySubcommandSyntaxError(c);
        return;
    }
    addReplyOk(c);
}

/* DEBUG ERROR <string>: "-<string>" as given, CR/LF made spaces. Redis does
 * not count this error in errorstats, failed_calls or total_error_replies,
 * so it goes out raw instead of through addReplyError. */
static void debugReplyErrorUncounted(Client *c, const Arg *msg) {
    dstr out = dstrCatLen(dstrNew("-"), msg->ptr, msg->len);
    for (size_t i = 1; i < dstrLen(out); i++)
        if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    out = dstrCat(out, "\r\n");
    addReplyRaw(c, out, dstrLen(out));
    dstrFree(out);
}

/* DEBUG SDSLEN <key>: Redis's line about the key's and the value's sds
 * strings, told for kvd's layout: the key lives inside the Object
 * allocation (no spare room), an embstr value too (so both *_zmalloc fields
 * name that one allocation), a raw value is a dstr of its own. As Redis,
 * integers and non-strings have no string to describe. */
static void debugSdslen(Client *c) {
    Object *o = dbFindRaw(c->db, c->argv[2].ptr, c->argv[2].len);
    if (!o) {
        addReplyError(c, errNoSuchKey);
        return;
    }
    if (o->type != OBJ_STRING || o->encoding == OBJ_ENC_INT) {
        addReplyError(c, "ERR Not an sds encoded string.");
        return;
    }
    size_t objAlloc = kvAllocSize(o);
    size_t valLen, valAvail, valAlloc;
    if (o->encoding == OBJ_ENC_RAW) {
        dstr v = objPtr(o);
        valLen = dstrLen(v);
        valAvail = dstrAvail(v);
        valAlloc = dstrAllocSize(v);
    } else {
        valLen = objStringLen(o);
        valAvail = 0;
        valAlloc = objAlloc;
    }
    char line[256];
    int n = snprintf(line, sizeof(line),
                     "key_sds_len:%zu, key_sds_avail:0, key_zmalloc: %zu, val_sds_len:%zu, "
                     "val_sds_avail:%zu, val_zmalloc: %zu",
                     objKeyLen(o), objAlloc, valLen, valAvail, valAlloc);
    addReplyStatusLen(c, line, (size_t)n);
}

/* DEBUG STRUCTSIZE: Redis prints its robj, dictEntry and sds headers; kvd's
 * counterparts are the Object header (its dict link included), the dict
 * link alone, a bucket slot, and the one dstr header. */
static void debugStructsize(Client *c) {
    char line[256];
    int n =
        snprintf(line, sizeof(line), "bits:%d object:%zu dictlink:%zu dictbucket:%zu dstrhdr:%zu ",
                 (int)(sizeof(void *) * 8), sizeof(Object), sizeof(DictLink), sizeof(DictLink *),
                 sizeof(DstrHeader));
    addReplyBulk(c, line, (size_t)n);
}

/* DEBUG CLIENT-EVICTION: the memory-usage buckets of client eviction. */
static void debugClientEviction(Client *c) {
    if (!clientEvictionActive()) {
        addReplyError(c, "ERR maxmemory-clients is disabled.");
        return;
    }
    dstr out = clientEvictionBucketsReport(dstrEmpty());
    addReplyVerbatim(c, out, dstrLen(out), "txt");
    dstrFree(out);
}

/* DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE writing every directive. */
static void debugConfigRewriteForceAll(Client *c) {
    const char *err = NULL;
    /* Redis 7.0 hands a NULL path to its rewrite when started without a
     * config file, so its open fails with EFAULT: the same words here. */
    if (!config.configFile) {
        addReplyErrorFormat(c, "ERR CONFIG-REWRITE-FORCE-ALL failed: %s", strerror(EFAULT));
        return;
    }
    if (!configRewrite(true, &err)) {
        addReplyErrorFormat(c, "ERR CONFIG-REWRITE-FORCE-ALL failed: %s", strerror(errno));
        return;
    }
    addReplyOk(c);
}

/* DEBUG RESTART / CRASH-AND-RECOVER [<ms>]: re-executes kvd in this
 * process; only returns (with an error) when that could not start. */
static void debugRestart(Client *c, bool graceful) {
    long long delay = 0;
    if (c->argc >= 3) {
        if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &delay)) {
            addReplyError(c, errNotInteger);
            return;
        }
        if (delay < 0) delay = 0;
    }
    const char *why = NULL;
    if (!serverRestart(graceful, delay, &why)) addReplyError(c, why);
}

#ifndef KV_NO_JEMALLOC
/* DEBUG MALLCTL <name> [<value>]: jemalloc's integer setting `name`, read
 * (and written first when a value is given), as Redis 7.0 does: the read is
 * of a 64-bit value only (other widths answer "Invalid argument"); a write
 * tries 64, 32, 16 then 8 bits until jemalloc accepts the width, falls back
 * to a write-only call when the setting cannot be read, and replies with
 * the value from before the write. Errors are jemalloc's errno as text. */
static void debugMallctlInt(Client *c) {
    char *name = debugArgCString(&c->argv[2]);
    bool write = c->argc > 3;
    int64_t val = 0;
    int ret = EINVAL;
    if (write) {
        long long ll;
        if (!strToLongLong(c->argv[3].ptr, c->argv[3].len, &ll)) {
            addReplyError(c, errNotInteger);
            goto done;
        }
        val = ll;
    }
    for (size_t width = sizeof(int64_t); width > 0; width /= 2) {
        int64_t old = 0;
        size_t oldLen = width;
        ret = mallctl(name, &old, &oldLen, write ? &val : NULL, write ? width : 0);
        if (ret == EPERM && write && (ret = mallctl(name, NULL, NULL, &val, width)) == 0) {
            addReplyOk(c);
            goto done;
        }
        if (ret == 0) {
            addReplyLongLong(c, old);
            goto done;
        }
        if (ret != EINVAL || !write) break;
    }
    addReplyErrorFormat(c, "ERR %s", strerror(ret));
done:
    kvFree(name);
}

/* DEBUG MALLCTL-STR <name> [<value>]: the same for string settings. The
 * value is read first (a write-only setting may fail that read), then the
 * new one written ("VOID" writes nothing, for settings that are actions);
 * the reply is the value read, else the write's error, else OK. */
static void debugMallctlString(Client *c) {
    char *name = debugArgCString(&c->argv[2]);
    const char *old = NULL;
    size_t oldLen = sizeof(old);
    int readRet = mallctl(name, &old, &oldLen, NULL, 0);
    int writeRet = 0;
    if (readRet && !(readRet == EPERM && c->argc > 3)) {
        addReplyErrorFormat(c, "ERR %s", strerror(readRet));
        kvFree(name);
        return;
    }
    char *val = NULL;
    if (c->argc > 3) {
        val = debugArgCString(&c->argv[3]);
        if (strcmp(val, "VOID") == 0)
            writeRet = mallctl(name, NULL, NULL, NULL, 0);
        else
            writeRet = mallctl(name, NULL, NULL, &val, sizeof(val));
    }
    if (!readRet)
        addReplyBulkCString(c, old ? old : "");
    else if (writeRet)
        addReplyErrorFormat(c, "ERR %s", strerror(writeRet));
    else
        addReplyOk(c);
    kvFree(val);
    kvFree(name);
}
#endif

/* The deliberate crashes, for fault tests. */
static void debugCrash(Client *c) {
    if (argIs(&c->argv[1], "segfault")) {
        logMsg(LL_WARNING, "DEBUG SEGFAULT called: crashing with SIGSEGV");
#ifdef __SANITIZE_ADDRESS__
        /* Die by the signal as the plain build does, not by ASan's report
         * of it (a sanitizer report fails the sanitized test run). */
        signal(SIGSEGV, SIG_DFL);
#endif
        raise(SIGSEGV);
    } else if (argIs(&c->argv[1], "panic")) {
        logMsg(LL_WARNING, "Guru Meditation: DEBUG PANIC called at Unix time %lld",
               (long long)time(NULL));
    } else if (argIs(&c->argv[1], "assert")) {
        logMsg(LL_WARNING, "=== ASSERTION FAILED ===");
        logMsg(LL_WARNING, "==> debug.c \"1 == 2\" is not true");
    } else {                          /* oom */
        void *p = kvMalloc(SIZE_MAX); /* kvMalloc aborts when out of memory */
        kvFree(p);
    }
    abort();
}

/* DEBUG RELOAD and DEBUG LOADAOF serve the other clients while they load,
 * as Redis 7.0 does (they get -LOADING, INFO shows loading:1), when that can
 * be done safely: only from the top level (not inside EXEC), and with the
 * read events of the caller (its argv lives in its query buffer) and of
 * every client that holds a transaction queued before the load turned off,
 * so that no EXEC can apply writes to a half-loaded data set (a MULTI begun
 * during the load only queues -LOADING errors, so its EXEC aborts). Blocked
 * clients stay as they are and cron does not run
 * (serverProcessEventsWhileBusy). What else could pull the data or the
 * files from under the load is refused while it runs: DEBUG RELOAD /
 * LOADAOF / POPULATE below, CONFIG SET dir and appendonly (config.c). The
 * held clients are listed by id, so one that went away meanwhile is
 * skipped. */
typedef struct HeldClients {
    uint64_t *ids;
    size_t count, cap;
} HeldClients;

static void holdClient(HeldClients *h, Client *c) {
    if (c->fd < 0 || !event_pending(&c->readEvent, EV_READ, NULL)) return;
    event_del(&c->readEvent);
    if (h->count == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->ids = kvRealloc(h->ids, h->cap * sizeof(*h->ids));
    }
    h->ids[h->count++] = c->id;
}

static bool debugHoldForServedLoad(Client *caller, HeldClients *h) {
    memset(h, 0, sizeof(*h));
    if (caller != dispatchCurrentClient() || dispatchInNestedCall() || multiActive(caller) ||
        caller->fd < 0)
        return false;
    holdClient(h, caller);
    for (Client *c = clientFirst(); c; c = c->next)
        if (c != caller && multiActive(c)) holdClient(h, c);
    return true;
}

static void debugReleaseHeld(HeldClients *h) {
    for (size_t i = 0; i < h->count; i++) {
        Client *c = clientById(h->ids[i]);
        if (c && c->fd >= 0 && !(c->flags & CLIENT_CLOSE_ASAP)) event_add(&c->readEvent, NULL);
    }
    kvFree(h->ids);
}

void debugCommand(Client *c) {
    const Arg *sub = &c->argv[1];
    int argc = c->argc;

    /* DEBUG is allowed while loading (as in Redis) but these change the
     * data set under the load: refused until it ends. (Redis 7.0.15 runs
     * them, a DEBUG RELOAD then nesting a whole second load inside the
     * first: kvd does not follow it there.) */
    if (rdbIsLoading() &&
        (argIs(sub, "reload") || argIs(sub, "loadaof") || argIs(sub, "populate"))) {
        addReplyError(c, rdbLoadingError);
        return;
    }
    if (argIs(sub, "help") && argc == 2) {
        debugHelp(c);
    } else if (argIs(sub, "reload")) {
        int options = 0;
        for (int j = 2; j < argc; j++) {
            if (argIs(&c->argv[j], "merge")) {
                options |= RDB_RELOAD_MERGE;
            } else if (argIs(&c->argv[j], "noflush")) {
                options |= RDB_RELOAD_NOFLUSH;
            } else if (argIs(&c->argv[j], "nosave")) {
                options |= RDB_RELOAD_NOSAVE;
            } else {
                addReplyError(c, "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE "
                                 "options.");
                return;
            }
        }
        const char *err = NULL;
        HeldClients held;
        if (debugHoldForServedLoad(c, &held)) options |= RDB_RELOAD_SERVE;
        bool ok = rdbDebugReload(options, &err);
        debugReleaseHeld(&held);
        if (ok)
            addReplyOk(c);
        else
            addReplyError(c, err ? err : "ERR Error trying to load the RDB dump");
    } else if (argIs(sub, "loadaof") && argc == 2) {
        const char *err = NULL;
        HeldClients held;
        bool serve = debugHoldForServedLoad(c, &held);
        bool ok = aofDebugLoad(serve, &err);
        debugReleaseHeld(&held);
        if (ok)
            addReplyOk(c);
        else
            addReplyError(c, err ? err : "ERR Error loading the append only file");
    } else if (argIs(sub, "digest") && argc == 2) {
        unsigned char digest[DEBUG_DIGEST_LEN];
        debugDatasetDigest(digest);
        debugReplyDigest(c, digest);
    } else if (argIs(sub, "digest-value") && argc >= 2) {
        addReplyArrayLen(c, argc - 2);
        for (int j = 2; j < argc; j++) {
            /* Logically expired keys count too, as in Redis. */
            Object *o = dbFindRaw(c->db, c->argv[j].ptr, c->argv[j].len);
            unsigned char digest[DEBUG_DIGEST_LEN];
            debugObjectDigest(o, digest);
            debugReplyDigest(c, digest);
        }
    } else if (argIs(sub, "object") && argc == 3) {
        debugObject(c);
    } else if (argIs(sub, "listpack") && argc == 3) {
        debugListpack(c);
    } else if (argIs(sub, "quicklist") && (argc == 3 || argc == 4)) {
        debugQuicklist(c);
    } else if (argIs(sub, "quicklist-packed-threshold") && argc == 3) {
        debugQuicklistPackedThreshold(c);
    } else if (argIs(sub, "sleep") && argc == 3) {
        debugSleep(c);
    } else if (argIs(sub, "populate") && argc >= 3 && argc <= 5) {
        debugPopulate(c);
    } else if (argIs(sub, "protocol") && argc == 3) {
        debugProtocol(c);
    } else if (argIs(sub, "set-disable-deny-scripts") && argc == 3) {
        scriptSetDisableDenyScripts(debugArgAtoi(&c->argv[2]) != 0);
        addReplyOk(c);
    } else if (argIs(sub, "set-active-expire") && argc == 3) {
        config.activeExpireEnabled = debugArgAtoi(&c->argv[2]) != 0;
        addReplyOk(c);
    } else if (argIs(sub, "pause-cron") && argc == 3) {
        serverSetCronPaused(debugArgAtoi(&c->argv[2]) != 0);
        addReplyOk(c);
    } else if (argIs(sub, "replybuffer") && argc == 4) {
        debugReplybuffer(c);
    } else if (argIs(sub, "htstats") && (argc == 3 || argc == 4)) {
        debugHtstats(c);
    } else if (argIs(sub, "htstats-key") && (argc == 3 || argc == 4)) {
        debugHtstatsKey(c);
    } else if (argIs(sub, "stringmatch-test") && argc == 2) {
        debugStringmatchTest(c);
    } else if (argIs(sub, "error") && argc == 3) {
        debugReplyErrorUncounted(c, &c->argv[2]);
    } else if (argIs(sub, "log") && argc == 3) {
        logMsg(LL_WARNING, "DEBUG LOG: %.*s", (int)c->argv[2].len, c->argv[2].ptr);
        addReplyOk(c);
    } else if (argIs(sub, "set-skip-checksum-validation") && argc == 3) {
        debugSkipChecksumValidation = debugArgAtoi(&c->argv[2]) != 0;
        addReplyOk(c);
    } else if (argIs(sub, "aof-flush-sleep") && argc == 3) {
        debugAofFlushSleepUs = debugArgAtoi(&c->argv[2]);
        addReplyOk(c);
    } else if (argIs(sub, "leak") && argc == 3) {
        char *leak = debugArgCString(&c->argv[2]); /* leaked on purpose */
#ifdef __SANITIZE_ADDRESS__
        __lsan_ignore_object(leak); /* ...so not a LeakSanitizer finding */
#else
        (void)leak;
#endif
        addReplyOk(c);
    } else if ((argIs(sub, "segfault") || argIs(sub, "panic") || argIs(sub, "assert") ||
                argIs(sub, "oom")) &&
               argc == 2) {
        debugCrash(c);
    } else if (argIs(sub, "sdslen") && argc == 3) {
        debugSdslen(c);
    } else if (argIs(sub, "structsize") && argc == 2) {
        debugStructsize(c);
    } else if (argIs(sub, "client-eviction") && argc == 2) {
        debugClientEviction(c);
    } else if (argIs(sub, "change-repl-id") && argc == 2) {
        logMsg(LL_NOTICE, "Changing replication IDs after receiving DEBUG change-repl-id");
        infoChangeReplicationId();
        infoClearReplicationId2();
        addReplyOk(c);
    } else if (argIs(sub, "config-rewrite-force-all") && argc == 2) {
        debugConfigRewriteForceAll(c);
    } else if (argIs(sub, "restart") || argIs(sub, "crash-and-recover")) {
        debugRestart(c, argIs(sub, "restart"));
#ifndef KV_NO_JEMALLOC
    } else if (argIs(sub, "mallctl") && argc >= 3) {
        debugMallctlInt(c);
    } else if (argIs(sub, "mallctl-str") && argc >= 3) {
        debugMallctlString(c);
#endif
    } else if (argIs(sub, "drop-cluster-packet-filter") && argc == 3) {
        /* Stored for the cluster bus, which will drop incoming packets of
         * this type (-1: none) once cluster mode exists (the cluster issue
         * gives it effect). */
        long long type;
        if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &type)) {
            addReplyError(c, errNotInteger);
            return;
        }
        debugClusterDropPacketFilter = type;
        addReplyOk(c);
    } else if (argIs(sub, "clusterlink") && argc == 5 && argIs(&c->argv[2], "kill")) {
        /* kvd has no cluster mode yet, so this is Redis's answer on a
         * non-cluster server; the cluster issue will make it kill links. */
        addReplyError(c, "ERR Debug option only available for cluster mode enabled setup!");
    } else {
        addReplySubcommandSyntaxError(c);
    }
}
