/* main.c — kv-cli, the command-line client: options, then one of
 *
 *   - one-shot mode (a command on the command line): run it (-r times,
 *     -i seconds apart), print the reply, exit;
 *   - interactive mode (no command): the REPL of clirepl.c, or with stdin
 *     not a terminal, one command per input line.
 *
 * It behaves as redis-cli 7.0 for the options it knows (see usage()): the
 * same output formats, messages and exit codes, so scripts written for
 * redis-cli work unchanged. Where redis-cli names itself (version, help)
 * kv-cli says kv-cli; environment variables are KVCLI_* with redis-cli's
 * REDISCLI_AUTH also honoured. */
#include "clicmd.h"
#include "cliformat.h"
#include "clihelp.h"
#include "clirepl.h"
#include "clisession.h"
#include "clisplit.h"
#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

/* What the command line asked for, beyond what the session and runner hold. */
typedef struct cliOptions {
    long long repeat;
    bool stdinArg;    /* -x: last argument from stdin */
    bool askpass;     /* --askpass */
    bool quotedInput; /* --quoted-input */
    bool noAuthWarning;
    bool authFromCommandLine;
} cliOptions;

static void usage(int status) {
    FILE *out = status ? stderr : stdout;
    fprintf(out,
            "kv-cli %s\n"
            "\n"
            "Usage: kv-cli [OPTIONS] [cmd [arg [arg ...]]]\n"
            "  -h <hostname>      Server hostname (default: 127.0.0.1).\n"
            "  -p <port>          Server port (default: 6379).\n"
            "  -s <socket>        Server socket (overrides hostname and port).\n"
            "  -a <password>      Password to use when connecting to the server.\n"
            "                     You can also use the KVCLI_AUTH (or REDISCLI_AUTH)\n"
            "                     environment variable to pass this password more safely\n"
            "                     (if both are used, this argument takes precedence).\n"
            "  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.\n"
            "  --pass <password>  Alias of -a for consistency with the new --user option.\n"
            "  --askpass          Force user to input password with mask from STDIN.\n"
            "                     If this argument is used, '-a' and KVCLI_AUTH\n"
            "                     environment variable will be ignored.\n"
            "  -u <uri>           Server URI (redis://[[user:]password@]host[:port][/db]).\n"
            "  -r <repeat>        Execute specified command N times.\n"
            "  -i <interval>      When -r is used, waits <interval> seconds per command.\n"
            "                     It is possible to specify sub-second times like -i 0.1.\n"
            "  -n <db>            Database number.\n"
            "  -2                 Start session in RESP2 protocol mode.\n"
            "  -3                 Start session in RESP3 protocol mode.\n"
            "  -x                 Read last argument from STDIN.\n"
            "  -d <delimiter>     Delimiter between response bulks for raw formatting "
            "(default: \\n).\n"
            "  -D <delimiter>     Delimiter between responses for raw formatting "
            "(default: \\n).\n"
            "  -e                 Return exit error code when command execution fails.\n"
            "  --raw              Use raw formatting for replies (default when STDOUT is\n"
            "                     not a tty).\n"
            "  --no-raw           Force formatted output even when STDOUT is not a tty.\n"
            "  --quoted-input     Force input to be handled as quoted strings.\n"
            "  --csv              Output in CSV format.\n"
            "  --show-pushes <yn> Whether to print RESP3 PUSH messages.  Enabled by default "
            "when\n"
            "                     STDOUT is a tty but can be overridden with --show-pushes "
            "no.\n"
            "  --verbose          Verbose mode.\n"
            "  --no-auth-warning  Don't show warning message when using password on command\n"
            "                     line interface.\n"
            "  --help             Output this help and exit.\n"
            "  --version          Output version and exit.\n"
            "\n"
            "Examples:\n"
            "  cat /etc/passwd | kv-cli -x set mypasswd\n"
            "  kv-cli get mypasswd\n"
            "  kv-cli -r 100 lpush mylist x\n"
            "  kv-cli -r 100 -i 1 info | grep used_memory_human:\n"
            "  kv-cli --quoted-input set '\"null-\\x00-separated\"' value\n"
            "\n"
            "When no command is given, kv-cli starts in interactive mode.\n"
            "Type \"help\" in interactive mode for information on available commands.\n"
            "\n",
            CLI_VERSION);
    exit(status);
}

/* URL-style percent decoding for -u; exits on a malformed escape. */
static char *percentDecode(const char *p, size_t len) {
    char *out = kvMalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '%') {
            out[o++] = p[i];
            continue;
        }
        if (len - i < 3) {
            fprintf(stderr, "Incomplete URI encoding\n");
            exit(1);
        }
        char h = (char)tolower((unsigned char)p[i + 1]), l = (char)tolower((unsigned char)p[i + 2]);
        if (!isxdigit((unsigned char)h) || !isxdigit((unsigned char)l)) {
            fprintf(stderr, "Illegal character in URI encoding\n");
            exit(1);
        }
        out[o++] = (char)((isdigit((unsigned char)h) ? h - '0' : h - 'a' + 10) << 4 |
                          (isdigit((unsigned char)l) ? l - '0' : l - 'a' + 10));
        i += 2;
    }
    out[o] = '\0';
    return out;
}

/* redis://[[user:]password@][host][:port][/db], as redis-cli's
 * parseRedisUri() (rediss:// needs TLS, which kv-cli does not have yet). */
static void parseUri(const char *uri, cliSession *s, cliOptions *opt) {
    const char *scheme = "redis://";
    if (!strncasecmp(uri, "rediss://", 9)) {
        fprintf(stderr, "rediss:// is only supported when kv-cli is compiled with OpenSSL\n");
        exit(1);
    }
    if (strncasecmp(uri, scheme, strlen(scheme)) != 0) {
        fprintf(stderr, "Invalid URI scheme\n");
        exit(1);
    }
    const char *curr = uri + strlen(scheme), *end = uri + strlen(uri);
    if (curr == end) return;
    const char *at = strchr(curr, '@');
    if (at) {
        const char *colon = strchr(curr, ':');
        if (colon && colon < at) {
            kvFree(s->user);
            s->user = percentDecode(curr, (size_t)(colon - curr));
            curr = colon + 1;
        }
        kvFree(s->auth);
        s->auth = percentDecode(curr, (size_t)(at - curr));
        opt->authFromCommandLine = true;
        curr = at + 1;
    }
    if (curr == end) return;
    const char *path = strchr(curr, '/');
    if (*curr != '/') {
        const char *hostEnd = path ? path : end;
        const char *port = memchr(curr, ':', (size_t)(hostEnd - curr));
        if (port) {
            s->port = atoi(port + 1);
            hostEnd = port;
        }
        char *host = kvStrndup(curr, (size_t)(hostEnd - curr));
        cliSessionSet(&s->host, host);
        kvFree(host);
    }
    curr = path ? path + 1 : end;
    if (curr == end) return;
    s->inputDb = atoi(curr);
}

/* Parses the options; returns the index of the first command word. Exits on
 * --help, --version and bad options, with redis-cli's messages. */
static int parseOptions(int argc, char **argv, cliSession *s, cliRunner *run, cliOptions *opt,
                        char **mbDelim, char **cmdDelim) {
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool lastarg = i == argc - 1;
        if (!strcmp(a, "-h") && !lastarg) {
            cliSessionSet(&s->host, argv[++i]);
        } else if ((!strcmp(a, "-h") && lastarg) || !strcmp(a, "--help")) {
            usage(0);
        } else if (!strcmp(a, "-x")) {
            opt->stdinArg = true;
        } else if (!strcmp(a, "-p") && !lastarg) {
            s->port = atoi(argv[++i]);
        } else if (!strcmp(a, "-s") && !lastarg) {
            cliSessionSet(&s->unixSocket, argv[++i]);
        } else if (!strcmp(a, "-r") && !lastarg) {
            opt->repeat = strtoll(argv[++i], NULL, 10);
        } else if (!strcmp(a, "-i") && !lastarg) {
            run->intervalUs = (long long)(atof(argv[++i]) * 1000000);
        } else if (!strcmp(a, "-n") && !lastarg) {
            s->inputDb = atoi(argv[++i]);
        } else if (!strcmp(a, "--no-auth-warning")) {
            opt->noAuthWarning = true;
        } else if (!strcmp(a, "--askpass")) {
            opt->askpass = true;
        } else if ((!strcmp(a, "-a") || !strcmp(a, "--pass")) && !lastarg) {
            cliSessionSet(&s->auth, argv[++i]);
            opt->authFromCommandLine = true;
        } else if (!strcmp(a, "--user") && !lastarg) {
            cliSessionSet(&s->user, argv[++i]);
        } else if (!strcmp(a, "-u") && !lastarg) {
            parseUri(argv[++i], s, opt);
        } else if (!strcmp(a, "--raw")) {
            run->output = CLI_OUTPUT_RAW;
        } else if (!strcmp(a, "--no-raw")) {
            run->output = CLI_OUTPUT_STANDARD;
        } else if (!strcmp(a, "--csv")) {
            run->output = CLI_OUTPUT_CSV;
        } else if (!strcmp(a, "--quoted-input")) {
            opt->quotedInput = true;
        } else if (!strcmp(a, "-d") && !lastarg) {
            *mbDelim = argv[++i];
        } else if (!strcmp(a, "-D") && !lastarg) {
            *cmdDelim = argv[++i];
        } else if (!strcmp(a, "-e")) {
            run->setErrcode = true;
        } else if (!strcmp(a, "--verbose")) {
            /* accepted; kv-cli has nothing more to say */
        } else if (!strcmp(a, "-2")) {
            s->resp3 = false;
        } else if (!strcmp(a, "-3")) {
            s->resp3 = true;
        } else if (!strcmp(a, "--show-pushes") && !lastarg) {
            const char *v = argv[++i];
            if (!strncasecmp(v, "n", 1))
                run->pushOutput = false;
            else if (!strncasecmp(v, "y", 1))
                run->pushOutput = true;
            else
                fprintf(stderr, "Unknown --show-pushes value '%s' (valid: '[y]es', '[n]o')\n", v);
        } else if (!strcmp(a, "-v") || !strcmp(a, "--version")) {
            printf("kv-cli %s\n", CLI_VERSION);
            exit(0);
        } else if (a[0] == '-') {
            fprintf(stderr, "Unrecognized option or bad number of args for: '%s'\n", a);
            exit(1);
        } else {
            break; /* the command */
        }
    }
    if (!opt->noAuthWarning && opt->authFromCommandLine)
        fputs("Warning: Using a password with '-a' or '-u' option on the command line interface "
              "may not be safe.\n",
              stderr);
    return i;
}

/* --askpass: reads a password from stdin, echoing '*' per character when it
 * is a terminal. Returns a kvMalloc'd string. */
static char *askPassword(const char *prompt) {
    bool tty = isatty(fileno(stdin));
    struct termios saved, raw;
    if (tty) {
        tcgetattr(fileno(stdin), &saved);
        raw = saved;
        raw.c_lflag &= (tcflag_t) ~(ECHO | ICANON);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(fileno(stdin), TCSAFLUSH, &raw);
        fputs(prompt, stdout);
        fflush(stdout);
    }
    size_t len = 0, cap = 64;
    char *pass = kvMalloc(cap);
    int c;
    while ((c = fgetc(stdin)) != EOF && c != '\n' && c != '\r') {
        if (tty && (c == 127 || c == 8)) {
            if (len > 0) {
                len--;
                fputs("\b \b", stdout);
                fflush(stdout);
            }
            continue;
        }
        if (len + 1 >= cap) pass = kvRealloc(pass, cap *= 2);
        pass[len++] = (char)c;
        if (tty) {
            fputc('*', stdout);
            fflush(stdout);
        }
    }
    pass[len] = '\0';
    if (tty) {
        tcsetattr(fileno(stdin), TCSAFLUSH, &saved);
        fputc('\n', stdout);
    }
    return pass;
}

/* Reads all of stdin (for -x). Returns a dstr. Exits on a read error. */
static dstr readStdinArg(void) {
    dstr arg = dstrEmpty();
    char buf[4096];
    while (1) {
        ssize_t n = read(fileno(stdin), buf, sizeof(buf));
        if (n == 0) break;
        if (n == -1) {
            if (errno == EINTR) continue;
            perror("Reading from standard input");
            exit(1);
        }
        arg = dstrCatLen(arg, buf, (size_t)n);
    }
    return arg;
}

/* One-shot mode: the command from the command line (quoted input unquoted,
 * -x's stdin appended), run opt->repeat times. Returns the exit status. */
static int runOneShot(cliRunner *run, const cliOptions *opt, int argc, char **argv) {
    int total = argc + (opt->stdinArg ? 1 : 0);
    char **args = kvCalloc(sizeof(char *) * (size_t)total);
    size_t *lens = kvCalloc(sizeof(size_t) * (size_t)total);
    dstr stdinArg = NULL;
    int rc = 0;
    for (int j = 0; j < argc; j++) {
        if (opt->quotedInput) {
            int n;
            size_t *l;
            char **parts = cliSplitLine(argv[j], &n, &l);
            if (!parts || n != 1) {
                cliFreeLine(parts, n, l);
                printf("Invalid quoted string\n");
                rc = 1;
                goto done;
            }
            args[j] = kvStrndup(parts[0], l[0]);
            lens[j] = l[0];
            cliFreeLine(parts, n, l);
        } else {
            args[j] = kvStrdup(argv[j]);
            lens[j] = strlen(argv[j]);
        }
    }
    if (opt->stdinArg) {
        stdinArg = readStdinArg();
        args[argc] = kvStrndup(stdinArg, dstrLen(stdinArg));
        lens[argc] = dstrLen(stdinArg);
    }
    rc = cliRunCommand(run, total, args, lens, opt->repeat) == 0 ? 0 : 1;
done:
    for (int j = 0; j < total; j++) kvFree(args[j]);
    kvFree(args);
    kvFree(lens);
    dstrFree(stdinArg);
    return rc;
}

int main(int argc, char **argv) {
    cliSession *session = cliSessionCreate();
    cliRunner run = {.session = session};
    cliOptions opt = {.repeat = 1};
    char *mbDelim = "\n", *cmdDelim = "\n";

    /* Raw output unless stdout is a terminal (FAKETTY pretends it is, as
     * for redis-cli's own tests). */
    if (!isatty(fileno(stdout)) && getenv("FAKETTY") == NULL) {
        run.output = CLI_OUTPUT_RAW;
        run.pushOutput = false;
    } else {
        run.output = CLI_OUTPUT_STANDARD;
        run.pushOutput = true;
    }

    int first = parseOptions(argc, argv, session, &run, &opt, &mbDelim, &cmdDelim);
    run.mbDelim = mbDelim;
    run.cmdDelim = cmdDelim;
    argc -= first;
    argv += first;

    if (!session->auth) {
        const char *env = getenv("KVCLI_AUTH");
        if (!env) env = getenv("REDISCLI_AUTH");
        if (env) cliSessionSet(&session->auth, env);
    }
    if (opt.askpass) {
        char *pass = askPassword("Please input password: ");
        cliSessionSet(&session->auth, pass);
        kvFree(pass);
    }

    int status;
    if (argc == 0) {
        /* A dead server must not kill the REPL: reconnect instead. */
        signal(SIGPIPE, SIG_IGN);
        cliSessionConnect(session, false); /* failure is not fatal here */
        status = cliRepl(&run);
    } else {
        if (cliSessionConnect(session, false) != 0) exit(1);
        status = runOneShot(&run, &opt, argc, argv);
    }
    cliSessionFree(session);
    return status;
}
