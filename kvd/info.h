/* info.h — the INFO report (sections, field names and layout of Redis 7.0)
 * and the samplers behind its derived fields: peak memory, instantaneous
 * ops/s and kbps, and per-command latency percentiles (latencystats). */
#ifndef KV_INFO_H
#define KV_INFO_H

#include "client.h"
#include "dstr.h"

#include <stddef.h>

struct Command;

/* Appends the INFO text for the section names in argv[0..argc) (as INFO's
 * arguments: none means "default"; "all", "everything", "default" and any
 * section name, case-insensitive, several at once; unknown names add
 * nothing) to `out` and returns it. Sections come in Redis's fixed order,
 * each "# Title\r\n" + "field:value\r\n" lines, separated by "\r\n".
 * argv is borrowed. */
dstr infoGenerate(dstr out, int argc, Arg *argv);

/* Samples used memory into the peak (called from cron; INFO and MEMORY also
 * sample). The first call also records used_memory_startup. */
void infoUpdateMemoryPeak(void);
/* Peak of used memory seen so far, in bytes. */
size_t infoMemoryPeak(void);

/* Takes one sample of the ops and network counters for the instantaneous_*
 * fields (called from cron every 100 ms; the value shown is the average of
 * the last 16 samples, as Redis). */
void infoTrackInstantaneous(void);

/* Records one call of cmd that took durationUs, for INFO latencystats (to
 * be called by dispatch after every call, blocked-and-resumed ones
 * excepted, when latency-tracking is on). O(1); allocates the command's
 * histogram (24 KB) on its first call. */
void infoRecordCommandLatency(struct Command *cmd, long long durationUs);

/* Memory accounting shared by INFO memory and MEMORY STATS / DOCTOR (the
 * fields of Redis's getMemoryOverheadData, named after them). */
typedef struct InfoDbOverhead {
    int dbid;
    size_t overheadMain;    /* per-key headers and bucket slots */
    size_t overheadExpires; /* expire entries and their slots */
} InfoDbOverhead;

typedef struct InfoMemoryOverhead {
    size_t peakAllocated, totalAllocated, startupAllocated;
    size_t replBacklog, clientsReplicas, clientsNormal, aofBuffer, luaCaches, functionsCaches;
    size_t overheadTotal, datasetBytes, totalKeys, bytesPerKey;
    float datasetPerc, peakPerc;
    size_t allocatorAllocated, allocatorActive, allocatorResident, processRss;
    float allocatorFrag, allocatorRss, rssExtra, totalFrag;
    long long allocatorFragBytes, allocatorRssBytes, rssExtraBytes, totalFragBytes;
    InfoDbOverhead *db; /* the non-empty databases */
    int dbCount;
} InfoMemoryOverhead;

/* Fills mh (which must be released with infoMemoryOverheadFree). O(clients
 * + databases). */
void infoMemoryOverhead(InfoMemoryOverhead *mh);
void infoMemoryOverheadFree(InfoMemoryOverhead *mh);
/* Redis's bytesToHuman: "1023B", "1.00K", "1.02M", … into s. */
void infoBytesToHuman(char *s, size_t size, unsigned long long n);

/* CONFIG RESETSTAT: forgets the memory peak, the instantaneous samples and
 * the latency histograms. */
void infoResetStats(void);
/* DEBUG CHANGE-REPL-ID: a new random 40-hex master_replid, and master_replid2
 * back to zeros (Redis's changeReplicationId + clearReplicationId2). */
void infoChangeReplicationId(void);
void infoClearReplicationId2(void);

#endif
