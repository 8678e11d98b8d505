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

/* Korean family names in the romanisations in use (McCune-Reischauer,
 * Revised, popular): one of them makes a name of single syllables read as
 * Korean. */
static const char *const KOREAN_SURNAMES[] = {
    "kim", "gim", "ri", "rhee", "lee", "yi", "i", "pak", "park", "bak", "choe", "choi",
    "chwe", "jong", "jung", "chong", "cheong", "jeong", "chung", "kang", "gang", "cho",
    "jo", "yun", "yoon", "jang", "chang", "han", "hwang", "ryu", "yu", "yoo", "hyon",
    "hyun", "hyeon", "ko", "go", "koh", "son", "sohn", "o", "oh", "kwon", "gwon", "song",
    "hong", "mun", "moon", "sin", "shin", "ju", "chu", "joo", "jon", "jeon", "chon",
    "an", "ahn", "ho", "heo", "nam", "no", "noh", "ro", "roh", "rho", "ryang", "yang",
    "paek", "baek", "paik", "pyon", "pyeon", "byun", "byeon", "sim", "shim", "om", "eom",
    "um", "kye", "gye", "ma", "won", "chae", "ok", "tak", "ryom", "yom", "yeom", "chin",
    "jin", "to", "do", "so", "seo", "suh", "sung", "seong", "kwak", "gwak", "min", "ku",
    "koo", "gu", "woo", "u", "ha", "pang", "bang", "pae", "bae", "tong", "dong", "kong",
    "gong", "che", "cha", "kil", "gil", "ki", "gi", "myong", "ra", "na", "yo", "yeo",
    NULL};

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
    SET_FILLERS = 1 << 6, SET_ABD_PREFIXES = 1 << 7, SET_KOREAN_SURNAMES = 1 << 8
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
    add_set(KOREAN_SURNAMES, SET_KOREAN_SURNAMES);
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

/* ---- Korean romanisations --------------------------------------------------
 * A syllable is an initial consonant, a vowel (with a y or w glide) and a
 * final consonant, each optional but the vowel; each part is read longest
 * spelling first and written in one form. */

typedef struct spelling {
    const char *as;        /* the romanised spelling */
    uint8_t len;
    const char *key;       /* its form in the key */
} spelling;

#define SP(as, key) {as, sizeof as - 1, key}

static const spelling KOREAN_INITIALS[] = {
    SP("tch", "c"), SP("ssh", "s"), SP("jj", "c"), SP("kk", "k"), SP("tt", "t"),
    SP("pp", "p"), SP("ss", "s"), SP("ch", "c"), SP("sh", "s"), SP("rh", "l"), SP("k", "k"),
    SP("g", "k"), SP("n", "n"), SP("d", "t"), SP("t", "t"), SP("r", "l"), SP("l", "l"),
    SP("m", "m"), SP("b", "p"), SP("p", "p"), SP("s", "s"), SP("j", "c"), SP("h", "h"),
    {NULL, 0, NULL}};

/* Vowels after no glide; eo / o / u / eu are one (MR ŏ and ŭ lose their
 * marks; popular spellings write u for both: Chul, Sung). */
static const spelling KOREAN_VOWELS[] = {
    SP("eui", "ui"), SP("ae", "e"), SP("ai", "e"), SP("eo", "o"), SP("eu", "o"),
    SP("oe", "we"), SP("oi", "we"), SP("oo", "o"), SP("ou", "o"), SP("ee", "i"),
    SP("ui", "ui"), SP("a", "a"), SP("e", "e"), SP("i", "i"), SP("o", "o"), SP("u", "o"),
    {NULL, 0, NULL}};

static const spelling KOREAN_FINALS[] = {
    SP("ng", "ng"), SP("rk", "k"), SP("ck", "k"), SP("hn", "n"), SP("k", "k"), SP("g", "k"),
    SP("n", "n"), SP("l", "l"), SP("r", "l"), SP("m", "m"), SP("p", "p"), SP("b", "p"),
    SP("t", "t"), SP("d", "t"), SP("h", ""), {NULL, 0, NULL}};

#undef SP

/* The spelling of set at t[i..n) (longest first), or NULL. */
static const spelling *spelled(const spelling *set, const char *t, size_t n, size_t i)
{
    for (const spelling *s = set; s->as; s++)
        if (i + s->len <= n && t[i] == s->as[0] && memcmp(t + i, s->as, s->len) == 0)
            return s;
    return NULL;
}

/* The vowel with its glide at t[i..n): its key into out, bytes read, 0 if none. */
static size_t korean_vowel(const char *t, size_t n, size_t i, char out[4])
{
    char glide = i < n && (t[i] == 'y' || t[i] == 'w') ? t[i] : '\0';
    const spelling *v = spelled(KOREAN_VOWELS, t, n, i + (glide != '\0'));
    if (!v)
        return 0;
    const char *k = v->key;
    size_t kn = strlen(k);
    if (glide == 'y' && k[0] == 'i' && kn == 1) {
        memcpy(out, "i", 2);                        /* yi: i */
    } else if (glide == 'w' && (k[0] == 'e' || (k[0] == 'w' && k[1] == 'e'))) {
        memcpy(out, "we", 3);                       /* we, wae: oe */
    } else if (glide) {
        out[0] = glide;
        memcpy(out + 1, k, kn + 1);
    } else {
        memcpy(out, k, kn + 1);
    }
    return (glide != '\0') + v->len;
}

static bool is_korean_vowel_letter(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

size_t korean_key(const char *t, size_t n, char *out, size_t cap)
{
    out[0] = '\0';
    if (n == 0 || n > 7 || cap < KOREAN_KEY_MAX)
        return 0;
    /* the shape first, which turns nearly every other word away: at most
     * three consonants, one run of vowels (after a glide), two consonants */
    size_t i = 0;
    while (i < n && !is_korean_vowel_letter(t[i]) && t[i] != 'y' && t[i] != 'w')
        i++;
    if (i > 3 || i == n)
        return 0;
    size_t v = i + (t[i] == 'y' || t[i] == 'w');
    size_t vowels_at = v;
    while (v < n && is_korean_vowel_letter(t[v]))
        v++;
    if (v == vowels_at || v - vowels_at > 3 || n - v > 2)
        return 0;
    for (size_t k = v; k < n; k++)
        if (is_korean_vowel_letter(t[k]) || t[k] == 'y' || t[k] == 'w')
            return 0;
    /* the longest initial after which a vowel follows: "sh" in shin, but the
     * "s" alone where no vowel follows "sh" */
    const char *init = "";
    char vowel[4];
    size_t vn = 0;
    i = 0;
    if (is_korean_vowel_letter(t[0]) || t[0] == 'y' || t[0] == 'w') {
        vn = korean_vowel(t, n, 0, vowel);
    } else {
        for (const spelling *s = KOREAN_INITIALS; s->as; s++)
            if (s->len <= n && t[0] == s->as[0] && memcmp(t, s->as, s->len) == 0 &&
                (vn = korean_vowel(t, n, s->len, vowel))) {
                init = s->key;
                i = s->len;
                break;
            }
    }
    if (!vn)
        return 0;
    i += vn;
    const char *fin = "";
    if (i < n) {
        const spelling *f = spelled(KOREAN_FINALS, t, n, i);
        if (!f || i + f->len != n)
            return 0;
        fin = f->key;
    }
    /* South Korea drops an initial r (l) before i and y: Ri / Lee / Yi / I */
    if (init[0] == 'l' && (vowel[0] == 'i' || vowel[0] == 'y'))
        init = "";
    int w = snprintf(out, cap, "%s%s%s", init, vowel, fin);
    return w > 0 && (size_t)w < cap ? (size_t)w : 0;
}

/* A name reads as Korean when it has three or more parts, each one
 * romanised syllable (Ri Je Son, Choe Chun-sik), one of them a Korean
 * family name. Fewer parts would take in "John Lee" and "Tom Kim". */
static bool looks_korean(const token_list *tl)
{
    size_t parts = 0;
    bool surname = false;
    for (size_t i = 0; i < tl->n; i++) {
        const name_token *t = &tl->tok[i];
        if (!t->kor_len)
            return false;
        parts++;
        surname = surname || (word_sets(t->text) & SET_KOREAN_SURNAMES);
    }
    return parts >= 3 && surname;
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

/* Whether s starts an Abd-compound: Abd and a second name (Abdurrahman). */
static bool is_abd_compound(const char *s)
{
    return strncmp(s, "abd", 3) == 0 && strlen(s) >= 6 && abd_rest_is_name(abd_rest(s + 3));
}

/* Whether a[0..na) and b[0..nb) are exactly one edit apart: a letter
 * changed, added or dropped, or two neighbours swapped. */
static bool one_edit_apart(const char *a, size_t na, const char *b, size_t nb)
{
    if (na + 1 < nb || nb + 1 < na)
        return false;
    size_t i = 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    if (na == nb) {
        if (i == na)
            return false;   /* equal */
        if (!memcmp(a + i + 1, b + i + 1, na - i - 1))
            return true;    /* changed */
        return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               !memcmp(a + i + 2, b + i + 2, na - i - 2);   /* swapped */
    }
    if (na > nb)
        return !memcmp(a + i + 1, b + i, na - i - 1);
    return !memcmp(a + i, b + i + 1, nb - i - 1);
}

/* Adds rest to rests[0 .. *n) unless there or full. */
static void add_reading(char rests[][TOKEN_MAX], size_t *n, size_t max, const char *rest)
{
    size_t len = strlen(rest);
    if (*n == max || len >= TOKEN_MAX)
        return;
    for (size_t k = 0; k < *n; k++)
        if (!strcmp(rests[k], rest))
            return;
    memcpy(rests[(*n)++], rest, len + 1);
}

size_t abd_prefix_typos(const char *w, char rests[][TOKEN_MAX], size_t max)
{
    /* One edit leaves two of the prefix's a, b and d at most a place from
     * where they were: most words fail this at once. */
    size_t n = strlen(w), found = 0;
    if (n < 4)
        return 0;
    int kept = (w[0] == 'a' || w[1] == 'a') + (w[0] == 'b' || w[1] == 'b' || w[2] == 'b') +
               (w[1] == 'd' || w[2] == 'd' || w[3] == 'd');
    if (kept < 2)
        return 0;
    for (const char *const *p = ABD_PREFIXES; *p; p++) {
        size_t pl = strlen(*p);
        for (size_t cut = pl - 1; cut <= pl + 1 && cut <= n; cut++) {
            if (cut < 3 || !one_edit_apart(w, cut, *p, pl))
                continue;
            if (cut == n) {
                /* a bare prefix: Adel and Adil are names of their own, so a
                 * short one must keep its Abd */
                if (pl >= 4 && (!strncmp(w, "abd", 3) || (n >= 5 && pl >= 5)))
                    add_reading(rests, &found, max, "");
                continue;
            }
            char fixed[2 * TOKEN_MAX];
            int len = snprintf(fixed, sizeof fixed, "%s%s", *p, w + cut);
            if (len < 6 || (size_t)len >= sizeof fixed)
                continue;
            const char *r = abd_rest(fixed + 3);
            if (strlen(r) >= 4 || !strcmp(r, "lah"))
                add_reading(rests, &found, max, r);
        }
    }
    return found;
}

static void set_text(name_token *t, const char *s, size_t n)
{
    if (n >= TOKEN_MAX)
        n = TOKEN_MAX - 1;
    memmove(t->text, s, n);   /* s may lie inside t->text */
    t->text[n] = '\0';
    t->len = (uint8_t)n;
}

static uint64_t letter_bits(const char *s, size_t n)
{
    uint64_t bits = 0;
    for (size_t i = 0; i < n; i++)
        bits |= (uint64_t)1 << ((unsigned char)s[i] & 63);
    return bits;
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
    t->kor_len = abjad ? 0 : (uint8_t)korean_key(t->text, t->len, t->kor, sizeof t->kor);
    t->text_bits = letter_bits(t->text, t->len);
    t->key_bits = letter_bits(t->key, t->key_len);
    t->cons_bits = letter_bits(t->cons, t->cons_len);
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

/* Appends the first len bytes of w as a word; longer words are cut. */
static size_t put_part(char (*out)[TOKEN_MAX], size_t n, size_t cap, const char *w, size_t len)
{
    if (n < cap) {
        if (len > TOKEN_MAX - 1)
            len = TOKEN_MAX - 1;
        memcpy(out[n], w, len);
        out[n++][len] = '\0';
    }
    return n;
}

static size_t put_word(char (*out)[TOKEN_MAX], size_t n, size_t cap, const char *w)
{
    return put_part(out, n, cap, w, strnlen(w, TOKEN_MAX - 1));
}

/* The length of the connector w starts with when an article follows it,
 * alone or before a name of four letters or more ("ibnel", "binalshibh");
 * 0 otherwise ("benali", "benelli", "beneluks"). */
static size_t connector_with_article(const char *w)
{
    static const char *const joined[] = {"ibnu", "ibn", "bin", "ben", NULL};
    if (w[0] != 'i' && w[0] != 'b')
        return 0;
    for (const char *const *c = joined; *c; c++) {
        size_t cl = strlen(*c);
        if (strncmp(w, *c, cl) != 0)
            continue;
        const char *r = w + cl;
        bool article = (r[0] == 'a' || r[0] == 'e' || r[0] == 'u' || r[0] == 'i') && r[1] == 'l';
        if (article && (r[2] == '\0' || strlen(r + 2) >= 4))
            return cl;
    }
    return 0;
}

/* Where an Abd-compound, or a bare Abd prefix ending w, starts inside w
 * after a name of three letters or more run into it ("Mustafaabdallah",
 * "Aliabdullah", "Hafizabdul"); 0 when none does. */
static size_t abd_compound_inside(const char *w)
{
    size_t n = strlen(w);
    for (size_t at = 3; at + 3 < n; at++)
        if (is_abd_compound(w + at) || is_abd_prefix(w + at))
            return at;
    return 0;
}

/* Rewrites words so every spelling of a name has the same words:
 *  - Abd-compounds split: Abdurrahman, Abdul Rahman, Abd al-Rahman all
 *    become "abd rahman", so a dropped or joined part still matches, also
 *    when a name before runs into them ("Aliabdullah": "ali abd lah");
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
        if (is_abd_compound(w)) {
            n = put_word(out, n, cap, "abd");
            n = put_word(out, n, cap, abd_rest(w + 3));
            after_abd = false;
            continue;
        }
        size_t after = connector_with_article(w);
        if (after) {
            /* "Ibnel Qaim", "binalshibh": bin, the article, the name */
            n = put_part(out, n, cap, w, after);
            n = put_part(out, n, cap, w + after, 2);
            if (w[after + 2])
                n = put_word(out, n, cap, w + after + 2);
            after_abd = false;
            continue;
        }
        size_t at = abd_compound_inside(w);
        if (at) {
            n = put_part(out, n, cap, w, at);
            n = put_word(out, n, cap, "abd");
            after_abd = is_abd_prefix(w + at);
            if (!after_abd)
                n = put_word(out, n, cap, abd_rest(w + at + 3));
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
    out->korean = looks_korean(out);
}

void keep_korean_keys_of_korean_names(token_list *tl)
{
    if (tl->korean)
        return;
    for (size_t i = 0; i < tl->n; i++) {
        tl->tok[i].kor_len = 0;
        tl->tok[i].kor[0] = '\0';
    }
}
