/* Libraries bound when first needed: a function found, and the two ways it
 * can fail named plainly (the library absent, a function missing). */
#include <math.h>
#include <string.h>

#include "check.h"
#include "util/dynlib.h"

int main(void)
{
    double (*cosine)(double) = NULL;
    char err[256] = "";
    const dynlib_symbol ok[] = {DYNLIB_SLOT("cos", cosine)};
    CHECK(dynlib_bind("libm.so.6", ok, 1, err, sizeof err));
    CHECK(cosine && cosine(0.0) == 1.0);

    double (*missing)(double) = NULL;
    const dynlib_symbol absent_fn[] = {DYNLIB_SLOT("interdict_no_such_function", missing)};
    CHECK(!dynlib_bind("libm.so.6", absent_fn, 1, err, sizeof err));
    CHECK(strstr(err, "libm.so.6") && strstr(err, "interdict_no_such_function"));
    CHECK(missing == NULL);

    const dynlib_symbol any[] = {DYNLIB_SLOT("cos", missing)};
    CHECK(!dynlib_bind("libinterdict-absent.so.0", any, 1, err, sizeof err));
    CHECK(strstr(err, "cannot load libinterdict-absent.so.0") != NULL);
    CHECK(missing == NULL);

    CHECK_DONE();
}
