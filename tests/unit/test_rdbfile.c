/* test_rdbfile.c — the RDB format layer (common/rdbfile.c): length and
 * string encodings byte for byte as Redis 7.0 writes them, doubles and
 * times, the ziplist/zipmap walkers, and the parser on whole files — which
 * must report every truncation and corruption as an error, never crash. */
#include "crc64.h"
#include "listpack.h"
#include "mem.h"
#include "rdbfile.h"
#include "testhelp.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static dstr writeLen(uint64_t len) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, false, false);
    rdbWriteLen(&w, len);
    return rdbWriterTakeBuffer(&w);
}

static dstr writeString(const char *s, size_t len, bool compress) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, false, compress);
    rdbWriteString(&w, s, len);
    return rdbWriterTakeBuffer(&w);
}

static bool bytesAre(const dstr d, const char *expect, size_t n) {
    return dstrLen(d) == n && memcmp(d, expect, n) == 0;
}

static void testLengths(void) {
    dstr d;
    d = writeLen(0);
    TEST_CHECK(bytesAre(d, "\x00", 1));
    dstrFree(d);
    d = writeLen(63);
    TEST_CHECK(bytesAre(d, "\x3f", 1));
    dstrFree(d);
    d = writeLen(64);
    TEST_CHECK(bytesAre(d, "\x40\x40", 2));
    dstrFree(d);
    d = writeLen(16383);
    TEST_CHECK(bytesAre(d, "\x7f\xff", 2));
    dstrFree(d);
    d = writeLen(16384);
    TEST_CHECK(bytesAre(d, "\x80\x00\x00\x40\x00", 5));
    dstrFree(d);
    d = writeLen(4294967296ULL);
    TEST_CHECK(bytesAre(d, "\x81\x00\x00\x00\x01\x00\x00\x00\x00", 9));
    dstrFree(d);

    static const uint64_t vals[] = {0,          1,         63, 64, 16383, 16384, 4294967295ULL,
                                    4294967296, UINT64_MAX};
    bool ok = true;
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        d = writeLen(vals[i]);
        if (dstrLen(d) != rdbLenSize(vals[i])) ok = false;
        RdbReader r;
        uint64_t back;
        rdbReaderInitMemory(&r, d, dstrLen(d), false);
        if (!rdbReadLen(&r, &back, NULL) || back != vals[i] || r.offset != dstrLen(d)) ok = false;
        dstrFree(d);
    }
    TEST_CHECK(ok);

    /* 0x82..0xBF are not valid length prefixes. */
    RdbReader r;
    uint64_t v;
    rdbReaderInitMemory(&r, "\x85\x00\x00\x00\x00", 5, false);
    TEST_CHECK(!rdbReadLen(&r, &v, NULL) && r.failed);
    /* An encoded length is an error where a plain one is expected. */
    rdbReaderInitMemory(&r, "\xc0\x01", 2, false);
    TEST_CHECK(!rdbReadLen(&r, &v, NULL));
}

/* Writes s and reads it back; true when the text comes back unchanged. */
static bool roundTrip(const char *s, size_t len, bool compress, bool *wasInt) {
    dstr d = writeString(s, len, compress);
    RdbReader r;
    RdbBuf b = {0};
    rdbReaderInitMemory(&r, d, dstrLen(d), false);
    bool ok = rdbReadString(&r, &b) && b.len == len && memcmp(b.ptr, s, len) == 0 &&
              r.offset == dstrLen(d);
    if (wasInt) *wasInt = b.wasInt;
    rdbBufFree(&b);
    dstrFree(d);
    return ok;
}

static void testStrings(void) {
    dstr d;
    /* Integer encodings, as Redis's rdbTryIntegerEncoding picks them. */
    d = writeString("123", 3, true);
    TEST_CHECK(bytesAre(d, "\xc0\x7b", 2));
    dstrFree(d);
    d = writeString("-129", 4, true);
    TEST_CHECK(bytesAre(d, "\xc1\x7f\xff", 3));
    dstrFree(d);
    d = writeString("70000", 5, true);
    TEST_CHECK(bytesAre(d, "\xc2\x70\x11\x01\x00", 5));
    dstrFree(d);
    /* Not canonical or too wide: stored as text. */
    d = writeString("2147483648", 10, true);
    TEST_CHECK(bytesAre(d,
                        "\x0a"
                        "2147483648",
                        11));
    dstrFree(d);
    d = writeString("007", 3, true);
    TEST_CHECK(bytesAre(d,
                        "\x03"
                        "007",
                        4));
    dstrFree(d);
    d = writeString("", 0, true);
    TEST_CHECK(bytesAre(d, "\x00", 1));
    dstrFree(d);

    bool wasInt;
    TEST_CHECK(roundTrip("-2147483648", 11, true, &wasInt) && wasInt);
    TEST_CHECK(roundTrip("2147483647", 10, true, &wasInt) && wasInt);
    TEST_CHECK(roundTrip("-0", 2, true, &wasInt) && !wasInt);
    TEST_CHECK(roundTrip("a\0b", 3, true, &wasInt) && !wasInt);

    /* LZF: compressible text over 20 bytes is compressed, and comes back. */
    char rep[300];
    for (size_t i = 0; i < sizeof(rep); i++) rep[i] = "abc"[i % 3];
    d = writeString(rep, sizeof(rep), true);
    TEST_CHECK((unsigned char)d[0] == 0xc3 && dstrLen(d) < 100);
    dstrFree(d);
    TEST_CHECK(roundTrip(rep, sizeof(rep), true, NULL));
    d = writeString(rep, sizeof(rep), false);
    TEST_CHECK(dstrLen(d) == 2 + sizeof(rep));
    dstrFree(d);
    /* Incompressible bytes are stored verbatim even with compression on. */
    char rnd[200];
    srand(42);
    for (size_t i = 0; i < sizeof(rnd); i++) rnd[i] = (char)(rand() & 0xff);
    d = writeString(rnd, sizeof(rnd), true);
    TEST_CHECK(dstrLen(d) == 2 + sizeof(rnd));
    dstrFree(d);
    TEST_CHECK(roundTrip(rnd, sizeof(rnd), true, NULL));

    /* Numbers as strings. */
    RdbWriter w;
    rdbWriterInitBuffer(&w, false, false);
    rdbWriteLongLongAsString(&w, 5);
    rdbWriteLongLongAsString(&w, 9223372036854775807LL);
    dstr out = rdbWriterTakeBuffer(&w);
    TEST_CHECK(dstrLen(out) == 2 + 1 + 19 && (unsigned char)out[0] == 0xc0);
    RdbReader r;
    RdbBuf b = {0};
    rdbReaderInitMemory(&r, out, dstrLen(out), false);
    TEST_CHECK(rdbReadString(&r, &b) && b.len == 1 && b.ptr[0] == '5' && b.wasInt);
    TEST_CHECK(rdbReadString(&r, &b) && strcmp(b.ptr, "9223372036854775807") == 0);
    rdbBufFree(&b);
    dstrFree(out);
}

static void testBadStrings(void) {
    RdbReader r;
    RdbBuf b = {0};
    /* LZF claiming an absurd expansion is refused before allocating. */
    rdbReaderInitMemory(&r, "\xc3\x01\x81\x00\x00\x00\x10\x00\x00\x00\x00\x00", 12, false);
    TEST_CHECK(!rdbReadString(&r, &b) && strstr(r.err, "LZF"));
    /* LZF whose data does not decompress to the announced size. */
    rdbReaderInitMemory(&r, "\xc3\x03\x0a\x01\x41\x41", 6, false);
    TEST_CHECK(!rdbReadString(&r, &b) && strstr(r.err, "LZF"));
    /* A length beyond the input: EOF, not a giant allocation. */
    rdbReaderInitMemory(&r,
                        "\x80\x7f\xff\xff\xff"
                        "abc",
                        8, false);
    TEST_CHECK(!rdbReadString(&r, &b) && r.eof && r.errOffset == 5);
    /* Unknown special encoding. */
    rdbReaderInitMemory(&r, "\xc5", 1, false);
    TEST_CHECK(!rdbReadString(&r, &b) && r.failed);
    rdbBufFree(&b);
}

static void testDoublesAndTimes(void) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, false, false);
    rdbWriteBinaryDouble(&w, 1.5);
    rdbWriteBinaryDouble(&w, -INFINITY);
    rdbWriteMillis(&w, 1700000000123LL);
    dstr d = rdbWriterTakeBuffer(&w);
    TEST_CHECK(dstrLen(d) == 24);
    TEST_CHECK(memcmp(d, "\x00\x00\x00\x00\x00\x00\xf8\x3f", 8) == 0); /* 1.5, LE */
    RdbReader r;
    double x;
    int64_t ms;
    rdbReaderInitMemory(&r, d, dstrLen(d), false);
    TEST_CHECK(rdbReadBinaryDouble(&r, &x) && x == 1.5);
    TEST_CHECK(rdbReadBinaryDouble(&r, &x) && isinf(x) && x < 0);
    TEST_CHECK(rdbReadMillis(&r, &ms) && ms == 1700000000123LL);
    dstrFree(d);

    rdbReaderInitMemory(&r,
                        "\xfd\xfe\xff\x03"
                        "2.5\x00",
                        8, false);
    TEST_CHECK(rdbReadOldDouble(&r, &x) && isnan(x));
    TEST_CHECK(rdbReadOldDouble(&r, &x) && isinf(x) && x > 0);
    TEST_CHECK(rdbReadOldDouble(&r, &x) && isinf(x) && x < 0);
    TEST_CHECK(rdbReadOldDouble(&r, &x) && x == 2.5);
    TEST_CHECK(!rdbReadOldDouble(&r, &x)); /* empty text */
}

/* ---- ziplists and zipmaps ---- */

typedef struct Collected {
    char text[16][32];
    int n;
} Collected;

static bool collect(void *priv, const unsigned char *s, size_t len, long long v) {
    Collected *c = priv;
    if (c->n >= 16) return false;
    if (s)
        snprintf(c->text[c->n], 32, "%.*s", (int)len, s);
    else
        snprintf(c->text[c->n], 32, "%lld", v);
    c->n++;
    return true;
}

/* A ziplist of "a", 5 (immediate), 300 (int16), -70000 (int32), "xyz". */
static const unsigned char zl[] = {
    31,   0,    0,    0,                /* zlbytes */
    25,   0,    0,    0,                /* zltail: offset of the last entry */
    5,    0,                            /* zllen */
    0,    0x01, 'a',                    /* "a" at 10, 3 bytes */
    3,    0xf6,                         /* 5 at 13, 2 bytes */
    2,    0xc0, 0x2c, 0x01,             /* 300 at 15, 4 bytes */
    4,    0xd0, 0x90, 0xee, 0xfe, 0xff, /* -70000 at 19, 6 bytes */
    6,    0x03, 'x',  'y',  'z',        /* "xyz" at 25, 5 bytes */
    0xff,
};

static void testZiplist(void) {
    unsigned char buf[sizeof(zl)];
    size_t n = sizeof(zl);
    memcpy(buf, zl, n);
    Collected c = {.n = 0};
    unsigned long count = 0;
    TEST_CHECK(rdbZiplistWalk(buf, n, collect, &c, &count));
    TEST_CHECK(count == 5 && c.n == 5);
    TEST_CHECK(strcmp(c.text[0], "a") == 0 && strcmp(c.text[1], "5") == 0 &&
               strcmp(c.text[2], "300") == 0 && strcmp(c.text[3], "-70000") == 0 &&
               strcmp(c.text[4], "xyz") == 0);

    /* Every truncation and every single-byte change is either still valid
     * or refused; a wrong prevlen, tail or count is refused. */
    bool neverBad = true;
    for (size_t cut = 0; cut < n; cut++)
        if (rdbZiplistWalk(buf, cut, NULL, NULL, &count)) neverBad = false;
    TEST_CHECK(neverBad);
    unsigned char bad[64];
    memcpy(bad, buf, n);
    bad[13] = 0x02; /* prevlen of the second entry */
    TEST_CHECK(!rdbZiplistWalk(bad, n, NULL, NULL, &count));
    memcpy(bad, buf, n);
    bad[4]++; /* zltail */
    TEST_CHECK(!rdbZiplistWalk(bad, n, NULL, NULL, &count));
    memcpy(bad, buf, n);
    bad[8] = 4; /* zllen */
    TEST_CHECK(!rdbZiplistWalk(bad, n, NULL, NULL, &count));
    for (size_t i = 0; i < n; i++) {
        for (int v = 0; v < 256; v += 51) {
            memcpy(bad, buf, n);
            bad[i] = (unsigned char)v;
            rdbZiplistWalk(bad, n, NULL, NULL, &count); /* must not crash */
        }
    }
    TEST_CHECK(true);
}

static void testZipmap(void) {
    /* {"k": "vv", "key2": "x"} with 1 free byte after "vv" */
    static const unsigned char zm[] = {2,   1,   'k', 2,   1, 'v', 'v', 0,   4,
                                       'k', 'e', 'y', '2', 1, 0,   'x', 0xff};
    Collected c = {.n = 0};
    unsigned long count = 0;
    TEST_CHECK(rdbZipmapWalk(zm, sizeof(zm), collect, &c, &count));
    TEST_CHECK(count == 2 && c.n == 4 && strcmp(c.text[1], "vv") == 0 &&
               strcmp(c.text[2], "key2") == 0);
    bool neverOk = true;
    for (size_t cut = 0; cut < sizeof(zm); cut++)
        if (rdbZipmapWalk(zm, cut, NULL, NULL, &count)) neverOk = false;
    TEST_CHECK(neverOk);
    unsigned char bad[sizeof(zm)];
    memcpy(bad, zm, sizeof(zm));
    bad[0] = 3; /* wrong count */
    TEST_CHECK(!rdbZipmapWalk(bad, sizeof(bad), NULL, NULL, &count));
}

/* ---- the parser ---- */

typedef struct Events {
    int aux, selects, resizes, keys, strings, elements, fields, scored, blobs, ends;
    long long lastExpire;
    int lastDb;
    bool checksumOk;
} Events;

static bool evAux(void *p, const char *k, size_t kl, const char *v, size_t vl) {
    (void)k, (void)kl, (void)v, (void)vl;
    ((Events *)p)->aux++;
    return true;
}
static bool evSelect(void *p, uint64_t db) {
    ((Events *)p)->selects++;
    ((Events *)p)->lastDb = (int)db;
    return true;
}
static bool evResize(void *p, uint64_t a, uint64_t b) {
    (void)a, (void)b;
    ((Events *)p)->resizes++;
    return true;
}
static bool evKeyBegin(void *p, const RdbKeyInfo *k) {
    ((Events *)p)->keys++;
    if (k->expireMs != -1) ((Events *)p)->lastExpire = k->expireMs;
    return true;
}
static bool evString(void *p, const char *s, size_t l) {
    (void)s, (void)l;
    ((Events *)p)->strings++;
    return true;
}
static bool evElement(void *p, const char *s, size_t l) {
    (void)s, (void)l;
    ((Events *)p)->elements++;
    return true;
}
static bool evField(void *p, const char *f, size_t fl, const char *v, size_t vl) {
    (void)f, (void)fl, (void)v, (void)vl;
    ((Events *)p)->fields++;
    return true;
}
static bool evScored(void *p, const char *m, size_t ml, double s) {
    (void)m, (void)ml, (void)s;
    ((Events *)p)->scored++;
    return true;
}
static bool evBlob(void *p, int kind, unsigned char **b, size_t l) {
    (void)kind, (void)b, (void)l;
    ((Events *)p)->blobs++;
    return true;
}
static bool evEnd(void *p, int status) {
    ((Events *)p)->ends++;
    ((Events *)p)->checksumOk = status == 0;
    return true;
}

static const RdbParserCallbacks evCallbacks = {
    .aux = evAux,
    .selectDb = evSelect,
    .resizeDb = evResize,
    .keyBegin = evKeyBegin,
    .string = evString,
    .element = evElement,
    .field = evField,
    .scored = evScored,
    .blob = evBlob,
    .end = evEnd,
};

/* A file with one key of several types, built with the writer. */
static dstr buildFile(bool checksum) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, checksum, true);
    rdbWriteHeader(&w);
    rdbWriteAuxString(&w, "redis-ver", "7.0.15");
    rdbWriteAuxLongLong(&w, "redis-bits", 64);
    rdbWriteType(&w, RDB_OPCODE_SELECTDB);
    rdbWriteLen(&w, 2);
    rdbWriteType(&w, RDB_OPCODE_RESIZEDB);
    rdbWriteLen(&w, 5);
    rdbWriteLen(&w, 1);
    rdbWriteType(&w, RDB_OPCODE_EXPIRETIME_MS);
    rdbWriteMillis(&w, 4102444800000LL);
    rdbWriteType(&w, RDB_TYPE_STRING);
    rdbWriteString(&w, "str", 3);
    rdbWriteString(&w, "hello world, hello world, hello world", 37);
    rdbWriteType(&w, RDB_TYPE_SET);
    rdbWriteString(&w, "set", 3);
    rdbWriteLen(&w, 2);
    rdbWriteString(&w, "a", 1);
    rdbWriteString(&w, "12", 2);
    rdbWriteType(&w, RDB_TYPE_HASH);
    rdbWriteString(&w, "hash", 4);
    rdbWriteLen(&w, 1);
    rdbWriteString(&w, "f", 1);
    rdbWriteString(&w, "v", 1);
    rdbWriteType(&w, RDB_TYPE_ZSET_2);
    rdbWriteString(&w, "zset", 4);
    rdbWriteLen(&w, 2);
    rdbWriteString(&w, "m", 1);
    rdbWriteBinaryDouble(&w, 2.5);
    rdbWriteString(&w, "n", 1);
    rdbWriteBinaryDouble(&w, -1);
    unsigned char *lp = lpNew(0);
    lp = lpAppend(lp, "x", 1);
    lp = lpAppendInteger(lp, 42);
    rdbWriteType(&w, RDB_TYPE_LIST_QUICKLIST_2);
    rdbWriteString(&w, "list", 4);
    rdbWriteLen(&w, 1);
    rdbWriteLen(&w, RDB_QUICKLIST_NODE_PACKED);
    rdbWriteString(&w, lp, lpBytes(lp));
    lpFree(lp);
    rdbWriteFooter(&w);
    return rdbWriterTakeBuffer(&w);
}

static bool parseBuffer(const void *p, size_t len, Events *ev, char *err, size_t errlen) {
    RdbReader r;
    RdbParser parser;
    memset(ev, 0, sizeof(*ev));
    rdbReaderInitMemory(&r, p, len, true);
    rdbParserInit(&parser, &r, &evCallbacks, ev);
    bool ok = rdbParse(&parser);
    if (err) snprintf(err, errlen, "%s", r.err);
    rdbParserFree(&parser);
    return ok;
}

static void testParseFile(void) {
    dstr f = buildFile(true);
    Events ev;
    char err[RDB_ERRSTR_SIZE];
    TEST_CHECK(parseBuffer(f, dstrLen(f), &ev, err, sizeof(err)));
    TEST_CHECK(ev.aux == 2 && ev.selects == 1 && ev.lastDb == 2 && ev.resizes == 1);
    TEST_CHECK(ev.keys == 5 && ev.strings == 1 && ev.elements == 2 && ev.fields == 1);
    TEST_CHECK(ev.scored == 2 && ev.blobs == 1 && ev.ends == 1 && ev.checksumOk);
    TEST_CHECK(ev.lastExpire == 4102444800000LL);
    /* The footer holds the CRC of everything before it. */
    uint64_t stored = 0;
    for (int i = 7; i >= 0; i--) stored = (stored << 8) | (unsigned char)f[dstrLen(f) - 8 + i];
    TEST_CHECK(stored == crc64(0, f, dstrLen(f) - 8));

    /* Every truncation fails cleanly. */
    bool allFail = true;
    for (size_t cut = 0; cut < dstrLen(f); cut++)
        if (parseBuffer(f, cut, &ev, NULL, 0)) allFail = false;
    TEST_CHECK(allFail);

    /* Any changed byte before the footer is caught by the checksum (or
     * earlier); none crashes. */
    bool allCaught = true;
    dstr m = dstrDup(f);
    for (size_t i = 9; i < dstrLen(f) - 9; i++) {
        for (int v = 1; v < 256; v += 37) {
            memcpy(m, f, dstrLen(f));
            m[i] = (char)(m[i] ^ v);
            if (parseBuffer(m, dstrLen(m), &ev, NULL, 0)) allCaught = false;
        }
    }
    TEST_CHECK(allCaught);
    dstrFree(m);
    dstrFree(f);

    /* Without a checksum the parser says it could not check. */
    f = buildFile(false);
    TEST_CHECK(parseBuffer(f, dstrLen(f), &ev, NULL, 0) && !ev.checksumOk && ev.ends == 1);
    dstrFree(f);
}

static void testParseHeader(void) {
    Events ev;
    char err[RDB_ERRSTR_SIZE];
    TEST_CHECK(!parseBuffer("REDIS0011\xff", 10, &ev, err, sizeof(err)));
    TEST_CHECK(strcmp(err, "Can't handle RDB format version 11") == 0);
    TEST_CHECK(!parseBuffer("RADIS0010\xff", 10, &ev, err, sizeof(err)));
    TEST_CHECK(strcmp(err, "Wrong signature trying to load DB from file") == 0);
    TEST_CHECK(!parseBuffer("REDIS0010\x77", 10, &ev, err, sizeof(err)));
    TEST_CHECK(strcmp(err, "Invalid object type: 119") == 0);
    /* An old version without a checksum after EOF. */
    TEST_CHECK(parseBuffer("REDIS0004\xff", 10, &ev, err, sizeof(err)) && ev.ends == 1);
    TEST_CHECK(!parseBuffer("REDIS0010\xf6", 10, &ev, err, sizeof(err)));
}

static void testDumpTrailer(void) {
    RdbWriter w;
    rdbWriterInitBuffer(&w, false, false);
    rdbWriteType(&w, RDB_TYPE_STRING);
    rdbWriteString(&w, "bar", 3);
    rdbWriteDumpTrailer(&w);
    dstr d = rdbWriterTakeBuffer(&w);
    /* Byte for byte what Redis 7.0 answers to DUMP of "bar". */
    TEST_CHECK(bytesAre(d,
                        "\x00\x03"
                        "bar"
                        "\x0a\x00\xe6\xbeI`\xee"
                        "f\xfd\x17",
                        15));
    dstrFree(d);
}

/* A listpack of the given string entries. */
static unsigned char *pairLp(const char *const *e, int n) {
    unsigned char *lp = lpNew(0);
    for (int i = 0; i < n; i++) lp = lpAppend(lp, e[i], (uint32_t)strlen(e[i]));
    return lp;
}

/* rdbCheckPairListpack: the hash/zset listpack check kvd's loader and
 * kv-check-rdb share. */
static void testPairListpack(void) {
    static const char *const good[] = {"a", "1", "bbb", "2.5"};
    static const char *const odd[] = {"a", "1", "b"};
    static const char *const dup[] = {"a", "1", "b", "2", "a", "3"};
    static const char *const badScore[] = {"m", "abc"};
    unsigned long pairs = 0;
    size_t maxLen = 0;
    unsigned char *lp = pairLp(good, 4);
    TEST_CHECK(rdbCheckPairListpack(lp, lpBytes(lp), false, &pairs, &maxLen) == NULL);
    TEST_CHECK(pairs == 2 && maxLen == 3);
    TEST_CHECK(rdbCheckPairListpack(lp, lpBytes(lp), true, &pairs, &maxLen) == NULL);
    /* a size that disagrees with the header */
    const char *why = rdbCheckPairListpack(lp, lpBytes(lp) - 1, false, &pairs, &maxLen);
    TEST_CHECK(why && strcmp(why, "Hash listpack integrity check failed.") == 0);
    lpFree(lp);
    lp = pairLp(odd, 3);
    TEST_CHECK(rdbCheckPairListpack(lp, lpBytes(lp), false, &pairs, &maxLen) != NULL);
    lpFree(lp);
    lp = pairLp(dup, 6);
    TEST_CHECK(rdbCheckPairListpack(lp, lpBytes(lp), false, &pairs, &maxLen) != NULL);
    why = rdbCheckPairListpack(lp, lpBytes(lp), true, &pairs, &maxLen);
    TEST_CHECK(why && strcmp(why, "Zset listpack integrity check failed.") == 0);
    lpFree(lp);
    lp = pairLp(badScore, 2);
    TEST_CHECK(rdbCheckPairListpack(lp, lpBytes(lp), false, &pairs, &maxLen) == NULL);
    TEST_CHECK(rdbCheckPairListpack(lp, lpBytes(lp), true, &pairs, &maxLen) != NULL);
    lpFree(lp);
}

int main(void) {
    TEST_RUN(testLengths);
    TEST_RUN(testPairListpack);
    TEST_RUN(testStrings);
    TEST_RUN(testBadStrings);
    TEST_RUN(testDoublesAndTimes);
    TEST_RUN(testZiplist);
    TEST_RUN(testZipmap);
    TEST_RUN(testParseFile);
    TEST_RUN(testParseHeader);
    TEST_RUN(testDumpTrailer);
    return TEST_REPORT();
}
