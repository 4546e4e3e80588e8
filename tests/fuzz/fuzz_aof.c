/* fuzz_aof.c — libFuzzer target for the AOF formats (common/aoffile.c).
 *
 * Each input is read both ways a file reaches kvd and kv-check-aof:
 *
 *  - as an AOF: the command reader (aofReaderNext) runs to the end twice,
 *    once from a memfd (a regular file: its size is known, so a bulk longer
 *    than the rest of the file is truncation before any allocation) and
 *    once from a memory stream whose size is unknown (fileno -1: bulks are
 *    read in bounded chunks). Both must report the same items (commands,
 *    annotations, final status); offsets only grow and stay within the
 *    input; after every item the bytes allocated through mem.h stay within
 *    a bound proportional to the input (plus the reader's one 1 MB chunk),
 *    so a declared huge bulk or argument count is never allocated ahead of
 *    the bytes. An input starting with the RDB magic is left to fuzz_rdb.
 *  - as a manifest (aofManifestParse): when accepted, formatting it and
 *    parsing the result must give the same manifest again (file names that
 *    need quoting survive the round trip).
 *
 * Build and run: `make fuzz`.
 */
#include "aoffile.h"
#include "dstr.h"
#include "mem.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the reader over fp; returns a rendering of every item. */
static dstr readAll(FILE *fp, size_t size, size_t memBase) {
    AofReader r;
    aofReaderInit(&r, fp, 0);
    dstr out = dstrEmpty();
    uint64_t lastOffset = 0;
    for (int items = 0;; items++) {
        AofReadStatus st = aofReaderNext(&r);
        if (r.offset < lastOffset || r.offset > size || r.cmdStart > r.offset) abort();
        lastOffset = r.offset;
        size_t used = kvMemUsed() - memBase;
        if (used > 64 * size + (3u << 20)) abort(); /* allocated beyond the bytes */
        if (st == AOF_READ_OK) {
            if (r.argc < 1) abort();
            out = dstrCatPrintf(out, "C%d@%llu", r.argc, (unsigned long long)r.offset);
            for (int i = 0; i < r.argc; i++) {
                out = dstrCatPrintf(out, " %zu:", dstrLen(r.argv[i]));
                out = dstrCatLen(out, r.argv[i], dstrLen(r.argv[i]));
            }
            out = dstrCat(out, "\n");
        } else if (st == AOF_READ_ANNOTATION) {
            out = dstrCatPrintf(out, "A%lld:", r.timestamp);
            out = dstrCatLen(out, r.annotation, dstrLen(r.annotation));
            out = dstrCat(out, "\n");
        } else {
            if (st != AOF_READ_EOF && st != AOF_READ_TRUNCATED && st != AOF_READ_BAD_FORMAT)
                abort(); /* no I/O errors on memory */
            if (st == AOF_READ_BAD_FORMAT && !r.err[0]) abort();
            out = dstrCatPrintf(out, "S%d@%llu\n", (int)st, (unsigned long long)r.cmdStart);
            break;
        }
        if (items > (int)size) abort(); /* every item consumes bytes */
    }
    aofReaderFree(&r);
    return out;
}

static void fuzzReader(const uint8_t *data, size_t size) {
    if (size >= 5 && memcmp(data, "REDIS", 5) == 0) return;
    size_t base = kvMemUsed();

    int fd = memfd_create("fuzz_aof", 0);
    if (fd < 0) abort();
    if (size && write(fd, data, size) != (ssize_t)size) abort();
    lseek(fd, 0, SEEK_SET);
    FILE *file = fdopen(fd, "r");
    if (!file) abort();
    dstr a = readAll(file, size, base);
    fclose(file);

    /* fmemopen refuses a zero-sized buffer: feed it one spare byte it never
     * reads (the size given is the input's). */
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    FILE *mem = size ? fmemopen(copy, size, "r") : fopen("/dev/null", "r");
    if (!mem) abort();
    dstr b = readAll(mem, size, base);
    fclose(mem);
    free(copy);

    if (dstrLen(a) != dstrLen(b) || memcmp(a, b, dstrLen(a)) != 0) abort();
    dstrFree(a);
    dstrFree(b);
}

static void fuzzManifest(const uint8_t *data, size_t size) {
    AofManifest m, m2;
    char err[256];
    if (!aofManifestParse(&m, (const char *)data, size, err, sizeof(err))) {
        if (!err[0]) abort();
        return;
    }
    dstr text = aofManifestFormat(&m);
    if (!aofManifestParse(&m2, text, dstrLen(text), err, sizeof(err))) abort();
    dstr text2 = aofManifestFormat(&m2);
    if (dstrLen(text) != dstrLen(text2) || memcmp(text, text2, dstrLen(text)) != 0) abort();
    if (m.incrCount != m2.incrCount || m.historyCount != m2.historyCount || !m.base != !m2.base)
        abort();
    /* The copy and the editing calls kvd makes on a loaded manifest. kvd/aof.c
     * names the next files curIncrSeq + 1 and curBaseSeq + 1 (as Redis), so
     * a manifest at LLONG_MAX would overflow there: not exercised. */
    if (m.curIncrSeq < LLONG_MAX && m.curBaseSeq < LLONG_MAX) {
        AofManifest c;
        aofManifestCopy(&c, &m);
        aofManifestAddIncr(&c, "next.incr.aof", c.curIncrSeq + 1);
        aofManifestSetBase(&c, "next.base.rdb", c.curBaseSeq + 1);
        aofManifestRetireIncr(&c, c.incrCount);
        aofManifestClearHistory(&c);
        aofManifestFree(&c);
    }
    dstrFree(text);
    dstrFree(text2);
    aofManifestFree(&m);
    aofManifestFree(&m2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzzReader(data, size);
    fuzzManifest(data, size);
    return 0;
}
