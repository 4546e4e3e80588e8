/* info.c — the INFO command: Redis 7.0's sections, field names, order and
 * layout, with kvd's real values, plus the samplers INFO needs (memory peak,
 * instantaneous rates, per-command latency histograms) and the memory
 * accounting shared with MEMORY STATS / DOCTOR (infoMemoryOverhead).
 *
 * Layout (byte for byte as Redis): each selected section is "# Title\r\n"
 * followed by "name:value\r\n" lines; sections are separated by one "\r\n";
 * no selected section means an empty string. The reply is a verbatim string
 * ("txt") in RESP3, a bulk string in RESP2.
 *
 * Fields that belong to subsystems kvd does not have yet (persistence
 * children, AOF, replicas, pub/sub, Lua, tracking, defrag…) are printed with
 * the value Redis prints when that subsystem is idle, which is also kvd's
 * true state; the module that brings the subsystem replaces the constant.
 * Beyond Redis we add one line, kvd_version, after redis_version.
 *
 * Latencystats: Redis keeps an HDR histogram per command (1 ns .. 1 s, two
 * significant digits) and prints percentiles as the highest value of the
 * bucket that holds them. We keep the same bucket layout (log-linear: 23
 * power-of-two buckets of 128 linear sub-buckets) so the printed values are
 * the ones Redis would print for the same durations.
 */
#include "info.h"

#include "eval.h"
#include "function.h"

#include "aof.h"
#include "blocking.h"
#include "client.h"
#include "clienteviction.h"
#include "rdb.h"
#include "command.h"
#include "config.h"
#include "db.h"
#include "evict.h"
#include "expire.h"
#include "lazyfree.h"
#include "mem.h"
#include "pubsub.h"
#include "reply.h"
#include "server.h"
#include "tracking.h"

#include <event2/event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef KV_NO_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

/* ------------------------------------------------------------------------
 * Memory: peak, startup, allocator figures, overhead
 * ---------------------------------------------------------------------- */

static size_t memPeak = 0;
static size_t memStartup = 0;
static bool memStartupKnown = false;

void infoUpdateMemoryPeak(void) {
    size_t used = kvMemUsed();
    if (!memStartupKnown) {
        memStartup = used;
        memStartupKnown = true;
    }
    if (used > memPeak) memPeak = used;
}

size_t infoMemoryPeak(void) {
    infoUpdateMemoryPeak();
    return memPeak;
}

/* Allocator figures: jemalloc's allocated/active/resident after an epoch
 * refresh, or, without jemalloc, our count and the RSS. */
static void infoAllocatorStats(size_t *allocated, size_t *active, size_t *resident) {
    *allocated = kvMemUsed();
    *active = *allocated;
    *resident = kvMemRss();
#ifndef KV_NO_JEMALLOC
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    size_t v;
    sz = sizeof(v);
    if (mallctl("stats.allocated", &v, &sz, NULL, 0) == 0) *allocated = v;
    sz = sizeof(v);
    if (mallctl("stats.active", &v, &sz, NULL, 0) == 0) *active = v;
    sz = sizeof(v);
    if (mallctl("stats.resident", &v, &sz, NULL, 0) == 0) *resident = v;
#endif
}

static float infoRatio(size_t a, size_t b) {
    return b ? (float)a / (float)b : 0;
}

void infoMemoryOverhead(InfoMemoryOverhead *mh) {
    memset(mh, 0, sizeof(*mh));
    infoUpdateMemoryPeak();
    mh->totalAllocated = kvMemUsed();
    mh->peakAllocated = memPeak;
    mh->startupAllocated = memStartup;
    /* Running sums of clientMemoryUsage (clienteviction.c), as Redis's. */
    mh->clientsNormal = clientEvictionNormalMemory();
    mh->clientsReplicas = clientEvictionReplicaMemory();
    mh->aofBuffer = aofBufferSize();
    size_t overhead = mh->startupAllocated + mh->replBacklog + mh->clientsReplicas +
                      mh->clientsNormal + mh->aofBuffer + mh->luaCaches + mh->functionsCaches;

    int n = dbCount();
    mh->db = kvCalloc(sizeof(*mh->db) * (size_t)(n > 0 ? n : 1));
    for (int j = 0; j < n; j++) {
        Db *db = dbGet(j);
        size_t keys = dictSize(db->keys);
        if (keys == 0) continue;
        /* Per key: the Object header (link, type, LRU, lengths) and its
         * bucket slot; per expire: its entry, slot and the 8-byte time. */
        size_t main = keys * sizeof(Object) + dictBuckets(db->keys) * sizeof(void *);
        size_t expires = dictSize(db->expires) * (sizeof(ExpireEntry) + 8) +
                         dictBuckets(db->expires) * sizeof(void *);
        mh->db[mh->dbCount].dbid = j;
        mh->db[mh->dbCount].overheadMain = main;
        mh->db[mh->dbCount].overheadExpires = expires;
        mh->dbCount++;
        overhead += main + expires;
        mh->totalKeys += keys;
    }
    mh->overheadTotal = overhead;
    mh->datasetBytes = mh->totalAllocated > overhead ? mh->totalAllocated - overhead : 0;

    size_t net =
        mh->totalAllocated > mh->startupAllocated ? mh->totalAllocated - mh->startupAllocated : 1;
    mh->bytesPerKey = mh->totalKeys ? net / mh->totalKeys : 0;
    mh->datasetPerc = (float)mh->datasetBytes * 100 / (float)net;
    mh->peakPerc = (float)mh->totalAllocated * 100 / (float)(memPeak ? memPeak : 1);

    infoAllocatorStats(&mh->allocatorAllocated, &mh->allocatorActive, &mh->allocatorResident);
    mh->processRss = kvMemRss();
    mh->allocatorFrag = infoRatio(mh->allocatorActive, mh->allocatorAllocated);
    mh->allocatorFragBytes = (long long)mh->allocatorActive - (long long)mh->allocatorAllocated;
    mh->allocatorRss = infoRatio(mh->allocatorResident, mh->allocatorActive);
    mh->allocatorRssBytes = (long long)mh->allocatorResident - (long long)mh->allocatorActive;
    mh->rssExtra = infoRatio(mh->processRss, mh->allocatorResident);
    mh->rssExtraBytes = (long long)mh->processRss - (long long)mh->allocatorResident;
    mh->totalFrag = infoRatio(mh->processRss, mh->totalAllocated);
    mh->totalFragBytes = (long long)mh->processRss - (long long)mh->totalAllocated;
}

void infoMemoryOverheadFree(InfoMemoryOverhead *mh) {
    kvFree(mh->db);
    mh->db = NULL;
}

void infoBytesToHuman(char *s, size_t size, unsigned long long n) {
    if (n < 1024)
        snprintf(s, size, "%lluB", n);
    else if (n < 1024ULL * 1024)
        snprintf(s, size, "%.2fK", (double)n / 1024);
    else if (n < 1024ULL * 1024 * 1024)
        snprintf(s, size, "%.2fM", (double)n / (1024 * 1024));
    else if (n < 1024ULL * 1024 * 1024 * 1024)
        snprintf(s, size, "%.2fG", (double)n / (1024ULL * 1024 * 1024));
    else if (n < 1024ULL * 1024 * 1024 * 1024 * 1024)
        snprintf(s, size, "%.2fT", (double)n / (1024ULL * 1024 * 1024 * 1024));
    else if (n < 1024ULL * 1024 * 1024 * 1024 * 1024 * 1024)
        snprintf(s, size, "%.2fP", (double)n / (1024ULL * 1024 * 1024 * 1024 * 1024));
    else
        snprintf(s, size, "%lluB", n);
}

static size_t infoTotalSystemMemory(void) {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (size_t)pages * (size_t)page : 0;
}

/* ------------------------------------------------------------------------
 * Instantaneous rates (Redis's trackInstantaneousMetric)
 * ---------------------------------------------------------------------- */

#define INST_SAMPLES 16
enum { INST_COMMANDS, INST_NET_INPUT, INST_NET_OUTPUT, INST_COUNT };

static struct {
    long long lastSampleTime; /* ms; 0 before the first sample */
    long long lastSampleCount;
    long long samples[INST_SAMPLES];
    int idx;
} inst[INST_COUNT];

static void infoTrackMetric(int metric, long long current, long long now) {
    if (inst[metric].lastSampleTime == 0) {
        inst[metric].lastSampleTime = now;
        inst[metric].lastSampleCount = current;
        return;
    }
    long long t = now - inst[metric].lastSampleTime;
    long long ops = current - inst[metric].lastSampleCount;
    inst[metric].samples[inst[metric].idx] = t > 0 ? ops * 1000 / t : 0;
    inst[metric].idx = (inst[metric].idx + 1) % INST_SAMPLES;
    inst[metric].lastSampleTime = now;
    inst[metric].lastSampleCount = current;
}

void infoTrackInstantaneous(void) {
    long long now = serverNowMs();
    infoTrackMetric(INST_COMMANDS, (long long)stats.numCommands, now);
    infoTrackMetric(INST_NET_INPUT, (long long)stats.netInputBytes, now);
    infoTrackMetric(INST_NET_OUTPUT, (long long)stats.netOutputBytes, now);
}

static long long infoInstantaneous(int metric) {
    long long sum = 0;
    for (int j = 0; j < INST_SAMPLES; j++) sum += inst[metric].samples[j];
    return sum / INST_SAMPLES;
}

/* ------------------------------------------------------------------------
 * Latency histograms (the bucket layout of hdr_histogram with lowest value
 * 1, highest 1e9 and 2 significant figures, values in nanoseconds)
 * ---------------------------------------------------------------------- */

#define LAT_SUB_HALF_MAG 7                       /* log2(sub_bucket_count / 2) */
#define LAT_SUB_HALF     (1 << LAT_SUB_HALF_MAG) /* 128 */
#define LAT_SUB_MASK     ((int64_t)(2 * LAT_SUB_HALF - 1))
#define LAT_BUCKETS      23 /* 256 << 22 > 1e9 */
#define LAT_COUNTS       ((LAT_BUCKETS + 1) * LAT_SUB_HALF)
#define LAT_MIN_NS       1
#define LAT_MAX_NS       1000000000LL

typedef struct LatencyHistogram {
    long long total;
    int64_t counts[LAT_COUNTS];
} LatencyHistogram;

static LatencyHistogram **latencyById = NULL;
static int latencyCap = 0;

static int latBucketIndex(int64_t v) {
    int pow2ceiling = 64 - __builtin_clzll((unsigned long long)(v | LAT_SUB_MASK));
    return pow2ceiling - (LAT_SUB_HALF_MAG + 1);
}

static int latCountsIndex(int64_t v) {
    int bucket = latBucketIndex(v);
    int sub = (int)(v >> bucket);
    return ((bucket + 1) << LAT_SUB_HALF_MAG) + (sub - LAT_SUB_HALF);
}

/* Lowest value of the bucket at counts index `idx`. */
static int64_t latValueAtIndex(int idx) {
    int bucket = (idx >> LAT_SUB_HALF_MAG) - 1;
    int sub = (idx & (LAT_SUB_HALF - 1)) + LAT_SUB_HALF;
    if (bucket < 0) {
        sub -= LAT_SUB_HALF;
        bucket = 0;
    }
    return (int64_t)sub << bucket;
}

/* Highest value equivalent to v (same bucket). */
static int64_t latHighestEquivalent(int64_t v) {
    int bucket = latBucketIndex(v);
    int sub = (int)(v >> bucket);
    int adjusted = sub >= 2 * LAT_SUB_HALF ? bucket + 1 : bucket;
    int64_t lowest = (int64_t)sub << bucket;
    return lowest + ((int64_t)1 << adjusted) - 1;
}

static int64_t latValueAtPercentile(const LatencyHistogram *h, double p) {
    double requested = p < 100.0 ? p : 100.0;
    long long want = (long long)((requested / 100) * (double)h->total + 0.5);
    if (want < 1) want = 1;
    long long seen = 0;
    for (int idx = 0; idx < LAT_COUNTS; idx++) {
        seen += h->counts[idx];
        if (seen >= want) return latHighestEquivalent(latValueAtIndex(idx));
    }
    return 0;
}

void infoRecordCommandLatency(struct Command *cmd, long long durationUs) {
    if (!cmd || cmd->id < 0 || !config.latencyTrackingEnabled) return;
    if (cmd->id >= latencyCap) {
        int cap = latencyCap ? latencyCap : 256;
        while (cap <= cmd->id) cap *= 2;
        latencyById = kvRealloc(latencyById, sizeof(*latencyById) * (size_t)cap);
        memset(latencyById + latencyCap, 0, sizeof(*latencyById) * (size_t)(cap - latencyCap));
        latencyCap = cap;
    }
    LatencyHistogram *h = latencyById[cmd->id];
    if (!h) h = latencyById[cmd->id] = kvCalloc(sizeof(*h));
    long long ns = durationUs * 1000;
    if (ns < LAT_MIN_NS) ns = LAT_MIN_NS;
    if (ns > LAT_MAX_NS) ns = LAT_MAX_NS;
    h->counts[latCountsIndex(ns)]++;
    h->total++;
}

typedef struct LatencyCollect {
    Command **cmds;
    size_t n, cap;
} LatencyCollect;

static void infoCollectLatency(Command *cmd, void *priv) {
    LatencyCollect *lc = priv;
    if (cmd->id < 0 || cmd->id >= latencyCap || !latencyById[cmd->id]) return;
    if (lc->n == lc->cap) {
        lc->cap = lc->cap ? lc->cap * 2 : 64;
        lc->cmds = kvRealloc(lc->cmds, sizeof(Command *) * lc->cap);
    }
    lc->cmds[lc->n++] = cmd;
}

static int infoCompareCommandName(const void *a, const void *b) {
    const Command *x = *(Command *const *)a, *y = *(Command *const *)b;
    return strcmp(x->fullname, y->fullname);
}

static dstr infoLatencyStats(dstr out) {
    /* latency-tracking-info-percentiles' default; the directive is not in
     * the config table yet. */
    static const double percentiles[] = {50.0, 99.0, 99.9};
    static const char *names[] = {"p50", "p99", "p99.9"};
    LatencyCollect lc = {NULL, 0, 0};
    commandForEach(infoCollectLatency, &lc);
    /* Same order as commandstats (by name). */
    if (lc.n) qsort(lc.cmds, lc.n, sizeof(Command *), infoCompareCommandName);
    for (size_t i = 0; i < lc.n; i++) {
        const LatencyHistogram *h = latencyById[lc.cmds[i]->id];
        out = dstrCatPrintf(out, "latency_percentiles_usec_%s:", lc.cmds[i]->fullname);
        for (size_t j = 0; j < sizeof(percentiles) / sizeof(percentiles[0]); j++)
            out = dstrCatPrintf(out, "%s%s=%.3f", j ? "," : "", names[j],
                                (double)latValueAtPercentile(h, percentiles[j]) / 1000.0);
        out = dstrCat(out, "\r\n");
    }
    kvFree(lc.cmds);
    return out;
}

void infoResetStats(void) {
    memPeak = kvMemUsed();
    evictResetStats();
    clientEvictionResetStats();
    clientReplyBufferResetStats();
    lazyfreeResetStats();
    memset(inst, 0, sizeof(inst));
    for (int j = 0; j < latencyCap; j++) {
        kvFree(latencyById[j]);
        latencyById[j] = NULL;
    }
}

/* ------------------------------------------------------------------------
 * Sections
 * ---------------------------------------------------------------------- */

/* An id for this build (Redis prints a hash of its build parameters). */
static unsigned long long infoBuildId(void) {
    static const char build[] = KVD_VERSION " " __DATE__ " " __TIME__;
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < sizeof(build) - 1; i++) {
        h ^= (unsigned char)build[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static const char *infoSupervised(void) {
    switch (config.supervised) {
        case SUPERVISED_UPSTART: return "upstart";
        case SUPERVISED_SYSTEMD: return "systemd";
        case SUPERVISED_AUTO:
            if (getenv("NOTIFY_SOCKET")) return "systemd";
            if (getenv("UPSTART_JOB")) return "upstart";
            return "no";
        default: return "no";
    }
}

static dstr infoServer(dstr out) {
    struct utsname name;
    if (uname(&name) != 0) memset(&name, 0, sizeof(name));
    long long uptime = (serverNowMs() - stats.startTimeMs) / 1000;
    struct event_base *base = serverEventBase();
    const char *api = base ? event_base_get_method(base) : "epoll";
#ifdef __GNUC__
    int gccMajor = __GNUC__, gccMinor = __GNUC_MINOR__, gccPatch = __GNUC_PATCHLEVEL__;
#else
    int gccMajor = 0, gccMinor = 0, gccPatch = 0;
#endif
    return dstrCatPrintf(out,
                         "redis_version:%s\r\n"
                         "kvd_version:%s\r\n"
                         "redis_git_sha1:00000000\r\n"
                         "redis_git_dirty:0\r\n"
                         "redis_build_id:%llx\r\n"
                         "redis_mode:standalone\r\n"
                         "os:%s %s %s\r\n"
                         "arch_bits:%d\r\n"
                         "monotonic_clock:POSIX clock_gettime\r\n"
                         "multiplexing_api:%s\r\n"
                         "atomicvar_api:c11-builtin\r\n"
                         "gcc_version:%d.%d.%d\r\n"
                         "process_id:%lld\r\n"
                         "process_supervised:%s\r\n"
                         "run_id:%s\r\n"
                         "tcp_port:%d\r\n"
                         "server_time_usec:%lld\r\n"
                         "uptime_in_seconds:%lld\r\n"
                         "uptime_in_days:%lld\r\n"
                         "hz:%d\r\n"
                         "configured_hz:%d\r\n"
                         "lru_clock:%u\r\n"
                         "executable:%s\r\n"
                         "config_file:%s\r\n"
                         "io_threads_active:0\r\n",
                         KV_VERSION, KVD_VERSION, infoBuildId(), name.sysname, name.release,
                         name.machine, (int)(sizeof(long) * 8), api, gccMajor, gccMinor, gccPatch,
                         (long long)getpid(), infoSupervised(), serverRunId(), config.port,
                         serverNowUs(), uptime, uptime / 86400, serverHz(), config.hz,
                         (unsigned)serverLruClock(), config.executable ? config.executable : "",
                         config.configFile ? config.configFile : "");
}

static dstr infoClients(dstr out) {
    return dstrCatPrintf(out,
                         "connected_clients:%lu\r\n"
                         "cluster_connections:0\r\n"
                         "maxclients:%d\r\n"
                         "client_recent_max_input_buffer:%lu\r\n"
                         "client_recent_max_output_buffer:%lu\r\n"
                         "blocked_clients:%lu\r\n"
                         "tracking_clients:%lu\r\n"
                         "clients_in_timeout_table:%lu\r\n",
                         clientCount(), config.maxclients, clientMaxInputBuffer(),
                         clientMaxOutputBuffer(), blockingClientCount(), trackingClientCount(),
                         blockingClientCount());
}

static const char *infoPolicyName(int policy) {
    switch (policy) {
        case MAXMEMORY_VOLATILE_LRU: return "volatile-lru";
        case MAXMEMORY_VOLATILE_LFU: return "volatile-lfu";
        case MAXMEMORY_VOLATILE_RANDOM: return "volatile-random";
        case MAXMEMORY_VOLATILE_TTL: return "volatile-ttl";
        case MAXMEMORY_ALLKEYS_LRU: return "allkeys-lru";
        case MAXMEMORY_ALLKEYS_LFU: return "allkeys-lfu";
        case MAXMEMORY_ALLKEYS_RANDOM: return "allkeys-random";
        default: return "noeviction";
    }
}

static dstr infoMemory(dstr out) {
    InfoMemoryOverhead mh;
    infoMemoryOverhead(&mh);
    char used[64], rss[64], peak[64], sys[64], maxmem[64];
    size_t total = infoTotalSystemMemory();
    infoBytesToHuman(used, sizeof(used), mh.totalAllocated);
    infoBytesToHuman(rss, sizeof(rss), mh.processRss);
    infoBytesToHuman(peak, sizeof(peak), mh.peakAllocated);
    infoBytesToHuman(sys, sizeof(sys), total);
    infoBytesToHuman(maxmem, sizeof(maxmem), (unsigned long long)config.maxmemory);
    out = dstrCatPrintf(out,
                        "used_memory:%zu\r\n"
                        "used_memory_human:%s\r\n"
                        "used_memory_rss:%zu\r\n"
                        "used_memory_rss_human:%s\r\n"
                        "used_memory_peak:%zu\r\n"
                        "used_memory_peak_human:%s\r\n"
                        "used_memory_peak_perc:%.2f%%\r\n"
                        "used_memory_overhead:%zu\r\n"
                        "used_memory_startup:%zu\r\n"
                        "used_memory_dataset:%zu\r\n"
                        "used_memory_dataset_perc:%.2f%%\r\n"
                        "allocator_allocated:%zu\r\n"
                        "allocator_active:%zu\r\n"
                        "allocator_resident:%zu\r\n"
                        "total_system_memory:%zu\r\n"
                        "total_system_memory_human:%s\r\n",
                        mh.totalAllocated, used, mh.processRss, rss, mh.peakAllocated, peak,
                        mh.peakPerc, mh.overheadTotal, mh.startupAllocated, mh.datasetBytes,
                        mh.datasetPerc, mh.allocatorAllocated, mh.allocatorActive,
                        mh.allocatorResident, total, sys);
    {
        /* The two Lua states (eval.c, function.c) and what they hold. */
        size_t luaEval = evalLuaMemory(), luaFn = functionLuaMemory();
        size_t scriptsEval = evalScriptsMemory(), fnCode = functionCodeMemory();
        char hLua[32], hVm[32], hScripts[32];
        infoBytesToHuman(hLua, sizeof(hLua), luaEval);
        infoBytesToHuman(hVm, sizeof(hVm), luaEval + luaFn);
        infoBytesToHuman(hScripts, sizeof(hScripts), scriptsEval + fnCode);
        out = dstrCatPrintf(out,
                            "used_memory_lua:%zu\r\n"
                            "used_memory_vm_eval:%zu\r\n"
                            "used_memory_lua_human:%s\r\n"
                            "used_memory_scripts_eval:%zu\r\n"
                            "number_of_cached_scripts:%lu\r\n"
                            "number_of_functions:%lu\r\n"
                            "number_of_libraries:%lu\r\n"
                            "used_memory_vm_functions:%zu\r\n"
                            "used_memory_vm_total:%zu\r\n"
                            "used_memory_vm_total_human:%s\r\n"
                            "used_memory_functions:%zu\r\n"
                            "used_memory_scripts:%zu\r\n"
                            "used_memory_scripts_human:%s\r\n",
                            luaEval, luaEval, hLua, scriptsEval, evalScriptCount(), functionCount(),
                            functionLibraryCount(), luaFn, luaEval + luaFn, hVm, fnCode,
                            scriptsEval + fnCode, hScripts);
    }
    out = dstrCatPrintf(out,
                        "maxmemory:%lld\r\n"
                        "maxmemory_human:%s\r\n"
                        "maxmemory_policy:%s\r\n"
                        "allocator_frag_ratio:%.2f\r\n"
                        "allocator_frag_bytes:%lld\r\n"
                        "allocator_rss_ratio:%.2f\r\n"
                        "allocator_rss_bytes:%lld\r\n"
                        "rss_overhead_ratio:%.2f\r\n"
                        "rss_overhead_bytes:%lld\r\n"
                        "mem_fragmentation_ratio:%.2f\r\n"
                        "mem_fragmentation_bytes:%lld\r\n"
                        "mem_not_counted_for_evict:%zu\r\n"
                        "mem_replication_backlog:%zu\r\n"
                        "mem_total_replication_buffers:0\r\n"
                        "mem_clients_slaves:%zu\r\n"
                        "mem_clients_normal:%zu\r\n"
                        "mem_cluster_links:0\r\n"
                        "mem_aof_buffer:%zu\r\n"
                        "mem_allocator:%s\r\n"
                        "active_defrag_running:0\r\n"
                        "lazyfree_pending_objects:%zu\r\n"
                        "lazyfreed_objects:%zu\r\n",
                        config.maxmemory, maxmem, infoPolicyName(config.maxmemoryPolicy),
                        mh.allocatorFrag, mh.allocatorFragBytes, mh.allocatorRss,
                        mh.allocatorRssBytes, mh.rssExtra, mh.rssExtraBytes, mh.totalFrag,
                        mh.totalFragBytes, evictNotCountedMemory(), mh.replBacklog,
                        mh.clientsReplicas, mh.clientsNormal, mh.aofBuffer, kvMemAllocatorName(),
                        lazyfreePendingObjects(), lazyfreeFreedObjects());
    infoMemoryOverheadFree(&mh);
    return out;
}

static dstr infoPersistence(dstr out) {
    /* The RDB fields come from rdb.c (loading … rdb_last_load_keys_loaded),
     * the AOF ones from aof.c. */
    out = rdbInfoPersistence(out);
    out = aofInfoPersistence(out);
    out = rdbInfoLoading(out); /* loading_* while loading, after the AOF fields */
    return out;
}

static dstr infoStats(dstr out) {
    out = dstrCatPrintf(
        out,
        "total_connections_received:%llu\r\n"
        "total_commands_processed:%llu\r\n"
        "instantaneous_ops_per_sec:%lld\r\n"
        "total_net_input_bytes:%llu\r\n"
        "total_net_output_bytes:%llu\r\n"
        "total_net_repl_input_bytes:0\r\n"
        "total_net_repl_output_bytes:0\r\n"
        "instantaneous_input_kbps:%.2f\r\n"
        "instantaneous_output_kbps:%.2f\r\n"
        "instantaneous_input_repl_kbps:0.00\r\n"
        "instantaneous_output_repl_kbps:0.00\r\n"
        "rejected_connections:%llu\r\n"
        "sync_full:0\r\n"
        "sync_partial_ok:0\r\n"
        "sync_partial_err:0\r\n"
        "expired_keys:%llu\r\n"
        "expired_stale_perc:%.2f\r\n"
        "expired_time_cap_reached_count:%llu\r\n"
        "expire_cycle_cpu_milliseconds:%lld\r\n"
        "evicted_keys:%llu\r\n"
        "evicted_clients:%llu\r\n"
        "total_eviction_exceeded_time:%lld\r\n"
        "current_eviction_exceeded_time:%lld\r\n"
        "keyspace_hits:%llu\r\n"
        "keyspace_misses:%llu\r\n",
        stats.numConnections, stats.numCommands, infoInstantaneous(INST_COMMANDS),
        stats.netInputBytes, stats.netOutputBytes, (float)infoInstantaneous(INST_NET_INPUT) / 1024,
        (float)infoInstantaneous(INST_NET_OUTPUT) / 1024, stats.rejectedConns, stats.expiredKeys,
        expireStalePercent(), stats.expiredTimeCapReached, expireCycleTimeUsedUs() / 1000,
        stats.evictedKeys, clientEvictionEvictedCount(), evictExceededTotalUs() / 1000,
        evictExceededCurrentUs() / 1000, stats.keyspaceHits, stats.keyspaceMisses);
    out = dstrCatPrintf(out,
                        "pubsub_channels:%lu\r\n"
                        "pubsub_patterns:%lu\r\n"
                        "pubsubshard_channels:%lu\r\n"
                        "latest_fork_usec:0\r\n"
                        "total_forks:0\r\n"
                        "migrate_cached_sockets:0\r\n"
                        "slave_expires_tracked_keys:0\r\n"
                        "active_defrag_hits:0\r\n"
                        "active_defrag_misses:0\r\n"
                        "active_defrag_key_hits:0\r\n"
                        "active_defrag_key_misses:0\r\n"
                        "total_active_defrag_time:0\r\n"
                        "current_active_defrag_time:0\r\n"
                        "tracking_total_keys:%llu\r\n"
                        "tracking_total_items:%llu\r\n"
                        "tracking_total_prefixes:%llu\r\n"
                        "unexpected_error_replies:%llu\r\n"
                        "total_error_replies:%llu\r\n"
                        "dump_payload_sanitizations:0\r\n"
                        "total_reads_processed:%llu\r\n"
                        "total_writes_processed:%llu\r\n"
                        "io_threaded_reads_processed:0\r\n"
                        "io_threaded_writes_processed:0\r\n"
                        "reply_buffer_shrinks:%llu\r\n"
                        "reply_buffer_expands:%llu\r\n",
                        pubsubChannelCount(), pubsubPatternCount(), pubsubShardChannelCount(),
                        trackingTotalKeys(), trackingTotalItems(), trackingTotalPrefixes(),
                        stats.unexpectedErrorReplies, replyTotalErrors(), stats.totalReadsProcessed,
                        stats.totalWritesProcessed, clientReplyBufferShrinks(),
                        clientReplyBufferExpands());
    return out;
}

/* The replication ids of a master with no history: the main one random,
 * made at start-up as Redis makes it and new after DEBUG CHANGE-REPL-ID;
 * the secondary one (an id this master used to have) all zeros. The
 * replication module will own these once it exists. */
static char replId[41];
static char replId2[41] = "0000000000000000000000000000000000000000";

void infoChangeReplicationId(void) {
    unsigned char raw[20];
    FILE *f = fopen("/dev/urandom", "r");
    size_t got = f ? fread(raw, 1, sizeof(raw), f) : 0;
    if (f) fclose(f);
    for (size_t i = got; i < sizeof(raw); i++) raw[i] = (unsigned char)rand();
    for (int i = 0; i < 20; i++) snprintf(replId + i * 2, 3, "%02x", raw[i]);
}

void infoClearReplicationId2(void) {
    memset(replId2, '0', 40);
    replId2[40] = '\0';
}

static const char *infoReplId(void) {
    if (!replId[0]) infoChangeReplicationId();
    return replId;
}

static dstr infoReplication(dstr out) {
    return dstrCatPrintf(out,
                         "role:master\r\n"
                         "connected_slaves:0\r\n"
                         "master_failover_state:no-failover\r\n"
                         "master_replid:%s\r\n"
                         "master_replid2:%s\r\n"
                         "master_repl_offset:0\r\n"
                         "second_repl_offset:-1\r\n"
                         "repl_backlog_active:0\r\n"
                         "repl_backlog_size:1048576\r\n"
                         "repl_backlog_first_byte_offset:0\r\n"
                         "repl_backlog_histlen:0\r\n",
                         infoReplId(), replId2);
}

static dstr infoCpu(dstr out) {
    struct rusage self, children, thread;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    getrusage(RUSAGE_THREAD, &thread);
    return dstrCatPrintf(out,
                         "used_cpu_sys:%ld.%06ld\r\n"
                         "used_cpu_user:%ld.%06ld\r\n"
                         "used_cpu_sys_children:%ld.%06ld\r\n"
                         "used_cpu_user_children:%ld.%06ld\r\n"
                         "used_cpu_sys_main_thread:%ld.%06ld\r\n"
                         "used_cpu_user_main_thread:%ld.%06ld\r\n",
                         (long)self.ru_stime.tv_sec, (long)self.ru_stime.tv_usec,
                         (long)self.ru_utime.tv_sec, (long)self.ru_utime.tv_usec,
                         (long)children.ru_stime.tv_sec, (long)children.ru_stime.tv_usec,
                         (long)children.ru_utime.tv_sec, (long)children.ru_utime.tv_usec,
                         (long)thread.ru_stime.tv_sec, (long)thread.ru_stime.tv_usec,
                         (long)thread.ru_utime.tv_sec, (long)thread.ru_utime.tv_usec);
}

static dstr infoModules(dstr out) {
    return out; /* no modules */
}

static dstr infoCluster(dstr out) {
    return dstrCat(out, "cluster_enabled:0\r\n");
}

static dstr infoKeyspace(dstr out) {
    for (int j = 0; j < dbCount(); j++) {
        Db *db = dbGet(j);
        long long keys = (long long)dictSize(db->keys);
        if (keys == 0) continue;
        out = dstrCatPrintf(out, "db%d:keys=%lld,expires=%lld,avg_ttl=%lld\r\n", j, keys,
                            (long long)dictSize(db->expires), db->avgTtl);
    }
    return out;
}

/* The sections in output order. `inDefault`: part of INFO / INFO default;
 * every section is part of "all" and "everything". */
typedef struct InfoSection {
    const char *name;
    const char *title;
    bool inDefault;
    dstr (*gen)(dstr out);
} InfoSection;

static const InfoSection infoSections[] = {
    {"server", "Server", true, infoServer},
    {"clients", "Clients", true, infoClients},
    {"memory", "Memory", true, infoMemory},
    {"persistence", "Persistence", true, infoPersistence},
    {"stats", "Stats", true, infoStats},
    {"replication", "Replication", true, infoReplication},
    {"cpu", "CPU", true, infoCpu},
    {"modules", "Modules", true, infoModules},
    {"commandstats", "Commandstats", false, commandStatsInfo},
    {"errorstats", "Errorstats", true, replyErrorStatsInfo},
    {"latencystats", "Latencystats", false, infoLatencyStats},
    {"cluster", "Cluster", true, infoCluster},
    {"keyspace", "Keyspace", true, infoKeyspace},
};

#define INFO_SECTION_COUNT (sizeof(infoSections) / sizeof(infoSections[0]))

dstr infoGenerate(dstr out, int argc, Arg *argv) {
    bool want[INFO_SECTION_COUNT] = {false};
    if (argc == 0) {
        for (size_t i = 0; i < INFO_SECTION_COUNT; i++) want[i] = infoSections[i].inDefault;
    }
    for (int a = 0; a < argc; a++) {
        if (argIs(&argv[a], "all") || argIs(&argv[a], "everything")) {
            for (size_t i = 0; i < INFO_SECTION_COUNT; i++) want[i] = true;
        } else if (argIs(&argv[a], "default")) {
            for (size_t i = 0; i < INFO_SECTION_COUNT; i++)
                want[i] = want[i] || infoSections[i].inDefault;
        } else {
            for (size_t i = 0; i < INFO_SECTION_COUNT; i++)
                if (argIs(&argv[a], infoSections[i].name)) want[i] = true;
        }
    }
    int emitted = 0;
    for (size_t i = 0; i < INFO_SECTION_COUNT; i++) {
        if (!want[i]) continue;
        if (emitted++) out = dstrCat(out, "\r\n");
        out = dstrCatPrintf(out, "# %s\r\n", infoSections[i].title);
        out = infoSections[i].gen(out);
    }
    return out;
}

void infoCommand(Client *c) {
    dstr info = infoGenerate(dstrEmpty(), c->argc - 1, c->argv + 1);
    addReplyVerbatim(c, info, dstrLen(info), "txt");
    dstrFree(info);
}
