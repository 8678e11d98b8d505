#include "normalize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "../util/error.h"

/*
 * One compound ICU transliterator does the whole job:
 *  1. NFKC and lower case, so compatibility forms and case never matter;
 *  2. Arabic letter variants folded (hamza seats, ta marbuta, alef maqsura,
 *     Persian yeh and kaf, tatweel, harakat), since writers use them freely;
 *  3. Cyrillic to Latin by English-style rules (й y, ж zh, е e), the way
 *     names reach Western banks, rather than ISO 9 (j, ž); х is h, so
 *     letter-by-letter spellings of Latin names (Тхе, Кадхафи) come back
 *     as th, dh;
 *  4. Any-Latin for every other script, then Latin-ASCII and a final strip
 *     of combining marks, so only ASCII leaves this module.
 */
static const char TRANSLIT_RULES[] =
    ":: NFKC;\n"
    ":: Lower;\n"
    /* Arabic folding */
    "[\\u0622\\u0623\\u0625\\u0671\\u0672\\u0673] > \\u0627;\n"
    "\\u0629 > \\u0647;\n"
    "[\\u0649\\u06CC\\u06D2\\u0626] > \\u064A;\n"
    "[\\u06A9] > \\u0643;\n"
    "\\u0624 > \\u0648;\n"
    "[\\u0640\\u064B-\\u065F\\u0670\\u06D6-\\u06ED] > ;\n"
    "\\u0621 > ;\n"
    /* Cyrillic, English-style romanisation */
    "\\u0430 > a; \\u0431 > b; \\u0432 > v; \\u0433 > g; \\u0434 > d;\n"
    "\\u0435 > e; \\u0451 > yo; \\u0436 > zh; \\u0437 > z; \\u0438 > i;\n"
    "\\u0439 > y; \\u043A > k; \\u043B > l; \\u043C > m; \\u043D > n;\n"
    "\\u043E > o; \\u043F > p; \\u0440 > r; \\u0441 > s; \\u0442 > t;\n"
    "\\u0443 > u; \\u0444 > f; \\u0445 > h; \\u0446 > ts; \\u0447 > ch;\n"
    "\\u0448 > sh; \\u0449 > shch; \\u044A > ; \\u044B > y; \\u044C > ;\n"
    "\\u044D > e; \\u044E > yu; \\u044F > ya;\n"
    "\\u0456 > i; \\u0457 > yi; \\u0454 > ye; \\u0491 > g; \\u045E > u;\n"
    "\\u0458 > j; \\u0459 > lj; \\u045A > nj; \\u045B > c; \\u0452 > dj;\n"
    "\\u045F > dzh; \\u049B > q; \\u0493 > gh; \\u04AF > u; \\u04B1 > u;\n"
    "\\u04A3 > ng; \\u04BB > h; \\u04D9 > a; \\u04E9 > o; \\u0455 > dz;\n"
    ":: Any-Latin;\n"
    ":: Latin-ASCII;\n"
    ":: NFD;\n"
    ":: [:Nonspacing Mark:] Remove;\n"
    ":: Lower;\n"
    ":: NFC;\n";

/* Text already in Latin script (accents, ligatures, ß, ł) needs only the
 * tail of the pipeline; skipping the script dispatch of Any-Latin makes it
 * several times faster. */
static const char LATIN_RULES[] =
    ":: NFKC;\n"
    ":: Lower;\n"
    ":: Latin-ASCII;\n"
    ":: NFD;\n"
    ":: [:Nonspacing Mark:] Remove;\n"
    ":: NFC;\n";

enum { TR_ANY, TR_LATIN, TR_COUNT };

static UTransliterator *master[TR_COUNT];   /* built once; cloned per thread */
static UErrorCode master_status = U_ZERO_ERROR;
static pthread_once_t master_once = PTHREAD_ONCE_INIT;
static _Thread_local UTransliterator *thread_translit[TR_COUNT];

static void free_master(void)
{
    for (int k = 0; k < TR_COUNT; k++) {
        if (master[k])
            utrans_close(master[k]);
        master[k] = NULL;
    }
}

static UTransliterator *open_rules(const char *rules_utf8, size_t size, const char *name)
{
    UChar *rules = malloc(size * sizeof *rules);
    if (!rules) {
        master_status = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    int32_t n = 0;
    u_strFromUTF8(rules, (int32_t)size, &n, rules_utf8, -1, &master_status);
    UChar id[32];
    u_uastrcpy(id, name);
    UParseError pe;
    UTransliterator *t = NULL;
    if (U_SUCCESS(master_status))
        t = utrans_openU(id, -1, UTRANS_FORWARD, rules, n, &pe, &master_status);
    free(rules);
    return t;
}

static void build_master(void)
{
    master[TR_ANY] = open_rules(TRANSLIT_RULES, sizeof TRANSLIT_RULES, "interdict-any");
    master[TR_LATIN] = open_rules(LATIN_RULES, sizeof LATIN_RULES, "interdict-latin");
    atexit(free_master);
}

static UTransliterator *get_translit(int which)
{
    if (thread_translit[which])
        return thread_translit[which];
    pthread_once(&master_once, build_master);
    if (U_FAILURE(master_status) || !master[which])
        return NULL;
    UErrorCode st = U_ZERO_ERROR;
    thread_translit[which] = utrans_clone(master[which], &st);
    if (U_FAILURE(st))
        thread_translit[which] = NULL;
    return thread_translit[which];
}

void normalize_thread_cleanup(void)
{
    for (int k = 0; k < TR_COUNT; k++) {
        if (thread_translit[k])
            utrans_close(thread_translit[k]);
        thread_translit[k] = NULL;
    }
}

/* Maps ASCII to the matcher's alphabet: letters lower-cased, digits kept,
 * apostrophes dropped (O'Neil, Ch'ol), everything else a space. */
static char ascii_class(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c + 32);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return (char)c;
    if (c == '\'' || c == '`')
        return 0;
    return ' ';
}

/* Copies ASCII through ascii_class, collapsing spaces. */
static size_t fold_ascii(const char *in, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        char c = ascii_class((unsigned char)in[i]);
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

interdict_status normalize_name(const char *utf8, size_t len,
                                normalized_text *out, const char *field,
                                interdict_error *err)
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
        /* Worst case one UTF-16 unit per byte; transliteration may grow it. */
        enum { UCAP = NAME_MAX_BYTES * 4 };
        UChar *u = malloc(sizeof(UChar) * UCAP);
        char *tmp = malloc(sizeof out->text);
        if (!u || !tmp) {
            free(u);
            free(tmp);
            return set_error(err, INTERDICT_ERR_NOMEM, "<query>", 0, field, "out of memory");
        }
        UErrorCode st = U_ZERO_ERROR;
        int32_t ulen = 0;
        u_strFromUTF8(u, UCAP, &ulen, utf8, (int32_t)len, &st);
        if (U_FAILURE(st)) {
            free(u);
            free(tmp);
            return set_error(err, INTERDICT_ERR_ENCODING, "<query>", 0, field,
                             "name is not valid UTF-8");
        }
        bool latin_only;
        scan_scripts(u, ulen, &out->from_abjad, &latin_only);
        UTransliterator *t = get_translit(latin_only ? TR_LATIN : TR_ANY);
        if (!t) {
            free(u);
            free(tmp);
            return set_error(err, INTERDICT_ERR_UNICODE, "<query>", 0, field,
                             "ICU transliterator unavailable (%s)", u_errorName(master_status));
        }
        int32_t limit = ulen;
        utrans_transUChars(t, u, &ulen, UCAP, 0, &limit, &st);
        int32_t blen = 0;
        if (U_SUCCESS(st))
            u_strToUTF8(tmp, (int32_t)sizeof out->text, &blen, u, ulen, &st);
        free(u);
        if (U_FAILURE(st) || blen >= (int32_t)sizeof out->text) {
            free(tmp);
            return set_error(err, INTERDICT_ERR_LIMIT, "<query>", 0, field,
                             "name too long after transliteration");
        }
        /* Anything still outside ASCII (unassigned code points, symbols)
         * becomes a separator, like other punctuation. */
        for (int32_t i = 0; i < blen; i++)
            if ((unsigned char)tmp[i] >= 0x80)
                tmp[i] = ' ';
        out->len = fold_ascii(tmp, (size_t)blen, out->text, sizeof out->text);
        free(tmp);
    }
    if (out->len == 0)
        return set_error(err, INTERDICT_ERR_INVALID, "<query>", 0, field,
                         "name has no letters or digits");
    return INTERDICT_OK;
}

long interdict_normalize_name(const char *utf8, size_t len, char *buf,
                              size_t size, interdict_error *err)
{
    normalized_text *nt = malloc(sizeof *nt);
    if (!nt)
        return set_error(err, INTERDICT_ERR_NOMEM, "<query>", 0, "name", "out of memory");
    interdict_status st = normalize_name(utf8, len, nt, "name", err);
    long r = st;
    if (st == INTERDICT_OK) {
        if (size > 0) {
            size_t n = nt->len < size - 1 ? nt->len : size - 1;
            memcpy(buf, nt->text, n);
            buf[n] = '\0';
        }
        r = (long)nt->len;
    }
    free(nt);
    return r;
}

void interdict_thread_cleanup(void) { normalize_thread_cleanup(); }
