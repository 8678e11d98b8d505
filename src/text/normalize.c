#include "normalize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "../util/error.h"
#include "translit_rules.h"
#include "translit_table.h"

/* The whole pipeline is described in translit_rules.h. Names in the
 * scripts translit_table.h covers are transliterated by table; for the
 * others (Greek, Armenian, Thai ...) ICU runs the script step and the
 * table does the rest, and only names where that cannot be trusted go
 * through the whole pipeline in ICU. Each transliterator is built on first
 * use, once per process, and cloned per thread. */
static const char TRANSLIT_RULES[] = TRANSLIT_HEAD TRANSLIT_FOLD TRANSLIT_TAIL;
static const char LATIN_RULES[] = TRANSLIT_HEAD TRANSLIT_LATIN_TAIL;
static const char FOLD_RULES[] = TRANSLIT_FOLD;
static const char SCRIPT_RULES[] = ":: Any-Latin;\n";

enum { TR_ANY, TR_LATIN, TR_FOLD, TR_SCRIPT, TR_COUNT };

static const struct {
    const char *rules;
    size_t size;
    const char *name;
} TRANSLIT[TR_COUNT] = {
    [TR_ANY] = {TRANSLIT_RULES, sizeof TRANSLIT_RULES, "interdict-any"},
    [TR_LATIN] = {LATIN_RULES, sizeof LATIN_RULES, "interdict-latin"},
    [TR_FOLD] = {FOLD_RULES, sizeof FOLD_RULES, "interdict-fold"},
    [TR_SCRIPT] = {SCRIPT_RULES, sizeof SCRIPT_RULES, "interdict-script"},
};

static UTransliterator *master[TR_COUNT];
static UErrorCode master_status[TR_COUNT];
static pthread_once_t master_once[TR_COUNT] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT,
                                               PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};
static pthread_once_t cleanup_once = PTHREAD_ONCE_INIT;
static _Thread_local UTransliterator *thread_translit[TR_COUNT];

static void free_master(void)
{
    for (int k = 0; k < TR_COUNT; k++) {
        if (master[k])
            utrans_close(master[k]);
        master[k] = NULL;
    }
}

static void register_cleanup(void) { atexit(free_master); }

static void build_master(int which)
{
    pthread_once(&cleanup_once, register_cleanup);
    UErrorCode *st = &master_status[which];
    size_t size = TRANSLIT[which].size;
    UChar *rules = malloc(size * sizeof *rules);
    if (!rules) {
        *st = U_MEMORY_ALLOCATION_ERROR;
        return;
    }
    int32_t n = 0;
    u_strFromUTF8(rules, (int32_t)size, &n, TRANSLIT[which].rules, -1, st);
    UChar id[32];
    u_uastrcpy(id, TRANSLIT[which].name);
    UParseError pe;
    if (U_SUCCESS(*st))
        master[which] = utrans_openU(id, -1, UTRANS_FORWARD, rules, n, &pe, st);
    free(rules);
}

static void build_any(void) { build_master(TR_ANY); }
static void build_latin(void) { build_master(TR_LATIN); }
static void build_fold(void) { build_master(TR_FOLD); }
static void build_script(void) { build_master(TR_SCRIPT); }

static UTransliterator *get_translit(int which)
{
    static void (*const build[TR_COUNT])(void) = {build_any, build_latin, build_fold,
                                                  build_script};
    if (thread_translit[which])
        return thread_translit[which];
    pthread_once(&master_once[which], build[which]);
    if (U_FAILURE(master_status[which]) || !master[which])
        return NULL;
    UErrorCode st = U_ZERO_ERROR;
    thread_translit[which] = utrans_clone(master[which], &st);
    if (U_FAILURE(st))
        thread_translit[which] = NULL;
    return thread_translit[which];
}

/* Room for ICU to transliterate a name in place (at most one UTF-16 unit
 * per input byte, and what transliteration adds), and for its UTF-8
 * result: kept per thread, as a fresh allocation per name costs page
 * faults in worker threads' heaps. */
enum { ICU_ROOM = NAME_MAX_BYTES * 4 };
static _Thread_local UChar *icu_room;
static _Thread_local char *icu_utf8;

static bool icu_buffers(void)
{
    if (!icu_room)
        icu_room = malloc(sizeof(UChar) * ICU_ROOM);
    if (!icu_utf8)
        icu_utf8 = malloc(sizeof ((normalized_text *)0)->text);
    return icu_room && icu_utf8;
}

void normalize_thread_cleanup(void)
{
    for (int k = 0; k < TR_COUNT; k++) {
        if (thread_translit[k])
            utrans_close(thread_translit[k]);
        thread_translit[k] = NULL;
    }
    free(icu_room);
    free(icu_utf8);
    icu_room = NULL;
    icu_utf8 = NULL;
}

/* Copies ASCII through translit_ascii_class, collapsing spaces. */
static size_t fold_ascii(const char *in, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        char c = translit_ascii_class((unsigned char)in[i]);
        if (!c)
            continue;
        if (c == ' ' && (n == 0 || out[n - 1] == ' '))
            continue;
        out[n++] = c;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return n;
}

static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Arabic, Hebrew and Syriac letters omit short vowels, which changes how
 * their romanisations must be compared. Also tells whether every letter is
 * already Latin. */
static void scan_scripts(const UChar *s, int32_t n, bool *abjad, bool *latin_only)
{
    *abjad = false;
    *latin_only = true;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &st);
        if (sc == USCRIPT_ARABIC || sc == USCRIPT_HEBREW || sc == USCRIPT_SYRIAC ||
            sc == USCRIPT_THAANA)
            *abjad = true;
        if (sc != USCRIPT_LATIN && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED)
            *latin_only = false;
    }
}

/* ---- By table ------------------------------------------------------------ */

/* Longest name (in UTF-16 units) the table path takes; longer ones, rare
 * and usually junk, go through ICU, which also keeps its length errors. */
enum { TABLE_MAX_UNITS = 512, TABLE_CAP = TABLE_MAX_UNITS * 8 };

static UScriptCode script_of(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    return uscript_getScript(c, &st);
}

/* Common and inherited characters join the script run around them. */
static bool neutral(UChar32 c)
{
    UScriptCode sc = script_of(c);
    return sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED;
}

/* Appends s (already in the matcher's alphabet), collapsing spaces. */
static bool put(char *out, size_t *n, size_t cap, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' && (*n == 0 || out[*n - 1] == ' '))
            continue;
        if (*n + 1 >= cap)
            return false;
        out[(*n)++] = s[i];
    }
    return true;
}

static int left_of(uint16_t entry) { return entry >> TT_LEFT_SHIFT; }

static bool has_letter(uint16_t entry)
{
    const translit_string *ts = &translit_strings[entry & TT_STRING];
    for (size_t i = 0; i < ts->len; i++)
        if (translit_pool[ts->offset + i] >= 'a' && translit_pool[ts->offset + i] <= 'z')
            return true;
    return false;
}

/* The character at u[*i], stepping over those the rules remove before
 * Han-Latin sees the text; -1 at the end. */
static UChar32 next_present(const UChar *u, int32_t *i, int32_t n)
{
    while (*i < n) {
        UChar32 c;
        U16_NEXT(u, *i, n, c);
        if (left_of(translit_entry((uint32_t)c)) != TT_LEFT_GONE)
            return c;
    }
    return -1;
}

/* Han-Latin's reading of ideograph c when it depends on what follows. */
static uint16_t pair_entry(UChar32 c, const UChar *u, int32_t i, int32_t n, uint16_t e)
{
    for (size_t p = 0; p < translit_n_pairs; p++) {
        if (translit_pairs[p].cp != (uint32_t)c)
            continue;
        int32_t j = i;
        UChar32 next = next_present(u, &j, n);
        if (next == ' ')
            next = next_present(u, &j, n);
        if ((uint32_t)next == translit_pairs[p].next)
            return translit_pairs[p].entry;
    }
    return e;
}

/* Whether Han-Latin spaces a Han letter off this character before it: an
 * ideograph, or closing punctuation (’ among it). */
static bool spaces_next_letter(UChar32 c, uint16_t entry)
{
    return (entry & TT_IDEOGRAPH) || (U_GET_GC_MASK(c) & (U_GC_PE_MASK | U_GC_PF_MASK));
}

/* The rules' result for u[0..n) (NFKC'd and lower-cased) from the table,
 * in step with by_table() of gen_translit_table.c, which checked it. False
 * when some character needs ICU. */
static bool translit_by_table(const UChar *u, int32_t n, bool latin_only, char *out,
                              size_t cap, size_t *out_len)
{
    size_t k = 0;
    int left = TT_LEFT_OTHER;      /* what precedes, as Han-Latin sees it */
    UChar32 setter = -1;           /* the character that set it */
    UChar32 prev = -1;             /* the character before (removed ones aside) */
    uint16_t prev_entry = 0;
    bool han = false, odd_letter = false;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        uint16_t e = translit_entry((uint32_t)c);
        if (e == TT_UNHANDLED || (latin_only && (e & TT_LATIN_DIFFERS)))
            return false;
        int l = left_of(e);
        if (l == TT_LEFT_GONE)
            continue;
        bool after_spacer = prev >= 0 && spaces_next_letter(prev, prev_entry);
        /* A letter of no script there would be spaced off too, within a Han
         * run only: rare enough to leave such names to ICU. */
        if (after_spacer && (U_GET_GC_MASK(c) & U_GC_L_MASK) && neutral(c))
            odd_letter = true;
        /* Within a Han run Han-Latin sees the characters themselves (〇 is
         * no letter); once a mark of another script ends the run, what
         * they became (ling is). */
        if (l == TT_LEFT_KEEP && setter >= 0 && left != TT_LEFT_LETTER &&
            script_of(setter) == USCRIPT_HAN && !neutral(c) &&
            has_letter(translit_entry((uint32_t)setter)))
            left = TT_LEFT_LETTER;
        if (e & (TT_IDEOGRAPH | TT_HAN_LETTER)) {
            han = true;
            if ((e & TT_IDEOGRAPH) && translit_n_pairs)
                e = pair_entry(c, u, i, n, e);
            /* Han-Latin's spacing of syllables */
            if ((((e & TT_IDEOGRAPH) && left == TT_LEFT_LETTER) ||
                 ((e & TT_HAN_LETTER) && after_spacer)) &&
                !put(out, &k, cap, " ", 1))
                return false;
        }
        const translit_string *ts = &translit_strings[e & TT_STRING];
        if (!put(out, &k, cap, translit_pool + ts->offset, ts->len))
            return false;
        if (l != TT_LEFT_KEEP) {
            left = l;
            setter = c;
        }
        prev = c;
        prev_entry = e;
    }
    if (han && odd_letter)
        return false;
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    *out_len = k;
    return true;
}

/* NFKC and lower case, the rules' first step, then the table. False when
 * the name must go through ICU. */
/* ICU's script step (the folding rules, then Any-Latin) on u[0..n), NFKC'd
 * and lower-cased, and the table for the rest, which works one character
 * at a time on what the script step leaves: Latin, common and inherited
 * characters. False when anything else is left (names in several scripts
 * or with rare characters), for the whole pipeline in ICU. Running the
 * rest of the pipeline (Latin-ASCII above all) in ICU costs twice the
 * script step. */
static bool script_step_then_table(const UChar *u, int32_t n, normalized_text *out)
{
    UTransliterator *fold = get_translit(TR_FOLD), *script = get_translit(TR_SCRIPT);
    if (!fold || !script)
        return false;
    UChar buf[TABLE_CAP];
    memcpy(buf, u, sizeof *buf * (size_t)n);
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = n, limit = n;
    utrans_transUChars(fold, buf, &len, TABLE_CAP, 0, &limit, &st);
    limit = len;
    if (U_SUCCESS(st))
        utrans_transUChars(script, buf, &len, TABLE_CAP, 0, &limit, &st);
    if (U_FAILURE(st) || (size_t)len * translit_max_bytes >= sizeof out->text)
        return false;
    size_t k = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(buf, i, len, c);
        uint16_t e = translit_entry((uint32_t)c);
        UScriptCode sc = script_of(c);
        if (e == TT_UNHANDLED || (e & (TT_IDEOGRAPH | TT_HAN_LETTER)) ||
            left_of(e) == TT_LEFT_GONE ||
            (sc != USCRIPT_LATIN && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED))
            return false;
        const translit_string *ts = &translit_strings[e & TT_STRING];
        if (!put(out->text, &k, sizeof out->text, translit_pool + ts->offset, ts->len))
            return false;
    }
    while (k > 0 && out->text[k - 1] == ' ')
        k--;
    out->text[k] = '\0';
    out->len = k;
    return true;
}

/* Whether u[0..n) holds both a Han character and an opening quote: Han-
 * Latin spaces a syllable off the quote on either side ("a‛⺌" is "a xiao",
 * "金‛a" is "jin a") in ways the table does not follow, so such rare names
 * go to ICU whole. */
static bool han_and_opening_quote(const UChar *u, int32_t n)
{
    /* opening quotes are U+00AB and U+2018..U+2E20; Han starts at U+2E80 */
    bool quote = false;
    for (int32_t i = 0; i < n && !quote; i++)
        quote = u[i] == 0xAB ||
                (u[i] >= 0x2018 && u[i] <= 0x2E20 && (U_GET_GC_MASK(u[i]) & U_GC_PI_MASK));
    for (int32_t i = 0; i < n && quote;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (c >= 0x2E80 && script_of(c) == USCRIPT_HAN)
            return true;
    }
    return false;
}

/* NFKC and lower case, the rules' first step, then the table, and for a
 * name in other scripts (script_step), ICU's script step and the table.
 * False when the name must go through the whole pipeline in ICU. */
static bool normalize_by_table(const UChar *u, int32_t ulen, bool latin_only,
                               bool script_step, normalized_text *out)
{
    if (ulen > TABLE_MAX_UNITS)
        return false;
    UChar nfkc[TABLE_CAP], lower[TABLE_CAP];
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *norm = unorm2_getNFKCInstance(&st);
    int32_t n = 0;
    if (U_SUCCESS(st))
        n = unorm2_normalize(norm, u, ulen, nfkc, TABLE_CAP, &st);
    if (U_SUCCESS(st))
        n = u_strToLower(lower, TABLE_CAP, nfkc, n, "", &st);
    /* ICU fails a name whose result outgrows out->text; leave those to it */
    if (U_FAILURE(st) || (size_t)n * translit_max_bytes >= sizeof out->text)
        return false;
    if (han_and_opening_quote(lower, n))
        return false;
    if (translit_by_table(lower, n, latin_only, out->text, sizeof out->text, &out->len))
        return true;
    /* Latin-only names take a pipeline without the script step */
    return script_step && !latin_only && script_step_then_table(lower, n, out);
}

/* ---- By ICU -------------------------------------------------------------- */

static interdict_status normalize_by_icu(UChar *u, int32_t ulen, bool latin_only,
                                         normalized_text *out, const char *field,
                                         interdict_error *err)
{
    UTransliterator *t = get_translit(latin_only ? TR_LATIN : TR_ANY);
    if (!t)
        return set_error(err, INTERDICT_ERR_UNICODE, "<query>", 0, field,
                         "ICU transliterator unavailable (%s)",
                         u_errorName(master_status[latin_only ? TR_LATIN : TR_ANY]));
    char *tmp = icu_utf8;   /* icu_buffers() was called */
    UErrorCode st = U_ZERO_ERROR;
    int32_t limit = ulen;
    utrans_transUChars(t, u, &ulen, ICU_ROOM, 0, &limit, &st);
    int32_t blen = 0;
    if (U_SUCCESS(st))
        u_strToUTF8(tmp, (int32_t)sizeof out->text, &blen, u, ulen, &st);
    if (U_FAILURE(st) || blen >= (int32_t)sizeof out->text)
        return set_error(err, INTERDICT_ERR_LIMIT, "<query>", 0, field,
                         "name too long after transliteration");
    /* Anything still outside ASCII (unassigned code points, symbols)
     * becomes a separator, like other punctuation. */
    for (int32_t i = 0; i < blen; i++)
        if ((unsigned char)tmp[i] >= 0x80)
            tmp[i] = ' ';
    out->len = fold_ascii(tmp, (size_t)blen, out->text, sizeof out->text);
    return INTERDICT_OK;
}

/* How a name is transliterated: by table where it can (and ICU otherwise),
 * by table only (tests: is the table enough?), or by ICU only (tests:
 * the reference). */
typedef enum mode { BY_TABLE_OR_ICU, BY_TABLE_ONLY, BY_ICU_ONLY } mode;

static interdict_status normalize(const char *utf8, size_t len, normalized_text *out,
                                  const char *field, mode how, interdict_error *err)
{
    out->len = 0;
    out->text[0] = '\0';
    out->from_abjad = false;
    if (!utf8)
        return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, field, "name is missing");
    if (len > NAME_MAX_BYTES)
        return set_error(err, INTERDICT_ERR_LIMIT, "<query>", 0, field,
                         "name is %zu bytes, over the %d byte limit", len, NAME_MAX_BYTES);

    if (is_ascii(utf8, len)) {
        out->len = fold_ascii(utf8, len, out->text, sizeof out->text);
    } else {
        /* At most one UTF-16 unit per byte. Usual names fit a buffer on the
         * stack, enough for the table; ICU transliterates in place, in the
         * thread's room. */
        enum { SHORT_BYTES = 1024 };
        UChar short_u[SHORT_BYTES];
        UChar *u = short_u;
        if (len > SHORT_BYTES) {
            if (!icu_buffers())
                return set_error(err, INTERDICT_ERR_NOMEM, "<query>", 0, field,
                                 "out of memory");
            u = icu_room;
        }
        UErrorCode st = U_ZERO_ERROR;
        int32_t ulen = 0;
        u_strFromUTF8(u, u == short_u ? SHORT_BYTES : ICU_ROOM, &ulen, utf8, (int32_t)len, &st);
        interdict_status rc = INTERDICT_OK;
        if (U_FAILURE(st)) {
            rc = set_error(err, INTERDICT_ERR_ENCODING, "<query>", 0, field,
                           "name is not valid UTF-8");
        } else {
            bool latin_only;
            scan_scripts(u, ulen, &out->from_abjad, &latin_only);
            if (how == BY_TABLE_ONLY && !normalize_by_table(u, ulen, latin_only, false, out)) {
                rc = set_error(err, INTERDICT_ERR_UNICODE, "<query>", 0, field,
                               "name needs ICU's transliterators");
            } else if (how == BY_ICU_ONLY ||
                       (how == BY_TABLE_OR_ICU &&
                        !normalize_by_table(u, ulen, latin_only, true, out))) {
                if (!icu_buffers()) {
                    rc = set_error(err, INTERDICT_ERR_NOMEM, "<query>", 0, field,
                                   "out of memory");
                } else {
                    if (u != icu_room)
                        memcpy(icu_room, u, sizeof(UChar) * (size_t)ulen);
                    rc = normalize_by_icu(icu_room, ulen, latin_only, out, field, err);
                }
            }
        }
        if (rc != INTERDICT_OK)
            return rc;
    }
    if (out->len == 0)
        return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, field,
                         "name has no letters or digits");
    return INTERDICT_OK;
}

interdict_status normalize_name(const char *utf8, size_t len, normalized_text *out,
                                const char *field, interdict_error *err)
{
    return normalize(utf8, len, out, field, BY_TABLE_OR_ICU, err);
}

interdict_status normalize_name_icu(const char *utf8, size_t len, normalized_text *out,
                                    const char *field, interdict_error *err)
{
    return normalize(utf8, len, out, field, BY_ICU_ONLY, err);
}

interdict_status normalize_name_table(const char *utf8, size_t len, normalized_text *out,
                                      const char *field, interdict_error *err)
{
    return normalize(utf8, len, out, field, BY_TABLE_ONLY, err);
}

long interdict_normalize_name(const char *utf8, size_t len, char *buf,
                              size_t size, interdict_error *err)
{
    /* on the stack: it runs per query (countries), and fresh heap memory
     * costs page faults in worker threads */
    normalized_text nt;
    interdict_status st = normalize_name(utf8, len, &nt, "name", err);
    long r = st;
    if (st == INTERDICT_OK) {
        if (size > 0) {
            size_t n = nt.len < size - 1 ? nt.len : size - 1;
            memcpy(buf, nt.text, n);
            buf[n] = '\0';
        }
        r = (long)nt.len;
    }
    return r;
}

void interdict_prepare_scripts(const char *utf8, size_t len)
{
    /* The first name of each such script compiles its ICU rules (once per
     * process, shared by every thread); a one-letter name is enough. */
    enum { MAX_SCRIPTS = 16 };
    UScriptCode seen[MAX_SCRIPTS];
    size_t n_seen = 0;
    int32_t n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    for (int32_t i = 0; i < n && n_seen < MAX_SCRIPTS;) {
        if ((unsigned char)utf8[i] < 0x80) {
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT(utf8, i, n, c);
        if (c < 0 || translit_entry((uint32_t)c) != TT_UNHANDLED)
            continue;
        UScriptCode sc = script_of(c);
        bool known = false;
        for (size_t k = 0; k < n_seen; k++)
            known = known || seen[k] == sc;
        if (known)
            continue;
        seen[n_seen++] = sc;
        char one[U8_MAX_LENGTH];
        int32_t one_len = 0;
        U8_APPEND_UNSAFE(one, one_len, c);
        normalized_text *out = malloc(sizeof *out);
        if (!out)
            return;
        normalize(one, (size_t)one_len, out, "name", BY_TABLE_OR_ICU, NULL);
        free(out);
    }
}

void interdict_thread_cleanup(void) { normalize_thread_cleanup(); }
