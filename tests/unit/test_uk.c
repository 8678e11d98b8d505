/* test_uk.c - the UK sanctions list parsers (OFSI and FCDO, CSV and XML).
 *
 * The fixtures in tests/data/uk/ hold the same kinds of targets in all four
 * forms: UN listings implemented by the UK (Ayman al-Zawahiri QDi.006,
 * Al-Qaida QDe.004, ...), a ship with an IMO number, people with several
 * name rows, non-Latin names and dates of birth with unknown parts. Bad
 * input is built in memory from a valid header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"
#include "list/list.h"

#define UK_DATA TEST_DATA_DIR "/uk/"

/* ---- Helpers ------------------------------------------------------------------ */

static int has_document(const interdict_entry *e, const char *type, const char *number,
                        const char *note)
{
    const interdict_document *d = find_document(e, type, number);
    return d && (!note || strcmp(d->note, note) == 0);
}

static int has_dob(const interdict_entry *e, int year, int month, int day)
{
    for (size_t k = 0; e && k < e->n_dobs; k++)
        if (e->dobs[k].kind == INTERDICT_DATE_EXACT && e->dobs[k].from_year == year &&
            e->dobs[k].from_month == month && e->dobs[k].from_day == day)
            return 1;
    return 0;
}

/* Loads text that must fail with `want`; returns the error. */
static interdict_error load_bad(const char *text, size_t len, interdict_status want)
{
    return load_bad_data(text, len, "bad.uk", want);
}

static interdict_error load_bad_str(const char *text, interdict_status want)
{
    return load_bad(text, strlen(text), want);
}

/* Calls a parser directly, as list.c does after detecting the format. */
static interdict_status parse_direct(int csv, const char *text, size_t len, interdict_error *err)
{
    interdict_list *list = calloc(1, sizeof *list);
    if (!list)
        return INTERDICT_ERR_NOMEM;
    arena_init(&list->mem);
    list->id = list->format = list->generated = list->source = "";
    interdict_status rc = csv ? list_parse_uk_csv(list, text, len, "direct", NULL, err)
                              : list_parse_uk_xml(list, text, len, "direct", NULL, err);
    interdict_list_free(list);
    return rc;
}

/* Every entry keeps the promises of interdict.h. */
static void check_invariants(const interdict_list *list)
{
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        CHECK(e->ref && e->ref[0]);
        CHECK_STR(e->list, "uk");
        CHECK(e->n_names > 0 && e->names[0].kind == INTERDICT_NAME_PRIMARY);
        for (size_t k = 1; k < e->n_names; k++)
            CHECK(e->names[k].kind != INTERDICT_NAME_PRIMARY);
        CHECK(e->regime && e->source_id && e->listed_on && e->gender && e->comments);
    }
}

/* The OFSI CSV header, for building bad files. */
static const char OFSI_HEADER[] =
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,"
    "Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,"
    "Nationality,Passport Number,Passport Details,National Identification Number,"
    "National Identification Details,Position,Address 1,Address 2,Address 3,Address 4,"
    "Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,"
    "Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID\n";

/* An OFSI row: Name 6, Name 1, Other Information, Group Type, Alias Type,
 * Alias Quality, Listed On, Group ID; everything else empty. */
static void ofsi_row(char *out, size_t size, const char *surname, const char *given,
                     const char *info, const char *type, const char *alias_type,
                     const char *quality, const char *listed, const char *group)
{
    snprintf(out, size,
             "%s,%s,,,,,,,,,,,,,,,,,,,,,,,,,,\"%s\",%s,%s,%s,Russia,%s,,,%s\n",
             surname, given, info, type, alias_type, quality, listed, group);
}

static char *ofsi_file(const char *rows)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "Last Updated,28/01/2026\n%s%s", OFSI_HEADER, rows);
    return buf;
}

/* ---- OFSI CSV ------------------------------------------------------------------- */

static void test_ofsi_csv(void)
{
    interdict_list *list = load_list(UK_DATA "ofsi_conlist.csv");
    if (!list)
        return;
    CHECK_STR(interdict_list_id(list), "uk");
    CHECK_STR(interdict_list_format(list), "uk-ofsi-csv");
    CHECK_STR(interdict_list_generated(list), "2026-01-28");
    CHECK(interdict_list_count(list) == 8);
    check_invariants(list);

    /* rows 1, 2, 7, 17 and 18 of the file are one target (Group ID 6897) */
    const interdict_entry *z = find_entry(list, "AQD0104");
    CHECK(z != NULL);
    if (z) {
        CHECK(z == interdict_list_entry(list, 0));      /* first seen, first listed */
        CHECK(z->type == INTERDICT_PARTY_PERSON);
        CHECK_STR(z->names[0].text, "Aiman Muhammed Rabi AL-ZAWAHIRI");
        CHECK(z->n_names == 6);
        CHECK(has_name(z, "أيمن محمد ربيع الظواهري", INTERDICT_NAME_ORIGINAL));
        CHECK(has_name(z, "Ayman AL-ZAWAHARI", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(z, "Ahmed Fuad SALIM", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(z, "ABU FATMA", INTERDICT_NAME_ALIAS_LOW));
        /* Name 1..5 then Name 6; a primary name variation is a good alias */
        CHECK(has_name(z, "Aiman Mohamed Rabi Abdel Muaz AL-ZAWAHRY", INTERDICT_NAME_ALIAS_GOOD));
        CHECK_STR(z->source_id, "6897");
        CHECK_STR(z->regime, "ISIL (Da'esh) and Al-Qaida");
        CHECK_STR(z->listed_on, "2001-01-25");
        CHECK_STR(z->gender, "Male");
        CHECK(strstr(z->comments, "Leader of Al-Qaida") != NULL);
        CHECK(z->n_crossrefs == 1 && has_crossref(z, "un", "QDi.006"));
        CHECK(z->n_dobs == 1 && has_dob(z, 1951, 6, 19));
        CHECK(z->n_places_of_birth == 1 && has_string(z->places_of_birth, z->n_places_of_birth,
                                                      "Giza, Egypt"));
        CHECK(has_string(z->nationalities, z->n_nationalities, "Egypt"));
        /* "(1) Doctor (2) Dr." */
        CHECK(z->n_titles == 2 && has_string(z->titles, z->n_titles, "Doctor") &&
              has_string(z->titles, z->n_titles, "Dr."));
        /* passports paired with their details item by item */
        CHECK(z->n_documents == 2);
        CHECK(has_document(z, "Passport", "1084010", "Egyptian passport"));
        CHECK(has_document(z, "Passport", "19820215", "Alternative Egyptian passport number"));
    }

    const interdict_entry *aq = find_entry(list, "AQD0001");
    CHECK(aq != NULL);
    if (aq) {
        CHECK(aq->type == INTERDICT_PARTY_ENTITY);
        CHECK_STR(aq->names[0].text, "AL-QAIDA");
        CHECK(has_name(aq, "القاعدة", INTERDICT_NAME_ORIGINAL));
        CHECK(has_name(aq, "THE BASE", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(aq, "AL QA'IDA/ISLAMIC ARMY", INTERDICT_NAME_ALIAS_GOOD)); /* FKA */
        CHECK(has_crossref(aq, "un", "QDe.004"));
        CHECK_STR(aq->listed_on, "2001-10-06");
        CHECK(aq->n_dobs == 0 && aq->n_documents == 0);
    }

    /* dates of birth with unknown day and month, enumerated */
    const interdict_entry *akh = find_entry(list, "AFG0006");
    CHECK(akh != NULL);
    if (akh) {
        CHECK(akh->n_dobs == 2 && has_dob(akh, 1955, 0, 0) && has_dob(akh, 1946, 0, 0));
        CHECK(has_name(akh, "Mohammad Hassan AKHUND", INTERDICT_NAME_PRIMARY));
        CHECK(has_name(akh, "Mohammad Hassan Akhund", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(akh->n_designations == 2 &&
              has_string(akh->designations, akh->n_designations,
                         "Foreign Minister under the Taliban regime"));
        CHECK(has_string(akh->places_of_birth, akh->n_places_of_birth,
                         "Pashmul village, Panjwai District, Kandahar Province, Afghanistan"));
        CHECK(has_crossref(akh, "un", "TAi.002"));
        CHECK_STR(akh->regime, "Afghanistan");
    }

    const interdict_entry *komid = find_entry(list, "DPR0015");
    CHECK(komid != NULL);
    if (komid) {
        CHECK(komid->type == INTERDICT_PARTY_ENTITY);
        CHECK(has_name(komid, "KOMID", INTERDICT_NAME_ALIAS_LOW));
        CHECK(komid->n_addresses == 1 &&
              has_address(komid, "Central District, Pyongyang", "North Korea"));
        CHECK(has_crossref(komid, "un", "KPe.001"));
    }

    /* the IMO number comes out of Other Information */
    const interdict_entry *ship = find_entry(list, "RUS2176");
    CHECK(ship != NULL);
    if (ship) {
        CHECK(ship->type == INTERDICT_PARTY_VESSEL);
        CHECK(ship->n_documents == 1 && has_document(ship, "IMO Number", "9826902", ""));
        CHECK(ship->n_crossrefs == 0);
        CHECK_STR(ship->listed_on, "2024-07-31");
    }

    const interdict_entry *sechin = find_entry(list, "RUS0262");
    CHECK(sechin != NULL);
    if (sechin) {
        CHECK(has_name(sechin, "Игорь Иванович СЕЧИН", INTERDICT_NAME_ORIGINAL));
        CHECK(has_name(sechin, "Igor SETCHINE", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_dob(sechin, 1960, 9, 7));
        CHECK(has_string(sechin->places_of_birth, sechin->n_places_of_birth, "Leningrad, Russia"));
        CHECK(sechin->n_crossrefs == 0);
    }

    /* no UK Sanctions List Ref: the Group ID stands in */
    const interdict_entry *saddam = find_entry(list, "OFSI-7587");
    CHECK(saddam != NULL);
    if (saddam) {
        CHECK_STR(saddam->source_id, "7587");
        CHECK(has_crossref(saddam, "un", "IQi.001"));
        CHECK(has_name(saddam, "ABU ALI", INTERDICT_NAME_ALIAS_LOW));
    }

    /* two towns and two countries of birth, paired */
    const interdict_entry *basir = find_entry(list, "AFG0098");
    CHECK(basir != NULL);
    if (basir) {
        CHECK(basir->n_places_of_birth == 2);
        CHECK(has_string(basir->places_of_birth, basir->n_places_of_birth,
                         "Surkh Rod District, Nangarhar Province, Afghanistan"));
        CHECK(has_string(basir->places_of_birth, basir->n_places_of_birth,
                         "Hisarak District, Nangarhar Province, Afghanistan"));
        CHECK(has_document(basir, "Passport", "D 000974", "Afghanistan number"));
        CHECK(has_dob(basir, 1964, 0, 0));
    }
    interdict_list_free(list);
}

/* ---- OFSI XML ------------------------------------------------------------------- */

static void test_ofsi_xml(void)
{
    interdict_list *list = load_list(UK_DATA "ofsi_conlist.xml");
    if (!list)
        return;
    CHECK_STR(interdict_list_format(list), "uk-ofsi-xml");
    /* no date of its own: the latest LastUpdated */
    CHECK_STR(interdict_list_generated(list), "2026-01-27");
    CHECK(interdict_list_count(list) == 8);
    check_invariants(list);

    const interdict_entry *z = find_entry(list, "AQD0104");
    CHECK(z != NULL);
    if (z) {
        /* the SALIM row comes eleventh in the file */
        CHECK(z->n_names == 4);
        CHECK_STR(z->names[0].text, "Aiman Muhammed Rabi AL-ZAWAHIRI");
        CHECK(has_name(z, "Ahmed Fuad SALIM", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(z, "Ayman AL-ZAWAHARI", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(z, "أيمن محمد ربيع الظواهري", INTERDICT_NAME_ORIGINAL));
        CHECK_STR(z->listed_on, "2001-01-25");     /* 2001-01-25T00:00:00 */
        CHECK(has_crossref(z, "un", "QDi.006"));
        CHECK(has_document(z, "Passport", "19820215", "Alternative Egyptian passport number"));
        CHECK_STR(z->gender, "Male");
    }
    /* 2022 element names: name1, Individual_DateOfBirth, Individual_Gender, UNRef */
    const interdict_entry *akh = find_entry(list, "AFG0006");
    CHECK(akh != NULL);
    if (akh) {
        CHECK_STR(akh->names[0].text, "Mohammad Hassan AKHUND");
        CHECK(has_dob(akh, 1955, 0, 0) && has_dob(akh, 1946, 0, 0));
        CHECK_STR(akh->gender, "Male");
        CHECK(akh->n_crossrefs == 1 && has_crossref(akh, "un", "TAi.002"));
        CHECK(has_string(akh->nationalities, akh->n_nationalities, "Afghanistan"));
        CHECK(akh->n_designations == 2);
    }
    const interdict_entry *komid = find_entry(list, "DPR0015");
    CHECK(komid && has_name(komid, "KOMID", INTERDICT_NAME_ALIAS_LOW));
    const interdict_entry *ship = find_entry(list, "RUS2176");
    CHECK(ship && ship->type == INTERDICT_PARTY_VESSEL &&
          has_document(ship, "IMO Number", "9826902", ""));
    const interdict_entry *basir = find_entry(list, "AFG0098");
    CHECK(basir && has_document(basir, "National Identification Number", "55130",
                                "(Afghan) (tazkira)"));
    CHECK(find_entry(list, "OFSI-7587") != NULL);
    interdict_list_free(list);
}

/* ---- FCDO CSV ------------------------------------------------------------------- */

static void test_fcdo_csv(void)
{
    interdict_list *list = load_list(UK_DATA "fcdo_sanctions_list.csv");
    if (!list)
        return;
    CHECK_STR(interdict_list_format(list), "uk-fcdo-csv");
    CHECK_STR(interdict_list_generated(list), "2026-01-28");   /* Report Date: 28-Jan-2026 */
    CHECK(interdict_list_count(list) == 8);
    check_invariants(list);

    const interdict_entry *z = find_entry(list, "AQD0104");
    CHECK(z != NULL);
    if (z) {
        CHECK_STR(z->names[0].text, "AIMAN MUHAMMED RABI AL-ZAWAHIRI");
        CHECK(z->n_names == 6);
        CHECK(has_name(z, "Abu Fatma", INTERDICT_NAME_ALIAS_LOW));
        CHECK(has_name(z, "Ayman Al-Zawahari", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(z, "Aiman Mohamed Rabi Abdel Muaz Al Zawahry", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(z, "أيمن محمد ربيع الظواهري", INTERDICT_NAME_ORIGINAL));
        CHECK_STR(z->source_id, "6897");
        CHECK_STR(z->listed_on, "2001-01-25");
        CHECK_STR(z->gender, "Male");
        CHECK(has_crossref(z, "un", "QDi.006"));
        CHECK(has_dob(z, 1951, 6, 19));
        CHECK(has_document(z, "Passport", "1084010", "Egyptian passport"));
        CHECK(has_string(z->places_of_birth, z->n_places_of_birth, "Giza, Egypt"));
        CHECK_STR(z->regime,
                  "The ISIL (Da'esh) and Al-Qaida (United Nations Sanctions) (EU Exit) Regulations 2019");
    }
    const interdict_entry *aq = find_entry(list, "AQD0001");
    CHECK(aq && has_name(aq, "Al Qaeda", INTERDICT_NAME_ALIAS_GOOD));   /* "ALias" */
    CHECK(aq && aq->type == INTERDICT_PARTY_ENTITY && has_crossref(aq, "un", "QDe.004"));
    const interdict_entry *akh = find_entry(list, "AFG0006");
    CHECK(akh && has_dob(akh, 1955, 0, 0));                              /* dd/mm/1955 */
    const interdict_entry *ship = find_entry(list, "RUS2176");
    CHECK(ship && ship->type == INTERDICT_PARTY_VESSEL);
    CHECK(ship && has_document(ship, "IMO Number", "9826902", ""));     /* IMO9826902 */
    CHECK(ship && ship->source_id[0] == '\0');
    const interdict_entry *basir = find_entry(list, "AFG0098");
    CHECK(basir && has_document(basir, "National Identification Number", "55130",
                                "(Afghan) (tazkira)"));
    CHECK(basir && has_name(basir, "عبدالقدیر بصیر عبد البصير", INTERDICT_NAME_ORIGINAL));
    const interdict_entry *komid = find_entry(list, "DPR0015");
    CHECK(komid && has_address(komid, "Central District, Pyongyang", "North Korea"));
    const interdict_entry *yun = find_entry(list, "DPR0001");
    CHECK(yun && has_name(yun, "HO-JIN YUN", INTERDICT_NAME_PRIMARY) &&
          has_string(yun->designations, yun->n_designations,
                     "Director of Namchongang Trading Corporation"));
    interdict_list_free(list);
}

/* ---- FCDO XML ------------------------------------------------------------------- */

static void test_fcdo_xml(void)
{
    interdict_list *list = load_list(UK_DATA "fcdo_sanctions_list.xml");
    if (!list)
        return;
    CHECK_STR(interdict_list_format(list), "uk-fcdo-xml");
    CHECK_STR(interdict_list_generated(list), "2026-01-28");   /* DateGenerated */
    CHECK(interdict_list_count(list) == 8);
    check_invariants(list);

    const interdict_entry *z = find_entry(list, "AQD0104");
    CHECK(z != NULL);
    if (z) {
        CHECK(z->type == INTERDICT_PARTY_PERSON);
        CHECK_STR(z->names[0].text, "AIMAN MUHAMMED RABI AL-ZAWAHIRI");
        CHECK(z->n_names == 6);
        CHECK(has_name(z, "Abu Fatma", INTERDICT_NAME_ALIAS_LOW));
        CHECK(has_name(z, "Ahmed Fuad Salim", INTERDICT_NAME_ALIAS_GOOD));
        CHECK(has_name(z, "أيمن محمد ربيع الظواهري", INTERDICT_NAME_ORIGINAL));
        CHECK(z->n_titles == 2);
        CHECK_STR(z->source_id, "6897");
        CHECK_STR(z->listed_on, "2001-01-25");
        CHECK_STR(z->gender, "Male");
        CHECK(z->n_crossrefs == 1 && has_crossref(z, "un", "QDi.006"));
        CHECK(z->n_documents == 2 && has_document(z, "Passport", "19820215", NULL));
        CHECK(has_string(z->places_of_birth, z->n_places_of_birth, "Giza, Egypt"));
        CHECK(has_string(z->nationalities, z->n_nationalities, "Egypt"));
        CHECK(strstr(z->comments, "Leader of Al-Qaida") != NULL);
    }
    const interdict_entry *aq = find_entry(list, "AQD0001");
    CHECK(aq && aq->n_addresses == 0);             /* an empty address is no address */
    CHECK(aq && has_name(aq, "القاعدة", INTERDICT_NAME_ORIGINAL));
    const interdict_entry *akh = find_entry(list, "AFG0006");
    CHECK(akh && akh->n_dobs == 2 && has_dob(akh, 1946, 0, 0) && akh->n_designations == 2);
    const interdict_entry *komid = find_entry(list, "DPR0015");
    CHECK(komid && has_document(komid, "Business Registration Number", "KP-1702-77", ""));
    CHECK(komid && has_address(komid, "Central District, Pyongyang", "North Korea"));
    const interdict_entry *ship = find_entry(list, "RUS2176");
    CHECK(ship && ship->type == INTERDICT_PARTY_VESSEL &&
          has_document(ship, "IMO Number", "9826902", ""));
    /* a <Name> with every part empty adds nothing */
    const interdict_entry *basir = find_entry(list, "AFG0098");
    CHECK(basir && basir->n_names == 2 && basir->n_places_of_birth == 2);
    CHECK(basir && has_document(basir, "National Identification Number", "55130", NULL));
    interdict_list_free(list);
}

/* The UK entries are screened like any other. */
static void test_screening(void)
{
    interdict_list *list = load_list(UK_DATA "fcdo_sanctions_list.xml");
    if (!list)
        return;
    interdict_index *index = NULL;
    const interdict_list *lists[] = {list};
    CHECK(interdict_index_build(lists, 1, &index, NULL) == INTERDICT_OK);
    interdict_result *result = interdict_result_new();
    interdict_query q = {.name = "Ayman al-Zawahiri"};
    CHECK(interdict_screen(index, &q, result, NULL) == INTERDICT_OK);
    CHECK(interdict_result_count(result) > 0);
    if (interdict_result_count(result) > 0)
        CHECK_STR(interdict_result_hit(result, 0)->entry->ref, "AQD0104");
    interdict_result_free(result);
    interdict_index_free(index);
    interdict_list_free(list);
}

/* ---- Sniffing --------------------------------------------------------------------- */

static void test_sniff(void)
{
    static const char *const yes[] = {
        "Last Updated,28/01/2026\nName 6,Name 1,Group ID\n",
        "\xEF\xBB\xBFLast Updated,28/01/2026\r\nName 6,Name 1,Group ID\r\n",
        "Last Updated:,15/07/2026,,,\nName 6,Name 1,Group Type\n",
        "Report Date: 28-Jan-2026\nLast Updated,Unique ID,Name 6\n",
        "\xEF\xBB\xBFReport Date: 28-Jan-2026\r\nLast Updated,Unique ID,OFSI Group ID,Name 6\r\n",
        "Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1\n",
        "Name 6,Name 1,Name 2,Title,Group Type,Alias Type,Group ID\n",
    };
    static const char *const no[] = {
        "",
        "\xEF\xBB\xBF",
        "Last Updated,28/01/2026\n",
        "Last Updated,28/01/2026\nid,name,type\n",
        "Report Date: 28-Jan-2026\nUnique ID,Name\n",
        "id,name,type,dob,nationality\n1,John,person,,\n",
        "<?xml version=\"1.0\"?><Designations/>",
        "Last Updatedness,1\nName 6\n",
        "36,\"AEROCARIBBEAN AIRLINES\",-0-,\"CUBA\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n",
        "Name 6,Name 1\n",
    };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        int got = list_sniff_uk_csv(yes[i], strlen(yes[i]));
        if (!got)
            fprintf(stderr, "not recognised: %s\n", yes[i]);
        CHECK(got);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        int got = list_sniff_uk_csv(no[i], strlen(no[i]));
        if (got)
            fprintf(stderr, "wrongly recognised: %s\n", no[i]);
        CHECK(!got);
    }
    CHECK(!list_sniff_uk_csv(NULL, 0));
    /* the length is respected: the header line is beyond it */
    const char *s = "Last Updated,28/01/2026\nName 6,Group ID\n";
    CHECK(!list_sniff_uk_csv(s, 24));
}

/* Header-first files (the preamble line dropped) load too. */
static void test_header_first(void)
{
    char rows[512], buf[4096];
    ofsi_row(rows, sizeof rows, "DOE", "John", "", "Individual", "Primary name", "",
             "01/02/2022", "1");
    snprintf(buf, sizeof buf, "%s%s", OFSI_HEADER, rows);
    interdict_list *list = NULL;
    CHECK(interdict_list_load_memory(buf, strlen(buf), "hf", &list, NULL) == INTERDICT_OK);
    CHECK(list && strcmp(interdict_list_format(list), "uk-ofsi-csv") == 0);
    CHECK(list && strcmp(interdict_list_generated(list), "") == 0);
    CHECK(list && find_entry(list, "OFSI-1") != NULL);
    interdict_list_free(list);

    /* FCDO without its "Report Date" line; columns in another order */
    const char *fcdo = "Last Updated,Unique ID,Designation Type,Name type,Name 1,Name 6,Alias strength\n"
                       "03/04/2025,RUS0001,Individual,Primary Name,Ivan,PETROV,\n"
                       "03/04/2025,RUS0001,Individual,Alias,Vanya,PETROV,Low quality a.k.a\n";
    list = NULL;
    CHECK(interdict_list_load_memory(fcdo, strlen(fcdo), "hf", &list, NULL) == INTERDICT_OK);
    CHECK(list && strcmp(interdict_list_format(list), "uk-fcdo-csv") == 0);
    CHECK(list && strcmp(interdict_list_generated(list), "2025-04-03") == 0);
    const interdict_entry *e = find_entry(list, "RUS0001");
    CHECK(e && has_name(e, "Ivan PETROV", INTERDICT_NAME_PRIMARY) &&
          has_name(e, "Vanya PETROV", INTERDICT_NAME_ALIAS_LOW));
    interdict_list_free(list);
}

/* ---- Bad input -------------------------------------------------------------------- */

static void test_bad_csv(void)
{
    char a[512], b[512], c[1024];
    interdict_error err;

    /* empty file, and the parser called on nothing */
    load_bad("", 0, INTERDICT_ERR_FORMAT);
    CHECK(parse_direct(1, "", 0, &err) == INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "empty") != NULL);
    CHECK(parse_direct(1, NULL, 0, &err) == INTERDICT_ERR_FORMAT);

    /* preamble only; preamble and header but no rows */
    err = load_bad_str("Last Updated,28/01/2026\n", INTERDICT_ERR_FORMAT);
    CHECK(parse_direct(1, "Last Updated,28/01/2026\n", 24, &err) == INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "no header") != NULL);
    err = load_bad_str(ofsi_file(""), INTERDICT_ERR_FORMAT);
    CHECK(err.line == 2);
    CHECK(strstr(err.message, "no rows") != NULL);

    /* missing columns, all of them named */
    const char *missing = "Last Updated,28/01/2026\nName 6,Name 1,Regime,Group Type\nDOE,John,Russia,Individual\n";
    err = load_bad_str(missing, INTERDICT_ERR_FORMAT);
    CHECK(err.line == 2);
    CHECK_STR(err.field, "Alias Type");
    CHECK(strstr(err.message, "Alias Type") != NULL && strstr(err.message, "Group ID") != NULL);
    const char *fcdo_missing = "Report Date: 28-Jan-2026\nLast Updated,Name 6,Name type\n01/01/2025,DOE,Primary Name\n";
    err = load_bad_str(fcdo_missing, INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "Unique ID") != NULL && strstr(err.message, "Designation Type") != NULL);

    /* a repeated column */
    err = load_bad_str("Last Updated,28/01/2026\nName 6,Name 1,Name 6,Group ID,Group Type,Alias Type\n"
                       "A,B,C,1,Entity,Primary name\n", INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "repeats") != NULL);

    /* a row with the wrong number of fields: named by its line */
    ofsi_row(a, sizeof a, "DOE", "John", "", "Individual", "Primary name", "", "01/02/2022", "1");
    snprintf(c, sizeof c, "%sSMITH,Jane,Individual,Primary name,2\n", a);
    err = load_bad_str(ofsi_file(c), INTERDICT_ERR_FORMAT);
    CHECK(err.line == 4);
    CHECK(strstr(err.message, "36") != NULL);

    /* truncated in the middle of a row, and inside a quoted field */
    const char *good = ofsi_file(a);
    err = load_bad(good, strlen(good) - 20, INTERDICT_ERR_FORMAT);
    CHECK(err.line == 3);
    ofsi_row(b, sizeof b, "DOE", "John", "(UK Sanctions List Ref):RUS0001 a note", "Individual",
             "Primary name", "", "01/02/2022", "1");
    good = ofsi_file(b);
    size_t cut = (size_t)(strstr(good, "a note") - good);
    err = load_bad(good, cut, INTERDICT_ERR_PARSE);
    CHECK(err.line == 3);

    /* an unbalanced quote */
    snprintf(c, sizeof c, "%s\"DOE,John,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Primary name,,Russia,,,,1\n", a);
    err = load_bad_str(ofsi_file(c), INTERDICT_ERR_PARSE);
    CHECK(err.line == 4);

    /* invalid UTF-8 */
    ofsi_row(b, sizeof b, "D\xC3\x28OE", "John", "", "Individual", "Primary name", "",
             "01/02/2022", "2");
    snprintf(c, sizeof c, "%s%s", a, b);
    err = load_bad_str(ofsi_file(c), INTERDICT_ERR_ENCODING);
    CHECK(err.line == 4);

    /* the same UK Sanctions List Ref on two groups */
    ofsi_row(a, sizeof a, "DOE", "John", "(UK Sanctions List Ref):RUS0001.", "Individual",
             "Primary name", "", "01/02/2022", "1");
    ofsi_row(b, sizeof b, "ROE", "Richard", "(UK Sanctions List Ref):RUS0001.", "Individual",
             "Primary name", "", "01/02/2022", "2");
    snprintf(c, sizeof c, "%s%s", a, b);
    err = load_bad_str(ofsi_file(c), INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "duplicate") != NULL && strstr(err.message, "RUS0001") != NULL);
    CHECK(err.line == 4 && strstr(err.message, "line 3") != NULL);

    /* two refs within one group */
    ofsi_row(b, sizeof b, "DOE", "Jon", "(UK Sanctions List Ref):RUS0002", "Individual", "AKA",
             "Good", "01/02/2022", "1");
    snprintf(c, sizeof c, "%s%s", a, b);
    err = load_bad_str(ofsi_file(c), INTERDICT_ERR_FORMAT);
    CHECK(err.line == 4 && strstr(err.message, "RUS0001") != NULL);

    /* conflicting types within one group */
    ofsi_row(b, sizeof b, "DOE", "Jon", "", "Entity", "AKA", "Good", "01/02/2022", "1");
    snprintf(c, sizeof c, "%s%s", a, b);
    err = load_bad_str(ofsi_file(c), INTERDICT_ERR_FORMAT);
    CHECK(err.line == 4);
    CHECK_STR(err.field, "Group Type");

    /* unknown vocabularies, bad dates, a row without a group, a target
     * without a name */
    ofsi_row(a, sizeof a, "DOE", "John", "", "Person", "Primary name", "", "01/02/2022", "1");
    err = load_bad_str(ofsi_file(a), INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "Group Type");
    ofsi_row(a, sizeof a, "DOE", "John", "", "Individual", "Nickname", "", "01/02/2022", "1");
    err = load_bad_str(ofsi_file(a), INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "Alias Type");
    ofsi_row(a, sizeof a, "DOE", "John", "", "Individual", "AKA", "Medium", "01/02/2022", "1");
    err = load_bad_str(ofsi_file(a), INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "Alias Quality");
    ofsi_row(a, sizeof a, "DOE", "John", "", "Individual", "Primary name", "", "31/02/2022", "1");
    err = load_bad_str(ofsi_file(a), INTERDICT_ERR_PARSE);
    CHECK_STR(err.field, "Listed On");
    CHECK(err.line == 3);
    ofsi_row(a, sizeof a, "DOE", "John", "", "Individual", "Primary name", "", "01/02/2022", "");
    err = load_bad_str(ofsi_file(a), INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "Group ID");
    ofsi_row(a, sizeof a, "", "", "", "Individual", "Primary name", "", "01/02/2022", "5");
    err = load_bad_str(ofsi_file(a), INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "Name 6");
    CHECK(err.line == 3);
    err = load_bad_str("Last Updated,yesterday\nName 6,Group ID,Group Type,Alias Type\n"
                       "X,1,Entity,Primary name\n", INTERDICT_ERR_PARSE);
    CHECK(err.line == 1);

    /* a preamble date after a weekday, and a time of day after it */
    static const char *const preambles[] = {"Report Date: Wednesday, 28 January 2026",
                                            "Report Date: 28-Jan-2026 09:30"};
    for (size_t i = 0; i < 2; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s\nUnique ID,Name 6,Name type,Designation Type\n"
                 "X1,ACME,Primary Name,Entity\n", preambles[i]);
        interdict_list *pl = NULL;
        CHECK(interdict_list_load_memory(text, strlen(text), "p", &pl, NULL) == INTERDICT_OK);
        CHECK(pl && strcmp(interdict_list_generated(pl), "2026-01-28") == 0);
        interdict_list_free(pl);
    }

    /* blank rows between records are not records */
    ofsi_row(a, sizeof a, "DOE", "John", "", "Individual", "Primary name", "", "01/02/2022", "1");
    snprintf(c, sizeof c, ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n%s", a);
    interdict_list *list = NULL;
    const char *text = ofsi_file(c);
    CHECK(interdict_list_load_memory(text, strlen(text), "ok", &list, NULL) == INTERDICT_OK);
    CHECK(interdict_list_count(list) == 1);
    interdict_list_free(list);
}

static void test_bad_xml(void)
{
    interdict_error err;
    /* truncated */
    const char *cut = "<?xml version=\"1.0\"?><Designations><Designation><UniqueID>X1</UniqueID>";
    err = load_bad_str(cut, INTERDICT_ERR_PARSE);
    CHECK(err.line == 1);
    err = load_bad_str("<ArrayOfFinancialSanctionsTarget><FinancialSanctionsTarget><Name6>A",
                       INTERDICT_ERR_PARSE);

    /* no rows */
    err = load_bad_str("<Designations><DateGenerated>28/01/2026</DateGenerated></Designations>",
                       INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "Designation");
    err = load_bad_str("<ArrayOfFinancialSanctionsTarget/>", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "FinancialSanctionsTarget");

    /* duplicate UniqueID */
    const char *dup =
        "<Designations>\n"
        "<Designation><UniqueID>RUS0001</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>"
        "<Names><Name><Name6>A</Name6><NameType>Primary Name</NameType></Name></Names></Designation>\n"
        "<Designation><UniqueID>RUS0001</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>"
        "<Names><Name><Name6>B</Name6><NameType>Primary Name</NameType></Name></Names></Designation>\n"
        "</Designations>";
    err = load_bad_str(dup, INTERDICT_ERR_FORMAT);
    CHECK(err.line == 3 && strstr(err.message, "RUS0001") != NULL);
    CHECK_STR(err.field, "UniqueID");

    /* the same UK reference on two OFSI groups */
    const char *dup_ofsi =
        "<ArrayOfFinancialSanctionsTarget>\n"
        "<FinancialSanctionsTarget><Name6>A</Name6><GroupTypeDescription>Entity</GroupTypeDescription>"
        "<AliasType>Primary name</AliasType><UKSanctionsListRef>RUS0001</UKSanctionsListRef><GroupID>1</GroupID></FinancialSanctionsTarget>\n"
        "<FinancialSanctionsTarget><Name6>B</Name6><GroupTypeDescription>Entity</GroupTypeDescription>"
        "<AliasType>Primary name</AliasType><UKSanctionsListRef>RUS0001</UKSanctionsListRef><GroupID>2</GroupID></FinancialSanctionsTarget>\n"
        "</ArrayOfFinancialSanctionsTarget>";
    err = load_bad_str(dup_ofsi, INTERDICT_ERR_FORMAT);
    CHECK(err.line == 3 && strstr(err.message, "duplicate") != NULL);
    CHECK_STR(err.field, "UKSanctionsListRef");

    /* missing identifiers and names, unknown types */
    err = load_bad_str("<Designations><Designation><IndividualEntityShip>Entity</IndividualEntityShip>"
                       "</Designation></Designations>", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "UniqueID");
    err = load_bad_str("<Designations><Designation><UniqueID>X1</UniqueID>"
                       "<IndividualEntityShip>Aircraft</IndividualEntityShip></Designation></Designations>",
                       INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "IndividualEntityShip");
    err = load_bad_str("<Designations><Designation><UniqueID>X1</UniqueID>"
                       "<IndividualEntityShip>Entity</IndividualEntityShip></Designation></Designations>",
                       INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "no name") != NULL);
    err = load_bad_str("<Designations><Designation><UniqueID>X1</UniqueID><Names><Name><Name6>A</Name6>"
                       "<NameType>Nickname</NameType></Name></Names></Designation></Designations>",
                       INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "NameType");
    err = load_bad_str("<Designations><Designation><UniqueID>X1</UniqueID><Names><Name><Name6>A</Name6>"
                       "<NameType>Alias</NameType><AliasStrength>So-so</AliasStrength></Name></Names>"
                       "</Designation></Designations>", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "AliasStrength");
    err = load_bad_str("<Designations><Designation><UniqueID>X1</UniqueID><DateDesignated>soon</DateDesignated>"
                       "<Names><Name><Name6>A</Name6></Name></Names></Designation></Designations>",
                       INTERDICT_ERR_PARSE);
    CHECK_STR(err.field, "DateDesignated");
    err = load_bad_str("<Designations><DateGenerated>someday</DateGenerated></Designations>",
                       INTERDICT_ERR_PARSE);
    CHECK_STR(err.field, "DateGenerated");
    err = load_bad_str("<ArrayOfFinancialSanctionsTarget><FinancialSanctionsTarget><Name6>A</Name6>"
                       "</FinancialSanctionsTarget></ArrayOfFinancialSanctionsTarget>",
                       INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "GroupID");
    err = load_bad_str("<ArrayOfFinancialSanctionsTarget><FinancialSanctionsTarget><Name6>A</Name6>"
                       "<Name6>B</Name6><GroupID>1</GroupID></FinancialSanctionsTarget>"
                       "</ArrayOfFinancialSanctionsTarget>", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "Name6");
    err = load_bad_str("<ArrayOfFinancialSanctionsTarget><FinancialSanctionsTarget><Name6>A</Name6>"
                       "<GroupID>1</GroupID><GroupTypeDescription>Ship</GroupTypeDescription></FinancialSanctionsTarget>"
                       "<FinancialSanctionsTarget><Name6>B</Name6><GroupID>1</GroupID>"
                       "<GroupTypeDescription>Entity</GroupTypeDescription></FinancialSanctionsTarget>"
                       "</ArrayOfFinancialSanctionsTarget>", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "GroupTypeDescription");

    /* invalid UTF-8, entities */
    err = load_bad_str("<Designations><Designation><UniqueID>X\xC3\x28</UniqueID></Designation></Designations>",
                       INTERDICT_ERR_ENCODING);
    err = load_bad_str("<?xml version=\"1.0\"?>\n<!DOCTYPE Designations [<!ENTITY x \"y\">]>\n"
                       "<Designations/>", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "DOCTYPE");

    /* too deep */
    char deep[2048] = "<Designations><Designation><UniqueID>X1</UniqueID>";
    for (int i = 0; i < 20; i++)
        strcat(deep, "<a>");
    strcat(deep, "<b/>");
    for (int i = 0; i < 20; i++)
        strcat(deep, "</a>");
    strcat(deep, "</Designation></Designations>");
    err = load_bad_str(deep, INTERDICT_ERR_LIMIT);

    /* a non-Latin name given as bare text */
    const char *bare = "<Designations><Designation><UniqueID>X1</UniqueID><Names><Name><Name6>A</Name6>"
                       "<NameType>Primary Name</NameType></Name></Names><NonLatinNames>"
                       "<NonLatinName>\xD0\x90</NonLatinName></NonLatinNames></Designation></Designations>";
    interdict_list *list = NULL;
    CHECK(interdict_list_load_memory(bare, strlen(bare), "x", &list, NULL) == INTERDICT_OK);
    CHECK(list && has_name(interdict_list_entry(list, 0), "\xD0\x90", INTERDICT_NAME_ORIGINAL));
    interdict_list_free(list);

    /* another root, given to the UK parser directly */
    const char *other = "<export/>";
    CHECK(parse_direct(0, other, strlen(other), &err) == INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "export") != NULL);
    CHECK(parse_direct(0, "", 0, &err) != INTERDICT_OK);
}

/* OFSI's XML rows of one target need not sit together either, and a
 * root-level date wins over the rows' LastUpdated. */
static void test_ofsi_xml_grouping(void)
{
    const char *xml =
        "<ArrayOfFinancialSanctionsTarget xmlns=\"http://schemas.hmtreasury.gov.uk/ofsi/consolidatedlist\">"
        "<DateGenerated>2026-01-28T10:00:00</DateGenerated>"
        "<FinancialSanctionsTarget><Name6>B CORP</Name6><GroupTypeDescription>Entity</GroupTypeDescription>"
        "<AliasType>Primary name</AliasType><GroupID>20</GroupID><LastUpdated>2026-01-29T00:00:00</LastUpdated></FinancialSanctionsTarget>"
        "<FinancialSanctionsTarget><Name6>A LTD</Name6><GroupTypeDescription>Entity</GroupTypeDescription>"
        "<AliasType>Primary name</AliasType><GroupID>10</GroupID></FinancialSanctionsTarget>"
        "<FinancialSanctionsTarget><Name6>B CO</Name6><AliasType>AKA</AliasType>"
        "<AliasQuality>Low quality</AliasQuality><GroupID>20</GroupID></FinancialSanctionsTarget>"
        "</ArrayOfFinancialSanctionsTarget>";
    interdict_list *list = NULL;
    CHECK(interdict_list_load_memory(xml, strlen(xml), "x", &list, NULL) == INTERDICT_OK);
    if (!list)
        return;
    CHECK(interdict_list_count(list) == 2);
    CHECK_STR(interdict_list_entry(list, 0)->ref, "OFSI-20");
    CHECK_STR(interdict_list_entry(list, 1)->ref, "OFSI-10");
    CHECK(has_name(interdict_list_entry(list, 0), "B CO", INTERDICT_NAME_ALIAS_LOW));
    CHECK_STR(interdict_list_generated(list), "2026-01-28");
    interdict_list_free(list);
}

int main(void)
{
    test_ofsi_csv();
    test_ofsi_xml();
    test_fcdo_csv();
    test_fcdo_xml();
    test_screening();
    test_sniff();
    test_header_first();
    test_bad_csv();
    test_bad_xml();
    test_ofsi_xml_grouping();
    interdict_thread_cleanup();
    CHECK_DONE();
}
