/* test_hash.c — common/hash.c: SipHash-1-2 checked against a plain
 * reference SipHash-c-d written here from the paper, the reference itself
 * anchored by the paper's SipHash-2-4 example; the case-insensitive variants;
 * seeding. */
#include "hash.h"
#include "testhelp.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

static uint64_t rotl(uint64_t x, int b) {
    return (x << b) | (x >> (64 - b));
}

static void round1(uint64_t v[4]) {
    v[0] += v[1];
    v[1] = rotl(v[1], 13);
    v[1] ^= v[0];
    v[0] = rotl(v[0], 32);
    v[2] += v[3];
    v[3] = rotl(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = rotl(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = rotl(v[1], 17);
    v[1] ^= v[2];
    v[2] = rotl(v[2], 32);
}

static uint64_t le64(const uint8_t *p) {
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--) x = (x << 8) | p[i];
    return x;
}

/* SipHash-c-d, byte by byte as the paper describes it. */
static uint64_t sipRef(int c, int d, const uint8_t key[16], const uint8_t *m, size_t len) {
    uint64_t k0 = le64(key), k1 = le64(key + 8);
    uint64_t v[4] = {0x736f6d6570736575ULL ^ k0, 0x646f72616e646f6dULL ^ k1,
                     0x6c7967656e657261ULL ^ k0, 0x7465646279746573ULL ^ k1};
    size_t blocks = len / 8;
    for (size_t i = 0; i < blocks; i++) {
        uint64_t w = le64(m + 8 * i);
        v[3] ^= w;
        for (int r = 0; r < c; r++) round1(v);
        v[0] ^= w;
    }
    uint8_t last[8] = {0};
    memcpy(last, m + 8 * blocks, len % 8);
    last[7] = (uint8_t)len;
    uint64_t w = le64(last);
    v[3] ^= w;
    for (int r = 0; r < c; r++) round1(v);
    v[0] ^= w;
    v[2] ^= 0xff;
    for (int r = 0; r < d; r++) round1(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint8_t key[16];

static void testReferenceAnchor(void) {
    /* The SipHash paper's worked example: key 00..0f, message 00..0e. */
    uint8_t k[16], msg[15];
    for (int i = 0; i < 16; i++) k[i] = (uint8_t)i;
    for (int i = 0; i < 15; i++) msg[i] = (uint8_t)i;
    TEST_CHECK(sipRef(2, 4, k, msg, 15) == 0xa129ca6149be45e5ULL);
}

static void testMatchesReference(void) {
    uint8_t buf[300];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    /* every length 0..299, and every alignment for the short ones */
    for (size_t len = 0; len < sizeof(buf); len++)
        TEST_CHECK(hashBytes(buf, len) == sipRef(1, 2, key, buf, len));
    for (size_t off = 1; off < 8; off++)
        for (size_t len = 0; len < 40; len++)
            TEST_CHECK(hashBytes(buf + off, len) == sipRef(1, 2, key, buf + off, len));
}

static void testNocase(void) {
    const char *a = "Hello-World_123 MiXeD cAsE over eight bytes";
    char lower[64];
    size_t n = strlen(a);
    for (size_t i = 0; i < n; i++) lower[i] = (char)tolower((unsigned char)a[i]);
    TEST_CHECK(hashBytesNocase(a, n) == hashBytes(lower, n));
    TEST_CHECK(hashBytesNocase(a, n) == hashBytesNocase(lower, n));
    TEST_CHECK(hashBytesNocaseTrusted("GET", 3) == hashBytesNocaseTrusted("get", 3));
    TEST_CHECK(hashBytesNocaseTrusted("GET", 3) != hashBytesNocaseTrusted("set", 3));
    TEST_CHECK(hashBytes("a", 1) != hashBytes("A", 1));
}

static void testSeedChangesHash(void) {
    uint64_t before = hashBytes("some key", 8);
    uint8_t other[16];
    memcpy(other, key, 16);
    other[0] ^= 1;
    hashSetSeed(other);
    TEST_CHECK(hashBytes("some key", 8) == sipRef(1, 2, other, (const uint8_t *)"some key", 8));
    TEST_CHECK(hashBytes("some key", 8) != before);
    hashSetSeed(key);
    TEST_CHECK(hashBytes("some key", 8) == before);
}

int main(void) {
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)(0xa0 + i * 7);
    hashSetSeed(key);
    TEST_RUN(testReferenceAnchor);
    TEST_RUN(testMatchesReference);
    TEST_RUN(testNocase);
    TEST_RUN(testSeedChangesHash);
    return TEST_REPORT();
}
