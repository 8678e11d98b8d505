/* Fuzz target: the list loader and the UN Consolidated List XML parser.
 * Any input must either load or fail with a filled error record; nothing
 * may crash, hang or leak. A loaded list must keep the promises of
 * interdict.h (list_check.h), with the UN parser's allowances: a LISTED_ON
 * that is no date kept as written, documents that lack a number. */
#include "list_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    interdict_list *list = load_checked(data, size);
    if (!list)
        return 0;
    /* other formats load too (OFAC, ...); a UN file must come out as "un" */
    if (strcmp(interdict_list_format(list), "un-xml") == 0 &&
        strcmp(interdict_list_id(list), "un") != 0)
        abort();
    check_list(list, allowances_of(list), NULL);
    interdict_list_free(list);
    return 0;
}
