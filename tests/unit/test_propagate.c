/* test_propagate.c — propagation targets (kvd/propagate.c): sinks registered
 * as AOF or replica, redis.set_repl in a script choosing where its calls go,
 * and deletions of expired keys reaching every target. Scripts run through
 * dispatchCommand on a fake client, as a connection runs them.
 *
 * Redis 7.0 behaviour checked: set_repl filters the commands the script
 * runs afterwards; a unit holding more than one command (over all targets)
 * is wrapped in MULTI/EXEC for every sink, even one that receives a single
 * command inside. */
#include "command.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "mem.h"
#include "propagate.h"
#include "server.h"
#include "testhelp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { MAX_SEEN = 32, LINE = 128 };

typedef struct Seen {
    char lines[MAX_SEEN][LINE]; /* "db:ARG ARG …" per propagated command */
    int count;
} Seen;

static Seen aofSeen, replicaSeen;

static void record(Seen *s, int dbid, int argc, const Arg *argv) {
    if (s->count >= MAX_SEEN) return;
    char *p = s->lines[s->count++];
    int n = snprintf(p, LINE, "%d:", dbid);
    for (int i = 0; i < argc && n < LINE - 8; i++)
        n += snprintf(p + n, (size_t)(LINE - n), "%s%.*s", i ? " " : "", (int)argv[i].len,
                      argv[i].ptr);
}

static void aofSink(int dbid, int argc, const Arg *argv) {
    record(&aofSeen, dbid, argc, argv);
}

static void replicaSink(int dbid, int argc, const Arg *argv) {
    record(&replicaSeen, dbid, argc, argv);
}

/* True when s saw exactly the given lines (NULL-terminated). */
static bool saw(const Seen *s, ...) {
    va_list ap;
    va_start(ap, s);
    int i = 0;
    const char *want;
    bool ok = true;
    while ((want = va_arg(ap, const char *))) {
        if (i >= s->count || strcmp(s->lines[i], want) != 0) ok = false;
        i++;
    }
    va_end(ap);
    if (ok && i != s->count) ok = false;
    if (!ok)
        for (int j = 0; j < s->count; j++) fprintf(stderr, "  seen: %s\n", s->lines[j]);
    return ok;
}

static void reset(Client *c) {
    aofSeen.count = replicaSeen.count = 0;
    dstrClear(c->reply);
}

static void eval(Client *c, const char *body) {
    Arg args[3] = {{"EVAL", 4}, {(char *)body, strlen(body)}, {"0", 1}};
    c->argc = 3;
    c->argv = args;
    dispatchCommand(c);
    c->argv = NULL;
    c->argc = 0;
}

static void testAllByDefault(void) {
    Client *c = clientCreateFake();
    reset(c);
    eval(c, "return redis.call('set','k','v')");
    TEST_CHECK(saw(&aofSeen, "0:set k v", NULL));
    TEST_CHECK(saw(&replicaSeen, "0:set k v", NULL));
    clientFree(c);
}

static void testNoneAofReplica(void) {
    Client *c = clientCreateFake();
    reset(c);
    eval(c, "redis.set_repl(redis.REPL_NONE) redis.call('set','n','1') "
            "redis.set_repl(redis.REPL_AOF) redis.call('set','a','1') "
            "redis.set_repl(redis.REPL_REPLICA) redis.call('set','r','1') return 1");
    TEST_CHECK(strcmp(c->reply, ":1\r\n") == 0);
    TEST_CHECK(saw(&aofSeen, "0:MULTI", "0:set a 1", "0:EXEC", NULL));
    TEST_CHECK(saw(&replicaSeen, "0:MULTI", "0:set r 1", "0:EXEC", NULL));
    reset(c);
    eval(c, "redis.set_repl(redis.REPL_SLAVE) return redis.call('incr','cnt')");
    TEST_CHECK(saw(&aofSeen, NULL));
    TEST_CHECK(saw(&replicaSeen, "0:incr cnt", NULL));
    reset(c);
    eval(
        c,
        "redis.set_repl(redis.REPL_NONE) redis.call('incr','cnt') return redis.call('incr','cnt')");
    TEST_CHECK(strcmp(c->reply, ":3\r\n") == 0); /* ran, just not propagated */
    TEST_CHECK(saw(&aofSeen, NULL));
    TEST_CHECK(saw(&replicaSeen, NULL));
    /* the next script starts from REPL_ALL again */
    reset(c);
    eval(c, "return redis.call('del','cnt')");
    TEST_CHECK(saw(&aofSeen, "0:del cnt", NULL));
    TEST_CHECK(saw(&replicaSeen, "0:del cnt", NULL));
    clientFree(c);
}

static void testBadFlagsChangeNothing(void) {
    Client *c = clientCreateFake();
    reset(c);
    eval(c, "redis.call('set','x','1') pcall(redis.set_repl, 7) return redis.call('set','y','1')");
    TEST_CHECK(saw(&aofSeen, "0:MULTI", "0:set x 1", "0:set y 1", "0:EXEC", NULL));
    TEST_CHECK(saw(&replicaSeen, "0:MULTI", "0:set x 1", "0:set y 1", "0:EXEC", NULL));
    clientFree(c);
}

/* An expired key's DEL inside a unit whose targets are narrowed still goes
 * to every sink (the key is gone from memory), and the targets are the
 * caller's to restore. */
static void testDeletionsGoEverywhere(void) {
    aofSeen.count = replicaSeen.count = 0;
    propagateEnterUnit();
    int prev = propagateSetTargets(PROPAGATE_NONE);
    TEST_CHECK(prev == PROPAGATE_ALL);
    Arg set[3] = {{"set", 3}, {"k", 1}, {"v", 1}};
    propagateAlso(2, 3, set);
    propagateDeletion(2, "old", 3, false);
    propagateSetTargets(PROPAGATE_AOF);
    propagateDeletion(2, "old2", 4, true);
    propagateSetTargets(prev);
    propagateExitUnit();
    TEST_CHECK(saw(&aofSeen, "2:MULTI", "2:DEL old", "2:UNLINK old2", "2:EXEC", NULL));
    TEST_CHECK(saw(&replicaSeen, "2:MULTI", "2:DEL old", "2:UNLINK old2", "2:EXEC", NULL));
}

int main(void) {
    configInitDefaults();
    serverUpdateTime();
    commandTableInit();
    dbInitAll(16);
    propagateAddSinkFor(aofSink, PROPAGATE_AOF);
    propagateAddSinkFor(replicaSink, PROPAGATE_REPLICA);
    TEST_RUN(testAllByDefault);
    TEST_RUN(testNoneAofReplica);
    TEST_RUN(testBadFlagsChangeNothing);
    TEST_RUN(testDeletionsGoEverywhere);
    return TEST_REPORT();
}
