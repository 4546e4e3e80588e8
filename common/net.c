/* net.c — socket helpers (see net.h). */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int netSetNonBlock(int fd, bool nonblock) {
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1) return -1;
    flags = nonblock ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags);
}

int netSetNoDelay(int fd, bool on) {
    int v = on ? 1 : 0;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
}

int netSetKeepAlive(int fd, int interval) {
    int yes = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes)) == -1) return -1;
    int idle = interval, intvl = interval / 3, cnt = 3;
    if (intvl == 0) intvl = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) == -1) return -1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) == -1) return -1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)) == -1) return -1;
    return 0;
}

int netListenTcp(const char *addr, int port, int backlog, char *err) {
    struct addrinfo hints, *res = NULL, *p;
    char portstr[16];
    bool v6 = strchr(addr, ':') != NULL;
    const char *host = addr;
    if (strcmp(addr, "*") == 0) host = NULL;
    if (strcmp(addr, "::*") == 0) host = NULL;
    snprintf(portstr, sizeof(portstr), "%d", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = v6 ? AF_INET6 : AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rv = getaddrinfo(host, portstr, &hints, &res);
    if (rv != 0) {
        snprintf(err, NET_ERR_LEN, "%s", gai_strerror(rv));
        return -1;
    }
    int fd = -1;
    for (p = res; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) continue;
        int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        if (p->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
        if (bind(fd, p->ai_addr, p->ai_addrlen) == -1 || listen(fd, backlog) == -1) {
            snprintf(err, NET_ERR_LEN, "%s", strerror(errno));
            close(fd);
            fd = -1;
            continue;
        }
        break;
    }
    freeaddrinfo(res);
    if (fd == -1) return -1;
    netSetNonBlock(fd, true);
    return fd;
}

int netListenUnix(const char *path, unsigned perm, int backlog, char *err) {
    struct sockaddr_un sa;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        snprintf(err, NET_ERR_LEN, "unix socket path too long");
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1) {
        snprintf(err, NET_ERR_LEN, "%s", strerror(errno));
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    strcpy(sa.sun_path, path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 || listen(fd, backlog) == -1) {
        snprintf(err, NET_ERR_LEN, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (perm) chmod(path, perm);
    netSetNonBlock(fd, true);
    return fd;
}

int netAccept(int lfd) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd == -1 && errno == EINTR) continue;
        return fd;
    }
}

static void netFormatAddr(struct sockaddr_storage *sa, char *buf, size_t len) {
    char ip[INET6_ADDRSTRLEN];
    if (sa->ss_family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
        snprintf(buf, len, "%s:%d", ip, ntohs(s->sin_port));
    } else if (sa->ss_family == AF_INET6) {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
        snprintf(buf, len, "%s:%d", ip, ntohs(s->sin6_port));
    } else if (sa->ss_family == AF_UNIX) {
        struct sockaddr_un *s = (struct sockaddr_un *)sa;
        snprintf(buf, len, "%s:0", s->sun_path);
    } else {
        snprintf(buf, len, "?:0");
    }
}

void netFormatPeer(int fd, char *buf, size_t len) {
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    memset(&sa, 0, sizeof(sa));
    if (getpeername(fd, (struct sockaddr *)&sa, &salen) == -1) {
        snprintf(buf, len, "?:0");
        return;
    }
    netFormatAddr(&sa, buf, len);
}

void netFormatLocal(int fd, char *buf, size_t len) {
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    memset(&sa, 0, sizeof(sa));
    if (getsockname(fd, (struct sockaddr *)&sa, &salen) == -1) {
        snprintf(buf, len, "?:0");
        return;
    }
    netFormatAddr(&sa, buf, len);
}

bool netPeerIsLocal(int fd) {
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    if (getpeername(fd, (struct sockaddr *)&sa, &salen) == -1) return false;
    if (sa.ss_family == AF_UNIX) return true;
    if (sa.ss_family == AF_INET) {
        uint32_t a = ntohl(((struct sockaddr_in *)&sa)->sin_addr.s_addr);
        return (a >> 24) == 127;
    }
    if (sa.ss_family == AF_INET6) {
        struct in6_addr *a = &((struct sockaddr_in6 *)&sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a)) return true;
        if (IN6_IS_ADDR_V4MAPPED(a)) return a->s6_addr[12] == 127;
    }
    return false;
}

static int netWaitConnected(int fd, long timeoutMs, char *err) {
    struct pollfd pfd = {fd, POLLOUT, 0};
    int rv = poll(&pfd, 1, timeoutMs > 0 ? (int)timeoutMs : -1);
    if (rv == 0) {
        snprintf(err, NET_ERR_LEN, "Connection timed out");
        return -1;
    }
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    if (rv < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1 || soerr) {
        snprintf(err, NET_ERR_LEN, "%s", strerror(soerr ? soerr : errno));
        return -1;
    }
    return 0;
}

int netConnect(const char *host, int port, long timeoutMs, char *err) {
    if (host[0] == '/') {
        struct sockaddr_un sa;
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd == -1) {
            snprintf(err, NET_ERR_LEN, "%s", strerror(errno));
            return -1;
        }
        memset(&sa, 0, sizeof(sa));
        sa.sun_family = AF_UNIX;
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", host);
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
            snprintf(err, NET_ERR_LEN, "%s", strerror(errno));
            close(fd);
            return -1;
        }
        return fd;
    }
    struct addrinfo hints, *res = NULL, *p;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rv = getaddrinfo(host, portstr, &hints, &res);
    if (rv != 0) {
        snprintf(err, NET_ERR_LEN, "%s", gai_strerror(rv));
        return -1;
    }
    int fd = -1;
    for (p = res; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) continue;
        netSetNonBlock(fd, true);
        if (connect(fd, p->ai_addr, p->ai_addrlen) == 0 ||
            (errno == EINPROGRESS && netWaitConnected(fd, timeoutMs, err) == 0)) {
            netSetNonBlock(fd, false);
            netSetNoDelay(fd, true);
            break;
        }
        if (errno != EINPROGRESS) snprintf(err, NET_ERR_LEN, "%s", strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}
