/* crc64.h — the CRC-64 Redis puts at the end of RDB files and DUMP payloads.
 *
 * Parameters (the "Jones" CRC-64 as Redis uses it): polynomial
 * 0xad93d23594c935a9 in reflected form (0x95ac9329ac4bc9b5), input and
 * output reflected, initial value 0, no final XOR. Check value:
 * crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca.
 *
 * The value is stored little-endian after the data it covers. Thread-safe
 * once crc64Init() ran (crc64() calls it on first use).
 */
#ifndef KV_CRC64_H
#define KV_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* Builds the lookup tables (idempotent; crc64 calls it when needed). */
void crc64Init(void);

/* Continues the CRC `crc` (0 to start) over len bytes of p and returns the
 * new value. O(len), about 8 bytes per table step. */
uint64_t crc64(uint64_t crc, const void *p, size_t len);

#endif
