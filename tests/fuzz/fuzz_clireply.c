/* fuzz_clireply.c — libFuzzer target for kv-cli's reply reader
 * (kv-cli/clireply.c) and formatter (kv-cli/cliformat.c): what a hostile or
 * broken server can make kv-cli do.
 *
 * Input layout: one seed byte, then the bytes a server sends. They are fed
 * to a cliReader in pieces of 1..N bytes (N = 8, 64, 512 or 4096 by the
 * seed's top two bits; all at once when the seed is 0) and every complete
 * reply is formatted in each output mode (standard, raw, csv, verbatim, and
 * as a client-tracking invalidation when it is one).
 *
 * Checked: a reply tree is well formed (a string is NUL-terminated at its
 * length, a map has an even number of elements, nesting within
 * CLI_READER_MAX_DEPTH); a reply written back as RESP3 reads back as the
 * same tree (same standard-mode text); a protocol error stops the reader
 * with a message and stays. ASan/LeakSanitizer catch the rest.
 *
 * Build and run: `make fuzz` (this target also links kv-cli's objects).
 */
#include "fuzz_chunks.h"
#include "cliformat.h"
#include "clireply.h"
#include "dstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void checkTree(const cliReply *r, int depth) {
    if (depth > CLI_READER_MAX_DEPTH + 1) abort();
    switch (r->type) {
        case CLI_REPLY_STRING:
        case CLI_REPLY_STATUS:
        case CLI_REPLY_ERROR:
        case CLI_REPLY_DOUBLE:
        case CLI_REPLY_BIGNUM:
        case CLI_REPLY_VERB:
            if (!r->str || r->str[r->len] != '\0') abort();
            if (r->type == CLI_REPLY_VERB && r->vtype[3] != '\0') abort();
            break;
        case CLI_REPLY_MAP:
            if (r->elements % 2) abort();
            /* fall through */
        case CLI_REPLY_ARRAY:
        case CLI_REPLY_SET:
        case CLI_REPLY_PUSH:
            if (r->elements && !r->element) abort();
            for (size_t i = 0; i < r->elements; i++) checkTree(r->element[i], depth + 1);
            break;
        case CLI_REPLY_INTEGER:
        case CLI_REPLY_NIL: break;
        case CLI_REPLY_BOOL:
            if (r->integer != 0 && r->integer != 1) abort();
            break;
        default: abort(); /* attributes are dropped, never returned */
    }
}

/* The reply as RESP3, the way a server would send it. */
static dstr encode(dstr out, const cliReply *r) {
    switch (r->type) {
        case CLI_REPLY_STRING:
            out = dstrCatPrintf(out, "$%zu\r\n", r->len);
            out = dstrCatLen(out, r->str, r->len);
            return dstrCat(out, "\r\n");
        case CLI_REPLY_ERROR: /* as a blob error: it may hold "\r\n" */
            out = dstrCatPrintf(out, "!%zu\r\n", r->len);
            out = dstrCatLen(out, r->str, r->len);
            return dstrCat(out, "\r\n");
        case CLI_REPLY_VERB:
            out = dstrCatPrintf(out, "=%zu\r\n", r->len + 4);
            out = dstrCatLen(out, r->vtype, 3); /* may hold NUL bytes */
            out = dstrCatLen(out, ":", 1);
            out = dstrCatLen(out, r->str, r->len);
            return dstrCat(out, "\r\n");
        case CLI_REPLY_STATUS:
        case CLI_REPLY_DOUBLE:
        case CLI_REPLY_BIGNUM:
            out = dstrCatLen(out,
                             r->type == CLI_REPLY_STATUS   ? "+"
                             : r->type == CLI_REPLY_DOUBLE ? ","
                                                           : "(",
                             1);
            out = dstrCatLen(out, r->str, r->len);
            return dstrCat(out, "\r\n");
        case CLI_REPLY_INTEGER: return dstrCatPrintf(out, ":%lld\r\n", r->integer);
        case CLI_REPLY_NIL: return dstrCat(out, "_\r\n");
        case CLI_REPLY_BOOL: return dstrCat(out, r->integer ? "#t\r\n" : "#f\r\n");
        default: {
            char t = r->type == CLI_REPLY_ARRAY ? '*'
                     : r->type == CLI_REPLY_MAP ? '%'
                     : r->type == CLI_REPLY_SET ? '~'
                                                : '>';
            size_t n = r->type == CLI_REPLY_MAP ? r->elements / 2 : r->elements;
            out = dstrCatPrintf(out, "%c%zu\r\n", t, n);
            for (size_t i = 0; i < r->elements; i++) out = encode(out, r->element[i]);
            return out;
        }
    }
}

static dstr formatTTY(const cliReply *r) {
    return cliFormatReply(dstrEmpty(), r, CLI_OUTPUT_STANDARD, false, "\n", "\n");
}

static void checkReply(const cliReply *r) {
    checkTree(r, 0);
    dstr tty = formatTTY(r);
    dstr raw = cliFormatReply(dstrEmpty(), r, CLI_OUTPUT_RAW, false, "\n", "\n");
    dstr csv = cliFormatReply(dstrEmpty(), r, CLI_OUTPUT_CSV, false, "\n", "\n");
    dstr verb = cliFormatReply(dstrEmpty(), r, CLI_OUTPUT_STANDARD, true, ",", "\n");
    if (cliIsInvalidatePush(r)) {
        dstr inv = cliFormatInvalidateTTY(dstrEmpty(), r);
        dstrFree(inv);
    }
    /* Round trip: the RESP3 form reads back as the same reply. */
    dstr wire = encode(dstrEmpty(), r);
    cliReader *again = cliReaderCreate();
    cliReaderFeed(again, wire, dstrLen(wire));
    cliReply *back = NULL;
    if (cliReaderGetReply(again, &back) != 0 || !back) abort();
    if (cliReaderHasPending(again)) abort();
    dstr tty2 = formatTTY(back);
    if (dstrLen(tty) != dstrLen(tty2) || memcmp(tty, tty2, dstrLen(tty)) != 0) abort();
    cliReplyFree(back);
    cliReaderFree(again);
    dstrFree(tty2);
    dstrFree(wire);
    dstrFree(tty);
    dstrFree(raw);
    dstrFree(csv);
    dstrFree(verb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned seed = data[0];
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    FuzzChunker chunker;
    fuzzChunkerInit(&chunker, seed, 8);
    cliReader *reader = cliReaderCreate();
    size_t fed = 0;
    bool failed = false;
    while (fed < len && !failed) {
        size_t chunk = fuzzChunkNext(&chunker, len - fed);
        cliReaderFeed(reader, in + fed, chunk);
        fed += chunk;
        for (;;) {
            cliReply *reply = NULL;
            int rc = cliReaderGetReply(reader, &reply);
            if (rc != 0) {
                if (reply || !cliReaderError(reader)) abort();
                cliReply *more = NULL;
                if (cliReaderGetReply(reader, &more) != -1 || more) abort(); /* sticky */
                failed = true;
                break;
            }
            if (!reply) break;
            checkReply(reply);
            cliReplyFree(reply);
        }
    }
    cliReaderFree(reader);
    return 0;
}
