/* ftm_json.c - placeholder */
#include "list.h"
#include "../util/error.h"
interdict_status list_parse_ftm_json(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path, interdict_error *err)
{
    (void)list, (void)data, (void)len, (void)path;
    return set_error(err, INTERDICT_ERR_FORMAT, name, 0, "", "JSON lines not supported yet");
}
