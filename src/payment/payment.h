/* payment.h - payment messages: the model the parsers fill and the
 * screener reads.
 *
 * A parsed input is a list of messages. Each message has transactions
 * (one for an MT103 or MT202COV, one per CdtTrfTxInf in ISO 20022) and a
 * flat list of parties, free-text fields and errors. Every party, text and
 * error carries the range of transactions it belongs to, so a debtor given
 * once for a whole pain.001 PmtInf is screened once and counts for each of
 * its transactions. */
#ifndef INTERDICT_PAYMENT_H
#define INTERDICT_PAYMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "interdict.h"
#include "../util/arena.h"

/* Largest input file: a payment file holds thousands of messages at most. */
#define PAY_MAX_INPUT ((size_t)64 * 1024 * 1024)

/* tx_hi of something that belongs to every transaction of its message. */
#define PAY_ALL_TX SIZE_MAX

#define PAY_MAX_ADDRESS 24      /* address lines kept per party */
#define PAY_MAX_COUNTRIES 12    /* countries recorded per party */

/* A growable array of fixed-size items (malloc'd). */
typedef struct pay_vec {
    unsigned char *items;
    size_t n, cap, size;
} pay_vec;

#define PAY_AT(vec, type, i) ((type *)(void *)((vec).items + (size_t)(i) * sizeof(type)))

/* A country tied to a party, and where the message said so. */
typedef struct pay_country {
    char code[3];               /* ISO 3166 alpha-2 */
    const char *field;          /* element path or MT tag it came from */
    const char *source;         /* "address", "BIC", "IBAN", "residence", ... */
} pay_country;

typedef struct pay_party {
    const char *role;           /* "creditor", "ordering customer", ... */
    const char *field;          /* the party's element path or MT tag */
    interdict_party_type type;
    bool agent;                 /* a financial institution */
    const char *name;           /* "" when the party has none */
    const char *name_field;
    const char *name_joined;    /* MT: a name that runs on into the next line, or NULL */
    const char *dob;            /* "YYYY-MM-DD" or NULL */
    const char *address[PAY_MAX_ADDRESS];
    const char *address_field[PAY_MAX_ADDRESS];
    size_t n_address;
    pay_country countries[PAY_MAX_COUNTRIES];
    size_t n_countries;
    const char *bic;            /* "" when none */
    const char *bic_field;
    const char *account;        /* IBAN or other account id, "" when none */
    size_t tx_lo, tx_hi;        /* transactions it belongs to (0-based, inclusive) */
    long line;
} pay_party;

/* A free-text field: remittance information, MT 70/72, purpose, ... */
typedef struct pay_text {
    const char *role;           /* "remittance information", ... */
    const char *field;
    const char *text;
    size_t tx_lo, tx_hi;
    long line;
} pay_text;

typedef struct pay_error {
    interdict_error err;
    size_t tx_lo, tx_hi;        /* PAY_ALL_TX: the message as a whole */
} pay_error;

typedef struct pay_tx {
    const char *id;             /* EndToEndId, TxId or MT field 20; "" when none */
    const char *field;          /* "CdtTrfTxInf[2]", "PmtInf[1]/CdtTrfTxInf[1]", "" */
    long line;
} pay_tx;

typedef struct pay_msg {
    const char *type;           /* "pacs.008.001.08", "MT103", ... or "" */
    const char *id;             /* MsgId or MT field 20 */
    long line;
    pay_vec parties;            /* pay_party */
    pay_vec texts;              /* pay_text */
    pay_vec errors;             /* pay_error */
    pay_vec txs;                /* pay_tx */
} pay_msg;

/* A parsed input. Strings live in `mem`; the vectors are malloc'd. */
typedef struct pay_doc {
    arena mem;
    const char *file;           /* name used in error records */
    pay_vec msgs;               /* pay_msg */
    bool oom;                   /* sticky: an allocation failed */
} pay_doc;

/* ---- Building the model (model.c) ----------------------------------------- */

void pay_doc_init(pay_doc *doc, const char *file);
void pay_doc_free(pay_doc *doc);

/* Parses the bytes (format from the content: ISO 20022 XML or SWIFT MT)
 * into doc. Anything unreadable becomes an error of the message it was
 * found in (or of a message made for it), never a silent skip. Returns
 * INTERDICT_ERR_NOMEM when memory ran out, else INTERDICT_OK. */
interdict_status pay_parse(pay_doc *doc, const char *data, size_t len);

/* The format parsers behind pay_parse (mx.c, mt.c). */
void pay_parse_mx(pay_doc *doc, const char *data, size_t len);
void pay_parse_mt(pay_doc *doc, const char *data, size_t len);

void pay_vec_init(pay_vec *v, size_t item_size);
void pay_vec_free(pay_vec *v);
/* Appends a zeroed item; NULL (and doc->oom set) when out of memory. */
void *pay_vec_push(pay_doc *doc, pay_vec *v);

/* A new, empty message; NULL when out of memory. */
pay_msg *pay_msg_new(pay_doc *doc, long line);

/* Arena copies; "" for empty input or when out of memory (oom set). */
const char *pay_strndup(pay_doc *doc, const char *s, size_t n);
const char *pay_strdup(pay_doc *doc, const char *s);
const char *pay_printf(pay_doc *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records an error of the message for transactions tx_lo..tx_hi. */
void pay_error_add(pay_doc *doc, pay_msg *m, size_t tx_lo, size_t tx_hi,
                   interdict_status code, long line, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* Adds a copy of the party / text; returns false when out of memory. */
bool pay_party_add(pay_doc *doc, pay_msg *m, const pay_party *p);
bool pay_text_add(pay_doc *doc, pay_msg *m, const pay_text *t);

/* Adds an address line / country to a party under construction; false
 * when the party already holds the most it may. */
bool pay_party_address(pay_party *p, const char *line, const char *field);
bool pay_party_country(pay_party *p, const char *code, const char *field, const char *source);

/* 1 when s (n bytes) is a well-formed BIC: 4!a2!a2!c[3!c], upper case. */
bool pay_is_bic(const char *s, size_t n);

/* The country of an address line written out ("TEHRAN, IRAN", "10115
 * BERLIN DE"): the last words as a country name or an upper-case ISO code.
 * Writes the alpha-2 code to out[3]; false when none is recognised. */
bool pay_country_in_line(const char *line, char out[3]);

/* ISO 3166 alpha-2 code check against ICU's list of countries. */
bool pay_is_country_code(const char *code);

/* ---- Rules (rules.c) ----------------------------------------------------- */

typedef struct pay_rule_country {
    char code[3];
    const char *name;           /* "Iran", ... */
    const char *reason;
} pay_rule_country;

typedef struct pay_rule_region {
    const char *name;           /* "Crimea" */
    char country[3];            /* "UA" or "" */
    const char *reason;
    const char *const *terms;   /* normalised (lower-case Latin) words */
    size_t n_terms;
} pay_rule_region;

typedef struct pay_rule_bic {
    char bic[12];               /* 8 characters, or 11 with a branch */
    const char *reason;
    const interdict_entry *entry;   /* the listed entry it came from, or NULL */
} pay_rule_bic;

const pay_rule_country *pay_rules_country(const interdict_payment_rules *r, const char *code);
/* Listed BIC matching bic (8 or 11 characters): same institution code for
 * an 8-character (or XXX) listing, same branch for an 11-character one. */
const pay_rule_bic *pay_rules_bic(const interdict_payment_rules *r, const char *bic, size_t n);
/* First region named in the normalised text (word boundaries); *term gets
 * the term that matched. */
const pay_rule_region *pay_rules_region(const interdict_payment_rules *r, const char *norm,
                                        const char **term);

#endif
