#include "evidence.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "../text/normalize.h"

bool parse_query_date(const char *s, query_date *out)
{
    memset(out, 0, sizeof *out);
    if (!s)
        return false;
    while (*s == ' ')
        s++;
    int parts[3] = {0, 0, 0};
    int np = 0;
    while (*s && np < 3) {
        if (!isdigit((unsigned char)*s))
            return false;
        int v = 0, digits = 0;
        while (isdigit((unsigned char)*s) && digits < 5) {
            v = v * 10 + (*s - '0');
            s++;
            digits++;
        }
        parts[np++] = v;
        if (*s == '-' || *s == '/' || *s == '.')
            s++;
        else
            break;
    }
    while (*s == ' ')
        s++;
    if (*s || np == 0 || parts[0] < 1000 || parts[0] > 2999)
        return false;
    if (parts[1] < 0 || parts[1] > 12 || parts[2] < 0 || parts[2] > 31)
        return false;
    out->year = parts[0];
    out->month = parts[1];
    out->day = parts[2];
    return true;
}

static int compare_one(const query_date *q, const interdict_date *d)
{
    if (d->kind == INTERDICT_DATE_TEXT || d->from_year == 0)
        return 0;
    if (d->kind == INTERDICT_DATE_RANGE) {
        if (q->year >= d->from_year && q->year <= (d->to_year ? d->to_year : d->from_year))
            return 1;
        return -1;
    }
    int slack = d->kind == INTERDICT_DATE_APPROX ? 2 : 1;
    int dy = abs(q->year - d->from_year);
    if (dy > slack)
        return -1;
    if (dy > 0)
        return 0;   /* a year off: common data-entry noise, neither way */
    if (q->month && d->from_month && q->month != d->from_month)
        return 0;
    if (q->day && d->from_day && q->month && q->day == d->from_day)
        return 2;
    return 1;
}

int dob_evidence(const query_date *q, const interdict_entry *e)
{
    if (!q->year || e->n_dobs == 0)
        return 0;
    int best = -2;
    for (size_t i = 0; i < e->n_dobs; i++) {
        int r = compare_one(q, &e->dobs[i]);
        if (r > best)
            best = r;
    }
    return best == -2 ? 0 : best;
}

/* ---- Countries ---------------------------------------------------------- */

typedef struct country {
    char iso2[3], iso3[4];
    char name[64];           /* folded English name */
} country;

static country *countries;
static size_t n_countries;
static pthread_once_t countries_once = PTHREAD_ONCE_INIT;

/* Official UN-style names ICU's short English names do not cover. */
static const struct { const char *name, *iso2; } UN_NAMES[] = {
    {"iran islamic republic of", "IR"},
    {"syrian arab republic", "SY"},
    {"democratic peoples republic of korea", "KP"},
    {"dprk", "KP"},
    {"republic of korea", "KR"},
    {"russian federation", "RU"},
    {"united republic of tanzania", "TZ"},
    {"state of palestine", "PS"},
    {"palestine", "PS"},
    {"turkiye", "TR"},
    {"turkey", "TR"},
    {"united kingdom of great britain northern ireland", "GB"},
    {"united kingdom", "GB"},
    {"great britain", "GB"},
    {"united states of america", "US"},
    {"united states", "US"},
    {"usa", "US"},
    {"democratic republic of the congo", "CD"},
    {"congo", "CG"},
    {"republic of the congo", "CG"},
    {"bolivia plurinational state of", "BO"},
    {"venezuela bolivarian republic of", "VE"},
    {"lao peoples democratic republic", "LA"},
    {"viet nam", "VN"},
    {"republic of moldova", "MD"},
    {"cote divoire", "CI"},
    {"ivory coast", "CI"},
    {"libyan arab jamahiriya", "LY"},
    {"myanmar", "MM"},
    {"burma", "MM"},
};

/* Lower-case letters only: "Democratic People's Republic" -> "democratic
 * peoples republic". */
static void fold_country(const char *in, char *out, size_t cap)
{
    char tmp[256];
    long n = interdict_normalize_name(in, strlen(in), tmp, sizeof tmp, NULL);
    size_t k = 0;
    for (long i = 0; i < n && k + 1 < cap; i++) {
        /* "Trinidad and Tobago" and ICU's "Trinidad & Tobago" must meet */
        if (tmp[i] == 'a' && (i == 0 || tmp[i - 1] == ' ') && !strncmp(tmp + i, "and ", 4)) {
            i += 3;
            continue;
        }
        if ((tmp[i] >= 'a' && tmp[i] <= 'z') || tmp[i] == ' ')
            out[k++] = tmp[i];
    }
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
}

static void free_countries(void) { free(countries); }

static void load_countries(void)
{
    const char *const *codes = uloc_getISOCountries();
    size_t n = 0;
    while (codes[n])
        n++;
    countries = calloc(n ? n : 1, sizeof *countries);
    if (!countries)
        return;
    for (size_t i = 0; i < n; i++) {
        country *c = &countries[n_countries];
        char loc[8] = "und_";
        strncat(loc, codes[i], 3);
        UErrorCode st = U_ZERO_ERROR;
        UChar disp[96];
        int32_t len = uloc_getDisplayCountry(loc, "en", disp, 96, &st);
        if (U_FAILURE(st) || len <= 0)
            continue;
        char utf8[192];
        int32_t blen = 0;
        u_strToUTF8(utf8, sizeof utf8, &blen, disp, len, &st);
        if (U_FAILURE(st))
            continue;
        fold_country(utf8, c->name, sizeof c->name);
        snprintf(c->iso2, sizeof c->iso2, "%s", codes[i]);
        snprintf(c->iso3, sizeof c->iso3, "%s", uloc_getISO3Country(loc));
        n_countries++;
    }
    atexit(free_countries);
}

const char *country_code(const char *text)
{
    if (!text || !*text)
        return "";
    pthread_once(&countries_once, load_countries);
    char folded[128];
    fold_country(text, folded, sizeof folded);
    size_t n = strlen(folded);
    if (n == 0)
        return "";
    for (size_t i = 0; i < sizeof UN_NAMES / sizeof UN_NAMES[0]; i++)
        if (strcmp(folded, UN_NAMES[i].name) == 0)
            return UN_NAMES[i].iso2;
    for (size_t i = 0; i < n_countries; i++) {
        const country *c = &countries[i];
        if ((n == 2 && strncasecmp(folded, c->iso2, 2) == 0) ||
            (n == 3 && strncasecmp(folded, c->iso3, 3) == 0) ||
            strcmp(folded, c->name) == 0)
            return c->iso2;
    }
    return "";
}

int nationality_evidence(const char *code, const interdict_entry *e)
{
    if (!code || !*code)
        return 0;
    int known = 0;
    for (size_t i = 0; i < e->n_nationalities; i++) {
        const char *c = country_code(e->nationalities[i]);
        if (!*c)
            continue;
        if (strcmp(c, code) == 0)
            return 1;
        known++;
    }
    return known ? -1 : 0;
}
