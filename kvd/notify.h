/* notify.h — keyspace notifications: the notify-keyspace-events classes and
 * the events commands emit, published through Pub/Sub (pubsub.h) as Redis
 * 7.0 does:
 *
 *   PUBLISH __keyspace@<db>__:<key> <event>     (class K)
 *   PUBLISH __keyevent@<db>__:<event> <key>     (class E)
 *
 * A command calls notifyKeyspaceEvent(NOTIFY_<TYPE>, "<event>", key, db)
 * after each change it makes, with Redis's event name (lpush, rename_from,
 * expired…); nothing is published unless the event's type class and K or E
 * are enabled, so the call is cheap when notifications are off.
 */
#ifndef KV_NOTIFY_H
#define KV_NOTIFY_H

#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>

#define NOTIFY_KEYSPACE (1 << 0)  /* K */
#define NOTIFY_KEYEVENT (1 << 1)  /* E */
#define NOTIFY_GENERIC  (1 << 2)  /* g */
#define NOTIFY_STRING   (1 << 3)  /* $ */
#define NOTIFY_LIST     (1 << 4)  /* l */
#define NOTIFY_SET      (1 << 5)  /* s */
#define NOTIFY_HASH     (1 << 6)  /* h */
#define NOTIFY_ZSET     (1 << 7)  /* z */
#define NOTIFY_EXPIRED  (1 << 8)  /* x */
#define NOTIFY_EVICTED  (1 << 9)  /* e */
#define NOTIFY_STREAM   (1 << 10) /* t */
#define NOTIFY_KEY_MISS (1 << 11) /* m (not part of A) */
#define NOTIFY_MODULE   (1 << 12) /* d */
#define NOTIFY_NEW      (1 << 13) /* n (not part of A) */
/* A: every type class except key-miss and new. */
#define NOTIFY_ALL                                                                                 \
    (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET |       \
     NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE)

struct Db;

/* Publishes `event` for `key` in db `dbid` if its class is enabled. */
void notifyKeyspaceEvent(int type, const char *event, const char *key, size_t klen, int dbid);
/* True when events of this type would be published (to skip work). */
bool notifyEnabled(int type);

/* notify-keyspace-events: parses the class string ("KEA", "Ex"…); false
 * with Redis's message in *err on an unknown character. */
bool notifyConfigSet(const char *value, const char **err);
/* The CONFIG GET form (Redis's canonical order; "A" for all type classes,
 * and then — a Redis 7.0 quirk kept on purpose — no "n"). */
dstr notifyConfigGet(dstr out);

#endif
