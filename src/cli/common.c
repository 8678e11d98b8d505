#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef INTERDICT_DEFAULT_LIST
#define INTERDICT_DEFAULT_LIST "data/un/consolidated.xml"
#endif

void print_error(const char *prefix, const interdict_error *err)
{
    char buf[768];
    fprintf(stderr, "interdict: %s%s%s\n", prefix ? prefix : "", prefix ? ": " : "",
            interdict_error_format(err, buf, sizeof buf));
}

/* The bundled list: INTERDICT_LIST in the environment, else the copy the
 * build was configured with. */
static const char *default_list(void)
{
    const char *env = getenv("INTERDICT_LIST");
    return env && *env ? env : INTERDICT_DEFAULT_LIST;
}

int parse_list_option(int argc, char **argv, int *i, list_source *src)
{
    const char *a = argv[*i];
    if (strcmp(a, "--list") && strcmp(a, "--db") && strcmp(a, "--lists"))
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "interdict: %s needs a value\n", a);
        return -1;
    }
    const char *v = argv[++*i];
    if (!strcmp(a, "--db")) {
        src->db = v;
    } else if (!strcmp(a, "--lists")) {
        src->only = v;
    } else {
        if (src->n_paths == MAX_LISTS) {
            fprintf(stderr, "interdict: at most %d lists\n", MAX_LISTS);
            return -1;
        }
        src->paths[src->n_paths++] = v;
    }
    return 1;
}

const char *store_path(const list_source *src)
{
    if (src && src->db && *src->db)
        return src->db;
    const char *env = getenv("INTERDICT_DB");
    return env && *env ? env : NULL;
}

/* The active version of every list in the store. */
static int load_from_store(const char *db, loaded_lists *out)
{
    interdict_store *st;
    interdict_error err;
    if (interdict_store_open(db, &st, &err) != INTERDICT_OK) {
        print_error("cannot open the store", &err);
        return EXIT_FAILURE_;
    }
    interdict_list_version *v = NULL;
    size_t n = 0;
    int rc = EXIT_OK;
    if (interdict_store_versions(st, NULL, 1, &v, &n, &err) != INTERDICT_OK) {
        print_error("cannot read the store", &err);
        rc = EXIT_FAILURE_;
    } else if (n == 0) {
        fprintf(stderr, "interdict: %s holds no lists yet; add some with "
                        "`interdict lists import FILE --db %s`\n", db, db);
        rc = EXIT_FAILURE_;
    } else if (n > MAX_LISTS) {
        fprintf(stderr, "interdict: the store has more than %d lists\n", MAX_LISTS);
        rc = EXIT_FAILURE_;
    }
    for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
        if (interdict_store_load(st, v[i].id, &out->lists[out->n], &err) != INTERDICT_OK) {
            print_error("cannot load a stored list", &err);
            rc = EXIT_FAILURE_;
            break;
        }
        out->version_ids[out->n++] = v[i].id;
    }
    free(v);
    interdict_store_close(st);
    return rc;
}

int load_lists(const list_source *src, loaded_lists *out)
{
    memset(out, 0, sizeof *out);
    const char *db = store_path(src);
    int rc = EXIT_OK;
    if (src->n_paths == 0 && db) {
        rc = load_from_store(db, out);
    } else {
        const char *def = default_list();
        const char *const *paths = src->n_paths ? src->paths : &def;
        size_t n = src->n_paths ? src->n_paths : 1;
        for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
            interdict_error err;
            if (interdict_list_load(paths[i], &out->lists[out->n], &err) != INTERDICT_OK) {
                print_error("cannot load list", &err);
                rc = EXIT_FAILURE_;
            } else {
                out->n++;
            }
        }
    }
    if (rc != EXIT_OK) {
        free_lists(out);
        return rc;
    }
    size_t at = 0;
    for (size_t i = 0; i < out->n && at < sizeof out->versions; i++) {
        const interdict_list *l = out->lists[i];
        int k = snprintf(out->versions + at, sizeof out->versions - at, "%s%s:%s:%.12s",
                         i ? "," : "", interdict_list_id(l), interdict_list_generated(l),
                         interdict_list_checksum(l));
        if (k > 0)
            at += (size_t)k;
    }
    interdict_error err;
    if (interdict_index_build((const interdict_list *const *)out->lists, out->n,
                              &out->index, &err) != INTERDICT_OK) {
        print_error("cannot build index", &err);
        free_lists(out);
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

void free_lists(loaded_lists *l)
{
    interdict_index_free(l->index);
    for (size_t i = 0; i < l->n; i++)
        interdict_list_free(l->lists[i]);
    memset(l, 0, sizeof *l);
}

int check_list_filter(const loaded_lists *l, const char *only)
{
    if (!only)
        return EXIT_OK;
    interdict_result *r = interdict_result_new();
    interdict_query q = {.name = "x", .lists = only};
    interdict_error err;
    int rc = EXIT_OK;
    if (!r || interdict_screen(l->index, &q, r, &err) != INTERDICT_OK) {
        if (r)
            print_error("--lists", &err);
        rc = r ? EXIT_USAGE : EXIT_FAILURE_;
    }
    interdict_result_free(r);
    return rc;
}

json_t *versions_to_json(const loaded_lists *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const interdict_list *x = l->lists[i];
        json_t *o = json_object();
        json_object_set_new(o, "list", json_string(interdict_list_id(x)));
        json_object_set_new(o, "generated", json_string(interdict_list_generated(x)));
        json_object_set_new(o, "sha256", json_string(interdict_list_checksum(x)));
        if (l->version_ids[i])
            json_object_set_new(o, "version", json_integer(l->version_ids[i]));
        json_object_set_new(o, "source", json_string(interdict_list_source(x)));
        json_array_append_new(arr, o);
    }
    return arr;
}

bool parse_party_type(const char *s, interdict_party_type *out)
{
    if (!s || !*s)
        *out = INTERDICT_PARTY_UNKNOWN;
    else if (!strcmp(s, "person") || !strcmp(s, "individual"))
        *out = INTERDICT_PARTY_PERSON;
    else if (!strcmp(s, "entity") || !strcmp(s, "organisation") || !strcmp(s, "organization"))
        *out = INTERDICT_PARTY_ENTITY;
    else
        return false;
    return true;
}

const char *party_type_word(interdict_party_type t)
{
    switch (t) {
    case INTERDICT_PARTY_PERSON: return "person";
    case INTERDICT_PARTY_ENTITY: return "entity";
    case INTERDICT_PARTY_VESSEL: return "vessel";
    case INTERDICT_PARTY_AIRCRAFT: return "aircraft";
    case INTERDICT_PARTY_UNKNOWN: break;
    }
    return "unknown";
}

static const char *name_kind_word(interdict_name_kind k)
{
    switch (k) {
    case INTERDICT_NAME_PRIMARY: return "primary";
    case INTERDICT_NAME_ALIAS_GOOD: return "alias";
    case INTERDICT_NAME_ALIAS_LOW: return "low-quality alias";
    case INTERDICT_NAME_ORIGINAL: return "original script";
    }
    return "?";
}

static const char *evidence_word(int v)
{
    return v > 0 ? "agrees" : v < 0 ? "conflicts" : NULL;
}

/* ---- JSON as text ------------------------------------------------------------
 * Batch lines are written as text, not built as jansson trees and dumped:
 * at tens of thousands of lines a second the trees cost more than the
 * screening. The text is exactly what json_dumps() gives with JSON_COMPACT |
 * JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6), down to leaving out a key
 * whose string is not valid UTF-8 (jansson refuses such strings). */

/* Room for n more bytes and a NUL at t->s + t->len, or NULL. */
static char *jt_room(json_text *t, size_t n)
{
    if (t->failed)
        return NULL;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (t->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->failed = true;
            return NULL;
        }
        t->s = p;
        t->cap = cap;
    }
    return t->s + t->len;
}

void jt_raw(json_text *t, const char *s, size_t n)
{
    char *p = jt_room(t, n);
    if (!p)
        return;
    memcpy(p, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0. */
static size_t utf8_sequence(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (!n)
        return 0;
    uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Whether s is valid UTF-8, and whether any byte needs an escape. */
static bool utf8_check(const char *s, size_t *len, bool *plain)
{
    const unsigned char *p = (const unsigned char *)s;
    bool no_escape = true;
    while (*p) {
        if (*p < 0x80) {
            no_escape = no_escape && *p >= 0x20 && *p != '"' && *p != '\\';
            p++;
            continue;
        }
        size_t n = utf8_sequence(p);
        if (!n)
            return false;
        p += n;
    }
    *len = (size_t)(p - (const unsigned char *)s);
    *plain = no_escape;
    return true;
}

/* s, valid UTF-8 of len bytes, as a JSON string. */
static void jt_quoted(json_text *t, const char *s, size_t len, bool plain)
{
    jt_raw(t, "\"", 1);
    if (plain) {
        jt_raw(t, s, len);
        jt_raw(t, "\"", 1);
        return;
    }
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        jt_raw(t, run, (size_t)(p - run));
        char esc[8];
        switch (c) {
        case '"': jt_raw(t, "\\\"", 2); break;
        case '\\': jt_raw(t, "\\\\", 2); break;
        case '\b': jt_raw(t, "\\b", 2); break;
        case '\f': jt_raw(t, "\\f", 2); break;
        case '\n': jt_raw(t, "\\n", 2); break;
        case '\r': jt_raw(t, "\\r", 2); break;
        case '\t': jt_raw(t, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            jt_raw(t, esc, 6);
        }
        run = p + 1;
    }
    jt_raw(t, run, strlen(run));
    jt_raw(t, "\"", 1);
}

/* A comma unless a value or member is the first of its array or object. */
void jt_comma(json_text *t)
{
    if (t->len && t->s[t->len - 1] != '{' && t->s[t->len - 1] != '[')
        jt_raw(t, ",", 1);
}

void jt_key(json_text *t, const char *key)
{
    jt_comma(t);
    jt_quoted(t, key, strlen(key), true);
    jt_raw(t, ":", 1);
}

/* ,"key":text in one piece; text is written as it is. */
static void jt_member_text(json_text *t, const char *key, const char *text, size_t len)
{
    size_t klen = strlen(key);
    char *p = jt_room(t, klen + len + 4);
    if (!p)
        return;
    char *start = p;
    if (t->len && t->s[t->len - 1] != '{' && t->s[t->len - 1] != '[')
        *p++ = ',';
    *p++ = '"';
    memcpy(p, key, klen);
    p += klen;
    *p++ = '"';
    *p++ = ':';
    memcpy(p, text, len);
    p += len;
    *p = '\0';
    t->len += (size_t)(p - start);
}

void jt_member_string(json_text *t, const char *key, const char *value)
{
    size_t len;
    bool plain;
    if (!value || !utf8_check(value, &len, &plain))
        return;
    if (!plain) {
        jt_key(t, key);
        jt_quoted(t, value, len, plain);
        return;
    }
    /* the usual case, written in one piece: ,"key":"value" */
    size_t klen = strlen(key);
    char *p = jt_room(t, klen + len + 6);
    if (!p)
        return;
    char *start = p;
    if (t->len && t->s[t->len - 1] != '{' && t->s[t->len - 1] != '[')
        *p++ = ',';
    *p++ = '"';
    memcpy(p, key, klen);
    p += klen;
    *p++ = '"';
    *p++ = ':';
    *p++ = '"';
    memcpy(p, value, len);
    p += len;
    *p++ = '"';
    *p = '\0';
    t->len += (size_t)(p - start);
}

/* As jansson writes reals with JSON_REAL_PRECISION(6). Scores are
 * thousandths: written without printf, which costs more than the rest of
 * a hit. */
void jt_member_real(json_text *t, const char *key, double v)
{
    if (!isfinite(v))
        return;
    char buf[64];
    int n;
    double m = floor(v * 1000.0 + 0.5);
    if (m >= 0 && m <= 1000 && m / 1000.0 == v) {
        int k = (int)m;
        if (k == 1000 || k == 0) {
            memcpy(buf, k ? "1.0" : "0.0", 3);
            n = 3;
        } else {
            buf[0] = '0';
            buf[1] = '.';
            buf[2] = (char)('0' + k / 100);
            buf[3] = (char)('0' + k / 10 % 10);
            buf[4] = (char)('0' + k % 10);
            n = 5;
            while (buf[n - 1] == '0')
                n--;
        }
    } else {
        n = snprintf(buf, sizeof buf, "%.6g", v);
        if (n < 0 || (size_t)n >= sizeof buf - 3)
            return;
        char *e = strchr(buf, 'e');
        if (!strchr(buf, '.') && !e) {
            memcpy(buf + n, ".0", 3);
            n += 2;
        }
        if (e) {   /* "1e-05" -> "1e-5", "1e+20" -> "1e20", as jansson does */
            char *from = e + 1, *to = e + 1;
            if (*from == '-')
                from++, to++;
            else if (*from == '+')
                from++;
            while (*from == '0' && from[1])
                from++;
            memmove(to, from, strlen(from) + 1);
            n = (int)strlen(buf);
        }
    }
    jt_member_text(t, key, buf, (size_t)n);
}

void jt_member_raw(json_text *t, const char *key, const char *literal)
{
    jt_member_text(t, key, literal, strlen(literal));
}

char *jt_finish(json_text *t)
{
    if (t->failed || !t->s) {
        free(t->s);
        t->s = NULL;
        return NULL;
    }
    char *s = t->s;
    t->s = NULL;
    t->len = t->cap = 0;
    return s;
}

void hit_json(json_text *t, const interdict_hit *h)
{
    char why[1024];
    const interdict_entry *e = h->entry;
    jt_comma(t);
    jt_raw(t, "{", 1);
    jt_member_string(t, "ref", e->ref);
    jt_member_string(t, "list", e->list);
    jt_member_real(t, "score", h->score);
    jt_member_string(t, "name", h->matched_name);
    jt_member_string(t, "name_kind", name_kind_word(h->matched_kind));
    jt_member_string(t, "listed_name", e->names[0].text);
    jt_member_string(t, "type", party_type_word(e->type));
    jt_member_string(t, "regime", e->regime);
    jt_member_real(t, "name_score", h->name_score);
    jt_key(t, "matches");
    jt_raw(t, "[", 1);
    for (size_t i = 0; i < h->n_tokens; i++) {
        const interdict_token_match *m = &h->tokens[i];
        jt_comma(t);
        jt_raw(t, "{", 1);
        jt_member_string(t, "query", m->query_token);
        jt_member_string(t, "listed", m->list_token);
        jt_member_string(t, "how", interdict_match_kind_name(m->kind));
        jt_member_real(t, "similarity", (double)(int)(m->similarity * 100 + 0.5) / 100);
        jt_raw(t, "}", 1);
    }
    jt_raw(t, "]", 1);
    const char *w;
    if ((w = evidence_word(h->evidence.dob)))
        jt_member_string(t, "dob", w);
    if ((w = evidence_word(h->evidence.nationality)))
        jt_member_string(t, "nationality", w);
    if (h->evidence.type < 0)
        jt_member_raw(t, "type_mismatch", "true");
    jt_member_string(t, "explanation", interdict_hit_explain(h, why, sizeof why));
    if (h->n_sources > 1) {
        /* the same party on other lists: one alert, every source named */
        jt_key(t, "sources");
        jt_raw(t, "[", 1);
        for (size_t i = 0; i < h->n_sources; i++) {
            jt_comma(t);
            jt_raw(t, "{", 1);
            jt_member_string(t, "list", h->sources[i]->list);
            jt_member_string(t, "ref", h->sources[i]->ref);
            jt_member_string(t, "name", h->sources[i]->names[0].text);
            jt_raw(t, "}", 1);
        }
        jt_raw(t, "]", 1);
    }
    jt_raw(t, "}", 1);
}

json_t *hit_to_json(const interdict_hit *h)
{
    json_text t = {0};
    hit_json(&t, h);
    char *s = jt_finish(&t);
    json_t *o = s ? json_loads(s, 0, NULL) : NULL;
    free(s);
    return o;
}

json_t *error_to_json(const interdict_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(interdict_status_name(err->code)));
    if (err->field[0])
        json_object_set_new(o, "field", json_string(err->field));
    if (err->line > 0)
        json_object_set_new(o, "line", json_integer(err->line));
    json_object_set_new(o, "message", json_string(err->message));
    return o;
}
