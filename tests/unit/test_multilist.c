/* test_multilist.c - screening several lists at once: one hit per party with
 * every list that names it, and the list filter. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"

static const interdict_hit *first(const interdict_index *ix, interdict_result *r,
                                  const char *name, const char *lists)
{
    interdict_query q = {.name = name, .lists = lists};
    interdict_error err;
    CHECK(interdict_screen(ix, &q, r, &err) == INTERDICT_OK);
    return interdict_result_count(r) ? interdict_result_hit(r, 0) : NULL;
}

static bool has_source(const interdict_hit *h, const char *list, const char *ref)
{
    for (size_t i = 0; h && i < h->n_sources; i++)
        if (!strcmp(h->sources[i]->list, list) && !strcmp(h->sources[i]->ref, ref))
            return true;
    return false;
}

int main(void)
{
    interdict_list *lists[2] = {load_list(BUNDLED_LIST), load_list(TEST_DATA_DIR "/eu/eu_fsf.xml")};
    if (!lists[0] || !lists[1])
        CHECK_DONE();
    interdict_index *ix;
    CHECK(interdict_index_build((const interdict_list *const *)lists, 2, &ix, NULL) ==
          INTERDICT_OK);
    interdict_result *r = interdict_result_new();

    /* the UN entry and the EU record implementing it: one hit, two sources */
    const interdict_hit *h = first(ix, r, "Ayman al-Zawahiri", NULL);
    CHECK(h && !strcmp(h->entry->ref, "QDi.006"));
    CHECK(h && h->n_sources == 2);
    CHECK(has_source(h, "un", "QDi.006"));
    CHECK(has_source(h, "eu", "EU.2738.73"));
    for (size_t i = 1; i < interdict_result_count(r); i++)
        CHECK(strcmp(interdict_result_hit(r, i)->entry->ref, "EU.2738.73") != 0);

    /* the EU spelling of a UN-listed party finds the UN entry too */
    h = first(ix, r, "Aiman Muhammed Rabi al-Zawahiri", NULL);
    CHECK(h && has_source(h, "un", "QDi.006") && has_source(h, "eu", "EU.2738.73"));
    h = first(ix, r, "Айман аз-Завахири", NULL);
    CHECK(h && has_source(h, "un", "QDi.006") && h->n_sources == 2);

    /* the filter: one list only, by id; families; unknown names */
    h = first(ix, r, "Ayman al-Zawahiri", "eu");
    CHECK(h && !strcmp(h->entry->list, "eu") && h->n_sources == 1);
    h = first(ix, r, "Ayman al-Zawahiri", "un");
    CHECK(h && !strcmp(h->entry->list, "un") && h->n_sources == 1);
    h = first(ix, r, "Ayman al-Zawahiri", " un , eu ");
    CHECK(h && h->n_sources == 2);
    interdict_query q = {.name = "Ayman al-Zawahiri", .lists = "un,ofac"};
    interdict_error err;
    CHECK(interdict_screen(ix, &q, r, &err) == INTERDICT_ERR_INVALID);
    CHECK_STR(err.field, "lists");
    CHECK(strstr(err.message, "ofac") != NULL);
    q.lists = ",";
    CHECK(interdict_screen(ix, &q, r, &err) == INTERDICT_ERR_INVALID);

    /* an EU-only party is screened as before */
    h = first(ix, r, "Saddam Hussein al-Tikriti", "eu");
    CHECK(h && !strcmp(h->entry->list, "eu"));

    /* OFAC records carry no UN reference: same name, same year of birth */
    interdict_list *ofac = load_list(TEST_DATA_DIR "/ofac/sdn.csv");
    const interdict_list *three[3] = {lists[0], lists[1], ofac};
    interdict_index *ix3;
    CHECK(interdict_index_build(three, 3, &ix3, NULL) == INTERDICT_OK);
    h = first(ix3, r, "Raghad Saddam Hussein al-Tikriti", NULL);
    CHECK(h && has_source(h, "un", "IQi.057") && has_source(h, "ofac", "8192"));
    h = first(ix3, r, "Hikmat Mizban Ibrahim al-Azzawi", NULL);
    CHECK(h && has_source(h, "un", "IQi.028") && has_source(h, "ofac", "7870"));
    /* the same name and year but a different list entry of the same list
     * are never one party; nor are different people sharing a surname */
    h = first(ix3, r, "Watban Ibrahim Hassan al-Tikriti", NULL);
    CHECK(h && has_source(h, "un", "IQi.037") && has_source(h, "ofac", "7879"));
    CHECK(h && !has_source(h, "ofac", "8192") && !has_source(h, "un", "IQi.057"));
    size_t shared = 0;
    size_t parties = interdict_index_parties(ix3, &shared);
    CHECK(parties + shared >= interdict_index_entries(ix3) - 4);   /* groups of two */
    CHECK(shared >= 4);
    interdict_index_free(ix3);
    interdict_list_free(ofac);

    /* one party in two lists scoring alike: the list loaded first stands
     * for it, whichever that is */
    interdict_list *uday = load_list(TEST_DATA_DIR "/ofac/one/sdn.csv");
    const interdict_list *un_first[2] = {lists[0], uday}, *ofac_first[2] = {uday, lists[0]};
    interdict_index *ix_un, *ix_ofac;
    CHECK(interdict_index_build(un_first, 2, &ix_un, NULL) == INTERDICT_OK);
    CHECK(interdict_index_build(ofac_first, 2, &ix_ofac, NULL) == INTERDICT_OK);
    h = first(ix_un, r, "Uday Hussein al-Tikriti", NULL);
    CHECK(h && !strcmp(h->entry->ref, "IQi.003") && has_source(h, "ofac", "7845"));
    h = first(ix_ofac, r, "Uday Hussein al-Tikriti", NULL);
    CHECK(h && !strcmp(h->entry->ref, "7845") && has_source(h, "un", "IQi.003"));
    /* an honorific is never run into the name after it: "Cheikh Boye" is no
     * "cheikhboye", whose key the vessel SHIBA shares */
    CHECK(first(ix_un, r, "Cheikh Boye", NULL) == NULL);
    CHECK(first(ix_un, r, "Shiba", NULL) != NULL);
    interdict_index_free(ix_un);
    interdict_index_free(ix_ofac);
    interdict_list_free(uday);

    /* A similarity one name reveals on the way ("Karrazi" is like "Karimi")
     * counts for every name holding it, whichever was listed first: SHAHID
     * KARIMI GROUP, linked by "Shahid" alone before that, alerts in both
     * orders. Then again with "Shahid" in seventy more names, where the names
     * of so common a token are weighed before they become candidates and
     * the group is first left out. */
    static const char *const firms[2][3] = {
        {"g1 SHAHID KARIMI GROUP", "g2 SHAHID KARIMI INDUSTRIES", "g3 SHAHID KARRAZI INDUSTRIES"},
        {"g2 SHAHID KARIMI INDUSTRIES", "g1 SHAHID KARIMI GROUP", "g3 SHAHID KARRAZI INDUSTRIES"},
    };
    for (size_t run = 0; run < 4; run++) {
        size_t order = run % 2, fillers = run < 2 ? 0 : 70;
        char data[16384];
        size_t len = 0;
        for (size_t k = 0; k < 3; k++)
            len += (size_t)snprintf(data + len, sizeof data - len,
                                    "{\"id\": \"%.2s\", \"schema\": \"Company\", "
                                    "\"properties\": {\"name\": [\"%s\"]}}\n",
                                    firms[order][k], firms[order][k] + 3);
        for (size_t k = 0; k < fillers; k++)   /* SHAHID BARANOV, SHAHID BERANOV, ... */
            len += (size_t)snprintf(data + len, sizeof data - len,
                                    "{\"id\": \"f%zu\", \"schema\": \"Company\", "
                                    "\"properties\": {\"name\": [\"SHAHID %c%cRANOV\"]}}\n",
                                    k, "BDFGKLMNPRSTVZ"[k / 5], "AEIOU"[k % 5]);
        interdict_list *firm_list = load_list_data(data, len, "firms.ftm.json");
        interdict_index *ix_firms;
        CHECK(firm_list && interdict_index_build((const interdict_list *const *)&firm_list, 1,
                                                 &ix_firms, NULL) == INTERDICT_OK);
        interdict_query fq = {.name = "Industries Shahid Karrazi",
                              .threshold = fillers ? 0.6 : 0.62};
        CHECK(interdict_screen(ix_firms, &fq, r, &err) == INTERDICT_OK);
        bool group = false;
        for (size_t i = 0; i < interdict_result_count(r); i++)
            group = group || !strcmp(interdict_result_hit(r, i)->entry->ref, "g1");
        CHECK(interdict_result_count(r) == 3 && group);
        interdict_index_free(ix_firms);
        interdict_list_free(firm_list);
    }

    interdict_result_free(r);
    interdict_index_free(ix);
    interdict_list_free(lists[0]);
    interdict_list_free(lists[1]);
    CHECK_DONE();
}
