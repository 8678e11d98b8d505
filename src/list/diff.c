/* diff.c - what changed between two versions of a list.
 *
 * Entries are matched by their reference. Each field is compared as a set
 * of values written out as text, so reordering the same values is no
 * change while any added, removed or edited value is. */
#include "list.h"
#include "../util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const FIELD_NAMES[INTERDICT_FIELD_COUNT] = {
    "names", "type", "programs", "dobs", "places_of_birth", "nationalities", "documents",
    "addresses", "titles", "designations", "listed_on", "gender", "comments", "crossrefs"};

const char *interdict_field_name(unsigned field)
{
    for (unsigned i = 0; i < INTERDICT_FIELD_COUNT; i++)
        if (field == 1u << i)
            return FIELD_NAMES[i];
    return "?";
}

/* ---- Field values as sorted text ---------------------------------------- */

typedef struct value_set {
    char **items;
    size_t n, cap;
    int oom;
} value_set;

/* Adds "a|b|c|d" (empty parts stay empty: the separators keep fields apart). */
static void set_add(value_set *v, const char *a, const char *b, const char *c, const char *d)
{
    if (v->oom)
        return;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        char **p = realloc(v->items, cap * sizeof *p);
        if (!p) {
            v->oom = 1;
            return;
        }
        v->items = p;
        v->cap = cap;
    }
    a = a ? a : "", b = b ? b : "", c = c ? c : "", d = d ? d : "";
    int len = snprintf(NULL, 0, "%s|%s|%s|%s", a, b, c, d);
    char *s = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (!s) {
        v->oom = 1;
        return;
    }
    snprintf(s, (size_t)len + 1, "%s|%s|%s|%s", a, b, c, d);
    v->items[v->n++] = s;
}

static void set_clear(value_set *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    v->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *KIND_WORDS[] = {"primary", "alias", "low", "original"};

static void date_text(const interdict_date *d, char *buf, size_t size)
{
    snprintf(buf, size, "%d/%04d-%02d-%02d/%04d-%02d-%02d", (int)d->kind, d->from_year,
             d->from_month, d->from_day, d->to_year, d->to_month, d->to_day);
}

static void field_values(const interdict_entry *e, unsigned field, value_set *v)
{
    char buf[64];
    const char *const *strs = NULL;
    size_t n = 0;
    switch (field) {
    case INTERDICT_FIELD_NAMES:
        for (size_t i = 0; i < e->n_names; i++)
            set_add(v, KIND_WORDS[e->names[i].kind & 3], e->names[i].text, "", "");
        return;
    case INTERDICT_FIELD_TYPE:
        snprintf(buf, sizeof buf, "%d", (int)e->type);
        set_add(v, buf, "", "", "");
        return;
    case INTERDICT_FIELD_PROGRAMS:
        set_add(v, "regime", e->regime, "", "");
        strs = e->programs, n = e->n_programs;
        break;
    case INTERDICT_FIELD_DOBS:
        for (size_t i = 0; i < e->n_dobs; i++) {
            date_text(&e->dobs[i], buf, sizeof buf);
            set_add(v, buf, e->dobs[i].note, "", "");
        }
        return;
    case INTERDICT_FIELD_PLACES_OF_BIRTH:
        strs = e->places_of_birth, n = e->n_places_of_birth;
        break;
    case INTERDICT_FIELD_NATIONALITIES:
        strs = e->nationalities, n = e->n_nationalities;
        break;
    case INTERDICT_FIELD_DOCUMENTS:
        for (size_t i = 0; i < e->n_documents; i++) {
            const interdict_document *d = &e->documents[i];
            set_add(v, d->type, d->number, d->country, d->note);
        }
        return;
    case INTERDICT_FIELD_ADDRESSES:
        for (size_t i = 0; i < e->n_addresses; i++)
            set_add(v, e->addresses[i].text, e->addresses[i].country, "", "");
        return;
    case INTERDICT_FIELD_TITLES:
        strs = e->titles, n = e->n_titles;
        break;
    case INTERDICT_FIELD_DESIGNATIONS:
        strs = e->designations, n = e->n_designations;
        break;
    case INTERDICT_FIELD_LISTED_ON:
        set_add(v, e->listed_on, "", "", "");
        return;
    case INTERDICT_FIELD_GENDER:
        set_add(v, e->gender, "", "", "");
        return;
    case INTERDICT_FIELD_COMMENTS:
        set_add(v, e->comments, "", "", "");
        return;
    case INTERDICT_FIELD_CROSSREFS:
        for (size_t i = 0; i < e->n_crossrefs; i++)
            set_add(v, e->crossrefs[i].list, e->crossrefs[i].ref, "", "");
        return;
    }
    for (size_t i = 0; i < n; i++)
        set_add(v, strs[i], "", "", "");
}

/* Bits of the fields that differ; -1 when out of memory. */
static long changed_fields(const interdict_entry *a, const interdict_entry *b)
{
    value_set x = {0}, y = {0};
    long bits = 0;
    for (unsigned i = 0; i < INTERDICT_FIELD_COUNT && bits >= 0; i++) {
        unsigned f = 1u << i;
        set_clear(&x);
        set_clear(&y);
        field_values(a, f, &x);
        field_values(b, f, &y);
        if (x.oom || y.oom) {
            bits = -1;
            break;
        }
        if (x.n > 1)
            qsort(x.items, x.n, sizeof *x.items, cmp_str);
        if (y.n > 1)
            qsort(y.items, y.n, sizeof *y.items, cmp_str);
        int same = x.n == y.n;
        for (size_t k = 0; same && k < x.n; k++)
            same = strcmp(x.items[k], y.items[k]) == 0;
        if (!same)
            bits |= (long)f;
    }
    set_clear(&x);
    set_clear(&y);
    free(x.items);
    free(y.items);
    return bits;
}

/* ---- Matching entries by reference -------------------------------------- */

typedef struct ref_index {
    const interdict_entry *entry;
    size_t pos;
} ref_index;

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(((const ref_index *)a)->entry->ref, ((const ref_index *)b)->entry->ref);
}

static ref_index *sorted_refs(const interdict_list *l)
{
    size_t n = interdict_list_count(l);
    ref_index *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return NULL;
    for (size_t i = 0; i < n; i++)
        r[i] = (ref_index){interdict_list_entry(l, i), i};
    qsort(r, n, sizeof *r, cmp_ref);
    return r;
}

static const ref_index *find_ref(const ref_index *r, size_t n, const char *ref)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r[mid].entry->ref, ref);
        if (c == 0)
            return &r[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

interdict_status interdict_list_diff(const interdict_list *old_list,
                                     const interdict_list *new_list,
                                     interdict_change **out, size_t *n,
                                     interdict_error *err)
{
    clear_error(err);
    *out = NULL;
    *n = 0;
    if (!old_list || !new_list)
        return set_error(err, INTERDICT_ERR_INVALID, "<diff>", 0, "", "missing list");
    if (strcmp(interdict_list_id(old_list), interdict_list_id(new_list)) != 0)
        return set_error(err, INTERDICT_ERR_INVALID, interdict_list_source(new_list), 0, "",
                         "cannot compare list \"%s\" with list \"%s\"",
                         interdict_list_id(old_list), interdict_list_id(new_list));
    size_t n_old = interdict_list_count(old_list), n_new = interdict_list_count(new_list);
    ref_index *ro = sorted_refs(old_list), *rn = sorted_refs(new_list);
    interdict_change *changes = malloc((n_old + n_new + 1) * sizeof *changes);
    size_t count = 0;
    int oom = !ro || !rn || !changes;
    for (size_t i = 0; i < n_old && !oom; i++) {
        const interdict_entry *e = interdict_list_entry(old_list, i);
        const ref_index *m = find_ref(rn, n_new, e->ref);
        if (!m) {
            changes[count++] = (interdict_change){INTERDICT_CHANGE_REMOVED, e, NULL, 0};
            continue;
        }
        long bits = changed_fields(e, m->entry);
        if (bits < 0)
            oom = 1;
        else if (bits)
            changes[count++] = (interdict_change){INTERDICT_CHANGE_CHANGED, e, m->entry,
                                                  (unsigned)bits};
    }
    for (size_t i = 0; i < n_new && !oom; i++) {
        const interdict_entry *e = interdict_list_entry(new_list, i);
        if (!find_ref(ro, n_old, e->ref))
            changes[count++] = (interdict_change){INTERDICT_CHANGE_ADDED, NULL, e, 0};
    }
    free(ro);
    free(rn);
    if (oom) {
        free(changes);
        return set_error(err, INTERDICT_ERR_NOMEM, "<diff>", 0, "", "out of memory");
    }
    *out = changes;
    *n = count;
    return INTERDICT_OK;
}
