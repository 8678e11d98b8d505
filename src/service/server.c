/* server.c - the HTTP server: libmicrohttpd with a thread pool on epoll, one
 * thread per core, driving service_handle(). Bodies are collected up to the
 * limit (413 beyond it), idle connections time out, and signals are taken
 * by the main thread: SIGHUP reloads the lists, SIGTERM and SIGINT stop.
 *
 * Each thread serves many connections, so none of them waits for the
 * casebook: a request whose answer needs a commit (an alert, a durable
 * record) has its connection suspended until the writer's notice, and is
 * answered when libmicrohttpd hands the resumed connection back. */
#include "service.h"
#include "../util/dynlib.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* libmicrohttpd's functions, bound when the server starts (util/dynlib.h). */
static struct {
    __typeof__(MHD_start_daemon) *start_daemon;
    __typeof__(MHD_stop_daemon) *stop_daemon;
    __typeof__(MHD_get_daemon_info) *get_daemon_info;
    __typeof__(MHD_lookup_connection_value) *lookup_connection_value;
    __typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
    __typeof__(MHD_add_response_header) *add_response_header;
    __typeof__(MHD_queue_response) *queue_response;
    __typeof__(MHD_destroy_response) *destroy_response;
    __typeof__(MHD_suspend_connection) *suspend_connection;
    __typeof__(MHD_resume_connection) *resume_connection;
} mhd;

static bool bind_mhd(char *err, size_t err_size)
{
    const dynlib_symbol fns[] = {
        DYNLIB_SLOT("MHD_start_daemon", mhd.start_daemon),
        DYNLIB_SLOT("MHD_stop_daemon", mhd.stop_daemon),
        DYNLIB_SLOT("MHD_get_daemon_info", mhd.get_daemon_info),
        DYNLIB_SLOT("MHD_lookup_connection_value", mhd.lookup_connection_value),
        DYNLIB_SLOT("MHD_create_response_from_buffer", mhd.create_response_from_buffer),
        DYNLIB_SLOT("MHD_add_response_header", mhd.add_response_header),
        DYNLIB_SLOT("MHD_queue_response", mhd.queue_response),
        DYNLIB_SLOT("MHD_destroy_response", mhd.destroy_response),
        DYNLIB_SLOT("MHD_suspend_connection", mhd.suspend_connection),
        DYNLIB_SLOT("MHD_resume_connection", mhd.resume_connection),
    };
    return dynlib_bind(INTERDICT_MHD_SONAME, fns, sizeof fns / sizeof fns[0], err, err_size);
}

typedef struct conn_state {
    struct timespec start;
    char *body;
    size_t len, cap;
    int too_large;
    int status;
    const char *route;
    struct MHD_Connection *conn;
    api_wait *wait;            /* the answer waits for a commit */
    int may_park;              /* park() said yes for the request in hand */
    int ready, suspended;      /* under park_lock */
} conn_state;

/* Parked connections. MHD_stop_daemon must not find one suspended: at the
 * stop no more are parked, and the stop waits for those in flight. */
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int in_flight;       /* requests that may still be parked or resumed */
static atomic_int stopping;

static int park(void *ctx)
{
    conn_state *st = ctx;
    atomic_fetch_add(&in_flight, 1);
    if (atomic_load(&stopping)) {
        atomic_fetch_sub(&in_flight, 1);
        return 0;
    }
    st->may_park = 1;
    return 1;
}

/* From the casebook's writer thread: the commit is done. */
static void wake(void *ctx)
{
    conn_state *st = ctx;
    pthread_mutex_lock(&park_lock);
    st->ready = 1;
    if (st->suspended) {
        st->suspended = 0;
        mhd.resume_connection(st->conn);
    }
    pthread_mutex_unlock(&park_lock);
}

static void park_done(conn_state *st)
{
    if (st->may_park) {
        st->may_park = 0;
        atomic_fetch_sub(&in_flight, 1);
    }
}

static pthread_key_t thread_done_key;
static pthread_once_t thread_done_once = PTHREAD_ONCE_INIT;

/* Worker threads free the library's per-thread caches when they end. */
static void thread_done(void *unused)
{
    (void)unused;
    service_thread_done();
}

static void make_thread_key(void) { pthread_key_create(&thread_done_key, thread_done); }

static void mark_worker_thread(void)
{
    pthread_once(&thread_done_once, make_thread_key);
    if (!pthread_getspecific(thread_done_key))
        pthread_setspecific(thread_done_key, (void *)1);
}

static const char *query_arg(void *ctx, const char *name)
{
    return mhd.lookup_connection_value((struct MHD_Connection *)ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result send_response(struct MHD_Connection *c, conn_state *st,
                                     api_response *rs)
{
    struct MHD_Response *r;
    if (rs->body_static)
        r = mhd.create_response_from_buffer(rs->len, rs->body, MHD_RESPMEM_PERSISTENT);
    else
        r = mhd.create_response_from_buffer(rs->len, rs->body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        api_response_free(rs);
        return MHD_NO;
    }
    rs->body = NULL;    /* owned by the response now */
    mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rs->content_type ? rs->content_type : "application/json");
    mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (rs->cache_control)
        mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, rs->cache_control);
    if (rs->content_type && !strncmp(rs->content_type, "text/html", 9)) {
        mhd.add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; frame-ancestors 'none'");
        mhd.add_response_header(r, "X-Frame-Options", "DENY");
    }
    st->status = rs->status;
    st->route = rs->route;
    enum MHD_Result ok = mhd.queue_response(c, (unsigned)rs->status, r);
    mhd.destroy_response(r);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    service *svc = cls;
    conn_state *st = *con_cls;
    if (!st) {
        mark_worker_thread();
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &st->start);
        st->route = "unknown";
        *con_cls = st;
        /* a declared length over the limit is refused before it is sent */
        const char *cl = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            unsigned long long n = strtoull(cl, &end, 10);
            if (*end == '\0' && n > service_max_body(svc))
                st->too_large = 1;
        }
        if (!st->too_large)
            return MHD_YES;
    }
    if (*upload_size) {
        if (!st->too_large) {
            size_t need = st->len + *upload_size;
            if (need > service_max_body(svc)) {
                st->too_large = 1;
                free(st->body);
                st->body = NULL;
                st->len = st->cap = 0;
            } else {
                if (need + 1 > st->cap) {
                    size_t cap = st->cap ? st->cap : 4096;
                    while (cap < need + 1)
                        cap *= 2;
                    char *b = realloc(st->body, cap);
                    if (!b)
                        return MHD_NO;
                    st->body = b;
                    st->cap = cap;
                }
                memcpy(st->body + st->len, upload_data, *upload_size);
                st->len += *upload_size;
                st->body[st->len] = '\0';
            }
        }
        *upload_size = 0;
        if (!st->too_large)
            return MHD_YES;
    }
    if (st->wait) {
        /* resumed: the casebook has answered */
        api_response rs;
        service_resume(svc, st->wait, &rs);
        st->wait = NULL;
        park_done(st);
        return send_response(c, st, &rs);
    }
    api_request rq = {
        .method = method,
        .path = url,
        .arg = query_arg,
        .arg_ctx = c,
        .content_type = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_CONTENT_TYPE),
        .authorization = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_AUTHORIZATION),
        .api_key = mhd.lookup_connection_value(c, MHD_HEADER_KIND, "X-API-Key"),
        .body = st->body ? st->body : "",
        .body_len = st->len,
        .body_too_large = st->too_large,
        .park = park,
        .wake = wake,
        .park_ctx = st,
    };
    api_response rs;
    if (st->too_large) {
        /* answer now; the rest of the body is not read and the connection
         * is closed after the answer */
        memset(&rs, 0, sizeof rs);
        rs.status = 413;
        rs.route = "unknown";
        static const char msg[] = "{\"error\":{\"code\":\"payload_too_large\",\"message\":"
                                  "\"the request body is over the limit\"}}";
        rs.body = (char *)msg;
        rs.len = sizeof msg - 1;
        rs.body_static = 1;
        rs.content_type = "application/json";
    } else {
        st->conn = c;
        service_handle(svc, &rq, &rs);
        if (rs.wait) {
            st->wait = rs.wait;
            pthread_mutex_lock(&park_lock);
            int ready = st->ready;
            if (!ready) {
                st->suspended = 1;
                mhd.suspend_connection(c);
            }
            pthread_mutex_unlock(&park_lock);
            if (!ready)
                return MHD_YES;
            service_resume(svc, st->wait, &rs);
            st->wait = NULL;
        }
        park_done(st);
    }
    return send_response(c, st, &rs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)c;
    (void)why;
    service *svc = cls;
    conn_state *st = *con_cls;
    if (!st)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs = (double)(now.tv_sec - st->start.tv_sec) +
                  (double)(now.tv_nsec - st->start.tv_nsec) / 1e9;
    service_observe(svc, st->route, st->status ? st->status : 0, secs);
    if (st->wait) {
        /* closed before its answer */
        service_wait_free(st->wait);
        park_done(st);
    }
    free(st->body);
    free(st);
    *con_cls = NULL;
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 256 ? (unsigned)n : 1;
}

int service_run(service *svc, const service_config *cfg)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->port);
    const char *bind_to = cfg->bind ? cfg->bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind_to, &addr.sin_addr) != 1) {
        fprintf(stderr, "interdict: --bind needs an IPv4 address, not '%s'\n", bind_to);
        return 2;
    }
    /* the main thread takes the signals; every other thread blocks them */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    char why[256];
    if (!bind_mhd(why, sizeof why)) {
        fprintf(stderr, "interdict: cannot serve: %s\n", why);
        return 1;
    }

    unsigned threads = cfg->threads ? cfg->threads : cores();
    unsigned timeout = cfg->timeout ? cfg->timeout : 15;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
                     MHD_ALLOW_SUSPEND_RESUME;
    struct MHD_Daemon *d = mhd.start_daemon(
        flags, 0, NULL, NULL, on_request, svc,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)8 * 1024,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, svc,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "interdict: cannot listen on %s:%d: %s\n", bind_to, cfg->port,
                strerror(errno ? errno : EADDRINUSE));
        return 1;
    }
    const union MHD_DaemonInfo *info = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int port = info ? (int)info->port : cfg->port;
    if (cfg->port_file) {
        char tmp[1024];
        snprintf(tmp, sizeof tmp, "%s.tmp", cfg->port_file);
        FILE *f = fopen(tmp, "w");
        if (f) {
            fprintf(f, "%d\n", port);
            fclose(f);
            rename(tmp, cfg->port_file);
        }
    }
    if (!cfg->quiet)
        fprintf(stderr, "interdict: serving on http://%s:%d/ with %u threads, database %s\n",
                bind_to, port, threads, casebook_backend_name(service_casebook(svc)));
    int rc = 0;
    for (;;) {
        int sig = 0;
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            char msg[1024];
            if (service_reload(svc, "system (SIGHUP)", msg, sizeof msg) < 0)
                fprintf(stderr, "interdict: reload failed, lists unchanged: %s\n", msg);
            else if (!cfg->quiet)
                fprintf(stderr, "interdict: lists reloaded: %s\n", msg);
            continue;
        }
        break;
    }
    if (!cfg->quiet)
        fprintf(stderr, "interdict: stopping\n");
    /* no more parking; those parked are answered first (the casebook's
     * writer still runs), for at most ten seconds */
    atomic_store(&stopping, 1);
    for (int i = 0; i < 10000 && atomic_load(&in_flight) > 0; i++) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    mhd.stop_daemon(d);
    return rc;
}
