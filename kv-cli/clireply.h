/* clireply.h — the client side of RESP: a reply reader with no I/O and the
 * reply tree it builds.
 *
 * Why not hiredis's redisReader: Debian's libhiredis 0.14 reads RESP2 only
 * (it refuses '%', '~', ',', '#', '_', '=', '(', '>' as "Protocol error"),
 * while kv-cli must show RESP3 replies after HELLO 3 or -3. The reader follows
 * hiredis's read.c design: feed bytes as they arrive, ask for a reply, get
 * NULL until one is complete; the partly built tree waits on a stack, so a
 * reply arriving in many pieces is parsed once. Errors stay on the reader
 * (`cliReaderError`) with hiredis's wording, which redis-cli prints after
 * "Error: ".
 *
 * Untrusted sizes are bounded: nesting depth (CLI_READER_MAX_DEPTH), and an
 * aggregate's element array grows as elements arrive, never to a size the
 * peer merely announced. A bulk is kept in the input buffer until it is
 * complete, so its announced length is never allocated ahead of the bytes.
 *
 * The type numbers are hiredis 1.x's, so code written against redisReply
 * reads the same. Attributes ('|') are parsed and dropped: they decorate the
 * reply that follows and redis-cli has no way to show them. */
#ifndef KV_CLI_REPLY_H
#define KV_CLI_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_REPLY_STRING  1
#define CLI_REPLY_ARRAY   2
#define CLI_REPLY_INTEGER 3
#define CLI_REPLY_NIL     4
#define CLI_REPLY_STATUS  5
#define CLI_REPLY_ERROR   6
#define CLI_REPLY_DOUBLE  7
#define CLI_REPLY_BOOL    8
#define CLI_REPLY_MAP     9
#define CLI_REPLY_SET     10
#define CLI_REPLY_ATTR    11
#define CLI_REPLY_PUSH    12
#define CLI_REPLY_BIGNUM  13
#define CLI_REPLY_VERB    14

/* Aggregates nested deeper than this are a protocol error. */
#define CLI_READER_MAX_DEPTH 128
/* A single bulk longer than this is a protocol error (4 GB). */
#define CLI_READER_MAX_BULK (4LL * 1024 * 1024 * 1024)

typedef struct cliReply {
    int type;          /* CLI_REPLY_* */
    long long integer; /* INTEGER; BOOL (0 or 1) */
    size_t len;        /* bytes in str */
    char *str;         /* STRING, STATUS, ERROR, DOUBLE (its text), BIGNUM,
                        * VERB (the text after "xxx:"); NUL-terminated */
    char vtype[4];     /* VERB: the 3-letter format ("txt", "mkd"), NUL-terminated */
    size_t elements;   /* ARRAY, SET, PUSH: element count; MAP: 2 * pairs */
    struct cliReply **element;
} cliReply;

typedef struct cliReader cliReader;

/* Returns a new reader; free with cliReaderFree(). Never NULL. */
cliReader *cliReaderCreate(void);
void cliReaderFree(cliReader *r);

/* Appends len bytes (copied) to the reader's input. */
void cliReaderFeed(cliReader *r, const char *buf, size_t len);

/* Parses as far as the input allows. Returns 0 and sets *reply to the next
 * complete reply (the caller owns it: cliReplyFree()), or to NULL when more
 * bytes are needed. Returns -1 on a protocol error: the reader is then
 * unusable and cliReaderError() says why. */
int cliReaderGetReply(cliReader *r, cliReply **reply);

/* The protocol error message, or NULL if none happened. */
const char *cliReaderError(const cliReader *r);

/* True if bytes of an unfinished reply are waiting in the reader. */
bool cliReaderHasPending(const cliReader *r);

/* Frees a reply and everything inside it. NULL is fine. */
void cliReplyFree(cliReply *r);

#endif
