/* screen.c - one query against the index: candidates, scores, hits.
 *
 * 1. The query is normalised and tokenised like the listed names.
 * 2. Each query token is looked up in the vocabulary (same text, key,
 *    skeleton, attached article, or a shared deletion variant) and its
 *    similarity to every such vocabulary token is remembered. Adjacent query
 *    tokens are also tried joined, and long tokens split in two, so
 *    "Jabersafdari" meets "Jaber Safdari".
 * 3. Names on those tokens' postings are candidates. Each is aligned to the
 *    query greedily (best token pairs first, one-to-one) and scored by how
 *    much of the query's and the name's information the pairs explain,
 *    rarer tokens counting more.
 * 4. An entry's score is its best name's, moved by date of birth,
 *    nationality and party type when the query gives them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../text/normalize.h"
#include "../util/error.h"
#include "evidence.h"
#include "index.h"
#include "similarity.h"

#define MAX_LOOKUP 64        /* vocabulary ids taken from one exact lookup */
#define MAX_PAIRS 32         /* joined / split token matches per query */
#define DEFAULT_MAX_HITS 10
#define FILL_MAX_LEN 8      /* longest parts paired by fill_short_typos */
#define FILL_DISCOUNT 0.9f
#define ABD_TYPO_SIM 0.88f   /* an Abd-compound with a letter wrong in its prefix */
#define RESCORE_MARGIN 0.25f  /* how far below the floor on-demand comparison may lift */
#define COMMON_FORMS 64      /* a token in this many name forms is common: its names are
                              * weighed before they become candidates */

typedef struct pair_match {  /* query tokens i, i+1 joined == vocab v */
    uint8_t i;
    uint32_t v;
    float sim;
} pair_match;

typedef struct split_match { /* query token i == vocab v1 followed by v2 */
    uint8_t i;
    uint32_t v1, v2;
    float sim;
} split_match;

enum { MAX_SOURCES = 16 };

typedef struct hit_store {
    interdict_hit hit;
    interdict_token_match tokens[NAME_MAX_TOKENS];
    const interdict_entry *sources[MAX_SOURCES];
} hit_store;

typedef struct spelling {
    char text[NAME_MAX_BYTES + 1];
    size_t len;
} spelling;

enum { MAX_SPELLINGS = 5 };

/* What one query token's look-ups found: every vocabulary token with a
 * similarity above zero, in the order they were found. */
typedef struct found_vocab {
    uint32_t v;
    float sim;
    uint8_t kind;
} found_vocab;

typedef struct memo_slot {
    uint64_t hash;
    uint32_t key_at, found_at;               /* into token_memo.keys, .found */
    uint16_t key_len, n_found;               /* key_len 0: empty slot */
} memo_slot;

typedef struct token_memo {
    uint64_t index_serial;                   /* of the index the results are for */
    memo_slot *slots;
    size_t n_slots, used;
    char *keys;
    size_t keys_len;
    found_vocab *found;
    size_t n_found, cap_found;
} token_memo;

/* Which row of similarities holds a vocabulary token, when its stamp is
 * the query's: stamp and row side by side, read together. */
typedef struct vocab_slot {
    uint32_t stamp, row;
} vocab_slot;

/* How a row's names became candidates. */
enum { GATHERED_NOT, GATHERED_ALL, GATHERED_WEIGHED };

/* Where a candidate stands in scoring. */
enum { CAND_OPEN, CAND_SCORED, CAND_REDO };

/* A similarity that on-demand comparison found after gathering: query
 * token i to vocabulary token v. */
typedef struct late_sim {
    uint32_t v;
    uint8_t i;
    float sim;
} late_sim;

/* What a query knows of one name form, side by side: the fields of a stamp
 * other than the query's say nothing. */
typedef struct form_slot {
    uint32_t stamp;          /* a candidate... */
    uint32_t slot;           /* ...at cands[slot] */
    uint32_t touch;          /* no candidate, held by rows with a similarity... */
    uint32_t weighed;        /* weighed as a name of a common token and left out */
    uint8_t touches;         /* ...that many (saturating; see count_touches) */
} form_slot;

typedef struct scored_entry {
    uint32_t entry, name;
    uint32_t variant;        /* which spelling of the query scored it */
    float name_score, score;
    interdict_evidence ev;
} scored_entry;

struct interdict_result {
    hit_store *hits;
    size_t n_hits, cap_hits;

    /* Scratch, sized for the index last screened against. */
    const interdict_index *sized_for;
    uint64_t sized_serial;
    uint32_t stamp;
    uint32_t entry_gen;                      /* stamp of entry_stamp, per query */
    vocab_slot *vocab_at;                    /* per vocab token: its row, if of this stamp */
    uint32_t *typo_stamp;                    /* per vocab token: met in this typo look-up */
    uint32_t typo_gen;                       /* stamp of typo_stamp, per look-up */
    uint32_t *touched;                       /* vocab ids in the order first met */
    uint64_t *variants;                      /* a query field's deletion variants */
    form_slot *form;                         /* per name form (see index.h) */
    uint32_t *cands;                         /* candidate forms */
    float *cand_known;                       /* per candidate: best known sim per query
                                              * token, q.n floats each */
    float *cand_covered;                     /* per candidate: the query weight its
                                              * cand_known explain (see raise_known) */
    uint8_t *cand_with_link;                 /* per candidate: query tokens (no
                                              * articles) with a known similarity */
    float *cand_linked;                      /* per candidate: at least the weight of its
                                              * tokens with a known similarity */
    uint8_t *cand_links;                     /* per candidate: at least how many of its
                                              * tokens have one (saturating) */
    uint8_t *cand_state;                     /* per candidate: CAND_*; scored ones have
                                              * every token compared, their score final */
    uint32_t *redo;                          /* candidates to weigh again */
    size_t n_cands;
    uint32_t *entry_stamp, *entry_slot;      /* per entry */
    scored_entry *scored;
    size_t n_scored;
    float (*rows)[NAME_MAX_TOKENS];          /* sim of query token i to a vocab token */
    uint8_t (*row_kind)[NAME_MAX_TOKENS];
    uint32_t *row_vocab;                     /* vocab id of each row */
    uint32_t *row_done;                      /* bit i: query token i compared */
    uint32_t *row_liked;                     /* bit i: query token i is like it */
    uint32_t *row_fill_done;                 /* bit i: row_fill_edits[.][i] is known */
    uint8_t (*row_fill_edits)[NAME_MAX_TOKENS]; /* see fill_similarity() */
    uint8_t *row_credited;                   /* its weight is in its names' cand_linked */
    uint8_t *row_gathered;                   /* GATHERED_*: how its names became candidates */
    size_t n_rows, cap_rows;
    bool credited;                           /* candidates gathered: finds are late */
    late_sim *late;                          /* found since the candidates were credited */
    size_t n_late, cap_late;
    pair_match pairs[MAX_PAIRS];
    size_t n_pairs;
    split_match splits[MAX_PAIRS];
    size_t n_splits;
    normalized_text norm;
    token_list q;
    spelling spellings[MAX_SPELLINGS];       /* of the query; see query_spellings() */
    char warning[128];                       /* "" or why a query field was not used */
    uint64_t list_mask;                      /* lists this query screens against */
    const interdict_index *ix;               /* of the last query */
    float q_weight[NAME_MAX_TOKENS];
    uint32_t q_active;                       /* bit i: query token i is no article */
    size_t q_parts;                          /* given names and honorifics, for fill */
    uint32_t q_fillable;                     /* bit i: query token i short enough for fill */
    token_memo memo;                         /* look-ups of earlier queries' tokens */
    bool recording;                          /* try_vocab() adds to memo.found */
    bool record_failed;                      /* memo.found could not grow */
};

/* ---- Which lists a query screens against --------------------------------- */

/* Bit i: index->lists[i] is screened. Each comma-separated name must be a
 * loaded list id ("ofac-cons") or the family before its dash ("ofac"). */
static interdict_status parse_list_filter(const interdict_index *ix, const char *spec,
                                          uint64_t *mask, interdict_error *err)
{
    *mask = ix->n_lists >= 64 ? UINT64_MAX : ((uint64_t)1 << ix->n_lists) - 1;
    if (!spec || !*spec)
        return INTERDICT_OK;
    *mask = 0;
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && *p == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        uint64_t found = 0;
        for (size_t i = 0; i < ix->n_lists && n; i++) {
            const char *id = interdict_list_id(ix->lists[i]);
            const char *dash = strchr(id, '-');
            size_t fam = dash ? (size_t)(dash - id) : strlen(id);
            if ((strlen(id) == n || fam == n) && strncasecmp(id, p, n) == 0)
                found |= (uint64_t)1 << i;
        }
        if (n && !found)
            return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, "lists",
                             "no loaded list is called \"%.*s\"", (int)(n > 40 ? 40 : n), p);
        *mask |= found;
        p += n;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
    }
    if (!*mask)
        return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, "lists", "no list named");
    return INTERDICT_OK;
}

static bool list_allowed(const interdict_result *r, const interdict_entry *e);

/* ---- Result object ------------------------------------------------------ */

interdict_result *interdict_result_new(void) { return calloc(1, sizeof(interdict_result)); }

static void free_scratch(interdict_result *r)
{
    free(r->vocab_at);
    free(r->typo_stamp);
    free(r->variants);
    free(r->touched);
    free(r->form);
    free(r->cand_known);
    free(r->cand_linked);
    free(r->cand_covered);
    free(r->cand_with_link);
    free(r->cand_links);
    free(r->cand_state);
    free(r->redo);
    r->form = NULL;
    r->cand_known = NULL;
    r->cand_linked = NULL;
    r->cand_covered = NULL;
    r->cand_with_link = NULL;
    r->cand_links = NULL;
    r->cand_state = NULL;
    r->redo = NULL;
    free(r->cands);
    free(r->entry_stamp);
    free(r->entry_slot);
    free(r->scored);
    free(r->rows);
    free(r->row_kind);
    free(r->row_vocab);
    free(r->row_done);
    free(r->row_liked);
    free(r->row_fill_done);
    free(r->row_fill_edits);
    free(r->row_credited);
    free(r->row_gathered);
    free(r->late);
    r->row_vocab = NULL;
    r->row_done = NULL;
    r->row_liked = NULL;
    r->row_fill_done = NULL;
    r->row_fill_edits = NULL;
    r->row_credited = NULL;
    r->row_gathered = NULL;
    r->late = NULL;
    r->cap_late = 0;
    r->vocab_at = NULL;
    r->typo_stamp = NULL;
    r->variants = NULL;
    r->touched = NULL;
    r->cands = r->entry_stamp = r->entry_slot = NULL;
    r->scored = NULL;
    r->rows = NULL;
    r->row_kind = NULL;
    r->cap_rows = 0;
    r->sized_for = NULL;
}

static void memo_free(token_memo *m);

void interdict_result_free(interdict_result *r)
{
    if (!r)
        return;
    free_scratch(r);
    memo_free(&r->memo);
    free(r->hits);
    free(r);
}

size_t interdict_result_count(const interdict_result *r) { return r ? r->n_hits : 0; }

const char *interdict_result_warning(const interdict_result *r)
{
    return r && r->warning[0] ? r->warning : NULL;
}

const interdict_hit *interdict_result_hit(const interdict_result *r, size_t i)
{
    return r && i < r->n_hits ? &r->hits[i].hit : NULL;
}

static int size_scratch(interdict_result *r, const interdict_index *ix)
{
    /* the serial tells a new index apart from a freed one at the same address */
    if (r->sized_for == ix && r->sized_serial == ix->serial)
        return 0;
    free_scratch(r);
    size_t nv = ix->n_vocab + 1, nn = ix->n_names + 1, ne = ix->n_entries + 1;
    r->vocab_at = calloc(nv, sizeof *r->vocab_at);
    r->typo_stamp = calloc(nv, sizeof *r->typo_stamp);
    r->variants = malloc(DELETION_VARIANTS_MAX * sizeof *r->variants);
    r->touched = calloc(nv, sizeof(uint32_t));
    r->form = calloc(nn, sizeof *r->form);
    r->cand_known = calloc(nn * NAME_MAX_TOKENS, sizeof *r->cand_known);
    r->cand_linked = calloc(nn, sizeof *r->cand_linked);
    r->cand_covered = calloc(nn, sizeof *r->cand_covered);
    r->cand_with_link = calloc(nn, sizeof *r->cand_with_link);
    r->cand_links = calloc(nn, sizeof *r->cand_links);
    r->cand_state = calloc(nn, sizeof *r->cand_state);
    r->redo = calloc(nn, sizeof *r->redo);
    r->cands = calloc(nn, sizeof(uint32_t));
    r->entry_stamp = calloc(ne, sizeof(uint32_t));
    r->entry_slot = calloc(ne, sizeof(uint32_t));
    r->scored = calloc(ne, sizeof(scored_entry));
    if (!r->vocab_at || !r->typo_stamp || !r->variants || !r->touched ||
        !r->form || !r->cand_known || !r->cand_linked || !r->cand_covered ||
        !r->cand_with_link || !r->cand_links ||
        !r->cand_state || !r->redo || !r->cands ||
        !r->entry_stamp ||
        !r->entry_slot || !r->scored) {
        free_scratch(r);
        return -1;
    }
    r->stamp = 0;
    r->typo_gen = 0;
    r->entry_gen = 0;
    r->sized_for = ix;
    r->sized_serial = ix->serial;
    return 0;
}

/* Stamps let scratch arrays be reused without clearing them per query. */
static void next_stamp(interdict_result *r)
{
    if (++r->stamp == 0) {
        memset(r->vocab_at, 0, (r->sized_for->n_vocab + 1) * sizeof *r->vocab_at);
        memset(r->form, 0, (r->sized_for->n_names + 1) * sizeof *r->form);
        r->stamp = 1;
    }
    r->n_rows = 0;
    r->n_cands = 0;
    r->credited = false;
    r->n_pairs = 0;
    r->n_splits = 0;
}

static void next_entry_gen(interdict_result *r)
{
    if (++r->entry_gen == 0) {
        memset(r->entry_stamp, 0, (r->sized_for->n_entries + 1) * sizeof(uint32_t));
        r->entry_gen = 1;
    }
    r->n_scored = 0;
}

/* ---- Token similarities ------------------------------------------------- */

static float sim_of(const interdict_result *r, size_t i, uint32_t v, uint8_t *kind)
{
    if (r->vocab_at[v].stamp != r->stamp)
        return 0.0f;
    uint32_t row = r->vocab_at[v].row;
    if (kind)
        *kind = r->row_kind[row][i];
    return r->rows[row][i];
}

/* Keeps a similarity found after the candidates were credited, for
 * credit_late_finds(). Rare: kept out of the comparing loop. */
static __attribute__((noinline)) int note_late(interdict_result *r, size_t i, uint32_t v,
                                               float sim)
{
    if (r->n_late == r->cap_late) {
        size_t cap = r->cap_late ? r->cap_late * 2 : 256;
        late_sim *l = realloc(r->late, cap * sizeof *l);
        if (!l)
            return -1;
        r->late = l;
        r->cap_late = cap;
    }
    r->late[r->n_late++] = (late_sim){v, (uint8_t)i, sim};
    return 0;
}

/* Doubles the room for similarity rows; -1: out of memory (what is there
 * stays usable). */
static __attribute__((noinline)) int grow_rows(interdict_result *r)
{
    size_t cap = r->cap_rows ? r->cap_rows * 2 : 256;
#define GROW_ROW_ARRAY(field)                                      \
    do {                                                           \
        void *grown = realloc(r->field, cap * sizeof *r->field);   \
        if (!grown)                                                \
            return -1;                                             \
        r->field = grown;                                          \
    } while (0)
    GROW_ROW_ARRAY(rows);
    GROW_ROW_ARRAY(row_kind);
    GROW_ROW_ARRAY(row_vocab);
    GROW_ROW_ARRAY(row_done);
    GROW_ROW_ARRAY(row_liked);
    GROW_ROW_ARRAY(row_fill_done);
    GROW_ROW_ARRAY(row_fill_edits);
    GROW_ROW_ARRAY(row_credited);
    GROW_ROW_ARRAY(row_gathered);
#undef GROW_ROW_ARRAY
    r->cap_rows = cap;
    return 0;
}

static int remember(interdict_result *r, size_t i, uint32_t v, float sim,
                    interdict_match_kind kind)
{
    if (r->vocab_at[v].stamp != r->stamp) {
        if (r->n_rows == r->cap_rows && grow_rows(r) < 0)
            return -1;
        r->vocab_at[v].stamp = r->stamp;
        r->vocab_at[v].row = (uint32_t)r->n_rows;
        r->row_vocab[r->n_rows] = v;
        memset(r->rows[r->n_rows], 0, sizeof r->rows[0]);
        r->row_done[r->n_rows] = 0;
        r->row_liked[r->n_rows] = 0;
        r->row_fill_done[r->n_rows] = 0;
        r->row_credited[r->n_rows] = 0;
        r->n_rows++;
    }
    uint32_t row = r->vocab_at[v].row;
    r->row_done[row] |= 1u << i;
    if (sim > r->rows[row][i]) {
        r->rows[row][i] = sim;
        r->row_kind[row][i] = (uint8_t)kind;
        r->row_liked[row] |= 1u << i;
        if (r->credited && note_late(r, i, v, sim) < 0)
            return -1;
    }
    return 0;
}

static bool active(const name_token *t) { return t->role != ROLE_ARTICLE; }

static bool compared(const interdict_result *r, size_t i, uint32_t v)
{
    return r->vocab_at[v].stamp == r->stamp && (r->row_done[r->vocab_at[v].row] >> i & 1u);
}

/* Similarity of query token i to vocabulary token v, computed once per
 * query: candidates found through one token compare all their others. */
static float sim_for(interdict_result *r, const interdict_index *ix, size_t i, uint32_t v,
                     uint8_t *kind, bool on_demand)
{
    if (!on_demand || compared(r, i, v))
        return sim_of(r, i, v, kind);
    interdict_match_kind k = INTERDICT_MATCH_FUZZY;
    float s = token_similarity(&r->q.tok[i], &ix->vocab[v].tok, &k);
    if (remember(r, i, v, s, k) < 0)
        return 0.0f;   /* out of memory: treat as no match */
    *kind = (uint8_t)k;
    return s;
}

static void memo_record(interdict_result *r, uint32_t v, float sim, interdict_match_kind kind);

static int try_vocab(interdict_result *r, const interdict_index *ix, size_t i, uint32_t v)
{
    if (compared(r, i, v))
        return 0;
    interdict_match_kind kind;
    float s = token_similarity(&r->q.tok[i], &ix->vocab[v].tok, &kind);
    if (s <= 0.0f)
        return 0;
    if (r->recording)
        memo_record(r, v, s, kind);
    return remember(r, i, v, s, kind);
}

static int lookup_exact(interdict_result *r, const interdict_index *ix, size_t i)
{
    const name_token *t = &r->q.tok[i];
    uint32_t ids[MAX_LOOKUP];
    size_t alt_len;
    const char *alt = alt_or_key(t, &alt_len);
    /* the alternative key meets tokens whose own alternative, or whose
     * key (when they have no alternative), is the same */
    struct { map_field f; const char *s; } ways[] = {
        {FIELD_TEXT, t->text}, {FIELD_NOART, t->text}, {FIELD_TEXT, t->noart},
        {FIELD_KEY, t->key}, {FIELD_CONS, t->cons}, {FIELD_ALT, alt},
        {FIELD_KEY, t->alt_len ? t->alt : ""}, {FIELD_KOR, t->kor},
    };
    for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
        size_t n = index_lookup(ix, ways[w].f, ways[w].s, ids, MAX_LOOKUP);
        for (size_t k = 0; k < n; k++)
            if (try_vocab(r, ix, i, ids[k]) < 0)
                return -1;
    }
    return 0;
}

/* Vocabulary ids sharing a deletion variant with s (see index.h), each
 * once, in the order first met, into r->touched; returns how many. */
static size_t deletion_candidates(interdict_result *r, const char *s, size_t len,
                                  const deletion_index *d)
{
    if (++r->typo_gen == 0) {
        memset(r->typo_stamp, 0, (r->sized_for->n_vocab + 1) * sizeof *r->typo_stamp);
        r->typo_gen = 1;
    }
    uint32_t gen = r->typo_gen;
    uint64_t *variants = r->variants;
    size_t n_variants = deletion_variants(s, len, deletion_depth(d, len), variants), met = 0;
    for (size_t k = 0; k < n_variants; k++) {
        size_t e, end;
        deletion_bucket(d, variants[k], &e, &end);
        for (; e < end; e++) {
            uint32_t v = d->vocab[e];
            if (d->check[e] != (uint16_t)variants[k] || r->typo_stamp[v] == gen)
                continue;
            r->typo_stamp[v] = gen;
            r->touched[met++] = v;
        }
    }
    return met;
}

/* Typos: vocabulary tokens within a few edits of the query token's
 * spelling or key, found by their deletion variants. */
static int lookup_deletions(interdict_result *r, const interdict_index *ix, size_t i,
                            const char *s, size_t len, const deletion_index *d)
{
    if (len < 3)
        return 0;
    size_t n = deletion_candidates(r, s, len, d);
    for (size_t k = 0; k < n && k < 16; k++)   /* compared next: fetch ahead */
        __builtin_prefetch(&ix->vocab[r->touched[k]].tok);
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = try_vocab(r, ix, i, r->touched[k]);
    return rc;
}

/* The best similarity query token i has reached so far. */
static float best_known(const interdict_result *r, size_t i)
{
    float best = 0;
    for (size_t row = 0; row < r->n_rows; row++)
        if (r->rows[row][i] > best)
            best = r->rows[row][i];
    return best;
}

/* "Jaber Safdari" written "Jabersafdari", and "Abu Bakr" written "Abubakr". */
static void lookup_joins_and_splits(interdict_result *r, const interdict_index *ix)
{
    uint32_t ids[MAX_LOOKUP], ids2[MAX_LOOKUP];
    for (size_t i = 0; i + 1 < r->q.n && r->n_pairs < MAX_PAIRS; i++) {
        const name_token *a = &r->q.tok[i], *b = &r->q.tok[i + 1];
        /* a title is no part of a name run together ("Cheikh Boye" is no "Shiba") */
        if (!active(a) || !active(b) || a->role == ROLE_HONORIFIC || b->role == ROLE_HONORIFIC ||
            a->len + b->len >= TOKEN_MAX)
            continue;
        char joined[TOKEN_MAX];   /* fits: checked above */
        memcpy(joined, a->text, a->len);
        memcpy(joined + a->len, b->text, b->len + 1);
        size_t n = index_lookup(ix, FIELD_TEXT, joined, ids, MAX_LOOKUP);
        for (size_t k = 0; k < n && r->n_pairs < MAX_PAIRS; k++)
            r->pairs[r->n_pairs++] = (pair_match){(uint8_t)i, ids[k], 0.95f};
        if (n == 0) {
            char key[TOKEN_MAX];
            phonetic_key(joined, strlen(joined), key, sizeof key);
            n = index_lookup(ix, FIELD_KEY, key, ids, MAX_LOOKUP);
            for (size_t k = 0; k < n && r->n_pairs < MAX_PAIRS; k++)
                r->pairs[r->n_pairs++] = (pair_match){(uint8_t)i, ids[k], 0.9f};
        }
    }
    uint32_t abd;
    bool have_abd = index_lookup(ix, FIELD_TEXT, "abd", &abd, 1) == 1;
    for (size_t i = 0; i < r->q.n; i++) {
        const name_token *t = &r->q.tok[i];
        /* "Abfulqader" for "Abdulqader", which the list holds as Abd Qader */
        char rests[ABD_READINGS_MAX][TOKEN_MAX];
        size_t n_rests = have_abd && active(t) && t->len >= 4
                             ? abd_prefix_typos(t->text, rests, ABD_READINGS_MAX)
                             : 0;
        if (n_rests && index_lookup(ix, FIELD_TEXT, t->text, ids, 1))
            n_rests = 0;   /* a part spelled as a listed one is no typo */
        for (size_t k = 0; k < n_rests; k++) {
            if (!rests[k][0]) {
                if (remember(r, i, abd, ABD_TYPO_SIM, INTERDICT_MATCH_FUZZY) < 0)
                    return;
            } else if (r->n_splits < MAX_PAIRS &&
                       index_lookup(ix, FIELD_TEXT, canonical_word(rests[k]), ids2, 1) == 1) {
                r->splits[r->n_splits++] = (split_match){(uint8_t)i, abd, ids2[0], ABD_TYPO_SIM};
            }
        }
        if (!active(t) || t->len < 6)
            continue;
        for (size_t cut = 2; cut + 2 <= t->len && r->n_splits < MAX_PAIRS; cut++) {
            char left[TOKEN_MAX], right[TOKEN_MAX];
            memcpy(left, t->text, cut);
            left[cut] = '\0';
            memcpy(right, t->text + cut, t->len - cut + 1);
            size_t nl = index_lookup(ix, FIELD_TEXT, canonical_word(left), ids, 4);
            if (!nl)
                continue;
            size_t nr = index_lookup(ix, FIELD_TEXT, canonical_word(right), ids2, 4);
            if (!nr)
                continue;
            r->splits[r->n_splits++] = (split_match){(uint8_t)i, ids[0], ids2[0], 0.95f};
        }
    }
}

/* ---- Candidates ---------------------------------------------------------- */

/* Makes form a candidate, credited with nothing yet; returns its slot. */
static inline uint32_t add_candidate(interdict_result *r, uint32_t form)
{
    uint32_t slot = (uint32_t)r->n_cands++;
    r->form[form].stamp = r->stamp;
    r->form[form].slot = slot;
    float *known = r->cand_known + (size_t)slot * r->q.n;
    for (size_t a = 0; a < r->q.n; a++)   /* a handful: no memset call */
        known[a] = 0;
    r->cand_linked[slot] = 0;
    r->cand_covered[slot] = 0;
    r->cand_with_link[slot] = 0;
    r->cand_links[slot] = 0;
    r->cand_state[slot] = CAND_OPEN;
    r->cands[slot] = form;
    return slot;
}

static void add_postings(interdict_result *r, const interdict_index *ix, uint32_t v)
{
    const vocab_brief *vt = &ix->brief[v];
    for (uint32_t k = 0; k < vt->form_count; k++) {
        uint32_t form = ix->form_postings[vt->form_start + k];
        if (r->form[form].stamp != r->stamp)
            add_candidate(r, form);
    }
}

/* The query tokens with a similarity in sim (a vocabulary token is like
 * one or two of them, seldom more), into at; returns how many. */
static size_t liked_tokens(const interdict_result *r, const float *sim, uint8_t *at)
{
    size_t n_at = 0;
    for (size_t a = 0; a < r->q.n; a++)
        if (sim[a] > 0)
            at[n_at++] = (uint8_t)a;
    return n_at;
}

/* Raises candidate slot's known similarity for query token a to sim, if
 * higher; keeps what may_reach() reads up to date with it, rather than
 * summing every candidate's similarities each time it is weighed. */
static inline bool raise_known(interdict_result *r, uint32_t slot, size_t a, float sim)
{
    float *known = &r->cand_known[(size_t)slot * r->q.n + a];
    if (!(sim > *known))
        return false;
    if (*known == 0 && (r->q_active >> a & 1u))
        r->cand_with_link[slot]++;
    r->cand_covered[slot] += r->q_weight[a] * (sim - *known);
    *known = sim;
    return true;
}

/* Adds `links` tokens of linked weight w to candidate slot's counts. */
static void add_links(interdict_result *r, uint32_t slot, float w, unsigned links)
{
    r->cand_linked[slot] += w;
    unsigned n = r->cand_links[slot] + links;
    r->cand_links[slot] = (uint8_t)(n > UINT8_MAX ? UINT8_MAX : n);
}

/* Credits candidate slot with similarity sim[a] for each query token a of
 * at[0 .. n_at-1], and with linked weight w carried by `links` tokens. */
static inline void credit_slot(interdict_result *r, uint32_t slot, const float *sim,
                               const uint8_t *at, size_t n_at, float w, unsigned links)
{
    for (size_t t = 0; t < n_at; t++)
        raise_known(r, slot, at[t], sim[at[t]]);
    add_links(r, slot, w, links);
}

/* Credits each candidate containing vocabulary token v with similarity
 * sim[a] for query token a, a in 0 .. q.n-1 (0: none), and with linked
 * weight w carried by `links` of its tokens. */
static void credit(interdict_result *r, const interdict_index *ix, uint32_t v,
                   const float *sim, float w, unsigned links)
{
    uint8_t at[NAME_MAX_TOKENS];
    size_t n_at = liked_tokens(r, sim, at);
    const vocab_brief *vt = &ix->brief[v];
    for (uint32_t k = 0; k < vt->form_count; k++) {
        uint32_t form = ix->form_postings[vt->form_start + k];
        if (r->form[form].stamp == r->stamp)
            credit_slot(r, r->form[form].slot, sim, at, n_at, w, links);
    }
}

/* The most a name can score (see finish_score) when query coverage is at
 * most qcov, with_link query tokens have a partner, and its tokens that
 * have a partner weigh w_linked of w_all. Unmatched name tokens weigh at
 * least half, and fully outside the span of those with a partner (w_edge
 * of them), so name coverage is at most 2U / (W + U + E). several: the
 * name has more than one token; weak: it is a weak alias. */
static float bound_of(float qcov, float w_all, float w_linked, float w_edge, size_t with_link,
                      bool several, bool weak)
{
    float ncov = w_all + w_linked > 0 ? 2 * w_linked / (w_all + w_linked + w_edge) : 1;
    if (ncov > 1)
        ncov = 1;
    float s = qcov * sqrtf(qcov) * (0.6f + 0.4f * ncov);
    if (with_link < 2 && several)
        s *= 0.85f;
    if (weak)
        s *= 0.95f;
    return s;
}

/* score_bound() of a candidate from what gathering credited it with, with
 * no look at its tokens. A token the name holds twice was credited once,
 * so both its weights count as linked. */
static float candidate_bound(const interdict_result *r, const interdict_index *ix,
                             uint32_t slot, uint32_t name, float qcov, size_t with_link)
{
    float w_all = ix->name_weight[name], again = ix->name_repeat_weight[name];
    float w_linked = r->cand_linked[slot] + again;
    /* A single token with a partner has every other outside its span. */
    bool one_link = r->cand_links[slot] <= 1 && again == 0;
    float w_edge = one_link && w_all > w_linked ? w_all - w_linked : 0;
    const indexed_name *nm = &ix->names[name];
    return bound_of(qcov, w_all, w_linked, w_edge, with_link, nm->n_tok > 1, nm->weak);
}

/* The weight of the query's tokens that are not articles. */
static float active_weight(const interdict_result *r)
{
    float wq = 0;
    for (size_t i = 0; i < r->q.n; i++)
        if (active(&r->q.tok[i]))
            wq += r->q_weight[i];
    return wq;
}

/* Which query tokens a candidate must match for its known coverage to pass
 * min_cov (bit i: token i). A name matching none of them has at most the
 * weight of the others explained; they are the lightest tokens whose best
 * similarities together stay below min_cov of the query's weight, so such a
 * name would fail the coverage test anyway and need not be gathered. Names
 * behind common parts ("Mohammed", "Abd", "Company") are most of the
 * candidates of a large index, and most fail. */
static uint32_t essential_tokens(const interdict_result *r, float min_cov)
{
    size_t nq = r->q.n;
    float u[NAME_MAX_TOKENS] = {0};   /* most a token can add to known coverage */
    for (size_t row = 0; row < r->n_rows; row++)
        for (size_t i = 0; i < nq; i++)
            if (r->rows[row][i] > u[i])
                u[i] = r->rows[row][i];
    for (size_t k = 0; k < r->n_pairs; k++)
        for (size_t i = r->pairs[k].i; i < (size_t)r->pairs[k].i + 2; i++)
            if (r->pairs[k].sim > u[i])
                u[i] = r->pairs[k].sim;
    for (size_t k = 0; k < r->n_splits; k++)
        if (r->splits[k].sim > u[r->splits[k].i])
            u[r->splits[k].i] = r->splits[k].sim;
    uint32_t essential = 0;
    for (size_t i = 0; i < nq; i++) {
        u[i] *= r->q_weight[i];
        if (active(&r->q.tok[i]))
            essential |= 1u << i;
    }
    /* Far from rounding: the coverage test sums in another order. */
    float budget = min_cov * active_weight(r) * 0.999f, spent = 0;
    while (essential) {
        size_t lightest = nq;
        for (size_t i = 0; i < nq; i++)
            if (essential >> i & 1 && (lightest == nq || u[i] < u[lightest]))
                lightest = i;
        if (spent + u[lightest] >= budget)
            break;
        spent += u[lightest];
        essential &= ~(1u << lightest);
    }
    return essential;
}

/* What a linked vocabulary token adds to a name's linked weight. */
static float linked_weight(const interdict_index *ix, uint32_t v)
{
    return ix->brief[v].role != ROLE_ARTICLE ? ix->brief[v].weight : 0;
}

/* The token of a split whose postings stand for it: a name holding the
 * split holds both, and the rarer has the shorter postings ("al", "abd"
 * are in thousands of names). */
static uint32_t split_posted(const interdict_index *ix, const split_match *p)
{
    return ix->brief[p->v2].form_count < ix->brief[p->v1].form_count ? p->v2 : p->v1;
}

/* Credits candidate `slot` from its name's own tokens with what gathering
 * would: per query token the best similarity known for them, and the
 * weight of those like an active query token. */
static void credit_from_tokens(interdict_result *r, const interdict_index *ix, uint32_t slot)
{
    uint32_t form = r->cands[slot];
    const indexed_name *nm = &ix->names[ix->form_members[ix->form_start[form]]];
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    size_t nq = r->q.n;
    float w = 0;
    unsigned links = 0;
    for (size_t j = 0; j < nm->n_tok; j++) {
        uint32_t v = toks[j];
        if (r->vocab_at[v].stamp != r->stamp || token_repeats(toks, j))
            continue;
        const float *row = r->rows[r->vocab_at[v].row];
        bool linked = false;
        for (size_t i = 0; i < nq; i++)
            if (row[i] > 0) {
                raise_known(r, slot, i, row[i]);
                linked = linked || active(&r->q.tok[i]);
            }
        if (linked) {
            w += linked_weight(ix, v);
            links++;
        }
    }
    r->cand_linked[slot] = w;
    r->cand_links[slot] = (uint8_t)(links > UINT8_MAX ? UINT8_MAX : links);
}

/* Whether candidate `slot` may score first_floor on its known similarities:
 * what scoring tests before it aligns a name. */
static inline bool may_reach(const interdict_result *r, const interdict_index *ix,
                             uint32_t slot, float wq, float first_floor)
{
    uint32_t form = r->cands[slot];
    /* What the known similarities allow at most: the share of the query's
     * weight they explain, and a name score never exceeds coverage^1.5 (see
     * score_name). The share was summed in the order they were found and
     * score_name() sums in another, so both tests leave twice its margin. */
    float cov = wq > 0 ? r->cand_covered[slot] / wq : 0;
    if (cov * sqrtf(cov) < first_floor - 2e-4f)
        return false;
    uint32_t name = ix->form_members[ix->form_start[form]];
    return candidate_bound(r, ix, slot, name, cov, r->cand_with_link[slot]) >=
           first_floor - 2e-4f;
}

/* Weighs a name form of a common token from its own tokens: it becomes a
 * candidate only if it may reach first_floor. Returns its slot, or
 * UINT32_MAX when it is left out (and marked so). */
static uint32_t weigh_form(interdict_result *r, const interdict_index *ix, uint32_t form,
                           float wq, float first_floor)
{
    uint32_t slot = add_candidate(r, form);
    credit_from_tokens(r, ix, slot);
    if (may_reach(r, ix, slot, wq, first_floor))
        return slot;
    r->n_cands--;
    r->form[form].stamp = 0;   /* no stamp is 0 */
    r->form[form].weighed = r->stamp;
    return UINT32_MAX;
}

/* Counts, for each name form that is no candidate, the rows it holds a
 * token of (saturating): rows with a similarity not gathered from. */
static void count_touches(interdict_result *r, const interdict_index *ix, uint32_t v)
{
    const vocab_brief *vt = &ix->brief[v];
    for (uint32_t k = 0; k < vt->form_count; k++) {
        uint32_t form = ix->form_postings[vt->form_start + k];
        if (r->form[form].stamp == r->stamp)
            continue;
        if (r->form[form].touch != r->stamp) {
            r->form[form].touch = r->stamp;
            r->form[form].touches = 1;
        } else if (r->form[form].touches < UINT8_MAX) {
            r->form[form].touches++;
        }
    }
}

/* The names of a common token (row) that are no candidates yet. One that
 * holds no other token with a similarity (see count_touches) is weighed by
 * the row alone, without a look at its tokens: the coverage the row gives,
 * and the form's weight for the rest of the name, as candidate_bound()
 * would (but for its discount for weak names). Most names behind
 * "Mohammed" or "Abdul" fail that at once; the others become candidates. */
static void weigh_common_names(interdict_result *r, const interdict_index *ix, size_t row,
                               float wq, float first_floor)
{
    uint32_t v = r->row_vocab[row];
    const float *sim = r->rows[row];
    float mq = 0;
    size_t with_link = 0;
    for (size_t i = 0; i < r->q.n; i++) {
        mq += r->q_weight[i] * sim[i];
        with_link += sim[i] > 0 && active(&r->q.tok[i]);
    }
    float cov = wq > 0 ? mq / wq : 0, u = linked_weight(ix, v);
    float alone_at_most = cov * sqrtf(cov);
    uint8_t at[NAME_MAX_TOKENS];
    size_t n_at = liked_tokens(r, sim, at);
    const vocab_brief *vt = &ix->brief[v];
    for (uint32_t k = 0; k < vt->form_count; k++) {
        uint32_t form = ix->form_postings[vt->form_start + k];
        if (r->form[form].weighed == r->stamp)
            continue;
        uint32_t slot;
        if (r->form[form].stamp == r->stamp) {
            slot = r->form[form].slot;
        } else {
            float w_all = ix->form_weight[form];
            if (r->form[form].touches == 1 && w_all >= 0) {   /* this row touched it */
                /* one token linked, the others outside its span; a name
                 * weighing more than it has more tokens (weakness aside) */
                float w_edge = w_all > u ? w_all - u : 0;
                float s = alone_at_most < first_floor
                              ? 0
                              : bound_of(cov, w_all, u, w_edge, with_link, w_all > u, false);
                if (s < first_floor - 2e-4f) {
                    r->form[form].weighed = r->stamp;
                    continue;
                }
            }
            slot = add_candidate(r, form);
        }
        credit_slot(r, slot, sim, at, n_at, u, 1);   /* this row is not credited again */
    }
}

static void gather_candidates(interdict_result *r, const interdict_index *ix, float min_cov,
                              float wq, float first_floor)
{
    /* Every vocabulary token with a remembered similarity to a token the
     * candidate must match. Articles, fillers, legal forms and connectors
     * alone never make a candidate. */
    uint32_t essential = essential_tokens(r, min_cov);
    enum { MAX_COMMON = 64 };
    size_t common[MAX_COMMON], n_common = 0;   /* rows of common tokens */
    for (size_t row = 0; row < r->n_rows; row++) {
        uint32_t v = r->row_vocab[row];
        token_role role = (token_role)ix->brief[v].role;
        r->row_gathered[row] = GATHERED_NOT;
        if (role == ROLE_ARTICLE || role == ROLE_FILLER || role == ROLE_LEGAL ||
            role == ROLE_CONNECTOR)
            continue;
        bool needed = false;
        for (size_t i = 0; i < r->q.n && !needed; i++)
            needed = essential >> i & 1 && r->rows[row][i] > 0;
        if (!needed)
            continue;
        if (ix->brief[v].form_count >= COMMON_FORMS && n_common < MAX_COMMON) {
            common[n_common++] = row;
            r->row_gathered[row] = GATHERED_WEIGHED;
        } else {
            add_postings(r, ix, v);
            r->row_gathered[row] = GATHERED_ALL;
        }
    }
    for (size_t k = 0; k < r->n_pairs; k++)
        add_postings(r, ix, r->pairs[k].v);
    for (size_t k = 0; k < r->n_splits; k++)
        add_postings(r, ix, split_posted(ix, &r->splits[k]));

    /* Names of common tokens: each weighed before it becomes a candidate,
     * knowing how many rows with a similarity it holds a token of. */
    if (n_common) {
        for (size_t row = 0; row < r->n_rows; row++) {
            bool any = false;
            for (size_t i = 0; i < r->q.n && !any; i++)
                any = r->rows[row][i] > 0;
            if (any && r->row_gathered[row] != GATHERED_ALL)   /* those are candidates */
                count_touches(r, ix, r->row_vocab[row]);
        }
        for (size_t k = 0; k < n_common; k++)
            weigh_common_names(r, ix, common[k], wq, first_floor);
    }

    /* Linked weight as score_bound() counts it: a name token with a
     * similarity to an active query token, or in a join or split. Both
     * halves of a split are credited to every name holding the half it is
     * gathered by: more than it may have, which only loosens the bound. */
    float sim[NAME_MAX_TOKENS];
    for (size_t row = 0; row < r->n_rows; row++) {
        bool any = false, linked = false;
        for (size_t i = 0; i < r->q.n; i++) {
            sim[i] = r->rows[row][i] > 0 ? r->rows[row][i] : 0;
            any = any || sim[i] > 0;
            linked = linked || (sim[i] > 0 && active(&r->q.tok[i]));
        }
        uint32_t v = r->row_vocab[row];
        r->row_credited[row] = linked;
        if (any && r->row_gathered[row] != GATHERED_WEIGHED)   /* credited when weighed */
            credit(r, ix, v, sim, linked ? linked_weight(ix, v) : 0, linked);
    }
    for (size_t k = 0; k < r->n_pairs; k++) {
        const pair_match *p = &r->pairs[k];
        for (size_t i = 0; i < r->q.n; i++)
            sim[i] = i == p->i || i == (size_t)p->i + 1 ? p->sim : 0;
        credit(r, ix, p->v, sim, linked_weight(ix, p->v), 1);
    }
    for (size_t k = 0; k < r->n_splits; k++) {
        const split_match *p = &r->splits[k];
        for (size_t i = 0; i < r->q.n; i++)
            sim[i] = i == p->i ? p->sim : 0;
        credit(r, ix, split_posted(ix, p), sim,
               linked_weight(ix, p->v1) + linked_weight(ix, p->v2), 2);
    }
}

/* ---- Aligning and scoring one name ------------------------------------------ */

typedef struct link {
    float sim;
    float order;             /* sort key: sim, joins first, then position */
    uint8_t qi, qn;          /* query tokens qi .. qi+qn-1 */
    uint8_t nj, nn;          /* name tokens nj .. nj+nn-1 */
    uint8_t kind;
} link;

static int cmp_link(const void *a, const void *b)
{
    const link *x = a, *y = b;
    if (x->order != y->order)
        return x->order > y->order ? -1 : 1;
    if (x->qi != y->qi)
        return x->qi - y->qi;
    return x->nj - y->nj;
}

/* Insertion sort: a name rarely yields more than a dozen links, where it
 * beats qsort's call overhead. */
static void sort_links(link *links, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        link x = links[k];
        size_t j = k;
        while (j > 0 && cmp_link(&x, &links[j - 1]) < 0) {
            links[j] = links[j - 1];
            j--;
        }
        links[j] = x;
    }
}

typedef struct alignment {
    float score;
    link chosen[NAME_MAX_TOKENS];
    size_t n_chosen;
    size_t unmatched_q, unmatched_n;
    size_t open_q;           /* active query tokens left without a partner */
    /* which query and name tokens the chosen links cover, how well */
    bool q_used[NAME_MAX_TOKENS], n_used[NAME_MAX_TOKENS];
    float q_sim[NAME_MAX_TOKENS], n_sim[NAME_MAX_TOKENS];
} alignment;

#define FILL_LEAST_NEED 0.5f    /* the lowest similarity fill pairs at */

/* string_similarity(query token i, vocabulary token v, floor_), floor_ at
 * least FILL_LEAST_NEED. The same pairs come back in name after name, so
 * their edit distance is kept with v's row, counted as far as the lowest
 * floor needs. */
static float fill_similarity(interdict_result *r, const interdict_index *ix, size_t i,
                             uint32_t v, float floor_)
{
    const name_token *qt = &r->q.tok[i], *nt = &ix->vocab[v].tok;
    if (r->vocab_at[v].stamp != r->stamp)   /* never compared: no row */
        return string_similarity(qt->text, qt->len, nt->text, nt->len, floor_);
    size_t m = qt->len > nt->len ? qt->len : nt->len;
    uint32_t row = r->vocab_at[v].row;
    if (!(r->row_fill_done[row] >> i & 1u)) {
        /* at most one over what FILL_LEAST_NEED allows, which no floor
         * lets through; fill's tokens are short enough for a byte */
        r->row_fill_edits[row][i] = (uint8_t)edit_distance(
            qt->text, qt->len, nt->text, nt->len, similarity_max_edits(m, FILL_LEAST_NEED));
        r->row_fill_done[row] |= 1u << i;
    }
    return similarity_of_edits(m, r->row_fill_edits[row][i], floor_);
}

/* Short name parts (Korean syllables, "Rafi") lose too much to one typo for
 * token similarity to see them. Once at least two other parts agree, a
 * leftover query part and a leftover listed part that still look alike
 * are paired, at a discount. */
static void fill_short_typos(interdict_result *r, const interdict_index *ix,
                             const uint32_t *toks, size_t nn, bool *q_used, bool *n_used,
                             float *q_sim, float *n_sim, alignment *al)
{
    bool open = false;
    for (size_t i = 0; i < r->q.n && !open; i++)
        open = (r->q_fillable >> i & 1u) && !q_used[i];
    if (!open)
        return;
    size_t strong = 0;
    for (size_t k = 0; k < al->n_chosen; k++)
        strong += al->chosen[k].sim >= 0.85f;
    /* In a two-part name one agreeing part is enough if the other is close. */
    float need = strong >= 2 ? FILL_LEAST_NEED : (strong == 1 && r->q_parts == 2) ? 0.6f : 2.0f;
    if (need > 1.0f)
        return;
    for (size_t i = 0; i < r->q.n && al->n_chosen < NAME_MAX_TOKENS; i++) {
        if (q_used[i] || !(r->q_fillable >> i & 1u))
            continue;
        float best = 0;
        size_t best_j = nn;
        for (size_t j = 0; j < nn; j++) {
            const vocab_brief *nb = &ix->brief[toks[j]];
            if (n_used[j] || (nb->role != ROLE_NAME && nb->role != ROLE_HONORIFIC) ||
                nb->len > FILL_MAX_LEN)
                continue;
            float s = fill_similarity(r, ix, i, toks[j], best > need ? best : need);
            if (s > best) {
                best = s;
                best_j = j;
            }
        }
        if (best_j == nn || best < need)
            continue;
        float sim = FILL_DISCOUNT * best;
        q_used[i] = n_used[best_j] = true;
        q_sim[i] = n_sim[best_j] = sim;
        al->chosen[al->n_chosen++] =
            (link){sim, sim, (uint8_t)i, 1, (uint8_t)best_j, 1, INTERDICT_MATCH_FUZZY};
    }
}

/* The first and last of n marks set; first == n when none is. */
static void span_of(const bool *mark, size_t n, size_t *first, size_t *last)
{
    *first = n;
    *last = 0;
    for (size_t j = 0; j < n; j++)
        if (mark[j]) {
            if (*first == n)
                *first = j;
            *last = j;
        }
}

/* At least what score_name() would return for a name's links, cheaper than
 * aligning them: every query token as similar as its best link (best[i]),
 * every name token with a link (linked[j]) matched (the greedy one-to-one
 * choice can only do worse), the short-name penalty when fewer than two
 * query tokens have a link at all. */
static float score_bound(const interdict_result *r, const interdict_index *ix,
                         const indexed_name *nm, const float *best, const bool *linked)
{
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    size_t nq = r->q.n, nn = nm->n_tok;
    float wq = 0, mq = 0;
    size_t with_link = 0;
    for (size_t i = 0; i < nq; i++) {
        if (!active(&r->q.tok[i]))
            continue;
        wq += r->q_weight[i];
        mq += r->q_weight[i] * best[i];
        with_link += best[i] > 0;
    }
    size_t first, last;
    span_of(linked, nn, &first, &last);
    float w_all = 0, w_linked = 0, w_edge = 0;
    for (size_t j = 0; j < nn; j++) {
        const vocab_brief *v = &ix->brief[toks[j]];
        if (v->role == ROLE_ARTICLE)
            continue;
        w_all += v->weight;
        if (linked[j])
            w_linked += v->weight;
        else if (j < first || j > last)
            w_edge += v->weight;
    }
    if (wq <= 0)
        return 0;
    return bound_of(mq / wq, w_all, w_linked, w_edge, with_link, nm->n_tok > 1, nm->weak);
}

static float finish_score(const interdict_result *r, const interdict_index *ix,
                          const indexed_name *nm, alignment *al);

/* Aligns the query with one listed name and scores it. on_demand: compare
 * token pairs not compared yet (else only known similarities count). A
 * name that cannot reach give_up_below is left there, its score 0. */
static float score_name(interdict_result *r, const interdict_index *ix,
                        const indexed_name *nm, alignment *al, bool on_demand,
                        float give_up_below)
{
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    size_t nq = r->q.n, nn = nm->n_tok;
    link links[NAME_MAX_TOKENS * NAME_MAX_TOKENS + 2 * MAX_PAIRS];
    size_t nl = 0;
    /* Each name token's row of similarities, looked up once per name. */
    enum { NO_ROW = UINT32_MAX };
    uint32_t row_of[NAME_MAX_TOKENS];
    bool linked[NAME_MAX_TOKENS];            /* for score_bound() */
    float best[NAME_MAX_TOKENS];
    for (size_t j = 0; j < nn; j++) {
        row_of[j] = r->vocab_at[toks[j]].stamp == r->stamp ? r->vocab_at[toks[j]].row : NO_ROW;
        linked[j] = false;
    }
    for (size_t i = 0; i < nq; i++)
        best[i] = 0;
    /* Known similarities only: each row says which query tokens it is like
     * (the link order is settled by sort_links, not by this loop's). */
    for (size_t j = 0; j < nn && !on_demand; j++) {
        uint32_t row = row_of[j];
        if (row == NO_ROW)
            continue;
        for (uint32_t m = r->row_liked[row] & r->q_active; m; m &= m - 1) {
            unsigned i = (unsigned)__builtin_ctz(m);
            float s = r->rows[row][i];
            links[nl++] = (link){s, 0, (uint8_t)i, 1, (uint8_t)j, 1, r->row_kind[row][i]};
            if (s > best[i])
                best[i] = s;
            linked[j] = true;
        }
    }
    for (size_t i = 0; i < nq && on_demand; i++) {
        if (!active(&r->q.tok[i]))
            continue;
        for (size_t j = 0; j < nn; j++) {
            uint32_t row = row_of[j];
            uint8_t kind = 0;
            float s;
            if (row != NO_ROW && (r->row_done[row] >> i & 1u)) {
                s = r->rows[row][i];
                kind = r->row_kind[row][i];
            } else {
                s = sim_for(r, ix, i, toks[j], &kind, true);
                if (r->vocab_at[toks[j]].stamp == r->stamp)
                    row_of[j] = r->vocab_at[toks[j]].row;
            }
            if (s > 0.0f) {
                links[nl++] = (link){s, 0, (uint8_t)i, 1, (uint8_t)j, 1, kind};
                if (s > best[i])
                    best[i] = s;
                linked[j] = true;
            }
        }
    }
    for (size_t k = 0; k < r->n_pairs; k++)
        for (size_t j = 0; j < nn; j++)
            if (toks[j] == r->pairs[k].v) {
                const pair_match *p = &r->pairs[k];
                links[nl++] = (link){p->sim, 0, p->i, 2, (uint8_t)j, 1, INTERDICT_MATCH_JOINED};
                for (size_t a = p->i; a < (size_t)p->i + 2; a++)
                    if (p->sim > best[a])
                        best[a] = p->sim;
                linked[j] = true;
            }
    for (size_t k = 0; k < r->n_splits; k++)
        for (size_t j = 0; j + 1 < nn; j++)
            if (toks[j] == r->splits[k].v1 && toks[j + 1] == r->splits[k].v2) {
                const split_match *p = &r->splits[k];
                links[nl++] = (link){p->sim, 0, p->i, 1, (uint8_t)j, 2, INTERDICT_MATCH_JOINED};
                if (p->sim > best[p->i])
                    best[p->i] = p->sim;
                linked[j] = linked[j + 1] = true;
            }
    /* The bound and the score are sums of floats in different orders: keep
     * a margin far above their rounding. */
    if (give_up_below > 0 && score_bound(r, ix, nm, best, linked) < give_up_below - 1e-4f) {
        al->n_chosen = al->unmatched_q = al->unmatched_n = al->open_q = 0;
        al->score = 0;
        return 0;
    }
    /* A join covers two tokens at once, so it goes before single links of
     * equal strength; among equals, the pair whose positions agree wins
     * (a repeated name part pairs with its own occurrence). */
    for (size_t k = 0; k < nl; k++) {
        link *l = &links[k];
        float dq = (float)l->qi / (float)nq, dn = (float)l->nj / (float)nn;
        l->order = l->sim + (l->qn + l->nn > 2 ? 0.06f : 0.0f) - 0.01f * fabsf(dq - dn);
    }
    sort_links(links, nl);

    bool *q_used = al->q_used, *n_used = al->n_used;
    float *q_sim = al->q_sim, *n_sim = al->n_sim;
    memset(q_used, 0, sizeof al->q_used);
    memset(n_used, 0, sizeof al->n_used);
    memset(q_sim, 0, sizeof al->q_sim);
    memset(n_sim, 0, sizeof al->n_sim);
    al->n_chosen = 0;
    for (size_t k = 0; k < nl; k++) {
        const link *l = &links[k];
        bool free_ = true;
        for (size_t a = 0; a < l->qn; a++)
            free_ = free_ && !q_used[l->qi + a];
        for (size_t b = 0; b < l->nn; b++)
            free_ = free_ && !n_used[l->nj + b];
        if (!free_)
            continue;
        for (size_t a = 0; a < l->qn; a++) {
            q_used[l->qi + a] = true;
            q_sim[l->qi + a] = l->sim;
        }
        for (size_t b = 0; b < l->nn; b++) {
            n_used[l->nj + b] = true;
            n_sim[l->nj + b] = l->sim;
        }
        al->chosen[al->n_chosen++] = *l;
    }
    if (on_demand)   /* the first, bounding pass keeps to known similarities */
        fill_short_typos(r, ix, toks, nn, q_used, n_used, q_sim, n_sim, al);
    return finish_score(r, ix, nm, al);
}

/* The score of an alignment: how much of the query and of the name its
 * links explain. Sets the counts in al. */
static float finish_score(const interdict_result *r, const interdict_index *ix,
                          const indexed_name *nm, alignment *al)
{
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    size_t nq = r->q.n, nn = nm->n_tok;
    const bool *q_used = al->q_used, *n_used = al->n_used;
    const float *q_sim = al->q_sim, *n_sim = al->n_sim;
    /* Query side: how much of what the customer is called is explained. */
    float wq = 0, mq = 0;
    al->unmatched_q = 0;
    al->open_q = 0;
    for (size_t i = 0; i < nq; i++) {
        const name_token *t = &r->q.tok[i];
        if (!active(t))
            continue;
        al->open_q += !q_used[i];
        float w = r->q_weight[i];
        wq += w;
        mq += w * q_sim[i];
        if (!q_used[i] && role_weight((token_role)t->role) >= 0.5f)
            al->unmatched_q++;
    }
    /* Name side: listed tokens left out count half when they sit between
     * matched ones (a dropped middle name) and fully at the edges. */
    size_t first, last;
    span_of(n_used, nn, &first, &last);
    float wn = 0, mn = 0;
    al->unmatched_n = 0;
    for (size_t j = 0; j < nn; j++) {
        const vocab_brief *v = &ix->brief[toks[j]];
        if (v->role == ROLE_ARTICLE)
            continue;
        float w = v->weight;
        if (!n_used[j]) {
            if (j > first && j < last)
                w *= 0.5f;
            if (v->role == ROLE_NAME)
                al->unmatched_n++;
        }
        wn += w;
        mn += v->weight * n_sim[j] * (n_used[j] ? 1.0f : 0.0f);
    }
    if (wq <= 0 || wn <= 0 || al->n_chosen == 0) {
        al->score = 0;
        return 0;
    }
    float qcov = mq / wq, ncov = mn / wn;
    if (ncov > 1)
        ncov = 1;
    float s = qcov * sqrtf(qcov) * (0.6f + 0.4f * ncov);
    /* One matched name part is thin evidence unless the listed name is one part. */
    size_t strong = 0;
    for (size_t k = 0; k < al->n_chosen; k++) {
        const name_token *qt = &r->q.tok[al->chosen[k].qi];
        if (qt->role == ROLE_NAME || qt->role == ROLE_NUMBER)
            strong += al->chosen[k].qn;
    }
    if (strong < 2 && nn > 1)
        s *= 0.85f;
    if (nm->weak)
        s *= 0.95f;
    al->score = s;
    return s;
}

/* score_name(on_demand) for a name whose first pass is in al. It first
 * compares the token pairs never compared (in the same order); when none of
 * them is alike, the links, and so the alignment, are the first pass's: only
 * the short-typo pairing is added. Nearly always the case, and then the
 * links need not be gathered, sorted and chosen again. */
static float rescore_on_demand(interdict_result *r, const interdict_index *ix,
                               const indexed_name *nm, alignment *al)
{
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    /* The name's tokens are compared next: fetch them all at once rather
     * than wait for each in turn (they are scattered over the vocabulary). */
    /* the name tokens some active query token was not compared with yet */
    uint8_t open[NAME_MAX_TOKENS];
    size_t n_open = 0;
    for (size_t j = 0; j < nm->n_tok; j++) {
        uint32_t v = toks[j];
        if (r->vocab_at[v].stamp == r->stamp &&
            (r->row_done[r->vocab_at[v].row] & r->q_active) == r->q_active)
            continue;
        __builtin_prefetch(&ix->vocab[v].tok);
        open[n_open++] = (uint8_t)j;
    }
    bool found = false;
    for (size_t i = 0; i < r->q.n && n_open > 0; i++) {
        if (!(r->q_active >> i & 1u))
            continue;
        for (size_t k = 0; k < n_open; k++) {
            uint32_t v = toks[open[k]];
            uint8_t kind;
            if (!compared(r, i, v) && sim_for(r, ix, i, v, &kind, true) > 0.0f)
                found = true;
        }
    }
    if (found)
        return score_name(r, ix, nm, al, true, 0);
    size_t before = al->n_chosen;
    fill_short_typos(r, ix, toks, nm->n_tok, al->q_used, al->n_used, al->q_sim, al->n_sim,
                     al);
    if (al->n_chosen == before)
        return al->score;   /* nothing new: the first pass's score stands */
    return finish_score(r, ix, nm, al);
}

/* Query token weights: a matched token weighs what its best vocabulary
 * match weighs (common names count less); an unmatched one counts as rare. */
static void weigh_query_tokens(interdict_result *r, const interdict_index *ix)
{
    float best_s[NAME_MAX_TOKENS] = {0};
    float rarity[NAME_MAX_TOKENS];
    for (size_t i = 0; i < r->q.n; i++)
        rarity[i] = 0.95f;
    for (size_t row = 0; row < r->n_rows; row++) {
        const vocab_token *vt = &ix->vocab[r->row_vocab[row]];
        float vrole = token_weight(&vt->tok);
        float rar = vrole > 0 ? vt->weight / vrole : 1.0f;
        for (size_t i = 0; i < r->q.n; i++) {
            float s = r->rows[row][i];
            if (s > best_s[i] || (s > 0 && s == best_s[i] && rar < rarity[i])) {
                best_s[i] = s;
                rarity[i] = rar;
            }
        }
    }
    for (size_t i = 0; i < r->q.n; i++)
        r->q_weight[i] = token_weight(&r->q.tok[i]) * rarity[i];
}

/* ---- Evidence and hits --------------------------------------------------- */

/* What evidence moves a name score by. */
#define DOB_EXACT_GAIN 0.08f
#define DOB_YEAR_GAIN 0.05f
#define DOB_CONFLICT_LOSS 0.15f
#define NATIONALITY_GAIN 0.03f
#define NATIONALITY_CONFLICT_LOSS 0.05f
#define TYPE_CONFLICT_LOSS 0.2f

static float adjust(float name_score, const interdict_query *q, const query_date *qd,
                    const char *qcountry, const interdict_entry *e, interdict_evidence *ev)
{
    float s = name_score;
    memset(ev, 0, sizeof *ev);
    if (qd->year) {
        int d = dob_evidence(qd, e);
        ev->dob = (int8_t)(d > 0 ? 1 : d);
        s += d == 2 ? DOB_EXACT_GAIN : d == 1 ? DOB_YEAR_GAIN : d < 0 ? -DOB_CONFLICT_LOSS : 0.0f;
    }
    if (qcountry && *qcountry) {
        int n = nationality_evidence(qcountry, e);
        ev->nationality = (int8_t)n;
        s += n > 0 ? NATIONALITY_GAIN : n < 0 ? -NATIONALITY_CONFLICT_LOSS : 0.0f;
    }
    if (q->type != INTERDICT_PARTY_UNKNOWN && e->type != INTERDICT_PARTY_UNKNOWN) {
        bool same = q->type == e->type;
        ev->type = same ? 1 : -1;
        if (!same)
            s -= TYPE_CONFLICT_LOSS;
    }
    if (s > 1)
        s = 1;
    if (s < 0)
        s = 0;
    return s;
}

/* A score as a hit shows it: to three places. */
static double shown(float score) { return floor(score * 1000.0 + 0.5) / 1000.0; }

/* Hits ranked by their scores as shown, then in the order the lists were
 * loaded: of one party's entries scoring alike, the first list's stands
 * for the others (the UN's, when it is loaded first), not the one a
 * rounding error favours. */
static int cmp_scored(const void *a, const void *b)
{
    const scored_entry *x = a, *y = b;
    double xs = shown(x->score), ys = shown(y->score);
    if (xs != ys)
        return xs > ys ? -1 : 1;
    xs = shown(x->name_score);
    ys = shown(y->name_score);
    if (xs != ys)
        return xs > ys ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* a, or "a b" when b is given, cut to fit cap. */
static void join_tokens(char *dst, size_t cap, const char *a, const char *b)
{
    size_t n = 0;
    for (const char *p = a; *p && n + 1 < cap; p++)
        dst[n++] = *p;
    if (b && n + 1 < cap)
        dst[n++] = ' ';
    for (const char *p = b; p && *p && n + 1 < cap; p++)
        dst[n++] = *p;
    dst[n] = '\0';
}

static int emit_hit(interdict_result *r, const interdict_index *ix, const scored_entry *se)
{
    if (r->n_hits == r->cap_hits) {
        size_t cap = r->cap_hits ? r->cap_hits * 2 : 16;
        hit_store *h = realloc(r->hits, cap * sizeof *h);
        if (!h)
            return -1;
        r->hits = h;
        r->cap_hits = cap;
    }
    hit_store *hs = &r->hits[r->n_hits];
    const indexed_name *nm = &ix->names[se->name];
    alignment al;
    score_name(r, ix, nm, &al, true, 0);
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    for (size_t k = 0; k < al.n_chosen; k++) {
        const link *l = &al.chosen[k];
        interdict_token_match *tm = &hs->tokens[k];
        join_tokens(tm->query_token, sizeof tm->query_token, r->q.tok[l->qi].text,
                    l->qn == 2 ? r->q.tok[l->qi + 1].text : NULL);
        join_tokens(tm->list_token, sizeof tm->list_token, ix->vocab[toks[l->nj]].tok.text,
                    l->nn == 2 ? ix->vocab[toks[l->nj + 1]].tok.text : NULL);
        tm->kind = (interdict_match_kind)l->kind;
        tm->similarity = l->sim;
    }
    interdict_hit *h = &hs->hit;
    h->entry = ix->entries[se->entry];
    h->score = shown(se->score);
    h->name_score = shown(se->name_score);
    h->matched_name = nm->text;
    h->matched_kind = h->entry->names[nm->name_no].kind;
    h->evidence = se->ev;
    h->tokens = hs->tokens;
    h->n_tokens = al.n_chosen;
    h->unmatched_query_tokens = al.unmatched_q;
    h->unmatched_list_tokens = al.unmatched_n;
    h->n_sources = 0;
    uint32_t g = ix->entry_group[se->entry];
    for (uint32_t m = ix->group_start[g]; m < ix->group_start[g + 1]; m++) {
        const interdict_entry *member = ix->group_members[m];
        if (hs->hit.n_sources < MAX_SOURCES && (member == h->entry || list_allowed(r, member)))
            hs->sources[h->n_sources++] = member;
    }
    r->n_hits++;
    return 0;
}

static bool list_allowed(const interdict_result *r, const interdict_entry *e)
{
    const interdict_index *ix = r->ix;
    for (size_t i = 0; i < ix->n_lists; i++)
        if (r->list_mask >> i & 1 && strcmp(interdict_list_id(ix->lists[i]), e->list) == 0)
            return true;
    return false;
}

/* Whether an earlier kept entry of scored[k]'s party group was emitted. */
static bool seen_group(const interdict_result *r, const interdict_index *ix, size_t k)
{
    uint32_t g = ix->entry_group[r->scored[k].entry];
    if (ix->group_start[g + 1] - ix->group_start[g] < 2)
        return false;
    for (size_t i = 0; i < k; i++)
        if (ix->entry_group[r->scored[i].entry] == g)
            return true;
    return false;
}

/* Pointers into r->hits move when it grows: fix them up at the end. */
static void fix_token_pointers(interdict_result *r)
{
    for (size_t i = 0; i < r->n_hits; i++) {
        r->hits[i].hit.tokens = r->hits[i].tokens;
        r->hits[i].hit.sources = r->hits[i].sources;
    }
}

/* ---- Look-ups remembered across queries ---------------------------------
 * A query token's look-ups (exact, by key and spelling variants, and the
 * similarity of everything they find) depend on nothing but the token and
 * the index, and the same name parts come back query after query
 * (Mohammed, Ali, Khan ...). Each result object, so each thread, keeps what
 * they found and replays it in the same order, which leaves the scratch
 * state exactly as fresh look-ups would. */
enum { MEMO_SLOTS = 1 << 15, MEMO_KEY_BYTES = 1 << 20, MEMO_FOUND = 1 << 18 };

static void memo_clear(token_memo *m)
{
    if (m->slots)
        memset(m->slots, 0, MEMO_SLOTS * sizeof *m->slots);
    m->used = 0;
    m->keys_len = 0;
    m->n_found = 0;
}

static void memo_free(token_memo *m)
{
    free(m->slots);
    free(m->keys);
    free(m->found);
    memset(m, 0, sizeof *m);
}

/* Everything a token's look-ups depend on, as a string. */
static size_t memo_key(const name_token *t, char *key)
{
    size_t n = t->len, a = t->noart_len;
    memcpy(key, t->text, n);
    key[n++] = '/';
    memcpy(key + n, t->noart, a);
    n += a;
    key[n++] = t->abjad ? 'A' : '-';
    key[n++] = t->kor_len ? 'K' : '-';   /* the key is the text's: only whether it counts */
    return n;
}

/* The slot holding key, or the empty one where it would go; NULL when the
 * memo cannot be set up. */
static memo_slot *memo_slot_for(token_memo *m, const char *key, size_t n, uint64_t h)
{
    if (!m->slots) {
        m->slots = calloc(MEMO_SLOTS, sizeof *m->slots);
        m->keys = malloc(MEMO_KEY_BYTES);
        if (!m->slots || !m->keys) {
            memo_free(m);
            return NULL;
        }
    }
    for (size_t i = (size_t)h & (MEMO_SLOTS - 1);; i = (i + 1) & (MEMO_SLOTS - 1)) {
        memo_slot *sl = &m->slots[i];
        if (!sl->key_len || (sl->hash == h && sl->key_len == n &&
                             memcmp(m->keys + sl->key_at, key, n) == 0))
            return sl;
    }
}

static void memo_record(interdict_result *r, uint32_t v, float sim, interdict_match_kind kind)
{
    token_memo *m = &r->memo;
    if (m->n_found == m->cap_found) {
        size_t cap = m->cap_found ? m->cap_found * 2 : 4096;
        found_vocab *f = cap <= MEMO_FOUND ? realloc(m->found, cap * sizeof *f) : NULL;
        if (!f) {
            r->record_failed = true;
            return;
        }
        m->found = f;
        m->cap_found = cap;
    }
    m->found[m->n_found++] = (found_vocab){v, sim, (uint8_t)kind};
}

/* Keeps what the look-ups of one token found (memo.found from `first` on).
 * A full memo starts over. */
static void memo_keep(token_memo *m, const char *key, size_t n, uint64_t h, size_t first)
{
    size_t count = m->n_found - first;
    if (count > UINT16_MAX) {
        m->n_found = first;
        return;
    }
    if (m->used + 1 > MEMO_SLOTS / 2 || m->keys_len + n > MEMO_KEY_BYTES) {
        memmove(m->found, m->found + first, count * sizeof *m->found);
        memo_clear(m);
        m->n_found = count;
        first = 0;
    }
    memo_slot *sl = memo_slot_for(m, key, n, h);
    if (!sl) {
        m->n_found = first;
        return;
    }
    memcpy(m->keys + m->keys_len, key, n);
    *sl = (memo_slot){h, (uint32_t)m->keys_len, (uint32_t)first, (uint16_t)n, (uint16_t)count};
    m->keys_len += n;
    m->used++;
}

/* Query token i's look-ups (step 2): what is spelled, keyed or skeletoned
 * like it, and what is within a few edits of its key or spelling. */
static int look_up_token(interdict_result *r, const interdict_index *ix, size_t i)
{
    const name_token *t = &r->q.tok[i];
    if (lookup_exact(r, ix, i) < 0)
        return -1;
    /* A token spelled as a listed one, or as a known variant of one,
     * is no typo: its variants share its key, found above. Only the
     * others need the typo look-ups. */
    if (best_known(r, i) >= 0.93f)
        return 0;
    if (lookup_deletions(r, ix, i, t->key, t->key_len, &ix->key_deletions) < 0)
        return -1;
    /* The spelling catches typos the key hides. It is looked up even when
     * the key found a close variant: a key's deletions are no spelling's,
     * so the key's look-up finds no spelling typos by the way. */
    if (lookup_deletions(r, ix, i, t->text, t->len, &ix->text_deletions) < 0)
        return -1;
    return 0;
}

/* look_up_token(), or what it found for the same token before. */
static int look_up_token_memo(interdict_result *r, const interdict_index *ix, size_t i)
{
    token_memo *m = &r->memo;
    if (m->index_serial != ix->serial) {
        memo_clear(m);
        m->index_serial = ix->serial;
    }
    char key[2 * TOKEN_MAX + 2];
    size_t n = memo_key(&r->q.tok[i], key);
    uint64_t h = hash_string(key, n);
    memo_slot *sl = memo_slot_for(m, key, n, h);
    if (sl && sl->key_len) {
        for (size_t k = sl->found_at; k < (size_t)sl->found_at + sl->n_found; k++)
            if (remember(r, i, m->found[k].v, m->found[k].sim,
                         (interdict_match_kind)m->found[k].kind) < 0)
                return -1;
        return 0;
    }
    size_t first = m->n_found;
    r->recording = true;
    r->record_failed = false;
    int rc = look_up_token(r, ix, i);
    r->recording = false;
    if (r->record_failed)
        memo_clear(m);   /* full: start over */
    else if (rc < 0 || !sl)
        m->n_found = first;
    else
        memo_keep(m, key, n, h, first);
    return rc;
}

/* Normalises one spelling of the query and finds the vocabulary tokens
 * each of its tokens resembles (steps 1 and 2). */
static interdict_status prepare_query(interdict_result *r, const interdict_index *ix,
                                      const char *text, size_t len, interdict_error *err)
{
    interdict_status st = normalize_name(text, len, &r->norm, "name", err);
    if (st != INTERDICT_OK)
        return st;
    tokenize_name(r->norm.text, r->norm.from_abjad, &r->q);
    keep_korean_keys_of_korean_names(&r->q);
    next_stamp(r);
    for (size_t i = 0; i < r->q.n; i++)
        if (active(&r->q.tok[i]) && look_up_token_memo(r, ix, i) < 0)
            return set_error(err, INTERDICT_ERR_NOMEM, "<query>", 0, "", "out of memory");
    lookup_joins_and_splits(r, ix);
    weigh_query_tokens(r, ix);
    r->q_active = 0;
    r->q_parts = 0;
    r->q_fillable = 0;
    for (size_t i = 0; i < r->q.n; i++) {
        const name_token *t = &r->q.tok[i];
        if (active(t))
            r->q_active |= 1u << i;
        r->q_parts += t->role == ROLE_NAME || t->role == ROLE_HONORIFIC;
        if (t->role == ROLE_NAME && t->len >= 2 && t->len <= FILL_MAX_LEN)
            r->q_fillable |= 1u << i;
    }
    return INTERDICT_OK;
}

/* Entry e scored s by one of its names: an entry keeps its best name. */
static void keep_score(interdict_result *r, uint32_t e, uint32_t name, uint32_t variant,
                       float s)
{
    if (r->entry_stamp[e] != r->entry_gen) {
        r->entry_stamp[e] = r->entry_gen;
        r->entry_slot[e] = (uint32_t)r->n_scored;
        r->scored[r->n_scored++] = (scored_entry){e, name, variant, s, 0, {0, 0, 0}};
    } else {
        scored_entry *se = &r->scored[r->entry_slot[e]];
        /* of names scoring alike in one spelling, the first listed stands
         * for the entry, whichever was scored first */
        if (s > se->name_score ||
            (s == se->name_score && variant == se->variant && name < se->name)) {
            se->name_score = s;
            se->name = name;
            se->variant = variant;
        }
    }
}

/* Credits the candidates not fully compared yet with what on-demand
 * comparison found since they were weighed; returns how many of them it
 * changed, listed in r->redo. Without this a candidate's fate would hang
 * on whether a name weighed before it happened to reveal a similarity. */
static size_t credit_late_finds(interdict_result *r, const interdict_index *ix, float wq,
                                float first_floor)
{
    size_t n_redo = 0;
    for (size_t k = 0; k < r->n_late; k++) {
        const late_sim *l = &r->late[k];
        uint32_t row = r->vocab_at[l->v].row;
        float w = 0;
        unsigned links = 0;
        if (!r->row_credited[row]) {
            r->row_credited[row] = 1;
            w = linked_weight(ix, l->v);
            links = 1;
        }
        const vocab_brief *vt = &ix->brief[l->v];
        for (uint32_t p = 0; p < vt->form_count; p++) {
            uint32_t form = ix->form_postings[vt->form_start + p];
            if (r->form[form].stamp != r->stamp) {
                /* a name of a common token left out may come close now */
                uint32_t slot = r->form[form].weighed == r->stamp
                                    ? weigh_form(r, ix, form, wq, first_floor)
                                    : UINT32_MAX;
                if (slot != UINT32_MAX) {
                    r->cand_state[slot] = CAND_REDO;
                    r->redo[n_redo++] = slot;
                }
                continue;
            }
            uint32_t slot = r->form[form].slot;
            if (r->cand_state[slot] == CAND_SCORED)
                continue;
            bool changed = raise_known(r, slot, l->i, l->sim) || links > 0;
            if (!changed)
                continue;
            add_links(r, slot, w, links);
            if (r->cand_state[slot] == CAND_OPEN) {
                r->cand_state[slot] = CAND_REDO;
                r->redo[n_redo++] = slot;
            }
        }
    }
    r->n_late = 0;
    for (size_t k = 0; k < n_redo; k++)
        r->cand_state[r->redo[k]] = CAND_OPEN;
    return n_redo;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Scores the candidates of the prepared spelling; each entry keeps its best
 * name over all spellings (step 3). Candidates that similarities found on
 * the way may lift are weighed again, until none is left. */
static void score_candidates(interdict_result *r, const interdict_index *ix, double floor_,
                             uint32_t variant)
{
    /* A name score never exceeds coverage^1.5 (see score_name). */
    float first_floor = (float)floor_ - RESCORE_MARGIN;
    float min_cov = first_floor > 0 ? cbrtf(first_floor * first_floor) : 0;
    float wq = active_weight(r);
    gather_candidates(r, ix, min_cov, wq, first_floor);
    r->n_late = 0;
    r->credited = true;
    const uint32_t *redo = NULL;   /* first all candidates, then those in r->redo */
    for (size_t n = r->n_cands; n > 0;) {
        for (size_t k = 0; k < n; k++) {
            size_t c = redo ? redo[k] : k;
            uint32_t form = r->cands[c];
            const uint32_t *member = &ix->form_members[ix->form_start[form]];
            const uint32_t *members_end = &ix->form_members[ix->form_start[form + 1]];
            uint32_t name = member[0];   /* stands for the form: its names score alike */
            if (!may_reach(r, ix, (uint32_t)c, wq, first_floor))
                continue;
            alignment al;
            /* Known similarities first; comparing the name's other tokens
             * one by one is only worth it for a name already close. */
            float s = score_name(r, ix, &ix->names[name], &al, false, first_floor);
            if (s < first_floor)
                continue;
            r->cand_state[c] = CAND_SCORED;
            if (al.open_q > 0)   /* only a token without a partner can gain */
                s = rescore_on_demand(r, ix, &ix->names[name], &al);
            if (s < floor_)
                continue;
            for (; member < members_end; member++)
                keep_score(r, ix->names[*member].entry, *member, variant, s);
        }
        n = credit_late_finds(r, ix, wq, first_floor);
        if (n > 1)   /* in gathering order, as the first round */
            qsort(r->redo, n, sizeof *r->redo, cmp_u32);
        redo = r->redo;
    }
}

/* Whether a word is written in a script other than Latin: it holds a
 * letter past U+036F (Greek, Cyrillic, Arabic, Hebrew, the Indic and East
 * Asian scripts) that is no Latin letter with marks (U+1E00-U+1EFF, as in
 * Vietnamese) and no punctuation or symbol (U+2000-U+2BFF). */
static bool word_is_not_latin(const char *w, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)w[i];
        uint32_t cp;
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (i + len > n)
            return false;   /* cut short: normalisation will say so */
        cp = len == 1 ? c : (uint32_t)(c & (0xFF >> (len + 1)));
        for (size_t k = 1; k < len; k++)
            cp = cp << 6 | ((unsigned char)w[i + k] & 0x3Fu);
        if (cp >= 0x370 && !(cp >= 0x1E00 && cp < 0x1F00) && !(cp >= 0x2000 && cp < 0x2C00))
            return true;
        i += len;
    }
    return false;
}

/* The words of name in (not_latin) or out of other scripts, into sp;
 * returns how many. */
static size_t keep_words(const char *name, bool not_latin, spelling *sp)
{
    size_t words = 0;
    sp->len = 0;
    for (const char *p = name; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        if (n && word_is_not_latin(w, n) == not_latin) {
            if (sp->len)
                sp->text[sp->len++] = ' ';
            memcpy(sp->text + sp->len, w, n);
            sp->len += n;
            words++;
        }
    }
    sp->text[sp->len] = '\0';
    return words;
}

/* Spellings of one query: as written and, when it holds a bracket ("Ibrahim
 * Asiri (إبراهيم عسيري)", "Lom-ali Butayev (Butaev)"), the part outside and
 * the part inside, since writers put alternatives and other scripts there;
 * when it mixes Latin words with words of another script ("حسن غول Hasan
 * Ghul"), each script's words alone: the same name written twice. */
static size_t query_spellings(const char *name, spelling out[MAX_SPELLINGS])
{
    size_t n = strlen(name), k = 0;
    memcpy(out[k].text, name, n + 1);
    out[k++].len = n;
    /* two words each at least: a lone word beside a name in another
     * script is a title, a legal form or a numeral more often than the
     * name again ("AO Марков", "Παύλος Κορνάρος III") */
    bool other_script = false;
    for (size_t i = 0; i < n && !other_script; i++)
        other_script = (unsigned char)name[i] >= 0xCE;
    if (other_script && keep_words(name, true, &out[k]) >= 2 &&
        keep_words(name, false, &out[k + 1]) >= 2)
        k += 2;
    const char *open = strchr(name, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (!open)
        return k;
    if (!close)
        close = name + n;   /* an unclosed bracket runs to the end */
    size_t before = (size_t)(open - name);
    size_t after = *close ? n - (size_t)(close + 1 - name) : 0;
    memcpy(out[k].text, name, before);
    memcpy(out[k].text + before, *close ? close + 1 : close, after);
    out[k].len = before + after;
    out[k].text[out[k].len] = '\0';
    k++;
    size_t inner = (size_t)(close - open - 1);
    memcpy(out[k].text, open + 1, inner);
    out[k].text[inner] = '\0';
    out[k].len = inner;
    k++;
    return k;
}

interdict_status interdict_screen(const interdict_index *ix, const interdict_query *q,
                                  interdict_result *r, interdict_error *err)
{
    if (!ix || !q || !r)
        return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, "", "missing argument");
    r->n_hits = 0;
    if (!q->name)
        return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, "name", "name is missing");
    size_t name_len = strlen(q->name);
    if (name_len > NAME_MAX_BYTES)
        return set_error(err, INTERDICT_ERR_LIMIT, "<query>", 0, "name",
                         "name is %zu bytes, over the %d byte limit", name_len, NAME_MAX_BYTES);
    query_date qd = {0, 0, 0};
    if (q->dob && *q->dob && !parse_query_date(q->dob, &qd))
        return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, "dob",
                         "date of birth \"%.40s\" is not YYYY, YYYY-MM or YYYY-MM-DD", q->dob);
    /* An unknown country must not stop the name being screened: the hit
     * is what matters. It is reported as a warning instead. */
    const char *qcountry = NULL;
    r->warning[0] = '\0';
    if (q->nationality && *q->nationality) {
        qcountry = country_code(q->nationality);
        if (!*qcountry)
            snprintf(r->warning, sizeof r->warning,
                     "nationality: unknown country \"%.60s\", not used", q->nationality);
    }
    if (size_scratch(r, ix) < 0)
        return set_error(err, INTERDICT_ERR_NOMEM, "<query>", 0, "", "out of memory");
    interdict_status fst = parse_list_filter(ix, q->lists, &r->list_mask, err);
    if (fst != INTERDICT_OK)
        return fst;
    r->ix = ix;

    spelling *sp = r->spellings;
    size_t n_sp = query_spellings(q->name, sp);
    double threshold = q->threshold > 0 ? q->threshold : INTERDICT_DEFAULT_THRESHOLD;
    next_entry_gen(r);
    /* The name as written must be usable; a bracket part that is not
     * (empty, punctuation) is simply no extra spelling. */
    interdict_status st = prepare_query(r, ix, sp[0].text, sp[0].len, err);
    if (st != INTERDICT_OK)
        return st;
    score_candidates(r, ix, threshold - 0.25, 0);
    uint32_t prepared = 0;   /* the spelling r->q now holds; UINT32_MAX: none */
    for (uint32_t v = 1; v < n_sp; v++) {
        if (prepare_query(r, ix, sp[v].text, sp[v].len, NULL) == INTERDICT_OK) {
            score_candidates(r, ix, threshold - 0.25, v);
            prepared = v;
        } else {
            prepared = UINT32_MAX;
        }
    }

    size_t kept = 0;
    for (size_t k = 0; k < r->n_scored; k++) {
        scored_entry *se = &r->scored[k];
        if (!(r->list_mask >> ix->entry_list[se->entry] & 1))
            continue;
        se->score = adjust(se->name_score, q, &qd, qcountry, ix->entries[se->entry], &se->ev);
        if (se->score >= threshold)
            r->scored[kept++] = *se;
    }
    qsort(r->scored, kept, sizeof *r->scored, cmp_scored);
    size_t max_hits = q->max_hits ? q->max_hits : DEFAULT_MAX_HITS;
    st = INTERDICT_OK;
    for (size_t k = 0; k < kept && r->n_hits < max_hits && st == INTERDICT_OK; k++) {
        /* one hit per party: the best-scoring of its entries stands for all */
        if (seen_group(r, ix, k))
            continue;
        /* the explanation needs the spelling that scored this entry */
        uint32_t v = r->scored[k].variant;
        if (v != prepared) {
            st = prepare_query(r, ix, sp[v].text, sp[v].len, err);
            prepared = v;
        }
        if (st == INTERDICT_OK && emit_hit(r, ix, &r->scored[k]) < 0)
            st = set_error(err, INTERDICT_ERR_NOMEM, "<query>", 0, "", "out of memory");
    }
    fix_token_pointers(r);
    return st;
}

static const char *kind_word(interdict_match_kind k)
{
    switch (k) {
    case INTERDICT_MATCH_EXACT: return "exact";
    case INTERDICT_MATCH_VARIANT: return "variant";
    case INTERDICT_MATCH_FUZZY: return "spelling";
    case INTERDICT_MATCH_JOINED: return "joined";
    case INTERDICT_MATCH_INITIAL: return "initial";
    }
    return "?";
}

const char *interdict_match_kind_name(interdict_match_kind k) { return kind_word(k); }

/* Text written into a fixed buffer, cut off (and done) where it is full,
 * as snprintf() would cut it. The explanation is built for every hit, and
 * printf formatting cost more than the rest of writing the hit. */
typedef struct text_out {
    char *buf;
    size_t size, n;
    bool full;
} text_out;

static bool put(text_out *o, const char *s, size_t len)
{
    if (o->full)
        return false;
    size_t room = o->size - o->n - 1;
    if (len > room) {
        len = room;
        o->full = true;
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
    o->buf[o->n] = '\0';
    return !o->full;
}

static bool put_str(text_out *o, const char *s) { return put(o, s, strlen(s)); }

static bool put_count(text_out *o, size_t v)
{
    char d[24];
    size_t n = sizeof d;
    do
        d[--n] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    return put(o, d + n, sizeof d - n);
}

/* v as printf's "%.2f" writes it. */
static bool put_2f(text_out *o, float v)
{
    double x = (double)v * 100.0;   /* exact: a float times 100 fits a double */
    if (!(x >= 0 && x < 1e9) || signbit(x)) {
        char tmp[64];
        int n = snprintf(tmp, sizeof tmp, "%.2f", (double)v);
        return put(o, tmp, n > 0 ? (size_t)n : 0);
    }
    long k = (long)nearbyint(x);    /* halves to even, as printf rounds */
    char d[24];
    int n = snprintf(d, sizeof d, "%ld", k / 100);
    d[n++] = '.';
    d[n++] = (char)('0' + k / 10 % 10);
    d[n++] = (char)('0' + k % 10);
    return put(o, d, (size_t)n);
}

char *interdict_hit_explain(const interdict_hit *h, char *buf, size_t size)
{
    if (!size)
        return buf;
    buf[0] = '\0';
    text_out o = {buf, size, 0, false};
    for (size_t i = 0; i < h->n_tokens; i++) {
        const interdict_token_match *t = &h->tokens[i];
        if (!(put_str(&o, i ? ", " : "") && put_str(&o, t->query_token) && put(&o, "=", 1) &&
              put_str(&o, t->list_token) && put(&o, " (", 2) && put_str(&o, kind_word(t->kind)) &&
              put(&o, " ", 1) && put_2f(&o, t->similarity) && put(&o, ")", 1)))
            return buf;
    }
    if (h->unmatched_list_tokens &&
        !(put_str(&o, "; ") && put_count(&o, h->unmatched_list_tokens) &&
          put_str(&o, h->unmatched_list_tokens == 1 ? " listed name part not in query"
                                                    : " listed name parts not in query")))
        return buf;
    if (h->unmatched_query_tokens &&
        !(put_str(&o, "; ") && put_count(&o, h->unmatched_query_tokens) &&
          put_str(&o, h->unmatched_query_tokens == 1 ? " query part not in listed name"
                                                     : " query parts not in listed name")))
        return buf;
    static const char *const ev[] = {"conflicts", "not compared", "agrees"};
    if (h->evidence.dob &&
        !(put_str(&o, "; date of birth ") && put_str(&o, ev[h->evidence.dob + 1])))
        return buf;
    if (h->evidence.nationality &&
        !(put_str(&o, "; nationality ") && put_str(&o, ev[h->evidence.nationality + 1])))
        return buf;
    if (h->evidence.type < 0)
        put_str(&o, "; party type differs");
    return buf;
}
