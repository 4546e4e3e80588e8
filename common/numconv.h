/* numconv.h — string <-> number conversions with Redis 7.0's exact rules.
 *
 * Every place that turns a client's argument into a number, or a number into
 * reply bytes, goes through here so that what is accepted and what is printed
 * matches Redis 7.0 byte for byte:
 *
 *   strToLongLong / strToLong   Redis string2ll / string2l: strict decimal.
 *   strToULongLong              Redis string2ull (lax, see its comment).
 *   llToStr / ullToStr          Redis ll2string / ull2string.
 *   strToDouble                 Redis string2d / getDoubleFromObject.
 *   strToLongDouble             Redis string2ld (INCRBYFLOAT, HINCRBYFLOAT).
 *   doubleToStr                 what addReplyDouble sends in a RESP2 bulk.
 *   longDoubleToStr             Redis ld2string (AUTO / HUMAN / HEX modes).
 *
 * None of these allocate on the heap except strToDouble and strToULongLong
 * for unusually long inputs; none keep state; all are thread-safe. */
#ifndef KV_NUMCONV_H
#define KV_NUMCONV_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes needed for any long long as text plus the NUL ("-9223372036854775808"). */
#define LONG_STR_SIZE 21

/* Longest long double text Redis accepts or prints (LDBL_MAX in %Lf is ~4950
 * digits). strToLongDouble rejects inputs of this length or more, and a
 * buffer of this size always holds longDoubleToStr's output. */
#define MAX_LONG_DOUBLE_CHARS (5 * 1024)

/* A buffer of this size always holds doubleToStr's output. */
#define DOUBLE_STR_SIZE 128

/* Modes of longDoubleToStr(). */
#define LD_STR_AUTO  0 /* "%.17Lg" */
#define LD_STR_HUMAN 1 /* "%.17Lf" with trailing zeros (and '.') removed */
#define LD_STR_HEX   2 /* "%La", exact and round-trippable */

/* Parses exactly len bytes of s as a signed 64-bit decimal integer, as Redis
 * string2ll: an optional '-', then digits with no leading zero (only "0"
 * itself may start with 0, so "-0" and "01" are refused), no '+', no spaces,
 * nothing after the digits, no overflow. Stores the value in *out (if out is
 * not NULL) and returns true on success; returns false and leaves *out alone
 * otherwise. s need not be NUL-terminated. O(len). */
bool strToLongLong(const char *s, size_t len, long long *out);

/* As strToLongLong, additionally refusing values outside long's range
 * (Redis string2l). */
bool strToLong(const char *s, size_t len, long *out);

/* Parses s as an unsigned 64-bit integer the way Redis 7.0 string2ull does
 * (used for stream IDs): first the strict string2ll rules (a negative value
 * is refused), and if those fail, strtoull(), which also accepts leading
 * whitespace, a '+', leading zeros, and — a Redis quirk we keep — a '-' that
 * strtoull wraps around (" -1" gives 18446744073709551615). Refuses the
 * empty string, trailing bytes (including an embedded NUL) and overflow.
 * Returns true and sets *out (if not NULL) on success. */
bool strToULongLong(const char *s, size_t len, unsigned long long *out);

/* Writes v in decimal plus a NUL into dst (dstlen bytes; LONG_STR_SIZE is
 * always enough). Returns the number of characters written, excluding the
 * NUL, or 0 if dst is too small (then dst holds "" when dstlen > 0), as
 * Redis ll2string. Uses a two-digits-per-step table. */
int llToStr(char *dst, size_t dstlen, long long v);

/* As llToStr for an unsigned value (20 digits at most). */
int ullToStr(char *dst, size_t dstlen, unsigned long long v);

/* Number of decimal digits of v (1 for 0). */
int ullDigitCount(unsigned long long v);

/* Parses exactly len bytes of s as a double, as Redis getDoubleFromObject /
 * string2d: strtod()'s grammar (so "inf", "+inf", "-Infinity", "0x1p3" and
 * "1e5" are fine) but refusing the empty string, a leading space, any byte
 * strtod does not consume (trailing spaces, an embedded NUL), NaN, overflow
 * ("1e400") and underflow to zero ("1e-400"); a denormal result ("1e-310")
 * is accepted. Returns true and sets *out (if not NULL) on success. */
bool strToDouble(const char *s, size_t len, double *out);

/* As strToDouble for long double (Redis string2ld, used by INCRBYFLOAT):
 * same rules via strtold(), and inputs of MAX_LONG_DOUBLE_CHARS bytes or more
 * are refused. Note "inf" is accepted here; INCRBYFLOAT refuses an infinite
 * result separately. */
bool strToLongDouble(const char *s, size_t len, long double *out);

/* Formats v the way Redis 7.0's addReplyDouble does for a RESP2 bulk reply
 * (and for the RESP3 double body): "inf" / "-inf" for infinities, otherwise
 * printf "%.17g" (so 1.1 -> "1.1000000000000001", -0.0 -> "-0", 1e20 ->
 * "1e+20", NaN -> "nan" or "-nan"). Writes a NUL-terminated string into buf
 * (DOUBLE_STR_SIZE is always enough) and returns its length, or 0 if buf is
 * too small (then buf holds "" when len > 0). */
int doubleToStr(char *buf, size_t len, double v);

/* Formats v as Redis 7.0 ld2string in the given LD_STR_* mode. Infinities
 * always give "inf" / "-inf" (Redis 7.0 does this in every mode, including
 * HUMAN; INCRBYFLOAT never gets here with one because it refuses infinite
 * results first). NaN is printed by printf ("nan" / "-nan"). In LD_STR_HUMAN
 * mode the "%.17Lf" text loses trailing zeros and a trailing '.', and "-0"
 * becomes "0". Returns the length written (buf is NUL-terminated), or 0 if
 * buf is too small or mode is unknown (then buf holds "" when len > 0).
 * MAX_LONG_DOUBLE_CHARS bytes are always enough. */
int longDoubleToStr(char *buf, size_t len, long double v, int mode);

#endif
