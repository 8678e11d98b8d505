/* ofac_common.c - identifiers, vessel particulars and remarks facts shared
 * by the OFAC XML and CSV parsers. */
#include "ofac.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- Text buffer ---------------------------------------------------------- */

void ofac_text_reset(ofac_text *t)
{
    builder_buf_reset(&t->buf);
}

void ofac_text_free(ofac_text *t)
{
    free(t->buf.s);
    memset(t, 0, sizeof *t);
}

void ofac_text_add(ofac_text *t, const char *s, size_t n)
{
    if (!t->oom && n)
        builder_buf_add(&t->buf, s, n, &t->oom);
}

void ofac_text_adds(ofac_text *t, const char *s)
{
    if (s)
        ofac_text_add(t, s, strlen(s));
}

static int is_blank(const char *s)
{
    while (s && *s) {
        if (!isspace((unsigned char)*s))
            return 0;
        s++;
    }
    return 1;
}

void ofac_text_clause(ofac_text *t, const char *label, const char *s)
{
    if (is_blank(s))
        return;
    if (t->buf.len)
        ofac_text_adds(t, "; ");
    if (label && *label) {
        ofac_text_adds(t, label);
        ofac_text_adds(t, " ");
    }
    ofac_text_adds(t, s);
}

const char *ofac_basename(const char *path)
{
    if (!path)
        return "";
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- Labels ---------------------------------------------------------------- */

static int starts_with_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return 0;
    return 1;
}

static int equals_ci(const char *a, const char *b)
{
    return strlen(a) == strlen(b) && starts_with_ci(a, b);
}

/* Labels of identifying numbers as OFAC writes them in the remarks of the
 * CSV set (and as idType in the XML). In remarks a label can only be told
 * from the number after it by knowing it, so this list is what the CSV
 * parser turns into documents; any other fact stays in the comments. */
static const char *const DOCUMENT_LABELS[] = {
    "Passport", "Diplomatic Passport", "Passport Booklet", "Passport Booklet:",
    "British National Overseas Passport", "Stateless Person Passport",
    "Travel Document Number", "National ID No.", "National Foreign ID Number",
    "Personal ID Card", "Identification Number", "Cedula No.", "Tax ID No.", "NIT #",
    "RUC #", "RIF #", "R.F.C.", "R.F.C. #", "RFC", "C.U.R.P.", "C.U.R.P. #", "C.U.I.P.",
    "C.U.I.T.", "C.U.I.", "C.I.F.", "D.N.I.", "N.I.E.", "SSN", "I.F.E.",
    "Credencial electoral", "Electoral Registry No.", "Driver's License No.",
    "Residency Number", "Birth Certificate Number", "Kenyan ID No.",
    "Turkish Identification Number", "Italian Fiscal Code", "Numero de Identidad", "RTN",
    "Citizen's Card Number", "Cartilla de Servicio Militar Nacional",
    "Moroccan Personal ID No.", "Bosnian Personal ID No.", "Tazkira National ID Card",
    "Refugee ID Card", "Stateless Person ID Card", "Public Security and Immigration No.",
    "VisaNumberID", "Immigration No.", "Pilot License Number",
    "Seafarer's Identification Document", "UAE Identification",
    "CNP (Personal Numerical Code)", "Fiscal Code", "Registration ID", "Registration Number",
    "Company Number", "UK Company Number", "Commercial Registry Number",
    "Business Registration Number", "Business Registration Document #", "Business Number",
    "Legal Entity Number", "Unified Social Credit Code (USCC)",
    "United Social Credit Code Certificate (USCCC)", "Government Gazette Number",
    "Folio Mercantil No.", "Matricula Mercantil No", "Trade License No.", "C.R. No.",
    "Chamber of Commerce Number", "Certificate of Incorporation Number", "D-U-N-S Number",
    "V.A.T. Number", "US FEIN", "Enterprise Number", "Branch Unit Number",
    "Public Registration Number", "Registered Charity No.", "LE Number", "File Number",
    "RSIN", "MSB Registration Number", "Central Registration System Number",
    "Tourism License No.", "Dubai Chamber of Commerce Membership No.", "SWIFT/BIC",
    "BIK (RU)", "ISIN", "Chinese Commercial Code", "MMSI",
    "Vessel Registration Identification", "Other Vessel Call Sign",
    "Aircraft Manufacturer's Serial Number (MSN)", "Aircraft Tail Number",
    "Previous Aircraft Tail Number", "Aircraft Construction Number (also called L/N or S/N or F/N)",
    "Aircraft Mode S Transponder Code", "Aircraft Serial Identification",
};

/* "Digital Currency Address - XBT 1Abc...": the currency code is part of the
 * label. */
#define CURRENCY_LABEL "Digital Currency Address -"

/* OFAC labels renamed to the names the list model uses across lists. */
static const struct {
    const char *ofac, *model;
} RENAMED[] = {
    {"National ID No.", "National Identification Number"},
    {"Vessel Registration Identification", "IMO Number"},
    {"Aircraft Manufacturer's Serial Number (MSN)", "Aircraft Serial Number"},
    {"Passport Booklet:", "Passport Booklet"},
};

/* idTypes of the XML (and remarks facts) that describe the party instead of
 * identifying it; they are kept in the comments. Matched as prefixes. */
static const char *const DESCRIPTIVE_LABELS[] = {
    "Email Address", "Website", "Phone Number", "Telephone", "Fax",
    "Secondary sanctions risk", "Additional Sanctions Information", "Transactions Prohibited",
    "Organization Established Date", "Organization Type", "Target Type", "Aircraft Model",
    "Aircraft Manufacture Date", "Aircraft Operator", "Former Vessel Flag",
    "Other Vessel Flag", "Other Vessel Type", "Vessel Year of Build", "Listing Date",
    "Effective Date", "Purchase/Sales For Divestment Date", "Executive Order",
    "CAATSA Section", "Issuer Name", "Equity Ticker", "Nationality of Registration",
    "IFCA Determination", "Linked To", "Vessel Flag", "Vessel Type", "Vessel Owner",
};

static int is_descriptive(const char *type)
{
    for (size_t i = 0; i < sizeof DESCRIPTIVE_LABELS / sizeof *DESCRIPTIVE_LABELS; i++)
        if (starts_with_ci(type, DESCRIPTIVE_LABELS[i]))
            return 1;
    return 0;
}

/* "IMO 9187629", "IMO: 9187629" -> "9187629". */
static const char *skip_imo_prefix(const char *number)
{
    const char *p = number;
    while (isspace((unsigned char)*p))
        p++;
    if (starts_with_ci(p, "IMO")) {
        p += 3;
        while (*p == ' ' || *p == ':' || *p == '#')
            p++;
        if (*p)
            return p;
    }
    return number;
}

int ofac_identifier(entry_builder *b, const char *type, const char *number,
                    const char *country, const char *note)
{
    type = type ? type : "";
    if (is_blank(number))
        return 1;
    if (equals_ci(type, "Gender")) {
        b->entry.gender = builder_str(b, number);
        return 1;
    }
    if (is_descriptive(type))
        return 0;
    if (equals_ci(type, "Vessel Registration Identification"))
        number = skip_imo_prefix(number);
    for (size_t i = 0; i < sizeof RENAMED / sizeof *RENAMED; i++)
        if (equals_ci(type, RENAMED[i].ofac)) {
            type = RENAMED[i].model;
            break;
        }
    builder_document(b, type, number, country, note);
    return 1;
}

void ofac_vessel(entry_builder *b, ofac_text *comments, const char *call_sign,
                 const char *vessel_type, const char *flag, const char *owner,
                 const char *tonnage, const char *grt)
{
    builder_document(b, "Call Sign", call_sign, "", "");
    builder_nationality(b, flag);
    ofac_text_clause(comments, "Call Sign", call_sign);
    ofac_text_clause(comments, "Vessel Type", vessel_type);
    ofac_text_clause(comments, "Vessel Flag", flag);
    ofac_text_clause(comments, "Vessel Owner", owner);
    ofac_text_clause(comments, "Tonnage", tonnage);
    ofac_text_clause(comments, "GRT", grt);
}

void ofac_titles(entry_builder *b, const char *s)
{
    while (s && *s) {
        const char *end = strchr(s, ';');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        builder_title(b, builder_text(b, s, n));
        s += n + (end != NULL);
    }
}

/* ---- Dates of birth ------------------------------------------------------------ */

static int date_before(const interdict_date *a, const interdict_date *z)
{
    if (a->from_year != z->from_year)
        return a->from_year < z->from_year;
    if (a->from_month != z->from_month)
        return a->from_month < z->from_month;
    return a->from_day <= z->from_day;
}

void ofac_dob(entry_builder *b, const char *text)
{
    const char *s = builder_str(b, text);
    interdict_date d, from, to;
    if (!*s || builder_parse_date(s, &d)) {
        builder_dob_text(b, s);
        return;
    }
    const char *sep = strstr(s, " to ");
    if (sep && strstr(sep + 4, " to ") == NULL && (size_t)(sep - s) < 64) {
        char left[64];
        memcpy(left, s, (size_t)(sep - s));
        left[sep - s] = '\0';
        if (builder_parse_date(left, &from) && builder_parse_date(sep + 4, &to) &&
            from.kind == INTERDICT_DATE_EXACT && to.kind == INTERDICT_DATE_EXACT &&
            date_before(&from, &to)) {
            memset(&d, 0, sizeof d);
            d.kind = INTERDICT_DATE_RANGE;
            d.from_year = from.from_year;
            d.from_month = from.from_month;
            d.from_day = from.from_day;
            d.to_year = to.from_year;
            d.to_month = to.from_month;
            d.to_day = to.from_day;
            builder_dob(b, &d);
            return;
        }
    }
    builder_dob_text(b, s);
}

/* ---- Remarks facts ------------------------------------------------------------ */

/* If s starts with the word (any case) followed by a space, a colon or the
 * end, returns the text after it and the separators; NULL otherwise. */
static char *after_word(char *s, const char *word)
{
    size_t n = strlen(word);
    if (!starts_with_ci(s, word))
        return NULL;
    char *p = s + n;
    if (*p && *p != ' ' && *p != ':')
        return NULL;
    while (*p == ' ' || *p == ':')
        p++;
    return p;
}

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ','))
        s[--n] = '\0';
}

/* 'BNC', "BNC", ‘BNC’, “BNC” -> BNC (outer quotes only). */
static char *strip_quotes(char *s)
{
    static const char *const open[] = {"'", "\"", "\xE2\x80\x98", "\xE2\x80\x9C"};
    static const char *const close[] = {"'", "\"", "\xE2\x80\x99", "\xE2\x80\x9D"};
    size_t n = strlen(s);
    for (size_t k = 0; k < 4; k++) {
        size_t a = strlen(open[k]), z = strlen(close[k]);
        if (n >= a + z && memcmp(s, open[k], a) == 0 && memcmp(s + n - z, close[k], z) == 0) {
            s[n - z] = '\0';
            return s + a;
        }
    }
    return s;
}

/* The longest document label that s starts with, as a word; its length
 * in *len. */
static const char *document_label(const char *s, size_t *len)
{
    const char *best = NULL;
    size_t best_n = 0;
    for (size_t i = 0; i < sizeof DOCUMENT_LABELS / sizeof *DOCUMENT_LABELS; i++) {
        const char *l = DOCUMENT_LABELS[i];
        size_t n = strlen(l);
        if (n > best_n && starts_with_ci(s, l) && (s[n] == ' ' || s[n] == ':')) {
            best = l;
            best_n = n;
        }
    }
    *len = best_n;
    return best;
}

/* "A1234567 (Iraq) issued 01 Jan 2000 expires 01 Jan 2010": splits off the
 * issue and expiry clause (the note) and the country in parentheses. */
static void document_fact(entry_builder *b, const char *type, char *rest)
{
    char *note = "";
    static const char *const clauses[] = {" issued", " expires", " expired", " Issue Date"};
    char *cut = NULL;
    for (size_t i = 0; i < sizeof clauses / sizeof *clauses; i++) {
        char *q = strstr(rest, clauses[i]);
        if (q && (!cut || q < cut))
            cut = q;
    }
    if (cut) {
        *cut = '\0';
        note = cut + 1;
    }
    trim_end(rest);
    char *country = "";
    size_t n = strlen(rest);
    if (n > 2 && rest[n - 1] == ')') {
        char *open = strrchr(rest, '(');
        if (open) {
            rest[n - 1] = '\0';
            country = open + 1;
            *open = '\0';
            trim_end(rest);
        }
    }
    if (!*rest) {           /* "(5777731)": the parenthesis was the number */
        rest = country;
        country = "";
    }
    ofac_identifier(b, type, rest, country, note);
}

/* One fact, NUL-terminated and writable. */
static void remarks_fact(entry_builder *b, char *fact)
{
    while (*fact == ' ')
        fact++;
    trim_end(fact);
    size_t n = strlen(fact);
    if (n && fact[n - 1] == '.')
        fact[--n] = '\0';
    if (starts_with_ci(fact, "alt. "))
        fact += 5;
    while (*fact == ' ')
        fact++;
    char *v;
    if ((v = after_word(fact, "DOB")) != NULL) {
        ofac_dob(b, v);
    } else if ((v = after_word(fact, "POB")) != NULL) {
        builder_place_of_birth(b, v);
    } else if ((v = after_word(fact, "nationality")) != NULL) {
        if (!starts_with_ci(v, "of "))      /* "Nationality of Registration" */
            builder_nationality(b, v);
    } else if ((v = after_word(fact, "citizen")) != NULL) {
        builder_nationality(b, v);
    } else if ((v = after_word(fact, "Gender")) != NULL) {
        if (equals_ci(v, "Male") || equals_ci(v, "Female"))
            b->entry.gender = builder_str(b, v);
    } else if ((v = after_word(fact, "a.k.a.")) != NULL || (v = after_word(fact, "f.k.a.")) != NULL ||
               (v = after_word(fact, "n.k.a.")) != NULL) {
        while (*v == ',' || *v == ' ')
            v++;
        builder_name(b, strip_quotes(v), INTERDICT_NAME_ALIAS_LOW);
    } else if (starts_with_ci(fact, CURRENCY_LABEL)) {
        /* the label runs to the end of the currency code */
        char *p = fact + strlen(CURRENCY_LABEL);
        while (*p == ' ')
            p++;
        while (*p && *p != ' ')
            p++;
        if (*p) {
            *p++ = '\0';
            document_fact(b, fact, p);
        }
    } else {
        size_t len;
        if (document_label(fact, &len)) {
            char *rest = fact + len;
            *rest++ = '\0';
            while (*rest == ' ' || *rest == ':')
                rest++;
            document_fact(b, fact, rest);
        }
    }
}

enum { MAX_FACT_DEPTH = 64 };

int ofac_remarks_facts(entry_builder *b, const char *remarks)
{
    if (!remarks || !*remarks)
        return 0;
    size_t n_facts = 1;
    for (const char *p = remarks; *p; p++)
        n_facts += *p == ';';
    if (n_facts > OFAC_MAX_ITEMS)
        return -1;
    char *copy = strdup(remarks);
    if (!copy) {
        b->oom = 1;
        return 0;
    }
    /* facts are separated by ';' outside parentheses */
    char *start = copy;
    int depth = 0;
    for (char *p = copy;; p++) {
        if (*p == '(' && depth < MAX_FACT_DEPTH)
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (*p == '\0' || (*p == ';' && depth == 0)) {
            int end = *p == '\0';
            *p = '\0';
            remarks_fact(b, start);
            if (end)
                break;
            start = p + 1;
        }
    }
    free(copy);
    return (int)n_facts;
}
