/* arena.h - bump allocator: many small allocations, one free.
 *
 * Lists and indexes own thousands of short strings that live exactly as
 * long as their owner; an arena keeps them together and frees them at once. */
#ifndef INTERDICT_ARENA_H
#define INTERDICT_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;
    size_t used_bytes;      /* total handed out, for memory reports */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);

/* Returns zeroed memory aligned for any type, or NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);

/* Where an arena stands, to go back to: arena_rewind frees what was
 * allocated since the mark (pointers into it are then invalid). */
typedef struct arena_mark {
    arena_block *head;
    size_t used, used_bytes;
} arena_mark;

arena_mark arena_get_mark(const arena *a);
void arena_rewind(arena *a, arena_mark m);

/* Copies len bytes and a NUL; NULL when out of memory. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);

#endif
