/* command.c — lookups over the command table (commands.c), its start-up
 * preparation (full names, implied ACL categories, rename-command) and the
 * per-command statistics INFO commandstats prints. */
#include "command.h"

#include "config.h"
#include "dict.h"
#include "log.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static Dict *commandsByName = NULL; /* name (as called, after renames) → Command */

static void commandPrepare(Command *cmd, Command *parent, int *nextId) {
    cmd->parent = parent;
    cmd->id = (*nextId)++;
    if (parent) {
        cmd->fullname = dstrCatPrintf(dstrEmpty(), "%s|%s", parent->name, cmd->name);
    } else {
        cmd->fullname = dstrNew(cmd->name);
    }
    /* Categories implied by flags, as Redis adds them. */
    if (cmd->flags & CMD_WRITE) cmd->acl |= ACL_WRITE;
    /* Read-only scripting commands (EVAL_RO…) are not @read, as in Redis. */
    if ((cmd->flags & CMD_READONLY) && !(cmd->acl & ACL_SCRIPTING)) cmd->acl |= ACL_READ;
    if (cmd->flags & CMD_ADMIN) cmd->acl |= ACL_ADMIN | ACL_DANGEROUS;
    if (cmd->flags & CMD_PUBSUB) cmd->acl |= ACL_PUBSUB;
    if (cmd->flags & CMD_FAST) cmd->acl |= ACL_FAST;
    if (cmd->flags & CMD_BLOCKING) cmd->acl |= ACL_BLOCKING;
    if (!(cmd->acl & ACL_FAST)) cmd->acl |= ACL_SLOW;
    if (cmd->getKeys) cmd->flags |= CMD_MOVABLE_KEYS;
    if (cmd->subcommands)
        for (Command *sub = cmd->subcommands; sub->name; sub++) {
            /* Subcommands inherit their parent's categories. */
            sub->acl |= cmd->acl & ~(ACL_FAST | ACL_SLOW);
            commandPrepare(sub, cmd, nextId);
        }
}

static void commandRegister(const char *name, Command *cmd) {
    DictEntry *de = dictEntryAdd(commandsByName, name, strlen(name), NULL);
    de->v.ptr = cmd;
}

void commandTableInit(void) {
    int nextId = 0;
    /* Only this function inserts names, so the fast unkeyed hash is safe. */
    commandsByName = dictCreate(&dictTypeDstrKeyNocaseTrusted);
    for (Command *cmd = commandTable; cmd->name; cmd++) {
        commandPrepare(cmd, NULL, &nextId);
        commandRegister(cmd->name, cmd);
    }
    for (int i = 0; i < configRenameCount(); i++) {
        const ConfigRename *r = configRenameAt(i);
        DictEntry *de = dictEntryFind(commandsByName, r->from, strlen(r->from));
        if (!de) {
            logMsg(LL_WARNING, "Could not rename command '%s': no such command", r->from);
            continue;
        }
        Command *cmd = de->v.ptr;
        dictDelete(commandsByName, r->from, strlen(r->from));
        if (r->to[0] == '\0') {
            cmd->disabled = true;
        } else {
            commandRegister(r->to, cmd);
        }
    }
}

Command *commandLookup(const char *name, size_t len) {
    DictEntry *de = dictEntryFind(commandsByName, name, len);
    return de ? de->v.ptr : NULL;
}

static Command *commandFindSub(Command *parent, const char *name, size_t len) {
    for (Command *sub = parent->subcommands; sub->name; sub++)
        if (strlen(sub->name) == len && strncasecmp(sub->name, name, len) == 0) return sub;
    return NULL;
}

Command *commandLookupFull(int argc, Arg *argv, bool *unknownSub) {
    *unknownSub = false;
    Command *cmd = commandLookup(argv[0].ptr, argv[0].len);
    if (!cmd || !cmd->subcommands || argc < 2) return cmd;
    Command *sub = commandFindSub(cmd, argv[1].ptr, argv[1].len);
    if (!sub) *unknownSub = true;
    return sub;
}

void commandForEach(void (*fn)(Command *cmd, void *priv), void *priv) {
    for (Command *cmd = commandTable; cmd->name; cmd++) {
        fn(cmd, priv);
        if (cmd->subcommands)
            for (Command *sub = cmd->subcommands; sub->name; sub++) fn(sub, priv);
    }
}

int commandGetKeys(Command *cmd, int argc, Arg *argv, int *keys, int maxKeys) {
    if (cmd->getKeys) return cmd->getKeys(argc, argv, keys, maxKeys);
    if (cmd->firstKey == 0) return 0;
    int last = cmd->lastKey < 0 ? argc + cmd->lastKey : cmd->lastKey;
    int n = 0;
    for (int i = cmd->firstKey; i <= last; i += cmd->keyStep) {
        if (i >= argc) return -1;
        if (n < maxKeys) keys[n] = i;
        n++;
    }
    /* MSET-like commands with a step need whole key/value groups. */
    if (cmd->keyStep > 1 && last + cmd->keyStep - 1 >= argc) return -1;
    return n;
}

static void commandResetOne(Command *cmd, void *priv) {
    (void)priv;
    cmd->calls = cmd->microseconds = cmd->rejectedCalls = cmd->failedCalls = 0;
}

void commandResetStats(void) {
    commandForEach(commandResetOne, NULL);
}

typedef struct StatsCollect {
    Command **all;
    size_t n;
} StatsCollect;

static void commandCollectCalled(Command *cmd, void *priv) {
    StatsCollect *sc = priv;
    if (cmd->calls || cmd->rejectedCalls || cmd->failedCalls) sc->all[sc->n++] = cmd;
}

static void commandCountAll(Command *cmd, void *priv) {
    (void)cmd;
    (*(size_t *)priv)++;
}

static int commandCompareName(const void *a, const void *b) {
    const Command *x = *(Command *const *)a, *y = *(Command *const *)b;
    return strcmp(x->fullname, y->fullname);
}

dstr commandStatsInfo(dstr out) {
    size_t total = 0;
    commandForEach(commandCountAll, &total);
    StatsCollect sc = {kvMalloc((total + 1) * sizeof(Command *)), 0};
    commandForEach(commandCollectCalled, &sc);
    /* Redis prints them in its dict's order; we sort by name, which is
     * stable and easier to read. */
    qsort(sc.all, sc.n, sizeof(Command *), commandCompareName);
    for (size_t i = 0; i < sc.n; i++) {
        Command *cmd = sc.all[i];
        out =
            dstrCatPrintf(out,
                          "cmdstat_%s:calls=%llu,usec=%llu,usec_per_call=%.2f,rejected_calls=%llu,"
                          "failed_calls=%llu\r\n",
                          cmd->fullname, cmd->calls, cmd->microseconds,
                          cmd->calls ? (double)cmd->microseconds / (double)cmd->calls : 0.0,
                          cmd->rejectedCalls, cmd->failedCalls);
    }
    kvFree(sc.all);
    return out;
}

/* ---- secrets in arguments (slow log, MONITOR) ---- */

/* Config directives whose values Redis hides (SENSITIVE_CONFIG). */
static bool commandSensitiveConfig(const Arg *name) {
    return argIs(name, "requirepass") || argIs(name, "masterauth") ||
           argIs(name, "tls-key-file-pass") || argIs(name, "tls-client-key-file-pass");
}

void commandFindSecrets(int argc, const Arg *argv, bool *redact) {
    if (argc < 1) return;
    if (argIs(&argv[0], "auth")) {
        for (int j = 1; j < argc; j++) redact[j] = true;
    } else if (argIs(&argv[0], "hello")) {
        for (int j = 2; j < argc; j++) {
            int more = argc - 1 - j;
            if (argIs(&argv[j], "auth") && more >= 2) {
                redact[j + 1] = redact[j + 2] = true;
                j += 2;
            } else if (argIs(&argv[j], "setname") && more >= 1) {
                j++;
            } else {
                break;
            }
        }
    } else if (argIs(&argv[0], "config") && argc >= 2 && argIs(&argv[1], "set")) {
        for (int j = 2; j + 1 < argc; j += 2)
            if (commandSensitiveConfig(&argv[j])) redact[j + 1] = true;
    } else if (argIs(&argv[0], "migrate")) {
        for (int j = 6; j < argc; j++) {
            int more = argc - 1 - j;
            if (argIs(&argv[j], "auth") && more >= 1) {
                redact[++j] = true;
            } else if (argIs(&argv[j], "auth2") && more >= 2) {
                redact[j + 1] = redact[j + 2] = true;
                j += 2;
            } else if (argIs(&argv[j], "keys")) {
                break;
            }
        }
    }
}
