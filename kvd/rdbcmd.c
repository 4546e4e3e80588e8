/* rdbcmd.c — the SAVE and BGSAVE commands (LASTSAVE is in servercmd.c).
 * The work is rdb.c's; this file parses arguments and picks Redis 7.0's
 * replies. */
#include "client.h"
#include "commands.h"
#include "config.h"
#include "multi.h"
#include "rdb.h"
#include "reply.h"

void saveCommand(Client *c) {
    if (rdbChildPid() != -1) {
        addReplyError(c, "ERR Background save already in progress");
        return;
    }
    if (rdbSave(config.dbfilename))
        addReplyOk(c);
    else
        addReplyError(c, "ERR"); /* Redis replies a bare "-ERR"; the log says why */
}

/* BGSAVE [SCHEDULE]: with an RDB child already running, an error either
 * way; with another kind of child (an AOF rewrite) running, SCHEDULE makes
 * rdbCron start the save once that child is gone ("Background saving
 * scheduled") and the plain form is refused; inside EXEC it is always
 * scheduled (Redis does not fork in the middle of a transaction);
 * otherwise it starts now. */
void bgsaveCommand(Client *c) {
    bool schedule = false;
    if (c->argc > 1) {
        if (c->argc == 2 && argIs(&c->argv[1], "schedule")) {
            schedule = true;
        } else {
            addReplyError(c, errSyntax);
            return;
        }
    }
    if (rdbChildPid() != -1) {
        addReplyError(c, "ERR Background save already in progress");
        return;
    }
    bool inExec = multiActive(c); /* CLIENT_MULTI stays set while EXEC runs */
    if (rdbOtherChildActive() || inExec) {
        if (schedule || inExec) {
            rdbScheduleBgsave();
            addReplySimple(c, "Background saving scheduled");
        } else {
            addReplyError(c, "ERR " BGSAVE_OTHER_CHILD_ERROR);
        }
        return;
    }
    const char *err = NULL;
    if (rdbSaveBackground(config.dbfilename, &err))
        addReplySimple(c, "Background saving started");
    else
        addReplyError(c, err ? err : "ERR");
}
