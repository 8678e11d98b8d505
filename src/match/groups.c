/* groups.c - which entries of different lists name the same party.
 *
 * A bank screens against several lists at once, and the EU, UK and OFAC
 * lists repeat most UN listings. One alert per party, with its sources,
 * is what an analyst needs. Entries are joined (union-find) when
 *  - one names the other: an EU or UK record carries the UN reference;
 *  - two name the same third record (EU and UK both implement QDi.006);
 *  - they are on different lists, of the same party type, hold the same
 *    document number (passport, national id, IMO, ...) and their dates of
 *    birth, where both give one, share a year. */
#include "index.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a != b)
        parent[a > b ? a : b] = a < b ? a : b;
}

/* ---- Keys: (list, ref) pairs and document numbers -------------------------- */

typedef struct key_item {
    uint64_t hash;
    uint32_t entry;
    uint8_t own;             /* the entry's own (list, ref), not a reference */
} key_item;

typedef struct key_vec {
    key_item *items;
    size_t n, cap;
} key_vec;

static int push_key(key_vec *v, uint64_t hash, uint32_t entry, uint8_t own)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 1024;
        key_item *p = realloc(v->items, cap * sizeof *p);
        if (!p)
            return -1;
        v->items = p;
        v->cap = cap;
    }
    v->items[v->n++] = (key_item){hash, entry, own};
    return 0;
}

/* The family of a list id: "ofac-cons" belongs to "ofac". References name
 * families ("un"), loaded lists may be more specific. */
static size_t family_len(const char *id)
{
    const char *dash = strchr(id, '-');
    return dash ? (size_t)(dash - id) : strlen(id);
}

static uint64_t ref_hash(const char *list, const char *ref)
{
    char buf[256];
    size_t fl = family_len(list);
    int n = snprintf(buf, sizeof buf, "%.*s\x1f%s", (int)fl, list, ref);
    if (n < 0)
        return 0;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)tolower((unsigned char)buf[i]);
    return hash_string(buf, len);
}

/* Letters and digits of a document number, upper-cased; 0 when fewer than
 * six remain (short numbers collide by chance). */
static size_t doc_key(const char *number, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = number; *p && n + 1 < cap; p++)
        if (isalnum((unsigned char)*p))
            out[n++] = (char)toupper((unsigned char)*p);
    out[n] = '\0';
    return n >= 6 ? n : 0;
}

static int cmp_key(const void *a, const void *b)
{
    const key_item *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return (x->entry > y->entry) - (x->entry < y->entry);
}

static bool years_agree(const interdict_entry *a, const interdict_entry *b)
{
    if (a->n_dobs == 0 || b->n_dobs == 0)
        return true;
    for (size_t i = 0; i < a->n_dobs; i++)
        for (size_t k = 0; k < b->n_dobs; k++) {
            const interdict_date *x = &a->dobs[i], *y = &b->dobs[k];
            if (x->kind == INTERDICT_DATE_TEXT || y->kind == INTERDICT_DATE_TEXT)
                return true;    /* unreadable date: no evidence either way */
            if (x->from_year <= y->to_year && y->from_year <= x->to_year)
                return true;
        }
    return false;
}

static void unite_runs(interdict_index *ix, uint32_t *parent, key_vec *v, bool documents)
{
    qsort(v->items, v->n, sizeof *v->items, cmp_key);
    for (size_t lo = 0, hi; lo < v->n; lo = hi) {
        for (hi = lo + 1; hi < v->n && v->items[hi].hash == v->items[lo].hash; hi++)
            ;
        for (size_t a = lo; a < hi; a++)
            for (size_t b = a + 1; b < hi; b++) {
                uint32_t x = v->items[a].entry, y = v->items[b].entry;
                if (!documents) {
                    /* two references alone join; two entries both owning
                     * the key are a clash within one list, not one party */
                    if (!(v->items[a].own && v->items[b].own))
                        unite(parent, x, y);
                    continue;
                }
                const interdict_entry *ex = ix->entries[x], *ey = ix->entries[y];
                if (ix->entry_list[x] != ix->entry_list[y] && ex->type == ey->type &&
                    years_agree(ex, ey))
                    unite(parent, x, y);
                if (hi - lo > 16)   /* a number shared that widely is no identifier */
                    break;
            }
    }
}

interdict_status index_build_groups(interdict_index *ix)
{
    size_t n = ix->n_entries;
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent);
    key_vec refs = {0}, docs = {0};
    int bad = !parent;
    for (size_t e = 0; e < n && !bad; e++) {
        parent[e] = (uint32_t)e;
        const interdict_entry *en = ix->entries[e];
        bad |= push_key(&refs, ref_hash(en->list, en->ref), (uint32_t)e, 1) < 0;
        for (size_t k = 0; k < en->n_crossrefs && !bad; k++)
            bad |= push_key(&refs, ref_hash(en->crossrefs[k].list, en->crossrefs[k].ref),
                            (uint32_t)e, 0) < 0;
        for (size_t k = 0; k < en->n_documents && !bad; k++) {
            char key[128];
            size_t len = doc_key(en->documents[k].number, key, sizeof key);
            if (len)
                bad |= push_key(&docs, hash_string(key, len), (uint32_t)e, 0) < 0;
        }
    }
    if (!bad) {
        unite_runs(ix, parent, &refs, false);
        if (ix->n_lists > 1)
            unite_runs(ix, parent, &docs, true);
    }
    free(refs.items);
    free(docs.items);

    /* Members of each group, in entry order (lists in load order). */
    uint32_t *count = bad ? NULL : calloc(n + 1, sizeof *count);
    ix->entry_group = bad ? NULL : malloc((n ? n : 1) * sizeof *ix->entry_group);
    ix->group_members = bad ? NULL : malloc((n ? n : 1) * sizeof *ix->group_members);
    ix->group_start = bad ? NULL : malloc((n + 1) * sizeof *ix->group_start);
    if (!count || !ix->entry_group || !ix->group_members || !ix->group_start) {
        free(parent);
        free(count);
        return INTERDICT_ERR_NOMEM;
    }
    for (size_t e = 0; e < n; e++) {
        uint32_t root = find(parent, (uint32_t)e);
        ix->entry_group[e] = root;       /* groups are numbered by their first entry */
        count[root]++;
    }
    uint32_t at = 0;
    for (size_t g = 0; g < n; g++) {
        ix->group_start[g] = at;
        at += count[g];
        count[g] = ix->group_start[g];
    }
    ix->group_start[n] = at;
    for (size_t e = 0; e < n; e++)
        ix->group_members[count[ix->entry_group[e]]++] = ix->entries[e];
    free(count);
    free(parent);
    return INTERDICT_OK;
}
