/* function.h — Redis 7.0 functions: libraries of Lua functions loaded with
 * FUNCTION LOAD, called with FCALL/FCALL_RO, saved in RDB files as
 * FUNCTION2 opcodes and moved with FUNCTION DUMP/RESTORE. */
#ifndef KV_FUNCTION_H
#define KV_FUNCTION_H

#include <stddef.h>

/* Registers the RDB loader/saver of libraries; call before loading data. */
void functionInit(void);

/* The code (header included) of library i, 0 <= i < functionLibraryCount(),
 * in load order: what a plain AOF base writes back as FUNCTION LOAD. */
const char *functionLibraryCode(unsigned long i, size_t *len);

/* INFO memory. */
size_t functionLuaMemory(void);
size_t functionCodeMemory(void);
unsigned long functionCount(void);
unsigned long functionLibraryCount(void);

#endif
