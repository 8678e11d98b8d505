/* bench_util.h - what every benchmark program needs: clocks (wall and the
 * thread's CPU) and query files opened or a clear exit. */
#ifndef INTERDICT_BENCH_UTIL_H
#define INTERDICT_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "interdict.h"

/* Seconds on the monotonic clock. */
static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the calling thread: on a shared machine wall-clock time
 * also counts the time the thread waited for a core. */
static inline double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CSV file at path, or an exit naming why it cannot be read. */
static inline interdict_csv *open_csv_or_exit(const char *path)
{
    interdict_csv *csv;
    interdict_error err;
    char buf[512];
    if (interdict_csv_open(path, &csv, &err) != INTERDICT_OK) {
        fprintf(stderr, "%s\n", interdict_error_format(&err, buf, sizeof buf));
        exit(1);
    }
    return csv;
}

#endif
