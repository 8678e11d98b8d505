/* Tests of the JSON text writer: byte for byte what Jansson's json_dumps
 * writes for the same strings and numbers, whatever the bytes. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/jsontext.h"

static void same_string(const char *s)
{
    json_t *v = json_string(s);
    CHECK(v != NULL);
    if (!v)
        return;
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    char buf[16];     /* small: the text grows onto the heap */
    jx_text t;
    jx_init(&t, buf, sizeof buf);
    jx_string(&t, s);
    CHECK(!t.failed && want && t.len == strlen(want) && !strcmp(t.s, want));
    if (want && strcmp(t.s, want))
        fprintf(stderr, "  got %s\n  want %s\n", t.s, want);
    jx_free(&t);
    free(want);
    json_decref(v);
}

/* A random valid UTF-8 string, heavy in what needs escaping. */
static void random_utf8(char *out, size_t cap, unsigned *seed)
{
    static const uint32_t pick[] = {'"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0x01, 0x1f,
                                    0x7f, 'a', ' ', 0xe9, 0x2028, 0x65e5, 0x1f600, 0xfffd};
    size_t n = 0;
    size_t len = (size_t)(rand_r(seed) % 40);
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = pick[(size_t)rand_r(seed) % (sizeof pick / sizeof *pick)];
        if (rand_r(seed) % 4 == 0)
            cp = 0x20 + (uint32_t)(rand_r(seed) % 0x5f);
        char enc[4];
        size_t k;
        if (cp < 0x80) {
            enc[0] = (char)cp;
            k = 1;
        } else if (cp < 0x800) {
            enc[0] = (char)(0xc0 | cp >> 6);
            enc[1] = (char)(0x80 | (cp & 0x3f));
            k = 2;
        } else if (cp < 0x10000) {
            enc[0] = (char)(0xe0 | cp >> 12);
            enc[1] = (char)(0x80 | (cp >> 6 & 0x3f));
            enc[2] = (char)(0x80 | (cp & 0x3f));
            k = 3;
        } else {
            enc[0] = (char)(0xf0 | cp >> 18);
            enc[1] = (char)(0x80 | (cp >> 12 & 0x3f));
            enc[2] = (char)(0x80 | (cp >> 6 & 0x3f));
            enc[3] = (char)(0x80 | (cp & 0x3f));
            k = 4;
        }
        if (n + k + 1 > cap)
            break;
        memcpy(out + n, enc, k);
        n += k;
    }
    out[n] = '\0';
}

int main(void)
{
    same_string("");
    same_string("plain text");
    same_string("quote \" backslash \\ slash /");
    same_string("\b\f\n\r\t \x01\x02\x1e\x1f \x7f");
    same_string("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \xe2\x80\xa8");
    unsigned seed = 12345;
    for (int i = 0; i < 20000; i++) {
        char s[256];
        random_utf8(s, sizeof s, &seed);
        same_string(s);
    }

    /* valid UTF-8 is what Jansson takes as a string */
    const char *odd[] = {"", "abc", "caf\xc3\xa9", "\xc3", "\xc3\x28", "\xe2\x82", "\xed\xa0\x80",
                         "\xf0\x9f\x98\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xff", "ok \xe6\x97"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        json_t *v = json_string(odd[i]);
        CHECK(jx_utf8_valid(odd[i]) == (v != NULL));
        json_decref(v);
    }
    for (int i = 0; i < 2000; i++) {
        char s[64];
        size_t n = (size_t)(rand_r(&seed) % 8);
        for (size_t k = 0; k < n; k++)
            s[k] = (char)(1 + rand_r(&seed) % 255);
        s[n] = '\0';
        json_t *v = json_string(s);
        CHECK(jx_utf8_valid(s) == (v != NULL));
        json_decref(v);
    }

    /* integers, and a document of several pieces */
    const int64_t nums[] = {0, 1, -1, 42, 1234567890123LL, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        json_t *v = json_integer(nums[i]);
        char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        char buf[64];
        jx_text t;
        jx_init(&t, buf, sizeof buf);
        jx_int(&t, nums[i]);
        CHECK(want && !strcmp(t.s, want));
        jx_free(&t);
        free(want);
        json_decref(v);
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string("scr_1"));
    json_object_set_new(o, "n", json_integer(7));
    json_object_set_new(o, "hits", json_array());
    char *want = json_dumps(o, JSON_COMPACT);
    char buf[8];
    jx_text t;
    jx_init(&t, buf, sizeof buf);
    jx_lit(&t, "{\"id\":");
    jx_string(&t, "scr_1");
    jx_lit(&t, ",\"n\":");
    jx_int(&t, 7);
    jx_lit(&t, ",\"hits\":[]}");
    CHECK(want && !t.failed && !strcmp(t.s, want));
    jx_free(&t);
    free(want);
    json_decref(o);

    CHECK_DONE();
}
