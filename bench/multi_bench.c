/* multi_bench.c — a load generator for MULTI/EXEC, which redis-benchmark
 * cannot send as one test: every connection sends a whole transaction
 * (MULTI, then SET and INCR alternating, then EXEC) in one write, waits for
 * all its replies, checks that EXEC answered an array of the queued
 * commands' replies, and starts the next. All connections run at once from
 * one thread (hiredis contexts switched to non-blocking, driven by poll()).
 *
 *   kv-bench-multi [-h host] [-p port] [-c clients] [-n transactions]
 *                  [-m commands-per-transaction] [-t timeout-seconds]
 *
 * Prints one line: "transactions/s <tps> commands/s <cps> seconds <s>",
 * where commands count every command sent (MULTI and EXEC included).
 * Exits 1 on a connection error, a wrong reply or the timeout. Part of
 * bench/run.sh, not of the tests.
 */
#include <hiredis/hiredis.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CLIENTS 1000
#define MAX_QUEUED  1000

typedef struct Conn {
    redisContext *ctx;
    int replies;   /* replies received for the transaction in flight */
    bool sending;  /* output buffer not yet fully written */
    bool inFlight; /* a transaction was sent and is being answered */
} Conn;

static double nowSeconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void) {
    fprintf(stderr, "usage: kv-bench-multi [-h host] [-p port] [-c clients] [-n transactions] "
                    "[-m commands-per-transaction] [-t timeout-seconds]\n");
    exit(2);
}

static long argNumber(const char *s, long min, long max) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < min || v > max) usage();
    return v;
}

/* Queues one transaction on c: MULTI, `queued` commands, EXEC. Keys are
 * spread over 10000 names per connection index so that transactions of
 * different connections rarely touch the same key. */
static void queueTransaction(Conn *c, int index, long serial, int queued) {
    redisAppendCommand(c->ctx, "MULTI");
    for (int i = 0; i < queued; i++) {
        long key = (serial * queued + i) % 10000;
        if (i % 2 == 0)
            redisAppendCommand(c->ctx, "SET k:%d:%ld v%ld", index, key, serial);
        else
            redisAppendCommand(c->ctx, "INCR n:%d:%ld", index, key);
    }
    redisAppendCommand(c->ctx, "EXEC");
    c->replies = 0;
    c->sending = true;
    c->inFlight = true;
}

/* Checks one reply of a transaction: +OK for MULTI, +QUEUED per command,
 * an array of `queued` non-error replies for EXEC. */
static bool replyOk(const redisReply *r, int position, int queued) {
    if (position == 0) return r->type == REDIS_REPLY_STATUS && strcmp(r->str, "OK") == 0;
    if (position <= queued) return r->type == REDIS_REPLY_STATUS && strcmp(r->str, "QUEUED") == 0;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != (size_t)queued) return false;
    for (size_t i = 0; i < r->elements; i++)
        if (r->element[i]->type == REDIS_REPLY_ERROR) return false;
    return true;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 6379, clients = 50, queued = 10;
    long total = 100000, timeout = 300;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (!strcmp(argv[i], "-h"))
            host = argv[++i];
        else if (!strcmp(argv[i], "-p"))
            port = (int)argNumber(argv[++i], 1, 65535);
        else if (!strcmp(argv[i], "-c"))
            clients = (int)argNumber(argv[++i], 1, MAX_CLIENTS);
        else if (!strcmp(argv[i], "-n"))
            total = argNumber(argv[++i], 1, 1000000000L);
        else if (!strcmp(argv[i], "-m"))
            queued = (int)argNumber(argv[++i], 1, MAX_QUEUED);
        else if (!strcmp(argv[i], "-t"))
            timeout = argNumber(argv[++i], 1, 86400);
        else
            usage();
    }

    Conn *conns = calloc((size_t)clients, sizeof(*conns));
    struct pollfd *pfds = calloc((size_t)clients, sizeof(*pfds));
    if (!conns || !pfds) return 1;
    for (int i = 0; i < clients; i++) {
        struct timeval tv = {5, 0};
        conns[i].ctx = redisConnectWithTimeout(host, port, tv);
        if (!conns[i].ctx || conns[i].ctx->err) {
            fprintf(stderr, "kv-bench-multi: connect %s:%d: %s\n", host, port,
                    conns[i].ctx ? conns[i].ctx->errstr : "out of memory");
            return 1;
        }
        /* From here on hiredis only buffers; poll() decides when to move bytes. */
        int fl = fcntl(conns[i].ctx->fd, F_GETFL);
        fcntl(conns[i].ctx->fd, F_SETFL, fl | O_NONBLOCK);
        conns[i].ctx->flags &= ~REDIS_BLOCK;
    }

    long started = 0, done = 0;
    int perTx = queued + 2;
    double t0 = nowSeconds(), deadline = t0 + (double)timeout;
    for (int i = 0; i < clients && started < total; i++)
        queueTransaction(&conns[i], i, started++, queued);

    while (done < total) {
        if (nowSeconds() > deadline) {
            fprintf(stderr, "kv-bench-multi: timed out after %ld of %ld transactions\n", done,
                    total);
            return 1;
        }
        for (int i = 0; i < clients; i++) {
            Conn *c = &conns[i];
            if (c->sending) {
                int wdone = 0;
                if (redisBufferWrite(c->ctx, &wdone) != REDIS_OK) {
                    fprintf(stderr, "kv-bench-multi: write: %s\n", c->ctx->errstr);
                    return 1;
                }
                c->sending = !wdone;
            }
            pfds[i].fd = c->ctx->fd;
            pfds[i].events = (short)((c->inFlight ? POLLIN : 0) | (c->sending ? POLLOUT : 0));
            pfds[i].revents = 0;
        }
        int n = poll(pfds, (nfds_t)clients, 1000);
        if (n < 0 && errno != EINTR) {
            perror("kv-bench-multi: poll");
            return 1;
        }
        for (int i = 0; i < clients && n > 0; i++) {
            Conn *c = &conns[i];
            if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (redisBufferRead(c->ctx) != REDIS_OK) {
                fprintf(stderr, "kv-bench-multi: read: %s\n", c->ctx->errstr);
                return 1;
            }
            void *reply;
            while (c->inFlight && redisGetReplyFromReader(c->ctx, &reply) == REDIS_OK && reply) {
                bool ok = replyOk(reply, c->replies, queued);
                if (!ok) {
                    const redisReply *r = reply;
                    fprintf(stderr,
                            "kv-bench-multi: unexpected reply %d of a transaction (type %d%s%s)\n",
                            c->replies, r->type, r->str ? ": " : "", r->str ? r->str : "");
                    return 1;
                }
                freeReplyObject(reply);
                if (++c->replies == perTx) {
                    c->inFlight = false;
                    done++;
                    if (started < total) queueTransaction(c, i, started++, queued);
                }
            }
            if (c->ctx->err) {
                fprintf(stderr, "kv-bench-multi: %s\n", c->ctx->errstr);
                return 1;
            }
        }
    }
    double secs = nowSeconds() - t0;
    printf("transactions/s %.2f commands/s %.2f seconds %.3f\n", (double)total / secs,
           (double)total * perTx / secs, secs);
    for (int i = 0; i < clients; i++) redisFree(conns[i].ctx);
    free(conns);
    free(pfds);
    return 0;
}
