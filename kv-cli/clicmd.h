/* clicmd.h — running one user command the way redis-cli does: send it
 * (repeatedly with -r / an interactive "N cmd" prefix, pausing -i seconds),
 * read and print the reply in the chosen output mode, follow the state
 * changes the prompt shows (SELECT, MULTI/EXEC/DISCARD, AUTH), and the
 * special commands that never return (SUBSCRIBE, MONITOR).
 *
 * Error handling follows redis-cli 7.0: in one-shot mode a lost connection
 * prints "Error: REASON" and exits 1, and -e turns an error reply into exit 1
 * (the error text goes to stderr); interactively a lost connection returns
 * -1 after printing "Error: REASON" and the next command reconnects. */
#ifndef KV_CLI_CMD_H
#define KV_CLI_CMD_H

#include "clisession.h"
#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct cliRunner {
    cliSession *session;  /* borrowed */
    int output;           /* CLI_OUTPUT_* */
    bool pushOutput;      /* print RESP3 pushes that arrive between replies */
    const char *mbDelim;  /* -d: between aggregate members in raw mode */
    const char *cmdDelim; /* -D: after each reply in raw mode */
    bool setErrcode;      /* -e */
    long long intervalUs; /* -i, in microseconds */
    bool interactive;     /* in the REPL (or reading commands from stdin) */
} cliRunner;

/* Runs argv repeat times (repeat < 0: forever). "help" and "?" print help
 * instead of reaching the server. Reconnects first if the session is not
 * connected; if that fails returns -1 (the reason was printed). Returns -1
 * if the connection was lost (interactive mode; one-shot mode exits), else
 * 0 — also when the reply was an error (unless -e, which exits 1). */
int cliRunCommand(cliRunner *run, int argc, char **argv, size_t *lens, long long repeat);

#endif
