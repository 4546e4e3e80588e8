/* test_lazyfree.c — the lazy free thread and its queue (kvd/lazyfree.c).
 *
 * Checked: jobs run in submission order on the worker and their object
 * counts move from pending to freed; waiting with a time limit reports a
 * busy worker; the free-effort rule (compact encodings and small values are
 * freed at once, big hashtable/quicklist values queued); used memory comes
 * back to its baseline once the worker is done; FLUSH ASYNC's table hand-over
 * (dbEmptyLazy) counts the keys; a fork child frees synchronously and never
 * touches the queue; after shutdown jobs run synchronously. */
#include "config.h"
#include "db.h"
#include "lazyfree.h"
#include "mem.h"
#include "object.h"
#include "quicklist.h"
#include "server.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"
#include "testhelp.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- plain jobs ---- */

static int order[64];
static int orderCount = 0; /* written by the worker only, read after idle */

static void recordJob(void *a, void *b) {
    order[orderCount++] = (int)(long)a;
    kvFree(b);
}

static void testQueueOrderAndCounts(void) {
    size_t freedBefore = lazyfreeFreedObjects();
    size_t memBefore = kvMemUsed();
    for (int i = 0; i < 20; i++) lazyfreeSubmit(recordJob, (void *)(long)i, kvMalloc(1000), 3);
    TEST_CHECK(lazyfreeWaitIdle(-1));
    TEST_CHECK(orderCount == 20);
    bool inOrder = true;
    for (int i = 0; i < orderCount; i++)
        if (order[i] != i) inOrder = false;
    TEST_CHECK(inOrder);
    TEST_CHECK(lazyfreePendingObjects() == 0);
    TEST_CHECK(lazyfreeFreedObjects() == freedBefore + 60);
    TEST_CHECK(kvMemUsed() == memBefore);
}

static volatile int gateOpen = 0;

static void gatedJob(void *a, void *b) {
    (void)a;
    (void)b;
    /* Bounded: at most ~10 s even if the test forgot to open the gate. */
    for (int i = 0; i < 10000 && !__atomic_load_n(&gateOpen, __ATOMIC_ACQUIRE); i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

static void testWaitWithLimit(void) {
    __atomic_store_n(&gateOpen, 0, __ATOMIC_RELEASE);
    lazyfreeSubmit(gatedJob, NULL, NULL, 5);
    TEST_CHECK(lazyfreePendingObjects() == 5);
    TEST_CHECK(!lazyfreeWaitIdle(20000)); /* 20 ms: still busy */
    TEST_CHECK(lazyfreePendingObjects() == 5);
    __atomic_store_n(&gateOpen, 1, __ATOMIC_RELEASE);
    TEST_CHECK(lazyfreeWaitIdle(-1));
    TEST_CHECK(lazyfreePendingObjects() == 0);
}

/* ---- keyspace values ---- */

/* A set of `members` elements: an intset for up to 64, else a hashtable
 * (or a hashtable whatever the size with `table`). */
static Object *newSetObjectAs(const char *key, int members, bool table) {
    Set s = table || members > 64 ? setNewHashtable(0) : setNewIntset();
    char buf[32];
    for (int i = 0; i < members; i++) {
        int n = snprintf(buf, sizeof(buf), "m%d", i);
        if (s.encoding == OBJ_ENC_INTSET)
            setAddInt(&s, i);
        else
            setAdd(&s, buf, (size_t)n);
    }
    return objNewPtr(key, strlen(key), OBJ_SET, s.encoding, s.ptr, -1);
}

static Object *newSetObject(const char *key, int members) {
    return newSetObjectAs(key, members, false);
}

static Object *newListObject(const char *key, int nodes) {
    /* fill 1: one entry per node, so the node count is exact. */
    Quicklist *ql = quicklistCreate(1, 0);
    for (int i = 0; i < nodes; i++) quicklistPush(ql, QL_TAIL, "element", 7);
    return objNewPtr(key, strlen(key), OBJ_LIST, OBJ_ENC_QUICKLIST, ql, -1);
}

static void testFreeEffort(void) {
    Object *str = objNewString("k", 1, "value", 5, true, -1);
    Object *small = newSetObject("s", 10);
    Object *big = newSetObject("b", 200);
    Object *list = newListObject("l", 100);
    TEST_CHECK(lazyfreeFreeEffort(str) == 1);
    TEST_CHECK(small->encoding == OBJ_ENC_INTSET && lazyfreeFreeEffort(small) == 1);
    TEST_CHECK(big->encoding == OBJ_ENC_HASHTABLE && lazyfreeFreeEffort(big) == 200);
    TEST_CHECK(lazyfreeFreeEffort(list) == ((Quicklist *)objPtr(list))->len);
    TEST_CHECK(((Quicklist *)objPtr(list))->len > LAZYFREE_THRESHOLD);
    objFree(str);
    objFree(small);
    objFree(big);
    objFree(list);
}

static void testFreeObject(void) {
    size_t memBefore = kvMemUsed();
    size_t freed = lazyfreeFreedObjects();
    /* Small or not lazy: freed at once, not counted. */
    TEST_CHECK(!lazyfreeFreeObject(newSetObject("s", 10), true));
    Object *edge = newSetObjectAs("t", 64, true);
    TEST_CHECK(lazyfreeFreeEffort(edge) == 64);
    TEST_CHECK(!lazyfreeFreeObject(edge, true)); /* effort 64: not above the threshold */
    Object *over = newSetObjectAs("u", 65, true);
    TEST_CHECK(lazyfreeFreeObject(over, true)); /* 65: queued */
    TEST_CHECK(lazyfreeWaitIdle(-1));
    freed++;
    TEST_CHECK(!lazyfreeFreeObject(newSetObject("b", 5000), false));
    TEST_CHECK(lazyfreeFreedObjects() == freed);
    TEST_CHECK(kvMemUsed() == memBefore);
    /* Big and lazy: queued, one object each. */
    TEST_CHECK(lazyfreeFreeObject(newSetObject("b", 5000), true));
    TEST_CHECK(lazyfreeFreeObject(newListObject("l", 1000), true));
    TEST_CHECK(lazyfreeWaitIdle(-1));
    TEST_CHECK(lazyfreeFreedObjects() == freed + 2);
    TEST_CHECK(lazyfreePendingObjects() == 0);
    TEST_CHECK(kvMemUsed() == memBefore);
}

static void testEmptyDbLazily(void) {
    Db *db = dbGet(0);
    char key[32];
    for (int i = 0; i < 300; i++) {
        int n = snprintf(key, sizeof(key), "key:%d", i);
        Object *o =
            objNewString(key, (size_t)n, "v", 1, false, i % 2 ? serverNowMs() + 100000 : -1);
        dbAdd(db, o);
    }
    size_t freed = lazyfreeFreedObjects();
    TEST_CHECK(dbEmptyLazy(db, true) == 300);
    TEST_CHECK(dictSize(db->keys) == 0 && dictSize(db->expires) == 0);
    /* The fresh tables work at once, while the old ones may still go. */
    dbAdd(db, objNewString("after", 5, "x", 1, false, -1));
    TEST_CHECK(dbFindRaw(db, "after", 5) != NULL);
    TEST_CHECK(lazyfreeWaitIdle(-1));
    TEST_CHECK(lazyfreeFreedObjects() == freed + 300);
    TEST_CHECK(dbFindRaw(db, "after", 5) != NULL && dictSize(db->keys) == 1);
    dbEmpty(db);
}

static void testForkChildFreesSynchronously(void) {
    /* Keep the worker busy so that a child forked now has a queue in use. */
    __atomic_store_n(&gateOpen, 0, __ATOMIC_RELEASE);
    lazyfreeSubmit(gatedJob, NULL, NULL, 1);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        size_t before = lazyfreeFreedObjects();
        bool queued = lazyfreeFreeObject(newSetObject("c", 5000), true);
        bool idle = lazyfreeWaitIdle(1000);
        _exit(!queued && idle && lazyfreeFreedObjects() == before ? 0 : 1);
    }
    TEST_CHECK(pid > 0);
    int status = -1;
    if (pid > 0) waitpid(pid, &status, 0);
    TEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    __atomic_store_n(&gateOpen, 1, __ATOMIC_RELEASE);
    TEST_CHECK(lazyfreeWaitIdle(-1));
}

static void testShutdown(void) {
    lazyfreeShutdown();
    size_t freed = lazyfreeFreedObjects();
    orderCount = 0;
    lazyfreeSubmit(recordJob, (void *)7L, kvMalloc(10), 1);
    TEST_CHECK(orderCount == 1 && order[0] == 7); /* ran synchronously */
    TEST_CHECK(!lazyfreeFreeObject(newSetObject("b", 5000), true));
    TEST_CHECK(lazyfreeFreedObjects() == freed);
    TEST_CHECK(lazyfreeWaitIdle(0));
}

int main(void) {
    configInitDefaults();
    serverUpdateTime();
    serverInitKeyspace(16);
    TEST_RUN(testQueueOrderAndCounts);
    TEST_RUN(testWaitWithLimit);
    TEST_RUN(testFreeEffort);
    TEST_RUN(testFreeObject);
    TEST_RUN(testEmptyDbLazily);
    TEST_RUN(testForkChildFreesSynchronously);
    TEST_RUN(testShutdown);
    return TEST_REPORT();
}
