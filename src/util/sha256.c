/* sha256.c - SHA-256 through OpenSSL's EVP interface. The algorithm is
 * fetched from the provider once: EVP_sha256() in a digest call would look
 * it up again (a search under a lock) every time. */
#include "sha256.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>

struct sha256_ctx {
    EVP_MD_CTX *ctx;
};

static EVP_MD *fetched;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch(void) { fetched = EVP_MD_fetch(NULL, "SHA256", NULL); }

static const EVP_MD *md(void)
{
    pthread_once(&fetch_once, fetch);
    return fetched ? fetched : EVP_sha256();
}

static void to_hex(const unsigned char *digest, unsigned n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[2 * n] = '\0';
}

int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(data, len, digest, &n, md(), NULL) || n != 32) {
        hex[0] = '\0';
        return -1;
    }
    to_hex(digest, n, hex);
    return 0;
}

sha256_ctx *sha256_new(void)
{
    sha256_ctx *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->ctx = EVP_MD_CTX_new();
    if (!c->ctx) {
        free(c);
        return NULL;
    }
    return c;
}

void sha256_free(sha256_ctx *c)
{
    if (!c)
        return;
    EVP_MD_CTX_free(c->ctx);
    free(c);
}

int sha256_begin(sha256_ctx *c) { return EVP_DigestInit_ex(c->ctx, md(), NULL) ? 0 : -1; }

int sha256_add(sha256_ctx *c, const void *data, size_t len)
{
    return EVP_DigestUpdate(c->ctx, data, len) ? 0 : -1;
}

int sha256_end_hex(sha256_ctx *c, char hex[SHA256_HEX_LEN + 1])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_DigestFinal_ex(c->ctx, digest, &n) || n != 32) {
        hex[0] = '\0';
        return -1;
    }
    to_hex(digest, n, hex);
    return 0;
}
