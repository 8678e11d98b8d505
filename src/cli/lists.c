/* lists.c - `interdict lists show|import|versions|diff|update`: the lists in
 * use, their stored versions, what changed, and keeping them fresh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char LISTS_USAGE[] =
    "usage: interdict lists show [--list PATH]... [--db PATH] [--json]\n"
    "       interdict lists import FILE... [--db PATH] [--force]\n"
    "       interdict lists versions [LIST] [--db PATH] [--json]\n"
    "       interdict lists diff OLD NEW [--db PATH] [--json]\n"
    "              (OLD, NEW: list files, or @N for stored version N)\n"
    "       interdict lists update [--config FILE] [--db PATH] [--min-ratio R]\n";

/* The store every command but show needs: --db, else INTERDICT_DB, else
 * interdict.db in the current folder. */
static const char *store_or_default(const list_source *src)
{
    const char *p = store_path(src);
    return p ? p : "interdict.db";
}

static int open_store(const list_source *src, interdict_store **st)
{
    interdict_error err;
    if (interdict_store_open(store_or_default(src), st, &err) != INTERDICT_OK) {
        print_error("cannot open the store", &err);
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

static void dump_json(json_t *o)
{
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    putchar('\n');
    json_decref(o);
}

/* Common options; positional arguments are collected in order. */
typedef struct lists_opts {
    list_source src;
    bool json, force;
    const char *config;
    double min_ratio;
    const char *args[64];
    size_t n_args;
} lists_opts;

static int parse_lists_opts(int argc, char **argv, lists_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_ratio = 0.5;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int taken = parse_list_option(argc, argv, &i, &o->src);
        if (taken < 0)
            return EXIT_USAGE;
        if (taken)
            continue;
        if (!strcmp(a, "--json")) {
            o->json = true;
        } else if (!strcmp(a, "--force")) {
            o->force = true;
        } else if (!strcmp(a, "--config") || !strcmp(a, "--min-ratio")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "interdict: %s needs a value\n", a);
                return EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--config")) {
                o->config = v;
            } else {
                char *end;
                o->min_ratio = strtod(v, &end);
                if (*end || o->min_ratio < 0 || o->min_ratio > 1) {
                    fprintf(stderr, "interdict: --min-ratio must be in [0, 1]\n");
                    return EXIT_USAGE;
                }
            }
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "interdict: unknown option '%s'\n", a);
            return EXIT_USAGE;
        } else if (o->n_args == sizeof o->args / sizeof *o->args) {
            fprintf(stderr, "interdict: too many arguments\n");
            return EXIT_USAGE;
        } else {
            o->args[o->n_args++] = a;
        }
    }
    return EXIT_OK;
}

/* ---- show ----------------------------------------------------------------- */

static int lists_show(lists_opts *o)
{
    loaded_lists ll;
    int rc;
    if ((rc = load_lists(&o->src, &ll)))
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < ll.n; i++) {
        const interdict_list *l = ll.lists[i];
        size_t persons = 0, entities = 0, vessels = 0, aircraft = 0, names = 0;
        for (size_t k = 0; k < interdict_list_count(l); k++) {
            const interdict_entry *e = interdict_list_entry(l, k);
            persons += e->type == INTERDICT_PARTY_PERSON;
            entities += e->type == INTERDICT_PARTY_ENTITY;
            vessels += e->type == INTERDICT_PARTY_VESSEL;
            aircraft += e->type == INTERDICT_PARTY_AIRCRAFT;
            names += e->n_names;
        }
        if (o->json) {
            json_t *x = json_object();
            json_object_set_new(x, "list", json_string(interdict_list_id(l)));
            json_object_set_new(x, "format", json_string(interdict_list_format(l)));
            json_object_set_new(x, "source", json_string(interdict_list_source(l)));
            json_object_set_new(x, "generated", json_string(interdict_list_generated(l)));
            json_object_set_new(x, "sha256", json_string(interdict_list_checksum(l)));
            if (ll.version_ids[i])
                json_object_set_new(x, "version", json_integer(ll.version_ids[i]));
            json_object_set_new(x, "entries", json_integer((json_int_t)interdict_list_count(l)));
            json_object_set_new(x, "persons", json_integer((json_int_t)persons));
            json_object_set_new(x, "entities", json_integer((json_int_t)entities));
            json_object_set_new(x, "vessels", json_integer((json_int_t)vessels));
            json_object_set_new(x, "aircraft", json_integer((json_int_t)aircraft));
            json_object_set_new(x, "names", json_integer((json_int_t)names));
            json_array_append_new(arr, x);
        } else {
            printf("%-9s %-12s generated %-10s  %zu entries (%zu persons, %zu entities",
                   interdict_list_id(l), interdict_list_format(l), interdict_list_generated(l),
                   interdict_list_count(l), persons, entities);
            if (vessels)
                printf(", %zu vessels", vessels);
            if (aircraft)
                printf(", %zu aircraft", aircraft);
            printf("), %zu names\n          from %s\n          sha256 %s\n", names,
                   interdict_list_source(l), interdict_list_checksum(l));
        }
    }
    if (o->json) {
        json_t *out = json_object();
        json_object_set_new(out, "lists", arr);
        size_t shared;
        size_t parties = interdict_index_parties(ll.index, &shared);
        json_object_set_new(out, "indexed_names",
                            json_integer((json_int_t)interdict_index_names(ll.index)));
        json_object_set_new(out, "parties", json_integer((json_int_t)parties));
        json_object_set_new(out, "parties_on_several_lists", json_integer((json_int_t)shared));
        dump_json(out);
    } else {
        json_decref(arr);
        size_t shared;
        size_t parties = interdict_index_parties(ll.index, &shared);
        printf("index: %zu names of %zu entries, %zu parties (%zu on several lists)\n",
               interdict_index_names(ll.index), interdict_index_entries(ll.index), parties,
               shared);
    }
    free_lists(&ll);
    return EXIT_OK;
}

/* ---- import and versions -------------------------------------------------- */

static void print_version(const interdict_list_version *v)
{
    printf("%-9s #%-4lld %s generated %-10s %6lld entries  imported %s%s\n"
           "          from %s\n          sha256 %s\n",
           v->list_id, (long long)v->id, v->format, v->generated, (long long)v->entries,
           v->imported_at, v->active ? "  (active)" : "", v->origin, v->sha256);
}

static json_t *version_to_json(const interdict_list_version *v)
{
    json_t *x = json_object();
    json_object_set_new(x, "version", json_integer(v->id));
    json_object_set_new(x, "list", json_string(v->list_id));
    json_object_set_new(x, "format", json_string(v->format));
    json_object_set_new(x, "generated", json_string(v->generated));
    json_object_set_new(x, "imported_at", json_string(v->imported_at));
    json_object_set_new(x, "origin", json_string(v->origin));
    json_object_set_new(x, "sha256", json_string(v->sha256));
    json_object_set_new(x, "bytes", json_integer(v->bytes));
    json_object_set_new(x, "entries", json_integer(v->entries));
    json_object_set_new(x, "active", json_boolean(v->active));
    return x;
}

static int lists_import(lists_opts *o)
{
    if (o->n_args == 0) {
        fputs(LISTS_USAGE, stderr);
        return EXIT_USAGE;
    }
    interdict_store *st;
    int rc = open_store(&o->src, &st);
    if (rc)
        return rc;
    for (size_t i = 0; i < o->n_args; i++) {
        interdict_list *l;
        interdict_error err;
        interdict_list_version v;
        int unchanged = 0;
        if (interdict_list_load(o->args[i], &l, &err) != INTERDICT_OK) {
            print_error("not imported", &err);
            rc = EXIT_FAILURE_;
            continue;
        }
        if (interdict_store_import(st, l, o->args[i], o->force ? 0 : o->min_ratio, &v,
                                   &unchanged, &err) != INTERDICT_OK) {
            print_error("not imported", &err);
            rc = EXIT_FAILURE_;
        } else {
            printf("%s: %s version #%lld, %lld entries, generated %s\n", o->args[i],
                   unchanged ? "unchanged, already stored as" : "imported as",
                   (long long)v.id, (long long)v.entries, v.generated[0] ? v.generated : "-");
        }
        interdict_list_free(l);
    }
    interdict_store_close(st);
    return rc;
}

static int lists_versions(lists_opts *o)
{
    interdict_store *st;
    int rc = open_store(&o->src, &st);
    if (rc)
        return rc;
    interdict_list_version *v = NULL;
    size_t n = 0;
    interdict_error err;
    if (interdict_store_versions(st, o->n_args ? o->args[0] : NULL, 0, &v, &n, &err) !=
        INTERDICT_OK) {
        print_error("cannot read the store", &err);
        interdict_store_close(st);
        return EXIT_FAILURE_;
    }
    if (o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, version_to_json(&v[i]));
        dump_json(arr);
    } else {
        if (n == 0)
            printf("no list versions stored in %s\n", store_or_default(&o->src));
        for (size_t i = 0; i < n; i++)
            print_version(&v[i]);
    }
    free(v);
    interdict_store_close(st);
    return EXIT_OK;
}

/* ---- diff ----------------------------------------------------------------- */

/* A file, or @N for a stored version. */
static int load_one(const lists_opts *o, const char *what, interdict_list **out)
{
    interdict_error err;
    if (what[0] == '@') {
        char *end;
        long long id = strtoll(what + 1, &end, 10);
        if (*end || id <= 0) {
            fprintf(stderr, "interdict: '%s' is not a stored version (@N)\n", what);
            return EXIT_USAGE;
        }
        interdict_store *st;
        int rc = open_store(&o->src, &st);
        if (rc)
            return rc;
        interdict_status s = interdict_store_load(st, id, out, &err);
        interdict_store_close(st);
        if (s != INTERDICT_OK) {
            print_error("cannot load", &err);
            return EXIT_FAILURE_;
        }
        return EXIT_OK;
    }
    if (interdict_list_load(what, out, &err) != INTERDICT_OK) {
        print_error("cannot load list", &err);
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

static json_t *fields_json(unsigned fields)
{
    json_t *arr = json_array();
    for (unsigned b = 0; b < INTERDICT_FIELD_COUNT; b++)
        if (fields & (1u << b))
            json_array_append_new(arr, json_string(interdict_field_name(1u << b)));
    return arr;
}

static void print_fields(unsigned fields)
{
    const char *sep = "";
    for (unsigned b = 0; b < INTERDICT_FIELD_COUNT; b++)
        if (fields & (1u << b)) {
            printf("%s%s", sep, interdict_field_name(1u << b));
            sep = ", ";
        }
}

static json_t *list_json(const interdict_list *l)
{
    json_t *x = json_object();
    json_object_set_new(x, "source", json_string(interdict_list_source(l)));
    json_object_set_new(x, "generated", json_string(interdict_list_generated(l)));
    json_object_set_new(x, "sha256", json_string(interdict_list_checksum(l)));
    json_object_set_new(x, "entries", json_integer((json_int_t)interdict_list_count(l)));
    return x;
}

static int lists_diff(lists_opts *o)
{
    if (o->n_args != 2) {
        fputs(LISTS_USAGE, stderr);
        return EXIT_USAGE;
    }
    interdict_list *old_l = NULL, *new_l = NULL;
    int rc = load_one(o, o->args[0], &old_l);
    if (!rc)
        rc = load_one(o, o->args[1], &new_l);
    interdict_change *ch = NULL;
    size_t n = 0;
    interdict_error err;
    if (!rc && interdict_list_diff(old_l, new_l, &ch, &n, &err) != INTERDICT_OK) {
        print_error("cannot compare", &err);
        rc = EXIT_FAILURE_;
    }
    if (!rc) {
        size_t count[3] = {0, 0, 0};
        for (size_t i = 0; i < n; i++)
            count[ch[i].kind]++;
        if (o->json) {
            json_t *out = json_object(), *arr[3] = {json_array(), json_array(), json_array()};
            json_object_set_new(out, "list", json_string(interdict_list_id(new_l)));
            json_object_set_new(out, "old", list_json(old_l));
            json_object_set_new(out, "new", list_json(new_l));
            for (size_t i = 0; i < n; i++) {
                const interdict_entry *e = ch[i].new_entry ? ch[i].new_entry : ch[i].old_entry;
                json_t *x = json_object();
                json_object_set_new(x, "ref", json_string(e->ref));
                json_object_set_new(x, "name", json_string(e->names[0].text));
                if (ch[i].kind == INTERDICT_CHANGE_CHANGED)
                    json_object_set_new(x, "fields", fields_json(ch[i].fields));
                json_array_append_new(arr[ch[i].kind], x);
            }
            json_object_set_new(out, "added", arr[INTERDICT_CHANGE_ADDED]);
            json_object_set_new(out, "removed", arr[INTERDICT_CHANGE_REMOVED]);
            json_object_set_new(out, "changed", arr[INTERDICT_CHANGE_CHANGED]);
            dump_json(out);
        } else {
            printf("%s: %s (%s) -> %s (%s): %zu added, %zu removed, %zu changed\n",
                   interdict_list_id(new_l), interdict_list_source(old_l),
                   interdict_list_generated(old_l), interdict_list_source(new_l),
                   interdict_list_generated(new_l), count[INTERDICT_CHANGE_ADDED],
                   count[INTERDICT_CHANGE_REMOVED], count[INTERDICT_CHANGE_CHANGED]);
            static const char MARK[3] = {'+', '-', '~'};
            for (size_t i = 0; i < n; i++) {
                const interdict_entry *e = ch[i].new_entry ? ch[i].new_entry : ch[i].old_entry;
                printf("%c %-12s %s", MARK[ch[i].kind], e->ref, e->names[0].text);
                if (ch[i].kind == INTERDICT_CHANGE_CHANGED) {
                    printf("  (");
                    print_fields(ch[i].fields);
                    printf(")");
                }
                putchar('\n');
            }
        }
    }
    free(ch);
    interdict_list_free(old_l);
    interdict_list_free(new_l);
    return rc;
}

/* ---- update --------------------------------------------------------------- */

/* One list to keep fresh: its id and the URLs of its files (the main file
 * first), each saved under a name that tells the parser what it is. */
typedef struct source_def {
    const char *id;
    const char *urls[LIST_SET_MAX];
    const char *names[LIST_SET_MAX];
    size_t n;
} source_def;

/* The official addresses. */
static const source_def DEFAULT_SOURCES[] = {
    {"un", {"https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
     {"consolidated.xml"}, 1},
    {"ofac", {"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML"},
     {"sdn.xml"}, 1},
    {"ofac-cons",
     {"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONSOLIDATED.XML"},
     {"cons.xml"}, 1},
    {"eu",
     {"https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
      "content?token=dG9rZW4tMjAxNw"},
     {"eu_fsf.xml"}, 1},
    {"uk", {"https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"},
     {"UK-Sanctions-List.xml"}, 1},
};

/* The last path segment of a URL, without query or fragment. */
static void url_file_name(const char *url, char *out, size_t size)
{
    const char *end = url + strcspn(url, "?#");
    const char *start = end;
    while (start > url && start[-1] != '/')
        start--;
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= size) {
        snprintf(out, size, "list");
        return;
    }
    memcpy(out, start, n);
    out[n] = '\0';
}

/* Reads {"lists": [{"id": "un", "urls": ["..."], "names": ["..."]}, ...]}. */
static int read_config(const char *path, json_t **root, source_def **defs, size_t *n)
{
    json_error_t jerr;
    *root = json_load_file(path, 0, &jerr);
    if (!*root) {
        fprintf(stderr, "interdict: %s:%d: %s\n", path, jerr.line, jerr.text);
        return EXIT_FAILURE_;
    }
    json_t *lists = json_object_get(*root, "lists");
    if (!json_is_array(lists) || json_array_size(lists) == 0) {
        fprintf(stderr, "interdict: %s: \"lists\" must be a non-empty array\n", path);
        return EXIT_FAILURE_;
    }
    *n = json_array_size(lists);
    *defs = calloc(*n, sizeof **defs);
    if (!*defs)
        return EXIT_FAILURE_;
    for (size_t i = 0; i < *n; i++) {
        json_t *x = json_array_get(lists, i), *urls = json_object_get(x, "urls");
        json_t *names = json_object_get(x, "names");
        source_def *d = &(*defs)[i];
        d->id = json_string_value(json_object_get(x, "id"));
        if (!d->id || !json_is_array(urls) || json_array_size(urls) == 0 ||
            json_array_size(urls) > LIST_SET_MAX) {
            fprintf(stderr, "interdict: %s: lists[%zu] needs an \"id\" and 1 to %d \"urls\"\n",
                    path, i, LIST_SET_MAX);
            return EXIT_FAILURE_;
        }
        d->n = json_array_size(urls);
        for (size_t k = 0; k < d->n; k++) {
            d->urls[k] = json_string_value(json_array_get(urls, k));
            d->names[k] = json_string_value(json_array_get(names, k));
            if (!d->urls[k] || (d->names[k] && (strchr(d->names[k], '/') || !*d->names[k]))) {
                fprintf(stderr, "interdict: %s: lists[%zu]: bad URL or file name\n", path, i);
                return EXIT_FAILURE_;
            }
        }
    }
    return EXIT_OK;
}

static void report(const char *id, const char *what, const interdict_error *err)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s: %s", id, what);
    print_error(prefix, err);
}

/* Downloads one list into a private folder, checks it parses and is the
 * list expected, and imports it: only then does it replace the active one. */
static int update_one(interdict_store *st, const source_def *d, double min_ratio)
{
    char dir[] = "/tmp/interdict-update-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("interdict: temporary folder");
        return EXIT_FAILURE_;
    }
    char paths[LIST_SET_MAX][512];
    size_t fetched = 0;
    interdict_error err;
    int rc = EXIT_OK;
    for (size_t k = 0; k < d->n && rc == EXIT_OK; k++) {
        char name[256];
        if (d->names[k])
            snprintf(name, sizeof name, "%s", d->names[k]);
        else
            url_file_name(d->urls[k], name, sizeof name);
        snprintf(paths[k], sizeof paths[k], "%s/%s", dir, name);
        if (interdict_fetch(d->urls[k], paths[k], 0, 0, &err) != INTERDICT_OK) {
            report(d->id, "download failed, active version kept", &err);
            rc = EXIT_FAILURE_;
        } else {
            fetched++;
        }
    }
    interdict_list *l = NULL;
    if (rc == EXIT_OK && interdict_list_load(paths[0], &l, &err) != INTERDICT_OK) {
        report(d->id, "downloaded list unusable, active version kept", &err);
        rc = EXIT_FAILURE_;
    }
    if (rc == EXIT_OK && strcmp(interdict_list_id(l), d->id) != 0) {
        fprintf(stderr, "interdict: %s: the download from %s is list \"%s\", not \"%s\"; "
                        "active version kept\n", d->id, d->urls[0], interdict_list_id(l), d->id);
        rc = EXIT_FAILURE_;
    }
    interdict_list_version v;
    int unchanged = 0;
    if (rc == EXIT_OK &&
        interdict_store_import(st, l, d->urls[0], min_ratio, &v, &unchanged, &err) != INTERDICT_OK) {
        report(d->id, "not stored, active version kept", &err);
        rc = EXIT_FAILURE_;
    }
    if (rc == EXIT_OK)
        printf("%-9s %s #%lld, generated %s, %lld entries\n", d->id,
               unchanged ? "unchanged:" : "updated to", (long long)v.id,
               v.generated[0] ? v.generated : "-", (long long)v.entries);
    interdict_list_free(l);
    for (size_t k = 0; k < fetched; k++)
        unlink(paths[k]);
    rmdir(dir);
    return rc;
}

static int lists_update(lists_opts *o)
{
    json_t *root = NULL;
    source_def *defs = NULL;
    const source_def *use = DEFAULT_SOURCES;
    size_t n = sizeof DEFAULT_SOURCES / sizeof *DEFAULT_SOURCES;
    int rc = EXIT_OK;
    if (o->config) {
        rc = read_config(o->config, &root, &defs, &n);
        use = defs;
    }
    interdict_store *st = NULL;
    if (!rc)
        rc = open_store(&o->src, &st);
    int failed = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (o->n_args) {        /* only the lists named */
            bool named = false;
            for (size_t k = 0; k < o->n_args; k++)
                named |= strcmp(o->args[k], use[i].id) == 0;
            if (!named)
                continue;
        }
        failed |= update_one(st, &use[i], o->force ? 0 : o->min_ratio) != EXIT_OK;
    }
    interdict_store_close(st);
    free(defs);
    json_decref(root);
    return rc ? rc : failed ? EXIT_FAILURE_ : EXIT_OK;
}

int cmd_lists(int argc, char **argv)
{
    if (argc < 2) {
        fputs(LISTS_USAGE, stderr);
        return EXIT_USAGE;
    }
    lists_opts o;
    int rc = parse_lists_opts(argc - 1, argv + 1, &o);
    if (rc)
        return rc;
    const char *sub = argv[1];
    if (!strcmp(sub, "show") && o.n_args == 0)
        return lists_show(&o);
    if (!strcmp(sub, "import"))
        return lists_import(&o);
    if (!strcmp(sub, "versions") && o.n_args <= 1)
        return lists_versions(&o);
    if (!strcmp(sub, "diff"))
        return lists_diff(&o);
    if (!strcmp(sub, "update"))
        return lists_update(&o);
    fputs(LISTS_USAGE, stderr);
    return EXIT_USAGE;
}
