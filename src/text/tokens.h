/* tokens.h - a normalised name split into tokens with their roles and keys.
 *
 * A name is compared token by token. Each token carries:
 *   text  its canonical spelling (Abdul Rahman / Abdurrahman -> abdrahman,
 *         ibn / ben / bin -> bin),
 *   key   a phonetic key that erases what romanisations disagree on
 *         (vowel quality, doubled letters, kh/h, w/v, q/k, dh/z ...), so
 *         Mohammed, Muhammad and Mohamed share one key,
 *   cons  its consonant skeleton, the only reliable part of names written
 *         in Arabic or Hebrew script, which leave short vowels out,
 *   noart the token without an attached article (alsaadi -> saadi),
 *   role  whether it is a name part or an article, honorific, connector,
 *         legal form or filler word; roles set the token's weight. */
#ifndef INTERDICT_TOKENS_H
#define INTERDICT_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOKEN_MAX 40      /* bytes kept of one token (longer ones are cut) */
#define NAME_MAX_TOKENS 24 /* tokens kept of one name */
#define KOREAN_KEY_MAX 8   /* "kwang", "myong" and the end byte */

typedef enum token_role {
    ROLE_NAME = 0,        /* an ordinary name part */
    ROLE_ARTICLE,         /* al, el, ul, as- before s... : ignored */
    ROLE_CONNECTOR,       /* bin, ibn, bint, ould */
    ROLE_HONORIFIC,       /* haji, mullah, sheikh, dr, col */
    ROLE_LEGAL,           /* ltd, llc, ooo, gmbh */
    ROLE_ORG_WORD,        /* company, trading, foundation, group */
    ROLE_FILLER,          /* of, the, de, born, in */
    ROLE_NUMBER
} token_role;

typedef struct name_token {
    /* lengths first, then the strings in the order comparisons read them:
     * comparing a query token with a listed one touches few cache lines */
    uint8_t len, key_len, cons_len, noart_len, alt_len, kor_len;
    uint8_t role;            /* token_role */
    uint8_t abjad;           /* written in an abjad: compare skeletons */
    /* bit (byte & 63) set for each byte of text, key and cons: a letter one
     * string has and the other lacks costs an edit (see typo_similarity) */
    uint64_t text_bits, key_bits, cons_bits;
    char text[TOKEN_MAX];
    char key[TOKEN_MAX];
    char cons[TOKEN_MAX];
    char noart[TOKEN_MAX];   /* "" when there is no attached article */
    char alt[TOKEN_MAX];     /* the key by other romanisations of Arabic
                              * letters (see alt_key), "" when the same */
    char kor[KOREAN_KEY_MAX];/* one romanised Korean syllable, as every system
                              * writes it (see korean_key), else "" */
} name_token;

typedef struct token_list {
    name_token tok[NAME_MAX_TOKENS];
    size_t n;
    bool from_abjad;         /* written in an abjad: compare skeletons */
    bool korean;             /* reads as a Korean name (see looks_korean) */
} token_list;

/* Splits a normalised (lower-case ASCII, single-spaced) name into tokens,
 * assigning roles and computing keys. Articles stay in the list with
 * ROLE_ARTICLE so explanations can show them. */
void tokenize_name(const char *norm, bool from_abjad, token_list *out);

/* A query's Korean keys count only when the whole name reads as Korean:
 * clears them otherwise. (The index keeps every listed token's key: a
 * vocabulary token is one spelling, whatever name it came from.) */
void keep_korean_keys_of_korean_names(token_list *tl);

/* Phonetic key and consonant skeleton of one token (lower-case ASCII). */
size_t phonetic_key(const char *t, size_t n, char *out, size_t cap);

/* The phonetic key as other romanisations of the same Arabic letters
 * would give it: th as s (Othman / Osman), j and q as g (Jamal / Gamal,
 * Qasim / Gasim). */
size_t alt_key(const char *t, size_t n, char *out, size_t cap);

/* Korean names are romanised by McCune-Reischauer (North Korea, the UN
 * list: CHOE CHUN-SIK, RI JE-SON), Revised Romanisation (South Korea: Choe
 * Jun-sik, Ri Je-seon) and popular spellings (Choi, Lee, Park, Chul). The
 * key of one romanised syllable folds what they disagree on: ch/j, k/g,
 * t/d, p/b and r/l, the vowels eo/o/u/eu, oe/oi/we, ee/i, the initial r
 * that South Korea drops before i and y (Ri / Lee / Yi / I), Park's r, a
 * silent h (Oh, Ahn). 0 when t is not one syllable (most words). */
size_t korean_key(const char *t, size_t n, char *out, size_t cap);

/* Whether t has a letter alt_key() writes otherwise (most words have none). */
bool has_alt_letters(const char *t, size_t n);

/* The key two tokens are compared by under those romanisations. */
static inline const char *alt_or_key(const struct name_token *t, size_t *len)
{
    *len = t->alt_len ? t->alt_len : t->key_len;
    return t->alt_len ? t->alt : t->key;
}
size_t consonant_skeleton(const char *t, size_t n, char *out, size_t cap);

/* How a name part may read as an Abd-compound, or a bare Abd prefix, with
 * one letter wrong in its prefix ("abfulqader", "aabdullah", "abduul"),
 * which the tokenizer leaves whole: each reading's second name ("qader",
 * "lah"; "" for a bare prefix), distinct, up to max of them; returns how
 * many. */
#define ABD_READINGS_MAX 4
size_t abd_prefix_typos(const char *w, char rests[][TOKEN_MAX], size_t max);

/* Relative weight of a role in a name (ordinary name part = 1). */
float role_weight(token_role role);

/* The canonical spelling of a single word (ibn, ben -> bin). */
const char *canonical_word(const char *w);

/* Weight of one token: its role's, less for single letters. */
float token_weight(const name_token *t);

const char *role_name(token_role role);

#endif
