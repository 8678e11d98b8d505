/* Fuzz target: the CSV reader.
 * Reads every record of the input from memory, going on after bad records,
 * until the end; nothing may crash, hang or leak. The same bytes are read
 * at the same time through a stream with tiny reads (1-16 bytes, chosen by
 * the input), and both readers must agree call for call, so refill and
 * rewind bugs at chunk boundaries show up as differences. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interdict.h"
#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const uint8_t *data;
    size_t size, pos;
} byte_source;

static long read_bytes(void *ctx, void *buf, size_t want)
{
    byte_source *src = ctx;
    size_t n = src->size - src->pos;
    if (n > want)
        n = want;
    memcpy(buf, src->data + src->pos, n);
    src->pos += n;
    return (long)n;
}

/* One call's outcome, for comparing the two readers. */
typedef struct {
    int rc;
    long line;
    size_t n;
    const char *const *fields;
    interdict_error err;
} outcome;

static void next_record(interdict_csv *csv, outcome *o)
{
    memset(o, 0, sizeof *o);
    o->rc = interdict_csv_next(csv, &o->fields, &o->n, &o->line, &o->err);
}

/* Records hold 1..1024 NUL-terminated fields within the size limit. */
static void check_record(const outcome *o)
{
    if (o->n == 0 || o->n > 1024)
        abort();
    for (size_t i = 0; i < o->n; i++)
        if (strlen(o->fields[i]) > INTERDICT_CSV_MAX_FIELD)
            abort();
}

static void check_same(const outcome *a, const outcome *b)
{
    if (a->rc != b->rc || a->line != b->line)
        abort();
    if (a->rc < 0 && (a->err.line != b->err.line || strcmp(a->err.field, b->err.field) ||
                      strcmp(a->err.message, b->err.message)))
        abort();
    if (a->rc != 1)
        return;
    if (a->n != b->n)
        abort();
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->fields[i], b->fields[i]) != 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t chunk = size ? 1 + data[size - 1] % 16 : 1;
    byte_source src = {data, size, 0};
    interdict_csv *mem, *stream;
    if (interdict_csv_open_memory((const char *)data, size, "fuzz", &mem, NULL) != INTERDICT_OK)
        abort();
    if (csv_open_reader(read_bytes, &src, "fuzz", chunk, &stream, NULL) != INTERDICT_OK)
        abort();
    /* every call but the last consumes at least one byte */
    for (size_t calls = 0;; calls++) {
        if (calls > size + 1)
            abort();
        outcome a, b;
        next_record(mem, &a);
        next_record(stream, &b);
        check_same(&a, &b);
        if (a.rc == 0)
            break;
        if (a.rc == 1)
            check_record(&a);
        else if (a.err.code != a.rc || a.err.line <= 0)
            abort();
    }
    interdict_csv_close(mem);
    interdict_csv_close(stream);
    return 0;
}
