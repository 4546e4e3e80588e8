/* reply.h — building replies into a client's reply buffer, in RESP2 or RESP3
 * according to the client's protocol (HELLO).
 *
 * Error helpers count errors for INFO errorstats and commandstats
 * failed_calls, and make sure an error message never contains CR/LF. The
 * shared error strings Redis uses everywhere are declared here once. */
#ifndef KV_REPLY_H
#define KV_REPLY_H

#include "client.h"

#include <stdarg.h>

extern const char *const errSyntax;        /* "ERR syntax error" */
extern const char *const errNotInteger;    /* value is not an integer or out of range */
extern const char *const errNotFloat;      /* value is not a valid float */
extern const char *const errWrongType;     /* WRONGTYPE Operation against a key … */
extern const char *const errNoSuchKey;     /* ERR no such key */
extern const char *const errOutOfRange;    /* ERR index out of range */
extern const char *const errDbIndex;       /* ERR DB index is out of range */
extern const char *const errSameObject;    /* unused in 7.0; kept for RENAME edge */
extern const char *const errInvalidExpire; /* "invalid expire time in '%s' command" prefix */

void addReplyRaw(Client *c, const char *p, size_t len);
void addReplyOk(Client *c);
void addReplySimple(Client *c, const char *s);
void addReplyStatusLen(Client *c, const char *s, size_t len);
/* Error without the leading '-'; "ERR " is not added: pass the full text. */
void addReplyError(Client *c, const char *msg);
void addReplyErrorLen(Client *c, const char *msg, size_t len);
void addReplyErrorFormat(Client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void addReplyErrorArity(Client *c);
void addReplyErrorWrongType(Client *c);
void addReplyErrorSubcommand(Client *c); /* unknown subcommand '…'. Try X HELP. */
/* "unknown subcommand or wrong number of arguments for '…'. Try X HELP."
 * (Redis's addReplySubcommandSyntaxError). */
void addReplySubcommandSyntaxError(Client *c);
void addReplyLongLong(Client *c, long long v);
void addReplyBulk(Client *c, const void *p, size_t len);
void addReplyBulkCString(Client *c, const char *s);
void addReplyBulkLongLong(Client *c, long long v);
void addReplyNull(Client *c);      /* $-1 or _ */
void addReplyNullArray(Client *c); /* *-1 or _ */
void addReplyArrayLen(Client *c, long long n);
void addReplyMapLen(Client *c, long long n);  /* RESP2: array of 2n */
void addReplySetLen(Client *c, long long n);  /* RESP2: array */
void addReplyPushLen(Client *c, long long n); /* RESP2: array */
void addReplyAttributeLen(Client *c, long long n);
void addReplyDouble(Client *c, double d);
void addReplyLongDouble(Client *c, long double d); /* as a bulk string (INCRBYFLOAT) */
void addReplyBool(Client *c, bool b);
void addReplyBigNum(Client *c, const char *num, size_t len);
void addReplyVerbatim(Client *c, const char *s, size_t len, const char *ext);
void addReplyHelp(Client *c, const char **lines);
/* True once c's output is thrown away for good (the client went away, was
 * killed, or overran its output limits: see clientReplyStream): a loop whose
 * length the client controls (SRANDMEMBER -count, LRANGE, KEYS…) checks it
 * every REPLY_ABORT_CHECK_EVERY elements and stops producing. Only for
 * loops that only reply: side effects must still all happen. */
#define REPLY_ABORT_CHECK_EVERY 1024
static inline bool replyAborted(const Client *c) {
    return (c->flags & CLIENT_CLOSE_ASAP) != 0;
}
/* The loop test: `if (replyAbortCheck(c, i)) break;` with i counting up. */
static inline bool replyAbortCheck(const Client *c, unsigned long long i) {
    return (i % REPLY_ABORT_CHECK_EVERY) == 0 && replyAborted(c);
}
/* A deferred aggregate length: returns a handle filled by setDeferred*
 * (every handle must be filled, in any order, before the command ends). */
size_t addReplyDeferredLen(Client *c);
void setDeferredArrayLen(Client *c, size_t handle, long long n);
void setDeferredMapLen(Client *c, size_t handle, long long n);
void setDeferredSetLen(Client *c, size_t handle, long long n);

/* Per-error-prefix counters for INFO errorstats. */
void replyErrorStatsReset(void);
dstr replyErrorStatsInfo(dstr out);
unsigned long long replyTotalErrors(void);

#endif
