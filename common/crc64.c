/* crc64.c — CRC-64/Jones as Redis computes it for RDB files and DUMP
 * payloads (see crc64.h for the parameters).
 *
 * Implementation: the reflected, table-driven "slice-by-8" method. table[0]
 * is the classic byte-at-a-time table for the reflected polynomial;
 * table[k][b] is the CRC of byte b followed by k zero bytes, which lets the
 * loop fold 8 input bytes per step with 8 lookups. Our own code, written
 * from the algorithm's definition. */
#include "crc64.h"

#include <stdbool.h>
#include <string.h>

#define CRC64_POLY_REFLECTED 0x95ac9329ac4bc9b5ULL

static uint64_t crcTable[8][256];
static volatile bool crcReady = false;

void crc64Init(void) {
    if (crcReady) return;
    for (unsigned b = 0; b < 256; b++) {
        uint64_t c = b;
        for (int i = 0; i < 8; i++) c = (c & 1) ? (c >> 1) ^ CRC64_POLY_REFLECTED : c >> 1;
        crcTable[0][b] = c;
    }
    for (unsigned b = 0; b < 256; b++) {
        uint64_t c = crcTable[0][b];
        for (int k = 1; k < 8; k++) {
            c = crcTable[0][c & 0xff] ^ (c >> 8);
            crcTable[k][b] = c;
        }
    }
    crcReady = true;
}

uint64_t crc64(uint64_t crc, const void *data, size_t len) {
    const unsigned char *p = data;
    if (!crcReady) crc64Init();
    /* Bytes up to an 8-byte boundary, then 8 at a time, then the tail. */
    while (len && ((uintptr_t)p & 7)) {
        crc = crcTable[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
        len--;
    }
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        crc ^= w;
        crc = crcTable[7][crc & 0xff] ^ crcTable[6][(crc >> 8) & 0xff] ^
              crcTable[5][(crc >> 16) & 0xff] ^ crcTable[4][(crc >> 24) & 0xff] ^
              crcTable[3][(crc >> 32) & 0xff] ^ crcTable[2][(crc >> 40) & 0xff] ^
              crcTable[1][(crc >> 48) & 0xff] ^ crcTable[0][crc >> 56];
        p += 8;
        len -= 8;
    }
    while (len--) crc = crcTable[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}
