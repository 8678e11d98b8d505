/* Fuzz target: the list loader and the EU Financial Sanctions Files XML
 * parser. Any input must either load or fail with a filled error record;
 * nothing may crash, hang or leak. A loaded EU list must keep the promises
 * of interdict.h (list_check.h), and its cross-references name UN
 * listings. */
#include "list_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_eu_entry(const interdict_entry *e)
{
    for (size_t k = 0; k < e->n_crossrefs; k++)
        if (strcmp(e->crossrefs[k].list, "un") != 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    interdict_list *list = load_checked(data, size);
    if (!list)
        return 0;
    if (interdict_list_count(list) == 0)
        abort();
    if (strcmp(interdict_list_id(list), "eu") == 0) {
        if (strcmp(interdict_list_format(list), "eu-xml") != 0)
            abort();
        check_list(list, 0, check_eu_entry);
    }
    interdict_list_free(list);
    return 0;
}
