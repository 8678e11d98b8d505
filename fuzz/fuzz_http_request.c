/* Fuzz target: the service's request layer (routing, authentication, query
 * arguments, JSON bodies and every handler), called directly, not through
 * sockets.
 *
 * Input: a request line "METHOD /path?a=1&b=2", header lines "Name: value",
 * an empty line, then the body. "@ADMIN@", "@ANALYST@" and "@CLIENT@" in a
 * header value stand for valid keys of those roles, so the fuzzer reaches
 * the handlers behind authentication. Every answer must be a status from
 * 200 to 599 and, when JSON, parse; errors must have {"error": {"code"}}. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "service/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_LIST
#define FUZZ_LIST "data/un/consolidated.xml"
#endif

static service *svc;
static char admin_key[CB_KEY_MAX], analyst_key[CB_KEY_MAX], client_key[CB_KEY_MAX];

static char db[64];

static void remove_db(void)
{
    char path[96];
    unlink(db);
    snprintf(path, sizeof path, "%s-wal", db);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db);
    unlink(path);
}

static void setup(void)
{
    snprintf(db, sizeof db, "/tmp/interdict-fuzz-%d.db", (int)getpid());
    unlink(db);
    service_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db = db;
    cfg.list_paths[0] = FUZZ_LIST;
    cfg.n_list_paths = 1;
    cfg.max_body = 65536;
    cfg.max_batch = 20;
    cfg.cache = 1;
    char err[1024];
    svc = service_new(&cfg, err, sizeof err);
    if (!svc) {
        fprintf(stderr, "fuzz_http_request: %s\n", err);
        abort();
    }
    int64_t id;
    casebook *cb = service_casebook(svc);
    if (casebook_key_create(cb, CB_ROLE_ADMIN, "fuzz-admin", NULL, admin_key, &id) != CB_OK ||
        casebook_key_create(cb, CB_ROLE_ANALYST, "fuzz-analyst", NULL, analyst_key, &id) != CB_OK ||
        casebook_key_create(cb, CB_ROLE_CLIENT, "fuzz-client", NULL, client_key, &id) != CB_OK)
        abort();
    atexit(remove_db);
}

#define MAX_ARGS 16
#define MAX_HEADERS 16

typedef struct parsed {
    char *names[MAX_ARGS], *values[MAX_ARGS];
    int n;
} parsed;

static const char *lookup_arg(void *ctx, const char *name)
{
    parsed *p = ctx;
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->names[i], name))
            return p->values[i];
    return NULL;
}

static char *substitute_key(char *value)
{
    if (!strcmp(value, "@ADMIN@"))
        return admin_key;
    if (!strcmp(value, "Bearer @ADMIN@") || !strcmp(value, "Bearer @ANALYST@") ||
        !strcmp(value, "Bearer @CLIENT@")) {
        static _Thread_local char bearer[CB_KEY_MAX + 8];
        const char *k = strstr(value, "ADMIN") ? admin_key
                        : strstr(value, "ANALYST") ? analyst_key : client_key;
        snprintf(bearer, sizeof bearer, "Bearer %s", k);
        return bearer;
    }
    if (!strcmp(value, "@ANALYST@"))
        return analyst_key;
    if (!strcmp(value, "@CLIENT@"))
        return client_key;
    return value;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!svc)
        setup();
    if (size > 70000)
        return 0;
    /* a copy with a NUL so the head can be cut into strings in place */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *head_end = NULL;
    for (size_t i = 0; i + 1 < size; i++)
        if (buf[i] == '\n' && buf[i + 1] == '\n') {
            head_end = buf + i;
            break;
        }
    const char *body = "";
    size_t body_len = 0;
    if (head_end) {
        *head_end = '\0';
        body = head_end + 2;
        body_len = size - (size_t)(body - buf);
    }
    /* the head stops at the first NUL, as a header parser would */
    char *line = buf, *next = strchr(line, '\n');
    if (next)
        *next++ = '\0';
    char *space = strchr(line, ' ');
    if (!space) {
        free(buf);
        return 0;
    }
    *space = '\0';
    char *method = line, *path = space + 1;
    parsed args = {.n = 0};
    char *q = strchr(path, '?');
    if (q) {
        *q++ = '\0';
        while (q && *q && args.n < MAX_ARGS) {
            char *amp = strchr(q, '&');
            if (amp)
                *amp++ = '\0';
            char *eq = strchr(q, '=');
            if (eq)
                *eq++ = '\0';
            args.names[args.n] = q;
            args.values[args.n] = eq ? eq : (char *)"";
            args.n++;
            q = amp;
        }
    }
    api_request rq = {.method = method, .path = path, .arg = lookup_arg, .arg_ctx = &args,
                      .body = body, .body_len = body_len};
    for (int h = 0; next && *next && h < MAX_HEADERS; h++) {
        char *hl = next;
        next = strchr(hl, '\n');
        if (next)
            *next++ = '\0';
        char *colon = strchr(hl, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ')
            value++;
        value = substitute_key(value);
        if (!strcasecmp(hl, "Content-Type"))
            rq.content_type = value;
        else if (!strcasecmp(hl, "Authorization"))
            rq.authorization = value;
        else if (!strcasecmp(hl, "X-API-Key"))
            rq.api_key = value;
        else if (!strcasecmp(hl, "X-Too-Large"))
            rq.body_too_large = 1;
    }
    if (body_len > service_max_body(svc))
        rq.body_too_large = 1;

    api_response rs;
    service_handle(svc, &rq, &rs);
    if (rs.status < 200 || rs.status > 599 || !rs.body)
        abort();
    if (rs.content_type && !strcmp(rs.content_type, "application/json")) {
        json_t *v = json_loadb(rs.body, rs.len, 0, NULL);
        if (!v)
            abort();
        if (rs.status >= 400) {
            json_t *e = json_object_get(v, "error");
            if (!json_is_string(json_object_get(e, "code")) &&
                !json_is_string(json_object_get(json_object_get(v, "error"), "code")))
                abort();
        }
        json_decref(v);
    }
    api_response_free(&rs);
    free(buf);
    return 0;
}
