/* db.h - the small SQL layer the casebook is written against.
 *
 * Two backends behind one interface: SQLite (a file path, the embedded
 * default) and PostgreSQL (a "postgres://" or "postgresql://" URI, libpq).
 * Statements use $1, $2, ... placeholders, which both accept; parameters
 * and results are text (NULL for SQL NULL), so the same statements and the
 * same schema serve both. A connection is not thread-safe: the caller
 * serialises use (the casebook holds a mutex). */
#ifndef INTERDICT_DB_H
#define INTERDICT_DB_H

#include <stddef.h>

typedef struct db db;

typedef enum db_backend { DB_SQLITE = 0, DB_POSTGRES = 1 } db_backend;

/* Result status of db_exec. */
enum { DB_OK = 0, DB_FAILED = -1, DB_CONSTRAINT = -2 };

typedef struct db_rows {
    size_t rows, cols;
    char **cell;          /* rows * cols strings, NULL for SQL NULL */
} db_rows;

/* True when target names a PostgreSQL database. */
int db_target_is_postgres(const char *target);

/* Opens a database; on failure writes a message to err and returns NULL. */
db *db_open(const char *target, char *err, size_t err_size);
void db_close(db *d);
db_backend db_kind(const db *d);

/* Runs one statement (several, separated by ';', when n_params is 0 and
 * out is NULL). Fills out (if not NULL) with the rows returned. */
int db_exec(db *d, const char *sql, int n_params, const char *const *params, db_rows *out);

/* Shortcut: one statement, the first column of the first row copied into
 * buf (empty when no row). Returns DB_OK, or DB_FAILED. */
int db_scalar(db *d, const char *sql, int n_params, const char *const *params, char *buf,
              size_t size);

int db_begin(db *d);           /* a write transaction (SQLite: IMMEDIATE) */
int db_commit(db *d);
int db_rollback(db *d);

/* A connection for reads only: writes through it fail. */
int db_read_only(db *d);
/* Statements between these see one snapshot of the database. */
int db_begin_read(db *d);
int db_end_read(db *d);

/* A connection for reads only: writes through it fail. */
int db_read_only(db *d);
/* Statements between these see one snapshot of the database. */
int db_begin_read(db *d);
int db_end_read(db *d);

const char *db_error(const db *d);   /* the last error message */

const char *db_cell(const db_rows *r, size_t row, size_t col);
void db_rows_free(db_rows *r);

#endif
