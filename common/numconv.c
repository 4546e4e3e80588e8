/* numconv.c — string <-> number conversions with Redis 7.0's exact rules
 * (see numconv.h for each function's contract).
 *
 * The integer parsers are hand-written (strtoll would accept spaces, '+' and
 * leading zeros, which Redis refuses). The floating point parsers rely on
 * strtod()/strtold() for the grammar and rounding, as Redis does, and only
 * add Redis's extra refusals around them; since those functions need a NUL
 * terminator, the input is copied into a stack buffer (or, for long inputs,
 * a heap one). */
#include "numconv.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Accumulates the decimal digits s[0..len) into *out. Returns false on a
 * non-digit or on overflow of unsigned long long. Leading-digit rules are
 * the caller's business. */
static bool parseDigits(const char *s, size_t len, unsigned long long *out) {
    unsigned long long v = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9) return false;
        if (v > ULLONG_MAX / 10) return false;
        v *= 10;
        if (v > ULLONG_MAX - d) return false;
        v += d;
    }
    *out = v;
    return true;
}

bool strToLongLong(const char *s, size_t len, long long *out) {
    /* No valid input is longer than "-9223372036854775808" (20 bytes). */
    if (len == 0 || len >= LONG_STR_SIZE) return false;
    if (len == 1 && s[0] == '0') {
        if (out) *out = 0;
        return true;
    }
    bool negative = s[0] == '-';
    const char *digits = s + negative;
    size_t ndigits = len - negative;
    /* The first digit must be 1-9: this refuses "", "-", "-0", "01", "+1". */
    if (ndigits == 0 || digits[0] < '1' || digits[0] > '9') return false;
    unsigned long long v;
    if (!parseDigits(digits, ndigits, &v)) return false;
    if (negative) {
        if (v > (unsigned long long)LLONG_MAX + 1) return false;
        /* -(LLONG_MAX + 1) is computed in unsigned arithmetic, then narrowed. */
        if (out) *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX) return false;
        if (out) *out = (long long)v;
    }
    return true;
}

bool strToLong(const char *s, size_t len, long *out) {
    long long v;
    if (!strToLongLong(s, len, &v)) return false;
    if (v < LONG_MIN || v > LONG_MAX) return false;
    if (out) *out = (long)v;
    return true;
}

/* Copies s[0..len) into a NUL-terminated buffer: `stack` when it fits in
 * stacklen bytes, else a heap block. Returns the buffer; free it with
 * releaseCString(). */
static char *makeCString(const char *s, size_t len, char *stack, size_t stacklen) {
    char *buf = len < stacklen ? stack : malloc(len + 1);
    if (!buf) return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static void releaseCString(char *buf, const char *stack) {
    if (buf != stack) free(buf);
}

bool strToULongLong(const char *s, size_t len, unsigned long long *out) {
    long long ll;
    if (strToLongLong(s, len, &ll)) {
        if (ll < 0) return false;
        if (out) *out = (unsigned long long)ll;
        return true;
    }
    /* Redis falls back to strtoull() on the C string, to reach values above
     * LLONG_MAX; that fallback is what makes it lax (see numconv.h). */
    if (len == 0) return false;
    char stack[64];
    char *buf = makeCString(s, len, stack, sizeof(stack));
    if (!buf) return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    bool ok = errno != EINVAL && errno != ERANGE && (size_t)(end - buf) == len;
    releaseCString(buf, stack);
    if (ok && out) *out = v;
    return ok;
}

int ullDigitCount(unsigned long long v) {
    int n = 1;
    while (v >= 10000) {
        v /= 10000;
        n += 4;
    }
    if (v >= 1000) return n + 3;
    if (v >= 100) return n + 2;
    if (v >= 10) return n + 1;
    return n;
}

/* "00" "01" ... "99": two output characters per division by 100. */
static const char digitPairs[201] = "00010203040506070809"
                                    "10111213141516171819"
                                    "20212223242526272829"
                                    "30313233343536373839"
                                    "40414243444546474849"
                                    "50515253545556575859"
                                    "60616263646566676869"
                                    "70717273747576777879"
                                    "80818283848586878889"
                                    "90919293949596979899";

int ullToStr(char *dst, size_t dstlen, unsigned long long v) {
    int length = ullDigitCount(v);
    if ((size_t)length >= dstlen) {
        if (dstlen > 0) dst[0] = '\0';
        return 0;
    }
    dst[length] = '\0';
    int pos = length - 1; /* next character to fill, right to left */
    while (v >= 100) {
        int i = (int)(v % 100) * 2;
        v /= 100;
        dst[pos] = digitPairs[i + 1];
        dst[pos - 1] = digitPairs[i];
        pos -= 2;
    }
    if (v >= 10) {
        int i = (int)v * 2;
        dst[pos] = digitPairs[i + 1];
        dst[pos - 1] = digitPairs[i];
    } else {
        dst[pos] = (char)('0' + v);
    }
    return length;
}

int llToStr(char *dst, size_t dstlen, long long v) {
    if (v >= 0) return ullToStr(dst, dstlen, (unsigned long long)v);
    /* Negate in unsigned arithmetic so LLONG_MIN does not overflow. */
    unsigned long long magnitude = 0ULL - (unsigned long long)v;
    if (dstlen < 2) {
        if (dstlen > 0) dst[0] = '\0';
        return 0;
    }
    int length = ullToStr(dst + 1, dstlen - 1, magnitude);
    if (length == 0) {
        dst[0] = '\0';
        return 0;
    }
    dst[0] = '-';
    return length + 1;
}

/* The refusals Redis adds around strtod()/strtold(): returns true when the
 * conversion of buf (len bytes) that consumed `consumed` bytes, left `err` in
 * errno and produced a value of class `cls` (fpclassify) must be refused. Overflow shows as ERANGE
 * with an infinite result, underflow to zero as ERANGE with a zero one; an ERANGE with a denormal
 * result is accepted, as in Redis. */
static bool floatParseRefused(const char *buf, size_t len, size_t consumed, int err, int cls) {
    if (len == 0 || isspace((unsigned char)buf[0])) return true;
    if (consumed != len) return true;
    if (err == ERANGE && (cls == FP_INFINITE || cls == FP_ZERO)) return true;
    if (err == EINVAL) return true;
    return cls == FP_NAN;
}

bool strToDouble(const char *s, size_t len, double *out) {
    if (len == 0) return false;
    char stack[128];
    char *buf = makeCString(s, len, stack, sizeof(stack));
    if (!buf) return false;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    bool refused = floatParseRefused(buf, len, (size_t)(end - buf), errno, fpclassify(v));
    releaseCString(buf, stack);
    if (refused) return false;
    if (out) *out = v;
    return true;
}

bool strToLongDouble(const char *s, size_t len, long double *out) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    if (len == 0 || len >= sizeof(buf)) return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long double v = strtold(buf, &end);
    if (floatParseRefused(buf, len, (size_t)(end - buf), errno, fpclassify(v))) return false;
    if (out) *out = v;
    return true;
}

/* Stores "" in buf (when there is room for it) and returns 0: the common
 * failure result of the formatting functions. */
static int formatFailed(char *buf, size_t len) {
    if (len > 0) buf[0] = '\0';
    return 0;
}

int doubleToStr(char *buf, size_t len, double v) {
    int n;
    /* Spelled out rather than left to printf, as Redis does. */
    if (isinf(v))
        n = snprintf(buf, len, "%s", v > 0 ? "inf" : "-inf");
    else
        n = snprintf(buf, len, "%.17g", v);
    if (n < 0 || (size_t)n >= len) return formatFailed(buf, len);
    return n;
}

/* Removes trailing zeros after the decimal point, then the point itself if
 * nothing follows it, and turns "-0" into "0" (ld2string's human mode).
 * Returns the new length; buf stays NUL-terminated. */
static int trimHumanNumber(char *buf, int n) {
    if (memchr(buf, '.', (size_t)n) != NULL) {
        while (n > 0 && buf[n - 1] == '0') n--;
        if (n > 0 && buf[n - 1] == '.') n--;
    }
    if (n == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        n = 1;
    }
    buf[n] = '\0';
    return n;
}

int longDoubleToStr(char *buf, size_t len, long double v, int mode) {
    int n;
    if (isinf(v)) {
        /* Redis 7.0 needs room for "-inf" plus the NUL even for "inf". */
        if (len < 5) return formatFailed(buf, len);
        n = snprintf(buf, len, "%s", v > 0 ? "inf" : "-inf");
        return n;
    }
    switch (mode) {
        case LD_STR_AUTO: n = snprintf(buf, len, "%.17Lg", v); break;
        case LD_STR_HEX: n = snprintf(buf, len, "%La", v); break;
        case LD_STR_HUMAN: n = snprintf(buf, len, "%.17Lf", v); break;
        default: return formatFailed(buf, len);
    }
    if (n < 0 || (size_t)n >= len) return formatFailed(buf, len);
    if (mode == LD_STR_HUMAN) n = trimHumanNumber(buf, n);
    return n;
}
