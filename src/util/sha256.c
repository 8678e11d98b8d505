/* sha256.c - SHA-256 through OpenSSL.
 *
 * OpenSSL 3's EVP interface sets up its providers on first use, close to a
 * millisecond: as long as hashing the UN list itself, and paid by every
 * short command that loads one. The plain SHA256_* functions (deprecated
 * since 3.0, still built by default) give the same digest without that
 * set-up; EVP stands in where they are compiled out. */
#define OPENSSL_SUPPRESS_DEPRECATED     /* before any OpenSSL header */
#include "sha256.h"

#include <openssl/evp.h>
#include <openssl/opensslconf.h>
#include <openssl/sha.h>

static int digest(const void *data, size_t len, unsigned char out[32])
{
#ifndef OPENSSL_NO_DEPRECATED_3_0
    SHA256_CTX ctx;
    return SHA256_Init(&ctx) && SHA256_Update(&ctx, data, len) && SHA256_Final(out, &ctx)
               ? 0 : -1;
#else
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) && n == 32 ? 0 : -1;
#endif
}

int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
    unsigned char d[32];
    if (digest(data, len, d) < 0) {
        hex[0] = '\0';
        return -1;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * sizeof d] = '\0';
    return 0;
}
