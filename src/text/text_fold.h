/* text_fold.h - per-character transliteration for scanning running text.
 *
 * normalize_name() runs an ICU transliterator, about ten microseconds a
 * call: fine for a name, too slow for every word of a long document. For
 * the scripts whose transliteration is one character at a time (Latin with
 * diacritics, Cyrillic, Arabic) this module keeps a table, filled once by
 * asking the very same transliterator about each character, so a word
 * folded through the table reads exactly as normalize_name() would write
 * it. Other scripts (and words with combining marks, whose composition
 * depends on the neighbour) still go through ICU. */
#ifndef INTERDICT_TEXT_FOLD_H
#define INTERDICT_TEXT_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The transliteration of code point cp as lower-case ASCII ("" when it
 * disappears, " " when it separates, e.g. the Arabic ain). Returns false
 * when the table does not cover cp; then the caller must use ICU. Builds
 * the table on first use (thread-safe). */
bool text_fold_char(int32_t cp, const char **out, size_t *len);

/* True when the table could be built (ICU available). */
bool text_fold_ready(void);

#endif
