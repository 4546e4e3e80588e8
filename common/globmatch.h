/* globmatch.h — glob-style pattern matching with Redis 7.0's stringmatchlen
 * rules. (Not named glob.h: common/ is on the include path, and a glob.h there
 * would hide the C library's <glob.h>, which conf.c needs for glob(3).)
 *
 * Used by KEYS, SCAN/HSCAN/SSCAN/ZSCAN MATCH, PSUBSCRIBE, CONFIG GET, ACL key
 * and channel patterns, CLIENT KILL / COMMAND LIST FILTERBY PATTERN and the
 * config loader. The grammar:
 *
 *   *        any run of bytes (including none)
 *   ?        exactly one byte
 *   [abc]    one byte from the set; [^abc] one byte not in it
 *   [a-z]    a range, in either order ([z-a] is the same set)
 *   \x       the byte x literally (also inside [...])
 *
 * Redis's corner cases are kept on purpose, because clients can observe them:
 * a '[' with no closing ']' takes the rest of the pattern as the set ("[ab"
 * matches "a"; a lone "[" matches nothing; "[^" matches any one byte); a ']'
 * right after "[" or "[^" closes an empty set; in "[a-]" the ']' is the end of
 * the range a..], so the class is unterminated; an escaped byte inside a set
 * is always compared case-sensitively; a trailing lone '\' matches '\'.
 * Ranges compare bytes as signed chars (x86 Redis builds), so "[a-\xff]"
 * means -1..'a'. Case folding is ASCII only (Redis runs in the C locale for
 * ctype). The empty string is matched only by the empty pattern — not even
 * by "*" or "**" (Redis 7.0 quirk): callers that mean "everything" test for
 * the exact pattern "*" themselves, as KEYS and SCAN do; without that, e.g.
 * PSUBSCRIBE * does not receive a PUBLISH to the channel "".
 *
 * Cost: the matcher backtracks on '*', but like Redis 7.0 it stops trying
 * longer matches for earlier stars as soon as a later star has failed to
 * match at every position, so "a*a*a*...b" is polynomial rather than
 * exponential; and it gives up (no match) beyond GLOB_MAX_NESTING nested
 * stars so a long pattern cannot exhaust the stack. */
#ifndef KV_GLOBMATCH_H
#define KV_GLOBMATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Deepest '*' recursion before a pattern is declared not to match
 * (Redis 7.0's "protection against abusive patterns"). */
#define GLOB_MAX_NESTING 1000

/* Returns true when the plen bytes of pattern match exactly the slen bytes
 * of str (both binary-safe; neither needs a NUL terminator). nocase folds
 * ASCII letters. Allocates nothing; recursion depth is bounded by
 * GLOB_MAX_NESTING. */
bool globMatch(const char *pattern, size_t plen, const char *str, size_t slen, bool nocase);

/* globMatch() on two NUL-terminated strings. */
bool globMatchCString(const char *pattern, const char *str, bool nocase);

/* Matches `cycles` random patterns against random strings (each up to 31
 * bytes of 0..127), the workload of Redis's DEBUG STRINGMATCH-TEST, whose
 * point is only to not crash. Returns the number of matches. Uses rand(). */
int globMatchFuzzTest(int cycles);

#endif
