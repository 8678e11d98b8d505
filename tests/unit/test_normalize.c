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
    test_bad_names();
    test_keys();
    test_tokens();
    test_similarity();
    CHECK_DONE();
}
