/* serve.c - `interdict serve`, `interdict keys` and `interdict audit`: the
 * HTTP service and its casebook, which live in the library. */
#include "cli.h"

#ifndef INTERDICT_DEFAULT_LIST
#define INTERDICT_DEFAULT_LIST "data/un/consolidated.xml"
#endif

int cmd_serve(int argc, char **argv)
{
    return interdict_serve_command(argc, argv, INTERDICT_DEFAULT_LIST);
}

int cmd_keys(int argc, char **argv) { return interdict_keys_command(argc, argv); }

int cmd_audit(int argc, char **argv) { return interdict_audit_command(argc, argv); }
