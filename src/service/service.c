/* service.c - the API: routing, authentication, screening, alerts, the
 * lists in use (swapped under reference counts on reload) and metrics. */
#include "service.h"

#include "../util/jsontext.h"
#include "../util/sha256.h"
#include "assets.h"
#include "interdict.h"

#include <inttypes.h>
#include <stdarg.h>
#include <strings.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/random.h>
#include <time.h>

/* ---- Lists in use ------------------------------------------------------------------
 * A snapshot is the lists, their index and a lookup by reference. Requests
 * take a reference to the current one; a reload builds a new snapshot off
 * to the side and swaps the atomic pointer; the old one is freed by whoever
 * drops its last reference, so requests in flight finish on the index they
 * began with and nothing waits for the build.
 *
 * Taking a reference is lock-free: a reader announces itself in `pinning`
 * while it loads the pointer and counts its reference. After the swap the
 * reloader waits for `pinning` to fall to zero (a grace period of a few
 * instructions) before dropping the service's own reference, so no reader
 * can be about to count a reference on a snapshot already freed. */

/* Screening is deterministic over an immutable index, so the hits of a
 * query are kept per snapshot: customers and counterparties come back again
 * and again, and a reload starts afresh. Two ways per set (two names of one
 * set do not keep pushing each other out), the one used last kept; striped
 * locks. */
#define CACHE_SLOTS 65536
#define CACHE_STRIPES 256

typedef struct cache_slot {
    uint64_t hash;
    char *key;
    char *hits;          /* JSON array text, "[]" for no hit */
    char *warning;       /* or NULL */
    int recent;          /* in a set's first way: the way used last */
} cache_slot;

typedef struct snapshot {
    atomic_int refs;
    cache_slot *cache;
    pthread_mutex_t cache_lock[CACHE_STRIPES];
    uint64_t generation;
    interdict_list *lists[SERVICE_MAX_LISTS];
    int64_t version_ids[SERVICE_MAX_LISTS];
    size_t n;
    interdict_index *index;
    const interdict_entry **by_ref;      /* sorted by list, then ref */
    size_t n_entries;
    char versions[1024];                 /* "un:2026-02-27:1a2b3c4d5e6f,..." */
    char loaded_at[32];
} snapshot;

#define METRIC_ROUTES 32
#define METRIC_STATUSES 16
#define LATENCY_BUCKETS 14

static const double LATENCY_BOUNDS[LATENCY_BUCKETS] = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
    0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};
static const int STATUSES[METRIC_STATUSES] = {200, 201, 202, 400, 401, 403, 404, 405, 409,
                                              413, 415, 500, 501, 503, 0, 0};
static const char *const ROUTES[METRIC_ROUTES] = {
    "screen", "screen_batch", "screen_text", "screen_payment", "entry", "entries_search",
    "lists", "health", "ready", "metrics", "openapi", "alerts", "alert", "decision",
    "allowlist_request", "allowlist", "allowlist_decision", "audit", "keys", "reload", "me",
    "web", "unknown", NULL};

struct service {
    service_config cfg;
    casebook *cb;
    _Atomic(snapshot *) current;
    atomic_int pinning;                  /* readers between load and reference */
    pthread_mutex_t reload_lock;         /* one reload at a time */
    /* reloads asked for over HTTP run on their own thread, so that building
     * an index never holds up an HTTP worker and its connections */
    pthread_t reloader;
    int reloader_running;
    pthread_mutex_t ask_lock;
    pthread_cond_t ask_cond;
    int reload_asked, reloading, stopping;
    char reload_actor[128];
    char last_reload_at[32], last_reload_error[1024];
    int last_reload_ok;
    atomic_uint_fast64_t generation;
    char boot_id[17];
    atomic_uint_fast64_t screenings;
    /* metrics */
    atomic_uint_fast64_t requests[METRIC_ROUTES][METRIC_STATUSES + 1];
    atomic_uint_fast64_t latency[LATENCY_BUCKETS + 1];
    atomic_uint_fast64_t latency_count;
    atomic_uint_fast64_t latency_sum_us;
    atomic_uint_fast64_t alerts_created;
    atomic_uint_fast64_t screened;
    atomic_uint_fast64_t suppressed;
    atomic_uint_fast64_t reloads, reload_failures;
    atomic_uint_fast64_t cache_hits, cache_misses;
    /* screening results, reused */
    pthread_mutex_t pool_lock;
    interdict_result *pool[64];
    size_t n_pool;
};

static int entry_cmp(const void *a, const void *b)
{
    const interdict_entry *x = *(const interdict_entry *const *)a;
    const interdict_entry *y = *(const interdict_entry *const *)b;
    int c = strcmp(x->list, y->list);
    return c ? c : strcmp(x->ref, y->ref);
}

static void snapshot_free(snapshot *s)
{
    if (!s)
        return;
    if (s->cache) {
        for (size_t i = 0; i < CACHE_SLOTS; i++) {
            free(s->cache[i].key);
            free(s->cache[i].hits);
            free(s->cache[i].warning);
        }
        free(s->cache);
        for (int i = 0; i < CACHE_STRIPES; i++)
            pthread_mutex_destroy(&s->cache_lock[i]);
    }
    interdict_index_free(s->index);
    for (size_t i = 0; i < s->n; i++)
        interdict_list_free(s->lists[i]);
    free(s->by_ref);
    free(s);
}

static void snapshot_release(snapshot *s)
{
    if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
        snapshot_free(s);
}

static snapshot *snapshot_acquire(service *svc)
{
    atomic_fetch_add(&svc->pinning, 1);
    snapshot *s = atomic_load(&svc->current);
    if (s)
        atomic_fetch_add(&s->refs, 1);
    atomic_fetch_sub(&svc->pinning, 1);
    return s;
}

/* Swaps in a new snapshot; returns the old one, which the caller releases. */
static snapshot *snapshot_swap(service *svc, snapshot *fresh)
{
    snapshot *old = atomic_exchange(&svc->current, fresh);
    while (atomic_load(&svc->pinning) != 0)
        sched_yield();
    return old;
}

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Loads the lists: the files named, else the store's active versions, else
 * the default list. */
static snapshot *snapshot_build(const service_config *cfg, char *err, size_t err_size)
{
    snapshot *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    atomic_init(&s->refs, 1);
    if (cfg->cache) {
        s->cache = calloc(CACHE_SLOTS, sizeof *s->cache);
        if (!s->cache) {
            snprintf(err, err_size, "out of memory");
            free(s);
            return NULL;
        }
        for (int i = 0; i < CACHE_STRIPES; i++)
            pthread_mutex_init(&s->cache_lock[i], NULL);
    }
    interdict_error e;
    char buf[768];
    if (cfg->n_list_paths == 0 && cfg->store) {
        interdict_store *st;
        if (interdict_store_open(cfg->store, &st, &e) != INTERDICT_OK) {
            snprintf(err, err_size, "cannot open the list store: %s",
                     interdict_error_format(&e, buf, sizeof buf));
            goto fail;
        }
        interdict_list_version *v = NULL;
        size_t n = 0;
        int bad = 0;
        if (interdict_store_versions(st, NULL, 1, &v, &n, &e) != INTERDICT_OK) {
            snprintf(err, err_size, "cannot read the list store: %s",
                     interdict_error_format(&e, buf, sizeof buf));
            bad = 1;
        }
        for (size_t i = 0; i < n && !bad && s->n < SERVICE_MAX_LISTS; i++) {
            if (interdict_store_load(st, v[i].id, &s->lists[s->n], &e) != INTERDICT_OK) {
                snprintf(err, err_size, "cannot load a stored list: %s",
                         interdict_error_format(&e, buf, sizeof buf));
                bad = 1;
                break;
            }
            s->version_ids[s->n++] = v[i].id;
        }
        free(v);
        interdict_store_close(st);
        if (bad)
            goto fail;
    }
    if (s->n == 0) {
        const char *def = cfg->default_list ? cfg->default_list : "data/un/consolidated.xml";
        const char *const *paths = cfg->n_list_paths ? cfg->list_paths : &def;
        size_t n = cfg->n_list_paths ? cfg->n_list_paths : 1;
        for (size_t i = 0; i < n; i++) {
            if (interdict_list_load(paths[i], &s->lists[s->n], &e) != INTERDICT_OK) {
                snprintf(err, err_size, "cannot load list: %s",
                         interdict_error_format(&e, buf, sizeof buf));
                goto fail;
            }
            s->n++;
        }
    }
    if (interdict_index_build((const interdict_list *const *)s->lists, s->n, &s->index, &e) !=
        INTERDICT_OK) {
        snprintf(err, err_size, "cannot build the index: %s",
                 interdict_error_format(&e, buf, sizeof buf));
        goto fail;
    }
    size_t total = 0, at = 0;
    for (size_t i = 0; i < s->n; i++)
        total += interdict_list_count(s->lists[i]);
    s->by_ref = malloc((total ? total : 1) * sizeof *s->by_ref);
    if (!s->by_ref) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < interdict_list_count(s->lists[i]); k++)
            s->by_ref[s->n_entries++] = interdict_list_entry(s->lists[i], k);
        const interdict_list *l = s->lists[i];
        int k = snprintf(s->versions + at, sizeof s->versions - at, "%s%s:%s:%.12s",
                         i ? "," : "", interdict_list_id(l), interdict_list_generated(l),
                         interdict_list_checksum(l));
        if (k > 0 && (size_t)k < sizeof s->versions - at)
            at += (size_t)k;
    }
    qsort(s->by_ref, s->n_entries, sizeof *s->by_ref, entry_cmp);
    utc_now(s->loaded_at);
    return s;
fail:
    snapshot_free(s);
    return NULL;
}

static const interdict_entry *snapshot_find(const snapshot *s, const char *list, const char *ref)
{
    interdict_entry key = {.list = list, .ref = ref};
    const interdict_entry *kp = &key;
    const interdict_entry **hit =
        bsearch(&kp, s->by_ref, s->n_entries, sizeof *s->by_ref, entry_cmp);
    return hit ? *hit : NULL;
}

static json_t *versions_json(const snapshot *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n; i++) {
        const interdict_list *x = s->lists[i];
        json_t *o = json_object();
        json_object_set_new(o, "list", json_string(interdict_list_id(x)));
        json_object_set_new(o, "format", json_string(interdict_list_format(x)));
        json_object_set_new(o, "generated", json_string(interdict_list_generated(x)));
        json_object_set_new(o, "sha256", json_string(interdict_list_checksum(x)));
        json_object_set_new(o, "entries", json_integer((json_int_t)interdict_list_count(x)));
        if (s->version_ids[i])
            json_object_set_new(o, "version", json_integer(s->version_ids[i]));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* ---- Results pool -------------------------------------------------------------------- */

static interdict_result *result_get(service *svc)
{
    interdict_result *r = NULL;
    pthread_mutex_lock(&svc->pool_lock);
    if (svc->n_pool)
        r = svc->pool[--svc->n_pool];
    pthread_mutex_unlock(&svc->pool_lock);
    return r ? r : interdict_result_new();
}

static void result_put(service *svc, interdict_result *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&svc->pool_lock);
    if (svc->n_pool < sizeof svc->pool / sizeof *svc->pool) {
        svc->pool[svc->n_pool++] = r;
        r = NULL;
    }
    pthread_mutex_unlock(&svc->pool_lock);
    interdict_result_free(r);
}

/* ---- Life cycle ------------------------------------------------------------------------ */

static void *reloader_main(void *arg);

service *service_new(const service_config *cfg, char *err, size_t err_size)
{
    service *svc = calloc(1, sizeof *svc);
    if (!svc) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    svc->cfg = *cfg;
    if (!svc->cfg.max_body)
        svc->cfg.max_body = (size_t)1 << 20;
    if (!svc->cfg.max_batch)
        svc->cfg.max_batch = 1000;
    if (!svc->cfg.timeout)
        svc->cfg.timeout = 15;
    pthread_mutex_init(&svc->reload_lock, NULL);
    pthread_mutex_init(&svc->ask_lock, NULL);
    pthread_cond_init(&svc->ask_cond, NULL);
    pthread_mutex_init(&svc->pool_lock, NULL);
    unsigned char rnd[8] = {0};
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        uint64_t t = (uint64_t)time(NULL);
        memcpy(rnd, &t, sizeof t);
    }
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(svc->boot_id + 2 * i, 3, "%02x", rnd[i]);
    svc->cb = casebook_open(cfg->db, err, err_size);
    if (!svc->cb) {
        service_free(svc);
        return NULL;
    }
    snapshot *first = snapshot_build(&svc->cfg, err, err_size);
    if (!first) {
        service_free(svc);
        return NULL;
    }
    first->generation = atomic_fetch_add(&svc->generation, 1) + 1;
    atomic_store(&svc->current, first);
    json_t *d = json_object();
    json_object_set_new(d, "lists", versions_json(first));
    json_object_set_new(d, "entries", json_integer((json_int_t)first->n_entries));
    casebook_audit(svc->cb, "system", "lists_load", "lists", first->versions, d, 1);
    if (pthread_create(&svc->reloader, NULL, reloader_main, svc) != 0) {
        snprintf(err, err_size, "cannot start the reload thread");
        service_free(svc);
        return NULL;
    }
    svc->reloader_running = 1;
    return svc;
}

void service_free(service *svc)
{
    if (!svc)
        return;
    if (svc->reloader_running) {
        pthread_mutex_lock(&svc->ask_lock);
        svc->stopping = 1;
        pthread_cond_broadcast(&svc->ask_cond);
        pthread_mutex_unlock(&svc->ask_lock);
        pthread_join(svc->reloader, NULL);
    }
    casebook_close(svc->cb);
    snapshot_release(atomic_load(&svc->current));
    for (size_t i = 0; i < svc->n_pool; i++)
        interdict_result_free(svc->pool[i]);
    pthread_mutex_destroy(&svc->reload_lock);
    pthread_mutex_destroy(&svc->ask_lock);
    pthread_cond_destroy(&svc->ask_cond);
    pthread_mutex_destroy(&svc->pool_lock);
    free(svc);
}

casebook *service_casebook(service *svc) { return svc->cb; }
size_t service_max_body(const service *svc) { return svc->cfg.max_body; }

int service_reload(service *svc, const char *actor, char *msg, size_t msg_size)
{
    pthread_mutex_lock(&svc->reload_lock);
    char err[1024];
    snapshot *fresh = snapshot_build(&svc->cfg, err, sizeof err);
    if (!fresh) {
        atomic_fetch_add(&svc->reload_failures, 1);
        snprintf(msg, msg_size, "%s", err);
        json_t *d = json_object();
        json_object_set_new(d, "error", json_string(err));
        snapshot *cur = snapshot_acquire(svc);
        casebook_audit(svc->cb, actor, "lists_reload_failed", "lists", cur ? cur->versions : "",
                       d, 1);
        snapshot_release(cur);
        pthread_mutex_unlock(&svc->reload_lock);
        return -1;
    }
    fresh->generation = atomic_fetch_add(&svc->generation, 1) + 1;
    snapshot *old = snapshot_swap(svc, fresh);
    json_t *d = json_object();
    json_object_set_new(d, "lists", versions_json(fresh));
    json_object_set_new(d, "previous", json_string(old ? old->versions : ""));
    json_object_set_new(d, "changed", json_boolean(!old || strcmp(old->versions, fresh->versions)));
    json_object_set_new(d, "generation", json_integer((json_int_t)fresh->generation));
    snprintf(msg, msg_size, "%s", fresh->versions);
    /* the service's own reference; requests still on it keep it alive */
    snapshot_release(old);
    casebook_audit(svc->cb, actor, "lists_reload", "lists", fresh->versions, d, 1);
    atomic_fetch_add(&svc->reloads, 1);
    pthread_mutex_unlock(&svc->reload_lock);
    return 0;
}

static void *reloader_main(void *arg)
{
    service *svc = arg;
    pthread_mutex_lock(&svc->ask_lock);
    for (;;) {
        while (!svc->reload_asked && !svc->stopping)
            pthread_cond_wait(&svc->ask_cond, &svc->ask_lock);
        if (svc->stopping)
            break;
        char actor[128], msg[1024];
        snprintf(actor, sizeof actor, "%s", svc->reload_actor);
        svc->reload_asked = 0;
        svc->reloading = 1;
        pthread_mutex_unlock(&svc->ask_lock);
        int rc = service_reload(svc, actor, msg, sizeof msg);
        pthread_mutex_lock(&svc->ask_lock);
        svc->reloading = 0;
        svc->last_reload_ok = rc == 0;
        snprintf(svc->last_reload_error, sizeof svc->last_reload_error, "%s", rc ? msg : "");
        utc_now(svc->last_reload_at);
    }
    pthread_mutex_unlock(&svc->ask_lock);
    service_thread_done();
    return NULL;
}

/* Asks the reload thread for a reload; asks made while one is waiting are
 * one reload. */
static void request_reload(service *svc, const char *actor)
{
    pthread_mutex_lock(&svc->ask_lock);
    svc->reload_asked = 1;
    snprintf(svc->reload_actor, sizeof svc->reload_actor, "%s", actor);
    pthread_cond_signal(&svc->ask_cond);
    pthread_mutex_unlock(&svc->ask_lock);
}

static json_t *reload_state(service *svc)
{
    json_t *o = json_object();
    pthread_mutex_lock(&svc->ask_lock);
    json_object_set_new(o, "state", json_string(svc->reloading || svc->reload_asked ? "running"
                                                                                     : "idle"));
    if (svc->last_reload_at[0]) {
        json_object_set_new(o, "last_at", json_string(svc->last_reload_at));
        json_object_set_new(o, "last_ok", json_boolean(svc->last_reload_ok));
        if (!svc->last_reload_ok)
            json_object_set_new(o, "last_error", json_string(svc->last_reload_error));
    }
    pthread_mutex_unlock(&svc->ask_lock);
    return o;
}

/* ---- Responses ------------------------------------------------------------------------ */

static void respond_json(api_response *rs, int status, json_t *body)
{
    rs->status = status;
    rs->content_type = "application/json";
    rs->body = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6));
    json_decref(body);
    if (!rs->body) {
        static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
        rs->status = 500;
        rs->body = (char *)oom;
        rs->body_static = 1;
        rs->len = sizeof oom - 1;
        return;
    }
    rs->len = strlen(rs->body);
}

/* A JSON answer written as text (jsontext.h). */
static void respond_text(api_response *rs, int status, const jx_text *t)
{
    char *body = t->failed ? NULL : malloc(t->len + 1);
    if (!body) {
        respond_json(rs, 500, NULL);
        return;
    }
    memcpy(body, t->s, t->len + 1);
    rs->status = status;
    rs->content_type = "application/json";
    rs->body = body;
    rs->len = t->len;
}

__attribute__((format(printf, 4, 5))) static void respond_error(api_response *rs, int status,
                                                                const char *code,
                                                                const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    /* messages may quote client input: keep them valid UTF-8 */
    json_t *m = json_string(msg);
    json_object_set_new(e, "message", m ? m : json_string("(message not valid UTF-8)"));
    json_t *o = json_object();
    json_object_set_new(o, "error", e);
    respond_json(rs, status, o);
}

static void respond_field_error(api_response *rs, const char *field, const char *msg)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string("invalid_field"));
    json_object_set_new(e, "field", json_string(field));
    json_t *m = json_string(msg);
    json_object_set_new(e, "message", m ? m : json_string("invalid value"));
    json_t *o = json_object();
    json_object_set_new(o, "error", e);
    respond_json(rs, 400, o);
}

static void respond_cb_error(api_response *rs, int status)
{
    switch (status) {
    case CB_NOT_FOUND: respond_error(rs, 404, "not_found", "%s", casebook_message()); break;
    case CB_CONFLICT: respond_error(rs, 409, "conflict", "%s", casebook_message()); break;
    case CB_INVALID: respond_error(rs, 400, "invalid_field", "%s", casebook_message()); break;
    case CB_FORBIDDEN: respond_error(rs, 403, "forbidden", "%s", casebook_message()); break;
    default: respond_error(rs, 500, "storage_error", "%s", casebook_message()); break;
    }
}

/* The answer while there are no lists to screen against. */
static void respond_not_ready(api_response *rs)
{
    respond_error(rs, 503, "not_ready", "no lists are loaded");
}

/* A casebook listing: {"<name>": [...]}, or the casebook's error. */
static void respond_listing(api_response *rs, int rc, const char *name, json_t *items)
{
    if (rc != CB_OK) {
        respond_cb_error(rs, rc);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, name, items);
    respond_json(rs, 200, o);
}

void api_response_free(api_response *rs)
{
    if (rs && !rs->body_static)
        free(rs->body);
    if (rs) {
        rs->body = NULL;
        rs->len = 0;
    }
}

/* ---- JSON for entries and hits ------------------------------------------------------ */

static const char *party_word(interdict_party_type t)
{
    switch (t) {
    case INTERDICT_PARTY_PERSON: return "person";
    case INTERDICT_PARTY_ENTITY: return "entity";
    case INTERDICT_PARTY_VESSEL: return "vessel";
    case INTERDICT_PARTY_AIRCRAFT: return "aircraft";
    case INTERDICT_PARTY_UNKNOWN: break;
    }
    return "unknown";
}

static const char *name_kind_word(interdict_name_kind k)
{
    switch (k) {
    case INTERDICT_NAME_PRIMARY: return "primary";
    case INTERDICT_NAME_ALIAS_GOOD: return "alias";
    case INTERDICT_NAME_ALIAS_LOW: return "low_quality_alias";
    case INTERDICT_NAME_ORIGINAL: return "original_script";
    }
    return "unknown";
}

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static void date_text(int y, int m, int d, char *buf, size_t size)
{
    if (m && d)
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    else if (m)
        snprintf(buf, size, "%04d-%02d", y, m);
    else if (y)
        snprintf(buf, size, "%04d", y);
    else
        snprintf(buf, size, "%s", "");
}

static json_t *entry_json(const interdict_entry *e)
{
    static const char *const DATE_KINDS[] = {"exact", "approximate", "range", "text"};
    json_t *o = json_object();
    json_object_set_new(o, "list", json_string(e->list));
    json_object_set_new(o, "ref", json_string(e->ref));
    json_object_set_new(o, "type", json_string(party_word(e->type)));
    json_object_set_new(o, "regime", json_string(e->regime));
    json_object_set_new(o, "source_id", json_string(e->source_id));
    json_object_set_new(o, "listed_on", json_string(e->listed_on));
    json_object_set_new(o, "gender", json_string(e->gender));
    json_object_set_new(o, "comments", json_string(e->comments));
    json_t *names = json_array();
    for (size_t i = 0; i < e->n_names; i++) {
        json_t *n = json_object();
        json_object_set_new(n, "name", json_string(e->names[i].text));
        json_object_set_new(n, "kind", json_string(name_kind_word(e->names[i].kind)));
        json_array_append_new(names, n);
    }
    json_object_set_new(o, "names", names);
    json_t *dobs = json_array();
    for (size_t i = 0; i < e->n_dobs; i++) {
        const interdict_date *d = &e->dobs[i];
        char a[48], b[48];
        date_text(d->from_year, d->from_month, d->from_day, a, sizeof a);
        date_text(d->to_year, d->to_month, d->to_day, b, sizeof b);
        json_t *x = json_object();
        json_object_set_new(x, "kind", json_string(DATE_KINDS[(unsigned)d->kind & 3]));
        json_object_set_new(x, "from", json_string(a));
        if (d->kind == INTERDICT_DATE_RANGE)
            json_object_set_new(x, "to", json_string(b));
        if (d->note)
            json_object_set_new(x, "note", json_string(d->note));
        json_array_append_new(dobs, x);
    }
    json_object_set_new(o, "dates_of_birth", dobs);
    json_object_set_new(o, "places_of_birth", str_array(e->places_of_birth, e->n_places_of_birth));
    json_object_set_new(o, "nationalities", str_array(e->nationalities, e->n_nationalities));
    json_t *docs = json_array();
    for (size_t i = 0; i < e->n_documents; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "type", json_string(e->documents[i].type));
        json_object_set_new(x, "number", json_string(e->documents[i].number));
        json_object_set_new(x, "country", json_string(e->documents[i].country));
        json_object_set_new(x, "note", json_string(e->documents[i].note));
        json_array_append_new(docs, x);
    }
    json_object_set_new(o, "documents", docs);
    json_t *addr = json_array();
    for (size_t i = 0; i < e->n_addresses; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "text", json_string(e->addresses[i].text));
        json_object_set_new(x, "country", json_string(e->addresses[i].country));
        json_array_append_new(addr, x);
    }
    json_object_set_new(o, "addresses", addr);
    json_object_set_new(o, "titles", str_array(e->titles, e->n_titles));
    json_object_set_new(o, "designations", str_array(e->designations, e->n_designations));
    json_object_set_new(o, "programs", str_array(e->programs, e->n_programs));
    json_t *xr = json_array();
    for (size_t i = 0; i < e->n_crossrefs; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "list", json_string(e->crossrefs[i].list));
        json_object_set_new(x, "ref", json_string(e->crossrefs[i].ref));
        json_array_append_new(xr, x);
    }
    json_object_set_new(o, "crossrefs", xr);
    return o;
}

/* The fingerprint of a listed entry: of everything the list says about it. */
static void entry_fingerprint(const interdict_entry *e, char hex[65])
{
    json_t *o = entry_json(e);
    cb_fingerprint(o, hex);
    json_decref(o);
}

static double round4(double x) { return (double)(long)(x * 10000 + 0.5) / 10000; }

static json_t *hit_json(const interdict_hit *h)
{
    char why[1024];
    const interdict_entry *e = h->entry;
    json_t *o = json_object();
    json_object_set_new(o, "list", json_string(e->list));
    json_object_set_new(o, "ref", json_string(e->ref));
    json_object_set_new(o, "score", json_real(round4(h->score)));
    json_object_set_new(o, "name_score", json_real(round4(h->name_score)));
    json_object_set_new(o, "matched_name", json_string(h->matched_name));
    json_object_set_new(o, "matched_name_kind", json_string(name_kind_word(h->matched_kind)));
    json_object_set_new(o, "listed_name", json_string(e->names[0].text));
    json_object_set_new(o, "type", json_string(party_word(e->type)));
    json_object_set_new(o, "regime", json_string(e->regime));
    json_t *tokens = json_array();
    for (size_t i = 0; i < h->n_tokens; i++) {
        const interdict_token_match *t = &h->tokens[i];
        json_t *m = json_object();
        json_object_set_new(m, "query", json_string(t->query_token));
        json_object_set_new(m, "listed", json_string(t->list_token));
        json_object_set_new(m, "how", json_string(interdict_match_kind_name(t->kind)));
        json_object_set_new(m, "similarity", json_real(round4(t->similarity)));
        json_array_append_new(tokens, m);
    }
    json_object_set_new(o, "tokens", tokens);
    json_t *ev = json_object();
    const char *words[] = {"conflicts", "not_compared", "agrees"};
    json_object_set_new(ev, "dob", json_string(words[h->evidence.dob + 1]));
    json_object_set_new(ev, "nationality", json_string(words[h->evidence.nationality + 1]));
    json_object_set_new(ev, "type", json_string(words[h->evidence.type + 1]));
    json_object_set_new(o, "evidence", ev);
    json_object_set_new(o, "explanation", json_string(interdict_hit_explain(h, why, sizeof why)));
    if (h->n_sources > 1) {
        json_t *src = json_array();
        for (size_t i = 0; i < h->n_sources; i++) {
            json_t *x = json_object();
            json_object_set_new(x, "list", json_string(h->sources[i]->list));
            json_object_set_new(x, "ref", json_string(h->sources[i]->ref));
            json_array_append_new(src, x);
        }
        json_object_set_new(o, "sources", src);
    }
    char fp[65];
    entry_fingerprint(e, fp);
    json_object_set_new(o, "entry_fp", json_string(fp));
    return o;
}

/* ---- Requests ---------------------------------------------------------------------------- */

static const char *arg(const api_request *rq, const char *name)
{
    return rq->arg ? rq->arg(rq->arg_ctx, name) : NULL;
}

/* The caller's key and role; answers 401 or 403 itself when not enough. */
static int authorise(service *svc, const api_request *rq, api_response *rs, cb_role need,
                     cb_principal *who)
{
    const char *key = NULL;
    if (rq->authorization && *rq->authorization) {
        const char *a = rq->authorization;
        if (strncmp(a, "Bearer ", 7) != 0) {
            respond_error(rs, 401, "unauthorized", "the Authorization header must be"
                                                   " \"Bearer KEY\"");
            return -1;
        }
        key = a + 7;
        while (*key == ' ')
            key++;
    } else if (rq->api_key && *rq->api_key) {
        key = rq->api_key;
    }
    if (!key) {
        respond_error(rs, 401, "unauthorized", "an API key is required"
                                               " (Authorization: Bearer KEY, or X-API-Key)");
        return -1;
    }
    int rc = casebook_key_check(svc->cb, key, who);
    if (rc == CB_NOT_FOUND) {
        respond_error(rs, 401, "unauthorized", "unknown or revoked API key");
        return -1;
    }
    if (rc != CB_OK) {
        respond_error(rs, 503, "unavailable", "cannot check the key: %s", casebook_message());
        return -1;
    }
    if (who->role < need) {
        respond_error(rs, 403, "forbidden", "this needs the %s role; the key is %s",
                      cb_role_name(need), cb_role_name(who->role));
        return -1;
    }
    return 0;
}

static int is_json_type(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* The request body as a JSON object; answers 413, 415 or 400 itself. With
 * optional, an empty body gives an empty object. */
static json_t *read_body(const api_request *rq, api_response *rs, int optional)
{
    if (rq->body_too_large) {
        respond_error(rs, 413, "payload_too_large", "the request body is over the limit");
        return NULL;
    }
    if (optional && rq->body_len == 0)
        return json_object();
    if (!is_json_type(rq->content_type)) {
        respond_error(rs, 415, "unsupported_media_type",
                      "the body must be JSON (Content-Type: application/json)");
        return NULL;
    }
    if (rq->body_len == 0) {
        respond_error(rs, 400, "invalid_json", "the request body is empty");
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        respond_error(rs, 400, "invalid_json", "malformed JSON at line %d, column %d: %s",
                      je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        respond_error(rs, 400, "invalid_json", "the body must be a JSON object");
        return NULL;
    }
    return v;
}

/* The body of a request from a caller with at least the role `need`;
 * NULL once answered (authorise, read_body). */
static json_t *authorised_body(service *svc, const api_request *rq, api_response *rs,
                               cb_role need, cb_principal *who, int optional)
{
    if (authorise(svc, rq, rs, need, who) < 0)
        return NULL;
    return read_body(rq, rs, optional);
}

/* A string member: 1 and *out when present, 0 when absent or null, -1 (and
 * a message) when of the wrong type or too long. */
static int get_string(json_t *o, const char *name, size_t max, const char **out, char *msg,
                      size_t msg_size)
{
    json_t *v = json_object_get(o, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        snprintf(msg, msg_size, "%s must be a string", name);
        return -1;
    }
    if (json_string_length(v) > max) {
        snprintf(msg, msg_size, "%s is longer than %zu bytes", name, max);
        return -1;
    }
    if (memchr(json_string_value(v), '\0', json_string_length(v))) {
        snprintf(msg, msg_size, "%s contains a NUL character", name);
        return -1;
    }
    *out = json_string_value(v);
    return 1;
}

/* ---- Screening ------------------------------------------------------------------------ */

typedef struct screen_in {
    interdict_query q;
    const char *customer_id;
    char lists[512];
    int durable;
} screen_in;

/* Reads one screening query; on a bad field fills field and msg. */
static int parse_screen(json_t *o, screen_in *in, const char **field, char *msg, size_t msg_size)
{
    memset(in, 0, sizeof *in);
    static const char *const KNOWN[] = {"name", "type", "dob", "nationality", "customer_id",
                                        "lists", "threshold", "max_hits", "durable", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        int known = 0;
        for (int i = 0; KNOWN[i]; i++)
            known |= !strcmp(key, KNOWN[i]);
        if (!known) {
            *field = "(unknown)";
            snprintf(msg, msg_size, "unknown field \"%.60s\"", key);
            return -1;
        }
    }
#define STRING_FIELD(name, max, dst)                                                       \
    do {                                                                                   \
        if (get_string(o, name, max, &(dst), msg, msg_size) < 0) {                         \
            *field = name;                                                                 \
            return -1;                                                                     \
        }                                                                                  \
    } while (0)
    STRING_FIELD("name", 1024, in->q.name);
    if (!in->q.name || !*in->q.name) {
        *field = "name";
        snprintf(msg, msg_size, "name is required");
        return -1;
    }
    const char *type = NULL;
    STRING_FIELD("type", 32, type);
    if (!type || !*type || !strcmp(type, "unknown"))
        in->q.type = INTERDICT_PARTY_UNKNOWN;
    else if (!strcmp(type, "person") || !strcmp(type, "individual"))
        in->q.type = INTERDICT_PARTY_PERSON;
    else if (!strcmp(type, "entity") || !strcmp(type, "organisation") ||
             !strcmp(type, "organization"))
        in->q.type = INTERDICT_PARTY_ENTITY;
    else if (!strcmp(type, "vessel"))
        in->q.type = INTERDICT_PARTY_VESSEL;
    else if (!strcmp(type, "aircraft"))
        in->q.type = INTERDICT_PARTY_AIRCRAFT;
    else {
        *field = "type";
        snprintf(msg, msg_size, "type must be person, entity, vessel, aircraft or unknown");
        return -1;
    }
    STRING_FIELD("dob", 32, in->q.dob);
    STRING_FIELD("nationality", 64, in->q.nationality);
    STRING_FIELD("customer_id", 128, in->customer_id);
    json_t *lists = json_object_get(o, "lists");
    if (json_is_string(lists)) {
        if (json_string_length(lists) >= sizeof in->lists) {
            *field = "lists";
            snprintf(msg, msg_size, "lists is too long");
            return -1;
        }
        snprintf(in->lists, sizeof in->lists, "%s", json_string_value(lists));
    } else if (json_is_array(lists)) {
        size_t i, at = 0;
        json_t *x;
        json_array_foreach(lists, i, x) {
            if (!json_is_string(x) || json_string_length(x) == 0 ||
                at + json_string_length(x) + 2 >= sizeof in->lists ||
                strchr(json_string_value(x), ',')) {
                *field = "lists";
                snprintf(msg, msg_size, "lists must be list ids such as [\"un\", \"ofac\"]");
                return -1;
            }
            at += (size_t)snprintf(in->lists + at, sizeof in->lists - at, "%s%s", at ? "," : "",
                                   json_string_value(x));
        }
    } else if (lists && !json_is_null(lists)) {
        *field = "lists";
        snprintf(msg, msg_size, "lists must be an array of list ids or a comma-separated string");
        return -1;
    }
    in->q.lists = in->lists[0] ? in->lists : NULL;
    json_t *t = json_object_get(o, "threshold");
    if (t && !json_is_null(t)) {
        if (!json_is_number(t) || json_number_value(t) <= 0 || json_number_value(t) > 1) {
            *field = "threshold";
            snprintf(msg, msg_size, "threshold must be a number in (0, 1]");
            return -1;
        }
        in->q.threshold = json_number_value(t);
    }
    json_t *m = json_object_get(o, "max_hits");
    if (m && !json_is_null(m)) {
        if (!json_is_integer(m) || json_integer_value(m) < 1 || json_integer_value(m) > 100) {
            *field = "max_hits";
            snprintf(msg, msg_size, "max_hits must be an integer from 1 to 100");
            return -1;
        }
        in->q.max_hits = (size_t)json_integer_value(m);
    }
    json_t *d = json_object_get(o, "durable");
    if (d && !json_is_null(d)) {
        if (!json_is_boolean(d)) {
            *field = "durable";
            snprintf(msg, msg_size, "durable must be true or false");
            return -1;
        }
        in->durable = json_is_true(d);
    }
#undef STRING_FIELD
    return 0;
}

static json_t *query_json(const screen_in *in)
{
    json_t *q = json_object();
    json_object_set_new(q, "name", json_string(in->q.name));
    json_object_set_new(q, "type", json_string(party_word(in->q.type)));
    json_object_set_new(q, "dob", json_string(in->q.dob ? in->q.dob : ""));
    json_object_set_new(q, "nationality",
                        json_string(in->q.nationality ? in->q.nationality : ""));
    return q;
}

static json_t *field_error(const char *code, const char *field, const char *msg)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    if (field)
        json_object_set_new(e, "field", json_string(field));
    json_t *m = json_string(msg);
    json_object_set_new(e, "message", m ? m : json_string("invalid value"));
    json_t *o = json_object();
    json_object_set_new(o, "error", e);
    return o;
}

/* The cache key: every field that changes the hits, in buf (NULL when it
 * does not fit: no caching). */
static const char *cache_key(const screen_in *in, char *buf, size_t size, uint64_t *hash)
{
    /* the threshold's exact bits: no two values share a key */
    uint64_t bits;
    memcpy(&bits, &in->q.threshold, sizeof bits);
    char tail[96];
    int tn = snprintf(tail, sizeof tail, "\x1f%016" PRIx64 "\x1f%zu", bits, in->q.max_hits);
    const char *part[] = {in->q.name, in->q.dob ? in->q.dob : "",
                          in->q.nationality ? in->q.nationality : "",
                          in->q.lists ? in->q.lists : ""};
    char type[16];
    int yn = snprintf(type, sizeof type, "\x1f%d", (int)in->q.type);
    if (tn < 0 || yn < 0 || (size_t)tn >= sizeof tail)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < 4; i++) {
        size_t n = strlen(part[i]);
        if (len + n + (size_t)yn + (size_t)tn + 2 > size)
            return NULL;
        memcpy(buf + len, part[i], n);
        len += n;
        if (i == 0) {
            memcpy(buf + len, type, (size_t)yn);
            len += (size_t)yn;
        }
        if (i < 3)
            buf[len++] = '\x1f';
    }
    memcpy(buf + len, tail, (size_t)tn + 1);
    len += (size_t)tn;
    uint64_t h = 1469598103934665603ull;      /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
    *hash = h;
    return buf;
}

/* The two ways of hash's set, and the lock that guards them. */
static cache_slot *cache_set(snapshot *s, uint64_t hash, pthread_mutex_t **lock)
{
    size_t set = hash % (CACHE_SLOTS / 2);
    *lock = &s->cache_lock[set % CACHE_STRIPES];
    return &s->cache[set * 2];
}

/* The way of a set that holds key, or -1. */
static int cache_way(const cache_slot *ways, const char *key, uint64_t hash)
{
    for (int w = 0; w < 2; w++)
        if (ways[w].key && ways[w].hash == hash && !strcmp(ways[w].key, key))
            return w;
    return -1;
}

/* The cached hits of a query (a new array) and its warning, or NULL. */
static json_t *cache_get(service *svc, snapshot *s, const char *key, uint64_t hash,
                         char *warning, size_t warning_size)
{
    if (!s->cache || !key)
        return NULL;
    pthread_mutex_t *lock;
    cache_slot *c = cache_set(s, hash, &lock);
    json_t *hits = NULL;
    pthread_mutex_lock(lock);
    int w = cache_way(c, key, hash);
    if (w >= 0) {
        hits = c[w].hits[1] == ']' ? json_array() : json_loads(c[w].hits, 0, NULL);
        snprintf(warning, warning_size, "%s", c[w].warning ? c[w].warning : "");
        c[0].recent = w;
    }
    pthread_mutex_unlock(lock);
    atomic_fetch_add_explicit(hits ? &svc->cache_hits : &svc->cache_misses, 1,
                              memory_order_relaxed);
    return hits;
}

static void cache_put(snapshot *s, const char *key, uint64_t hash, const json_t *hits,
                      const char *warning)
{
    if (!s->cache || !key)
        return;
    char *text = json_dumps(hits, JSON_COMPACT | JSON_REAL_PRECISION(6));
    char *w_text = warning && *warning ? strdup(warning) : NULL;
    char *k = strdup(key);
    if (!text || !k) {
        free(text);
        free(w_text);
        free(k);
        return;
    }
    pthread_mutex_t *lock;
    cache_slot *ways = cache_set(s, hash, &lock);
    pthread_mutex_lock(lock);
    /* the way that holds the key already (two threads screened it at once),
     * an empty way, else the one not used last */
    int w = cache_way(ways, key, hash);
    if (w < 0)
        w = !ways[0].key ? 0 : !ways[1].key ? 1 : !ways[0].recent;
    cache_slot *c = &ways[w];
    ways[0].recent = w;
    char *old_k = c->key, *old_h = c->hits, *old_w = c->warning;
    c->key = k;
    c->hits = text;
    c->warning = w_text;
    c->hash = hash;
    pthread_mutex_unlock(lock);
    free(old_k);
    free(old_h);
    free(old_w);
}

/* ---- Answers that wait for the casebook -----------------------------------------------
 * An alert, and a screening recorded durably, are answered only once they
 * are committed. A server that serves many connections on each thread
 * offers to park the connection meanwhile (rq->park): the write goes to the
 * casebook in flight, its notice wakes the server (from the writer thread),
 * and the server calls service_resume on one of its threads to make the
 * answer. Without that offer the service waits itself. */

enum { WAIT_ALERT, WAIT_DURABLE, WAIT_BATCH };

/* An alert of a batch request, stored with the others of the batch in one
 * transaction once every item is screened. */
typedef struct pending_alert {
    char sid[48], actor[128], cfp[65];
    char *customer;
    json_t *query, *hits, *lists, *detail;
    json_t *out;                 /* the item's result (borrowed) */
} pending_alert;

static void pending_free(pending_alert *p)
{
    free(p->customer);
    json_decref(p->query);
    json_decref(p->hits);
    json_decref(p->lists);
    json_decref(p->detail);
    memset(p, 0, sizeof *p);
}

struct api_wait {
    service *svc;
    int kind;
    cb_write *w;                 /* the write in flight */
    json_t *out;                 /* the answer, less what the commit brings */
    void (*wake)(void *ctx);     /* parked: how to wake the server */
    void *wake_ctx;
    /* a batch: every item's result, and those waiting for an alert id */
    json_t *results;
    pending_alert *pending;
    size_t n_pending, n_items, alerts, errors;
    char versions[1024];
};

static void wait_notify(void *arg)
{
    api_wait *w = arg;
    w->wake(w->wake_ctx);
}

/* A wait for a write about to be queued; parked when the server offers it
 * (rq NULL: not). */
static api_wait *wait_new(service *svc, const api_request *rq, int kind)
{
    api_wait *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->svc = svc;
    w->kind = kind;
    if (rq && rq->park && rq->wake && rq->park(rq->park_ctx)) {
        w->wake = rq->wake;
        w->wake_ctx = rq->park_ctx;
    }
    return w;
}

static cb_notify_fn wait_fn(const api_wait *w) { return w->wake ? wait_notify : NULL; }

static void wait_free(api_wait *w)
{
    if (!w)
        return;
    casebook_write_free(w->w);
    json_decref(w->out);
    json_decref(w->results);
    for (size_t k = 0; k < w->n_pending; k++)
        pending_free(&w->pending[k]);
    free(w->pending);
    free(w);
}

void service_wait_free(api_wait *w) { wait_free(w); }

/* ---- Screening, continued ------------------------------------------------------------- */

/* The audit detail of a screening without an alert, as JSON text: what
 * json_dumps gave for the object {screening_id, customer_id, query: {name,
 * type, dob, nationality}, hits, lists_filter} before, without building it. */
static void screen_detail(jx_text *t, const char *sid, const char *customer, const screen_in *in,
                          const json_t *audit_hits)
{
    jx_lit(t, "{\"screening_id\":");
    jx_string(t, sid);
    jx_lit(t, ",\"customer_id\":");
    jx_string(t, customer);
    jx_lit(t, ",\"query\":{\"name\":");
    jx_string(t, in->q.name);
    jx_lit(t, ",\"type\":");
    jx_string(t, party_word(in->q.type));
    jx_lit(t, ",\"dob\":");
    jx_string(t, in->q.dob ? in->q.dob : "");
    jx_lit(t, ",\"nationality\":");
    jx_string(t, in->q.nationality ? in->q.nationality : "");
    jx_lit(t, "},\"hits\":");
    if (json_array_size(audit_hits)) {
        /* hits on the allow-list: rare, left to Jansson */
        char *h = json_dumps(audit_hits, JSON_COMPACT | JSON_ENCODE_ANY);
        if (h)
            jx_raw(t, h, strlen(h));
        else
            t->failed = 1;
        free(h);
    } else {
        jx_lit(t, "[]");
    }
    if (in->q.lists) {
        jx_lit(t, ",\"lists_filter\":");
        jx_string(t, in->q.lists);
    }
    jx_lit(t, "}");
}

/* The next screening id, "scr_<boot id>_<n>". */
static void next_screening_id(service *svc, char sid[48])
{
    uint64_t n = atomic_fetch_add_explicit(&svc->screenings, 1, memory_order_relaxed) + 1;
    char *o = sid;
    memcpy(o, "scr_", 4);
    o += 4;
    size_t b = strlen(svc->boot_id);
    memcpy(o, svc->boot_id, b);
    o += b;
    *o++ = '_';
    char digits[24];
    size_t k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (k)
        *o++ = digits[--k];
    *o = '\0';
}

/* A screening without a single hit, not durable: its record and its answer
 * as JSON text, {"screening_id", "customer_id" (if given), "alert": false,
 * "hits": [], "warning" (if any), "lists"}, the same bytes as the answer
 * built as an object. Returns NULL with the answer in *answer, or an error
 * object with *status set. */
static json_t *screen_quiet(service *svc, snapshot *snap, const screen_in *in,
                            const cb_principal *who, const char *warning, jx_text *answer,
                            int *status)
{
    char sid[48], actor[128];
    next_screening_id(svc, sid);
    cb_principal_actor(who, actor, sizeof actor);
    const char *customer = in->customer_id ? in->customer_id : "";
    char buf[1024];
    jx_text t;
    jx_init(&t, buf, sizeof buf);
    screen_detail(&t, sid, customer, in, NULL);
    int rc = t.failed ? CB_ERROR
                      : casebook_audit_text(svc->cb, actor, "screen", sid, snap->versions, t.s,
                                            t.len, 0);
    jx_free(&t);
    if (rc != CB_OK) {
        *status = 503;
        return field_error("storage_error", NULL, casebook_message());
    }
    jx_lit(answer, "{\"screening_id\":");
    jx_string(answer, sid);
    if (in->customer_id) {
        jx_lit(answer, ",\"customer_id\":");
        jx_string(answer, customer);
    }
    jx_lit(answer, ",\"alert\":false,\"hits\":[]");
    /* a warning quotes the query, cut short: maybe in the middle of a
     * character, and then left out as Jansson would */
    if (warning[0] && jx_utf8_valid(warning)) {
        jx_lit(answer, ",\"warning\":");
        jx_string(answer, warning);
    }
    if (jx_utf8_valid(snap->versions)) {
        jx_lit(answer, ",\"lists\":");
        jx_string(answer, snap->versions);
    }
    jx_lit(answer, "}");
    atomic_fetch_add_explicit(&svc->screened, 1, memory_order_relaxed);
    *status = 200;
    return NULL;
}

/* Screens one query and records it: an alert (stored before the answer)
 * when hits remain after the allow-list, else an audit record written in
 * the background (durable: before the answer). Returns the result object,
 * or an {"error": ...} object with *status set. With later, a record the
 * answer must wait for is queued in flight and *later says for what (the
 * answer is then completed by screen_finish); with defer (a batch), an
 * alert is left to the caller. With answer, a screening without hits that
 * need not wait is answered as text there (screen_quiet) and NULL returned. */
static json_t *screen_one(service *svc, snapshot *snap, const screen_in *in,
                          const cb_principal *who, interdict_result *r, int *status,
                          pending_alert *defer, const api_request *rq, api_wait **later,
                          jx_text *answer)
{
    interdict_error err;
    *status = 200;
    if (later)
        *later = NULL;
    uint64_t hash = 0;
    char keybuf[2048];
    const char *key = snap->cache ? cache_key(in, keybuf, sizeof keybuf, &hash) : NULL;
    char warning[256] = "";
    json_t *found = cache_get(svc, snap, key, hash, warning, sizeof warning);
    if (!found) {
        if (interdict_screen(snap->index, &in->q, r, &err) != INTERDICT_OK) {
            *status = err.code == INTERDICT_ERR_NOMEM ? 500 : 400;
            return field_error(*status == 500 ? "internal" : "invalid_field",
                               err.field[0] ? err.field : NULL, err.message);
        }
        found = json_array();
        for (size_t i = 0; i < interdict_result_count(r); i++)
            json_array_append_new(found, hit_json(interdict_result_hit(r, i)));
        if (interdict_result_warning(r))
            snprintf(warning, sizeof warning, "%s", interdict_result_warning(r));
        cache_put(snap, key, hash, found, warning);
    }
    if (answer && !in->durable && json_array_size(found) == 0) {
        json_decref(found);
        return screen_quiet(svc, snap, in, who, warning, answer, status);
    }
    char sid[48], actor[128];
    next_screening_id(svc, sid);
    cb_principal_actor(who, actor, sizeof actor);
    const char *customer = in->customer_id ? in->customer_id : "";
    json_t *out = json_object();
    json_object_set_new(out, "screening_id", json_string(sid));
    if (in->customer_id)
        json_object_set_new(out, "customer_id", json_string(customer));
    json_t *hits = json_array(), *allowed = json_array(), *audit_hits = json_array();
    size_t n = json_array_size(found);
    char cfp[65] = "";
    /* the query as JSON only for what has hits: the fingerprint, the alert */
    json_t *query = n ? query_json(in) : NULL;
    if (n) {
        cb_fingerprint(query, cfp);
        for (size_t i = 0; i < n; i++) {
            json_t *h = json_incref(json_array_get(found, i));
            int64_t allow_id = 0;
            int a = casebook_allowed(svc->cb, customer,
                                     json_string_value(json_object_get(h, "list")),
                                     json_string_value(json_object_get(h, "ref")), cfp,
                                     json_string_value(json_object_get(h, "entry_fp")),
                                     &allow_id);
            if (a < 0) {
                json_decref(h);
                json_decref(found);
                json_decref(hits);
                json_decref(allowed);
                json_decref(audit_hits);
                json_decref(query);
                json_decref(out);
                *status = 503;
                return field_error("unavailable", NULL, casebook_message());
            }
            json_t *ah = json_object();
            json_object_set(ah, "list", json_object_get(h, "list"));
            json_object_set(ah, "ref", json_object_get(h, "ref"));
            json_object_set(ah, "score", json_object_get(h, "score"));
            if (a == 1) {
                json_object_set_new(ah, "allow_id", json_integer(allow_id));
                json_t *x = json_object();
                json_object_set(x, "list", json_object_get(h, "list"));
                json_object_set(x, "ref", json_object_get(h, "ref"));
                json_object_set_new(x, "allow_id", json_integer(allow_id));
                json_array_append_new(allowed, x);
                json_decref(h);
                atomic_fetch_add_explicit(&svc->suppressed, 1, memory_order_relaxed);
            } else {
                json_array_append_new(hits, h);
            }
            json_array_append_new(audit_hits, ah);
        }
    }
    int rc = CB_OK;
    char msg[256] = "";
    if (json_array_size(hits)) {
        json_t *detail = json_object();
        json_object_set_new(detail, "screening_id", json_string(sid));
        json_object_set_new(detail, "customer_id", json_string(customer));
        json_object_set(detail, "query", query);
        json_object_set_new(detail, "hits", audit_hits);
        if (in->q.lists)
            json_object_set_new(detail, "lists_filter", json_string(in->q.lists));
        if (defer) {
            snprintf(defer->sid, sizeof defer->sid, "%s", sid);
            snprintf(defer->actor, sizeof defer->actor, "%s", actor);
            snprintf(defer->cfp, sizeof defer->cfp, "%s", cfp);
            defer->customer = strdup(customer);
            defer->query = json_incref(query);
            defer->hits = json_incref(hits);
            defer->lists = versions_json(snap);
            defer->detail = detail;
            defer->out = out;
            json_object_set_new(out, "alert", json_true());
        } else {
            json_t *lists = versions_json(snap);
            cb_alert_new a = {.screening_id = sid, .customer_id = customer, .customer_fp = cfp,
                              .actor = actor, .versions = snap->versions, .query = query,
                              .hits = hits, .lists = lists, .audit_detail = detail};
            if (later) {
                /* the id comes with the commit; its place in the answer is kept */
                api_wait *w = wait_new(svc, rq, WAIT_ALERT);
                rc = w ? casebook_alerts_create_async(svc->cb, &a, 1, wait_fn(w), w, &w->w)
                       : CB_ERROR;
                if (rc == CB_OK) {
                    json_object_set_new(out, "alert", json_true());
                    json_object_set_new(out, "alert_id", json_integer(0));
                    *later = w;
                } else {
                    snprintf(msg, sizeof msg, "%s", w ? casebook_message() : "out of memory");
                    free(w);
                }
            } else {
                int64_t id = 0;
                rc = casebook_alert_create(svc->cb, &a, &id);
                if (rc == CB_OK) {
                    json_object_set_new(out, "alert", json_true());
                    json_object_set_new(out, "alert_id", json_integer(id));
                    atomic_fetch_add_explicit(&svc->alerts_created, 1, memory_order_relaxed);
                } else {
                    snprintf(msg, sizeof msg, "%s", casebook_message());
                }
            }
            json_decref(lists);
            json_decref(detail);
        }
    } else {
        char buf[1024];
        jx_text t;
        jx_init(&t, buf, sizeof buf);
        screen_detail(&t, sid, customer, in, audit_hits);
        json_decref(audit_hits);
        if (t.failed) {
            rc = CB_ERROR;
            snprintf(msg, sizeof msg, "out of memory");
        } else if (in->durable && later) {
            api_wait *w = wait_new(svc, rq, WAIT_DURABLE);
            rc = w ? casebook_audit_text_async(svc->cb, actor, "screen", sid, snap->versions, t.s,
                                               t.len, wait_fn(w), w, &w->w)
                   : CB_ERROR;
            if (rc == CB_OK) {
                *later = w;
            } else {
                snprintf(msg, sizeof msg, "%s", w ? casebook_message() : "out of memory");
                free(w);
            }
        } else {
            rc = casebook_audit_text(svc->cb, actor, "screen", sid, snap->versions, t.s, t.len,
                                     in->durable);
            if (rc != CB_OK)
                snprintf(msg, sizeof msg, "%s", casebook_message());
        }
        jx_free(&t);
        json_object_set_new(out, "alert", json_false());
    }
    json_decref(query);
    json_decref(found);
    if (rc != CB_OK) {
        json_decref(hits);
        json_decref(allowed);
        json_decref(out);
        *status = 503;
        return field_error("storage_error", NULL, msg);
    }
    json_object_set_new(out, "hits", hits);
    if (json_array_size(allowed))
        json_object_set_new(out, "allowed", allowed);
    else
        json_decref(allowed);
    if (warning[0])
        json_object_set_new(out, "warning", json_string(warning));
    json_object_set_new(out, "lists", json_string(snap->versions));
    if (!later || !*later)
        atomic_fetch_add_explicit(&svc->screened, 1, memory_order_relaxed);
    return out;
}

/* The answer to a screening once its record is committed (or is not). */
static void screen_finish(service *svc, api_wait *w, api_response *rs)
{
    char msg[256];
    int64_t id = 0;
    int rc = casebook_write_result(w->w, &id, 1, msg, sizeof msg);
    json_t *out = w->out;
    w->out = NULL;
    if (rc != CB_OK) {
        json_decref(out);
        respond_json(rs, 503, field_error("storage_error", NULL, msg));
        return;
    }
    if (w->kind == WAIT_ALERT) {
        json_object_set_new(out, "alert_id", json_integer(id));
        atomic_fetch_add_explicit(&svc->alerts_created, 1, memory_order_relaxed);
    }
    atomic_fetch_add_explicit(&svc->screened, 1, memory_order_relaxed);
    respond_json(rs, 200, out);
}

static void handle_screen(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_CLIENT, &who, 0);
    if (!body)
        return;
    screen_in in;
    const char *field = NULL;
    char msg[256];
    if (parse_screen(body, &in, &field, msg, sizeof msg) < 0) {
        respond_field_error(rs, field, msg);
        json_decref(body);
        return;
    }
    snapshot *snap = snapshot_acquire(svc);
    interdict_result *r = result_get(svc);
    api_wait *later = NULL;
    if (!snap || !r) {
        respond_not_ready(rs);
    } else {
        int status;
        char buf[512];
        jx_text answer;
        jx_init(&answer, buf, sizeof buf);
        json_t *out = screen_one(svc, snap, &in, &who, r, &status, NULL, rq, &later, &answer);
        if (later)
            later->out = out;
        else if (out)
            respond_json(rs, status, out);
        else
            respond_text(rs, status, &answer);
        jx_free(&answer);
    }
    result_put(svc, r);
    snapshot_release(snap);
    json_decref(body);
    if (later && later->wake) {
        rs->wait = later;       /* the server parks the connection */
    } else if (later) {
        screen_finish(svc, later, rs);
        wait_free(later);
    }
}

/* The answer to a batch once its alerts are committed (or are not). */
static void batch_finish(service *svc, api_wait *w, api_response *rs)
{
    int64_t *ids = calloc(w->n_pending ? w->n_pending : 1, sizeof *ids);
    int rc = CB_OK;
    if (w->n_pending)
        rc = w->w && ids ? casebook_write_result(w->w, ids, w->n_pending, NULL, 0) : CB_ERROR;
    for (size_t k = 0; k < w->n_pending; k++) {
        json_t *o = w->pending[k].out;
        if (rc == CB_OK) {
            json_object_set_new(o, "alert_id", json_integer(ids[k]));
            atomic_fetch_add_explicit(&svc->alerts_created, 1, memory_order_relaxed);
        } else {
            json_object_set_new(o, "alert", json_false());
            json_object_del(o, "hits");
            json_t *e = json_object();
            json_object_set_new(e, "code", json_string("storage_error"));
            json_object_set_new(e, "message", json_string("the alert could not be stored"));
            json_object_set_new(o, "error", e);
            w->alerts--;
            w->errors++;
        }
    }
    free(ids);
    json_t *out = json_object();
    json_object_set_new(out, "results", w->results);
    w->results = NULL;
    json_object_set_new(out, "count", json_integer((json_int_t)w->n_items));
    json_object_set_new(out, "alerts", json_integer((json_int_t)w->alerts));
    json_object_set_new(out, "errors", json_integer((json_int_t)w->errors));
    json_object_set_new(out, "lists", json_string(w->versions));
    respond_json(rs, 200, out);
}

static void handle_screen_batch(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_CLIENT, &who, 0);
    if (!body)
        return;
    json_t *items = json_object_get(body, "items");
    if (!json_is_array(items) || json_object_size(body) != 1) {
        respond_field_error(rs, "items", "the body must be {\"items\": [query, ...]}");
        json_decref(body);
        return;
    }
    if (json_array_size(items) == 0 || json_array_size(items) > svc->cfg.max_batch) {
        char msg[96];
        snprintf(msg, sizeof msg, "items must hold 1 to %zu queries", svc->cfg.max_batch);
        respond_field_error(rs, "items", msg);
        json_decref(body);
        return;
    }
    snapshot *snap = snapshot_acquire(svc);
    interdict_result *r = result_get(svc);
    size_t n_items = json_array_size(items), n_pending = 0;
    pending_alert *pending = calloc(n_items, sizeof *pending);
    api_wait *w = NULL;
    if (!pending) {
        respond_error(rs, 500, "internal", "out of memory");
    } else if (!snap || !r) {
        respond_not_ready(rs);
    } else {
        json_t *results = json_array();
        size_t i, alerts = 0, errors = 0;
        json_t *item;
        json_array_foreach(items, i, item) {
            screen_in in;
            const char *field = NULL;
            char msg[256];
            json_t *res;
            if (!json_is_object(item)) {
                res = field_error("invalid_field", "items", "each item must be an object");
                errors++;
            } else if (parse_screen(item, &in, &field, msg, sizeof msg) < 0) {
                res = field_error("invalid_field", field, msg);
                errors++;
            } else {
                int status;
                res = screen_one(svc, snap, &in, &who, r, &status, &pending[n_pending], NULL,
                                 NULL, NULL);
                if (pending[n_pending].out)
                    n_pending++;
                if (status != 200)
                    errors++;
                else if (json_is_true(json_object_get(res, "alert")))
                    alerts++;
            }
            json_object_set_new(res, "index", json_integer((json_int_t)i));
            json_array_append_new(results, res);
        }
        /* the batch's alerts in one transaction: every one is stored before
         * the answer, or the items say they are not */
        w = wait_new(svc, n_pending ? rq : NULL, WAIT_BATCH);
        if (!w) {
            json_decref(results);
            respond_error(rs, 500, "internal", "out of memory");
        } else {
            w->results = results;
            w->pending = pending;
            w->n_pending = n_pending;
            w->n_items = n_items;
            w->alerts = alerts;
            w->errors = errors;
            snprintf(w->versions, sizeof w->versions, "%s", snap->versions);
            pending = NULL;
            n_pending = 0;
        }
    }
    if (w && w->n_pending) {
        cb_alert_new *an = calloc(w->n_pending, sizeof *an);
        for (size_t k = 0; k < w->n_pending && an; k++) {
            pending_alert *p = &w->pending[k];
            an[k] = (cb_alert_new){.screening_id = p->sid, .customer_id = p->customer,
                                   .customer_fp = p->cfp, .actor = p->actor,
                                   .versions = w->versions, .query = p->query,
                                   .hits = p->hits, .lists = p->lists,
                                   .audit_detail = p->detail};
        }
        if (!an || casebook_alerts_create_async(svc->cb, an, w->n_pending, wait_fn(w), w,
                                                &w->w) != CB_OK)
            w->w = NULL;
        free(an);
    }
    for (size_t k = 0; k < n_pending; k++)
        pending_free(&pending[k]);
    free(pending);
    result_put(svc, r);
    snapshot_release(snap);
    json_decref(body);
    if (w && w->wake && w->w) {
        rs->wait = w;           /* the server parks the connection */
    } else if (w) {
        batch_finish(svc, w, rs);
        wait_free(w);
    }
}

/* A string field of the body, required and not empty; NULL after an error
 * response. */
static const char *body_text(const json_t *body, const char *field, api_response *rs)
{
    const json_t *v = json_object_get(body, field);
    if (!json_is_string(v) || json_string_length(v) == 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "\"%s\" must be a non-empty string", field);
        respond_field_error(rs, field, msg);
        return NULL;
    }
    return json_string_value(v);
}

/* POST /v1/screen/text {"text": "..."}: mentions of listed parties in
 * running text, with byte offsets into the text. Recorded in the audit
 * trail; no alert is created (an investigator reads the hits). */
static void handle_screen_text(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_CLIENT, &who, 0);
    if (!body)
        return;
    const char *text = body_text(body, "text", rs);
    snapshot *snap = text ? snapshot_acquire(svc) : NULL;
    interdict_text_result *res = text ? interdict_text_result_new() : NULL;
    if (!text) {
        /* answered */
    } else if (!snap || !res) {
        respond_not_ready(rs);
    } else {
        interdict_error err;
        size_t len = json_string_length(json_object_get(body, "text"));
        if (interdict_screen_text(snap->index, text, len, NULL, res, &err) != INTERDICT_OK) {
            respond_field_error(rs, "text", err.message);
        } else {
            json_t *hits = json_array(), *audit_hits = json_array();
            for (size_t i = 0; i < interdict_text_result_count(res); i++) {
                const interdict_text_hit *h = interdict_text_result_hit(res, i);
                json_t *o = json_object();
                json_object_set_new(o, "list", json_string(h->entry->list));
                json_object_set_new(o, "ref", json_string(h->entry->ref));
                json_object_set_new(o, "score", json_real(round4(h->score)));
                json_object_set_new(o, "start", json_integer((json_int_t)h->start));
                json_object_set_new(o, "end", json_integer((json_int_t)h->end));
                json_object_set_new(o, "text", json_string(h->text));
                json_object_set_new(o, "matched_name", json_string(h->matched_name));
                json_object_set_new(o, "listed_name", json_string(h->entry->names[0].text));
                json_object_set_new(o, "explanation",
                                    json_string(h->explanation ? h->explanation : ""));
                json_array_append_new(hits, o);
                json_t *a = json_object();
                json_object_set_new(a, "list", json_string(h->entry->list));
                json_object_set_new(a, "ref", json_string(h->entry->ref));
                json_object_set_new(a, "score", json_real(round4(h->score)));
                json_array_append_new(audit_hits, a);
            }
            char actor[128];
            cb_principal_actor(&who, actor, sizeof actor);
            json_t *detail = json_object();
            json_object_set_new(detail, "bytes", json_integer((json_int_t)len));
            json_object_set_new(detail, "hits", audit_hits);
            if (casebook_audit(svc->cb, actor, "screen_text", "text", snap->versions, detail, 0) !=
                CB_OK) {
                json_decref(hits);
                respond_error(rs, 503, "unavailable", "%s", casebook_message());
            } else {
                json_t *out = json_object();
                json_object_set_new(out, "hits", hits);
                if (interdict_text_result_warning(res))
                    json_object_set_new(out, "warning",
                                        json_string(interdict_text_result_warning(res)));
                json_object_set_new(out, "lists", json_string(snap->versions));
                respond_json(rs, 200, out);
            }
        }
    }
    interdict_text_result_free(res);
    snapshot_release(snap);
    json_decref(body);
}

static json_t *payment_error_json(const interdict_error *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "field", json_string(e->field));
    json_object_set_new(o, "message", json_string(e->message));
    return o;
}

static json_t *payment_hit_json(const interdict_payment_hit *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(interdict_payment_hit_kind_name(h->kind)));
    json_object_set_new(o, "field", json_string(h->field));
    json_object_set_new(o, "role", json_string(h->role));
    json_object_set_new(o, "value", json_string(h->value));
    json_object_set_new(o, "reason", json_string(h->reason));
    if (h->entry) {
        json_object_set_new(o, "list", json_string(h->entry->list));
        json_object_set_new(o, "ref", json_string(h->entry->ref));
    }
    if (h->match)
        json_object_set_new(o, "score", json_real(round4(h->match->score)));
    return o;
}

/* POST /v1/screen/payment {"message": "<pacs.008, pain.001, MT103, MT202COV>"}:
 * a decision per transaction, with every hit and error. A message that
 * cannot be read is held, never passed. Recorded in the audit trail. */
static void handle_screen_payment(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_CLIENT, &who, 0);
    if (!body)
        return;
    const char *msg = body_text(body, "message", rs);
    snapshot *snap = msg ? snapshot_acquire(svc) : NULL;
    interdict_payment_rules *rules = NULL;
    interdict_payment_screener *scr = NULL;
    interdict_error err;
    if (!msg) {
        /* answered */
    } else if (!snap) {
        respond_not_ready(rs);
    } else if (interdict_payment_rules_default(snap->index, &rules, &err) != INTERDICT_OK ||
               interdict_payment_screener_new(snap->index, rules, 0, &scr, &err) != INTERDICT_OK) {
        respond_error(rs, 500, "internal", "%s", err.message);
    } else {
        size_t len = json_string_length(json_object_get(body, "message"));
        interdict_status st = interdict_payment_screen_memory(scr, msg, len, "message", &err);
        json_t *messages = json_array();
        int hold = st != INTERDICT_OK;
        for (size_t i = 0; st == INTERDICT_OK && i < interdict_payment_message_count(scr); i++) {
            const interdict_payment_message *m = interdict_payment_message_at(scr, i);
            json_t *mo = json_object(), *txs = json_array(), *errs = json_array();
            json_object_set_new(mo, "type", json_string(m->type));
            json_object_set_new(mo, "id", json_string(m->id));
            json_object_set_new(mo, "decision", json_string(m->hold ? "hold" : "pass"));
            for (size_t t = 0; t < m->n_transactions; t++) {
                const interdict_payment_transaction *tx = &m->transactions[t];
                json_t *to = json_object(), *hits = json_array(), *terrs = json_array();
                json_object_set_new(to, "id", json_string(tx->id));
                json_object_set_new(to, "decision", json_string(tx->hold ? "hold" : "pass"));
                for (size_t h = 0; h < tx->n_hits; h++)
                    json_array_append_new(hits, payment_hit_json(&tx->hits[h]));
                for (size_t e = 0; e < tx->n_errors; e++)
                    json_array_append_new(terrs, payment_error_json(&tx->errors[e]));
                json_object_set_new(to, "hits", hits);
                json_object_set_new(to, "errors", terrs);
                json_array_append_new(txs, to);
            }
            for (size_t e = 0; e < m->n_errors; e++)
                json_array_append_new(errs, payment_error_json(&m->errors[e]));
            json_object_set_new(mo, "transactions", txs);
            json_object_set_new(mo, "errors", errs);
            json_array_append_new(messages, mo);
            hold |= m->hold != 0;
        }
        char actor[128];
        cb_principal_actor(&who, actor, sizeof actor);
        json_t *detail = json_object();
        json_object_set_new(detail, "bytes", json_integer((json_int_t)len));
        json_object_set_new(detail, "decision", json_string(hold ? "hold" : "pass"));
        json_object_set_new(detail, "messages", json_deep_copy(messages));
        /* a hold is waited for: it must not be lost once answered */
        if (casebook_audit(svc->cb, actor, "screen_payment", "payment", snap->versions, detail,
                           hold) != CB_OK) {
            json_decref(messages);
            respond_error(rs, 503, "unavailable", "%s", casebook_message());
        } else {
            json_t *out = json_object();
            json_object_set_new(out, "decision", json_string(hold ? "hold" : "pass"));
            json_object_set_new(out, "messages", messages);
            if (st != INTERDICT_OK)
                json_object_set_new(out, "error", json_string(err.message));
            json_object_set_new(out, "lists", json_string(snap->versions));
            respond_json(rs, 200, out);
        }
    }
    interdict_payment_screener_free(scr);
    interdict_payment_rules_free(rules);
    snapshot_release(snap);
    json_decref(body);
}

/* ---- Lists and entries ---------------------------------------------------------------- */

static void handle_lists(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_CLIENT, &who) < 0)
        return;
    snapshot *snap = snapshot_acquire(svc);
    if (!snap) {
        respond_not_ready(rs);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "lists", versions_json(snap));
    json_object_set_new(o, "versions", json_string(snap->versions));
    json_object_set_new(o, "loaded_at", json_string(snap->loaded_at));
    json_object_set_new(o, "generation", json_integer((json_int_t)snap->generation));
    json_object_set_new(o, "entries", json_integer((json_int_t)snap->n_entries));
    json_object_set_new(o, "reload", reload_state(svc));
    snapshot_release(snap);
    respond_json(rs, 200, o);
}

static void handle_entry(service *svc, const api_request *rq, api_response *rs,
                         const char *list, const char *ref)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_CLIENT, &who) < 0)
        return;
    snapshot *snap = snapshot_acquire(svc);
    if (!snap) {
        respond_not_ready(rs);
        return;
    }
    const interdict_entry *e = snapshot_find(snap, list, ref);
    if (!e) {
        respond_error(rs, 404, "not_found", "no entry %.64s on list %.32s", ref, list);
    } else {
        json_t *o = entry_json(e);
        char fp[65];
        cb_fingerprint(o, fp);
        json_object_set_new(o, "entry_fp", json_string(fp));
        json_object_set_new(o, "lists", json_string(snap->versions));
        respond_json(rs, 200, o);
    }
    snapshot_release(snap);
}

/* Search the lists by name for an analyst: no alert, no audit record. */
static void handle_search(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_ANALYST, &who) < 0)
        return;
    const char *q = arg(rq, "q");
    if (!q || !*q || strlen(q) > 1024) {
        respond_field_error(rs, "q", "q (a name, 1 to 1024 bytes) is required");
        return;
    }
    snapshot *snap = snapshot_acquire(svc);
    interdict_result *r = result_get(svc);
    if (!snap || !r) {
        respond_not_ready(rs);
    } else {
        interdict_query query = {.name = q, .threshold = 0.5, .max_hits = 25,
                                 .lists = arg(rq, "lists")};
        interdict_error err;
        if (interdict_screen(snap->index, &query, r, &err) != INTERDICT_OK) {
            respond_field_error(rs, err.field[0] ? err.field : "q", err.message);
        } else {
            json_t *hits = json_array();
            for (size_t i = 0; i < interdict_result_count(r); i++)
                json_array_append_new(hits, hit_json(interdict_result_hit(r, i)));
            json_t *o = json_object();
            json_object_set_new(o, "query", json_string(q));
            json_object_set_new(o, "hits", hits);
            json_object_set_new(o, "lists", json_string(snap->versions));
            respond_json(rs, 200, o);
        }
    }
    result_put(svc, r);
    snapshot_release(snap);
}

/* ---- Alerts ---------------------------------------------------------------------------- */

static int parse_id(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18)
        return -1;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return v > 0 ? 0 : -1;
}

static int parse_limit(const api_request *rq, api_response *rs, const char *name, int max,
                       int64_t *out)
{
    const char *v = arg(rq, name);
    if (!v)
        return 0;
    if (parse_id(v, out) < 0 || *out > max) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must be a whole number from 1 to %d", name, max);
        respond_field_error(rs, name, msg);
        return -1;
    }
    return 0;
}

static void handle_alerts(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_ANALYST, &who) < 0)
        return;
    const char *status = arg(rq, "status");
    if (status && !*status)
        status = NULL;
    if (status && strcmp(status, "open") && strcmp(status, "escalated") &&
        strcmp(status, "true_match") && strcmp(status, "false_positive")) {
        respond_field_error(rs, "status",
                            "status must be open, escalated, true_match or false_positive");
        return;
    }
    int64_t before = 0, limit = 50;
    if (parse_limit(rq, rs, "before", 1000000000, &before) < 0 ||
        parse_limit(rq, rs, "limit", 500, &limit) < 0)
        return;
    json_t *arr = NULL;
    int rc = casebook_alerts(svc->cb, status, before, (int)limit, &arr);
    respond_listing(rs, rc, "alerts", arr);
}

static void handle_alert(service *svc, const api_request *rq, api_response *rs, int64_t id)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_ANALYST, &who) < 0)
        return;
    json_t *o;
    int rc = casebook_alert_get(svc->cb, id, &o);
    if (rc != CB_OK) {
        respond_cb_error(rs, rc);
        return;
    }
    /* the listed entries as they are now, beside what was screened */
    snapshot *snap = snapshot_acquire(svc);
    json_t *entries = json_array();
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(o, "hits"), i, h) {
        const char *list = json_string_value(json_object_get(h, "list"));
        const char *ref = json_string_value(json_object_get(h, "ref"));
        const interdict_entry *e = snap && list && ref ? snapshot_find(snap, list, ref) : NULL;
        if (e) {
            json_t *ej = entry_json(e);
            char fp[65];
            cb_fingerprint(ej, fp);
            json_object_set_new(ej, "entry_fp", json_string(fp));
            const char *was = json_string_value(json_object_get(h, "entry_fp"));
            json_object_set_new(ej, "changed_since_alert", json_boolean(!was || strcmp(was, fp)));
            json_array_append_new(entries, ej);
        } else {
            json_t *gone = json_object();
            json_object_set_new(gone, "list", json_string(list ? list : ""));
            json_object_set_new(gone, "ref", json_string(ref ? ref : ""));
            json_object_set_new(gone, "removed", json_true());
            json_array_append_new(entries, gone);
        }
    }
    snapshot_release(snap);
    json_object_set_new(o, "entries", entries);
    respond_json(rs, 200, o);
}

static void handle_decision(service *svc, const api_request *rq, api_response *rs, int64_t id)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_ANALYST, &who, 0);
    if (!body)
        return;
    const char *decision = NULL, *reason = NULL;
    char msg[128];
    if (get_string(body, "decision", 32, &decision, msg, sizeof msg) < 0 || !decision) {
        respond_field_error(rs, "decision", "decision must be true_match, false_positive or"
                                            " escalate");
    } else if (get_string(body, "reason", 4000, &reason, msg, sizeof msg) < 0 || !reason ||
               !*reason) {
        respond_field_error(rs, "reason", "a reason (up to 4000 bytes) is required");
    } else {
        snapshot *snap = snapshot_acquire(svc);
        int rc = casebook_decide(svc->cb, id, decision, reason, &who, snap ? snap->versions : "");
        snapshot_release(snap);
        if (rc != CB_OK) {
            respond_cb_error(rs, rc);
        } else {
            json_t *o;
            rc = casebook_alert_get(svc->cb, id, &o);
            if (rc != CB_OK)
                respond_cb_error(rs, rc);
            else
                respond_json(rs, 200, o);
        }
    }
    json_decref(body);
}

static void handle_allow_request(service *svc, const api_request *rq, api_response *rs,
                                 int64_t id)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_ANALYST, &who, 0);
    if (!body)
        return;
    const char *reason = NULL, *list = NULL, *ref = NULL;
    char msg[128];
    if (get_string(body, "reason", 4000, &reason, msg, sizeof msg) < 0 || !reason || !*reason) {
        respond_field_error(rs, "reason", "a reason (up to 4000 bytes) is required");
    } else if (get_string(body, "list", 32, &list, msg, sizeof msg) < 0 ||
               get_string(body, "ref", 128, &ref, msg, sizeof msg) < 0 || (!list != !ref)) {
        respond_field_error(rs, "ref", "list and ref name one hit; give both or neither");
    } else {
        json_t *created = NULL;
        int rc = casebook_allow_request(svc->cb, id, list, ref, reason, &who, &created);
        if (rc != CB_OK) {
            json_decref(created);
            respond_cb_error(rs, rc);
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "allowlist", created);
            respond_json(rs, 201, o);
        }
    }
    json_decref(body);
}

static void handle_allowlist(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_ANALYST, &who) < 0)
        return;
    const char *status = arg(rq, "status");
    if (status && !*status)
        status = NULL;
    if (status && strcmp(status, "pending") && strcmp(status, "approved") &&
        strcmp(status, "rejected") && strcmp(status, "revoked")) {
        respond_field_error(rs, "status", "status must be pending, approved, rejected or revoked");
        return;
    }
    json_t *arr = NULL;
    int rc = casebook_allowlist(svc->cb, status, &arr);
    respond_listing(rs, rc, "allowlist", arr);
}

static void handle_allow_decision(service *svc, const api_request *rq, api_response *rs,
                                  int64_t id, const char *action)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_SUPERVISOR, &who, 1);
    if (!body)
        return;
    const char *reason = NULL;
    char msg[128];
    if (get_string(body, "reason", 4000, &reason, msg, sizeof msg) < 0) {
        respond_field_error(rs, "reason", msg);
    } else {
        int rc = casebook_allow_decide(svc->cb, id, action, reason ? reason : "", &who);
        if (rc != CB_OK) {
            respond_cb_error(rs, rc);
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_integer(id));
            json_object_set_new(o, "status", json_string(!strcmp(action, "approve") ? "approved"
                                                         : !strcmp(action, "reject") ? "rejected"
                                                                                      : "revoked"));
            respond_json(rs, 200, o);
        }
    }
    json_decref(body);
}

static void handle_audit(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_SUPERVISOR, &who) < 0)
        return;
    int64_t after = 0, limit = 100;
    const char *a = arg(rq, "after");
    if (a && strcmp(a, "0") && parse_id(a, &after) < 0) {
        respond_field_error(rs, "after", "after must be a whole number");
        return;
    }
    if (parse_limit(rq, rs, "limit", 1000, &limit) < 0)
        return;
    json_t *arr = NULL;
    int rc = casebook_audit_list(svc->cb, after, (int)limit, &arr);
    respond_listing(rs, rc, "entries", arr);
}

/* ---- Administration -------------------------------------------------------------------- */

static void handle_keys_list(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_ADMIN, &who) < 0)
        return;
    json_t *arr = NULL;
    int rc = casebook_keys(svc->cb, &arr);
    respond_listing(rs, rc, "keys", arr);
}

static void handle_keys_create(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_ADMIN, &who, 0);
    if (!body)
        return;
    const char *name = NULL, *role_s = NULL;
    char msg[128];
    cb_role role;
    if (get_string(body, "name", 60, &name, msg, sizeof msg) < 0 || !name || !*name) {
        respond_field_error(rs, "name", "name (1 to 60 bytes) is required");
    } else if (get_string(body, "role", 16, &role_s, msg, sizeof msg) < 0 ||
               cb_role_parse(role_s, &role) < 0) {
        respond_field_error(rs, "role", "role must be client, analyst, supervisor or admin");
    } else {
        char key[CB_KEY_MAX], actor[128];
        int64_t id;
        cb_principal_actor(&who, actor, sizeof actor);
        int rc = casebook_key_create(svc->cb, role, name, actor, key, &id);
        if (rc != CB_OK) {
            respond_cb_error(rs, rc);
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_integer(id));
            json_object_set_new(o, "name", json_string(name));
            json_object_set_new(o, "role", json_string(cb_role_name(role)));
            json_object_set_new(o, "key", json_string(key));
            memset(key, 0, sizeof key);
            respond_json(rs, 201, o);
        }
    }
    json_decref(body);
}

static void handle_key_revoke(service *svc, const api_request *rq, api_response *rs, int64_t id)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_ADMIN, &who) < 0)
        return;
    char actor[128];
    cb_principal_actor(&who, actor, sizeof actor);
    int rc = casebook_key_revoke(svc->cb, id, actor);
    if (rc != CB_OK) {
        respond_cb_error(rs, rc);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "revoked", json_true());
    respond_json(rs, 200, o);
}

/* Starts a reload and answers 202 at once; GET /v1/lists shows when the
 * new generation is in (or why the reload failed). */
static void handle_reload(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    json_t *body = authorised_body(svc, rq, rs, CB_ROLE_ADMIN, &who, 1);
    if (!body)
        return;
    json_decref(body);
    char actor[128];
    cb_principal_actor(&who, actor, sizeof actor);
    snapshot *snap = snapshot_acquire(svc);
    uint64_t generation = snap ? snap->generation : 0;
    snapshot_release(snap);
    request_reload(svc, actor);
    json_t *o = json_object();
    json_object_set_new(o, "reload", json_string("started"));
    json_object_set_new(o, "generation", json_integer((json_int_t)generation));
    json_object_set_new(o, "message", json_string("the lists are being loaded; GET /v1/lists shows"
                                                  " a higher generation once they are in use"));
    respond_json(rs, 202, o);
}

static void handle_me(service *svc, const api_request *rq, api_response *rs)
{
    cb_principal who;
    if (authorise(svc, rq, rs, CB_ROLE_CLIENT, &who) < 0)
        return;
    json_t *o = json_object();
    json_object_set_new(o, "key_id", json_integer(who.key_id));
    json_object_set_new(o, "name", json_string(who.name));
    json_object_set_new(o, "role", json_string(cb_role_name(who.role)));
    respond_json(rs, 200, o);
}

/* ---- Health, metrics, documents ---------------------------------------------------------- */

static void handle_health(service *svc, api_response *rs)
{
    (void)svc;
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string("ok"));
    json_object_set_new(o, "version", json_string(INTERDICT_VERSION));
    respond_json(rs, 200, o);
}

static void handle_ready(service *svc, api_response *rs)
{
    snapshot *snap = snapshot_acquire(svc);
    int db_ok = casebook_ping(svc->cb) == CB_OK;
    json_t *o = json_object();
    json_object_set_new(o, "lists", json_boolean(snap != NULL));
    json_object_set_new(o, "database", json_boolean(db_ok));
    json_object_set_new(o, "backend", json_string(casebook_backend_name(svc->cb)));
    if (snap)
        json_object_set_new(o, "versions", json_string(snap->versions));
    int ready = snap && db_ok;
    json_object_set_new(o, "ready", json_boolean(ready));
    snapshot_release(snap);
    if (!ready) {
        json_t *e = json_object();
        json_object_set_new(e, "code", json_string("not_ready"));
        json_object_set_new(e, "message", json_string(db_ok ? "no lists are loaded"
                                                            : "the database is not reachable"));
        json_object_set_new(o, "error", e);
    }
    respond_json(rs, ready ? 200 : 503, o);
}

static int route_index(const char *route)
{
    for (int i = 0; ROUTES[i]; i++)
        if (!strcmp(ROUTES[i], route))
            return i;
    return -1;
}

void service_observe(service *svc, const char *route, int status, double seconds)
{
    int r = route_index(route ? route : "unknown");
    if (r < 0)
        r = route_index("unknown");
    int s = METRIC_STATUSES;   /* "other" */
    for (int i = 0; i < METRIC_STATUSES && STATUSES[i]; i++)
        if (STATUSES[i] == status)
            s = i;
    atomic_fetch_add_explicit(&svc->requests[r][s], 1, memory_order_relaxed);
    int b = 0;
    while (b < LATENCY_BUCKETS && seconds > LATENCY_BOUNDS[b])
        b++;
    atomic_fetch_add_explicit(&svc->latency[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&svc->latency_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&svc->latency_sum_us, (uint_fast64_t)(seconds * 1e6),
                              memory_order_relaxed);
}

typedef struct text_buf {
    char *s;
    size_t len, cap;
} text_buf;

__attribute__((format(printf, 2, 3))) static void tb_printf(text_buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
        char *s = realloc(b->s, cap);
        if (!s)
            return;
        b->s = s;
        b->cap = cap;
    }
}

static void handle_metrics(service *svc, api_response *rs)
{
    text_buf b = {0};
    tb_printf(&b, "# HELP interdict_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE interdict_http_requests_total counter\n");
    for (int r = 0; ROUTES[r]; r++)
        for (int s = 0; s <= METRIC_STATUSES; s++) {
            uint64_t n = atomic_load_explicit(&svc->requests[r][s], memory_order_relaxed);
            if (!n)
                continue;
            char st[8];
            if (s < METRIC_STATUSES)
                snprintf(st, sizeof st, "%d", STATUSES[s]);
            else
                snprintf(st, sizeof st, "other");
            tb_printf(&b, "interdict_http_requests_total{route=\"%s\",status=\"%s\"} %" PRIu64 "\n",
                      ROUTES[r], st, n);
        }
    tb_printf(&b, "# HELP interdict_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE interdict_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (int i = 0; i < LATENCY_BUCKETS; i++) {
        cum += atomic_load_explicit(&svc->latency[i], memory_order_relaxed);
        tb_printf(&b, "interdict_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
                  LATENCY_BOUNDS[i], cum);
    }
    cum += atomic_load_explicit(&svc->latency[LATENCY_BUCKETS], memory_order_relaxed);
    tb_printf(&b, "interdict_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n", cum);
    tb_printf(&b, "interdict_http_request_duration_seconds_sum %.6f\n",
              (double)atomic_load(&svc->latency_sum_us) / 1e6);
    tb_printf(&b, "interdict_http_request_duration_seconds_count %" PRIu64 "\n",
              (uint64_t)atomic_load(&svc->latency_count));
    snapshot *snap = snapshot_acquire(svc);
    tb_printf(&b,
              "# HELP interdict_alerts_created_total Alerts created by screening.\n"
              "# TYPE interdict_alerts_created_total counter\n"
              "interdict_alerts_created_total %" PRIu64 "\n"
              "# HELP interdict_screenings_total Queries screened.\n"
              "# TYPE interdict_screenings_total counter\n"
              "interdict_screenings_total %" PRIu64 "\n"
              "# HELP interdict_hits_allowed_total Hits not alerted because of the allow-list.\n"
              "# TYPE interdict_hits_allowed_total counter\n"
              "interdict_hits_allowed_total %" PRIu64 "\n"
              "# HELP interdict_screen_cache_total Screenings answered from the cache or not.\n"
              "# TYPE interdict_screen_cache_total counter\n"
              "interdict_screen_cache_total{result=\"hit\"} %" PRIu64 "\n"
              "interdict_screen_cache_total{result=\"miss\"} %" PRIu64 "\n"
              "# HELP interdict_list_reloads_total List reloads, by result.\n"
              "# TYPE interdict_list_reloads_total counter\n"
              "interdict_list_reloads_total{result=\"ok\"} %" PRIu64 "\n"
              "interdict_list_reloads_total{result=\"failed\"} %" PRIu64 "\n"
              "# HELP interdict_audit_queue_depth Audit records waiting to be committed.\n"
              "# TYPE interdict_audit_queue_depth gauge\n"
              "interdict_audit_queue_depth %zu\n"
              "# HELP interdict_list_entries Entries in the lists in use.\n"
              "# TYPE interdict_list_entries gauge\n"
              "interdict_list_entries %zu\n"
              "# HELP interdict_list_generation Lists loaded since start (1 at start).\n"
              "# TYPE interdict_list_generation gauge\n"
              "interdict_list_generation %" PRIu64 "\n",
              (uint64_t)atomic_load(&svc->alerts_created), (uint64_t)atomic_load(&svc->screened),
              (uint64_t)atomic_load(&svc->suppressed), (uint64_t)atomic_load(&svc->cache_hits),
              (uint64_t)atomic_load(&svc->cache_misses), (uint64_t)atomic_load(&svc->reloads),
              (uint64_t)atomic_load(&svc->reload_failures), casebook_queue_depth(svc->cb),
              snap ? snap->n_entries : 0, snap ? (uint64_t)snap->generation : 0);
    snapshot_release(snap);
    if (!b.s) {
        respond_error(rs, 500, "internal", "out of memory");
        return;
    }
    rs->status = 200;
    rs->body = b.s;
    rs->len = b.len;
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

static const service_asset *find_asset(const char *name)
{
    for (const service_asset *a = service_assets; a->name; a++)
        if (!strcmp(a->name, name))
            return a;
    return NULL;
}

static const char *mime_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (!strcmp(dot, ".html"))
        return "text/html; charset=utf-8";
    if (!strcmp(dot, ".js"))
        return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".css"))
        return "text/css; charset=utf-8";
    if (!strcmp(dot, ".json"))
        return "application/json";
    return "application/octet-stream";
}

/* Files come from the table built into the program, by exact name: a path
 * can name nothing else. */
static void serve_asset(api_response *rs, const char *name)
{
    const service_asset *a = NULL;
    if (strlen(name) < 64 && !strchr(name, '/') && !strstr(name, "..") && name[0] != '.')
        a = find_asset(name);
    if (!a) {
        respond_error(rs, 404, "not_found", "no such file");
        return;
    }
    rs->status = 200;
    rs->body = (char *)a->data;
    rs->len = a->len;
    rs->body_static = 1;
    rs->content_type = mime_type(a->name);
    rs->cache_control = "no-cache";
}

/* ---- Routing ------------------------------------------------------------------------------ */

#define MAX_SEGMENTS 8

typedef struct route_path {
    char buf[1024];
    char *seg[MAX_SEGMENTS];
    int n;
} route_path;

/* Splits "/v1/alerts/12/decision" into its segments. Returns -1 for paths
 * too long or too deep, which no route has. */
static int split_path(const char *path, route_path *p)
{
    p->n = 0;
    size_t len = strlen(path);
    if (len >= sizeof p->buf || path[0] != '/')
        return -1;
    memcpy(p->buf, path, len + 1);
    char *s = p->buf + 1;
    while (*s) {
        if (p->n == MAX_SEGMENTS)
            return -1;
        p->seg[p->n++] = s;
        char *slash = strchr(s, '/');
        if (!slash)
            break;
        *slash = '\0';
        s = slash + 1;
    }
    return 0;
}

static int is(const route_path *p, int i, const char *s) { return i < p->n && !strcmp(p->seg[i], s); }

static void method_not_allowed(api_response *rs, const char *method, const char *allowed)
{
    respond_error(rs, 405, "method_not_allowed", "%.10s is not allowed here; use %s", method,
                  allowed);
}

void service_handle(service *svc, const api_request *rq, api_response *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->route = "unknown";
    const char *m = rq->method ? rq->method : "";
    int get = !strcmp(m, "GET") || !strcmp(m, "HEAD"), post = !strcmp(m, "POST");
    route_path p;
    if (!rq->path || split_path(rq->path, &p) < 0) {
        respond_error(rs, 404, "not_found", "no such resource");
        return;
    }
    if (p.n == 0 || (p.n == 1 && !*p.seg[0])) {          /* "/" */
        rs->route = "web";
        if (!get)
            { method_not_allowed(rs, m, "GET"); return; }
        { serve_asset(rs, "index.html"); return; }
    }
    if (is(&p, 0, "web") && p.n == 2) {
        rs->route = "web";
        if (!get)
            { method_not_allowed(rs, m, "GET"); return; }
        { serve_asset(rs, p.seg[1]); return; }
    }
    if (is(&p, 0, "metrics") && p.n == 1) {
        rs->route = "metrics";
        { get ? handle_metrics(svc, rs) : method_not_allowed(rs, m, "GET"); return; }
    }
    if (!is(&p, 0, "v1") || p.n < 2) {
        respond_error(rs, 404, "not_found", "no such resource");
        return;
    }
    const char *r1 = p.seg[1];
    int n = p.n;
    int64_t id = 0;
    if (!strcmp(r1, "health") && n == 2) {
        rs->route = "health";
        { get ? handle_health(svc, rs) : method_not_allowed(rs, m, "GET"); return; }
    }
    if (!strcmp(r1, "ready") && n == 2) {
        rs->route = "ready";
        { get ? handle_ready(svc, rs) : method_not_allowed(rs, m, "GET"); return; }
    }
    if (!strcmp(r1, "openapi.json") && n == 2) {
        rs->route = "openapi";
        { get ? serve_asset(rs, "openapi.json") : method_not_allowed(rs, m, "GET"); return; }
    }
    if (!strcmp(r1, "me") && n == 2) {
        rs->route = "me";
        { get ? handle_me(svc, rq, rs) : method_not_allowed(rs, m, "GET"); return; }
    }
    if (!strcmp(r1, "screen")) {
        if (n == 2) {
            rs->route = "screen";
            { post ? handle_screen(svc, rq, rs) : method_not_allowed(rs, m, "POST"); return; }
        }
        if (n == 3 && is(&p, 2, "batch")) {
            rs->route = "screen_batch";
            { post ? handle_screen_batch(svc, rq, rs) : method_not_allowed(rs, m, "POST"); return; }
        }
        if (n == 3 && is(&p, 2, "text")) {
            rs->route = "screen_text";
            { post ? handle_screen_text(svc, rq, rs) : method_not_allowed(rs, m, "POST"); return; }
        }
        if (n == 3 && is(&p, 2, "payment")) {
            rs->route = "screen_payment";
            { post ? handle_screen_payment(svc, rq, rs) : method_not_allowed(rs, m, "POST"); return; }
        }
    }
    if (!strcmp(r1, "lists") && n == 2) {
        rs->route = "lists";
        { get ? handle_lists(svc, rq, rs) : method_not_allowed(rs, m, "GET"); return; }
    }
    if (!strcmp(r1, "entries")) {
        if (n == 2) {
            rs->route = "entries_search";
            { get ? handle_search(svc, rq, rs) : method_not_allowed(rs, m, "GET"); return; }
        }
        if (n >= 4 && *p.seg[2]) {
            rs->route = "entry";
            if (!get)
                { method_not_allowed(rs, m, "GET"); return; }
            /* a reference may itself hold slashes: the rest of the path */
            const char *ref = rq->path + (size_t)(p.seg[3] - p.buf);
            { handle_entry(svc, rq, rs, p.seg[2], ref); return; }
        }
    }
    if (!strcmp(r1, "alerts")) {
        if (n == 2) {
            rs->route = "alerts";
            { get ? handle_alerts(svc, rq, rs) : method_not_allowed(rs, m, "GET"); return; }
        }
        if (parse_id(p.seg[2], &id) == 0) {
            if (n == 3) {
                rs->route = "alert";
                { get ? handle_alert(svc, rq, rs, id) : method_not_allowed(rs, m, "GET"); return; }
            }
            if (n == 4 && is(&p, 3, "decision")) {
                rs->route = "decision";
                { post ? handle_decision(svc, rq, rs, id) : method_not_allowed(rs, m, "POST"); return; }
            }
            if (n == 4 && is(&p, 3, "allowlist")) {
                rs->route = "allowlist_request";
                { post ? handle_allow_request(svc, rq, rs, id)
                            : method_not_allowed(rs, m, "POST"); return; }
            }
        }
    }
    if (!strcmp(r1, "allowlist")) {
        if (n == 2) {
            rs->route = "allowlist";
            { get ? handle_allowlist(svc, rq, rs) : method_not_allowed(rs, m, "GET"); return; }
        }
        if (n == 4 && parse_id(p.seg[2], &id) == 0 &&
            (is(&p, 3, "approve") || is(&p, 3, "reject") || is(&p, 3, "revoke"))) {
            rs->route = "allowlist_decision";
            { post ? handle_allow_decision(svc, rq, rs, id, p.seg[3])
                        : method_not_allowed(rs, m, "POST"); return; }
        }
    }
    if (!strcmp(r1, "audit") && n == 2) {
        rs->route = "audit";
        { get ? handle_audit(svc, rq, rs) : method_not_allowed(rs, m, "GET"); return; }
    }
    if (!strcmp(r1, "admin") && n >= 3) {
        if (is(&p, 2, "reload") && n == 3) {
            rs->route = "reload";
            { post ? handle_reload(svc, rq, rs) : method_not_allowed(rs, m, "POST"); return; }
        }
        if (is(&p, 2, "keys") && n == 3) {
            rs->route = "keys";
            if (get)
                { handle_keys_list(svc, rq, rs); return; }
            { post ? handle_keys_create(svc, rq, rs)
                        : method_not_allowed(rs, m, "GET, POST"); return; }
        }
        if (is(&p, 2, "keys") && n == 5 && parse_id(p.seg[3], &id) == 0 &&
            is(&p, 4, "revoke")) {
            rs->route = "keys";
            { post ? handle_key_revoke(svc, rq, rs, id) : method_not_allowed(rs, m, "POST"); return; }
        }
    }
    respond_error(rs, 404, "not_found", "no such resource");
}

void service_resume(service *svc, api_wait *w, api_response *rs)
{
    memset(rs, 0, sizeof *rs);
    if (w->kind == WAIT_BATCH) {
        rs->route = "screen_batch";
        batch_finish(svc, w, rs);
    } else {
        rs->route = "screen";
        screen_finish(svc, w, rs);
    }
    wait_free(w);
}

/* Worker threads of the HTTP server call this when they end. */
void service_thread_done(void) { interdict_thread_cleanup(); }
