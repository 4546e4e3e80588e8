/* clirepl.h — kv-cli's interactive mode.
 *
 * With stdin a terminal: a prompt ("127.0.0.1:6379> ", "[N]" for db N,
 * "(TX)" inside MULTI, "not connected> " without a server), line editing and
 * history through libedit, the history kept in ~/.kvcli_history (or
 * $KVCLI_HISTFILE; "/dev/null" keeps none), tab completion of command names.
 * With stdin not a terminal: the same loop without prompt or history, one
 * command per input line (as redis-cli does).
 *
 * Lines are split like redis-cli's sdssplitargs (see clisplit.h); "N cmd"
 * repeats cmd N times; quit/exit leave; "clear" clears the screen;
 * "connect HOST PORT" switches server; "help" shows help. A command that
 * takes 0.5 s or more is followed by its time, "(0.61s)", on a terminal. */
#ifndef KV_CLI_REPL_H
#define KV_CLI_REPL_H

#include "clicmd.h"

/* Default history file name in $HOME, and the variable overriding it. */
#define CLI_HISTFILE_DEFAULT ".kvcli_history"
#define CLI_HISTFILE_ENV     "KVCLI_HISTFILE"
/* Lines of history kept (linenoise's default, which redis-cli uses). */
#define CLI_HISTORY_MAX 100

/* Runs the loop until end of input or quit/exit. Returns the exit status. */
int cliRepl(cliRunner *run);

#endif
