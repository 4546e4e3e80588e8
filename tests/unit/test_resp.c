/* test_resp.c — unit tests of common/resp: the request parser (multibulk and
 * inline, fed at every possible fragmentation, limits on untrusted sizes,
 * inline quoting, garbage never crashing) and the reply encoders.
 *
 * Expected results follow Redis 7.0 (processMultibulkBuffer,
 * processInlineBuffer + sdssplitargs); the error strings and the quirks
 * checked here were confirmed against redis-server 7.0.15.
 *
 * The feeder below drives the parser the way client.c does: bytes arrive in
 * chunks appended to a dstr (which may move), each request is parsed from its
 * first byte, and a finished request is consumed from the front. Every
 * request is rendered as one line "[arg][arg]...", an error as "E:<msg>",
 * so that the outcomes of different fragmentations compare as strings. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dstr.h"
#include "numconv.h"
#include "resp.h"
#include "testhelp.h"

#define NO_LIMIT (512LL * 1024 * 1024)

/* ---- the feeder ---- */

static dstr renderArg(dstr out, const char *p, size_t len) {
    out = dstrCatLen(out, "[", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch < 32 || ch > 126 || ch == '[' || ch == ']' || ch == '\\')
            out = dstrCatPrintf(out, "\\x%02x", ch);
        else
            out = dstrCatLen(out, &p[i], 1);
    }
    return dstrCatLen(out, "]", 1);
}

typedef struct FeedOptions {
    long long maxBulkLen;
    bool unauthenticated;
} FeedOptions;

/* Feeds in[0..len) in chunks ending at cuts[0..ncuts) (then the rest) and
 * returns the rendered outcome; a trailing "P<n>" tells how many bytes were
 * left unparsed (an incomplete request). Caller frees the result. */
static dstr feedCuts(const char *in, size_t len, const size_t *cuts, int ncuts,
                     const FeedOptions *opt) {
    RespRequestParser p;
    respRequestInit(&p, opt ? opt->maxBulkLen : NO_LIMIT);
    p.unauthenticated = opt ? opt->unauthenticated : false;
    dstr q = dstrEmpty();
    dstr out = dstrEmpty();
    size_t fed = 0;
    bool failed = false;
    for (int k = 0; k <= ncuts && !failed; k++) {
        size_t end = k < ncuts ? cuts[k] : len;
        if (end < fed) continue;
        q = dstrCatLen(q, in + fed, end - fed);
        fed = end;
        size_t qpos = 0;
        for (;;) {
            size_t consumed = 0;
            int r = respRequestParse(&p, q + qpos, dstrLen(q) - qpos, &consumed);
            if (r == RESP_INCOMPLETE) break;
            if (r == RESP_ERROR) {
                out = dstrCatPrintf(out, "E:%s\n", p.error ? p.error : "(null)");
                failed = true;
                break;
            }
            for (int i = 0; i < p.argc; i++)
                out = renderArg(out, q + qpos + p.args[i].off, p.args[i].len);
            out = dstrCatLen(out, "\n", 1);
            qpos += consumed;
            respRequestReset(&p);
        }
        dstrConsume(q, qpos);
    }
    if (!failed && dstrLen(q)) out = dstrCatPrintf(out, "P%zu\n", dstrLen(q));
    dstrFree(q);
    respRequestFree(&p);
    return out;
}

static dstr feedWhole(const char *in, size_t len, const FeedOptions *opt) {
    return feedCuts(in, len, NULL, 0, opt);
}

/* True if feeding `in` whole, byte by byte, and split in two at every
 * position all give `want`. */
static bool feedAllSplits(const char *in, size_t len, const char *want, const FeedOptions *opt) {
    bool ok = true;
    dstr got = feedWhole(in, len, opt);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  whole: got  %s  want %s", got, want);
        ok = false;
    }
    dstrFree(got);

    size_t *cuts = malloc((len + 1) * sizeof(size_t));
    for (size_t i = 0; i < len; i++) cuts[i] = i + 1;
    got = feedCuts(in, len, cuts, (int)len, opt);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  byte by byte: got  %s  want %s", got, want);
        ok = false;
    }
    dstrFree(got);

    for (size_t k = 1; k < len && ok; k++) {
        cuts[0] = k;
        got = feedCuts(in, len, cuts, 1, opt);
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "  split at %zu: got  %s  want %s", k, got, want);
            ok = false;
        }
        dstrFree(got);
    }
    free(cuts);
    return ok;
}

/* Whole-input outcome equals want. */
static bool parsesTo(const char *in, const char *want) {
    dstr got = feedWhole(in, strlen(in), NULL);
    bool ok = strcmp(got, want) == 0;
    if (!ok) fprintf(stderr, "  input %s: got %s  want %s", in, got, want);
    dstrFree(got);
    return ok;
}

static bool parsesToWith(const char *in, size_t len, const FeedOptions *opt, const char *want) {
    dstr got = feedWhole(in, len, opt);
    bool ok = strcmp(got, want) == 0;
    if (!ok) fprintf(stderr, "  got %.200s  want %s", got, want);
    dstrFree(got);
    return ok;
}

#define ALL_SPLITS(lit, want) feedAllSplits(lit, sizeof(lit) - 1, want, NULL)

/* ---- multibulk ---- */

static void testMultibulkBasic(void) {
    TEST_CHECK(ALL_SPLITS("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$5\r\nhello\r\n", "[SET][a][hello]\n"));
    TEST_CHECK(ALL_SPLITS("*1\r\n$4\r\nPING\r\n", "[PING]\n"));
    /* Empty and binary-safe arguments, \r\n inside a bulk. */
    TEST_CHECK(ALL_SPLITS("*3\r\n$0\r\n\r\n$4\r\na\r\nb\r\n$3\r\n\x00\x01\xff\r\n",
                          "[][a\\x0d\\x0ab][\\x00\\x01\\xff]\n"));
    /* Lower-case command, digits. */
    TEST_CHECK(ALL_SPLITS("*2\r\n$4\r\nincr\r\n$2\r\n10\r\n", "[incr][10]\n"));
}

static void testMultibulkEmpty(void) {
    /* *0 and *-1 are empty requests (nothing to run), as Redis. */
    TEST_CHECK(ALL_SPLITS("*0\r\n", "\n"));
    TEST_CHECK(ALL_SPLITS("*-1\r\n", "\n"));
    TEST_CHECK(ALL_SPLITS("*-100\r\n*1\r\n$1\r\nx\r\n", "\n[x]\n"));
}

static void testMultibulkIncomplete(void) {
    TEST_CHECK(parsesTo("*", "P1\n"));
    TEST_CHECK(parsesTo("*1", "P2\n"));
    TEST_CHECK(parsesTo("*1\r", "P3\n"));
    TEST_CHECK(parsesTo("*1\r\n", "P4\n"));
    TEST_CHECK(parsesTo("*1\r\n$3", "P6\n"));
    TEST_CHECK(parsesTo("*1\r\n$3\r\nab", "P10\n"));
    TEST_CHECK(parsesTo("*1\r\n$3\r\nabc", "P11\n"));
    TEST_CHECK(parsesTo("*1\r\n$3\r\nabc\r", "P12\n"));
    TEST_CHECK(parsesTo("*2\r\n$3\r\nabc\r\n", "P13\n"));
}

/* Redis skips the two bytes after a bulk without looking at them. */
static void testMultibulkTrailerNotChecked(void) {
    TEST_CHECK(ALL_SPLITS("*1\r\n$4\r\nPINGxx*1\r\n$1\r\nz\r\n", "[PING]\n[z]\n"));
}

static void testMultibulkLengthErrors(void) {
    TEST_CHECK(parsesTo("*abc\r\n", "E:Protocol error: invalid multibulk length\n"));
    TEST_CHECK(parsesTo("*\r\n", "E:Protocol error: invalid multibulk length\n"));
    TEST_CHECK(parsesTo("*1x\r\n", "E:Protocol error: invalid multibulk length\n"));
    TEST_CHECK(parsesTo("*+1\r\n", "E:Protocol error: invalid multibulk length\n"));
    TEST_CHECK(parsesTo("*01\r\n", "E:Protocol error: invalid multibulk length\n"));
    TEST_CHECK(parsesTo("* 1\r\n", "E:Protocol error: invalid multibulk length\n"));
    /* Larger than INT_MAX. */
    TEST_CHECK(parsesTo("*2147483648\r\n", "E:Protocol error: invalid multibulk length\n"));
    TEST_CHECK(
        parsesTo("*99999999999999999999\r\n", "E:Protocol error: invalid multibulk length\n"));
    /* kvd's own cap on the announced argument count (RESP_MAX_ARGS); Redis
     * 7.0 accepts up to INT_MAX. */
    char buf[64];
    snprintf(buf, sizeof(buf), "*%d\r\n", RESP_MAX_ARGS + 1);
    TEST_CHECK(parsesTo(buf, "E:Protocol error: invalid multibulk length\n"));
    snprintf(buf, sizeof(buf), "*%d\r\n", RESP_MAX_ARGS);
    TEST_CHECK(parsesTo(buf, "P10\n"));
    /* Whatever the count, nothing is allocated before arguments arrive. */
    RespRequestParser p;
    respRequestInit(&p, NO_LIMIT);
    size_t consumed = 0;
    char req[] = "*1000000\r\n$1\r\na\r\n";
    TEST_CHECK(respRequestParse(&p, req, strlen(req), &consumed) == RESP_INCOMPLETE);
    TEST_CHECK(p.argc == 1 && p.argcap < 1000);
    respRequestFree(&p);
}

static void testBulkLengthErrors(void) {
    TEST_CHECK(parsesTo("*1\r\n$-1\r\n", "E:Protocol error: invalid bulk length\n"));
    TEST_CHECK(parsesTo("*1\r\n$abc\r\n", "E:Protocol error: invalid bulk length\n"));
    TEST_CHECK(parsesTo("*1\r\n$\r\n", "E:Protocol error: invalid bulk length\n"));
    TEST_CHECK(parsesTo("*1\r\n$01\r\n", "E:Protocol error: invalid bulk length\n"));
    TEST_CHECK(parsesTo("*1\r\n$-0\r\n", "E:Protocol error: invalid bulk length\n"));
    TEST_CHECK(
        parsesTo("*1\r\n$99999999999999999999\r\n", "E:Protocol error: invalid bulk length\n"));
    /* The error comes once the header line is complete, before the data. */
    TEST_CHECK(parsesTo("*2\r\n$1\r\na\r\n$x\r\n", "E:Protocol error: invalid bulk length\n"));
    /* Larger than proto-max-bulk-len. */
    FeedOptions small = {10, false};
    const char *ok10 = "*1\r\n$10\r\n0123456789\r\n";
    const char *bad11 = "*1\r\n$11\r\n";
    TEST_CHECK(parsesToWith(ok10, strlen(ok10), &small, "[0123456789]\n"));
    TEST_CHECK(
        parsesToWith(bad11, strlen(bad11), &small, "E:Protocol error: invalid bulk length\n"));
}

static void testExpectedDollar(void) {
    TEST_CHECK(parsesTo("*1\r\nx\r\n", "E:Protocol error: expected '$', got 'x'\n"));
    TEST_CHECK(parsesTo("*2\r\n$1\r\na\r\n:1\r\n", "E:Protocol error: expected '$', got ':'\n"));
    /* Only a complete line is judged. */
    TEST_CHECK(parsesTo("*1\r\nx", "P5\n"));
    /* Every split gives the same error. */
    TEST_CHECK(ALL_SPLITS("*1\r\n$1\r\na\r\n*1\r\n#\r\n",
                          "[a]\nE:Protocol error: expected '$', got '#'\n"));
}

static void testTooBigCountStrings(void) {
    size_t n = RESP_MAX_INLINE + 10;
    char *buf = malloc(n + 8);
    /* "*111…" with no \r */
    buf[0] = '*';
    memset(buf + 1, '1', n - 1);
    TEST_CHECK(parsesToWith(buf, n, NULL, "E:Protocol error: too big mbulk count string\n"));
    /* exactly RESP_MAX_INLINE bytes: still waiting */
    dstr got = feedWhole(buf, RESP_MAX_INLINE, NULL);
    TEST_CHECK(strncmp(got, "P", 1) == 0);
    dstrFree(got);
    /* "*1\r\n$111…" with no \r */
    memcpy(buf, "*1\r\n$", 5);
    memset(buf + 5, '1', n - 5);
    TEST_CHECK(parsesToWith(buf, n, NULL, "E:Protocol error: too big bulk count string\n"));
    free(buf);
}

static void testUnauthenticatedLimits(void) {
    FeedOptions unauth = {NO_LIMIT, true};
    const char *big = "*11\r\n";
    TEST_CHECK(parsesToWith(big, strlen(big), &unauth,
                            "E:Protocol error: unauthenticated multibulk length\n"));
    const char *ten = "*10\r\n";
    TEST_CHECK(parsesToWith(ten, strlen(ten), &unauth, "P5\n"));
    const char *bulk = "*1\r\n$16385\r\n";
    TEST_CHECK(parsesToWith(bulk, strlen(bulk), &unauth,
                            "E:Protocol error: unauthenticated bulk length\n"));
    const char *bulkOk = "*1\r\n$16384\r\n";
    TEST_CHECK(parsesToWith(bulkOk, strlen(bulkOk), &unauth, "P12\n"));
    /* Authenticated: no such limits. */
    TEST_CHECK(parsesTo("*11\r\n", "P5\n"));
    TEST_CHECK(parsesTo("*1\r\n$16385\r\n", "P12\n"));
    /* Invalid beats unauthenticated (checked first, as Redis). */
    const char *bad = "*x\r\n";
    TEST_CHECK(
        parsesToWith(bad, strlen(bad), &unauth, "E:Protocol error: invalid multibulk length\n"));
}

static void testBigArgHint(void) {
    RespRequestParser p;
    respRequestInit(&p, NO_LIMIT);
    size_t consumed = 0;
    /* 40000-byte bulk, 100 bytes of it here: the parser says how many more
     * bytes the argument (with its \r\n) needs. */
    size_t hdr = strlen("*1\r\n$40000\r\n");
    char *buf = malloc(hdr + 40002);
    memcpy(buf, "*1\r\n$40000\r\n", hdr);
    memset(buf + hdr, 'v', 40000);
    memcpy(buf + hdr + 40000, "\r\n", 2);
    TEST_CHECK(respRequestParse(&p, buf, hdr + 100, &consumed) == RESP_INCOMPLETE);
    TEST_CHECK(p.bigArgNeed == 40002 - 100);
    TEST_CHECK(respRequestParse(&p, buf, hdr + 40002, &consumed) == RESP_OK);
    TEST_CHECK(consumed == hdr + 40002);
    TEST_CHECK(p.argc == 1 && p.args[0].off == hdr && p.args[0].len == 40000);
    TEST_CHECK(p.bigArgNeed == 0);
    respRequestReset(&p);
    /* A small bulk gives no hint. */
    char small[] = "*1\r\n$100\r\nabc";
    TEST_CHECK(respRequestParse(&p, small, strlen(small), &consumed) == RESP_INCOMPLETE);
    TEST_CHECK(p.bigArgNeed == 0);
    respRequestFree(&p);
    free(buf);
}

/* ---- inline ---- */

static void testInlineBasic(void) {
    TEST_CHECK(ALL_SPLITS("PING\r\n", "[PING]\n"));
    TEST_CHECK(ALL_SPLITS("set a b\r\n", "[set][a][b]\n"));
    TEST_CHECK(ALL_SPLITS("  set   a\t b  \r\n", "[set][a][b]\n"));
    /* \n alone ends a line too; a lone \r inside the line separates. */
    TEST_CHECK(ALL_SPLITS("PING\nECHO x\r\n", "[PING]\n[ECHO][x]\n"));
    TEST_CHECK(ALL_SPLITS("PING\r\r\n", "[PING]\n"));
    TEST_CHECK(ALL_SPLITS("a\rb\r\n", "[a][b]\n"));
    /* Incomplete without a newline. */
    TEST_CHECK(parsesTo("PING", "P4\n"));
    TEST_CHECK(parsesTo("PING\r", "P5\n"));
}

static void testInlineEmptyLines(void) {
    TEST_CHECK(ALL_SPLITS("\r\n", "\n"));
    TEST_CHECK(ALL_SPLITS("\n", "\n"));
    TEST_CHECK(ALL_SPLITS("   \t \r\n", "\n"));
    TEST_CHECK(ALL_SPLITS("\r\n\r\nPING\r\n", "\n\n[PING]\n"));
}

static void testInlineQuotes(void) {
    TEST_CHECK(ALL_SPLITS("SET \"a b\" 'c d'\r\n", "[SET][a b][c d]\n"));
    TEST_CHECK(ALL_SPLITS("ECHO \"\"\r\n", "[ECHO][]\n"));
    TEST_CHECK(ALL_SPLITS("ECHO ''\r\n", "[ECHO][]\n"));
    /* Escapes inside double quotes. */
    TEST_CHECK(ALL_SPLITS("ECHO \"\\n\\r\\t\\b\\a\\\"\\\\\\q\"\r\n",
                          "[ECHO][\\x0a\\x0d\\x09\\x08\\x07\"\\x5cq]\n"));
    /* Inside single quotes only \' is an escape. */
    TEST_CHECK(ALL_SPLITS("ECHO 'it\\'s \\n'\r\n", "[ECHO][it's \\x5cn]\n"));
    /* A quote in the middle of a word opens a quoted part. */
    TEST_CHECK(ALL_SPLITS("ECHO ab\"c d\"\r\n", "[ECHO][abc d]\n"));
    /* Quoted part followed by another token. */
    TEST_CHECK(ALL_SPLITS("ECHO \"a\" b\r\n", "[ECHO][a][b]\n"));
}

static void testInlineHexEscapes(void) {
    TEST_CHECK(ALL_SPLITS("ECHO \"\\x41\\x62\\x00\\xff\\xFe\"\r\n", "[ECHO][Ab\\x00\\xff\\xfe]\n"));
    /* Not two hex digits: a plain escape of 'x'. */
    TEST_CHECK(ALL_SPLITS("ECHO \"\\xZZ\"\r\n", "[ECHO][xZZ]\n"));
    TEST_CHECK(ALL_SPLITS("ECHO \"\\x4\"\r\n", "[ECHO][x4]\n"));
    /* Outside quotes backslashes are literal. */
    TEST_CHECK(ALL_SPLITS("ECHO \\x41\r\n", "[ECHO][\\x5cx41]\n"));
}

static void testInlineUnbalanced(void) {
    const char *err = "E:Protocol error: unbalanced quotes in request\n";
    TEST_CHECK(parsesTo("ECHO \"abc\r\n", err));
    TEST_CHECK(parsesTo("ECHO 'abc\r\n", err));
    TEST_CHECK(parsesTo("ECHO \"abc\\\"\r\n", err));
    /* A closing quote must be followed by a space or the end. */
    TEST_CHECK(parsesTo("ECHO \"abc\"def\r\n", err));
    TEST_CHECK(parsesTo("ECHO 'abc'def\r\n", err));
    TEST_CHECK(parsesTo("ECHO \"abc\"\"\r\n", err));
    /* Every split of a pipeline gives the same, and stops there. */
    TEST_CHECK(ALL_SPLITS("PING\r\nECHO \"x\r\nPING\r\n",
                          "[PING]\nE:Protocol error: unbalanced quotes in request\n"));
}

/* sdssplitargs ends an unquoted token only at ' ', \n, \r, \t (and NUL);
 * other isspace() bytes (\v, \f) stay inside the token. Confirmed with
 * redis-server 7.0.15: "ECHO a\vb" echoes "a\vb". */
static void testInlineVerticalTabInToken(void) {
    TEST_CHECK(parsesTo("ECHO a\vb\r\n", "[ECHO][a\\x0bb]\n"));
    TEST_CHECK(parsesTo("ECHO a\fb\r\n", "[ECHO][a\\x0cb]\n"));
    /* Leading blanks of any isspace kind are skipped, as Redis. */
    TEST_CHECK(parsesTo("\vECHO\t\fx\r\n", "[ECHO][x]\n"));
}

/* Redis looks for an inline request's '\n' with strchr(): a NUL byte before
 * it hides the line end, so the request never completes (redis-server
 * 7.0.15 leaves "ECHO a\0b\r\nPING\r\n" unanswered) until the inline limit
 * refuses the buffer; and a paused client's inline request, already
 * unescaped in place, is not split a second time. */
static void testInlineNulAndReparse(void) {
    TEST_CHECK(parsesToWith("ECHO a\0b\r\nPING\r\n", 15, NULL, "P15\n"));
    TEST_CHECK(parsesToWith("PING\r\n\0\r\n", 9, NULL, "[PING]\nP3\n"));
    size_t n = RESP_MAX_INLINE + 1;
    char *buf = malloc(n);
    memset(buf, 'a', n);
    buf[0] = '\0';
    buf[1] = '\n';
    TEST_CHECK(parsesToWith(buf, n, NULL, "E:Protocol error: too big inline request\n"));
    free(buf);
    char req[] = "SET k \"a\\x41\"\r\n";
    RespRequestParser p;
    respRequestInit(&p, NO_LIMIT);
    size_t consumed = 0, again = 0;
    TEST_CHECK(respRequestParse(&p, req, strlen(req), &consumed) == RESP_OK && p.argc == 3);
    TEST_CHECK(respRequestParse(&p, req, strlen(req), &again) == RESP_OK && again == consumed);
    TEST_CHECK(p.argc == 3 && p.args[2].len == 2 && memcmp(req + p.args[2].off, "aA", 2) == 0);
    respRequestFree(&p);
}

static void testInlineTooBig(void) {
    size_t n = RESP_MAX_INLINE + 1;
    char *buf = malloc(n + 16);
    memset(buf, 'a', n);
    TEST_CHECK(parsesToWith(buf, n, NULL, "E:Protocol error: too big inline request\n"));
    dstr got = feedWhole(buf, RESP_MAX_INLINE, NULL);
    TEST_CHECK(strcmp(got, "P65536\n") == 0);
    dstrFree(got);
    /* A long line that arrives whole with its newline is fine (Redis only
     * measures the buffer while no newline has arrived). */
    size_t big = 100000;
    char *line = malloc(big + 8);
    memcpy(line, "ECHO ", 5);
    memset(line + 5, 'z', big);
    memcpy(line + 5 + big, "\r\n", 2);
    got = feedWhole(line, big + 7, NULL);
    TEST_CHECK(dstrLen(got) == 6 + 2 + big + 1 && strncmp(got, "[ECHO][zzz", 10) == 0);
    dstrFree(got);
    /* The same line in chunks of 4 KB: once 64 KB are buffered without a
     * newline it is refused. */
    size_t cuts[32];
    int nc = 0;
    for (size_t at = 4096; at < big + 7 && nc < 32; at += 4096) cuts[nc++] = at;
    got = feedCuts(line, big + 7, cuts, nc, NULL);
    TEST_CHECK(strcmp(got, "E:Protocol error: too big inline request\n") == 0);
    dstrFree(got);
    free(line);
    free(buf);
}

/* ---- mixed pipelines at every split ---- */

static void testPipelineAllSplits(void) {
    static const char pipeline[] = "*1\r\n$4\r\nPING\r\n"
                                   "set k \"v 1\"\r\n"
                                   "\r\n"
                                   "*0\r\n"
                                   "*3\r\n$3\r\nSET\r\n$0\r\n\r\n$2\r\n\r\n\r\n"
                                   "ECHO '\\'x' \"\\x00\"\n"
                                   "*-1\r\n"
                                   "*2\r\n$4\r\nECHO\r\n$3\r\n*1\r\r\n";
    static const char want[] = "[PING]\n"
                               "[set][k][v 1]\n"
                               "\n"
                               "\n"
                               "[SET][][\\x0d\\x0a]\n"
                               "[ECHO]['x][\\x00]\n"
                               "\n"
                               "[ECHO][*1\\x0d]\n";
    TEST_CHECK(feedAllSplits(pipeline, sizeof(pipeline) - 1, want, NULL));

    /* Every 3-way split of a shorter pipeline. */
    static const char small[] = "*2\r\n$1\r\na\r\n$2\r\nbc\r\nx \"y\"\r\n*1\r\n$0\r\n\r\n";
    static const char smallWant[] = "[a][bc]\n[x][y]\n[]\n";
    size_t len = sizeof(small) - 1;
    bool ok = true;
    for (size_t i = 1; i < len && ok; i++) {
        for (size_t j = i + 1; j < len && ok; j++) {
            size_t cuts[2] = {i, j};
            dstr got = feedCuts(small, len, cuts, 2, NULL);
            if (strcmp(got, smallWant) != 0) {
                fprintf(stderr, "  3-way split %zu,%zu: %s", i, j, got);
                ok = false;
            }
            dstrFree(got);
        }
    }
    TEST_CHECK(ok);
}

/* ---- random round trips and garbage ---- */

static uint64_t rngState = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void) {
    /* xorshift64*: fixed seed, so failures reproduce. */
    rngState ^= rngState >> 12;
    rngState ^= rngState << 25;
    rngState ^= rngState >> 27;
    return rngState * 2685821657736338717ULL;
}

static size_t rngBelow(size_t n) {
    return (size_t)(rng() % n);
}

/* Random commands encoded as multibulk or (when inline-able) as inline
 * with \xHH escapes; parsed at random fragmentations, the arguments come
 * back byte for byte. */
static void testRandomRoundTrip(void) {
    int failures = 0;
    for (int iter = 0; iter < 3000; iter++) {
        dstr wire = dstrEmpty();
        dstr want = dstrEmpty();
        int ncmds = 1 + (int)rngBelow(6);
        for (int k = 0; k < ncmds; k++) {
            int argc = 1 + (int)rngBelow(5);
            bool inlineForm = rngBelow(3) == 0;
            if (!inlineForm) wire = dstrCatPrintf(wire, "*%d\r\n", argc);
            for (int a = 0; a < argc; a++) {
                char arg[40];
                size_t alen = rngBelow(sizeof(arg));
                if (inlineForm && a == 0 && alen == 0) alen = 1;
                for (size_t i = 0; i < alen; i++) arg[i] = (char)rngBelow(256);
                /* An inline request starting with '*' would be multibulk. */
                if (inlineForm && a == 0 && arg[0] == '*') arg[0] = 'A';
                want = renderArg(want, arg, alen);
                if (inlineForm) {
                    if (a > 0) wire = dstrCatLen(wire, " ", 1);
                    wire = dstrCatLen(wire, "\"", 1);
                    for (size_t i = 0; i < alen; i++)
                        wire = dstrCatPrintf(wire, "\\x%02x", (unsigned char)arg[i]);
                    wire = dstrCatLen(wire, "\"", 1);
                } else {
                    wire = dstrCatPrintf(wire, "$%zu\r\n", alen);
                    wire = dstrCatLen(wire, arg, alen);
                    wire = dstrCatLen(wire, "\r\n", 2);
                }
            }
            if (inlineForm) wire = dstrCatLen(wire, "\r\n", 2);
            want = dstrCatLen(want, "\n", 1);
        }
        size_t len = dstrLen(wire);
        size_t cuts[8];
        int nc = (int)rngBelow(8);
        for (int i = 0; i < nc; i++) cuts[i] = rngBelow(len + 1);
        /* sort the cuts (feedCuts skips any going backwards anyway) */
        for (int i = 1; i < nc; i++)
            for (int j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
                size_t t = cuts[j];
                cuts[j] = cuts[j - 1];
                cuts[j - 1] = t;
            }
        dstr got = feedCuts(wire, len, cuts, nc, NULL);
        if (strcmp(got, want) != 0 && failures++ < 3)
            fprintf(stderr, "  round trip %d: got %.300s\n  want %.300s\n", iter, got, want);
        dstrFree(got);
        dstrFree(wire);
        dstrFree(want);
    }
    TEST_CHECK(failures == 0);
}

/* Bytes biased towards the protocol's own characters. */
static char garbageByte(void) {
    static const char interesting[] = "*$\r\n\"'\\x0123456789-+ :\t\v";
    if (rngBelow(4) == 0) return (char)rngBelow(256);
    return interesting[rngBelow(sizeof(interesting) - 1)];
}

/* Random garbage in random chunks: the parser must never crash, never
 * report offsets outside what it was given, and only ever fail with a
 * "Protocol error: ..." message. */
static void testGarbageNeverCrashes(void) {
    long long violations = 0;
    char buf[96];
    for (int iter = 0; iter < 200000; iter++) {
        size_t len = 1 + rngBelow(sizeof(buf) - 1);
        for (size_t i = 0; i < len; i++) buf[i] = garbageByte();
        if (rngBelow(2)) buf[0] = rngBelow(2) ? '*' : 'S';
        RespRequestParser p;
        respRequestInit(&p, rngBelow(4) == 0 ? 5 : NO_LIMIT);
        p.unauthenticated = rngBelow(8) == 0;
        /* Grow the visible prefix in random steps, as reads would. */
        size_t start = 0, seen = 0;
        while (start < len) {
            seen += 1 + rngBelow(len - seen > 0 ? len - seen : 1);
            if (seen > len) seen = len;
            size_t consumed = 0;
            int r = respRequestParse(&p, buf + start, seen - start, &consumed);
            if (r == RESP_ERROR) {
                if (!p.error || strncmp(p.error, "Protocol error: ", 16) != 0) violations++;
                break;
            }
            if (r == RESP_OK) {
                if (consumed == 0 || consumed > seen - start) violations++;
                for (int i = 0; i < p.argc; i++)
                    if (p.args[i].off + p.args[i].len > consumed) violations++;
                start += consumed;
                respRequestReset(&p);
                continue;
            }
            if (r != RESP_INCOMPLETE) violations++;
            if (seen == len) break;
        }
        respRequestFree(&p);
    }
    TEST_CHECK(violations == 0);
}

/* ---- parser object ---- */

static void testResetKeepsArgsArray(void) {
    RespRequestParser p;
    respRequestInit(&p, NO_LIMIT);
    char req[] = "*9\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng"
                 "\r\n$1\r\nh\r\n$1\r\ni\r\n";
    size_t consumed = 0;
    TEST_CHECK(respRequestParse(&p, req, strlen(req), &consumed) == RESP_OK);
    TEST_CHECK(p.argc == 9 && consumed == strlen(req));
    RespArg *args = p.args;
    int cap = p.argcap;
    respRequestReset(&p);
    TEST_CHECK(p.argc == 0 && p.args == args && p.argcap == cap && p.error == NULL);
    char req2[] = "x y\r\n";
    TEST_CHECK(respRequestParse(&p, req2, strlen(req2), &consumed) == RESP_OK);
    TEST_CHECK(p.argc == 2 && consumed == 5);
    respRequestFree(&p);
    TEST_CHECK(p.args == NULL && p.argcap == 0);
    /* Nothing to parse yet. */
    respRequestInit(&p, NO_LIMIT);
    TEST_CHECK(respRequestParse(&p, req, 0, &consumed) == RESP_INCOMPLETE);
    respRequestFree(&p);
}

/* ---- encoders ---- */

static bool dstrIs(dstr s, const char *want, size_t wantLen) {
    return dstrLen(s) == wantLen && memcmp(s, want, wantLen) == 0;
}
#define DSTR_IS(s, lit) dstrIs(s, lit, sizeof(lit) - 1)

static void testEncoders(void) {
    dstr b = dstrEmpty();
    b = respAddSimple(b, "OK", 2);
    TEST_CHECK(DSTR_IS(b, "+OK\r\n"));
    dstrClear(b);
    b = respAddSimple(b, "", 0);
    TEST_CHECK(DSTR_IS(b, "+\r\n"));
    dstrClear(b);
    b = respAddError(b, "ERR syntax error", 16);
    TEST_CHECK(DSTR_IS(b, "-ERR syntax error\r\n"));
    dstrClear(b);
    b = respAddInteger(b, 0);
    b = respAddInteger(b, -1);
    b = respAddInteger(b, 1234567890123LL);
    b = respAddInteger(b, LLONG_MAX);
    b = respAddInteger(b, LLONG_MIN);
    TEST_CHECK(DSTR_IS(b, ":0\r\n:-1\r\n:1234567890123\r\n:9223372036854775807\r\n"
                          ":-9223372036854775808\r\n"));
    dstrClear(b);
    b = respAddBulk(b, "", 0);
    b = respAddBulk(b, "a\r\n\0b", 5);
    TEST_CHECK(DSTR_IS(b, "$0\r\n\r\n$5\r\na\r\n\0b\r\n"));
    dstrClear(b);
    b = respAddHeader(b, '*', 3);
    b = respAddHeader(b, '*', -1);
    b = respAddHeader(b, '%', 2);
    b = respAddHeader(b, '~', 0);
    b = respAddHeader(b, '>', 4);
    b = respAddHeader(b, '|', 1);
    TEST_CHECK(DSTR_IS(b, "*3\r\n*-1\r\n%2\r\n~0\r\n>4\r\n|1\r\n"));
    dstrClear(b);
    /* Appending keeps what is there, and grows past the initial capacity. */
    b = respAddSimple(b, "PONG", 4);
    char big[5000];
    memset(big, 'q', sizeof(big));
    b = respAddBulk(b, big, sizeof(big));
    TEST_CHECK(dstrLen(b) == 7 + 7 + 5000 + 2 && memcmp(b, "+PONG\r\n$5000\r\n", 14) == 0 &&
               b[dstrLen(b) - 2] == '\r' && b[dstrLen(b) - 1] == '\n' && b[dstrLen(b)] == '\0');
    dstrFree(b);

    char num[32];
    TEST_CHECK(llToStr(num, sizeof(num), 0) == 1 && strcmp(num, "0") == 0);
    TEST_CHECK(llToStr(num, sizeof(num), -42) == 3 && strcmp(num, "-42") == 0);
    TEST_CHECK(llToStr(num, sizeof(num), LLONG_MIN) == 20 &&
               strcmp(num, "-9223372036854775808") == 0);
    TEST_CHECK(llToStr(num, sizeof(num), LLONG_MAX) == 19 &&
               strcmp(num, "9223372036854775807") == 0);
}

/* An encoded request parses back to its arguments. */
static void testEncodeThenParse(void) {
    dstr b = dstrEmpty();
    b = respAddHeader(b, '*', 3);
    b = respAddBulk(b, "SET", 3);
    b = respAddBulk(b, "k", 1);
    b = respAddBulk(b, "\r\n*1\r\n", 6);
    dstr got = feedWhole(b, dstrLen(b), NULL);
    TEST_CHECK(strcmp(got, "[SET][k][\\x0d\\x0a*1\\x0d\\x0a]\n") == 0);
    dstrFree(got);
    dstrFree(b);
}

int main(void) {
    TEST_RUN(testMultibulkBasic);
    TEST_RUN(testMultibulkEmpty);
    TEST_RUN(testMultibulkIncomplete);
    TEST_RUN(testMultibulkTrailerNotChecked);
    TEST_RUN(testMultibulkLengthErrors);
    TEST_RUN(testBulkLengthErrors);
    TEST_RUN(testExpectedDollar);
    TEST_RUN(testTooBigCountStrings);
    TEST_RUN(testUnauthenticatedLimits);
    TEST_RUN(testBigArgHint);
    TEST_RUN(testInlineBasic);
    TEST_RUN(testInlineEmptyLines);
    TEST_RUN(testInlineQuotes);
    TEST_RUN(testInlineHexEscapes);
    TEST_RUN(testInlineUnbalanced);
    TEST_RUN(testInlineVerticalTabInToken);
    TEST_RUN(testInlineNulAndReparse);
    TEST_RUN(testInlineTooBig);
    TEST_RUN(testPipelineAllSplits);
    TEST_RUN(testRandomRoundTrip);
    TEST_RUN(testGarbageNeverCrashes);
    TEST_RUN(testResetKeepsArgsArray);
    TEST_RUN(testEncoders);
    TEST_RUN(testEncodeThenParse);
    return TEST_REPORT();
}
