/* propagate.h — the replica/AOF form of writes.
 *
 * Every command runs through callCommand (dispatch.h). A call that changed
 * the dataset (stats.dirty grew) propagates its own argv, unless the command
 * said otherwise while it ran:
 *   - propagateReplace(c, argc, argv): propagate this command in place of
 *     c's argv (SET … EX → SET … PXAT, EXPIRE → PEXPIREAT, INCRBYFLOAT →
 *     SET … KEEPTTL, SPOP → SREM, BLMOVE → LMOVE …). May be called more
 *     than once; each call adds one command, in order.
 *   - propagatePrevent(c): propagate nothing for this call (EXEC and EVAL,
 *     whose effects are the commands they ran).
 * Other code adds commands with propagateAlso (an expired key's DEL/UNLINK).
 *
 * Commands are collected for one "execution unit": a top-level command, an
 * EXEC, a script. When the outermost unit ends they go to every sink in
 * order; a unit that produced more than one command is wrapped in MULTI …
 * EXEC. A propagateAlso outside any unit (cron's active expiry) is sent at
 * once. With no sink registered nothing is copied (the fast path).
 *
 * Sinks (AOF, replication) receive the db of each command and emit SELECT
 * themselves when it changes. */
#ifndef KV_PROPAGATE_H
#define KV_PROPAGATE_H

#include "client.h"

#include <stdbool.h>
#include <stddef.h>

typedef void PropagateSinkFn(int dbid, int argc, const Arg *argv);

/* Propagation targets: what a sink is, and where a command may go. Values
 * as Lua's redis.REPL_AOF / REPL_REPLICA / REPL_ALL / REPL_NONE. */
#define PROPAGATE_NONE    0
#define PROPAGATE_AOF     1
#define PROPAGATE_REPLICA 2
#define PROPAGATE_ALL     (PROPAGATE_AOF | PROPAGATE_REPLICA)

/* Registers fn as a sink of the given target(s) (the AOF: PROPAGATE_AOF,
 * replication: PROPAGATE_REPLICA). propagateAddSink registers a sink that
 * takes every command (PROPAGATE_ALL: tests). */
void propagateAddSinkFor(PropagateSinkFn *fn, int targets);
void propagateAddSink(PropagateSinkFn *fn);
void propagateRemoveSink(PropagateSinkFn *fn);
/* True when at least one sink wants commands. */
bool propagateActive(void);

/* Adds a command for the sinks of the current targets (see
 * propagateSetTargets; PROPAGATE_ALL outside scripts). */
void propagateAlso(int dbid, int argc, const Arg *argv);
void propagateReplace(Client *c, int argc, const Arg *argv);
void propagatePrevent(Client *c);
/* Convenience: builds the argv from NUL-terminated strings / lengths. */
void propagateAlsoStrings(int dbid, int argc, const char **argv, const size_t *lens);
/* DEL (or UNLINK when `lazy`) of an expired or evicted key: always to
 * every target, whatever propagateSetTargets says (the key is gone from the
 * dataset; Redis 7.0 does the same inside a script that called set_repl). */
void propagateDeletion(int dbid, const char *key, size_t klen, bool lazy);

/* Sets the targets of the commands propagated from now on (a script's
 * redis.set_repl applies it around each call it makes) and returns the
 * previous value, for the caller to restore. A unit whose commands went to
 * some targets only is still wrapped in MULTI/EXEC, sent to every sink,
 * when it holds more than one command, as Redis 7.0 does. */
int propagateSetTargets(int targets);

/* Execution units (callCommand brackets every call; EXEC and scripts need
 * nothing more). Nesting is counted; the outermost exit flushes. */
void propagateEnterUnit(void);
void propagateExitUnit(void);
/* Used by callCommand: whether c asked for its own argv to be skipped. */
bool propagateTakeHandled(Client *c);

#endif
