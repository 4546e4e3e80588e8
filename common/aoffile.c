/* aoffile.c — AOF manifest parsing/formatting and the command reader (see
 * aoffile.h). */
#include "aoffile.h"

#include "conf.h"
#include "mem.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- manifest ---- */

void aofManifestInit(AofManifest *m) {
    memset(m, 0, sizeof(*m));
}

static void infoFree(AofFileInfo *f) {
    kvFree(f->name);
    f->name = NULL;
}

void aofManifestClearHistory(AofManifest *m) {
    for (int i = 0; i < m->historyCount; i++) infoFree(&m->history[i]);
    m->historyCount = 0;
}

void aofManifestFree(AofManifest *m) {
    if (m->base) {
        infoFree(m->base);
        kvFree(m->base);
    }
    for (int i = 0; i < m->incrCount; i++) infoFree(&m->incr[i]);
    aofManifestClearHistory(m);
    kvFree(m->incr);
    kvFree(m->history);
    aofManifestInit(m);
}

static void listPush(AofFileInfo **list, int *count, int *cap, const char *name, long long seq,
                     char type) {
    if (*count == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        *list = kvRealloc(*list, (size_t)*cap * sizeof(**list));
    }
    (*list)[(*count)++] = (AofFileInfo){kvStrdup(name), seq, type};
}

void aofManifestSetBase(AofManifest *m, const char *name, long long seq) {
    if (m->base) {
        listPush(&m->history, &m->historyCount, &m->historyCap, m->base->name, m->base->seq, 'h');
        infoFree(m->base);
    } else {
        m->base = kvMalloc(sizeof(*m->base));
    }
    *m->base = (AofFileInfo){kvStrdup(name), seq, 'b'};
    if (seq > m->curBaseSeq) m->curBaseSeq = seq;
}

void aofManifestAddIncr(AofManifest *m, const char *name, long long seq) {
    listPush(&m->incr, &m->incrCount, &m->incrCap, name, seq, 'i');
    if (seq > m->curIncrSeq) m->curIncrSeq = seq;
}

void aofManifestRetireIncr(AofManifest *m, int n) {
    if (n > m->incrCount) n = m->incrCount;
    if (n <= 0) return;
    for (int i = 0; i < n; i++) {
        listPush(&m->history, &m->historyCount, &m->historyCap, m->incr[i].name, m->incr[i].seq,
                 'h');
        infoFree(&m->incr[i]);
    }
    memmove(m->incr, m->incr + n, (size_t)(m->incrCount - n) * sizeof(*m->incr));
    m->incrCount -= n;
}

void aofManifestCopy(AofManifest *dst, const AofManifest *src) {
    aofManifestInit(dst);
    if (src->base) {
        dst->base = kvMalloc(sizeof(*dst->base));
        *dst->base = (AofFileInfo){kvStrdup(src->base->name), src->base->seq, 'b'};
    }
    for (int i = 0; i < src->incrCount; i++)
        listPush(&dst->incr, &dst->incrCount, &dst->incrCap, src->incr[i].name, src->incr[i].seq,
                 'i');
    for (int i = 0; i < src->historyCount; i++)
        listPush(&dst->history, &dst->historyCount, &dst->historyCap, src->history[i].name,
                 src->history[i].seq, 'h');
    dst->curBaseSeq = src->curBaseSeq;
    dst->curIncrSeq = src->curIncrSeq;
}

/* Redis quotes a name when sdscatrepr would change it: spaces, quotes,
 * backslashes, control and non-printable bytes. */
static bool nameNeedsQuoting(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p >= 127 || *p == '"' || *p == '\\' || *p == '\'') return true;
    return *s == '\0';
}

static dstr catInfo(dstr out, const AofFileInfo *f) {
    out = dstrCat(out, "file ");
    if (nameNeedsQuoting(f->name)) {
        char *q = confQuote(f->name, strlen(f->name));
        out = dstrCat(out, q);
        kvFree(q);
    } else {
        out = dstrCat(out, f->name);
    }
    return dstrCatPrintf(out, " seq %lld type %c\n", f->seq, f->type);
}

dstr aofManifestFormat(const AofManifest *m) {
    dstr out = dstrEmpty();
    if (m->base) out = catInfo(out, m->base);
    for (int i = 0; i < m->historyCount; i++) out = catInfo(out, &m->history[i]);
    for (int i = 0; i < m->incrCount; i++) out = catInfo(out, &m->incr[i]);
    return out;
}

static bool setErr(char *err, size_t errlen, const char *msg) {
    snprintf(err, errlen, "%s", msg);
    return false;
}

static bool parseSeq(const char *s, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return false;
    *out = v;
    return true;
}

/* One non-comment line (without its line end). */
static bool parseLine(AofManifest *m, const char *line, long long *maxIncrSeq, char *err,
                      size_t errlen) {
    int argc = 0;
    size_t *lens = NULL;
    char **argv = confSplitArgsLen(line, &argc, &lens);
    bool ok = false;
    if (!argv) {
        setErr(err, errlen, "Invalid AOF manifest file format");
        goto out;
    }
    if (argc == 0) {
        ok = true;
        goto out;
    }
    if (argc < 6 || argc % 2) {
        setErr(err, errlen, "Invalid AOF manifest file format");
        goto out;
    }
    const char *name = NULL;
    long long seq = 0;
    bool haveSeq = false;
    char type = 0;
    for (int i = 0; i < argc; i += 2) {
        if (strcasecmp(argv[i], "file") == 0) {
            if (strlen(argv[i + 1]) != lens[i + 1] || lens[i + 1] == 0) {
                setErr(err, errlen, "Invalid AOF manifest file format");
                goto out;
            }
            if (strchr(argv[i + 1], '/')) {
                setErr(err, errlen, "File can't be a path, just a filename");
                goto out;
            }
            name = argv[i + 1];
        } else if (strcasecmp(argv[i], "seq") == 0) {
            if (!parseSeq(argv[i + 1], &seq)) {
                setErr(err, errlen, "Invalid AOF manifest file format");
                goto out;
            }
            haveSeq = true;
        } else if (strcasecmp(argv[i], "type") == 0) {
            if (lens[i + 1] != 1) {
                setErr(err, errlen, "Unknown AOF file type");
                goto out;
            }
            type = argv[i + 1][0];
        }
        /* Unknown keys are skipped: later versions may add some. */
    }
    if (!name || !haveSeq || !type) {
        setErr(err, errlen, "Invalid AOF manifest file format");
        goto out;
    }
    /* A name is written back quoted (a control byte takes four), so one that
     * fits here may not fit on the line aofManifestFormat() writes for it,
     * and the next manifest would be refused at start-up. Redis 7.0 accepts
     * such a name and fails later; we refuse it now. */
    AofFileInfo probe = {(char *)name, seq, type};
    dstr entry = catInfo(dstrEmpty(), &probe);
    bool fits = dstrLen(entry) - 1 <= AOF_MANIFEST_LINE_MAX; /* less its '\n' */
    dstrFree(entry);
    if (!fits) {
        setErr(err, errlen, "The AOF manifest file contains too long line");
        goto out;
    }
    if (type == 'b') {
        if (m->base) {
            setErr(err, errlen, "Found duplicate base file information");
            goto out;
        }
        aofManifestSetBase(m, name, seq);
    } else if (type == 'h') {
        listPush(&m->history, &m->historyCount, &m->historyCap, name, seq, 'h');
    } else if (type == 'i') {
        if (seq <= *maxIncrSeq) {
            setErr(err, errlen, "Found a non-monotonic sequence number");
            goto out;
        }
        *maxIncrSeq = seq;
        aofManifestAddIncr(m, name, seq);
    } else {
        setErr(err, errlen, "Unknown AOF file type");
        goto out;
    }
    ok = true;
out:
    confFreeArgs(argv, argc);
    kvFree(lens);
    return ok;
}

bool aofManifestParse(AofManifest *m, const char *text, size_t len, char *err, size_t errlen) {
    aofManifestInit(m);
    long long maxIncrSeq = 0;
    size_t pos = 0;
    char line[AOF_MANIFEST_LINE_MAX + 1];
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        if (n > AOF_MANIFEST_LINE_MAX) {
            aofManifestFree(m);
            return setErr(err, errlen, "The AOF manifest file contains too long line");
        }
        if (memchr(text + pos, '\0', n)) {
            aofManifestFree(m);
            return setErr(err, errlen, "Invalid AOF manifest file format");
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + (nl ? 1 : 0);
        /* Trim like Redis (" \t\r\n"), skip comments and blank lines. */
        char *s = line;
        while (*s == ' ' || *s == '\t' || *s == '\r') s++;
        size_t sl = strlen(s);
        while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t' || s[sl - 1] == '\r')) s[--sl] = '\0';
        if (s[0] == '#' || s[0] == '\0') continue;
        if (!parseLine(m, s, &maxIncrSeq, err, errlen)) {
            aofManifestFree(m);
            return false;
        }
    }
    if (!m->base && m->incrCount == 0) {
        aofManifestFree(m);
        return setErr(err, errlen, "Found an empty AOF manifest");
    }
    return true;
}

bool aofManifestLoad(AofManifest *m, const char *path, char *err, size_t errlen) {
    aofManifestInit(m);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int saved = errno;
        snprintf(err, errlen, "%s", strerror(saved));
        errno = saved;
        return false;
    }
    /* A manifest is small; refuse anything absurd before reading it. */
    struct stat st;
    if (fstat(fileno(fp), &st) == -1 || st.st_size > 64 * 1024 * 1024) {
        fclose(fp);
        errno = EINVAL;
        return setErr(err, errlen, "The AOF manifest file is too large");
    }
    size_t size = (size_t)st.st_size;
    char *buf = kvMalloc(size + 1);
    size_t got = fread(buf, 1, size, fp);
    bool readFailed = ferror(fp);
    fclose(fp);
    if (readFailed || got != size) {
        kvFree(buf);
        errno = EIO;
        return setErr(err, errlen, "Unable to read the AOF manifest file");
    }
    bool ok = aofManifestParse(m, buf, size, err, errlen);
    kvFree(buf);
    if (!ok) errno = EINVAL;
    return ok;
}

/* ---- names ---- */

dstr aofBaseName(const char *prefix, long long seq, bool rdbPreamble) {
    return dstrCatPrintf(dstrEmpty(), "%s.%lld.base.%s", prefix, seq, rdbPreamble ? "rdb" : "aof");
}

dstr aofIncrName(const char *prefix, long long seq) {
    return dstrCatPrintf(dstrEmpty(), "%s.%lld.incr.aof", prefix, seq);
}

dstr aofManifestName(const char *prefix) {
    return dstrCatPrintf(dstrEmpty(), "%s.manifest", prefix);
}

dstr aofTempIncrName(const char *prefix) {
    return dstrCatPrintf(dstrEmpty(), "temp-%s.incr", prefix);
}

/* ---- writing commands ---- */

dstr aofCatCommand(dstr out, int argc, const char *const *argv, const size_t *lens) {
    out = dstrCatPrintf(out, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) {
        out = dstrCatPrintf(out, "$%zu\r\n", lens[i]);
        out = dstrCatLen(out, argv[i], lens[i]);
        out = dstrCatLen(out, "\r\n", 2);
    }
    return out;
}

/* ---- reading commands ---- */

/* Lines are short ("*3", "$5", "#TS:…"): Redis reads them into a 128-byte
 * buffer; a longer line is not an AOF. */
#define AOF_LINE_MAX 128

void aofReaderInit(AofReader *r, FILE *fp, uint64_t startOffset) {
    memset(r, 0, sizeof(*r));
    r->fp = fp;
    r->offset = startOffset;
    r->cmdStart = startOffset;
    r->timestamp = -1;
    r->annotation = dstrEmpty();
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode)) r->fileSize = (uint64_t)st.st_size;
}

void aofReaderFree(AofReader *r) {
    for (int i = 0; i < r->argvCap; i++) dstrFree(r->argv[i]);
    kvFree(r->argv);
    dstrFree(r->annotation);
    memset(r, 0, sizeof(*r));
}

static AofReadStatus readFail(AofReader *r, AofReadStatus st, const char *fmt, const char *a) {
    snprintf(r->err, sizeof(r->err), fmt, a);
    return st;
}

static AofReadStatus eofOrError(AofReader *r) {
    if (ferror(r->fp)) return readFail(r, AOF_READ_IO_ERROR, "%s", strerror(errno ? errno : EIO));
    return AOF_READ_TRUNCATED;
}

/* Reads one line ending in "\n" into buf (NUL-terminated, line end
 * stripped). *len gets its length. */
static AofReadStatus readLine(AofReader *r, char *buf, size_t *len) {
    size_t n = 0;
    for (;;) {
        int ch = getc(r->fp);
        if (ch == EOF) return eofOrError(r);
        r->offset++;
        if (ch == '\n') break;
        if (n >= AOF_LINE_MAX) return readFail(r, AOF_READ_BAD_FORMAT, "%s", "line too long");
        buf[n++] = (char)ch;
    }
    r->line++;
    if (n && buf[n - 1] == '\r') n--;
    buf[n] = '\0';
    *len = n;
    return AOF_READ_OK;
}

static bool parseCount(const char *s, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return false;
    *out = v;
    return true;
}

static AofReadStatus readBulk(AofReader *r, int idx) {
    char line[AOF_LINE_MAX + 1];
    size_t n;
    AofReadStatus st = readLine(r, line, &n);
    if (st != AOF_READ_OK) return st;
    long long len;
    if (line[0] != '$' || !parseCount(line + 1, &len) || len < 0)
        return readFail(r, AOF_READ_BAD_FORMAT, "%s", "Expected bulk length ('$<len>')");
    r->errOffset = r->offset;
    r->errWant = len + 2;
    /* Nothing is allocated for bytes the file does not have. */
    if (r->fileSize && (uint64_t)len + 2 > r->fileSize - r->offset) {
        r->errGot = (long long)(r->fileSize - r->offset);
        r->offset = r->fileSize;
        return AOF_READ_TRUNCATED;
    }
    if (idx == r->argvCap) {
        int cap = r->argvCap ? r->argvCap * 2 : 8;
        r->argv = kvRealloc(r->argv, (size_t)cap * sizeof(dstr));
        for (int i = r->argvCap; i < cap; i++) r->argv[i] = dstrEmpty();
        r->argvCap = cap;
    }
    dstr a = r->argv[idx];
    dstrClear(a);
    /* Read in bounded chunks so an unknown-size stream cannot make us
     * allocate a claimed length up front. */
    uint64_t left = (uint64_t)len;
    while (left > 0) {
        size_t chunk = left > (1u << 20) ? (1u << 20) : (size_t)left;
        a = dstrMakeRoom(a, chunk);
        size_t got = fread(a + dstrLen(a), 1, chunk, r->fp);
        dstrIncrLen(a, got);
        r->offset += got;
        left -= got;
        if (got < chunk) {
            r->argv[idx] = a;
            r->errGot = len - (long long)left;
            return eofOrError(r);
        }
    }
    r->argv[idx] = a;
    char crlf[2];
    size_t got = fread(crlf, 1, 2, r->fp);
    r->offset += got;
    if (got < 2) {
        r->errGot = len + (long long)got;
        return eofOrError(r);
    }
    if (crlf[0] != '\r' || crlf[1] != '\n')
        return readFail(r, AOF_READ_BAD_FORMAT, "%s", "Expected \\r\\n");
    /* The bulk's data line counts as one more line, as redis-check-aof. */
    r->line++;
    return AOF_READ_OK;
}

AofReadStatus aofReaderNext(AofReader *r) {
    r->argc = 0;
    r->errWant = 0;
    r->cmdStart = r->offset;
    r->err[0] = '\0';
    int ch = getc(r->fp);
    if (ch == EOF) {
        if (ferror(r->fp)) return eofOrError(r);
        return AOF_READ_EOF;
    }
    ungetc(ch, r->fp);
    char line[AOF_LINE_MAX + 1];
    size_t n;
    AofReadStatus st = readLine(r, line, &n);
    if (st != AOF_READ_OK) return st;
    if (line[0] == '#') {
        dstrClear(r->annotation);
        r->annotation = dstrCatLen(r->annotation, line + 1, n - 1);
        long long ts;
        if (strncmp(line, "#TS:", 4) == 0 && parseCount(line + 4, &ts)) r->timestamp = ts;
        return AOF_READ_ANNOTATION;
    }
    long long argc;
    if (line[0] != '*' || !parseCount(line + 1, &argc) || argc < 1 || argc > INT_MAX)
        return readFail(r, AOF_READ_BAD_FORMAT, "%s", "format error");
    for (int i = 0; i < (int)argc; i++) {
        st = readBulk(r, i);
        if (st != AOF_READ_OK) return st;
    }
    r->argc = (int)argc;
    return AOF_READ_OK;
}

bool aofFileHasRdbPreamble(FILE *fp) {
    char magic[5];
    bool yes = fread(magic, 1, 5, fp) == 5 && memcmp(magic, "REDIS", 5) == 0;
    rewind(fp);
    return yes;
}
