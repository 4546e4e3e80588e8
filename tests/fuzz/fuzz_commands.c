/* fuzz_commands.c — libFuzzer target for command execution: an in-process
 * kvd (no event loop, no listener) whose fake client runs a sequence of
 * commands decoded from the input through dispatchCommand (lookup, arity,
 * the checks, the call), the path a network request takes after the parser.
 *
 * Input: a sequence of commands, each
 *   [name index] [arguments 0..15] then the arguments, each [tag] and:
 *     tag < 0x80: a literal of (tag & 31) bytes that follow,
 *     tag >= 0x80: a word from a small vocabulary (keys k0..k3, numbers,
 *       range bounds, options such as WITHSCORES, LIMIT, NX, EX ...), so
 *       the fuzzer reaches the deep paths without guessing every spelling.
 * The name is taken from ALLOWED (data-type and keyspace commands: nothing
 * that forks, writes files, opens connections, blocks, sleeps, exits or
 * reconfigures the server). Up to 64 commands per input, then every
 * database is emptied.
 *
 * Bounded by the harness: proto-max-bulk-len is 1 MB (SETRANGE, SETBIT,
 * APPEND stop there), and a command with an integer argument beyond
 * +-100000 is skipped (SRANDMEMBER k -1000000000 legitimately builds a
 * billion-element reply; ranges, offsets and counts near 64-bit limits are
 * still tried through the vocabulary).
 *
 * FUZZ_TRACE=1 in the environment prints each command and its reply (to
 * read a reproducer).
 *
 * Checked: every command leaves a reply (exactly what Redis does for these
 * commands on a normal client); no crash, leak or sanitizer report.
 *
 * Build and run: `make fuzz`.
 */
#include "client.h"
#include "command.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "dstr.h"
#include "log.h"
#include "multi.h"
#include "server.h"
#include "slowlog.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_set.h"
#include "t_zset.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The tables keep several entries per line. */
/* clang-format off */
static const char *const ALLOWED[] = {
    /* strings */
    "GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX", "MGET", "MSET",
    "MSETNX", "APPEND", "STRLEN", "GETRANGE", "SETRANGE", "INCR", "DECR", "INCRBY", "DECRBY",
    "INCRBYFLOAT", "LCS", "SUBSTR",
    /* keyspace */
    "DEL", "UNLINK", "EXISTS", "TYPE", "RENAME", "RENAMENX", "EXPIRE", "PEXPIRE", "EXPIREAT",
    "PEXPIREAT", "EXPIRETIME", "TTL", "PTTL", "PERSIST", "COPY", "MOVE", "DUMP", "RESTORE",
    "OBJECT", "TOUCH", "RANDOMKEY", "DBSIZE", "SCAN", "KEYS", "SELECT", "SWAPDB", "FLUSHDB",
    "SORT", "SORT_RO",
    /* lists */
    "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN", "LRANGE", "LINDEX", "LSET",
    "LINSERT", "LREM", "LTRIM", "LPOS", "LMOVE", "RPOPLPUSH", "LMPOP",
    /* hashes */
    "HSET", "HSETNX", "HMSET", "HGET", "HMGET", "HGETALL", "HDEL", "HLEN", "HEXISTS", "HKEYS",
    "HVALS", "HINCRBY", "HINCRBYFLOAT", "HSTRLEN", "HRANDFIELD", "HSCAN",
    /* sets */
    "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SPOP", "SRANDMEMBER", "SMOVE",
    "SINTER", "SINTERSTORE", "SINTERCARD", "SUNION", "SUNIONSTORE", "SDIFF", "SDIFFSTORE", "SSCAN",
    /* sorted sets */
    "ZADD", "ZINCRBY", "ZREM", "ZCARD", "ZSCORE", "ZMSCORE", "ZRANK", "ZREVRANK", "ZRANGE",
    "ZRANGESTORE", "ZREVRANGE", "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX",
    "ZREVRANGEBYLEX", "ZCOUNT", "ZLEXCOUNT", "ZREMRANGEBYRANK", "ZREMRANGEBYSCORE",
    "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX", "ZRANDMEMBER", "ZUNION", "ZINTER", "ZDIFF",
    "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD", "ZMPOP", "ZSCAN",
    /* bits, HyperLogLog, transactions */
    "SETBIT", "GETBIT", "BITCOUNT", "BITPOS", "BITOP", "BITFIELD", "BITFIELD_RO", "PFADD",
    "PFCOUNT", "PFMERGE", "MULTI", "EXEC", "DISCARD", "PING", "ECHO",
};
#define NALLOWED (sizeof(ALLOWED) / sizeof(ALLOWED[0]))

static const char *const WORDS[] = {
    "k0", "k1", "k2", "k3", "0", "1", "2", "3", "-1", "-2", "10", "100", "65", "129", "513",
    "9223372036854775807", "-9223372036854775808", "18446744073709551615", "1.5", "-0.5",
    "+inf", "-inf", "nan", "(1", "[a", "(b", "-", "+", "*", "a*", "[a-z]?", "WITHSCORES",
    "LIMIT", "NX", "XX", "GT", "LT", "CH", "INCR", "EX", "PX", "EXAT", "KEEPTTL", "GET",
    "BYSCORE", "BYLEX", "REV", "LEFT", "RIGHT", "BEFORE", "AFTER", "COUNT", "MATCH", "TYPE",
    "WEIGHTS", "AGGREGATE", "MIN", "MAX", "SUM", "AND", "OR", "XOR", "NOT", "BIT", "BYTE",
    "u8", "i16", "#1", "OVERFLOW", "SAT", "FAIL", "WRAP", "INCRBY", "SET", "ENCODING",
    "FREQ", "IDLETIME", "REFCOUNT", "ALPHA", "DESC", "BY", "nosort", "k*->f", "STORE", "RANK",
    "MAXLEN", "LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN", "REPLACE", "ABSTTL", "DB", "WITHVALUES",
    "a", "b", "c", "f", "v", "12345678901234567890123456789012345678901234567890123456789012345",
};
#define NWORDS (sizeof(WORDS) / sizeof(WORDS[0]))
/* clang-format on */

static Client *client;
static bool trace; /* FUZZ_TRACE=1: print each command and its reply */

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    configInitDefaults();
    config.protoMaxBulkLen = 1024 * 1024;
    logSetLevel(LL_NOTHING);
    serverUpdateTime();
    serverInitKeyspace(16);
    client = clientCreateFake();
    trace = getenv("FUZZ_TRACE") != NULL;
    return 0;
}

/* True when s[0..len) is an integer beyond the harness's bounds. */
static bool hugeInteger(const char *s, size_t len) {
    char buf[32];
    if (len == 0 || len >= sizeof(buf)) return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end != '\0' || end == buf) return false;
    if (errno == ERANGE) return false; /* refused by the command as out of range */
    /* The 64-bit edges stay: they test overflow checks, not memory. */
    if (v >= 9223372036854775806LL || v <= -9223372036854775806LL) return false;
    return v > 100000 || v < -100000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t pos = 0;
    Arg argv[16];
    char lit[16][32];
    for (int n = 0; n < 64 && pos + 2 <= size; n++) {
        const char *name = ALLOWED[data[pos++] % NALLOWED];
        int argc = 1 + data[pos++] % 16;
        argv[0].ptr = (char *)name;
        argv[0].len = strlen(name);
        bool skip = false;
        for (int i = 1; i < argc; i++) {
            if (pos >= size) {
                argc = i;
                break;
            }
            uint8_t tag = data[pos++];
            if (tag >= 0x80) {
                const char *w = WORDS[(tag - 0x80) % NWORDS];
                argv[i].ptr = (char *)w;
                argv[i].len = strlen(w);
            } else {
                size_t len = tag & 31;
                if (len > size - pos) len = size - pos;
                memcpy(lit[i], data + pos, len);
                pos += len;
                argv[i].ptr = lit[i];
                argv[i].len = len;
            }
            if (hugeInteger(argv[i].ptr, argv[i].len)) skip = true;
        }
        if (skip) continue;
        client->argv = argv;
        client->argc = argc;
        dstrClear(client->reply);
        client->replyPos = 0;
        dispatchCommand(client);
        if (trace) {
            fprintf(stderr, ">");
            for (int i = 0; i < argc; i++) fprintf(stderr, " %.*s", (int)argv[i].len, argv[i].ptr);
            fprintf(stderr, "\n%.200s\n", client->reply);
        }
        if (dstrLen(client->reply) == 0) abort();
        client->argv = NULL;
        client->argc = 0;
    }
    /* Leave no transaction or selected db behind for the next input. */
    if (multiActive(client)) {
        Arg discard = {(char *)"DISCARD", 7};
        client->argv = &discard;
        client->argc = 1;
        dispatchCommand(client);
        client->argv = NULL;
        client->argc = 0;
    }
    client->db = dbGet(0);
    dstrClear(client->reply);
    client->replyPos = 0;
    dbEmptyAll();
    return 0;
}
