/* log.h — the server log, in Redis's line format.
 *
 * Each message becomes one line
 *
 *     pid:role dd Mon yyyy hh:mm:ss.mmm <level> message
 *
 * e.g. "4242:M 05 Mar 2025 10:00:00.123 * Ready to accept connections",
 * where role is 'M' (master), 'S' (replica), 'C' (a forked child, found
 * automatically) or 'X' (sentinel), and level is '.' debug, '-' verbose,
 * '*' notice, '#' warning. Messages below the current level are dropped
 * before they are formatted.
 *
 * Where it goes: standard output when no file is set; otherwise the file is
 * opened in append mode for every message and closed again, as Redis does,
 * so a logrotate that moves the file needs no signal (logReopen() exists for
 * symmetry and does nothing). Optionally each message is also sent to
 * syslog. Every function is safe to call before any setup (defaults: level
 * notice, stdout, role 'M', no syslog) and from any thread; settings are
 * meant to be changed from the main thread. */
#ifndef KV_LOG_H
#define KV_LOG_H

#include <stdbool.h>

#define LL_DEBUG   0
#define LL_VERBOSE 1
#define LL_NOTICE  2
#define LL_WARNING 3
#define LL_NOTHING 4 /* as a level setting only: log nothing */
/* Or'ed into a level: print msg exactly as given, with no prefix and no
 * newline added (Redis's LL_RAW, used for the ASCII-art logo). */
#define LL_RAW (1 << 10)

/* Longest message logMsg() formats; longer ones are truncated (Redis's
 * LOG_MAX_LEN). logRaw() has no limit. */
#define LOG_MAX_LEN 1024

/* Sets / returns the minimum level that is logged (LL_DEBUG..LL_NOTHING). */
void logSetLevel(int level);
int logGetLevel(void);

/* Returns the LL_* level for "debug", "verbose", "notice", "warning" or
 * "nothing" (case-insensitive), or -1 for anything else. */
int logLevelFromName(const char *name);

/* Logs to the file at path from now on, or to standard output when path is
 * NULL or "". The path is copied. Returns 0, or -1 (and errno) if the file
 * cannot be opened for appending, in which case the setting is unchanged. */
int logSetFile(const char *path);

/* Does nothing: the log file is reopened for every message anyway. */
void logReopen(void);

/* Sets the role character ('M', 'S' or 'X') and records the calling process
 * as the main one: messages logged from any other process (a fork child)
 * show 'C', except in sentinel mode ('X'), which Redis shows everywhere. */
void logSetRole(char role);

/* Enables or disables also sending messages to syslog, with the given ident
 * (copied; NULL means "redis") and facility name: "user" or "local0" ..
 * "local7" (NULL means "local0"). Returns false, changing nothing, for an
 * unknown facility. Levels map to LOG_DEBUG, LOG_INFO, LOG_NOTICE and
 * LOG_WARNING. */
bool logSetSyslog(bool enabled, const char *ident, const char *facility);

/* Formats and logs a message at level (an LL_* value, optionally | LL_RAW).
 * The message is cut at LOG_MAX_LEN - 1 bytes. */
void logMsg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Logs msg as is (no formatting, no length limit) at level. */
void logRaw(int level, const char *msg);

#endif
