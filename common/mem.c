/* mem.c — allocation wrappers with used-memory accounting (see mem.h).
 *
 * The counter is updated with relaxed atomics because background threads
 * (lazy free, fsync) may allocate too. */
#include "mem.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t memUsed = 0;

static void memAccount(const void *ptr, int sign) {
    size_t n = malloc_usable_size((void *)ptr);
    if (sign > 0)
        __atomic_add_fetch(&memUsed, n, __ATOMIC_RELAXED);
    else
        __atomic_sub_fetch(&memUsed, n, __ATOMIC_RELAXED);
}

static void memOutOfMemory(size_t size) {
    fprintf(stderr, "kv: out of memory allocating %zu bytes\n", size);
    fflush(stderr);
    abort();
}

void *kvMalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) memOutOfMemory(size);
    memAccount(p, 1);
    return p;
}

void *kvCalloc(size_t size) {
    void *p = calloc(1, size ? size : 1);
    if (!p) memOutOfMemory(size);
    memAccount(p, 1);
    return p;
}

void *kvRealloc(void *ptr, size_t size) {
    if (!ptr) return kvMalloc(size);
    size_t old = malloc_usable_size(ptr);
    void *p = realloc(ptr, size ? size : 1);
    if (!p) memOutOfMemory(size);
    size_t now = malloc_usable_size(p);
    if (now >= old)
        __atomic_add_fetch(&memUsed, now - old, __ATOMIC_RELAXED);
    else
        __atomic_sub_fetch(&memUsed, old - now, __ATOMIC_RELAXED);
    return p;
}

void kvFree(void *ptr) {
    if (!ptr) return;
    memAccount(ptr, -1);
    free(ptr);
}

char *kvStrndup(const char *s, size_t len) {
    char *p = kvMalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *kvStrdup(const char *s) {
    return kvStrndup(s, strlen(s));
}

size_t kvAllocSize(const void *ptr) {
    return ptr ? malloc_usable_size((void *)ptr) : 0;
}

size_t kvMemUsed(void) {
    return __atomic_load_n(&memUsed, __ATOMIC_RELAXED);
}

const char *kvMemAllocatorName(void) {
#ifdef KV_NO_JEMALLOC
    return "libc";
#else
    return "jemalloc-5.3.0";
#endif
}

size_t kvMemRss(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    if (n != 2) return 0;
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}
