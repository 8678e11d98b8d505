/* mt.c - SWIFT FIN messages: MT103, MT202 and MT202COV.
 *
 * An input holds one or more messages, each a run of blocks
 * {1:basic header}{2:application header}{3:user header}{4:text-}{5:trailer}.
 * Block 4 is a list of fields ":TAG:content" over CRLF (or LF) lines. Each
 * field is checked against its format (lines x characters, the SWIFT X
 * character set, BICs) and the parties, countries and free text are read
 * into the model. An MT202COV's sequence B (from its field 50a on) is the
 * underlying customer credit transfer: it is screened with the cover as
 * one payment, its fields prefixed "B/". */
#include "payment.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MT_MAX_TEXT 10000     /* characters of block 4 a FIN message may hold */
#define MT_MAX_LINES 400      /* lines of block 4 read into one field list */

typedef enum field_kind { FK_OTHER, FK_CUSTOMER, FK_AGENT, FK_TEXT } field_kind;

/* How the first line of a party field may carry an account. */
typedef enum acct_kind {
    ACCT_NONE,
    ACCT_OPT,        /* [/34x] */
    ACCT_PARTY_ID,   /* [/1!a][/34x] */
    ACCT_ONLY        /* /34x and nothing else (option C) */
} acct_kind;

typedef struct mt_spec {
    const char *tag;
    field_kind kind;
    const char *role;
    unsigned lines, width;    /* after the account line */
    acct_kind acct;
    char option;              /* 'A' BIC, 'B' location, 'C' account, 'D'/'K' name and
                                 address, 'F' structured, 0 plain */
} mt_spec;

static const mt_spec SPECS[] = {
    {"20", FK_OTHER, "reference", 1, 16, ACCT_NONE, 0},
    {"21", FK_OTHER, "related reference", 1, 16, ACCT_NONE, 0},
    {"13C", FK_OTHER, "time indication", 1, 18, ACCT_NONE, 0},
    {"23B", FK_OTHER, "bank operation code", 1, 4, ACCT_NONE, 0},
    {"23E", FK_OTHER, "instruction code", 1, 35, ACCT_NONE, 0},
    {"26T", FK_OTHER, "transaction type code", 1, 3, ACCT_NONE, 0},
    {"32A", FK_OTHER, "value date, currency, amount", 1, 24, ACCT_NONE, 0},
    {"33B", FK_OTHER, "instructed amount", 1, 18, ACCT_NONE, 0},
    {"36", FK_OTHER, "exchange rate", 1, 12, ACCT_NONE, 0},
    {"71A", FK_OTHER, "details of charges", 1, 3, ACCT_NONE, 0},
    {"71F", FK_OTHER, "sender's charges", 1, 18, ACCT_NONE, 0},
    {"71G", FK_OTHER, "receiver's charges", 1, 18, ACCT_NONE, 0},
    {"50A", FK_CUSTOMER, "ordering customer", 1, 11, ACCT_OPT, 'A'},
    {"50F", FK_CUSTOMER, "ordering customer", 5, 35, ACCT_NONE, 'F'},
    {"50K", FK_CUSTOMER, "ordering customer", 4, 35, ACCT_OPT, 'K'},
    {"59", FK_CUSTOMER, "beneficiary customer", 4, 35, ACCT_OPT, 'K'},
    {"59A", FK_CUSTOMER, "beneficiary customer", 1, 11, ACCT_OPT, 'A'},
    {"59F", FK_CUSTOMER, "beneficiary customer", 4, 35, ACCT_OPT, 'F'},
    {"51A", FK_AGENT, "sending institution", 1, 11, ACCT_PARTY_ID, 'A'},
    {"52A", FK_AGENT, "ordering institution", 1, 11, ACCT_PARTY_ID, 'A'},
    {"52D", FK_AGENT, "ordering institution", 4, 35, ACCT_PARTY_ID, 'D'},
    {"53A", FK_AGENT, "sender's correspondent", 1, 11, ACCT_PARTY_ID, 'A'},
    {"53B", FK_AGENT, "sender's correspondent", 1, 35, ACCT_PARTY_ID, 'B'},
    {"53D", FK_AGENT, "sender's correspondent", 4, 35, ACCT_PARTY_ID, 'D'},
    {"54A", FK_AGENT, "receiver's correspondent", 1, 11, ACCT_PARTY_ID, 'A'},
    {"54B", FK_AGENT, "receiver's correspondent", 1, 35, ACCT_PARTY_ID, 'B'},
    {"54D", FK_AGENT, "receiver's correspondent", 4, 35, ACCT_PARTY_ID, 'D'},
    {"55A", FK_AGENT, "third reimbursement institution", 1, 11, ACCT_PARTY_ID, 'A'},
    {"55B", FK_AGENT, "third reimbursement institution", 1, 35, ACCT_PARTY_ID, 'B'},
    {"55D", FK_AGENT, "third reimbursement institution", 4, 35, ACCT_PARTY_ID, 'D'},
    {"56A", FK_AGENT, "intermediary institution", 1, 11, ACCT_PARTY_ID, 'A'},
    {"56C", FK_AGENT, "intermediary institution", 0, 0, ACCT_ONLY, 'C'},
    {"56D", FK_AGENT, "intermediary institution", 4, 35, ACCT_PARTY_ID, 'D'},
    {"57A", FK_AGENT, "account with institution", 1, 11, ACCT_PARTY_ID, 'A'},
    {"57B", FK_AGENT, "account with institution", 1, 35, ACCT_PARTY_ID, 'B'},
    {"57C", FK_AGENT, "account with institution", 0, 0, ACCT_ONLY, 'C'},
    {"57D", FK_AGENT, "account with institution", 4, 35, ACCT_PARTY_ID, 'D'},
    {"58A", FK_AGENT, "beneficiary institution", 1, 11, ACCT_PARTY_ID, 'A'},
    {"58D", FK_AGENT, "beneficiary institution", 4, 35, ACCT_PARTY_ID, 'D'},
    {"70", FK_TEXT, "remittance information", 4, 35, ACCT_NONE, 0},
    {"72", FK_TEXT, "sender to receiver information", 6, 35, ACCT_NONE, 0},
    {"77B", FK_TEXT, "regulatory reporting", 3, 35, ACCT_NONE, 0},
};

/* Which fields each message (sequence) allows, and which it needs. A
 * trailing 'a' in a mandatory tag stands for any option letter. */
static const char *const MT103_ALLOWED[] = {
    "20", "13C", "23B", "23E", "26T", "32A", "33B", "36", "50A", "50F", "50K", "51A",
    "52A", "52D", "53A", "53B", "53D", "54A", "54B", "54D", "55A", "55B", "55D", "56A",
    "56C", "56D", "57A", "57B", "57C", "57D", "59", "59A", "59F", "70", "71A", "71F",
    "71G", "72", "77B", NULL};
static const char *const MT103_MANDATORY[] = {"20", "23B", "32A", "50a", "59a", "71A", NULL};
static const char *const MT202_ALLOWED[] = {
    "20", "21", "13C", "32A", "52A", "52D", "53A", "53B", "53D", "54A", "54B", "54D",
    "56A", "56D", "57A", "57B", "57D", "58A", "58D", "72", NULL};
static const char *const MT202_MANDATORY[] = {"20", "21", "32A", "58a", NULL};
static const char *const COV_B_ALLOWED[] = {
    "50A", "50F", "50K", "52A", "52D", "56A", "56C", "56D", "57A", "57B", "57C", "57D",
    "59", "59A", "59F", "70", "72", "33B", NULL};
static const char *const COV_B_MANDATORY[] = {"50a", "59a", NULL};
static const char *const REPEATABLE[] = {"13C", "23E", "71F", NULL};

static bool in_set(const char *const *set, const char *tag)
{
    for (; *set; set++)
        if (!strcmp(*set, tag))
            return true;
    return false;
}

static const mt_spec *spec_of(const char *tag)
{
    for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++)
        if (!strcmp(SPECS[i].tag, tag))
            return &SPECS[i];
    return NULL;
}

/* A tag matches a mandatory entry: "50a" stands for 50A, 50F, 50K; "59a"
 * also for plain 59. */
static bool tag_matches(const char *want, const char *tag)
{
    size_t n = strlen(want);
    if (want[n - 1] == 'a')
        return !strncmp(want, tag, n - 1) && strlen(tag) <= n;
    return !strcmp(want, tag);
}

/* ---- Parse state ---------------------------------------------------------------- */

enum { B1, B2, B3, B4, B5, BS, N_BLOCKS };

typedef struct mt_blocks {
    const char *text[N_BLOCKS];
    size_t len[N_BLOCKS];
    long line[N_BLOCKS];
    bool have[N_BLOCKS];
    int last;                  /* highest block seen, -1 before any */
} mt_blocks;

typedef struct mt_field {
    char tag[4];
    char path[8];             /* tag, "B/" before it in an MT202COV's sequence B */
    const char *lines[MT_MAX_LINES];
    size_t n_lines;
    long line;
    bool seq_b;
} mt_field;

typedef struct mt_ctx {
    pay_doc *doc;
    size_t msg;
} mt_ctx;

static pay_msg *cur(mt_ctx *c) { return PAY_AT(c->doc->msgs, pay_msg, c->msg); }

static void mt_error(mt_ctx *c, interdict_status code, long line, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void mt_error(mt_ctx *c, interdict_status code, long line, const char *field,
                     const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pay_error_add(c->doc, cur(c), 0, PAY_ALL_TX, code, line, field, "%s", msg);
}

/* ---- Character set and small formats ------------------------------------------------- */

/* SWIFT X: a-z A-Z 0-9 / - ? : ( ) . , ' + space */
static bool is_x_char(unsigned char ch)
{
    return isalnum(ch) || (ch && strchr("/-?:().,'+ ", ch) != NULL);
}

/* Offset of the first character outside the X set, or -1. */
static long bad_x_char(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!is_x_char((unsigned char)*p))
            return (long)(p - s);
    return -1;
}

static bool all_of(const char *s, size_t n, int (*cls)(int))
{
    for (size_t i = 0; i < n; i++)
        if (!cls((unsigned char)s[i]))
            return false;
    return true;
}

static int is_upper_alnum(int ch) { return isdigit(ch) || isupper(ch); }

/* 6!n3!a15d: YYMMDD, currency, amount with a decimal comma. */
static bool valid_32a(const char *s)
{
    size_t n = strlen(s);
    if (n < 11 || n > 24 || !all_of(s, 6, isdigit) || !all_of(s + 6, 3, isupper))
        return false;
    const char *a = s + 9;
    size_t digits = strspn(a, "0123456789");
    if (digits == 0 || a[digits] != ',')
        return false;
    return strspn(a + digits + 1, "0123456789") == strlen(a + digits + 1);
}

/* A logical terminal address (BIC8 + terminal letter + branch) as a BIC. */
static bool lt_to_bic(const char *lt, char bic[12])
{
    if (!all_of(lt, 12, is_upper_alnum))
        return false;
    memcpy(bic, lt, 8);
    memcpy(bic + 8, lt + 9, 3);
    bic[11] = '\0';
    return pay_is_bic(bic, 11);
}

/* ---- Parties -------------------------------------------------------------------- */

static pay_party new_party(mt_ctx *c, const mt_field *f, const char *role, bool agent)
{
    pay_party p;
    memset(&p, 0, sizeof p);
    p.role = role;
    p.field = pay_strdup(c->doc, f->path);
    p.agent = agent;
    p.type = agent ? INTERDICT_PARTY_ENTITY : INTERDICT_PARTY_UNKNOWN;
    p.name = p.bic = p.account = "";
    p.tx_lo = 0;
    p.tx_hi = PAY_ALL_TX;
    p.line = f->line;
    return p;
}

static void set_bic(mt_ctx *c, pay_party *p, const mt_field *f, const char *line)
{
    size_t n = strlen(line);
    if (!pay_is_bic(line, n)) {
        mt_error(c, INTERDICT_ERR_INVALID, f->line, f->path, "\"%.40s\" is not a BIC (4!a2!a2!c[3!c])",
                 line);
        return;
    }
    p->bic = pay_strdup(c->doc, line);
    p->bic_field = p->field;
    char cc[3] = {line[4], line[5], 0};
    if (pay_is_country_code(cc))
        pay_party_country(p, cc, p->field, "BIC");
}

/* Name and address lines (options D, K and plain 59): the first line is the
 * name; a name that fills its line may run on into the next. */
static void read_name_address(mt_ctx *c, pay_party *p, const mt_field *f, size_t first)
{
    if (first >= f->n_lines)
        return;
    p->name = f->lines[first];
    p->name_field = p->field;
    if (strlen(f->lines[first]) >= 33 && first + 1 < f->n_lines)
        p->name_joined = pay_printf(c->doc, "%s %s", f->lines[first], f->lines[first + 1]);
    for (size_t i = first + 1; i < f->n_lines; i++)
        pay_party_address(p, f->lines[i], p->field);
    char cc[3];
    if (p->n_address && pay_country_in_line(p->address[p->n_address - 1], cc))
        pay_party_country(p, cc, p->field, "address line");
}

/* Option F: "n/text" lines (1 name, 2 address, 3 country/town, 4 date of
 * birth, 5 place of birth, 6 customer id, 7 national id, 8 more of the
 * line before). */
static void read_structured(mt_ctx *c, pay_party *p, const mt_field *f, size_t first,
                            bool ordering)
{
    char name[4 * 36 + 8] = "";
    int prev = 0;
    for (size_t i = first; i < f->n_lines; i++) {
        const char *l = f->lines[i];
        int code = l[0] - '0';
        if (!isdigit((unsigned char)l[0]) || l[1] != '/' || code < 1 || code > (ordering ? 8 : 3)) {
            mt_error(c, INTERDICT_ERR_FORMAT, f->line + (long)i, f->path,
                     "line %zu must start with a line number 1-%d and '/': \"%.40s\"", i + 1,
                     ordering ? 8 : 3, l);
            continue;
        }
        const char *v = l + 2;
        if (code == 8)
            code = prev;
        if (code == 1) {
            size_t n = strlen(name);
            snprintf(name + n, sizeof name - n, "%s%s", n ? " " : "", v);
        } else if (code == 2) {
            pay_party_address(p, v, p->field);
        } else if (code == 3) {
            /* CC/town */
            if (strlen(v) < 3 || v[2] != '/' || !isupper((unsigned char)v[0]) ||
                !isupper((unsigned char)v[1])) {
                mt_error(c, INTERDICT_ERR_FORMAT, f->line + (long)i, f->path,
                         "line 3/ must be country code/town: \"%.40s\"", v);
            } else {
                char cc[3] = {v[0], v[1], 0};
                if (!pay_is_country_code(cc))
                    mt_error(c, INTERDICT_ERR_INVALID, f->line + (long)i, f->path,
                             "\"%s\" is not an ISO 3166 country code", cc);
                else
                    pay_party_country(p, cc, p->field, "address");
                pay_party_address(p, v + 3, p->field);
            }
        } else if (code == 4) {
            if (strlen(v) == 8 && all_of(v, 8, isdigit)) {
                p->dob = pay_printf(c->doc, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
                p->type = INTERDICT_PARTY_PERSON;
            } else {
                mt_error(c, INTERDICT_ERR_FORMAT, f->line + (long)i, f->path,
                         "line 4/ must be a date of birth YYYYMMDD: \"%.40s\"", v);
            }
        } else if (code == 5) {
            p->type = INTERDICT_PARTY_PERSON;
        }
        prev = code;
    }
    if (!*name)
        mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path, "no name line (1/)");
    else
        p->name = pay_strdup(c->doc, name);
    p->name_field = p->field;
}

/* A party field, after its format was checked. */
static void read_party_field(mt_ctx *c, const mt_field *f, const mt_spec *s)
{
    pay_party p = new_party(c, f, s->role, s->kind == FK_AGENT);
    size_t first = 0;
    if (s->option == 'F' && s->tag[0] == '5' && s->tag[1] == '0') {
        /* party identifier: /account, or code/country/identifier */
        const char *id = f->lines[0];
        if (id[0] == '/')
            p.account = pay_strdup(c->doc, id + 1);
        else if (strlen(id) < 9 || !all_of(id, 4, isupper) || id[4] != '/' ||
                 !all_of(id + 5, 2, isupper) || id[7] != '/')
            mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path,
                     "party identifier must be /account or code/country/identifier: \"%.40s\"", id);
        read_structured(c, &p, f, 1, true);
    } else {
        if (f->n_lines && f->lines[0][0] == '/' && s->acct != ACCT_NONE) {
            const char *a = f->lines[0] + 1;
            /* [/1!a][/34x]: "/D/123" (debit/credit mark) or "//CH123" (clearing code) */
            if (s->acct == ACCT_PARTY_ID && a[0] && a[1] == '/')
                a += 2;
            p.account = pay_strdup(c->doc, a);
            first = 1;
        }
        switch (s->option) {
        case 'A':
            if (first < f->n_lines)
                set_bic(c, &p, f, f->lines[first]);
            else
                mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path, "BIC missing");
            if (s->kind == FK_CUSTOMER)
                p.type = INTERDICT_PARTY_ENTITY;
            break;
        case 'B':
            for (size_t i = first; i < f->n_lines; i++)
                pay_party_address(&p, f->lines[i], p.field);
            break;
        case 'C':
            break;
        case 'F':
            read_structured(c, &p, f, first, false);
            break;
        default:
            read_name_address(c, &p, f, first);
            if (!*p.name)
                mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path, "no name to screen");
            break;
        }
    }
    pay_party_add(c->doc, cur(c), &p);
}

/* Lines x width, account line, character set. Returns false when the field
 * breaks its format (the error names it). */
static bool check_format(mt_ctx *c, const mt_field *f, const mt_spec *s)
{
    bool ok = true;
    for (size_t i = 0; i < f->n_lines; i++) {
        long bad = bad_x_char(f->lines[i]);
        if (bad >= 0) {
            unsigned char ch = (unsigned char)f->lines[i][bad];
            mt_error(c, INTERDICT_ERR_ENCODING, f->line + (long)i, f->path,
                     "character 0x%02X (line %zu, column %ld) is not in the SWIFT X character set",
                     ch, i + 1, bad + 1);
            return false;
        }
    }
    size_t first = 0;
    if (s->acct == ACCT_ONLY) {
        if (f->n_lines != 1 || f->lines[0][0] != '/' || strlen(f->lines[0]) > 35) {
            mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path,
                     "must be one line /account of at most 34 characters");
            return false;
        }
        return true;
    }
    if (s->acct != ACCT_NONE && f->n_lines && f->lines[0][0] == '/') {
        size_t max = s->acct == ACCT_PARTY_ID ? 37 : 35;
        if (strlen(f->lines[0]) > max) {
            mt_error(c, INTERDICT_ERR_LIMIT, f->line, f->path,
                     "account line is %zu characters, over the limit of %zu",
                     strlen(f->lines[0]), max);
            ok = false;
        }
        first = 1;
    }
    size_t n = f->n_lines - first;
    if (n == 0 || (n == 1 && !*f->lines[first] && s->lines)) {
        mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path, "field is empty");
        return false;
    }
    if (n > s->lines) {
        mt_error(c, INTERDICT_ERR_LIMIT, f->line, f->path, "%zu lines, at most %u%s", n, s->lines,
                 first ? " after the account" : "");
        ok = false;
    }
    for (size_t i = first; i < f->n_lines; i++) {
        size_t len = strlen(f->lines[i]);
        if (len > s->width) {
            mt_error(c, INTERDICT_ERR_LIMIT, f->line + (long)i, f->path,
                     "line %zu is %zu characters, over the limit of %u", i + 1, len, s->width);
            ok = false;
        }
    }
    return ok;
}

static void read_field(mt_ctx *c, const mt_field *f, const mt_spec *s)
{
    bool ok = check_format(c, f, s);
    if (!ok && s->kind == FK_OTHER)
        return;
    if (!strcmp(f->tag, "20")) {
        cur(c)->id = f->lines[0];
        PAY_AT(cur(c)->txs, pay_tx, 0)->id = f->lines[0];
    } else if (!strcmp(f->tag, "32A") && !valid_32a(f->lines[0])) {
        mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path,
                 "\"%.30s\" is not date, currency and amount (6!n3!a15d)", f->lines[0]);
    } else if (!strcmp(f->tag, "71A") && strcmp(f->lines[0], "BEN") && strcmp(f->lines[0], "OUR") &&
               strcmp(f->lines[0], "SHA")) {
        mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path, "must be BEN, OUR or SHA");
    }
    if (s->kind == FK_CUSTOMER || s->kind == FK_AGENT) {
        read_party_field(c, f, s);
    } else if (s->kind == FK_TEXT) {
        size_t total = 0;
        for (size_t i = 0; i < f->n_lines; i++)
            total += strlen(f->lines[i]) + 1;
        char *buf = arena_alloc(&c->doc->mem, total + 1);
        if (!buf) {
            c->doc->oom = true;
            return;
        }
        size_t k = 0;
        for (size_t i = 0; i < f->n_lines; i++) {
            size_t n = strlen(f->lines[i]);
            if (k)
                buf[k++] = '\n';
            memcpy(buf + k, f->lines[i], n);
            k += n;
        }
        buf[k] = '\0';
        pay_text t = {s->role, pay_strdup(c->doc, f->path), buf, 0, PAY_ALL_TX, f->line};
        if (*buf)
            pay_text_add(c->doc, cur(c), &t);
    }
}

/* ---- Block 4 ---------------------------------------------------------------------- */

static long count_lines(const char *s, size_t n)
{
    long k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}


/* ":20:" at the start of a line: the tag's length (3 or 4 + colons), or 0. */
static size_t tag_at(const char *s, size_t n, char tag[4])
{
    if (n < 4 || s[0] != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
        return 0;
    if (s[3] == ':') {
        tag[0] = s[1], tag[1] = s[2], tag[2] = '\0';
        return 4;
    }
    if (n >= 5 && isupper((unsigned char)s[3]) && s[4] == ':') {
        tag[0] = s[1], tag[1] = s[2], tag[2] = s[3], tag[3] = '\0';
        return 5;
    }
    return 0;
}

typedef struct mt_fields {
    mt_field *items;
    size_t n, cap;
} mt_fields;

static mt_field *add_field(mt_ctx *c, mt_fields *fs)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 16;
        mt_field *q = realloc(fs->items, cap * sizeof *q);
        if (!q) {
            c->doc->oom = true;
            return NULL;
        }
        fs->items = q;
        fs->cap = cap;
    }
    mt_field *f = &fs->items[fs->n++];
    memset(f, 0, sizeof *f);
    return f;
}

/* Splits block 4 into fields. */
static void split_fields(mt_ctx *c, const char *text, size_t len, long line, mt_fields *fs)
{
    size_t i = 0;
    /* the text starts on the line after "{4:" */
    if (i < len && text[i] == '\r')
        i++;
    if (i < len && text[i] == '\n') {
        i++;
        line++;
    } else if (len) {
        mt_error(c, INTERDICT_ERR_FORMAT, line, "block 4", "text must start on a new line after {4:");
    }
    mt_field *f = NULL;
    size_t total_lines = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n' && text[e] != '\r')
            e++;
        const char *s = text + i;
        size_t n = e - i;
        char tag[4];
        size_t t = tag_at(s, n, tag);
        if (t) {
            f = add_field(c, fs);
            if (!f)
                return;
            memcpy(f->tag, tag, sizeof tag);
            f->line = line;
            s += t;
            n -= t;
        } else if (!f) {
            mt_error(c, INTERDICT_ERR_FORMAT, line, "block 4",
                     "text before the first field: \"%.*s\"", (int)(n < 30 ? n : 30), s);
            f = NULL;
        }
        if (f) {
            if (++total_lines > MT_MAX_LINES || f->n_lines == MT_MAX_LINES) {
                mt_error(c, INTERDICT_ERR_LIMIT, line, f->tag, "more than %d lines", MT_MAX_LINES);
                return;
            }
            f->lines[f->n_lines++] = pay_strndup(c->doc, s, n);
        }
        /* CRLF or LF ends a line; a lone CR too */
        if (e < len && text[e] == '\r')
            e++;
        if (e < len && text[e] == '\n')
            e++;
        line++;
        i = e;
    }
}

/* Checks the fields against the message type and reads them. */
static void read_text_block(mt_ctx *c, const char *text, size_t len, long line, const char *mt,
                            bool cov_flag)
{
    if (len > MT_MAX_TEXT)
        mt_error(c, INTERDICT_ERR_LIMIT, line, "block 4",
                 "%zu characters, over the %d a message may hold", len, MT_MAX_TEXT);
    /* a NUL byte would cut the line it is on short, unseen by the checks */
    const char *nul = memchr(text, '\0', len);
    if (nul)
        mt_error(c, INTERDICT_ERR_ENCODING, line + count_lines(text, (size_t)(nul - text)), "block 4",
                 "character 0x00 is not in the SWIFT X character set");
    mt_fields fs = {0};
    split_fields(c, text, len, line, &fs);
    bool is103 = !strcmp(mt, "103");
    /* sequence B of an MT202COV starts at its field 50a */
    size_t seq_b = fs.n;
    if (!is103)
        for (size_t i = 0; i < fs.n; i++)
            if (!strncmp(fs.items[i].tag, "50", 2)) {
                seq_b = i;
                break;
            }
    bool cov = !is103 && (cov_flag || seq_b < fs.n);
    cur(c)->type = is103 ? "MT103" : cov ? "MT202COV" : "MT202";
    if (cov && !cov_flag)
        mt_error(c, INTERDICT_ERR_FORMAT, line, "block 3",
                 "MT202 with an underlying customer transfer (sequence B) but no {119:COV}");
    if (cov && cov_flag && seq_b == fs.n)
        mt_error(c, INTERDICT_ERR_FORMAT, line, "B/50a",
                 "MT202COV without sequence B (underlying customer credit transfer)");

    for (size_t i = 0; i < fs.n; i++) {
        mt_field *f = &fs.items[i];
        f->seq_b = i >= seq_b;
        snprintf(f->path, sizeof f->path, "%s%s", f->seq_b ? "B/" : "", f->tag);
        const char *const *allowed = is103 ? MT103_ALLOWED : f->seq_b ? COV_B_ALLOWED : MT202_ALLOWED;
        const mt_spec *s = spec_of(f->tag);
        if (!s || !in_set(allowed, f->tag)) {
            mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path, "field %s is not allowed in %s%s",
                     f->tag, cur(c)->type, f->seq_b ? " sequence B" : "");
            continue;
        }
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++)
            repeated = fs.items[k].seq_b == f->seq_b &&
                       !strncmp(fs.items[k].tag, f->tag, 2) && !in_set(REPEATABLE, f->tag);
        if (repeated)
            mt_error(c, INTERDICT_ERR_FORMAT, f->line, f->path, "field %.2s given more than once",
                     f->tag);
        if (f->n_lines == 0)
            continue;
        read_field(c, f, s);
    }
    /* mandatory fields, per sequence */
    for (int b = 0; b < 2; b++) {
        const char *const *need = is103 ? (b ? NULL : MT103_MANDATORY)
                                        : b ? (cov ? COV_B_MANDATORY : NULL) : MT202_MANDATORY;
        for (; need && *need; need++) {
            bool found = false;
            for (size_t i = 0; i < fs.n && !found; i++)
                found = fs.items[i].seq_b == (b == 1) && tag_matches(*need, fs.items[i].tag);
            if (!found)
                mt_error(c, INTERDICT_ERR_FORMAT, line, pay_printf(c->doc, "%s%s", b ? "B/" : "", *need),
                         "mandatory field %s missing%s", *need, b ? " in sequence B" : "");
        }
    }
    free(fs.items);
}

/* ---- Blocks 1 to 3 ------------------------------------------------------------------ */

static void add_header_party(mt_ctx *c, const char *bic, const char *field, const char *role,
                             long line)
{
    mt_field f;
    memset(&f, 0, sizeof f);
    snprintf(f.path, sizeof f.path, "%s", field);
    f.line = line;
    pay_party p = new_party(c, &f, role, true);
    p.field = field;
    p.bic = pay_strdup(c->doc, bic);
    p.bic_field = field;
    char cc[3] = {bic[4], bic[5], 0};
    if (pay_is_country_code(cc))
        pay_party_country(&p, cc, field, "BIC");
    pay_party_add(c->doc, cur(c), &p);
}

/* Returns the 119 validation flag value ("COV", "STP", ...) or "". */
static const char *read_user_header(mt_ctx *c, const char *s, size_t n, long line)
{
    const char *flag = "";
    size_t i = 0;
    while (i < n) {
        size_t colon = i + 1;
        while (colon < n && isdigit((unsigned char)s[colon]))
            colon++;
        size_t end = colon;
        while (end < n && s[end] != '}' && s[end] != '{')
            end++;
        if (s[i] != '{' || colon == i + 1 || colon >= n || s[colon] != ':' || end >= n ||
            s[end] != '}') {
            mt_error(c, INTERDICT_ERR_FORMAT, line, "block 3", "malformed user header field");
            return flag;
        }
        if (colon - i - 1 == 3 && !strncmp(s + i + 1, "119", 3))
            flag = pay_strndup(c->doc, s + colon + 1, end - colon - 1);
        for (size_t k = colon + 1; k < end; k++)
            if (!is_x_char((unsigned char)s[k])) {
                mt_error(c, INTERDICT_ERR_ENCODING, line, "block 3",
                         "character 0x%02X is not in the SWIFT X character set",
                         (unsigned char)s[k]);
                return flag;
            }
        i = end + 1;
    }
    return flag;
}

/* Everything of one message is in; check and read it. */
static void finish_message(mt_ctx *c, const mt_blocks *b)
{
    bool any = false;
    for (int i = 0; i < N_BLOCKS; i++)
        any |= b->have[i];
    if (!any)
        return;   /* only text that is no block: already reported */
    if (!b->have[B1]) {
        mt_error(c, INTERDICT_ERR_FORMAT, cur(c)->line, "block 1", "basic header block {1:} missing");
    } else if (b->len[B1] != 25 || !(b->text[B1][0] == 'F' || b->text[B1][0] == 'A' ||
                                     b->text[B1][0] == 'L') ||
               !all_of(b->text[B1] + 1, 2, isdigit) || !all_of(b->text[B1] + 15, 10, isdigit)) {
        mt_error(c, INTERDICT_ERR_FORMAT, b->line[B1], "block 1",
                 "basic header must be F01 + 12-character address + session and sequence number");
    }
    if (!b->have[B2]) {
        mt_error(c, INTERDICT_ERR_FORMAT, cur(c)->line, "block 2",
                 "application header {2:} missing: message type unknown");
        return;
    }
    const char *h = b->text[B2];
    size_t hn = b->len[B2];
    bool input = hn >= 1 && h[0] == 'I', output = hn >= 1 && h[0] == 'O';
    if ((!input && !output) || hn < 4 || !all_of(h + 1, 3, isdigit) ||
        (input && (hn < 16 || hn > 21)) || (output && (hn < 46 || hn > 47))) {
        mt_error(c, INTERDICT_ERR_FORMAT, b->line[B2], "block 2",
                 "application header must be I + type + receiver or O + type + time + MIR");
        return;
    }
    char mt[4] = {h[1], h[2], h[3], 0};
    cur(c)->type = pay_printf(c->doc, "MT%s", mt);
    /* the sender and receiver */
    char bic[12];
    if (b->have[B1] && b->len[B1] == 25 && lt_to_bic(b->text[B1] + 3, bic))
        add_header_party(c, bic, "block 1", input ? "sender" : "receiver", b->line[B1]);
    else if (b->have[B1] && b->len[B1] == 25)
        mt_error(c, INTERDICT_ERR_INVALID, b->line[B1], "block 1", "address is not a BIC");
    const char *lt = input ? h + 4 : h + 14;
    if (lt_to_bic(lt, bic))
        add_header_party(c, bic, "block 2", input ? "receiver" : "sender", b->line[B2]);
    else
        mt_error(c, INTERDICT_ERR_INVALID, b->line[B2], "block 2", "address is not a BIC");

    const char *flag = b->have[B3] ? read_user_header(c, b->text[B3], b->len[B3], b->line[B3]) : "";
    if (strcmp(mt, "103") != 0 && strcmp(mt, "202") != 0) {
        mt_error(c, INTERDICT_ERR_FORMAT, b->line[B2], "block 2",
                 "MT%s is not a supported message type (MT103, MT202, MT202COV)", mt);
        return;
    }
    if (!b->have[B4]) {
        mt_error(c, INTERDICT_ERR_FORMAT, cur(c)->line, "block 4", "text block {4:} missing");
        return;
    }
    pay_tx *t = pay_vec_push(c->doc, &cur(c)->txs);
    if (!t)
        return;
    t->id = "";
    t->field = "";
    t->line = b->line[B4];
    read_text_block(c, b->text[B4], b->len[B4], b->line[B4], mt, !strcmp(flag, "COV"));
}

/* ---- Blocks ------------------------------------------------------------------------ */

static int block_index(char id)
{
    switch (id) {
    case '1': return B1;
    case '2': return B2;
    case '3': return B3;
    case '4': return B4;
    case '5': return B5;
    case 'S': return BS;
    }
    return -1;
}

/* End of a brace block starting at s[0] == '{' (nested one or two levels, as
 * in {3:{108:X}}), or n when it is not closed. */
static size_t block_end(const char *s, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '{' && ++depth > 3)
            return n;
        if (s[i] == '}' && --depth == 0)
            return i + 1;
    }
    return n;
}

void pay_parse_mt(pay_doc *doc, const char *data, size_t len)
{
    mt_ctx c = {doc, 0};
    mt_blocks b;
    bool open = false;
    size_t before = doc->msgs.n;
    size_t i = 0;
    long line = 1;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && !doc->oom) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\n') {
            line++;
            i++;
            continue;
        }
        /* blank space, RJE '$' separators, SOH/ETX of DOS-PCC files */
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '$' || ch == 0x01 || ch == 0x03) {
            i++;
            continue;
        }
        int id = ch == '{' && i + 2 < len && data[i + 2] == ':' ? block_index(data[i + 1]) : -1;
        if (id < 0) {
            /* not a block: report it and go on at the next brace */
            size_t start = i;
            long at = line;
            while (i < len && data[i] != '{') {
                line += data[i] == '\n';
                i++;
            }
            if (i == start)   /* a brace that opens no known block */
                i++;
            if (!open) {
                if (!pay_msg_new(doc, at))
                    return;
                c.msg = doc->msgs.n - 1;
                memset(&b, 0, sizeof b);
                b.last = BS;   /* whatever follows starts a new message */
                open = true;
            }
            char shown[24];
            size_t k = 0;
            for (size_t j = start; j < len && k + 1 < sizeof shown && data[j] != '\n' && data[j] != '\r'; j++)
                shown[k++] = isprint((unsigned char)data[j]) ? data[j] : '?';
            shown[k] = '\0';
            mt_error(&c, INTERDICT_ERR_FORMAT, at, "",
                     "not a SWIFT message block ({1:...}{2:...}{4:...-}): \"%s\"", shown);
            continue;
        }
        if (!open || id <= b.last) {
            if (open)
                finish_message(&c, &b);
            if (!pay_msg_new(doc, line))
                return;
            c.msg = doc->msgs.n - 1;
            memset(&b, 0, sizeof b);
            open = true;
        }
        b.last = id;
        b.have[id] = true;
        b.line[id] = line;
        const char *content = data + i + 3;
        size_t rest = len - i - 3, end, next;
        if (id == B4) {
            /* the text ends with CRLF "-}" (or LF "-}") */
            end = rest;
            for (size_t k = 0; k + 1 < rest; k++)
                if (content[k] == '-' && content[k + 1] == '}' && (k == 0 || content[k - 1] == '\n')) {
                    end = k;
                    break;
                }
            if (end == rest) {
                mt_error(&c, INTERDICT_ERR_FORMAT, line, "block 4",
                         "text block not closed by -}: the message is truncated");
                next = rest;
            } else {
                next = end + 2;
                /* drop the line break before "-}" */
                if (end && content[end - 1] == '\n')
                    end--;
                if (end && content[end - 1] == '\r')
                    end--;
            }
        } else {
            size_t e = block_end(data + i, len - i);
            if (e == len - i) {
                mt_error(&c, INTERDICT_ERR_FORMAT, line, pay_printf(doc, "block %c", data[i + 1]),
                         "block not closed by }: the message is truncated");
                end = next = rest;
            } else {
                end = e - 4;   /* without "{n:" and "}" */
                next = e - 3;
            }
        }
        b.text[id] = content;
        b.len[id] = end;
        line += count_lines(data + i, 3 + next);
        i += 3 + next;
    }
    if (open)
        finish_message(&c, &b);
    if (doc->msgs.n == before && !doc->oom && pay_msg_new(doc, 1)) {
        c.msg = doc->msgs.n - 1;
        mt_error(&c, INTERDICT_ERR_FORMAT, 1, "", "no SWIFT message in the input");
    }
}
