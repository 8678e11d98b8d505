/* rules.c - country, region and BIC rules for payment screening.
 *
 * The built-in rules hold the jurisdictions under comprehensive sanctions,
 * the occupied regions of Ukraine and the capitals and main cities of the
 * embargoed countries (so an address that names only "PYONGYANG" is
 * recognised), and take as listed BICs the SWIFT/BIC codes the loaded lists
 * give for their entries. A JSON rules file adds to them or replaces them. */
#include "payment.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../match/index.h"
#include "../text/normalize.h"
#include "../util/error.h"

struct interdict_payment_rules {
    arena mem;
    pay_rule_country *countries;
    size_t n_countries, cap_countries;
    pay_rule_region *regions;
    size_t n_regions, cap_regions;
    pay_rule_bic *bics;         /* sorted by bic once built */
    size_t n_bics, cap_bics;
    const char *file;
};

/* ---- Built-in rules ----------------------------------------------------------------- */

static const char EMBARGO_REASON[] = "comprehensively sanctioned jurisdiction";

static const struct {
    const char *code, *name;
} DEFAULT_COUNTRIES[] = {
    {"KP", "North Korea"},
    {"IR", "Iran"},
    {"SY", "Syria"},
    {"CU", "Cuba"},
};

typedef struct default_region {
    const char *name, *country, *reason;
    const char *terms[24];
} default_region;

static const default_region DEFAULT_REGIONS[] = {
    {"Crimea and Sevastopol", "UA", "region of Ukraine under comprehensive sanctions",
     {"Crimea", "Crimean", "Krym", "Krim", "Sevastopol", "Sebastopol", "Simferopol", "Kerch",
      "Yalta", "Feodosia", "Feodosiya", "Yevpatoria", "Evpatoria", "Dzhankoi", "UA-43", "UA-40",
      "Крым", "Севастополь", "Симферополь", NULL}},
    {"Donetsk (so-called DNR)", "UA", "region of Ukraine under comprehensive sanctions",
     {"Donetsk", "Donetska", "Donetskaya", "DNR", "Horlivka", "Gorlovka", "Makiivka", "Makeevka",
      "Makeyevka", "UA-14", "Донецк", "ДНР", NULL}},
    {"Luhansk (so-called LNR)", "UA", "region of Ukraine under comprehensive sanctions",
     {"Luhansk", "Lugansk", "Luhanska", "Luganskaya", "LNR", "Alchevsk", "UA-09", "Луганск",
      "ЛНР", NULL}},
    {"North Korea", "KP", "place in a comprehensively sanctioned jurisdiction",
     {"Pyongyang", "DPRK", "North Korea", "Nampo", "Sinuiju", "Chongjin", "Hamhung", NULL}},
    {"Iran", "IR", "place in a comprehensively sanctioned jurisdiction",
     {"Tehran", "Teheran", "Isfahan", "Esfahan", "Mashhad", "Tabriz", "Shiraz", "Bandar Abbas",
      "تهران", NULL}},
    {"Syria", "SY", "place in a comprehensively sanctioned jurisdiction",
     {"Damascus", "Aleppo", "Latakia", "Homs", "دمشق", NULL}},
    {"Cuba", "CU", "place in a comprehensively sanctioned jurisdiction",
     {"Havana", "La Habana", NULL}},
};

/* ---- Building ------------------------------------------------------------------------ */

static void *grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return (char *)*items + n * size;
    size_t c = *cap ? *cap * 2 : 16;
    void *q = realloc(*items, c * size);
    if (!q)
        return NULL;
    *items = q;
    *cap = c;
    return (char *)q + n * size;
}

static interdict_status nomem(interdict_payment_rules *r, interdict_error *err)
{
    return set_error(err, INTERDICT_ERR_NOMEM, r->file, 0, "", "out of memory");
}

static interdict_status add_country(interdict_payment_rules *r, const char *code, const char *name,
                                    const char *reason, interdict_error *err)
{
    for (size_t i = 0; i < r->n_countries; i++)
        if (!strcmp(r->countries[i].code, code))
            return INTERDICT_OK;
    pay_rule_country *c = grow((void **)&r->countries, &r->cap_countries, r->n_countries,
                               sizeof *c);
    const char *n = arena_strdup(&r->mem, name ? name : code);
    const char *why = arena_strdup(&r->mem, reason ? reason : EMBARGO_REASON);
    if (!c || !n || !why)
        return nomem(r, err);
    memcpy(c->code, code, 3);
    c->name = n;
    c->reason = why;
    r->n_countries++;
    return INTERDICT_OK;
}

/* Starts a region; terms are added with add_term. */
static pay_rule_region *add_region(interdict_payment_rules *r, const char *name, const char *country,
                                   const char *reason)
{
    pay_rule_region *g = grow((void **)&r->regions, &r->cap_regions, r->n_regions, sizeof *g);
    if (!g)
        return NULL;
    memset(g, 0, sizeof *g);
    g->name = arena_strdup(&r->mem, name);
    g->reason = arena_strdup(&r->mem, reason ? reason : "embargoed region");
    if (!g->name || !g->reason)
        return NULL;
    snprintf(g->country, sizeof g->country, "%s", country ? country : "");
    r->n_regions++;
    return g;
}

/* Normalised as addresses will be, so Cyrillic "Крым" meets "Krym". */
static interdict_status add_terms(interdict_payment_rules *r, pay_rule_region *g,
                                  const char *const *terms, size_t n, const char *field,
                                  interdict_error *err)
{
    const char **t = arena_alloc(&r->mem, (n ? n : 1) * sizeof *t);
    if (!t)
        return nomem(r, err);
    normalized_text *norm = malloc(sizeof *norm);
    if (!norm)
        return nomem(r, err);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        interdict_error e;
        if (normalize_name(terms[i], strlen(terms[i]), norm, field, &e) != INTERDICT_OK) {
            free(norm);
            return set_error(err, e.code == INTERDICT_ERR_INVALID ? INTERDICT_ERR_INVALID : e.code,
                             r->file, 0, field, "term \"%.60s\": %s", terms[i], e.message);
        }
        if (!(t[k++] = arena_strdup(&r->mem, norm->text))) {
            free(norm);
            return nomem(r, err);
        }
    }
    free(norm);
    g->terms = t;
    g->n_terms = k;
    return INTERDICT_OK;
}

static interdict_status add_bic(interdict_payment_rules *r, const char *bic, size_t n,
                                const char *reason, const interdict_entry *entry,
                                interdict_error *err)
{
    pay_rule_bic *b = grow((void **)&r->bics, &r->cap_bics, r->n_bics, sizeof *b);
    if (!b)
        return nomem(r, err);
    memset(b, 0, sizeof *b);
    /* an 11-character BIC on the head office branch stands for the institution */
    if (n == 11 && !memcmp(bic + 8, "XXX", 3))
        n = 8;
    memcpy(b->bic, bic, n);
    b->bic[n] = '\0';
    b->entry = entry;
    b->reason = reason ? arena_strdup(&r->mem, reason) : NULL;
    if (reason && !b->reason)
        return nomem(r, err);
    r->n_bics++;
    return INTERDICT_OK;
}

/* A BIC written at s (upper case, as lists write them): its length or 0. */
static size_t bic_word(const char *s, char out[12])
{
    size_t k = 0;
    while (k < 12 && isalnum((unsigned char)s[k])) {
        out[k] = s[k];
        k++;
    }
    if (k == 12)
        return 0;
    out[k] = '\0';
    return pay_is_bic(out, k) ? k : 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return false;
}

static bool word_at(const char *s, const char *w)
{
    return !strncasecmp(s, w, strlen(w)) && !isalnum((unsigned char)s[strlen(w)]);
}

/* "SWIFT: DCBKKPPY", "SWIFT/BIC: KUDBKPPY", "SWIFT code FTBDKPPY" in free text. */
static interdict_status bics_in_text(interdict_payment_rules *r, const char *text,
                                     const interdict_entry *e, interdict_error *err)
{
    for (const char *p = text; *p; p++) {
        if ((p != text && isalnum((unsigned char)p[-1])) || !(word_at(p, "SWIFT") || word_at(p, "BIC")))
            continue;
        const char *q = p;
        for (int words = 0; words < 5; words++) {
            if (word_at(q, "SWIFT"))
                q += 5;
            else if (word_at(q, "BIC"))
                q += 3;
            else if (word_at(q, "code"))
                q += 4;
            else if (word_at(q, "address"))
                q += 7;
            else if (*q == ':' || *q == '/' || *q == ' ' || *q == '-' || *q == '(')
                q++;
            else
                break;
        }
        char bic[12];
        size_t n = bic_word(q, bic);
        if (n) {
            interdict_status st = add_bic(r, bic, n, NULL, e, err);
            if (st != INTERDICT_OK)
                return st;
        }
    }
    return INTERDICT_OK;
}

static interdict_status add_list_bics(interdict_payment_rules *r, const interdict_index *ix,
                                      interdict_error *err)
{
    if (!ix)
        return INTERDICT_OK;
    for (size_t i = 0; i < ix->n_entries; i++) {
        const interdict_entry *e = ix->entries[i];
        interdict_status st;
        for (size_t d = 0; d < e->n_documents; d++) {
            const interdict_document *doc = &e->documents[d];
            if (!doc->type || !doc->number ||
                !(contains_ci(doc->type, "swift") || contains_ci(doc->type, "bic")))
                continue;
            char bic[12];
            size_t n = bic_word(doc->number, bic);
            if (n && (st = add_bic(r, bic, n, NULL, e, err)) != INTERDICT_OK)
                return st;
        }
        if (e->comments && (st = bics_in_text(r, e->comments, e, err)) != INTERDICT_OK)
            return st;
    }
    return INTERDICT_OK;
}

static interdict_status add_defaults(interdict_payment_rules *r, interdict_error *err)
{
    interdict_status st;
    for (size_t i = 0; i < sizeof DEFAULT_COUNTRIES / sizeof DEFAULT_COUNTRIES[0]; i++)
        if ((st = add_country(r, DEFAULT_COUNTRIES[i].code, DEFAULT_COUNTRIES[i].name,
                              EMBARGO_REASON, err)) != INTERDICT_OK)
            return st;
    for (size_t i = 0; i < sizeof DEFAULT_REGIONS / sizeof DEFAULT_REGIONS[0]; i++) {
        const default_region *d = &DEFAULT_REGIONS[i];
        pay_rule_region *g = add_region(r, d->name, d->country, d->reason);
        if (!g)
            return nomem(r, err);
        size_t n = 0;
        while (d->terms[n])
            n++;
        if ((st = add_terms(r, g, d->terms, n, "regions", err)) != INTERDICT_OK)
            return st;
    }
    return INTERDICT_OK;
}

static int cmp_bic(const void *a, const void *b)
{
    const pay_rule_bic *x = a, *y = b;
    int c = strcmp(x->bic, y->bic);
    if (c)
        return c;
    /* the one tied to a listed entry first */
    return (y->entry != NULL) - (x->entry != NULL);
}

static void sort_bics(interdict_payment_rules *r)
{
    if (!r->n_bics)
        return;
    qsort(r->bics, r->n_bics, sizeof *r->bics, cmp_bic);
    size_t k = 1;
    for (size_t i = 1; i < r->n_bics; i++)
        if (strcmp(r->bics[i].bic, r->bics[k - 1].bic) != 0)
            r->bics[k++] = r->bics[i];
    r->n_bics = k;
}

static interdict_payment_rules *rules_new(const char *file)
{
    interdict_payment_rules *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    arena_init(&r->mem);
    r->file = arena_strdup(&r->mem, file);
    if (!r->file) {
        free(r);
        return NULL;
    }
    return r;
}

void interdict_payment_rules_free(interdict_payment_rules *r)
{
    if (!r)
        return;
    free(r->countries);
    free(r->regions);
    free(r->bics);
    arena_free(&r->mem);
    free(r);
}

interdict_status interdict_payment_rules_default(const interdict_index *index,
                                                 interdict_payment_rules **out,
                                                 interdict_error *err)
{
    *out = NULL;
    interdict_payment_rules *r = rules_new("<built-in rules>");
    if (!r)
        return set_error(err, INTERDICT_ERR_NOMEM, "<built-in rules>", 0, "", "out of memory");
    interdict_status st = add_defaults(r, err);
    if (st == INTERDICT_OK)
        st = add_list_bics(r, index, err);
    if (st != INTERDICT_OK) {
        interdict_payment_rules_free(r);
        return st;
    }
    sort_bics(r);
    *out = r;
    return INTERDICT_OK;
}

/* ---- Rules file ------------------------------------------------------------------------ */

static interdict_status bad(interdict_payment_rules *r, interdict_error *err, const char *field,
                            const char *what)
{
    return set_error(err, INTERDICT_ERR_INVALID, r->file, 0, field, "%s", what);
}

static interdict_status check_keys(interdict_payment_rules *r, json_t *o, const char *const *keys,
                                   const char *where, interdict_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        (void)v;
        bool known = false;
        for (const char *const *p = keys; *p && !known; p++)
            known = !strcmp(*p, k);
        if (!known)
            return set_error(err, INTERDICT_ERR_INVALID, r->file, 0, where,
                             "unknown key \"%.60s\"", k);
    }
    return INTERDICT_OK;
}

static const char *opt_string(json_t *o, const char *key, bool *wrong)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return NULL;
    if (!json_is_string(v) || !*json_string_value(v)) {
        *wrong = true;
        return NULL;
    }
    return json_string_value(v);
}

static interdict_status read_countries(interdict_payment_rules *r, json_t *a, interdict_error *err)
{
    if (!json_is_array(a))
        return bad(r, err, "countries", "must be an array");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        char field[32];
        snprintf(field, sizeof field, "countries[%zu]", i);
        const char *code, *name = NULL, *reason = NULL;
        bool wrong = false;
        if (json_is_string(v)) {
            code = json_string_value(v);
        } else if (json_is_object(v)) {
            static const char *const keys[] = {"code", "name", "reason", NULL};
            interdict_status st = check_keys(r, v, keys, field, err);
            if (st != INTERDICT_OK)
                return st;
            code = opt_string(v, "code", &wrong);
            name = opt_string(v, "name", &wrong);
            reason = opt_string(v, "reason", &wrong);
        } else {
            return bad(r, err, field, "must be a country code or an object with \"code\"");
        }
        if (wrong || !code)
            return bad(r, err, field, "code, name and reason must be non-empty strings");
        if (!pay_is_country_code(code))
            return set_error(err, INTERDICT_ERR_INVALID, r->file, 0, field,
                             "\"%.20s\" is not an ISO 3166 alpha-2 code (upper case)", code);
        interdict_status st = add_country(r, code, name, reason, err);
        if (st != INTERDICT_OK)
            return st;
    }
    return INTERDICT_OK;
}

static interdict_status read_regions(interdict_payment_rules *r, json_t *a, interdict_error *err)
{
    if (!json_is_array(a))
        return bad(r, err, "regions", "must be an array");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        char field[32];
        snprintf(field, sizeof field, "regions[%zu]", i);
        if (!json_is_object(v))
            return bad(r, err, field, "must be an object with \"name\" and \"terms\"");
        static const char *const keys[] = {"name", "country", "terms", "reason", NULL};
        interdict_status st = check_keys(r, v, keys, field, err);
        if (st != INTERDICT_OK)
            return st;
        bool wrong = false;
        const char *name = opt_string(v, "name", &wrong);
        const char *country = opt_string(v, "country", &wrong);
        const char *reason = opt_string(v, "reason", &wrong);
        json_t *terms = json_object_get(v, "terms");
        if (wrong || !name)
            return bad(r, err, field, "name (and country, reason) must be non-empty strings");
        if (country && !pay_is_country_code(country))
            return set_error(err, INTERDICT_ERR_INVALID, r->file, 0, field,
                             "country \"%.20s\" is not an ISO 3166 alpha-2 code", country);
        if (!json_is_array(terms) || json_array_size(terms) == 0)
            return bad(r, err, field, "terms must be a non-empty array of strings");
        size_t n = json_array_size(terms);
        const char **list = calloc(n, sizeof *list);
        if (!list)
            return nomem(r, err);
        for (size_t k = 0; k < n; k++) {
            json_t *t = json_array_get(terms, k);
            if (!json_is_string(t) || !*json_string_value(t)) {
                free(list);
                return bad(r, err, field, "terms must be non-empty strings");
            }
            list[k] = json_string_value(t);
        }
        pay_rule_region *g = add_region(r, name, country, reason);
        st = g ? add_terms(r, g, list, n, field, err) : nomem(r, err);
        free(list);
        if (st != INTERDICT_OK)
            return st;
    }
    return INTERDICT_OK;
}

static interdict_status read_bics(interdict_payment_rules *r, json_t *a, interdict_error *err)
{
    if (!json_is_array(a))
        return bad(r, err, "bics", "must be an array");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        char field[32];
        snprintf(field, sizeof field, "bics[%zu]", i);
        const char *bic, *reason = NULL;
        bool wrong = false;
        if (json_is_string(v)) {
            bic = json_string_value(v);
        } else if (json_is_object(v)) {
            static const char *const keys[] = {"bic", "reason", NULL};
            interdict_status st = check_keys(r, v, keys, field, err);
            if (st != INTERDICT_OK)
                return st;
            bic = opt_string(v, "bic", &wrong);
            reason = opt_string(v, "reason", &wrong);
        } else {
            return bad(r, err, field, "must be a BIC or an object with \"bic\"");
        }
        if (wrong || !bic)
            return bad(r, err, field, "bic and reason must be non-empty strings");
        if (!pay_is_bic(bic, strlen(bic)))
            return set_error(err, INTERDICT_ERR_INVALID, r->file, 0, field,
                             "\"%.20s\" is not a BIC (8 or 11 characters, upper case)", bic);
        interdict_status st = add_bic(r, bic, strlen(bic), reason ? reason : "listed in the rules file",
                                      NULL, err);
        if (st != INTERDICT_OK)
            return st;
    }
    return INTERDICT_OK;
}

static interdict_status read_rules(interdict_payment_rules *r, const char *data, size_t len,
                                   const interdict_index *index, interdict_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return set_error(err, INTERDICT_ERR_PARSE, r->file, je.line > 0 ? je.line : 0, "",
                         "%s", je.text);
    interdict_status st = INTERDICT_OK;
    static const char *const keys[] = {"defaults", "list_bics", "countries", "regions", "bics",
                                       "description", NULL};
    json_t *defaults = NULL, *list_bics = NULL;
    if (!json_is_object(root)) {
        st = bad(r, err, "", "the rules must be a JSON object");
        goto done;
    }
    if ((st = check_keys(r, root, keys, "", err)) != INTERDICT_OK)
        goto done;
    defaults = json_object_get(root, "defaults");
    list_bics = json_object_get(root, "list_bics");
    if ((defaults && !json_is_boolean(defaults)) || (list_bics && !json_is_boolean(list_bics))) {
        st = bad(r, err, defaults && !json_is_boolean(defaults) ? "defaults" : "list_bics",
                 "must be true or false");
        goto done;
    }
    if (!defaults || json_is_true(defaults))
        if ((st = add_defaults(r, err)) != INTERDICT_OK)
            goto done;
    if (!list_bics || json_is_true(list_bics))
        if ((st = add_list_bics(r, index, err)) != INTERDICT_OK)
            goto done;
    json_t *v;
    if ((v = json_object_get(root, "countries")) && (st = read_countries(r, v, err)) != INTERDICT_OK)
        goto done;
    if ((v = json_object_get(root, "regions")) && (st = read_regions(r, v, err)) != INTERDICT_OK)
        goto done;
    if ((v = json_object_get(root, "bics")) && (st = read_bics(r, v, err)) != INTERDICT_OK)
        goto done;
    if ((v = json_object_get(root, "description")) && !json_is_string(v))
        st = bad(r, err, "description", "must be a string");
done:
    json_decref(root);
    return st;
}

interdict_status interdict_payment_rules_load_memory(const char *data, size_t len,
                                                     const char *name,
                                                     const interdict_index *index,
                                                     interdict_payment_rules **out,
                                                     interdict_error *err)
{
    *out = NULL;
    if (!name)
        name = "<memory>";
    interdict_payment_rules *r = rules_new(name);
    if (!r)
        return set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "out of memory");
    interdict_status st = read_rules(r, data, len, index, err);
    if (st != INTERDICT_OK) {
        interdict_payment_rules_free(r);
        return st;
    }
    sort_bics(r);
    *out = r;
    return INTERDICT_OK;
}

interdict_status interdict_payment_rules_load(const char *path, const interdict_index *index,
                                              interdict_payment_rules **out,
                                              interdict_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot open: %s", strerror(errno));
    enum { MAX_RULES = 16 * 1024 * 1024 };
    char *buf = malloc(MAX_RULES + 1);
    if (!buf) {
        fclose(f);
        return set_error(err, INTERDICT_ERR_NOMEM, path, 0, "", "out of memory");
    }
    size_t n = fread(buf, 1, MAX_RULES + 1, f);
    int failed = ferror(f);
    fclose(f);
    interdict_status st;
    if (failed)
        st = set_error(err, INTERDICT_ERR_IO, path, 0, "", "read error");
    else if (n > MAX_RULES)
        st = set_error(err, INTERDICT_ERR_LIMIT, path, 0, "", "rules file over %d bytes", MAX_RULES);
    else
        st = interdict_payment_rules_load_memory(buf, n, path, index, out, err);
    free(buf);
    return st;
}

size_t interdict_payment_rules_countries(const interdict_payment_rules *r)
{
    return r ? r->n_countries : 0;
}

size_t interdict_payment_rules_regions(const interdict_payment_rules *r)
{
    return r ? r->n_regions : 0;
}

size_t interdict_payment_rules_bics(const interdict_payment_rules *r) { return r ? r->n_bics : 0; }

/* ---- Look-ups ----------------------------------------------------------------------------- */

const pay_rule_country *pay_rules_country(const interdict_payment_rules *r, const char *code)
{
    if (!r)
        return NULL;
    for (size_t i = 0; i < r->n_countries; i++)
        if (!strcmp(r->countries[i].code, code))
            return &r->countries[i];
    return NULL;
}

static const pay_rule_bic *find_bic(const interdict_payment_rules *r, const char *key)
{
    size_t lo = 0, hi = r->n_bics;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->bics[mid].bic, key);
        if (c == 0)
            return &r->bics[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const pay_rule_bic *pay_rules_bic(const interdict_payment_rules *r, const char *bic, size_t n)
{
    if (!r || !r->n_bics || (n != 8 && n != 11))
        return NULL;
    char key[12];
    memcpy(key, bic, 8);
    key[8] = '\0';
    const pay_rule_bic *b = find_bic(r, key);
    if (b || n == 8 || !memcmp(bic + 8, "XXX", 3))
        return b;
    memcpy(key, bic, 11);
    key[11] = '\0';
    return find_bic(r, key);
}

const pay_rule_region *pay_rules_region(const interdict_payment_rules *r, const char *norm,
                                        const char **term)
{
    if (!r)
        return NULL;
    size_t n = strlen(norm);
    for (size_t g = 0; g < r->n_regions; g++) {
        const pay_rule_region *reg = &r->regions[g];
        for (size_t t = 0; t < reg->n_terms; t++) {
            const char *w = reg->terms[t];
            size_t wl = strlen(w);
            if (!wl)
                continue;
            for (const char *p = strstr(norm, w); p; p = strstr(p + 1, w)) {
                bool left = p == norm || p[-1] == ' ';
                bool right = (size_t)(p - norm) + wl == n || p[wl] == ' ';
                if (left && right) {
                    *term = w;
                    return reg;
                }
            }
        }
    }
    return NULL;
}
