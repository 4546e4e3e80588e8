/* test_log.c — unit tests of common/log: Redis's log line format, level
 * filtering, raw mode, the role character (including 'C' in a fork child)
 * and the file / stdout switch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "testhelp.h"

static char logFile[] = "/tmp/kv-test-log-XXXXXX";

/* Reads the whole log file into buf (NUL-terminated); returns its length. */
static size_t readLog(char *buf, size_t len) {
    FILE *fp = fopen(logFile, "r");
    if (!fp) return 0;
    size_t n = fread(buf, 1, len - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return n;
}

static void truncateLog(void) {
    FILE *fp = fopen(logFile, "w");
    if (fp) fclose(fp);
}

/* Checks that line looks like "PID:R dd Mon yyyy hh:mm:ss.mmm L msg". */
static bool lineHasFormat(const char *line, char role, char level, const char *msg) {
    int pid = 0, day = 0, year = 0, h = 0, m = 0, s = 0, ms = 0, consumed = 0;
    char gotRole = 0, gotLevel = 0, mon[4] = {0};
    int n = sscanf(line, "%d:%c %2d %3s %4d %2d:%2d:%2d.%3d %c %n", &pid, &gotRole, &day, mon,
                   &year, &h, &m, &s, &ms, &gotLevel, &consumed);
    if (n != 10) return false;
    if (pid != (int)getpid() || gotRole != role || gotLevel != level) return false;
    /* Fixed widths: "dd Mon yyyy hh:mm:ss.mmm" is 24 characters. */
    const char *date = strchr(line, ' ') + 1;
    if (date[2] != ' ' || date[6] != ' ' || date[11] != ' ' || date[20] != '.' || date[24] != ' ')
        return false;
    const char *end = strchr(line + consumed, '\n');
    size_t mlen = end ? (size_t)(end - (line + consumed)) : strlen(line + consumed);
    return mlen == strlen(msg) && !memcmp(line + consumed, msg, mlen);
}

static void testDefaults(void) {
    /* Safe before any setup: defaults are notice level and stdout. */
    TEST_CHECK(logGetLevel() == LL_NOTICE);
    logMsg(LL_DEBUG, "not shown %d", 1);
}

static void testLevelNames(void) {
    TEST_CHECK(logLevelFromName("debug") == LL_DEBUG);
    TEST_CHECK(logLevelFromName("verbose") == LL_VERBOSE);
    TEST_CHECK(logLevelFromName("notice") == LL_NOTICE);
    TEST_CHECK(logLevelFromName("WARNING") == LL_WARNING);
    TEST_CHECK(logLevelFromName("nothing") == LL_NOTHING);
    TEST_CHECK(logLevelFromName("info") == -1);
    TEST_CHECK(logLevelFromName("") == -1);
}

static void testFormatAndLevels(void) {
    char buf[8192];
    TEST_CHECK(logSetFile(logFile) == 0);
    truncateLog();
    logSetLevel(LL_DEBUG);
    logMsg(LL_DEBUG, "debug %s", "msg");
    logMsg(LL_VERBOSE, "verbose");
    logMsg(LL_NOTICE, "Ready to accept connections");
    logMsg(LL_WARNING, "warn %d%%", 50);
    readLog(buf, sizeof(buf));
    char *lines[4] = {buf, NULL, NULL, NULL};
    for (int i = 1; i < 4; i++) {
        char *nl = lines[i - 1] ? strchr(lines[i - 1], '\n') : NULL;
        lines[i] = nl ? nl + 1 : NULL;
    }
    TEST_CHECK(lineHasFormat(lines[0], 'M', '.', "debug msg"));
    TEST_CHECK(lines[1] && lineHasFormat(lines[1], 'M', '-', "verbose"));
    TEST_CHECK(lines[2] && lineHasFormat(lines[2], 'M', '*', "Ready to accept connections"));
    TEST_CHECK(lines[3] && lineHasFormat(lines[3], 'M', '#', "warn 50%"));

    truncateLog();
    logSetLevel(LL_WARNING);
    TEST_CHECK(logGetLevel() == LL_WARNING);
    logMsg(LL_NOTICE, "dropped");
    logRaw(LL_VERBOSE, "dropped too");
    logMsg(LL_WARNING, "kept");
    readLog(buf, sizeof(buf));
    TEST_CHECK(strstr(buf, "dropped") == NULL && strstr(buf, "kept") != NULL);

    truncateLog();
    logSetLevel(LL_NOTHING);
    logMsg(LL_WARNING, "nothing at all");
    TEST_CHECK(readLog(buf, sizeof(buf)) == 0);
    logSetLevel(LL_NOTICE);
}

static void testRawAndLong(void) {
    char buf[8192];
    truncateLog();
    logRaw(LL_NOTICE | LL_RAW, "raw text, no newline");
    logRaw(LL_DEBUG | LL_RAW, "filtered");
    readLog(buf, sizeof(buf));
    TEST_CHECK(!strcmp(buf, "raw text, no newline"));

    /* logMsg truncates at LOG_MAX_LEN - 1; logRaw does not. */
    char big[3000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    truncateLog();
    logMsg(LL_WARNING, "%s", big);
    size_t n = readLog(buf, sizeof(buf));
    const char *msg = strstr(buf, " # ");
    TEST_CHECK(msg && n - (size_t)(msg + 3 - buf) == LOG_MAX_LEN - 1 + 1); /* + '\n' */
    truncateLog();
    logRaw(LL_WARNING, big);
    n = readLog(buf, sizeof(buf));
    msg = strstr(buf, " # ");
    TEST_CHECK(msg && n - (size_t)(msg + 3 - buf) == sizeof(big) - 1 + 1);
}

static void testRoles(void) {
    char buf[8192];
    truncateLog();
    logSetRole('S');
    logMsg(LL_NOTICE, "replica");
    readLog(buf, sizeof(buf));
    TEST_CHECK(lineHasFormat(buf, 'S', '*', "replica"));

    /* A fork child shows 'C' (its own pid is checked by the child). */
    truncateLog();
    pid_t child = fork();
    if (child == 0) {
        logMsg(LL_NOTICE, "from child");
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    readLog(buf, sizeof(buf));
    char want[64];
    snprintf(want, sizeof(want), "%d:C ", (int)child);
    TEST_CHECK(strncmp(buf, want, strlen(want)) == 0 && strstr(buf, " * from child\n"));

    /* Sentinel shows 'X' even in a child. */
    truncateLog();
    logSetRole('X');
    child = fork();
    if (child == 0) {
        logMsg(LL_NOTICE, "sentinel child");
        _exit(0);
    }
    waitpid(child, &status, 0);
    readLog(buf, sizeof(buf));
    snprintf(want, sizeof(want), "%d:X ", (int)child);
    TEST_CHECK(strncmp(buf, want, strlen(want)) == 0);
    logSetRole('M');
}

static void testFileSwitching(void) {
    char buf[256];
    TEST_CHECK(logSetFile("/nonexistent-dir/kv.log") == -1);
    /* The failed call left the old file in place. */
    truncateLog();
    logMsg(LL_WARNING, "still here");
    readLog(buf, sizeof(buf));
    TEST_CHECK(strstr(buf, "still here") != NULL);

    /* The file is reopened per message: a rotated-away file is recreated. */
    TEST_CHECK(unlink(logFile) == 0);
    logMsg(LL_WARNING, "after rotation");
    logReopen();
    readLog(buf, sizeof(buf));
    TEST_CHECK(strstr(buf, "after rotation") != NULL && strstr(buf, "still here") == NULL);

    TEST_CHECK(logSetFile("") == 0);
    truncateLog();
    logMsg(LL_WARNING, "to stdout");
    TEST_CHECK(readLog(buf, sizeof(buf)) == 0);
    TEST_CHECK(logSetFile(NULL) == 0);
}

static void testSyslogSettings(void) {
    TEST_CHECK(!logSetSyslog(true, "kv-test", "bogus"));
    TEST_CHECK(logSetSyslog(true, "kv-test", "LOCAL7"));
    TEST_CHECK(logSetSyslog(false, NULL, NULL));
}

int main(void) {
    int fd = mkstemp(logFile);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    close(fd);
    TEST_RUN(testDefaults);
    TEST_RUN(testLevelNames);
    TEST_RUN(testFormatAndLevels);
    TEST_RUN(testRawAndLong);
    TEST_RUN(testRoles);
    TEST_RUN(testFileSwitching);
    TEST_RUN(testSyslogSettings);
    unlink(logFile);
    return TEST_REPORT();
}
