/* eval.h — EVAL/EVALSHA(_RO) and SCRIPT: the script cache and the Lua state
 * scripts run in (INFO memory reads its sizes here). */
#ifndef KV_EVAL_H
#define KV_EVAL_H

#include <stddef.h>

/* Bytes used by the EVAL Lua state (used_memory_lua / used_memory_vm_eval). */
size_t evalLuaMemory(void);
/* Bytes of cached script bodies and their bookkeeping (used_memory_scripts_eval). */
size_t evalScriptsMemory(void);
unsigned long evalScriptCount(void);

#endif
