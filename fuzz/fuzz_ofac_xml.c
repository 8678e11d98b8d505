/* Fuzz target: the OFAC sdn.xml / cons.xml parser, called directly so that
 * every input reaches it (the loader's format detection has its own
 * target). Any input must parse or fail with a filled error record; nothing
 * may crash, hang or leak, and a parsed list keeps interdict.h's promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"
#include "list/list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_entry(const interdict_entry *e)
{
    if (!e || !e->ref[0] || strcmp(e->ref, e->source_id) != 0 || !e->regime ||
        !e->listed_on || !e->gender || !e->comments)
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
    for (size_t k = 0; k < e->n_places_of_birth; k++)
        if (!e->places_of_birth[k][0])
            abort();
    for (size_t k = 0; k < e->n_nationalities; k++)
        if (!e->nationalities[k][0])
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    interdict_list *list = calloc(1, sizeof *list);
    if (!list)
        abort();
    arena_init(&list->mem);
    list->id = list->format = list->source = list->generated = "";
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = list_parse_ofac_xml(list, (const char *)data, size, "fuzz", NULL, &err);
    if (rc != INTERDICT_OK) {
        if (err.code != rc || strcmp(err.file, "fuzz") != 0 || !err.message[0])
            abort();
    } else {
        const char *g = interdict_list_generated(list);
        if (interdict_list_count(list) == 0 || strcmp(interdict_list_id(list), "ofac") != 0 ||
            (g[0] && strlen(g) != 10))
            abort();
        for (size_t i = 0; i < interdict_list_count(list); i++)
            check_entry(interdict_list_entry(list, i));
    }
    interdict_list_free(list);
    return 0;
}
