/* pubsub.h — Pub/Sub: channels, patterns and shard channels, PUBLISH and
 * the SUBSCRIBE family, as Redis 7.0 (standalone) does them.
 *
 * Messages and subscription confirmations are push frames (`>`) in RESP3
 * and arrays in RESP2. A RESP2 client with any subscription is in the
 * "subscribed context" (CLIENT_PUBSUB, client.h): dispatch lets it run only
 * the commands pubsubAllowedInContext() accepts. Keyspace notifications
 * (notify.h) publish through pubsubPublish.
 */
#ifndef KV_PUBSUB_H
#define KV_PUBSUB_H

#include "client.h"

#include <stdbool.h>
#include <stddef.h>

struct Command;

/* Delivers msg to the subscribers of `channel` and of the patterns matching
 * it; returns the number of clients it was sent to. */
long long pubsubPublish(const char *channel, size_t clen, const char *msg, size_t mlen);

/* Drops every subscription of c, sending no replies (disconnection,
 * RESET). */
void pubsubUnsubscribeAll(Client *c);
/* Alias used by client.c when freeing a client. */
static inline void pubsubClientFree(Client *c) {
    pubsubUnsubscribeAll(c);
}
/* Subscription counts of one client (CLIENT LIST sub=, psub=, ssub=). */
void pubsubClientCounts(const Client *c, unsigned long *channels, unsigned long *patterns,
                        unsigned long *shardChannels);

/* True when cmd may run in the RESP2 subscribed context. */
bool pubsubAllowedInContext(const struct Command *cmd);

/* INFO stats: channels and shard channels with subscribers, distinct
 * patterns. */
unsigned long pubsubChannelCount(void);
unsigned long pubsubPatternCount(void);
unsigned long pubsubShardChannelCount(void);

#endif
