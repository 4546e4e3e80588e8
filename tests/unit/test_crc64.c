/* test_crc64.c — CRC-64/Jones (common/crc64.c): the standard check value,
 * incremental use, every alignment, and a checksum taken from a real Redis
 * 7.0 DUMP payload. */
#include "crc64.h"
#include "testhelp.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Bit-at-a-time reference implementation of the same CRC. */
static uint64_t crcReference(uint64_t crc, const unsigned char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++) crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ULL : crc >> 1;
    }
    return crc;
}

static void testCheckValue(void) {
    TEST_CHECK(crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9caULL);
    TEST_CHECK(crc64(0, "", 0) == 0);
    TEST_CHECK(crc64(0x1234, "", 0) == 0x1234);
}

static void testIncremental(void) {
    unsigned char buf[1000];
    for (int i = 0; i < 1000; i++) buf[i] = (unsigned char)(i * 31 + 7);
    uint64_t whole = crc64(0, buf, sizeof(buf));
    TEST_CHECK(whole == crcReference(0, buf, sizeof(buf)));
    /* Any split point gives the same result. */
    bool allSame = true;
    for (size_t cut = 0; cut <= sizeof(buf); cut += 37) {
        uint64_t c = crc64(crc64(0, buf, cut), buf + cut, sizeof(buf) - cut);
        if (c != whole) allSame = false;
    }
    TEST_CHECK(allSame);
    /* Every start alignment and short length agrees with the reference. */
    bool alignOk = true;
    for (size_t off = 0; off < 16; off++)
        for (size_t len = 0; len < 40; len++)
            if (crc64(0, buf + off, len) != crcReference(0, buf + off, len)) alignOk = false;
    TEST_CHECK(alignOk);
}

static void testRedisDumpPayload(void) {
    /* redis-cli DUMP of SET foo bar on Redis 7.0.15:
     * "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" — the last 8 bytes are the
     * little-endian CRC-64 of the 7 before them. */
    static const unsigned char payload[] = {0x00, 0x03, 'b', 'a',  'r', 0x0a, 0x00, 0xe6,
                                            0xbe, 'I',  '`', 0xee, 'f', 0xfd, 0x17};
    uint64_t stored = 0;
    for (int i = 7; i >= 0; i--) stored = (stored << 8) | payload[7 + i];
    TEST_CHECK(crc64(0, payload, 7) == stored);
}

int main(void) {
    TEST_RUN(testCheckValue);
    TEST_RUN(testIncremental);
    TEST_RUN(testRedisDumpPayload);
    return TEST_REPORT();
}
