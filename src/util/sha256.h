/* sha256.h - SHA-256 digests (OpenSSL libcrypto) for list versions. */
#ifndef INTERDICT_SHA256_H
#define INTERDICT_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes the lower-case hex digest of data and a NUL into hex[65].
 * Returns 0, or -1 when the digest could not be computed. */
int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif
