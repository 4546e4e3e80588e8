/* tracking.c — client-side caching support (see tracking.h): the table of
 * keys read by tracking clients, the BCAST prefixes, and the delivery of
 * invalidation messages.
 *
 * Design
 * ------
 * keyTable: one dict of TrackedKey, each holding the key bytes and the
 * sorted ids of the clients that read it since it last changed (one id is
 * kept inline, more in an array). Ids, not pointers: a client that went away
 * or turned tracking off is simply skipped when its id no longer resolves
 * to a tracking client (trackers: id → Client of every client with tracking
 * on). Invariant: every TrackedKey has at least one id; itemCount is the sum
 * of their counts.
 *
 * prefixTable: prefix → BcastPrefix, the BCAST clients registered for it
 * and the keys matching it modified since the last before-sleep pass (key →
 * id of the client whose command modified it, for NOLOOP). A prefix is in
 * the table while it has clients. Each client also keeps its own sorted
 * prefix list (TrackingClientState) for TRACKINGINFO and for leaving.
 *
 * pending: invalidations for the client whose command is running, sent when
 * its top-level command ends so that they follow its reply (a key may be
 * listed twice: a transaction that reads and writes it twice gets two
 * messages, as in Redis 7.0).
 */
#include "tracking.h"

#include "command.h"
#include "commands.h"
#include "config.h"
#include "dict.h"
#include "dispatch.h"
#include "hash.h"
#include "lazyfree.h"
#include "mem.h"
#include "reply.h"

#include <stdlib.h>
#include <string.h>

/* ---- tables ---- */

typedef struct TrackedKey {
    DictLink link;
    uint32_t count;
    uint32_t cap; /* 0: the one id is inline */
    union {
        uint64_t one;
        uint64_t *many;
    } ids;
    size_t klen;
    char key[];
} TrackedKey;

typedef struct BcastPrefix {
    Client **clients;
    size_t count, cap;
    Dict *modified; /* DictEntry: key → v.u64 modifier id (0: none) */
} BcastPrefix;

typedef struct TrackingClientState {
    uint64_t redirect;
    dstr *prefixes; /* sorted, no two overlapping */
    size_t nprefixes;
} TrackingClientState;

typedef struct PendingInvalidation {
    uint64_t clientId;
    dstr key; /* NULL: a flush */
} PendingInvalidation;

static const void *trackedKeyOf(const DictLink *l, size_t *len) {
    const TrackedKey *t = (const TrackedKey *)l;
    *len = t->klen;
    return t->key;
}

static void trackedKeyFree(DictLink *l) {
    TrackedKey *t = (TrackedKey *)l;
    if (t->cap) kvFree(t->ids.many);
    kvFree(t);
}

static const DictType trackedKeyType = {hashBytes, trackedKeyOf, NULL, trackedKeyFree};

static Dict *keyTable = NULL;
static unsigned long long itemCount = 0;
static Dict *prefixTable = NULL; /* DictEntry: prefix → BcastPrefix* */
static Dict *trackers = NULL;    /* DictEntry: 8-byte id → Client* */
static PendingInvalidation *pending = NULL;
static size_t pendingCount = 0, pendingCap = 0;

static const char channelName[] = "__redis__:invalidate";

static void trackingInitTables(void) {
    if (keyTable) return;
    keyTable = dictCreate(&trackedKeyType);
    prefixTable = dictCreate(&dictTypeDstrKey);
    trackers = dictCreate(&dictTypeDstrKey);
}

static Client *trackerById(uint64_t id) {
    DictEntry *de = trackers ? dictEntryFind(trackers, (const char *)&id, sizeof(id)) : NULL;
    return de ? de->v.ptr : NULL;
}

static uint64_t *trackedIds(TrackedKey *t) {
    return t->cap ? t->ids.many : &t->ids.one;
}

/* Adds id to t's sorted ids; returns false if it was there. */
static bool trackedKeyAddId(TrackedKey *t, uint64_t id) {
    uint64_t *ids = trackedIds(t);
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] == id) return false;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (t->count == (t->cap ? t->cap : 1)) {
        uint32_t cap = t->cap ? t->cap * 2 : 4;
        uint64_t *many = kvMalloc(cap * sizeof(*many));
        memcpy(many, ids, t->count * sizeof(*many));
        if (t->cap) kvFree(t->ids.many);
        t->ids.many = many;
        t->cap = cap;
        ids = many;
    }
    memmove(ids + lo + 1, ids + lo, (t->count - lo) * sizeof(*ids));
    ids[lo] = id;
    t->count++;
    return true;
}

static void trackingRememberKey(const char *key, size_t klen, uint64_t id) {
    TrackedKey *t = (TrackedKey *)dictFind(keyTable, key, klen);
    if (!t) {
        t = kvMalloc(sizeof(*t) + klen);
        t->link.next = NULL;
        t->count = 1;
        t->cap = 0;
        t->ids.one = id;
        t->klen = klen;
        memcpy(t->key, key, klen);
        dictAddUnique(keyTable, &t->link);
        itemCount++;
        return;
    }
    if (trackedKeyAddId(t, id)) itemCount++;
}

/* ---- delivery ---- */

/* Appends one message to `target` even under CLIENT REPLY OFF (a push). */
static void trackingWrite(Client *target, const char *head, size_t hlen, const char *body,
                          size_t blen) {
    uint64_t old = target->flags;
    target->flags |= CLIENT_PUSHING;
    addReplyRaw(target, head, hlen);
    addReplyRaw(target, body, blen);
    if (!(old & CLIENT_PUSHING)) target->flags &= ~(uint64_t)CLIENT_PUSHING;
    clientAppendedOutOfBand(target);
}

/* Sends the invalidation `body` (a RESP key array, or a null) meant for
 * tracking client c, where c's redirection says. */
static void trackingSendMessage(Client *c, const char *body, size_t blen) {
    Client *target = c;
    bool redirected = false;
    uint64_t redirect = c->tracking ? c->tracking->redirect : 0;
    if (redirect) {
        target = clientById(redirect);
        if (!target) {
            /* Noticed only now, and told again at every message, as Redis. */
            c->flags |= CLIENT_TRACKING_BROKEN_REDIR;
            if (c->resp > 2) {
                dstr m = respAddHeader(dstrEmpty(), '>', 2);
                m = respAddBulk(m, "tracking-redir-broken", 21);
                m = respAddInteger(m, (long long)redirect);
                trackingWrite(c, m, dstrLen(m), "", 0);
                dstrFree(m);
            }
            return;
        }
        redirected = true;
    }
    if (target->resp > 2) {
        static const char head[] = ">2\r\n$10\r\ninvalidate\r\n";
        trackingWrite(target, head, sizeof(head) - 1, body, blen);
    } else if (redirected && (target->flags & CLIENT_PUBSUB)) {
        /* Any subscription will do (Redis 7.0 checks none in particular). */
        dstr head = respAddHeader(dstrEmpty(), '*', 3);
        head = respAddBulk(head, "message", 7);
        head = respAddBulk(head, channelName, sizeof(channelName) - 1);
        trackingWrite(target, head, dstrLen(head), body, blen);
        dstrFree(head);
    }
    /* Else: RESP2 without redirection has no way to receive it. */
}

static void trackingSendKey(Client *c, const char *key, size_t klen) {
    dstr body = respAddHeader(dstrEmpty(), '*', 1);
    body = respAddBulk(body, key, klen);
    trackingSendMessage(c, body, dstrLen(body));
    dstrFree(body);
}

/* The null stands in the tracking client's protocol, not the receiver's. */
static void trackingSendFlush(Client *c) {
    if (c->resp > 2)
        trackingSendMessage(c, "_\r\n", 3);
    else
        trackingSendMessage(c, "$-1\r\n", 5);
}

static void trackingHold(Client *c, const char *key, size_t klen) {
    if (pendingCount == pendingCap) {
        pendingCap = pendingCap ? pendingCap * 2 : 8;
        pending = kvRealloc(pending, pendingCap * sizeof(*pending));
    }
    pending[pendingCount].clientId = c->id;
    pending[pendingCount].key = key ? dstrNewLen(key, klen) : NULL;
    pendingCount++;
}

void trackingSendPending(Client *c) {
    if (pendingCount == 0) return;
    size_t kept = 0;
    /* Sending adds nothing to `pending`: c is not running a command now. */
    for (size_t i = 0; i < pendingCount; i++) {
        PendingInvalidation p = pending[i];
        if (p.clientId != c->id) {
            pending[kept++] = p;
            continue;
        }
        if (c->flags & CLIENT_TRACKING) {
            if (p.key)
                trackingSendKey(c, p.key, dstrLen(p.key));
            else
                trackingSendFlush(c);
        }
        dstrFree(p.key);
    }
    pendingCount = kept;
}

/* Sends the invalidation of one key of the table to its readers and drops
 * the entry. `self` is the client whose request is being served (NOLOOP
 * skips it), `running` the one whose command is running (its messages are
 * held until the reply is complete); either may be NULL. */
static void trackingInvalidateKey(const char *key, size_t klen, Client *self, Client *running) {
    TrackedKey *t = (TrackedKey *)dictUnlink(keyTable, key, klen);
    if (!t) return;
    uint64_t *ids = trackedIds(t);
    for (uint32_t i = 0; i < t->count; i++) {
        Client *target = trackerById(ids[i]);
        /* A client that switched to BCAST since it read the key is not
         * told (Redis 7.0). */
        if (!target || (target->flags & CLIENT_TRACKING_BCAST)) continue;
        if (target == self && (target->flags & CLIENT_TRACKING_NOLOOP)) continue;
        if (target == running)
            trackingHold(target, t->key, t->klen);
        else
            trackingSendKey(target, t->key, t->klen);
    }
    itemCount -= t->count;
    trackedKeyFree(&t->link);
}

/* ---- BCAST prefixes ---- */

/* Byte order with a prefix before its extensions (Redis's radix tree). */
static int bytesCompare(const char *a, size_t alen, const char *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int r = n ? memcmp(a, b, n) : 0;
    if (r) return r;
    return alen < blen ? -1 : alen > blen;
}

static bool bytesOverlap(const char *a, size_t alen, const char *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    return n == 0 || memcmp(a, b, n) == 0;
}

/* Redis prints the prefixes with %s: up to a NUL byte. */
static int argCStringLen(const Arg *a) {
    return (int)strnlen(a->ptr, a->len);
}

int trackingCheckPrefixesOrReply(Client *c, const Arg *prefixes, size_t count) {
    for (size_t i = 0; i < count; i++) {
        const Arg *p = &prefixes[i];
        TrackingClientState *st = c->tracking;
        for (size_t k = 0; st && k < st->nprefixes; k++) {
            dstr old = st->prefixes[k];
            if (bytesOverlap(old, dstrLen(old), p->ptr, p->len)) {
                addReplyErrorFormat(c,
                                    "ERR Prefix '%.*s' overlaps with an existing prefix '%s'. "
                                    "Prefixes for a single client must not overlap.",
                                    argCStringLen(p), p->ptr, old);
                return 0;
            }
        }
        for (size_t j = i + 1; j < count; j++) {
            const Arg *q = &prefixes[j];
            if (bytesOverlap(p->ptr, p->len, q->ptr, q->len)) {
                addReplyErrorFormat(c,
                                    "ERR Prefix '%.*s' overlaps with another provided prefix "
                                    "'%.*s'. Prefixes for a single client must not overlap.",
                                    argCStringLen(p), p->ptr, argCStringLen(q), q->ptr);
                /* The Redis 7.0 quirk described in tracking.h. */
                return (int)i;
            }
        }
    }
    return 1;
}

static TrackingClientState *trackingState(Client *c) {
    if (!c->tracking) c->tracking = kvCalloc(sizeof(*c->tracking));
    return c->tracking;
}

static void trackingAddPrefix(Client *c, const char *p, size_t len) {
    TrackingClientState *st = trackingState(c);
    size_t at = 0;
    while (at < st->nprefixes) {
        int r = bytesCompare(st->prefixes[at], dstrLen(st->prefixes[at]), p, len);
        if (r == 0) return; /* already registered */
        if (r > 0) break;
        at++;
    }
    st->prefixes = kvRealloc(st->prefixes, (st->nprefixes + 1) * sizeof(dstr));
    memmove(st->prefixes + at + 1, st->prefixes + at, (st->nprefixes - at) * sizeof(dstr));
    st->prefixes[at] = dstrNewLen(p, len);
    st->nprefixes++;

    bool created = false;
    DictEntry *de = dictEntryAdd(prefixTable, p, len, &created);
    if (created) {
        BcastPrefix *bp = kvCalloc(sizeof(*bp));
        bp->modified = dictCreate(&dictTypeDstrKey);
        de->v.ptr = bp;
    }
    BcastPrefix *bp = de->v.ptr;
    if (bp->count == bp->cap) {
        bp->cap = bp->cap ? bp->cap * 2 : 4;
        bp->clients = kvRealloc(bp->clients, bp->cap * sizeof(Client *));
    }
    bp->clients[bp->count++] = c;
}

static void bcastPrefixFree(BcastPrefix *bp) {
    dictRelease(bp->modified);
    kvFree(bp->clients);
    kvFree(bp);
}

static void trackingDropPrefixes(Client *c) {
    TrackingClientState *st = c->tracking;
    if (!st) return;
    for (size_t k = 0; k < st->nprefixes; k++) {
        dstr p = st->prefixes[k];
        DictEntry *de = dictEntryFind(prefixTable, p, dstrLen(p));
        if (de) {
            BcastPrefix *bp = de->v.ptr;
            for (size_t i = 0; i < bp->count; i++) {
                if (bp->clients[i] != c) continue;
                memmove(bp->clients + i, bp->clients + i + 1,
                        (bp->count - i - 1) * sizeof(Client *));
                bp->count--;
                break;
            }
            if (bp->count == 0) {
                bcastPrefixFree(bp);
                dictDelete(prefixTable, p, dstrLen(p));
            }
        }
        dstrFree(p);
    }
    kvFree(st->prefixes);
    st->prefixes = NULL;
    st->nprefixes = 0;
}

static void trackingNoteBroadcast(const char *key, size_t klen) {
    Client *exec = dispatchExecutingClient();
    uint64_t modifier = exec ? exec->id : 0;
    DictIter it;
    dictIterInit(&it, prefixTable, false);
    DictLink *l;
    while ((l = dictIterNext(&it))) {
        DictEntry *de = (DictEntry *)l;
        size_t plen = dstrLen(de->key);
        if (plen > klen || memcmp(de->key, key, plen) != 0) continue;
        BcastPrefix *bp = de->v.ptr;
        DictEntry *ke = dictEntryAdd(bp->modified, key, klen, NULL);
        ke->v.u64 = modifier;
    }
    dictIterRelease(&it);
}

static int compareEntryKeys(const void *a, const void *b) {
    const DictEntry *x = *(DictEntry *const *)a, *y = *(DictEntry *const *)b;
    return bytesCompare(x->key, dstrLen(x->key), y->key, dstrLen(y->key));
}

/* Sends one prefix's collected keys to its clients and forgets them. */
static void trackingBroadcastPrefix(BcastPrefix *bp) {
    size_t n = dictSize(bp->modified);
    DictEntry **keys = kvMalloc(n * sizeof(*keys));
    size_t k = 0;
    DictIter it;
    dictIterInit(&it, bp->modified, false);
    DictLink *l;
    while ((l = dictIterNext(&it)) && k < n) keys[k++] = (DictEntry *)l;
    dictIterRelease(&it);
    qsort(keys, k, sizeof(*keys), compareEntryKeys);

    dstr all = respAddHeader(dstrEmpty(), '*', (long long)k);
    for (size_t i = 0; i < k; i++) all = respAddBulk(all, keys[i]->key, dstrLen(keys[i]->key));
    for (size_t ci = 0; ci < bp->count; ci++) {
        Client *c = bp->clients[ci];
        if (!(c->flags & CLIENT_TRACKING_NOLOOP)) {
            trackingSendMessage(c, all, dstrLen(all));
            continue;
        }
        /* NOLOOP: leave out the keys this client modified itself. */
        size_t kept = 0;
        for (size_t i = 0; i < k; i++)
            if (keys[i]->v.u64 != c->id) kept++;
        if (kept == 0) continue;
        dstr some = respAddHeader(dstrEmpty(), '*', (long long)kept);
        for (size_t i = 0; i < k; i++)
            if (keys[i]->v.u64 != c->id)
                some = respAddBulk(some, keys[i]->key, dstrLen(keys[i]->key));
        trackingSendMessage(c, some, dstrLen(some));
        dstrFree(some);
    }
    dstrFree(all);
    kvFree(keys);
    dictEmpty(bp->modified);
}

static void trackingBroadcastAll(void) {
    if (!prefixTable || dictSize(prefixTable) == 0) return;
    /* Prefixes in byte order, as Redis walks its radix tree. */
    size_t n = dictSize(prefixTable), k = 0;
    DictEntry **prefixes = kvMalloc(n * sizeof(*prefixes));
    DictIter it;
    dictIterInit(&it, prefixTable, false);
    DictLink *l;
    while ((l = dictIterNext(&it)) && k < n) {
        DictEntry *de = (DictEntry *)l;
        if (dictSize(((BcastPrefix *)de->v.ptr)->modified) > 0) prefixes[k++] = de;
    }
    dictIterRelease(&it);
    qsort(prefixes, k, sizeof(*prefixes), compareEntryKeys);
    for (size_t i = 0; i < k; i++) trackingBroadcastPrefix(prefixes[i]->v.ptr);
    kvFree(prefixes);
}

/* ---- enabling ---- */

void trackingEnable(Client *c, uint64_t redirect, uint64_t options, const Arg *prefixes,
                    size_t count) {
    trackingInitTables();
    if (!(c->flags & CLIENT_TRACKING)) {
        uint64_t id = c->id;
        bool created = false;
        DictEntry *de = dictEntryAdd(trackers, (const char *)&id, sizeof(id), &created);
        de->v.ptr = c;
    }
    c->flags |= CLIENT_TRACKING;
    /* Options not given again are off; the CACHING choice is kept. */
    c->flags &= ~(uint64_t)(CLIENT_TRACKING_BROKEN_REDIR | TRACKING_OPTIONS);
    trackingState(c)->redirect = redirect;
    if (options & CLIENT_TRACKING_BCAST) {
        c->flags |= CLIENT_TRACKING_BCAST;
        if (count == 0) trackingAddPrefix(c, "", 0);
        for (size_t i = 0; i < count; i++) trackingAddPrefix(c, prefixes[i].ptr, prefixes[i].len);
    }
    c->flags |= options & (CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP);
}

void trackingDisable(Client *c) {
    if (c->flags & CLIENT_TRACKING) {
        uint64_t id = c->id;
        dictDelete(trackers, (const char *)&id, sizeof(id));
    }
    trackingDropPrefixes(c);
    if (c->tracking) {
        kvFree(c->tracking);
        c->tracking = NULL;
    }
    c->flags &= ~(uint64_t)(CLIENT_TRACKING | CLIENT_TRACKING_BROKEN_REDIR | TRACKING_OPTIONS |
                            CLIENT_TRACKING_CACHING);
    /* Held messages of a client that goes away go with it. */
    size_t kept = 0;
    for (size_t i = 0; i < pendingCount; i++) {
        if (pending[i].clientId == c->id)
            dstrFree(pending[i].key);
        else
            pending[kept++] = pending[i];
    }
    pendingCount = kept;
}

/* ---- hooks ---- */

void trackingAfterCall(Client *tracker, Client *executing) {
    Command *cmd = executing->cmd;
    if (!(cmd->flags & CMD_READONLY)) return;
    /* A read-only script is not tracked itself: the commands it runs are. */
    if (cmd->proc == evalRoCommand || cmd->proc == evalshaRoCommand || cmd->proc == fcallRoCommand)
        return;
    /* Redis 7.0 quirk, matched on purpose: for a read-only command run by a
     * script, the keys remembered are those the caller's EVAL/FCALL
     * declares (its KEYS), not the ones the command itself read. */
    Client *source = (executing->flags & CLIENT_SCRIPT) ? tracker : executing;
    cmd = source->cmd;
    uint64_t f = tracker->flags;
    if (!(f & CLIENT_TRACKING) || (f & CLIENT_TRACKING_BCAST)) return;
    bool caching = (f & CLIENT_TRACKING_CACHING) != 0;
    if ((f & CLIENT_TRACKING_OPTIN) && !caching) return;
    if ((f & CLIENT_TRACKING_OPTOUT) && caching) return;

    enum { STACK_KEYS = 32 };
    int stackKeys[STACK_KEYS];
    int *keys = stackKeys;
    int n = commandGetKeys(cmd, source->argc, source->argv, keys, STACK_KEYS);
    if (n > STACK_KEYS) {
        keys = kvMalloc((size_t)n * sizeof(int));
        n = commandGetKeys(cmd, source->argc, source->argv, keys, n);
    }
    for (int i = 0; i < n; i++) {
        const Arg *a = &source->argv[keys[i]];
        trackingRememberKey(a->ptr, a->len, tracker->id);
    }
    if (keys != stackKeys) kvFree(keys);
}

void trackingCommandDone(Client *c) {
    if (!(c->flags & CLIENT_TRACKING_CACHING)) return;
    if (c->flags & CLIENT_MULTI) return;
    if (c->cmd && c->cmd->parent && strcmp(c->cmd->parent->name, "client") == 0) return;
    c->flags &= ~(uint64_t)CLIENT_TRACKING_CACHING;
}

void trackingKeyModified(const char *key, size_t klen) {
    if (!keyTable) return;
    if (dictSize(prefixTable) > 0) trackingNoteBroadcast(key, klen);
    if (dictSize(keyTable) > 0) {
        Client *current = dispatchCurrentClient();
        trackingInvalidateKey(key, klen, current, current);
    }
}

static void freeKeyTableJob(void *a, void *b) {
    (void)b;
    dictRelease(a);
}

void trackingFlush(bool lazy) {
    if (!keyTable) return;
    Client *current = dispatchCurrentClient();
    DictIter it;
    dictIterInit(&it, trackers, false);
    DictLink *l;
    while ((l = dictIterNext(&it))) {
        Client *c = ((DictEntry *)l)->v.ptr;
        /* Every tracking client, NOLOOP or BCAST included. */
        if (c == current)
            trackingHold(c, NULL, 0);
        else
            trackingSendFlush(c);
    }
    dictIterRelease(&it);
    size_t n = dictSize(keyTable);
    if (lazy && n > LAZYFREE_THRESHOLD) {
        lazyfreeSubmit(freeKeyTableJob, keyTable, NULL, n);
        keyTable = dictCreate(&trackedKeyType);
    } else {
        dictEmpty(keyTable);
    }
    itemCount = 0;
}

void trackingLimitTable(Client *self) {
    static unsigned int behind = 0;
    if (!keyTable || config.trackingTableMaxKeys <= 0) return;
    size_t max = (size_t)config.trackingTableMaxKeys;
    if (dictSize(keyTable) <= max) {
        behind = 0;
        return;
    }
    long effort = 100L * (behind + 1);
    while (effort-- > 0) {
        TrackedKey *t = (TrackedKey *)dictRandomEntry(keyTable);
        if (!t) break;
        char stackbuf[128];
        size_t klen = t->klen;
        char *copy = klen <= sizeof(stackbuf) ? stackbuf : kvMalloc(klen);
        memcpy(copy, t->key, klen);
        trackingInvalidateKey(copy, klen, self, NULL);
        if (copy != stackbuf) kvFree(copy);
        if (dictSize(keyTable) <= max) {
            behind = 0;
            return;
        }
    }
    behind++;
}

void trackingBeforeSleep(void) {
    if (!keyTable) return;
    trackingBroadcastAll();
}

void trackingCron(void) {
    trackingLimitTable(NULL);
}

/* ---- queries ---- */

long long trackingRedirectOf(const Client *c) {
    if (!(c->flags & CLIENT_TRACKING)) return -1;
    return c->tracking ? (long long)c->tracking->redirect : 0;
}

size_t trackingPrefixCount(const Client *c) {
    return c->tracking ? c->tracking->nprefixes : 0;
}

const char *trackingPrefixAt(const Client *c, size_t i, size_t *len) {
    dstr p = c->tracking->prefixes[i];
    *len = dstrLen(p);
    return p;
}

unsigned long trackingClientCount(void) {
    return trackers ? (unsigned long)dictSize(trackers) : 0;
}

unsigned long long trackingTotalKeys(void) {
    return keyTable ? dictSize(keyTable) : 0;
}

unsigned long long trackingTotalItems(void) {
    return itemCount;
}

unsigned long long trackingTotalPrefixes(void) {
    return prefixTable ? dictSize(prefixTable) : 0;
}
