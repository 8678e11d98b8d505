/* Fuzz target: ISO 20022 payment messages (pacs.008, pain.001, with or
 * without a business application header). The XML parser fills the model,
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
    check_payment_input(pay_parse_mx, data, size);
    return 0;
}
