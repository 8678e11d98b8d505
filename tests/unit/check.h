/* check.h - minimal assertions for the unit tests.
 *
 * Each test file is its own executable registered with ctest. A failed
 * CHECK prints file:line and the expression and counts a failure; the
 * program's exit status is the number of failures (capped), so ctest sees
 * any failure. */
#ifndef INTERDICT_CHECK_H
#define INTERDICT_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(expr)                                                        \
    do {                                                                   \
        check_count++;                                                     \
        if (!(expr)) {                                                     \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr); \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *check_a_ = (a), *check_b_ = (b);                       \
        check_count++;                                                     \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {   \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", \
                    __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)", \
                    check_b_ ? check_b_ : "(null)");                        \
        }                                                                  \
    } while (0)

#define CHECK_DONE()                                                       \
    do {                                                                   \
        fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures); \
        return check_failures > 100 ? 100 : check_failures;                \
    } while (0)

/* Path of the repository's test data folder, set by CMake. */
#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif
#ifndef BUNDLED_LIST
#define BUNDLED_LIST "data/un/consolidated.xml"
#endif

#endif
