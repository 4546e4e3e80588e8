/* test_multi.c — transactions against the propagation sink: what a MULTI/EXEC
 * sends to the AOF/replicas (kvd/multi.c through kvd/propagate.c), checked
 * without a network. Requests are run through dispatchCommand on a fake
 * client, exactly as a connection runs them.
 *
 * Redis 7.0 behaviour checked: a transaction with several writes reaches the
 * sink as MULTI … EXEC (SELECT is the sink's business: it gets each op's
 * db); one write is sent alone; reads, failed commands, EXEC itself and an
 * aborted EXEC send nothing. */
#include "command.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "mem.h"
#include "multi.h"
#include "propagate.h"
#include "server.h"
#include "testhelp.h"

#include <stdarg.h>
#include <string.h>

enum { MAX_SEEN = 64 };
static char seen[MAX_SEEN][128]; /* "db:ARG ARG …" per propagated command */
static int seenCount;

static void sink(int dbid, int argc, const Arg *argv) {
    if (seenCount >= MAX_SEEN) return;
    char *p = seen[seenCount++];
    int n = snprintf(p, 128, "%d:", dbid);
    for (int i = 0; i < argc && n < 120; i++)
        n += snprintf(p + n, (size_t)(128 - n), "%s%.*s", i ? " " : "", (int)argv[i].len,
                      argv[i].ptr);
}

/* Runs one request given as words (NULL-terminated) on c. */
static void run(Client *c, ...) {
    Arg args[16];
    int argc = 0;
    va_list ap;
    va_start(ap, c);
    const char *w;
    while ((w = va_arg(ap, const char *)) && argc < 16) args[argc++] = (Arg){(char *)w, strlen(w)};
    va_end(ap);
    c->argc = argc;
    c->argv = args;
    dispatchCommand(c);
    c->argv = NULL;
    c->argc = 0;
}

static void reset(Client *c) {
    seenCount = 0;
    dstrClear(c->reply);
}

static bool replyIs(Client *c, const char *want) {
    return strcmp(c->reply, want) == 0;
}

static void testSeveralWritesAreWrapped(void) {
    Client *c = clientCreateFake();
    reset(c);
    run(c, "MULTI", NULL);
    run(c, "SET", "a", "1", NULL);
    run(c, "GET", "a", NULL);
    run(c, "INCR", "a", NULL);
    TEST_CHECK(seenCount == 0); /* queued, nothing ran */
    run(c, "EXEC", NULL);
    TEST_CHECK(
        replyIs(c, "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n$1\r\n1\r\n:2\r\n"));
    TEST_CHECK(seenCount == 4);
    TEST_CHECK(strcmp(seen[0], "0:MULTI") == 0);
    TEST_CHECK(strcmp(seen[1], "0:SET a 1") == 0);
    TEST_CHECK(strcmp(seen[2], "0:INCR a") == 0);
    TEST_CHECK(strcmp(seen[3], "0:EXEC") == 0);
    clientFree(c);
}

static void testSingleWriteIsNotWrapped(void) {
    Client *c = clientCreateFake();
    reset(c);
    run(c, "MULTI", NULL);
    run(c, "SET", "b", "1", "EX", "100", NULL);
    run(c, "GET", "b", NULL);
    run(c, "EXEC", NULL);
    TEST_CHECK(seenCount == 1);
    TEST_CHECK(strncmp(seen[0], "0:SET b 1 PXAT ", 15) == 0); /* the command's own rewrite */
    clientFree(c);
}

static void testSelectInsideExec(void) {
    Client *c = clientCreateFake();
    reset(c);
    run(c, "MULTI", NULL);
    run(c, "SET", "x", "1", NULL);
    run(c, "SELECT", "3", NULL);
    run(c, "SET", "y", "2", NULL);
    run(c, "EXEC", NULL);
    TEST_CHECK(seenCount == 4);
    TEST_CHECK(strcmp(seen[0], "0:MULTI") == 0);
    TEST_CHECK(strcmp(seen[1], "0:SET x 1") == 0);
    TEST_CHECK(strcmp(seen[2], "3:SET y 2") == 0);
    TEST_CHECK(strcmp(seen[3], "3:EXEC") == 0);
    TEST_CHECK(c->db->id == 3); /* SELECT inside EXEC sticks, as Redis */
    clientFree(c);
}

static void testNothingForReadsErrorsAndAborts(void) {
    Client *c = clientCreateFake();
    reset(c);
    run(c, "SET", "s", "str", NULL);
    seenCount = 0;
    run(c, "MULTI", NULL);
    run(c, "GET", "s", NULL);
    run(c, "LPUSH", "s", "x", NULL); /* WRONGTYPE at run time */
    run(c, "EXEC", NULL);
    TEST_CHECK(seenCount == 0);
    /* Aborted by a queue-time error. */
    run(c, "MULTI", NULL);
    run(c, "SET", "s", "new", NULL);
    run(c, "SET", "s", NULL);
    dstrClear(c->reply);
    run(c, "EXEC", NULL);
    TEST_CHECK(replyIs(c, "-EXECABORT Transaction discarded because of previous errors.\r\n"));
    TEST_CHECK(seenCount == 0);
    /* Aborted by a watched key. */
    run(c, "WATCH", "s", NULL);
    run(c, "SET", "s", "changed", NULL);
    seenCount = 0;
    run(c, "MULTI", NULL);
    run(c, "SET", "s", "mine", NULL);
    dstrClear(c->reply);
    run(c, "EXEC", NULL);
    TEST_CHECK(replyIs(c, "*-1\r\n"));
    TEST_CHECK(seenCount == 0);
    TEST_CHECK(multiWatchedKeyCount() == 0);
    clientFree(c);
}

static void testWatchBookkeeping(void) {
    Client *a = clientCreateFake(), *b = clientCreateFake();
    reset(a);
    run(a, "WATCH", "k1", "k2", "k1", NULL);
    run(b, "WATCH", "k2", "k3", NULL);
    TEST_CHECK(multiWatchedKeyCount() == 3); /* k1 k2 k3, duplicates once */
    run(b, "SELECT", "1", NULL);
    run(b, "WATCH", "k1", NULL); /* another db: another key */
    TEST_CHECK(multiWatchedKeyCount() == 4);
    run(a, "UNWATCH", NULL);
    TEST_CHECK(multiWatchedKeyCount() == 3);
    clientFree(b); /* disconnect drops its watches */
    TEST_CHECK(multiWatchedKeyCount() == 0);
    clientFree(a);
}

int main(void) {
    configInitDefaults();
    serverUpdateTime();
    commandTableInit();
    dbInitAll(16);
    propagateAddSink(sink);
    TEST_RUN(testSeveralWritesAreWrapped);
    TEST_RUN(testSingleWriteIsNotWrapped);
    TEST_RUN(testSelectInsideExec);
    TEST_RUN(testNothingForReadsErrorsAndAborts);
    TEST_RUN(testWatchBookkeeping);
    return TEST_REPORT();
}
