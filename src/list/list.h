/* list.h - internal layout of a loaded list and the parsers that fill it. */
#ifndef INTERDICT_LIST_H
#define INTERDICT_LIST_H

#include "interdict.h"
#include "../util/arena.h"

/* Files one list may consist of beyond its main file. */
#define LIST_MAX_FILES 8

/* Largest list file accepted; official lists are a few MB. */
#define LIST_MAX_FILE_BYTES ((size_t)512 * 1024 * 1024)

struct interdict_list {
    arena mem;                  /* every string and sub-array of the entries */
    const char *id;             /* "un", "ofac", "eu", "uk", ... */
    const char *format;         /* "un-xml", "ofac-csv", ... */
    const char *source;         /* path or name given at load */
    const char *generated;      /* dateGenerated, or "" */
    interdict_entry *entries;   /* malloc'd array */
    size_t n_entries, cap_entries;
    char sha256[65];            /* of the file, or of the file set (see list.c) */
    /* Further files the parser read (the OFAC CSV set's address, alias
     * and comment files), so that a stored version keeps all of them. */
    struct list_file {
        const char *path;
        char sha256[65];
    } files[LIST_MAX_FILES];
    size_t n_files;
    size_t n_skipped;           /* records read but not screenable (FtM Sanction, ...) */
};

/* Parses the UN Security Council Consolidated List XML into an empty list.
 * On failure the list may hold partial data; the caller frees it. */
interdict_status list_parse_un_xml(interdict_list *list, const char *data,
                                   size_t len, const char *name,
                                   interdict_error *err);

/* Parsers of the other formats. Each sets list->id and list->format, fills
 * the entries through an entry_builder (builder.h) and fails with an error
 * naming the file, line and field on anything it cannot read. `path` is the
 * file the data came from, or NULL when it came from memory. */
interdict_status list_parse_ofac_xml(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path,
                                     interdict_error *err);
/* The legacy CSV set: `data` is the main file (sdn.csv or cons_prim.csv);
 * with a path, the address, alias and comment files beside it are read too
 * and must be present. */
interdict_status list_parse_ofac_csv(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path,
                                     interdict_error *err);
interdict_status list_parse_eu_xml(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err);
interdict_status list_parse_uk_xml(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err);
interdict_status list_parse_uk_csv(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err);
interdict_status list_parse_ftm_json(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path,
                                     interdict_error *err);

/* Content sniffers for the formats that are not XML: 1 when the data looks
 * like that format (the parser still checks everything). */
int list_sniff_ofac_csv(const char *data, size_t len);
int list_sniff_uk_csv(const char *data, size_t len);

/* Reads a whole file (at most LIST_MAX_FILE_BYTES); the caller frees *out. */
interdict_status list_read_file(const char *path, char **out, size_t *out_len,
                                interdict_error *err);

/* Reads a further file of the list's set (list_read_file) and records it
 * with its digest in list->files. */
interdict_status list_read_sibling(interdict_list *list, const char *path, char **out,
                                   size_t *out_len, interdict_error *err);

/* Appends a zeroed entry; NULL when out of memory. */
interdict_entry *list_add_entry(interdict_list *list);

#endif
