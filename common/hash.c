/* hash.c — SipHash-1-2 (one compression round, two finalization rounds, the
 * variant Redis uses for its dicts), written from the SipHash paper's
 * description. The key halves are decoded once when the seed is set. */
#include "hash.h"

#include <ctype.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint8_t hashKey[16] = {0x6b, 0x76, 0x2d, 0x64, 0x65, 0x66, 0x61, 0x75,
                              0x6c, 0x74, 0x2d, 0x73, 0x65, 0x65, 0x64, 0x21};

static uint64_t hashK0, hashK1;
static int hashKeyDecoded;

static inline uint64_t load64le(const uint8_t *p, int nocase);

void hashSetSeed(const uint8_t seed[16]) {
    memcpy(hashKey, seed, 16);
    hashK0 = load64le(hashKey, 0);
    hashK1 = load64le(hashKey + 8, 0);
    hashKeyDecoded = 1;
}

void hashSeedRandom(void) {
    uint8_t seed[16];
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd >= 0 && read(fd, seed, sizeof(seed)) == (ssize_t)sizeof(seed)) {
        close(fd);
        hashSetSeed(seed);
        return;
    }
    if (fd >= 0) close(fd);
    uint64_t a = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    uint64_t b = (uint64_t)clock() * 0x9E3779B97F4A7C15ULL;
    memcpy(seed, &a, 8);
    memcpy(seed + 8, &b, 8);
    hashSetSeed(seed);
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = ROTL(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = ROTL(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = ROTL(v2, 32);                                                                         \
    } while (0)

static inline uint64_t load64le(const uint8_t *p, int nocase) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        uint8_t c = nocase ? (uint8_t)tolower(p[i]) : p[i];
        v = (v << 8) | c;
    }
    return v;
}

/* Always inlined so that each caller gets a copy specialised for its
 * constant `nocase`. */
static inline __attribute__((always_inline)) uint64_t siphash12(const uint8_t *in, size_t len,
                                                                int nocase) {
    if (__builtin_expect(!hashKeyDecoded, 0)) hashSetSeed(hashKey);
    uint64_t k0 = hashK0, k1 = hashK1;
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
    uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
    uint64_t v3 = 0x7465646279746573ULL ^ k1;
    uint64_t b = ((uint64_t)len) << 56;
    const uint8_t *end = in + len - (len % 8);
    for (; in != end; in += 8) {
        uint64_t m;
        if (nocase) {
            m = load64le(in, 1);
        } else {
            memcpy(&m, in, 8); /* little-endian hosts only (x86_64, aarch64) */
        }
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    int left = (int)(len & 7);
    for (int i = left - 1; i >= 0; i--) {
        uint8_t c = nocase ? (uint8_t)tolower(in[i]) : in[i];
        b |= ((uint64_t)c) << (8 * i);
    }
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t hashBytes(const void *data, size_t len) {
    return siphash12(data, len, 0);
}

uint64_t hashBytesNocaseTrusted(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        h = (h ^ c) * 0x100000001b3ULL;
    }
    return h;
}

uint64_t hashBytesNocase(const void *data, size_t len) {
    return siphash12(data, len, 1);
}
