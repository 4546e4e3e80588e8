/* function.c — FUNCTION (LOAD DELETE FLUSH LIST DUMP RESTORE STATS KILL
 * HELP) and FCALL/FCALL_RO.
 *
 * Libraries live in one Lua state of their own (as Redis keeps the function
 * engine apart from EVAL's). A library is created in two phases so that LOAD
 * and RESTORE change nothing when any part fails:
 *   prepare: parse the `#!lua name=<lib>` header, compile the code and run
 *            it with a restricted `redis` table (register_function, log, the
 *            LOG_* levels, REDIS_VERSION*; every other global raises), which
 *            fills a fresh Lua table name -> callback kept by a registry ref;
 *   commit:  after the name checks, link it into `libs`.
 * The callbacks keep the globals proxy as their environment; once loading is
 * over lookups go to the full API again (script.h scriptSetGlobalsFallback).
 */
#include "debug.h"
#include "function.h"

#include "commands.h"
#include "config.h"
#include "globmatch.h"
#include "lazyfree.h"
#include "log.h"
#include "mem.h"
#include "monitor.h"
#include "numconv.h"
#include "rdb.h"
#include "reply.h"
#include "script.h"
#include "server.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FUNCTION_LOAD_TIMEOUT_MS 500
#define FUNCTION_OVERHEAD        64 /* bookkeeping counted per function / library */

typedef struct FunctionInfo {
    dstr name;
    dstr desc; /* NULL when none */
    int flags;
} FunctionInfo;

typedef struct Library {
    dstr name;
    dstr code; /* the whole payload, header included */
    FunctionInfo *fns;
    int nfns, fnsCap;
    int tableRef; /* registry ref of {name = callback} */
} Library;

static lua_State *fnL = NULL;
static Library **libs = NULL;
static int libCount = 0, libCap = 0;
/* The library whose code is running under FUNCTION LOAD, or NULL. */
static Library *loading = NULL;
static long long loadStartMs = 0;

static long long functionNowMs(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *functionLibraryCode(unsigned long i, size_t *len) {
    if (i >= (unsigned long)libCount) return NULL;
    *len = dstrLen(libs[i]->code);
    return libs[i]->code;
}

/* ---- the state ---- */

static int functionRegister(lua_State *L);

static void functionInitState(void) {
    fnL = scriptCreateState();
    scriptProtectGlobals(fnL);
    /* The globals FUNCTION LOAD code sees: a restricted `redis` only. */
    lua_newtable(fnL);
    lua_newtable(fnL);
    lua_pushcfunction(fnL, functionRegister);
    lua_setfield(fnL, -2, "register_function");
    lua_pushcfunction(fnL, scriptRedisLogFunction);
    lua_setfield(fnL, -2, "log");
    static const char *const levels[] = {"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING"};
    for (int i = 0; i < 4; i++) {
        lua_pushnumber(fnL, i);
        lua_setfield(fnL, -2, levels[i]);
    }
    lua_pushstring(fnL, KV_VERSION);
    lua_setfield(fnL, -2, "REDIS_VERSION");
    lua_pushnumber(fnL, (7 << 16) | 15);
    lua_setfield(fnL, -2, "REDIS_VERSION_NUM");
    scriptMakeStrictProxy(fnL);
    lua_setfield(fnL, -2, "redis");
    /* Not a proxy itself: the globals proxy's lookup raises on a miss. */
    lua_setfield(fnL, LUA_REGISTRYINDEX, "__kv_load_env");
}

static lua_State *functionState(void) {
    if (!fnL) functionInitState();
    return fnL;
}

static void libraryFree(Library *lib) {
    if (!lib) return;
    if (fnL && lib->tableRef != LUA_NOREF) luaL_unref(fnL, LUA_REGISTRYINDEX, lib->tableRef);
    for (int i = 0; i < lib->nfns; i++) {
        dstrFree(lib->fns[i].name);
        if (lib->fns[i].desc) dstrFree(lib->fns[i].desc);
    }
    kvFree(lib->fns);
    dstrFree(lib->name);
    dstrFree(lib->code);
    kvFree(lib);
}

static Library *libraryFind(const char *name, size_t len) {
    for (int i = 0; i < libCount; i++)
        if (dstrLen(libs[i]->name) == len && memcmp(libs[i]->name, name, len) == 0) return libs[i];
    return NULL;
}

static FunctionInfo *functionFind(const char *name, size_t len, Library **owner) {
    for (int i = 0; i < libCount; i++)
        for (int j = 0; j < libs[i]->nfns; j++) {
            FunctionInfo *f = &libs[i]->fns[j];
            if (dstrLen(f->name) == len && memcmp(f->name, name, len) == 0) {
                if (owner) *owner = libs[i];
                return f;
            }
        }
    return NULL;
}

static void libraryUnlink(Library *lib) {
    for (int i = 0; i < libCount; i++)
        if (libs[i] == lib) {
            memmove(libs + i, libs + i + 1, sizeof(*libs) * (size_t)(libCount - i - 1));
            libCount--;
            return;
        }
}

static void libraryLink(Library *lib) {
    if (libCount == libCap) {
        libCap = libCap ? libCap * 2 : 8;
        libs = kvRealloc(libs, sizeof(*libs) * (size_t)libCap);
    }
    libs[libCount++] = lib;
}

/* With `lazy`, a state holding more than 64 functions is closed on the lazy
 * free thread (counted as that many objects), as Redis 7.0 frees its
 * functions context. */
static void functionFlushAll(bool lazy) {
    size_t nfns = functionCount();
    /* The state is closed below: no need to unref the libraries' tables. */
    lua_State *L = fnL;
    fnL = NULL;
    for (int i = 0; i < libCount; i++) libraryFree(libs[i]);
    libCount = 0;
    /* A fresh state frees everything the libraries' code allocated. */
    lazyfreeCloseLuaState(L, nfns, lazy);
}

unsigned long functionLibraryCount(void) {
    return (unsigned long)libCount;
}

unsigned long functionCount(void) {
    unsigned long n = 0;
    for (int i = 0; i < libCount; i++) n += (unsigned long)libs[i]->nfns;
    return n;
}

size_t functionLuaMemory(void) {
    return scriptLuaMemory(functionState());
}

size_t functionCodeMemory(void) {
    size_t n = 0;
    for (int i = 0; i < libCount; i++)
        n += dstrLen(libs[i]->code) + dstrLen(libs[i]->name) +
             (size_t)(libs[i]->nfns + 1) * FUNCTION_OVERHEAD;
    return n;
}

/* ---- redis.register_function ---- */

static int functionRaise(lua_State *L, const char *msg) {
    scriptPushError(L, msg, strlen(msg));
    return lua_error(L);
}

static bool functionNameValid(const char *s, size_t len) {
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return false;
    }
    return true;
}

/* Reads the flags table at idx into *flags; false on a bad one. */
static int functionParseFlags(lua_State *L, int idx, int *flags) {
    if (!lua_istable(L, idx))
        return functionRaise(
            L, "flags argument to redis.register_function must be a table representing function "
               "flags");
    for (int j = 1;; j++) {
        lua_rawgeti(L, idx, j);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            return functionRaise(L, "unknown flag given");
        }
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        int f = 0;
        if (!scriptParseFlagList(s, len, &f, NULL) || len == 0 || memchr(s, ',', len)) {
            lua_pop(L, 1);
            return functionRaise(L, "unknown flag given");
        }
        *flags |= f;
        lua_pop(L, 1);
    }
    return 0;
}

/* redis.register_function(name, callback) or
 * redis.register_function{function_name=…, callback=…, flags={…}, description=…} */
static int functionRegister(lua_State *L) {
    Library *lib = loading;
    if (!lib)
        return functionRaise(L,
                             "redis.register_function can only be called on FUNCTION LOAD command");
    int argc = lua_gettop(L);
    int nameIdx = 0, cbIdx = 0, descIdx = 0, flags = 0;
    if (argc == 1) {
        if (!lua_istable(L, 1))
            return functionRaise(L, "calling redis.register_function with a single argument is "
                                    "only applicable to Lua table (representing named arguments).");
        lua_pushnil(L);
        while (lua_next(L, 1)) {
            /* key at -2, value at -1: keep both on the stack for the indexes */
            if (lua_type(L, -2) != LUA_TSTRING)
                return functionRaise(L, "named argument key given to redis.register_function is "
                                        "not a string");
            const char *k = lua_tostring(L, -2);
            int vi = lua_gettop(L);
            if (strcmp(k, "function_name") == 0) {
                if (!lua_isstring(L, vi))
                    return functionRaise(
                        L, "function_name argument given to redis.register_function must be a "
                           "string");
                lua_pushvalue(L, -2); /* key copy for lua_next */
                nameIdx = vi;
            } else if (strcmp(k, "description") == 0) {
                if (!lua_isstring(L, vi))
                    return functionRaise(
                        L, "description argument given to redis.register_function must be a "
                           "string");
                lua_pushvalue(L, -2);
                descIdx = vi;
            } else if (strcmp(k, "callback") == 0) {
                if (lua_type(L, vi) != LUA_TFUNCTION)
                    return functionRaise(
                        L, "callback argument given to redis.register_function must be a "
                           "function");
                lua_pushvalue(L, -2);
                cbIdx = vi;
            } else if (strcmp(k, "flags") == 0) {
                functionParseFlags(L, vi, &flags);
                lua_pop(L, 1);
            } else {
                return functionRaise(L, "unknown argument given to redis.register_function");
            }
        }
        if (!nameIdx)
            return functionRaise(L, "redis.register_function must get a function name argument");
        if (!cbIdx) return functionRaise(L, "redis.register_function must get a callback argument");
    } else if (argc == 2) {
        if (!lua_isstring(L, 1))
            return functionRaise(L, "first argument to redis.register_function must be a string");
        if (lua_type(L, 2) != LUA_TFUNCTION)
            return functionRaise(L,
                                 "second argument to redis.register_function must be a function");
        nameIdx = 1;
        cbIdx = 2;
    } else {
        return functionRaise(L, "wrong number of arguments to redis.register_function");
    }
    size_t nlen;
    const char *name = lua_tolstring(L, nameIdx, &nlen);
    if (!functionNameValid(name, nlen))
        /* Redis 7.0 words a bad function name as a bad library name. */
        return functionRaise(L, "Library names can only contain letters, numbers, or "
                                "underscores(_) and must be at least one character long");
    for (int i = 0; i < lib->nfns; i++)
        if (dstrLen(lib->fns[i].name) == nlen && memcmp(lib->fns[i].name, name, nlen) == 0)
            return functionRaise(L, "Function already exists in the library");
    if (lib->nfns == lib->fnsCap) {
        lib->fnsCap = lib->fnsCap ? lib->fnsCap * 2 : 4;
        lib->fns = kvRealloc(lib->fns, sizeof(*lib->fns) * (size_t)lib->fnsCap);
    }
    FunctionInfo *f = &lib->fns[lib->nfns++];
    f->name = dstrNewLen(name, nlen);
    f->flags = flags;
    f->desc = NULL;
    if (descIdx) {
        size_t dl;
        const char *d = lua_tolstring(L, descIdx, &dl);
        f->desc = dstrNewLen(d, dl);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, lib->tableRef);
    lua_pushlstring(L, name, nlen);
    lua_pushvalue(L, cbIdx);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return 0;
}

static void functionLoadHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    if (functionNowMs() - loadStartMs > FUNCTION_LOAD_TIMEOUT_MS) {
        lua_sethook(L, functionLoadHook, LUA_MASKLINE, 0);
        functionRaise(L, "FUNCTION LOAD timeout");
    }
}

/* ---- creating libraries ---- */

/* Parses the header as Redis 7.0 does: metadata errors first (unknown
 * options, a missing or repeated name), then the name's characters, then
 * the engine. Returns the library name (a dstr) and *bodyOff, the offset of
 * the newline ending the first line (kept so line numbers match), or NULL
 * with *err. */
static dstr functionParseHeader(const char *code, size_t len, size_t *bodyOff, dstr *err) {
    if (len < 2 || code[0] != '#' || code[1] != '!') {
        *err = dstrNew("Missing library metadata");
        return NULL;
    }
    const char *nl = memchr(code, '\n', len);
    if (!nl) {
        *err = dstrNew("Invalid library metadata");
        return NULL;
    }
    size_t lineLen = (size_t)(nl - code);
    dstr name = NULL;
    const char *engine = NULL;
    size_t engineLen = 0;
    size_t pos = 0;
    const char *w;
    size_t wl;
    while (scriptShebangWord(code, lineLen, &pos, &w, &wl)) {
        if (!engine) {
            engine = w + 2;
            engineLen = wl - 2;
            continue;
        }
        if (wl >= 5 && strncasecmp(w, "name=", 5) == 0) {
            if (name) {
                dstrFree(name);
                *err = dstrNew("Invalid metadata value, name argument was given multiple times");
                return NULL;
            }
            name = dstrNewLen(w + 5, wl - 5);
            continue;
        }
        if (name) dstrFree(name);
        *err = dstrCatPrintf(dstrEmpty(), "Invalid metadata value given: %.*s", (int)wl, w);
        return NULL;
    }
    if (!engine) {
        *err = dstrNew("Invalid library metadata");
        return NULL;
    }
    if (!name) {
        *err = dstrNew("Library name was not given");
        return NULL;
    }
    if (!functionNameValid(name, dstrLen(name))) {
        dstrFree(name);
        *err = dstrNew("Library names can only contain letters, numbers, or underscores(_) and "
                       "must be at least one character long");
        return NULL;
    }
    if (!(engineLen == 3 && strncasecmp(engine, "lua", 3) == 0)) {
        dstrFree(name);
        *err = dstrCatPrintf(dstrEmpty(), "Engine '%.*s' not found", (int)engineLen, engine);
        return NULL;
    }
    *bodyOff = lineLen;
    return name;
}

/* Phase one (see the top of the file). Returns NULL with *err. */
static Library *functionPrepare(const char *code, size_t len, dstr *err) {
    size_t off;
    dstr name = functionParseHeader(code, len, &off, err);
    if (!name) return NULL;
    lua_State *L = functionState();
    Library *lib = kvCalloc(sizeof(*lib));
    lib->name = name;
    lib->code = dstrNewLen(code, len);
    lua_newtable(L);
    lib->tableRef = luaL_ref(L, LUA_REGISTRYINDEX);
    if (luaL_loadbuffer(L, code + off, len - off, "@user_function")) {
        *err = dstrCatPrintf(dstrEmpty(), "Error compiling function: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        libraryFree(lib);
        return NULL;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, "__kv_load_env");
    scriptSetGlobalsFallback(L);
    loading = lib;
    loadStartMs = functionNowMs();
    lua_sethook(L, functionLoadHook, LUA_MASKCOUNT, 100000);
    /* The message handler builds the same error table scripts get. */
    lua_getfield(L, LUA_REGISTRYINDEX, "__kv_errh");
    lua_insert(L, -2);
    int rc = lua_pcall(L, 0, 0, -2);
    lua_sethook(L, NULL, 0, 0);
    loading = NULL;
    lua_pushnil(L);
    scriptSetGlobalsFallback(L);
    if (rc != 0) {
        const char *msg = NULL;
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "err");
            msg = lua_tostring(L, -1);
            lua_pop(L, 1);
        } else {
            msg = lua_tostring(L, -1);
        }
        *err = dstrCatPrintf(dstrEmpty(), "Error registering functions: %s",
                             msg ? msg : "unknown error");
        lua_pop(L, 2);
        libraryFree(lib);
        return NULL;
    }
    lua_pop(L, 1); /* the handler */
    if (lib->nfns == 0) {
        *err = dstrNew("No functions registered");
        libraryFree(lib);
        return NULL;
    }
    return lib;
}

/* Whether lib's functions collide with libraries other than `except`. */
static bool functionCollides(Library *lib, Library **except, int nexcept, dstr *err) {
    for (int j = 0; j < lib->nfns; j++) {
        Library *owner = NULL;
        if (!functionFind(lib->fns[j].name, dstrLen(lib->fns[j].name), &owner)) continue;
        bool skip = false;
        for (int k = 0; k < nexcept; k++)
            if (except[k] == owner) skip = true;
        if (skip) continue;
        *err = dstrCatPrintf(dstrEmpty(), "Function %s already exists", lib->fns[j].name);
        return true;
    }
    return false;
}

/* LOAD: prepare, check, commit. Returns the library or NULL with *err. */
static Library *functionLoad(const char *code, size_t len, bool replace, dstr *err) {
    Library *lib = functionPrepare(code, len, err);
    if (!lib) return NULL;
    Library *old = libraryFind(lib->name, dstrLen(lib->name));
    if (old && !replace) {
        *err = dstrCatPrintf(dstrEmpty(), "Library '%s' already exists", lib->name);
        libraryFree(lib);
        return NULL;
    }
    if (functionCollides(lib, &old, old ? 1 : 0, err)) {
        libraryFree(lib);
        return NULL;
    }
    if (old) {
        libraryUnlink(old);
        libraryFree(old);
    }
    libraryLink(lib);
    return lib;
}

/* ---- FCALL ---- */

static void fcallGeneric(Client *c, bool ro) {
    /* First, even for a call that fails (FCALL is CMD_SKIP_MONITOR): the
     * function's calls follow this line, as Redis 7.0. */
    monitorFeed(c);
    Library *lib = NULL;
    FunctionInfo *f = functionFind(c->argv[1].ptr, c->argv[1].len, &lib);
    if (!f) {
        addReplyError(c, "ERR Function not found");
        return;
    }
    long long numkeys;
    if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &numkeys)) {
        addReplyError(c, "ERR Bad number of keys provided");
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
    ScriptRun run;
    if (!scriptPrepareRun(&run, c, f->name, f->flags, ro, false)) return;
    lua_State *L = functionState();
    lua_rawgeti(L, LUA_REGISTRYINDEX, lib->tableRef);
    lua_pushlstring(L, f->name, dstrLen(f->name));
    lua_rawget(L, -2);
    lua_remove(L, -2);
    for (int part = 0; part < 2; part++) {
        int from = part == 0 ? 3 : 3 + (int)numkeys;
        int n = part == 0 ? (int)numkeys : c->argc - 3 - (int)numkeys;
        lua_createtable(L, n, 0);
        for (int i = 0; i < n; i++) {
            lua_pushlstring(L, c->argv[from + i].ptr, c->argv[from + i].len);
            lua_rawseti(L, -2, i + 1);
        }
    }
    scriptRunFunction(L, &run, 2);
}

void fcallCommand(Client *c) {
    fcallGeneric(c, false);
}

void fcallRoCommand(Client *c) {
    fcallGeneric(c, true);
}

/* ---- FUNCTION ---- */

void functionLoadCommand(Client *c) {
    bool replace = false;
    int codeIdx = 2;
    if (c->argc == 4) {
        if (!argIs(&c->argv[2], "replace")) {
            addReplyErrorFormat(c, "ERR Unknown option given: %.*s", (int)c->argv[2].len,
                                c->argv[2].ptr);
            return;
        }
        replace = true;
        codeIdx = 3;
    } else if (c->argc > 4) {
        addReplyError(c, "ERR Unknown option given: ...");
        return;
    }
    dstr err = NULL;
    Library *lib = functionLoad(c->argv[codeIdx].ptr, c->argv[codeIdx].len, replace, &err);
    if (!lib) {
        addReplyErrorFormat(c, "ERR %s", err);
        dstrFree(err);
        return;
    }
    stats.dirty++;
    addReplyBulk(c, lib->name, dstrLen(lib->name));
}

void functionDeleteCommand(Client *c) {
    Library *lib = libraryFind(c->argv[2].ptr, c->argv[2].len);
    if (!lib) {
        addReplyError(c, "ERR Library not found");
        return;
    }
    libraryUnlink(lib);
    libraryFree(lib);
    stats.dirty++;
    addReplyOk(c);
}

void functionFlushCommand(Client *c) {
    if (c->argc > 3 ||
        (c->argc == 3 && !argIs(&c->argv[2], "sync") && !argIs(&c->argv[2], "async"))) {
        addReplyError(c, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        return;
    }
    functionFlushAll(c->argc == 3 ? argIs(&c->argv[2], "async") : config.lazyfreeLazyUserFlush);
    stats.dirty++;
    addReplyOk(c);
}

static void functionReplyFlags(Client *c, int flags) {
    int n = 0;
    for (const ScriptFlagName *f = scriptFlagNames; f->name; f++)
        if (flags & f->flag) n++;
    addReplySetLen(c, n);
    for (const ScriptFlagName *f = scriptFlagNames; f->name; f++)
        if (flags & f->flag) addReplySimple(c, f->name);
}

void functionListCommand(Client *c) {
    bool withCode = false;
    const Arg *pattern = NULL;
    for (int i = 2; i < c->argc; i++) {
        if (!withCode && argIs(&c->argv[i], "withcode")) {
            withCode = true;
            continue;
        }
        if (!pattern && argIs(&c->argv[i], "libraryname")) {
            if (i >= c->argc - 1) {
                addReplyError(c, "ERR library name argument was not given");
                return;
            }
            pattern = &c->argv[++i];
            continue;
        }
        addReplyErrorFormat(c, "ERR Unknown argument %.*s", (int)c->argv[i].len, c->argv[i].ptr);
        return;
    }
    size_t h = addReplyDeferredLen(c);
    long long n = 0;
    for (int i = 0; i < libCount; i++) {
        Library *lib = libs[i];
        if (pattern && !globMatch(pattern->ptr, pattern->len, lib->name, dstrLen(lib->name), true))
            continue;
        n++;
        addReplyMapLen(c, withCode ? 4 : 3);
        addReplyBulkCString(c, "library_name");
        addReplyBulk(c, lib->name, dstrLen(lib->name));
        addReplyBulkCString(c, "engine");
        addReplyBulkCString(c, "LUA");
        addReplyBulkCString(c, "functions");
        addReplyArrayLen(c, lib->nfns);
        for (int j = 0; j < lib->nfns; j++) {
            FunctionInfo *f = &lib->fns[j];
            addReplyMapLen(c, 3);
            addReplyBulkCString(c, "name");
            addReplyBulk(c, f->name, dstrLen(f->name));
            addReplyBulkCString(c, "description");
            if (f->desc)
                addReplyBulk(c, f->desc, dstrLen(f->desc));
            else
                addReplyNull(c);
            addReplyBulkCString(c, "flags");
            functionReplyFlags(c, f->flags);
        }
        if (withCode) {
            addReplyBulkCString(c, "library_code");
            addReplyBulk(c, lib->code, dstrLen(lib->code));
        }
    }
    setDeferredArrayLen(c, h, n);
}

static void functionSaveAll(RdbWriter *w) {
    for (int i = 0; i < libCount && !w->failed; i++) {
        rdbWriteType(w, RDB_OPCODE_FUNCTION2);
        rdbWriteString(w, libs[i]->code, dstrLen(libs[i]->code));
    }
}

void functionDumpCommand(Client *c) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, true, config.rdbcompression);
    functionSaveAll(&w);
    rdbWriteDumpTrailer(&w);
    dstr payload = rdbWriterTakeBuffer(&w);
    addReplyBulk(c, payload, dstrLen(payload));
    dstrFree(payload);
}

void functionRestoreCommand(Client *c) {
    enum { APPEND, REPLACE, FLUSH } policy = APPEND;
    if (c->argc == 4) {
        if (argIs(&c->argv[3], "flush"))
            policy = FLUSH;
        else if (argIs(&c->argv[3], "append"))
            policy = APPEND;
        else if (argIs(&c->argv[3], "replace"))
            policy = REPLACE;
        else {
            addReplyError(c, "ERR Wrong restore policy given, value should be either FLUSH, "
                             "APPEND or REPLACE.");
            return;
        }
    } else if (c->argc > 4) {
        addReplyErrorArity(c);
        return;
    }
    const unsigned char *p = (const unsigned char *)c->argv[2].ptr;
    size_t len = c->argv[2].len;
    if (!rdbDumpTrailerValid(p, len, !debugSkipChecksumValidation)) {
        addReplyError(c, "ERR DUMP payload version or checksum are wrong");
        return;
    }
    /* Prepare every library first; nothing changes unless all are good. */
    RdbReader r;
    rdbReaderInitMemory(&r, p, len - 10, false);
    Library **fresh = NULL;
    int nfresh = 0, cap = 0;
    dstr err = NULL;
    RdbBuf code = {0};
    while (rdbReaderRemaining(&r) > 0) {
        unsigned char type;
        if (!rdbReadByte(&r, &type)) {
            err = dstrNew("payload is truncated");
            break;
        }
        if (type != RDB_OPCODE_FUNCTION2) {
            err = dstrNew("given type is not a function");
            break;
        }
        if (!rdbReadString(&r, &code)) {
            err = dstrNew("failed loading the library code");
            break;
        }
        Library *lib = functionPrepare(code.ptr, code.len, &err);
        if (!lib) break;
        for (int i = 0; i < nfresh && !err; i++) {
            if (strcmp(fresh[i]->name, lib->name) == 0)
                err = dstrCatPrintf(dstrEmpty(), "Library %s already exists", lib->name);
            for (int a = 0; a < fresh[i]->nfns && !err; a++)
                for (int b = 0; b < lib->nfns && !err; b++)
                    if (strcmp(fresh[i]->fns[a].name, lib->fns[b].name) == 0)
                        err = dstrCatPrintf(dstrEmpty(), "Function %s already exists",
                                            lib->fns[b].name);
        }
        if (nfresh == cap) {
            cap = cap ? cap * 2 : 4;
            fresh = kvRealloc(fresh, sizeof(*fresh) * (size_t)cap);
        }
        fresh[nfresh++] = lib;
        if (err) break;
    }
    rdbBufFree(&code);
    /* Collisions with what stays loaded. */
    if (!err && policy != FLUSH) {
        Library **replaced = kvMalloc(sizeof(*replaced) * (size_t)(nfresh + 1));
        int nrep = 0;
        for (int i = 0; i < nfresh && !err; i++) {
            Library *old = libraryFind(fresh[i]->name, dstrLen(fresh[i]->name));
            if (old && policy == APPEND)
                err = dstrCatPrintf(dstrEmpty(), "Library %s already exists", fresh[i]->name);
            else if (old)
                replaced[nrep++] = old;
        }
        for (int i = 0; i < nfresh && !err; i++) functionCollides(fresh[i], replaced, nrep, &err);
        if (!err)
            for (int i = 0; i < nrep; i++) {
                libraryUnlink(replaced[i]);
                libraryFree(replaced[i]);
            }
        kvFree(replaced);
    }
    if (err) {
        for (int i = 0; i < nfresh; i++) libraryFree(fresh[i]);
        kvFree(fresh);
        addReplyErrorFormat(c, "ERR %s", err);
        dstrFree(err);
        return;
    }
    if (policy == FLUSH) {
        /* The fresh libraries live in the current state: keep it. */
        for (int i = 0; i < libCount; i++) libraryFree(libs[i]);
        libCount = 0;
    }
    for (int i = 0; i < nfresh; i++) libraryLink(fresh[i]);
    kvFree(fresh);
    stats.dirty++;
    addReplyOk(c);
}

void functionStatsCommand(Client *c) {
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "running_script");
    ScriptRun *run = scriptCurrentRun();
    if (!run) {
        addReplyNull(c);
    } else {
        addReplyMapLen(c, 3);
        addReplyBulkCString(c, "name");
        addReplyBulkCString(c, run->funcname);
        addReplyBulkCString(c, "command");
        addReplyArrayLen(c, run->caller->argc);
        for (int i = 0; i < run->caller->argc; i++)
            addReplyBulk(c, run->caller->argv[i].ptr, run->caller->argv[i].len);
        addReplyBulkCString(c, "duration_ms");
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        addReplyLongLong(c, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - run->startMs);
    }
    addReplyBulkCString(c, "engines");
    addReplyMapLen(c, 1);
    addReplyBulkCString(c, "LUA");
    addReplyMapLen(c, 2);
    addReplyBulkCString(c, "libraries_count");
    addReplyLongLong(c, libCount);
    addReplyBulkCString(c, "functions_count");
    addReplyLongLong(c, (long long)functionCount());
}

void functionKillCommand(Client *c) {
    scriptKill(c, false);
}

void functionHelpCommand(Client *c) {
    static const char *help[] = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME "
        "argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored "
        "using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a "
        "restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
        "abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
        "replace the old",
        "      libraries with the new libraries (notice that even on this option there is a "
        "chance of failure",
        "      in case of functions name collision with another library).",
        NULL};
    addReplyHelp(c, help);
}

/* ---- RDB ---- */

static bool functionRdbLoad(const char *code, size_t len, const char **why) {
    static char errbuf[256];
    dstr err = NULL;
    /* A library already loaded under that name is replaced (DEBUG RELOAD). */
    if (!functionLoad(code, len, true, &err)) {
        snprintf(errbuf, sizeof(errbuf), "%s", err ? err : "unknown error");
        if (err) dstrFree(err);
        *why = errbuf;
        return false;
    }
    return true;
}

void functionInit(void) {
    rdbSetFunctionLoader(functionRdbLoad);
    rdbSetFunctionSaver(functionSaveAll);
}
