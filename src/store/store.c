/* store.c - list versions kept in SQLite.
 *
 * SQLite is the embedded default store: one file, transactions that survive
 * a crash (WAL, synchronous=FULL), safe for several processes. A version is
 * written in one transaction with its files, so a failed import leaves the
 * previous version active and complete. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "../list/list.h"
#include "../util/error.h"
#include "../util/sha256.h"

#include <sqlite3.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct interdict_store {
    sqlite3 *db;
    char path[512];
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS list_versions("
    " id INTEGER PRIMARY KEY,"
    " list_id TEXT NOT NULL, format TEXT NOT NULL, generated TEXT NOT NULL,"
    " imported_at TEXT NOT NULL, origin TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " bytes INTEGER NOT NULL, entries INTEGER NOT NULL,"
    " UNIQUE(list_id, sha256));"
    "CREATE TABLE IF NOT EXISTS list_files("
    " version_id INTEGER NOT NULL REFERENCES list_versions(id),"
    " seq INTEGER NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " content BLOB NOT NULL, PRIMARY KEY(version_id, seq));"
    "CREATE TABLE IF NOT EXISTS active_lists("
    " list_id TEXT PRIMARY KEY,"
    " version_id INTEGER NOT NULL REFERENCES list_versions(id),"
    " since TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS job_marks("
    " job TEXT NOT NULL, list_id TEXT NOT NULL,"
    " version_id INTEGER NOT NULL REFERENCES list_versions(id),"
    " at TEXT NOT NULL, PRIMARY KEY(job, list_id));";

static interdict_status db_error(interdict_store *s, interdict_error *err, const char *what)
{
    return set_error(err, INTERDICT_ERR_IO, s->path, 0, "", "%s: %s", what,
                     sqlite3_errmsg(s->db));
}

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

interdict_status interdict_store_open(const char *path, interdict_store **out,
                                      interdict_error *err)
{
    clear_error(err);
    *out = NULL;
    interdict_store *s = calloc(1, sizeof *s);
    if (!s)
        return set_error(err, INTERDICT_ERR_NOMEM, path, 0, "", "out of memory");
    snprintf(s->path, sizeof s->path, "%s", path);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                          SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        interdict_status rc = set_error(err, INTERDICT_ERR_IO, path, 0, "",
                                        "cannot open the store: %s",
                                        s->db ? sqlite3_errmsg(s->db) : "out of memory");
        interdict_store_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 10000);
    char *msg = NULL;
    if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                            "PRAGMA foreign_keys=ON;", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(s->db, SCHEMA, NULL, NULL, &msg) != SQLITE_OK) {
        interdict_status rc = set_error(err, INTERDICT_ERR_IO, path, 0, "",
                                        "not a usable store: %s", msg ? msg : "?");
        sqlite3_free(msg);
        interdict_store_close(s);
        return rc;
    }
    *out = s;
    return INTERDICT_OK;
}

void interdict_store_close(interdict_store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    free(s);
}

/* ---- Importing ---------------------------------------------------------- */

typedef struct file_copy {
    char *data;
    size_t len;
    const char *name;        /* base name */
    char sha256[65];
} file_copy;

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Reads the list's files again and checks they are what was parsed. */
static interdict_status read_files(const interdict_list *list, file_copy *files,
                                   size_t *n, interdict_error *err)
{
    *n = 0;
    size_t count = interdict_list_file_count(list);
    for (size_t i = 0; i < count; i++) {
        const char *path = interdict_list_file(list, i);
        file_copy *f = &files[i];
        interdict_status rc = list_read_file(path, &f->data, &f->len, err);
        if (rc != INTERDICT_OK)
            return rc;
        (*n)++;
        f->name = base_name(path);
        sha256_hex(f->data, f->len, f->sha256);
        if (i > 0 && strcmp(f->sha256, list->files[i - 1].sha256) != 0)
            return set_error(err, INTERDICT_ERR_IO, path, 0, "",
                             "file changed after it was loaded; import it again");
    }
    char digest[65];
    if (count == 1) {
        memcpy(digest, files[0].sha256, sizeof digest);
    } else {
        char joined[(LIST_MAX_FILES + 1) * 65];
        size_t at = 0;
        for (size_t i = 0; i < count; i++) {
            if (i)
                joined[at++] = '\n';
            memcpy(joined + at, files[i].sha256, 64);
            at += 64;
        }
        sha256_hex(joined, at, digest);
    }
    if (strcmp(digest, interdict_list_checksum(list)) != 0)
        return set_error(err, INTERDICT_ERR_IO, interdict_list_source(list), 0, "",
                         "file changed after it was loaded; import it again");
    return INTERDICT_OK;
}

static void copy_text(char *dst, size_t cap, const unsigned char *src)
{
    snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

static void row_to_version(sqlite3_stmt *st, interdict_list_version *v)
{
    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(st, 0);
    copy_text(v->list_id, sizeof v->list_id, sqlite3_column_text(st, 1));
    copy_text(v->format, sizeof v->format, sqlite3_column_text(st, 2));
    copy_text(v->generated, sizeof v->generated, sqlite3_column_text(st, 3));
    copy_text(v->imported_at, sizeof v->imported_at, sqlite3_column_text(st, 4));
    copy_text(v->origin, sizeof v->origin, sqlite3_column_text(st, 5));
    copy_text(v->sha256, sizeof v->sha256, sqlite3_column_text(st, 6));
    v->bytes = sqlite3_column_int64(st, 7);
    v->entries = sqlite3_column_int64(st, 8);
    v->active = sqlite3_column_int(st, 9);
}

#define VERSION_COLUMNS                                                                     \
    "v.id, v.list_id, v.format, v.generated, v.imported_at, v.origin, v.sha256, v.bytes, " \
    "v.entries, (a.version_id = v.id) "

static int64_t active_version(interdict_store *s, const char *list_id, int64_t *entries)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    *entries = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT v.id, v.entries FROM active_lists a JOIN list_versions v"
                                  " ON v.id = a.version_id WHERE a.list_id = ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, list_id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            *entries = sqlite3_column_int64(st, 1);
        }
    }
    sqlite3_finalize(st);
    return id;
}

static interdict_status get_version(interdict_store *s, int64_t id, interdict_list_version *v,
                                    interdict_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT " VERSION_COLUMNS "FROM list_versions v LEFT JOIN"
                                  " active_lists a ON a.list_id = v.list_id WHERE v.id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "reading versions");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_version(st, v);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return set_error(err, INTERDICT_ERR_INVALID, s->path, 0, "version",
                         "no list version %lld in the store", (long long)id);
    return INTERDICT_OK;
}

/* Inserts the version and its files, or finds the identical one. */
static interdict_status insert_version(interdict_store *s, const interdict_list *list,
                                       const char *origin, const file_copy *files, size_t n,
                                       int64_t *id, int *unchanged, interdict_error *err)
{
    sqlite3_stmt *st = NULL;
    *unchanged = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM list_versions WHERE list_id = ? AND sha256 = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "reading versions");
    sqlite3_bind_text(st, 1, interdict_list_id(list), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, interdict_list_checksum(list), -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *unchanged = 1;
    }
    sqlite3_finalize(st);
    if (*unchanged)
        return INTERDICT_OK;

    int64_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += (int64_t)files[i].len;
    char now[32];
    utc_now(now);
    if (sqlite3_prepare_v2(s->db, "INSERT INTO list_versions(list_id, format, generated,"
                                  " imported_at, origin, sha256, bytes, entries)"
                                  " VALUES(?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "storing the version");
    sqlite3_bind_text(st, 1, interdict_list_id(list), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, interdict_list_format(list), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, interdict_list_generated(list), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, interdict_list_checksum(list), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, bytes);
    sqlite3_bind_int64(st, 8, (int64_t)interdict_list_count(list));
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(s, err, "storing the version");
    *id = sqlite3_last_insert_rowid(s->db);

    if (sqlite3_prepare_v2(s->db, "INSERT INTO list_files(version_id, seq, name, sha256, content)"
                                  " VALUES(?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "storing the files");
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_int(st, 2, (int)i);
        sqlite3_bind_text(st, 3, files[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, files[i].sha256, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 5, files[i].data, files[i].len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            interdict_status e = db_error(s, err, "storing the files");
            sqlite3_finalize(st);
            return e;
        }
    }
    sqlite3_finalize(st);
    return INTERDICT_OK;
}

static interdict_status make_active(interdict_store *s, const char *list_id, int64_t id,
                                    interdict_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    utc_now(now);
    if (sqlite3_prepare_v2(s->db, "INSERT INTO active_lists(list_id, version_id, since)"
                                  " VALUES(?,?,?) ON CONFLICT(list_id) DO UPDATE SET"
                                  " version_id = excluded.version_id, since = excluded.since",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "activating the version");
    sqlite3_bind_text(st, 1, list_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? INTERDICT_OK : db_error(s, err, "activating the version");
}

interdict_status interdict_store_import(interdict_store *s, const interdict_list *list,
                                        const char *origin, double min_ratio,
                                        interdict_list_version *out, int *unchanged,
                                        interdict_error *err)
{
    clear_error(err);
    int same = 0;
    if (unchanged)
        *unchanged = 0;
    if (!s || !list)
        return set_error(err, INTERDICT_ERR_INVALID, "<store>", 0, "", "missing argument");
    const char *list_id = interdict_list_id(list);
    size_t count = interdict_list_count(list);
    if (count == 0)
        return set_error(err, INTERDICT_ERR_INVALID, interdict_list_source(list), 0, "",
                         "list has no entries; not stored");
    file_copy files[LIST_MAX_FILES + 1];
    memset(files, 0, sizeof files);
    size_t n_files = 0;
    interdict_status rc = read_files(list, files, &n_files, err);
    if (rc == INTERDICT_OK && sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_error(s, err, "starting a transaction");
    else if (rc == INTERDICT_OK) {
        int64_t prev_entries = 0, id = 0;
        int64_t prev = active_version(s, list_id, &prev_entries);
        if (prev && min_ratio > 0 && (double)count < min_ratio * (double)prev_entries)
            rc = set_error(err, INTERDICT_ERR_INVALID, interdict_list_source(list), 0, "",
                           "implausible: %zu entries against %lld in the active version %lld"
                           " (below %.0f%%); not stored", count, (long long)prev_entries,
                           (long long)prev, min_ratio * 100);
        if (rc == INTERDICT_OK)
            rc = insert_version(s, list, origin ? origin : interdict_list_source(list), files,
                                n_files, &id, &same, err);
        if (rc == INTERDICT_OK && id != prev)
            rc = make_active(s, list_id, id, err);
        if (rc == INTERDICT_OK && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = db_error(s, err, "committing");
        if (rc != INTERDICT_OK)
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        if (rc == INTERDICT_OK && out)
            rc = get_version(s, id, out, err);
        if (unchanged)
            *unchanged = same;
    }
    for (size_t i = 0; i < n_files; i++)
        free(files[i].data);
    return rc;
}

interdict_status interdict_store_versions(interdict_store *s, const char *list_id,
                                          int active_only, interdict_list_version **out,
                                          size_t *n, interdict_error *err)
{
    clear_error(err);
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT " VERSION_COLUMNS "FROM list_versions v LEFT JOIN active_lists a ON"
             " a.list_id = v.list_id WHERE (?1 IS NULL OR v.list_id = ?1) %s"
             " ORDER BY v.list_id, v.id DESC",
             active_only ? "AND a.version_id = v.id" : "");
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "reading versions");
    if (list_id)
        sqlite3_bind_text(st, 1, list_id, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            interdict_list_version *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                free(*out);
                *out = NULL;
                *n = 0;
                return set_error(err, INTERDICT_ERR_NOMEM, s->path, 0, "", "out of memory");
            }
            *out = p;
        }
        row_to_version(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return db_error(s, err, "reading versions");
    }
    return INTERDICT_OK;
}

/* ---- Loading a stored version ------------------------------------------- */

/* The files are written to a private temporary folder under their own
 * names, so that a file set (OFAC CSV) is read exactly as on import. */
interdict_status interdict_store_load(interdict_store *s, int64_t version_id,
                                      interdict_list **out, interdict_error *err)
{
    clear_error(err);
    *out = NULL;
    interdict_list_version v;
    interdict_status rc = get_version(s, version_id, &v, err);
    if (rc != INTERDICT_OK)
        return rc;
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/interdict-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return set_error(err, INTERDICT_ERR_IO, dir, 0, "", "cannot create a temporary folder: %s",
                         strerror(errno));
    sqlite3_stmt *st = NULL;
    char main_path[1024] = "";
    char written[LIST_MAX_FILES + 1][1024];
    size_t n_written = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT name, sha256, content FROM list_files"
                                  " WHERE version_id = ? ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
        rc = db_error(s, err, "reading the files");
    else
        sqlite3_bind_int64(st, 1, version_id);
    while (rc == INTERDICT_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *sum = (const char *)sqlite3_column_text(st, 1);
        const void *blob = sqlite3_column_blob(st, 2);
        size_t len = (size_t)sqlite3_column_bytes(st, 2);
        char digest[65];
        sha256_hex(blob ? blob : "", len, digest);
        if (!name || strchr(name, '/') || !sum || strcmp(digest, sum) != 0 ||
            n_written > LIST_MAX_FILES) {
            rc = set_error(err, INTERDICT_ERR_FORMAT, s->path, 0, "list_files",
                           "stored file of version %lld is damaged", (long long)version_id);
            break;
        }
        char *path = written[n_written];
        snprintf(path, sizeof written[0], "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        if (!f || (len && fwrite(blob, 1, len, f) != len) || fclose(f) != 0) {
            rc = set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot write: %s", strerror(errno));
            break;
        }
        if (n_written++ == 0)
            memcpy(main_path, path, sizeof main_path);
    }
    sqlite3_finalize(st);
    if (rc == INTERDICT_OK && !main_path[0])
        rc = set_error(err, INTERDICT_ERR_FORMAT, s->path, 0, "list_files",
                       "version %lld has no files", (long long)version_id);
    interdict_list *list = NULL;
    if (rc == INTERDICT_OK)
        rc = interdict_list_load(main_path, &list, err);
    if (rc == INTERDICT_OK && strcmp(interdict_list_checksum(list), v.sha256) != 0)
        rc = set_error(err, INTERDICT_ERR_FORMAT, s->path, 0, "list_files",
                       "version %lld does not match its checksum", (long long)version_id);
    if (rc == INTERDICT_OK) {
        /* name the version, not the temporary copy */
        char label[1100];
        snprintf(label, sizeof label, "%s#%lld (%s)", s->path, (long long)version_id, v.origin);
        const char *src = arena_strdup(&list->mem, label);
        if (src)
            list->source = src;
    }
    for (size_t i = 0; i < n_written; i++)
        unlink(written[i]);
    rmdir(dir);
    if (rc != INTERDICT_OK) {
        interdict_list_free(list);
        return rc;
    }
    *out = list;
    return INTERDICT_OK;
}

/* ---- Job marks ---------------------------------------------------------- */

interdict_status interdict_store_get_mark(interdict_store *s, const char *job,
                                          const char *list_id, int64_t *version_id,
                                          interdict_error *err)
{
    *version_id = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT version_id FROM job_marks WHERE job = ? AND list_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "reading marks");
    sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, list_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *version_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return INTERDICT_OK;
}

interdict_status interdict_store_set_mark(interdict_store *s, const char *job,
                                          const char *list_id, int64_t version_id,
                                          interdict_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    utc_now(now);
    if (sqlite3_prepare_v2(s->db, "INSERT INTO job_marks(job, list_id, version_id, at)"
                                  " VALUES(?,?,?,?) ON CONFLICT(job, list_id) DO UPDATE SET"
                                  " version_id = excluded.version_id, at = excluded.at",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "writing marks");
    sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, list_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, version_id);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? INTERDICT_OK : db_error(s, err, "writing marks");
}
