/* fuzz_chunks.h — cutting a fuzz input into the pieces a socket would
 * deliver, so that the readers under test see every kind of partial read.
 *
 * Seed 0 means "all at once". Any other seed drives a small xorshift
 * generator; piece sizes are 1..max where max is `base` shifted left by
 * 3 * (seed >> 6), i.e. base, 8*base, 64*base or 512*base. The same seed
 * always gives the same pieces, so a saved crash input replays exactly. */
#ifndef KV_FUZZ_CHUNKS_H
#define KV_FUZZ_CHUNKS_H

#include <stddef.h>
#include <stdint.h>

typedef struct FuzzChunker {
    unsigned seed;
    uint32_t rng;
    size_t maxChunk;
} FuzzChunker;

static inline void fuzzChunkerInit(FuzzChunker *c, unsigned seed, size_t base) {
    c->seed = seed;
    c->rng = seed * 2654435761u + 1;
    c->maxChunk = base << ((seed >> 6) * 3);
}

/* The size of the next piece when `remaining` bytes are left (> 0). */
static inline size_t fuzzChunkNext(FuzzChunker *c, size_t remaining) {
    if (!c->seed) return remaining;
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 17;
    c->rng ^= c->rng << 5;
    size_t n = 1 + c->rng % c->maxChunk;
    return n < remaining ? n : remaining;
}

#endif
