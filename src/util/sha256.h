/* sha256.h - SHA-256 digests (OpenSSL libcrypto) for list versions, API keys
 * and the audit chain. */
#ifndef INTERDICT_SHA256_H
#define INTERDICT_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes the lower-case hex digest of data and a NUL into hex[65].
 * Returns 0, or -1 when the digest could not be computed. */
int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

/* A digest of data given in pieces, for one thread at a time; reusable:
 * sha256_begin starts the next digest. */
typedef struct sha256_ctx sha256_ctx;

sha256_ctx *sha256_new(void);       /* NULL when out of memory */
void sha256_free(sha256_ctx *c);
int sha256_begin(sha256_ctx *c);
int sha256_add(sha256_ctx *c, const void *data, size_t len);
/* The lower-case hex digest of what was added since sha256_begin. */
int sha256_end_hex(sha256_ctx *c, char hex[SHA256_HEX_LEN + 1]);

#endif
