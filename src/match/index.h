/* index.h - the screening index: every listed name as tokens, and the
 * lookups that find candidate names for a query without scanning them all.
 *
 * Distinct tokens of all listed names form a vocabulary. Each vocabulary
 * token knows the names it occurs in (postings). A query token reaches
 * vocabulary tokens four ways: same text, same phonetic key, same consonant
 * skeleton, or shared trigrams of the key (for typos); the names on those
 * tokens' postings are the candidates that get scored in full. */
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

/* Trigrams of one token field, for typo look-ups: the vocabulary ids
 * holding gram g (once per occurrence, by length of the field, then
 * ascending) are vocab[start[g] .. start[g + 1]), and len[] their field
 * lengths: a look-up takes only lengths a typo can reach. Tokens are
 * lower-case letters and digits, so a table over every possible gram is
 * small and needs no search. */
enum { GRAM_SYMBOLS = 39, GRAM_SPACE = GRAM_SYMBOLS * GRAM_SYMBOLS * GRAM_SYMBOLS };

typedef struct trigram_index {
    uint32_t *start;              /* GRAM_SPACE + 1 offsets */
    uint32_t *vocab;
    uint8_t *len;
    size_t n;
} trigram_index;

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
    float *name_weight;           /* per name: its tokens' weight but articles';
                                   * -1 when a token repeats */
    size_t n_name_tokens, cap_name_tokens;

    vocab_token *vocab;
    vocab_brief *brief;           /* per vocab token */
    size_t n_vocab, cap_vocab;
    uint32_t *postings;           /* name ids */

    string_map by_text, by_key, by_cons, by_noart;
    string_map by_alt;            /* tokens whose alternative key differs */
    string_map by_kor;            /* romanised Korean syllables by their key */
    trigram_index key_grams;      /* of phonetic keys: variants with typos */
    trigram_index text_grams;     /* of the spelling itself: plain typos */
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

/* Range of trigram_index.vocab for one gram and field lengths
 * min_len .. max_len, as [*lo, *hi). */
static inline void trigram_range(const trigram_index *t, uint32_t gram, size_t min_len,
                                 size_t max_len, size_t *lo, size_t *hi)
{
    size_t a = t->start[gram], b = t->start[gram + 1];
    while (a < b) {   /* the first length not below min_len */
        size_t mid = a + (b - a) / 2;
        if (t->len[mid] < min_len)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    b = t->start[gram + 1];
    while (a < b) {   /* the first length above max_len */
        size_t mid = a + (b - a) / 2;
        if (t->len[mid] <= max_len)
            a = mid + 1;
        else
            b = mid;
    }
    *hi = a;
}

/* One symbol of a trigram: a letter, a digit, '^' or '$' (padding at the
 * start and end of a token), or anything else. */
static inline uint32_t gram_symbol(char c)
{
    if (c >= 'a' && c <= 'z')
        return (uint32_t)(c - 'a');
    if (c >= '0' && c <= '9')
        return 26 + (uint32_t)(c - '0');
    return c == '^' ? 36 : c == '$' ? 37 : 38;
}

/* The trigram a b c as an index below GRAM_SPACE. */
static inline uint32_t trigram_code(char a, char b, char c)
{
    return (gram_symbol(a) * GRAM_SYMBOLS + gram_symbol(b)) * GRAM_SYMBOLS + gram_symbol(c);
}

#endif
