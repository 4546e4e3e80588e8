/* commandcmd.c — the COMMAND command family: COMMAND, COUNT, INFO, DOCS,
 * LIST, GETKEYS, GETKEYSANDFLAGS and HELP, all read from the command table
 * (commands.c through command.h) in Redis 7.0's reply shapes.
 *
 * COMMAND INFO entry (10 elements, as Redis 7.0):
 *   name ("config|get" for subcommands), arity, flags (set of status
 *   strings), first key, last key, key step, ACL categories (set of
 *   "+@cat", including those the flags imply), tips (set), key specs (a
 *   set of maps) and subcommands (an array of entries in this same shape,
 *   or an empty set).
 *
 * The row (commands.c) gives name, arity, flags, first/last/step, ACL
 * categories and the prose of COMMAND DOCS (summary, complexity, in our own
 * words); tips, key specs, doc flags, history and argument trees come from
 * the generated metadata (commanddocs.h), which mirrors redis-server 7.0.
 * Key positions used by GETKEYS are the ones dispatch uses (the row's
 * range or its getKeys function); the key specs only give each key's
 * access flags.
 */
#include "client.h"
#include "command.h"
#include "commanddocs.h"
#include "commands.h"
#include "globmatch.h"
#include "mem.h"
#include "numconv.h"
#include "reply.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* ---- names ---- */

typedef struct FlagName {
    uint64_t flag;
    const char *name;
} FlagName;

/* Redis 7.0's order; may_replicate, sentinel, only_sentinel and protected
 * exist but Redis hides them from COMMAND INFO on purpose, so do we. */
static const FlagName commandFlagNames[] = {{CMD_WRITE, "write"},
                                            {CMD_READONLY, "readonly"},
                                            {CMD_DENYOOM, "denyoom"},
                                            {CMD_MODULE, "module"},
                                            {CMD_ADMIN, "admin"},
                                            {CMD_PUBSUB, "pubsub"},
                                            {CMD_NOSCRIPT, "noscript"},
                                            {CMD_BLOCKING, "blocking"},
                                            {CMD_LOADING, "loading"},
                                            {CMD_STALE, "stale"},
                                            {CMD_SKIP_MONITOR, "skip_monitor"},
                                            {CMD_SKIP_SLOWLOG, "skip_slowlog"},
                                            {CMD_ASKING, "asking"},
                                            {CMD_FAST, "fast"},
                                            {CMD_NO_AUTH, "no_auth"},
                                            {CMD_NO_MANDATORY_KEYS, "no_mandatory_keys"},
                                            {CMD_NO_ASYNC_LOADING, "no_async_loading"},
                                            {CMD_NO_MULTI, "no_multi"},
                                            {CMD_MOVABLE_KEYS, "movablekeys"},
                                            {CMD_ALLOW_BUSY, "allow_busy"},
                                            {0, NULL}};

/* ACL category names in bit order (ACL_KEYSPACE is bit 0), which is also
 * the order Redis prints them in. */
static const char *const aclCategoryNames[] = {
    "keyspace", "read",        "write",      "set",         "sortedset", "list",  "hash", "string",
    "bitmap",   "hyperloglog", "geo",        "stream",      "pubsub",    "admin", "fast", "slow",
    "blocking", "dangerous",   "connection", "transaction", "scripting", NULL};

/* Key-spec flag names, in bit order (KS_RO is bit 0), which is also the
 * order Redis prints them in. */
static const char *const keySpecFlagNames[] = {
    "RO",     "RW",     "OW",      "RM",         "access",         "update",
    "insert", "delete", "not_key", "incomplete", "variable_flags", NULL};

static const char *const argFlagNames[] = {"optional", "multiple", "multiple_token", NULL};
static const char *const docFlagNames[] = {"deprecated", "syscmd", NULL};

static const char *argTypeName(CommandArgType type) {
    switch (type) {
        case ARG_STRING: return "string";
        case ARG_INTEGER: return "integer";
        case ARG_DOUBLE: return "double";
        case ARG_KEY: return "key";
        case ARG_PATTERN: return "pattern";
        case ARG_UNIX_TIME: return "unix-time";
        case ARG_PURE_TOKEN: return "pure-token";
        case ARG_ONEOF: return "oneof";
        case ARG_BLOCK: return "block";
    }
    return "string";
}

/* ---- table access ---- */

static const char *cmdFullName(const Command *cmd) {
    return cmd->fullname ? cmd->fullname : cmd->name;
}

static bool nameEquals(const char *name, const char *p, size_t len) {
    return strlen(name) == len && strncasecmp(name, p, len) == 0;
}

static Command *subcommandFind(Command *parent, const char *p, size_t len) {
    if (!parent->subcommands) return NULL;
    for (Command *sub = parent->subcommands; sub->name; sub++)
        if (!sub->disabled && nameEquals(sub->name, p, len)) return sub;
    return NULL;
}

static Command *topLookup(const char *p, size_t len) {
    Command *cmd = commandLookup(p, len);
    return cmd && !cmd->disabled ? cmd : NULL;
}

/* "get" or "config|get" (Redis lookupCommandBySds: exactly one level, and
 * "get|x" is unknown since GET has no subcommands). */
static Command *lookupByFullName(const char *p, size_t len) {
    const char *bar = memchr(p, '|', len);
    if (!bar) return topLookup(p, len);
    size_t baseLen = (size_t)(bar - p);
    const char *sub = bar + 1;
    size_t subLen = len - baseLen - 1;
    if (memchr(sub, '|', subLen)) return NULL;
    Command *base = topLookup(p, baseLen);
    return base ? subcommandFind(base, sub, subLen) : NULL;
}

/* As Redis lookupCommand for a full call: the subcommand when the command
 * is a container and a second argument is given, else the command. */
static Command *lookupForCall(int argc, Arg *argv) {
    Command *base = topLookup(argv[0].ptr, argv[0].len);
    if (!base || argc == 1 || !base->subcommands) return base;
    return subcommandFind(base, argv[1].ptr, argv[1].len);
}

static uint64_t cmdFlags(const Command *cmd) {
    return cmd->flags | (cmd->getKeys ? CMD_MOVABLE_KEYS : 0);
}

/* The table's categories plus those the flags imply, as Redis's
 * setImplicitACLCategories (repeating what commandTableInit may already
 * have added is harmless). */
static uint64_t cmdAclCategories(const Command *cmd) {
    uint64_t acl = cmd->acl;
    if (cmd->flags & CMD_WRITE) acl |= ACL_WRITE;
    if ((cmd->flags & CMD_READONLY) && !(acl & ACL_SCRIPTING)) acl |= ACL_READ;
    if (cmd->flags & CMD_ADMIN) acl |= ACL_ADMIN | ACL_DANGEROUS;
    if (cmd->flags & CMD_PUBSUB) acl |= ACL_PUBSUB;
    if (cmd->flags & CMD_FAST) acl |= ACL_FAST;
    if (cmd->flags & CMD_BLOCKING) acl |= ACL_BLOCKING;
    if (!(acl & ACL_FAST)) acl |= ACL_SLOW;
    return acl;
}

static int countTopLevel(void) {
    int n = 0;
    for (Command *cmd = commandTable; cmd->name; cmd++)
        if (!cmd->disabled) n++;
    return n;
}

static int countSubcommands(const Command *cmd) {
    int n = 0;
    if (cmd->subcommands)
        for (Command *sub = cmd->subcommands; sub->name; sub++)
            if (!sub->disabled) n++;
    return n;
}

/* ---- key specs ---- */

/* The command's key specs: its generated metadata (commanddocs.c) when it
 * has some, else one spec derived from first/last/step with the flags its
 * read/write flag suggests (a command added to the table before the
 * metadata was regenerated). Fills *fallback if used; returns the count. */
static int commandKeySpecs(const Command *cmd, const KeySpecDoc **specs, KeySpecDoc *fallback) {
    const CommandMeta *meta = commandMetaLookup(cmdFullName(cmd));
    if (meta) {
        *specs = meta->keySpecs;
        return meta->numKeySpecs;
    }
    if (cmd->firstKey <= 0) return 0;
    *fallback = (KeySpecDoc){.flags = (cmd->flags & CMD_WRITE) ? KS_RW | KS_ACCESS | KS_UPDATE
                                                               : KS_RO | KS_ACCESS,
                             .beginType = KSB_INDEX,
                             .index = cmd->firstKey,
                             .findType = KSF_RANGE,
                             .a = cmd->lastKey < 0 ? cmd->lastKey : cmd->lastKey - cmd->firstKey,
                             .b = cmd->keyStep,
                             .c = 0};
    *specs = fallback;
    return 1;
}

/* Whether GETKEYS has anything to find (Redis's doesCommandHaveKeys): a
 * getKeys function, or a key spec for real keys — the shard channels of
 * SPUBLISH and SSUBSCRIBE are "not_key" specs and do not count. */
static bool cmdHasKeys(const Command *cmd) {
    if (cmd->getKeys) return true;
    KeySpecDoc fallback;
    const KeySpecDoc *specs = NULL;
    int n = commandKeySpecs(cmd, &specs, &fallback);
    for (int i = 0; i < n; i++)
        if (!(specs[i].flags & KS_NOT_KEY)) return true;
    return false;
}

/* The argument positions a key spec covers in this call, as first, last
 * and step; false when the spec cannot tell (unknown, keyword absent, bad
 * numkeys). Follows the rules Redis 7.0 documents for key specs: indexes
 * relative to the begin_search result, negative lastkey counting from the
 * end, a limit dividing the remaining arguments. */
static bool keySpecPositions(const KeySpecDoc *spec, int argc, Arg *argv, int *first, int *last,
                             int *step) {
    int begin = 0;
    if (spec->beginType == KSB_INDEX) {
        begin = spec->index;
    } else if (spec->beginType == KSB_KEYWORD) {
        int from = spec->startfrom >= 0 ? spec->startfrom : argc + spec->startfrom;
        int dir = spec->startfrom >= 0 ? 1 : -1;
        for (int i = from; i > 0 && i < argc; i += dir)
            if (argIs(&argv[i], spec->keyword)) {
                begin = i + 1;
                break;
            }
        if (begin == 0) return false;
    } else {
        return false;
    }
    if (spec->findType == KSF_RANGE) {
        *step = spec->b;
        if (spec->a >= 0)
            *last = begin + spec->a;
        else if (spec->c == 0)
            *last = argc + spec->a;
        else
            *last = begin + (argc - begin) / spec->c + spec->a;
    } else if (spec->findType == KSF_KEYNUM) {
        int idx = begin + spec->a;
        long long numkeys;
        if (idx >= argc || !strToLongLong(argv[idx].ptr, argv[idx].len, &numkeys) || numkeys < 0 ||
            numkeys > argc)
            return false;
        *step = spec->c;
        begin += spec->b;
        *last = begin + ((int)numkeys - 1) * spec->c;
    } else {
        return false;
    }
    *first = begin;
    return *step > 0;
}

/* Flags of the key at argument `pos` of this call: those of the first spec
 * that covers the position; a key no spec can place (SORT ... STORE dst)
 * takes the last spec that cannot be resolved statically. */
static uint32_t keyFlagsAt(const Command *cmd, int argc, Arg *argv, int pos) {
    KeySpecDoc fallback;
    const KeySpecDoc *specs = NULL;
    int n = commandKeySpecs(cmd, &specs, &fallback);
    if (n == 0) return 0;
    uint32_t flags = specs[0].flags;
    bool found = false;
    for (int i = 0; i < n && !found; i++) {
        int first, last, step;
        if (keySpecPositions(&specs[i], argc, argv, &first, &last, &step) && pos >= first &&
            pos <= last && (pos - first) % step == 0) {
            flags = specs[i].flags;
            found = true;
        }
    }
    for (int i = n - 1; i >= 0 && !found; i--)
        if (specs[i].beginType == KSB_UNKNOWN || (specs[i].flags & KS_INCOMPLETE)) {
            flags = specs[i].flags;
            found = true;
        }
    if ((flags & KS_VARIABLE_FLAGS) && strcasecmp(cmdFullName(cmd), "set") == 0) {
        /* As Redis's setGetKeys: a GET option makes SET read the old value;
         * without it the key is only overwritten. */
        for (int i = 3; i < argc; i++)
            if (argIs(&argv[i], "get")) return KS_RW | KS_ACCESS | KS_UPDATE;
        return KS_OW | KS_UPDATE;
    }
    /* Other variable-flag commands (BITFIELD…): the spec's flags as they
     * are, until their own key functions say better. */
    return flags & ~KS_VARIABLE_FLAGS;
}

/* ---- reply builders ---- */

static void addReplyStatusSetFromNames(Client *c, uint64_t bits, const char *const *names,
                                       const char *prefix) {
    long long n = 0;
    for (int i = 0; names[i]; i++)
        if (bits & (1ULL << i)) n++;
    addReplySetLen(c, n);
    for (int i = 0; names[i]; i++) {
        if (!(bits & (1ULL << i))) continue;
        if (prefix) {
            char buf[64];
            size_t plen = strlen(prefix), nlen = strlen(names[i]);
            memcpy(buf, prefix, plen);
            memcpy(buf + plen, names[i], nlen);
            addReplyStatusLen(c, buf, plen + nlen);
        } else {
            addReplySimple(c, names[i]);
        }
    }
}

static void addReplyCommandFlags(Client *c, const Command *cmd) {
    uint64_t flags = cmdFlags(cmd);
    long long n = 0;
    for (const FlagName *f = commandFlagNames; f->name; f++)
        if (flags & f->flag) n++;
    addReplySetLen(c, n);
    for (const FlagName *f = commandFlagNames; f->name; f++)
        if (flags & f->flag) addReplySimple(c, f->name);
}

static void addReplyKeySpecFlags(Client *c, uint32_t flags) {
    addReplyStatusSetFromNames(c, flags, keySpecFlagNames, NULL);
}

static void addReplyTips(Client *c, const Command *cmd) {
    const CommandMeta *meta = commandMetaLookup(cmdFullName(cmd));
    int n = meta ? meta->numTips : 0;
    addReplySetLen(c, n);
    for (int i = 0; i < n; i++) addReplyBulkCString(c, meta->tips[i]);
}

static void addReplyKeySpec(Client *c, const KeySpecDoc *spec) {
    addReplyMapLen(c, spec->notes ? 4 : 3);
    if (spec->notes) {
        addReplyBulkCString(c, "notes");
        addReplyBulkCString(c, spec->notes);
    }
    addReplyBulkCString(c, "flags");
    addReplyKeySpecFlags(c, spec->flags);

    addReplyBulkCString(c, "begin_search");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    if (spec->beginType == KSB_INDEX) {
        addReplyBulkCString(c, "index");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 1);
        addReplyBulkCString(c, "index");
        addReplyLongLong(c, spec->index);
    } else if (spec->beginType == KSB_KEYWORD) {
        addReplyBulkCString(c, "keyword");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "keyword");
        addReplyBulkCString(c, spec->keyword);
        addReplyBulkCString(c, "startfrom");
        addReplyLongLong(c, spec->startfrom);
    } else {
        addReplyBulkCString(c, "unknown");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 0);
    }

    addReplyBulkCString(c, "find_keys");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "type");
    if (spec->findType == KSF_RANGE) {
        addReplyBulkCString(c, "range");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "lastkey");
        addReplyLongLong(c, spec->a);
        addReplyBulkCString(c, "keystep");
        addReplyLongLong(c, spec->b);
        addReplyBulkCString(c, "limit");
        addReplyLongLong(c, spec->c);
    } else if (spec->findType == KSF_KEYNUM) {
        addReplyBulkCString(c, "keynum");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "keynumidx");
        addReplyLongLong(c, spec->a);
        addReplyBulkCString(c, "firstkey");
        addReplyLongLong(c, spec->b);
        addReplyBulkCString(c, "keystep");
        addReplyLongLong(c, spec->c);
    } else {
        addReplyBulkCString(c, "unknown");
        addReplyBulkCString(c, "spec");
        addReplyMapLen(c, 0);
    }
}

static void addReplyKeySpecs(Client *c, const Command *cmd) {
    KeySpecDoc fallback;
    const KeySpecDoc *specs = NULL;
    int n = commandKeySpecs(cmd, &specs, &fallback);
    /* Redis 7.0 sends key specs as a set (RESP3 '~'). */
    addReplySetLen(c, n);
    for (int i = 0; i < n; i++) addReplyKeySpec(c, &specs[i]);
}

/* One COMMAND INFO entry; NULL gives a null. */
static void addReplyCommandInfo(Client *c, const Command *cmd) {
    if (!cmd) {
        addReplyNull(c);
        return;
    }
    addReplyArrayLen(c, 10);
    addReplyBulkCString(c, cmdFullName(cmd));
    addReplyLongLong(c, cmd->arity);
    addReplyCommandFlags(c, cmd);
    addReplyLongLong(c, cmd->firstKey);
    addReplyLongLong(c, cmd->lastKey);
    addReplyLongLong(c, cmd->keyStep);
    addReplyStatusSetFromNames(c, cmdAclCategories(cmd), aclCategoryNames, "@");
    addReplyTips(c, cmd);
    addReplyKeySpecs(c, cmd);
    if (!cmd->subcommands) {
        addReplySetLen(c, 0);
        return;
    }
    addReplyArrayLen(c, countSubcommands(cmd));
    for (Command *sub = cmd->subcommands; sub->name; sub++)
        if (!sub->disabled) addReplyCommandInfo(c, sub);
}

/* One argument of COMMAND DOCS (a map), its members nested. */
static void addReplyCommandArg(Client *c, const CommandArgDoc *arg) {
    long long fields = 2;
    if (arg->keySpecIndex >= 0) fields++;
    if (arg->token) fields++;
    if (arg->since) fields++;
    if (arg->flags) fields++;
    if (arg->deprecatedSince) fields++;
    if (arg->numArgs) fields++;
    addReplyMapLen(c, fields);
    addReplyBulkCString(c, "name");
    addReplyBulkCString(c, arg->name);
    addReplyBulkCString(c, "type");
    addReplyBulkCString(c, argTypeName(arg->type));
    if (arg->keySpecIndex >= 0) {
        addReplyBulkCString(c, "key_spec_index");
        addReplyLongLong(c, arg->keySpecIndex);
    }
    if (arg->token) {
        addReplyBulkCString(c, "token");
        addReplyBulkCString(c, arg->token);
    }
    if (arg->since) {
        addReplyBulkCString(c, "since");
        addReplyBulkCString(c, arg->since);
    }
    if (arg->flags) {
        addReplyBulkCString(c, "flags");
        addReplyStatusSetFromNames(c, arg->flags, argFlagNames, NULL);
    }
    if (arg->deprecatedSince) {
        addReplyBulkCString(c, "deprecated_since");
        addReplyBulkCString(c, arg->deprecatedSince);
    }
    if (arg->numArgs) {
        addReplyBulkCString(c, "arguments");
        addReplyArrayLen(c, arg->numArgs);
        for (int i = 0; i < arg->numArgs; i++) addReplyCommandArg(c, &arg->args[i]);
    }
}

/* One COMMAND DOCS entry: prose from the table, structure from the
 * generated metadata, in Redis 7.0's field order. */
static void addReplyCommandDocs(Client *c, const Command *cmd) {
    const CommandMeta *meta = commandMetaLookup(cmdFullName(cmd));
    CommandMeta none = {0};
    if (!meta) meta = &none;
    long long fields = 1; /* group is always there */
    if (cmd->summary) fields++;
    if (cmd->since) fields++;
    if (cmd->complexity) fields++;
    if (meta->docFlags) fields++;
    if (meta->deprecatedSince) fields++;
    if (meta->replacedBy) fields++;
    if (meta->numHistory) fields++;
    if (meta->numArgs) fields++;
    if (cmd->subcommands) fields++;
    addReplyMapLen(c, fields);
    if (cmd->summary) {
        addReplyBulkCString(c, "summary");
        addReplyBulkCString(c, cmd->summary);
    }
    if (cmd->since) {
        addReplyBulkCString(c, "since");
        addReplyBulkCString(c, cmd->since);
    }
    addReplyBulkCString(c, "group");
    addReplyBulkCString(c, cmd->group ? cmd->group : "generic");
    if (cmd->complexity) {
        addReplyBulkCString(c, "complexity");
        addReplyBulkCString(c, cmd->complexity);
    }
    if (meta->docFlags) {
        addReplyBulkCString(c, "doc_flags");
        addReplyStatusSetFromNames(c, meta->docFlags, docFlagNames, NULL);
    }
    if (meta->deprecatedSince) {
        addReplyBulkCString(c, "deprecated_since");
        addReplyBulkCString(c, meta->deprecatedSince);
    }
    if (meta->replacedBy) {
        addReplyBulkCString(c, "replaced_by");
        addReplyBulkCString(c, meta->replacedBy);
    }
    if (meta->numHistory) {
        addReplyBulkCString(c, "history");
        addReplySetLen(c, meta->numHistory); /* a set in Redis 7.0 */
        for (int i = 0; i < meta->numHistory; i++) {
            addReplyArrayLen(c, 2);
            addReplyBulkCString(c, meta->history[i].version);
            addReplyBulkCString(c, meta->history[i].text);
        }
    }
    if (meta->numArgs) {
        addReplyBulkCString(c, "arguments");
        addReplyArrayLen(c, meta->numArgs);
        for (int i = 0; i < meta->numArgs; i++) addReplyCommandArg(c, &meta->args[i]);
    }
    if (cmd->subcommands) {
        addReplyBulkCString(c, "subcommands");
        addReplyMapLen(c, countSubcommands(cmd));
        for (Command *sub = cmd->subcommands; sub->name; sub++) {
            if (sub->disabled) continue;
            addReplyBulkCString(c, cmdFullName(sub));
            addReplyCommandDocs(c, sub);
        }
    }
}

/* ---- COMMAND, COUNT, INFO, DOCS ---- */

void commandCommand(Client *c) {
    addReplyArrayLen(c, countTopLevel());
    for (Command *cmd = commandTable; cmd->name; cmd++)
        if (!cmd->disabled) addReplyCommandInfo(c, cmd);
}

void commandCountCommand(Client *c) {
    addReplyLongLong(c, countTopLevel());
}

void commandInfoCommand(Client *c) {
    if (c->argc == 2) {
        commandCommand(c);
        return;
    }
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++)
        addReplyCommandInfo(c, lookupByFullName(c->argv[i].ptr, c->argv[i].len));
}

void commandDocsCommand(Client *c) {
    if (c->argc == 2) {
        addReplyMapLen(c, countTopLevel());
        for (Command *cmd = commandTable; cmd->name; cmd++) {
            if (cmd->disabled) continue;
            addReplyBulkCString(c, cmdFullName(cmd));
            addReplyCommandDocs(c, cmd);
        }
        return;
    }
    /* Unknown names are left out of the map. */
    size_t handle = addReplyDeferredLen(c);
    long long found = 0;
    for (int i = 2; i < c->argc; i++) {
        Command *cmd = lookupByFullName(c->argv[i].ptr, c->argv[i].len);
        if (!cmd) continue;
        addReplyBulkCString(c, cmdFullName(cmd));
        addReplyCommandDocs(c, cmd);
        found++;
    }
    setDeferredMapLen(c, handle, found);
}

/* ---- LIST ---- */

enum { LIST_FILTER_NONE, LIST_FILTER_MODULE, LIST_FILTER_ACLCAT, LIST_FILTER_PATTERN };

typedef struct ListFilter {
    int type;
    const Arg *arg;
    uint64_t aclcat; /* 0: unknown category, matches nothing */
} ListFilter;

static bool listFilterMatches(const ListFilter *f, const Command *cmd) {
    switch (f->type) {
        case LIST_FILTER_NONE: return true;
        case LIST_FILTER_MODULE: return false; /* kvd loads no modules */
        case LIST_FILTER_ACLCAT: return f->aclcat && (cmdAclCategories(cmd) & f->aclcat);
        case LIST_FILTER_PATTERN: {
            const char *name = cmdFullName(cmd);
            return globMatch(f->arg->ptr, f->arg->len, name, strlen(name), true);
        }
    }
    return false;
}

static uint64_t aclCategoryByName(const Arg *a) {
    for (int i = 0; aclCategoryNames[i]; i++)
        if (argIs(a, aclCategoryNames[i])) return 1ULL << i;
    return 0;
}

/* COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]:
 * every command and subcommand name, subcommands right after their parent
 * (a subcommand is listed on its own merit even if its parent is not). */
void commandListCommand(Client *c) {
    ListFilter f = {LIST_FILTER_NONE, NULL, 0};
    for (int i = 2; i < c->argc; i++) {
        int moreargs = c->argc - 1 - i;
        if (argIs(&c->argv[i], "filterby") && moreargs == 2) {
            const Arg *type = &c->argv[i + 1];
            if (argIs(type, "module"))
                f.type = LIST_FILTER_MODULE;
            else if (argIs(type, "aclcat"))
                f.type = LIST_FILTER_ACLCAT;
            else if (argIs(type, "pattern"))
                f.type = LIST_FILTER_PATTERN;
            else {
                addReplyError(c, errSyntax);
                return;
            }
            f.arg = &c->argv[i + 2];
            if (f.type == LIST_FILTER_ACLCAT) f.aclcat = aclCategoryByName(f.arg);
            i += 2;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    size_t handle = addReplyDeferredLen(c);
    long long n = 0;
    for (Command *cmd = commandTable; cmd->name; cmd++) {
        if (cmd->disabled) continue;
        if (listFilterMatches(&f, cmd)) {
            addReplyBulkCString(c, cmdFullName(cmd));
            n++;
        }
        if (!cmd->subcommands) continue;
        for (Command *sub = cmd->subcommands; sub->name; sub++) {
            if (sub->disabled || !listFilterMatches(&f, sub)) continue;
            addReplyBulkCString(c, cmdFullName(sub));
            n++;
        }
    }
    setDeferredArrayLen(c, handle, n);
}

/* ---- GETKEYS, GETKEYSANDFLAGS ---- */

/* Key positions of a call from first/last/step the way Redis 7.0's
 * getKeysUsingKeySpecs reads a range spec: positions past the end are
 * skipped rather than refused, so "MSET a b c" gives a and c (the command
 * itself would then fail its own argument check). commandGetKeys is
 * stricter, which suits its other callers. */
static int rangeKeys(const Command *cmd, int argc, int *keys, int maxKeys) {
    if (cmd->firstKey <= 0 || cmd->keyStep <= 0) return 0;
    int last = cmd->lastKey < 0 ? argc + cmd->lastKey : cmd->lastKey;
    int n = 0;
    for (int i = cmd->firstKey; i <= last && n < maxKeys; i += cmd->keyStep)
        if (i < argc) keys[n++] = i;
    return n;
}

static void getKeysGeneric(Client *c, bool withFlags) {
    /* Redis 7.0 declares these with arity -4 (a command name plus at least
     * one argument); check it here too so the reply is the same whatever
     * the table says. */
    if (c->argc < 4) {
        addReplyErrorArity(c);
        return;
    }
    int argc = c->argc - 2;
    Arg *argv = c->argv + 2;
    Command *cmd = lookupForCall(argc, argv);
    if (!cmd) {
        addReplyError(c, "ERR Invalid command specified");
        return;
    }
    if (!cmdHasKeys(cmd)) {
        addReplyError(c, "ERR The command has no key arguments");
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        addReplyError(c, "ERR Invalid number of arguments specified for command");
        return;
    }
    int *keys = kvMalloc((size_t)argc * sizeof(int));
    int n = cmd->getKeys ? commandGetKeys(cmd, argc, argv, keys, argc)
                         : rangeKeys(cmd, argc, keys, argc);
    if (n <= 0) {
        if (cmd->flags & CMD_NO_MANDATORY_KEYS)
            addReplyArrayLen(c, 0);
        else
            addReplyError(c, "ERR Invalid arguments specified for command");
        kvFree(keys);
        return;
    }
    addReplyArrayLen(c, n);
    for (int i = 0; i < n; i++) {
        const Arg *key = &argv[keys[i]];
        if (withFlags) {
            addReplyArrayLen(c, 2);
            addReplyBulk(c, key->ptr, key->len);
            addReplyKeySpecFlags(c, keyFlagsAt(cmd, argc, argv, keys[i]));
        } else {
            addReplyBulk(c, key->ptr, key->len);
        }
    }
    kvFree(keys);
}

void commandGetkeysCommand(Client *c) {
    getKeysGeneric(c, false);
}

void commandGetkeysandflagsCommand(Client *c) {
    getKeysGeneric(c, true);
}

/* ---- HELP ---- */

void commandHelpCommand(Client *c) {
    static const char *help[] = {
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        NULL};
    addReplyHelp(c, help);
}
