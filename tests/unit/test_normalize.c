/* Normalisation, tokenisation and token similarity. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"
#include "match/similarity.h"
#include "text/normalize.h"
#include "text/tokens.h"

static const char *norm(const char *s)
{
    static char buf[1024];
    interdict_error err;
    if (interdict_normalize_name(s, strlen(s), buf, sizeof buf, &err) < 0)
        return "<error>";
    return buf;
}

static void tokens_of(const char *s, token_list *tl)
{
    normalized_text *nt = malloc(sizeof *nt);
    if (normalize_name(s, strlen(s), nt, "name", NULL) == INTERDICT_OK)
        tokenize_name(nt->text, nt->from_abjad, tl);
    else
        tl->n = 0;
    free(nt);
}

/* Two rotating buffers, so one CHECK can compare two keys. */
static const char *key_of(const char *s)
{
    static char buf[2][TOKEN_MAX];
    static int turn;
    turn ^= 1;
    phonetic_key(s, strlen(s), buf[turn], sizeof buf[turn]);
    return buf[turn];
}

static void test_scripts(void)
{
    CHECK_STR(norm("Ayman AL-ZAWAHIRI"), "ayman al zawahiri");
    CHECK_STR(norm("Айман аз-Завахири"), "ayman az zavahiri");
    CHECK_STR(norm("أيمن الظواهري"), "aymn alzwahry");
    CHECK_STR(norm("Söderberg Długosz Jáquez"), "soderberg dlugosz jaquez");
    CHECK_STR(norm("CH'O'L-CHAE"), "chol chae");
    CHECK_STR(norm("  Mukhtar   Belmukhtar "), "mukhtar belmukhtar");
    CHECK_STR(norm("ＡＢＣ"), "abc");           /* full-width forms */
    CHECK_STR(norm("金铁三"), "jin tie san");
    CHECK_STR(norm("Ελληνικά"), "ellenika");
}

/* Chinese names: one syllable per character, as ICU's Han-Latin reads them. */
static void test_han(void)
{
    CHECK_STR(norm("重庆"), "chong qing");     /* read by the next character */
    CHECK_STR(norm("重要"), "zhong yao");
    CHECK_STR(norm("藏文"), "zang wen");
    CHECK_STR(norm("藏 文"), "zang wen");
    CHECK_STR(norm("藏  文"), "cang wen");     /* Han-Latin allows one space only */
    CHECK_STR(norm("Jin Tiesan (金铁三)"), "jin tiesan jin tie san");
    CHECK_STR(norm("李〇"), "li ling");
    CHECK_STR(norm("〇〇七"), "lingling qi");  /* Han-Latin's spacing, kept as it is */
    CHECK_STR(norm("a金"), "a jin");
    CHECK_STR(norm("金a"), "jina");
    CHECK_STR(norm("1金"), "1jin");
}

/* Latin letters without a decomposition, and apostrophe-like letters. */
static void test_latin_letters(void)
{
    CHECK_STR(norm("ß æ œ ø ł đ ħ ı þ ð ŋ ĸ ſ ƒ"), "ss ae oe o l d h i th d n q s f");
    CHECK_STR(norm("Straße Ærø Œuvre"), "strasse aero oeuvre");
    CHECK_STR(norm("Łódź Đorđević Ħamrun Iğdır"), "lodz dordevic hamrun igdir");
    CHECK_STR(norm("Þór Guðmundur"), "thor gudmundur");
    CHECK_STR(norm("D’Orves O’Neil Oʻzbekiston"), "dorves oneil ozbekiston");
    CHECK_STR(norm("ʿAbd al-ʿAziz"), "abd al aziz");
    CHECK_STR(norm("Saʾid"), "sa id");
    CHECK_STR(norm("Ｍüller ǅemal Ĳssel ﬁnance"), "muller dzemal ijssel finance");
    CHECK_STR(norm("Mu\xcc\x88ller"), "muller");   /* combining diaeresis */
}

/* The table and ICU's transliterators agree on s. */
static int same_by_table_and_icu(const char *s, size_t len)
{
    static normalized_text a, b;
    interdict_error ea, eb;
    interdict_status sa = normalize_name(s, len, &a, "name", &ea);
    interdict_status sb = normalize_name_icu(s, len, &b, "name", &eb);
    if (sa != sb || (sa == INTERDICT_OK && (strcmp(a.text, b.text) != 0 ||
                                            a.from_abjad != b.from_abjad))) {
        fprintf(stderr, "\"%.*s\": table \"%s\" (%d), ICU \"%s\" (%d)\n", (int)len, s,
                a.text, sa, b.text, sb);
        return 0;
    }
    return 1;
}

static int by_table_alone(const char *s)
{
    static normalized_text a;
    return normalize_name_table(s, strlen(s), &a, "name", NULL) != INTERDICT_ERR_UNICODE;
}

static void test_table_matches_icu(void)
{
    static const char *const names[] = {
        "Ὀδυσσεύς", "Σίσυφος", "Հայաստան", "ქართველი", "שלום עליכם", "김정은", "ทักษิณ",
        "नरेन्द्र मोदी", "ｶﾀｶﾅ", "Муҳаммад", "Ғафуров", "Тоҷикистон", "Ѓорѓи", "١٩٨٠", "۱۳۵۹",
        "محمد ١٩٨٠", "Ibrahim Asiri (إبراهيم عسيري)", "Умаров Доку Хаматович",
        "صدام حسين التكريتي", "Jin Tiesan (金铁三)", "金\xca\xbc", "金\xca\xbc" "a", "a\xd9\x80" "b",
        "㈠㈡", "Ⅻ", "ﷺ", "ﷲ", "Ǆ", "İstanbul", "ΣΑΣ", "x\xcc\xb8", "\xef\xbf\xbd", "\xf0\x9f\x98\x80",
        "\xe0\xb8\x81\xcc\x81", "a\xe2\x80\x8b" "b", "a\xc2\xad" "b",
        "釁‛Ne", "金“a”",   /* an opening quote after an ideograph */
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ok &= same_by_table_and_icu(names[i], strlen(names[i]));
    CHECK(ok);

    /* Every pair and triple of characters from each class the table tells
     * apart: letters of each covered script, digits, marks, ideographs,
     * apostrophes, and some of scripts it leaves to ICU. */
    static const char *const parts[] = {
        "a", "1", " ", "-", "'", "’", ")", "\xcc\x81" /* combining acute */, "é", "ß", "ł",
        "б", "ъ", "ҳ", "ب", "ء", "\xd9\x8e" /* fatha */, "\xd8\x91" /* an Arabic mark */,
        "١", "۱", "ש", "ა",
        "金", "重", "庆", "〇", "々", "⺌", "ʼ", "ʿ", "Ω", "Ա", "가", "‛",
    };
    size_t np = sizeof parts / sizeof parts[0];
    ok = 1;
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < np; j++)
            for (size_t k = 0; k <= np; k++) {
                char buf[32];
                snprintf(buf, sizeof buf, "%s%s%s", parts[i], parts[j], k < np ? parts[k] : "");
                ok &= same_by_table_and_icu(buf, strlen(buf));
            }
    CHECK(ok);

    /* Every name of the bundled list, and none of them needs ICU, so
     * building the index never compiles a transliterator. */
    interdict_list *list = NULL;
    CHECK(interdict_list_load(BUNDLED_LIST, &list, NULL) == INTERDICT_OK);
    size_t names_checked = 0, need_icu = 0;
    ok = 1;
    for (size_t e = 0; list && e < interdict_list_count(list); e++) {
        const interdict_entry *en = interdict_list_entry(list, e);
        for (size_t k = 0; k < en->n_names; k++) {
            ok &= same_by_table_and_icu(en->names[k].text, strlen(en->names[k].text));
            need_icu += !by_table_alone(en->names[k].text);
            names_checked++;
        }
    }
    interdict_list_free(list);
    CHECK(ok);
    CHECK(names_checked > 1000);
    CHECK(need_icu == 0);

    CHECK(by_table_alone("Straße Đorđević"));
    CHECK(by_table_alone("金铁三 صدام Умаров שלום ქართველი"));
    CHECK(!by_table_alone("Ὀδυσσεύς"));       /* Greek: ICU */
    CHECK(!by_table_alone("Հայաստան"));       /* Armenian: ICU */
}

/* Setting up ICU ahead for the scripts in a text changes no result. */
static void test_prepare_scripts(void)
{
    static const char *const names[] = {"Ὀδυσσεύς", "Հայաստան", "ތިލަދުންމަތި", "김정은",
                                        "Straße", "金铁三"};
    char before[6][1024];
    for (size_t i = 0; i < 6; i++)
        snprintf(before[i], sizeof before[i], "%s", norm(names[i]));
    const char text[] = "id,name\n1,Ὀδυσσεύς\n2,Հայաստան\n3,ތިލަދުންމަތި\n4,김정은\n\xff\xfe\xce";
    interdict_prepare_scripts(text, sizeof text - 1);
    interdict_prepare_scripts(text, 7);   /* cut inside a character */
    interdict_prepare_scripts("", 0);
    for (size_t i = 0; i < 6; i++)
        CHECK_STR(norm(names[i]), before[i]);
}

static void test_bad_names(void)
{
    char buf[64];
    interdict_error err;
    CHECK(interdict_normalize_name("", 0, buf, sizeof buf, &err) == INTERDICT_ERR_INVALID);
    CHECK(interdict_normalize_name("---", 3, buf, sizeof buf, &err) == INTERDICT_ERR_INVALID);
    CHECK(!strcmp(err.field, "name"));
    CHECK(interdict_normalize_name("\xff\xfe abc", 6, buf, sizeof buf, &err) ==
          INTERDICT_ERR_ENCODING);
    CHECK(interdict_normalize_name("ab\xc3", 3, buf, sizeof buf, &err) == INTERDICT_ERR_ENCODING);
    size_t big = 10u << 20;   /* a 10 MB "name" */
    char *huge = malloc(big);
    memset(huge, 'a', big);
    CHECK(interdict_normalize_name(huge, big, buf, sizeof buf, &err) == INTERDICT_ERR_LIMIT);
    CHECK(strstr(err.message, "limit") != NULL);
    free(huge);
}

static void test_keys(void)
{
    CHECK_STR(key_of("mohammed"), key_of("muhammad"));
    CHECK_STR(key_of("mohamed"), key_of("muhammad"));
    CHECK_STR(key_of("usama"), key_of("osama"));
    CHECK_STR(key_of("abu"), key_of("abou"));
    CHECK_STR(key_of("zawahiri"), key_of("zavakhiri"));
    CHECK_STR(key_of("yousef"), key_of("yusuf"));
    CHECK(strcmp(key_of("hassan"), key_of("hussein")) == 0);   /* same key, typo-level */
    CHECK(strcmp(key_of("karim"), key_of("kamal")) != 0);
}

/* One Korean syllable in McCune-Reischauer, Revised Romanisation and
 * popular spellings has one key; a name reads as Korean only when all its
 * parts are syllables, one of them a family name, three or more. */
static void test_abd_prefix_typos(void)
{
    char rests[ABD_READINGS_MAX][TOKEN_MAX];
    const struct { const char *word, *rest; } read[] = {
        {"abfulqader", "qader"},   /* a letter changed */
        {"abedlmalek", "malek"},   /* two swapped */
        {"aabdullah", "lah"},      /* one added */
        {"abdlrahman", "rahman"},  /* one dropped */
        {"abduul", ""},            /* a bare prefix */
        {"audul", ""},
    };
    for (size_t k = 0; k < sizeof read / sizeof read[0]; k++) {
        size_t n = abd_prefix_typos(read[k].word, rests, ABD_READINGS_MAX);
        bool found = false;
        for (size_t j = 0; j < n; j++)
            found = found || !strcmp(rests[j], read[k].rest);
        CHECK(found);
    }
    /* names of their own, and prefixes wrong beyond their vowel */
    const char *const none[] = {"adel", "adil", "abbas", "mohammed", "ahmad", "aziz", "abu"};
    for (size_t k = 0; k < sizeof none / sizeof none[0]; k++)
        CHECK(abd_prefix_typos(none[k], rests, ABD_READINGS_MAX) == 0);
}

static void test_korean_keys(void)
{
    const char *const same[][2] = {
        {"choe", "choi"}, {"choe", "chwe"}, {"ri", "lee"}, {"ri", "yi"}, {"ri", "i"},
        {"rhee", "ri"}, {"pak", "park"}, {"pak", "bak"}, {"chol", "cheol"}, {"chol", "chul"},
        {"chun", "jun"}, {"sik", "shik"}, {"kim", "gim"}, {"yong", "young"}, {"ryong", "yong"},
        {"song", "sung"}, {"song", "seong"}, {"son", "seon"}, {"son", "sohn"}, {"o", "oh"},
        {"hyon", "hyun"}, {"hyon", "hyeon"}, {"kwang", "gwang"}, {"to", "do"},
        {"jong", "jeong"}, {"jong", "chung"}, {"sop", "seop"}, {"myong", "myung"}};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
        char a[KOREAN_KEY_MAX], b[KOREAN_KEY_MAX];
        size_t na = korean_key(same[k][0], strlen(same[k][0]), a, sizeof a);
        size_t nb = korean_key(same[k][1], strlen(same[k][1]), b, sizeof b);
        CHECK(na > 0 && na == nb);
        CHECK_STR(a, b);
    }
    const char *const apart[][2] = {{"kim", "kam"}, {"sin", "chin"}, {"han", "hong"},
                                    {"pak", "pong"}, {"ri", "ryu"}};
    for (size_t k = 0; k < sizeof apart / sizeof apart[0]; k++) {
        char a[KOREAN_KEY_MAX], b[KOREAN_KEY_MAX];
        korean_key(apart[k][0], strlen(apart[k][0]), a, sizeof a);
        korean_key(apart[k][1], strlen(apart[k][1]), b, sizeof b);
        CHECK(strcmp(a, b) != 0);
    }
    const char *const not_syllables[] = {"smith", "mohammed", "zawahiri", "xiao", "nguyen",
                                         "abdullah", "strong"};
    for (size_t k = 0; k < sizeof not_syllables / sizeof not_syllables[0]; k++) {
        char a[KOREAN_KEY_MAX];
        CHECK(korean_key(not_syllables[k], strlen(not_syllables[k]), a, sizeof a) == 0);
    }
    token_list tl;
    tokens_of("Choe Jun-sik", &tl);
    CHECK(tl.korean);
    tokens_of("Ri Je Son", &tl);
    CHECK(tl.korean);
    tokens_of("John Lee", &tl);                /* two parts: not enough to tell */
    CHECK(!tl.korean);
    tokens_of("Tom Chun Smith", &tl);          /* a part that is no syllable */
    CHECK(!tl.korean);
    tokens_of("Jun Sik Chol", &tl);            /* no family name */
    CHECK(!tl.korean);
}

/* The same Arabic letters romanised another way meet on the alternative
 * key, and only those. */
static void test_alt_keys(void)
{
    token_list a, b;
    const char *const same[][2] = {{"Othman", "Osman"}, {"Uthman", "Usman"},
                                   {"Jamal", "Gamal"}, {"Qasim", "Gasim"},
                                   {"Haitham", "Haisam"}, {"Najib", "Nagib"}};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
        tokens_of(same[k][0], &a);
        tokens_of(same[k][1], &b);
        CHECK(a.n == 1 && b.n == 1);
        size_t na, nb;
        const char *ka = alt_or_key(&a.tok[0], &na), *kb = alt_or_key(&b.tok[0], &nb);
        CHECK(na == nb && memcmp(ka, kb, na) == 0);
        interdict_match_kind kind;
        CHECK(token_similarity(&a.tok[0], &b.tok[0], &kind) >= 0.85f);
    }
    /* different names stay apart: Hamdi / Hamzi, Zhong / Gang, Kamal / Jamal */
    const char *const apart[][2] = {{"Hamdi", "Hamzi"}, {"Zhong", "Gang"}, {"Kamal", "Jamal"}};
    for (size_t k = 0; k < sizeof apart / sizeof apart[0]; k++) {
        tokens_of(apart[k][0], &a);
        tokens_of(apart[k][1], &b);
        size_t na, nb;
        const char *ka = alt_or_key(&a.tok[0], &na), *kb = alt_or_key(&b.tok[0], &nb);
        CHECK(na != nb || memcmp(ka, kb, na) != 0);
    }
    tokens_of("Osman", &a);   /* nothing to change: no alternative key */
    CHECK(a.tok[0].alt_len == 0 && a.tok[0].alt[0] == '\0');
}

static void test_tokens(void)
{
    token_list tl;
    /* every spelling of Abd al-Rahman: abd, (article), rahman */
    const char *abd[] = {"Abd al-Rahman", "Abdulrahman", "Abdurrahman", "Abdel Rahman",
                         "Abdul Rahman"};
    for (size_t k = 0; k < sizeof abd / sizeof abd[0]; k++) {
        tokens_of(abd[k], &tl);
        CHECK(tl.n >= 2);
        CHECK_STR(tl.tok[0].text, "abd");
        CHECK_STR(tl.tok[tl.n - 1].text, "rahman");
    }
    tokens_of("Abdullah", &tl);
    CHECK(tl.n == 2 && !strcmp(tl.tok[1].text, "lah"));
    tokens_of("Abd Allah", &tl);
    CHECK(tl.n == 2 && !strcmp(tl.tok[1].text, "lah"));
    /* a name run into the Abd-compound after it */
    tokens_of("Mustafaabdallah", &tl);
    CHECK(tl.n == 3 && !strcmp(tl.tok[0].text, "mustafa") && !strcmp(tl.tok[1].text, "abd") &&
          !strcmp(tl.tok[2].text, "lah"));
    tokens_of("Hafizabdul Salam", &tl);
    CHECK(tl.n == 3 && !strcmp(tl.tok[1].text, "abd") && !strcmp(tl.tok[2].text, "salam"));
    tokens_of("Kabdulov", &tl);   /* too short before it to be a name */
    CHECK(tl.n == 1);
    /* a connector run into the article after it, and into the name */
    tokens_of("Ibnel Qaim", &tl);
    CHECK(tl.n == 3 && tl.tok[0].role == ROLE_CONNECTOR && tl.tok[1].role == ROLE_ARTICLE &&
          !strcmp(tl.tok[2].text, "qaim"));
    tokens_of("Binalshibh", &tl);
    CHECK(tl.n == 3 && !strcmp(tl.tok[0].text, "bin") && !strcmp(tl.tok[2].text, "shibh"));
    const char *const whole[] = {"Benali", "Benelli", "Beneluks", "Binladin"};
    for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++) {
        tokens_of(whole[k], &tl);
        CHECK(tl.n == 1);
    }
    tokens_of("Hakim Al i Hashim", &tl);   /* "Ali" broken at the article */
    CHECK(tl.n == 3 && !strcmp(tl.tok[1].text, "ali"));

    tokens_of("Usama bin Laden", &tl);
    CHECK(tl.n == 3 && tl.tok[1].role == ROLE_CONNECTOR && !strcmp(tl.tok[1].text, "bin"));
    tokens_of("Usama ibn Laden", &tl);
    CHECK(tl.n == 3 && !strcmp(tl.tok[1].text, "bin"));

    tokens_of("Aiman az-Zawahiri", &tl);
    CHECK(tl.n == 3 && tl.tok[1].role == ROLE_ARTICLE);
    tokens_of("Mansur Alsaadi", &tl);
    CHECK(tl.n == 2 && !strcmp(tl.tok[1].noart, "saadi"));
    tokens_of("Alexander", &tl);
    CHECK(tl.n == 1 && tl.tok[0].noart[0] == '\0');   /* not an article */
    tokens_of("الظواهري", &tl);
    CHECK(tl.n == 1 && tl.from_abjad && !strcmp(tl.tok[0].text, "zwahry"));

    tokens_of("Haji Mullah Omar", &tl);
    CHECK(tl.n == 3 && tl.tok[0].role == ROLE_HONORIFIC && tl.tok[1].role == ROLE_HONORIFIC);
    tokens_of("Yas Air Trading Company LLC", &tl);
    CHECK(tl.n == 5 && tl.tok[2].role == ROLE_ORG_WORD && tl.tok[4].role == ROLE_LEGAL);
    tokens_of("OOO Rosneft", &tl);
    CHECK(tl.n == 2 && tl.tok[0].role == ROLE_LEGAL);
}

static float sim(const char *a, const char *b)
{
    token_list x, y;
    tokens_of(a, &x);
    tokens_of(b, &y);
    interdict_match_kind k;
    return token_similarity(&x.tok[0], &y.tok[0], &k);
}

/* The optimal string alignment distance by its definition. */
static unsigned osa_reference(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned d[100][100];
    for (size_t i = 0; i <= na; i++)
        for (size_t j = 0; j <= nb; j++) {
            if (!i || !j) {
                d[i][j] = (unsigned)(i + j);
                continue;
            }
            unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[na][nb];
}

/* Random strings over a few letters, so that swaps and repeats are common,
 * of every length up to past the 64 letters of a machine word. */
static void test_edit_distance(void)
{
    unsigned long long state = 12345;
    int wrong = 0;
    for (int k = 0; k < 20000; k++) {
        char a[90], b[90];
        size_t lens[2];
        for (int w = 0; w < 2; w++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            lens[w] = (size_t)(state >> 33) % (k < 19000 ? 12 : 76);   /* edits stay within 80 */
        }
        for (size_t i = 0; i < lens[0]; i++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            a[i] = (char)('a' + (state >> 33) % 3);
        }
        a[lens[0]] = '\0';
        memcpy(b, a, lens[0] + 1);
        for (size_t i = 0; i < lens[1] % 5; i++) {   /* a few edits of a */
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = lens[0] ? (size_t)(state >> 40) % (strlen(b) + 1) : 0, n = strlen(b);
            switch ((state >> 33) % 4) {
            case 0: memmove(b + at + 1, b + at, n - at + 1); b[at] = 'c'; break;
            case 1: if (at < n) memmove(b + at, b + at + 1, n - at); break;
            case 2: if (at < n) b[at] = 'b'; break;
            default: if (at + 1 < n) { char t = b[at]; b[at] = b[at + 1]; b[at + 1] = t; }
            }
        }
        if (k % 2) {   /* and unrelated strings */
            for (size_t i = 0; i < lens[1]; i++) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                b[i] = (char)('a' + (state >> 33) % 3);
            }
            b[lens[1]] = '\0';
        }
        unsigned want = osa_reference(a, b);
        for (unsigned cap = 0; cap < 6; cap++) {
            unsigned got = edit_distance(a, strlen(a), b, strlen(b), cap);
            if (got != (want <= cap ? want : cap + 1) && wrong++ < 5)
                fprintf(stderr, "edit_distance(%s, %s, %u) = %u, want %u\n", a, b, cap, got, want);
        }
    }
    CHECK(wrong == 0);
}

/* A token's letter bits only spare edit distances that could not pass:
 * with them cleared (nothing is turned away early) every pair scores the
 * same. Random names over a few letters with a few edits, and unrelated
 * ones, and abjad skeletons. */
static void test_letter_bits_change_nothing(void)
{
    static const char letters[] = "aeiouhkmdrsltbn";
    static const char *const abjad[] = {"محمد", "أحمد", "الظواهري", "حسن", "حسين", "عبد"};
    unsigned long long state = 777;
    int wrong = 0, alike = 0;
    for (int k = 0; k < 20000; k++) {
        char a[16], b[24];
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        size_t na = 1 + (size_t)(state >> 33) % 11;
        for (size_t i = 0; i < na; i++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            a[i] = letters[(state >> 33) % (sizeof letters - 1)];
        }
        a[na] = '\0';
        memcpy(b, a, na + 1);
        for (int e = 0; e < k % 4; e++) {   /* a few substitutions, insertions, deletions */
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            size_t n = strlen(b), at = (size_t)(state >> 40) % (n + 1);
            char c = letters[(state >> 33) % (sizeof letters - 1)];
            if (e % 3 == 0 && at < n)
                b[at] = c;
            else if (e % 3 == 1 && n + 1 < sizeof b) {
                memmove(b + at + 1, b + at, n - at + 1);
                b[at] = c;
            } else if (at < n && n > 1)
                memmove(b + at, b + at + 1, n - at);
        }
        if (k % 5 == 4)   /* an unrelated name */
            for (size_t i = 0; b[i]; i++) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                b[i] = letters[(state >> 33) % (sizeof letters - 1)];
            }
        token_list x, y;
        if (k % 50 == 0) {
            tokens_of(abjad[k / 50 % 6], &x);
            tokens_of(abjad[(k / 50 + 1 + k / 300) % 6], &y);
        } else {
            tokens_of(a, &x);
            tokens_of(b, &y);
        }
        if (x.n == 0 || y.n == 0)
            continue;
        name_token p = x.tok[0], q = y.tok[0];
        interdict_match_kind k1 = INTERDICT_MATCH_FUZZY, k2 = INTERDICT_MATCH_FUZZY;
        float with_bits = token_similarity(&p, &q, &k1);
        p.text_bits = p.key_bits = p.cons_bits = 0;
        q.text_bits = q.key_bits = q.cons_bits = 0;
        float without = token_similarity(&p, &q, &k2);
        alike += without > 0;
        if ((with_bits != without || k1 != k2) && wrong++ < 5)
            fprintf(stderr, "%s ~ %s: %.3f with letter bits, %.3f without\n", p.text, q.text,
                    with_bits, without);
    }
    CHECK(wrong == 0);
    CHECK(alike > 1000);   /* the edited names do come close */
}

/* A distance counted as far as a low floor allows gives, at any higher
 * floor, what string_similarity() gives there: the short-part pairing
 * keeps such distances for the pairs that come back. */
static void test_similarity_of_kept_edits(void)
{
    static const char letters[] = "abcdh";
    static const float floors[] = {0.5f, 0.6f, 0.65f, 0.7f, 0.8f, 0.9f, 1.0f};
    unsigned long long state = 99;
    int wrong = 0;
    for (int k = 0; k < 5000; k++) {
        char a[10], b[10];
        char *w[2] = {a, b};
        for (int t = 0; t < 2; t++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            size_t n = 1 + (size_t)(state >> 33) % 8;
            for (size_t i = 0; i < n; i++) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                w[t][i] = letters[(state >> 33) % (sizeof letters - 1)];
            }
            w[t][n] = '\0';
        }
        size_t na = strlen(a), nb = strlen(b), m = na > nb ? na : nb;
        unsigned most = similarity_max_edits(m, 0.5f);
        unsigned d = edit_distance(a, na, b, nb, most);
        for (size_t f = 0; f < sizeof floors / sizeof floors[0]; f++) {
            float want = string_similarity(a, na, b, nb, floors[f]);
            float got = similarity_of_edits(m, d, floors[f]);
            if (got != want && wrong++ < 5)
                fprintf(stderr, "%s ~ %s at %.2f: %.3f from kept edits, %.3f\n", a, b,
                        floors[f], got, want);
        }
    }
    CHECK(wrong == 0);
}

static void test_similarity(void)
{
    CHECK(sim("mohammed", "mohammed") == 1.0f);
    CHECK(sim("mohammed", "muhammad") >= 0.9f);
    CHECK(sim("hisahn", "hishan") >= 0.8f);         /* swapped letters */
    CHECK(sim("thhomas", "thomas") >= 0.85f);        /* doubled letter */
    CHECK(sim("smith", "jones") == 0.0f);
    CHECK(sim("ali", "ola") < 0.9f);                /* short: never a strong match */
    CHECK(sim("الظواهري", "zawahiri") >= 0.85f);     /* skeleton zwhr */
    CHECK(edit_distance("kitten", 6, "sitting", 7, 5) == 3);
    CHECK(edit_distance("abcdef", 6, "zzzzzz", 6, 2) == 3); /* capped */
}

int main(void)
{
    test_scripts();
    test_han();
    test_latin_letters();
    test_table_matches_icu();
    test_prepare_scripts();
    test_bad_names();
    test_keys();
    test_alt_keys();
    test_korean_keys();
    test_abd_prefix_typos();
    test_tokens();
    test_similarity();
    test_letter_bits_change_nothing();
    test_similarity_of_kept_edits();
    test_edit_distance();
    CHECK_DONE();
}
