#include "index.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../text/normalize.h"
#include "../util/error.h"

uint64_t hash_string(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static const char *field_of(const vocab_token *v, map_field f)
{
    switch (f) {
    case FIELD_TEXT: return v->tok.text;
    case FIELD_KEY: return v->tok.key;
    case FIELD_CONS: return v->tok.cons;
    case FIELD_NOART: return v->tok.noart;
    case FIELD_ALT: return v->tok.alt;
    case FIELD_KOR: return v->tok.kor;
    }
    return "";
}

static const string_map *map_of(const interdict_index *ix, map_field f)
{
    switch (f) {
    case FIELD_TEXT: return &ix->by_text;
    case FIELD_KEY: return &ix->by_key;
    case FIELD_CONS: return &ix->by_cons;
    case FIELD_NOART: return &ix->by_noart;
    case FIELD_ALT: return &ix->by_alt;
    case FIELD_KOR: return &ix->by_kor;
    }
    return &ix->by_text;
}

size_t index_lookup(const interdict_index *ix, map_field field, const char *s,
                    uint32_t *out, size_t cap)
{
    const string_map *m = map_of(ix, field);
    size_t n = strlen(s);
    if (!n || !m->slots)
        return 0;
    uint64_t h = hash_string(s, n);
    size_t k = 0;
    for (size_t i = (size_t)h & m->mask; m->slots[i].vocab && k < cap; i = (i + 1) & m->mask) {
        uint32_t v = m->slots[i].vocab - 1;
        if (m->slots[i].hash == h && strcmp(field_of(&ix->vocab[v], field), s) == 0)
            out[k++] = v;
    }
    return k;
}

/* ---- Building ------------------------------------------------------------ */

/* Open-addressing table text -> vocab id, used only while building. */
typedef struct build_table {
    uint32_t *ids;                /* vocab id + 1, 0 = empty */
    size_t cap;
} build_table;

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int table_rehash(build_table *t, const interdict_index *ix)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint32_t *ids = calloc(cap, sizeof *ids);
    if (!ids)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->ids[i])
            continue;
        const name_token *tok = &ix->vocab[t->ids[i] - 1].tok;
        size_t h = (size_t)hash_string(tok->text, tok->len) & (cap - 1);
        while (ids[h])
            h = (h + 1) & (cap - 1);
        ids[h] = t->ids[i];
    }
    free(t->ids);
    t->ids = ids;
    t->cap = cap;
    return 0;
}

/* Returns the vocab id of tok, adding it if new; -1 when out of memory. */
static long vocab_intern(interdict_index *ix, build_table *t, const name_token *tok)
{
    if ((ix->n_vocab + 1) * 2 > t->cap && table_rehash(t, ix) < 0)
        return -1;
    size_t h = (size_t)hash_string(tok->text, tok->len) & (t->cap - 1);
    while (t->ids[h]) {
        const name_token *o = &ix->vocab[t->ids[h] - 1].tok;
        if (o->len == tok->len && memcmp(o->text, tok->text, tok->len) == 0)
            return (long)t->ids[h] - 1;
        h = (h + 1) & (t->cap - 1);
    }
    if (grow((void **)&ix->vocab, &ix->cap_vocab, ix->n_vocab + 1, sizeof *ix->vocab) < 0)
        return -1;
    vocab_token *v = &ix->vocab[ix->n_vocab];
    memset(v, 0, sizeof *v);
    v->tok = *tok;
    t->ids[h] = (uint32_t)ix->n_vocab + 1;
    return (long)ix->n_vocab++;
}

static interdict_status add_name(interdict_index *ix, build_table *t, uint32_t entry,
                                 uint16_t name_no, const char *text, size_t len,
                                 uint8_t derived, normalized_text *norm, token_list *tl)
{
    if (normalize_name(text, len, norm, "name", NULL) != INTERDICT_OK) {
        ix->names_unusable++;
        return INTERDICT_OK;
    }
    tokenize_name(norm->text, norm->from_abjad, tl);
    size_t useful = 0;
    for (size_t i = 0; i < tl->n; i++)
        useful += tl->tok[i].role != ROLE_ARTICLE;
    if (!useful) {
        ix->names_unusable++;
        return INTERDICT_OK;
    }
    if (grow((void **)&ix->names, &ix->cap_names, ix->n_names + 1, sizeof *ix->names) < 0 ||
        grow((void **)&ix->name_tokens, &ix->cap_name_tokens,
             ix->n_name_tokens + tl->n, sizeof *ix->name_tokens) < 0)
        return INTERDICT_ERR_NOMEM;
    indexed_name *nm = &ix->names[ix->n_names];
    nm->entry = entry;
    nm->name_no = name_no;
    nm->derived = derived;
    nm->weak = ix->entries[entry]->names[name_no].kind == INTERDICT_NAME_ALIAS_LOW ||
               derived == 2;
    nm->tok_start = (uint32_t)ix->n_name_tokens;
    nm->n_tok = (uint8_t)tl->n;
    nm->text = derived ? arena_strndup(&ix->mem, text, len)
                       : ix->entries[entry]->names[name_no].text;
    if (!nm->text)
        return INTERDICT_ERR_NOMEM;
    for (size_t i = 0; i < tl->n; i++) {
        long v = vocab_intern(ix, t, &tl->tok[i]);
        if (v < 0)
            return INTERDICT_ERR_NOMEM;
        ix->name_tokens[ix->n_name_tokens++] = (uint32_t)v;
    }
    ix->n_names++;
    return INTERDICT_OK;
}

/* "GLOBAL RELIEF FOUNDATION (GRF)": screen the name without its bracket,
 * and a short all-capitals bracket as an acronym of its own. */
static interdict_status add_bracket_variants(interdict_index *ix, build_table *t,
                                             uint32_t entry, uint16_t name_no,
                                             const char *text, normalized_text *norm,
                                             token_list *tl)
{
    const char *open = strchr(text, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (!open || !close)
        return INTERDICT_OK;
    char buf[1024];
    size_t before = (size_t)(open - text), after = strlen(close + 1);
    if (before + after + 1 < sizeof buf && before > 0) {
        memcpy(buf, text, before);
        memcpy(buf + before, close + 1, after);
        interdict_status st = add_name(ix, t, entry, name_no, buf, before + after, 1, norm, tl);
        if (st)
            return st;
    }
    size_t inner = (size_t)(close - open - 1);
    bool acronym = inner >= 2 && inner <= 8;
    for (size_t i = 0; acronym && i < inner; i++)
        acronym = (open[1 + i] >= 'A' && open[1 + i] <= 'Z') || open[1 + i] == '-';
    if (acronym)
        return add_name(ix, t, entry, name_no, open + 1, inner, 2, norm, tl);
    return INTERDICT_OK;
}

/* Rarer tokens identify a party better; weight = role weight x rarity. */
static void compute_weights(interdict_index *ix)
{
    double n = (double)ix->n_names + 1.0;
    for (size_t i = 0; i < ix->n_vocab; i++) {
        vocab_token *v = &ix->vocab[i];
        double idf = log(n / ((double)v->df + 1.0)) / log(n);
        if (idf < 0)
            idf = 0;
        v->weight = token_weight(&v->tok) * (float)(0.35 + 0.65 * idf);
    }
}

static interdict_status build_postings(interdict_index *ix)
{
    /* Count each name once per token, then fill by prefix sums. */
    for (size_t i = 0; i < ix->n_names; i++) {
        const indexed_name *nm = &ix->names[i];
        for (size_t j = 0; j < nm->n_tok; j++)
            if (!token_repeats(&ix->name_tokens[nm->tok_start], j))
                ix->vocab[ix->name_tokens[nm->tok_start + j]].df++;
    }
    size_t total = 0;
    for (size_t v = 0; v < ix->n_vocab; v++) {
        ix->vocab[v].post_start = (uint32_t)total;
        total += ix->vocab[v].df;
    }
    ix->postings = malloc((total ? total : 1) * sizeof *ix->postings);
    if (!ix->postings)
        return INTERDICT_ERR_NOMEM;
    for (size_t i = 0; i < ix->n_names; i++) {
        const indexed_name *nm = &ix->names[i];
        for (size_t j = 0; j < nm->n_tok; j++) {
            uint32_t v = ix->name_tokens[nm->tok_start + j];
            vocab_token *vt = &ix->vocab[v];
            if (!token_repeats(&ix->name_tokens[nm->tok_start], j))
                ix->postings[vt->post_start + vt->post_count++] = (uint32_t)i;
        }
    }
    return INTERDICT_OK;
}

/* What screening weighs a form by before making it a candidate. */
static interdict_status build_form_weights(interdict_index *ix)
{
    ix->form_weight = malloc((ix->n_forms ? ix->n_forms : 1) * sizeof *ix->form_weight);
    if (!ix->form_weight)
        return INTERDICT_ERR_NOMEM;
    for (size_t f = 0; f < ix->n_forms; f++) {
        uint32_t name = ix->form_members[ix->form_start[f]];
        ix->form_weight[f] = ix->name_repeat_weight[name] > 0 ? -1 : ix->name_weight[name];
    }
    return INTERDICT_OK;
}

/* Groups names with the same tokens and weakness into forms, and lists for
 * each vocabulary token the forms holding it. */
static interdict_status build_forms(interdict_index *ix)
{
    size_t nn = ix->n_names, cap = 16;
    while (cap < nn * 2)
        cap *= 2;
    uint32_t *slot = calloc(cap, sizeof *slot);        /* first name + 1 */
    uint32_t *form_of = malloc((nn ? nn : 1) * sizeof *form_of);
    ix->form_start = calloc(nn + 2, sizeof *ix->form_start);
    ix->form_members = malloc((nn ? nn : 1) * sizeof *ix->form_members);
    interdict_status st = slot && form_of && ix->form_start && ix->form_members
                              ? INTERDICT_OK : INTERDICT_ERR_NOMEM;
    ix->n_forms = 0;
    for (size_t i = 0; i < nn && st == INTERDICT_OK; i++) {
        const indexed_name *nm = &ix->names[i];
        const uint32_t *toks = &ix->name_tokens[nm->tok_start];
        uint64_t h = hash_string((const char *)toks, nm->n_tok * sizeof *toks) ^ nm->weak;
        for (size_t k = (size_t)h & (cap - 1);; k = (k + 1) & (cap - 1)) {
            if (!slot[k]) {
                slot[k] = (uint32_t)i + 1;
                form_of[i] = (uint32_t)ix->n_forms++;
                break;
            }
            const indexed_name *o = &ix->names[slot[k] - 1];
            if (o->n_tok == nm->n_tok && o->weak == nm->weak &&
                !memcmp(&ix->name_tokens[o->tok_start], toks, nm->n_tok * sizeof *toks)) {
                form_of[i] = form_of[slot[k] - 1];
                break;
            }
        }
    }
    if (st == INTERDICT_OK) {
        /* members by counting sort: ascending name ids within each form */
        for (size_t i = 0; i < nn; i++)
            ix->form_start[form_of[i] + 2]++;
        for (size_t f = 0; f < ix->n_forms; f++)
            ix->form_start[f + 2] += ix->form_start[f + 1];
        for (size_t i = 0; i < nn; i++)
            ix->form_members[ix->form_start[form_of[i] + 1]++] = (uint32_t)i;
        /* postings of forms: a name's distinct tokens, for its form's first name */
        size_t total = 0;
        for (size_t v = 0; v < ix->n_vocab; v++)
            ix->brief[v].form_count = 0;
        for (int pass = 0; pass < 2 && st == INTERDICT_OK; pass++) {
            for (size_t f = 0; f < ix->n_forms; f++) {
                const indexed_name *nm = &ix->names[ix->form_members[ix->form_start[f]]];
                const uint32_t *toks = &ix->name_tokens[nm->tok_start];
                for (size_t j = 0; j < nm->n_tok; j++) {
                    if (token_repeats(toks, j))
                        continue;
                    vocab_brief *b = &ix->brief[toks[j]];
                    if (pass == 1)
                        ix->form_postings[b->form_start + b->form_count] = (uint32_t)f;
                    b->form_count++;
                }
            }
            if (pass == 0) {
                for (size_t v = 0; v < ix->n_vocab; v++) {
                    ix->brief[v].form_start = (uint32_t)total;
                    total += ix->brief[v].form_count;
                    ix->brief[v].form_count = 0;
                }
                ix->form_postings = malloc((total ? total : 1) * sizeof *ix->form_postings);
                if (!ix->form_postings)
                    st = INTERDICT_ERR_NOMEM;
            }
        }
    }
    free(slot);
    free(form_of);
    return st;
}

/* What screening's candidate bound needs of each name: the weight of its
 * tokens, articles aside, and how much of it repeats a token: postings
 * hold a token once and credit it once. */
static interdict_status build_name_weights(interdict_index *ix)
{
    size_t n = ix->n_names ? ix->n_names : 1;
    ix->name_weight = malloc(n * sizeof *ix->name_weight);
    ix->name_repeat_weight = malloc(n * sizeof *ix->name_repeat_weight);
    if (!ix->name_weight || !ix->name_repeat_weight)
        return INTERDICT_ERR_NOMEM;
    for (size_t i = 0; i < ix->n_names; i++) {
        const indexed_name *nm = &ix->names[i];
        const uint32_t *toks = &ix->name_tokens[nm->tok_start];
        float w = 0, again = 0;
        for (size_t j = 0; j < nm->n_tok; j++) {
            if (ix->vocab[toks[j]].tok.role == ROLE_ARTICLE)
                continue;
            w += ix->vocab[toks[j]].weight;
            if (token_repeats(toks, j))
                again += ix->vocab[toks[j]].weight;
        }
        ix->name_weight[i] = w;
        ix->name_repeat_weight[i] = again;
    }
    return INTERDICT_OK;
}

static interdict_status build_briefs(interdict_index *ix)
{
    ix->brief = malloc((ix->n_vocab ? ix->n_vocab : 1) * sizeof *ix->brief);
    if (!ix->brief)
        return INTERDICT_ERR_NOMEM;
    for (size_t v = 0; v < ix->n_vocab; v++) {
        const vocab_token *vt = &ix->vocab[v];
        ix->brief[v] = (vocab_brief){vt->post_start, vt->post_count, 0, 0, vt->weight,
                                     vt->tok.role, vt->tok.len, vt->tok.key_len};
    }
    return INTERDICT_OK;
}

static interdict_status build_map(interdict_index *ix, map_field f, string_map *m)
{
    size_t cap = 16;
    while (cap < ix->n_vocab * 2)
        cap *= 2;
    m->slots = calloc(cap, sizeof *m->slots);
    if (!m->slots)
        return INTERDICT_ERR_NOMEM;
    m->mask = cap - 1;
    for (size_t v = 0; v < ix->n_vocab; v++) {
        const char *s = field_of(&ix->vocab[v], f);
        size_t n = strlen(s);
        if (!n)
            continue;
        uint64_t h = hash_string(s, n);
        size_t i = (size_t)h & m->mask;
        while (m->slots[i].vocab)
            i = (i + 1) & m->mask;
        m->slots[i] = (hash_slot){h, (uint32_t)v + 1};
    }
    return INTERDICT_OK;
}

/* Polynomial hashes of pieces of one string, mod 2^64: prefix[i] hashes
 * its first i bytes, so any piece and any joint of pieces takes a few
 * multiplications and a variant never has to be written out. */
#define VARIANT_BASE 0x100000001b3ull

static uint64_t piece_hash(const uint64_t *prefix, const uint64_t *power, size_t a, size_t b)
{
    return prefix[b] - prefix[a] * power[b - a];
}

static uint64_t mix_variant(uint64_t h, size_t len)
{
    h ^= (uint64_t)len << 56;     /* murmur3's finaliser */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

size_t deletion_variants(const char *s, size_t len, unsigned depth, uint64_t *out)
{
    if (len > TOKEN_MAX)
        len = TOKEN_MAX;
    uint64_t prefix[TOKEN_MAX + 1], power[TOKEN_MAX + 1];
    prefix[0] = 0;
    power[0] = 1;
    for (size_t i = 0; i < len; i++) {
        prefix[i + 1] = prefix[i] * VARIANT_BASE + (unsigned char)s[i];
        power[i + 1] = power[i] * VARIANT_BASE;
    }
    size_t n = 0;
    out[n++] = mix_variant(prefix[len], len);
    /* Leaving out any letter of a run gives one string: a letter of a run
     * is only left out with the one before it. `kept` hashes the letters
     * before the latest left out, the rest is joined on. */
    for (size_t p = 0; p < len; p++) {
        if (p > 0 && s[p] == s[p - 1])
            continue;
        uint64_t kept1 = prefix[p];
        out[n++] = mix_variant(kept1 * power[len - 1 - p] + piece_hash(prefix, power, p + 1, len),
                               len - 1);
        for (size_t q = p + 1; depth >= 2 && q < len; q++) {
            if (s[q] == s[q - 1] && q - 1 != p)
                continue;
            uint64_t kept2 = kept1 * power[q - p - 1] + piece_hash(prefix, power, p + 1, q);
            out[n++] = mix_variant(
                kept2 * power[len - 1 - q] + piece_hash(prefix, power, q + 1, len), len - 2);
            for (size_t t = q + 1; depth >= 3 && t < len; t++) {
                if (s[t] == s[t - 1] && t - 1 != q)
                    continue;
                uint64_t kept3 = kept2 * power[t - q - 1] + piece_hash(prefix, power, q + 1, t);
                out[n++] = mix_variant(
                    kept3 * power[len - 1 - t] + piece_hash(prefix, power, t + 1, len), len - 3);
            }
        }
    }
    return n;
}

/* Counting sort of every token's variants by bucket, tokens in vocabulary
 * order, so each bucket lists its tokens by ascending id. Articles and
 * single letters are left out: no typo similarity reaches them. */
static interdict_status build_deletions(interdict_index *ix, map_field f, deletion_index *out)
{
    /* typo_similarity() allows a spelling 28% of its letters as edits, a
     * key 24% */
    out->two_from = f == FIELD_KEY ? 9 : 8;
    out->three_from = f == FIELD_KEY ? 13 : 11;
    size_t nv = ix->n_vocab, total = 0;
    for (size_t v = 0; v < nv; v++) {
        size_t len = strlen(field_of(&ix->vocab[v], f));
        if (ix->vocab[v].tok.role != ROLE_ARTICLE && len >= 2)
            total += deletion_variants_bound(len, deletion_depth(out, len));
    }
    /* one to two entries a bucket */
    unsigned bits = 4;
    while (bits < 30 && ((size_t)2 << bits) <= total)
        bits++;
    size_t n_buckets = (size_t)1 << bits;
    out->bucket_bits = bits;
    out->start = calloc(n_buckets + 1, sizeof *out->start);
    uint64_t *hashes = malloc((total ? total : 1) * sizeof *hashes);
    uint32_t *owner = malloc((total ? total : 1) * sizeof *owner);
    if (!out->start || !hashes || !owner) {
        free(hashes);
        free(owner);
        return INTERDICT_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t v = 0; v < nv; v++) {
        const char *s = field_of(&ix->vocab[v], f);
        size_t len = strlen(s);
        if (ix->vocab[v].tok.role == ROLE_ARTICLE || len < 2)
            continue;
        size_t k = deletion_variants(s, len, deletion_depth(out, len), hashes + n);
        for (size_t j = n; j < n + k; j++) {
            owner[j] = (uint32_t)v;
            out->start[(hashes[j] >> (64 - bits)) + 1]++;
        }
        n += k;
    }
    for (size_t b = 0; b < n_buckets; b++)
        out->start[b + 1] += out->start[b];
    out->n = n;
    out->check = malloc((n ? n : 1) * sizeof *out->check);
    out->vocab = malloc((n ? n : 1) * sizeof *out->vocab);
    if (!out->check || !out->vocab) {
        free(hashes);
        free(owner);
        return INTERDICT_ERR_NOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        uint32_t slot = out->start[hashes[j] >> (64 - bits)]++;
        out->check[slot] = (uint16_t)hashes[j];
        out->vocab[slot] = owner[j];
    }
    /* placing moved every start to the next bucket's: move them back */
    memmove(out->start + 1, out->start, n_buckets * sizeof *out->start);
    out->start[0] = 0;
    free(hashes);
    free(owner);
    return INTERDICT_OK;
}

static interdict_status index_names(interdict_index *ix, interdict_error *err)
{
    build_table table = {NULL, 0};
    normalized_text *norm = malloc(sizeof *norm);
    token_list *tl = malloc(sizeof *tl);
    interdict_status st = INTERDICT_OK;
    if (!norm || !tl)
        st = INTERDICT_ERR_NOMEM;
    for (size_t e = 0; e < ix->n_entries && st == INTERDICT_OK; e++) {
        const interdict_entry *en = ix->entries[e];
        for (size_t k = 0; k < en->n_names && k < UINT16_MAX && st == INTERDICT_OK; k++) {
            const char *text = en->names[k].text;
            st = add_name(ix, &table, (uint32_t)e, (uint16_t)k, text, strlen(text), 0, norm, tl);
            if (st == INTERDICT_OK)
                st = add_bracket_variants(ix, &table, (uint32_t)e, (uint16_t)k, text, norm, tl);
        }
    }
    free(table.ids);
    free(norm);
    free(tl);
    if (st != INTERDICT_OK)
        return set_error(err, st, "<index>", 0, "", "out of memory while indexing names");
    return INTERDICT_OK;
}

interdict_status interdict_index_build(const interdict_list *const *lists, size_t n,
                                       interdict_index **out, interdict_error *err)
{
    *out = NULL;
    if (!lists || n == 0)
        return set_error(err, INTERDICT_ERR_INVALID, "<index>", 0, "", "no lists to index");
    if (n > INTERDICT_MAX_LISTS)
        return set_error(err, INTERDICT_ERR_LIMIT, "<index>", 0, "",
                         "%zu lists, at most %d can be indexed together", n,
                         INTERDICT_MAX_LISTS);
    interdict_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return set_error(err, INTERDICT_ERR_NOMEM, "<index>", 0, "", "out of memory");
    static atomic_uint_fast64_t serials;
    ix->serial = atomic_fetch_add(&serials, 1) + 1;
    arena_init(&ix->mem);
    const interdict_list **copy = arena_alloc(&ix->mem, n * sizeof *copy);
    if (!copy) {
        free(ix);
        return set_error(err, INTERDICT_ERR_NOMEM, "<index>", 0, "", "out of memory");
    }
    memcpy(copy, lists, n * sizeof *copy);
    ix->lists = copy;
    ix->n_lists = n;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += interdict_list_count(lists[i]);
    ix->entries = malloc((total ? total : 1) * sizeof *ix->entries);
    ix->entry_list = malloc(total ? total : 1);
    interdict_status st = ix->entries && ix->entry_list ? INTERDICT_OK : INTERDICT_ERR_NOMEM;
    for (size_t i = 0; i < n && st == INTERDICT_OK; i++)
        for (size_t k = 0; k < interdict_list_count(lists[i]); k++) {
            const interdict_entry *e = interdict_list_entry(lists[i], k);
            ix->entry_list[ix->n_entries] = (uint8_t)i;
            ix->entries[ix->n_entries++] = e;
        }
    if (st == INTERDICT_OK)
        st = index_names(ix, err);
    if (st == INTERDICT_OK)
        st = build_postings(ix);
    if (st == INTERDICT_OK) {
        compute_weights(ix);
        st = index_build_groups(ix);
        if (st == INTERDICT_OK)
            st = build_briefs(ix);
        if (st == INTERDICT_OK)
            st = build_name_weights(ix);
        if (st == INTERDICT_OK)
            st = build_forms(ix);
        if (st == INTERDICT_OK)
            st = build_form_weights(ix);
    }
    if (st == INTERDICT_OK)
        st = build_map(ix, FIELD_TEXT, &ix->by_text);
    if (st == INTERDICT_OK)
        st = build_map(ix, FIELD_KEY, &ix->by_key);
    if (st == INTERDICT_OK)
        st = build_map(ix, FIELD_CONS, &ix->by_cons);
    if (st == INTERDICT_OK)
        st = build_map(ix, FIELD_NOART, &ix->by_noart);
    if (st == INTERDICT_OK)
        st = build_map(ix, FIELD_ALT, &ix->by_alt);
    if (st == INTERDICT_OK)
        st = build_map(ix, FIELD_KOR, &ix->by_kor);
    if (st == INTERDICT_OK)
        st = build_deletions(ix, FIELD_KEY, &ix->key_deletions);
    if (st == INTERDICT_OK)
        st = build_deletions(ix, FIELD_TEXT, &ix->text_deletions);
    if (st != INTERDICT_OK) {
        interdict_index_free(ix);
        if (err && err->code == INTERDICT_OK)
            set_error(err, st, "<index>", 0, "", "out of memory while building the index");
        return st;
    }
    *out = ix;
    return INTERDICT_OK;
}

void interdict_index_free(interdict_index *ix)
{
    if (!ix)
        return;
    free(ix->entries);
    free(ix->entry_list);
    free(ix->entry_group);
    free(ix->group_start);
    free(ix->group_members);
    free(ix->names);
    free(ix->name_tokens);
    free(ix->name_weight);
    free(ix->name_repeat_weight);
    free(ix->form_weight);
    free(ix->form_members);
    free(ix->form_start);
    free(ix->form_postings);
    free(ix->vocab);
    free(ix->brief);
    free(ix->postings);
    free(ix->by_text.slots);
    free(ix->by_key.slots);
    free(ix->by_cons.slots);
    free(ix->by_noart.slots);
    free(ix->by_alt.slots);
    free(ix->by_kor.slots);
    free(ix->key_deletions.start);
    free(ix->key_deletions.check);
    free(ix->key_deletions.vocab);
    free(ix->text_deletions.start);
    free(ix->text_deletions.check);
    free(ix->text_deletions.vocab);
    arena_free(&ix->mem);
    free(ix);
}

size_t interdict_index_names(const interdict_index *ix) { return ix ? ix->n_names : 0; }
size_t interdict_index_entries(const interdict_index *ix) { return ix ? ix->n_entries : 0; }

size_t interdict_index_parties(const interdict_index *ix, size_t *shared)
{
    size_t parties = 0, multi = 0;
    for (size_t g = 0; ix && g < ix->n_entries; g++) {
        uint32_t members = ix->group_start[g + 1] - ix->group_start[g];
        parties += members > 0;
        multi += members > 1;
    }
    if (shared)
        *shared = multi;
    return parties;
}
