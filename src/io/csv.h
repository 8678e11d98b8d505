/* csv.h - private hooks into the CSV reader, for tests and fuzzing.
 *
 * The public API (interdict.h) opens files, stdin and memory. These hooks
 * open a reader over any byte source with a chosen read size, so tests can
 * force every record across refill boundaries (1-byte reads) and synthesize
 * huge inputs without holding them in memory. */
#ifndef INTERDICT_IO_CSV_H
#define INTERDICT_IO_CSV_H

#include <stddef.h>

#include "interdict.h"

/* Reads up to size bytes into buf. Returns the count, 0 at the end of the
 * input, or -1 with errno set on failure. */
typedef long (*csv_read_fn)(void *ctx, void *buf, size_t size);

/* Opens a reader that pulls at most `chunk` bytes per call from read_fn
 * (0 = the default chunk). `name` is used in error records. */
interdict_status csv_open_reader(csv_read_fn read_fn, void *ctx, const char *name,
                                 size_t chunk, interdict_csv **out,
                                 interdict_error *err);

/* Bytes currently allocated by the reader (input buffer and field text),
 * so tests can check that an over-long field was not buffered. */
size_t csv_memory_use(const interdict_csv *csv);

#endif
