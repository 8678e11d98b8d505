/* bench_audit - what an audit record of a screening costs, on the caller's
 * thread and in the casebook's writer.
 *
 * usage: bench_audit [--json] [--rate N] [--seconds S] [--threads T] [--db TARGET]
 *
 * T threads (default 2) record screenings without hits as the service does
 * (the detail written as JSON text, casebook_audit_text without waiting;
 * with --json, built as a Jansson object for casebook_audit), at N
 * records a second in all (default 40000) for S seconds (default 5), into a
 * fresh SQLite casebook in a temporary folder (or TARGET, e.g. a
 * postgresql:// URI), then wait for the last commit and verify the chain.
 * Prints the records written and the CPU time per record: of the callers
 * (thread CPU clocks), of the whole process, and the difference, which is
 * the writer's. Paced like the server, the writer commits in groups of a
 * few milliseconds rather than the largest batches it can. */
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "service/casebook.h"
#include "util/jsontext.h"

typedef struct producer {
    casebook *cb;
    int id;
    double rate, seconds;
    int json;
    long records, failures;
    double cpu;
} producer;

static double process_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static const char *const FIRST[] = {"James", "Maria", "Wei", "Olga", "Ahmed", "Emma", "Kenji",
                                    "Fatima", "José", "Zoë"};
static const char *const LAST[] = {"Smith", "Garcia", "Chen", "Petrova", "Müller", "Tanaka",
                                   "Okafor", "Ivanov", "Dubois", "Łukasz"};

/* One record as service.c makes it for a screening without hits: the
 * detail as text, or (json) as an object. */
static int record(casebook *cb, int thread, long i, int json)
{
    char sid[48], name[64];
    snprintf(sid, sizeof sid, "scr_0123456789abcdef_%d_%ld", thread, i);
    snprintf(name, sizeof name, "%s %s", FIRST[i % 10], LAST[(i / 10) % 10]);
    const char *actor = "load-test (key 1)", *versions = "un:2026-02-27:66b392a40908";
    if (!json) {
        char buf[1024];
        jx_text t;
        jx_init(&t, buf, sizeof buf);
        jx_lit(&t, "{\"screening_id\":");
        jx_string(&t, sid);
        jx_lit(&t, ",\"customer_id\":\"\",\"query\":{\"name\":");
        jx_string(&t, name);
        jx_lit(&t, ",\"type\":\"person\",\"dob\":\"\",\"nationality\":\"\"},\"hits\":[]}");
        int rc = casebook_audit_text(cb, actor, "screen", sid, versions, t.s, t.len, 0);
        jx_free(&t);
        return rc;
    }
    json_t *q = json_object();
    json_object_set_new(q, "name", json_string(name));
    json_object_set_new(q, "type", json_string("person"));
    json_object_set_new(q, "dob", json_string(""));
    json_object_set_new(q, "nationality", json_string(""));
    json_t *d = json_object();
    json_object_set_new(d, "screening_id", json_string(sid));
    json_object_set_new(d, "customer_id", json_string(""));
    json_object_set(d, "query", q);
    json_object_set_new(d, "hits", json_array());
    json_decref(q);
    return casebook_audit(cb, actor, "screen", sid, versions, d, 0);
}

static void *produce(void *arg)
{
    producer *p = arg;
    double c0 = thread_cpu(), t0 = now();
    double per = 1.0 / p->rate;
    long i = 0;
    for (;;) {
        double t = now() - t0;
        if (t >= p->seconds)
            break;
        /* catch up with the schedule, then sleep a millisecond: records
         * come in small bursts, as from a busy server's threads */
        long due = (long)(t / per) + 1;
        for (; i < due; i++)
            if (record(p->cb, p->id, i, p->json) != CB_OK)
                p->failures++;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    p->records = i;
    p->cpu = thread_cpu() - c0;
    return NULL;
}

int main(int argc, char **argv)
{
    double rate = 40000, seconds = 5;
    int threads = 2, json = 0;
    const char *target = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
            rate = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            target = argv[++i];
        else {
            fprintf(stderr, "usage: bench_audit [--json] [--rate N] [--seconds S]"
                            " [--threads T] [--db TARGET]\n");
            return 2;
        }
    }
    if (threads < 1 || threads > 64 || rate <= 0 || seconds <= 0) {
        fprintf(stderr, "bench_audit: bad arguments\n");
        return 2;
    }
    char dir[] = "/tmp/bench-audit.XXXXXX", path[64];
    if (!target) {
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
        snprintf(path, sizeof path, "%s/casebook.db", dir);
        target = path;
    }
    char err[512];
    casebook *cb = casebook_open(target, err, sizeof err);
    if (!cb) {
        fprintf(stderr, "bench_audit: %s\n", err);
        return 1;
    }
    producer p[64];
    pthread_t th[64];
    double c0 = process_cpu(), t0 = now();
    for (int i = 0; i < threads; i++) {
        p[i] = (producer){.cb = cb, .id = i, .rate = rate / threads, .seconds = seconds,
                          .json = json};
        pthread_create(&th[i], NULL, produce, &p[i]);
    }
    long records = 0, failures = 0;
    double caller_cpu = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        records += p[i].records;
        failures += p[i].failures;
        caller_cpu += p[i].cpu;
    }
    int flushed = casebook_flush(cb);
    double wall = now() - t0, cpu = process_cpu() - c0;
    int64_t entries = 0, bad = 0;
    char why[256];
    int verified = casebook_audit_verify(cb, &entries, &bad, why, sizeof why);
    casebook_close(cb);
    if (target == path) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_audit: cannot remove %s\n", dir);
    }
    printf("records: %ld in %.2f s (%.0f/s asked, %.0f/s done), %ld failed\n", records, wall,
           rate, (double)records / wall, failures);
    printf("cpu per record: callers %.2f us, process %.2f us, writer %.2f us\n",
           caller_cpu / (double)records * 1e6, cpu / (double)records * 1e6,
           (cpu - caller_cpu) / (double)records * 1e6);
    printf("chain: %s, %" PRId64 " entries\n",
           verified == CB_OK && flushed == CB_OK ? "verified" : why, entries);
    return verified == CB_OK && flushed == CB_OK && failures == 0 ? 0 : 1;
}
