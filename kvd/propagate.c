/* propagate.c — collects the replica/AOF form of each execution unit and
 * hands it to the sinks (see propagate.h). */
#include "propagate.h"

#include "db.h"
#include "mem.h"

#include <string.h>

typedef struct PropOp {
    int dbid;
    int targets; /* PROPAGATE_AOF | PROPAGATE_REPLICA */
    int argc;
    Arg *argv; /* argv and the bytes of every argument, one allocation */
} PropOp;

enum { MAX_SINKS = 4 };

typedef struct PropSink {
    PropagateSinkFn *fn;
    int targets;
} PropSink;

static PropSink sinks[MAX_SINKS];
static int sinkCount;
static PropOp *ops;
static size_t opCount, opCap;
static int unitDepth;
static int currentTargets = PROPAGATE_ALL;

void propagateAddSinkFor(PropagateSinkFn *fn, int targets) {
    for (int i = 0; i < sinkCount; i++)
        if (sinks[i].fn == fn) {
            sinks[i].targets = targets;
            return;
        }
    if (sinkCount < MAX_SINKS) sinks[sinkCount++] = (PropSink){fn, targets};
}

void propagateAddSink(PropagateSinkFn *fn) {
    propagateAddSinkFor(fn, PROPAGATE_ALL);
}

void propagateRemoveSink(PropagateSinkFn *fn) {
    for (int i = 0; i < sinkCount; i++)
        if (sinks[i].fn == fn) {
            sinks[i] = sinks[--sinkCount];
            return;
        }
}

bool propagateActive(void) {
    return sinkCount > 0;
}

int propagateSetTargets(int targets) {
    int prev = currentTargets;
    currentTargets = targets & PROPAGATE_ALL;
    return prev;
}

static void propagateFeed(int targets, int dbid, int argc, const Arg *argv) {
    for (int i = 0; i < sinkCount; i++)
        if (sinks[i].targets & targets) sinks[i].fn(dbid, argc, argv);
}

static void propagateFeedWord(int dbid, const char *word) {
    Arg a = {(char *)word, strlen(word)};
    propagateFeed(PROPAGATE_ALL, dbid, 1, &a);
}

static void propagateFlush(void) {
    if (opCount == 0) return;
    /* Counted over every target, as Redis 7.0: a replica may receive a
     * MULTI/EXEC around a single command when another went to the AOF only. */
    bool wrap = opCount > 1;
    if (wrap) propagateFeedWord(ops[0].dbid, "MULTI");
    for (size_t i = 0; i < opCount; i++)
        propagateFeed(ops[i].targets, ops[i].dbid, ops[i].argc, ops[i].argv);
    if (wrap) propagateFeedWord(ops[opCount - 1].dbid, "EXEC");
    for (size_t i = 0; i < opCount; i++) kvFree(ops[i].argv);
    opCount = 0;
}

static void propagateAlsoTargets(int targets, int dbid, int argc, const Arg *argv) {
    if (sinkCount == 0 || argc <= 0 || targets == PROPAGATE_NONE) return;
    size_t bytes = (size_t)argc * sizeof(Arg);
    for (int i = 0; i < argc; i++) bytes += argv[i].len + 1;
    Arg *copy = kvMalloc(bytes);
    char *p = (char *)(copy + argc);
    for (int i = 0; i < argc; i++) {
        copy[i].ptr = p;
        copy[i].len = argv[i].len;
        if (argv[i].len) memcpy(p, argv[i].ptr, argv[i].len);
        p[argv[i].len] = '\0';
        p += argv[i].len + 1;
    }
    if (opCount == opCap) {
        opCap = opCap ? opCap * 2 : 16;
        ops = kvRealloc(ops, opCap * sizeof(*ops));
    }
    ops[opCount++] = (PropOp){dbid, targets, argc, copy};
    if (unitDepth == 0) propagateFlush();
}

void propagateAlso(int dbid, int argc, const Arg *argv) {
    propagateAlsoTargets(currentTargets, dbid, argc, argv);
}

void propagateAlsoStrings(int dbid, int argc, const char **argv, const size_t *lens) {
    enum { MAX_ARGS = 16 };
    Arg a[MAX_ARGS];
    if (argc > MAX_ARGS) return;
    for (int i = 0; i < argc; i++) a[i] = (Arg){(char *)argv[i], lens ? lens[i] : strlen(argv[i])};
    propagateAlso(dbid, argc, a);
}

void propagateDeletion(int dbid, const char *key, size_t klen, bool lazy) {
    if (sinkCount == 0) return;
    Arg a[2] = {{lazy ? "UNLINK" : "DEL", lazy ? 6u : 3u}, {(char *)key, klen}};
    propagateAlsoTargets(PROPAGATE_ALL, dbid, 2, a);
}

void propagateReplace(Client *c, int argc, const Arg *argv) {
    c->flags |= CLIENT_PROP_HANDLED;
    propagateAlso(c->db ? c->db->id : 0, argc, argv);
}

void propagatePrevent(Client *c) {
    c->flags |= CLIENT_PROP_HANDLED;
}

bool propagateTakeHandled(Client *c) {
    bool h = (c->flags & CLIENT_PROP_HANDLED) != 0;
    c->flags &= ~(uint64_t)CLIENT_PROP_HANDLED;
    return h;
}

void propagateEnterUnit(void) {
    unitDepth++;
}

void propagateExitUnit(void) {
    if (--unitDepth == 0) propagateFlush();
}
