/* script.h — the scripting engine shared by EVAL (eval.c) and functions
 * (function.c): Lua states with the libraries and sandbox Redis 7.0 gives
 * scripts, the `redis` API, conversions between Lua values and RESP2/RESP3,
 * the run context of the script being executed, the busy-script time limit
 * (BUSY replies to other clients, SCRIPT KILL / FUNCTION KILL).
 *
 * One script runs at a time (commands are single-threaded). A run:
 *   ScriptRun run;
 *   if (!scriptPrepareRun(&run, caller, name, flags, roCommand, isEval)) return;
 *   ...push the function and its arguments...
 *   scriptRunFunction(L, &run, nargs);   // replies to the caller
 * Commands the script calls run on a fake client (client.h) through
 * callCommand after the checks Redis makes for scripts; the EVAL/FCALL call
 * itself propagates nothing (propagatePrevent): its effects are the write
 * commands it ran, wrapped in MULTI/EXEC by propagate.c, sent to the
 * targets redis.set_repl chose (propagateSetTargets around each call).
 *
 * The fake client carries CLIENT_SCRIPT: MONITOR shows its calls as
 * "[db lua]" after the EVAL/FCALL line (eval.c/function.c feed it first).
 *
 * Error statistics follow Redis 7.0: an error is counted (errorstats) where
 * it happens — by the command inside, or as a refused call (rejected_calls
 * of that command) — and the error table the script receives is marked
 * `ignore_error_stats_update`; returning or raising such a table replies
 * without counting it again, but still as a failed call of EVAL/FCALL.
 */
#ifndef KV_SCRIPT_H
#define KV_SCRIPT_H

#include "client.h"

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

/* Script flags (shebang `flags=` / register_function flags), as Redis 7.0. */
#define SCRIPT_FLAG_NO_WRITES        (1 << 0)
#define SCRIPT_FLAG_ALLOW_OOM        (1 << 1)
#define SCRIPT_FLAG_ALLOW_STALE      (1 << 2)
#define SCRIPT_FLAG_NO_CLUSTER       (1 << 3)
#define SCRIPT_FLAG_EVAL_COMPAT_MODE (1 << 4) /* EVAL body with no shebang */
#define SCRIPT_FLAG_ALLOW_CROSS_SLOT (1 << 5)

typedef struct ScriptFlagName {
    int flag;
    const char *name;
} ScriptFlagName;
/* The flags a user may name, in Redis's order; ends with {0, NULL}. */
extern const ScriptFlagName scriptFlagNames[];

typedef struct ScriptRun {
    Client *caller;
    Client *fake;
    const char *funcname; /* sha1 (EVAL) or function name: error messages */
    bool isEval;
    bool readOnly; /* EVAL_RO/FCALL_RO or no-writes */
    bool allowOom; /* skip the deny-oom check inside */
    bool oomAtStart;
    bool wroteData; /* a write command ran: the script is unkillable */
    bool timedOut;
    bool killed;
    int resp;          /* redis.setresp */
    int replTargets;   /* redis.set_repl: PROPAGATE_* (propagate.h) of the next calls */
    int countedErrors; /* errors in the reply already counted (failed_calls) */
    long long startMs;
} ScriptRun;

/* A Lua state with the libraries Redis scripts see (base, table, string,
 * math, cjson, cmsgpack, bit, struct), the `redis` table and the sandbox.
 * chunkKind is "user_script" or "user_function" (error locations). */
lua_State *scriptCreateState(void);
void scriptCloseState(lua_State *L);

/* Protects the global table and the library tables of L: from now on new
 * globals and reads of missing globals raise errors, as Redis 7.0. */
void scriptProtectGlobals(lua_State *L);
/* Replaces the table on top of the stack by a read-only proxy whose missing
 * keys raise "Script attempted to access nonexistent global variable". */
void scriptMakeStrictProxy(lua_State *L);
/* Pops a table and makes global lookups read it instead of the real globals
 * (FUNCTION LOAD's restricted API); popping nil restores the real ones. */
void scriptSetGlobalsFallback(lua_State *L);
/* Sets a global on the real table behind the protection (KEYS, ARGV). */
void scriptSetGlobalRaw(lua_State *L, const char *name);

/* Checks the flags against the server's state and the command (EVAL_RO…);
 * replies with the error and returns false when the script may not run. */
bool scriptPrepareRun(ScriptRun *run, Client *caller, const char *funcname, int flags,
                      bool roCommand, bool isEval);
/* Calls the function below nargs arguments on L's stack under the time limit
 * and replies to run->caller with its result or error. Pops everything it
 * was given. */
void scriptRunFunction(lua_State *L, ScriptRun *run, int nargs);

/* Pushes an error table {err="CODE msg"} built from msg as Redis does:
 * "-CODE rest" keeps CODE, anything else gets "ERR ". */
void scriptPushError(lua_State *L, const char *msg, size_t len);
/* Reseeds math.random (what math.randomseed does). */
void scriptRandSeed(long seed);
/* Parses a comma separated flag list; false (with *bad) on an unknown one. */
bool scriptParseFlagList(const char *s, size_t len, int *flags, dstr *bad);
/* The next blank-separated word of a `#!` first line line[0..len) from *pos
 * (advanced past it): false when none is left. Shared by the EVAL shebang
 * and the FUNCTION LOAD header. */
bool scriptShebangWord(const char *line, size_t len, size_t *pos, const char **w, size_t *wl);
/* Hex SHA1 of p (41 bytes with the NUL). */
void scriptSha1Hex(char *out, const char *p, size_t len);

/* redis.log, for FUNCTION LOAD's restricted `redis` table. */
int scriptRedisLogFunction(lua_State *L);

/* The run in progress, or NULL. */
ScriptRun *scriptCurrentRun(void);
/* True once the running script passed busy-reply-threshold: other clients
 * get scriptBusyError() except for CMD_ALLOW_BUSY commands. */
bool scriptIsTimedOut(void);
const char *scriptBusyError(void);
/* SCRIPT KILL (isEval) / FUNCTION KILL: replies to c. */
void scriptKill(Client *c, bool isEval);
/* DEBUG SET-DISABLE-DENY-SCRIPTS. */
void scriptSetDisableDenyScripts(bool on);

/* Bytes a Lua state uses (INFO memory). */
size_t scriptLuaMemory(lua_State *L);

#endif
