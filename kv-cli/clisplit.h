/* clisplit.h — splitting a typed line into command arguments.
 *
 * One function so the rules live in one place: they are Redis's
 * sdssplitargs(), implemented by common's confSplitArgsLen() (conf.h). */
#ifndef KV_CLI_SPLIT_H
#define KV_CLI_SPLIT_H

#include <stddef.h>

/* Splits line into arguments: whitespace separates them; "double quotes"
 * understand \n \r \t \b \a \\ \" and \xHH; 'single quotes' only \'; a
 * closing quote must be followed by whitespace or the end of the line.
 * Returns the argument vector (with their lengths in *lens; arguments may
 * hold NUL bytes), *argc == 0 for a blank line, or NULL for unbalanced
 * quotes (redis-cli then prints "Invalid argument(s)"). Free with
 * cliFreeLine(). */
char **cliSplitLine(const char *line, int *argc, size_t **lens);

/* Frees what cliSplitLine() returned. NULLs are fine. */
void cliFreeLine(char **argv, int argc, size_t *lens);

#endif
