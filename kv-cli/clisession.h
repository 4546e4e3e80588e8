/* clisession.h — one logical connection to a server, as redis-cli keeps it:
 * where to connect, the handshake after connecting (AUTH, SELECT, HELLO 3),
 * sending commands and reading replies, and the state the prompt shows
 * (selected db, inside MULTI).
 *
 * Commands are formatted with hiredis's redisFormatCommandArgv() and replies
 * read with cliReader (clireply.h) over a cliConn (cliconn.h). */
#ifndef KV_CLI_SESSION_H
#define KV_CLI_SESSION_H

#include "cliconn.h"
#include "clireply.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct cliSession {
    /* Where and how to connect; set by the caller, owned by the session
     * (kvStrdup'd copies, freed by cliSessionFree()). */
    char *host; /* default "127.0.0.1" */
    int port;   /* default 6379 */
    char *unixSocket;
    char *user;  /* NULL: plain AUTH <pass> */
    char *auth;  /* NULL: no AUTH */
    bool resp3;  /* send HELLO 3 after connecting (-3) */
    int inputDb; /* database to SELECT after connecting (-n, then SELECT) */

    /* Connection state. */
    cliConn *conn;
    cliReader *reader;
    int dbnum; /* database the connection is known to use */
    bool inMulti;
    int preMultiDb;
    char err[CLI_CONN_ERR_LEN]; /* why the last read or write failed */
    bool lost;                  /* ...and whether that means the server went away */
} cliSession;

/* A session with redis-cli's defaults, not connected. Free with
 * cliSessionFree(). */
cliSession *cliSessionCreate(void);
void cliSessionFree(cliSession *s);

/* Replaces a string field (host, unixSocket, user, auth) with a copy of v
 * (NULL clears it). */
void cliSessionSet(char **field, const char *v);

/* (Re)connects: drops any current connection, connects, then sends AUTH,
 * SELECT and HELLO 3 as configured. A failed connect prints redis-cli's
 * "Could not connect to Redis at HOST:PORT: REASON" to stderr (unless quiet)
 * and returns -1. A refused AUTH / SELECT / HELLO prints "AUTH failed: ...",
 * "SELECT N failed: ..." or "HELLO 3 failed: ..." and still returns 0, as
 * redis-cli 7.0 does; an I/O error during them returns -1. */
int cliSessionConnect(cliSession *s, bool quiet);

bool cliSessionConnected(const cliSession *s);
void cliSessionDisconnect(cliSession *s);

/* Sends one command (arguments are binary-safe: lens gives their lengths).
 * Returns 0, or -1 with s->err set. */
int cliSessionSend(cliSession *s, int argc, char **argv, const size_t *lens);

/* Blocks for the next reply, whatever its type (pushes included). Returns 0
 * with *reply set (free with cliReplyFree()), or -1 with s->err / s->lost set
 * (I/O error, server gone, or protocol error). */
int cliSessionRead(cliSession *s, cliReply **reply);

/* Sends a command and reads its reply, skipping pushes: for the session's
 * own commands. Returns the reply or NULL (s->err set). */
cliReply *cliSessionCommand(cliSession *s, int argc, char **argv);

/* SELECTs s->inputDb if the connection is on another database; prints
 * "SELECT N failed: ..." on an error reply. Returns -1 only on I/O error. */
int cliSessionSelect(cliSession *s);

/* The prompt redis-cli shows: "HOST:PORT" ("[v6]:PORT"), or "redis PATH"
 * for a unix socket, then "[DB]" unless db 0, "(TX)" inside MULTI, "> ".
 * Writes at most len bytes (NUL included) to buf. */
void cliSessionPrompt(const cliSession *s, char *buf, size_t len);

#endif
