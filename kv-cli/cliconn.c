/* cliconn.c — blocking TCP / unix-socket transport for kv-cli (see
 * cliconn.h). Mirrors what hiredis's redisConnect() and redisConnectUnix()
 * do for a blocking context: address order, TCP_NODELAY, and the error
 * strings; adds redis-cli's keepalive. */
#include "cliconn.h"

#include "mem.h"
#include "net.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct cliConn {
    int fd;
    bool lost; /* the last error was EOF, ECONNRESET or EPIPE */
    char err[CLI_CONN_ERR_LEN];
};

static cliConn *connNew(int fd) {
    cliConn *c = kvCalloc(sizeof(cliConn));
    c->fd = fd;
    return c;
}

static void connSetErrno(cliConn *c, int err) {
    snprintf(c->err, sizeof(c->err), "%s", strerror(err));
    c->lost = err == ECONNRESET || err == EPIPE;
}

cliConn *cliConnOpenTcp(const char *host, int port, char *err) {
    struct addrinfo hints, *res = NULL;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_INET;
    int rv = getaddrinfo(host, portstr, &hints, &res);
    if (rv != 0) {
        hints.ai_family = AF_INET6;
        rv = getaddrinfo(host, portstr, &hints, &res);
    }
    if (rv != 0) {
        snprintf(err, CLI_CONN_ERR_LEN, "%s", gai_strerror(rv));
        return NULL;
    }
    int fd = -1, lastErrno = ECONNREFUSED;
    for (struct addrinfo *p = res; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) {
            lastErrno = errno;
            continue;
        }
        int rc;
        do rc = connect(fd, p->ai_addr, p->ai_addrlen);
        while (rc == -1 && errno == EINTR);
        if (rc == 0) break;
        lastErrno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd == -1) {
        snprintf(err, CLI_CONN_ERR_LEN, "%s", strerror(lastErrno));
        return NULL;
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    netSetKeepAlive(fd, CLI_CONN_KEEPALIVE);
    return connNew(fd);
}

cliConn *cliConnOpenUnix(const char *path, char *err) {
    struct sockaddr_un sa;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1) {
        snprintf(err, CLI_CONN_ERR_LEN, "%s", strerror(errno));
        return NULL;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    /* hiredis truncates a path longer than sun_path the same way. */
    strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
    int rc;
    do rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    while (rc == -1 && errno == EINTR);
    if (rc == -1) {
        snprintf(err, CLI_CONN_ERR_LEN, "%s", strerror(errno));
        close(fd);
        return NULL;
    }
    return connNew(fd);
}

int cliConnWrite(cliConn *c, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);
        if (n == -1) {
            if (errno == EINTR) continue;
            connSetErrno(c, errno);
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

ssize_t cliConnRead(cliConn *c, char *buf, size_t len) {
    while (1) {
        ssize_t n = read(c->fd, buf, len);
        if (n > 0) return n;
        if (n == 0) {
            snprintf(c->err, sizeof(c->err), "Server closed the connection");
            c->lost = true;
            return 0;
        }
        if (errno == EINTR) continue;
        connSetErrno(c, errno);
        return -1;
    }
}

const char *cliConnError(const cliConn *c) {
    return c->err;
}

bool cliConnLost(const cliConn *c) {
    return c->lost;
}

void cliConnClose(cliConn *c) {
    if (!c) return;
    close(c->fd);
    kvFree(c);
}
