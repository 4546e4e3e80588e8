/* commandcmd.c — the COMMAND command family: COMMAND, COUNT, INFO, DOCS,
 * LIST, GETKEYS, GETKEYSANDFLAGS and HELP, all read from the command table
 * (commands.c through command.h) in Redis 7.0's reply shapes.
 *
 * COMMAND INFO entry (10 elements, as Redis 7.0):
 *   name ("config|get" for subcommands), arity, flags (set of status
 *   strings), first key, last key, key step, ACL categories (set of
 *   "+@cat", including those the flags imply), tips (always an empty set
 *   here), key specs (a set of maps, derived from first/last/step), and
 *   subcommands (an array of entries in this same shape, or an empty set).
 *
 * Key specs: the table stores only first/last/step, so a spec is derived as
 * "begin_search index=first, find_keys range{lastkey relative to first,
 * keystep, limit 0}". Their access flags (RO/RW/OW/RM + access/update/
 * insert/delete) are not in the table: a command's read/write flag gives
 * the default (RO access / RW access update) and keySpecOverrides below
 * lists the commands whose Redis 7.0 flags differ, including the ones Redis
 * describes with two specs (RENAME: source then destination), and Redis's
 * notes where it has one. This belongs in the table itself once its rows
 * grow key-spec columns.
 *
 * COMMAND DOCS gives summary, since, group, complexity (and subcommands);
 * our summaries are our own words, so the text differs from Redis's, and
 * there are no argument descriptions or history entries.
 */
#include "client.h"
#include "command.h"
#include "commands.h"
#include "globmatch.h"
#include "mem.h"
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

/* Key-spec flags, in Redis's print order. */
#define KS_RO             (1u << 0)
#define KS_RW             (1u << 1)
#define KS_OW             (1u << 2)
#define KS_RM             (1u << 3)
#define KS_ACCESS         (1u << 4)
#define KS_UPDATE         (1u << 5)
#define KS_INSERT         (1u << 6)
#define KS_DELETE         (1u << 7)
#define KS_NOT_KEY        (1u << 8)
#define KS_INCOMPLETE     (1u << 9)
#define KS_VARIABLE_FLAGS (1u << 10)

static const char *const keySpecFlagNames[] = {
    "RO",     "RW",     "OW",      "RM",         "access",         "update",
    "insert", "delete", "not_key", "incomplete", "variable_flags", NULL};

/* Every Redis 7.0 command whose key flags differ from the default of its
 * read/write flag, or whose spec carries a note (taken from redis-server
 * 7.0.15's COMMAND INFO; commands kvd does not have yet are listed so that
 * they come out right when they land). A second flags word means Redis
 * describes the keys as two specs at consecutive positions (RENAME: source,
 * then destination); commands with other multi-spec layouts (ZUNIONSTORE…)
 * get their first spec's flags only. */
typedef struct KeySpecOverride {
    const char *fullname;
    uint32_t flags[2];
    const char *notes; /* Redis's note on the (first) spec, or NULL */
} KeySpecOverride;

static const KeySpecOverride keySpecOverrides[] = {
    {"append", {KS_RW | KS_INSERT, 0}},
    {"bitfield",
     {KS_RW | KS_ACCESS | KS_UPDATE | KS_VARIABLE_FLAGS, 0},
     "This command allows both access and modification of the key"},
    {"bitop", {KS_OW | KS_UPDATE, 0}},
    {"blmove", {KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT}},
    {"blmpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"blpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"brpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"brpoplpush", {KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT}},
    {"bzmpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"bzpopmax", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"bzpopmin", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"copy", {KS_RO | KS_ACCESS, KS_OW | KS_UPDATE}},
    {"del", {KS_RM | KS_DELETE, 0}},
    {"eval",
     {KS_RW | KS_ACCESS | KS_UPDATE, 0},
     "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"},
    {"eval_ro",
     {KS_RO | KS_ACCESS, 0},
     "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"},
    {"evalsha", {KS_RW | KS_ACCESS | KS_UPDATE, 0}},
    {"exists", {KS_RO, 0}},
    {"expire", {KS_RW | KS_UPDATE, 0}},
    {"expireat", {KS_RW | KS_UPDATE, 0}},
    {"fcall",
     {KS_RW | KS_ACCESS | KS_UPDATE, 0},
     "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"},
    {"fcall_ro",
     {KS_RO | KS_ACCESS, 0},
     "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"},
    {"geoadd", {KS_RW | KS_UPDATE, 0}},
    {"georadius", {KS_RO | KS_ACCESS, 0}},
    {"georadiusbymember", {KS_RO | KS_ACCESS, 0}},
    {"geosearchstore", {KS_OW | KS_UPDATE, KS_RO | KS_ACCESS}},
    {"getdel", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"getex", {KS_RW | KS_ACCESS | KS_UPDATE, 0}, "RW and UPDATE because it changes the TTL"},
    {"hdel", {KS_RW | KS_DELETE, 0}},
    {"hexists", {KS_RO, 0}},
    {"hlen", {KS_RO, 0}},
    {"hmset", {KS_RW | KS_UPDATE, 0}},
    {"hset", {KS_RW | KS_UPDATE, 0}},
    {"hsetnx", {KS_RW | KS_INSERT, 0}},
    {"hstrlen", {KS_RO, 0}},
    {"linsert", {KS_RW | KS_INSERT, 0}},
    {"llen", {KS_RO, 0}},
    {"lmove", {KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT}},
    {"lmpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"lpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"lpush", {KS_RW | KS_INSERT, 0}},
    {"lpushx", {KS_RW | KS_INSERT, 0}},
    {"lrem", {KS_RW | KS_DELETE, 0}},
    {"lset", {KS_RW | KS_UPDATE, 0}},
    {"ltrim", {KS_RW | KS_DELETE, 0}},
    {"memory|usage", {KS_RO, 0}},
    {"migrate", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"mset", {KS_OW | KS_UPDATE, 0}},
    {"msetnx", {KS_OW | KS_INSERT, 0}},
    {"object|encoding", {KS_RO, 0}},
    {"object|freq", {KS_RO, 0}},
    {"object|idletime", {KS_RO, 0}},
    {"object|refcount", {KS_RO, 0}},
    {"persist", {KS_RW | KS_UPDATE, 0}},
    {"pexpire", {KS_RW | KS_UPDATE, 0}},
    {"pexpireat", {KS_RW | KS_UPDATE, 0}},
    {"pfadd", {KS_RW | KS_INSERT, 0}},
    {"pfcount",
     {KS_RW | KS_ACCESS, 0},
     "RW because it may change the internal representation of the key, and propagate to replicas"},
    {"pfdebug", {KS_RW | KS_ACCESS, 0}},
    {"pfmerge", {KS_RW | KS_ACCESS | KS_INSERT, 0}},
    {"psetex", {KS_OW | KS_UPDATE, 0}},
    {"rename", {KS_RW | KS_ACCESS | KS_DELETE, KS_OW | KS_UPDATE}},
    {"renamenx", {KS_RW | KS_ACCESS | KS_DELETE, KS_OW | KS_INSERT}},
    {"restore", {KS_OW | KS_UPDATE, 0}},
    {"restore-asking", {KS_OW | KS_UPDATE, 0}},
    {"rpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"rpoplpush", {KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT}},
    {"rpush", {KS_RW | KS_INSERT, 0}},
    {"rpushx", {KS_RW | KS_INSERT, 0}},
    {"sadd", {KS_RW | KS_INSERT, 0}},
    {"scard", {KS_RO, 0}},
    {"sdiffstore", {KS_OW | KS_UPDATE, 0}},
    {"set",
     {KS_RW | KS_ACCESS | KS_UPDATE | KS_VARIABLE_FLAGS, 0},
     "RW and ACCESS due to the optional `GET` argument"},
    {"setex", {KS_OW | KS_UPDATE, 0}},
    {"setnx", {KS_OW | KS_INSERT, 0}},
    {"setrange", {KS_RW | KS_UPDATE, 0}},
    {"sinterstore", {KS_RW | KS_UPDATE, 0}},
    {"sismember", {KS_RO, 0}},
    {"smove", {KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT}},
    {"sort", {KS_RO | KS_ACCESS, 0}},
    {"sort_ro", {KS_RO | KS_ACCESS, 0}},
    {"spop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"spublish", {KS_NOT_KEY, 0}},
    {"srem", {KS_RW | KS_DELETE, 0}},
    {"ssubscribe", {KS_NOT_KEY, 0}},
    {"strlen", {KS_RO, 0}},
    {"sunionstore", {KS_OW | KS_UPDATE, 0}},
    {"sunsubscribe", {KS_NOT_KEY, 0}},
    {"touch", {KS_RO, 0}},
    {"type", {KS_RO, 0}},
    {"unlink", {KS_RM | KS_DELETE, 0}},
    {"watch", {KS_RO, 0}},
    {"xack", {KS_RW | KS_UPDATE, 0}},
    {"xadd",
     {KS_RW | KS_UPDATE, 0},
     "UPDATE instead of INSERT because of the optional trimming feature"},
    {"xautoclaim", {KS_RW | KS_DELETE, 0}},
    {"xclaim", {KS_RW | KS_UPDATE, 0}},
    {"xdel", {KS_RW | KS_DELETE, 0}},
    {"xgroup|create", {KS_RW | KS_INSERT, 0}},
    {"xgroup|createconsumer", {KS_RW | KS_INSERT, 0}},
    {"xgroup|delconsumer", {KS_RW | KS_DELETE, 0}},
    {"xgroup|destroy", {KS_RW | KS_DELETE, 0}},
    {"xgroup|setid", {KS_RW | KS_UPDATE, 0}},
    {"xlen", {KS_RO, 0}},
    {"xreadgroup", {KS_RO | KS_ACCESS, 0}},
    {"xsetid", {KS_RW | KS_UPDATE, 0}},
    {"xtrim", {KS_RW | KS_DELETE, 0}},
    {"zadd", {KS_RW | KS_UPDATE, 0}},
    {"zcard", {KS_RO, 0}},
    {"zdiffstore", {KS_OW | KS_UPDATE, 0}},
    {"zinterstore", {KS_OW | KS_UPDATE, 0}},
    {"zmpop", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"zpopmax", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"zpopmin", {KS_RW | KS_ACCESS | KS_DELETE, 0}},
    {"zrangestore", {KS_OW | KS_UPDATE, KS_RO | KS_ACCESS}},
    {"zrem", {KS_RW | KS_DELETE, 0}},
    {"zremrangebylex", {KS_RW | KS_DELETE, 0}},
    {"zremrangebyrank", {KS_RW | KS_DELETE, 0}},
    {"zremrangebyscore", {KS_RW | KS_DELETE, 0}},
    {"zunionstore", {KS_OW | KS_UPDATE, 0}},
    {NULL, {0, 0}, NULL}};

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

static bool cmdHasKeys(const Command *cmd) {
    return cmd->firstKey > 0 || cmd->getKeys != NULL;
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

typedef struct KeySpec {
    const char *notes;
    uint32_t flags;
    bool unknown; /* begin_search/find_keys "unknown" (movable keys) */
    int index, lastkey, keystep;
} KeySpec;

static const KeySpecOverride *keySpecOverride(const Command *cmd) {
    const char *name = cmdFullName(cmd);
    for (const KeySpecOverride *o = keySpecOverrides; o->fullname; o++)
        if (strcasecmp(o->fullname, name) == 0) return o;
    return NULL;
}

static uint32_t keySpecDefaultFlags(const Command *cmd) {
    if (cmd->flags & CMD_WRITE) return KS_RW | KS_ACCESS | KS_UPDATE;
    return KS_RO | KS_ACCESS;
}

/* Fills specs[0..1]; returns how many. */
static int commandKeySpecs(const Command *cmd, KeySpec specs[2]) {
    const KeySpecOverride *o = keySpecOverride(cmd);
    uint32_t flags = o ? o->flags[0] : keySpecDefaultFlags(cmd);
    if (cmd->firstKey > 0) {
        if (o && o->flags[1]) {
            specs[0] = (KeySpec){o->notes, flags, false, cmd->firstKey, 0, 1};
            specs[1] = (KeySpec){NULL, o->flags[1], false, cmd->firstKey + 1, 0, 1};
            return 2;
        }
        int last = cmd->lastKey < 0 ? cmd->lastKey : cmd->lastKey - cmd->firstKey;
        specs[0] = (KeySpec){o ? o->notes : NULL, flags, false, cmd->firstKey, last, cmd->keyStep};
        return 1;
    }
    if (cmd->getKeys) {
        specs[0] = (KeySpec){o ? o->notes : NULL, flags, true, 0, 0, 0};
        return 1;
    }
    return 0;
}

/* Flags of the key at argument `pos` of this call. */
static uint32_t keyFlagsAt(const Command *cmd, int argc, Arg *argv, int pos) {
    KeySpec specs[2];
    int n = commandKeySpecs(cmd, specs);
    if (n == 0) return 0;
    uint32_t flags = (n == 2 && pos != specs[0].index) ? specs[1].flags : specs[0].flags;
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

static void addReplyKeySpecs(Client *c, const Command *cmd) {
    KeySpec specs[2];
    int n = commandKeySpecs(cmd, specs);
    /* Redis 7.0 sends key specs as a set (RESP3 '~'). */
    addReplySetLen(c, n);
    for (int i = 0; i < n; i++) {
        addReplyMapLen(c, specs[i].notes ? 4 : 3);
        if (specs[i].notes) {
            addReplyBulkCString(c, "notes");
            addReplyBulkCString(c, specs[i].notes);
        }
        addReplyBulkCString(c, "flags");
        addReplyKeySpecFlags(c, specs[i].flags);
        addReplyBulkCString(c, "begin_search");
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "type");
        if (specs[i].unknown) {
            addReplyBulkCString(c, "unknown");
            addReplyBulkCString(c, "spec");
            addReplyMapLen(c, 0);
        } else {
            addReplyBulkCString(c, "index");
            addReplyBulkCString(c, "spec");
            addReplyMapLen(c, 1);
            addReplyBulkCString(c, "index");
            addReplyLongLong(c, specs[i].index);
        }
        addReplyBulkCString(c, "find_keys");
        addReplyMapLen(c, 2);
        addReplyBulkCString(c, "type");
        if (specs[i].unknown) {
            addReplyBulkCString(c, "unknown");
            addReplyBulkCString(c, "spec");
            addReplyMapLen(c, 0);
        } else {
            addReplyBulkCString(c, "range");
            addReplyBulkCString(c, "spec");
            addReplyMapLen(c, 3);
            addReplyBulkCString(c, "lastkey");
            addReplyLongLong(c, specs[i].lastkey);
            addReplyBulkCString(c, "keystep");
            addReplyLongLong(c, specs[i].keystep);
            addReplyBulkCString(c, "limit");
            addReplyLongLong(c, 0);
        }
    }
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
    addReplySetLen(c, 0); /* tips */
    addReplyKeySpecs(c, cmd);
    if (!cmd->subcommands) {
        addReplySetLen(c, 0);
        return;
    }
    addReplyArrayLen(c, countSubcommands(cmd));
    for (Command *sub = cmd->subcommands; sub->name; sub++)
        if (!sub->disabled) addReplyCommandInfo(c, sub);
}

static void addReplyCommandDocs(Client *c, const Command *cmd) {
    long long fields = 1; /* group is always there */
    if (cmd->summary) fields++;
    if (cmd->since) fields++;
    if (cmd->complexity) fields++;
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
