/* clisplit.c — see clisplit.h. A thin seam over confSplitArgsLen(), so that
 * kv-cli never depends on where the splitter lives. */
#include "clisplit.h"

#include "conf.h"
#include "mem.h"

char **cliSplitLine(const char *line, int *argc, size_t **lens) {
    return confSplitArgsLen(line, argc, lens);
}

void cliFreeLine(char **argv, int argc, size_t *lens) {
    if (argv) confFreeArgs(argv, argc);
    kvFree(lens);
}
