/* server.h — the process: event loop, listeners, cached clock, cron,
 * server-wide statistics and shutdown. */
#ifndef KV_SERVER_H
#define KV_SERVER_H

#include <event2/event.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define KV_VERSION     "7.0.15"
#define KVD_VERSION    "0.1.0"
#define KV_VERSION_NUM 0x00070000

/* Counters shown by INFO stats and reset by CONFIG RESETSTAT (the marked
 * ones only). Written by the module that owns the event. */
typedef struct ServerStats {
    long long startTimeMs;
    unsigned long long numCommands;            /* reset */
    unsigned long long numConnections;         /* reset */
    unsigned long long rejectedConns;          /* reset */
    unsigned long long expiredKeys;            /* reset */
    unsigned long long expiredTimeCapReached;  /* reset */
    unsigned long long evictedKeys;            /* reset */
    unsigned long long keyspaceHits;           /* reset */
    unsigned long long keyspaceMisses;         /* reset */
    unsigned long long netInputBytes;          /* reset */
    unsigned long long netOutputBytes;         /* reset */
    unsigned long long unexpectedErrorReplies; /* reset */
    unsigned long long totalReadsProcessed;    /* reset */
    unsigned long long totalWritesProcessed;   /* reset */
    unsigned long long clientQbufLimitDisconnections;
    long long dirty;        /* changes since the last save */
    long long lastSaveTime; /* seconds */
    unsigned long long cronLoops;
} ServerStats;

extern ServerStats stats;

struct event_base *serverEventBase(void);
/* Cached clock, refreshed before each command and each event-loop turn. */
long long serverNowMs(void);
long long serverNowUs(void);
void serverUpdateTime(void);
/* LRU clock in seconds, 24 bits, as Redis's (LRU_CLOCK_RESOLUTION 1000). */
uint32_t serverLruClock(void);
long long serverEstimateIdleMs(uint32_t lru);

/* Start-up after config is loaded: listeners, databases, cron. Exits on a
 * fatal error (port in use…). */
void serverInit(void);
/* The in-memory part of serverInit, without listeners or the event loop:
 * the databases, the value types, the command table, the slow log (also
 * what tests and fuzz harnesses need to run commands in-process). */
void serverInitKeyspace(int databases);
int serverRun(void);
/* Graceful shutdown requested from a signal or SHUTDOWN. flags: SHUTDOWN_*.
 * Returns false (with a reason in *why) if refused. */
#define SHUTDOWN_NOFLAGS 0
#define SHUTDOWN_SAVE    1
#define SHUTDOWN_NOSAVE  2
#define SHUTDOWN_NOW     4
#define SHUTDOWN_FORCE   8
bool serverShutdown(int flags, const char **why);
/* In a fork child (BGSAVE, AOF rewrite): closes the child's copies of the
 * listening sockets, as Redis does. Otherwise a port the parent stops
 * listening on (CONFIG SET port/bind, a restart) keeps accepting
 * connections nobody serves, and cannot be bound again, until the child
 * exits. */
void serverChildCloseListeners(void);
/* Keeps a copy of kvd's command line (from main) for serverRestart. */
void serverSaveCommandLine(int argc, char **argv);
/* DEBUG RESTART (graceful: config rewrite when there is a config file,
 * then what a shutdown does, saving per the save points) and
 * CRASH-AND-RECOVER (not graceful: nothing saved, a running BGSAVE or AOF
 * rewrite child killed): closes every fd above 2,
 * sleeps delayMs, then execs config.executable with the saved command line
 * in this same process. Returns false with Redis's error in *why only when
 * it could not start (not executable, rewrite or save failed); once the
 * listeners are closed it either execs or exits. */
bool serverRestart(bool graceful, long long delayMs, const char **why);
/* Serves other clients' events without blocking while a long script runs
 * (script.c): cron does not run meanwhile; a SHUTDOWN NOSAVE accepted here
 * exits the process at once. */
void serverProcessEventsWhileBusy(void);
/* True while a command runs inside DEBUG PAUSE-CRON etc. */
void serverSetCronPaused(bool paused);
/* Runs ready events during the start-up load (rdb.c); exits if a shutdown
 * was requested meanwhile. */
void serverProcessEventsWhileLoading(void);
/* Re-opens the TCP listeners for the port/bind in force (CONFIG SET);
 * on failure keeps the old ones and sets *why. */
bool serverRebindTcp(const char **why);
/* sd_notify-style notification to the supervisor (systemd). */
void serverNotifySupervisor(const char *msg);
const char *serverRunId(void);
/* The cron frequency in force (hz, raised by dynamic-hz under load). */
int serverHz(void);

#endif
