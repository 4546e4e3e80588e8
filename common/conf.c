/* conf.c — the redis.conf file syntax: argument splitting (Redis's
 * sdssplitargs), memory units (memtoull), quoting (sdscatrepr) and the
 * line-by-line loader with `include` (loadServerConfig /
 * loadServerConfigFromString). Contracts are in conf.h.
 *
 * The loader works on whole texts: a file is read into memory the way Redis
 * reads it, then split into lines, so an include is a nested load of another
 * text with its own line numbers. The include depth is carried in a small
 * Loader struct passed down the recursion. */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"

/* Redis reads config files with fgets() into a buffer of this many bytes
 * plus one, appending each chunk as a C string. */
#define CONF_READ_CHUNK 1024

/* ---------------------------------------------------------------------------
 * A growable byte buffer, private to this file.
 * ------------------------------------------------------------------------- */

typedef struct ConfBuf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
} ConfBuf;

static void bufAppend(ConfBuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1) cap *= 2;
        b->data = kvRealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void bufAppendStr(ConfBuf *b, const char *s) {
    bufAppend(b, s, strlen(s));
}

/* Returns the buffer's string (never NULL), handing ownership to the caller. */
static char *bufDetach(ConfBuf *b) {
    if (!b->data) bufAppend(b, "", 0);
    char *s = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

static char *formatMessage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *formatMessage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return kvStrdup("(unformattable message)");
    char *s = kvMalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* ---------------------------------------------------------------------------
 * Argument splitting (sdssplitargs).
 * ------------------------------------------------------------------------- */

/* isspace() of the C locale, which is what Redis runs its ctype calls in. */
static bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads one argument starting at *pp (not at a blank, not at the end) into
 * tok (which has room for the rest of the line), advancing *pp past it.
 * Returns the argument's length, or -1 if the line is malformed (an
 * unterminated quote, or a closing quote followed by a non-blank). */
static long splitOneArg(const char **pp, char *tok) {
    const char *p = *pp;
    size_t n = 0;
    bool inDouble = false, inSingle = false;
    for (;;) {
        if (inDouble) {
            if (p[0] == '\\' && p[1] == 'x' && hexValue(p[2]) >= 0 && hexValue(p[3]) >= 0) {
                tok[n++] = (char)(hexValue(p[2]) * 16 + hexValue(p[3]));
                p += 3;
            } else if (p[0] == '\\' && p[1] != '\0') {
                p++;
                switch (p[0]) {
                    case 'n': tok[n++] = '\n'; break;
                    case 'r': tok[n++] = '\r'; break;
                    case 't': tok[n++] = '\t'; break;
                    case 'b': tok[n++] = '\b'; break;
                    case 'a': tok[n++] = '\a'; break;
                    default: tok[n++] = p[0]; break;
                }
            } else if (p[0] == '"') {
                if (p[1] != '\0' && !isBlank(p[1])) return -1;
                p++;
                break;
            } else if (p[0] == '\0') {
                return -1;
            } else {
                tok[n++] = p[0];
            }
        } else if (inSingle) {
            if (p[0] == '\\' && p[1] == '\'') {
                p++;
                tok[n++] = '\'';
            } else if (p[0] == '\'') {
                if (p[1] != '\0' && !isBlank(p[1])) return -1;
                p++;
                break;
            } else if (p[0] == '\0') {
                return -1;
            } else {
                tok[n++] = p[0];
            }
        } else {
            /* Unquoted: only these four end a word (not \v or \f). */
            if (p[0] == ' ' || p[0] == '\n' || p[0] == '\r' || p[0] == '\t') {
                p++;
                break;
            }
            if (p[0] == '\0') break;
            if (p[0] == '"')
                inDouble = true;
            else if (p[0] == '\'')
                inSingle = true;
            else
                tok[n++] = p[0];
        }
        p++;
    }
    *pp = p;
    return (long)n;
}

char **confSplitArgsLen(const char *line, int *argc, size_t **lens) {
    size_t linelen = strlen(line);
    char *tok = kvMalloc(linelen + 1); /* no argument is longer than its line */
    char **argv = kvMalloc(sizeof(char *));
    size_t *lenv = NULL;
    int count = 0;
    const char *p = line;

    for (;;) {
        while (*p && isBlank(*p)) p++;
        if (*p == '\0') break;
        long n = splitOneArg(&p, tok);
        if (n < 0) goto malformed;
        argv = kvRealloc(argv, sizeof(char *) * ((size_t)count + 2));
        argv[count] = kvMalloc((size_t)n + 1);
        memcpy(argv[count], tok, (size_t)n);
        argv[count][n] = '\0';
        if (lens) {
            lenv = kvRealloc(lenv, sizeof(size_t) * ((size_t)count + 1));
            lenv[count] = (size_t)n;
        }
        count++;
    }
    argv[count] = NULL;
    kvFree(tok);
    *argc = count;
    if (lens) *lens = lenv;
    return argv;

malformed:
    confFreeArgs(argv, count);
    kvFree(lenv);
    kvFree(tok);
    *argc = 0;
    if (lens) *lens = NULL;
    return NULL;
}

char **confSplitArgs(const char *line, int *argc) {
    return confSplitArgsLen(line, argc, NULL);
}

void confFreeArgs(char **argv, int argc) {
    if (!argv) return;
    for (int i = 0; i < argc; i++) kvFree(argv[i]);
    kvFree(argv);
}

char *confQuote(const char *s, size_t len) {
    ConfBuf b = {0};
    bufAppend(&b, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        char esc[5];
        switch (c) {
            case '\\': bufAppend(&b, "\\\\", 2); break;
            case '"': bufAppend(&b, "\\\"", 2); break;
            case '\n': bufAppend(&b, "\\n", 2); break;
            case '\r': bufAppend(&b, "\\r", 2); break;
            case '\t': bufAppend(&b, "\\t", 2); break;
            case '\a': bufAppend(&b, "\\a", 2); break;
            case '\b': bufAppend(&b, "\\b", 2); break;
            default:
                if (isprint((unsigned char)c)) {
                    bufAppend(&b, &c, 1);
                } else {
                    snprintf(esc, sizeof(esc), "\\x%02x", (unsigned char)c);
                    bufAppend(&b, esc, 4);
                }
                break;
        }
    }
    bufAppend(&b, "\"", 1);
    return bufDetach(&b);
}

/* ---------------------------------------------------------------------------
 * Memory units (memtoull).
 * ------------------------------------------------------------------------- */

bool confParseMemory(const char *s, unsigned long long *out) {
    if (s[0] == '-') return false;
    const char *unit = s;
    while (*unit && isdigit((unsigned char)*unit)) unit++;

    unsigned long long mul;
    if (*unit == '\0' || !strcasecmp(unit, "b"))
        mul = 1;
    else if (!strcasecmp(unit, "k"))
        mul = 1000;
    else if (!strcasecmp(unit, "kb"))
        mul = 1024;
    else if (!strcasecmp(unit, "m"))
        mul = 1000 * 1000;
    else if (!strcasecmp(unit, "mb"))
        mul = 1024 * 1024;
    else if (!strcasecmp(unit, "g"))
        mul = 1000ULL * 1000 * 1000;
    else if (!strcasecmp(unit, "gb"))
        mul = 1024ULL * 1024 * 1024;
    else
        return false;

    /* Redis copies the digits into a 128-byte buffer and refuses more. */
    char digits[128];
    size_t ndigits = (size_t)(unit - s);
    if (ndigits >= sizeof(digits)) return false;
    memcpy(digits, s, ndigits);
    digits[ndigits] = '\0';

    /* strtoull() of no digits is 0 without an error, and of too many digits
     * ULLONG_MAX with ERANGE, which Redis 7.0 does not check: both kept. */
    char *end;
    errno = 0;
    unsigned long long v = strtoull(digits, &end, 10);
    if ((v == 0 && errno == EINVAL) || *end != '\0') return false;
    if (out) *out = v * mul; /* Redis 7.0 lets this wrap; see conf.h */
    return true;
}

/* ---------------------------------------------------------------------------
 * The loader.
 * ------------------------------------------------------------------------- */

typedef struct Loader {
    confLineFn fn;
    void *ctx;
    int depth; /* number of includes we are inside of */
} Loader;

/* Appends everything fp yields, the way Redis does: fgets() chunks of at
 * most CONF_READ_CHUNK bytes, each appended as a C string, so bytes after a
 * NUL in a chunk are dropped. */
static void readStream(FILE *fp, ConfBuf *b) {
    char chunk[CONF_READ_CHUNK + 1];
    while (fgets(chunk, sizeof(chunk), fp) != NULL) bufAppendStr(b, chunk);
}

/* Reads the file at path into b. Returns CONF_OK, or CONF_ERR_OPEN with
 * *err set. */
static int readFile(const char *path, ConfBuf *b, char **err) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        *err = formatMessage("Fatal error, can't open config file '%s': %s", path, strerror(errno));
        return CONF_ERR_OPEN;
    }
    readStream(fp, b);
    fclose(fp);
    return CONF_OK;
}

/* Reads what a config file name names into b: one file, or for a name with
 * a wildcard every glob(3) match in order, concatenated (none is fine). */
static int readIncluded(const char *path, ConfBuf *b, char **err) {
    if (!strpbrk(path, "*?[")) return readFile(path, b, err);
    glob_t matches;
    if (glob(path, 0, NULL, &matches) != 0) return CONF_OK;
    int rc = CONF_OK;
    for (size_t i = 0; i < matches.gl_pathc && rc == CONF_OK; i++)
        rc = readFile(matches.gl_pathv[i], b, err);
    globfree(&matches);
    return rc;
}

static int loadText(Loader *ld, const char *text, const char *file, char **err);

/* Handles one `include` line. Returns as loadText; *reason is set (and
 * CONF_ERR returned) for errors that belong to the include line itself. */
static int loadInclude(Loader *ld, int argc, char **argv, char **reason, char **err) {
    if (argc != 2) {
        *reason = kvStrdup("Bad directive or wrong number of arguments");
        return CONF_ERR;
    }
    if (ld->depth >= CONF_MAX_INCLUDE_DEPTH) {
        *reason = formatMessage("Too many nested includes (more than %d): include loop?",
                                CONF_MAX_INCLUDE_DEPTH);
        return CONF_ERR;
    }
    ConfBuf b = {0};
    int rc = readIncluded(argv[1], &b, err);
    if (rc == CONF_OK) {
        char *text = bufDetach(&b);
        ld->depth++;
        rc = loadText(ld, text, argv[1], err);
        ld->depth--;
        kvFree(text);
    } else {
        kvFree(b.data);
    }
    return rc;
}

/* Processes one trimmed, non-comment line. Returns CONF_OK, or an error:
 * for a problem with this line, *reason is set and the caller adds the line
 * number; a nested error (from an include) arrives complete in *err. */
static int loadLine(Loader *ld, char *line, const char *file, int lineno, char **reason,
                    char **err) {
    int argc;
    char **argv = confSplitArgs(line, &argc);
    if (!argv) {
        *reason = kvStrdup("Unbalanced quotes in configuration line");
        return CONF_ERR;
    }
    int rc = CONF_OK;
    if (argc > 0) {
        for (char *c = argv[0]; *c; c++) *c = (char)tolower((unsigned char)*c);
        if (!strcmp(argv[0], "include")) {
            rc = loadInclude(ld, argc, argv, reason, err);
        } else if (ld->fn(ld->ctx, argc, argv, file, lineno, reason) != 0) {
            if (!*reason) *reason = kvStrdup("Bad directive or wrong number of arguments");
            rc = CONF_ERR;
        }
    }
    confFreeArgs(argv, argc);
    return rc;
}

/* Strips spaces, tabs, \r and \n from both ends of s[0..len), in place.
 * Returns the start of the trimmed line (NUL-terminated). */
static char *trimLine(char *s, size_t len) {
    const char *set = " \t\r\n";
    size_t start = 0;
    while (start < len && strchr(set, s[start]) && s[start]) start++;
    while (len > start && strchr(set, s[len - 1]) && s[len - 1]) len--;
    s[len] = '\0';
    return s + start;
}

static int loadText(Loader *ld, const char *text, const char *file, char **err) {
    char *copy = kvStrdup(text);
    char *cursor = copy;
    int lineno = 0;
    int rc = CONF_OK;
    bool last = false;

    while (!last && rc == CONF_OK) {
        char *nl = strchr(cursor, '\n');
        size_t len = nl ? (size_t)(nl - cursor) : strlen(cursor);
        last = nl == NULL;
        lineno++;
        char *line = trimLine(cursor, len);
        cursor += len + 1;
        if (line[0] == '#' || line[0] == '\0') continue;

        char *reason = NULL;
        rc = loadLine(ld, line, file, lineno, &reason, err);
        if (rc != CONF_OK && reason) {
            *err = formatMessage("Reading the configuration file, at line %d\n>>> '%s'\n%s", lineno,
                                 line, reason);
        }
        kvFree(reason);
    }
    kvFree(copy);
    return rc;
}

int confLoadString(const char *text, confLineFn fn, void *ctx, char **err) {
    Loader ld = {.fn = fn, .ctx = ctx, .depth = 0};
    *err = NULL;
    return loadText(&ld, text, NULL, err);
}

int confLoadFile(const char *path, confLineFn fn, void *ctx, char **err) {
    return confLoadServerConfig(path, false, NULL, fn, ctx, err);
}

int confLoadServerConfig(const char *path, bool readStdin, const char *options, confLineFn fn,
                         void *ctx, char **err) {
    Loader ld = {.fn = fn, .ctx = ctx, .depth = 0};
    ConfBuf b = {0};
    *err = NULL;
    if (path) {
        /* Redis applies the include rules to the main file too: a wildcard
         * name is globbed, and matching nothing is not an error. */
        int rc = readIncluded(path, &b, err);
        if (rc != CONF_OK) {
            kvFree(b.data);
            return rc;
        }
    }
    if (readStdin) readStream(stdin, &b);
    if (options) {
        bufAppend(&b, "\n", 1);
        bufAppendStr(&b, options);
    }
    char *text = bufDetach(&b);
    int rc = loadText(&ld, text, path, err);
    kvFree(text);
    return rc;
}
