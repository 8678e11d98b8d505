/* service.h - interdict as an HTTP service: the JSON API under /v1, metrics,
 * the OpenAPI document and the analyst web page.
 *
 * The request layer here knows nothing of sockets: service_handle() takes a
 * parsed request (method, path, query arguments, a few headers, the body)
 * and fills a response. server.c drives it from libmicrohttpd; the fuzz
 * target and the unit tests call it directly. */
#ifndef INTERDICT_SERVICE_H
#define INTERDICT_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "casebook.h"

#define SERVICE_MAX_LISTS 16

typedef struct service_config {
    const char *db;                 /* casebook: SQLite path or postgres:// URI */
    const char *store;              /* list store (SQLite) or NULL */
    const char *list_paths[SERVICE_MAX_LISTS];
    size_t n_list_paths;
    const char *default_list;       /* when there are no files and no stored lists */
    const char *bind;               /* address to listen on; NULL: 127.0.0.1 */
    int port;                       /* 0: any free port */
    const char *port_file;          /* if set, the port is written there once listening */
    size_t max_body;                /* request body limit in bytes; 0: 1 MiB */
    size_t max_batch;               /* queries in one batch request; 0: 1000 */
    unsigned timeout;               /* idle connection timeout, seconds; 0: 15 */
    unsigned threads;               /* 0: one per core */
    int quiet;                      /* no start-up lines on stderr */
    int cache;                      /* keep the hits of recent queries (per list version) */
} service_config;

typedef struct service service;

/* Opens the casebook and loads the lists. NULL (and err) on failure. */
service *service_new(const service_config *cfg, char *err, size_t err_size);
void service_free(service *svc);
casebook *service_casebook(service *svc);

/* Loads the lists again, builds a new index and swaps it in; requests in
 * flight finish on the old one. Returns 0, or -1 with msg. */
int service_reload(service *svc, const char *actor, char *msg, size_t msg_size);

/* A request. Strings are NUL-terminated; the body need not be. */
typedef struct api_request {
    const char *method;
    const char *path;               /* decoded, without the query string */
    const char *(*arg)(void *ctx, const char *name);   /* query argument or NULL */
    void *arg_ctx;
    const char *content_type;       /* NULL when absent */
    const char *authorization;      /* "Bearer KEY" */
    const char *api_key;            /* X-API-Key */
    const char *body;
    size_t body_len;
    int body_too_large;             /* the body was over the limit and dropped */
    /* Offered by a server that can set a connection aside while the
     * casebook commits what the answer waits for (an alert, a durable
     * record); NULL: the service waits itself, on the calling thread.
     * park(park_ctx) asks, once per request: 1 and the service answers
     * with rs->wait, or 0. wake(park_ctx) is called later, from another
     * thread, once the answer can be made: the server then calls
     * service_resume on one of its own. */
    int (*park)(void *ctx);
    void (*wake)(void *ctx);
    void *park_ctx;
} api_request;

/* A request whose answer waits for a commit. */
typedef struct api_wait api_wait;

typedef struct api_response {
    int status;
    char *body;                     /* malloc'd unless body_static */
    size_t len;
    int body_static;
    const char *content_type;
    const char *cache_control;
    const char *route;              /* label for the metrics */
    api_wait *wait;                 /* set: no answer yet (see api_request.park) */
} api_response;

void service_handle(service *svc, const api_request *rq, api_response *rs);
/* The answer to a request that waited (rs->wait), once woken; frees the
 * wait. */
void service_resume(service *svc, api_wait *w, api_response *rs);
/* Frees a wait whose answer is no longer wanted (its connection closed),
 * once its write is done. */
void service_wait_free(api_wait *w);
void api_response_free(api_response *rs);

/* Counts a finished request in the metrics. */
void service_observe(service *svc, const char *route, int status, double seconds);

/* The limits in force (after defaults). */
size_t service_max_body(const service *svc);

/* Call once a worker thread is done with the library (frees its caches). */
void service_thread_done(void);

/* Runs the HTTP server until SIGTERM or SIGINT; SIGHUP reloads the lists.
 * Returns a process exit status. */
int service_run(service *svc, const service_config *cfg);

#endif
