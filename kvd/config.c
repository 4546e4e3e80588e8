/* config.c — THE config table: every directive kvd accepts, as data, and
 * the machinery around it: defaults, the config file and `--name value`
 * arguments (through common/conf.h), CONFIG GET/SET/RESETSTAT/REWRITE/HELP.
 *
 * A row names the directive (and its alias), its kind (bool, int, long long,
 * memory, string, enum or special), where its value lives in `config`, its
 * default (as text, parsed by the same code as user input), bounds, flags
 * and an optional apply hook run after CONFIG SET. Setting at start-up and at
 * run time go through the same parse function, so errors read the same.
 *
 * CONFIG SET of several directives is atomic: every value is parsed and
 * checked first, then all are set, then the apply hooks run; if a hook fails
 * the previous values are restored (and their hooks re-run).
 */
#include "config.h"

#include "aof.h"
#include "clienteviction.h"
#include "command.h"
#include "conf.h"
#include "db.h"
#include "evict.h"
#include "globmatch.h"
#include "info.h"
#include "log.h"
#include "mem.h"
#include "notify.h"
#include "outputlimit.h"
#include "numconv.h"
#include "rdb.h"
#include "reply.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

KvdConfig config;

typedef enum { CK_BOOL, CK_INT, CK_LL, CK_MEMORY, CK_STRING, CK_ENUM, CK_SPECIAL } ConfigKind;

#define CF_IMMUTABLE      (1 << 0) /* start-up only */
#define CF_SENSITIVE      (1 << 1) /* value not logged */
#define CF_HIDDEN         (1 << 2) /* not listed by CONFIG GET patterns */
#define CF_EMPTY_NULL     (1 << 3) /* strings: "" stored as NULL */
#define CF_MULTI_ARG      (1 << 4) /* file form takes several arguments */
#define CF_NOT_REWRITE    (1 << 5)
#define CF_OCTAL          (1 << 6)  /* integers written in octal (unixsocketperm) */
#define CF_PROTECTED      (1 << 7)  /* CONFIG SET only per enable-protected-configs */
#define CF_UNLISTED       (1 << 8)  /* Redis's HIDDEN_CONFIG: by exact name only, not by patterns */
#define CF_NO_LOADING     (1 << 9)  /* CONFIG SET refused (-LOADING) while a data set loads */
#define CF_REWRITE_ALWAYS (1 << 10) /* CONFIG REWRITE writes it even at its default */
#define CF_REWRITE_QUOTED (1 << 11) /* CONFIG REWRITE quotes the value (strings always) */

typedef struct ConfigEnum {
    const char *name;
    int value;
} ConfigEnum;

typedef struct ConfigDirective ConfigDirective;
typedef bool ConfigSetFn(ConfigDirective *d, int argc, char **argv, const char **err);
typedef dstr ConfigGetFn(ConfigDirective *d, dstr out);
typedef bool ConfigApplyFn(const char **err);
/* The directive's CONFIG REWRITE line(s), for those not written as
 * "name value" (forceAll: DEBUG CONFIG-REWRITE-FORCE-ALL). */
typedef dstr ConfigRewriteFn(ConfigDirective *d, dstr out, bool forceAll);

struct ConfigDirective {
    const char *name;
    const char *alias;
    ConfigKind kind;
    unsigned flags;
    void *ptr;
    long long min, max;
    const char *def;
    const ConfigEnum *enums;
    ConfigSetFn *set; /* CK_SPECIAL */
    ConfigGetFn *get; /* CK_SPECIAL */
    ConfigApplyFn *apply;
    ConfigRewriteFn *rewrite; /* NULL: "name value" */
    bool seenInFile;          /* for REWRITE */
};

/* ---- enums ---- */
static const ConfigEnum loglevelEnum[] = {{"debug", LL_DEBUG},     {"verbose", LL_VERBOSE},
                                          {"notice", LL_NOTICE},   {"warning", LL_WARNING},
                                          {"nothing", LL_NOTHING}, {NULL, 0}};
static const ConfigEnum supervisedEnum[] = {{"upstart", SUPERVISED_UPSTART},
                                            {"systemd", SUPERVISED_SYSTEMD},
                                            {"auto", SUPERVISED_AUTO},
                                            {"no", SUPERVISED_NONE},
                                            {NULL, 0}};
static const ConfigEnum sanitizeDumpPayloadEnum[] = {{"no", SANITIZE_DUMP_NO},
                                                     {"yes", SANITIZE_DUMP_YES},
                                                     {"clients", SANITIZE_DUMP_CLIENTS},
                                                     {NULL, 0}};
static const ConfigEnum enableEnum[] = {
    {"no", ENABLE_NO}, {"yes", ENABLE_YES}, {"local", ENABLE_LOCAL}, {NULL, 0}};
static const ConfigEnum maxmemoryPolicyEnum[] = {{"volatile-lru", MAXMEMORY_VOLATILE_LRU},
                                                 {"volatile-lfu", MAXMEMORY_VOLATILE_LFU},
                                                 {"volatile-random", MAXMEMORY_VOLATILE_RANDOM},
                                                 {"volatile-ttl", MAXMEMORY_VOLATILE_TTL},
                                                 {"allkeys-lru", MAXMEMORY_ALLKEYS_LRU},
                                                 {"allkeys-lfu", MAXMEMORY_ALLKEYS_LFU},
                                                 {"allkeys-random", MAXMEMORY_ALLKEYS_RANDOM},
                                                 {"noeviction", MAXMEMORY_NO_EVICTION},
                                                 {NULL, 0}};
static const ConfigEnum syslogFacilityEnum[] = {
    {"user", 0},   {"local0", 1}, {"local1", 2}, {"local2", 3}, {"local3", 4},
    {"local4", 5}, {"local5", 6}, {"local6", 7}, {"local7", 8}, {NULL, 0}};
static int syslogFacilityValue;
static const ConfigEnum appendfsyncEnum[] = {{"everysec", AOF_FSYNC_EVERYSEC},
                                             {"always", AOF_FSYNC_ALWAYS},
                                             {"no", AOF_FSYNC_NO},
                                             {NULL, 0}};

/* ---- special directives ---- */
static bool configSetBind(ConfigDirective *d, int argc, char **argv, const char **err);
static dstr configGetBind(ConfigDirective *d, dstr out);
static bool configSetSave(ConfigDirective *d, int argc, char **argv, const char **err);
static dstr configGetSave(ConfigDirective *d, dstr out);
static bool configSetDir(ConfigDirective *d, int argc, char **argv, const char **err);
static dstr configGetDir(ConfigDirective *d, dstr out);
static bool configSetRename(ConfigDirective *d, int argc, char **argv, const char **err);
static bool configSetNotify(ConfigDirective *d, int argc, char **argv, const char **err);
static dstr configGetNotify(ConfigDirective *d, dstr out);
static bool configSetOutputLimit(ConfigDirective *d, int argc, char **argv, const char **err);
static bool configSetMaxmemoryClients(ConfigDirective *d, int argc, char **argv, const char **err);
static dstr configGetMaxmemoryClients(ConfigDirective *d, dstr out);
static dstr configGetOutputLimit(ConfigDirective *d, dstr out);
static dstr configRewriteOutputLimit(ConfigDirective *d, dstr out, bool forceAll);
static dstr configRewriteSave(ConfigDirective *d, dstr out, bool forceAll);
static bool configApplyLoglevel(const char **err);
static bool configApplyHz(const char **err);
static bool configApplyListeners(const char **err);
static bool configApplyRequirepass(const char **err);

#define BOOL(n, a, f, field, def, apply)                                                           \
    { n, a, CK_BOOL, f, &config.field, 0, 1, def, NULL, NULL, NULL, apply, NULL, false }
#define INT(n, a, f, field, min, max, def, apply)                                                  \
    { n, a, CK_INT, f, &config.field, min, max, def, NULL, NULL, NULL, apply, NULL, false }
#define LL(n, a, f, field, min, max, def, apply)                                                   \
    { n, a, CK_LL, f, &config.field, min, max, def, NULL, NULL, NULL, apply, NULL, false }
#define MEM(n, a, f, field, min, max, def, apply)                                                  \
    { n, a, CK_MEMORY, f, &config.field, min, max, def, NULL, NULL, NULL, apply, NULL, false }
#define STR(n, a, f, field, def, apply)                                                            \
    { n, a, CK_STRING, f, &config.field, 0, 0, def, NULL, NULL, NULL, apply, NULL, false }
#define ENUM(n, a, f, ptr, enums, def, apply)                                                      \
    { n, a, CK_ENUM, f, ptr, 0, 0, def, enums, NULL, NULL, apply, NULL, false }
#define SPECIAL_RW(n, a, f, def, set, get, apply, rewrite)                                         \
    { n, a, CK_SPECIAL, f, NULL, 0, 0, def, NULL, set, get, apply, rewrite, false }
#define SPECIAL(n, a, f, def, set, get, apply)                                                     \
    { n, a, CK_SPECIAL, f, NULL, 0, 0, def, NULL, set, get, apply, NULL, false }

static ConfigDirective configTable[] = {
    /* network */
    INT("port", NULL, 0, port, 0, 65535, "6379", configApplyListeners),
    SPECIAL("bind", NULL, CF_MULTI_ARG, "* -::*", configSetBind, configGetBind,
            configApplyListeners),
    BOOL("protected-mode", NULL, 0, protectedMode, "yes", NULL),
    INT("tcp-backlog", NULL, CF_IMMUTABLE, tcpBacklog, 0, INT_MAX, "511", NULL),
    INT("tcp-keepalive", NULL, 0, tcpKeepalive, 0, INT_MAX, "300", NULL),
    INT("timeout", NULL, 0, timeout, 0, INT_MAX, "0", NULL),
    STR("unixsocket", NULL, CF_IMMUTABLE | CF_EMPTY_NULL, unixsocket, "", NULL),
    {"unixsocketperm", NULL, CK_INT, CF_IMMUTABLE | CF_OCTAL, &config.unixsocketperm, 0, 0777, "0",
     NULL, NULL, NULL, NULL, false},
    INT("maxclients", NULL, 0, maxclients, 1, INT_MAX, "10000", NULL),
    /* general */
    BOOL("daemonize", NULL, CF_IMMUTABLE, daemonize, "no", NULL),
    STR("pidfile", NULL, CF_IMMUTABLE | CF_EMPTY_NULL, pidfile, "", NULL),
    STR("logfile", NULL, CF_IMMUTABLE, logfile, "", NULL),
    ENUM("loglevel", NULL, 0, &config.loglevel, loglevelEnum, "notice", configApplyLoglevel),
    BOOL("syslog-enabled", NULL, CF_IMMUTABLE, syslogEnabled, "no", NULL),
    STR("syslog-ident", NULL, CF_IMMUTABLE, syslogIdent, "redis", NULL),
    ENUM("syslog-facility", NULL, CF_IMMUTABLE, &syslogFacilityValue, syslogFacilityEnum, "local0",
         NULL),
    INT("databases", NULL, CF_IMMUTABLE, databases, 1, INT_MAX, "16", NULL),
    ENUM("supervised", NULL, CF_IMMUTABLE, &config.supervised, supervisedEnum, "no", NULL),
    INT("hz", NULL, 0, hz, 0, INT_MAX, "10", configApplyHz),
    BOOL("dynamic-hz", NULL, 0, dynamicHz, "yes", NULL),
    INT("active-expire-effort", NULL, 0, activeExpireEffort, 1, 10, "1", NULL),
    SPECIAL("dir", NULL, CF_PROTECTED | CF_NO_LOADING | CF_REWRITE_ALWAYS | CF_REWRITE_QUOTED, "./",
            configSetDir, configGetDir, NULL),
    SPECIAL("rename-command", NULL, CF_HIDDEN | CF_MULTI_ARG | CF_IMMUTABLE | CF_NOT_REWRITE, NULL,
            configSetRename, NULL, NULL),
    /* security */
    STR("requirepass", NULL, CF_SENSITIVE, requirepass, "", configApplyRequirepass),
    ENUM("enable-debug-command", NULL, CF_IMMUTABLE, &config.enableDebugCmd, enableEnum, "no",
         NULL),
    ENUM("enable-protected-configs", NULL, CF_IMMUTABLE, &config.enableProtectedConfigs, enableEnum,
         "no", NULL),
    /* limits */
    MEM("proto-max-bulk-len", NULL, 0, protoMaxBulkLen, 1024 * 1024, LLONG_MAX, "536870912", NULL),
    MEM("client-query-buffer-limit", NULL, 0, clientQueryBufferLimit, 1024 * 1024, LLONG_MAX,
        "1073741824", NULL),
    MEM("maxmemory", NULL, 0, maxmemory, 0, LLONG_MAX, "0", evictApplyMaxmemory),
    /* kept by clienteviction.c: bytes or a percentage of maxmemory */
    SPECIAL("maxmemory-clients", NULL, 0, "0", configSetMaxmemoryClients, configGetMaxmemoryClients,
            clientEvictionApplyConfig),
    /* values kept by outputlimit.c; in a file, one line per class */
    SPECIAL_RW("client-output-buffer-limit", NULL, CF_MULTI_ARG,
               "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
               configSetOutputLimit, configGetOutputLimit, NULL, configRewriteOutputLimit),
    /* kept by notify.c */
    SPECIAL("notify-keyspace-events", NULL, CF_REWRITE_QUOTED, "", configSetNotify, configGetNotify,
            NULL),
    ENUM("maxmemory-policy", NULL, 0, &config.maxmemoryPolicy, maxmemoryPolicyEnum, "noeviction",
         NULL),
    INT("lfu-log-factor", NULL, 0, lfuLogFactor, 0, INT_MAX, "10", NULL),
    INT("lfu-decay-time", NULL, 0, lfuDecayTime, 0, INT_MAX, "1", NULL),
    /* == evict.c == */
    INT("maxmemory-samples", NULL, 0, maxmemorySamples, 1, INT_MAX, "5", NULL),
    INT("maxmemory-eviction-tenacity", NULL, 0, maxmemoryEvictionTenacity, 0, 100, "10", NULL),
    BOOL("lazyfree-lazy-eviction", NULL, 0, lazyfreeLazyEviction, "no", NULL),
    /* == end evict.c == */
    /* == lazyfree.c (the lazy free thread) == */
    BOOL("lazyfree-lazy-server-del", NULL, 0, lazyfreeLazyServerDel, "no", NULL),
    BOOL("lazyfree-lazy-user-del", NULL, 0, lazyfreeLazyUserDel, "no", NULL),
    BOOL("lazyfree-lazy-user-flush", NULL, 0, lazyfreeLazyUserFlush, "no", NULL),
    /* accepted now; the replication code will use it to flush lazily */
    BOOL("replica-lazy-flush", "slave-lazy-flush", 0, replicaLazyFlush, "no", NULL),
    /* == end lazyfree.c == */
    /* collection encodings */
    /* 512, not the 128 of redis.conf's comments: Redis 7.0's compiled-in
     * default is 512 and that is what CONFIG GET shows without a file. */
    LL("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, hashMaxListpackEntries, 0,
       LLONG_MAX, "512", NULL),
    LL("hash-max-listpack-value", "hash-max-ziplist-value", 0, hashMaxListpackValue, 0, LLONG_MAX,
       "64", NULL),
    LL("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, zsetMaxListpackEntries, 0,
       LLONG_MAX, "128", NULL),
    LL("zset-max-listpack-value", "zset-max-ziplist-value", 0, zsetMaxListpackValue, 0, LLONG_MAX,
       "64", NULL),
    LL("set-max-intset-entries", NULL, 0, setMaxIntsetEntries, 0, LLONG_MAX, "512", NULL),
    INT("list-max-listpack-size", "list-max-ziplist-size", 0, listMaxListpackSize, INT_MIN, INT_MAX,
        "-2", NULL),
    INT("list-compress-depth", NULL, 0, listCompressDepth, 0, INT_MAX, "0", NULL),
    /* slow log */
    LL("slowlog-log-slower-than", NULL, 0, slowlogLogSlowerThan, -1, LLONG_MAX, "10000", NULL),
    LL("slowlog-max-len", NULL, 0, slowlogMaxLen, 0, LONG_MAX, "128", NULL),
    LL("busy-reply-threshold", "lua-time-limit", 0, busyReplyThreshold, 0, LONG_MAX, "5000", NULL),
    /* persistence (rdb.c, aof.c) */
    SPECIAL_RW("save", NULL, CF_MULTI_ARG | CF_REWRITE_ALWAYS, "3600 1 300 100 60 10000",
               configSetSave, configGetSave, NULL, configRewriteSave),
    STR("dbfilename", NULL, CF_PROTECTED, dbfilename, "dump.rdb", NULL),
    /* == aof.c == */
    BOOL("appendonly", NULL, CF_NO_LOADING, appendonly, "no", aofApplyAppendonly),
    STR("appendfilename", NULL, CF_IMMUTABLE, appendfilename, "appendonly.aof", NULL),
    STR("appenddirname", NULL, CF_IMMUTABLE, appenddirname, "appendonlydir", NULL),
    ENUM("appendfsync", NULL, 0, &config.appendfsync, appendfsyncEnum, "everysec", NULL),
    BOOL("no-appendfsync-on-rewrite", NULL, 0, noAppendfsyncOnRewrite, "no", NULL),
    INT("auto-aof-rewrite-percentage", NULL, 0, autoAofRewritePercentage, 0, INT_MAX, "100", NULL),
    MEM("auto-aof-rewrite-min-size", NULL, 0, autoAofRewriteMinSize, 0, LLONG_MAX, "64mb", NULL),
    BOOL("aof-load-truncated", NULL, 0, aofLoadTruncated, "yes", NULL),
    BOOL("aof-use-rdb-preamble", NULL, 0, aofUseRdbPreamble, "yes", NULL),
    BOOL("aof-timestamp-enabled", NULL, 0, aofTimestampEnabled, "no", NULL),
    BOOL("lazyfree-lazy-expire", NULL, 0, lazyfreeLazyExpire, "no", NULL),
    /* == end aof.c == */
    BOOL("stop-writes-on-bgsave-error", NULL, 0, stopWritesOnBgsaveError, "yes", NULL),
    BOOL("rdbcompression", NULL, 0, rdbcompression, "yes", NULL),
    BOOL("rdbchecksum", NULL, CF_IMMUTABLE, rdbchecksum, "yes", NULL),
    ENUM("sanitize-dump-payload", NULL, 0, &config.sanitizeDumpPayload, sanitizeDumpPayloadEnum,
         "no", NULL),
    /* deletes RDB files made only for replicas when persistence is off:
     * rdbRemoveSyncFileIfUnwanted() (rdb.c), for the replication code */
    BOOL("rdb-del-sync-files", NULL, 0, rdbDelSyncFiles, "no", NULL),
    /* testing aids, as Redis's hidden configs (rdb.c) */
    LL("rdb-key-save-delay", NULL, CF_UNLISTED, rdbKeySaveDelay, LLONG_MIN, LLONG_MAX, "0", NULL),
    LL("key-load-delay", NULL, CF_UNLISTED, keyLoadDelay, LLONG_MIN, LLONG_MAX, "0", NULL),
    /* kvd's own: ms the background AOF fsync sleeps first (aof.c), to test
     * everysec's postponed writes */
    LL("aof-fsync-delay", NULL, CF_UNLISTED, aofFsyncDelay, 0, 3600000, "0", NULL),
    BOOL("latency-tracking", NULL, 0, latencyTrackingEnabled, "yes", NULL),
    /* tracking.c: 0 = no limit */
    LL("tracking-table-max-keys", NULL, 0, trackingTableMaxKeys, 0, LONG_MAX, "1000000", NULL),
    {NULL},
};

/* ---- rename-command records ---- */
static ConfigRename *renames = NULL;
static int renameCount = 0;

int configRenameCount(void) {
    return renameCount;
}

const ConfigRename *configRenameAt(int i) {
    return &renames[i];
}

/* ---- lookup ---- */
static ConfigDirective *configFind(const char *name) {
    for (ConfigDirective *d = configTable; d->name; d++)
        if (strcasecmp(d->name, name) == 0 || (d->alias && strcasecmp(d->alias, name) == 0))
            return d;
    return NULL;
}

/* ---- parse one value into its field: the single path for file, command
 * line and CONFIG SET. On failure *err says why, in Redis's words. ---- */

static bool configParseBool(const char *s, bool *out) {
    if (strcasecmp(s, "yes") == 0)
        *out = true;
    else if (strcasecmp(s, "no") == 0)
        *out = false;
    else
        return false;
    return true;
}

static dstr configEnumList(const ConfigEnum *e) {
    dstr s = dstrEmpty();
    for (; e->name; e++) {
        s = dstrCat(s, e->name);
        if (e[1].name) s = dstrCat(s, ", ");
    }
    return s;
}

static char configErrBuf[512];

static bool configParseValue(ConfigDirective *d, int argc, char **argv, const char **err) {
    if (d->kind == CK_SPECIAL) return d->set(d, argc, argv, err);
    if (argc != 1) {
        *err = "wrong number of arguments";
        return false;
    }
    const char *v = argv[0];
    switch (d->kind) {
        case CK_BOOL: {
            bool b;
            if (!configParseBool(v, &b)) {
                *err = "argument must be 'yes' or 'no'";
                return false;
            }
            *(bool *)d->ptr = b;
            return true;
        }
        case CK_INT:
        case CK_LL: {
            long long ll;
            if (d->flags & CF_OCTAL) {
                char *end;
                errno = 0;
                ll = strtoll(v, &end, 8);
                if (errno || *end || end == v) {
                    *err = "argument couldn't be parsed into an integer";
                    return false;
                }
            } else if (!strToLongLong(v, strlen(v), &ll)) {
                *err = "argument couldn't be parsed into an integer";
                return false;
            }
            if (ll < d->min || ll > d->max) {
                snprintf(configErrBuf, sizeof(configErrBuf),
                         "argument must be between %lld and %lld inclusive", d->min, d->max);
                *err = configErrBuf;
                return false;
            }
            if (d->kind == CK_INT)
                *(int *)d->ptr = (int)ll;
            else
                *(long long *)d->ptr = ll;
            return true;
        }
        case CK_MEMORY: {
            unsigned long long u;
            if (!confParseMemory(v, &u)) {
                *err = "argument must be a memory value";
                return false;
            }
            if ((long long)u < d->min || (d->max >= 0 && (long long)u > d->max)) {
                snprintf(configErrBuf, sizeof(configErrBuf),
                         "argument must be between %lld and %lld inclusive", d->min, d->max);
                *err = configErrBuf;
                return false;
            }
            *(long long *)d->ptr = (long long)u;
            return true;
        }
        case CK_STRING: {
            char **field = d->ptr;
            kvFree(*field);
            *field = ((d->flags & CF_EMPTY_NULL) && v[0] == '\0') ? NULL : kvStrdup(v);
            return true;
        }
        case CK_ENUM: {
            for (const ConfigEnum *e = d->enums; e->name; e++) {
                if (strcasecmp(e->name, v) == 0) {
                    *(int *)d->ptr = e->value;
                    return true;
                }
            }
            dstr list = configEnumList(d->enums);
            snprintf(configErrBuf, sizeof(configErrBuf),
                     "argument(s) must be one of the following: %s", list);
            dstrFree(list);
            *err = configErrBuf;
            return false;
        }
        default: return false;
    }
}

/* The value as CONFIG GET shows it. */
static dstr configFormatValue(ConfigDirective *d, dstr out) {
    switch (d->kind) {
        case CK_BOOL: return dstrCat(out, *(bool *)d->ptr ? "yes" : "no");
        case CK_INT:
            if (d->flags & CF_OCTAL) return dstrCatPrintf(out, "%o", *(int *)d->ptr);
            return dstrCatPrintf(out, "%d", *(int *)d->ptr);
        case CK_LL:
        case CK_MEMORY: return dstrCatPrintf(out, "%lld", *(long long *)d->ptr);
        case CK_STRING: {
            char *s = *(char **)d->ptr;
            return dstrCat(out, s ? s : "");
        }
        case CK_ENUM: {
            int v = *(int *)d->ptr;
            for (const ConfigEnum *e = d->enums; e->name; e++)
                if (e->value == v) return dstrCat(out, e->name);
            return out;
        }
        case CK_SPECIAL: return d->get ? d->get(d, out) : out;
    }
    return out;
}

/* ---- special directives ---- */
static bool configSetBind(ConfigDirective *d, int argc, char **argv, const char **err) {
    (void)d;
    if (argc > CONFIG_BINDADDR_MAX) {
        *err = "Too many bind addresses specified.";
        return false;
    }
    for (int i = 0; i < config.bindCount; i++) kvFree(config.bind[i]);
    config.bindCount = 0;
    /* "bind ''" (one empty argument) means: no TCP listener. */
    if (argc == 1 && argv[0][0] == '\0') return true;
    for (int i = 0; i < argc; i++) config.bind[config.bindCount++] = kvStrdup(argv[i]);
    return true;
}

static dstr configGetBind(ConfigDirective *d, dstr out) {
    (void)d;
    for (int i = 0; i < config.bindCount; i++) {
        if (i) out = dstrCat(out, " ");
        out = dstrCat(out, config.bind[i]);
    }
    return out;
}

static bool configSetSave(ConfigDirective *d, int argc, char **argv, const char **err) {
    (void)d;
    /* "save ''" clears; otherwise pairs of <seconds> <changes>. In a file,
     * each save line adds a pair; CONFIG SET replaces the whole list. */
    if (argc == 1 && argv[0][0] == '\0') {
        dstrClear(config.saveParams);
        return true;
    }
    if (argc % 2 != 0) {
        *err = "Invalid save parameters";
        return false;
    }
    for (int i = 0; i < argc; i++) {
        long long v;
        if (!strToLongLong(argv[i], strlen(argv[i]), &v) || v < 0) {
            *err = "Invalid save parameters";
            return false;
        }
    }
    dstr s = dstrEmpty();
    for (int i = 0; i < argc; i++) {
        if (i) s = dstrCat(s, " ");
        s = dstrCat(s, argv[i]);
    }
    dstrFree(config.saveParams);
    config.saveParams = s;
    return true;
}

static dstr configGetSave(ConfigDirective *d, dstr out) {
    (void)d;
    return dstrCatLen(out, config.saveParams, dstrLen(config.saveParams));
}

static bool configSetDir(ConfigDirective *d, int argc, char **argv, const char **err) {
    (void)d;
    if (argc != 1) {
        *err = "wrong number of arguments";
        return false;
    }
    if (chdir(argv[0]) == -1) {
        snprintf(configErrBuf, sizeof(configErrBuf), "%s", strerror(errno));
        *err = configErrBuf;
        return false;
    }
    kvFree(config.dir);
    config.dir = kvStrdup(argv[0]);
    return true;
}

static dstr configGetDir(ConfigDirective *d, dstr out) {
    (void)d;
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof(buf))) return dstrCat(out, config.dir ? config.dir : "");
    return dstrCat(out, buf);
}

static bool configSetRename(ConfigDirective *d, int argc, char **argv, const char **err) {
    (void)d;
    if (argc != 2) {
        *err = "wrong number of arguments";
        return false;
    }
    renames = kvRealloc(renames, (size_t)(renameCount + 1) * sizeof(*renames));
    renames[renameCount].from = kvStrdup(argv[0]);
    renames[renameCount].to = kvStrdup(argv[1]);
    renameCount++;
    return true;
}

static bool configSetNotify(ConfigDirective *d, int argc, char **argv, const char **err) {
    (void)d;
    if (argc != 1) {
        *err = "wrong number of arguments";
        return false;
    }
    return notifyConfigSet(argv[0], err);
}

static dstr configGetNotify(ConfigDirective *d, dstr out) {
    (void)d;
    return notifyConfigGet(out);
}

static bool configSetOutputLimit(ConfigDirective *d, int argc, char **argv, const char **err) {
    (void)d;
    return outputLimitConfigSet(argc, argv, err);
}

static dstr configGetOutputLimit(ConfigDirective *d, dstr out) {
    (void)d;
    return outputLimitConfigGet(out);
}

static bool configSetMaxmemoryClients(ConfigDirective *d, int argc, char **argv, const char **err) {
    (void)d;
    return clientEvictionConfigSet(argc, argv, err);
}

static dstr configGetMaxmemoryClients(ConfigDirective *d, dstr out) {
    (void)d;
    return clientEvictionConfigGet(out);
}

/* ---- apply hooks (run after a CONFIG SET changed the value) ---- */
static bool configApplyLoglevel(const char **err) {
    (void)err;
    logSetLevel(config.loglevel);
    return true;
}

static bool configApplyHz(const char **err) {
    (void)err;
    /* Redis clamps hz into [1, 500]. */
    if (config.hz < 1) config.hz = 1;
    if (config.hz > 500) config.hz = 500;
    return true;
}

/* port and bind take effect at once: the TCP listeners are re-opened. At
 * start-up there is nothing to re-open yet (serverInit listens). */
static bool configApplyListeners(const char **err) {
    if (!serverEventBase()) return true;
    return serverRebindTcp(err);
}

static bool configApplyRequirepass(const char **err) {
    (void)err;
    if (config.requirepass && config.requirepass[0] == '\0') {
        kvFree(config.requirepass);
        config.requirepass = NULL;
    }
    return true;
}

/* ---- defaults and loading ---- */
void configInitDefaults(void) {
    memset(&config, 0, sizeof(config));
    config.saveParams = dstrEmpty();
    config.activeExpireEnabled = true;
    for (ConfigDirective *d = configTable; d->name; d++) {
        if (!d->def) continue;
        const char *err = NULL;
        int argc = 0;
        char **argv;
        if (d->flags & CF_MULTI_ARG) {
            argv = confSplitArgs(d->def, &argc);
        } else {
            argc = 1;
            argv = kvMalloc(2 * sizeof(char *));
            argv[0] = kvStrdup(d->def);
            argv[1] = NULL;
        }
        if (strcmp(d->name, "dir") == 0) {
            config.dir = kvStrdup(d->def); /* no chdir for the default */
        } else if (!configParseValue(d, argc, argv, &err)) {
            fprintf(stderr, "kvd: bad default for %s: %s\n", d->name, err);
            abort();
        }
        confFreeArgs(argv, argc);
    }
    configApplyHz(NULL);
}

typedef struct ConfigLoadCtx {
    bool sawSave; /* the first save line of a file replaces the default */
} ConfigLoadCtx;

static int configLoadLine(void *ctxp, int argc, char **argv, const char *file, int lineno,
                          char **err) {
    (void)file;
    (void)lineno;
    ConfigLoadCtx *ctx = ctxp;
    ConfigDirective *d = configFind(argv[0]);
    if (!d) {
        *err = NULL; /* "Bad directive or wrong number of arguments" */
        return -1;
    }
    const char *why = NULL;
    bool ok;
    if (strcmp(d->name, "save") == 0 && argc >= 2) {
        /* Accumulate "save a b" lines into one list; one non-empty argument
         * ("--save '3600 1'") is split on spaces as Redis 7.0 does. */
        if (!ctx->sawSave) dstrClear(config.saveParams);
        ctx->sawSave = true;
        dstr prev = dstrDup(config.saveParams);
        int n = argc - 1;
        char **args = argv + 1, **split = NULL;
        if (n == 1 && argv[1][0]) {
            split = confSplitArgs(argv[1], &n);
            if (!split) {
                dstrFree(prev);
                *err = kvStrdup("Invalid save parameters");
                return -1;
            }
            args = split;
        }
        ok = configParseValue(d, n, args, &why);
        if (split) confFreeArgs(split, n);
        if (ok && dstrLen(prev) && dstrLen(config.saveParams)) {
            dstr joined = dstrCatPrintf(prev, " %s", config.saveParams);
            dstrFree(config.saveParams);
            config.saveParams = joined;
        } else {
            dstrFree(prev);
        }
    } else if (!(d->flags & CF_MULTI_ARG) && argc != 2) {
        *err = NULL;
        return -1;
    } else if ((d->flags & CF_MULTI_ARG) && argc == 2 && argv[1][0]) {
        /* One non-empty argument to a multi-argument directive is split on
         * spaces, so that `--bind "a b"` works (Redis 7.0 does the same). */
        int n = 0;
        char **split = confSplitArgs(argv[1], &n);
        if (!split) {
            *err = kvStrdup("Unbalanced quotes in configuration line");
            return -1;
        }
        ok = configParseValue(d, n, split, &why);
        confFreeArgs(split, n);
    } else {
        ok = configParseValue(d, argc - 1, argv + 1, &why);
    }
    if (!ok) {
        *err = kvStrdup(why ? why : "Bad directive or wrong number of arguments");
        return -1;
    }
    d->seenInFile = true;
    return 0;
}

void configLoadOrExit(const char *file, const char *options) {
    ConfigLoadCtx ctx = {false};
    char *err = NULL;
    bool fromStdin = file && strcmp(file, "-") == 0;
    /* Resolved before loading: a `dir` line (or --dir) changes the current
     * directory while the file loads, and a relative path means the
     * directory kvd was started in. */
    char path[PATH_MAX];
    bool resolved = file && !fromStdin && realpath(file, path);
    int rc = confLoadServerConfig(fromStdin ? NULL : file, fromStdin, options, configLoadLine, &ctx,
                                  &err);
    if (rc == CONF_ERR_OPEN) {
        fprintf(stderr, "%s\n", err ? err : "Fatal error, can't open config file");
        exit(1);
    }
    if (rc != CONF_OK) {
        fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n", KV_VERSION);
        fprintf(stderr, "%s\n", err ? err : "");
        exit(1);
    }
    kvFree(err);
    if (resolved) config.configFile = kvStrdup(path);
    configApplyHz(NULL);
}

void configApplyStartup(void) {
    logSetLevel(config.loglevel);
    if (config.logfile && config.logfile[0]) logSetFile(config.logfile);
    if (config.syslogEnabled) {
        const char *fac = "local0";
        for (const ConfigEnum *e = syslogFacilityEnum; e->name; e++)
            if (e->value == syslogFacilityValue) fac = e->name;
        logSetSyslog(true, config.syslogIdent, fac);
    }
    if (config.requirepass && config.requirepass[0] == '\0') {
        kvFree(config.requirepass);
        config.requirepass = NULL;
    }
}

/* ---- CONFIG GET ---- */
void configGetCommand(Client *c) {
    /* Collect matching names first (a directive matched by name and alias
     * appears under both, as Redis does), then reply as a map. */
    dstr *names = NULL;
    ConfigDirective **dirs = NULL;
    size_t n = 0, cap = 0;
    for (int i = 2; i < c->argc; i++) {
        Arg *pat = &c->argv[i];
        if (!memchr(pat->ptr, '*', pat->len) && !memchr(pat->ptr, '?', pat->len) &&
            !memchr(pat->ptr, '[', pat->len)) {
            /* A plain name is looked up directly and answered under the name
             * as the client wrote it (Redis does the same). */
            dstr nm = dstrNewLen(pat->ptr, pat->len);
            ConfigDirective *d = configFind(nm);
            bool dup = false;
            for (size_t j = 0; j < n; j++)
                if (strcmp(names[j], nm) == 0) dup = true;
            if (!d || dup || (d->flags & CF_HIDDEN)) {
                dstrFree(nm);
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                names = kvRealloc(names, cap * sizeof(*names));
                dirs = kvRealloc(dirs, cap * sizeof(*dirs));
            }
            names[n] = nm;
            dirs[n] = d;
            n++;
            continue;
        }
        for (ConfigDirective *d = configTable; d->name; d++) {
            if (d->flags & (CF_HIDDEN | CF_UNLISTED)) continue;
            const char *cand[2] = {d->name, d->alias};
            for (int k = 0; k < 2; k++) {
                if (!cand[k]) continue;
                if (!globMatch(pat->ptr, pat->len, cand[k], strlen(cand[k]), true)) continue;
                bool dup = false;
                for (size_t j = 0; j < n; j++)
                    if (strcmp(names[j], cand[k]) == 0) dup = true;
                if (dup) continue;
                if (n == cap) {
                    cap = cap ? cap * 2 : 16;
                    names = kvRealloc(names, cap * sizeof(*names));
                    dirs = kvRealloc(dirs, cap * sizeof(*dirs));
                }
                names[n] = dstrNew(cand[k]);
                dirs[n] = d;
                n++;
            }
        }
    }
    addReplyMapLen(c, (long long)n);
    for (size_t i = 0; i < n; i++) {
        dstr v = configFormatValue(dirs[i], dstrEmpty());
        addReplyBulk(c, names[i], dstrLen(names[i]));
        addReplyBulk(c, v, dstrLen(v));
        dstrFree(v);
        dstrFree(names[i]);
    }
    kvFree(names);
    kvFree(dirs);
}

/* ---- CONFIG SET ---- */

/* enable-protected-configs: no, yes, or local (loopback/unix clients). */
static bool configProtectedAllowed(const Client *c) {
    if (config.enableProtectedConfigs == ENABLE_YES) return true;
    return config.enableProtectedConfigs == ENABLE_LOCAL && (c->flags & CLIENT_LOCAL);
}
void configSetCommand(Client *c) {
    if ((c->argc - 2) % 2 != 0) {
        addReplyError(c, errSyntax); /* Redis 7.0: odd pairs are a syntax error */
        return;
    }
    int pairs = (c->argc - 2) / 2;
    ConfigDirective **dirs = kvCalloc((size_t)pairs * sizeof(*dirs));
    dstr *olds = kvCalloc((size_t)pairs * sizeof(*olds));
    const char *err = NULL;
    int failed = -1;
    dstr errName = NULL;
    /* 0. while loading, a directive that would pull the files from under
     * the load (dir, appendonly) fails the whole command with -LOADING,
     * which comes before any other error (Redis 7.0's DENY_LOADING_CONFIG) */
    for (int i = 0; i < pairs && rdbIsLoading(); i++) {
        dstr nm = dstrNewLen(c->argv[2 + i * 2].ptr, c->argv[2 + i * 2].len);
        ConfigDirective *d = configFind(nm);
        dstrFree(nm);
        if (d && (d->flags & CF_NO_LOADING)) {
            addReplyError(c, rdbLoadingError);
            goto cleanup;
        }
    }
    /* 1. resolve names, refuse unknown, immutable and duplicates */
    for (int i = 0; i < pairs; i++) {
        Arg *name = &c->argv[2 + i * 2];
        dstr nm = dstrNewLen(name->ptr, name->len);
        ConfigDirective *d = configFind(nm);
        if (!d || (d->flags & CF_HIDDEN)) {
            addReplyErrorFormat(
                c, "ERR Unknown option or number of arguments for CONFIG SET - '%s'", nm);
            dstrFree(nm);
            goto cleanup;
        }
        if (d->flags & CF_IMMUTABLE) {
            err = "can't set immutable config";
            failed = i;
            errName = nm;
            goto fail;
        }
        if ((d->flags & CF_PROTECTED) && !configProtectedAllowed(c)) {
            err = "can't set protected config";
            failed = i;
            errName = nm;
            goto fail;
        }
        for (int j = 0; j < i; j++)
            if (dirs[j] == d) {
                err = "duplicate parameter";
                failed = i;
                errName = nm;
                goto fail;
            }
        dirs[i] = d;
        dstrFree(nm);
    }
    /* 2. remember old values, 3. set new ones (parse errors restore all) */
    for (int i = 0; i < pairs; i++) olds[i] = configFormatValue(dirs[i], dstrEmpty());
    for (int i = 0; i < pairs; i++) {
        Arg *val = &c->argv[3 + i * 2];
        char *v = kvStrndup(val->ptr, val->len);
        int argc = 1;
        char **argv = &v;
        char **split = NULL;
        if (dirs[i]->flags & CF_MULTI_ARG) {
            split = confSplitArgs(v, &argc);
            if (!split) {
                kvFree(v);
                err = "Unbalanced quotes";
                failed = i;
                goto restore;
            }
            if (argc == 0) {
                /* "" means: empty list */
                confFreeArgs(split, argc);
                split = kvMalloc(2 * sizeof(char *));
                split[0] = kvStrdup("");
                split[1] = NULL;
                argc = 1;
            }
            argv = split;
        }
        bool ok = configParseValue(dirs[i], argc, argv, &err);
        if (split) confFreeArgs(split, argc);
        kvFree(v);
        if (!ok) {
            failed = i;
            goto restore;
        }
    }
    /* 4. apply hooks */
    for (int i = 0; i < pairs; i++) {
        if (dirs[i]->apply && !dirs[i]->apply(&err)) {
            failed = i;
            goto restore;
        }
    }
    addReplyOk(c);
    goto cleanup;

restore:
    for (int i = 0; i < pairs; i++) {
        if (!olds[i]) continue;
        const char *ignored;
        int argc = 1;
        char *one = olds[i];
        char **argv = &one, **split = NULL;
        if (dirs[i]->flags & CF_MULTI_ARG) {
            split = confSplitArgs(olds[i], &argc);
            if (argc == 0) {
                confFreeArgs(split, argc);
                split = kvMalloc(2 * sizeof(char *));
                split[0] = kvStrdup("");
                split[1] = NULL;
                argc = 1;
            }
            argv = split;
        }
        configParseValue(dirs[i], argc, argv, &ignored);
        if (split) confFreeArgs(split, argc);
        if (dirs[i]->apply) dirs[i]->apply(&ignored);
    }
fail : {
    Arg *name = &c->argv[2 + failed * 2];
    if (!errName) errName = dstrNewLen(name->ptr, name->len);
    addReplyErrorFormat(c, "ERR CONFIG SET failed (possibly related to argument '%s') - %s",
                        errName, err ? err : "");
    dstrFree(errName);
}
cleanup:
    for (int i = 0; i < pairs; i++) dstrFree(olds[i]);
    kvFree(olds);
    kvFree(dirs);
}

void configResetstatCommand(Client *c) {
    stats.numCommands = stats.numConnections = stats.rejectedConns = 0;
    stats.expiredKeys = stats.expiredTimeCapReached = stats.evictedKeys = 0;
    stats.keyspaceHits = stats.keyspaceMisses = 0;
    stats.netInputBytes = stats.netOutputBytes = 0;
    stats.unexpectedErrorReplies = 0;
    stats.totalReadsProcessed = stats.totalWritesProcessed = 0;
    stats.clientQbufLimitDisconnections = 0;
    commandResetStats();
    replyErrorStatsReset();
    infoResetStats();
    addReplyOk(c);
}

void configHelpCommand(Client *c) {
    static const char *help[] = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        NULL};
    addReplyHelp(c, help);
}

/* ---- CONFIG REWRITE ----
 * Keeps the file's lines, comments and order: each directive line of a
 * directive we know is replaced by the value in force (the first occurrence;
 * later ones are dropped), and directives whose value differs from the
 * default but that the file does not mention are appended after a marker
 * line, as Redis does. Written to a temp file, fsynced, renamed. */
static bool configIsDefault(ConfigDirective *d) {
    /* Redis always writes dir (the absolute working directory) and save. */
    if (d->flags & CF_REWRITE_ALWAYS) return false;
    if (!d->def) return true;
    dstr now = configFormatValue(d, dstrEmpty());
    bool same = strcasecmp(now, d->def) == 0;
    unsigned long long def;
    if (!same && d->kind == CK_MEMORY && confParseMemory(d->def, &def))
        same = (unsigned long long)*(long long *)d->ptr == def;
    dstrFree(now);
    return same;
}

/* A byte count as CONFIG REWRITE writes it: in the largest of gb, mb, kb that
 * divides it exactly, else in bytes (Redis's form). */
static dstr configCatMemory(dstr out, unsigned long long v) {
    static const struct {
        const char *unit;
        unsigned long long size;
    } units[] = {{"gb", 1ULL << 30}, {"mb", 1ULL << 20}, {"kb", 1ULL << 10}};
    for (size_t i = 0; v && i < sizeof(units) / sizeof(units[0]); i++)
        if (v % units[i].size == 0)
            return dstrCatPrintf(out, "%llu%s", v / units[i].size, units[i].unit);
    return dstrCatPrintf(out, "%llu", v);
}

/* save: one line per save point, or save "" when there are none. */
static dstr configRewriteSave(ConfigDirective *d, dstr out, bool forceAll) {
    (void)d;
    (void)forceAll;
    int argc;
    char **argv = confSplitArgs(config.saveParams, &argc);
    if (argc == 0) out = dstrCat(out, "save \"\"\n");
    for (int i = 0; i + 1 < argc; i += 2)
        out = dstrCatPrintf(out, "save %s %s\n", argv[i], argv[i + 1]);
    confFreeArgs(argv, argc);
    return out;
}

/* client-output-buffer-limit is written as one line per class whose limits
 * differ from the default, with Redis's class names and memory units. */
static dstr configRewriteOutputLimit(ConfigDirective *d, dstr out, bool forceAll) {
    dstr now = configFormatValue(d, dstrEmpty());
    int argc = 0, defc = 0;
    char **argv = confSplitArgs(now, &argc);
    char **defv = confSplitArgs(d->def, &defc);
    for (int i = 0; argv && i + 3 < argc; i += 4) {
        bool same = defv && i + 3 < defc;
        for (int j = 0; same && j < 4; j++) {
            unsigned long long a, b;
            same = j == 0 ? strcasecmp(argv[i], defv[i]) == 0
                          : confParseMemory(argv[i + j], &a) && confParseMemory(defv[i + j], &b) &&
                                a == b;
        }
        if (same && !forceAll) continue;
        const char *cls = strcasecmp(argv[i], "slave") == 0 ? "replica" : argv[i];
        unsigned long long hard = 0, soft = 0;
        confParseMemory(argv[i + 1], &hard);
        confParseMemory(argv[i + 2], &soft);
        out = dstrCatPrintf(out, "%s %s ", d->name, cls);
        out = configCatMemory(out, hard);
        out = dstrCat(out, " ");
        out = configCatMemory(out, soft);
        out = dstrCatPrintf(out, " %s\n", argv[i + 3]);
    }
    confFreeArgs(argv, argc);
    confFreeArgs(defv, defc);
    dstrFree(now);
    return out;
}

static dstr configRewriteLine(ConfigDirective *d, dstr out, bool forceAll) {
    if (d->rewrite) return d->rewrite(d, out, forceAll);
    if (d->kind == CK_MEMORY) {
        out = dstrCatPrintf(out, "%s ", d->name);
        out = configCatMemory(out, (unsigned long long)*(long long *)d->ptr);
        return dstrCat(out, "\n");
    }
    dstr v = configFormatValue(d, dstrEmpty());
    out = dstrCat(out, d->name);
    out = dstrCat(out, " ");
    /* Strings (and CF_REWRITE_QUOTED ones) are always quoted, as Redis
     * writes them. */
    bool quoted = d->kind == CK_STRING || (d->flags & CF_REWRITE_QUOTED);
    if (d->flags & CF_MULTI_ARG) {
        /* No arguments (bind "": no TCP listener) as Redis writes it. */
        out = dstrLen(v) ? dstrCatLen(out, v, dstrLen(v)) : dstrCat(out, "\"\"");
    } else {
        char *q = confQuote(v, dstrLen(v));
        bool plain = !quoted && dstrLen(v) > 0 && strpbrk(v, " \t\"'\\\r\n") == NULL;
        out = plain ? dstrCatLen(out, v, dstrLen(v)) : dstrCat(out, q);
        kvFree(q);
    }
    dstrFree(v);
    return dstrCat(out, "\n");
}

#define REWRITE_MARKER "# Generated by CONFIG REWRITE"

/* True when out (whole lines) ends with an empty line. */
static bool configEndsWithEmptyLine(const dstr out) {
    size_t n = dstrLen(out);
    return n == 1 ? out[0] == '\n' : n >= 2 && out[n - 1] == '\n' && out[n - 2] == '\n';
}

bool configRewrite(bool forceAll, const char **err) {
    if (!config.configFile) {
        *err = "ERR The server is running without a config file";
        return false;
    }
    FILE *f = fopen(config.configFile, "r");
    dstr out = dstrEmpty();
    bool *written = kvCalloc(sizeof(configTable) / sizeof(configTable[0]) * sizeof(bool));
    if (f) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        while ((len = getline(&line, &cap, f)) != -1) {
            char *trim = line;
            while (*trim == ' ' || *trim == '\t') trim++;
            if (strncmp(trim, REWRITE_MARKER, strlen(REWRITE_MARKER)) == 0) continue;
            int argc = 0;
            char **argv = NULL;
            if (*trim != '#' && *trim != '\n' && *trim != '\0') argv = confSplitArgs(trim, &argc);
            ConfigDirective *d = argc > 0 ? configFind(argv[0]) : NULL;
            if (d && !(d->flags & CF_NOT_REWRITE)) {
                size_t idx = (size_t)(d - configTable);
                if (!written[idx]) {
                    out = configRewriteLine(d, out, forceAll);
                    written[idx] = true;
                }
            } else if (*trim == '\n' || *trim == '\r' || *trim == '\0') {
                /* A run of empty lines becomes one, as Redis does. */
                if (dstrLen(out) > 0 && !configEndsWithEmptyLine(out)) out = dstrCat(out, "\n");
            } else {
                out = dstrCatLen(out, line, (size_t)len);
                if (line[len - 1] != '\n') out = dstrCat(out, "\n");
            }
            if (argv) confFreeArgs(argv, argc);
        }
        free(line);
        fclose(f);
    }
    bool marker = false;
    for (ConfigDirective *d = configTable; d->name; d++) {
        size_t idx = (size_t)(d - configTable);
        /* Force-all (DEBUG CONFIG-REWRITE-FORCE-ALL) writes defaults and
         * hidden directives too, as Redis does. */
        if (written[idx] || (d->flags & CF_NOT_REWRITE)) continue;
        if (!forceAll && ((d->flags & CF_HIDDEN) || configIsDefault(d))) continue;
        if (!marker) {
            /* Redis leaves an empty line between the user's lines and the
             * generated ones. */
            if (dstrLen(out) > 0 && !configEndsWithEmptyLine(out)) out = dstrCat(out, "\n");
            out = dstrCat(out, REWRITE_MARKER "\n");
            marker = true;
        }
        out = configRewriteLine(d, out, forceAll);
    }
    kvFree(written);
    dstr tmp = dstrCatPrintf(dstrEmpty(), "%s.tmp-%d", config.configFile, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok = fd != -1;
    if (ok) {
        size_t off = 0;
        while (off < dstrLen(out)) {
            ssize_t n = write(fd, out + off, dstrLen(out) - off);
            if (n <= 0) {
                ok = false;
                break;
            }
            off += (size_t)n;
        }
        if (ok && fsync(fd) == -1) ok = false;
        close(fd);
        if (ok && rename(tmp, config.configFile) == -1) ok = false;
        if (!ok) {
            int saved = errno;
            unlink(tmp);
            errno = saved;
        }
    }
    if (!ok) {
        snprintf(configErrBuf, sizeof(configErrBuf), "ERR Rewriting config file: %s",
                 strerror(errno));
        *err = configErrBuf;
    }
    dstrFree(tmp);
    dstrFree(out);
    return ok;
}

void configRewriteCommand(Client *c) {
    const char *err = NULL;
    if (!configRewrite(false, &err)) {
        addReplyError(c, err);
        return;
    }
    logMsg(LL_NOTICE, "CONFIG REWRITE executed with success.");
    addReplyOk(c);
}
