/* hash.h — keyed hashing for hash tables.
 *
 * SipHash-1-2 with a process-wide random 128-bit key, so that clients cannot
 * pick keys that collide (hash flooding). A case-insensitive variant hashes
 * ASCII letters as lower case, for tables keyed by command or config names. */
#ifndef KV_HASH_H
#define KV_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Sets the 16-byte key; call once at start-up before any table is filled. */
void hashSetSeed(const uint8_t seed[16]);
/* Seeds from /dev/urandom (falls back to time and pid). */
void hashSeedRandom(void);
uint64_t hashBytes(const void *data, size_t len);
uint64_t hashBytesNocase(const void *data, size_t len);
/* FNV-1a over ASCII-lowercased bytes: fast, but with no defence against
 * chosen collisions — only for tables whose keys the program alone inserts
 * (command names), where a lookup cannot make the table degrade. */
uint64_t hashBytesNocaseTrusted(const void *data, size_t len);

#endif
