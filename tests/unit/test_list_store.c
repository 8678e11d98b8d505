/* test_list_store.c - dates as lists write them, list diffs and the list
 * store (versions, activation, plausibility, damaged content, job marks). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "interdict.h"
#include "list/builder.h"

#define LISTS TEST_DATA_DIR "/lists/"

static void check_date(const char *text, interdict_date_kind kind, int y1, int m1, int d1,
                       int y2)
{
    interdict_date d;
    int ok = builder_parse_date(text, &d);
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "  date \"%s\" not parsed\n", text);
        return;
    }
    CHECK(d.kind == kind);
    CHECK(d.from_year == y1 && d.from_month == m1 && d.from_day == d1 && d.to_year == y2);
    if (d.kind != kind || d.from_year != y1 || d.from_month != m1 || d.from_day != d1 ||
        d.to_year != y2)
        fprintf(stderr, "  date \"%s\": kind %d %d-%d-%d..%d\n", text, d.kind, d.from_year,
                d.from_month, d.from_day, d.to_year);
}

static void test_dates(void)
{
    check_date("1965-03-14", INTERDICT_DATE_EXACT, 1965, 3, 14, 1965);
    check_date("14 Mar 1965", INTERDICT_DATE_EXACT, 1965, 3, 14, 1965);
    check_date("14 March 1965", INTERDICT_DATE_EXACT, 1965, 3, 14, 1965);
    check_date("March 14, 1965", INTERDICT_DATE_EXACT, 1965, 3, 14, 1965);
    check_date("14/03/1965", INTERDICT_DATE_EXACT, 1965, 3, 14, 1965);
    check_date("14.03.1965", INTERDICT_DATE_EXACT, 1965, 3, 14, 1965);
    check_date("00/00/1965", INTERDICT_DATE_EXACT, 1965, 0, 0, 1965);
    check_date("dd/mm/1965", INTERDICT_DATE_EXACT, 1965, 0, 0, 1965);
    check_date("00/03/1965", INTERDICT_DATE_EXACT, 1965, 3, 0, 1965);
    check_date("Mar 1965", INTERDICT_DATE_EXACT, 1965, 3, 0, 1965);
    check_date("1965-03", INTERDICT_DATE_EXACT, 1965, 3, 0, 1965);
    check_date("1965", INTERDICT_DATE_EXACT, 1965, 0, 0, 1965);
    check_date("circa 1965", INTERDICT_DATE_APPROX, 1965, 0, 0, 1965);
    check_date("approximately 1965", INTERDICT_DATE_APPROX, 1965, 0, 0, 1965);
    check_date("c. 1965", INTERDICT_DATE_APPROX, 1965, 0, 0, 1965);
    check_date("1960 to 1962", INTERDICT_DATE_RANGE, 1960, 0, 0, 1962);
    check_date("1960-1962", INTERDICT_DATE_RANGE, 1960, 0, 0, 1962);
    check_date("between 1960 and 1962", INTERDICT_DATE_RANGE, 1960, 0, 0, 1962);
    check_date("1951-06-19T00:00:00", INTERDICT_DATE_EXACT, 1951, 6, 19, 1951);

    static const char *const bad[] = {"", "unknown", "31/02/1965", "1965-13-01", "14 Mar",
                                      "1962 to 1960", "12345", "1965;", "Marchx 1965",
                                      "1 2 3 4 1965", "0000", "29/02/1965"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        interdict_date d;
        CHECK(!builder_parse_date(bad[i], &d));
    }
    interdict_date d;
    CHECK(builder_parse_date("29/02/1964", &d));   /* a leap year */
}

static void test_diff(void)
{
    interdict_list *a = load_list(LISTS "v1.xml"), *b = load_list(LISTS "v2.xml");
    if (!a || !b)
        return;
    interdict_change *ch;
    size_t n;
    CHECK(interdict_list_diff(a, b, &ch, &n, NULL) == INTERDICT_OK);
    CHECK(n == 3);
    for (size_t i = 0; i < n; i++) {
        const interdict_entry *e = ch[i].new_entry ? ch[i].new_entry : ch[i].old_entry;
        if (ch[i].kind == INTERDICT_CHANGE_CHANGED) {
            CHECK_STR(e->ref, "TSi.102");
            CHECK(ch[i].fields == INTERDICT_FIELD_NAMES);
            CHECK(ch[i].old_entry && ch[i].new_entry);
        } else if (ch[i].kind == INTERDICT_CHANGE_ADDED) {
            CHECK_STR(e->ref, "TSi.104");
            CHECK(ch[i].old_entry == NULL);
        } else {
            CHECK_STR(e->ref, "TSi.103");
            CHECK(ch[i].new_entry == NULL);
        }
    }
    free(ch);
    /* a list against itself: nothing */
    CHECK(interdict_list_diff(b, b, &ch, &n, NULL) == INTERDICT_OK);
    CHECK(n == 0);
    free(ch);
    CHECK_STR(interdict_field_name(INTERDICT_FIELD_DOBS), "dobs");
    CHECK_STR(interdict_field_name(3), "?");
    interdict_list_free(a);
    interdict_list_free(b);
}

static void test_store(void)
{
    char dir[] = "/tmp/interdict-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char db[256];
    snprintf(db, sizeof db, "%s/s.db", dir);
    interdict_store *st;
    interdict_error err;
    CHECK(interdict_store_open(db, &st, &err) == INTERDICT_OK);
    interdict_list *a = load_list(LISTS "v1.xml"), *b = load_list(LISTS "v2.xml");
    interdict_list_version v;
    int unchanged = -1;
    CHECK(interdict_store_import(st, a, "origin-a", 0.5, &v, &unchanged, &err) == INTERDICT_OK);
    CHECK(unchanged == 0 && v.id == 1 && v.active && v.entries == 4);
    CHECK_STR(v.origin, "origin-a");
    CHECK_STR(v.sha256, interdict_list_checksum(a));
    CHECK_STR(v.generated, "2025-01-10");
    CHECK(interdict_store_import(st, b, NULL, 0.5, &v, &unchanged, &err) == INTERDICT_OK);
    CHECK(unchanged == 0 && v.id == 2 && v.active);
    CHECK(interdict_store_import(st, a, NULL, 0.5, &v, &unchanged, &err) == INTERDICT_OK);
    CHECK(unchanged == 1 && v.id == 1 && v.active);   /* back to the stored copy */

    interdict_list_version *vs;
    size_t n;
    CHECK(interdict_store_versions(st, "un", 0, &vs, &n, &err) == INTERDICT_OK);
    CHECK(n == 2 && vs[0].id == 2 && !vs[0].active && vs[1].active);
    free(vs);
    CHECK(interdict_store_versions(st, NULL, 1, &vs, &n, &err) == INTERDICT_OK);
    CHECK(n == 1 && vs[0].id == 1);
    free(vs);
    CHECK(interdict_store_versions(st, "eu", 0, &vs, &n, &err) == INTERDICT_OK);
    CHECK(n == 0);
    free(vs);

    /* a stored version loads with the same content */
    interdict_list *c = NULL;
    CHECK(interdict_store_load(st, 2, &c, &err) == INTERDICT_OK);
    CHECK(c && interdict_list_count(c) == interdict_list_count(b));
    CHECK(c && strcmp(interdict_list_checksum(c), interdict_list_checksum(b)) == 0);
    CHECK(c && strstr(interdict_list_source(c), "#2") != NULL);
    interdict_list_free(c);
    CHECK(interdict_store_load(st, 42, &c, &err) == INTERDICT_ERR_INVALID);

    /* job marks */
    int64_t mark = -1;
    CHECK(interdict_store_get_mark(st, "job", "un", &mark, &err) == INTERDICT_OK && mark == 0);
    CHECK(interdict_store_set_mark(st, "job", "un", 2, &err) == INTERDICT_OK);
    CHECK(interdict_store_set_mark(st, "job", "un", 1, &err) == INTERDICT_OK);
    CHECK(interdict_store_get_mark(st, "job", "un", &mark, &err) == INTERDICT_OK && mark == 1);
    interdict_store_close(st);

    /* a store survives reopening */
    CHECK(interdict_store_open(db, &st, &err) == INTERDICT_OK);
    CHECK(interdict_store_versions(st, NULL, 1, &vs, &n, &err) == INTERDICT_OK);
    CHECK(n == 1 && vs[0].id == 1);
    free(vs);
    interdict_store_close(st);

    /* not a database */
    char bogus[256];
    snprintf(bogus, sizeof bogus, "%s/bogus.db", dir);
    FILE *f = fopen(bogus, "w");
    fputs("this is not SQLite, just text long enough to have a header............\n", f);
    fclose(f);
    CHECK(interdict_store_open(bogus, &st, &err) == INTERDICT_ERR_IO);
    CHECK(strstr(err.file, "bogus.db") != NULL);
    snprintf(bogus, sizeof bogus, "%s/no/such/dir/x.db", dir);
    CHECK(interdict_store_open(bogus, &st, &err) == INTERDICT_ERR_IO);

    interdict_list_free(a);
    interdict_list_free(b);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* An implausibly small version is refused and the active one stays. */
static void test_plausibility(void)
{
    char dir[] = "/tmp/interdict-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char db[256];
    snprintf(db, sizeof db, "%s/s.db", dir);
    interdict_store *st;
    interdict_error err;
    CHECK(interdict_store_open(db, &st, &err) == INTERDICT_OK);
    interdict_list *big = load_list(BUNDLED_LIST), *small = load_list(LISTS "v1.xml");
    CHECK(interdict_store_import(st, big, NULL, 0.5, NULL, NULL, &err) == INTERDICT_OK);
    /* the ids differ only if the fixture is not a UN list: both are "un" */
    CHECK(interdict_store_import(st, small, NULL, 0.5, NULL, NULL, &err) == INTERDICT_ERR_INVALID);
    CHECK(strstr(err.message, "implausible") != NULL);
    interdict_list_version *vs;
    size_t n;
    CHECK(interdict_store_versions(st, "un", 0, &vs, &n, &err) == INTERDICT_OK);
    CHECK(n == 1 && vs[0].active && vs[0].entries == (int64_t)interdict_list_count(big));
    free(vs);
    /* forced (ratio 0), it goes in */
    CHECK(interdict_store_import(st, small, NULL, 0, NULL, NULL, &err) == INTERDICT_OK);
    interdict_store_close(st);
    interdict_list_free(big);
    interdict_list_free(small);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    test_dates();
    test_diff();
    test_store();
    test_plausibility();
    CHECK_DONE();
}
