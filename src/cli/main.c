/* main.c - the interdict command: dispatches to one function per command. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char USAGE[] =
    "usage: interdict COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  screen NAME [--dob D] [--nationality C] [--type person|entity]\n"
    "         [--threshold T] [--max-hits N] [--list PATH]... [--json]\n"
    "        screen one name; exit status 4 when it alerts, 0 when it does not\n"
    "  batch [--list PATH]... [--threshold T] [--threads N] QUERIES.csv\n"
    "        screen a CSV (id,name,type,dob,nationality) to JSON lines on stdout\n"
    "  lists show [--list PATH]... [--db PATH] [--json]\n"
    "        what is loaded: lists, formats, dates generated, checksums, counts\n"
    "  lists import FILE... [--db PATH] [--force]\n"
    "        store list versions (and make them the ones in use)\n"
    "  lists versions [LIST] [--db PATH] [--json]\n"
    "        the stored versions: when, from where, checksum, which is active\n"
    "  lists diff OLD NEW [--db PATH] [--json]\n"
    "        entries added, removed and changed (files, or @N for stored versions)\n"
    "  lists update [LIST]... [--config FILE] [--db PATH] [--min-ratio R]\n"
    "        download the lists, check them, and swap them in atomically\n"
    "  rescreen --customers FILE.csv [--db PATH] [--job NAME]\n"
    "        screen customers against what changed since their last run\n"
    "  payment [--list PATH]... [--rules RULES.json] [--threshold T] [--parties] FILE...\n"
    "        screen pacs.008, pain.001, MT103, MT202COV files; exit 4 when one is held\n"
    "  text [--list PATH]... [--threshold T] [--max-per-span N] FILE...\n"
    "        find listed parties mentioned in documents ('-' is standard input);\n"
    "        one JSON line per file, exit status 4 when any is found\n"
    "  serve [--port N] [--db PATH|postgres://...] [--list PATH]...\n"
    "        the HTTP service: JSON API under /v1, metrics, analyst web page\n"
    "  keys create --role R --name N [--db PATH] | keys list | keys revoke ID\n"
    "        API keys (client, analyst, supervisor, admin); a new key is shown once\n"
    "  audit verify [--db PATH] | audit show [--after SEQ]\n"
    "        check the audit trail's hash chain; print entries\n"
    "  normalize NAME\n"
    "        print the normalised Latin form the matcher compares\n"
    "\n"
    "Lists: --list PATH (repeatable; UN, OFAC, EU, UK, OpenSanctions formats),\n"
    "else the active versions in the store --db PATH (or INTERDICT_DB), else the\n"
    "bundled UN Security Council Consolidated List (or the file in INTERDICT_LIST).\n"
    "--lists un,ofac screens against some of the loaded lists only.\n";

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
        !strcmp(argv[1], "help")) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("interdict %s\n", INTERDICT_VERSION);
        return EXIT_OK;
    }
    int rc;
    if (!strcmp(argv[1], "screen"))
        rc = cmd_screen(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "batch"))
        rc = cmd_batch(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "lists"))
        rc = cmd_lists(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "rescreen"))
        rc = cmd_rescreen(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "payment"))
        rc = cmd_payment(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "text"))
        rc = cmd_text(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "serve"))
        rc = cmd_serve(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "keys"))
        rc = cmd_keys(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "audit"))
        rc = cmd_audit(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "normalize"))
        rc = cmd_normalize(argc - 1, argv + 1);
    else {
        fprintf(stderr, "interdict: unknown command '%s'\n\n%s", argv[1], USAGE);
        rc = EXIT_USAGE;
    }
    interdict_thread_cleanup();
    return rc;
}
