/* dynlib.h - shared libraries bound when first needed.
 *
 * libcurl (downloads), libpq (PostgreSQL) and libmicrohttpd (the server)
 * bring some thirty shared libraries with them. Bound at start, they would
 * cost every process, each `screen` and `batch` run among them, several
 * milliseconds of symbol look-ups and page faults for code that only
 * `lists update`, `serve` and a PostgreSQL casebook run. The code using
 * them keeps a table of the functions it calls and fills it here once. */
#ifndef INTERDICT_DYNLIB_H
#define INTERDICT_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

/* One function to bind: its name and where its address goes, a function
 * pointer of the function's own type (written bytewise: POSIX gives every
 * function pointer the representation dlsym() returns). */
typedef struct dynlib_symbol {
    const char *name;
    void *slot;
    size_t slot_size;
} dynlib_symbol;

/* Opens soname (kept open for the life of the process) and fills every
 * slot; false with a message naming the library or the missing function. */
bool dynlib_bind(const char *soname, const dynlib_symbol *symbols, size_t n, char *err,
                 size_t err_size);

#define DYNLIB_SLOT(name, fp) {name, &(fp), sizeof(fp)}

#endif
