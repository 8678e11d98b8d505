/* builder.c - assembling list entries, shared by every list parser. */
#include "builder.h"
#include "../util/error.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *ref;
    long line;
} ref_item;

static void vec_init(builder_vec *v, size_t size)
{
    memset(v, 0, sizeof *v);
    v->size = size;
}

void *builder_vec_push(builder_vec *v, int *oom)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        unsigned char *q = cap <= SIZE_MAX / v->size ? realloc(v->items, cap * v->size) : NULL;
        if (!q) {
            *oom = 1;
            return NULL;
        }
        v->items = q;
        v->cap = cap;
    }
    void *slot = v->items + v->n++ * v->size;
    memset(slot, 0, v->size);
    return slot;
}

const void *builder_vec_take(builder_vec *v, arena *mem, int *oom, size_t *count)
{
    *count = 0;
    if (v->n == 0)
        return NULL;
    void *out = arena_alloc(mem, v->n * v->size);
    if (!out) {
        *oom = 1;
        v->n = 0;
        return NULL;
    }
    memcpy(out, v->items, v->n * v->size);
    *count = v->n;
    v->n = 0;
    return out;
}

static void *vec_push(entry_builder *b, builder_vec *v) { return builder_vec_push(v, &b->oom); }

static const void *vec_take(entry_builder *b, builder_vec *v, size_t *count)
{
    return builder_vec_take(v, &b->list->mem, &b->oom, count);
}

void builder_init(entry_builder *b, interdict_list *list, const char *file)
{
    memset(b, 0, sizeof *b);
    b->list = list;
    b->file = file ? file : "<memory>";
    vec_init(&b->names, sizeof(interdict_name));
    vec_init(&b->dobs, sizeof(interdict_date));
    vec_init(&b->places, sizeof(const char *));
    vec_init(&b->nationalities, sizeof(const char *));
    vec_init(&b->documents, sizeof(interdict_document));
    vec_init(&b->addresses, sizeof(interdict_address));
    vec_init(&b->titles, sizeof(const char *));
    vec_init(&b->designations, sizeof(const char *));
    vec_init(&b->programs, sizeof(const char *));
    vec_init(&b->crossrefs, sizeof(interdict_crossref));
    vec_init(&b->refs, sizeof(ref_item));
}

void builder_free(entry_builder *b)
{
    builder_vec *all[] = {&b->names, &b->dobs, &b->places, &b->nationalities,
                          &b->documents, &b->addresses, &b->titles, &b->designations,
                          &b->programs, &b->crossrefs, &b->refs};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]->items);
    free(b->scratch);
    memset(b, 0, sizeof *b);
}

/* ---- Text buffers ------------------------------------------------------- */

int builder_buf_reserve(builder_buf *t, size_t extra, int *oom)
{
    if (t->cap - t->len > extra)
        return 1;
    size_t cap = t->cap ? t->cap : 256;
    while (cap - t->len <= extra) {
        if (cap > SIZE_MAX / 2) {
            *oom = 1;
            return 0;
        }
        cap *= 2;
    }
    char *q = realloc(t->s, cap);
    if (!q) {
        *oom = 1;
        return 0;
    }
    t->s = q;
    t->cap = cap;
    return 1;
}

void builder_buf_add(builder_buf *t, const char *s, size_t n, int *oom)
{
    if (!builder_buf_reserve(t, n, oom))
        return;
    if (n)
        memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void builder_buf_reset(builder_buf *t)
{
    t->len = 0;
    if (t->s)
        t->s[0] = '\0';
}

const char *builder_buf_str(const builder_buf *t)
{
    return t->len ? t->s : "";
}

/* ---- Text --------------------------------------------------------------- */

/* Length of a Unicode space at s (ASCII white space, no-break and other
 * typographic spaces), or 0; zero-width spaces and BOMs count as spaces
 * of length 3 that produce nothing. */
static size_t space_len(const unsigned char *s, const unsigned char *end, int *visible)
{
    size_t left = (size_t)(end - s);
    *visible = 1;
    if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        return 1;
    if (left >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (left < 3)
        return 0;
    if (s[0] == 0xE2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 ||
                                         s[2] == 0xA9 || s[2] == 0xAF))
        return 3;
    if ((s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
        (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80))
        return 3;
    if ((s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8B) ||
        (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)) {
        *visible = 0;
        return 3;
    }
    return 0;
}

const char *builder_text(entry_builder *b, const char *s, size_t n)
{
    if (!s || n == 0)
        return "";
    if (n + 1 > b->scratch_cap) {
        char *q = realloc(b->scratch, n + 1);
        if (!q) {
            b->oom = 1;
            return "";
        }
        b->scratch = q;
        b->scratch_cap = n + 1;
    }
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    size_t len = 0;
    int pending = 0;
    while (u < end) {
        int visible;
        size_t k = space_len(u, end, &visible);
        if (k) {
            pending |= visible && len > 0;
            u += k;
            continue;
        }
        if (*u == '\0') {           /* embedded NUL: treated as a space */
            pending = len > 0;
            u++;
            continue;
        }
        if (pending)
            b->scratch[len++] = ' ';
        pending = 0;
        b->scratch[len++] = (char)*u++;
    }
    if (len == 0)
        return "";
    char *copy = arena_strndup(&b->list->mem, b->scratch, len);
    if (!copy) {
        b->oom = 1;
        return "";
    }
    return copy;
}

const char *builder_str(entry_builder *b, const char *s)
{
    return s ? builder_text(b, s, strlen(s)) : "";
}

/* ---- Entries ------------------------------------------------------------ */

void builder_begin(entry_builder *b, const char *ref, interdict_party_type type, long line)
{
    b->open = 1;
    b->line = line;
    memset(&b->entry, 0, sizeof b->entry);
    b->entry.ref = builder_str(b, ref);
    b->entry.list = b->list->id;
    b->entry.type = type;
    b->entry.regime = b->entry.source_id = b->entry.listed_on = "";
    b->entry.gender = b->entry.comments = "";
    builder_vec *all[] = {&b->names, &b->dobs, &b->places, &b->nationalities,
                          &b->documents, &b->addresses, &b->titles, &b->designations,
                          &b->programs, &b->crossrefs};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        all[i]->n = 0;
}

void builder_name_n(entry_builder *b, const char *s, size_t n, interdict_name_kind kind)
{
    const char *text = builder_text(b, s, n);
    if (!*text)
        return;
    interdict_name *have = (interdict_name *)b->names.items;
    for (size_t i = 0; i < b->names.n; i++)
        if (strcmp(have[i].text, text) == 0) {
            if (kind == INTERDICT_NAME_PRIMARY)
                have[i].kind = kind;
            return;
        }
    interdict_name *slot = vec_push(b, &b->names);
    if (slot) {
        slot->text = text;
        slot->kind = kind;
    }
}

void builder_name(entry_builder *b, const char *s, interdict_name_kind kind)
{
    if (s)
        builder_name_n(b, s, strlen(s), kind);
}

/* Adds a string to a set, once. */
static void push_unique(entry_builder *b, builder_vec *v, const char *s)
{
    const char *text = builder_str(b, s);
    if (!*text)
        return;
    const char **have = (const char **)v->items;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(have[i], text) == 0)
            return;
    const char **slot = vec_push(b, v);
    if (slot)
        *slot = text;
}

void builder_place_of_birth(entry_builder *b, const char *s) { push_unique(b, &b->places, s); }
void builder_nationality(entry_builder *b, const char *s) { push_unique(b, &b->nationalities, s); }
void builder_title(entry_builder *b, const char *s) { push_unique(b, &b->titles, s); }
void builder_designation(entry_builder *b, const char *s) { push_unique(b, &b->designations, s); }
void builder_program(entry_builder *b, const char *s) { push_unique(b, &b->programs, s); }

void builder_document(entry_builder *b, const char *type, const char *number,
                      const char *country, const char *note)
{
    const char *num = builder_str(b, number);
    if (!*num)
        return;
    const char *t = builder_str(b, type);
    interdict_document *have = (interdict_document *)b->documents.items;
    for (size_t i = 0; i < b->documents.n; i++)
        if (strcmp(have[i].number, num) == 0 && strcmp(have[i].type, t) == 0)
            return;
    interdict_document *slot = vec_push(b, &b->documents);
    if (!slot)
        return;
    slot->type = t;
    slot->number = num;
    slot->country = builder_str(b, country);
    slot->note = builder_str(b, note);
}

void builder_address(entry_builder *b, const char *text, const char *country)
{
    const char *t = builder_str(b, text), *c = builder_str(b, country);
    if (!*t && !*c)
        return;
    interdict_address *have = (interdict_address *)b->addresses.items;
    for (size_t i = 0; i < b->addresses.n; i++)
        if (strcmp(have[i].text, t) == 0 && strcmp(have[i].country, c) == 0)
            return;
    interdict_address *slot = vec_push(b, &b->addresses);
    if (slot) {
        slot->text = t;
        slot->country = c;
    }
}

void builder_crossref(entry_builder *b, const char *list, const char *ref)
{
    const char *l = builder_str(b, list), *r = builder_str(b, ref);
    if (!*l || !*r)
        return;
    interdict_crossref *have = (interdict_crossref *)b->crossrefs.items;
    for (size_t i = 0; i < b->crossrefs.n; i++)
        if (strcmp(have[i].list, l) == 0 && strcmp(have[i].ref, r) == 0)
            return;
    interdict_crossref *slot = vec_push(b, &b->crossrefs);
    if (slot) {
        slot->list = l;
        slot->ref = r;
    }
}

void builder_dob(entry_builder *b, const interdict_date *d)
{
    interdict_date *have = (interdict_date *)b->dobs.items;
    for (size_t i = 0; i < b->dobs.n; i++)
        if (have[i].kind == d->kind && have[i].from_year == d->from_year &&
            have[i].to_year == d->to_year && have[i].from_month == d->from_month &&
            have[i].from_day == d->from_day && have[i].kind != INTERDICT_DATE_TEXT)
            return;
    interdict_date *slot = vec_push(b, &b->dobs);
    if (slot)
        *slot = *d;
}

void builder_dob_text(entry_builder *b, const char *s)
{
    const char *text = builder_str(b, s);
    if (!*text)
        return;
    interdict_date d;
    if (!builder_parse_date(text, &d)) {
        memset(&d, 0, sizeof d);
        d.kind = INTERDICT_DATE_TEXT;
        d.note = text;
    }
    builder_dob(b, &d);
}

/* The first name marked PRIMARY goes first; otherwise the first added. */
static void order_names(entry_builder *b)
{
    interdict_name *names = (interdict_name *)b->names.items;
    for (size_t i = 1; i < b->names.n; i++)
        if (names[i].kind == INTERDICT_NAME_PRIMARY && names[0].kind != INTERDICT_NAME_PRIMARY) {
            interdict_name primary = names[i];
            memmove(names + 1, names, i * sizeof *names);
            names[0] = primary;
            break;
        }
    if (b->names.n)
        names[0].kind = INTERDICT_NAME_PRIMARY;
    for (size_t i = 1; i < b->names.n; i++)      /* one primary per entry */
        if (names[i].kind == INTERDICT_NAME_PRIMARY)
            names[i].kind = INTERDICT_NAME_ALIAS_GOOD;
}

interdict_status builder_end(entry_builder *b, const char *name_field, interdict_error *err)
{
    if (!b->open)
        return INTERDICT_OK;
    b->open = 0;
    interdict_entry *e = &b->entry;
    if (b->oom)
        return set_error(err, INTERDICT_ERR_NOMEM, b->file, b->line, "", "out of memory");
    if (!*e->ref)
        return set_error(err, INTERDICT_ERR_FORMAT, b->file, b->line, "",
                         "entry without an identifier");
    if (b->names.n == 0)
        return set_error(err, INTERDICT_ERR_FORMAT, b->file, b->line, name_field ? name_field : "",
                         "entry %s has no name", e->ref);
    order_names(b);
    e->names = vec_take(b, &b->names, &e->n_names);
    e->dobs = vec_take(b, &b->dobs, &e->n_dobs);
    e->places_of_birth = vec_take(b, &b->places, &e->n_places_of_birth);
    e->nationalities = vec_take(b, &b->nationalities, &e->n_nationalities);
    e->documents = vec_take(b, &b->documents, &e->n_documents);
    e->addresses = vec_take(b, &b->addresses, &e->n_addresses);
    e->titles = vec_take(b, &b->titles, &e->n_titles);
    e->designations = vec_take(b, &b->designations, &e->n_designations);
    e->programs = vec_take(b, &b->programs, &e->n_programs);
    e->crossrefs = vec_take(b, &b->crossrefs, &e->n_crossrefs);
    if (!*e->regime && e->n_programs)
        e->regime = e->programs[0];
    ref_item *r = vec_push(b, &b->refs);
    interdict_entry *slot = b->oom ? NULL : list_add_entry(b->list);
    if (!slot || !r)
        return set_error(err, INTERDICT_ERR_NOMEM, b->file, b->line, "", "out of memory");
    r->ref = e->ref;
    r->line = b->line;
    *slot = *e;
    return INTERDICT_OK;
}

static int compare_refs(const void *a, const void *b)
{
    const ref_item *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

interdict_status builder_finish(entry_builder *b, const char *ref_field, interdict_error *err)
{
    if (b->oom)
        return set_error(err, INTERDICT_ERR_NOMEM, b->file, 0, "", "out of memory");
    if (b->list->n_entries == 0)
        return set_error(err, INTERDICT_ERR_FORMAT, b->file, 0, "", "list has no entries");
    ref_item *refs = (ref_item *)b->refs.items;
    size_t n = b->refs.n;
    if (n > 1)
        qsort(refs, n, sizeof *refs, compare_refs);
    for (size_t i = 1; i < n; i++)
        if (strcmp(refs[i - 1].ref, refs[i].ref) == 0)
            return set_error(err, INTERDICT_ERR_FORMAT, b->file, refs[i].line,
                             ref_field ? ref_field : "",
                             "duplicate identifier %s (also at line %ld)", refs[i].ref,
                             refs[i - 1].line);
    return INTERDICT_OK;
}

/* ---- Dates -------------------------------------------------------------- */

static const char *const MONTHS[12] = {"january", "february", "march", "april",
                                       "may", "june", "july", "august", "september",
                                       "october", "november", "december"};

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* Date tokens: numbers (with their digit count), month names, words. */
typedef struct {
    int kind;               /* 'n' number, 'm' month, 'w' other word, 'u' unknown part */
    int value, digits;
} date_tok;

enum { MAX_DATE_TOKS = 12 };

/* "mar", "march", "sept": a prefix of a month's name, at least 3 letters. */
static int month_of(const char *w, size_t n)
{
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (n <= strlen(MONTHS[i]) && strncmp(w, MONTHS[i], n) == 0)
            return i + 1;
    return 0;
}

/* Splits lower-cased text into tokens; returns the count or -1. Words that
 * only qualify a date ("circa", "approximately", "about", "to", ...) set
 * *approx or *range and are dropped. */
static int tokenize_date(const char *s, date_tok *toks, int *approx, int *range)
{
    int n = 0;
    *approx = *range = 0;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (isdigit(c)) {
            int v = 0, digits = 0;
            while (isdigit((unsigned char)*s)) {
                if (digits < 5)
                    v = v * 10 + (*s - '0');
                digits++;
                s++;
            }
            if (n == MAX_DATE_TOKS || digits > 4)
                return -1;
            toks[n++] = (date_tok){'n', v, digits};
        } else if (isalpha(c)) {
            char w[16];
            size_t len = 0;
            while (isalpha((unsigned char)*s)) {
                if (len < sizeof w - 1)
                    w[len++] = (char)tolower((unsigned char)*s);
                s++;
            }
            w[len] = '\0';
            int m = month_of(w, len);
            if (m) {
                if (n == MAX_DATE_TOKS)
                    return -1;
                toks[n++] = (date_tok){'m', m, 0};
            } else if (!strcmp(w, "circa") || !strcmp(w, "ca") || !strcmp(w, "c") ||
                       !strcmp(w, "approximately") || !strcmp(w, "approx") ||
                       !strcmp(w, "about") || !strcmp(w, "around")) {
                *approx = 1;
            } else if (!strcmp(w, "to") || !strcmp(w, "and") || !strcmp(w, "between") ||
                       !strcmp(w, "from")) {
                *range |= strcmp(w, "to") == 0 || strcmp(w, "and") == 0;
            } else if (!strcmp(w, "dd") || !strcmp(w, "mm") || !strcmp(w, "yyyy") ||
                       !strcmp(w, "xx")) {
                if (n == MAX_DATE_TOKS)
                    return -1;
                toks[n++] = (date_tok){'u', 0, 0};
            } else {
                return -1;
            }
        } else if (c == '-' && n > 0 && toks[n - 1].kind == 'n' && toks[n - 1].digits == 4 &&
                   isdigit((unsigned char)s[1]) && strspn(s + 1, "0123456789") == 4) {
            *range = 1;             /* "1960-1962" */
            s++;
        } else if (c == ' ' || c == '-' || c == '/' || c == '.' || c == ',' || c == '(' ||
                   c == ')' || c == '~') {
            *approx |= c == '~';
            s++;
        } else {
            return -1;
        }
    }
    return n;
}

static int set_ymd(interdict_date *d, int y, int m, int day)
{
    if (y < 1000 || y > 2999 || m < 0 || m > 12 || day < 0 || day > 31 || (m == 0 && day))
        return 0;
    if (day && day > days_in_month(y, m))
        return 0;
    d->from_year = d->to_year = (int16_t)y;
    d->from_month = d->to_month = (int8_t)m;
    d->from_day = d->to_day = (int8_t)day;
    return 1;
}

/* One date from 1-3 tokens. */
static int one_date(const date_tok *t, int n, interdict_date *d)
{
    int v0 = t[0].value;
    switch (n) {
    case 1:
        return t[0].kind == 'n' && t[0].digits == 4 && set_ymd(d, v0, 0, 0);
    case 2:
        if (t[0].kind == 'm' && t[1].kind == 'n' && t[1].digits == 4)
            return set_ymd(d, t[1].value, v0, 0);             /* Mar 1965 */
        if (t[0].kind == 'n' && t[0].digits == 4 && t[1].kind == 'n')
            return set_ymd(d, v0, t[1].value, 0);             /* 1965-03 */
        if ((t[0].kind == 'n' || t[0].kind == 'u') && t[1].kind == 'n' && t[1].digits == 4)
            return set_ymd(d, t[1].value, v0, 0);             /* 03/1965 */
        return 0;
    case 3:
        if (t[0].kind == 'n' && t[0].digits == 4 && t[2].kind != 'm') /* 1965-03-14 */
            return set_ymd(d, v0, t[1].value, t[2].value);
        if (t[2].kind == 'n' && t[2].digits == 4) {
            if (t[1].kind == 'm')                               /* 14 Mar 1965 */
                return t[0].kind != 'm' && set_ymd(d, t[2].value, t[1].value, v0);
            if (t[0].kind == 'm')                               /* Mar 14, 1965 */
                return set_ymd(d, t[2].value, v0, t[1].value);
            return set_ymd(d, t[2].value, t[1].value, v0);      /* 14/03/1965 */
        }
        return 0;
    default:
        return 0;
    }
}

int builder_parse_date(const char *s, interdict_date *out)
{
    /* "1951-06-19T00:00:00+01:00": the time is no part of a birth date */
    char buf[11];
    if (strlen(s) > 10 && strspn(s, "0123456789") == 4 && s[4] == '-' && s[7] == '-' &&
        (s[10] == 'T' || s[10] == ' ')) {
        memcpy(buf, s, 10);
        buf[10] = '\0';
        s = buf;
    }
    date_tok t[MAX_DATE_TOKS];
    int approx, range;
    memset(out, 0, sizeof *out);
    int n = tokenize_date(s, t, &approx, &range);
    if (n <= 0)
        return 0;
    if (range) {
        /* "1960 to 1962", "1960-1962", "between 1960 and 1962": years only */
        if (n != 2 || t[0].kind != 'n' || t[1].kind != 'n' || t[0].digits != 4 ||
            t[1].digits != 4 || t[0].value > t[1].value || t[0].value < 1000 ||
            t[1].value > 2999)
            return 0;
        out->kind = INTERDICT_DATE_RANGE;
        out->from_year = (int16_t)t[0].value;
        out->to_year = (int16_t)t[1].value;
        return 1;
    }
    if (n > 3 || !one_date(t, n, out)) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    out->kind = approx ? INTERDICT_DATE_APPROX : INTERDICT_DATE_EXACT;
    return 1;
}
