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

json_t *hit_to_json(const interdict_hit *h)
{
    char why[1024];
    const interdict_entry *e = h->entry;
    json_t *o = json_object();
    json_object_set_new(o, "ref", json_string(e->ref));
    json_object_set_new(o, "list", json_string(e->list));
    json_object_set_new(o, "score", json_real(h->score));
    json_object_set_new(o, "name", json_string(h->matched_name));
    json_object_set_new(o, "name_kind", json_string(name_kind_word(h->matched_kind)));
    json_object_set_new(o, "listed_name", json_string(e->names[0].text));
    json_object_set_new(o, "type", json_string(party_type_word(e->type)));
    json_object_set_new(o, "regime", json_string(e->regime));
    json_object_set_new(o, "name_score", json_real(h->name_score));
    json_t *tokens = json_array();
    for (size_t i = 0; i < h->n_tokens; i++) {
        const interdict_token_match *t = &h->tokens[i];
        json_t *m = json_object();
        json_object_set_new(m, "query", json_string(t->query_token));
        json_object_set_new(m, "listed", json_string(t->list_token));
        json_object_set_new(m, "how", json_string(interdict_match_kind_name(t->kind)));
        json_object_set_new(m, "similarity", json_real((double)(int)(t->similarity * 100 + 0.5) / 100));
        json_array_append_new(tokens, m);
    }
    json_object_set_new(o, "matches", tokens);
    const char *w;
    if ((w = evidence_word(h->evidence.dob)))
        json_object_set_new(o, "dob", json_string(w));
    if ((w = evidence_word(h->evidence.nationality)))
        json_object_set_new(o, "nationality", json_string(w));
    if (h->evidence.type < 0)
        json_object_set_new(o, "type_mismatch", json_true());
    json_object_set_new(o, "explanation", json_string(interdict_hit_explain(h, why, sizeof why)));
    if (h->n_sources > 1) {
        /* the same party on other lists: one alert, every source named */
        json_t *src = json_array();
        for (size_t i = 0; i < h->n_sources; i++) {
            json_t *x = json_object();
            json_object_set_new(x, "list", json_string(h->sources[i]->list));
            json_object_set_new(x, "ref", json_string(h->sources[i]->ref));
            json_object_set_new(x, "name", json_string(h->sources[i]->names[0].text));
            json_array_append_new(src, x);
        }
        json_object_set_new(o, "sources", src);
    }
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
