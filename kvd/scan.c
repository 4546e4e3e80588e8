/* scan.c — cursor and option parsing shared by the SCAN family (scan.h). */
#include "scan.h"

#include "globmatch.h"
#include "mem.h"
#include "numconv.h"
#include "reply.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

bool scanParseCursorOrReply(Client *c, const Arg *a, unsigned long *cursor) {
    char *s = kvStrndup(a->ptr, a->len);
    char *end;
    errno = 0;
    *cursor = strtoul(s, &end, 10);
    bool ok = !isspace((unsigned char)s[0]) && end[0] == '\0' && errno != ERANGE;
    kvFree(s);
    if (!ok) addReplyError(c, "ERR invalid cursor");
    return ok;
}

bool scanParseOptionsOrReply(Client *c, int first, bool allowType, ScanOptions *opt) {
    opt->count = 10;
    opt->pattern = NULL;
    opt->typeName = NULL;
    for (int i = first; i < c->argc;) {
        int left = c->argc - i;
        if (argIs(&c->argv[i], "count") && left >= 2) {
            if (!strToLongLong(c->argv[i + 1].ptr, c->argv[i + 1].len, &opt->count)) {
                addReplyError(c, errNotInteger);
                return false;
            }
            if (opt->count < 1) {
                addReplyError(c, errSyntax);
                return false;
            }
            i += 2;
        } else if (argIs(&c->argv[i], "match") && left >= 2) {
            opt->pattern = &c->argv[i + 1];
            i += 2;
        } else if (allowType && argIs(&c->argv[i], "type") && left >= 2) {
            /* Redis 7.0 accepts any type name; an unknown one matches
             * nothing (7.2 made it an error). */
            opt->typeName = &c->argv[i + 1];
            i += 2;
        } else {
            addReplyError(c, errSyntax);
            return false;
        }
    }
    opt->patternNoop = !opt->pattern || (opt->pattern->len == 1 && opt->pattern->ptr[0] == '*');
    return true;
}

static void scanCollect(void *priv, DictLink *l) {
    ScanBatch *b = priv;
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->items = kvRealloc(b->items, b->cap * sizeof(DictLink *));
    }
    b->items[b->len++] = l;
}

unsigned long scanDict(Dict *d, unsigned long cursor, long long count, ScanBatch *batch) {
    /* Bounded so that a sparse table cannot make one call take long. */
    long long maxIterations = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
    do {
        cursor = dictScan(d, cursor, scanCollect, batch);
    } while (cursor && maxIterations-- && (long long)batch->len < count);
    return cursor;
}

bool scanMatches(const ScanOptions *opt, const char *s, size_t len) {
    if (opt->patternNoop) return true;
    return globMatch(opt->pattern->ptr, opt->pattern->len, s, len, false);
}

void scanBatchFree(ScanBatch *b) {
    kvFree(b->items);
    b->items = NULL;
    b->len = b->cap = 0;
}

void scanReplyCursor(Client *c, unsigned long cursor) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lu", cursor);
    addReplyArrayLen(c, 2);
    addReplyBulk(c, buf, (size_t)n);
}
