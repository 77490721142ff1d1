#include "hmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    char *key;      /* NULL: empty; TOMBSTONE: deleted */
    void *value;
};

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

struct hmap {
    struct slot *slots;
    size_t cap;      /* power of two */
    size_t used;     /* live + tombstones, drives growth */
    size_t live;
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

struct hmap *hmap_new(void)
{
    struct hmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 16;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void hmap_free(struct hmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE)
            free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static struct slot *find(const struct hmap *m, const char *key)
{
    size_t mask = m->cap - 1;
    for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
        struct slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->key != TOMBSTONE && strcmp(s->key, key) == 0)
            return s;
    }
}

void *hmap_get(const struct hmap *m, const char *key)
{
    struct slot *s = find(m, key);
    return s ? s->value : NULL;
}

static int grow(struct hmap *m)
{
    size_t cap = m->live * 4 > m->cap ? m->cap * 2 : m->cap; /* rehash in place drops tombstones */
    struct slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        struct slot *s = &m->slots[i];
        if (!s->key || s->key == TOMBSTONE)
            continue;
        size_t j = hash_key(s->key) & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    m->used = m->live;
    return 0;
}

int hmap_put(struct hmap *m, const char *key, void *value)
{
    struct slot *s = find(m, key);
    if (s) {
        s->value = value;
        return 0;
    }
    if ((m->used + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    char *k = strdup(key);
    if (!k)
        return -1;
    size_t mask = m->cap - 1;
    size_t i = hash_key(key) & mask;
    while (m->slots[i].key && m->slots[i].key != TOMBSTONE)
        i = (i + 1) & mask;
    if (!m->slots[i].key)
        m->used++;
    m->slots[i].key = k;
    m->slots[i].value = value;
    m->live++;
    return 0;
}

void *hmap_del(struct hmap *m, const char *key)
{
    struct slot *s = find(m, key);
    if (!s)
        return NULL;
    void *v = s->value;
    free(s->key);
    s->key = TOMBSTONE;
    s->value = NULL;
    m->live--;
    return v;
}

size_t hmap_count(const struct hmap *m) { return m->live; }

int hmap_next(const struct hmap *m, size_t *pos, const char **key, void **value)
{
    for (; *pos < m->cap; (*pos)++) {
        struct slot *s = &m->slots[*pos];
        if (s->key && s->key != TOMBSTONE) {
            *key = s->key;
            *value = s->value;
            (*pos)++;
            return 0;
        }
    }
    return -1;
}
