/* pubsub.c — Pub/Sub (see pubsub.h): PUBLISH SPUBLISH SUBSCRIBE UNSUBSCRIBE
 * PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE and PUBSUB.
 *
 * Design
 * ------
 * Server side, per kind of subscription (channel, shard channel, pattern) a
 * dict maps the name to the list of its subscribers in subscription order
 * (an array of Client pointers). A name is in the dict only while it has
 * subscribers, so its size is what PUBSUB NUMPAT and INFO report.
 *
 * Client side (Client.pubsub, allocated on the first subscription) the same
 * names are kept so that a client can unsubscribe from everything and the
 * counts are O(1): channels and shard channels in dicts, patterns in an
 * array in subscription order (PUNSUBSCRIBE without arguments answers in that
 * order, as Redis's pattern list does).
 *
 * Invariant: client X is in the server list of name N of kind K exactly when
 * N is in X's K set. CLIENT_PUBSUB is set while X has any subscription.
 *
 * Delivery: PUBLISH sends to the channel's subscribers in subscription order,
 * then to the subscribers of each matching pattern (in the pattern dict's
 * order). Messages to other clients go through clientAppendedOutOfBand, which
 * enforces client-output-buffer-limit and flushes before the loop sleeps.
 * Pushes are written with CLIENT_PUSHING so that CLIENT REPLY OFF does not
 * swallow them (Redis delivers them too). In standalone mode shard channels
 * are plain channels of their own namespace (SPUBLISH reaches only
 * SSUBSCRIBE subscribers, no patterns).
 */
#include "pubsub.h"

#include "command.h"
#include "commands.h"
#include "dict.h"
#include "globmatch.h"
#include "mem.h"
#include "reply.h"

#include <string.h>

typedef struct SubscriberList {
    Client **clients;
    size_t count, cap;
} SubscriberList;

typedef struct PubsubClientState {
    Dict *channels[2]; /* [KIND_CHANNEL] / [KIND_SHARD]: DictEntry sets */
    dstr *patterns;
    size_t npatterns, patternsCap;
} PubsubClientState;

enum { KIND_CHANNEL = 0, KIND_SHARD = 1 };

static Dict *serverChannels[2]; /* name -> SubscriberList* */
static Dict *serverPatterns;    /* pattern -> SubscriberList* */

/* Reply kinds of the subscribe family. */
typedef struct PubsubKind {
    const char *subscribe, *unsubscribe, *message;
} PubsubKind;
static const PubsubKind kindNames[2] = {
    {"subscribe", "unsubscribe", "message"},
    {"ssubscribe", "sunsubscribe", "smessage"},
};

/* ---- bookkeeping ---- */

static Dict *serverDict(Dict **slot) {
    if (!*slot) *slot = dictCreate(&dictTypeDstrKey);
    return *slot;
}

static PubsubClientState *clientState(Client *c) {
    if (!c->pubsub) {
        c->pubsub = kvCalloc(sizeof(*c->pubsub));
        c->pubsub->channels[KIND_CHANNEL] = dictCreate(&dictTypeDstrKey);
        c->pubsub->channels[KIND_SHARD] = dictCreate(&dictTypeDstrKey);
    }
    return c->pubsub;
}

static unsigned long clientChannelCount(const Client *c, int kind) {
    return c->pubsub ? (unsigned long)dictSize(c->pubsub->channels[kind]) : 0;
}

static unsigned long clientPatternCount(const Client *c) {
    return c->pubsub ? (unsigned long)c->pubsub->npatterns : 0;
}

/* The count a (un)subscribe reply carries: channels + patterns for the
 * classic kind, shard channels for the shard kind (as Redis 7.0). */
static long long replyCount(const Client *c, int kind) {
    if (kind == KIND_SHARD) return (long long)clientChannelCount(c, KIND_SHARD);
    return (long long)(clientChannelCount(c, KIND_CHANNEL) + clientPatternCount(c));
}

static void updatePubsubFlag(Client *c) {
    unsigned long total = clientChannelCount(c, KIND_CHANNEL) + clientChannelCount(c, KIND_SHARD) +
                          clientPatternCount(c);
    if (total)
        c->flags |= CLIENT_PUBSUB;
    else
        c->flags &= ~(uint64_t)CLIENT_PUBSUB;
}

static void listAdd(Dict *d, const char *name, size_t len, Client *c) {
    bool created = false;
    DictEntry *de = dictEntryAdd(d, name, len, &created);
    if (created) de->v.ptr = kvCalloc(sizeof(SubscriberList));
    SubscriberList *l = de->v.ptr;
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->clients = kvRealloc(l->clients, l->cap * sizeof(*l->clients));
    }
    l->clients[l->count++] = c;
}

static void listRemove(Dict *d, const char *name, size_t len, Client *c) {
    DictEntry *de = d ? dictEntryFind(d, name, len) : NULL;
    if (!de) return;
    SubscriberList *l = de->v.ptr;
    for (size_t i = 0; i < l->count; i++) {
        if (l->clients[i] != c) continue;
        memmove(&l->clients[i], &l->clients[i + 1], (l->count - i - 1) * sizeof(*l->clients));
        l->count--;
        break;
    }
    if (l->count == 0) {
        kvFree(l->clients);
        kvFree(l);
        dictDelete(d, name, len);
    }
}

static void replySubscription(Client *c, const char *kind, const char *name, size_t len,
                              long long count) {
    addReplyPushLen(c, 3);
    addReplyBulkCString(c, kind);
    if (name)
        addReplyBulk(c, name, len);
    else
        addReplyNull(c);
    addReplyLongLong(c, count);
}

/* Returns true if c was not yet subscribed. */
static bool subscribeChannel(Client *c, int kind, const char *name, size_t len) {
    PubsubClientState *st = clientState(c);
    bool created = false;
    dictEntryAdd(st->channels[kind], name, len, &created);
    if (created) listAdd(serverDict(&serverChannels[kind]), name, len, c);
    return created;
}

static bool unsubscribeChannel(Client *c, int kind, const char *name, size_t len) {
    if (!c->pubsub || !dictDelete(c->pubsub->channels[kind], name, len)) return false;
    listRemove(serverChannels[kind], name, len, c);
    return true;
}

static size_t findPattern(const PubsubClientState *st, const char *pat, size_t len) {
    for (size_t i = 0; i < st->npatterns; i++)
        if (dstrLen(st->patterns[i]) == len && memcmp(st->patterns[i], pat, len) == 0) return i;
    return (size_t)-1;
}

static bool subscribePattern(Client *c, const char *pat, size_t len) {
    PubsubClientState *st = clientState(c);
    if (findPattern(st, pat, len) != (size_t)-1) return false;
    if (st->npatterns == st->patternsCap) {
        st->patternsCap = st->patternsCap ? st->patternsCap * 2 : 4;
        st->patterns = kvRealloc(st->patterns, st->patternsCap * sizeof(*st->patterns));
    }
    st->patterns[st->npatterns++] = dstrNewLen(pat, len);
    listAdd(serverDict(&serverPatterns), pat, len, c);
    return true;
}

static bool unsubscribePattern(Client *c, const char *pat, size_t len) {
    PubsubClientState *st = c->pubsub;
    size_t i = st ? findPattern(st, pat, len) : (size_t)-1;
    if (i == (size_t)-1) return false;
    listRemove(serverPatterns, pat, len, c);
    dstrFree(st->patterns[i]);
    memmove(&st->patterns[i], &st->patterns[i + 1], (st->npatterns - i - 1) * sizeof(dstr));
    st->npatterns--;
    return true;
}

/* Unsubscribes from every channel of a kind; with notify, one reply per
 * channel (or one with a null channel when there was none). */
static void unsubscribeAllChannels(Client *c, int kind, bool notify) {
    Dict *d = c->pubsub ? c->pubsub->channels[kind] : NULL;
    unsigned long n = 0;
    while (d && dictSize(d) > 0) {
        DictIter it;
        dictIterInit(&it, d, false);
        DictEntry *de = (DictEntry *)dictIterNext(&it);
        dictIterRelease(&it);
        dstr name = dstrNewLen(de->key, dstrLen(de->key));
        unsubscribeChannel(c, kind, name, dstrLen(name));
        if (notify)
            replySubscription(c, kindNames[kind].unsubscribe, name, dstrLen(name),
                              replyCount(c, kind));
        dstrFree(name);
        n++;
    }
    if (notify && n == 0)
        replySubscription(c, kindNames[kind].unsubscribe, NULL, 0, replyCount(c, kind));
}

static void unsubscribeAllPatterns(Client *c, bool notify) {
    unsigned long n = 0;
    while (c->pubsub && c->pubsub->npatterns > 0) {
        dstr pat = dstrNewLen(c->pubsub->patterns[0], dstrLen(c->pubsub->patterns[0]));
        unsubscribePattern(c, pat, dstrLen(pat));
        if (notify)
            replySubscription(c, "punsubscribe", pat, dstrLen(pat), replyCount(c, KIND_CHANNEL));
        dstrFree(pat);
        n++;
    }
    if (notify && n == 0)
        replySubscription(c, "punsubscribe", NULL, 0, replyCount(c, KIND_CHANNEL));
}

void pubsubUnsubscribeAll(Client *c) {
    if (!c->pubsub) return;
    unsubscribeAllChannels(c, KIND_CHANNEL, false);
    unsubscribeAllChannels(c, KIND_SHARD, false);
    unsubscribeAllPatterns(c, false);
    dictRelease(c->pubsub->channels[KIND_CHANNEL]);
    dictRelease(c->pubsub->channels[KIND_SHARD]);
    kvFree(c->pubsub->patterns);
    kvFree(c->pubsub);
    c->pubsub = NULL;
    updatePubsubFlag(c);
}

void pubsubClientCounts(const Client *c, unsigned long *channels, unsigned long *patterns,
                        unsigned long *shardChannels) {
    *channels = clientChannelCount(c, KIND_CHANNEL);
    *patterns = clientPatternCount(c);
    *shardChannels = clientChannelCount(c, KIND_SHARD);
}

unsigned long pubsubChannelCount(void) {
    return serverChannels[KIND_CHANNEL] ? (unsigned long)dictSize(serverChannels[KIND_CHANNEL]) : 0;
}

unsigned long pubsubShardChannelCount(void) {
    return serverChannels[KIND_SHARD] ? (unsigned long)dictSize(serverChannels[KIND_SHARD]) : 0;
}

unsigned long pubsubPatternCount(void) {
    return serverPatterns ? (unsigned long)dictSize(serverPatterns) : 0;
}

bool pubsubAllowedInContext(const Command *cmd) {
    CommandProc *p = cmd->proc;
    return p == subscribeCommand || p == unsubscribeCommand || p == psubscribeCommand ||
           p == punsubscribeCommand || p == ssubscribeCommand || p == sunsubscribeCommand ||
           p == pingCommand || p == quitCommand || p == resetCommand;
}

/* ---- delivery ---- */

/* Starts a push written even under CLIENT REPLY OFF/SKIP; returns the old
 * flags for pushEnd. */
static uint64_t pushBegin(Client *c) {
    uint64_t old = c->flags;
    c->flags |= CLIENT_PUSHING;
    return old;
}

static void pushEnd(Client *c, uint64_t old) {
    if (!(old & CLIENT_PUSHING)) c->flags &= ~(uint64_t)CLIENT_PUSHING;
    clientAppendedOutOfBand(c);
}

/* One message frame, formatted once per PUBLISH (per matching pattern) and
 * appended as is to every subscriber's output: RESP2 and RESP3 differ only
 * in the aggregate type byte ('*' / '>'), set before each append. A static
 * buffer, reused (PUBLISH is not re-entered while delivering). */
static dstr frameBuf;

static dstr frameBegin(int n) {
    if (!frameBuf) frameBuf = dstrWithCapacity(256);
    dstrClear(frameBuf);
    return respAddHeader(frameBuf, '*', n);
}

static void frameSend(Client *c, dstr frame) {
    frame[0] = c->resp >= 3 ? '>' : '*';
    uint64_t old = pushBegin(c);
    addReplyRaw(c, frame, dstrLen(frame));
    pushEnd(c, old);
}

/* Keeps a frame that grew big from pinning its memory until the next
 * PUBLISH. */
static void frameEnd(dstr frame) {
    frameBuf = frame;
    if (dstrAllocSize(frameBuf) > 64 * 1024) {
        dstrFree(frameBuf);
        frameBuf = NULL;
    }
}

static long long deliver(int kind, const char *channel, size_t clen, const char *msg, size_t mlen) {
    long long receivers = 0;
    DictEntry *de =
        serverChannels[kind] ? dictEntryFind(serverChannels[kind], channel, clen) : NULL;
    if (de) {
        SubscriberList *l = de->v.ptr;
        dstr frame = frameBegin(3);
        frame = respAddBulk(frame, kindNames[kind].message, strlen(kindNames[kind].message));
        frame = respAddBulk(frame, channel, clen);
        frame = respAddBulk(frame, msg, mlen);
        for (size_t i = 0; i < l->count; i++) frameSend(l->clients[i], frame);
        receivers += (long long)l->count;
        frameEnd(frame);
    }
    if (kind == KIND_SHARD || !serverPatterns || dictSize(serverPatterns) == 0) return receivers;
    DictIter it;
    dictIterInit(&it, serverPatterns, false);
    DictLink *link;
    while ((link = dictIterNext(&it))) {
        DictEntry *pe = (DictEntry *)link;
        if (!globMatch(pe->key, dstrLen(pe->key), channel, clen, false)) continue;
        SubscriberList *l = pe->v.ptr;
        dstr frame = frameBegin(4);
        frame = respAddBulk(frame, "pmessage", 8);
        frame = respAddBulk(frame, pe->key, dstrLen(pe->key));
        frame = respAddBulk(frame, channel, clen);
        frame = respAddBulk(frame, msg, mlen);
        for (size_t i = 0; i < l->count; i++) frameSend(l->clients[i], frame);
        receivers += (long long)l->count;
        frameEnd(frame);
    }
    dictIterRelease(&it);
    return receivers;
}

long long pubsubPublish(const char *channel, size_t clen, const char *msg, size_t mlen) {
    return deliver(KIND_CHANNEL, channel, clen, msg, mlen);
}

/* ---- commands ---- */

void publishCommand(Client *c) {
    long long n =
        deliver(KIND_CHANNEL, c->argv[1].ptr, c->argv[1].len, c->argv[2].ptr, c->argv[2].len);
    addReplyLongLong(c, n);
}

void spublishCommand(Client *c) {
    long long n =
        deliver(KIND_SHARD, c->argv[1].ptr, c->argv[1].len, c->argv[2].ptr, c->argv[2].len);
    addReplyLongLong(c, n);
}

static void subscribeGeneric(Client *c, int kind) {
    for (int j = 1; j < c->argc; j++) {
        subscribeChannel(c, kind, c->argv[j].ptr, c->argv[j].len);
        replySubscription(c, kindNames[kind].subscribe, c->argv[j].ptr, c->argv[j].len,
                          replyCount(c, kind));
    }
    updatePubsubFlag(c);
}

static void unsubscribeGeneric(Client *c, int kind) {
    if (c->argc == 1) {
        unsubscribeAllChannels(c, kind, true);
    } else {
        for (int j = 1; j < c->argc; j++) {
            unsubscribeChannel(c, kind, c->argv[j].ptr, c->argv[j].len);
            replySubscription(c, kindNames[kind].unsubscribe, c->argv[j].ptr, c->argv[j].len,
                              replyCount(c, kind));
        }
    }
    updatePubsubFlag(c);
}

void subscribeCommand(Client *c) {
    subscribeGeneric(c, KIND_CHANNEL);
}

void unsubscribeCommand(Client *c) {
    unsubscribeGeneric(c, KIND_CHANNEL);
}

void ssubscribeCommand(Client *c) {
    subscribeGeneric(c, KIND_SHARD);
}

void sunsubscribeCommand(Client *c) {
    unsubscribeGeneric(c, KIND_SHARD);
}

void psubscribeCommand(Client *c) {
    for (int j = 1; j < c->argc; j++) {
        subscribePattern(c, c->argv[j].ptr, c->argv[j].len);
        replySubscription(c, "psubscribe", c->argv[j].ptr, c->argv[j].len,
                          replyCount(c, KIND_CHANNEL));
    }
    updatePubsubFlag(c);
}

void punsubscribeCommand(Client *c) {
    if (c->argc == 1) {
        unsubscribeAllPatterns(c, true);
    } else {
        for (int j = 1; j < c->argc; j++) {
            unsubscribePattern(c, c->argv[j].ptr, c->argv[j].len);
            replySubscription(c, "punsubscribe", c->argv[j].ptr, c->argv[j].len,
                              replyCount(c, KIND_CHANNEL));
        }
    }
    updatePubsubFlag(c);
}

/* PUBSUB CHANNELS / SHARDCHANNELS [pattern] */
static void channelsList(Client *c, int kind) {
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    const Arg *pat = c->argc == 3 ? &c->argv[2] : NULL;
    Dict *d = serverChannels[kind];
    size_t handle = addReplyDeferredLen(c);
    long long n = 0;
    if (d) {
        DictIter it;
        dictIterInit(&it, d, false);
        DictLink *link;
        while ((link = dictIterNext(&it))) {
            DictEntry *de = (DictEntry *)link;
            if (pat && !globMatch(pat->ptr, pat->len, de->key, dstrLen(de->key), false)) continue;
            addReplyBulk(c, de->key, dstrLen(de->key));
            n++;
        }
        dictIterRelease(&it);
    }
    setDeferredArrayLen(c, handle, n);
}

static void numsubList(Client *c, int kind) {
    /* A flat array in RESP3 too, as Redis 7.0 answers. */
    addReplyArrayLen(c, (long long)(c->argc - 2) * 2);
    for (int j = 2; j < c->argc; j++) {
        DictEntry *de = serverChannels[kind]
                            ? dictEntryFind(serverChannels[kind], c->argv[j].ptr, c->argv[j].len)
                            : NULL;
        addReplyBulk(c, c->argv[j].ptr, c->argv[j].len);
        addReplyLongLong(c, de ? (long long)((SubscriberList *)de->v.ptr)->count : 0);
    }
}

void pubsubChannelsCommand(Client *c) {
    channelsList(c, KIND_CHANNEL);
}

void pubsubShardchannelsCommand(Client *c) {
    channelsList(c, KIND_SHARD);
}

void pubsubNumsubCommand(Client *c) {
    numsubList(c, KIND_CHANNEL);
}

void pubsubShardnumsubCommand(Client *c) {
    numsubList(c, KIND_SHARD);
}

void pubsubNumpatCommand(Client *c) {
    addReplyLongLong(c, (long long)pubsubPatternCount());
}

void pubsubHelpCommand(Client *c) {
    static const char *help[] = {
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: "
        "'*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        NULL};
    addReplyHelp(c, help);
}
