/* Fuzz target: the UK sanctions list XML parser (OFSI ConList.xml and the
 * FCDO UK Sanctions List XML), through the loader (format detection
 * included) and called directly (so inputs the sniffer turns away still
 * reach the parser). Any input must load or fail with a filled error
 * record; nothing may crash, hang or leak. A loaded list must keep the
 * promises of interdict.h (list_check.h). */
#include "list_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    interdict_list *list = load_checked(data, size);
    if (list)
        check_list(list, allowances_of(list), NULL);
    interdict_list_free(list);
    parse_checked(list_parse_uk_xml, data, size, "uk", "uk-*-xml", NULL);
    return 0;
}
