/* model.c - building the payment message model: vectors, strings, errors,
 * parties, BIC and country helpers, and the format dispatch. */
#include "payment.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uloc.h>

#include "../match/evidence.h"
#include "../util/error.h"

/* ---- Vectors and strings ----------------------------------------------------- */

void pay_vec_init(pay_vec *v, size_t item_size)
{
    v->items = NULL;
    v->n = v->cap = 0;
    v->size = item_size;
}

void pay_vec_free(pay_vec *v)
{
    free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}

void *pay_vec_push(pay_doc *doc, pay_vec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        unsigned char *q = cap <= SIZE_MAX / v->size ? realloc(v->items, cap * v->size) : NULL;
        if (!q) {
            doc->oom = true;
            return NULL;
        }
        v->items = q;
        v->cap = cap;
    }
    void *slot = v->items + v->n++ * v->size;
    memset(slot, 0, v->size);
    return slot;
}

const char *pay_strndup(pay_doc *doc, const char *s, size_t n)
{
    if (!s || n == 0)
        return "";
    char *c = arena_strndup(&doc->mem, s, n);
    if (!c) {
        doc->oom = true;
        return "";
    }
    return c;
}

const char *pay_strdup(pay_doc *doc, const char *s)
{
    return pay_strndup(doc, s, s ? strlen(s) : 0);
}

const char *pay_printf(pay_doc *doc, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return pay_strdup(doc, buf);
}

/* ---- Documents and messages ------------------------------------------------ */

void pay_doc_init(pay_doc *doc, const char *file)
{
    memset(doc, 0, sizeof *doc);
    arena_init(&doc->mem);
    doc->file = file ? file : "<memory>";
    pay_vec_init(&doc->msgs, sizeof(pay_msg));
}

void pay_doc_free(pay_doc *doc)
{
    for (size_t i = 0; i < doc->msgs.n; i++) {
        pay_msg *m = PAY_AT(doc->msgs, pay_msg, i);
        pay_vec_free(&m->parties);
        pay_vec_free(&m->texts);
        pay_vec_free(&m->errors);
        pay_vec_free(&m->txs);
    }
    pay_vec_free(&doc->msgs);
    arena_free(&doc->mem);
}

pay_msg *pay_msg_new(pay_doc *doc, long line)
{
    pay_msg *m = pay_vec_push(doc, &doc->msgs);
    if (!m)
        return NULL;
    m->type = "";
    m->id = "";
    m->line = line;
    pay_vec_init(&m->parties, sizeof(pay_party));
    pay_vec_init(&m->texts, sizeof(pay_text));
    pay_vec_init(&m->errors, sizeof(pay_error));
    pay_vec_init(&m->txs, sizeof(pay_tx));
    return m;
}

void pay_error_add(pay_doc *doc, pay_msg *m, size_t tx_lo, size_t tx_hi,
                   interdict_status code, long line, const char *field,
                   const char *fmt, ...)
{
    pay_error *e = pay_vec_push(doc, &m->errors);
    if (!e)
        return;
    e->tx_lo = tx_lo;
    e->tx_hi = tx_hi;
    char msg[sizeof e->err.message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    set_error(&e->err, code, doc->file, line, field, "%s", msg);
}

bool pay_party_add(pay_doc *doc, pay_msg *m, const pay_party *p)
{
    pay_party *slot = pay_vec_push(doc, &m->parties);
    if (!slot)
        return false;
    *slot = *p;
    return true;
}

bool pay_text_add(pay_doc *doc, pay_msg *m, const pay_text *t)
{
    pay_text *slot = pay_vec_push(doc, &m->texts);
    if (!slot)
        return false;
    *slot = *t;
    return true;
}

bool pay_party_address(pay_party *p, const char *line, const char *field)
{
    if (!line || !*line)
        return true;
    if (p->n_address == PAY_MAX_ADDRESS)
        return false;
    p->address[p->n_address] = line;
    p->address_field[p->n_address] = field;
    p->n_address++;
    return true;
}

bool pay_party_country(pay_party *p, const char *code, const char *field, const char *source)
{
    if (!code || strlen(code) != 2)
        return true;
    for (size_t i = 0; i < p->n_countries; i++)
        if (!strcmp(p->countries[i].code, code) && !strcmp(p->countries[i].source, source))
            return true;
    if (p->n_countries == PAY_MAX_COUNTRIES)
        return false;
    pay_country *c = &p->countries[p->n_countries++];
    memcpy(c->code, code, 2);
    c->code[2] = '\0';
    c->field = field;
    c->source = source;
    return true;
}

/* ---- BICs and countries ----------------------------------------------------------- */

bool pay_is_bic(const char *s, size_t n)
{
    if (n != 8 && n != 11)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
        if (i >= 4 && i < 6 ? !upper : !(upper || digit))
            return false;
    }
    /* the institution code is letters in the standard; digits occur in
     * practice (ISO 9362:2014 allows them), so only the country is strict */
    return true;
}

static const char *const *iso_countries;
static pthread_once_t iso_once = PTHREAD_ONCE_INIT;

static void load_iso_countries(void) { iso_countries = uloc_getISOCountries(); }

bool pay_is_country_code(const char *code)
{
    if (!code || strlen(code) != 2 || !isupper((unsigned char)code[0]) ||
        !isupper((unsigned char)code[1]))
        return false;
    pthread_once(&iso_once, load_iso_countries);
    if (!iso_countries)
        return false;
    for (const char *const *c = iso_countries; *c; c++)
        if (!strcmp(*c, code))
            return true;
    /* Kosovo's user-assigned code is used by banks and by the lists */
    return !strcmp(code, "XK");
}

bool pay_country_in_line(const char *line, char out[3])
{
    enum { MAX_WORDS = 16 };
    const char *start[MAX_WORDS];
    size_t len[MAX_WORDS], n = 0;
    for (const char *p = line; *p;) {
        while (*p && !isalpha((unsigned char)*p) && !((unsigned char)*p & 0x80))
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && (isalpha((unsigned char)*p) || ((unsigned char)*p & 0x80) || *p == '\''))
            p++;
        if (n == MAX_WORDS) {
            memmove(start, start + 1, sizeof start[0] * (MAX_WORDS - 1));
            memmove(len, len + 1, sizeof len[0] * (MAX_WORDS - 1));
            n--;
        }
        start[n] = s;
        len[n] = (size_t)(p - s);
        n++;
    }
    if (n == 0)
        return false;
    /* a code alone at the end: upper case only ("BERLIN DE", not "de") */
    size_t ln = len[n - 1];
    if (ln == 2 || ln == 3) {
        char code[4];
        bool upper = true;
        for (size_t i = 0; i < ln; i++) {
            code[i] = start[n - 1][i];
            upper &= code[i] >= 'A' && code[i] <= 'Z';
        }
        code[ln] = '\0';
        if (upper) {
            const char *c = country_code(code);
            if (*c && (ln == 3 || pay_is_country_code(code))) {
                memcpy(out, c, 3);
                return true;
            }
        }
    }
    /* a country name in the last one to five words */
    for (size_t k = n < 5 ? n : 5; k >= 1; k--) {
        const char *s = start[n - k];
        size_t total = (size_t)(start[n - 1] + len[n - 1] - s);
        if (total < 4 || total >= 128)
            continue;
        char buf[128];
        memcpy(buf, s, total);
        buf[total] = '\0';
        const char *c = country_code(buf);
        if (*c) {
            memcpy(out, c, 3);
            return true;
        }
    }
    return false;
}

/* ---- Format dispatch ------------------------------------------------------------ */

interdict_status pay_parse(pay_doc *doc, const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && isspace((unsigned char)data[i]))
        i++;
    if (i == len) {
        pay_msg *m = pay_msg_new(doc, 1);
        if (m)
            pay_error_add(doc, m, 0, PAY_ALL_TX, INTERDICT_ERR_FORMAT, 0, "",
                          "empty input: no payment message");
    } else if (data[i] == '<') {
        pay_parse_mx(doc, data, len);
    } else {
        pay_parse_mt(doc, data, len);
    }
    return doc->oom ? INTERDICT_ERR_NOMEM : INTERDICT_OK;
}
