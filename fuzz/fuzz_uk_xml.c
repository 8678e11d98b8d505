/* Fuzz target: the UK sanctions list XML parser (OFSI ConList.xml and the
 * FCDO UK Sanctions List XML), through the loader (format detection
 * included) and called directly (so inputs the sniffer turns away still
 * reach the parser). Any input must load or fail with a filled error
 * record; nothing may crash, hang or leak. A loaded list must keep the
 * promises of interdict.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"
#include "list/list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_strings(const char *const *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !s[i][0])
            abort();
}

static void check_entry(const interdict_entry *e)
{
    if (!e || !e->ref[0] || !e->list || !e->regime || !e->source_id || !e->listed_on ||
        !e->gender || !e->comments)
        abort();
    if (e->listed_on[0] && strlen(e->listed_on) != 10)
        abort();
    if (e->n_names == 0 || e->names[0].kind != INTERDICT_NAME_PRIMARY)
        abort();
    for (size_t k = 0; k < e->n_names; k++)
        if (!e->names[k].text[0] || (k > 0 && e->names[k].kind == INTERDICT_NAME_PRIMARY))
            abort();
    for (size_t k = 0; k < e->n_dobs; k++)
        if (e->dobs[k].kind == INTERDICT_DATE_TEXT && !e->dobs[k].note)
            abort();
    for (size_t k = 0; k < e->n_documents; k++)
        if (!e->documents[k].type || !e->documents[k].number[0] || !e->documents[k].country ||
            !e->documents[k].note)
            abort();
    for (size_t k = 0; k < e->n_addresses; k++)
        if (!e->addresses[k].text || !e->addresses[k].country)
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

static void check_list(const interdict_list *list)
{
    if (interdict_list_count(list) == 0 || !interdict_list_generated(list))
        abort();
    for (size_t i = 0; i < interdict_list_count(list); i++)
        check_entry(interdict_list_entry(list, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    interdict_list *list = NULL;
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = interdict_list_load_memory((const char *)data, size, "fuzz", &list, &err);
    if (rc != INTERDICT_OK) {
        if (list || err.code != rc || strcmp(err.file, "fuzz") != 0 || !err.message[0])
            abort();
    } else {
        check_list(list);
        interdict_list_free(list);
    }

    /* the parser itself, on whatever the sniffer said */
    list = calloc(1, sizeof *list);
    if (!list)
        return 0;
    arena_init(&list->mem);
    list->id = list->format = list->generated = list->source = "";
    memset(&err, 0, sizeof err);
    rc = list_parse_uk_xml(list, (const char *)data, size, "fuzz", NULL, &err);
    if (rc != INTERDICT_OK) {
        if (err.code != rc || strcmp(err.file, "fuzz") != 0 || !err.message[0])
            abort();
    } else {
        if (strcmp(list->id, "uk") != 0 || strncmp(list->format, "uk-", 3) != 0)
            abort();
        check_list(list);
    }
    interdict_list_free(list);
    return 0;
}
