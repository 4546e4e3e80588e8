/* expire.c — key expiry: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX, XX,
 * GT, LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST, and the active expiry
 * cycle (design in expire.h).
 *
 * Expire times are absolute Unix times in milliseconds stored in the key's
 * Object (object.h); db.c keeps the expires dict that indexes them. Setting or
 * removing one may move the Object (dbSetExpire/dbRemoveExpire return the new
 * pointer), so handlers never reuse a pointer across those calls.
 */
#include "expire.h"

#include "aof.h"
#include "propagate.h"
#include "client.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "mem.h"
#include "notify.h"
#include "numconv.h"
#include "reply.h"
#include "server.h"

#include <limits.h>
#include <string.h>
#include <time.h>

/* ---- EXPIRE PEXPIRE EXPIREAT PEXPIREAT ---- */

#define EXPIRE_NX (1 << 0)
#define EXPIRE_XX (1 << 1)
#define EXPIRE_GT (1 << 2)
#define EXPIRE_LT (1 << 3)

/* Parses the NX/XX/GT/LT options after the time argument. Returns false
 * after replying Redis 7.0's error. */
static bool parseExpireFlagsOrReply(Client *c, int *flags) {
    *flags = 0;
    for (int j = 3; j < c->argc; j++) {
        const Arg *a = &c->argv[j];
        if (argIs(a, "nx")) {
            *flags |= EXPIRE_NX;
        } else if (argIs(a, "xx")) {
            *flags |= EXPIRE_XX;
        } else if (argIs(a, "gt")) {
            *flags |= EXPIRE_GT;
        } else if (argIs(a, "lt")) {
            *flags |= EXPIRE_LT;
        } else {
            /* Redis formats the option with %s: it stops at a NUL byte. */
            addReplyErrorFormat(c, "ERR Unsupported option %.*s", (int)strnlen(a->ptr, a->len),
                                a->ptr);
            return false;
        }
    }
    if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
        addReplyError(c, "ERR NX and XX, GT or LT options at the same time are not compatible");
        return false;
    }
    if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
        addReplyError(c, "ERR GT and LT options at the same time are not compatible");
        return false;
    }
    return true;
}

static void replyInvalidExpireTime(Client *c) {
    addReplyErrorFormat(c, "ERR invalid expire time in '%s' command",
                        c->cmd ? c->cmd->name : "expire");
}

/* Whether the conditions of flags allow replacing the key's current expire
 * time `current` (-1: none, read as an infinite TTL) with `when`. */
static bool expireConditionHolds(int flags, long long current, long long when) {
    if ((flags & EXPIRE_NX) && current != -1) return false;
    if ((flags & EXPIRE_XX) && current == -1) return false;
    if ((flags & EXPIRE_GT) && (current == -1 || when <= current)) return false;
    if ((flags & EXPIRE_LT) && current != -1 && when >= current) return false;
    return true;
}

/* Propagates EXPIRE/PEXPIRE/EXPIREAT as PEXPIREAT with the absolute time
 * in ms, keeping any NX/XX/GT/LT argument (as Redis 7.0). PEXPIREAT itself
 * goes as written unless its time was converted. */
static void expirePropagateAbsolute(Client *c, long long when, bool converted) {
    if (c->cmd->proc == pexpireatCommand && !converted) return;
    Arg *argv = kvMalloc((size_t)c->argc * sizeof(Arg));
    char num[24];
    for (int i = 0; i < c->argc; i++) argv[i] = c->argv[i];
    if (c->cmd->proc != pexpireatCommand) argv[0] = (Arg){"PEXPIREAT", 9};
    if (converted) argv[2] = (Arg){num, (size_t)snprintf(num, sizeof(num), "%lld", when)};
    propagateReplace(c, c->argc, argv);
    kvFree(argv);
}

/* The four commands: the time argument is relative to `basetime` (ms; 0 for
 * the *AT forms), in seconds when `seconds`. A time already in the past
 * deletes the key and still replies 1, as Redis. */
static void expireGenericCommand(Client *c, long long basetime, bool seconds) {
    const Arg *key = &c->argv[1];
    int flags;
    long long when;
    if (!parseExpireFlagsOrReply(c, &flags)) return;
    if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &when)) {
        addReplyError(c, errNotInteger);
        return;
    }
    /* Negative times are allowed; only overflow of the unit conversion or of
     * the addition of basetime is refused. */
    if (seconds) {
        if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) {
            replyInvalidExpireTime(c);
            return;
        }
        when *= 1000;
    }
    if (when > LLONG_MAX - basetime) {
        replyInvalidExpireTime(c);
        return;
    }
    when += basetime;

    Object *o = dbLookupWrite(c->db, key->ptr, key->len);
    if (!o) {
        addReplyLongLong(c, 0);
        return;
    }
    if (flags && !expireConditionHolds(flags, objGetExpire(o), when)) {
        addReplyLongLong(c, 0);
        return;
    }
    /* While the AOF is replayed a past time is set, not acted on (the
     * file's own DEL follows, as Redis's checkAlreadyExpired). */
    if (when <= serverNowMs() && !aofLoading()) {
        /* TODO(replication): a replica keeps the key and waits for the
         * master's DEL. */
        dbDeleteLazy(c->db, key->ptr, key->len, config.lazyfreeLazyExpire);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
        Arg del[2] = {
            {config.lazyfreeLazyExpire ? "UNLINK" : "DEL", config.lazyfreeLazyExpire ? 6u : 3u},
            *key};
        propagateReplace(c, 2, del);
    } else {
        dbSetExpire(c->db, o, when);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key->ptr, key->len, c->db->id);
        expirePropagateAbsolute(c, when, basetime != 0 || seconds);
    }
    dbSignalModified(c->db, key->ptr, key->len);
    addReplyLongLong(c, 1);
}

void expireCommand(Client *c) {
    expireGenericCommand(c, serverNowMs(), true);
}

void pexpireCommand(Client *c) {
    expireGenericCommand(c, serverNowMs(), false);
}

void expireatCommand(Client *c) {
    expireGenericCommand(c, 0, true);
}

void pexpireatCommand(Client *c) {
    expireGenericCommand(c, 0, false);
}

/* ---- TTL PTTL EXPIRETIME PEXPIRETIME PERSIST ---- */

long long expireGetTtlMs(const Object *o) {
    long long when = objGetExpire(o);
    if (when == -1) return -1;
    long long ttl = when - serverNowMs();
    return ttl < 0 ? 0 : ttl;
}

/* -2 for a missing key, -1 for no expire time; otherwise the remaining time
 * (or, with absolute, the expire time itself) in ms or in seconds rounded to
 * the nearest second, as Redis 7.0 does. */
static void ttlGenericCommand(Client *c, bool ms, bool absolute) {
    Object *o = dbLookupNoTouch(c->db, c->argv[1].ptr, c->argv[1].len);
    /* Redis reads the key with LOOKUP_NOTOUCH: counted, not touched. */
    if (!o) {
        stats.keyspaceMisses++;
        notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", c->argv[1].ptr, c->argv[1].len, c->db->id);
        addReplyLongLong(c, -2);
        return;
    }
    stats.keyspaceHits++;
    long long when = objGetExpire(o);
    if (when == -1) {
        addReplyLongLong(c, -1);
        return;
    }
    long long t = absolute ? when : when - serverNowMs();
    if (t < 0) t = 0;
    addReplyLongLong(c, ms ? t : (t + 500) / 1000);
}

void ttlCommand(Client *c) {
    ttlGenericCommand(c, false, false);
}

void pttlCommand(Client *c) {
    ttlGenericCommand(c, true, false);
}

void expiretimeCommand(Client *c) {
    ttlGenericCommand(c, false, true);
}

void pexpiretimeCommand(Client *c) {
    ttlGenericCommand(c, true, true);
}

void persistCommand(Client *c) {
    const Arg *key = &c->argv[1];
    Object *o = dbLookupWrite(c->db, key->ptr, key->len);
    if (!o || !o->hasExpire) {
        addReplyLongLong(c, 0);
        return;
    }
    dbRemoveExpire(c->db, o);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key->ptr, key->len, c->db->id);
    dbSignalModified(c->db, key->ptr, key->len);
    addReplyLongLong(c, 1);
}

/* ---- the active expiry cycle ---- */

#define ACTIVE_EXPIRE_KEYS_PER_LOOP     20   /* keys sampled per db per round */
#define ACTIVE_EXPIRE_FAST_DURATION     1000 /* us */
#define ACTIVE_EXPIRE_SLOW_TIME_PERCENT 25   /* of the cron period */
#define ACTIVE_EXPIRE_ACCEPTABLE_STALE  10   /* % of expired keys tolerated */
#define ACTIVE_EXPIRE_DBS_PER_CALL      16
#define DICT_MIN_BUCKETS                4

/* Fraction (0..1) of sampled keys found expired, as a moving average. */
static double staleFraction = 0;
static long long cycleTimeUsedUs = 0;

double expireStalePercent(void) {
    return staleFraction * 100;
}

long long expireCycleTimeUsedUs(void) {
    return cycleTimeUsedUs;
}

static long long monotonicUs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Objects whose expire entries one dictScan step visited. Deleting while
 * dictScan runs is legal, but collecting first keeps the callback free of
 * side effects whatever deletion grows to do (notifications, propagation). */
typedef struct ExpireBatch {
    Object **items;
    size_t len, cap;
} ExpireBatch;

static void expireCollect(void *priv, DictLink *l) {
    ExpireBatch *b = priv;
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->items = kvRealloc(b->items, b->cap * sizeof(Object *));
    }
    b->items[b->len++] = ((ExpireEntry *)l)->obj;
}

/* Tuning derived from active-expire-effort (1..10), as Redis does. */
typedef struct ExpireTuning {
    unsigned long keysPerLoop;
    long long fastDurationUs;
    long long slowTimePercent;
    unsigned long acceptableStale;
} ExpireTuning;

static ExpireTuning expireTuning(void) {
    long effort = config.activeExpireEffort - 1;
    if (effort < 0) effort = 0;
    if (effort > 9) effort = 9;
    ExpireTuning t;
    t.keysPerLoop = ACTIVE_EXPIRE_KEYS_PER_LOOP + ACTIVE_EXPIRE_KEYS_PER_LOOP / 4 * effort;
    t.fastDurationUs = ACTIVE_EXPIRE_FAST_DURATION + ACTIVE_EXPIRE_FAST_DURATION / 4 * effort;
    t.slowTimePercent = ACTIVE_EXPIRE_SLOW_TIME_PERCENT + 2 * effort;
    t.acceptableStale = (unsigned long)(ACTIVE_EXPIRE_ACCEPTABLE_STALE - effort);
    return t;
}

/* One sampling round on db: looks at up to keysPerLoop keys of its expires
 * dict from the saved cursor and deletes the expired ones. Returns false
 * when the db has nothing worth sampling (empty or very sparse table). */
static bool expireSampleDb(Db *db, const ExpireTuning *t, ExpireBatch *batch,
                           unsigned long *sampledOut, unsigned long *expiredOut) {
    unsigned long num = dictSize(db->expires);
    *sampledOut = *expiredOut = 0;
    if (num == 0) {
        db->avgTtl = 0;
        return false;
    }
    /* Under 1% fill, sampling is too costly; the table is shrunk by cron. */
    size_t slots = dictBuckets(db->expires);
    if (slots > DICT_MIN_BUCKETS && num * 100 / slots < 1) return false;
    if (num > t->keysPerLoop) num = t->keysPerLoop;

    long long now = serverNowMs();
    long long ttlSum = 0;
    long ttlSamples = 0;
    unsigned long sampled = 0, expired = 0;
    unsigned long maxBuckets = num * 20, checkedBuckets = 0;
    while (sampled < num && checkedBuckets < maxBuckets) {
        batch->len = 0;
        db->expiresCursor = dictScan(db->expires, db->expiresCursor, expireCollect, batch);
        checkedBuckets++;
        for (size_t i = 0; i < batch->len; i++) {
            Object *o = batch->items[i];
            long long ttl = objGetExpire(o) - now;
            sampled++;
            /* Deleting frees o (and only o): read everything first. */
            if (dbExpireIfNeeded(db, o)) {
                expired++;
            } else if (ttl > 0) {
                ttlSum += ttl;
                ttlSamples++;
            }
        }
        if (dictSize(db->expires) == 0) break;
    }
    if (ttlSamples) {
        long long avg = ttlSum / ttlSamples;
        /* A slowly moving average, weighted like Redis's. */
        if (db->avgTtl == 0) db->avgTtl = avg;
        db->avgTtl = (db->avgTtl / 50) * 49 + (avg / 50);
    }
    *sampledOut = sampled;
    *expiredOut = expired;
    return true;
}

void expireActiveCycle(int type) {
    static unsigned int currentDb = 0;
    static bool timelimitExit = false;
    static long long lastFastCycle = 0;
    static ExpireBatch batch = {NULL, 0, 0};

    if (!config.activeExpireEnabled) return;
    /* Expiring deletes keys: not while writes are paused (CLIENT PAUSE). */
    if (clientsArePaused(true)) return;

    ExpireTuning t = expireTuning();
    /* Only when the last cycle ran out of time or many stale keys are
     * estimated. Redis 7.0 compares its stale *fraction* (0..1) with the
     * acceptable *percentage*, so in practice only the time limit starts a
     * fast cycle; we keep that behaviour. Checked before reading the clock:
     * this runs on every event-loop turn. */
    if (type == ACTIVE_EXPIRE_CYCLE_FAST && !timelimitExit &&
        staleFraction < (double)t.acceptableStale)
        return;
    long long start = monotonicUs();
    if (type == ACTIVE_EXPIRE_CYCLE_FAST) {
        if (start < lastFastCycle + t.fastDurationUs * 2) return;
        lastFastCycle = start;
    }

    int dbNum = dbCount();
    if (dbNum <= 0) return;
    int dbsPerCall = ACTIVE_EXPIRE_DBS_PER_CALL;
    /* After a cycle that ran out of time, visit every db. */
    if (dbsPerCall > dbNum || timelimitExit) dbsPerCall = dbNum;

    int hz = config.hz > 0 ? config.hz : 10;
    long long timelimit = t.slowTimePercent * 1000000 / hz / 100;
    if (timelimit <= 0) timelimit = 1;
    if (type == ACTIVE_EXPIRE_CYCLE_FAST) timelimit = t.fastDurationUs;
    timelimitExit = false;

    unsigned long totalSampled = 0, totalExpired = 0;
    int iteration = 0;
    for (int j = 0; j < dbsPerCall && !timelimitExit; j++) {
        Db *db = dbGet((int)(currentDb % (unsigned int)dbNum));
        currentDb++;
        unsigned long sampled, expired;
        /* Keep sampling this db while more than the acceptable share of the
         * sampled keys had expired: there are probably many more. */
        do {
            iteration++;
            if (!expireSampleDb(db, &t, &batch, &sampled, &expired)) break;
            totalSampled += sampled;
            totalExpired += expired;
            if ((iteration & 0xf) == 0 && monotonicUs() - start > timelimit) {
                timelimitExit = true;
                stats.expiredTimeCapReached++;
                break;
            }
        } while (sampled == 0 || expired * 100 / sampled > t.acceptableStale);
    }

    cycleTimeUsedUs += monotonicUs() - start;
    double current = totalSampled ? (double)totalExpired / (double)totalSampled : 0;
    staleFraction = current * 0.05 + staleFraction * 0.95;
}
