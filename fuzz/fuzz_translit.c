/* Fuzz target: transliteration by the generated tables (translit_table.h)
 * against ICU's transliterators running the same rules. Any bytes go in as
 * a name; a different result, status or abjad flag aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static normalized_text by_table, by_icu;
    const char *s = (const char *)data;
    interdict_status a = normalize_name(s, size, &by_table, "name", NULL);
    interdict_status b = normalize_name_icu(s, size, &by_icu, "name", NULL);
    if (a != b || (a == INTERDICT_OK && (strcmp(by_table.text, by_icu.text) != 0 ||
                                         by_table.from_abjad != by_icu.from_abjad))) {
        fprintf(stderr, "table \"%s\" (%d), ICU \"%s\" (%d)\n", by_table.text, a, by_icu.text, b);
        abort();
    }
    return 0;
}
