/* kv-check-aof — verifies (and with --fix repairs) append-only files
 * offline, with the output and exit codes of Redis 7.0's redis-check-aof:
 *
 *   kv-check-aof [--fix [--yes]] [--truncate-to-timestamp T] <file.manifest|file.aof>
 *
 * The input is a manifest (the whole multi-part set is checked: base, then
 * every incremental file; only the last one may be repaired), a single AOF
 * ("Old-Style"), or a file with an RDB preamble. The RESP part is read by
 * common/aoffile.c, the reader kvd loads with; an RDB preamble is checked by
 * kv-check-rdb's checker (common/rdbcheck.c, with its report, the way
 * redis-check-aof runs redis-check-rdb's code), then the AOF tail after it.
 *
 * --fix truncates the file at the end of the last complete command after
 * asking "Continue? [y/N]"; with --yes, or when stdin is not a terminal, it
 * does not ask. The original is kept as <file>.bak first. Exit status: 0
 * when everything is valid (or was fixed), 1 otherwise. */
#include "aoffile.h"
#include "dstr.h"
#include "mem.h"
#include "rdbcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KV_CHECK_AOF_VERSION "0.1.0"

static bool optFix = false, optYes = false;
static long long toTimestamp = 0; /* --truncate-to-timestamp, 0 = none */

typedef enum { CHECK_OK, CHECK_TRUNCATED, CHECK_FORMAT, CHECK_TS_TRUNC } CheckResult;

typedef struct FileCheck {
    long long size;
    long long okUpTo; /* end of the last complete command */
    long long line;   /* as redis-check-aof counts */
    CheckResult result;
} FileCheck;

static void usage(const char *prog, FILE *out) {
    fprintf(out,
            "Usage: %s [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n"
            "  --fix                 truncate the (last) file at the last complete command\n"
            "  --yes                 with --fix: do not ask for confirmation\n"
            "  --truncate-to-timestamp T  truncate at the first #TS annotation after T\n",
            prog);
}

/* Parses the RESP part of fp from offset `start` (line counting starts at
 * 1, as Redis's). */
static void checkResp(FILE *fp, const char *name, long long start, FileCheck *fc) {
    AofReader r;
    aofReaderInit(&r, fp, (uint64_t)start);
    fc->okUpTo = start;
    fc->result = CHECK_OK;
    for (;;) {
        AofReadStatus st = aofReaderNext(&r);
        if (st == AOF_READ_EOF) break;
        if (st == AOF_READ_ANNOTATION) {
            if (toTimestamp && r.timestamp > toTimestamp) {
                /* Everything from this annotation on is after T. */
                fc->okUpTo = (long long)r.cmdStart;
                fc->result = CHECK_TS_TRUNC;
                break;
            }
            fc->okUpTo = (long long)r.offset;
            continue;
        }
        if (st == AOF_READ_OK) {
            fc->okUpTo = (long long)r.offset;
            continue;
        }
        if (st == AOF_READ_TRUNCATED) {
            if (r.errWant)
                printf("0x%16llx: Expected to read %lld bytes, got %lld bytes\n",
                       (unsigned long long)r.errOffset, r.errWant, r.errGot);
            else
                printf("0x%16llx: Unexpected end of file\n", (unsigned long long)r.offset);
            fc->result = CHECK_TRUNCATED;
        } else if (strcmp(r.err, "format error") == 0) {
            printf("AOF %s format error\n", name);
            r.line--; /* the bad line is not counted, as Redis */
            fc->result = CHECK_FORMAT;
        } else {
            printf("0x%16llx: %s\n", (unsigned long long)r.offset, r.err);
            fc->result = CHECK_FORMAT;
        }
        break;
    }
    fc->line = r.line + 1;
    aofReaderFree(&r);
}

/* The RDB preamble: kv-check-rdb's report, then the position after it. */
static bool checkPreamble(const char *path, long long *end) {
    RdbCheckOptions opt = {.stats = false, .out = stdout};
    uint64_t rdbEnd = 0;
    fflush(stdout);
    bool ok = rdbCheckFile(path, &opt, &rdbEnd);
    fflush(stdout);
    if (ok) *end = (long long)rdbEnd;
    return ok;
}

/* Checks one file; prints the "AOF analyzed" line. Returns false when the
 * file cannot be read at all (or its preamble is bad: fatal). */
static bool checkFile(const char *path, const char *name, bool preambleAllowed, FileCheck *fc) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        printf("Cannot open file %s: %s, aborting...\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode)) {
        printf("Cannot stat file %s, aborting...\n", path);
        fclose(fp);
        return false;
    }
    memset(fc, 0, sizeof(*fc));
    fc->size = (long long)st.st_size;
    long long start = 0;
    if (preambleAllowed && aofFileHasRdbPreamble(fp)) {
        if (!checkPreamble(path, &start)) {
            printf("RDB preamble of AOF file is not sane, aborting.\n");
            fclose(fp);
            exit(1);
        }
        printf("RDB preamble is OK, proceeding with AOF tail...\n");
        if (fseeko(fp, (off_t)start, SEEK_SET) == -1) {
            printf("Cannot seek in file %s: %s, aborting...\n", path, strerror(errno));
            fclose(fp);
            return false;
        }
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 16);
    checkResp(fp, name, start, fc);
    fclose(fp);
    if (fc->result == CHECK_TS_TRUNC) return true;
    printf("AOF analyzed: filename=%s, size=%lld, ok_up_to=%lld, ok_up_to_line=%lld, diff=%lld\n",
           name, fc->size, fc->okUpTo, fc->line, fc->size - fc->okUpTo);
    return true;
}

static bool confirm(void) {
    if (optYes || !isatty(STDIN_FILENO)) return true;
    printf("Continue? [y/N]: ");
    fflush(stdout);
    char buf[16];
    if (!fgets(buf, sizeof(buf), stdin)) return false;
    return buf[0] == 'y' || buf[0] == 'Y';
}

/* Copies path to path.bak (replacing an older backup). */
static bool backup(const char *path) {
    dstr bak = dstrCatPrintf(dstrEmpty(), "%s.bak", path);
    bool ok = false;
    int in = open(path, O_RDONLY), out = -1;
    if (in != -1) out = open(bak, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in != -1 && out != -1) {
        char buf[1 << 16];
        ssize_t n;
        ok = true;
        while ((n = read(in, buf, sizeof(buf))) > 0)
            if (write(out, buf, (size_t)n) != n) {
                ok = false;
                break;
            }
        if (n < 0) ok = false;
        if (ok && fsync(out) == -1) ok = false;
    }
    if (!ok)
        printf("Failed to write the backup copy %s: %s\n", bak, strerror(errno));
    else
        printf("Backup copy written to %s\n", bak);
    if (in != -1) close(in);
    if (out != -1) close(out);
    dstrFree(bak);
    return ok;
}

/* Fixes (truncates) or reports a file that is not valid up to its end.
 * Returns the exit status. */
static int repairOrReport(const char *path, const char *name, const FileCheck *fc) {
    long long diff = fc->size - fc->okUpTo;
    if (diff == 0) return 0;
    if (fc->result == CHECK_TS_TRUNC) {
        /* As redis-check-aof: no question, no report, just the cut. */
        if (!backup(path)) return 1;
        if (truncate(path, (off_t)fc->okUpTo) == -1) {
            printf("Failed to truncate AOF %s to timestamp %lld: %s\n", name, toTimestamp,
                   strerror(errno));
            return 1;
        }
        printf("Successfully truncated AOF %s to timestamp %lld\n", name, toTimestamp);
        return 0;
    }
    if (!optFix && fc->result != CHECK_TS_TRUNC) {
        printf("AOF %s is not valid. Use the --fix option to try fixing it.\n", name);
        return 1;
    }
    printf("This will shrink the AOF %s from %lld bytes, with %lld bytes, to %lld bytes\n", name,
           fc->size, diff, fc->okUpTo);
    if (!confirm()) {
        printf("Aborting...\n");
        return 1;
    }
    if (!backup(path)) return 1;
    if (truncate(path, (off_t)fc->okUpTo) == -1) {
        printf("Failed to truncate AOF %s: %s\n", name, strerror(errno));
        return 1;
    }
    printf("Successfully truncated AOF %s\n", name);
    return 0;
}

/* A manifest: its first meaningful line starts with "file ". */
static bool looksLikeManifest(const char *path) {
    FILE *fp = fopen(path, "r");
    if (!fp) return false;
    char line[AOF_MANIFEST_LINE_MAX + 2];
    bool yes = false;
    while (fgets(line, sizeof(line), fp)) {
        char *s = line;
        while (*s == ' ' || *s == '\t') s++;
        if (*s == '#' || *s == '\n' || *s == '\r') continue;
        yes = strncmp(s, "file ", 5) == 0;
        break;
    }
    fclose(fp);
    return yes;
}

static int checkManifest(const char *path) {
    printf("Start checking Multi Part AOF\n");
    AofManifest m;
    char err[256];
    if (!aofManifestLoad(&m, path, err, sizeof(err))) {
        printf("Invalid AOF manifest file %s: %s\n", path, err);
        return 1;
    }
    /* Files are named relative to the manifest's directory. */
    dstr dir = dstrNew(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        dstrSetLen(dir, (size_t)(slash - dir) + 1);
    else
        dstrClear(dir);
    int rc = 0;
    FileCheck fc;
    if (m.base) {
        dstr p = dstrCatPrintf(dstrDup(dir), "%s", m.base->name);
        FILE *fp = fopen(p, "r");
        bool rdb = fp && aofFileHasRdbPreamble(fp);
        if (fp) fclose(fp);
        printf("Start to check BASE AOF (%s format).\n", rdb ? "RDB" : "RESP");
        if (!checkFile(p, m.base->name, true, &fc)) {
            rc = 1;
        } else if (fc.size != fc.okUpTo) {
            /* Only the last file of the set may be cut short. */
            if (m.incrCount == 0) {
                rc = repairOrReport(p, m.base->name, &fc);
            } else {
                printf("BASE AOF %s is not valid, aborting...\n", m.base->name);
                rc = 1;
            }
        } else {
            printf("BASE AOF %s is valid\n", m.base->name);
        }
        dstrFree(p);
    }
    if (rc == 0 && m.incrCount > 0) {
        printf("Start to check INCR files.\n");
        for (int i = 0; i < m.incrCount && rc == 0; i++) {
            dstr p = dstrCatPrintf(dstrDup(dir), "%s", m.incr[i].name);
            bool last = i == m.incrCount - 1;
            if (!checkFile(p, m.incr[i].name, false, &fc)) {
                rc = 1;
            } else if (fc.size != fc.okUpTo) {
                if (last) {
                    rc = repairOrReport(p, m.incr[i].name, &fc);
                } else {
                    printf("INCR AOF %s is not valid, aborting...\n", m.incr[i].name);
                    rc = 1;
                }
            } else {
                printf("INCR AOF %s is valid\n", m.incr[i].name);
            }
            dstrFree(p);
        }
    }
    if (rc == 0) printf("All AOF files and manifest are valid\n");
    dstrFree(dir);
    aofManifestFree(&m);
    return rc;
}

static int checkSingle(const char *path) {
    printf("Start checking Old-Style AOF\n");
    FileCheck fc;
    const char *name = path; /* printed as given, as redis-check-aof */
    if (!checkFile(path, name, true, &fc)) return 1;
    if (fc.size == fc.okUpTo) {
        printf("AOF %s is valid\n", name);
        return 0;
    }
    return repairOrReport(path, name, &fc);
}

int main(int argc, char **argv) {
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(argv[0], stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-v") == 0) {
            printf("kv-check-aof %s\n", KV_CHECK_AOF_VERSION);
            return 0;
        } else if (strcmp(argv[i], "--fix") == 0) {
            optFix = true;
        } else if (strcmp(argv[i], "--yes") == 0) {
            optYes = true;
        } else if (strcmp(argv[i], "--truncate-to-timestamp") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            toTimestamp = strtoll(argv[++i], &end, 10);
            if (errno || *end || toTimestamp <= 0) {
                printf("Invalid timestamp, aborting...\n");
                return 1;
            }
        } else if (!file && argv[i][0] != '-') {
            file = argv[i];
        } else {
            usage(argv[0], stderr);
            return 1;
        }
    }
    if (!file || (optFix && toTimestamp)) {
        if (optFix && toTimestamp)
            printf("Option --fix and --truncate-to-timestamp can not be used together\n");
        else
            usage(argv[0], stderr);
        return 1;
    }
    return looksLikeManifest(file) ? checkManifest(file) : checkSingle(file);
}
