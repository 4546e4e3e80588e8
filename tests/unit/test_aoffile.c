/* test_aoffile.c — unit tests of common/aoffile: the AOF command reader
 * (whole files, the same bytes cut at every length — which must read as the
 * complete commands before the cut and then end or report truncation, never
 * anything else — garbage, huge claimed sizes, annotations, RDB preamble
 * detection) and the manifest (parse errors in Redis's words, quoting of odd
 * names, format/parse round trip). */
#include "aoffile.h"
#include "mem.h"
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads every item of the len bytes at p; renders commands as
 * "[a][b]…;", annotations as "#…;", and the final status as "EOF",
 * "TRUNC@<ok-offset>" or "BAD@<offset>". */
static dstr readAll(const char *p, size_t len) {
    FILE *fp = tmpfile();
    if (len) fwrite(p, 1, len, fp);
    rewind(fp);
    AofReader r;
    aofReaderInit(&r, fp, 0);
    dstr out = dstrEmpty();
    unsigned long long ok = 0;
    for (int guard = 0; guard < 10000; guard++) {
        AofReadStatus st = aofReaderNext(&r);
        if (st == AOF_READ_OK) {
            for (int i = 0; i < r.argc; i++) {
                out = dstrCat(out, "[");
                out = dstrCatLen(out, r.argv[i], dstrLen(r.argv[i]));
                out = dstrCat(out, "]");
            }
            out = dstrCat(out, ";");
            ok = r.offset;
        } else if (st == AOF_READ_ANNOTATION) {
            out = dstrCatPrintf(out, "#%s;", r.annotation);
            ok = r.offset;
        } else if (st == AOF_READ_EOF) {
            out = dstrCat(out, "EOF");
            break;
        } else if (st == AOF_READ_TRUNCATED) {
            out = dstrCatPrintf(out, "TRUNC@%llu", ok);
            break;
        } else {
            out = dstrCatPrintf(out, "BAD@%llu", (unsigned long long)r.cmdStart);
            break;
        }
    }
    aofReaderFree(&r);
    fclose(fp);
    return out;
}

static bool readsAs(const char *p, size_t len, const char *expect) {
    dstr got = readAll(p, len);
    bool ok = strcmp(got, expect) == 0;
    if (!ok) fprintf(stderr, "  got '%s' expected '%s'\n", got, expect);
    dstrFree(got);
    return ok;
}

static const char sample[] = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                             "#TS:1700000000\r\n"
                             "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nx1\r\n"
                             "*1\r\n$4\r\nPING\r\n";

static void testWholeFile(void) {
    TEST_CHECK(readsAs(sample, sizeof(sample) - 1,
                       "[SELECT][0];#TS:1700000000;[SET][k][v\r\nx1];[PING];EOF"));
    TEST_CHECK(readsAs("", 0, "EOF"));
    /* The timestamp is remembered. */
    FILE *fp = tmpfile();
    fwrite(sample, 1, sizeof(sample) - 1, fp);
    rewind(fp);
    AofReader r;
    aofReaderInit(&r, fp, 0);
    for (int i = 0; i < 10 && aofReaderNext(&r) != AOF_READ_EOF; i++) {
    }
    TEST_CHECK(r.timestamp == 1700000000);
    aofReaderFree(&r);
    fclose(fp);
}

/* Every prefix reads as the commands wholly inside it, then EOF when the
 * cut falls between items, TRUNC otherwise. */
static void testEveryCut(void) {
    size_t n = sizeof(sample) - 1;
    /* boundaries between items */
    size_t b1 = strlen("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
    size_t b2 = b1 + strlen("#TS:1700000000\r\n");
    size_t b3 = b2 + strlen("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nx1\r\n");
    int bad = 0;
    for (size_t cut = 0; cut <= n; cut++) {
        const char *expect;
        char buf[256];
        if (cut == 0)
            expect = "EOF";
        else if (cut < b1)
            expect = "TRUNC@0";
        else if (cut == b1)
            expect = "[SELECT][0];EOF";
        else if (cut < b2) {
            snprintf(buf, sizeof(buf), "[SELECT][0];TRUNC@%zu", b1);
            expect = buf;
        } else if (cut == b2)
            expect = "[SELECT][0];#TS:1700000000;EOF";
        else if (cut < b3) {
            snprintf(buf, sizeof(buf), "[SELECT][0];#TS:1700000000;TRUNC@%zu", b2);
            expect = buf;
        } else if (cut == b3)
            expect = "[SELECT][0];#TS:1700000000;[SET][k][v\r\nx1];EOF";
        else if (cut < n) {
            snprintf(buf, sizeof(buf), "[SELECT][0];#TS:1700000000;[SET][k][v\r\nx1];TRUNC@%zu",
                     b3);
            expect = buf;
        } else
            expect = "[SELECT][0];#TS:1700000000;[SET][k][v\r\nx1];[PING];EOF";
        if (!readsAs(sample, cut, expect)) bad++;
    }
    TEST_CHECK(bad == 0);
}

static void testGarbage(void) {
    TEST_CHECK(readsAs("hello\r\n", 7, "BAD@0"));
    TEST_CHECK(readsAs("*0\r\n", 4, "BAD@0"));
    TEST_CHECK(readsAs("*-1\r\n", 5, "BAD@0"));
    TEST_CHECK(readsAs("*1\r\nPING\r\n", 10, "BAD@0"));
    TEST_CHECK(readsAs("*1\r\n$-5\r\n", 9, "BAD@0"));
    TEST_CHECK(readsAs("*1\r\n$4\r\nPINGxx", 14, "BAD@0"));
    TEST_CHECK(readsAs("*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n", 22, "[PING];BAD@14"));
    /* An absurd length is truncation, found before any allocation. */
    TEST_CHECK(readsAs("*1\r\n$99999999999\r\nab", 21, "TRUNC@0"));
    TEST_CHECK(readsAs("*2147483647\r\n$1\r\na\r\n", 20, "TRUNC@0"));
    /* Lines longer than Redis's 128-byte buffer are not an AOF. */
    char longline[300];
    memset(longline, '9', sizeof(longline));
    longline[0] = '*';
    TEST_CHECK(readsAs(longline, sizeof(longline), "BAD@0"));
    /* Random bytes never crash and always end. */
    srand(42);
    int weird = 0;
    for (int round = 0; round < 2000; round++) {
        char buf[64];
        size_t len = (size_t)(rand() % (int)sizeof(buf));
        for (size_t i = 0; i < len; i++) {
            static const char alphabet[] = "*$#\r\n0123456789abc-";
            buf[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
        }
        dstr got = readAll(buf, len);
        if (!(strstr(got, "EOF") || strstr(got, "TRUNC@") || strstr(got, "BAD@"))) weird++;
        dstrFree(got);
    }
    TEST_CHECK(weird == 0);
}

static void testStartOffset(void) {
    /* After an RDB preamble the reader is told where it starts. */
    FILE *fp = tmpfile();
    fputs("REDIS0010xxxx*1\r\n$4\r\nPING\r\n", fp);
    rewind(fp);
    TEST_CHECK(aofFileHasRdbPreamble(fp));
    TEST_CHECK(ftell(fp) == 0);
    fseek(fp, 13, SEEK_SET);
    AofReader r;
    aofReaderInit(&r, fp, 13);
    TEST_CHECK(aofReaderNext(&r) == AOF_READ_OK);
    TEST_CHECK(r.argc == 1 && strcmp(r.argv[0], "PING") == 0);
    TEST_CHECK(r.offset == 27);
    TEST_CHECK(aofReaderNext(&r) == AOF_READ_EOF);
    aofReaderFree(&r);
    fclose(fp);
    fp = tmpfile();
    fputs("*1\r\n", fp);
    rewind(fp);
    TEST_CHECK(!aofFileHasRdbPreamble(fp));
    fclose(fp);
}

static void testCatCommand(void) {
    const char *argv[3] = {"SET", "k", "a\r\nb"};
    size_t lens[3] = {3, 1, 4};
    dstr out = aofCatCommand(dstrEmpty(), 3, argv, lens);
    TEST_CHECK(strcmp(out, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n") == 0);
    TEST_CHECK(readsAs(out, dstrLen(out), "[SET][k][a\r\nb];EOF"));
    dstrFree(out);
}

static bool manifestError(const char *text, const char *expect) {
    AofManifest m;
    char err[256] = "";
    bool ok = aofManifestParse(&m, text, strlen(text), err, sizeof(err));
    if (ok) aofManifestFree(&m);
    if (ok || strcmp(err, expect) != 0) fprintf(stderr, "  manifest error '%s'\n", err);
    return !ok && strcmp(err, expect) == 0;
}

static void testManifest(void) {
    const char *text = "file appendonly.aof.1.base.rdb seq 1 type b\n"
                       "# a comment\n\n"
                       "file appendonly.aof.1.incr.aof seq 1 type h\n"
                       "file appendonly.aof.2.incr.aof seq 2 type i\n"
                       "file appendonly.aof.3.incr.aof seq 3 type i newkey x\n";
    AofManifest m;
    char err[256];
    TEST_CHECK(aofManifestParse(&m, text, strlen(text), err, sizeof(err)));
    TEST_CHECK(m.base && strcmp(m.base->name, "appendonly.aof.1.base.rdb") == 0);
    TEST_CHECK(m.incrCount == 2 && m.historyCount == 1);
    TEST_CHECK(m.curBaseSeq == 1 && m.curIncrSeq == 3);
    dstr out = aofManifestFormat(&m);
    TEST_CHECK(strcmp(out, "file appendonly.aof.1.base.rdb seq 1 type b\n"
                           "file appendonly.aof.1.incr.aof seq 1 type h\n"
                           "file appendonly.aof.2.incr.aof seq 2 type i\n"
                           "file appendonly.aof.3.incr.aof seq 3 type i\n") == 0);
    dstrFree(out);
    /* Rewrite bookkeeping: a new base, older incr files retired. */
    aofManifestSetBase(&m, "appendonly.aof.2.base.rdb", 2);
    aofManifestRetireIncr(&m, 1);
    TEST_CHECK(m.historyCount == 3 && m.incrCount == 1);
    aofManifestClearHistory(&m);
    out = aofManifestFormat(&m);
    TEST_CHECK(strcmp(out, "file appendonly.aof.2.base.rdb seq 2 type b\n"
                           "file appendonly.aof.3.incr.aof seq 3 type i\n") == 0);
    dstrFree(out);
    aofManifestFree(&m);

    /* Odd names are quoted and read back. */
    aofManifestInit(&m);
    aofManifestSetBase(&m, "my aof\t\"x\".1.base.rdb", 1);
    aofManifestAddIncr(&m, "plain.1.incr.aof", 1);
    out = aofManifestFormat(&m);
    TEST_CHECK(strstr(out, "file \"my aof\\t\\\"x\\\".1.base.rdb\" seq 1 type b\n") == out);
    AofManifest back;
    TEST_CHECK(aofManifestParse(&back, out, dstrLen(out), err, sizeof(err)));
    TEST_CHECK(back.base && strcmp(back.base->name, "my aof\t\"x\".1.base.rdb") == 0);
    TEST_CHECK(back.incrCount == 1 && strcmp(back.incr[0].name, "plain.1.incr.aof") == 0);
    AofManifest copy;
    aofManifestCopy(&copy, &back);
    dstr out2 = aofManifestFormat(&copy);
    TEST_CHECK(strcmp(out, out2) == 0);
    dstrFree(out2);
    aofManifestFree(&copy);
    aofManifestFree(&back);
    dstrFree(out);
    aofManifestFree(&m);

    TEST_CHECK(manifestError("", "Found an empty AOF manifest"));
    TEST_CHECK(manifestError("# only\n", "Found an empty AOF manifest"));
    TEST_CHECK(manifestError("file a seq 1\n", "Invalid AOF manifest file format"));
    TEST_CHECK(manifestError("file a seq x type b\n", "Invalid AOF manifest file format"));
    TEST_CHECK(manifestError("file a seq 1 type z\n", "Unknown AOF file type"));
    TEST_CHECK(manifestError("file d/a seq 1 type b\n", "File can't be a path, just a filename"));
    TEST_CHECK(manifestError("file a seq 1 type b\nfile b seq 2 type b\n",
                             "Found duplicate base file information"));
    TEST_CHECK(manifestError("file a seq 2 type i\nfile b seq 2 type i\n",
                             "Found a non-monotonic sequence number"));
    TEST_CHECK(manifestError("file \"a seq 1 type b\n", "Invalid AOF manifest file format"));
    char big[AOF_MANIFEST_LINE_MAX + 40];
    memset(big, 'x', sizeof(big));
    memcpy(big, "file ", 5);
    big[sizeof(big) - 1] = '\0';
    TEST_CHECK(manifestError(big, "The AOF manifest file contains too long line"));
    /* A name short enough to read but not to write back: 300 raw control
     * bytes quote to 1200 ("\x01" each), over the line limit (found by
     * fuzz_aof). */
    dstr odd = dstrNew("file ");
    for (int i = 0; i < 300; i++) odd = dstrCat(odd, "\x01");
    odd = dstrCat(odd, " seq 1 type b\n");
    TEST_CHECK(dstrLen(odd) <= AOF_MANIFEST_LINE_MAX + 1);
    TEST_CHECK(manifestError(odd, "The AOF manifest file contains too long line"));
    dstrFree(odd);
}

static void testNames(void) {
    dstr a = aofBaseName("appendonly.aof", 3, true), b = aofBaseName("x", 1, false);
    dstr c = aofIncrName("appendonly.aof", 12), d = aofManifestName("appendonly.aof");
    dstr e = aofTempIncrName("appendonly.aof");
    TEST_CHECK(strcmp(a, "appendonly.aof.3.base.rdb") == 0);
    TEST_CHECK(strcmp(b, "x.1.base.aof") == 0);
    TEST_CHECK(strcmp(c, "appendonly.aof.12.incr.aof") == 0);
    TEST_CHECK(strcmp(d, "appendonly.aof.manifest") == 0);
    TEST_CHECK(strcmp(e, "temp-appendonly.aof.incr") == 0);
    dstrFree(a);
    dstrFree(b);
    dstrFree(c);
    dstrFree(d);
    dstrFree(e);
}

int main(void) {
    TEST_RUN(testWholeFile);
    TEST_RUN(testEveryCut);
    TEST_RUN(testGarbage);
    TEST_RUN(testStartOffset);
    TEST_RUN(testCatCommand);
    TEST_RUN(testManifest);
    TEST_RUN(testNames);
    return TEST_REPORT();
}
