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

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

interdict_status interdict_fetch(const char *url, const char *path, size_t max_bytes,
                                 long timeout_seconds, interdict_error *err)
{
    clear_error(err);
    if (!url || !path)
        return set_error(err, INTERDICT_ERR_INVALID, "<fetch>", 0, "", "missing URL or path");
    pthread_once(&curl_once, init_curl);
    if (curl_init_rc != CURLE_OK)
        return set_error(err, INTERDICT_ERR_IO, url, 0, "", "libcurl: %s",
                         curl_easy_strerror(curl_init_rc));
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.part-%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return set_error(err, INTERDICT_ERR_INVALID, path, 0, "", "path too long");
    sink s = {fopen(tmp, "wb"), 0, max_bytes ? max_bytes : LIST_MAX_FILE_BYTES, 0, 0};
    if (!s.f)
        return set_error(err, INTERDICT_ERR_IO, tmp, 0, "", "cannot create: %s", strerror(errno));
    CURL *c = curl_easy_init();
    if (!c) {
        fclose(s.f);
        unlink(tmp);
        return set_error(err, INTERDICT_ERR_NOMEM, url, 0, "", "cannot start libcurl");
    }
    char curl_msg[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_msg);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds > 0 ? timeout_seconds : 300L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "interdict/" INTERDICT_VERSION);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");   /* gzip where offered */
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE));
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    int close_failed = fclose(s.f) != 0;
    interdict_status st = INTERDICT_OK;
    if (s.too_big)
        st = set_error(err, INTERDICT_ERR_LIMIT, url, 0, "", "download larger than %zu bytes",
                       s.max);
    else if (s.write_failed || close_failed)
        st = set_error(err, INTERDICT_ERR_IO, tmp, 0, "", "cannot write the download");
    else if (rc != CURLE_OK)
        st = set_error(err, INTERDICT_ERR_IO, url, 0, "", "download failed: %s",
                       curl_msg[0] ? curl_msg : curl_easy_strerror(rc));
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
