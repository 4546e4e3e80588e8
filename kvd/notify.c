/* notify.c — keyspace notifications (see notify.h). */
#include "notify.h"

#include "numconv.h"
#include "pubsub.h"

#include <string.h>

static int notifyFlags = 0; /* notify-keyspace-events, parsed */

/* Class characters in the order CONFIG GET prints the type classes. */
static const struct {
    char ch;
    int flag;
} typeClasses[] = {
    {'g', NOTIFY_GENERIC}, {'$', NOTIFY_STRING}, {'l', NOTIFY_LIST},    {'s', NOTIFY_SET},
    {'h', NOTIFY_HASH},    {'z', NOTIFY_ZSET},   {'x', NOTIFY_EXPIRED}, {'e', NOTIFY_EVICTED},
    {'t', NOTIFY_STREAM},  {'d', NOTIFY_MODULE}, {'n', NOTIFY_NEW},
};

bool notifyConfigSet(const char *value, const char **err) {
    int flags = 0;
    for (const char *p = value; *p; p++) {
        int f = 0;
        switch (*p) {
            case 'A': f = NOTIFY_ALL; break;
            case 'K': f = NOTIFY_KEYSPACE; break;
            case 'E': f = NOTIFY_KEYEVENT; break;
            case 'm': f = NOTIFY_KEY_MISS; break;
            default:
                for (size_t i = 0; i < sizeof(typeClasses) / sizeof(typeClasses[0]); i++)
                    if (typeClasses[i].ch == *p) f = typeClasses[i].flag;
        }
        if (!f) {
            *err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
            return false;
        }
        flags |= f;
    }
    notifyFlags = flags;
    return true;
}

dstr notifyConfigGet(dstr out) {
    if ((notifyFlags & NOTIFY_ALL) == NOTIFY_ALL) {
        out = dstrCat(out, "A");
    } else {
        for (size_t i = 0; i < sizeof(typeClasses) / sizeof(typeClasses[0]); i++)
            if (notifyFlags & typeClasses[i].flag) out = dstrCatLen(out, &typeClasses[i].ch, 1);
    }
    if (notifyFlags & NOTIFY_KEYSPACE) out = dstrCat(out, "K");
    if (notifyFlags & NOTIFY_KEYEVENT) out = dstrCat(out, "E");
    if (notifyFlags & NOTIFY_KEY_MISS) out = dstrCat(out, "m");
    return out;
}

bool notifyEnabled(int type) {
    return (notifyFlags & type) && (notifyFlags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT));
}

void notifyKeyspaceEvent(int type, const char *event, const char *key, size_t klen, int dbid) {
    if (!notifyEnabled(type)) return;
    char db[LONG_STR_SIZE];
    int dblen = llToStr(db, sizeof(db), dbid);
    size_t elen = strlen(event);
    if (notifyFlags & NOTIFY_KEYSPACE) {
        dstr ch = dstrNewLen("__keyspace@", 11);
        ch = dstrCatLen(ch, db, (size_t)dblen);
        ch = dstrCatLen(ch, "__:", 3);
        ch = dstrCatLen(ch, key, klen);
        pubsubPublish(ch, dstrLen(ch), event, elen);
        dstrFree(ch);
    }
    if (notifyFlags & NOTIFY_KEYEVENT) {
        dstr ch = dstrNewLen("__keyevent@", 11);
        ch = dstrCatLen(ch, db, (size_t)dblen);
        ch = dstrCatLen(ch, "__:", 3);
        ch = dstrCatLen(ch, event, elen);
        pubsubPublish(ch, dstrLen(ch), key, klen);
        dstrFree(ch);
    }
}
