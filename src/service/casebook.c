/* casebook.c - alerts, decisions, allow-list, keys and the audit chain. */
#include "casebook.h"

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
 * difference, an automatic key; the audit sequence is assigned by the writer.
 * The audit table refuses updates and deletes (a trigger in each backend). */
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
    " seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
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
#define MAX_BATCH 4096
#define MAX_QUEUED 100000
#define GATHER_NS 2000000          /* 2 ms */
#define KEY_CACHE 256
#define KEY_CACHE_SECONDS 30

/* ---- Jobs for the writer ------------------------------------------------------ */

typedef struct cb_job cb_job;
typedef int (*cb_job_fn)(casebook *cb, cb_job *job);

struct cb_job {
    cb_job *next;
    cb_job_fn run;            /* NULL: only the audit record below */
    int wait;                 /* the caller waits (job on its stack) */
    int done;
    int status;
    char msg[256];
    /* arguments of run functions */
    const void *in;
    const char *s1, *s2, *s3;
    int64_t id;
    const cb_principal *who;
    int64_t out_id;
    int64_t *ids;
    json_t *out;
    /* the audit record of an audit-only job (owned) */
    char *actor, *action, *subject, *versions, *detail;
};

typedef struct key_slot {
    char hash[65];
    cb_principal who;
    time_t until;
} key_slot;

struct casebook {
    db *db;
    pthread_mutex_t db_lock;       /* one connection, used by one thread at a time */
    pthread_mutex_t q_lock;
    pthread_cond_t q_cond;         /* work for the writer */
    pthread_cond_t done_cond;      /* a batch was committed */
    cb_job *head, *tail;
    size_t queued;
    size_t waiting;                /* queued jobs whose caller waits */
    int stop;
    int writer_running;
    pthread_t writer;
    uint64_t batches_done;
    /* the chain's last entry, valid inside the writer's transaction */
    int64_t chain_seq;
    char chain_hash[65];
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
    if (!p)
        snprintf(buf, size, "system");
    else
        snprintf(buf, size, "%s (key %" PRId64 ")", p->name, p->key_id);
}

static void utc_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
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

/* A growing string for the canonical records. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_put(sbuf *b, const char *p, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* A JSON string: quotes, backslashes and control characters escaped, other
 * bytes (UTF-8) as they are. */
static void sb_json_string(sbuf *b, const char *v)
{
    static const char hex[] = "0123456789abcdef";
    sb_put(b, "\"", 1);
    const char *run = v;
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sb_put(b, run, (size_t)(p - run));
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            sb_put(b, esc, 2);
        } else if (c == '\n') {
            sb_put(b, "\\n", 2);
        } else if (c == '\t') {
            sb_put(b, "\\t", 2);
        } else if (c == '\r') {
            sb_put(b, "\\r", 2);
        } else if (c == '\b') {
            sb_put(b, "\\b", 2);
        } else if (c == '\f') {
            sb_put(b, "\\f", 2);
        } else {
            sb_put(b, esc, 6);
        }
        run = p + 1;
    }
    sb_put(b, run, strlen(run));
    sb_put(b, "\"", 1);
}

/* The text an entry's hash covers: its fields as compact JSON with the keys
 * in alphabetical order (detail is a string holding the detail's JSON), the
 * same text as Python's json.dumps(record, sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False), so the chain can be checked
 * without this program. */
static char *canonical_record(int64_t seq, const char *at, const char *actor, const char *action,
                              const char *subject, const char *versions, const char *detail)
{
    sbuf b = {0};
    char num[32];
    sb_put(&b, "{\"action\":", 10);
    sb_json_string(&b, action);
    sb_put(&b, ",\"actor\":", 9);
    sb_json_string(&b, actor);
    sb_put(&b, ",\"at\":", 6);
    sb_json_string(&b, at);
    sb_put(&b, ",\"detail\":", 10);
    sb_json_string(&b, detail);
    int n = snprintf(num, sizeof num, ",\"seq\":%" PRId64, seq);
    sb_put(&b, num, (size_t)n);
    sb_put(&b, ",\"subject\":", 11);
    sb_json_string(&b, subject);
    sb_put(&b, ",\"versions\":", 12);
    sb_json_string(&b, versions);
    sb_put(&b, "}", 1);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
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

/* Inside the writer's transaction: appends one entry after the chain head. */
static int chain_append(casebook *cb, const char *actor, const char *action, const char *subject,
                        const char *versions, const char *detail)
{
    char at[32], seq_s[24], hash[65];
    utc_now(at);
    int64_t seq = cb->chain_seq + 1;
    actor = actor ? actor : "system";
    subject = subject ? subject : "";
    versions = versions ? versions : "";
    detail = detail ? detail : "{}";
    char *canon = canonical_record(seq, at, actor, action, subject, versions, detail);
    if (!canon || chain_hash(cb->chain_hash, canon, hash) < 0) {
        free(canon);
        return fail(CB_ERROR, "out of memory");
    }
    free(canon);
    snprintf(seq_s, sizeof seq_s, "%" PRId64, seq);
    const char *p[] = {seq_s, at, actor, action, subject, versions, detail, cb->chain_hash, hash};
    if (db_exec(cb->db,
                "INSERT INTO cb_audit(seq, at, actor, action, subject, versions, detail,"
                " prev_hash, hash) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                9, p, NULL) != DB_OK)
        return fail(CB_ERROR, "cannot write the audit trail: %s", db_error(cb->db));
    cb->chain_seq = seq;
    memcpy(cb->chain_hash, hash, sizeof hash);
    return CB_OK;
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

static void free_job(cb_job *j)
{
    free(j->actor);
    free(j->action);
    free(j->subject);
    free(j->versions);
    free(j->detail);
    free(j);
}

static int run_job(casebook *cb, cb_job *j)
{
    if (!j->run) {
        int rc = chain_append(cb, j->actor, j->action, j->subject, j->versions, j->detail);
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
    for (cb_job *j = batch; j && ok; j = j->next) {
        j->status = run_job(cb, j);
        if (j->status != CB_OK && !j->run) {
            /* an audit record that cannot be written spoils the batch */
            async_failed = 1;
            snprintf(why, sizeof why, "%s", j->msg);
            break;
        }
    }
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
        while (!cb->head && !cb->stop)
            pthread_cond_wait(&cb->q_cond, &cb->q_lock);
        if (!cb->head && cb->stop)
            break;
        /* group commit: when nobody waits, let records gather for a moment
         * so that one commit (one fsync) covers many */
        if (!cb->stop && cb->waiting == 0 && cb->queued < MAX_BATCH / 4) {
            pthread_mutex_unlock(&cb->q_lock);
            struct timespec pause = {0, GATHER_NS};
            nanosleep(&pause, NULL);
            pthread_mutex_lock(&cb->q_lock);
        }
        cb_job *batch = cb->head, *last = batch;
        size_t n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        cb->head = last->next;
        if (!cb->head)
            cb->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&cb->q_lock);

        run_batch(cb, batch);

        pthread_mutex_lock(&cb->q_lock);
        cb->queued -= n;
        cb->batches_done++;
        for (cb_job *j = batch, *next; j; j = next) {
            next = j->next;
            if (j->wait) {
                j->done = 1;
                cb->waiting--;
            } else {
                free_job(j);
            }
        }
        pthread_cond_broadcast(&cb->done_cond);
    }
    pthread_mutex_unlock(&cb->q_lock);
    return NULL;
}

static void enqueue(casebook *cb, cb_job *j)
{
    pthread_mutex_lock(&cb->q_lock);
    /* back-pressure: producers wait while the writer is far behind */
    while (cb->queued >= MAX_QUEUED && !cb->stop)
        pthread_cond_wait(&cb->done_cond, &cb->q_lock);
    j->next = NULL;
    if (cb->tail)
        cb->tail->next = j;
    else
        cb->head = j;
    cb->tail = j;
    cb->queued++;
    if (j->wait)
        cb->waiting++;
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
    size_t cap = sizeof SCHEMA + 16 * strlen(id);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t at = 0;
    for (const char *p = SCHEMA; *p;) {
        if (!strncmp(p, "@ID@", 4)) {
            memcpy(out + at, id, strlen(id));
            at += strlen(id);
            p += 4;
        } else {
            out[at++] = *p++;
        }
    }
    out[at] = '\0';
    return out;
}

casebook *casebook_open(const char *target, char *err, size_t err_size)
{
    casebook *cb = calloc(1, sizeof *cb);
    if (!cb) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    cb->db = db_open(target, err, err_size);
    if (!cb->db) {
        free(cb);
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
    if (rc != DB_OK) {
        snprintf(err, err_size, "cannot create the casebook tables: %s", db_error(cb->db));
        db_close(cb->db);
        free(cb);
        return NULL;
    }
    pthread_mutex_init(&cb->db_lock, NULL);
    pthread_mutex_init(&cb->q_lock, NULL);
    pthread_mutex_init(&cb->key_lock, NULL);
    pthread_cond_init(&cb->q_cond, NULL);
    pthread_cond_init(&cb->done_cond, NULL);
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
    pthread_mutex_destroy(&cb->db_lock);
    pthread_mutex_destroy(&cb->q_lock);
    pthread_mutex_destroy(&cb->key_lock);
    pthread_cond_destroy(&cb->q_cond);
    pthread_cond_destroy(&cb->done_cond);
    db_close(cb->db);
    free(cb);
}

const char *casebook_backend_name(const casebook *cb)
{
    return db_kind(cb->db) == DB_POSTGRES ? "postgresql" : "sqlite";
}

int casebook_ping(casebook *cb)
{
    char buf[16];
    pthread_mutex_lock(&cb->db_lock);
    int rc = db_scalar(cb->db, "SELECT 1", 0, NULL, buf, sizeof buf);
    if (rc != DB_OK)
        fail(CB_ERROR, "%s", db_error(cb->db));
    pthread_mutex_unlock(&cb->db_lock);
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

/* A read outside the writer: one statement on the shared connection. On
 * failure the message is "cannot read <what>: <why>". */
static int read_rows(casebook *cb, const char *what, const char *sql, int n_params,
                     const char *const *params, db_rows *out)
{
    pthread_mutex_lock(&cb->db_lock);
    int q = db_exec(cb->db, sql, n_params, params, out);
    if (q != DB_OK)
        fail(CB_ERROR, "cannot read %s: %s", what, db_error(cb->db));
    pthread_mutex_unlock(&cb->db_lock);
    return q == DB_OK ? CB_OK : CB_ERROR;
}

/* ---- Audit ---------------------------------------------------------------------------- */

int casebook_audit(casebook *cb, const char *actor, const char *action, const char *subject,
                   const char *versions, json_t *detail, int wait)
{
    cb_job *j = calloc(1, sizeof *j);
    if (!j) {
        json_decref(detail);
        return fail(CB_ERROR, "out of memory");
    }
    j->actor = strdup(actor ? actor : "system");
    j->action = strdup(action ? action : "");
    j->subject = strdup(subject ? subject : "");
    j->versions = strdup(versions ? versions : "");
    j->detail = dump_compact(detail);
    json_decref(detail);
    if (!j->actor || !j->action || !j->subject || !j->versions || !j->detail) {
        free_job(j);
        return fail(CB_ERROR, "out of memory");
    }
    if (!wait) {
        enqueue(cb, j);
        return CB_OK;
    }
    j->wait = 1;
    j->status = CB_ERROR;
    enqueue(cb, j);
    int rc = j->status;
    if (rc != CB_OK)
        snprintf(thread_msg, sizeof thread_msg, "%s", j->msg);
    free_job(j);
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

static int alert_create_one(casebook *cb, cb_job *j, const cb_alert_new *a, int64_t *id)
{
    char at[32];
    utc_now(at);
    char *query = dump_compact(a->query), *hits = dump_compact(a->hits),
         *lists = dump_compact(a->lists);
    int rc = CB_OK;
    if (!query || !hits || !lists) {
        rc = job_fail(j, CB_ERROR, "out of memory");
        goto out;
    }
    const char *p[] = {at, a->screening_id, a->customer_id ? a->customer_id : "",
                       a->customer_fp, query, hits, lists, a->actor};
    db_rows r;
    if (db_exec(cb->db,
                "INSERT INTO cb_alerts(created_at, screening_id, customer_id, customer_fp, query,"
                " hits, lists, status, created_by, updated_at)"
                " VALUES($1, $2, $3, $4, $5, $6, $7, 'open', $8, $1) RETURNING id",
                8, p, &r) != DB_OK) {
        rc = job_fail(j, CB_ERROR, "cannot store the alert: %s", db_error(cb->db));
        goto out;
    }
    *id = r.rows ? strtoll(db_cell(&r, 0, 0), NULL, 10) : 0;
    db_rows_free(&r);
    json_t *detail = a->audit_detail ? json_deep_copy(a->audit_detail) : json_object();
    json_object_set_new(detail, "alert_id", json_integer(*id));
    char subject[48];
    snprintf(subject, sizeof subject, "alert/%" PRId64, *id);
    rc = chain_append_json(cb, a->actor, "screen", subject, a->versions, detail);
    json_decref(detail);
out:
    free(query);
    free(hits);
    free(lists);
    return rc;
}

static int alert_create_job(casebook *cb, cb_job *j)
{
    const cb_alert_new *a = j->in;
    for (int64_t i = 0; i < j->id; i++) {
        int rc = alert_create_one(cb, j, &a[i], &j->ids[i]);
        if (rc != CB_OK)
            return rc;
    }
    return CB_OK;
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
    cb_job j = {.run = alert_create_job, .in = a, .id = (int64_t)n, .ids = ids};
    int rc = run_sync(cb, &j);
    if (rc != CB_OK)
        for (size_t i = 0; i < n; i++)
            ids[i] = 0;
    return rc;
}

int casebook_allowed(casebook *cb, const char *customer_id, const char *list, const char *ref,
                     const char *customer_fp, const char *entry_fp, int64_t *allow_id)
{
    *allow_id = 0;
    if (!customer_id || !*customer_id)
        return 0;
    const char *p[] = {customer_id, list, ref, customer_fp, entry_fp};
    char buf[24];
    pthread_mutex_lock(&cb->db_lock);
    int q = db_scalar(cb->db,
                      "SELECT id FROM cb_allowlist WHERE customer_id = $1 AND list_id = $2"
                      " AND ref = $3 AND status = 'approved' AND customer_fp = $4"
                      " AND entry_fp = $5 ORDER BY id LIMIT 1",
                      5, p, buf, sizeof buf);
    if (q != DB_OK)
        fail(CB_ERROR, "cannot read the allow-list: %s", db_error(cb->db));
    pthread_mutex_unlock(&cb->db_lock);
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
    memset(&d, 0, sizeof d);
    memset(&w, 0, sizeof w);
    pthread_mutex_lock(&cb->db_lock);
    int q = db_exec(cb->db, "SELECT " ALERT_COLUMNS " FROM cb_alerts WHERE id = $1", 1, p, &a);
    if (q == DB_OK)
        q = db_exec(cb->db,
                    "SELECT id, decision, reason, decided_by, decided_at FROM cb_decisions"
                    " WHERE alert_id = $1 ORDER BY id",
                    1, p, &d);
    if (q == DB_OK)
        q = db_exec(cb->db,
                    "SELECT " ALLOW_COLUMNS " FROM cb_allowlist WHERE alert_id = $1 ORDER BY id",
                    1, p, &w);
    if (q != DB_OK)
        fail(CB_ERROR, "cannot read the alert: %s", db_error(cb->db));
    pthread_mutex_unlock(&cb->db_lock);
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
