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
/* The client whose command is running, or NULL. */
Client *dispatchCurrentClient(void);

#endif
