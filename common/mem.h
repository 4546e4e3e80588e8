/* mem.h — allocation wrappers with used-memory accounting.
 *
 * Every allocation of kvd's data goes through these so that INFO's
 * used_memory, maxmemory checks and MEMORY USAGE see real allocator sizes
 * (malloc_usable_size, which jemalloc answers exactly). Out of memory is
 * fatal: the functions never return NULL. */
#ifndef KV_MEM_H
#define KV_MEM_H

#include <stddef.h>

void *kvMalloc(size_t size);
void *kvCalloc(size_t size);
void *kvRealloc(void *ptr, size_t size);
void kvFree(void *ptr);
char *kvStrdup(const char *s);
/* Copies len bytes of s into a new NUL-terminated allocation. */
char *kvStrndup(const char *s, size_t len);
/* Bytes the allocator really reserved for ptr (0 for NULL). */
size_t kvAllocSize(const void *ptr);
/* Total bytes currently allocated through these functions. */
size_t kvMemUsed(void);
/* Allocator name for INFO's mem_allocator field. */
const char *kvMemAllocatorName(void);
/* Resident set size of this process in bytes, or 0 if unknown. */
size_t kvMemRss(void);

#endif
