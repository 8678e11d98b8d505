/* groups.c - which entries of different lists name the same party.
 *
 * A bank screens against several lists at once, and the EU, UK and OFAC
 * lists repeat most UN listings. One alert per party, with its sources,
 * is what an analyst needs. Entries are joined (union-find) when
 *  - one names the other: an EU or UK record carries the UN reference;
 *  - two name the same third record (EU and UK both implement QDi.006);
 *  - they are on different lists, of the same party type, hold the same
 *    document number (passport, national id, IMO, ...) and their dates of
 *    birth, where both give one, share a year;
 *  - they are on different lists, of the same party type, and carry the same
 *    name of two or more parts (in any order, articles aside; low-quality
 *    aliases do not count) and, for people, dates of birth sharing a year.
 *    OFAC records carry no UN reference, so this is how they meet theirs;
 *  - they are people on different lists born in the same year whose names
 *    share two or more uncommon parts.
 * Runs of more than MAX_RUN entries sharing a key identify nobody. */
#include "index.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_RUN = 16 };

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Joins two groups unless they have a list in common: a list names each
 * party once, so two of its entries are two parties, even when another
 * list folds them into one (OFAC gives Egyptian Islamic Jihad as a name of
 * al-Qaida; the UN lists both). lists[root] is the group's set of lists. */
static void unite(uint32_t *parent, uint64_t *lists, uint32_t a, uint32_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a == b || (lists[a] & lists[b]))
        return;
    uint32_t root = a < b ? a : b, child = a < b ? b : a;
    parent[child] = root;
    lists[root] |= lists[child];
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
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return y->own - x->own;   /* an entry's main name before its aliases */
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

/* Dates of birth given on both sides, with a year in common. */
static bool both_dated_and_agree(const interdict_entry *a, const interdict_entry *b)
{
    return a->n_dobs > 0 && b->n_dobs > 0 && years_agree(a, b);
}

typedef enum { KEY_REF, KEY_DOCUMENT, KEY_BIRTHDAY } key_kind;

/* A name part that tells people apart: a name word (not an article,
 * connector, honorific or filler) in at most UNCOMMON_DF listed names, so
 * Ali, Mohammad and Ibrahim do not count, Awwad, Laden and Akhund do. */
enum { UNCOMMON_DF = 50 };

static bool telling(const interdict_index *ix, uint32_t v)
{
    token_role role = (token_role)ix->vocab[v].tok.role;
    return role == ROLE_NAME || role == ROLE_ORG_WORD;
}

/* Entry e's names: ix->names[first[e] .. first[e + 1]). */
static size_t shared_parts(const interdict_index *ix, const uint32_t *first, uint32_t a,
                           uint32_t b, size_t *rare)
{
    size_t shared = 0;
    *rare = 0;
    uint32_t seen[64];
    size_t n_seen = 0;
    for (uint32_t i = first[a]; i < first[a + 1]; i++) {
        const indexed_name *na = &ix->names[i];
        for (size_t k = 0; k < na->n_tok; k++) {
            uint32_t v = ix->name_tokens[na->tok_start + k];
            bool dup = !telling(ix, v);
            for (size_t s = 0; s < n_seen && !dup; s++)
                dup = seen[s] == v;
            if (dup || n_seen == 64)
                continue;
            bool found = false;
            for (uint32_t j = first[b]; j < first[b + 1] && !found; j++) {
                const indexed_name *nb = &ix->names[j];
                for (size_t m = 0; m < nb->n_tok && !found; m++)
                    found = ix->name_tokens[nb->tok_start + m] == v;
            }
            seen[n_seen++] = v;
            if (found) {
                shared++;
                *rare += ix->vocab[v].df <= UNCOMMON_DF;
            }
        }
    }
    return shared;
}

static void unite_runs(interdict_index *ix, uint32_t *parent, uint64_t *lists, key_vec *v,
                       key_kind kind, const uint32_t *first)
{
    if (v->n > 1)
        qsort(v->items, v->n, sizeof *v->items, cmp_key);
    for (size_t lo = 0, hi; lo < v->n; lo = hi) {
        for (hi = lo + 1; hi < v->n && v->items[hi].hash == v->items[lo].hash; hi++)
            ;
        if (kind != KEY_REF && hi - lo > MAX_RUN)
            continue;
        for (size_t a = lo; a < hi; a++)
            for (size_t b = a + 1; b < hi; b++) {
                uint32_t x = v->items[a].entry, y = v->items[b].entry;
                if (kind == KEY_REF) {
                    /* two references alone join; two entries both owning
                     * the key are a clash within one list, not one party */
                    if (!(v->items[a].own && v->items[b].own))
                        unite(parent, lists, x, y);
                    continue;
                }
                const interdict_entry *ex = ix->entries[x], *ey = ix->entries[y];
                if (ix->entry_list[x] == ix->entry_list[y] || ex->type != ey->type)
                    continue;
                bool agree;
                size_t rare = 0;
                if (kind == KEY_DOCUMENT)
                    agree = years_agree(ex, ey);
                else if (kind == KEY_BIRTHDAY)
                    agree = shared_parts(ix, first, x, y, &rare) >= 2 && rare >= 2;
                else
                    agree = false;
                if (agree)
                    unite(parent, lists, x, y);
            }
    }
}

typedef struct name_pair {
    uint32_t a, b;
    int strength;            /* main names on both sides 2, one 1, none 0 */
} name_pair;

static int cmp_pair(const void *x, const void *y)
{
    const name_pair *p = x, *q = y;
    if (p->strength != q->strength)
        return q->strength - p->strength;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Same names join main name to main name first, so that a list giving one
 * party's name as another's alias does not decide who joins whom. */
static int unite_names(interdict_index *ix, uint32_t *parent, uint64_t *lists, key_vec *v)
{
    if (v->n > 1)
        qsort(v->items, v->n, sizeof *v->items, cmp_key);
    name_pair *pairs = NULL;
    size_t n = 0, cap = 0;
    for (size_t lo = 0, hi; lo < v->n; lo = hi) {
        for (hi = lo + 1; hi < v->n && v->items[hi].hash == v->items[lo].hash; hi++)
            ;
        if (hi - lo > MAX_RUN)
            continue;
        for (size_t a = lo; a < hi; a++)
            for (size_t b = a + 1; b < hi; b++) {
                uint32_t x = v->items[a].entry, y = v->items[b].entry;
                const interdict_entry *ex = ix->entries[x], *ey = ix->entries[y];
                if (ix->entry_list[x] == ix->entry_list[y] || ex->type != ey->type ||
                    (ex->type == INTERDICT_PARTY_PERSON && !both_dated_and_agree(ex, ey)))
                    continue;
                if (n == cap) {
                    cap = cap ? cap * 2 : 256;
                    name_pair *p = realloc(pairs, cap * sizeof *p);
                    if (!p) {
                        free(pairs);
                        return -1;
                    }
                    pairs = p;
                }
                pairs[n++] = (name_pair){x, y, v->items[a].own + v->items[b].own};
            }
    }
    if (n > 1)
        qsort(pairs, n, sizeof *pairs, cmp_pair);
    for (size_t i = 0; i < n; i++)
        unite(parent, lists, pairs[i].a, pairs[i].b);
    free(pairs);
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* A name's key: its tokens (vocabulary ids, articles left out), sorted, so
 * "AL-BADRI, Ibrahim" and "Ibrahim al-Badri" agree. 0 when it has fewer
 * than two such tokens, unless single words are allowed (an organisation's
 * main name: "AL-QAIDA", "HAMAS"). */
static uint64_t name_key(const interdict_index *ix, const indexed_name *nm, bool single)
{
    uint32_t ids[NAME_MAX_TOKENS];
    size_t n = 0;
    for (size_t k = 0; k < nm->n_tok && n < NAME_MAX_TOKENS; k++) {
        uint32_t v = ix->name_tokens[nm->tok_start + k];
        token_role role = (token_role)ix->vocab[v].tok.role;
        if (role != ROLE_ARTICLE && role != ROLE_HONORIFIC)
            ids[n++] = v;
    }
    if (n < (single ? 1u : 2u))
        return 0;
    qsort(ids, n, sizeof *ids, cmp_u32);
    return hash_string((const char *)ids, n * sizeof *ids) | 1;
}

/* Keys of a person for meeting the same person on another list: each year
 * of birth (ranges of up to three years give each) with each uncommon name
 * part. */
static int push_birth_keys(const interdict_index *ix, const uint32_t *first, uint32_t e,
                           key_vec *out)
{
    const interdict_entry *en = ix->entries[e];
    if (en->type != INTERDICT_PARTY_PERSON)
        return 0;
    int16_t years[8];
    size_t n_years = 0;
    for (size_t k = 0; k < en->n_dobs; k++) {
        const interdict_date *d = &en->dobs[k];
        if (d->kind == INTERDICT_DATE_TEXT || d->to_year - d->from_year > 2)
            continue;
        for (int y = d->from_year; y <= d->to_year && n_years < 8; y++)
            years[n_years++] = (int16_t)y;
    }
    for (uint32_t i = first[e]; i < first[e + 1]; i++) {
        const indexed_name *nm = &ix->names[i];
        for (size_t k = 0; k < nm->n_tok; k++) {
            uint32_t v = ix->name_tokens[nm->tok_start + k];
            if (!telling(ix, v) || ix->vocab[v].df > UNCOMMON_DF)
                continue;
            for (size_t y = 0; y < n_years; y++) {
                uint32_t key[2] = {v, (uint32_t)years[y]};
                if (push_key(out, hash_string((const char *)key, sizeof key), e, 0) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* One item per (key, entry): an entry's several names may share a key. */
static void dedupe_entries(key_vec *v)
{
    if (v->n > 1)
        qsort(v->items, v->n, sizeof *v->items, cmp_key);
    size_t out = 0;
    for (size_t i = 0; i < v->n; i++)
        if (out == 0 || v->items[out - 1].hash != v->items[i].hash ||
            v->items[out - 1].entry != v->items[i].entry)
            v->items[out++] = v->items[i];
    v->n = out;
}

interdict_status index_build_groups(interdict_index *ix)
{
    size_t n = ix->n_entries;
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent);
    uint64_t *lists = malloc((n ? n : 1) * sizeof *lists);
    key_vec refs = {0}, docs = {0};
    int bad = !parent || !lists;
    for (size_t e = 0; e < n && !bad; e++) {
        parent[e] = (uint32_t)e;
        lists[e] = (uint64_t)1 << ix->entry_list[e];
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
    key_vec names = {0}, birthdays = {0};
    uint32_t *first = NULL;
    if (!bad && ix->n_lists > 1) {
        first = calloc(n + 1, sizeof *first);
        bad |= !first;
    }
    if (!bad && ix->n_lists > 1) {
        /* names are indexed entry by entry, in entry order */
        size_t i = 0;
        for (size_t e = 0; e <= n; e++) {
            while (i < ix->n_names && ix->names[i].entry < e)
                i++;
            first[e] = (uint32_t)i;
        }
        for (size_t e = 0; e < n && !bad; e++)
            bad |= push_birth_keys(ix, first, (uint32_t)e, &birthdays) < 0;
    }
    if (!bad && ix->n_lists > 1)
        for (size_t i = 0; i < ix->n_names && !bad; i++) {
            const indexed_name *nm = &ix->names[i];
            const interdict_entry *en = ix->entries[nm->entry];
            /* a low-quality alias says little alone; a person's is
             * still checked against the dates of birth */
            if (nm->derived || (en->names[nm->name_no].kind == INTERDICT_NAME_ALIAS_LOW &&
                                en->type != INTERDICT_PARTY_PERSON))
                continue;
            uint64_t key = name_key(ix, nm, nm->name_no == 0 && en->type != INTERDICT_PARTY_PERSON);
            if (key)   /* own: 1 for a main name, which joins before aliases */
                bad |= push_key(&names, key, nm->entry, nm->name_no == 0) < 0;
        }
    if (!bad) {
        /* strongest evidence first: a join refused for a list clash
         * stays refused whatever weaker evidence says */
        unite_runs(ix, parent, lists, &refs, KEY_REF, first);
        if (ix->n_lists > 1) {
            unite_runs(ix, parent, lists, &docs, KEY_DOCUMENT, first);
            dedupe_entries(&names);
            bad |= unite_names(ix, parent, lists, &names) < 0;
            dedupe_entries(&birthdays);
            unite_runs(ix, parent, lists, &birthdays, KEY_BIRTHDAY, first);
        }
    }
    free(first);
    free(lists);
    lists = NULL;
    free(refs.items);
    free(docs.items);
    free(names.items);
    free(birthdays.items);

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
