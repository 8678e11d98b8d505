#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK_MIN = 64 * 1024 };

struct arena_block {
    arena_block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

void arena_init(arena *a) { a->head = NULL; a->used_bytes = 0; }

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_bytes = 0;
}

/* Memory from the arena, not cleared. */
static void *take(arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > ARENA_BLOCK_MIN ? size : ARENA_BLOCK_MIN;
        b = malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->size = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->used_bytes += size;
    return p;
}

void *arena_alloc(arena *a, size_t size)
{
    void *p = take(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

arena_mark arena_get_mark(const arena *a)
{
    arena_mark m = {a->head, a->head ? a->head->used : 0, a->used_bytes};
    return m;
}

void arena_rewind(arena *a, arena_mark m)
{
    while (a->head && a->head != m.head) {
        arena_block *next = a->head->next;
        free(a->head);
        a->head = next;
    }
    if (a->head)
        a->head->used = m.used;
    a->used_bytes = m.used_bytes;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = take(a, len + 1);       /* all of it is written */
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }
