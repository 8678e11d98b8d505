/* list_check.h - what every list fuzz target checks: an input either loads
 * or fails with a filled error record, and a list that loads keeps the
 * promises of interdict.h (a primary name first, no NULL strings, no empty
 * values, counts that match). Each target adds what its format promises on
 * top. */
#ifndef INTERDICT_FUZZ_LIST_CHECK_H
#define INTERDICT_FUZZ_LIST_CHECK_H

#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"
#include "list/list.h"

/* What check_entry lets pass, for targets that may see the UN parser's
 * entries: it keeps LISTED_ON as written and documents without a number. */
enum {
    ALLOW_RAW_LISTED_ON = 1,
    ALLOW_DOCUMENT_WITHOUT_NUMBER = 2
};

/* What check_entry lets pass for a loaded list: the loader may find any
 * format in any target's input. */
static inline unsigned allowances_of(const interdict_list *list)
{
    return strcmp(interdict_list_format(list), "un-xml") == 0
               ? ALLOW_RAW_LISTED_ON | ALLOW_DOCUMENT_WITHOUT_NUMBER
               : 0;
}

typedef interdict_status (*list_parser)(interdict_list *list, const char *data, size_t len,
                                        const char *name, const char *path,
                                        interdict_error *err);

static inline void check_strings(const char *const *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !s[i][0])
            abort();
}

static inline void check_entry(const interdict_entry *e, unsigned allow)
{
    if (!e || !e->ref[0] || !e->list || !e->regime || !e->source_id || !e->listed_on ||
        !e->gender || !e->comments)
        abort();
    if (!(allow & ALLOW_RAW_LISTED_ON) && e->listed_on[0] && strlen(e->listed_on) != 10)
        abort();
    if (e->n_names == 0 || e->names[0].kind != INTERDICT_NAME_PRIMARY)
        abort();
    for (size_t k = 0; k < e->n_names; k++)
        if (!e->names[k].text[0] || (k > 0 && e->names[k].kind == INTERDICT_NAME_PRIMARY))
            abort();
    for (size_t k = 0; k < e->n_dobs; k++) {
        const interdict_date *d = &e->dobs[k];
        if (d->kind == INTERDICT_DATE_TEXT && (!d->note || !d->note[0]))
            abort();
        if (d->kind == INTERDICT_DATE_RANGE && d->from_year > d->to_year)
            abort();
    }
    for (size_t k = 0; k < e->n_documents; k++) {
        const interdict_document *d = &e->documents[k];
        if (!d->type || !d->number || !d->country || !d->note)
            abort();
        if (!(allow & ALLOW_DOCUMENT_WITHOUT_NUMBER) && !d->number[0])
            abort();
    }
    for (size_t k = 0; k < e->n_addresses; k++)
        if (!e->addresses[k].text || !e->addresses[k].country ||
            (!e->addresses[k].text[0] && !e->addresses[k].country[0]))
            abort();
    for (size_t k = 0; k < e->n_crossrefs; k++)
        if (!e->crossrefs[k].list[0] || !e->crossrefs[k].ref[0])
            abort();
    check_strings(e->places_of_birth, e->n_places_of_birth);
    check_strings(e->nationalities, e->n_nationalities);
    check_strings(e->titles, e->n_titles);
    check_strings(e->designations, e->n_designations);
    check_strings(e->programs, e->n_programs);
}

/* A list with entries and a YYYY-MM-DD (or no) date, every entry checked
 * with check_entry and then with `extra`, the format's own promises (or
 * NULL). */
static inline void check_list(const interdict_list *list, unsigned allow,
                              void (*extra)(const interdict_entry *e))
{
    if (!list || interdict_list_count(list) == 0)
        abort();
    const char *generated = interdict_list_generated(list);
    if (!generated || (generated[0] && strlen(generated) != 10))
        abort();
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        check_entry(e, allow);
        if (extra)
            extra(e);
    }
}

/* A failure is reported with its own code, a message and (unless NULL)
 * the file it names. */
static inline void check_failure(interdict_status rc, const interdict_error *err,
                                 const char *file)
{
    if (err->code != rc || !err->message[0] || (file && strcmp(err->file, file) != 0))
        abort();
}

/* The input through the loader, format detection included: the list it
 * loaded (the caller checks and frees it), or NULL once the failure has
 * been checked. */
static inline interdict_list *load_checked(const uint8_t *data, size_t size)
{
    interdict_list *list = NULL;
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = interdict_list_load_memory((const char *)data, size, "fuzz", &list,
                                                     &err);
    if (rc == INTERDICT_OK)
        return list;
    if (list)
        abort();
    check_failure(rc, &err, "fuzz");
    return NULL;
}

/* An empty list, as the loader gives one to a parser. */
static inline interdict_list *new_list(void)
{
    interdict_list *list = calloc(1, sizeof *list);
    if (!list)
        abort();
    arena_init(&list->mem);
    list->id = list->format = list->generated = "";
    list->source = "fuzz";
    return list;
}

/* The input straight into one parser, so that inputs the format detection
 * turns away reach it too. A list that parses must carry `id` and a format
 * that matches the pattern `format` (fnmatch: "uk-*-csv"), and pass
 * check_list with `extra`; a failure must be reported. */
static inline void parse_checked(list_parser parse, const uint8_t *data, size_t size,
                                 const char *id, const char *format,
                                 void (*extra)(const interdict_entry *e))
{
    interdict_list *list = new_list();
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = parse(list, (const char *)data, size, "fuzz", NULL, &err);
    if (rc == INTERDICT_OK) {
        if (strcmp(list->id, id) != 0 || fnmatch(format, list->format, 0) != 0)
            abort();
        check_list(list, 0, extra);
    } else {
        check_failure(rc, &err, "fuzz");
    }
    interdict_list_free(list);
}

#endif
