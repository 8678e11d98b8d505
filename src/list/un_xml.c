/* un_xml.c - the UN Security Council Consolidated List (XML) parser.
 *
 * The document is read into a libxml2 tree with network access and entity
 * expansion off, then walked element by element. The official file is
 * hand-maintained and full of quirks (placeholder elements, several names
 * in one alias, notes in parentheses, stray line breaks); they are cleaned
 * up here so that the matcher sees one name per interdict_name. */
#include "list.h"
#include "../util/error.h"
#include "builder.h"
#include "xml_safe.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define UN_LIST_ID "un"

/* Deepest nesting of parentheses in an alias that is taken apart; deeper
 * text is kept as given (hostile input must not recurse without bound). */
enum { MAX_ALIAS_DEPTH = 6 };

/* ---- Parse state ---------------------------------------------------------- */

typedef struct {
    interdict_name name;
    size_t len;
} name_item;

typedef struct {
    const char *ref;
    long line;
} ref_item;

typedef struct {
    interdict_list *list;
    const char *file;
    int oom;                    /* sticky: checked once per entry */
    int in_entity;              /* parsing an ENTITY, not an INDIVIDUAL */
    builder_buf scratch;        /* scratch text */
    builder_vec names, dobs, strs, docs, addrs, refs;
} un_parser;

static void *vec_push(un_parser *p, builder_vec *v) { return builder_vec_push(v, &p->oom); }

/* Moves the collected items into the list's arena and empties v. */
static const void *vec_to_arena(un_parser *p, builder_vec *v, size_t *count)
{
    return builder_vec_take(v, &p->list->mem, &p->oom, count);
}

static const char *save_text(un_parser *p, const char *s, size_t n)
{
    if (n == 0)
        return "";
    char *copy = arena_strndup(&p->list->mem, s, n);
    if (!copy) {
        p->oom = 1;
        return "";
    }
    return copy;
}

/* ---- Text clean-up ------------------------------------------------------- */

/* Length of a Unicode space at s (ASCII white space, no-break and other
 * typographic spaces), or 0. */
static size_t space_len(const unsigned char *s)
{
    if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        return 1;
    if (s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (s[0] == 0xE2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8A) ||
                                         s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3;
    if ((s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
        (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
        (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80))
        return 3;
    return 0;
}

/* Zero-width space and byte order mark: dropped without a trace. */
static size_t invisible_len(const unsigned char *s)
{
    if ((s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8B) ||
        (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
        return 3;
    return 0;
}

/* Appends s to the scratch buffer with runs of white space collapsed to one
 * space; a space separates it from what is already there. */
static void scratch_append(un_parser *p, const char *s)
{
    if (!s || !builder_buf_reserve(&p->scratch, strlen(s) + 1, &p->oom))
        return;
    const unsigned char *u = (const unsigned char *)s;
    int pending_space = p->scratch.len > 0;
    while (*u) {
        size_t n = space_len(u);
        if (n) {
            pending_space = p->scratch.len > 0;
            u += n;
        } else if ((n = invisible_len(u)) != 0) {
            u += n;
        } else {
            if (pending_space)
                p->scratch.s[p->scratch.len++] = ' ';
            pending_space = 0;
            p->scratch.s[p->scratch.len++] = (char)*u++;
        }
    }
    p->scratch.s[p->scratch.len] = '\0';
}

/* Appends s verbatim. */
static void scratch_put(un_parser *p, const char *s)
{
    builder_buf_add(&p->scratch, s, strlen(s), &p->oom);
}

static void scratch_reset(un_parser *p)
{
    builder_buf_reset(&p->scratch);
}

/* ---- Tree access ----------------------------------------------------------- */

static int is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *first_child(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent->children; c; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

/* Appends the collapsed text of an element to the scratch buffer. */
static void scratch_append_node(un_parser *p, xmlNode *n)
{
    if (!n)
        return;
    xmlChar *content = xmlNodeGetContent(n);
    if (!content) {
        if (n->children)
            p->oom = 1;
        return;
    }
    scratch_append(p, (const char *)content);
    xmlFree(content);
}

/* Trimmed, collapsed text of an element, saved in the arena; "" when the
 * element is absent or empty. */
static const char *node_text(un_parser *p, xmlNode *n)
{
    scratch_reset(p);
    scratch_append_node(p, n);
    return save_text(p, builder_buf_str(&p->scratch), p->scratch.len);
}

static const char *child_text(un_parser *p, xmlNode *parent, const char *name)
{
    return node_text(p, first_child(parent, name));
}

/* An xs:date may carry a time zone ("2001-01-25-05:00" in older files):
 * true when s[0..n) is a day with or without one. */
static bool is_xs_date(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-dd";
    if (n < 10)
        return false;
    for (size_t i = 0; i < 10; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != '-')
            return false;
    const char *zone = s + 10;
    size_t zn = n - 10;
    return zn == 0 || (zn == 1 && zone[0] == 'Z') ||
           (zn == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':');
}

/* The named child's date: the day of an xs:date, other text as written. */
static const char *child_date(un_parser *p, xmlNode *parent, const char *name)
{
    scratch_reset(p);
    scratch_append_node(p, first_child(parent, name));
    size_t n = p->scratch.len;
    const char *s = builder_buf_str(&p->scratch);
    return save_text(p, s, is_xs_date(s, n) ? 10 : n);
}

static long line_of(xmlNode *n)
{
    long line = xmlGetLineNo(n);
    return line > 0 ? line : 0;
}

/* Joins the non-empty texts of the named children with ", ". */
static const char *join_children(un_parser *p, xmlNode *parent,
                                 const char *const *names, size_t n)
{
    scratch_reset(p);
    for (size_t i = 0; i < n; i++) {
        xmlNode *c = first_child(parent, names[i]);
        size_t before = p->scratch.len, sep = before > 0;
        if (sep)
            scratch_put(p, ",");        /* the append adds the space */
        scratch_append_node(p, c);
        if (p->scratch.len <= before + sep) /* empty part: take the comma back */
            p->scratch.len = before;
        if (p->scratch.s)
            p->scratch.s[p->scratch.len] = '\0';
    }
    return save_text(p, builder_buf_str(&p->scratch), p->scratch.len);
}

/* ---- Scripts ------------------------------------------------------------- */

/* Decodes one UTF-8 sequence (libxml2 has already validated it). */
static uint32_t next_codepoint(const unsigned char **s, const unsigned char *end)
{
    const unsigned char *u = *s;
    uint32_t c = *u++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra)
        c &= 0x3F >> extra;
    while (extra-- > 0 && u < end && (*u & 0xC0) == 0x80)
        c = (c << 6) | (*u++ & 0x3F);
    *s = u;
    return c;
}

static int is_latin_letter(uint32_t c)
{
    return (c < 0x80 && isalpha((int)c)) ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x1E00 && c <= 0x1EFF);
}

/* Letters of scripts other than Latin: Greek, Cyrillic, Hebrew, Arabic,
 * Indic, Ethiopic, CJK, Hangul, ... Punctuation such as ’ and – is not. */
static int is_other_script(uint32_t c)
{
    return (c >= 0x370 && c <= 0x1CFF) || (c >= 0x2C00 && c <= 0x2DFF) ||
           (c >= 0x2E80 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF) ||
           (c >= 0xFF66 && c <= 0xFFDC) || c >= 0x10000;
}

static int has_script(const char *s, size_t n, int (*test)(uint32_t))
{
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    while (u < end)
        if (test(next_codepoint(&u, end)))
            return 1;
    return 0;
}

static int is_non_latin(const char *s, size_t n)
{
    return has_script(s, n, is_other_script);
}

/* ---- Names --------------------------------------------------------------- */

static int is_trim_char(char c)
{
    return c == ' ' || c == ',' || c == ';';
}

/* Drops spaces and list punctuation around a piece, and a stray ')' in
 * front (left over from "a) ... b) ..." enumerations). */
static void trim_piece(const char **s, size_t *n)
{
    while (*n > 0 && (is_trim_char(**s) || **s == ')'))
        (*s)++, (*n)--;
    while (*n > 0 && is_trim_char((*s)[*n - 1]))
        (*n)--;
}

/* Adds a name unless an identical one is already there (first wins). */
static void add_name(un_parser *p, const char *s, size_t n, interdict_name_kind kind)
{
    trim_piece(&s, &n);
    if (n == 0)
        return;
    const name_item *have = (const name_item *)p->names.items;
    for (size_t i = 0; i < p->names.n; i++)
        if (have[i].len == n && memcmp(have[i].name.text, s, n) == 0)
            return;
    /* an alias written only in another script is an original-script name */
    if (kind != INTERDICT_NAME_PRIMARY && is_non_latin(s, n) &&
        !has_script(s, n, is_latin_letter))
        kind = INTERDICT_NAME_ORIGINAL;
    const char *text = save_text(p, s, n);
    name_item *item = vec_push(p, &p->names);
    if (!item || !*text)
        return;
    item->name.text = text;
    item->name.kind = kind;
    item->len = n;
}

/* Position of the first `ch` outside parentheses, or n. */
static size_t find_top_level(const char *s, size_t n, char ch)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && depth > 0)
            depth--;
        else if (s[i] == ch && depth == 0)
            return i;
    }
    return n;
}

/* An enumeration marker " b) " inside an alias ("Sabet b) M. Javad ..."):
 * its position (the letter), or n. The ')' is unbalanced, so it never
 * sits inside parentheses. */
static size_t find_enumeration(const char *s, size_t n)
{
    for (size_t i = 1; i + 2 < n; i++)
        if (s[i - 1] == ' ' && s[i] >= 'a' && s[i] <= 'z' && s[i + 1] == ')' &&
            s[i + 2] == ' ')
            return i;
    return n;
}

/* Where the next alternative in a list of names ends: at a top-level ';'
 * or an enumeration marker. *skip is the separator's length. */
static size_t find_separator(const char *s, size_t n, size_t *skip)
{
    size_t semi = find_top_level(s, n, ';'), enumeration = find_enumeration(s, semi);
    *skip = enumeration < semi ? 2 : 1;
    return enumeration < semi ? enumeration : semi;
}

/* If s ends with a balanced "(...)", sets *open to its '(' and returns 1. */
static int trailing_group(const char *s, size_t n, size_t *open)
{
    if (n < 2 || s[n - 1] != ')')
        return 0;
    int depth = 0;
    for (size_t i = n; i-- > 0;) {
        if (s[i] == ')')
            depth++;
        else if (s[i] == '(' && --depth == 0) {
            *open = i;
            return 1;
        }
    }
    return 0;
}

/* "(GDAE)", "(LRM/A)", "(ISIL-GS)": an abbreviation that belongs to the
 * name, unlike "(birth name)" or "(Butaev)". */
static int is_acronym(const char *s, size_t n)
{
    size_t upper = 0;
    if (n < 2 || n > 16 || !isupper((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '-' && c != '/' && c != '.' && c != '&')
            return 0;
        upper += isupper(c) != 0;
    }
    return upper >= 2;
}

static int starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)prefix[i]))
            return 0;
    return 1;
}

static int equals_ci(const char *s, const char *word)
{
    return strlen(s) == strlen(word) && starts_with_ci(s, strlen(s), word);
}

/* Cuts a ", born 1 Jan. 1953 ..." or " born in 1963" tail: the list
 * sometimes puts the date or place of birth into the alias itself. */
static void cut_born_tail(const char *s, size_t *n)
{
    for (size_t i = 0; i + 6 <= *n; i++) {
        int comma = s[i] == ',' && starts_with_ci(s + i + 1, *n - i - 1, " born");
        int word = s[i] == ' ' && strncmp(s + i + 1, "born", 4) == 0;
        if ((comma || word) && (i + 6 == *n || s[i + 5 + comma] == ' ')) {
            *n = i;
            return;
        }
    }
}

/* “Kawa”, "HASSAN, Sheikh": quotes around the whole name are not part of
 * it. */
static void strip_quotes(const char **s, size_t *n)
{
    static const char *const open[] = {"\"", "\xE2\x80\x9C"}, *const close[] = {"\"", "\xE2\x80\x9D"};
    for (size_t k = 0; k < 2; k++) {
        size_t a = strlen(open[k]), b = strlen(close[k]);
        if (*n >= a + b && memcmp(*s, open[k], a) == 0 &&
            memcmp(*s + *n - b, close[k], b) == 0) {
            *s += a;
            *n -= a + b;
            trim_piece(s, n);
            return;
        }
    }
}

static void add_alias(un_parser *p, const char *s, size_t n,
                      interdict_name_kind kind, int depth);

/* Adds every ';'-separated piece of s. */
static void add_alias_list(un_parser *p, const char *s, size_t n,
                           interdict_name_kind kind, int depth)
{
    while (n > 0) {
        size_t skip, cut = find_separator(s, n, &skip);
        add_alias(p, s, cut, kind, depth);
        if (cut + skip >= n)
            break;
        s += cut + skip;
        n -= cut + skip;
    }
}

/* "Name (note)", "Latin (original script)", "Original (Latin; Latin)":
 * takes a trailing parenthesis apart. Returns 0 when s has none. */
static int split_trailing_group(un_parser *p, const char *s, size_t n,
                                interdict_name_kind kind, int depth)
{
    size_t open;
    if (depth >= MAX_ALIAS_DEPTH || !trailing_group(s, n, &open))
        return 0;
    const char *head = s, *inner = s + open + 1;
    size_t head_n = open, inner_n = n - open - 2;
    trim_piece(&head, &head_n);
    trim_piece(&inner, &inner_n);
    if (head_n == 0 || is_acronym(inner, inner_n))
        return 0;
    if (starts_with_ci(inner, inner_n, "original script")) {
        const char *rest = inner + 15;
        size_t rest_n = inner_n - 15;
        if (rest_n > 0 && *rest == ':')
            rest++, rest_n--;
        add_alias(p, head, head_n, kind, depth + 1);
        add_alias_list(p, rest, rest_n, INTERDICT_NAME_ORIGINAL, depth + 1);
        return 1;
    }
    int head_other = is_non_latin(head, head_n), inner_other = is_non_latin(inner, inner_n);
    if (head_other != inner_other) {            /* the same name in two scripts */
        add_alias(p, head, head_n, kind, depth + 1);
        add_alias_list(p, inner, inner_n, kind, depth + 1);
        return 1;
    }
    /* entity names such as "... ROADS (SOUTHERN AREA)" keep theirs */
    if (p->in_entity && !islower((unsigned char)inner[0]))
        return 0;
    if (!head_other) {                          /* a note in Latin script: dropped */
        add_alias(p, head, head_n, kind, depth + 1);
        return 1;
    }
    return 0;
}

static void add_alias(un_parser *p, const char *s, size_t n,
                      interdict_name_kind kind, int depth)
{
    trim_piece(&s, &n);
    strip_quotes(&s, &n);
    cut_born_tail(s, &n);
    trim_piece(&s, &n);
    if (n == 0)
        return;
    if (!split_trailing_group(p, s, n, kind, depth))
        add_name(p, s, n, kind);
}

/* NAME_ORIGINAL_SCRIPT: alternatives separated by ';', and at most a Latin
 * note in parentheses such as "(Tigrinya)", which is dropped. */
static void add_original(un_parser *p, const char *s, size_t n)
{
    while (n > 0) {
        size_t cut = find_top_level(s, n, ';'), open;
        const char *piece = s;
        size_t piece_n = cut;
        trim_piece(&piece, &piece_n);
        if (trailing_group(piece, piece_n, &open) && open > 0 &&
            is_non_latin(piece, open) &&
            !is_non_latin(piece + open, piece_n - open))
            piece_n = open;
        add_name(p, piece, piece_n, INTERDICT_NAME_ORIGINAL);
        if (cut == n)
            break;
        s += cut + 1;
        n -= cut + 1;
    }
}

static interdict_name_kind alias_quality(un_parser *p, xmlNode *alias)
{
    scratch_reset(p);
    scratch_append_node(p, first_child(alias, "QUALITY"));
    const builder_buf *q = &p->scratch;
    return q->s && starts_with_ci(q->s, q->len, "low") ? INTERDICT_NAME_ALIAS_LOW
                                                       : INTERDICT_NAME_ALIAS_GOOD;
}

static void collect_aliases(un_parser *p, xmlNode *entry)
{
    for (xmlNode *c = entry->children; c; c = c->next) {
        if (!is_element(c, "INDIVIDUAL_ALIAS") && !is_element(c, "ENTITY_ALIAS"))
            continue;
        interdict_name_kind kind = alias_quality(p, c);
        scratch_reset(p);
        scratch_append_node(p, first_child(c, "ALIAS_NAME"));
        if (p->scratch.len > 0)         /* empty ALIAS_NAME: a placeholder */
            add_alias_list(p, p->scratch.s, p->scratch.len, kind, 0);
    }
    for (xmlNode *c = entry->children; c; c = c->next) {
        if (!is_element(c, "NAME_ORIGINAL_SCRIPT"))
            continue;
        scratch_reset(p);
        scratch_append_node(p, c);
        add_original(p, p->scratch.s, p->scratch.len);
    }
}

/* names[0] is FIRST_NAME .. FOURTH_NAME joined; a primary name listing
 * alternatives with ';' also gets each of them as an alias. */
static interdict_status collect_names(un_parser *p, xmlNode *entry, interdict_entry *e,
                                      interdict_error *err)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                        "FOURTH_NAME"};
    scratch_reset(p);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        scratch_append_node(p, first_child(entry, parts[i]));
    if (p->oom)
        return INTERDICT_ERR_NOMEM;
    if (p->scratch.len == 0)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, line_of(entry), "FIRST_NAME",
                         "entry %s has no name", e->ref);
    p->names.n = 0;
    add_name(p, p->scratch.s, p->scratch.len, INTERDICT_NAME_PRIMARY);
    if (find_top_level(p->scratch.s, p->scratch.len, ';') < p->scratch.len)
        add_alias_list(p, p->scratch.s, p->scratch.len, INTERDICT_NAME_ALIAS_GOOD, MAX_ALIAS_DEPTH);
    collect_aliases(p, entry);
    if (p->oom)
        return INTERDICT_ERR_NOMEM;

    size_t n = p->names.n;
    interdict_name *names = arena_alloc(&p->list->mem, n * sizeof *names);
    if (!names)
        return INTERDICT_ERR_NOMEM;
    const name_item *items = (const name_item *)p->names.items;
    for (size_t i = 0; i < n; i++)
        names[i] = items[i].name;
    e->names = names;
    e->n_names = n;
    p->names.n = 0;
    return INTERDICT_OK;
}

/* ---- Dates of birth -------------------------------------------------------- */

static int read_digits(const char *s, size_t count, int *value)
{
    *value = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        *value = *value * 10 + (s[i] - '0');
    }
    return 1;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", optionally followed by a time or zone
 * ("1960-01-01-05:00", "...T00:00:00"); 00 stands for an unknown part. */
static int parse_ymd(const char *s, int *y, int *m, int *d)
{
    *m = *d = 0;
    if (!read_digits(s, 4, y) || *y == 0)
        return 0;
    s += 4;
    if (s[0] == '-' && read_digits(s + 1, 2, m)) {
        s += 3;
        if (s[0] == '-' && read_digits(s + 1, 2, d))
            s += 3;
    }
    if (*s && *s != 'T' && *s != '-' && *s != '+' && *s != 'Z' && *s != ' ')
        return 0;
    if (*m > 12 || (*m == 0 && *d != 0))
        return 0;
    return *d == 0 || *d <= days_in_month(*y, *m);
}

static int parse_range(const char *from, const char *to, interdict_date *out)
{
    int a, b, m, d;
    if (!parse_ymd(from, &a, &m, &d) || !parse_ymd(to, &b, &m, &d) || a > b)
        return 0;
    out->kind = INTERDICT_DATE_RANGE;
    out->from_year = (int16_t)a;
    out->to_year = (int16_t)b;
    return 1;
}

static int parse_single(const char *text, interdict_date_kind kind, interdict_date *out)
{
    int y, m, d;
    if (!parse_ymd(text, &y, &m, &d))
        return 0;
    out->kind = kind;
    out->from_year = out->to_year = (int16_t)y;
    out->from_month = out->to_month = (int8_t)m;
    out->from_day = out->to_day = (int8_t)d;
    return 1;
}

/* "a<sep>b" (or just whichever is not empty), in the arena. */
static const char *join_with(un_parser *p, const char *a, const char *sep, const char *b)
{
    if (!*a || !*b)
        return *a ? a : b;
    scratch_reset(p);
    scratch_put(p, a);
    scratch_put(p, sep);
    scratch_put(p, b);
    return save_text(p, builder_buf_str(&p->scratch), p->scratch.len);
}

/* One INDIVIDUAL_DATE_OF_BIRTH; returns 0 for an empty placeholder. */
static int read_dob(un_parser *p, xmlNode *node, interdict_date *out)
{
    const char *type = child_text(p, node, "TYPE_OF_DATE");
    const char *date = child_text(p, node, "DATE");
    const char *year = child_text(p, node, "YEAR");
    const char *from = child_text(p, node, "FROM_YEAR");
    const char *to = child_text(p, node, "TO_YEAR");
    const char *note = child_text(p, node, "NOTE");
    const char *value = *date ? date : year;
    if (!*value && !*from && !*to && !*note)
        return 0;
    memset(out, 0, sizeof *out);
    int ok;
    const char *raw = value;
    if (*from || *to || equals_ci(type, "BETWEEN")) {
        ok = parse_range(from, to, out);
        raw = join_with(p, from, " - ", to);
    } else {
        interdict_date_kind kind = equals_ci(type, "APPROXIMATELY") ? INTERDICT_DATE_APPROX
                                                                     : INTERDICT_DATE_EXACT;
        ok = *value && parse_single(value, kind, out);
    }
    if (!ok) {                          /* odd dates are kept as text */
        memset(out, 0, sizeof *out);
        out->kind = INTERDICT_DATE_TEXT;
        out->note = join_with(p, raw, "; ", note);
        return 1;
    }
    out->note = *note ? note : NULL;
    return 1;
}

static void collect_dobs(un_parser *p, xmlNode *entry, interdict_entry *e)
{
    for (xmlNode *c = entry->children; c; c = c->next) {
        interdict_date d;
        if (!is_element(c, "INDIVIDUAL_DATE_OF_BIRTH") || !read_dob(p, c, &d))
            continue;
        interdict_date *slot = vec_push(p, &p->dobs);
        if (slot)
            *slot = d;
    }
    e->dobs = vec_to_arena(p, &p->dobs, &e->n_dobs);
}

/* ---- Other details --------------------------------------------------------- */

static void push_string(un_parser *p, const char *s)
{
    const char **slot;
    if (*s && (slot = vec_push(p, &p->strs)) != NULL)
        *slot = s;
}

static const char *const *strings_to_arena(un_parser *p, size_t *count)
{
    return vec_to_arena(p, &p->strs, count);
}

static const char *const *collect_places(un_parser *p, xmlNode *entry, size_t *count)
{
    static const char *const parts[] = {"CITY", "STATE_PROVINCE", "COUNTRY"};
    for (xmlNode *c = entry->children; c; c = c->next)
        if (is_element(c, "INDIVIDUAL_PLACE_OF_BIRTH"))
            push_string(p, join_children(p, c, parts, 3));
    return strings_to_arena(p, count);
}

/* <NATIONALITY><VALUE>..</VALUE>..</NATIONALITY> and the like. */
static const char *const *collect_values(un_parser *p, xmlNode *entry,
                                         const char *container, size_t *count)
{
    for (xmlNode *c = entry->children; c; c = c->next) {
        if (!is_element(c, container))
            continue;
        for (xmlNode *v = c->children; v; v = v->next)
            if (is_element(v, "VALUE"))
                push_string(p, node_text(p, v));
    }
    return strings_to_arena(p, count);
}

static const char *document_type(un_parser *p, xmlNode *doc)
{
    const char *type = child_text(p, doc, "TYPE_OF_DOCUMENT");
    const char *type2 = child_text(p, doc, "TYPE_OF_DOCUMENT2");
    if (!*type2)
        return type;
    if (!*type)
        return type2;
    scratch_reset(p);
    scratch_put(p, type);
    scratch_put(p, " (");
    scratch_put(p, type2);
    scratch_put(p, ")");
    return save_text(p, builder_buf_str(&p->scratch), p->scratch.len);
}

static void collect_documents(un_parser *p, xmlNode *entry, interdict_entry *e)
{
    for (xmlNode *c = entry->children; c; c = c->next) {
        if (!is_element(c, "INDIVIDUAL_DOCUMENT"))
            continue;
        interdict_document d;
        d.type = document_type(p, c);
        d.number = child_text(p, c, "NUMBER");
        d.country = child_text(p, c, "ISSUING_COUNTRY");
        if (!*d.country)
            d.country = child_text(p, c, "COUNTRY_OF_ISSUE");
        d.note = child_text(p, c, "NOTE");
        if (!*d.type && !*d.number && !*d.country && !*d.note)
            continue;                   /* <INDIVIDUAL_DOCUMENT/> placeholder */
        interdict_document *slot = vec_push(p, &p->docs);
        if (slot)
            *slot = d;
    }
    e->documents = vec_to_arena(p, &p->docs, &e->n_documents);
}

static void collect_addresses(un_parser *p, xmlNode *entry, interdict_entry *e)
{
    static const char *const parts[] = {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE"};
    for (xmlNode *c = entry->children; c; c = c->next) {
        if (!is_element(c, "INDIVIDUAL_ADDRESS") && !is_element(c, "ENTITY_ADDRESS"))
            continue;
        interdict_address a;
        a.text = join_children(p, c, parts, 4);
        a.country = child_text(p, c, "COUNTRY");
        if (!*a.text && !*a.country)
            continue;
        interdict_address *slot = vec_push(p, &p->addrs);
        if (slot)
            *slot = a;
    }
    e->addresses = vec_to_arena(p, &p->addrs, &e->n_addresses);
}

/* ---- Entries -------------------------------------------------------------- */

static interdict_status parse_entry(un_parser *p, xmlNode *node, interdict_party_type type,
                                    interdict_error *err)
{
    interdict_entry e;
    memset(&e, 0, sizeof e);
    long line = line_of(node);
    e.ref = child_text(p, node, "REFERENCE_NUMBER");
    if (!p->oom && !*e.ref)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, line, "REFERENCE_NUMBER",
                         "<%s> without a reference number", (const char *)node->name);
    e.list = UN_LIST_ID;
    e.type = type;
    p->in_entity = type == INTERDICT_PARTY_ENTITY;
    e.regime = child_text(p, node, "UN_LIST_TYPE");
    e.source_id = child_text(p, node, "DATAID");
    e.listed_on = child_date(p, node, "LISTED_ON");
    e.gender = child_text(p, node, "GENDER");
    e.comments = child_text(p, node, "COMMENTS1");
    interdict_status rc = collect_names(p, node, &e, err);
    if (rc != INTERDICT_OK)
        return rc == INTERDICT_ERR_NOMEM ? set_error(err, rc, p->file, line, "", "out of memory")
                                         : rc;
    collect_dobs(p, node, &e);
    e.places_of_birth = collect_places(p, node, &e.n_places_of_birth);
    e.nationalities = collect_values(p, node, "NATIONALITY", &e.n_nationalities);
    e.titles = collect_values(p, node, "TITLE", &e.n_titles);
    e.designations = collect_values(p, node, "DESIGNATION", &e.n_designations);
    collect_documents(p, node, &e);
    collect_addresses(p, node, &e);

    ref_item *r = vec_push(p, &p->refs);
    interdict_entry *slot = p->oom ? NULL : list_add_entry(p->list);
    if (!slot || !r)
        return set_error(err, INTERDICT_ERR_NOMEM, p->file, line, "", "out of memory");
    r->ref = e.ref;
    r->line = line;
    *slot = e;
    return INTERDICT_OK;
}

/* Entries of one section: INDIVIDUALS/INDIVIDUAL or ENTITIES/ENTITY. */
static interdict_status parse_section(un_parser *p, xmlNode *section, const char *item,
                                      interdict_party_type type, interdict_error *err)
{
    for (xmlNode *c = section->children; c; c = c->next) {
        if (!is_element(c, item))
            continue;
        interdict_status rc = parse_entry(p, c, type, err);
        if (rc != INTERDICT_OK)
            return rc;
    }
    return INTERDICT_OK;
}

static int compare_refs(const void *a, const void *b)
{
    const ref_item *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A list whose identifiers repeat cannot be trusted to report hits. */
static interdict_status check_unique_refs(un_parser *p, interdict_error *err)
{
    ref_item *refs = (ref_item *)p->refs.items;
    size_t n = p->refs.n;
    if (n < 2)
        return INTERDICT_OK;
    qsort(refs, n, sizeof *refs, compare_refs);
    for (size_t i = 1; i < n; i++)
        if (strcmp(refs[i - 1].ref, refs[i].ref) == 0)
            return set_error(err, INTERDICT_ERR_FORMAT, p->file, refs[i].line,
                             "REFERENCE_NUMBER", "duplicate reference number %s (also on line %ld)",
                             refs[i].ref, refs[i - 1].line);
    return INTERDICT_OK;
}

/* dateGenerated="2026-02-27T00:00:09.554Z" -> "2026-02-27". */
static const char *generated_date(un_parser *p, xmlNode *root)
{
    xmlChar *value = xmlGetProp(root, (const xmlChar *)"dateGenerated");
    const char *out = "";
    int y, m, d;
    if (value && parse_ymd((const char *)value, &y, &m, &d) && m && d &&
        strlen((const char *)value) >= 10)
        out = save_text(p, (const char *)value, 10);
    xmlFree(value);
    return out;
}

static interdict_status parse_root(un_parser *p, xmlNode *root, interdict_error *err)
{
    if (!root || !is_element(root, "CONSOLIDATED_LIST"))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, root ? line_of(root) : 0, "",
                         "root element is not <CONSOLIDATED_LIST>");
    p->list->id = UN_LIST_ID;
    p->list->format = "un-xml";
    p->list->generated = generated_date(p, root);
    interdict_status rc = INTERDICT_OK;
    for (xmlNode *c = root->children; c && rc == INTERDICT_OK; c = c->next) {
        if (is_element(c, "INDIVIDUALS"))
            rc = parse_section(p, c, "INDIVIDUAL", INTERDICT_PARTY_PERSON, err);
        else if (is_element(c, "ENTITIES"))
            rc = parse_section(p, c, "ENTITY", INTERDICT_PARTY_ENTITY, err);
    }
    if (rc != INTERDICT_OK)
        return rc;
    if (p->oom)
        return set_error(err, INTERDICT_ERR_NOMEM, p->file, 0, "", "out of memory");
    if (p->list->n_entries == 0)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, line_of(root), "",
                         "list has no entries");
    return check_unique_refs(p, err);
}

static void parser_init(un_parser *p, interdict_list *list, const char *file)
{
    memset(p, 0, sizeof *p);
    p->list = list;
    p->file = file;
    p->names.size = sizeof(name_item);
    p->dobs.size = sizeof(interdict_date);
    p->strs.size = sizeof(const char *);
    p->docs.size = sizeof(interdict_document);
    p->addrs.size = sizeof(interdict_address);
    p->refs.size = sizeof(ref_item);
}

static void parser_free(un_parser *p)
{
    free(p->scratch.s);
    free(p->names.items);
    free(p->dobs.items);
    free(p->strs.items);
    free(p->docs.items);
    free(p->addrs.items);
    free(p->refs.items);
}

interdict_status list_parse_un_xml(interdict_list *list, const char *data,
                                   size_t len, const char *name,
                                   interdict_error *err)
{
    if (!name)
        name = "<memory>";
    if (len > LIST_MAX_FILE_BYTES || len > INT32_MAX)
        return set_error(err, INTERDICT_ERR_LIMIT, name, 0, "", "input too large");
    interdict_status rc = INTERDICT_OK;
    xmlDocPtr doc = xml_read_safe(data, len, name, err, &rc);
    if (!doc)
        return rc;
    un_parser p;
    parser_init(&p, list, name);
    rc = parse_root(&p, xmlDocGetRootElement(doc), err);
    parser_free(&p);
    xmlFreeDoc(doc);
    return rc;
}
