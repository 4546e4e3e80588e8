/* lazyfree.c — the background free thread and its job queue (design in
 * lazyfree.h). */
#include "lazyfree.h"

#include "log.h"
#include "mem.h"
#include "quicklist.h"
#include "zskiplist.h"

#include <errno.h>
#include <lua.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

typedef struct LazyfreeJob {
    struct LazyfreeJob *next;
    LazyfreeJobFn *fn;
    void *a, *b;
    size_t objects;
} LazyfreeJob;

/* Queue state, under `lock`. `busy` is true while the worker runs a job it
 * has taken off the queue. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobReady = PTHREAD_COND_INITIALIZER;
static pthread_cond_t idle = PTHREAD_COND_INITIALIZER;
static LazyfreeJob *queueHead = NULL, *queueTail = NULL;
static bool busy = false;
static bool stopRequested = false;

static pthread_t worker;
static bool workerStarted = false;
static bool workerFailed = false; /* could not start: free at once */
/* Set in a fork child by the atfork handler: no thread there, and `lock`
 * may have been copied while held. */
static bool inForkChild = false;

/* Read without the lock by INFO and eviction. */
static size_t pendingObjects = 0;
static size_t freedObjects = 0;

static void lazyfreeAtForkChild(void) {
    inForkChild = true;
}

static void *lazyfreeMain(void *arg) {
    (void)arg;
    /* Signals are for the main thread (SIGTERM, SIGINT, SIGCHLD). */
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!queueHead && !stopRequested) pthread_cond_wait(&jobReady, &lock);
        if (stopRequested) break;
        LazyfreeJob *job = queueHead;
        queueHead = job->next;
        if (!queueHead) queueTail = NULL;
        busy = true;
        pthread_mutex_unlock(&lock);

        job->fn(job->a, job->b);
        __atomic_sub_fetch(&pendingObjects, job->objects, __ATOMIC_RELAXED);
        __atomic_add_fetch(&freedObjects, job->objects, __ATOMIC_RELAXED);
        kvFree(job);

        pthread_mutex_lock(&lock);
        busy = false;
        if (!queueHead) pthread_cond_broadcast(&idle);
    }
    busy = false;
    pthread_cond_broadcast(&idle);
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Starts the worker if needed; false when jobs must run synchronously. */
static bool lazyfreeEnsureWorker(void) {
    if (inForkChild || workerFailed || stopRequested) return false;
    if (workerStarted) return true;
    if (pthread_create(&worker, NULL, lazyfreeMain, NULL) != 0) {
        workerFailed = true;
        logMsg(LL_WARNING, "Can't start the lazy free thread: freeing synchronously.");
        return false;
    }
    static bool atforkRegistered = false;
    if (!atforkRegistered) {
        pthread_atfork(NULL, NULL, lazyfreeAtForkChild);
        atforkRegistered = true;
    }
    workerStarted = true;
    return true;
}

void lazyfreeSubmit(LazyfreeJobFn *fn, void *a, void *b, size_t objects) {
    if (!lazyfreeEnsureWorker()) {
        fn(a, b);
        return;
    }
    LazyfreeJob *job = kvMalloc(sizeof(*job));
    job->next = NULL;
    job->fn = fn;
    job->a = a;
    job->b = b;
    job->objects = objects;
    /* Counted before the worker can see it, so pending never underflows. */
    __atomic_add_fetch(&pendingObjects, objects, __ATOMIC_RELAXED);
    pthread_mutex_lock(&lock);
    if (queueTail)
        queueTail->next = job;
    else
        queueHead = job;
    queueTail = job;
    pthread_cond_signal(&jobReady);
    pthread_mutex_unlock(&lock);
}

/* ------------------------------------------------------------------------
 * Keyspace values and databases
 * ---------------------------------------------------------------------- */

size_t lazyfreeFreeEffort(const Object *o) {
    switch (o->type) {
        case OBJ_LIST:
            if (o->encoding == OBJ_ENC_QUICKLIST) return ((const Quicklist *)objPtr(o))->len;
            break;
        case OBJ_SET:
        case OBJ_HASH:
            if (o->encoding == OBJ_ENC_HASHTABLE) return dictSize((const Dict *)objPtr(o));
            break;
        case OBJ_ZSET:
            if (o->encoding == OBJ_ENC_SKIPLIST) return ((const Zsl *)objPtr(o))->length;
            break;
        default: break;
    }
    return 1; /* strings, listpacks, intsets: one allocation or so */
}

static void lazyfreeObjectJob(void *a, void *b) {
    (void)b;
    objFree(a);
}

bool lazyfreeFreeObject(Object *o, bool lazy) {
    if (!o) return false;
    if (!lazy || lazyfreeFreeEffort(o) <= LAZYFREE_THRESHOLD || !lazyfreeEnsureWorker()) {
        objFree(o);
        return false;
    }
    lazyfreeSubmit(lazyfreeObjectJob, o, NULL, 1);
    return true;
}

static void lazyfreeDictsJob(void *a, void *b) {
    /* The expires entries point into the Objects the keys dict owns: they
     * go first (their free function does not look at the Object). */
    dictRelease(b);
    dictRelease(a);
}

void lazyfreeFreeDicts(Dict *keys, Dict *expires) {
    lazyfreeSubmit(lazyfreeDictsJob, keys, expires, keys ? dictSize(keys) : 0);
}

static void lazyfreeLuaJob(void *a, void *b) {
    (void)b;
    lua_close(a);
}

void lazyfreeCloseLuaState(struct lua_State *L, size_t objects, bool lazy) {
    if (!L) return;
    if (lazy && objects > LAZYFREE_THRESHOLD)
        lazyfreeSubmit(lazyfreeLuaJob, L, NULL, objects);
    else
        lua_close(L);
}

/* ------------------------------------------------------------------------
 * Statistics, waiting, shutdown
 * ---------------------------------------------------------------------- */

size_t lazyfreePendingObjects(void) {
    return __atomic_load_n(&pendingObjects, __ATOMIC_RELAXED);
}

size_t lazyfreeFreedObjects(void) {
    return __atomic_load_n(&freedObjects, __ATOMIC_RELAXED);
}

void lazyfreeResetStats(void) {
    __atomic_store_n(&freedObjects, 0, __ATOMIC_RELAXED);
}

bool lazyfreeWaitIdle(long long maxUs) {
    if (!workerStarted || inForkChild) return true;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    if (maxUs >= 0) {
        long long ns = deadline.tv_nsec + (maxUs % 1000000) * 1000;
        deadline.tv_sec += (time_t)(maxUs / 1000000 + ns / 1000000000);
        deadline.tv_nsec = (long)(ns % 1000000000);
    }
    pthread_mutex_lock(&lock);
    int rc = 0;
    while ((queueHead || busy) && !stopRequested && rc != ETIMEDOUT) {
        if (maxUs < 0)
            pthread_cond_wait(&idle, &lock);
        else
            rc = pthread_cond_timedwait(&idle, &lock, &deadline);
    }
    bool isIdle = !queueHead && !busy;
    pthread_mutex_unlock(&lock);
    return isIdle;
}

void lazyfreeShutdown(void) {
    if (!workerStarted || inForkChild) return;
    pthread_mutex_lock(&lock);
    stopRequested = true;
    pthread_cond_signal(&jobReady);
    pthread_mutex_unlock(&lock);
    pthread_join(worker, NULL);
    workerStarted = false;
}
