/* dispatch.c — runs one parsed request: command lookup, the pre-call checks
 * in Redis 7.0's order, the call with timing, then stats and the slow log. */
#include "dispatch.h"

#include "blocking.h"
#include "command.h"
#include "commands.h"
#include "config.h"
#include "info.h"
#include "mem.h"
#include "object.h"
#include "propagate.h"
#include "rdb.h"
#include "reply.h"
#include "server.h"
#include "slowlog.h"

#include <string.h>

static Client *currentClient = NULL;
static Client *executingClient = NULL;

Client *dispatchCurrentClient(void) {
    return currentClient;
}

Client *dispatchExecutingClient(void) {
    return executingClient;
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

bool dispatchCommand(Client *c) {
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
        return true;
    }
    /* Arity of a container is checked before its subcommand's. */
    if (cmd->parent && !dispatchArityOk(cmd->parent, c->argc)) {
        c->cmd = cmd->parent;
        cmd->parent->rejectedCalls++;
        addReplyErrorArity(c);
        return true;
    }
    if (!dispatchArityOk(cmd, c->argc)) {
        cmd->rejectedCalls++;
        addReplyErrorArity(c);
        return true;
    }
    if (config.protoMaxBulkLen > (long long)OBJ_KEY_MAX && !dispatchKeysFit(cmd, c)) {
        cmd->rejectedCalls++;
        addReplyError(c, "ERR key is too long: kvd keys are at most 1 GB");
        return true;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) {
        cmd->rejectedCalls++;
        addReplyError(c, "NOAUTH Authentication required.");
        return true;
    }
    if ((cmd->flags & CMD_PROTECTED) && !dispatchDebugAllowed(c)) {
        cmd->rejectedCalls++;
        addReplyErrorFormat(c,
                            "ERR %s command not allowed. If the %s option is set to \"local\", you "
                            "can run it from a local connection, otherwise you need to set this "
                            "option in the configuration file, and then restart the server.",
                            "DEBUG", "enable-debug-command");
        return true;
    }
    /* maxmemory: Redis would first evict keys under the configured policy;
     * kvd has no eviction yet, so every policy behaves as noeviction. */
    if (config.maxmemory > 0 && (cmd->flags & CMD_DENYOOM) &&
        kvMemUsed() > (size_t)config.maxmemory) {
        cmd->rejectedCalls++;
        addReplyError(c, "OOM command not allowed when used memory > 'maxmemory'.");
        return true;
    }
    /* Redis refuses PING too, so that health checks notice. */
    if (((cmd->flags & CMD_WRITE) || cmd->proc == pingCommand) && !rdbWritesAllowed()) {
        cmd->rejectedCalls++;
        addReplyError(c, rdbMisconfError);
        return true;
    }
    if (clientsArePaused((cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0)) return false;

    /* The call. Failed calls are counted by addReplyError through c->cmd. */
    bool skip = (c->flags & CLIENT_REPLY_SKIP_NEXT) != 0;
    if (skip) {
        c->flags &= ~(uint64_t)CLIENT_REPLY_SKIP_NEXT;
        c->flags |= CLIENT_REPLY_SKIP;
    }
    currentClient = c;
    c->lastCmd = cmd; /* CLIENT INFO run by this command shows itself */
    callCommand(c, CALL_FULL);
    currentClient = NULL;
    if (skip) c->flags &= ~(uint64_t)CLIENT_REPLY_SKIP;
    c->lastInteraction = serverNowMs();
    blockingServeReadyKeys();
    return true;
}

void callCommand(Client *c, int callFlags) {
    Command *cmd = c->cmd;
    Client *prevExecuting = executingClient;
    executingClient = c;
    long long dirtyBefore = stats.dirty;
    c->flags &= ~(uint64_t)CLIENT_PROP_HANDLED;
    propagateEnterUnit();
    /* The cached clock was refreshed when this client's input was read or
     * when the previous command ended: one clock read per command. */
    long long start = serverNowUs();
    cmd->proc(c);
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
    propagateExitUnit();
    executingClient = prevExecuting;
}
