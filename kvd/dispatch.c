/* dispatch.c — runs one parsed request: command lookup, the pre-call checks
 * in Redis 7.0's order, the call with timing, then stats and the slow log. */
#include "dispatch.h"

#include "aof.h"
#include "blocking.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "db.h"
#include "evict.h"
#include "info.h"
#include "mem.h"
#include "monitor.h"
#include "multi.h"
#include "object.h"
#include "propagate.h"
#include "pubsub.h"
#include "rdb.h"
#include "script.h"
#include "reply.h"
#include "server.h"
#include "slowlog.h"
#include "tracking.h"

#include <stdarg.h>
#include <string.h>

static Client *currentClient = NULL;
static Client *executingClient = NULL;
/* Nesting of callCommand, and its value when the running top-level command
 * was dispatched (a busy script dispatches other clients' commands from
 * inside its own call). */
static int callDepth = 0;
static int dispatchBaseDepth = 0;

Client *dispatchCurrentClient(void) {
    return currentClient;
}

Client *dispatchExecutingClient(void) {
    return executingClient;
}

bool dispatchInNestedCall(void) {
    return callDepth > dispatchBaseDepth + 1;
}

/* "ERR unknown command 'x', with args beginning with: 'a' 'b' " as Redis
 * 7.0 prints it: the args part stops once it reaches 128 bytes. */
static void dispatchReplyUnknown(Client *c) {
    dstr args = dstrEmpty();
    for (int i = 1; i < c->argc && dstrLen(args) < 128; i++) {
        int room = 128 - (int)dstrLen(args);
        int n = (int)c->argv[i].len < room ? (int)c->argv[i].len : room;
        args = dstrCatPrintf(args, "'%.*s' ", n, c->argv[i].ptr);
    }
    int nameLen = c->argv[0].len > 128 ? 128 : (int)c->argv[0].len;
    addReplyErrorFormat(c, "ERR unknown command '%.*s', with args beginning with: %s", nameLen,
                        c->argv[0].ptr, args);
    dstrFree(args);
}

/* Refuses c->cmd before it runs (Redis's rejectCommand): counts it in
 * rejected_calls and, inside MULTI, dooms the transaction; EXEC itself is
 * refused by discarding the transaction with the reason. Every check below
 * that refuses a known command goes through here. Returns true (the value
 * dispatchCommand returns for a finished request). */
static bool dispatchReject(Client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool dispatchReject(Client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dstr msg = dstrCatVPrintf(dstrEmpty(), fmt, ap);
    va_end(ap);
    if (c->cmd) c->cmd->rejectedCalls++;
    multiFlagTransaction(c);
    if (multiIsExec(c->cmd))
        multiExecAbort(c, msg, dstrLen(msg));
    else
        addReplyErrorLen(c, msg, dstrLen(msg));
    dstrFree(msg);
    return true;
}

static bool dispatchArityOk(const Command *cmd, int argc) {
    return (cmd->arity > 0 && cmd->arity == argc) || (cmd->arity < 0 && argc >= -cmd->arity);
}

static bool dispatchDebugAllowed(Client *c) {
    if (config.enableDebugCmd == ENABLE_YES) return true;
    if (config.enableDebugCmd == ENABLE_LOCAL && (c->flags & CLIENT_LOCAL)) return true;
    return false;
}

/* Keys are stored with a 30-bit length (object.h). Only reachable when
 * proto-max-bulk-len was raised above 1 GB. */
static bool dispatchKeysFit(Command *cmd, Client *c) {
    enum { MAX_CHECKED = 256 };
    int keys[MAX_CHECKED];
    int n = commandGetKeys(cmd, c->argc, c->argv, keys, MAX_CHECKED);
    if (n < 0 || n > MAX_CHECKED || cmd->getKeys) {
        /* Unknown positions: be strict about every argument. */
        for (int i = 1; i < c->argc; i++)
            if (c->argv[i].len > OBJ_KEY_MAX) return false;
        return true;
    }
    for (int i = 0; i < n; i++)
        if (c->argv[keys[i]].len > OBJ_KEY_MAX) return false;
    return true;
}

/* dispatchCommand without the per-request epilogue. */
static bool dispatchRequest(Client *c) {
    bool unknownSub = false;
    Command *cmd = commandLookupFull(c->argc, c->argv, &unknownSub);
    c->cmd = cmd;
    if (!cmd) {
        Command *parent = commandLookup(c->argv[0].ptr, c->argv[0].len);
        if (parent && parent->subcommands && c->argc >= 2 && !parent->disabled) {
            addReplyErrorSubcommand(c);
        } else {
            dispatchReplyUnknown(c);
        }
        multiFlagTransaction(c);
        return true;
    }
    /* Arity of a container is checked before its subcommand's. */
    if (cmd->parent && !dispatchArityOk(cmd->parent, c->argc)) {
        c->cmd = cmd->parent;
        return dispatchReject(c, "ERR wrong number of arguments for '%s' command",
                              cmd->parent->fullname);
    }
    if (!dispatchArityOk(cmd, c->argc))
        return dispatchReject(c, "ERR wrong number of arguments for '%s' command", cmd->fullname);
    if (config.protoMaxBulkLen > (long long)OBJ_KEY_MAX && !dispatchKeysFit(cmd, c))
        return dispatchReject(c, "ERR key is too long: kvd keys are at most 1 GB");
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH))
        return dispatchReject(c, "NOAUTH Authentication required.");
    if ((cmd->flags & CMD_PROTECTED) && !dispatchDebugAllowed(c))
        return dispatchReject(c,
                              "ERR %s command not allowed. If the %s option is set to \"local\", "
                              "you can run it from a local connection, otherwise you need to set "
                              "this option in the configuration file, and then restart the server.",
                              "DEBUG", "enable-debug-command");
    if (multiActive(c) && (cmd->flags & CMD_NO_MULTI))
        return dispatchReject(c, "ERR Command not allowed inside a transaction");
    /* EXEC is checked with the flags of the commands it holds. */
    uint64_t flags = multiEffectiveFlags(c, cmd);
    /* maxmemory: before every command, evict keys under the configured
     * policy (evict.h); if memory is still over the limit, refuse commands
     * that may grow it. Inside MULTI every command but EXEC/DISCARD/QUIT/
     * RESET counts as one that needs memory: queueing itself grows (Redis
     * 7.0). Not from inside a busy script's event processing. */
    if (config.maxmemory > 0 && !scriptIsTimedOut()) {
        bool outOfMemory = evictBeforeCommand();
        bool needsMemory = (flags & CMD_DENYOOM) ||
                           (multiActive(c) && !multiIsExec(cmd) && cmd->proc != discardCommand &&
                            cmd->proc != quitCommand && cmd->proc != resetCommand);
        if (outOfMemory && needsMemory)
            return dispatchReject(c, "OOM command not allowed when used memory > 'maxmemory'.");
    }
    /* The client-side caching table kept within tracking-table-max-keys. */
    if (trackingClientCount() > 0) trackingLimitTable(c);
    /* Redis refuses PING too, so that health checks notice. */
    if (((flags & CMD_WRITE) || cmd->proc == pingCommand) && !rdbWritesAllowed())
        return dispatchReject(c, "%s", rdbMisconfError);
    /* The last write to the AOF failed (disk full…): refuse writes until a
     * retry from cron succeeds, as Redis. */
    if (((flags & CMD_WRITE) || cmd->proc == pingCommand) && !aofWritesAllowed())
        return dispatchReject(c, "%s", aofMisconfError());
    /* RESP2 subscribed context: only the (un)subscribe family and a few
     * connection commands (RESP3 carries pushes beside normal replies). */
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2 && !pubsubAllowedInContext(cmd))
        return dispatchReject(c,
                              "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                              "PING / QUIT / RESET are allowed in this context",
                              cmd->fullname);
    /* During the start-up load only commands flagged "loading" run. */
    if (rdbIsLoading() && !(cmd->flags & CMD_LOADING))
        return dispatchReject(c, "%s", rdbLoadingError);
    /* A script past busy-reply-threshold is running (we are inside its
     * event processing): only CMD_ALLOW_BUSY commands may run. */
    if (scriptIsTimedOut() && !(cmd->flags & CMD_ALLOW_BUSY))
        return dispatchReject(c, "%s", scriptBusyError());
    if (clientsArePaused((flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0)) return false;

    /* The call. Failed calls are counted by addReplyError through c->cmd. */
    bool skip = (c->flags & CLIENT_REPLY_SKIP_NEXT) != 0;
    if (skip) {
        c->flags &= ~(uint64_t)CLIENT_REPLY_SKIP_NEXT;
        c->flags |= CLIENT_REPLY_SKIP;
    }
    /* Saved: a busy script serves other clients from inside its command. */
    Client *prevCurrent = currentClient;
    currentClient = c;
    c->lastCmd = cmd; /* CLIENT INFO run by this command shows itself */
    /* Inside MULTI the command is queued (multi.h) instead of run. */
    int prevBaseDepth = dispatchBaseDepth;
    dispatchBaseDepth = callDepth;
    if (!multiQueueIfNeeded(c)) callCommand(c, CALL_FULL);
    /* Invalidations caused by this command for c itself follow its reply. */
    trackingSendPending(c);
    dispatchBaseDepth = prevBaseDepth;
    currentClient = prevCurrent;
    if (skip) c->flags &= ~(uint64_t)CLIENT_REPLY_SKIP;
    c->lastInteraction = serverNowMs();
    /* Not while a busy script is still running: it serves them when done. */
    if (!scriptIsTimedOut()) blockingServeReadyKeys();
    return true;
}

bool dispatchCommand(Client *c) {
    if (!dispatchRequest(c)) return false;
    trackingCommandDone(c);
    return true;
}

void callCommand(Client *c, int callFlags) {
    Command *cmd = c->cmd;
    Client *prevExecuting = executingClient;
    executingClient = c;
    /* Expiry decisions use the outermost call's start (EXEC, scripts). */
    if (callDepth++ == 0) dbExpiryClockFreeze(serverNowMs());
    long long dirtyBefore = stats.dirty;
    c->flags &= ~(uint64_t)CLIENT_PROP_HANDLED;
    propagateEnterUnit();
    /* The cached clock was refreshed when this client's input was read or
     * when the previous command ended: one clock read per command. */
    long long start = serverNowUs();
    cmd->proc(c);
    /* Keys read for a client-side cache: the top-level client tracks what
     * the commands of its scripts and transactions read. */
    if ((cmd->flags & CMD_READONLY) && currentClient && (currentClient->flags & CLIENT_TRACKING))
        trackingAfterCall(currentClient, c);
    serverUpdateTime();
    long long duration = serverNowUs() - start;
    bool handled = propagateTakeHandled(c);
    if (!handled && stats.dirty != dirtyBefore && propagateActive())
        propagateAlso(c->db->id, c->argc, c->argv);
    cmd->calls++;
    cmd->microseconds += (unsigned long long)duration;
    stats.numCommands++;
    if (callFlags & CALL_SLOWLOG) {
        infoRecordCommandLatency(cmd, duration);
        if (!(cmd->flags & CMD_SKIP_SLOWLOG)) slowlogPushIfNeeded(c, c->argc, c->argv, duration);
    }
    /* After the call, as Redis 7.0: the line shows the db the command left
     * selected; not for admin commands nor for the AOF loader's fake client. */
    if (monitorActive() && !(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)) &&
        (!(c->flags & CLIENT_FAKE) || (c->flags & CLIENT_SCRIPT)))
        monitorFeed(c);
    propagateExitUnit();
    if (--callDepth == 0) dbExpiryClockThaw();
    executingClient = prevExecuting;
}
