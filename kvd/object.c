/* object.c — constructors, accessors and sizes of keyspace Objects
 * (layout in object.h). */
#include "object.h"

#include "mem.h"
#include "numconv.h"

#include <stdlib.h>

typedef struct ObjTypeOps {
    ObjValueFree *freeFn;
    ObjValueDup *dupFn;
    ObjValueSize *sizeFn;
} ObjTypeOps;

static ObjTypeOps typeOps[16];

void objRegisterType(int type, ObjValueFree *freeFn, ObjValueDup *dupFn, ObjValueSize *sizeFn) {
    typeOps[type].freeFn = freeFn;
    typeOps[type].dupFn = dupFn;
    typeOps[type].sizeFn = sizeFn;
}

static Object *objAlloc(size_t klen, size_t valuePart, int type, int encoding, long long expire) {
    bool hasExpire = expire >= 0;
    size_t size = sizeof(Object) + (hasExpire ? 8 : 0) + valuePart + klen;
    Object *o = kvMalloc(size);
    o->link.next = NULL;
    o->type = (uint32_t)type;
    o->encoding = (uint32_t)encoding;
    o->lru = 0;
    o->keyLen = (uint32_t)klen;
    o->unsharedInt = 0;
    o->hasExpire = hasExpire;
    if (hasExpire) objSetExpireField(o, expire);
    return o;
}

static void objCopyKey(Object *o, const char *key, size_t klen) {
    memcpy((char *)objKey(o), key, klen);
}

Object *objNewStringInt(const char *key, size_t klen, long long v, long long expire) {
    Object *o = objAlloc(klen, 8, OBJ_STRING, OBJ_ENC_INT, expire);
    objSetInt(o, v);
    objCopyKey(o, key, klen);
    return o;
}

Object *objNewStringRaw(const char *key, size_t klen, dstr val, long long expire) {
    Object *o = objAlloc(klen, 8, OBJ_STRING, OBJ_ENC_RAW, expire);
    objSetPtr(o, val);
    objCopyKey(o, key, klen);
    return o;
}

Object *objNewString(const char *key, size_t klen, const char *val, size_t vlen, bool tryInt,
                     long long expire) {
    long long v;
    if (tryInt && vlen <= 20 && strToLongLong(val, vlen, &v))
        return objNewStringInt(key, klen, v, expire);
    if (vlen <= OBJ_EMBSTR_MAX) {
        Object *o = objAlloc(klen, 1 + vlen, OBJ_STRING, OBJ_ENC_EMBSTR, expire);
        char *p = objValuePart(o);
        p[0] = (char)(uint8_t)vlen;
        memcpy(p + 1, val, vlen);
        objCopyKey(o, key, klen);
        return o;
    }
    return objNewStringRaw(key, klen, dstrNewLen(val, vlen), expire);
}

Object *objNewPtr(const char *key, size_t klen, int type, int encoding, void *ptr,
                  long long expire) {
    Object *o = objAlloc(klen, 8, type, encoding, expire);
    objSetPtr(o, ptr);
    objCopyKey(o, key, klen);
    return o;
}

static void objFreeValue(Object *o) {
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENC_RAW) dstrFree(objPtr(o));
        return;
    }
    if (typeOps[o->type].freeFn) typeOps[o->type].freeFn((int)o->encoding, objPtr(o));
}

void objFree(Object *o) {
    if (!o) return;
    objFreeValue(o);
    kvFree(o);
}

void objFreeShell(Object *o) {
    kvFree(o);
}

Object *objDupWithKey(const Object *o, const char *key, size_t klen) {
    long long expire = objGetExpire(o);
    Object *n;
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENC_INT) {
            n = objNewStringInt(key, klen, objInt(o), expire);
            n->unsharedInt = 1; /* Redis duplicates the value, unshared */
        } else if (o->encoding == OBJ_ENC_EMBSTR) {
            const char *p = objValuePart(o);
            n = objNewString(key, klen, p + 1, (uint8_t)p[0], false, expire);
        } else {
            dstr s = objPtr(o);
            n = objNewStringRaw(key, klen, dstrNewLen(s, dstrLen(s)), expire);
        }
    } else {
        void *copy = typeOps[o->type].dupFn((int)o->encoding, objPtr(o));
        n = objNewPtr(key, klen, (int)o->type, (int)o->encoding, copy, expire);
    }
    n->lru = o->lru;
    return n;
}

Object *objWithExpireSlot(const Object *o, bool hasExpire) {
    size_t vsize = objValuePartSize(o);
    Object *n = objAlloc(o->keyLen, vsize, (int)o->type, (int)o->encoding, hasExpire ? 0 : -1);
    n->lru = o->lru;
    memcpy(objValuePart(n), objValuePart(o), vsize);
    memcpy((char *)objKey(n), objKey(o), o->keyLen);
    return n;
}

const char *objStringBytes(const Object *o, char *buf, size_t *len) {
    switch (o->encoding) {
        case OBJ_ENC_INT: *len = (size_t)llToStr(buf, LONG_STR_SIZE, objInt(o)); return buf;
        case OBJ_ENC_EMBSTR: {
            const char *p = objValuePart(o);
            *len = (uint8_t)p[0];
            return p + 1;
        }
        default: {
            dstr s = objPtr(o);
            *len = dstrLen(s);
            return s;
        }
    }
}

size_t objStringLen(const Object *o) {
    char buf[LONG_STR_SIZE];
    size_t len;
    objStringBytes(o, buf, &len);
    return len;
}

const char *objTypeName(int type) {
    switch (type) {
        case OBJ_STRING: return "string";
        case OBJ_LIST: return "list";
        case OBJ_SET: return "set";
        case OBJ_ZSET: return "zset";
        case OBJ_HASH: return "hash";
        case OBJ_STREAM: return "stream";
        default: return "unknown";
    }
}

const char *objEncodingName(int encoding) {
    switch (encoding) {
        case OBJ_ENC_RAW: return "raw";
        case OBJ_ENC_INT: return "int";
        case OBJ_ENC_HASHTABLE: return "hashtable";
        case OBJ_ENC_INTSET: return "intset";
        case OBJ_ENC_SKIPLIST: return "skiplist";
        case OBJ_ENC_EMBSTR: return "embstr";
        case OBJ_ENC_QUICKLIST: return "quicklist";
        case OBJ_ENC_STREAM: return "stream";
        case OBJ_ENC_LISTPACK: return "listpack";
        default: return "unknown";
    }
}

size_t objMemoryUsage(const Object *o) {
    size_t size = kvAllocSize(o);
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENC_RAW) size += dstrAllocSize(objPtr(o));
    } else if (typeOps[o->type].sizeFn) {
        size += typeOps[o->type].sizeFn((int)o->encoding, objPtr(o));
    }
    return size;
}
