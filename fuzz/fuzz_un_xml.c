/* Fuzz target: the list loader and the UN Consolidated List XML parser.
 * Any input must either load or fail with a filled error record; nothing
 * may crash, hang or leak. A loaded list must keep the promises of
 * interdict.h: a primary name first, no NULL strings, counts that match. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"

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
    if (e->n_names == 0 || e->names[0].kind != INTERDICT_NAME_PRIMARY)
        abort();
    for (size_t k = 0; k < e->n_names; k++)
        if (!e->names[k].text[0] || (k > 0 && e->names[k].kind == INTERDICT_NAME_PRIMARY))
            abort();
    for (size_t k = 0; k < e->n_dobs; k++)
        if (e->dobs[k].kind == INTERDICT_DATE_TEXT && !e->dobs[k].note)
            abort();
    for (size_t k = 0; k < e->n_documents; k++)
        if (!e->documents[k].type || !e->documents[k].number || !e->documents[k].country ||
            !e->documents[k].note)
            abort();
    for (size_t k = 0; k < e->n_addresses; k++)
        if (!e->addresses[k].text || !e->addresses[k].country)
            abort();
    check_strings(e->places_of_birth, e->n_places_of_birth);
    check_strings(e->nationalities, e->n_nationalities);
    check_strings(e->titles, e->n_titles);
    check_strings(e->designations, e->n_designations);
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
        return 0;
    }
    /* other formats load too (OFAC, ...); a UN file must come out as "un" */
    if (!list || interdict_list_count(list) == 0 ||
        (strcmp(interdict_list_format(list), "un-xml") == 0 &&
         strcmp(interdict_list_id(list), "un") != 0))
        abort();
    for (size_t i = 0; i < interdict_list_count(list); i++)
        check_entry(interdict_list_entry(list, i));
    interdict_list_free(list);
    return 0;
}
