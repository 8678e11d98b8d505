/* list.h - internal layout of a loaded list and the parsers that fill it. */
#ifndef INTERDICT_LIST_H
#define INTERDICT_LIST_H

#include "interdict.h"
#include "../util/arena.h"

/* Largest list file accepted; official lists are a few MB. */
#define LIST_MAX_FILE_BYTES ((size_t)512 * 1024 * 1024)

struct interdict_list {
    arena mem;                  /* every string and sub-array of the entries */
    const char *id;             /* "un" */
    const char *source;         /* path or name given at load */
    const char *generated;      /* dateGenerated, or "" */
    interdict_entry *entries;   /* malloc'd array */
    size_t n_entries, cap_entries;
};

/* Parses the UN Security Council Consolidated List XML into an empty list.
 * On failure the list may hold partial data; the caller frees it. */
interdict_status list_parse_un_xml(interdict_list *list, const char *data,
                                   size_t len, const char *name,
                                   interdict_error *err);

/* Appends a zeroed entry; NULL when out of memory. */
interdict_entry *list_add_entry(interdict_list *list);

#endif
