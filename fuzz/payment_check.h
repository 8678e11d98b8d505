/* payment_check.h - what every payment fuzz target checks: the parsed model
 * and the screening report keep the promises of payment.h and interdict.h,
 * and nothing unreadable passes. */
#ifndef INTERDICT_FUZZ_PAYMENT_CHECK_H
#define INTERDICT_FUZZ_PAYMENT_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"
#include "payment/payment.h"

static interdict_list *fuzz_list;
static interdict_index *fuzz_index;
static interdict_payment_rules *fuzz_rules;
static interdict_payment_screener *fuzz_screener;

static void fuzz_setup(void)
{
    interdict_error err;
    if (interdict_list_load(FUZZ_LIST, &fuzz_list, &err) != INTERDICT_OK)
        abort();
    const interdict_list *lists[1] = {fuzz_list};
    if (interdict_index_build(lists, 1, &fuzz_index, &err) != INTERDICT_OK ||
        interdict_payment_rules_default(fuzz_index, &fuzz_rules, &err) != INTERDICT_OK ||
        interdict_payment_screener_new(fuzz_index, fuzz_rules, 0, &fuzz_screener, &err) != INTERDICT_OK)
        abort();
}

static void need(int ok)
{
    if (!ok)
        abort();
}

static int in_range(size_t lo, size_t hi, size_t n_tx)
{
    return (lo == 0 && hi == PAY_ALL_TX) || (lo <= hi && hi < n_tx);
}

/* The model a parser filled. */
static void check_doc(const pay_doc *doc)
{
    need(doc->msgs.n > 0);   /* even garbage makes a message with an error */
    for (size_t i = 0; i < doc->msgs.n; i++) {
        const pay_msg *m = PAY_AT(doc->msgs, pay_msg, i);
        need(m->type && m->id);
        size_t n_tx = m->txs.n;
        need(n_tx > 0 || m->errors.n > 0);
        for (size_t k = 0; k < m->txs.n; k++) {
            const pay_tx *t = PAY_AT(m->txs, pay_tx, k);
            need(t->id && t->field);
        }
        for (size_t k = 0; k < m->parties.n; k++) {
            const pay_party *p = PAY_AT(m->parties, pay_party, k);
            need(p->role && p->field && p->name && p->bic && p->account);
            need(in_range(p->tx_lo, p->tx_hi, n_tx) || n_tx == 0);
            need(p->n_address <= PAY_MAX_ADDRESS && p->n_countries <= PAY_MAX_COUNTRIES);
            for (size_t a = 0; a < p->n_address; a++)
                need(p->address[a] && p->address_field[a]);
            for (size_t c = 0; c < p->n_countries; c++)
                need(strlen(p->countries[c].code) == 2 && p->countries[c].field && p->countries[c].source);
            if (*p->bic)
                need(pay_is_bic(p->bic, strlen(p->bic)) && p->bic_field);
            if (*p->name)
                need(p->name_field != NULL);
        }
        for (size_t k = 0; k < m->texts.n; k++) {
            const pay_text *t = PAY_AT(m->texts, pay_text, k);
            need(t->role && t->field && t->text && *t->text);
            need(in_range(t->tx_lo, t->tx_hi, n_tx) || n_tx == 0);
        }
        for (size_t k = 0; k < m->errors.n; k++) {
            const pay_error *e = PAY_AT(m->errors, pay_error, k);
            need(e->err.code != INTERDICT_OK && e->err.message[0] && !strcmp(e->err.file, "fuzz"));
            need(in_range(e->tx_lo, e->tx_hi, n_tx) || n_tx == 0);
        }
    }
}

/* The report: an error or an empty message is a hold, a hit is a hold. */
static void check_report(const interdict_payment_screener *s)
{
    size_t n = interdict_payment_message_count(s);
    need(n > 0);
    for (size_t i = 0; i < n; i++) {
        const interdict_payment_message *m = interdict_payment_message_at(s, i);
        need(m && m->type && m->id && m->number == i + 1);
        int any = m->n_errors > 0 || m->n_transactions == 0;
        for (size_t e = 0; e < m->n_errors; e++)
            need(m->errors[e].code != INTERDICT_OK && m->errors[e].message[0]);
        for (size_t t = 0; t < m->n_transactions; t++) {
            const interdict_payment_transaction *tx = &m->transactions[t];
            need(tx->id && tx->field && tx->number == t + 1);
            int held = tx->n_hits > 0 || tx->n_errors > 0 || m->n_errors > 0;
            need(tx->hold == held);
            any |= held;
            for (size_t h = 0; h < tx->n_hits; h++) {
                const interdict_payment_hit *hit = &tx->hits[h];
                need(hit->field && hit->role && hit->value && hit->reason && *hit->reason);
                if (hit->kind == INTERDICT_PAYMENT_HIT_NAME || hit->kind == INTERDICT_PAYMENT_HIT_TEXT)
                    need(hit->match && hit->entry && hit->match->entry == hit->entry);
            }
            for (size_t p = 0; p < tx->n_parties; p++)
                need(tx->parties[p]->role && tx->parties[p]->name && tx->parties[p]->country);
            for (size_t c = 0; c < tx->n_countries; c++)
                need(strlen(tx->countries[c]) == 2);
        }
        need(m->hold == any);
    }
}

/* One input: parsed by `parse` into the model, which must keep its
 * invariants, then screened whole, whose report must hold everything it
 * could not read. */
static void check_payment_input(void (*parse)(pay_doc *, const char *, size_t),
                                const uint8_t *data, size_t size)
{
    pay_doc doc;
    pay_doc_init(&doc, "fuzz");
    parse(&doc, (const char *)data, size);
    if (!doc.oom)
        check_doc(&doc);
    pay_doc_free(&doc);

    interdict_error err;
    if (interdict_payment_screen_memory(fuzz_screener, (const char *)data, size, "fuzz", &err) ==
        INTERDICT_OK)
        check_report(fuzz_screener);
}

#endif
