/* test_listpack.c — unit tests of kvd/listpack: the Redis 7.0 listpack format.
 *
 *  - byte-identical output: listpacks built here are compared with the bytes
 *    redis-server 7.0.15 stored for the same hashes (taken from `DUMP` with
 *    rdbcompression off: the payload holds the listpack verbatim after the
 *    type byte and the RDB length);
 *  - every integer-encoding boundary and string-length boundary, read back;
 *  - random operations against a model (an array of strings), checking
 *    forward/backward walks, lpSeek, lpFind and lpValidate after each step;
 *  - the element count around 65535 (unknown) as Redis handles it;
 *  - lpValidate on corrupted and truncated input (bounded fuzz loop): must
 *    never read out of bounds (run under ASan with `make sanitize`), and a
 *    listpack it accepts must be walkable within its size;
 *  - random pairs (HRANDFIELD helpers), lpConcat, lpBatchAppend.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listpack.h"
#include "mem.h"
#include "testhelp.h"

/* ---- helpers ---- */

static size_t hexDecode(const char *hex, unsigned char *out) {
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned int b;
        sscanf(hex, "%2x", &b);
        out[n++] = (unsigned char)b;
    }
    return n;
}

static bool lpEqualsHex(const unsigned char *lp, const char *hex) {
    size_t len = strlen(hex) / 2;
    unsigned char *want = malloc(len);
    hexDecode(hex, want);
    bool ok = lpBytes(lp) == len && memcmp(lp, want, len) == 0;
    if (!ok) {
        fprintf(stderr, "  got:  ");
        for (size_t i = 0; i < lpBytes(lp); i++) fprintf(stderr, "%02x", lp[i]);
        fprintf(stderr, "\n  want: %s\n", hex);
    }
    free(want);
    return ok;
}

static unsigned char *appendStr(unsigned char *lp, const char *s) {
    return lpAppend(lp, s, (uint32_t)strlen(s));
}

/* The entry at p as bytes (integers as decimal) compared with s/slen. */
static bool entryIs(const unsigned char *p, const void *s, size_t slen) {
    char buf[LP_INTBUF_SIZE];
    uint32_t len;
    const unsigned char *e = lpGetString(p, &len, buf);
    return len == slen && memcmp(e, s, slen) == 0;
}

/* ---- byte-identical vectors from redis-server 7.0.15 ---- */

/* HSET h f0 0 f1 1 f2 63 ... : one field per integer boundary. */
static const long long vecInts[] = {0,
                                    1,
                                    63,
                                    64,
                                    127,
                                    128,
                                    -1,
                                    -64,
                                    -65,
                                    4095,
                                    4096,
                                    -4096,
                                    -4097,
                                    32767,
                                    32768,
                                    -32768,
                                    -32769,
                                    8388607,
                                    8388608,
                                    -8388608,
                                    -8388609,
                                    2147483647,
                                    2147483648LL,
                                    -2147483648LL,
                                    -2147483649LL,
                                    LLONG_MAX,
                                    LLONG_MIN};
static const char *vecIntsHex =
    "040100003600826630030001826631030101826632033f01826633034001826634037f0182663503c080028266"
    "3603dfff0282663703dfc00282663803dfbf0282663903cfff028366313004f10010038366313104d000028366"
    "313204f1ffef038366313304f1ff7f038366313404f2008000048366313504f10080038366313604f2ff7fff04"
    "8366313704f2ffff7f048366313804f300008000058366313904f2000080048366323004f3ffff7fff05836632"
    "3104f3ffffff7f058366323204f40000008000000000098366323304f300000080058366323404f4ffffff7fff"
    "ffffff098366323504f4ffffffffffffff7f098366323604f4000000000000008009ff";

/* HSET h s0 "01" s1 "-0" ... : strings that must NOT become integers. */
static const char *vecStrs[] = {
    "01",  "-0", "+1",  " 1", "1 ", "9223372036854775808", "-9223372036854775809",
    "1.5", "",   "0x1", "-"};
static const char *vecStrsHex =
    "8b0000001800827330038230310382733103822d300382733203822b3103827333038220310382733403823120"
    "038273350393393232333337323033363835343737353830381482733603942d39323233333732303336383534"
    "373735383039158273370383312e35048273380380018273390383307831048373313004812d02837331310482"
    "00ff03ff";

/* HSET h f <n times 'x'>: total bytes, value header and backlen. */
static const struct {
    uint32_t n;
    size_t total;
    const char *hdr, *backlen;
} vecLens[] = {
    {63, 75, "bf", "40"},
    {64, 77, "e040", "42"},
    {125, 138, "e07d", "7f"},
    {126, 140, "e07e", "0180"},
    {127, 141, "e07f", "0181"},
    {4095, 4109, "efff", "2081"},
    {4096, 4113, "f000100000", "2085"},
    {16377, 16394, "f0f93f0000", "7ffe"},
    {16378, 16396, "f0fa3f0000", "00ffff"}, /* entry of 16383 bytes: 3-byte backlen */
    {16379, 16397, "f0fb3f0000", "018080"},
    {2097145, 2097163, "f0f9ff1f00", "7ffffe"},
    {2097146, 2097165, "f0faff1f00", "00ffffff"},
    {2097147, 2097166, "f0fbff1f00", "01808080"},
};

static void testRedisVectors(void) {
    char field[16], value[32];
    unsigned char *lp = lpNew(0);
    TEST_CHECK(lpEqualsHex(lp, "0700000000"
                               "00ff"));
    for (size_t i = 0; i < sizeof(vecInts) / sizeof(vecInts[0]); i++) {
        snprintf(field, sizeof(field), "f%zu", i);
        snprintf(value, sizeof(value), "%lld", vecInts[i]);
        lp = appendStr(lp, field);
        lp = appendStr(lp, value);
    }
    TEST_CHECK(lpEqualsHex(lp, vecIntsHex));
    lpFree(lp);

    /* Same bytes through lpAppendInteger / lpBatchAppend. */
    lp = lpNew(0);
    LpEntry batch[64];
    size_t nb = 0;
    char fields[32][8];
    for (size_t i = 0; i < sizeof(vecInts) / sizeof(vecInts[0]); i++) {
        snprintf(fields[i], sizeof(fields[i]), "f%zu", i);
        batch[nb++] = (LpEntry){(const unsigned char *)fields[i], (uint32_t)strlen(fields[i]), 0};
        batch[nb++] = (LpEntry){NULL, 0, vecInts[i]};
    }
    lp = lpBatchAppend(lp, batch, nb);
    TEST_CHECK(lpEqualsHex(lp, vecIntsHex));
    TEST_CHECK(lpValidate(lp, lpBytes(lp), true));
    lpFree(lp);

    lp = lpNew(0);
    for (size_t i = 0; i < sizeof(vecStrs) / sizeof(vecStrs[0]); i++) {
        snprintf(field, sizeof(field), "s%zu", i);
        lp = appendStr(lp, field);
        lp = appendStr(lp, vecStrs[i]);
    }
    lp = appendStr(lp, "s11");
    lp = lpAppend(lp, "\x00\xff", 2);
    TEST_CHECK(lpEqualsHex(lp, vecStrsHex));
    lpFree(lp);

    for (size_t i = 0; i < sizeof(vecLens) / sizeof(vecLens[0]); i++) {
        uint32_t n = vecLens[i].n;
        char *big = malloc(n);
        memset(big, 'x', n);
        lp = lpNew(0);
        lp = appendStr(lp, "f");
        lp = lpAppend(lp, big, n);
        unsigned char hdr[8], bl[8];
        size_t hlen = hexDecode(vecLens[i].hdr, hdr), blen = hexDecode(vecLens[i].backlen, bl);
        bool ok = lpBytes(lp) == vecLens[i].total && memcmp(lp + 9, hdr, hlen) == 0 &&
                  memcmp(lp + 9 + hlen, big, n) == 0 && memcmp(lp + 9 + hlen + n, bl, blen) == 0 &&
                  lp[lpBytes(lp) - 1] == LP_EOF && 9 + hlen + n + blen + 1 == lpBytes(lp);
        if (!ok) fprintf(stderr, "  length vector n=%u differs\n", n);
        TEST_CHECK(ok);
        TEST_CHECK(lpValidate(lp, lpBytes(lp), true));
        /* Backward walk reads the multi-byte backlen. */
        unsigned char *last = lpLast(lp);
        TEST_CHECK(last == lp + 9);
        TEST_CHECK(lpPrev(lp, last) == lp + LP_HDR_SIZE);
        uint32_t slen = 0;
        TEST_CHECK(lpGet(last, &slen, NULL) == lp + 9 + hlen && slen == n);
        lpFree(lp);
        free(big);
    }
}

/* ---- encoding boundaries ---- */

static void testIntegerBoundaries(void) {
    static const struct {
        long long v;
        size_t entry; /* encoding + data + backlen */
    } cases[] = {
        {0, 2},
        {127, 2},
        {128, 3},
        {-1, 3},
        {4095, 3},
        {4096, 4},
        {-4096, 3},
        {-4097, 4},
        {32767, 4},
        {32768, 5},
        {-32768, 4},
        {-32769, 5},
        {(1LL << 23) - 1, 5},
        {1LL << 23, 6},
        {-(1LL << 23), 5},
        {-(1LL << 23) - 1, 6},
        {(1LL << 31) - 1, 6},
        {1LL << 31, 10},
        {-(1LL << 31), 6},
        {-(1LL << 31) - 1, 10},
        {LLONG_MAX, 10},
        {LLONG_MIN, 10},
        {1LL << 62, 10},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%lld", cases[i].v);
        unsigned char *a = lpAppendInteger(lpNew(0), cases[i].v);
        unsigned char *b = lpAppend(lpNew(0), buf, (uint32_t)len);
        TEST_CHECK(lpBytes(a) == 7 + cases[i].entry);
        TEST_CHECK(lpBytes(a) == lpBytes(b) && memcmp(a, b, lpBytes(a)) == 0);
        long long v = 0;
        TEST_CHECK(lpGet(lpFirst(a), NULL, &v) == NULL && v == cases[i].v);
        TEST_CHECK(lpGetInteger(lpFirst(a), &v) && v == cases[i].v);
        TEST_CHECK(entryIs(lpFirst(a), buf, (size_t)len));
        TEST_CHECK(lpGetStringLen(lpFirst(a)) == (uint32_t)len);
        TEST_CHECK(lpCompare(lpFirst(a), buf, (uint32_t)len));
        TEST_CHECK(lpFind(a, lpFirst(a), buf, (uint32_t)len, 0) == lpFirst(a));
        TEST_CHECK(lpValidate(a, lpBytes(a), true));
        lpFree(a);
        lpFree(b);
    }
    /* Strings beside the integers: never an integer, never found as one. */
    unsigned char *lp = lpNew(0);
    lp = appendStr(lp, "01");
    lp = appendStr(lp, "1");
    TEST_CHECK(lpGet(lpFirst(lp), NULL, NULL) != NULL);
    TEST_CHECK(lpFind(lp, lpFirst(lp), "1", 1, 0) == lpNext(lp, lpFirst(lp)));
    TEST_CHECK(lpFind(lp, lpFirst(lp), "01", 2, 0) == lpFirst(lp));
    TEST_CHECK(lpFind(lp, lpFirst(lp), "001", 3, 0) == NULL);
    TEST_CHECK(!lpCompare(lpNext(lp, lpFirst(lp)), "01", 2));
    lpFree(lp);
}

static void testStringBoundaries(void) {
    static const struct {
        uint32_t len;
        size_t hdr, backlen;
    } cases[] = {{0, 1, 1},     {1, 1, 1},     {63, 1, 1},     {64, 2, 1},    {125, 2, 1},
                 {126, 2, 2},   {4095, 2, 2},  {4096, 5, 2},   {16377, 5, 2}, {16378, 5, 3},
                 {16379, 5, 3}, {70000, 5, 3}, {2097146, 5, 4}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t n = cases[i].len;
        char *s = malloc(n + 1);
        for (uint32_t j = 0; j < n; j++) s[j] = (char)('a' + j % 26);
        unsigned char *lp = lpAppend(lpNew(0), s, n);
        lp = lpAppendInteger(lp, 7);
        lp = lpPrepend(lp, s, n);
        TEST_CHECK(lpBytes(lp) == 7 + 2 * (cases[i].hdr + n + cases[i].backlen) + 2);
        TEST_CHECK(lpLength(lp) == 3);
        unsigned char *p = lpFirst(lp);
        TEST_CHECK(entryIs(p, s, n));
        p = lpNext(lp, p);
        TEST_CHECK(entryIs(p, s, n));
        TEST_CHECK(lpGetStringLen(p) == n);
        p = lpLast(lp);
        TEST_CHECK(entryIs(p, "7", 1));
        p = lpPrev(lp, p);
        TEST_CHECK(entryIs(p, s, n));
        TEST_CHECK(lpPrev(lp, lpPrev(lp, p)) == NULL);
        TEST_CHECK(lpValidate(lp, lpBytes(lp), true));
        TEST_CHECK(lpFind(lp, lpFirst(lp), s, n, 1) == lpFirst(lp));
        lpFree(lp);
        free(s);
    }
}

/* ---- random operations against a model ---- */

#define MODEL_MAX 400

typedef struct Model {
    char *s[MODEL_MAX];
    size_t len[MODEL_MAX];
    int n;
} Model;

static size_t randomValue(char *buf) {
    int kind = rand() % 10;
    switch (kind) {
        case 0: return (size_t)snprintf(buf, 64, "%d", rand() % 128);
        case 1: return (size_t)snprintf(buf, 64, "%d", rand() % 10000 - 5000);
        case 2: return (size_t)snprintf(buf, 64, "%ld", (long)rand() * (rand() % 2 ? 1 : -1));
        case 3:
            return (size_t)snprintf(buf, 64, "%lld",
                                    (long long)(((unsigned long long)rand() << 33) ^
                                                (unsigned long long)rand() ^
                                                ((unsigned long long)rand() << 2)));
        case 4: return (size_t)snprintf(buf, 64, "0%d", rand() % 100);
        case 5: buf[0] = '\0'; return 0;
        default: {
            size_t len = (size_t)(rand() % (kind == 9 ? 300 : 20));
            for (size_t i = 0; i < len; i++) buf[i] = (char)(rand() % 256);
            return len;
        }
    }
}

static void modelInsert(Model *m, int at, const char *s, size_t len) {
    memmove(&m->s[at + 1], &m->s[at], sizeof(char *) * (size_t)(m->n - at));
    memmove(&m->len[at + 1], &m->len[at], sizeof(size_t) * (size_t)(m->n - at));
    m->s[at] = malloc(len + 1);
    memcpy(m->s[at], s, len);
    m->len[at] = len;
    m->n++;
}

static void modelDelete(Model *m, int at, int count) {
    for (int i = at; i < at + count; i++) free(m->s[i]);
    memmove(&m->s[at], &m->s[at + count], sizeof(char *) * (size_t)(m->n - at - count));
    memmove(&m->len[at], &m->len[at + count], sizeof(size_t) * (size_t)(m->n - at - count));
    m->n -= count;
}

static bool modelMatches(unsigned char *lp, const Model *m) {
    if (!lpValidate(lp, lpBytes(lp), true)) return false;
    if (lpLength(lp) != (unsigned long)m->n) return false;
    unsigned char *p = lpFirst(lp);
    for (int i = 0; i < m->n; i++, p = lpNext(lp, p))
        if (!p || !entryIs(p, m->s[i], m->len[i])) return false;
    if (p) return false;
    p = lpLast(lp);
    for (int i = m->n - 1; i >= 0; i--, p = lpPrev(lp, p))
        if (!p || !entryIs(p, m->s[i], m->len[i])) return false;
    if (p) return false;
    if (m->n) {
        int i = rand() % m->n;
        if (!entryIs(lpSeek(lp, i), m->s[i], m->len[i])) return false;
        if (!entryIs(lpSeek(lp, i - m->n), m->s[i], m->len[i])) return false;
    }
    if (lpSeek(lp, m->n) || lpSeek(lp, -m->n - 1)) return false;
    return true;
}

static void testRandomModel(void) {
    Model m = {.n = 0};
    unsigned char *lp = lpNew(0);
    char buf[400];
    int bad = 0;
    srand(1234);
    for (int step = 0; step < 20000 && !bad; step++) {
        int op = rand() % 9;
        size_t len = randomValue(buf);
        if (m.n >= MODEL_MAX - 2 && op < 5) op = 6;
        if (op <= 1 || m.n == 0) {
            if (op == 0) {
                lp = lpAppend(lp, buf, (uint32_t)len);
                modelInsert(&m, m.n, buf, len);
            } else {
                lp = lpPrepend(lp, buf, (uint32_t)len);
                modelInsert(&m, 0, buf, len);
            }
        } else if (op <= 3) {
            int at = rand() % m.n;
            unsigned char *p = lpSeek(lp, at), *np = NULL;
            int where = op == 2 ? LP_BEFORE : LP_AFTER;
            lp = lpInsertString(lp, buf, (uint32_t)len, p, where, &np);
            modelInsert(&m, where == LP_BEFORE ? at : at + 1, buf, len);
            if (!entryIs(np, buf, len)) bad = 1;
        } else if (op == 4) {
            int at = rand() % m.n;
            unsigned char *p = lpSeek(lp, at);
            lp = lpReplace(lp, &p, buf, (uint32_t)len);
            if (!entryIs(p, buf, len)) bad = 1;
            free(m.s[at]);
            m.s[at] = malloc(len + 1);
            memcpy(m.s[at], buf, len);
            m.len[at] = len;
        } else if (op == 5) {
            int at = rand() % m.n;
            unsigned char *p = lpSeek(lp, at), *np = NULL;
            lp = lpDelete(lp, p, &np);
            modelDelete(&m, at, 1);
            if (at < m.n ? !entryIs(np, m.s[at], m.len[at]) : np != NULL) bad = 1;
        } else if (op == 6) {
            int at = rand() % m.n, count = rand() % 5;
            if (count > m.n - at) count = m.n - at;
            lp = lpDeleteRange(lp, rand() % 2 ? at : at - m.n, (unsigned long)count);
            modelDelete(&m, at, count);
        } else if (op == 7) {
            /* lpFind with skip 1 over the even positions. */
            int at = rand() % m.n;
            int want = -1;
            for (int i = 0; i < m.n; i += 2)
                if (m.len[i] == m.len[at] && memcmp(m.s[i], m.s[at], m.len[at]) == 0) {
                    want = i;
                    break;
                }
            unsigned char *f = lpFind(lp, lpFirst(lp), m.s[at], (uint32_t)m.len[at], 1);
            if (want < 0 ? f != NULL : f != lpSeek(lp, want)) bad = 2;
        } else {
            /* Replace with an entry taken from the listpack itself. */
            int from = rand() % m.n, at = rand() % m.n;
            uint32_t slen;
            char ib[LP_INTBUF_SIZE];
            const unsigned char *src = lpGetString(lpSeek(lp, from), &slen, ib);
            unsigned char *p = lpSeek(lp, at);
            lp = lpReplace(lp, &p, src, slen);
            char *copy = malloc(m.len[from] + 1);
            memcpy(copy, m.s[from], m.len[from]);
            free(m.s[at]);
            m.s[at] = copy;
            m.len[at] = m.len[from];
        }
        if (!modelMatches(lp, &m)) bad = 3;
        if (bad) fprintf(stderr, "  model mismatch (%d) at step %d op %d\n", bad, step, op);
    }
    TEST_CHECK(bad == 0);
    lpFree(lp);
    modelDelete(&m, 0, m.n);
}

/* ---- the element count past 65534 ---- */

static void testUnknownCount(void) {
    unsigned char *lp = lpNew(0);
    /* One batch (appending one by one is quadratic under ASan's realloc). */
    LpEntry *many = malloc(sizeof(LpEntry) * 65534);
    for (int i = 0; i < 65534; i++) many[i] = (LpEntry){NULL, 0, i % 100};
    lp = lpBatchAppend(lp, many, 65534);
    free(many);
    TEST_CHECK(lp[4] == 0xfe && lp[5] == 0xff && lpLength(lp) == 65534);
    lp = lpAppendInteger(lp, 1);
    TEST_CHECK(lp[4] == 0xff && lp[5] == 0xff);
    TEST_CHECK(lpLength(lp) == 65535);
    lp = lpAppendInteger(lp, 2);
    TEST_CHECK(lpLength(lp) == 65536);
    TEST_CHECK(lpValidate(lp, lpBytes(lp), true));
    TEST_CHECK(entryIs(lpSeek(lp, 65535), "2", 1));
    TEST_CHECK(entryIs(lpSeek(lp, -1), "2", 1));
    TEST_CHECK(entryIs(lpSeek(lp, -65536), "0", 1));
    TEST_CHECK(lpSeek(lp, 65536) == NULL && lpSeek(lp, -65537) == NULL);
    /* Deleting keeps "unknown" until lpLength counts a value that fits. */
    unsigned char *p = lpFirst(lp);
    lp = lpDelete(lp, p, NULL);
    lp = lpDelete(lp, lpFirst(lp), NULL);
    TEST_CHECK(lp[4] == 0xff && lp[5] == 0xff);
    TEST_CHECK(lpLength(lp) == 65534);
    TEST_CHECK(lp[4] == 0xfe && lp[5] == 0xff);
    /* lpConcat caps the sum at unknown. */
    unsigned char *small = lpAppendInteger(lpAppendInteger(lpNew(0), 1), 2);
    lp = lpConcat(lp, small);
    TEST_CHECK(lp[4] == 0xff && lp[5] == 0xff && lpLength(lp) == 65536);
    TEST_CHECK(lpValidate(lp, lpBytes(lp), true));
    lpFree(small);
    lpFree(lp);
}

/* ---- validation of untrusted bytes ---- */

/* Walks a validated listpack within its size, counting entries. */
static bool walkWithin(const unsigned char *lp, size_t size) {
    const unsigned char *p = lpFirst(lp);
    size_t count = 0;
    while (p) {
        if (p < lp + LP_HDR_SIZE || p >= lp + size - 1) return false;
        uint32_t slen;
        long long v;
        const unsigned char *s = lpGet(p, &slen, &v);
        if (s && s + slen > lp + size - 1) return false;
        p = lpNext(lp, p);
        if (++count > size) return false;
    }
    return true;
}

static void testValidate(void) {
    unsigned char *lp = lpNew(0);
    TEST_CHECK(lpValidate(lp, 7, true));
    TEST_CHECK(!lpValidate(lp, 6, false));
    TEST_CHECK(!lpValidate(lp, 8, false));
    TEST_CHECK(!lpValidate(NULL, 0, true));
    for (int i = 0; i < 40; i++) {
        char buf[400];
        size_t len = randomValue(buf);
        lp = lpAppend(lp, buf, (uint32_t)len);
    }
    lp = lpAppend(lp, "", 0);
    char big[5000];
    memset(big, 'z', sizeof(big));
    lp = lpAppend(lp, big, sizeof(big));
    size_t size = lpBytes(lp);
    TEST_CHECK(lpValidate(lp, size, true));

    /* Specific corruptions. */
    unsigned char *c = malloc(size + 16);
    memcpy(c, lp, size);
    c[size - 1] = 0x00;
    TEST_CHECK(!lpValidate(c, size, false));
    memcpy(c, lp, size);
    c[4] = 41; /* wrong count */
    TEST_CHECK(lpValidate(c, size, false) && !lpValidate(c, size, true));
    c[4] = 0xff, c[5] = 0xff; /* unknown count is fine */
    TEST_CHECK(lpValidate(c, size, true));
    memcpy(c, lp, size);
    c[LP_HDR_SIZE] = 0xF5; /* unused encoding */
    TEST_CHECK(!lpValidate(c, size, true));
    memcpy(c, lp, size);
    c[LP_HDR_SIZE] = 0xFF; /* early EOF */
    TEST_CHECK(!lpValidate(c, size, true));
    /* A 32-bit string length pointing far past the end. */
    static const unsigned char huge[] = {0x0d, 0,    0,    0,    1, 0,   0xF0,
                                         0xff, 0xff, 0xff, 0x7f, 2, 0xff};
    TEST_CHECK(!lpValidate(huge, sizeof(huge), true));
    /* Non-canonical backlen (value right, byte count wrong). */
    static const unsigned char longBl[] = {0x0a, 0, 0, 0, 1, 0, 0x01, 0x00, 0x81, 0xff};
    TEST_CHECK(!lpValidate(longBl, sizeof(longBl), true));
    static const unsigned char ok1[] = {0x09, 0, 0, 0, 1, 0, 0x01, 0x01, 0xff};
    TEST_CHECK(lpValidate(ok1, sizeof(ok1), true));

    /* Truncations: every prefix with its header patched to the prefix size
     * must be refused without reading past it (ASan catches reads). */
    int accepted = 0;
    for (size_t cut = 7; cut < size; cut++) {
        unsigned char *t = malloc(cut);
        memcpy(t, lp, cut);
        t[0] = (unsigned char)cut, t[1] = (unsigned char)(cut >> 8), t[2] = 0, t[3] = 0;
        t[cut - 1] = 0xff;
        if (lpValidate(t, cut, true)) {
            accepted++;
            TEST_CHECK(walkWithin(t, cut));
        }
        free(t);
    }
    TEST_CHECK(accepted == 0);

    /* Random byte flips: never a crash; anything accepted walks in bounds. */
    srand(99);
    int walkedBad = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(c, lp, size);
        int flips = 1 + rand() % 4;
        for (int f = 0; f < flips; f++)
            c[LP_HDR_SIZE + (size_t)rand() % (size - 7)] ^= (unsigned char)(1 + rand() % 255);
        size_t csize = rand() % 8 ? size : (size_t)(7 + rand() % (int)(size - 7));
        unsigned char *t = malloc(csize); /* exact size: ASan sees overreads */
        memcpy(t, c, csize);
        if (rand() % 2) {
            t[0] = (unsigned char)csize, t[1] = (unsigned char)(csize >> 8);
            t[2] = (unsigned char)(csize >> 16), t[3] = 0;
        }
        if (lpValidate(t, csize, true) && !walkWithin(t, csize)) walkedBad++;
        free(t);
    }
    TEST_CHECK(walkedBad == 0);
    free(c);
    lpFree(lp);
}

/* ---- random pairs, concat, delete range ---- */

static void testRandomPairs(void) {
    unsigned char *lp = lpNew(0);
    char k[16], v[16];
    for (int i = 0; i < 50; i++) {
        snprintf(k, sizeof(k), "k%d", i);
        snprintf(v, sizeof(v), "%d", i * 3);
        lp = appendStr(lp, k);
        lp = appendStr(lp, v);
    }
    LpEntry keys[200], vals[200];
    lpRandomPairs(lp, 200, keys, vals);
    int badPair = 0, seen[50] = {0};
    for (int i = 0; i < 200; i++) {
        int idx = atoi((const char *)keys[i].sval + 1);
        if (!keys[i].sval || vals[i].sval || vals[i].lval != idx * 3) badPair++;
        seen[idx]++;
    }
    TEST_CHECK(badPair == 0);
    int distinct = 0;
    for (int i = 0; i < 50; i++) distinct += seen[i] > 0;
    TEST_CHECK(distinct > 30); /* 200 draws of 50: all but a few appear */

    for (unsigned int want = 0; want <= 60; want += 5) {
        unsigned int got = lpRandomPairsUnique(lp, want, keys, vals);
        TEST_CHECK(got == (want < 50 ? want : 50));
        int prev = -1, ordered = 1;
        for (unsigned int i = 0; i < got; i++) {
            int idx = atoi((const char *)keys[i].sval + 1);
            if (idx <= prev || vals[i].lval != idx * 3) ordered = 0;
            prev = idx;
        }
        TEST_CHECK(ordered);
    }
    LpEntry key, val;
    for (int i = 0; i < 100; i++) {
        lpRandomPair(lp, 50, &key, &val);
        TEST_CHECK(key.sval && key.sval[0] == 'k' &&
                   val.lval == atoi((const char *)key.sval + 1) * 3);
    }
    lpFree(lp);
}

static void testConcatAndRanges(void) {
    unsigned char *a = lpNew(0), *b = lpNew(0), *all = lpNew(0);
    char buf[16];
    for (int i = 0; i < 10; i++) {
        snprintf(buf, sizeof(buf), "a%d", i);
        a = appendStr(a, buf);
        all = appendStr(all, buf);
    }
    for (int i = 0; i < 7; i++) {
        b = lpAppendInteger(b, i * 1000);
        all = lpAppendInteger(all, i * 1000);
    }
    a = lpConcat(a, b);
    TEST_CHECK(lpBytes(a) == lpBytes(all) && memcmp(a, all, lpBytes(a)) == 0);
    unsigned char *d = lpDup(a);
    TEST_CHECK(memcmp(d, a, lpBytes(a)) == 0);
    /* Delete 3 from index 8: a8 a9 0 go. */
    d = lpDeleteRange(d, 8, 3);
    TEST_CHECK(lpLength(d) == 14 && entryIs(lpSeek(d, 8), "1000", 4));
    d = lpDeleteRange(d, -2, 100);
    TEST_CHECK(lpLength(d) == 12 && entryIs(lpLast(d), "4000", 4));
    TEST_CHECK(lpValidate(d, lpBytes(d), true));
    unsigned char *p = lpFirst(d);
    d = lpDeleteRangeWithEntry(d, &p, 1000);
    TEST_CHECK(p == NULL && lpLength(d) == 0 && lpBytes(d) == 7);
    d = lpShrinkToFit(d);
    TEST_CHECK(lpValidate(d, 7, true));
    lpFree(a);
    lpFree(b);
    lpFree(d);
    lpFree(all);
}

int main(void) {
    TEST_RUN(testRedisVectors);
    TEST_RUN(testIntegerBoundaries);
    TEST_RUN(testStringBoundaries);
    TEST_RUN(testRandomModel);
    TEST_RUN(testUnknownCount);
    TEST_RUN(testValidate);
    TEST_RUN(testRandomPairs);
    TEST_RUN(testConcatAndRanges);
    return TEST_REPORT();
}
