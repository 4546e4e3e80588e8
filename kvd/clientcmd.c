/* clientcmd.c — the CLIENT command family (ID, SETNAME, GETNAME, LIST, INFO,
 * KILL, PAUSE, UNPAUSE, REPLY, NO-EVICT, TRACKING, CACHING, GETREDIR,
 * TRACKINGINFO, HELP) and the client-pause state that dispatch consults
 * before running a command. Client-side caching itself is tracking.c's.
 *
 * Pause design
 * ------------
 * CLIENT PAUSE sets a pause type (WRITE or ALL) and an end time. As in Redis
 * 7.0 a new pause never weakens one in force: the type only goes up (WRITE <
 * ALL) and the end time only moves later, until CLIENT UNPAUSE or the end
 * time passes. dispatch asks clientsArePaused() before each command; when it
 * says yes the request stays in the client's query buffer and the client is
 * parked with CLIENT_PAUSED_WAIT (client.c). clientsResumePaused() re-runs
 * the input of parked clients once the pause is over; it is called from cron
 * and, so that clients do not wait for the next cron tick, from a one-shot
 * timer armed for the end of the pause (and fired at once by UNPAUSE).
 *
 * Client types come from clientTypeOf() (client.h), the one place that
 * decides them (CLIENT LIST/KILL TYPE and client-output-buffer-limit).
 */
#include "blocking.h"
#include "client.h"
#include "clienteviction.h"
#include "commands.h"
#include "mem.h"
#include "numconv.h"
#include "reply.h"
#include "server.h"
#include "tracking.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

/* ---- client types ---- */

/* Redis getClientTypeByName: case-insensitive, "slave" is an alias of
 * "replica". Returns -1 for an unknown name. */
static int clientTypeByName(const Arg *a) {
    if (argIs(a, "normal")) return CLIENT_TYPE_NORMAL;
    if (argIs(a, "slave") || argIs(a, "replica")) return CLIENT_TYPE_REPLICA;
    if (argIs(a, "pubsub")) return CLIENT_TYPE_PUBSUB;
    if (argIs(a, "master")) return CLIENT_TYPE_MASTER;
    return -1;
}

static void replyUnknownType(Client *c, const Arg *a) {
    addReplyErrorFormat(c, "ERR Unknown client type '%.*s'", (int)a->len, a->ptr);
}

/* The oldest client, for listing in connection order (Redis appends new
 * clients at the tail of its list; ours are pushed at the head). */
static Client *clientOldest(void) {
    Client *c = clientFirst();
    while (c && c->next) c = c->next;
    return c;
}

static bool argEqualsCString(const Arg *a, const char *s) {
    size_t n = strlen(s);
    return a->len == n && memcmp(a->ptr, s, n) == 0;
}

/* ---- simple subcommands ---- */

void clientIdCommand(Client *c) {
    addReplyLongLong(c, (long long)c->id);
}

/* As Redis clientSetNameOrReply: printable ASCII without spaces only, so
 * that a CLIENT LIST line can always be split on spaces; "" clears the name.
 * Bytes >= 0x80 are refused too (Redis compares signed chars). */
void clientSetnameCommand(Client *c) {
    const Arg *name = &c->argv[2];
    for (size_t i = 0; i < name->len; i++) {
        unsigned char ch = (unsigned char)name->ptr[i];
        if (ch < '!' || ch > '~') {
            addReplyError(c, "ERR Client names cannot contain spaces, newlines or special "
                             "characters.");
            return;
        }
    }
    dstrFree(c->name);
    c->name = name->len ? dstrNewLen(name->ptr, name->len) : NULL;
    addReplyOk(c);
}

void clientGetnameCommand(Client *c) {
    if (c->name && dstrLen(c->name))
        addReplyBulk(c, c->name, dstrLen(c->name));
    else
        addReplyNull(c);
}

void clientInfoCommand(Client *c) {
    dstr o = clientInfoLine(c, dstrEmpty());
    o = dstrCatLen(o, "\n", 1);
    addReplyVerbatim(c, o, dstrLen(o), "txt");
    dstrFree(o);
}

/* CLIENT LIST [TYPE type] | [ID id [id ...]] */
void clientListCommand(Client *c) {
    int type = -1;
    dstr o = dstrEmpty();
    if (c->argc == 4 && argIs(&c->argv[2], "type")) {
        type = clientTypeByName(&c->argv[3]);
        if (type == -1) {
            replyUnknownType(c, &c->argv[3]);
            dstrFree(o);
            return;
        }
    } else if (c->argc > 3 && argIs(&c->argv[2], "id")) {
        for (int j = 3; j < c->argc; j++) {
            long long id;
            if (!strToLongLong(c->argv[j].ptr, c->argv[j].len, &id)) {
                addReplyError(c, "ERR Invalid client ID");
                dstrFree(o);
                return;
            }
            /* Ids that name no client (0, negative, gone) are skipped. */
            Client *cl = id > 0 ? clientById((uint64_t)id) : NULL;
            if (cl) {
                o = clientInfoLine(cl, o);
                o = dstrCatLen(o, "\n", 1);
            }
        }
        addReplyVerbatim(c, o, dstrLen(o), "txt");
        dstrFree(o);
        return;
    } else if (c->argc != 2) {
        addReplyError(c, errSyntax);
        dstrFree(o);
        return;
    }
    for (Client *cl = clientOldest(); cl; cl = cl->prev) {
        if (type != -1 && clientTypeOf(cl) != type) continue;
        o = clientInfoLine(cl, o);
        o = dstrCatLen(o, "\n", 1);
    }
    addReplyVerbatim(c, o, dstrLen(o), "txt");
    dstrFree(o);
}

/* CLIENT REPLY ON|OFF|SKIP. OFF and SKIP reply nothing: OFF takes effect
 * for its own reply, SKIP for the next command's (dispatch turns
 * CLIENT_REPLY_SKIP_NEXT into CLIENT_REPLY_SKIP around that command). */
void clientReplyCommand(Client *c) {
    const Arg *mode = &c->argv[2];
    if (argIs(mode, "on")) {
        c->flags &= ~(uint64_t)(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
        addReplyOk(c);
    } else if (argIs(mode, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (argIs(mode, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF)) c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        addReplyError(c, errSyntax);
    }
}

/* CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: ends another client's wait on keys;
 * replies 1 if that client was blocked, else 0. */
void clientUnblockCommand(Client *c) {
    if (c->argc > 4) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    long long id;
    if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &id)) {
        addReplyError(c, errNotInteger);
        return;
    }
    bool withError = false;
    if (c->argc == 4) {
        if (argIs(&c->argv[3], "error")) {
            withError = true;
        } else if (!argIs(&c->argv[3], "timeout")) {
            addReplyError(c, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    }
    addReplyLongLong(c, blockingUnblockClient((uint64_t)id, withError) ? 1 : 0);
}

void clientNoEvictCommand(Client *c) {
    const Arg *mode = &c->argv[2];
    /* Re-measured at once: the client leaves or joins the eviction buckets
     * (clienteviction.h) before anything else runs. */
    if (argIs(mode, "on")) {
        c->flags |= CLIENT_NO_EVICT;
        clientEvictionUpdate(c);
        addReplyOk(c);
    } else if (argIs(mode, "off")) {
        c->flags &= ~(uint64_t)CLIENT_NO_EVICT;
        clientEvictionUpdate(c);
        addReplyOk(c);
    } else {
        addReplyError(c, errSyntax);
    }
}

/* ---- KILL ---- */

/* The user names a client authenticated as; NULL means "default". */
static const char *clientUserName(const Client *c) {
    return c->user ? c->user : "default";
}

/* Whether a user of that name exists. Until ACL lands the only user is
 * "default" (case-sensitive, as Redis's user table). */
static bool userExists(const Arg *a) {
    return argEqualsCString(a, "default");
}

typedef struct KillFilter {
    const Arg *addr;
    const Arg *laddr;
    const Arg *user;
    int type;
    uint64_t id;
    bool skipme;
} KillFilter;

static bool killFilterMatches(const KillFilter *f, Client *self, Client *cl) {
    if (f->addr && !argEqualsCString(f->addr, cl->addr)) return false;
    if (f->laddr && !argEqualsCString(f->laddr, cl->laddr)) return false;
    if (f->type != -1 && clientTypeOf(cl) != f->type) return false;
    if (f->id != 0 && cl->id != f->id) return false;
    if (f->user && !argEqualsCString(f->user, clientUserName(cl))) return false;
    if (cl == self && f->skipme) return false;
    return true;
}

/* Parses the new-style filters (argv[2..]) into f. Returns false after
 * replying with the error. */
static bool killParseFilters(Client *c, KillFilter *f) {
    for (int i = 2; i < c->argc; i += 2) {
        bool moreargs = c->argc > i + 1;
        const Arg *opt = &c->argv[i];
        const Arg *val = moreargs ? &c->argv[i + 1] : NULL;
        if (moreargs && argIs(opt, "id")) {
            long long id;
            if (!strToLongLong(val->ptr, val->len, &id) || id < 1) {
                addReplyError(c, "ERR client-id should be greater than 0");
                return false;
            }
            f->id = (uint64_t)id;
        } else if (moreargs && argIs(opt, "type")) {
            f->type = clientTypeByName(val);
            if (f->type == -1) {
                replyUnknownType(c, val);
                return false;
            }
        } else if (moreargs && argIs(opt, "addr")) {
            f->addr = val;
        } else if (moreargs && argIs(opt, "laddr")) {
            f->laddr = val;
        } else if (moreargs && argIs(opt, "user")) {
            if (!userExists(val)) {
                addReplyErrorFormat(c, "ERR No such user '%.*s'", (int)val->len, val->ptr);
                return false;
            }
            f->user = val;
        } else if (moreargs && argIs(opt, "skipme")) {
            if (argIs(val, "yes")) {
                f->skipme = true;
            } else if (argIs(val, "no")) {
                f->skipme = false;
            } else {
                addReplyError(c, errSyntax);
                return false;
            }
        } else {
            addReplyError(c, errSyntax);
            return false;
        }
    }
    return true;
}

/* CLIENT KILL addr:port (old form: OK or "No such client"; may kill the
 * caller) or CLIENT KILL <filter> <value> ... (new form: the number killed;
 * SKIPME defaults to yes). The caller, if it matches, is closed only after
 * its reply is written. */
void clientKillCommand(Client *c) {
    KillFilter f = {NULL, NULL, NULL, -1, 0, true};
    bool oldForm = c->argc == 3;
    if (oldForm) {
        f.addr = &c->argv[2];
        f.skipme = false;
    } else if (!killParseFilters(c, &f)) {
        return;
    }

    long long killed = 0;
    bool closeSelf = false;
    Client *cl = clientFirst();
    while (cl) {
        Client *next = cl->next;
        if (killFilterMatches(&f, c, cl)) {
            if (cl == c)
                closeSelf = true;
            else
                clientFree(cl);
            killed++;
        }
        cl = next;
    }

    if (oldForm) {
        if (killed == 0)
            addReplyError(c, "ERR No such client");
        else
            addReplyOk(c);
    } else {
        addReplyLongLong(c, killed);
    }
    /* Set only now, with the reply queued, so that the reply is sent. */
    if (closeSelf) c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* ---- PAUSE / UNPAUSE ---- */

enum { PAUSE_OFF = 0, PAUSE_WRITE = 1, PAUSE_ALL = 2 };

static int pauseType = PAUSE_OFF;
static long long pauseEndMs = 0;
/* Set while some client may be parked since the last resume pass. */
static bool resumePending = false;
static struct event resumeTimer;
static bool resumeTimerReady = false;

static void clientsResumeTimerFired(evutil_socket_t fd, short what, void *arg);

/* Arms the one-shot resume timer to fire in `ms` milliseconds (re-arming
 * moves an armed timer). */
static void clientsArmResumeTimer(long long ms) {
    if (!resumeTimerReady) {
        evtimer_assign(&resumeTimer, serverEventBase(), clientsResumeTimerFired, NULL);
        resumeTimerReady = true;
    }
    if (ms < 0) ms = 0;
    /* Cap far-away ends: cron resumes clients anyway, and libevent's
     * timeval must not overflow. */
    if (ms > 86400000LL) ms = 86400000LL;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)((ms % 1000) * 1000)};
    evtimer_add(&resumeTimer, &tv);
}

/* Ends the pause once its end time has passed. Returns the type in force. */
static int clientsPauseTypeNow(void) {
    if (pauseType != PAUSE_OFF && pauseEndMs < serverNowMs()) {
        pauseType = PAUSE_OFF;
        pauseEndMs = 0;
    }
    return pauseType;
}

bool clientsArePaused(bool writeCommand) {
    int type = clientsPauseTypeNow();
    if (type == PAUSE_OFF) return false;
    if (type == PAUSE_ALL || writeCommand) {
        resumePending = true;
        return true;
    }
    return false;
}

static int compareIds(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void clientsResumePaused(void) {
    if (clientsPauseTypeNow() != PAUSE_OFF || !resumePending) return;
    resumePending = false;

    /* Collect ids first: running a client's input may free other clients
     * (CLIENT KILL), so the list cannot be walked while doing it. */
    size_t n = 0, cap = 0;
    uint64_t *ids = NULL;
    for (Client *c = clientFirst(); c; c = c->next) {
        if (!(c->flags & CLIENT_PAUSED_WAIT)) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            ids = kvRealloc(ids, cap * sizeof(*ids));
        }
        ids[n++] = c->id;
    }
    /* Oldest connection first, roughly the order they were parked in. */
    if (n > 1) qsort(ids, n, sizeof(*ids), compareIds);
    for (size_t i = 0; i < n; i++) {
        Client *c = clientById(ids[i]);
        if (c && (c->flags & CLIENT_PAUSED_WAIT)) clientProcessInput(c);
    }
    kvFree(ids);
    clientFreeClosing();
}

static void clientsResumeTimerFired(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    (void)arg;
    serverUpdateTime();
    if (clientsPauseTypeNow() != PAUSE_OFF) {
        /* Extended meanwhile (or the clocks disagree a little): wait again. */
        clientsArmResumeTimer(pauseEndMs - serverNowMs() + 1);
        return;
    }
    clientsResumePaused();
}

/* CLIENT PAUSE timeout [WRITE|ALL] */
void clientPauseCommand(Client *c) {
    if (c->argc > 4) {
        /* Redis 7.0 checks PAUSE's 3 or 4 arguments by hand. */
        addReplySubcommandSyntaxError(c);
        return;
    }
    int type = PAUSE_ALL;
    if (c->argc == 4) {
        if (argIs(&c->argv[3], "write")) {
            type = PAUSE_WRITE;
        } else if (argIs(&c->argv[3], "all")) {
            type = PAUSE_ALL;
        } else {
            addReplyError(c, "ERR CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    long long timeout;
    if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &timeout)) {
        addReplyError(c, "ERR timeout is not an integer or out of range");
        return;
    }
    if (timeout < 0) {
        addReplyError(c, "ERR timeout is negative");
        return;
    }
    long long now = serverNowMs();
    long long end = 0;
    if (timeout > 0) {
        /* Redis 7.0 adds the timeout to the clock without an overflow check:
         * a huge timeout wraps to an end in the past, i.e. no pause at all,
         * and still replies OK. We keep that outcome, without the UB. */
        end = (long long)((unsigned long long)timeout + (unsigned long long)now);
    }
    if (type > pauseType) pauseType = type;
    if (end > pauseEndMs) pauseEndMs = end;
    if (clientsPauseTypeNow() != PAUSE_OFF) clientsArmResumeTimer(pauseEndMs - now + 1);
    addReplyOk(c);
}

void clientUnpauseCommand(Client *c) {
    pauseType = PAUSE_OFF;
    pauseEndMs = 0;
    /* Resume parked clients as soon as this event-loop turn is over, not
     * from inside this command. */
    if (resumePending) clientsArmResumeTimer(0);
    addReplyOk(c);
}

/* ---- client-side caching (tracking.h) ---- */

/* CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN]
 * [OPTOUT] [NOLOOP]: options are parsed (and REDIRECT checked) first, then
 * ON checks their combination in Redis 7.0's order. */
void clientTrackingCommand(Client *c) {
    long long redirect = 0;
    uint64_t options = 0;
    Arg *prefixes = NULL;
    size_t nprefixes = 0;
    for (int j = 3; j < c->argc; j++) {
        bool more = j + 1 < c->argc;
        const Arg *opt = &c->argv[j];
        if (more && argIs(opt, "redirect")) {
            j++;
            if (redirect != 0) {
                addReplyError(c, "ERR A client can only redirect to a single other client");
                goto done;
            }
            if (!strToLongLong(c->argv[j].ptr, c->argv[j].len, &redirect)) {
                addReplyError(c, errNotInteger);
                goto done;
            }
            /* Checked now only: the client may go away later (then the
             * redirection is "broken"). */
            if (redirect <= 0 || !clientById((uint64_t)redirect)) {
                addReplyError(c, "ERR The client ID you want redirect to does not exist");
                goto done;
            }
        } else if (argIs(opt, "bcast")) {
            options |= CLIENT_TRACKING_BCAST;
        } else if (argIs(opt, "optin")) {
            options |= CLIENT_TRACKING_OPTIN;
        } else if (argIs(opt, "optout")) {
            options |= CLIENT_TRACKING_OPTOUT;
        } else if (argIs(opt, "noloop")) {
            options |= CLIENT_TRACKING_NOLOOP;
        } else if (more && argIs(opt, "prefix")) {
            j++;
            prefixes = kvRealloc(prefixes, (nprefixes + 1) * sizeof(Arg));
            prefixes[nprefixes++] = c->argv[j];
        } else {
            addReplyError(c, errSyntax);
            goto done;
        }
    }
    if (argIs(&c->argv[2], "on")) {
        uint64_t f = c->flags;
        if (!(options & CLIENT_TRACKING_BCAST) && nprefixes) {
            addReplyError(c, "ERR PREFIX option requires BCAST mode to be enabled");
            goto done;
        }
        if ((f & CLIENT_TRACKING) &&
            !(f & CLIENT_TRACKING_BCAST) != !(options & CLIENT_TRACKING_BCAST)) {
            addReplyError(c, "ERR You can't switch BCAST mode on/off before disabling tracking "
                             "for this client, and then re-enabling it with a different mode.");
            goto done;
        }
        if ((options & CLIENT_TRACKING_BCAST) &&
            (options & (CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT))) {
            addReplyError(c, "ERR OPTIN and OPTOUT are not compatible with BCAST");
            goto done;
        }
        if ((options & CLIENT_TRACKING_OPTIN) && (options & CLIENT_TRACKING_OPTOUT)) {
            addReplyError(c, "ERR You can't specify both OPTIN mode and OPTOUT mode");
            goto done;
        }
        if (((options & CLIENT_TRACKING_OPTIN) && (f & CLIENT_TRACKING_OPTOUT)) ||
            ((options & CLIENT_TRACKING_OPTOUT) && (f & CLIENT_TRACKING_OPTIN))) {
            addReplyError(c, "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking "
                             "for this client, and then re-enabling it with a different mode.");
            goto done;
        }
        /* Not zero may still have replied an error (a Redis 7.0 quirk, see
         * tracking.h): the +OK below then follows it. */
        if ((options & CLIENT_TRACKING_BCAST) &&
            !trackingCheckPrefixesOrReply(c, prefixes, nprefixes))
            goto done;
        trackingEnable(c, (uint64_t)redirect, options, prefixes, nprefixes);
    } else if (argIs(&c->argv[2], "off")) {
        trackingDisable(c);
    } else {
        addReplyError(c, errSyntax);
        goto done;
    }
    addReplyOk(c);
done:
    kvFree(prefixes);
}

void clientCachingCommand(Client *c) {
    if (!(c->flags & CLIENT_TRACKING)) {
        addReplyError(c, "ERR CLIENT CACHING can be called only when the client is in tracking "
                         "mode with OPTIN or OPTOUT mode enabled");
        return;
    }
    const Arg *opt = &c->argv[2];
    if (argIs(opt, "yes")) {
        if (!(c->flags & CLIENT_TRACKING_OPTIN)) {
            addReplyError(c, "ERR CLIENT CACHING YES is only valid when tracking is enabled in "
                             "OPTIN mode.");
            return;
        }
    } else if (argIs(opt, "no")) {
        if (!(c->flags & CLIENT_TRACKING_OPTOUT)) {
            addReplyError(c, "ERR CLIENT CACHING NO is only valid when tracking is enabled in "
                             "OPTOUT mode.");
            return;
        }
    } else {
        addReplyError(c, errSyntax);
        return;
    }
    c->flags |= CLIENT_TRACKING_CACHING;
    addReplyOk(c);
}

void clientGetredirCommand(Client *c) {
    addReplyLongLong(c, trackingRedirectOf(c));
}

void clientTrackinginfoCommand(Client *c) {
    uint64_t f = c->flags;
    const char *flags[8];
    int n = 0;
    flags[n++] = (f & CLIENT_TRACKING) ? "on" : "off";
    if (f & CLIENT_TRACKING_BCAST) flags[n++] = "bcast";
    if (f & CLIENT_TRACKING_OPTIN) {
        flags[n++] = "optin";
        if (f & CLIENT_TRACKING_CACHING) flags[n++] = "caching-yes";
    }
    if (f & CLIENT_TRACKING_OPTOUT) {
        flags[n++] = "optout";
        if (f & CLIENT_TRACKING_CACHING) flags[n++] = "caching-no";
    }
    if (f & CLIENT_TRACKING_NOLOOP) flags[n++] = "noloop";
    if (f & CLIENT_TRACKING_BROKEN_REDIR) flags[n++] = "broken_redirect";
    addReplyMapLen(c, 3);
    addReplyBulkCString(c, "flags");
    addReplySetLen(c, n);
    for (int i = 0; i < n; i++) addReplyBulkCString(c, flags[i]);
    addReplyBulkCString(c, "redirect");
    addReplyLongLong(c, trackingRedirectOf(c));
    addReplyBulkCString(c, "prefixes");
    size_t np = trackingPrefixCount(c);
    addReplyArrayLen(c, (long long)np);
    for (size_t i = 0; i < np; i++) {
        size_t len;
        const char *p = trackingPrefixAt(c, i, &len);
        addReplyBulk(c, p, len);
    }
}

/* ---- HELP ---- */

void clientHelpCommand(Client *c) {
    /* Redis 7.0's text. */
    static const char *help[] = {
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        NULL};
    addReplyHelp(c, help);
}
