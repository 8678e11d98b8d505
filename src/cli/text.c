/* text.c - `interdict text`: mentions of listed parties in documents.
 *
 * Each FILE ("-" is standard input) is read in chunks and streamed through
 * the scanner, so memory stays bounded whatever the file's size; one JSON
 * line per file goes to standard output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CHUNK_BYTES ((size_t)1 << 20)
#define MAX_FILES 4096

static const char TEXT_USAGE[] =
    "usage: interdict text [--list PATH]... [--db PATH] [--threshold T] [--max-per-span N] FILE...\n"
    "  FILE '-' reads standard input\n";

/* JSON strings must be valid UTF-8: invalid bytes become U+FFFD. */
static json_t *utf8_string(const char *s, size_t n)
{
    char *out = malloc(n * 3 + 1);
    if (!out)
        return json_string("");
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (size_t j = 1; ok && j < len; j++)
            ok = ((unsigned char)s[i + j] & 0xC0) == 0x80;
        if (ok && len == 3) {
            unsigned char d = (unsigned char)s[i + 1];
            ok = !(c == 0xE0 && d < 0xA0) && !(c == 0xED && d >= 0xA0);
        } else if (ok && len == 4) {
            unsigned char d = (unsigned char)s[i + 1];
            ok = !(c == 0xF0 && d < 0x90) && !(c == 0xF4 && d >= 0x90);
        }
        if (ok && c != 0) {
            memcpy(out + k, s + i, len);
            k += len;
            i += len;
        } else {
            memcpy(out + k, "\xEF\xBF\xBD", 3);   /* U+FFFD */
            k += 3;
            i++;
        }
    }
    json_t *j = json_stringn(out, k);
    free(out);
    return j ? j : json_string("");
}

static json_t *text_hit_to_json(const interdict_text_hit *h)
{
    const interdict_entry *e = h->entry;
    json_t *o = json_object();
    json_object_set_new(o, "ref", json_string(e->ref));
    json_object_set_new(o, "list", json_string(e->list));
    json_object_set_new(o, "score", json_real(h->score));
    json_object_set_new(o, "start", json_integer((json_int_t)h->start));
    json_object_set_new(o, "end", json_integer((json_int_t)h->end));
    json_object_set_new(o, "text", utf8_string(h->text, strlen(h->text)));
    json_object_set_new(o, "name", utf8_string(h->matched_name, strlen(h->matched_name)));
    json_object_set_new(o, "listed_name", utf8_string(e->names[0].text, strlen(e->names[0].text)));
    json_object_set_new(o, "type", json_string(e->type == INTERDICT_PARTY_PERSON ? "person"
                                               : "entity"));
    json_object_set_new(o, "explanation", utf8_string(h->explanation, strlen(h->explanation)));
    return o;
}

static void print_line(json_t *o)
{
    json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    putchar('\n');
    json_decref(o);
}

static void print_failure(const char *name, const interdict_error *err)
{
    print_error(NULL, err);
    json_t *o = json_object();
    json_object_set_new(o, "file", utf8_string(name, strlen(name)));
    json_object_set_new(o, "error", error_to_json(err));
    json_object_set_new(o, "hits", json_array());
    print_line(o);
}

/* Screens one file; returns EXIT_OK, EXIT_ALERT or EXIT_FAILURE_. */
static int screen_file(const char *name, const interdict_index *ix,
                       const interdict_text_options *opt, interdict_text_result *res,
                       char *chunk, const char *versions)
{
    interdict_error err;
    memset(&err, 0, sizeof err);
    bool is_stdin = !strcmp(name, "-");
    FILE *f = is_stdin ? stdin : fopen(name, "rb");
    if (!f) {
        err.code = INTERDICT_ERR_IO;
        snprintf(err.file, sizeof err.file, "%s", name);
        snprintf(err.message, sizeof err.message, "cannot open: %s", strerror(errno));
        print_failure(name, &err);
        return EXIT_FAILURE_;
    }
    interdict_status st = interdict_text_begin(ix, opt, res, &err);
    size_t n;
    while (st == INTERDICT_OK && (n = fread(chunk, 1, CHUNK_BYTES, f)) > 0)
        st = interdict_text_feed(res, chunk, n, &err);
    if (st == INTERDICT_OK && ferror(f)) {
        err.code = st = INTERDICT_ERR_IO;
        snprintf(err.file, sizeof err.file, "%s", name);
        snprintf(err.message, sizeof err.message, "read error: %s", strerror(errno));
    }
    if (st == INTERDICT_OK)
        st = interdict_text_end(res, &err);
    if (!is_stdin)
        fclose(f);
    if (st != INTERDICT_OK) {
        if (!err.file[0] || !strcmp(err.file, "<text>"))
            snprintf(err.file, sizeof err.file, "%s", name);
        print_failure(name, &err);
        return EXIT_FAILURE_;
    }
    /* written hit by hit: a long document may hold many */
    const char *warning = interdict_text_result_warning(res);
    json_t *file = utf8_string(name, strlen(name));
    fputs("{\"file\":", stdout);
    json_dumpf(file, stdout, JSON_ENCODE_ANY);
    json_decref(file);
    if (warning) {
        json_t *w = json_string(warning);
        fputs(",\"warning\":", stdout);
        json_dumpf(w, stdout, JSON_ENCODE_ANY);
        json_decref(w);
        fprintf(stderr, "interdict: warning: %s: %s\n", name, warning);
    }
    fputs(",\"hits\":[", stdout);
    size_t count = interdict_text_result_count(res);
    for (size_t i = 0; i < count; i++) {
        if (i)
            putchar(',');
        json_t *h = text_hit_to_json(interdict_text_result_hit(res, i));
        json_dumpf(h, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        json_decref(h);
    }
    fputs("],\"lists\":", stdout);
    json_t *v = json_string(versions);
    json_dumpf(v, stdout, JSON_ENCODE_ANY);
    json_decref(v);
    fputs("}\n", stdout);
    fflush(stdout);
    return count ? EXIT_ALERT : EXIT_OK;
}

int cmd_text(int argc, char **argv)
{
    list_source src;
    memset(&src, 0, sizeof src);
    size_t n_files = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    interdict_text_options opt;
    memset(&opt, 0, sizeof opt);
    if (!files)
        return EXIT_FAILURE_;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int taken = options_done ? 0 : parse_list_option(argc, argv, &i, &src);
        if (taken < 0) {
            free(files);
            return EXIT_USAGE;
        }
        if (taken)
            continue;
        if (!options_done && !strcmp(a, "--")) {
            options_done = true;
        } else if (!options_done && (!strcmp(a, "--threshold") ||
                                     !strcmp(a, "--max-per-span"))) {
            if (i + 1 >= argc) {
                fprintf(stderr, "interdict: %s needs a value\n%s", a, TEXT_USAGE);
                free(files);
                return EXIT_USAGE;
            }
            const char *v = argv[++i];
            char *end;
            if (!strcmp(a, "--threshold")) {
                opt.threshold = strtod(v, &end);
                if (*end || !(opt.threshold > 0 && opt.threshold <= 1)) {
                    fprintf(stderr, "interdict: --threshold must be in (0, 1], not '%s'\n", v);
                    free(files);
                    return EXIT_USAGE;
                }
            } else {
                long n = strtol(v, &end, 10);
                if (*end || n < 1 || n > 100) {
                    fprintf(stderr, "interdict: --max-per-span must be 1..100, not '%s'\n", v);
                    free(files);
                    return EXIT_USAGE;
                }
                opt.max_hits_per_span = (size_t)n;
            }
        } else if (!options_done && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "interdict: unknown option '%s'\n%s", a, TEXT_USAGE);
            free(files);
            return EXIT_USAGE;
        } else {
            if (n_files == MAX_FILES) {
                fprintf(stderr, "interdict: at most %d files\n", MAX_FILES);
                free(files);
                return EXIT_USAGE;
            }
            files[n_files++] = a;
        }
    }
    if (!n_files) {
        fprintf(stderr, "interdict: text needs a FILE ('-' for standard input)\n%s", TEXT_USAGE);
        free(files);
        return EXIT_USAGE;
    }
    loaded_lists ll;
    int rc = load_lists(&src, &ll);
    if (rc) {
        free(files);
        return rc;
    }
    interdict_text_result *res = interdict_text_result_new();
    char *chunk = malloc(CHUNK_BYTES);
    if (!res || !chunk) {
        fprintf(stderr, "interdict: out of memory\n");
        rc = EXIT_FAILURE_;
    } else {
        bool failed = false, alert = false;
        for (size_t i = 0; i < n_files; i++) {
            int r = screen_file(files[i], ll.index, &opt, res, chunk, ll.versions);
            failed = failed || r == EXIT_FAILURE_;
            alert = alert || r == EXIT_ALERT;
        }
        rc = failed ? EXIT_FAILURE_ : alert ? EXIT_ALERT : EXIT_OK;
    }
    free(chunk);
    interdict_text_result_free(res);
    free_lists(&ll);
    free(files);
    return rc;
}
