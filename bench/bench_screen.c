/* bench_screen - accuracy and speed of screening on an evaluation set.
 *
 * usage: bench_screen [--list PATH] [--threads N] [--repeat N] QUERIES.csv EXPECTED.csv
 *
 * Loads the list (timed), screens every query at the default threshold on
 * N threads (timed; --repeat screens the set several times in one run
 * for the steady rate), and prints recall (expected party among the alerts), top-1,
 * false alerts on names that are not listed, recall per kind of variant,
 * queries per second and peak memory. Same definitions as
 * shared/eval/score.py. */
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_util.h"
#include "interdict.h"

typedef struct query {
    char *id, *name, *type, *dob, *nat;
    char *ref, *family;      /* expected */
    char *top;               /* first hit ref */
    double top_score;
    int found, n_hits;
} query;

typedef struct run {
    const interdict_index *ix;
    query *q;
    size_t n, total;          /* total = n x repeat */
    atomic_size_t next;
} run;

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

static query *read_queries(const char *path, size_t *n_out)
{
    interdict_error err;
    interdict_csv *csv = open_csv_or_exit(path);
    size_t cap = 1024, n = 0;
    query *q = calloc(cap, sizeof *q);
    const char *const *f;
    size_t nf;
    long line;
    int first = 1, r;
    while ((r = interdict_csv_next(csv, &f, &nf, &line, &err)) != 0) {
        if (r < 0 || nf < 5) {
            fprintf(stderr, "%s: bad row at line %ld\n", path, line);
            exit(1);
        }
        if (first) {
            first = 0;
            continue;
        }
        if (n == cap)
            q = realloc(q, (cap *= 2) * sizeof *q);
        memset(&q[n], 0, sizeof q[n]);
        q[n].id = dup_or_empty(f[0]);
        q[n].name = dup_or_empty(f[1]);
        q[n].type = dup_or_empty(f[2]);
        q[n].dob = dup_or_empty(f[3]);
        q[n].nat = dup_or_empty(f[4]);
        n++;
    }
    interdict_csv_close(csv);
    *n_out = n;
    return q;
}

static void read_expected(const char *path, query *q, size_t n)
{
    interdict_csv *csv;
    interdict_error err;
    if (interdict_csv_open(path, &csv, &err) != INTERDICT_OK) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    const char *const *f;
    size_t nf, i = 0;
    long line;
    int first = 1;
    while (interdict_csv_next(csv, &f, &nf, &line, &err) > 0) {
        if (first) {
            first = 0;
            continue;
        }
        if (nf < 3 || i >= n || strcmp(f[0], q[i].id) != 0) {
            fprintf(stderr, "%s:%ld: expected rows must follow the queries\n", path, line);
            exit(1);
        }
        q[i].ref = strdup(f[1]);
        q[i].family = strdup(f[2]);
        i++;
    }
    interdict_csv_close(csv);
}

static void *worker(void *arg)
{
    run *r = arg;
    interdict_result *res = interdict_result_new();
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->total)
            break;
        query *q = &r->q[i % r->n];
        bool record = i < r->n;   /* later passes only add load */
        interdict_query iq;
        memset(&iq, 0, sizeof iq);
        iq.name = q->name;
        iq.dob = q->dob;
        iq.nationality = q->nat;
        iq.type = !strcmp(q->type, "person") ? INTERDICT_PARTY_PERSON
                  : !strcmp(q->type, "entity") ? INTERDICT_PARTY_ENTITY
                                                 : INTERDICT_PARTY_UNKNOWN;
        if (interdict_screen(r->ix, &iq, res, NULL) != INTERDICT_OK || !record)
            continue;
        q->found = 0;
        q->n_hits = 0;
        q->n_hits = (int)interdict_result_count(res);
        for (size_t k = 0; k < interdict_result_count(res); k++) {
            const interdict_hit *h = interdict_result_hit(res, k);
            if (k == 0 && !q->top) {
                q->top = strdup(h->entry->ref);
                q->top_score = h->score;
            }
            if (q->ref && *q->ref && !strcmp(h->entry->ref, q->ref))
                q->found = 1;
        }
    }
    interdict_result_free(res);
    interdict_thread_cleanup();
    return NULL;
}

int main(int argc, char **argv)
{
    const char *list_path = BENCH_LIST, *qpath = NULL, *epath = NULL;
    int threads = 2, repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--list") && i + 1 < argc)
            list_path = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!qpath)
            qpath = argv[i];
        else
            epath = argv[i];
    }
    if (!qpath || !epath || threads < 1 || threads > 64 || repeat < 1) {
        fprintf(stderr, "usage: bench_screen [--list PATH] [--threads N] [--repeat N] "
                        "QUERIES.csv EXPECTED.csv\n");
        return 2;
    }
    size_t n;
    query *q = read_queries(qpath, &n);
    read_expected(epath, q, n);

    double t0 = now();
    interdict_list *list;
    interdict_index *ix;
    interdict_error err;
    char buf[512];
    if (interdict_list_load(list_path, &list, &err) != INTERDICT_OK) {
        fprintf(stderr, "%s\n", interdict_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t1 = now();
    const interdict_list *lists[1] = {list};
    if (interdict_index_build(lists, 1, &ix, &err) != INTERDICT_OK) {
        fprintf(stderr, "%s\n", interdict_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t2 = now();

    /* One run over the set `repeat` times: threads start cold (ICU builds
     * its per-script tables on first use) and the repeats show the steady
     * rate a long batch or a server sees. */
    run r = {ix, q, n, n * (size_t)repeat, 0};
    pthread_t tid[64];
    double s0 = now();
    for (int t = 0; t < threads; t++)
        pthread_create(&tid[t], NULL, worker, &r);
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    double elapsed = now() - s0;

    /* Score, per family. */
    typedef struct fam { char name[32]; int n, hit, top1; } fam;
    fam fams[64];
    int nf = 0, pos = 0, found = 0, top1 = 0, neg = 0, fa = 0;
    for (size_t i = 0; i < n; i++) {
        const char *fname = q[i].family ? q[i].family : "?";
        int k;
        for (k = 0; k < nf && strcmp(fams[k].name, fname); k++)
            ;
        if (k == nf && nf < 64) {
            snprintf(fams[nf].name, sizeof fams[nf].name, "%s", fname);
            fams[nf].n = fams[nf].hit = fams[nf].top1 = 0;
            nf++;
        }
        int is_neg = !q[i].ref || !*q[i].ref;
        int hit = is_neg ? q[i].n_hits > 0 : q[i].found;
        int t1_ = !is_neg && q[i].top && !strcmp(q[i].top, q[i].ref);
        if (k < nf) {
            fams[k].n++;
            fams[k].hit += hit;
            fams[k].top1 += t1_;
        }
        if (is_neg) {
            neg++;
            fa += hit;
        } else {
            pos++;
            found += hit;
            top1 += t1_;
        }
    }
    for (int k = 0; k < nf; k++)
        printf("  %-16s n=%5d  %s=%.3f\n", fams[k].name, fams[k].n,
               strcmp(fams[k].name, "negative") ? "recall" : "false-alert",
               (double)fams[k].hit / fams[k].n);
    /* Calibration: how often the first alert is the right party, by score
     * band (a wrong party or a name that is not listed counts as false). */
    static const double bands[] = {0.0, 0.75, 0.85, 0.95, 1.01};
    for (int b = 0; b < 4; b++) {
        int alerts = 0, right = 0;
        for (size_t i = 0; i < n; i++) {
            if (!q[i].top || q[i].top_score < bands[b] || q[i].top_score >= bands[b + 1])
                continue;
            alerts++;
            right += q[i].ref && *q[i].ref && !strcmp(q[i].top, q[i].ref);
        }
        printf("  score %.2f-%.2f  first alerts=%5d  right party=%.3f\n",
               b ? bands[b] : INTERDICT_DEFAULT_THRESHOLD, bands[b + 1] > 1 ? 1.0 : bands[b + 1],
               alerts, alerts ? (double)right / alerts : 0.0);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("recall=%.4f top1=%.4f false_alert_rate=%.4f positives=%d negatives=%d\n",
           pos ? (double)found / pos : 0, pos ? (double)top1 / pos : 0,
           neg ? (double)fa / neg : 0, pos, neg);
    printf("list_load_ms=%.1f index_build_ms=%.1f indexed_names=%zu\n", (t1 - t0) * 1e3,
           (t2 - t1) * 1e3, interdict_index_names(ix));
    printf("queries=%zu threads=%d screening_seconds=%.3f queries_per_second=%.0f "
           "peak_rss_mb=%.1f\n",
           r.total, threads, elapsed, (double)r.total / elapsed, (double)ru.ru_maxrss / 1024.0);

    interdict_index_free(ix);
    interdict_list_free(list);
    for (size_t i = 0; i < n; i++) {
        free(q[i].id);
        free(q[i].name);
        free(q[i].type);
        free(q[i].dob);
        free(q[i].nat);
        free(q[i].ref);
        free(q[i].family);
        free(q[i].top);
    }
    free(q);
    interdict_thread_cleanup();
    return 0;
}
