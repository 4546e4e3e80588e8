/* clienteviction.c — client eviction (maxmemory-clients) and the running
 * sums of client memory behind INFO mem_clients_normal (see the header).
 *
 * Design
 * ------
 * Each client carries the memory it was last measured at (memUsage) and the
 * client type that memory is summed under (memType); typeMemory[] holds the
 * sums. Re-measuring (clientEvictionUpdate) subtracts the old figure and adds
 * the new one: O(1), no walk over the clients.
 *
 * Evictable clients (not NO-EVICT, not a replica or master link) are also
 * linked into one of BUCKETS doubly linked lists by size class: bucket b
 * holds clients using [2^(b+MIN_LOG), 2^(b+MIN_LOG+1)) bytes, bucket 0 also
 * everything smaller, the last bucket everything bigger. Moving a client
 * between buckets is O(1); finding a biggest client is a look at the
 * non-empty bucket of the highest index (BUCKETS is a small constant). Like
 * Redis, eviction is biggest first to within a factor of two: inside one
 * bucket clients go in list order (the most recently moved first).
 *
 * Invariants: memCounted ⇔ memUsage is included in typeMemory[memType];
 * memBucketed ⇔ the client is linked in bucketHead[memBucket]; a bucketed
 * client is counted. Fake clients are never counted; a client is forgotten
 * (neither) from the moment it is scheduled for closing, so its memory,
 * about to be given back, no longer pushes others out.
 *
 * When measured: while maxmemory-clients is set, after each read, each
 * command, output appended for other clients (pub/sub, MONITOR), each write
 * of replies and streamed reply chunk; always on connection, on CLIENT
 * NO-EVICT, and for every client in clientsCron (the only refresh while
 * eviction is off or for NO-EVICT clients, as in Redis 7.0).
 *
 * When checked: before each command a client runs (as Redis's
 * processCommand, so a client that grew past the limit is closed before it
 * grows more) and before the event loop sleeps (which covers a query buffer
 * growing with a partly received request, output that piled up while the
 * loop ran, and CONFIG SET lowering the limit).
 *
 * As in Redis 7.0, the amount compared with the limit is the memory of all
 * normal and pub/sub clients, NO-EVICT ones included (they are protected,
 * not free); replicas and the master link are not counted.
 */
#include "clienteviction.h"

#include "conf.h"
#include "config.h"
#include "log.h"
#include "numconv.h"
#include "server.h"

#include <string.h>

#define BUCKET_MIN_LOG 15 /* bucket 0: below 64 KB */
#define BUCKETS        20 /* the last one: 16 GB and more */

/* The configured value: bytes when > 0, minus a percentage of maxmemory
 * when < 0 (Redis stores it the same way), 0 for off. */
static long long maxmemoryClients = 0;

static size_t typeMemory[CLIENT_TYPE_MASTER + 1];
static Client *bucketHead[BUCKETS];
static unsigned long long evictedClients = 0;
static long long lastOverWarningMs = 0;

/* ---- configuration ---- */

static const char *errMemoryOrPercent = "argument must be a memory or percent value";

bool clientEvictionConfigSet(int argc, char **argv, const char **err) {
    if (argc != 1) {
        *err = "wrong number of arguments";
        return false;
    }
    const char *v = argv[0];
    size_t len = strlen(v);
    long long value;
    if (len > 0 && v[len - 1] == '%') {
        long long percent;
        if (!strToLongLong(v, len - 1, &percent) || percent < 0) {
            *err = errMemoryOrPercent;
            return false;
        }
        value = -percent;
    } else {
        unsigned long long bytes;
        if (!confParseMemory(v, &bytes)) {
            *err = errMemoryOrPercent;
            return false;
        }
        /* Redis 7.0 quirk, kept: a byte count past LLONG_MAX wraps to a
         * negative number, which then reads as a percentage over 100. */
        value = (long long)bytes;
    }
    if (value < -100) {
        *err = "percentage argument must be less or equal to 100";
        return false;
    }
    maxmemoryClients = value;
    return true;
}

dstr clientEvictionConfigGet(dstr out) {
    if (maxmemoryClients < 0) return dstrCatPrintf(out, "%lld%%", -maxmemoryClients);
    return dstrCatPrintf(out, "%lld", maxmemoryClients);
}

bool clientEvictionActive(void) {
    return maxmemoryClients != 0;
}

bool clientEvictionApplyConfig(const char **err) {
    (void)err;
    if (!clientEvictionActive()) return true;
    /* Figures may be up to a cron tick old: measure everyone now. */
    for (Client *c = clientFirst(); c; c = c->next) clientEvictionUpdate(c);
    return true;
}

size_t clientEvictionLimit(void) {
    unsigned long long limit;
    if (maxmemoryClients > 0) {
        limit = (unsigned long long)maxmemoryClients;
    } else if (maxmemoryClients < 0 && config.maxmemory > 0) {
        limit = (unsigned long long)((double)config.maxmemory * (double)-maxmemoryClients / 100);
    } else {
        return 0;
    }
    if (limit < CLIENT_EVICTION_MIN_LIMIT) limit = CLIENT_EVICTION_MIN_LIMIT;
    return limit > SIZE_MAX ? SIZE_MAX : (size_t)limit;
}

/* ---- sums and buckets ---- */

static int bucketOf(size_t mem) {
    int log2 = 0;
    while (log2 < 63 && (mem >> (log2 + 1)) != 0) log2++;
    int b = log2 - BUCKET_MIN_LOG;
    if (b < 0) return 0;
    return b >= BUCKETS ? BUCKETS - 1 : b;
}

static void bucketUnlink(Client *c) {
    if (c->bucketPrev)
        c->bucketPrev->bucketNext = c->bucketNext;
    else
        bucketHead[c->memBucket] = c->bucketNext;
    if (c->bucketNext) c->bucketNext->bucketPrev = c->bucketPrev;
    c->bucketPrev = c->bucketNext = NULL;
    c->memBucketed = false;
}

static void bucketLink(Client *c, int b) {
    c->memBucket = b;
    c->bucketPrev = NULL;
    c->bucketNext = bucketHead[b];
    if (bucketHead[b]) bucketHead[b]->bucketPrev = c;
    bucketHead[b] = c;
    c->memBucketed = true;
}

void clientEvictionForget(Client *c) {
    if (c->memBucketed) bucketUnlink(c);
    if (c->memCounted) {
        typeMemory[c->memType] -= c->memUsage;
        c->memCounted = false;
    }
}

static bool clientIsEvictable(const Client *c, int type) {
    return !(c->flags & CLIENT_NO_EVICT) && type != CLIENT_TYPE_REPLICA &&
           type != CLIENT_TYPE_MASTER;
}

void clientEvictionUpdate(Client *c) {
    if (c->flags & (CLIENT_FAKE | CLIENT_CLOSE_ASAP)) {
        clientEvictionForget(c);
        return;
    }
    size_t mem = clientMemoryUsage(c);
    int type = clientTypeOf(c);
    if (c->memCounted) typeMemory[c->memType] -= c->memUsage;
    typeMemory[type] += mem;
    c->memUsage = mem;
    c->memType = type;
    c->memCounted = true;
    int b = clientIsEvictable(c, type) ? bucketOf(mem) : -1;
    if (c->memBucketed && c->memBucket != b) bucketUnlink(c);
    if (b >= 0 && !c->memBucketed) bucketLink(c, b);
}

size_t clientEvictionNormalMemory(void) {
    return typeMemory[CLIENT_TYPE_NORMAL] + typeMemory[CLIENT_TYPE_PUBSUB];
}

size_t clientEvictionReplicaMemory(void) {
    return typeMemory[CLIENT_TYPE_REPLICA];
}

/* ---- eviction ---- */

static void clientEvict(Client *c) {
    dstr info = clientInfoLine(c, dstrEmpty());
    logMsg(LL_NOTICE, "Evicting client: %s", info);
    dstrFree(info);
    evictedClients++;
    clientFreeAsync(c); /* forgets it: the sums drop now */
}

bool clientEvictionRun(Client *current) {
    size_t limit = clientEvictionLimit();
    if (limit == 0 || clientEvictionNormalMemory() < limit) return false;
    bool evictedCurrent = false;
    int b = BUCKETS - 1;
    while (clientEvictionNormalMemory() >= limit) {
        while (b >= 0 && !bucketHead[b]) b--;
        if (b < 0) {
            /* Only protected clients are left. Redis logs this every time;
             * once a minute says the same without flooding the log. */
            long long now = serverNowMs();
            if (lastOverWarningMs == 0 || now - lastOverWarningMs > 60000) {
                logMsg(LL_WARNING, "Over client maxmemory after evicting all evictable clients");
                lastOverWarningMs = now;
            }
            break;
        }
        Client *c = bucketHead[b];
        /* Its figure may be stale (output written since): measure again and
         * evict it only if it still belongs up here. A client that shrank
         * moves to a lower bucket, so the loop ends. */
        size_t before = c->memUsage;
        clientEvictionUpdate(c);
        if (c->memBucketed && (c->memBucket == b || c->memUsage >= before)) {
            if (c == current) evictedCurrent = true;
            clientEvict(c);
        }
    }
    return evictedCurrent;
}

/* One line per bucket in Redis 7.0's DEBUG CLIENT-EVICTION layout, with
 * kvd's own bucket bounds (Redis has 19 buckets, the first ending at 32 KB;
 * ours are BUCKETS, the first ending at 64 KB). O(clients). */
dstr clientEvictionBucketsReport(dstr out) {
    for (int b = 0; b < BUCKETS; b++) {
        size_t sum = 0;
        unsigned long count = 0;
        for (Client *c = bucketHead[b]; c; c = c->bucketNext) {
            sum += c->memUsage;
            count++;
        }
        size_t low = b == 0 ? 0 : (size_t)1 << (b + BUCKET_MIN_LOG);
        out = dstrCatPrintf(out, "bucket %10zu", low);
        if (b == BUCKETS - 1)
            out = dstrCat(out, "+            : ");
        else
            out = dstrCatPrintf(out, " - %10zu: ", ((size_t)1 << (b + BUCKET_MIN_LOG + 1)) - 1);
        out = dstrCatPrintf(out, "tot-mem: %10zu, clients: %lu\n", sum, count);
    }
    return out;
}

unsigned long long clientEvictionEvictedCount(void) {
    return evictedClients;
}

void clientEvictionResetStats(void) {
    evictedClients = 0;
}
