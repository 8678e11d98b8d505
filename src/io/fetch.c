/* fetch.c - downloading list files with libcurl.
 *
 * A list replaces the one in use only after it has been fully received,
 * parsed and found plausible; this layer guarantees the first part: the
 * bytes land in a temporary file that is renamed into place only when the
 * transfer completed without error. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "interdict.h"
#include "../list/list.h"
#include "../util/dynlib.h"
#include "../util/error.h"

#include <curl/curl.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct sink {
    FILE *f;
    size_t got, max;
    int too_big, write_failed;
} sink;

static size_t on_data(char *data, size_t size, size_t n, void *user)
{
    sink *s = user;
    size_t len = size * n;
    if (s->got + len > s->max) {
        s->too_big = 1;
        return 0;               /* aborts the transfer */
    }
    if (fwrite(data, 1, len, s->f) != len) {
        s->write_failed = 1;
        return 0;
    }
    s->got += len;
    return len;
}

/* libcurl's functions, bound on the first download (util/dynlib.h). */
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *c, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *c);
    CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *c);
    const char *(*easy_strerror)(CURLcode rc);
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_failed[256];      /* why libcurl cannot be used, or "" */

static void init_curl(void)
{
    const dynlib_symbol fns[] = {
        DYNLIB_SLOT("curl_global_init", curl.global_init),
        DYNLIB_SLOT("curl_easy_init", curl.easy_init),
        DYNLIB_SLOT("curl_easy_setopt", curl.easy_setopt),
        DYNLIB_SLOT("curl_easy_perform", curl.easy_perform),
        DYNLIB_SLOT("curl_easy_getinfo", curl.easy_getinfo),
        DYNLIB_SLOT("curl_easy_cleanup", curl.easy_cleanup),
        DYNLIB_SLOT("curl_easy_strerror", curl.easy_strerror),
    };
    if (!dynlib_bind(INTERDICT_CURL_SONAME, fns, sizeof fns / sizeof fns[0], curl_failed,
                     sizeof curl_failed))
        return;
    CURLcode rc = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK)
        snprintf(curl_failed, sizeof curl_failed, "libcurl: %s", curl.easy_strerror(rc));
}

interdict_status interdict_fetch(const char *url, const char *path, size_t max_bytes,
                                 long timeout_seconds, interdict_error *err)
{
    clear_error(err);
    if (!url || !path)
        return set_error(err, INTERDICT_ERR_INVALID, "<fetch>", 0, "", "missing URL or path");
    pthread_once(&curl_once, init_curl);
    if (curl_failed[0])
        return set_error(err, INTERDICT_ERR_IO, url, 0, "", "%s", curl_failed);
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.part-%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return set_error(err, INTERDICT_ERR_INVALID, path, 0, "", "path too long");
    sink s = {fopen(tmp, "wb"), 0, max_bytes ? max_bytes : LIST_MAX_FILE_BYTES, 0, 0};
    if (!s.f)
        return set_error(err, INTERDICT_ERR_IO, tmp, 0, "", "cannot create: %s", strerror(errno));
    CURL *c = curl.easy_init();
    if (!c) {
        fclose(s.f);
        unlink(tmp);
        return set_error(err, INTERDICT_ERR_NOMEM, url, 0, "", "cannot start libcurl");
    }
    char curl_msg[CURL_ERROR_SIZE] = "";
    curl.easy_setopt(c, CURLOPT_URL, url);
    curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl.easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl.easy_setopt(c, CURLOPT_ERRORBUFFER, curl_msg);
    curl.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl.easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds > 0 ? timeout_seconds : 300L);
    curl.easy_setopt(c, CURLOPT_USERAGENT, "interdict/" INTERDICT_VERSION);
    curl.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");   /* gzip where offered */
#if LIBCURL_VERSION_NUM >= 0x075500
    curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl.easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE));
    curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    CURLcode rc = curl.easy_perform(c);
    long status = 0;
    curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl.easy_cleanup(c);
    int close_failed = fclose(s.f) != 0;
    interdict_status st = INTERDICT_OK;
    if (s.too_big)
        st = set_error(err, INTERDICT_ERR_LIMIT, url, 0, "", "download larger than %zu bytes",
                       s.max);
    else if (s.write_failed || close_failed)
        st = set_error(err, INTERDICT_ERR_IO, tmp, 0, "", "cannot write the download");
    else if (rc != CURLE_OK)
        st = set_error(err, INTERDICT_ERR_IO, url, 0, "", "download failed: %s",
                       curl_msg[0] ? curl_msg : curl.easy_strerror(rc));
    else if (s.got == 0)
        st = set_error(err, INTERDICT_ERR_FORMAT, url, 0, "", "download is empty (status %ld)",
                       status);
    else if (rename(tmp, path) != 0)
        st = set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot rename the download: %s",
                       strerror(errno));
    if (st != INTERDICT_OK)
        unlink(tmp);
    return st;
}
