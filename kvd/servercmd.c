/* servercmd.c — server-level commands of Redis 7.0 that are not a module of
 * their own: TIME, LASTSAVE, SHUTDOWN and the MEMORY family (USAGE, STATS,
 * DOCTOR, MALLOC-STATS, PURGE, HELP).
 *
 * MEMORY's figures come from info.c's accounting (infoMemoryOverhead) so
 * INFO memory and MEMORY STATS always agree. MALLOC-STATS and PURGE talk to
 * jemalloc when kvd is built with it (KV_NO_JEMALLOC marks the sanitizer
 * builds, which use the C library's allocator).
 */
#include "client.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "info.h"
#include "mem.h"
#include "numconv.h"
#include "object.h"
#include "reply.h"
#include "script.h"
#include "server.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#ifndef KV_NO_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

/* ------------------------------------------------------------------------
 * TIME, LASTSAVE
 * ---------------------------------------------------------------------- */

/* TIME: the cached clock, as Redis 7.0 (seconds, microseconds) as bulks. */
void timeCommand(Client *c) {
    long long us = serverNowUs();
    addReplyArrayLen(c, 2);
    addReplyBulkLongLong(c, us / 1000000);
    addReplyBulkLongLong(c, us % 1000000);
}

void lastsaveCommand(Client *c) {
    addReplyLongLong(c, stats.lastSaveTime);
}

/* ------------------------------------------------------------------------
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
 * ---------------------------------------------------------------------- */

void shutdownCommand(Client *c) {
    int flags = SHUTDOWN_NOFLAGS;
    bool abortShutdown = false;
    for (int j = 1; j < c->argc; j++) {
        const Arg *a = &c->argv[j];
        if (argIs(a, "nosave"))
            flags |= SHUTDOWN_NOSAVE;
        else if (argIs(a, "save"))
            flags |= SHUTDOWN_SAVE;
        else if (argIs(a, "now"))
            flags |= SHUTDOWN_NOW;
        else if (argIs(a, "force"))
            flags |= SHUTDOWN_FORCE;
        else if (argIs(a, "abort"))
            abortShutdown = true;
        else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    if ((abortShutdown && flags != SHUTDOWN_NOFLAGS) ||
        ((flags & SHUTDOWN_NOSAVE) && (flags & SHUTDOWN_SAVE))) {
        addReplyError(c, errSyntax);
        return;
    }
    if (abortShutdown) {
        /* A shutdown only waits (for lagging replicas) once replication
         * exists; until then there is never one in progress to abort. */
        addReplyError(c, "ERR No shutdown in progress.");
        return;
    }
    /* While a script is busy only SHUTDOWN NOSAVE may stop the server. */
    if (!(flags & SHUTDOWN_NOSAVE) && scriptIsTimedOut()) {
        addReplyError(c, scriptBusyError());
        return;
    }
    const char *why = NULL;
    if (serverShutdown(flags, &why)) return; /* Redis exits without replying */
    addReplyError(c, why ? why : "ERR Errors trying to SHUTDOWN. Check logs.");
}

/* ------------------------------------------------------------------------
 * MEMORY
 * ---------------------------------------------------------------------- */

/* MEMORY USAGE <key> [SAMPLES <count>] */
void memoryUsageCommand(Client *c) {
    long long samples = 5;
    for (int j = 3; j < c->argc; j++) {
        if (argIs(&c->argv[j], "samples") && j + 1 < c->argc) {
            if (!strToLongLong(c->argv[j + 1].ptr, c->argv[j + 1].len, &samples)) {
                addReplyError(c, errNotInteger);
                return;
            }
            if (samples < 0) {
                addReplyError(c, errSyntax);
                return;
            }
            if (samples == 0) samples = LLONG_MAX;
            j++;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    /* Strings are measured exactly; the collection types that arrive later
     * report their size through objRegisterType's size function. */
    (void)samples;
    /* Redis 7.0 looks in the table directly: no expiry, no hit/miss count. */
    Object *o = dbFindRaw(c->db, c->argv[2].ptr, c->argv[2].len);
    if (!o) {
        addReplyNull(c);
        return;
    }
    /* The Object holds the key too; add its slot in the table's buckets. */
    addReplyLongLong(c, (long long)(objMemoryUsage(o) + sizeof(void *)));
}

/* MEMORY STATS: Redis's field list and order. */
void memoryStatsCommand(Client *c) {
    InfoMemoryOverhead mh;
    infoMemoryOverhead(&mh);
    addReplyMapLen(c, 27 + mh.dbCount);

    addReplyBulkCString(c, "peak.allocated");
    addReplyLongLong(c, (long long)mh.peakAllocated);
    addReplyBulkCString(c, "total.allocated");
    addReplyLongLong(c, (long long)mh.totalAllocated);
    addReplyBulkCString(c, "startup.allocated");
    addReplyLongLong(c, (long long)mh.startupAllocated);
    addReplyBulkCString(c, "replication.backlog");
    addReplyLongLong(c, (long long)mh.replBacklog);
    addReplyBulkCString(c, "clients.slaves");
    addReplyLongLong(c, (long long)mh.clientsReplicas);
    addReplyBulkCString(c, "clients.normal");
    addReplyLongLong(c, (long long)mh.clientsNormal);
    addReplyBulkCString(c, "cluster.links");
    addReplyLongLong(c, 0);
    addReplyBulkCString(c, "aof.buffer");
    addReplyLongLong(c, (long long)mh.aofBuffer);
    addReplyBulkCString(c, "lua.caches");
    addReplyLongLong(c, (long long)mh.luaCaches);
    addReplyBulkCString(c, "functions.caches");
    addReplyLongLong(c, (long long)mh.functionsCaches);

    for (int j = 0; j < mh.dbCount; j++) {
        char name[32];
        snprintf(name, sizeof(name), "db.%d", mh.db[j].dbid);
        addReplyBulkCString(c, name);
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "overhead.hashtable.main");
        addReplyLongLong(c, (long long)mh.db[j].overheadMain);
        addReplyBulkCString(c, "overhead.hashtable.expires");
        addReplyLongLong(c, (long long)mh.db[j].overheadExpires);
        addReplyBulkCString(c, "overhead.hashtable.slot-to-keys");
        addReplyLongLong(c, 0);
    }

    addReplyBulkCString(c, "overhead.total");
    addReplyLongLong(c, (long long)mh.overheadTotal);
    addReplyBulkCString(c, "keys.count");
    addReplyLongLong(c, (long long)mh.totalKeys);
    addReplyBulkCString(c, "keys.bytes-per-key");
    addReplyLongLong(c, (long long)mh.bytesPerKey);
    addReplyBulkCString(c, "dataset.bytes");
    addReplyLongLong(c, (long long)mh.datasetBytes);
    addReplyBulkCString(c, "dataset.percentage");
    addReplyDouble(c, mh.datasetPerc);
    addReplyBulkCString(c, "peak.percentage");
    addReplyDouble(c, mh.peakPerc);
    addReplyBulkCString(c, "allocator.allocated");
    addReplyLongLong(c, (long long)mh.allocatorAllocated);
    addReplyBulkCString(c, "allocator.active");
    addReplyLongLong(c, (long long)mh.allocatorActive);
    addReplyBulkCString(c, "allocator.resident");
    addReplyLongLong(c, (long long)mh.allocatorResident);
    addReplyBulkCString(c, "allocator-fragmentation.ratio");
    addReplyDouble(c, mh.allocatorFrag);
    addReplyBulkCString(c, "allocator-fragmentation.bytes");
    addReplyLongLong(c, mh.allocatorFragBytes);
    addReplyBulkCString(c, "allocator-rss.ratio");
    addReplyDouble(c, mh.allocatorRss);
    addReplyBulkCString(c, "allocator-rss.bytes");
    addReplyLongLong(c, mh.allocatorRssBytes);
    addReplyBulkCString(c, "rss-overhead.ratio");
    addReplyDouble(c, mh.rssExtra);
    addReplyBulkCString(c, "rss-overhead.bytes");
    addReplyLongLong(c, mh.rssExtraBytes);
    addReplyBulkCString(c, "fragmentation");
    addReplyDouble(c, mh.totalFrag);
    addReplyBulkCString(c, "fragmentation.bytes");
    addReplyLongLong(c, mh.totalFragBytes);

    infoMemoryOverheadFree(&mh);
}

/* MEMORY DOCTOR: the checks of Redis's memory doctor (thresholds as
 * Redis's); the two fixed answers use Redis's words, the issue
 * descriptions are our own. */
void memoryDoctorCommand(Client *c) {
    InfoMemoryOverhead mh;
    infoMemoryOverhead(&mh);
    dstr s;
    const size_t mb10 = 10 << 20;
    if (mh.totalAllocated < 5 * 1024 * 1024) {
        s = dstrNew("Hi Sam, this instance is empty or is using very little memory, my issues "
                    "detector can't be used in these conditions. Please, leave for your mission "
                    "on Earth and fill it with some data. The new Sam and I will be back to our "
                    "programming as soon as I finished rebooting.\n");
    } else {
        dstr issues = dstrEmpty();
        if (mh.totalAllocated && (float)mh.peakAllocated / (float)mh.totalAllocated > 1.5f)
            issues =
                dstrCat(issues, " * Peak memory: at some point memory use was more than 150% of "
                                "what it is now. The allocator may not be able to hand the "
                                "difference back to the system, so the RSS can stay high; "
                                "MEMORY PURGE may help.\n\n");
        if (mh.totalFrag > 1.4f && mh.totalFragBytes > (long long)mb10)
            issues =
                dstrCat(issues, " * High total RSS: the process holds more than 140% of the memory "
                                "it uses (see mem_fragmentation_ratio in INFO memory).\n\n");
        if (mh.allocatorFrag > 1.1f && mh.allocatorFragBytes > (long long)mb10)
            issues =
                dstrCat(issues, " * High allocator fragmentation: the allocator's active pages "
                                "exceed what is allocated by more than 10%.\n\n");
        if (mh.allocatorRss > 1.1f && mh.allocatorRssBytes > (long long)mb10)
            issues =
                dstrCat(issues, " * High allocator RSS overhead: the allocator keeps more than 10% "
                                "of resident memory it does not use; MEMORY PURGE may help.\n\n");
        if (mh.rssExtra > 1.1f && mh.rssExtraBytes > (long long)mb10)
            issues =
                dstrCat(issues, " * High process RSS overhead: memory outside the allocator is "
                                "more than 10% of the RSS.\n\n");
        unsigned long clients = clientCount();
        if (clients && mh.clientsNormal / clients > 200 * 1024)
            issues =
                dstrCat(issues, " * Big client buffers: clients use more than 200k each on "
                                "average; check CLIENT LIST for large qbuf or omem values.\n\n");
        if (dstrLen(issues) == 0) {
            s = dstrNew("Hi Sam, I can't find any memory issue in your instance. I can only "
                        "account for what occurs on this base.\n");
        } else {
            s = dstrNew("Sam, I detected a few issues in this instance's memory:\n\n");
            s = dstrCatLen(s, issues, dstrLen(issues));
            s = dstrCat(s, "I'm here to keep you safe, Sam. I want to help you.\n");
        }
        dstrFree(issues);
    }
    addReplyVerbatim(c, s, dstrLen(s), "txt");
    dstrFree(s);
    infoMemoryOverheadFree(&mh);
}

#ifndef KV_NO_JEMALLOC
static void memoryStatsWrite(void *opaque, const char *text) {
    dstr *out = opaque;
    *out = dstrCat(*out, text);
}
#endif

void memoryMallocStatsCommand(Client *c) {
#ifndef KV_NO_JEMALLOC
    /* Fresh numbers: jemalloc caches its statistics per epoch. */
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    dstr out = dstrEmpty();
    malloc_stats_print(memoryStatsWrite, &out, NULL);
    addReplyVerbatim(c, out, dstrLen(out), "txt");
    dstrFree(out);
#else
    static const char msg[] = "Stats not supported for the current allocator";
    addReplyVerbatim(c, msg, sizeof(msg) - 1, "txt");
#endif
}

/* MEMORY PURGE: returns jemalloc's dirty pages of every arena to the
 * system ("arena.<narenas>.purge" means all arenas). */
void memoryPurgeCommand(Client *c) {
#ifndef KV_NO_JEMALLOC
    unsigned narenas = 0;
    size_t sz = sizeof(narenas);
    if (mallctl("arenas.narenas", &narenas, &sz, NULL, 0) == 0) {
        char name[64];
        snprintf(name, sizeof(name), "arena.%u.purge", narenas);
        if (mallctl(name, NULL, NULL, NULL, 0) == 0) {
            addReplyOk(c);
            return;
        }
    }
    addReplyError(c, "ERR Error purging dirty pages");
#else
    addReplyOk(c);
#endif
}

void memoryHelpCommand(Client *c) {
    static const char *help[] = {
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        NULL};
    addReplyHelp(c, help);
}
