/* aof.c — append-only file persistence (see aof.h for the design): the
 * propagation sink and its buffer, writing and fsync policies with the
 * background fsync thread, the multi-part manifest, rewrites by fork, loading
 * at start-up and DEBUG LOADAOF, and the INFO fields. The file format itself
 * (reader, manifest syntax) is common/aoffile.c's. */
#include "aof.h"

#include "debug.h"
#include "function.h"

#include "aoffile.h"
#include "blocking.h"
#include "client.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"
#include "mem.h"
#include "object.h"
#include "propagate.h"
#include "quicklist.h"
#include "rdb.h"
#include "rdbfile.h"
#include "reply.h"
#include "server.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { AOF_OFF, AOF_ON, AOF_WAIT_REWRITE };

/* Redis writes at most this many items per command in a plain rewrite. */
#define AOF_REWRITE_ITEMS_PER_CMD 64

size_t aofPendingBytes = 0; /* == dstrLen(buf); read inline by aofHasPending */

static int state = AOF_OFF;
static int fd = -1;         /* the incremental file being appended to */
static dstr buf = NULL;     /* commands not yet written */
static int selectedDb = -1; /* db of the last command written (SELECT) */
static long long lastTimestamp = -1;
static AofManifest manifest; /* what is on disk */
static bool loading = false;

static long long currentSize = 0; /* base + incremental bytes */
static long long baseSize = 0;    /* currentSize right after the last rewrite/load */
static bool lastWriteOk = true;
static int lastWriteErrno = 0;
static long long lastWriteErrorLogMs = 0;

static pid_t childPid = -1;
static long long childStartMs = 0;
static int incrKeepFrom = 0; /* first incremental file the running rewrite keeps */
static bool rewriteScheduled = false;
static bool lastRewriteOk = true;
static long long lastRewriteTimeSec = -1;
static long long rewrites = 0;
static long long consecutiveFailures = 0;
static unsigned long long lastCowSize = 0; /* bytes, measured by the last rewrite child */
static RdbForkCow cow = {{-1, -1}, false};

/* everysec: a write waiting behind the previous second's background fsync
 * (Redis 7.0's aof_flush_postponed_start, in seconds; 0 = none) and the
 * times the wait was cut short (aof_delayed_fsync). */
static long long flushPostponedStart = 0;
static long long delayedFsyncs = 0;

/* ------------------------------------------------------------------------
 * Paths
 * ---------------------------------------------------------------------- */

static dstr pathIn(const char *name) {
    return dstrCatPrintf(dstrEmpty(), "%s/%s", config.appenddirname, name);
}

static bool fileExists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static bool dirExists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool ensureDir(void) {
    if (dirExists(config.appenddirname)) return true;
    if (mkdir(config.appenddirname, 0755) == -1 && errno != EEXIST) {
        logMsg(LL_WARNING, "Can't open or create append-only dir %s: %s", config.appenddirname,
               strerror(errno));
        return false;
    }
    return true;
}

static int fsyncDir(void) {
    int dfd = open(config.appenddirname, O_RDONLY);
    if (dfd == -1) return -1;
    int rc = fsync(dfd);
    if (rc == -1 && (errno == EBADF || errno == EINVAL)) rc = 0;
    close(dfd);
    return rc;
}

static long long fileSizeOf(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* ------------------------------------------------------------------------
 * Background fsync thread (everysec, and closing replaced files)
 * ---------------------------------------------------------------------- */

typedef struct FsyncJob {
    int fd;
    bool closeAfter;
    long long delayMs; /* aof-fsync-delay when queued (a test hook: a slow disk) */
} FsyncJob;

enum { FSYNC_QUEUE = 64 };

static pthread_t fsyncThread;
static bool fsyncThreadStarted = false;
static pthread_mutex_t fsyncLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fsyncCond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t fsyncIdle = PTHREAD_COND_INITIALIZER;
static FsyncJob fsyncJobs[FSYNC_QUEUE];
static int fsyncHead, fsyncCount;
static atomic_int fsyncPending; /* queued or running */
static long long lastFsyncMs = 0;
static bool fsyncNeeded = false; /* written since the last fsync */

static void *fsyncMain(void *arg) {
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&fsyncLock);
    for (;;) {
        while (fsyncCount == 0) pthread_cond_wait(&fsyncCond, &fsyncLock);
        FsyncJob job = fsyncJobs[fsyncHead];
        fsyncHead = (fsyncHead + 1) % FSYNC_QUEUE;
        fsyncCount--;
        pthread_mutex_unlock(&fsyncLock);
        if (job.delayMs > 0) {
            struct timespec ts = {job.delayMs / 1000, (job.delayMs % 1000) * 1000000};
            while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
            }
        }
        fdatasync(job.fd);
        if (job.closeAfter) close(job.fd);
        pthread_mutex_lock(&fsyncLock);
        atomic_fetch_sub(&fsyncPending, 1);
        pthread_cond_broadcast(&fsyncIdle);
    }
    return NULL;
}

/* Queues an fsync of f (and its close with closeAfter). When the queue is
 * full or the thread could not start it is done here. */
static void fsyncSubmit(int f, bool closeAfter) {
    if (!fsyncThreadStarted) {
        if (pthread_create(&fsyncThread, NULL, fsyncMain, NULL) == 0) {
            fsyncThreadStarted = true;
        }
    }
    pthread_mutex_lock(&fsyncLock);
    if (!fsyncThreadStarted || fsyncCount == FSYNC_QUEUE) {
        pthread_mutex_unlock(&fsyncLock);
        fdatasync(f);
        if (closeAfter) close(f);
        return;
    }
    fsyncJobs[(fsyncHead + fsyncCount) % FSYNC_QUEUE] =
        (FsyncJob){f, closeAfter, config.aofFsyncDelay};
    fsyncCount++;
    atomic_fetch_add(&fsyncPending, 1);
    pthread_cond_signal(&fsyncCond);
    pthread_mutex_unlock(&fsyncLock);
}

/* Waits until every queued job is done (shutdown, turning AOF off). */
static void fsyncDrain(void) {
    if (!fsyncThreadStarted) return;
    pthread_mutex_lock(&fsyncLock);
    while (atomic_load(&fsyncPending) > 0) pthread_cond_wait(&fsyncIdle, &fsyncLock);
    pthread_mutex_unlock(&fsyncLock);
}

/* ------------------------------------------------------------------------
 * The sink: propagated commands into the buffer
 * ---------------------------------------------------------------------- */

static void bufCatCommand(int argc, const Arg *argv) {
    buf = dstrCatPrintf(buf, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) {
        buf = dstrCatPrintf(buf, "$%zu\r\n", argv[i].len);
        buf = dstrCatLen(buf, argv[i].ptr, argv[i].len);
        buf = dstrCatLen(buf, "\r\n", 2);
    }
}

static void aofSink(int dbid, int argc, const Arg *argv) {
    /* While turning on, commands matter only once the rewrite child exists:
     * earlier ones are in its snapshot. */
    if (state == AOF_OFF || (state == AOF_WAIT_REWRITE && childPid == -1)) return;
    if (!buf) buf = dstrEmpty();
    if (config.aofTimestampEnabled) {
        long long now = serverNowMs() / 1000;
        if (now != lastTimestamp) {
            buf = dstrCatPrintf(buf, "#TS:%lld\r\n", now);
            lastTimestamp = now;
        }
    }
    if (dbid != selectedDb) {
        char num[24];
        int n = snprintf(num, sizeof(num), "%d", dbid);
        Arg sel[2] = {{"SELECT", 6}, {num, (size_t)n}};
        bufCatCommand(2, sel);
        selectedDb = dbid;
    }
    bufCatCommand(argc, argv);
    aofPendingBytes = dstrLen(buf);
}

/* ------------------------------------------------------------------------
 * Writing and fsync
 * ---------------------------------------------------------------------- */

static bool fsyncAllowedNow(void) {
    return !(config.noAppendfsyncOnRewrite && (childPid != -1 || rdbChildPid() != -1));
}

/* Writes the whole buffer to fd. On a failed or short write what was not
 * written stays buffered and the write status turns to err (writes are then
 * refused with MISCONF until a retry succeeds). */
static void aofWriteBuffer(void) {
    if (!buf || dstrLen(buf) == 0 || fd == -1) return;
    if (debugAofFlushSleepUs > 0) usleep((useconds_t)debugAofFlushSleepUs);
    flushPostponedStart = 0; /* a write is attempted: the wait is over */
    size_t len = dstrLen(buf);
    off_t before = lseek(fd, 0, SEEK_END); /* O_APPEND: where this write starts */
    ssize_t n;
    do {
        n = write(fd, buf, len);
    } while (n == -1 && errno == EINTR);
    if (n != (ssize_t)len) {
        /* As Redis 7.0: one write(2); a short one is an error too (ENOSPC),
         * its partial command removed again when the file can be cut. */
        bool logNow = serverNowMs() - lastWriteErrorLogMs > 30000;
        if (logNow) lastWriteErrorLogMs = serverNowMs();
        if (n == -1) {
            lastWriteErrno = errno;
            if (logNow)
                logMsg(LL_WARNING, "Error writing to the AOF file: %s", strerror(lastWriteErrno));
        } else {
            if (logNow)
                logMsg(LL_WARNING,
                       "Short write while writing to the AOF file: (nwritten=%lld, expected=%lld)",
                       (long long)n, (long long)len);
            if (before != (off_t)-1 && ftruncate(fd, before) == 0) {
                n = -1;
            } else if (logNow) {
                logMsg(LL_WARNING,
                       "Could not remove short write from the append-only file.  Redis may "
                       "refuse to load the AOF the next time it starts.  ftruncate: %s",
                       strerror(errno));
            }
            lastWriteErrno = ENOSPC;
        }
        if (config.appendfsync == AOF_FSYNC_ALWAYS) {
            /* The reply promise cannot be kept: stop, as Redis does. */
            logMsg(LL_WARNING, "Can't recover from AOF write error when the AOF fsync policy is "
                               "'always'. Exiting...");
            exit(1);
        }
        lastWriteOk = false;
        if (n > 0) {
            currentSize += (long long)n;
            fsyncNeeded = true;
            dstrConsume(buf, (size_t)n);
            aofPendingBytes = dstrLen(buf);
        }
        return;
    }
    currentSize += (long long)n;
    fsyncNeeded = true;
    if (!lastWriteOk) {
        logMsg(LL_WARNING, "AOF write error looks solved, Redis can write again.");
        lastWriteOk = true;
    }
    dstrClear(buf);
    /* Don't keep a huge buffer around after a burst. */
    if (dstrAllocSize(buf) > 4000000) {
        dstrFree(buf);
        buf = dstrEmpty();
    }
    aofPendingBytes = 0;
}

static void aofFsyncNow(void) {
    if (fd == -1 || !fsyncNeeded) return;
    if (fdatasync(fd) == -1) {
        logMsg(LL_WARNING,
               "Can't persist AOF for fsync error when the AOF fsync policy is "
               "'always': %s. Exiting...",
               strerror(errno));
        exit(1);
    }
    fsyncNeeded = false;
    lastFsyncMs = serverNowMs();
}

/* everysec, as Redis 7.0: while the background fsync of the previous
 * second still runs, write(2) on the same file would block behind it, so
 * the write is postponed (replies go out meanwhile: that is the policy's
 * window) — for up to 2 seconds; then it is done anyway, counted in
 * aof_delayed_fsync and logged. True when the write must wait. */
static bool writePostponed(void) {
    if (config.appendfsync != AOF_FSYNC_EVERYSEC || atomic_load(&fsyncPending) == 0) return false;
    long long now = serverNowMs() / 1000;
    if (flushPostponedStart == 0) {
        flushPostponedStart = now;
        return true;
    }
    if (now - flushPostponedStart < 2) return true;
    delayedFsyncs++;
    logMsg(LL_NOTICE, "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF "
                      "buffer without waiting for fsync to complete, this may slow down Redis.");
    return false;
}

void aofFlushBeforeReplies(void) {
    if (state == AOF_OFF && !aofPendingBytes) return;
    if (aofPendingBytes && !writePostponed()) aofWriteBuffer();
    if (config.appendfsync == AOF_FSYNC_ALWAYS && fsyncNeeded && fsyncAllowedNow()) aofFsyncNow();
}

/* everysec: at most one fsync in flight, one per second. */
static void aofEverysecFsync(bool force) {
    if (config.appendfsync != AOF_FSYNC_EVERYSEC || fd == -1 || !fsyncNeeded) return;
    if (!force && serverNowMs() - lastFsyncMs < 1000) return;
    if (!fsyncAllowedNow() || atomic_load(&fsyncPending) > 0) return;
    fsyncSubmit(fd, false);
    fsyncNeeded = false;
    lastFsyncMs = serverNowMs();
}

size_t aofBufferSize(void) {
    return buf ? dstrAllocSize(buf) : 0;
}

bool aofWritesAllowed(void) {
    return lastWriteOk || state == AOF_OFF;
}

const char *aofMisconfError(void) {
    static char msg[160];
    snprintf(msg, sizeof(msg), "MISCONF Errors writing to the AOF file: %s",
             strerror(lastWriteErrno));
    return msg;
}

/* ------------------------------------------------------------------------
 * Manifest on disk
 * ---------------------------------------------------------------------- */

/* Writes m as the manifest: temp file, fsync, rename, fsync of the dir. */
static bool persistManifest(const AofManifest *m) {
    dstr text = aofManifestFormat(m);
    dstr name = aofManifestName(config.appendfilename);
    dstr tmpName = dstrCatPrintf(dstrEmpty(), "temp-%s", name);
    dstr path = pathIn(name), tmp = pathIn(tmpName);
    bool ok = false;
    int f = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (f == -1) {
        logMsg(LL_WARNING, "Can't open the AOF manifest file %s: %s", tmpName, strerror(errno));
        goto out;
    }
    size_t off = 0;
    while (off < dstrLen(text)) {
        ssize_t n = write(f, text + off, dstrLen(text) - off);
        if (n <= 0) {
            if (n == -1 && errno == EINTR) continue;
            break;
        }
        off += (size_t)n;
    }
    if (off < dstrLen(text) || fsync(f) == -1) {
        logMsg(LL_WARNING, "Can't persist the AOF manifest file %s: %s", tmpName,
               strerror(errno ? errno : EIO));
        close(f);
        unlink(tmp);
        goto out;
    }
    close(f);
    if (rename(tmp, path) == -1) {
        logMsg(LL_WARNING, "Can't persist the AOF manifest file %s: %s", name, strerror(errno));
        unlink(tmp);
        goto out;
    }
    fsyncDir();
    ok = true;
out:
    dstrFree(text);
    dstrFree(name);
    dstrFree(tmpName);
    dstrFree(path);
    dstrFree(tmp);
    return ok;
}

/* Deletes the history files of the in-memory manifest and forgets them. */
static void deleteHistory(void) {
    if (manifest.historyCount == 0) return;
    for (int i = 0; i < manifest.historyCount; i++) {
        logMsg(LL_NOTICE, "Removing the history file %s in the background",
               manifest.history[i].name);
        dstr p = pathIn(manifest.history[i].name);
        unlink(p);
        dstrFree(p);
    }
    aofManifestClearHistory(&manifest);
    persistManifest(&manifest);
}

/* ------------------------------------------------------------------------
 * Base files: an RDB snapshot or plain commands
 * ---------------------------------------------------------------------- */

static bool catPlainKey(FILE *fp, const Object *o, int *lastDb, int dbid) {
    dstr out = dstrEmpty();
    const char *key = objKey(o);
    size_t klen = objKeyLen(o);
    if (*lastDb != dbid) {
        char num[24];
        int n = snprintf(num, sizeof(num), "%d", dbid);
        const char *a[2] = {"SELECT", num};
        size_t l[2] = {6, (size_t)n};
        out = aofCatCommand(out, 2, a, l);
        *lastDb = dbid;
    }
    /* Items are batched AOF_REWRITE_ITEMS_PER_CMD per command, as Redis. */
    const char *argv[2 + 2 * AOF_REWRITE_ITEMS_PER_CMD];
    size_t lens[2 + 2 * AOF_REWRITE_ITEMS_PER_CMD];
    char nums[2 * AOF_REWRITE_ITEMS_PER_CMD][40];
    int argc = 0, items = 0, nextNum = 0;
    bool ok = true;
#define BATCH_START(cmd)                                                                           \
    do {                                                                                           \
        argv[0] = cmd;                                                                             \
        lens[0] = strlen(cmd);                                                                     \
        argv[1] = key;                                                                             \
        lens[1] = klen;                                                                            \
        argc = 2;                                                                                  \
        items = 0;                                                                                 \
        nextNum = 0;                                                                               \
    } while (0)
#define BATCH_FLUSH()                                                                              \
    do {                                                                                           \
        if (items) out = aofCatCommand(out, argc, argv, lens);                                     \
        argc = 2;                                                                                  \
        items = 0;                                                                                 \
        nextNum = 0;                                                                               \
    } while (0)
#define PUSH_BYTES(p, l)                                                                           \
    do {                                                                                           \
        argv[argc] = (const char *)(p);                                                            \
        lens[argc++] = (l);                                                                        \
    } while (0)
#define PUSH_LL(v)                                                                                 \
    do {                                                                                           \
        int n_ = snprintf(nums[nextNum], sizeof(nums[0]), "%lld", (long long)(v));                 \
        PUSH_BYTES(nums[nextNum], (size_t)n_);                                                     \
        nextNum++;                                                                                 \
    } while (0)
    switch (o->type) {
        case OBJ_STRING: {
            char tmp[32];
            size_t vlen;
            const char *v = objStringBytes(o, tmp, &vlen);
            const char *a[3] = {"SET", key, v};
            size_t l[3] = {3, klen, vlen};
            out = aofCatCommand(out, 3, a, l);
            break;
        }
        case OBJ_LIST: {
            QuicklistIter it;
            QuicklistEntry e;
            BATCH_START("RPUSH");
            quicklistIterInit(&it, listOf(o), QL_FORWARD);
            while (quicklistNext(&it, &e)) {
                if (e.value)
                    PUSH_BYTES(e.value, e.sz);
                else
                    PUSH_LL(e.longval);
                if (++items == AOF_REWRITE_ITEMS_PER_CMD) {
                    BATCH_FLUSH();
                    /* out holds copies now; reset the number slots */
                }
            }
            quicklistIterEnd(&it);
            BATCH_FLUSH();
            break;
        }
        case OBJ_SET: {
            SetIter it;
            SetElem e;
            BATCH_START("SADD");
            Set set = setOf(o);
            setIterInit(&it, &set);
            while (setIterNext(&it, &e)) {
                if (e.isInt)
                    PUSH_LL(e.i);
                else
                    PUSH_BYTES(e.p, e.len);
                if (++items == AOF_REWRITE_ITEMS_PER_CMD) BATCH_FLUSH();
            }
            setIterRelease(&it);
            BATCH_FLUSH();
            break;
        }
        case OBJ_ZSET: {
            ZsetIter it;
            ZsetMember m;
            double score;
            BATCH_START("ZADD");
            Zset zset = zsetOf(o);
            zsetIterInit(&it, &zset, false);
            while (zsetIterNext(&it, &m, &score)) {
                int n = snprintf(nums[nextNum], sizeof(nums[0]), "%.17g", score);
                PUSH_BYTES(nums[nextNum], (size_t)n);
                nextNum++;
                if (m.s)
                    PUSH_BYTES(m.s, m.len);
                else
                    PUSH_LL(m.ll);
                if (++items == AOF_REWRITE_ITEMS_PER_CMD) BATCH_FLUSH();
            }
            BATCH_FLUSH();
            break;
        }
        case OBJ_HASH: {
            HashTypeIter it;
            HashValue f, v;
            BATCH_START("HMSET");
            hashTypeIterInit(&it, o);
            while (hashTypeIterNext(&it, &f, &v)) {
                if (f.s)
                    PUSH_BYTES(f.s, f.len);
                else
                    PUSH_LL(f.ll);
                if (v.s)
                    PUSH_BYTES(v.s, v.len);
                else
                    PUSH_LL(v.ll);
                if (++items == AOF_REWRITE_ITEMS_PER_CMD) BATCH_FLUSH();
            }
            hashTypeIterRelease(&it);
            BATCH_FLUSH();
            break;
        }
        default:
            /* No other type exists yet; refuse rather than drop data. */
            ok = false;
            break;
    }
#undef BATCH_START
#undef BATCH_FLUSH
#undef PUSH_BYTES
#undef PUSH_LL
    if (ok && o->hasExpire) {
        char ms[24];
        int n = snprintf(ms, sizeof(ms), "%lld", objGetExpire(o));
        const char *a[3] = {"PEXPIREAT", key, ms};
        size_t l[3] = {9, klen, (size_t)n};
        out = aofCatCommand(out, 3, a, l);
    }
    if (ok && fwrite(out, 1, dstrLen(out), fp) != dstrLen(out)) ok = false;
    dstrFree(out);
    return ok;
}

static bool writePlainBase(FILE *fp) {
    /* Libraries first, as FUNCTION LOAD commands (as Redis does), so that
     * the keys' commands that follow may use them. */
    for (unsigned long i = 0; i < functionLibraryCount(); i++) {
        size_t len = 0;
        const char *code = functionLibraryCode(i, &len);
        const char *a[3] = {"FUNCTION", "LOAD", code};
        size_t l[3] = {8, 4, len};
        dstr out = aofCatCommand(dstrEmpty(), 3, a, l);
        bool ok = fwrite(out, 1, dstrLen(out), fp) == dstrLen(out);
        dstrFree(out);
        if (!ok) return false;
    }
    int lastDb = -1;
    long long keys = 0; /* over all databases, for progress reports */
    for (int id = 0; id < dbCount(); id++) {
        Db *db = dbGet(id);
        DictIter it;
        DictLink *l;
        dictIterInit(&it, db->keys, false);
        while ((l = dictIterNext(&it)) != NULL) {
            if (!catPlainKey(fp, (const Object *)l, &lastDb, id)) {
                dictIterRelease(&it);
                return false;
            }
            rdbSavedKey(++keys);
        }
        dictIterRelease(&it);
    }
    return true;
}

/* Writes a base file at path (RDB preamble or plain per
 * aof-use-rdb-preamble), fsynced. Logs and returns false on failure. */
static bool writeBaseFile(const char *path) {
    FILE *fp = fopen(path, "w");
    if (!fp) {
        logMsg(LL_WARNING, "Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): %s",
               strerror(errno));
        return false;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 16);
    bool ok;
    if (config.aofUseRdbPreamble) {
        RdbWriter w;
        rdbWriterInitFile(&w, fp, config.rdbchecksum, config.rdbcompression);
        ok = rdbSaveToWriter(&w, true);
        if (!ok) errno = w.savedErrno;
    } else {
        ok = writePlainBase(fp);
    }
    if (ok && fflush(fp) == EOF) ok = false;
    if (ok && fsync(fileno(fp)) == -1) ok = false;
    if (fclose(fp) == EOF) ok = false;
    if (!ok) {
        logMsg(LL_WARNING, "Write error writing append only file on disk: %s", strerror(errno));
        unlink(path);
    }
    return ok;
}

/* ------------------------------------------------------------------------
 * Opening incremental files
 * ---------------------------------------------------------------------- */

static int openAppend(const char *path) {
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

/* Switches writing to f; the old descriptor is fsynced and closed by the
 * background thread (unless policy no, where it is just closed). */
static void switchFd(int f) {
    if (fd != -1) {
        if (config.appendfsync != AOF_FSYNC_NO)
            fsyncSubmit(fd, true);
        else
            close(fd);
    }
    fd = f;
    fsyncNeeded = false;
    selectedDb = -1; /* a new file starts with its own SELECT */
    lastTimestamp = -1;
}

/* Opens the next incremental file and records it in the manifest.
 * `why` names the occasion in the log ("on server start"…). */
static bool openNewIncr(const char *why) {
    dstr name = aofIncrName(config.appendfilename, manifest.curIncrSeq + 1);
    dstr path = pathIn(name);
    int f = openAppend(path);
    if (f == -1) {
        logMsg(LL_WARNING, "Can't open the append-only file %s: %s", name, strerror(errno));
        dstrFree(name);
        dstrFree(path);
        return false;
    }
    AofManifest next;
    aofManifestCopy(&next, &manifest);
    aofManifestAddIncr(&next, name, manifest.curIncrSeq + 1);
    if (!persistManifest(&next)) {
        close(f);
        unlink(path);
        aofManifestFree(&next);
        dstrFree(name);
        dstrFree(path);
        return false;
    }
    logMsg(LL_NOTICE, "Creating AOF incr file %s %s", name, why);
    aofManifestFree(&manifest);
    manifest = next;
    switchFd(f);
    dstrFree(name);
    dstrFree(path);
    return true;
}

/* ------------------------------------------------------------------------
 * Rewrite
 * ---------------------------------------------------------------------- */

pid_t aofChildPid(void) {
    return childPid;
}

static void tempBaseName(char *out, size_t len, pid_t pid) {
    snprintf(out, len, "%s/temp-rewriteaof-bg-%d.aof", config.appenddirname, (int)pid);
}

static dstr tempIncrPath(void) {
    dstr n = aofTempIncrName(config.appendfilename);
    dstr p = pathIn(n);
    dstrFree(n);
    return p;
}

/* Starts a rewrite child. The caller checked no child runs. */
static bool rewriteStart(void) {
    if (!ensureDir()) return false;
    aofWriteBuffer();
    if (state == AOF_ON) {
        if (config.appendfsync != AOF_FSYNC_NO && fd != -1) fdatasync(fd);
        if (!openNewIncr("on background rewrite")) return false;
        incrKeepFrom = manifest.incrCount - 1;
    } else {
        /* Turning on: the new incremental file is a temp name until the base
         * it follows exists. */
        dstr p = tempIncrPath();
        int f = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
        if (f == -1) {
            logMsg(LL_WARNING, "Can't open the append-only file %s: %s", p, strerror(errno));
            dstrFree(p);
            return false;
        }
        dstr n = aofTempIncrName(config.appendfilename);
        logMsg(LL_NOTICE, "Creating AOF incr file %s on background rewrite", n);
        dstrFree(n);
        dstrFree(p);
        switchFd(f);
        currentSize = 0;
        incrKeepFrom = manifest.incrCount;
    }
    fflush(stdout);
    fflush(stderr);
    rdbForkCowOpen(&cow);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGUSR1, SIG_DFL);
        logSetRole('C');
        serverChildCloseListeners();
        rdbForkCowChildStart(&cow);
        char tmp[1024];
        tempBaseName(tmp, sizeof(tmp), getpid());
        bool ok = writeBaseFile(tmp);
        if (ok) {
            logMsg(LL_NOTICE, "Successfully created the temporary AOF base file %s",
                   strrchr(tmp, '/') + 1);
            rdbForkCowChildReport(&cow, "AOF rewrite");
        }
        _exit(ok ? 0 : 1);
    }
    rdbForkCowParentAfterFork(&cow);
    if (pid == -1) {
        rdbForkCowClose(&cow);
        logMsg(LL_WARNING, "Can't rewrite append only file in background: fork: %s",
               strerror(errno));
        lastRewriteOk = false;
        return false;
    }
    logMsg(LL_NOTICE, "Background append only file rewriting started by pid %ld", (long)pid);
    childPid = pid;
    childStartMs = serverNowMs();
    rewriteScheduled = false;
    rewrites++; /* counted when the child starts, as Redis */
    dictSetResizeEnabled(false);
    return true;
}

bool aofRewriteRequest(const char **reply) {
    if (childPid != -1) {
        *reply = "ERR Background append only file rewriting already in progress";
        return false;
    }
    if (rdbChildPid() != -1) {
        rewriteScheduled = true;
        *reply = "Background append only file rewriting scheduled";
        return true;
    }
    if (!rewriteStart()) {
        *reply = "ERR Can't execute an AOF background rewriting. Please check the server logs "
                 "for more information.";
        return false;
    }
    *reply = "Background append only file rewriting started";
    return true;
}

void bgrewriteaofCommand(Client *c) {
    const char *reply;
    if (aofRewriteRequest(&reply))
        addReplySimple(c, reply);
    else
        addReplyError(c, reply);
}

static void rewriteFailed(bool counts) {
    if (counts) {
        lastRewriteOk = false;
        consecutiveFailures++;
    }
    /* Turning on failed: keep trying, the AOF is not usable yet. */
    if (state == AOF_WAIT_REWRITE) {
        rewriteScheduled = true;
        if (fd != -1) {
            close(fd);
            fd = -1;
        }
        dstr p = tempIncrPath();
        unlink(p);
        dstrFree(p);
        if (buf) dstrClear(buf);
        aofPendingBytes = 0;
    }
}

/* The child succeeded: adopt its base and switch the manifest. Any failure
 * on the way leaves the old manifest (a complete data set) in force. */
static void rewriteAdopt(void) {
    char tmp[1024];
    tempBaseName(tmp, sizeof(tmp), childPid);
    long long seq = manifest.curBaseSeq + 1;
    dstr baseName = aofBaseName(config.appendfilename, seq, config.aofUseRdbPreamble);
    dstr basePath = pathIn(baseName);
    dstr incrName = NULL, incrPath = NULL;
    AofManifest next;
    bool haveNext = false, ok = false;
    if (rename(tmp, basePath) == -1) {
        logMsg(LL_WARNING, "Error trying to rename the temporary AOF base file %s into %s: %s",
               strrchr(tmp, '/') + 1, baseName, strerror(errno));
        unlink(tmp);
        goto done;
    }
    logMsg(LL_NOTICE, "Successfully renamed the temporary AOF base file %s into %s",
           strrchr(tmp, '/') + 1, baseName);
    aofManifestCopy(&next, &manifest);
    haveNext = true;
    aofManifestSetBase(&next, baseName, seq);
    if (state == AOF_WAIT_REWRITE) {
        aofManifestRetireIncr(&next, next.incrCount);
        incrName = aofIncrName(config.appendfilename, next.curIncrSeq + 1);
        incrPath = pathIn(incrName);
        dstr t = tempIncrPath();
        bool renamed = rename(t, incrPath) == 0;
        dstrFree(t);
        if (!renamed) {
            logMsg(LL_WARNING, "Error trying to rename the temporary AOF incr file into %s: %s",
                   incrName, strerror(errno));
            unlink(basePath);
            goto done;
        }
        dstr tn = aofTempIncrName(config.appendfilename);
        logMsg(LL_NOTICE, "Successfully renamed the temporary AOF incr file %s into %s", tn,
               incrName);
        dstrFree(tn);
        aofManifestAddIncr(&next, incrName, next.curIncrSeq + 1);
    } else {
        aofManifestRetireIncr(&next, incrKeepFrom);
    }
    if (!persistManifest(&next)) {
        unlink(basePath);
        goto done;
    }
    aofManifestFree(&manifest);
    manifest = next;
    haveNext = false;
    if (state == AOF_WAIT_REWRITE) state = AOF_ON;
    long long incrBytes = 0;
    for (int i = 0; i < manifest.incrCount; i++) {
        dstr p = pathIn(manifest.incr[i].name);
        incrBytes += fileSizeOf(p);
        dstrFree(p);
    }
    /* Bytes still buffered count once written. */
    currentSize = fileSizeOf(basePath) + incrBytes;
    baseSize = currentSize;
    deleteHistory();
    lastRewriteOk = true;
    consecutiveFailures = 0;
    logMsg(LL_NOTICE, "Background AOF rewrite finished successfully");
    ok = true;
done:
    if (haveNext) aofManifestFree(&next);
    dstrFree(baseName);
    dstrFree(basePath);
    dstrFree(incrName);
    dstrFree(incrPath);
    if (!ok) rewriteFailed(true);
}

static void childDone(int exitCode, int bySignal) {
    if (!bySignal && exitCode == 0) rdbForkCowCollect(&cow, &lastCowSize);
    rdbForkCowClose(&cow);
    if (!bySignal && exitCode == 0) {
        logMsg(LL_NOTICE, "Background AOF rewrite terminated with success");
        aofWriteBuffer();
        rewriteAdopt();
    } else {
        char tmp[1024];
        tempBaseName(tmp, sizeof(tmp), childPid);
        unlink(tmp);
        if (!bySignal) {
            logMsg(LL_WARNING, "Background AOF rewrite terminated with error");
            rewriteFailed(true);
        } else {
            logMsg(LL_WARNING, "Background AOF rewrite terminated by signal %d", bySignal);
            rewriteFailed(bySignal != SIGUSR1);
        }
    }
    lastRewriteTimeSec = (serverNowMs() - childStartMs) / 1000;
    childPid = -1;
    dictSetResizeEnabled(true);
}

void aofKillChild(void) {
    if (childPid == -1) return;
    pid_t pid = childPid;
    kill(pid, SIGUSR1);
    int status;
    while (waitpid(pid, &status, 0) == -1 && errno == EINTR) {
    }
    char tmp[1024];
    tempBaseName(tmp, sizeof(tmp), pid);
    unlink(tmp);
    rdbForkCowClose(&cow);
    lastRewriteTimeSec = (serverNowMs() - childStartMs) / 1000;
    childPid = -1;
    dictSetResizeEnabled(true);
}

/* Back-off of automatic and scheduled rewrites after repeated failures, as
 * Redis 7.0: from the third consecutive failure on, the next attempt waits
 * 1 minute, then 2, 4, … up to 60 (logged when a delay starts); a success
 * (or BGREWRITEAOF, which is not limited) resets it. True while waiting. */
#define AOF_REWRITE_LIMIT_THRESHOLD   3
#define AOF_REWRITE_LIMIT_MAX_MINUTES 60
static bool rewriteLimited(void) {
    static int delayMinutes = 0;
    static long long retryAt = 0; /* unix seconds; 0 = not waiting */
    if (consecutiveFailures < AOF_REWRITE_LIMIT_THRESHOLD) {
        delayMinutes = 0;
        retryAt = 0;
        return false;
    }
    long long now = serverNowMs() / 1000;
    if (retryAt != 0) {
        if (now < retryAt) return true;
        retryAt = 0;
        return false;
    }
    delayMinutes = delayMinutes == 0 ? 1 : delayMinutes * 2;
    if (delayMinutes > AOF_REWRITE_LIMIT_MAX_MINUTES) delayMinutes = AOF_REWRITE_LIMIT_MAX_MINUTES;
    retryAt = now + (long long)delayMinutes * 60;
    logMsg(LL_WARNING,
           "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in "
           "%d minutes",
           delayMinutes);
    return true;
}

void aofCron(void) {
    if (childPid != -1) {
        rdbForkCowPoll(&cow);
        int status;
        pid_t pid = waitpid(childPid, &status, WNOHANG);
        if (pid == childPid) {
            childDone(WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        } else if (pid == -1 && errno == ECHILD) {
            childDone(1, 0);
        }
    }
    if (state == AOF_OFF) return;
    /* A failed or postponed write is retried here even without new
     * commands (postponing still applies, as Redis's cron flush). */
    if (aofPendingBytes && !writePostponed()) aofWriteBuffer();
    aofEverysecFsync(false);
    if (childPid != -1 || rdbChildPid() != -1) return;
    if (rewriteScheduled) {
        if (!rewriteLimited()) rewriteStart();
        return;
    }
    if (state == AOF_ON && config.autoAofRewritePercentage > 0 &&
        currentSize > config.autoAofRewriteMinSize) {
        long long base = baseSize ? baseSize : 1;
        long long growth = currentSize * 100 / base - 100;
        if (growth >= config.autoAofRewritePercentage && !rewriteLimited()) {
            logMsg(LL_NOTICE, "Starting automatic rewriting of AOF on %lld%% growth", growth);
            rewriteStart();
        }
    }
}

/* ------------------------------------------------------------------------
 * Turning on and off
 * ---------------------------------------------------------------------- */

static void startRecording(void) {
    if (!buf) buf = dstrEmpty();
    selectedDb = -1;
    propagateAddSinkFor(aofSink, PROPAGATE_AOF);
}

static void stopAppendOnly(void) {
    aofWriteBuffer();
    if (fd != -1) {
        if (fdatasync(fd) == -1)
            logMsg(LL_WARNING, "Fail to fsync the AOF file: %s", strerror(errno));
        close(fd);
        fd = -1;
    }
    if (childPid != -1) {
        logMsg(LL_NOTICE, "Killing running AOF rewrite child: %ld", (long)childPid);
        aofKillChild();
        if (state == AOF_WAIT_REWRITE) {
            dstr p = tempIncrPath();
            unlink(p);
            dstrFree(p);
        }
    }
    fsyncDrain();
    state = AOF_OFF;
    rewriteScheduled = false;
    propagateRemoveSink(aofSink);
    if (buf) dstrClear(buf);
    aofPendingBytes = 0;
    lastWriteOk = true;
}

bool aofApplyAppendonly(const char **err) {
    if (config.appendonly && state == AOF_OFF) {
        /* The manifest on disk (if any) stays the reference for the files
         * to retire once the new base exists. */
        AofManifest m;
        char why[256];
        dstr mp = aofManifestName(config.appendfilename);
        dstr path = pathIn(mp);
        aofManifestFree(&manifest);
        if (aofManifestLoad(&m, path, why, sizeof(why)))
            manifest = m;
        else
            aofManifestInit(&manifest);
        dstrFree(mp);
        dstrFree(path);
        state = AOF_WAIT_REWRITE;
        startRecording();
        if (childPid != -1) {
            /* A rewrite started while off would not know about the temp
             * incremental file: start over. */
            aofKillChild();
        }
        if (rdbChildPid() != -1) {
            rewriteScheduled = true;
            logMsg(LL_WARNING, "AOF was enabled but there is already another background "
                               "operation. An AOF background was scheduled to start when "
                               "possible.");
            return true;
        }
        if (!rewriteStart()) {
            logMsg(LL_WARNING, "Redis needs to enable the AOF but can't trigger a background AOF "
                               "rewrite operation. Check the above logs for more info about the "
                               "error.");
            state = AOF_OFF;
            propagateRemoveSink(aofSink);
            *err = "Unable to turn on AOF. Check server logs.";
            return false;
        }
    } else if (!config.appendonly && state != AOF_OFF) {
        stopAppendOnly();
    }
    return true;
}

void aofShutdown(void) {
    if (childPid != -1) {
        logMsg(LL_WARNING, "There is a child rewriting the AOF. Killing it!");
        aofKillChild();
        if (state == AOF_WAIT_REWRITE) {
            dstr p = tempIncrPath();
            unlink(p);
            dstrFree(p);
        }
    }
    if (state == AOF_ON) {
        aofWriteBuffer();
        logMsg(LL_NOTICE, "Calling fsync() on the AOF file.");
        if (fd != -1) fdatasync(fd);
        fsyncDrain();
    }
}

/* ------------------------------------------------------------------------
 * Loading
 * ---------------------------------------------------------------------- */

bool aofLoading(void) {
    return loading;
}

typedef struct QueuedCmd {
    int argc;
    dstr *argv;
} QueuedCmd;

typedef struct Loader {
    Client *c;
    Arg *args;
    int argsCap;
    QueuedCmd *queue; /* inside MULTI … EXEC */
    int queued, queueCap;
    bool inMulti;
    uint64_t multiStart;  /* offset of the MULTI */
    long long commands;   /* read so far, over all files (progress) */
    long long baseKeys;   /* keys of RDB preambles loaded (progress) */
    uint64_t bytesBefore; /* size of the files loaded before this one */
} Loader;

/* Commands between two progress reports (the loading state of rdb.c: INFO
 * loading_*, events served, -LOADING), as Redis 7.0's AOF loader. */
#define AOF_LOAD_PROGRESS_COMMANDS 1024

static void loaderClearQueue(Loader *l) {
    for (int i = 0; i < l->queued; i++) {
        for (int j = 0; j < l->queue[i].argc; j++) dstrFree(l->queue[i].argv[j]);
        kvFree(l->queue[i].argv);
    }
    l->queued = 0;
    l->inMulti = false;
}

static bool argIsWord(const dstr a, const char *w) {
    return dstrLen(a) == strlen(w) && strncasecmp(a, w, dstrLen(a)) == 0;
}

/* Runs one command read from `file`; exits on an unknown command. */
static void loaderRun(Loader *l, int argc, dstr *argv, const char *file) {
    if (argc > l->argsCap) {
        l->argsCap = argc;
        l->args = kvRealloc(l->args, (size_t)argc * sizeof(Arg));
    }
    for (int i = 0; i < argc; i++) l->args[i] = (Arg){argv[i], dstrLen(argv[i])};
    bool unknownSub = false;
    Command *cmd = commandLookupFull(argc, l->args, &unknownSub);
    if (!cmd) {
        logMsg(LL_WARNING, "Unknown command '%.*s' reading the append only file %s",
               (int)(dstrLen(argv[0]) > 128 ? 128 : dstrLen(argv[0])), argv[0], file);
        exit(1);
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || (cmd->arity < 0 && argc < -cmd->arity)) {
        logMsg(LL_WARNING,
               "Bad file format reading the append only file %s: wrong number of arguments for "
               "'%s' command",
               file, cmd->name);
        exit(1);
    }
    /* Only writes and SELECT change what is loaded; a read-only command
     * (which Redis never writes to an AOF) is skipped. */
    if (!(cmd->flags & CMD_WRITE) && cmd->proc != selectCommand) return;
    Client *c = l->c;
    c->argv = l->args;
    c->argc = argc;
    c->cmd = cmd;
    callCommand(c, CALL_NONE);
    dstrClear(c->reply);
    c->replyPos = 0;
    c->argv = NULL;
    c->argc = 0;
}

/* Loads one file into the dataset. Returns AOF_READ_EOF when complete,
 * AOF_READ_TRUNCATED when it ends inside a command (and *validUpTo is where
 * the last whole command or transaction ended); exits on anything else. */
static AofReadStatus loadOneFile(Loader *l, const char *name, const char *path,
                                 uint64_t *validUpTo) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        logMsg(LL_WARNING, "Fatal error: can't open the append log file %s for reading: %s", name,
               strerror(errno));
        exit(1);
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 16);
    uint64_t start = 0;
    if (aofFileHasRdbPreamble(fp)) {
        logMsg(LL_NOTICE, "Reading RDB base file on AOF loading...");
        RdbLoadInfo info;
        if (!rdbLoadFromFile(fp, RDB_LOAD_KEEP_EXPIRED, &info)) {
            logMsg(LL_WARNING, "Error reading the RDB base file %s: %s", name, info.error);
            logMsg(LL_WARNING,
                   "Error reading the RDB preamble of the AOF file %s, AOF loading "
                   "aborted",
                   name);
            exit(1);
        }
        logMsg(LL_NOTICE, "Done loading RDB, keys loaded: %lld, keys expired: %lld.",
               info.keysLoaded, info.keysExpired);
        l->baseKeys += info.keysLoaded;
        start = (uint64_t)ftello(fp);
        logMsg(LL_NOTICE, "Reading the remaining AOF tail...");
    }
    AofReader r;
    aofReaderInit(&r, fp, start);
    l->c->db = dbGet(0);
    AofReadStatus st;
    uint64_t valid = start;
    for (;;) {
        st = aofReaderNext(&r);
        if (st == AOF_READ_ANNOTATION) {
            if (!l->inMulti) valid = r.offset;
            continue;
        }
        if (st != AOF_READ_OK) break;
        if (++l->commands % AOF_LOAD_PROGRESS_COMMANDS == 0)
            rdbLoadingProgress(r.offset, l->baseKeys + l->commands);
        if (argIsWord(r.argv[0], "MULTI") && r.argc == 1) {
            if (l->inMulti) loaderClearQueue(l); /* a MULTI without EXEC: drop it */
            l->inMulti = true;
            l->multiStart = r.cmdStart;
            continue;
        }
        if (l->inMulti && argIsWord(r.argv[0], "EXEC") && r.argc == 1) {
            propagateEnterUnit();
            for (int i = 0; i < l->queued; i++)
                loaderRun(l, l->queue[i].argc, l->queue[i].argv, name);
            propagateExitUnit();
            loaderClearQueue(l);
            valid = r.offset;
            continue;
        }
        if (l->inMulti) {
            if (l->queued == l->queueCap) {
                l->queueCap = l->queueCap ? l->queueCap * 2 : 16;
                l->queue = kvRealloc(l->queue, (size_t)l->queueCap * sizeof(QueuedCmd));
            }
            QueuedCmd *q = &l->queue[l->queued++];
            q->argc = r.argc;
            q->argv = kvMalloc((size_t)r.argc * sizeof(dstr));
            for (int i = 0; i < r.argc; i++) q->argv[i] = dstrDup(r.argv[i]);
            continue;
        }
        loaderRun(l, r.argc, r.argv, name);
        valid = r.offset;
    }
    if (st == AOF_READ_EOF && l->inMulti) {
        /* The file ends inside a transaction: none of it is applied. */
        st = AOF_READ_TRUNCATED;
    }
    if (l->inMulti) {
        valid = l->multiStart;
        loaderClearQueue(l);
    }
    if (st == AOF_READ_BAD_FORMAT || st == AOF_READ_IO_ERROR) {
        if (st == AOF_READ_IO_ERROR)
            logMsg(LL_WARNING, "Unrecoverable error reading the append only file %s: %s", name,
                   r.err);
        else
            logMsg(LL_WARNING,
                   "Bad file format reading the append only file %s (offset %llu: %s): make a "
                   "backup of your AOF file, then use ./kv-check-aof --fix <filename.manifest>",
                   name, (unsigned long long)r.cmdStart, r.err);
        exit(1);
    }
    *validUpTo = valid;
    aofReaderFree(&r);
    fclose(fp);
    return st;
}

static void loaderInit(Loader *l) {
    memset(l, 0, sizeof(*l));
    l->c = clientCreateFake();
}

static void loaderFree(Loader *l) {
    loaderClearQueue(l);
    kvFree(l->queue);
    kvFree(l->args);
    clientFree(l->c);
}

static double elapsedSec(struct timeval *since) {
    struct timeval now;
    gettimeofday(&now, NULL);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_usec - since->tv_usec) / 1e6;
}

/* Loads the file `name` (in the AOF dir unless legacy), handling a
 * truncated last file. Exits on a fatal problem. */
static void loadListedFile(Loader *l, const char *name, const char *path, bool last,
                           const char *kind) {
    struct timeval t0;
    gettimeofday(&t0, NULL);
    if (!fileExists(path)) {
        logMsg(LL_WARNING, "The AOF file %s doesn't exist", name);
        exit(1);
    }
    uint64_t valid = 0;
    rdbLoadingFileStart(l->bytesBefore);
    AofReadStatus st = loadOneFile(l, name, path, &valid);
    l->bytesBefore += (uint64_t)fileSizeOf(path);
    if (st == AOF_READ_TRUNCATED) {
        long long size = fileSizeOf(path);
        logMsg(LL_WARNING, "!!! Warning: short read while loading the AOF file %s!!!", name);
        if (!last) {
            logMsg(LL_WARNING, "Fatal error: the truncated file %s is not the last file", name);
            exit(1);
        }
        if (!config.aofLoadTruncated) {
            logMsg(LL_WARNING,
                   "Unexpected end of file reading the append only file %s. You can: 1) Make a "
                   "backup of your AOF file, then use ./kv-check-aof --fix <filename.manifest>. "
                   "2) Alternatively you can set the 'aof-load-truncated' configuration option to "
                   "yes and restart the server.",
                   name);
            exit(1);
        }
        logMsg(LL_WARNING, "!!! Truncating the AOF %s at offset %llu !!!", name,
               (unsigned long long)valid);
        logMsg(LL_WARNING, "AOF %s: dropped the last %lld bytes (an incomplete command)", name,
               size - (long long)valid);
        if (truncate(path, (off_t)valid) == -1) {
            logMsg(LL_WARNING, "Error truncating the AOF file %s: %s", name, strerror(errno));
            exit(1);
        }
        logMsg(LL_WARNING, "AOF %s loaded anyway because aof-load-truncated is enabled", name);
    }
    if (kind)
        logMsg(LL_NOTICE, "DB loaded from %s file %s: %.3f seconds", kind, name, elapsedSec(&t0));
}

/* Loads what the manifest (already in `manifest`) lists. */
static void loadFromManifest(void) {
    Loader l;
    loaderInit(&l);
    int total = (manifest.base ? 1 : 0) + manifest.incrCount, done = 0;
    long long size = 0;
    if (manifest.base) {
        dstr p = pathIn(manifest.base->name);
        loadListedFile(&l, manifest.base->name, p, ++done == total, "base");
        size += fileSizeOf(p);
        dstrFree(p);
    }
    for (int i = 0; i < manifest.incrCount; i++) {
        dstr p = pathIn(manifest.incr[i].name);
        loadListedFile(&l, manifest.incr[i].name, p, ++done == total, "incr");
        size += fileSizeOf(p);
        dstrFree(p);
    }
    loaderFree(&l);
    currentSize = baseSize = size;
}

/* Reads the manifest; false when there is none. Exits on a bad one. */
static bool readManifest(void) {
    dstr mn = aofManifestName(config.appendfilename);
    dstr mp = pathIn(mn);
    char why[256];
    AofManifest m;
    bool ok = aofManifestLoad(&m, mp, why, sizeof(why));
    int saved = errno;
    dstrFree(mn);
    dstrFree(mp);
    if (!ok) {
        if (saved == ENOENT) return false;
        logMsg(LL_WARNING, "%s", why);
        exit(1);
    }
    aofManifestFree(&manifest);
    manifest = m;
    return true;
}

/* A legacy single appendonly.aof in the working directory: move it into
 * the directory as the base and write a manifest naming it (Redis 7's
 * upgrade). */
static void upgradeLegacy(void) {
    if (!ensureDir()) exit(1);
    dstr dest = pathIn(config.appendfilename);
    if (rename(config.appendfilename, dest) == -1) {
        logMsg(LL_WARNING, "Error trying to rename the old AOF file %s into dir %s: %s",
               config.appendfilename, config.appenddirname, strerror(errno));
        exit(1);
    }
    dstrFree(dest);
    aofManifestFree(&manifest);
    aofManifestInit(&manifest);
    aofManifestSetBase(&manifest, config.appendfilename, 1);
    if (!persistManifest(&manifest)) exit(1);
    logMsg(LL_NOTICE, "Successfully migrated an old-style AOF into the AOF directory");
}

/* Bytes of every file the manifest lists (the loading_total_bytes of an
 * AOF load). */
static long long manifestFilesSize(void) {
    long long total = 0;
    for (int i = -1; i < manifest.incrCount; i++) {
        const char *name =
            i < 0 ? (manifest.base ? manifest.base->name : NULL) : manifest.incr[i].name;
        if (!name) continue;
        dstr p = pathIn(name);
        long long size = fileSizeOf(p);
        if (size > 0) total += size;
        dstrFree(p);
    }
    return total;
}

/* How loadAll lets the server work meanwhile. */
enum { LOAD_QUIET, LOAD_AT_STARTUP, LOAD_IN_COMMAND };

/* Empties nothing: loads into the current dataset (empty at start-up).
 * At start-up and for DEBUG LOADAOF with clients served (`how`) the server
 * is in the loading state meanwhile: clients get -LOADING, INFO shows
 * loading_*, progress is logged. */
static bool loadAll(int how) {
    bool serve = how != LOAD_QUIET;
    struct timeval t0;
    gettimeofday(&t0, NULL);
    long long dirty = stats.dirty;
    loading = true;
    blockingDenyBegin();
    bool any = false;
    bool hasManifest = readManifest();
    if (serve && (hasManifest || fileExists(config.appendfilename))) {
        rdbLoadingStart(
            "AOF", "keys and commands",
            (uint64_t)(hasManifest ? manifestFilesSize() : fileSizeOf(config.appendfilename)));
        if (how == LOAD_IN_COMMAND) rdbLoadingServeFromCommand();
    }
    if (hasManifest) {
        loadFromManifest();
        any = true;
    } else if (fileExists(config.appendfilename)) {
        Loader l;
        loaderInit(&l);
        loadListedFile(&l, config.appendfilename, config.appendfilename, true, NULL);
        loaderFree(&l);
        upgradeLegacy();
        currentSize = baseSize = fileSizeOf(config.appendfilename);
        any = true;
    }
    if (serve) rdbLoadingStop();
    blockingDenyEnd();
    loading = false;
    stats.dirty = dirty;
    if (any) logMsg(LL_NOTICE, "DB loaded from append only file: %.3f seconds", elapsedSec(&t0));
    return any;
}

static bool childActiveProbe(void) {
    return childPid != -1;
}

bool aofLoadAtStartup(void) {
    rdbSetOtherChildProbe(childActiveProbe);
    if (!config.appendonly) return false;
    loadAll(LOAD_AT_STARTUP);
    return true;
}

void aofOpenAtStartup(void) {
    if (!config.appendonly) return;
    if (!ensureDir()) exit(1);
    if (!manifest.base && manifest.incrCount == 0) {
        /* Nothing on disk: the base is the (empty or RDB-less) dataset now. */
        dstr name = aofBaseName(config.appendfilename, 1, config.aofUseRdbPreamble);
        dstr path = pathIn(name);
        if (!writeBaseFile(path)) exit(1);
        aofManifestSetBase(&manifest, name, 1);
        logMsg(LL_NOTICE, "Creating AOF base file %s on server start", name);
        currentSize = baseSize = 0;
        dstrFree(name);
        dstrFree(path);
    }
    if (manifest.incrCount == 0) {
        if (!openNewIncr("on server start")) exit(1);
    } else {
        const char *name = manifest.incr[manifest.incrCount - 1].name;
        dstr path = pathIn(name);
        int f = openAppend(path);
        if (f == -1) {
            logMsg(LL_WARNING, "Can't open the append-only file %s: %s", name, strerror(errno));
            exit(1);
        }
        logMsg(LL_NOTICE, "Opening AOF incr file %s on server start", name);
        switchFd(f);
        dstrFree(path);
    }
    state = AOF_ON;
    startRecording();
}

bool aofDebugLoad(bool serveClients, const char **err) {
    if (state == AOF_ON) {
        aofWriteBuffer();
        if (fd != -1) fdatasync(fd);
    }
    if (state == AOF_ON && !readManifest()) {
        *err = "ERR Error trying to load the AOF files, check server logs.";
        return false;
    }
    bool wasSink = propagateActive();
    propagateRemoveSink(aofSink);
    dbEmptyAll();
    loadAll(serveClients ? LOAD_IN_COMMAND : LOAD_QUIET);
    if (wasSink && state != AOF_OFF) propagateAddSinkFor(aofSink, PROPAGATE_AOF);
    /* The next command written starts with a SELECT again. */
    selectedDb = -1;
    logMsg(LL_NOTICE, "Append Only File loaded by DEBUG LOADAOF");
    return true;
}

/* ------------------------------------------------------------------------
 * INFO
 * ---------------------------------------------------------------------- */

dstr aofInfoPersistence(dstr out) {
    long long current = childPid != -1 ? (serverNowMs() - childStartMs) / 1000 : -1;
    out = dstrCatPrintf(out,
                        "aof_enabled:%d\r\n"
                        "aof_rewrite_in_progress:%d\r\n"
                        "aof_rewrite_scheduled:%d\r\n"
                        "aof_last_rewrite_time_sec:%lld\r\n"
                        "aof_current_rewrite_time_sec:%lld\r\n"
                        "aof_last_bgrewrite_status:%s\r\n"
                        "aof_rewrites:%lld\r\n"
                        "aof_rewrites_consecutive_failures:%lld\r\n"
                        "aof_last_write_status:%s\r\n"
                        "aof_last_cow_size:%llu\r\n"
                        "module_fork_in_progress:0\r\n"
                        "module_fork_last_cow_size:0\r\n",
                        state != AOF_OFF, childPid != -1, rewriteScheduled, lastRewriteTimeSec,
                        current, lastRewriteOk ? "ok" : "err", rewrites, consecutiveFailures,
                        lastWriteOk ? "ok" : "err", lastCowSize);
    if (state != AOF_OFF)
        out = dstrCatPrintf(out,
                            "aof_current_size:%lld\r\n"
                            "aof_base_size:%lld\r\n"
                            "aof_pending_rewrite:%d\r\n"
                            "aof_buffer_length:%zu\r\n"
                            "aof_pending_bio_fsync:%d\r\n"
                            "aof_delayed_fsync:%lld\r\n",
                            currentSize, baseSize, rewriteScheduled, aofPendingBytes,
                            atomic_load(&fsyncPending), delayedFsyncs);
    return out;
}
