/* Free-text screening against the bundled UN list: mentions in running
 * text in several languages and scripts, exact byte offsets, the evidence
 * a weak mention needs, and the same hits however the text is cut. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"
#include "match/text_scan.h"
#include "text/normalize.h"
#include "text/text_fold.h"

static interdict_index *ix;
static interdict_text_result *res;

static size_t scan(const char *text)
{
    interdict_error err;
    if (interdict_screen_text(ix, text, strlen(text), NULL, res, &err) != INTERDICT_OK) {
        fprintf(stderr, "scan failed: %s\n", err.message);
        return SIZE_MAX;
    }
    return interdict_text_result_count(res);
}

/* The hit of party `ref` on exactly the `which`-th occurrence of `span`
 * in `text`, or NULL. */
static const interdict_text_hit *hit_on(const char *text, const char *ref, const char *span,
                                        int which)
{
    const char *at = text;
    for (int k = 0; k <= which; k++) {
        at = strstr(k ? at + 1 : at, span);
        if (!at)
            return NULL;
    }
    uint64_t start = (uint64_t)(at - text), end = start + strlen(span);
    for (size_t i = 0; i < interdict_text_result_count(res); i++) {
        const interdict_text_hit *h = interdict_text_result_hit(res, i);
        if (!strcmp(h->entry->ref, ref) && h->start == start && h->end == end)
            return h;
    }
    return NULL;
}

/* Scans text and checks that ref is found exactly on span. */
static void expect(const char *text, const char *ref, const char *span)
{
    if (scan(text) == SIZE_MAX) {
        CHECK(!"scan");
        return;
    }
    const interdict_text_hit *h = hit_on(text, ref, span, 0);
    if (!h) {
        fprintf(stderr, "  no %s on \"%s\" in \"%s\"; hits:\n", ref, span, text);
        for (size_t i = 0; i < interdict_text_result_count(res); i++) {
            const interdict_text_hit *x = interdict_text_result_hit(res, i);
            fprintf(stderr, "    %s %llu-%llu \"%s\"\n", x->entry->ref,
                    (unsigned long long)x->start, (unsigned long long)x->end, x->text);
        }
    }
    CHECK(h != NULL);
    if (h) {
        CHECK(strlen(h->text) == strlen(span) && !memcmp(h->text, span, strlen(span)));
        CHECK(h->score > 0 && h->score <= 1);
        CHECK(h->matched_name && h->matched_name[0]);
        CHECK(h->explanation && h->explanation[0]);
    }
}

/* Scans text and checks that party ref is nowhere. */
static bool has_ref(const char *ref)
{
    for (size_t i = 0; i < interdict_text_result_count(res); i++)
        if (!strcmp(interdict_text_result_hit(res, i)->entry->ref, ref))
            return true;
    return false;
}

static void expect_none(const char *text)
{
    size_t n = scan(text);
    if (n && n != SIZE_MAX) {
        fprintf(stderr, "  unexpected hits in \"%s\":\n", text);
        for (size_t i = 0; i < n; i++) {
            const interdict_text_hit *x = interdict_text_result_hit(res, i);
            fprintf(stderr, "    %s \"%s\" (%s)\n", x->entry->ref, x->text, x->matched_name);
        }
    }
    CHECK(n == 0);
}

static void test_english(void)
{
    const char *t = "Al-Qaida leader Ayman al-Zawahiri said on Tuesday that the group would go on.";
    expect(t, "QDe.004", "Al-Qaida");
    expect(t, "QDi.006", "Ayman al-Zawahiri");
    CHECK(scan(t) == 2);   /* not "Al-Qaida [leader] Ayman" as Al-Qaida in Yemen */
    expect("Officials named Abu Bakr al-Baghdadi.", "QDi.299", "Abu Bakr al-Baghdadi");
    expect("JOSEPH KONY WANTED", "CFi.009", "JOSEPH KONY");
    expect("Hambali was arrested in 2003.", "QDi.087", "Hambali");
    expect("the Abu Sayyaf Group, which", "QDe.001", "Abu Sayyaf Group");
    /* a longer name holds a shorter one: Al-Qaida in Iraq, not Al-Qaida */
    t = "They joined al-Qaida in Iraq in 2004.";
    expect(t, "QDe.115", "al-Qaida in Iraq");
    CHECK(!has_ref("QDe.004"));
}

static void test_punctuation_and_quotes(void)
{
    const char *t = "The \"Islamic State in Iraq and the Levant\" (ISIL), \xe2\x80\x9c" "Al-Qaida\xe2\x80\x9d; Hambali.";
    expect(t, "QDe.115", "Islamic State in Iraq and the Levant");
    expect(t, "QDe.115", "ISIL");
    expect(t, "QDe.004", "Al-Qaida");
    expect(t, "QDi.087", "Hambali");
    /* a full stop ends a phrase: the two names stay apart */
    t = "He met Ayman. Zawahiri was not there.";
    CHECK(scan(t) == 0);
    /* but not the dot of a title or an initial */
    expect("said Dr. Ayman al-Zawahiri today", "QDi.006", "Ayman al-Zawahiri");
}

static void test_possessive_and_elision(void)
{
    const char *t = "Ayman al-Zawahiri's deputy spoke.";
    expect(t, "QDi.006", "Ayman al-Zawahiri");
    t = "Le chef d'Al-Qa\xc3\xaf" "da, Ayman al-Zawahiri, a d\xc3\xa9" "clar\xc3\xa9.";
    expect(t, "QDe.004", "Al-Qa\xc3\xaf" "da");
    expect(t, "QDi.006", "Ayman al-Zawahiri");
    t = "les membres d\xe2\x80\x99" "Al-Qa\xc3\xaf" "da";
    expect(t, "QDe.004", "Al-Qa\xc3\xaf" "da");
}

static void test_line_breaks(void)
{
    expect("leader Ayman al-\nZawahiri said", "QDi.006", "Ayman al-\nZawahiri");
    expect("leader Ayman\r\nal-Zawahiri said", "QDi.006", "Ayman\r\nal-Zawahiri");
    /* a word hyphenated at the end of a line */
    expect("leader Ayman al-Zawa-\nhiri said", "QDi.006", "Ayman al-Zawa-\nhiri");
    expect("Abu Bakr al-Bagh-\n  dadi", "QDi.299", "Abu Bakr al-Bagh-\n  dadi");
    /* a blank line ends the passage */
    CHECK(scan("He met Ayman\n\nZawahiri was absent") == 0);
    /* so does a long run of separators, even after a hyphen and a line
     * break: "wa" is joined to nothing, and the article stays the name's */
    char run[128];
    snprintf(run, sizeof run, "wa-\n%.63s Al-Qaida",
             "///////////////////////////////////////////////////////////////////");
    expect(run, "QDe.004", "Al-Qaida");
}

static void test_arabic(void)
{
    const char *t = "\xd9\x82\xd8\xa7\xd9\x84 \xd8\xb2\xd8\xb9\xd9\x8a\xd9\x85 "
                    "\xd8\xaa\xd9\x86\xd8\xb8\xd9\x8a\xd9\x85 "
                    "\xd8\xa7\xd9\x84\xd9\x82\xd8\xa7\xd8\xb9\xd8\xaf\xd8\xa9 "   /* القاعدة */
                    "\xd8\xa3\xd9\x8a\xd9\x85\xd9\x86 "                               /* أيمن */
                    "\xd8\xa7\xd9\x84\xd8\xb8\xd9\x88\xd8\xa7\xd9\x87\xd8\xb1\xd9\x8a"; /* الظواهري */
    expect(t, "QDe.004", "\xd8\xa7\xd9\x84\xd9\x82\xd8\xa7\xd8\xb9\xd8\xaf\xd8\xa9");
    expect(t, "QDi.006", "\xd8\xa3\xd9\x8a\xd9\x85\xd9\x86 "
                         "\xd8\xa7\xd9\x84\xd8\xb8\xd9\x88\xd8\xa7\xd9\x87\xd8\xb1\xd9\x8a");
    /* و (and) joined to the name: the mention starts after it */
    t = "\xd9\x88\xd8\xa3\xd9\x8a\xd9\x85\xd9\x86 "
        "\xd8\xa7\xd9\x84\xd8\xb8\xd9\x88\xd8\xa7\xd9\x87\xd8\xb1\xd9\x8a";   /* وأيمن الظواهري */
    expect(t, "QDi.006", "\xd8\xa3\xd9\x8a\xd9\x85\xd9\x86 "
                         "\xd8\xa7\xd9\x84\xd8\xb8\xd9\x88\xd8\xa7\xd9\x87\xd8\xb1\xd9\x8a");
    /* ل (for) + ال: للقاعدة */
    t = "\xd8\xaf\xd8\xb9\xd9\x85 \xd9\x84\xd9\x84\xd9\x82\xd8\xa7\xd8\xb9\xd8\xaf\xd8\xa9";
    CHECK(scan(t) == 1 && has_ref("QDe.004"));
    /* ب (with) + ال */
    t = "\xd8\xa8\xd8\xa7\xd9\x84\xd9\x82\xd8\xa7\xd8\xb9\xd8\xaf\xd8\xa9";   /* بالقاعدة */
    CHECK(scan(t) == 1 && has_ref("QDe.004"));
    /* قاعدة عسكرية, a military base: the word without its article is no name */
    expect_none("\xd9\x82\xd8\xa7\xd8\xb9\xd8\xaf\xd8\xa9 "
                "\xd8\xb9\xd8\xb3\xd9\x83\xd8\xb1\xd9\x8a\xd8\xa9");
    /* من (from) is not Ayman */
    t = "\xd9\x85\xd9\x86 \xd8\xa7\xd9\x84\xd8\xb8\xd9\x88\xd8\xa7\xd9\x87\xd8\xb1\xd9\x8a";
    CHECK(scan(t) == 0);
}

static void test_russian(void)
{
    const char *t = "\xd0\x9b\xd0\xb8\xd0\xb4\xd0\xb5\xd1\x80 \xc2\xab"
                    "\xd0\xb0\xd0\xbb\xd1\x8c-\xd0\x9a\xd0\xb0\xd0\xb8\xd0\xb4\xd1\x8b"   /* аль-Каиды */
                    "\xc2\xbb \xd0\x90\xd0\xb9\xd0\xbc\xd0\xb0\xd0\xbd "                 /* Айман */
                    "\xd0\xb0\xd0\xb7-\xd0\x97\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x85\xd0\xb8\xd1\x80\xd0\xb8" /* аз-Завахири */
                    " \xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb.";
    expect(t, "QDe.004", "\xd0\xb0\xd0\xbb\xd1\x8c-\xd0\x9a\xd0\xb0\xd0\xb8\xd0\xb4\xd1\x8b");
    expect(t, "QDi.006", "\xd0\x90\xd0\xb9\xd0\xbc\xd0\xb0\xd0\xbd "
                         "\xd0\xb0\xd0\xb7-\xd0\x97\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x85\xd0\xb8\xd1\x80\xd0\xb8");
    /* instrumental case: с Айманом аз-Завахири */
    t = "\xd1\x81 \xd0\x90\xd0\xb9\xd0\xbc\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xbc "
        "\xd0\xb0\xd0\xb7-\xd0\x97\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x85\xd0\xb8\xd1\x80\xd0\xb8";
    expect(t, "QDi.006", "\xd0\x90\xd0\xb9\xd0\xbc\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xbc "
                         "\xd0\xb0\xd0\xb7-\xd0\x97\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x85\xd0\xb8\xd1\x80\xd0\xb8");
    /* mixed scripts: a Latin name in Russian text */
    t = "\xd0\x92\xd0\xbb\xd0\xb0\xd1\x81\xd1\x82\xd0\xb8: Ayman al-Zawahiri "
        "\xd1\x81\xd0\xba\xd1\x80\xd1\x8b\xd0\xb2\xd0\xb0\xd0\xb5\xd1\x82\xd1\x81\xd1\x8f";
    expect(t, "QDi.006", "Ayman al-Zawahiri");
}

static void test_acronyms(void)
{
    /* AQI is an alias of QDe.115, in capitals */
    expect("the group known as AQI, later", "QDe.115", "AQI");
    /* ISIL is the initials of its listed name Islamic State in Iraq and the Levant */
    expect("fighters of ISIL crossed", "QDe.115", "ISIL");
    expect("ISIL-K claimed the attack", "QDe.161", "ISIL-K");
    /* an acronym in other case is another word; ISIL alone is not ISIL-K */
    expect_none("the aqi index and Aqi from Isil");
    CHECK(scan("ISIL fighters") == 1 && !has_ref("QDe.161") && !has_ref("QDe.162"));
}

static void test_everyday_words(void)
{
    /* list aliases that are everyday words: The Base (Al-Qaida), Chairman,
     * Israel, Leader, Terminator, NGO, Jihad */
    expect_none("The base was closed. The Chairman met Israel's leader.");
    expect_none("The Terminator and the Defender were films. Jihad was discussed.");
    expect_none("An NGO worker. Hassan said. Omar left. Mohammed came.");
    expect_none("the islamic army of the base");
    expect_none("Mohammed army units");   /* not the Army of Mohammed */
    /* a lone given name, even a listed one-word alias of a person */
    expect_none("Bilal and Adel and Mustafa arrived.");
    /* a listed nickname in other words: Colonel Rambo is listed, Rambo alone is not */
    expect_none("They watched Rambo.");
    expect("met Colonel Rambo on Monday", "CFi.004", "Colonel Rambo");
}

static void test_invalid_utf8(void)
{
    const char t[] = "Ayman al-Zawahiri \xff\xfe and Al-Qaida \xc3";
    interdict_error err;
    CHECK(interdict_screen_text(ix, t, sizeof t - 1, NULL, res, &err) == INTERDICT_OK);
    CHECK(hit_on(t, "QDi.006", "Ayman al-Zawahiri", 0) != NULL);
    CHECK(hit_on(t, "QDe.004", "Al-Qaida", 0) != NULL);
    const char *w = interdict_text_result_warning(res);
    CHECK(w && strstr(w, "3 bytes of invalid UTF-8") && strstr(w, "byte 18"));
    /* a clean text leaves no warning */
    scan("nothing here");
    CHECK(interdict_text_result_warning(res) == NULL);
}

static void test_edges(void)
{
    interdict_error err;
    CHECK(interdict_screen_text(ix, "", 0, NULL, res, &err) == INTERDICT_OK);
    CHECK(interdict_text_result_count(res) == 0);
    CHECK(interdict_screen_text(ix, NULL, 0, NULL, res, &err) == INTERDICT_OK);
    CHECK(interdict_screen_text(ix, NULL, 5, NULL, res, &err) == INTERDICT_ERR_INVALID);
    CHECK(interdict_screen_text(NULL, "x", 1, NULL, res, &err) == INTERDICT_ERR_INVALID);
    CHECK(interdict_text_feed(res, "x", 1, &err) == INTERDICT_ERR_INVALID);   /* not begun */
    /* an overlong word, a long run of separators: skipped, what follows found */
    size_t n = 4 * TEXT_WORD_MAX_BYTES + 3 * TEXT_SEP_BREAK_BYTES + 64;
    char *t = malloc(n + 64);
    size_t k = 0;
    for (size_t i = 0; i < 4 * TEXT_WORD_MAX_BYTES; i++)
        t[k++] = 'x';
    for (size_t i = 0; i < 3 * TEXT_SEP_BREAK_BYTES; i++)
        t[k++] = ' ';
    strcpy(t + k, "Joseph Kony.");
    expect(t, "CFi.009", "Joseph Kony");
    free(t);
    /* a threshold above the score of a variant spelling drops it */
    interdict_text_options opt = {0.99, 0};
    const char *v = "Aiman Zawahiri";
    CHECK(interdict_screen_text(ix, v, strlen(v), NULL, res, &err) == INTERDICT_OK);
    CHECK(interdict_text_result_count(res) == 1);
    CHECK(interdict_screen_text(ix, v, strlen(v), &opt, res, &err) == INTERDICT_OK);
    CHECK(interdict_text_result_count(res) == 0);
}

/* ---- Long documents: the same hits whole, in pieces, and streamed -------- */

static uint64_t rng = 12345;
static uint32_t next_rand(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33);
}

static const char *const SENTENCES[] = {
    "Al-Qaida leader Ayman al-Zawahiri said the group would continue.",
    "The Islamic State in Iraq and the Levant (ISIL) and AQI were named.",
    "\xd0\x9b\xd0\xb8\xd0\xb4\xd0\xb5\xd1\x80 \xd0\xb0\xd0\xbb\xd1\x8c-\xd0\x9a\xd0\xb0\xd0\xb8\xd0\xb4\xd1\x8b "
    "\xd0\x90\xd0\xb9\xd0\xbc\xd0\xb0\xd0\xbd \xd0\xb0\xd0\xb7-\xd0\x97\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x85\xd0\xb8\xd1\x80\xd0\xb8.",
    "\xd9\x82\xd8\xa7\xd9\x84 \xd8\xa7\xd9\x84\xd9\x82\xd8\xa7\xd8\xb9\xd8\xaf\xd8\xa9 "
    "\xd8\xa3\xd9\x8a\xd9\x85\xd9\x86 \xd8\xa7\xd9\x84\xd8\xb8\xd9\x88\xd8\xa7\xd9\x87\xd8\xb1\xd9\x8a.",
    "Le chef d'Al-Qa\xc3\xaf" "da a parl\xc3\xa9.",
    "The base was closed and the leader of the army left town.",
    "Joseph Kony and Hambali were\nnamed, as was Abu Bakr al-\nBaghdadi.",
    "Markets rose on Tuesday as oil prices fell in London and Paris.",
};
static const char *const WORDS[] = {"market", "the", "of", "and", "Ministry", "said", "city",
                                    "Paris", "report", "2021", "\xd0\xb8", "\xd0\xb2",
                                    "\xd9\x81\xd9\x8a", "bank", "River", "north"};

static char *make_document(size_t bytes, size_t *len)
{
    char *d = malloc(bytes + 4096);
    size_t n = 0;
    while (n < bytes) {
        size_t sentences = 1 + next_rand() % 6;
        for (size_t s = 0; s < sentences; s++) {
            const char *x;
            if (next_rand() % 3 == 0) {
                x = SENTENCES[next_rand() % (sizeof SENTENCES / sizeof SENTENCES[0])];
                memcpy(d + n, x, strlen(x));
                n += strlen(x);
            } else {
                size_t words = 3 + next_rand() % 12;
                for (size_t w = 0; w < words; w++) {
                    x = WORDS[next_rand() % (sizeof WORDS / sizeof WORDS[0])];
                    memcpy(d + n, x, strlen(x));
                    n += strlen(x);
                    d[n++] = ' ';
                }
                d[n++] = '.';
            }
            d[n++] = ' ';
        }
        d[n++] = '\n';
        d[n++] = '\n';
    }
    d[n] = '\0';
    *len = n;
    return d;
}

typedef struct flat_hit {
    const char *ref;
    uint64_t start, end;
    double score;
} flat_hit;

static flat_hit *flatten(size_t *n, uint64_t shift, flat_hit *into, size_t *cap)
{
    size_t count = interdict_text_result_count(res);
    if (*n + count > *cap) {
        *cap = (*n + count) * 2;
        into = realloc(into, *cap * sizeof *into);
    }
    for (size_t i = 0; i < count; i++) {
        const interdict_text_hit *h = interdict_text_result_hit(res, i);
        into[(*n)++] = (flat_hit){h->entry->ref, h->start + shift, h->end + shift, h->score};
    }
    return into;
}

static bool same_hits(const flat_hit *a, size_t na, const flat_hit *b, size_t nb)
{
    if (na != nb) {
        fprintf(stderr, "  %zu hits against %zu\n", na, nb);
        return false;
    }
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i].ref, b[i].ref) || a[i].start != b[i].start || a[i].end != b[i].end ||
            a[i].score != b[i].score) {
            fprintf(stderr, "  hit %zu differs: %s %llu-%llu against %s %llu-%llu\n", i, a[i].ref,
                    (unsigned long long)a[i].start, (unsigned long long)a[i].end, b[i].ref,
                    (unsigned long long)b[i].start, (unsigned long long)b[i].end);
            return false;
        }
    return true;
}

static void test_long_document(void)
{
    size_t len;
    char *doc = make_document((size_t)5 << 20, &len);
    interdict_error err;
    CHECK(interdict_screen_text(ix, doc, len, NULL, res, &err) == INTERDICT_OK);
    size_t n_whole = 0, cap_whole = 0;
    flat_hit *whole = flatten(&n_whole, 0, NULL, &cap_whole);
    CHECK(n_whole > 10000);

    /* pieces cut at paragraph breaks (about 64 KB each), scanned apart */
    size_t n_parts = 0, cap_parts = 0;
    flat_hit *parts = NULL;
    for (size_t from = 0; from < len;) {
        size_t to = from + 65536 < len ? from + 65536 : len;
        while (to < len && !(doc[to - 2] == '\n' && doc[to - 1] == '\n'))
            to++;
        CHECK(interdict_screen_text(ix, doc + from, to - from, NULL, res, &err) == INTERDICT_OK);
        parts = flatten(&n_parts, from, parts, &cap_parts);
        from = to;
    }
    CHECK(same_hits(whole, n_whole, parts, n_parts));

    /* streamed in chunks of odd sizes, cutting words and UTF-8 sequences */
    size_t n_stream = 0, cap_stream = 0;
    flat_hit *stream = NULL;
    CHECK(interdict_text_begin(ix, NULL, res, &err) == INTERDICT_OK);
    for (size_t off = 0; off < len;) {
        size_t k = 1 + next_rand() % (next_rand() % 4 == 0 ? 7 : 40000);
        if (k > len - off)
            k = len - off;
        CHECK(interdict_text_feed(res, doc + off, k, &err) == INTERDICT_OK);
        off += k;
    }
    CHECK(interdict_text_end(res, &err) == INTERDICT_OK);
    stream = flatten(&n_stream, 0, stream, &cap_stream);
    CHECK(same_hits(whole, n_whole, stream, n_stream));
    /* and the text of each hit is the bytes it spans */
    bool texts_ok = true;
    for (size_t i = 0; i < interdict_text_result_count(res) && texts_ok; i++) {
        const interdict_text_hit *h = interdict_text_result_hit(res, i);
        texts_ok = strlen(h->text) == h->end - h->start &&
                   !memcmp(h->text, doc + h->start, (size_t)(h->end - h->start));
    }
    CHECK(texts_ok);
    free(whole);
    free(parts);
    free(stream);
    free(doc);
}

/* A list of names with no punctuation at all: the passage is cut every
 * TEXT_SEG_MAX matched words, and no mention may be lost or doubled there. */
static void test_no_punctuation(void)
{
    const char *unit = "Ayman al-Zawahiri met Joseph Kony and Hambali ";
    size_t reps = 400, ul = strlen(unit);
    char *t = malloc(reps * ul + 1);
    for (size_t i = 0; i < reps; i++)
        memcpy(t + i * ul, unit, ul);
    t[reps * ul] = '\0';
    interdict_error err;
    CHECK(interdict_screen_text(ix, t, reps * ul, NULL, res, &err) == INTERDICT_OK);
    size_t zawahiri = 0, kony = 0, hambali = 0, other = 0;
    bool offsets_ok = true;
    for (size_t i = 0; i < interdict_text_result_count(res); i++) {
        const interdict_text_hit *h = interdict_text_result_hit(res, i);
        size_t rel = (size_t)(h->start % ul);
        if (!strcmp(h->entry->ref, "QDi.006"))
            zawahiri++, offsets_ok = offsets_ok && rel == 0 && h->end - h->start == 17;
        else if (!strcmp(h->entry->ref, "CFi.009"))
            kony++, offsets_ok = offsets_ok && rel == 22 && h->end - h->start == 11;
        else if (!strcmp(h->entry->ref, "QDi.087"))
            hambali++, offsets_ok = offsets_ok && rel == 38 && h->end - h->start == 7;
        else
            other++;
    }
    CHECK(zawahiri == reps && kony == reps && hambali == reps && other == 0);
    CHECK(offsets_ok);
    size_t n_whole = 0, cap_whole = 0, n_stream = 0, cap_stream = 0;
    flat_hit *whole = flatten(&n_whole, 0, NULL, &cap_whole), *stream = NULL;
    CHECK(interdict_text_begin(ix, NULL, res, &err) == INTERDICT_OK);
    for (size_t off = 0; off < reps * ul; off += 1000)
        CHECK(interdict_text_feed(res, t + off, reps * ul - off < 1000 ? reps * ul - off : 1000,
                                  &err) == INTERDICT_OK);
    CHECK(interdict_text_end(res, &err) == INTERDICT_OK);
    stream = flatten(&n_stream, 0, stream, &cap_stream);
    CHECK(same_hits(whole, n_whole, stream, n_stream));
    free(whole);
    free(stream);
    free(t);
}

/* Threads share the index, each with its own result. */
typedef struct job {
    const char *text;
    size_t len, hits;
    int status;
} job;

static void *scan_job(void *arg)
{
    job *j = arg;
    interdict_text_result *own = interdict_text_result_new();
    j->status = interdict_screen_text(ix, j->text, j->len, NULL, own, NULL);
    j->hits = interdict_text_result_count(own);
    interdict_text_result_free(own);
    interdict_thread_cleanup();
    return NULL;
}

static void test_threads(void)
{
    size_t len;
    char *doc = make_document((size_t)256 << 10, &len);
    interdict_error err;
    CHECK(interdict_screen_text(ix, doc, len, NULL, res, &err) == INTERDICT_OK);
    size_t expected = interdict_text_result_count(res);
    pthread_t tid[3];
    job jobs[3];
    for (int i = 0; i < 3; i++) {
        jobs[i] = (job){doc, len, 0, -1};
        CHECK(pthread_create(&tid[i], NULL, scan_job, &jobs[i]) == 0);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(tid[i], NULL);
        CHECK(jobs[i].status == INTERDICT_OK && jobs[i].hits == expected);
    }
    free(doc);
}

/* The per-character table must write words as normalize_name() does, or
 * text would not meet the listed names. Checked on every listed name. */
static void test_fold_table(const interdict_list *list)
{
    size_t words = 0, mismatches = 0;
    normalized_text *nt = malloc(sizeof *nt);
    for (size_t e = 0; e < interdict_list_count(list); e++) {
        const interdict_entry *en = interdict_list_entry(list, e);
        for (size_t k = 0; k < en->n_names; k++) {
            const char *p = en->names[k].text;
            while (*p) {
                while (*p == ' ')
                    p++;
                const char *s = p;
                while (*p && *p != ' ')
                    p++;
                size_t n = (size_t)(p - s);
                if (!n)
                    continue;
                char fold[512];
                size_t fl = 0;
                bool table = true, non_ascii = false;
                for (size_t i = 0; i < n && table;) {
                    unsigned char c = (unsigned char)s[i];
                    if (c < 0x80) {
                        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9')))
                            table = false;   /* punctuation: compare words only */
                        else
                            fold[fl++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                        i++;
                        continue;
                    }
                    non_ascii = true;
                    int32_t cp = -1;
                    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
                    if (i + len > n)
                        break;
                    cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
                    for (size_t j = 1; j < len; j++)
                        cp = (cp << 6) | (s[i + j] & 0x3F);
                    const char *out;
                    size_t ol;
                    if (!text_fold_char(cp, &out, &ol) || fl + ol >= sizeof fold)
                        table = false;
                    else {
                        memcpy(fold + fl, out, ol);
                        fl += ol;
                    }
                    i += len;
                }
                if (!table || !non_ascii)
                    continue;
                /* collapse spaces as the normaliser does */
                size_t m = 0;
                for (size_t i = 0; i < fl; i++)
                    if (!(fold[i] == ' ' && (m == 0 || fold[m - 1] == ' ')))
                        fold[m++] = fold[i];
                while (m && fold[m - 1] == ' ')
                    m--;
                fold[m] = '\0';
                words++;
                if (normalize_name(s, n, nt, "name", NULL) != INTERDICT_OK)
                    continue;
                if (strcmp(nt->text, fold) != 0) {
                    if (mismatches < 5)
                        fprintf(stderr, "  fold \"%.*s\": table \"%s\", ICU \"%s\"\n", (int)n, s,
                                fold, nt->text);
                    mismatches++;
                }
            }
        }
    }
    free(nt);
    CHECK(words > 500);
    CHECK(mismatches == 0);
}

int main(void)
{
    interdict_list *list;
    interdict_error err;
    CHECK(interdict_list_load(BUNDLED_LIST, &list, &err) == INTERDICT_OK);
    const interdict_list *lists[1] = {list};
    CHECK(interdict_index_build(lists, 1, &ix, &err) == INTERDICT_OK);
    res = interdict_text_result_new();
    test_english();
    test_punctuation_and_quotes();
    test_possessive_and_elision();
    test_line_breaks();
    test_arabic();
    test_russian();
    test_acronyms();
    test_everyday_words();
    test_invalid_utf8();
    test_edges();
    test_long_document();
    test_no_punctuation();
    test_threads();
    test_fold_table(list);
    interdict_text_result_free(res);
    interdict_index_free(ix);
    interdict_list_free(list);
    interdict_thread_cleanup();
    CHECK_DONE();
}
