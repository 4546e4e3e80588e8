/* test_intset.c — unit tests of kvd/intset.c: exact bytes against blobs
 * taken from Redis 7.0.15 (`redis-cli DUMP` of small sets; the intset is
 * the RDB string after the type byte 0x0b and its length), every encoding
 * boundary and upgrade path, a model-based random test (a sorted array as
 * the reference, the encoding as the widest value ever added), and
 * intsetValidate on good and corrupt input; then the Set value built on it
 * (kvd/t_set.c): encoding choice and conversions under
 * set-max-intset-entries, against a model. */
#include "config.h"
#include "intset.h"
#include "mem.h"
#include "t_set.h"
#include "testhelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool blobEquals(const Intset *is, const char *expect, size_t len) {
    return intsetBlobLen(is) == len && memcmp(is, expect, len) == 0;
}

static Intset *build(const int64_t *vals, size_t n) {
    Intset *is = intsetNew();
    for (size_t i = 0; i < n; i++) is = intsetAdd(is, vals[i], NULL);
    return is;
}

/* Blobs copied from DUMP replies of Redis 7.0.15. */
static void testRedisBytes(void) {
    /* SADD s 1 2 3 */
    const int64_t a[] = {3, 1, 2};
    Intset *is = build(a, 3);
    TEST_CHECK(blobEquals(is, "\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00", 14));
    intsetFree(is);

    /* SADD s2 70000 -5 */
    const int64_t b[] = {70000, -5};
    is = build(b, 2);
    TEST_CHECK(
        blobEquals(is, "\x04\x00\x00\x00\x02\x00\x00\x00\xfb\xff\xff\xff\x70\x11\x01\x00", 16));
    intsetFree(is);

    /* SADD s3 5000000000 1 */
    const int64_t c[] = {5000000000LL, 1};
    is = build(c, 2);
    TEST_CHECK(blobEquals(is,
                          "\x08\x00\x00\x00\x02\x00\x00\x00"
                          "\x01\x00\x00\x00\x00\x00\x00\x00"
                          "\x00\xf2\x05\x2a\x01\x00\x00\x00",
                          24));
    intsetFree(is);

    /* SADD u 1 5000000000; SREM u 5000000000: the encoding stays 8. */
    is = build(c, 2);
    bool removed;
    is = intsetRemove(is, 5000000000LL, &removed);
    TEST_CHECK(removed);
    TEST_CHECK(
        blobEquals(is, "\x08\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00", 16));
    intsetFree(is);

    /* SADD bnd -32768 32767 */
    const int64_t d[] = {-32768, 32767};
    is = build(d, 2);
    TEST_CHECK(blobEquals(is, "\x02\x00\x00\x00\x02\x00\x00\x00\x00\x80\xff\x7f", 12));
    intsetFree(is);

    /* SADD bnd2 -32769 32768 2147483647 -2147483648 */
    const int64_t e[] = {-32769, 32768, 2147483647, -2147483648LL};
    is = build(e, 4);
    TEST_CHECK(blobEquals(is,
                          "\x04\x00\x00\x00\x04\x00\x00\x00"
                          "\x00\x00\x00\x80\xff\x7f\xff\xff\x00\x80\x00\x00\xff\xff\xff\x7f",
                          24));
    intsetFree(is);
}

static void testBasics(void) {
    Intset *is = intsetNew();
    TEST_CHECK(intsetLen(is) == 0);
    TEST_CHECK(intsetBlobLen(is) == 8);
    TEST_CHECK(intsetEncoding(is) == INTSET_ENC_INT16);
    TEST_CHECK(!intsetFind(is, 0));
    int64_t v;
    TEST_CHECK(!intsetGet(is, 0, &v));
    bool flag;
    is = intsetRemove(is, 5, &flag);
    TEST_CHECK(!flag);

    is = intsetAdd(is, 5, &flag);
    TEST_CHECK(flag);
    is = intsetAdd(is, 5, &flag);
    TEST_CHECK(!flag);
    is = intsetAdd(is, -3, &flag);
    is = intsetAdd(is, 10, &flag);
    TEST_CHECK(intsetLen(is) == 3);
    TEST_CHECK(intsetMin(is) == -3);
    TEST_CHECK(intsetMax(is) == 10);
    TEST_CHECK(intsetGet(is, 1, &v) && v == 5);
    TEST_CHECK(!intsetGet(is, 3, &v));
    TEST_CHECK(intsetFind(is, 10) && !intsetFind(is, 11) && !intsetFind(is, 1LL << 40));
    for (int i = 0; i < 50; i++) {
        int64_t r = intsetRandom(is);
        TEST_CHECK(r == -3 || r == 5 || r == 10);
    }
    Intset *copy = intsetDup(is);
    TEST_CHECK(intsetBlobLen(copy) == intsetBlobLen(is) &&
               memcmp(copy, is, intsetBlobLen(is)) == 0);
    intsetFree(copy);
    /* removing a value wider than the encoding is a no-op */
    is = intsetRemove(is, 1LL << 40, &flag);
    TEST_CHECK(!flag && intsetLen(is) == 3);
    is = intsetRemove(is, 5, &flag);
    TEST_CHECK(flag && intsetLen(is) == 2);
    TEST_CHECK(intsetGet(is, 1, &v) && v == 10);
    intsetFree(is);
}

static void testValueEncoding(void) {
    TEST_CHECK(intsetValueEncoding(0) == 2);
    TEST_CHECK(intsetValueEncoding(INT16_MAX) == 2);
    TEST_CHECK(intsetValueEncoding(INT16_MIN) == 2);
    TEST_CHECK(intsetValueEncoding((int64_t)INT16_MAX + 1) == 4);
    TEST_CHECK(intsetValueEncoding((int64_t)INT16_MIN - 1) == 4);
    TEST_CHECK(intsetValueEncoding(INT32_MAX) == 4);
    TEST_CHECK(intsetValueEncoding(INT32_MIN) == 4);
    TEST_CHECK(intsetValueEncoding((int64_t)INT32_MAX + 1) == 8);
    TEST_CHECK(intsetValueEncoding((int64_t)INT32_MIN - 1) == 8);
    TEST_CHECK(intsetValueEncoding(INT64_MAX) == 8);
    TEST_CHECK(intsetValueEncoding(INT64_MIN) == 8);
}

/* Every upgrade path, prepending (negative) and appending (positive). */
static void testUpgrades(void) {
    const int64_t wide[] = {(int64_t)INT16_MAX + 1, (int64_t)INT16_MIN - 1, INT32_MAX, INT32_MIN,
                            (int64_t)INT32_MAX + 1, (int64_t)INT32_MIN - 1, INT64_MAX, INT64_MIN};
    for (size_t w = 0; w < sizeof(wide) / sizeof(wide[0]); w++) {
        for (int start = 0; start < 2; start++) {
            Intset *is = intsetNew();
            /* start 0: from int16; start 1: from int32 */
            is = intsetAdd(is, -7, NULL);
            is = intsetAdd(is, 0, NULL);
            is = intsetAdd(is, 9, NULL);
            if (start) is = intsetAdd(is, 100000, NULL);
            uint32_t len = intsetLen(is);
            bool added;
            is = intsetAdd(is, wide[w], &added);
            TEST_CHECK(added);
            TEST_CHECK(intsetLen(is) == len + 1);
            uint32_t want = intsetValueEncoding(wide[w]);
            if (start && want < INTSET_ENC_INT32) want = INTSET_ENC_INT32;
            TEST_CHECK(intsetEncoding(is) == want);
            TEST_CHECK(intsetBlobLen(is) == 8 + (size_t)(len + 1) * want);
            TEST_CHECK(intsetFind(is, wide[w]) && intsetFind(is, -7) && intsetFind(is, 0) &&
                       intsetFind(is, 9));
            TEST_CHECK(intsetValidate((const unsigned char *)is, intsetBlobLen(is), true));
            if (wide[w] < -7)
                TEST_CHECK(intsetMin(is) == wide[w]);
            else if (wide[w] > (start ? 100000 : 9))
                TEST_CHECK(intsetMax(is) == wide[w]);
            intsetFree(is);
        }
    }
}

/* ---- model-based random test ---- */

static int cmpI64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t rngState = 88172645463325252ULL;
static uint64_t rnd(void) {
    rngState ^= rngState << 13;
    rngState ^= rngState >> 7;
    rngState ^= rngState << 17;
    return rngState;
}

static int64_t randomValue(void) {
    static const int64_t edges[] = {0,
                                    1,
                                    -1,
                                    INT16_MAX,
                                    INT16_MIN,
                                    (int64_t)INT16_MAX + 1,
                                    (int64_t)INT16_MIN - 1,
                                    INT32_MAX,
                                    INT32_MIN,
                                    (int64_t)INT32_MAX + 1,
                                    (int64_t)INT32_MIN - 1,
                                    INT64_MAX,
                                    INT64_MIN,
                                    INT64_MAX - 1,
                                    INT64_MIN + 1};
    switch (rnd() % 8) {
        case 0: return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
        case 1: return (int64_t)(rnd() % 200) - 100;
        case 2: return (int16_t)rnd();
        case 3: return (int32_t)rnd();
        case 4: return (int64_t)rnd();
        default: return (int64_t)(rnd() % 64) - 32; /* many collisions */
    }
}

/* Checks the set against the sorted model and the expected encoding, down
 * to the bytes (little-endian elements of the encoding's width). */
static bool matchesModel(const Intset *is, const int64_t *model, uint32_t n, uint32_t enc) {
    if (intsetLen(is) != n || intsetEncoding(is) != enc) return false;
    if (intsetBlobLen(is) != 8 + (size_t)n * enc) return false;
    const unsigned char *p = (const unsigned char *)is;
    if (p[0] != enc || p[1] || p[2] || p[3]) return false;
    if (p[4] != (n & 0xff) || p[5] != ((n >> 8) & 0xff) || p[6] != ((n >> 16) & 0xff) ||
        p[7] != (n >> 24))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        int64_t v;
        if (!intsetGet(is, i, &v) || v != model[i]) return false;
        uint64_t u = (uint64_t)model[i];
        for (uint32_t b = 0; b < enc; b++)
            if (p[8 + (size_t)i * enc + b] != ((u >> (8 * b)) & 0xff)) return false;
    }
    if (n > 0 && (intsetMin(is) != model[0] || intsetMax(is) != model[n - 1])) return false;
    /* intsetValidate refuses an empty set, as Redis's RDB loader does. */
    return n == 0 ? !intsetValidate(p, intsetBlobLen(is), true)
                  : intsetValidate(p, intsetBlobLen(is), true);
}

static void testModel(void) {
    for (int round = 0; round < 40; round++) {
        Intset *is = intsetNew();
        int64_t *model = malloc(4096 * sizeof(int64_t));
        uint32_t n = 0, enc = INTSET_ENC_INT16;
        bool ok = true;
        int ops = 200 + round * 50;
        for (int op = 0; op < ops && ok; op++) {
            int64_t v = randomValue();
            bool inModel = bsearch(&v, model, n, sizeof(int64_t), cmpI64) != NULL;
            bool flag;
            switch (rnd() % 5) {
                case 0:
                case 1:
                case 2:
                    if (n >= 4000) break;
                    is = intsetAdd(is, v, &flag);
                    ok = ok && flag == !inModel;
                    if (!inModel) {
                        model[n++] = v;
                        qsort(model, n, sizeof(int64_t), cmpI64);
                        if (intsetValueEncoding(v) > enc) enc = intsetValueEncoding(v);
                    }
                    break;
                case 3: {
                    /* remove a present value half the time */
                    if (n > 0 && rnd() % 2) {
                        v = model[rnd() % n];
                        inModel = true;
                    }
                    is = intsetRemove(is, v, &flag);
                    ok = ok && flag == inModel;
                    if (inModel) {
                        int64_t *at = bsearch(&v, model, n, sizeof(int64_t), cmpI64);
                        memmove(at, at + 1, (size_t)(model + n - at - 1) * sizeof(int64_t));
                        n--;
                    }
                    break;
                }
                default:
                    ok = ok && intsetFind(is, v) == inModel;
                    if (n > 0) {
                        int64_t r = intsetRandom(is);
                        ok = ok && bsearch(&r, model, n, sizeof(int64_t), cmpI64) != NULL;
                    }
                    break;
            }
            if (op % 16 == 0) ok = ok && matchesModel(is, model, n, enc);
        }
        ok = ok && matchesModel(is, model, n, enc);
        TEST_CHECK(ok);
        free(model);
        intsetFree(is);
    }
}

/* Ascending inserts (the append fast path) and descending (prepend). */
static void testSequential(void) {
    Intset *is = intsetNew();
    for (int64_t i = 0; i < 70000; i += 7) is = intsetAdd(is, i, NULL);
    for (int64_t i = -1; i > -70000; i -= 5) is = intsetAdd(is, i, NULL);
    TEST_CHECK(intsetEncoding(is) == INTSET_ENC_INT32);
    TEST_CHECK(intsetLen(is) == 10000 + 14000);
    TEST_CHECK(intsetValidate((const unsigned char *)is, intsetBlobLen(is), true));
    TEST_CHECK(intsetFind(is, 69993) && !intsetFind(is, 69994) && intsetFind(is, -69996));
    intsetFree(is);
}

static void testValidate(void) {
    const unsigned char good[] = "\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00";
    TEST_CHECK(intsetValidate(good, 14, true));
    TEST_CHECK(intsetValidate(good, 14, false));
    /* too short for the header, or for the elements, or too long */
    TEST_CHECK(!intsetValidate(good, 0, true));
    TEST_CHECK(!intsetValidate(good, 7, true));
    TEST_CHECK(!intsetValidate(good, 13, false));
    TEST_CHECK(!intsetValidate(good, 15, false));
    /* bad encodings */
    unsigned char bad[32];
    memcpy(bad, good, 14);
    bad[0] = 3;
    TEST_CHECK(!intsetValidate(bad, 14, false));
    bad[0] = 0;
    TEST_CHECK(!intsetValidate(bad, 8, false));
    bad[0] = 16;
    TEST_CHECK(!intsetValidate(bad, 14, false));
    /* empty */
    const unsigned char empty[] = "\x02\x00\x00\x00\x00\x00\x00\x00";
    TEST_CHECK(!intsetValidate(empty, 8, false));
    /* a length whose size overflows 32 bits */
    const unsigned char huge[] = "\x08\x00\x00\x00\xff\xff\xff\xff\x01\x00";
    TEST_CHECK(!intsetValidate(huge, 10, false));
    /* unsorted / duplicates: only a deep check sees them */
    memcpy(bad, good, 14);
    bad[8] = 5; /* 5, 2, 3 */
    TEST_CHECK(intsetValidate(bad, 14, false));
    TEST_CHECK(!intsetValidate(bad, 14, true));
    memcpy(bad, good, 14);
    bad[10] = 1; /* 1, 1, 3 */
    TEST_CHECK(!intsetValidate(bad, 14, true));
    /* a wider encoding than needed is accepted (Redis keeps it after SREM) */
    const unsigned char wide[] = "\x08\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00";
    TEST_CHECK(intsetValidate(wide, 16, true));
    /* negative values sort before positive ones */
    const unsigned char neg[] = "\x04\x00\x00\x00\x02\x00\x00\x00\xfb\xff\xff\xff\x70\x11\x01\x00";
    TEST_CHECK(intsetValidate(neg, 16, true));
    const unsigned char negBad[] =
        "\x04\x00\x00\x00\x02\x00\x00\x00\x70\x11\x01\x00\xfb\xff\xff\xff";
    TEST_CHECK(!intsetValidate(negBad, 16, true));

    /* a validated kvMalloc'd copy works as an Intset */
    unsigned char *copy = kvMalloc(16);
    memcpy(copy, neg, 16);
    Intset *is = (Intset *)copy;
    TEST_CHECK(intsetFind(is, 70000) && intsetFind(is, -5) && intsetLen(is) == 2);
    is = intsetAdd(is, 3, NULL);
    TEST_CHECK(intsetLen(is) == 3);
    intsetFree(is);
}

/* ---- the Set value (t_set.c) ---- */

static bool setElemIs(const SetElem *e, const char *s) {
    char buf[LONG_STR_SIZE];
    size_t len;
    const char *p = setElemBytes(e, buf, &len);
    return len == strlen(s) && memcmp(p, s, len) == 0;
}

static void testSetEncodings(void) {
    config.setMaxIntsetEntries = 512;
    Set s = setNewFor("12", 2);
    TEST_CHECK(s.encoding == OBJ_ENC_INTSET);
    TEST_CHECK(setAdd(&s, "12", 2) && !setAdd(&s, "12", 2));
    TEST_CHECK(setAdd(&s, "-5", 2) && setAdd(&s, "9223372036854775807", 19));
    TEST_CHECK(s.encoding == OBJ_ENC_INTSET && setSize(&s) == 3);
    /* iteration is ascending */
    SetIter it;
    SetElem e;
    const char *want[] = {"-5", "12", "9223372036854775807"};
    int n = 0;
    setIterInit(&it, &s);
    while (setIterNext(&it, &e)) TEST_CHECK(n < 3 && e.isInt && setElemIs(&e, want[n++]));
    setIterRelease(&it);
    TEST_CHECK(n == 3);
    /* not integers under string2ll: no match, no conversion on lookup */
    TEST_CHECK(!setIsMember(&s, "012", 3) && !setIsMember(&s, "+12", 3) &&
               !setIsMember(&s, "12 ", 3));
    TEST_CHECK(s.encoding == OBJ_ENC_INTSET);
    TEST_CHECK(!setRemove(&s, "abc", 3) && s.encoding == OBJ_ENC_INTSET);
    /* a non-integer converts, keeping every member */
    TEST_CHECK(setAdd(&s, "012", 3));
    TEST_CHECK(s.encoding == OBJ_ENC_HASHTABLE && setSize(&s) == 4);
    TEST_CHECK(setIsMember(&s, "12", 2) && setIsMember(&s, "-5", 2) && setIsMember(&s, "012", 3));
    SetElem probe = {true, 9223372036854775807LL, NULL, 0};
    TEST_CHECK(setIsMemberElem(&s, &probe));
    probe.i = 13;
    TEST_CHECK(!setIsMemberElem(&s, &probe));
    /* a copy is equal and independent */
    Set copy = setDup(&s);
    TEST_CHECK(copy.encoding == OBJ_ENC_HASHTABLE && setSize(&copy) == 4);
    TEST_CHECK(setRemove(&copy, "012", 3) && setSize(&copy) == 3 && setSize(&s) == 4);
    TEST_CHECK(setMemoryUsage(&s) > 4 * 16);
    setFree(&copy);
    setFree(&s);
    TEST_CHECK(s.ptr == NULL);

    s = setNewFor("x", 1);
    TEST_CHECK(s.encoding == OBJ_ENC_HASHTABLE);
    TEST_CHECK(setAdd(&s, "", 0) && setIsMember(&s, "", 0) && !setIsMember(&s, "x\0", 2));
    /* a long member (length past one byte) */
    char longMember[1000];
    memset(longMember, 'q', sizeof(longMember));
    TEST_CHECK(setAdd(&s, longMember, sizeof(longMember)) &&
               setIsMember(&s, longMember, sizeof(longMember)) &&
               !setIsMember(&s, longMember, sizeof(longMember) - 1));
    TEST_CHECK(setRemove(&s, longMember, sizeof(longMember)) && setSize(&s) == 1);
    setFree(&s);
}

static void testSetLimit(void) {
    config.setMaxIntsetEntries = 3;
    Set s = setNewIntset();
    TEST_CHECK(setAddInt(&s, 1) && setAddInt(&s, 2) && setAddInt(&s, 3));
    TEST_CHECK(s.encoding == OBJ_ENC_INTSET);
    TEST_CHECK(!setAddInt(&s, 3) && s.encoding == OBJ_ENC_INTSET);
    TEST_CHECK(setAddInt(&s, 4) && s.encoding == OBJ_ENC_HASHTABLE);
    TEST_CHECK(setIsMember(&s, "4", 1) && setSize(&s) == 4);
    setFree(&s);
    /* lowering the limit does not convert until the next insertion */
    config.setMaxIntsetEntries = 512;
    s = setNewIntset();
    for (int i = 0; i < 10; i++) setAddInt(&s, i);
    config.setMaxIntsetEntries = 2;
    TEST_CHECK(s.encoding == OBJ_ENC_INTSET);
    TEST_CHECK(setRemove(&s, "0", 1) && s.encoding == OBJ_ENC_INTSET);
    TEST_CHECK(setAdd(&s, "0", 1) && s.encoding == OBJ_ENC_HASHTABLE);
    setFree(&s);
    config.setMaxIntsetEntries = 0;
    s = setNewFor("1", 1);
    TEST_CHECK(setAdd(&s, "1", 1) && s.encoding == OBJ_ENC_HASHTABLE);
    setFree(&s);
    /* Redis caps the limit at 2^30 */
    config.setMaxIntsetEntries = 1LL << 40;
    TEST_CHECK(setMaxIntsetEntries() == (size_t)1 << 30);
    config.setMaxIntsetEntries = 512;
}

/* Random adds/removes over a small universe against a bitmap model; the
 * encoding must be intset exactly while no non-integer was ever added and
 * no insertion took the size past the limit. */
static void testSetModel(void) {
    static const char *universe[] = {
        "0", "1", "-1", "2",  "100", "-32769", "70000", "5000000000", "-9223372036854775808",
        "a", "b", "01", "-0", " 3",  "",       "m1",    "m2"};
    enum { U = sizeof(universe) / sizeof(universe[0]) };
    for (int round = 0; round < 30; round++) {
        config.setMaxIntsetEntries = (long long)(rnd() % 12);
        bool model[U] = {false};
        size_t size = 0;
        int first = (int)(rnd() % U);
        Set s = setNewFor(universe[first], strlen(universe[first]));
        bool intset = s.encoding == OBJ_ENC_INTSET;
        bool ok = intset == strToLongLong(universe[first], strlen(universe[first]), NULL);
        for (int op = 0; op < 300 && ok; op++) {
            int k = (int)(rnd() % U);
            const char *m = universe[k];
            size_t len = strlen(m);
            bool isInt = strToLongLong(m, len, NULL);
            switch (rnd() % 3) {
                case 0: {
                    bool added = setAdd(&s, m, len);
                    ok = ok && added == !model[k];
                    if (intset && !isInt) intset = false;
                    if (added) {
                        model[k] = true;
                        size++;
                        if (intset && size > setMaxIntsetEntries()) intset = false;
                    }
                    break;
                }
                case 1: {
                    bool removed = setRemove(&s, m, len);
                    ok = ok && removed == model[k];
                    if (removed) {
                        model[k] = false;
                        size--;
                    }
                    break;
                }
                default: ok = ok && setIsMember(&s, m, len) == model[k]; break;
            }
            ok = ok && setSize(&s) == size && (s.encoding == OBJ_ENC_INTSET) == intset;
        }
        TEST_CHECK(ok);
        setFree(&s);
    }
    config.setMaxIntsetEntries = 512;
}

int main(void) {
    TEST_RUN(testRedisBytes);
    TEST_RUN(testBasics);
    TEST_RUN(testValueEncoding);
    TEST_RUN(testUpgrades);
    TEST_RUN(testModel);
    TEST_RUN(testSequential);
    TEST_RUN(testValidate);
    TEST_RUN(testSetEncodings);
    TEST_RUN(testSetLimit);
    TEST_RUN(testSetModel);
    return TEST_REPORT();
}
