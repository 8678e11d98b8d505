/* translit_rules.h - the ICU rules that define name normalisation.
 *
 * normalize.c runs them as ICU transliterators for text in scripts its
 * tables do not cover; tools/gen_translit_table.c runs them at build time,
 * one character at a time, to make those tables. Both read these strings,
 * so the tables always say what the rules say.
 *
 * The whole pipeline for any script:
 *  1. NFKC and lower case, so compatibility forms and case never matter;
 *  2. Arabic letter variants folded (hamza seats, ta marbuta, alef maqsura,
 *     Persian yeh and kaf, tatweel, harakat), since writers use them freely;
 *  3. Cyrillic to Latin by English-style rules (й y, ж zh, е e), the way
 *     names reach Western banks, rather than ISO 9 (j, ž); х is h, so
 *     letter-by-letter spellings of Latin names (Тхе, Кадхафи) come back
 *     as th, dh;
 *  4. Any-Latin for every other script, then Latin-ASCII and a final strip
 *     of combining marks, so only ASCII leaves this module. */
#ifndef INTERDICT_TRANSLIT_RULES_H
#define INTERDICT_TRANSLIT_RULES_H

/* Step 1. */
#define TRANSLIT_HEAD \
    ":: NFKC;\n"      \
    ":: Lower;\n"

/* Steps 2 and 3: one character in, at most a few out, no context. */
#define TRANSLIT_FOLD                                                         \
    "[\\u0622\\u0623\\u0625\\u0671\\u0672\\u0673] > \\u0627;\n"               \
    "\\u0629 > \\u0647;\n"                                                    \
    "[\\u0649\\u06CC\\u06D2\\u0626] > \\u064A;\n"                             \
    "[\\u06A9] > \\u0643;\n"                                                  \
    "\\u0624 > \\u0648;\n"                                                    \
    "[\\u0640\\u064B-\\u065F\\u0670\\u06D6-\\u06ED] > ;\n"                    \
    "\\u0621 > ;\n"                                                           \
    "\\u0430 > a; \\u0431 > b; \\u0432 > v; \\u0433 > g; \\u0434 > d;\n"      \
    "\\u0435 > e; \\u0451 > yo; \\u0436 > zh; \\u0437 > z; \\u0438 > i;\n"    \
    "\\u0439 > y; \\u043A > k; \\u043B > l; \\u043C > m; \\u043D > n;\n"      \
    "\\u043E > o; \\u043F > p; \\u0440 > r; \\u0441 > s; \\u0442 > t;\n"      \
    "\\u0443 > u; \\u0444 > f; \\u0445 > h; \\u0446 > ts; \\u0447 > ch;\n"    \
    "\\u0448 > sh; \\u0449 > shch; \\u044A > ; \\u044B > y; \\u044C > ;\n"    \
    "\\u044D > e; \\u044E > yu; \\u044F > ya;\n"                              \
    "\\u0456 > i; \\u0457 > yi; \\u0454 > ye; \\u0491 > g; \\u045E > u;\n"    \
    "\\u0458 > j; \\u0459 > lj; \\u045A > nj; \\u045B > c; \\u0452 > dj;\n"   \
    "\\u045F > dzh; \\u049B > q; \\u0493 > gh; \\u04AF > u; \\u04B1 > u;\n"   \
    "\\u04A3 > ng; \\u04BB > h; \\u04D9 > a; \\u04E9 > o; \\u0455 > dz;\n"

/* Step 4. */
#define TRANSLIT_TAIL                     \
    ":: Any-Latin;\n"                     \
    ":: Latin-ASCII;\n"                   \
    ":: NFD;\n"                           \
    ":: [:Nonspacing Mark:] Remove;\n"    \
    ":: Lower;\n"                         \
    ":: NFC;\n"

/* Text already in Latin script (accents, ligatures, ß, ł) needs only the
 * end of the pipeline: skipping the script dispatch of Any-Latin makes it
 * several times faster. */
#define TRANSLIT_LATIN_TAIL               \
    ":: Latin-ASCII;\n"                   \
    ":: NFD;\n"                           \
    ":: [:Nonspacing Mark:] Remove;\n"    \
    ":: NFC;\n"

#endif
