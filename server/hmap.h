/*
 * A small string-keyed hash map (open addressing, linear probing) for the
 * loop's in-memory registries: users by handle, rooms by name, throttle
 * entries by key. Keys are copied; values are the caller's.
 */
#ifndef HEARTH_HMAP_H
#define HEARTH_HMAP_H

#include <stddef.h>

struct hmap;

struct hmap *hmap_new(void);
/* Frees the map and its keys, not the values. */
void hmap_free(struct hmap *m);
void *hmap_get(const struct hmap *m, const char *key);
/* Inserts or replaces. Returns 0, or -1 when out of memory. */
int hmap_put(struct hmap *m, const char *key, void *value);
/* Removes and returns the value (NULL if absent). */
void *hmap_del(struct hmap *m, const char *key);
size_t hmap_count(const struct hmap *m);
/* Iterates: *pos starts at 0; returns 0 and fills key/value, or -1 at the
 * end. Do not insert while iterating; hmap_del of the current key is fine. */
int hmap_next(const struct hmap *m, size_t *pos, const char **key, void **value);

#endif
