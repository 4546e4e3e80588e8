/* blocking.c — clients blocked on keys (see blocking.h for the contract).
 *
 * Design
 * ------
 *
 *   queues (Dict): "<db id:4 bytes><key>" -> WaitQueue
 *       WaitQueue: head -> Waiter <-> Waiter <-> Waiter <- tail  (FIFO)
 *                            |          |          |
 *                       BlockState  BlockState  BlockState   (one per client)
 *
 *   BlockState: the client, its db, deadline, BlockSpec + priv, and one
 *   Waiter per distinct key, each linked into that key's queue.
 *
 *   ready:   array of WaitQueues signalled since the last serve (each once:
 *            WaitQueue.ready), filled by blockingSignalKeyReady.
 *   timeouts: binary min-heap of BlockStates by deadline (those with one),
 *            with a libevent timer armed for the earliest, so sub-second
 *            timeouts fire on time rather than at the next cron tick.
 *   resume:  clients that were served, timed out or unblocked, waiting to
 *            have their reply written and their pipelined input processed.
 *
 * Lifecycle of a blocked client: blockingBlockClient sets CLIENT_BLOCKED and
 * links its waiters. When it is served (or times out, or CLIENT UNBLOCK) its
 * waiters and heap slot are removed at once, so it can never be served twice,
 * and it moves to the resume list; CLIENT_BLOCKED stays set until the resume
 * event runs (so that a disconnection in between still reaches
 * blockingOnClientFree). The resume event — activated right away, run by the
 * event loop after the current callback — clears the flag and calls
 * clientProcessInput, which runs the client's pipelined commands and writes
 * its reply. As in Redis 7.0 (which does this in beforeSleep), a served
 * client's next commands run after the commands of the client that served it
 * that were already read.
 *
 * A queue lives while it has waiters; an empty queue that sits in the ready
 * array or is being served is freed once that is over.
 */
#include "blocking.h"

#include "propagate.h"
#include "hash.h"
#include "mem.h"
#include "numconv.h"
#include "object.h"
#include "reply.h"
#include "server.h"

#include <event2/event.h>
#include <limits.h>
#include <math.h>
#include <string.h>

typedef struct BlockState BlockState;
typedef struct WaitQueue WaitQueue;

typedef struct Waiter {
    struct Waiter *prev, *next;
    WaitQueue *queue;
    BlockState *bs;
} Waiter;

struct WaitQueue {
    DictLink link;
    Waiter *head, *tail;
    bool ready;   /* in the ready array */
    bool serving; /* its waiters are being offered the key right now */
    uint32_t klen;
    char key[]; /* db id (4 bytes, native order) + key bytes */
};

struct BlockState {
    Client *c;
    int dbid;
    long long deadline; /* 0: none */
    size_t heapIdx;     /* position in the timeout heap (when deadline) */
    const BlockSpec *spec;
    void *priv;
    bool resumePending; /* done waiting, on the resume list */
    int nwaiters;
    Waiter waiters[];
};

static Dict *queues = NULL;
static WaitQueue **ready = NULL;
static size_t readyCount = 0, readyCap = 0;
static BlockState **heap = NULL;
static size_t heapCount = 0, heapCap = 0;
static Client **resume = NULL;
static size_t resumeCount = 0, resumeCap = 0;
static Client **resumeBatch = NULL; /* the part of `resume` being resumed */
static size_t resumeBatchCount = 0;
static unsigned long blockedClients = 0;
static bool serving = false;
static int denyDepth = 0;
static struct event *timeoutEvent = NULL;
static struct event *resumeEvent = NULL;

static const char *const errUnblocked = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

/* ------------------------------------------------------------------------
 * Queues
 * ---------------------------------------------------------------------- */

static const void *queueKey(const DictLink *l, size_t *len) {
    const WaitQueue *q = (const WaitQueue *)l;
    *len = q->klen;
    return q->key;
}

static void queueFreeEntry(DictLink *l) {
    kvFree(l);
}

static const DictType queueDictType = {hashBytes, queueKey, NULL, queueFreeEntry};

/* Builds "<db id><key>" in buf (of `cap` bytes) or in a new allocation when
 * it does not fit; returns the bytes and sets *len. */
static char *queueName(int dbid, const char *key, size_t klen, char *buf, size_t cap, size_t *len) {
    *len = sizeof(dbid) + klen;
    char *out = *len <= cap ? buf : kvMalloc(*len);
    memcpy(out, &dbid, sizeof(dbid));
    memcpy(out + sizeof(dbid), key, klen);
    return out;
}

static WaitQueue *queueFind(int dbid, const char *key, size_t klen) {
    if (!queues || dictSize(queues) == 0) return NULL;
    char buf[128];
    size_t len;
    char *name = queueName(dbid, key, klen, buf, sizeof(buf), &len);
    WaitQueue *q = (WaitQueue *)dictFind(queues, name, len);
    if (name != buf) kvFree(name);
    return q;
}

static WaitQueue *queueGetOrCreate(int dbid, const char *key, size_t klen) {
    if (!queues) queues = dictCreate(&queueDictType);
    WaitQueue *q = queueFind(dbid, key, klen);
    if (q) return q;
    q = kvMalloc(sizeof(*q) + sizeof(dbid) + klen);
    q->link.next = NULL;
    q->head = q->tail = NULL;
    q->ready = q->serving = false;
    q->klen = (uint32_t)(sizeof(dbid) + klen);
    memcpy(q->key, &dbid, sizeof(dbid));
    memcpy(q->key + sizeof(dbid), key, klen);
    dictAddUnique(queues, &q->link);
    return q;
}

/* Frees q if nothing refers to it any more. */
static void queueReleaseIfUnused(WaitQueue *q) {
    if (q->head || q->ready || q->serving) return;
    dictDelete(queues, q->key, q->klen);
}

static void waiterUnlink(Waiter *w) {
    WaitQueue *q = w->queue;
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    w->prev = w->next = NULL;
    queueReleaseIfUnused(q);
}

/* ------------------------------------------------------------------------
 * Timeout heap
 * ---------------------------------------------------------------------- */

static void heapSet(size_t i, BlockState *bs) {
    heap[i] = bs;
    bs->heapIdx = i;
}

static void heapUp(size_t i) {
    BlockState *bs = heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (heap[parent]->deadline <= bs->deadline) break;
        heapSet(i, heap[parent]);
        i = parent;
    }
    heapSet(i, bs);
}

static void heapDown(size_t i) {
    BlockState *bs = heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= heapCount) break;
        if (child + 1 < heapCount && heap[child + 1]->deadline < heap[child]->deadline) child++;
        if (heap[child]->deadline >= bs->deadline) break;
        heapSet(i, heap[child]);
        i = child;
    }
    heapSet(i, bs);
}

static void heapInsert(BlockState *bs) {
    if (heapCount == heapCap) {
        heapCap = heapCap ? heapCap * 2 : 16;
        heap = kvRealloc(heap, heapCap * sizeof(*heap));
    }
    heapSet(heapCount++, bs);
    heapUp(heapCount - 1);
}

static void heapRemove(BlockState *bs) {
    size_t i = bs->heapIdx;
    BlockState *last = heap[--heapCount];
    if (i == heapCount) return;
    heapSet(i, last);
    heapUp(i);
    heapDown(last->heapIdx);
}

static void timeoutFired(evutil_socket_t fd, short what, void *arg);

/* Arms the timer for the earliest deadline. */
static void timerRearm(void) {
    if (heapCount == 0) {
        if (timeoutEvent) event_del(timeoutEvent);
        return;
    }
    if (!timeoutEvent) {
        struct event_base *base = serverEventBase();
        if (!base) return; /* no event loop (unit tests): the cron checks */
        timeoutEvent = evtimer_new(base, timeoutFired, NULL);
    }
    long long wait = heap[0]->deadline - serverNowMs();
    if (wait < 0) wait = 0;
    if (wait > 86400000LL) wait = 86400000LL; /* re-armed when it fires */
    struct timeval tv = {(time_t)(wait / 1000), (suseconds_t)((wait % 1000) * 1000)};
    event_add(timeoutEvent, &tv);
}

/* ------------------------------------------------------------------------
 * Unblocking and resuming
 * ---------------------------------------------------------------------- */

static void resumeRun(evutil_socket_t fd, short what, void *arg);

static void resumeSchedule(Client *c) {
    if (resumeCount == resumeCap) {
        resumeCap = resumeCap ? resumeCap * 2 : 16;
        resume = kvRealloc(resume, resumeCap * sizeof(*resume));
    }
    resume[resumeCount++] = c;
    if (!resumeEvent) {
        struct event_base *base = serverEventBase();
        if (!base) return;
        resumeEvent = event_new(base, -1, 0, resumeRun, NULL);
    }
    event_active(resumeEvent, EV_TIMEOUT, 0);
}

/* Stops c waiting: unlinks its waiters and timeout, frees priv, and queues
 * it for resuming. Its reply has been written by the caller. */
static void unblockClient(BlockState *bs) {
    for (int i = 0; i < bs->nwaiters; i++) waiterUnlink(&bs->waiters[i]);
    bs->nwaiters = 0;
    if (bs->deadline) heapRemove(bs);
    if (bs->spec->freePriv) bs->spec->freePriv(bs->priv);
    bs->priv = NULL;
    bs->resumePending = true;
    blockedClients--;
    resumeSchedule(bs->c);
}

/* Resumes every client on the resume list: clears CLIENT_BLOCKED and
 * processes the input it sent meanwhile (which writes its reply). Clients
 * scheduled meanwhile are resumed too. A client freed while its turn is
 * pending is taken off the batch by blockingOnClientFree. */
static void resumeAll(void) {
    while (resumeCount > 0) {
        resumeBatch = resume;
        resumeBatchCount = resumeCount;
        resume = NULL;
        resumeCount = resumeCap = 0;
        for (size_t i = 0; i < resumeBatchCount; i++) {
            Client *c = resumeBatch[i];
            if (!c) continue;
            resumeBatch[i] = NULL;
            kvFree(c->blockState);
            c->blockState = NULL;
            c->flags &= ~(uint64_t)CLIENT_BLOCKED;
            clientProcessInput(c);
        }
        kvFree(resumeBatch);
        resumeBatch = NULL;
        resumeBatchCount = 0;
    }
    clientFreeClosing();
}

static void resumeRun(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    (void)arg;
    serverUpdateTime();
    resumeAll();
}

/* Times out every client whose deadline is at or before now. */
static void timeoutExpired(void) {
    long long now = serverNowMs();
    while (heapCount > 0 && heap[0]->deadline <= now) {
        BlockState *bs = heap[0];
        addReplyNullArray(bs->c);
        unblockClient(bs);
    }
    timerRearm();
}

static void timeoutFired(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    (void)arg;
    serverUpdateTime();
    timeoutExpired();
    resumeAll();
}

/* ------------------------------------------------------------------------
 * Public API
 * ---------------------------------------------------------------------- */

void blockingBlockClient(Client *c, const Arg *keys, int nkeys, long long deadline,
                         const BlockSpec *spec, void *priv) {
    BlockState *bs = kvMalloc(sizeof(*bs) + (size_t)nkeys * sizeof(Waiter));
    bs->c = c;
    bs->dbid = c->db->id;
    bs->deadline = deadline;
    bs->heapIdx = 0;
    bs->spec = spec;
    bs->priv = priv;
    bs->resumePending = false;
    bs->nwaiters = 0;
    for (int i = 0; i < nkeys; i++) {
        WaitQueue *q = queueGetOrCreate(bs->dbid, keys[i].ptr, keys[i].len);
        /* A key given twice is waited on once (its queue's tail is us). */
        if (q->tail && q->tail->bs == bs) continue;
        Waiter *w = &bs->waiters[bs->nwaiters++];
        w->queue = q;
        w->bs = bs;
        w->next = NULL;
        w->prev = q->tail;
        if (q->tail)
            q->tail->next = w;
        else
            q->head = w;
        q->tail = w;
    }
    c->blockState = bs;
    c->flags |= CLIENT_BLOCKED;
    blockedClients++;
    if (deadline) {
        heapInsert(bs);
        if (bs->heapIdx == 0) timerRearm();
    }
}

bool blockingParseTimeoutOrReply(Client *c, const Arg *arg, long long *deadline) {
    long double secs;
    if (!strToLongDouble(arg->ptr, arg->len, &secs)) {
        addReplyError(c, "ERR timeout is not a float or out of range");
        return false;
    }
    /* Redis 7.0 computes (long long)ceill(secs * 1000): a value beyond the
     * range of long long (inf included) comes out as LLONG_MIN on x86 and is
     * then reported as negative; we spell that out. */
    long double ms = ceill(secs * 1000.0L);
    if (!(ms >= -9223372036854775808.0L && ms < 9223372036854775808.0L) || ms < 0) {
        addReplyError(c, "ERR timeout is negative");
        return false;
    }
    long long tval = (long long)ms;
    if (tval == 0) {
        *deadline = 0;
        return true;
    }
    long long now = serverNowMs();
    /* Redis 7.0 lets now + tval overflow, and such a client in practice waits
     * forever; saturate instead. */
    *deadline = tval > LLONG_MAX - now ? LLONG_MAX : now + tval;
    return true;
}

bool blockingAllowed(const Client *c) {
    (void)c;
    return denyDepth == 0;
}

void blockingDenyBegin(void) {
    denyDepth++;
}

void blockingDenyEnd(void) {
    if (denyDepth > 0) denyDepth--;
}

bool blockingIsBlocked(const Client *c) {
    const BlockState *bs = c->blockState;
    return (c->flags & CLIENT_BLOCKED) && bs && !bs->resumePending;
}

bool blockingUnblockClient(uint64_t id, bool withError) {
    Client *c = clientById(id);
    if (!c || !blockingIsBlocked(c)) return false;
    if (withError)
        addReplyError(c, errUnblocked);
    else
        addReplyNullArray(c);
    unblockClient(c->blockState);
    return true;
}

void blockingSignalKeyReady(Db *db, const char *key, size_t klen) {
    WaitQueue *q = queueFind(db->id, key, klen);
    if (!q || q->ready || !q->head) return;
    if (readyCount == readyCap) {
        readyCap = readyCap ? readyCap * 2 : 16;
        ready = kvRealloc(ready, readyCap * sizeof(*ready));
    }
    q->ready = true;
    ready[readyCount++] = q;
}

void blockingSignalDbReady(Db *db) {
    if (!queues || dictSize(queues) == 0) return;
    DictIter it;
    DictLink *l;
    dictIterInit(&it, queues, true);
    while ((l = dictIterNext(&it))) {
        WaitQueue *q = (WaitQueue *)l;
        int dbid;
        memcpy(&dbid, q->key, sizeof(dbid));
        if (dbid != db->id) continue;
        const char *key = q->key + sizeof(dbid);
        size_t klen = q->klen - sizeof(dbid);
        if (dbLookupNoTouch(db, key, klen)) blockingSignalKeyReady(db, key, klen);
    }
    dictIterRelease(&it);
}

/* Offers the key of q to its waiters in order while it exists. */
static void serveQueue(WaitQueue *q) {
    int dbid;
    memcpy(&dbid, q->key, sizeof(dbid));
    Db *db = dbGet(dbid);
    const char *key = q->key + sizeof(dbid);
    size_t klen = q->klen - sizeof(dbid);
    q->serving = true;
    Waiter *w = q->head;
    while (w) {
        Object *o = dbLookupNoTouch(db, key, klen);
        if (!o) break;
        Waiter *next = w->next;
        BlockState *bs = w->bs;
        /* Serving runs outside callCommand: each served client is its own
         * execution unit, propagating the non-blocking form the type's
         * serve function adds (LPOP, LMOVE, ZPOPMIN…). */
        propagateEnterUnit();
        bool served = (int)o->type == bs->spec->keyType && bs->spec->serve(bs->c, db, o, bs->priv);
        propagateExitUnit();
        if (served) unblockClient(bs);
        w = next;
    }
    q->serving = false;
}

void blockingServeReadyKeys(void) {
    if (serving || readyCount == 0) return;
    serving = true;
    while (readyCount > 0) {
        /* Keys signalled while serving these go to a fresh array. */
        WaitQueue **batch = ready;
        size_t n = readyCount;
        ready = NULL;
        readyCount = readyCap = 0;
        for (size_t i = 0; i < n; i++) {
            WaitQueue *q = batch[i];
            q->ready = false;
            serveQueue(q);
            queueReleaseIfUnused(q);
        }
        kvFree(batch);
    }
    serving = false;
}

void blockingOnClientFree(Client *c) {
    BlockState *bs = c->blockState;
    if (!bs) return;
    if (bs->resumePending) {
        for (size_t i = 0; i < resumeCount; i++) {
            if (resume[i] != c) continue;
            memmove(resume + i, resume + i + 1, (resumeCount - i - 1) * sizeof(*resume));
            resumeCount--;
            break;
        }
        for (size_t i = 0; i < resumeBatchCount; i++)
            if (resumeBatch[i] == c) resumeBatch[i] = NULL;
    } else {
        for (int i = 0; i < bs->nwaiters; i++) waiterUnlink(&bs->waiters[i]);
        if (bs->deadline) heapRemove(bs);
        if (bs->spec->freePriv) bs->spec->freePriv(bs->priv);
        blockedClients--;
    }
    kvFree(bs);
    c->blockState = NULL;
    c->flags &= ~(uint64_t)CLIENT_BLOCKED;
}

void blockingCron(void) {
    if (heapCount > 0 && heap[0]->deadline <= serverNowMs()) {
        timeoutExpired();
        resumeAll();
    }
}

unsigned long blockingClientCount(void) {
    return blockedClients;
}

unsigned long blockingKeyCount(void) {
    return queues ? dictSize(queues) : 0;
}
