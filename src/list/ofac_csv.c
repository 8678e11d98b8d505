/* ofac_csv.c - OFAC's legacy CSV set (sdn.csv or cons_prim.csv and the
 * address, alias and comment files beside it).
 *
 * The files have no header row and write an empty field as -0- (often with
 * a trailing space). Every row of the side files refers to an entry of the
 * main file by its ent_num; all files are read in full before the entries
 * are built, so an entry gets its aliases and addresses wherever their rows
 * are, and a row that refers to no entry is reported.
 *
 * Encoding: current files are ASCII; old copies came from a Windows system
 * (hence the DOS end-of-file byte 0x1A they end with) and may hold Windows-
 * 1252 letters. A file that is valid UTF-8 is read as such; a file with no
 * UTF-8 multi-byte sequence at all is read as Windows-1252 and converted;
 * a mix of both cannot be told apart and is refused, naming the line. */
#include "ofac.h"
#include "../util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Columns of each file. */
enum { MAIN_COLUMNS = 12, ALT_COLUMNS = 5, ADD_COLUMNS = 6, COMMENT_COLUMNS = 2 };
enum {
    COL_ENT_NUM, COL_NAME, COL_TYPE, COL_PROGRAM, COL_TITLE, COL_CALL_SIGN, COL_VESS_TYPE,
    COL_TONNAGE, COL_GRT, COL_VESS_FLAG, COL_VESS_OWNER, COL_REMARKS
};
static const char *const MAIN_FIELD_NAMES[MAIN_COLUMNS] = {
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type",
    "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"};

/* ---- Reading a file into rows --------------------------------------------- */

typedef struct {
    long line;
    uint32_t ent;               /* ent_num */
    uint32_t owner;             /* side files: index of the main row */
    const char **f;             /* fields; "" for -0- */
} ofac_row;

typedef struct {
    const char *file;           /* name used in errors */
    size_t columns;
    ofac_row *rows;
    size_t n, cap;
} ofac_table;

typedef struct {
    arena mem;                  /* field copies, freed after the parse */
    interdict_list *list;
    ofac_table main, alt, add, comments;
} ofac_csv;

/* Valid UTF-8 sequence length at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t n;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (avail < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Windows-1252 code points of bytes 0x80..0x9F; 0 where undefined. */
static const uint16_t CP1252_HIGH[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static long line_of_offset(const char *data, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += data[i] == '\n';
    return line;
}

/* Makes the bytes UTF-8 (see the top of the file). *out is NULL when the
 * data can be used as it is, else a malloc'd converted copy. */
static interdict_status decode(const char *data, size_t len, const char *file, char **out,
                               size_t *out_len, interdict_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t first_bad = len, multibyte = 0, high = 0;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_len(u + i, len - i);
        if (n == 0) {
            if (first_bad == len)
                first_bad = i;
            high++;
            i++;
            continue;
        }
        multibyte += n > 1;
        i += n;
    }
    *out = NULL;
    if (first_bad == len)
        return INTERDICT_OK;
    if (multibyte)
        return set_error(err, INTERDICT_ERR_ENCODING, file, line_of_offset(data, first_bad), "",
                         "invalid UTF-8 (byte 0x%02X) in a file that is otherwise UTF-8",
                         u[first_bad]);
    size_t cap = len + high * 2 + 1;        /* each high byte becomes at most 3 */
    char *buf = malloc(cap);
    if (!buf)
        return set_error(err, INTERDICT_ERR_NOMEM, file, 0, "", "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = u[i];
        if (c >= 0x80 && c < 0xA0) {
            c = CP1252_HIGH[c - 0x80];
            if (!c) {
                free(buf);
                return set_error(err, INTERDICT_ERR_ENCODING, file, line_of_offset(data, i), "",
                                 "byte 0x%02X is neither UTF-8 nor Windows-1252", u[i]);
            }
        }
        if (c < 0x80) {
            buf[k++] = (char)c;
        } else if (c < 0x800) {
            buf[k++] = (char)(0xC0 | (c >> 6));
            buf[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            buf[k++] = (char)(0xE0 | (c >> 12));
            buf[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    *out = buf;
    *out_len = k;
    return INTERDICT_OK;
}

static int is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* -0- (with any spaces around it) is OFAC's empty field. */
static int is_empty_marker(const char *s)
{
    while (is_space(*s))
        s++;
    if (strncmp(s, "-0-", 3) != 0)
        return 0;
    for (s += 3; *s; s++)
        if (!is_space(*s))
            return 0;
    return 1;
}

/* A positive decimal ent_num. */
static int parse_ent_num(const char *s, uint32_t *out)
{
    while (is_space(*s))
        s++;
    uint64_t v = 0;
    size_t digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX)
            return 0;
    }
    while (is_space(*s))
        s++;
    if (digits == 0 || *s || v == 0)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

static ofac_row *table_push(ofac_table *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        if (cap > SIZE_MAX / sizeof *t->rows)
            return NULL;
        ofac_row *q = realloc(t->rows, cap * sizeof *q);
        if (!q)
            return NULL;
        t->rows = q;
        t->cap = cap;
    }
    return &t->rows[t->n++];
}

/* Reads every record of one file into t. */
static interdict_status read_table(ofac_csv *c, ofac_table *t, const char *data, size_t len,
                                   interdict_error *err)
{
    char *converted = NULL;
    size_t conv_len = 0;
    interdict_status rc = decode(data, len, t->file, &converted, &conv_len, err);
    if (rc != INTERDICT_OK)
        return rc;
    if (converted) {
        data = converted;
        len = conv_len;
    }
    while (len && (data[len - 1] == 0x1A || is_space(data[len - 1])))
        len--;                      /* DOS end-of-file byte */
    interdict_csv *csv = NULL;
    rc = interdict_csv_open_memory(data, len, t->file, &csv, err);
    while (rc == INTERDICT_OK) {
        const char *const *fields;
        size_t n;
        long line = 0;
        int got = interdict_csv_next(csv, &fields, &n, &line, err);
        if (got == 0)
            break;
        if (got < 0) {
            rc = (interdict_status)got;
            break;
        }
        if (n != t->columns) {
            rc = set_error(err, INTERDICT_ERR_FORMAT, t->file, line, "",
                           "%zu field%s where this file has %zu", n, n == 1 ? "" : "s",
                           t->columns);
            break;
        }
        ofac_row *row = table_push(t);
        const char **f = row ? arena_alloc(&c->mem, n * sizeof *f) : NULL;
        if (!f) {
            rc = set_error(err, INTERDICT_ERR_NOMEM, t->file, line, "", "out of memory");
            break;
        }
        row->line = line;
        row->f = f;
        row->owner = 0;
        if (!parse_ent_num(fields[0], &row->ent)) {
            rc = set_error(err, INTERDICT_ERR_FORMAT, t->file, line, "ent_num",
                           "ent_num \"%.40s\" is not a positive number", fields[0]);
            break;
        }
        for (size_t i = 0; i < n && rc == INTERDICT_OK; i++) {
            f[i] = is_empty_marker(fields[i]) ? "" : arena_strdup(&c->mem, fields[i]);
            if (!f[i])
                rc = set_error(err, INTERDICT_ERR_NOMEM, t->file, line, "", "out of memory");
        }
    }
    interdict_csv_close(csv);
    free(converted);
    if (rc == INTERDICT_OK && t->n == 0 && t == &c->main)
        rc = set_error(err, INTERDICT_ERR_FORMAT, t->file, 0, "", "no records");
    return rc;
}

/* ---- Linking the side files to the main one ------------------------------- */

typedef struct {
    uint32_t ent, index;
} ent_key;

static int compare_keys(const void *a, const void *b)
{
    const ent_key *x = a, *y = b;
    if (x->ent != y->ent)
        return x->ent < y->ent ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Sorted ent_nums of the main file; a repeated one is an error. */
static interdict_status index_main(const ofac_table *t, ent_key **out, interdict_error *err)
{
    ent_key *keys = malloc((t->n ? t->n : 1) * sizeof *keys);
    if (!keys)
        return set_error(err, INTERDICT_ERR_NOMEM, t->file, 0, "", "out of memory");
    for (size_t i = 0; i < t->n; i++)
        keys[i] = (ent_key){t->rows[i].ent, (uint32_t)i};
    qsort(keys, t->n, sizeof *keys, compare_keys);
    for (size_t i = 1; i < t->n; i++)
        if (keys[i].ent == keys[i - 1].ent) {
            const ofac_row *dup = &t->rows[keys[i].index], *first = &t->rows[keys[i - 1].index];
            free(keys);
            return set_error(err, INTERDICT_ERR_FORMAT, t->file, dup->line, "ent_num",
                             "duplicate ent_num %u (also at line %ld)", (unsigned)dup->ent,
                             first->line);
        }
    *out = keys;
    return INTERDICT_OK;
}

/* Sets each side row's owner; the rows of one entry are then found by
 * `order` (row indexes grouped by owner, in file order) and `start` (where
 * each owner's group begins; start[n_main] is the end). */
typedef struct {
    uint32_t *order, *start;
} ofac_groups;

static interdict_status link_rows(ofac_table *side, const ofac_table *main, const ent_key *keys,
                                  ofac_groups *g, interdict_error *err)
{
    g->order = malloc((side->n ? side->n : 1) * sizeof *g->order);
    g->start = calloc(main->n + 1, sizeof *g->start);
    if (!g->order || !g->start)
        return set_error(err, INTERDICT_ERR_NOMEM, side->file, 0, "", "out of memory");
    for (size_t i = 0; i < side->n; i++) {
        ofac_row *r = &side->rows[i];
        size_t lo = 0, hi = main->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (keys[mid].ent < r->ent)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == main->n || keys[lo].ent != r->ent)
            return set_error(err, INTERDICT_ERR_FORMAT, side->file, r->line, "ent_num",
                             "ent_num %u is not in %s", (unsigned)r->ent,
                             ofac_basename(main->file));
        r->owner = keys[lo].index;
        g->start[r->owner + 1]++;
    }
    for (size_t i = 0; i < main->n; i++)
        g->start[i + 1] += g->start[i];
    uint32_t *fill = malloc((main->n + 1) * sizeof *fill);
    if (!fill)
        return set_error(err, INTERDICT_ERR_NOMEM, side->file, 0, "", "out of memory");
    memcpy(fill, g->start, (main->n + 1) * sizeof *fill);
    for (size_t i = 0; i < side->n; i++)
        g->order[fill[side->rows[i].owner]++] = (uint32_t)i;
    free(fill);
    return INTERDICT_OK;
}

static void groups_free(ofac_groups *g)
{
    free(g->order);
    free(g->start);
}

/* ---- Entries ------------------------------------------------------------------ */

static interdict_status party_type(const ofac_table *t, const ofac_row *r,
                                   interdict_party_type *type, interdict_error *err)
{
    const char *s = r->f[COL_TYPE];
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    if (n == 0)
        *type = INTERDICT_PARTY_ENTITY;      /* -0- */
    else if (n == 10 && !strncasecmp(s, "individual", n))
        *type = INTERDICT_PARTY_PERSON;
    else if (n == 6 && !strncasecmp(s, "vessel", n))
        *type = INTERDICT_PARTY_VESSEL;
    else if (n == 8 && !strncasecmp(s, "aircraft", n))
        *type = INTERDICT_PARTY_AIRCRAFT;
    else
        return set_error(err, INTERDICT_ERR_FORMAT, t->file, r->line, "SDN_Type",
                         "unknown SDN_Type \"%.40s\" (individual, vessel, aircraft or -0-)", s);
    return INTERDICT_OK;
}

/* "SDGT] [IRGC" (the outer brackets are left out of the column). */
static void add_programs(entry_builder *b, const char *s)
{
    const char *p = s;
    while (*p) {
        while (*p == '[' || *p == ']' || is_space(*p))
            p++;
        const char *start = p;
        while (*p && *p != '[' && *p != ']')
            p++;
        if (p > start) {
            const char *text = builder_text(b, start, (size_t)(p - start));
            builder_program(b, text);
        }
    }
}

typedef struct {
    ofac_csv *c;
    entry_builder b;
    ofac_groups alts, adds, comments;
    ofac_text remarks, scratch;
} csv_build;

/* An entry with more rows in a side file than OFAC_MAX_ITEMS. */
static interdict_status too_many_rows(const ofac_table *t, const ofac_groups *g, size_t owner,
                                      interdict_error *err)
{
    const ofac_row *r = &t->rows[g->order[g->start[owner] + OFAC_MAX_ITEMS]];
    return set_error(err, INTERDICT_ERR_LIMIT, t->file, r->line, "ent_num",
                     "entry %u has more than %d rows in this file", (unsigned)r->ent,
                     OFAC_MAX_ITEMS);
}

static interdict_status add_aliases(csv_build *s, size_t owner, interdict_error *err)
{
    const ofac_table *t = &s->c->alt;
    if (s->alts.start[owner + 1] - s->alts.start[owner] > OFAC_MAX_ITEMS)
        return too_many_rows(t, &s->alts, owner, err);
    for (uint32_t k = s->alts.start[owner]; k < s->alts.start[owner + 1]; k++) {
        const ofac_row *r = &t->rows[s->alts.order[k]];
        const char *type = builder_str(&s->b, r->f[2]);
        if (strcasecmp(type, "aka") && strcasecmp(type, "fka") && strcasecmp(type, "nka"))
            return set_error(err, INTERDICT_ERR_FORMAT, t->file, r->line, "alt_type",
                             "unknown alt_type \"%.40s\" (aka, fka or nka)", r->f[2]);
        if (!*builder_str(&s->b, r->f[3]))
            return set_error(err, INTERDICT_ERR_FORMAT, t->file, r->line, "alt_name",
                             "alias without a name");
        builder_name(&s->b, r->f[3], INTERDICT_NAME_ALIAS_GOOD);
    }
    return INTERDICT_OK;
}

static interdict_status add_addresses(csv_build *s, size_t owner, interdict_error *err)
{
    const ofac_table *t = &s->c->add;
    if (s->adds.start[owner + 1] - s->adds.start[owner] > OFAC_MAX_ITEMS)
        return too_many_rows(t, &s->adds, owner, err);
    for (uint32_t k = s->adds.start[owner]; k < s->adds.start[owner + 1]; k++) {
        const ofac_row *r = &t->rows[s->adds.order[k]];
        ofac_text *a = &s->scratch;
        ofac_text_reset(a);
        ofac_text_adds(a, r->f[2]);
        if (*r->f[3] && a->buf.len)
            ofac_text_adds(a, ", ");
        ofac_text_adds(a, r->f[3]);
        if (*r->f[5]) {
            ofac_text_adds(a, a->buf.len ? " (" : "(");
            ofac_text_adds(a, r->f[5]);
            ofac_text_adds(a, ")");
        }
        builder_address(&s->b, builder_buf_str(&a->buf), r->f[4]);
    }
    return INTERDICT_OK;
}

static interdict_status build_entry(csv_build *s, size_t i, interdict_error *err)
{
    const ofac_table *t = &s->c->main;
    const ofac_row *r = &t->rows[i];
    interdict_party_type type = INTERDICT_PARTY_UNKNOWN;
    interdict_status rc = party_type(t, r, &type, err);
    if (rc != INTERDICT_OK)
        return rc;
    entry_builder *b = &s->b;
    builder_begin(b, r->f[COL_ENT_NUM], type, r->line);
    b->entry.source_id = b->entry.ref;
    builder_name(b, r->f[COL_NAME], INTERDICT_NAME_PRIMARY);
    add_programs(b, r->f[COL_PROGRAM]);
    ofac_titles(b, r->f[COL_TITLE]);
    if ((rc = add_aliases(s, i, err)) != INTERDICT_OK)
        return rc;
    if ((rc = add_addresses(s, i, err)) != INTERDICT_OK)
        return rc;

    /* Remarks longer than the column are continued, mid-word, in the
     * comments file: join them as they are before reading the facts. */
    ofac_text *rem = &s->remarks;
    ofac_text_reset(rem);
    ofac_text_adds(rem, r->f[COL_REMARKS]);
    const ofac_table *ct = &s->c->comments;
    for (uint32_t k = s->comments.start[i]; k < s->comments.start[i + 1]; k++)
        ofac_text_adds(rem, ct->rows[s->comments.order[k]].f[1]);
    if (ofac_remarks_facts(b, builder_buf_str(&rem->buf)) < 0)
        return set_error(err, INTERDICT_ERR_LIMIT, t->file, r->line, "Remarks",
                         "entry %u: remarks hold more than %d facts", (unsigned)r->ent,
                         OFAC_MAX_ITEMS);
    ofac_vessel(b, rem, r->f[COL_CALL_SIGN], r->f[COL_VESS_TYPE], r->f[COL_VESS_FLAG],
                r->f[COL_VESS_OWNER], r->f[COL_TONNAGE], r->f[COL_GRT]);
    if (rem->oom || s->scratch.oom)
        b->oom = 1;
    b->entry.comments = builder_str(b, builder_buf_str(&rem->buf));
    return builder_end(b, MAIN_FIELD_NAMES[COL_NAME], err);
}

/* ---- The set ------------------------------------------------------------------- */

/* Reads one side file beside the main one; a missing file is an error. */
static interdict_status read_side(ofac_csv *c, ofac_table *t, const char *dir, size_t dir_len,
                                  const char *base, int upper, char **path_out,
                                  interdict_error *err)
{
    size_t n = dir_len + strlen(base) + 1;
    char *path = malloc(n);
    if (!path)
        return set_error(err, INTERDICT_ERR_NOMEM, c->main.file, 0, "", "out of memory");
    memcpy(path, dir, dir_len);
    for (size_t i = 0; base[i]; i++) {
        char ch = base[i];
        path[dir_len + i] = upper && ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
    }
    path[n - 1] = '\0';
    *path_out = path;
    t->file = path;
    char *data = NULL;
    size_t len = 0;
    interdict_error io;
    memset(&io, 0, sizeof io);
    /* recorded in the list, so that a stored version keeps the whole set */
    interdict_status rc = list_read_sibling(c->list, path, &data, &len, &io);
    if (rc != INTERDICT_OK)
        return set_error(err, rc, path, 0, "",
                         "%s of the OFAC CSV set (beside %s) cannot be read: %s",
                         path + dir_len, ofac_basename(c->main.file), io.message);
    rc = read_table(c, t, data, len, err);
    free(data);
    return rc;
}

/* OFAC publishes the set in upper case (SDN.CSV, ADD.CSV, ...); the side
 * files are looked for in the case of the main file's name. */
static int name_is_upper(const char *base)
{
    int upper = 0;
    for (; *base; base++) {
        if (*base >= 'a' && *base <= 'z')
            return 0;
        upper |= *base >= 'A' && *base <= 'Z';
    }
    return upper;
}

static int starts_with_cons(const char *base)
{
    return strncasecmp(base, "cons_", 5) == 0;
}

interdict_status list_parse_ofac_csv(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path,
                                     interdict_error *err)
{
    if (!name)
        name = "<memory>";
    const char *base = ofac_basename(path ? path : name);
    int cons = starts_with_cons(base);
    list->id = cons ? OFAC_CONS_ID : OFAC_SDN_ID;
    list->format = "ofac-csv";
    list->generated = "";           /* the CSV set carries no date */

    ofac_csv c;
    memset(&c, 0, sizeof c);
    arena_init(&c.mem);
    c.list = list;
    c.main = (ofac_table){.file = name, .columns = MAIN_COLUMNS};
    c.alt = (ofac_table){.file = "", .columns = ALT_COLUMNS};
    c.add = (ofac_table){.file = "", .columns = ADD_COLUMNS};
    c.comments = (ofac_table){.file = "", .columns = COMMENT_COLUMNS};
    char *paths[3] = {NULL, NULL, NULL};
    ent_key *keys = NULL;
    csv_build s;
    memset(&s, 0, sizeof s);
    s.c = &c;

    interdict_status rc = read_table(&c, &c.main, data, len, err);
    if (rc == INTERDICT_OK && path) {
        size_t dir_len = (size_t)(base - path);
        int upper = name_is_upper(base);
        rc = read_side(&c, &c.add, path, dir_len, cons ? "cons_add.csv" : "add.csv", upper,
                       &paths[0], err);
        if (rc == INTERDICT_OK)
            rc = read_side(&c, &c.alt, path, dir_len, cons ? "cons_alt.csv" : "alt.csv", upper,
                           &paths[1], err);
        if (rc == INTERDICT_OK)
            rc = read_side(&c, &c.comments, path, dir_len,
                           cons ? "cons_comments.csv" : "sdn_comments.csv", upper, &paths[2],
                           err);
    }
    if (rc == INTERDICT_OK)
        rc = index_main(&c.main, &keys, err);
    if (rc == INTERDICT_OK)
        rc = link_rows(&c.alt, &c.main, keys, &s.alts, err);
    if (rc == INTERDICT_OK)
        rc = link_rows(&c.add, &c.main, keys, &s.adds, err);
    if (rc == INTERDICT_OK)
        rc = link_rows(&c.comments, &c.main, keys, &s.comments, err);
    if (rc == INTERDICT_OK) {
        builder_init(&s.b, list, name);
        for (size_t i = 0; i < c.main.n && rc == INTERDICT_OK; i++)
            rc = build_entry(&s, i, err);
        if (rc == INTERDICT_OK)
            rc = builder_finish(&s.b, MAIN_FIELD_NAMES[COL_ENT_NUM], err);
        builder_free(&s.b);
    }
    groups_free(&s.alts);
    groups_free(&s.adds);
    groups_free(&s.comments);
    ofac_text_free(&s.remarks);
    ofac_text_free(&s.scratch);
    free(keys);
    free(c.main.rows);
    free(c.alt.rows);
    free(c.add.rows);
    free(c.comments.rows);
    for (size_t i = 0; i < 3; i++)
        free(paths[i]);
    arena_free(&c.mem);
    return rc;
}

/* ---- Sniffing -------------------------------------------------------------------- */

/* The first record of a main file: an ent_num, a quoted name, twelve fields
 * in all, and OFAC's -0- for at least one empty one. UN or UK files, XML and
 * JSON fail at the first or second test. */
int list_sniff_ofac_csv(const char *data, size_t len)
{
    const char *p = data, *end = data + (len < 65536 ? len : 65536);
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    const char *digits = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    if (p == digits || p - digits > 10 || p + 1 >= end || p[0] != ',' || p[1] != '"')
        return 0;
    p = digits;
    size_t fields = 1;
    int quoted = 0, empty_marker = 0;
    const char *field = p;
    for (; p < end; p++) {
        if (*p == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted)
            continue;
        if (*p == ',' || *p == '\n' || *p == '\r') {
            const char *a = field, *z = p;
            while (a < z && *a == ' ')
                a++;
            while (z > a && z[-1] == ' ')
                z--;
            empty_marker |= z - a == 3 && memcmp(a, "-0-", 3) == 0;
            if (*p != ',')
                break;
            fields++;
            field = p + 1;
        }
    }
    if (p == end && end == data + len) {     /* a one-line file without a line end */
        const char *a = field, *z = p;
        while (a < z && *a == ' ')
            a++;
        while (z > a && (z[-1] == ' ' || z[-1] == 0x1A))
            z--;
        empty_marker |= z - a == 3 && memcmp(a, "-0-", 3) == 0;
    } else if (p == end) {
        return 0;
    }
    return fields == MAIN_COLUMNS && empty_marker;
}
