/* lua_cmsgpack.c — the `cmsgpack` library scripts get in Redis:
 * cmsgpack.pack(v1, v2, …) -> the MessagePack encodings concatenated;
 * cmsgpack.unpack(s) -> every value in s; unpack_one(s [,offset]) and
 * unpack_limit(s, limit [,offset]) -> next offset (-1 at the end) then the
 * values. Encoding choices follow Redis's library: the smallest integer
 * form, float32 when a number survives the round trip, str8 for strings of
 * 32..255 bytes, a table is an array when its keys are exactly 1..n, nesting
 * deeper than 16 tables encodes nil. */
#include "lua_libs.h"

#include "mem.h"

#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define MSGPACK_MAX_NESTING 16

/* The encoder writes into a plain growing buffer (a luaL_Buffer lives on
 * the Lua stack, which the table walk needs too). */
typedef struct MpBuf {
    char *p;
    size_t len, cap;
} MpBuf;

static void mpAdd(MpBuf *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n) cap *= 2;
        b->p = kvRealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void mpAddByte(MpBuf *b, unsigned char c) {
    mpAdd(b, &c, 1);
}

static void mpPutBE(MpBuf *b, unsigned char tag, uint64_t v, int bytes) {
    unsigned char out[9];
    out[0] = tag;
    for (int i = 0; i < bytes; i++)
        out[1 + i] = (unsigned char)((v >> (8 * (bytes - 1 - i))) & 0xff);
    mpAdd(b, out, (size_t)bytes + 1);
}

static void mpEncodeInteger(MpBuf *b, int64_t n) {
    if (n >= 0) {
        uint64_t u = (uint64_t)n;
        if (u <= 127)
            mpAddByte(b, (unsigned char)u);
        else if (u <= 0xff)
            mpPutBE(b, 0xcc, u, 1);
        else if (u <= 0xffff)
            mpPutBE(b, 0xcd, u, 2);
        else if (u <= 0xffffffffULL)
            mpPutBE(b, 0xce, u, 4);
        else
            mpPutBE(b, 0xcf, u, 8);
    } else {
        if (n >= -32)
            mpAddByte(b, (unsigned char)(int8_t)n);
        else if (n >= -128)
            mpPutBE(b, 0xd0, (uint64_t)n, 1);
        else if (n >= -32768)
            mpPutBE(b, 0xd1, (uint64_t)n, 2);
        else if (n >= -2147483648LL)
            mpPutBE(b, 0xd2, (uint64_t)n, 4);
        else
            mpPutBE(b, 0xd3, (uint64_t)n, 8);
    }
}

static void mpEncodeDouble(MpBuf *b, double d) {
    float f = (float)d;
    if (d == (double)f) {
        uint32_t u;
        memcpy(&u, &f, 4);
        mpPutBE(b, 0xca, u, 4);
    } else {
        uint64_t u;
        memcpy(&u, &d, 8);
        mpPutBE(b, 0xcb, u, 8);
    }
}

static void mpEncodeBytes(MpBuf *b, const char *s, size_t len) {
    if (len < 32)
        mpAddByte(b, (unsigned char)(0xa0 | len));
    else if (len <= 0xff)
        mpPutBE(b, 0xd9, len, 1);
    else if (len <= 0xffff)
        mpPutBE(b, 0xda, len, 2);
    else
        mpPutBE(b, 0xdb, len, 4);
    mpAdd(b, s, len);
}

static void mpEncodeValue(lua_State *L, MpBuf *b, int idx, int level);

/* An array: every key a positive integer and they count up to the largest. */
static bool mpTableIsArray(lua_State *L, int idx, size_t *len) {
    double max = 0;
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TNUMBER) {
            lua_pop(L, 1);
            return false;
        }
        double n = lua_tonumber(L, -1);
        if (n <= 0 || floor(n) != n) {
            lua_pop(L, 1);
            return false;
        }
        if (n > max) max = n;
        count++;
    }
    *len = count;
    return max == (double)count;
}

static void mpEncodeTable(lua_State *L, MpBuf *b, int idx, int level) {
    size_t len;
    if (mpTableIsArray(L, idx, &len)) {
        if (len < 16)
            mpAddByte(b, (unsigned char)(0x90 | len));
        else if (len <= 0xffff)
            mpPutBE(b, 0xdc, len, 2);
        else
            mpPutBE(b, 0xdd, len, 4);
        for (size_t i = 1; i <= len; i++) {
            lua_rawgeti(L, idx, (int)i);
            mpEncodeValue(L, b, lua_gettop(L), level + 1);
            lua_pop(L, 1);
        }
        return;
    }
    len = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        len++;
    }
    if (len < 16)
        mpAddByte(b, (unsigned char)(0x80 | len));
    else if (len <= 0xffff)
        mpPutBE(b, 0xde, len, 2);
    else
        mpPutBE(b, 0xdf, len, 4);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int top = lua_gettop(L);
        mpEncodeValue(L, b, top - 1, level + 1);
        mpEncodeValue(L, b, top, level + 1);
        lua_pop(L, 1);
    }
}

static void mpEncodeValue(lua_State *L, MpBuf *b, int idx, int level) {
    int t = lua_type(L, idx);
    if (t == LUA_TTABLE && level >= MSGPACK_MAX_NESTING) t = LUA_TNIL;
    switch (t) {
        case LUA_TSTRING: {
            size_t len;
            const char *s = lua_tolstring(L, idx, &len);
            mpEncodeBytes(b, s, len);
            break;
        }
        case LUA_TBOOLEAN: mpAddByte(b, lua_toboolean(L, idx) ? 0xc3 : 0xc2); break;
        case LUA_TNUMBER: {
            double n = lua_tonumber(L, idx);
            if (!isinf(n) && n >= -9223372036854775808.0 && n < 9223372036854775808.0 &&
                (double)(int64_t)n == n)
                mpEncodeInteger(b, (int64_t)n);
            else
                mpEncodeDouble(b, n);
            break;
        }
        case LUA_TTABLE: mpEncodeTable(L, b, idx, level); break;
        default: mpAddByte(b, 0xc0); break;
    }
}

static int mpPack(lua_State *L) {
    int nargs = lua_gettop(L);
    if (nargs == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
    /* Nesting is bounded (16 tables, 3 slots each): reserve the stack first
     * so nothing below raises while the C buffer is held. */
    luaL_checkstack(L, 3 * MSGPACK_MAX_NESTING + 8, "cmsgpack: stack");
    MpBuf b = {NULL, 0, 0};
    for (int i = 1; i <= nargs; i++) mpEncodeValue(L, &b, i, 0);
    lua_pushlstring(L, b.p ? b.p : "", b.len);
    kvFree(b.p);
    return 1;
}

/* ---- decoding ---- */

typedef struct MpCursor {
    const unsigned char *p;
    size_t left;
    int err; /* 0, MP_EOF, MP_BADFMT */
} MpCursor;

#define MP_EOF    1
#define MP_BADFMT 2

static uint64_t mpGetBE(const unsigned char *p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = (v << 8) | p[i];
    return v;
}

static bool mpNeed(MpCursor *c, size_t n) {
    if (c->left < n) {
        c->err = MP_EOF;
        return false;
    }
    return true;
}

static void mpDecode(lua_State *L, MpCursor *c);

static void mpDecodeArray(lua_State *L, MpCursor *c, uint64_t n) {
    lua_newtable(L);
    for (uint64_t i = 1; i <= n && !c->err; i++) {
        lua_pushnumber(L, (lua_Number)i);
        mpDecode(L, c);
        if (c->err) {
            lua_pop(L, 1);
            return;
        }
        lua_settable(L, -3);
    }
}

static void mpDecodeMap(lua_State *L, MpCursor *c, uint64_t n) {
    lua_newtable(L);
    for (uint64_t i = 0; i < n && !c->err; i++) {
        mpDecode(L, c);
        if (c->err) return;
        mpDecode(L, c);
        if (c->err) {
            lua_pop(L, 1);
            return;
        }
        if (lua_isnil(L, -2)) {
            lua_pop(L, 2); /* a nil key cannot be stored */
            continue;
        }
        lua_settable(L, -3);
    }
}

static void mpDecodeString(lua_State *L, MpCursor *c, int hdr, int lenBytes) {
    if (!mpNeed(c, (size_t)(hdr + lenBytes))) return;
    uint64_t len = mpGetBE(c->p + hdr, lenBytes);
    c->p += hdr + lenBytes;
    c->left -= (size_t)(hdr + lenBytes);
    if (!mpNeed(c, len)) return;
    lua_pushlstring(L, (const char *)c->p, len);
    c->p += len;
    c->left -= len;
}

static void mpDecode(lua_State *L, MpCursor *c) {
    luaL_checkstack(L, 4, "cmsgpack: too deep");
    if (!mpNeed(c, 1)) return;
    unsigned char t = c->p[0];
    /* Fixed-size scalars: header byte plus payload. */
    int payload = -1;
    switch (t) {
        case 0xcc:
        case 0xd0: payload = 1; break;
        case 0xcd:
        case 0xd1: payload = 2; break;
        case 0xce:
        case 0xd2:
        case 0xca: payload = 4; break;
        case 0xcf:
        case 0xd3:
        case 0xcb: payload = 8; break;
        default: break;
    }
    if (payload > 0) {
        if (!mpNeed(c, (size_t)payload + 1)) return;
        uint64_t v = mpGetBE(c->p + 1, payload);
        switch (t) {
            case 0xcc:
            case 0xcd:
            case 0xce:
            case 0xcf: lua_pushnumber(L, (lua_Number)v); break;
            case 0xd0: lua_pushnumber(L, (int8_t)v); break;
            case 0xd1: lua_pushnumber(L, (int16_t)v); break;
            case 0xd2: lua_pushnumber(L, (int32_t)v); break;
            case 0xd3: lua_pushnumber(L, (lua_Number)(int64_t)v); break;
            case 0xca: {
                uint32_t u = (uint32_t)v;
                float f;
                memcpy(&f, &u, 4);
                lua_pushnumber(L, f);
                break;
            }
            default: {
                double d;
                memcpy(&d, &v, 8);
                lua_pushnumber(L, d);
                break;
            }
        }
        c->p += payload + 1;
        c->left -= (size_t)payload + 1;
        return;
    }
    if (t <= 0x7f || t >= 0xe0) {
        lua_pushnumber(L, t <= 0x7f ? (lua_Number)t : (lua_Number)(int8_t)t);
        c->p++;
        c->left--;
        return;
    }
    if ((t & 0xe0) == 0xa0) {
        size_t len = t & 0x1f;
        if (!mpNeed(c, 1 + len)) return;
        lua_pushlstring(L, (const char *)c->p + 1, len);
        c->p += 1 + len;
        c->left -= 1 + len;
        return;
    }
    if ((t & 0xf0) == 0x90 || (t & 0xf0) == 0x80) {
        c->p++;
        c->left--;
        if ((t & 0xf0) == 0x90)
            mpDecodeArray(L, c, t & 0x0f);
        else
            mpDecodeMap(L, c, t & 0x0f);
        return;
    }
    switch (t) {
        case 0xc0: lua_pushnil(L); break;
        case 0xc2:
        case 0xc3: lua_pushboolean(L, t == 0xc3); break;
        case 0xc4:
        case 0xd9: mpDecodeString(L, c, 1, 1); return;
        case 0xc5:
        case 0xda: mpDecodeString(L, c, 1, 2); return;
        case 0xc6:
        case 0xdb: mpDecodeString(L, c, 1, 4); return;
        case 0xdc:
        case 0xdd:
        case 0xde:
        case 0xdf: {
            int bytes = (t == 0xdc || t == 0xde) ? 2 : 4;
            if (!mpNeed(c, 1 + (size_t)bytes)) return;
            uint64_t n = mpGetBE(c->p + 1, bytes);
            c->p += 1 + bytes;
            c->left -= 1 + (size_t)bytes;
            if (t == 0xdc || t == 0xdd)
                mpDecodeArray(L, c, n);
            else
                mpDecodeMap(L, c, n);
            return;
        }
        default: c->err = MP_BADFMT; return;
    }
    c->p++;
    c->left--;
}

static int mpUnpackFull(lua_State *L, lua_Integer limit, lua_Integer offset) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    bool all = limit == 0 && offset == 0;
    if (offset < 0 || limit < 0)
        return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                          (int)offset, (int)len);
    if ((size_t)offset > len)
        return luaL_error(L, "Start offset %d greater than input length %d.", (int)offset,
                          (int)len);
    if (all) limit = INT_MAX;
    MpCursor c = {(const unsigned char *)s + offset, len - (size_t)offset, 0};
    int cnt = 0;
    for (; c.left > 0 && cnt < limit; cnt++) {
        mpDecode(L, &c);
        if (c.err == MP_EOF) return luaL_error(L, "Missing bytes in input.");
        if (c.err == MP_BADFMT) return luaL_error(L, "Bad data format in input.");
    }
    if (!all) {
        luaL_checkstack(L, 1, "in function mp_unpack_full");
        lua_pushinteger(L, c.left == 0 ? -1 : (lua_Integer)(len - c.left));
        lua_insert(L, 2);
        cnt++;
    }
    return cnt;
}

static int mpUnpack(lua_State *L) {
    return mpUnpackFull(L, 0, 0);
}

static int mpUnpackOne(lua_State *L) {
    lua_Integer offset = luaL_optinteger(L, 2, 0);
    lua_pop(L, lua_gettop(L) - 1);
    return mpUnpackFull(L, 1, offset);
}

static int mpUnpackLimit(lua_State *L) {
    lua_Integer limit = luaL_checkinteger(L, 2);
    lua_Integer offset = luaL_optinteger(L, 3, 0);
    lua_pop(L, lua_gettop(L) - 1);
    return mpUnpackFull(L, limit, offset);
}

int luaopenCmsgpack(lua_State *L) {
    static const luaL_Reg fns[] = {{"pack", mpPack},
                                   {"unpack", mpUnpack},
                                   {"unpack_one", mpUnpackOne},
                                   {"unpack_limit", mpUnpackLimit},
                                   {NULL, NULL}};
    lua_newtable(L);
    luaL_register(L, NULL, fns);
    lua_pushliteral(L, "cmsgpack");
    lua_setfield(L, -2, "_NAME");
    lua_pushliteral(L, "lua-cmsgpack 0.4.0");
    lua_setfield(L, -2, "_VERSION");
    lua_pushliteral(L, "Copyright (C) 2012, Salvatore Sanfilippo");
    lua_setfield(L, -2, "_COPYRIGHT");
    lua_pushliteral(L, "MessagePack C implementation for Lua");
    lua_setfield(L, -2, "_DESCRIPTION");
    return 1;
}
