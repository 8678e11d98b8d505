/* mx.c - ISO 20022 payment messages: pacs.008 (FI to FI customer credit
 * transfer) and pain.001 (customer credit transfer initiation), any
 * version, bare or with a Business Application Header (head.001) in an
 * envelope.
 *
 * Elements are matched by local name, so every version and namespace
 * prefix reads alike. Parties are found wherever they occur in a
 * transaction (Dbtr, CdtrAgt, UltmtCdtr, IntrmyAgt2, Invcr, ...), not at
 * fixed paths, and any other Nm is screened too: an element this parser
 * does not know cannot hide a name. Every leaf is checked against its
 * length or pattern (Nm max 140, Ctry [A-Z]{2}, BICFI, IBAN, ...). */
#include "payment.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../list/xml_safe.h"

#define ISO_NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:"
#define MAX_DEPTH 40          /* deeper nesting is not ISO 20022 */
#define MAX_ENVELOPE_DEPTH 4  /* how deep a Document may sit in a wrapper */
#define MAX_LEAF_CHARS 2048   /* any element the limit table does not name */

typedef struct mx_ctx {
    pay_doc *doc;
    size_t msg;               /* index of the message being filled */
    bool deep_reported;
} mx_ctx;

static pay_msg *cur(mx_ctx *c) { return PAY_AT(c->doc->msgs, pay_msg, c->msg); }

static void mx_error(mx_ctx *c, size_t lo, size_t hi, interdict_status code,
                     const xmlNode *n, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void mx_error(mx_ctx *c, size_t lo, size_t hi, interdict_status code,
                     const xmlNode *n, const char *field, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pay_error_add(c->doc, cur(c), lo, hi, code, xml_line(n), field, "%s", msg);
}

/* ---- Element tables --------------------------------------------------------------- */

typedef struct role_name {
    const char *element;
    const char *role;
} role_name;

/* Parties that are persons or organisations. */
static const role_name PARTIES[] = {
    {"Dbtr", "debtor"},
    {"Cdtr", "creditor"},
    {"UltmtDbtr", "ultimate debtor"},
    {"UltmtCdtr", "ultimate creditor"},
    {"InitgPty", "initiating party"},
    {"Invcr", "invoicer"},
    {"Invcee", "invoicee"},
};

/* Financial institutions. */
static const role_name AGENTS[] = {
    {"InstgAgt", "instructing agent"},
    {"InstdAgt", "instructed agent"},
    {"DbtrAgt", "debtor agent"},
    {"CdtrAgt", "creditor agent"},
    {"IntrmyAgt1", "intermediary agent 1"},
    {"IntrmyAgt2", "intermediary agent 2"},
    {"IntrmyAgt3", "intermediary agent 3"},
    {"PrvsInstgAgt1", "previous instructing agent 1"},
    {"PrvsInstgAgt2", "previous instructing agent 2"},
    {"PrvsInstgAgt3", "previous instructing agent 3"},
    {"InstgRmbrsmntAgt", "instructing reimbursement agent"},
    {"InstdRmbrsmntAgt", "instructed reimbursement agent"},
    {"ThrdRmbrsmntAgt", "third reimbursement agent"},
    {"FwdgAgt", "forwarding agent"},
    {"ChrgsAcctAgt", "charges account agent"},
    {"Svcr", "account servicing institution"},
    {"Agt", "charges agent"},
    {"Fr", "business message sender"},
    {"To", "business message receiver"},
};

/* Free text. Prtry and Inf count only under Purp and Dtls (see text_role). */
static const role_name TEXTS[] = {
    {"Ustrd", "remittance information"},
    {"AddtlRmtInf", "additional remittance information"},
    {"InstrInf", "instruction information"},
    {"InstrForDbtrAgt", "instruction for debtor agent"},
};

typedef enum lim_kind { LIM_TEXT, LIM_COUNTRY, LIM_BIC, LIM_IBAN, LIM_LEI, LIM_DIGITS } lim_kind;

typedef struct leaf_limit {
    const char *element;
    lim_kind kind;
    unsigned max;             /* characters, for LIM_TEXT and LIM_DIGITS */
} leaf_limit;

static const leaf_limit LIMITS[] = {
    {"Nm", LIM_TEXT, 140},         {"AdrLine", LIM_TEXT, 70},    {"StrtNm", LIM_TEXT, 70},
    {"BldgNb", LIM_TEXT, 16},      {"BldgNm", LIM_TEXT, 35},     {"Flr", LIM_TEXT, 70},
    {"PstBx", LIM_TEXT, 16},       {"Room", LIM_TEXT, 70},       {"PstCd", LIM_TEXT, 16},
    {"TwnNm", LIM_TEXT, 35},       {"TwnLctnNm", LIM_TEXT, 35},  {"DstrctNm", LIM_TEXT, 35},
    {"CtrySubDvsn", LIM_TEXT, 35}, {"Dept", LIM_TEXT, 70},       {"SubDept", LIM_TEXT, 70},
    {"Ctry", LIM_COUNTRY, 2},      {"CtryOfRes", LIM_COUNTRY, 2}, {"CtryOfBirth", LIM_COUNTRY, 2},
    {"BICFI", LIM_BIC, 11},        {"AnyBIC", LIM_BIC, 11},      {"BIC", LIM_BIC, 11},
    {"BICOrBEI", LIM_BIC, 11},     {"IBAN", LIM_IBAN, 34},       {"LEI", LIM_LEI, 20},
    {"MsgId", LIM_TEXT, 35},       {"PmtInfId", LIM_TEXT, 35},   {"InstrId", LIM_TEXT, 35},
    {"EndToEndId", LIM_TEXT, 35},  {"TxId", LIM_TEXT, 35},       {"UETR", LIM_TEXT, 36},
    {"BizMsgIdr", LIM_TEXT, 35},   {"MsgDefIdr", LIM_TEXT, 35},  {"Id", LIM_TEXT, 35},
    {"Ustrd", LIM_TEXT, 140},      {"AddtlRmtInf", LIM_TEXT, 140}, {"InstrInf", LIM_TEXT, 140},
    {"InstrForDbtrAgt", LIM_TEXT, 140}, {"Prtry", LIM_TEXT, 35}, {"Inf", LIM_TEXT, 35},
    {"Cd", LIM_TEXT, 35},          {"NbOfTxs", LIM_DIGITS, 15},  {"CityOfBirth", LIM_TEXT, 35},
    {"PrvcOfBirth", LIM_TEXT, 35}, {"Ref", LIM_TEXT, 35},        {"Nb", LIM_TEXT, 35},
};

static const char *find_role(const role_name *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].element, name))
            return t[i].role;
    return NULL;
}
#define FIND_ROLE(table, name) find_role(table, sizeof table / sizeof table[0], name)

static const leaf_limit *find_limit(const char *name)
{
    for (size_t i = 0; i < sizeof LIMITS / sizeof LIMITS[0]; i++)
        if (!strcmp(LIMITS[i].element, name))
            return &LIMITS[i];
    return NULL;
}

/* ---- Small helpers ----------------------------------------------------------------- */

static const char *lname(const xmlNode *n) { return (const char *)n->name; }

static bool has_element_children(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The trimmed text of a leaf, copied into the arena. */
static const char *leaf_text(mx_ctx *c, const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    if (!v)
        return "";
    const char *s = (const char *)v;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    const char *out = pay_strndup(c->doc, s, len);
    xmlFree(v);
    return out;
}

/* Child path "parent/Name" or "parent/Name[k]" when the element repeats
 * beside its neighbours (always for transactions and payment blocks). k
 * counts the run of same-named siblings, kept by the caller, so wide
 * elements cost linear time. */
static void child_path(char *out, size_t size, const char *parent, const xmlNode *e, size_t k,
                       bool repeats)
{
    int n = repeats ? snprintf(out, size, "%s%s%s[%zu]", parent, *parent ? "/" : "", lname(e), k)
                    : snprintf(out, size, "%s%s%s", parent, *parent ? "/" : "", lname(e));
    /* a path deeper than the buffer keeps its start, marked as cut */
    if ((n < 0 || (size_t)n >= size) && size >= 4)
        memcpy(out + size - 4, "...", 4);
}

/* Iterates element children, tracking the run index of same-named siblings. */
typedef struct child_iter {
    xmlNode *e;
    size_t k;
    bool repeats;
} child_iter;

static xmlNode *next_element(xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static void iter_start(child_iter *it, const xmlNode *parent)
{
    it->e = next_element(parent->children);
    it->k = 1;
    it->repeats = it->e && next_element(it->e->next) &&
                  !strcmp(lname(next_element(it->e->next)), lname(it->e));
}

static void iter_next(child_iter *it)
{
    xmlNode *prev = it->e;
    it->e = next_element(prev->next);
    if (!it->e)
        return;
    if (!strcmp(lname(it->e), lname(prev))) {
        it->k++;
        it->repeats = true;
    } else {
        it->k = 1;
        xmlNode *nx = next_element(it->e->next);
        it->repeats = nx && !strcmp(lname(nx), lname(it->e));
    }
}

/* Checks a leaf against its limit. Returns its trimmed text, or NULL when
 * it breaks the limit (the error is recorded). */
static const char *check_leaf(mx_ctx *c, const xmlNode *e, const char *path, size_t lo, size_t hi)
{
    const char *v = leaf_text(c, e);
    /* a proxy (e-mail, phone, ...) is the one Id allowed to be long */
    const leaf_limit *lim = xml_is(e, "Id") && xml_is(e->parent, "Prxy") ? NULL : find_limit(lname(e));
    size_t chars = utf8_chars(v);
    size_t len = strlen(v);
    if (!lim) {
        if (chars > MAX_LEAF_CHARS) {
            mx_error(c, lo, hi, INTERDICT_ERR_LIMIT, e, path,
                     "%zu characters, over the %d this reader accepts", chars, MAX_LEAF_CHARS);
            return NULL;
        }
        return v;
    }
    switch (lim->kind) {
    case LIM_TEXT:
        /* too long is an error, but the text is still screened for what it says */
        if (chars > lim->max)
            mx_error(c, lo, hi, INTERDICT_ERR_LIMIT, e, path,
                     "%zu characters, over the limit of %u", chars, lim->max);
        if (chars > MAX_LEAF_CHARS)
            return NULL;
        break;
    case LIM_DIGITS:
        for (size_t i = 0; i < len; i++)
            if (!isdigit((unsigned char)v[i])) {
                mx_error(c, lo, hi, INTERDICT_ERR_INVALID, e, path, "\"%.40s\" is not a number", v);
                return NULL;
            }
        if (len == 0 || len > lim->max) {
            mx_error(c, lo, hi, INTERDICT_ERR_INVALID, e, path, "must be 1 to %u digits", lim->max);
            return NULL;
        }
        break;
    case LIM_COUNTRY:
        if (!pay_is_country_code(v)) {
            mx_error(c, lo, hi, INTERDICT_ERR_INVALID, e, path,
                     "\"%.40s\" is not an ISO 3166 country code", v);
            return NULL;
        }
        break;
    case LIM_BIC:
        if (!pay_is_bic(v, len)) {
            mx_error(c, lo, hi, INTERDICT_ERR_INVALID, e, path,
                     "\"%.40s\" is not a BIC (4!a2!a2!c[3!c])", v);
            return NULL;
        }
        break;
    case LIM_IBAN: {
        bool ok = len >= 5 && len <= lim->max && isupper((unsigned char)v[0]) &&
                  isupper((unsigned char)v[1]) && isdigit((unsigned char)v[2]) &&
                  isdigit((unsigned char)v[3]);
        for (size_t i = 4; ok && i < len; i++)
            ok = isalnum((unsigned char)v[i]);
        if (!ok) {
            mx_error(c, lo, hi, INTERDICT_ERR_INVALID, e, path, "\"%.40s\" is not an IBAN", v);
            return NULL;
        }
        break;
    }
    case LIM_LEI: {
        bool ok = len == 20;
        for (size_t i = 0; ok && i < len; i++)
            ok = isdigit((unsigned char)v[i]) || (i < 18 && isupper((unsigned char)v[i]));
        if (!ok) {
            mx_error(c, lo, hi, INTERDICT_ERR_INVALID, e, path, "\"%.40s\" is not an LEI", v);
            return NULL;
        }
        break;
    }
    }
    return v;
}

/* ---- Parties ------------------------------------------------------------------------- */

static void walk(mx_ctx *c, const xmlNode *parent, const char *path, size_t lo, size_t hi,
                 int depth, bool skip_tx);

static bool too_deep(mx_ctx *c, const xmlNode *e, const char *path, size_t lo, size_t hi,
                     int depth)
{
    if (depth <= MAX_DEPTH)
        return false;
    if (!c->deep_reported) {
        c->deep_reported = true;
        mx_error(c, lo, hi, INTERDICT_ERR_LIMIT, e, path, "elements nested over %d deep",
                 MAX_DEPTH);
    }
    return true;
}

static void party_full(mx_ctx *c, const xmlNode *e, const char *path, size_t lo, size_t hi)
{
    mx_error(c, lo, hi, INTERDICT_ERR_LIMIT, e, path, "too many address or country elements");
}

/* PstlAdr: every component is an address line; Ctry the country. */
static void read_address(mx_ctx *c, pay_party *p, const xmlNode *adr, const char *path,
                         size_t lo, size_t hi, int depth)
{
    char cpath[1024];
    const char *last_line = NULL, *last_field = NULL;
    bool have_country = false;
    child_iter it;
    for (iter_start(&it, adr); it.e; iter_next(&it)) {
        const xmlNode *e = it.e;
        child_path(cpath, sizeof cpath, path, e, it.k, it.repeats);
        if (has_element_children(e)) {
            walk(c, e, cpath, lo, hi, depth + 1, false);
            continue;
        }
        const char *v = check_leaf(c, e, cpath, lo, hi);
        if (!v || !*v)
            continue;
        const char *field = pay_strdup(c->doc, cpath);
        if (xml_is(e, "Ctry")) {
            have_country = true;
            if (!pay_party_country(p, v, field, "address"))
                party_full(c, e, cpath, lo, hi);
        } else if (!xml_is(e, "AdrTp")) {
            if (!pay_party_address(p, v, field))
                party_full(c, e, cpath, lo, hi);
            if (xml_is(e, "AdrLine") || xml_is(e, "TwnNm")) {
                last_line = v;
                last_field = field;
            }
        }
    }
    char code[3];
    if (!have_country && last_line && pay_country_in_line(last_line, code))
        pay_party_country(p, code, last_field, "address line");
}

/* Id, FinInstnId and the like: picks out BICs, birth dates and the kind
 * of party; checks every leaf. */
static void read_ids(mx_ctx *c, pay_party *p, const xmlNode *n, const char *path, size_t lo,
                     size_t hi, int depth)
{
    if (too_deep(c, n, path, lo, hi, depth))
        return;
    char cpath[1024];
    child_iter it;
    for (iter_start(&it, n); it.e; iter_next(&it)) {
        const xmlNode *e = it.e;
        child_path(cpath, sizeof cpath, path, e, it.k, it.repeats);
        if (xml_is(e, "OrgId") && p->type == INTERDICT_PARTY_UNKNOWN)
            p->type = INTERDICT_PARTY_ENTITY;
        else if (xml_is(e, "PrvtId") && p->type == INTERDICT_PARTY_UNKNOWN)
            p->type = INTERDICT_PARTY_PERSON;
        if (xml_is(e, "PstlAdr")) {
            read_address(c, p, e, cpath, lo, hi, depth + 1);
            continue;
        }
        if (xml_is(e, "Nm") && !has_element_children(e)) {
            const char *v = check_leaf(c, e, cpath, lo, hi);
            if (v && *v && !*p->name) {
                p->name = v;
                p->name_field = pay_strdup(c->doc, cpath);
            } else if (v && *v) {
                pay_party q = {0};
                q.role = pay_printf(c->doc, "%s (other name)", p->role);
                q.field = p->field;
                q.type = p->type;
                q.agent = p->agent;
                q.name = v;
                q.name_field = pay_strdup(c->doc, cpath);
                q.bic = q.account = "";
                q.tx_lo = lo;
                q.tx_hi = hi;
                q.line = xml_line(e);
                pay_party_add(c->doc, cur(c), &q);
            }
            continue;
        }
        if (xml_is(e, "CtctDtls") || xml_is(e, "BrnchId")) {
            /* a contact person or branch name is screened as a name of its own */
            walk(c, e, cpath, lo, hi, depth + 1, false);
            continue;
        }
        if (has_element_children(e)) {
            read_ids(c, p, e, cpath, lo, hi, depth + 1);
            continue;
        }
        const char *v = check_leaf(c, e, cpath, lo, hi);
        if (!v || !*v)
            continue;
        if (xml_is(e, "BICFI") || xml_is(e, "AnyBIC") || xml_is(e, "BIC") ||
            xml_is(e, "BICOrBEI")) {
            if (!*p->bic) {
                p->bic = v;
                p->bic_field = pay_strdup(c->doc, cpath);
                char cc[3] = {v[4], v[5], 0};
                if (pay_is_country_code(cc) && !pay_party_country(p, cc, p->bic_field, "BIC"))
                    party_full(c, e, cpath, lo, hi);
            }
        } else if (xml_is(e, "BirthDt") && !p->dob) {
            p->dob = v;
        } else if (xml_is(e, "CtryOfRes")) {
            if (!pay_party_country(p, v, pay_strdup(c->doc, cpath), "residence"))
                party_full(c, e, cpath, lo, hi);
        }
    }
}

static pay_party new_party(mx_ctx *c, const xmlNode *e, const char *path, const char *role,
                           size_t lo, size_t hi)
{
    pay_party p;
    memset(&p, 0, sizeof p);
    p.role = role;
    p.field = pay_strdup(c->doc, path);
    p.name = p.bic = p.account = "";
    p.tx_lo = lo;
    p.tx_hi = hi;
    p.line = xml_line(e);
    return p;
}

/* Dbtr, Cdtr, UltmtCdtr, ... and agents (whose identification sits one
 * level down, in FinInstnId, or two in the header's Fr/FIId). */
static void read_party(mx_ctx *c, const xmlNode *e, const char *path, const char *role,
                       bool agent, size_t lo, size_t hi, int depth)
{
    if (too_deep(c, e, path, lo, hi, depth))
        return;
    pay_party p = new_party(c, e, path, role, lo, hi);
    p.agent = agent;
    if (agent)
        p.type = INTERDICT_PARTY_ENTITY;
    read_ids(c, &p, e, path, lo, hi, depth + 1);
    /* the debtor and creditor of the payment (not those of a tax record) */
    bool main_party = (xml_is(e, "Dbtr") || xml_is(e, "Cdtr")) &&
                      (xml_is(e->parent, "CdtTrfTxInf") || xml_is(e->parent, "PmtInf"));
    if (!*p.name && !*p.bic && main_party)
        mx_error(c, lo, hi, INTERDICT_ERR_FORMAT, e, path,
                 "the %s has neither a name (Nm) nor a BIC to screen", role);
    else if (!has_element_children(e))
        mx_error(c, lo, hi, INTERDICT_ERR_FORMAT, e, path, "the %s is empty", role);
    if (!agent && *p.bic && !*p.name)
        p.type = INTERDICT_PARTY_ENTITY;
    pay_party_add(c->doc, cur(c), &p);
}

/* DbtrAcct, CdtrAcct, ...: the account id (an IBAN names a country), the
 * account's name, and its servicer. */
static void read_account(mx_ctx *c, const xmlNode *e, const char *path, size_t lo, size_t hi,
                         int depth)
{
    pay_party p = new_party(c, e, path, "", lo, hi);
    char role[64];
    size_t base = strlen(lname(e)) - 4;   /* "...Acct" */
    const char *owner = NULL;
    char owner_el[48];
    if (base < sizeof owner_el) {
        memcpy(owner_el, lname(e), base);
        owner_el[base] = '\0';
        owner = FIND_ROLE(PARTIES, owner_el);
        if (!owner)
            owner = FIND_ROLE(AGENTS, owner_el);
    }
    snprintf(role, sizeof role, "%s account", owner ? owner : lname(e));
    p.role = pay_strdup(c->doc, role);
    char cpath[1024];
    child_iter it;
    for (iter_start(&it, e); it.e; iter_next(&it)) {
        const xmlNode *k = it.e;
        child_path(cpath, sizeof cpath, path, k, it.k, it.repeats);
        const char *agent_role = FIND_ROLE(AGENTS, lname(k));
        if (agent_role) {
            read_party(c, k, cpath, agent_role, true, lo, hi, depth + 1);
        } else if (xml_is(k, "Id") && has_element_children(k)) {
            /* IBAN, or Othr/Id */
            child_iter jt;
            for (iter_start(&jt, k); jt.e; iter_next(&jt)) {
                char ipath[1100];
                child_path(ipath, sizeof ipath, cpath, jt.e, jt.k, jt.repeats);
                if (has_element_children(jt.e)) {
                    walk(c, jt.e, ipath, lo, hi, depth + 2, false);
                    const xmlNode *oid = xml_child(jt.e, "Id");
                    if (oid && !*p.account)
                        p.account = leaf_text(c, oid);
                    continue;
                }
                const char *v = check_leaf(c, jt.e, ipath, lo, hi);
                if (v && *v && xml_is(jt.e, "IBAN")) {
                    p.account = v;
                    char cc[3] = {v[0], v[1], 0};
                    if (pay_is_country_code(cc))
                        pay_party_country(&p, cc, pay_strdup(c->doc, ipath), "IBAN");
                }
            }
        } else if (xml_is(k, "Nm") && !has_element_children(k)) {
            const char *v = check_leaf(c, k, cpath, lo, hi);
            if (v && *v) {
                p.name = v;
                p.name_field = pay_strdup(c->doc, cpath);
            }
        } else if (has_element_children(k)) {
            walk(c, k, cpath, lo, hi, depth + 1, false);
        } else {
            check_leaf(c, k, cpath, lo, hi);
        }
    }
    pay_party_add(c->doc, cur(c), &p);
}

/* The role of a free-text element, or NULL. */
static const char *text_role(const xmlNode *e)
{
    const char *r = FIND_ROLE(TEXTS, lname(e));
    if (r)
        return r;
    const xmlNode *up = e->parent;
    if (xml_is(e, "Prtry") && xml_is(up, "Purp"))
        return "purpose";
    if (xml_is(e, "Inf") && xml_is(up, "Dtls"))
        return "regulatory reporting";
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

/* Walks a subtree: parties, agents, accounts and free text are read where
 * they are found; every other leaf is checked against its limit; a name
 * (Nm) in any other element is screened as a name of its own. */
static void walk(mx_ctx *c, const xmlNode *parent, const char *path, size_t lo, size_t hi,
                 int depth, bool skip_tx)
{
    if (too_deep(c, parent, path, lo, hi, depth))
        return;
    char cpath[1024];
    child_iter it;
    for (iter_start(&it, parent); it.e; iter_next(&it)) {
        const xmlNode *e = it.e;
        if (skip_tx && xml_is(e, "CdtTrfTxInf"))
            continue;
        child_path(cpath, sizeof cpath, path, e, it.k, it.repeats);
        const char *role;
        bool inner = has_element_children(e);
        if ((role = FIND_ROLE(PARTIES, lname(e)))) {
            read_party(c, e, cpath, role, false, lo, hi, depth + 1);
        } else if ((role = FIND_ROLE(AGENTS, lname(e))) &&
                   (!(xml_is(e, "Fr") || xml_is(e, "To")) || xml_is(parent, "AppHdr"))) {
            read_party(c, e, cpath, role, true, lo, hi, depth + 1);
        } else if (inner && ends_with(lname(e), "Acct")) {
            read_account(c, e, cpath, lo, hi, depth + 1);
        } else if (inner) {
            walk(c, e, cpath, lo, hi, depth + 1, false);
        } else if ((role = text_role(e))) {
            const char *v = check_leaf(c, e, cpath, lo, hi);
            if (v && *v) {
                pay_text t = {role, pay_strdup(c->doc, cpath), v, lo, hi, xml_line(e)};
                pay_text_add(c->doc, cur(c), &t);
            }
        } else if (xml_is(e, "Nm")) {
            const char *v = check_leaf(c, e, cpath, lo, hi);
            if (v && *v) {
                pay_party p = new_party(c, e, path, pay_printf(c->doc, "name in %s", lname(parent)),
                                        lo, hi);
                p.name = v;
                p.name_field = pay_strdup(c->doc, cpath);
                pay_party_add(c->doc, cur(c), &p);
            }
        } else {
            check_leaf(c, e, cpath, lo, hi);
        }
    }
}

/* ---- Messages -------------------------------------------------------------------------- */

/* Text of a mandatory child leaf, or NULL with an error. */
static const char *need_leaf(mx_ctx *c, const xmlNode *parent, const char *name,
                             const char *parent_path, size_t lo, size_t hi)
{
    const xmlNode *e = xml_child(parent, name);
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", parent_path, *parent_path ? "/" : "", name);
    if (!e) {
        mx_error(c, lo, hi, INTERDICT_ERR_FORMAT, parent, path, "mandatory element missing");
        return NULL;
    }
    const char *v = leaf_text(c, e);
    if (!*v) {
        mx_error(c, lo, hi, INTERDICT_ERR_FORMAT, e, path, "mandatory element is empty");
        return NULL;
    }
    return v;
}

static void need_child(mx_ctx *c, const xmlNode *parent, const char *name,
                       const char *parent_path, size_t lo, size_t hi)
{
    if (!xml_child(parent, name)) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s%s", parent_path, *parent_path ? "/" : "", name);
        mx_error(c, lo, hi, INTERDICT_ERR_FORMAT, parent, path, "mandatory element missing");
    }
}

static size_t count_children(const xmlNode *n, const char *name)
{
    size_t k = 0;
    for (const xmlNode *e = xml_child(n, name); e; e = xml_next(e, name))
        k++;
    return k;
}

/* One CdtTrfTxInf: a transaction of its own. */
static void read_transaction(mx_ctx *c, const xmlNode *tx, const char *path, bool pacs)
{
    pay_msg *m = cur(c);
    size_t i = m->txs.n;
    pay_tx *t = pay_vec_push(c->doc, &m->txs);
    if (!t)
        return;
    t->field = pay_strdup(c->doc, path);
    t->line = xml_line(tx);
    t->id = "";
    const xmlNode *pmt_id = xml_child(tx, "PmtId");
    if (!pmt_id) {
        mx_error(c, i, i, INTERDICT_ERR_FORMAT, tx, pay_printf(c->doc, "%s/PmtId", path),
                 "mandatory element missing");
    } else {
        char ppath[1100];
        snprintf(ppath, sizeof ppath, "%s/PmtId", path);
        const char *id = need_leaf(c, pmt_id, "EndToEndId", ppath, i, i);
        static const char *const others[] = {"TxId", "InstrId", "UETR"};
        for (size_t k = 0; (!id || !strcmp(id, "NOTPROVIDED")) && k < 3; k++) {
            const xmlNode *o = xml_child(pmt_id, others[k]);
            if (o)
                id = leaf_text(c, o);
        }
        PAY_AT(cur(c)->txs, pay_tx, i)->id = id ? id : "";
    }
    need_child(c, tx, pacs ? "IntrBkSttlmAmt" : "Amt", path, i, i);
    if (pacs) {
        need_child(c, tx, "Dbtr", path, i, i);
        need_child(c, tx, "DbtrAgt", path, i, i);
        need_child(c, tx, "CdtrAgt", path, i, i);
    }
    if (pacs)
        need_child(c, tx, "Cdtr", path, i, i);
    else if (!xml_child(tx, "Cdtr"))
        mx_error(c, i, i, INTERDICT_ERR_FORMAT, tx, pay_printf(c->doc, "%s/Cdtr", path),
                 "no creditor to screen");
    walk(c, tx, path, i, i, 1, false);
}

/* GrpHdr with its MsgId and NbOfTxs (checked against the transactions
 * found: a mismatch is a truncated or altered message). */
static void read_group_header(mx_ctx *c, const xmlNode *body, size_t n_tx, bool pain)
{
    const xmlNode *hdr = xml_child(body, "GrpHdr");
    if (!hdr) {
        mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, body, "GrpHdr", "mandatory element missing");
        return;
    }
    const char *id = need_leaf(c, hdr, "MsgId", "GrpHdr", 0, PAY_ALL_TX);
    if (id)
        cur(c)->id = id;
    const char *nb = need_leaf(c, hdr, "NbOfTxs", "GrpHdr", 0, PAY_ALL_TX);
    if (nb && strspn(nb, "0123456789") == strlen(nb) && strlen(nb) < 16 &&
        strtoull(nb, NULL, 10) != n_tx)
        mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, xml_child(hdr, "NbOfTxs"),
                 "GrpHdr/NbOfTxs", "says %s transactions, the message holds %zu", nb, n_tx);
    if (pain)
        need_child(c, hdr, "InitgPty", "GrpHdr", 0, PAY_ALL_TX);
    walk(c, hdr, "GrpHdr", 0, PAY_ALL_TX, 1, false);
}

static void read_pacs008(mx_ctx *c, const xmlNode *body)
{
    size_t n_tx = count_children(body, "CdtTrfTxInf");
    read_group_header(c, body, n_tx, false);
    if (n_tx == 0)
        mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, body, "CdtTrfTxInf",
                 "no transaction (CdtTrfTxInf) in the message");
    size_t k = 0;
    for (const xmlNode *tx = xml_child(body, "CdtTrfTxInf"); tx; tx = xml_next(tx, "CdtTrfTxInf")) {
        char path[64];
        snprintf(path, sizeof path, "CdtTrfTxInf[%zu]", ++k);
        read_transaction(c, tx, path, true);
    }
    /* anything else beside GrpHdr and the transactions (SplmtryData) */
    char path[1024];
    child_iter it;
    for (iter_start(&it, body); it.e; iter_next(&it)) {
        if (xml_is(it.e, "GrpHdr") || xml_is(it.e, "CdtTrfTxInf"))
            continue;
        child_path(path, sizeof path, "", it.e, it.k, it.repeats);
        walk(c, it.e, path, 0, PAY_ALL_TX, 1, false);
    }
}

static void read_pain001(mx_ctx *c, const xmlNode *body)
{
    size_t n_tx = 0;
    for (const xmlNode *pi = xml_child(body, "PmtInf"); pi; pi = xml_next(pi, "PmtInf"))
        n_tx += count_children(pi, "CdtTrfTxInf");
    read_group_header(c, body, n_tx, true);
    if (!xml_child(body, "PmtInf"))
        mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, body, "PmtInf",
                 "no payment information block (PmtInf) in the message");
    size_t p = 0;
    for (const xmlNode *pi = xml_child(body, "PmtInf"); pi; pi = xml_next(pi, "PmtInf")) {
        char ppath[64];
        snprintf(ppath, sizeof ppath, "PmtInf[%zu]", ++p);
        size_t first = cur(c)->txs.n, k_tx = count_children(pi, "CdtTrfTxInf");
        size_t lo = first, hi = first + k_tx - 1;
        if (k_tx == 0) {
            mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, pi, ppath,
                     "payment information block without a transaction (CdtTrfTxInf)");
            lo = 0;
            hi = PAY_ALL_TX;
        }
        need_leaf(c, pi, "PmtInfId", ppath, lo, hi);
        const xmlNode *nb = xml_child(pi, "NbOfTxs");
        if (nb && k_tx) {
            const char *v = leaf_text(c, nb);
            if (strspn(v, "0123456789") == strlen(v) && strlen(v) < 16 && strtoull(v, NULL, 10) != k_tx)
                mx_error(c, lo, hi, INTERDICT_ERR_FORMAT, nb, pay_printf(c->doc, "%s/NbOfTxs", ppath),
                         "says %s transactions, the block holds %zu", v, k_tx);
        }
        need_child(c, pi, "Dbtr", ppath, lo, hi);
        need_child(c, pi, "DbtrAcct", ppath, lo, hi);
        need_child(c, pi, "DbtrAgt", ppath, lo, hi);
        walk(c, pi, ppath, lo, hi, 1, true);
        size_t k = 0;
        for (const xmlNode *tx = xml_child(pi, "CdtTrfTxInf"); tx; tx = xml_next(tx, "CdtTrfTxInf")) {
            char path[96];
            snprintf(path, sizeof path, "%s/CdtTrfTxInf[%zu]", ppath, ++k);
            read_transaction(c, tx, path, false);
        }
    }
    char path[1024];
    child_iter it;
    for (iter_start(&it, body); it.e; iter_next(&it)) {
        if (xml_is(it.e, "GrpHdr") || xml_is(it.e, "PmtInf"))
            continue;
        child_path(path, sizeof path, "", it.e, it.k, it.repeats);
        walk(c, it.e, path, 0, PAY_ALL_TX, 1, false);
    }
}

/* "pacs.008.001.08" from the namespace; "" when there is none. */
static const char *message_id_of(const xmlNode *n, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!n->ns || !n->ns->href)
        return buf;
    const char *href = (const char *)n->ns->href;
    if (strncmp(href, ISO_NS_PREFIX, strlen(ISO_NS_PREFIX)) == 0)
        href += strlen(ISO_NS_PREFIX);
    snprintf(buf, size, "%s", href);
    return buf;
}

/* "pacs.008.001.NN" or "pain.001.001.NN" */
static bool is_version_of(const char *id, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(id, base, n) != 0)
        return false;
    const char *v = id + n;
    return strlen(v) == 2 && isdigit((unsigned char)v[0]) && isdigit((unsigned char)v[1]);
}

/* One Document (with its header, when one stands beside it). */
static void read_document(mx_ctx *c, const xmlNode *doc_el, const xmlNode *app_hdr)
{
    pay_msg *m = pay_msg_new(c->doc, xml_line(doc_el));
    if (!m)
        return;
    c->msg = c->doc->msgs.n - 1;
    c->deep_reported = false;
    char ns[256];
    message_id_of(doc_el, ns, sizeof ns);
    const xmlNode *body = next_element(doc_el->children);
    if (!body) {
        mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, doc_el, "Document",
                 "empty Document: no message in it");
        return;
    }
    bool pacs = xml_is(body, "FIToFICstmrCdtTrf"), pain = xml_is(body, "CstmrCdtTrfInitn");
    if (*ns) {
        cur(c)->type = pay_strdup(c->doc, ns);
        bool known_pacs = is_version_of(ns, "pacs.008.001."), known_pain = is_version_of(ns, "pain.001.001.");
        if (!known_pacs && !known_pain) {
            mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, doc_el, "Document",
                     "message type %.100s is not supported (pacs.008, pain.001)", ns);
            return;
        }
        if ((known_pacs && !pacs) || (known_pain && !pain)) {
            mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, body, lname(body),
                     "element %.60s does not belong in a %.60s message", lname(body), ns);
            return;
        }
    } else if (pacs || pain) {
        cur(c)->type = pacs ? "pacs.008" : "pain.001";
    } else {
        mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, body, lname(body),
                 "unknown message %.60s (no ISO 20022 namespace)", lname(body));
        return;
    }
    if (next_element(body->next))
        mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, body->next, "Document",
                 "more than one message element in the Document");
    if (app_hdr) {
        const xmlNode *def = xml_child(app_hdr, "MsgDefIdr");
        if (def && *ns) {
            const char *v = leaf_text(c, def);
            if (strcmp(v, ns) != 0)
                mx_error(c, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, def, "AppHdr/MsgDefIdr",
                         "header names %.60s, the Document is %.60s", v, ns);
        }
        walk(c, app_hdr, "AppHdr", 0, PAY_ALL_TX, 1, false);
    }
    if (pacs)
        read_pacs008(c, body);
    else
        read_pain001(c, body);
}

/* Documents in an envelope (BusMsg, Envelope, DataPDU/Body, ...). */
static size_t find_documents(mx_ctx *c, const xmlNode *n, int depth)
{
    if (depth > MAX_ENVELOPE_DEPTH)
        return 0;
    size_t found = 0;
    const xmlNode *hdr = NULL;   /* the header goes with the Document after it */
    for (const xmlNode *e = next_element(n->children); e; e = next_element(e->next)) {
        if (xml_is(e, "AppHdr")) {
            hdr = e;
        } else if (xml_is(e, "Document")) {
            read_document(c, e, hdr);
            hdr = NULL;
            found++;
        } else {
            found += find_documents(c, e, depth + 1);
        }
    }
    return found;
}

void pay_parse_mx(pay_doc *doc, const char *data, size_t len)
{
    mx_ctx c = {doc, 0, false};
    interdict_error err;
    interdict_status rc = INTERDICT_OK;
    xmlDocPtr x = xml_read_safe(data, len, doc->file, &err, &rc);
    if (!x) {
        pay_msg *m = pay_msg_new(doc, err.line);
        if (m)
            pay_error_add(doc, m, 0, PAY_ALL_TX, rc, err.line, err.field[0] ? err.field : "XML",
                          "%s", err.message);
        return;
    }
    const xmlNode *root = xmlDocGetRootElement(x);
    if (x->encoding && strcasecmp((const char *)x->encoding, "UTF-8") != 0 &&
        strcasecmp((const char *)x->encoding, "UTF8") != 0) {
        pay_msg *m = pay_msg_new(doc, 1);
        if (m)
            pay_error_add(doc, m, 0, PAY_ALL_TX, INTERDICT_ERR_ENCODING, 1, "encoding",
                          "ISO 20022 messages are UTF-8, not %.40s", (const char *)x->encoding);
    } else if (!root) {
        pay_msg *m = pay_msg_new(doc, 1);
        if (m)
            pay_error_add(doc, m, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, 1, "XML", "no root element");
    } else if (xml_is(root, "Document")) {
        read_document(&c, root, NULL);
    } else if (find_documents(&c, root, 1) == 0) {
        pay_msg *m = pay_msg_new(doc, xml_line(root));
        if (m)
            pay_error_add(doc, m, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, xml_line(root),
                          (const char *)root->name,
                          "no ISO 20022 Document in the XML (root element %.60s)",
                          (const char *)root->name);
    }
    xmlFreeDoc(x);
}
