/* outputlimit.c — client-output-buffer-limit (see outputlimit.h). */
#include "outputlimit.h"

#include "conf.h"
#include "config.h"
#include "log.h"
#include "mem.h"
#include "numconv.h"
#include "server.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

typedef struct OutputLimit {
    unsigned long long hard;
    unsigned long long soft;
    long long softSeconds;
} OutputLimit;

/* Indexed by the client-type classes that have limits (the master link is
 * limited as a normal client, as in Redis). Defaults are Redis's. */
#define OUTPUT_LIMIT_CLASSES 3
static OutputLimit limits[OUTPUT_LIMIT_CLASSES] = {
    {0, 0, 0},                                       /* normal */
    {256ULL * 1024 * 1024, 64ULL * 1024 * 1024, 60}, /* replica */
    {32ULL * 1024 * 1024, 8ULL * 1024 * 1024, 60},   /* pubsub */
};
/* The names CONFIG GET prints, in its order. */
static const char *const classNames[OUTPUT_LIMIT_CLASSES] = {"normal", "slave", "pubsub"};

static int outputLimitClassByName(const char *s) {
    if (strcasecmp(s, "normal") == 0) return CLIENT_TYPE_NORMAL;
    if (strcasecmp(s, "slave") == 0 || strcasecmp(s, "replica") == 0) return CLIENT_TYPE_REPLICA;
    if (strcasecmp(s, "pubsub") == 0) return CLIENT_TYPE_PUBSUB;
    return -1; /* "master" is not a class one can configure */
}

bool outputLimitConfigSet(int argc, char **argv, const char **err) {
    if (argc % 4 != 0) {
        *err = "Wrong number of arguments in buffer limit configuration.";
        return false;
    }
    OutputLimit next[OUTPUT_LIMIT_CLASSES];
    memcpy(next, limits, sizeof(next));
    for (int i = 0; i < argc; i += 4) {
        int cls = outputLimitClassByName(argv[i]);
        if (cls < 0) {
            *err = "Invalid client class specified in buffer limit configuration.";
            return false;
        }
        unsigned long long hard, soft;
        long long secs;
        if (!confParseMemory(argv[i + 1], &hard) || !confParseMemory(argv[i + 2], &soft) ||
            !strToLongLong(argv[i + 3], strlen(argv[i + 3]), &secs) || secs < 0) {
            *err = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            return false;
        }
        next[cls].hard = hard;
        next[cls].soft = soft;
        next[cls].softSeconds = secs;
    }
    memcpy(limits, next, sizeof(limits));
    return true;
}

dstr outputLimitConfigGet(dstr out) {
    for (int i = 0; i < OUTPUT_LIMIT_CLASSES; i++) {
        out = dstrCatPrintf(out, "%s%s %llu %llu %lld", i ? " " : "", classNames[i], limits[i].hard,
                            limits[i].soft, limits[i].softSeconds);
    }
    return out;
}

size_t outputLimitUsage(const Client *c) {
    return dstrLen(c->reply) - c->replyPos;
}

static int outputLimitClassOf(const Client *c) {
    int type = clientTypeOf(c);
    return type == CLIENT_TYPE_MASTER ? CLIENT_TYPE_NORMAL : type;
}

bool outputLimitEnforce(Client *c) {
    if (c->flags & (CLIENT_FAKE | CLIENT_CLOSE_ASAP)) return false;
    const OutputLimit *l = &limits[outputLimitClassOf(c)];
    size_t used = outputLimitUsage(c);
    bool hard = l->hard && used >= l->hard;
    bool soft = false;
    if (l->soft && used >= l->soft) {
        long long now = serverNowMs();
        if (c->obufSoftLimitReachedTime == 0) {
            c->obufSoftLimitReachedTime = now; /* the clock starts now */
        } else if (now - c->obufSoftLimitReachedTime > l->softSeconds * 1000) {
            soft = true;
        }
    } else {
        c->obufSoftLimitReachedTime = 0;
    }
    if (!hard && !soft) return false;
    dstr info = clientInfoLine(c, dstrEmpty());
    logMsg(LL_WARNING,
           "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", info);
    dstrFree(info);
    clientFreeAsync(c);
    return true;
}

size_t outputLimitCommandCap(size_t commandUnsent) {
    unsigned long long cap = OUTPUT_LIMIT_COMMAND_CAP_MIN;
    if (config.maxmemory > 0 && (unsigned long long)config.maxmemory / 4 > cap)
        cap = (unsigned long long)config.maxmemory / 4;
    /* Twice the memory in use apart from this reply: a reply that only
     * reads the data set (LRANGE of the biggest list, HGETALL…) stays below
     * it, however slowly its client reads. */
    size_t used = kvMemUsed();
    unsigned long long rest = used > commandUnsent ? (unsigned long long)(used - commandUnsent) : 0;
    if (rest * 2 > cap) cap = rest * 2;
    return cap > SIZE_MAX ? SIZE_MAX : (size_t)cap;
}

bool outputLimitEnforceStreaming(Client *c, size_t commandUnsent) {
    if (outputLimitEnforce(c)) return true;
    if (c->flags & (CLIENT_FAKE | CLIENT_CLOSE_ASAP)) return false;
    /* An explicit hard limit for the class is the operator's choice and
     * replaces the cap (pub/sub and replica classes have one by default). */
    if (limits[outputLimitClassOf(c)].hard) return false;
    size_t cap = outputLimitCommandCap(commandUnsent);
    if (commandUnsent <= cap) return false;
    dstr info = clientInfoLine(c, dstrEmpty());
    logMsg(LL_WARNING,
           "Client %s scheduled to be closed ASAP for overcoming of output buffer limits "
           "(the unsent reply of one command passed the %zu bytes safety cap).",
           info, cap);
    dstrFree(info);
    clientFreeAsync(c);
    return true;
}
