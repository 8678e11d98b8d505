/* casebook.c - alerts, decisions, allow-list, keys and the audit chain. */
#include "casebook.h"

#include "../util/jsontext.h"
#include "../util/sha256.h"
#include "db.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ---- Schema ------------------------------------------------------------------
 * Portable SQL: BIGINT ids, TEXT for everything else (timestamps are UTC ISO
 * 8601 written by the program, JSON documents are text). @ID@ is the one
 * difference, an automatic key; the audit sequence is assigned by the writer,
 * @SEQ@ its key: in SQLite the table's own rowid (INTEGER PRIMARY KEY, a
 * 64-bit integer as BIGINT is) rather than a second index to keep up on
 * every insert. Casebooks made with "seq BIGINT PRIMARY KEY" keep it and
 * work the same. The audit table refuses updates and deletes (a trigger in
 * each backend). */
static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS cb_keys("
    " id @ID@, name TEXT NOT NULL, role TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);\n"
    "CREATE TABLE IF NOT EXISTS cb_alerts("
    " id @ID@, created_at TEXT NOT NULL, screening_id TEXT NOT NULL,"
    " customer_id TEXT NOT NULL, customer_fp TEXT NOT NULL, query TEXT NOT NULL,"
    " hits TEXT NOT NULL, lists TEXT NOT NULL, status TEXT NOT NULL,"
    " created_by TEXT NOT NULL, updated_at TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS cb_alerts_status ON cb_alerts(status, id);\n"
    "CREATE TABLE IF NOT EXISTS cb_decisions("
    " id @ID@, alert_id BIGINT NOT NULL REFERENCES cb_alerts(id),"
    " decision TEXT NOT NULL, reason TEXT NOT NULL, decided_by TEXT NOT NULL,"
    " decided_by_key BIGINT NOT NULL, decided_at TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS cb_decisions_alert ON cb_decisions(alert_id);\n"
    "CREATE TABLE IF NOT EXISTS cb_allowlist("
    " id @ID@, customer_id TEXT NOT NULL, list_id TEXT NOT NULL, ref TEXT NOT NULL,"
    " customer_fp TEXT NOT NULL, entry_fp TEXT NOT NULL,"
    " alert_id BIGINT NOT NULL REFERENCES cb_alerts(id), status TEXT NOT NULL,"
    " reason TEXT NOT NULL, requested_by TEXT NOT NULL, requested_by_key BIGINT NOT NULL,"
    " requested_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT, decision_reason TEXT);\n"
    "CREATE INDEX IF NOT EXISTS cb_allowlist_match"
    " ON cb_allowlist(customer_id, list_id, ref, status);\n"
    "CREATE TABLE IF NOT EXISTS cb_audit("
    " seq @SEQ@, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " subject TEXT NOT NULL, versions TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);\n";

static const char SQLITE_GUARDS[] =
    "CREATE TRIGGER IF NOT EXISTS cb_audit_no_update BEFORE UPDATE ON cb_audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS cb_audit_no_delete BEFORE DELETE ON cb_audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

static const char PG_GUARDS[] =
    "CREATE OR REPLACE FUNCTION cb_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $f$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $f$;"
    "DROP TRIGGER IF EXISTS cb_audit_no_change ON cb_audit;"
    "CREATE TRIGGER cb_audit_no_change BEFORE UPDATE OR DELETE ON cb_audit"
    " FOR EACH ROW EXECUTE FUNCTION cb_audit_append_only();";

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define MAX_BATCH 4096
#define RECORD_BATCH 1024          /* records alone in one batch, at most */
#define MAX_QUEUED 100000
#define GATHER_NS 2000000          /* 2 ms */
#define KEY_CACHE 256
#define KEY_CACHE_SECONDS 30

/* ---- Records for the audit chain -----------------------------------------------
 * An entry's hash covers its canonical JSON: its fields as compact JSON with
 * the keys in alphabetical order (detail is a string holding the detail's
 * JSON), the same text as Python's json.dumps(record, sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False), so the chain can be checked
 * without this program. Only the writer knows two of the fields, the time
 * and the sequence number, so a record is made (on the caller's thread) as
 * the stored text of its fields and the canonical JSON in three pieces
 * around those two:
 *
 *   pre  = {"action":A,"actor":B,"at":"
 *   mid  = ","detail":D,"seq":
 *   post = ,"subject":S,"versions":V}
 *
 * and the canonical text is pre + at + mid + seq + post. */
typedef struct cb_record {
    const char *actor, *action, *subject, *versions, *detail;
    const char *pre, *mid, *post;
    size_t pre_len, mid_len, post_len;
} cb_record;

enum { F_ACTOR, F_ACTION, F_SUBJECT, F_VERSIONS, F_DETAIL, N_FIELDS };

/* The bytes beyond one that a byte takes in a canonical JSON string: quotes,
 * backslashes and control characters are escaped (\" \\ \n \t \r \b \f, else
 * \u00xx), other bytes (UTF-8) are as they are. */
static const unsigned char ESC_EXTRA[256] = {
    5, 5, 5, 5, 5, 5, 5, 5, 1, 1, 1, 5, 1, 1, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    ['"'] = 1, ['\\'] = 1};

static inline size_t esc_extra(unsigned char c) { return ESC_EXTRA[c]; }

/* Length of s (n bytes) as a canonical JSON string, quotes included. */
static size_t canon_len(const char *s, size_t n)
{
    size_t out = n + 2;
    for (size_t i = 0; i < n; i++)
        out += esc_extra((unsigned char)s[i]);
    return out;
}

static char *canon_put(char *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!esc_extra(c))
            continue;
        memcpy(o, s + run, i - run);
        o += i - run;
        run = i + 1;
        *o++ = '\\';
        switch (c) {
        case '"': case '\\': *o++ = (char)c; break;
        case '\n': *o++ = 'n'; break;
        case '\t': *o++ = 't'; break;
        case '\r': *o++ = 'r'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
    }
    memcpy(o, s + run, n - run);
    o += n - run;
    *o++ = '"';
    return o;
}

static char *put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

#define PUT_LIT(o, lit) put(o, lit, sizeof lit - 1)

/* Bytes a record of these fields takes (see record_fill). */
static size_t record_size(const size_t len[N_FIELDS], const char *const v[N_FIELDS])
{
    size_t n = 0;
    for (int f = 0; f < N_FIELDS; f++)
        n += len[f] + 1 + canon_len(v[f], len[f]);
    return n + sizeof "{\"action\":,\"actor\":,\"at\":\"" + sizeof "\",\"detail\":,\"seq\":" +
           sizeof ",\"subject\":,\"versions\":}";
}

/* Lays the record out in mem (record_size bytes): the fields' text, then
 * the canonical pieces. */
static void record_fill(cb_record *r, char *mem, const size_t len[N_FIELDS],
                        const char *const v[N_FIELDS])
{
    char *o = mem;
    const char **field[N_FIELDS] = {&r->actor, &r->action, &r->subject, &r->versions,
                                    &r->detail};
    for (int f = 0; f < N_FIELDS; f++) {
        *field[f] = o;
        o = put(o, v[f], len[f]);
        *o++ = '\0';
    }
    r->pre = o;
    o = PUT_LIT(o, "{\"action\":");
    o = canon_put(o, v[F_ACTION], len[F_ACTION]);
    o = PUT_LIT(o, ",\"actor\":");
    o = canon_put(o, v[F_ACTOR], len[F_ACTOR]);
    o = PUT_LIT(o, ",\"at\":\"");
    r->pre_len = (size_t)(o - r->pre);
    r->mid = o;
    o = PUT_LIT(o, "\",\"detail\":");
    o = canon_put(o, v[F_DETAIL], len[F_DETAIL]);
    o = PUT_LIT(o, ",\"seq\":");
    r->mid_len = (size_t)(o - r->mid);
    r->post = o;
    o = PUT_LIT(o, ",\"subject\":");
    o = canon_put(o, v[F_SUBJECT], len[F_SUBJECT]);
    o = PUT_LIT(o, ",\"versions\":");
    o = canon_put(o, v[F_VERSIONS], len[F_VERSIONS]);
    *o++ = '}';
    r->post_len = (size_t)(o - r->post);
}

/* The fields with their defaults, and their lengths. */
static void record_fields(const char *actor, const char *action, const char *subject,
                          const char *versions, const char *detail, size_t detail_len,
                          const char *v[N_FIELDS], size_t len[N_FIELDS])
{
    v[F_ACTOR] = actor ? actor : "system";
    v[F_ACTION] = action ? action : "";
    v[F_SUBJECT] = subject ? subject : "";
    v[F_VERSIONS] = versions ? versions : "";
    v[F_DETAIL] = detail ? detail : "{}";
    /* text up to a NUL: what is stored is what is hashed */
    for (int f = 0; f < N_FIELDS; f++)
        len[f] = f == F_DETAIL && detail ? strnlen(detail, detail_len) : strlen(v[f]);
}

/* SHA-256 of the previous hash and the record's canonical text. */
static int record_hash(sha256_ctx *h, const char *prev, const cb_record *r, const char *at,
                       const char *seq, char out[65])
{
    if (sha256_begin(h) < 0 || sha256_add(h, prev, strlen(prev)) < 0 ||
        sha256_add(h, r->pre, r->pre_len) < 0 || sha256_add(h, at, strlen(at)) < 0 ||
        sha256_add(h, r->mid, r->mid_len) < 0 || sha256_add(h, seq, strlen(seq)) < 0 ||
        sha256_add(h, r->post, r->post_len) < 0)
        return -1;
    return sha256_end_hex(h, out);
}

/* ---- Jobs for the writer ------------------------------------------------------ */

typedef struct cb_write cb_job;
typedef int (*cb_job_fn)(casebook *cb, cb_job *job);

/* An alert to store, its text made on the caller's thread. */
typedef struct alert_rec {
    char *screening_id, *customer_id, *customer_fp, *actor, *versions;
    char *query, *hits, *lists;    /* JSON */
    char *detail;                  /* the audit detail's JSON, without "alert_id" */
} alert_rec;

struct cb_write {
    cb_job *next;
    casebook *cb;
    cb_job_fn run;            /* NULL: only the audit record rec */
    int wait;                 /* the caller blocks in enqueue until done */
    int urgent;               /* someone waits for the commit: the writer does not gather */
    int owned;                /* a write in flight: its owner frees it (casebook_write_free) */
    int done;                 /* under q_lock */
    int status;
    cb_notify_fn notify;      /* for a write in flight: called once done */
    void *notify_arg;
    char msg[256];
    /* arguments of run functions */
    const void *in;
    const char *s1, *s2, *s3;
    const char *actor;
    int64_t id;
    const cb_principal *who;
    int64_t out_id;
    int64_t *ids;
    json_t *out;
    alert_rec *alerts;        /* owned, with ids */
    size_t n_alerts;
    /* run == NULL: the record, in the same allocation after the job */
    cb_record rec;
};

typedef struct key_slot {
    char hash[65];
    cb_principal who;
    time_t until;
} key_slot;

/* An entry hashed and waiting for its INSERT. */
typedef struct audit_row {
    const cb_record *r;
    char seq[24], at[32], prev[65], hash[65];
} audit_row;

#define ROW_CHUNK 64
#define ROW_SIZES 7                 /* 1, 2, 4, ... ROW_CHUNK */

typedef struct job_queue {
    cb_job *head, *tail;
} job_queue;

static void queue_push(job_queue *q, cb_job *j)
{
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
}

/* Moves up to max jobs from the head of q to the end of the chain at *end;
 * returns how many. */
static size_t queue_take(job_queue *q, cb_job ***end, size_t max)
{
    size_t n = 0;
    while (q->head && n < max) {
        cb_job *j = q->head;
        q->head = j->next;
        j->next = NULL;
        **end = j;
        *end = &j->next;
        n++;
    }
    if (!q->head)
        q->tail = NULL;
    return n;
}

typedef struct notice {
    cb_notify_fn fn;
    void *arg;
} notice;

struct casebook {
    db *db;
    pthread_mutex_t db_lock;       /* the writer's connection, one thread at a time */
    /* reads go to a connection of their own, so that they never wait for a
     * batch being written and committed (the same one for a private
     * in-memory SQLite database) */
    db *rdb;
    pthread_mutex_t rdb_lock;
    pthread_mutex_t *rlock;
    pthread_mutex_t q_lock;
    pthread_cond_t q_cond;         /* work for the writer (monotonic clock) */
    pthread_cond_t done_cond;      /* a batch was committed */
    /* two queues: the jobs whose commit someone waits for (alerts, decisions)
     * go ahead of plain audit records, so that a burst of records never
     * stands between an alert and its answer; the chain's order is the
     * order of commits */
    job_queue waiting, records;
    size_t queued;
    size_t urgent;                 /* queued jobs whose commit someone waits for */
    int writer_idle;               /* waiting for the first job */
    int gathering;                 /* letting records gather before a batch */
    int stop;
    int locks_made;
    int writer_running;
    pthread_t writer;
    uint64_t batches_done;
    notice *notices;               /* MAX_BATCH, the writer's */
    /* the writer's: the chain's last entry (valid inside its transaction),
     * a digest and room for the records of run functions */
    int64_t chain_seq;
    char chain_hash[65];
    sha256_ctx *sha;
    char *scratch;
    size_t scratch_cap;
    audit_row rows[ROW_CHUNK];     /* hashed, not yet inserted */
    size_t n_rows;
    const char *row_params[9 * ROW_CHUNK];
    char *insert_sql[ROW_SIZES];
    pthread_mutex_t key_lock;
    key_slot keys[KEY_CACHE];
};

static _Thread_local char thread_msg[256];

const char *casebook_message(void) { return thread_msg; }

__attribute__((format(printf, 2, 3))) static int fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(thread_msg, sizeof thread_msg, fmt, ap);
    va_end(ap);
    return status;
}

__attribute__((format(printf, 3, 4))) static int job_fail(cb_job *j, int status,
                                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->msg, sizeof j->msg, fmt, ap);
    va_end(ap);
    return status;
}

static const char *ROLE_NAMES[] = {"none", "client", "analyst", "supervisor", "admin"};

const char *cb_role_name(cb_role r)
{
    return (unsigned)r < sizeof ROLE_NAMES / sizeof *ROLE_NAMES ? ROLE_NAMES[r] : "none";
}

int cb_role_parse(const char *s, cb_role *out)
{
    for (int i = 1; i < (int)(sizeof ROLE_NAMES / sizeof *ROLE_NAMES); i++)
        if (s && !strcmp(s, ROLE_NAMES[i])) {
            *out = (cb_role)i;
            return 0;
        }
    return -1;
}

void cb_principal_actor(const cb_principal *p, char *buf, size_t size)
{
    if (!size)
        return;
    if (!p) {
        snprintf(buf, size, "system");
        return;
    }
    /* "%s (key %lld)", without printf: once per request */
    char id[24];
    size_t n = strnlen(p->name, sizeof p->name), k = jx_format_int(id, p->key_id);
    if (n + k + 8 > size) {
        snprintf(buf, size, "%.*s (key %s)", (int)n, p->name, id);
        return;
    }
    memcpy(buf, p->name, n);
    memcpy(buf + n, " (key ", 6);
    memcpy(buf + n + 6, id, k);
    buf[n + 6 + k] = ')';
    buf[n + 7 + k] = '\0';
}

/* UTC ISO 8601 with milliseconds; the date and time of day are formatted
 * once a second per thread. */
static void utc_now(char out[32])
{
    static _Thread_local time_t cached_sec = (time_t)-1;
    static _Thread_local char cached[24];
    static _Thread_local size_t cached_len;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != cached_sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        cached_len = strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
        cached_sec = ts.tv_sec;
    }
    int ms = (int)(ts.tv_nsec / 1000000) % 1000;
    memcpy(out, cached, cached_len);
    char *o = out + cached_len;
    o[0] = '.';
    o[1] = (char)('0' + ms / 100);
    o[2] = (char)('0' + ms / 10 % 10);
    o[3] = (char)('0' + ms % 10);
    o[4] = 'Z';
    o[5] = '\0';
}

int cb_fingerprint(const json_t *v, char hex[65])
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (!s) {
        hex[0] = '\0';
        return -1;
    }
    int rc = sha256_hex(s, strlen(s), hex);
    free(s);
    return rc;
}

/* Stored JSON documents: compact; the hash covers the stored text, so key
 * order need not be fixed. */
static char *dump_compact(const json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("{}");
}

/* ---- The audit chain ------------------------------------------------------------ */

/* The canonical text of an entry (for checking the chain). */
static char *canonical_record(int64_t seq, const char *at, const char *actor, const char *action,
                              const char *subject, const char *versions, const char *detail)
{
    const char *v[N_FIELDS];
    size_t len[N_FIELDS];
    record_fields(actor, action, subject, versions, detail, detail ? strlen(detail) : 0, v,
                  len);
    char seq_s[24];
    size_t seq_len = jx_format_int(seq_s, seq), at_len = strlen(at);
    char *mem = malloc(record_size(len, v));
    if (!mem)
        return NULL;
    cb_record r;
    record_fill(&r, mem, len, v);
    char *s = malloc(r.pre_len + at_len + r.mid_len + seq_len + r.post_len + 1);
    if (s) {
        char *o = put(s, r.pre, r.pre_len);
        o = put(o, at, at_len);
        o = put(o, r.mid, r.mid_len);
        o = put(o, seq_s, seq_len);
        o = put(o, r.post, r.post_len);
        *o = '\0';
    }
    free(mem);
    return s;
}

static int chain_hash(const char *prev, const char *canonical, char out[65])
{
    size_t a = strlen(prev), b = strlen(canonical);
    char *buf = malloc(a + b + 1);
    if (!buf)
        return -1;
    memcpy(buf, prev, a);
    memcpy(buf + a, canonical, b + 1);
    int rc = sha256_hex(buf, a + b, out);
    free(buf);
    return rc;
}

/* Entries are inserted ROW_CHUNK at a time, or fewer: a statement for each
 * power of two up to it (a remainder goes as its binary digits). */
static char *insert_rows_sql(size_t rows)
{
    static const char head[] = "INSERT INTO cb_audit(seq, at, actor, action, subject, versions,"
                               " detail, prev_hash, hash) VALUES";
    size_t cap = sizeof head + rows * 9 * 8 + rows * 4;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    size_t at = (size_t)snprintf(sql, cap, "%s", head);
    for (size_t i = 0; i < rows; i++) {
        at += (size_t)snprintf(sql + at, cap - at, "%s(", i ? "," : "");
        for (size_t k = 0; k < 9; k++)
            at += (size_t)snprintf(sql + at, cap - at, "%s$%zu", k ? "," : "", i * 9 + k + 1);
        at += (size_t)snprintf(sql + at, cap - at, ")");
    }
    return sql;
}

/* Inserts the entries hashed since the last flush. */
static int rows_flush(casebook *cb)
{
    size_t done = 0;
    for (int size = ROW_SIZES - 1; size >= 0 && done < cb->n_rows; size--) {
        size_t k = (size_t)1 << size;
        while (cb->n_rows - done >= k) {
            for (size_t i = 0; i < k; i++) {
                const audit_row *w = &cb->rows[done + i];
                const char **p = &cb->row_params[i * 9];
                p[0] = w->seq;
                p[1] = w->at;
                p[2] = w->r->actor;
                p[3] = w->r->action;
                p[4] = w->r->subject;
                p[5] = w->r->versions;
                p[6] = w->r->detail;
                p[7] = w->prev;
                p[8] = w->hash;
            }
            if (db_exec(cb->db, cb->insert_sql[size], (int)(9 * k), cb->row_params, NULL) !=
                DB_OK) {
                cb->n_rows = 0;
                return fail(CB_ERROR, "cannot write the audit trail: %s", db_error(cb->db));
            }
            done += k;
        }
    }
    cb->n_rows = 0;
    return CB_OK;
}

/* Inside the writer's transaction: appends one entry after the chain head.
 * Its row is written by rows_flush (at the latest when ROW_CHUNK are
 * waiting); r must live until then. */
static int chain_append_record(casebook *cb, const cb_record *r)
{
    audit_row *w = &cb->rows[cb->n_rows];
    utc_now(w->at);
    int64_t seq = cb->chain_seq + 1;
    jx_format_int(w->seq, seq);
    if (record_hash(cb->sha, cb->chain_hash, r, w->at, w->seq, w->hash) < 0)
        return fail(CB_ERROR, "cannot hash the audit record");
    memcpy(w->prev, cb->chain_hash, sizeof w->prev);
    w->r = r;
    cb->chain_seq = seq;
    memcpy(cb->chain_hash, w->hash, sizeof w->hash);
    return ++cb->n_rows == ROW_CHUNK ? rows_flush(cb) : CB_OK;
}

/* The same for an entry made by a run function, laid out in the writer's
 * scratch space. */
static int chain_append(casebook *cb, const char *actor, const char *action, const char *subject,
                        const char *versions, const char *detail)
{
    const char *v[N_FIELDS];
    size_t len[N_FIELDS];
    record_fields(actor, action, subject, versions, detail, detail ? strlen(detail) : 0, v,
                  len);
    size_t need = record_size(len, v);
    if (need > cb->scratch_cap) {
        char *s = realloc(cb->scratch, need);
        if (!s)
            return fail(CB_ERROR, "out of memory");
        cb->scratch = s;
        cb->scratch_cap = need;
    }
    cb_record r;
    record_fill(&r, cb->scratch, len, v);
    int rc = chain_append_record(cb, &r);
    return rc == CB_OK ? rows_flush(cb) : rc;
}

static int chain_append_json(casebook *cb, const char *actor, const char *action,
                             const char *subject, const char *versions, const json_t *detail)
{
    char *d = dump_compact(detail);
    if (!d)
        return fail(CB_ERROR, "out of memory");
    int rc = chain_append(cb, actor, action, subject, versions, d);
    free(d);
    return rc;
}

static int chain_load_head(casebook *cb)
{
    db_rows r;
    if (db_exec(cb->db, "SELECT seq, hash FROM cb_audit ORDER BY seq DESC LIMIT 1", 0, NULL,
                &r) != DB_OK)
        return fail(CB_ERROR, "cannot read the audit trail: %s", db_error(cb->db));
    if (r.rows) {
        cb->chain_seq = strtoll(db_cell(&r, 0, 0), NULL, 10);
        snprintf(cb->chain_hash, sizeof cb->chain_hash, "%s", db_cell(&r, 0, 1));
    } else {
        cb->chain_seq = 0;
        snprintf(cb->chain_hash, sizeof cb->chain_hash, "%s", GENESIS_HASH);
    }
    db_rows_free(&r);
    return CB_OK;
}

/* ---- The writer -------------------------------------------------------------------- */

static void alert_rec_free(alert_rec *a)
{
    free(a->screening_id);
    free(a->customer_id);
    free(a->customer_fp);
    free(a->actor);
    free(a->versions);
    free(a->query);
    free(a->hits);
    free(a->lists);
    free(a->detail);
}

static void free_job(cb_job *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n_alerts; i++)
        alert_rec_free(&j->alerts[i]);
    free(j->alerts);
    free(j->ids);
    json_decref(j->out);
    free(j);
}

static int run_job(casebook *cb, cb_job *j)
{
    if (!j->run) {
        int rc = chain_append_record(cb, &j->rec);
        if (rc != CB_OK)
            snprintf(j->msg, sizeof j->msg, "%s", thread_msg);
        return rc;
    }
    /* a savepoint per job: one that fails leaves the others of the batch */
    int64_t seq = cb->chain_seq;
    char hash[65];
    memcpy(hash, cb->chain_hash, sizeof hash);
    if (db_exec(cb->db, "SAVEPOINT cb_job", 0, NULL, NULL) != DB_OK)
        return job_fail(j, CB_ERROR, "database error: %s", db_error(cb->db));
    int rc = j->run(cb, j);
    if (rc == CB_OK) {
        if (db_exec(cb->db, "RELEASE SAVEPOINT cb_job", 0, NULL, NULL) != DB_OK)
            rc = job_fail(j, CB_ERROR, "database error: %s", db_error(cb->db));
    }
    if (rc != CB_OK) {
        if (!j->msg[0])
            snprintf(j->msg, sizeof j->msg, "%s", thread_msg);
        db_exec(cb->db, "ROLLBACK TO SAVEPOINT cb_job", 0, NULL, NULL);
        db_exec(cb->db, "RELEASE SAVEPOINT cb_job", 0, NULL, NULL);
        cb->chain_seq = seq;
        memcpy(cb->chain_hash, hash, sizeof hash);
        if (j->out) {
            json_decref(j->out);
            j->out = NULL;
        }
    }
    return rc;
}

static void run_batch(casebook *cb, cb_job *batch)
{
    pthread_mutex_lock(&cb->db_lock);
    int ok = db_begin(cb->db) == DB_OK;
    char why[256] = "";
    if (!ok)
        snprintf(why, sizeof why, "cannot begin a transaction: %s", db_error(cb->db));
    /* other processes (the keys command) may have added entries: the head
     * is read inside the transaction, which holds the write lock */
    if (ok && cb->db && db_kind(cb->db) == DB_POSTGRES &&
        db_exec(cb->db, "SELECT pg_advisory_xact_lock(74016)", 0, NULL, NULL) != DB_OK) {
        ok = 0;
        snprintf(why, sizeof why, "cannot lock the audit trail: %s", db_error(cb->db));
    }
    if (ok && chain_load_head(cb) != CB_OK) {
        ok = 0;
        snprintf(why, sizeof why, "%s", thread_msg);
    }
    int async_failed = 0;
    cb->n_rows = 0;
    for (cb_job *j = batch; j && ok; j = j->next) {
        /* the records before a run function are inserted before its
         * savepoint (runs of records go in multi-row inserts) */
        if (j->run && cb->n_rows && rows_flush(cb) != CB_OK) {
            async_failed = 1;
            snprintf(why, sizeof why, "%s", thread_msg);
            break;
        }
        j->status = run_job(cb, j);
        if (j->status != CB_OK && !j->run) {
            /* an audit record that cannot be written spoils the batch */
            async_failed = 1;
            snprintf(why, sizeof why, "%s", j->msg);
            break;
        }
    }
    if (ok && !async_failed && cb->n_rows && rows_flush(cb) != CB_OK) {
        async_failed = 1;
        snprintf(why, sizeof why, "%s", thread_msg);
    }
    cb->n_rows = 0;
    if (ok && !async_failed && db_commit(cb->db) != DB_OK) {
        ok = 0;
        snprintf(why, sizeof why, "cannot commit: %s", db_error(cb->db));
    }
    if (!ok || async_failed) {
        db_rollback(cb->db);
        fprintf(stderr, "interdict: casebook: %s\n", why);
        for (cb_job *j = batch; j; j = j->next) {
            j->status = CB_ERROR;
            snprintf(j->msg, sizeof j->msg, "%s", why);
            if (j->out) {
                json_decref(j->out);
                j->out = NULL;
            }
        }
    }
    pthread_mutex_unlock(&cb->db_lock);
}

static void *writer_main(void *arg)
{
    casebook *cb = arg;
    pthread_mutex_lock(&cb->q_lock);
    for (;;) {
        while (!cb->waiting.head && !cb->records.head && !cb->stop) {
            cb->writer_idle = 1;
            pthread_cond_wait(&cb->q_cond, &cb->q_lock);
            cb->writer_idle = 0;
        }
        if (!cb->waiting.head && !cb->records.head && cb->stop)
            break;
        /* group commit: when nobody waits, let records gather for a moment
         * so that one commit (one fsync) covers many; a job whose caller
         * waits, or a full batch, ends the pause */
        if (!cb->stop && cb->urgent == 0 && cb->queued < RECORD_BATCH) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += GATHER_NS;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            cb->gathering = 1;
            while (!cb->stop && cb->urgent == 0 && cb->queued < RECORD_BATCH)
                if (pthread_cond_timedwait(&cb->q_cond, &cb->q_lock, &until) == ETIMEDOUT)
                    break;
            cb->gathering = 0;
        }
        /* the waited-for jobs first, with a few records so that records
         * advance under a stream of alerts; records alone in batches short
         * enough that an alert arriving meanwhile is not kept long */
        cb_job *batch = NULL, **end = &batch;
        size_t n = queue_take(&cb->waiting, &end, MAX_BATCH - ROW_CHUNK);
        n += queue_take(&cb->records, &end, n ? ROW_CHUNK : RECORD_BATCH);
        pthread_mutex_unlock(&cb->q_lock);

        run_batch(cb, batch);

        pthread_mutex_lock(&cb->q_lock);
        cb->queued -= n;
        cb->batches_done++;
        /* a write in flight belongs to its owner once done: what its notice
         * needs is taken first, and the notices go out after the unlock */
        size_t n_notices = 0;
        for (cb_job *j = batch, *next; j; j = next) {
            next = j->next;
            if (j->urgent)
                cb->urgent--;
            if (j->wait || j->owned) {
                if (j->notify)
                    cb->notices[n_notices++] = (notice){j->notify, j->notify_arg};
                j->done = 1;
            } else {
                free_job(j);
            }
        }
        pthread_cond_broadcast(&cb->done_cond);
        if (n_notices) {
            pthread_mutex_unlock(&cb->q_lock);
            for (size_t i = 0; i < n_notices; i++)
                cb->notices[i].fn(cb->notices[i].arg);
            pthread_mutex_lock(&cb->q_lock);
        }
    }
    pthread_mutex_unlock(&cb->q_lock);
    return NULL;
}

/* Queues a job; with j->wait, returns once it is committed (or failed). */
static void enqueue(casebook *cb, cb_job *j)
{
    j->cb = cb;
    j->next = NULL;
    j->done = 0;
    pthread_mutex_lock(&cb->q_lock);
    /* back-pressure: producers wait while the writer is far behind */
    while (cb->queued >= MAX_QUEUED && !cb->stop)
        pthread_cond_wait(&cb->done_cond, &cb->q_lock);
    queue_push(j->urgent ? &cb->waiting : &cb->records, j);
    cb->queued++;
    if (j->urgent)
        cb->urgent++;
    /* the writer is woken for its first job, and while it gathers only
     * when the pause should end */
    if (cb->writer_idle || (cb->gathering && (j->urgent || cb->queued >= RECORD_BATCH)))
        pthread_cond_signal(&cb->q_cond);
    if (j->wait)
        while (!j->done)
            pthread_cond_wait(&cb->done_cond, &cb->q_lock);
    pthread_mutex_unlock(&cb->q_lock);
}

/* Runs fn in the writer's next transaction and waits for the commit. */
static int run_sync(casebook *cb, cb_job *j)
{
    j->wait = 1;
    j->urgent = 1;
    j->status = CB_ERROR;
    enqueue(cb, j);
    if (j->status != CB_OK)
        snprintf(thread_msg, sizeof thread_msg, "%s", j->msg);
    return j->status;
}

/* ---- Opening and closing ------------------------------------------------------------ */

static char *schema_for(db_backend kind)
{
    const char *id = kind == DB_POSTGRES ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
    const char *seq = kind == DB_POSTGRES ? "BIGINT PRIMARY KEY" : "INTEGER PRIMARY KEY";
    size_t cap = sizeof SCHEMA + 16 * strlen(id) + strlen(seq);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t at = 0;
    for (const char *p = SCHEMA; *p;) {
        if (!strncmp(p, "@ID@", 4)) {
            memcpy(out + at, id, strlen(id));
            at += strlen(id);
            p += 4;
        } else if (!strncmp(p, "@SEQ@", 5)) {
            memcpy(out + at, seq, strlen(seq));
            at += strlen(seq);
            p += 5;
        } else {
            out[at++] = *p++;
        }
    }
    out[at] = '\0';
    return out;
}

/* Whether a second connection to target sees the same database. */
static int shareable(const char *target)
{
    return db_target_is_postgres(target) ||
           (target && *target && strcmp(target, ":memory:") && !strstr(target, "mode=memory"));
}

casebook *casebook_open(const char *target, char *err, size_t err_size)
{
    casebook *cb = calloc(1, sizeof *cb);
    if (!cb) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    cb->sha = sha256_new();
    cb->notices = malloc(MAX_BATCH * sizeof *cb->notices);
    int have_sql = 1;
    for (int i = 0; i < ROW_SIZES; i++)
        have_sql &= (cb->insert_sql[i] = insert_rows_sql((size_t)1 << i)) != NULL;
    if (!cb->sha || !cb->notices || !have_sql) {
        casebook_close(cb);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    cb->db = db_open(target, err, err_size);
    if (!cb->db) {
        casebook_close(cb);
        return NULL;
    }
    char *schema = schema_for(db_kind(cb->db));
    int rc = DB_FAILED;
    if (schema) {
        /* two servers starting at once must not both create the tables */
        if (db_kind(cb->db) == DB_POSTGRES)
            db_exec(cb->db, "SELECT pg_advisory_lock(74017)", 0, NULL, NULL);
        rc = db_exec(cb->db, schema, 0, NULL, NULL);
        if (rc == DB_OK)
            rc = db_exec(cb->db, db_kind(cb->db) == DB_POSTGRES ? PG_GUARDS : SQLITE_GUARDS, 0,
                         NULL, NULL);
        if (db_kind(cb->db) == DB_POSTGRES)
            db_exec(cb->db, "SELECT pg_advisory_unlock(74017)", 0, NULL, NULL);
        free(schema);
    }
    pthread_mutex_init(&cb->db_lock, NULL);
    pthread_mutex_init(&cb->rdb_lock, NULL);
    pthread_mutex_init(&cb->q_lock, NULL);
    pthread_mutex_init(&cb->key_lock, NULL);
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&cb->q_cond, &monotonic);
    pthread_condattr_destroy(&monotonic);
    pthread_cond_init(&cb->done_cond, NULL);
    cb->locks_made = 1;
    if (rc != DB_OK) {
        snprintf(err, err_size, "cannot create the casebook tables: %s", db_error(cb->db));
        casebook_close(cb);
        return NULL;
    }
    /* the readers' connection; without one (a private database, or no
     * second connection to be had) reads share the writer's */
    char rerr[256];
    cb->rdb = shareable(target) ? db_open(target, rerr, sizeof rerr) : NULL;
    if (cb->rdb && db_read_only(cb->rdb) != DB_OK) {
        db_close(cb->rdb);
        cb->rdb = NULL;
    }
    cb->rlock = cb->rdb ? &cb->rdb_lock : &cb->db_lock;
    if (!cb->rdb)
        cb->rdb = cb->db;
    if (pthread_create(&cb->writer, NULL, writer_main, cb) != 0) {
        snprintf(err, err_size, "cannot start the writer thread");
        casebook_close(cb);
        return NULL;
    }
    cb->writer_running = 1;
    return cb;
}

void casebook_close(casebook *cb)
{
    if (!cb)
        return;
    if (cb->writer_running) {
        pthread_mutex_lock(&cb->q_lock);
        cb->stop = 1;
        pthread_cond_broadcast(&cb->q_cond);
        pthread_cond_broadcast(&cb->done_cond);
        pthread_mutex_unlock(&cb->q_lock);
        pthread_join(cb->writer, NULL);
    }
    if (cb->locks_made) {
        pthread_mutex_destroy(&cb->db_lock);
        pthread_mutex_destroy(&cb->rdb_lock);
        pthread_mutex_destroy(&cb->q_lock);
        pthread_mutex_destroy(&cb->key_lock);
        pthread_cond_destroy(&cb->q_cond);
        pthread_cond_destroy(&cb->done_cond);
    }
    if (cb->rdb && cb->rdb != cb->db)
        db_close(cb->rdb);
    db_close(cb->db);
    sha256_free(cb->sha);
    free(cb->scratch);
    free(cb->notices);
    for (int i = 0; i < ROW_SIZES; i++)
        free(cb->insert_sql[i]);
    free(cb);
}

const char *casebook_backend_name(const casebook *cb)
{
    return db_kind(cb->db) == DB_POSTGRES ? "postgresql" : "sqlite";
}

int casebook_ping(casebook *cb)
{
    char buf[16];
    pthread_mutex_lock(cb->rlock);
    int rc = db_scalar(cb->rdb, "SELECT 1", 0, NULL, buf, sizeof buf);
    if (rc != DB_OK)
        fail(CB_ERROR, "%s", db_error(cb->rdb));
    pthread_mutex_unlock(cb->rlock);
    return rc == DB_OK ? CB_OK : CB_ERROR;
}

static int noop_job(casebook *cb, cb_job *j)
{
    (void)cb;
    (void)j;
    return CB_OK;
}

int casebook_flush(casebook *cb)
{
    /* jobs run in order: once this one is committed, so is all before it */
    cb_job j = {.run = noop_job};
    return run_sync(cb, &j);
}

size_t casebook_queue_depth(casebook *cb)
{
    pthread_mutex_lock(&cb->q_lock);
    size_t n = cb->queued;
    pthread_mutex_unlock(&cb->q_lock);
    return n;
}

/* A read outside the writer: one statement on the readers' connection. On
 * failure the message is "cannot read <what>: <why>". */
static int read_rows(casebook *cb, const char *what, const char *sql, int n_params,
                     const char *const *params, db_rows *out)
{
    pthread_mutex_lock(cb->rlock);
    int q = db_exec(cb->rdb, sql, n_params, params, out);
    if (q != DB_OK)
        fail(CB_ERROR, "cannot read %s: %s", what, db_error(cb->rdb));
    pthread_mutex_unlock(cb->rlock);
    return q == DB_OK ? CB_OK : CB_ERROR;
}

/* ---- Writes in flight ------------------------------------------------------------------ */

void casebook_write_wait(cb_write *w)
{
    casebook *cb = w->cb;
    pthread_mutex_lock(&cb->q_lock);
    while (!w->done)
        pthread_cond_wait(&cb->done_cond, &cb->q_lock);
    pthread_mutex_unlock(&cb->q_lock);
}

int casebook_write_result(cb_write *w, int64_t *ids, size_t n, char *msg, size_t msg_size)
{
    casebook_write_wait(w);
    for (size_t i = 0; ids && i < n; i++)
        ids[i] = w->status == CB_OK && i < w->n_alerts ? w->ids[i] : 0;
    if (msg && msg_size)
        snprintf(msg, msg_size, "%s", w->status == CB_OK ? "" : w->msg);
    return w->status;
}

void casebook_write_free(cb_write *w)
{
    if (!w)
        return;
    casebook_write_wait(w);
    free_job(w);
}

/* Queues a write in flight, or runs it and waits (notify NULL and out NULL). */
static int submit(casebook *cb, cb_job *j, cb_notify_fn notify, void *arg, cb_write **out)
{
    j->urgent = 1;
    j->status = CB_ERROR;
    if (!out) {
        j->wait = 1;
        enqueue(cb, j);
        int rc = j->status;
        if (rc != CB_OK)
            snprintf(thread_msg, sizeof thread_msg, "%s", j->msg);
        return rc;
    }
    j->owned = 1;
    j->notify = notify;
    j->notify_arg = arg;
    *out = j;
    enqueue(cb, j);
    return CB_OK;
}

/* ---- Audit ---------------------------------------------------------------------------- */

/* A job for one record, the record after it in the same allocation. */
static cb_job *record_job(const char *actor, const char *action, const char *subject,
                          const char *versions, const char *detail, size_t detail_len)
{
    const char *v[N_FIELDS];
    size_t len[N_FIELDS];
    record_fields(actor, action, subject, versions, detail, detail_len, v, len);
    size_t head = (sizeof(cb_job) + 15) & ~(size_t)15;
    cb_job *j = malloc(head + record_size(len, v));
    if (!j)
        return NULL;
    memset(j, 0, sizeof *j);
    record_fill(&j->rec, (char *)j + head, len, v);
    return j;
}

int casebook_audit_text(casebook *cb, const char *actor, const char *action, const char *subject,
                        const char *versions, const char *detail, size_t detail_len, int wait)
{
    cb_job *j = record_job(actor, action, subject, versions, detail, detail_len);
    if (!j)
        return fail(CB_ERROR, "out of memory");
    if (!wait) {
        enqueue(cb, j);
        return CB_OK;
    }
    int rc = submit(cb, j, NULL, NULL, NULL);
    free_job(j);
    return rc;
}

int casebook_audit_text_async(casebook *cb, const char *actor, const char *action,
                              const char *subject, const char *versions, const char *detail,
                              size_t detail_len, cb_notify_fn notify, void *arg, cb_write **out)
{
    *out = NULL;
    cb_job *j = record_job(actor, action, subject, versions, detail, detail_len);
    if (!j)
        return fail(CB_ERROR, "out of memory");
    return submit(cb, j, notify, arg, out);
}

int casebook_audit(casebook *cb, const char *actor, const char *action, const char *subject,
                   const char *versions, json_t *detail, int wait)
{
    char *d = dump_compact(detail);
    json_decref(detail);
    if (!d)
        return fail(CB_ERROR, "out of memory");
    int rc = casebook_audit_text(cb, actor, action, subject, versions, d, strlen(d), wait);
    free(d);
    return rc;
}

int casebook_audit_verify(casebook *cb, int64_t *entries, int64_t *bad_seq, char *why,
                          size_t why_size)
{
    *entries = 0;
    *bad_seq = 0;
    why[0] = '\0';
    char prev[65] = GENESIS_HASH;
    int64_t expect = 1;
    int rc = CB_OK;
    for (;;) {
        char after[24];
        snprintf(after, sizeof after, "%" PRId64, expect - 1);
        const char *p[] = {after};
        db_rows r;
        if (read_rows(cb, "the audit trail",
                      "SELECT seq, at, actor, action, subject, versions, detail, prev_hash,"
                      " hash FROM cb_audit WHERE seq > $1 ORDER BY seq LIMIT 5000",
                      1, p, &r) != CB_OK)
            return CB_ERROR;
        if (r.rows == 0) {
            db_rows_free(&r);
            break;
        }
        for (size_t i = 0; i < r.rows && rc == CB_OK; i++) {
            const char *c[9];
            for (int k = 0; k < 9; k++)
                c[k] = db_cell(&r, i, (size_t)k) ? db_cell(&r, i, (size_t)k) : "";
            int64_t seq = strtoll(c[0], NULL, 10);
            if (seq != expect) {
                *bad_seq = expect;
                snprintf(why, why_size, "entry %" PRId64 " is missing (next is %" PRId64 ")",
                         expect, seq);
                rc = CB_CONFLICT;
                break;
            }
            if (strcmp(c[7], prev) != 0) {
                *bad_seq = seq;
                snprintf(why, why_size, "entry %" PRId64 " does not follow the one before it"
                         " (its previous hash differs)", seq);
                rc = CB_CONFLICT;
                break;
            }
            char *canon = canonical_record(seq, c[1], c[2], c[3], c[4], c[5], c[6]);
            char hash[65];
            if (!canon || chain_hash(prev, canon, hash) < 0) {
                free(canon);
                db_rows_free(&r);
                return fail(CB_ERROR, "out of memory");
            }
            free(canon);
            if (strcmp(hash, c[8]) != 0) {
                *bad_seq = seq;
                snprintf(why, why_size, "entry %" PRId64 " was altered (its hash does not"
                         " match its content)", seq);
                rc = CB_CONFLICT;
                break;
            }
            memcpy(prev, hash, sizeof prev);
            (*entries)++;
            expect++;
        }
        db_rows_free(&r);
        if (rc != CB_OK)
            break;
    }
    return rc;
}

static json_t *parse_or_string(const char *s)
{
    json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_string(s ? s : "");
}

int casebook_audit_list(casebook *cb, int64_t after, int limit, json_t **out)
{
    char a[24], l[16];
    snprintf(a, sizeof a, "%" PRId64, after);
    snprintf(l, sizeof l, "%d", limit > 0 && limit <= 1000 ? limit : 100);
    const char *p[] = {a, l};
    db_rows r;
    if (read_rows(cb, "the audit trail",
                  "SELECT seq, at, actor, action, subject, versions, detail, hash FROM cb_audit"
                  " WHERE seq > $1 ORDER BY seq LIMIT $2",
                  2, p, &r) != CB_OK)
        return CB_ERROR;
    json_t *arr = json_array();
    for (size_t i = 0; i < r.rows; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "seq", json_integer(strtoll(db_cell(&r, i, 0), NULL, 10)));
        json_object_set_new(o, "at", json_string(db_cell(&r, i, 1)));
        json_object_set_new(o, "actor", json_string(db_cell(&r, i, 2)));
        json_object_set_new(o, "action", json_string(db_cell(&r, i, 3)));
        json_object_set_new(o, "subject", json_string(db_cell(&r, i, 4)));
        json_object_set_new(o, "versions", json_string(db_cell(&r, i, 5)));
        json_object_set_new(o, "detail", parse_or_string(db_cell(&r, i, 6)));
        json_object_set_new(o, "hash", json_string(db_cell(&r, i, 7)));
        json_array_append_new(arr, o);
    }
    db_rows_free(&r);
    *out = arr;
    return CB_OK;
}

/* ---- Alerts ------------------------------------------------------------------------------ */

/* The audit detail of an alert: the caller's detail with "alert_id" last,
 * as json_object_set_new on a copy of it would dump it. */
static char *alert_detail(const char *detail, int64_t id)
{
    char num[24];
    size_t n = jx_format_int(num, id), len = strlen(detail);
    char *s = malloc(len + n + 16);
    if (!s)
        return NULL;
    if (len <= 2) {
        snprintf(s, len + n + 16, "{\"alert_id\":%s}", num);
    } else {
        memcpy(s, detail, len - 1);
        snprintf(s + len - 1, n + 17, ",\"alert_id\":%s}", num);
    }
    return s;
}

static int alert_create_one(casebook *cb, cb_job *j, const alert_rec *a, int64_t *id)
{
    char at[32];
    utc_now(at);
    const char *p[] = {at, a->screening_id, a->customer_id, a->customer_fp, a->query, a->hits,
                       a->lists, a->actor};
    db_rows r;
    if (db_exec(cb->db,
                "INSERT INTO cb_alerts(created_at, screening_id, customer_id, customer_fp, query,"
                " hits, lists, status, created_by, updated_at)"
                " VALUES($1, $2, $3, $4, $5, $6, $7, 'open', $8, $1) RETURNING id",
                8, p, &r) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot store the alert: %s", db_error(cb->db));
    *id = r.rows ? strtoll(db_cell(&r, 0, 0), NULL, 10) : 0;
    db_rows_free(&r);
    char *detail = alert_detail(a->detail, *id);
    if (!detail)
        return job_fail(j, CB_ERROR, "out of memory");
    char subject[48];
    snprintf(subject, sizeof subject, "alert/%" PRId64, *id);
    int rc = chain_append(cb, a->actor, "screen", subject, a->versions, detail);
    free(detail);
    return rc;
}

static int alert_create_job(casebook *cb, cb_job *j)
{
    for (size_t i = 0; i < j->n_alerts; i++) {
        int rc = alert_create_one(cb, j, &j->alerts[i], &j->ids[i]);
        if (rc != CB_OK)
            return rc;
    }
    return CB_OK;
}

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

/* The caller's alerts as text, in a job of their own. */
static cb_job *alerts_job(const cb_alert_new *a, size_t n)
{
    cb_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->run = alert_create_job;
    j->alerts = calloc(n ? n : 1, sizeof *j->alerts);
    j->ids = calloc(n ? n : 1, sizeof *j->ids);
    if (!j->alerts || !j->ids) {
        free_job(j);
        return NULL;
    }
    j->n_alerts = n;
    for (size_t i = 0; i < n; i++) {
        alert_rec *r = &j->alerts[i];
        r->screening_id = dup_or_empty(a[i].screening_id);
        r->customer_id = dup_or_empty(a[i].customer_id);
        r->customer_fp = dup_or_empty(a[i].customer_fp);
        r->actor = dup_or_empty(a[i].actor);
        r->versions = dup_or_empty(a[i].versions);
        r->query = dump_compact(a[i].query);
        r->hits = dump_compact(a[i].hits);
        r->lists = dump_compact(a[i].lists);
        const json_t *d = a[i].audit_detail;
        if (d && json_object_get(d, "alert_id")) {
            /* the alert's own id goes last */
            json_t *copy = json_copy((json_t *)d);
            json_object_del(copy, "alert_id");
            r->detail = dump_compact(copy);
            json_decref(copy);
        } else {
            r->detail = d ? dump_compact(d) : strdup("{}");
        }
        if (!r->screening_id || !r->customer_id || !r->customer_fp || !r->actor ||
            !r->versions || !r->query || !r->hits || !r->lists || !r->detail) {
            free_job(j);
            return NULL;
        }
    }
    return j;
}

int casebook_alert_create(casebook *cb, const cb_alert_new *a, int64_t *id)
{
    return casebook_alerts_create(cb, a, 1, id);
}

int casebook_alerts_create(casebook *cb, const cb_alert_new *a, size_t n, int64_t *ids)
{
    for (size_t i = 0; i < n; i++)
        ids[i] = 0;
    if (n == 0)
        return CB_OK;
    cb_job *j = alerts_job(a, n);
    if (!j)
        return fail(CB_ERROR, "out of memory");
    int rc = submit(cb, j, NULL, NULL, NULL);
    for (size_t i = 0; rc == CB_OK && i < n; i++)
        ids[i] = j->ids[i];
    free_job(j);
    return rc;
}

int casebook_alerts_create_async(casebook *cb, const cb_alert_new *a, size_t n,
                                 cb_notify_fn notify, void *arg, cb_write **out)
{
    *out = NULL;
    cb_job *j = alerts_job(a, n);
    if (!j)
        return fail(CB_ERROR, "out of memory");
    return submit(cb, j, notify, arg, out);
}

int casebook_allowed(casebook *cb, const char *customer_id, const char *list, const char *ref,
                     const char *customer_fp, const char *entry_fp, int64_t *allow_id)
{
    *allow_id = 0;
    if (!customer_id || !*customer_id)
        return 0;
    const char *p[] = {customer_id, list, ref, customer_fp, entry_fp};
    char buf[24];
    pthread_mutex_lock(cb->rlock);
    int q = db_scalar(cb->rdb,
                      "SELECT id FROM cb_allowlist WHERE customer_id = $1 AND list_id = $2"
                      " AND ref = $3 AND status = 'approved' AND customer_fp = $4"
                      " AND entry_fp = $5 ORDER BY id LIMIT 1",
                      5, p, buf, sizeof buf);
    if (q != DB_OK)
        fail(CB_ERROR, "cannot read the allow-list: %s", db_error(cb->rdb));
    pthread_mutex_unlock(cb->rlock);
    if (q != DB_OK)
        return -1;
    if (!buf[0])
        return 0;
    *allow_id = strtoll(buf, NULL, 10);
    return 1;
}

#define ALERT_COLUMNS                                                                        \
    "id, created_at, screening_id, customer_id, customer_fp, query, hits, lists, status,"  \
    " created_by, updated_at"

static json_t *alert_row(const db_rows *r, size_t i, int full)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(strtoll(db_cell(r, i, 0), NULL, 10)));
    json_object_set_new(o, "created_at", json_string(db_cell(r, i, 1)));
    json_object_set_new(o, "screening_id", json_string(db_cell(r, i, 2)));
    json_object_set_new(o, "customer_id", json_string(db_cell(r, i, 3)));
    json_object_set_new(o, "status", json_string(db_cell(r, i, 8)));
    json_object_set_new(o, "query", parse_or_string(db_cell(r, i, 5)));
    json_t *hits = parse_or_string(db_cell(r, i, 6));
    if (full) {
        json_object_set_new(o, "customer_fp", json_string(db_cell(r, i, 4)));
        json_object_set_new(o, "hits", hits);
        json_object_set_new(o, "lists", parse_or_string(db_cell(r, i, 7)));
        json_object_set_new(o, "created_by", json_string(db_cell(r, i, 9)));
    } else {
        /* the queue shows the best hit only */
        json_t *top = json_array_get(hits, 0);
        if (top)
            json_object_set(o, "top_hit", top);
        json_object_set_new(o, "hit_count", json_integer((json_int_t)json_array_size(hits)));
        json_decref(hits);
    }
    json_object_set_new(o, "updated_at", json_string(db_cell(r, i, 10)));
    return o;
}

int casebook_alerts(casebook *cb, const char *status, int64_t before_id, int limit,
                    json_t **out)
{
    char b[24], l[16];
    snprintf(b, sizeof b, "%" PRId64, before_id > 0 ? before_id : INT64_MAX);
    snprintf(l, sizeof l, "%d", limit > 0 && limit <= 500 ? limit : 50);
    const char *p[] = {b, l, status};
    const char *sql = status ? "SELECT " ALERT_COLUMNS " FROM cb_alerts WHERE id < $1"
                               " AND status = $3 ORDER BY id DESC LIMIT $2"
                             : "SELECT " ALERT_COLUMNS " FROM cb_alerts WHERE id < $1"
                               " ORDER BY id DESC LIMIT $2";
    db_rows r;
    if (read_rows(cb, "alerts", sql, status ? 3 : 2, p, &r) != CB_OK)
        return CB_ERROR;
    json_t *arr = json_array();
    for (size_t i = 0; i < r.rows; i++)
        json_array_append_new(arr, alert_row(&r, i, 0));
    db_rows_free(&r);
    *out = arr;
    return CB_OK;
}

static json_t *allow_row(const db_rows *r, size_t i)
{
    static const char *names[] = {"id", "customer_id", "list", "ref", "customer_fp",
                                  "entry_fp", "alert_id", "status", "reason", "requested_by",
                                  "requested_at", "decided_by", "decided_at",
                                  "decision_reason"};
    json_t *o = json_object();
    for (size_t c = 0; c < sizeof names / sizeof *names; c++) {
        const char *v = db_cell(r, i, c);
        if (c == 0 || c == 6)
            json_object_set_new(o, names[c], json_integer(v ? strtoll(v, NULL, 10) : 0));
        else
            json_object_set_new(o, names[c], v ? json_string(v) : json_null());
    }
    return o;
}

#define ALLOW_COLUMNS                                                                        \
    "id, customer_id, list_id, ref, customer_fp, entry_fp, alert_id, status, reason,"      \
    " requested_by, requested_at, decided_by, decided_at, decision_reason"

int casebook_alert_get(casebook *cb, int64_t id, json_t **out)
{
    char s[24];
    snprintf(s, sizeof s, "%" PRId64, id);
    const char *p[] = {s};
    db_rows a, d, w;
    memset(&a, 0, sizeof a);
    memset(&d, 0, sizeof d);
    memset(&w, 0, sizeof w);
    /* one snapshot for the three */
    pthread_mutex_lock(cb->rlock);
    int q = db_begin_read(cb->rdb);
    if (q == DB_OK)
        q = db_exec(cb->rdb, "SELECT " ALERT_COLUMNS " FROM cb_alerts WHERE id = $1", 1, p, &a);
    if (q == DB_OK)
        q = db_exec(cb->rdb,
                    "SELECT id, decision, reason, decided_by, decided_at FROM cb_decisions"
                    " WHERE alert_id = $1 ORDER BY id",
                    1, p, &d);
    if (q == DB_OK)
        q = db_exec(cb->rdb,
                    "SELECT " ALLOW_COLUMNS " FROM cb_allowlist WHERE alert_id = $1 ORDER BY id",
                    1, p, &w);
    if (q != DB_OK)
        fail(CB_ERROR, "cannot read the alert: %s", db_error(cb->rdb));
    db_end_read(cb->rdb);
    pthread_mutex_unlock(cb->rlock);
    if (q != DB_OK) {
        db_rows_free(&a);
        db_rows_free(&d);
        db_rows_free(&w);
        return CB_ERROR;
    }
    if (a.rows == 0) {
        db_rows_free(&a);
        db_rows_free(&d);
        db_rows_free(&w);
        return fail(CB_NOT_FOUND, "no alert %" PRId64, id);
    }
    json_t *o = alert_row(&a, 0, 1);
    json_t *ds = json_array();
    for (size_t i = 0; i < d.rows; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "id", json_integer(strtoll(db_cell(&d, i, 0), NULL, 10)));
        json_object_set_new(x, "decision", json_string(db_cell(&d, i, 1)));
        json_object_set_new(x, "reason", json_string(db_cell(&d, i, 2)));
        json_object_set_new(x, "decided_by", json_string(db_cell(&d, i, 3)));
        json_object_set_new(x, "decided_at", json_string(db_cell(&d, i, 4)));
        json_array_append_new(ds, x);
    }
    json_object_set_new(o, "decisions", ds);
    json_t *ws = json_array();
    for (size_t i = 0; i < w.rows; i++)
        json_array_append_new(ws, allow_row(&w, i));
    json_object_set_new(o, "allowlist", ws);
    db_rows_free(&a);
    db_rows_free(&d);
    db_rows_free(&w);
    *out = o;
    return CB_OK;
}

static int decide_job(casebook *cb, cb_job *j)
{
    char id[24], status[32], at[32], actor[128], key[24];
    snprintf(id, sizeof id, "%" PRId64, j->id);
    const char *p[] = {id};
    if (db_scalar(cb->db, "SELECT status FROM cb_alerts WHERE id = $1", 1, p, status,
                  sizeof status) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot read the alert: %s", db_error(cb->db));
    if (!status[0])
        return job_fail(j, CB_NOT_FOUND, "no alert %s", id);
    const char *decision = j->s1;
    if (strcmp(status, "open") && strcmp(status, "escalated"))
        return job_fail(j, CB_CONFLICT, "alert %s is already decided (%s)", id, status);
    if (!strcmp(status, "escalated") && j->who->role < CB_ROLE_SUPERVISOR)
        return job_fail(j, CB_FORBIDDEN, "alert %s is escalated: a supervisor decides it", id);
    if (!strcmp(status, "escalated") && !strcmp(decision, "escalate"))
        return job_fail(j, CB_CONFLICT, "alert %s is already escalated", id);
    const char *new_status = !strcmp(decision, "escalate") ? "escalated" : decision;
    utc_now(at);
    cb_principal_actor(j->who, actor, sizeof actor);
    snprintf(key, sizeof key, "%" PRId64, j->who->key_id);
    const char *pd[] = {id, decision, j->s2, actor, key, at};
    db_rows r;
    if (db_exec(cb->db,
                "INSERT INTO cb_decisions(alert_id, decision, reason, decided_by, decided_by_key,"
                " decided_at) VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
                6, pd, &r) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot store the decision: %s", db_error(cb->db));
    j->out_id = r.rows ? strtoll(db_cell(&r, 0, 0), NULL, 10) : 0;
    db_rows_free(&r);
    const char *pu[] = {id, new_status, at};
    if (db_exec(cb->db, "UPDATE cb_alerts SET status = $2, updated_at = $3 WHERE id = $1", 3,
                pu, NULL) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot update the alert: %s", db_error(cb->db));
    json_t *detail = json_object();
    json_object_set_new(detail, "alert_id", json_integer(j->id));
    json_object_set_new(detail, "decision", json_string(decision));
    json_object_set_new(detail, "reason", json_string(j->s2));
    json_object_set_new(detail, "previous_status", json_string(status));
    json_object_set_new(detail, "status", json_string(new_status));
    char subject[48];
    snprintf(subject, sizeof subject, "alert/%s", id);
    int rc = chain_append_json(cb, actor, "decide", subject, j->s3, detail);
    json_decref(detail);
    return rc;
}

int casebook_decide(casebook *cb, int64_t alert_id, const char *decision, const char *reason,
                    const cb_principal *who, const char *versions)
{
    if (!decision || (strcmp(decision, "true_match") && strcmp(decision, "false_positive") &&
                      strcmp(decision, "escalate")))
        return fail(CB_INVALID, "decision must be true_match, false_positive or escalate");
    if (!reason || !*reason)
        return fail(CB_INVALID, "a reason is required");
    if (strlen(reason) > 4000)
        return fail(CB_INVALID, "the reason is longer than 4000 bytes");
    cb_job j = {.run = decide_job, .id = alert_id, .s1 = decision, .s2 = reason,
                .s3 = versions ? versions : "", .who = who};
    return run_sync(cb, &j);
}

static int allow_request_job(casebook *cb, cb_job *j)
{
    char id[24], at[32], actor[128], key[24];
    snprintf(id, sizeof id, "%" PRId64, j->id);
    const char *p[] = {id};
    db_rows a;
    if (db_exec(cb->db, "SELECT status, customer_id, customer_fp, hits FROM cb_alerts"
                        " WHERE id = $1", 1, p, &a) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot read the alert: %s", db_error(cb->db));
    if (!a.rows) {
        db_rows_free(&a);
        return job_fail(j, CB_NOT_FOUND, "no alert %s", id);
    }
    int rc = CB_OK;
    json_t *hits = NULL;
    if (strcmp(db_cell(&a, 0, 0), "false_positive")) {
        rc = job_fail(j, CB_CONFLICT, "alert %s is %s: only a false positive can go on the"
                      " allow-list", id, db_cell(&a, 0, 0));
        goto out;
    }
    const char *customer = db_cell(&a, 0, 1), *cfp = db_cell(&a, 0, 2);
    if (!customer || !*customer) {
        rc = job_fail(j, CB_CONFLICT, "alert %s has no customer id to allow-list", id);
        goto out;
    }
    hits = json_loads(db_cell(&a, 0, 3), 0, NULL);
    utc_now(at);
    cb_principal_actor(j->who, actor, sizeof actor);
    snprintf(key, sizeof key, "%" PRId64, j->who->key_id);
    j->out = json_array();
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        const char *list = json_string_value(json_object_get(h, "list"));
        const char *ref = json_string_value(json_object_get(h, "ref"));
        const char *efp = json_string_value(json_object_get(h, "entry_fp"));
        if (!list || !ref || !efp)
            continue;
        if (j->s1 && (strcmp(j->s1, list) || strcmp(j->s2, ref)))
            continue;
        const char *pc[] = {customer, list, ref, cfp, efp};
        char existing[24];
        if (db_scalar(cb->db,
                      "SELECT id FROM cb_allowlist WHERE customer_id = $1 AND list_id = $2"
                      " AND ref = $3 AND customer_fp = $4 AND entry_fp = $5"
                      " AND status IN ('pending', 'approved') LIMIT 1",
                      5, pc, existing, sizeof existing) != DB_OK) {
            rc = job_fail(j, CB_ERROR, "cannot read the allow-list: %s", db_error(cb->db));
            goto out;
        }
        if (existing[0])
            continue;
        const char *pi[] = {customer, list, ref, cfp, efp, id, j->s3, actor, key, at};
        db_rows r;
        if (db_exec(cb->db,
                    "INSERT INTO cb_allowlist(customer_id, list_id, ref, customer_fp, entry_fp,"
                    " alert_id, status, reason, requested_by, requested_by_key, requested_at)"
                    " VALUES($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10) RETURNING id",
                    10, pi, &r) != DB_OK) {
            rc = job_fail(j, CB_ERROR, "cannot store the request: %s", db_error(cb->db));
            goto out;
        }
        int64_t allow_id = r.rows ? strtoll(db_cell(&r, 0, 0), NULL, 10) : 0;
        db_rows_free(&r);
        json_t *detail = json_object();
        json_object_set_new(detail, "allow_id", json_integer(allow_id));
        json_object_set_new(detail, "alert_id", json_integer(j->id));
        json_object_set_new(detail, "customer_id", json_string(customer));
        json_object_set_new(detail, "list", json_string(list));
        json_object_set_new(detail, "ref", json_string(ref));
        json_object_set_new(detail, "customer_fp", json_string(cfp));
        json_object_set_new(detail, "entry_fp", json_string(efp));
        json_object_set_new(detail, "reason", json_string(j->s3));
        char subject[48];
        snprintf(subject, sizeof subject, "allowlist/%" PRId64, allow_id);
        rc = chain_append_json(cb, actor, "allowlist_request", subject, "", detail);
        json_object_set_new(detail, "status", json_string("pending"));
        json_object_del(detail, "reason");
        json_object_set_new(detail, "id", json_integer(allow_id));
        json_array_append_new(j->out, detail);
        if (rc != CB_OK)
            goto out;
    }
    if (json_array_size(j->out) == 0)
        rc = job_fail(j, j->s1 ? CB_NOT_FOUND : CB_CONFLICT,
                      j->s1 ? "alert %s has no hit on %s %s"
                            : "every hit of alert %s is already on the allow-list%s%s",
                      id, j->s1 ? j->s1 : "", j->s1 ? j->s2 : "");
out:
    json_decref(hits);
    db_rows_free(&a);
    return rc;
}

int casebook_allow_request(casebook *cb, int64_t alert_id, const char *list, const char *ref,
                           const char *reason, const cb_principal *who, json_t **created)
{
    if (!reason || !*reason)
        return fail(CB_INVALID, "a reason is required");
    if (strlen(reason) > 4000)
        return fail(CB_INVALID, "the reason is longer than 4000 bytes");
    if ((list == NULL) != (ref == NULL))
        return fail(CB_INVALID, "list and ref go together");
    cb_job j = {.run = allow_request_job, .id = alert_id, .s1 = list, .s2 = ref, .s3 = reason,
                .who = who};
    int rc = run_sync(cb, &j);
    if (created)
        *created = j.out;
    else
        json_decref(j.out);
    return rc;
}

static int allow_decide_job(casebook *cb, cb_job *j)
{
    char id[24], at[32], actor[128];
    snprintf(id, sizeof id, "%" PRId64, j->id);
    const char *p[] = {id};
    db_rows a;
    if (db_exec(cb->db, "SELECT status, requested_by_key, customer_id, list_id, ref"
                        " FROM cb_allowlist WHERE id = $1", 1, p, &a) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot read the allow-list: %s", db_error(cb->db));
    if (!a.rows) {
        db_rows_free(&a);
        return job_fail(j, CB_NOT_FOUND, "no allow-list entry %s", id);
    }
    const char *action = j->s1, *status = db_cell(&a, 0, 0);
    const char *new_status = !strcmp(action, "approve") ? "approved"
                             : !strcmp(action, "reject") ? "rejected" : "revoked";
    int rc = CB_OK;
    if (!strcmp(action, "revoke") ? strcmp(status, "approved") && strcmp(status, "pending")
                                  : strcmp(status, "pending") != 0) {
        rc = job_fail(j, CB_CONFLICT, "allow-list entry %s is %s", id, status);
    } else if (strcmp(action, "revoke") &&
               strtoll(db_cell(&a, 0, 1), NULL, 10) == j->who->key_id) {
        /* four eyes: whoever asked cannot approve */
        rc = job_fail(j, CB_FORBIDDEN, "allow-list entry %s was requested with this key;"
                      " another supervisor decides it", id);
    }
    if (rc == CB_OK) {
        utc_now(at);
        cb_principal_actor(j->who, actor, sizeof actor);
        const char *pu[] = {id, new_status, actor, at, j->s2};
        if (db_exec(cb->db, "UPDATE cb_allowlist SET status = $2, decided_by = $3,"
                            " decided_at = $4, decision_reason = $5 WHERE id = $1",
                    5, pu, NULL) != DB_OK) {
            rc = job_fail(j, CB_ERROR, "cannot update the allow-list: %s", db_error(cb->db));
        } else {
            json_t *detail = json_object();
            json_object_set_new(detail, "allow_id", json_integer(j->id));
            json_object_set_new(detail, "customer_id", json_string(db_cell(&a, 0, 2)));
            json_object_set_new(detail, "list", json_string(db_cell(&a, 0, 3)));
            json_object_set_new(detail, "ref", json_string(db_cell(&a, 0, 4)));
            json_object_set_new(detail, "previous_status", json_string(status));
            json_object_set_new(detail, "status", json_string(new_status));
            json_object_set_new(detail, "reason", json_string(j->s2));
            char subject[48], act[32];
            snprintf(subject, sizeof subject, "allowlist/%s", id);
            snprintf(act, sizeof act, "allowlist_%s", action);
            rc = chain_append_json(cb, actor, act, subject, "", detail);
            json_decref(detail);
        }
    }
    db_rows_free(&a);
    return rc;
}

int casebook_allow_decide(casebook *cb, int64_t allow_id, const char *action,
                          const char *reason, const cb_principal *who)
{
    if (!action || (strcmp(action, "approve") && strcmp(action, "reject") &&
                    strcmp(action, "revoke")))
        return fail(CB_INVALID, "action must be approve, reject or revoke");
    if (strlen(reason ? reason : "") > 4000)
        return fail(CB_INVALID, "the reason is longer than 4000 bytes");
    cb_job j = {.run = allow_decide_job, .id = allow_id, .s1 = action,
                .s2 = reason ? reason : "", .who = who};
    return run_sync(cb, &j);
}

int casebook_allowlist(casebook *cb, const char *status, json_t **out)
{
    const char *p[] = {status};
    const char *sql = status ? "SELECT " ALLOW_COLUMNS " FROM cb_allowlist"
                               " WHERE status = $1 ORDER BY id DESC LIMIT 500"
                             : "SELECT " ALLOW_COLUMNS " FROM cb_allowlist"
                               " ORDER BY id DESC LIMIT 500";
    db_rows r;
    if (read_rows(cb, "the allow-list", sql, status ? 1 : 0, status ? p : NULL, &r) != CB_OK)
        return CB_ERROR;
    json_t *arr = json_array();
    for (size_t i = 0; i < r.rows; i++)
        json_array_append_new(arr, allow_row(&r, i));
    db_rows_free(&r);
    *out = arr;
    return CB_OK;
}

/* ---- Keys ------------------------------------------------------------------------------------ */

static int key_create_job(casebook *cb, cb_job *j)
{
    char at[32];
    utc_now(at);
    const char *p[] = {j->s1, j->s2, j->s3, at, j->actor ? j->actor : "system"};
    db_rows r;
    int q = db_exec(cb->db,
                    "INSERT INTO cb_keys(name, role, key_hash, created_at, created_by)"
                    " VALUES($1, $2, $3, $4, $5) RETURNING id",
                    5, p, &r);
    if (q != DB_OK)
        return job_fail(j, CB_ERROR, "cannot store the key: %s", db_error(cb->db));
    j->out_id = r.rows ? strtoll(db_cell(&r, 0, 0), NULL, 10) : 0;
    db_rows_free(&r);
    json_t *detail = json_object();
    json_object_set_new(detail, "key_id", json_integer(j->out_id));
    json_object_set_new(detail, "name", json_string(j->s1));
    json_object_set_new(detail, "role", json_string(j->s2));
    char subject[48];
    snprintf(subject, sizeof subject, "key/%" PRId64, j->out_id);
    int rc = chain_append_json(cb, j->actor, "key_create", subject, "", detail);
    json_decref(detail);
    return rc;
}

int casebook_key_create(casebook *cb, cb_role role, const char *name, const char *actor,
                        char key[CB_KEY_MAX], int64_t *id)
{
    key[0] = '\0';
    *id = 0;
    if (role <= CB_ROLE_NONE || role > CB_ROLE_ADMIN)
        return fail(CB_INVALID, "role must be client, analyst, supervisor or admin");
    if (!name || !*name || strlen(name) > 60)
        return fail(CB_INVALID, "a key needs a name of 1 to 60 bytes");
    unsigned char secret[32];
    size_t got = 0;
    while (got < sizeof secret) {
        ssize_t n = getrandom(secret + got, sizeof secret - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(CB_ERROR, "no random bytes from the system");
        got += (size_t)n;
    }
    static const char digits[] = "0123456789abcdef";
    char k[CB_KEY_MAX];
    memcpy(k, "idk_", 4);
    for (size_t i = 0; i < sizeof secret; i++) {
        k[4 + 2 * i] = digits[secret[i] >> 4];
        k[5 + 2 * i] = digits[secret[i] & 15];
    }
    k[4 + 2 * sizeof secret] = '\0';
    char hash[65];
    if (sha256_hex(k, strlen(k), hash) < 0)
        return fail(CB_ERROR, "cannot hash the key");
    cb_job j = {.run = key_create_job, .s1 = name, .s2 = cb_role_name(role), .s3 = hash};
    j.actor = (char *)(actor ? actor : "system");
    int rc = run_sync(cb, &j);
    if (rc == CB_OK) {
        memcpy(key, k, strlen(k) + 1);
        *id = j.out_id;
    }
    memset(k, 0, sizeof k);
    memset(secret, 0, sizeof secret);
    return rc;
}

int casebook_key_check(casebook *cb, const char *key, cb_principal *out)
{
    memset(out, 0, sizeof *out);
    if (!key || strncmp(key, "idk_", 4) || strlen(key) != 68)
        return fail(CB_NOT_FOUND, "unknown key");
    char hash[65];
    if (sha256_hex(key, strlen(key), hash) < 0)
        return fail(CB_ERROR, "cannot hash the key");
    unsigned slot = 0;
    for (int i = 0; i < 8; i++)
        slot = slot * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    slot %= KEY_CACHE;
    time_t now = time(NULL);
    pthread_mutex_lock(&cb->key_lock);
    key_slot *s = &cb->keys[slot];
    if (s->until > now && !strcmp(s->hash, hash)) {
        *out = s->who;
        pthread_mutex_unlock(&cb->key_lock);
        return CB_OK;
    }
    pthread_mutex_unlock(&cb->key_lock);
    const char *p[] = {hash};
    db_rows r;
    if (read_rows(cb, "keys", "SELECT id, name, role FROM cb_keys WHERE key_hash = $1"
                              " AND revoked_at IS NULL", 1, p, &r) != CB_OK)
        return CB_ERROR;
    if (!r.rows || cb_role_parse(db_cell(&r, 0, 2), &out->role) < 0) {
        db_rows_free(&r);
        return fail(CB_NOT_FOUND, "unknown key");
    }
    out->key_id = strtoll(db_cell(&r, 0, 0), NULL, 10);
    snprintf(out->name, sizeof out->name, "%s", db_cell(&r, 0, 1));
    db_rows_free(&r);
    pthread_mutex_lock(&cb->key_lock);
    memcpy(s->hash, hash, sizeof hash);
    s->who = *out;
    s->until = now + KEY_CACHE_SECONDS;
    pthread_mutex_unlock(&cb->key_lock);
    return CB_OK;
}

int casebook_keys(casebook *cb, json_t **out)
{
    db_rows r;
    if (read_rows(cb, "keys", "SELECT id, name, role, created_at, created_by, revoked_at"
                              " FROM cb_keys ORDER BY id", 0, NULL, &r) != CB_OK)
        return CB_ERROR;
    json_t *arr = json_array();
    for (size_t i = 0; i < r.rows; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(strtoll(db_cell(&r, i, 0), NULL, 10)));
        json_object_set_new(o, "name", json_string(db_cell(&r, i, 1)));
        json_object_set_new(o, "role", json_string(db_cell(&r, i, 2)));
        json_object_set_new(o, "created_at", json_string(db_cell(&r, i, 3)));
        json_object_set_new(o, "created_by", json_string(db_cell(&r, i, 4)));
        const char *rv = db_cell(&r, i, 5);
        json_object_set_new(o, "revoked_at", rv ? json_string(rv) : json_null());
        json_array_append_new(arr, o);
    }
    db_rows_free(&r);
    *out = arr;
    return CB_OK;
}

static int key_revoke_job(casebook *cb, cb_job *j)
{
    char id[24], at[32], rv[40];
    snprintf(id, sizeof id, "%" PRId64, j->id);
    const char *p[] = {id};
    if (db_scalar(cb->db, "SELECT COALESCE(revoked_at, '-') FROM cb_keys WHERE id = $1", 1, p,
                  rv, sizeof rv) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot read keys: %s", db_error(cb->db));
    if (!rv[0])
        return job_fail(j, CB_NOT_FOUND, "no key %s", id);
    if (strcmp(rv, "-"))
        return job_fail(j, CB_CONFLICT, "key %s was revoked at %s", id, rv);
    utc_now(at);
    const char *pu[] = {id, at};
    if (db_exec(cb->db, "UPDATE cb_keys SET revoked_at = $2 WHERE id = $1", 2, pu, NULL) != DB_OK)
        return job_fail(j, CB_ERROR, "cannot revoke: %s", db_error(cb->db));
    json_t *detail = json_object();
    json_object_set_new(detail, "key_id", json_integer(j->id));
    char subject[48];
    snprintf(subject, sizeof subject, "key/%s", id);
    int rc = chain_append_json(cb, j->actor, "key_revoke", subject, "", detail);
    json_decref(detail);
    return rc;
}

int casebook_key_revoke(casebook *cb, int64_t id, const char *actor)
{
    cb_job j = {.run = key_revoke_job, .id = id};
    j.actor = (char *)(actor ? actor : "system");
    int rc = run_sync(cb, &j);
    if (rc == CB_OK) {
        /* forget every cached key: the revoked one must stop working now */
        pthread_mutex_lock(&cb->key_lock);
        memset(cb->keys, 0, sizeof cb->keys);
        pthread_mutex_unlock(&cb->key_lock);
    }
    return rc;
}
