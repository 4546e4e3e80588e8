/* log.c — the server log in Redis's line format (see log.h).
 *
 * State is a handful of file-scope settings with safe defaults, so logging
 * works before (and without) any setup. Each message is assembled into one
 * buffer and written with a single fwrite() + fflush(), so lines from
 * concurrent threads or a fork child do not interleave mid-line in an
 * O_APPEND file. */
#include "log.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static int logLevel = LL_NOTICE;
static char logPath[PATH_MAX] = ""; /* "" = standard output */
static char logRole = 'M';
static pid_t logMainPid = 0; /* 0 = not recorded yet: every process is "main" */
static bool logToSyslog = false;
static char logSyslogIdent[64] = "redis";

void logSetLevel(int level) {
    if (level < LL_DEBUG) level = LL_DEBUG;
    if (level > LL_NOTHING) level = LL_NOTHING;
    __atomic_store_n(&logLevel, level, __ATOMIC_RELAXED);
}

int logGetLevel(void) {
    return __atomic_load_n(&logLevel, __ATOMIC_RELAXED);
}

int logLevelFromName(const char *name) {
    static const char *const names[] = {"debug", "verbose", "notice", "warning", "nothing"};
    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
        if (!strcasecmp(name, names[i])) return i;
    return -1;
}

int logSetFile(const char *path) {
    if (path == NULL || path[0] == '\0') {
        logPath[0] = '\0';
        return 0;
    }
    if (strlen(path) >= sizeof(logPath)) return -1;
    FILE *fp = fopen(path, "a");
    if (!fp) return -1;
    fclose(fp);
    snprintf(logPath, sizeof(logPath), "%s", path);
    return 0;
}

void logReopen(void) {}

void logSetRole(char role) {
    logRole = role;
    logMainPid = getpid();
}

static int facilityFromName(const char *name) {
    static const struct {
        const char *name;
        int value;
    } facilities[] = {
        {"user", LOG_USER},     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
        {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},
        {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
    };
    for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
        if (!strcasecmp(name, facilities[i].name)) return facilities[i].value;
    return -1;
}

bool logSetSyslog(bool enabled, const char *ident, const char *facility) {
    int fac = facilityFromName(facility ? facility : "local0");
    if (fac < 0) return false;
    if (logToSyslog) closelog();
    logToSyslog = enabled;
    if (enabled) {
        /* openlog() keeps the pointer, so the ident lives in static storage. */
        snprintf(logSyslogIdent, sizeof(logSyslogIdent), "%s", ident ? ident : "redis");
        openlog(logSyslogIdent, LOG_PID | LOG_NDELAY | LOG_NOWAIT, fac);
    }
    return true;
}

/* The role character for this process right now. */
static char currentRole(void) {
    if (logRole == 'X') return 'X';
    if (logMainPid != 0 && getpid() != logMainPid) return 'C';
    return logRole;
}

/* Writes "pid:role dd Mon yyyy hh:mm:ss.mmm " into buf; returns its length. */
static int formatPrefix(char *buf, size_t len, int level) {
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    time_t secs = tv.tv_sec;
    localtime_r(&secs, &tm);
    char when[64];
    size_t off = strftime(when, sizeof(when), "%d %b %Y %H:%M:%S.", &tm);
    snprintf(when + off, sizeof(when) - off, "%03d", (int)(tv.tv_usec / 1000));
    int n = snprintf(buf, len, "%d:%c %s %c ", (int)getpid(), currentRole(), when, ".-*#"[level]);
    return n < 0 ? 0 : n;
}

static void writeAll(FILE *fp, const char *prefix, size_t plen, const char *msg, bool newline) {
    /* One write per line where possible, so concurrent writers do not split
     * each other's lines. */
    size_t mlen = strlen(msg);
    char line[LOG_MAX_LEN + 128];
    if (plen + mlen + 1 <= sizeof(line)) {
        memcpy(line, prefix, plen);
        memcpy(line + plen, msg, mlen);
        if (newline) line[plen + mlen++] = '\n';
        fwrite(line, 1, plen + mlen, fp);
    } else {
        fwrite(prefix, 1, plen, fp);
        fwrite(msg, 1, mlen, fp);
        if (newline) fputc('\n', fp);
    }
    fflush(fp);
}

void logRaw(int level, const char *msg) {
    static const int syslogLevels[] = {LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING};
    bool raw = (level & LL_RAW) != 0;
    level &= 0xff;
    if (level < logGetLevel() || level >= LL_NOTHING) return;

    bool toStdout = logPath[0] == '\0';
    FILE *fp = toStdout ? stdout : fopen(logPath, "a");
    /* As Redis: a log file that cannot be opened drops the message, syslog
     * included. */
    if (!fp) return;
    char prefix[128];
    size_t plen = raw ? 0 : (size_t)formatPrefix(prefix, sizeof(prefix), level);
    writeAll(fp, prefix, plen, msg, !raw);
    if (!toStdout) fclose(fp);
    if (logToSyslog) syslog(syslogLevels[level], "%s", msg);
}

void logMsg(int level, const char *fmt, ...) {
    if ((level & 0xff) < logGetLevel()) return;
    char msg[LOG_MAX_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    logRaw(level, msg);
}
