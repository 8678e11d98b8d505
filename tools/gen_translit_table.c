/* gen_translit_table.c - writes the tables of src/text/translit_table.h.
 *
 * usage: gen_translit_table OUT.c
 *
 * Runs the normalisation rules of src/text/translit_rules.h through the
 * ICU the build links, on every character of the scripts whose rules work
 * one character at a time, and records what each becomes in the matcher's
 * alphabet. A character is only given an entry when it also comes out the
 * same beside letters, digits, spaces and marks of each covered script;
 * otherwise it stays TT_UNHANDLED and names containing it go through ICU
 * at run time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uset.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#include "text/translit_rules.h"
#include "text/translit_table.h"

#define N_CP 0x110000
#define MAX_STRINGS (TT_STRING + 1)
#define POOL_MAX 0xFFFF

_Noreturn static void die(const char *what)
{
    fprintf(stderr, "gen_translit_table: %s\n", what);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = calloc(n ? n : 1, 1);
    if (!p)
        die("out of memory");
    return p;
}

static UTransliterator *open_rules(const char *rules_utf8)
{
    UErrorCode st = U_ZERO_ERROR;
    size_t cap = strlen(rules_utf8) + 1;
    UChar *rules = xmalloc(cap * sizeof *rules);
    int32_t n = 0;
    u_strFromUTF8(rules, (int32_t)cap, &n, rules_utf8, -1, &st);
    UChar id[] = {'x', 0};
    UParseError pe;
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, rules, n, &pe, &st);
    free(rules);
    if (U_FAILURE(st))
        die(u_errorName(st));
    return t;
}

/* ---- Running many short strings through a transliterator at once --------- */

/* Up to eight code points per string. */
typedef struct sample {
    UChar32 cp[8];
    int n;
} sample;

typedef struct outputs {
    UChar *text;                  /* all outputs, each ended by '\n' */
    int32_t *start, *len;         /* per sample */
} outputs;

/* Samples go in joined by newlines, which no rule touches and which keep
 * every sample's context to itself; callers batch samples of one shape so
 * that script runs are what they would be alone. */
static void run_samples(UTransliterator *t, const sample *s, size_t n, outputs *out)
{
    out->start = xmalloc(n * sizeof *out->start);
    out->len = xmalloc(n * sizeof *out->len);
    size_t total_cap = 0;
    UChar **chunks = xmalloc((n / 1024 + 1) * sizeof *chunks);
    int32_t *chunk_len = xmalloc((n / 1024 + 1) * sizeof *chunk_len);
    size_t n_chunks = 0;
    for (size_t first = 0; first < n; first += 1024) {
        size_t last = first + 1024 < n ? first + 1024 : n;
        int32_t cap = (int32_t)(last - first) * 64, len = 0;
        UChar *buf = xmalloc((size_t)cap * sizeof *buf);
        for (size_t i = first; i < last; i++) {
            for (int k = 0; k < s[i].n; k++) {
                UBool err = false;
                U16_APPEND(buf, len, cap, s[i].cp[k], err);
                if (err)
                    die("sample too long");
            }
            buf[len++] = '\n';
        }
        UErrorCode st = U_ZERO_ERROR;
        int32_t limit = len;
        utrans_transUChars(t, buf, &len, cap, 0, &limit, &st);
        if (U_FAILURE(st))
            die(u_errorName(st));
        chunks[n_chunks] = buf;
        chunk_len[n_chunks++] = len;
        total_cap += (size_t)len;
    }
    out->text = xmalloc(total_cap * sizeof *out->text);
    size_t at = 0, i = 0;
    for (size_t c = 0; c < n_chunks; c++) {
        int32_t begin = 0;
        for (int32_t k = 0; k < chunk_len[c]; k++) {
            if (chunks[c][k] != '\n')
                continue;
            if (i >= n)
                die("a rule produced a newline");
            out->start[i] = (int32_t)at;
            out->len[i] = k - begin;
            memcpy(out->text + at, chunks[c] + begin, (size_t)(k - begin) * sizeof(UChar));
            at += (size_t)(k - begin);
            i++;
            begin = k + 1;
        }
        if (begin != chunk_len[c])
            die("a rule removed a newline");
        free(chunks[c]);
    }
    if (i != n)
        die("outputs and samples differ in number");
    free(chunks);
    free(chunk_len);
}

static void free_outputs(outputs *o)
{
    free(o->text);
    free(o->start);
    free(o->len);
}

/* ---- The matcher's alphabet ---------------------------------------------- */

/* What normalize.c makes of ICU's output: ASCII through its class, every
 * other character a space; runs of spaces collapse (its final pass does
 * that too, so only their presence matters). */
static size_t fold(const UChar *u, int32_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        char a = c < 0x80 ? translit_ascii_class((unsigned char)c) : ' ';
        if (!a || (a == ' ' && k > 0 && out[k - 1] == ' '))
            continue;
        if (k + 1 >= cap)
            die("output too long");
        out[k++] = a;
    }
    out[k] = '\0';
    return k;
}

/* The final comparison form: spaces collapsed and trimmed. */
static void trim(char *s)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++)
        if (s[i] != ' ' || (k > 0 && s[k - 1] != ' '))
            s[k++] = s[i];
    while (k > 0 && s[k - 1] == ' ')
        k--;
    s[k] = '\0';
}

/* ---- Strings ------------------------------------------------------------- */

static char pool[POOL_MAX];
static size_t pool_len;
static struct { uint16_t offset; uint8_t len; } strings[MAX_STRINGS];
static size_t n_strings;

static uint16_t intern(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n_strings; i++)
        if (strings[i].len == n && !memcmp(pool + strings[i].offset, s, n))
            return (uint16_t)i;
    if (n_strings == MAX_STRINGS || pool_len + n + 1 > POOL_MAX || n > 255)
        die("string table full");
    memcpy(pool + pool_len, s, n + 1);
    strings[n_strings].offset = (uint16_t)pool_len;
    strings[n_strings].len = (uint8_t)n;
    pool_len += n + 1;
    return (uint16_t)n_strings++;
}

/* ---- Characters ---------------------------------------------------------- */

static uint16_t *entry;           /* per code point */
static size_t max_bytes;          /* most UTF-8 bytes of one character's output */

static void note_length(const UChar *u, int32_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t bytes = 0;
    u_strToUTF8(NULL, 0, &bytes, u, n, &st);
    if ((size_t)bytes + 1 > max_bytes)   /* + a space Han-Latin may put before */
        max_bytes = (size_t)bytes + 1;
}

static bool covered_script(UScriptCode sc)
{
    switch (sc) {
    case USCRIPT_LATIN: case USCRIPT_COMMON: case USCRIPT_INHERITED:
    case USCRIPT_ARABIC: case USCRIPT_CYRILLIC: case USCRIPT_HAN:
    case USCRIPT_HEBREW: case USCRIPT_GEORGIAN:
        return true;
    default:
        return false;
    }
}

static UScriptCode script_of(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    return uscript_getScript(c, &st);
}

static bool unassigned(UChar32 c)
{
    int8_t t = u_charType(c);
    return t == U_UNASSIGNED || t == U_PRIVATE_USE_CHAR;
}

/* What Han-Latin sees before the next character, from the output of the
 * script step: a letter (marks after it do not count) or something else. */
static int left_context(const UChar *u, int32_t n)
{
    while (n > 0) {
        UChar32 c;
        U16_PREV(u, 0, n, c);
        if (U_GET_GC_MASK(c) & U_GC_M_MASK)
            continue;
        return (U_GET_GC_MASK(c) & U_GC_L_MASK) ? TT_LEFT_LETTER : TT_LEFT_OTHER;
    }
    return TT_LEFT_KEEP;
}

typedef struct pair_rule {
    UChar32 cp, next;
    char reading[64];
} pair_rule;

static pair_rule pairs[64];
static size_t n_pairs;

/* Han-Latin's contextual readings: rules of the form {X}' '?Y > reading; */
static void read_pair_rules(UTransliterator *tail)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar id[] = u"Han-Latin";
    UTransliterator *han = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st))
        die("no Han-Latin");
    int32_t n = utrans_toRules(han, false, NULL, 0, &st);
    st = U_ZERO_ERROR;
    UChar *r = xmalloc(((size_t)n + 1) * sizeof *r);
    utrans_toRules(han, false, r, n + 1, &st);
    utrans_close(han);
    if (U_FAILURE(st))
        die("cannot read Han-Latin rules");
    int contexts = 0;
    for (int32_t i = 0; i < n;) {
        int32_t end = i;
        while (end < n && r[end] != '\n')
            end++;
        const UChar *line = r + i;
        int32_t len = end - i;
        i = end + 1;
        if (len == 0 || line[0] != '{')
            continue;
        contexts++;
        /* {X}' '?Y > reading;  */
        int32_t k = 1;
        UChar32 x, y;
        U16_NEXT(line, k, len, x);
        static const UChar mid[] = u"}' '?";
        if (k + 5 > len || u_memcmp(line + k, mid, 5) != 0)
            die("unexpected Han-Latin context rule");
        k += 5;
        U16_NEXT(line, k, len, y);
        static const UChar arrow[] = u" > ";
        if (k + 3 > len || u_memcmp(line + k, arrow, 3) != 0)
            die("unexpected Han-Latin context rule");
        k += 3;
        int32_t semi = len;
        while (semi > k && line[semi - 1] != ';')
            semi--;
        if (semi <= k || n_pairs == sizeof pairs / sizeof pairs[0])
            die("unexpected Han-Latin context rule");
        sample s = {{0}, 0};
        for (int32_t j = k; j < semi - 1;) {
            UChar32 c;
            U16_NEXT(line, j, semi - 1, c);
            if (s.n == 8)
                die("Han-Latin reading too long");
            s.cp[s.n++] = c;
        }
        outputs o;
        run_samples(tail, &s, 1, &o);
        note_length(o.text + o.start[0], o.len[0]);
        pairs[n_pairs].cp = x;
        pairs[n_pairs].next = y;
        fold(o.text + o.start[0], o.len[0], pairs[n_pairs].reading,
             sizeof pairs[n_pairs].reading);
        n_pairs++;
        free_outputs(&o);
    }
    free(r);
    if ((size_t)contexts != n_pairs)
        die("Han-Latin context rules not understood");
}

static bool neutral(UChar32 c)
{
    return script_of(c) == USCRIPT_COMMON || script_of(c) == USCRIPT_INHERITED;
}

static bool spaces_next_letter(UChar32 c)
{
    return (entry[c] & TT_IDEOGRAPH) || (U_GET_GC_MASK(c) & (U_GC_PE_MASK | U_GC_PF_MASK));
}

/* What normalize.c makes of the characters cp[0..n), by the table; false
 * when it would hand them to ICU. Keep in step with translit_by_table(). */
static bool by_table(const UChar32 *cp, int n, bool latin_only, char *out, size_t cap)
{
    size_t k = 0;
    int left = TT_LEFT_OTHER;
    UChar32 setter = -1, prev = -1;
    bool han = false, odd_letter = false;
    for (int i = 0; i < n; i++) {
        uint16_t e = entry[cp[i]];
        if (e == TT_UNHANDLED || (latin_only && (e & TT_LATIN_DIFFERS)))
            return false;
        int l = e >> TT_LEFT_SHIFT;
        if (l == TT_LEFT_GONE)
            continue;
        bool after_spacer = prev >= 0 && spaces_next_letter(prev);
        if (after_spacer && (U_GET_GC_MASK(cp[i]) & U_GC_L_MASK) && neutral(cp[i]))
            odd_letter = true;
        if (l == TT_LEFT_KEEP && setter >= 0 && left != TT_LEFT_LETTER &&
            script_of(setter) == USCRIPT_HAN && !neutral(cp[i]) &&
            strpbrk(pool + strings[entry[setter] & TT_STRING].offset,
                    "abcdefghijklmnopqrstuvwxyz"))
            left = TT_LEFT_LETTER;
        if (e & (TT_IDEOGRAPH | TT_HAN_LETTER)) {
            han = true;
            if (e & TT_IDEOGRAPH) {
                int j = i + 1;
                while (j < n && entry[cp[j]] >> TT_LEFT_SHIFT == TT_LEFT_GONE)
                    j++;
                UChar32 next = j < n ? cp[j] : -1;
                if (next == ' ') {
                    do
                        j++;
                    while (j < n && entry[cp[j]] >> TT_LEFT_SHIFT == TT_LEFT_GONE);
                    next = j < n ? cp[j] : -1;
                }
                for (size_t p = 0; p < n_pairs; p++)
                    if (pairs[p].cp == cp[i] && next == pairs[p].next)
                        e = (uint16_t)((e & ~TT_STRING) | intern(pairs[p].reading));
            }
            if (((e & TT_IDEOGRAPH) && left == TT_LEFT_LETTER) ||
                ((e & TT_HAN_LETTER) && after_spacer))
                out[k++] = ' ';
        }
        size_t len = strings[e & TT_STRING].len;
        if (k + len + 2 >= cap)
            die("output too long");
        memcpy(out + k, pool + strings[e & TT_STRING].offset, len);
        k += len;
        if (l != TT_LEFT_KEEP) {
            left = l;
            setter = cp[i];
        }
        prev = cp[i];
    }
    if (han && odd_letter)
        return false;
    out[k] = '\0';
    trim(out);
    return true;
}

/* Whether s is what the table sees: text after NFKC and lower case. */
static bool normalized(const sample *s)
{
    UChar in[32], nfkc[64], low[64];
    int32_t n = 0;
    for (int k = 0; k < s->n; k++)
        U16_APPEND_UNSAFE(in, n, s->cp[k]);
    UErrorCode st = U_ZERO_ERROR;
    int32_t m = unorm2_normalize(unorm2_getNFKCInstance(&st), in, n, nfkc, 64, &st);
    m = u_strToLower(low, 64, nfkc, m, "", &st);
    return U_SUCCESS(st) && m == n && u_memcmp(in, low, n) == 0;
}

/* Characters that must read the same beside each of these. */
static const UChar32 NEIGHBOURS[] = {
    'a', 'Z', 0xE9 /* é */, 0x0142 /* ł */, '1', ' ', '-', '\'', '(', ')', 0x2019 /* ’ */,
    0x0301 /* combining acute */, 0x02BF /* ʿ */,
    0x0431 /* б */, 0x044A /* ъ */, 0x04B3 /* ҳ */,
    0x0628 /* ب */, 0x0627 /* ا */, 0x0621 /* ء */, 0x064E /* fatha */, 0x0661 /* ١ */,
    0x06F1 /* ۱ */, 0x066B /* ٫ */, 0x0611 /* an Arabic mark no rule changes */,
    0x05E9 /* ש */, 0x05B8 /* qamats */, 0x10D0 /* ა */,
    /* an ideograph, an ideographic number, a Han letter and a radical: few,
     * since Han-Latin takes long over every Han character */
    0x91D1 /* 金 */, 0x3007 /* 〇 */, 0x3005 /* 々 */, 0x2E8C /* ⺌ */,
};

/* Marks characters unhandled (or Latin-different) that read otherwise
 * beside one of the NEIGHBOURS than alone. */
static size_t check_contexts(UTransliterator *any, UTransliterator *latin,
                             const UChar32 *cps, size_t n, bool latin_script)
{
    size_t dropped = 0;
    sample *s = xmalloc(n * sizeof *s);
    size_t *who = xmalloc(n * sizeof *who);
    for (size_t nb = 0; nb < sizeof NEIGHBOURS / sizeof NEIGHBOURS[0]; nb++) {
        UChar32 x = NEIGHBOURS[nb];
        UScriptCode xs = script_of(x);
        for (int order = 0; order < 2; order++) {
            for (int pass = 0; pass < 2; pass++) {
                bool lat = pass == 1;
                /* only Latin-script names take the Latin pipeline */
                if (lat && (!latin_script || (xs != USCRIPT_LATIN && xs != USCRIPT_COMMON &&
                                              xs != USCRIPT_INHERITED)))
                    continue;
                size_t m = 0;
                char got[256];
                for (size_t i = 0; i < n; i++) {
                    if (entry[cps[i]] == TT_UNHANDLED ||
                        (lat && (entry[cps[i]] & TT_LATIN_DIFFERS)))
                        continue;
                    s[m].n = 2;
                    s[m].cp[order] = x;
                    s[m].cp[!order] = cps[i];
                    /* pairs the table never sees, or leaves to ICU */
                    if (!normalized(&s[m]) || !by_table(s[m].cp, 2, lat, got, sizeof got))
                        continue;
                    who[m++] = i;
                }
                outputs o;
                run_samples(lat ? latin : any, s, m, &o);
                for (size_t k = 0; k < m; k++) {
                    char want[256];
                    fold(o.text + o.start[k], o.len[k], want, sizeof want);
                    trim(want);
                    by_table(s[k].cp, 2, lat, got, sizeof got);
                    if (strcmp(want, got) == 0)
                        continue;
                    UChar32 c = cps[who[k]];
                    if (getenv("GEN_DEBUG"))
                        fprintf(stderr, "U+%04X next to U+%04X (%s): ICU \"%s\", table \"%s\"\n",
                                (unsigned)c, (unsigned)x, lat ? "latin" : "any", want, got);
                    if (lat)
                        entry[c] |= TT_LATIN_DIFFERS;
                    else
                        entry[c] = TT_UNHANDLED;
                    dropped++;
                }
                free_outputs(&o);
            }
        }
    }
    free(s);
    free(who);
    return dropped;
}

/* The assigned characters of one script. */
static UChar32 *script_chars(UScriptCode sc, size_t *n)
{
    UChar32 *cps = xmalloc(N_CP * sizeof *cps);
    *n = 0;
    for (UChar32 c = 0; c < N_CP; c++)
        if (!U_IS_SURROGATE(c) && !unassigned(c) && script_of(c) == sc && c != '\n')
            cps[(*n)++] = c;
    return cps;
}

/* ---- Han readings -------------------------------------------------------- */

/* Han-Latin is a list of "[ideographs] > reading;" rules, so slow to run on
 * each of ninety thousand ideographs that reading its sets is much the
 * quicker way; every 32nd one is still checked against ICU. */
typedef struct han_reading {
    UChar32 cp;
    char text[32];                /* the reading in the matcher's alphabet */
} han_reading;

static han_reading *readings;
static size_t n_readings;

static int cmp_reading(const void *a, const void *b)
{
    const han_reading *x = a, *y = b;
    return (x->cp > y->cp) - (x->cp < y->cp);
}

static void read_han_sets(UTransliterator *any)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar id[] = u"Han-Latin";
    UTransliterator *han = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    int32_t n = U_SUCCESS(st) ? utrans_toRules(han, false, NULL, 0, &st) : 0;
    st = U_ZERO_ERROR;
    UChar *r = xmalloc(((size_t)n + 1) * sizeof *r);
    utrans_toRules(han, false, r, n + 1, &st);
    utrans_close(han);
    if (U_FAILURE(st))
        die("cannot read Han-Latin rules");
    size_t cap = 0;
    for (int32_t i = 0; i < n;) {
        int32_t end = i;
        while (end < n && r[end] != '\n')
            end++;
        UChar *line = r + i;
        int32_t len = end - i;
        i = end + 1;
        if (len == 0 || line[0] != '[')
            continue;
        /* [set] > reading; */
        int32_t arrow = len - 1;
        while (arrow > 0 && !(line[arrow] == ' ' && line[arrow + 1] == '>'))
            arrow--;
        if (arrow <= 0 || line[len - 1] != ';' || line[arrow - 1] != ']')
            die("unexpected Han-Latin rule");
        sample reading = {{0}, 0};
        for (int32_t k = arrow + 3; k < len - 1;) {
            UChar32 c;
            U16_NEXT(line, k, len - 1, c);
            if (reading.n == 8 || c == '\'' || c == '\\' || c == '$' || c == '{' ||
                c == '|' || c == '[' || c == ' ')
                die("unexpected Han-Latin reading");
            reading.cp[reading.n++] = c;
        }
        outputs o;
        run_samples(any, &reading, 1, &o);
        note_length(o.text + o.start[0], o.len[0]);
        char text[32];
        fold(o.text + o.start[0], o.len[0], text, sizeof text);
        free_outputs(&o);
        USet *set = uset_openPattern(line, arrow, &st);
        if (U_FAILURE(st))
            die("unexpected Han-Latin set");
        for (int32_t k = 0; k < uset_getItemCount(set); k++) {
            UChar32 lo, hi;
            if (uset_getItem(set, k, &lo, &hi, NULL, 0, &st) != 0)
                die("unexpected string in a Han-Latin set");
            for (UChar32 c = lo; c <= hi; c++) {
                if (n_readings == cap) {
                    cap = cap ? cap * 2 : 65536;
                    readings = realloc(readings, cap * sizeof *readings);
                    if (!readings)
                        die("out of memory");
                }
                readings[n_readings].cp = c;
                memcpy(readings[n_readings].text, text, sizeof text);
                n_readings++;
            }
        }
        uset_close(set);
    }
    free(r);
    qsort(readings, n_readings, sizeof *readings, cmp_reading);
}

static const char *han_reading_of(UChar32 c)
{
    han_reading key = {c, ""};
    const han_reading *h = bsearch(&key, readings, n_readings, sizeof *readings, cmp_reading);
    return h ? h->text : NULL;
}

/* ---- Entries ------------------------------------------------------------- */

/* Fills entry[] for the characters of one script, each taken alone. */
static void fill_script(UTransliterator *any, UTransliterator *latin, UTransliterator *stage,
                        UTransliterator *fold_step, UScriptCode sc)
{
    size_t n;
    UChar32 *cps = script_chars(sc, &n);
    sample *s = xmalloc(n * sizeof *s);
    /* Han-Latin's work is read off its sets, except for characters that
     * are not in NFKC (Han-Latin normalises those itself), and a sample
     * checked. */
    bool han = sc == USCRIPT_HAN;
    size_t n_icu = 0;
    for (size_t i = 0; i < n; i++) {
        sample one = {{cps[i]}, 1};
        if (!han || !normalized(&one) || i % 32 == 0)
            s[n_icu++] = one;
    }
    outputs oa, ol, os, of;
    run_samples(any, s, n_icu, &oa);
    run_samples(latin, s, n_icu, &ol);
    if (!han) {
        run_samples(stage, s, n_icu, &os);
        run_samples(fold_step, s, n_icu, &of);
    }
    for (size_t i = 0, k = 0; i < n; i++) {
        char a[256], l[256];
        bool by_icu = k < n_icu && s[k].cp[0] == cps[i];
        if (by_icu) {
            fold(oa.text + oa.start[k], oa.len[k], a, sizeof a);
            fold(ol.text + ol.start[k], ol.len[k], l, sizeof l);
            note_length(oa.text + oa.start[k], oa.len[k]);
            note_length(ol.text + ol.start[k], ol.len[k]);
        } else {
            /* Latin-ASCII leaves the Han script alone */
            snprintf(l, sizeof l, " ");
        }
        const char *reading = han && normalized(&(sample){{cps[i]}, 1}) ? han_reading_of(cps[i])
                                                                         : NULL;
        if (han && normalized(&(sample){{cps[i]}, 1})) {
            char mine[32];
            snprintf(mine, sizeof mine, "%s", reading ? reading : " ");
            if (by_icu && strcmp(a, mine) != 0) {
                fprintf(stderr, "U+%04X: ICU \"%s\", sets \"%s\"\n", (unsigned)cps[i], a, mine);
                die("Han-Latin rules not understood");
            }
            snprintf(a, sizeof a, "%s", mine);
        }
        uint16_t e = intern(a);
        if (strcmp(a, l) != 0)
            e |= TT_LATIN_DIFFERS;
        if (han && u_hasBinaryProperty(cps[i], UCHAR_IDEOGRAPHIC))
            e |= TT_IDEOGRAPH;
        if (han && (U_GET_GC_MASK(cps[i]) & U_GC_L_MASK))
            e |= TT_HAN_LETTER;
        /* Han-Spacedhan reads a Han run before Han-Latin changes it: there
         * the character itself is the context; elsewhere what the script
         * step made of it. */
        UChar self[2];
        int32_t self_len = 0;
        U16_APPEND_UNSAFE(self, self_len, cps[i]);
        int left = han ? left_context(self, self_len)
                       : left_context(os.text + os.start[k], os.len[k]);
        if (!han && by_icu && of.len[k] == 0)
            left = TT_LEFT_GONE;
        e |= (uint16_t)(left << TT_LEFT_SHIFT);
        if (e == TT_UNHANDLED)
            die("entry collides with TT_UNHANDLED");
        entry[cps[i]] = e;
        k += by_icu;
    }
    free_outputs(&oa);
    free_outputs(&ol);
    if (!han) {
        free_outputs(&os);
        free_outputs(&of);
    }
    free(s);
    free(cps);
}

static void check_script(UTransliterator *any, UTransliterator *latin, UScriptCode sc)
{
    size_t n;
    UChar32 *cps = script_chars(sc, &n);
    if (sc == USCRIPT_HAN) {
        /* Ninety thousand ideographs read by one mechanism (a syllable each,
         * spaced by Han-Spacedhan, a few pairs): a sample of them checks it
         * in a fraction of the time. */
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            bool pair = false;
            for (size_t p = 0; p < n_pairs; p++)
                pair = pair || pairs[p].cp == cps[i] || pairs[p].next == cps[i];
            bool plain = u_hasBinaryProperty(cps[i], UCHAR_IDEOGRAPHIC) &&
                         (U_GET_GC_MASK(cps[i]) & U_GC_L_MASK);
            if (i % 256 == 0 || pair || !plain)
                cps[k++] = cps[i];
        }
        n = k;
    }
    bool latin_script = sc == USCRIPT_LATIN || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED;
    size_t dropped = check_contexts(any, latin, cps, n, latin_script);
    fprintf(stderr, "gen_translit_table: %s: %zu characters, %zu read otherwise in context\n",
            uscript_getName(sc), n, dropped);
    free(cps);
}

/* ---- Output -------------------------------------------------------------- */

static void write_c_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0')
            fputs("\\000", f);   /* three digits: a digit may follow */
        else
            fputc(s[i], f);   /* only letters, digits and spaces */
    }
    fputc('"', f);
}

static void write_table(const char *path)
{
    enum { N_PAGES = N_CP >> 8 };
    static uint16_t page_of[N_PAGES];
    uint16_t *unique = xmalloc((size_t)N_PAGES * 256 * sizeof *unique);
    size_t n_unique = 0;
    for (size_t p = 0; p < N_PAGES; p++) {
        const uint16_t *page = entry + p * 256;
        size_t u = 0;
        while (u < n_unique && memcmp(unique + u * 256, page, 256 * sizeof *page) != 0)
            u++;
        if (u == n_unique)
            memcpy(unique + n_unique++ * 256, page, 256 * sizeof *page);
        page_of[p] = (uint16_t)u;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write the output file");
    fprintf(f, "/* Generated by tools/gen_translit_table.c with ICU %s: do not edit. */\n",
            U_ICU_VERSION);
    fprintf(f, "#include \"text/translit_table.h\"\n\n");
    fprintf(f, "const uint16_t translit_pages[0x110000 >> 8] = {");
    for (size_t p = 0; p < N_PAGES; p++)
        fprintf(f, "%s%u,", p % 16 ? " " : "\n    ", page_of[p]);
    fprintf(f, "\n};\n\nconst uint16_t translit_entries[][256] = {\n");
    for (size_t u = 0; u < n_unique; u++) {
        fprintf(f, "    {");
        for (size_t k = 0; k < 256; k++)
            fprintf(f, "%s0x%x,", k % 12 ? " " : "\n        ", unique[u * 256 + k]);
        fprintf(f, "\n    },\n");
    }
    fprintf(f, "};\n\nconst translit_string translit_strings[] = {\n");
    for (size_t i = 0; i < n_strings; i++)
        fprintf(f, "    {%u, %u},\n", strings[i].offset, strings[i].len);
    fprintf(f, "};\n\nconst char translit_pool[] =");
    for (size_t at = 0; at < pool_len; at += 64) {
        fprintf(f, "\n    ");
        write_c_string(f, pool + at, at + 64 < pool_len ? 64 : pool_len - at);
    }
    fprintf(f, ";\n\nconst translit_pair translit_pairs[] = {\n");
    for (size_t p = 0; p < n_pairs; p++)
        fprintf(f, "    {0x%X, 0x%X, %u},\n", (unsigned)pairs[p].cp, (unsigned)pairs[p].next,
                (unsigned)((entry[pairs[p].cp] & ~TT_STRING) | intern(pairs[p].reading)));
    fprintf(f, "};\n\nconst size_t translit_n_pairs = %zu;\n", n_pairs);
    fprintf(f, "const size_t translit_max_bytes = %zu;\n", max_bytes);
    if (fclose(f) != 0)
        die("cannot write the output file");
    fprintf(stderr, "gen_translit_table: %zu pages of entries, %zu strings, %zu pool bytes\n",
            n_unique, n_strings, pool_len);
    free(unique);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_translit_table OUT.c\n");
        return 2;
    }
    UTransliterator *any = open_rules(TRANSLIT_FOLD TRANSLIT_TAIL);
    UTransliterator *latin = open_rules(TRANSLIT_LATIN_TAIL);
    UTransliterator *stage = open_rules(TRANSLIT_FOLD ":: Any-Latin;\n");
    UTransliterator *fold_step = open_rules(TRANSLIT_FOLD);
    entry = xmalloc(N_CP * sizeof *entry);
    uint16_t space = intern(" ");
    for (UChar32 c = 0; c < N_CP; c++)
        entry[c] = TT_UNHANDLED;
    /* Unassigned and private-use characters belong to no script: no rule
     * touches them, and normalize.c makes them a space. */
    for (UChar32 c = 0; c < N_CP; c++)
        if (!U_IS_SURROGATE(c) && unassigned(c))
            entry[c] = (uint16_t)(space | TT_LEFT_OTHER << TT_LEFT_SHIFT);
    /* The newline separates samples: it is a space like other controls. */
    entry['\n'] = (uint16_t)(space | TT_LEFT_OTHER << TT_LEFT_SHIFT);
    read_pair_rules(any);
    read_han_sets(any);
    static const UScriptCode scripts[] = {USCRIPT_LATIN, USCRIPT_COMMON, USCRIPT_INHERITED,
                                          USCRIPT_CYRILLIC, USCRIPT_ARABIC, USCRIPT_HEBREW,
                                          USCRIPT_GEORGIAN, USCRIPT_HAN};
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        if (!covered_script(scripts[i]))
            die("script list out of step");
    /* Every entry first: the context checks read their neighbours'. */
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        fill_script(any, latin, stage, fold_step, scripts[i]);
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        check_script(any, latin, scripts[i]);
    write_table(argv[1]);
    utrans_close(any);
    utrans_close(latin);
    utrans_close(stage);
    utrans_close(fold_step);
    free(entry);
    return 0;
}
