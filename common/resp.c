/* resp.c — RESP request parser and reply encoders (see resp.h). */
#include "resp.h"

#include "mem.h"
#include "numconv.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

void respRequestInit(RespRequestParser *p, long long maxBulkLen) {
    memset(p, 0, sizeof(*p));
    p->maxBulkLen = maxBulkLen;
    p->bulkLen = -1;
}

void respRequestReset(RespRequestParser *p) {
    p->kind = 0;
    p->multibulkLeft = 0;
    p->bulkLen = -1;
    p->pos = 0;
    p->argc = 0;
    p->bigArgNeed = 0;
    p->completeLen = 0;
    p->error = NULL;
}

void respRequestFree(RespRequestParser *p) {
    kvFree(p->args);
    p->args = NULL;
    p->argcap = 0;
}

static void respPushArg(RespRequestParser *p, size_t off, size_t len) {
    if (p->argc == p->argcap) {
        int cap = p->argcap ? p->argcap * 2 : 8;
        p->args = kvRealloc(p->args, (size_t)cap * sizeof(RespArg));
        p->argcap = cap;
    }
    p->args[p->argc].off = off;
    p->args[p->argc].len = len;
    p->argc++;
}

static int respHexVal(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return 0;
}

/* Splits the inline line [0, end) in place with redis-cli quoting rules.
 * Returns false on unbalanced quotes. */
static bool respSplitInline(RespRequestParser *p, char *buf, size_t end) {
    size_t r = 0;
    for (;;) {
        while (r < end && isspace((unsigned char)buf[r])) r++;
        if (r >= end) return true;
        size_t start = r, w = r;
        bool inq = false, insq = false, done = false;
        while (!done) {
            if (inq) {
                if (r >= end) return false;
                if (buf[r] == '\\' && r + 3 < end && buf[r + 1] == 'x' &&
                    isxdigit((unsigned char)buf[r + 2]) && isxdigit((unsigned char)buf[r + 3])) {
                    buf[w++] = (char)(respHexVal(buf[r + 2]) * 16 + respHexVal(buf[r + 3]));
                    r += 4;
                } else if (buf[r] == '\\' && r + 1 < end) {
                    char c;
                    r++;
                    switch (buf[r]) {
                        case 'n': c = '\n'; break;
                        case 'r': c = '\r'; break;
                        case 't': c = '\t'; break;
                        case 'b': c = '\b'; break;
                        case 'a': c = '\a'; break;
                        default: c = buf[r]; break;
                    }
                    buf[w++] = c;
                    r++;
                } else if (buf[r] == '"') {
                    /* A closing quote must be followed by a space or nothing. */
                    if (r + 1 < end && !isspace((unsigned char)buf[r + 1])) return false;
                    done = true;
                    r++;
                } else {
                    buf[w++] = buf[r++];
                }
            } else if (insq) {
                if (r >= end) return false;
                if (buf[r] == '\\' && r + 1 < end && buf[r + 1] == '\'') {
                    buf[w++] = '\'';
                    r += 2;
                } else if (buf[r] == '\'') {
                    if (r + 1 < end && !isspace((unsigned char)buf[r + 1])) return false;
                    done = true;
                    r++;
                } else {
                    buf[w++] = buf[r++];
                }
            } else {
                char ch = r < end ? buf[r] : '\0';
                if (r >= end) {
                    done = true;
                } else if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\0') {
                    /* Unquoted words end only at these bytes, as in redis-cli's
                     * splitting; \v and \f stay inside the word. */
                    done = true;
                    r++;
                } else if (buf[r] == '"') {
                    inq = true;
                    r++;
                } else if (buf[r] == '\'') {
                    insq = true;
                    r++;
                } else {
                    buf[w++] = buf[r++];
                }
            }
        }
        respPushArg(p, start, w - start);
    }
}

static int respParseInline(RespRequestParser *p, char *buf, size_t len, size_t *consumed) {
    /* Redis finds the line end with strchr(), so a NUL byte before the '\n'
     * hides it: such a request stays incomplete until the inline limit
     * refuses it. Odd, but matched (checked against redis-server 7.0.15). */
    char *nl = memchr(buf, '\n', strnlen(buf, len));
    if (!nl) {
        if (len > RESP_MAX_INLINE) {
            p->error = "Protocol error: too big inline request";
            return RESP_ERROR;
        }
        return RESP_INCOMPLETE;
    }
    size_t lineEnd = (size_t)(nl - buf);
    size_t end = lineEnd;
    if (end > 0 && buf[end - 1] == '\r') end--;
    p->argc = 0;
    if (!respSplitInline(p, buf, end)) {
        p->argc = 0;
        p->error = "Protocol error: unbalanced quotes in request";
        return RESP_ERROR;
    }
    *consumed = lineEnd + 1;
    return RESP_OK;
}

static int respParseMultibulk(RespRequestParser *p, char *buf, size_t len, size_t *consumed) {
    if (p->multibulkLeft == 0 && p->argc == 0 && p->pos == 0) {
        char *cr = memchr(buf, '\r', len);
        if (!cr) {
            if (len > RESP_MAX_INLINE) {
                p->error = "Protocol error: too big mbulk count string";
                return RESP_ERROR;
            }
            return RESP_INCOMPLETE;
        }
        size_t crpos = (size_t)(cr - buf);
        if (crpos + 1 >= len) return RESP_INCOMPLETE; /* wait for the \n */
        long long n;
        if (!strToLongLong(buf + 1, crpos - 1, &n) || n > INT_MAX) {
            p->error = "Protocol error: invalid multibulk length";
            return RESP_ERROR;
        }
        if (n > 10 && p->unauthenticated) {
            p->error = "Protocol error: unauthenticated multibulk length";
            return RESP_ERROR;
        }
        if (n > RESP_MAX_ARGS) {
            p->error = "Protocol error: invalid multibulk length";
            return RESP_ERROR;
        }
        p->pos = crpos + 2;
        if (n <= 0) {
            *consumed = p->pos;
            return RESP_OK; /* empty request: nothing to run */
        }
        p->multibulkLeft = n;
    }
    while (p->multibulkLeft > 0) {
        if (p->bulkLen == -1) {
            if (p->pos >= len) return RESP_INCOMPLETE;
            char *cr = memchr(buf + p->pos, '\r', len - p->pos);
            if (!cr) {
                if (len - p->pos > RESP_MAX_INLINE) {
                    p->error = "Protocol error: too big bulk count string";
                    return RESP_ERROR;
                }
                return RESP_INCOMPLETE;
            }
            size_t crpos = (size_t)(cr - buf);
            if (crpos + 1 >= len) return RESP_INCOMPLETE;
            if (buf[p->pos] != '$') {
                snprintf(p->errbuf, sizeof(p->errbuf), "Protocol error: expected '$', got '%c'",
                         buf[p->pos]);
                p->error = p->errbuf;
                return RESP_ERROR;
            }
            long long bl;
            if (!strToLongLong(buf + p->pos + 1, crpos - p->pos - 1, &bl) || bl < 0 ||
                bl > p->maxBulkLen) {
                p->error = "Protocol error: invalid bulk length";
                return RESP_ERROR;
            }
            if (bl > 16384 && p->unauthenticated) {
                p->error = "Protocol error: unauthenticated bulk length";
                return RESP_ERROR;
            }
            p->bulkLen = bl;
            p->pos = crpos + 2;
        }
        size_t need = (size_t)p->bulkLen + 2;
        if (len - p->pos < need) {
            p->bigArgNeed = p->bulkLen >= RESP_BIG_ARG ? need - (len - p->pos) : 0;
            return RESP_INCOMPLETE;
        }
        p->bigArgNeed = 0;
        respPushArg(p, p->pos, (size_t)p->bulkLen);
        p->pos += need;
        p->bulkLen = -1;
        p->multibulkLeft--;
    }
    *consumed = p->pos;
    return RESP_OK;
}

static int respRequestParseStep(RespRequestParser *p, char *buf, size_t len, size_t *consumed) {
    if (len == 0) return RESP_INCOMPLETE;
    if (p->kind == 0) p->kind = buf[0] == '*' ? 2 : 1;
    if (p->kind == 1) return respParseInline(p, buf, len, consumed);
    return respParseMultibulk(p, buf, len, consumed);
}

int respRequestParse(RespRequestParser *p, char *buf, size_t len, size_t *consumed) {
    /* Both outcomes stand until respRequestReset: an inline request is
     * unescaped in place, so splitting its bytes a second time (a request
     * left in the buffer while clients are paused, or parsed again after an
     * error) would read the already rewritten bytes. */
    if (p->error) return RESP_ERROR;
    if (p->completeLen) {
        *consumed = p->completeLen;
        return RESP_OK;
    }
    int r = respRequestParseStep(p, buf, len, consumed);
    if (r == RESP_OK) p->completeLen = *consumed;
    return r;
}

/* ---- encoders ---- */

static inline dstr respAddPrefixed(dstr b, char type, long long n) {
    b = dstrMakeRoom(b, 24);
    char *w = b + dstrLen(b);
    w[0] = type;
    int l = llToStr(w + 1, LONG_STR_SIZE, n);
    w[l + 1] = '\r';
    w[l + 2] = '\n';
    dstrIncrLen(b, (size_t)l + 3);
    return b;
}

dstr respAddSimple(dstr b, const char *s, size_t len) {
    b = dstrMakeRoom(b, len + 3);
    char *w = b + dstrLen(b);
    w[0] = '+';
    memcpy(w + 1, s, len);
    w[len + 1] = '\r';
    w[len + 2] = '\n';
    dstrIncrLen(b, len + 3);
    return b;
}

dstr respAddError(dstr b, const char *s, size_t len) {
    b = dstrMakeRoom(b, len + 3);
    char *w = b + dstrLen(b);
    w[0] = '-';
    memcpy(w + 1, s, len);
    w[len + 1] = '\r';
    w[len + 2] = '\n';
    dstrIncrLen(b, len + 3);
    return b;
}

dstr respAddInteger(dstr b, long long v) {
    return respAddPrefixed(b, ':', v);
}

dstr respAddBulk(dstr b, const void *p, size_t len) {
    b = respAddPrefixed(b, '$', (long long)len);
    b = dstrMakeRoom(b, len + 2);
    char *w = b + dstrLen(b);
    memcpy(w, p, len);
    w[len] = '\r';
    w[len + 1] = '\n';
    dstrIncrLen(b, len + 2);
    return b;
}

dstr respAddHeader(dstr b, char type, long long n) {
    return respAddPrefixed(b, type, n);
}
