/* conf.h — the redis.conf file syntax: splitting lines into arguments,
 * memory units, and loading files with `include`.
 *
 * This module knows the syntax only, not the directives: the loader calls
 * back for every directive line, and the program's config table (kvd's
 * config.c, kv-sentinel's) decides what the words mean. kv-cli also uses
 * confSplitArgsLen() to parse the lines typed at its prompt, exactly as
 * redis-cli does with sdssplitargs().
 *
 * Allocation goes through mem.h (kvMalloc & co.); everything returned to
 * the caller is freed as each function states. */
#ifndef KV_CONF_H
#define KV_CONF_H

#include <stdbool.h>
#include <stddef.h>

/* Return codes of the loaders. */
#define CONF_OK       0
#define CONF_ERR      -1 /* a bad line: *err is the body of a FATAL CONFIG FILE ERROR */
#define CONF_ERR_OPEN -2 /* a file could not be opened: *err is a log line */

/* Deepest chain of `include` directives the loaders follow; beyond it the
 * include is refused (Redis has no limit and recurses until it crashes on an
 * include loop). */
#define CONF_MAX_INCLUDE_DEPTH 16

/* Splits line (NUL-terminated) into arguments with the exact rules of Redis's
 * sdssplitargs():
 *
 *  - arguments are separated by runs of whitespace (isspace: space, \t, \n,
 *    \v, \f, \r); an unquoted argument ends at space, \t, \n, \r or the end
 *    of the line (a \v or \f inside a word is kept as part of it);
 *  - "double quotes" may open anywhere in a word (foo"bar" is foobar) and
 *    understand \n \r \t \b \a, \xHH (two hex digits) and \<any byte> for
 *    that byte (so \\ and \");
 *  - 'single quotes' take everything literally except \' for a quote;
 *  - a closing quote must be followed by whitespace or the end of the line,
 *    and every quote must be closed, otherwise the line is refused.
 *
 * Returns a kvMalloc'd vector of *argc kvMalloc'd NUL-terminated strings,
 * followed by a NULL entry; an empty or all-blank line gives *argc == 0 and
 * a non-NULL vector. Returns NULL (and *argc == 0) for a refused line. Free
 * the result with confFreeArgs(). Arguments may contain NUL bytes (from \x00);
 * use confSplitArgsLen() where that matters. */
char **confSplitArgs(const char *line, int *argc);

/* As confSplitArgs(), and if lens is not NULL also stores in *lens a
 * kvMalloc'd array of the *argc argument lengths (free it with kvFree(); it
 * is NULL when the line is refused). This is the binary-safe form. */
char **confSplitArgsLen(const char *line, int *argc, size_t **lens);

/* Frees a vector returned by confSplitArgs*() (argc entries). NULL is fine. */
void confFreeArgs(char **argv, int argc);

/* Quotes len bytes of s the way Redis's sdscatrepr() does, for writing a
 * value back into a config file or showing it to a user: wrapped in double
 * quotes, with \\ \" \n \r \t \a \b escaped, other printable ASCII as is and
 * every other byte as \xHH (lowercase hex). confSplitArgs() reads the result
 * back as the original bytes. Returns a kvMalloc'd string; free with kvFree(). */
char *confQuote(const char *s, size_t len);

/* Parses a memory amount as Redis 7.0's memtoull(): digits, then an optional
 * unit, case-insensitive: b (1), k (1000), kb (1024), m (1000^2),
 * mb (1024^2), g (1000^3), gb (1024^3). Refuses a leading '-', spaces, '+',
 * decimals and unknown units. Kept Redis quirks: "" and a bare unit ("kb")
 * parse as 0; a number too large for 64 bits parses as ULLONG_MAX; and the
 * multiplication by the unit is not checked for overflow (it wraps).
 * Returns true and stores the byte count in *out (if not NULL). */
bool confParseMemory(const char *s, unsigned long long *out);

/* Called by the loaders for each directive line: argv[0] is the directive
 * name, already lowercased (as Redis does); argv[1..argc) its arguments, as
 * confSplitArgs() gives them (argv[argc] is NULL). file is the file the line
 * came from (for a wildcard include, the include pattern; NULL for text given
 * as a string) and lineno its 1-based line number there. The arguments are
 * borrowed for the duration of the call.
 *
 * Return 0 to go on, or -1 to stop loading: then set *err to the reason
 * (a kvMalloc'd string the loader takes ownership of, e.g. from kvStrdup())
 * or leave it NULL for "Bad directive or wrong number of arguments". */
typedef int (*confLineFn)(void *ctx, int argc, char **argv, const char *file, int lineno,
                          char **err);

/* Loads text as the body of a config file (no file name, file == NULL in
 * callbacks). Per line, as Redis's loadServerConfigFromString(): the line is
 * trimmed of spaces, tabs, \r and \n at both ends; blank lines and lines
 * starting with '#' are skipped; the rest is split with confSplitArgs()
 * (a refused line is the error "Unbalanced quotes in configuration line");
 * a line of no arguments is skipped; `include <path>` (exactly one argument)
 * loads that file in place — a relative path is relative to the current
 * directory, and a path with *, ? or [ is a glob(3) pattern whose files are
 * read in order and concatenated (no match: nothing happens); any other line
 * goes to fn.
 *
 * Returns CONF_OK; CONF_ERR when a line is refused, with *err set to
 * "Reading the configuration file, at line N\n>>> 'LINE'\nREASON" for the
 * caller to print after its "*** FATAL CONFIG FILE ERROR (...) ***" header;
 * or CONF_ERR_OPEN when an included file cannot be opened, with *err set to
 * "Fatal error, can't open config file 'PATH': REASON" (Redis logs that at
 * warning level). *err is kvMalloc'd: free with kvFree(). Directives loaded
 * before an error stay applied. */
int confLoadString(const char *text, confLineFn fn, void *ctx, char **err);

/* Reads the file at path and loads it as confLoadString() does, with file
 * set to path in callbacks. A missing or unreadable file is CONF_ERR_OPEN. */
int confLoadFile(const char *path, confLineFn fn, void *ctx, char **err);

/* What redis-server's startup does with its config sources: the text of the
 * file at path (if path is not NULL), then all of standard input (if
 * readStdin; Redis does this when the config file argument is "-"), then,
 * if options is not NULL, a newline and options (the command-line
 * "--name value" arguments already turned into config lines), all loaded as
 * one text. Line numbers in errors therefore count through the file into the
 * options, as in Redis. Callbacks see file == path. Returns as
 * confLoadString(). */
int confLoadServerConfig(const char *path, bool readStdin, const char *options, confLineFn fn,
                         void *ctx, char **err);

#endif
