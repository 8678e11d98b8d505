/* batch.c - `interdict batch`: a CSV of queries in, one JSON line each out.
 *
 * Rows are read in blocks; the worker threads screen a block against the
 * shared read-only index, each into its own result, and the main thread
 * writes the block's lines in input order before reading the next one, so
 * memory stays bounded however long the input is. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>                 /* mallopt */
#endif

#include "cli.h"

#define BLOCK_ROWS 16384
#define FIRST_BLOCK_ROWS 256
#define MAX_THREADS 64

enum { COL_ID, COL_NAME, COL_TYPE, COL_DOB, COL_NAT, N_COLS };
static const char *const COL_NAMES[N_COLS] = {"id", "name", "type", "dob", "nationality"};

/* Kept small: rows are many, and the memory they touch costs page faults. */
typedef struct row {
    long line;
    char *field[N_COLS];         /* NULL when the column is absent */
    interdict_error *err;        /* NULL, or why the row could not be screened */
    char *out;                   /* the JSON line, malloc'd */
} row;

static interdict_error out_of_memory = {INTERDICT_ERR_NOMEM, "", 0, "", "out of memory"};

/* Makes e the row's error (a copy, or the shared out-of-memory record). */
static void keep_error(row *rw, const interdict_error *e)
{
    interdict_error *copy = malloc(sizeof *copy);
    if (copy)
        *copy = *e;
    rw->err = copy ? copy : &out_of_memory;
}

/* Rows read together and screened together. */
typedef struct block {
    row *rows;
    size_t n;
} block;

typedef struct batch {
    const interdict_index *index;
    double threshold;
    const char *only;            /* --lists */
    const char *versions;        /* the list versions, recorded on every line */
    bool alerts_only;            /* write only rows with hits (and bad rows) */
    int (*keep)(const interdict_entry *e, const void *ctx);
    const void *keep_ctx;
    row *rows;
    size_t n_rows;
    atomic_size_t next;
    atomic_size_t failed;
    atomic_size_t alerted;
    /* the helper threads and their hand-over */
    pthread_t tid[MAX_THREADS];
    int n_helpers, finished;
    unsigned generation;
    bool quit;
    pthread_mutex_t lock;
    pthread_cond_t start, done;
} batch;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *dump_line(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(o);
    return s;
}

static char *error_line(const row *rw)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", rw->field[COL_ID] ? json_string(rw->field[COL_ID]) : json_null());
    json_object_set_new(o, "line", json_integer(rw->line));
    json_object_set_new(o, "error", error_to_json(rw->err));
    json_object_set_new(o, "hits", json_array());
    return dump_line(o);
}

static bool kept_hit(const batch *b, const interdict_hit *h)
{
    if (!b->keep)
        return true;
    for (size_t i = 0; i < h->n_sources; i++)
        if (b->keep(h->sources[i], b->keep_ctx))
            return true;
    return b->keep(h->entry, b->keep_ctx);
}

/* Each thread's JSON line under construction. */
static _Thread_local json_text line_text;

static void screen_row(batch *b, row *rw, interdict_result *res)
{
    if (!rw->err) {
        interdict_query q;
        memset(&q, 0, sizeof q);
        q.name = rw->field[COL_NAME];
        q.dob = rw->field[COL_DOB];
        q.nationality = rw->field[COL_NAT];
        q.threshold = b->threshold;
        q.lists = b->only;
        if (b->keep)   /* hits are filtered afterwards: look deeper */
            q.max_hits = 100;
        interdict_error e;
        memset(&e, 0, sizeof e);
        if (!parse_party_type(rw->field[COL_TYPE], &q.type)) {
            snprintf(e.field, sizeof e.field, "type");
            snprintf(e.message, sizeof e.message,
                     "type must be person, entity or empty, not \"%.40s\"", rw->field[COL_TYPE]);
            e.code = INTERDICT_ERR_INVALID;
        } else {
            interdict_screen(b->index, &q, res, &e);
        }
        if (e.code != INTERDICT_OK)
            keep_error(rw, &e);
    }
    if (rw->err) {
        rw->out = error_line(rw);
        atomic_fetch_add(&b->failed, 1);
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < interdict_result_count(res); i++)
        kept += kept_hit(b, interdict_result_hit(res, i));
    if (b->alerts_only && kept == 0) {
        rw->out = NULL;
        return;
    }
    atomic_fetch_add(&b->alerted, kept > 0);
    /* Built in the thread's buffer, kept as an exact copy: a buffer per row
     * would touch far more memory than the lines need. */
    json_text *t = &line_text;
    t->len = 0;
    t->failed = false;
    jt_raw(t, "{", 1);
    jt_member_string(t, "id", rw->field[COL_ID] ? rw->field[COL_ID] : "");
    jt_key(t, "hits");
    jt_raw(t, "[", 1);
    for (size_t i = 0; i < interdict_result_count(res); i++)
        if (kept_hit(b, interdict_result_hit(res, i)))
            hit_json(t, interdict_result_hit(res, i));
    jt_raw(t, "]", 1);
    jt_member_string(t, "warning", interdict_result_warning(res));
    jt_member_string(t, "lists", b->versions);
    jt_raw(t, "}", 1);
    rw->out = t->failed ? NULL : strndup(t->s, t->len);
}

/* Screens rows of the current block until none is left. */
static void screen_block(batch *b, interdict_result *res)
{
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n_rows)
            break;
        if (!res && !b->rows[i].err)
            b->rows[i].err = &out_of_memory;
        screen_row(b, &b->rows[i], res);
    }
}

/* Helper threads (one per core) live for the whole run, so each keeps its
 * result and its transliterators warm from block to block; the main thread
 * only reads and writes. */
static void *helper(void *arg)
{
    batch *b = arg;
    interdict_result *res = interdict_result_new();
    unsigned seen = 0;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        while (b->generation == seen && !b->quit)
            pthread_cond_wait(&b->start, &b->lock);
        if (b->quit)
            break;
        seen = b->generation;
        pthread_mutex_unlock(&b->lock);
        screen_block(b, res);
        pthread_mutex_lock(&b->lock);
        if (++b->finished == b->n_helpers)
            pthread_cond_signal(&b->done);
    }
    pthread_mutex_unlock(&b->lock);
    interdict_result_free(res);
    free(jt_finish(&line_text));
    interdict_thread_cleanup();
    return NULL;
}

static void start_helpers(batch *b, int threads)
{
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->start, NULL);
    pthread_cond_init(&b->done, NULL);
    b->n_helpers = 0;
    for (int t = 0; t < threads && t < MAX_THREADS; t++)
        if (pthread_create(&b->tid[b->n_helpers], NULL, helper, b) == 0)
            b->n_helpers++;
}

static void stop_helpers(batch *b)
{
    pthread_mutex_lock(&b->lock);
    b->quit = true;
    pthread_cond_broadcast(&b->start);
    pthread_mutex_unlock(&b->lock);
    for (int t = 0; t < b->n_helpers; t++)
        pthread_join(b->tid[t], NULL);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->start);
    pthread_cond_destroy(&b->done);
}

/* Hands a block to the helpers and returns at once. */
static void start_block(batch *b, block *blk)
{
    b->rows = blk->rows;
    b->n_rows = blk->n;
    atomic_store(&b->next, 0);
    pthread_mutex_lock(&b->lock);
    b->finished = 0;
    b->generation++;
    pthread_cond_broadcast(&b->start);
    pthread_mutex_unlock(&b->lock);
}

static void wait_block(batch *b)
{
    pthread_mutex_lock(&b->lock);
    while (b->finished < b->n_helpers)
        pthread_cond_wait(&b->done, &b->lock);
    pthread_mutex_unlock(&b->lock);
}

static void free_row(row *rw)
{
    for (int c = 0; c < N_COLS; c++)
        free(rw->field[c]);
    if (rw->err != &out_of_memory)
        free(rw->err);
    free(rw->out);
    memset(rw, 0, sizeof *rw);
}

/* Writes a screened block's lines in input order and frees its rows. */
static void write_block(block *blk)
{
    for (size_t i = 0; i < blk->n; i++) {
        if (blk->rows[i].out) {
            fputs(blk->rows[i].out, stdout);
            fputc('\n', stdout);
        }
        free_row(&blk->rows[i]);
    }
}

/* Maps header names to columns; id and name are required. */
static int read_header(interdict_csv *csv, const char *path, int col_of[N_COLS], size_t *n_header)
{
    const char *const *f;
    size_t n;
    long line;
    interdict_error err;
    int r = interdict_csv_next(csv, &f, &n, &line, &err);
    if (r <= 0) {
        if (r == 0)
            fprintf(stderr, "interdict: %s: empty query file (expected a header row "
                            "id,name,type,dob,nationality)\n", path);
        else
            print_error("bad header row", &err);
        return EXIT_FAILURE_;
    }
    for (int c = 0; c < N_COLS; c++)
        col_of[c] = -1;
    for (size_t i = 0; i < n; i++) {
        const char *h = f[i];
        while (*h == ' ')
            h++;
        for (int c = 0; c < N_COLS; c++)
            if (!strcasecmp(h, COL_NAMES[c]) && col_of[c] < 0)
                col_of[c] = (int)i;
    }
    if (col_of[COL_ID] < 0 || col_of[COL_NAME] < 0) {
        fprintf(stderr, "interdict: %s:%ld: header must name the columns id and name "
                        "(id,name,type,dob,nationality); found %zu column%s starting \"%.60s\"\n",
                path, line, n, n == 1 ? "" : "s", n ? f[0] : "");
        return EXIT_FAILURE_;
    }
    *n_header = n;
    return EXIT_OK;
}

/* Reads up to max_rows records into b->rows. Returns false at the end. */
static bool read_block(interdict_csv *csv, const int col_of[N_COLS], size_t n_header,
                       block *b, size_t max_rows, bool *io_failed)
{
    b->n = 0;
    while (b->n < max_rows) {
        const char *const *f;
        size_t n;
        long line;
        row *rw = &b->rows[b->n];
        memset(rw, 0, sizeof *rw);
        interdict_error e;
        int r = interdict_csv_next(csv, &f, &n, &line, &e);
        if (r == 0)
            return b->n > 0;
        if (r < 0) {
            if (e.code == INTERDICT_ERR_IO) {
                print_error("cannot read queries", &e);
                *io_failed = true;
                return b->n > 0;
            }
            keep_error(rw, &e);
            rw->line = e.line;
            b->n++;
            continue;
        }
        rw->line = line;
        bool oom = false;
        for (int c = 0; c < N_COLS; c++)
            if (col_of[c] >= 0 && (size_t)col_of[c] < n) {
                rw->field[c] = strdup(f[col_of[c]]);
                oom = oom || !rw->field[c];
            }
        if (oom) {
            rw->err = &out_of_memory;
        } else if (n != n_header) {
            memset(&e, 0, sizeof e);
            e.code = INTERDICT_ERR_PARSE;
            e.line = line;
            snprintf(e.field, sizeof e.field, "row");
            snprintf(e.message, sizeof e.message,
                     "expected %zu columns as in the header, found %zu", n_header, n);
            keep_error(rw, &e);
        }
        b->n++;
    }
    return true;
}

/* Names in scripts without built-in tables need ICU's transliterators,
 * which take about as long to set up as the list takes to load. While the
 * lists load, a second thread reads the start of the query file and sets
 * up the ones it will need. */
typedef struct warm_up {
    pthread_t tid;
    const char *path;
    bool running;
} warm_up;

enum { WARM_UP_BYTES = 4 << 20 };

static void *warm_up_run(void *arg)
{
    const warm_up *w = arg;
    FILE *f = fopen(w->path, "rb");
    char *buf = malloc(WARM_UP_BYTES);
    if (f && buf) {
        size_t n = fread(buf, 1, WARM_UP_BYTES, f);
        interdict_prepare_scripts(buf, n);
    }
    free(buf);
    if (f)
        fclose(f);
    interdict_thread_cleanup();
    return NULL;
}

static void start_warm_up(warm_up *w, const char *path, long threads)
{
    struct stat st;
    w->path = path;
    w->running = threads > 1 && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                 pthread_create(&w->tid, NULL, warm_up_run, w) == 0;
}

static void finish_warm_up(warm_up *w)
{
    if (w->running)
        pthread_join(w->tid, NULL);
    w->running = false;
}

/* Loading a list frees buffers of the file's size (the file, libxml2's
 * copy of it) just before the index is built. glibc maps blocks that large
 * on their own and unmaps them when freed, so the index would start on
 * fresh pages, each a page fault; kept in the heap, they are used again.
 * A batch run is short: its heap need not shrink back. */
static void reuse_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

int cmd_batch(int argc, char **argv)
{
    list_source src;
    memset(&src, 0, sizeof src);
    const char *path = NULL;
    double threshold = 0;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int taken = parse_list_option(argc, argv, &i, &src);
        if (taken < 0)
            return EXIT_USAGE;
        if (taken)
            continue;
        if ((!strcmp(a, "--threshold") || !strcmp(a, "--threads")) && i + 1 >= argc) {
            fprintf(stderr, "interdict: %s needs a value\n", a);
            return EXIT_USAGE;
        }
        if (!strcmp(a, "--threshold")) {
            char *end;
            threshold = strtod(argv[++i], &end);
            if (*end || threshold <= 0 || threshold > 1) {
                fprintf(stderr, "interdict: --threshold must be in (0, 1]\n");
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--threads")) {
            char *end;
            threads = strtol(argv[++i], &end, 10);
            if (*end || threads < 1 || threads > MAX_THREADS) {
                fprintf(stderr, "interdict: --threads must be 1..%d\n", MAX_THREADS);
                return EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "interdict: unknown option '%s'\n", a);
            return EXIT_USAGE;
        } else if (!path) {
            path = a;
        } else {
            fprintf(stderr, "interdict: batch takes one query file\n");
            return EXIT_USAGE;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: interdict batch [--list PATH]... [--db PATH] [--lists IDS] QUERIES.csv\n");
        return EXIT_USAGE;
    }
    reuse_freed_memory();
    warm_up w;
    start_warm_up(&w, path, threads);
    loaded_lists ll;
    int rc;
    if ((rc = load_lists(&src, &ll))) {
        finish_warm_up(&w);
        return rc;
    }
    if ((rc = check_list_filter(&ll, src.only))) {
        finish_warm_up(&w);
        free_lists(&ll);
        return rc;
    }
    screen_csv_opts o = {threshold, (int)threads, src.only, ll.versions, false, NULL, NULL, NULL};
    rc = screen_csv(path, ll.index, &o);
    finish_warm_up(&w);
    free_lists(&ll);
    return rc;
}

int screen_csv(const char *path, const interdict_index *index, const screen_csv_opts *o)
{
    long threads = o->threads;
    if (threads < 1)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    interdict_csv *csv;
    interdict_error err;
    if (interdict_csv_open(path, &csv, &err) != INTERDICT_OK) {
        print_error("cannot open queries", &err);
        return EXIT_FAILURE_;
    }
    int col_of[N_COLS];
    size_t n_header = 0;
    int rc = read_header(csv, path, col_of, &n_header);
    if (rc) {
        interdict_csv_close(csv);
        return rc;
    }
    batch b;
    memset(&b, 0, sizeof b);
    b.index = index;
    b.threshold = o->threshold;
    b.only = o->only;
    b.versions = o->versions;
    b.alerts_only = o->alerts_only;
    b.keep = o->keep;
    b.keep_ctx = o->keep_ctx;
    /* Two blocks: the helpers screen one while this thread writes the
     * previous block's lines and reads the next block. */
    block blk[2] = {{calloc(BLOCK_ROWS, sizeof(row)), 0}, {calloc(BLOCK_ROWS, sizeof(row)), 0}};
    if (!blk[0].rows || !blk[1].rows) {
        fprintf(stderr, "interdict: out of memory\n");
        free(blk[0].rows);
        free(blk[1].rows);
        interdict_csv_close(csv);
        return EXIT_FAILURE_;
    }
    bool io_failed = false;
    size_t total = 0;
    double t0 = now_seconds();
    start_helpers(&b, (int)threads);
    /* Blocks start small and grow, so the helpers start almost at once
     * instead of waiting for a whole block to be read; the next block is
     * handed over before this one is written. */
    int cur = 0;
    size_t want = FIRST_BLOCK_ROWS;
    bool more = read_block(csv, col_of, n_header, &blk[cur], want, &io_failed);
    if (more)
        start_block(&b, &blk[cur]);
    while (more) {
        want = want * 4 < BLOCK_ROWS ? want * 4 : BLOCK_ROWS;
        bool next = !io_failed &&
                    read_block(csv, col_of, n_header, &blk[!cur], want, &io_failed);
        wait_block(&b);
        if (next)
            start_block(&b, &blk[!cur]);
        write_block(&blk[cur]);
        size_t before = total;
        total += blk[cur].n;
        if (total / BLOCK_ROWS > before / BLOCK_ROWS)   /* long input: say how far it is */
            fprintf(stderr, "interdict: %zu queries screened, %.0f/s\n", total,
                    (double)total / (now_seconds() - t0));
        blk[cur].n = 0;
        cur = !cur;
        more = next;
    }
    stop_helpers(&b);
    fflush(stdout);
    size_t failed = atomic_load(&b.failed);
    if (failed)
        fprintf(stderr, "interdict: %zu of %zu rows could not be screened (see their "
                        "\"error\" fields)\n", failed, total);
    free(blk[0].rows);
    free(blk[1].rows);
    interdict_csv_close(csv);
    if (o->alerted)
        *o->alerted = atomic_load(&b.alerted);
    if (io_failed)
        return EXIT_FAILURE_;
    return failed ? EXIT_ROW_ERRORS : EXIT_OK;
}
