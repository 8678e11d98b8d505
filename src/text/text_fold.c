#include "text_fold.h"

#include <pthread.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "normalize.h"

/* Ranges covered: Latin-1 Supplement to Latin Extended-B, Cyrillic and its
 * supplement, Arabic, Latin Extended Additional (Vietnamese). */
typedef struct fold_range {
    int32_t lo, hi;       /* [lo, hi) */
    int32_t around;       /* a letter of the block's script, ... */
    char around_latin;    /* ... and how it reads in Latin */
    size_t base;          /* first slot in the table */
} fold_range;

static fold_range RANGES[] = {
    {0x00C0, 0x0250, 'a', 'a', 0},
    {0x0400, 0x0530, 0x0431, 'b', 0},   /* б */
    {0x0600, 0x0700, 0x0628, 'b', 0},   /* ب */
    {0x1E00, 0x1F00, 'a', 'a', 0},
};
enum { N_RANGES = sizeof RANGES / sizeof RANGES[0], SLOT_MAX = 7 };

typedef struct fold_slot {
    char text[SLOT_MAX];
    uint8_t len;
    uint8_t known;        /* 0: ask ICU */
} fold_slot;

static fold_slot *slots;
static fold_slot slot_store[0x190 + 0x130 + 0x100 + 0x100];
static bool ready;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Characters whose transliteration depends on their neighbours are left to
 * ICU: combining marks compose with the letter before them (и + breve is
 * й), and the Arabic combining hamza and madda form new letters. */
static bool context_free(int32_t cp)
{
    if (cp >= 0x0653 && cp <= 0x0655)
        return false;
    int8_t t = u_charType(cp);
    if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK)
        return cp >= 0x064B && cp <= 0x0652;   /* harakat: always dropped */
    return t == U_UPPERCASE_LETTER || t == U_LOWERCASE_LETTER || t == U_TITLECASE_LETTER ||
           t == U_MODIFIER_LETTER || t == U_OTHER_LETTER || t == U_DECIMAL_DIGIT_NUMBER;
}

/* Asks the name normaliser about the character between two letters of
 * its own script's block ("a<cp>a", "б<cp>б", "ب<cp>ب"): the transliterator
 * depends on the script of the whole word (tatweel vanishes between Arabic
 * letters, not between Latin ones), and the letters around it show whether
 * it vanished, separated ("a a") or became letters. */
static void fill_slot(int32_t cp, int32_t around, char around_latin, fold_slot *slot,
                      normalized_text *nt)
{
    memset(slot, 0, sizeof *slot);
    if (!context_free(cp))
        return;
    char in[16];
    size_t n = 0;
    UBool bad = 0;
    U8_APPEND((uint8_t *)in, n, sizeof in, around, bad);
    U8_APPEND((uint8_t *)in, n, sizeof in, cp, bad);
    U8_APPEND((uint8_t *)in, n, sizeof in, around, bad);
    if (bad)
        return;
    if (normalize_name(in, n, nt, "text", NULL) != 0)
        return;
    if (nt->len < 2 || nt->text[0] != around_latin || nt->text[nt->len - 1] != around_latin)
        return;
    const char *mid = nt->text + 1;
    size_t m = nt->len - 2;
    if (m == 1 && mid[0] == ' ') {
        slot->text[0] = ' ';
        slot->len = 1;
        slot->known = 1;
        return;
    }
    if (m >= SLOT_MAX)
        return;
    for (size_t i = 0; i < m; i++)
        if (mid[i] == ' ')
            return;   /* splits into words mid-way: leave it to ICU */
    memcpy(slot->text, mid, m);
    slot->len = (uint8_t)m;
    slot->known = 1;
}

static void build(void)
{
    static normalized_text nt;   /* large: keep it off the stack */
    size_t base = 0;
    for (size_t r = 0; r < N_RANGES; r++) {
        RANGES[r].base = base;
        base += (size_t)(RANGES[r].hi - RANGES[r].lo);
    }
    slots = slot_store;
    for (size_t r = 0; r < N_RANGES; r++)
        for (int32_t cp = RANGES[r].lo; cp < RANGES[r].hi; cp++)
            fill_slot(cp, RANGES[r].around, RANGES[r].around_latin,
                      &slots[RANGES[r].base + (size_t)(cp - RANGES[r].lo)], &nt);
    /* A probe the table must get right, or ICU is missing. */
    ready = slots[RANGES[1].base + (0x0430 - 0x0400)].known;
}

bool text_fold_ready(void)
{
    pthread_once(&once, build);
    return ready;
}

bool text_fold_char(int32_t cp, const char **out, size_t *len)
{
    pthread_once(&once, build);
    if (!ready)
        return false;
    for (size_t r = 0; r < N_RANGES; r++) {
        if (cp < RANGES[r].lo || cp >= RANGES[r].hi)
            continue;
        const fold_slot *s = &slots[RANGES[r].base + (size_t)(cp - RANGES[r].lo)];
        if (!s->known)
            return false;
        *out = s->text;
        *len = s->len;
        return true;
    }
    return false;
}
