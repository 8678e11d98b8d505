/* normalize.h - any-script name text to lower-case ASCII Latin.
 *
 * Screening compares names in one script: compatibility forms are folded,
 * every script transliterated to Latin (Cyrillic with rules tuned to the
 * English-style romanisations banks see, Arabic after folding its letter
 * variants) and diacritics stripped, by the ICU rules of translit_rules.h.
 * Pure-ASCII input skips all that, since it is most of the traffic; the
 * common scripts go through tables made from those rules at build time
 * (translit_table.h), and only the rest through ICU's transliterators. */
#ifndef INTERDICT_NORMALIZE_H
#define INTERDICT_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "interdict.h"

/* Longest name accepted, in bytes. Longer input is an error, not a silent
 * truncation: a 10 MB "name" is a bad record. */
#define NAME_MAX_BYTES 4096

typedef struct normalized_text {
    char text[NAME_MAX_BYTES * 2];  /* lower-case ASCII, NUL-terminated */
    size_t len;
    bool from_abjad;                /* Arabic/Hebrew/Syriac script: no short vowels */
} normalized_text;

/* Normalises `len` bytes of UTF-8. Returns INTERDICT_OK or an error
 * (ENCODING for invalid UTF-8, LIMIT for oversized input, INVALID for a
 * name with no letters or digits). err->field is set to `field`. */
interdict_status normalize_name(const char *utf8, size_t len,
                                normalized_text *out, const char *field,
                                interdict_error *err);

/* For tests: the same computed by ICU's transliterators alone, the
 * reference the tables of translit_table.h must agree with; and by those
 * tables alone, failing with INTERDICT_ERR_UNICODE for a name that needs
 * ICU. */
interdict_status normalize_name_icu(const char *utf8, size_t len,
                                    normalized_text *out, const char *field,
                                    interdict_error *err);
interdict_status normalize_name_table(const char *utf8, size_t len,
                                      normalized_text *out, const char *field,
                                      interdict_error *err);

/* Releases this thread's transliterator clone. */
void normalize_thread_cleanup(void);

#endif
