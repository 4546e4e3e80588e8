/* cliformat.h — turning replies into the text redis-cli prints.
 *
 * Three output modes, as redis-cli 7.0:
 *  - standard (a terminal): `(integer) 1`, `"quoted"` strings escaped as
 *    sdscatrepr does, `(error) ...`, `(nil)`, numbered aggregates
 *    (`1) ` arrays, `1~ ` sets, `1# k => v` maps) indented under their
 *    index, `(empty array)`, `(double) 1.5`, `(true)`, `(big number) 123`;
 *  - raw (stdout not a terminal, or --raw): bare values, aggregate members
 *    separated by the -d delimiter, each reply followed by the -D delimiter;
 *  - csv (--csv): one line per reply, values quoted and comma-separated.
 *
 * All functions append to `out` (a dstr) and return it (possibly moved). */
#ifndef KV_CLI_FORMAT_H
#define KV_CLI_FORMAT_H

#include "clireply.h"
#include "dstr.h"

#include <stdbool.h>

#define CLI_OUTPUT_STANDARD 0
#define CLI_OUTPUT_RAW      1
#define CLI_OUTPUT_CSV      2

/* redis-cli's cliFormatReplyTTY(): prefix is the indentation of the lines
 * after the first (the caller has printed the first line's index). */
dstr cliFormatReplyTTY(dstr out, const cliReply *r, const char *prefix);

/* redis-cli's cliFormatReplyRaw(): mbDelim separates aggregate members. */
dstr cliFormatReplyRaw(dstr out, const cliReply *r, const char *mbDelim);

/* redis-cli's cliFormatReplyCSV(). */
dstr cliFormatReplyCSV(dstr out, const cliReply *r);

/* A whole reply in `mode` (CLI_OUTPUT_*), as redis-cli's cliFormatReply():
 * verbatim (for INFO, CLIENT LIST and the like) prints the raw form without
 * the reply delimiter in every mode; raw mode ends with cmdDelim, csv with a
 * newline. */
dstr cliFormatReply(dstr out, const cliReply *r, int mode, bool verbatim, const char *mbDelim,
                    const char *cmdDelim);

/* True for a RESP3 client-tracking push: >2 "invalidate" [keys...]. */
bool cliIsInvalidatePush(const cliReply *r);

/* `-> invalidate: 'k1', 'k2'` and a newline, as redis-cli shows it. */
dstr cliFormatInvalidateTTY(dstr out, const cliReply *r);

#endif
