/* client.c — connection lifecycle: accept-time checks, reading and parsing
 * requests, writing replies, freeing, the client list and CLIENT LIST lines.
 * The CLIENT command itself lives in clientcmd.c. */
#include "client.h"

#include "aof.h"
#include "blocking.h"
#include "clienteviction.h"
#include "command.h"
#include "config.h"
#include "db.h"
#include "debug.h"
#include "dispatch.h"
#include "log.h"
#include "mem.h"
#include "multi.h"
#include "monitor.h"
#include "net.h"
#include "outputlimit.h"
#include "pubsub.h"
#include "reply.h"
#include "server.h"
#include "tracking.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CLIENT_READ_LEN (16 * 1024)
/* Reply buffer sizes clientsCron keeps between these (allocation bytes, as
 * CLIENT LIST rbs shows them): Redis 7.0's PROTO_REPLY_MIN_BYTES and
 * PROTO_REPLY_CHUNK_BYTES, its fixed reply buffer's bounds. */
#define CLIENT_REPLY_BUF_MIN (1024)
#define CLIENT_REPLY_BUF_MAX (16 * 1024)
/* A reply with this many bytes not yet written is pushed to the socket while
 * its command still runs (clientReplyStream), and again after each further
 * this-many bytes: 1 MB keeps one write per MB (negligible next to producing
 * a MB of RESP) while a reading client never makes kvd hold more than a few
 * MB for it, whatever the reply's size. */
#define CLIENT_REPLY_STREAM_THRESHOLD (1024 * 1024)

static Client *clientHead = NULL;
/* Clients waiting to be freed once no command holds them. */
static Client **closingList = NULL;
static size_t closingCount = 0, closingCap = 0;
static unsigned long clientNum = 0;
/* Clients with output appended out of band, to flush before sleeping;
 * entries of freed clients are set to NULL. */
static Client **pendingWrites = NULL;
static size_t pendingWritesCount = 0, pendingWritesCap = 0;
static uint64_t nextClientId = 1;
static unsigned long long replyBufferShrinks = 0, replyBufferExpands = 0;

static void clientReadable(evutil_socket_t fd, short what, void *arg);
static void clientWritable(evutil_socket_t fd, short what, void *arg);

static const char *protectedModeMessage =
    "-DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from the "
    "loopback interface. If you want to connect from external computers to Redis you may adopt "
    "one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG "
    "SET protected-mode no' from the loopback interface by connecting to Redis from the same "
    "host the server is running, however MAKE SURE Redis is not publicly accessible from "
    "internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively "
    "you can just disable the protected mode by editing the Redis configuration file, and "
    "setting the protected mode option to 'no', and then restarting the server. 3) If you "
    "started the server manually just for testing, restart it with the '--protected-mode no' "
    "option. 4) Setup a bind address or an authentication password. NOTE: You only need to do "
    "one of the above things in order for the server to start accepting connections from the "
    "outside.\r\n";

static void clientRefuse(int fd, const char *msg) {
    /* Best effort: the client may already be gone. */
    ssize_t n = write(fd, msg, strlen(msg));
    (void)n;
    close(fd);
}

Client *clientCreate(int fd, uint64_t flags) {
    if (clientNum >= (unsigned long)config.maxclients) {
        clientRefuse(fd, "-ERR max number of clients reached\r\n");
        stats.rejectedConns++;
        return NULL;
    }
    bool local = (flags & CLIENT_UNIX_SOCKET) || netPeerIsLocal(fd);
    /* Redis 7.0 refuses non-loopback clients whenever protected mode is on
     * and the default user has no password, whatever the bind list says. */
    if (config.protectedMode && (!config.requirepass || !config.requirepass[0]) && !local) {
        clientRefuse(fd, protectedModeMessage);
        stats.rejectedConns++;
        return NULL;
    }
    Client *c = kvCalloc(sizeof(*c));
    c->id = nextClientId++;
    c->fd = fd;
    c->flags = flags | (local ? CLIENT_LOCAL : 0);
    c->qbuf = dstrEmpty();
    c->reply = dstrWithCapacity(1024);
    respRequestInit(&c->parser, config.protoMaxBulkLen);
    c->db = dbGet(0);
    c->resp = 2;
    c->authenticated = !config.requirepass || !config.requirepass[0];
    c->ctime = (time_t)(serverNowMs() / 1000);
    c->lastInteraction = serverNowMs();
    c->replyPeakResetAt = c->lastInteraction;
    if (flags & CLIENT_UNIX_SOCKET) {
        snprintf(c->addr, sizeof(c->addr), "%s:0", config.unixsocket ? config.unixsocket : "");
        snprintf(c->laddr, sizeof(c->laddr), "%s:0", config.unixsocket ? config.unixsocket : "");
    } else {
        netSetNoDelay(fd, true);
        if (config.tcpKeepalive > 0) netSetKeepAlive(fd, config.tcpKeepalive);
        netFormatPeer(fd, c->addr, sizeof(c->addr));
        netFormatLocal(fd, c->laddr, sizeof(c->laddr));
    }
    event_assign(&c->readEvent, serverEventBase(), fd, EV_READ | EV_PERSIST, clientReadable, c);
    event_assign(&c->writeEvent, serverEventBase(), fd, EV_WRITE | EV_PERSIST, clientWritable, c);
    event_add(&c->readEvent, NULL);
    c->next = clientHead;
    if (clientHead) clientHead->prev = c;
    clientHead = c;
    clientNum++;
    stats.numConnections++;
    clientEvictionUpdate(c);
    return c;
}

Client *clientCreateFake(void) {
    Client *c = kvCalloc(sizeof(*c));
    c->id = nextClientId++;
    c->fd = -1;
    c->flags = CLIENT_FAKE;
    c->qbuf = dstrEmpty();
    c->reply = dstrWithCapacity(256);
    respRequestInit(&c->parser, config.protoMaxBulkLen);
    c->db = dbGet(0);
    c->resp = 2;
    c->authenticated = true;
    c->ctime = (time_t)(serverNowMs() / 1000);
    c->lastInteraction = serverNowMs();
    return c;
}

void clientFreeAsync(Client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    c->flags |= CLIENT_CLOSE_ASAP;
    clientEvictionForget(c); /* its memory is about to be given back */
    if (closingCount == closingCap) {
        closingCap = closingCap ? closingCap * 2 : 16;
        closingList = kvRealloc(closingList, closingCap * sizeof(*closingList));
    }
    closingList[closingCount++] = c;
}

/* Frees a client that nothing holds any more. */
static void clientRelease(Client *c) {
    clientEvictionForget(c);
    if (c->flags & CLIENT_BLOCKED) blockingOnClientFree(c);
    multiClientReset(c);
    pubsubClientFree(c);
    trackingDisable(c);
    if (c->flags & CLIENT_MONITOR) monitorRemove(c);
    if (c->flags & CLIENT_PENDING_WRITE) {
        for (size_t i = 0; i < pendingWritesCount; i++)
            if (pendingWrites[i] == c) pendingWrites[i] = NULL;
    }
    if (!(c->flags & CLIENT_FAKE)) {
        event_del(&c->readEvent);
        event_del(&c->writeEvent);
        close(c->fd);
        if (c->prev)
            c->prev->next = c->next;
        else
            clientHead = c->next;
        if (c->next) c->next->prev = c->prev;
        clientNum--;
    }
    dstrFree(c->qbuf);
    dstrFree(c->reply);
    dstrFree(c->name);
    respRequestFree(&c->parser);
    kvFree(c->argv);
    kvFree(c->user);
    kvFree(c);
}

void clientFree(Client *c) {
    if (c == dispatchCurrentClient() || (c->flags & CLIENT_PROTECTED)) {
        clientFreeAsync(c);
        return;
    }
    if (c->flags & CLIENT_CLOSE_ASAP) {
        /* Already queued: drop it from the queue before freeing. */
        for (size_t i = 0; i < closingCount; i++)
            if (closingList[i] == c) closingList[i] = closingList[--closingCount];
    }
    clientRelease(c);
}

void clientFreeClosing(void) {
    size_t kept = 0;
    for (size_t i = 0; i < closingCount; i++) {
        Client *c = closingList[i];
        if (c == dispatchCurrentClient() || (c->flags & CLIENT_PROTECTED)) {
            closingList[kept++] = c;
            continue;
        }
        clientRelease(c);
    }
    closingCount = kept;
}

int clientTypeOf(const Client *c) {
    if (c->flags & CLIENT_PUBSUB) return CLIENT_TYPE_PUBSUB;
    return CLIENT_TYPE_NORMAL;
}

void clientAppendedOutOfBand(Client *c) {
    if (c->flags & CLIENT_FAKE) return;
    if (outputLimitEnforce(c)) return;
    clientEvictionNoteChange(c);
    clientQueueWrite(c);
}

void clientQueueWrite(Client *c) {
    if (c->flags & (CLIENT_FAKE | CLIENT_PENDING_WRITE)) return;
    c->flags |= CLIENT_PENDING_WRITE;
    if (pendingWritesCount == pendingWritesCap) {
        pendingWritesCap = pendingWritesCap ? pendingWritesCap * 2 : 16;
        pendingWrites = kvRealloc(pendingWrites, pendingWritesCap * sizeof(*pendingWrites));
    }
    pendingWrites[pendingWritesCount++] = c;
}

void clientsHandlePendingWrites(void) {
    /* Latest queued first, as Redis (which pushes at the head of its list):
     * a publisher is queued after the subscribers its PUBLISH reached, so
     * its reply leaves before the fan-out and its next request is already
     * there when the loop polls again (fewer, fuller loop turns). Entries
     * queued meanwhile (slots past `done`) get the same treatment in a
     * further pass. clientFlush may free a client (write error), which NULLs
     * its slot. */
    size_t done = 0;
    while (done < pendingWritesCount) {
        size_t end = pendingWritesCount;
        for (size_t i = end; i-- > done;) {
            Client *c = pendingWrites[i];
            if (!c) continue;
            pendingWrites[i] = NULL;
            c->flags &= ~(uint64_t)CLIENT_PENDING_WRITE;
            /* A client in the middle of a command is flushed when it ends. */
            if (c->flags & (CLIENT_PROTECTED | CLIENT_CLOSE_ASAP)) continue;
            if (c->writeArmed) continue; /* the writable event will send it */
            clientFlush(c);
        }
        done = end;
    }
    pendingWritesCount = 0;
}

Client *clientFirst(void) {
    return clientHead;
}

Client *clientById(uint64_t id) {
    for (Client *c = clientHead; c; c = c->next)
        if (c->id == id) return c;
    return NULL;
}

unsigned long clientCount(void) {
    return clientNum;
}

unsigned long clientMaxInputBuffer(void) {
    unsigned long m = 0;
    for (Client *c = clientHead; c; c = c->next)
        if (c->qbufPeak > m) m = c->qbufPeak;
    return m;
}

unsigned long clientMaxOutputBuffer(void) {
    unsigned long m = 0;
    for (Client *c = clientHead; c; c = c->next)
        if (dstrAllocSize(c->reply) > m) m = dstrAllocSize(c->reply);
    return m;
}

/* Drops the bytes of c->reply already written (the first replyPos), keeping
 * the logical offsets (client.h) valid. */
static void clientReplyDropSent(Client *c) {
    size_t n = c->replyPos;
    if (n == 0) return;
    if (n == dstrLen(c->reply))
        dstrClear(c->reply);
    else
        dstrConsume(c->reply, n);
    c->replyShifted += n;
    c->replyStreamAt = c->replyStreamAt > n ? c->replyStreamAt - n : 0;
    c->replyPos = 0;
}

/* Writes c->reply up to index `end` while the socket takes it. Returns false
 * on a write error (the peer is gone); EAGAIN is not an error. */
static bool clientWriteUpTo(Client *c, size_t end) {
    /* Before a write the buffer is as full as it gets this turn. */
    if (dstrLen(c->reply) > c->replyPeak) c->replyPeak = dstrLen(c->reply);
    while (c->replyPos < end) {
        ssize_t n = write(c->fd, c->reply + c->replyPos, end - c->replyPos);
        if (n > 0) {
            c->replyPos += (size_t)n;
            c->netOutputBytes += (unsigned long long)n;
            stats.netOutputBytes += (unsigned long long)n;
            continue;
        }
        if (n == -1 && errno == EINTR) continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        return false;
    }
    return true;
}

/* Output of a client being closed is dropped: give its memory back now
 * rather than when the client is finally freed. */
static void clientReplyDiscard(Client *c) {
    dstrFree(c->reply);
    c->reply = dstrEmpty();
    c->replyPos = 0;
    c->replyStreamAt = SIZE_MAX;
}

void clientReplyStream(Client *c) {
    if (c->flags & (CLIENT_FAKE | CLIENT_CLOSE_ASAP)) {
        /* Fake clients' callers read the whole reply; a closing client's
         * output is dropped anyway. */
        c->replyStreamAt = SIZE_MAX;
        return;
    }
    size_t len = dstrLen(c->reply);
    if (len - c->replyPos < CLIENT_REPLY_STREAM_THRESHOLD) {
        c->replyStreamAt = c->replyPos + CLIENT_REPLY_STREAM_THRESHOLD;
        return;
    }
    /* Bytes from an open deferred length on must wait: its header will be
     * inserted there. */
    size_t end = len;
    if (c->replyDeferredOpen && c->replyDeferredLow - c->replyShifted < end)
        end = c->replyDeferredLow - c->replyShifted;
    if (end > c->replyPos) {
        /* As in clientFlush: writes reach the AOF before their replies. */
        if (aofHasPending()) aofFlushBeforeReplies();
        if (!clientWriteUpTo(c, end)) {
            logMsg(LL_VERBOSE, "Error writing to client: %s", strerror(errno));
            clientFreeAsync(c);
            clientReplyDiscard(c);
            return;
        }
    }
    if (c->replyPos * 2 >= dstrLen(c->reply)) clientReplyDropSent(c);
    c->replyStreamAt = dstrLen(c->reply) + CLIENT_REPLY_STREAM_THRESHOLD;
    /* What the socket refused of the running command's own reply (earlier
     * pipelined replies are not its doing; bytes held behind a deferred
     * length are bounded by the data set, not by the client's reading). */
    size_t sentUpTo = c->replyShifted + c->replyPos;
    size_t from = c->replyCmdStart > sentUpTo ? c->replyCmdStart : sentUpTo;
    size_t endLogical = c->replyShifted + end;
    size_t commandUnsent = endLogical > from ? endLogical - from : 0;
    if (outputLimitEnforceStreaming(c, commandUnsent))
        clientReplyDiscard(c);
    else
        clientEvictionNoteChange(c);
}

static void clientArmWrite(Client *c, bool on) {
    if (on == c->writeArmed) return;
    if (on)
        event_add(&c->writeEvent, NULL);
    else
        event_del(&c->writeEvent);
    c->writeArmed = on;
}

bool clientFlush(Client *c) {
    if (c->flags & CLIENT_FAKE) return true;
    /* Writes reach the AOF (and under appendfsync always the disk) before
     * their replies reach the client. */
    if (aofHasPending()) aofFlushBeforeReplies();
    if (!clientWriteUpTo(c, dstrLen(c->reply))) {
        logMsg(LL_VERBOSE, "Error writing to client: %s", strerror(errno));
        clientFree(c);
        return false;
    }
    if (c->replyPos < dstrLen(c->reply)) {
        /* The socket is full. A reader that keeps up only partly (a slow
         * subscriber) must not make the buffer grow with bytes already
         * written. */
        if (c->replyPos >= CLIENT_READ_LEN * 4 && c->replyPos * 2 >= dstrLen(c->reply))
            clientReplyDropSent(c);
        clientArmWrite(c, true);
        clientEvictionNoteChange(c);
        return true;
    }
    clientReplyDropSent(c);
    clientArmWrite(c, false);
    clientEvictionNoteChange(c);
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
        clientFree(c);
        return false;
    }
    return true;
}

static void clientWritable(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    serverUpdateTime();
    clientFlush(arg);
    clientFreeClosing();
}

static void clientSetArgv(Client *c, char *base) {
    RespRequestParser *p = &c->parser;
    if (p->argc > c->argvCap) {
        c->argvCap = p->argc;
        c->argv = kvRealloc(c->argv, (size_t)c->argvCap * sizeof(Arg));
    }
    for (int i = 0; i < p->argc; i++) {
        c->argv[i].ptr = base + p->args[i].off;
        c->argv[i].len = p->args[i].len;
    }
    c->argc = p->argc;
}

bool clientProcessInput(Client *c) {
    c->flags &= ~(uint64_t)CLIENT_PAUSED_WAIT;
    c->flags |= CLIENT_PROTECTED;
    while (c->qpos < dstrLen(c->qbuf) &&
           !(c->flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP | CLIENT_BLOCKED))) {
        size_t consumed = 0;
        c->parser.unauthenticated = !c->authenticated;
        char *base = c->qbuf + c->qpos;
        int r = respRequestParse(&c->parser, base, dstrLen(c->qbuf) - c->qpos, &consumed);
        if (r == RESP_INCOMPLETE) break;
        if (r == RESP_ERROR) {
            addReplyErrorFormat(c, "ERR %s", c->parser.error);
            logMsg(LL_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s", c->parser.error,
                   (unsigned long long)c->id, c->addr);
            c->flags |= CLIENT_CLOSE_AFTER_REPLY;
            respRequestReset(&c->parser);
            c->qpos = dstrLen(c->qbuf);
            break;
        }
        clientSetArgv(c, base);
        if (c->argc == 0) {
            respRequestReset(&c->parser);
            c->qpos += consumed;
            continue;
        }
        /* Where this command's reply starts (the single-command cap of
         * clientReplyStream); no deferred length outlives a command. */
        c->replyCmdStart = c->replyShifted + dstrLen(c->reply);
        c->replyDeferredOpen = 0;
        /* As Redis's processCommand: clients over maxmemory-clients go
         * before a command runs (this one too, leaving its request unrun). */
        if (clientEvictionRun(c)) break;
        bool ran = dispatchCommand(c);
        if (!outputLimitEnforce(c)) clientEvictionNoteChange(c);
        if (!ran) {
            /* Paused: leave the request in the buffer, and the parser as it
             * is: the next call returns the same request (an inline request
             * was unescaped in place and cannot be split again). */
            c->flags |= CLIENT_PAUSED_WAIT;
            c->argc = 0;
            break;
        }
        respRequestReset(&c->parser);
        c->qpos += consumed;
        c->argc = 0;
        c->commandsProcessed++;
    }
    c->flags &= ~(uint64_t)CLIENT_PROTECTED;
    if (c->qpos > 0) {
        dstrConsume(c->qbuf, c->qpos);
        c->qpos = 0;
    }
    if (c->flags & CLIENT_CLOSE_ASAP) {
        clientFree(c);
        return false;
    }
    /* The reply leaves before the loop sleeps (clientsHandlePendingWrites),
     * as Redis does: one write per client per loop turn whatever the number
     * of its requests read, and one AOF write for all of them before. */
    if (c->replyPos < dstrLen(c->reply) || (c->flags & CLIENT_CLOSE_AFTER_REPLY))
        clientQueueWrite(c);
    return true;
}

static void clientReadable(evutil_socket_t fd, short what, void *arg) {
    (void)what;
    Client *c = arg;
    serverUpdateTime();
    size_t readlen = CLIENT_READ_LEN;
    size_t big = c->parser.bigArgNeed;
    if (big > 0 && c->qpos == 0) {
        /* A big bulk argument: size the buffer for exactly what is left of
         * it, so 100 MB arrive without doubling copies. */
        if (dstrAvail(c->qbuf) < big) {
            c->qbuf = dstrMakeRoomExact(c->qbuf, big);
        }
        readlen = big;
    }
    c->qbuf = dstrMakeRoom(c->qbuf, readlen);
    ssize_t n = read(fd, c->qbuf + dstrLen(c->qbuf), readlen);
    if (n == -1 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        if (n < 0) logMsg(LL_VERBOSE, "Reading from client: %s", strerror(errno));
        clientFree(c);
        clientFreeClosing();
        return;
    }
    dstrIncrLen(c->qbuf, (size_t)n);
    c->netInputBytes += (unsigned long long)n;
    stats.netInputBytes += (unsigned long long)n;
    stats.totalReadsProcessed++;
    c->lastInteraction = serverNowMs();
    if (dstrLen(c->qbuf) > c->qbufPeak) c->qbufPeak = dstrLen(c->qbuf);
    clientEvictionNoteChange(c); /* checked before the loop sleeps */
    if ((long long)dstrLen(c->qbuf) > config.clientQueryBufferLimit) {
        logMsg(LL_WARNING,
               "Closing client that reached max query buffer length: id=%llu addr=%s "
               "(qbuf initial bytes: ...)",
               (unsigned long long)c->id, c->addr);
        stats.clientQbufLimitDisconnections++;
        clientFree(c);
        clientFreeClosing();
        return;
    }
    if (c->flags & (CLIENT_PAUSED_WAIT | CLIENT_BLOCKED)) return;
    clientProcessInput(c);
    clientFreeClosing();
}

void clientReadNow(Client *c) {
    clientReadable(c->fd, EV_READ, c);
}

static const char *clientFlagString(Client *c, char *buf) {
    char *p = buf;
    if (c->flags & CLIENT_MONITOR) *p++ = 'O';
    if (c->flags & CLIENT_PUBSUB) *p++ = 'P';
    if (c->flags & CLIENT_MULTI) *p++ = 'x';
    if (c->flags & CLIENT_BLOCKED) *p++ = 'b';
    if (c->flags & CLIENT_TRACKING) *p++ = 't';
    if (c->flags & CLIENT_TRACKING_BROKEN_REDIR) *p++ = 'R';
    if (c->flags & CLIENT_TRACKING_BCAST) *p++ = 'B';
    if (c->flags & CLIENT_DIRTY_CAS) *p++ = 'd';
    /* Redis's order: c before A. */
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (c->flags & CLIENT_CLOSE_ASAP) *p++ = 'A';
    if (c->flags & CLIENT_UNIX_SOCKET) *p++ = 'U';
    if (c->flags & CLIENT_NO_EVICT) *p++ = 'e';
    if (p == buf) *p++ = 'N';
    *p = '\0';
    return buf;
}

/* A subscription's share of the pub/sub tables (its entry in the client's
 * set and in the channel's subscriber list): an estimate by count, as Redis
 * counts entries and not the (shared) channel names. */
#define CLIENT_SUBSCRIPTION_COST (4 * sizeof(void *))

size_t clientMemoryUsage(const Client *c) {
    size_t mem = sizeof(Client);
    mem += dstrAllocSize(c->qbuf); /* with its unused space */
    mem += dstrAllocSize(c->reply);
    mem += (size_t)c->argvCap * sizeof(Arg); /* the arguments live in qbuf */
    if (c->name) mem += dstrAllocSize(c->name);
    mem += multiQueuedMemory(c) + multiWatchedMemory(c);
    if (c->pubsub) {
        unsigned long subs, psubs, ssubs;
        pubsubClientCounts(c, &subs, &psubs, &ssubs);
        mem += (subs + psubs + ssubs) * CLIENT_SUBSCRIPTION_COST;
    }
    return mem;
}

dstr clientInfoLine(Client *c, dstr out) {
    char flags[16];
    long long now = serverNowMs();
    size_t qbufLen = dstrLen(c->qbuf);
    size_t qbufFree = dstrAvail(c->qbuf);
    size_t argvMem = 0;
    for (int i = 0; i < c->argc; i++) argvMem += c->argv[i].len;
    size_t rbs = dstrAllocSize(c->reply);
    size_t obl = dstrLen(c->reply) - c->replyPos;
    size_t totMem = clientMemoryUsage(c);
    const char *events = c->writeArmed ? "rw" : "r";
    unsigned long subs, psubs, ssubs;
    pubsubClientCounts(c, &subs, &psubs, &ssubs);
    return dstrCatPrintf(
        out,
        "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d sub=%lu psub=%lu "
        "ssub=%lu multi=%ld qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=%zu rbs=%zu rbp=%zu "
        "obl=%zu oll=0 omem=%zu tot-mem=%zu events=%s cmd=%s user=%s redir=%lld resp=%d",
        (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "",
        (long long)(now / 1000 - c->ctime), (now - c->lastInteraction) / 1000,
        clientFlagString(c, flags), c->db ? c->db->id : 0, subs, psubs, ssubs, multiQueuedCount(c),
        qbufLen, qbufFree, argvMem, multiQueuedMemory(c), rbs, c->replyPeak, obl,
        outputLimitUsage(c), totMem, events, c->lastCmd ? c->lastCmd->fullname : "NULL",
        c->user ? c->user : "default", trackingRedirectOf(c), c->resp);
}

unsigned long long clientReplyBufferShrinks(void) {
    return replyBufferShrinks;
}

unsigned long long clientReplyBufferExpands(void) {
    return replyBufferExpands;
}

void clientReplyBufferResetStats(void) {
    replyBufferShrinks = replyBufferExpands = 0;
}

/* Sizes c's reply buffer to what it recently needed, the one policy for
 * reply buffer memory. Redis 7.0 keeps a fixed buffer of 1-16 KB per client
 * (plus a list of chunks for what does not fit, freed as it is written)
 * and its cron resizes it from the peak use: down to max(1 KB, peak + 1)
 * when the peak stayed under half of it, up to twice its size (at most
 * 16 KB) when the peak filled it; never while DEBUG REPLYBUFFER RESIZING is
 * 0. kvd's buffer is one dstr that grows with the reply, so the same rules
 * apply to its allocation, and what a big reply left above 16 KB (Redis's
 * chunk list) is given back in any case. The peak restarts from the
 * current content every DEBUG REPLYBUFFER PEAK-RESET-TIME ms (after it was
 * used here, as Redis does), so an idle client drifts down to 1 KB. Only an
 * empty buffer is moved: pending output stays where it is. */
static void clientResizeReplyBuffer(Client *c, long long now) {
    size_t alloc = dstrAllocSize(c->reply);
    size_t target = 0;
    bool grow = false;
    if (debugReplyBufferResizing) {
        if (alloc / 2 >= CLIENT_REPLY_BUF_MIN && c->replyPeak < alloc / 2) {
            target =
                c->replyPeak + 1 > CLIENT_REPLY_BUF_MIN ? c->replyPeak + 1 : CLIENT_REPLY_BUF_MIN;
        } else if (alloc * 2 < CLIENT_REPLY_BUF_MAX * 2 && c->replyPeak >= alloc) {
            target = alloc * 2 < CLIENT_REPLY_BUF_MAX ? alloc * 2 : CLIENT_REPLY_BUF_MAX;
            grow = true;
        }
    }
    if (alloc > CLIENT_REPLY_BUF_MAX && (target == 0 || target > CLIENT_REPLY_BUF_MAX))
        target = CLIENT_REPLY_BUF_MAX;
    if (debugReplyBufferPeakResetTime >= 0 &&
        now - c->replyPeakResetAt >= debugReplyBufferPeakResetTime) {
        c->replyPeak = dstrLen(c->reply);
        c->replyPeakResetAt = now;
    }
    /* An allocator that rounds the size up (glibc adds a few bytes) must not
     * make the cap above reallocate on every tick. */
    if (target == 0 || (alloc >= target && alloc - target <= target / 16) || dstrLen(c->reply) != 0)
        return;
    /* The allocation holds the dstr header and the NUL besides the room. */
    size_t overhead = sizeof(DstrHeader) + 1;
    dstrFree(c->reply);
    c->reply = dstrWithCapacity(target > overhead ? target - overhead : 0);
    c->replyPos = 0;
    if (grow)
        replyBufferExpands++;
    else
        replyBufferShrinks++;
}

void clientsCron(void) {
    long long now = serverNowMs();
    Client *c = clientHead;
    while (c) {
        Client *next = c->next;
        if (config.timeout > 0 && now - c->lastInteraction > (long long)config.timeout * 1000 &&
            !(c->flags & CLIENT_PAUSED_WAIT)) {
            logMsg(LL_VERBOSE, "Closing idle client");
            clientFree(c);
            c = next;
            continue;
        }
        /* Give back big idle buffers. */
        if (c->qpos == 0 && dstrLen(c->qbuf) == 0 && dstrAllocSize(c->qbuf) > CLIENT_READ_LEN * 2 &&
            now - c->lastInteraction > 2000) {
            dstrFree(c->qbuf);
            c->qbuf = dstrEmpty();
        }
        clientResizeReplyBuffer(c, now);
        /* The only refresh of clients not measured on every change
         * (eviction off, NO-EVICT): keeps INFO mem_clients_normal true. */
        clientEvictionUpdate(c);
        c = next;
    }
}
