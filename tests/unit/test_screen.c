/* Screening against the bundled UN list: the parties banks must not miss,
 * whatever script or spelling they arrive in, and names that must not alert. */
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
    test_evidence();
    test_no_alert();
    test_explanation();
    test_bad_queries();
    interdict_result_free(res);
    interdict_index_free(ix);
    interdict_list_free(list);
    interdict_thread_cleanup();
    CHECK_DONE();
}
