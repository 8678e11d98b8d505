/* screen.c - `interdict screen` and `interdict normalize`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct screen_opts {
    list_source src;
    interdict_query q;
    bool json;
    const char *name;
} screen_opts;

static int need_value(int argc, char **argv, int i)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "interdict: %s needs a value\n", argv[i]);
        return 0;
    }
    return 1;
}

static int parse_opts(int argc, char **argv, screen_opts *o, bool want_name)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int taken = parse_list_option(argc, argv, &i, &o->src);
        if (taken < 0)
            return EXIT_USAGE;
        if (taken)
            continue;
        if (!strcmp(a, "--json")) {
            o->json = true;
        } else if (!strcmp(a, "--dob") ||
                   !strcmp(a, "--nationality") || !strcmp(a, "--type") ||
                   !strcmp(a, "--threshold") || !strcmp(a, "--max-hits")) {
            if (!need_value(argc, argv, i))
                return EXIT_USAGE;
            const char *v = argv[++i];
            if (!strcmp(a, "--dob")) {
                o->q.dob = v;
            } else if (!strcmp(a, "--nationality")) {
                o->q.nationality = v;
            } else if (!strcmp(a, "--type")) {
                if (!parse_party_type(v, &o->q.type)) {
                    fprintf(stderr, "interdict: --type must be person or entity, not '%s'\n", v);
                    return EXIT_USAGE;
                }
            } else if (!strcmp(a, "--threshold")) {
                char *end;
                o->q.threshold = strtod(v, &end);
                if (*end || o->q.threshold <= 0 || o->q.threshold > 1) {
                    fprintf(stderr, "interdict: --threshold must be in (0, 1], not '%s'\n", v);
                    return EXIT_USAGE;
                }
            } else {
                char *end;
                long n = strtol(v, &end, 10);
                if (*end || n < 1 || n > 1000) {
                    fprintf(stderr, "interdict: --max-hits must be 1..1000, not '%s'\n", v);
                    return EXIT_USAGE;
                }
                o->q.max_hits = (size_t)n;
            }
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "interdict: unknown option '%s'\n", a);
            return EXIT_USAGE;
        } else if (want_name && !o->name) {
            o->name = a;
        } else {
            fprintf(stderr, "interdict: unexpected argument '%s'\n", a);
            return EXIT_USAGE;
        }
    }
    if (want_name && !o->name) {
        fprintf(stderr, "interdict: screen needs a NAME\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static void print_hits_text(const char *name, const interdict_result *r)
{
    size_t n = interdict_result_count(r);
    if (n == 0) {
        printf("no alert for \"%s\"\n", name);
        return;
    }
    printf("%zu alert%s for \"%s\"\n", n, n == 1 ? "" : "s", name);
    for (size_t i = 0; i < n; i++) {
        const interdict_hit *h = interdict_result_hit(r, i);
        char why[1024];
        printf("%2zu. %.3f  %-8s %s  %s\n", i + 1, h->score, h->entry->ref,
               h->entry->list, h->entry->names[0].text);
        if (strcmp(h->matched_name, h->entry->names[0].text) != 0)
            printf("             matched: %s\n", h->matched_name);
        printf("             why: %s\n", interdict_hit_explain(h, why, sizeof why));
        for (size_t k = 0; k < h->n_sources; k++)   /* the same party on other lists */
            if (h->sources[k] != h->entry)
                printf("             also: %s %s  %s\n", h->sources[k]->list, h->sources[k]->ref,
                       h->sources[k]->names[0].text);
    }
}

int cmd_screen(int argc, char **argv)
{
    screen_opts o;
    int rc = parse_opts(argc, argv, &o, true);
    if (rc)
        return rc;
    loaded_lists ll;
    if ((rc = load_lists(&o.src, &ll)))
        return rc;
    o.q.name = o.name;
    o.q.lists = o.src.only;
    interdict_result *r = interdict_result_new();
    interdict_error err;
    if (!r || interdict_screen(ll.index, &o.q, r, &err) != INTERDICT_OK) {
        if (r)
            print_error("cannot screen", &err);
        interdict_result_free(r);
        free_lists(&ll);
        return EXIT_FAILURE_;
    }
    if (interdict_result_warning(r))
        fprintf(stderr, "interdict: warning: %s\n", interdict_result_warning(r));
    if (o.json) {
        json_t *out = json_object(), *hits = json_array();
        json_object_set_new(out, "query", json_string(o.name));
        if (interdict_result_warning(r))
            json_object_set_new(out, "warning", json_string(interdict_result_warning(r)));
        for (size_t i = 0; i < interdict_result_count(r); i++)
            json_array_append_new(hits, hit_to_json(interdict_result_hit(r, i)));
        json_object_set_new(out, "hits", hits);
        json_object_set_new(out, "lists", versions_to_json(&ll));
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        putchar('\n');
        json_decref(out);
    } else {
        print_hits_text(o.name, r);
    }
    rc = interdict_result_count(r) ? EXIT_ALERT : EXIT_OK;
    interdict_result_free(r);
    free_lists(&ll);
    return rc;
}

int cmd_normalize(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: interdict normalize NAME\n");
        return EXIT_USAGE;
    }
    char buf[8192];
    interdict_error err;
    long n = interdict_normalize_name(argv[1], strlen(argv[1]), buf, sizeof buf, &err);
    if (n < 0) {
        print_error("cannot normalise", &err);
        return EXIT_FAILURE_;
    }
    printf("%s\n", buf);
    return EXIT_OK;
}
