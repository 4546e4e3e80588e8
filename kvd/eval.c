/* eval.c — EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (LOAD EXISTS FLUSH
 * KILL HELP): the script cache by SHA1 and the Lua state EVAL scripts share
 * (script.c runs them).
 *
 * Cache: a script is compiled once, when first seen by EVAL or SCRIPT LOAD,
 * and kept in a registry table of the EVAL state, keyed by its lowercase
 * SHA1: {f = compiled function, flags = shebang flags, len = body length}.
 * SCRIPT FLUSH drops the whole state and builds a fresh one, as Redis does. A
 * `#!lua flags=…` first line is cut from the compiled code but its newline
 * kept, so error line numbers match the body the user sent. */
#include "eval.h"

#include "commands.h"
#include "config.h"
#include "lazyfree.h"
#include "monitor.h"
#include "numconv.h"
#include "reply.h"
#include "script.h"

#include <lauxlib.h>
#include <string.h>

static lua_State *evalL = NULL;
static unsigned long scriptCount = 0;
static size_t scriptBodyBytes = 0;

/* Per cached script bookkeeping Redis counts beside the body (dict entry,
 * sds headers, the script object); close enough for INFO. */
#define EVAL_SCRIPT_OVERHEAD 96

static void evalInitState(void) {
    evalL = scriptCreateState();
    lua_newtable(evalL);
    lua_setfield(evalL, LUA_REGISTRYINDEX, "__kv_scripts");
    scriptProtectGlobals(evalL);
    scriptCount = 0;
    scriptBodyBytes = 0;
}

static lua_State *evalState(void) {
    if (!evalL) evalInitState();
    return evalL;
}

size_t evalLuaMemory(void) {
    return scriptLuaMemory(evalState());
}

size_t evalScriptsMemory(void) {
    return scriptBodyBytes + scriptCount * EVAL_SCRIPT_OVERHEAD;
}

unsigned long evalScriptCount(void) {
    return scriptCount;
}

/* Parses a `#!` first line: sets *flags (SCRIPT_FLAG_EVAL_COMPAT_MODE when
 * there is none) and *skip (bytes to drop before compiling). Returns NULL or
 * the error text (a dstr to free). */
static dstr evalParseShebang(const char *body, size_t len, int *flags, size_t *skip) {
    *flags = SCRIPT_FLAG_EVAL_COMPAT_MODE;
    *skip = 0;
    if (len < 2 || body[0] != '#' || body[1] != '!') return NULL;
    const char *nl = memchr(body, '\n', len);
    if (!nl) return dstrNew("Invalid script shebang");
    size_t lineLen = (size_t)(nl - body);
    *flags = 0;
    size_t pos = 0;
    int part = 0;
    const char *w;
    size_t wl;
    while (scriptShebangWord(body, lineLen, &pos, &w, &wl)) {
        if (part == 0) {
            if (wl != 5 || memcmp(w, "#!lua", 5) != 0)
                return dstrCatPrintf(dstrEmpty(), "Unexpected engine in script shebang: %.*s",
                                     (int)wl, w);
        } else if (wl >= 6 && memcmp(w, "flags=", 6) == 0) {
            dstr bad = NULL;
            if (!scriptParseFlagList(w + 6, wl - 6, flags, &bad)) {
                dstr e = dstrCatPrintf(dstrEmpty(), "Unexpected flag in script shebang: %s", bad);
                dstrFree(bad);
                return e;
            }
        } else {
            return dstrCatPrintf(dstrEmpty(), "Unknown lua shebang option: %.*s", (int)wl, w);
        }
        part++;
    }
    *skip = lineLen;
    return NULL;
}

/* Pushes the cache entry of sha (a table) or nil. */
static void evalPushEntry(lua_State *L, const char *sha) {
    lua_getfield(L, LUA_REGISTRYINDEX, "__kv_scripts");
    lua_getfield(L, -1, sha);
    lua_remove(L, -2);
}

/* Compiles and caches body (unless cached). On success writes the sha and
 * returns true; otherwise replies to c with the error. */
static bool evalCreate(Client *c, const char *body, size_t len, char *sha) {
    lua_State *L = evalState();
    scriptSha1Hex(sha, body, len);
    evalPushEntry(L, sha);
    bool cached = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (cached) return true;
    int flags;
    size_t skip;
    dstr err = evalParseShebang(body, len, &flags, &skip);
    if (err) {
        addReplyErrorFormat(c, "ERR %s", err);
        dstrFree(err);
        return false;
    }
    if (luaL_loadbuffer(L, body + skip, len - skip, "@user_script")) {
        addReplyErrorFormat(c, "ERR Error compiling script (new function): %s",
                            lua_tostring(L, -1));
        lua_pop(L, 1);
        return false;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, "__kv_scripts");
    lua_newtable(L);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "f");
    lua_pushinteger(L, flags);
    lua_setfield(L, -2, "flags");
    lua_setfield(L, -2, sha);
    lua_pop(L, 2);
    scriptCount++;
    scriptBodyBytes += len;
    return true;
}

static void evalLowerSha(char *out, const Arg *a) {
    for (int i = 0; i < 40; i++) {
        char ch = a->ptr[i];
        out[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
    }
    out[40] = '\0';
}

/* Pushes a Lua array of argv[from..from+n). */
static void evalPushArgs(lua_State *L, const Arg *argv, int n) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushlstring(L, argv[i].ptr, argv[i].len);
        lua_rawseti(L, -2, i + 1);
    }
}

static void evalGeneric(Client *c, bool bySha, bool ro) {
    /* Before anything, even a call that fails: the script's own calls
     * follow this line (EVAL is CMD_SKIP_MONITOR), as Redis 7.0. */
    monitorFeed(c);
    long long numkeys;
    if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &numkeys)) {
        addReplyError(c, errNotInteger);
        return;
    }
    if (numkeys > c->argc - 3) {
        addReplyError(c, "ERR Number of keys can't be greater than number of args");
        return;
    }
    if (numkeys < 0) {
        addReplyError(c, "ERR Number of keys can't be negative");
        return;
    }
    char sha[41];
    lua_State *L = evalState();
    if (bySha) {
        if (c->argv[1].len != 40) {
            addReplyError(c, "NOSCRIPT No matching script. Please use EVAL.");
            return;
        }
        evalLowerSha(sha, &c->argv[1]);
    } else if (!evalCreate(c, c->argv[1].ptr, c->argv[1].len, sha)) {
        return;
    }
    evalPushEntry(L, sha);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        addReplyError(c, "NOSCRIPT No matching script. Please use EVAL.");
        return;
    }
    lua_getfield(L, -1, "flags");
    int flags = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    ScriptRun run;
    if (!scriptPrepareRun(&run, c, sha, flags, ro, true)) {
        lua_pop(L, 1);
        return;
    }
    lua_getfield(L, -1, "f");
    lua_remove(L, -2);
    evalPushArgs(L, c->argv + 3, (int)numkeys);
    scriptSetGlobalRaw(L, "KEYS");
    evalPushArgs(L, c->argv + 3 + numkeys, c->argc - 3 - (int)numkeys);
    scriptSetGlobalRaw(L, "ARGV");
    scriptRunFunction(L, &run, 0);
}

void evalCommand(Client *c) {
    evalGeneric(c, false, false);
}

void evalRoCommand(Client *c) {
    evalGeneric(c, false, true);
}

void evalshaCommand(Client *c) {
    evalGeneric(c, true, false);
}

void evalshaRoCommand(Client *c) {
    evalGeneric(c, true, true);
}

/* EVAL's keys follow numkeys (CommandGetKeysProc). */
int evalGetKeys(int argc, Arg *argv, int *keys, int maxKeys) {
    long long n;
    if (argc < 3 || !strToLongLong(argv[2].ptr, argv[2].len, &n) || n < 0 || n > argc - 3)
        return argc < 3 ? -1 : 0;
    for (int i = 0; i < (int)n && i < maxKeys; i++) keys[i] = 3 + i;
    return (int)n;
}

/* ---- SCRIPT ---- */

void scriptLoadCommand(Client *c) {
    char sha[41];
    if (!evalCreate(c, c->argv[2].ptr, c->argv[2].len, sha)) return;
    addReplyBulk(c, sha, 40);
}

void scriptExistsCommand(Client *c) {
    lua_State *L = evalState();
    addReplyArrayLen(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        bool found = false;
        if (c->argv[i].len == 40) {
            char sha[41];
            evalLowerSha(sha, &c->argv[i]);
            evalPushEntry(L, sha);
            found = !lua_isnil(L, -1);
            lua_pop(L, 1);
        }
        addReplyLongLong(c, found ? 1 : 0);
    }
}

void scriptFlushCommand(Client *c) {
    if (c->argc > 3 ||
        (c->argc == 3 && !argIs(&c->argv[2], "sync") && !argIs(&c->argv[2], "async"))) {
        addReplyError(c, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        return;
    }
    /* ASYNC (or no argument under lazyfree-lazy-user-flush) closes the old
     * state on the lazy free thread when it holds more than 64 scripts, as
     * Redis 7.0 frees its scripts dict. */
    bool lazy = c->argc == 3 ? argIs(&c->argv[2], "async") : config.lazyfreeLazyUserFlush;
    lazyfreeCloseLuaState(evalL, scriptCount, lazy);
    evalL = NULL;
    evalInitState();
    addReplyOk(c);
}

/* SCRIPT DEBUG: kvd has no Lua debugger (Redis's ldb); NO (the default) is
 * accepted, YES/SYNC are refused with a message saying so. */
void scriptDebugCommand(Client *c) {
    /* Redis 7.0 refuses while earlier replies to c are still unwritten: in
     * a pipeline and inside EXEC (its array header is pending). */
    if (dstrLen(c->reply) > c->replyPos) {
        addReplyError(c, "ERR SCRIPT DEBUG must be called outside a pipeline");
        return;
    }
    if (argIs(&c->argv[2], "no")) {
        addReplyOk(c);
    } else if (argIs(&c->argv[2], "yes") || argIs(&c->argv[2], "sync")) {
        addReplyError(c, "ERR SCRIPT DEBUG YES/SYNC is not supported: kvd has no Lua debugger");
    } else {
        addReplyError(c, "ERR Use SCRIPT DEBUG YES/SYNC/NO");
    }
}

void scriptKillCommand(Client *c) {
    scriptKill(c, true);
}

void scriptHelpCommand(Client *c) {
    static const char *help[] = {
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        NULL};
    addReplyHelp(c, help);
}
