/* Fuzz target: SWIFT MT payment messages (MT103, MT202, MT202COV, several
 * to a file, and whatever else is in the file). The MT parser fills the model,
 * which must keep its invariants; then the whole input is screened and the
 * report must hold everything it could not read. Nothing may crash, hang
 * or leak. */
#include "payment_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pay_doc doc;
    pay_doc_init(&doc, "fuzz");
    pay_parse_mt(&doc, (const char *)data, size);
    if (!doc.oom)
        check_doc(&doc);
    pay_doc_free(&doc);

    interdict_error err;
    if (interdict_payment_screen_memory(fuzz_screener, (const char *)data, size, "fuzz", &err) ==
        INTERDICT_OK)
        check_report(fuzz_screener);
    return 0;
}
