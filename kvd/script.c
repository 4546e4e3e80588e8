/* script.c — the scripting engine shared by EVAL and functions (script.h):
 * Lua states and their sandbox, the `redis` API, Lua <-> RESP conversions,
 * running a script under the time limit, SCRIPT/FUNCTION KILL.
 *
 * Sandbox. Redis 7.0 patches its Lua with read-only tables; Debian's Lua 5.1
 * has no such thing, so the globals and each library table are replaced by
 * empty proxy tables whose metatable reads through to the real table
 * (raising "Script attempted to access nonexistent global variable" for a
 * missing global) and refuses every assignment ("Attempt to modify a
 * readonly table"). `next` (and so `pairs`) sees through a proxy, so
 * iterating _G or a library works as in Redis. The proxies' metatables are
 * locked (__metatable) so setmetatable cannot undo the protection.
 *
 * Commands a script calls are parsed back from the fake client's RESP reply
 * into Lua values (as Redis does), with a small reply parser below.
 */
#include "script.h"

#include "blocking.h"
#include "command.h"
#include "config.h"
#include "dispatch.h"
#include "evict.h"
#include "log.h"
#include "lua_libs.h"
#include "mem.h"
#include "propagate.h"
#include "rdb.h"
#include "reply.h"
#include "server.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Debian's lua-cjson and lua-bitop modules (linked by soname, Makefile). */
int luaopen_cjson(lua_State *L);
int luaopen_bit(lua_State *L);

const ScriptFlagName scriptFlagNames[] = {{SCRIPT_FLAG_NO_WRITES, "no-writes"},
                                          {SCRIPT_FLAG_ALLOW_OOM, "allow-oom"},
                                          {SCRIPT_FLAG_ALLOW_STALE, "allow-stale"},
                                          {SCRIPT_FLAG_NO_CLUSTER, "no-cluster"},
                                          {SCRIPT_FLAG_ALLOW_CROSS_SLOT, "allow-cross-slot-keys"},
                                          {0, NULL}};

#define HOOK_COUNT        100000 /* VM instructions between time checks, as Redis */
#define REPLY_MAX_DEPTH   256    /* nesting of a command reply turned into Lua */
#define LUA_TO_RESP_DEPTH 256

static ScriptRun *currentRun = NULL;
static bool disableDenyScripts = false;
/* Registry keys. */
static const char *const REG_PROXIES = "__kv_proxies"; /* proxy -> real table (weak) */

static long long scriptMonotonicMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void scriptSha1Hex(char *out, const char *p, size_t len) {
    static const char hex[] = "0123456789abcdef";
    unsigned char d[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char *)p, len, d);
    for (int i = 0; i < SHA_DIGEST_LENGTH; i++) {
        out[i * 2] = hex[d[i] >> 4];
        out[i * 2 + 1] = hex[d[i] & 15];
    }
    out[40] = '\0';
}

ScriptRun *scriptCurrentRun(void) {
    return currentRun;
}

bool scriptIsTimedOut(void) {
    return currentRun && currentRun->timedOut;
}

const char *scriptBusyError(void) {
    if (currentRun && !currentRun->isEval)
        return "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN "
               "NOSAVE.";
    return "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
}

void scriptSetDisableDenyScripts(bool on) {
    disableDenyScripts = on;
}

size_t scriptLuaMemory(lua_State *L) {
    if (!L) return 0;
    return (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
}

/* ------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------- */

void scriptPushError(lua_State *L, const char *msg, size_t len) {
    const char *code = "ERR";
    size_t codeLen = 3;
    if (len > 0 && msg[0] == '-') {
        const char *sp = memchr(msg, ' ', len);
        if (sp) {
            code = msg + 1;
            codeLen = (size_t)(sp - msg - 1);
            len -= (size_t)(sp + 1 - msg);
            msg = sp + 1;
        } else {
            msg++;
            len--;
        }
    }
    while (len > 0 && (msg[len - 1] == '\r' || msg[len - 1] == '\n')) len--;
    lua_newtable(L);
    lua_pushliteral(L, "err");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addlstring(&b, code, codeLen);
    luaL_addchar(&b, ' ');
    luaL_addlstring(&b, msg, len);
    luaL_pushresult(&b);
    lua_rawset(L, -3);
}

/* Raises the error table on top of the stack. */
static int scriptRaise(lua_State *L) {
    return lua_error(L);
}

/* Raises {err="ERR msg"} with no position in the message (Redis's
 * luaPushError + luaError: the handler adds script and line). */
static int scriptRaiseMsg(lua_State *L, const char *msg) {
    scriptPushError(L, msg, strlen(msg));
    return lua_error(L);
}

/* Marks the error table on top of the stack as already counted in the
 * error statistics (see scriptErrorCounted). */
static void scriptFlagErrorCounted(lua_State *L) {
    lua_pushliteral(L, "ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
}

/* True when the table on top of the stack carries that mark. */
static bool scriptErrorCounted(lua_State *L) {
    lua_pushliteral(L, "ignore_error_stats_update");
    lua_rawget(L, -2);
    bool counted = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return counted;
}

/* An error reply to the script's caller for an error already counted when
 * the command inside replied: not in errorstats again, but a failed call of
 * the script's command (run->countedErrors, see scriptRunFunction), as
 * Redis 7.0. CR/LF become spaces as in addReplyErrorLen. */
static void scriptReplyCountedError(Client *c, ScriptRun *run, const char *msg, size_t len) {
    dstr out = dstrCatLen(dstrNew("-"), msg, len);
    for (size_t i = 1; i < dstrLen(out); i++)
        if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    out = dstrCatLen(out, "\r\n", 2);
    addReplyRaw(c, out, dstrLen(out));
    dstrFree(out);
    run->countedErrors++;
}

/* pcall as Redis 7.0 redefines it: an error that is a table with an `err`
 * field is returned as that field (scripts written for Redis < 7, whose
 * errors were strings, keep working); anything else as Lua's pcall. With no
 * argument at all Redis ends up calling its own placeholder, hence the
 * message. */
static int scriptPcall(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc == 0) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "attempt to call a boolean value");
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "err");
            if (lua_isstring(L, -1))
                lua_replace(L, -2);
            else
                lua_pop(L, 1);
        }
        lua_pushboolean(L, 0);
        lua_replace(L, 1);
        lua_settop(L, 2);
    }
    return lua_gettop(L);
}

/* The message handler of every script call: turns the error into the table
 * {err=…, source=…, line=…} Redis 7.0 builds, locating the Lua code that
 * raised it (the caller of a C function such as redis.call or error). */
static int scriptErrorHandler(lua_State *L) {
    lua_Debug ar;
    bool found = false;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "nSl", &ar)) {
        found = true;
        if (strcmp(ar.what, "C") == 0)
            found = lua_getstack(L, 2, &ar) && lua_getinfo(L, "nSl", &ar);
    }
    if (!lua_istable(L, 1)) {
        const char *m = lua_tostring(L, 1);
        lua_newtable(L);
        lua_pushliteral(L, "err");
        lua_pushfstring(L, "ERR %s", m ? m : "(error object is not a string)");
        lua_rawset(L, -3);
        lua_replace(L, 1);
    }
    lua_settop(L, 1);
    if (found) {
        lua_pushliteral(L, "source");
        lua_pushstring(L, ar.source);
        lua_rawset(L, 1);
        lua_pushliteral(L, "line");
        lua_pushinteger(L, ar.currentline);
        lua_rawset(L, 1);
    }
    return 1;
}

/* ------------------------------------------------------------------------
 * Sandbox: read-only proxies
 * ---------------------------------------------------------------------- */

static int scriptReadonlyNewindex(lua_State *L) {
    return luaL_error(L, "Attempt to modify a readonly table");
}

/* __index of the globals proxy: upvalue 1 is the real global table. */
static int scriptGlobalsIndex(lua_State *L) {
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    if (!lua_isnil(L, -1)) return 1;
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                      name ? name : "?");
}

/* Replaces the value at the top of the stack (a table) with a read-only
 * proxy of it, remembered in the registry for `next`. */
static void scriptMakeProxy(lua_State *L, bool globals) {
    int real = lua_gettop(L);
    lua_newtable(L); /* proxy */
    lua_newtable(L); /* its metatable */
    lua_pushliteral(L, "__index");
    if (globals) {
        lua_pushvalue(L, real);
        lua_pushcclosure(L, scriptGlobalsIndex, 1);
    } else {
        lua_pushvalue(L, real);
    }
    lua_rawset(L, -3);
    lua_pushliteral(L, "__newindex");
    lua_pushcfunction(L, scriptReadonlyNewindex);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__metatable");
    lua_pushboolean(L, 0);
    lua_rawset(L, -3);
    lua_setmetatable(L, -2);
    /* registry[REG_PROXIES][proxy] = real */
    lua_getfield(L, LUA_REGISTRYINDEX, REG_PROXIES);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, real);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_replace(L, real);
}

/* next(t, k) that iterates the real table behind a proxy. */
static int scriptNext(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    lua_getfield(L, LUA_REGISTRYINDEX, REG_PROXIES);
    lua_pushvalue(L, 1);
    lua_rawget(L, -2);
    if (lua_istable(L, -1)) lua_replace(L, 1);
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int scriptPairs(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, lua_upvalueindex(1)); /* our next */
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

void scriptMakeStrictProxy(lua_State *L) {
    scriptMakeProxy(L, true);
}

void scriptSetGlobalsFallback(lua_State *L) {
    int top = lua_gettop(L);
    if (lua_isnil(L, top)) {
        lua_pop(L, 1);
        lua_getfield(L, LUA_REGISTRYINDEX, "__kv_real_globals");
    }
    lua_getfield(L, LUA_REGISTRYINDEX, "__kv_globals_index");
    lua_pushvalue(L, -2);
    lua_setupvalue(L, -2, 1);
    lua_settop(L, top - 1);
}

void scriptProtectGlobals(lua_State *L) {
    static const char *const libs[] = {"redis", "string", "table",    "math",      "cjson",
                                       "bit",   "struct", "cmsgpack", "coroutine", NULL};
    /* Library tables first, while the globals are still writable. */
    for (int i = 0; libs[i]; i++) {
        lua_getglobal(L, libs[i]);
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -1);
        scriptMakeProxy(L, false);
        /* The string metatable's __index must be the proxy too. */
        if (strcmp(libs[i], "string") == 0) {
            lua_pushliteral(L, "");
            if (lua_getmetatable(L, -1)) {
                lua_pushliteral(L, "__index");
                lua_pushvalue(L, -4);
                lua_rawset(L, -3);
                lua_pushliteral(L, "__metatable");
                lua_pushboolean(L, 0);
                lua_rawset(L, -3);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_setglobal(L, libs[i]);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_pushvalue(L, -1);
    scriptMakeProxy(L, true); /* stack: real, proxy */
    lua_pushliteral(L, "_G");
    lua_pushvalue(L, -2);
    lua_rawset(L, -4); /* real._G = proxy */
    lua_replace(L, LUA_GLOBALSINDEX);
    /* The proxy's __index closure, for scriptSetGlobalsFallback. */
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index");
    lua_setfield(L, LUA_REGISTRYINDEX, "__kv_globals_index");
    lua_pop(L, 2);
    /* Keep the real table reachable for scriptSetGlobalRaw. */
    lua_setfield(L, LUA_REGISTRYINDEX, "__kv_real_globals");
}

void scriptSetGlobalRaw(lua_State *L, const char *name) {
    lua_getfield(L, LUA_REGISTRYINDEX, "__kv_real_globals");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_setglobal(L, name);
        return;
    }
    lua_pushstring(L, name);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 2);
}

/* ------------------------------------------------------------------------
 * math.random: Redis's rand48. Redis 7.0 starts it from rand48's static
 * state (never seeded) and shares it between EVAL and functions; only
 * math.randomseed reseeds it. So the sequence is reproducible from a fresh
 * server, as in Redis.
 * ---------------------------------------------------------------------- */

static unsigned long long rand48State = 0x1234ABCD330EULL;

void scriptRandSeed(long seed) {
    rand48State = ((unsigned long long)(unsigned int)seed << 16) | 0x330E;
}

static long scriptRand48(void) {
    rand48State = (0x5DEECE66DULL * rand48State + 0xB) & ((1ULL << 48) - 1);
    return (long)(rand48State >> 17);
}

static int scriptMathRandom(lua_State *L) {
    const long max = 2147483647L;
    lua_Number r = (lua_Number)(scriptRand48() % max) / (lua_Number)max;
    switch (lua_gettop(L)) {
        case 0: lua_pushnumber(L, r); break;
        case 1: {
            int u = luaL_checkint(L, 1);
            luaL_argcheck(L, 1 <= u, 1, "interval is empty");
            lua_pushnumber(L, floor(r * u) + 1);
            break;
        }
        case 2: {
            int l = luaL_checkint(L, 1);
            int u = luaL_checkint(L, 2);
            luaL_argcheck(L, l <= u, 2, "interval is empty");
            lua_pushnumber(L, floor(r * (u - l + 1)) + l);
            break;
        }
        default: return luaL_error(L, "wrong number of arguments");
    }
    return 1;
}

static int scriptMathRandomseed(lua_State *L) {
    scriptRandSeed((long)luaL_checkint(L, 1));
    return 0;
}

/* ------------------------------------------------------------------------
 * Command reply (RESP) -> Lua
 * ---------------------------------------------------------------------- */

typedef struct ReplyReader {
    const char *p, *end;
} ReplyReader;

static bool readerLine(ReplyReader *r, const char **s, size_t *len) {
    const char *nl = memchr(r->p, '\r', (size_t)(r->end - r->p));
    if (!nl || nl + 1 >= r->end) return false;
    *s = r->p;
    *len = (size_t)(nl - r->p);
    r->p = nl + 2;
    return true;
}

static long long readerNumber(const char *s, size_t len) {
    char buf[32];
    if (len >= sizeof(buf)) len = sizeof(buf) - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return strtoll(buf, NULL, 10);
}

static bool scriptReplyToLua(lua_State *L, ReplyReader *r, int depth);

static bool scriptAggregateToLua(lua_State *L, ReplyReader *r, int depth, char type, long long n) {
    if (type == '%' || type == '~') {
        lua_newtable(L);
        lua_pushstring(L, type == '%' ? "map" : "set");
        lua_newtable(L);
        for (long long i = 0; i < n; i++) {
            if (!scriptReplyToLua(L, r, depth + 1)) return false;
            if (type == '%') {
                if (!scriptReplyToLua(L, r, depth + 1)) return false;
            } else {
                lua_pushboolean(L, 1);
            }
            lua_settable(L, -3);
        }
        lua_settable(L, -3);
        return true;
    }
    lua_newtable(L);
    for (long long i = 0; i < n; i++) {
        lua_pushnumber(L, (lua_Number)(i + 1));
        if (!scriptReplyToLua(L, r, depth + 1)) return false;
        lua_settable(L, -3);
    }
    return true;
}

/* Pushes one reply read from r, as Redis 7.0 converts it. */
static bool scriptReplyToLua(lua_State *L, ReplyReader *r, int depth) {
    if (depth > REPLY_MAX_DEPTH || !lua_checkstack(L, 8) || r->p >= r->end) return false;
    char type = *r->p++;
    const char *s;
    size_t len;
    if (!readerLine(r, &s, &len)) return false;
    switch (type) {
        case ':': lua_pushnumber(L, (lua_Number)readerNumber(s, len)); return true;
        case '+':
        case '-':
            lua_newtable(L);
            lua_pushstring(L, type == '+' ? "ok" : "err");
            lua_pushlstring(L, s, len);
            lua_settable(L, -3);
            /* Counted when the command replied: not again if the script
             * returns or raises this table (Redis 7.0's field, visible to
             * scripts as in Redis). */
            if (type == '-') scriptFlagErrorCounted(L);
            return true;
        case '$':
        case '=': {
            long long n = readerNumber(s, len);
            if (n < 0) {
                lua_pushboolean(L, 0);
                return true;
            }
            if ((long long)(r->end - r->p) < n + 2) return false;
            if (type == '=' && n >= 4) {
                lua_newtable(L);
                lua_pushliteral(L, "verbatim_string");
                lua_newtable(L);
                lua_pushliteral(L, "string");
                lua_pushlstring(L, r->p + 4, (size_t)n - 4);
                lua_settable(L, -3);
                lua_pushliteral(L, "format");
                lua_pushlstring(L, r->p, 3);
                lua_settable(L, -3);
                lua_settable(L, -3);
            } else {
                lua_pushlstring(L, r->p, (size_t)n);
            }
            r->p += n + 2;
            return true;
        }
        case '*':
        case '%':
        case '~':
        case '>': {
            long long n = readerNumber(s, len);
            if (n < 0) {
                lua_pushboolean(L, 0);
                return true;
            }
            return scriptAggregateToLua(L, r, depth, type == '>' ? '*' : type, n);
        }
        case '_': lua_pushnil(L); return true;
        case '#': lua_pushboolean(L, len > 0 && s[0] == 't'); return true;
        case ',': {
            char buf[128];
            size_t n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
            memcpy(buf, s, n);
            buf[n] = '\0';
            lua_newtable(L);
            lua_pushliteral(L, "double");
            lua_pushnumber(L, strtod(buf, NULL));
            lua_settable(L, -3);
            return true;
        }
        case '(':
            lua_newtable(L);
            lua_pushliteral(L, "big_number");
            lua_pushlstring(L, s, len);
            lua_settable(L, -3);
            return true;
        case '|': {
            /* Attributes are read and dropped; the reply that follows counts. */
            long long n = readerNumber(s, len);
            for (long long i = 0; i < n * 2; i++) {
                if (!scriptReplyToLua(L, r, depth + 1)) return false;
                lua_pop(L, 1);
            }
            return scriptReplyToLua(L, r, depth);
        }
        default: return false;
    }
}

/* ------------------------------------------------------------------------
 * Lua -> reply to the caller
 * ---------------------------------------------------------------------- */

/* Field k of the table at the top, raw, as its type (value pushed). */
static int scriptRawField(lua_State *L, const char *k) {
    lua_pushstring(L, k);
    lua_rawget(L, -2);
    return lua_type(L, -1);
}

static void scriptReplyNoCrLf(Client *c, const char *s, size_t len, bool error) {
    if (error) {
        addReplyErrorLen(c, s, len); /* replaces CR/LF itself */
        return;
    }
    char *copy = kvStrndup(s, len);
    for (size_t i = 0; i < len; i++)
        if (copy[i] == '\r' || copy[i] == '\n') copy[i] = ' ';
    addReplyStatusLen(c, copy, len);
    kvFree(copy);
}

static void scriptLuaToReply(lua_State *L, Client *c, ScriptRun *run, int depth) {
    if (depth > LUA_TO_RESP_DEPTH || !lua_checkstack(L, 4)) {
        addReplyError(c, "ERR reached lua stack limit");
        lua_pop(L, 1);
        return;
    }
    switch (lua_type(L, -1)) {
        case LUA_TSTRING: {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            addReplyBulk(c, s, len);
            break;
        }
        case LUA_TBOOLEAN:
            /* Scripts in RESP2 mode keep the 2.6 conversion (false -> nil). */
            if (run->resp == 2) {
                if (lua_toboolean(L, -1))
                    addReplyLongLong(c, 1);
                else
                    addReplyNull(c);
            } else {
                addReplyBool(c, lua_toboolean(L, -1));
            }
            break;
        case LUA_TNUMBER: addReplyLongLong(c, (long long)lua_tonumber(L, -1)); break;
        case LUA_TTABLE: {
            size_t len;
            if (scriptRawField(L, "err") == LUA_TSTRING) {
                const char *s = lua_tolstring(L, -1, &len);
                lua_pop(L, 1);
                if (scriptErrorCounted(L))
                    scriptReplyCountedError(c, run, s, len);
                else
                    scriptReplyNoCrLf(c, s, len, true);
                break;
            }
            lua_pop(L, 1);
            if (scriptRawField(L, "ok") == LUA_TSTRING) {
                const char *s = lua_tolstring(L, -1, &len);
                scriptReplyNoCrLf(c, s, len, false);
                lua_pop(L, 1);
                break;
            }
            lua_pop(L, 1);
            if (scriptRawField(L, "double") == LUA_TNUMBER) {
                addReplyDouble(c, lua_tonumber(L, -1));
                lua_pop(L, 1);
                break;
            }
            lua_pop(L, 1);
            if (scriptRawField(L, "big_number") == LUA_TSTRING) {
                const char *s = lua_tolstring(L, -1, &len);
                char *copy = kvStrndup(s, len);
                for (size_t i = 0; i < len; i++)
                    if (copy[i] == '\r' || copy[i] == '\n') copy[i] = ' ';
                addReplyBigNum(c, copy, len);
                kvFree(copy);
                lua_pop(L, 1);
                break;
            }
            lua_pop(L, 1);
            if (scriptRawField(L, "map") == LUA_TTABLE) {
                size_t h = addReplyDeferredLen(c);
                long long n = 0;
                lua_pushnil(L);
                while (lua_next(L, -2)) {
                    lua_pushvalue(L, -2); /* key copy on top */
                    scriptLuaToReply(L, c, run, depth + 1);
                    scriptLuaToReply(L, c, run, depth + 1); /* value, popped */
                    n++;
                }
                setDeferredMapLen(c, h, n);
                lua_pop(L, 1);
                break;
            }
            lua_pop(L, 1);
            if (scriptRawField(L, "set") == LUA_TTABLE) {
                size_t h = addReplyDeferredLen(c);
                long long n = 0;
                lua_pushnil(L);
                while (lua_next(L, -2)) {
                    lua_pop(L, 1);
                    lua_pushvalue(L, -1);
                    scriptLuaToReply(L, c, run, depth + 1);
                    n++;
                }
                setDeferredSetLen(c, h, n);
                lua_pop(L, 1);
                break;
            }
            lua_pop(L, 1);
            /* An array: stops at the first nil. */
            size_t h = addReplyDeferredLen(c);
            long long n = 0;
            for (int j = 1;; j++) {
                lua_rawgeti(L, -1, j);
                if (lua_isnil(L, -1)) {
                    lua_pop(L, 1);
                    break;
                }
                scriptLuaToReply(L, c, run, depth + 1);
                n++;
            }
            setDeferredArrayLen(c, h, n);
            break;
        }
        default: addReplyNull(c); break;
    }
    lua_pop(L, 1);
}

/* ------------------------------------------------------------------------
 * redis.call / redis.pcall
 * ---------------------------------------------------------------------- */

/* Runs argv on the fake client after the checks Redis makes for scripts.
 * Returns NULL when it ran (its reply is in fake->reply), else the error. */
/* A call the script may not make: counted now as Redis counts a refused
 * command (errorstats, and rejected_calls of a known command); the error
 * table the script receives is marked as counted. err is "msg" (code ERR)
 * or "-CODE msg". Returns err. */
static const char *scriptRejectCall(ScriptRun *run, Command *cmd, const char *err) {
    if (cmd) cmd->rejectedCalls++;
    dstr full = err[0] == '-' ? dstrNew(err + 1) : dstrCatPrintf(dstrEmpty(), "ERR %s", err);
    /* The fake client is not the dispatched one: errorstats only. */
    addReplyErrorLen(run->fake, full, dstrLen(full));
    dstrClear(run->fake->reply);
    dstrFree(full);
    return err;
}

/* Runs argv on the fake client after the checks Redis makes for scripts.
 * Returns NULL when it ran (its reply is in fake->reply), else the error
 * ("msg" or "-CODE msg"), already counted (scriptRejectCall). */
static const char *scriptCallCommand(ScriptRun *run, int argc, Arg *argv) {
    static char misconf[512];
    Client *fc = run->fake;
    fc->argc = argc;
    fc->argv = argv;
    Command *cmd = commandLookupFull(argc, argv, &(bool){false});
    if (!cmd || cmd->disabled)
        return scriptRejectCall(run, NULL, "Unknown Redis command called from script");
    if ((cmd->parent && !((cmd->parent->arity > 0 && cmd->parent->arity == argc) ||
                          (cmd->parent->arity < 0 && argc >= -cmd->parent->arity))) ||
        !((cmd->arity > 0 && cmd->arity == argc) || (cmd->arity < 0 && argc >= -cmd->arity)))
        return scriptRejectCall(run, cmd, "Wrong number of args calling Redis command from script");
    if (!disableDenyScripts && (cmd->flags & CMD_NOSCRIPT))
        return scriptRejectCall(run, cmd, "This Redis command is not allowed from script");
    if (cmd->flags & CMD_WRITE) {
        if (run->readOnly)
            return scriptRejectCall(run, cmd,
                                    "Write commands are not allowed from read-only scripts.");
        if (!rdbWritesAllowed()) {
            snprintf(misconf, sizeof(misconf), "-%s", rdbMisconfError);
            return scriptRejectCall(run, cmd, misconf);
        }
    }
    if (!run->allowOom && !run->wroteData && run->oomAtStart && (cmd->flags & CMD_DENYOOM))
        return scriptRejectCall(run, cmd,
                                "-OOM command not allowed when used memory > 'maxmemory'.");
    if (cmd->flags & CMD_WRITE) run->wroteData = true;
    fc->cmd = cmd;
    fc->resp = run->resp;
    dstrClear(fc->reply);
    int prevTargets = propagateSetTargets(run->replTargets);
    unsigned long long errorsBefore = replyTotalErrors();
    callCommand(fc, CALL_FULL);
    propagateSetTargets(prevTargets);
    /* The error replies were counted in errorstats; the fake client is not
     * the dispatched one, so failed_calls is counted here, once a call. */
    if (replyTotalErrors() != errorsBefore) cmd->failedCalls++;
    return NULL;
}

static int scriptRedisGenericCall(lua_State *L, bool raise) {
    ScriptRun *run = currentRun;
    int argc = lua_gettop(L);
    if (!run) {
        scriptPushError(L, "redis.call/pcall can only be called inside a script invocation",
                        strlen("redis.call/pcall can only be called inside a script invocation"));
        return raise ? scriptRaise(L) : 1;
    }
    if (argc == 0) {
        const char *m = "Please specify at least one argument for this redis lib call";
        scriptPushError(L, m, strlen(m));
        return raise ? scriptRaise(L) : 1;
    }
    /* Copy the arguments, numbers as Redis 7.0 formats them (%.17g), into
     * one block: the Arg array, then each argument NUL-terminated. Numbers
     * are first turned into Lua strings in place (the formatting is ours:
     * Lua's own would be %.14g) so that one sizing pass sees every length. */
    const char *err = NULL;
    size_t bytes = 0;
    for (int j = 1; j <= argc; j++) {
        int t = lua_type(L, j);
        if (t == LUA_TNUMBER) {
            char buf[64];
            int n = snprintf(buf, sizeof(buf), "%.17g", (double)lua_tonumber(L, j));
            lua_pushlstring(L, buf, (size_t)n);
            lua_replace(L, j);
        } else if (t != LUA_TSTRING) {
            err = "Lua redis lib command arguments must be strings or integers";
            break;
        }
        size_t len;
        lua_tolstring(L, j, &len);
        bytes += len + 1;
    }
    Arg *argv = NULL;
    bool refused = false;
    if (!err) {
        argv = kvMalloc(sizeof(Arg) * (size_t)argc + bytes);
        char *p = (char *)(argv + argc);
        for (int j = 0; j < argc; j++) {
            size_t len;
            const char *s = lua_tolstring(L, j + 1, &len);
            memcpy(p, s, len);
            p[len] = '\0';
            argv[j].ptr = p;
            argv[j].len = len;
            p += len + 1;
        }
        err = scriptCallCommand(run, argc, argv);
        refused = err != NULL;
    }
    kvFree(argv);
    run->fake->argv = NULL;
    run->fake->argc = 0;
    if (err) {
        scriptPushError(L, err, strlen(err));
        if (refused) scriptFlagErrorCounted(L);
        return raise ? scriptRaise(L) : 1;
    }
    ReplyReader r = {run->fake->reply, run->fake->reply + dstrLen(run->fake->reply)};
    int top = lua_gettop(L);
    if (!scriptReplyToLua(L, &r, 0)) {
        lua_settop(L, top);
        lua_pushnil(L);
    }
    dstrClear(run->fake->reply);
    if (raise && lua_istable(L, -1)) {
        lua_pushliteral(L, "err");
        lua_rawget(L, -2);
        bool isErr = lua_isstring(L, -1);
        lua_pop(L, 1);
        if (isErr) return scriptRaise(L);
    }
    return 1;
}

static int scriptRedisCall(lua_State *L) {
    return scriptRedisGenericCall(L, true);
}

static int scriptRedisPcall(lua_State *L) {
    return scriptRedisGenericCall(L, false);
}

/* ------------------------------------------------------------------------
 * The rest of the redis table
 * ---------------------------------------------------------------------- */

static int scriptRedisSha1hex(lua_State *L) {
    if (lua_gettop(L) != 1) return scriptRaiseMsg(L, "wrong number of arguments");
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    char hex[41];
    scriptSha1Hex(hex, s ? s : "", s ? len : 0);
    lua_pushstring(L, hex);
    return 1;
}

/* redis.error_reply / redis.status_reply */
static int scriptRedisReturnSingleField(lua_State *L, const char *field) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        scriptPushError(L, "wrong number or type of arguments",
                        strlen("wrong number or type of arguments"));
        return 1;
    }
    lua_newtable(L);
    lua_pushstring(L, field);
    lua_pushvalue(L, -3);
    lua_settable(L, -3);
    return 1;
}

static int scriptRedisErrorReply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        scriptPushError(L, "wrong number or type of arguments",
                        strlen("wrong number or type of arguments"));
        return 1;
    }
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (len > 0 && s[0] == '-') {
        scriptPushError(L, s, len);
    } else {
        lua_pushfstring(L, "-%s", s);
        size_t l2;
        const char *t = lua_tolstring(L, -1, &l2);
        scriptPushError(L, t, l2);
    }
    return 1;
}

static int scriptRedisStatusReply(lua_State *L) {
    return scriptRedisReturnSingleField(L, "ok");
}

static int scriptRedisLog(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc < 2) return scriptRaiseMsg(L, "redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1))
        return scriptRaiseMsg(L, "First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LL_DEBUG || level > LL_WARNING) return scriptRaiseMsg(L, "Invalid debug level.");
    if (level < config.loglevel) return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int j = 2; j <= argc; j++) {
        size_t len;
        const char *s = lua_tolstring(L, j, &len);
        if (!s) continue;
        if (j != 2) luaL_addchar(&b, ' ');
        luaL_addlstring(&b, s, len);
    }
    luaL_pushresult(&b);
    logMsg(level, "%s", lua_tostring(L, -1));
    return 0;
}

int scriptRedisLogFunction(lua_State *L) {
    return scriptRedisLog(L);
}

static int scriptRedisSetresp(lua_State *L) {
    ScriptRun *run = currentRun;
    if (!run)
        return scriptRaiseMsg(L, "redis.setresp can only be called inside a script invocation");
    if (lua_gettop(L) != 1) return scriptRaiseMsg(L, "redis.setresp() requires one argument.");
    int resp = (int)lua_tonumber(L, 1);
    if (resp != 2 && resp != 3) return scriptRaiseMsg(L, "RESP version must be 2 or 3.");
    run->resp = resp;
    return 0;
}

/* redis.set_repl(flags): where the script's following calls propagate.
 * A non-number argument reads as 0 (REPL_NONE), as Redis's lua_tonumber. */
static int scriptRedisSetRepl(lua_State *L) {
    ScriptRun *run = currentRun;
    if (!run)
        return scriptRaiseMsg(L, "redis.set_repl can only be called inside a script invocation");
    /* "two" for one argument: Redis 7.0's message, matched on purpose. */
    if (lua_gettop(L) != 1) return scriptRaiseMsg(L, "redis.set_repl() requires two arguments.");
    int flags = (int)lua_tonumber(L, 1);
    if ((flags & ~PROPAGATE_ALL) != 0)
        return scriptRaiseMsg(
            L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    run->replTargets = flags;
    return 0;
}

static int scriptRedisReplicateCommands(lua_State *L) {
    lua_pushboolean(L, 1);
    return 1;
}

/* redis.acl_check_cmd(cmd, args…): whether the script's user may run the
 * command. kvd has no ACL users yet: every known command is allowed. */
static int scriptRedisAclCheckCmd(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc == 0)
        return scriptRaiseMsg(L, "Please specify at least one argument for this redis lib call");
    size_t len;
    const char *name = lua_tolstring(L, 1, &len);
    if (!name || !commandLookup(name, len))
        return scriptRaiseMsg(L, "Invalid command passed to redis.acl_check_cmd()");
    lua_pushboolean(L, 1);
    return 1;
}

static int scriptRedisNoop(lua_State *L) {
    (void)L;
    return 0;
}

static void scriptSetNumberField(lua_State *L, const char *k, lua_Number v) {
    lua_pushstring(L, k);
    lua_pushnumber(L, v);
    lua_settable(L, -3);
}

static void scriptSetFuncField(lua_State *L, const char *k, lua_CFunction f) {
    lua_pushstring(L, k);
    lua_pushcfunction(L, f);
    lua_settable(L, -3);
}

static void scriptRegisterRedis(lua_State *L) {
    lua_newtable(L);
    scriptSetFuncField(L, "call", scriptRedisCall);
    scriptSetFuncField(L, "pcall", scriptRedisPcall);
    scriptSetFuncField(L, "log", scriptRedisLog);
    scriptSetNumberField(L, "LOG_DEBUG", LL_DEBUG);
    scriptSetNumberField(L, "LOG_VERBOSE", LL_VERBOSE);
    scriptSetNumberField(L, "LOG_NOTICE", LL_NOTICE);
    scriptSetNumberField(L, "LOG_WARNING", LL_WARNING);
    scriptSetFuncField(L, "setresp", scriptRedisSetresp);
    scriptSetFuncField(L, "set_repl", scriptRedisSetRepl);
    scriptSetFuncField(L, "replicate_commands", scriptRedisReplicateCommands);
    scriptSetNumberField(L, "REPL_NONE", PROPAGATE_NONE);
    scriptSetNumberField(L, "REPL_AOF", PROPAGATE_AOF);
    scriptSetNumberField(L, "REPL_SLAVE", PROPAGATE_REPLICA);
    scriptSetNumberField(L, "REPL_REPLICA", PROPAGATE_REPLICA);
    scriptSetNumberField(L, "REPL_ALL", PROPAGATE_ALL);
    scriptSetFuncField(L, "sha1hex", scriptRedisSha1hex);
    scriptSetFuncField(L, "acl_check_cmd", scriptRedisAclCheckCmd);
    scriptSetFuncField(L, "error_reply", scriptRedisErrorReply);
    scriptSetFuncField(L, "status_reply", scriptRedisStatusReply);
    /* Outside the script debugger both are no-ops in Redis. */
    scriptSetFuncField(L, "breakpoint", scriptRedisNoop);
    scriptSetFuncField(L, "debug", scriptRedisNoop);
    lua_pushliteral(L, "REDIS_VERSION");
    lua_pushstring(L, KV_VERSION);
    lua_settable(L, -3);
    /* 0x00MMmmpp of the version we speak for. */
    scriptSetNumberField(L, "REDIS_VERSION_NUM", (7 << 16) | (0 << 8) | 15);
    lua_setglobal(L, "redis");
}

/* ------------------------------------------------------------------------
 * State creation
 * ---------------------------------------------------------------------- */

static void scriptOpenLib(lua_State *L, lua_CFunction fn, const char *name) {
    lua_pushcfunction(L, fn);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_istable(L, -1) && name[0]) {
        lua_setglobal(L, name);
    } else {
        lua_pop(L, 1);
    }
}

lua_State *scriptCreateState(void) {
    lua_State *L = luaL_newstate();
    if (!L) return NULL;
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "__mode");
    lua_pushliteral(L, "k");
    lua_rawset(L, -3);
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_PROXIES);

    scriptOpenLib(L, luaopen_base, "");
    scriptOpenLib(L, luaopen_table, LUA_TABLIBNAME);
    scriptOpenLib(L, luaopen_string, LUA_STRLIBNAME);
    scriptOpenLib(L, luaopen_math, LUA_MATHLIBNAME);
    scriptOpenLib(L, luaopen_cjson, "cjson");
    scriptOpenLib(L, luaopen_bit, "bit");
    scriptOpenLib(L, luaopenStruct, "struct");
    scriptOpenLib(L, luaopenCmsgpack, "cmsgpack");
    /* What Redis leaves out of the base library. */
    static const char *const removed[] = {"dofile",   "loadfile", "print",   "getfenv", "setfenv",
                                          "newproxy", "module",   "require", "package", NULL};
    for (int i = 0; removed[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, removed[i]);
    }
    lua_getglobal(L, "math");
    scriptSetFuncField(L, "random", scriptMathRandom);
    scriptSetFuncField(L, "randomseed", scriptMathRandomseed);
    lua_pop(L, 1);
    lua_pushcfunction(L, scriptNext);
    lua_pushvalue(L, -1);
    lua_setglobal(L, "next");
    lua_pushcclosure(L, scriptPairs, 1);
    lua_setglobal(L, "pairs");
    lua_pushcfunction(L, scriptPcall);
    lua_setglobal(L, "pcall");
    scriptRegisterRedis(L);
    lua_pushcfunction(L, scriptErrorHandler);
    lua_setfield(L, LUA_REGISTRYINDEX, "__kv_errh");
    return L;
}

void scriptCloseState(lua_State *L) {
    if (L) lua_close(L);
}

bool scriptShebangWord(const char *line, size_t len, size_t *pos, const char **w, size_t *wl) {
    size_t i = *pos;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i >= len) {
        *pos = len;
        return false;
    }
    size_t j = i;
    while (j < len && line[j] != ' ' && line[j] != '\t') j++;
    *w = line + i;
    *wl = j - i;
    *pos = j;
    return true;
}

bool scriptParseFlagList(const char *s, size_t len, int *flags, dstr *bad) {
    size_t i = 0;
    while (i <= len && len > 0) {
        size_t j = i;
        while (j < len && s[j] != ',') j++;
        const ScriptFlagName *f;
        for (f = scriptFlagNames; f->name; f++)
            if (strlen(f->name) == j - i && memcmp(f->name, s + i, j - i) == 0) break;
        if (!f->name) {
            if (bad) *bad = dstrNewLen(s + i, j - i);
            return false;
        }
        *flags |= f->flag;
        i = j + 1;
    }
    return true;
}

/* ------------------------------------------------------------------------
 * Running
 * ---------------------------------------------------------------------- */

static const char *const oomError = "OOM command not allowed when used memory > 'maxmemory'.";

bool scriptPrepareRun(ScriptRun *run, Client *caller, const char *funcname, int flags,
                      bool roCommand, bool isEval) {
    memset(run, 0, sizeof(*run));
    /* Redis's pre-command OOM state: what eviction left before the command
     * (EVAL, FCALL…) started. */
    bool oom = config.maxmemory > 0 && evictCommandStartOom();
    if (!(flags & SCRIPT_FLAG_EVAL_COMPAT_MODE)) {
        if (!(flags & SCRIPT_FLAG_NO_WRITES)) {
            if (!rdbWritesAllowed()) {
                addReplyError(caller, "MISCONF Redis is configured to save RDB snapshots, but it's "
                                      "currently unable to persist to disk. Writable scripts are "
                                      "blocked. Use 'no-writes' flag for read only scripts.");
                return false;
            }
            if (roCommand) {
                addReplyError(caller,
                              "ERR Can not execute a script with write flag using *_ro command.");
                return false;
            }
        }
        /* Checked before the command ran in Redis (the script's flags make
         * the call deny-oom), hence the generic message. */
        if (oom && !(flags & (SCRIPT_FLAG_ALLOW_OOM | SCRIPT_FLAG_NO_WRITES))) {
            addReplyError(caller, oomError);
            return false;
        }
        run->allowOom = true;
    }
    run->caller = caller;
    run->funcname = funcname;
    run->isEval = isEval;
    run->readOnly = roCommand || (flags & SCRIPT_FLAG_NO_WRITES);
    run->oomAtStart = oom;
    run->resp = 2;
    run->replTargets = PROPAGATE_ALL;
    return true;
}

static void scriptTimedOutStart(ScriptRun *run) {
    run->timedOut = true;
    logMsg(LL_WARNING,
           "Slow script detected: still in execution after %lld milliseconds. You can try killing "
           "the script using the %s command. Script name is: %s.",
           scriptMonotonicMs() - run->startMs, run->isEval ? "SCRIPT KILL" : "FUNCTION KILL",
           run->funcname);
    /* The caller's further input waits: its argv points into its buffer. */
    if (run->caller && run->caller->fd != -1) event_del(&run->caller->readEvent);
}

static void scriptHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    ScriptRun *run = currentRun;
    if (!run) return;
    long long elapsed = scriptMonotonicMs() - run->startMs;
    if (!run->timedOut && elapsed >= config.busyReplyThreshold) scriptTimedOutStart(run);
    if (run->timedOut) serverProcessEventsWhileBusy();
    if (run->killed) {
        logMsg(LL_WARNING, "Lua script killed by user with SCRIPT KILL.");
        /* Every line raises from now on, so pcall cannot swallow it. */
        lua_sethook(L, scriptHook, LUA_MASKLINE, 0);
        const char *m = "Script killed by user with SCRIPT KILL...";
        scriptPushError(L, m, strlen(m));
        lua_error(L);
    }
}

/* Builds the caller's error reply from the error object on top. */
static void scriptReplyRunError(lua_State *L, ScriptRun *run) {
    Client *c = run->caller;
    if (!lua_istable(L, -1)) {
        const char *m = lua_tostring(L, -1);
        addReplyErrorFormat(c, "ERR Error running script %s, %.100s", run->funcname,
                            m ? m : "execution failure");
        return;
    }
    lua_pushliteral(L, "err");
    lua_rawget(L, -2);
    const char *msg = lua_tostring(L, -1);
    lua_pushliteral(L, "source");
    lua_rawget(L, -3);
    const char *source = lua_tostring(L, -1);
    lua_pushliteral(L, "line");
    lua_rawget(L, -4);
    const char *line = lua_tostring(L, -1);
    lua_pushvalue(L, -4);
    bool counted = scriptErrorCounted(L);
    lua_pop(L, 1);
    if (!msg) {
        addReplyErrorFormat(c, "ERR Error running script %s, %.100s", run->funcname,
                            "execution failure");
    } else if (counted) {
        dstr m = source && line ? dstrCatPrintf(dstrEmpty(), "%s script: %s, on %s:%s.", msg,
                                                run->funcname, source, line)
                                : dstrNew(msg);
        scriptReplyCountedError(c, run, m, dstrLen(m));
        dstrFree(m);
    } else if (source && line) {
        addReplyErrorFormat(c, "%s script: %s, on %s:%s.", msg, run->funcname, source, line);
    } else {
        addReplyError(c, msg);
    }
    lua_pop(L, 3);
}

/* The scripts' fake client, kept between runs as Redis keeps its Lua client
 * (same id every run); a run starting while it is in use gets its own. */
static Client *scriptFake = NULL;
static bool scriptFakeBusy = false;

/* Runs between LUA_GC_CYCLE_PERIOD garbage collector steps (Redis's value:
 * a step of that size every that many runs). */
#define LUA_GC_CYCLE_PERIOD 50

void scriptRunFunction(lua_State *L, ScriptRun *run, int nargs) {
    Client *fake;
    bool shared = !scriptFakeBusy;
    if (shared) {
        if (!scriptFake) scriptFake = clientCreateFake();
        fake = scriptFake;
        scriptFakeBusy = true;
        fake->flags = CLIENT_FAKE;
        fake->resp = 2;
        fake->cmd = NULL;
        dstrClear(fake->reply);
    } else {
        fake = clientCreateFake();
    }
    fake->db = run->caller->db;
    /* CLIENT_SCRIPT: MONITOR shows its calls as "[db lua]". */
    fake->flags |= CLIENT_PROTECTED | CLIENT_SCRIPT;
    run->fake = fake;
    run->startMs = scriptMonotonicMs();
    currentRun = run;
    /* The script's own call propagates nothing: its effects do. */
    propagatePrevent(run->caller);
    blockingDenyBegin();
    int base = lua_gettop(L) - nargs; /* the function's slot */
    lua_pushcfunction(L, scriptErrorHandler);
    lua_insert(L, base);
    lua_sethook(L, scriptHook, LUA_MASKCOUNT, HOOK_COUNT);
    int rc = lua_pcall(L, nargs, 1, base);
    lua_sethook(L, NULL, 0, 0);
    /* failed_calls of EVAL/FCALL as Redis 7.0 counts them: one for each
     * already-counted error in the reply, plus one if the reply holds any
     * other error (addReplyError counts each; folded back to one). */
    Command *cmd = run->caller->cmd;
    unsigned long long failedBefore = cmd ? cmd->failedCalls : 0;
    run->countedErrors = 0;
    if (rc != 0) {
        scriptReplyRunError(L, run);
    } else {
        scriptLuaToReply(L, run->caller, run, 0);
        lua_pushnil(L); /* keep the stack shape: one value to pop below */
    }
    if (cmd) {
        bool otherErrors = cmd->failedCalls != failedBefore;
        cmd->failedCalls = failedBefore + run->countedErrors + (otherErrors ? 1 : 0);
    }
    lua_settop(L, base - 1);
    blockingDenyEnd();
    if (run->timedOut && run->caller->fd != -1 && !(run->caller->flags & CLIENT_CLOSE_ASAP))
        event_add(&run->caller->readEvent, NULL);
    currentRun = NULL;
    fake->flags &= ~(uint64_t)CLIENT_PROTECTED;
    fake->argv = NULL;
    fake->argc = 0;
    if (shared) {
        dstrClear(fake->reply);
        /* Give back a reply buffer a big call result left grown. */
        if (dstrAllocSize(fake->reply) > 64 * 1024) {
            dstrFree(fake->reply);
            fake->reply = dstrWithCapacity(256);
        }
        scriptFakeBusy = false;
    } else {
        clientFree(fake);
    }
    run->fake = NULL;
    /* Free what the script left behind, a step at a time, as Redis does:
     * every LUA_GC_CYCLE_PERIOD runs a step of that size. */
    static unsigned gcCountdown = LUA_GC_CYCLE_PERIOD;
    if (--gcCountdown == 0) {
        lua_gc(L, LUA_GCSTEP, LUA_GC_CYCLE_PERIOD);
        gcCountdown = LUA_GC_CYCLE_PERIOD;
    }
}

void scriptKill(Client *c, bool isEval) {
    ScriptRun *run = currentRun;
    if (!run) {
        addReplyError(c, "NOTBUSY No scripts in execution right now.");
        return;
    }
    if (run->wroteData) {
        addReplyError(c, "UNKILLABLE Sorry the script already executed write commands against the "
                         "dataset. You can either wait the script termination or kill the server "
                         "in a hard way using the SHUTDOWN NOSAVE command.");
        return;
    }
    if (isEval && !run->isEval) {
        addReplyError(c, "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                         "SHUTDOWN NOSAVE.");
        return;
    }
    if (!isEval && run->isEval) {
        addReplyError(c, "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
                         "SHUTDOWN NOSAVE.");
        return;
    }
    run->killed = true;
    addReplyOk(c);
}
