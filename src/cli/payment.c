/* payment.c - `interdict payment`: screens payment message files (ISO 20022
 * pacs.008 / pain.001, SWIFT MT103 / MT202 / MT202COV) and writes one JSON
 * line per message with the decision of each transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_FILES 4096
#define STDIN_MAX ((size_t)64 * 1024 * 1024)

typedef struct payment_opts {
    list_source src;
    const char *rules;
    double threshold;
    bool parties;
    const char **files;
    size_t n_files;
} payment_opts;

static const char PAYMENT_USAGE[] =
    "usage: interdict payment [--list PATH]... [--db PATH] [--rules RULES.json] [--threshold T]\n"
    "                         [--parties] FILE...\n";

static int parse_payment_opts(int argc, char **argv, payment_opts *o)
{
    memset(o, 0, sizeof *o);
    o->files = calloc((size_t)argc, sizeof *o->files);
    if (!o->files)
        return EXIT_FAILURE_;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int taken = only_files ? 0 : parse_list_option(argc, argv, &i, &o->src);
        if (taken < 0)
            return EXIT_USAGE;
        if (taken)
            continue;
        if (only_files || a[0] != '-' || !strcmp(a, "-")) {
            if (o->n_files == MAX_FILES) {
                fprintf(stderr, "interdict: at most %d files\n", MAX_FILES);
                return EXIT_USAGE;
            }
            o->files[o->n_files++] = a;
        } else if (!strcmp(a, "--")) {
            only_files = true;
        } else if (!strcmp(a, "--json")) {
            /* JSON lines are the only output; accepted like the other commands */
        } else if (!strcmp(a, "--parties")) {
            o->parties = true;
        } else if (!strcmp(a, "--rules") || !strcmp(a, "--threshold")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "interdict: %s needs a value\n", a);
                return EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--rules")) {
                o->rules = v;
            } else {
                char *end;
                o->threshold = strtod(v, &end);
                if (*end || o->threshold <= 0 || o->threshold > 1) {
                    fprintf(stderr, "interdict: --threshold must be in (0, 1], not '%s'\n", v);
                    return EXIT_USAGE;
                }
            }
        } else {
            fprintf(stderr, "interdict: unknown option '%s'\n%s", a, PAYMENT_USAGE);
            return EXIT_USAGE;
        }
    }
    if (o->n_files == 0) {
        fprintf(stderr, "interdict: payment needs at least one FILE\n%s", PAYMENT_USAGE);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static json_t *payment_hit_to_json(const interdict_payment_hit *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(interdict_payment_hit_kind_name(h->kind)));
    json_object_set_new(o, "field", json_string(h->field));
    json_object_set_new(o, "role", json_string(h->role));
    json_object_set_new(o, "value", json_string(h->value));
    json_object_set_new(o, "reason", json_string(h->reason));
    if (h->match) {
        json_object_set_new(o, "match", hit_to_json(h->match));
    } else if (h->entry) {
        json_object_set_new(o, "ref", json_string(h->entry->ref));
        json_object_set_new(o, "list", json_string(h->entry->list));
        json_object_set_new(o, "listed_name", json_string(h->entry->names[0].text));
    }
    return o;
}

static json_t *party_to_json(const interdict_payment_party *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "role", json_string(p->role));
    json_object_set_new(o, "field", json_string(p->field));
    json_object_set_new(o, "type", json_string(party_type_word(p->type)));
    if (*p->name)
        json_object_set_new(o, "name", json_string(p->name));
    if (p->n_address) {
        json_t *a = json_array();
        for (size_t i = 0; i < p->n_address; i++)
            json_array_append_new(a, json_string(p->address[i]));
        json_object_set_new(o, "address", a);
    }
    if (*p->country)
        json_object_set_new(o, "country", json_string(p->country));
    if (*p->bic)
        json_object_set_new(o, "bic", json_string(p->bic));
    if (*p->account)
        json_object_set_new(o, "account", json_string(p->account));
    return o;
}

static json_t *errors_to_json(const interdict_error *e, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, error_to_json(&e[i]));
    return a;
}

static json_t *transaction_to_json(const interdict_payment_transaction *t, bool parties)
{
    json_t *o = json_object();
    json_object_set_new(o, "transaction", json_integer((json_int_t)t->number));
    json_object_set_new(o, "id", json_string(t->id));
    if (*t->field)
        json_object_set_new(o, "field", json_string(t->field));
    if (t->line > 0)
        json_object_set_new(o, "line", json_integer(t->line));
    json_object_set_new(o, "decision", json_string(t->hold ? "hold" : "pass"));
    json_t *c = json_array();
    for (size_t i = 0; i < t->n_countries; i++)
        json_array_append_new(c, json_string(t->countries[i]));
    json_object_set_new(o, "countries", c);
    json_t *hits = json_array();
    for (size_t i = 0; i < t->n_hits; i++)
        json_array_append_new(hits, payment_hit_to_json(&t->hits[i]));
    json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "errors", errors_to_json(t->errors, t->n_errors));
    if (parties) {
        json_t *p = json_array();
        for (size_t i = 0; i < t->n_parties; i++)
            json_array_append_new(p, party_to_json(t->parties[i]));
        json_object_set_new(o, "parties", p);
    }
    return o;
}

static void print_line(json_t *o)
{
    json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    putchar('\n');
    json_decref(o);
}

static void print_message(const char *file, const interdict_payment_message *m, bool parties,
                          const char *versions)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "message", json_integer((json_int_t)m->number));
    json_object_set_new(o, "type", json_string(m->type));
    json_object_set_new(o, "id", json_string(m->id));
    if (m->line > 0)
        json_object_set_new(o, "line", json_integer(m->line));
    json_object_set_new(o, "decision", json_string(m->hold ? "hold" : "pass"));
    json_t *txs = json_array();
    for (size_t i = 0; i < m->n_transactions; i++)
        json_array_append_new(txs, transaction_to_json(&m->transactions[i], parties));
    json_object_set_new(o, "transactions", txs);
    json_object_set_new(o, "errors", errors_to_json(m->errors, m->n_errors));
    json_object_set_new(o, "lists", json_string(versions));
    print_line(o);
}

/* A file that could not be read at all: said on stderr, and held on stdout
 * so that a consumer of the JSON lines sees it too. */
static void print_unreadable(const char *file, const interdict_error *err)
{
    print_error("cannot screen payments", err);
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "decision", json_string("hold"));
    json_object_set_new(o, "transactions", json_array());
    json_object_set_new(o, "errors", errors_to_json(err, 1));
    print_line(o);
}

static interdict_status screen_stdin(interdict_payment_screener *s, interdict_error *err)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *q = cap <= STDIN_MAX ? realloc(buf, cap * 2) : NULL;
            if (!q) {
                free(buf);
                snprintf(err->message, sizeof err->message, "standard input over %zu bytes or out of memory",
                         STDIN_MAX);
                err->code = INTERDICT_ERR_LIMIT;
                snprintf(err->file, sizeof err->file, "-");
                err->line = 0;
                err->field[0] = '\0';
                return err->code;
            }
            buf = q;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0)
            break;
    }
    if (!buf || ferror(stdin)) {
        free(buf);
        memset(err, 0, sizeof *err);
        err->code = INTERDICT_ERR_IO;
        snprintf(err->file, sizeof err->file, "-");
        snprintf(err->message, sizeof err->message, "cannot read standard input");
        return err->code;
    }
    interdict_status st = interdict_payment_screen_memory(s, buf, n, "-", err);
    free(buf);
    return st;
}

int cmd_payment(int argc, char **argv)
{
    payment_opts o;
    int rc = parse_payment_opts(argc, argv, &o);
    if (rc) {
        free(o.files);
        return rc;
    }
    loaded_lists ll;
    if ((rc = load_lists(&o.src, &ll))) {
        free(o.files);
        return rc;
    }
    interdict_error err;
    interdict_payment_rules *rules = NULL;
    interdict_payment_screener *s = NULL;
    interdict_status st = o.rules ? interdict_payment_rules_load(o.rules, ll.index, &rules, &err)
                                  : interdict_payment_rules_default(ll.index, &rules, &err);
    if (st != INTERDICT_OK) {
        print_error("cannot load payment rules", &err);
        rc = EXIT_FAILURE_;
        goto done;
    }
    if (interdict_payment_screener_new(ll.index, rules, o.threshold, &s, &err) != INTERDICT_OK) {
        print_error("cannot screen payments", &err);
        rc = EXIT_FAILURE_;
        goto done;
    }
    bool unreadable = false, held = false;
    for (size_t f = 0; f < o.n_files; f++) {
        const char *file = o.files[f];
        st = !strcmp(file, "-") ? screen_stdin(s, &err) : interdict_payment_screen_file(s, file, &err);
        if (st != INTERDICT_OK) {
            print_unreadable(file, &err);
            unreadable = true;
            continue;
        }
        for (size_t i = 0; i < interdict_payment_message_count(s); i++) {
            const interdict_payment_message *m = interdict_payment_message_at(s, i);
            print_message(file, m, o.parties, ll.versions);
            held |= m->hold != 0;
        }
        fflush(stdout);
    }
    rc = unreadable ? EXIT_FAILURE_ : held ? EXIT_ALERT : EXIT_OK;
done:
    interdict_payment_screener_free(s);
    interdict_payment_rules_free(rules);
    free_lists(&ll);
    free(o.files);
    return rc;
}
