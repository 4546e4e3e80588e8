/* lua_libs.h — the Lua libraries Redis scripts rely on that Debian does not
 * package: struct (lua_struct.c) and cmsgpack (lua_cmsgpack.c). cjson and
 * bit come from Debian's lua-cjson and lua-bitop (script.c opens them).
 * Each opener returns the library table (the caller sets the global). */
#ifndef KV_LUA_LIBS_H
#define KV_LUA_LIBS_H

#include <lua.h>

int luaopenStruct(lua_State *L);
int luaopenCmsgpack(lua_State *L);

#endif
