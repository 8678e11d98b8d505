/* cli.h - shared pieces of the interdict command-line tool. */
#ifndef INTERDICT_CLI_H
#define INTERDICT_CLI_H

#include <jansson.h>
#include <stdbool.h>

#include "interdict.h"

/* Exit statuses, part of the tool's documented interface. */
enum {
    EXIT_OK = 0,          /* done; for screen: no alert */
    EXIT_FAILURE_ = 1,    /* unusable input or internal error */
    EXIT_USAGE = 2,       /* bad command line */
    EXIT_ROW_ERRORS = 3,  /* batch finished, but some rows could not be screened */
    EXIT_ALERT = 4        /* screen: at least one alert */
};

#define MAX_LISTS 16

/* Lists named with --list (or the bundled default) and their index. */
typedef struct loaded_lists {
    interdict_list *lists[MAX_LISTS];
    size_t n;
    interdict_index *index;
} loaded_lists;

/* Loads the lists (default when none given) and builds the index. Prints
 * an error naming the file on failure. */
int load_lists(const char *const *paths, size_t n, loaded_lists *out);
void free_lists(loaded_lists *l);

/* Parses --type values. */
bool parse_party_type(const char *s, interdict_party_type *out);

/* A hit as a JSON object (new reference). */
json_t *hit_to_json(const interdict_hit *h);

/* An error record as a JSON object (new reference). */
json_t *error_to_json(const interdict_error *err);

void print_error(const char *prefix, const interdict_error *err);

int cmd_screen(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_text(int argc, char **argv);

#endif
