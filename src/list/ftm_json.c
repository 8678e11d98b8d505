/* ftm_json.c - OpenSanctions FollowTheMoney (FtM) entities, one JSON object
 * a line.
 *
 * Each line is {"id", "schema", "caption", "properties": {name: [values]},
 * "referents", "datasets", "first_seen", "last_seen", ...}. Both OpenSanctions
 * exports are read:
 *
 *   entities.ftm.json     sanctions, passports and addresses are entities of
 *                         their own, on their own lines, that point at the
 *                         party (Sanction:entity, Identification:holder) or
 *                         are pointed at by it (addressEntity);
 *   targets.nested.json   the same records are embedded as objects inside
 *                         the party's properties ("sanctions", ...).
 *
 * Parties that can be screened (people, organisations, companies, vessels,
 * aircraft) become entries. Every other record is counted in
 * list->n_skipped; the sanctions, documents and addresses among them are
 * added to their party once the whole file has been read, so the order of
 * the lines does not matter.
 *
 * Where things go: name (the caption when it is one of the names, else the
 * first) is primary, other names, aliases and previous names are good
 * aliases (original-script ones when written only in another script), weak
 * aliases are low-quality aliases; topics, notes and sanctioning authorities
 * go into comments; positions into designations; a Sanction's unscId, and
 * ids or referents such as "unsc-QDi.006" and "ofac-12345", become cross
 * references to the UN and OFAC lists. */
#include "builder.h"
#include "../util/error.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FTM_LIST_ID "opensanctions"
#define FTM_MAX_LINE ((size_t)16 << 20)     /* one record */
#define FTM_MAX_VALUES 4096                 /* values of one property */
#define FTM_MAX_LINKS_PER_LINE 4096         /* linked facts one record may carry */
#define FTM_MAX_LINKS_PER_ENTRY 4096        /* linked facts added to one party */

/* ---- Parser state ----------------------------------------------------------- */

typedef enum {
    LINK_PROGRAM,
    LINK_AUTHORITY,
    LINK_LISTED,
    LINK_UN_REF,
    LINK_DOCUMENT,
    LINK_ADDRESS
} link_kind;

/* A fact from a record on another line, for the party `target`. For
 * Address records `target` is the address's own id until it is resolved. */
typedef struct {
    const char *target;
    const char *a, *b, *c;      /* value; or document type, number, country;
                                   or address text, country */
    long line;
    size_t seq;                 /* order of arrival, to keep sorting stable */
    link_kind kind;
} ftm_link;

typedef struct {
    ftm_link *items;
    size_t n, cap;
} link_vec;

typedef struct {
    interdict_list *list;
    entry_builder b;
    const char *file;
    long line;
    int oom;
    int too_many_links;         /* the file links more values than max_links */
    size_t n_skipped;
    size_t max_links;           /* all links of the file */
    char generated[11];         /* latest YYYY-MM-DD seen, or "" */
    link_vec links;             /* facts for parties, by party id */
    link_vec addresses;         /* Address records, by their own id */
    link_vec address_refs;      /* addressEntity ids: target = address id, a = party id */
    /* the party being read */
    builder_buf comments;
    char listed[11];            /* earliest listing date of its sanctions */
} ftm_parser;

static void parser_init(ftm_parser *p, interdict_list *list, const char *file, size_t len)
{
    memset(p, 0, sizeof *p);
    p->list = list;
    p->file = file;
    p->max_links = 65536 + len / 32;
    builder_init(&p->b, list, file);
}

static void parser_free(ftm_parser *p)
{
    builder_free(&p->b);
    free(p->links.items);
    free(p->addresses.items);
    free(p->address_refs.items);
    free(p->comments.s);
}

static ftm_link *link_push(ftm_parser *p, link_vec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        ftm_link *q = cap <= SIZE_MAX / sizeof *q ? realloc(v->items, cap * sizeof *q) : NULL;
        if (!q) {
            p->oom = 1;
            return NULL;
        }
        v->items = q;
        v->cap = cap;
    }
    ftm_link *l = &v->items[v->n++];
    memset(l, 0, sizeof *l);
    l->line = p->line;
    l->seq = v->n;
    return l;
}

/* ---- Text checks -------------------------------------------------------------- */

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
            return 0;
    return 1;
}

static int is_blank_str(const char *s)
{
    return is_blank(s, strlen(s));
}

/* Offset of the first byte that is not part of well-formed UTF-8 (no
 * overlong forms, surrogates or code points past U+10FFFF), or n. */
static size_t utf8_invalid_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (n - i <= k || u[i + 1] < lo || u[i + 1] > hi)
            return i;
        for (size_t j = 2; j <= k; j++)
            if ((u[i + j] & 0xC0) != 0x80)
                return i;
        i += k + 1;
    }
    return n;
}

/* Decodes one code point of validated UTF-8. */
static uint32_t next_codepoint(const unsigned char **s)
{
    const unsigned char *u = *s;
    uint32_t c = *u++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra)
        c &= 0x3Fu >> extra;
    while (extra-- > 0 && (*u & 0xC0) == 0x80)
        c = (c << 6) | (*u++ & 0x3F);
    *s = u;
    return c;
}

static int is_latin_letter(uint32_t c)
{
    return (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF);
}

/* Letters of Greek, Cyrillic, Hebrew, Arabic, Indic, CJK, Hangul, ... */
static int is_other_letter(uint32_t c)
{
    return (c >= 0x370 && c <= 0x1CFF) || (c >= 0x2C00 && c <= 0x2DFF) ||
           (c >= 0x2E80 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF) ||
           (c >= 0xFF66 && c <= 0xFFDC) || c >= 0x10000;
}

/* A name written only in a script other than Latin. */
static int is_original_script(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    int other = 0;
    while (*u) {
        uint32_t c = next_codepoint(&u);
        if (is_latin_letter(c))
            return 0;
        other |= is_other_letter(c);
    }
    return other;
}

/* 1 when s starts with a valid date "YYYY-MM-DD" that is all of s or is
 * followed by a time ("T..." or " ..."). */
static int is_full_date(const char *s)
{
    for (int i = 0; i < 10; i++) {
        int want_dash = i == 4 || i == 7;
        if (want_dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    if (s[10] && s[10] != 'T' && s[10] != ' ')
        return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static void note_generated(ftm_parser *p, const char *s)
{
    if (s && is_full_date(s) && memcmp(s, p->generated, 10) > 0) {
        memcpy(p->generated, s, 10);
        p->generated[10] = '\0';
    }
}

static void note_listed(ftm_parser *p, const char *s)
{
    if (s && is_full_date(s) && (!p->listed[0] || memcmp(s, p->listed, 10) < 0)) {
        memcpy(p->listed, s, 10);
        p->listed[10] = '\0';
    }
}

/* ---- Property values ---------------------------------------------------------- */

/* Properties are arrays of text (or, in nested exports, of embedded
 * entities); a lone string is accepted as one value. */
static size_t value_count(const json_t *v)
{
    return json_is_array(v) ? json_array_size(v) : json_is_string(v) ? 1 : 0;
}

/* The i-th text value, or NULL when it is an embedded entity. */
static const char *value_text(const json_t *v, size_t i)
{
    const json_t *x = json_is_array(v) ? json_array_get(v, i) : v;
    return json_is_string(x) ? json_string_value(x) : NULL;
}

static const char *first_text(const json_t *props, const char *key)
{
    const json_t *v = props ? json_object_get(props, key) : NULL;
    for (size_t i = 0, n = value_count(v); i < n; i++) {
        const char *s = value_text(v, i);
        if (s && !is_blank_str(s))
            return s;
    }
    return NULL;
}

/* Runs the statement after it for each text value s of props[key]; the
 * loop variables carry the line number so that loops can nest. */
#define FTM_CAT_(a, b) a##b
#define FTM_CAT(a, b) FTM_CAT_(a, b)
#define FOR_EACH_TEXT(props, key, s)                                                   \
    FOR_EACH_TEXT_(props, key, s, FTM_CAT(v_, __LINE__), FTM_CAT(i_, __LINE__),         \
                   FTM_CAT(n_, __LINE__))
#define FOR_EACH_TEXT_(props, key, s, v, i, n)                                         \
    for (const json_t *v = (props) ? json_object_get((props), (key)) : NULL; v; v = NULL) \
        for (size_t i = 0, n = value_count(v); i < n; i++)                              \
            for (const char *s = value_text(v, i); s; s = NULL)

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "text";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "unknown";
}

static interdict_status check_properties(ftm_parser *p, const json_t *props, const char *prefix,
                                         int depth, interdict_error *err);

/* An embedded entity needs a schema; its own properties are checked too. */
static interdict_status check_embedded(ftm_parser *p, const json_t *obj, const char *field,
                                       interdict_error *err)
{
    const json_t *schema = json_object_get(obj, "schema");
    if (!json_is_string(schema) || is_blank_str(json_string_value(schema)))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, field,
                         "embedded entity without a schema");
    const json_t *props = json_object_get(obj, "properties");
    if (props && !json_is_object(props))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, field,
                         "properties of an embedded entity are %s, not an object",
                         type_name(props));
    return props ? check_properties(p, props, field, 2, err) : INTERDICT_OK;
}

/* "properties.name" for error messages. */
static const char *field_name(char *buf, size_t size, const char *prefix, const char *key)
{
    snprintf(buf, size, "%s.%s", prefix, key);
    return buf;
}

/* Every property is text or an array of text and (at the top level)
 * embedded entities, with at most FTM_MAX_VALUES values. Deeper embedded
 * objects are not read and not checked. */
static interdict_status check_properties(ftm_parser *p, const json_t *props, const char *prefix,
                                         int depth, interdict_error *err)
{
    const char *key;
    json_t *value;
    char field[64];
    json_object_foreach((json_t *)props, key, value) {
        if (json_is_string(value))
            continue;
        if (!json_is_array(value))
            return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line,
                             field_name(field, sizeof field, prefix, key),
                             "property is %s, not a list of values", type_name(value));
        size_t n = json_array_size(value);
        if (n > FTM_MAX_VALUES)
            return set_error(err, INTERDICT_ERR_LIMIT, p->file, p->line,
                             field_name(field, sizeof field, prefix, key),
                             "%zu values, more than %d", n, FTM_MAX_VALUES);
        for (size_t i = 0; i < n; i++) {
            const json_t *x = json_array_get(value, i);
            if (json_is_string(x) || (json_is_object(x) && depth > 1))
                continue;
            if (json_is_object(x)) {
                interdict_status rc =
                    check_embedded(p, x, field_name(field, sizeof field, prefix, key), err);
                if (rc != INTERDICT_OK)
                    return rc;
                continue;
            }
            return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line,
                             field_name(field, sizeof field, prefix, key),
                             "value %zu is %s, not text", i + 1, type_name(x));
        }
    }
    return INTERDICT_OK;
}

/* A list of text at the top of the record ("referents", ...). */
static interdict_status check_text_list(ftm_parser *p, const json_t *v, const char *field,
                                        interdict_error *err)
{
    if (!v || json_is_string(v))
        return INTERDICT_OK;
    if (!json_is_array(v))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, field,
                         "%s, not a list of text", type_name(v));
    for (size_t i = 0; i < json_array_size(v); i++)
        if (!json_is_string(json_array_get(v, i)))
            return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, field,
                             "value %zu is %s, not text", i + 1,
                             type_name(json_array_get(v, i)));
    return INTERDICT_OK;
}

/* ---- Comments ------------------------------------------------------------------ */

static void comments_str(ftm_parser *p, const char *s)
{
    builder_buf_add(&p->comments, s, strlen(s), &p->oom);
}

/* Starts a new "; "-separated part. */
static void comments_part(ftm_parser *p)
{
    if (p->comments.len)
        comments_str(p, "; ");
}

/* "Authority: X" once. */
static void comments_authority(ftm_parser *p, const char *authority)
{
    if (is_blank_str(authority))
        return;
    if (p->comments.len) {
        char *hit = strstr(p->comments.s, authority);
        size_t k = strlen("Authority: ");
        if (hit && hit - p->comments.s >= (ptrdiff_t)k && memcmp(hit - k, "Authority: ", k) == 0)
            return;
    }
    comments_part(p);
    comments_str(p, "Authority: ");
    comments_str(p, authority);
}

/* ---- Cross references ---------------------------------------------------------- */

/* "QDi.006", "IQe.004": a UN Security Council reference number. */
static int is_un_reference(const char *s)
{
    return strlen(s) == 7 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           (s[2] == 'i' || s[2] == 'e') && s[3] == '.' && s[4] >= '0' && s[4] <= '9' &&
           s[5] >= '0' && s[5] <= '9' && s[6] >= '0' && s[6] <= '9';
}

static int is_digits(const char *s)
{
    if (!*s || strlen(s) > 12)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* OpenSanctions source ids: "unsc-QDi.006" and "ofac-12345". The UN feed's
 * own ids ("unsc-" and a DATAID) are not reference numbers and are left
 * alone; the UN reference comes from the Sanction's unscId. */
static void crossref_from_id(entry_builder *b, const char *id)
{
    if (strncmp(id, "unsc-", 5) == 0 && is_un_reference(id + 5))
        builder_crossref(b, "un", id + 5);
    else if (strncmp(id, "ofac-", 5) == 0 && is_digits(id + 5))
        builder_crossref(b, "ofac", id + 5);
}

static interdict_status too_many_links(ftm_parser *p, interdict_error *err)
{
    if (p->oom)
        return set_error(err, INTERDICT_ERR_NOMEM, p->file, p->line, "", "out of memory");
    return set_error(err, INTERDICT_ERR_LIMIT, p->file, p->line, "properties",
                     "too many linked values (at most %d a record, %zu a file)",
                     FTM_MAX_LINKS_PER_LINE, p->max_links);
}

/* ---- Parties --------------------------------------------------------------------- */

typedef struct {
    const char *schema;
    interdict_party_type type;
} schema_type;

static const schema_type PARTIES[] = {
    {"Person", INTERDICT_PARTY_PERSON},
    {"Organization", INTERDICT_PARTY_ENTITY},
    {"Company", INTERDICT_PARTY_ENTITY},
    {"LegalEntity", INTERDICT_PARTY_ENTITY},
    {"PublicBody", INTERDICT_PARTY_ENTITY},
    {"Vessel", INTERDICT_PARTY_VESSEL},
    {"Airplane", INTERDICT_PARTY_AIRCRAFT},
};

static interdict_party_type party_type(const char *schema)
{
    for (size_t i = 0; i < sizeof PARTIES / sizeof *PARTIES; i++)
        if (strcmp(schema, PARTIES[i].schema) == 0)
            return PARTIES[i].type;
    return INTERDICT_PARTY_UNKNOWN;
}

static int is_identification(const char *schema)
{
    return strcmp(schema, "Identification") == 0 || strcmp(schema, "Passport") == 0;
}

/* Identifier properties and the document type they become. */
static const struct {
    const char *property, *type;
} DOCUMENTS[] = {
    {"passportNumber", "Passport"},
    {"idNumber", "National Identification Number"},
    {"socialSecurityNumber", "Social Security Number"},
    {"taxNumber", "Tax Identification Number"},
    {"innCode", "INN (Russian Taxpayer Number)"},
    {"ogrnCode", "OGRN (Russian State Registration Number)"},
    {"okpoCode", "OKPO"},
    {"registrationNumber", "Registration Number"},
    {"licenseNumber", "License Number"},
    {"vatCode", "VAT Number"},
    {"leiCode", "LEI"},
    {"swiftBic", "SWIFT/BIC"},
    {"dunsCode", "DUNS Number"},
    {"uscCode", "Unified Social Credit Code"},
    {"imoNumber", "IMO Number"},
    {"mmsi", "MMSI"},
    {"callSign", "Call Sign"},
    {"serialNumber", "Aircraft Serial Number"},
};

static void add_name(entry_builder *b, const char *s, interdict_name_kind kind)
{
    if (kind == INTERDICT_NAME_ALIAS_GOOD && is_original_script(s))
        kind = INTERDICT_NAME_ORIGINAL;
    builder_name(b, s, kind);
}

static int has_value(const json_t *props, const char *key, const char *s)
{
    FOR_EACH_TEXT(props, key, t)
        if (strcmp(s, t) == 0)
            return 1;
    return 0;
}

/* Names from the parts of a personal name, for a record that has no name. */
static void name_from_parts(ftm_parser *p, const json_t *props)
{
    static const char *const parts[] = {"firstName", "secondName", "middleName", "fatherName",
                                        "lastName"};
    builder_buf_reset(&p->comments);   /* used as scratch; comments are built later */
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const char *s = first_text(props, parts[i]);
        if (!s)
            continue;
        if (p->comments.len)
            comments_str(p, " ");
        comments_str(p, s);
    }
    if (p->comments.len)
        builder_name_n(&p->b, p->comments.s, p->comments.len, INTERDICT_NAME_PRIMARY);
    builder_buf_reset(&p->comments);
}

static void add_names(ftm_parser *p, const json_t *props, const char *caption)
{
    entry_builder *b = &p->b;
    static const char *const good[] = {"name", "alias", "previousName"};
    if (caption && !is_blank_str(caption))
        for (size_t k = 0; k < 3; k++)
            if (has_value(props, good[k], caption)) {
                builder_name(b, caption, INTERDICT_NAME_PRIMARY);
                break;
            }
    const char *first = first_text(props, "name");
    if (first && b->names.n == 0)
        builder_name(b, first, INTERDICT_NAME_PRIMARY);
    for (size_t k = 0; k < 3; k++)
        FOR_EACH_TEXT(props, good[k], s)
            add_name(b, s, INTERDICT_NAME_ALIAS_GOOD);
    if (b->names.n == 0)
        name_from_parts(p, props);
    FOR_EACH_TEXT(props, "weakAlias", s)
        builder_name(b, s, INTERDICT_NAME_ALIAS_LOW);
}

static void add_documents(ftm_parser *p, const json_t *props, interdict_party_type type)
{
    for (size_t k = 0; k < sizeof DOCUMENTS / sizeof *DOCUMENTS; k++) {
        const char *doc_type = DOCUMENTS[k].type;
        if (type == INTERDICT_PARTY_AIRCRAFT && strcmp(DOCUMENTS[k].property, "registrationNumber") == 0)
            doc_type = "Aircraft Registration Number";
        FOR_EACH_TEXT(props, DOCUMENTS[k].property, s)
            builder_document(&p->b, doc_type, s, "", "");
    }
}

/* The text of an Address entity: "full", else its parts joined. */
static const char *address_text(ftm_parser *p, const json_t *props, char **scratch)
{
    static const char *const parts[] = {"street", "street2", "postOfficeBox", "city", "region",
                                        "state", "postalCode"};
    const char *full = first_text(props, "full");
    if (full)
        return full;
    size_t n = 0;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const char *s = first_text(props, parts[i]);
        if (s)
            n += strlen(s) + 2;
    }
    if (n == 0)
        return "";
    char *buf = malloc(n + 1);
    if (!buf) {
        p->oom = 1;
        return "";
    }
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const char *s = first_text(props, parts[i]);
        if (!s)
            continue;
        if (buf[0])
            strcat(buf, ", ");
        strcat(buf, s);
    }
    *scratch = buf;
    return buf;
}

/* A sanction, document or address embedded in the party's properties. */
static void add_embedded(ftm_parser *p, const json_t *obj)
{
    const char *schema = json_string_value(json_object_get(obj, "schema"));
    const json_t *props = json_object_get(obj, "properties");
    if (!schema || !props)
        return;
    entry_builder *b = &p->b;
    if (strcmp(schema, "Sanction") == 0) {
        FOR_EACH_TEXT(props, "program", s)
            builder_program(b, s);
        FOR_EACH_TEXT(props, "programId", s)
            builder_program(b, s);
        FOR_EACH_TEXT(props, "unscId", s)
            builder_crossref(b, "un", s);
        FOR_EACH_TEXT(props, "authority", s)
            comments_authority(p, s);
        const char *listed = first_text(props, "listingDate");
        note_listed(p, listed ? listed : first_text(props, "startDate"));
    } else if (is_identification(schema)) {
        const char *type = first_text(props, "type");
        if (!type)
            type = strcmp(schema, "Passport") == 0 ? "Passport" : "Identification";
        const char *country = first_text(props, "country");
        FOR_EACH_TEXT(props, "number", s)
            builder_document(b, type, s, country, "");
        FOR_EACH_TEXT(props, "passportNumber", s)
            builder_document(b, type, s, country, "");
    } else if (strcmp(schema, "Address") == 0) {
        char *scratch = NULL;
        const char *text = address_text(p, props, &scratch);
        const char *country = first_text(props, "country");
        builder_address(b, text, country);
        free(scratch);
    }
}

/* Embedded entities anywhere in the properties; the ids of Address
 * entities on other lines, to be resolved at the end. */
static void add_related(ftm_parser *p, const json_t *props, const char *party)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)props, key, value) {
        for (size_t i = 0; i < json_array_size(value); i++) {
            const json_t *x = json_array_get(value, i);
            if (json_is_object(x))
                add_embedded(p, x);
        }
    }
    FOR_EACH_TEXT(props, "addressEntity", s) {
        if (is_blank_str(s))
            continue;
        if (p->links.n + p->address_refs.n >= p->max_links) {
            p->too_many_links = 1;
            break;
        }
        ftm_link *l = link_push(p, &p->address_refs);
        if (l) {
            l->target = builder_str(&p->b, s);
            l->a = party;
        }
    }
}

static void build_comments(ftm_parser *p, const json_t *props)
{
    FOR_EACH_TEXT(props, "notes", s) {
        if (is_blank_str(s))
            continue;
        comments_part(p);
        comments_str(p, s);
    }
    int topics = 0;
    FOR_EACH_TEXT(props, "topics", s) {
        if (is_blank_str(s))
            continue;
        if (!topics++) {
            comments_part(p);
            comments_str(p, "Topics: ");
        } else {
            comments_str(p, ", ");
        }
        comments_str(p, s);
    }
}

static interdict_status parse_party(ftm_parser *p, const json_t *root, const char *id,
                                    interdict_party_type type, const json_t *props,
                                    interdict_error *err)
{
    entry_builder *b = &p->b;
    const json_t *caption = json_object_get(root, "caption");
    const json_t *referents = json_object_get(root, "referents");
    interdict_status rc = check_text_list(p, referents, "referents", err);
    if (rc != INTERDICT_OK)
        return rc;
    if (caption && !json_is_string(caption))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, "caption",
                         "caption is %s, not text", type_name(caption));

    builder_begin(b, id, type, p->line);
    builder_buf_reset(&p->comments);
    p->listed[0] = '\0';
    if (props)
        add_names(p, props, json_string_value(caption));

    FOR_EACH_TEXT(props, "birthDate", s)
        builder_dob_text(b, s);
    FOR_EACH_TEXT(props, "birthPlace", s)
        builder_place_of_birth(b, s);
    FOR_EACH_TEXT(props, "nationality", s)
        builder_nationality(b, s);
    FOR_EACH_TEXT(props, "citizenship", s)
        builder_nationality(b, s);
    if (type == INTERDICT_PARTY_ENTITY) {         /* a company's nationality */
        FOR_EACH_TEXT(props, "jurisdiction", s)
            builder_nationality(b, s);
        FOR_EACH_TEXT(props, "mainCountry", s)
            builder_nationality(b, s);
    }
    if (type == INTERDICT_PARTY_VESSEL)           /* a ship's nationality */
        FOR_EACH_TEXT(props, "flag", s)
            builder_nationality(b, s);
    FOR_EACH_TEXT(props, "title", s)
        builder_title(b, s);
    FOR_EACH_TEXT(props, "position", s)
        builder_designation(b, s);
    FOR_EACH_TEXT(props, "program", s)
        builder_program(b, s);
    FOR_EACH_TEXT(props, "programId", s)
        builder_program(b, s);
    FOR_EACH_TEXT(props, "address", s)
        builder_address(b, s, "");
    const char *gender = first_text(props, "gender");
    if (gender)
        b->entry.gender = builder_str(b, gender);
    crossref_from_id(b, id);
    for (size_t i = 0, n = value_count(referents); i < n; i++)
        crossref_from_id(b, value_text(referents, i));

    build_comments(p, props);                   /* notes and topics, then authorities */
    if (props)
        add_related(p, props, b->entry.ref);
    if (p->too_many_links)
        return too_many_links(p, err);
    add_documents(p, props, type);              /* after embedded ones, which have a country */
    if (p->comments.len)
        b->entry.comments = builder_text(b, p->comments.s, p->comments.len);
    if (p->listed[0])
        b->entry.listed_on = builder_text(b, p->listed, 10);
    if (p->oom)
        return set_error(err, INTERDICT_ERR_NOMEM, p->file, p->line, "", "out of memory");
    return builder_end(b, "properties.name", err);
}

/* ---- Records on other lines --------------------------------------------------- */

static int add_link(ftm_parser *p, size_t *made, const char *target, link_kind kind,
                    const char *a, const char *b, const char *c)
{
    if (is_blank_str(target))
        return 1;
    if (++*made > FTM_MAX_LINKS_PER_LINE || p->links.n + p->address_refs.n >= p->max_links)
        return 0;
    ftm_link *l = link_push(p, &p->links);
    if (!l)
        return 0;
    entry_builder *bld = &p->b;
    l->target = builder_str(bld, target);
    l->kind = kind;
    l->a = builder_str(bld, a);
    l->b = builder_str(bld, b);
    l->c = builder_str(bld, c);
    return 1;
}

/* A Sanction, Identification, Passport or Address record: kept for its
 * party. Other records (relationships, positions, ...) are only counted. */
static interdict_status collect_linked(ftm_parser *p, const char *id, const char *schema,
                                       const json_t *props, interdict_error *err)
{
    p->n_skipped++;
    if (!props)
        return INTERDICT_OK;
    size_t made = 0;
    int ok = 1;
    if (strcmp(schema, "Sanction") == 0) {
        const char *listed = first_text(props, "listingDate");
        if (!listed)
            listed = first_text(props, "startDate");
        FOR_EACH_TEXT(props, "entity", target) {
            FOR_EACH_TEXT(props, "program", s)
                ok &= add_link(p, &made, target, LINK_PROGRAM, s, "", "");
            FOR_EACH_TEXT(props, "programId", s)
                ok &= add_link(p, &made, target, LINK_PROGRAM, s, "", "");
            FOR_EACH_TEXT(props, "authority", s)
                ok &= add_link(p, &made, target, LINK_AUTHORITY, s, "", "");
            FOR_EACH_TEXT(props, "unscId", s)
                ok &= add_link(p, &made, target, LINK_UN_REF, s, "", "");
            if (listed && is_full_date(listed))
                ok &= add_link(p, &made, target, LINK_LISTED, listed, "", "");
            if (!ok)
                return too_many_links(p, err);
        }
    } else if (is_identification(schema)) {
        const char *type = first_text(props, "type");
        if (!type)
            type = strcmp(schema, "Passport") == 0 ? "Passport" : "Identification";
        const char *country = first_text(props, "country");
        FOR_EACH_TEXT(props, "holder", target) {
            FOR_EACH_TEXT(props, "number", s)
                ok &= add_link(p, &made, target, LINK_DOCUMENT, type, s, country);
            FOR_EACH_TEXT(props, "passportNumber", s)
                ok &= add_link(p, &made, target, LINK_DOCUMENT, type, s, country);
            if (!ok)
                return too_many_links(p, err);
        }
    } else if (strcmp(schema, "Address") == 0) {
        char *scratch = NULL;
        const char *text = address_text(p, props, &scratch);
        const char *country = first_text(props, "country");
        if (p->links.n + p->address_refs.n + p->addresses.n >= p->max_links) {
            free(scratch);
            return too_many_links(p, err);
        }
        if (*text || country) {
            ftm_link *l = link_push(p, &p->addresses);
            if (l) {
                l->target = builder_str(&p->b, id);
                l->kind = LINK_ADDRESS;
                l->a = builder_str(&p->b, text);
                l->b = builder_str(&p->b, country);
            }
        }
        free(scratch);
    }
    if (p->oom)
        return set_error(err, INTERDICT_ERR_NOMEM, p->file, p->line, "", "out of memory");
    return INTERDICT_OK;
}

/* ---- One line ------------------------------------------------------------------ */

static interdict_status parse_record(ftm_parser *p, const json_t *root, interdict_error *err)
{
    if (!json_is_object(root))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, "",
                         "line is %s, not a JSON object", type_name(root));
    const json_t *id = json_object_get(root, "id"), *schema = json_object_get(root, "schema");
    if (!id || !json_is_string(id) || is_blank_str(json_string_value(id)))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, "id",
                         id && !json_is_string(id) ? "id is not text" : "record without an id");
    if (!schema || !json_is_string(schema) || is_blank_str(json_string_value(schema)))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, "schema",
                         schema && !json_is_string(schema) ? "schema is not text"
                                                           : "record without a schema");
    const json_t *props = json_object_get(root, "properties");
    if (props && !json_is_object(props))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, p->line, "properties",
                         "properties are %s, not an object", type_name(props));
    interdict_status rc = props ? check_properties(p, props, "properties", 1, err)
                                : INTERDICT_OK;
    if (rc != INTERDICT_OK)
        return rc;

    static const char *const stamps[] = {"last_seen", "last_change"};
    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(root, stamps[i]);
        if (json_is_string(v))
            note_generated(p, json_string_value(v));
    }
    FOR_EACH_TEXT(props, "modifiedAt", s)
        note_generated(p, s);

    interdict_party_type type = party_type(json_string_value(schema));
    if (type == INTERDICT_PARTY_UNKNOWN)
        return collect_linked(p, json_string_value(id), json_string_value(schema), props, err);
    return parse_party(p, root, json_string_value(id), type, props, err);
}

static interdict_status parse_line(ftm_parser *p, const char *s, size_t n, interdict_error *err)
{
    if (n > FTM_MAX_LINE)
        return set_error(err, INTERDICT_ERR_LIMIT, p->file, p->line, "",
                         "line longer than %zu MiB", FTM_MAX_LINE >> 20);
    if (is_blank(s, n))
        return INTERDICT_OK;
    size_t bad = utf8_invalid_at(s, n);
    if (bad < n)
        return set_error(err, INTERDICT_ERR_ENCODING, p->file, p->line, "",
                         "invalid UTF-8 at byte %zu of the line", bad + 1);
    json_error_t jerr;
    json_t *root = json_loadb(s, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (json_error_code(&jerr) == json_error_out_of_memory)
            return set_error(err, INTERDICT_ERR_NOMEM, p->file, p->line, "", "out of memory");
        return set_error(err, INTERDICT_ERR_PARSE, p->file, p->line, "",
                         "invalid JSON at column %d: %s", jerr.column, jerr.text);
    }
    interdict_status rc = parse_record(p, root, err);
    json_decref(root);
    return rc;
}

/* ---- Linking ------------------------------------------------------------------- */

static int compare_links(const void *x, const void *y)
{
    const ftm_link *a = x, *b = y;
    int c = strcmp(a->target, b->target);
    if (c)
        return c;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The first link for `target` in a sorted vector, or NULL. */
static const ftm_link *find_links(const link_vec *v, const char *target)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->items[mid].target, target) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && strcmp(v->items[lo].target, target) == 0 ? &v->items[lo] : NULL;
}

/* Parties' addressEntity ids become address links of those parties. */
static interdict_status resolve_addresses(ftm_parser *p, interdict_error *err)
{
    if (p->addresses.n == 0 || p->address_refs.n == 0)
        return INTERDICT_OK;
    qsort(p->addresses.items, p->addresses.n, sizeof *p->addresses.items, compare_links);
    const ftm_link *end = p->addresses.items + p->addresses.n;
    for (size_t i = 0; i < p->address_refs.n; i++) {
        const ftm_link *ref = &p->address_refs.items[i];
        for (const ftm_link *a = find_links(&p->addresses, ref->target);
             a && a < end && strcmp(a->target, ref->target) == 0; a++) {
            if (p->links.n >= p->max_links) {
                p->line = ref->line;
                return too_many_links(p, err);
            }
            ftm_link *l = link_push(p, &p->links);
            if (!l)
                return set_error(err, INTERDICT_ERR_NOMEM, p->file, 0, "", "out of memory");
            size_t seq = l->seq;
            *l = *a;
            l->target = ref->a;
            l->seq = seq;
        }
    }
    return INTERDICT_OK;
}

/* Entry arrays live in the arena; growing one copies it. */
static void *grow_array(ftm_parser *p, const void *old, size_t n, size_t more, size_t size)
{
    if (n + more > SIZE_MAX / size) {
        p->oom = 1;
        return NULL;
    }
    void *q = arena_alloc(&p->list->mem, (n + more) * size);
    if (!q) {
        p->oom = 1;
        return NULL;
    }
    if (n)
        memcpy(q, old, n * size);
    return q;
}

/* Adds the facts of links [first, last) to entry e. */
static void apply_links(ftm_parser *p, interdict_entry *e, const ftm_link *first,
                        const ftm_link *last)
{
    size_t k = (size_t)(last - first);
    const char **programs = grow_array(p, e->programs, e->n_programs, k, sizeof *programs);
    interdict_crossref *refs = grow_array(p, e->crossrefs, e->n_crossrefs, k, sizeof *refs);
    interdict_document *docs = grow_array(p, e->documents, e->n_documents, k, sizeof *docs);
    interdict_address *addrs = grow_array(p, e->addresses, e->n_addresses, k, sizeof *addrs);
    if (!programs || !refs || !docs || !addrs)
        return;
    size_t n_programs = e->n_programs, n_refs = e->n_crossrefs, n_docs = e->n_documents,
           n_addrs = e->n_addresses;
    builder_buf_reset(&p->comments);
    if (*e->comments)
        comments_str(p, e->comments);
    size_t comments_before = p->comments.len;
    p->listed[0] = '\0';
    if (*e->listed_on)
        note_listed(p, e->listed_on);

    for (const ftm_link *l = first; l < last; l++) {
        size_t i;
        switch (l->kind) {
        case LINK_PROGRAM:
            for (i = 0; i < n_programs && strcmp(programs[i], l->a) != 0; i++)
                ;
            if (*l->a && i == n_programs)
                programs[n_programs++] = l->a;
            break;
        case LINK_UN_REF:
            for (i = 0; i < n_refs && (strcmp(refs[i].list, "un") || strcmp(refs[i].ref, l->a)); i++)
                ;
            if (*l->a && i == n_refs)
                refs[n_refs++] = (interdict_crossref){"un", l->a};
            break;
        case LINK_DOCUMENT:
            for (i = 0; i < n_docs && (strcmp(docs[i].number, l->b) || strcmp(docs[i].type, l->a)); i++)
                ;
            if (*l->b && i == n_docs)
                docs[n_docs++] = (interdict_document){l->a, l->b, l->c, ""};
            else if (i < n_docs && !*docs[i].country)   /* the record says where from */
                docs[i].country = l->c;
            break;
        case LINK_ADDRESS:
            for (i = 0; i < n_addrs && (strcmp(addrs[i].text, l->a) || strcmp(addrs[i].country, l->b)); i++)
                ;
            if ((*l->a || *l->b) && i == n_addrs)
                addrs[n_addrs++] = (interdict_address){l->a, l->b};
            break;
        case LINK_AUTHORITY:
            comments_authority(p, l->a);
            break;
        case LINK_LISTED:
            note_listed(p, l->a);
            break;
        }
    }
    e->programs = programs, e->n_programs = n_programs;
    e->crossrefs = refs, e->n_crossrefs = n_refs;
    e->documents = docs, e->n_documents = n_docs;
    e->addresses = addrs, e->n_addresses = n_addrs;
    if (!*e->regime && n_programs)
        e->regime = programs[0];
    if (p->comments.len != comments_before)
        e->comments = builder_text(&p->b, p->comments.s, p->comments.len);
    if (p->listed[0] && strcmp(p->listed, e->listed_on) != 0)
        e->listed_on = builder_text(&p->b, p->listed, 10);
}

static interdict_status link_entries(ftm_parser *p, interdict_error *err)
{
    interdict_status rc = resolve_addresses(p, err);
    if (rc != INTERDICT_OK)
        return rc;
    if (p->links.n == 0)
        return INTERDICT_OK;
    qsort(p->links.items, p->links.n, sizeof *p->links.items, compare_links);
    const ftm_link *end = p->links.items + p->links.n;
    for (size_t i = 0; i < p->list->n_entries; i++) {
        interdict_entry *e = &p->list->entries[i];
        const ftm_link *first = find_links(&p->links, e->ref), *last = first;
        if (!first)
            continue;
        while (last < end && strcmp(last->target, e->ref) == 0)
            last++;
        if (last - first > FTM_MAX_LINKS_PER_ENTRY)
            return set_error(err, INTERDICT_ERR_LIMIT, p->file, first[FTM_MAX_LINKS_PER_ENTRY].line,
                             "", "more than %d linked values for %s", FTM_MAX_LINKS_PER_ENTRY,
                             e->ref);
        apply_links(p, e, first, last);
        if (p->oom || p->b.oom)
            return set_error(err, INTERDICT_ERR_NOMEM, p->file, 0, "", "out of memory");
    }
    return INTERDICT_OK;
}

/* ---- Entry point ------------------------------------------------------------------ */

interdict_status list_parse_ftm_json(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path, interdict_error *err)
{
    (void)path;
    if (!name)
        name = "<memory>";
    if (len > LIST_MAX_FILE_BYTES)
        return set_error(err, INTERDICT_ERR_LIMIT, name, 0, "", "input too large");
    list->id = FTM_LIST_ID;
    list->format = "ftm-json";
    ftm_parser p;
    parser_init(&p, list, name, len);
    const char *s = data, *end = data + len;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    interdict_status rc = INTERDICT_OK;
    while (s < end && rc == INTERDICT_OK) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = (size_t)((nl ? nl : end) - s);
        if (n > 0 && s[n - 1] == '\r')
            n--;
        p.line++;
        rc = parse_line(&p, s, n, err);
        s = nl ? nl + 1 : end;
    }
    if (rc == INTERDICT_OK)
        rc = builder_finish(&p.b, "id", err);
    if (rc == INTERDICT_OK)
        rc = link_entries(&p, err);
    if (rc == INTERDICT_OK) {
        list->generated = p.generated[0] ? builder_text(&p.b, p.generated, 10) : "";
        list->n_skipped = p.n_skipped;
        if (p.b.oom)
            rc = set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "out of memory");
    }
    parser_free(&p);
    return rc;
}
