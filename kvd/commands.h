/* commands.h — the handler of every command in the table (commands.c),
 * implemented in the module named beside each group. */
#ifndef KV_COMMANDS_H
#define KV_COMMANDS_H

#include "client.h"

/* t_string.c */
void getCommand(Client *c);
void setCommand(Client *c);
void setnxCommand(Client *c);
void setexCommand(Client *c);
void psetexCommand(Client *c);
void getsetCommand(Client *c);
void getdelCommand(Client *c);
void getexCommand(Client *c);
void mgetCommand(Client *c);
void msetCommand(Client *c);
void msetnxCommand(Client *c);
void appendCommand(Client *c);
void strlenCommand(Client *c);
void getrangeCommand(Client *c);
void setrangeCommand(Client *c);
void incrCommand(Client *c);
void decrCommand(Client *c);
void incrbyCommand(Client *c);
void decrbyCommand(Client *c);
void incrbyfloatCommand(Client *c);
void lcsCommand(Client *c);

/* == t_hash.c == */
void hsetCommand(Client *c);
void hsetnxCommand(Client *c);
void hmsetCommand(Client *c);
void hgetCommand(Client *c);
void hmgetCommand(Client *c);
void hgetallCommand(Client *c);
void hdelCommand(Client *c);
void hlenCommand(Client *c);
void hexistsCommand(Client *c);
void hkeysCommand(Client *c);
void hvalsCommand(Client *c);
void hincrbyCommand(Client *c);
void hincrbyfloatCommand(Client *c);
void hstrlenCommand(Client *c);
void hrandfieldCommand(Client *c);
void hscanCommand(Client *c);
/* == end t_hash.c == */
/* == t_set.c == */
void saddCommand(Client *c);
void sremCommand(Client *c);
void smoveCommand(Client *c);
void sismemberCommand(Client *c);
void smismemberCommand(Client *c);
void scardCommand(Client *c);
void smembersCommand(Client *c);
void sinterCommand(Client *c);
void sintercardCommand(Client *c);
void sinterstoreCommand(Client *c);
void sunionCommand(Client *c);
void sunionstoreCommand(Client *c);
void sdiffCommand(Client *c);
void sdiffstoreCommand(Client *c);
void spopCommand(Client *c);
void srandmemberCommand(Client *c);
void sscanCommand(Client *c);
/* SINTERCARD's key positions (CommandGetKeysProc, command.h). */
int sintercardGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
/* == end t_set.c == */
/* == t_list.c == */
void blmoveCommand(Client *c);
void blmpopCommand(Client *c);
void blpopCommand(Client *c);
void brpopCommand(Client *c);
void brpoplpushCommand(Client *c);
void lindexCommand(Client *c);
void linsertCommand(Client *c);
void llenCommand(Client *c);
void lmoveCommand(Client *c);
void lmpopCommand(Client *c);
void lpopCommand(Client *c);
void lposCommand(Client *c);
void lpushCommand(Client *c);
void lpushxCommand(Client *c);
void lrangeCommand(Client *c);
void lremCommand(Client *c);
void lsetCommand(Client *c);
void ltrimCommand(Client *c);
void rpopCommand(Client *c);
void rpoplpushCommand(Client *c);
void rpushCommand(Client *c);
void rpushxCommand(Client *c);
/* Key positions of LMPOP / BLMPOP (movable keys). */
int lmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
int blmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
/* == end t_list.c == */
/* == sort.c == */
void sortCommand(Client *c);
void sortRoCommand(Client *c);
/* SORT's keys: the sorted key and the last STORE destination; SORT_RO's:
 * the sorted key (CommandGetKeysProc, command.h). */
int sortGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
int sortRoGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
/* == end sort.c == */
/* == t_zset.c == */
void bzmpopCommand(Client *c);
void bzpopmaxCommand(Client *c);
void bzpopminCommand(Client *c);
void zaddCommand(Client *c);
void zcardCommand(Client *c);
void zcountCommand(Client *c);
void zdiffCommand(Client *c);
void zdiffstoreCommand(Client *c);
void zincrbyCommand(Client *c);
void zinterCommand(Client *c);
void zintercardCommand(Client *c);
void zinterstoreCommand(Client *c);
void zlexcountCommand(Client *c);
void zmpopCommand(Client *c);
void zmscoreCommand(Client *c);
void zpopmaxCommand(Client *c);
void zpopminCommand(Client *c);
void zrandmemberCommand(Client *c);
void zrangeCommand(Client *c);
void zrangebylexCommand(Client *c);
void zrangebyscoreCommand(Client *c);
void zrangestoreCommand(Client *c);
void zrankCommand(Client *c);
void zremCommand(Client *c);
void zremrangebylexCommand(Client *c);
void zremrangebyrankCommand(Client *c);
void zremrangebyscoreCommand(Client *c);
void zrevrangeCommand(Client *c);
void zrevrangebylexCommand(Client *c);
void zrevrangebyscoreCommand(Client *c);
void zrevrankCommand(Client *c);
void zscanCommand(Client *c);
void zscoreCommand(Client *c);
void zunionCommand(Client *c);
void zunionstoreCommand(Client *c);
/* Key positions after a numkeys argument (CommandGetKeysProc, command.h):
 * ZUNION/ZINTER/ZDIFF/ZINTERCARD, the *STORE forms (destination first),
 * ZMPOP and BZMPOP. */
int zunionInterDiffGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
int zunionInterDiffStoreGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
int zmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
int bzmpopGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
/* == end t_zset.c == */
/* == pubsub.c, monitor.c == */
void publishCommand(Client *c);
void spublishCommand(Client *c);
void subscribeCommand(Client *c);
void unsubscribeCommand(Client *c);
void psubscribeCommand(Client *c);
void punsubscribeCommand(Client *c);
void ssubscribeCommand(Client *c);
void sunsubscribeCommand(Client *c);
void pubsubChannelsCommand(Client *c);
void pubsubNumsubCommand(Client *c);
void pubsubNumpatCommand(Client *c);
void pubsubShardchannelsCommand(Client *c);
void pubsubShardnumsubCommand(Client *c);
void pubsubHelpCommand(Client *c);
void monitorCommand(Client *c);
/* == end pubsub.c, monitor.c == */
/* == persistence (rdbcmd.c, dumpcmd.c) == */
void saveCommand(Client *c);
void bgsaveCommand(Client *c);
/* == aof.c == */
void bgrewriteaofCommand(Client *c);
/* == end aof.c == */
void dumpCommand(Client *c);
void restoreCommand(Client *c);
/* == end persistence == */

/* keyspace.c (generic key commands) */
void delCommand(Client *c);
void unlinkCommand(Client *c);
void existsCommand(Client *c);
void typeCommand(Client *c);
void renameCommand(Client *c);
void renamenxCommand(Client *c);
void keysCommand(Client *c);
void scanCommand(Client *c);
void randomkeyCommand(Client *c);
void touchCommand(Client *c);
void copyCommand(Client *c);
void moveCommand(Client *c);
void swapdbCommand(Client *c);
void dbsizeCommand(Client *c);
void flushdbCommand(Client *c);
void flushallCommand(Client *c);
void objectEncodingCommand(Client *c);
void objectRefcountCommand(Client *c);
void objectIdletimeCommand(Client *c);
void objectFreqCommand(Client *c);
void objectHelpCommand(Client *c);

/* expire.c */
void expireCommand(Client *c);
void pexpireCommand(Client *c);
void expireatCommand(Client *c);
void pexpireatCommand(Client *c);
void ttlCommand(Client *c);
void pttlCommand(Client *c);
void expiretimeCommand(Client *c);
void pexpiretimeCommand(Client *c);
void persistCommand(Client *c);

/* connection.c */
void pingCommand(Client *c);
void echoCommand(Client *c);
void quitCommand(Client *c);
void resetCommand(Client *c);
void helloCommand(Client *c);
void authCommand(Client *c);
void selectCommand(Client *c);

/* clientcmd.c */
void clientIdCommand(Client *c);
void clientSetnameCommand(Client *c);
void clientGetnameCommand(Client *c);
void clientListCommand(Client *c);
void clientInfoCommand(Client *c);
void clientKillCommand(Client *c);
void clientPauseCommand(Client *c);
void clientUnpauseCommand(Client *c);
void clientReplyCommand(Client *c);
void clientNoEvictCommand(Client *c);
void clientTrackingCommand(Client *c);
void clientCachingCommand(Client *c);
void clientGetredirCommand(Client *c);
void clientTrackinginfoCommand(Client *c);
void clientUnblockCommand(Client *c);
void clientHelpCommand(Client *c);

/* info.c */
void infoCommand(Client *c);

/* servercmd.c */
void timeCommand(Client *c);
void lastsaveCommand(Client *c);
void shutdownCommand(Client *c);
void memoryUsageCommand(Client *c);
void memoryHelpCommand(Client *c);
void memoryStatsCommand(Client *c);
void memoryDoctorCommand(Client *c);
void memoryMallocStatsCommand(Client *c);
void memoryPurgeCommand(Client *c);

/* commandcmd.c */
void commandCommand(Client *c);
void commandCountCommand(Client *c);
void commandInfoCommand(Client *c);
void commandDocsCommand(Client *c);
void commandListCommand(Client *c);
void commandGetkeysCommand(Client *c);
void commandGetkeysandflagsCommand(Client *c);
void commandHelpCommand(Client *c);

/* == multi.c == */
void multiCommand(Client *c);
void execCommand(Client *c);
void discardCommand(Client *c);
void watchCommand(Client *c);
void unwatchCommand(Client *c);
/* == end multi.c == */

/* debug.c */
void debugCommand(Client *c);

/* slowlog.c */
void slowlogGetCommand(Client *c);
void slowlogLenCommand(Client *c);
void slowlogResetCommand(Client *c);
void slowlogHelpCommand(Client *c);

/* config.c */
void configGetCommand(Client *c);
void configSetCommand(Client *c);
void configResetstatCommand(Client *c);
void configRewriteCommand(Client *c);
void configHelpCommand(Client *c);

/* == scripting (eval.c, function.c) == */
void evalCommand(Client *c);
void evalRoCommand(Client *c);
void evalshaCommand(Client *c);
void evalshaRoCommand(Client *c);
/* EVAL/FCALL key positions after numkeys (CommandGetKeysProc, command.h). */
int evalGetKeys(int argc, Arg *argv, int *keys, int maxKeys);
void scriptDebugCommand(Client *c);
void scriptExistsCommand(Client *c);
void scriptFlushCommand(Client *c);
void scriptHelpCommand(Client *c);
void scriptKillCommand(Client *c);
void scriptLoadCommand(Client *c);
void fcallCommand(Client *c);
void fcallRoCommand(Client *c);
void functionDeleteCommand(Client *c);
void functionDumpCommand(Client *c);
void functionFlushCommand(Client *c);
void functionHelpCommand(Client *c);
void functionKillCommand(Client *c);
void functionListCommand(Client *c);
void functionLoadCommand(Client *c);
void functionRestoreCommand(Client *c);
void functionStatsCommand(Client *c);
/* == end scripting == */

#endif
