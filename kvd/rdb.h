/* rdb.h — kvd's RDB persistence: turning the keyspace into an RDB file
 * (version 10, what Redis 7.0 writes) and back, DUMP payload values, BGSAVE
 * by fork, save points, and the persistence state INFO reports.
 *
 * The byte format itself (lengths, strings, opcodes, the parser) lives in
 * common/rdbfile.h; this module maps kvd's objects onto it.
 *
 * Lifecycle hooks the server calls:
 *   rdbLoadAtStartup()   once, before accepting clients (unless AOF is on);
 *   rdbCron()            from the server cron: reaps a finished BGSAVE child
 *                        and starts one when a save point is reached;
 *   rdbWritesAllowed()   by dispatch before a write command (MISCONF);
 *   rdbSaveOnShutdown()  by shutdown when it must save;
 *   rdbInfoPersistence() by INFO for the RDB part of "# Persistence".
 */
#ifndef KV_RDB_H
#define KV_RDB_H

#include "dstr.h"
#include "object.h"
#include "rdbfile.h"

#include <stdbool.h>
#include <sys/types.h>

/* The MISCONF error a write gets while rdbWritesAllowed() is false. */
extern const char *const rdbMisconfError;

/* ---- objects ---- */

/* The RDB type byte kvd writes for o (RDB_TYPE_*). */
int rdbObjectType(const Object *o);
/* Writes o's value (no type byte, no key) to w. */
bool rdbSaveObjectValue(RdbWriter *w, const Object *o);
/* Bytes o's value takes in an RDB file, as Redis's rdbSavedObjectLen (DEBUG
 * OBJECT serializedlength). Serializes into a scratch buffer: O(size). */
size_t rdbSerializedLength(const Object *o);
/* Writes the DUMP payload of o (type, value, RDB version, CRC-64) and
 * returns it; the caller frees it with dstrFree. */
dstr rdbDumpObject(const Object *o);
/* Builds an object for `key` from a value of RDB type `type` read from r,
 * validating everything (listpacks and intsets deeply). Returns NULL with a
 * reason in *why (borrowed static text) when the data is malformed or
 * describes an empty value. The object carries no expire time; the caller
 * owns it. */
Object *rdbLoadObject(RdbReader *r, int type, const char *key, size_t klen, const char **why);

/* Sets o's LRU clock from an idle time in seconds, or its LFU counter from
 * freq (0..255), whichever the maxmemory policy uses (Redis's
 * objectSetLRUOrLFU); -1 means not given. For RESTORE and loading. */
void rdbApplyClockHints(Object *o, long long idleSec, int freq);

/* ---- files ---- */

/* Writes every database as an RDB stream to w (header to checksum).
 * aofBase marks an AOF base file (the "aof-base" aux field). */
bool rdbSaveToWriter(RdbWriter *w, bool aofBase);
/* SAVE: writes config.dir/config.dbfilename through a temp file, fsync and
 * rename; on success resets the dirty counter and the last-save time.
 * Logs failures. */
bool rdbSave(const char *filename);
/* BGSAVE: forks a child that runs rdbSave. False (and *err set) when a
 * child is already active or fork failed. */
bool rdbSaveBackground(const char *filename, const char **err);

/* Loading flags. */
#define RDB_LOAD_KEEP_EXPIRED 1 /* keep keys already expired (AOF preamble, replicas) */
#define RDB_LOAD_ALLOW_DUP    2 /* a key already present is replaced (DEBUG RELOAD MERGE) */

typedef struct RdbLoadInfo {
    long long keysLoaded;
    long long keysExpired;
    long long emptySkipped;
    char error[2 * RDB_ERRSTR_SIZE]; /* why it failed */
} RdbLoadInfo;

/* Loads an RDB stream from fp (at its current position) into the
 * databases, adding to what is there (a key already present is an error).
 * On failure the keys read so far stay loaded. */
bool rdbLoadFromFile(FILE *fp, int flags, RdbLoadInfo *info);
/* Loads the file `filename`; false with errno ENOENT when it does not
 * exist (info->error then says so too). */
bool rdbLoad(const char *filename, int flags, RdbLoadInfo *info);
/* Start-up: loads config.dbfilename if present, logging as Redis does
 * ("DB loaded from disk: X seconds"); exits the process when the file
 * exists but cannot be loaded. */
void rdbLoadAtStartup(void);

/* ---- the server's hooks ---- */

/* From the server cron: reaps a finished child and applies its result;
 * starts a BGSAVE when a save point is reached or one was scheduled. */
void rdbCron(void);
/* False when stop-writes-on-bgsave-error applies (the last BGSAVE failed
 * and save points are configured): writes then get rdbMisconfError. */
bool rdbWritesAllowed(void);
/* Shutdown: kills a BGSAVE child (logging it), then saves synchronously
 * (rdbSave logs "DB saved on disk" or the failure; the caller logs "Saving
 * the final RDB snapshot before exiting." first). Returns false when the
 * save failed (shutdown should then be refused unless forced). */
bool rdbSaveOnShutdown(void);
/* True when save points are configured (shutdown saves by default then). */
bool rdbHasSavePoints(void);
/* DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis 7.0: saves (unless
 * NOSAVE), empties every database (unless NOFLUSH) and loads the file;
 * with MERGE a key of the file replaces the one in memory, without it a
 * key already present fails the load. False with *err set to the reply
 * text on failure (the keys read until then stay loaded). */
#define RDB_RELOAD_MERGE   1
#define RDB_RELOAD_NOFLUSH 2
#define RDB_RELOAD_NOSAVE  4
/* RDB_RELOAD_SERVE: other clients are served while the file loads, as Redis
 * 7.0 does (-LOADING, INFO loading:1, through serverProcessEventsWhileBusy:
 * no cron, clients whose read event is off are left alone). The caller
 * makes that safe: it runs at the top level, and it has turned off the read
 * event of its own client and of any client holding a queued transaction. */
#define RDB_RELOAD_SERVE 8
bool rdbDebugReload(int options, const char **err);
/* Appends the RDB fields of INFO persistence ("loading:…" through
 * "rdb_last_load_keys_loaded:…", Redis 7.0's names and order). */
dstr rdbInfoPersistence(dstr out);

/* The BGSAVE child, or -1. */
pid_t rdbChildPid(void);
/* Kills a BGSAVE child and removes its temp file (FLUSHALL, shutdown). */
void rdbKillChild(void);
/* BGSAVE SCHEDULE: run a BGSAVE as soon as no child is active. */
void rdbScheduleBgsave(void);
/* What a fork child (BGSAVE, AOF rewrite) tells its parent, as Redis 7.0's
 * "child info": while it runs, every second at most, the keys written so
 * far and its copy-on-write size (the sum of Private_Dirty in
 * /proc/self/smaps, costly to read, hence the pace); at the end a closing
 * report. They travel through a pipe that is non-blocking at both ends: the
 * child drops a report rather than wait on a full pipe, the parent reads
 * what has arrived from its cron. The parent keeps the figures INFO shows
 * as current_cow_peak, current_cow_size, current_cow_size_age,
 * current_fork_perc, current_save_keys_processed and
 * current_save_keys_total (one child at a time, so one set of figures);
 * they are back to 0 once the child is gone.
 *
 * Parent: Open before fork(); ParentAfterFork right after it (records the
 * number of keys at fork time); Poll from the cron while the child runs;
 * Collect when the child exited with success (true and *bytes = the peak
 * CoW seen, which is what Redis 7.0 reports as rdb/aof_last_cow_size, when
 * the closing report arrived); Close in every case (it resets the figures).
 * Child: ChildStart right after fork(), rdbSavedKey() after each key (from
 * the writers), ChildReport(what) at the end: logs "Fork CoW for <what>: …"
 * and sends the closing report. */
typedef struct RdbForkCow {
    int pipe[2];
    bool running; /* parent: a child was forked and not closed yet */
} RdbForkCow;
void rdbForkCowOpen(RdbForkCow *fc);
void rdbForkCowParentAfterFork(RdbForkCow *fc);
void rdbForkCowPoll(RdbForkCow *fc);
bool rdbForkCowCollect(RdbForkCow *fc, unsigned long long *bytes);
void rdbForkCowClose(RdbForkCow *fc);
void rdbForkCowChildStart(RdbForkCow *fc);
void rdbForkCowChildReport(RdbForkCow *fc, const char *what);
/* Called by every snapshot writer (RDB, plain AOF base) after each key,
 * keysSoFar counting over all databases: applies rdb-key-save-delay and,
 * in a fork child, sends a progress report when one is due (checked once
 * in 1024 keys, as Redis). O(1) mostly. */
void rdbSavedKey(long long keysSoFar);

/* RDB files made only to feed a replica's full sync are deleted once used
 * when rdb-del-sync-files is yes and persistence is off (no save points,
 * appendonly no), as Redis 7.0. The replication code calls this after the
 * transfer, with forReplicaOnly telling whether the file at `path` was made
 * for that sync alone. Returns true when it removed the file. */
bool rdbRemoveSyncFileIfUnwanted(const char *path, bool forReplicaOnly);

/* BGSAVE's refusal while another child runs (Redis 7.0's words). */
#define BGSAVE_OTHER_CHILD_ERROR                                                                   \
    "Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in "      \
    "order to schedule a BGSAVE whenever possible."
/* True while scheduled by BGSAVE SCHEDULE and not yet started. */
bool rdbBgsaveScheduled(void);

/* Another kind of fork child (an AOF rewrite) registers a probe saying
 * whether it is running: BGSAVE is then refused, BGSAVE SCHEDULE and the
 * save points wait for it (Redis allows one child at a time). */
typedef bool RdbChildActiveFn(void);
void rdbSetOtherChildProbe(RdbChildActiveFn *fn);
bool rdbOtherChildActive(void);

/* True during the start-up load (of the RDB file or of the AOF). Clients
 * are served meanwhile (every 2 MB or 8192 keys) and commands without the
 * loading flag get rdbLoadingError. */
bool rdbIsLoading(void);
/* The loading state, shared by the RDB and the AOF start-up loads: Start
 * enters it (`what` "RDB"/"AOF" and `unit` ("keys", "keys and commands") name the
 * figures of the "Loading <what>: …" progress line; totalBytes is the size
 * of everything to read, 0 = take the size of the first file loaded);
 * FileStart says how many bytes the files already loaded held (the offsets
 * given next are within the current file); Progress reports the offset
 * reached in the current file and the count so far (-1 = unchanged) —
 * every few MB or thousand keys; it updates INFO loading_*, logs a progress
 * line at most every 5 s and serves clients and signals (-LOADING). No-ops
 * outside a load. Stop leaves the state. */
void rdbLoadingStart(const char *what, const char *unit, uint64_t totalBytes);
void rdbLoadingFileStart(uint64_t bytesBefore);
void rdbLoadingProgress(uint64_t fileOffset, long long keys);
void rdbLoadingStop(void);
/* Right after rdbLoadingStart, for a load run inside a command (DEBUG
 * RELOAD, DEBUG LOADAOF): clients are then served by polling their sockets
 * (serverProcessEventsWhileBusy), libevent's loop being already running.
 * The caller has made that safe (see RDB_RELOAD_SERVE). */
void rdbLoadingServeFromCommand(void);
extern const char *const rdbLoadingError;
/* Appends INFO persistence's loading_* fields while loading (they come
 * after the AOF fields, as in Redis 7.0); nothing otherwise. */
dstr rdbInfoLoading(dstr out);

/* Registers the function library loader (FUNCTION2 opcodes): called with
 * the code of each library in a file; returns false with *err on error.
 * Without one, libraries are skipped with a warning. */
typedef bool RdbFunctionLoader(const char *code, size_t len, const char **err);
void rdbSetFunctionLoader(RdbFunctionLoader *fn);
/* Registers the writer of the FUNCTION2 opcodes (one per library), called
 * after the aux fields of every RDB written. */
typedef void RdbFunctionSaver(RdbWriter *w);
void rdbSetFunctionSaver(RdbFunctionSaver *fn);

#endif
