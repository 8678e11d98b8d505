/* Fuzz target: the OpenSanctions FollowTheMoney JSON lines parser, called
 * directly so that every input reaches it. Any input must either load or
 * fail with a filled error record; nothing may crash, hang or leak. A
 * loaded list must keep the promises of interdict.h (list_check.h). */
#include "list_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every FtM entity becomes a party of a known type. */
static void check_ftm_entry(const interdict_entry *e)
{
    if (strcmp(e->list, "opensanctions") != 0)
        abort();
    if (e->type < INTERDICT_PARTY_PERSON || e->type > INTERDICT_PARTY_AIRCRAFT)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_checked(list_parse_ftm_json, data, size, "opensanctions", "ftm-json",
                  check_ftm_entry);
    return 0;
}
