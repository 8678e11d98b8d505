/* Fuzz target: the OFAC legacy CSV parser.
 *
 * An input without "\n###\n" is a main file read from memory (first through
 * the loader, which must sniff it, then through the parser directly). An
 * input with the separator holds a whole set - main, add, alt and comments
 * files in that order - written to a private folder and loaded by path, so
 * the linking of the side files is fuzzed too. Any input must load or fail
 * with a filled error record; nothing may crash, hang or leak. */
#include <stdio.h>
#include <unistd.h>

#include "list_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* OFAC's reference is its uid. */
static void check_ofac_entry(const interdict_entry *e)
{
    if (strcmp(e->ref, e->source_id) != 0)
        abort();
}

static void check_ofac_list(const interdict_list *list)
{
    if (!list || strcmp(interdict_list_format(list), "ofac-csv") != 0)
        abort();
    check_list(list, 0, check_ofac_entry);
}

static const char *const SET_NAMES[] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};
static char folder[64];

static void remove_folder(void)
{
    char path[128];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, SET_NAMES[i]);
        unlink(path);
    }
    rmdir(folder);
}

static void write_part(const char *name, const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
}

/* Splits the input at the separators into the four files of a set and
 * parses the main one by path. */
static void load_set(const uint8_t *data, size_t size, const uint8_t *first_sep)
{
    static const char sep[] = "\n###\n";
    const size_t sep_len = sizeof sep - 1;
    if (!folder[0]) {
        /* a memory file system when there is one: the set is rewritten for
         * every input */
        snprintf(folder, sizeof folder, "/dev/shm/fuzz-ofac-csv-XXXXXX");
        if (!mkdtemp(folder)) {
            snprintf(folder, sizeof folder, "/tmp/fuzz-ofac-csv-XXXXXX");
            if (!mkdtemp(folder))
                abort();
        }
        atexit(remove_folder);
    }
    const uint8_t *p = data, *end = data + size, *cut = first_sep;
    size_t main_len = (size_t)(first_sep - data);
    for (size_t part = 0; part < 4; part++) {
        if (part == 3 || !cut)
            cut = end;
        write_part(SET_NAMES[part], p, (size_t)(cut - p));
        p = cut == end ? end : cut + sep_len;
        cut = NULL;
        for (const uint8_t *q = p; q + sep_len <= end; q++)
            if (memcmp(q, sep, sep_len) == 0) {
                cut = q;
                break;
            }
    }
    char path[128];
    snprintf(path, sizeof path, "%s/sdn.csv", folder);
    interdict_list *list = new_list();
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = list_parse_ofac_csv(list, (const char *)data, main_len, path, path, &err);
    if (rc == INTERDICT_OK)
        check_ofac_list(list);
    else
        check_failure(rc, &err, NULL);   /* it may name a side file */
    interdict_list_free(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n###\n";
    const uint8_t *first_sep = NULL;
    for (size_t i = 0; i + sizeof sep - 1 <= size; i++)
        if (memcmp(data + i, sep, sizeof sep - 1) == 0) {
            first_sep = data + i;
            break;
        }
    if (first_sep) {
        load_set(data, size, first_sep);
        return 0;
    }

    /* the loader: an OFAC main file must be recognised as one */
    interdict_list *list = load_checked(data, size);
    if (list && list_sniff_ofac_csv((const char *)data, size))
        check_ofac_list(list);
    interdict_list_free(list);

    /* the parser itself, whatever the sniffer says */
    parse_checked(list_parse_ofac_csv, data, size, "ofac", "ofac-csv", check_ofac_entry);
    return 0;
}
