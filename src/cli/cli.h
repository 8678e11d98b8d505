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
#define LIST_SET_MAX 8       /* files of one list (OFAC CSV: 4) */

/* Where the lists come from: files named with --list, else the active
 * versions in the store named with --db (or INTERDICT_DB), else the bundled
 * UN list (or the file named by INTERDICT_LIST). --lists picks some of the
 * loaded lists for screening. */
typedef struct list_source {
    const char *paths[MAX_LISTS];
    size_t n_paths;
    const char *db;
    const char *only;
} list_source;

/* If argv[*i] is --list, --db or --lists, takes it and its value (moving
 * *i) and returns 1; returns -1 after printing a usage error; else 0. */
int parse_list_option(int argc, char **argv, int *i, list_source *src);

/* The store named by --db or INTERDICT_DB, or NULL. */
const char *store_path(const list_source *src);

/* The lists and their index, and which versions they are. */
typedef struct loaded_lists {
    interdict_list *lists[MAX_LISTS];
    int64_t version_ids[MAX_LISTS];   /* store versions, 0 for files */
    size_t n;
    interdict_index *index;
    char versions[1024];              /* "un:2026-02-27:1a2b3c4d5e6f,..." */
} loaded_lists;

/* Loads the lists and builds the index. Prints an error naming the file on
 * failure. */
int load_lists(const list_source *src, loaded_lists *out);
void free_lists(loaded_lists *l);

/* Checks a --lists value against the loaded lists (usage error if not). */
int check_list_filter(const loaded_lists *l, const char *only);

/* The loaded lists' versions as a JSON array (new reference). */
json_t *versions_to_json(const loaded_lists *l);

/* "person", "entity", "vessel", "aircraft" or "unknown". */
const char *party_type_word(interdict_party_type t);

/* Parses --type values. */
bool parse_party_type(const char *s, interdict_party_type *out);

/* JSON text built piece by piece (common.c): what json_dumps() would
 * write, compact, for the same object, without building it. A string that
 * is not valid UTF-8 leaves its member out, as jansson does. */
typedef struct json_text {
    char *s;
    size_t len, cap;
    bool failed;                  /* out of memory */
} json_text;
void jt_raw(json_text *t, const char *s, size_t n);
void jt_comma(json_text *t);      /* before a member or element, unless first */
void jt_key(json_text *t, const char *key);   /* key: letters and '_' only */
void jt_member_string(json_text *t, const char *key, const char *value);
void jt_member_real(json_text *t, const char *key, double v);
void jt_member_raw(json_text *t, const char *key, const char *literal);
char *jt_finish(json_text *t);    /* the text (malloc'd), or NULL if out of memory */

/* A hit as a JSON object: as text (an element of the array being written),
 * or as a new reference. */
void hit_json(json_text *t, const interdict_hit *h);
json_t *hit_to_json(const interdict_hit *h);

/* An error record as a JSON object (new reference). */
json_t *error_to_json(const interdict_error *err);

void print_error(const char *prefix, const interdict_error *err);

/* Screens a CSV of queries (id,name,type,dob,nationality) on several
 * threads, writing one JSON line per row in input order. */
typedef struct screen_csv_opts {
    double threshold;
    int threads;
    const char *only;             /* --lists */
    const char *versions;         /* recorded on every line */
    bool alerts_only;             /* write only rows that alert (and bad rows) */
    size_t *alerted;              /* if not NULL: rows that alerted */
    /* if not NULL: only hits on a party with an entry it accepts count */
    int (*keep)(const interdict_entry *e, const void *ctx);
    const void *keep_ctx;
} screen_csv_opts;
int screen_csv(const char *path, const interdict_index *index, const screen_csv_opts *o);

int cmd_screen(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_rescreen(int argc, char **argv);
int cmd_payment(int argc, char **argv);
int cmd_text(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
