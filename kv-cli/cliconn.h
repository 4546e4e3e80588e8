/* cliconn.h — kv-cli's byte transport: a blocking TCP or unix-socket
 * connection with read, write-all and close.
 *
 * All socket calls of kv-cli live here, so that common's transport (and with
 * it TLS) can take this file's place without touching the rest. The error
 * strings are the ones hiredis produces, since redis-cli prints them and
 * scripts match them: "Connection refused", "Name or service not known",
 * "No such file or directory", "Server closed the connection", "Connection
 * reset by peer".
 *
 * A cliConn is opaque; open with cliConnOpenTcp()/cliConnOpenUnix(), free
 * with cliConnClose(). */
#ifndef KV_CLI_CONN_H
#define KV_CLI_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Room callers should give the err buffers below. */
#define CLI_CONN_ERR_LEN 256

/* TCP keepalive interval set on every TCP connection, as redis-cli. */
#define CLI_CONN_KEEPALIVE 15

typedef struct cliConn cliConn;

/* Connects to host:port, trying its IPv4 addresses first and IPv6 only if it
 * has none (hiredis's order). Returns the connection, or NULL with the reason
 * written to err (CLI_CONN_ERR_LEN bytes). */
cliConn *cliConnOpenTcp(const char *host, int port, char *err);

/* Connects to the unix socket at path. As cliConnOpenTcp(). */
cliConn *cliConnOpenUnix(const char *path, char *err);

/* Writes all len bytes. Returns 0, or -1 with cliConnError() set (EPIPE is
 * an error, never a signal). */
int cliConnWrite(cliConn *c, const char *buf, size_t len);

/* Blocks until some bytes arrive. Returns the count (> 0), 0 when the peer
 * closed the connection, -1 on an error; in both last cases cliConnError()
 * says why ("Server closed the connection" for 0). */
ssize_t cliConnRead(cliConn *c, char *buf, size_t len);

/* The last error message, "" if none. Borrowed; valid until the next call. */
const char *cliConnError(const cliConn *c);

/* True if the last error means the server went away (EOF, ECONNRESET or
 * EPIPE): the cases where an interactive session reconnects. */
bool cliConnLost(const cliConn *c);

/* Closes and frees. NULL is fine. */
void cliConnClose(cliConn *c);

#endif
