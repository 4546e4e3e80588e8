/* rdbfile.h — the RDB file format of Redis 7.0 (version 10), shared by kvd
 * (saving, loading, DUMP/RESTORE, later replication and AOF preambles) and
 * kv-check-rdb. Nothing here knows kvd's data structures: values travel as
 * strings, numbers and opaque blobs (listpacks, intsets, ziplists) that the
 * consumer validates and adopts.
 *
 * File layout
 * -----------
 *
 *   "REDIS" <4 ASCII digits: version>
 *   { AUX <string key> <string value> }            redis-ver, ctime, ...
 *   { MODULE_AUX ... | FUNCTION2 <string code> }
 *   { SELECTDB <len db>  [RESIZEDB <len keys> <len expires>]
 *     { [EXPIRETIME_MS <8 bytes LE ms> | EXPIRETIME <4 bytes LE s>]
 *       [IDLE <len seconds>] [FREQ <1 byte>]
 *       <type byte> <string key> <value by type> } }
 *   EOF <8 bytes LE CRC-64 of everything before them; 0 = not computed>
 *
 * Length encoding (first byte's top two bits):
 *   00xxxxxx              6-bit length
 *   01xxxxxx yyyyyyyy     14-bit length, big-endian
 *   10000000 + 4 bytes    32-bit length, big-endian
 *   10000001 + 8 bytes    64-bit length, big-endian
 *   11xxxxxx              special string encoding in the low bits:
 *                         0 INT8, 1 INT16, 2 INT32 (little-endian integers
 *                         standing for their decimal text), 3 LZF
 *                         (<len compressed> <len original> <bytes>).
 *
 * A string is a length then that many bytes, or one of the special
 * encodings. Doubles are 8 bytes of IEEE 754, little-endian ("binary
 * double"); the old ZSET type stores them as a length byte and text (253 NaN,
 * 254 +inf, 255 -inf).
 *
 * Values by type (what the parser delivers through RdbParserCallbacks):
 *   STRING            string                          -> string()
 *   LIST              len, len strings                -> count(), element()*
 *   SET               len, len strings                -> count(), element()*
 *   ZSET / ZSET_2     len, len (member, score)        -> count(), scored()*
 *   HASH              len, len (field, value)         -> count(), field()*
 *   HASH_ZIPMAP       string: a zipmap                -> blob(ZIPMAP)
 *   LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST
 *                     string: a ziplist               -> blob(ZIPLIST)
 *   SET_INTSET        string: an intset               -> blob(INTSET)
 *   HASH_LISTPACK, ZSET_LISTPACK
 *                     string: a listpack              -> blob(LISTPACK)
 *   LIST_QUICKLIST    len, len ziplists               -> count(), blob(ZIPLIST)*
 *   LIST_QUICKLIST_2  len, len (container, string): container 2 (PACKED)
 *                     is a listpack, 1 (PLAIN) one element
 *                                                     -> count(), blob(LISTPACK|PLAIN)*
 *   STREAM_LISTPACKS(_2), MODULE_2
 *                     parsed and checked for framing; the stream's listpacks
 *                     come as blob(STREAM_LISTPACK), the rest is skipped.
 *
 * Trust: every string length read from the input is checked against the
 * bytes that remain (when known) before anything is allocated, and LZF
 * output sizes are bounded by LZF's maximum expansion. Element counts are
 * passed on as read (a truncated file then fails with an EOF where the data
 * ends, as in Redis): consumers must not size allocations from them beyond
 * rdbReaderRemaining(). Errors are kept on the reader (first one wins) with
 * the offset where they arose; nothing here aborts.
 *
 * Ownership: strings handed to callbacks are borrowed for the duration of
 * the call; blobs are kvMalloc'd and may be adopted by setting *blob to NULL
 * (the adopter frees them with kvFree / the matching free function).
 */
#ifndef KV_RDBFILE_H
#define KV_RDBFILE_H

#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RDB_VERSION 10

/* Object types. */
#define RDB_TYPE_STRING             0
#define RDB_TYPE_LIST               1
#define RDB_TYPE_SET                2
#define RDB_TYPE_ZSET               3
#define RDB_TYPE_HASH               4
#define RDB_TYPE_ZSET_2             5
#define RDB_TYPE_MODULE             6 /* pre-release format, refused as Redis does */
#define RDB_TYPE_MODULE_2           7
#define RDB_TYPE_HASH_ZIPMAP        9
#define RDB_TYPE_LIST_ZIPLIST       10
#define RDB_TYPE_SET_INTSET         11
#define RDB_TYPE_ZSET_ZIPLIST       12
#define RDB_TYPE_HASH_ZIPLIST       13
#define RDB_TYPE_LIST_QUICKLIST     14
#define RDB_TYPE_STREAM_LISTPACKS   15
#define RDB_TYPE_HASH_LISTPACK      16
#define RDB_TYPE_ZSET_LISTPACK      17
#define RDB_TYPE_LIST_QUICKLIST_2   18
#define RDB_TYPE_STREAM_LISTPACKS_2 19
#define RDB_TYPE_MAX                19

/* Opcodes (bytes that take the place of a type byte). */
#define RDB_OPCODE_FUNCTION2     245
#define RDB_OPCODE_FUNCTION      246 /* pre-release format, refused */
#define RDB_OPCODE_MODULE_AUX    247
#define RDB_OPCODE_IDLE          248
#define RDB_OPCODE_FREQ          249
#define RDB_OPCODE_AUX           250
#define RDB_OPCODE_RESIZEDB      251
#define RDB_OPCODE_EXPIRETIME_MS 252
#define RDB_OPCODE_EXPIRETIME    253
#define RDB_OPCODE_SELECTDB      254
#define RDB_OPCODE_EOF           255

/* Length encoding. */
#define RDB_6BITLEN   0
#define RDB_14BITLEN  1
#define RDB_32BITLEN  0x80
#define RDB_64BITLEN  0x81
#define RDB_ENCVAL    3
#define RDB_ENC_INT8  0
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF   3

/* Quicklist 2 node containers. */
#define RDB_QUICKLIST_NODE_PLAIN  1
#define RDB_QUICKLIST_NODE_PACKED 2

/* Module value opcodes (MODULE_2 values and MODULE_AUX payloads). */
#define RDB_MODULE_OPCODE_EOF    0
#define RDB_MODULE_OPCODE_SINT   1
#define RDB_MODULE_OPCODE_UINT   2
#define RDB_MODULE_OPCODE_FLOAT  3
#define RDB_MODULE_OPCODE_DOUBLE 4
#define RDB_MODULE_OPCODE_STRING 5

/* Blob kinds handed to RdbParserCallbacks.blob. */
#define RDB_BLOB_ZIPMAP          1
#define RDB_BLOB_ZIPLIST         2
#define RDB_BLOB_INTSET          3
#define RDB_BLOB_LISTPACK        4
#define RDB_BLOB_PLAIN           5 /* a quicklist PLAIN node: one element */
#define RDB_BLOB_STREAM_LISTPACK 6

/* True for the type bytes Redis 7.0 accepts as object types. */
bool rdbIsObjectType(int type);
/* The name redis-check-rdb prints for a type ("hash-listpack"…), "" when
 * unknown. */
const char *rdbTypeName(int type);

/* ------------------------------------------------------------------------
 * Writing
 * ---------------------------------------------------------------------- */

/* Output to a stdio stream or to a growing dstr. Errors are sticky: after
 * the first failure every write does nothing and returns false, so a caller
 * may write many items and check `failed` once. */
typedef struct RdbWriter {
    FILE *fp;           /* NULL: buffer mode */
    dstr buf;           /* buffer mode: the bytes written (owned) */
    uint64_t crc;       /* CRC-64 of every byte written, when checksum */
    bool checksum;      /* keep crc up to date */
    bool compress;      /* try LZF on strings longer than 20 bytes */
    bool failed;        /* a write failed (errno kept in savedErrno) */
    int savedErrno;     /* errno of the failure */
    uint64_t written;   /* bytes written so far */
    uint64_t keysSaved; /* for progress reports; the user maintains it */
    /* File mode stages writes in out[0..outLen) and hands them to fp in
     * large blocks; the CRC runs over whole blocks too: crc covers every
     * byte before out[crcPos] (buffer mode: before buf[crcPos]). */
    unsigned char *out;
    size_t outLen, outCap, crcPos;
} RdbWriter;

/* Writes to fp (not closed by the writer). The bytes reach fp in blocks:
 * rdbWriteFooter (or rdbWriterFlush) hands over the rest and frees the
 * staging buffer; call one of them before using fp or dropping the writer. */
void rdbWriterInitFile(RdbWriter *w, FILE *fp, bool checksum, bool compress);
/* File mode: writes the staged bytes to fp and frees the staging buffer
 * (later writes stage again). Returns false when the writer has failed. */
bool rdbWriterFlush(RdbWriter *w);
/* Writes into w->buf (take it with rdbWriterTakeBuffer or free it with
 * rdbWriterFreeBuffer). */
void rdbWriterInitBuffer(RdbWriter *w, bool checksum, bool compress);
dstr rdbWriterTakeBuffer(RdbWriter *w);
void rdbWriterFreeBuffer(RdbWriter *w);

bool rdbWriteRaw(RdbWriter *w, const void *p, size_t len);
bool rdbWriteType(RdbWriter *w, unsigned char type);
bool rdbWriteLen(RdbWriter *w, uint64_t len);
/* 8 bytes little-endian, as EXPIRETIME_MS and stream times. */
bool rdbWriteMillis(RdbWriter *w, int64_t ms);
/* A string with Redis's encoding choice: integer encoding when the bytes are
 * the canonical decimal text of a number fitting 32 bits (and at most 11
 * bytes), LZF when w->compress, longer than 20 bytes and it saves space,
 * verbatim otherwise. */
bool rdbWriteString(RdbWriter *w, const void *s, size_t len);
/* A number as a string (integer encoding when it fits 32 bits, else its
 * decimal text). */
bool rdbWriteLongLongAsString(RdbWriter *w, long long v);
/* A string already LZF-compressed (quicklist nodes kept compressed). */
bool rdbWriteLzfString(RdbWriter *w, const void *compressed, size_t clen, size_t origLen);
bool rdbWriteBinaryDouble(RdbWriter *w, double d);
/* "REDIS0010". */
bool rdbWriteHeader(RdbWriter *w);
bool rdbWriteAuxString(RdbWriter *w, const char *key, const char *val);
bool rdbWriteAuxLongLong(RdbWriter *w, const char *key, long long val);
/* EOF opcode then the CRC-64 (0 when the writer does not checksum); then
 * rdbWriterFlush. */
bool rdbWriteFooter(RdbWriter *w);
/* Appends the DUMP trailer (RDB version, 2 bytes LE, then the CRC-64 of
 * everything in the buffer) to a buffer-mode writer. */
bool rdbWriteDumpTrailer(RdbWriter *w);
/* Checks that trailer on a DUMP / FUNCTION DUMP payload: both fields
 * present, version not newer than RDB_VERSION, and (when checkCrc) the CRC-64
 * matching. */
bool rdbDumpTrailerValid(const unsigned char *p, size_t len, bool checkCrc);

/* Bytes that rdbWriteLen uses for len. */
size_t rdbLenSize(uint64_t len);

/* ------------------------------------------------------------------------
 * Reading
 * ---------------------------------------------------------------------- */

#define RDB_ERRSTR_SIZE 256

typedef struct RdbReader {
    FILE *fp;                 /* file mode: not closed by the reader */
    const unsigned char *mem; /* memory mode */
    size_t memLen;
    uint64_t offset;    /* bytes consumed */
    uint64_t limit;     /* total bytes of the input when known, else UINT64_MAX */
    uint64_t crc;       /* CRC-64 of the bytes consumed up to crcOffset (see rdbReaderCrc) */
    uint64_t crcOffset; /* memory mode: bytes already folded into crc */
    bool checksum;      /* maintain crc */
    /* File mode on a regular file reads ahead into buf: buf[bufPos..bufLen)
     * is read from fp but not consumed yet, buf[crcPos..bufPos) consumed but
     * not yet in crc (the CRC runs over whole runs, not each small read).
     * rdbReaderRelease() gives the unconsumed bytes back to fp. */
    unsigned char *buf;
    size_t bufPos, bufLen, bufCap, crcPos;
    bool failed;        /* an error was recorded */
    bool eof;           /* the error was running out of input */
    uint64_t errOffset; /* offset when the error was recorded */
    char err[RDB_ERRSTR_SIZE];
    /* Optional progress hook: called after a read that takes offset to or
     * past progressNext, which then advances by progressEvery (loading
     * reports, serving clients during a long load). */
    void (*progress)(struct RdbReader *r, void *priv);
    void *progressPriv;
    uint64_t progressEvery, progressNext;
} RdbReader;

/* Reads from fp at its current position; limit is taken from the file size
 * when fp is a regular file (which is then read ahead in large blocks: call
 * rdbReaderRelease when done). */
void rdbReaderInitFile(RdbReader *r, FILE *fp, bool checksum);
void rdbReaderInitMemory(RdbReader *r, const void *p, size_t len, bool checksum);
/* Frees the read-ahead buffer and seeks fp back to just after the last byte
 * consumed, so that fp's position is r->offset bytes past where the reader
 * started (what follows an AOF's RDB preamble is read from there). No-op for
 * memory readers; safe to call twice. */
void rdbReaderRelease(RdbReader *r);
/* The CRC-64 of every byte consumed so far (when checksum). */
uint64_t rdbReaderCrc(RdbReader *r);
/* Records an error (only the first one is kept); returns false. */
bool rdbReaderFail(RdbReader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes left when known (UINT64_MAX otherwise). */
uint64_t rdbReaderRemaining(const RdbReader *r);

bool rdbReadRaw(RdbReader *r, void *dst, size_t len);
bool rdbReadByte(RdbReader *r, unsigned char *b);
/* A length; with isEncoded non-NULL a special string encoding is reported
 * there (and *len holds the RDB_ENC_* value), otherwise it is an error. */
bool rdbReadLen(RdbReader *r, uint64_t *len, bool *isEncoded);
bool rdbReadMillis(RdbReader *r, int64_t *ms);
bool rdbReadBinaryDouble(RdbReader *r, double *d);
bool rdbReadBinaryFloat(RdbReader *r, float *f);
/* The text form of old ZSET scores. */
bool rdbReadOldDouble(RdbReader *r, double *d);

/* A reusable string buffer for rdbReadString. */
typedef struct RdbBuf {
    char *ptr; /* kvMalloc'd, NUL-terminated, may be NULL when cap is 0 */
    size_t len;
    size_t cap;
    bool wasInt; /* the string was integer-encoded */
} RdbBuf;

void rdbBufFree(RdbBuf *b);
/* Hands the bytes to the caller (kvFree them; the buffer is left empty). */
char *rdbBufTake(RdbBuf *b, size_t *len);

/* Reads a string of any encoding into b (integers become decimal text). */
bool rdbReadString(RdbReader *r, RdbBuf *b);
/* Skips a string (still decompressing LZF to check it). */
bool rdbSkipString(RdbReader *r);

/* ------------------------------------------------------------------------
 * Legacy encodings: ziplists and zipmaps (read only; Redis 7.0 loads them
 * from old files and converts them).
 * ---------------------------------------------------------------------- */

/* Called for each entry: a string (s != NULL) or an integer (s == NULL, v).
 * Return false to stop (the walk then fails). */
typedef bool RdbEntryFn(void *priv, const unsigned char *s, size_t len, long long v);

/* Walks a ziplist from untrusted bytes, checking its header, every entry's
 * bounds, prevlen and encoding, the tail offset, the count (when below
 * 65535) and the terminator; calls fn (may be NULL) for each entry. Returns
 * the number of entries in *count. Never reads outside zl[0..size). */
bool rdbZiplistWalk(const unsigned char *zl, size_t size, RdbEntryFn *fn, void *priv,
                    unsigned long *count);
/* Walks a zipmap (key, value, key, value…) from untrusted bytes the same
 * way; *count receives the number of pairs. */
bool rdbZipmapWalk(const unsigned char *zm, size_t size, RdbEntryFn *fn, void *priv,
                   unsigned long *count);

/* ------------------------------------------------------------------------
 * Deep checks shared by kvd's loader and kv-check-rdb
 * ---------------------------------------------------------------------- */

/* Checks a HASH_LISTPACK (scores false) or ZSET_LISTPACK (scores true) value
 * from untrusted bytes: the listpack's structure entry by entry, an even
 * number of entries, every score parsing as a number, no field or member
 * twice. Returns NULL when sound, with the pair count in *pairs and the
 * longest entry (as text) in *maxLen; otherwise Redis 7.0's reason ("Hash
 * listpack integrity check failed." / "Zset listpack integrity check
 * failed."). O(n log n) for the duplicate check. */
const char *rdbCheckPairListpack(const unsigned char *lp, size_t len, bool scores,
                                 unsigned long *pairs, size_t *maxLen);

/* ------------------------------------------------------------------------
 * The parser
 * ---------------------------------------------------------------------- */

/* What the parser is doing, for error reports (redis-check-rdb's
 * "While doing" line). */
enum {
    RDB_STAGE_START = 0,
    RDB_STAGE_READ_TYPE,
    RDB_STAGE_READ_EXPIRE,
    RDB_STAGE_READ_KEY,
    RDB_STAGE_READ_VALUE,
    RDB_STAGE_CHECK_SUM,
    RDB_STAGE_READ_AUX,
    RDB_STAGE_READ_MODULE_AUX,
    RDB_STAGE_READ_FUNCTIONS,
    RDB_STAGE_READ_LEN, /* SELECTDB and RESIZEDB operands */
};
const char *rdbStageName(int stage);

typedef struct RdbKeyInfo {
    int dbid;
    int type;        /* RDB_TYPE_* */
    const char *key; /* borrowed, valid until keyEnd returns */
    size_t keyLen;
    long long expireMs; /* absolute unix time in ms, -1 when none */
    long long idleSec;  /* IDLE opcode, -1 when none */
    int freq;           /* FREQ opcode, -1 when none */
    uint64_t offset;    /* offset of the key's first byte (expire or type) */
} RdbKeyInfo;

/* Every callback may be NULL (the event is then ignored; a NULL blob
 * callback frees the blob). A callback returns false to stop the parse; it
 * should record why with rdbReaderFail(parser->reader, …) first, or a
 * generic message is recorded. */
typedef struct RdbParserCallbacks {
    bool (*header)(void *priv, int version);
    bool (*aux)(void *priv, const char *key, size_t klen, const char *val, size_t vlen);
    bool (*selectDb)(void *priv, uint64_t dbid);
    bool (*resizeDb)(void *priv, uint64_t dbSize, uint64_t expiresSize);
    /* A module's aux data (skipped); name is the 9-character module name. */
    bool (*moduleAux)(void *priv, const char *name, uint64_t when);
    /* A FUNCTION2 library (its code). */
    bool (*function)(void *priv, const char *code, size_t len);

    bool (*keyBegin)(void *priv, const RdbKeyInfo *key);
    bool (*string)(void *priv, const char *p, size_t len);
    /* The element (list, set, zset, hash) or node (quicklist) count read
     * from the file, before the elements. */
    bool (*count)(void *priv, uint64_t n);
    bool (*element)(void *priv, const char *p, size_t len);
    bool (*field)(void *priv, const char *f, size_t flen, const char *v, size_t vlen);
    bool (*scored)(void *priv, const char *m, size_t mlen, double score);
    bool (*blob)(void *priv, int kind, unsigned char **blob, size_t len);
    /* A value of a type the parser skips (MODULE_2): its module name. */
    bool (*opaque)(void *priv, const char *what);
    bool (*keyEnd)(void *priv, const RdbKeyInfo *key);

    /* After EOF: checksumStatus is 0 OK, 1 not present (saved with
     * rdbchecksum no, or an old version). */
    bool (*end)(void *priv, int checksumStatus);
} RdbParserCallbacks;

typedef struct RdbParser {
    RdbReader *reader;
    const RdbParserCallbacks *cb;
    void *priv;
    int version; /* of the file being read (RDB_VERSION for DUMP payloads) */
    int stage;   /* RDB_STAGE_* */
    int dbid;
    RdbKeyInfo keyInfo;        /* the key being read: its type from the READ_KEY stage on,
                                * the key itself while inKey */
    int lastType;              /* the last type byte read */
    bool inKey;                /* keyInfo.key is valid */
    RdbBuf keyBuf, buf1, buf2; /* scratch */
    unsigned long long keysRead;
} RdbParser;

void rdbParserInit(RdbParser *p, RdbReader *r, const RdbParserCallbacks *cb, void *priv);
void rdbParserFree(RdbParser *p);
/* Parses a whole file: header, every opcode and key, EOF and checksum.
 * True on success; otherwise p->reader holds the error and p->stage,
 * p->keyInfo tell where. */
bool rdbParse(RdbParser *p);
/* Parses one value of the given type (DUMP payloads: the type byte was read
 * by the caller), delivering only value callbacks. */
bool rdbParseValue(RdbParser *p, int type);

#endif
