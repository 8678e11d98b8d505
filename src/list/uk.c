/* uk.c - the UK sanctions lists, from both of their publishers.
 *
 * OFSI (HM Treasury) published the Consolidated List of Financial Sanctions
 * Targets as ConList.csv and ConList.xml: one flat record per name, the
 * records of one target sharing a Group ID. The FCDO publishes the UK
 * Sanctions List as XML (one <Designation> per target, names nested) and as
 * CSV (one row per name, grouped by Unique ID).
 *
 * The flat forms (both CSVs and the OFSI XML) are read into rows first,
 * because the rows of one target need not be next to each other, then
 * grouped and turned into entries in the order each target first appears.
 *
 * Column and element names are matched after folding case and dropping
 * everything but letters and digits ("Name 6", "Name6", "name6" and
 * "NAME_6" are one field), and CSV columns are found by name, not position:
 * the publishers have renamed, reordered and added columns over the years
 * and not every detail of every edition could be confirmed from public
 * descriptions, so several spellings of each field are accepted. */
#include "builder.h"
#include "list.h"
#include "xml_safe.h"
#include "../util/error.h"

#include <libxml/tree.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UK_LIST_ID "uk"

enum {
    MAX_KEY = 64,           /* longest column or element name compared */
    MAX_ITEMS = 32,         /* "(1) a (2) b ..." items taken apart */
    MAX_XML_DEPTH = 12      /* nesting below a <Designation> that is walked */
};

/* ---- Fields ------------------------------------------------------------- */

typedef enum {
    F_NAME1, F_NAME2, F_NAME3, F_NAME4, F_NAME5, F_NAME6,
    F_TITLE, F_NON_LATIN, F_DOB, F_TOWN_OF_BIRTH, F_COUNTRY_OF_BIRTH, F_NATIONALITY,
    F_PASSPORT_NUMBER, F_PASSPORT_DETAILS, F_NATIONAL_ID_NUMBER, F_NATIONAL_ID_DETAILS,
    F_POSITION,
    F_ADDRESS1, F_ADDRESS2, F_ADDRESS3, F_ADDRESS4, F_ADDRESS5, F_ADDRESS6,
    F_POSTCODE, F_COUNTRY, F_OTHER_INFO, F_GROUP_TYPE, F_ALIAS_TYPE, F_ALIAS_QUALITY,
    F_REGIME, F_LISTED_ON, F_DATE_DESIGNATED, F_LAST_UPDATED, F_GROUP_ID, F_UK_REF,
    F_UN_REF, F_UNIQUE_ID, F_GENDER, F_IMO, F_BUSINESS_REG,
    F_COUNT
} uk_field;

/* Accepted names of each field, folded (see fold_key). The first name of a
 * field is the one used in messages when the file has not named it. */
static const struct {
    uk_field field;
    const char *key;
    const char *label;
} FIELD_NAMES[] = {
    {F_NAME1, "name1", "Name 1"},
    {F_NAME2, "name2", "Name 2"},
    {F_NAME3, "name3", "Name 3"},
    {F_NAME4, "name4", "Name 4"},
    {F_NAME5, "name5", "Name 5"},
    {F_NAME6, "name6", "Name 6"},
    {F_TITLE, "title", "Title"},
    {F_TITLE, "nametitle", "Title"},
    {F_NON_LATIN, "namenonlatinscript", "Name Non-Latin Script"},
    {F_DOB, "dob", "DOB"},
    {F_DOB, "dateofbirth", "DOB"},
    {F_DOB, "individualdateofbirth", "DOB"},
    {F_TOWN_OF_BIRTH, "townofbirth", "Town of Birth"},
    {F_TOWN_OF_BIRTH, "individualtownofbirth", "Town of Birth"},
    {F_COUNTRY_OF_BIRTH, "countryofbirth", "Country of Birth"},
    {F_COUNTRY_OF_BIRTH, "individualcountryofbirth", "Country of Birth"},
    {F_NATIONALITY, "nationality", "Nationality"},
    {F_NATIONALITY, "nationalityies", "Nationality"},       /* "Nationality(/ies)" */
    {F_NATIONALITY, "individualnationality", "Nationality"},
    {F_PASSPORT_NUMBER, "passportnumber", "Passport Number"},
    {F_PASSPORT_NUMBER, "individualpassportnumber", "Passport Number"},
    {F_PASSPORT_DETAILS, "passportdetails", "Passport Details"},
    {F_PASSPORT_DETAILS, "individualpassportdetails", "Passport Details"},
    {F_PASSPORT_DETAILS, "passportadditionalinformation", "Passport Details"},
    {F_NATIONAL_ID_NUMBER, "nationalidentificationnumber", "National Identification Number"},
    {F_NATIONAL_ID_NUMBER, "nationalidentifiernumber", "National Identification Number"},
    {F_NATIONAL_ID_NUMBER, "ninumber", "National Identification Number"},
    {F_NATIONAL_ID_NUMBER, "individualninumber", "National Identification Number"},
    {F_NATIONAL_ID_DETAILS, "nationalidentificationdetails", "National Identification Details"},
    {F_NATIONAL_ID_DETAILS, "nationalidentifieradditionalinformation",
     "National Identification Details"},
    {F_NATIONAL_ID_DETAILS, "nidetails", "National Identification Details"},
    {F_NATIONAL_ID_DETAILS, "individualnidetails", "National Identification Details"},
    {F_POSITION, "position", "Position"},
    {F_POSITION, "individualposition", "Position"},
    {F_ADDRESS1, "address1", "Address 1"},
    {F_ADDRESS1, "addressline1", "Address 1"},
    {F_ADDRESS2, "address2", "Address 2"},
    {F_ADDRESS2, "addressline2", "Address 2"},
    {F_ADDRESS3, "address3", "Address 3"},
    {F_ADDRESS3, "addressline3", "Address 3"},
    {F_ADDRESS4, "address4", "Address 4"},
    {F_ADDRESS4, "addressline4", "Address 4"},
    {F_ADDRESS5, "address5", "Address 5"},
    {F_ADDRESS5, "addressline5", "Address 5"},
    {F_ADDRESS6, "address6", "Address 6"},
    {F_ADDRESS6, "addressline6", "Address 6"},
    {F_POSTCODE, "postzipcode", "Post/Zip Code"},
    {F_POSTCODE, "postcode", "Post/Zip Code"},
    {F_POSTCODE, "addresspostalcode", "Post/Zip Code"},
    {F_COUNTRY, "country", "Country"},
    {F_COUNTRY, "addresscountry", "Country"},
    {F_OTHER_INFO, "otherinformation", "Other Information"},
    {F_GROUP_TYPE, "grouptype", "Group Type"},
    {F_GROUP_TYPE, "grouptypedescription", "Group Type"},
    {F_GROUP_TYPE, "designationtype", "Group Type"},
    {F_GROUP_TYPE, "individualentityship", "Group Type"},
    {F_ALIAS_TYPE, "aliastype", "Alias Type"},
    {F_ALIAS_TYPE, "nametype", "Alias Type"},
    {F_ALIAS_QUALITY, "aliasquality", "Alias Quality"},
    {F_ALIAS_QUALITY, "aliasstrength", "Alias Quality"},
    {F_REGIME, "regime", "Regime"},
    {F_REGIME, "regimename", "Regime"},
    {F_LISTED_ON, "listedon", "Listed On"},
    {F_LISTED_ON, "datelisted", "Listed On"},
    {F_DATE_DESIGNATED, "uksanctionslistdatedesignated", "UK Sanctions List Date Designated"},
    {F_DATE_DESIGNATED, "datedesignated", "UK Sanctions List Date Designated"},
    {F_LAST_UPDATED, "lastupdated", "Last Updated"},
    {F_GROUP_ID, "groupid", "Group ID"},
    {F_GROUP_ID, "ofsigroupid", "Group ID"},
    {F_UK_REF, "uksanctionslistref", "UK Sanctions List Ref"},
    {F_UN_REF, "unreferencenumber", "UN Reference Number"},
    {F_UN_REF, "unref", "UN Reference Number"},
    {F_UNIQUE_ID, "uniqueid", "Unique ID"},
    {F_GENDER, "gender", "Gender"},
    {F_GENDER, "individualgender", "Gender"},
    {F_IMO, "imonumber", "IMO number"},
    {F_IMO, "shipimonumber", "IMO number"},
    {F_BUSINESS_REG, "businessregistrationnumbers", "Business registration number"},
    {F_BUSINESS_REG, "businessregistrationnumber", "Business registration number"},
    {F_BUSINESS_REG, "entitybusinessregnumber", "Business registration number"},
};

typedef enum { FORM_OFSI, FORM_FCDO } uk_form;

/* Columns each CSV form cannot do without, with the names the publisher
 * gives them. */
static const struct {
    uk_field field;
    const char *label;
} OFSI_REQUIRED[] = {
    {F_NAME6, "Name 6"}, {F_GROUP_TYPE, "Group Type"},
    {F_ALIAS_TYPE, "Alias Type"}, {F_GROUP_ID, "Group ID"},
}, FCDO_REQUIRED[] = {
    {F_UNIQUE_ID, "Unique ID"}, {F_NAME6, "Name 6"},
    {F_ALIAS_TYPE, "Name type"}, {F_GROUP_TYPE, "Designation Type"},
};

/* Folds a column or element name: ASCII letters lower-cased, digits kept,
 * everything else dropped. "" when the name is too long to be one of ours. */
static void fold_key(const char *s, size_t n, char out[MAX_KEY])
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            continue;
        if (k + 1 >= MAX_KEY) {
            k = 0;
            break;
        }
        out[k++] = c;
    }
    out[k] = '\0';
}

static int field_of_key(const char *key)
{
    for (size_t i = 0; i < sizeof FIELD_NAMES / sizeof *FIELD_NAMES; i++)
        if (strcmp(FIELD_NAMES[i].key, key) == 0)
            return (int)FIELD_NAMES[i].field;
    return -1;
}

static const char *default_label(uk_field f)
{
    for (size_t i = 0; i < sizeof FIELD_NAMES / sizeof *FIELD_NAMES; i++)
        if (FIELD_NAMES[i].field == f)
            return FIELD_NAMES[i].label;
    return "";
}

/* ---- Parse state ---------------------------------------------------------- */

/* One name record of a flat form. vals[slot] is "" when empty, never NULL. */
typedef struct {
    long line;
    size_t seq;                 /* position in the file */
    const char *key;            /* Group ID (OFSI) or Unique ID (FCDO CSV) */
    const char **vals;
} uk_row;

typedef struct {
    interdict_list *list;
    const char *file;
    interdict_error *err;
    uk_form form;
    entry_builder b;
    arena tmp;                  /* row text, freed at the end */
    uk_row *rows;
    size_t n_rows, cap_rows;
    int slot[F_COUNT];          /* where a field sits in a row, -1 if absent */
    const char *label[F_COUNT]; /* the file's own name of each field */
    size_t n_slots;
    char latest_update[11];     /* latest Last Updated seen, YYYY-MM-DD */
    builder_buf text, note, comments; /* scratch */
    int oom;
} uk_parser;

static void parser_init(uk_parser *p, interdict_list *list, const char *name,
                        interdict_error *err)
{
    memset(p, 0, sizeof *p);
    p->list = list;
    p->file = name ? name : "<memory>";
    p->err = err;
    arena_init(&p->tmp);
    builder_init(&p->b, list, p->file);
    for (int f = 0; f < F_COUNT; f++) {
        p->slot[f] = -1;
        p->label[f] = default_label((uk_field)f);
    }
}

static void parser_free(uk_parser *p)
{
    builder_free(&p->b);
    arena_free(&p->tmp);
    free(p->rows);
    free(p->text.s);
    free(p->note.s);
    free(p->comments.s);
}

__attribute__((format(printf, 5, 6)))
static interdict_status fail(uk_parser *p, interdict_status code, long line,
                             const char *field, const char *fmt, ...)
{
    char message[sizeof p->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return set_error(p->err, code, p->file, line, field ? field : "", "%s", message);
}

static interdict_status out_of_memory(uk_parser *p)
{
    return fail(p, INTERDICT_ERR_NOMEM, 0, "", "out of memory");
}

/* ---- Small text helpers ------------------------------------------------------ */

static int is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s (n bytes) without surrounding white space equals word, ignoring case. */
static int equals_word(const char *s, size_t n, const char *word)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    size_t k = strlen(word);
    if (n != k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower(s[i]) != lower(word[i]))
            return 0;
    return 1;
}

static int is_word(const char *s, const char *word)
{
    return equals_word(s, strlen(s), word);
}

/* s starts with prefix, ignoring case. */
static int starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower(s[i]) != lower(prefix[i]))
            return 0;
    return 1;
}

static const char *skip_spaces(const char *s)
{
    while (is_space(*s))
        s++;
    return s;
}

/* A date as "YYYY-MM-DD": "dd/mm/yyyy", "2022-12-09T00:00:00", "13-Feb-2026"
 * and the other forms builder_parse_date reads. 0 unless it is one whole day. */
static int iso_day(const char *s, char out[11])
{
    char buf[64];
    s = skip_spaces(s);
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (n > 10 && buf[4] == '-' && (buf[10] == 'T' || buf[10] == ' '))
        buf[10] = '\0';                 /* a time of day after an ISO date */
    interdict_date d;
    if (!builder_parse_date(buf, &d)) {
        char *space = strchr(buf, ' ');     /* "13-Feb-2026 09:30" */
        if (!space)
            return 0;
        *space = '\0';
        if (!builder_parse_date(buf, &d))
            return 0;
    }
    if (d.kind != INTERDICT_DATE_EXACT || d.from_day == 0)
        return 0;
    /* builder_parse_date keeps years within 1000..2999 */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.from_year % 10000u,
             (unsigned)d.from_month % 100u, (unsigned)d.from_day % 100u);
    return 1;
}

/* Keeps the later of two YYYY-MM-DD days in latest. */
static void note_update(uk_parser *p, const char *text)
{
    char day[11];
    if (iso_day(text, day) && strcmp(day, p->latest_update) > 0)
        memcpy(p->latest_update, day, sizeof day);
}

static interdict_status set_generated(uk_parser *p, const char *day)
{
    const char *copy = day && *day ? arena_strdup(&p->list->mem, day) : "";
    if (!copy)
        return out_of_memory(p);
    p->list->generated = copy;
    return INTERDICT_OK;
}

/* ---- Enumerated values -------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t n;
} span;

/* OFSI writes several values in one field as "(1) first (2) second". Takes
 * them apart; anything else is one item. Returns the number of items (at
 * most MAX_ITEMS; the last one keeps whatever follows). */
static size_t split_items_raw(const char *s, span items[MAX_ITEMS])
{
    s = skip_spaces(s);
    if (strncmp(s, "(1)", 3) != 0) {
        items[0] = (span){s, strlen(s)};
        return *s ? 1 : 0;
    }
    size_t n = 0;
    const char *start = s + 3;
    for (int k = 2;; k++) {
        char marker[8];
        snprintf(marker, sizeof marker, "(%d)", k);
        const char *next = n + 1 < MAX_ITEMS ? strstr(start, marker) : NULL;
        if (!next) {
            items[n++] = (span){start, strlen(start)};
            return n;
        }
        items[n++] = (span){start, (size_t)(next - start)};
        start = next + strlen(marker);
    }
}

/* Drops white space around every item. */
static size_t trim_items(span *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (items[i].n && is_space(*items[i].s))
            items[i].s++, items[i].n--;
        while (items[i].n && is_space(items[i].s[items[i].n - 1]))
            items[i].n--;
    }
    return n;
}

static size_t split_items(const char *s, span items[MAX_ITEMS])
{
    return trim_items(items, split_items_raw(s, items));
}

/* The item as a NUL-terminated string in the scratch buffer. */
static const char *item_text(uk_parser *p, span item)
{
    builder_buf_reset(&p->text);
    builder_buf_add(&p->text, item.s, item.n, &p->oom);
    return builder_buf_str(&p->text);
}

typedef void (*add_fn)(entry_builder *b, const char *s);

static void add_items(uk_parser *p, const char *value, add_fn add)
{
    span items[MAX_ITEMS];
    size_t n = split_items(value, items);
    for (size_t i = 0; i < n; i++)
        add(&p->b, item_text(p, items[i]));
}

/* A time of day after an ISO date of birth says nothing. */
static void add_dob(entry_builder *b, const char *s)
{
    const char *t = skip_spaces(s);
    size_t n = strlen(t);
    if (n > 10 && t[4] == '-' && t[7] == '-' && t[10] == 'T' &&
        strspn(t, "0123456789") == 4) {
        char buf[11];
        memcpy(buf, t, 10);
        buf[10] = '\0';
        builder_dob_text(b, buf);
        return;
    }
    builder_dob_text(b, s);
}

/* Numbers and their details, paired item by item when they match up;
 * otherwise every number gets the whole details text. Older files put the
 * number into the details field, so details without a number are kept as
 * the number rather than lost. */
static void add_documents(uk_parser *p, const char *type, const char *numbers,
                          const char *details)
{
    span num[MAX_ITEMS], det[MAX_ITEMS];
    size_t n = split_items(numbers, num), d = split_items(details, det);
    if (n == 0) {
        if (d > 0)
            builder_document(&p->b, type, details, "", "");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *note = details;
        if (n == d) {
            builder_buf_reset(&p->note);
            builder_buf_add(&p->note, det[i].s, det[i].n, &p->oom);
            note = builder_buf_str(&p->note);
        }
        builder_document(&p->b, type, item_text(p, num[i]), "", note);
    }
}

/* Towns and countries of birth, paired when they match up. */
static void add_places(uk_parser *p, const char *towns, const char *countries)
{
    span t[MAX_ITEMS], c[MAX_ITEMS];
    size_t nt = split_items(towns, t), nc = split_items(countries, c);
    if (nt == nc) {
        for (size_t i = 0; i < nt; i++) {
            builder_buf_reset(&p->text);
            builder_buf_add(&p->text, t[i].s, t[i].n, &p->oom);
            builder_buf_add(&p->text, ", ", 2, &p->oom);
            builder_buf_add(&p->text, c[i].s, c[i].n, &p->oom);
            builder_place_of_birth(&p->b, builder_buf_str(&p->text));
        }
        return;
    }
    for (size_t i = 0; i < nt; i++)
        builder_place_of_birth(&p->b, item_text(p, t[i]));
    for (size_t i = 0; i < nc; i++)
        builder_place_of_birth(&p->b, item_text(p, c[i]));
}

/* "IMO 9562233", "IMO9562233" or "9562233": the seven digits. (value may
 * sit in the scratch buffer, which is left alone.) */
static void add_imo(uk_parser *p, const char *value)
{
    const char *s = skip_spaces(value);
    if (starts_with_ci(s, strlen(s), "imo"))
        s = skip_spaces(s + 3);
    if (*s == ':')
        s = skip_spaces(s + 1);
    if (strspn(s, "0123456789") == 7 && *skip_spaces(s + 7) == '\0') {
        char digits[8];
        memcpy(digits, s, 7);
        digits[7] = '\0';
        builder_document(&p->b, "IMO Number", digits, "", "");
    } else {
        builder_document(&p->b, "IMO Number", value, "", "");
    }
}

static void add_business_reg(entry_builder *b, const char *s)
{
    builder_document(b, "Business Registration Number", s, "", "");
}

/* Joins non-empty parts with ", " into the scratch buffer. */
static const char *join_parts(uk_parser *p, const char *const *parts, size_t n)
{
    builder_buf_reset(&p->text);
    for (size_t i = 0; i < n; i++) {
        const char *s = skip_spaces(parts[i]);
        if (!*s)
            continue;
        if (p->text.len)
            builder_buf_add(&p->text, ", ", 2, &p->oom);
        builder_buf_add(&p->text, s, strlen(s), &p->oom);
    }
    return builder_buf_str(&p->text);
}

/* ---- Labelled spans in OFSI's Other Information --------------------------------- */

/* Length of a "(Label):" marker at s, or 0. */
static size_t marker_len(const char *s)
{
    if (*s != '(')
        return 0;
    for (size_t i = 1; i < 64 && s[i] && s[i] != '('; i++)
        if (s[i] == ')')
            return i > 1 && s[i + 1] == ':' ? i + 2 : 0;
    return 0;
}

/* The text after "(label):" up to the next marker; 0 when absent. */
static int labelled_value(const char *info, const char *label, span *out)
{
    size_t k = strlen(label);
    for (const char *s = strchr(info, '('); s; s = strchr(s + 1, '(')) {
        size_t m = marker_len(s);
        if (m != k + 3 || !starts_with_ci(s + 1, k, label))
            continue;
        const char *v = skip_spaces(s + m), *end = v;
        while (*end && !marker_len(end))
            end++;
        *out = (span){v, (size_t)(end - v)};
        return 1;
    }
    return 0;
}

/* The leading identifier of a labelled value ("QDi.006. Leader of ..." ->
 * "QDi.006"), in the scratch buffer; "" when there is none. */
static const char *labelled_token(uk_parser *p, const char *info, const char *label)
{
    span v;
    if (!labelled_value(info, label, &v))
        return "";
    size_t n = 0;
    while (n < v.n && ((v.s[n] >= 'A' && v.s[n] <= 'Z') || (v.s[n] >= 'a' && v.s[n] <= 'z') ||
                       (v.s[n] >= '0' && v.s[n] <= '9') || v.s[n] == '.' || v.s[n] == '-' ||
                       v.s[n] == '/'))
        n++;
    while (n && v.s[n - 1] == '.')
        n--;
    return item_text(p, (span){v.s, n});
}

/* ---- Vocabularies ---------------------------------------------------------------- */

static int party_type(const char *s, interdict_party_type *out)
{
    if (!*skip_spaces(s))
        *out = INTERDICT_PARTY_UNKNOWN;
    else if (is_word(s, "Individual"))
        *out = INTERDICT_PARTY_PERSON;
    else if (is_word(s, "Entity"))
        *out = INTERDICT_PARTY_ENTITY;
    else if (is_word(s, "Ship"))
        *out = INTERDICT_PARTY_VESSEL;
    else
        return 0;
    return 1;
}

/* Alias Type / Name type with Alias Quality / Alias strength. The files
 * spell the same values in several cases ("Primary Name", "Primary name",
 * "ALias"), hence the case-blind comparison. */
static int name_kind(const char *type, const char *quality, interdict_name_kind *out,
                     int *bad_quality)
{
    *bad_quality = 0;
    if (is_word(type, "Primary name")) {
        *out = INTERDICT_NAME_PRIMARY;
        return 1;
    }
    if (*skip_spaces(type) && !is_word(type, "Primary name variation") && !is_word(type, "AKA") &&
        !is_word(type, "Alias") && !is_word(type, "a.k.a.") && !is_word(type, "FKA") &&
        !is_word(type, "f.k.a."))
        return 0;
    const char *q = skip_spaces(quality);
    size_t n = strlen(q);
    if (!*q || starts_with_ci(q, n, "good") || starts_with_ci(q, n, "high"))
        *out = INTERDICT_NAME_ALIAS_GOOD;
    else if (starts_with_ci(q, n, "low") || starts_with_ci(q, n, "weak"))
        *out = INTERDICT_NAME_ALIAS_LOW;
    else {
        *bad_quality = 1;
        return 0;
    }
    return 1;
}

/* ---- Rows of the flat forms ------------------------------------------------------ */

static const char *row_get(const uk_parser *p, const uk_row *r, uk_field f)
{
    int s = p->slot[f];
    return s < 0 ? "" : r->vals[s];
}

static uk_row *add_row(uk_parser *p, long line)
{
    if (p->n_rows == p->cap_rows) {
        size_t cap = p->cap_rows ? p->cap_rows * 2 : 256;
        uk_row *q = cap <= SIZE_MAX / sizeof *q ? realloc(p->rows, cap * sizeof *q) : NULL;
        if (!q)
            return NULL;
        p->rows = q;
        p->cap_rows = cap;
    }
    const char **vals = arena_alloc(&p->tmp, p->n_slots * sizeof *vals);
    if (!vals)
        return NULL;
    for (size_t i = 0; i < p->n_slots; i++)
        vals[i] = "";
    uk_row *r = &p->rows[p->n_rows];
    r->line = line;
    r->seq = p->n_rows++;
    r->key = "";
    r->vals = vals;
    return r;
}

/* Copies a value into the row's storage; 0 when out of memory. */
static int keep_value(uk_parser *p, const char **slot, const char *s, size_t n)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    if (n == 0) {
        *slot = "";
        return 1;
    }
    char *copy = arena_strndup(&p->tmp, s, n);
    *slot = copy ? copy : "";
    return copy != NULL;
}

/* The field that identifies a target in this form. */
static uk_field key_field(const uk_parser *p)
{
    return p->form == FORM_OFSI ? F_GROUP_ID : F_UNIQUE_ID;
}

static int compare_rows(const void *a, const void *b)
{
    const uk_row *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

typedef struct {
    size_t start, count, first_seq;
} row_group;

static int compare_groups(const void *a, const void *b)
{
    const row_group *x = a, *y = b;
    return (x->first_seq > y->first_seq) - (x->first_seq < y->first_seq);
}

/* A value every row of the group must agree on (or leave empty). */
static interdict_status agreed_value(uk_parser *p, const uk_row *rows, size_t n, uk_field f,
                                     const char **value, long *line)
{
    *value = "";
    *line = rows[0].line;
    for (size_t i = 0; i < n; i++) {
        const char *v = row_get(p, &rows[i], f);
        if (!*v)
            continue;
        if (!**value) {
            *value = v;
            *line = rows[i].line;
        } else if (strcmp(*value, v) != 0) {
            return fail(p, INTERDICT_ERR_FORMAT, rows[i].line, p->label[f],
                        "'%s' here but '%s' at line %ld for the same target %s", v, *value,
                        *line, rows[i].key);
        }
    }
    return INTERDICT_OK;
}

/* The UK Sanctions List reference of an OFSI group: its own field, or the
 * "(UK Sanctions List Ref):" span of Other Information. */
static interdict_status ofsi_ref(uk_parser *p, const uk_row *rows, size_t n, char **out)
{
    const char *ref = "";
    long ref_line = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = row_get(p, &rows[i], F_UK_REF);
        uk_field from = F_UK_REF;
        if (!*v) {
            v = labelled_token(p, row_get(p, &rows[i], F_OTHER_INFO), "UK Sanctions List Ref");
            from = F_OTHER_INFO;
        }
        if (!*v)
            continue;
        if (!*ref) {
            char *copy = arena_strdup(&p->tmp, v);
            if (!copy)
                return out_of_memory(p);
            ref = copy;
            ref_line = rows[i].line;
        } else if (strcmp(ref, v) != 0) {
            return fail(p, INTERDICT_ERR_FORMAT, rows[i].line, p->label[from],
                        "UK Sanctions List Ref %s here but %s at line %ld for Group ID %s", v,
                        ref, ref_line, rows[i].key);
        }
    }
    if (*ref) {
        *out = (char *)ref;
        return INTERDICT_OK;
    }
    size_t len = strlen(rows[0].key) + 6;
    char *made = arena_alloc(&p->tmp, len);
    if (!made)
        return out_of_memory(p);
    snprintf(made, len, "OFSI-%s", rows[0].key);
    *out = made;
    return INTERDICT_OK;
}

/* Adds text to the entry's comments unless it is already there. */
static void add_comment(uk_parser *p, const char *text)
{
    const char *t = skip_spaces(text);
    if (!*t || (p->comments.len && strstr(p->comments.s, t)))
        return;
    if (p->comments.len)
        builder_buf_add(&p->comments, " | ", 3, &p->oom);
    builder_buf_add(&p->comments, t, strlen(t), &p->oom);
}

/* The name of one row: given names, then the surname (Name 6). */
static const char *row_name(uk_parser *p, const uk_row *r)
{
    static const uk_field parts[] = {F_NAME1, F_NAME2, F_NAME3, F_NAME4, F_NAME5, F_NAME6};
    builder_buf_reset(&p->text);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const char *s = row_get(p, r, parts[i]);
        if (!*s)
            continue;
        if (p->text.len)
            builder_buf_add(&p->text, " ", 1, &p->oom);
        builder_buf_add(&p->text, s, strlen(s), &p->oom);
    }
    return builder_buf_str(&p->text);
}

static interdict_status add_row_fields(uk_parser *p, const uk_row *r)
{
    entry_builder *b = &p->b;
    interdict_name_kind kind;
    int bad_quality;
    const char *type = row_get(p, r, F_ALIAS_TYPE), *quality = row_get(p, r, F_ALIAS_QUALITY);
    if (!name_kind(type, quality, &kind, &bad_quality))
        return bad_quality
                   ? fail(p, INTERDICT_ERR_FORMAT, r->line, p->label[F_ALIAS_QUALITY],
                          "unknown alias quality '%s'", quality)
                   : fail(p, INTERDICT_ERR_FORMAT, r->line, p->label[F_ALIAS_TYPE],
                          "unknown alias type '%s'", type);
    /* a row may carry only other details (or only the non-Latin name) */
    builder_name(b, row_name(p, r), kind);
    builder_name(b, row_get(p, r, F_NON_LATIN), INTERDICT_NAME_ORIGINAL);

    add_items(p, row_get(p, r, F_TITLE), builder_title);
    add_items(p, row_get(p, r, F_DOB), add_dob);
    add_places(p, row_get(p, r, F_TOWN_OF_BIRTH), row_get(p, r, F_COUNTRY_OF_BIRTH));
    add_items(p, row_get(p, r, F_NATIONALITY), builder_nationality);
    add_documents(p, "Passport", row_get(p, r, F_PASSPORT_NUMBER),
                  row_get(p, r, F_PASSPORT_DETAILS));
    add_documents(p, "National Identification Number", row_get(p, r, F_NATIONAL_ID_NUMBER),
                  row_get(p, r, F_NATIONAL_ID_DETAILS));
    add_items(p, row_get(p, r, F_POSITION), builder_designation);
    const char *lines[] = {row_get(p, r, F_ADDRESS1), row_get(p, r, F_ADDRESS2),
                           row_get(p, r, F_ADDRESS3), row_get(p, r, F_ADDRESS4),
                           row_get(p, r, F_ADDRESS5), row_get(p, r, F_ADDRESS6),
                           row_get(p, r, F_POSTCODE)};
    builder_address(b, join_parts(p, lines, sizeof lines / sizeof *lines),
                    row_get(p, r, F_COUNTRY));
    builder_program(b, row_get(p, r, F_REGIME));

    const char *info = row_get(p, r, F_OTHER_INFO);
    add_comment(p, info);
    builder_crossref(b, "un", labelled_token(p, info, "UN Ref"));
    const char *un = row_get(p, r, F_UN_REF);
    span refs[MAX_ITEMS];
    for (size_t i = 0, n = split_items(un, refs); i < n; i++)
        builder_crossref(b, "un", item_text(p, refs[i]));
    const char *gender = row_get(p, r, F_GENDER);
    if (!*gender)
        gender = labelled_token(p, info, "Gender");
    if (!*b->entry.gender)
        b->entry.gender = builder_str(b, gender);
    if (*row_get(p, r, F_IMO))
        add_imo(p, row_get(p, r, F_IMO));
    const char *imo = labelled_token(p, info, "IMO number");
    if (*imo)
        add_imo(p, imo);
    add_items(p, row_get(p, r, F_BUSINESS_REG), add_business_reg);
    return INTERDICT_OK;
}

static interdict_status listed_on(uk_parser *p, const uk_row *rows, size_t n)
{
    static const uk_field fields[] = {F_LISTED_ON, F_DATE_DESIGNATED};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < n; i++) {
            const char *v = row_get(p, &rows[i], fields[k]);
            char day[11];
            if (!*v)
                continue;
            if (!iso_day(v, day))
                return fail(p, INTERDICT_ERR_PARSE, rows[i].line, p->label[fields[k]],
                            "not a date: '%s'", v);
            p->b.entry.listed_on = builder_str(&p->b, day);
            return INTERDICT_OK;
        }
    return INTERDICT_OK;
}

/* One entry from the rows of one target. */
static interdict_status build_group(uk_parser *p, const uk_row *rows, size_t n)
{
    const char *type_text;
    long type_line;
    interdict_status rc = agreed_value(p, rows, n, F_GROUP_TYPE, &type_text, &type_line);
    if (rc != INTERDICT_OK)
        return rc;
    interdict_party_type type;
    if (!party_type(type_text, &type))
        return fail(p, INTERDICT_ERR_FORMAT, type_line, p->label[F_GROUP_TYPE],
                    "unknown type '%s' (Individual, Entity or Ship)", type_text);
    char *ref = NULL;
    if (p->form == FORM_OFSI) {
        if ((rc = ofsi_ref(p, rows, n, &ref)) != INTERDICT_OK)
            return rc;
    } else {
        ref = (char *)rows[0].key;
    }
    entry_builder *b = &p->b;
    builder_begin(b, ref, type, rows[0].line);
    b->entry.source_id = builder_str(b, p->form == FORM_OFSI ? rows[0].key : "");
    builder_buf_reset(&p->comments);
    for (size_t i = 0; i < n; i++) {
        if (p->form == FORM_FCDO && !*b->entry.source_id)
            b->entry.source_id = builder_str(b, row_get(p, &rows[i], F_GROUP_ID));
        if ((rc = add_row_fields(p, &rows[i])) != INTERDICT_OK) {
            b->open = 0;
            return rc;
        }
    }
    if ((rc = listed_on(p, rows, n)) != INTERDICT_OK) {
        b->open = 0;
        return rc;
    }
    b->entry.comments = builder_str(b, builder_buf_str(&p->comments));
    if (p->oom)
        b->oom = 1;
    return builder_end(b, p->label[F_NAME6], p->err);
}

/* Groups the rows by target and builds the entries in file order. */
static interdict_status build_entries(uk_parser *p)
{
    if (p->n_rows == 0)
        return INTERDICT_OK;
    qsort(p->rows, p->n_rows, sizeof *p->rows, compare_rows);
    row_group *groups = malloc(p->n_rows * sizeof *groups);
    if (!groups)
        return out_of_memory(p);
    size_t n_groups = 0;
    for (size_t i = 0; i < p->n_rows; i++) {
        if (i == 0 || strcmp(p->rows[i].key, p->rows[i - 1].key) != 0)
            groups[n_groups++] = (row_group){i, 0, p->rows[i].seq};
        groups[n_groups - 1].count++;
    }
    qsort(groups, n_groups, sizeof *groups, compare_groups);
    interdict_status rc = INTERDICT_OK;
    for (size_t g = 0; g < n_groups && rc == INTERDICT_OK; g++)
        rc = build_group(p, p->rows + groups[g].start, groups[g].count);
    free(groups);
    return rc;
}

static interdict_status finish(uk_parser *p, const char *format)
{
    interdict_status rc = build_entries(p);
    if (rc != INTERDICT_OK)
        return rc;
    if (p->oom)
        return out_of_memory(p);
    p->list->format = format;
    const char *ref_label = p->form == FORM_FCDO ? p->label[F_UNIQUE_ID]
                                                 : p->label[F_UK_REF];
    return builder_finish(&p->b, ref_label, p->err);
}

/* ---- CSV -------------------------------------------------------------------- */

/* Length of the line at s (without its end), at most limit bytes looked at. */
static size_t line_length(const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    size_t len = nl ? (size_t)(nl - s) : n;
    if (len && s[len - 1] == '\r')
        len--;
    return len;
}

static int contains_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (starts_with_ci(s + i, n - i, needle))
            return 1;
    return 0;
}

/* Skips a leading quote and spaces of a line. */
static void trim_line_start(const char **s, size_t *n)
{
    while (*n && (**s == '"' || **s == ' '))
        (*s)++, (*n)--;
}

/* The form of a UK CSV from its first two lines, or -1. */
static int sniff_form(const char *data, size_t len)
{
    enum { LOOK = 1 << 16 };        /* the header line is about 1 KB */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3;
    if (len > LOOK)
        len = LOOK;
    size_t n1 = line_length(data, len);
    const char *l1 = data, *l2 = data + n1;
    while (l2 < data + len && (*l2 == '\r' || *l2 == '\n'))
        l2++;
    size_t n2 = line_length(l2, len - (size_t)(l2 - data));
    trim_line_start(&l1, &n1);
    /* header first: the publisher's header without its preamble line */
    if (starts_with_ci(l1, n1, "Last Updated,") && contains_ci(l1, n1, "Unique ID") &&
        contains_ci(l1, n1, "Name 6"))
        return FORM_FCDO;
    if (starts_with_ci(l1, n1, "Name 6,") && contains_ci(l1, n1, "Group ID"))
        return FORM_OFSI;
    if (!contains_ci(l2, n2, "Name 6"))
        return -1;
    if (starts_with_ci(l1, n1, "Report Date"))
        return FORM_FCDO;
    if (starts_with_ci(l1, n1, "Last Updated") && n1 > 12 && (l1[12] == ',' || l1[12] == ':' ||
                                                             l1[12] == '"'))
        return FORM_OFSI;
    return -1;
}

int list_sniff_uk_csv(const char *data, size_t len)
{
    return data && sniff_form(data, len) >= 0;
}

/* The date of a preamble line, after ':' in the first field or in a later
 * field ("Report Date: 28-Jan-2026", "Last Updated,28/01/2026"). 1 with
 * out filled, or "" when the line has no date; 0 with *bad set when the
 * line holds text that is not one. */
static int preamble_date(const char *const *fields, size_t n, char out[11], const char **bad)
{
    *out = '\0';
    *bad = NULL;
    const char *colon = strchr(fields[0], ':');
    for (size_t i = 0; i < n; i++) {
        const char *v = skip_spaces(i == 0 ? (colon ? colon + 1 : "") : fields[i]);
        if (!*v)
            continue;
        if (iso_day(v, out))
            return 1;
        if (!*bad)
            *bad = v;
    }
    return *bad == NULL;
}

/* Maps the header's columns to fields: a row keeps every column, so a
 * field's slot is its column. */
static interdict_status read_header(uk_parser *p, const char *const *fields, size_t n,
                                    long line)
{
    for (size_t i = 0; i < n; i++) {
        char key[MAX_KEY];
        fold_key(fields[i], strlen(fields[i]), key);
        int f = *key ? field_of_key(key) : -1;
        if (f < 0)
            continue;
        if (p->slot[f] >= 0)
            return fail(p, INTERDICT_ERR_FORMAT, line, fields[i],
                        "column '%s' repeats column %d", fields[i],
                        p->slot[f] + 1);
        char *label = arena_strdup(&p->tmp, fields[i]);
        if (!label)
            return out_of_memory(p);
        p->slot[f] = (int)i;
        p->label[f] = label;
    }
    p->n_slots = n;
    char missing[200] = "";
    const char *first = NULL;
    size_t n_required = p->form == FORM_OFSI ? sizeof OFSI_REQUIRED / sizeof *OFSI_REQUIRED
                                             : sizeof FCDO_REQUIRED / sizeof *FCDO_REQUIRED;
    for (size_t i = 0; i < n_required; i++) {
        uk_field f = p->form == FORM_OFSI ? OFSI_REQUIRED[i].field : FCDO_REQUIRED[i].field;
        const char *label = p->form == FORM_OFSI ? OFSI_REQUIRED[i].label : FCDO_REQUIRED[i].label;
        if (p->slot[f] >= 0)
            continue;
        size_t used = strlen(missing);
        snprintf(missing + used, sizeof missing - used, "%s%s", first ? ", " : "", label);
        if (!first)
            first = label;
    }
    if (first)
        return fail(p, INTERDICT_ERR_FORMAT, line, first, "header lacks column(s): %s", missing);
    return INTERDICT_OK;
}

static interdict_status read_csv_rows(uk_parser *p, interdict_csv *csv, size_t n_columns)
{
    const char *const *fields;
    size_t n;
    long line;
    int got;
    uk_field key = key_field(p);
    while ((got = interdict_csv_next(csv, &fields, &n, &line, p->err)) == 1) {
        int blank = 1;
        for (size_t i = 0; i < n && blank; i++)
            blank = !*skip_spaces(fields[i]);
        if (blank)
            continue;                           /* ",,,," between records */
        if (n != n_columns)
            return fail(p, INTERDICT_ERR_FORMAT, line, "",
                        "row has %zu fields, the header has %zu", n, n_columns);
        uk_row *r = add_row(p, line);
        if (!r)
            return out_of_memory(p);
        for (size_t i = 0; i < n; i++)
            if (!keep_value(p, &r->vals[i], fields[i], strlen(fields[i])))
                return out_of_memory(p);
        r->key = row_get(p, r, key);
        if (!*r->key)
            return fail(p, INTERDICT_ERR_FORMAT, line, p->label[key], "row without %s",
                        p->label[key]);
        note_update(p, row_get(p, r, F_LAST_UPDATED));
    }
    return got < 0 ? (interdict_status)got : INTERDICT_OK;
}

static interdict_status parse_csv(uk_parser *p, interdict_csv *csv)
{
    const char *const *fields;
    size_t n;
    long line;
    int got = interdict_csv_next(csv, &fields, &n, &line, p->err);
    if (got < 0)
        return (interdict_status)got;
    if (got == 0)
        return fail(p, INTERDICT_ERR_FORMAT, 0, "", "empty file");
    const char *first = skip_spaces(fields[0]);
    char key[MAX_KEY] = "";
    if (n > 1)
        fold_key(fields[1], strlen(fields[1]), key);
    /* OFSI: "Last Updated,<date>"; FCDO: "Report Date: <date>", then the
     * header, which (the FCDO's) itself starts with "Last Updated,Unique ID" */
    int report_date = starts_with_ci(first, strlen(first), "Report Date");
    int last_updated = starts_with_ci(first, strlen(first), "Last Updated") &&
                       field_of_key(key) != F_UNIQUE_ID;
    int preamble = report_date || last_updated;
    p->form = last_updated ? FORM_OFSI : FORM_FCDO;
    char generated[11] = "";
    if (preamble) {
        const char *bad;
        if (!preamble_date(fields, n, generated, &bad))
            return fail(p, INTERDICT_ERR_PARSE, line, first, "not a date: '%s'", bad);
        got = interdict_csv_next(csv, &fields, &n, &line, p->err);
        if (got < 0)
            return (interdict_status)got;
        if (got == 0)
            return fail(p, INTERDICT_ERR_FORMAT, line, "", "no header row after line %ld", line);
    } else {
        /* header first: OFSI's starts with Name 6, the FCDO's has a Unique ID */
        int unique_id = 0;
        for (size_t i = 0; i < n && !unique_id; i++) {
            fold_key(fields[i], strlen(fields[i]), key);
            unique_id = field_of_key(key) == F_UNIQUE_ID;
        }
        p->form = unique_id ? FORM_FCDO : FORM_OFSI;
    }
    long header_line = line;
    size_t n_columns = n;
    interdict_status rc = read_header(p, fields, n, line);
    if (rc != INTERDICT_OK)
        return rc;
    if ((rc = read_csv_rows(p, csv, n_columns)) != INTERDICT_OK)
        return rc;
    if (p->n_rows == 0)
        return fail(p, INTERDICT_ERR_FORMAT, header_line, "", "no rows after the header");
    if ((rc = set_generated(p, *generated ? generated : p->latest_update)) != INTERDICT_OK)
        return rc;
    return finish(p, p->form == FORM_OFSI ? "uk-ofsi-csv" : "uk-fcdo-csv");
}

interdict_status list_parse_uk_csv(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err)
{
    (void)path;
    uk_parser p;
    parser_init(&p, list, name, err);
    list->id = UK_LIST_ID;
    interdict_csv *csv = NULL;
    interdict_status rc = interdict_csv_open_memory(data ? data : "", data ? len : 0, p.file,
                                                    &csv, err);
    if (rc == INTERDICT_OK)
        rc = parse_csv(&p, csv);
    interdict_csv_close(csv);
    parser_free(&p);
    return rc;
}

/* ---- XML: shared pieces --------------------------------------------------------- */

static int is_elem(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && n->name;
}

static void elem_key(const xmlNode *n, char key[MAX_KEY])
{
    const char *name = (const char *)n->name;
    fold_key(name, strlen(name), key);
}

static int has_child_elements(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_elem(c))
            return 1;
    return 0;
}

/* The text of an element, trimmed, in tmp memory; "" when empty. */
static const char *elem_text(uk_parser *p, xmlNode *n)
{
    xmlChar *content = xmlNodeGetContent(n);
    if (!content) {
        if (n->children)
            p->oom = 1;
        return "";
    }
    const char *s = (const char *)content, *copy = "";
    if (!keep_value(p, &copy, s, strlen(s)))
        p->oom = 1;
    xmlFree(content);
    return copy;
}

/* ---- XML: OFSI ConList.xml -------------------------------------------------------- */

static interdict_status ofsi_target(uk_parser *p, xmlNode *target)
{
    uk_row *r = add_row(p, xml_line(target));
    if (!r)
        return out_of_memory(p);
    for (xmlNode *c = target->children; c; c = c->next) {
        if (!is_elem(c))
            continue;
        char key[MAX_KEY];
        elem_key(c, key);
        int f = *key ? field_of_key(key) : -1;
        if (f < 0)
            continue;
        const char *v = elem_text(p, c);
        if (p->oom)
            return out_of_memory(p);
        if (*r->vals[f] && *v && strcmp(r->vals[f], v) != 0)
            return fail(p, INTERDICT_ERR_FORMAT, xml_line(c), (const char *)c->name,
                        "<%s> given twice with different values", (const char *)c->name);
        if (*v)
            r->vals[f] = v;
    }
    r->key = r->vals[F_GROUP_ID];
    if (!*r->key)
        return fail(p, INTERDICT_ERR_FORMAT, r->line, "GroupID",
                    "<FinancialSanctionsTarget> without a GroupID");
    note_update(p, r->vals[F_LAST_UPDATED]);
    return INTERDICT_OK;
}

/* A date element directly under the root ("DateGenerated", ...), if any. */
static int is_document_date(const char *key)
{
    return strcmp(key, "dategenerated") == 0 || strcmp(key, "reportdate") == 0 ||
           strcmp(key, "lastupdated") == 0 || strcmp(key, "publicationdate") == 0;
}

static interdict_status document_date(uk_parser *p, xmlNode *n, char out[11])
{
    const char *v = elem_text(p, n);
    if (p->oom)
        return out_of_memory(p);
    if (*v && !iso_day(v, out))
        return fail(p, INTERDICT_ERR_PARSE, xml_line(n), (const char *)n->name,
                    "not a date: '%s'", v);
    return INTERDICT_OK;
}

static interdict_status parse_ofsi_xml(uk_parser *p, xmlNode *root)
{
    p->form = FORM_OFSI;
    p->n_slots = F_COUNT;
    for (int f = 0; f < F_COUNT; f++)
        p->slot[f] = f;
    /* the element names, for messages */
    p->label[F_GROUP_ID] = "GroupID";
    p->label[F_GROUP_TYPE] = "GroupTypeDescription";
    p->label[F_ALIAS_TYPE] = "AliasType";
    p->label[F_ALIAS_QUALITY] = "AliasQuality";
    p->label[F_NAME6] = "Name6";
    p->label[F_LISTED_ON] = "DateListed";
    p->label[F_DATE_DESIGNATED] = "DateDesignated";
    p->label[F_UK_REF] = "UKSanctionsListRef";
    p->label[F_OTHER_INFO] = "OtherInformation";
    char generated[11] = "";
    interdict_status rc;
    for (xmlNode *c = root->children; c; c = c->next) {
        if (!is_elem(c))
            continue;
        char key[MAX_KEY];
        elem_key(c, key);
        if (strcmp(key, "financialsanctionstarget") == 0)
            rc = ofsi_target(p, c);
        else if (is_document_date(key) && !*generated)
            rc = document_date(p, c, generated);
        else
            continue;
        if (rc != INTERDICT_OK)
            return rc;
    }
    if (p->n_rows == 0)
        return fail(p, INTERDICT_ERR_FORMAT, xml_line(root), "FinancialSanctionsTarget",
                    "no <FinancialSanctionsTarget> elements");
    /* the file has no date of its own: the latest update it holds stands in */
    if ((rc = set_generated(p, *generated ? generated : p->latest_update)) != INTERDICT_OK)
        return rc;
    return finish(p, "uk-ofsi-xml");
}

/* ---- XML: FCDO UK Sanctions List ---------------------------------------------------- */

/* Texts of the children of n, by folded name. */
typedef struct {
    const char *key;
    const char *value;
} named_text;

static void child_texts(uk_parser *p, xmlNode *n, named_text *want, size_t n_want)
{
    for (size_t i = 0; i < n_want; i++)
        want[i].value = "";
    for (xmlNode *c = n->children; c; c = c->next) {
        if (!is_elem(c))
            continue;
        char key[MAX_KEY];
        elem_key(c, key);
        for (size_t i = 0; i < n_want; i++)
            if (!*want[i].value && strcmp(key, want[i].key) == 0)
                want[i].value = elem_text(p, c);
    }
}

static interdict_status fcdo_name(uk_parser *p, xmlNode *n)
{
    named_text t[] = {{"name1", ""}, {"name2", ""}, {"name3", ""}, {"name4", ""},
                      {"name5", ""}, {"name6", ""}, {"nametype", ""}, {"aliasstrength", ""},
                      {"name", ""}, {"title", ""}};
    child_texts(p, n, t, sizeof t / sizeof *t);
    interdict_name_kind kind;
    int bad_quality;
    if (!name_kind(t[6].value, t[7].value, &kind, &bad_quality))
        return bad_quality ? fail(p, INTERDICT_ERR_FORMAT, xml_line(n), "AliasStrength",
                                  "unknown alias strength '%s'", t[7].value)
                           : fail(p, INTERDICT_ERR_FORMAT, xml_line(n), "NameType",
                                  "unknown name type '%s'", t[6].value);
    builder_buf_reset(&p->text);
    for (size_t i = 0; i < 6; i++) {
        if (!*t[i].value)
            continue;
        if (p->text.len)
            builder_buf_add(&p->text, " ", 1, &p->oom);
        builder_buf_add(&p->text, t[i].value, strlen(t[i].value), &p->oom);
    }
    /* a few names have every part empty: nothing to add */
    builder_name(&p->b, p->text.len ? builder_buf_str(&p->text) : t[8].value, kind);
    builder_title(&p->b, t[9].value);
    return INTERDICT_OK;
}

static void fcdo_address(uk_parser *p, xmlNode *n)
{
    named_text t[] = {{"addressline1", ""}, {"addressline2", ""}, {"addressline3", ""},
                      {"addressline4", ""}, {"addressline5", ""}, {"addressline6", ""},
                      {"addresspostalcode", ""}, {"addresscountry", ""}};
    child_texts(p, n, t, sizeof t / sizeof *t);
    const char *parts[7];
    for (size_t i = 0; i < 7; i++)
        parts[i] = t[i].value;
    builder_address(&p->b, join_parts(p, parts, 7), t[7].value);
}

static void fcdo_document(uk_parser *p, xmlNode *n, const char *type, const char *number_key,
                          const char *details_key)
{
    named_text t[] = {{number_key, ""}, {details_key, ""}};
    child_texts(p, n, t, 2);
    add_documents(p, type, t[0].value, t[1].value);
}

static void fcdo_birth_place(uk_parser *p, xmlNode *n)
{
    named_text t[] = {{"townofbirth", ""}, {"countryofbirth", ""}};
    child_texts(p, n, t, 2);
    add_places(p, t[0].value, t[1].value);
}

typedef struct {
    char listed_on[11];
    long listed_on_line;
} fcdo_state;

/* Walks everything below a <Designation>, taking what it knows by name
 * wherever it sits, so that a container added or moved by the publisher
 * does not hide its contents. */
static interdict_status fcdo_walk(uk_parser *p, xmlNode *node, int depth, fcdo_state *st)
{
    if (depth > MAX_XML_DEPTH)
        return fail(p, INTERDICT_ERR_LIMIT, xml_line(node), (const char *)node->name,
                    "elements nested more than %d deep", MAX_XML_DEPTH);
    entry_builder *b = &p->b;
    interdict_status rc = INTERDICT_OK;
    for (xmlNode *c = node->children; c && rc == INTERDICT_OK; c = c->next) {
        if (!is_elem(c))
            continue;
        char key[MAX_KEY];
        elem_key(c, key);
        if (strcmp(key, "name") == 0 && has_child_elements(c)) {
            rc = fcdo_name(p, c);
        } else if (strcmp(key, "name") == 0) {
            builder_name(b, elem_text(p, c), INTERDICT_NAME_ALIAS_GOOD);
        } else if (strcmp(key, "namenonlatinscript") == 0 ||
                   (strcmp(key, "nonlatinname") == 0 && !has_child_elements(c))) {
            builder_name(b, elem_text(p, c), INTERDICT_NAME_ORIGINAL);
        } else if (strcmp(key, "address") == 0) {
            fcdo_address(p, c);
        } else if (strcmp(key, "passport") == 0) {
            fcdo_document(p, c, "Passport", "passportnumber", "passportadditionalinformation");
        } else if (strcmp(key, "nationalidentifier") == 0) {
            fcdo_document(p, c, "National Identification Number", "nationalidentifiernumber",
                          "nationalidentifieradditionalinformation");
        } else if (strcmp(key, "location") == 0) {
            fcdo_birth_place(p, c);
        } else if (has_child_elements(c)) {
            rc = fcdo_walk(p, c, depth + 1, st);
        } else if (strcmp(key, "title") == 0) {
            builder_title(b, elem_text(p, c));
        } else if (strcmp(key, "nationality") == 0) {
            builder_nationality(b, elem_text(p, c));
        } else if (strcmp(key, "position") == 0) {
            builder_designation(b, elem_text(p, c));
        } else if (strcmp(key, "gender") == 0) {
            if (!*b->entry.gender)
                b->entry.gender = builder_str(b, elem_text(p, c));
        } else if (strcmp(key, "dob") == 0) {
            add_dob(b, elem_text(p, c));
        } else if (strcmp(key, "imonumber") == 0) {
            const char *v = elem_text(p, c);
            if (*v)
                add_imo(p, v);
        } else if (strcmp(key, "businessregistrationnumber") == 0) {
            builder_document(b, "Business Registration Number", elem_text(p, c), "", "");
        } else if (strcmp(key, "regimename") == 0) {
            builder_program(b, elem_text(p, c));
        } else if (strcmp(key, "otherinformation") == 0) {
            add_comment(p, elem_text(p, c));
        } else if (strcmp(key, "unreferencenumber") == 0) {
            builder_crossref(b, "un", elem_text(p, c));
        } else if (strcmp(key, "ofsigroupid") == 0) {
            if (!*b->entry.source_id)
                b->entry.source_id = builder_str(b, elem_text(p, c));
        } else if (strcmp(key, "lastupdated") == 0) {
            note_update(p, elem_text(p, c));
        } else if (strcmp(key, "datedesignated") == 0 && !*st->listed_on) {
            const char *v = elem_text(p, c);
            if (*v && !iso_day(v, st->listed_on))
                rc = fail(p, INTERDICT_ERR_PARSE, xml_line(c), "DateDesignated",
                          "not a date: '%s'", v);
        }
    }
    return rc;
}

static interdict_status fcdo_designation(uk_parser *p, xmlNode *d)
{
    named_text t[] = {{"uniqueid", ""}, {"individualentityship", ""}};
    child_texts(p, d, t, 2);
    if (p->oom)
        return out_of_memory(p);
    long line = xml_line(d);
    if (!*t[0].value)
        return fail(p, INTERDICT_ERR_FORMAT, line, "UniqueID", "<Designation> without a UniqueID");
    interdict_party_type type;
    if (!party_type(t[1].value, &type))
        return fail(p, INTERDICT_ERR_FORMAT, line, "IndividualEntityShip",
                    "unknown type '%s' (Individual, Entity or Ship)", t[1].value);
    builder_begin(&p->b, t[0].value, type, line);
    builder_buf_reset(&p->comments);
    fcdo_state st = {"", 0};
    interdict_status rc = fcdo_walk(p, d, 0, &st);
    if (rc != INTERDICT_OK) {
        p->b.open = 0;
        return rc;
    }
    p->b.entry.listed_on = builder_str(&p->b, st.listed_on);
    p->b.entry.comments = builder_str(&p->b, builder_buf_str(&p->comments));
    if (p->oom)
        p->b.oom = 1;
    return builder_end(&p->b, "Names", p->err);
}

static interdict_status parse_fcdo_xml(uk_parser *p, xmlNode *root)
{
    p->form = FORM_FCDO;
    p->label[F_UNIQUE_ID] = "UniqueID";
    char generated[11] = "";
    size_t designations = 0;
    interdict_status rc;
    for (xmlNode *c = root->children; c; c = c->next) {
        if (!is_elem(c))
            continue;
        char key[MAX_KEY];
        elem_key(c, key);
        if (strcmp(key, "designation") == 0) {
            designations++;
            rc = fcdo_designation(p, c);
        } else if (is_document_date(key) && !*generated) {
            rc = document_date(p, c, generated);
        } else {
            continue;
        }
        if (rc != INTERDICT_OK)
            return rc;
    }
    if (designations == 0)
        return fail(p, INTERDICT_ERR_FORMAT, xml_line(root), "Designation",
                    "no <Designation> elements");
    if ((rc = set_generated(p, *generated ? generated : p->latest_update)) != INTERDICT_OK)
        return rc;
    p->list->format = "uk-fcdo-xml";
    if (p->oom)
        return out_of_memory(p);
    return builder_finish(&p->b, "UniqueID", p->err);
}

interdict_status list_parse_uk_xml(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err)
{
    (void)path;
    uk_parser p;
    parser_init(&p, list, name, err);
    list->id = UK_LIST_ID;
    interdict_status rc = INTERDICT_OK;
    xmlDocPtr doc = xml_read_safe(data ? data : "", data ? len : 0, p.file, err, &rc);
    if (doc) {
        xmlNode *root = xmlDocGetRootElement(doc);
        if (xml_is(root, "ArrayOfFinancialSanctionsTarget"))
            rc = parse_ofsi_xml(&p, root);
        else if (xml_is(root, "Designations"))
            rc = parse_fcdo_xml(&p, root);
        else
            rc = fail(&p, INTERDICT_ERR_FORMAT, xml_line(root), root ? (const char *)root->name : "",
                      "not a UK sanctions list (root element <%s>)",
                      root ? (const char *)root->name : "");
        xmlFreeDoc(doc);
    }
    parser_free(&p);
    return rc;
}
