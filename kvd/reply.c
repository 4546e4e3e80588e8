/* reply.c — appends RESP2/RESP3 replies to a client's reply buffer and keeps
 * the error statistics (INFO errorstats, failed_calls). */
#include "reply.h"

#include "command.h"
#include "dict.h"
#include "dispatch.h"
#include "mem.h"
#include "numconv.h"
#include "server.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

const char *const errSyntax = "ERR syntax error";
const char *const errNotInteger = "ERR value is not an integer or out of range";
const char *const errNotFloat = "ERR value is not a valid float";
const char *const errWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
const char *const errNoSuchKey = "ERR no such key";
const char *const errOutOfRange = "ERR index out of range";
const char *const errDbIndex = "ERR DB index is out of range";
const char *const errSameObject = "ERR source and destination objects are the same";
const char *const errInvalidExpire = "ERR invalid expire time in '%s' command";

/* Errors per prefix ("ERR", "WRONGTYPE"…). Redis caps the table at 128
 * distinct prefixes and then counts new ones under "ERRORSTATS_DISABLED";
 * we keep the same cap. */
#define ERRORSTATS_MAX 128
static Dict *errorStats = NULL;
static unsigned long long totalErrors = 0;

/* Whether output for this client is currently being dropped: CLIENT REPLY
 * OFF/SKIP (except for push messages, which Redis delivers anyway), or the
 * client is about to be closed (e.g. over its output buffer limit).
 * Every append asks this first, which makes it the place where a growing
 * reply is handed to clientReplyStream (client.h) every MB or so: one
 * compare per append otherwise. */
static inline bool replyDropped(Client *c) {
    if (dstrLen(c->reply) >= c->replyStreamAt) clientReplyStream(c);
    if (c->flags & CLIENT_CLOSE_ASAP) return true;
    return (c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) != 0 && !(c->flags & CLIENT_PUSHING);
}

void addReplyRaw(Client *c, const char *p, size_t len) {
    if (replyDropped(c)) return;
    c->reply = dstrCatLen(c->reply, p, len);
}

void addReplyOk(Client *c) {
    addReplyRaw(c, "+OK\r\n", 5);
}

void addReplyStatusLen(Client *c, const char *s, size_t len) {
    if (replyDropped(c)) return;
    c->reply = respAddSimple(c->reply, s, len);
}

void addReplySimple(Client *c, const char *s) {
    addReplyStatusLen(c, s, strlen(s));
}

static void replyCountError(const char *msg, size_t len) {
    size_t plen = 0;
    while (plen < len && msg[plen] != ' ') plen++;
    if (!errorStats) errorStats = dictCreate(&dictTypeDstrKey);
    DictEntry *de = dictEntryFind(errorStats, msg, plen);
    if (!de) {
        if (dictSize(errorStats) >= ERRORSTATS_MAX) return;
        de = dictEntryAdd(errorStats, msg, plen, NULL);
        de->v.u64 = 0;
    }
    de->v.u64++;
    totalErrors++;
}

void addReplyErrorLen(Client *c, const char *msg, size_t len) {
    replyCountError(msg, len);
    /* A call rejected before it ran counts as rejected_calls (dispatch),
     * not failed_calls. */
    if (c->cmd && dispatchCurrentClient() == c) c->cmd->failedCalls++;
    if (replyDropped(c)) return;
    /* An error reply must be one line: CR and LF become spaces, as Redis does. */
    if (memchr(msg, '\r', len) || memchr(msg, '\n', len)) {
        char *copy = kvStrndup(msg, len);
        for (size_t i = 0; i < len; i++)
            if (copy[i] == '\r' || copy[i] == '\n') copy[i] = ' ';
        c->reply = respAddError(c->reply, copy, len);
        kvFree(copy);
        return;
    }
    c->reply = respAddError(c->reply, msg, len);
}

void addReplyError(Client *c, const char *msg) {
    addReplyErrorLen(c, msg, strlen(msg));
}

void addReplyErrorFormat(Client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dstr s = dstrCatVPrintf(dstrEmpty(), fmt, ap);
    va_end(ap);
    addReplyErrorLen(c, s, dstrLen(s));
    dstrFree(s);
}

void addReplyErrorArity(Client *c) {
    const char *name = c->cmd ? c->cmd->fullname : "";
    addReplyErrorFormat(c, "ERR wrong number of arguments for '%s' command", name);
}

void addReplyErrorWrongType(Client *c) {
    addReplyError(c, errWrongType);
}

void addReplyErrorSubcommand(Client *c) {
    dstr cmd = dstrNewLen(c->argv[0].ptr, c->argv[0].len);
    dstrToUpper(cmd);
    dstr sub = c->argc > 1 ? dstrNewLen(c->argv[1].ptr, c->argv[1].len) : dstrEmpty();
    addReplyErrorFormat(c, "ERR unknown subcommand '%.128s'. Try %s HELP.", sub, cmd);
    dstrFree(sub);
    dstrFree(cmd);
}

void addReplySubcommandSyntaxError(Client *c) {
    dstr cmd = dstrNewLen(c->argv[0].ptr, c->argv[0].len);
    dstrToUpper(cmd);
    int len = c->argv[1].len > 128 ? 128 : (int)c->argv[1].len;
    addReplyErrorFormat(c,
                        "ERR unknown subcommand or wrong number of arguments for '%.*s'. Try "
                        "%s HELP.",
                        len, c->argv[1].ptr, cmd);
    dstrFree(cmd);
}

void addReplyLongLong(Client *c, long long v) {
    if (replyDropped(c)) return;
    c->reply = respAddInteger(c->reply, v);
}

void addReplyBulk(Client *c, const void *p, size_t len) {
    if (replyDropped(c)) return;
    c->reply = respAddBulk(c->reply, p, len);
}

void addReplyBulkCString(Client *c, const char *s) {
    if (!s) {
        addReplyNull(c);
        return;
    }
    addReplyBulk(c, s, strlen(s));
}

void addReplyBulkLongLong(Client *c, long long v) {
    char buf[LONG_STR_SIZE];
    int n = llToStr(buf, sizeof(buf), v);
    addReplyBulk(c, buf, (size_t)n);
}

void addReplyNull(Client *c) {
    if (c->resp >= 3)
        addReplyRaw(c, "_\r\n", 3);
    else
        addReplyRaw(c, "$-1\r\n", 5);
}

void addReplyNullArray(Client *c) {
    if (c->resp >= 3)
        addReplyRaw(c, "_\r\n", 3);
    else
        addReplyRaw(c, "*-1\r\n", 5);
}

void addReplyArrayLen(Client *c, long long n) {
    if (replyDropped(c)) return;
    c->reply = respAddHeader(c->reply, '*', n);
}

void addReplyMapLen(Client *c, long long n) {
    if (replyDropped(c)) return;
    c->reply = c->resp >= 3 ? respAddHeader(c->reply, '%', n) : respAddHeader(c->reply, '*', n * 2);
}

void addReplySetLen(Client *c, long long n) {
    if (replyDropped(c)) return;
    c->reply = respAddHeader(c->reply, c->resp >= 3 ? '~' : '*', n);
}

void addReplyPushLen(Client *c, long long n) {
    if (replyDropped(c)) return;
    c->reply = respAddHeader(c->reply, c->resp >= 3 ? '>' : '*', n);
}

void addReplyAttributeLen(Client *c, long long n) {
    if (replyDropped(c)) return;
    c->reply = respAddHeader(c->reply, '|', n);
}

void addReplyDouble(Client *c, double d) {
    char buf[128];
    int len = doubleToStr(buf, sizeof(buf), d);
    if (c->resp >= 3) {
        if (replyDropped(c)) return;
        c->reply = dstrCatLen(c->reply, ",", 1);
        c->reply = dstrCatLen(c->reply, buf, (size_t)len);
        c->reply = dstrCatLen(c->reply, "\r\n", 2);
    } else {
        addReplyBulk(c, buf, (size_t)len);
    }
}

void addReplyLongDouble(Client *c, long double d) {
    char buf[5 * 1024 + 64];
    int len = longDoubleToStr(buf, sizeof(buf), d, LD_STR_HUMAN);
    addReplyBulk(c, buf, (size_t)len);
}

void addReplyBool(Client *c, bool b) {
    if (c->resp >= 3)
        addReplyRaw(c, b ? "#t\r\n" : "#f\r\n", 4);
    else
        addReplyRaw(c, b ? ":1\r\n" : ":0\r\n", 4);
}

void addReplyBigNum(Client *c, const char *num, size_t len) {
    if (c->resp >= 3) {
        if (replyDropped(c)) return;
        c->reply = dstrCatLen(c->reply, "(", 1);
        c->reply = dstrCatLen(c->reply, num, len);
        c->reply = dstrCatLen(c->reply, "\r\n", 2);
    } else {
        addReplyBulk(c, num, len);
    }
}

void addReplyVerbatim(Client *c, const char *s, size_t len, const char *ext) {
    if (c->resp >= 3) {
        if (replyDropped(c)) return;
        char hdr[32];
        int n = snprintf(hdr, sizeof(hdr), "=%zu\r\n%.3s:", len + 4, ext);
        c->reply = dstrCatLen(c->reply, hdr, (size_t)n);
        c->reply = dstrCatLen(c->reply, s, len);
        c->reply = dstrCatLen(c->reply, "\r\n", 2);
    } else {
        addReplyBulk(c, s, len);
    }
}

void addReplyHelp(Client *c, const char **lines) {
    dstr cmd = dstrNewLen(c->argv[0].ptr, c->argv[0].len);
    dstrToUpper(cmd);
    long long n = 0;
    while (lines[n]) n++;
    addReplyArrayLen(c, n + 3);
    dstr head = dstrCatPrintf(dstrEmpty(),
                              "%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", cmd);
    addReplyStatusLen(c, head, dstrLen(head));
    for (long long i = 0; i < n; i++) addReplySimple(c, lines[i]);
    /* Every help ends with the same two lines, as in Redis. */
    addReplySimple(c, "HELP");
    addReplySimple(c, "    Prints this help.");
    dstrFree(head);
    dstrFree(cmd);
}

/* Handles are logical offsets (client.h), valid while clientReplyStream
 * writes and drops the bytes before them; while one is open nothing from it
 * on is written. */
size_t addReplyDeferredLen(Client *c) {
    size_t handle = c->replyShifted + dstrLen(c->reply);
    if (c->replyDeferredOpen++ == 0) c->replyDeferredLow = handle;
    return handle;
}

static void setDeferredHeader(Client *c, size_t logical, char type, long long n) {
    /* Still counted open while replyDropped may stream: nothing from the
     * handle on may leave before the header is in. */
    bool dropped = replyDropped(c);
    if (c->replyDeferredOpen > 0) c->replyDeferredOpen--;
    if (dropped) return;
    size_t handle = logical - c->replyShifted;
    char hdr[32];
    hdr[0] = type;
    int len = 1 + llToStr(hdr + 1, LONG_STR_SIZE, n);
    hdr[len++] = '\r';
    hdr[len++] = '\n';
    size_t old = dstrLen(c->reply);
    c->reply = dstrMakeRoom(c->reply, (size_t)len);
    memmove(c->reply + handle + len, c->reply + handle, old - handle);
    memcpy(c->reply + handle, hdr, (size_t)len);
    dstrIncrLen(c->reply, (size_t)len);
}

void setDeferredArrayLen(Client *c, size_t handle, long long n) {
    setDeferredHeader(c, handle, '*', n);
}

void setDeferredMapLen(Client *c, size_t handle, long long n) {
    if (c->resp >= 3)
        setDeferredHeader(c, handle, '%', n);
    else
        setDeferredHeader(c, handle, '*', n * 2);
}

void setDeferredSetLen(Client *c, size_t handle, long long n) {
    setDeferredHeader(c, handle, c->resp >= 3 ? '~' : '*', n);
}

void replyErrorStatsReset(void) {
    if (errorStats) dictEmpty(errorStats);
    totalErrors = 0;
}

unsigned long long replyTotalErrors(void) {
    return totalErrors;
}

static int errorStatCompare(const void *a, const void *b) {
    const DictEntry *x = *(DictEntry *const *)a, *y = *(DictEntry *const *)b;
    return strcmp(x->key, y->key);
}

dstr replyErrorStatsInfo(dstr out) {
    if (!errorStats || dictSize(errorStats) == 0) return out;
    size_t n = dictSize(errorStats), i = 0;
    DictEntry **all = kvMalloc(n * sizeof(*all));
    DictIter it;
    dictIterInit(&it, errorStats, false);
    DictLink *l;
    while ((l = dictIterNext(&it)) && i < n) all[i++] = (DictEntry *)l;
    dictIterRelease(&it);
    qsort(all, i, sizeof(*all), errorStatCompare);
    for (size_t j = 0; j < i; j++)
        out = dstrCatPrintf(out, "errorstat_%s:count=%llu\r\n", all[j]->key,
                            (unsigned long long)all[j]->v.u64);
    kvFree(all);
    return out;
}
