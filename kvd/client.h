/* client.h — one connected client: its socket, query buffer, parsed
 * arguments, reply buffer and per-connection state (db, protocol, name…).
 *
 * Data flow: readable socket → clientReadable appends to `qbuf` → the RESP
 * parser (common/resp.h) cuts out requests → dispatchCommand (dispatch.h)
 * runs each → replies are appended to `reply`, the client is queued, and
 * clientsHandlePendingWrites (clientFlush) writes every queued client's
 * replies before the event loop sleeps; a writable event is armed only when the
 * socket does not take everything at once.
 *
 * Arguments are zero-copy: `argv[i].ptr` points into `qbuf` and is valid
 * only while the current command runs; code that keeps an argument (a stored
 * value, a client name) copies it. Arguments are not NUL-terminated.
 */
#ifndef KV_CLIENT_H
#define KV_CLIENT_H

#include "dstr.h"
#include "resp.h"

#include <event2/event.h>
#include <event2/event_struct.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct Command;
struct Db;

typedef struct Arg {
    char *ptr;
    size_t len;
} Arg;

/* Client flags */
#define CLIENT_CLOSE_AFTER_REPLY (1 << 0)
#define CLIENT_CLOSE_ASAP        (1 << 1)
#define CLIENT_UNIX_SOCKET       (1 << 2)
#define CLIENT_PROTECTED         (1 << 3) /* inside a command: don't free */
#define CLIENT_NO_EVICT          (1 << 4)
#define CLIENT_REPLY_OFF         (1 << 5)
#define CLIENT_REPLY_SKIP_NEXT   (1 << 6)
#define CLIENT_REPLY_SKIP        (1 << 7)
#define CLIENT_PUSHING           (1 << 8)
#define CLIENT_PAUSED_WAIT       (1 << 9)
#define CLIENT_LOCAL             (1 << 10)
#define CLIENT_BLOCKED           (1 << 11) /* waiting on keys (blocking.h) */
#define CLIENT_PROP_HANDLED      (1 << 12) /* propagate.h: own argv not propagated */
#define CLIENT_FAKE              (1 << 13) /* no socket: AOF loading, scripts */
#define CLIENT_PUBSUB            (1 << 14) /* has (p|s)subscriptions (pubsub.h) */
#define CLIENT_MONITOR           (1 << 15) /* receives MONITOR lines (monitor.h) */
#define CLIENT_PENDING_WRITE     (1 << 16) /* queued for clientsHandlePendingWrites */
#define CLIENT_SCRIPT            (1 << 17) /* fake client running a script's calls */
/* tracking.h: client-side caching state */
#define CLIENT_TRACKING              (1 << 18) /* CLIENT TRACKING ON */
#define CLIENT_TRACKING_BROKEN_REDIR (1 << 19) /* the REDIRECT client went away */
#define CLIENT_TRACKING_BCAST        (1 << 20)
#define CLIENT_TRACKING_OPTIN        (1 << 21)
#define CLIENT_TRACKING_OPTOUT       (1 << 22)
#define CLIENT_TRACKING_CACHING      (1 << 23) /* CLIENT CACHING YES/NO for the next command */
#define CLIENT_TRACKING_NOLOOP       (1 << 24)

/* multi.h: transaction state (high bits, clear of the flags other modules add) */
#define CLIENT_MULTI      (1ULL << 40) /* between MULTI and EXEC/DISCARD */
#define CLIENT_DIRTY_CAS  (1ULL << 41) /* a watched key changed: EXEC fails */
#define CLIENT_DIRTY_EXEC (1ULL << 42) /* a command failed to queue: EXECABORT */

#define NET_ADDR_STR_LEN 64

typedef struct Client {
    uint64_t id;
    int fd;
    uint64_t flags;
    struct event readEvent;
    struct event writeEvent;
    bool writeArmed;
    /* input */
    dstr qbuf;
    size_t qpos; /* start of the first unprocessed request */
    size_t qbufPeak;
    RespRequestParser parser;
    int argc;
    Arg *argv;
    int argvCap;
    /* output */
    dstr reply;
    size_t replyPos; /* bytes of `reply` already written */
    unsigned long long replyBytesTotal;
    /* Streaming a big reply while its command runs (clientReplyStream).
     * Offsets called "logical" count from the start of the connection's
     * output: logical = replyShifted + index in `reply`, so they survive the
     * buffer dropping bytes already written from its front. */
    size_t replyStreamAt;     /* reply.c calls clientReplyStream at this dstrLen(reply) */
    size_t replyShifted;      /* bytes dropped from the front of `reply` so far */
    size_t replyCmdStart;     /* logical offset where the running command's reply starts */
    size_t replyDeferredOpen; /* deferred lengths (reply.h) not yet filled in */
    size_t replyDeferredLow;  /* logical offset of the first of them: nothing from
                                 there on may be written yet */
    /* Reply buffer sizing (clientsCron): the most bytes `reply` held since
     * replyPeakResetAt (ms), sampled before each write, which is when it is
     * fullest. CLIENT LIST shows it as rbp, the allocation as rbs. */
    size_t replyPeak;
    long long replyPeakResetAt;
    /* state */
    struct Db *db;
    int resp; /* 2 or 3 */
    bool authenticated;
    char *user;
    dstr name;
    struct Command *cmd;     /* the command running now */
    struct Command *lastCmd; /* the last one run */
    time_t ctime;
    long long lastInteraction; /* ms */
    char addr[NET_ADDR_STR_LEN];
    char laddr[NET_ADDR_STR_LEN];
    char libName[64];
    char libVersion[64];
    long long commandsProcessed;
    unsigned long long netInputBytes;
    unsigned long long netOutputBytes;
    /* owned by blocking.c while CLIENT_BLOCKED is set */
    void *blockState;
    /* owned by multi.c: queued commands (in MULTI) and watched keys */
    struct MultiQueue *multiQueue;
    struct WatchNode *watchedKeys;
    /* owned by pubsub.c: subscribed channels/patterns, NULL when none ever */
    struct PubsubClientState *pubsub;
    /* owned by tracking.c: redirection and BCAST prefixes, NULL when never
     * tracking */
    struct TrackingClientState *tracking;
    /* client-output-buffer-limit: when the soft limit was first exceeded
     * (ms), 0 when under it (outputlimit.h) */
    long long obufSoftLimitReachedTime;
    /* owned by multi.c: number of WATCH entries of this client */
    unsigned long watchedKeyCount;
    /* owned by clienteviction.c: the memory last measured and the client
     * type it is summed under (while memCounted), and the memory-usage
     * bucket the client is linked into (while memBucketed) */
    size_t memUsage;
    int memType;
    int memBucket;
    bool memCounted;
    bool memBucketed;
    struct Client *bucketPrev, *bucketNext;
    /* intrusive doubly linked list of all clients */
    struct Client *prev, *next;
} Client;

/* Accept path: wraps a connected socket. `flags` holds CLIENT_UNIX_SOCKET
 * for unix sockets. Returns NULL (and closes fd) when the client was refused
 * with a message (max clients, protected mode). */
Client *clientCreate(int fd, uint64_t flags);
/* Frees now, or marks for freeing if the client is inside a command. */
void clientFree(Client *c);
/* A client with no socket (fd -1), not in the client list and not counted:
 * it runs commands for the AOF loader, scripts and EXEC-like callers, who
 * read (and clear) its `reply` buffer themselves. Free with clientFree. */
Client *clientCreateFake(void);
void clientFreeAsync(Client *c);
/* Frees clients marked CLIENT_CLOSE_ASAP (called from the event loop). */
void clientFreeClosing(void);

/* Writes as much of the reply buffer as the socket takes; arms the writable
 * event for the rest. Returns false if the client was freed. */
bool clientFlush(Client *c);
/* For data appended to a client other than the one being served (pub/sub
 * messages, MONITOR lines): checks its output buffer limits (which may
 * schedule it for closing) and queues it to be written before the event loop
 * sleeps. */
void clientAppendedOutOfBand(Client *c);
/* Called by reply.c when dstrLen(c->reply) reaches c->replyStreamAt, i.e.
 * when a reply (typically of the command running now) keeps growing: writes
 * what the socket takes right away (non-blocking) and drops the written
 * bytes, so a client that reads keeps the buffer small. A client that went
 * away (write error) is scheduled for closing; one over its output buffer
 * limit or over the single-command cap (outputlimit.h) is logged and
 * scheduled for closing. Either way its output is then dropped (reply.c
 * appends become no-ops) and replyAborted(c) (reply.h) turns true, so long
 * loops can stop. Never frees c. Not for fake clients (no-op). */
void clientReplyStream(Client *c);
/* Queues `c` to have its reply buffer written before the event loop sleeps
 * (no output-limit check: the command path checks after each command). */
void clientQueueWrite(Client *c);
/* Flushes the clients queued by clientAppendedOutOfBand / clientQueueWrite
 * (before sleeping). */
void clientsHandlePendingWrites(void);

/* Client types (CLIENT LIST/KILL TYPE, client-output-buffer-limit classes). */
enum { CLIENT_TYPE_NORMAL = 0, CLIENT_TYPE_REPLICA, CLIENT_TYPE_PUBSUB, CLIENT_TYPE_MASTER };
int clientTypeOf(const Client *c);

Client *clientFirst(void);
Client *clientById(uint64_t id);
unsigned long clientCount(void);
unsigned long clientMaxInputBuffer(void);
unsigned long clientMaxOutputBuffer(void);
/* The memory c holds, as Redis counts it for CLIENT LIST tot-mem, client
 * eviction (maxmemory-clients) and INFO mem_clients_normal: the Client
 * itself, query and reply buffers with their unused space, the argument
 * vector, the name, the MULTI queue, WATCH entries and subscriptions.
 * O(1). */
size_t clientMemoryUsage(const Client *c);
/* "id=… addr=… …" line of CLIENT LIST / CLIENT INFO. */
dstr clientInfoLine(Client *c, dstr out);
/* Closes idle clients (timeout), gives back idle query buffers and sizes
 * reply buffers to their recent peak (see clientResizeReplyBuffer in
 * client.c); from cron. */
void clientsCron(void);
/* INFO stats reply_buffer_shrinks / reply_buffer_expands: resizes done by
 * clientsCron since start (or CONFIG RESETSTAT). */
unsigned long long clientReplyBufferShrinks(void);
unsigned long long clientReplyBufferExpands(void);
void clientReplyBufferResetStats(void);
/* Reads and processes c's input now, as its readable event would (a busy
 * script serves clients this way: libevent's loop cannot be re-entered).
 * c may be freed. */
void clientReadNow(Client *c);
/* Parses and runs every complete request waiting in the query buffer
 * (used after a pause ends) and queues the client for writing its replies
 * before the loop sleeps. Returns false if the client was freed. */
bool clientProcessInput(Client *c);

/* CLIENT PAUSE state, queried by dispatch. */
bool clientsArePaused(bool writeCommand);
/* Re-runs input of clients whose pause ended (from cron). */
void clientsResumePaused(void);

/* Argument helpers. */
static inline bool argIs(const Arg *a, const char *lit) {
    size_t n = 0;
    while (lit[n]) n++;
    if (a->len != n) return false;
    for (size_t i = 0; i < n; i++) {
        char x = a->ptr[i], y = lit[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return false;
    }
    return true;
}

#endif
