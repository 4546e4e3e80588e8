/* aoffile.h — the append-only file format, shared by kvd (loading, writing
 * the manifest) and kv-check-aof (validating, repairing).
 *
 * An AOF is a sequence of RESP arrays of bulk strings, one per command:
 *
 *     *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n
 *
 * with optional annotation lines starting with '#' between commands (Redis 7
 * writes "#TS:<unix seconds>\r\n" when aof-timestamp-enabled is on). A base
 * file may instead start with an RDB snapshot ("REDIS" magic, the RDB
 * preamble), optionally followed by commands.
 *
 * Redis 7's multi-part layout keeps the files in a directory with a manifest
 * naming them, one per line:
 *
 *     file appendonly.aof.1.base.rdb seq 1 type b
 *     file appendonly.aof.1.incr.aof seq 1 type i
 *
 * type b = base (at most one), i = incremental (applied in order after the
 * base), h = history (left over from a rewrite, to be deleted). A file name
 * that needs quoting is written the way Redis's sdscatrepr does and read
 * back with the config-file argument splitter.
 *
 * The reader does no allocation driven by untrusted sizes: a bulk length
 * beyond the end of the file is reported as truncation before anything is
 * allocated, and argument vectors grow as arguments actually arrive. */
#ifndef KV_AOFFILE_H
#define KV_AOFFILE_H

#include "dstr.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- manifest ---- */

#define AOF_MANIFEST_LINE_MAX 1024

typedef struct AofFileInfo {
    char *name; /* kvMalloc'd, owned by the manifest */
    long long seq;
    char type; /* 'b', 'h' or 'i' */
} AofFileInfo;

typedef struct AofManifest {
    AofFileInfo *base; /* NULL when there is none */
    AofFileInfo *incr; /* in order */
    int incrCount, incrCap;
    AofFileInfo *history;
    int historyCount, historyCap;
    long long curBaseSeq; /* highest sequence numbers seen/used */
    long long curIncrSeq;
} AofManifest;

void aofManifestInit(AofManifest *m);
void aofManifestFree(AofManifest *m);
/* Parses manifest text. False with a Redis-worded reason in err. */
bool aofManifestParse(AofManifest *m, const char *text, size_t len, char *err, size_t errlen);
/* Reads and parses path. False with errno ENOENT (and err set) when the
 * file does not exist, or with a reason in err. */
bool aofManifestLoad(AofManifest *m, const char *path, char *err, size_t errlen);
/* The manifest text: base, history, then incremental files. Free with
 * dstrFree. */
dstr aofManifestFormat(const AofManifest *m);
/* Sets the base (the previous one, if any, moves to history). Copies name. */
void aofManifestSetBase(AofManifest *m, const char *name, long long seq);
/* Appends an incremental file. Copies name. */
void aofManifestAddIncr(AofManifest *m, const char *name, long long seq);
/* Moves the first n incremental files to history. */
void aofManifestRetireIncr(AofManifest *m, int n);
/* Forgets every history entry. */
void aofManifestClearHistory(AofManifest *m);
/* A deep copy of src into dst (dst is initialised first). */
void aofManifestCopy(AofManifest *dst, const AofManifest *src);

/* ---- commands ---- */

typedef enum AofReadStatus {
    AOF_READ_OK,         /* a command is in argv/argc */
    AOF_READ_ANNOTATION, /* an annotation line is in annotation */
    AOF_READ_EOF,        /* clean end of file */
    AOF_READ_TRUNCATED,  /* the file ends inside a command */
    AOF_READ_BAD_FORMAT, /* not an AOF command here; err says why */
    AOF_READ_IO_ERROR,   /* read(2) failed; err says why */
} AofReadStatus;

typedef struct AofReader {
    FILE *fp;
    uint64_t fileSize; /* 0 when unknown (not a regular file) */
    uint64_t offset;   /* bytes consumed: where the next item starts */
    uint64_t cmdStart; /* where the last item returned (or failed) started */
    long long line;    /* lines consumed (as redis-check-aof counts them) */
    int argc;
    dstr *argv; /* argv[0..argc-1]; buffers reused between commands */
    int argvCap;
    dstr annotation;     /* without the leading '#' and the line end */
    long long timestamp; /* last "#TS:" value seen, -1 if none */
    /* AOF_READ_TRUNCATED inside a bulk: where its data started, and how many
     * bytes (data + CRLF) were wanted and found (redis-check-aof's report) */
    uint64_t errOffset;
    long long errWant, errGot;
    char err[160];
} AofReader;

/* Reads from fp starting at its current position, which is taken to be
 * file offset `startOffset` (after an RDB preamble, for instance). */
void aofReaderInit(AofReader *r, FILE *fp, uint64_t startOffset);
void aofReaderFree(AofReader *r);
AofReadStatus aofReaderNext(AofReader *r);

/* True when fp starts with the RDB magic "REDIS" (fp is rewound). */
bool aofFileHasRdbPreamble(FILE *fp);

/* Appends the RESP form of a command to out. */
dstr aofCatCommand(dstr out, int argc, const char *const *argv, const size_t *lens);

/* Names as Redis 7.0 builds them: "<prefix>.<seq>.base.rdb|aof",
 * "<prefix>.<seq>.incr.aof", "<prefix>.manifest", "temp-<prefix>.incr".
 * Return new dstrs. */
dstr aofBaseName(const char *prefix, long long seq, bool rdbPreamble);
dstr aofIncrName(const char *prefix, long long seq);
dstr aofManifestName(const char *prefix);
dstr aofTempIncrName(const char *prefix);

#endif
