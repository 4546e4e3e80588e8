/* expire.h — key expiry: the EXPIRE/TTL command family (handlers declared in
 * commands.h) and the active expiry cycle that reclaims expired keys nobody
 * touches.
 *
 * Lazy expiry (a key found expired on access is deleted) lives in db.c; the
 * active cycle here samples each database's expires dict with a saved SCAN
 * cursor and deletes what has expired, in a time-bounded loop:
 *
 * - ACTIVE_EXPIRE_CYCLE_SLOW runs from the server cron, hz times a second,
 *   for at most (25 + 2 * (effort - 1))% of the cron period.
 * - ACTIVE_EXPIRE_CYCLE_FAST runs before the event loop sleeps, for at most
 *   1000 + 250 * (effort - 1) microseconds and not more often than twice that
 *   period; it only runs while the previous cycle hit its time limit or the
 *   estimated share of expired-but-present keys is above the acceptable
 *   stale percentage (10 - (effort - 1)).
 *
 * effort is config.activeExpireEffort (1..10), as Redis's
 * active-expire-effort. The cycle does nothing when config.activeExpireEnabled
 * is false (DEBUG SET-ACTIVE-EXPIRE 0) or while writes are paused.
 */
#ifndef KV_EXPIRE_H
#define KV_EXPIRE_H

#include "object.h"

#define ACTIVE_EXPIRE_CYCLE_SLOW 0
#define ACTIVE_EXPIRE_CYCLE_FAST 1

/* One active expiry cycle of the given type (see above). Deletes through
 * db.c (dbExpireIfNeeded → dbDelete), counting stats.expiredKeys; counts
 * stats.expiredTimeCapReached when it stops on its time limit; updates each
 * visited db's avgTtl. */
void expireActiveCycle(int type);

/* Remaining time to live of o in ms (0 when already past), or -1 when o has
 * no expire time. */
long long expireGetTtlMs(const Object *o);

/* Running estimate (0..100) of the percentage of sampled keys found already
 * expired, for INFO's expired_stale_perc. */
double expireStalePercent(void);

/* Total microseconds spent in active expiry (INFO's
 * expire_cycle_cpu_milliseconds is this / 1000). */
long long expireCycleTimeUsedUs(void);

#endif
