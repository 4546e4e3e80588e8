/* command.h — the command table's row type and lookups.
 *
 * One table (commands.c) lists every command: its name, arity, flags, ACL
 * categories, key positions, documentation fields and handler; container
 * commands (CONFIG, CLIENT, OBJECT…) list their subcommands in a table of
 * their own. Dispatch, COMMAND (INFO/DOCS/LIST/COUNT/GETKEYS), INFO
 * commandstats, rename-command and, later, ACL and cluster slot checks all
 * read these rows; nothing else describes a command. What COMMAND INFO and
 * COMMAND DOCS add from Redis's own metadata (tips, key specs, argument
 * trees) is generated into commanddocs.c, keyed by full name.
 *
 * Arity follows Redis: N means exactly N arguments (the name included), -N
 * means at least N.
 */
#ifndef KV_COMMAND_H
#define KV_COMMAND_H

#include "client.h"
#include "dstr.h"

#include <stdbool.h>
#include <stdint.h>

typedef void CommandProc(Client *c);

/* Flags (names as COMMAND INFO prints them, in this order). */
#define CMD_WRITE             (1ULL << 0)
#define CMD_READONLY          (1ULL << 1)
#define CMD_DENYOOM           (1ULL << 2)
#define CMD_MODULE            (1ULL << 3)
#define CMD_ADMIN             (1ULL << 4)
#define CMD_PUBSUB            (1ULL << 5)
#define CMD_NOSCRIPT          (1ULL << 6)
#define CMD_BLOCKING          (1ULL << 8)
#define CMD_LOADING           (1ULL << 9)
#define CMD_STALE             (1ULL << 10)
#define CMD_SKIP_MONITOR      (1ULL << 11)
#define CMD_SKIP_SLOWLOG      (1ULL << 12)
#define CMD_ASKING            (1ULL << 13)
#define CMD_FAST              (1ULL << 14)
#define CMD_NO_AUTH           (1ULL << 15)
#define CMD_MAY_REPLICATE     (1ULL << 16)
#define CMD_SENTINEL          (1ULL << 17)
#define CMD_ONLY_SENTINEL     (1ULL << 18)
#define CMD_NO_MANDATORY_KEYS (1ULL << 19)
#define CMD_PROTECTED         (1ULL << 20)
#define CMD_NO_ASYNC_LOADING  (1ULL << 23)
#define CMD_NO_MULTI          (1ULL << 24)
#define CMD_MOVABLE_KEYS      (1ULL << 25)
#define CMD_ALLOW_BUSY        (1ULL << 26)

/* ACL categories. */
#define ACL_KEYSPACE    (1ULL << 0)
#define ACL_READ        (1ULL << 1)
#define ACL_WRITE       (1ULL << 2)
#define ACL_SET         (1ULL << 3)
#define ACL_SORTEDSET   (1ULL << 4)
#define ACL_LIST        (1ULL << 5)
#define ACL_HASH        (1ULL << 6)
#define ACL_STRING      (1ULL << 7)
#define ACL_BITMAP      (1ULL << 8)
#define ACL_HYPERLOGLOG (1ULL << 9)
#define ACL_GEO         (1ULL << 10)
#define ACL_STREAM      (1ULL << 11)
#define ACL_PUBSUB      (1ULL << 12)
#define ACL_ADMIN       (1ULL << 13)
#define ACL_FAST        (1ULL << 14)
#define ACL_SLOW        (1ULL << 15)
#define ACL_BLOCKING    (1ULL << 16)
#define ACL_DANGEROUS   (1ULL << 17)
#define ACL_CONNECTION  (1ULL << 18)
#define ACL_TRANSACTION (1ULL << 19)
#define ACL_SCRIPTING   (1ULL << 20)

/* Key-position helper for commands whose keys are not a fixed range. */
typedef int CommandGetKeysProc(int argc, Arg *argv, int *keys, int maxKeys);

typedef struct Command {
    const char *name;
    CommandProc *proc;
    int arity;
    uint64_t flags;
    uint64_t acl;
    int firstKey, lastKey, keyStep; /* 0,0,0 when the command takes no keys */
    CommandGetKeysProc *getKeys;
    const char *group;   /* COMMAND DOCS group */
    const char *since;   /* first Redis version with it */
    const char *summary; /* our own words */
    const char *complexity;
    struct Command *subcommands; /* NULL-name terminated, or NULL */
    /* filled at start-up / while running */
    struct Command *parent;
    dstr fullname; /* "config|get" */
    unsigned long long calls, microseconds, rejectedCalls, failedCalls;
    bool disabled; /* rename-command x "" */
    int id;
} Command;

/* Builds the lookup tables and applies rename-command. */
void commandTableInit(void);
/* Finds a top-level command by (case-insensitive) name; NULL if unknown. */
Command *commandLookup(const char *name, size_t len);
/* Resolves the subcommand for container commands; returns the command to
 * run, or NULL with *unknownSub set when the subcommand is unknown. */
Command *commandLookupFull(int argc, Arg *argv, bool *unknownSub);
/* Calls fn for every command and subcommand. */
void commandForEach(void (*fn)(Command *cmd, void *priv), void *priv);
/* Keys of a call: fills keys[] with argument indexes; returns the count or
 * -1 on a bad argument count. */
int commandGetKeys(Command *cmd, int argc, Arg *argv, int *keys, int maxKeys);
/* Resets calls/microseconds/... (CONFIG RESETSTAT). */
void commandResetStats(void);
dstr commandStatsInfo(dstr out);

/* Marks in redact[0..argc) (false on entry) the arguments the slow log and
 * MONITOR show as "(redacted)", as Redis hides them: the arguments of AUTH,
 * the user and password of HELLO … AUTH and MIGRATE … AUTH/AUTH2, and the
 * values of sensitive directives in CONFIG SET. */
void commandFindSecrets(int argc, const Arg *argv, bool *redact);

/* The table itself (commands.c). */
extern Command commandTable[];

#endif
