/* slowlog.h — the slow log: the most recent commands whose execution took at
 * least `slowlog-log-slower-than` microseconds, at most `slowlog-max-len` of
 * them, newest first (SLOWLOG GET / LEN / RESET / HELP). */
#ifndef KV_SLOWLOG_H
#define KV_SLOWLOG_H

#include "client.h"

/* Makes the log empty; safe to call more than once. */
void slowlogInit(void);

/* Called by dispatch after each command (except CMD_SKIP_SLOWLOG ones) with
 * the command's arguments (borrowed: the entry keeps its own copies, trimmed
 * as Redis trims them) and its duration. Records an entry when the duration
 * reaches config.slowlogLogSlowerThan (negative disables the log, 0 logs
 * every command) and drops the oldest entries beyond config.slowlogMaxLen. */
void slowlogPushIfNeeded(Client *c, int argc, Arg *argv, long long durationUs);

/* Number of entries now in the log. */
unsigned long slowlogLength(void);

#endif
