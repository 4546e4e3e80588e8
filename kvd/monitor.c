/* monitor.c — the MONITOR command and the feed of monitor lines (see
 * monitor.h). Monitors are kept in an array in the order they started. */
#include "monitor.h"

#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "mem.h"
#include "reply.h"
#include "server.h"

#include <stdio.h>
#include <string.h>

static Client **monitors = NULL;
static size_t monitorCount = 0, monitorCap = 0;

bool monitorActive(void) {
    return monitorCount > 0;
}

void monitorRemove(Client *c) {
    for (size_t i = 0; i < monitorCount; i++) {
        if (monitors[i] != c) continue;
        memmove(&monitors[i], &monitors[i + 1], (monitorCount - i - 1) * sizeof(*monitors));
        monitorCount--;
        break;
    }
    c->flags &= ~(uint64_t)CLIENT_MONITOR;
}

/* Appends `"…"` with the escapes of Redis's sdscatrepr. */
static dstr monitorCatRepr(dstr out, const char *p, size_t len) {
    out = dstrCatLen(out, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)p[i];
        switch (ch) {
            case '\\': out = dstrCatLen(out, "\\\\", 2); break;
            case '"': out = dstrCatLen(out, "\\\"", 2); break;
            case '\n': out = dstrCatLen(out, "\\n", 2); break;
            case '\r': out = dstrCatLen(out, "\\r", 2); break;
            case '\t': out = dstrCatLen(out, "\\t", 2); break;
            case '\a': out = dstrCatLen(out, "\\a", 2); break;
            case '\b': out = dstrCatLen(out, "\\b", 2); break;
            default:
                if (ch >= 0x20 && ch <= 0x7e)
                    out = dstrCatLen(out, (const char *)&ch, 1);
                else
                    out = dstrCatPrintf(out, "\\x%02x", ch);
        }
    }
    return dstrCatLen(out, "\"", 1);
}

void monitorFeed(Client *c) {
    if (monitorCount == 0 || c->argc == 0) return;
    /* The AOF loader's calls are not shown; a script's are ("lua"). */
    if ((c->flags & CLIENT_FAKE) && !(c->flags & CLIENT_SCRIPT)) return;
    long long us = serverNowUs();
    dstr line = dstrCatPrintf(dstrEmpty(), "+%lld.%06lld ", us / 1000000, us % 1000000);
    int dbid = c->db ? c->db->id : 0;
    if (c->flags & CLIENT_SCRIPT)
        line = dstrCatPrintf(line, "[%d lua]", dbid);
    else if (c->flags & CLIENT_UNIX_SOCKET)
        line =
            dstrCatPrintf(line, "[%d unix:%s]", dbid, config.unixsocket ? config.unixsocket : "");
    else
        line = dstrCatPrintf(line, "[%d %s]", dbid, c->addr);
    enum { STACK_ARGS = 16 };
    bool stackRedact[STACK_ARGS];
    bool *redact = c->argc <= STACK_ARGS ? stackRedact : kvMalloc(sizeof(bool) * (size_t)c->argc);
    for (int j = 0; j < c->argc; j++) redact[j] = false;
    commandFindSecrets(c->argc, c->argv, redact);
    for (int j = 0; j < c->argc; j++) {
        line = dstrCatLen(line, " ", 1);
        if (redact[j])
            line = dstrCat(line, "\"(redacted)\"");
        else
            line = monitorCatRepr(line, c->argv[j].ptr, c->argv[j].len);
    }
    if (redact != stackRedact) kvFree(redact);
    line = dstrCatLen(line, "\r\n", 2);
    for (size_t i = 0; i < monitorCount; i++) {
        Client *m = monitors[i];
        addReplyRaw(m, line, dstrLen(line));
        if (m != c) clientAppendedOutOfBand(m);
    }
    dstrFree(line);
}

void monitorCommand(Client *c) {
    /* Inside EXEC (or a script) the caller expects one reply per command:
     * Redis refuses, with this message, when EXEC reaches a queued MONITOR. */
    if (dispatchInNestedCall()) {
        addReplyError(c, "ERR MONITOR isn't allowed for DENY BLOCKING client");
        return;
    }
    if (c->flags & CLIENT_MONITOR) return; /* already monitoring: no reply, as Redis */
    if (monitorCount == monitorCap) {
        monitorCap = monitorCap ? monitorCap * 2 : 4;
        monitors = kvRealloc(monitors, monitorCap * sizeof(*monitors));
    }
    monitors[monitorCount++] = c;
    c->flags |= CLIENT_MONITOR;
    addReplyOk(c);
}
