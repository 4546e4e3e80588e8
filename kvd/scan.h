/* scan.h — what SCAN, HSCAN, SSCAN and ZSCAN share: the cursor syntax, the
 * MATCH/COUNT/TYPE options and collecting a batch of dict entries. */
#ifndef KV_SCAN_H
#define KV_SCAN_H

#include "client.h"
#include "dict.h"

#include <stdbool.h>

typedef struct ScanOptions {
    long long count;     /* COUNT, default 10 */
    const Arg *pattern;  /* MATCH, or NULL */
    bool patternNoop;    /* no MATCH, or MATCH * */
    const Arg *typeName; /* TYPE (SCAN only), or NULL */
} ScanOptions;

/* Entries one scan call collected (borrowed pointers). Free with
 * scanBatchFree(). */
typedef struct ScanBatch {
    DictLink **items;
    size_t len, cap;
} ScanBatch;

/* Parses a cursor the way Redis 7.0 does (strtoul on the C string): leading
 * whitespace, trailing garbage or overflow is "ERR invalid cursor"; "" is 0,
 * "-1" wraps to ULONG_MAX, "+5" is 5 — Redis quirks kept on purpose.
 * Returns false after replying. */
bool scanParseCursorOrReply(Client *c, const Arg *a, unsigned long *cursor);
/* Parses the options from argv[first] on; TYPE only when allowType.
 * Returns false after replying with Redis's error. */
bool scanParseOptionsOrReply(Client *c, int first, bool allowType, ScanOptions *opt);
/* Runs dictScan from cursor until at least opt->count entries are gathered
 * or 10 × count buckets were visited; returns the next cursor. */
unsigned long scanDict(Dict *d, unsigned long cursor, long long count, ScanBatch *batch);
/* True when the bytes pass MATCH (always, without a pattern). */
bool scanMatches(const ScanOptions *opt, const char *s, size_t len);
void scanBatchFree(ScanBatch *b);
/* Replies the cursor part: `*2`, then the cursor as a bulk string. */
void scanReplyCursor(Client *c, unsigned long cursor);

#endif
