/* rdbcheck.c — the RDB checker behind kv-check-rdb and kv-check-aof (which
 * checks the RDB preamble of an AOF base with it, as redis-check-aof runs
 * redis-check-rdb's code). See rdbcheck.h for the report it prints.
 *
 * The file is read by rdbfile.c's parser, the one kvd loads with, and what
 * it hands over is checked by the same common code kvd's loader uses before
 * adopting a value: rdbCheckPairListpack() for hash and zset listpacks,
 * lpValidate()/intsetValidate() (listpack.c, intset.c) for list nodes and
 * intsets, rdbZiplistWalk()/rdbZipmapWalk() for the legacy encodings. What
 * stays here is bookkeeping kvd does with its own data structures while
 * building values (duplicate members of plain sets/hashes/zsets and of
 * legacy pair encodings, counted with a dict) and the report itself.
 */
#include "rdbcheck.h"

#include "dict.h"
#include "dstr.h"
#include "intset.h"
#include "listpack.h"
#include "mem.h"
#include "numconv.h"
#include "rdbfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#define TOP_KEYS     10
#define KEY_NAME_MAX 64

typedef struct TypeStat {
    unsigned long long keys, bytes;
} TypeStat;

typedef struct BigKey {
    dstr name;
    int type, db;
    unsigned long long bytes;
} BigKey;

typedef struct Checker {
    RdbParser *parser;
    long long now;
    unsigned long long expires, alreadyExpired, emptyKeys;
    bool keyDone;         /* a key was completed (type reporting, as Redis) */
    Dict *members;        /* members/fields of the current key, for duplicates */
    unsigned long long n; /* elements delivered for the current key */
    bool stats;
    FILE *out; /* where the report goes */
    TypeStat byType[RDB_TYPE_MAX + 1];
    BigKey top[TOP_KEYS];
} Checker;

static void offsetLine(Checker *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void offsetLine(Checker *ck, const char *fmt, ...) {
    va_list ap;
    fprintf(ck->out, "[offset %llu] ", (unsigned long long)ck->parser->reader->offset);
    va_start(ap, fmt);
    vfprintf(ck->out, fmt, ap);
    va_end(ap);
    fputc('\n', ck->out);
}

static bool fail(Checker *ck, const char *why) {
    return rdbReaderFail(ck->parser->reader, "%s", why);
}

/* ---- duplicate detection ---- */

/* Adds a member; false (with the error recorded) when it was there. */
static bool memberAdd(Checker *ck, const char *p, size_t len, const char *what) {
    bool created;
    dictEntryAdd(ck->members, p, len, &created);
    if (!created) return fail(ck, what);
    return true;
}

/* ---- parser callbacks ---- */

static bool onAux(void *priv, const char *k, size_t klen, const char *v, size_t vlen) {
    (void)klen;
    (void)vlen;
    offsetLine(priv, "AUX FIELD %s = '%s'", k, v);
    return true;
}

static bool onSelectDb(void *priv, uint64_t db) {
    offsetLine(priv, "Selecting DB ID %llu", (unsigned long long)db);
    return true;
}

static bool onKeyBegin(void *priv, const RdbKeyInfo *k) {
    Checker *ck = priv;
    (void)k;
    dictEmpty(ck->members);
    ck->n = 0;
    return true;
}

static bool onCount(void *priv, uint64_t n) {
    (void)priv;
    (void)n;
    return true;
}

static bool onString(void *priv, const char *p, size_t len) {
    (void)p;
    (void)len;
    ((Checker *)priv)->n++;
    return true;
}

static bool onElement(void *priv, const char *p, size_t len) {
    Checker *ck = priv;
    ck->n++;
    if (ck->parser->keyInfo.type == RDB_TYPE_SET)
        return memberAdd(ck, p, len, "Duplicate set members detected");
    return true;
}

static bool onField(void *priv, const char *f, size_t flen, const char *v, size_t vlen) {
    (void)v;
    (void)vlen;
    Checker *ck = priv;
    ck->n++;
    return memberAdd(ck, f, flen, "Duplicate hash fields detected");
}

static bool onScored(void *priv, const char *m, size_t mlen, double score) {
    (void)score;
    Checker *ck = priv;
    ck->n++;
    return memberAdd(ck, m, mlen, "Duplicate zset fields detected");
}

/* Walk state for pair encodings (hash/zset ziplists and listpacks). */
typedef struct PairWalk {
    Checker *ck;
    unsigned long entries;
    bool scores; /* odd entries are zset scores */
    const char *dupError;
} PairWalk;

static bool pairText(PairWalk *w, const unsigned char *s, size_t len, long long v) {
    char buf[LONG_STR_SIZE];
    if (!s) {
        len = (size_t)llToStr(buf, sizeof(buf), v);
        s = (const unsigned char *)buf;
    }
    bool odd = (w->entries++ & 1) != 0;
    if (!odd) return memberAdd(w->ck, (const char *)s, len, w->dupError);
    if (w->scores) {
        double d;
        if (!strToDouble((const char *)s, len, &d)) return fail(w->ck, "Invalid zset score");
    }
    return true;
}

static bool pairWalkEntry(void *priv, const unsigned char *s, size_t len, long long v) {
    return pairText(priv, s, len, v);
}

/* Hash and zset listpacks: the check kvd's loader runs (common/rdbfile.c). */
static bool checkPairListpack(Checker *ck, const unsigned char *lp, size_t len, bool scores) {
    unsigned long pairs;
    size_t maxLen;
    const char *why = rdbCheckPairListpack(lp, len, scores, &pairs, &maxLen);
    if (why) return fail(ck, why);
    ck->n += pairs;
    return true;
}

static bool checkPairZiplist(Checker *ck, const unsigned char *zl, size_t len, bool scores,
                             bool zipmap, const char *what, const char *dup) {
    PairWalk w = {ck, 0, scores, dup};
    unsigned long count;
    bool ok = zipmap ? rdbZipmapWalk(zl, len, pairWalkEntry, &w, &count)
                     : rdbZiplistWalk(zl, len, pairWalkEntry, &w, &count);
    if (!ok) return ck->parser->reader->failed ? false : fail(ck, what);
    if (w.entries % 2) return fail(ck, what);
    ck->n += w.entries / 2;
    return true;
}

static bool onBlob(void *priv, int kind, unsigned char **blob, size_t len) {
    Checker *ck = priv;
    const unsigned char *b = *blob;
    unsigned long count;
    switch (ck->parser->keyInfo.type) {
        case RDB_TYPE_SET_INTSET:
            if (!intsetValidate(b, len, true)) return fail(ck, "Intset integrity check failed.");
            ck->n += intsetLen((const Intset *)b);
            return true;
        case RDB_TYPE_HASH_LISTPACK: return checkPairListpack(ck, b, len, false);
        case RDB_TYPE_ZSET_LISTPACK: return checkPairListpack(ck, b, len, true);
        case RDB_TYPE_HASH_ZIPMAP:
            return checkPairZiplist(ck, b, len, false, true, "Zipmap integrity check failed.",
                                    "Duplicate hash fields detected");
        case RDB_TYPE_HASH_ZIPLIST:
            return checkPairZiplist(ck, b, len, false, false,
                                    "Hash ziplist integrity check failed.",
                                    "Duplicate hash fields detected");
        case RDB_TYPE_ZSET_ZIPLIST:
            return checkPairZiplist(ck, b, len, true, false, "Zset ziplist integrity check failed.",
                                    "Duplicate zset fields detected");
        case RDB_TYPE_LIST_ZIPLIST:
        case RDB_TYPE_LIST_QUICKLIST:
            if (!rdbZiplistWalk(b, len, NULL, NULL, &count))
                return fail(ck, "Ziplist integrity check failed.");
            ck->n += count;
            return true;
        case RDB_TYPE_LIST_QUICKLIST_2:
            if (kind == RDB_BLOB_PLAIN) {
                ck->n++;
                return true;
            }
            if (!lpValidate(b, len, true)) return fail(ck, "Listpack integrity check failed.");
            ck->n += lpLength(*blob);
            return true;
        case RDB_TYPE_STREAM_LISTPACKS:
        case RDB_TYPE_STREAM_LISTPACKS_2:
            if (!lpValidate(b, len, true))
                return fail(ck, "Stream listpack integrity check failed.");
            if (lpFirst(b) == NULL) return fail(ck, "Empty listpack inside stream");
            return true;
        default: return fail(ck, "Unexpected encoded value");
    }
}

static bool onOpaque(void *priv, const char *what) {
    (void)priv;
    (void)what;
    return true;
}

static void recordBigKey(Checker *ck, const RdbKeyInfo *k, unsigned long long bytes) {
    int slot = -1;
    for (int i = 0; i < TOP_KEYS; i++) {
        if (!ck->top[i].name) {
            slot = i;
            break;
        }
        if (slot == -1 || ck->top[i].bytes < ck->top[slot].bytes) slot = i;
    }
    if (ck->top[slot].name) {
        if (ck->top[slot].bytes >= bytes) return;
        dstrFree(ck->top[slot].name);
    }
    ck->top[slot].name = dstrNewLen(k->key, k->keyLen < KEY_NAME_MAX ? k->keyLen : KEY_NAME_MAX);
    ck->top[slot].type = k->type;
    ck->top[slot].db = k->dbid;
    ck->top[slot].bytes = bytes;
}

static bool onKeyEnd(void *priv, const RdbKeyInfo *k) {
    Checker *ck = priv;
    /* Counted once the value was read, as redis-check-rdb does. */
    if (k->expireMs != -1) {
        ck->expires++;
        if (k->expireMs < ck->now) ck->alreadyExpired++;
    }
    bool collection = k->type != RDB_TYPE_STRING && k->type != RDB_TYPE_MODULE_2 &&
                      k->type != RDB_TYPE_STREAM_LISTPACKS &&
                      k->type != RDB_TYPE_STREAM_LISTPACKS_2;
    if (collection && ck->n == 0) ck->emptyKeys++;
    unsigned long long bytes = ck->parser->reader->offset - k->offset;
    ck->byType[k->type].keys++;
    ck->byType[k->type].bytes += bytes;
    if (ck->stats) recordBigKey(ck, k, bytes);
    ck->keyDone = true;
    dictEmpty(ck->members);
    return true;
}

static bool onEnd(void *priv, int status) {
    Checker *ck = priv;
    if (ck->parser->version < 5) return true; /* no checksum in the format: nothing said */
    if (status == 0)
        offsetLine(priv, "Checksum OK");
    else
        offsetLine(priv, "RDB file was saved with checksum disabled: no check performed.");
    return true;
}

static const RdbParserCallbacks callbacks = {
    .aux = onAux,
    .selectDb = onSelectDb,
    .keyBegin = onKeyBegin,
    .string = onString,
    .count = onCount,
    .element = onElement,
    .field = onField,
    .scored = onScored,
    .blob = onBlob,
    .opaque = onOpaque,
    .keyEnd = onKeyEnd,
    .end = onEnd,
};

/* ---- reports ---- */

static void printInfo(Checker *ck) {
    fprintf(ck->out, "[info] %llu keys read\n", ck->parser->keysRead);
    fprintf(ck->out, "[info] %llu expires\n", ck->expires);
    fprintf(ck->out, "[info] %llu already expired\n", ck->alreadyExpired);
    if (ck->emptyKeys) fprintf(ck->out, "[info] %llu empty keys\n", ck->emptyKeys);
}

static void printError(Checker *ck) {
    RdbParser *p = ck->parser;
    RdbReader *r = p->reader;
    fprintf(ck->out, "--- RDB ERROR DETECTED ---\n");
    fprintf(ck->out, "[offset %llu] %s\n", (unsigned long long)r->errOffset, r->err);
    fprintf(ck->out, "[additional info] While doing: %s\n", rdbStageName(p->stage));
    if (p->inKey)
        fprintf(ck->out, "[additional info] Reading key '%.*s'\n", (int)p->keyInfo.keyLen,
                p->keyInfo.key);
    /* As Redis: the type of the key in progress; before any key the initial
     * type 0; none once a key was completed and no new one began. */
    if (p->stage == RDB_STAGE_READ_KEY || p->stage == RDB_STAGE_READ_VALUE)
        fprintf(ck->out, "[additional info] Reading type %d (%s)\n", p->keyInfo.type,
                rdbTypeName(p->keyInfo.type));
    else if (!ck->keyDone)
        fprintf(ck->out, "[additional info] Reading type 0 (string)\n");
}

/* The logical type an RDB type encodes. */
static const char *logicalType(int t) {
    switch (t) {
        case RDB_TYPE_STRING: return "string";
        case RDB_TYPE_LIST:
        case RDB_TYPE_LIST_ZIPLIST:
        case RDB_TYPE_LIST_QUICKLIST:
        case RDB_TYPE_LIST_QUICKLIST_2: return "list";
        case RDB_TYPE_SET:
        case RDB_TYPE_SET_INTSET: return "set";
        case RDB_TYPE_ZSET:
        case RDB_TYPE_ZSET_2:
        case RDB_TYPE_ZSET_ZIPLIST:
        case RDB_TYPE_ZSET_LISTPACK: return "zset";
        case RDB_TYPE_HASH:
        case RDB_TYPE_HASH_ZIPMAP:
        case RDB_TYPE_HASH_ZIPLIST:
        case RDB_TYPE_HASH_LISTPACK: return "hash";
        case RDB_TYPE_STREAM_LISTPACKS:
        case RDB_TYPE_STREAM_LISTPACKS_2: return "stream";
        default: return "module";
    }
}

static int bigKeyCmp(const void *a, const void *b) {
    const BigKey *x = a, *y = b;
    if (!x->name || !y->name) return x->name ? -1 : (y->name ? 1 : 0);
    return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : 0;
}

static void printStats(Checker *ck) {
    static const char *const order[] = {"string", "list",   "set",   "zset",
                                        "hash",   "stream", "module"};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        unsigned long long keys = 0, bytes = 0;
        for (int t = 0; t <= RDB_TYPE_MAX; t++) {
            if (strcmp(logicalType(t), order[i]) != 0 || !rdbTypeName(t)[0]) continue;
            keys += ck->byType[t].keys;
            bytes += ck->byType[t].bytes;
        }
        if (!keys) continue;
        fprintf(ck->out, "[stats] %s: %llu keys, %llu bytes", order[i], keys, bytes);
        const char *sep = " (";
        for (int t = 0; t <= RDB_TYPE_MAX; t++) {
            if (strcmp(logicalType(t), order[i]) != 0 || !ck->byType[t].keys) continue;
            fprintf(ck->out, "%s%s: %llu", sep, rdbTypeName(t), ck->byType[t].keys);
            sep = ", ";
        }
        fprintf(ck->out, ")\n");
    }
    qsort(ck->top, TOP_KEYS, sizeof(ck->top[0]), bigKeyCmp);
    for (int i = 0; i < TOP_KEYS && ck->top[i].name; i++) {
        dstr repr = dstrCatRepr(dstrEmpty(), ck->top[i].name, dstrLen(ck->top[i].name));
        fprintf(ck->out, "[stats] largest #%d: db %d key %s (%s, %s) %llu bytes\n", i + 1,
                ck->top[i].db, repr, logicalType(ck->top[i].type), rdbTypeName(ck->top[i].type),
                ck->top[i].bytes);
        dstrFree(repr);
    }
}

/* ---- the check ---- */

/* Parses fp to its end with the checker's callbacks and prints the verdict,
 * the [info] totals and (opt->stats) the statistics. */
static bool checkStream(FILE *fp, const RdbCheckOptions *opt, FILE *out, uint64_t *end) {
    Checker ck;
    memset(&ck, 0, sizeof(ck));
    struct timeval tv;
    gettimeofday(&tv, NULL);
    ck.now = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
    ck.stats = opt && opt->stats;
    ck.out = out;
    ck.members = dictCreate(&dictTypeDstrKey);

    RdbReader r;
    RdbParser p;
    rdbReaderInitFile(&r, fp, true);
    rdbParserInit(&p, &r, &callbacks, &ck);
    ck.parser = &p;
    bool ok = rdbParse(&p);
    rdbReaderRelease(&r);
    if (ok) {
        offsetLine(&ck, "\\o/ RDB looks OK! \\o/");
        if (end) *end = r.offset;
    } else {
        printError(&ck);
    }
    printInfo(&ck);
    if (ck.stats) printStats(&ck);

    for (int i = 0; i < TOP_KEYS; i++)
        if (ck.top[i].name) dstrFree(ck.top[i].name);
    dictRelease(ck.members);
    rdbParserFree(&p);
    return ok;
}

bool rdbCheckFile(const char *path, const RdbCheckOptions *opt, uint64_t *end) {
    FILE *out = opt && opt->out ? opt->out : stdout;
    fprintf(out, "[offset 0] Checking RDB file %s\n", path);
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        fprintf(out, "--- RDB ERROR DETECTED ---\n");
        fprintf(out, "[offset 0] Cannot open the RDB file: %s\n", strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(out, "--- RDB ERROR DETECTED ---\n");
        fprintf(out, "[offset 0] Cannot check an RDB that is not a file\n");
        if (fp != stdin) fclose(fp);
        return false;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 16);
    bool ok = checkStream(fp, opt, out, end);
    if (fp != stdin) fclose(fp);
    return ok;
}
