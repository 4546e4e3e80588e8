/* outputlimit.h — client-output-buffer-limit: per client class (normal,
 * replica, pubsub) a hard limit, a soft limit and a soft-limit duration on
 * the output a client has not read yet.
 *
 * A client over its class's hard limit, or over the soft limit continuously
 * for more than the soft seconds, is logged and closed asynchronously (its
 * pending output is dropped), as Redis does; a limit of 0 is no limit. The
 * check runs whenever output is appended to a client outside of its own
 * command (pub/sub messages, MONITOR lines) and after each of its commands.
 *
 * Usage counted: the bytes queued for the socket and not yet written (kvd
 * has one reply buffer per client where Redis has a 16 KB buffer plus a
 * list; Redis counts only the list, so kvd cuts a client off up to 16 KB
 * earlier for the same limits).
 */
#ifndef KV_OUTPUTLIMIT_H
#define KV_OUTPUTLIMIT_H

#include "client.h"
#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>

/* The config value: "<class> <hard> <soft> <soft seconds>" groups (argv is
 * the value split into words). All groups are checked before any is set.
 * On error returns false with Redis's message in *err. */
bool outputLimitConfigSet(int argc, char **argv, const char **err);
/* CONFIG GET form: "normal 0 0 0 slave 268435456 67108864 60 pubsub …". */
dstr outputLimitConfigGet(dstr out);

/* Bytes of output waiting for the client's socket (CLIENT LIST omem). */
size_t outputLimitUsage(const Client *c);
/* Checks c against its class's limits; when over, logs, schedules c for
 * closing (clientFreeAsync) and returns true. */
bool outputLimitEnforce(Client *c);

/* Safety cap on the unsent part of one command's reply, beyond Redis: the
 * normal class is unlimited by default (as in Redis), so without it a
 * client that asks for a huge reply (SRANDMEMBER k -2147483648) and does
 * not read it would make kvd hold all of it. The cap is
 * max(OUTPUT_LIMIT_COMMAND_CAP_MIN, maxmemory / 4, 2 × the memory in use
 * apart from this reply): generous enough for any reply a client reads
 * (only bytes the socket refused count) and for any reply that only reads
 * the data set, small enough that amplifying requests (negative counts,
 * SORT … GET patterns) cannot exhaust memory. The price: a client reading
 * a reply that is bigger than all that, slower than kvd produces it, is cut
 * off too. It applies only to classes without a hard limit (by default the
 * normal class): setting one (client-output-buffer-limit normal 1gb 0 0)
 * replaces it. */
#define OUTPUT_LIMIT_COMMAND_CAP_MIN (64ULL * 1024 * 1024)
size_t outputLimitCommandCap(size_t commandUnsent);
/* While a reply streams out (clientReplyStream): outputLimitEnforce, plus
 * the single-command cap on `commandUnsent`, the bytes of the running
 * command's reply the socket has not taken. When over either, logs,
 * schedules c for closing and returns true. */
bool outputLimitEnforceStreaming(Client *c, size_t commandUnsent);

#endif
