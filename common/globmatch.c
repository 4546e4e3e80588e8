/* globmatch.c — glob-style pattern matching with Redis 7.0's stringmatchlen
 * rules (grammar and corner cases in globmatch.h).
 *
 * The matcher walks pattern and string together; a '*' tries the rest of the
 * pattern at every later position of the string, recursively. Two guards
 * bound the work:
 *
 *  - skipLongerMatches: when the rest of the pattern after some '*' fails at
 *    every position of the remaining string, any earlier '*' swallowing more
 *    bytes would only hand that same rest a shorter suffix, which must fail
 *    too; so the whole match is abandoned at once. This turns the classic
 *    exponential "a*a*a*a*...b" case into a polynomial one.
 *  - nesting: each '*' adds a level of recursion; past GLOB_MAX_NESTING the
 *    match fails, so stack use is bounded whatever the pattern length.
 *
 * Redis reads the byte just past the pattern in a few places (its patterns
 * are NUL-terminated sds strings, so that byte is '\0'); this version checks
 * the length instead and behaves as if that byte were '\0'. */
#include "globmatch.h"

#include <stdlib.h>
#include <string.h>

typedef struct GlobState {
    bool nocase;
    bool skipLongerMatches; /* set once a '*' failed everywhere; see above */
} GlobState;

/* Bytes are compared as signed chars, as Redis does on x86 (plain char is
 * signed there); this matters only for ranges with bytes >= 0x80. */
static int byteValue(char c) {
    return (signed char)c;
}

/* ASCII-only case folding: what tolower() does in the C locale. */
static int foldCase(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool bytesEqual(char a, char b, bool nocase) {
    if (!nocase) return a == b;
    return foldCase(byteValue(a)) == foldCase(byteValue(b));
}

/* Matches the byte c against the class that starts at *pp (just after the
 * '[' and an optional '^'), advancing *pp / *plenp to the closing ']' — or,
 * for an unterminated class, to its last byte — so that the caller's usual
 * one-byte step moves past the class. Returns whether c is in the set. */
static bool matchClass(const char **pp, size_t *plenp, char c, bool nocase) {
    const char *p = *pp;
    size_t plen = *plenp;
    bool match = false;
    for (;;) {
        if (plen >= 2 && p[0] == '\\') {
            /* An escaped byte; Redis compares it case-sensitively even with
             * nocase. */
            p++;
            plen--;
            if (p[0] == c) match = true;
        } else if (plen == 0) {
            /* No ']' before the end: step back so the caller's advance lands
             * exactly at the end of the pattern. */
            p--;
            plen++;
            break;
        } else if (p[0] == ']') {
            break;
        } else if (plen >= 3 && p[1] == '-') {
            int start = byteValue(p[0]);
            int end = byteValue(p[2]);
            int value = byteValue(c);
            if (start > end) {
                int tmp = start;
                start = end;
                end = tmp;
            }
            if (nocase) {
                start = foldCase(start);
                end = foldCase(end);
                value = foldCase(value);
            }
            p += 2;
            plen -= 2;
            if (value >= start && value <= end) match = true;
        } else if (bytesEqual(p[0], c, nocase)) {
            match = true;
        }
        p++;
        plen--;
    }
    *pp = p;
    *plenp = plen;
    return match;
}

static bool matchImpl(const char *p, size_t plen, const char *s, size_t slen, GlobState *st,
                      int nesting) {
    if (nesting > GLOB_MAX_NESTING) return false;

    while (plen && slen) {
        switch (p[0]) {
            case '*':
                while (plen >= 2 && p[1] == '*') {
                    p++;
                    plen--;
                }
                if (plen == 1) return true; /* a trailing star takes the rest */
                while (slen) {
                    if (matchImpl(p + 1, plen - 1, s, slen, st, nesting + 1)) return true;
                    if (st->skipLongerMatches) return false;
                    s++;
                    slen--;
                }
                /* The rest of the pattern matched nowhere in this suffix, so
                 * it cannot match in any shorter one either. */
                st->skipLongerMatches = true;
                return false;
            case '?':
                s++;
                slen--;
                break;
            case '[': {
                p++;
                plen--;
                bool negate = plen > 0 && p[0] == '^';
                if (negate) {
                    p++;
                    plen--;
                }
                bool match = matchClass(&p, &plen, s[0], st->nocase);
                if (negate) match = !match;
                if (!match) return false;
                s++;
                slen--;
                break;
            }
            case '\\':
                if (plen >= 2) {
                    p++;
                    plen--;
                }
                /* Compare the escaped (or a lone trailing '\') byte. */
                __attribute__((fallthrough));
            default:
                if (!bytesEqual(p[0], s[0], st->nocase)) return false;
                s++;
                slen--;
                break;
        }
        p++;
        plen--;
        if (slen == 0) {
            /* Only stars may remain for the string's end to match. */
            while (plen && p[0] == '*') {
                p++;
                plen--;
            }
            break;
        }
    }
    return plen == 0 && slen == 0;
}

bool globMatch(const char *pattern, size_t plen, const char *str, size_t slen, bool nocase) {
    GlobState st = {.nocase = nocase, .skipLongerMatches = false};
    return matchImpl(pattern, plen, str, slen, &st, 0);
}

bool globMatchCString(const char *pattern, const char *str, bool nocase) {
    return globMatch(pattern, strlen(pattern), str, strlen(str), nocase);
}

int globMatchFuzzTest(int cycles) {
    char str[32];
    char pat[32];
    int matches = 0;
    while (cycles-- > 0) {
        size_t slen = (size_t)rand() % sizeof(str);
        size_t plen = (size_t)rand() % sizeof(pat);
        for (size_t i = 0; i < slen; i++) str[i] = (char)(rand() % 128);
        for (size_t i = 0; i < plen; i++) pat[i] = (char)(rand() % 128);
        matches += globMatch(pat, plen, str, slen, false);
    }
    return matches;
}
