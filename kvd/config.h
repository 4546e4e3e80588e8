/* config.h — kvd's configuration: one table of directives (config.c) that
 * the config file, `--name value` arguments, CONFIG GET/SET/REWRITE and INFO
 * all read.
 *
 * The values in force live in the `config` struct below. Other modules read
 * its fields directly (they are plain values, cheap to read on hot paths);
 * only config.c writes them, through the table, so that bounds, apply hooks
 * and REWRITE stay in one place. */
#ifndef KV_CONFIG_H
#define KV_CONFIG_H

#include "dstr.h"

#include <stdbool.h>

#define CONFIG_BINDADDR_MAX 16

enum { ENABLE_NO = 0, ENABLE_YES = 1, ENABLE_LOCAL = 2 };
enum { SANITIZE_DUMP_NO = 0, SANITIZE_DUMP_YES, SANITIZE_DUMP_CLIENTS };
enum { SUPERVISED_NONE = 0, SUPERVISED_UPSTART, SUPERVISED_SYSTEMD, SUPERVISED_AUTO };
enum {
    MAXMEMORY_VOLATILE_LRU = 0,
    MAXMEMORY_VOLATILE_LFU,
    MAXMEMORY_VOLATILE_RANDOM,
    MAXMEMORY_VOLATILE_TTL,
    MAXMEMORY_ALLKEYS_LRU,
    MAXMEMORY_ALLKEYS_LFU,
    MAXMEMORY_ALLKEYS_RANDOM,
    MAXMEMORY_NO_EVICTION
};

typedef struct KvdConfig {
    /* network */
    int port;
    char *bind[CONFIG_BINDADDR_MAX];
    int bindCount;
    bool protectedMode;
    int tcpBacklog;
    int tcpKeepalive;
    int timeout;
    char *unixsocket;
    int unixsocketperm;
    int maxclients;
    /* general */
    bool daemonize;
    char *pidfile;
    char *logfile;
    int loglevel;
    bool syslogEnabled;
    char *syslogIdent;
    char *syslogFacility;
    int databases;
    int supervised;
    int hz;
    bool dynamicHz;
    int activeExpireEffort;
    bool activeExpireEnabled; /* DEBUG SET-ACTIVE-EXPIRE */
    /* security */
    char *requirepass;
    int enableDebugCmd;
    int enableProtectedConfigs;
    /* limits */
    long long protoMaxBulkLen;
    long long clientQueryBufferLimit;
    long long maxmemory;
    int maxmemoryPolicy;
    int lfuLogFactor;
    int lfuDecayTime;
    int maxmemorySamples;          /* evict.c */
    int maxmemoryEvictionTenacity; /* evict.c */
    bool lazyfreeLazyEviction;     /* evicted keys freed lazily, propagated as UNLINK */
    /* lazy free (lazyfree.h) */
    bool lazyfreeLazyServerDel; /* implicit deletes (overwrites) freed lazily */
    bool lazyfreeLazyUserDel;   /* DEL behaves as UNLINK */
    bool lazyfreeLazyUserFlush; /* FLUSHALL/FLUSHDB/SCRIPT FLUSH without SYNC|ASYNC: ASYNC */
    bool replicaLazyFlush;      /* accepted; for the replication code (not yet used) */
    /* collection encodings (compact below these sizes) */
    long long hashMaxListpackEntries;
    long long hashMaxListpackValue;
    long long zsetMaxListpackEntries;
    long long zsetMaxListpackValue;
    long long setMaxIntsetEntries;
    int listMaxListpackSize;
    int listCompressDepth;
    /* slow log */
    long long slowlogLogSlowerThan;
    long long slowlogMaxLen;
    /* scripting (script.c) */
    long long busyReplyThreshold; /* ms; busy-reply-threshold / lua-time-limit */
    /* persistence (used by later modules; the directives exist now) */
    char *dir;
    char *dbfilename;
    bool appendonly;
    char *appendfilename;
    char *appenddirname;
    int appendfsync; /* AOF_FSYNC_* (aof.h) */
    bool noAppendfsyncOnRewrite;
    int autoAofRewritePercentage;
    long long autoAofRewriteMinSize;
    bool aofLoadTruncated;
    bool aofUseRdbPreamble;
    bool aofTimestampEnabled;
    bool lazyfreeLazyExpire; /* expired keys freed lazily, propagated as UNLINK */
    dstr saveParams;         /* "3600 1 300 100 60 10000" form */
    bool stopWritesOnBgsaveError;
    bool rdbcompression;
    bool rdbchecksum;
    int sanitizeDumpPayload;   /* SANITIZE_DUMP_*: see rdb.c and dumpcmd.c */
    bool rdbDelSyncFiles;      /* rdb-del-sync-files: see rdbRemoveSyncFileIfUnwanted */
    long long rdbKeySaveDelay; /* testing: µs to sleep per key saved */
    long long keyLoadDelay;    /* testing: µs to sleep per key loaded */
    long long aofFsyncDelay;   /* testing: ms the background AOF fsync sleeps first */
    /* tracking.c: most keys in the tracking table, 0 = no limit */
    long long trackingTableMaxKeys;
    /* misc */
    bool latencyTrackingEnabled;
    char *configFile; /* absolute path of the file we loaded, or NULL */
    char *executable;
} KvdConfig;

extern KvdConfig config;

/* Sets every directive to its default. */
void configInitDefaults(void);
/* Loads `file` (may be NULL) then `options` (the `--name value` arguments
 * joined as config lines); prints the error and exits on failure, as Redis. */
void configLoadOrExit(const char *file, const char *options);
/* Applies the pieces of config that need to run once the server is up. */
void configApplyStartup(void);
/* CONFIG REWRITE: rewrites the config file in place, keeping its comments
 * and order; forceAll (DEBUG CONFIG-REWRITE-FORCE-ALL) also writes the
 * directives at their default. On failure returns false with Redis's error
 * in *err and errno telling why. */
bool configRewrite(bool forceAll, const char **err);

/* rename-command entries recorded while loading (applied by the command
 * table once it exists). */
typedef struct ConfigRename {
    char *from;
    char *to; /* "" disables the command */
} ConfigRename;
int configRenameCount(void);
const ConfigRename *configRenameAt(int i);

#endif
