/* rescreen.c - `interdict rescreen`: after a list update, screens a customer
 * file against only the entries added or changed since that file was last
 * screened, and reports the new alerts ("did we catch the party listed last
 * night?").
 *
 * The store remembers, per customer file (the job) and list, the version it
 * was last screened against. Entries count as changed when a field screening
 * looks at changed (names, type, dates of birth, nationalities). The first run
 * has nothing to compare with and screens against every entry. */
#define _XOPEN_SOURCE 700     /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct ref_set {
    char **refs;          /* "list\x1fref", sorted */
    size_t n, cap;
} ref_set;

static int add_ref(ref_set *s, const interdict_entry *e)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        char **p = realloc(s->refs, cap * sizeof *p);
        if (!p)
            return -1;
        s->refs = p;
        s->cap = cap;
    }
    size_t len = strlen(e->list) + strlen(e->ref) + 2;
    char *k = malloc(len);
    if (!k)
        return -1;
    snprintf(k, len, "%s\x1f%s", e->list, e->ref);
    s->refs[s->n++] = k;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_set(const interdict_entry *e, const void *ctx)
{
    const ref_set *s = ctx;
    char key[512];
    snprintf(key, sizeof key, "%s\x1f%s", e->list, e->ref);
    const char *k = key;
    return bsearch(&k, s->refs, s->n, sizeof *s->refs, cmp_str) != NULL;
}

static void free_set(ref_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->refs[i]);
    free(s->refs);
}

/* Adds the entries of list i that are new or changed since the job's mark. */
static int collect_changes(interdict_store *st, const char *job, const loaded_lists *ll,
                           size_t i, ref_set *set, size_t *added, size_t *changed)
{
    const interdict_list *now = ll->lists[i];
    int64_t mark = 0;
    interdict_error err;
    if (interdict_store_get_mark(st, job, interdict_list_id(now), &mark, &err) != INTERDICT_OK) {
        print_error("cannot read the store", &err);
        return EXIT_FAILURE_;
    }
    if (mark == ll->version_ids[i])
        return EXIT_OK;
    if (mark == 0) {            /* first run: everything is new to this job */
        for (size_t k = 0; k < interdict_list_count(now); k++)
            if (add_ref(set, interdict_list_entry(now, k)) < 0)
                return EXIT_FAILURE_;
        *added += interdict_list_count(now);
        return EXIT_OK;
    }
    interdict_list *before;
    if (interdict_store_load(st, mark, &before, &err) != INTERDICT_OK) {
        print_error("cannot load the version last screened against", &err);
        return EXIT_FAILURE_;
    }
    interdict_change *ch = NULL;
    size_t n = 0;
    int rc = EXIT_OK;
    if (interdict_list_diff(before, now, &ch, &n, &err) != INTERDICT_OK) {
        print_error("cannot compare versions", &err);
        rc = EXIT_FAILURE_;
    }
    for (size_t k = 0; k < n && rc == EXIT_OK; k++) {
        bool take = ch[k].kind == INTERDICT_CHANGE_ADDED ||
                    (ch[k].kind == INTERDICT_CHANGE_CHANGED &&
                     (ch[k].fields & INTERDICT_FIELDS_SCREENED));
        if (!take)
            continue;
        if (add_ref(set, ch[k].new_entry) < 0)
            rc = EXIT_FAILURE_;
        *(ch[k].kind == INTERDICT_CHANGE_ADDED ? added : changed) += 1;
    }
    free(ch);
    interdict_list_free(before);
    return rc;
}

int cmd_rescreen(int argc, char **argv)
{
    list_source src;
    memset(&src, 0, sizeof src);
    const char *customers = NULL, *job = NULL;
    double threshold = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int taken = parse_list_option(argc, argv, &i, &src);
        if (taken < 0)
            return EXIT_USAGE;
        if (taken) {
            if (src.n_paths) {
                fprintf(stderr, "interdict: rescreen works on the stored lists (--db), "
                                "not --list files\n");
                return EXIT_USAGE;
            }
            continue;
        }
        if ((!strcmp(a, "--customers") || !strcmp(a, "--job") || !strcmp(a, "--threshold")) &&
            i + 1 >= argc) {
            fprintf(stderr, "interdict: %s needs a value\n", a);
            return EXIT_USAGE;
        }
        if (!strcmp(a, "--customers")) {
            customers = argv[++i];
        } else if (!strcmp(a, "--job")) {
            job = argv[++i];
        } else if (!strcmp(a, "--threshold")) {
            char *end;
            threshold = strtod(argv[++i], &end);
            if (*end || threshold <= 0 || threshold > 1) {
                fprintf(stderr, "interdict: --threshold must be in (0, 1]\n");
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "interdict: unexpected argument '%s'\n", a);
            return EXIT_USAGE;
        }
    }
    if (!customers) {
        fprintf(stderr, "usage: interdict rescreen --customers FILE.csv [--db PATH] "
                        "[--job NAME] [--threshold T]\n");
        return EXIT_USAGE;
    }
    if (!store_path(&src))
        src.db = "interdict.db";
    /* The job is the customer file unless named: its absolute path, so
     * that runs from different folders agree. */
    char abs[PATH_MAX];
    if (!job)
        job = realpath(customers, abs) ? abs : customers;

    loaded_lists ll;
    int rc = load_lists(&src, &ll);
    if (rc)
        return rc;
    interdict_store *st;
    interdict_error err;
    if (interdict_store_open(store_path(&src), &st, &err) != INTERDICT_OK) {
        print_error("cannot open the store", &err);
        free_lists(&ll);
        return EXIT_FAILURE_;
    }
    ref_set set = {0};
    size_t added = 0, changed = 0;
    for (size_t i = 0; i < ll.n && !rc; i++)
        rc = collect_changes(st, job, &ll, i, &set, &added, &changed);
    size_t alerted = 0;
    if (!rc && set.n > 0) {
        /* Screened against the whole index, so that scores are the ones a
         * full screening gives; only hits on changed entries are kept. */
        qsort(set.refs, set.n, sizeof *set.refs, cmp_str);
        screen_csv_opts o = {threshold, (int)sysconf(_SC_NPROCESSORS_ONLN), NULL, ll.versions,
                             true, &alerted, in_set, &set};
        rc = screen_csv(customers, ll.index, &o);
    }
    /* Only a run that screened every row moves the marks on: after a
     * failure the same changes are screened again next time. */
    if (!rc)
        for (size_t i = 0; i < ll.n; i++)
            if (interdict_store_set_mark(st, job, interdict_list_id(ll.lists[i]),
                                         ll.version_ids[i], &err) != INTERDICT_OK) {
                print_error("cannot record the run", &err);
                rc = EXIT_FAILURE_;
                break;
            }
    fprintf(stderr, "interdict: rescreen of %s: %zu entries added and %zu changed since the "
                    "last run; %zu customer%s alerted\n",
            customers, added, changed, alerted, alerted == 1 ? "" : "s");
    free_set(&set);
    interdict_store_close(st);
    free_lists(&ll);
    if (rc)
        return rc;
    return alerted ? EXIT_ALERT : EXIT_OK;
}
