/* debug.h — the DEBUG command's state that other modules read, the dataset
 * digest (DEBUG DIGEST / DIGEST-VALUE) and the per-type hooks through which
 * each data type plugs into DEBUG.
 *
 * Digest: Redis's algorithm, so that kvd and redis-server holding the same
 * data print the same DEBUG DIGEST (tests compare masters and replicas, and
 * kvd with Redis, this way). Every key contributes
 *     d = mix(0, key); d = mix(d, htonl(type)); <type's value digest into d>;
 *     if (it has an expire) d = xor(d, "!!expire!!");
 * and the dataset digest is, per non-empty database j in order,
 *     final = mix(final, htonl(j)); then final ^= d for each of its keys
 * where xor(d, p) XORs SHA1(p) into d and mix(d, p) does that and then
 * replaces d by SHA1(d). Empty data gives 40 zeros. Strings are built in;
 * other types register a DebugTypeOps with their own value digest, which for
 * ordered values mixes each element and for unordered ones XORs per-element
 * digests (see Redis's xorObjectDigest for each type's exact recipe). */
#ifndef KV_DEBUG_H
#define KV_DEBUG_H

#include "dict.h"
#include "dstr.h"
#include "object.h"

#include <stdbool.h>
#include <stddef.h>

#define DEBUG_DIGEST_LEN 20

/* DEBUG REPLYBUFFER PEAK-RESET-TIME: milliseconds between resets of a
 * client's reply buffer peak (-1: never; default 5000). */
extern long long debugReplyBufferPeakResetTime;
/* DEBUG REPLYBUFFER RESIZING: whether client cron may resize reply buffers
 * (default true). */
extern bool debugReplyBufferResizing;
/* DEBUG SET-SKIP-CHECKSUM-VALIDATION: load RDB files and accept RESTORE /
 * FUNCTION RESTORE payloads without verifying their CRC-64 (default false). */
extern bool debugSkipChecksumValidation;
/* DEBUG AOF-FLUSH-SLEEP: microseconds to sleep before each AOF write (0). */
extern long long debugAofFlushSleepUs;
/* DEBUG DROP-CLUSTER-PACKET-FILTER: the cluster bus message type to drop
 * on receipt (-1: none). Stored only, until cluster mode exists. */
extern long long debugClusterDropPacketFilter;

/* digest ^= SHA1(ptr, len). */
void debugXorDigest(unsigned char *digest, const void *ptr, size_t len);
/* debugXorDigest, then digest = SHA1(digest). Order-sensitive. */
void debugMixDigest(unsigned char *digest, const void *ptr, size_t len);

/* What a data type provides to DEBUG. Every member may be NULL. */
typedef struct DebugTypeOps {
    /* Adds the value of o (of this type) into digest, as Redis's
     * xorObjectDigest does for the type (the key, type and expire parts are
     * done by the caller). */
    void (*digestValue)(unsigned char *digest, const Object *o);
    /* The hash table behind o when its encoding is one (HTSTATS-KEY), or NULL
     * for other encodings. Borrowed. */
    Dict *(*hashTable)(const Object *o);
    /* Bytes the value takes in an RDB file (DEBUG OBJECT serializedlength). */
    size_t (*serializedLength)(const Object *o);
    /* Appends extra " name:value" pairs to DEBUG OBJECT's line (Redis adds
     * ql_nodes… for quicklists); returns the grown string. */
    dstr (*objectExtra)(const Object *o, dstr out);
} DebugTypeOps;

/* Registers the hooks of `type` (OBJ_LIST…); ops is borrowed and must stay
 * valid (a static). Strings need no registration. */
void debugRegisterType(int type, const DebugTypeOps *ops);

/* Digest of one key's value (DEBUG DIGEST-VALUE; zeros when o is NULL). */
void debugObjectDigest(const Object *o, unsigned char *digest);
/* Digest of every database (DEBUG DIGEST). */
void debugDatasetDigest(unsigned char *digest);

#endif
