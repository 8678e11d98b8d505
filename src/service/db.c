/* db.c - SQLite and PostgreSQL behind the interface of db.h. */
#include "db.h"
#include "../util/dynlib.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 48

struct db {
    db_backend kind;
    sqlite3 *lite;
    PGconn *pg;
    struct {
        const char *orig;      /* the caller's pointer, for a quick match */
        char *sql;             /* a copy of the text */
        sqlite3_stmt *st;
        int *slot;             /* slot[i]: the statement's index of $i+1, 0 if absent */
        int n_slot;
    } cache[STMT_CACHE];
    size_t n_cache;
    char error[512];
};

/* libpq's functions, bound when the first PostgreSQL database is opened
 * (util/dynlib.h). */
static struct {
    __typeof__(PQconnectdb) *connectdb;
    __typeof__(PQstatus) *status;
    __typeof__(PQerrorMessage) *errorMessage;
    __typeof__(PQexec) *exec;
    __typeof__(PQclear) *clear;
    __typeof__(PQfinish) *finish;
    __typeof__(PQresultStatus) *resultStatus;
    __typeof__(PQresultErrorField) *resultErrorField;
    __typeof__(PQresultErrorMessage) *resultErrorMessage;
    __typeof__(PQexecParams) *execParams;
    __typeof__(PQntuples) *ntuples;
    __typeof__(PQnfields) *nfields;
    __typeof__(PQgetisnull) *getisnull;
    __typeof__(PQgetvalue) *getvalue;
} pq;

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_failed[256];        /* why libpq cannot be used, or "" */

static void bind_pq(void)
{
    const dynlib_symbol fns[] = {
        DYNLIB_SLOT("PQconnectdb", pq.connectdb),
        DYNLIB_SLOT("PQstatus", pq.status),
        DYNLIB_SLOT("PQerrorMessage", pq.errorMessage),
        DYNLIB_SLOT("PQexec", pq.exec),
        DYNLIB_SLOT("PQclear", pq.clear),
        DYNLIB_SLOT("PQfinish", pq.finish),
        DYNLIB_SLOT("PQresultStatus", pq.resultStatus),
        DYNLIB_SLOT("PQresultErrorField", pq.resultErrorField),
        DYNLIB_SLOT("PQresultErrorMessage", pq.resultErrorMessage),
        DYNLIB_SLOT("PQexecParams", pq.execParams),
        DYNLIB_SLOT("PQntuples", pq.ntuples),
        DYNLIB_SLOT("PQnfields", pq.nfields),
        DYNLIB_SLOT("PQgetisnull", pq.getisnull),
        DYNLIB_SLOT("PQgetvalue", pq.getvalue),
    };
    dynlib_bind(INTERDICT_PQ_SONAME, fns, sizeof fns / sizeof fns[0], pq_failed,
                sizeof pq_failed);
}

int db_target_is_postgres(const char *target)
{
    return target && (!strncmp(target, "postgres://", 11) || !strncmp(target, "postgresql://", 13));
}

static void set_err(db *d, const char *what, const char *msg)
{
    snprintf(d->error, sizeof d->error, "%s%s%s", what, *what ? ": " : "", msg ? msg : "?");
    /* libpq messages end in a line break */
    size_t n = strlen(d->error);
    while (n && (d->error[n - 1] == '\n' || d->error[n - 1] == '\r'))
        d->error[--n] = '\0';
}

db *db_open(const char *target, char *err, size_t err_size)
{
    db *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    if (db_target_is_postgres(target)) {
        d->kind = DB_POSTGRES;
        pthread_once(&pq_once, bind_pq);
        if (pq_failed[0]) {
            snprintf(err, err_size, "cannot use PostgreSQL: %s", pq_failed);
            db_close(d);
            return NULL;
        }
        d->pg = pq.connectdb(target);
        if (!d->pg || pq.status(d->pg) != CONNECTION_OK) {
            snprintf(err, err_size, "cannot connect to PostgreSQL: %s",
                     d->pg ? pq.errorMessage(d->pg) : "out of memory");
            size_t n = strlen(err);
            while (n && err[n - 1] == '\n')
                err[--n] = '\0';
            db_close(d);
            return NULL;
        }
        PGresult *r = pq.exec(d->pg, "SET client_min_messages = warning");
        pq.clear(r);
        return d;
    }
    d->kind = DB_SQLITE;
    if (sqlite3_open_v2(target, &d->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                              SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open %s: %s", target,
                 d->lite ? sqlite3_errmsg(d->lite) : "out of memory");
        db_close(d);
        return NULL;
    }
    sqlite3_busy_timeout(d->lite, 10000);
    /* WAL with FULL sync: a committed transaction survives a crash of the
     * process or the machine. */
    char *msg = NULL;
    if (sqlite3_exec(d->lite, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                              "PRAGMA foreign_keys=ON;", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_size, "%s is not a usable database: %s", target, msg ? msg : "?");
        sqlite3_free(msg);
        db_close(d);
        return NULL;
    }
    return d;
}

void db_close(db *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_cache; i++) {
        sqlite3_finalize(d->cache[i].st);
        free(d->cache[i].sql);
        free(d->cache[i].slot);
    }
    if (d->lite)
        sqlite3_close(d->lite);
    if (d->pg)
        pq.finish(d->pg);
    free(d);
}

db_backend db_kind(const db *d) { return d->kind; }
const char *db_error(const db *d) { return d->error; }

const char *db_cell(const db_rows *r, size_t row, size_t col)
{
    if (!r || row >= r->rows || col >= r->cols)
        return NULL;
    return r->cell[row * r->cols + col];
}

void db_rows_free(db_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->rows * r->cols; i++)
        free(r->cell[i]);
    free(r->cell);
    memset(r, 0, sizeof *r);
}

/* ---- SQLite --------------------------------------------------------------- */

/* Where each of $1, $2, ... is bound: parameters are numbered by first
 * appearance, which need not follow the numbers in their names. */
static int *param_slots(sqlite3_stmt *st, int *n_out)
{
    int count = sqlite3_bind_parameter_count(st), n = 0;
    for (int i = 1; i <= count; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        int k = name && name[0] == '$' ? atoi(name + 1) : 0;
        if (k > n)
            n = k;
    }
    int *slot = calloc((size_t)(n ? n : 1), sizeof *slot);
    if (!slot)
        return NULL;
    for (int i = 1; i <= count; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        int k = name && name[0] == '$' ? atoi(name + 1) : 0;
        if (k > 0)
            slot[k - 1] = i;
    }
    *n_out = n;
    return slot;
}

/* A prepared statement for sql, from the cache when it is there (reset,
 * without bindings); *cache_at gets its place, or -1 when not cached. */
static sqlite3_stmt *lite_prepare(db *d, const char *sql, int *cache_at)
{
    size_t hit = d->n_cache;
    for (size_t i = 0; i < d->n_cache && hit == d->n_cache; i++)
        if (d->cache[i].orig == sql && !strcmp(d->cache[i].sql, sql))
            hit = i;
    for (size_t i = 0; i < d->n_cache && hit == d->n_cache; i++)
        if (!strcmp(d->cache[i].sql, sql))
            hit = i;
    if (hit < d->n_cache) {
        /* left reset and cleared by its last use */
        *cache_at = (int)hit;
        return d->cache[hit].st;
    }
    *cache_at = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->lite, sql, -1, &st, NULL) != SQLITE_OK) {
        set_err(d, "prepare", sqlite3_errmsg(d->lite));
        return NULL;
    }
    /* the first statements seen are kept prepared: the casebook runs a
     * small fixed set */
    if (d->n_cache < STMT_CACHE) {
        char *copy = strdup(sql);
        int n_slot = 0;
        int *slot = copy ? param_slots(st, &n_slot) : NULL;
        if (copy && slot) {
            d->cache[d->n_cache].orig = sql;
            d->cache[d->n_cache].sql = copy;
            d->cache[d->n_cache].st = st;
            d->cache[d->n_cache].slot = slot;
            d->cache[d->n_cache].n_slot = n_slot;
            *cache_at = (int)d->n_cache++;
        } else {
            free(copy);
        }
    }
    return st;
}

static int rows_grow(db_rows *out, size_t cols, size_t *cap)
{
    if (out->rows < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    char **c = realloc(out->cell, ncap * cols * sizeof *c);
    if (!c)
        return -1;
    out->cell = c;
    *cap = ncap;
    return 0;
}

static int lite_exec(db *d, const char *sql, int n, const char *const *params, db_rows *out)
{
    if (n == 0 && !out) {
        char *msg = NULL;
        if (sqlite3_exec(d->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
            int ext = sqlite3_errcode(d->lite);
            set_err(d, "", msg);
            sqlite3_free(msg);
            return (ext & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_FAILED;
        }
        return DB_OK;
    }
    int cache_at;
    sqlite3_stmt *st = lite_prepare(d, sql, &cache_at);
    if (!st)
        return DB_FAILED;
    int rc = DB_OK;
    for (int i = 0; i < n; i++) {
        int at;
        if (cache_at >= 0) {
            at = i < d->cache[cache_at].n_slot ? d->cache[cache_at].slot[i] : 0;
        } else {
            char name[16];
            snprintf(name, sizeof name, "$%d", i + 1);
            at = sqlite3_bind_parameter_index(st, name);
        }
        if (at <= 0)
            continue;
        /* the caller's text outlives the statement's use: it is reset and
         * its bindings cleared before this returns */
        if (params[i] ? sqlite3_bind_text(st, at, params[i], -1, SQLITE_STATIC)
                      : sqlite3_bind_null(st, at)) {
            set_err(d, "bind", sqlite3_errmsg(d->lite));
            rc = DB_FAILED;
            goto done;
        }
    }
    size_t cols = (size_t)sqlite3_column_count(st), cap = 0;
    if (out) {
        memset(out, 0, sizeof *out);
        out->cols = cols;
    }
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            set_err(d, "", sqlite3_errmsg(d->lite));
            rc = (sqlite3_errcode(d->lite) & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_FAILED;
            break;
        }
        if (!out || cols == 0)
            continue;
        if (rows_grow(out, cols, &cap) < 0) {
            set_err(d, "", "out of memory");
            rc = DB_FAILED;
            break;
        }
        for (size_t c = 0; c < cols; c++) {
            const unsigned char *t = sqlite3_column_text(st, (int)c);
            char *v = t ? strdup((const char *)t) : NULL;
            out->cell[out->rows * cols + c] = v;
        }
        out->rows++;
    }
    if (rc != DB_OK && out)
        db_rows_free(out);
done:
    if (cache_at >= 0) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    return rc;
}

/* ---- PostgreSQL ----------------------------------------------------------- */

static int pg_status(db *d, PGresult *r)
{
    ExecStatusType s = pq.resultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        return DB_OK;
    const char *state = pq.resultErrorField(r, PG_DIAG_SQLSTATE);
    set_err(d, "", r ? pq.resultErrorMessage(r) : pq.errorMessage(d->pg));
    return state && state[0] == '2' && state[1] == '3' ? DB_CONSTRAINT : DB_FAILED;
}

static int pg_exec(db *d, const char *sql, int n, const char *const *params, db_rows *out)
{
    PGresult *r = n == 0 && !out ? pq.exec(d->pg, sql)
                                 : pq.execParams(d->pg, sql, n, NULL, params, NULL, NULL, 0);
    int rc = pg_status(d, r);
    if (rc == DB_OK && out) {
        memset(out, 0, sizeof *out);
        size_t rows = (size_t)pq.ntuples(r), cols = (size_t)pq.nfields(r);
        out->cols = cols;
        if (rows && cols) {
            out->cell = calloc(rows * cols, sizeof *out->cell);
            if (!out->cell) {
                set_err(d, "", "out of memory");
                rc = DB_FAILED;
            } else {
                out->rows = rows;
                for (size_t i = 0; i < rows; i++)
                    for (size_t c = 0; c < cols; c++)
                        if (!pq.getisnull(r, (int)i, (int)c))
                            out->cell[i * cols + c] = strdup(pq.getvalue(r, (int)i, (int)c));
            }
        }
    }
    pq.clear(r);
    return rc;
}

/* ---- Common ---------------------------------------------------------------- */

int db_exec(db *d, const char *sql, int n_params, const char *const *params, db_rows *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    return d->kind == DB_POSTGRES ? pg_exec(d, sql, n_params, params, out)
                                  : lite_exec(d, sql, n_params, params, out);
}

int db_scalar(db *d, const char *sql, int n_params, const char *const *params, char *buf,
              size_t size)
{
    db_rows r;
    buf[0] = '\0';
    int rc = db_exec(d, sql, n_params, params, &r);
    if (rc != DB_OK)
        return rc;
    const char *v = db_cell(&r, 0, 0);
    if (v)
        snprintf(buf, size, "%s", v);
    db_rows_free(&r);
    return DB_OK;
}

int db_begin(db *d)
{
    return db_exec(d, d->kind == DB_POSTGRES ? "BEGIN" : "BEGIN IMMEDIATE", 0, NULL, NULL);
}

int db_commit(db *d) { return db_exec(d, "COMMIT", 0, NULL, NULL); }

int db_rollback(db *d) { return db_exec(d, "ROLLBACK", 0, NULL, NULL); }

int db_read_only(db *d)
{
    return db_exec(d, d->kind == DB_POSTGRES ? "SET default_transaction_read_only = on"
                                             : "PRAGMA query_only = ON", 0, NULL, NULL);
}

int db_begin_read(db *d)
{
    return db_exec(d, d->kind == DB_POSTGRES ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN",
                   0, NULL, NULL);
}

int db_end_read(db *d) { return db_exec(d, "COMMIT", 0, NULL, NULL); }
