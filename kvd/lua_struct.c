/* lua_struct.c — the `struct` library scripts get in Redis: struct.pack,
 * struct.unpack and struct.size with format strings of
 *   > < =      big / little / native (little) endian
 *   ![n]       maximum alignment n (power of 2; default 8)
 *   x          one padding byte
 *   b B h H l L T i[n] I[n]   signed/unsigned char, short, long, size_t,
 *              int of n bytes (default 4, at most 32)
 *   f d        float, double
 *   s          zero-terminated string
 *   c[n]       fixed-length string of n bytes (c0: the whole string when
 *              packing, length taken from the previous value when unpacking)
 *   space      ignored
 * Alignment applies to numbers when ! is given (c never aligns). Integers
 * are written from a Lua number through a 64-bit integer, as Redis does. */
#include "lua_libs.h"

#include <ctype.h>
#include <stdbool.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#define STRUCT_MAX_INT_SIZE 32
#define STRUCT_MAX_ALIGN    8

typedef struct StructFormat {
    bool bigEndian;
    int align;
} StructFormat;

static size_t structNumber(lua_State *L, const char **fmt, size_t dflt) {
    if (!isdigit((unsigned char)**fmt)) return dflt;
    size_t a = 0;
    do {
        if (a > (INT_MAX / 10) || a * 10 > (size_t)(INT_MAX - (**fmt - '0')))
            luaL_error(L, "integral size overflow");
        a = a * 10 + (size_t)(*((*fmt)++) - '0');
    } while (isdigit((unsigned char)**fmt));
    return a;
}

static size_t structOptionSize(lua_State *L, int opt, const char **fmt) {
    switch (opt) {
        case 'B':
        case 'b': return 1;
        case 'H':
        case 'h': return sizeof(short);
        case 'L':
        case 'l': return sizeof(long);
        case 'T': return sizeof(size_t);
        case 'f': return sizeof(float);
        case 'd': return sizeof(double);
        case 'x': return 1;
        case 'c': return structNumber(L, fmt, 1);
        case 'i':
        case 'I': {
            size_t n = structNumber(L, fmt, sizeof(int));
            if (n > STRUCT_MAX_INT_SIZE)
                luaL_error(L, "integral size %d is larger than limit of %d", (int)n,
                           STRUCT_MAX_INT_SIZE);
            return n;
        }
        default: return 0;
    }
}

static size_t structPadding(size_t pos, const StructFormat *h, int opt, size_t size) {
    if (size == 0 || opt == 'c') return 0;
    if (size > (size_t)h->align) size = (size_t)h->align;
    return (size - (pos & (size - 1))) & (size - 1);
}

static void structControl(lua_State *L, int opt, const char **fmt, StructFormat *h) {
    switch (opt) {
        case ' ': return;
        case '>': h->bigEndian = true; return;
        case '<':
        case '=': h->bigEndian = false; return;
        case '!': {
            size_t a = structNumber(L, fmt, STRUCT_MAX_ALIGN);
            if (a == 0 || (a & (a - 1)) != 0)
                luaL_error(L, "alignment %d is not a power of 2", (int)a);
            h->align = (int)a;
            return;
        }
        default: {
            const char *msg = lua_pushfstring(L, "invalid format option '%c'", opt);
            luaL_argerror(L, 1, msg);
        }
    }
}

/* Byte order of a float/double copy: memory is little endian here. */
static void structOrderBytes(char *p, size_t size, bool bigEndian) {
    if (!bigEndian) return;
    for (size_t i = 0, j = size - 1; i < j; i++, j--) {
        char t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
}

static void structPutInteger(lua_State *L, luaL_Buffer *b, int arg, bool bigEndian, size_t size) {
    lua_Number n = luaL_checknumber(L, arg);
    uint64_t v = n < 0 ? (uint64_t)(int64_t)n : (uint64_t)n;
    char buf[STRUCT_MAX_INT_SIZE];
    /* Bytes past the eighth are zero, as Redis writes them. */
    for (size_t i = 0; i < size; i++) {
        size_t at = bigEndian ? size - 1 - i : i;
        buf[at] = (char)(i < 8 ? (v >> (8 * i)) & 0xff : 0);
    }
    luaL_addlstring(b, buf, size);
}

static int structPack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    StructFormat h = {false, 1};
    int arg = 2;
    size_t total = 0;
    luaL_Buffer b;
    lua_pushnil(L); /* keeps the arguments apart from the buffer's stack use */
    luaL_buffinit(L, &b);
    while (*fmt) {
        int opt = *fmt++;
        size_t size = structOptionSize(L, opt, &fmt);
        size_t pad = structPadding(total, &h, opt, size);
        total += pad;
        while (pad-- > 0) luaL_addchar(&b, '\0');
        switch (opt) {
            case 'b':
            case 'B':
            case 'h':
            case 'H':
            case 'l':
            case 'L':
            case 'T':
            case 'i':
            case 'I': structPutInteger(L, &b, arg++, h.bigEndian, size); break;
            case 'x': luaL_addchar(&b, '\0'); break;
            case 'f': {
                float f = (float)luaL_checknumber(L, arg++);
                structOrderBytes((char *)&f, size, h.bigEndian);
                luaL_addlstring(&b, (char *)&f, size);
                break;
            }
            case 'd': {
                double d = luaL_checknumber(L, arg++);
                structOrderBytes((char *)&d, size, h.bigEndian);
                luaL_addlstring(&b, (char *)&d, size);
                break;
            }
            case 'c':
            case 's': {
                size_t l;
                const char *s = luaL_checklstring(L, arg++, &l);
                if (size == 0) size = l;
                luaL_argcheck(L, l >= size, arg, "string too short");
                luaL_addlstring(&b, s, size);
                if (opt == 's') {
                    luaL_addchar(&b, '\0');
                    size++;
                }
                break;
            }
            default: structControl(L, opt, &fmt, &h);
        }
        total += size;
    }
    luaL_pushresult(&b);
    return 1;
}

static lua_Number structGetInteger(const char *p, bool bigEndian, bool isSigned, size_t size) {
    uint64_t v = 0;
    /* Only the low 8 bytes fit; wider integers keep their low part. */
    for (size_t i = 0; i < size; i++) {
        size_t at = bigEndian ? i : size - 1 - i;
        v = (v << 8) | (unsigned char)p[at];
    }
    if (!isSigned || size >= 8) return isSigned ? (lua_Number)(int64_t)v : (lua_Number)v;
    uint64_t mask = ~(uint64_t)0 << (size * 8 - 1);
    if (v & mask) v |= mask;
    return (lua_Number)(int64_t)v;
}

static int structUnpack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    size_t ld;
    const char *data = luaL_checklstring(L, 2, &ld);
    lua_Integer start = luaL_optinteger(L, 3, 1);
    luaL_argcheck(L, start > 0, 3, "offset must be 1 or greater");
    size_t pos = (size_t)start - 1;
    int n = 0;
    StructFormat h = {false, 1};
    while (*fmt) {
        int opt = *fmt++;
        size_t size = structOptionSize(L, opt, &fmt);
        pos += structPadding(pos, &h, opt, size);
        luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
        luaL_checkstack(L, 2, "too many results");
        switch (opt) {
            case 'b':
            case 'B':
            case 'h':
            case 'H':
            case 'l':
            case 'L':
            case 'T':
            case 'i':
            case 'I':
                lua_pushnumber(L, structGetInteger(data + pos, h.bigEndian, islower(opt), size));
                n++;
                break;
            case 'x': break;
            case 'f': {
                float f;
                memcpy(&f, data + pos, size);
                structOrderBytes((char *)&f, sizeof(f), h.bigEndian);
                lua_pushnumber(L, f);
                n++;
                break;
            }
            case 'd': {
                double d;
                memcpy(&d, data + pos, size);
                structOrderBytes((char *)&d, sizeof(d), h.bigEndian);
                lua_pushnumber(L, d);
                n++;
                break;
            }
            case 'c':
                if (size == 0) {
                    if (n == 0 || !lua_isnumber(L, -1))
                        luaL_error(L, "format 'c0' needs a previous size");
                    size = (size_t)lua_tonumber(L, -1);
                    lua_pop(L, 1);
                    n--;
                    luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
                }
                lua_pushlstring(L, data + pos, size);
                n++;
                break;
            case 's': {
                const char *e = memchr(data + pos, '\0', ld - pos);
                if (!e) luaL_error(L, "unfinished string in data");
                size = (size_t)(e - (data + pos)) + 1;
                lua_pushlstring(L, data + pos, size - 1);
                n++;
                break;
            }
            default: structControl(L, opt, &fmt, &h);
        }
        pos += size;
    }
    lua_pushinteger(L, (lua_Integer)pos + 1);
    return n + 1;
}

static int structSize(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    StructFormat h = {false, 1};
    size_t pos = 0;
    while (*fmt) {
        int opt = *fmt++;
        size_t size = structOptionSize(L, opt, &fmt);
        pos += structPadding(pos, &h, opt, size);
        if (opt == 's')
            luaL_argerror(L, 1, "option 's' has no fixed size");
        else if (opt == 'c' && size == 0)
            luaL_argerror(L, 1, "option 'c0' has variable length");
        if (!isalnum(opt)) structControl(L, opt, &fmt, &h);
        pos += size;
    }
    lua_pushinteger(L, (lua_Integer)pos);
    return 1;
}

int luaopenStruct(lua_State *L) {
    static const luaL_Reg fns[] = {
        {"pack", structPack}, {"unpack", structUnpack}, {"size", structSize}, {NULL, NULL}};
    lua_newtable(L);
    luaL_register(L, NULL, fns);
    return 1;
}
