/* rdbfile.c — encoders, decoders and the streaming parser of the RDB format
 * (version 10, Redis 7.0). See rdbfile.h for the layout and the trust and
 * ownership rules; this file holds no knowledge of kvd's objects.
 *
 * Sections: writer, reader primitives, strings (integer and LZF encodings),
 * ziplist and zipmap walkers, the parser (file framing, then values by type).
 */
#include "rdbfile.h"

#include "crc64.h"
#include "listpack.h"
#include "mem.h"
#include "numconv.h"

#include <errno.h>
#include <liblzf/lzf.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* LZF never expands output by more than this factor (a 3-byte back
 * reference yields at most 264 bytes); a header claiming more is corrupt. */
#define LZF_MAX_RATIO 100

static const char *const typeNames[] = {
    "string",
    "list-linked",
    "set-hashtable",
    "zset-v1",
    "hash-hashtable",
    "zset-v2",
    "module-pre-release",
    "module-value",
    "",
    "hash-zipmap",
    "list-ziplist",
    "set-intset",
    "zset-ziplist",
    "hash-ziplist",
    "quicklist",
    "stream",
    "hash-listpack",
    "zset-listpack",
    "quicklist-v2",
    "stream-v2",
};

bool rdbIsObjectType(int type) {
    return (type >= RDB_TYPE_STRING && type <= RDB_TYPE_MODULE_2) ||
           (type >= RDB_TYPE_HASH_ZIPMAP && type <= RDB_TYPE_MAX);
}

const char *rdbTypeName(int type) {
    if (type < 0 || type > RDB_TYPE_MAX) return "";
    return typeNames[type];
}

/* ------------------------------------------------------------------------
 * Writer
 * ---------------------------------------------------------------------- */

/* Staging block of file writers (see RdbWriter). */
#define RDB_WRITE_BLOCK (256 * 1024)

void rdbWriterInitFile(RdbWriter *w, FILE *fp, bool checksum, bool compress) {
    memset(w, 0, sizeof(*w));
    w->fp = fp;
    w->checksum = checksum;
    w->compress = compress;
}

void rdbWriterInitBuffer(RdbWriter *w, bool checksum, bool compress) {
    memset(w, 0, sizeof(*w));
    w->buf = dstrEmpty();
    w->checksum = checksum;
    w->compress = compress;
}

dstr rdbWriterTakeBuffer(RdbWriter *w) {
    dstr b = w->buf;
    w->buf = NULL;
    return b;
}

void rdbWriterFreeBuffer(RdbWriter *w) {
    if (w->buf) dstrFree(w->buf);
    w->buf = NULL;
}

/* Folds the bytes written but not yet checksummed into w->crc. */
static void writerCrcSync(RdbWriter *w) {
    if (!w->checksum) return;
    if (w->fp) {
        if (w->outLen > w->crcPos)
            w->crc = crc64(w->crc, w->out + w->crcPos, w->outLen - w->crcPos);
        w->crcPos = w->outLen;
    } else if (w->buf) {
        size_t len = dstrLen(w->buf);
        if (len > w->crcPos) w->crc = crc64(w->crc, w->buf + w->crcPos, len - w->crcPos);
        w->crcPos = len;
    }
}

static bool writerFail(RdbWriter *w) {
    w->failed = true;
    w->savedErrno = errno ? errno : EIO;
    return false;
}

/* Hands the staged bytes to fp (checksumming them first). */
static bool writerDrain(RdbWriter *w) {
    writerCrcSync(w);
    size_t n = w->outLen;
    w->outLen = w->crcPos = 0;
    if (n && !w->failed && fwrite(w->out, 1, n, w->fp) != n) return writerFail(w);
    return !w->failed;
}

bool rdbWriterFlush(RdbWriter *w) {
    if (!w->fp) return !w->failed;
    bool ok = writerDrain(w);
    kvFree(w->out);
    w->out = NULL;
    w->outCap = 0;
    return ok;
}

bool rdbWriteRaw(RdbWriter *w, const void *p, size_t len) {
    if (w->failed) return false;
    if (len == 0) return true;
    if (w->fp) {
        if (len > w->outCap - w->outLen) {
            if (!w->out) {
                w->outCap = RDB_WRITE_BLOCK;
                w->out = kvMalloc(w->outCap);
            }
            if (w->outLen && !writerDrain(w)) return false;
            if (len >= w->outCap) {
                /* Large values go straight to fp. */
                if (fwrite(p, 1, len, w->fp) != len) return writerFail(w);
                if (w->checksum) w->crc = crc64(w->crc, p, len);
                w->written += len;
                return true;
            }
        }
        memcpy(w->out + w->outLen, p, len);
        w->outLen += len;
    } else {
        w->buf = dstrCatLen(w->buf, p, len); /* checksummed lazily */
    }
    w->written += len;
    return true;
}

bool rdbWriteType(RdbWriter *w, unsigned char type) {
    return rdbWriteRaw(w, &type, 1);
}

size_t rdbLenSize(uint64_t len) {
    if (len < (1 << 6)) return 1;
    if (len < (1 << 14)) return 2;
    if (len <= UINT32_MAX) return 5;
    return 9;
}

bool rdbWriteLen(RdbWriter *w, uint64_t len) {
    unsigned char b[9];
    size_t n;
    if (len < (1 << 6)) {
        b[0] = (unsigned char)((RDB_6BITLEN << 6) | len);
        n = 1;
    } else if (len < (1 << 14)) {
        b[0] = (unsigned char)((RDB_14BITLEN << 6) | (len >> 8));
        b[1] = (unsigned char)(len & 0xff);
        n = 2;
    } else if (len <= UINT32_MAX) {
        b[0] = RDB_32BITLEN;
        for (int i = 0; i < 4; i++) b[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        n = 5;
    } else {
        b[0] = RDB_64BITLEN;
        for (int i = 0; i < 8; i++) b[1 + i] = (unsigned char)(len >> (56 - 8 * i));
        n = 9;
    }
    return rdbWriteRaw(w, b, n);
}

bool rdbWriteMillis(RdbWriter *w, int64_t ms) {
    unsigned char b[8];
    uint64_t u = (uint64_t)ms;
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(u >> (8 * i));
    return rdbWriteRaw(w, b, 8);
}

/* The INT8/16/32 special encoding of v into enc; returns its size or 0 when
 * v does not fit 32 bits. */
static size_t encodeInteger(long long v, unsigned char *enc) {
    if (v >= INT8_MIN && v <= INT8_MAX) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
        enc[1] = (unsigned char)(v & 0xff);
        return 2;
    }
    if (v >= INT16_MIN && v <= INT16_MAX) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
        enc[1] = (unsigned char)(v & 0xff);
        enc[2] = (unsigned char)((v >> 8) & 0xff);
        return 3;
    }
    if (v >= INT32_MIN && v <= INT32_MAX) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
        for (int i = 0; i < 4; i++) enc[1 + i] = (unsigned char)((v >> (8 * i)) & 0xff);
        return 5;
    }
    return 0;
}

bool rdbWriteLzfString(RdbWriter *w, const void *compressed, size_t clen, size_t origLen) {
    unsigned char b = (RDB_ENCVAL << 6) | RDB_ENC_LZF;
    rdbWriteRaw(w, &b, 1);
    rdbWriteLen(w, clen);
    rdbWriteLen(w, origLen);
    return rdbWriteRaw(w, compressed, clen);
}

/* LZF-compresses s when that saves at least 4 bytes; returns 1 written, 0
 * not compressible (nothing written), -1 write error. */
static int writeLzf(RdbWriter *w, const void *s, size_t len) {
    if (len <= 4 || len > UINT32_MAX) return 0;
    size_t outlen = len - 4;
    unsigned char *out = kvMalloc(outlen + 1);
    unsigned int clen = lzf_compress(s, (unsigned int)len, out, (unsigned int)outlen);
    int rc = 0;
    if (clen > 0) rc = rdbWriteLzfString(w, out, clen, len) ? 1 : -1;
    kvFree(out);
    return rc;
}

bool rdbWriteString(RdbWriter *w, const void *s, size_t len) {
    if (len <= 11) {
        long long v;
        unsigned char enc[5];
        size_t n;
        if (strToLongLong(s, len, &v) && (n = encodeInteger(v, enc)) > 0)
            return rdbWriteRaw(w, enc, n);
    }
    /* Under 21 bytes LZF cannot win (Redis skips it too). */
    if (w->compress && len > 20) {
        int rc = writeLzf(w, s, len);
        if (rc != 0) return rc > 0;
    }
    rdbWriteLen(w, len);
    return rdbWriteRaw(w, s, len);
}

bool rdbWriteLongLongAsString(RdbWriter *w, long long v) {
    unsigned char enc[5];
    size_t n = encodeInteger(v, enc);
    if (n > 0) return rdbWriteRaw(w, enc, n);
    char buf[LONG_STR_SIZE];
    int l = llToStr(buf, sizeof(buf), v);
    rdbWriteLen(w, (uint64_t)l);
    return rdbWriteRaw(w, buf, (size_t)l);
}

bool rdbWriteBinaryDouble(RdbWriter *w, double d) {
    uint64_t u;
    unsigned char b[8];
    memcpy(&u, &d, 8);
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(u >> (8 * i));
    return rdbWriteRaw(w, b, 8);
}

bool rdbWriteHeader(RdbWriter *w) {
    char magic[16];
    snprintf(magic, sizeof(magic), "REDIS%04d", RDB_VERSION);
    return rdbWriteRaw(w, magic, 9);
}

bool rdbWriteAuxString(RdbWriter *w, const char *key, const char *val) {
    rdbWriteType(w, RDB_OPCODE_AUX);
    rdbWriteString(w, key, strlen(key));
    return rdbWriteString(w, val, strlen(val));
}

bool rdbWriteAuxLongLong(RdbWriter *w, const char *key, long long val) {
    char buf[LONG_STR_SIZE];
    int l = llToStr(buf, sizeof(buf), val);
    rdbWriteType(w, RDB_OPCODE_AUX);
    rdbWriteString(w, key, strlen(key));
    return rdbWriteString(w, buf, (size_t)l);
}

bool rdbWriteFooter(RdbWriter *w) {
    rdbWriteType(w, RDB_OPCODE_EOF);
    writerCrcSync(w);
    rdbWriteMillis(w, w->checksum ? (int64_t)w->crc : 0);
    return rdbWriterFlush(w);
}

bool rdbWriteDumpTrailer(RdbWriter *w) {
    unsigned char ver[2] = {RDB_VERSION & 0xff, (RDB_VERSION >> 8) & 0xff};
    rdbWriteRaw(w, ver, 2);
    if (w->failed || !w->buf) return false;
    uint64_t crc = crc64(0, w->buf, dstrLen(w->buf));
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(crc >> (8 * i));
    return rdbWriteRaw(w, b, 8);
}

bool rdbDumpTrailerValid(const unsigned char *p, size_t len, bool checkCrc) {
    if (len < 10) return false;
    const unsigned char *footer = p + len - 10;
    unsigned version = (unsigned)footer[0] | ((unsigned)footer[1] << 8);
    if (version > RDB_VERSION) return false;
    if (!checkCrc) return true;
    uint64_t crc = crc64(0, p, len - 8), stored = 0;
    for (int i = 7; i >= 0; i--) stored = (stored << 8) | footer[2 + i];
    return crc == stored;
}

/* ------------------------------------------------------------------------
 * Reader primitives
 * ---------------------------------------------------------------------- */

/* Read-ahead block of file readers: large enough that fread's per-call cost
 * and the CRC's per-call set-up vanish, small enough to stay in L2. */
#define RDB_READAHEAD (256 * 1024)

void rdbReaderInitFile(RdbReader *r, FILE *fp, bool checksum) {
    memset(r, 0, sizeof(*r));
    r->fp = fp;
    r->checksum = checksum;
    r->limit = UINT64_MAX;
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode)) {
        off_t pos = ftello(fp);
        if (pos >= 0 && pos <= st.st_size) r->limit = (uint64_t)(st.st_size - pos);
    }
    /* Only a file of known size is read ahead: it can be seeked back, and
     * nothing past its end is ever requested. */
    if (r->limit != UINT64_MAX) {
        r->bufCap = RDB_READAHEAD;
        r->buf = kvMalloc(r->bufCap);
    }
}

void rdbReaderInitMemory(RdbReader *r, const void *p, size_t len, bool checksum) {
    memset(r, 0, sizeof(*r));
    r->mem = p;
    r->memLen = len;
    r->limit = len;
    r->checksum = checksum;
}

/* Folds the bytes consumed but not yet checksummed into r->crc. */
static void crcSync(RdbReader *r) {
    if (!r->checksum) return;
    if (r->buf) {
        if (r->bufPos > r->crcPos)
            r->crc = crc64(r->crc, r->buf + r->crcPos, r->bufPos - r->crcPos);
        r->crcPos = r->bufPos;
    } else if (r->mem) {
        if (r->offset > r->crcOffset)
            r->crc = crc64(r->crc, r->mem + r->crcOffset, (size_t)(r->offset - r->crcOffset));
        r->crcOffset = r->offset;
    }
}

uint64_t rdbReaderCrc(RdbReader *r) {
    crcSync(r);
    return r->crc;
}

void rdbReaderRelease(RdbReader *r) {
    if (!r->buf) return;
    size_t unread = r->bufLen - r->bufPos;
    crcSync(r);
    if (unread > 0) fseeko(r->fp, -(off_t)unread, SEEK_CUR);
    kvFree(r->buf);
    r->buf = NULL;
    r->bufPos = r->bufLen = r->bufCap = r->crcPos = 0;
}

bool rdbReaderFail(RdbReader *r, const char *fmt, ...) {
    if (r->failed) return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof(r->err), fmt, ap);
    va_end(ap);
    r->failed = true;
    r->errOffset = r->offset;
    return false;
}

uint64_t rdbReaderRemaining(const RdbReader *r) {
    if (r->limit == UINT64_MAX) return UINT64_MAX;
    return r->limit > r->offset ? r->limit - r->offset : 0;
}

static bool failEof(RdbReader *r) {
    if (!r->failed) r->eof = true;
    return rdbReaderFail(r, "Unexpected EOF reading RDB file");
}

/* A short fread: the reason, and the bytes it did deliver counted. */
static bool failShortRead(RdbReader *r, size_t got) {
    if (ferror(r->fp))
        rdbReaderFail(r, "Read error reading RDB file: %s", strerror(errno));
    else
        failEof(r);
    r->offset += got;
    return false;
}

/* Counts len consumed bytes and runs the progress hook when due. */
static inline void consumed(RdbReader *r, size_t len) {
    r->offset += len;
    if (r->progress && r->offset >= r->progressNext) {
        r->progressNext = r->offset + (r->progressEvery ? r->progressEvery : 1);
        r->progress(r, r->progressPriv);
    }
}

/* The read-ahead path of rdbReadRaw when buf lacks len bytes: takes what it
 * has, then reads big requests straight into dst and refills for the rest.
 * The caller checked that len bytes remain before the file's end. */
static bool bufferedReadSlow(RdbReader *r, unsigned char *dst, size_t len) {
    size_t have = r->bufLen - r->bufPos;
    memcpy(dst, r->buf + r->bufPos, have);
    r->bufPos += have;
    dst += have;
    len -= have;
    crcSync(r);
    r->bufPos = r->bufLen = r->crcPos = 0;
    if (len >= r->bufCap) {
        size_t n = fread(dst, 1, len, r->fp);
        if (n != len) return failShortRead(r, have + n);
        if (r->checksum) r->crc = crc64(r->crc, dst, len);
        return true;
    }
    /* Never ask for bytes past the end the file had when we started. */
    uint64_t left = rdbReaderRemaining(r) - have;
    size_t want = left < r->bufCap ? (size_t)left : r->bufCap;
    size_t n = fread(r->buf, 1, want, r->fp);
    r->bufLen = n;
    if (n < len) {
        r->bufLen = 0;
        return failShortRead(r, have + n);
    }
    memcpy(dst, r->buf, len);
    r->bufPos = len;
    return true;
}

bool rdbReadRaw(RdbReader *r, void *dst, size_t len) {
    if (r->failed) return false;
    if (len == 0) return true;
    /* A failed read reports the offset where it started, as Redis does. */
    if (len > rdbReaderRemaining(r)) return failEof(r);
    if (r->buf) {
        if (len <= r->bufLen - r->bufPos) {
            memcpy(dst, r->buf + r->bufPos, len);
            r->bufPos += len;
        } else if (!bufferedReadSlow(r, dst, len)) {
            return false;
        }
    } else if (r->fp) {
        size_t n = fread(dst, 1, len, r->fp);
        if (n != len) return failShortRead(r, n);
        if (r->checksum) r->crc = crc64(r->crc, dst, len);
    } else {
        memcpy(dst, r->mem + r->offset, len); /* checksummed lazily (crcSync) */
    }
    consumed(r, len);
    return true;
}

/* Consumes len bytes and returns them in place (valid until the next read)
 * when they are contiguous in the input or read-ahead buffer; NULL without
 * consuming anything otherwise (the caller then copies with rdbReadRaw). */
static const unsigned char *readInPlace(RdbReader *r, size_t len) {
    if (r->failed || len > rdbReaderRemaining(r)) return NULL;
    const unsigned char *p;
    if (r->buf) {
        if (len > r->bufLen - r->bufPos) return NULL;
        p = r->buf + r->bufPos;
        r->bufPos += len;
    } else if (r->mem) {
        p = r->mem + r->offset;
    } else {
        return NULL;
    }
    consumed(r, len);
    return p;
}

bool rdbReadByte(RdbReader *r, unsigned char *b) {
    return rdbReadRaw(r, b, 1);
}

bool rdbReadLen(RdbReader *r, uint64_t *len, bool *isEncoded) {
    unsigned char b[8];
    if (isEncoded) *isEncoded = false;
    if (!rdbReadByte(r, b)) return false;
    int kind = (b[0] & 0xC0) >> 6;
    if (kind == RDB_ENCVAL) {
        if (!isEncoded) return rdbReaderFail(r, "Unexpected encoded length");
        *isEncoded = true;
        *len = b[0] & 0x3F;
        return true;
    }
    if (kind == RDB_6BITLEN) {
        *len = b[0] & 0x3F;
        return true;
    }
    if (kind == RDB_14BITLEN) {
        unsigned char lo;
        if (!rdbReadByte(r, &lo)) return false;
        *len = ((uint64_t)(b[0] & 0x3F) << 8) | lo;
        return true;
    }
    size_t n;
    if (b[0] == RDB_32BITLEN)
        n = 4;
    else if (b[0] == RDB_64BITLEN)
        n = 8;
    else
        return rdbReaderFail(r, "Unknown length encoding %d in rdbLoadLen()", b[0]);
    if (!rdbReadRaw(r, b, n)) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = (v << 8) | b[i];
    *len = v;
    return true;
}

bool rdbReadMillis(RdbReader *r, int64_t *ms) {
    unsigned char b[8];
    if (!rdbReadRaw(r, b, 8)) return false;
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--) u = (u << 8) | b[i];
    *ms = (int64_t)u;
    return true;
}

bool rdbReadBinaryDouble(RdbReader *r, double *d) {
    int64_t u;
    if (!rdbReadMillis(r, &u)) return false; /* same 8-byte little-endian layout */
    memcpy(d, &u, 8);
    return true;
}

bool rdbReadBinaryFloat(RdbReader *r, float *f) {
    unsigned char b[4];
    if (!rdbReadRaw(r, b, 4)) return false;
    uint32_t u =
        (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
    memcpy(f, &u, 4);
    return true;
}

bool rdbReadOldDouble(RdbReader *r, double *d) {
    unsigned char len;
    char buf[256];
    if (!rdbReadByte(r, &len)) return false;
    switch (len) {
        case 255: *d = -INFINITY; return true;
        case 254: *d = INFINITY; return true;
        case 253: *d = NAN; return true;
        default:
            if (!rdbReadRaw(r, buf, len)) return false;
            buf[len] = '\0';
            char *end;
            errno = 0;
            *d = strtod(buf, &end);
            if (len == 0 || end != buf + len)
                return rdbReaderFail(r, "Invalid double value '%s'", buf);
            return true;
    }
}

/* ------------------------------------------------------------------------
 * Strings
 * ---------------------------------------------------------------------- */

void rdbBufFree(RdbBuf *b) {
    kvFree(b->ptr);
    memset(b, 0, sizeof(*b));
}

char *rdbBufTake(RdbBuf *b, size_t *len) {
    char *p = b->ptr;
    *len = b->len;
    if (!p)
        p = kvMalloc(1);
    else if (b->cap != b->len)
        p = kvRealloc(p, b->len ? b->len : 1);
    memset(b, 0, sizeof(*b));
    return p;
}

static void bufReserve(RdbBuf *b, size_t len) {
    if (b->ptr && b->cap >= len) return;
    b->ptr = kvRealloc(b->ptr, len + 1);
    b->cap = len;
}

/* Reads len bytes into b. When the input size is unknown the buffer grows
 * with the data, so a bogus length cannot allocate more than is sent. */
static bool readIntoBuf(RdbReader *r, RdbBuf *b, size_t len) {
    b->len = 0;
    if (rdbReaderRemaining(r) == UINT64_MAX) {
        const size_t step = 16 << 20;
        while (b->len < len) {
            size_t n = len - b->len < step ? len - b->len : step;
            bufReserve(b, b->len + n);
            if (!rdbReadRaw(r, b->ptr + b->len, n)) return false;
            b->len += n;
        }
    } else {
        if (len > rdbReaderRemaining(r)) return rdbReadRaw(r, NULL, len); /* EOF error */
        bufReserve(b, len);
        if (!rdbReadRaw(r, b->ptr, len)) return false;
        b->len = len;
    }
    b->ptr[b->len] = '\0';
    return true;
}

static bool readLzf(RdbReader *r, RdbBuf *b) {
    uint64_t clen, ulen;
    if (!rdbReadLen(r, &clen, NULL) || !rdbReadLen(r, &ulen, NULL)) return false;
    if (clen == 0 || ulen == 0 || ulen > clen * LZF_MAX_RATIO || clen > UINT32_MAX ||
        ulen > UINT32_MAX)
        return rdbReaderFail(r, "Invalid LZF compressed string");
    /* The compressed bytes are used where they lie when possible; they are
     * known to be there before the output is allocated. */
    RdbBuf c = {0};
    const unsigned char *in = readInPlace(r, clen);
    if (!in) {
        if (!readIntoBuf(r, &c, clen)) {
            rdbBufFree(&c);
            return false;
        }
        in = (const unsigned char *)c.ptr;
    }
    bufReserve(b, ulen);
    unsigned int n = lzf_decompress(in, (unsigned int)clen, b->ptr, (unsigned int)ulen);
    rdbBufFree(&c);
    if (n != ulen) return rdbReaderFail(r, "Invalid LZF compressed string");
    b->len = ulen;
    b->ptr[ulen] = '\0';
    return true;
}

bool rdbReadString(RdbReader *r, RdbBuf *b) {
    uint64_t len;
    bool enc;
    b->wasInt = false;
    if (!rdbReadLen(r, &len, &enc)) return false;
    if (!enc) return readIntoBuf(r, b, len);
    unsigned char d[4];
    long long v;
    switch (len) {
        case RDB_ENC_INT8:
            if (!rdbReadRaw(r, d, 1)) return false;
            v = (int8_t)d[0];
            break;
        case RDB_ENC_INT16:
            if (!rdbReadRaw(r, d, 2)) return false;
            v = (int16_t)(d[0] | (d[1] << 8));
            break;
        case RDB_ENC_INT32:
            if (!rdbReadRaw(r, d, 4)) return false;
            v = (int32_t)((uint32_t)d[0] | ((uint32_t)d[1] << 8) | ((uint32_t)d[2] << 16) |
                          ((uint32_t)d[3] << 24));
            break;
        case RDB_ENC_LZF: return readLzf(r, b);
        default: return rdbReaderFail(r, "Unknown RDB string encoding type %d", (int)len);
    }
    bufReserve(b, LONG_STR_SIZE);
    b->len = (size_t)llToStr(b->ptr, LONG_STR_SIZE, v);
    b->wasInt = true;
    return true;
}

bool rdbSkipString(RdbReader *r) {
    RdbBuf b = {0};
    bool ok = rdbReadString(r, &b);
    rdbBufFree(&b);
    return ok;
}

/* ------------------------------------------------------------------------
 * Ziplists and zipmaps
 *
 * Ziplist:  <zlbytes u32le> <zltail u32le> <zllen u16le> entry… 0xFF
 *   entry = <prevlen: 1 byte < 254, or 0xFE + u32le> <encoding> [data]
 *   encoding: 00xxxxxx / 01xxxxxx+1 / 10xxxxxx+4 (BE) string lengths;
 *             0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8
 *             (little-endian), 0xF1..0xFD the values 0..12 inline.
 * Zipmap:   <count u8> { <len> key <len> <free u8> value <free bytes> } 0xFF
 *   len = 1 byte < 254, or 0xFE + u32le.
 * ---------------------------------------------------------------------- */

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

bool rdbZiplistWalk(const unsigned char *zl, size_t size, RdbEntryFn *fn, void *priv,
                    unsigned long *count) {
    const size_t hdr = 10;
    if (size < hdr + 1 || le32(zl) != size || zl[size - 1] != 0xFF) return false;
    uint32_t tail = le32(zl + 4);
    unsigned zllen = (unsigned)zl[8] | ((unsigned)zl[9] << 8);
    size_t pos = hdr, prevSize = 0, last = hdr;
    unsigned long n = 0;
    while (pos < size - 1) {
        size_t start = pos;
        size_t prevlen;
        if (zl[pos] < 254) {
            prevlen = zl[pos];
            pos += 1;
        } else if (zl[pos] == 254) {
            if (size - 1 - pos < 5) return false;
            prevlen = le32(zl + pos + 1);
            pos += 5;
        } else {
            return false;
        }
        if (prevlen != prevSize) return false;
        if (pos >= size - 1) return false;
        unsigned char enc = zl[pos];
        size_t avail = size - 1 - pos;
        const unsigned char *s = NULL;
        size_t slen = 0;
        long long v = 0;
        size_t used;
        if ((enc & 0xC0) == 0x00) {
            slen = enc & 0x3F;
            used = 1;
        } else if ((enc & 0xC0) == 0x40) {
            if (avail < 2) return false;
            slen = ((size_t)(enc & 0x3F) << 8) | zl[pos + 1];
            used = 2;
        } else if ((enc & 0xC0) == 0x80) {
            if (avail < 5) return false;
            slen = ((size_t)zl[pos + 1] << 24) | ((size_t)zl[pos + 2] << 16) |
                   ((size_t)zl[pos + 3] << 8) | zl[pos + 4];
            used = 5;
        } else {
            size_t ib;
            switch (enc) {
                case 0xC0: ib = 2; break;
                case 0xD0: ib = 4; break;
                case 0xE0: ib = 8; break;
                case 0xF0: ib = 3; break;
                case 0xFE: ib = 1; break;
                default:
                    if (enc >= 0xF1 && enc <= 0xFD) {
                        ib = 0;
                        v = (enc & 0x0F) - 1;
                        break;
                    }
                    return false;
            }
            if (avail < 1 + ib) return false;
            const unsigned char *d = zl + pos + 1;
            switch (enc) {
                case 0xC0: v = (int16_t)(d[0] | (d[1] << 8)); break;
                case 0xD0: v = (int32_t)le32(d); break;
                case 0xE0: v = (int64_t)((uint64_t)le32(d) | ((uint64_t)le32(d + 4) << 32)); break;
                case 0xF0:
                    v = ((int32_t)(((uint32_t)d[0] << 8) | ((uint32_t)d[1] << 16) |
                                   ((uint32_t)d[2] << 24))) >>
                        8;
                    break;
                case 0xFE: v = (int8_t)d[0]; break;
                default: break;
            }
            used = 1 + ib;
            slen = 0;
            s = NULL;
            if (fn && !fn(priv, NULL, 0, v)) return false;
            pos += used;
            goto next;
        }
        if (slen > avail - used) return false;
        s = zl + pos + used;
        if (fn && !fn(priv, s, slen, 0)) return false;
        pos += used + slen;
    next:
        prevSize = pos - start;
        last = start;
        n++;
    }
    if (pos != size - 1) return false;
    if (tail != last) return false;
    if (zllen < 65535 && zllen != n) return false;
    if (count) *count = n;
    return true;
}

/* A zipmap length at *pos (advanced); false when out of bounds. 255 (the
 * end marker) is returned as SIZE_MAX. */
static bool zipmapLen(const unsigned char *zm, size_t size, size_t *pos, size_t *len) {
    if (*pos >= size) return false;
    unsigned char b = zm[*pos];
    if (b < 254) {
        *len = b;
        *pos += 1;
        return true;
    }
    if (b == 255) {
        *len = SIZE_MAX;
        return true;
    }
    if (size - *pos < 5) return false;
    *len = le32(zm + *pos + 1);
    *pos += 5;
    return true;
}

bool rdbZipmapWalk(const unsigned char *zm, size_t size, RdbEntryFn *fn, void *priv,
                   unsigned long *count) {
    if (size < 2 || zm[size - 1] != 0xFF) return false;
    unsigned declared = zm[0];
    size_t pos = 1;
    unsigned long n = 0;
    for (;;) {
        size_t klen, vlen;
        if (!zipmapLen(zm, size, &pos, &klen)) return false;
        if (klen == SIZE_MAX) break;
        if (klen > size - pos) return false;
        const unsigned char *k = zm + pos;
        pos += klen;
        if (!zipmapLen(zm, size, &pos, &vlen) || vlen == SIZE_MAX) return false;
        if (pos >= size) return false;
        size_t freeBytes = zm[pos++];
        if (vlen > size - pos || freeBytes > size - pos - vlen) return false;
        const unsigned char *v = zm + pos;
        pos += vlen + freeBytes;
        if (fn && (!fn(priv, k, klen, 0) || !fn(priv, v, vlen, 0))) return false;
        n++;
    }
    if (pos != size - 1) return false;
    if (declared < 254 && declared != n) return false;
    if (count) *count = n;
    return true;
}

/* ------------------------------------------------------------------------
 * Pair listpacks (hash and zset values)
 * ---------------------------------------------------------------------- */

/* What a walk over a field/value (or member/score) listpack learns. */
typedef struct PairCheck {
    unsigned long entries;
    size_t maxLen; /* longest entry as text */
    bool scores;   /* odd entries must read as scores (zsets) */
} PairCheck;

/* True for the common score texts strToDouble surely accepts: an optional
 * '-', 1 to 15 digits, optionally '.' and 1 to 15 digits (no overflow, no
 * underflow, nothing left over). Anything else takes the full parse. */
static bool plainDecimal(const unsigned char *s, uint32_t len) {
    uint32_t i = 0, intDigits = 0, fracDigits = 0;
    if (i < len && s[i] == '-') i++;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++, intDigits++;
    if (intDigits == 0 || intDigits > 15) return false;
    if (i == len) return true;
    if (s[i++] != '.') return false;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++, fracDigits++;
    return i == len && fracDigits > 0 && fracDigits <= 15;
}

static bool pairEntryCheck(const unsigned char *p, void *priv) {
    PairCheck *c = priv;
    uint32_t slen;
    long long v;
    const unsigned char *s = lpGet(p, &slen, &v);
    if (c->scores && (c->entries & 1) && s && !plainDecimal(s, slen)) {
        double d;
        if (!strToDouble((const char *)s, slen, &d)) return false;
    }
    size_t len = s ? slen : (size_t)lpGetStringLen(p);
    if (len > c->maxLen) c->maxLen = len;
    c->entries++;
    return true;
}

/* One listpack entry as text, for the duplicate check. */
typedef struct EntryText {
    const unsigned char *p;
    uint32_t len;
    char ibuf[LP_INTBUF_SIZE];
} EntryText;

static int entryTextPtrCmp(const void *a, const void *b) {
    const EntryText *x = *(const EntryText *const *)a, *y = *(const EntryText *const *)b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->p, y->p, n) : 0;
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* True when a field (or member) of a structurally valid pair listpack
 * appears twice: sorts pointers to the entries' text. */
static bool pairListpackHasDuplicates(const unsigned char *lp, unsigned long pairs) {
    if (pairs < 2) return false;
    if (pairs <= 16) {
        /* Few fields (the common case): compare every pair, no allocation. */
        EntryText t[16];
        const EntryText *v[16];
        unsigned long n = 0;
        for (const unsigned char *p = lpFirst(lp); p && n < pairs; n++) {
            t[n].p = lpGetString(p, &t[n].len, t[n].ibuf);
            v[n] = &t[n];
            for (unsigned long i = 0; i < n; i++)
                if (entryTextPtrCmp(&v[i], &v[n]) == 0) return true;
            p = lpNext(lp, p);
            if (p) p = lpNext(lp, p);
        }
        return false;
    }
    EntryText *t = kvMalloc(sizeof(*t) * pairs);
    const EntryText **v = kvMalloc(sizeof(*v) * pairs);
    unsigned long n = 0;
    for (const unsigned char *p = lpFirst(lp); p && n < pairs; n++) {
        t[n].p = lpGetString(p, &t[n].len, t[n].ibuf);
        v[n] = &t[n];
        p = lpNext(lp, p);
        if (p) p = lpNext(lp, p);
    }
    qsort(v, n, sizeof(*v), entryTextPtrCmp);
    bool dup = false;
    for (unsigned long i = 1; i < n && !dup; i++) dup = entryTextPtrCmp(&v[i - 1], &v[i]) == 0;
    kvFree(v);
    kvFree(t);
    return dup;
}

const char *rdbCheckPairListpack(const unsigned char *lp, size_t len, bool scores,
                                 unsigned long *pairs, size_t *maxLen) {
    const char *why =
        scores ? "Zset listpack integrity check failed." : "Hash listpack integrity check failed.";
    PairCheck c = {0, 0, scores};
    if (!lpValidateDeep(lp, len, pairEntryCheck, &c) || c.entries % 2) return why;
    *pairs = c.entries / 2;
    *maxLen = c.maxLen;
    if (pairListpackHasDuplicates(lp, *pairs)) return why;
    return NULL;
}

/* ------------------------------------------------------------------------
 * Parser
 * ---------------------------------------------------------------------- */

static const char *const stageNames[] = {
    "start",     "read-type", "read-expire",     "read-key",       "read-object-value",
    "check-sum", "read-aux",  "read-module-aux", "read-functions", "read-len",
};

const char *rdbStageName(int stage) {
    if (stage < 0 || stage > RDB_STAGE_READ_LEN) return "unknown";
    return stageNames[stage];
}

void rdbParserInit(RdbParser *p, RdbReader *r, const RdbParserCallbacks *cb, void *priv) {
    memset(p, 0, sizeof(*p));
    p->reader = r;
    p->cb = cb;
    p->priv = priv;
    p->version = RDB_VERSION;
    p->keyInfo.expireMs = -1;
    p->keyInfo.idleSec = -1;
    p->keyInfo.freq = -1;
}

void rdbParserFree(RdbParser *p) {
    rdbBufFree(&p->keyBuf);
    rdbBufFree(&p->buf1);
    rdbBufFree(&p->buf2);
}

/* A callback said no: make sure an error is recorded. */
static bool refused(RdbParser *p) {
    return rdbReaderFail(p->reader, "Bad data format");
}

#define CALL(p, name, ...)                                                                         \
    ((p)->cb->name == NULL || (p)->cb->name((p)->priv, __VA_ARGS__) || refused(p))

static bool deliverBlob(RdbParser *p, int kind, RdbBuf *b) {
    size_t len;
    unsigned char *blob = (unsigned char *)rdbBufTake(b, &len);
    bool ok = p->cb->blob ? p->cb->blob(p->priv, kind, &blob, len) : true;
    kvFree(blob); /* NULL when adopted */
    return ok || refused(p);
}

/* Reads a string and delivers it as a blob of the given kind. */
static bool readBlob(RdbParser *p, int kind) {
    if (!rdbReadString(p->reader, &p->buf1)) return false;
    return deliverBlob(p, kind, &p->buf1);
}

static void moduleNameFromId(uint64_t id, char name[10]) {
    static const char cset[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    name[9] = '\0';
    id >>= 10;
    for (int j = 8; j >= 0; j--) {
        name[j] = cset[id & 63];
        id >>= 6;
    }
}

/* Skips a module value written with the self-describing opcodes, up to
 * its EOF opcode. */
static bool skipModuleValue(RdbParser *p) {
    RdbReader *r = p->reader;
    for (;;) {
        uint64_t op, v;
        if (!rdbReadLen(r, &op, NULL)) return false;
        switch (op) {
            case RDB_MODULE_OPCODE_EOF: return true;
            case RDB_MODULE_OPCODE_SINT:
            case RDB_MODULE_OPCODE_UINT:
                if (!rdbReadLen(r, &v, NULL)) return false;
                break;
            case RDB_MODULE_OPCODE_FLOAT: {
                float f;
                if (!rdbReadBinaryFloat(r, &f)) return false;
                break;
            }
            case RDB_MODULE_OPCODE_DOUBLE: {
                double d;
                if (!rdbReadBinaryDouble(r, &d)) return false;
                break;
            }
            case RDB_MODULE_OPCODE_STRING:
                if (!rdbSkipString(r)) return false;
                break;
            default: return rdbReaderFail(r, "Unknown module opcode %llu", (unsigned long long)op);
        }
    }
}

static bool readLenPair(RdbReader *r) {
    uint64_t a, b;
    return rdbReadLen(r, &a, NULL) && rdbReadLen(r, &b, NULL);
}

/* STREAM_LISTPACKS and STREAM_LISTPACKS_2: framing is checked, listpacks
 * handed over, metadata skipped. */
static bool parseStream(RdbParser *p, int type) {
    RdbReader *r = p->reader;
    uint64_t nodes, n;
    if (!rdbReadLen(r, &nodes, NULL)) return false;
    if (!CALL(p, count, nodes)) return false;
    for (uint64_t i = 0; i < nodes; i++) {
        if (!rdbReadString(r, &p->buf1)) return false;
        if (p->buf1.len != 16)
            return rdbReaderFail(r, "Stream node key entry is not the size of a stream ID");
        if (!readBlob(p, RDB_BLOB_STREAM_LISTPACK)) return false;
    }
    if (!rdbReadLen(r, &n, NULL) || !readLenPair(r)) return false; /* length, last id */
    if (type == RDB_TYPE_STREAM_LISTPACKS_2) {
        if (!readLenPair(r) || !readLenPair(r) || !rdbReadLen(r, &n, NULL)) return false;
    }
    uint64_t groups;
    if (!rdbReadLen(r, &groups, NULL)) return false;
    for (uint64_t g = 0; g < groups; g++) {
        if (!rdbSkipString(r) || !readLenPair(r)) return false;
        if (type == RDB_TYPE_STREAM_LISTPACKS_2 && !rdbReadLen(r, &n, NULL)) return false;
        uint64_t pel, consumers;
        if (!rdbReadLen(r, &pel, NULL)) return false;
        for (uint64_t j = 0; j < pel; j++) {
            unsigned char id[16];
            int64_t t;
            if (!rdbReadRaw(r, id, 16) || !rdbReadMillis(r, &t) || !rdbReadLen(r, &n, NULL))
                return false;
        }
        if (!rdbReadLen(r, &consumers, NULL)) return false;
        for (uint64_t c = 0; c < consumers; c++) {
            int64_t t;
            if (!rdbSkipString(r) || !rdbReadMillis(r, &t) || !rdbReadLen(r, &pel, NULL))
                return false;
            for (uint64_t j = 0; j < pel; j++) {
                unsigned char id[16];
                if (!rdbReadRaw(r, id, 16)) return false;
            }
        }
    }
    return true;
}

bool rdbParseValue(RdbParser *p, int type) {
    RdbReader *r = p->reader;
    uint64_t n;
    p->lastType = type;
    switch (type) {
        case RDB_TYPE_STRING:
            if (!rdbReadString(r, &p->buf1)) return false;
            return CALL(p, string, p->buf1.ptr, p->buf1.len);

        case RDB_TYPE_LIST:
        case RDB_TYPE_SET:
            if (!rdbReadLen(r, &n, NULL) || !CALL(p, count, n)) return false;
            for (uint64_t i = 0; i < n; i++) {
                if (!rdbReadString(r, &p->buf1)) return false;
                if (!CALL(p, element, p->buf1.ptr, p->buf1.len)) return false;
            }
            return true;

        case RDB_TYPE_ZSET:
        case RDB_TYPE_ZSET_2:
            if (!rdbReadLen(r, &n, NULL) || !CALL(p, count, n)) return false;
            for (uint64_t i = 0; i < n; i++) {
                double score;
                if (!rdbReadString(r, &p->buf1)) return false;
                if (type == RDB_TYPE_ZSET_2 ? !rdbReadBinaryDouble(r, &score)
                                            : !rdbReadOldDouble(r, &score))
                    return false;
                if (isnan(score)) return rdbReaderFail(r, "Zset with NAN score detected");
                if (!CALL(p, scored, p->buf1.ptr, p->buf1.len, score)) return false;
            }
            return true;

        case RDB_TYPE_HASH:
            if (!rdbReadLen(r, &n, NULL) || !CALL(p, count, n)) return false;
            for (uint64_t i = 0; i < n; i++) {
                if (!rdbReadString(r, &p->buf1) || !rdbReadString(r, &p->buf2)) return false;
                if (!CALL(p, field, p->buf1.ptr, p->buf1.len, p->buf2.ptr, p->buf2.len))
                    return false;
            }
            return true;

        case RDB_TYPE_HASH_ZIPMAP: return readBlob(p, RDB_BLOB_ZIPMAP);
        case RDB_TYPE_LIST_ZIPLIST:
        case RDB_TYPE_ZSET_ZIPLIST:
        case RDB_TYPE_HASH_ZIPLIST: return readBlob(p, RDB_BLOB_ZIPLIST);
        case RDB_TYPE_SET_INTSET: return readBlob(p, RDB_BLOB_INTSET);
        case RDB_TYPE_HASH_LISTPACK:
        case RDB_TYPE_ZSET_LISTPACK: return readBlob(p, RDB_BLOB_LISTPACK);

        case RDB_TYPE_LIST_QUICKLIST:
            if (!rdbReadLen(r, &n, NULL) || !CALL(p, count, n)) return false;
            for (uint64_t i = 0; i < n; i++)
                if (!readBlob(p, RDB_BLOB_ZIPLIST)) return false;
            return true;

        case RDB_TYPE_LIST_QUICKLIST_2:
            if (!rdbReadLen(r, &n, NULL) || !CALL(p, count, n)) return false;
            for (uint64_t i = 0; i < n; i++) {
                uint64_t container;
                if (!rdbReadLen(r, &container, NULL)) return false;
                if (container != RDB_QUICKLIST_NODE_PLAIN && container != RDB_QUICKLIST_NODE_PACKED)
                    return rdbReaderFail(r, "Quicklist integrity check failed.");
                if (!readBlob(p, container == RDB_QUICKLIST_NODE_PLAIN ? RDB_BLOB_PLAIN
                                                                       : RDB_BLOB_LISTPACK))
                    return false;
            }
            return true;

        case RDB_TYPE_STREAM_LISTPACKS:
        case RDB_TYPE_STREAM_LISTPACKS_2: return parseStream(p, type);

        case RDB_TYPE_MODULE_2: {
            uint64_t id;
            char name[10];
            if (!rdbReadLen(r, &id, NULL)) return false;
            moduleNameFromId(id, name);
            if (!skipModuleValue(p)) return false;
            return CALL(p, opaque, name);
        }
        case RDB_TYPE_MODULE: return rdbReaderFail(r, "Pre-release module format not supported");
        default: return rdbReaderFail(r, "Unknown RDB encoding type %d", type);
    }
}

static bool parseHeader(RdbParser *p) {
    char magic[10];
    p->stage = RDB_STAGE_START;
    if (!rdbReadRaw(p->reader, magic, 9)) return false;
    magic[9] = '\0';
    if (memcmp(magic, "REDIS", 5) != 0)
        return rdbReaderFail(p->reader, "Wrong signature trying to load DB from file");
    p->version = atoi(magic + 5);
    if (p->version < 1 || p->version > RDB_VERSION)
        return rdbReaderFail(p->reader, "Can't handle RDB format version %d", p->version);
    return CALL(p, header, p->version);
}

static void resetKeyInfo(RdbParser *p) {
    p->keyInfo.expireMs = -1;
    p->keyInfo.idleSec = -1;
    p->keyInfo.freq = -1;
    p->keyInfo.offset = p->reader->offset;
    p->inKey = false;
}

static bool parseKey(RdbParser *p, int type) {
    RdbReader *r = p->reader;
    p->stage = RDB_STAGE_READ_KEY;
    p->keyInfo.type = type;
    if (!rdbReadString(r, &p->keyBuf)) return false;
    p->keysRead++;
    p->keyInfo.dbid = p->dbid;
    p->keyInfo.key = p->keyBuf.ptr;
    p->keyInfo.keyLen = p->keyBuf.len;
    p->inKey = true;
    if (!CALL(p, keyBegin, &p->keyInfo)) return false;
    p->stage = RDB_STAGE_READ_VALUE;
    if (!rdbParseValue(p, type)) return false;
    if (!CALL(p, keyEnd, &p->keyInfo)) return false;
    resetKeyInfo(p);
    return true;
}

static bool parseModuleAux(RdbParser *p) {
    RdbReader *r = p->reader;
    uint64_t id, whenOp, when;
    char name[10];
    p->stage = RDB_STAGE_READ_MODULE_AUX;
    if (!rdbReadLen(r, &id, NULL) || !rdbReadLen(r, &whenOp, NULL) || !rdbReadLen(r, &when, NULL))
        return false;
    moduleNameFromId(id, name);
    if (whenOp != RDB_MODULE_OPCODE_UINT)
        return rdbReaderFail(r, "bad when_opcode in module aux data of '%s'", name);
    if (!skipModuleValue(p)) return false;
    return CALL(p, moduleAux, name, when);
}

static bool parseEnd(RdbParser *p) {
    RdbReader *r = p->reader;
    p->stage = RDB_STAGE_CHECK_SUM;
    int status = 1;
    if (p->version >= 5) {
        uint64_t expected = rdbReaderCrc(r);
        int64_t stored;
        if (!rdbReadMillis(r, &stored)) return false;
        if (stored != 0 && r->checksum) {
            if ((uint64_t)stored != expected) return rdbReaderFail(r, "RDB CRC error");
            status = 0;
        }
    }
    return CALL(p, end, status);
}

bool rdbParse(RdbParser *p) {
    RdbReader *r = p->reader;
    if (!parseHeader(p)) return false;
    resetKeyInfo(p);
    for (;;) {
        unsigned char type;
        uint64_t a, b;
        if (!p->inKey && p->keyInfo.expireMs == -1 && p->keyInfo.idleSec == -1 &&
            p->keyInfo.freq == -1)
            p->keyInfo.offset = r->offset;
        p->stage = RDB_STAGE_READ_TYPE;
        if (!rdbReadByte(r, &type)) return false;
        p->lastType = type;
        switch (type) {
            case RDB_OPCODE_EXPIRETIME: {
                unsigned char s[4];
                p->stage = RDB_STAGE_READ_EXPIRE;
                if (!rdbReadRaw(r, s, 4)) return false;
                p->keyInfo.expireMs = (long long)(int32_t)le32(s) * 1000;
                continue;
            }
            case RDB_OPCODE_EXPIRETIME_MS: {
                int64_t ms;
                p->stage = RDB_STAGE_READ_EXPIRE;
                if (!rdbReadMillis(r, &ms)) return false;
                p->keyInfo.expireMs = ms;
                continue;
            }
            case RDB_OPCODE_FREQ: {
                unsigned char f;
                if (!rdbReadByte(r, &f)) return false;
                p->keyInfo.freq = f;
                continue;
            }
            case RDB_OPCODE_IDLE:
                if (!rdbReadLen(r, &a, NULL)) return false;
                p->keyInfo.idleSec = a > INT64_MAX ? INT64_MAX : (long long)a;
                continue;
            case RDB_OPCODE_EOF: return parseEnd(p);
            case RDB_OPCODE_SELECTDB:
                p->stage = RDB_STAGE_READ_LEN;
                if (!rdbReadLen(r, &a, NULL)) return false;
                if (a > INT32_MAX)
                    return rdbReaderFail(r, "Invalid DB index %llu", (unsigned long long)a);
                p->dbid = (int)a;
                if (!CALL(p, selectDb, a)) return false;
                continue;
            case RDB_OPCODE_RESIZEDB:
                p->stage = RDB_STAGE_READ_LEN;
                if (!rdbReadLen(r, &a, NULL) || !rdbReadLen(r, &b, NULL)) return false;
                if (!CALL(p, resizeDb, a, b)) return false;
                continue;
            case RDB_OPCODE_AUX:
                p->stage = RDB_STAGE_READ_AUX;
                if (!rdbReadString(r, &p->buf1) || !rdbReadString(r, &p->buf2)) return false;
                if (!CALL(p, aux, p->buf1.ptr, p->buf1.len, p->buf2.ptr, p->buf2.len)) return false;
                continue;
            case RDB_OPCODE_MODULE_AUX:
                if (!parseModuleAux(p)) return false;
                continue;
            case RDB_OPCODE_FUNCTION:
                p->stage = RDB_STAGE_READ_FUNCTIONS;
                return rdbReaderFail(r, "Pre-release function format not supported.");
            case RDB_OPCODE_FUNCTION2:
                p->stage = RDB_STAGE_READ_FUNCTIONS;
                if (!rdbReadString(r, &p->buf1)) return false;
                if (!CALL(p, function, p->buf1.ptr, p->buf1.len)) return false;
                continue;
            default:
                if (!rdbIsObjectType(type))
                    return rdbReaderFail(r, "Invalid object type: %d", type);
                if (!parseKey(p, type)) return false;
                continue;
        }
    }
}
