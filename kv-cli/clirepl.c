/* clirepl.c — the interactive loop (see clirepl.h), after redis-cli 7.0's
 * repl().
 *
 * Line editing is libedit's readline-compatible API. The history file is
 * read and written here, one plain line per entry as linenoise does (so the
 * file reads like ~/.rediscli_history), rather than in libedit's own
 * encoded format; libedit only holds the in-memory list for the arrow keys.
 * The file is rewritten after every accepted line, so a killed session
 * loses nothing. AUTH and ACL SETUSER lines never reach the history. */
#include "clirepl.h"

#include "cliformat.h"
#include "clihelp.h"
#include "clisplit.h"
#include "dstr.h"
#include "mem.h"

#include <editline/readline.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* The history: the last CLI_HISTORY_MAX lines, oldest first. */
static char *history[CLI_HISTORY_MAX];
static int historyLen;

static void historyAdd(const char *line) {
    /* linenoise skips a line equal to the previous one. */
    if (historyLen > 0 && !strcmp(history[historyLen - 1], line)) return;
    if (historyLen == CLI_HISTORY_MAX) {
        kvFree(history[0]);
        memmove(history, history + 1, sizeof(char *) * (CLI_HISTORY_MAX - 1));
        historyLen--;
    }
    history[historyLen++] = kvStrdup(line);
    add_history(line);
}

static void historyLoad(const char *path) {
    FILE *fp = fopen(path, "r");
    if (!fp) return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) != -1) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        historyAdd(line);
    }
    free(line);
    fclose(fp);
}

/* Rewrites the file, readable by its owner only (as linenoise). */
static void historySave(const char *path) {
    mode_t old = umask(S_IXUSR | S_IRWXG | S_IRWXO);
    FILE *fp = fopen(path, "w");
    umask(old);
    if (!fp) return;
    chmod(path, S_IRUSR | S_IWUSR);
    for (int i = 0; i < historyLen; i++) fprintf(fp, "%s\n", history[i]);
    fclose(fp);
}

static void historyFree(void) {
    for (int i = 0; i < historyLen; i++) kvFree(history[i]);
    historyLen = 0;
}

/* $KVCLI_HISTFILE, else ~/.kvcli_history; NULL for /dev/null or no $HOME.
 * Free with dstrFree(). */
static dstr historyPath(void) {
    const char *path = getenv(CLI_HISTFILE_ENV);
    if (path && *path) return strcmp(path, "/dev/null") ? dstrNew(path) : NULL;
    const char *home = getenv("HOME");
    if (!home || !*home) return NULL;
    return dstrCatPrintf(dstrEmpty(), "%s/%s", home, CLI_HISTFILE_DEFAULT);
}

/* ---- tab completion: the whole line against command names ---- */

static size_t completionIndex;
static bool completionHelp; /* the line starts with "help ": groups too, keep the prefix */

static char *completionNext(const char *text, int state) {
    if (state == 0) completionIndex = 0;
    size_t start = 0;
    if (completionHelp) {
        start = 5;
        while (text[start] == ' ') start++;
    }
    const char *name;
    bool isGroup;
    while ((name = cliHelpCandidate(completionIndex++, &isGroup)) != NULL) {
        if (isGroup && !completionHelp) continue;
        if (strncasecmp(text + start, name, strlen(text + start)) != 0) continue;
        dstr match = dstrCatLen(dstrEmpty(), text, start);
        match = dstrCat(match, name);
        char *out = strdup(match); /* libedit frees it with free() */
        dstrFree(match);
        return out;
    }
    return NULL;
}

static char **completionCallback(const char *text, int start, int end) {
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    completionHelp = !strncasecmp(text, "help ", 5);
    return rl_completion_matches(text, completionNext);
}

static void replInitLineEditing(void) {
    rl_readline_name = "kv-cli";
    /* Complete the whole line, as redis-cli: no character breaks words. */
    rl_basic_word_break_characters = "\n";
    rl_completion_append_character = '\0';
    rl_attempted_completion_function = completionCallback;
}

/* ---- the loop ---- */

static long long mstime(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* A line from stdin without editing (not a terminal), without its "\n".
 * NULL at end of input. Free with free(). */
static char *readPlainLine(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n == -1) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
    return line;
}

/* ":set hints" and the like: accepted for redis-cli compatibility (kv-cli
 * shows no hints). */
static void replSetPreference(int argc, char **argv) {
    if (!strcasecmp(argv[0], ":set") && argc >= 2) {
        if (strcasecmp(argv[1], "hints") && strcasecmp(argv[1], "nohints"))
            printf("unknown kv-cli preference '%s'\n", argv[1]);
    } else {
        printf("unknown kv-cli internal command '%s'\n", argv[0]);
    }
}

/* Lines that must not be remembered: they carry passwords. */
static bool replIsSensitive(int argc, char **argv, int skip) {
    if (argc <= skip) return false;
    if (!strcasecmp(argv[skip], "auth")) return true;
    return skip + 1 < argc && !strcasecmp(argv[skip], "acl") &&
           !strcasecmp(argv[skip + 1], "setuser");
}

/* Executes one typed line. Returns false when the session should end. */
static bool replLine(cliRunner *run, const char *line, bool keepHistory, const char *histfile) {
    int argc;
    size_t *lens = NULL;
    char **argv = cliSplitLine(line, &argc, &lens);
    if (!argv) {
        if (keepHistory) historyAdd(line);
        if (histfile) historySave(histfile);
        printf("Invalid argument(s)\n");
        fflush(stdout);
        return true;
    }
    if (argc == 0) {
        cliFreeLine(argv, argc, lens);
        return true;
    }

    /* "N cmd ..." repeats cmd N times. */
    long long repeat = 1;
    int skip = 0;
    char *end;
    errno = 0;
    long long n = strtoll(argv[0], &end, 10);
    if (argc > 1 && *end == '\0') {
        if (errno == ERANGE || errno == EINVAL || n <= 0) {
            fputs("Invalid kv-cli repeat command option value.\n", stdout);
            cliFreeLine(argv, argc, lens);
            return true;
        }
        repeat = n;
        skip = 1;
    }
    if (!replIsSensitive(argc, argv, skip)) {
        if (keepHistory) historyAdd(line);
        if (histfile) historySave(histfile);
    }

    bool goOn = true;
    if (!strcasecmp(argv[0], "quit") || !strcasecmp(argv[0], "exit")) {
        goOn = false;
    } else if (argv[0][0] == ':') {
        replSetPreference(argc, argv);
    } else if (!strcasecmp(argv[0], "restart")) {
        /* redis-cli prints this without a newline, too. */
        printf("Use 'restart' only in Lua debugging mode.");
        fflush(stdout);
    } else if (argc == 3 && !strcasecmp(argv[0], "connect")) {
        cliSessionSet(&run->session->host, argv[1]);
        run->session->port = atoi(argv[2]);
        cliSessionSet(&run->session->unixSocket, NULL);
        cliSessionConnect(run->session, false);
    } else if (argc == 1 && !strcasecmp(argv[0], "clear")) {
        fputs("\x1b[H\x1b[2J", stdout);
        fflush(stdout);
    } else {
        long long start = mstime();
        cliRunCommand(run, argc - skip, argv + skip, lens + skip, repeat);
        long long elapsed = mstime() - start;
        if (elapsed >= 500 && run->output == CLI_OUTPUT_STANDARD)
            printf("(%.2fs)\n", (double)elapsed / 1000);
        fflush(stdout);
    }
    cliFreeLine(argv, argc, lens);
    return goOn;
}

int cliRepl(cliRunner *run) {
    bool tty = isatty(fileno(stdin));
    dstr histfile = NULL;
    run->interactive = true;
    if (tty) {
        replInitLineEditing();
        histfile = historyPath();
        if (histfile) historyLoad(histfile);
        cliHelpInit(run->session); /* command names for completion */
    }
    while (1) {
        char prompt[256];
        if (cliSessionConnected(run->session))
            cliSessionPrompt(run->session, prompt, sizeof(prompt));
        else
            snprintf(prompt, sizeof(prompt), "not connected> ");
        char *line = tty ? readline(prompt) : readPlainLine();
        if (!line) {
            /* End of input (Ctrl-D): leave the shell on a fresh line, as
             * redis-cli's linenoise does. */
            if (tty) putchar('\n');
            break;
        }
        bool goOn = line[0] == '\0' || replLine(run, line, tty, histfile);
        free(line);
        if (!goOn) break;
    }
    historyFree();
    dstrFree(histfile);
    return 0;
}
