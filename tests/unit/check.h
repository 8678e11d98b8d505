/* check.h - minimal assertions for the unit tests, and the helpers the
 * list parsers' tests share.
 *
 * Each test file is its own executable registered with ctest. A failed
 * CHECK prints file:line and the expression and counts a failure; the
 * program's exit status is the number of failures (capped), so ctest sees
 * any failure. */
#ifndef INTERDICT_CHECK_H
#define INTERDICT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"

static int check_failures;
static int check_count;

#define CHECK(expr)                                                        \
    do {                                                                   \
        check_count++;                                                     \
        if (!(expr)) {                                                     \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr); \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *check_a_ = (a), *check_b_ = (b);                       \
        check_count++;                                                     \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {   \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", \
                    __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)", \
                    check_b_ ? check_b_ : "(null)");                        \
        }                                                                  \
    } while (0)

#define CHECK_DONE()                                                       \
    do {                                                                   \
        fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures); \
        return check_failures > 100 ? 100 : check_failures;                \
    } while (0)

/* Path of the repository's test data folder, set by CMake. */
#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif
#ifndef BUNDLED_LIST
#define BUNDLED_LIST "data/un/consolidated.xml"
#endif

/* ---- Lists ------------------------------------------------------------------ */

/* Static inline, so that a test using only some of these builds without
 * warnings. */

static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Loads a list file that must load; NULL (and a failed check) otherwise. */
static inline interdict_list *load_list(const char *path)
{
    interdict_list *list = NULL;
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = interdict_list_load(path, &list, &err);
    if (rc != INTERDICT_OK) {
        char msg[512];
        fprintf(stderr, "cannot load %s: %s\n", path,
                interdict_error_format(&err, msg, sizeof msg));
    }
    CHECK(rc == INTERDICT_OK && list != NULL);
    return list;
}

/* The same for data in memory, named `name`. */
static inline interdict_list *load_list_data(const char *data, size_t len, const char *name)
{
    interdict_list *list = NULL;
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = interdict_list_load_memory(data, len, name, &list, &err);
    if (rc != INTERDICT_OK) {
        char msg[512];
        fprintf(stderr, "unexpected error: %s\n", interdict_error_format(&err, msg, sizeof msg));
    }
    CHECK(rc == INTERDICT_OK && list != NULL);
    return list;
}

/* What a load that had to fail with `want` left behind: that status, no
 * list, and an error naming `file` and saying why. */
static inline void check_load_failed(interdict_status rc, interdict_list *list,
                                     const interdict_error *err, interdict_status want,
                                     const char *file)
{
    if (rc != want) {
        char msg[512];
        fprintf(stderr, "wanted %s, got %s: %s\n", interdict_status_name(want),
                interdict_status_name(rc), interdict_error_format(err, msg, sizeof msg));
    }
    CHECK(rc == want);
    CHECK(err->code == want);
    CHECK(list == NULL);
    CHECK_STR(err->file, file);
    CHECK(err->message[0] != '\0');
    if (rc == INTERDICT_OK)
        interdict_list_free(list);
}

/* Loads a list file that must fail with `want`, naming `file` (the file
 * itself, or one beside it that the list reads). Returns the error. */
static inline interdict_error load_bad_file(const char *path, interdict_status want,
                                            const char *file)
{
    interdict_list *list = (interdict_list *)&list;     /* must be reset to NULL */
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = interdict_list_load(path, &list, &err);
    check_load_failed(rc, list, &err, want, file);
    return err;
}

/* Loads data named `name` that must fail with `want`. Returns the error. */
static inline interdict_error load_bad_data(const char *data, size_t len, const char *name,
                                            interdict_status want)
{
    interdict_list *list = (interdict_list *)&list;     /* must be reset to NULL */
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = interdict_list_load_memory(data, len, name, &list, &err);
    check_load_failed(rc, list, &err, want, name);
    return err;
}

static inline const interdict_entry *find_entry(const interdict_list *list, const char *ref)
{
    for (size_t i = 0; list && i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        if (strcmp(e->ref, ref) == 0)
            return e;
    }
    return NULL;
}

/* The kind of the entry's name `text`, or -1 when it has no such name. */
static inline int name_kind(const interdict_entry *e, const char *text)
{
    for (size_t k = 0; e && k < e->n_names; k++)
        if (strcmp(e->names[k].text, text) == 0)
            return (int)e->names[k].kind;
    return -1;
}

/* 1 when the entry has the name with that kind. */
static inline int has_name(const interdict_entry *e, const char *text, interdict_name_kind kind)
{
    return name_kind(e, text) == (int)kind;
}

static inline int has_string(const char *const *items, size_t n, const char *s)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(items[k], s) == 0)
            return 1;
    return 0;
}

/* The entry's document with that number and type (NULL: any type). */
static inline const interdict_document *find_document(const interdict_entry *e,
                                                      const char *type, const char *number)
{
    for (size_t k = 0; e && k < e->n_documents; k++)
        if ((!type || strcmp(e->documents[k].type, type) == 0) &&
            strcmp(e->documents[k].number, number) == 0)
            return &e->documents[k];
    return NULL;
}

static inline int has_address(const interdict_entry *e, const char *text, const char *country)
{
    for (size_t k = 0; e && k < e->n_addresses; k++)
        if (strcmp(e->addresses[k].text, text) == 0 &&
            strcmp(e->addresses[k].country, country) == 0)
            return 1;
    return 0;
}

static inline int has_crossref(const interdict_entry *e, const char *list, const char *ref)
{
    for (size_t k = 0; e && k < e->n_crossrefs; k++)
        if (strcmp(e->crossrefs[k].list, list) == 0 && strcmp(e->crossrefs[k].ref, ref) == 0)
            return 1;
    return 0;
}

#endif
