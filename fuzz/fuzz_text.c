/* Fuzz target: free-text screening. Any bytes go in as a document, once
 * whole and once streamed in chunks whose sizes come from the input; both
 * must give the same hits (a difference aborts, so the fuzzer reports it),
 * and nothing may crash, hang or leak. The index is built once from the
 * bundled list. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"

static interdict_list *list;
static interdict_index *index_;
static interdict_text_result *whole, *streamed;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (interdict_list_load(FUZZ_LIST, &list, NULL) != INTERDICT_OK)
        abort();
    const interdict_list *lists[1] = {list};
    if (interdict_index_build(lists, 1, &index_, NULL) != INTERDICT_OK)
        abort();
    whole = interdict_text_result_new();
    streamed = interdict_text_result_new();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    interdict_text_options opt = {0.5, 0};   /* low: more scoring paths run */
    const char *text = (const char *)data;
    if (interdict_screen_text(index_, text, size, &opt, whole, NULL) != INTERDICT_OK)
        abort();
    if (interdict_text_begin(index_, &opt, streamed, NULL) != INTERDICT_OK)
        abort();
    /* chunk sizes 1..16 drawn from the bytes themselves */
    size_t off = 0, i = 0;
    while (off < size) {
        size_t k = 1 + (data[i++ % size] & 15);
        if (k > size - off)
            k = size - off;
        if (interdict_text_feed(streamed, text + off, k, NULL) != INTERDICT_OK)
            abort();
        off += k;
    }
    if (interdict_text_end(streamed, NULL) != INTERDICT_OK)
        abort();
    size_t n = interdict_text_result_count(whole);
    if (n != interdict_text_result_count(streamed))
        abort();
    for (size_t h = 0; h < n; h++) {
        const interdict_text_hit *a = interdict_text_result_hit(whole, h);
        const interdict_text_hit *b = interdict_text_result_hit(streamed, h);
        if (a->entry != b->entry || a->start != b->start || a->end != b->end ||
            a->end > size || a->start >= a->end || strcmp(a->text, b->text) != 0 ||
            strlen(a->text) != a->end - a->start)
            abort();
    }
    const char *wa = interdict_text_result_warning(whole);
    const char *wb = interdict_text_result_warning(streamed);
    if ((wa == NULL) != (wb == NULL) || (wa && strcmp(wa, wb) != 0))
        abort();
    return 0;
}
