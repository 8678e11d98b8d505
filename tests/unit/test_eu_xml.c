/* test_eu_xml.c - the EU Financial Sanctions Files (FSF) XML parser.
 *
 * tests/data/eu/eu_fsf.xml is a hand-made list in the EU layout: four
 * entries implement UN listings (checked against the bundled UN list),
 * the others cover the rest of the format. Small documents built here
 * cover each rule and every way a file can be wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"

#define EU_FIXTURE TEST_DATA_DIR "/eu/eu_fsf.xml"
#define EU_NS "http://eu.europa.ec/fpi/fsd/export"

/* ---- Helpers --------------------------------------------------------------- */

static int date_is(const interdict_date *d, interdict_date_kind kind, int y, int m, int day)
{
    return d->kind == kind && d->from_year == y && d->from_month == m && d->from_day == day;
}

/* An <export> around `body`, which starts on line 2. */
static char *wrap(const char *body, size_t *len)
{
    static const char head[] =
        "<export xmlns=\"" EU_NS "\" generationDate=\"2024-01-15T17:34:05.123+01:00\">\n";
    static const char tail[] = "\n</export>\n";
    size_t n = strlen(head) + strlen(body) + strlen(tail);
    char *s = malloc(n + 1);
    if (s)
        snprintf(s, n + 1, "%s%s%s", head, body, tail);
    *len = n;
    return s;
}

/* Loads a document that must load. */
static interdict_list *load_ok(const char *body)
{
    size_t len;
    char *xml = wrap(body, &len);
    interdict_list *list = load_list_data(xml, len, "mem.xml");
    free(xml);
    return list;
}

/* Loads raw bytes that must fail with `want`; returns the error. */
static interdict_error load_bad_raw(const char *data, size_t len, interdict_status want)
{
    return load_bad_data(data, len, "mem.xml", want);
}

static interdict_error load_bad(const char *body, interdict_status want)
{
    size_t len;
    char *xml = wrap(body, &len);
    interdict_error err = load_bad_raw(xml, len, want);
    free(xml);
    return err;
}

/* One sanctionEntity with a reference, a subject type and `inner`. */
#define PERSON(ref, inner)                                                              \
    "<sanctionEntity euReferenceNumber=\"" ref "\" logicalId=\"1\">"                    \
    "<subjectType code=\"person\" classificationCode=\"P\"/>" inner "</sanctionEntity>"
#define ENTERPRISE(ref, inner)                                                          \
    "<sanctionEntity euReferenceNumber=\"" ref "\" logicalId=\"2\">"                    \
    "<subjectType code=\"enterprise\" classificationCode=\"E\"/>" inner "</sanctionEntity>"
#define NAME(text) "<nameAlias wholeName=\"" text "\" strong=\"true\"/>"

/* ---- The fixture ------------------------------------------------------------- */

static void check_invariants(const interdict_entry *e)
{
    CHECK(e->ref[0] != '\0');
    CHECK_STR(e->list, "eu");
    CHECK(e->regime && e->source_id[0] && e->listed_on && e->gender && e->comments);
    CHECK(strlen(e->listed_on) == 10);
    CHECK(e->n_names >= 1 && e->names[0].kind == INTERDICT_NAME_PRIMARY);
    for (size_t k = 1; k < e->n_names; k++)
        CHECK(e->names[k].kind != INTERDICT_NAME_PRIMARY);
    CHECK(e->n_programs >= 1);
    CHECK_STR(e->regime, e->programs[0]);
    for (size_t k = 0; k < e->n_documents; k++)
        CHECK(e->documents[k].type[0] && e->documents[k].number[0] &&
              e->documents[k].country && e->documents[k].note);
    for (size_t k = 0; k < e->n_dobs; k++)
        CHECK(e->dobs[k].kind != INTERDICT_DATE_TEXT || e->dobs[k].note);
}

static void test_saddam(const interdict_entry *e)
{
    CHECK(e->type == INTERDICT_PARTY_PERSON);
    CHECK_STR(e->source_id, "13");
    CHECK_STR(e->regime, "IRQ");
    CHECK_STR(e->listed_on, "2003-07-08");
    CHECK_STR(e->gender, "Male");
    CHECK_STR(e->comments, "UNSC RESOLUTION 1483");
    CHECK(e->n_crossrefs == 0);                 /* unitedNationId="" */
    CHECK(e->n_names == 2);
    CHECK_STR(e->names[0].text, "Saddam Hussein Al-Tikriti");
    CHECK(name_kind(e, "Abu Ali") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(e->n_dobs == 1 && date_is(&e->dobs[0], INTERDICT_DATE_EXACT, 1937, 4, 28));
    CHECK(e->n_dobs == 1 && e->dobs[0].to_year == 1937 && e->dobs[0].note == NULL);
    CHECK(e->n_places_of_birth == 1);
    CHECK_STR(e->places_of_birth[0], "al-Awja, near Tikrit, IRAQ");
    CHECK(e->n_nationalities == 1);
    CHECK_STR(e->nationalities[0], "IRAQ");
    CHECK(e->n_documents == 0 && e->n_addresses == 0 && e->n_titles == 0);
}

static void test_zawahiri(const interdict_entry *e)
{
    CHECK(e->type == INTERDICT_PARTY_PERSON);
    CHECK(e->n_crossrefs == 1);
    if (e->n_crossrefs == 1) {
        CHECK_STR(e->crossrefs[0].list, "un");
        CHECK_STR(e->crossrefs[0].ref, "QDi.006");
    }
    CHECK_STR(e->source_id, "1197");
    CHECK_STR(e->listed_on, "2002-05-29");      /* the earliest of two regulations */
    CHECK(e->n_programs == 1);                  /* TAQA twice, kept once */
    CHECK_STR(e->regime, "TAQA");
    CHECK_STR(e->comments, "Former operational and military leader of Egyptian Islamic "
                           "Jihad, now closely associated with Al-Qaida.");
    CHECK(e->n_names == 6);
    CHECK_STR(e->names[0].text, "Aiman Muhammed Rabi al-Zawahiri");
    CHECK(name_kind(e, "Ayman Al-Zawahari") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "Ahmed Fuad Salim") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "Abu Fatma") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "Abu Mohammed") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "أيمن محمد ربيع الظواهري") == INTERDICT_NAME_ORIGINAL);
    CHECK(e->n_titles == 1);
    CHECK_STR(e->titles[0], "Dr.");
    CHECK(e->n_designations == 0);
    CHECK(e->n_dobs == 1 && date_is(&e->dobs[0], INTERDICT_DATE_EXACT, 1951, 6, 19));
    CHECK(e->n_places_of_birth == 1);
    CHECK_STR(e->places_of_birth[0], "Giza, EGYPT");
    CHECK(e->n_nationalities == 1);
    CHECK_STR(e->nationalities[0], "EGYPT");
    CHECK(e->n_documents == 2);
    const interdict_document *d = find_document(e, NULL, "1084010");
    CHECK(d != NULL);
    if (d) {
        CHECK_STR(d->type, "Passport");
        CHECK_STR(d->country, "EGYPT");
        CHECK_STR(d->note, "National passport");
    }
    d = find_document(e, NULL, "19820215");
    CHECK(d != NULL);
    if (d)
        CHECK_STR(d->country, "");              /* "00" / "UNKNOWN" */
}

static void test_baghdadi(const interdict_entry *e)
{
    CHECK(e->n_crossrefs == 1 && strcmp(e->crossrefs[0].ref, "QDi.299") == 0);
    CHECK_STR(e->names[0].text, "Ibrahim Awwad Ibrahim Ali al-Badri al-Samarrai");
    CHECK(name_kind(e, "Abu Bakr al-Baghdadi") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "Abu Du'a") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "Dr. Ibrahim") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "إبراهيم عواد إبراهيم علي البدري السامرائي") ==
          INTERDICT_NAME_ORIGINAL);
    CHECK(e->n_designations == 1);
    CHECK_STR(e->designations[0], "Leader of Islamic State in Iraq and the Levant");
    /* year only: birthdate="" dayOfMonth="" monthOfYear="" year="1971" */
    CHECK(e->n_dobs == 1 && date_is(&e->dobs[0], INTERDICT_DATE_EXACT, 1971, 0, 0));
    CHECK(e->n_places_of_birth == 1);
    CHECK_STR(e->places_of_birth[0], "Samarra, IRAQ");
    CHECK(e->n_documents == 1);
    if (e->n_documents == 1) {
        CHECK_STR(e->documents[0].type, "National Identification Number");
        CHECK_STR(e->documents[0].number, "0134852");
        CHECK_STR(e->documents[0].note, "National identification card; Ration card number");
    }
    CHECK(e->n_addresses == 1);                 /* a country only */
    if (e->n_addresses == 1) {
        CHECK_STR(e->addresses[0].text, "");
        CHECK_STR(e->addresses[0].country, "SYRIAN ARAB REPUBLIC");
    }
    CHECK_STR(e->listed_on, "2011-10-14");
}

static void test_al_qaida(const interdict_entry *qaida, const interdict_entry *isil)
{
    CHECK(qaida->type == INTERDICT_PARTY_ENTITY);
    CHECK(qaida->n_crossrefs == 1 && strcmp(qaida->crossrefs[0].ref, "QDe.004") == 0);
    CHECK_STR(qaida->names[0].text, "Al-Qaida");
    CHECK(qaida->n_names == 10);
    CHECK(name_kind(qaida, "The Base") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(qaida, "القاعدة") == INTERDICT_NAME_ORIGINAL);
    CHECK_STR(qaida->gender, "");
    CHECK_STR(qaida->comments, "");
    CHECK(qaida->n_dobs == 0 && qaida->n_nationalities == 0);

    CHECK(isil->type == INTERDICT_PARTY_ENTITY);
    CHECK(isil->n_crossrefs == 1 && strcmp(isil->crossrefs[0].ref, "QDe.115") == 0);
    CHECK_STR(isil->names[0].text, "Al-Qaida in Iraq");
    CHECK(name_kind(isil, "Islamic State in Iraq and the Levant") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(isil, "ISIL") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(isil, "AQI") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(isil, "القاعده في العراق") == INTERDICT_NAME_ORIGINAL);
    CHECK_STR(isil->listed_on, "2004-10-22");
    CHECK(isil->n_addresses == 2);
    if (isil->n_addresses == 2)
        CHECK_STR(isil->addresses[1].country, "SYRIAN ARAB REPUBLIC");
}

static void test_two_scripts(const interdict_entry *e)
{
    CHECK(e->n_crossrefs == 0);
    CHECK_STR(e->regime, "SYR");
    CHECK_STR(e->names[0].text, "Mudar Khaled al-Hasan");
    /* no wholeName: first, middle and last names joined */
    CHECK(name_kind(e, "Moudar Hassan") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "مضر خالد الحسن") == INTERDICT_NAME_ORIGINAL);
    CHECK(name_kind(e, "Мудар Халед аль-Хасан") == INTERDICT_NAME_ORIGINAL);
    CHECK(e->n_nationalities == 2);
    CHECK(has_string(e->nationalities, e->n_nationalities, "RUSSIAN FEDERATION"));
    CHECK(e->n_designations == 1);
    CHECK_STR(e->designations[0], "Chairman of Levant Petroleum Services");
    /* remarks, then the designation details */
    CHECK_STR(e->comments, "Businessman with interests in the energy sector; provides "
                           "financial support to the regime. Date of listing: 21.7.2023");
    CHECK(e->n_dobs == 1 && date_is(&e->dobs[0], INTERDICT_DATE_EXACT, 1974, 3, 2));
}

static void test_company(const interdict_entry *e)
{
    CHECK(e->type == INTERDICT_PARTY_ENTITY);
    CHECK_STR(e->names[0].text, "Northern Star Trading Limited Liability Company");
    CHECK(name_kind(e, "ООО «Северная Звезда Трейдинг»") == INTERDICT_NAME_ORIGINAL);
    CHECK(e->n_addresses == 2);
    if (e->n_addresses == 2) {
        CHECK_STR(e->addresses[0].text, "Presnenskaya naberezhnaya 12, office 801, 123317 Moscow");
        CHECK_STR(e->addresses[0].country, "RUSSIAN FEDERATION");
        CHECK_STR(e->addresses[1].text, "P.O. Box 51234, Limassol");
        CHECK_STR(e->addresses[1].country, "CYPRUS");
    }
    const interdict_document *d = find_document(e, NULL, "1027700123456");
    CHECK(d != NULL);
    if (d) {
        CHECK_STR(d->type, "Registration Number");
        CHECK_STR(d->note, "OGRN");
    }
    d = find_document(e, NULL, "7703123456");
    CHECK(d != NULL);
    if (d) {
        CHECK_STR(d->type, "Tax Identification Number");
        CHECK_STR(d->note, "");
    }
    CHECK(e->n_dobs == 0 && e->n_places_of_birth == 0);
    CHECK_STR(e->listed_on, "2023-02-25");
}

static void test_circa_range(const interdict_entry *e)
{
    CHECK_STR(e->regime, "AFG");
    CHECK(e->n_titles == 1 && strcmp(e->titles[0], "Mullah") == 0);
    CHECK(e->n_designations == 1);
    CHECK(e->n_dobs == 2);
    if (e->n_dobs == 2) {
        /* yearRangeFrom="1953" yearRangeTo="1958" circa="true" */
        CHECK(e->dobs[0].kind == INTERDICT_DATE_RANGE);
        CHECK(e->dobs[0].from_year == 1953 && e->dobs[0].to_year == 1958);
        CHECK(e->dobs[0].from_month == 0 && e->dobs[0].from_day == 0);
        /* year="1961" circa="true" */
        CHECK(date_is(&e->dobs[1], INTERDICT_DATE_APPROX, 1961, 0, 0));
        CHECK(e->dobs[1].to_year == 1961);
    }
    /* the second birthdate names no place and an unknown country */
    CHECK(e->n_places_of_birth == 1);
    CHECK_STR(e->places_of_birth[0], "Tirin Kot District, Uruzgan Province, AFGHANISTAN");
}

static void test_vessel(const interdict_entry *e)
{
    CHECK(e->type == INTERDICT_PARTY_VESSEL);   /* an enterprise with a ship's IMO number */
    CHECK_STR(e->names[0].text, "Ocean Mariner");
    CHECK(name_kind(e, "Sea Mariner") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(e->n_documents == 1);
    if (e->n_documents == 1) {
        CHECK_STR(e->documents[0].type, "IMO Number");
        CHECK_STR(e->documents[0].number, "9187629");
        CHECK_STR(e->documents[0].country, "");
        CHECK_STR(e->documents[0].note, "Oil tanker; flag: Sierra Leone");
    }
    CHECK_STR(e->regime, "PRK");
}

static void test_documents(const interdict_entry *e)
{
    CHECK_STR(e->names[0].text, "Aliaksandr Mikalaevich Valadzko");
    CHECK(name_kind(e, "Alexander Nikolaevich Volodko") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "Аляксандр Мікалаевіч Валадзько") == INTERDICT_NAME_ORIGINAL);
    CHECK(name_kind(e, "Александр Николаевич Володько") == INTERDICT_NAME_ORIGINAL);
    CHECK_STR(e->listed_on, "2020-10-02");
    CHECK(e->n_programs == 1);
    CHECK(e->n_titles == 1 && strcmp(e->titles[0], "Colonel") == 0);
    /* month and year, no day */
    CHECK(e->n_dobs == 1 && date_is(&e->dobs[0], INTERDICT_DATE_EXACT, 1969, 11, 0));
    CHECK(e->n_places_of_birth == 1);
    CHECK_STR(e->places_of_birth[0], "Baranovichi, Brest Region, BELARUS");
    const interdict_document *d = find_document(e, NULL, "DP0012345");
    CHECK(d != NULL);
    if (d) {
        CHECK_STR(d->type, "Diplomatic Passport");
        CHECK_STR(d->country, "BELARUS");
        CHECK_STR(d->note, "known expired; name on document: VALADZKO ALIAKSANDR; "
                           "issued by Ministry of Foreign Affairs");
    }
    /* a number written with Cyrillic letters is used in its Latin form */
    d = find_document(e, NULL, "3121169A012PB7");
    CHECK(d != NULL);
    if (d) {
        CHECK_STR(d->type, "National Identification Number");
        CHECK_STR(d->note, "Personal number; as written: 3121169А012РВ7");
    }
}

static void test_fixture(void)
{
    interdict_list *list = NULL;
    interdict_error err;
    interdict_status rc = interdict_list_load(EU_FIXTURE, &list, &err);
    CHECK(rc == INTERDICT_OK);
    if (rc != INTERDICT_OK)
        return;
    CHECK_STR(interdict_list_id(list), "eu");
    CHECK_STR(interdict_list_format(list), "eu-xml");
    CHECK_STR(interdict_list_generated(list), "2024-01-15");
    CHECK_STR(interdict_list_source(list), EU_FIXTURE);
    CHECK(interdict_list_count(list) == 10);
    for (size_t i = 0; i < interdict_list_count(list); i++)
        check_invariants(interdict_list_entry(list, i));
    CHECK_STR(interdict_list_entry(list, 0)->ref, "EU.27.28");   /* file order */

    static const char *const refs[] = {"EU.27.28",   "EU.2738.73", "EU.2759.96", "EU.1974.71",
                                       "EU.2016.24", "EU.8012.55", "EU.9203.17", "EU.4417.90",
                                       "EU.6690.12", "EU.5521.33"};
    const interdict_entry *e[10];
    for (size_t i = 0; i < 10; i++) {
        e[i] = find_entry(list, refs[i]);
        CHECK(e[i] != NULL);
        if (!e[i]) {
            interdict_list_free(list);
            return;
        }
    }
    test_saddam(e[0]);
    test_zawahiri(e[1]);
    test_baghdadi(e[2]);
    test_al_qaida(e[3], e[4]);
    test_two_scripts(e[5]);
    test_company(e[6]);
    test_circa_range(e[7]);
    test_vessel(e[8]);
    test_documents(e[9]);
    interdict_list_free(list);
}

/* Each UN reference names a real UN entry of the same kind, whose names
 * the EU spelling still finds. */
static void test_un_crossrefs(void)
{
    interdict_list *eu = NULL, *un = NULL;
    CHECK(interdict_list_load(EU_FIXTURE, &eu, NULL) == INTERDICT_OK);
    CHECK(interdict_list_load(BUNDLED_LIST, &un, NULL) == INTERDICT_OK);
    if (!eu || !un) {
        interdict_list_free(eu);
        interdict_list_free(un);
        return;
    }
    const interdict_list *lists[] = {un};
    interdict_index *index = NULL;
    CHECK(interdict_index_build(lists, 1, &index, NULL) == INTERDICT_OK);
    interdict_result *result = interdict_result_new();
    size_t linked = 0;
    for (size_t i = 0; index && result && i < interdict_list_count(eu); i++) {
        const interdict_entry *e = interdict_list_entry(eu, i);
        for (size_t k = 0; k < e->n_crossrefs; k++) {
            const interdict_entry *u = find_entry(un, e->crossrefs[k].ref);
            CHECK(u != NULL);
            if (!u)
                continue;
            linked++;
            CHECK(u->type == e->type);
            interdict_query q = {.name = e->names[0].text};
            CHECK(interdict_screen(index, &q, result, NULL) == INTERDICT_OK);
            int found = 0;
            for (size_t h = 0; h < interdict_result_count(result); h++)
                found |= interdict_result_hit(result, h)->entry == u;
            if (!found)
                fprintf(stderr, "%s (%s) not found on the UN list\n", e->names[0].text,
                        u->ref);
            CHECK(found);
        }
    }
    CHECK(linked == 4);
    interdict_result_free(result);
    interdict_index_free(index);
    interdict_list_free(un);
    interdict_list_free(eu);
}

/* The EU spellings are found by the names banks type. */
static void test_screening(void)
{
    interdict_list *eu = NULL;
    CHECK(interdict_list_load(EU_FIXTURE, &eu, NULL) == INTERDICT_OK);
    if (!eu)
        return;
    const interdict_list *lists[] = {eu};
    interdict_index *index = NULL;
    CHECK(interdict_index_build(lists, 1, &index, NULL) == INTERDICT_OK);
    interdict_result *result = interdict_result_new();
    static const struct {
        const char *query, *ref;
    } cases[] = {
        {"Ayman al-Zawahiri", "EU.2738.73"},
        {"Abu Bakr al-Baghdadi", "EU.2759.96"},
        {"Islamic State in Iraq and the Levant", "EU.2016.24"},
        {"Al Qaida", "EU.1974.71"},
        {"Александр Володько", "EU.5521.33"},
        {"Northern Star Trading LLC", "EU.9203.17"},
    };
    for (size_t i = 0; index && result && i < sizeof cases / sizeof *cases; i++) {
        interdict_query q = {.name = cases[i].query};
        CHECK(interdict_screen(index, &q, result, NULL) == INTERDICT_OK);
        CHECK(interdict_result_count(result) >= 1);
        if (interdict_result_count(result) >= 1)
            CHECK_STR(interdict_result_hit(result, 0)->entry->ref, cases[i].ref);
    }
    interdict_result_free(result);
    interdict_index_free(index);
    interdict_list_free(eu);
}

/* ---- Rules, one by one ---------------------------------------------------------- */

static void test_primary_name(void)
{
    interdict_list *list = load_ok(
        PERSON("EU.1.1", "<nameAlias wholeName=\"Weak First\" strong=\"false\"/>"
                         "<nameAlias wholeName=\"Strong Second\" strong=\"true\"/>")
        PERSON("EU.1.2", "<nameAlias wholeName=\"عربي\" strong=\"true\"/>"
                         "<nameAlias wholeName=\"Latin Name\" strong=\"true\"/>")
        PERSON("EU.1.3", "<nameAlias wholeName=\"Первый\" strong=\"true\"/>"
                         "<nameAlias wholeName=\"Weak Latin\" strong=\"false\"/>"
                         "<nameAlias wholeName=\"Weaker Latin\" strong=\"false\"/>")
        PERSON("EU.1.4", "<nameAlias wholeName=\"中文名\"/>"
                         "<nameAlias wholeName=\"Ελληνικά\"/>")
        PERSON("EU.1.5", "<nameAlias wholeName=\"  Ünal   Çelik \" gender=\"F\"/>"
                         "<nameAlias firstName=\"Ünal\" lastName=\"Celik\" gender=\"M\"/>"
                         "<nameAlias firstName=\"\" lastName=\"\" wholeName=\"\" title=\"Hajji\"/>"));
    if (!list)
        return;
    const interdict_entry *e = find_entry(list, "EU.1.1");
    CHECK(e && strcmp(e->names[0].text, "Strong Second") == 0);
    CHECK(name_kind(e, "Weak First") == INTERDICT_NAME_ALIAS_LOW);
    e = find_entry(list, "EU.1.2");
    CHECK(e && strcmp(e->names[0].text, "Latin Name") == 0);
    CHECK(name_kind(e, "عربي") == INTERDICT_NAME_ORIGINAL);
    e = find_entry(list, "EU.1.3");              /* no strong Latin name: the first Latin */
    CHECK(e && strcmp(e->names[0].text, "Weak Latin") == 0);
    CHECK(name_kind(e, "Weaker Latin") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "Первый") == INTERDICT_NAME_ORIGINAL);
    e = find_entry(list, "EU.1.4");              /* only other scripts: the first */
    CHECK(e && strcmp(e->names[0].text, "中文名") == 0 && e->n_names == 2);
    CHECK(name_kind(e, "Ελληνικά") == INTERDICT_NAME_ORIGINAL);
    e = find_entry(list, "EU.1.5");              /* accented Latin is Latin */
    CHECK(e && strcmp(e->names[0].text, "Ünal Çelik") == 0);
    CHECK(name_kind(e, "Ünal Celik") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(e && strcmp(e->gender, "Female") == 0);     /* the first gender given */
    CHECK(e && e->n_names == 2 && e->n_titles == 1);
    interdict_list_free(list);
}

static void test_subject_types(void)
{
    interdict_list *list = load_ok(
        "<sanctionEntity euReferenceNumber=\"EU.2.1\" logicalId=\"1\">"
        "<subjectType classificationCode=\"P\"/>" NAME("Code Less") "</sanctionEntity>"
        "<sanctionEntity euReferenceNumber=\"EU.2.2\" logicalId=\"2\">"
        "<subjectType code=\"enterprise\"/>" NAME("Firm") "</sanctionEntity>"
        "<sanctionEntity euReferenceNumber=\"EU.2.3\" logicalId=\"3\">" NAME("Typeless")
        "</sanctionEntity>"
        "<sanctionEntity euReferenceNumber=\"EU.2.4\" logicalId=\"4\">"
        "<subjectType code=\"spaceship\"/>" NAME("Odd") "</sanctionEntity>"
        ENTERPRISE("EU.2.5", NAME("Shipping Co")
                   "<identification identificationTypeCode=\"imo\" "
                   "identificationTypeDescription=\"IMO company number\" number=\"5123456\"/>")
        PERSON("EU.2.6", NAME("Captain")
               "<identification identificationTypeCode=\"imo\" number=\"9187629\"/>")
        ENTERPRISE("EU.2.7", NAME("Nameless Ship")
                   "<identification identificationTypeCode=\"other\" "
                   "identificationTypeDescription=\"IMO number\" number=\"9187629\"/>")
        ENTERPRISE("EU.2.8", NAME("Numberless") "<identification identificationTypeCode=\"imo\"/>"));
    if (!list)
        return;
    const interdict_entry *e = find_entry(list, "EU.2.1");
    CHECK(e && e->type == INTERDICT_PARTY_PERSON);
    e = find_entry(list, "EU.2.2");
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY);
    e = find_entry(list, "EU.2.3");
    CHECK(e && e->type == INTERDICT_PARTY_UNKNOWN);
    e = find_entry(list, "EU.2.4");
    CHECK(e && e->type == INTERDICT_PARTY_UNKNOWN);
    e = find_entry(list, "EU.2.5");              /* a company's IMO number: not a ship */
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY && e->n_documents == 1);
    CHECK(e && strcmp(e->documents[0].type, "IMO Company Number") == 0);
    e = find_entry(list, "EU.2.6");
    CHECK(e && e->type == INTERDICT_PARTY_PERSON && e->n_documents == 1);
    CHECK(e && strcmp(e->documents[0].type, "IMO Number") == 0);
    e = find_entry(list, "EU.2.7");
    CHECK(e && e->type == INTERDICT_PARTY_VESSEL);
    e = find_entry(list, "EU.2.8");              /* no number: no document, no ship */
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY && e->n_documents == 0);
    interdict_list_free(list);
}

static void test_crossrefs_and_ids(void)
{
    interdict_list *list = load_ok(
        "<sanctionEntity euReferenceNumber=\" EU.3.1 \" unitedNationId=\"QDi.001; QDi.002,QDi.001\""
        " logicalId=\"77\"><subjectType code=\"person\"/>" NAME("Two Refs") "</sanctionEntity>"
        "<sanctionEntity euReferenceNumber=\"EU.3.2\" unitedNationId=\"  \">" NAME("None")
        "</sanctionEntity>");
    if (!list)
        return;
    const interdict_entry *e = find_entry(list, "EU.3.1");     /* trimmed */
    CHECK(e != NULL);
    if (e) {
        CHECK(e->n_crossrefs == 2);
        CHECK(e->n_crossrefs == 2 && strcmp(e->crossrefs[1].ref, "QDi.002") == 0);
        CHECK_STR(e->source_id, "77");
    }
    e = find_entry(list, "EU.3.2");
    CHECK(e && e->n_crossrefs == 0 && strcmp(e->source_id, "") == 0);
    CHECK(e && strcmp(e->listed_on, "") == 0 && e->n_programs == 0);
    interdict_list_free(list);
}

static void test_regulations(void)
{
    interdict_list *list = load_ok(
        "<sanctionEntity euReferenceNumber=\"EU.4.1\" designationDate=\"2001-01-01\">"
        "<regulation programme=\"UKR\" publicationDate=\"2014-03-17\"/>"
        "<regulation programme=\"RUS\" publicationDate=\"2014-03-05T00:00:00\"/>"
        "<regulation programme=\"UKR\" publicationDate=\"2014-02-30\"/>" NAME("Regs")
        "</sanctionEntity>"
        "<sanctionEntity euReferenceNumber=\"EU.4.2\" designationDate=\"2010-05-06\""
        " designationDetails=\" three \"><remark>one</remark><remark>\n two.</remark>"
        "<regulation programme=\"IRN\" publicationDate=\"not a date\"/>" NAME("Designated")
        "</sanctionEntity>");
    if (!list)
        return;
    const interdict_entry *e = find_entry(list, "EU.4.1");
    CHECK(e && strcmp(e->listed_on, "2014-03-05") == 0);
    CHECK(e && e->n_programs == 2 && strcmp(e->regime, "UKR") == 0);
    CHECK(e && e->n_programs == 2 && strcmp(e->programs[1], "RUS") == 0);
    e = find_entry(list, "EU.4.2");              /* no usable publication date */
    CHECK(e && strcmp(e->listed_on, "2010-05-06") == 0);
    CHECK(e && strcmp(e->comments, "one; two. three") == 0);
    interdict_list_free(list);
}

/* Dates that cannot be read are kept as text, never dropped. */
static void test_odd_dates(void)
{
    interdict_list *list = load_ok(PERSON("EU.5.1", NAME("Odd Dates")
        "<birthdate birthdate=\"1971-02-30\" year=\"1971\"/>"
        "<birthdate year=\"19x1\"/>"
        "<birthdate yearRangeFrom=\"1960\" yearRangeTo=\"1950\"/>"
        "<birthdate yearRangeTo=\"1980\"/>"
        "<birthdate yearRangeFrom=\"1975\" circa=\"true\"/>"
        "<birthdate calendarType=\"ISLAMIC\" year=\"1390\"/>"
        "<birthdate monthOfYear=\"3\" dayOfMonth=\"12\"/>"
        "<birthdate circa=\"true\" birthdate=\"about 1960\"/>"
        "<birthdate year=\"1965\" monthOfYear=\"13\"/>"
        "<birthdate city=\"Only A Place\" countryIso2Code=\"FR\"/>"
        "<birthdate birthdate=\"1970-01-02\" circa=\"TRUE\" calendarType=\"gregorian\"/>"));
    if (!list)
        return;
    const interdict_entry *e = find_entry(list, "EU.5.1");
    CHECK(e && e->n_dobs == 10);
    if (!e || e->n_dobs != 10) {
        interdict_list_free(list);
        return;
    }
    static const char *const notes[] = {
        "1971-02-30", "19x1", "1960 to 1950", "1980 or earlier", "circa 1975 or later",
        "1390 (ISLAMIC calendar)", "year unknown, month 3, day 12", "circa about 1960",
        "1965-13"};
    for (size_t k = 0; k < 9; k++) {
        CHECK(e->dobs[k].kind == INTERDICT_DATE_TEXT);
        CHECK_STR(e->dobs[k].note, notes[k]);
        CHECK(e->dobs[k].from_year == 0);
    }
    CHECK(date_is(&e->dobs[9], INTERDICT_DATE_APPROX, 1970, 1, 2));
    CHECK(e->n_places_of_birth == 1);
    CHECK_STR(e->places_of_birth[0], "Only A Place, FR");
    interdict_list_free(list);
}

static void test_places_and_addresses(void)
{
    interdict_list *list = load_ok(PERSON("EU.6.1", NAME("Places")
        "<citizen countryIso2Code=\"DE\" countryDescription=\"\"/>"
        "<citizenship countryIso2Code=\"00\" countryDescription=\"UNKNOWN\"/>"
        "<citizenship countryIso2Code=\"FR\" countryDescription=\"FRANCE\"/>"
        "<citizenship countryIso2Code=\"FR\" countryDescription=\"FRANCE\"/>"
        "<birthdate birthdate=\"1980-05-06\" place=\"Hospital\" city=\"Lyon\" region=\"Rhone\""
        " countryDescription=\"FRANCE\"/>"
        "<address street=\"1 Rue X\" poBox=\"12\" zipCode=\"75001\" city=\"Paris\""
        " region=\"IDF\" place=\"Building B\" countryIso2Code=\"FR\"/>"
        "<address countryIso2Code=\"00\" countryDescription=\"UNKNOWN\"/>"
        "<address city=\"Nice\"/>"));
    if (!list)
        return;
    const interdict_entry *e = find_entry(list, "EU.6.1");
    CHECK(e != NULL);
    if (e) {
        CHECK(e->n_nationalities == 2);           /* unknown dropped, repeat kept once */
        CHECK(has_string(e->nationalities, e->n_nationalities, "DE"));
        CHECK(has_string(e->nationalities, e->n_nationalities, "FRANCE"));
        CHECK(e->n_places_of_birth == 1);
        CHECK_STR(e->places_of_birth[0], "Hospital, Lyon, Rhone, FRANCE");
        CHECK(e->n_addresses == 2);
        if (e->n_addresses == 2) {
            CHECK_STR(e->addresses[0].text, "1 Rue X, P.O. Box 12, Building B, 75001 Paris, IDF");
            CHECK_STR(e->addresses[0].country, "FR");
            CHECK_STR(e->addresses[1].text, "Nice");
            CHECK_STR(e->addresses[1].country, "");
        }
    }
    interdict_list_free(list);
}

/* Without the namespace (as some re-publishers write it), with a byte
 * order mark and no generation date. */
static void test_variants(void)
{
    static const char plain[] = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n"
                                "<export generationDate=\"15/01/2024\">"
                                "<sanctionEntity euReferenceNumber=\"EU.7.1\">" NAME("Plain")
                                "</sanctionEntity></export>";
    interdict_list *list = NULL;
    CHECK(interdict_list_load_memory(plain, sizeof plain - 1, NULL, &list, NULL) == INTERDICT_OK);
    CHECK(interdict_list_count(list) == 1);
    CHECK_STR(interdict_list_generated(list), "");
    CHECK_STR(interdict_list_source(list), "<memory>");
    interdict_list_free(list);

    static const char prefixed[] = "<fsd:export xmlns:fsd=\"" EU_NS "\">"
                                   "<fsd:sanctionEntity euReferenceNumber=\"EU.7.2\">"
                                   "<fsd:nameAlias wholeName=\"Prefixed\"/>"
                                   "</fsd:sanctionEntity></fsd:export>";
    list = NULL;
    CHECK(interdict_list_load_memory(prefixed, sizeof prefixed - 1, "p", &list, NULL) ==
          INTERDICT_OK);
    CHECK(interdict_list_count(list) == 1);
    interdict_list_free(list);
}

/* ---- Bad input ------------------------------------------------------------------ */

static void test_truncated(void)
{
    size_t len = 0;
    char *data = read_file(EU_FIXTURE, &len);
    CHECK(data != NULL && len > 10000);
    if (!data)
        return;
    /* cut after the root element has started, at many places */
    const char *root = strstr(data, "<export");
    size_t start = root ? (size_t)(root - data) + 8 : 0;
    for (size_t cut = start; cut < len - 1; cut += (len - start) / 37) {
        interdict_error err = load_bad_raw(data, cut, INTERDICT_ERR_PARSE);
        CHECK(err.line >= 6);
    }
    interdict_error err = load_bad_raw(data, len - 3, INTERDICT_ERR_PARSE);
    CHECK(err.line >= 100);
    free(data);
}

static void test_missing_parts(void)
{
    interdict_error err = load_bad("", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "sanctionEntity");
    CHECK(err.line == 1);
    err = load_bad("<remark>no entities</remark>", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "sanctionEntity");

    err = load_bad(PERSON("EU.8.1", NAME("Fine")) "\n\n"
                   "<sanctionEntity logicalId=\"5\">" NAME("No Ref") "</sanctionEntity>",
                   INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "euReferenceNumber");
    CHECK(err.line == 4);
    CHECK(strstr(err.message, "sanctionEntity") != NULL);
    err = load_bad("\n<sanctionEntity euReferenceNumber=\" \">" NAME("Blank Ref") "</sanctionEntity>",
                   INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "euReferenceNumber");
    CHECK(err.line == 3);

    err = load_bad(PERSON("EU.8.2", "<nameAlias wholeName=\" \" firstName=\"\"/>"
                                    "<birthdate year=\"1960\"/>"), INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "nameAlias");
    CHECK(err.line == 2);
    CHECK(strstr(err.message, "EU.8.2") != NULL);

    static const char wrong_ns[] = "<export xmlns=\"urn:other\"><sanctionEntity "
                                   "euReferenceNumber=\"X\">" NAME("X") "</sanctionEntity></export>";
    err = load_bad_raw(wrong_ns, sizeof wrong_ns - 1, INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "urn:other") != NULL);
}

static void test_duplicates(void)
{
    interdict_error err = load_bad(PERSON("EU.9.1", NAME("First")) "\n"
                                   PERSON("EU.9.2", NAME("Other")) "\n"
                                   PERSON("EU.9.1", NAME("Second")),
                                   INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "euReferenceNumber");
    CHECK(err.line == 4);
    CHECK(strstr(err.message, "EU.9.1") != NULL);
    CHECK(strstr(err.message, "line 2") != NULL);
}

static void test_bad_encoding(void)
{
    interdict_error err = load_bad("\n" PERSON("EU.10.1", NAME("Bad \xC3\x28 byte")),
                                   INTERDICT_ERR_ENCODING);
    CHECK(err.line == 3);
    err = load_bad(PERSON("EU.10.2", NAME("Overlong \xC0\xAF")), INTERDICT_ERR_ENCODING);
    static const char latin1[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<export>"
                                 "<sanctionEntity euReferenceNumber=\"X\">"
                                 "<nameAlias wholeName=\"Jos\xE9\"/></sanctionEntity></export>";
    err = load_bad_raw(latin1, sizeof latin1 - 1, INTERDICT_ERR_ENCODING);
    CHECK(err.line == 2);
    static const char utf16[] = "\xFF\xFE<\0e\0";
    err = load_bad_raw(utf16, sizeof utf16 - 1, INTERDICT_ERR_FORMAT);
}

static void test_entities(void)
{
    static const char doctype[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE export [\n"
        "  <!ENTITY name \"Injected Name\">\n"
        "]>\n"
        "<export xmlns=\"" EU_NS "\"><sanctionEntity euReferenceNumber=\"X\">"
        "<nameAlias wholeName=\"&name;\"/></sanctionEntity></export>";
    interdict_error err = load_bad_raw(doctype, sizeof doctype - 1, INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "DOCTYPE");
    CHECK(err.line == 3);
    CHECK(strstr(err.message, "entities not allowed") != NULL);

    static const char xxe[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE export [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<export><sanctionEntity euReferenceNumber=\"X\">"
        "<nameAlias wholeName=\"&x;\"/></sanctionEntity></export>";
    err = load_bad_raw(xxe, sizeof xxe - 1, INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "DOCTYPE");

    /* an undeclared entity is a parse error, not an empty name */
    err = load_bad(PERSON("EU.11.1", "<nameAlias wholeName=\"&undeclared;\"/>"),
                   INTERDICT_ERR_PARSE);
}

/* Values longer than the matcher or the parser takes are refused with
 * their line and field, whatever the size. */
static void test_huge_values(void)
{
    enum { BIG = 5000 };
    static const char open[] = PERSON("EU.12.1", NAME("Fine")) "\n<sanctionEntity "
                                                                "euReferenceNumber=\"EU.12.2\">"
                                                                "<nameAlias wholeName=\"";
    static const char close[] = "\"/></sanctionEntity>";
    char *body = malloc(sizeof open + BIG + sizeof close);
    CHECK(body != NULL);
    if (!body)
        return;
    memcpy(body, open, sizeof open - 1);
    memset(body + sizeof open - 1, 'A', BIG);
    memcpy(body + sizeof open - 1 + BIG, close, sizeof close);
    interdict_error err = load_bad(body, INTERDICT_ERR_LIMIT);
    CHECK_STR(err.field, "nameAlias/wholeName");
    CHECK(err.line == 3);
    CHECK(strstr(err.message, "5000 bytes") != NULL);
    free(body);

    /* parts that are each short enough but too long together */
    enum { PART = 2100 };
    size_t n = 200 + 2 * PART;
    body = malloc(n);
    char *part = malloc(PART + 1);
    if (body && part) {
        memset(part, 'b', PART);
        part[PART] = '\0';
        snprintf(body, n, "<sanctionEntity euReferenceNumber=\"E\"><nameAlias firstName=\"%s\" "
                          "lastName=\"%s\"/></sanctionEntity>", part, part);
        err = load_bad(body, INTERDICT_ERR_LIMIT);
        CHECK_STR(err.field, "nameAlias/firstName");
    }
    free(part);
    free(body);

    /* any other attribute: 100 KB of designation details */
    enum { HUGE_ATTR = 100 * 1024 };
    n = 200 + HUGE_ATTR;
    body = malloc(n);
    if (body) {
        int k = snprintf(body, n, "<sanctionEntity euReferenceNumber=\"E\" designationDetails=\"");
        memset(body + k, 'x', HUGE_ATTR);
        snprintf(body + k + HUGE_ATTR, n - (size_t)k - HUGE_ATTR,
                 "\">" NAME("Fine") "</sanctionEntity>");
        err = load_bad(body, INTERDICT_ERR_LIMIT);
        CHECK_STR(err.field, "sanctionEntity/designationDetails");
        CHECK(err.line == 2);
    }
    free(body);

    /* a remark of 300 KB */
    enum { HUGE_TEXT = 300 * 1024 };
    n = 200 + HUGE_TEXT;
    body = malloc(n);
    if (body) {
        int k = snprintf(body, n, "<sanctionEntity euReferenceNumber=\"E\">\n<remark>");
        memset(body + k, 'r', HUGE_TEXT);
        snprintf(body + k + HUGE_TEXT, n - (size_t)k - HUGE_TEXT,
                 "</remark>" NAME("Fine") "</sanctionEntity>");
        err = load_bad(body, INTERDICT_ERR_LIMIT);
        CHECK_STR(err.field, "remark/text()");
        CHECK(err.line == 3);
    }
    free(body);

    /* past libxml2's own limit on one attribute (10 MB): a parse error */
    enum { OVER_LIBXML = 11 * 1024 * 1024 };
    n = 200 + OVER_LIBXML;
    body = malloc(n);
    if (body) {
        int k = snprintf(body, n, "<sanctionEntity euReferenceNumber=\"E\" logicalId=\"");
        memset(body + k, '7', OVER_LIBXML);
        snprintf(body + k + OVER_LIBXML, n - (size_t)k - OVER_LIBXML,
                 "\">" NAME("Fine") "</sanctionEntity>");
        err = load_bad(body, INTERDICT_ERR_PARSE);
        CHECK(err.line == 2);
    }
    free(body);
}

int main(void)
{
    test_fixture();
    test_un_crossrefs();
    test_screening();
    test_primary_name();
    test_subject_types();
    test_crossrefs_and_ids();
    test_regulations();
    test_odd_dates();
    test_places_and_addresses();
    test_variants();
    test_truncated();
    test_missing_parts();
    test_duplicates();
    test_bad_encoding();
    test_entities();
    test_huge_values();
    CHECK_DONE();
}
