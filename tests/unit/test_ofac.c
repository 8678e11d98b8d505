/* test_ofac.c - the OFAC parsers: the legacy CSV set and sdn.xml.
 *
 * tests/data/ofac/ holds a slice of OFAC's CSV set (36 SDN and 10
 * consolidated entries with all their address, alias and comment rows, kept
 * byte for byte) and a hand-made sdn.xml. Broken sets are written to a
 * temporary folder. The full CSV set, when it sits in shared/data/ofac
 * beside the repository (or in $INTERDICT_OFAC_DATA), is loaded too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "interdict.h"
#include "list/list.h"

#define OFAC_DATA TEST_DATA_DIR "/ofac/"

/* ---- Helpers --------------------------------------------------------------- */

static int has_dob(const interdict_entry *e, interdict_date_kind kind, int y, int m, int d,
                   int to_y, int to_m, int to_d)
{
    for (size_t k = 0; e && k < e->n_dobs; k++) {
        const interdict_date *x = &e->dobs[k];
        if (x->kind == kind && x->from_year == y && x->from_month == m && x->from_day == d &&
            x->to_year == to_y && x->to_month == to_m && x->to_day == to_d)
            return 1;
    }
    return 0;
}

/* What every loaded entry promises (interdict.h). */
static void check_invariants(const interdict_list *list, const char *id)
{
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        CHECK(e->ref[0] && strcmp(e->ref, e->source_id) == 0);
        CHECK_STR(e->list, id);
        CHECK(e->regime && e->listed_on && e->gender && e->comments);
        CHECK(e->type != INTERDICT_PARTY_UNKNOWN);
        CHECK(e->n_names >= 1 && e->names[0].kind == INTERDICT_NAME_PRIMARY);
        CHECK(e->n_programs >= 1 && strcmp(e->regime, e->programs[0]) == 0);
        for (size_t k = 0; k < e->n_names; k++) {
            const char *t = e->names[k].text;
            CHECK(t[0] && t[0] != ' ' && t[strlen(t) - 1] != ' ' && !strstr(t, "  "));
            CHECK(k == 0 || e->names[k].kind != INTERDICT_NAME_PRIMARY);
            CHECK(strcmp(t, "-0-") != 0);
        }
        for (size_t k = 0; k < e->n_programs; k++)
            CHECK(e->programs[k][0] && !strchr(e->programs[k], '[') &&
                  !strchr(e->programs[k], ']'));
        for (size_t k = 0; k < e->n_documents; k++)
            CHECK(e->documents[k].type[0] && e->documents[k].number[0] &&
                  e->documents[k].country && e->documents[k].note);
        for (size_t k = 0; k < e->n_dobs; k++)
            CHECK(e->dobs[k].kind != INTERDICT_DATE_TEXT || e->dobs[k].note);
        CHECK(strncmp(e->comments, "-0-", 3) != 0);
    }
}

static char *read_all(const char *path, size_t *len)
{
    char *data = NULL;
    interdict_error err;
    if (list_read_file(path, &data, len, &err) != INTERDICT_OK)
        return NULL;
    return data;
}

/* ---- The CSV slice ------------------------------------------------------------- */

static void test_csv_people(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "6365");
    CHECK(e && e->type == INTERDICT_PARTY_PERSON);
    if (!e)
        return;
    CHECK_STR(e->names[0].text, "BIN LADIN, Usama bin Muhammad bin Awad");
    CHECK(e->n_names == 6);
    CHECK(name_kind(e, "BIN LADEN, Osama") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK_STR(e->regime, "SDGT");
    CHECK(e->n_dobs == 2);
    CHECK(has_dob(e, INTERDICT_DATE_EXACT, 1957, 7, 30, 1957, 7, 30));
    CHECK(has_dob(e, INTERDICT_DATE_EXACT, 1958, 0, 0, 1958, 0, 0));
    CHECK(has_string(e->places_of_birth, e->n_places_of_birth, "Jeddah, Saudi Arabia"));
    CHECK(has_string(e->places_of_birth, e->n_places_of_birth, "Yemen"));
    CHECK_STR(e->comments,
              "DOB 30 Jul 1957; alt. DOB 1958; POB Jeddah, Saudi Arabia; alt. POB Yemen.");
    CHECK(e->n_addresses == 0);         /* its address row is all -0- */

    /* documents with their countries, several dates and places */
    e = find_entry(list, "12300");
    CHECK(e && e->n_dobs == 3 && e->n_places_of_birth == 3);
    const interdict_document *d = find_document(e, "Cedula No.", "172489729-1");
    CHECK(d && strcmp(d->country, "Ecuador") == 0);
    d = find_document(e, "Passport", "AL720622");
    CHECK(d && strcmp(d->country, "Colombia") == 0);
    CHECK(find_document(e, "C.U.R.P.", "CIVJ650513HNEFLR06") != NULL);
    CHECK(has_string(e->places_of_birth, e->n_places_of_birth,
                     "Ciudad Victoria, Tamaulipas, Mexico"));
    /* remarks continued mid-word in sdn_comments.csv are joined as they are */
    CHECK(e && strstr(e->comments, "Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL"));
    CHECK(e && has_address(e, "Carrera 8 No. 10-56 Of. 201, Cali", "Colombia"));

    /* a weak alias cut in two by the continuation */
    e = find_entry(list, "28263");
    CHECK(name_kind(e, "snowsjohn") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "tianyinyin0404") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(e && strcmp(e->gender, "Male") == 0);
    CHECK(e && e->n_programs == 2 && strcmp(e->programs[1], "CYBER2") == 0);
    CHECK(find_document(e, "Digital Currency Address - XBT",
                        "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak") != NULL);
    d = find_document(e, "Identification Number", "321284198607120616");
    CHECK(d && strcmp(d->country, "China") == 0);
    CHECK(e && strstr(e->comments, "Email Address 417136259@qq.com"));

    /* ranges, circa, titles, gender, nationality */
    e = find_entry(list, "15962");
    CHECK(has_dob(e, INTERDICT_DATE_RANGE, 1961, 1, 1, 1962, 12, 31));
    CHECK(e && e->n_titles == 3 && strcmp(e->titles[1], "Director, Hong Kong Intertrade Company") == 0);
    e = find_entry(list, "23470");
    CHECK(has_dob(e, INTERDICT_DATE_RANGE, 1962, 3, 0, 1963, 2, 0));
    e = find_entry(list, "15497");
    CHECK(has_dob(e, INTERDICT_DATE_RANGE, 1943, 0, 0, 1944, 0, 0));
    e = find_entry(list, "9342");
    CHECK(has_dob(e, INTERDICT_DATE_APPROX, 1949, 0, 0, 1949, 0, 0));
    CHECK(e && e->n_titles == 1 &&
          strcmp(e->titles[0], "Chief of Syrian Military Intelligence for Lebanon") == 0);
    e = find_entry(list, "23172");
    CHECK(e && strcmp(e->gender, "Female") == 0);
    CHECK(e && has_string(e->nationalities, e->n_nationalities, "India"));
    d = find_document(e, "Passport", "Z2525822");
    CHECK(d && strcmp(d->country, "India") == 0);
    e = find_entry(list, "11747");     /* nationality and alt. nationality */
    CHECK(e && e->n_nationalities == 2 &&
          has_string(e->nationalities, e->n_nationalities, "Sweden"));
    e = find_entry(list, "25476");
    CHECK(e && e->n_programs == 3 && strcmp(e->programs[2], "IFSR") == 0);
    e = find_entry(list, "22100");     /* a name that starts with an apostrophe */
    CHECK(e && strcmp(e->names[0].text, "'ABD-AL-QADIR, Abd-al-'Aziz") == 0);
}

static void test_csv_others(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "306");
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY);
    CHECK(name_kind(e, "NATIONAL BANK OF CUBA") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "BNC") == INTERDICT_NAME_ALIAS_LOW);   /* a.k.a. 'BNC' in remarks */
    CHECK(e && e->n_addresses == 4);
    CHECK(has_address(e, "Zweierstrasse 35, Zurich CH-8022", "Switzerland"));
    CHECK(has_address(e, "Federico Boyd Avenue & 51 Street, Panama City", "Panama"));

    e = find_entry(list, "36");
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY && e->comments[0] == '\0');
    CHECK(name_kind(e, "AERO-CARIBBEAN") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(has_address(e, "Havana", "Cuba"));

    e = find_entry(list, "8244");       /* n.k.a. rows */
    CHECK(name_kind(e, "NUEVO CONTINENTE S.A.") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(find_document(e, "RUC #", "20108363101") != NULL);
    CHECK(find_document(e, "US FEIN", "55-2197267") != NULL);

    e = find_entry(list, "15036");
    CHECK(e && e->type == INTERDICT_PARTY_VESSEL);
    CHECK(find_document(e, "IMO Number", "9187629") != NULL);
    CHECK(find_document(e, "MMSI", "572469210") != NULL);
    CHECK(find_document(e, "Call Sign", "T2EU4") != NULL);
    CHECK(e && e->n_nationalities == 1 && strcmp(e->nationalities[0], "Iran") == 0);
    CHECK(name_kind(e, "ABADAN") == INTERDICT_NAME_ALIAS_GOOD);      /* fka row */
    CHECK(name_kind(e, "ALPHA") == INTERDICT_NAME_ALIAS_LOW);        /* f.k.a. 'ALPHA' */
    CHECK(e && strstr(e->comments, "Linked To: NATIONAL IRANIAN TANKER COMPANY."));
    CHECK(e && strstr(e->comments, "Vessel Type Crude/Oil Products Tanker"));
    CHECK(e && strstr(e->comments, "Tonnage 99,144; GRT 56,068"));
    CHECK(e && !find_document(e, "Former Vessel Flag", "Malta"));

    e = find_entry(list, "15431");
    CHECK(e && e->type == INTERDICT_PARTY_AIRCRAFT);
    CHECK(find_document(e, "Aircraft Serial Number", "1023409321") != NULL);
    CHECK(find_document(e, "Aircraft Construction Number (also called L/N or S/N or F/N)",
                        "8401") != NULL);
    CHECK(e && e->n_documents == 2);    /* model, operator and date stay comments */
}

static void test_csv_slice(void)
{
    interdict_list *list = load_list(OFAC_DATA "sdn.csv");
    if (!list)
        return;
    CHECK_STR(interdict_list_id(list), "ofac");
    CHECK_STR(interdict_list_format(list), "ofac-csv");
    CHECK_STR(interdict_list_generated(list), "");
    CHECK(interdict_list_count(list) == 36);
    check_invariants(list, "ofac");
    test_csv_people(list);
    test_csv_others(list);
    /* entries keep the order of the main file */
    CHECK_STR(interdict_list_entry(list, 0)->ref, "36");
    CHECK_STR(interdict_list_entry(list, 35)->ref, "31831");
    interdict_list_free(list);

    list = load_list(OFAC_DATA "cons_prim.csv");
    if (!list)
        return;
    CHECK_STR(interdict_list_id(list), "ofac-cons");
    CHECK(interdict_list_count(list) == 10);
    check_invariants(list, "ofac-cons");
    const interdict_entry *e = find_entry(list, "9639");
    CHECK(name_kind(e, "HANIYYA, Ismaeel") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(has_dob(e, INTERDICT_DATE_EXACT, 1962, 0, 0, 1962, 0, 0));
    CHECK(has_address(e, "", "") == 0 && e && e->n_addresses == 0);
    e = find_entry(list, "9647");
    CHECK(has_address(e, "", "Region: Gaza"));
    e = find_entry(list, "17016");      /* continued in cons_comments.csv */
    CHECK(e && strstr(e->comments, "Tax ID No. 7744001497 (Russia)"));
    CHECK(find_document(e, "Tax ID No.", "7744001497") != NULL);
    interdict_list_free(list);
}

/* From memory only the main file is read. */
static void test_csv_memory(void)
{
    size_t len = 0;
    char *data = read_all(OFAC_DATA "sdn.csv", &len);
    CHECK(data != NULL);
    if (!data)
        return;
    CHECK(list_sniff_ofac_csv(data, len));
    interdict_list *list = NULL;
    interdict_error err;
    CHECK(interdict_list_load_memory(data, len, "sdn.csv", &list, &err) == INTERDICT_OK);
    CHECK(list && interdict_list_count(list) == 36);
    const interdict_entry *e = list ? find_entry(list, "306") : NULL;
    CHECK(e && e->n_names == 2 && e->n_addresses == 0);    /* primary and 'BNC' */
    CHECK_STR(list ? interdict_list_source(list) : "", "sdn.csv");
    interdict_list_free(list);
    list = NULL;
    CHECK(interdict_list_load_memory(data, len, "cons_prim.csv", &list, &err) == INTERDICT_OK);
    CHECK_STR(list ? interdict_list_id(list) : "", "ofac-cons");
    interdict_list_free(list);
    free(data);

    /* the sniffer claims OFAC main files only */
    static const char *const not_ofac[] = {
        "<?xml version=\"1.0\"?><CONSOLIDATED_LIST/>",
        "{\"id\": \"x\", \"schema\": \"Person\"}\n",
        "Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1\r\n",
        "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,DOB\r\n",
        "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n",                       /* add.csv */
        "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n",                    /* alt.csv */
        "36,\"A\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"\r\n", /* no -0- */
        "36,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",   /* 11 fields */
        "36,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", /* 13 */
        "x36,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        "",
    };
    for (size_t i = 0; i < sizeof not_ofac / sizeof *not_ofac; i++)
        CHECK(!list_sniff_ofac_csv(not_ofac[i], strlen(not_ofac[i])));
    static const char *const ofac[] = {
        "36,\"A, B\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        ("\xEF\xBB\xBF" "36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "),
        "36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \x1A",
    };
    for (size_t i = 0; i < sizeof ofac / sizeof *ofac; i++)
        CHECK(list_sniff_ofac_csv(ofac[i], strlen(ofac[i])));
    size_t un_len = 0;
    char *un = read_all(TEST_DATA_DIR "/un/small.xml", &un_len);
    CHECK(un && !list_sniff_ofac_csv(un, un_len));
    free(un);
}

static interdict_error load_bad_memory(const char *data, size_t len, interdict_status want,
                                       long line);

/* ---- Broken CSV sets ----------------------------------------------------------- */

#define MAIN_CSV                                                                   \
    "10,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"                   \
    "\"DOB 01 Jan 1970; POB Dubai, United Arab Emirates.\"\r\n"                          \
    "20,\"ACME TRADING LLC\",-0- ,\"IRAN] [IFSR\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
static const char ADD_CSV[] = "10,1,-0- ,\"Dubai\",\"United Arab Emirates\",-0- \r\n";
static const char ALT_CSV[] = "20,2,\"aka\",\"ACME LLC\",-0- \r\n";
static const char COMMENTS_CSV[] = "";

static char tmp_dir[256];

static void write_file(const char *name, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fwrite(data, 1, len, f) == len);
    fclose(f);
}

static void write_str(const char *name, const char *data)
{
    write_file(name, data, strlen(data));
}

static void remove_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    unlink(path);
}

/* A complete, good set; tests then break one file. */
static void write_set(void)
{
    write_str("sdn.csv", MAIN_CSV);
    write_str("add.csv", ADD_CSV);
    write_str("alt.csv", ALT_CSV);
    write_str("sdn_comments.csv", COMMENTS_CSV);
}

static void remove_set(void)
{
    static const char *const names[] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv",
                                        "SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        remove_file(names[i]);
}

/* Loads <tmp>/<main> expecting failure; checks the file named in the error
 * (a name under the folder) and the line. Returns the error. */
static interdict_error load_bad(const char *main, interdict_status want, const char *file,
                                long line)
{
    char path[512], want_file[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, main);
    snprintf(want_file, sizeof want_file, "%s/%s", tmp_dir, file);
    interdict_error err = load_bad_file(path, want, want_file);
    CHECK(err.line == line);
    if (err.line != line)
        fprintf(stderr, "  got %s:%ld: %s: %s\n", err.file, err.line, err.field, err.message);
    return err;
}

static interdict_list *load_tmp(const char *main)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, main);
    return load_list(path);
}

static void test_csv_good_set(void)
{
    write_set();
    interdict_list *list = load_tmp("sdn.csv");
    CHECK(list && interdict_list_count(list) == 2);
    const interdict_entry *e = list ? find_entry(list, "20") : NULL;
    CHECK(e && e->n_programs == 2 && strcmp(e->programs[0], "IRAN") == 0 &&
          strcmp(e->programs[1], "IFSR") == 0);
    CHECK(name_kind(e, "ACME LLC") == INTERDICT_NAME_ALIAS_GOOD);
    e = list ? find_entry(list, "10") : NULL;
    CHECK(has_address(e, "Dubai", "United Arab Emirates"));
    CHECK(e && e->n_places_of_birth == 1 &&
          strcmp(e->places_of_birth[0], "Dubai, United Arab Emirates") == 0);
    interdict_list_free(list);

    /* OFAC's own upper-case file names: the side files are looked for in
     * the same case */
    remove_set();
    write_str("SDN.CSV", MAIN_CSV);
    write_str("ADD.CSV", ADD_CSV);
    write_str("ALT.CSV", ALT_CSV);
    write_str("SDN_COMMENTS.CSV", COMMENTS_CSV);
    list = load_tmp("SDN.CSV");
    CHECK(list && interdict_list_count(list) == 2);
    interdict_list_free(list);
    remove_set();
}

static void test_csv_bad_sets(void)
{
    /* a missing side file is named, never skipped */
    write_set();
    remove_file("alt.csv");
    interdict_error err = load_bad("sdn.csv", INTERDICT_ERR_IO, "alt.csv", 0);
    CHECK(strstr(err.message, "alt.csv") != NULL);
    write_set();
    remove_file("sdn_comments.csv");
    load_bad("sdn.csv", INTERDICT_ERR_IO, "sdn_comments.csv", 0);

    /* an alias row of an entry that is not in the main file */
    write_set();
    write_str("alt.csv", "20,2,\"aka\",\"ACME LLC\",-0- \r\n"
                         "999,3,\"aka\",\"NOBODY\",-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "alt.csv", 2);
    CHECK_STR(err.field, "ent_num");
    CHECK(strstr(err.message, "999") && strstr(err.message, "sdn.csv"));
    write_set();
    write_str("add.csv", "30,1,-0- ,\"Paris\",\"France\",-0- \r\n");
    load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "add.csv", 1);
    write_set();
    write_str("sdn_comments.csv", "\r\n\r\n31,\"more text\"\r\n");
    load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn_comments.csv", 3);

    /* a repeated ent_num in the main file */
    write_set();
    write_str("sdn.csv", MAIN_CSV
              "10,\"DOE, Jane\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn.csv", 3);
    CHECK_STR(err.field, "ent_num");
    CHECK(strstr(err.message, "duplicate") && strstr(err.message, "line 1"));

    /* wrong column counts, in the main and in a side file */
    write_set();
    write_str("sdn.csv", MAIN_CSV "30,\"SHORT\",-0- ,\"SDGT\",-0- ,-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn.csv", 3);
    CHECK(strstr(err.message, "6 fields") && strstr(err.message, "12"));
    write_set();
    write_str("add.csv", "10,1,\"Dubai\",\"United Arab Emirates\",-0- \r\n");
    load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "add.csv", 1);

    /* bad values */
    write_set();
    write_str("alt.csv", "20,2,\"formerly\",\"ACME LLC\",-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "alt.csv", 1);
    CHECK_STR(err.field, "alt_type");
    write_set();
    write_str("alt.csv", "20,2,\"aka\",-0- ,-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "alt.csv", 1);
    CHECK_STR(err.field, "alt_name");
    write_set();
    write_str("add.csv", "1O,1,-0- ,\"Dubai\",\"United Arab Emirates\",-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "add.csv", 1);
    CHECK_STR(err.field, "ent_num");
    write_set();
    write_str("sdn.csv", MAIN_CSV
              "30,\"X\",\"ship\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn.csv", 3);
    CHECK_STR(err.field, "SDN_Type");
    write_set();
    write_str("sdn.csv", MAIN_CSV
              "30,-0- ,\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    err = load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn.csv", 3);
    CHECK_STR(err.field, "SDN_Name");

    /* truncated: a quote left open, a record cut short */
    write_set();
    write_file("sdn.csv", MAIN_CSV, sizeof MAIN_CSV - 1 - 40);
    load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn.csv", 2);
    write_set();
    write_file("sdn.csv", MAIN_CSV, 100);   /* inside the first remarks */
    err = load_bad("sdn.csv", INTERDICT_ERR_PARSE, "sdn.csv", 1);
    write_set();
    write_str("alt.csv", "20,2,\"aka\",\"ACME L");
    load_bad("sdn.csv", INTERDICT_ERR_PARSE, "alt.csv", 1);

    /* an empty main file; empty side files are fine (see write_set) */
    write_set();
    write_str("sdn.csv", "");
    load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn.csv", 0);
    remove_set();
}

/* Per-entry caps keep hostile sets fast. */
static void test_csv_limits(void)
{
    size_t cap = 5100 * 40 + 256, n = 0;
    char *big = malloc(cap);
    CHECK(big != NULL);
    if (!big)
        return;
    for (int i = 0; i < 5001; i++)
        n += (size_t)snprintf(big + n, cap - n, "20,%d,\"aka\",\"ACME %d\",-0- \r\n", i, i);
    write_set();
    write_str("alt.csv", big);
    interdict_error err = load_bad("sdn.csv", INTERDICT_ERR_LIMIT, "alt.csv", 5001);
    CHECK(strstr(err.message, "5000") != NULL);
    for (size_t i = 0; i < n; i++)      /* 5000 rows are fine */
        if (big[i] == '\n' && i + 1 < n && strncmp(big + i + 1, "20,5000,", 8) == 0) {
            big[i + 1] = '\0';
            break;
        }
    write_str("alt.csv", big);
    interdict_list *list = load_tmp("sdn.csv");
    const interdict_entry *e = list ? find_entry(list, "20") : NULL;
    CHECK(e && e->n_names == 5001);
    interdict_list_free(list);

    n = (size_t)snprintf(big, cap, "10,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,"
                                   "-0- ,-0- ,-0- ,-0- ,\"");
    for (int i = 0; i < 5001; i++)
        n += (size_t)snprintf(big + n, cap - n, "P%d;", i % 10);
    snprintf(big + n, cap - n, "\"\r\n");
    write_set();
    write_str("sdn.csv", big);
    write_str("alt.csv", "");
    err = load_bad("sdn.csv", INTERDICT_ERR_LIMIT, "sdn.csv", 1);
    CHECK_STR(err.field, "Remarks");
    remove_set();

    n = (size_t)snprintf(big, cap, "<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName>"
                                   "<sdnType>Entity</sdnType>\n<akaList>");
    for (int i = 0; i < 5001; i++)
        n += (size_t)snprintf(big + n, cap - n, "<aka><lastName>A%d</lastName></aka>", i);
    snprintf(big + n, cap - n, "</akaList></sdnEntry></sdnList>");
    load_bad_memory(big, strlen(big), INTERDICT_ERR_LIMIT, 1);
    free(big);
}

/* Old copies of the set may be Windows-1252: a file without any UTF-8
 * sequence is converted; one that mixes both is refused. */
static void test_csv_encoding(void)
{
    write_set();
    write_str("alt.csv", "20,2,\"aka\",\"MU\xD1OZ \x93" "ACME\x94 LLC\",-0- \r\n");
    interdict_list *list = load_tmp("sdn.csv");
    const interdict_entry *e = list ? find_entry(list, "20") : NULL;
    CHECK(name_kind(e, "MU\xC3\x91OZ \xE2\x80\x9C" "ACME\xE2\x80\x9D LLC") ==
          INTERDICT_NAME_ALIAS_GOOD);
    interdict_list_free(list);

    write_str("alt.csv", "20,2,\"aka\",\"MU\xC3\x91OZ\",-0- \r\n"
                         "20,3,\"aka\",\"MU\xD1OZ\",-0- \r\n");
    interdict_error err = load_bad("sdn.csv", INTERDICT_ERR_ENCODING, "alt.csv", 2);
    CHECK(strstr(err.message, "UTF-8") != NULL);

    write_str("alt.csv", "20,2,\"aka\",\"ACME\",-0- \r\n"
                         "20,3,\"aka\",\"AC\x81ME\",-0- \r\n");   /* undefined in 1252 */
    load_bad("sdn.csv", INTERDICT_ERR_ENCODING, "alt.csv", 2);

    write_set();
    write_str("sdn.csv", MAIN_CSV
              "30,\"\xFF\xFE\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    list = load_tmp("sdn.csv");            /* ÿþ: Latin-1 letters, converted */
    e = list ? find_entry(list, "30") : NULL;
    CHECK(e && strcmp(e->names[0].text, "\xC3\xBF\xC3\xBE") == 0);
    interdict_list_free(list);
    remove_set();
}

/* The whole CSV sets, when they are there. */
static void test_csv_full(void)
{
    const char *dir = getenv("INTERDICT_OFAC_DATA");
    char path[512];
    snprintf(path, sizeof path, "%s/sdn.csv",
             dir && *dir ? dir : TEST_DATA_DIR "/../../../shared/data/ofac");
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "skipped: full OFAC CSV set not found at %s\n", path);
        return;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    interdict_list *list = load_list(path);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
#if defined(__SANITIZE_ADDRESS__)
    const double limit = 5.0;           /* sanitizers slow everything down */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    const double limit = 5.0;
#else
    const double limit = 1.0;
#endif
#else
    const double limit = 1.0;
#endif
    fprintf(stderr, "full OFAC CSV set: %.3f s\n", seconds);
    CHECK(seconds < limit);
    if (!list)
        return;
    CHECK(interdict_list_count(list) == 8976);
    check_invariants(list, "ofac");
    size_t persons = 0, vessels = 0, aircraft = 0, text_dobs = 0, low = 0;
    for (size_t i = 0; i < interdict_list_count(list); i++) {
        const interdict_entry *e = interdict_list_entry(list, i);
        persons += e->type == INTERDICT_PARTY_PERSON;
        vessels += e->type == INTERDICT_PARTY_VESSEL;
        aircraft += e->type == INTERDICT_PARTY_AIRCRAFT;
        for (size_t k = 0; k < e->n_dobs; k++)
            text_dobs += e->dobs[k].kind == INTERDICT_DATE_TEXT;
        for (size_t k = 0; k < e->n_names; k++)
            low += e->names[k].kind == INTERDICT_NAME_ALIAS_LOW;
    }
    CHECK(persons == 4620 && vessels == 406 && aircraft == 277);
    CHECK(text_dobs == 0);              /* every date of birth is understood */
    CHECK(low > 2000);
    interdict_list_free(list);

    snprintf(path, sizeof path, "%s/cons_prim.csv",
             dir && *dir ? dir : TEST_DATA_DIR "/../../../shared/data/ofac");
    list = load_list(path);
    CHECK(list && interdict_list_count(list) == 442);
    if (list)
        check_invariants(list, "ofac-cons");
    interdict_list_free(list);
}

/* ---- sdn.xml --------------------------------------------------------------------- */

static void test_xml_entries(const interdict_list *list)
{
    const interdict_entry *e = find_entry(list, "306");
    CHECK(e && e->type == INTERDICT_PARTY_ENTITY && e->n_names == 3);
    CHECK(name_kind(e, "BNC") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(name_kind(e, "NATIONAL BANK OF CUBA") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(has_address(e, "Zweierstrasse 35, Zurich, CH-8022", "Switzerland"));
    CHECK(has_address(e, "Dai-Ichi Bldg. 6th Floor, 10-2 Nihombashi, 2-chome, Chuo-ku, Tokyo, 103",
                      "Japan"));

    e = find_entry(list, "6365");
    CHECK(e && e->type == INTERDICT_PARTY_PERSON);
    CHECK(e && strcmp(e->names[0].text, "BIN LADIN, Usama bin Muhammad bin Awad") == 0);
    CHECK(name_kind(e, "BIN LADEN, Osama") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(name_kind(e, "Abu Abdallah") == INTERDICT_NAME_ALIAS_LOW);
    CHECK(has_dob(e, INTERDICT_DATE_EXACT, 1957, 7, 30, 1957, 7, 30));
    CHECK(has_dob(e, INTERDICT_DATE_EXACT, 1958, 0, 0, 1958, 0, 0));
    CHECK(e && e->n_places_of_birth == 2 && strcmp(e->places_of_birth[1], "Yemen") == 0);

    e = find_entry(list, "9342");
    CHECK(e && strcmp(e->gender, "Male") == 0 && e->n_documents == 0);
    CHECK(has_dob(e, INTERDICT_DATE_APPROX, 1949, 0, 0, 1949, 0, 0));
    CHECK(e && e->n_nationalities == 1 && strcmp(e->nationalities[0], "Syria") == 0);
    CHECK(e && e->n_titles == 1);

    e = find_entry(list, "12300");
    CHECK(e && e->n_dobs == 3 && e->n_documents == 3);
    const interdict_document *d = find_document(e, "Passport", "AL720622");
    CHECK(d && strcmp(d->country, "Colombia") == 0 &&
          strcmp(d->note, "issued 10 Jan 2002; expires 10 Jan 2012") == 0);
    CHECK(e && has_string(e->nationalities, e->n_nationalities, "Colombia")); /* citizenship */
    CHECK(e && strcmp(e->comments, "(Linked To: CIFUENTES VILLA, Hildebrando Alexander); "
                                   "Email Address example@example.com") == 0);
    CHECK(has_address(e, "Medellin, Antioquia", "Colombia"));

    e = find_entry(list, "15036");
    CHECK(e && e->type == INTERDICT_PARTY_VESSEL);
    CHECK(find_document(e, "IMO Number", "9187629") != NULL);
    CHECK(find_document(e, "MMSI", "572469210") != NULL);
    CHECK(find_document(e, "Call Sign", "T2EU4") != NULL);
    CHECK(e && e->n_documents == 3);
    CHECK(e && e->n_nationalities == 1 && strcmp(e->nationalities[0], "Iran") == 0);
    CHECK(name_kind(e, "SHONA") == INTERDICT_NAME_ALIAS_GOOD);
    CHECK(e && strstr(e->comments, "Former Vessel Flag Malta") &&
          strstr(e->comments, "Vessel Type Crude/Oil Products Tanker"));

    e = find_entry(list, "15431");
    CHECK(e && e->type == INTERDICT_PARTY_AIRCRAFT && e->n_documents == 1);
    CHECK(find_document(e, "Aircraft Serial Number", "1023409321") != NULL);
    CHECK(e && strstr(e->comments, "Aircraft Model IL76-TD"));

    e = find_entry(list, "15497");
    CHECK(has_dob(e, INTERDICT_DATE_RANGE, 1943, 0, 0, 1944, 0, 0));
    e = find_entry(list, "25476");
    CHECK(has_dob(e, INTERDICT_DATE_RANGE, 1959, 1, 1, 1960, 12, 31));
    CHECK(e && e->n_programs == 3);
    d = find_document(e, "National Identification Number", "1234567890");
    CHECK(d && strcmp(d->country, "Iran") == 0);
}

static char *replace(const char *s, const char *from, const char *to, size_t *len)
{
    const char *at = strstr(s, from);
    if (!at)
        return NULL;
    size_t a = (size_t)(at - s), fl = strlen(from), tl = strlen(to), n = strlen(s) - fl + tl;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, s, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, at + fl, strlen(at + fl) + 1);
    *len = n;
    return out;
}

static interdict_error load_bad_memory(const char *data, size_t len, interdict_status want,
                                       long line)
{
    interdict_error err = load_bad_data(data, len, "mem.xml", want);
    CHECK(err.line == line);
    if (err.line != line)
        fprintf(stderr, "  got %s:%ld: %s: %s\n", err.file, err.line, err.field, err.message);
    return err;
}

static void test_xml(void)
{
    interdict_list *list = load_list(OFAC_DATA "sdn.xml");
    if (!list)
        return;
    CHECK_STR(interdict_list_id(list), "ofac");
    CHECK_STR(interdict_list_format(list), "ofac-xml");
    CHECK_STR(interdict_list_generated(list), "2025-03-14");
    CHECK(interdict_list_count(list) == 8);
    check_invariants(list, "ofac");
    test_xml_entries(list);
    interdict_list_free(list);

    size_t len = 0;
    char *xml = read_all(OFAC_DATA "sdn.xml", &len);
    CHECK(xml != NULL);
    if (!xml)
        return;
    char *text = malloc(len + 1);
    if (!text) {
        free(xml);
        return;
    }
    memcpy(text, xml, len);
    text[len] = '\0';
    free(xml);
    const size_t text_len = len;

    /* the consolidated list shares the schema: told apart by its name */
    interdict_error err;
    list = NULL;
    CHECK(interdict_list_load_memory(text, text_len, "/data/cons.xml", &list, &err) ==
          INTERDICT_OK);
    CHECK_STR(list ? interdict_list_id(list) : "", "ofac-cons");
    interdict_list_free(list);

    /* the Sanctions List Service namespace, and none at all */
    char *v = replace(text, "http://tempuri.org/sdnList.xsd",
                      "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/"
                      "exports/XML", &len);
    list = NULL;
    CHECK(v && interdict_list_load_memory(v, len, "sdn.xml", &list, &err) == INTERDICT_OK);
    CHECK(list && interdict_list_count(list) == 8);
    interdict_list_free(list);
    free(v);
    v = replace(text, " xmlns=\"http://tempuri.org/sdnList.xsd\"", "", &len);
    list = NULL;
    CHECK(v && interdict_list_load_memory(v, len, "sdn.xml", &list, &err) == INTERDICT_OK);
    interdict_list_free(list);
    free(v);

    /* no publication date: generated is "" */
    v = replace(text, "<Publish_Date>03/14/2025</Publish_Date>", "", &len);
    list = NULL;
    CHECK(v && interdict_list_load_memory(v, len, "sdn.xml", &list, &err) == INTERDICT_OK);
    CHECK_STR(list ? interdict_list_generated(list) : "x", "");
    interdict_list_free(list);
    free(v);

    /* broken documents */
    v = replace(text, "03/14/2025", "14.03.2025", &len);
    err = load_bad_memory(v, len, INTERDICT_ERR_FORMAT, 7);
    CHECK_STR(err.field, "Publish_Date");
    free(v);
    v = replace(text, "03/14/2025", "13/14/2025", &len);
    load_bad_memory(v, len, INTERDICT_ERR_FORMAT, 7);
    free(v);
    v = replace(text, "<sdnType>Vessel</sdnType>", "<sdnType>Ship</sdnType>", &len);
    err = load_bad_memory(v, len, INTERDICT_ERR_FORMAT, 219);
    CHECK_STR(err.field, "sdnType");
    free(v);
    v = replace(text, "<uid>15431</uid>", "<uid> </uid>", &len);
    err = load_bad_memory(v, len, INTERDICT_ERR_FORMAT, 266);
    CHECK_STR(err.field, "uid");
    free(v);
    v = replace(text, "<uid>15497</uid>", "<uid>306</uid>", &len);
    err = load_bad_memory(v, len, INTERDICT_ERR_FORMAT, 292);
    CHECK(strstr(err.message, "duplicate") != NULL);
    free(v);
    v = replace(text, "<lastName>EP-GOM</lastName>", "", &len);
    err = load_bad_memory(v, len, INTERDICT_ERR_FORMAT, 266);
    CHECK_STR(err.field, "lastName");
    free(v);
    /* cut inside the fifth entry */
    const char *cut = strstr(text, "<uid>15036</uid>");
    CHECK(cut != NULL);
    if (cut)
        load_bad_memory(text, (size_t)(cut - text) + 8, INTERDICT_ERR_PARSE, 220);
    (void)text_len;
    free(text);
}

static void test_xml_bad(void)
{
    static const char no_entries[] =
        "<?xml version=\"1.0\"?>\n<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">\n"
        "<publshInformation><Publish_Date>01/02/2025</Publish_Date>"
        "<Record_Count>0</Record_Count></publshInformation>\n</sdnList>\n";
    interdict_error err = load_bad_memory(no_entries, sizeof no_entries - 1,
                                          INTERDICT_ERR_FORMAT, 0);
    CHECK(strstr(err.message, "no entries") != NULL);

    static const char entity[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE sdnList [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<sdnList><sdnEntry><uid>1</uid><lastName>&x;</lastName>"
        "<sdnType>Entity</sdnType></sdnEntry></sdnList>\n";
    err = load_bad_memory(entity, sizeof entity - 1, INTERDICT_ERR_FORMAT, 2);
    CHECK_STR(err.field, "DOCTYPE");

    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE sdnList [\n<!ENTITY a \"aaaaaaaaaa\">\n"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
        "<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName>"
        "<sdnType>Entity</sdnType></sdnEntry></sdnList>\n";
    err = load_bad_memory(bomb, sizeof bomb - 1, INTERDICT_ERR_FORMAT, 3);
    CHECK_STR(err.field, "DOCTYPE");

    static const char latin1[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sdnList>\n<sdnEntry><uid>1</uid>"
        "<lastName>MU\xD1OZ</lastName><sdnType>Individual</sdnType></sdnEntry></sdnList>\n";
    load_bad_memory(latin1, sizeof latin1 - 1, INTERDICT_ERR_ENCODING, 3);

    static const char truncated[] =
        "<?xml version=\"1.0\"?>\n<sdnList>\n<sdnEntry><uid>1</uid>\n<lastName>ACME</last";
    load_bad_memory(truncated, sizeof truncated - 1, INTERDICT_ERR_PARSE, 4);

    /* a list of another kind is not read as OFAC's */
    interdict_list *list = NULL;
    static const char other[] = "<?xml version=\"1.0\"?><other><sdnEntry/></other>";
    CHECK(interdict_list_load_memory(other, sizeof other - 1, "x.xml", &list, &err) ==
          INTERDICT_ERR_FORMAT);
    CHECK(list == NULL);
}

static void test_empty(void)
{
    interdict_list *list = NULL;
    interdict_error err;
    CHECK(interdict_list_load_memory("", 0, "sdn.csv", &list, &err) == INTERDICT_ERR_FORMAT);
    CHECK(list == NULL && strcmp(err.file, "sdn.csv") == 0);
    /* a main file of blank lines and the DOS end-of-file byte */
    write_set();
    write_str("sdn.csv", "\r\n\r\n\x1A");
    load_bad("sdn.csv", INTERDICT_ERR_FORMAT, "sdn.csv", 0);
    remove_set();
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/interdict-ofac-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_csv_slice();
    test_csv_memory();
    test_csv_good_set();
    test_csv_bad_sets();
    test_csv_encoding();
    test_csv_limits();
    test_csv_full();
    test_xml();
    test_xml_bad();
    test_empty();
    rmdir(tmp_dir);
    CHECK_DONE();
}
