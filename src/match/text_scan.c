/* text_scan.c - mentions of listed parties in running text.
 *
 * One pass over the bytes:
 *  1. The text is cut into words (letters, digits, apostrophes inside a
 *     word) with their byte offsets; punctuation that ends a phrase, a
 *     blank line, a long run of separators, control characters and
 *     invalid bytes end a passage. A word hyphenated across a line break
 *     is rejoined when the joined form is spelled as a listed name part.
 *  2. Each distinct word is normalised once (a per-result cache): ASCII
 *     directly, Latin, Cyrillic and Arabic letters through a table built
 *     from the ICU transliterator, other scripts through ICU itself. It is
 *     looked up among the tokens of listed names (spelling, phonetic key,
 *     consonant skeleton, attached article). A word that is no listed
 *     token as written is tried without what inflection or syntax attached
 *     to it: Arabic particles (و ف ب ك ل), Russian case endings, an
 *     English possessive, a French elided article.
 *  3. Words that match listed tokens gather into a passage; when the
 *     passage ends (or no match came for several words) the listed names
 *     that share enough of its tokens are aligned with the nearest run of
 *     matching words and scored by how much of the name the run covers.
 *  4. A mention alerts only with enough evidence: all of a multi-part
 *     name's outer parts (a long name may lack some middle ones); a
 *     one-word name must be spelled as listed, no everyday word, a
 *     capitalised proper noun, and a party's own (or an organisation's)
 *     name; a short all-capitals alias must appear in capitals; a title or
 *     company word beside a weak name counts as evidence; parts that only
 *     sound alike are not enough.
 * Memory is bounded: the cache starts afresh when full (keeping the words
 * seen twice), and only the bytes of the passage in progress are kept
 * between chunks of a stream. Hits are kept until the end.
 */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "../text/normalize.h"
#include "../text/text_fold.h"
#include "../util/arena.h"
#include "../util/error.h"
#include "index.h"
#include "similarity.h"
#include "text_scan.h"
#include "text_words.h"

#define MAX_SUB 6               /* tokens kept of one word */
#define MAX_WORD_MATCHES 16     /* listed tokens kept per token of text */
#define MAX_LOOKUP 64
#define MIN_TEXT_SIM 0.80f      /* weaker token likeness is no evidence in text */
#define MIN_FUZZY_SIM 0.85f
#define MIN_ABJAD_SIM 0.75f     /* consonants alone, when one side has no vowels written */
#define TRIGGER_SIM 0.88f       /* a match strong enough to wake the names it is rare in */
#define STRIP_DISCOUNT 0.97f    /* a word matched only after removing an affix */
#define FOREIGN_DISCOUNT 0.9f   /* per word inside a mention not in the name */
#define LOW_ALIAS_DISCOUNT 0.95f
#define DERIVED_ACRONYM_SCORE 0.9
#define DEFAULT_PER_SPAN 5
#define MAX_ACRONYMS 4          /* listed names one acronym may stand for */
#define CACHE_MAX_WORDS (1u << 16)
#define CACHE_MAX_CHARS ((size_t)8 << 20)
#define MAX_SEG_HITS 4096

/* ---- Per-index tables ------------------------------------------------------ */

enum {
    VF_CORE = 1,      /* a name part or number: can identify a party */
    VF_COMMON = 2,    /* an everyday word */
    VF_EXTRA = 4      /* title, company word, connector: supporting evidence */
};

enum {
    NF_ACRONYM = 1,   /* short all-capitals single word, e.g. AQI */
    NF_LOW = 2,       /* low-quality alias */
    NF_ENTITY = 4,    /* an organisation, vessel or aircraft */
    NF_NUMBER = 8,    /* its only core part is a number */
    NF_AR_ARTICLE = 16 /* Arabic script, starting with the article: القاعدة */
};

typedef struct name_info {
    uint8_t n_core;          /* core positions */
    uint8_t need;            /* distinct core tokens that must match */
    uint8_t first_core, last_core;
    uint8_t flags;
} name_info;

typedef struct acro_slot {
    uint64_t hash;
    char text[12];
    uint32_t names[MAX_ACRONYMS];
    uint8_t n;
} acro_slot;

typedef struct text_tables {
    uint8_t *vflags;          /* per vocabulary token */
    /* A name that needs k of its n distinct core tokens holds one of its
     * n-k+1 rarest: it is listed under those only, so a frequent token
     * (Ali, Mohammed) wakes few names. */
    uint32_t *pref_start;     /* per vocabulary token, n_vocab + 1 */
    uint32_t *pref;           /* name ids */
    uint32_t *core_start;     /* per name, n_names + 1 */
    uint32_t *core;           /* distinct core vocabulary ids of each name */
    uint32_t *entry_df;       /* entries whose names hold the token */
    name_info *names;
    uint32_t *filter;         /* fingerprints of every string a lookup can hit */
    size_t filter_cap;
    acro_slot *acros;         /* initials of long organisation names */
    size_t acro_cap;
} text_tables;

/* ---- Word cache -------------------------------------------------------------- */

typedef struct wmatch {
    uint32_t vocab;
    float sim;
    uint8_t kind;
} wmatch;

enum {
    SUB_CORE = 1,     /* matches a listed name part */
    SUB_LIGHT = 2,    /* an article or connector (al, bin): may sit inside any name */
    SUB_TRIGGER = 4   /* matches a part rare enough to stand for some name */
};

typedef struct wsub {
    uint32_t norm;            /* offset of the normalised token in chars */
    uint32_t match;           /* first in matches */
    uint16_t rel_start, rel_end;   /* bytes of the word it stands for */
    uint8_t norm_len, n_match, flags;
} wsub;

enum {
    W_CAP = 1,        /* starts with a capital */
    W_ALLCAPS = 2,    /* every cased letter a capital, two or more letters */
    W_CASED = 4,      /* written in a script with capitals */
    W_STRIPPED = 8,   /* matched after removing an affix */
    W_PLAIN = 16,     /* matches nothing: its slot says all there is to know */
    W_ARTICLE = 32,   /* Arabic script, starts with the article ال */
    W_DIGIT = 64,     /* starts with a digit */
    W_CYRILLIC = 128  /* written in Cyrillic */
};

typedef struct wentry {
    uint64_t hash;
    uint32_t raw;             /* offset of the raw bytes in chars */
    uint32_t sub;             /* first in subs */
    uint32_t acro;            /* first in acros */
    uint16_t raw_len;
    uint8_t n_sub, n_acro, flags;
    uint8_t spell;            /* 100 x spelling likeness of its worst part to a listed part */
} wentry;

enum { HOT_SLOTS = 4096 };

/* A word's slot holds what a word that matches nothing needs (most words),
 * so emitting it touches no other memory; the first eight bytes are kept
 * inline, so a short word is verified without reading its stored copy. */
typedef struct wslot {
    uint64_t hash;            /* 0: empty */
    uint64_t head;            /* first bytes of the word, zero-padded */
    uint32_t entry;
    uint8_t len;              /* words are at most TEXT_WORD_MAX_BYTES */
    uint8_t hits;             /* seen again since it was stored (saturates) */
    uint8_t n_sub, flags;     /* W_* of the entry, W_PLAIN if it matches nothing */
} wslot;

typedef struct word_cache {
    /* Frequent words are found in a small direct-mapped table that stays
     * in the processor's cache; the rest in the big table. */
    wslot hot[HOT_SLOTS];
    wslot *slots;
    size_t cap_slots;
    wentry *entries;
    size_t n_entries, cap_entries;
    wsub *subs;
    size_t n_subs, cap_subs;
    wmatch *matches;
    size_t n_matches, cap_matches;
    uint32_t *acros;
    size_t n_acros, cap_acros;
    char *chars;
    size_t n_chars, cap_chars;
} word_cache;

/* ---- Passage ------------------------------------------------------------------- */

typedef struct seg_tok {
    uint64_t start, end;      /* absolute byte offsets */
    uint32_t pos;             /* ordinal among all tokens of the text */
    uint32_t entry;           /* cache entry */
    uint8_t sub;
    uint8_t wflags, sflags;
    uint8_t has_acro;
    uint8_t gap_lower;        /* lower-case or numeric unmatched words just before it */
} seg_tok;

typedef struct occ {
    uint32_t next;
    uint16_t tok;
    uint8_t kind;
    float sim;
} occ;

typedef struct tlink {
    float sim, order;
    uint16_t t;
    uint8_t j, kind;
} tlink;

enum { HN_STRIPPED = 1, HN_ACRONYM = 2, HN_DERIVED = 4, HN_EXTRA = 8 };

typedef struct seg_hit {
    uint32_t entry, name;
    uint16_t t_first, t_last;
    float score;
    uint8_t n_links, foreign, unmatched, notes;
    tlink links[NAME_MAX_TOKENS];
    bool dropped;
} seg_hit;

/* ---- The result and scanner ------------------------------------------------ */

struct interdict_text_result {
    interdict_text_hit *hits;
    size_t n_hits, cap_hits;
    arena strings;
    bool arena_live;
    char warning[192];

    /* scan in progress */
    const interdict_index *ix;
    double threshold;
    size_t per_span;
    bool active;
    const unsigned char *cur;  /* bytes being scanned */
    size_t cur_len;
    uint64_t cur_base;         /* absolute offset of cur[0] */
    size_t at;                 /* resume point in cur */
    unsigned char *buf;        /* stream: kept and new bytes */
    size_t buf_len, buf_cap;
    bool junk;                 /* inside an overlong word */
    bool prev_short;           /* last word was a short abbreviation ("Dr") */
    uint64_t invalid, first_invalid;
    uint64_t invalid_upto;     /* bytes before it already counted */
    uint32_t pos;
    uint32_t last_match_pos;
    uint8_t gap_lower;         /* lower-case unmatched words since the last match */

    seg_tok *seg;
    size_t n_seg, cap_seg;
    bool seg_core;

    /* tables for the index last used */
    const interdict_index *tables_for;
    text_tables tt;
    word_cache cache;

    /* scratch */
    uint32_t stamp;
    uint32_t *vocab_stamp, *occ_head;
    uint32_t *name_stamp;
    occ *occs;
    size_t n_occs, cap_occs;
    uint32_t *core_list, *cands;
    size_t n_core_list, cap_core_list, n_cands, cap_cands;
    seg_hit *shits;
    size_t n_shits, cap_shits;
    normalized_text *nt;
    token_list *tl;
    struct analysis *an;       /* two: the best form of a word and a trial */
};

/* ---- Small helpers ------------------------------------------------------------ */

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

/* Eight bytes at a time, multiply-xorshift mixing: words are hashed once
 * per occurrence, so this is on the hot path. */
static uint64_t hash_bytes(uint64_t seed, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ ((uint64_t)n * 0x9E3779B97F4A7C15ull);
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++)   /* a loop the compiler keeps inline */
            v |= (uint64_t)p[i] << (8 * i);
        h = (h ^ v) * 0x94D049BB133111EBull;
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 29;
    return h ? h : 1;
}

static bool is_core_role(uint8_t role) { return role == ROLE_NAME || role == ROLE_NUMBER; }

static bool is_extra_role(uint8_t role)
{
    return role == ROLE_HONORIFIC || role == ROLE_ORG_WORD || role == ROLE_LEGAL ||
           role == ROLE_CONNECTOR;
}

/* ---- Building the per-index tables ------------------------------------------- */

/* The filter is small enough to stay in cache: a probe of a word that is
 * no listed token costs no trip to memory. A fingerprint collision only
 * sends a word to the full look-up. */
static uint32_t fingerprint(uint64_t h)
{
    uint32_t f = (uint32_t)(h >> 32);
    return f ? f : 1;
}

static void filter_add(text_tables *t, char tag, const char *s)
{
    size_t n = strlen(s);
    if (!n)
        return;
    uint64_t h = hash_bytes((uint64_t)(unsigned char)tag, s, n);
    uint32_t f = fingerprint(h);
    size_t i = (size_t)h & (t->filter_cap - 1);
    while (t->filter[i] && t->filter[i] != f)
        i = (i + 1) & (t->filter_cap - 1);
    t->filter[i] = f;
}

static bool filter_has(const text_tables *t, char tag, const char *s, size_t n)
{
    if (!n)
        return false;
    uint64_t h = hash_bytes((uint64_t)(unsigned char)tag, s, n);
    uint32_t f = fingerprint(h);
    for (size_t i = (size_t)h & (t->filter_cap - 1); t->filter[i];
         i = (i + 1) & (t->filter_cap - 1))
        if (t->filter[i] == f)
            return true;
    return false;
}

static acro_slot *acro_find(const text_tables *t, const char *s, size_t n, bool *found)
{
    uint64_t h = hash_bytes(0, s, n);
    size_t i = (size_t)h & (t->acro_cap - 1);
    while (t->acros[i].hash) {
        if (t->acros[i].hash == h && strlen(t->acros[i].text) == n &&
            memcmp(t->acros[i].text, s, n) == 0) {
            *found = true;
            return &t->acros[i];
        }
        i = (i + 1) & (t->acro_cap - 1);
    }
    *found = false;
    return &t->acros[i];
}

/* "Islamic State in Iraq and the Levant" is ISIL in print: the initials of
 * an organisation's name of four or more words (articles kept, filler words
 * left out), in capitals. Only Latin-script names give initials. */
static void add_initials(text_tables *t, const interdict_index *ix, uint32_t name_id)
{
    const indexed_name *nm = &ix->names[name_id];
    const interdict_entry *e = ix->entries[nm->entry];
    if (e->type == INTERDICT_PARTY_PERSON || e->type == INTERDICT_PARTY_UNKNOWN ||
        nm->derived == 2)
        return;
    for (const char *p = nm->text; *p; p++)
        if ((unsigned char)*p >= 0x80 && strncmp(p, "\xe2\x80", 2) != 0)
            return;   /* not Latin (curly quotes and dashes aside) */
    char ini[12];
    size_t n = 0;
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    for (size_t j = 0; j < nm->n_tok; j++) {
        const name_token *tok = &ix->vocab[toks[j]].tok;
        if (tok->role == ROLE_FILLER || tok->role == ROLE_LEGAL ||
            tok->role == ROLE_CONNECTOR || tok->role == ROLE_NUMBER)
            continue;
        if (tok->role == ROLE_ARTICLE && strcmp(tok->text, "al") != 0 &&
            strcmp(tok->text, "el") != 0)
            continue;
        if (n + 1 >= sizeof ini)
            return;
        char c = tok->text[0];
        if (c < 'a' || c > 'z')
            return;
        ini[n++] = (char)(c - 32);
    }
    if (n < 4 || n > 6)
        return;
    ini[n] = '\0';
    char lower[12];
    for (size_t i = 0; i <= n; i++)
        lower[i] = ini[i] >= 'A' && ini[i] <= 'Z' ? (char)(ini[i] + 32) : ini[i];
    if (text_common_word(lower, n))
        return;
    bool found;
    acro_slot *s = acro_find(t, ini, n, &found);
    if (!found) {
        s->hash = hash_bytes(0, ini, n);
        memcpy(s->text, ini, n + 1);
        s->n = 0;
    }
    for (size_t k = 0; k < s->n; k++)
        if (ix->names[s->names[k]].entry == nm->entry)
            return;   /* one name per party is enough */
    if (s->n < MAX_ACRONYMS)
        s->names[s->n++] = name_id;
}

static void free_tables(text_tables *t)
{
    free(t->vflags);
    free(t->pref_start);
    free(t->pref);
    free(t->core_start);
    free(t->core);
    free(t->entry_df);
    free(t->names);
    free(t->filter);
    free(t->acros);
    memset(t, 0, sizeof *t);
}

static bool acronym_text(const char *s)
{
    size_t n = strlen(s), letters = 0;
    if (n < 2 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            letters++;
        else if (!(s[i] >= '0' && s[i] <= '9'))
            return false;
    }
    return letters > 0;
}

/* Sorts a name's core tokens rarest first (at most NAME_MAX_TOKENS). */
static void sort_rarer(uint32_t *v, size_t n, const uint32_t *df)
{
    for (size_t a = 1; a < n; a++) {
        uint32_t x = v[a];
        size_t b = a;
        while (b > 0 && (df[x] < df[v[b - 1]] || (df[x] == df[v[b - 1]] && x < v[b - 1]))) {
            v[b] = v[b - 1];
            b--;
        }
        v[b] = x;
    }
}

static int build_prefixes(text_tables *t, const interdict_index *ix)
{
    size_t nn = ix->n_names, nv = ix->n_vocab;
    t->core_start = calloc(nn + 1, sizeof *t->core_start);
    t->pref_start = calloc(nv + 2, sizeof *t->pref_start);
    t->core = malloc((ix->n_name_tokens + 1) * sizeof *t->core);
    t->pref = malloc((ix->n_name_tokens + 1) * sizeof *t->pref);
    if (!t->core_start || !t->pref_start || !t->core || !t->pref)
        return -1;
    size_t nc = 0;
    for (size_t i = 0; i < nn; i++) {
        const indexed_name *nm = &ix->names[i];
        const uint32_t *toks = &ix->name_tokens[nm->tok_start];
        t->core_start[i] = (uint32_t)nc;
        for (size_t j = 0; j < nm->n_tok; j++) {
            if (!(t->vflags[toks[j]] & VF_CORE))
                continue;
            bool seen = false;
            for (size_t k = t->core_start[i]; k < nc && !seen; k++)
                seen = t->core[k] == toks[j];
            if (!seen)
                t->core[nc++] = toks[j];
        }
        sort_rarer(t->core + t->core_start[i], nc - t->core_start[i], t->entry_df);
    }
    t->core_start[nn] = (uint32_t)nc;
    /* count, then fill by prefix sums */
    for (size_t i = 0; i < nn; i++) {
        size_t n = t->core_start[i + 1] - t->core_start[i];
        if (!n || t->names[i].need > n)
            continue;
        size_t take = n - t->names[i].need + 1;
        for (size_t k = 0; k < take; k++)
            t->pref_start[t->core[t->core_start[i] + k] + 1]++;
    }
    for (size_t v = 0; v < nv; v++)
        t->pref_start[v + 1] += t->pref_start[v];
    uint32_t *fill = calloc(nv + 1, sizeof *fill);
    if (!fill)
        return -1;
    /* names needing fewer tokens first, so a passage with few can stop early */
    for (unsigned need = 1; need <= NAME_MAX_TOKENS; need++)
        for (size_t i = 0; i < nn; i++) {
            size_t n = t->core_start[i + 1] - t->core_start[i];
            if (!n || t->names[i].need != need || need > n)
                continue;
            size_t take = n - need + 1;
            for (size_t k = 0; k < take; k++) {
                uint32_t v = t->core[t->core_start[i] + k];
                t->pref[t->pref_start[v] + fill[v]++] = (uint32_t)i;
            }
        }
    free(fill);
    return 0;
}

static int build_tables(text_tables *t, const interdict_index *ix)
{
    memset(t, 0, sizeof *t);
    size_t nv = ix->n_vocab ? ix->n_vocab : 1, nn = ix->n_names ? ix->n_names : 1;
    t->vflags = calloc(nv, 1);
    t->entry_df = calloc(nv, sizeof *t->entry_df);
    t->names = calloc(nn, sizeof *t->names);
    t->filter_cap = 1024;
    while (t->filter_cap < ix->n_vocab * 12)   /* six strings a token, half full */
        t->filter_cap *= 2;
    t->filter = calloc(t->filter_cap, sizeof *t->filter);
    t->acro_cap = 1024;
    while (t->acro_cap < ix->n_names * 2)
        t->acro_cap *= 2;
    t->acros = calloc(t->acro_cap, sizeof *t->acros);
    if (!t->vflags || !t->entry_df || !t->names || !t->filter || !t->acros) {
        free_tables(t);
        return -1;
    }
    for (size_t v = 0; v < ix->n_vocab; v++) {
        const vocab_token *vt = &ix->vocab[v];
        uint8_t f = 0;
        if (is_core_role(vt->tok.role))
            f |= VF_CORE;
        if (is_extra_role(vt->tok.role))
            f |= VF_EXTRA;
        if (text_common_word(vt->tok.text, vt->tok.len))
            f |= VF_COMMON;
        t->vflags[v] = f;
        filter_add(t, 'T', vt->tok.text);
        filter_add(t, 'T', vt->tok.noart);
        filter_add(t, 'K', vt->tok.key);
        filter_add(t, 'K', vt->tok.alt);
        filter_add(t, 'C', vt->tok.cons);
        if (vt->tok.abjad)
            filter_add(t, 'A', vt->tok.cons);
        /* names of one entry are consecutive: count entry changes */
        uint32_t last = UINT32_MAX, df = 0;
        for (uint32_t k = 0; k < vt->post_count; k++) {
            uint32_t e = ix->names[ix->postings[vt->post_start + k]].entry;
            if (e != last)
                df++;
            last = e;
        }
        t->entry_df[v] = df;
    }
    for (size_t i = 0; i < ix->n_names; i++) {
        const indexed_name *nm = &ix->names[i];
        const interdict_entry *e = ix->entries[nm->entry];
        name_info *ni = &t->names[i];
        const uint32_t *toks = &ix->name_tokens[nm->tok_start];
        uint32_t distinct[NAME_MAX_TOKENS];
        size_t n_distinct = 0;
        bool only_numbers = true;
        ni->first_core = ni->last_core = UINT8_MAX;
        for (size_t j = 0; j < nm->n_tok; j++) {
            uint32_t v = toks[j];
            if (!(t->vflags[v] & VF_CORE))
                continue;
            if (ni->first_core == UINT8_MAX)
                ni->first_core = (uint8_t)j;
            ni->last_core = (uint8_t)j;
            ni->n_core++;
            only_numbers = only_numbers && ix->vocab[v].tok.role == ROLE_NUMBER;
            bool seen = false;
            for (size_t k = 0; k < n_distinct && !seen; k++)
                seen = distinct[k] == v;
            if (!seen)
                distinct[n_distinct++] = v;
        }
        size_t allowed = ni->n_core >= 4 ? (size_t)(ni->n_core - 2) / 2 : 0;
        ni->need = (uint8_t)(n_distinct > allowed + 1 ? n_distinct - allowed : 1);
        if (n_distinct == 0)
            ni->need = UINT8_MAX;   /* nothing that identifies anyone */
        if (e->names[nm->name_no].kind == INTERDICT_NAME_ALIAS_LOW)
            ni->flags |= NF_LOW;
        if (e->type != INTERDICT_PARTY_PERSON)
            ni->flags |= NF_ENTITY;
        if (n_distinct && only_numbers)
            ni->flags |= NF_NUMBER;
        if ((nm->n_tok == 1 && acronym_text(nm->text)) || nm->derived == 2)
            ni->flags |= NF_ACRONYM;
        if (strncmp(nm->text, "\xD8\xA7\xD9\x84", 4) == 0)
            ni->flags |= NF_AR_ARTICLE;
        add_initials(t, ix, (uint32_t)i);
    }
    return build_prefixes(t, ix);
}

/* ---- Word cache ---------------------------------------------------------------- */

static void cache_free(word_cache *c)
{
    free(c->slots);
    free(c->entries);
    free(c->subs);
    free(c->matches);
    free(c->acros);
    free(c->chars);
    memset(c, 0, sizeof *c);
}

static bool cache_full(const word_cache *c)
{
    return c->n_entries >= CACHE_MAX_WORDS || c->n_chars >= CACHE_MAX_CHARS;
}

static long cache_put_chars(word_cache *c, const void *s, size_t n)
{
    if (grow((void **)&c->chars, &c->cap_chars, c->n_chars + n + 1, 1) < 0)
        return -1;
    memcpy(c->chars + c->n_chars, s, n);
    c->chars[c->n_chars + n] = '\0';
    long off = (long)c->n_chars;
    c->n_chars += n + 1;
    return off;
}

/* ---- Characters -------------------------------------------------------------- */

enum cclass { C_SPACE, C_NEWLINE, C_BREAK, C_HYPHEN, C_APOS, C_WORD, C_IDEO, C_IGNORE };

static uint8_t ascii_class[128];
static uint8_t ascii_word[256];          /* 1 for an ASCII letter or digit */
static uint8_t two_byte_class[0x800];   /* U+0080..U+07FF */
static pthread_once_t classes_once = PTHREAD_ONCE_INIT;
static uint8_t uclass(int32_t c);

static void build_classes(void)
{
    for (int c = 0; c < 128; c++) {
        uint8_t k = C_SPACE;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            k = C_WORD;
        else if (c == '\'' || c == '`')
            k = C_APOS;
        else if (c == '\n')
            k = C_NEWLINE;
        else if (c == '-')
            k = C_HYPHEN;
        else if ((strchr(".!?;:,()[]{}\"|<>", c) && c != 0) ||
                 (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v') || c == 0x7F)
            k = C_BREAK;   /* punctuation ending a phrase; control bytes: binary, no text */
        ascii_class[c] = k;
        ascii_word[c] = k == C_WORD;
    }
    for (int32_t c = 0x80; c < 0x800; c++)
        two_byte_class[c] = uclass(c);
}

static void init_ascii(void) { pthread_once(&classes_once, build_classes); }

static bool is_ideograph(int32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) ||   /* kana */
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

static uint8_t uclass(int32_t c)
{
    switch (c) {
    case 0x2019: case 0x02BC: case 0x2018: case 0x02B9:
        return C_APOS;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return C_IGNORE;
    case 0x2028: case 0x2029: case 0x0085:
        return C_NEWLINE;
    case 0x2010: case 0x2011:
        return C_HYPHEN;
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2039:
    case 0x203A: case 0x3002: case 0xFF0C: case 0x3001: case 0xFF01: case 0xFF1F:
    case 0xFF1B: case 0xFF1A: case 0x060C: case 0x061B: case 0x061F: case 0x06D4:
    case 0x0964: case 0x2026: case 0x300C: case 0x300D: case 0x300E: case 0x300F:
    case 0xFF08: case 0xFF09: case 0x3010: case 0x3011: case 0x00A1: case 0x00BF:
    case 0x2022: case 0xFF0E:
        return C_BREAK;
    default:
        break;
    }
    if (is_ideograph(c))
        return C_IDEO;
    switch (u_charType(c)) {
    case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER: case U_OTHER_LETTER: case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK: case U_COMBINING_SPACING_MARK: case U_DECIMAL_DIGIT_NUMBER:
        return C_WORD;
    default:
        return C_SPACE;
    }
}

/* Strict UTF-8: returns the length of the sequence at p and its code
 * point, -1 for an invalid byte (length 1), or 0 when the buffer ends
 * inside an otherwise valid sequence. */
static size_t decode(const unsigned char *p, size_t n, int32_t *cp)
{
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    int32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return 0;
        if ((p[i] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return len;
}

/* ---- Normalising and looking up one word --------------------------------------- */

typedef struct tmp_sub {
    char norm[TOKEN_MAX];
    uint8_t len, n_m, flags;
    wmatch m[MAX_WORD_MATCHES];
} tmp_sub;

struct analysis {
    tmp_sub sub[MAX_SUB];
    size_t n_sub;
    float best_core;          /* best likeness of a part to a listed name part */
    float best_spell;         /* spelling likeness of the word's worst-matched part */
};
typedef struct analysis analysis;

typedef struct cp_at {
    int32_t cp;
    uint16_t off;
} cp_at;

/* Lower-case ASCII of raw[rs..re) as normalize_name() would write it,
 * apostrophes dropped. Returns false when some character needs ICU. */
static bool fold_fast(const cp_at *cps, size_t from, size_t to, char *out, size_t cap,
                      size_t *len, bool *abjad)
{
    size_t n = *len;
    for (size_t i = from; i < to; i++) {
        int32_t c = cps[i].cp;
        const char *s;
        size_t k;
        char one;
        if (c < 0x80) {
            if (ascii_class[c] == C_APOS)
                continue;
            one = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            s = &one;
            k = 1;
        } else if (c < 0x800 ? (two_byte_class[c] == C_APOS || two_byte_class[c] == C_IGNORE)
                             : (uclass(c) == C_APOS || uclass(c) == C_IGNORE)) {
            continue;
        } else if (!text_fold_char(c, &s, &k)) {
            return false;
        }
        if (c >= 0x0600 && c < 0x0700)
            *abjad = true;
        if (n + k + 1 >= cap)
            return false;
        memcpy(out + n, s, k);
        n += k;
    }
    *len = n;
    return true;
}

/* Collapses spaces and trims, in place. */
static size_t tidy(char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' && (k == 0 || s[k - 1] == ' '))
            continue;
        s[k++] = s[i];
    }
    while (k > 0 && s[k - 1] == ' ')
        k--;
    s[k] = '\0';
    return k;
}

/* Could any lookup of this part hit a listed token? A cheap superset test
 * before the full tokenisation: most words of a text are no name. */
static bool may_match(const text_tables *t, const char *p, size_t n, bool abjad, bool strict)
{
    if (n <= 2 || strncmp(p, "abd", 3) == 0)
        return true;
    char w[TOKEN_MAX], key[TOKEN_MAX], cons[TOKEN_MAX];
    if (n >= TOKEN_MAX)
        n = TOKEN_MAX - 1;
    memcpy(w, p, n);
    w[n] = '\0';
    if (n <= 6 && strchr("biow", w[0]) && strcmp(canonical_word(w), w) != 0)
        return true;   /* a connector: ibn, ould ... become bin */
    for (int pass = 0; pass < 2; pass++) {
        const char *s = pass == 0 ? w : w + 2;
        size_t m = pass == 0 ? n : n - 2;
        if (pass == 1 && !((w[0] == 'a' || w[0] == 'e') && w[1] == 'l' && n >= 4))
            break;
        if (filter_has(t, 'T', s, m))
            return true;
        if (strict)
            continue;   /* only the spelling can match */
        size_t kl = phonetic_key(s, m, key, sizeof key);
        if (filter_has(t, 'K', key, kl))
            return true;
        if (has_alt_letters(s, m) && filter_has(t, 'K', key, alt_key(s, m, key, sizeof key)))
            return true;
        size_t cl = consonant_skeleton(s, m, cons, sizeof cons);
        if (filter_has(t, abjad ? 'C' : 'A', cons, cl))
            return true;
    }
    return false;
}

static void add_match(tmp_sub *s, uint32_t v, float sim, uint8_t kind)
{
    for (size_t i = 0; i < s->n_m; i++)
        if (s->m[i].vocab == v) {
            if (sim > s->m[i].sim) {
                s->m[i].sim = sim;
                s->m[i].kind = kind;
            }
            return;
        }
    if (s->n_m < MAX_WORD_MATCHES) {
        s->m[s->n_m++] = (wmatch){v, sim, kind};
        return;
    }
    size_t worst = 0;
    for (size_t i = 1; i < s->n_m; i++)
        if (s->m[i].sim < s->m[worst].sim)
            worst = i;
    if (sim > s->m[worst].sim)
        s->m[worst] = (wmatch){v, sim, kind};
}

/* Tokenises a folded word and finds the listed tokens each part resembles. */
static void analyze(interdict_text_result *r, char *folded, size_t flen, bool abjad,
                    bool strict, bool uncased, analysis *a)
{
    const interdict_index *ix = r->ix;
    const text_tables *t = &r->tt;
    a->n_sub = 0;
    a->best_core = 0;
    a->best_spell = 0;
    flen = tidy(folded, flen);
    if (!flen)
        return;
    bool any = false;
    for (const char *p = folded; *p && !any;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        any = may_match(t, p, n, abjad, strict);
        p = e ? e + 1 : p + n;
    }
    if (!any) {
        /* no listed token: only the count of parts matters */
        for (const char *p = folded; *p && a->n_sub < MAX_SUB;) {
            const char *e = strchr(p, ' ');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            tmp_sub *s = &a->sub[a->n_sub++];
            if (n >= TOKEN_MAX)
                n = TOKEN_MAX - 1;
            memcpy(s->norm, p, n);
            s->norm[n] = '\0';
            s->len = (uint8_t)n;
            s->n_m = 0;
            s->flags = 0;
            p = e ? e + 1 : p + n;
        }
        return;
    }
    token_list *tl = r->tl;
    tokenize_name(folded, abjad, tl);
    keep_korean_keys_of_korean_names(tl);
    uint32_t ids[MAX_LOOKUP];
    for (size_t i = 0; i < tl->n && a->n_sub < MAX_SUB; i++) {
        const name_token *q = &tl->tok[i];
        tmp_sub *s = &a->sub[a->n_sub++];
        memcpy(s->norm, q->text, q->len + 1u);
        s->len = q->len;
        s->n_m = 0;
        s->flags = 0;
        struct { map_field f; const char *str; } ways[] = {
            {FIELD_TEXT, q->text}, {FIELD_NOART, q->text}, {FIELD_TEXT, q->noart},
            {FIELD_KEY, q->key}, {FIELD_CONS, q->cons}, {FIELD_ALT, q->alt_len ? q->alt : q->key},
            {FIELD_KEY, q->alt},
        };
        for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
            size_t n = index_lookup(ix, ways[w].f, ways[w].str, ids, MAX_LOOKUP);
            for (size_t k = 0; k < n; k++) {
                /* skeletons only stand in for spelling when vowels are unwritten */
                if (ways[w].f == FIELD_CONS && !q->abjad && !ix->vocab[ids[k]].tok.abjad)
                    continue;
                interdict_match_kind kind = INTERDICT_MATCH_FUZZY;
                float sim = token_similarity(q, &ix->vocab[ids[k]].tok, &kind);
                bool abjad_pair = q->abjad || ix->vocab[ids[k]].tok.abjad;
                float floor_ = abjad_pair && kind == INTERDICT_MATCH_VARIANT ? MIN_ABJAD_SIM
                               : kind == INTERDICT_MATCH_FUZZY ? MIN_FUZZY_SIM : MIN_TEXT_SIM;
                if (sim < floor_ || kind == INTERDICT_MATCH_INITIAL)
                    continue;
                /* a lower-case word in a script with capitals is rarely a
                 * name: it must be spelled as one */
                if (strict && kind != INTERDICT_MATCH_EXACT && sim < 0.97f)
                    continue;
                add_match(s, ids[k], sim, (uint8_t)kind);
            }
        }
        /* an everyday word of a script without capitals (في, على) is no
         * name part, whatever it resembles */
        if (uncased && text_common_word(s->norm, s->len)) {
            size_t kept = 0;
            for (size_t k = 0; k < s->n_m; k++)
                if (!(t->vflags[s->m[k].vocab] & VF_CORE))
                    s->m[kept++] = s->m[k];
            s->n_m = (uint8_t)kept;
        }
        bool core = false, trigger = false;
        float spell = 0;
        for (size_t k = 0; k < s->n_m; k++) {
            uint32_t v = s->m[k].vocab;
            if (!(t->vflags[v] & VF_CORE))
                continue;
            core = true;
            if (s->m[k].sim > a->best_core)
                a->best_core = s->m[k].sim;
            if (s->m[k].kind == INTERDICT_MATCH_EXACT) {
                spell = 1.0f;
            } else if (s->m[k].sim >= 0.9f && spell < 1.0f) {
                const name_token *vt = &ix->vocab[v].tok;
                float sp = string_similarity(s->norm, s->len, vt->text, vt->len, 0.5f);
                if (sp > spell)
                    spell = sp;
            }
            trigger = trigger || (s->m[k].sim >= TRIGGER_SIM && t->pref_start[v + 1] > t->pref_start[v]);
        }
        bool light = false;
        for (size_t k = 0; k < s->n_m && !core && !light; k++) {
            uint8_t role = ix->vocab[s->m[k].vocab].tok.role;
            light = s->m[k].sim >= 0.9f && (role == ROLE_ARTICLE || role == ROLE_CONNECTOR);
        }
        if (core)
            s->flags = SUB_CORE;
        else if (light)
            s->flags = SUB_LIGHT;
        if (trigger)
            s->flags |= SUB_TRIGGER;
        /* a word is as well matched as its worst part ("llqa dh" is not
         * al-Qaida, "alqa dh" is) */
        if (a->n_sub == 1 || spell < a->best_spell)
            a->best_spell = spell;
    }
}

/* Folds raw[cps[from]..cps[to]) (plus an optional folded prefix) and
 * analyses it. Returns false when it cannot be normalised. */
static uint8_t case_flags(const cp_at *cps, size_t from, size_t to);

static bool analyze_range(interdict_text_result *r, const unsigned char *raw, const cp_at *cps,
                          size_t n_cp, size_t raw_len, size_t from, size_t to,
                          const char *prefix, const char *suffix, int word_case, analysis *a)
{
    uint8_t cf = word_case >= 0 ? (uint8_t)word_case : case_flags(cps, from, to);
    /* lower-case words of a script with capitals, and ideographs (every
     * one of them reads as a syllable of some name), must be spelled as
     * a listed part to match */
    bool ideo = to > from && is_ideograph(cps[from].cp);
    bool strict = ((cf & W_CASED) && !(cf & (W_CAP | W_ALLCAPS))) || ideo;
    bool uncased = !(cf & W_CASED);
    char folded[TEXT_WORD_MAX_BYTES * 4 + 16];
    size_t flen = 0;
    bool abjad = false;
    if (prefix) {
        flen = strlen(prefix);
        memcpy(folded, prefix, flen);
    }
    if (!fold_fast(cps, from, to, folded, sizeof folded - 8, &flen, &abjad)) {
        size_t bs = cps[from].off, be = to < n_cp ? cps[to].off : raw_len;
        if (normalize_name((const char *)raw + bs, be - bs, r->nt, "text", NULL) != INTERDICT_OK) {
            a->n_sub = 0;
            a->best_core = 0;
            a->best_spell = 0;
            return !prefix && !suffix;
        }
        size_t pl = prefix ? strlen(prefix) : 0;
        if (pl + r->nt->len + 8 >= sizeof folded)
            return false;
        memcpy(folded + pl, r->nt->text, r->nt->len);
        flen = pl + r->nt->len;
        abjad = abjad || r->nt->from_abjad;
    }
    if (suffix) {
        size_t sl = strlen(suffix);
        memcpy(folded + flen, suffix, sl);
        flen += sl;
    }
    folded[flen] = '\0';
    analyze(r, folded, flen, abjad, strict, uncased, a);
    return true;
}

static bool is_cyrillic(int32_t c) { return c >= 0x0400 && c < 0x0530; }

static int32_t lower_cp(int32_t c) { return u_tolower(c); }

/* Russian case endings (lower case), longest first. */
static const int32_t RU_ENDINGS[][3] = {
    {0x0430, 0x043C, 0x0438}, {0x044F, 0x043C, 0x0438}, {0x043E, 0x0433, 0x043E},
    {0x0435, 0x0433, 0x043E}, {0x043E, 0x043C, 0x0443}, {0x0435, 0x043C, 0x0443},
    {0x044B, 0x043C, 0x0438}, {0x0438, 0x043C, 0x0438},
    {0x043E, 0x0439, 0}, {0x0435, 0x0439, 0}, {0x043E, 0x043C, 0}, {0x0435, 0x043C, 0},
    {0x044B, 0x043C, 0}, {0x0438, 0x043C, 0}, {0x0430, 0x0445, 0}, {0x044F, 0x0445, 0},
    {0x043E, 0x0432, 0}, {0x0435, 0x0432, 0}, {0x0443, 0x044E, 0}, {0x043E, 0x044E, 0},
    {0x0430, 0, 0}, {0x0443, 0, 0}, {0x0435, 0, 0}, {0x044B, 0, 0}, {0x0438, 0, 0},
    {0x044E, 0, 0}, {0x044F, 0, 0},
};

typedef struct alt {
    size_t from, to;          /* code point range */
    const char *prefix, *suffix;
} alt;

static bool is_apos_cp(int32_t c)
{
    return c == '\'' || c == '`' || c == 0x2019 || c == 0x02BC || c == 0x2018 || c == 0x02B9;
}

/* French and Italian articles and prepositions that elide before a vowel:
 * d'Al-Qaida, l'État, dell'ISIS. */
static bool elision_prefix(const cp_at *cps, size_t n)
{
    static const char *const ELIDED[] = {"l", "d", "j", "m", "n", "s", "t", "c", "qu",
                                         "jusqu", "lorsqu", "puisqu", "dell", "all",
                                         "dall", "nell", "sull", "un", NULL};
    char w[8];
    if (n == 0 || n >= sizeof w)
        return false;
    for (size_t i = 0; i < n; i++) {
        int32_t c = cps[i].cp;
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c < 'a' || c > 'z')
            return false;
        w[i] = (char)c;
    }
    w[n] = '\0';
    for (const char *const *e = ELIDED; *e; e++)
        if (!strcmp(*e, w))
            return true;
    return false;
}

/* Shorter forms of a word to try when it matches nothing as written. */
static size_t word_alternatives(const cp_at *cps, size_t n_cp, bool cap, bool lower, alt *out,
                                size_t cap_out)
{
    size_t n = 0;
    if (n_cp == 0)
        return 0;
    /* apostrophes: d'Al, l'État (elision); Zawahiri's, Bağdadi'nin (suffix) */
    size_t first = n_cp, last = n_cp;
    for (size_t i = 0; i < n_cp; i++)
        if (is_apos_cp(cps[i].cp)) {
            if (first == n_cp)
                first = i;
            last = i;
        }
    if (first != n_cp) {
        bool elide = first >= 1 && first <= 5 && n_cp - first - 1 >= 2;
        bool suffix = n_cp - last - 1 <= 4 && last >= 2;
        if (elide && n < cap_out)
            out[n++] = (alt){first + 1, n_cp, NULL, NULL};
        if (suffix && n < cap_out)
            out[n++] = (alt){0, last, NULL, NULL};
        if (elide && suffix && first < last && n < cap_out)
            out[n++] = (alt){first + 1, last, NULL, NULL};
    }
    /* Arabic particles written joined: wa-, fa- then bi-, ka-, li- (li + al
     * writes لل, the alif of the article dropped) */
    int32_t c0 = cps[0].cp;
    size_t start = 0;
    if ((c0 == 0x0648 || c0 == 0x0641) && n_cp >= 4) {
        if (n < cap_out)
            out[n++] = (alt){1, n_cp, NULL, NULL};
        start = 1;
    }
    for (size_t s = 0; s <= start; s++) {
        int32_t c = cps[s].cp;
        if (!(c == 0x0628 || c == 0x0643 || c == 0x0644) || n_cp - s - 1 < 3)
            continue;
        if (c == 0x0644 && cps[s + 1].cp == 0x0644) {
            if (n < cap_out)
                out[n++] = (alt){s + 1, n_cp, "a", NULL};
        } else if (n < cap_out) {
            out[n++] = (alt){s + 1, n_cp, NULL, NULL};
        }
    }
    /* Russian case endings: the stem, and the stem of an -a noun (names
     * are capitalised: a lower-case word is no name to decline) */
    if (!lower && is_cyrillic(cps[n_cp - 1].cp)) {
        for (size_t e = 0; e < sizeof RU_ENDINGS / sizeof RU_ENDINGS[0]; e++) {
            size_t el = RU_ENDINGS[e][2] ? 3 : RU_ENDINGS[e][1] ? 2 : 1;
            if (n_cp < el + 3)
                continue;
            bool same = true;
            for (size_t k = 0; k < el && same; k++)
                same = lower_cp(cps[n_cp - el + k].cp) == RU_ENDINGS[e][k];
            if (!same)
                continue;
            if (n < cap_out)
                out[n++] = (alt){0, n_cp - el, NULL, NULL};
            if (n < cap_out)
                out[n++] = (alt){0, n_cp - el, NULL, "a"};
            break;
        }
    }
    /* a genitive or plural s on a capitalised Latin word: Zawahiris */
    if (cap && n_cp >= 5 && cps[n_cp - 1].cp == 's' && cps[n_cp - 2].cp != 's' &&
        cps[n_cp - 2].cp < 0x80 && n < cap_out)
        out[n++] = (alt){0, n_cp - 1, NULL, NULL};
    return n;
}

/* Case of the letters in a range. */
static uint8_t case_flags(const cp_at *cps, size_t from, size_t to)
{
    size_t letters = 0, upper = 0, cased = 0;
    bool first_upper = false, seen_letter = false;
    for (size_t i = from; i < to; i++) {
        int32_t c = cps[i].cp;
        bool up, low;
        if (c < 0x80) {
            up = c >= 'A' && c <= 'Z';
            low = c >= 'a' && c <= 'z';
        } else if (c >= 0x0600 && c < 0x0700) {
            up = low = false;   /* Arabic: no case */
        } else if (c >= 0x0400 && c < 0x0460) {
            up = c < 0x0430;
            low = !up;
        } else if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) {
            up = c <= 0xDE;
            low = !up;
        } else {
            up = u_isupper(c) || u_istitle(c);
            low = u_islower(c);
        }
        bool letter = up || low || (c >= 0x0600 && c < 0x0700) || (c >= 0x80 && u_isalpha(c));
        if (!letter)
            continue;
        if (!seen_letter)
            first_upper = up;
        seen_letter = true;
        letters++;
        upper += up;
        cased += up || low;
    }
    uint8_t f = 0;
    if (cased)
        f |= W_CASED;
    if (first_upper)
        f |= W_CAP;
    if (letters >= 2 && cased && upper == cased)
        f |= W_ALLCAPS;
    return f;
}

/* Normalises and looks up a word not yet in the cache; stores it. */
static long compute_word(interdict_text_result *r, const unsigned char *raw, size_t len,
                         uint64_t h)
{
    word_cache *c = &r->cache;
    cp_at cps[TEXT_WORD_MAX_BYTES + 8];
    size_t n_cp = 0;
    for (size_t i = 0; i < len && n_cp < sizeof cps / sizeof cps[0];) {
        int32_t cp;
        size_t k = decode(raw + i, len - i, &cp);
        if (k == 0)
            k = len - i, cp = 0xFFFD;
        cps[n_cp++] = (cp_at){cp < 0 ? 0xFFFD : cp, (uint16_t)i};
        i += k;
    }
    analysis *best = r->an, *trial = r->an + 1;
    size_t from = 0, to = n_cp;
    uint8_t wflags = 0;
    uint8_t whole_case = case_flags(cps, 0, n_cp);
    if (!analyze_range(r, raw, cps, n_cp, len, 0, n_cp, NULL, NULL, whole_case, best))
        best->n_sub = 0;
    /* a word that matches no listed part as spelled may once its affixes
     * are off: the form spelled most like a listed part wins */
    if (best->best_spell < 1.0f) {
        alt alts[12];
        uint8_t cf = whole_case;
        bool cap = cf & W_CAP, lower = (cf & W_CASED) && !(cf & (W_CAP | W_ALLCAPS));
        size_t n_alt = word_alternatives(cps, n_cp, cap, lower, alts, 12);
        for (size_t k = 0; k < n_alt; k++) {
            if (alts[k].from >= alts[k].to)
                continue;
            if (!analyze_range(r, raw, cps, n_cp, len, alts[k].from, alts[k].to,
                               alts[k].prefix, alts[k].suffix, -1, trial))
                continue;
            if (trial->best_core >= 0.9f && trial->best_spell > best->best_spell) {
                *best = *trial;
                from = alts[k].from;
                /* an apostrophe or a joined particle is a boundary in the
                 * text; an inflected ending is part of the word as written */
                bool boundary = alts[k].to < n_cp && is_apos_cp(cps[alts[k].to].cp);
                to = boundary ? alts[k].to : n_cp;
                wflags |= W_STRIPPED;
                for (size_t i = 0; i < best->n_sub; i++)
                    for (size_t m = 0; m < best->sub[i].n_m; m++) {
                        best->sub[i].m[m].sim *= STRIP_DISCOUNT;
                        best->sub[i].m[m].kind = INTERDICT_MATCH_VARIANT;
                    }
                if (best->best_spell >= 1.0f)
                    break;
            }
        }
    }
    wflags |= from == 0 && to == n_cp ? whole_case : case_flags(cps, from, to);
    if (n_cp && cps[0].cp >= '0' && cps[0].cp <= '9')
        wflags |= W_DIGIT;
    if (to > from && is_cyrillic(cps[from].cp))
        wflags |= W_CYRILLIC;
    if ((to - from >= 2 && cps[from].cp == 0x0627 && cps[from + 1].cp == 0x0644) ||
        (from >= 1 && cps[from - 1].cp == 0x0644 && to > from && cps[from].cp == 0x0644))
        wflags |= W_ARTICLE;   /* ال..., or لل... (li + al) */

    /* d'Al, l'Etat: the article is a word of its own, whatever the joined
     * form happens to match */
    if (!(wflags & W_STRIPPED)) {
        size_t ap = 0;
        while (ap < n_cp && !is_apos_cp(cps[ap].cp))
            ap++;
        if (ap < n_cp && ap + 2 < n_cp && elision_prefix(cps, ap) &&
            analyze_range(r, raw, cps, n_cp, len, ap + 1, n_cp, NULL, NULL, -1, trial)) {
            *best = *trial;
            from = ap + 1;
            to = n_cp;
            wflags = case_flags(cps, from, to);
        }
    }

    /* initials of a listed organisation: ISIL, AQAP */
    acro_slot *as = NULL;
    if (len >= 4 && len <= 6) {
        bool upper = true;
        for (size_t i = 0; i < len && upper; i++)
            upper = raw[i] >= 'A' && raw[i] <= 'Z';
        bool found = false;
        if (upper)
            as = acro_find(&r->tt, (const char *)raw, len, &found);
        if (!found)
            as = NULL;
    }

    if (grow((void **)&c->entries, &c->cap_entries, c->n_entries + 1, sizeof *c->entries) < 0 ||
        grow((void **)&c->subs, &c->cap_subs, c->n_subs + best->n_sub, sizeof *c->subs) < 0 ||
        grow((void **)&c->acros, &c->cap_acros, c->n_acros + MAX_ACRONYMS, sizeof *c->acros) < 0) {
        return -1;
    }
    long raw_off = cache_put_chars(c, raw, len);
    if (raw_off < 0) {
        return -1;
    }
    wentry *e = &c->entries[c->n_entries];
    e->hash = h;
    e->raw = (uint32_t)raw_off;
    e->raw_len = (uint16_t)len;
    e->sub = (uint32_t)c->n_subs;
    e->n_sub = 0;
    e->flags = wflags;
    e->acro = (uint32_t)c->n_acros;
    e->n_acro = 0;
    e->spell = (uint8_t)(best->best_spell * 100.0f + 0.5f);
    if (as) {
        for (size_t k = 0; k < as->n; k++)
            c->acros[c->n_acros++] = as->names[k];
        e->n_acro = as->n;
    }
    uint16_t rs = cps[from].off, re = to < n_cp ? cps[to].off : (uint16_t)len;
    for (size_t i = 0; i < best->n_sub; i++) {
        const tmp_sub *s = &best->sub[i];
        if (grow((void **)&c->matches, &c->cap_matches, c->n_matches + s->n_m,
                 sizeof *c->matches) < 0) {
            return -1;
        }
        long no = cache_put_chars(c, s->norm, s->len);
        if (no < 0) {
            return -1;
        }
        wsub *w = &c->subs[c->n_subs++];
        w->norm = (uint32_t)no;
        w->norm_len = s->len;
        w->match = (uint32_t)c->n_matches;
        w->n_match = s->n_m;
        w->flags = s->flags;
        w->rel_start = rs;
        w->rel_end = re;
        if (s->n_m)
            memcpy(c->matches + c->n_matches, s->m, s->n_m * sizeof *s->m);
        c->n_matches += s->n_m;
        e->n_sub++;
    }
    return (long)c->n_entries++;
}

/* The first len (at most 8) bytes as a number, reading one 8-byte word
 * when `readable` bytes may be read (a word inside the text). */
static uint64_t short_head(const unsigned char *p, size_t len, size_t readable)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (readable >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        return len >= 8 ? v : v & ((1ull << (8 * len)) - 1);
    }
#endif
    (void)readable;
    uint64_t v = 0;
    for (size_t i = 0; i < len && i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Hash of a word of at most 8 bytes, from its head. */
static uint64_t hash_short(uint64_t head, size_t len)
{
    uint64_t h = (head ^ ((uint64_t)len * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h ? h : 1;
}

static uint64_t word_head(const void *raw, size_t len)
{
    const unsigned char *p = raw;
    uint64_t v = 0;
    if (len >= 8) {
        memcpy(&v, p, 8);
        return v;
    }
    for (size_t i = 0; i < len; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static wslot slot_of(const word_cache *c, size_t id)
{
    const wentry *e = &c->entries[id];
    bool plain = e->n_acro == 0;
    for (size_t i = 0; i < e->n_sub && plain; i++)
        plain = c->subs[e->sub + i].n_match == 0;
    wslot s;
    s.hash = e->hash;
    s.head = word_head(c->chars + e->raw, e->raw_len);
    s.entry = (uint32_t)id;
    s.len = (uint8_t)e->raw_len;
    s.hits = 0;
    s.n_sub = e->n_sub;
    s.flags = (uint8_t)(e->flags | (plain ? W_PLAIN : 0));
    return s;
}

static void slot_insert(wslot *slots, size_t cap, wslot s)
{
    size_t k = (size_t)s.hash & (cap - 1);
    while (slots[k].hash)
        k = (k + 1) & (cap - 1);
    slots[k] = s;
}

static int cache_rehash(word_cache *c)
{
    size_t cap = c->cap_slots ? c->cap_slots * 2 : (size_t)CACHE_MAX_WORDS * 2;
    wslot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < c->n_entries; i++)
        slot_insert(slots, cap, slot_of(c, i));
    free(c->slots);
    c->slots = slots;
    c->cap_slots = cap;
    return 0;
}

static bool slot_is(const word_cache *c, const wslot *s, uint64_t h, uint64_t head,
                    const unsigned char *raw, size_t len)
{
    if (s->hash != h || s->len != len || s->head != head)
        return false;
    return len <= 8 || memcmp(c->chars + c->entries[s->entry].raw + 8, raw + 8, len - 8) == 0;
}

/* The slot of a word, computing it on first sight; -1 when out of memory.
 * `readable` bytes from raw may be read (at least len). Every word is
 * hashed here, so the hash need agree with nothing else. */
static int cache_get(interdict_text_result *r, const unsigned char *raw, size_t len,
                     size_t readable, wslot *out)
{
    word_cache *c = &r->cache;
    if ((c->n_entries + 1) * 2 > c->cap_slots && cache_rehash(c) < 0)
        return -1;
    uint64_t h, head;
    if (len <= 8) {
        head = short_head(raw, len, readable);
        h = hash_short(head, len);
    } else {
        head = short_head(raw, 8, readable);
        h = hash_bytes(0, raw, len);
    }
    wslot *hs = &c->hot[(h >> 40) & (HOT_SLOTS - 1)];
    if (slot_is(c, hs, h, head, raw, len)) {
        *out = *hs;
        return 0;
    }
    size_t k = (size_t)h & (c->cap_slots - 1);
    while (c->slots[k].hash) {
        if (slot_is(c, &c->slots[k], h, head, raw, len)) {
            if (c->slots[k].hits < UINT8_MAX)
                c->slots[k].hits++;
            *hs = *out = c->slots[k];
            return 0;
        }
        k = (k + 1) & (c->cap_slots - 1);
    }
    long id = compute_word(r, raw, len, h);
    if (id < 0)
        return -1;
    c->slots[k] = slot_of(c, (size_t)id);
    *hs = *out = c->slots[k];
    return 0;
}

/* Copies entry `id` of `old` into `c`; returns its new id or -1. */
static long copy_entry(word_cache *c, const word_cache *old, uint32_t id)
{
    const wentry *oe = &old->entries[id];
    if (grow((void **)&c->entries, &c->cap_entries, c->n_entries + 1, sizeof *c->entries) < 0 ||
        grow((void **)&c->subs, &c->cap_subs, c->n_subs + oe->n_sub, sizeof *c->subs) < 0 ||
        grow((void **)&c->acros, &c->cap_acros, c->n_acros + oe->n_acro + 1,
             sizeof *c->acros) < 0)
        return -1;
    wentry ne = *oe;
    long raw = cache_put_chars(c, old->chars + oe->raw, oe->raw_len);
    if (raw < 0)
        return -1;
    ne.raw = (uint32_t)raw;
    ne.sub = (uint32_t)c->n_subs;
    ne.acro = (uint32_t)c->n_acros;
    if (oe->n_acro)
        memcpy(c->acros + c->n_acros, old->acros + oe->acro, oe->n_acro * sizeof *c->acros);
    c->n_acros += oe->n_acro;
    for (size_t i = 0; i < oe->n_sub; i++) {
        wsub sb = old->subs[oe->sub + i];
        long norm = cache_put_chars(c, old->chars + sb.norm, sb.norm_len);
        if (norm < 0 || grow((void **)&c->matches, &c->cap_matches, c->n_matches + sb.n_match,
                             sizeof *c->matches) < 0)
            return -1;
        if (sb.n_match)
            memcpy(c->matches + c->n_matches, old->matches + sb.match,
                   sb.n_match * sizeof *c->matches);
        sb.norm = (uint32_t)norm;
        sb.match = (uint32_t)c->n_matches;
        c->n_matches += sb.n_match;
        c->subs[c->n_subs++] = sb;
    }
    c->entries[c->n_entries] = ne;
    slot_insert(c->slots, c->cap_slots, slot_of(c, c->n_entries));
    return (long)c->n_entries++;
}

/* Starts the cache afresh when it is full. Kept: the words the passage in
 * progress refers to (their ids change), and words seen more than once
 * since they were stored, up to half the cache; words seen once, most of a
 * text's vocabulary, go. Bounds memory on any text. */
static int cache_compact(interdict_text_result *r)
{
    word_cache old = r->cache, *c = &r->cache;
    memset(c, 0, sizeof *c);
    c->cap_slots = old.cap_slots;
    c->slots = calloc(c->cap_slots, sizeof *c->slots);
    uint32_t *new_id = malloc((old.n_entries + 1) * sizeof *new_id);
    int rc = c->slots && new_id ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < old.n_entries; i++)
        new_id[i] = UINT32_MAX;
    for (size_t t = 0; rc == 0 && t < r->n_seg; t++) {
        uint32_t id = r->seg[t].entry;
        if (new_id[id] == UINT32_MAX) {
            long n = copy_entry(c, &old, id);
            if (n < 0)
                rc = -1;
            else
                new_id[id] = (uint32_t)n;
        }
        r->seg[t].entry = new_id[id];
    }
    for (size_t k = 0; rc == 0 && k < old.cap_slots && c->n_entries < CACHE_MAX_WORDS / 2; k++) {
        const wslot *sl = &old.slots[k];
        if (!sl->hash || !sl->hits || new_id[sl->entry] != UINT32_MAX)
            continue;
        long n = copy_entry(c, &old, sl->entry);
        if (n < 0)
            rc = -1;
        else
            new_id[sl->entry] = (uint32_t)n;
    }
    free(new_id);
    cache_free(&old);
    return rc;
}

/* 0..100: how well the word is spelled as a listed name part. */
static unsigned word_spell(const interdict_text_result *r, const wslot *w)
{
    return w->flags & W_PLAIN ? 0 : r->cache.entries[w->entry].spell;
}

/* ---- Scoring a passage ---------------------------------------------------------- */

static int size_scratch(interdict_text_result *r, const interdict_index *ix)
{
    if (r->tables_for == ix)
        return 0;
    free_tables(&r->tt);
    cache_free(&r->cache);
    free(r->vocab_stamp);
    free(r->occ_head);
    free(r->name_stamp);
    r->tables_for = NULL;
    size_t nv = ix->n_vocab + 1, nn = ix->n_names + 1;
    r->vocab_stamp = calloc(nv, sizeof *r->vocab_stamp);
    r->occ_head = calloc(nv, sizeof *r->occ_head);
    r->name_stamp = calloc(nn, sizeof *r->name_stamp);
    if (!r->nt)
        r->nt = malloc(sizeof *r->nt);
    if (!r->tl)
        r->tl = malloc(sizeof *r->tl);
    if (!r->an)
        r->an = malloc(2 * sizeof *r->an);
    if (!r->vocab_stamp || !r->occ_head || !r->name_stamp || !r->nt || !r->an ||
        !r->tl || build_tables(&r->tt, ix) < 0)
        return -1;
    r->stamp = 0;
    r->tables_for = ix;
    return 0;
}

static void next_stamp(interdict_text_result *r)
{
    if (++r->stamp == 0) {
        memset(r->vocab_stamp, 0, (r->ix->n_vocab + 1) * sizeof *r->vocab_stamp);
        memset(r->name_stamp, 0, (r->ix->n_names + 1) * sizeof *r->name_stamp);
        r->stamp = 1;
    }
}

static const wsub *tok_sub(const interdict_text_result *r, const seg_tok *t)
{
    return &r->cache.subs[r->cache.entries[t->entry].sub + t->sub];
}

static int cmp_link_t(const void *a, const void *b)
{
    const tlink *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

static void sort_links_order(tlink *l, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        tlink x = l[k];
        size_t j = k;
        while (j > 0 && (x.order > l[j - 1].order ||
                         (x.order == l[j - 1].order &&
                          (x.t < l[j - 1].t || (x.t == l[j - 1].t && x.j < l[j - 1].j))))) {
            l[j] = l[j - 1];
            j--;
        }
        l[j] = x;
    }
}

static int push_hit(interdict_text_result *r, const seg_hit *h)
{
    if (r->n_shits >= MAX_SEG_HITS)
        return 0;
    if (grow((void **)&r->shits, &r->cap_shits, r->n_shits + 1, sizeof *r->shits) < 0)
        return -1;
    r->shits[r->n_shits++] = *h;
    return 0;
}

/* How alike a token of the text and a listed part are spelled (not merely
 * pronounced). Cyrillic has no q, w or x: Каида spells Qaida. */
static float spelled_alike(const interdict_text_result *r, const seg_tok *st,
                           const name_token *v, float floor_)
{
    const wsub *ts = tok_sub(r, st);
    const char *t = r->cache.chars + ts->norm;
    char mapped[TOKEN_MAX * 2];
    const char *vt = v->text;
    size_t vn = v->len;
    if (st->wflags & W_CYRILLIC) {
        size_t n = 0;
        for (size_t i = 0; i < v->len && n + 2 < sizeof mapped; i++) {
            char c = v->text[i];
            if (c == 'x') {
                mapped[n++] = 'k';
                mapped[n++] = 's';
            } else {
                mapped[n++] = c == 'q' ? 'k' : c == 'w' ? 'v' : c;
            }
        }
        vt = mapped;
        vn = n;
    }
    return string_similarity(t, ts->norm_len, vt, vn, floor_);
}

/* Aligns one run of text tokens [ta, tb] with listed name `name` and keeps
 * it as a hit if the evidence suffices. links are those of the run. */
static int score_run(interdict_text_result *r, uint32_t name, tlink *links, size_t nl,
                     size_t ta, size_t tb, bool *consumed)
{
    const interdict_index *ix = r->ix;
    const indexed_name *nm = &ix->names[name];
    const name_info *ni = &r->tt.names[name];
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    size_t k = nm->n_tok;
    size_t span = tb - ta + 1;
    for (size_t i = 0; i < nl; i++) {
        float dt = span > 1 ? (float)(links[i].t - ta) / (float)(span - 1) : 0.0f;
        float dj = k > 1 ? (float)links[i].j / (float)(k - 1) : 0.0f;
        links[i].order = links[i].sim - 0.01f * fabsf(dt - dj);
    }
    sort_links_order(links, nl);
    bool t_used[TEXT_SEG_MAX + TEXT_SEG_OVERLAP] = {0};
    bool j_used[NAME_MAX_TOKENS] = {0};
    float j_sim[NAME_MAX_TOKENS] = {0};
    seg_hit h;
    memset(&h, 0, sizeof h);
    /* name parts first, strongest pairs first; among equals, the one
     * nearest the parts already placed, so a name said twice in one
     * passage ("القاعدة ... قاعدة") is not taken half from each */
    for (;;) {
        size_t best = nl;
        int32_t best_d = INT32_MAX;
        for (size_t i = 0; i < nl; i++) {
            if (!(r->tt.vflags[toks[links[i].j]] & VF_CORE) || t_used[links[i].t] ||
                j_used[links[i].j])
                continue;
            int32_t d = INT32_MAX;
            int32_t p = (int32_t)r->seg[links[i].t].pos;
            for (size_t a = 0; a < h.n_links; a++) {
                int32_t q = (int32_t)r->seg[h.links[a].t].pos;
                if (abs(p - q) < d)
                    d = abs(p - q);
            }
            if (best == nl || links[i].sim > links[best].sim + 1e-4f ||
                (links[i].sim > links[best].sim - 1e-4f &&
                 (d < best_d || (d == best_d && links[i].order > links[best].order))))
                best = i, best_d = d;
        }
        if (best == nl)
            break;
        t_used[links[best].t] = j_used[links[best].j] = true;
        j_sim[links[best].j] = links[best].sim;
        h.links[h.n_links++] = links[best];
    }
    /* a part said twice nearby: keep the occurrence that makes the
     * mention shortest ("للقاعدة من دح": the dh of the first word) */
    for (int round = 0; round < 4; round++) {
        bool changed = false;
        for (size_t a = 0; a < h.n_links; a++) {
            uint32_t lo = UINT32_MAX, hi = 0;
            for (size_t b = 0; b < h.n_links; b++) {
                if (b == a)
                    continue;
                uint32_t p = r->seg[h.links[b].t].pos;
                lo = p < lo ? p : lo;
                hi = p > hi ? p : hi;
            }
            if (lo == UINT32_MAX)
                break;
            uint32_t pa = r->seg[h.links[a].t].pos;
            uint32_t width = (pa > hi ? pa : hi) - (pa < lo ? pa : lo);
            for (size_t i = 0; i < nl; i++) {
                if (links[i].j != h.links[a].j || t_used[links[i].t] ||
                    links[i].sim < h.links[a].sim - 0.1f)
                    continue;
                uint32_t p = r->seg[links[i].t].pos;
                uint32_t w = (p > hi ? p : hi) - (p < lo ? p : lo);
                if (w < width) {
                    t_used[h.links[a].t] = false;
                    t_used[links[i].t] = true;
                    h.links[a] = links[i];
                    j_sim[links[i].j] = links[i].sim;
                    width = w;
                    changed = true;
                }
            }
        }
        if (!changed)
            break;
    }
    /* the parts placed are spent, alert or not: the caller looks for
     * another mention among what is left */
    for (size_t i = 0; i < h.n_links; i++)
        consumed[h.links[i].t] = true;
    int placed = (int)h.n_links;
    /* then articles, fillers, titles and company words, each where the
     * listed name puts it: between the parts around it, or next to the
     * first or last ("the" of "... and the Levant" is not the one after
     * Levant; the "al" of "Al Qaeda" is the one just before Qaeda) */
    int32_t j_pos[NAME_MAX_TOKENS];
    for (size_t j = 0; j < k; j++)
        j_pos[j] = -1;
    for (size_t i = 0; i < h.n_links; i++)
        j_pos[h.links[i].j] = (int32_t)r->seg[h.links[i].t].pos;
    size_t n_core_links = h.n_links;
    for (size_t j = 0; j < k && n_core_links; j++) {
        if (r->tt.vflags[toks[j]] & VF_CORE)
            continue;
        int32_t prev = -1, next = -1;
        for (size_t q = j; q-- > 0;)
            if (j_pos[q] >= 0 && (r->tt.vflags[toks[q]] & VF_CORE)) {
                prev = j_pos[q];
                break;
            }
        for (size_t q = j + 1; q < k; q++)
            if (j_pos[q] >= 0 && (r->tt.vflags[toks[q]] & VF_CORE)) {
                next = j_pos[q];
                break;
            }
        int32_t lo, hi;   /* open interval of acceptable positions */
        if (prev >= 0 && next >= 0) {
            lo = prev < next ? prev : next;
            hi = prev < next ? next : prev;
        } else if (next >= 0) {
            lo = next - 3;
            hi = next;
        } else if (prev >= 0) {
            lo = prev;
            hi = prev + 3;
        } else {
            continue;
        }
        size_t best = nl;
        for (size_t i = 0; i < nl; i++) {
            int32_t p = (int32_t)r->seg[links[i].t].pos;
            if (links[i].j != j || t_used[links[i].t] || p <= lo || p >= hi)
                continue;
            /* nearest to the part it goes with */
            int32_t anchor = next >= 0 && prev < 0 ? next : prev;
            if (best == nl || abs(p - anchor) < abs((int32_t)r->seg[links[best].t].pos - anchor))
                best = i;
        }
        if (best == nl)
            continue;
        t_used[links[best].t] = j_used[j] = true;
        j_sim[j] = links[best].sim;
        j_pos[j] = (int32_t)r->seg[links[best].t].pos;
        h.links[h.n_links++] = links[best];
    }
    /* the run's ends must be used tokens */
    size_t first_t = SIZE_MAX, last_t = 0;
    for (size_t i = 0; i < h.n_links; i++) {
        if (h.links[i].t < first_t)
            first_t = h.links[i].t;
        if (h.links[i].t > last_t)
            last_t = h.links[i].t;
    }
    size_t first_j = k, last_j = 0;
    for (size_t j = 0; j < k; j++)
        if (j_used[j]) {
            if (first_j == k)
                first_j = j;
            last_j = j;
        }
    /* name side */
    size_t core_matched = 0, core_missing_edge = 0, core_missing = 0, missing_any = 0;
    bool extra = false;
    float wn = 0, mn = 0;
    for (size_t j = 0; j < k; j++) {
        const vocab_token *v = &ix->vocab[toks[j]];
        uint8_t vf = r->tt.vflags[toks[j]];
        if (vf & VF_CORE) {
            if (j_used[j])
                core_matched++;
            else {
                core_missing++;
                if (j == ni->first_core || j == ni->last_core)
                    core_missing_edge++;
            }
        }
        if (j_used[j] && (vf & VF_EXTRA))
            extra = true;
        if (v->tok.role == ROLE_ARTICLE)
            continue;
        missing_any += !j_used[j];
        float w = v->weight;
        if (j_used[j]) {
            wn += w;
            mn += w * j_sim[j];
        } else {
            wn += (j > first_j && j < last_j) ? 0.5f * w : w;
            if (v->tok.role == ROLE_NAME)
                h.unmatched++;
        }
    }
    if (core_matched == 0 || core_missing_edge > 0 || wn <= 0)
        return placed;
    size_t allowed = ni->n_core >= 4 ? (size_t)(ni->n_core - 2) / 2 : 0;
    if (core_missing > allowed)
        return placed;
    /* text side: words inside the mention that are not in the name */
    size_t light = 0, used = 0;
    for (size_t t = first_t; t <= last_t; t++) {
        if (t_used[t])
            used++;
        else if (r->seg[t].sflags & SUB_LIGHT)
            light++;
    }
    uint32_t width = r->seg[last_t].pos - r->seg[first_t].pos + 1;
    size_t foreign = width - used - light;
    if (foreign > 1 + (size_t)ni->n_core / 3)
        return placed;
    /* case and everyday words, over the core tokens matched */
    bool cased = false, capital = false, all_common = true, strong = false, lower = false;
    bool acronym_ok = true;
    float best_spell = 0;
    bool stripped = false;
    const seg_tok *core_tok = NULL;
    const vocab_token *core_v = NULL;
    uint32_t core_vid = 0;
    float core_sim = 0;
    uint8_t core_kind = 0;
    for (size_t i = 0; i < h.n_links; i++) {
        uint32_t v = toks[h.links[i].j];
        if (!(r->tt.vflags[v] & VF_CORE))
            continue;
        const seg_tok *st = &r->seg[h.links[i].t];
        cased = cased || (st->wflags & W_CASED);
        capital = capital || (st->wflags & (W_CAP | W_ALLCAPS));
        lower = lower || ((st->wflags & W_CASED) && !(st->wflags & (W_CAP | W_ALLCAPS)));
        acronym_ok = acronym_ok && h.links[i].kind == INTERDICT_MATCH_EXACT &&
                     (st->wflags & (W_ALLCAPS | W_CAP));
        if (h.links[i].kind == INTERDICT_MATCH_EXACT && !(st->wflags & W_STRIPPED))
            best_spell = 1.0f;
        all_common = all_common && (r->tt.vflags[v] & VF_COMMON);
        strong = strong || (h.links[i].sim >= 0.9f && h.links[i].kind != INTERDICT_MATCH_FUZZY);
        stripped = stripped || (st->wflags & W_STRIPPED);
        core_tok = st;
        core_v = &ix->vocab[v];
        core_vid = v;
        core_sim = h.links[i].sim;
        core_kind = h.links[i].kind;
    }
    if (!strong)
        return placed;
    /* "قاعدة" is a base, "القاعدة" al-Qaida: the article is the name */
    if (ni->flags & NF_AR_ARTICLE) {
        for (size_t i = 0; i < h.n_links; i++) {
            const seg_tok *ft = &r->seg[h.links[i].t];
            if (h.links[i].j == ni->first_core && !(ft->wflags & W_CASED) &&
                !(ft->wflags & W_ARTICLE))
                return placed;
        }
    }
    bool single = ni->n_core == 1 || (core_matched == 1 && ni->need == 1);
    if (single) {
        bool ok;
        if (core_sim < 0.9f || core_kind == INTERDICT_MATCH_FUZZY || core_v->tok.len < 2)
            return placed;
        if (ni->flags & NF_ACRONYM) {
            /* AQI only as AQI: aqi, Aqi are other words */
            ok = (core_tok->wflags & W_ALLCAPS) && core_kind == INTERDICT_MATCH_EXACT &&
                 !(r->tt.vflags[core_vid] & VF_COMMON) && missing_any == 0;
            if (ok)
                h.notes |= HN_ACRONYM;
            else if (extra && (core_tok->wflags & (W_CAP | W_ALLCAPS)))
                ok = true;
        } else if (extra) {
            /* "Colonel Rambo", "Leader International": a title or a
             * company word beside the name */
            ok = !cased || capital;
        } else {
            /* one word alone: spelled as listed (not merely pronounced
             * alike), a proper noun, no everyday word; in a script without
             * capitals, only a name the list writes in that script */
            float spell = spelled_alike(r, core_tok, &core_v->tok, 1.0f);
            /* a company's one distinctive word alone (Hara of "HARA
             * COMPANY") must be long enough to be distinctive */
            size_t min_len = (ni->flags & NF_ENTITY) && missing_any ? 6 : 4;
            ok = !(ni->flags & (NF_LOW | NF_NUMBER)) && !all_common &&
                 core_v->tok.len >= min_len && spell >= 1.0f &&
                 (cased ? capital : core_v->tok.abjad) &&
                 ((ni->flags & NF_ENTITY) || r->tt.entry_df[core_vid] <= 1);
        }
        if (extra)
            h.notes |= HN_EXTRA;
        if (!ok)
            return placed;
    } else {
        if (cased && !capital && all_common)
            return placed;   /* "the islamic army": everyday words in lower case */
        /* a name is written with capitals or without: "Mohammed army" is
         * no mention of the Army of Mohammed */
        if (capital && lower)
            return placed;
        if ((ni->flags & NF_ACRONYM) && !acronym_ok)
            return placed;   /* ISIL-K only in capitals, as listed */
        /* some part must be spelled like the listed one: names that only
         * sound alike part by part (Маса Ойли, Maychou Ali) are others */
        for (size_t i = 0; i < h.n_links && best_spell < 0.8f; i++) {
            uint32_t v = toks[h.links[i].j];
            if (r->tt.vflags[v] & VF_CORE)
                best_spell = spelled_alike(r, &r->seg[h.links[i].t], &ix->vocab[v].tok, 0.8f);
        }
        if (best_spell < 0.8f)
            return placed;
        /* and none merely sounds alike (key variants pair Elia with Ali,
         * Kuenno with Kony): outside abjads each part keeps some spelling */
        for (size_t i = 0; i < h.n_links; i++) {
            uint32_t v = toks[h.links[i].j];
            const seg_tok *st = &r->seg[h.links[i].t];
            if (!(r->tt.vflags[v] & VF_CORE) || h.links[i].kind == INTERDICT_MATCH_EXACT ||
                ix->vocab[v].tok.abjad || !(st->wflags & W_CASED))
                continue;
            if (spelled_alike(r, st, &ix->vocab[v].tok, 0.55f) < 0.55f)
                return placed;
        }
    }
    float score = mn / wn;
    for (size_t f = 0; f < foreign; f++)
        score *= FOREIGN_DISCOUNT;
    if (ni->flags & NF_LOW)
        score *= LOW_ALIAS_DISCOUNT;
    if (score < r->threshold)
        return placed;
    if (stripped)
        h.notes |= HN_STRIPPED;
    h.entry = nm->entry;
    h.name = name;
    h.t_first = (uint16_t)first_t;
    h.t_last = (uint16_t)last_t;
    h.score = score;
    h.foreign = (uint8_t)foreign;
    return push_hit(r, &h) < 0 ? -1 : placed;
}

/* Every run of nearby text tokens that link to name `name`. */
static int evaluate(interdict_text_result *r, uint32_t name)
{
    const interdict_index *ix = r->ix;
    const indexed_name *nm = &ix->names[name];
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    tlink links[256];
    size_t nl = 0;
    for (size_t j = 0; j < nm->n_tok; j++) {
        uint32_t v = toks[j];
        if (r->vocab_stamp[v] != r->stamp)
            continue;
        for (uint32_t o = r->occ_head[v]; o != UINT32_MAX && nl < 256; o = r->occs[o].next) {
            /* consonants alone (below MIN_TEXT_SIM) are evidence only in a
             * word of some length: من (mn) is "from", not Ayman */
            if (r->occs[o].sim < MIN_TEXT_SIM && tok_sub(r, &r->seg[r->occs[o].tok])->norm_len < 4)
                continue;
            links[nl++] = (tlink){r->occs[o].sim, 0, r->occs[o].tok, (uint8_t)j,
                                  r->occs[o].kind};
        }
    }
    if (!nl)
        return 0;
    for (size_t a = 1; a < nl; a++) {   /* few links: insertion sort */
        tlink x = links[a];
        size_t b = a;
        while (b > 0 && cmp_link_t(&x, &links[b - 1]) < 0) {
            links[b] = links[b - 1];
            b--;
        }
        links[b] = x;
    }
    /* split into runs: neighbours at most TEXT_MAX_GAP words apart, with
     * at most one word between them that is no article or filler */
    size_t a = 0;
    while (a < nl) {
        size_t b = a;
        while (b + 1 < nl) {
            uint16_t t1 = links[b].t, t2 = links[b + 1].t;
            if (t2 == t1) {
                b++;
                continue;
            }
            uint32_t between = r->seg[t2].pos - r->seg[t1].pos - 1;
            if (between > TEXT_MAX_GAP)
                break;
            /* in a cased script a name's parts are capitalised: a lower-case
             * word between them ("Al-Qaida leader Ayman") ends the mention */
            size_t light = 0, lower = r->seg[t2].gap_lower;
            for (size_t t = t1 + 1u; t < t2; t++) {
                const seg_tok *st = &r->seg[t];
                lower += st->gap_lower;
                if (st->sflags & SUB_LIGHT)
                    light++;
                else if (((st->wflags & W_CASED) && !(st->wflags & (W_CAP | W_ALLCAPS))) ||
                         (st->wflags & W_DIGIT))
                    lower++;
            }
            if (between - light > 1 || lower > 0)
                break;
            b++;
        }
        /* a run may hold the name twice ("قاعدة عسكرية للقاعدة"): score,
         * set aside the parts used, and score what is left */
        tlink run[256];
        size_t n = b - a + 1;
        memcpy(run, links + a, n * sizeof *run);
        for (int round = 0; round < 4 && n; round++) {
            bool consumed[TEXT_SEG_MAX + TEXT_SEG_OVERLAP] = {0};
            uint16_t lo = run[0].t, hi = run[0].t;
            for (size_t i = 1; i < n; i++) {
                lo = run[i].t < lo ? run[i].t : lo;
                hi = run[i].t > hi ? run[i].t : hi;
            }
            int placed = score_run(r, name, run, n, lo, hi, consumed);
            if (placed < 0)
                return -1;
            if (placed == 0)
                break;
            size_t m = 0, distinct = 0;
            uint32_t seen[NAME_MAX_TOKENS];
            for (size_t i = 0; i < n; i++) {
                if (consumed[run[i].t])
                    continue;
                run[m++] = run[i];
                uint32_t v = toks[run[i].j];
                if (!(r->tt.vflags[v] & VF_CORE))
                    continue;
                bool dup = false;
                for (size_t q = 0; q < distinct && !dup; q++)
                    dup = seen[q] == v;
                if (!dup && distinct < NAME_MAX_TOKENS)
                    seen[distinct++] = v;
            }
            n = m;
            if (distinct < r->tt.names[name].need)
                break;
        }
        a = b + 1;
    }
    return 0;
}

static int derived_hits(interdict_text_result *r, size_t t)
{
    const seg_tok *st = &r->seg[t];
    const wentry *e = &r->cache.entries[st->entry];
    for (size_t k = 0; k < e->n_acro; k++) {
        uint32_t name = r->cache.acros[e->acro + k];
        if (DERIVED_ACRONYM_SCORE < r->threshold)
            continue;
        seg_hit h;
        memset(&h, 0, sizeof h);
        h.entry = r->ix->names[name].entry;
        h.name = name;
        h.t_first = h.t_last = (uint16_t)t;
        h.score = (float)DERIVED_ACRONYM_SCORE;
        h.notes = HN_DERIVED;
        if (push_hit(r, &h) < 0)
            return -1;
    }
    return 0;
}

static const char *kind_word(uint8_t k)
{
    return interdict_match_kind_name((interdict_match_kind)k);
}

static void explain(const interdict_text_result *r, const seg_hit *h, char *buf, size_t size)
{
    const interdict_index *ix = r->ix;
    const indexed_name *nm = &ix->names[h->name];
    const uint32_t *toks = &ix->name_tokens[nm->tok_start];
    size_t n = 0;
    buf[0] = '\0';
#define PUT(...)                                                           \
    do {                                                                   \
        int w_ = snprintf(buf + n, size - n, __VA_ARGS__);                 \
        if (w_ < 0 || (size_t)w_ >= size - n) return;                      \
        n += (size_t)w_;                                                   \
    } while (0)
    if (h->notes & HN_DERIVED) {
        const seg_tok *st = &r->seg[h->t_first];
        const wentry *e = &r->cache.entries[st->entry];
        PUT("%.*s = initials of the listed name (acronym, same case)", (int)e->raw_len,
            r->cache.chars + e->raw);
        return;
    }
    tlink sorted[NAME_MAX_TOKENS];
    memcpy(sorted, h->links, h->n_links * sizeof *sorted);
    for (size_t a = 1; a < h->n_links; a++)   /* in the text's order */
        for (size_t b = a; b > 0 && sorted[b].t < sorted[b - 1].t; b--) {
            tlink x = sorted[b];
            sorted[b] = sorted[b - 1];
            sorted[b - 1] = x;
        }
    for (size_t i = 0; i < h->n_links; i++) {
        const tlink *l = &sorted[i];
        const wsub *s = tok_sub(r, &r->seg[l->t]);
        PUT("%s%.*s=%s (%s %.2f)", i ? ", " : "", (int)s->norm_len, r->cache.chars + s->norm,
            ix->vocab[toks[l->j]].tok.text, kind_word(l->kind), l->sim);
    }
    if (h->unmatched)
        PUT("; %u listed name part%s not in the text", h->unmatched, h->unmatched == 1 ? "" : "s");
    if (h->foreign)
        PUT("; %u word%s in the text not in the listed name", h->foreign,
            h->foreign == 1 ? "" : "s");
    if (h->notes & HN_STRIPPED)
        PUT("; inflected or prefixed form");
    if (h->notes & HN_ACRONYM)
        PUT("; acronym, same case");
    if (h->notes & HN_EXTRA)
        PUT("; title or company word beside the name");
#undef PUT
}

static int cmp_shit(const void *a, const void *b)
{
    const seg_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    int wx = x->t_last - x->t_first, wy = y->t_last - y->t_first;
    if (wx != wy)
        return wx > wy ? -1 : 1;
    if (x->t_first != y->t_first)
        return x->t_first < y->t_first ? -1 : 1;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return x->name < y->name ? -1 : x->name > y->name;
}

static int store_hit(interdict_text_result *r, const seg_hit *h)
{
    if (grow((void **)&r->hits, &r->cap_hits, r->n_hits + 1, sizeof *r->hits) < 0)
        return -1;
    const interdict_index *ix = r->ix;
    const indexed_name *nm = &ix->names[h->name];
    const seg_tok *a = &r->seg[h->t_first], *b = &r->seg[h->t_last];
    interdict_text_hit *o = &r->hits[r->n_hits];
    o->entry = ix->entries[h->entry];
    o->score = floor(h->score * 1000.0 + 0.5) / 1000.0;
    o->start = a->start;
    o->end = b->end;
    o->text = arena_strndup(&r->strings, (const char *)r->cur + (a->start - r->cur_base),
                            (size_t)(b->end - a->start));
    o->matched_name = nm->text;
    o->matched_kind = o->entry->names[nm->name_no].kind;
    char why[1024];
    explain(r, h, why, sizeof why);
    o->explanation = arena_strdup(&r->strings, why);
    if (!o->text || !o->explanation)
        return -1;
    r->n_hits++;
    return 0;
}

/* Keeps, of the passage's hits, the best per party and span, drops a
 * shorter name inside a longer one of another party ("Al-Qaida" inside
 * "Al-Qaida in Iraq"), and caps the parties per span. */
static int settle_hits(interdict_text_result *r, uint32_t report_below)
{
    seg_hit *h = r->shits;
    size_t n = r->n_shits;
    if (n == 0)
        return 0;
    qsort(h, n, sizeof *h, cmp_shit);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < i && !h[i].dropped; k++) {
            if (h[k].dropped)
                continue;
            bool overlap = h[i].t_first <= h[k].t_last && h[k].t_first <= h[i].t_last;
            if (!overlap)
                continue;
            if (h[i].entry == h[k].entry)
                h[i].dropped = true;
            else if (h[k].t_first <= h[i].t_first && h[k].t_last >= h[i].t_last &&
                     (h[k].t_first != h[i].t_first || h[k].t_last != h[i].t_last) &&
                     h[k].score + 0.15f >= h[i].score)
                h[i].dropped = true;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (h[i].dropped)
            continue;
        size_t same = 0;
        for (size_t k = 0; k < i; k++)
            same += !h[k].dropped && h[k].t_first == h[i].t_first && h[k].t_last == h[i].t_last;
        if (same >= r->per_span)
            h[i].dropped = true;
    }
    for (size_t i = 0; i < n; i++)
        if (!h[i].dropped && r->seg[h[i].t_first].pos < report_below && store_hit(r, &h[i]) < 0)
            return -1;
    r->n_shits = 0;
    return 0;
}

/* Scores the passage held in r->seg. Hits starting at or after position
 * report_below are left for the next passage (a forced cut). */
static int process_segment(interdict_text_result *r, uint32_t report_below)
{
    if (!r->n_seg)
        return 0;
    bool any_acro = false;
    for (size_t t = 0; t < r->n_seg && !any_acro; t++)
        any_acro = r->seg[t].has_acro;
    if (!r->seg_core && !any_acro)
        return 0;
    next_stamp(r);
    r->n_occs = 0;
    r->n_core_list = 0;
    r->n_cands = 0;
    r->n_shits = 0;
    /* which listed tokens the passage holds; the strong core ones wake
     * the names they are rare in */
    size_t distinct = 0;
    for (size_t t = 0; t < r->n_seg; t++) {
        if (!(r->seg[t].sflags & SUB_CORE))
            continue;
        const wsub *s = tok_sub(r, &r->seg[t]);
        for (size_t m = 0; m < s->n_match; m++) {
            const wmatch *wm = &r->cache.matches[s->match + m];
            uint32_t v = wm->vocab;
            if (!(r->tt.vflags[v] & VF_CORE))
                continue;
            if (r->vocab_stamp[v] != r->stamp) {
                r->vocab_stamp[v] = r->stamp;
                r->occ_head[v] = UINT32_MAX;
                distinct++;
            }
            if (wm->sim >= TRIGGER_SIM && r->occ_head[v] == UINT32_MAX) {
                if (grow((void **)&r->core_list, &r->cap_core_list, r->n_core_list + 1,
                         sizeof *r->core_list) < 0)
                    return -1;
                r->core_list[r->n_core_list++] = v;
                r->occ_head[v] = UINT32_MAX - 1;   /* listed */
            }
        }
    }
    const text_tables *tt = &r->tt;
    for (size_t c = 0; c < r->n_core_list; c++) {
        uint32_t v = r->core_list[c];
        for (uint32_t k = tt->pref_start[v]; k < tt->pref_start[v + 1]; k++) {
            uint32_t name = tt->pref[k];
            if (tt->names[name].need > distinct)
                break;   /* the rest need more than the passage holds */
            if (r->name_stamp[name] == r->stamp)
                continue;
            r->name_stamp[name] = r->stamp;
            size_t have = 0, need = tt->names[name].need;
            uint32_t q = tt->core_start[name], q_end = tt->core_start[name + 1];
            for (; q < q_end && have < need && have + (q_end - q) >= need; q++)
                have += r->vocab_stamp[tt->core[q]] == r->stamp;
            if (have < need)
                continue;
            if (grow((void **)&r->cands, &r->cap_cands, r->n_cands + 1, sizeof *r->cands) < 0)
                return -1;
            r->cands[r->n_cands++] = name;
        }
    }
    if (r->n_cands) {
        /* where each listed token occurs, for the alignments */
        next_stamp(r);
        for (size_t t = 0; t < r->n_seg; t++) {
            const wsub *s = tok_sub(r, &r->seg[t]);
            for (size_t m = 0; m < s->n_match; m++) {
                const wmatch *wm = &r->cache.matches[s->match + m];
                uint32_t v = wm->vocab;
                if (r->vocab_stamp[v] != r->stamp) {
                    r->vocab_stamp[v] = r->stamp;
                    r->occ_head[v] = UINT32_MAX;
                }
                if (grow((void **)&r->occs, &r->cap_occs, r->n_occs + 1, sizeof *r->occs) < 0)
                    return -1;
                r->occs[r->n_occs] = (occ){r->occ_head[v], (uint16_t)t, wm->kind, wm->sim};
                r->occ_head[v] = (uint32_t)r->n_occs++;
            }
        }
    }
    for (size_t c = 0; c < r->n_cands; c++)
        if (evaluate(r, r->cands[c]) < 0)
            return -1;
    for (size_t t = 0; t < r->n_seg; t++)
        if (r->seg[t].has_acro && derived_hits(r, t) < 0)
            return -1;
    return settle_hits(r, report_below);
}

/* Ends the passage: scores it and forgets it. */
static int flush(interdict_text_result *r)
{
    int rc = process_segment(r, UINT32_MAX);
    r->n_seg = 0;
    r->seg_core = false;
    r->gap_lower = 0;
    return rc;
}

/* A passage over TEXT_SEG_MAX matched words (a list of names with no
 * punctuation): scored up to a point, its tail carried over. */
static int cut(interdict_text_result *r)
{
    size_t keep = TEXT_SEG_OVERLAP;
    uint32_t below = r->seg[r->n_seg - keep].pos;
    int rc = process_segment(r, below);
    memmove(r->seg, r->seg + r->n_seg - keep, keep * sizeof *r->seg);
    r->n_seg = keep;
    r->seg_core = false;
    for (size_t t = 0; t < keep; t++)
        r->seg_core = r->seg_core || (r->seg[t].sflags & SUB_TRIGGER);
    return rc;
}

/* ---- Tokenising the bytes --------------------------------------------------------- */

enum { SCAN_OK = 0, SCAN_MORE = 1, SCAN_NOMEM = -1 };

/* Adds the tokens of the word at `start` to the passage; a word joined
 * over a line break ends at end_override instead of its own length. A
 * particle (a short word hyphenated to the next: the az- of аз-Завахири)
 * never parts a name: it counts as an article, or takes no position when
 * it matches nothing. */
static int emit_word(interdict_text_result *r, uint64_t start, const wslot *w,
                     uint64_t end_override, bool particle)
{
    if (w->flags & W_PLAIN) {
        if (particle && w->n_sub == 1)
            return 0;
        if (w->n_sub == 1 && !r->n_seg) {   /* the usual word: nothing to end or count on */
            r->pos++;
            if ((w->flags & W_DIGIT) ||
                ((w->flags & W_CASED) && !(w->flags & (W_CAP | W_ALLCAPS))))
                r->gap_lower = r->gap_lower < 255 ? r->gap_lower + 1 : 255;
            return 0;
        }
        bool lower = ((w->flags & W_CASED) && !(w->flags & (W_CAP | W_ALLCAPS))) ||
                     (w->flags & W_DIGIT);
        for (size_t i = 0; i < w->n_sub; i++) {
            r->pos++;
            if (r->n_seg && r->pos - r->last_match_pos > TEXT_MAX_GAP + 1 && flush(r) < 0)
                return -1;
            if (lower && r->gap_lower < 255)
                r->gap_lower++;
        }
        return 0;
    }
    uint32_t id = w->entry;
    const wentry *e = &r->cache.entries[id];
    for (size_t i = 0; i < e->n_sub; i++) {
        const wsub *s = &r->cache.subs[e->sub + i];
        bool matched = s->n_match > 0 || (e->n_acro && i == 0);
        if (particle && !matched && e->n_sub == 1)
            continue;
        r->pos++;
        if (r->n_seg && r->pos - r->last_match_pos > TEXT_MAX_GAP + 1 && flush(r) < 0)
            return -1;
        if (!matched) {
            if ((((e->flags & W_CASED) && !(e->flags & (W_CAP | W_ALLCAPS))) ||
                 (e->flags & W_DIGIT)) && r->gap_lower < 255)
                r->gap_lower++;
            continue;
        }
        if (r->n_seg >= TEXT_SEG_MAX + TEXT_SEG_OVERLAP && cut(r) < 0)
            return -1;
        if (grow((void **)&r->seg, &r->cap_seg, r->n_seg + 1, sizeof *r->seg) < 0)
            return -1;
        seg_tok *t = &r->seg[r->n_seg++];
        t->start = start + s->rel_start;
        t->end = end_override ? end_override : start + s->rel_end;
        t->pos = r->pos;
        t->entry = (uint32_t)id;
        t->sub = (uint8_t)i;
        t->wflags = e->flags;
        t->sflags = s->flags;
        if (particle)
            t->sflags |= SUB_LIGHT;   /* az-, as-, al-: however it matched */
        t->has_acro = e->n_acro && i == 0;
        t->gap_lower = r->gap_lower;
        r->gap_lower = 0;
        r->seg_core = r->seg_core || (s->flags & SUB_TRIGGER);
        r->last_match_pos = r->pos;
    }
    return 0;
}

/* Counts an invalid byte once, however often look-ahead reads it. */
static void note_invalid(interdict_text_result *r, size_t p)
{
    uint64_t at = r->cur_base + p;
    if (at < r->invalid_upto)
        return;
    if (!r->invalid)
        r->first_invalid = at;
    r->invalid++;
    r->invalid_upto = at + 1;
}

typedef struct sep_info {
    bool brk;
    unsigned newlines;
    bool hyphen_nl;           /* "-" then a line break: a word may continue */
} sep_info;

/* Reads separators from *pp. Returns SCAN_MORE when the buffer ends before
 * the run does (and the run could still change meaning). */
static int scan_separators(interdict_text_result *r, size_t *pp, bool final, sep_info *si)
{
    const unsigned char *b = r->cur;
    size_t n = r->cur_len, p = *pp, start = p;
    bool first = true, hyphen = false;
    memset(si, 0, sizeof *si);
    /* the common case: one space before an ASCII word */
    if (p + 1 < n && b[p] == ' ') {
        unsigned char c = b[p + 1];
        if ((c < 0x80 && ascii_class[c] == C_WORD) ||
            (c >= 0xC2 && c <= 0xDF && p + 2 < n && (b[p + 2] & 0xC0) == 0x80 &&
             two_byte_class[((c & 0x1F) << 6) | (b[p + 2] & 0x3F)] == C_WORD)) {
            *pp = p + 1;
            return SCAN_OK;
        }
    }
    while (p < n) {
        int32_t c;
        size_t k;
        uint8_t cls;
        if (b[p] < 0x80) {
            c = b[p];
            k = 1;
            cls = ascii_class[c];
        } else {
            k = decode(b + p, n - p, &c);
            if (k == 0) {
                if (!final)
                    break;
                k = 1;
                c = -1;
            }
            /* an invalid byte is no text: it parts what is on either side */
            cls = c < 0 ? C_BREAK : c < 0x800 ? two_byte_class[c] : uclass(c);
            if (c < 0)
                note_invalid(r, p);
        }
        if (cls == C_WORD || cls == C_IDEO)
            break;
        if (cls == C_BREAK) {
            /* "Dr. Ayman", "A. Q. Khan": the dot of an abbreviation */
            bool abbrev = c == '.' && first && r->prev_short &&
                          !(p + 1 < n && b[p + 1] == '.');
            if (!abbrev)
                si->brk = true;
        } else if (cls == C_NEWLINE) {
            si->newlines++;
            if (hyphen)
                si->hyphen_nl = true;
        } else if (cls == C_HYPHEN) {
            hyphen = first;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            hyphen = false;
        }
        first = false;
        p += k;
    }
    if (si->newlines >= 2 || p - start > TEXT_SEP_BREAK_BYTES)
        si->brk = true;
    /* a word continues over one line break, and over no passage break */
    if (si->newlines != 1 || si->brk)
        si->hyphen_nl = false;
    *pp = p;
    if (p == n && !final && !si->brk)
        return SCAN_MORE;
    return SCAN_OK;
}

typedef struct word_span {
    size_t end;
    bool junk;
    bool short_abbrev;
} word_span;

/* Mr, Dr, A (an initial), Col, Gen, Capt: a dot after them ends no phrase. */
static bool short_abbreviation(const unsigned char *w, size_t n)
{
    static const char ABBR[][5] = {"mrs", "col", "gen", "maj", "sgt", "rev", "capt",
                                   "prof", "brig", "cdr"};
    if (n == 0 || n > 4)
        return false;
    char low[5] = {0};
    for (size_t i = 0; i < n; i++) {
        if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z')))
            return false;
        low[i] = (char)(w[i] | 0x20);
    }
    if (n <= 2)
        return true;
    for (size_t a = 0; a < sizeof ABBR / sizeof ABBR[0]; a++)
        if (memcmp(ABBR[a], low, 5) == 0)
            return true;
    return false;
}

static bool two_byte_at(const unsigned char *b, size_t p, size_t n)
{
    return p + 1 < n && b[p] >= 0xC2 && b[p] <= 0xDF && (b[p + 1] & 0xC0) == 0x80;
}

/* Reads one word from p (which holds a word character). */
static int scan_word(interdict_text_result *r, size_t p, bool final, word_span *ws)
{
    const unsigned char *b = r->cur;
    size_t n = r->cur_len, start = p;
    memset(ws, 0, sizeof *ws);
    int32_t c;
    size_t k;
    if (b[p] >= 0xE0) {   /* three or four bytes: maybe an ideograph */
        k = decode(b + p, n - p, &c);
        if (k == 0) {   /* the caller saw a whole character here: cannot be */
            ws->end = n;
            return final ? SCAN_OK : SCAN_MORE;
        }
        if (c >= 0x80 && uclass(c) == C_IDEO) {
            ws->end = p + k;   /* each ideograph is a word */
            return SCAN_OK;
        }
    }
    while (p < n) {
        if (p - start > TEXT_WORD_MAX_BYTES) {
            ws->junk = true;
            while (p < n && (b[p] >= 0x80 || ascii_class[b[p]] == C_WORD ||
                             ascii_class[b[p]] == C_APOS))
                p++;
            ws->end = p;
            return SCAN_OK;
        }
        uint8_t cls;
        if (b[p] < 0x80) {
            /* the common case: a run of ASCII letters */
            size_t lim = start + TEXT_WORD_MAX_BYTES + 1 < n ? start + TEXT_WORD_MAX_BYTES + 1 : n;
            while (p < lim && b[p] < 0x80 && ascii_class[b[p]] == C_WORD)
                p++;
            if (p >= lim || b[p] >= 0x80)
                continue;
            k = 1;
            cls = ascii_class[b[p]];
        } else if (two_byte_at(b, p, n)) {
            /* a run of two-byte letters: Cyrillic, Arabic, Latin accents */
            while (p - start <= TEXT_WORD_MAX_BYTES && two_byte_at(b, p, n) &&
                   two_byte_class[((b[p] & 0x1F) << 6) | (b[p + 1] & 0x3F)] == C_WORD)
                p += 2;
            if (p - start > TEXT_WORD_MAX_BYTES || !two_byte_at(b, p, n))
                continue;   /* too long, or another kind of character: look again */
            k = 2;
            c = ((b[p] & 0x1F) << 6) | (b[p + 1] & 0x3F);
            cls = two_byte_class[c];
        } else {
            k = decode(b + p, n - p, &c);
            if (k == 0) {
                if (!final)
                    return SCAN_MORE;
                break;
            }
            if (c < 0)
                break;
            cls = uclass(c);
            if (cls == C_IDEO)
                break;
        }
        if (cls == C_WORD || (cls == C_IGNORE && p > start)) {
            p += k;
            continue;
        }
        if (cls == C_APOS && p > start) {
            /* inside a word only when a letter follows */
            size_t q = p + k;
            if (q >= n) {
                if (!final)
                    return SCAN_MORE;
                break;
            }
            int32_t d;
            size_t kk = decode(b + q, n - q, &d);
            if (kk == 0) {
                if (!final)
                    return SCAN_MORE;
                break;
            }
            if (d >= 0 && (d < 0x80 ? ascii_class[d] == C_WORD
                           : d < 0x800 ? two_byte_class[d] == C_WORD : uclass(d) == C_WORD)) {
                p = q;
                continue;
            }
        }
        break;
    }
    if (p == n && !final)
        return SCAN_MORE;
    ws->end = p;
    ws->short_abbrev = p < n && b[p] == '.' && p - start <= 4 &&
                       short_abbreviation(b + start, p - start);
    return SCAN_OK;
}

/* Joins "Zawa-\nhiri" when the joined form is spelled as a listed part.
 * Returns 0 with the joined word's slot and end, or -1 (no join), -2
 * (need more input), -3 (out of memory). */
static long try_hyphen_join(interdict_text_result *r, size_t ws, size_t we, const wslot *w1,
                            bool final, size_t *end, wslot *joined_slot)
{
    size_t p = we;
    const unsigned char *b = r->cur;
    size_t n = r->cur_len;
    /* only a hyphen (- or U+2010, U+2011) right after the word can join */
    if (p < n && b[p] != '-' &&
        !(b[p] == 0xE2 && (p + 1 >= n || (b[p + 1] == 0x80 && (p + 2 >= n || b[p + 2] == 0x90 ||
                                                               b[p + 2] == 0x91)))))
        return -1;
    sep_info si;
    bool prev_short = r->prev_short;
    r->prev_short = false;
    int rc = scan_separators(r, &p, final, &si);
    r->prev_short = prev_short;
    if (rc == SCAN_MORE)
        return -2;
    if (!si.hyphen_nl || p >= r->cur_len)
        return -1;
    word_span w2;
    rc = scan_word(r, p, final, &w2);
    if (rc == SCAN_MORE)
        return -2;
    if (w2.junk || w2.end - ws > TEXT_WORD_MAX_BYTES)
        return -1;
    wslot s2;
    if (cache_get(r, r->cur + p, w2.end - p, r->cur_len - p, &s2) < 0)
        return -3;
    if (word_spell(r, w1) == 100 && word_spell(r, &s2) == 100)
        return -1;   /* two names of their own: "Abu-\nBakr" */
    unsigned char joined[TEXT_WORD_MAX_BYTES * 2];
    size_t l1 = we - ws, l2 = w2.end - p;
    memcpy(joined, r->cur + ws, l1);
    memcpy(joined + l1, r->cur + p, l2);
    if (cache_get(r, joined, l1 + l2, l1 + l2, joined_slot) < 0)
        return -3;
    if (word_spell(r, joined_slot) < 100)
        return -1;   /* joined, it must be spelled as a listed part */
    *end = w2.end;
    return 0;
}

/* Scans r->cur from r->at. Stops early (SCAN_MORE) where the rest depends
 * on bytes not seen yet, unless final. */
static int scan(interdict_text_result *r, bool final)
{
    const unsigned char *b = r->cur;
    size_t n = r->cur_len, p = r->at;
    while (p < n) {
        if (r->junk) {
            while (p < n && (b[p] >= 0x80 || ascii_class[b[p]] == C_WORD ||
                             ascii_class[b[p]] == C_APOS))
                p++;
            if (p == n)
                break;
            r->junk = false;
        }
        if (cache_full(&r->cache) && cache_compact(r) < 0)
            return SCAN_NOMEM;
        size_t sep_start = p;
        sep_info si;
        int rc = scan_separators(r, &p, final, &si);
        if (rc == SCAN_MORE) {
            p = sep_start;
            break;
        }
        if (p > sep_start) {
            if (si.brk && flush(r) < 0)
                return SCAN_NOMEM;
            r->prev_short = false;
        }
        if (p >= n)
            break;
        /* The common case in one go: a word of ASCII or two-byte letters,
         * ended by an ASCII separator that neither an apostrophe nor a
         * hyphen could join to more. Anything else is read by scan_word,
         * which would find the same end. */
        size_t q = p;
        while (q - p <= 32) {
            if (q < n && ascii_word[b[q]])
                q++;
            else if (two_byte_at(b, q, n) &&
                     two_byte_class[((b[q] & 0x1F) << 6) | (b[q + 1] & 0x3F)] == C_WORD)
                q += 2;
            else
                break;
        }
        word_span ws;
        bool simple = q > p && q < n && q - p <= 32 && b[q] < 0x80 &&
                      ascii_class[b[q]] != C_WORD && ascii_class[b[q]] != C_APOS && b[q] != '-';
        if (simple) {
            ws.end = q;
            ws.junk = false;
            /* only a full stop right after it asks whether it was "Dr" */
            ws.short_abbrev = b[q] == '.' && q - p <= 4 && short_abbreviation(b + p, q - p);
            wslot w;
            if (cache_get(r, b + p, q - p, n - p, &w) < 0)
                return SCAN_NOMEM;
            if (emit_word(r, r->cur_base + p, &w, 0, false) < 0)
                return SCAN_NOMEM;
            r->prev_short = ws.short_abbrev;
            p = q;
            continue;
        }
        rc = scan_word(r, p, final, &ws);
        if (rc == SCAN_MORE)
            break;
        if (ws.junk) {
            if (flush(r) < 0)
                return SCAN_NOMEM;
            r->junk = ws.end == n;
            r->prev_short = false;
            p = ws.end;
            continue;
        }
        wslot w, jw;
        if (cache_get(r, b + p, ws.end - p, n - p, &w) < 0)
            return SCAN_NOMEM;
        size_t join_end = 0;
        long jid = try_hyphen_join(r, p, ws.end, &w, final, &join_end, &jw);
        if (jid == -2)
            break;
        if (jid == -3)
            return SCAN_NOMEM;
        if (jid >= 0) {
            if (emit_word(r, r->cur_base + p, &jw, r->cur_base + join_end, false) < 0)
                return SCAN_NOMEM;
            r->prev_short = false;
            p = join_end;
            continue;
        }
        bool particle = false;
        if (ws.end + 1 < n && b[ws.end] == '-' &&
            (b[ws.end + 1] >= 0x80 || ascii_class[b[ws.end + 1]] == C_WORD)) {
            size_t cps = 0;
            for (size_t i = p; i < ws.end; i++)
                cps += (b[i] & 0xC0) != 0x80;
            particle = cps <= 3;
        }
        if (emit_word(r, r->cur_base + p, &w, 0, particle) < 0)
            return SCAN_NOMEM;
        r->prev_short = ws.short_abbrev;
        p = ws.end;
    }
    r->at = p;
    return SCAN_OK;
}

/* ---- Public API ---------------------------------------------------------------- */

interdict_text_result *interdict_text_result_new(void)
{
    interdict_text_result *r = calloc(1, sizeof *r);
    return r;
}

void interdict_text_result_free(interdict_text_result *r)
{
    if (!r)
        return;
    free(r->hits);
    if (r->arena_live)
        arena_free(&r->strings);
    free(r->buf);
    free(r->seg);
    free_tables(&r->tt);
    cache_free(&r->cache);
    free(r->vocab_stamp);
    free(r->occ_head);
    free(r->name_stamp);
    free(r->occs);
    free(r->core_list);
    free(r->cands);
    free(r->shits);
    free(r->nt);
    free(r->tl);
    free(r->an);
    free(r);
}

size_t interdict_text_result_count(const interdict_text_result *r) { return r ? r->n_hits : 0; }

const interdict_text_hit *interdict_text_result_hit(const interdict_text_result *r, size_t i)
{
    return r && i < r->n_hits ? &r->hits[i] : NULL;
}

const char *interdict_text_result_warning(const interdict_text_result *r)
{
    return r && r->warning[0] ? r->warning : NULL;
}

interdict_status interdict_text_begin(const interdict_index *ix,
                                      const interdict_text_options *opt,
                                      interdict_text_result *r, interdict_error *err)
{
    if (!ix || !r)
        return set_error(err, INTERDICT_ERR_INVALID, "<text>", 0, "", "missing argument");
    init_ascii();
    if (!text_fold_ready())
        return set_error(err, INTERDICT_ERR_UNICODE, "<text>", 0, "",
                         "ICU transliterator unavailable");
    if (r->arena_live)
        arena_free(&r->strings);
    arena_init(&r->strings);
    r->arena_live = true;
    r->n_hits = 0;
    r->warning[0] = '\0';
    r->ix = ix;
    r->threshold = opt && opt->threshold > 0 ? opt->threshold : INTERDICT_DEFAULT_THRESHOLD;
    r->per_span = opt && opt->max_hits_per_span ? opt->max_hits_per_span : DEFAULT_PER_SPAN;
    r->cur = NULL;
    r->cur_len = 0;
    r->cur_base = 0;
    r->at = 0;
    r->buf_len = 0;
    r->junk = false;
    r->prev_short = false;
    r->invalid = r->first_invalid = r->invalid_upto = 0;
    r->pos = 0;
    r->last_match_pos = 0;
    r->n_seg = 0;
    r->seg_core = false;
    r->gap_lower = 0;
    if (size_scratch(r, ix) < 0) {
        r->active = false;
        return set_error(err, INTERDICT_ERR_NOMEM, "<text>", 0, "", "out of memory");
    }
    r->active = true;
    return INTERDICT_OK;
}

static interdict_status nomem(interdict_text_result *r, interdict_error *err)
{
    r->active = false;
    return set_error(err, INTERDICT_ERR_NOMEM, "<text>", 0, "", "out of memory");
}

interdict_status interdict_text_feed(interdict_text_result *r, const char *data, size_t len,
                                     interdict_error *err)
{
    if (!r || !r->active)
        return set_error(err, INTERDICT_ERR_INVALID, "<text>", 0, "",
                         "text scan not begun (or failed)");
    if (!len)
        return INTERDICT_OK;
    if (!data)
        return set_error(err, INTERDICT_ERR_INVALID, "<text>", 0, "", "missing data");
    if (grow((void **)&r->buf, &r->buf_cap, r->buf_len + len, 1) < 0)
        return nomem(r, err);
    memcpy(r->buf + r->buf_len, data, len);
    r->buf_len += len;
    r->cur = r->buf;
    r->cur_len = r->buf_len;
    if (scan(r, false) != SCAN_OK)
        return nomem(r, err);
    /* keep only what the passage in progress and the unread tail need */
    size_t keep = r->at;
    if (r->n_seg && r->seg[0].start - r->cur_base < keep)
        keep = (size_t)(r->seg[0].start - r->cur_base);
    memmove(r->buf, r->buf + keep, r->buf_len - keep);
    r->buf_len -= keep;
    r->cur_base += keep;
    r->at -= keep;
    r->cur = r->buf;
    r->cur_len = r->buf_len;
    return INTERDICT_OK;
}

static int cmp_text_hit(const void *a, const void *b)
{
    const interdict_text_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return strcmp(x->entry->ref, y->entry->ref);
}

/* Hits of one party that overlap can only come from both sides of a forced
 * cut: keep the better. */
static void final_order(interdict_text_result *r)
{
    if (r->n_hits)
        qsort(r->hits, r->n_hits, sizeof *r->hits, cmp_text_hit);
    size_t kept = 0;
    for (size_t i = 0; i < r->n_hits; i++) {
        bool dup = false;
        for (size_t k = kept; k-- > 0 && !dup;) {
            if (r->hits[k].end <= r->hits[i].start && kept - k > 64)
                break;
            dup = r->hits[k].entry == r->hits[i].entry && r->hits[k].end > r->hits[i].start;
        }
        if (!dup)
            r->hits[kept++] = r->hits[i];
    }
    r->n_hits = kept;
}

interdict_status interdict_text_end(interdict_text_result *r, interdict_error *err)
{
    if (!r || !r->active)
        return set_error(err, INTERDICT_ERR_INVALID, "<text>", 0, "",
                         "text scan not begun (or failed)");
    r->cur = r->buf;
    r->cur_len = r->buf_len;
    if (scan(r, true) != SCAN_OK || flush(r) < 0)
        return nomem(r, err);
    final_order(r);
    if (r->invalid)
        snprintf(r->warning, sizeof r->warning,
                 "%llu byte%s of invalid UTF-8 read as separators (first at byte %llu)",
                 (unsigned long long)r->invalid, r->invalid == 1 ? "" : "s",
                 (unsigned long long)r->first_invalid);
    r->active = false;
    r->buf_len = 0;
    r->cur = NULL;
    r->cur_len = 0;
    return INTERDICT_OK;
}

interdict_status interdict_screen_text(const interdict_index *ix, const char *text, size_t len,
                                       const interdict_text_options *opt,
                                       interdict_text_result *r, interdict_error *err)
{
    if (!text && len)
        return set_error(err, INTERDICT_ERR_INVALID, "<text>", 0, "", "missing text");
    interdict_status st = interdict_text_begin(ix, opt, r, err);
    if (st != INTERDICT_OK)
        return st;
    /* the caller's bytes are scanned in place: no copy */
    r->cur = (const unsigned char *)text;
    r->cur_len = len;
    r->cur_base = 0;
    r->at = 0;
    if (scan(r, true) != SCAN_OK || flush(r) < 0)
        return nomem(r, err);
    final_order(r);
    if (r->invalid)
        snprintf(r->warning, sizeof r->warning,
                 "%llu byte%s of invalid UTF-8 read as separators (first at byte %llu)",
                 (unsigned long long)r->invalid, r->invalid == 1 ? "" : "s",
                 (unsigned long long)r->first_invalid);
    r->active = false;
    r->cur = NULL;
    r->cur_len = 0;
    return INTERDICT_OK;
}
