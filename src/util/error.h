/* error.h - filling interdict_error records. */
#ifndef INTERDICT_ERROR_H
#define INTERDICT_ERROR_H

#include "interdict.h"

/* Fills err (if not NULL) and returns code, so callers can write
 * `return set_error(err, ...)`. fmt is printf-style for the message. */
interdict_status set_error(interdict_error *err, interdict_status code,
                           const char *file, long line, const char *field,
                           const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

void clear_error(interdict_error *err);

#endif
