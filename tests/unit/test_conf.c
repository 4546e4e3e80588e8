/* test_conf.c — unit tests of common/conf: sdssplitargs-compatible argument
 * splitting, memtoull-compatible memory units, and the config loader with
 * includes. Expected error texts and line numbers were checked against
 * redis-server 7.0.15 (`redis-server file.conf --foo bar`). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "mem.h"
#include "testhelp.h"

/* Splits line and checks it gives exactly the n arguments in want. */
static bool splitsTo(const char *line, int n, const char *const *want) {
    int argc = -1;
    size_t *lens = NULL;
    char **argv = confSplitArgsLen(line, &argc, &lens);
    bool ok = argv != NULL && argc == n && argv[argc] == NULL;
    for (int i = 0; ok && i < n; i++)
        ok = lens[i] == strlen(want[i]) && !memcmp(argv[i], want[i], lens[i]);
    if (!ok) fprintf(stderr, "split of [%s] gave argc=%d\n", line, argc);
    confFreeArgs(argv, argc);
    kvFree(lens);
    return ok;
}

static bool refused(const char *line) {
    int argc = -1;
    size_t *lens = (size_t *)1;
    char **argv = confSplitArgsLen(line, &argc, &lens);
    return argv == NULL && argc == 0 && lens == NULL;
}

#define SPLITS(line, ...)                                                                          \
    splitsTo(line, (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),            \
             (const char *[]){__VA_ARGS__})

static void testSplitPlain(void) {
    TEST_CHECK(SPLITS("set foo bar", "set", "foo", "bar"));
    TEST_CHECK(SPLITS("  set   foo\tbar  ", "set", "foo", "bar"));
    TEST_CHECK(SPLITS("a\r\nb", "a", "b"));
    TEST_CHECK(SPLITS("one", "one"));
    /* \v and \f are skipped between words but do not end a word. */
    TEST_CHECK(SPLITS("\v\fa\vb c", "a\vb", "c"));

    int argc = -1;
    char **argv = confSplitArgs("", &argc);
    TEST_CHECK(argv != NULL && argc == 0 && argv[0] == NULL);
    confFreeArgs(argv, argc);
    argv = confSplitArgs(" \t \n ", &argc);
    TEST_CHECK(argv != NULL && argc == 0);
    confFreeArgs(argv, argc);
    confFreeArgs(NULL, 0);
}

static void testSplitDoubleQuotes(void) {
    TEST_CHECK(SPLITS("set \"a b\" c", "set", "a b", "c"));
    TEST_CHECK(SPLITS("\"\"", ""));
    TEST_CHECK(SPLITS("a \"\" b", "a", "", "b"));
    TEST_CHECK(SPLITS("\"\\n\\r\\t\\b\\a\"", "\n\r\t\b\a"));
    TEST_CHECK(SPLITS("\"\\\\ \\\" \\q\"", "\\ \" q"));
    TEST_CHECK(SPLITS("\"a\\x41\\x4a\\x4g\\n\"", "aAJx4g\n")); /* as redis-cli */
    TEST_CHECK(SPLITS("\"\\x4\"", "x4"));
    TEST_CHECK(SPLITS("foo\"bar baz\"", "foobar baz")); /* quote opens mid-word */
    TEST_CHECK(SPLITS("\"a\" b", "a", "b"));
    TEST_CHECK(SPLITS("\"a\"\tb", "a", "b"));
    TEST_CHECK(SPLITS("\"a\"\v", "a")); /* any isspace may follow a quote */
    TEST_CHECK(refused("'it''s'"));
    TEST_CHECK(refused("\"abc\"def"));
    TEST_CHECK(refused("\"abc"));
    TEST_CHECK(refused("\"abc\\"));
    TEST_CHECK(refused("\"abc\\\""));
    TEST_CHECK(refused("a \"b\"\"c\""));
    TEST_CHECK(refused("ok \"unterminated"));

    /* Binary-safe: lengths count embedded NULs. */
    int argc;
    size_t *lens;
    char **argv = confSplitArgsLen("x \"a\\x00b\"", &argc, &lens);
    TEST_CHECK(argv && argc == 2 && lens[1] == 3 && !memcmp(argv[1], "a\0b", 3));
    confFreeArgs(argv, argc);
    kvFree(lens);
}

static void testSplitSingleQuotes(void) {
    TEST_CHECK(SPLITS("'a b'", "a b"));
    TEST_CHECK(SPLITS("'x\\'y\\n'", "x'y\\n")); /* only \' is an escape */
    TEST_CHECK(refused("'\\\\'"));              /* '\\' : the second \ escapes the quote */
    TEST_CHECK(SPLITS("''", ""));
    TEST_CHECK(SPLITS("'\"' \"'\"", "\"", "'"));
    TEST_CHECK(refused("'abc'd"));
    TEST_CHECK(refused("'abc"));
    TEST_CHECK(refused("'abc\\'"));
}

static void testQuoteRoundTrip(void) {
    char *q = confQuote("a b\"\\\n\r\t\a\b\x01\xff", 12);
    TEST_CHECK(!strcmp(q, "\"a b\\\"\\\\\\n\\r\\t\\a\\b\\x01\\xff\""));
    int argc;
    size_t *lens;
    char **argv = confSplitArgsLen(q, &argc, &lens);
    TEST_CHECK(argv && argc == 1 && lens[0] == 12 &&
               !memcmp(argv[0], "a b\"\\\n\r\t\a\b\x01\xff", 12));
    confFreeArgs(argv, argc);
    kvFree(lens);
    kvFree(q);

    /* Every byte value survives quote + split. */
    char all[256];
    for (int i = 0; i < 256; i++) all[i] = (char)i;
    q = confQuote(all, sizeof(all));
    argv = confSplitArgsLen(q, &argc, &lens);
    TEST_CHECK(argv && argc == 1 && lens[0] == 256 && !memcmp(argv[0], all, 256));
    confFreeArgs(argv, argc);
    kvFree(lens);
    kvFree(q);

    q = confQuote("", 0);
    TEST_CHECK(!strcmp(q, "\"\""));
    kvFree(q);
}

static bool memIs(const char *s, unsigned long long want) {
    unsigned long long v = 12345;
    return confParseMemory(s, &v) && v == want;
}

static void testParseMemory(void) {
    TEST_CHECK(memIs("0", 0));
    TEST_CHECK(memIs("100", 100));
    TEST_CHECK(memIs("10b", 10));
    TEST_CHECK(memIs("1B", 1));
    TEST_CHECK(memIs("1k", 1000));
    TEST_CHECK(memIs("1K", 1000));
    TEST_CHECK(memIs("1kb", 1024));
    TEST_CHECK(memIs("1KB", 1024));
    TEST_CHECK(memIs("2m", 2000000));
    TEST_CHECK(memIs("2mb", 2097152));
    TEST_CHECK(memIs("3g", 3000000000ULL));
    TEST_CHECK(memIs("1Gb", 1073741824ULL));
    TEST_CHECK(memIs("1gB", 1073741824ULL));
    TEST_CHECK(memIs("0100", 100));
    TEST_CHECK(memIs("18446744073709551615", ULLONG_MAX));
    /* Redis 7.0 quirks, as seen through CONFIG SET maxmemory. */
    TEST_CHECK(memIs("", 0));
    TEST_CHECK(memIs("kb", 0));
    TEST_CHECK(memIs("99999999999999999999", ULLONG_MAX));
    TEST_CHECK(memIs("18014398509481984kb", 0));    /* 2^64: wraps */
    TEST_CHECK(memIs("18014398509481985kb", 1024)); /* wraps */

    unsigned long long v = 7;
    TEST_CHECK(!confParseMemory("-1", &v));
    TEST_CHECK(!confParseMemory("-1kb", &v));
    TEST_CHECK(!confParseMemory(" 1", &v));
    TEST_CHECK(!confParseMemory("1 ", &v));
    TEST_CHECK(!confParseMemory("+1", &v));
    TEST_CHECK(!confParseMemory("1.5mb", &v));
    TEST_CHECK(!confParseMemory("0x10", &v));
    TEST_CHECK(!confParseMemory("1t", &v));
    TEST_CHECK(!confParseMemory("1tb", &v));
    TEST_CHECK(!confParseMemory("100%", &v));
    TEST_CHECK(!confParseMemory("1kbb", &v));
    TEST_CHECK(!confParseMemory("abc", &v));
    TEST_CHECK(v == 7);
    char many[200];
    memset(many, '1', sizeof(many) - 1);
    many[sizeof(many) - 1] = '\0';
    TEST_CHECK(!confParseMemory(many, &v)); /* 128 digits or more */
    many[127] = '\0';
    TEST_CHECK(confParseMemory(many, &v) && v == ULLONG_MAX);
}

/* ---- the loader ---- */

typedef struct Seen {
    char text[4096]; /* "file:line:arg|arg|...\n" per directive */
    int calls;
    const char *failOn;      /* directive name that the callback refuses */
    const char *failMessage; /* NULL: let the loader say the default */
} Seen;

static int recordLine(void *ctx, int argc, char **argv, const char *file, int lineno, char **err) {
    Seen *seen = ctx;
    seen->calls++;
    if (seen->failOn && !strcmp(argv[0], seen->failOn)) {
        if (seen->failMessage) *err = kvStrdup(seen->failMessage);
        return -1;
    }
    size_t off = strlen(seen->text);
    const char *base = file ? strrchr(file, '/') : NULL;
    off += (size_t)snprintf(seen->text + off, sizeof(seen->text) - off,
                            "%s:%d:", file ? (base ? base + 1 : file) : "-", lineno);
    for (int i = 0; i < argc; i++)
        off += (size_t)snprintf(seen->text + off, sizeof(seen->text) - off, "%s%s", i ? "|" : "",
                                argv[i]);
    snprintf(seen->text + off, sizeof(seen->text) - off, "\n");
    return 0;
}

static char tmpDir[] = "/tmp/kv-test-conf-XXXXXX";

/* Writes text to tmpDir/name; returns the full path (static buffer). */
static const char *writeFile(const char *name, const char *text) {
    static char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", tmpDir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) return NULL;
    fputs(text, fp);
    fclose(fp);
    return path;
}

static void testLoadString(void) {
    Seen seen = {0};
    char *err = (char *)1;
    const char *text = "# a comment\n"
                       "\n"
                       "   PORT 6380  \r\n"
                       "  # indented comment\n"
                       "save \"\"\n"
                       "rename-command CONFIG 'my config'\n"
                       "   \t  \n"
                       "Bind 127.0.0.1 ::1";
    TEST_CHECK(confLoadString(text, recordLine, &seen, &err) == CONF_OK);
    TEST_CHECK(err == NULL);
    TEST_CHECK(!strcmp(seen.text, "-:3:port|6380\n"
                                  "-:5:save|\n"
                                  "-:6:rename-command|CONFIG|my config\n"
                                  "-:8:bind|127.0.0.1|::1\n"));

    /* A line that only holds an empty-after-split argument list is skipped:
     * e.g. a line of a lone \v is trimmed to "\v", which splits to nothing. */
    memset(&seen, 0, sizeof(seen));
    TEST_CHECK(confLoadString("\v\nport 1\n", recordLine, &seen, &err) == CONF_OK);
    TEST_CHECK(!strcmp(seen.text, "-:2:port|1\n"));
    TEST_CHECK(confLoadString("", recordLine, &seen, &err) == CONF_OK);
}

static void testLoadErrors(void) {
    Seen seen = {0};
    char *err = NULL;
    TEST_CHECK(confLoadString("port 1\nsave \"a\n", recordLine, &seen, &err) == CONF_ERR);
    TEST_CHECK(err && !strcmp(err, "Reading the configuration file, at line 2\n"
                                   ">>> 'save \"a'\n"
                                   "Unbalanced quotes in configuration line"));
    TEST_CHECK(seen.calls == 1);
    kvFree(err);

    memset(&seen, 0, sizeof(seen));
    seen.failOn = "bogus";
    TEST_CHECK(confLoadString("port 1\n  bogus  \"a b\"  \nport 2\n", recordLine, &seen, &err) ==
               CONF_ERR);
    TEST_CHECK(err && !strcmp(err, "Reading the configuration file, at line 2\n"
                                   ">>> 'bogus  \"a b\"'\n"
                                   "Bad directive or wrong number of arguments"));
    TEST_CHECK(seen.calls == 2); /* stopped at the bad line */
    kvFree(err);

    memset(&seen, 0, sizeof(seen));
    seen.failOn = "maxmemory";
    seen.failMessage = "argument must be a memory value";
    TEST_CHECK(confLoadString("MaxMemory lots", recordLine, &seen, &err) == CONF_ERR);
    TEST_CHECK(err && !strcmp(err, "Reading the configuration file, at line 1\n"
                                   ">>> 'MaxMemory lots'\n"
                                   "argument must be a memory value"));
    kvFree(err);

    TEST_CHECK(confLoadString("include\n", recordLine, &seen, &err) == CONF_ERR);
    TEST_CHECK(err && strstr(err, ">>> 'include'\nBad directive or wrong number of arguments"));
    kvFree(err);
    TEST_CHECK(confLoadString("include a b\n", recordLine, &seen, &err) == CONF_ERR);
    kvFree(err);
}

static void testLoadFileAndOptions(void) {
    Seen seen = {0};
    char *err = NULL;
    char main[PATH_MAX];
    snprintf(main, sizeof(main), "%s", writeFile("main.conf", "port 7778\nsave \"\"\n"));

    TEST_CHECK(confLoadFile(main, recordLine, &seen, &err) == CONF_OK);
    TEST_CHECK(!strcmp(seen.text, "main.conf:1:port|7778\nmain.conf:2:save|\n"));

    /* Options continue the file's line count after an added newline:
     * redis-server x.conf --foo bar reports line 4. */
    memset(&seen, 0, sizeof(seen));
    seen.failOn = "foo";
    TEST_CHECK(confLoadServerConfig(main, false, "foo \"bar\" ", recordLine, &seen, &err) ==
               CONF_ERR);
    TEST_CHECK(err && !strcmp(err, "Reading the configuration file, at line 4\n"
                                   ">>> 'foo \"bar\"'\n"
                                   "Bad directive or wrong number of arguments"));
    kvFree(err);
    /* With no file (redis-server --foo bar), line 2. */
    TEST_CHECK(confLoadServerConfig(NULL, false, "foo \"bar\" ", recordLine, &seen, &err) ==
               CONF_ERR);
    TEST_CHECK(err && strstr(err, "at line 2\n"));
    kvFree(err);

    memset(&seen, 0, sizeof(seen));
    TEST_CHECK(confLoadServerConfig(main, false, "port 1\nmaxclients 5", recordLine, &seen, &err) ==
               CONF_OK);
    TEST_CHECK(strstr(seen.text, "main.conf:4:port|1\nmain.conf:5:maxclients|5\n") != NULL);

    char missing[PATH_MAX];
    snprintf(missing, sizeof(missing), "%s/nonexistent.conf", tmpDir);
    TEST_CHECK(confLoadFile(missing, recordLine, &seen, &err) == CONF_ERR_OPEN);
    char want[PATH_MAX + 100];
    snprintf(want, sizeof(want),
             "Fatal error, can't open config file '%s': No such file or directory", missing);
    TEST_CHECK(err && !strcmp(err, want));
    kvFree(err);
}

static void testIncludes(void) {
    Seen seen = {0};
    char *err = NULL;
    char path[PATH_MAX], text[PATH_MAX * 2];

    writeFile("inner.conf", "maxclients 10\n\nbogus\n");
    snprintf(text, sizeof(text), "port 1\ninclude %s/inner.conf\nport 2\n", tmpDir);
    snprintf(path, sizeof(path), "%s", writeFile("outer.conf", text));

    /* An error inside an included file names that file's own line. */
    seen.failOn = "bogus";
    TEST_CHECK(confLoadFile(path, recordLine, &seen, &err) == CONF_ERR);
    TEST_CHECK(err && !strcmp(err, "Reading the configuration file, at line 3\n>>> 'bogus'\n"
                                   "Bad directive or wrong number of arguments"));
    TEST_CHECK(!strcmp(seen.text, "outer.conf:1:port|1\ninner.conf:1:maxclients|10\n"));
    kvFree(err);

    writeFile("inner.conf", "maxclients 10\n");
    memset(&seen, 0, sizeof(seen));
    TEST_CHECK(confLoadFile(path, recordLine, &seen, &err) == CONF_OK);
    TEST_CHECK(!strcmp(seen.text, "outer.conf:1:port|1\ninner.conf:1:maxclients|10\n"
                                  "outer.conf:3:port|2\n"));

    /* Relative include paths are relative to the working directory. */
    char cwd[PATH_MAX];
    TEST_CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    TEST_CHECK(chdir(tmpDir) == 0);
    memset(&seen, 0, sizeof(seen));
    TEST_CHECK(confLoadString("INCLUDE inner.conf\n", recordLine, &seen, &err) == CONF_OK);
    TEST_CHECK(!strcmp(seen.text, "inner.conf:1:maxclients|10\n"));
    TEST_CHECK(chdir(cwd) == 0);

    /* A missing include is an open error, as for the main file. */
    TEST_CHECK(confLoadString("include /nonexistent/kv.conf\n", recordLine, &seen, &err) ==
               CONF_ERR_OPEN);
    TEST_CHECK(err && strstr(err, "can't open config file '/nonexistent/kv.conf'"));
    kvFree(err);
}

static void testIncludeGlob(void) {
    Seen seen = {0};
    char *err = NULL;
    char text[PATH_MAX * 2], dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/conf.d", tmpDir);
    TEST_CHECK(mkdir(dir, 0700) == 0);
    writeFile("conf.d/b.conf", "port 2\n");
    writeFile("conf.d/a.conf", "port 1\n");
    writeFile("conf.d/c.txt", "port 3\n");

    /* Matches are read in sorted order and concatenated. */
    snprintf(text, sizeof(text), "include %s/conf.d/*.conf\nmaxclients 1\n", tmpDir);
    TEST_CHECK(confLoadString(text, recordLine, &seen, &err) == CONF_OK);
    char want[PATH_MAX * 2];
    snprintf(want, sizeof(want), "*.conf:1:port|1\n*.conf:2:port|2\n-:2:maxclients|1\n");
    TEST_CHECK(!strcmp(seen.text, want));

    /* A pattern that matches nothing is silently skipped. */
    memset(&seen, 0, sizeof(seen));
    snprintf(text, sizeof(text), "include %s/conf.d/*.none\nmaxclients 1\n", tmpDir);
    TEST_CHECK(confLoadString(text, recordLine, &seen, &err) == CONF_OK);
    TEST_CHECK(!strcmp(seen.text, "-:2:maxclients|1\n"));
}

static void testIncludeLoop(void) {
    Seen seen = {0};
    char *err = NULL;
    char text[PATH_MAX * 2], path[PATH_MAX];

    /* A file that includes itself. */
    snprintf(text, sizeof(text), "port 1\ninclude %s/loop.conf\n", tmpDir);
    snprintf(path, sizeof(path), "%s", writeFile("loop.conf", text));
    TEST_CHECK(confLoadFile(path, recordLine, &seen, &err) == CONF_ERR);
    TEST_CHECK(err && strstr(err, "at line 2\n") && strstr(err, "include loop"));
    TEST_CHECK(seen.calls == CONF_MAX_INCLUDE_DEPTH + 1);
    kvFree(err);

    /* Two files including each other. */
    memset(&seen, 0, sizeof(seen));
    snprintf(text, sizeof(text), "include %s/pong.conf\n", tmpDir);
    writeFile("ping.conf", text);
    snprintf(text, sizeof(text), "include %s/ping.conf\n", tmpDir);
    writeFile("pong.conf", text);
    snprintf(path, sizeof(path), "%s/ping.conf", tmpDir);
    TEST_CHECK(confLoadFile(path, recordLine, &seen, &err) == CONF_ERR);
    TEST_CHECK(err && strstr(err, "include loop"));
    kvFree(err);

    /* A legitimate chain exactly CONF_MAX_INCLUDE_DEPTH deep is fine. */
    for (int i = 0; i < CONF_MAX_INCLUDE_DEPTH; i++) {
        char name[32];
        snprintf(name, sizeof(name), "chain%d.conf", i);
        if (i + 1 < CONF_MAX_INCLUDE_DEPTH)
            snprintf(text, sizeof(text), "include %s/chain%d.conf\n", tmpDir, i + 1);
        else
            snprintf(text, sizeof(text), "port 99\n");
        writeFile(name, text);
    }
    memset(&seen, 0, sizeof(seen));
    snprintf(text, sizeof(text), "include %s/chain0.conf\n", tmpDir);
    TEST_CHECK(confLoadString(text, recordLine, &seen, &err) == CONF_OK);
    TEST_CHECK(!strcmp(seen.text, "chain15.conf:1:port|99\n"));
}

static void removeTree(const char *dir) {
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

int main(void) {
    TEST_RUN(testSplitPlain);
    TEST_RUN(testSplitDoubleQuotes);
    TEST_RUN(testSplitSingleQuotes);
    TEST_RUN(testQuoteRoundTrip);
    TEST_RUN(testParseMemory);
    if (!mkdtemp(tmpDir)) {
        perror("mkdtemp");
        return 1;
    }
    TEST_RUN(testLoadString);
    TEST_RUN(testLoadErrors);
    TEST_RUN(testLoadFileAndOptions);
    TEST_RUN(testIncludes);
    TEST_RUN(testIncludeGlob);
    TEST_RUN(testIncludeLoop);
    removeTree(tmpDir);
    return TEST_REPORT();
}
