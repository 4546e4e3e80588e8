/* connection.c — connection-level commands: PING ECHO QUIT RESET HELLO AUTH
 * SELECT. */
#include "client.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "mem.h"
#include "monitor.h"
#include "multi.h"
#include "numconv.h"
#include "pubsub.h"
#include "reply.h"
#include "server.h"
#include "tracking.h"

#include <string.h>

void pingCommand(Client *c) {
    if (c->argc > 2) {
        addReplyErrorArity(c);
        return;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2) {
        /* RESP2 subscribed context: a reply that looks like a message. */
        addReplyArrayLen(c, 2);
        addReplyBulkCString(c, "pong");
        if (c->argc == 1)
            addReplyBulk(c, "", 0);
        else
            addReplyBulk(c, c->argv[1].ptr, c->argv[1].len);
    } else if (c->argc == 1)
        addReplyRaw(c, "+PONG\r\n", 7);
    else
        addReplyBulk(c, c->argv[1].ptr, c->argv[1].len);
}

void echoCommand(Client *c) {
    addReplyBulk(c, c->argv[1].ptr, c->argv[1].len);
}

void quitCommand(Client *c) {
    addReplyOk(c);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

void selectCommand(Client *c) {
    long long id;
    if (!strToLongLong(c->argv[1].ptr, c->argv[1].len, &id) || id < -2147483648LL ||
        id > 2147483647LL) {
        addReplyError(c, errNotInteger);
        return;
    }
    Db *db = dbGet((int)id);
    if (!db || id < 0) {
        addReplyError(c, errDbIndex);
        return;
    }
    c->db = db;
    addReplyOk(c);
}

/* Compares without leaking timing about where the strings differ. */
static bool connectionSecretEqual(const char *a, size_t alen, const char *b, size_t blen) {
    unsigned char diff = (unsigned char)(alen != blen);
    size_t n = alen < blen ? alen : blen;
    for (size_t i = 0; i < n; i++) diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* Checks user/password for the default user (ACL users arrive with the ACL
 * issue). Returns true and marks the client authenticated on success. */
static bool connectionCheckAuth(Client *c, const Arg *user, const Arg *pass) {
    if (user && !(user->len == 7 && memcmp(user->ptr, "default", 7) == 0)) return false;
    if (!config.requirepass) {
        /* No password configured: the default user is "nopass". */
        c->authenticated = true;
        return true;
    }
    if (!connectionSecretEqual(pass->ptr, pass->len, config.requirepass,
                               strlen(config.requirepass)))
        return false;
    c->authenticated = true;
    return true;
}

static const char *const errWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";

void authCommand(Client *c) {
    if (c->argc > 3) {
        addReplyError(c, errSyntax);
        return;
    }
    if (c->argc == 2 && !config.requirepass) {
        addReplyError(c, "ERR AUTH <password> called without any password configured for the "
                         "default user. Are you sure your configuration is correct?");
        return;
    }
    const Arg *user = c->argc == 3 ? &c->argv[1] : NULL;
    const Arg *pass = c->argc == 3 ? &c->argv[2] : &c->argv[1];
    if (!connectionCheckAuth(c, user, pass)) {
        addReplyError(c, errWrongPass);
        return;
    }
    addReplyOk(c);
}

void helloCommand(Client *c) {
    long long ver = 0;
    int next = 1;
    if (c->argc >= 2) {
        if (!strToLongLong(c->argv[1].ptr, c->argv[1].len, &ver)) {
            addReplyError(c, "ERR Protocol version is not an integer or out of range");
            return;
        }
        next = 2;
        if (ver < 2 || ver > 3) {
            addReplyError(c, "NOPROTO unsupported protocol version");
            return;
        }
    }
    const Arg *user = NULL, *pass = NULL, *name = NULL;
    for (int j = next; j < c->argc; j++) {
        int left = c->argc - j - 1;
        if (argIs(&c->argv[j], "auth") && left >= 2) {
            user = &c->argv[j + 1];
            pass = &c->argv[j + 2];
            j += 2;
        } else if (argIs(&c->argv[j], "setname") && left >= 1) {
            name = &c->argv[j + 1];
            j++;
        } else {
            addReplyErrorFormat(c, "ERR Syntax error in HELLO option '%.*s'", (int)c->argv[j].len,
                                c->argv[j].ptr);
            return;
        }
    }
    if (user && !connectionCheckAuth(c, user, pass)) {
        addReplyError(c, errWrongPass);
        return;
    }
    if (!c->authenticated) {
        addReplyError(c, "NOAUTH HELLO must be called with the client already authenticated, "
                         "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
                         "authenticate the client and select the RESP protocol version at the "
                         "same time");
        return;
    }
    if (name) {
        for (size_t i = 0; i < name->len; i++) {
            if (name->ptr[i] < '!' || name->ptr[i] > '~') {
                addReplyError(c, "ERR Client names cannot contain spaces, newlines or special "
                                 "characters.");
                return;
            }
        }
        dstrFree(c->name);
        c->name = name->len ? dstrNewLen(name->ptr, name->len) : NULL;
    }
    if (ver) c->resp = (int)ver;
    addReplyMapLen(c, 7);
    addReplyBulkCString(c, "server");
    addReplyBulkCString(c, "redis");
    addReplyBulkCString(c, "version");
    addReplyBulkCString(c, KV_VERSION);
    addReplyBulkCString(c, "proto");
    addReplyLongLong(c, c->resp);
    addReplyBulkCString(c, "id");
    addReplyLongLong(c, (long long)c->id);
    addReplyBulkCString(c, "mode");
    addReplyBulkCString(c, "standalone");
    addReplyBulkCString(c, "role");
    addReplyBulkCString(c, "master");
    addReplyBulkCString(c, "modules");
    addReplyArrayLen(c, 0);
}

void resetCommand(Client *c) {
    multiClientReset(c); /* discards a transaction and drops every WATCH */
    pubsubUnsubscribeAll(c);
    if (c->flags & CLIENT_MONITOR) monitorRemove(c);
    trackingDisable(c);
    c->db = dbGet(0);
    c->resp = 2;
    dstrFree(c->name);
    c->name = NULL;
    c->flags &= ~(uint64_t)(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP | CLIENT_REPLY_SKIP_NEXT |
                            CLIENT_NO_EVICT);
    if (config.requirepass) c->authenticated = false;
    addReplySimple(c, "RESET");
}
