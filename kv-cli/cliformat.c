/* cliformat.c — reply to text, byte for byte as redis-cli 7.0 (see
 * cliformat.h).
 *
 * Kept redis-cli quirks: error and status replies are printed up to their
 * first NUL byte (redis-cli formats them with %s); a map value that would
 * span several lines starts on the line below its "=>" (redis-cli's
 * cliIsMultilineValueTTY), while a one-element aggregate stays inline.
 * Beyond 7.0: RESP3 big numbers print as `(big number) N` (redis-cli 7.0's
 * hiredis cannot read them and it exits with "Unknown reply type: 13";
 * later redis-cli versions print this). */
#include "cliformat.h"

#include <stdio.h>
#include <string.h>

/* Non-zero if cliFormatReplyTTY() renders r on several lines. */
static bool isMultilineTTY(const cliReply *r) {
    switch (r->type) {
        case CLI_REPLY_ARRAY:
        case CLI_REPLY_SET:
        case CLI_REPLY_PUSH:
            if (r->elements == 0) return false;
            if (r->elements > 1) return true;
            return isMultilineTTY(r->element[0]);
        case CLI_REPLY_MAP:
            if (r->elements == 0) return false;
            if (r->elements > 2) return true;
            return isMultilineTTY(r->element[1]);
        default: return false;
    }
}

static const char *emptyAggregateText(int type) {
    switch (type) {
        case CLI_REPLY_ARRAY: return "(empty array)\n";
        case CLI_REPLY_MAP: return "(empty hash)\n";
        case CLI_REPLY_SET: return "(empty set)\n";
        case CLI_REPLY_PUSH: return "(empty push)\n";
        default: return "(empty aggregate type)\n";
    }
}

static dstr formatAggregateTTY(dstr out, const cliReply *r, const char *prefix) {
    bool isMap = r->type == CLI_REPLY_MAP;
    /* Width of the largest index; nested lines indent by that plus 2. */
    unsigned int idxlen = 0;
    size_t count = isMap ? r->elements / 2 : r->elements;
    do {
        idxlen++;
        count /= 10;
    } while (count);
    dstr nested = dstrNew(prefix);
    for (unsigned int i = 0; i < idxlen + 2; i++) nested = dstrCatLen(nested, " ", 1);
    char sep = r->type == CLI_REPLY_SET ? '~' : isMap ? '#' : ')';

    for (size_t i = 0; i < r->elements; i++) {
        size_t human = (isMap ? i / 2 : i) + 1;
        /* The first index goes where the caller left the cursor. */
        out = dstrCatPrintf(out, "%s%*zu%c ", i == 0 ? "" : prefix, (int)idxlen, human, sep);
        out = cliFormatReplyTTY(out, r->element[i], nested);
        if (isMap) {
            i++;
            dstrSetLen(out, dstrLen(out) - 1); /* the key's newline */
            out = dstrCat(out, " => ");
            if (isMultilineTTY(r->element[i])) {
                out = dstrCat(out, "\n");
                out = dstrCat(out, nested);
            }
            out = cliFormatReplyTTY(out, r->element[i], nested);
        }
    }
    dstrFree(nested);
    return out;
}

dstr cliFormatReplyTTY(dstr out, const cliReply *r, const char *prefix) {
    switch (r->type) {
        case CLI_REPLY_ERROR: return dstrCatPrintf(out, "(error) %s\n", r->str);
        case CLI_REPLY_STATUS: return dstrCatPrintf(out, "%s\n", r->str);
        case CLI_REPLY_INTEGER: return dstrCatPrintf(out, "(integer) %lld\n", r->integer);
        case CLI_REPLY_DOUBLE: return dstrCatPrintf(out, "(double) %s\n", r->str);
        case CLI_REPLY_BIGNUM: return dstrCatPrintf(out, "(big number) %s\n", r->str);
        case CLI_REPLY_STRING:
            out = dstrCatRepr(out, r->str, r->len);
            return dstrCatLen(out, "\n", 1);
        case CLI_REPLY_VERB: out = dstrCatLen(out, r->str, r->len); return dstrCatLen(out, "\n", 1);
        case CLI_REPLY_NIL: return dstrCat(out, "(nil)\n");
        case CLI_REPLY_BOOL: return dstrCat(out, r->integer ? "(true)\n" : "(false)\n");
        case CLI_REPLY_ARRAY:
        case CLI_REPLY_MAP:
        case CLI_REPLY_SET:
        case CLI_REPLY_PUSH:
            if (r->elements == 0) return dstrCat(out, emptyAggregateText(r->type));
            return formatAggregateTTY(out, r, prefix);
        default: return dstrCatPrintf(out, "(unknown reply type %d)\n", r->type);
    }
}

dstr cliFormatReplyRaw(dstr out, const cliReply *r, const char *mbDelim) {
    switch (r->type) {
        case CLI_REPLY_NIL: return out;
        case CLI_REPLY_ERROR:
            out = dstrCatLen(out, r->str, r->len);
            return dstrCatLen(out, "\n", 1);
        case CLI_REPLY_STATUS:
        case CLI_REPLY_STRING:
        case CLI_REPLY_VERB:
        case CLI_REPLY_DOUBLE:
        case CLI_REPLY_BIGNUM: return dstrCatLen(out, r->str, r->len);
        case CLI_REPLY_BOOL: return dstrCat(out, r->integer ? "(true)" : "(false)");
        case CLI_REPLY_INTEGER: return dstrCatPrintf(out, "%lld", r->integer);
        case CLI_REPLY_ARRAY:
        case CLI_REPLY_SET:
        case CLI_REPLY_PUSH:
            for (size_t i = 0; i < r->elements; i++) {
                if (i > 0) out = dstrCat(out, mbDelim);
                out = cliFormatReplyRaw(out, r->element[i], mbDelim);
            }
            return out;
        case CLI_REPLY_MAP:
            for (size_t i = 0; i + 1 < r->elements; i += 2) {
                if (i > 0) out = dstrCat(out, mbDelim);
                out = cliFormatReplyRaw(out, r->element[i], mbDelim);
                out = dstrCatLen(out, " ", 1);
                out = cliFormatReplyRaw(out, r->element[i + 1], mbDelim);
            }
            return out;
        default: return out;
    }
}

dstr cliFormatReplyCSV(dstr out, const cliReply *r) {
    switch (r->type) {
        case CLI_REPLY_ERROR:
            out = dstrCat(out, "ERROR,");
            return dstrCatRepr(out, r->str, strlen(r->str));
        case CLI_REPLY_STATUS:
        case CLI_REPLY_STRING:
        case CLI_REPLY_VERB: return dstrCatRepr(out, r->str, r->len);
        case CLI_REPLY_INTEGER: return dstrCatPrintf(out, "%lld", r->integer);
        case CLI_REPLY_DOUBLE:
        case CLI_REPLY_BIGNUM: return dstrCatLen(out, r->str, r->len);
        case CLI_REPLY_NIL: return dstrCat(out, "NULL");
        case CLI_REPLY_BOOL: return dstrCat(out, r->integer ? "true" : "false");
        case CLI_REPLY_ARRAY:
        case CLI_REPLY_SET:
        case CLI_REPLY_PUSH:
        case CLI_REPLY_MAP: /* CSV has no map type: a flat list, as redis-cli */
            for (size_t i = 0; i < r->elements; i++) {
                out = cliFormatReplyCSV(out, r->element[i]);
                if (i != r->elements - 1) out = dstrCat(out, ",");
            }
            return out;
        default: return out;
    }
}

dstr cliFormatReply(dstr out, const cliReply *r, int mode, bool verbatim, const char *mbDelim,
                    const char *cmdDelim) {
    if (verbatim) return cliFormatReplyRaw(out, r, mbDelim);
    switch (mode) {
        case CLI_OUTPUT_RAW:
            out = cliFormatReplyRaw(out, r, mbDelim);
            return dstrCat(out, cmdDelim);
        case CLI_OUTPUT_CSV: out = cliFormatReplyCSV(out, r); return dstrCatLen(out, "\n", 1);
        default: return cliFormatReplyTTY(out, r, "");
    }
}

bool cliIsInvalidatePush(const cliReply *r) {
    return r->type == CLI_REPLY_PUSH && r->elements == 2 &&
           r->element[0]->type == CLI_REPLY_STRING &&
           !strncmp(r->element[0]->str, "invalidate", 10) && r->element[1]->type == CLI_REPLY_ARRAY;
}

dstr cliFormatInvalidateTTY(dstr out, const cliReply *r) {
    const cliReply *keys = r->element[1];
    out = dstrCat(out, "-> invalidate: ");
    for (size_t i = 0; i < keys->elements; i++) {
        const cliReply *key = keys->element[i];
        out = dstrCatPrintf(out, "'%s'", key->str ? key->str : "");
        if (i < keys->elements - 1) out = dstrCat(out, ", ");
    }
    return dstrCatLen(out, "\n", 1);
}
