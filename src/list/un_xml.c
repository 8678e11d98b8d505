/* un_xml.c - the UN Security Council Consolidated List (XML) parser.
 *
 * libxml2 reads the document with network access and entity expansion
 * off. It builds a tree of the list and its two sections only, and each
 * entry is read from the parser's events as it ends (see "Entries from
 * libxml2's events"); a document those cannot show plainly is read from a
 * whole tree instead, with the same result. The official file is
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

/* ---- Element names -------------------------------------------------------- */

/* The elements the parser reads. Children are told apart by these codes:
 * a name is looked up once per element, not compared with every name the
 * parser wants. */
#define UN_ELEMENTS(X)                                                              \
    X(CONSOLIDATED_LIST) X(INDIVIDUALS) X(ENTITIES) X(INDIVIDUAL) X(ENTITY)          \
    X(REFERENCE_NUMBER) X(UN_LIST_TYPE) X(DATAID) X(LISTED_ON) X(GENDER)             \
    X(COMMENTS1) X(FIRST_NAME) X(SECOND_NAME) X(THIRD_NAME) X(FOURTH_NAME)            \
    X(INDIVIDUAL_ALIAS) X(ENTITY_ALIAS) X(QUALITY) X(ALIAS_NAME)                      \
    X(NAME_ORIGINAL_SCRIPT) X(INDIVIDUAL_DATE_OF_BIRTH) X(TYPE_OF_DATE) X(DATE)       \
    X(YEAR) X(FROM_YEAR) X(TO_YEAR) X(NOTE) X(INDIVIDUAL_PLACE_OF_BIRTH) X(CITY)      \
    X(STATE_PROVINCE) X(COUNTRY) X(NATIONALITY) X(TITLE) X(DESIGNATION) X(VALUE)      \
    X(INDIVIDUAL_DOCUMENT) X(TYPE_OF_DOCUMENT) X(TYPE_OF_DOCUMENT2) X(NUMBER)         \
    X(ISSUING_COUNTRY) X(COUNTRY_OF_ISSUE) X(INDIVIDUAL_ADDRESS) X(ENTITY_ADDRESS)    \
    X(STREET) X(ZIP_CODE)

/* Elements of every entry that the parser skips: known, so that finding
 * out that they are not wanted costs no string comparison. */
#define UN_SKIPPED(X)                                                               \
    X(VERSIONNUM) X(LIST_TYPE) X(LAST_DAY_UPDATED) X(SORT_KEY) X(SORT_KEY_LAST_MOD)   \
    X(SUBMITTED_BY) X(DATE_OF_BIRTH)

typedef enum {
    EL_OTHER,                   /* any other element, and nodes that are not elements */
#define EL_CODE(name) EL_##name,
    UN_ELEMENTS(EL_CODE)
#undef EL_CODE
    N_ELEMENTS
} el_code;

static const char *const ELEMENT_NAMES[] = {
#define EL_NAME(name) #name,
    UN_ELEMENTS(EL_NAME)
#undef EL_NAME
};

static const char *const SKIPPED_NAMES[] = {
#define EL_NAME(name) #name,
    UN_SKIPPED(EL_NAME)
#undef EL_NAME
};

enum { NAME_SLOTS = 256 };   /* a power of two, well over the names above */

/* Names as libxml2's dictionary holds them: every element name of the
 * document is one of its strings, so a name is known by its address. An
 * address missing here is looked up by its text. */
typedef struct {
    const xmlChar *name[NAME_SLOTS];
    uint8_t code[NAME_SLOTS];
    int ready;
} name_table;

/* ---- Parse state ---------------------------------------------------------- */

typedef struct {
    interdict_name name;
    size_t len;
} name_item;

typedef struct {
    const char *ref;
    long line;
} ref_item;

/* The entry being read is a small table of elements: the entry itself
 * (0), its element children and theirs, by code; deeper elements are only
 * text in their ancestors. An element comes either from libxml2's tree
 * (node) or from its events, which give its text as read (see on_start). */
typedef uint32_t el_id;         /* 0: none (the entry is nobody's child) */

typedef struct {
    el_code code;
    int complex;                /* events: holds more than text */
    el_id first, last, next;    /* its children */
    size_t text, text_len;      /* events: its text, in un_parser.text */
    xmlNode *node;              /* tree: the element */
} un_el;

/* An element child of the entry, with its code. */
typedef struct {
    el_id id;
    el_code code;
} child_item;

/* The first element child of each kind. */
typedef struct {
    el_id at[N_ELEMENTS];
} first_children;

enum { ENTRY_LEVELS = 3 };      /* the entry, its children and theirs */

typedef struct {
    interdict_list *list;
    const char *file;
    int oom;                    /* sticky: checked once per entry */
    int in_entity;              /* parsing an ENTITY, not an INDIVIDUAL */
    builder_buf scratch;        /* scratch text */
    builder_vec names, dobs, strs, docs, addrs, refs;
    builder_vec els;            /* un_el: the entry read */
    builder_vec kids;           /* child_item: its element children */
    first_children first;       /* ... and the first of each kind */
    name_table names_of;
    /* entries read from libxml2's events, as the document is parsed: the
     * first one that cannot be read ends the reading, and is reported
     * once the document proves well-formed */
    builder_buf text;           /* texts of the entry's elements, each NUL-ended */
    int level;                  /* of the element open in the entry; -1: none */
    el_id open[ENTRY_LEVELS];
    size_t skip;                /* elements open in a part not read */
    interdict_party_type entry_type;
    long entry_line;
    int gave_up;                /* the entry needs the tree to be read */
    interdict_status rc;
    interdict_error err;
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

/* Bytes that may start white space or an invisible character (see
 * space_len and invisible_len), and NUL: text between them is copied as it
 * is. */
static const unsigned char MAY_SPACE[256] = {
    [0] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    [0xC2] = 1, [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* Appends s[0..n) (NUL-terminated at n) to the scratch buffer with runs of
 * white space collapsed to one space; a space separates it from what is
 * already there. */
static void scratch_append_n(un_parser *p, const char *s, size_t n)
{
    if (!builder_buf_reserve(&p->scratch, n + 1, &p->oom))
        return;
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    char *out = p->scratch.s;
    size_t len = p->scratch.len;
    int pending_space = len > 0;
    for (;;) {
        const unsigned char *run = u;
        while (!MAY_SPACE[*u])          /* the NUL at the end stops it too */
            u++;
        if (u > run) {
            if (pending_space)
                out[len++] = ' ';
            pending_space = 0;
            memcpy(out + len, run, (size_t)(u - run));
            len += (size_t)(u - run);
        }
        if (u >= end)
            break;
        size_t k = space_len(u);
        if (k) {
            pending_space = len > 0;
            u += k;
        } else if ((k = invisible_len(u)) != 0) {
            u += k;
        } else {
            if (pending_space)
                out[len++] = ' ';
            pending_space = 0;
            out[len++] = (char)*u++;
        }
    }
    out[len] = '\0';
    p->scratch.len = len;
}

static void scratch_append(un_parser *p, const char *s)
{
    if (s)
        scratch_append_n(p, s, strlen(s));
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

static size_t name_slot(const xmlChar *name)
{
    return (size_t)(((uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15ull) >> 56) &
           (NAME_SLOTS - 1);
}

static void name_add(name_table *t, const xmlChar *name, el_code code)
{
    if (!name)
        return;                 /* out of memory: the text look-up stands in */
    size_t i = name_slot(name);
    while (t->name[i] && t->name[i] != name)
        i = (i + 1) & (NAME_SLOTS - 1);
    t->name[i] = name;
    t->code[i] = (uint8_t)code;
}

/* The dictionary's strings for the names the parser knows. */
static void names_init(name_table *t, const xmlDoc *doc)
{
    t->ready = 1;
    if (!doc || !doc->dict)
        return;
    for (size_t k = 0; k < sizeof ELEMENT_NAMES / sizeof *ELEMENT_NAMES; k++)
        name_add(t, xmlDictLookup(doc->dict, (const xmlChar *)ELEMENT_NAMES[k], -1),
                 (el_code)(k + 1));
    for (size_t k = 0; k < sizeof SKIPPED_NAMES / sizeof *SKIPPED_NAMES; k++)
        name_add(t, xmlDictLookup(doc->dict, (const xmlChar *)SKIPPED_NAMES[k], -1), EL_OTHER);
}

static el_code code_by_text(const xmlChar *name)
{
    for (size_t k = 0; k < sizeof ELEMENT_NAMES / sizeof *ELEMENT_NAMES; k++)
        if (strcmp((const char *)name, ELEMENT_NAMES[k]) == 0)
            return (el_code)(k + 1);
    return EL_OTHER;
}

/* The code of an element name of doc (the first call sets the table up). */
static el_code name_code(un_parser *p, const xmlDoc *doc, const xmlChar *name)
{
    if (!name)
        return EL_OTHER;
    name_table *t = &p->names_of;
    if (!t->ready)
        names_init(t, doc);
    for (size_t i = name_slot(name); t->name[i]; i = (i + 1) & (NAME_SLOTS - 1))
        if (t->name[i] == name)
            return (el_code)t->code[i];
    return code_by_text(name);
}

static el_code code_of(un_parser *p, const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE ? name_code(p, n->doc, n->name) : EL_OTHER;
}

static un_el *el_at(const un_parser *p, el_id id)
{
    return (un_el *)p->els.items + id;
}

/* Starts the entry's table with the entry itself. */
static void entry_begin(un_parser *p, el_code code, xmlNode *node)
{
    p->els.n = 0;
    un_el *e = builder_vec_push(&p->els, &p->oom);
    if (e) {
        e->code = code;
        e->complex = 1;         /* its own text is never read */
        e->node = node;
    }
}

/* Adds an element under `parent`; 0 when out of memory. */
static el_id el_add(un_parser *p, el_id parent, el_code code, xmlNode *node)
{
    if (p->els.n == 0)
        return 0;
    un_el *e = builder_vec_push(&p->els, &p->oom);
    if (!e)
        return 0;
    el_id id = (el_id)(p->els.n - 1);
    e->code = code;
    e->node = node;
    un_el *up = el_at(p, parent);
    if (up->last)
        el_at(p, up->last)->next = id;
    else
        up->first = id;
    up->last = id;
    return id;
}

/* The entry's table from libxml2's tree. */
static void entry_from_tree(un_parser *p, xmlNode *entry)
{
    entry_begin(p, code_of(p, entry), entry);
    for (xmlNode *c = entry->children; c; c = c->next) {
        el_code k = code_of(p, c);
        if (k == EL_OTHER)
            continue;
        el_id id = el_add(p, 0, k, c);
        for (xmlNode *g = id ? c->children : NULL; g; g = g->next) {
            el_code kg = code_of(p, g);
            if (kg != EL_OTHER)
                el_add(p, id, kg, g);
        }
    }
}

/* The first element child of each kind, in one pass over the children. */
static const first_children *find_firsts(un_parser *p, el_id parent, first_children *f)
{
    memset(f, 0, sizeof *f);
    for (el_id c = el_at(p, parent)->first; c; c = el_at(p, c)->next) {
        el_code k = el_at(p, c)->code;
        if (!f->at[k])
            f->at[k] = c;
    }
    return f;
}

/* Lists the entry's element children in order (p->kids), and the first of
 * each kind (p->first), in one pass over them. */
static void read_children(un_parser *p)
{
    memset(&p->first, 0, sizeof p->first);
    p->kids.n = 0;
    for (el_id c = p->els.n ? el_at(p, 0)->first : 0; c; c = el_at(p, c)->next) {
        el_code k = el_at(p, c)->code;
        if (!p->first.at[k])
            p->first.at[k] = c;
        child_item *item = builder_vec_push(&p->kids, &p->oom);
        if (item) {
            item->id = c;
            item->code = k;
        }
    }
}

static const child_item *entry_children(const un_parser *p, size_t *n)
{
    *n = p->kids.n;
    return (const child_item *)p->kids.items;
}

/* Appends the collapsed text of a tree element to the scratch buffer. An
 * element holding one text (the usual case) is read where it is. */
static void scratch_append_node(un_parser *p, xmlNode *n)
{
    const xmlNode *only = n->children;
    if (!only || (!only->next && (only->type == XML_TEXT_NODE ||
                                  only->type == XML_CDATA_SECTION_NODE))) {
        scratch_append(p, only && only->content ? (const char *)only->content : "");
        return;
    }
    xmlChar *content = xmlNodeGetContent(n);
    if (!content) {
        if (n->children)
            p->oom = 1;
        return;
    }
    scratch_append(p, (const char *)content);
    xmlFree(content);
}

/* Appends the collapsed text of an element of the entry. Read from events,
 * an element holding more than text gives the reading up: its text is
 * what libxml2's tree would make of it. */
static void scratch_append_el(un_parser *p, el_id id)
{
    if (!id)
        return;
    const un_el *e = el_at(p, id);
    if (e->node)
        scratch_append_node(p, e->node);
    else if (e->complex)
        p->gave_up = 1;
    else
        scratch_append_n(p, e->text_len ? p->text.s + e->text : "", e->text_len);
}

/* Trimmed, collapsed text of an element, saved in the arena; "" when the
 * element is absent or empty. */
static const char *node_text(un_parser *p, el_id id)
{
    scratch_reset(p);
    scratch_append_el(p, id);
    return save_text(p, builder_buf_str(&p->scratch), p->scratch.len);
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

/* An element's date: the day of an xs:date, other text as written. */
static const char *node_date(un_parser *p, el_id id)
{
    scratch_reset(p);
    scratch_append_el(p, id);
    size_t n = p->scratch.len;
    const char *s = builder_buf_str(&p->scratch);
    return save_text(p, s, is_xs_date(s, n) ? 10 : n);
}

static long line_of(xmlNode *n)
{
    long line = xmlGetLineNo(n);
    return line > 0 ? line : 0;
}

/* Joins the non-empty texts of the elements with ", ". */
static const char *join_texts(un_parser *p, const el_id *parts, size_t n)
{
    scratch_reset(p);
    for (size_t i = 0; i < n; i++) {
        el_id c = parts[i];
        size_t before = p->scratch.len, sep = before > 0;
        if (sep)
            scratch_put(p, ",");        /* the append adds the space */
        scratch_append_el(p, c);
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

static interdict_name_kind alias_quality(un_parser *p, el_id quality)
{
    scratch_reset(p);
    scratch_append_el(p, quality);
    const builder_buf *q = &p->scratch;
    return q->s && starts_with_ci(q->s, q->len, "low") ? INTERDICT_NAME_ALIAS_LOW
                                                       : INTERDICT_NAME_ALIAS_GOOD;
}

static void collect_aliases(un_parser *p)
{
    size_t n;
    const child_item *kids = entry_children(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (kids[i].code != EL_INDIVIDUAL_ALIAS && kids[i].code != EL_ENTITY_ALIAS)
            continue;
        first_children f;
        find_firsts(p, kids[i].id, &f);
        interdict_name_kind kind = alias_quality(p, f.at[EL_QUALITY]);
        scratch_reset(p);
        scratch_append_el(p, f.at[EL_ALIAS_NAME]);
        if (p->scratch.len > 0)         /* empty ALIAS_NAME: a placeholder */
            add_alias_list(p, p->scratch.s, p->scratch.len, kind, 0);
    }
    for (size_t i = 0; i < n; i++) {
        if (kids[i].code != EL_NAME_ORIGINAL_SCRIPT)
            continue;
        scratch_reset(p);
        scratch_append_el(p, kids[i].id);
        add_original(p, p->scratch.s, p->scratch.len);
    }
}

/* names[0] is FIRST_NAME .. FOURTH_NAME joined; a primary name listing
 * alternatives with ';' also gets each of them as an alias. */
static interdict_status collect_names(un_parser *p, long line, interdict_entry *e,
                                      interdict_error *err)
{
    static const el_code parts[] = {EL_FIRST_NAME, EL_SECOND_NAME, EL_THIRD_NAME,
                                    EL_FOURTH_NAME};
    scratch_reset(p);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        scratch_append_el(p, p->first.at[parts[i]]);
    if (p->oom)
        return INTERDICT_ERR_NOMEM;
    if (p->scratch.len == 0)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, line, "FIRST_NAME",
                         "entry %s has no name", e->ref);
    p->names.n = 0;
    add_name(p, p->scratch.s, p->scratch.len, INTERDICT_NAME_PRIMARY);
    if (find_top_level(p->scratch.s, p->scratch.len, ';') < p->scratch.len)
        add_alias_list(p, p->scratch.s, p->scratch.len, INTERDICT_NAME_ALIAS_GOOD, MAX_ALIAS_DEPTH);
    collect_aliases(p);
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
static int read_dob(un_parser *p, el_id node, interdict_date *out)
{
    first_children f;
    find_firsts(p, node, &f);
    const char *type = node_text(p, f.at[EL_TYPE_OF_DATE]);
    const char *date = node_text(p, f.at[EL_DATE]);
    const char *year = node_text(p, f.at[EL_YEAR]);
    const char *from = node_text(p, f.at[EL_FROM_YEAR]);
    const char *to = node_text(p, f.at[EL_TO_YEAR]);
    const char *note = node_text(p, f.at[EL_NOTE]);
    const char *value = *date ? date : year;
    if (!*value && !*from && !*to && !*note)
        return 0;
    memset(out, 0, sizeof *out);
    int ok;
    const char *raw = value;
    if (*from || *to || equals_ci(type, "BETWEEN")) {
        ok = parse_range(from, to, out);
        /* a BETWEEN that gives a DATE or YEAR instead keeps that as written */
        if (*from || *to)
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

static void collect_dobs(un_parser *p, interdict_entry *e)
{
    size_t n;
    const child_item *kids = entry_children(p, &n);
    for (size_t i = 0; i < n; i++) {
        interdict_date d;
        if (kids[i].code != EL_INDIVIDUAL_DATE_OF_BIRTH || !read_dob(p, kids[i].id, &d))
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

static const char *const *collect_places(un_parser *p, size_t *count)
{
    size_t n;
    const child_item *kids = entry_children(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (kids[i].code != EL_INDIVIDUAL_PLACE_OF_BIRTH)
            continue;
        first_children f;
        find_firsts(p, kids[i].id, &f);
        el_id parts[] = {f.at[EL_CITY], f.at[EL_STATE_PROVINCE], f.at[EL_COUNTRY]};
        push_string(p, join_texts(p, parts, 3));
    }
    return strings_to_arena(p, count);
}

/* <NATIONALITY><VALUE>..</VALUE>..</NATIONALITY> and the like. */
static const char *const *collect_values(un_parser *p, el_code container, size_t *count)
{
    size_t n;
    const child_item *kids = entry_children(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (kids[i].code != container)
            continue;
        for (el_id v = el_at(p, kids[i].id)->first; v; v = el_at(p, v)->next)
            if (el_at(p, v)->code == EL_VALUE)
                push_string(p, node_text(p, v));
    }
    return strings_to_arena(p, count);
}

static const char *document_type(un_parser *p, const first_children *f)
{
    const char *type = node_text(p, f->at[EL_TYPE_OF_DOCUMENT]);
    const char *type2 = node_text(p, f->at[EL_TYPE_OF_DOCUMENT2]);
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

static void collect_documents(un_parser *p, interdict_entry *e)
{
    size_t n;
    const child_item *kids = entry_children(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (kids[i].code != EL_INDIVIDUAL_DOCUMENT)
            continue;
        first_children f;
        find_firsts(p, kids[i].id, &f);
        interdict_document d;
        d.type = document_type(p, &f);
        d.number = node_text(p, f.at[EL_NUMBER]);
        d.country = node_text(p, f.at[EL_ISSUING_COUNTRY]);
        if (!*d.country)
            d.country = node_text(p, f.at[EL_COUNTRY_OF_ISSUE]);
        d.note = node_text(p, f.at[EL_NOTE]);
        if (!*d.type && !*d.number && !*d.country && !*d.note)
            continue;                   /* <INDIVIDUAL_DOCUMENT/> placeholder */
        interdict_document *slot = vec_push(p, &p->docs);
        if (slot)
            *slot = d;
    }
    e->documents = vec_to_arena(p, &p->docs, &e->n_documents);
}

static void collect_addresses(un_parser *p, interdict_entry *e)
{
    size_t n;
    const child_item *kids = entry_children(p, &n);
    for (size_t i = 0; i < n; i++) {
        if (kids[i].code != EL_INDIVIDUAL_ADDRESS && kids[i].code != EL_ENTITY_ADDRESS)
            continue;
        first_children f;
        find_firsts(p, kids[i].id, &f);
        el_id parts[] = {f.at[EL_STREET], f.at[EL_CITY], f.at[EL_STATE_PROVINCE],
                         f.at[EL_ZIP_CODE]};
        interdict_address a;
        a.text = join_texts(p, parts, 4);
        a.country = node_text(p, f.at[EL_COUNTRY]);
        if (!*a.text && !*a.country)
            continue;
        interdict_address *slot = vec_push(p, &p->addrs);
        if (slot)
            *slot = a;
    }
    e->addresses = vec_to_arena(p, &p->addrs, &e->n_addresses);
}

/* ---- Entries -------------------------------------------------------------- */

/* The entry in p->els, whose element starts on `line`. */
static interdict_status parse_entry(un_parser *p, interdict_party_type type, long line,
                                    interdict_error *err)
{
    interdict_entry e;
    memset(&e, 0, sizeof e);
    read_children(p);
    const first_children *f = &p->first;
    e.ref = node_text(p, f->at[EL_REFERENCE_NUMBER]);
    if (!p->oom && !*e.ref)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, line, "REFERENCE_NUMBER",
                         "<%s> without a reference number",
                         type == INTERDICT_PARTY_ENTITY ? "ENTITY" : "INDIVIDUAL");
    e.list = UN_LIST_ID;
    e.type = type;
    p->in_entity = type == INTERDICT_PARTY_ENTITY;
    e.regime = node_text(p, f->at[EL_UN_LIST_TYPE]);
    e.source_id = node_text(p, f->at[EL_DATAID]);
    e.listed_on = node_date(p, f->at[EL_LISTED_ON]);
    e.gender = node_text(p, f->at[EL_GENDER]);
    e.comments = node_text(p, f->at[EL_COMMENTS1]);
    interdict_status rc = collect_names(p, line, &e, err);
    if (rc != INTERDICT_OK)
        return rc == INTERDICT_ERR_NOMEM ? set_error(err, rc, p->file, line, "", "out of memory")
                                         : rc;
    collect_dobs(p, &e);
    e.places_of_birth = collect_places(p, &e.n_places_of_birth);
    e.nationalities = collect_values(p, EL_NATIONALITY, &e.n_nationalities);
    e.titles = collect_values(p, EL_TITLE, &e.n_titles);
    e.designations = collect_values(p, EL_DESIGNATION, &e.n_designations);
    collect_documents(p, &e);
    collect_addresses(p, &e);

    ref_item *r = vec_push(p, &p->refs);
    interdict_entry *slot = p->oom ? NULL : list_add_entry(p->list);
    if (!slot || !r)
        return set_error(err, INTERDICT_ERR_NOMEM, p->file, line, "", "out of memory");
    r->ref = e.ref;
    r->line = line;
    *slot = e;
    return INTERDICT_OK;
}

/* Whether an element with this code in `section` is an entry:
 * INDIVIDUALS/INDIVIDUAL or ENTITIES/ENTITY in the root <CONSOLIDATED_LIST>. */
static int is_entry(un_parser *p, xmlNode *section, el_code item, interdict_party_type *type)
{
    xmlNode *root = section ? section->parent : NULL;
    if (!root || !root->parent || root->parent->type != XML_DOCUMENT_NODE ||
        code_of(p, root) != EL_CONSOLIDATED_LIST)
        return 0;
    el_code in = code_of(p, section);
    if (item == EL_INDIVIDUAL && in == EL_INDIVIDUALS)
        *type = INTERDICT_PARTY_PERSON;
    else if (item == EL_ENTITY && in == EL_ENTITIES)
        *type = INTERDICT_PARTY_ENTITY;
    else
        return 0;
    return 1;
}

/* ---- Entries from libxml2's events ------------------------------------------ */

/* libxml2 builds the tree down to the sections and tells of the rest as it
 * reads it (xml_read_safe_events): each entry is read as it ends, and
 * nothing of it is built. An element of the entry's table takes the text
 * libxml2 hands over while it is the innermost one open; anything else in
 * it (an element, a comment, a CDATA section, ...) makes it complex, and
 * reading a complex element's text gives the reading up, for the tree to
 * do (see scratch_append_el). The white space libxml2 judges ignorable and
 * leaves out changes no text read: in an element holding only text, it is
 * white space just before the end tag or before a carriage return (itself
 * read as a line feed), which collapsing white space makes the same. */

static void mark_complex(un_parser *p)
{
    if (p->level >= 0 && p->els.n)
        el_at(p, p->open[p->level])->complex = 1;
}

static int on_start(void *user, xmlNode *parent, const xmlChar *name, long line)
{
    un_parser *p = user;
    if (p->skip) {
        p->skip++;
        return 0;
    }
    el_code code = name_code(p, parent ? parent->doc : NULL, name);
    if (p->level < 0) {                 /* just below a section */
        if (!is_entry(p, parent, code, &p->entry_type)) {
            p->skip = 1;
            return 0;
        }
        entry_begin(p, code, NULL);
        builder_buf_reset(&p->text);
        p->entry_line = line;
        p->level = 0;
        p->open[0] = 0;
        return 0;
    }
    mark_complex(p);                    /* it holds an element */
    el_id id = 0;
    if (p->level + 1 < ENTRY_LEVELS && code != EL_OTHER)
        id = el_add(p, p->open[p->level], code, NULL);
    if (!id) {                          /* not read, or out of memory */
        p->skip = 1;
        return 0;
    }
    p->open[++p->level] = id;
    return 0;
}

static int on_text(void *user, const char *s, size_t n)
{
    un_parser *p = user;
    if (p->skip || p->level < 0 || !p->els.n)
        return 0;
    un_el *e = el_at(p, p->open[p->level]);
    if (e->complex)
        return 0;
    if (!e->text_len)
        e->text = p->text.len;
    size_t before = p->text.len;
    builder_buf_add(&p->text, s, n, &p->oom);
    e->text_len += p->text.len - before;
    return 0;
}

static int on_other(void *user)
{
    un_parser *p = user;
    if (!p->skip)
        mark_complex(p);
    return 0;
}

static int on_end(void *user)
{
    un_parser *p = user;
    if (p->skip) {
        p->skip--;
        return 0;
    }
    if (p->level < 0)
        return 0;
    if (p->els.n) {
        un_el *e = el_at(p, p->open[p->level]);
        if (!e->complex && e->text_len)
            builder_buf_add(&p->text, "", 1, &p->oom);    /* ends its text */
    }
    if (--p->level >= 0)
        return 0;
    if (p->rc == INTERDICT_OK)
        p->rc = parse_entry(p, p->entry_type, p->entry_line, &p->err);
    return p->gave_up;
}

/* ---- Entries from the tree ---------------------------------------------------- */

/* Entries of one section. */
static interdict_status parse_section(un_parser *p, xmlNode *section, interdict_error *err)
{
    for (xmlNode *c = section->children; c; c = c->next) {
        interdict_party_type type;
        if (c->type != XML_ELEMENT_NODE || !is_entry(p, section, code_of(p, c), &type))
            continue;
        entry_from_tree(p, c);
        interdict_status rc = parse_entry(p, type, line_of(c), err);
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
    if (!root || code_of(p, root) != EL_CONSOLIDATED_LIST)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, root ? line_of(root) : 0, "",
                         "root element is not <CONSOLIDATED_LIST>");
    p->list->id = UN_LIST_ID;
    p->list->format = "un-xml";
    p->list->generated = generated_date(p, root);
    if (p->rc != INTERDICT_OK) {        /* an entry read from events failed */
        if (err)
            *err = p->err;
        return p->rc;
    }
    interdict_status rc = INTERDICT_OK;
    for (xmlNode *c = root->children; c && rc == INTERDICT_OK; c = c->next) {
        el_code k = code_of(p, c);
        if (k == EL_INDIVIDUALS || k == EL_ENTITIES)
            rc = parse_section(p, c, err);
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
    p->kids.size = sizeof(child_item);
    p->els.size = sizeof(un_el);
    p->level = -1;
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
    free(p->kids.items);
    free(p->els.items);
    free(p->text.s);
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
    un_parser p;
    parser_init(&p, list, name);
    /* entries are read from events below the sections (depth 2); the tree
     * reads the document when they cannot be */
    xml_events ev = {2, &p, on_start, on_end, on_text, on_other};
    arena_mark mark = arena_get_mark(&list->mem);
    size_t entries = list->n_entries;
    int gave_up = 0;
    xmlDocPtr doc = xml_read_safe_events(data, len, name, &ev, &gave_up, err, &rc);
    if (gave_up) {
        parser_free(&p);
        arena_rewind(&list->mem, mark);
        list->n_entries = entries;
        parser_init(&p, list, name);
        doc = xml_read_safe(data, len, name, err, &rc);
    }
    if (doc)
        rc = parse_root(&p, xmlDocGetRootElement(doc), err);
    parser_free(&p);
    xmlFreeDoc(doc);
    return rc;
}
