/* builder.h - assembling list entries, shared by every list parser.
 *
 * A parser opens an entry, adds what the record holds in any order, and
 * closes it. The builder trims and collapses white space, drops empty and
 * repeated values, keeps every string in the list's arena, parses dates of
 * birth written in the usual ways, and refuses entries without a name and
 * lists whose identifiers repeat. Memory failures are sticky and reported
 * by builder_end / builder_finish, so add calls need no checks. */
#ifndef INTERDICT_LIST_BUILDER_H
#define INTERDICT_LIST_BUILDER_H

#include "list.h"

typedef struct {
    unsigned char *items;
    size_t n, cap, size;
} builder_vec;

/* A growable array of fixed-size items: filled per entry, then moved into
 * the list's arena. Out of memory sets *oom and returns NULL. */
void *builder_vec_push(builder_vec *v, int *oom);
const void *builder_vec_take(builder_vec *v, arena *mem, int *oom, size_t *count);

/* A growable text, for parsers that join parts before keeping them: `s` is
 * NUL-terminated once anything has been added (NULL before). Out of memory
 * sets *oom and leaves the text as it was. */
typedef struct {
    char *s;
    size_t len, cap;
} builder_buf;

/* Makes room for `extra` more bytes and a NUL; 0 when out of memory. */
int builder_buf_reserve(builder_buf *t, size_t extra, int *oom);
void builder_buf_add(builder_buf *t, const char *s, size_t n, int *oom);
void builder_buf_reset(builder_buf *t);             /* empty; the memory is kept */
const char *builder_buf_str(const builder_buf *t);  /* "" when empty */

typedef struct entry_builder {
    interdict_list *list;
    const char *file;
    int oom;
    int open;                       /* an entry is being built */
    long line;                      /* where the open entry starts */
    interdict_entry entry;
    builder_vec names, dobs, places, nationalities, documents, addresses,
        titles, designations, programs, crossrefs, refs;
    char *scratch;
    size_t scratch_cap;
} entry_builder;

void builder_init(entry_builder *b, interdict_list *list, const char *file);
void builder_free(entry_builder *b);

/* Copies text into the list's arena with white space trimmed and runs of
 * it collapsed to one space; "" for NULL or blank text. */
const char *builder_text(entry_builder *b, const char *s, size_t n);
const char *builder_str(entry_builder *b, const char *s);   /* NUL-terminated */

/* Starts an entry with the list's own identifier (copied). `line` is where
 * the record starts, for error messages. */
void builder_begin(entry_builder *b, const char *ref, interdict_party_type type, long line);

/* Scalars of the open entry (copied): regime, source_id, listed_on,
 * gender, comments may also be set directly on b->entry with builder_str. */
void builder_name(entry_builder *b, const char *s, interdict_name_kind kind);
void builder_name_n(entry_builder *b, const char *s, size_t n, interdict_name_kind kind);

/* A date of birth as written: "1965-03-14", "14 Mar 1965", "14/03/1965",
 * "Mar 1965", "1965", "circa 1965", "1960 to 1962", "1960-1962", with
 * 00 or "dd"/"mm" for unknown parts. Anything else is kept as text. */
void builder_dob_text(entry_builder *b, const char *s);
void builder_dob(entry_builder *b, const interdict_date *d);

void builder_place_of_birth(entry_builder *b, const char *s);
void builder_nationality(entry_builder *b, const char *s);
void builder_title(entry_builder *b, const char *s);
void builder_designation(entry_builder *b, const char *s);
void builder_program(entry_builder *b, const char *s);
void builder_document(entry_builder *b, const char *type, const char *number,
                      const char *country, const char *note);
void builder_address(entry_builder *b, const char *text, const char *country);
void builder_crossref(entry_builder *b, const char *list, const char *ref);

/* Closes the entry and appends it to the list. An entry without a name is
 * an error naming field `name_field`; the first name added is the primary
 * one unless a PRIMARY name was added. */
interdict_status builder_end(entry_builder *b, const char *name_field, interdict_error *err);

/* After the last entry: out of memory, no entries, or a repeated
 * identifier (named with both lines, field `ref_field`) are errors. */
interdict_status builder_finish(entry_builder *b, const char *ref_field, interdict_error *err);

/* Parses one date of birth; 0 when the text is not a date. */
int builder_parse_date(const char *s, interdict_date *out);

#endif
