/* Fuzz target: name normalisation, tokenisation and screening.
 * Any bytes go in as a name; nothing may crash, hang or leak. The index is
 * built once from the bundled list. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"

static interdict_list *list;
static interdict_index *index_;
static interdict_result *result;

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
    result = interdict_result_new();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char norm[1024];
    interdict_normalize_name((const char *)data, size, norm, sizeof norm, NULL);

    char *name = malloc(size + 1);
    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';
    interdict_query q;
    memset(&q, 0, sizeof q);
    q.name = name;
    q.threshold = 0.5;   /* low, so scoring and explanation paths run too */
    if (interdict_screen(index_, &q, result, NULL) == INTERDICT_OK) {
        char why[512];
        for (size_t i = 0; i < interdict_result_count(result); i++)
            interdict_hit_explain(interdict_result_hit(result, i), why, sizeof why);
    }
    free(name);
    return 0;
}
