/* similarity.h - how alike two name tokens are, and why. */
#ifndef INTERDICT_SIMILARITY_H
#define INTERDICT_SIMILARITY_H

#include "../text/tokens.h"
#include "interdict.h"

/* Below this a token pair is no evidence at all. */
#define TOKEN_SIM_MIN 0.72f

/* Optimal-string-alignment edit distance (insert, delete, substitute,
 * swap of neighbours), capped: max_d + 1 for any distance over max_d. */
unsigned edit_distance(const char *a, size_t na, const char *b, size_t nb,
                       unsigned max_d);

/* Similarity of a query token to a listed-name token in [0,1], with the
 * kind of match. When either token was written in an abjad (Arabic,
 * Hebrew: short vowels absent) consonant skeletons are compared too.
 * Returns 0 below TOKEN_SIM_MIN. */
float token_similarity(const name_token *q, const name_token *n,
                       interdict_match_kind *kind);

/* Similarity of two plain strings by edit distance (0..1); 0 when below
 * floor_, which lets the distance computation stop early. */
float string_similarity(const char *a, size_t na, const char *b, size_t nb, float floor_);

/* The most edits string_similarity() lets through at floor_ when the
 * longer string is m long, and what it makes of d edits: for callers that
 * keep distances to judge them at several floors. */
unsigned similarity_max_edits(size_t m, float floor_);
float similarity_of_edits(size_t m, unsigned d, float floor_);

#endif
