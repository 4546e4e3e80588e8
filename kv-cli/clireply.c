/* clireply.c — RESP2/RESP3 reply reader (see clireply.h for the contract).
 *
 * Layout: the unparsed input sits in buf[pos..len). An item is a type byte,
 * a line ending in "\r\n" and, for the bulk types ('$', '=', '!'), a body of
 * the announced length plus "\r\n". Items are taken whole or not at all, so
 * an incomplete item leaves pos where it was and the next call retries it.
 * Aggregates under construction wait on `stack`: each task knows how many
 * elements it still expects; a finished item is appended to the top task,
 * and a task that has all its elements is itself a finished item for the
 * task below. With the stack empty, a finished item is the reply.
 *
 * Error texts are hiredis's, because redis-cli prints them ("Error: Protocol
 * error, got "x" as reply type byte") and scripts may match them. */
#include "clireply.h"

#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Consumed input beyond this is discarded by moving the rest down. */
#define READER_COMPACT_AT (64 * 1024)

typedef struct readTask {
    cliReply *agg;      /* the aggregate being filled */
    long long expected; /* elements it must end up with */
    size_t cap;         /* slots allocated in agg->element */
} readTask;

struct cliReader {
    char *buf;
    size_t len, pos, cap;
    /* Where the search for the line end of the item at pos resumes: bytes
     * before it were already searched, so a long line arriving in many
     * pieces is scanned once, not once per piece. */
    size_t scanFrom;
    readTask stack[CLI_READER_MAX_DEPTH];
    int depth;
    bool failed;
    char errstr[128];
};

cliReader *cliReaderCreate(void) {
    return kvCalloc(sizeof(cliReader));
}

void cliReaderFree(cliReader *r) {
    if (!r) return;
    /* An aggregate is attached to the one below only once complete, so every
     * task on the stack owns its own. */
    for (int i = 0; i < r->depth; i++) cliReplyFree(r->stack[i].agg);
    kvFree(r->buf);
    kvFree(r);
}

void cliReaderFeed(cliReader *r, const char *buf, size_t len) {
    if (len == 0) return;
    if (r->pos > 0 && (r->pos == r->len || r->pos >= READER_COMPACT_AT)) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->scanFrom = r->scanFrom > r->pos ? r->scanFrom - r->pos : 0;
        r->pos = 0;
    }
    if (r->len + len > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + len) cap *= 2;
        r->buf = kvRealloc(r->buf, cap);
        r->cap = cap;
    }
    memcpy(r->buf + r->len, buf, len);
    r->len += len;
}

const char *cliReaderError(const cliReader *r) {
    return r->failed ? r->errstr : NULL;
}

bool cliReaderHasPending(const cliReader *r) {
    return r->depth > 0 || r->pos < r->len;
}

void cliReplyFree(cliReply *r) {
    if (!r) return;
    for (size_t i = 0; i < r->elements; i++) cliReplyFree(r->element[i]);
    kvFree(r->element);
    kvFree(r->str);
    kvFree(r);
}

static int readerFail(cliReader *r, const char *fmt, const char *arg) {
    snprintf(r->errstr, sizeof(r->errstr), fmt, arg);
    r->failed = true;
    return -1;
}

/* hiredis's chrtos(): a byte as shown in "got %s as reply type byte". */
static void byteToString(char *buf, size_t size, unsigned char byte) {
    switch (byte) {
        case '\\':
        case '"': snprintf(buf, size, "\"\\%c\"", byte); break;
        case '\n': snprintf(buf, size, "\"\\n\""); break;
        case '\r': snprintf(buf, size, "\"\\r\""); break;
        case '\t': snprintf(buf, size, "\"\\t\""); break;
        case '\a': snprintf(buf, size, "\"\\a\""); break;
        case '\b': snprintf(buf, size, "\"\\b\""); break;
        default:
            if (isprint(byte))
                snprintf(buf, size, "\"%c\"", byte);
            else
                snprintf(buf, size, "\"\\x%02x\"", byte);
    }
}

/* Strict decimal: optional '-', at least one digit, nothing else, in range. */
static bool parseLongLong(const char *s, size_t len, long long *out) {
    if (len == 0 || len > 20) return false;
    char tmp[24];
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    const char *digits = tmp[0] == '-' ? tmp + 1 : tmp;
    if (*digits == '\0') return false;
    for (const char *p = digits; *p; p++)
        if (!isdigit((unsigned char)*p)) return false;
    errno = 0;
    char *end;
    long long v = strtoll(tmp, &end, 10);
    if (errno == ERANGE || *end != '\0') return false;
    *out = v;
    return true;
}

static bool validDouble(const char *s, size_t len) {
    if (len == 0 || len > 326) return false;
    char tmp[328];
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    if (!strcasecmp(tmp, "inf") || !strcasecmp(tmp, "-inf") || !strcasecmp(tmp, "nan") ||
        !strcasecmp(tmp, "-nan"))
        return true;
    char *end;
    errno = 0;
    strtod(tmp, &end);
    return *end == '\0' && !isspace((unsigned char)tmp[0]);
}

static bool validBignum(const char *s, size_t len) {
    size_t i = (len > 0 && s[0] == '-') ? 1 : 0;
    if (i == len) return false;
    for (; i < len; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

static cliReply *replyNew(int type) {
    cliReply *reply = kvCalloc(sizeof(cliReply));
    reply->type = type;
    return reply;
}

static cliReply *replyNewString(int type, const char *s, size_t len) {
    cliReply *reply = replyNew(type);
    reply->str = kvStrndup(s, len);
    reply->len = len;
    return reply;
}

static void aggregateAppend(readTask *task, cliReply *elem) {
    cliReply *agg = task->agg;
    if (agg->elements == task->cap) {
        /* Grow as elements arrive, never beyond the announced count. */
        size_t cap = task->cap ? task->cap * 2 : 8;
        if ((long long)cap > task->expected) cap = (size_t)task->expected;
        agg->element = kvRealloc(agg->element, cap * sizeof(cliReply *));
        task->cap = cap;
    }
    agg->element[agg->elements++] = elem;
}

/* A finished item: into the aggregate on top of the stack (closing every
 * aggregate that becomes complete), or out as the reply. Attributes are
 * dropped when finished. Returns the reply when the root completes. */
static cliReply *readerFinishItem(cliReader *r, cliReply *item) {
    while (1) {
        if (item->type == CLI_REPLY_ATTR) {
            cliReplyFree(item);
            return NULL;
        }
        if (r->depth == 0) return item;
        readTask *task = &r->stack[r->depth - 1];
        aggregateAppend(task, item);
        if ((long long)task->agg->elements < task->expected) return NULL;
        item = task->agg;
        r->depth--;
    }
}

/* Parses one item at pos. Returns 1 and sets *item when one was taken
 * (*item may be NULL for an aggregate header, which only pushes a task),
 * 0 when the item is incomplete, -1 on a protocol error. */
static int readerParseItem(cliReader *r, cliReply **item) {
    const char *p = r->buf + r->pos;
    size_t avail = r->len - r->pos;
    *item = NULL;
    if (avail < 1) return 0;
    const char *cr = NULL;
    size_t from = r->scanFrom > r->pos ? r->scanFrom - r->pos : 0;
    for (const char *s = memchr(p + from, '\r', avail - from); s;
         s = memchr(s + 1, '\r', avail - (size_t)(s + 1 - p))) {
        if ((size_t)(s - p) + 1 >= avail) {
            r->scanFrom = (size_t)(s - r->buf); /* "\r" is the last byte so far */
            return 0;
        }
        if (s[1] == '\n') {
            cr = s;
            break;
        }
    }
    if (!cr) {
        r->scanFrom = r->len;
        return 0;
    }
    const char *line = p + 1;
    size_t linelen = (size_t)(cr - line);
    size_t headlen = linelen + 3; /* type byte + line + "\r\n" */
    char type = p[0];
    long long n;

    switch (type) {
        case '+':
        case '-':
        case '(':
        case ',': {
            int t = type == '+'   ? CLI_REPLY_STATUS
                    : type == '-' ? CLI_REPLY_ERROR
                    : type == '(' ? CLI_REPLY_BIGNUM
                                  : CLI_REPLY_DOUBLE;
            if (t == CLI_REPLY_DOUBLE && !validDouble(line, linelen))
                return readerFail(r, "%s", "Bad double value");
            if (t == CLI_REPLY_BIGNUM && !validBignum(line, linelen))
                return readerFail(r, "%s", "Bad bignum value");
            *item = replyNewString(t, line, linelen);
            break;
        }
        case ':':
            if (!parseLongLong(line, linelen, &n)) return readerFail(r, "%s", "Bad integer value");
            *item = replyNew(CLI_REPLY_INTEGER);
            (*item)->integer = n;
            break;
        case '#':
            if (linelen != 1 || (line[0] != 't' && line[0] != 'f'))
                return readerFail(r, "%s", "Bad bool value");
            *item = replyNew(CLI_REPLY_BOOL);
            (*item)->integer = line[0] == 't';
            break;
        case '_':
            if (linelen != 0) return readerFail(r, "%s", "Bad nil value");
            *item = replyNew(CLI_REPLY_NIL);
            break;
        case '$':
        case '=':
        case '!': {
            if (!parseLongLong(line, linelen, &n) || n < -1 || n > CLI_READER_MAX_BULK)
                return readerFail(r, "%s", "Bad bulk string length");
            if (n == -1) {
                *item = replyNew(CLI_REPLY_NIL);
                break;
            }
            if (avail < headlen + (size_t)n + 2) return 0;
            const char *body = p + headlen;
            if (type == '=') {
                if (n < 4 || body[3] != ':')
                    return readerFail(r, "%s",
                                      "Verbatim string 4 bytes of content type are missing or "
                                      "incorrectly encoded.");
                *item = replyNewString(CLI_REPLY_VERB, body + 4, (size_t)n - 4);
                memcpy((*item)->vtype, body, 3);
            } else {
                *item = replyNewString(type == '$' ? CLI_REPLY_STRING : CLI_REPLY_ERROR, body,
                                       (size_t)n);
            }
            headlen += (size_t)n + 2;
            break;
        }
        case '*':
        case '%':
        case '~':
        case '>':
        case '|': {
            if (!parseLongLong(line, linelen, &n) || n < -1)
                return readerFail(r, "%s", "Bad multi-bulk length");
            bool pairs = type == '%' || type == '|';
            if (n > (pairs ? LLONG_MAX / 2 : LLONG_MAX))
                return readerFail(r, "%s", "Multi-bulk length out of range");
            if (n == -1) {
                *item = replyNew(CLI_REPLY_NIL);
                break;
            }
            int t = type == '*'   ? CLI_REPLY_ARRAY
                    : type == '%' ? CLI_REPLY_MAP
                    : type == '~' ? CLI_REPLY_SET
                    : type == '>' ? CLI_REPLY_PUSH
                                  : CLI_REPLY_ATTR;
            cliReply *agg = replyNew(t);
            if (n == 0) {
                *item = agg;
                break;
            }
            if (r->depth == CLI_READER_MAX_DEPTH) {
                cliReplyFree(agg);
                char depth[16];
                snprintf(depth, sizeof(depth), "%d", CLI_READER_MAX_DEPTH);
                return readerFail(r, "No support for nested multi bulk replies with depth > %s",
                                  depth);
            }
            r->stack[r->depth].agg = agg;
            r->stack[r->depth].expected = pairs ? n * 2 : n;
            r->stack[r->depth].cap = 0;
            r->depth++;
            break;
        }
        default: {
            char shown[16];
            byteToString(shown, sizeof(shown), (unsigned char)type);
            return readerFail(r, "Protocol error, got %s as reply type byte", shown);
        }
    }
    r->pos += headlen;
    return 1;
}

int cliReaderGetReply(cliReader *r, cliReply **reply) {
    *reply = NULL;
    if (r->failed) return -1;
    while (r->pos < r->len) {
        cliReply *item;
        int rc = readerParseItem(r, &item);
        if (rc < 0) return -1;
        if (rc == 0) break;
        if (!item) continue; /* an aggregate header: its elements follow */
        cliReply *done = readerFinishItem(r, item);
        if (done) {
            *reply = done;
            break;
        }
    }
    if (r->pos == r->len) r->pos = r->len = r->scanFrom = 0;
    return 0;
}
