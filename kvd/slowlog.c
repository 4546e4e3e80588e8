/* slowlog.c — the slow log and the SLOWLOG command (GET, LEN, RESET, HELP),
 * as Redis 7.0 keeps and shows it.
 *
 * Design
 * ------
 * Entries form a doubly linked list, newest at the head: a push adds at the
 * head and trims the tail down to slowlog-max-len, GET walks from the head.
 * Each entry owns copies of what it shows, trimmed the way Redis trims them
 * so that a huge command cannot pin huge memory:
 *   - at most SLOWLOG_ENTRY_MAX_ARGC arguments; when there are more, the last
 *     kept slot says "... (N more arguments)" (N counts that slot too);
 *   - each argument at most SLOWLOG_ENTRY_MAX_STRING bytes, followed by
 *     "... (N more bytes)" when cut;
 *   - secrets replaced by "(redacted)": the arguments of AUTH, the user name
 *     and password of HELLO … AUTH and MIGRATE … AUTH/AUTH2, and the values
 *     of sensitive directives in CONFIG SET (Redis redacts the same ones).
 * Entry ids keep increasing across SLOWLOG RESET, as in Redis.
 */
#include "slowlog.h"

#include "command.h"
#include "config.h"
#include "dstr.h"
#include "mem.h"
#include "numconv.h"
#include "reply.h"

#include <stdbool.h>
#include <time.h>

#define SLOWLOG_ENTRY_MAX_ARGC   32
#define SLOWLOG_ENTRY_MAX_STRING 128

typedef struct SlowlogEntry {
    long long id;
    long long time; /* unix seconds */
    long long duration;
    int argc;
    dstr *argv;
    dstr peer;
    dstr cname;
    struct SlowlogEntry *prev, *next;
} SlowlogEntry;

static SlowlogEntry *slowlogHead = NULL; /* newest */
static SlowlogEntry *slowlogTail = NULL; /* oldest */
static unsigned long slowlogLen = 0;
static long long slowlogNextId = 0;

static void slowlogFreeEntry(SlowlogEntry *e) {
    for (int j = 0; j < e->argc; j++) dstrFree(e->argv[j]);
    kvFree(e->argv);
    dstrFree(e->peer);
    dstrFree(e->cname);
    kvFree(e);
}

static void slowlogRemoveTail(void) {
    SlowlogEntry *e = slowlogTail;
    slowlogTail = e->prev;
    if (slowlogTail)
        slowlogTail->next = NULL;
    else
        slowlogHead = NULL;
    slowlogLen--;
    slowlogFreeEntry(e);
}

void slowlogInit(void) {
    while (slowlogTail) slowlogRemoveTail();
}

unsigned long slowlogLength(void) {
    return slowlogLen;
}

/* ---- recording ---- */

static dstr slowlogTrimArg(const Arg *a) {
    if (a->len <= SLOWLOG_ENTRY_MAX_STRING) return dstrNewLen(a->ptr, a->len);
    dstr s = dstrNewLen(a->ptr, SLOWLOG_ENTRY_MAX_STRING);
    return dstrCatPrintf(s, "... (%lu more bytes)",
                         (unsigned long)(a->len - SLOWLOG_ENTRY_MAX_STRING));
}

void slowlogPushIfNeeded(Client *c, int argc, Arg *argv, long long durationUs) {
    if (config.slowlogLogSlowerThan < 0) return;
    if (durationUs < config.slowlogLogSlowerThan) return;

    SlowlogEntry *e = kvCalloc(sizeof(*e));
    int kept = argc > SLOWLOG_ENTRY_MAX_ARGC ? SLOWLOG_ENTRY_MAX_ARGC : argc;
    bool redactStack[SLOWLOG_ENTRY_MAX_ARGC];
    bool *redact = argc <= SLOWLOG_ENTRY_MAX_ARGC ? redactStack : kvMalloc(sizeof(bool) * argc);
    for (int j = 0; j < argc; j++) redact[j] = false;
    commandFindSecrets(argc, argv, redact);

    e->argc = kept;
    e->argv = kvMalloc(sizeof(dstr) * (kept ? kept : 1));
    for (int j = 0; j < kept; j++) {
        if (kept != argc && j == kept - 1)
            e->argv[j] = dstrCatPrintf(dstrEmpty(), "... (%d more arguments)", argc - kept + 1);
        else if (redact[j])
            e->argv[j] = dstrNew("(redacted)");
        else
            e->argv[j] = slowlogTrimArg(&argv[j]);
    }
    if (redact != redactStack) kvFree(redact);

    e->id = slowlogNextId++;
    e->time = (long long)time(NULL);
    e->duration = durationUs;
    e->peer = dstrNew(c->addr);
    e->cname = c->name ? dstrDup(c->name) : dstrEmpty();

    e->next = slowlogHead;
    if (slowlogHead) slowlogHead->prev = e;
    slowlogHead = e;
    if (!slowlogTail) slowlogTail = e;
    slowlogLen++;
    while (slowlogLen > 0 && (long long)slowlogLen > config.slowlogMaxLen) slowlogRemoveTail();
}

/* ---- SLOWLOG ---- */

/* SLOWLOG GET [count] */
void slowlogGetCommand(Client *c) {
    long long count = 10;
    if (c->argc > 3) {
        addReplySubcommandSyntaxError(c);
        return;
    }
    if (c->argc == 3) {
        /* Redis replies this one message for a bad number as well. */
        if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &count) || count < -1) {
            addReplyError(c, "ERR count should be greater than or equal to -1");
            return;
        }
        if (count == -1) count = (long long)slowlogLen;
    }
    if (count > (long long)slowlogLen) count = (long long)slowlogLen;
    addReplyArrayLen(c, count);
    SlowlogEntry *e = slowlogHead;
    for (long long i = 0; i < count && e; i++, e = e->next) {
        addReplyArrayLen(c, 6);
        addReplyLongLong(c, e->id);
        addReplyLongLong(c, e->time);
        addReplyLongLong(c, e->duration);
        addReplyArrayLen(c, e->argc);
        for (int j = 0; j < e->argc; j++) addReplyBulk(c, e->argv[j], dstrLen(e->argv[j]));
        addReplyBulk(c, e->peer, dstrLen(e->peer));
        addReplyBulk(c, e->cname, dstrLen(e->cname));
    }
}

void slowlogLenCommand(Client *c) {
    addReplyLongLong(c, (long long)slowlogLen);
}

void slowlogResetCommand(Client *c) {
    slowlogInit();
    addReplyOk(c);
}

void slowlogHelpCommand(Client *c) {
    static const char *help[] = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        NULL};
    addReplyHelp(c, help);
}
