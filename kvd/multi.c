/* multi.c — MULTI / EXEC / DISCARD / WATCH / UNWATCH (see multi.h for the
 * behaviour and the hooks).
 *
 * Data structures
 * ---------------
 * Queue: a client in MULTI owns a MultiQueue (c->multiQueue), an array of
 * QueuedCmd; each holds its command and a private copy of the arguments
 * (the Arg array followed by the NUL-terminated bytes, one allocation).
 *
 * Watches: one WatchNode per (client, db, key). Nodes are threaded on two
 * lists at once:
 *
 *   watched[db] dict:  "k1" → WatchKey ─ nodes: n(c1) ⇄ n(c2) ⇄ …   (per key)
 *   client c1:         c1->watchedKeys → n(k1) → n(k7) → …           (per client)
 *
 * Invariants: a WatchKey is in its db's dict exactly while its node list is
 * non-empty; a client has at most one node per (db, key); `watchedKeyTotal`
 * counts WatchKeys, so the keyspace hooks cost one compare when nobody
 * watches. Touching a key only flags the clients (CLIENT_DIRTY_CAS); their
 * nodes stay until EXEC/DISCARD/UNWATCH/RESET/disconnect, which keeps the
 * hooks free of list surgery while they iterate.
 */
#include "multi.h"

#include "blocking.h"
#include "commands.h"
#include "dict.h"
#include "dispatch.h"
#include "hash.h"
#include "mem.h"
#include "propagate.h"
#include "reply.h"

#include <string.h>

/* ---- the queue ---- */

typedef struct QueuedCmd {
    Command *cmd;
    int argc;
    Arg *argv; /* Arg array + argument bytes, one allocation */
} QueuedCmd;

typedef struct MultiQueue {
    QueuedCmd *cmds;
    int count, cap;
    uint64_t flags; /* union of the queued commands' flags */
    size_t mem;     /* Redis's multi-mem: argument bytes + a pointer per argument */
} MultiQueue;

static const char *const execAbortPreviousErrors =
    "EXECABORT Transaction discarded because of previous errors.";

bool multiIsExec(const Command *cmd) {
    return cmd && cmd->proc == execCommand;
}

static void multiQueueFree(MultiQueue *q) {
    if (!q) return;
    for (int i = 0; i < q->count; i++) kvFree(q->cmds[i].argv);
    kvFree(q->cmds);
    kvFree(q);
}

/* Copies c's current call (argv points into the query buffer and is gone
 * once the request is consumed). */
static void multiQueueAdd(Client *c) {
    MultiQueue *q = c->multiQueue;
    if (!q) q = c->multiQueue = kvCalloc(sizeof(*q));
    if (q->count == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 4;
        q->cmds = kvRealloc(q->cmds, (size_t)q->cap * sizeof(*q->cmds));
    }
    size_t bytes = (size_t)c->argc * sizeof(Arg);
    for (int i = 0; i < c->argc; i++) bytes += c->argv[i].len + 1;
    Arg *copy = kvMalloc(bytes);
    char *p = (char *)(copy + c->argc);
    for (int i = 0; i < c->argc; i++) {
        copy[i].ptr = p;
        copy[i].len = c->argv[i].len;
        if (c->argv[i].len) memcpy(p, c->argv[i].ptr, c->argv[i].len);
        p[c->argv[i].len] = '\0';
        p += c->argv[i].len + 1;
        q->mem += c->argv[i].len + sizeof(void *);
    }
    q->cmds[q->count++] = (QueuedCmd){c->cmd, c->argc, copy};
    q->flags |= c->cmd->flags;
}

bool multiQueueIfNeeded(Client *c) {
    if (!(c->flags & CLIENT_MULTI)) return false;
    CommandProc *p = c->cmd->proc;
    if (p == execCommand || p == discardCommand || p == multiCommand || p == watchCommand ||
        p == quitCommand || p == resetCommand)
        return false;
    /* An already doomed transaction keeps replying QUEUED but stores
     * nothing (Redis 7.0: a pipelined client may not read the error yet). */
    if (!(c->flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC))) multiQueueAdd(c);
    c->lastCmd = c->cmd; /* CLIENT LIST shows the queued command, as Redis */
    addReplySimple(c, "QUEUED");
    return true;
}

void multiFlagTransaction(Client *c) {
    if (c->flags & CLIENT_MULTI) c->flags |= CLIENT_DIRTY_EXEC;
}

uint64_t multiEffectiveFlags(const Client *c, const Command *cmd) {
    uint64_t f = cmd->flags;
    if (cmd->proc == execCommand && c->multiQueue)
        f |= c->multiQueue->flags & (CMD_WRITE | CMD_DENYOOM | CMD_MAY_REPLICATE);
    return f;
}

long multiQueuedCount(const Client *c) {
    if (!(c->flags & CLIENT_MULTI)) return -1;
    return c->multiQueue ? c->multiQueue->count : 0;
}

size_t multiQueuedMemory(const Client *c) {
    return c->multiQueue ? c->multiQueue->mem : 0;
}

/* ---- watched keys ---- */

typedef struct WatchNode WatchNode;

typedef struct WatchKey {
    DictLink link;
    WatchNode *nodes; /* clients watching it */
    int dbid;
    size_t klen;
    char key[];
} WatchKey;

struct WatchNode {
    WatchKey *wk;
    Client *client;
    WatchNode *prevInKey, *nextInKey;
    WatchNode *nextOfClient;
    /* The key existed but was already logically expired at WATCH time:
     * its deletion by expiry is not a change (Redis 7.0). */
    bool expiredAtWatch;
};

static const void *watchKeyBytes(const DictLink *e, size_t *len) {
    const WatchKey *wk = (const WatchKey *)e;
    *len = wk->klen;
    return wk->key;
}

static void watchKeyFree(DictLink *e) {
    kvFree(e);
}

static const DictType watchKeyType = {hashBytes, watchKeyBytes, NULL, watchKeyFree};

static Dict **watched; /* per db id, created on first use */
static int watchedDbs; /* entries of `watched` */
static unsigned long watchedKeyTotal;

static Dict *watchDict(int dbid, bool create) {
    if (dbid >= watchedDbs) {
        if (!create) return NULL;
        int n = dbCount() > dbid ? dbCount() : dbid + 1;
        watched = kvRealloc(watched, (size_t)n * sizeof(*watched));
        for (int i = watchedDbs; i < n; i++) watched[i] = NULL;
        watchedDbs = n;
    }
    if (!watched[dbid] && create) watched[dbid] = dictCreate(&watchKeyType);
    return watched[dbid];
}

unsigned long multiWatchedKeyCount(void) {
    return watchedKeyTotal;
}

static bool watchNodeIs(const WatchNode *n, int dbid, const char *key, size_t klen) {
    return n->wk->dbid == dbid && n->wk->klen == klen && memcmp(n->wk->key, key, klen) == 0;
}

static void multiWatchKey(Client *c, const Arg *key) {
    int dbid = c->db->id;
    for (WatchNode *n = c->watchedKeys; n; n = n->nextOfClient)
        if (watchNodeIs(n, dbid, key->ptr, key->len)) return;
    Dict *d = watchDict(dbid, true);
    WatchKey *wk = (WatchKey *)dictFind(d, key->ptr, key->len);
    if (!wk) {
        wk = kvMalloc(sizeof(*wk) + key->len);
        wk->link.next = NULL;
        wk->nodes = NULL;
        wk->dbid = dbid;
        wk->klen = key->len;
        memcpy(wk->key, key->ptr, key->len);
        dictAddUnique(d, &wk->link);
        watchedKeyTotal++;
    }
    WatchNode *n = kvMalloc(sizeof(*n));
    n->wk = wk;
    n->client = c;
    n->prevInKey = NULL;
    n->nextInKey = wk->nodes;
    if (wk->nodes) wk->nodes->prevInKey = n;
    wk->nodes = n;
    n->nextOfClient = c->watchedKeys;
    c->watchedKeys = n;
    c->watchedKeyCount++;
    /* A raw lookup: WATCH itself never deletes an expired key. */
    Object *o = dbFindRaw(c->db, key->ptr, key->len);
    n->expiredAtWatch = o && dbIsExpired(o);
}

static void multiUnwatchAll(Client *c) {
    WatchNode *n = c->watchedKeys;
    while (n) {
        WatchNode *next = n->nextOfClient;
        WatchKey *wk = n->wk;
        if (n->prevInKey)
            n->prevInKey->nextInKey = n->nextInKey;
        else
            wk->nodes = n->nextInKey;
        if (n->nextInKey) n->nextInKey->prevInKey = n->prevInKey;
        if (!wk->nodes) {
            dictDelete(watched[wk->dbid], wk->key, wk->klen); /* frees wk */
            watchedKeyTotal--;
        }
        kvFree(n);
        n = next;
    }
    c->watchedKeys = NULL;
    c->watchedKeyCount = 0;
}

size_t multiWatchedMemory(const Client *c) {
    return c->watchedKeyCount * sizeof(WatchNode);
}

/* True when a key c watches has expired since WATCH, deleted or not. */
static bool multiWatchedKeyExpired(Client *c) {
    for (WatchNode *n = c->watchedKeys; n; n = n->nextOfClient) {
        if (n->expiredAtWatch) continue;
        Object *o = dbFindRaw(dbGet(n->wk->dbid), n->wk->key, n->wk->klen);
        if (o && dbIsExpired(o)) return true;
    }
    return false;
}

void multiTouchKey(Db *db, const char *key, size_t klen) {
    if (watchedKeyTotal == 0) return;
    Dict *d = watchDict(db->id, false);
    if (!d || dictSize(d) == 0) return;
    WatchKey *wk = (WatchKey *)dictFind(d, key, klen);
    if (!wk) return;
    for (WatchNode *n = wk->nodes; n; n = n->nextInKey) {
        if (n->expiredAtWatch) {
            /* Deleting a key that was already expired at WATCH time changes
             * nothing logically; from now on it is a missing key. */
            if (!dbFindRaw(db, key, klen)) {
                n->expiredAtWatch = false;
                continue;
            }
        }
        n->client->flags |= CLIENT_DIRTY_CAS;
    }
}

void multiTouchDb(Db *emptied, Db *replacedWith) {
    if (watchedKeyTotal == 0) return;
    Dict *d = watchDict(emptied->id, false);
    if (!d || dictSize(d) == 0) return;
    DictIter it;
    dictIterInit(&it, d, false);
    DictLink *e;
    while ((e = dictIterNext(&it))) {
        WatchKey *wk = (WatchKey *)e;
        bool inEmptied = dbFindRaw(emptied, wk->key, wk->klen) != NULL;
        Object *repl = replacedWith ? dbFindRaw(replacedWith, wk->key, wk->klen) : NULL;
        if (!inEmptied && !repl) continue;
        bool replExpired = repl && dbIsExpired(repl);
        for (WatchNode *n = wk->nodes; n; n = n->nextInKey) {
            if (n->expiredAtWatch) {
                if (!repl) {
                    n->expiredAtWatch = false; /* an expired key went away */
                    continue;
                }
                if (replExpired) continue; /* still (another) expired key */
            } else if (!inEmptied && replExpired) {
                /* A missing key became an expired one: still missing. */
                n->expiredAtWatch = true;
                continue;
            }
            n->client->flags |= CLIENT_DIRTY_CAS;
        }
    }
    dictIterRelease(&it);
}

/* ---- transaction lifecycle ---- */

/* Ends the transaction (if any) and every watch: after EXEC, DISCARD,
 * RESET, and on disconnection. */
static void multiDiscard(Client *c) {
    multiQueueFree(c->multiQueue);
    c->multiQueue = NULL;
    c->flags &= ~(uint64_t)(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
    multiUnwatchAll(c);
}

void multiClientReset(Client *c) {
    multiDiscard(c);
}

void multiExecAbort(Client *c, const char *reason, size_t len) {
    multiDiscard(c);
    if (len >= 4 && memcmp(reason, "ERR ", 4) == 0) {
        reason += 4;
        len -= 4;
    }
    addReplyErrorFormat(c, "EXECABORT Transaction discarded because of: %.*s", (int)len, reason);
}

/* ---- commands ---- */

void multiCommand(Client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "ERR MULTI calls can not be nested");
        return;
    }
    c->flags |= CLIENT_MULTI;
    addReplyOk(c);
}

void discardCommand(Client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "ERR DISCARD without MULTI");
        return;
    }
    multiDiscard(c);
    addReplyOk(c);
}

void watchCommand(Client *c) {
    if (c->flags & CLIENT_MULTI) {
        addReplyError(c, "ERR WATCH inside MULTI is not allowed");
        return;
    }
    /* Already doomed: more watches cannot change the outcome. */
    if (!(c->flags & CLIENT_DIRTY_CAS))
        for (int j = 1; j < c->argc; j++) multiWatchKey(c, &c->argv[j]);
    addReplyOk(c);
}

void unwatchCommand(Client *c) {
    multiUnwatchAll(c);
    c->flags &= ~(uint64_t)CLIENT_DIRTY_CAS;
    addReplyOk(c);
}

void execCommand(Client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        addReplyError(c, "ERR EXEC without MULTI");
        return;
    }
    if (!(c->flags & CLIENT_DIRTY_CAS) && multiWatchedKeyExpired(c)) c->flags |= CLIENT_DIRTY_CAS;
    if (c->flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) {
        if (c->flags & CLIENT_DIRTY_EXEC)
            addReplyError(c, execAbortPreviousErrors);
        else
            addReplyNullArray(c);
        multiDiscard(c);
        return;
    }
    /* Our own writes must not dirty us: stop watching before running. */
    multiUnwatchAll(c);

    MultiQueue *q = c->multiQueue;
    int count = q ? q->count : 0;
    Command *execCmd = c->cmd;
    Arg *origArgv = c->argv;
    int origArgc = c->argc;
    addReplyArrayLen(c, count);
    /* CLIENT_MULTI stays set while the commands run (CLIENT INFO inside the
     * transaction shows flags=x, as in Redis). */
    blockingDenyBegin();
    for (int i = 0; i < count; i++) {
        QueuedCmd *qc = &q->cmds[i];
        c->cmd = qc->cmd;
        c->argc = qc->argc;
        c->argv = qc->argv;
        callCommand(c, CALL_FULL);
    }
    blockingDenyEnd();
    c->cmd = execCmd;
    c->argv = origArgv;
    c->argc = origArgc;
    multiDiscard(c);
    /* Only the commands it ran propagate (propagate.c wraps them in
     * MULTI/EXEC when there is more than one). */
    propagatePrevent(c);
}
