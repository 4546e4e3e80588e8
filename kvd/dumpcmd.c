/* dumpcmd.c — DUMP and RESTORE: a key's value as an RDB-serialized payload
 * and back, byte-compatible with Redis 7.0 in both directions.
 *
 * Payload = <RDB type byte> <value as in an RDB file> <RDB version, 2 bytes
 * LE> <CRC-64 of all the preceding bytes, 8 bytes LE>. RESTORE refuses a
 * payload whose version is newer than ours or whose checksum is wrong
 * ("DUMP payload version or checksum are wrong"), and one that checks out
 * but does not decode to a valid, non-empty value ("Bad data format"): the
 * value is read by rdb.c's loader, which validates listpacks and intsets
 * deeply before adopting them, so no payload can crash the server.
 */
#include "client.h"
#include "aof.h"
#include "debug.h"
#include "propagate.h"
#include "commands.h"
#include "db.h"
#include "mem.h"
#include "notify.h"
#include "numconv.h"
#include "rdb.h"
#include "rdbfile.h"
#include "reply.h"
#include "server.h"

#include <string.h>

void dumpCommand(Client *c) {
    Object *o = dbLookupRead(c->db, c->argv[1].ptr, c->argv[1].len);
    if (!o) {
        addReplyNull(c);
        return;
    }
    dstr payload = rdbDumpObject(o);
    if (!payload) {
        addReplyError(c, "ERR DUMP is not supported for this value type yet");
        return;
    }
    addReplyBulk(c, payload, dstrLen(payload));
    dstrFree(payload);
}

/* Parses an IDLETIME / FREQ argument; false (error sent) when invalid. */
static bool restoreParseNumber(Client *c, const Arg *a, long long *out) {
    if (!strToLongLong(a->ptr, a->len, out)) {
        addReplyError(c, errNotInteger);
        return false;
    }
    return true;
}

/* RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds]
 * [FREQ frequency] — checks in Redis 7.0's order: options, existing key,
 * TTL, payload trailer, payload contents. */
void restoreCommand(Client *c) {
    bool replace = false, absttl = false;
    long long idle = -1, freq = -1, ttl;
    for (int j = 4; j < c->argc; j++) {
        int more = c->argc - j - 1;
        const Arg *a = &c->argv[j];
        if (argIs(a, "replace")) {
            replace = true;
        } else if (argIs(a, "absttl")) {
            absttl = true;
        } else if (argIs(a, "idletime") && more >= 1 && freq == -1) {
            if (!restoreParseNumber(c, &c->argv[j + 1], &idle)) return;
            if (idle < 0) {
                addReplyError(c, "ERR Invalid IDLETIME value, must be >= 0");
                return;
            }
            j++;
        } else if (argIs(a, "freq") && more >= 1 && idle == -1) {
            if (!restoreParseNumber(c, &c->argv[j + 1], &freq)) return;
            if (freq < 0 || freq > 255) {
                addReplyError(c, "ERR Invalid FREQ value, must be >= 0 and <= 255");
                return;
            }
            j++;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    const Arg *key = &c->argv[1];
    if (!replace && dbLookupWrite(c->db, key->ptr, key->len)) {
        addReplyError(c, "BUSYKEY Target key name already exists.");
        return;
    }
    if (!strToLongLong(c->argv[2].ptr, c->argv[2].len, &ttl)) {
        addReplyError(c, errNotInteger);
        return;
    }
    if (ttl < 0) {
        addReplyError(c, "ERR Invalid TTL value, must be >= 0");
        return;
    }
    const unsigned char *payload = (const unsigned char *)c->argv[3].ptr;
    size_t plen = c->argv[3].len;
    if (!rdbDumpTrailerValid(payload, plen, !debugSkipChecksumValidation)) {
        addReplyError(c, "ERR DUMP payload version or checksum are wrong");
        return;
    }
    /* A type byte before the trailer at least: a bare 10-byte trailer would
     * make the value's length below wrap. (Redis 7.0 reads such a payload's
     * type and value out of its own trailer; we refuse it.) */
    if (plen < 11) {
        addReplyError(c, "ERR Bad data format");
        return;
    }
    RdbReader r;
    const char *why;
    rdbReaderInitMemory(&r, payload + 1, plen - 11, false);
    Object *o = rdbLoadObject(&r, payload[0], key->ptr, key->len, &why);
    if (!o) {
        addReplyError(c, "ERR Bad data format");
        return;
    }
    bool deleted = replace && dbDelete(c->db, key->ptr, key->len);
    if (ttl && !absttl) ttl += serverNowMs();
    if (ttl && ttl <= serverNowMs() && !aofLoading()) {
        /* Already expired: the key is not created (and a replaced one is
         * gone, propagated as DEL), as Redis does. */
        objFree(o);
        if (deleted) {
            dbSignalModified(c->db, key->ptr, key->len);
            notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
            Arg del[2] = {{"DEL", 3}, *key};
            propagateReplace(c, 2, del);
        }
        addReplyOk(c);
        return;
    }
    dbAdd(c->db, o);
    if (ttl) o = dbSetExpire(c->db, o, ttl);
    rdbApplyClockHints(o, idle, (int)freq);
    dbSignalModified(c->db, key->ptr, key->len);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "restore", key->ptr, key->len, c->db->id);
    if (ttl && !absttl) {
        /* A relative TTL propagates as the absolute time + ABSTTL (Redis
         * 7.0), so a replayed AOF does not extend it. */
        Arg *argv = kvMalloc((size_t)(c->argc + 1) * sizeof(Arg));
        char num[24];
        for (int i = 0; i < c->argc; i++) argv[i] = c->argv[i];
        argv[2] = (Arg){num, (size_t)snprintf(num, sizeof(num), "%lld", ttl)};
        argv[c->argc] = (Arg){"ABSTTL", 6};
        propagateReplace(c, c->argc + 1, argv);
        kvFree(argv);
    }
    addReplyOk(c);
}
