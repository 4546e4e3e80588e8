/* test_glob.c — unit tests of common/globmatch: Redis 7.0 stringmatchlen rules.
 *
 * The corner-case expectations were taken from redis-server 7.0.15 (KEYS
 * against a set of one-byte keys); a randomized comparison against KEYS over
 * ~9000 patterns of the bytes ab[]^-\*?A\x80\xff found no difference. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "globmatch.h"
#include "testhelp.h"

static bool m(const char *pattern, const char *str) {
    return globMatchCString(pattern, str, false);
}

static bool mi(const char *pattern, const char *str) {
    return globMatchCString(pattern, str, true);
}

static void testLiteralsAndWildcards(void) {
    TEST_CHECK(m("", ""));
    TEST_CHECK(!m("", "a"));
    TEST_CHECK(!m("a", ""));
    TEST_CHECK(m("abc", "abc"));
    TEST_CHECK(!m("abc", "abd"));
    TEST_CHECK(!m("abc", "abcd"));
    TEST_CHECK(!m("abcd", "abc"));
    /* Redis 7.0: no pattern matches the empty string except the empty
     * pattern, not even "*" (KEYS and SCAN special-case "*" themselves). */
    TEST_CHECK(!m("*", ""));
    TEST_CHECK(m("*", "anything"));
    TEST_CHECK(m("a*", "a"));
    TEST_CHECK(m("a*", "abc"));
    TEST_CHECK(m("a**", "a"));
    TEST_CHECK(m("*c", "abc"));
    TEST_CHECK(!m("*c", "abd"));
    TEST_CHECK(m("a*c", "ac"));
    TEST_CHECK(m("a*c", "abbbc"));
    TEST_CHECK(m("a*b*c", "aXbYc"));
    TEST_CHECK(!m("a*b*c", "aXcYb"));
    TEST_CHECK(m("h?llo", "hello"));
    TEST_CHECK(m("h?llo", "hallo"));
    TEST_CHECK(!m("h?llo", "hllo"));
    TEST_CHECK(!m("?", ""));
    TEST_CHECK(m("??", "ab"));
    TEST_CHECK(m("*?", "a"));
    TEST_CHECK(!m("*?", ""));
    TEST_CHECK(m("user:*:name", "user:1000:name"));
    TEST_CHECK(!m("user:*:name", "user:1000:age"));
    TEST_CHECK(!m("**", "")); /* KEYS ** does not list the key "" */
    TEST_CHECK(m("**", "x"));
    TEST_CHECK(!m("a*", ""));
}

static void testClasses(void) {
    TEST_CHECK(m("h[ae]llo", "hello"));
    TEST_CHECK(m("h[ae]llo", "hallo"));
    TEST_CHECK(!m("h[ae]llo", "hillo"));
    TEST_CHECK(m("h[^e]llo", "hallo"));
    TEST_CHECK(!m("h[^e]llo", "hello"));
    TEST_CHECK(m("h[a-b]llo", "hbllo"));
    TEST_CHECK(!m("h[a-b]llo", "hcllo"));
    TEST_CHECK(m("[c-a]", "b")); /* reversed range */
    TEST_CHECK(m("[c-a]", "a"));
    TEST_CHECK(m("[c-a]", "c"));
    TEST_CHECK(!m("[c-a]", "d"));
    TEST_CHECK(m("[a-c-]", "-"));
    TEST_CHECK(m("[-]", "-"));
    TEST_CHECK(m("[\\]]", "]"));
    TEST_CHECK(m("[\\\\]", "\\"));
    TEST_CHECK(m("[\\", "\\")); /* unterminated, the '\' is literal */
    TEST_CHECK(m("[a\\", "a"));
    TEST_CHECK(m("[a\\", "\\"));
    TEST_CHECK(m("[!a]", "a")); /* '!' is not negation in Redis */
    TEST_CHECK(m("[!a]", "!"));
    TEST_CHECK(!m("[!a]", "b"));
    TEST_CHECK(!m("[]", "]"));
    TEST_CHECK(!m("[]]", "]")); /* empty set, then a literal ']' */
    TEST_CHECK(!m("[]a]", "a"));
    TEST_CHECK(m("[^]", "a")); /* negated empty set: any byte */
    TEST_CHECK(m("[^]", "]"));
    TEST_CHECK(!m("[^]", ""));
    TEST_CHECK(m("[^]]", "a]"));
    /* Unterminated classes take the rest of the pattern. */
    TEST_CHECK(!m("[", "["));
    TEST_CHECK(!m("[", "a"));
    TEST_CHECK(!m("[", ""));
    TEST_CHECK(m("[^", "a"));
    TEST_CHECK(m("[^", "^"));
    TEST_CHECK(!m("[^a", "a"));
    TEST_CHECK(m("[^a", "b"));
    TEST_CHECK(m("[a", "a"));
    TEST_CHECK(m("[ab", "b"));
    TEST_CHECK(!m("[ab", "ab"));
    TEST_CHECK(!m("a[", "a"));
    TEST_CHECK(m("[a-", "-"));
    TEST_CHECK(m("[a-", "a"));
    TEST_CHECK(!m("[a-", "b"));
    /* "[a-]" is the range a..] (']' is 93), unterminated. */
    TEST_CHECK(m("[a-]", "]"));
    TEST_CHECK(m("[a-]", "^"));
    TEST_CHECK(m("[a-]", "_"));
    TEST_CHECK(m("[a-]", "a"));
    TEST_CHECK(!m("[a-]", "b"));
    TEST_CHECK(!m("[a-]", "-"));
    TEST_CHECK(m("[x-]", "c")); /* ]..x */
    TEST_CHECK(!m("[x-]", "y"));
    /* Bytes compare as signed chars: \x80..\xff sort below every ASCII. */
    TEST_CHECK(m("[\x80-\xff]", "\x90"));
    TEST_CHECK(!m("[\x80-\xff]", "a"));
    TEST_CHECK(m("[a-\xff]", "\xff")); /* range -1..'a' */
    TEST_CHECK(m("[a-\xff]", "A"));
    TEST_CHECK(!m("[a-\xff]", "b"));
    TEST_CHECK(!m("[a-\xff]", "\x80"));
}

static void testEscapes(void) {
    TEST_CHECK(m("\\*", "*"));
    TEST_CHECK(!m("\\*", "a"));
    TEST_CHECK(m("\\?", "?"));
    TEST_CHECK(!m("\\?", "x"));
    TEST_CHECK(m("\\[a]", "[a]"));
    TEST_CHECK(m("\\a", "a"));
    TEST_CHECK(m("a\\\\b", "a\\b"));
    TEST_CHECK(m("\\", "\\")); /* a lone trailing '\' is literal */
    TEST_CHECK(!m("a\\", "a"));
    TEST_CHECK(m("a\\", "a\\"));
    TEST_CHECK(m("*\\*", "abc*"));
    TEST_CHECK(!m("*\\*", "abc"));
}

static void testNocase(void) {
    TEST_CHECK(mi("HELLO", "hello"));
    TEST_CHECK(mi("hello", "HeLLo"));
    TEST_CHECK(!m("HELLO", "hello"));
    TEST_CHECK(mi("h*O", "hello"));
    TEST_CHECK(mi("[A-C]x", "bX"));
    TEST_CHECK(mi("[a-c]x", "BX"));
    TEST_CHECK(!m("[a-c]x", "Bx"));
    TEST_CHECK(mi("[abc]", "B"));
    TEST_CHECK(mi("[^abc]", "d"));
    TEST_CHECK(!mi("[^abc]", "B"));
    /* An escaped byte inside a class compares case-sensitively even so. */
    TEST_CHECK(!mi("[\\A]", "a"));
    TEST_CHECK(mi("[\\A]", "A"));
    TEST_CHECK(mi("\\A", "a")); /* outside a class it folds */
    /* Only ASCII folds. */
    TEST_CHECK(!mi("\xc3\x89", "\xc3\xa9"));
    /* Range bounds are swapped before folding: [Z-a] is 'Z'..'a' folded to
     * 'z'..'a', an empty range. */
    TEST_CHECK(m("[Z-a]", "_"));
    TEST_CHECK(!mi("[Z-a]", "_"));
}

static void testBinarySafe(void) {
    TEST_CHECK(globMatch("a\0b", 3, "a\0b", 3, false));
    TEST_CHECK(!globMatch("a\0b", 3, "a\0c", 3, false));
    TEST_CHECK(globMatch("a?b", 3, "a\0b", 3, false));
    TEST_CHECK(globMatch("*\0", 2, "xyz\0", 4, false));
    TEST_CHECK(!globMatch("*\0", 2, "xyz", 3, false));
    /* Lengths, not terminators, bound both sides. */
    TEST_CHECK(globMatch("abcdef", 3, "abcxyz", 3, false));
    TEST_CHECK(globMatch("a*", 2, "a", 1, false));
}

static double secondsSince(struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void testPathologicalPatterns(void) {
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);

    /* "a*a*a*...a*b" against a long run of 'a': exponential without the
     * skip-longer-matches rule. */
    char pattern[200], str[1000];
    size_t plen = 0;
    for (int i = 0; i < 30; i++) {
        pattern[plen++] = 'a';
        pattern[plen++] = '*';
    }
    pattern[plen++] = 'b';
    memset(str, 'a', sizeof(str));
    TEST_CHECK(!globMatch(pattern, plen, str, sizeof(str), false));
    str[sizeof(str) - 1] = 'b';
    TEST_CHECK(globMatch(pattern, plen, str, sizeof(str), false));

    /* The same shape with '?' and classes. */
    const char *hard = "*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?[b]";
    memset(str, 'a', sizeof(str));
    TEST_CHECK(!globMatch(hard, strlen(hard), str, sizeof(str), false));

    TEST_CHECK(secondsSince(&start) < 2.0);
}

/* A pattern of n "*a" pairs against a long run of 'a'. */
static bool starPairsMatch(int n, const char *unit) {
    size_t ulen = strlen(unit);
    char *pattern = malloc((size_t)n * ulen + 1);
    for (int i = 0; i < n; i++) memcpy(pattern + (size_t)i * ulen, unit, ulen);
    char str[1200];
    memset(str, 'a', sizeof(str));
    bool r = globMatch(pattern, (size_t)n * ulen, str, sizeof(str), false);
    free(pattern);
    return r;
}

static void testNestingLimit(void) {
    /* Checked against redis-server 7.0.15: up to 1000 nested stars match,
     * 1001 do not. A trailing star does not recurse, so "a*" x 1001 still
     * nests only 1000 deep. */
    TEST_CHECK(starPairsMatch(999, "*a"));
    TEST_CHECK(starPairsMatch(1000, "*a"));
    TEST_CHECK(!starPairsMatch(1001, "*a"));
    TEST_CHECK(!starPairsMatch(5000, "*a"));
    TEST_CHECK(starPairsMatch(1001, "a*"));
    /* A very long pattern of stars and literals cannot overflow the stack. */
    TEST_CHECK(!starPairsMatch(100000, "*a"));
}

/* Patterns are read only within their length (run under ASan to check). */
static void testNoOverread(void) {
    const char *pats[] = {"[", "[^", "[a", "[a-", "[\\", "\\", "a*", "*", "[a-b", "[^a-"};
    for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
        size_t n = strlen(pats[i]);
        char *exact = malloc(n ? n : 1); /* no terminator */
        memcpy(exact, pats[i], n);
        bool want = globMatchCString(pats[i], "a", false);
        TEST_CHECK(globMatch(exact, n, "a", 1, false) == want);
        want = globMatchCString(pats[i], "", false);
        TEST_CHECK(globMatch(exact, n, "", 0, false) == want);
        free(exact);
    }
}

static void testFuzzRuns(void) {
    srand(1);
    int matches = globMatchFuzzTest(200000);
    TEST_CHECK(matches > 0 && matches < 200000);
}

int main(void) {
    TEST_RUN(testLiteralsAndWildcards);
    TEST_RUN(testClasses);
    TEST_RUN(testEscapes);
    TEST_RUN(testNocase);
    TEST_RUN(testBinarySafe);
    TEST_RUN(testPathologicalPatterns);
    TEST_RUN(testNestingLimit);
    TEST_RUN(testNoOverread);
    TEST_RUN(testFuzzRuns);
    return TEST_REPORT();
}
