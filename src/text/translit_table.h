/* translit_table.h - name normalisation by table lookup.
 *
 * Most scripts names arrive in (Latin with accents, Arabic, Cyrillic,
 * Chinese, Hebrew, Georgian) are transliterated by ICU rules that turn one
 * character into a fixed string. Compiling those rules costs far more than
 * screening thousands of names (Han-Latin alone takes most of a second), so
 * tools/gen_translit_table.c runs them at build time, character by
 * character, and writes what each character becomes. normalize.c uses the
 * table and falls back to ICU for names with a character the table does
 * not cover.
 *
 * Each character's entry (after NFKC and lower case) is TT_UNHANDLED or an
 * index into translit_strings with flags. */
#ifndef INTERDICT_TRANSLIT_TABLE_H
#define INTERDICT_TRANSLIT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define TT_UNHANDLED 0xFFFFu      /* only ICU knows; never a valid entry */
#define TT_STRING 0x07FFu         /* index into translit_strings */
#define TT_LATIN_DIFFERS 0x0800u  /* the Latin-script pipeline gives another result */
/* Han-Latin spaces syllables apart: before an ideograph that follows a
 * letter (marks between allowed), and before a Han letter right after an
 * ideograph. These flags and the left context let normalize.c do the same. */
#define TT_IDEOGRAPH 0x1000u      /* Unicode's Ideographic property */
#define TT_HAN_LETTER 0x2000u     /* a letter of the Han script */
#define TT_LEFT_SHIFT 14          /* 2 bits: what Han-Latin sees before the next one */
enum {
    TT_LEFT_KEEP = 0,             /* nothing new: a mark */
    TT_LEFT_LETTER = 1,           /* ends in a letter */
    TT_LEFT_OTHER = 2,            /* ends in a digit, space, punctuation ... */
    TT_LEFT_GONE = 3              /* removed before Han-Latin runs: as if absent */
};

typedef struct translit_string {
    uint16_t offset;              /* into translit_pool */
    uint8_t len;
} translit_string;

/* Han-Latin reads a few characters differently before a given one, with
 * at most one space between: 重庆 chong qing, not zhong qing. */
typedef struct translit_pair {
    uint32_t cp, next;
    uint16_t entry;
} translit_pair;

extern const uint16_t translit_pages[0x110000 >> 8];
extern const uint16_t translit_entries[][256];
extern const translit_string translit_strings[];
extern const char translit_pool[];
extern const translit_pair translit_pairs[];
extern const size_t translit_n_pairs;
/* Most UTF-8 bytes ICU's rules make of one character (and a space before
 * it): bounds the length of their result without running them. */
extern const size_t translit_max_bytes;

/* The matcher's alphabet for ASCII: letters lower-cased, digits kept,
 * apostrophes dropped (O'Neil, Ch'ol) and everything else a space. */
static inline char translit_ascii_class(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c + 32);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return (char)c;
    if (c == '\'' || c == '`')
        return 0;
    return ' ';
}

static inline uint16_t translit_entry(uint32_t cp)
{
    return cp < 0x110000 ? translit_entries[translit_pages[cp >> 8]][cp & 0xFF] : TT_UNHANDLED;
}

#endif
