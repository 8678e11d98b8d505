/* sha256.c - SHA-256 through OpenSSL's EVP interface. */
#include "sha256.h"

#include <openssl/evp.h>

int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL) || n != 32) {
        hex[0] = '\0';
        return -1;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[2 * n] = '\0';
    return 0;
}
