/* clienteviction.h — client eviction (maxmemory-clients, CLIENT NO-EVICT),
 * as Redis 7.0: when the clients together hold more memory than the limit,
 * the biggest evictable ones are closed until the rest fit.
 *
 * Every connected client's memory (clientMemoryUsage, client.h) is measured
 * at the points where it changes and kept in running sums per client type
 * (INFO mem_clients_normal); evictable clients are also linked into
 * memory-usage buckets so that the biggest are found without a scan. See
 * clienteviction.c for the design.
 */
#ifndef KV_CLIENTEVICTION_H
#define KV_CLIENTEVICTION_H

#include "client.h"
#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>

/* The smallest effective limit (Redis's too): a tiny maxmemory-clients must
 * not make the server unreachable. */
#define CLIENT_EVICTION_MIN_LIMIT (128 * 1024)

/* The maxmemory-clients value: 0 (off), a memory value ("64mb") or a
 * percentage of maxmemory ("5%"). On error returns false with Redis's
 * message in *err. */
bool clientEvictionConfigSet(int argc, char **argv, const char **err);
/* CONFIG GET form: bytes, or "N%" for a percentage. */
dstr clientEvictionConfigGet(dstr out);
/* After CONFIG SET: when eviction has just been turned on, measures every
 * client at once (while off, clients are measured only by cron). */
bool clientEvictionApplyConfig(const char **err);
/* The limit in bytes now (0: no client eviction): a percentage follows
 * maxmemory (and is off while maxmemory is 0). */
size_t clientEvictionLimit(void);

/* True when maxmemory-clients is set: clients are then re-measured on every
 * change (read, command, output appended or written). */
bool clientEvictionActive(void);
/* Re-measures c and moves it between sums and buckets. O(1). A fake or
 * closing client is forgotten instead. */
void clientEvictionUpdate(Client *c);
/* The cheap hook for hot paths: re-measures c only while eviction is on and
 * c may be evicted (Redis 7.0 leaves the others to cron as well). */
static inline void clientEvictionNoteChange(Client *c) {
    if (clientEvictionActive() && !(c->flags & CLIENT_NO_EVICT)) clientEvictionUpdate(c);
}
/* Drops c from the sums and buckets (closing or freed clients). */
void clientEvictionForget(Client *c);

/* When over the limit, closes (asynchronously) the biggest evictable clients
 * until under it, logging each, and counts them (INFO evicted_clients).
 * Never evicts CLIENT NO-EVICT clients, replicas, the master link or fake
 * clients. O(1) when under the limit. Returns true if c was evicted (c may
 * be NULL). */
bool clientEvictionRun(Client *c);

/* INFO: memory of normal + pub/sub clients (mem_clients_normal) and of
 * replicas (mem_clients_slaves), as last measured. */
size_t clientEvictionNormalMemory(void);
size_t clientEvictionReplicaMemory(void);
/* INFO stats evicted_clients; reset by CONFIG RESETSTAT. */
unsigned long long clientEvictionEvictedCount(void);
void clientEvictionResetStats(void);
/* DEBUG CLIENT-EVICTION: appends one "bucket LOW - HIGH: tot-mem: N,
 * clients: N" line per memory-usage bucket (evictable clients only). */
dstr clientEvictionBucketsReport(dstr out);

#endif
