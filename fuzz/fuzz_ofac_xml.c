/* Fuzz target: the OFAC sdn.xml / cons.xml parser, called directly so that
 * every input reaches it (the loader's format detection has its own
 * target). Any input must parse or fail with a filled error record; nothing
 * may crash, hang or leak, and a parsed list keeps interdict.h's promises
 * (list_check.h). */
#include "list_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* OFAC's reference is its uid. */
static void check_ofac_entry(const interdict_entry *e)
{
    if (strcmp(e->ref, e->source_id) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_checked(list_parse_ofac_xml, data, size, "ofac", "ofac-xml", check_ofac_entry);
    return 0;
}
