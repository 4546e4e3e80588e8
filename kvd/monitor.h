/* monitor.h — MONITOR: clients that receive a line for every command the
 * server runs, in Redis 7.0's format:
 *
 *   +1700000000.123456 [0 127.0.0.1:52110] "set" "k" "v"
 *
 * (time of the end of the call, db, the caller's address — "unix:<path>"
 * for unix sockets, "lua" for a script's calls — and the arguments quoted
 * as Redis's sdscatrepr, secrets shown as "(redacted)", see
 * commandFindSecrets in command.h). callCommand feeds every call except
 * admin commands and commands flagged CMD_SKIP_MONITOR; those that must
 * appear before what they run (EVAL, EVALSHA, FCALL: the script's calls
 * follow them) carry CMD_SKIP_MONITOR and call monitorFeed themselves
 * first, as Redis does. Calls of the AOF loader (a fake client without
 * CLIENT_SCRIPT) are not shown.
 */
#ifndef KV_MONITOR_H
#define KV_MONITOR_H

#include "client.h"

#include <stdbool.h>

/* True when at least one client is monitoring (cheap test for hot paths). */
bool monitorActive(void);
/* Sends c's current command (c->argv, c->db) to every monitor; nothing for
 * a fake client that is not a script's (the AOF loader). */
void monitorFeed(Client *c);
/* Drops c from the monitors (disconnection, RESET). */
void monitorRemove(Client *c);

#endif
