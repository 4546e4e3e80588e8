/* lazyfree.h — freeing big values and whole databases on a background
 * thread, as Redis 7.0's lazy free (UNLINK, FLUSHALL ASYNC and the
 * lazyfree-lazy-* directives).
 *
 * Design
 * ------
 * One worker thread, started on the first job, takes jobs from a FIFO queue
 * (a mutex, a condition variable and a singly linked list). A job is a
 * function plus two pointers and the number of "objects" it frees; that
 * number is added to the pending counter when the job is queued and moved
 * to the freed counter when the worker has run it (INFO's
 * lazyfree_pending_objects and lazyfreed_objects, both in the memory
 * section, as Redis 7.0 prints them).
 *
 * What may be handed over: only memory that the main thread no longer
 * reaches. A keyspace Object (object.h) is one allocation holding key and
 * value header; once unlinked from its db's dicts nothing else points to it
 * (kvd has no shared value objects: integers are stored inline, and every
 * collection value belongs to exactly one Object), so the whole Object goes
 * to the worker. Freeing only calls kvFree (common/mem.c: the used-memory
 * counter is atomic, the allocators are thread-safe) and the types' free
 * functions, which touch no global state.
 *
 * Free effort, as Redis 7.0: a list counts its quicklist nodes, a
 * hashtable set/hash its elements, a skiplist zset its length; strings and
 * compact encodings (listpack, intset) count 1. Only values whose effort
 * exceeds LAZYFREE_THRESHOLD go to the worker; the rest are freed at once
 * (queueing would cost more than freeing).
 *
 * Fork: a child (BGSAVE, BGREWRITEAOF) inherits the queue's memory but not
 * the thread, and possibly a mutex locked by it; every entry point frees
 * synchronously in a child and never locks (an atfork handler marks it).
 *
 * Shutdown: lazyfreeShutdown() lets the worker finish the job it is
 * running and joins it; jobs still queued stay reachable from the queue
 * (not a leak) and die with the process.
 */
#ifndef KV_LAZYFREE_H
#define KV_LAZYFREE_H

#include "dict.h"
#include "object.h"

#include <stdbool.h>
#include <stddef.h>

/* Values with a free effort above this are freed in the background. */
#define LAZYFREE_THRESHOLD 64

/* A job: frees what a and b point to. Runs on the worker thread. */
typedef void LazyfreeJobFn(void *a, void *b);

/* Queues fn(a, b), counting `objects` as pending until it has run. The
 * worker takes ownership of what a and b point to. In a fork child, or if
 * the thread cannot start, runs fn at once. */
void lazyfreeSubmit(LazyfreeJobFn *fn, void *a, void *b, size_t objects);

/* The free effort of o's value (see above). O(1). */
size_t lazyfreeFreeEffort(const Object *o);
/* Frees o, which must be unlinked from every dict and owned by the caller:
 * in the background when `lazy` and its effort exceeds the threshold,
 * else at once. Returns true if it was queued. */
bool lazyfreeFreeObject(Object *o, bool lazy);
/* Frees a database's keys dict (owning its Objects) and its expires dict
 * in the background (either may be NULL); counts dictSize(keys) objects,
 * as Redis's FLUSHALL ASYNC does. */
void lazyfreeFreeDicts(Dict *keys, Dict *expires);

/* Closes a Lua state nothing else uses any more (SCRIPT FLUSH / FUNCTION
 * FLUSH ASYNC): in the background when `lazy` and `objects` (its scripts or
 * functions) exceed the threshold, counting them, as Redis 7.0 frees its
 * scripts dict / functions context; else at once. Lua's own allocations
 * are plain malloc (thread-safe) and the libraries kvd loads register no
 * finalizer that touches shared state (lua-cjson's frees its own buffer). */
struct lua_State;
void lazyfreeCloseLuaState(struct lua_State *L, size_t objects, bool lazy);

/* Objects queued and not yet freed (INFO lazyfree_pending_objects). */
size_t lazyfreePendingObjects(void);
/* Objects freed by the worker since start or CONFIG RESETSTAT. */
size_t lazyfreeFreedObjects(void);
void lazyfreeResetStats(void);
/* Waits up to maxUs microseconds (< 0: without limit) for the queue to be
 * empty and the worker idle; true if it is. */
bool lazyfreeWaitIdle(long long maxUs);
/* Stops the worker after its current job and joins it (see above). */
void lazyfreeShutdown(void);

#endif
