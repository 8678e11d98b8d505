/* screen.c - screening parsed payment messages and the public report.
 *
 * Each party is screened once: its name through interdict_screen() (with
 * its type and date of birth when the message gives them), its BIC against
 * the listed BICs, its countries against the embargoed jurisdictions and its
 * address lines against the embargoed regions. Free-text fields, and names
 * long enough to hide another name, go through screen_free_text(). The hits
 * then go to every transaction the party or field belongs to, and a
 * transaction with a hit or an error is held. */
#include "payment.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../match/index.h"
#include "../text/normalize.h"
#include "../text/tokens.h"
#include "../util/error.h"


typedef struct pay_hit {
    interdict_payment_hit pub;
    size_t tx_lo, tx_hi;
} pay_hit;

/* A name already screened in this message (pain.001 repeats its debtor as
 * initiating party, a batch its debtor in every transaction): its hits are
 * hits[first..end). */
typedef struct name_memo {
    const char *name, *dob;
    uint64_t hash;
    interdict_party_type type;
    size_t first, end;
    interdict_status failed;      /* why it could not be screened, or OK */
    const char *why;
} name_memo;

struct interdict_payment_screener {
    const interdict_index *index;
    const interdict_payment_rules *rules;
    double threshold;
    interdict_result *result;
    interdict_text_result *text_result;   /* the free-text scanner's, reused */
    normalized_text *norm;        /* scratch for address lines and words */
    pay_doc doc;                  /* the last input and everything reported of it */
    pay_vec hits;                 /* pay_hit, one message at a time */
    pay_vec memo;                 /* name_memo, one message at a time */
    interdict_payment_message *msgs;
    size_t n_msgs;
};

const char *interdict_payment_hit_kind_name(interdict_payment_hit_kind kind)
{
    switch (kind) {
    case INTERDICT_PAYMENT_HIT_NAME: return "name";
    case INTERDICT_PAYMENT_HIT_TEXT: return "text";
    case INTERDICT_PAYMENT_HIT_BIC: return "bic";
    case INTERDICT_PAYMENT_HIT_COUNTRY: return "country";
    case INTERDICT_PAYMENT_HIT_REGION: return "region";
    }
    return "?";
}

/* ---- Hits ---------------------------------------------------------------------------- */

static pay_hit *new_hit(interdict_payment_screener *s, interdict_payment_hit_kind kind,
                        const char *field, const char *role, const char *value, size_t lo,
                        size_t hi)
{
    pay_hit *h = pay_vec_push(&s->doc, &s->hits);
    if (!h)
        return NULL;
    h->pub.kind = kind;
    h->pub.field = field ? field : "";
    h->pub.role = role ? role : "";
    h->pub.value = value ? value : "";
    h->pub.reason = "";
    h->tx_lo = lo;
    h->tx_hi = hi;
    return h;
}

/* A copy of a list match that outlives the result it came from. */
static const interdict_hit *keep_match(interdict_payment_screener *s, const interdict_hit *h)
{
    interdict_hit *c = arena_alloc(&s->doc.mem, sizeof *c);
    interdict_token_match *t = h->n_tokens ? arena_alloc(&s->doc.mem, h->n_tokens * sizeof *t) : NULL;
    if (!c || (h->n_tokens && !t)) {
        s->doc.oom = true;
        return NULL;
    }
    *c = *h;
    if (h->n_tokens)
        memcpy(t, h->tokens, h->n_tokens * sizeof *t);
    c->tokens = t;
    /* the sources live in the screening result, which the next name reuses */
    const interdict_entry **src = h->n_sources ? arena_alloc(&s->doc.mem, h->n_sources * sizeof *src)
                                               : NULL;
    if (h->n_sources && !src) {
        s->doc.oom = true;
        return NULL;
    }
    if (h->n_sources)
        memcpy(src, h->sources, h->n_sources * sizeof *src);
    c->sources = src;
    return c;
}

static const char *entry_kind(const interdict_entry *e)
{
    switch (e->type) {
    case INTERDICT_PARTY_PERSON: return "person";
    case INTERDICT_PARTY_ENTITY: return "entity";
    case INTERDICT_PARTY_VESSEL: return "vessel";
    case INTERDICT_PARTY_AIRCRAFT: return "aircraft";
    default: return "party";
    }
}

static void add_match_hit(interdict_payment_screener *s, interdict_payment_hit_kind kind,
                          const char *field, const char *role, const char *value,
                          const interdict_hit *h, size_t lo, size_t hi)
{
    const interdict_hit *m = keep_match(s, h);
    if (!m)
        return;
    pay_hit *ph = new_hit(s, kind, field, role, value, lo, hi);
    if (!ph)
        return;
    const interdict_entry *e = h->entry;
    char explain[512];
    interdict_hit_explain(h, explain, sizeof explain);
    ph->pub.match = m;
    ph->pub.entry = e;
    ph->pub.reason = pay_printf(&s->doc, "%s \"%.200s\" matches listed %s %s (%s) \"%.200s\"%s%.200s%s, score %.2f: %.300s",
                                kind == INTERDICT_PAYMENT_HIT_NAME ? "name" : "words", value,
                                entry_kind(e), e->ref, e->list, e->names[0].text,
                                strcmp(h->matched_name, e->names[0].text) ? " as \"" : "",
                                strcmp(h->matched_name, e->names[0].text) ? h->matched_name : "",
                                strcmp(h->matched_name, e->names[0].text) ? "\"" : "", h->score,
                                explain);
}

static void add_bic_hit(interdict_payment_screener *s, const pay_rule_bic *b, const char *field,
                        const char *role, const char *bic, size_t lo, size_t hi)
{
    pay_hit *ph = new_hit(s, INTERDICT_PAYMENT_HIT_BIC, field, role, bic, lo, hi);
    if (!ph)
        return;
    ph->pub.entry = b->entry;
    const char *scope = strlen(b->bic) == 8 ? "institution" : "branch";
    if (b->entry)
        ph->pub.reason = pay_printf(&s->doc, "BIC %s is the %s BIC %s of listed %s %s (%s) \"%.200s\"",
                                    bic, scope, b->bic, entry_kind(b->entry), b->entry->ref,
                                    b->entry->list, b->entry->names[0].text);
    else
        ph->pub.reason = pay_printf(&s->doc, "BIC %s is the %s BIC %s: %.300s", bic, scope, b->bic,
                                    b->reason ? b->reason : "listed");
}

/* ---- Parties ------------------------------------------------------------------------------ */

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Screens a name. One that cannot be screened (no letters, say) is an
 * error of the transactions the party belongs to. */
static void screen_name(interdict_payment_screener *s, pay_msg *m, const pay_party *p,
                        const char *name, bool skip_seen, size_t first_hit)
{
    const char *field = p->name_field ? p->name_field : p->field;
    uint64_t hash = name_hash(name);
    for (size_t i = 0; !skip_seen && i < s->memo.n; i++) {
        const name_memo *mm = PAY_AT(s->memo, name_memo, i);
        if (mm->hash != hash || mm->type != p->type || !same_text(mm->name, name) ||
            !same_text(mm->dob, p->dob))
            continue;
        if (mm->failed != INTERDICT_OK) {
            pay_error_add(&s->doc, m, p->tx_lo, p->tx_hi, mm->failed, p->line, field,
                          "the %s's name \"%.60s\" cannot be screened: %s", p->role, name, mm->why);
            return;
        }
        for (size_t k = mm->first; k < mm->end; k++) {
            pay_hit copy = *PAY_AT(s->hits, pay_hit, k);
            pay_hit *h = pay_vec_push(&s->doc, &s->hits);
            if (!h)
                return;
            *h = copy;
            h->pub.field = field;
            h->pub.role = p->role;
            h->tx_lo = p->tx_lo;
            h->tx_hi = p->tx_hi;
        }
        return;
    }
    interdict_query q;
    memset(&q, 0, sizeof q);
    q.name = name;
    q.type = p->type;
    q.dob = p->dob;
    q.threshold = s->threshold;
    interdict_error err;
    interdict_status st = interdict_screen(s->index, &q, s->result, &err);
    if (st == INTERDICT_ERR_INVALID && q.dob) {
        /* a date of birth the matcher cannot read must not stop the name */
        q.dob = NULL;
        st = interdict_screen(s->index, &q, s->result, &err);
    }
    name_memo *mm = skip_seen ? NULL : pay_vec_push(&s->doc, &s->memo);
    if (mm) {
        mm->name = name;
        mm->hash = hash;
        mm->dob = p->dob;
        mm->type = p->type;
        mm->first = s->hits.n;
        mm->failed = st;
        mm->why = st != INTERDICT_OK ? pay_strdup(&s->doc, err.message) : "";
    }
    if (st != INTERDICT_OK) {
        if (st == INTERDICT_ERR_NOMEM)
            s->doc.oom = true;
        pay_error_add(&s->doc, m, p->tx_lo, p->tx_hi, st, p->line, field,
                      "the %s's name \"%.60s\" cannot be screened: %s", p->role, name, err.message);
        return;
    }
    for (size_t i = 0; i < interdict_result_count(s->result); i++) {
        const interdict_hit *h = interdict_result_hit(s->result, i);
        bool seen = false;
        for (size_t k = first_hit; skip_seen && k < s->hits.n && !seen; k++)
            seen = PAY_AT(s->hits, pay_hit, k)->pub.entry == h->entry;
        if (!seen)
            add_match_hit(s, INTERDICT_PAYMENT_HIT_NAME, field, p->role, name, h, p->tx_lo,
                          p->tx_hi);
    }
    if (mm)
        mm->end = s->hits.n;
}

static const char *normalize_line(interdict_payment_screener *s, const char *line)
{
    interdict_error err;
    if (normalize_name(line, strlen(line), s->norm, "address", &err) != INTERDICT_OK)
        return NULL;
    return s->norm->text;
}

static void screen_free_text(interdict_payment_screener *s, pay_msg *m, const pay_text *t,
                             size_t skip_from);

static size_t word_count(const char *s)
{
    size_t n = 0;
    for (bool in = false; *s; s++) {
        bool space = *s == ' ' || *s == '\n' || *s == '\t';
        n += !space && !in;
        in = !space;
    }
    return n;
}

/* Names of this many words are read as text too. */
#define LONG_NAME_WORDS 5

static void screen_party(interdict_payment_screener *s, pay_msg *m, const pay_party *p)
{
    size_t first_hit = s->hits.n;
    if (*p->name)
        screen_name(s, m, p, p->name, false, first_hit);
    if (p->name_joined)
        screen_name(s, m, p, p->name_joined, true, first_hit);
    /* A long name, or one that runs over its line, may hold a listed name
     * among other words ("Friends of ... Relief Committee"): it is also
     * read as text, for the listed entries its name screening missed. */
    const char *long_name = p->name_joined ? p->name_joined
                            : *p->name && word_count(p->name) >= LONG_NAME_WORDS ? p->name
                                                                                 : NULL;
    if (long_name) {
        pay_text t = {pay_printf(&s->doc, "%s name", p->role),
                      p->name_field ? p->name_field : p->field, long_name, p->tx_lo, p->tx_hi,
                      p->line};
        screen_free_text(s, m, &t, first_hit);
    }
    if (*p->bic) {
        const pay_rule_bic *b = pay_rules_bic(s->rules, p->bic, strlen(p->bic));
        if (b)
            add_bic_hit(s, b, p->bic_field, p->role, p->bic, p->tx_lo, p->tx_hi);
    }
    for (size_t i = 0; i < p->n_countries; i++) {
        const pay_country *c = &p->countries[i];
        const pay_rule_country *rc = pay_rules_country(s->rules, c->code);
        if (!rc)
            continue;
        pay_hit *h = new_hit(s, INTERDICT_PAYMENT_HIT_COUNTRY, c->field, p->role, c->code,
                             p->tx_lo, p->tx_hi);
        if (h)
            h->pub.reason = pay_printf(&s->doc, "the %s's %s country %s (%s): %s", p->role, c->source,
                                       c->code, rc->name, rc->reason);
    }
    /* one hit per region and party, on the first line that names it */
    const pay_rule_region *seen[8];
    size_t n_seen = 0;
    for (size_t i = 0; i < p->n_address; i++) {
        const char *norm = normalize_line(s, p->address[i]);
        const char *term;
        const pay_rule_region *g = norm ? pay_rules_region(s->rules, norm, &term) : NULL;
        if (!g)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n_seen && !dup; k++)
            dup = seen[k] == g;
        if (dup)
            continue;
        if (n_seen < 8)
            seen[n_seen++] = g;
        pay_hit *h = new_hit(s, INTERDICT_PAYMENT_HIT_REGION, p->address_field[i], p->role,
                             p->address[i], p->tx_lo, p->tx_hi);
        if (h)
            h->pub.reason = pay_printf(&s->doc, "the %s's address names \"%s\": %s%s%s%s, %s",
                                       p->role, term, g->name, *g->country ? " (" : "", g->country,
                                       *g->country ? ")" : "", g->reason);
    }
}

/* ---- Free text ------------------------------------------------------------------------------ */

/* A listed BIC written in the text: any run of 8 or 11 letters and digits
 * shaped like a BIC. */
static void screen_text_bics(interdict_payment_screener *s, const pay_text *t)
{
    const char *text = t->text;
    size_t len = strlen(text);
    for (size_t pos = 0; pos < len;) {
        if (!isalnum((unsigned char)text[pos])) {
            pos++;
            continue;
        }
        size_t start = pos;
        while (pos < len && isalnum((unsigned char)text[pos]))
            pos++;
        size_t wl = pos - start;
        if ((wl == 8 || wl == 11) && pay_is_bic(text + start, wl)) {
            const pay_rule_bic *b = pay_rules_bic(s->rules, text + start, wl);
            if (b)
                add_bic_hit(s, b, t->field, t->role, pay_strndup(&s->doc, text + start, wl),
                            t->tx_lo, t->tx_hi);
        }
    }
}

/*
 * Finds listed parties named in running text: remittance information, MT
 * fields 70, 72 and 77B, purpose, instructions, and party names long enough
 * to hide another name. The free-text scanner reads names inside sentences,
 * across MT line breaks, inflected or with their article, and wants more
 * than an everyday word or a lone given name before it alerts. Entries the
 * party's own name screening already hit (hits from skip_from on) are not
 * repeated.
 */
static void screen_free_text(interdict_payment_screener *s, pay_msg *m, const pay_text *t,
                             size_t skip_from)
{
    screen_text_bics(s, t);
    interdict_text_options opt = {s->threshold, 0};
    interdict_error err;
    interdict_status st = interdict_screen_text(s->index, t->text, strlen(t->text), &opt,
                                                s->text_result, &err);
    if (st == INTERDICT_ERR_NOMEM) {
        s->doc.oom = true;
        return;
    }
    if (st != INTERDICT_OK) {
        pay_error_add(&s->doc, m, t->tx_lo, t->tx_hi, st, t->line, t->field,
                      "free text not screened: %s", err.message);
        return;
    }
    size_t n = interdict_text_result_count(s->text_result);
    for (size_t k = 0; k < n; k++) {
        const interdict_text_hit *th = interdict_text_result_hit(s->text_result, k);
        /* one hit per entry: not one the party's name already gave, and
         * the best-scoring mention in this text */
        bool seen = false;
        for (size_t j = skip_from; j < s->hits.n && !seen; j++)
            seen = PAY_AT(s->hits, pay_hit, j)->pub.entry == th->entry;
        for (size_t q = 0; q < n && !seen; q++) {
            const interdict_text_hit *o = interdict_text_result_hit(s->text_result, q);
            seen = q != k && o->entry == th->entry &&
                   (o->score > th->score || (o->score == th->score && q < k));
        }
        if (seen)
            continue;
        size_t vl = strlen(th->text);
        char *value = arena_alloc(&s->doc.mem, vl + 1);
        if (!value) {
            s->doc.oom = true;
            return;
        }
        for (size_t c = 0; c < vl; c++)   /* MT line breaks become spaces */
            value[c] = th->text[c] == '\n' || th->text[c] == '\r' ? ' ' : th->text[c];
        value[vl] = '\0';
        interdict_hit h;
        memset(&h, 0, sizeof h);
        h.entry = th->entry;
        h.score = h.name_score = th->score;
        h.matched_name = th->matched_name;
        h.matched_kind = th->matched_kind;
        h.sources = &th->entry;
        h.n_sources = 1;
        const interdict_hit *kept = keep_match(s, &h);
        pay_hit *ph = kept ? new_hit(s, INTERDICT_PAYMENT_HIT_TEXT, t->field, t->role, value,
                                     t->tx_lo, t->tx_hi)
                           : NULL;
        if (!ph)
            return;
        const interdict_entry *e = th->entry;
        ph->pub.match = kept;
        ph->pub.entry = e;
        ph->pub.reason = pay_printf(&s->doc, "words \"%.200s\" name listed %s %s (%s) \"%.200s\"%s%.200s%s, score %.2f: %.300s",
                                    value, entry_kind(e), e->ref, e->list, e->names[0].text,
                                    strcmp(th->matched_name, e->names[0].text) ? " as \"" : "",
                                    strcmp(th->matched_name, e->names[0].text) ? th->matched_name : "",
                                    strcmp(th->matched_name, e->names[0].text) ? "\"" : "",
                                    th->score, th->explanation ? th->explanation : "");
    }
}

/* ---- Report ------------------------------------------------------------------------------- */

static bool covers(size_t lo, size_t hi, size_t t) { return lo <= t && t <= hi; }

static bool message_wide(size_t lo, size_t hi) { return lo == 0 && hi == PAY_ALL_TX; }

static void build_party(interdict_payment_screener *s, const pay_party *p, interdict_payment_party *out)
{
    out->role = p->role ? p->role : "";
    out->field = p->field ? p->field : "";
    out->type = p->type;
    out->name = p->name ? p->name : "";
    out->address = p->address;
    out->n_address = p->n_address;
    out->bic = p->bic ? p->bic : "";
    out->account = p->account ? p->account : "";
    out->country = "";
    for (size_t pass = 0; pass < 2 && !*out->country; pass++)
        for (size_t i = 0; i < p->n_countries && !*out->country; i++)
            if (pass || !strncmp(p->countries[i].source, "address", 7))
                out->country = p->countries[i].code;
    (void)s;
}

static void *arena_array(interdict_payment_screener *s, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    void *p = arena_alloc(&s->doc.mem, n * size);
    if (!p)
        s->doc.oom = true;
    return p;
}

/* Items (hits, errors, parties) grouped by transaction: those of a single
 * transaction in buckets, those spanning several in a list of their own,
 * so a file of many transactions costs linear time. */
typedef struct tx_groups {
    size_t *start;          /* per transaction, into order; n_tx + 1 */
    size_t *order;          /* single-transaction items, by transaction */
    size_t *wide;           /* items spanning transactions */
    size_t n_wide;
} tx_groups;

static size_t item_lo(const pay_vec *v, size_t i, size_t off)
{
    size_t x;
    memcpy(&x, v->items + i * v->size + off, sizeof x);
    return x;
}

static bool group_by_tx(interdict_payment_screener *s, const pay_vec *v, size_t off_lo,
                        size_t off_hi, size_t n_tx, tx_groups *g)
{
    memset(g, 0, sizeof *g);
    g->start = arena_alloc(&s->doc.mem, (n_tx + 1) * sizeof *g->start);
    g->order = arena_alloc(&s->doc.mem, (v->n + 1) * sizeof *g->order);
    g->wide = arena_alloc(&s->doc.mem, (v->n + 1) * sizeof *g->wide);
    if (!g->start || !g->order || !g->wide) {
        s->doc.oom = true;
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        size_t lo = item_lo(v, i, off_lo), hi = item_lo(v, i, off_hi);
        if (lo != hi)
            g->wide[g->n_wide++] = i;
        else if (lo < n_tx)
            g->start[lo + 1]++;
    }
    for (size_t t = 0; t < n_tx; t++)
        g->start[t + 1] += g->start[t];
    size_t *fill = calloc(n_tx ? n_tx : 1, sizeof *fill);
    if (!fill) {
        s->doc.oom = true;
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        size_t lo = item_lo(v, i, off_lo), hi = item_lo(v, i, off_hi);
        if (lo == hi && lo < n_tx)
            g->order[g->start[lo] + fill[lo]++] = i;
    }
    free(fill);
    return true;
}

/* Indices of the items of transaction t, in input order, into out (which
 * holds at least n_wide + bucket size); returns how many. With skip_wide
 * set, items spanning the whole message are left out. */
static size_t items_of(const tx_groups *g, const pay_vec *v, size_t off_lo, size_t off_hi,
                       size_t t, bool skip_wide, size_t *out)
{
    size_t a = 0, b = g->start[t], n = 0;
    while (a < g->n_wide || b < g->start[t + 1]) {
        bool take_wide = b == g->start[t + 1] || (a < g->n_wide && g->wide[a] < g->order[b]);
        if (take_wide) {
            size_t i = g->wide[a++];
            size_t lo = item_lo(v, i, off_lo), hi = item_lo(v, i, off_hi);
            if (covers(lo, hi, t) && !(skip_wide && message_wide(lo, hi)))
                out[n++] = i;
        } else {
            out[n++] = g->order[b++];
        }
    }
    return n;
}

static void build_message(interdict_payment_screener *s, size_t mi, interdict_payment_message *out)
{
    pay_msg *m = PAY_AT(s->doc.msgs, pay_msg, mi);
    out->number = mi + 1;
    out->type = m->type ? m->type : "";
    out->id = m->id ? m->id : "";
    out->line = m->line;
    size_t n_tx = m->txs.n;
    if (n_tx == 0 && m->errors.n == 0)
        pay_error_add(&s->doc, m, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, m->line, "",
                      "no transaction could be read from the message");

    /* errors of the message as a whole (all of them when no transaction was read) */
    size_t n_msg_err = 0;
    for (size_t i = 0; i < m->errors.n; i++) {
        const pay_error *e = PAY_AT(m->errors, pay_error, i);
        n_msg_err += message_wide(e->tx_lo, e->tx_hi) || n_tx == 0;
    }
    interdict_error *errs = arena_array(s, n_msg_err, sizeof *errs);
    size_t k = 0;
    for (size_t i = 0; errs && i < m->errors.n; i++) {
        const pay_error *e = PAY_AT(m->errors, pay_error, i);
        if (message_wide(e->tx_lo, e->tx_hi) || n_tx == 0)
            errs[k++] = e->err;
    }
    out->errors = errs;
    out->n_errors = errs ? n_msg_err : 0;
    out->hold = out->n_errors > 0 || n_tx == 0;

    interdict_payment_party *parties = arena_array(s, m->parties.n, sizeof *parties);
    for (size_t i = 0; parties && i < m->parties.n; i++)
        build_party(s, PAY_AT(m->parties, pay_party, i), &parties[i]);
    interdict_payment_transaction *txs = arena_array(s, n_tx, sizeof *txs);
    if (!txs || (m->parties.n && !parties))
        return;
    out->transactions = txs;
    out->n_transactions = n_tx;

    tx_groups gh, ge, gp;
    if (!group_by_tx(s, &s->hits, offsetof(pay_hit, tx_lo), offsetof(pay_hit, tx_hi), n_tx, &gh) ||
        !group_by_tx(s, &m->errors, offsetof(pay_error, tx_lo), offsetof(pay_error, tx_hi), n_tx, &ge) ||
        !group_by_tx(s, &m->parties, offsetof(pay_party, tx_lo), offsetof(pay_party, tx_hi), n_tx, &gp))
        return;
    size_t most = s->hits.n + m->errors.n + m->parties.n + 1;
    size_t *idx = malloc(most * sizeof *idx);
    if (!idx) {
        s->doc.oom = true;
        return;
    }
    for (size_t t = 0; t < n_tx; t++) {
        const pay_tx *ptx = PAY_AT(m->txs, pay_tx, t);
        interdict_payment_transaction *tx = &txs[t];
        tx->number = t + 1;
        tx->id = ptx->id ? ptx->id : "";
        tx->field = ptx->field ? ptx->field : "";
        tx->line = ptx->line;

        size_t nh = items_of(&gh, &s->hits, offsetof(pay_hit, tx_lo), offsetof(pay_hit, tx_hi), t,
                             false, idx);
        interdict_payment_hit *hits = arena_array(s, nh, sizeof *hits);
        for (size_t i = 0; hits && i < nh; i++)
            hits[i] = PAY_AT(s->hits, pay_hit, idx[i])->pub;

        size_t ne = items_of(&ge, &m->errors, offsetof(pay_error, tx_lo), offsetof(pay_error, tx_hi),
                             t, true, idx);
        interdict_error *terrs = arena_array(s, ne, sizeof *terrs);
        for (size_t i = 0; terrs && i < ne; i++)
            terrs[i] = PAY_AT(m->errors, pay_error, idx[i])->err;

        size_t np = items_of(&gp, &m->parties, offsetof(pay_party, tx_lo),
                             offsetof(pay_party, tx_hi), t, false, idx);
        const interdict_payment_party **tparties = arena_array(s, np, sizeof *tparties);
        const char **countries = arena_array(s, np * PAY_MAX_COUNTRIES, sizeof *countries);
        size_t d = 0;
        for (size_t i = 0; tparties && countries && i < np; i++) {
            const pay_party *p = PAY_AT(m->parties, pay_party, idx[i]);
            tparties[i] = &parties[idx[i]];
            for (size_t j = 0; j < p->n_countries; j++) {
                bool dup = false;
                for (size_t q = 0; q < d && !dup; q++)
                    dup = !strcmp(countries[q], p->countries[j].code);
                if (!dup)
                    countries[d++] = p->countries[j].code;
            }
        }
        if ((nh && !hits) || (ne && !terrs) || (np && (!tparties || !countries)))
            break;
        tx->hits = hits;
        tx->n_hits = nh;
        tx->errors = terrs;
        tx->n_errors = ne;
        tx->parties = (const interdict_payment_party *const *)tparties;
        tx->n_parties = np;
        tx->countries = (const char *const *)countries;
        tx->n_countries = d;
        tx->hold = nh > 0 || ne > 0 || out->n_errors > 0;
        out->hold |= tx->hold;
    }
    free(idx);
}

/* ---- Screener ---------------------------------------------------------------------------------- */

static void reset(interdict_payment_screener *s, const char *name)
{
    pay_doc_free(&s->doc);
    pay_doc_init(&s->doc, NULL);
    s->doc.file = pay_strdup(&s->doc, name ? name : "<memory>");
    s->hits.n = 0;
    s->memo.n = 0;
    s->msgs = NULL;
    s->n_msgs = 0;
}

interdict_status interdict_payment_screener_new(const interdict_index *index,
                                                const interdict_payment_rules *rules,
                                                double threshold,
                                                interdict_payment_screener **out,
                                                interdict_error *err)
{
    *out = NULL;
    if (!index)
        return set_error(err, INTERDICT_ERR_INVALID, "", 0, "index", "no index to screen against");
    interdict_payment_screener *s = calloc(1, sizeof *s);
    if (!s)
        return set_error(err, INTERDICT_ERR_NOMEM, "", 0, "", "out of memory");
    s->index = index;
    s->rules = rules;
    s->threshold = threshold > 0 ? threshold : INTERDICT_DEFAULT_THRESHOLD;
    s->result = interdict_result_new();
    s->text_result = interdict_text_result_new();
    s->norm = malloc(sizeof *s->norm);
    pay_doc_init(&s->doc, NULL);
    pay_vec_init(&s->hits, sizeof(pay_hit));
    pay_vec_init(&s->memo, sizeof(name_memo));
    if (!s->result || !s->text_result || !s->norm) {
        interdict_payment_screener_free(s);
        return set_error(err, INTERDICT_ERR_NOMEM, "", 0, "", "out of memory");
    }
    *out = s;
    return INTERDICT_OK;
}

void interdict_payment_screener_free(interdict_payment_screener *s)
{
    if (!s)
        return;
    pay_doc_free(&s->doc);
    pay_vec_free(&s->hits);
    pay_vec_free(&s->memo);
    interdict_result_free(s->result);
    interdict_text_result_free(s->text_result);
    free(s->norm);
    free(s);
}

interdict_status interdict_payment_screen_memory(interdict_payment_screener *s, const char *data,
                                                 size_t len, const char *name,
                                                 interdict_error *err)
{
    reset(s, name);
    const char *file = s->doc.file;
    if (len > PAY_MAX_INPUT)
        return set_error(err, INTERDICT_ERR_LIMIT, file, 0, "",
                         "input is %zu bytes, over the %zu byte limit", len, PAY_MAX_INPUT);
    if (!data && len)
        return set_error(err, INTERDICT_ERR_INVALID, file, 0, "", "no data");
    if (pay_parse(&s->doc, data ? data : "", len) != INTERDICT_OK)
        goto oom;
    s->msgs = arena_array(s, s->doc.msgs.n, sizeof *s->msgs);
    if (s->doc.msgs.n && !s->msgs)
        goto oom;
    for (size_t i = 0; i < s->doc.msgs.n; i++) {
        pay_msg *m = PAY_AT(s->doc.msgs, pay_msg, i);
        s->hits.n = 0;
        s->memo.n = 0;
        for (size_t p = 0; p < m->parties.n; p++)
            screen_party(s, m, PAY_AT(m->parties, pay_party, p));
        for (size_t t = 0; t < m->texts.n; t++)
            screen_free_text(s, m, PAY_AT(m->texts, pay_text, t), SIZE_MAX);
        build_message(s, i, &s->msgs[i]);
        if (s->doc.oom)
            goto oom;
    }
    s->n_msgs = s->doc.msgs.n;
    return INTERDICT_OK;
oom:
    reset(s, NULL);
    return set_error(err, INTERDICT_ERR_NOMEM, file, 0, "", "out of memory");
}

interdict_status interdict_payment_screen_file(interdict_payment_screener *s, const char *path,
                                               interdict_error *err)
{
    reset(s, path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot open: %s", strerror(errno));
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);
    interdict_status st = INTERDICT_OK;
    while (buf) {
        if (n == cap) {
            if (cap > PAY_MAX_INPUT) {
                st = set_error(err, INTERDICT_ERR_LIMIT, path, 0, "",
                               "file is over the %zu byte limit", PAY_MAX_INPUT);
                break;
            }
            char *q = realloc(buf, cap * 2);
            if (!q) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = q;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                st = set_error(err, INTERDICT_ERR_IO, path, 0, "", "read error: %s", strerror(errno));
            break;
        }
    }
    fclose(f);
    if (!buf)
        return set_error(err, INTERDICT_ERR_NOMEM, path, 0, "", "out of memory");
    if (st == INTERDICT_OK)
        st = interdict_payment_screen_memory(s, buf, n, path, err);
    free(buf);
    return st;
}

size_t interdict_payment_message_count(const interdict_payment_screener *s)
{
    return s ? s->n_msgs : 0;
}

const interdict_payment_message *interdict_payment_message_at(const interdict_payment_screener *s,
                                                              size_t i)
{
    return s && i < s->n_msgs ? &s->msgs[i] : NULL;
}
