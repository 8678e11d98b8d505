/* test_ftm_json.c - the OpenSanctions FollowTheMoney JSON lines parser.
 *
 * tests/data/opensanctions/entities.ftm.json is a small hand-made export
 * mixing the flat layout (Sanction, Passport and Address records on lines
 * of their own) and the nested one (the same records embedded in the
 * party's properties). The bad-input cases are built in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"
#include "list/list.h"

#define FIXTURE TEST_DATA_DIR "/opensanctions/entities.ftm.json"

/* ---- Helpers --------------------------------------------------------------- */

static interdict_list *load_ok(const char *data)
{
    return load_list_data(data, strlen(data), "mem.json");
}

/* Loads data that must fail with `want` at `line`, field `field`. */
static void load_bad_n(const char *data, size_t len, interdict_status want, long line,
                       const char *field)
{
    interdict_error err = load_bad_data(data, len, "mem.json", want);
    CHECK(err.line == line);
    CHECK_STR(err.field, field);
    if (err.line != line || strcmp(err.field, field) != 0)
        fprintf(stderr, "  got line %ld, field '%s': %s\n", err.line, err.field, err.message);
}

static void load_bad(const char *data, interdict_status want, long line, const char *field)
{
    load_bad_n(data, strlen(data), want, line, field);
}

#define GOOD "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"John Smith\"]}}\n"

/* ---- The fixture ---------------------------------------------------------------- */

static void test_fixture_list(const interdict_list *list)
{
    CHECK_STR(interdict_list_id(list), "opensanctions");
    CHECK_STR(interdict_list_format(list), "ftm-json");
    CHECK_STR(interdict_list_generated(list), "2026-02-28");   /* from a Sanction line */
    CHECK(interdict_list_count(list) == 8);
    /* Sanction, Passport, Membership, Address, Ownership */
    CHECK(list->n_skipped == 5);
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        CHECK_STR(e->list, "opensanctions");
        CHECK(e->n_names >= 1 && e->names[0].kind == INTERDICT_NAME_PRIMARY);
        CHECK(e->regime && e->source_id && e->listed_on && e->gender && e->comments);
    }
}

static void test_zawahiri(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "NK-7bqzWu5TfXcHk3Lm9QpR2s");
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(e->type == INTERDICT_PARTY_PERSON);
    CHECK_STR(e->names[0].text, "Ayman al-Zawahiri");
    CHECK(name_kind(e, "AIMAN MUHAMMED RABI AL-ZAWAHIRI") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "Ahmed Fuad Salim") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "أيمن محمد ربيع الظواهري") == INTERDICT_NAME_ORIGINAL);
    CHECK(name_kind(e, "Айман аз-Завахири") == INTERDICT_NAME_ORIGINAL);
    CHECK(name_kind(e, "Abu Fatma") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "Abu Mohammed") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "Aiman Muhammed Al-Zawahiri") == -1);  /* parts are not names */
    CHECK(e->n_names == 9);
    CHECK(e->n_dobs == 1);
    if (e->n_dobs == 1) {
        CHECK(e->dobs[0].kind == INTERDICT_DATE_EXACT);
        CHECK(e->dobs[0].from_year == 1951 && e->dobs[0].from_month == 6 &&
              e->dobs[0].from_day == 19);
    }
    CHECK(e->n_places_of_birth == 1 && has_string(e->places_of_birth, e->n_places_of_birth,
                                                  "Giza, Egypt"));
    CHECK(e->n_nationalities == 1 && has_string(e->nationalities, e->n_nationalities, "eg"));
    CHECK_STR(e->gender, "male");
    CHECK(has_string(e->titles, e->n_titles, "Doctor"));
    CHECK(has_string(e->designations, e->n_designations, "Leader of Al-Qaida (QDe.004)"));
    /* passportNumber on the person; the Passport record on its own line */
    const interdict_document *d = find_document(e, NULL, "19820215");
    CHECK(d && strcmp(d->type, "Passport") == 0 && strcmp(d->country, "") == 0);
    d = find_document(e, NULL, "1084010");
    CHECK(d && strcmp(d->type, "Passport") == 0 && strcmp(d->country, "eg") == 0);
    CHECK(e->n_documents == 2);
    /* from the Sanction line */
    CHECK(has_string(e->programs, e->n_programs, "Al-Qaida"));
    CHECK(has_string(e->programs, e->n_programs, "UN-SC1267"));
    CHECK_STR(e->regime, "Al-Qaida");
    CHECK_STR(e->listed_on, "2001-01-25");
    CHECK(has_crossref(e, "un", "QDi.006"));
    CHECK(has_crossref(e, "ofac", "6365"));
    CHECK(!has_crossref(e, "un", "111923"));     /* a UN DATAID is not a reference */
    CHECK(e->n_crossrefs == 2);
    CHECK(strstr(e->comments, "Leader of Al-Qaida (QDe.004).") == e->comments);
    CHECK(strstr(e->comments, "; Topics: sanction, crime.terror") != NULL);
    CHECK(strstr(e->comments, "; Authority: United Nations Security Council") != NULL);
}

static void test_al_qaida(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "NK-3mXoVq8sRtYb6FgZ1kJd4w");
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(e->type == INTERDICT_PARTY_ENTITY);
    CHECK_STR(e->names[0].text, "Al-Qaida");
    CHECK(name_kind(e, "The Base") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "القاعدة") == INTERDICT_NAME_ORIGINAL);
    CHECK(name_kind(e, "AQ") == INTERDICT_NAME_ALIAS_LOW);
    /* embedded Sanction and Address objects */
    CHECK(has_string(e->programs, e->n_programs, "Al-Qaida"));
    CHECK(has_string(e->programs, e->n_programs, "SDGT"));
    CHECK(has_crossref(e, "un", "QDe.004"));
    CHECK(has_crossref(e, "ofac", "6366"));
    CHECK_STR(e->listed_on, "2001-09-23");       /* the earliest of the two */
    CHECK(has_address(e, "Afghanistan/Pakistan border area", "af"));
    CHECK(strstr(e->comments, "Authority: United Nations Security Council") != NULL);
    CHECK(strstr(e->comments, "Authority: Office of Foreign Assets Control") != NULL);
    CHECK(e->n_dobs == 0 && e->n_nationalities == 0);
}

static void test_rosoboronexport(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "NK-Rk2hVwT9yPq4sLm7XcBn3e");
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(e->type == INTERDICT_PARTY_ENTITY);
    CHECK(name_kind(e, "АО «Рособоронэкспорт»") == INTERDICT_NAME_ORIGINAL);
    CHECK(name_kind(e, "Rosoboroneksport OAO") == INTERDICT_NAME_ALIAS_GOOD);
    const interdict_document *d = find_document(e, NULL, "7718852163");
    CHECK(d && strcmp(d->type, "INN (Russian Taxpayer Number)") == 0);
    d = find_document(e, NULL, "1117746521452");
    CHECK(d && strcmp(d->type, "OGRN (Russian State Registration Number)") == 0);
    CHECK(has_string(e->nationalities, e->n_nationalities, "ru"));   /* jurisdiction */
    CHECK(has_address(e, "27 Stromynka Street, Moscow, 107076, Russia", ""));
    CHECK(has_address(e, "Stromynka ul. 27, Moscow, 107076", "ru"));  /* Address line */
    CHECK(e->n_addresses == 2);
    CHECK(e->n_programs == 2 && strcmp(e->regime, "UKRAINE-EO13662") == 0);
    CHECK(has_crossref(e, "ofac", "17220"));
    CHECK(!has_crossref(e, "uk", "13201"));
    CHECK(strstr(e->comments, "Topics: sanction, export.control") != NULL);
}

static void test_other_parties(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "NK-Sechin4Ue8wQz1Lm");
    CHECK(e && e->type == INTERDICT_PARTY_PERSON);
    CHECK(name_kind(e, "Игорь Иванович Сечин") == INTERDICT_NAME_ORIGINAL);
    CHECK(name_kind(e, "Ігор Іванович Сечин") == INTERDICT_NAME_ORIGINAL);
    CHECK(e && strcmp(e->listed_on, "2014-04-28") == 0);
    CHECK(e && e->n_programs == 2);
    CHECK(e && has_string(e->designations, e->n_designations, "Executive Chairman of Rosneft"));

    e = find_entry(list, "NK-AdrianDarya1Vq7");
    CHECK(e && e->type == INTERDICT_PARTY_VESSEL);
    CHECK(name_kind(e, "GRACE 1") == INTERDICT_NAME_ALIAS_GOOD);    /* previous name */
    const interdict_document *d = find_document(e, NULL, "9116412");
    CHECK(d && strcmp(d->type, "IMO Number") == 0);
    CHECK(e && has_string(e->nationalities, e->n_nationalities, "ir"));   /* flag */

    e = find_entry(list, "NK-EpMmhAirbus3x");
    CHECK(e && e->type == INTERDICT_PARTY_AIRCRAFT);
    d = find_document(e, NULL, "EP-MMH");
    CHECK(d && strcmp(d->type, "Aircraft Registration Number") == 0);
    d = find_document(e, NULL, "1056");
    CHECK(d && strcmp(d->type, "Aircraft Serial Number") == 0);
    CHECK(e && strcmp(e->comments, "Operated by Mahan Air.; Topics: sanction") == 0);

    e = find_entry(list, "unsc-2903810");
    CHECK(e && e->type == INTERDICT_PARTY_PERSON);
    d = find_document(e, NULL, "00344994");
    CHECK(d && strcmp(d->type, "Passport") == 0 && strcmp(d->country, "ye") == 0);
    d = find_document(e, NULL, "973406");
    CHECK(d && strcmp(d->type, "National Identification Number") == 0);
    CHECK(e && e->n_documents == 2);        /* passportNumber and the embedded Passport */
    CHECK(has_crossref(e, "un", "QDi.282"));
    CHECK(e && e->n_crossrefs == 1);
    CHECK(e && strcmp(e->listed_on, "2010-05-11") == 0);
    CHECK(name_kind(e, "Abu Hurayrah") == INTERDICT_NAME_ALIAS_LOW);

    e = find_entry(list, "unsc-111942");
    CHECK(e && e->n_dobs == 1);
    if (e && e->n_dobs == 1)
        CHECK(e->dobs[0].from_year == 1947 && e->dobs[0].from_month == 0 &&
              e->dobs[0].kind == INTERDICT_DATE_EXACT);
    CHECK(e && strcmp(e->regime, "Al-Qaida") == 0);
}

static void test_fixture_screens(const interdict_list *list)
{
    interdict_index *index = NULL;
    interdict_error err;
    const interdict_list *lists[] = {list};
    CHECK(interdict_index_build(lists, 1, &index, &err) == INTERDICT_OK);
    interdict_result *result = interdict_result_new();
    const char *queries[][2] = {
        {"Ayman al-Zawahiri", "NK-7bqzWu5TfXcHk3Lm9QpR2s"},
        {"أيمن الظواهري", "NK-7bqzWu5TfXcHk3Lm9QpR2s"},
        {"Рособоронэкспорт", "NK-Rk2hVwT9yPq4sLm7XcBn3e"},
        {"Adrian Darya", "NK-AdrianDarya1Vq7"},
    };
    for (size_t i = 0; index && result && i < sizeof queries / sizeof *queries; i++) {
        interdict_query q = {.name = queries[i][0]};
        CHECK(interdict_screen(index, &q, result, &err) == INTERDICT_OK);
        CHECK(interdict_result_count(result) >= 1);
        if (interdict_result_count(result) >= 1)
            CHECK_STR(interdict_result_hit(result, 0)->entry->ref, queries[i][1]);
    }
    interdict_result_free(result);
    interdict_index_free(index);
}

/* ---- Mappings from small records --------------------------------------------------- */

static void test_small_mappings(void)
{
    /* CRLF, BOM, blank lines; the caption is primary when it is a name */
    interdict_list *list = load_ok(
        "\xEF\xBB\xBF{\"id\": \"a\", \"schema\": \"Person\", \"caption\": \"Jean Dupont\", "
        "\"properties\": {\"name\": [\"Жан Дюпон\", \"Jean Dupont\"], "
        "\"birthDate\": [\"1951-06\", \"circa 1950\"], \"citizenship\": [\"fr\"], "
        "\"nationality\": [\"fr\"]}, \"last_seen\": \"2024-05-01T10:00:00\"}\r\n"
        "\r\n   \n"
        "{\"id\": \"unsc-QDi.006\", \"schema\": \"LegalEntity\", \"referents\": "
        "[\"ofac-12345\", \"ofac-12a\", \"unsc-QDi.6\"], \"properties\": {\"alias\": [\"Only Alias\"], "
        "\"modifiedAt\": [\"2024-06-30\"]}, \"last_change\": \"2024-06\"}\n"
        "{\"id\": \"c\", \"schema\": \"PublicBody\", \"properties\": {\"name\": \"Lone String Body\"}}\n"
        "{\"id\": \"d\", \"schema\": \"Person\", \"properties\": {\"firstName\": [\"John\"], "
        "\"lastName\": [\"Smith\"], \"weakAlias\": [\"Johnny\"]}}\n"
        "{\"id\": \"e\", \"schema\": \"Person\", \"properties\": {\"lastName\": [\"Smith\"]}}\n"
        "{\"id\": \"f\", \"schema\": \"Family\", \"properties\": {\"person\": [\"a\"]}}");
    if (!list)
        return;
    CHECK(interdict_list_count(list) == 5);
    CHECK(list->n_skipped == 1);
    CHECK_STR(interdict_list_generated(list), "2024-06-30");
    const interdict_entry *e = find_entry(list, "a");
    CHECK(e && strcmp(e->names[0].text, "Jean Dupont") == 0);
    CHECK(name_kind(e, "Жан Дюпон") == INTERDICT_NAME_ORIGINAL);
    CHECK(e && e->n_dobs == 2);
    if (e && e->n_dobs == 2) {
        CHECK(e->dobs[0].from_year == 1951 && e->dobs[0].from_month == 6 &&
              e->dobs[0].from_day == 0);
        CHECK(e->dobs[1].kind == INTERDICT_DATE_APPROX && e->dobs[1].from_year == 1950);
    }
    CHECK(e && e->n_nationalities == 1);

    e = find_entry(list, "unsc-QDi.006");
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY);
    CHECK(e && strcmp(e->names[0].text, "Only Alias") == 0);
    CHECK(has_crossref(e, "un", "QDi.006"));
    CHECK(has_crossref(e, "ofac", "12345"));
    CHECK(e && e->n_crossrefs == 2);

    e = find_entry(list, "c");
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY && strcmp(e->names[0].text, "Lone String Body") == 0);
    e = find_entry(list, "d");
    CHECK(e && e->n_names == 2 && strcmp(e->names[0].text, "John Smith") == 0);
    CHECK(name_kind(e, "Johnny") == INTERDICT_NAME_ALIAS_LOW);
    e = find_entry(list, "e");
    CHECK(e && e->n_names == 1 && strcmp(e->names[0].text, "Smith") == 0);
    interdict_list_free(list);
}

/* Records that point at a party may come before it; dangling ones are
 * ignored; addresses are found by id whichever line comes first. */
static void test_links_any_order(void)
{
    interdict_list *list = load_ok(
        "{\"id\": \"s1\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"p\"], "
        "\"program\": [\"P1\"], \"unscId\": [\"KPi.033\"], \"startDate\": [\"2017-06-02\"], "
        "\"authority\": [\"UN\"]}}\n"
        "{\"id\": \"s2\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"nobody\"], "
        "\"program\": [\"P9\"]}}\n"
        "{\"id\": \"addr1\", \"schema\": \"Address\", \"properties\": {\"street\": [\"1 Main St\"], "
        "\"city\": [\"Pyongyang\"], \"country\": [\"kp\"]}}\n"
        "{\"id\": \"p\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Kim Chol\"], "
        "\"program\": [\"P1\"], \"notes\": [\"Banker.\"], \"addressEntity\": [\"addr1\", \"addr2\"], "
        "\"passportNumber\": [\"PP-9\"]}}\n"
        "{\"id\": \"pp1\", \"schema\": \"Passport\", \"properties\": {\"holder\": [\"p\"], "
        "\"number\": [\"PP-9\"], \"country\": [\"kp\"]}}\n"
        "{\"id\": \"id1\", \"schema\": \"Identification\", \"properties\": {\"holder\": [\"p\"], "
        "\"number\": [\"X-1\"]}}\n"
        "{\"id\": \"s3\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"p\"], "
        "\"program\": [\"P2\"], \"listingDate\": [\"2016-03-02\"], \"authority\": [\"UN\"]}}\n"
        "{\"id\": \"addr2\", \"schema\": \"Address\", \"properties\": {\"full\": [\"Box 7\"]}}\n");
    if (!list)
        return;
    CHECK(interdict_list_count(list) == 1);
    CHECK(list->n_skipped == 7);
    const interdict_entry *e = find_entry(list, "p");
    CHECK(e != NULL);
    if (!e) {
        interdict_list_free(list);
        return;
    }
    CHECK(e->n_programs == 2);
    CHECK(has_string(e->programs, e->n_programs, "P1") && has_string(e->programs, e->n_programs, "P2"));
    CHECK(!has_string(e->programs, e->n_programs, "P9"));
    CHECK(has_crossref(e, "un", "KPi.033"));
    CHECK_STR(e->listed_on, "2016-03-02");
    CHECK_STR(e->comments, "Banker.; Authority: UN");
    CHECK(has_address(e, "1 Main St, Pyongyang", "kp"));
    CHECK(has_address(e, "Box 7", ""));
    const interdict_document *d = find_document(e, NULL, "X-1");
    CHECK(d && strcmp(d->type, "Identification") == 0);
    d = find_document(e, NULL, "PP-9");
    CHECK(d && strcmp(d->type, "Passport") == 0 && strcmp(d->country, "kp") == 0);
    CHECK(e->n_documents == 2);
    interdict_list_free(list);
}

/* ---- Bad input ------------------------------------------------------------------------ */

static void test_bad_lines(void)
{
    load_bad(GOOD "{\"id\": \"p2\", \"schema\": \"Person\"", INTERDICT_ERR_PARSE, 2, "");
    load_bad(GOOD "[1, 2]\n", INTERDICT_ERR_FORMAT, 2, "");
    load_bad(GOOD "\"text\"\n", INTERDICT_ERR_FORMAT, 2, "");
    load_bad(GOOD GOOD "not json\n", INTERDICT_ERR_PARSE, 3, "");
    load_bad(GOOD "{\"id\": \"x\", \"id\": \"y\", \"schema\": \"Person\"}\n", INTERDICT_ERR_PARSE, 2, "");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"a\\u0000b\"]}}\n",
             INTERDICT_ERR_PARSE, 2, "");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"\\ud800\"]}}\n",
             INTERDICT_ERR_PARSE, 2, "");
    /* id and schema */
    load_bad(GOOD "{\"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n",
             INTERDICT_ERR_FORMAT, 2, "id");
    load_bad(GOOD "{\"id\": 7, \"schema\": \"Person\"}\n", INTERDICT_ERR_FORMAT, 2, "id");
    load_bad(GOOD "{\"id\": \"  \", \"schema\": \"Sanction\"}\n", INTERDICT_ERR_FORMAT, 2, "id");
    load_bad(GOOD "{\"id\": \"x\", \"properties\": {\"name\": [\"A\"]}}\n",
             INTERDICT_ERR_FORMAT, 2, "schema");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": [\"Person\"]}\n", INTERDICT_ERR_FORMAT, 2, "schema");
    /* a screenable party without a name */
    load_bad(GOOD "\n{\"id\": \"x\", \"schema\": \"Company\", \"properties\": {\"name\": []}}\n",
             INTERDICT_ERR_FORMAT, 3, "properties.name");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Vessel\"}\n", INTERDICT_ERR_FORMAT, 2,
             "properties.name");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"  \"]}}\n",
             INTERDICT_ERR_FORMAT, 2, "properties.name");
    /* shapes */
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": [\"A\"]}\n",
             INTERDICT_ERR_FORMAT, 2, "properties");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": 5}}\n",
             INTERDICT_ERR_FORMAT, 2, "properties.name");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"], "
                  "\"alias\": [\"B\", null]}}\n",
             INTERDICT_ERR_FORMAT, 2, "properties.alias");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"], "
                  "\"sanctions\": [{\"properties\": {}}]}}\n",
             INTERDICT_ERR_FORMAT, 2, "properties.sanctions");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"], "
                  "\"sanctions\": [{\"schema\": \"Sanction\", \"properties\": {\"program\": [1]}}]}}\n",
             INTERDICT_ERR_FORMAT, 2, "properties.sanctions.program");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"referents\": \"ofac-1\", "
                  "\"properties\": {\"name\": [\"A\"]}, \"referents\": 3}\n",
             INTERDICT_ERR_PARSE, 2, "");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"referents\": [1], "
                  "\"properties\": {\"name\": [\"A\"]}}\n",
             INTERDICT_ERR_FORMAT, 2, "referents");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"caption\": 1, "
                  "\"properties\": {\"name\": [\"A\"]}}\n",
             INTERDICT_ERR_FORMAT, 2, "caption");
    /* the file as a whole */
    load_bad(GOOD "{\"id\": \"q\", \"schema\": \"Person\", \"properties\": {\"name\": [\"B\"]}}\n" GOOD,
             INTERDICT_ERR_FORMAT, 3, "id");
    load_bad("{\"id\": \"s\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"p\"]}}\n\n",
             INTERDICT_ERR_FORMAT, 0, "");
}

static void test_bad_encoding(void)
{
    load_bad(GOOD GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": "
                       "[\"Caf\xE9\"]}}\n",
             INTERDICT_ERR_ENCODING, 3, "");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"\xC0\xAF\"]}}\n",
             INTERDICT_ERR_ENCODING, 2, "");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"\xED\xA0\x80\"]}}\n",
             INTERDICT_ERR_ENCODING, 2, "");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"\xF4\x90\x80\x80\"]}}\n",
             INTERDICT_ERR_ENCODING, 2, "");
    load_bad(GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"ab\xE2\x82\"]}}\n",
             INTERDICT_ERR_ENCODING, 2, "");
    /* an embedded NUL byte is not JSON */
    static const char nul[] = GOOD "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"a\0b\"]}}\n";
    load_bad_n(nul, sizeof nul - 1, INTERDICT_ERR_PARSE, 2, "");
}

static void test_limits(void)
{
    /* a line of 16 MiB + 1 byte */
    size_t good = strlen(GOOD), n = good + ((size_t)16 << 20) + 2;
    char *big = malloc(n);
    CHECK(big != NULL);
    if (big) {
        memcpy(big, GOOD, good);
        memset(big + good, ' ', n - good);
        big[good] = '{';
        big[n - 1] = '\n';
        load_bad_n(big, n, INTERDICT_ERR_LIMIT, 2, "");
        /* 16 MiB exactly is read (and is then bad JSON: a lone '{') */
        load_bad_n(big, n - 2, INTERDICT_ERR_PARSE, 2, "");
        free(big);
    }
    /* more than 4096 values in one property */
    size_t cap = 4098 * 6 + 256;
    char *many = malloc(cap);
    CHECK(many != NULL);
    if (many) {
        size_t len = (size_t)snprintf(many, cap, "{\"id\": \"x\", \"schema\": \"Person\", "
                                                 "\"properties\": {\"name\": [\"A\"");
        for (int i = 0; i < 4096; i++)
            len += (size_t)snprintf(many + len, cap - len, ",\"A\"");
        len += (size_t)snprintf(many + len, cap - len, "]}}\n");
        load_bad_n(many, len, INTERDICT_ERR_LIMIT, 1, "properties.name");
        free(many);
    }
}

int main(void)
{
    interdict_list *list = NULL;
    interdict_error err;
    interdict_status rc = interdict_list_load(FIXTURE, &list, &err);
    CHECK(rc == INTERDICT_OK);
    if (rc != INTERDICT_OK)
        fprintf(stderr, "%s:%ld: %s: %s\n", err.file, err.line, err.field, err.message);
    if (list) {
        test_fixture_list(list);
        test_zawahiri(list);
        test_al_qaida(list);
        test_rosoboronexport(list);
        test_other_parties(list);
        test_fixture_screens(list);
        interdict_list_free(list);
    }
    test_small_mappings();
    test_links_any_order();
    test_bad_lines();
    test_bad_encoding();
    test_limits();
    interdict_thread_cleanup();
    CHECK_DONE();
}
