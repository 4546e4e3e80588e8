/* main.c — kvd's entry point: `kvd [configfile] [--directive value ...]`,
 * parsed as redis-server parses its command line. */
#include "config.h"
#include "conf.h"
#include "dstr.h"
#include "hash.h"
#include "log.h"
#include "mem.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mainUsage(void) {
    fprintf(stderr, "Usage: ./kvd [/path/to/kvd.conf] [options] [-]\n"
                    "       ./kvd - (read config from stdin)\n"
                    "       ./kvd -v or --version\n"
                    "       ./kvd -h or --help\n\n"
                    "Examples:\n"
                    "       ./kvd (run the server with default config)\n"
                    "       ./kvd /etc/kvd/6379.conf\n"
                    "       ./kvd --port 7777\n"
                    "       ./kvd /etc/mykvd.conf --loglevel verbose -\n");
    exit(1);
}

/* Turns "--port 7777 --save '' --bind a b" into config lines the way
 * redis-server does: each --name starts a new line, later words are its
 * arguments (quoted so that empty strings and spaces survive). */
static dstr mainOptionsToConfig(int argc, char **argv, int start) {
    dstr options = dstrEmpty();
    for (int j = start; j < argc; j++) {
        if (argv[j][0] == '-' && argv[j][1] == '-' && argv[j][2]) {
            if (dstrLen(options)) options = dstrCat(options, "\n");
            options = dstrCat(options, argv[j] + 2);
            options = dstrCat(options, " ");
        } else {
            char *q = confQuote(argv[j], strlen(argv[j]));
            options = dstrCat(options, q);
            options = dstrCat(options, " ");
            kvFree(q);
        }
    }
    return options;
}

/* The absolute path of our binary (INFO executable, DEBUG RESTART): the
 * kernel's /proc/self/exe, else argv[0] made absolute from the current
 * directory as Redis does. Free with kvFree. */
static char *mainExecutablePath(const char *argv0) {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n > 0 && buf[0] == '/') {
        buf[n] = '\0';
        return kvStrdup(buf);
    }
    if (argv0[0] == '/' || !getcwd(buf, sizeof(buf))) return kvStrdup(argv0);
    dstr path = dstrCatPrintf(dstrEmpty(), "%s/%s", buf, argv0);
    char *out = kvStrdup(path);
    dstrFree(path);
    return out;
}

int main(int argc, char **argv) {
    hashSeedRandom();
    configInitDefaults();
    const char *configFile = NULL;
    int j = 1;
    if (argc >= 2) {
        if (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0) {
            printf("kvd v=%s (Redis-compatible %s) malloc=%s bits=%d\n", KVD_VERSION, KV_VERSION,
                   kvMemAllocatorName(), (int)(sizeof(long) * 8));
            return 0;
        }
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) mainUsage();
        if (argv[1][0] != '-' || strcmp(argv[1], "-") == 0) {
            configFile = argv[1];
            j = 2;
        }
    }
    dstr options = mainOptionsToConfig(argc, argv, j);
    config.executable = mainExecutablePath(argv[0]);
    configLoadOrExit(configFile, dstrLen(options) ? options : NULL);
    dstrFree(options);
    /* DEBUG RESTART runs this command line again after kvd has moved to
     * `dir`: the config file goes by its absolute path there, as in Redis. */
    if (configFile && config.configFile) argv[1] = config.configFile;
    serverSaveCommandLine(argc, argv);
    configApplyStartup();
    logMsg(LL_NOTICE, "oO0OoO0OoO0Oo kvd is starting oO0OoO0OoO0Oo");
    logMsg(LL_NOTICE, "kvd version=%s (Redis %s compatible), bits=%d, pid=%d, just started",
           KVD_VERSION, KV_VERSION, (int)(sizeof(long) * 8), (int)getpid());
    if (!configFile)
        logMsg(LL_WARNING,
               "Warning: no config file specified, using the default config. In "
               "order to specify a config file use %s /path/to/kvd.conf",
               argv[0]);
    else
        logMsg(LL_NOTICE, "Configuration loaded");
    serverInit();
    serverRun();
    return 0;
}
