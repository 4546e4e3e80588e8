/* clihelp.c — "help" from the server's COMMAND DOCS (see clihelp.h).
 *
 * The table is built once, like redis-cli's cliInitHelp(): one entry per
 * command and subcommand ("CLIENT KILL"), with its argument line rendered by
 * the rules of redis-cli's cliAddArgument() — [optional], "tok value",
 * a|b for oneof, "x [x ...]" for multiple — then one entry per group
 * ("@string"), all sorted by name. The escape sequences in the output are
 * redis-cli's (bold name, grey arguments, yellow labels, \r\n lines). */
#include "clihelp.h"

#include "dstr.h"
#include "mem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct helpEntry {
    bool isGroup;
    int argc;      /* words in the name: 1, or 2 for a subcommand */
    char *argv[2]; /* the words, uppercased */
    char *full;    /* "SET", "CLIENT KILL" or "@string" */
    dstr params;
    char *summary;
    char *since;
    char *group;
} helpEntry;

static helpEntry *helpEntries;
static size_t helpLen, helpCap;
static bool helpLoaded;

static char *upperDup(const char *s, size_t len) {
    char *d = kvStrndup(s, len);
    for (char *p = d; *p; p++) *p = (char)toupper((unsigned char)*p);
    return d;
}

static helpEntry *helpAdd(void) {
    if (helpLen == helpCap) {
        helpCap = helpCap ? helpCap * 2 : 256;
        helpEntries = kvRealloc(helpEntries, helpCap * sizeof(helpEntry));
    }
    helpEntry *e = &helpEntries[helpLen++];
    memset(e, 0, sizeof(*e));
    return e;
}

/* The value under key in a RESP3 map or a RESP2 flat key/value array. */
static const cliReply *mapGet(const cliReply *map, const char *key) {
    if (map->type != CLI_REPLY_MAP && map->type != CLI_REPLY_ARRAY) return NULL;
    for (size_t i = 0; i + 1 < map->elements; i += 2) {
        const cliReply *k = map->element[i];
        if ((k->type == CLI_REPLY_STRING || k->type == CLI_REPLY_STATUS) && !strcmp(k->str, key))
            return map->element[i + 1];
    }
    return NULL;
}

static const char *mapGetString(const cliReply *map, const char *key) {
    const cliReply *v = mapGet(map, key);
    if (!v || (v->type != CLI_REPLY_STRING && v->type != CLI_REPLY_STATUS)) return NULL;
    return v->str;
}

static dstr catOrEmpty(dstr s, const char *v) {
    return dstrCat(s, (v && v[0]) ? v : "\"\"");
}

static dstr addArgument(dstr params, const cliReply *arg);

static dstr concatArguments(dstr params, const cliReply *args, const char *sep) {
    if (!args || args->type != CLI_REPLY_ARRAY) return params;
    for (size_t j = 0; j < args->elements; j++) {
        params = addArgument(params, args->element[j]);
        if (j != args->elements - 1) params = dstrCat(params, sep);
    }
    return params;
}

/* redis-cli's cliAddArgument(). */
static dstr addArgument(dstr params, const cliReply *arg) {
    if (arg->type != CLI_REPLY_MAP && arg->type != CLI_REPLY_ARRAY) return params;
    const char *name = mapGetString(arg, "name");
    const char *type = mapGetString(arg, "type");
    const char *token = mapGetString(arg, "token");
    const cliReply *flags = mapGet(arg, "flags");
    bool optional = false, multiple = false, multipleToken = false;
    for (size_t j = 0; flags && j < flags->elements; j++) {
        const char *flag = flags->element[j]->str;
        if (!flag) continue;
        if (!strcmp(flag, "optional")) optional = true;
        if (!strcmp(flag, "multiple")) multiple = true;
        if (!strcmp(flag, "multiple_token")) multipleToken = true;
    }
    if (!type) type = "";
    dstr tokenPart = dstrEmpty(), repeatPart = dstrEmpty();
    if (token) tokenPart = catOrEmpty(tokenPart, token);
    if (!strcmp(type, "oneof"))
        repeatPart = concatArguments(repeatPart, mapGet(arg, "arguments"), "|");
    else if (!strcmp(type, "block"))
        repeatPart = concatArguments(repeatPart, mapGet(arg, "arguments"), " ");
    else if (strcmp(type, "pure-token") != 0)
        repeatPart = catOrEmpty(repeatPart, name);

    if (tokenPart[0] != '\0' && strcmp(type, "pure-token") != 0)
        tokenPart = dstrCat(tokenPart, " ");
    if (optional) params = dstrCat(params, "[");
    params = dstrCat(params, tokenPart);
    params = dstrCat(params, repeatPart);
    if (multiple) {
        params = dstrCat(params, " [");
        if (multipleToken) params = dstrCat(params, tokenPart);
        params = dstrCat(params, repeatPart);
        params = dstrCat(params, " ...]");
    }
    if (optional) params = dstrCat(params, "]");
    dstrFree(tokenPart);
    dstrFree(repeatPart);
    return params;
}

static bool groupKnown(const char *group) {
    for (size_t i = 0; i < helpLen; i++)
        if (helpEntries[i].isGroup && !strcasecmp(helpEntries[i].full + 1, group)) return true;
    return false;
}

/* One command (subname NULL) or subcommand ("client|kill") and, recursively,
 * its subcommands. */
static void addCommand(const char *cmdname, const char *subname, const cliReply *specs) {
    helpEntry *e = helpAdd();
    e->argc = subname ? 2 : 1;
    e->argv[0] = upperDup(cmdname, strlen(cmdname));
    if (subname) {
        const char *bar = strchr(subname, '|');
        const char *word = bar ? bar + 1 : subname;
        e->argv[1] = upperDup(word, strlen(word));
    }
    dstr full = dstrNew(e->argv[0]);
    if (subname) full = dstrCatPrintf(full, " %s", e->argv[1]);
    e->full = kvStrdup(full);
    dstrFree(full);
    e->params = concatArguments(dstrEmpty(), mapGet(specs, "arguments"), " ");
    const char *v;
    if ((v = mapGetString(specs, "summary"))) e->summary = kvStrdup(v);
    if ((v = mapGetString(specs, "since"))) e->since = kvStrdup(v);
    if ((v = mapGetString(specs, "group"))) e->group = kvStrdup(v);
    /* e may move when the table grows: copy what the recursion needs. */
    char *group = e->group ? kvStrdup(e->group) : NULL;

    const cliReply *subs = mapGet(specs, "subcommands");
    for (size_t i = 0; subs && i + 1 < subs->elements; i += 2)
        if (subs->element[i]->str) addCommand(cmdname, subs->element[i]->str, subs->element[i + 1]);

    if (group && !groupKnown(group)) {
        helpEntry *g = helpAdd();
        g->isGroup = true;
        g->argc = 1;
        dstr name = dstrCatPrintf(dstrEmpty(), "@%s", group);
        g->full = kvStrdup(name);
        g->argv[0] = kvStrdup(name);
        dstrFree(name);
    }
    kvFree(group);
}

static int entryCompare(const void *a, const void *b) {
    return strcasecmp(((const helpEntry *)a)->full, ((const helpEntry *)b)->full);
}

void cliHelpInit(cliSession *s) {
    if (helpLoaded) return;
    if (!cliSessionConnected(s) && cliSessionConnect(s, true) != 0) return;
    helpLoaded = true;
    char *argv[2] = {"COMMAND", "DOCS"};
    cliReply *docs = cliSessionCommand(s, 2, argv);
    if (!docs) return;
    if (docs->type == CLI_REPLY_MAP || docs->type == CLI_REPLY_ARRAY) {
        for (size_t i = 0; i + 1 < docs->elements; i += 2)
            if (docs->element[i]->str)
                addCommand(docs->element[i]->str, NULL, docs->element[i + 1]);
        qsort(helpEntries, helpLen, sizeof(helpEntry), entryCompare);
    }
    cliReplyFree(docs);
}

const char *cliHelpCandidate(size_t i, bool *isGroup) {
    if (i >= helpLen) return NULL;
    *isGroup = helpEntries[i].isGroup;
    return helpEntries[i].full;
}

static void printGenericHelp(void) {
    printf("kv-cli %s\n"
           "To get help about kv commands type:\n"
           "      \"help @<group>\" to get a list of commands in <group>\n"
           "      \"help <command>\" for help on <command>\n"
           "      \"help <tab>\" to get a list of possible help topics\n"
           "      \"quit\" to exit\n",
           CLI_VERSION);
}

static void printCommandHelp(const helpEntry *e, bool withGroup) {
    printf("\r\n  \x1b[1m%s\x1b[0m \x1b[90m%s\x1b[0m\r\n", e->full, e->params);
    printf("  \x1b[33msummary:\x1b[0m %s\r\n", e->summary ? e->summary : "");
    if (e->since) printf("  \x1b[33msince:\x1b[0m %s\r\n", e->since);
    if (withGroup) printf("  \x1b[33mgroup:\x1b[0m %s\r\n", e->group ? e->group : "");
}

void cliHelpShow(cliSession *s, int argc, char **argv) {
    if (argc == 0) {
        printGenericHelp();
        return;
    }
    cliHelpInit(s);
    const char *group = NULL;
    if (argv[0][0] == '@' && groupKnown(argv[0] + 1)) group = argv[0] + 1;
    for (size_t i = 0; i < helpLen; i++) {
        const helpEntry *e = &helpEntries[i];
        if (e->isGroup) continue;
        if (group) {
            if (e->group && !strcasecmp(e->group, group)) printCommandHelp(e, false);
        } else if (argc <= e->argc) {
            int j;
            for (j = 0; j < argc; j++)
                if (strcasecmp(argv[j], e->argv[j]) != 0) break;
            if (j == argc) printCommandHelp(e, true);
        }
    }
    printf("\r\n");
}
