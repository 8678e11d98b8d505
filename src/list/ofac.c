/* ofac.c - placeholder */
#include "list.h"
#include "../util/error.h"
interdict_status list_parse_ofac_xml(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path, interdict_error *err)
{
    (void)list, (void)data, (void)len, (void)path;
    return set_error(err, INTERDICT_ERR_FORMAT, name, 0, "", "OFAC XML not supported yet");
}
interdict_status list_parse_ofac_csv(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path, interdict_error *err)
{
    (void)list, (void)data, (void)len, (void)path;
    return set_error(err, INTERDICT_ERR_FORMAT, name, 0, "", "OFAC CSV not supported yet");
}
int list_sniff_ofac_csv(const char *data, size_t len)
{
    (void)data, (void)len;
    return 0;
}
