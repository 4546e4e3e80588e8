/* testhelp.h — the tiny assertion harness every unit test binary uses.
 *
 * A test file defines functions `static void testFoo(void)` and calls them
 * from main() through TEST_RUN(testFoo); checks use TEST_CHECK(cond) (counted
 * as one passed or failed assertion, with file:line on failure).
 * TEST_REPORT() prints the closing line `N passed, N failed` and returns the
 * exit status for main(). */
#ifndef KV_TESTHELP_H
#define KV_TESTHELP_H

#include <stdio.h>

static int testPassed = 0;
static int testFailed = 0;
static const char *testCurrent = "";

#define TEST_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            testPassed++;                                                                          \
        } else {                                                                                   \
            testFailed++;                                                                          \
            fprintf(stderr, "FAIL %s:%d in %s: %s\n", __FILE__, __LINE__, testCurrent, #cond);     \
        }                                                                                          \
    } while (0)

#define TEST_RUN(fn)                                                                               \
    do {                                                                                           \
        testCurrent = #fn;                                                                         \
        fn();                                                                                      \
    } while (0)

#define TEST_REPORT()                                                                              \
    (printf("%s: %d passed, %d failed\n", __FILE__, testPassed, testFailed), testFailed ? 1 : 0)

#endif
