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

int load_lists(const char *const *paths, size_t n, loaded_lists *out)
{
    memset(out, 0, sizeof *out);
    const char *def = default_list();
    if (n == 0) {
        paths = &def;
        n = 1;
    }
    if (n > MAX_LISTS) {
        fprintf(stderr, "interdict: at most %d lists\n", MAX_LISTS);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < n; i++) {
        interdict_error err;
        if (interdict_list_load(paths[i], &out->lists[out->n], &err) != INTERDICT_OK) {
            print_error("cannot load list", &err);
            free_lists(out);
            return EXIT_FAILURE_;
        }
        out->n++;
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
    json_object_set_new(o, "type", json_string(e->type == INTERDICT_PARTY_ENTITY ? "entity" : "person"));
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
