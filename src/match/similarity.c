#include "similarity.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define ALT_KEY_SIM 0.88f
#define KOREAN_KEY_SIM 0.88f

/* Bit-parallel optimal string alignment distance (Hyyrö, "A bit-vector
 * algorithm for computing Levenshtein and Damerau edit distances", 2003):
 * one column of the distance matrix per machine word, as differences
 * between neighbouring cells. a, the shorter string, has at most 64 bytes.
 * Token similarity runs it for every candidate pair, where the plain
 * matrix cost more than anything else in screening. */
static unsigned osa_bits(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    /* Bit i of match[c]: a[i] == c. Only a's bytes are set, and cleared
     * again before returning. */
    static _Thread_local uint64_t match[256];
    for (size_t i = 0; i < na; i++)
        match[a[i]] |= (uint64_t)1 << i;
    uint64_t vp = ~(uint64_t)0, vn = 0, d0 = 0, prev_match = 0;
    uint64_t last = (uint64_t)1 << (na - 1);
    unsigned dist = (unsigned)na;
    for (size_t j = 0; j < nb; j++) {
        uint64_t m = match[b[j]];
        uint64_t swap = ((~d0 & m) << 1) & prev_match;   /* neighbours transposed */
        d0 = (((m & vp) + vp) ^ vp) | m | vn | swap;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        dist += (hp & last) != 0;
        dist -= (hn & last) != 0;
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        prev_match = m;
    }
    for (size_t i = 0; i < na; i++)
        match[a[i]] = 0;
    return dist;
}

unsigned edit_distance(const char *a, size_t na, const char *b, size_t nb,
                       unsigned max_d)
{
    if (na > TOKEN_MAX * 2 || nb > TOKEN_MAX * 2)
        return max_d + 1;
    size_t diff = na > nb ? na - nb : nb - na;
    if (diff > max_d)
        return max_d + 1;
    if (na > nb) {   /* the shorter one goes in the bit vector */
        const char *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (na == 0)
        return nb <= max_d ? (unsigned)nb : max_d + 1;
    /* Letters one string has and the other lacks each need an edit (a swap
     * moves none): most pairs compared are unrelated names, told apart by
     * this count alone. Bytes share 64 buckets, which can only lower it. */
    unsigned char count[64] = {0};
    for (size_t i = 0; i < na; i++)
        count[(unsigned char)a[i] & 63]++;
    size_t common = 0;
    for (size_t j = 0; j < nb; j++) {
        unsigned char *c = &count[(unsigned char)b[j] & 63];
        if (*c) {
            (*c)--;
            common++;
        }
    }
    if (nb - common > max_d)   /* nb >= na: the larger of the two differences */
        return max_d + 1;
    if (na <= 64) {
        unsigned d = osa_bits((const unsigned char *)a, na, (const unsigned char *)b, nb);
        return d <= max_d ? d : max_d + 1;
    }
    /* Longer than a word: the matrix itself, three rolling rows, since the
     * swap rule looks two rows back. */
    unsigned r0[TOKEN_MAX * 2 + 1], r1[TOKEN_MAX * 2 + 1], r2[TOKEN_MAX * 2 + 1];
    unsigned *pp = r0, *prev = r1, *cur = r2;
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (unsigned)i;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > max_d)
            return max_d + 1;
        unsigned *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] <= max_d ? prev[nb] : max_d + 1;
}

unsigned similarity_max_edits(size_t m, float floor_)
{
    return (unsigned)((1.0f - floor_) * (float)m + 1e-4f);
}

float similarity_of_edits(size_t m, unsigned d, float floor_)
{
    if (m == 0)
        return 1.0f;
    if (d > similarity_max_edits(m, floor_))
        return 0.0f;
    return 1.0f - (float)d / (float)m;
}

float string_similarity(const char *a, size_t na, const char *b, size_t nb, float floor_)
{
    size_t m = na > nb ? na : nb;
    if (m == 0)
        return 1.0f;
    return similarity_of_edits(m, edit_distance(a, na, b, nb, similarity_max_edits(m, floor_)),
                               floor_);
}

/* Whether more than k bits of x are set: k is a handful of edits, fewer
 * steps than counting them all (and no popcount instruction is assumed). */
static bool more_bits_than(uint64_t x, unsigned k)
{
    for (; k > 0 && x; k--)
        x &= x - 1;
    return x != 0;
}

/* Whether two strings with these letter bits (see name_token) are more
 * than max_d edits apart for their letters alone: each letter one has and
 * the other lacks needs an edit, and an edit mends at most one such letter
 * on each side. */
static bool letters_too_far(uint64_t bits_a, uint64_t bits_b, unsigned max_d)
{
    return more_bits_than(bits_a & ~bits_b, max_d) || more_bits_than(bits_b & ~bits_a, max_d);
}

/* A typo costs more in a short token: one letter of four is a different
 * name far more often than one letter of ten. Returns 0 below `floor_`;
 * the edit distance stops as soon as the floor is out of reach, and is not
 * computed when the letters alone put it there (most pairs compared are
 * unrelated names). */
static float typo_similarity(const char *a, size_t na, uint64_t bits_a, const char *b,
                             size_t nb, uint64_t bits_b, float floor_)
{
    size_t m = na > nb ? na : nb;
    if (m < 4)
        return 0.0f;
    float penalty = (m <= 5 ? 0.05f : 0.0f) + (a[0] != b[0] ? 0.05f : 0.0f);
    float room = 1.0f - penalty - floor_;      /* share of m that may differ */
    if (room < 0)
        return 0.0f;
    unsigned max_d = (unsigned)(room * (float)m + 1e-4f);
    size_t diff = na > nb ? na - nb : nb - na;
    if (diff > max_d || letters_too_far(bits_a, bits_b, max_d))
        return 0.0f;
    unsigned d = edit_distance(a, na, b, nb, max_d);
    if (d > max_d)
        return 0.0f;
    return 1.0f - (float)d / (float)m - penalty;
}

float token_similarity(const name_token *q, const name_token *n,
                       interdict_match_kind *kind)
{
    bool abjad = q->abjad || n->abjad;
    float best = 0.0f;
    interdict_match_kind k = INTERDICT_MATCH_FUZZY;

    if (q->len == n->len && memcmp(q->text, n->text, q->len) == 0) {
        *kind = INTERDICT_MATCH_EXACT;
        return 1.0f;
    }
    if ((q->noart_len == n->len && q->noart_len && memcmp(q->noart, n->text, n->len) == 0) ||
        (n->noart_len == q->len && n->noart_len && memcmp(n->noart, q->text, q->len) == 0)) {
        *kind = INTERDICT_MATCH_VARIANT;
        return 0.97f;
    }
    /* A single letter is an initial: weak but real evidence. */
    if (q->len == 1 && n->len > 1 && q->text[0] == n->text[0]) {
        *kind = INTERDICT_MATCH_INITIAL;
        return 0.75f;
    }
    if (q->key_len > 0 && q->key_len == n->key_len && memcmp(q->key, n->key, q->key_len) == 0) {
        best = q->key_len <= 3 ? 0.85f : 0.93f;
        k = INTERDICT_MATCH_VARIANT;
    }
    /* Othman / Osman, Ramadan / Ramazan, Jamal / Gamal: the same Arabic
     * letters romanised another way. Short keys say too little. */
    if (best < ALT_KEY_SIM && (q->alt_len || n->alt_len)) {
        size_t qn, nn;
        const char *qa = alt_or_key(q, &qn), *na = alt_or_key(n, &nn);
        if (qn > 3 && qn == nn && memcmp(qa, na, qn) == 0) {
            best = ALT_KEY_SIM;
            k = INTERDICT_MATCH_VARIANT;
        }
    }
    /* Choe / Choi, Ri / Lee, Chol / Cheol / Chul: one Korean syllable in
     * two romanisations (a query has the key only when it reads as Korean) */
    if (best < KOREAN_KEY_SIM && q->kor_len && q->kor_len == n->kor_len &&
        memcmp(q->kor, n->kor, q->kor_len) == 0) {
        best = KOREAN_KEY_SIM;
        k = INTERDICT_MATCH_VARIANT;
    }
    if (abjad && q->cons_len >= 2 && q->cons_len == n->cons_len &&
        memcmp(q->cons, n->cons, q->cons_len) == 0) {
        /* Few consonants say little: many names share "hmd" or "ln". */
        float s = q->cons_len >= 4 ? 0.9f : q->cons_len == 3 ? 0.85f : 0.78f;
        if (s > best) {
            best = s;
            k = INTERDICT_MATCH_VARIANT;
        }
    }
    if (best < 0.93f) {
        float floor_ = best > TOKEN_SIM_MIN ? best : TOKEN_SIM_MIN;
        float s = typo_similarity(q->text, q->len, q->text_bits, n->text, n->len, n->text_bits,
                                  floor_);
        float sk = typo_similarity(q->key, q->key_len, q->key_bits, n->key, n->key_len,
                                   n->key_bits, floor_ + 0.04f);
        if (sk > 0 && sk - 0.04f > s)
            s = sk - 0.04f;
        if (abjad) {
            float sc = typo_similarity(q->cons, q->cons_len, q->cons_bits, n->cons,
                                       n->cons_len, n->cons_bits, floor_ + 0.06f);
            if (sc > 0 && sc - 0.06f > s)
                s = sc - 0.06f;
        }
        if (s > best) {
            best = s;
            k = INTERDICT_MATCH_FUZZY;
        }
    }
    if (best < TOKEN_SIM_MIN)
        return 0.0f;
    *kind = k;
    return best;
}
