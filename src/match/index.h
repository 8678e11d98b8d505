/* index.h - the screening index: every listed name as tokens, and the
 * lookups that find candidate names for a query without scanning them all.
 *
 * Distinct tokens of all listed names form a vocabulary. Each vocabulary
 * token knows the names it occurs in (postings). A query token reaches
 * vocabulary tokens four ways: same text, same phonetic key, same consonant
 * skeleton, or a shared deletion variant of key or spelling (for typos);
 * the names on those tokens' postings are the candidates that get scored in
 * full. */
#ifndef INTERDICT_INDEX_H
#define INTERDICT_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "../text/tokens.h"
#include "../util/arena.h"
#include "interdict.h"

typedef struct vocab_token {
    name_token tok;
    float weight;                 /* role weight x rarity, 0..1 */
    uint32_t df;                  /* names containing it */
    uint32_t post_start, post_count;
} vocab_token;

/* What screening reads of a vocabulary token for every candidate name,
 * packed: whole vocab_token records (hundreds of bytes) cost a cache miss
 * each. */
typedef struct vocab_brief {
    uint32_t post_start, post_count;
    uint32_t form_start, form_count;      /* into index->form_postings */
    float weight;
    uint8_t role, len, key_len;
} vocab_brief;

typedef struct indexed_name {
    uint32_t entry;               /* into index->entries */
    uint32_t tok_start;           /* into index->name_tokens */
    uint16_t name_no;             /* into entry->names */
    uint8_t n_tok;
    uint8_t derived;              /* acronym or name without its bracketed part */
    uint8_t weak;                 /* low-quality alias or acronym: scores a little less
                                   * (kept here: the entry is a cache miss away) */
    const char *text;             /* the name shown to the analyst */
} indexed_name;

/* A read-only multi-map from a string to vocabulary ids: open addressing
 * with linear probing, filled in vocabulary order, so the ids of one string
 * come out in that order. */
typedef struct hash_slot {
    uint64_t hash;
    uint32_t vocab;               /* vocab id + 1; 0 = empty */
} hash_slot;

typedef struct string_map {
    hash_slot *slots;
    size_t mask;                  /* slots - 1, a power of two minus one */
} string_map;

/* Deletion variants of one token field, for typo look-ups (symmetric
 * deletion): every field with up to deletion_depth() letters left out, as
 * a hash. Two fields within that many edits (a swap of neighbours counts
 * one) share a variant, whatever the letters: a look-up probes a query
 * field's variants instead of counting grams over postings that grow with
 * the vocabulary. A bucket holds entries in vocabulary order; an entry
 * whose check matches is a candidate (a rare false one is only compared,
 * so 16 bits of check do: a bucket holds one or two entries). */
typedef struct deletion_index {
    uint32_t *start;              /* bucket b: entries start[b] .. start[b + 1] */
    uint16_t *check;              /* per entry: the variant hash's low bits */
    uint32_t *vocab;              /* per entry: the token having the variant */
    unsigned bucket_bits;         /* bucket = hash >> (64 - bucket_bits) */
    size_t n;
    /* Fields of at least two_from letters get two deletions, of three_from
     * three: as many edits as typo_similarity() allows that field at that
     * length. A depth growing by at most one a letter finds, from both
     * sides, every pair within the depth of the longer field. */
    uint8_t two_from, three_from;
} deletion_index;

/* Whether a name's token j (of toks, its vocabulary ids) stands earlier in
 * it too: postings hold a name once per distinct token. */
static inline bool token_repeats(const uint32_t *toks, size_t j)
{
    for (size_t k = 0; k < j; k++)
        if (toks[k] == toks[j])
            return true;
    return false;
}

static inline unsigned deletion_depth(const deletion_index *d, size_t len)
{
    return len >= d->three_from ? 3u : len >= d->two_from ? 2u : 1u;
}

/* Variants of a field of len letters at most, up to depth deletions. */
static inline size_t deletion_variants_bound(size_t len, unsigned depth)
{
    size_t n = 1 + len;
    if (depth >= 2)
        n += len * (len - 1) / 2;
    if (depth >= 3)
        n += len * (len - 1) * (len - 2) / 6;
    return n;
}
#define DELETION_VARIANTS_MAX (1 + TOKEN_MAX + TOKEN_MAX * (TOKEN_MAX - 1) / 2 + \
                               TOKEN_MAX * (TOKEN_MAX - 1) * (TOKEN_MAX - 2) / 6)

/* Hashes of s (len bytes) with up to depth letters left out into out,
 * which holds DELETION_VARIANTS_MAX; returns how many. The same string
 * gives the same hash, whichever letters were left out to reach it. */
size_t deletion_variants(const char *s, size_t len, unsigned depth, uint64_t *out);

/* The entries of variant hash h's bucket, as [*first, *end). */
static inline void deletion_bucket(const deletion_index *d, uint64_t h, size_t *first,
                                   size_t *end)
{
    size_t b = (size_t)(h >> (64 - d->bucket_bits));
    *first = d->start[b];
    *end = d->start[b + 1];
}

struct interdict_index {
    uint64_t serial;              /* unique per index built in this process */
    arena mem;
    const interdict_list *const *lists;
    size_t n_lists;
    const interdict_entry **entries;
    size_t n_entries;
    uint8_t *entry_list;          /* per entry: which of lists[] it came from */
    uint32_t *entry_group;        /* per entry: its party group (first entry's id) */
    uint32_t *group_start;        /* members of group g: group_members[group_start[g] ..] */
    const interdict_entry **group_members;

    indexed_name *names;
    size_t n_names, cap_names;
    uint32_t *name_tokens;        /* vocab ids, names[i].n_tok per name */
    /* Names with the same tokens (and weakness) score alike: a form is
     * scored once for all its names, which matters where several lists
     * copy one list's names. Forms are numbered by their first name. */
    uint32_t *form_members;       /* name ids, grouped by form, ascending */
    uint32_t *form_start;         /* form f: form_members[form_start[f] .. f + 1] */
    uint32_t *form_postings;      /* form ids, per vocab token (vocab_brief.form_*) */
    size_t n_forms;
    float *name_weight;           /* per name: its tokens' weight but articles' */
    float *name_repeat_weight;    /* per name: of that, what tokens met a second
                                   * time weigh (postings hold a token once) */
    float *form_weight;           /* per form: its names' weight; -1 when a
                                   * token repeats in them */
    size_t n_name_tokens, cap_name_tokens;

    vocab_token *vocab;
    vocab_brief *brief;           /* per vocab token */
    size_t n_vocab, cap_vocab;
    uint32_t *postings;           /* name ids */

    string_map by_text, by_key, by_cons, by_noart;
    string_map by_alt;            /* tokens whose alternative key differs */
    string_map by_kor;            /* romanised Korean syllables by their key */
    deletion_index key_deletions; /* of phonetic keys: variants with typos */
    deletion_index text_deletions; /* of the spelling itself: plain typos */
    size_t names_unusable;        /* list names with no letters or digits */
};

uint64_t hash_string(const char *s, size_t n);

/* Joins entries of different lists that name the same party (groups.c);
 * needs the names indexed and the vocabulary's frequencies. */
interdict_status index_build_groups(interdict_index *ix);

/* Calls fn for every vocabulary id whose field equals s. */
typedef enum map_field {
    FIELD_TEXT, FIELD_KEY, FIELD_CONS, FIELD_NOART, FIELD_ALT, FIELD_KOR
} map_field;
size_t index_lookup(const interdict_index *ix, map_field field, const char *s,
                    uint32_t *out, size_t cap);

#endif
