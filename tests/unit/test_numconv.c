/* test_numconv.c — unit tests of common/numconv: the string <-> number rules
 * of Redis 7.0 (expected values checked against redis-server 7.0.15 where a
 * command exposes them: INCR, XADD IDs, ZADD/ZSCORE, INCRBYFLOAT). */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numconv.h"
#include "testhelp.h"

/* Parses a C string with strToLongLong. */
static bool ll(const char *s, long long *v) {
    return strToLongLong(s, strlen(s), v);
}

static bool llIs(const char *s, long long want) {
    long long v = 12345;
    return ll(s, &v) && v == want;
}

static void testStrToLongLongAccepts(void) {
    TEST_CHECK(llIs("0", 0));
    TEST_CHECK(llIs("1", 1));
    TEST_CHECK(llIs("-1", -1));
    TEST_CHECK(llIs("99", 99));
    TEST_CHECK(llIs("-99", -99));
    TEST_CHECK(llIs("10", 10));
    TEST_CHECK(llIs("9223372036854775807", LLONG_MAX));
    TEST_CHECK(llIs("-9223372036854775808", LLONG_MIN));
    TEST_CHECK(llIs("-9223372036854775807", -LLONG_MAX));
    TEST_CHECK(strToLongLong("123", 3, NULL)); /* out may be NULL */
    /* Only len bytes are read: "12" out of "123". */
    long long v = 0;
    TEST_CHECK(strToLongLong("123", 2, &v) && v == 12);
}

static void testStrToLongLongRefuses(void) {
    long long v = 777;
    TEST_CHECK(!ll("", &v));
    TEST_CHECK(!ll("-", &v));
    TEST_CHECK(!ll("+1", &v));
    TEST_CHECK(!ll(" 1", &v));
    TEST_CHECK(!ll("1 ", &v));
    TEST_CHECK(!ll("01", &v));
    TEST_CHECK(!ll("00", &v));
    TEST_CHECK(!ll("-0", &v));
    TEST_CHECK(!ll("-01", &v));
    TEST_CHECK(!ll("1a", &v));
    TEST_CHECK(!ll("a1", &v));
    TEST_CHECK(!ll("1.0", &v));
    TEST_CHECK(!ll("1e3", &v));
    TEST_CHECK(!ll("--1", &v));
    TEST_CHECK(!ll("9223372036854775808", &v));
    TEST_CHECK(!ll("-9223372036854775809", &v));
    TEST_CHECK(!ll("18446744073709551615", &v));
    TEST_CHECK(!ll("18446744073709551616", &v));
    TEST_CHECK(!ll("99999999999999999999", &v));  /* 20 digits, overflows u64 */
    TEST_CHECK(!ll("100000000000000000000", &v)); /* 21 chars */
    TEST_CHECK(!ll("-100000000000000000000", &v));
    TEST_CHECK(!strToLongLong("1\0", 2, &v)); /* embedded NUL */
    TEST_CHECK(!strToLongLong("0", 0, &v));
    TEST_CHECK(v == 777); /* untouched on failure */
}

static void testStrToLong(void) {
    long v = 0;
    TEST_CHECK(strToLong("-42", 3, &v) && v == -42);
    TEST_CHECK(strToLong("9223372036854775807", 19, &v) && v == LONG_MAX);
    TEST_CHECK(!strToLong("01", 2, &v));
    TEST_CHECK(!strToLong("9223372036854775808", 19, &v));
}

static bool ullIs(const char *s, unsigned long long want) {
    unsigned long long v = 12345;
    return strToULongLong(s, strlen(s), &v) && v == want;
}

static void testStrToULongLong(void) {
    unsigned long long v = 0;
    TEST_CHECK(ullIs("0", 0));
    TEST_CHECK(ullIs("5", 5));
    TEST_CHECK(ullIs("9223372036854775808", 9223372036854775808ULL));
    TEST_CHECK(ullIs("18446744073709551615", ULLONG_MAX));
    TEST_CHECK(!strToULongLong("18446744073709551616", 20, &v));
    TEST_CHECK(!strToULongLong("-1", 2, &v));
    TEST_CHECK(!strToULongLong("", 0, &v));
    TEST_CHECK(!strToULongLong("5x", 2, &v));
    TEST_CHECK(!strToULongLong("5 ", 2, &v));
    TEST_CHECK(!strToULongLong("5\0", 2, &v));
    /* Redis 7.0 quirks via its strtoull() fallback (XADD accepts these IDs). */
    TEST_CHECK(ullIs(" 5", 5));
    TEST_CHECK(ullIs("+6", 6));
    TEST_CHECK(ullIs("00007", 7));
    TEST_CHECK(ullIs("-0", 0));
    TEST_CHECK(ullIs(" -1", ULLONG_MAX));
}

static bool llFormats(long long v, const char *want) {
    char buf[LONG_STR_SIZE];
    int n = llToStr(buf, sizeof(buf), v);
    return n == (int)strlen(want) && strcmp(buf, want) == 0;
}

static void testLlToStr(void) {
    TEST_CHECK(llFormats(0, "0"));
    TEST_CHECK(llFormats(7, "7"));
    TEST_CHECK(llFormats(-1, "-1"));
    TEST_CHECK(llFormats(10, "10"));
    TEST_CHECK(llFormats(99, "99"));
    TEST_CHECK(llFormats(100, "100"));
    TEST_CHECK(llFormats(-99, "-99"));
    TEST_CHECK(llFormats(12345678, "12345678"));
    TEST_CHECK(llFormats(-2147483648LL, "-2147483648"));
    TEST_CHECK(llFormats(LLONG_MAX, "9223372036854775807"));
    TEST_CHECK(llFormats(LLONG_MIN, "-9223372036854775808"));

    /* Every power of ten and its neighbours round-trips like printf. */
    for (long long p = 1; p > 0 && p <= LLONG_MAX / 10; p *= 10) {
        long long vals[] = {p - 1, p, p + 1, -p, -(p - 1), p * 10 - 1};
        for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
            char want[32];
            snprintf(want, sizeof(want), "%lld", vals[i]);
            TEST_CHECK(llFormats(vals[i], want));
        }
    }

    /* Too small a buffer gives 0 and an empty string. */
    char buf[4];
    TEST_CHECK(llToStr(buf, sizeof(buf), 123) == 3 && !strcmp(buf, "123"));
    TEST_CHECK(llToStr(buf, sizeof(buf), 1234) == 0 && buf[0] == '\0');
    TEST_CHECK(llToStr(buf, sizeof(buf), -123) == 0 && buf[0] == '\0');
    TEST_CHECK(llToStr(buf, 1, 5) == 0 && buf[0] == '\0');
    TEST_CHECK(llToStr(buf, 0, 5) == 0);
    TEST_CHECK(llToStr(buf, 2, -5) == 0);
    TEST_CHECK(llToStr(buf, 3, -5) == 2 && !strcmp(buf, "-5"));
}

static void testUllToStr(void) {
    char buf[LONG_STR_SIZE];
    TEST_CHECK(ullToStr(buf, sizeof(buf), ULLONG_MAX) == 20 &&
               !strcmp(buf, "18446744073709551615"));
    TEST_CHECK(ullToStr(buf, sizeof(buf), 0) == 1 && !strcmp(buf, "0"));
    TEST_CHECK(ullToStr(buf, 20, ULLONG_MAX) == 0);
    TEST_CHECK(ullDigitCount(0) == 1);
    TEST_CHECK(ullDigitCount(9) == 1);
    TEST_CHECK(ullDigitCount(10) == 2);
    TEST_CHECK(ullDigitCount(9999) == 4);
    TEST_CHECK(ullDigitCount(10000) == 5);
    TEST_CHECK(ullDigitCount(99999999) == 8);
    TEST_CHECK(ullDigitCount(100000000) == 9);
    TEST_CHECK(ullDigitCount(ULLONG_MAX) == 20);
}

static bool dIs(const char *s, double want) {
    double v = 12345;
    return strToDouble(s, strlen(s), &v) && v == want;
}

static bool dRefused(const char *s) {
    double v = 12345;
    return !strToDouble(s, strlen(s), &v) && v == 12345;
}

static void testStrToDouble(void) {
    TEST_CHECK(dIs("1.5", 1.5));
    TEST_CHECK(dIs("-2", -2.0));
    TEST_CHECK(dIs("0", 0.0));
    TEST_CHECK(dIs("1e5", 1e5));
    TEST_CHECK(dIs("+3", 3.0)); /* strtod's grammar, unlike the integers */
    TEST_CHECK(dIs("007", 7.0));
    TEST_CHECK(dIs(".5", 0.5));
    TEST_CHECK(dIs("0x10", 16.0)); /* ZADD z 0x10 f works in Redis 7.0 */
    TEST_CHECK(dIs("inf", INFINITY));
    TEST_CHECK(dIs("+inf", INFINITY));
    TEST_CHECK(dIs("-inf", -INFINITY));
    TEST_CHECK(dIs("Infinity", INFINITY));
    TEST_CHECK(dIs("1.7976931348623157e308", DBL_MAX));
    double v = 0;
    TEST_CHECK(strToDouble("-0", 2, &v) && v == 0 && signbit(v));
    /* Denormals come with ERANGE but are accepted. */
    TEST_CHECK(strToDouble("1e-310", 6, &v) && v > 0 && v < DBL_MIN);
    TEST_CHECK(strToDouble("4.9e-324", 8, &v) && v > 0);

    TEST_CHECK(dRefused(""));
    TEST_CHECK(dRefused(" 1"));
    TEST_CHECK(dRefused("\t1"));
    TEST_CHECK(dRefused("1 "));
    TEST_CHECK(dRefused("1x"));
    TEST_CHECK(dRefused("nan"));
    TEST_CHECK(dRefused("-nan"));
    TEST_CHECK(dRefused("NaN(123)"));
    TEST_CHECK(dRefused("1e400"));  /* overflow */
    TEST_CHECK(dRefused("-1e400")); /* overflow */
    TEST_CHECK(dRefused("1e-400")); /* underflow to zero */
    TEST_CHECK(dRefused("abc"));
    TEST_CHECK(dRefused("."));
    TEST_CHECK(!strToDouble("1\0", 2, &v));
    TEST_CHECK(strToDouble("12", 1, &v) && v == 1.0); /* only len bytes */

    /* Long inputs take the heap path. */
    char big[400];
    memset(big, '0', sizeof(big) - 2);
    big[0] = '1';
    big[sizeof(big) - 2] = '\0';
    TEST_CHECK(!strToDouble(big, strlen(big), &v)); /* 1e397: overflow */
    big[1] = '.';
    TEST_CHECK(strToDouble(big, strlen(big), &v) && v == 1.0);
}

static bool ldIs(const char *s, long double want) {
    long double v = 12345;
    return strToLongDouble(s, strlen(s), &v) && v == want;
}

static bool ldRefused(const char *s) {
    long double v = 12345;
    return !strToLongDouble(s, strlen(s), &v) && v == 12345;
}

static void testStrToLongDouble(void) {
    TEST_CHECK(ldIs("10.5", 10.5L));
    TEST_CHECK(ldIs("-5.0e3", -5000.0L));
    TEST_CHECK(ldIs("0x1p3", 8.0L));
    TEST_CHECK(ldIs("inf", (long double)INFINITY));
    TEST_CHECK(ldIs("1e4000", 1e4000L)); /* fine for long double */
    long double v;
    TEST_CHECK(strToLongDouble("1e-4950", 7, &v) && v > 0); /* denormal */

    TEST_CHECK(ldRefused(""));
    TEST_CHECK(ldRefused(" 1"));
    TEST_CHECK(ldRefused("1 "));
    TEST_CHECK(ldRefused("nan"));
    TEST_CHECK(ldRefused("1e5000"));  /* overflow */
    TEST_CHECK(ldRefused("1e-4960")); /* underflow to zero */
    TEST_CHECK(!strToLongDouble("1\0", 2, &v));

    /* The length limit: MAX_LONG_DOUBLE_CHARS bytes or more are refused. */
    static char big[MAX_LONG_DOUBLE_CHARS + 1];
    memset(big, '0', sizeof(big));
    big[0] = '1';
    big[1] = '.';
    TEST_CHECK(strToLongDouble(big, MAX_LONG_DOUBLE_CHARS - 1, &v) && v == 1.0L);
    TEST_CHECK(!strToLongDouble(big, MAX_LONG_DOUBLE_CHARS, &v));
}

static bool dFormats(double d, const char *want) {
    char buf[DOUBLE_STR_SIZE];
    int n = doubleToStr(buf, sizeof(buf), d);
    if (n != (int)strlen(want) || strcmp(buf, want) != 0) {
        fprintf(stderr, "doubleToStr gave '%s', want '%s'\n", buf, want);
        return false;
    }
    return true;
}

static void testDoubleToStr(void) {
    /* What ZSCORE returns from redis-server 7.0.15 (skiplist encoding). */
    TEST_CHECK(dFormats(1.1, "1.1000000000000001"));
    TEST_CHECK(dFormats(0.1, "0.10000000000000001"));
    TEST_CHECK(dFormats(3, "3"));
    TEST_CHECK(dFormats(16, "16"));
    TEST_CHECK(dFormats(-0.0, "-0"));
    TEST_CHECK(dFormats(0.0, "0"));
    TEST_CHECK(dFormats(1e20, "1e+20"));
    TEST_CHECK(dFormats(123456789012345678.0, "1.2345678901234568e+17"));
    TEST_CHECK(dFormats(1e-310, "9.9999999999999694e-311"));
    TEST_CHECK(dFormats(4.9406564584124654e-324, "4.9406564584124654e-324"));
    TEST_CHECK(dFormats(DBL_MAX, "1.7976931348623157e+308"));
    TEST_CHECK(dFormats(INFINITY, "inf"));
    TEST_CHECK(dFormats(-INFINITY, "-inf"));
    TEST_CHECK(dFormats(2.5, "2.5"));
    char buf[4];
    TEST_CHECK(doubleToStr(buf, sizeof(buf), 1.5) == 3 && !strcmp(buf, "1.5"));
    TEST_CHECK(doubleToStr(buf, sizeof(buf), 1.25) == 0 && buf[0] == '\0');
    TEST_CHECK(doubleToStr(buf, sizeof(buf), -INFINITY) == 0 && buf[0] == '\0');
}

static bool ldFormats(long double v, int mode, const char *want) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    int n = longDoubleToStr(buf, sizeof(buf), v, mode);
    if (n != (int)strlen(want) || strcmp(buf, want) != 0) {
        fprintf(stderr, "longDoubleToStr gave '%s', want '%s'\n", buf, want);
        return false;
    }
    return true;
}

/* INCRBYFLOAT's arithmetic and reply formatting. */
static bool incrByFloatGives(const char *start, const char *incr, const char *want) {
    long double a, b;
    if (!strToLongDouble(start, strlen(start), &a)) return false;
    if (!strToLongDouble(incr, strlen(incr), &b)) return false;
    return ldFormats(a + b, LD_STR_HUMAN, want);
}

static void testLongDoubleToStr(void) {
    /* Replies of redis-server 7.0.15 to INCRBYFLOAT. */
    TEST_CHECK(incrByFloatGives("10.5", "0.1", "10.6"));
    TEST_CHECK(incrByFloatGives("10.6", "-5.0e3", "-4989.39999999999999991"));
    TEST_CHECK(incrByFloatGives("0", "-0", "0"));
    TEST_CHECK(incrByFloatGives("0", "1.1", "1.1"));
    TEST_CHECK(incrByFloatGives("0", "5e30", "4999999999999999999917321879552"));
    TEST_CHECK(incrByFloatGives("0", "-0.0000000000000000001", "0"));
    TEST_CHECK(incrByFloatGives("0", "-0.00000000000000001", "-0.00000000000000001"));
    TEST_CHECK(incrByFloatGives("1e-4950", "0", "0"));

    TEST_CHECK(ldFormats(3.0L, LD_STR_HUMAN, "3"));
    TEST_CHECK(ldFormats(-3.5L, LD_STR_HUMAN, "-3.5"));
    TEST_CHECK(ldFormats(100.0L, LD_STR_HUMAN, "100")); /* zeros before '.' stay */
    TEST_CHECK(ldFormats(-0.0L, LD_STR_HUMAN, "0"));
    TEST_CHECK(ldFormats(1.5L, LD_STR_AUTO, "1.5"));
    TEST_CHECK(ldFormats(0.1L, LD_STR_AUTO, "0.1"));
    TEST_CHECK(ldFormats(1.0L / 3, LD_STR_AUTO, "0.33333333333333333"));
    TEST_CHECK(ldFormats(1e30L, LD_STR_AUTO, "1e+30"));
    TEST_CHECK(ldFormats(8.0L, LD_STR_HEX, "0x8p+0"));
    TEST_CHECK(ldFormats(-0.0L, LD_STR_AUTO, "-0"));
    /* Redis 7.0 prints infinities in every mode, HUMAN included. */
    TEST_CHECK(ldFormats((long double)INFINITY, LD_STR_HUMAN, "inf"));
    TEST_CHECK(ldFormats(-(long double)INFINITY, LD_STR_AUTO, "-inf"));
    TEST_CHECK(ldFormats(-(long double)INFINITY, LD_STR_HEX, "-inf"));

    /* The largest long double fits in MAX_LONG_DOUBLE_CHARS in %Lf. */
    char big[MAX_LONG_DOUBLE_CHARS];
    int n = longDoubleToStr(big, sizeof(big), LDBL_MAX, LD_STR_HUMAN);
    TEST_CHECK(n > 4900 && n < MAX_LONG_DOUBLE_CHARS && big[n] == '\0');
    TEST_CHECK(longDoubleToStr(big, sizeof(big), -LDBL_MAX, LD_STR_HUMAN) == n + 1);

    /* Failures: small buffers and bad modes give 0 and "". */
    char buf[5];
    TEST_CHECK(longDoubleToStr(buf, sizeof(buf), 1234.0L, LD_STR_AUTO) == 4);
    TEST_CHECK(longDoubleToStr(buf, sizeof(buf), 12345.0L, LD_STR_AUTO) == 0 && !buf[0]);
    TEST_CHECK(longDoubleToStr(buf, 4, (long double)INFINITY, LD_STR_AUTO) == 0 && !buf[0]);
    TEST_CHECK(longDoubleToStr(buf, 5, (long double)INFINITY, LD_STR_AUTO) == 3);
    TEST_CHECK(longDoubleToStr(buf, sizeof(buf), 1.0L, 99) == 0 && !buf[0]);
    /* HUMAN mode checks the untrimmed length, like Redis: "1.00000000000000000". */
    char mid[19];
    TEST_CHECK(longDoubleToStr(mid, sizeof(mid), 1.0L, LD_STR_HUMAN) == 0);
    char fits[20];
    TEST_CHECK(longDoubleToStr(fits, sizeof(fits), 1.0L, LD_STR_HUMAN) == 1 && !strcmp(fits, "1"));
}

/* Round trips over a spread of values: parse(format(x)) == x. */
static void testRoundTrips(void) {
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    bool llOk = true, dOk = true;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        long long v = (long long)(x >> (i % 64));
        if (i & 1) v = -v;
        char buf[LONG_STR_SIZE];
        int n = llToStr(buf, sizeof(buf), v);
        long long back;
        char want[32];
        snprintf(want, sizeof(want), "%lld", v);
        if (n <= 0 || strcmp(buf, want) || !strToLongLong(buf, (size_t)n, &back) || back != v)
            llOk = false;

        double d;
        memcpy(&d, &x, sizeof(d));
        if (isnan(d)) continue;
        char dbuf[DOUBLE_STR_SIZE];
        n = doubleToStr(dbuf, sizeof(dbuf), d);
        double dback;
        /* %.17g is enough digits to round-trip any double, subnormals and
         * infinities included. */
        if (n <= 0 || !strToDouble(dbuf, (size_t)n, &dback) || dback != d) dOk = false;
    }
    TEST_CHECK(llOk);
    TEST_CHECK(dOk);
}

int main(void) {
    TEST_RUN(testStrToLongLongAccepts);
    TEST_RUN(testStrToLongLongRefuses);
    TEST_RUN(testStrToLong);
    TEST_RUN(testStrToULongLong);
    TEST_RUN(testLlToStr);
    TEST_RUN(testUllToStr);
    TEST_RUN(testStrToDouble);
    TEST_RUN(testStrToLongDouble);
    TEST_RUN(testDoubleToStr);
    TEST_RUN(testLongDoubleToStr);
    TEST_RUN(testRoundTrips);
    return TEST_REPORT();
}
