/* jsontext.h - JSON text written straight into a buffer, byte for byte as
 * Jansson's json_dumps(v, JSON_COMPACT) writes the same values, for the few
 * documents made on every request (a json_t built only to be dumped costs
 * an allocation per value). Strings must be valid UTF-8 without NULs, as
 * Jansson's own are.
 *
 *     char buf[512];
 *     jx_text t;
 *     jx_init(&t, buf, sizeof buf);
 *     jx_lit(&t, "{\"name\":");
 *     jx_string(&t, name);
 *     jx_lit(&t, "}");
 *     if (!t.failed) use(t.s, t.len);
 *     jx_free(&t);
 */
#ifndef INTERDICT_JSONTEXT_H
#define INTERDICT_JSONTEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct jx_text {
    char *s;             /* the text so far, NUL-terminated */
    size_t len, cap;
    int failed;          /* out of memory: the text is incomplete */
    int heap;            /* s was allocated (else the caller's buffer) */
} jx_text;

/* Starts in the caller's buffer (size > 0); grows on the heap beyond it. */
void jx_init(jx_text *t, char *buf, size_t size);
void jx_free(jx_text *t);

void jx_raw(jx_text *t, const char *s, size_t n);
#define jx_lit(t, lit) jx_raw((t), (lit), sizeof(lit) - 1)
/* A JSON string: quotes, backslashes and control characters escaped as
 * Jansson does (\n, \t, ..., \u001F), other bytes as they are. */
void jx_string(jx_text *t, const char *s);
void jx_int(jx_text *t, int64_t v);
/* v in decimal and a NUL into buf[21] (INT64_MIN needs 20 and the NUL);
 * returns the length. */
size_t jx_format_int(char *buf, int64_t v);
/* Whether s is valid UTF-8 (what Jansson takes as a string; a member whose
 * string it refuses is left out of its object). */
int jx_utf8_valid(const char *s);

#endif
