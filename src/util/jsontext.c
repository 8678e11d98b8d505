/* jsontext.c - JSON text straight into a buffer (see jsontext.h). */
#include "jsontext.h"

#include <stdlib.h>
#include <string.h>

void jx_init(jx_text *t, char *buf, size_t size)
{
    t->s = buf;
    t->cap = size;
    t->len = 0;
    t->failed = 0;
    t->heap = 0;
    t->s[0] = '\0';
}

void jx_free(jx_text *t)
{
    if (t->heap)
        free(t->s);
    t->s = NULL;
    t->len = t->cap = 0;
    t->heap = 0;
}

static int grow(jx_text *t, size_t n)
{
    if (t->failed)
        return -1;
    if (t->len + n + 1 <= t->cap)
        return 0;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + n + 1)
        cap *= 2;
    char *s = t->heap ? realloc(t->s, cap) : malloc(cap);
    if (!s) {
        t->failed = 1;
        return -1;
    }
    if (!t->heap)
        memcpy(s, t->s, t->len + 1);
    t->s = s;
    t->cap = cap;
    t->heap = 1;
    return 0;
}

void jx_raw(jx_text *t, const char *s, size_t n)
{
    if (grow(t, n) < 0)
        return;
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void jx_string(jx_text *t, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    jx_raw(t, "\"", 1);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        jx_raw(t, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"': jx_raw(t, "\\\"", 2); break;
        case '\\': jx_raw(t, "\\\\", 2); break;
        case '\b': jx_raw(t, "\\b", 2); break;
        case '\f': jx_raw(t, "\\f", 2); break;
        case '\n': jx_raw(t, "\\n", 2); break;
        case '\r': jx_raw(t, "\\r", 2); break;
        case '\t': jx_raw(t, "\\t", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            jx_raw(t, esc, 6);
        }
        }
    }
    jx_raw(t, run, strlen(run));
    jx_raw(t, "\"", 1);
}

size_t jx_format_int(char *buf, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t at = 0;
    if (v < 0)
        buf[at++] = '-';
    while (n)
        buf[at++] = tmp[--n];
    buf[at] = '\0';
    return at;
}

void jx_int(jx_text *t, int64_t v)
{
    char out[24];
    jx_raw(t, out, jx_format_int(out, v));
}

int jx_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                           : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!n)
            return 0;
        uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += n;
    }
    return 1;
}
