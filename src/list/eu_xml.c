/* eu_xml.c - the EU Financial Sanctions Files (FSF) consolidated list XML.
 *
 * <export generationDate=".."> holds one <sanctionEntity> per listed party.
 * Almost everything is carried in attributes: the entity's EU reference
 * and UN reference, and on its children <regulation>, <subjectType>,
 * <nameAlias>, <citizenship>, <birthdate>, <identification> and <address>.
 * Free text comes in <remark> elements. Each child may hold its own
 * <regulationSummary> and <remark>, which are read where they matter.
 *
 * The file is read into a libxml2 tree (network and entities off) and each
 * entity goes through the shared entry builder. Values are bounded: a name
 * longer than the matcher accepts, or any other oversized attribute, is an
 * error naming its line, not a silent truncation. */
#include "builder.h"
#include "xml_safe.h"
#include "../text/normalize.h"
#include "../util/error.h"

#include <libxml/tree.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EU_LIST_ID "eu"
#define EU_NAMESPACE "http://eu.europa.ec/fpi/fsd/export"

/* Longest attribute value and remark read (names: NAME_MAX_BYTES). */
enum { EU_MAX_ATTR = 64 * 1024, EU_MAX_TEXT = 256 * 1024 };

typedef struct {
    entry_builder b;
    const char *file;
    interdict_error *err;
    interdict_status rc;        /* first failure; parsing stops at it */
    builder_buf join;           /* text being joined */
    int oom;
} eu_parser;

/* ---- Failures ------------------------------------------------------------ */

static void fail_nomem(eu_parser *p)
{
    if (p->rc == INTERDICT_OK)
        p->rc = set_error(p->err, INTERDICT_ERR_NOMEM, p->file, 0, "", "out of memory");
}

static void fail_limit(eu_parser *p, const xmlNode *n, const char *attr, size_t len, size_t max)
{
    if (p->rc != INTERDICT_OK)
        return;
    char field[64];
    snprintf(field, sizeof field, "%s/%s", n ? (const char *)n->name : "", attr);
    p->rc = set_error(p->err, INTERDICT_ERR_LIMIT, p->file, xml_line(n), field,
                      "value is %zu bytes, over the %zu byte limit", len, max);
}

/* ---- Reading values ------------------------------------------------------ */

/* Attribute `name` of n, trimmed and with white space collapsed, kept in
 * the list's arena; "" when absent or blank, or after a failure. */
static const char *attr_limited(eu_parser *p, const xmlNode *n, const char *name, size_t max)
{
    if (p->rc != INTERDICT_OK || !n)
        return "";
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return "";
    size_t len = strlen((const char *)v);
    const char *out = "";
    if (len > max)
        fail_limit(p, n, name, len, max);
    else
        out = builder_text(&p->b, (const char *)v, len);
    xmlFree(v);
    return out;
}

static const char *attr(eu_parser *p, const xmlNode *n, const char *name)
{
    return attr_limited(p, n, name, EU_MAX_ATTR);
}

/* A boolean attribute: 1 for "true" (any case), 0 otherwise. */
static int attr_true(const xmlNode *n, const char *name)
{
    char buf[8];
    return strcasecmp(xml_attr(n, name, buf, sizeof buf), "true") == 0;
}

/* Text content of an element, like attr(). */
static const char *element_text(eu_parser *p, const xmlNode *n)
{
    if (p->rc != INTERDICT_OK)
        return "";
    xmlChar *v = xmlNodeGetContent(n);
    if (!v)
        return "";
    size_t len = strlen((const char *)v);
    const char *out = "";
    if (len > EU_MAX_TEXT)
        fail_limit(p, n, "text()", len, EU_MAX_TEXT);
    else
        out = builder_text(&p->b, (const char *)v, len);
    xmlFree(v);
    return out;
}

/* ---- Joining text -------------------------------------------------------- */

static void join_reset(eu_parser *p) { builder_buf_reset(&p->join); }

/* Appends s, preceded by sep unless the text is still empty. */
static void join_add(eu_parser *p, const char *sep, const char *s)
{
    if (!s || !*s)
        return;
    size_t sep_len = p->join.len ? strlen(sep) : 0, n = strlen(s);
    if (!builder_buf_reserve(&p->join, sep_len + n, &p->oom))
        return;                     /* neither the separator nor s */
    builder_buf_add(&p->join, sep, sep_len, &p->oom);
    builder_buf_add(&p->join, s, n, &p->oom);
}

/* The joined text, in the arena. */
static const char *join_done(eu_parser *p)
{
    if (p->oom) {
        fail_nomem(p);
        return "";
    }
    return p->join.len ? builder_text(&p->b, p->join.s, p->join.len) : "";
}

/* The country of an element: its description, or else its ISO code ("00"
 * and "UNKNOWN" stand for an unknown country). */
static const char *country_of(eu_parser *p, const xmlNode *n)
{
    const char *desc = attr(p, n, "countryDescription");
    if (*desc && strcasecmp(desc, "UNKNOWN") != 0)
        return desc;
    const char *iso = attr(p, n, "countryIso2Code");
    return strcmp(iso, "00") != 0 ? iso : "";
}

/* ---- Dates ---------------------------------------------------------------- */

/* "YYYY-MM-DD" at the start of s (a time or zone may follow), checked. */
static int iso_date(const char *s)
{
    if (strlen(s) < 10 || (s[10] && s[10] != 'T' && s[10] != '+' && s[10] != '-' &&
                           s[10] != 'Z' && s[10] != ' '))
        return 0;
    char day[11];
    memcpy(day, s, 10);
    day[10] = '\0';
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? day[i] != '-' : (day[i] < '0' || day[i] > '9'))
            return 0;
    interdict_date d;
    return builder_parse_date(day, &d) && d.kind == INTERDICT_DATE_EXACT && d.from_day > 0;
}

/* A whole number of 1 to 4 digits, or -1. */
static int small_number(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 4 || strspn(s, "0123456789") != n)
        return -1;
    return atoi(s);
}

static int year_value(const char *s)
{
    int y = small_number(s);
    return y >= 1000 && y <= 2999 && strlen(s) == 4 ? y : -1;
}

/* Adds a date of birth kept as text. */
static void dob_as_text(eu_parser *p, const char *text)
{
    if (!*text)
        return;
    interdict_date d;
    memset(&d, 0, sizeof d);
    d.kind = INTERDICT_DATE_TEXT;
    d.note = text;
    builder_dob(&p->b, &d);
}

/* The date of a <birthdate>: the birthdate attribute, else year, month and
 * day, else a year range. Dates that cannot be read are kept as text. */
static void read_birth_date(eu_parser *p, const xmlNode *n)
{
    const char *full = attr(p, n, "birthdate");
    const char *year = attr(p, n, "year"), *month = attr(p, n, "monthOfYear");
    const char *day = attr(p, n, "dayOfMonth");
    const char *from = attr(p, n, "yearRangeFrom"), *to = attr(p, n, "yearRangeTo");
    const char *calendar = attr(p, n, "calendarType");
    int circa = attr_true(n, "circa");

    /* the date as written, for the text fallback */
    join_reset(p);
    if (*full) {
        join_add(p, "", full);
    } else if (*year) {
        join_add(p, "", year);
        join_add(p, "-", month);
        join_add(p, "-", day);
    } else if (*month || *day) {
        join_add(p, "", "year unknown");
        join_add(p, ", month ", month);
        join_add(p, ", day ", day);
    } else if (*from && *to) {
        join_add(p, "", from);
        join_add(p, " to ", to);
    } else if (*from) {
        join_add(p, "", from);
        join_add(p, " ", "or later");
    } else if (*to) {
        join_add(p, "", to);
        join_add(p, " ", "or earlier");
    }
    if (p->join.len == 0)
        return;                                 /* a place of birth only */
    int gregorian = !*calendar || strcasecmp(calendar, "GREGORIAN") == 0;
    if (!gregorian) {
        join_add(p, " ", "(");
        join_add(p, "", calendar);
        join_add(p, " ", "calendar)");
    }
    const char *raw = join_done(p);

    interdict_date d;
    memset(&d, 0, sizeof d);
    int ok = 0;
    if (!gregorian) {
        ok = 0;                                 /* years of another calendar */
    } else if (*full) {
        char date[11];                          /* an xs:date: YYYY-MM-DD */
        snprintf(date, sizeof date, "%.10s", full);
        ok = iso_date(full) && builder_parse_date(date, &d);
    } else if (*year) {
        int y = year_value(year), m = *month ? small_number(month) : 0;
        int dd = *day ? small_number(day) : 0;
        if (y > 0 && m >= 0 && dd >= 0) {
            char written[48];
            snprintf(written, sizeof written, "%04d-%02d-%02d", y, m, dd);
            ok = builder_parse_date(written, &d) && d.kind == INTERDICT_DATE_EXACT;
        }
    } else if (*from && *to) {
        int a = year_value(from), b = year_value(to);
        if (a > 0 && b > 0 && a <= b) {
            d.kind = INTERDICT_DATE_RANGE;
            d.from_year = (int16_t)a;
            d.to_year = (int16_t)b;
            ok = 1;
        }
    }
    if (!ok) {
        if (circa) {
            join_reset(p);
            join_add(p, "", "circa");
            join_add(p, " ", raw);
            raw = join_done(p);
        }
        dob_as_text(p, raw);
        return;
    }
    if (circa && d.kind == INTERDICT_DATE_EXACT)
        d.kind = INTERDICT_DATE_APPROX;
    builder_dob(&p->b, &d);
}

/* ---- Children of a sanctionEntity --------------------------------------- */

/* 1 when the text has letters of a script other than Latin (Arabic,
 * Cyrillic, Chinese, ...): the name as written in its own script. */
static int non_latin(const char *s)
{
    const uint8_t *u = (const uint8_t *)s;
    int32_t i = 0, n = (int32_t)strlen(s);
    while (i < n) {
        UChar32 c;
        U8_NEXT(u, i, n, c);
        if (c < 0x80)
            continue;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &st);
        if (U_SUCCESS(st) && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED &&
            sc != USCRIPT_LATIN && sc != USCRIPT_UNKNOWN)
            return 1;
    }
    return 0;
}

/* The name of a <nameAlias>: wholeName, or its parts joined. */
static const char *alias_text(eu_parser *p, const xmlNode *n)
{
    const char *whole = attr_limited(p, n, "wholeName", NAME_MAX_BYTES);
    if (*whole)
        return whole;
    const char *first = attr_limited(p, n, "firstName", NAME_MAX_BYTES);
    const char *middle = attr_limited(p, n, "middleName", NAME_MAX_BYTES);
    const char *last = attr_limited(p, n, "lastName", NAME_MAX_BYTES);
    join_reset(p);
    join_add(p, " ", first);
    join_add(p, " ", middle);
    join_add(p, " ", last);
    if (p->join.len > NAME_MAX_BYTES) {
        fail_limit(p, n, "firstName", p->join.len, NAME_MAX_BYTES);
        return "";
    }
    return join_done(p);
}

/* One <nameAlias> with a name. */
typedef struct {
    const xmlNode *node;
    const char *text;
    int latin, strong;
} alias_item;

/* Names in document order. The primary name is the first strong
 * Latin-script alias, else the first Latin-script one, else the first;
 * names in another script are ORIGINAL, weak ones ALIAS_LOW. */
static void read_names(eu_parser *p, const xmlNode *entity)
{
    size_t n = 0;
    for (const xmlNode *c = xml_child(entity, "nameAlias"); c; c = xml_next(c, "nameAlias"))
        n++;
    alias_item *items = n ? calloc(n, sizeof *items) : NULL;
    if (n && !items) {
        fail_nomem(p);
        return;
    }
    size_t k = 0, primary = SIZE_MAX, first_latin = SIZE_MAX;
    for (const xmlNode *c = xml_child(entity, "nameAlias"); c && k < n;
         c = xml_next(c, "nameAlias"), k++) {
        alias_item *a = &items[k];
        a->node = c;
        a->text = alias_text(p, c);
        a->latin = *a->text && !non_latin(a->text);
        char strong[8];
        a->strong = strcasecmp(xml_attr(c, "strong", strong, sizeof strong), "false") != 0;
        if (a->latin && a->strong && primary == SIZE_MAX)
            primary = k;
        if (a->latin && first_latin == SIZE_MAX)
            first_latin = k;
    }
    if (primary == SIZE_MAX)
        primary = first_latin;
    for (k = 0; k < n; k++) {
        const alias_item *a = &items[k];
        if (*a->text) {
            interdict_name_kind kind = k == primary ? INTERDICT_NAME_PRIMARY
                                       : !a->latin  ? INTERDICT_NAME_ORIGINAL
                                       : a->strong  ? INTERDICT_NAME_ALIAS_GOOD
                                                    : INTERDICT_NAME_ALIAS_LOW;
            builder_name(&p->b, a->text, kind);
        }
        const char *gender = attr(p, a->node, "gender");
        if (!*p->b.entry.gender && *gender)
            p->b.entry.gender = strcasecmp(gender, "M") == 0   ? "Male"
                                : strcasecmp(gender, "F") == 0 ? "Female"
                                                               : gender;
        builder_title(&p->b, attr(p, a->node, "title"));
        builder_designation(&p->b, attr(p, a->node, "function"));
    }
    free(items);
}

/* Regulations give the programmes and, by the earliest publication, the
 * date of listing. */
static void read_regulations(eu_parser *p, const xmlNode *entity)
{
    const char *earliest = "";
    for (const xmlNode *c = xml_child(entity, "regulation"); c; c = xml_next(c, "regulation")) {
        builder_program(&p->b, attr(p, c, "programme"));
        const char *published = attr(p, c, "publicationDate");
        if (iso_date(published) && (!*earliest || strncmp(published, earliest, 10) < 0))
            earliest = published;
    }
    if (!*earliest) {
        const char *designated = attr(p, entity, "designationDate");
        if (iso_date(designated))
            earliest = designated;
    }
    p->b.entry.listed_on = *earliest ? builder_text(&p->b, earliest, 10) : "";
}

static interdict_party_type subject_type(eu_parser *p, const xmlNode *entity)
{
    const xmlNode *s = xml_child(entity, "subjectType");
    const char *code = attr(p, s, "code"), *cls = attr(p, s, "classificationCode");
    if (strcasecmp(code, "person") == 0 || (!*code && strcasecmp(cls, "P") == 0))
        return INTERDICT_PARTY_PERSON;
    if (strcasecmp(code, "enterprise") == 0 || (!*code && strcasecmp(cls, "E") == 0))
        return INTERDICT_PARTY_ENTITY;
    return INTERDICT_PARTY_UNKNOWN;
}

static void read_citizenships(eu_parser *p, const xmlNode *entity)
{
    for (const xmlNode *c = entity->children; c; c = c->next)
        if (xml_is(c, "citizenship") || xml_is(c, "citizen"))
            builder_nationality(&p->b, country_of(p, c));
}

static void read_births(eu_parser *p, const xmlNode *entity)
{
    for (const xmlNode *c = xml_child(entity, "birthdate"); c; c = xml_next(c, "birthdate")) {
        read_birth_date(p, c);
        const char *place = attr(p, c, "place"), *city = attr(p, c, "city");
        const char *region = attr(p, c, "region"), *country = country_of(p, c);
        join_reset(p);
        join_add(p, ", ", place);
        join_add(p, ", ", city);
        join_add(p, ", ", region);
        join_add(p, ", ", country);
        builder_place_of_birth(&p->b, join_done(p));
    }
}

/* IMO numbers of ships, as opposed to those of shipping companies. */
static int is_imo(const char *code, const char *desc)
{
    return strcasecmp(code, "imo") == 0 || strncasecmp(desc, "IMO", 3) == 0;
}

static int contains_ci(const char *s, const char *word)
{
    for (size_t n = strlen(word); *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return 1;
    return 0;
}

static int is_company_number(const char *desc)
{
    return contains_ci(desc, "company") || contains_ci(desc, "owner");
}

/* The document type, in the words the other lists use where there is a
 * common one, else the list's own description. */
static const char *document_type(const char *code, const char *desc,
                                 int diplomatic, int *ship)
{
    *ship = 0;
    if (strcasecmp(code, "passport") == 0)
        return diplomatic ? "Diplomatic Passport" : "Passport";
    if (strcasecmp(code, "id") == 0)
        return "National Identification Number";
    if (is_imo(code, desc)) {
        if (is_company_number(desc))
            return "IMO Company Number";
        *ship = 1;
        return "IMO Number";
    }
    return *desc ? desc : code;
}

static void read_identifications(eu_parser *p, const xmlNode *entity)
{
    for (const xmlNode *c = xml_child(entity, "identification"); c;
         c = xml_next(c, "identification")) {
        const char *code = attr(p, c, "identificationTypeCode");
        const char *desc = attr(p, c, "identificationTypeDescription");
        const char *number = attr(p, c, "number"), *latin = attr(p, c, "latinNumber");
        int diplomatic = attr_true(c, "diplomatic"), ship;
        const char *type = document_type(code, desc, diplomatic, &ship);

        /* a number written in another script is used in its Latin form */
        const char *num = *number ? number : latin, *written = "";
        if (*number && *latin && strcmp(number, latin) != 0 && non_latin(number)) {
            num = latin;
            written = number;
        } else if (strcmp(num, latin) != 0) {
            written = latin;
        }
        join_reset(p);
        if (*desc && strcasecmp(desc, type) != 0)
            join_add(p, "; ", desc);
        if (diplomatic && strcmp(type, "Diplomatic Passport") != 0)
            join_add(p, "; ", "diplomatic");
        if (attr_true(c, "knownExpired"))
            join_add(p, "; ", "known expired");
        if (attr_true(c, "knownFalse"))
            join_add(p, "; ", "known false");
        if (*written) {
            join_add(p, "; ", written == latin ? "Latin: " : "as written: ");
            join_add(p, "", written);
        }
        const char *holder = attr(p, c, "nameOnDocument");
        if (*holder) {
            join_add(p, "; ", "name on document: ");
            join_add(p, "", holder);
        }
        const char *issuer = attr(p, c, "issuedBy");
        if (*issuer) {
            join_add(p, "; ", "issued by ");
            join_add(p, "", issuer);
        }
        for (const xmlNode *r = xml_child(c, "remark"); r; r = xml_next(r, "remark"))
            join_add(p, "; ", element_text(p, r));
        const char *note = join_done(p);
        builder_document(&p->b, type, num, country_of(p, c), note);
        if (ship && *num && p->b.entry.type == INTERDICT_PARTY_ENTITY)
            p->b.entry.type = INTERDICT_PARTY_VESSEL;
    }
}

static void read_addresses(eu_parser *p, const xmlNode *entity)
{
    for (const xmlNode *c = xml_child(entity, "address"); c; c = xml_next(c, "address")) {
        const char *street = attr(p, c, "street"), *po_box = attr(p, c, "poBox");
        const char *city = attr(p, c, "city"), *zip = attr(p, c, "zipCode");
        const char *region = attr(p, c, "region"), *place = attr(p, c, "place");
        join_reset(p);
        join_add(p, ", ", street);
        if (*po_box) {
            join_add(p, ", ", "P.O. Box ");
            join_add(p, "", po_box);
        }
        join_add(p, ", ", place);
        join_add(p, ", ", zip);
        join_add(p, *zip ? " " : ", ", city);
        join_add(p, ", ", region);
        const char *text = join_done(p);
        builder_address(&p->b, text, country_of(p, c));
    }
}

/* Between remarks: a space after a full stop, else "; ". */
static const char *sentence_sep(const eu_parser *p)
{
    return p->join.len && p->join.s[p->join.len - 1] == '.' ? " " : "; ";
}

/* The entity's own remarks and designation details. */
static void read_comments(eu_parser *p, const xmlNode *entity)
{
    const char *details = attr(p, entity, "designationDetails");
    join_reset(p);
    for (const xmlNode *c = xml_child(entity, "remark"); c; c = xml_next(c, "remark"))
        join_add(p, sentence_sep(p), element_text(p, c));
    join_add(p, sentence_sep(p), details);
    p->b.entry.comments = join_done(p);
}

/* "QDi.006", possibly several separated by commas or semicolons. */
static void read_un_refs(eu_parser *p, const char *un)
{
    char ref[64];
    while (*un) {
        size_t n = strcspn(un, ",; ");
        if (n > 0 && n < sizeof ref) {
            memcpy(ref, un, n);
            ref[n] = '\0';
            builder_crossref(&p->b, "un", ref);
        }
        un += n;
        un += strspn(un, ",; ");
    }
}

static void parse_entity(eu_parser *p, const xmlNode *entity)
{
    long line = xml_line(entity);
    const char *ref = attr(p, entity, "euReferenceNumber");
    if (p->rc != INTERDICT_OK)
        return;
    if (!*ref) {
        p->rc = set_error(p->err, INTERDICT_ERR_FORMAT, p->file, line, "euReferenceNumber",
                          "<sanctionEntity> without an EU reference number");
        return;
    }
    builder_begin(&p->b, ref, subject_type(p, entity), line);
    p->b.entry.source_id = attr(p, entity, "logicalId");
    read_un_refs(p, attr(p, entity, "unitedNationId"));
    read_comments(p, entity);
    read_regulations(p, entity);
    read_names(p, entity);
    read_citizenships(p, entity);
    read_births(p, entity);
    read_identifications(p, entity);
    read_addresses(p, entity);
    if (p->rc != INTERDICT_OK)
        return;
    p->rc = builder_end(&p->b, "nameAlias", p->err);
}

/* generationDate="2024-01-15T17:34:05.123+01:00" -> "2024-01-15". */
static const char *generated_date(eu_parser *p, const xmlNode *root)
{
    const char *value = attr(p, root, "generationDate");
    return iso_date(value) ? builder_text(&p->b, value, 10) : "";
}

static void parse_root(eu_parser *p, const xmlNode *root)
{
    if (!xml_is(root, "export")) {
        p->rc = set_error(p->err, INTERDICT_ERR_FORMAT, p->file, xml_line(root), "",
                          "root element is not <export>");
        return;
    }
    if (root->ns && root->ns->href && strcmp((const char *)root->ns->href, EU_NAMESPACE) != 0) {
        p->rc = set_error(p->err, INTERDICT_ERR_FORMAT, p->file, xml_line(root), "export",
                          "<export> in namespace %.100s, not the EU list's " EU_NAMESPACE,
                          (const char *)root->ns->href);
        return;
    }
    p->b.list->generated = generated_date(p, root);
    const xmlNode *c = xml_child(root, "sanctionEntity");
    if (!c) {
        p->rc = set_error(p->err, INTERDICT_ERR_FORMAT, p->file, xml_line(root),
                          "sanctionEntity", "no <sanctionEntity> in the list");
        return;
    }
    for (; c && p->rc == INTERDICT_OK; c = xml_next(c, "sanctionEntity"))
        parse_entity(p, c);
    if (p->rc == INTERDICT_OK)
        p->rc = builder_finish(&p->b, "euReferenceNumber", p->err);
}

interdict_status list_parse_eu_xml(interdict_list *list, const char *data, size_t len,
                                   const char *name, const char *path, interdict_error *err)
{
    (void)path;
    if (!name)
        name = "<memory>";
    if (len > LIST_MAX_FILE_BYTES)
        return set_error(err, INTERDICT_ERR_LIMIT, name, 0, "", "input too large");
    interdict_status rc = INTERDICT_OK;
    xmlDocPtr doc = xml_read_safe(data, len, name, err, &rc);
    if (!doc)
        return rc;
    list->id = EU_LIST_ID;
    list->format = "eu-xml";
    eu_parser p;
    memset(&p, 0, sizeof p);
    p.file = name;
    p.err = err;
    builder_init(&p.b, list, name);
    parse_root(&p, xmlDocGetRootElement(doc));
    rc = p.rc;
    builder_free(&p.b);
    free(p.join.s);
    xmlFreeDoc(doc);
    return rc;
}
