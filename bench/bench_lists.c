/* bench_lists - loading every list at once, and what it costs screening.
 *
 * usage: bench_lists [--repeat N] [--cross-check PARTIES.csv] QUERIES.csv UN_LIST
 *                    [OTHER_LIST...]
 *
 * Loads the UN list alone and screens the queries' names (one thread),
 * then loads all the lists given (each timed), builds one index over them
 * and screens the same names again. Prints per-list load times, entries and
 * names, the combined load and index time, the memory the lists and index
 * take (resident set growth), and both screening rates with their ratio.
 *
 * --cross-check reads a CSV with the header un_ref,name,eu_ref,uk_ref (one
 * UN-listed party a row, the name as another list spells it; bench/gen_lists.py
 * writes one) and screens each name against all the lists: a party counts as
 * found when the first hit's sources hold the UN entry and the EU and UK
 * records given. The same names are screened against the UN list alone too
 * (first hit the UN entry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "interdict.h"

/* Resident set size now, in MB (from /proc/self/statm). */
static double rss_mb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static char **read_names(const char *path, size_t *n_out)
{
    interdict_error err;
    interdict_csv *csv = open_csv_or_exit(path);
    size_t cap = 1024, n = 0;
    char **names = malloc(cap * sizeof *names);
    const char *const *f;
    size_t nf;
    long line;
    int first = 1, r;
    while ((r = interdict_csv_next(csv, &f, &nf, &line, &err)) != 0) {
        if (r < 0 || nf < 2) {
            fprintf(stderr, "%s: bad row at line %ld\n", path, line);
            exit(1);
        }
        if (first) {
            first = 0;
            continue;
        }
        if (n == cap)
            names = realloc(names, (cap *= 2) * sizeof *names);
        names[n++] = strdup(f[1]);
    }
    interdict_csv_close(csv);
    *n_out = n;
    return names;
}

/* Names of all entries of a list. */
static size_t list_names(const interdict_list *l)
{
    size_t n = 0;
    for (size_t i = 0; i < interdict_list_count(l); i++)
        n += interdict_list_entry(l, i)->n_names;
    return n;
}

static interdict_list *load(const char *path, double *ms)
{
    interdict_list *l;
    interdict_error err;
    char buf[768];
    double t = now();
    if (interdict_list_load(path, &l, &err) != INTERDICT_OK) {
        fprintf(stderr, "%s\n", interdict_error_format(&err, buf, sizeof buf));
        exit(1);
    }
    *ms = (now() - t) * 1000;
    return l;
}

static interdict_index *build(interdict_list **lists, size_t n, double *ms)
{
    interdict_index *ix;
    interdict_error err;
    char buf[768];
    double t = now();
    if (interdict_index_build((const interdict_list *const *)lists, n, &ix, &err) != INTERDICT_OK) {
        fprintf(stderr, "%s\n", interdict_error_format(&err, buf, sizeof buf));
        exit(1);
    }
    *ms = (now() - t) * 1000;
    return ix;
}

/* Queries per second on one thread; *alerts counts queries with a hit. */
static double screen_all(const interdict_index *ix, char **names, size_t n, int repeat,
                         size_t *alerts)
{
    interdict_result *r = interdict_result_new();
    *alerts = 0;
    double t = now();
    for (int k = 0; k < repeat; k++)
        for (size_t i = 0; i < n; i++) {
            interdict_query q = {.name = names[i]};
            if (interdict_screen(ix, &q, r, NULL) == INTERDICT_OK && k == 0)
                *alerts += interdict_result_count(r) > 0;
        }
    double secs = now() - t;
    interdict_result_free(r);
    return (double)n * repeat / secs;
}

/* Whether a hit's party holds the entry (list, ref). */
static int has_source(const interdict_hit *h, const char *list, const char *ref)
{
    for (size_t i = 0; i < h->n_sources; i++)
        if (!strcmp(h->sources[i]->list, list) && !strcmp(h->sources[i]->ref, ref))
            return 1;
    return 0;
}

static int has_list(const interdict_hit *h, const char *list)
{
    for (size_t i = 0; i < h->n_sources; i++)
        if (!strcmp(h->sources[i]->list, list))
            return 1;
    return 0;
}

/* The cross-list check (see the top of the file). */
static void cross_check(const interdict_index *ix, const char *path)
{
    enum { MAX_SHOWN = 5 };
    interdict_error err;
    interdict_csv *csv = open_csv_or_exit(path);
    interdict_result *all = interdict_result_new(), *un = interdict_result_new();
    size_t parties = 0, grouped = 0, un_first = 0, with_ofac = 0, shown = 0;
    const char *const *f;
    size_t nf;
    long line;
    int first = 1, r;
    while ((r = interdict_csv_next(csv, &f, &nf, &line, &err)) != 0) {
        if (r < 0 || nf < 4) {
            fprintf(stderr, "%s: bad row at line %ld (want un_ref,name,eu_ref,uk_ref)\n", path,
                    line);
            exit(1);
        }
        if (first) {
            first = 0;
            if (strcmp(f[0], "un_ref") != 0 || strcmp(f[1], "name") != 0) {
                fprintf(stderr, "%s: header is not un_ref,name,eu_ref,uk_ref\n", path);
                exit(1);
            }
            continue;
        }
        parties++;
        interdict_query q = {.name = f[1]};
        const interdict_hit *h = NULL;
        if (interdict_screen(ix, &q, all, NULL) == INTERDICT_OK && interdict_result_count(all))
            h = interdict_result_hit(all, 0);
        int ok = h && has_source(h, "un", f[0]) && has_source(h, "eu", f[2]) &&
                 has_source(h, "uk", f[3]);
        grouped += ok;
        with_ofac += ok && has_list(h, "ofac");
        if (!ok && shown++ < MAX_SHOWN)
            printf("  cross-list miss: %s %s \"%s\": first hit %s %s (%zu sources)\n", f[0],
                   f[2], f[1], h ? h->entry->list : "-", h ? h->entry->ref : "none",
                   h ? h->n_sources : 0);
        q.lists = "un";
        if (interdict_screen(ix, &q, un, NULL) == INTERDICT_OK && interdict_result_count(un) &&
            !strcmp(interdict_result_hit(un, 0)->entry->list, "un") &&
            !strcmp(interdict_result_hit(un, 0)->entry->ref, f[0]))
            un_first++;
    }
    interdict_csv_close(csv);
    interdict_result_free(all);
    interdict_result_free(un);
    printf("cross-list: parties=%zu found=%zu/%zu (EU spelling; first hit's sources hold the UN "
           "entry and its EU and UK records) also_ofac=%zu un_list_only_first=%zu/%zu\n",
           parties, grouped, parties, with_ofac, un_first, parties);
}

int main(int argc, char **argv)
{
    int repeat = 1, a = 1;
    const char *cross = NULL;
    while (a + 1 < argc && argv[a][0] == '-' && argv[a][1] == '-') {
        if (!strcmp(argv[a], "--repeat"))
            repeat = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--cross-check"))
            cross = argv[a + 1];
        else
            break;
        a += 2;
    }
    if (argc - a < 2 || repeat < 1) {
        fprintf(stderr, "usage: bench_lists [--repeat N] [--cross-check PARTIES.csv] "
                        "QUERIES.csv UN_LIST [OTHER_LIST...]\n");
        return 2;
    }
    size_t n_names;
    char **names = read_names(argv[a], &n_names);
    /* ICU's transliterators for scripts without tables are set up once per
     * process: not part of either screening rate. */
    for (size_t i = 0; i < n_names; i++)
        interdict_prepare_scripts(names[i], strlen(names[i]));
    const char *const *paths = (const char *const *)argv + a + 1;
    size_t n_lists = (size_t)(argc - a - 1);
    if (n_lists > INTERDICT_MAX_LISTS)
        n_lists = INTERDICT_MAX_LISTS;

    double ms, index_ms;
    interdict_list *un = load(paths[0], &ms);
    interdict_index *un_ix = build(&un, 1, &index_ms);
    size_t alerts_un;
    double qps_un = screen_all(un_ix, names, n_names, repeat, &alerts_un);
    printf("un only: entries=%zu names=%zu load_ms=%.0f index_ms=%.0f queries=%zu "
           "alerting=%zu qps_1thread=%.0f\n",
           interdict_list_count(un), interdict_index_names(un_ix), ms, index_ms, n_names,
           alerts_un, qps_un);
    interdict_index_free(un_ix);
    interdict_list_free(un);

    double rss0 = rss_mb(), t0 = now();
    interdict_list **lists = calloc(n_lists, sizeof *lists);
    size_t entries = 0;
    for (size_t i = 0; i < n_lists; i++) {
        lists[i] = load(paths[i], &ms);
        entries += interdict_list_count(lists[i]);
        printf("  %-14s %-12s entries=%zu names=%zu load_ms=%.0f  %s\n",
               interdict_list_id(lists[i]), interdict_list_format(lists[i]),
               interdict_list_count(lists[i]), list_names(lists[i]), ms, paths[i]);
    }
    interdict_index *ix = build(lists, n_lists, &index_ms);
    double total_ms = (now() - t0) * 1000, grown = rss_mb() - rss0;
    size_t alerts_all;
    double qps_all = screen_all(ix, names, n_names, repeat, &alerts_all);
    printf("all lists: lists=%zu entries=%zu names=%zu index_ms=%.0f load_and_index_ms=%.0f "
           "memory_mb=%.1f alerting=%zu qps_1thread=%.0f slowdown=%.2fx\n",
           n_lists, entries, interdict_index_names(ix), index_ms, total_ms, grown, alerts_all,
           qps_all, qps_un / qps_all);
    if (cross)
        cross_check(ix, cross);
    interdict_index_free(ix);
    for (size_t i = 0; i < n_lists; i++)
        interdict_list_free(lists[i]);
    free(lists);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    interdict_thread_cleanup();
    return 0;
}
