/* list.c - loading a list file: reading, format detection, accessors.
 *
 * The format is decided from the content, never from the file name, so a
 * renamed or mislabelled download is still read (or refused) correctly. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* fileno, fstat */
#endif
#include "list.h"
#include "../util/error.h"
#include "../util/sha256.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { READ_CHUNK = 1 << 20 };

/* ---- Reading ------------------------------------------------------------ */

/* Grows *buf by doubling, but never past the limit plus one byte (enough
 * to see that a file is too large). Returns 0 when out of memory. */
static int grow_buffer(char **buf, size_t *cap)
{
    size_t n = *cap ? *cap * 2 : READ_CHUNK;
    if (n > LIST_MAX_FILE_BYTES + 1)
        n = LIST_MAX_FILE_BYTES + 1;
    char *p = realloc(*buf, n);
    if (!p)
        return 0;
    *buf = p;
    *cap = n;
    return 1;
}

static interdict_status too_large(const char *path, interdict_error *err)
{
    return set_error(err, INTERDICT_ERR_LIMIT, path, 0, "", "file larger than %zu MB",
                     LIST_MAX_FILE_BYTES >> 20);
}

/* Reads a whole stream. Regular files over the limit are refused before
 * reading; pipes and special files, whose size is not known in advance,
 * are read until the limit is passed. */
static interdict_status read_stream(FILE *f, const char *path, char **out,
                                    size_t *out_len, interdict_error *err)
{
    struct stat st;
    int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    if (regular && (uintmax_t)st.st_size > LIST_MAX_FILE_BYTES)
        return too_large(path, err);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (regular && st.st_size > 0) {
        /* the size is known: one buffer and one read, a byte more to see
         * the end (a file that grows meanwhile still grows the buffer) */
        cap = (size_t)st.st_size + 1;
        buf = malloc(cap);
        if (!buf)
            cap = 0;
    }
    for (;;) {
        if (len == cap && !grow_buffer(&buf, &cap)) {
            free(buf);
            return set_error(err, INTERDICT_ERR_NOMEM, path, 0, "",
                             "out of memory reading the file");
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > LIST_MAX_FILE_BYTES) {
            free(buf);
            return too_large(path, err);
        }
        if (got == 0 || feof(f) || ferror(f))
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        return set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot read: %s",
                         strerror(e ? e : EIO));
    }
    *out = buf;
    *out_len = len;
    return INTERDICT_OK;
}

interdict_status list_read_file(const char *path, char **out, size_t *out_len,
                                interdict_error *err)
{
    errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot open: %s",
                         strerror(errno));
    errno = 0;
    interdict_status rc = read_stream(f, path, out, out_len, err);
    fclose(f);
    return rc;
}

static interdict_status load(const char *data, size_t len, const char *name,
                             const char *path, interdict_list **out, interdict_error *err);

interdict_status list_read_sibling(interdict_list *list, const char *path, char **out,
                                   size_t *out_len, interdict_error *err)
{
    if (list->n_files == LIST_MAX_FILES)
        return set_error(err, INTERDICT_ERR_LIMIT, path, 0, "", "too many files in one list");
    interdict_status rc = list_read_file(path, out, out_len, err);
    if (rc != INTERDICT_OK)
        return rc;
    struct list_file *f = &list->files[list->n_files];
    f->path = arena_strdup(&list->mem, path);
    if (!f->path || sha256_hex(*out, *out_len, f->sha256) < 0) {
        free(*out);
        *out = NULL;
        return set_error(err, INTERDICT_ERR_NOMEM, path, 0, "", "out of memory");
    }
    list->n_files++;
    return INTERDICT_OK;
}

interdict_status interdict_list_load(const char *path, interdict_list **out,
                                     interdict_error *err)
{
    clear_error(err);
    if (out)
        *out = NULL;
    if (!path || !out)
        return set_error(err, INTERDICT_ERR_INVALID, path, 0, "",
                         "no path or output given");
    char *data = NULL;
    size_t len = 0;
    interdict_status rc = list_read_file(path, &data, &len, err);
    if (rc != INTERDICT_OK)
        return rc;
    rc = load(data, len, path, path, out, err);
    free(data);
    return rc;
}

/* ---- Format detection ----------------------------------------------------- */

typedef enum {
    FORMAT_UNKNOWN,
    FORMAT_UN_XML,
    FORMAT_OFAC_XML,
    FORMAT_OFAC_CSV,
    FORMAT_EU_XML,
    FORMAT_UK_XML,
    FORMAT_UK_CSV,
    FORMAT_FTM_JSON
} list_format;

typedef interdict_status (*list_parser)(interdict_list *list, const char *data, size_t len,
                                        const char *name, const char *path,
                                        interdict_error *err);

static interdict_status parse_un(interdict_list *list, const char *data, size_t len,
                                 const char *name, const char *path, interdict_error *err)
{
    (void)path;
    return list_parse_un_xml(list, data, len, name, err);
}

static const list_parser PARSERS[] = {
    [FORMAT_UN_XML] = parse_un,
    [FORMAT_OFAC_XML] = list_parse_ofac_xml,
    [FORMAT_OFAC_CSV] = list_parse_ofac_csv,
    [FORMAT_EU_XML] = list_parse_eu_xml,
    [FORMAT_UK_XML] = list_parse_uk_xml,
    [FORMAT_UK_CSV] = list_parse_uk_csv,
    [FORMAT_FTM_JSON] = list_parse_ftm_json,
};

/* Root elements of the XML formats. */
static const struct {
    const char *root;
    list_format format;
} XML_ROOTS[] = {
    {"CONSOLIDATED_LIST", FORMAT_UN_XML},
    {"sdnList", FORMAT_OFAC_XML},
    {"export", FORMAT_EU_XML},                       /* EU Financial Sanctions Files */
    {"Designations", FORMAT_UK_XML},                 /* UK Sanctions List (FCDO) */
    {"ArrayOfFinancialSanctionsTarget", FORMAT_UK_XML}, /* OFSI consolidated list */
};

/* Skips a construct that ends with `end`; returns the position after it or
 * `stop` when it is not closed. */
static const char *skip_past(const char *p, const char *stop, const char *end)
{
    size_t n = strlen(end);
    for (; p + n <= stop; p++)
        if (memcmp(p, end, n) == 0)
            return p + n;
    return stop;
}

/* Skips <!DOCTYPE ...>, including an internal subset in [...] whose
 * declarations may contain '>' inside quoted strings. */
static const char *skip_doctype(const char *p, const char *stop)
{
    int depth = 0;
    char quote = 0;
    for (; p < stop; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '[') {
            depth++;
        } else if (*p == ']') {
            depth--;
        } else if (*p == '>' && depth <= 0) {
            return p + 1;
        }
    }
    return stop;
}

static int starts_with(const char *p, const char *stop, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(stop - p) >= n && memcmp(p, s, n) == 0;
}

/* Returns the start of the root element's name (just after '<'), or NULL
 * when the text does not look like XML. */
static const char *find_root_element(const char *p, const char *stop)
{
    if (starts_with(p, stop, "\xEF\xBB\xBF"))
        p += 3;
    while (p < stop) {
        if (isspace((unsigned char)*p))
            p++;
        else if (starts_with(p, stop, "<?"))
            p = skip_past(p + 2, stop, "?>");
        else if (starts_with(p, stop, "<!--"))
            p = skip_past(p + 4, stop, "-->");
        else if (starts_with(p, stop, "<!DOCTYPE"))
            p = skip_doctype(p + 9, stop);
        else if (*p == '<' && p + 1 < stop)
            return p + 1;
        else
            return NULL;
    }
    return NULL;
}

static int is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' ||
           c == ':' || (unsigned char)c >= 0x80;
}

/* 1-based line number of position p. */
static long line_at(const char *data, const char *p)
{
    long line = 1;
    for (const char *q = data; q < p; q++)
        line += *q == '\n';
    return line;
}

static list_format detect_format(const char *data, size_t len, const char *name,
                                 interdict_error *err, interdict_status *rc)
{
    const char *stop = data + len;
    *rc = INTERDICT_OK;
    if (starts_with(data, stop, "\xFF\xFE") || starts_with(data, stop, "\xFE\xFF")) {
        *rc = set_error(err, INTERDICT_ERR_FORMAT, name, 0, "",
                        "not XML in UTF-8 (UTF-16 byte order mark)");
        return FORMAT_UNKNOWN;
    }
    const char *first = data;
    if (starts_with(first, stop, "\xEF\xBB\xBF"))
        first += 3;
    while (first < stop && isspace((unsigned char)*first))
        first++;
    if (first < stop && *first == '{')
        return FORMAT_FTM_JSON;
    if (list_sniff_ofac_csv(data, len))
        return FORMAT_OFAC_CSV;
    if (list_sniff_uk_csv(data, len))
        return FORMAT_UK_CSV;
    const char *root = find_root_element(data, stop);
    size_t n = 0;
    while (root && root + n < stop && is_name_char(root[n]))
        n++;
    if (!root || n == 0) {
        *rc = set_error(err, INTERDICT_ERR_FORMAT, name, 0, "",
                        "not a known list format (neither XML, JSON lines nor a known CSV)");
        return FORMAT_UNKNOWN;
    }
    const char *colon = memchr(root, ':', n);      /* a namespace prefix */
    const char *local = colon ? colon + 1 : root;
    size_t local_n = (size_t)(root + n - local);
    for (size_t i = 0; i < sizeof XML_ROOTS / sizeof *XML_ROOTS; i++)
        if (strlen(XML_ROOTS[i].root) == local_n && memcmp(local, XML_ROOTS[i].root, local_n) == 0)
            return XML_ROOTS[i].format;
    *rc = set_error(err, INTERDICT_ERR_FORMAT, name, line_at(data, root), "",
                    "not a known list format (root element <%.*s>)",
                    (int)(n > 64 ? 64 : n), root);
    return FORMAT_UNKNOWN;
}

/* ---- Loading ------------------------------------------------------------ */

/* The digest of a one-file list is that file's SHA-256, which anyone can
 * check with sha256sum; a file set's is the SHA-256 of the main file's and
 * the further files' hex digests, joined by newlines in reading order. */
static interdict_status set_checksum(interdict_list *list, const char *data, size_t len,
                                     const char *name, interdict_error *err)
{
    if (sha256_hex(data, len, list->sha256) < 0)
        return set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "cannot compute SHA-256");
    if (list->n_files == 0)
        return INTERDICT_OK;
    char joined[(LIST_MAX_FILES + 1) * 65];
    size_t at = 0;
    memcpy(joined, list->sha256, 64);
    at = 64;
    for (size_t i = 0; i < list->n_files; i++) {
        joined[at++] = '\n';
        memcpy(joined + at, list->files[i].sha256, 64);
        at += 64;
    }
    if (sha256_hex(joined, at, list->sha256) < 0)
        return set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "cannot compute SHA-256");
    return INTERDICT_OK;
}

static interdict_list *list_new(const char *name)
{
    interdict_list *list = calloc(1, sizeof *list);
    if (!list)
        return NULL;
    arena_init(&list->mem);
    list->id = "";
    list->format = "";
    list->generated = "";
    list->source = arena_strdup(&list->mem, name);
    if (!list->source) {
        interdict_list_free(list);
        return NULL;
    }
    return list;
}

interdict_status interdict_list_load_memory(const char *data, size_t len,
                                            const char *name,
                                            interdict_list **out,
                                            interdict_error *err)
{
    clear_error(err);
    return load(data, len, name, NULL, out, err);
}

static interdict_status load(const char *data, size_t len, const char *name,
                             const char *path, interdict_list **out, interdict_error *err)
{
    if (!name)
        name = "<memory>";
    if (out)
        *out = NULL;
    if (!out || (!data && len))
        return set_error(err, INTERDICT_ERR_INVALID, name, 0, "",
                         "no data or output given");
    if (len == 0)
        return set_error(err, INTERDICT_ERR_FORMAT, name, 0, "", "empty file");
    if (len > LIST_MAX_FILE_BYTES)
        return set_error(err, INTERDICT_ERR_LIMIT, name, 0, "",
                         "input larger than %zu MB", LIST_MAX_FILE_BYTES >> 20);

    interdict_status rc;
    list_format format = detect_format(data, len, name, err, &rc);
    if (format == FORMAT_UNKNOWN)
        return rc;

    interdict_list *list = list_new(name);
    if (!list)
        return set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "out of memory");
    rc = PARSERS[format](list, data, len, name, path, err);
    if (rc == INTERDICT_OK)
        rc = set_checksum(list, data, len, name, err);
    if (rc != INTERDICT_OK) {
        interdict_list_free(list);
        return rc;
    }
    *out = list;
    return INTERDICT_OK;
}

interdict_entry *list_add_entry(interdict_list *list)
{
    if (list->n_entries == list->cap_entries) {
        size_t cap = list->cap_entries ? list->cap_entries * 2 : 256;
        if (cap > SIZE_MAX / sizeof *list->entries)
            return NULL;
        interdict_entry *p = realloc(list->entries, cap * sizeof *p);
        if (!p)
            return NULL;
        list->entries = p;
        list->cap_entries = cap;
    }
    interdict_entry *e = &list->entries[list->n_entries++];
    memset(e, 0, sizeof *e);
    return e;
}

void interdict_list_free(interdict_list *list)
{
    if (!list)
        return;
    arena_free(&list->mem);
    free(list->entries);
    free(list);
}

/* ---- Accessors ---------------------------------------------------------- */

const char *interdict_list_id(const interdict_list *list)
{
    return list ? list->id : "";
}

const char *interdict_list_checksum(const interdict_list *list)
{
    return list ? list->sha256 : "";
}

size_t interdict_list_file_count(const interdict_list *list)
{
    return list ? 1 + list->n_files : 0;
}

const char *interdict_list_file(const interdict_list *list, size_t i)
{
    if (!list || i > list->n_files)
        return NULL;
    return i == 0 ? list->source : list->files[i - 1].path;
}

const char *interdict_list_format(const interdict_list *list)
{
    return list ? list->format : "";
}

const char *interdict_list_source(const interdict_list *list)
{
    return list ? list->source : "";
}

const char *interdict_list_generated(const interdict_list *list)
{
    return list ? list->generated : "";
}

size_t interdict_list_count(const interdict_list *list)
{
    return list ? list->n_entries : 0;
}

const interdict_entry *interdict_list_entry(const interdict_list *list, size_t i)
{
    if (!list || i >= list->n_entries)
        return NULL;
    return &list->entries[i];
}
