/* dispatch.h — from a parsed request to a finished command: lookup in the
 * command table, the checks Redis makes before running a command (arity,
 * authentication, DEBUG gate, pauses), the call itself with timing, stats and
 * the slow log. */
#ifndef KV_DISPATCH_H
#define KV_DISPATCH_H

#include "client.h"

#include <stdbool.h>

/* Runs c->argv. Returns false when the command must wait (clients are
 * paused) and was not executed: the caller keeps it in the query buffer. */
bool dispatchCommand(Client *c);
/* The top-level client whose command is running, or NULL. */
Client *dispatchCurrentClient(void);
/* The client of the innermost running call (a script's or EXEC's inner
 * command runs on the same or a fake client), or NULL. */
Client *dispatchExecutingClient(void);
/* True inside a call made by another call of the same top-level command
 * (EXEC's queued commands, a script's redis.call): commands that need a
 * reply stream of their own (MONITOR) refuse there. */
bool dispatchInNestedCall(void);

/* Runs c->cmd (already looked up and checked) on c->argv: timing, command
 * stats, propagation (propagate.h), and with CALL_SLOWLOG the slow log and
 * latency histogram. Used by dispatchCommand, EXEC, scripts, the AOF
 * loader. Does not serve blocked clients: the top level does that once the
 * whole unit (a transaction, a script) is over. */
#define CALL_NONE    0
#define CALL_SLOWLOG 1
#define CALL_FULL    CALL_SLOWLOG
void callCommand(Client *c, int callFlags);

#endif
