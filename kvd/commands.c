/* commands.c — THE command table: every command kvd knows, as data.
 *
 * Columns: name, handler, arity, flags, ACL categories beyond those the
 * flags imply (write → @write, readonly → @read, admin → @admin @dangerous,
 * fast → @fast else @slow; added by commandTableInit as Redis does), first
 * key, last key, key step, COMMAND DOCS group, since, summary (our words),
 * complexity. Container commands have a NULL handler and a subcommand table.
 * Adding a command = adding a row here plus its handler (commands.h).
 */
#include "command.h"
#include "commands.h"

#include <stddef.h>

#define W    CMD_WRITE
#define R    CMD_READONLY
#define DOOM CMD_DENYOOM
#define ADM  CMD_ADMIN
#define NOSC CMD_NOSCRIPT
#define LOAD CMD_LOADING
#define STAL CMD_STALE
#define FAST CMD_FAST
#define NOAU CMD_NO_AUTH
#define BUSY CMD_ALLOW_BUSY

#define ROW(n, p, a, f, acl, fk, lk, st, g, since, sum, cx)                                        \
    { n, p, a, f, acl, fk, lk, st, NULL, g, since, sum, cx, NULL, NULL, NULL, 0, 0, 0, 0, false, 0 }
#define CONTAINER(n, a, f, acl, g, since, sum, subs)                                               \
    {                                                                                              \
        n, NULL, a, f, acl, 0, 0, 0, NULL, g, since, sum, "Depends on subcommand.", subs, NULL,    \
            NULL, 0, 0, 0, 0, false, 0                                                             \
    }
#define END                                                                                        \
    { NULL }

static Command objectSubcommands[] = {
    ROW("encoding", objectEncodingCommand, 3, R, ACL_KEYSPACE, 2, 2, 1, "generic", "2.2.3",
        "Reports how a key's value is stored internally.", "O(1)"),
    ROW("freq", objectFreqCommand, 3, R, ACL_KEYSPACE, 2, 2, 1, "generic", "4.0.0",
        "Reports the logarithmic access counter of a key (LFU policies).", "O(1)"),
    ROW("help", objectHelpCommand, 2, LOAD | STAL, ACL_KEYSPACE, 0, 0, 0, "generic", "6.2.0",
        "Lists the OBJECT subcommands.", "O(1)"),
    ROW("idletime", objectIdletimeCommand, 3, R, ACL_KEYSPACE, 2, 2, 1, "generic", "2.2.3",
        "Seconds since a key was last read or written.", "O(1)"),
    ROW("refcount", objectRefcountCommand, 3, R, ACL_KEYSPACE, 2, 2, 1, "generic", "2.2.3",
        "Reference count of a key's value.", "O(1)"),
    END};

static Command clientSubcommands[] = {
    ROW("getname", clientGetnameCommand, 2, NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "connection", "2.6.9", "Returns the connection's name.", "O(1)"),
    ROW("help", clientHelpCommand, 2, LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "connection", "5.0.0",
        "Lists the CLIENT subcommands.", "O(1)"),
    ROW("id", clientIdCommand, 2, NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "connection",
        "5.0.0", "Returns the connection's unique id.", "O(1)"),
    ROW("info", clientInfoCommand, 2, NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "connection",
        "6.2.0", "Describes this connection.", "O(1)"),
    ROW("kill", clientKillCommand, -3, ADM | NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "connection", "2.4.0", "Closes the connections that match the filters.",
        "O(N) where N is the number of client connections"),
    ROW("list", clientListCommand, -2, ADM | NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "connection", "2.4.0", "Describes every connection.",
        "O(N) where N is the number of client connections"),
    ROW("no-evict", clientNoEvictCommand, 3, ADM | NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "connection", "7.0.0", "Exempts the connection from client eviction.", "O(1)"),
    ROW("pause", clientPauseCommand, -3, ADM | NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "connection", "3.0.0", "Holds the processing of commands from clients for a while.",
        "O(1)"),
    ROW("reply", clientReplyCommand, 3, NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "connection",
        "3.2.0", "Turns replies to this connection on, off or skips one.", "O(1)"),
    ROW("setname", clientSetnameCommand, 3, NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "connection", "2.6.9", "Names the connection.", "O(1)"),
    ROW("unpause", clientUnpauseCommand, 2, ADM | NOSC | LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "connection", "6.2.0", "Resumes clients held by CLIENT PAUSE.",
        "O(N) Where N is the number of paused clients"),
    END};

static Command commandSubcommands[] = {
    ROW("count", commandCountCommand, 2, LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "server", "2.8.13",
        "Number of commands this server knows.", "O(1)"),
    ROW("docs", commandDocsCommand, -2, LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "server", "7.0.0",
        "Documentation of commands.", "O(N) where N is the number of commands to look up"),
    ROW("getkeys", commandGetkeysCommand, -3, LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "server",
        "2.8.13", "Extracts the key names from a full command.",
        "O(N) where N is the number of arguments to the command"),
    ROW("getkeysandflags", commandGetkeysandflagsCommand, -3, LOAD | STAL, ACL_CONNECTION, 0, 0, 0,
        "server", "7.0.0", "Extracts the key names and their access flags from a full command.",
        "O(N) where N is the number of arguments to the command"),
    ROW("help", commandHelpCommand, 2, LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "server", "5.0.0",
        "Lists the COMMAND subcommands.", "O(1)"),
    ROW("info", commandInfoCommand, -2, LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "server", "2.8.13",
        "Describes commands.", "O(N) where N is the number of commands to look up"),
    ROW("list", commandListCommand, -2, LOAD | STAL, ACL_CONNECTION, 0, 0, 0, "server", "7.0.0",
        "Names of commands, optionally filtered.", "O(N) where N is the total number of commands"),
    END};

static Command configSubcommands[] = {
    ROW("get", configGetCommand, -3, ADM | NOSC | LOAD | STAL, 0, 0, 0, 0, "server", "2.0.0",
        "Reads configuration directives (glob patterns allowed).",
        "O(N) when N is the number of configuration parameters provided"),
    ROW("help", configHelpCommand, 2, LOAD | STAL, 0, 0, 0, 0, "server", "5.0.0",
        "Lists the CONFIG subcommands.", "O(1)"),
    ROW("resetstat", configResetstatCommand, 2, ADM | NOSC | LOAD | STAL, 0, 0, 0, 0, "server",
        "2.0.0", "Resets the statistics INFO reports.", "O(1)"),
    ROW("rewrite", configRewriteCommand, 2, ADM | NOSC | LOAD | STAL, 0, 0, 0, 0, "server", "2.8.0",
        "Writes the configuration in force back to the config file.", "O(1)"),
    ROW("set", configSetCommand, -4, ADM | NOSC | LOAD | STAL, 0, 0, 0, 0, "server", "2.0.0",
        "Changes configuration directives at run time, all or none.",
        "O(N) when N is the number of configuration parameters provided"),
    END};

static Command memorySubcommands[] = {
    ROW("doctor", memoryDoctorCommand, 2, 0, 0, 0, 0, 0, "server", "4.0.0",
        "Reports memory problems and advice.", "O(1)"),
    ROW("help", memoryHelpCommand, 2, LOAD | STAL, 0, 0, 0, 0, "server", "4.0.0",
        "Lists the MEMORY subcommands.", "O(1)"),
    ROW("malloc-stats", memoryMallocStatsCommand, 2, 0, 0, 0, 0, 0, "server", "4.0.0",
        "Allocator statistics.", "Depends on how much memory is allocated"),
    ROW("purge", memoryPurgeCommand, 2, 0, 0, 0, 0, 0, "server", "4.0.0",
        "Asks the allocator to release unused memory.", "Depends on how much memory is allocated"),
    ROW("stats", memoryStatsCommand, 2, 0, 0, 0, 0, 0, "server", "4.0.0", "Memory usage details.",
        "O(1)"),
    ROW("usage", memoryUsageCommand, -3, R, ACL_KEYSPACE, 2, 2, 1, "server", "4.0.0",
        "Bytes a key and its value use.", "O(N) where N is the number of samples"),
    END};

static Command slowlogSubcommands[] = {
    ROW("get", slowlogGetCommand, -2, ADM | LOAD | STAL, 0, 0, 0, 0, "server", "2.2.12",
        "Returns entries of the slow log.", "O(N) where N is the number of entries returned"),
    ROW("help", slowlogHelpCommand, 2, LOAD | STAL, 0, 0, 0, 0, "server", "6.2.0",
        "Lists the SLOWLOG subcommands.", "O(1)"),
    ROW("len", slowlogLenCommand, 2, ADM | LOAD | STAL, 0, 0, 0, 0, "server", "2.2.12",
        "Number of entries in the slow log.", "O(1)"),
    ROW("reset", slowlogResetCommand, 2, ADM | LOAD | STAL, 0, 0, 0, 0, "server", "2.2.12",
        "Empties the slow log.", "O(N) where N is the number of entries in the slowlog"),
    END};

Command commandTable[] = {
    /* == hashes (t_hash.c) == */
    /* == end hashes == */
    /* == sets (t_set.c) == */
    /* == end sets == */
    /* == lists (t_list.c) == */
    /* == end lists == */
    /* == sorted sets (t_zset.c) == */
    /* == end sorted sets == */
    /* strings */
    ROW("append", appendCommand, 3, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string", "2.0.0",
        "Appends to a string value, creating it if needed.", "O(1)"),
    ROW("decr", decrCommand, 2, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Subtracts one from an integer value.", "O(1)"),
    ROW("decrby", decrbyCommand, 3, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Subtracts an amount from an integer value.", "O(1)"),
    ROW("get", getCommand, 2, R | FAST, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Returns a string value.", "O(1)"),
    ROW("getdel", getdelCommand, 2, W | FAST, ACL_STRING, 1, 1, 1, "string", "6.2.0",
        "Returns a string value and deletes the key.", "O(1)"),
    ROW("getex", getexCommand, -2, W | FAST, ACL_STRING, 1, 1, 1, "string", "6.2.0",
        "Returns a string value and changes its expire time.", "O(1)"),
    ROW("getrange", getrangeCommand, 4, R, ACL_STRING, 1, 1, 1, "string", "2.4.0",
        "Returns part of a string value.", "O(N) where N is the length of the returned string."),
    ROW("getset", getsetCommand, 3, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Sets a string value and returns the old one.", "O(1)"),
    ROW("incr", incrCommand, 2, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Adds one to an integer value.", "O(1)"),
    ROW("incrby", incrbyCommand, 3, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Adds an amount to an integer value.", "O(1)"),
    ROW("incrbyfloat", incrbyfloatCommand, 3, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string",
        "2.6.0", "Adds a floating point amount to a numeric value.", "O(1)"),
    ROW("lcs", lcsCommand, -3, R, ACL_STRING, 1, 2, 1, "string", "7.0.0",
        "Longest common subsequence of two string values.", "O(N*M)"),
    ROW("mget", mgetCommand, -2, R | FAST, ACL_STRING, 1, -1, 1, "string", "1.0.0",
        "Returns the values of several keys.", "O(N) where N is the number of keys to retrieve."),
    ROW("mset", msetCommand, -3, W | DOOM, ACL_STRING, 1, -1, 2, "string", "1.0.1",
        "Sets several keys at once.", "O(N) where N is the number of keys to set."),
    ROW("msetnx", msetnxCommand, -3, W | DOOM, ACL_STRING, 1, -1, 2, "string", "1.0.1",
        "Sets several keys at once, only if none of them exists.",
        "O(N) where N is the number of keys to set."),
    ROW("psetex", psetexCommand, 4, W | DOOM, ACL_STRING, 1, 1, 1, "string", "2.6.0",
        "Sets a value with a time to live in milliseconds.", "O(1)"),
    ROW("set", setCommand, -3, W | DOOM, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Sets a string value, with expiry and condition options.", "O(1)"),
    ROW("setex", setexCommand, 4, W | DOOM, ACL_STRING, 1, 1, 1, "string", "2.0.0",
        "Sets a value with a time to live in seconds.", "O(1)"),
    ROW("setnx", setnxCommand, 3, W | DOOM | FAST, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Sets a value only if the key does not exist.", "O(1)"),
    ROW("setrange", setrangeCommand, 4, W | DOOM, ACL_STRING, 1, 1, 1, "string", "2.2.0",
        "Overwrites part of a string value at an offset.", "O(1)"),
    ROW("strlen", strlenCommand, 2, R | FAST, ACL_STRING, 1, 1, 1, "string", "2.2.0",
        "Length of a string value.", "O(1)"),
    ROW("substr", getrangeCommand, 4, R, ACL_STRING, 1, 1, 1, "string", "1.0.0",
        "Returns part of a string value (old name of GETRANGE).",
        "O(N) where N is the length of the returned string."),
    /* generic */
    ROW("copy", copyCommand, -3, W | DOOM, ACL_KEYSPACE, 1, 2, 1, "generic", "6.2.0",
        "Copies a key's value to another key.", "O(N) worst case for collections"),
    ROW("dbsize", dbsizeCommand, 1, R | FAST, ACL_KEYSPACE, 0, 0, 0, "server", "1.0.0",
        "Number of keys in the selected database.", "O(1)"),
    ROW("del", delCommand, -2, W, ACL_KEYSPACE, 1, -1, 1, "generic", "1.0.0", "Deletes keys.",
        "O(N) where N is the number of keys that will be removed."),
    ROW("exists", existsCommand, -2, R | FAST, ACL_KEYSPACE, 1, -1, 1, "generic", "1.0.0",
        "Counts how many of the given keys exist.", "O(N) where N is the number of keys to check."),
    ROW("expire", expireCommand, -3, W | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "1.0.0",
        "Sets a time to live in seconds.", "O(1)"),
    ROW("expireat", expireatCommand, -3, W | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "1.2.0",
        "Sets an absolute expire time in Unix seconds.", "O(1)"),
    ROW("expiretime", expiretimeCommand, 2, R | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "7.0.0",
        "Returns the absolute expire time in Unix seconds.", "O(1)"),
    ROW("flushall", flushallCommand, -1, W, ACL_KEYSPACE | ACL_DANGEROUS, 0, 0, 0, "server",
        "1.0.0", "Removes every key of every database.",
        "O(N) where N is the total number of keys in all databases"),
    ROW("flushdb", flushdbCommand, -1, W, ACL_KEYSPACE | ACL_DANGEROUS, 0, 0, 0, "server", "1.0.0",
        "Removes every key of the selected database.",
        "O(N) where N is the number of keys in the selected database"),
    ROW("keys", keysCommand, 2, R, ACL_KEYSPACE | ACL_DANGEROUS, 0, 0, 0, "generic", "1.0.0",
        "Returns the keys matching a glob pattern.",
        "O(N) with N being the number of keys in the database"),
    ROW("move", moveCommand, 3, W | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "1.0.0",
        "Moves a key to another database.", "O(1)"),
    CONTAINER("object", -2, 0, ACL_KEYSPACE, "generic", "2.2.3", "Inspection of keys' internals.",
              objectSubcommands),
    ROW("persist", persistCommand, 2, W | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "2.2.0",
        "Removes a key's expire time.", "O(1)"),
    ROW("pexpire", pexpireCommand, -3, W | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "2.6.0",
        "Sets a time to live in milliseconds.", "O(1)"),
    ROW("pexpireat", pexpireatCommand, -3, W | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "2.6.0",
        "Sets an absolute expire time in Unix milliseconds.", "O(1)"),
    ROW("pexpiretime", pexpiretimeCommand, 2, R | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "7.0.0",
        "Returns the absolute expire time in Unix milliseconds.", "O(1)"),
    ROW("pttl", pttlCommand, 2, R | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "2.6.0",
        "Time to live in milliseconds.", "O(1)"),
    ROW("randomkey", randomkeyCommand, 1, R, ACL_KEYSPACE, 0, 0, 0, "generic", "1.0.0",
        "Returns a random key.", "O(1)"),
    ROW("rename", renameCommand, 3, W, ACL_KEYSPACE, 1, 2, 1, "generic", "1.0.0",
        "Renames a key, replacing the target.", "O(1)"),
    ROW("renamenx", renamenxCommand, 3, W | FAST, ACL_KEYSPACE, 1, 2, 1, "generic", "1.0.0",
        "Renames a key only if the new name is free.", "O(1)"),
    ROW("scan", scanCommand, -2, R, ACL_KEYSPACE, 0, 0, 0, "generic", "2.8.0",
        "Iterates over the keys with a cursor.",
        "O(1) for every call. O(N) for a complete iteration"),
    ROW("swapdb", swapdbCommand, 3, W | FAST, ACL_KEYSPACE | ACL_DANGEROUS, 0, 0, 0, "server",
        "4.0.0", "Swaps the contents of two databases.", "O(N)"),
    ROW("touch", touchCommand, -2, R | FAST, ACL_KEYSPACE, 1, -1, 1, "generic", "3.2.1",
        "Updates the access time of keys; counts those that exist.",
        "O(N) where N is the number of keys that will be touched."),
    ROW("ttl", ttlCommand, 2, R | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "1.0.0",
        "Time to live in seconds.", "O(1)"),
    ROW("type", typeCommand, 2, R | FAST, ACL_KEYSPACE, 1, 1, 1, "generic", "1.0.0",
        "Type of a key's value.", "O(1)"),
    ROW("unlink", unlinkCommand, -2, W | FAST, ACL_KEYSPACE, 1, -1, 1, "generic", "4.0.0",
        "Deletes keys, freeing big values in the background.",
        "O(1) for each key removed regardless of its size."),
    /* connection */
    ROW("auth", authCommand, -2, NOSC | LOAD | STAL | FAST | NOAU | CMD_SKIP_MONITOR,
        ACL_CONNECTION, 0, 0, 0, "connection", "1.0.0", "Authenticates the connection.",
        "O(N) where N is the number of passwords defined for the user"),
    CONTAINER("client", -2, 0, ACL_CONNECTION, "connection", "2.4.0",
              "Connection inspection and control.", clientSubcommands),
    ROW("echo", echoCommand, 2, FAST, ACL_CONNECTION, 0, 0, 0, "connection", "1.0.0",
        "Returns its argument.", "O(1)"),
    ROW("hello", helloCommand, -1, NOSC | LOAD | STAL | FAST | NOAU | CMD_SKIP_MONITOR,
        ACL_CONNECTION, 0, 0, 0, "connection", "6.0.0",
        "Negotiates the protocol version, optionally authenticating and naming.", "O(1)"),
    ROW("ping", pingCommand, -1, FAST, ACL_CONNECTION, 0, 0, 0, "connection", "1.0.0",
        "Checks the connection.", "O(1)"),
    ROW("quit", quitCommand, -1, NOSC | LOAD | STAL | FAST | NOAU | BUSY, ACL_CONNECTION, 0, 0, 0,
        "connection", "1.0.0", "Closes the connection after the reply.", "O(1)"),
    ROW("reset", resetCommand, 1, NOSC | LOAD | STAL | FAST | NOAU | BUSY, ACL_CONNECTION, 0, 0, 0,
        "connection", "6.2.0", "Returns the connection to its initial state.", "O(1)"),
    ROW("select", selectCommand, 2, LOAD | STAL | FAST, ACL_CONNECTION, 0, 0, 0, "connection",
        "1.0.0", "Changes the selected database.", "O(1)"),
    /* server */
    /* COMMAND alone has a handler of its own (the whole table). */
    {"command",
     commandCommand,
     -1,
     LOAD | STAL,
     ACL_CONNECTION,
     0,
     0,
     0,
     NULL,
     "server",
     "2.8.13",
     "Describes the commands this server knows.",
     "O(N) where N is the total number of commands",
     commandSubcommands,
     NULL,
     NULL,
     0,
     0,
     0,
     0,
     false,
     0},
    CONTAINER("config", -2, 0, 0, "server", "2.0.0", "Configuration at run time.",
              configSubcommands),
    ROW("debug", debugCommand, -2, ADM | NOSC | LOAD | STAL | CMD_PROTECTED, 0, 0, 0, 0, "server",
        "1.0.0", "Debugging and testing helpers.", "Depends on subcommand."),
    ROW("info", infoCommand, -1, LOAD | STAL, ACL_DANGEROUS, 0, 0, 0, "server", "1.0.0",
        "Server information and statistics.", "O(1)"),
    ROW("lastsave", lastsaveCommand, 1, LOAD | STAL | FAST, ACL_ADMIN | ACL_DANGEROUS, 0, 0, 0,
        "server", "1.0.0", "Unix time of the last successful save.", "O(1)"),
    CONTAINER("memory", -2, 0, 0, "server", "4.0.0", "Memory introspection.", memorySubcommands),
    ROW("shutdown", shutdownCommand, -1, ADM | NOSC | LOAD | STAL | CMD_NO_MULTI | BUSY, 0, 0, 0, 0,
        "server", "1.0.0", "Stops the server, saving if configured.",
        "O(N) when saving, where N is the total number of keys in all databases"),
    CONTAINER("slowlog", -2, 0, 0, "server", "2.2.12", "The log of slow commands.",
              slowlogSubcommands),
    ROW("time", timeCommand, 1, LOAD | STAL | FAST, 0, 0, 0, 0, "server", "2.6.0",
        "The server's clock.", "O(1)"),
    END};
