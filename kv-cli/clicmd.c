/* clicmd.c — send a user command, print its reply (see clicmd.h). Follows
 * redis-cli 7.0's cliSendCommand() / cliReadReply() / issueCommandRepeat(). */
#include "clicmd.h"

#include "clihelp.h"
#include "cliformat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Commands whose reply is text meant to be read as is (redis-cli prints
 * these raw even on a terminal). */
static bool wantsVerbatim(int argc, char **argv) {
    const char *cmd = argv[0];
    if (!strcasecmp(cmd, "info") || !strcasecmp(cmd, "lolwut")) return true;
    if (argc >= 2 && !strcasecmp(cmd, "debug") &&
        (!strcasecmp(argv[1], "htstats") || !strcasecmp(argv[1], "htstats-key")))
        return true;
    if (argc >= 2 && !strcasecmp(cmd, "memory") &&
        (!strcasecmp(argv[1], "malloc-stats") || !strcasecmp(argv[1], "doctor")))
        return true;
    if (argc == 2 && !strcasecmp(cmd, "cluster") &&
        (!strcasecmp(argv[1], "nodes") || !strcasecmp(argv[1], "info")))
        return true;
    if (argc >= 2 && !strcasecmp(cmd, "client") &&
        (!strcasecmp(argv[1], "list") || !strcasecmp(argv[1], "info")))
        return true;
    if (argc == 3 && !strcasecmp(cmd, "latency") && !strcasecmp(argv[1], "graph")) return true;
    if (argc == 2 && !strcasecmp(cmd, "latency") && !strcasecmp(argv[1], "doctor")) return true;
    if (argc >= 2 && !strcasecmp(cmd, "proxy") && !strcasecmp(argv[1], "info")) return true;
    return false;
}

static void writeOut(dstr out) {
    fwrite(out, 1, dstrLen(out), stdout);
    dstrFree(out);
}

static void printReply(const cliRunner *run, const cliReply *r, bool verbatim) {
    writeOut(cliFormatReply(dstrEmpty(), r, run->output, verbatim, run->mbDelim, run->cmdDelim));
}

/* A push that arrived while waiting for a reply (client tracking, or a
 * message on a RESP3 connection): shown only when pushes are on. */
static void printPush(const cliRunner *run, const cliReply *r) {
    if (!run->pushOutput) return;
    if (run->output == CLI_OUTPUT_STANDARD && cliIsInvalidatePush(r))
        writeOut(cliFormatInvalidateTTY(dstrEmpty(), r));
    else
        printReply(run, r, false);
}

/* What to do when the connection failed under a command: interactively,
 * give up on it (the caller prints the error and reconnects next time);
 * otherwise print "Error: REASON" and exit 1. */
static int connectionFailed(const cliRunner *run) {
    if (run->interactive && run->session->lost) return -1;
    fprintf(stderr, "Error: %s\n", run->session->err);
    exit(1);
}

/* Reads the reply to the command just sent into *out. Pushes arriving first
 * are printed (or dropped) unless inPubsub, where they are the replies.
 * After SHUTDOWN a closed connection is the expected answer: *out = NULL. */
static int readReply(const cliRunner *run, bool inPubsub, bool shutdown, cliReply **out) {
    while (1) {
        if (cliSessionRead(run->session, out) != 0) {
            if (shutdown) {
                cliSessionDisconnect(run->session);
                *out = NULL;
                return 0;
            }
            return connectionFailed(run);
        }
        if (inPubsub || (*out)->type != CLI_REPLY_PUSH) return 0;
        printPush(run, *out);
        cliReplyFree(*out);
    }
}

/* Prints a reply, or with -e in one-shot mode turns an error into exit 1. */
static void showReply(const cliRunner *run, const cliReply *r, bool verbatim) {
    if (!run->interactive && run->setErrcode && r->type == CLI_REPLY_ERROR) {
        fprintf(stderr, "%s\n", r->str);
        exit(1);
    }
    printReply(run, r, verbatim);
}

/* The prompt's state after a successful reply: SELECT, AUTH, MULTI/EXEC. */
static void trackState(cliRunner *run, int argc, char **argv, int replyType) {
    cliSession *s = run->session;
    const char *cmd = argv[0];
    bool failed = replyType == CLI_REPLY_ERROR;
    if (!strcasecmp(cmd, "select") && argc == 2 && !failed) {
        /* Also the db to re-select after a reconnect (redis-cli 7.0 forgets
         * it and silently comes back on db 0 while the prompt says [N]). */
        s->dbnum = s->inputDb = atoi(argv[1]);
    } else if (!strcasecmp(cmd, "auth") && (argc == 2 || argc == 3)) {
        cliSessionSelect(s);
    } else if (!strcasecmp(cmd, "multi") && argc == 1 && !failed) {
        s->inMulti = true;
        s->preMultiDb = s->dbnum;
    } else if (!strcasecmp(cmd, "exec") && argc == 1 && s->inMulti) {
        s->inMulti = false;
        if (failed) s->dbnum = s->inputDb = s->preMultiDb;
    } else if (!strcasecmp(cmd, "discard") && argc == 1 && !failed) {
        s->inMulti = false;
        s->dbnum = s->inputDb = s->preMultiDb;
    }
}

static void sleepMicros(long long us) {
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) == -1) {
    }
}

/* MONITOR: print every line the server streams, until it goes away. */
static void monitorLoop(const cliRunner *run, bool verbatim) {
    while (1) {
        cliReply *r;
        if (readReply(run, false, false, &r) != 0) {
            fprintf(stderr, "Error: %s\n", run->session->err);
            exit(1);
        }
        showReply(run, r, verbatim);
        cliReplyFree(r);
        fflush(stdout);
    }
}

/* SUBSCRIBE and friends: print messages until an error reply ends it. */
static int pubsubLoop(const cliRunner *run, bool verbatim) {
    if (run->output != CLI_OUTPUT_RAW) printf("Reading messages... (press Ctrl-C to quit)\n");
    while (1) {
        cliReply *r;
        if (readReply(run, true, false, &r) != 0) {
            fprintf(stderr, "Error: %s\n", run->session->err);
            exit(1);
        }
        int type = r->type;
        showReply(run, r, verbatim);
        cliReplyFree(r);
        fflush(stdout);
        if (type == CLI_REPLY_ERROR) return 0;
    }
}

static int sendCommand(cliRunner *run, int argc, char **argv, size_t *lens, long long repeat) {
    const char *cmd = argv[0];
    bool verbatim = wantsVerbatim(argc, argv);
    bool shutdown = !strcasecmp(cmd, "shutdown");
    bool monitor = !strcasecmp(cmd, "monitor");
    bool pubsub = !strcasecmp(cmd, "subscribe") || !strcasecmp(cmd, "psubscribe") ||
                  !strcasecmp(cmd, "ssubscribe");

    /* A negative repeat loops forever (useful with -i). */
    while (repeat < 0 || repeat-- > 0) {
        if (cliSessionSend(run->session, argc, argv, lens) != 0) return connectionFailed(run);
        if (monitor) monitorLoop(run, verbatim);
        if (pubsub) {
            pubsubLoop(run, verbatim);
            continue;
        }
        cliReply *r;
        if (readReply(run, false, shutdown, &r) != 0) return -1;
        if (r) {
            int type = r->type;
            showReply(run, r, verbatim);
            cliReplyFree(r);
            trackState(run, argc, argv, type);
        }
        if (run->intervalUs) sleepMicros(run->intervalUs);
        fflush(stdout);                                /* grep friendly */
        if (!cliSessionConnected(run->session)) break; /* after SHUTDOWN */
    }
    return 0;
}

int cliRunCommand(cliRunner *run, int argc, char **argv, size_t *lens, long long repeat) {
    if (argc == 0) return 0;
    if (!strcasecmp(argv[0], "help") || !strcasecmp(argv[0], "?")) {
        cliHelpShow(run->session, argc - 1, argv + 1);
        return 0;
    }
    if (!cliSessionConnected(run->session) && cliSessionConnect(run->session, false) != 0)
        return -1;
    if (sendCommand(run, argc, argv, lens, repeat) != 0) {
        fprintf(stderr, "Error: %s\n", run->session->err);
        cliSessionDisconnect(run->session);
        return -1;
    }
    return 0;
}
