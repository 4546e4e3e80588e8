/* clisession.c — connection, handshake and request/reply for kv-cli (see
 * clisession.h). The messages printed here are redis-cli 7.0's. */
#include "clisession.h"

#include "mem.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_READ_CHUNK (16 * 1024)

cliSession *cliSessionCreate(void) {
    cliSession *s = kvCalloc(sizeof(cliSession));
    s->host = kvStrdup("127.0.0.1");
    s->port = 6379;
    return s;
}

void cliSessionFree(cliSession *s) {
    if (!s) return;
    cliSessionDisconnect(s);
    kvFree(s->host);
    kvFree(s->unixSocket);
    kvFree(s->user);
    kvFree(s->auth);
    kvFree(s);
}

void cliSessionSet(char **field, const char *v) {
    kvFree(*field);
    *field = v ? kvStrdup(v) : NULL;
}

bool cliSessionConnected(const cliSession *s) {
    return s->conn != NULL;
}

void cliSessionDisconnect(cliSession *s) {
    cliConnClose(s->conn);
    s->conn = NULL;
    cliReaderFree(s->reader);
    s->reader = NULL;
    s->inMulti = false;
}

int cliSessionSend(cliSession *s, int argc, char **argv, const size_t *lens) {
    if (!s->conn) {
        snprintf(s->err, sizeof(s->err), "Not connected");
        s->lost = true;
        return -1;
    }
    char *cmd = NULL;
    int len = redisFormatCommandArgv(&cmd, argc, (const char **)argv, lens);
    if (len < 0) {
        snprintf(s->err, sizeof(s->err), "Out of memory");
        s->lost = false;
        return -1;
    }
    int rc = cliConnWrite(s->conn, cmd, (size_t)len);
    redisFreeCommand(cmd);
    if (rc != 0) {
        snprintf(s->err, sizeof(s->err), "%s", cliConnError(s->conn));
        s->lost = cliConnLost(s->conn);
        return -1;
    }
    return 0;
}

int cliSessionRead(cliSession *s, cliReply **reply) {
    *reply = NULL;
    if (!s->conn) {
        snprintf(s->err, sizeof(s->err), "Not connected");
        s->lost = true;
        return -1;
    }
    char buf[SESSION_READ_CHUNK];
    while (1) {
        if (cliReaderGetReply(s->reader, reply) != 0) {
            snprintf(s->err, sizeof(s->err), "%s", cliReaderError(s->reader));
            s->lost = false;
            return -1;
        }
        if (*reply) return 0;
        ssize_t n = cliConnRead(s->conn, buf, sizeof(buf));
        if (n <= 0) {
            snprintf(s->err, sizeof(s->err), "%s", cliConnError(s->conn));
            s->lost = cliConnLost(s->conn);
            return -1;
        }
        cliReaderFeed(s->reader, buf, (size_t)n);
    }
}

cliReply *cliSessionCommand(cliSession *s, int argc, char **argv) {
    size_t lens[8];
    if (argc > 8) return NULL;
    for (int i = 0; i < argc; i++) lens[i] = strlen(argv[i]);
    if (cliSessionSend(s, argc, argv, lens) != 0) return NULL;
    cliReply *reply;
    do {
        if (cliSessionRead(s, &reply) != 0) return NULL;
        if (reply->type != CLI_REPLY_PUSH) return reply;
        cliReplyFree(reply);
    } while (1);
}

/* AUTH [user] pass. A refused password is only a warning (redis-cli 7.0
 * goes on and lets the commands fail with NOAUTH). */
static int sessionAuth(cliSession *s) {
    if (!s->auth) return 0;
    char *argv[3] = {"AUTH", s->user ? s->user : s->auth, s->auth};
    cliReply *reply = cliSessionCommand(s, s->user ? 3 : 2, argv);
    if (!reply) {
        fprintf(stderr, "\nI/O error\n");
        return -1;
    }
    if (reply->type == CLI_REPLY_ERROR) fprintf(stderr, "AUTH failed: %s\n", reply->str);
    cliReplyFree(reply);
    return 0;
}

int cliSessionSelect(cliSession *s) {
    if (s->inputDb == s->dbnum) return 0;
    char db[24];
    snprintf(db, sizeof(db), "%d", s->inputDb);
    char *argv[2] = {"SELECT", db};
    cliReply *reply = cliSessionCommand(s, 2, argv);
    if (!reply) {
        fprintf(stderr, "\nI/O error\n");
        return -1;
    }
    if (reply->type == CLI_REPLY_ERROR)
        fprintf(stderr, "SELECT %d failed: %s\n", s->inputDb, reply->str);
    else
        s->dbnum = s->inputDb;
    cliReplyFree(reply);
    return 0;
}

static int sessionHello3(cliSession *s) {
    if (!s->resp3) return 0;
    char *argv[2] = {"HELLO", "3"};
    cliReply *reply = cliSessionCommand(s, 2, argv);
    if (!reply) {
        fprintf(stderr, "\nI/O error\n");
        return -1;
    }
    if (reply->type == CLI_REPLY_ERROR) fprintf(stderr, "HELLO 3 failed: %s\n", reply->str);
    cliReplyFree(reply);
    return 0;
}

int cliSessionConnect(cliSession *s, bool quiet) {
    char err[CLI_CONN_ERR_LEN];
    cliSessionDisconnect(s);
    s->dbnum = 0;
    if (s->unixSocket)
        s->conn = cliConnOpenUnix(s->unixSocket, err);
    else
        s->conn = cliConnOpenTcp(s->host, s->port, err);
    if (!s->conn) {
        if (!quiet) {
            if (s->unixSocket)
                fprintf(stderr, "Could not connect to Redis at %s: %s\n", s->unixSocket, err);
            else
                fprintf(stderr, "Could not connect to Redis at %s:%d: %s\n", s->host, s->port, err);
        }
        snprintf(s->err, sizeof(s->err), "%s", err);
        return -1;
    }
    s->reader = cliReaderCreate();
    if (sessionAuth(s) != 0 || cliSessionSelect(s) != 0 || sessionHello3(s) != 0) {
        cliSessionDisconnect(s);
        return -1;
    }
    return 0;
}

void cliSessionPrompt(const cliSession *s, char *buf, size_t len) {
    int n;
    if (s->unixSocket)
        n = snprintf(buf, len, "redis %s", s->unixSocket);
    else if (strchr(s->host, ':'))
        n = snprintf(buf, len, "[%s]:%d", s->host, s->port); /* IPv6, as anetFormatAddr */
    else
        n = snprintf(buf, len, "%s:%d", s->host, s->port);
    if (n < 0 || (size_t)n >= len) return;
    if (s->dbnum != 0) n += snprintf(buf + n, len - (size_t)n, "[%d]", s->dbnum);
    if ((size_t)n >= len) return;
    if (s->inMulti) n += snprintf(buf + n, len - (size_t)n, "(TX)");
    if ((size_t)n >= len) return;
    snprintf(buf + n, len - (size_t)n, "> ");
}
