/* fuzz_resp.c — libFuzzer target for the RESP request parser (common/resp.c).
 *
 * Input layout: 4 option bytes, then the byte stream a client sends.
 *   [0] flags: bit 0 unauthenticated (Redis's tighter pre-AUTH limits),
 *       bit 1 a large proto-max-bulk-len (1 MB, so bulks pass RESP_BIG_ARG
 *       and the big-argument path runs) instead of a tiny one, bit 2 a
 *       filler of RESP_MAX_INLINE bytes is sent first (its first byte is
 *       '*' when bit 3 is set, so the header-line limits are hit too);
 *   [1] proto-max-bulk-len / 4 when bit 1 is clear (0..1020);
 *   [2] query buffer limit, in 256-byte units, plus 16 bytes (as kvd's
 *       client-query-buffer-limit: the client is dropped when its unparsed
 *       bytes exceed it);
 *   [3] seed of the chunk sizes: the stream is fed in pieces of 1..N bytes
 *       (N = 16, 128, 1024 or 8192 by its top two bits; the filler comes in
 *       one piece), appended to a query buffer that is consumed from the
 *       front, the way kvd/client.c drives the parser; it is also parsed
 *       whole, for comparison.
 *
 * Checked on every outcome: a request's arguments lie inside the bytes it
 * consumed, bulk lengths respect proto-max-bulk-len and the pre-AUTH
 * limits, argc respects RESP_MAX_ARGS; bigArgNeed is exactly what the
 * current big bulk still lacks; an error has a message (it may hold a CR or
 * LF from the offending byte: kvd's addReplyErrorLen turns those into
 * spaces, as Redis); a parsed request or an error stands when the parser is
 * called again before respRequestReset (kvd re-runs a request it left in the
 * buffer while clients were paused, and inline requests are unescaped in
 * place, so splitting them twice would read rewritten bytes). The fragmented run must give the same
 * requests as parsing the whole stream at once (or a prefix of them when the
 * query buffer limit dropped the client). ASan catches reads beyond the
 * buffer: the query buffer is exactly as long as the bytes received.
 *
 * Build and run: `make fuzz`.
 */
#include "fuzz_chunks.h"
#include "dstr.h"
#include "resp.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Options {
    bool unauthenticated;
    long long maxBulkLen;
    size_t qbufLimit;
} Options;

static dstr renderArg(dstr out, const char *p, size_t len) {
    out = dstrCatPrintf(out, "[%zu:", len);
    out = dstrCatLen(out, p, len);
    return dstrCatLen(out, "]", 1);
}

/* Aborts unless the parser's answer on buf[0..len) is sane. */
static void checkOutcome(RespRequestParser *p, int r, char *buf, size_t len, size_t consumed,
                         const Options *o) {
    if (r == RESP_OK) {
        if (consumed == 0 || consumed > len) abort();
        if (p->argc < 0 || p->argc > RESP_MAX_ARGS) abort();
        bool multibulk = buf[0] == '*';
        if (multibulk && p->unauthenticated && p->argc > 10) abort();
        for (int i = 0; i < p->argc; i++) {
            const RespArg *a = &p->args[i];
            if (a->off > consumed || a->len > consumed - a->off) abort();
            if (multibulk && (long long)a->len > o->maxBulkLen) abort();
            if (multibulk && p->unauthenticated && a->len > 16384) abort();
        }
    } else if (r == RESP_ERROR) {
        if (!p->error || !p->error[0]) abort();
    } else if (r == RESP_INCOMPLETE) {
        if (p->bigArgNeed > 0) {
            /* Only while a big bulk is being received, and never more than
             * the bytes it still lacks. */
            if (p->bulkLen < RESP_BIG_ARG) abort();
            if (p->bigArgNeed > (size_t)p->bulkLen + 2) abort();
            if (p->pos + (size_t)p->bulkLen + 2 - p->bigArgNeed != len) abort();
        }
    } else {
        abort();
    }
}

/* Feeds stream[0..len) in chunks chosen by seed (0: all at once); returns the
 * rendered requests, then "E:<msg>" on an error, "L" when the query buffer
 * limit dropped the client, or "P<n>" for n unparsed bytes left. */
static dstr feed(const char *stream, size_t len, size_t filler, unsigned seed, const Options *o,
                 bool limit) {
    RespRequestParser p;
    respRequestInit(&p, o->maxBulkLen);
    p.unauthenticated = o->unauthenticated;
    dstr q = dstrEmpty();
    dstr out = dstrEmpty();
    size_t fed = 0;
    FuzzChunker chunker;
    fuzzChunkerInit(&chunker, seed, 16); /* pieces up to 16, 128, 1024 or 8192 */
    bool done = false;
    while (fed < len && !done) {
        size_t chunk = fuzzChunkNext(&chunker, len - fed);
        /* The filler arrives whole: feeding it by small pieces only costs
         * time (each piece rescans the inline line, as Redis). */
        if (seed && fed == 0 && filler) chunk = filler < len ? filler : len;
        /* The query buffer holds exactly the bytes received, so a read past
         * them is an ASan report. */
        dstr grown = dstrNewLen(q, dstrLen(q));
        grown = dstrCatLen(grown, stream + fed, chunk);
        dstrFree(q);
        q = grown;
        fed += chunk;
        if (limit && dstrLen(q) > o->qbufLimit) {
            out = dstrCat(out, "L\n");
            done = true;
            break;
        }
        size_t qpos = 0;
        while (qpos < dstrLen(q)) {
            size_t consumed = 0;
            char *base = q + qpos;
            size_t avail = dstrLen(q) - qpos;
            int r = respRequestParse(&p, base, avail, &consumed);
            checkOutcome(&p, r, base, avail, consumed, o);
            if (r == RESP_INCOMPLETE) break;
            if (r == RESP_ERROR) {
                dstr first = dstrNew(p.error);
                out = dstrCatPrintf(out, "E:%s\n", first);
                /* Sticky: the same bytes fail the same way. */
                size_t again = 0;
                if (respRequestParse(&p, base, avail, &again) != RESP_ERROR) abort();
                if (strcmp(p.error, first) != 0) abort();
                dstrFree(first);
                done = true;
                break;
            }
            /* Kept until reset (a paused client runs it later). */
            size_t again = 0;
            int argc = p.argc;
            if (respRequestParse(&p, base, avail, &again) != RESP_OK || again != consumed ||
                p.argc != argc)
                abort();
            for (int i = 0; i < p.argc; i++)
                out = renderArg(out, base + p.args[i].off, p.args[i].len);
            out = dstrCatLen(out, "\n", 1);
            qpos += consumed;
            respRequestReset(&p);
        }
        dstrConsume(q, qpos);
    }
    if (!done && fed == len && dstrLen(q)) out = dstrCatPrintf(out, "P%zu\n", dstrLen(q));
    dstrFree(q);
    respRequestFree(&p);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    Options o;
    o.unauthenticated = data[0] & 1;
    o.maxBulkLen = (data[0] & 2) ? 1024 * 1024 : (long long)data[1] * 4;
    o.qbufLimit = (size_t)data[2] * 256 + 16;
    unsigned seed = data[3];
    bool filler = data[0] & 4;

    const char *stream = (const char *)data + 4;
    size_t len = size - 4;
    char *withFiller = NULL;
    if (filler) {
        withFiller = malloc(RESP_MAX_INLINE + len + 1);
        memset(withFiller, 'a', RESP_MAX_INLINE);
        if (data[0] & 8) withFiller[0] = '*';
        memcpy(withFiller + RESP_MAX_INLINE, stream, len);
        stream = withFiller;
        len += RESP_MAX_INLINE;
        o.qbufLimit += RESP_MAX_INLINE;
    }

    size_t fillerLen = filler ? RESP_MAX_INLINE : 0;
    dstr pieces = feed(stream, len, fillerLen, seed ? seed : 1, &o, true);
    dstr whole = feed(stream, len, 0, 0, &o, false);
    /* Where a size limit depends on how the bytes arrived (the filler), the
     * outcomes may differ as they do in Redis; otherwise they must agree,
     * up to where the query buffer limit dropped the client. */
    if (!filler) {
        size_t pl = dstrLen(pieces);
        if (pl >= 2 && memcmp(pieces + pl - 2, "L\n", 2) == 0) {
            if (pl - 2 > dstrLen(whole) || memcmp(pieces, whole, pl - 2) != 0) abort();
        } else if (dstrLen(pieces) != dstrLen(whole) ||
                   memcmp(pieces, whole, dstrLen(whole)) != 0) {
            abort();
        }
    }
    dstrFree(pieces);
    dstrFree(whole);
    free(withFiller);
    return 0;
}
