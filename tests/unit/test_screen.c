/* Screening against the bundled UN list: the parties banks must not miss,
 * whatever script or spelling they arrive in, and names that must not alert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"

static interdict_index *ix;
static interdict_result *res;

/* Reference of the first hit, or "" when nothing alerts. */
static const char *top(const char *name, const char *dob, const char *nat,
                       interdict_party_type type)
{
    interdict_query q;
    memset(&q, 0, sizeof q);
    q.name = name;
    q.dob = dob;
    q.nationality = nat;
    q.type = type;
    interdict_error err;
    if (interdict_screen(ix, &q, res, &err) != INTERDICT_OK)
        return "<error>";
    if (interdict_result_count(res) == 0)
        return "";
    return interdict_result_hit(res, 0)->entry->ref;
}

static const char *top1(const char *name) { return top(name, NULL, NULL, 0); }

static void test_required_parties(void)
{
    CHECK_STR(top1("Ayman al-Zawahiri"), "QDi.006");
    CHECK_STR(top1("Айман аз-Завахири"), "QDi.006");
    CHECK_STR(top1("أيمن الظواهري"), "QDi.006");
    CHECK_STR(top1("Abu Bakr al-Baghdadi"), "QDi.299");
}

static void test_variants(void)
{
    CHECK_STR(top1("AL-ZAWAHIRI, Aiman"), "QDi.006");            /* SURNAME, Given */
    CHECK_STR(top1("Aiman Mohamed Rabi Al Zawahry"), "QDi.006");  /* romanisation */
    CHECK_STR(top1("Aiman Zawahiri"), "QDi.006");                 /* article dropped */
    CHECK_STR(top1("Aiman Muhammed Rabi al-Zawahri"), "QDi.006"); /* typo */
    CHECK_STR(top1("Dr. Ayman al-Zawahiri"), "QDi.006");          /* honorific */
    CHECK_STR(top1("Osman Ahmad Osman al-Ghamdi"), "QDi.292");    /* th as s */
    CHECK_STR(top1("Gasim al-Raymi"), "QDi.282");                 /* q as g */
    /* ABDELMALEK DROUKDEL, listed as Abd Malek: a letter wrong in the prefix */
    CHECK_STR(top1("Abedlmalek Droukdel"), "QDi.232");
    CHECK_STR(top1("Aabdelmalek Droukdel"), "QDi.232");
    CHECK_STR(top1("Abduel Malek Droukdel"), "QDi.232");
    /* the name in two scripts side by side */
    CHECK_STR(top1("Ayman Zawahiri Айман Завахири"), "QDi.006");
    CHECK_STR(top1("أيمن الظواهري Ayman Zawahiri"), "QDi.006");
    CHECK_STR(top1("Παύλος Κορνάρος III"), "");   /* a numeral is no second spelling */
    /* a name run into the Abd-compound after it */
    CHECK_STR(top1("Jibrilabdulkarim Ibrahim Mayu"), "SDi.004");
    CHECK_STR(top1("Hafizabdul Salam Bhuttavi"), "QDi.307");
}

/* DPRK-listed names (McCune-Reischauer on the UN list) as South Korean and
 * popular romanisations write them. */
static void test_korean_romanisations(void)
{
    CHECK_STR(top1("Choe Jun Sik"), "KPi.013");       /* CHOE CHUN-SIK: ch / j */
    CHECK_STR(top1("Choi Chun-sik"), "KPi.013");
    CHECK_STR(top1("Lee Je Seon"), "KPi.002");        /* RI JE-SON: r dropped, eo */
    CHECK_STR(top1("Lee Hong Seop"), "KPi.004");      /* RI HONG-SOP */
    CHECK_STR(top1("Chang Sung Chul"), "KPi.056");    /* JANG SONG CHOL */
    CHECK_STR(top1("Gim Young Cheol"), "KPi.024");    /* KIM YONG CHOL */
    CHECK_STR(top1("Park Do Chun"), "KPi.050");       /* PAK TO CHUN */
    CHECK_STR(top1("Kim Min Jun"), "");               /* a Korean name not listed */
    CHECK_STR(top1("John Lee"), "");
}

static void test_evidence(void)
{
    interdict_query q;
    memset(&q, 0, sizeof q);
    q.name = "Ayman al-Zawahiri";
    CHECK(interdict_screen(ix, &q, res, NULL) == INTERDICT_OK);
    double plain = interdict_result_hit(res, 0)->score;
    q.dob = "1951-06-19";
    q.nationality = "EG";
    CHECK(interdict_screen(ix, &q, res, NULL) == INTERDICT_OK);
    const interdict_hit *h = interdict_result_hit(res, 0);
    CHECK(h->score >= plain);
    CHECK(h->evidence.dob == 1 && h->evidence.nationality == 1);
    q.dob = "1990";
    q.nationality = "Norway";
    CHECK(interdict_screen(ix, &q, res, NULL) == INTERDICT_OK);
    CHECK(interdict_result_count(res) == 0 ||
          interdict_result_hit(res, 0)->score < plain);
    q.type = INTERDICT_PARTY_ENTITY;
    q.dob = NULL;
    q.nationality = NULL;
    CHECK(interdict_screen(ix, &q, res, NULL) == INTERDICT_OK);
    CHECK(interdict_result_count(res) == 0 || interdict_result_hit(res, 0)->score < plain);
}

static void test_no_alert(void)
{
    CHECK_STR(top1("Jane Smith"), "");
    CHECK_STR(top1("Henrik Söderberg"), "");
    CHECK_STR(top1("Lucía Jáquez Villalpando"), "");
    CHECK_STR(top1("Joubert Ltd"), "");
    CHECK_STR(top1("Ayman"), "");   /* a lone given name is not the party */
}

static void test_explanation(void)
{
    interdict_query q;
    memset(&q, 0, sizeof q);
    q.name = "Aiman Zawahri";
    CHECK(interdict_screen(ix, &q, res, NULL) == INTERDICT_OK);
    CHECK(interdict_result_count(res) > 0);
    const interdict_hit *h = interdict_result_hit(res, 0);
    CHECK(h->n_tokens == 2);
    char why[512];
    interdict_hit_explain(h, why, sizeof why);
    CHECK(strstr(why, "zawahri=") != NULL);
    CHECK(h->score >= INTERDICT_DEFAULT_THRESHOLD && h->score <= 1.0);
}

/* The explanation as printf would write it (the format it is defined by),
 * cut off where buf is full. */
static void explain_reference(const interdict_hit *h, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define PUT(...)                                                           \
    do {                                                                   \
        int w_ = snprintf(buf + n, size - n, __VA_ARGS__);                 \
        if (w_ < 0 || (size_t)w_ >= size - n) return;                      \
        n += (size_t)w_;                                                   \
    } while (0)
    for (size_t i = 0; i < h->n_tokens; i++) {
        const interdict_token_match *t = &h->tokens[i];
        PUT("%s%s=%s (%s %.2f)", i ? ", " : "", t->query_token, t->list_token,
            interdict_match_kind_name(t->kind), t->similarity);
    }
    if (h->unmatched_list_tokens)
        PUT("; %zu listed name part%s not in query", h->unmatched_list_tokens,
            h->unmatched_list_tokens == 1 ? "" : "s");
    if (h->unmatched_query_tokens)
        PUT("; %zu query part%s not in listed name", h->unmatched_query_tokens,
            h->unmatched_query_tokens == 1 ? "" : "s");
    static const char *const ev[] = {"conflicts", "not compared", "agrees"};
    if (h->evidence.dob)
        PUT("; date of birth %s", ev[h->evidence.dob + 1]);
    if (h->evidence.nationality)
        PUT("; nationality %s", ev[h->evidence.nationality + 1]);
    if (h->evidence.type < 0)
        PUT("; party type differs");
#undef PUT
}

/* Explanations of made-up hits: similarities on and between hundredths
 * (rounding halves), every count and evidence, every buffer size. */
static void test_explanation_text(void)
{
    interdict_token_match tokens[3] = {
        {"aiman", "ayman", INTERDICT_MATCH_VARIANT, 0.93f},
        {"al zawahiri", "zawahiri", INTERDICT_MATCH_JOINED, 0.125f},
        {"x", "xavier", INTERDICT_MATCH_INITIAL, 1.0f},
    };
    static const float sims[] = {0.0f, 0.005f, 0.015f, 0.125f, 0.335f, 0.72f, 0.845f,
                                 0.855f, 0.9949f, 0.995f, 1.0f, 0.7250001f};
    int wrong = 0;
    for (size_t k = 0; k < sizeof sims / sizeof sims[0]; k++) {
        tokens[1].similarity = sims[k];
        interdict_hit h;
        memset(&h, 0, sizeof h);
        h.tokens = tokens;
        h.n_tokens = k % 4;
        h.unmatched_list_tokens = k % 3;
        h.unmatched_query_tokens = k % 11;
        h.evidence.dob = (int8_t)((int)k % 3 - 1);
        h.evidence.nationality = (int8_t)((int)k % 2);
        h.evidence.type = (int8_t)(k % 2 ? -1 : 1);
        for (size_t size = 1; size < 200; size++) {
            char a[200], b[200];
            memset(a, 'A', sizeof a);
            memset(b, 'A', sizeof b);
            interdict_hit_explain(&h, a, size);
            explain_reference(&h, b, size);
            if (memcmp(a, b, sizeof a) != 0 && wrong++ < 3)
                fprintf(stderr, "explanation \"%s\", printf \"%s\"\n", a, b);
        }
    }
    CHECK(wrong == 0);
}

/* Screening a query again, or one sharing its name parts, gives the same
 * hits: each token's look-ups are remembered from query to query. */
static void test_repeated_queries(void)
{
    static const char *const names[] = {"Aiman Zawahri", "Ayman al-Zawahiri", "Mohammad Zawahri",
                                        "Aiman Zawahri", "Jane Smith", "Aiman Zawahri"};
    char first[512] = "", now[512];
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        interdict_query q;
        memset(&q, 0, sizeof q);
        q.name = names[k];
        CHECK(interdict_screen(ix, &q, res, NULL) == INTERDICT_OK);
        size_t n = 0;
        for (size_t i = 0; i < interdict_result_count(res) && n < sizeof now - 64; i++) {
            const interdict_hit *h = interdict_result_hit(res, i);
            n += (size_t)snprintf(now + n, sizeof now - n, "%s %.3f %s;", h->entry->ref,
                                  h->score, h->matched_name);
        }
        now[n] = '\0';
        if (!strcmp(names[k], "Aiman Zawahri")) {
            if (!first[0])
                memcpy(first, now, sizeof first);
            CHECK_STR(now, first);
        }
    }
    CHECK(first[0] != '\0');
}

static void test_bad_queries(void)
{
    interdict_query q;
    interdict_error err;
    memset(&q, 0, sizeof q);
    q.name = "";
    CHECK(interdict_screen(ix, &q, res, &err) == INTERDICT_ERR_INVALID);
    CHECK_STR(err.field, "name");
    q.name = "Ayman";
    q.dob = "19th of May";
    CHECK(interdict_screen(ix, &q, res, &err) == INTERDICT_ERR_INVALID);
    CHECK_STR(err.field, "dob");
    q.dob = NULL;
    q.nationality = "Atlantis";   /* screened all the same, with a warning */
    CHECK(interdict_screen(ix, &q, res, &err) == INTERDICT_OK);
    CHECK(interdict_result_warning(res) && strstr(interdict_result_warning(res), "nationality"));
    q.nationality = "Trinidad and Tobago";
    CHECK(interdict_screen(ix, &q, res, &err) == INTERDICT_OK);
    CHECK(interdict_result_warning(res) == NULL);
    q.nationality = NULL;
    q.name = "\xc3\x28";
    CHECK(interdict_screen(ix, &q, res, &err) == INTERDICT_ERR_ENCODING);
}

int main(void)
{
    interdict_list *list;
    interdict_error err;
    if (interdict_list_load(BUNDLED_LIST, &list, &err) != INTERDICT_OK) {
        fprintf(stderr, "cannot load %s: %s\n", BUNDLED_LIST, err.message);
        return 1;
    }
    const interdict_list *lists[1] = {list};
    CHECK(interdict_index_build(lists, 1, &ix, &err) == INTERDICT_OK);
    res = interdict_result_new();
    test_required_parties();
    test_variants();
    test_korean_romanisations();
    test_evidence();
    test_no_alert();
    test_explanation();
    test_explanation_text();
    test_repeated_queries();
    test_bad_queries();
    interdict_result_free(res);
    interdict_index_free(ix);
    interdict_list_free(list);
    interdict_thread_cleanup();
    CHECK_DONE();
}
