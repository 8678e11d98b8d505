/* test_un_xml.c - the UN Consolidated List parser and list loading.
 *
 * Uses the bundled list (data/un/consolidated.xml, generated 2026-02-27)
 * for the real-world quirks, and small fixtures in tests/data/un/ for
 * every field and every way a file can be wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "interdict.h"

#define UN_DATA TEST_DATA_DIR "/un/"

/* ---- Helpers --------------------------------------------------------------- */

/* The entry one of whose names is `text`. */
static const interdict_entry *find_by_name(const interdict_list *list, const char *text)
{
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        for (size_t k = 0; k < e->n_names; k++)
            if (strcmp(e->names[k].text, text) == 0)
                return e;
    }
    return NULL;
}

static int any_name_contains(const interdict_list *list, const char *needle)
{
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        for (size_t k = 0; k < e->n_names; k++)
            if (strstr(e->names[k].text, needle))
                return 1;
    }
    return 0;
}

/* Loads a fixture that must fail; checks the status and the file named. */
static interdict_error load_bad(const char *path, interdict_status want)
{
    return load_bad_file(path, want, path);
}

static interdict_error load_bad_memory(const char *data, size_t len, interdict_status want)
{
    return load_bad_data(data, len, "mem.xml", want);
}

/* ---- The bundled list ------------------------------------------------------ */

static void check_entry_invariants(const interdict_entry *e)
{
    CHECK(e->ref && e->ref[0]);
    CHECK_STR(e->list, "un");
    CHECK(e->regime && e->source_id && e->listed_on && e->gender && e->comments);
    CHECK(e->type == INTERDICT_PARTY_PERSON || e->type == INTERDICT_PARTY_ENTITY);
    CHECK(e->n_names >= 1 && e->names[0].kind == INTERDICT_NAME_PRIMARY);
    for (size_t k = 0; k < e->n_names; k++) {
        const char *t = e->names[k].text;
        CHECK(t && t[0] && t[0] != ' ' && t[strlen(t) - 1] != ' ');
        CHECK(!strstr(t, "  ") && !strchr(t, '\n') && !strstr(t, "\xC2\xA0"));
        CHECK(k == 0 || e->names[k].kind != INTERDICT_NAME_PRIMARY);
        if (k > 0)  /* a primary listing alternatives is split into aliases */
            CHECK(!strchr(t, ';'));
    }
    for (size_t k = 0; k < e->n_documents; k++)
        CHECK(e->documents[k].type && e->documents[k].number &&
              e->documents[k].country && e->documents[k].note);
    for (size_t k = 0; k < e->n_addresses; k++)
        CHECK(e->addresses[k].text && e->addresses[k].country &&
              (e->addresses[k].text[0] || e->addresses[k].country[0]));
    for (size_t k = 0; k < e->n_dobs; k++)
        CHECK(e->dobs[k].kind != INTERDICT_DATE_TEXT || e->dobs[k].note);
}

static void test_bundled_counts(const interdict_list *list)
{
    CHECK(interdict_list_count(list) == 1003);
    size_t persons = 0, entities = 0;
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        persons += e->type == INTERDICT_PARTY_PERSON;
        entities += e->type == INTERDICT_PARTY_ENTITY;
        check_entry_invariants(e);
    }
    CHECK(persons == 730);
    CHECK(entities == 273);
    CHECK_STR(interdict_list_id(list), "un");
    CHECK_STR(interdict_list_generated(list), "2026-02-27");
    CHECK_STR(interdict_list_source(list), BUNDLED_LIST);
    CHECK(interdict_list_entry(list, 1003) == NULL);
}

static void test_zawahiri(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "QDi.006");
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(e->type == INTERDICT_PARTY_PERSON);
    CHECK_STR(e->regime, "Al-Qaida");
    CHECK_STR(e->listed_on, "2001-01-25");
    CHECK_STR(e->source_id, "111923");
    CHECK_STR(e->names[0].text, "AIMAN MUHAMMED RABI AL-ZAWAHIRI");
    CHECK(has_name(e, "أيمن محمد ربيع الظواهري", INTERDICT_NAME_ORIGINAL));
    CHECK(has_name(e, "Ayman Al-Zawahari", INTERDICT_NAME_ALIAS_GOOD));
    CHECK(has_name(e, "Abu Mohammed", INTERDICT_NAME_ALIAS_LOW));
    int dob = 0;
    for (size_t k = 0; k < e->n_dobs; k++) {
        const interdict_date *d = &e->dobs[k];
        dob |= d->kind == INTERDICT_DATE_EXACT && d->from_year == 1951 && d->from_month == 6 &&
               d->from_day == 19 && d->to_year == 1951 && d->to_month == 6 && d->to_day == 19;
    }
    CHECK(dob);
    CHECK(e->n_nationalities == 1 && strcmp(e->nationalities[0], "Egypt") == 0);
    int passport = 0;
    for (size_t k = 0; k < e->n_documents; k++)
        passport |= strcmp(e->documents[k].number, "1084010") == 0 &&
                    strcmp(e->documents[k].type, "Passport") == 0 &&
                    strcmp(e->documents[k].country, "Egypt") == 0;
    CHECK(passport);
    CHECK(e->n_places_of_birth == 1 && strcmp(e->places_of_birth[0], "Giza, Egypt") == 0);
}

/* The quirks of the real file, each checked on the entry that has it. */
static void test_bundled_quirks(const interdict_list *list)
{
    /* "Azim Adhajani; Azim Agha-Jani": two aliases */
    const interdict_entry *e = find_by_name(list, "Azim Adhajani");
    CHECK(has_name(e, "Azim Adhajani", INTERDICT_NAME_ALIAS_GOOD));
    CHECK(has_name(e, "Azim Agha-Jani", INTERDICT_NAME_ALIAS_GOOD));
    CHECK(!any_name_contains(list, "Adhajani;"));

    /* "Jin Tiesan (金铁三)": the alias and its original script */
    e = find_by_name(list, "Jin Tiesan");
    CHECK(has_name(e, "Jin Tiesan", INTERDICT_NAME_ALIAS_GOOD));
    CHECK(has_name(e, "金铁三", INTERDICT_NAME_ORIGINAL));
    e = find_by_name(list, "Akrin Saleh Akrin");
    CHECK(e != NULL);
    CHECK(has_name(e, "أقرين صالح أقرين", INTERDICT_NAME_ORIGINAL));
    CHECK(!any_name_contains(list, "(金铁三)"));

    /* "Original (Latin; Latin)": both directions */
    e = find_by_name(list, "Hassan Ghul");
    CHECK(e != NULL);
    CHECK(has_name(e, "حسن غول", INTERDICT_NAME_ORIGINAL));
    CHECK(has_name(e, "Hasan Gul", INTERDICT_NAME_ALIAS_GOOD));

    /* "(original script: Амир Хазмат)" */
    e = find_by_name(list, "Amir Khazmat");
    CHECK(e != NULL);
    CHECK(has_name(e, "Амир Хазмат", INTERDICT_NAME_ORIGINAL));

    /* notes in parentheses and ", born ..." tails are not names */
    CHECK(find_by_name(list, "Encep Nurjaman") != NULL);
    CHECK(!any_name_contains(list, "(birth name)"));
    CHECK(find_by_name(list, "Abdel Ilah Sabri") != NULL);
    CHECK(!any_name_contains(list, "false identity"));
    CHECK(find_by_name(list, "Safia Farkash Mohammed Al-Hadad") != NULL);
    CHECK(!any_name_contains(list, "born"));
    CHECK(!any_name_contains(list, "passport"));

    /* abbreviations belong to entity names */
    CHECK(find_by_name(list, "General Department of Atomic Energy (GDAE)") != NULL);

    /* a line break in the middle of an original-script name */
    CHECK(find_by_name(list, "حركة التوحيد والجهاد في غرب إفريقيا") != NULL);

    /* placeholder aliases and documents are skipped, not kept empty */
    e = find_entry(list, "CDi.001");
    CHECK(e && e->n_names == 1 && e->n_documents == 0);
    CHECK(e && e->n_dobs == 1 && e->dobs[0].from_year == 1971 && e->dobs[0].from_month == 0);
    CHECK(e && e->n_addresses == 1 && strcmp(e->addresses[0].country, "Rwanda") == 0 &&
          e->addresses[0].text[0] == '\0');
}

static void test_bundled(void)
{
    interdict_list *list = NULL;
    interdict_error err;
    memset(&err, 0, sizeof err);
    interdict_status rc = interdict_list_load(BUNDLED_LIST, &list, &err);
    CHECK(rc == INTERDICT_OK);
    if (rc != INTERDICT_OK) {
        char buf[512];
        fprintf(stderr, "cannot load bundled list: %s\n", interdict_error_format(&err, buf, sizeof buf));
        return;
    }
    test_bundled_counts(list);
    test_zawahiri(list);
    test_bundled_quirks(list);
    interdict_list_free(list);
}

/* ---- The small fixture ----------------------------------------------------- */

static void test_small_person(const interdict_entry *e)
{
    CHECK_STR(e->ref, "TSi.001");
    CHECK_STR(e->source_id, "9000001");
    CHECK_STR(e->regime, "Test");
    CHECK_STR(e->listed_on, "2020-01-02");
    CHECK_STR(e->gender, "Male");
    CHECK_STR(e->comments, "Made up for the tests & nothing else.");
    CHECK(e->type == INTERDICT_PARTY_PERSON);

    static const char *const names[] = {
        "JOHN QUINCY EXAMPLE", "Jon Exampel", "Johnny Example", "Abu Test", "Ivan Primerov",
        "Иван Примеров", "John Sample", "John Q. Example", "جون مثال"};
    static const interdict_name_kind kinds[] = {
        INTERDICT_NAME_PRIMARY, INTERDICT_NAME_ALIAS_GOOD, INTERDICT_NAME_ALIAS_GOOD,
        INTERDICT_NAME_ALIAS_LOW, INTERDICT_NAME_ALIAS_GOOD, INTERDICT_NAME_ORIGINAL,
        INTERDICT_NAME_ALIAS_GOOD, INTERDICT_NAME_ALIAS_GOOD, INTERDICT_NAME_ORIGINAL};
    CHECK(e->n_names == 9);
    for (size_t k = 0; k < 9 && k < e->n_names; k++) {
        CHECK_STR(e->names[k].text, names[k]);
        CHECK(e->names[k].kind == kinds[k]);
    }

    CHECK(e->n_dobs == 4);
    if (e->n_dobs == 4) {
        const interdict_date *d = e->dobs;
        CHECK(d[0].kind == INTERDICT_DATE_EXACT && d[0].from_year == 1960 &&
              d[0].from_month == 1 && d[0].from_day == 31 && d[0].to_day == 31 && !d[0].note);
        CHECK(d[1].kind == INTERDICT_DATE_APPROX && d[1].from_year == 1961 &&
              d[1].from_month == 0 && d[1].to_year == 1961);
        CHECK(d[2].kind == INTERDICT_DATE_RANGE && d[2].from_year == 1958 &&
              d[2].to_year == 1963);
        /* 30 February: kept as text, with the list's own note */
        CHECK(d[3].kind == INTERDICT_DATE_TEXT);
        CHECK_STR(d[3].note, "1962-02-30; as written");
    }
    CHECK(e->n_places_of_birth == 1);
    CHECK_STR(e->places_of_birth[0], "Testville, Utopia");
    CHECK(e->n_nationalities == 2);
    CHECK_STR(e->nationalities[1], "Atlantis");
    CHECK(e->n_titles == 1);
    CHECK_STR(e->titles[0], "Dr.");
    CHECK(e->n_designations == 1);
    CHECK_STR(e->designations[0], "Director of Testing");
    CHECK(e->n_documents == 2);
    if (e->n_documents == 2) {
        CHECK_STR(e->documents[0].type, "Passport (Diplomatic)");
        CHECK_STR(e->documents[0].number, "P123456");
        CHECK_STR(e->documents[0].country, "Utopia");
        CHECK_STR(e->documents[0].note, "expired");
        CHECK_STR(e->documents[1].country, "Atlantis");   /* COUNTRY_OF_ISSUE */
        CHECK_STR(e->documents[1].note, "");
    }
    CHECK(e->n_addresses == 1);
    CHECK_STR(e->addresses[0].text, "1 Test Street, Testville, Province, 12345");
    CHECK_STR(e->addresses[0].country, "Utopia");
}

static void test_small_others(const interdict_entry *jane, const interdict_entry *company)
{
    CHECK_STR(jane->ref, "TSi.002");
    CHECK_STR(jane->gender, "");
    CHECK_STR(jane->comments, "");
    CHECK(jane->n_names == 2);
    CHECK(has_name(jane, "Janey", INTERDICT_NAME_ALIAS_LOW));   /* quotes dropped */
    CHECK(jane->n_dobs == 1 && jane->dobs[0].kind == INTERDICT_DATE_EXACT &&
          jane->dobs[0].from_year == 1970 && jane->dobs[0].from_month == 7 &&
          jane->dobs[0].from_day == 8);                          /* time zone ignored */
    CHECK(jane->n_documents == 0 && jane->n_addresses == 0 && jane->n_titles == 0);

    CHECK_STR(company->ref, "TSe.001");
    CHECK(company->type == INTERDICT_PARTY_ENTITY);
    CHECK_STR(company->names[0].text, "EXAMPLE TRADING COMPANY (ETC)");
    CHECK(has_name(company, "Example Trading (Southern Branch)", INTERDICT_NAME_ALIAS_GOOD));
    CHECK(has_name(company, "شركة المثال", INTERDICT_NAME_ORIGINAL));
    CHECK(has_name(company, "Example Company", INTERDICT_NAME_ALIAS_GOOD));
    CHECK(has_name(company, "Sample Company", INTERDICT_NAME_ALIAS_GOOD));
    CHECK(company->n_addresses == 1);
    CHECK_STR(company->addresses[0].text, "2 Harbour Road, Port Test");
    CHECK(company->n_dobs == 0);
}

static void test_small(void)
{
    interdict_list *list = NULL;
    interdict_error err;
    interdict_status rc = interdict_list_load(UN_DATA "small.xml", &list, &err);
    CHECK(rc == INTERDICT_OK);
    if (rc != INTERDICT_OK)
        return;
    CHECK(interdict_list_count(list) == 3);
    CHECK_STR(interdict_list_generated(list), "2025-03-04");
    CHECK_STR(interdict_list_source(list), UN_DATA "small.xml");
    if (interdict_list_count(list) == 3) {
        test_small_person(interdict_list_entry(list, 0));
        test_small_others(interdict_list_entry(list, 1), interdict_list_entry(list, 2));
    }
    interdict_list_free(list);
}

/* From memory, behind a byte order mark, with no name given. */
static void test_memory(void)
{
    size_t len = 0;
    char *data = read_file(UN_DATA "small.xml", &len);
    CHECK(data != NULL);
    if (!data)
        return;
    char *bom = malloc(len + 3);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, data, len);
    interdict_list *list = NULL;
    CHECK(interdict_list_load_memory(bom, len + 3, NULL, &list, NULL) == INTERDICT_OK);
    CHECK(interdict_list_count(list) == 3);
    CHECK_STR(interdict_list_source(list), "<memory>");
    interdict_list_free(list);
    free(bom);
    free(data);
}

/* ---- Bad input ---------------------------------------------------------------- */

static void test_truncated(void)
{
    size_t len = 0;
    char *data = read_file(BUNDLED_LIST, &len);
    CHECK(data != NULL && len > 1000);
    if (!data)
        return;
    interdict_error err = load_bad_memory(data, len / 2, INTERDICT_ERR_PARSE);
    CHECK(err.line > 1000);             /* where the text ends, not line 1 */
    CHECK(err.message[0] != '\0');
    CHECK(err.message[strlen(err.message) - 1] != '\n');
    free(data);
}

static void test_not_a_list(void)
{
    interdict_error err = load_bad(UN_DATA "not_xml.txt", INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "not a known list format") != NULL);
    err = load_bad(UN_DATA "other_root.xml", INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "<sanctionsList>") != NULL);
    CHECK(err.line == 2);
    err = load_bad(UN_DATA "empty.xml", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.message, "empty file");
    err = load_bad(UN_DATA "no_entries.xml", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.message, "list has no entries");

    static const char spaces[] = " \n\t\n";
    err = load_bad_memory(spaces, sizeof spaces - 1, INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "not a known list format") != NULL);
    static const char comment_only[] = "<?xml version=\"1.0\"?><!-- <CONSOLIDATED_LIST> -->";
    err = load_bad_memory(comment_only, sizeof comment_only - 1, INTERDICT_ERR_FORMAT);
    static const char wrong_root[] = "<!-- x -->\n<?pi?>\n<foo/>";
    err = load_bad_memory(wrong_root, sizeof wrong_root - 1, INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "(root element <foo>)") != NULL);
    CHECK(err.line == 3);
}

static void test_bad_entries(void)
{
    interdict_error err = load_bad(UN_DATA "no_ref.xml", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "REFERENCE_NUMBER");
    CHECK(err.line == 9);
    err = load_bad(UN_DATA "dup_ref.xml", INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "REFERENCE_NUMBER");
    CHECK(err.line == 10);
    CHECK(strstr(err.message, "TSi.020") != NULL);

    static const char no_name[] =
        "<CONSOLIDATED_LIST><INDIVIDUALS>\n<INDIVIDUAL>\n<FIRST_NAME> </FIRST_NAME>"
        "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
    err = load_bad_memory(no_name, sizeof no_name - 1, INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "FIRST_NAME");
    CHECK(err.line == 2);
    CHECK(strstr(err.message, "X.1") != NULL);
}

static void test_bad_encoding(void)
{
    interdict_error err = load_bad(UN_DATA "bad_utf8.xml", INTERDICT_ERR_ENCODING);
    CHECK(err.line == 5);

    static const char overlong[] =
        "<CONSOLIDATED_LIST>\n<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A\xC0\xAF</FIRST_NAME>"
        "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
    err = load_bad_memory(overlong, sizeof overlong - 1, INTERDICT_ERR_ENCODING);
    CHECK(err.line == 2);
}

/* Entity declarations are refused before anything is expanded or read. */
static void test_entities(void)
{
    interdict_error err = load_bad(UN_DATA "billion_laughs.xml", INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "entities not allowed") != NULL);
    CHECK(err.line == 3);
    CHECK_STR(err.field, "DOCTYPE");
    err = load_bad(UN_DATA "xxe.xml", INTERDICT_ERR_FORMAT);
    CHECK(strstr(err.message, "entities not allowed") != NULL);
    CHECK(err.line == 3);

    /* an external DTD is not fetched, so the reference stays empty */
    interdict_list *list = NULL;
    interdict_status rc = interdict_list_load(UN_DATA "xxe_dtd.xml", &list, NULL);
    if (rc == INTERDICT_OK) {
        CHECK(!any_name_contains(list, "root:"));
        CHECK(!any_name_contains(list, "/bin/"));
        CHECK_STR(interdict_list_entry(list, 0)->names[0].text, "EXTERNAL SUBSET");
        interdict_list_free(list);
    } else {
        CHECK(rc == INTERDICT_ERR_PARSE || rc == INTERDICT_ERR_FORMAT);
    }
}

/* LISTED_ON as an xs:date with a time zone (older files) keeps its day;
 * text that is no date stays as written. */
static void test_listed_on(void)
{
    static const char xml[] =
        "<CONSOLIDATED_LIST dateGenerated=\"2018-10-29T00:00:00\"><INDIVIDUALS>"
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ZONED</FIRST_NAME>"
        "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>"
        "<LISTED_ON>2001-01-25-05:00</LISTED_ON></INDIVIDUAL>"
        "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>UTC</FIRST_NAME>"
        "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.002</REFERENCE_NUMBER>"
        "<LISTED_ON>2003-02-01Z</LISTED_ON></INDIVIDUAL>"
        "<INDIVIDUAL><DATAID>3</DATAID><FIRST_NAME>WORDS</FIRST_NAME>"
        "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.003</REFERENCE_NUMBER>"
        "<LISTED_ON>early 2001</LISTED_ON></INDIVIDUAL>"
        "</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>";
    interdict_list *list = NULL;
    interdict_error err;
    CHECK(interdict_list_load_memory(xml, sizeof xml - 1, "zoned.xml", &list, &err) ==
          INTERDICT_OK);
    if (!list)
        return;
    CHECK(interdict_list_count(list) == 3);
    CHECK_STR(interdict_list_entry(list, 0)->listed_on, "2001-01-25");
    CHECK_STR(interdict_list_entry(list, 1)->listed_on, "2003-02-01");
    CHECK_STR(interdict_list_entry(list, 2)->listed_on, "early 2001");
    interdict_list_free(list);
}

/* A BETWEEN date of birth that gives a DATE instead of FROM_YEAR and
 * TO_YEAR keeps the date as written, never an empty text. */
static void test_between_with_a_date(void)
{
    static const char xml[] =
        "<CONSOLIDATED_LIST dateGenerated=\"2018-10-29T00:00:00\"><INDIVIDUALS>"
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>RANGED</FIRST_NAME>"
        "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>"
        "<LISTED_ON>2001-01-25</LISTED_ON><INDIVIDUAL_DATE_OF_BIRTH>"
        "<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><DATE>1962-02-30</DATE>"
        "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>"
        "</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>";
    interdict_list *list = NULL;
    interdict_error err;
    CHECK(interdict_list_load_memory(xml, sizeof xml - 1, "between.xml", &list, &err) ==
          INTERDICT_OK);
    if (!list)
        return;
    const interdict_entry *e = interdict_list_entry(list, 0);
    CHECK(e->n_dobs == 1 && e->dobs[0].kind == INTERDICT_DATE_TEXT && e->dobs[0].note);
    if (e->n_dobs == 1 && e->dobs[0].note)
        CHECK_STR(e->dobs[0].note, "1962-02-30");
    interdict_list_free(list);
}

/* Fields holding more than text, and documents whose entries are read from
 * the whole tree: the same entries as from plain text. */
static const char *first_name_of(const char *xml, size_t len)
{
    static char name[128];
    interdict_list *list = load_list_data(xml, len, "markup.xml");
    name[0] = '\0';
    if (list && interdict_list_count(list) == 1)
        snprintf(name, sizeof name, "%s", interdict_list_entry(list, 0)->names[0].text);
    interdict_list_free(list);
    return name;
}

static void test_markup_in_fields(void)
{
    static const struct {
        const char *field, *name;
    } cases[] = {
        {"<FIRST_NAME>  Abu&amp;  Bakr\r\n  </FIRST_NAME>", "Abu& Bakr"},
        {"<FIRST_NAME>&#65;&#x42; &lt;C&gt;</FIRST_NAME>", "AB <C>"},
        {"<FIRST_NAME>A&amp;   \rB</FIRST_NAME>", "A& B"},
        {"<FIRST_NAME>AB<!-- note -->CD</FIRST_NAME>", "ABCD"},
        {"<FIRST_NAME><![CDATA[Q  R]]></FIRST_NAME>", "Q R"},
        {"<FIRST_NAME>A<b>B</b> <i>C</i></FIRST_NAME>", "AB C"},
        {"<FIRST_NAME lang=\"ar\">Omar</FIRST_NAME>", "Omar"},
        {"<x:FIRST_NAME xmlns:x=\"urn:x\">Omar</x:FIRST_NAME>", "Omar"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char xml[512];
        int n = snprintf(xml, sizeof xml,
                         "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>%s<REFERENCE_NUMBER>"
                         "X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
                         cases[i].field);
        const char *got = first_name_of(xml, (size_t)n);
        if (strcmp(got, cases[i].name) != 0)
            fprintf(stderr, "case %zu: \"%s\"\n", i, got);
        CHECK_STR(got, cases[i].name);
    }

    /* the bundled list with a comment in a name of its last entry: every
     * entry once, those read before it included */
    size_t len = 0;
    char *data = read_file(BUNDLED_LIST, &len);
    CHECK(data != NULL);
    if (!data)
        return;
    const char *last = NULL;
    for (const char *at = data; (at = strstr(at, "<FIRST_NAME>")) != NULL; at++)
        last = at;
    CHECK(last != NULL);
    if (last) {
        size_t head = (size_t)(last - data) + strlen("<FIRST_NAME>");
        char *edited = malloc(len + 16);
        memcpy(edited, data, head);
        memcpy(edited + head, "<!-- -->", 8);
        memcpy(edited + head + 8, data + head, len - head);
        interdict_list *plain = load_list_data(data, len, "a.xml");
        interdict_list *list = load_list_data(edited, len + 8, "b.xml");
        CHECK(plain && list && interdict_list_count(list) == interdict_list_count(plain));
        for (size_t i = 0; plain && list && i < interdict_list_count(list); i++) {
            const interdict_entry *a = interdict_list_entry(plain, i);
            const interdict_entry *b = interdict_list_entry(list, i);
            CHECK_STR(b->ref, a->ref);
            CHECK(b->n_names == a->n_names);
            CHECK(b->n_names && a->n_names && !strcmp(b->names[0].text, a->names[0].text));
        }
        interdict_list_free(plain);
        interdict_list_free(list);
        free(edited);
    }
    free(data);
}

/* Past line 65535 libxml2 finds a node's line from the nodes around it: an
 * entry without a reference there is still reported on its own line. */
static void test_far_lines(void)
{
    enum { BLANK = 70000 };
    static const char head[] = "<CONSOLIDATED_LIST><INDIVIDUALS>";
    static const char tail[] =
        "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>"
        "</INDIVIDUAL>\n<INDIVIDUAL><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>\n"
        "</INDIVIDUALS></CONSOLIDATED_LIST>";
    size_t len = strlen(head) + BLANK + strlen(tail);
    char *xml = malloc(len + 1);
    memcpy(xml, head, strlen(head));
    memset(xml + strlen(head), '\n', BLANK);
    memcpy(xml + strlen(head) + BLANK, tail, strlen(tail) + 1);
    interdict_error err = load_bad_memory(xml, len, INTERDICT_ERR_FORMAT);
    CHECK_STR(err.field, "REFERENCE_NUMBER");
    CHECK(err.line == BLANK + 2);
    free(xml);
}

static void test_io(void)
{
    interdict_error err = load_bad(UN_DATA "does-not-exist.xml", INTERDICT_ERR_IO);
    CHECK(strstr(err.message, "No such file") != NULL);
    CHECK(err.line == 0);
    err = load_bad(UN_DATA, INTERDICT_ERR_IO);          /* a directory */

    interdict_list *list = NULL;
    CHECK(interdict_list_load(NULL, &list, NULL) == INTERDICT_ERR_INVALID);
    CHECK(interdict_list_load_memory(NULL, 5, "x", &list, NULL) == INTERDICT_ERR_INVALID);
    interdict_list_free(NULL);
    CHECK(interdict_list_count(NULL) == 0);
    CHECK(interdict_list_entry(NULL, 0) == NULL);
}

/* A sparse file one byte over the limit: refused from its size alone. */
static void test_too_large(void)
{
    char path[] = "/tmp/interdict_test_un_xml_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    if (ftruncate(fd, (off_t)512 * 1024 * 1024 + 1) == 0) {
        interdict_error err = load_bad(path, INTERDICT_ERR_LIMIT);
        CHECK(strstr(err.message, "512 MB") != NULL);
    }
    close(fd);
    unlink(path);
}

int main(void)
{
    test_bundled();
    test_small();
    test_memory();
    test_truncated();
    test_not_a_list();
    test_bad_entries();
    test_bad_encoding();
    test_entities();
    test_listed_on();
    test_between_with_a_date();
    test_markup_in_fields();
    test_far_lines();
    test_io();
    test_too_large();
    CHECK_DONE();
}
