/* aof.h — append-only file persistence in Redis 7's multi-part layout.
 *
 * Files live in config.appenddirname (default "appendonlydir") inside the
 * working directory: one base file (an RDB snapshot with the "aof-base" aux
 * field, or plain commands), incremental files of commands written since
 * that base, and a manifest listing them (format in common/aoffile.h).
 *
 * Writing: the AOF is a propagation sink (propagate.h). Each propagated
 * command is appended as RESP (with a SELECT when the db changes) to an
 * in-memory buffer that is written to the current incremental file before
 * any reply goes out (aofFlushBeforeReplies, called by the reply path) and
 * before the event loop sleeps. appendfsync always fsyncs right there;
 * everysec hands the fsync to a background thread once a second (and, as
 * Redis 7.0, postpones a write for up to 2 s while that fsync still runs,
 * then writes anyway and counts aof_delayed_fsync); no leaves it to the
 * kernel. A failed write keeps the buffer, answers writes with MISCONF and
 * is retried from the cron until it succeeds.
 *
 * Rewriting (BGREWRITEAOF, auto rewrite, turning appendonly on): the parent
 * opens a fresh incremental file and from then on appends there, while a
 * forked child writes a new base from its copy-on-write snapshot. When the
 * child succeeds the manifest is replaced atomically (temp file, fsync,
 * rename) naming the new base and the fresh incremental file; the older
 * files become history and are deleted. No write is buffered twice and none
 * can be lost: everything before the fork is in the snapshot, everything
 * after it is in the new incremental file.
 *
 * Only one child runs at a time: rdb.c asks aofChildPid() before forking
 * and this module asks rdbChildPid(); a rewrite requested while a BGSAVE
 * runs is scheduled and started by aofCron once it is over.
 */
#ifndef KV_AOF_H
#define KV_AOF_H

#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* appendfsync values. */
#define AOF_FSYNC_NO       0
#define AOF_FSYNC_ALWAYS   1
#define AOF_FSYNC_EVERYSEC 2

/* Start-up: when appendonly is yes loads the dataset from the AOF
 * (manifest, or a legacy single file) and returns true; meanwhile the
 * server is in rdb.c's loading state (clients get -LOADING, INFO shows
 * loading_*, progress is logged). Exits the process on a fatal error as
 * Redis does. Returns false when appendonly is no (the caller then loads
 * the RDB). */
bool aofLoadAtStartup(void);
/* Start-up, after loading: creates the directory, base and incremental
 * file as needed and starts recording (appendonly yes only). */
void aofOpenAtStartup(void);

/* Writes the buffer (fsync under `always`). Cheap when nothing is pending;
 * called before replies are written and before the loop sleeps. */
void aofFlushBeforeReplies(void);
static inline bool aofHasPending(void) {
    extern size_t aofPendingBytes;
    return aofPendingBytes != 0;
}
/* From the server cron: reaps the rewrite child, everysec fsync, retries a
 * failed write, starts scheduled and automatic rewrites. */
void aofCron(void);
/* Shutdown: kills a rewrite child, writes and fsyncs what is buffered. */
void aofShutdown(void);

/* BGREWRITEAOF. On success *reply is the status text to send (started or
 * scheduled); on failure *reply is the error. */
bool aofRewriteRequest(const char **reply);
/* The rewrite child, or -1. */
pid_t aofChildPid(void);
/* Kills the rewrite child (and removes its temp file). */
void aofKillChild(void);

/* The apply hook of CONFIG SET appendonly. */
bool aofApplyAppendonly(const char **err);
/* DEBUG LOADAOF: flush, empty the dataset, load it back from the AOF.
 * With serveClients other clients are answered meanwhile (-LOADING), as
 * RDB_RELOAD_SERVE in rdb.h, which states what the caller made safe. */
bool aofDebugLoad(bool serveClients, const char **err);

/* True while a dataset is being loaded from the AOF (keys do not expire,
 * expire commands with past times set the time instead of deleting). */
bool aofLoading(void);

/* Bytes in the AOF buffer (INFO memory mem_aof_buffer). */
size_t aofBufferSize(void);
/* The AOF fields of INFO persistence, after the RDB ones. */
dstr aofInfoPersistence(dstr out);
/* MISCONF: false when the last write to the AOF failed. */
bool aofWritesAllowed(void);
extern const char *aofMisconfError(void);

#endif
