/* evidence.h - what besides the name confirms or contradicts a hit. */
#ifndef INTERDICT_EVIDENCE_H
#define INTERDICT_EVIDENCE_H

#include <stdbool.h>

#include "interdict.h"

/* A parsed query date of birth; month/day 0 when not given. */
typedef struct query_date {
    int year, month, day;
} query_date;

/* Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (also with '/' or '.'). */
bool parse_query_date(const char *s, query_date *out);

/* +2 same day, +1 same year (or inside a listed range), -1 contradicts every
 * listed date, 0 when the entry lists none. */
int dob_evidence(const query_date *q, const interdict_entry *e);

/* ISO 3166 alpha-2 code for a country name, alpha-2 or alpha-3 code, in
 * English or the UN's official form ("Iran (Islamic Republic of)");
 * "" when unknown. */
const char *country_code(const char *text);

/* +1 the entry lists the query's country as a nationality, -1 it lists only
 * others, 0 unknown. `code` comes from country_code(). */
int nationality_evidence(const char *code, const interdict_entry *e);

#endif
