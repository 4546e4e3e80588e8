/* resp.h — the RESP wire protocol: a request parser with no I/O, and reply
 * encoders.
 *
 * Request parser
 * --------------
 * Feed it the bytes of the current request (from its first byte; each call
 * may see more bytes than the last) and it answers RESP_OK with argc/args set
 * (args are offsets into the buffer so the caller may move or grow the buffer
 * between calls), RESP_INCOMPLETE when more bytes are needed (it remembers
 * how far it got, so a slowly arriving request is parsed in linear time), or
 * RESP_ERROR with `error` holding the exact message Redis 7.0 sends (the
 * caller replies with it and closes the connection). A request parsed (OK)
 * or refused (ERROR) stays so: later calls answer the same, without looking
 * at the buffer, until respRequestReset() — an inline request is unescaped
 * in place, so its bytes cannot be split a second time. A caller that must
 * run a parsed request later (clients paused) keeps the parser as it is.
 *
 * Both forms Redis accepts are handled: multibulk (`*N\r\n$L\r\n...`) and
 * inline (`SET a "b c"\r\n`, split with redis-cli quoting rules; inline
 * arguments are unescaped in place, which never lengthens them).
 *
 * Limits on untrusted sizes are checked before anything is allocated: the
 * argument count (RESP_MAX_ARGS), each bulk length (maxBulkLen, the
 * proto-max-bulk-len directive), header lines and inline requests
 * (RESP_MAX_INLINE). The args array grows as arguments actually arrive, never
 * to a size the client merely announced.
 *
 * Reply encoders append one RESP element to a dstr and return it.
 */
#ifndef KV_RESP_H
#define KV_RESP_H

#include "dstr.h"

#include <stdbool.h>
#include <stddef.h>

#define RESP_OK         0
#define RESP_INCOMPLETE 1
#define RESP_ERROR      2

#define RESP_MAX_INLINE (64 * 1024)
#define RESP_MAX_ARGS   (1024 * 1024)
/* Bulk arguments at least this big are worth a buffer of their own size. */
#define RESP_BIG_ARG (32 * 1024)

typedef struct RespArg {
    size_t off; /* from the first byte of the request */
    size_t len;
} RespArg;

typedef struct RespRequestParser {
    long long maxBulkLen; /* proto-max-bulk-len */
    bool unauthenticated; /* tighter limits before AUTH, as Redis */
    /* parse state (respRequestReset clears it) */
    int kind; /* 0 not started, 1 inline, 2 multibulk */
    long long multibulkLeft;
    long long bulkLen; /* -1 while waiting for the next $ header */
    size_t pos;
    int argc;
    int argcap;
    RespArg *args;
    size_t bigArgNeed;  /* when > 0: bytes the current big bulk still needs */
    size_t completeLen; /* > 0 once a request was parsed: its size */
    const char *error;
    char errbuf[64];
} RespRequestParser;

void respRequestInit(RespRequestParser *p, long long maxBulkLen);
/* Readies the parser for the next request (keeps the args array). */
void respRequestReset(RespRequestParser *p);
void respRequestFree(RespRequestParser *p);
/* See the header comment. On RESP_OK *consumed is the request's size. */
int respRequestParse(RespRequestParser *p, char *buf, size_t len, size_t *consumed);

/* ---- reply encoders ---- */
dstr respAddSimple(dstr b, const char *s, size_t len); /* +s */
dstr respAddError(dstr b, const char *s, size_t len);  /* -s (s must not contain \r\n) */
dstr respAddInteger(dstr b, long long v);              /* :v */
dstr respAddBulk(dstr b, const void *p, size_t len);   /* $len p */
/* An aggregate header: type is '*', '%', '~', '>' or '|'. */
dstr respAddHeader(dstr b, char type, long long n);

#endif
