/* t_list.h — the list value type, for the list commands (t_list.c) and for
 * the modules that build or walk lists without going through commands (RDB
 * loading and saving, AOF rewrite, DEBUG, COPY, SORT).
 *
 * A list is an Object of type OBJ_LIST, encoding OBJ_ENC_QUICKLIST (Redis
 * 7.0 reports "quicklist" for every list, whatever its size), whose pointer
 * is a Quicklist (quicklist.h). An empty list never stays in the keyspace:
 * whatever removes a list's last element deletes the key.
 */
#ifndef KV_T_LIST_H
#define KV_T_LIST_H

#include "object.h"
#include "quicklist.h"

#include <stddef.h>

/* Registers the OBJ_LIST free/dup/size and DEBUG hooks. Call once at
 * start-up (list creation also calls it lazily). */
void listTypeInit(void);

/* A new empty list object for `key`, with the node fill and compression
 * depth of the current config (list-max-listpack-size,
 * list-compress-depth). Add at least one element before dbAdd(). */
Object *listTypeCreateObject(const char *key, size_t klen);

static inline Quicklist *listOf(const Object *o) {
    return (Quicklist *)objPtr(o);
}

static inline unsigned long listTypeLength(const Object *o) {
    return quicklistCount(listOf(o));
}

/* Pushes a string at the head (QL_HEAD) or tail (QL_TAIL). */
void listTypePush(Object *o, int where, const void *s, size_t len);

#endif
