/* text_words.h - everyday words that are no evidence of a party on their own. */
#ifndef INTERDICT_TEXT_WORDS_H
#define INTERDICT_TEXT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* True when w (n bytes, lower-case ASCII as the matcher writes tokens) is
 * an ordinary word, country or common acronym in one of the languages the
 * scanner expects. Thread-safe. */
bool text_common_word(const char *w, size_t n);

#endif
