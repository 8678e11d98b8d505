#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy_field(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

interdict_status set_error(interdict_error *err, interdict_status code,
                           const char *file, long line, const char *field,
                           const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    copy_field(err->file, sizeof err->file, file);
    err->line = line;
    copy_field(err->field, sizeof err->field, field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void clear_error(interdict_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *interdict_status_name(interdict_status code)
{
    switch (code) {
    case INTERDICT_OK: return "ok";
    case INTERDICT_ERR_IO: return "I/O error";
    case INTERDICT_ERR_NOMEM: return "out of memory";
    case INTERDICT_ERR_PARSE: return "parse error";
    case INTERDICT_ERR_FORMAT: return "unsupported format";
    case INTERDICT_ERR_ENCODING: return "encoding error";
    case INTERDICT_ERR_LIMIT: return "size limit exceeded";
    case INTERDICT_ERR_INVALID: return "invalid value";
    case INTERDICT_ERR_UNICODE: return "Unicode library error";
    }
    return "unknown error";
}

char *interdict_error_format(const interdict_error *err, char *buf, size_t size)
{
    if (!size)
        return buf;
    if (!err) {
        snprintf(buf, size, "no error");
        return buf;
    }
    size_t n = 0;
    int w;
#define APPEND(...)                                                  \
    do {                                                             \
        w = snprintf(buf + n, size - n, __VA_ARGS__);                \
        if (w < 0 || (size_t)w >= size - n) return buf;              \
        n += (size_t)w;                                              \
    } while (0)
    buf[0] = '\0';
    if (err->file[0]) {
        APPEND("%s", err->file);
        if (err->line > 0)
            APPEND(":%ld", err->line);
        APPEND(": ");
    }
    if (err->field[0])
        APPEND("%s: ", err->field);
    APPEND("%s", err->message[0] ? err->message : interdict_status_name(err->code));
#undef APPEND
    return buf;
}
