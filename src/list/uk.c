/* uk.c - placeholder */
#include "list.h"
#include "../util/error.h"
interdict_status list_parse_uk_xml(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err)
{
    (void)list, (void)data, (void)len, (void)path;
    return set_error(err, INTERDICT_ERR_FORMAT, name, 0, "", "UK XML not supported yet");
}
interdict_status list_parse_uk_csv(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err)
{
    (void)list, (void)data, (void)len, (void)path;
    return set_error(err, INTERDICT_ERR_FORMAT, name, 0, "", "UK CSV not supported yet");
}
int list_sniff_uk_csv(const char *data, size_t len)
{
    (void)data, (void)len;
    return 0;
}
