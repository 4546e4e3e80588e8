/* server.c — the process around the commands: listeners, the event loop
 * with its before-sleep step, the cron timer (hz), signals, the cached clock,
 * supervisor notification and graceful shutdown. */
#include "server.h"

#include "aof.h"
#include "blocking.h"
#include "client.h"
#include "clienteviction.h"
#include "object.h"
#include "command.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "expire.h"
#include "function.h"
#include "info.h"
#include "lazyfree.h"
#include "log.h"
#include "mem.h"
#include "net.h"
#include "slowlog.h"
#include "tracking.h"
#include "rdb.h"
#include "t_hash.h"
#include "t_list.h"
#include "t_zset.h"
#include "t_set.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

ServerStats stats;

#define MAX_LISTENERS (CONFIG_BINDADDR_MAX + 1)

typedef struct Listener {
    int fd;
    bool unixSocket;
    struct event *ev;
} Listener;

static struct event_base *base = NULL;
static Listener listeners[MAX_LISTENERS];
static int listenerCount = 0;
static struct event *cronEvent = NULL;
static struct event *sigtermEvent = NULL, *sigintEvent = NULL;
static long long cachedMs = 0, cachedUs = 0;
static bool cronPaused = false;
static bool inBusyLoop = false; /* serverProcessEventsWhileBusy */
static bool shutdownRequested = false;
static bool exiting = false;
static char runId[41];
/* The command line kvd was started with, for DEBUG RESTART. */
static char **execArgv = NULL;

struct event_base *serverEventBase(void) {
    return base;
}

void serverUpdateTime(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    cachedUs = (long long)tv.tv_sec * 1000000 + tv.tv_usec;
    cachedMs = cachedUs / 1000;
}

long long serverNowMs(void) {
    return cachedMs;
}

long long serverNowUs(void) {
    return cachedUs;
}

uint32_t serverLruClock(void) {
    return (uint32_t)((cachedMs / 1000) & OBJ_LRU_CLOCK_MAX_VALUE);
}

long long serverEstimateIdleMs(uint32_t lru) {
    uint32_t now = serverLruClock();
    if (now >= lru) return (long long)(now - lru) * 1000;
    return (long long)((OBJ_LRU_CLOCK_MAX_VALUE - lru) + now) * 1000;
}

void serverSetCronPaused(bool paused) {
    cronPaused = paused;
}

const char *serverRunId(void) {
    return runId;
}

/* The cron frequency in force: hz, raised with the number of clients when
 * dynamic-hz is on (as Redis: about 200 clients per cron tick at most). */
int serverHz(void) {
    int hz = config.hz > 0 ? config.hz : 10;
    if (!config.dynamicHz) return hz;
    while (clientCount() / (unsigned long)hz > 200 && hz < 500) hz = hz * 2 > 500 ? 500 : hz * 2;
    return hz;
}

void serverNotifySupervisor(const char *msg) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || !path[0]) return;
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    size_t len = strlen(path);
    if (len >= sizeof(sa.sun_path)) return;
    memcpy(sa.sun_path, path, len);
    /* An abstract socket name starts with '@'. */
    if (sa.sun_path[0] == '@') sa.sun_path[0] = '\0';
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd == -1) return;
    socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) == -1)
        logMsg(LL_WARNING, "Can't send notification to supervisor: %s", strerror(errno));
    close(fd);
}

static void serverGenerateRunId(void) {
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[20];
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd == -1 || read(fd, raw, sizeof(raw)) != (ssize_t)sizeof(raw)) {
        for (size_t i = 0; i < sizeof(raw); i++) raw[i] = (unsigned char)random();
    }
    if (fd != -1) close(fd);
    for (int i = 0; i < 20; i++) {
        runId[i * 2] = hex[raw[i] >> 4];
        runId[i * 2 + 1] = hex[raw[i] & 15];
    }
    runId[40] = '\0';
}

/* ---- accepting ---- */
static void serverAccept(evutil_socket_t lfd, short what, void *arg) {
    (void)what;
    Listener *l = arg;
    /* Accept a bounded batch per wake-up, as Redis does (MAX_ACCEPTS). */
    for (int i = 0; i < 1000; i++) {
        int fd = netAccept((int)lfd);
        if (fd == -1) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                logMsg(LL_WARNING, "Accepting client connection: %s", strerror(errno));
            return;
        }
        serverUpdateTime();
        clientCreate(fd, l->unixSocket ? CLIENT_UNIX_SOCKET : 0);
    }
}

static bool serverAddListener(int fd, bool unixSocket) {
    Listener *l = &listeners[listenerCount];
    l->fd = fd;
    l->unixSocket = unixSocket;
    l->ev = event_new(base, fd, EV_READ | EV_PERSIST, serverAccept, l);
    if (!l->ev || event_add(l->ev, NULL) == -1) return false;
    listenerCount++;
    return true;
}

/* Opens the TCP listeners the config asks for (port, bind list) into fds;
 * returns how many, or -1 with the reason in err (and nothing left open). */
static int serverOpenTcp(int *fds, char *err) {
    int n = 0;
    if (config.port == 0) return 0;
    for (int i = 0; i < config.bindCount; i++) {
        const char *addr = config.bind[i];
        bool optional = addr[0] == '-';
        if (optional) addr++;
        char why[NET_ERR_LEN];
        int fd = netListenTcp(addr, config.port, config.tcpBacklog, why);
        if (fd != -1) {
            fds[n++] = fd;
            continue;
        }
        if (optional) continue;
        snprintf(err, NET_ERR_LEN, "%.40s:%d: %.180s", addr, config.port, why);
        while (n > 0) close(fds[--n]);
        return -1;
    }
    return n;
}

static void serverListenOrExit(void) {
    char err[NET_ERR_LEN];
    int fds[CONFIG_BINDADDR_MAX];
    int n = serverOpenTcp(fds, err);
    if (n < 0) {
        logMsg(LL_WARNING, "Warning: Could not create server TCP listening socket %s", err);
        logMsg(LL_WARNING, "Failed listening on port %d (TCP), aborting.", config.port);
        exit(1);
    }
    for (int i = 0; i < n; i++) serverAddListener(fds[i], false);
    if (config.unixsocket) {
        int fd = netListenUnix(config.unixsocket, (unsigned)config.unixsocketperm,
                               config.tcpBacklog, err);
        if (fd == -1) {
            logMsg(LL_WARNING, "Failed opening Unix socket: %s", err);
            exit(1);
        }
        serverAddListener(fd, true);
    }
    if (listenerCount == 0) {
        logMsg(LL_WARNING, "Configured to not listen anywhere, exiting.");
        exit(1);
    }
}

bool serverRebindTcp(const char **why) {
    static char err[NET_ERR_LEN + 32];
    char reason[NET_ERR_LEN];
    int fds[CONFIG_BINDADDR_MAX];
    int n = serverOpenTcp(fds, reason);
    if (n < 0) {
        snprintf(err, sizeof(err), "Unable to listen on this port: %s", reason);
        *why = err;
        return false;
    }
    /* The new sockets are open: drop the old TCP ones, keep the unix one. */
    int kept = 0;
    for (int i = 0; i < listenerCount; i++) {
        if (listeners[i].unixSocket) {
            listeners[kept++] = listeners[i];
        } else {
            event_free(listeners[i].ev);
            close(listeners[i].fd);
        }
    }
    listenerCount = kept;
    /* Listener events point at their slot: re-create the kept ones too. */
    for (int i = 0; i < listenerCount; i++) {
        event_free(listeners[i].ev);
        listeners[i].ev =
            event_new(base, listeners[i].fd, EV_READ | EV_PERSIST, serverAccept, &listeners[i]);
        event_add(listeners[i].ev, NULL);
    }
    for (int i = 0; i < n; i++) serverAddListener(fds[i], false);
    return true;
}

static void serverCloseListeners(void) {
    for (int i = 0; i < listenerCount; i++) {
        event_free(listeners[i].ev);
        close(listeners[i].fd);
    }
    listenerCount = 0;
    if (config.unixsocket) unlink(config.unixsocket);
}

void serverChildCloseListeners(void) {
    /* Only our copies of the fds: no event_free (the parent's loop owns the
     * events) and no unlink of the parent's unix socket file. */
    for (int i = 0; i < listenerCount; i++) close(listeners[i].fd);
    listenerCount = 0;
}

/* ---- cron ---- */
static void serverCron(evutil_socket_t fd, short what, void *arg) {
    (void)fd;
    (void)what;
    (void)arg;
    serverUpdateTime();
    if (shutdownRequested) {
        const char *why = NULL;
        if (!serverShutdown(SHUTDOWN_NOFLAGS, &why)) {
            logMsg(LL_WARNING, "SIGTERM received but errors trying to shut down the server, "
                               "check the logs for more information");
            shutdownRequested = false;
        }
        return;
    }
    /* A busy script is still running: the dataset must not change under it. */
    if (cronPaused || inBusyLoop) return;
    stats.cronLoops++;
    infoTrackInstantaneous();
    infoUpdateMemoryPeak();
    clientsCron();
    trackingCron();
    clientsResumePaused();
    blockingCron();
    rdbCron();
    aofCron();
    expireActiveCycle(ACTIVE_EXPIRE_CYCLE_SLOW);
    dbCron();
    clientFreeClosing();
}

static void serverScheduleCron(void) {
    struct timeval tv = {0, 1000000 / serverHz()};
    event_del(cronEvent);
    event_add(cronEvent, &tv);
}

static void serverSignal(evutil_socket_t sig, short what, void *arg) {
    (void)what;
    (void)arg;
    const char *name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    if (shutdownRequested && sig == SIGINT) {
        logMsg(LL_WARNING, "You insist... exiting now.");
        exit(1);
    }
    logMsg(LL_WARNING, "Received %s scheduling shutdown...", name);
    shutdownRequested = true;
}

/* The part of a graceful shutdown that a restart shares: children killed,
 * AOF flushed, the final save, pidfile and listeners gone. Returns false
 * (with Redis's reason in *why) when the save failed and flags has no
 * SHUTDOWN_FORCE; nothing is closed then. */
static bool serverPrepareForShutdown(int flags, const char **why) {
    /* Saving a half-loaded data set would destroy the file (Redis too
     * never saves when shutting down during loading). */
    if (rdbIsLoading()) flags = (flags & ~SHUTDOWN_SAVE) | SHUTDOWN_NOSAVE;
    logMsg(LL_WARNING, "User requested shutdown...");
    if (rdbChildPid() != -1) {
        logMsg(LL_WARNING, "There is a child saving an .rdb. Killing it!");
        rdbKillChild();
    }
    aofShutdown();
    bool save = (flags & SHUTDOWN_SAVE) || (rdbHasSavePoints() && !(flags & SHUTDOWN_NOSAVE));
    if (save && !(flags & SHUTDOWN_NOSAVE)) {
        logMsg(LL_NOTICE, "Saving the final RDB snapshot before exiting.");
        if (!rdbSaveOnShutdown()) {
            if (!(flags & SHUTDOWN_FORCE)) {
                logMsg(LL_WARNING, "Error trying to save the DB, can't exit.");
                *why = "ERR Errors trying to SHUTDOWN. Check logs.";
                return false;
            }
            logMsg(LL_WARNING, "Error trying to save the DB. Exit anyway.");
        }
    }
    if (config.pidfile) {
        logMsg(LL_NOTICE, "Removing the pid file.");
        unlink(config.pidfile);
    }
    serverCloseListeners();
    return true;
}

bool serverShutdown(int flags, const char **why) {
    if (!serverPrepareForShutdown(flags, why)) return false;
    /* The lazy free thread ends after the job it runs; queued jobs stay
     * reachable and go with the process. */
    lazyfreeShutdown();
    logMsg(LL_WARNING, "%s is now ready to exit, bye bye...", "Redis");
    exiting = true;
    event_base_loopbreak(base);
    return true;
}

void serverSaveCommandLine(int argc, char **argv) {
    execArgv = kvCalloc(((size_t)argc + 1) * sizeof(char *));
    for (int j = 0; j < argc; j++) execArgv[j] = kvStrdup(argv[j]);
}

/* Closes every descriptor above stderr, so that the new image inherits
 * only stdin/stdout/stderr (listeners, clients, the AOF, libevent's own). */
static void serverCloseInheritedFds(void) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
    struct rlimit rl;
    long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                   ? (long)rl.rlim_cur
                   : 65536;
    for (long fd = 3; fd < max; fd++)
        if (fcntl((int)fd, F_GETFD) != -1) close((int)fd);
}

bool serverRestart(bool graceful, long long delayMs, const char **why) {
    *why = "ERR failed to restart the server. Check server logs.";
    const char *exe = config.executable;
    if (!execArgv || !exe || access(exe, X_OK) == -1) {
        logMsg(LL_WARNING, "Can't restart: this process has no permissions to execute %s",
               exe ? exe : "(unknown)");
        return false;
    }
    if (graceful) {
        const char *err = NULL;
        if (config.configFile && !configRewrite(false, &err)) {
            logMsg(LL_WARNING, "Can't restart: configuration rewrite process failed: %s",
                   strerror(errno));
            return false;
        }
        if (!serverPrepareForShutdown(SHUTDOWN_NOFLAGS, &err)) {
            logMsg(LL_WARNING, "Can't restart: error preparing for shutdown");
            return false;
        }
    } else {
        /* A crash loses unsaved writes: a save still running must not
         * bring them back by renaming its file in place after we restart. */
        if (rdbChildPid() != -1) rdbKillChild();
        /* The new image would never reap an AOF rewrite child (a zombie
         * until exit) nor use what it writes: gone now, temp file too. */
        aofKillChild();
    }
    serverCloseInheritedFds();
    if (delayMs > 0) usleep((useconds_t)(delayMs * 1000));
    /* The same process (same PID) runs the same command line again, with
     * argv[0] made absolute so that a relative one survives `dir`. */
    execve(exe, execArgv, environ);
    _exit(1); /* nothing left to return to: the listeners are gone */
}

/* Called by rdb.c every few MB / thousand keys of the start-up load: runs
 * the ready events (accepting clients, their commands get -LOADING unless
 * flagged "loading"; no cron: it is armed after the load). A SIGTERM or
 * SHUTDOWN received meanwhile ends the process without saving. */
void serverProcessEventsWhileLoading(void) {
    event_base_loop(base, EVLOOP_NONBLOCK);
    /* Replies (-LOADING…) are written here: the loop's before-sleep step
     * does not run until the load ends. */
    clientsHandlePendingWrites();
    clientFreeClosing();
    serverUpdateTime();
    if (shutdownRequested && !exiting) {
        const char *why = NULL;
        logMsg(LL_WARNING, "Received shutdown signal during loading, shutting down.");
        serverShutdown(SHUTDOWN_NOSAVE, &why);
    }
    if (exiting) exit(0);
}

/* ---- start-up ---- */
static void serverWritePidfile(void) {
    if (!config.pidfile) return;
    FILE *f = fopen(config.pidfile, "w");
    if (!f) {
        logMsg(LL_WARNING, "Failed to write PID file: %s", strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

static void serverDaemonize(void) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid > 0) exit(0);
    setsid();
    int fd = open("/dev/null", O_RDWR);
    if (fd != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

void serverInitKeyspace(int databases) {
    dbInitAll(databases);
    hashTypeInit();
    setTypeInit();
    listTypeInit();
    zsetTypeInit();
    commandTableInit();
    slowlogInit();
}

void serverInit(void) {
    if (config.daemonize && config.supervised != SUPERVISED_SYSTEMD) serverDaemonize();
    /* A daemon without a pidfile still writes the default one, as Redis. */
    if (config.daemonize && !config.pidfile) config.pidfile = kvStrdup("/var/run/redis.pid");
    logSetRole('M');
    serverUpdateTime();
    stats.startTimeMs = serverNowMs();
    stats.lastSaveTime = serverNowMs() / 1000;
    serverGenerateRunId();
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    base = event_base_new();
    if (!base) {
        logMsg(LL_WARNING, "Failed creating the event loop.");
        exit(1);
    }
    serverInitKeyspace(config.databases);
    /* As Redis: listen first, then load (clients connecting meanwhile get
     * -LOADING), then arm the cron. */
    serverListenOrExit();
    sigtermEvent = evsignal_new(base, SIGTERM, serverSignal, NULL);
    sigintEvent = evsignal_new(base, SIGINT, serverSignal, NULL);
    event_add(sigtermEvent, NULL);
    event_add(sigintEvent, NULL);
    serverWritePidfile();
    logMsg(LL_NOTICE, "Server initialized");
    functionInit(); /* before loading: RDB/AOF files carry function libraries */
    if (!aofLoadAtStartup()) rdbLoadAtStartup();
    aofOpenAtStartup();
    cronEvent = event_new(base, -1, 0, serverCron, NULL);
    logMsg(LL_NOTICE, "Ready to accept connections %s", config.port ? "tcp" : "unix");
    if (config.supervised == SUPERVISED_SYSTEMD ||
        (config.supervised == SUPERVISED_AUTO && getenv("NOTIFY_SOCKET"))) {
        serverNotifySupervisor("STATUS=Ready to accept connections\n");
        serverNotifySupervisor("READY=1\n");
    }
}

static void serverBeforeSleep(void) {
    /* No clock read here: event handlers refresh the cached clock when they
     * wake up, and the fast expiry cycle reads its own when it runs. */
    expireActiveCycle(ACTIVE_EXPIRE_CYCLE_FAST);
    /* BCAST invalidations of this loop turn (expiry included). */
    trackingBeforeSleep();
    /* The AOF gets what this loop turn propagated before any reply leaves
     * (appendfsync always: fsynced too). */
    aofFlushBeforeReplies();
    /* Pub/Sub messages, keyspace events and MONITOR lines for other
     * clients (after the expiry cycle, which may publish "expired"). */
    clientsHandlePendingWrites();
    /* Clients over maxmemory-clients (a query buffer grown by a partial
     * request, output piled up for a slow reader) go once writes are done. */
    clientEvictionRun(NULL);
    clientFreeClosing();
}

void serverProcessEventsWhileBusy(void) {
    if (inBusyLoop) return;
    inBusyLoop = true;
    /* We run inside an event callback and libevent's loop is not
     * re-entrant: poll the listeners and the clients' sockets ourselves
     * (an operator opens a new connection to send SCRIPT KILL). Clients
     * whose read event is off (the script's caller, paused or blocked ones)
     * are left alone. */
    enum { MAX_POLLED = 1024 + MAX_LISTENERS };
    static struct pollfd pfds[MAX_POLLED];
    static uint64_t ids[MAX_POLLED];
    int n = 0;
    for (int i = 0; i < listenerCount; i++) {
        pfds[n].fd = listeners[i].fd;
        pfds[n].events = POLLIN;
        pfds[n].revents = 0;
        ids[n++] = 0;
    }
    int firstClient = n;
    for (Client *c = clientFirst(); c && n < MAX_POLLED; c = c->next) {
        if (c->fd < 0 || !event_pending(&c->readEvent, EV_READ, NULL)) continue;
        pfds[n].fd = c->fd;
        pfds[n].events = POLLIN;
        pfds[n].revents = 0;
        ids[n++] = c->id;
    }
    if (n > 0 && poll(pfds, (nfds_t)n, 0) > 0) {
        for (int i = 0; i < firstClient; i++)
            if (pfds[i].revents & POLLIN) serverAccept(pfds[i].fd, EV_READ, &listeners[i]);
        for (int i = firstClient; i < n; i++) {
            if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            Client *c = clientById(ids[i]);
            if (c) clientReadNow(c);
        }
    }
    clientsHandlePendingWrites();
    clientFreeClosing();
    inBusyLoop = false;
    /* SHUTDOWN NOSAVE was accepted while the script ran (Redis exits from
     * inside the script too). */
    if (exiting) exit(0);
}

int serverRun(void) {
    while (!exiting) {
        serverBeforeSleep();
        /* The cron timer is one-shot and re-armed here, so that CONFIG SET hz
         * takes effect at the next tick. */
        if (!event_pending(cronEvent, EV_TIMEOUT, NULL)) serverScheduleCron();
        event_base_loop(base, EVLOOP_ONCE);
    }
    /* Replies of the last loop turn (other clients served before SHUTDOWN). */
    clientsHandlePendingWrites();
    return 0;
}
