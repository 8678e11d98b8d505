#include "tokens.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- Word classes ---------------------------------------------------------
 * Small closed sets; sorted lookups are not worth it at these sizes. */

static const char *const ARTICLES[] = {"al", "el", "ul", "il", "ol", NULL};

/* Sun-letter forms of the article (ad-Din, ash-Shabab, az-Zawahiri): only an
 * article when the next token starts with the assimilated consonant. */
static const char *const SUN_ARTICLES[] = {"ad", "adh", "ar", "as", "ash", "at",
                                           "ath", "az", "an", "ed", "er", "es",
                                           "esh", "et", "ez", "en", "ud", "ur",
                                           "us", "ush", "uz", "un", NULL};

static const char *const CONNECTORS[] = {"bin", "ben", "ibn", "bint", "binti", "bn",
                                         "ibnu", "binte", "ould", "wuld", "walad",
                                         "ibni", "bent", NULL};

static const char *const HONORIFICS[] = {
    "haji", "hajji", "hadji", "hajj", "haj", "alhaj", "alhajj", "alhaji",
    "mullah", "mulla", "mollah", "molla", "mawlawi", "maulvi", "maulavi",
    "mawlavi", "moulavi", "molvi", "maulana", "mawlana", "moulana",
    "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "shaik", "shekh",
    "qari", "mufti", "imam", "sayyid", "sayed", "syed", "seyed", "sayyed",
    "seyyed", "dr", "doctor", "col", "colonel", "gen", "general", "lt",
    "maj", "major", "capt", "captain", "brig", "brigadier", "mr", "mrs",
    "ms", "miss", "mme", "sir", "prof", "professor", "ing", "eng", "engr",
    "engineer", "hon", "ustad", "ustadh", "ustaz", "commander", "cmdr",
    "sgt", "rev", "mohtaram", "janab", "hafiz", "hafez", NULL};

static const char *const LEGAL_FORMS[] = {
    "ltd", "limited", "llc", "inc", "incorporated", "corp", "co", "plc",
    "gmbh", "ag", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy",
    "jsc", "ojsc", "pjsc", "cjsc", "ooo", "oao", "zao", "pao", "ao", "tov",
    "llp", "lp", "pte", "pty", "bhd", "sdn", "kk", "kg", "ltda", "cia",
    "fze", "fzco", "fzc", "fzllc", "sae", "sal", "wll", "ab", "asa", "doo",
    "dd", "sro", "as", "kft", "zrt", "sp", "zoo", NULL};

static const char *const ORG_WORDS[] = {
    "company", "companies", "corporation", "trading", "group", "holding",
    "holdings", "enterprise", "enterprises", "organization", "organisation",
    "foundation", "association", "establishment", "international", "firm",
    "industries", "industry", "services", "agency", "society", "institute",
    "bureau", "office", "offices", NULL};

static const char *const FILLERS[] = {
    "of", "the", "and", "for", "de", "la", "le", "du", "des", "da", "di",
    "do", "dos", "das", "del", "van", "von", "der", "den", "y", "e", "et",
    "und", "born", "in", "on", "aka", "fka", "nee", "dob", "a", "an", "alias",
    "known", "as", "also", "called", "wa", "son", "daughter", "wife", "widow",
    "previously", "listed", "formerly", NULL};

static const char *const ABD_PREFIXES[] = {"abd", "abdul", "abdel", "abdal", "abdoul",
                                           "abdol", "abdu", "abdur", "abdus", "abdil",
                                           "abdou", "abdo", "abdi", "abdoel", NULL};

/* Membership in the word sets above through one hash table built on first
 * use: tokenising runs for every query, and linear scans of a hundred
 * words per token showed in profiles. A word's slot holds every set it is
 * in, so classifying a word hashes it once. */
enum { WORD_TABLE_SIZE = 1024 };   /* power of two, over twice the words */

enum {
    SET_ARTICLES = 1 << 0, SET_SUN_ARTICLES = 1 << 1, SET_CONNECTORS = 1 << 2,
    SET_HONORIFICS = 1 << 3, SET_LEGAL_FORMS = 1 << 4, SET_ORG_WORDS = 1 << 5,
    SET_FILLERS = 1 << 6, SET_ABD_PREFIXES = 1 << 7
};

typedef struct word_slot {
    const char *word;
    unsigned sets;
} word_slot;

static word_slot word_table[WORD_TABLE_SIZE];
static pthread_once_t word_table_once = PTHREAD_ONCE_INIT;

static size_t word_hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h & (WORD_TABLE_SIZE - 1);
}

static void add_set(const char *const *set, unsigned bit)
{
    for (const char *const *w = set; *w; w++) {
        size_t h = word_hash(*w);
        while (word_table[h].word && strcmp(word_table[h].word, *w) != 0)
            h = (h + 1) & (WORD_TABLE_SIZE - 1);
        word_table[h].word = *w;
        word_table[h].sets |= bit;
    }
}

static void build_word_table(void)
{
    add_set(ARTICLES, SET_ARTICLES);
    add_set(SUN_ARTICLES, SET_SUN_ARTICLES);
    add_set(CONNECTORS, SET_CONNECTORS);
    add_set(HONORIFICS, SET_HONORIFICS);
    add_set(LEGAL_FORMS, SET_LEGAL_FORMS);
    add_set(ORG_WORDS, SET_ORG_WORDS);
    add_set(FILLERS, SET_FILLERS);
    add_set(ABD_PREFIXES, SET_ABD_PREFIXES);
}

/* The SET_ bits of every set s is in. */
static unsigned word_sets(const char *s)
{
    pthread_once(&word_table_once, build_word_table);
    for (size_t h = word_hash(s); word_table[h].word; h = (h + 1) & (WORD_TABLE_SIZE - 1))
        if (strcmp(word_table[h].word, s) == 0)
            return word_table[h].sets;
    return 0;
}

const char *canonical_word(const char *w)
{
    return word_sets(w) & SET_CONNECTORS ? "bin" : w;
}

float role_weight(token_role role)
{
    switch (role) {
    case ROLE_NAME: return 1.0f;
    case ROLE_ARTICLE: return 0.0f;
    case ROLE_CONNECTOR: return 0.15f;
    case ROLE_HONORIFIC: return 0.2f;
    case ROLE_LEGAL: return 0.05f;
    case ROLE_ORG_WORD: return 0.15f;
    case ROLE_FILLER: return 0.1f;
    case ROLE_NUMBER: return 0.15f;
    }
    return 1.0f;
}

float token_weight(const name_token *t)
{
    /* A lone letter is an initial or a fragment, not a name. */
    return role_weight((token_role)t->role) * (t->len == 1 ? 0.3f : 1.0f);
}

const char *role_name(token_role role)
{
    static const char *const names[] = {"name", "article", "connector", "honorific",
                                        "legal form", "organisation word", "filler",
                                        "number"};
    return (unsigned)role < sizeof names / sizeof names[0] ? names[role] : "?";
}

/* ---- Keys ---------------------------------------------------------------- */

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Reads one sound unit at t[i] into a single letter, folding the digraphs
 * romanisation systems disagree on. Returns how many bytes it consumed. */
static size_t sound_at(const char *t, size_t n, size_t i, char *out)
{
    char c = t[i], d = i + 1 < n ? t[i + 1] : '\0', e = i + 2 < n ? t[i + 2] : '\0';
    if (c == 's' && d == 'c' && e == 'h') { *out = 's'; return 3; }
    if (c == 't' && d == 'c' && e == 'h') { *out = 's'; return 3; }
    if (c == 'd' && d == 'z' && e == 'h') { *out = 'j'; return 3; }
    if (d == 'h') {
        switch (c) {
        case 's': case 'c': *out = 's'; return 2;
        case 'k': *out = 'h'; return 2;
        case 'g': *out = 'g'; return 2;
        case 'p': *out = 'f'; return 2;
        case 't': *out = 't'; return 2;
        case 'd': *out = 'z'; return 2;
        case 'z': *out = 'j'; return 2;
        default: break;
        }
    }
    if (c == 'd' && d == 'j') { *out = 'j'; return 2; }
    if (c == 'c' && d == 'k') { *out = 'k'; return 2; }
    if (c == 'k' && d == 's') { *out = 'x'; return 2; }   /* Maksim / Maxim */
    if ((c == 't' && (d == 's' || d == 'z'))) { *out = 's'; return 2; }
    switch (c) {
    case 'q': case 'c': *out = 'k'; return 1;
    case 'w': *out = 'v'; return 1;
    case 'x': *out = 'x'; return 1;
    default: break;
    }
    *out = is_vowel(c) ? 'a' : c;
    return 1;
}

/* sound_at() as other romanisations of Arabic letters write it: th as s
 * (Turkish, Persian and Urdu: Osman, Usman), j (and dj) and q as g
 * (Egyptian and Gulf: Gamal, Gasim). Zh is no j here: Chinese and Russian
 * write it for other sounds. */
static size_t alt_sound_at(const char *t, size_t n, size_t i, char *out)
{
    size_t used = sound_at(t, n, i, out);
    if (t[i] == 't' && i + 1 < n && t[i + 1] == 'h')
        *out = 's';
    else if (t[i] == 'j' || (t[i] == 'd' && used == 2 && t[i + 1] == 'j') || t[i] == 'q')
        *out = 'g';
    return used;
}

static size_t key_by(size_t (*sound)(const char *, size_t, size_t, char *), const char *t,
                     size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap;) {
        char s;
        i += sound(t, n, i, &s);
        /* h after a vowel and before a consonant or the end is silent in
         * most romanisations (Rahman/Raman, Fatimah/Fatima, Ahmed/Amed). */
        if (s == 'h' && k > 0 && out[k - 1] == 'a') {
            char next = 'a';
            if (i < n)
                sound(t, n, i, &next);
            else
                next = '\0';
            if (next != 'a')
                continue;
        }
        if (k > 0 && out[k - 1] == s)
            continue;   /* doubled letters and vowel runs collapse */
        out[k++] = s;
    }
    /* A final d is devoiced in Turkish and Persian spellings (Ahmet/Ahmad,
     * Mehmet/Muhammad). */
    if (k > 1 && out[k - 1] == 'd')
        out[k - 1] = 't';
    out[k] = '\0';
    return k;
}

size_t phonetic_key(const char *t, size_t n, char *out, size_t cap)
{
    return key_by(sound_at, t, n, out, cap);
}

size_t alt_key(const char *t, size_t n, char *out, size_t cap)
{
    return key_by(alt_sound_at, t, n, out, cap);
}

bool has_alt_letters(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] == 'j' || t[i] == 'q' || (t[i] == 't' && i + 1 < n && t[i + 1] == 'h'))
            return true;
    return false;
}

size_t consonant_skeleton(const char *t, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap;) {
        char s;
        i += sound_at(t, n, i, &s);
        if (s == 'a')
            continue;
        if (k > 0 && out[k - 1] == s)
            continue;
        out[k++] = s;
    }
    out[k] = '\0';
    return k;
}

/* ---- Canonical forms ------------------------------------------------------ */

static bool is_abd_prefix(const char *s) { return word_sets(s) & SET_ABD_PREFIXES; }

/* Rest of an Abd-compound after its linking vowel and article:
 * ulrahman / urrahman / errahman / allah -> rahman / lah. */
static const char *abd_rest(const char *r)
{
    if (*r == 'o' && r[1] == 'u')
        r += 2;
    else if (*r == 'a' || *r == 'e' || *r == 'i' || *r == 'o' || *r == 'u')
        r++;
    if (*r == 'l')
        r++;
    while (r[0] && r[0] == r[1])
        r++;
    /* Abdullah, Abdulla, Abdallah, Abdillah: all Abd Allah */
    if (!strcmp(r, "la") || !strcmp(r, "lah"))
        return "lah";
    return r;
}

/* A rest of three letters starting with a vowel (Abdoulaye -> aye) is a
 * name's ending, not a second name. */
static bool abd_rest_is_name(const char *rest)
{
    size_t n = strlen(rest);
    return n >= 4 || (n == 3 && !is_vowel(rest[0])) || !strcmp(rest, "lah");
}

static void set_text(name_token *t, const char *s, size_t n)
{
    if (n >= TOKEN_MAX)
        n = TOKEN_MAX - 1;
    memmove(t->text, s, n);   /* s may lie inside t->text */
    t->text[n] = '\0';
    t->len = (uint8_t)n;
}

static void finish_token(name_token *t, bool abjad)
{
    t->abjad = abjad;
    t->noart[0] = '\0';
    t->noart_len = 0;
    const char *base = t->text;
    size_t blen = t->len;
    /* An attached article: Arabic script always writes it joined (الظواهري),
     * Latin writers often do (Alsaadi, Elbaghdadi). */
    if (t->role == ROLE_NAME && blen >= (abjad ? 4u : 6u) &&
        (base[0] == 'a' || base[0] == 'e') && base[1] == 'l') {
        const char *r = base + 2;
        if (abjad || !is_vowel(*r)) {
            size_t rn = strlen(r);
            memcpy(t->noart, r, rn + 1);
            t->noart_len = (uint8_t)rn;
            if (abjad) {
                /* In an abjad the article is certain: drop it outright. */
                set_text(t, r, rn);
                t->noart[0] = '\0';
                t->noart_len = 0;
            }
        }
    }
    t->key_len = (uint8_t)phonetic_key(t->text, t->len, t->key, TOKEN_MAX);
    t->cons_len = (uint8_t)consonant_skeleton(t->text, t->len, t->cons, TOKEN_MAX);
    t->alt_len = 0;
    if (has_alt_letters(t->text, t->len))
        t->alt_len = (uint8_t)alt_key(t->text, t->len, t->alt, TOKEN_MAX);
    if (t->alt_len == t->key_len && memcmp(t->alt, t->key, t->key_len) == 0)
        t->alt_len = 0;
    if (!t->alt_len)
        t->alt[0] = '\0';
}

static token_role classify(const char *w, const char *next)
{
    unsigned sets = word_sets(w);
    if (sets & SET_ARTICLES)
        return ROLE_ARTICLE;
    if (next && (sets & SET_SUN_ARTICLES)) {
        size_t k = strlen(w) - 1;   /* consonant(s) after the vowel */
        if (strncmp(next, w + 1, k) == 0)
            return ROLE_ARTICLE;
    }
    if (w[0] >= '0' && w[0] <= '9')
        return ROLE_NUMBER;
    if (sets & SET_CONNECTORS)
        return ROLE_CONNECTOR;
    if (sets & SET_HONORIFICS)
        return ROLE_HONORIFIC;
    if (sets & SET_LEGAL_FORMS)
        return ROLE_LEGAL;
    if (sets & SET_ORG_WORDS)
        return ROLE_ORG_WORD;
    if (sets & SET_FILLERS)
        return ROLE_FILLER;
    return ROLE_NAME;
}

/* Splits norm into words (at most `cap`). */
static size_t split_words(const char *norm, char (*words)[TOKEN_MAX], size_t cap)
{
    size_t nw = 0;
    for (const char *p = norm; *p && nw < cap;) {
        while (*p == ' ')
            p++;
        const char *s = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - s);
        if (!n)
            break;
        if (n >= TOKEN_MAX)
            n = TOKEN_MAX - 1;
        memcpy(words[nw], s, n);
        words[nw][n] = '\0';
        nw++;
    }
    return nw;
}

static size_t put_word(char (*out)[TOKEN_MAX], size_t n, size_t cap, const char *w)
{
    if (n < cap) {
        size_t len = strnlen(w, TOKEN_MAX - 1);   /* longer words are cut */
        memcpy(out[n], w, len);
        out[n++][len] = '\0';
    }
    return n;
}

/* Rewrites words so every spelling of a name has the same words:
 *  - Abd-compounds split: Abdurrahman, Abdul Rahman, Abd al-Rahman all
 *    become "abd rahman", so a dropped or joined part still matches;
 *  - an article glued to a one- or two-letter fragment is rejoined
 *    ("Al i" -> "ali", "al-Vi" -> "alvi"): the fragment is no name. */
static size_t canonical_words(char (*in)[TOKEN_MAX], size_t n_in,
                              char (*out)[TOKEN_MAX], size_t cap)
{
    size_t n = 0;
    bool after_abd = false;
    for (size_t i = 0; i < n_in; i++) {
        const char *w = in[i];
        const char *next = i + 1 < n_in ? in[i + 1] : NULL;
        if (is_abd_prefix(w)) {
            n = put_word(out, n, cap, "abd");
            after_abd = true;
            continue;
        }
        if (strncmp(w, "abd", 3) == 0 && strlen(w) >= 6 && abd_rest_is_name(abd_rest(w + 3))) {
            n = put_word(out, n, cap, "abd");
            n = put_word(out, n, cap, abd_rest(w + 3));
            after_abd = false;
            continue;
        }
        if ((word_sets(w) & SET_ARTICLES) && next && strlen(next) <= 2 &&
            !(word_sets(next) & SET_ARTICLES)) {
            char joined[TOKEN_MAX];
            snprintf(joined, sizeof joined, "%s%s", w, next);
            n = put_word(out, n, cap, joined);
            i++;
            after_abd = false;
            continue;
        }
        if (after_abd && (w[0] == 'a' || w[0] == 'e' || w[0] == 'u') && w[1] == 'l' &&
            w[2] == 'l' && strlen(w) >= 4) {
            /* Abd Allah, Abd el-Aziz written as one word after Abd */
            n = put_word(out, n, cap, abd_rest(w));
            after_abd = false;
            continue;
        }
        after_abd = after_abd && classify(w, next) == ROLE_ARTICLE;
        n = put_word(out, n, cap, w);
    }
    return n;
}

void tokenize_name(const char *norm, bool from_abjad, token_list *out)
{
    char raw[NAME_MAX_TOKENS * 2][TOKEN_MAX];
    char words[NAME_MAX_TOKENS * 2][TOKEN_MAX];
    size_t n_raw = split_words(norm, raw, NAME_MAX_TOKENS * 2);
    size_t nw = canonical_words(raw, n_raw, words, NAME_MAX_TOKENS * 2);

    out->n = 0;
    out->from_abjad = from_abjad;
    for (size_t i = 0; i < nw && out->n < NAME_MAX_TOKENS; i++) {
        const char *w = words[i];
        const char *next = i + 1 < nw ? words[i + 1] : NULL;
        name_token *t = &out->tok[out->n];
        memset(t, 0, sizeof *t);
        token_role role = classify(w, next);
        set_text(t, role == ROLE_CONNECTOR ? "bin" : w,
                 role == ROLE_CONNECTOR ? 3 : strlen(w));
        t->role = (uint8_t)role;
        finish_token(t, from_abjad);
        if (t->len == 0)
            continue;
        out->n++;
    }
}
