/* fuzz_conf.c — libFuzzer target for the redis.conf syntax (common/conf.c).
 *
 * Each input is the text of a config file. Per line: confSplitArgs and
 * confSplitArgsLen must agree (same count; a refused line is refused by
 * both); every argument survives the quoting round trip (splitting
 * confQuote(arg) gives back exactly arg, one argument, and the quoted
 * arguments of a line joined by spaces split back into the same vector);
 * confParseMemory runs on every argument and, for plain digits, gives
 * strtoull's value. Then the whole text goes through confLoadString with a
 * recording callback: directive names arrive lowercased with a NULL after the
 * last argument, the directive "fail" stops the load (with a reason when it
 * has an argument), and an error always carries its message.
 *
 * `include` reads files: the loader runs with a private temp directory as
 * its working directory, holding a.conf, b.conf and loop.conf (which
 * includes itself, so the depth limit is hit), and a text with an include of
 * any other kind of name (a '/' in it) is not loaded, so no input reaches
 * outside that directory. The directory is removed at exit.
 *
 * Only the common/ layer is fuzzed: kvd's directive loader (kvd/config.c,
 * configLoadOrExit) prints the error and exit()s on a bad directive, as
 * Redis does, which a fuzzer cannot survive; its per-directive parsing is
 * reachable through CONFIG SET instead.
 *
 * Build and run: `make fuzz`.
 */
#include "conf.h"
#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void writeFile(const char *name, const char *text) {
    FILE *f = fopen(name, "w");
    if (!f) abort();
    fputs(text, f);
    fclose(f);
}

static char workDir[] = "/tmp/fuzz_conf.XXXXXX";

static void removeWorkDir(void) {
    static const char *const names[] = {"a.conf", "b.conf", "loop.conf"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[64];
        snprintf(path, sizeof(path), "%s/%s", workDir, names[i]);
        unlink(path);
    }
    rmdir(workDir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (!mkdtemp(workDir)) abort();
    atexit(removeWorkDir);
    int home = open(".", O_RDONLY | O_DIRECTORY);
    if (home < 0 || chdir(workDir) != 0) abort();
    writeFile("a.conf", "port 7\ninclude b.conf\n");
    writeFile("b.conf", "# from b\nsave \"\"\nfail\n");
    writeFile("loop.conf", "x 1\ninclude loop.conf\n");
    if (fchdir(home) != 0) abort();
    close(home);
    return 0;
}

static void checkMemory(const char *s) {
    unsigned long long v;
    bool ok = confParseMemory(s, &v);
    size_t n = strlen(s);
    if (n > 0 && n < 20 && strspn(s, "0123456789") == n) {
        if (!ok || v != strtoull(s, NULL, 10)) abort();
    }
}

/* One line: the splitter's invariants. Returns false for a line the loader
 * must not see (an include of a name with a '/'). */
static bool checkLine(const char *line) {
    int argc = 0, argc2 = 0;
    size_t *lens = NULL;
    char **argv = confSplitArgsLen(line, &argc, &lens);
    char **argv2 = confSplitArgs(line, &argc2);
    if (!argv != !argv2 || argc != argc2) abort();
    confFreeArgs(argv2, argc2);
    if (!argv) {
        if (argc != 0 || lens) abort();
        return true;
    }
    if (argv[argc] != NULL) abort();
    bool safe = true;
    char *joined = kvStrdup("");
    size_t joinedLen = 0;
    for (int i = 0; i < argc; i++) {
        checkMemory(argv[i]);
        char *q = confQuote(argv[i], lens[i]);
        int qc = 0;
        size_t *qlens = NULL;
        char **qv = confSplitArgsLen(q, &qc, &qlens);
        if (!qv || qc != 1 || qlens[0] != lens[i] || memcmp(qv[0], argv[i], lens[i]) != 0) abort();
        confFreeArgs(qv, qc);
        kvFree(qlens);
        size_t ql = strlen(q);
        joined = kvRealloc(joined, joinedLen + ql + 2);
        if (i) joined[joinedLen++] = ' ';
        memcpy(joined + joinedLen, q, ql + 1);
        joinedLen += ql;
        kvFree(q);
    }
    int jc = 0;
    size_t *jlens = NULL;
    char **jv = confSplitArgsLen(joined, &jc, &jlens);
    if (!jv || jc != argc) abort();
    for (int i = 0; i < argc; i++)
        if (jlens[i] != lens[i] || memcmp(jv[i], argv[i], lens[i]) != 0) abort();
    confFreeArgs(jv, jc);
    kvFree(jlens);
    kvFree(joined);
    if (argc >= 1 && strcasecmp(argv[0], "include") == 0) {
        for (int i = 1; i < argc; i++)
            if (strchr(argv[i], '/') || lens[i] != strlen(argv[i])) safe = false;
    }
    confFreeArgs(argv, argc);
    kvFree(lens);
    return safe;
}

typedef struct Seen {
    int lines;
} Seen;

static int recordLine(void *ctx, int argc, char **argv, const char *file, int lineno, char **err) {
    (void)file;
    Seen *seen = ctx;
    if (argc < 1 || argv[argc] != NULL || lineno < 1) abort();
    for (const char *c = argv[0]; *c; c++)
        if (tolower((unsigned char)*c) != (unsigned char)*c) abort();
    if (!strcmp(argv[0], "include")) abort(); /* the loader's own */
    seen->lines++;
    if (!strcmp(argv[0], "fail")) {
        if (argc > 1) *err = kvStrdup(argv[1]);
        return -1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = kvMalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    checkMemory(text);

    /* Lines as the loader cuts them: at '\n', up to the first NUL. */
    bool safe = true;
    char *copy = kvStrdup(text);
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        /* Trimmed as the loader does, so an include is seen as it sees it. */
        size_t n = strlen(line);
        while (n && strchr(" \t\r\n", line[n - 1])) line[--n] = '\0';
        if (!checkLine(line + strspn(line, " \t\r\n"))) safe = false;
    }
    kvFree(copy);

    if (safe) {
        /* Relative includes resolve in the work directory; libFuzzer's own
         * paths (corpus, artifacts) are relative to where it started. */
        int home = open(".", O_RDONLY | O_DIRECTORY);
        if (home < 0 || chdir(workDir) != 0) abort();
        Seen seen = {0};
        char *err = NULL;
        int rc = confLoadString(text, recordLine, &seen, &err);
        if (fchdir(home) != 0) abort();
        close(home);
        if (rc == CONF_OK && err) abort();
        if (rc != CONF_OK && (!err || !err[0])) abort();
        if (rc != CONF_OK && rc != CONF_ERR && rc != CONF_ERR_OPEN) abort();
        kvFree(err);
    }
    kvFree(text);
    return 0;
}
