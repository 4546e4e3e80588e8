/* clihelp.h — the "help" command of kv-cli, and the command names used for
 * tab completion.
 *
 * As redis-cli 7.0, the help text comes from the server's COMMAND DOCS
 * (fetched once, on first use): `help` prints the generic text, `help CMD
 * [SUBCMD]` the matching commands with their arguments, summary, version
 * and group, `help @GROUP` every command of a group. */
#ifndef KV_CLI_HELP_H
#define KV_CLI_HELP_H

#include "clisession.h"

#include <stdbool.h>
#include <stddef.h>

/* What --version and help print. */
#define CLI_VERSION "0.1.0"

/* Prints help for argv (the words after "help") to stdout. Connects the
 * session quietly if needed to fetch COMMAND DOCS; without a server only the
 * generic text is available. */
void cliHelpShow(cliSession *s, int argc, char **argv);

/* Loads the help table now (from the connected server) if not done yet. */
void cliHelpInit(cliSession *s);

/* The i-th completion candidate (command names like "SET" and "CLIENT KILL",
 * then "@group" names), or NULL past the end. Borrowed. */
const char *cliHelpCandidate(size_t i, bool *isGroup);

#endif
