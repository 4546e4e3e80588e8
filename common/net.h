/* net.h — socket helpers shared by the servers and the clients: listening
 * on TCP (IPv4/IPv6, the "-addr" optional form and "*" wildcards of Redis's
 * bind directive) and unix sockets, socket options, peer formatting, and a
 * blocking connect for the tools. Errors are returned as -1 with a message
 * written to `err` (at least NET_ERR_LEN bytes). */
#ifndef KV_NET_H
#define KV_NET_H

#include <stdbool.h>
#include <stddef.h>

#define NET_ERR_LEN  256
#define NET_ADDR_LEN 64

/* Listens on addr:port (addr "*" = every IPv4 address, "::*" = every IPv6
 * address). Returns the non-blocking fd or -1. */
int netListenTcp(const char *addr, int port, int backlog, char *err);
/* Listens on a unix socket path with the given permissions (0 = default). */
int netListenUnix(const char *path, unsigned perm, int backlog, char *err);
/* Accepts one connection; returns the fd (non-blocking) or -1 (errno set;
 * EAGAIN when none is waiting). */
int netAccept(int lfd);
int netSetNonBlock(int fd, bool nonblock);
int netSetNoDelay(int fd, bool on);
/* TCP keepalive with the given interval in seconds (Linux semantics of
 * Redis's tcp-keepalive). */
int netSetKeepAlive(int fd, int interval);
/* "ip:port" of the peer / of the local end ("/path:0" for unix sockets). */
void netFormatPeer(int fd, char *buf, size_t len);
void netFormatLocal(int fd, char *buf, size_t len);
/* True if the peer is on a loopback address or a unix socket. */
bool netPeerIsLocal(int fd);
/* Blocking connect with a timeout in ms (0 = none) to host:port or, when
 * host starts with '/', to a unix socket. Returns fd or -1 with err set. */
int netConnect(const char *host, int port, long timeoutMs, char *err);

#endif
