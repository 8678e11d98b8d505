/* test_csv.c - the streaming CSV reader: RFC 4180 parsing, line numbers,
 * error records and resynchronisation, limits, and file reading across
 * chunk boundaries. Most inputs run twice: from memory and through 1-byte
 * reads, so every record crosses a refill boundary. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "interdict.h"
#include "io/csv.h"

/* ---- Helpers ------------------------------------------------------------- */

/* A byte source over a memory block, optionally failing after some bytes. */
typedef struct {
    const char *data;
    size_t len, pos;
    size_t fail_at; /* SIZE_MAX: never */
} mem_source;

static long read_mem_source(void *ctx, void *buf, size_t size)
{
    mem_source *src = ctx;
    if (src->pos >= src->fail_at) {
        errno = EIO;
        return -1;
    }
    size_t n = src->len - src->pos;
    if (n > size)
        n = size;
    memcpy(buf, src->data + src->pos, n);
    src->pos += n;
    return (long)n;
}

/* Two readers over the same text: memory, and a stream with tiny reads. */
typedef struct {
    interdict_csv *csv[2];
    mem_source src;
} reader_pair;

static void open_pair(reader_pair *p, const char *text, size_t len, size_t chunk)
{
    interdict_error err;
    p->src = (mem_source){text, len, 0, SIZE_MAX};
    CHECK(interdict_csv_open_memory(text, len, "mem.csv", &p->csv[0], &err) == INTERDICT_OK);
    CHECK(csv_open_reader(read_mem_source, &p->src, "mem.csv", chunk, &p->csv[1], &err) ==
          INTERDICT_OK);
}

static void close_pair(reader_pair *p)
{
    interdict_csv_close(p->csv[0]);
    interdict_csv_close(p->csv[1]);
}

/* Expects a record starting on want_line with the NULL-terminated fields. */
static void expect_record(int at, interdict_csv *csv, long want_line, const char *const *want)
{
    const char *const *fields = NULL;
    size_t n = 0, want_n = 0;
    long line = -1;
    interdict_error err;
    memset(&err, 0, sizeof err);
    int rc = interdict_csv_next(csv, &fields, &n, &line, &err);
    while (want[want_n])
        want_n++;
    bool ok = rc == 1 && line == want_line && n == want_n;
    for (size_t i = 0; ok && i < n; i++)
        ok = strcmp(fields[i], want[i]) == 0;
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  test line %d: rc=%d line=%ld (want %ld) n=%zu (want %zu) err=%s\n",
                at, rc, line, want_line, n, want_n, err.message);
}

/* Expects a bad record: status, error line and column. The error line is
 * where the record starts, or for a quote never closed where it opened. */
static void expect_error(int at, interdict_csv *csv, int want_code, long want_line,
                         const char *want_field)
{
    const char *const *fields;
    size_t n;
    long line = -1;
    interdict_error err;
    memset(&err, 0, sizeof err);
    int rc = interdict_csv_next(csv, &fields, &n, &line, &err);
    bool ok = rc == want_code && (int)err.code == want_code && err.line == want_line &&
              line > 0 && line <= want_line && strcmp(err.field, want_field) == 0 &&
              strcmp(err.file, "mem.csv") == 0 && err.message[0] != '\0';
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  test line %d: rc=%d line=%ld field=\"%s\" msg=\"%s\"\n", at, rc,
                err.line, err.field, err.message);
}

static void expect_end(int at, interdict_csv *csv)
{
    const char *const *fields;
    size_t n;
    long line;
    int rc = interdict_csv_next(csv, &fields, &n, &line, NULL);
    CHECK(rc == 0);
    if (rc != 0)
        fprintf(stderr, "  test line %d: rc=%d, expected the end\n", at, rc);
    CHECK(interdict_csv_next(csv, &fields, &n, &line, NULL) == 0); /* stays at the end */
}

#define FIELDS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* Runs the same expectation on both readers of a pair. */
#define EACH(p, ...)                                   \
    for (int which_ = 0; which_ < 2; which_++) {       \
        interdict_csv *r_ = (p)->csv[which_];          \
        __VA_ARGS__                                    \
    }
#define RECORD(line, ...) expect_record(__LINE__, r_, line, FIELDS(__VA_ARGS__))
#define ERROR(code, line, field) expect_error(__LINE__, r_, code, line, field)
#define END() expect_end(__LINE__, r_)

/* Each test runs its script against memory and 1-byte streaming readers. */
#define SCRIPT(text, ...)                                    \
    do {                                                     \
        reader_pair pair_;                                   \
        open_pair(&pair_, text, sizeof(text) - 1, 1);        \
        EACH(&pair_, __VA_ARGS__)                            \
        close_pair(&pair_);                                  \
    } while (0)

/* ---- Parsing --------------------------------------------------------------- */

static void test_simple_and_header(void)
{
    SCRIPT("id,name,type\n1,Alice Smith,person\n2,ACME Ltd,entity\n", {
        RECORD(1, "id", "name", "type");
        RECORD(2, "1", "Alice Smith", "person");
        RECORD(3, "2", "ACME Ltd", "entity");
        END();
    });
    SCRIPT("", { END(); });
    SCRIPT("single", {
        RECORD(1, "single");
        END();
    });
}

static void test_quoted_fields(void)
{
    SCRIPT("1,\"Smith, John\",x\n\"a,b,c\",\"\"\n", {
        RECORD(1, "1", "Smith, John", "x");
        RECORD(2, "a,b,c", "");
        END();
    });
    SCRIPT("\"say \"\"hi\"\"\",\"\"\"\"\n\"\"\"\"\"\"\n", {
        RECORD(1, "say \"hi\"", "\"");
        RECORD(2, "\"\"");
        END();
    });
}

static void test_embedded_newlines(void)
{
    SCRIPT("a,\"line1\nline2\nline3\",b\nnext,1\n\"x\r\ny\"\r\nlast\n", {
        RECORD(1, "a", "line1\nline2\nline3", "b");
        RECORD(4, "next", "1");
        RECORD(5, "x\r\ny");
        RECORD(7, "last");
        END();
    });
}

static void test_line_ends(void)
{
    SCRIPT("a,b\r\nc,d\r\n\"q\"\r\n", {
        RECORD(1, "a", "b");
        RECORD(2, "c", "d");
        RECORD(3, "q");
        END();
    });
    /* no final newline, with and without quotes; CR alone at the end */
    SCRIPT("a,b\nc,d", {
        RECORD(1, "a", "b");
        RECORD(2, "c", "d");
        END();
    });
    SCRIPT("a\n\"c,d\"", {
        RECORD(1, "a");
        RECORD(2, "c,d");
        END();
    });
    SCRIPT("a\r", {
        RECORD(1, "a");
        END();
    });
    /* a CR that does not end a line is data */
    SCRIPT("a\rb,c\n", {
        RECORD(1, "a\rb", "c");
        END();
    });
}

static void test_bom(void)
{
    SCRIPT("\xEF\xBB\xBFid,name\n1,x\n", {
        RECORD(1, "id", "name");
        RECORD(2, "1", "x");
        END();
    });
    SCRIPT("\xEF\xBB\xBF", { END(); });
    SCRIPT("\xEF\xBB\xBF\"q\"\n", {
        RECORD(1, "q");
        END();
    });
}

static void test_empty_lines_and_fields(void)
{
    SCRIPT("\n\na\n\r\n\nb\n\n", {
        RECORD(3, "a");
        RECORD(6, "b");
        END();
    });
    SCRIPT(",,\na,\n,b\n\"\",\n", {
        RECORD(1, "", "", "");
        RECORD(2, "a", "");
        RECORD(3, "", "b");
        RECORD(4, "", "");
        END();
    });
    SCRIPT(" \n", { /* a blank but not empty line is a record */
        RECORD(1, " ");
        END();
    });
}

/* ---- Errors and resynchronisation ----------------------------------------- */

static void test_unbalanced_quote(void)
{
    SCRIPT("ok,1\nbad,\"open\nnext,2\nlast,3\n", {
        RECORD(1, "ok", "1");
        ERROR(INTERDICT_ERR_PARSE, 2, "column 2");
        RECORD(3, "next", "2");
        RECORD(4, "last", "3");
        END();
    });
    /* the quote opens on a later line of a multi-line record */
    SCRIPT("a,\"x\ny\",\"open\nr,1\n", {
        ERROR(INTERDICT_ERR_PARSE, 2, "column 3");
        RECORD(3, "r", "1");
        END();
    });
    SCRIPT("a\n\"open", {
        RECORD(1, "a");
        ERROR(INTERDICT_ERR_PARSE, 2, "column 1");
        END();
    });

    interdict_csv *csv;
    interdict_error err;
    const char *const *f;
    size_t n;
    long line;
    const char text[] = "h\n\"never closed\n";
    CHECK(interdict_csv_open_memory(text, sizeof text - 1, "q.csv", &csv, &err) == 0);
    CHECK(interdict_csv_next(csv, &f, &n, &line, &err) == 1);
    CHECK(interdict_csv_next(csv, &f, &n, &line, &err) == INTERDICT_ERR_PARSE);
    char buf[512];
    CHECK_STR(interdict_error_format(&err, buf, sizeof buf),
              "q.csv:2: column 1: unbalanced quote: field opened here is never closed");
    interdict_csv_close(csv);
}

static void test_junk_after_quote(void)
{
    SCRIPT("\"abc\"x,1\nnext\na,\"b\" ,c\n\"q\"\rz\nlast\n", {
        ERROR(INTERDICT_ERR_PARSE, 1, "column 1");
        RECORD(2, "next");
        ERROR(INTERDICT_ERR_PARSE, 3, "column 2");
        ERROR(INTERDICT_ERR_PARSE, 4, "column 1");
        RECORD(5, "last");
        END();
    });
}

static void test_bare_quote(void)
{
    SCRIPT("ab\"c,d\nnext\nx,y\"\nlast\n", {
        ERROR(INTERDICT_ERR_PARSE, 1, "column 1");
        RECORD(2, "next");
        ERROR(INTERDICT_ERR_PARSE, 3, "column 2");
        RECORD(4, "last");
        END();
    });
}

static void test_invalid_utf8(void)
{
    SCRIPT("ok,\xC3\xA9\nbad,\xFF\xFE\nnext,\xE2\x82\xAC\n", {
        RECORD(1, "ok", "\xC3\xA9");
        ERROR(INTERDICT_ERR_ENCODING, 2, "column 2");
        RECORD(3, "next", "\xE2\x82\xAC");
        END();
    });
    /* overlong, surrogate, past U+10FFFF, truncated before a comma */
    SCRIPT("\xC0\xAF\na,\xED\xA0\x80\n\xF4\x90\x80\x80\nb,c,\xE2\x82,d\n"
           "\xF0\x9F\x98\x80\n", {
        ERROR(INTERDICT_ERR_ENCODING, 1, "column 1");
        ERROR(INTERDICT_ERR_ENCODING, 2, "column 2");
        ERROR(INTERDICT_ERR_ENCODING, 3, "column 1");
        ERROR(INTERDICT_ERR_ENCODING, 4, "column 3");
        RECORD(5, "\xF0\x9F\x98\x80");
        END();
    });
    /* a well-formed multi-line record with bad bytes is skipped whole */
    SCRIPT("\"a\n\xFF\nb\",c\nnext\n", {
        ERROR(INTERDICT_ERR_ENCODING, 1, "column 1");
        RECORD(4, "next");
        END();
    });
}

static void test_nul_byte(void)
{
    SCRIPT("a\0b,c\nnext\n\"x\0\"\nlast\n", {
        ERROR(INTERDICT_ERR_ENCODING, 1, "column 1");
        RECORD(2, "next");
        ERROR(INTERDICT_ERR_ENCODING, 3, "column 1");
        RECORD(4, "last");
        END();
    });
}

static void test_too_many_fields(void)
{
    size_t cap = 8 * 1030 + 64;
    char *text = malloc(cap);
    size_t len = 0;
    for (int i = 0; i < 1024; i++) /* exactly the limit: fine */
        len += (size_t)sprintf(text + len, i ? ",%d" : "%d", i);
    text[len++] = '\n';
    for (int i = 0; i < 1025; i++)
        len += (size_t)sprintf(text + len, i ? ",%d" : "%d", i);
    len += (size_t)sprintf(text + len, "\nnext,1\n");

    reader_pair p;
    open_pair(&p, text, len, 7);
    EACH(&p, {
        const char *const *f;
        size_t n = 0;
        long line;
        CHECK(interdict_csv_next(r_, &f, &n, &line, NULL) == 1);
        CHECK(n == 1024 && strcmp(f[1023], "1023") == 0);
        ERROR(INTERDICT_ERR_LIMIT, 2, "column 1025");
        RECORD(3, "next", "1");
        END();
    });
    close_pair(&p);
    free(text);
}

/* ---- Limits ---------------------------------------------------------------- */

/* A byte source that synthesizes prefix + count x 'A' + suffix, so a huge
 * field is never held in memory by the test either. */
typedef struct {
    const char *prefix, *suffix;
    size_t count, pos;
} big_source;

static long read_big_source(void *ctx, void *buf, size_t size)
{
    big_source *src = ctx;
    size_t np = strlen(src->prefix), ns = strlen(src->suffix);
    size_t total = np + src->count + ns, n = 0;
    char *out = buf;
    for (; n < size && src->pos < total; n++, src->pos++) {
        size_t i = src->pos;
        out[n] = i < np ? src->prefix[i]
                 : i < np + src->count ? 'A'
                                       : src->suffix[i - np - src->count];
    }
    return (long)n;
}

static void expect_big_field(const char *prefix, const char *suffix, size_t count,
                             int want_code)
{
    big_source src = {prefix, suffix, count, 0};
    interdict_csv *csv;
    interdict_error err;
    const char *const *f;
    size_t n;
    long line;
    CHECK(csv_open_reader(read_big_source, &src, "mem.csv", 0, &csv, &err) == 0);
    int rc = interdict_csv_next(csv, &f, &n, &line, &err);
    CHECK(rc == want_code);
    if (want_code == 1)
        CHECK(n == 3 && strlen(f[1]) == count);
    else
        CHECK(err.code == INTERDICT_ERR_LIMIT && line == 1 && !strcmp(err.field, "column 2"));
    /* the reader never held the field: a few chunks plus the limit at most */
    CHECK(csv_memory_use(csv) < 2 * INTERDICT_CSV_MAX_FIELD + 512 * 1024);
    CHECK(interdict_csv_next(csv, &f, &n, &line, &err) == 1);
    CHECK(n == 2 && !strcmp(f[0], "next") && line == 2);
    CHECK(interdict_csv_next(csv, &f, &n, &line, &err) == 0);
    interdict_csv_close(csv);
}

static void test_field_limit(void)
{
    size_t ten_mb = (size_t)10 << 20;
    expect_big_field("x,", ",y\nnext,1\n", ten_mb, INTERDICT_ERR_LIMIT);
    expect_big_field("x,\"", "\",y\nnext,1\n", ten_mb, INTERDICT_ERR_LIMIT);
    expect_big_field("x,", ",y\nnext,1\n", INTERDICT_CSV_MAX_FIELD, 1);
    expect_big_field("x,\"", "\",y\nnext,1\n", INTERDICT_CSV_MAX_FIELD, 1);
    expect_big_field("x,", ",y\nnext,1\n", INTERDICT_CSV_MAX_FIELD + 1, INTERDICT_ERR_LIMIT);

    /* from memory too: the caller's 10 MB are read in place */
    char *text = malloc(ten_mb + 64);
    size_t len = (size_t)sprintf(text, "x,");
    memset(text + len, 'A', ten_mb);
    len += ten_mb;
    len += (size_t)sprintf(text + len, ",y\nnext,1\n");
    reader_pair p;
    open_pair(&p, text, len, 0);
    EACH(&p, {
        ERROR(INTERDICT_ERR_LIMIT, 1, "column 2");
        RECORD(2, "next", "1");
        END();
    });
    close_pair(&p);
    free(text);
}

/* A quoted field over the limit that spans lines resumes after its first
 * line; the lines inside it are then read as records. */
static void test_long_quoted_multiline(void)
{
    size_t lines = 40000, len = 0;
    char *text = malloc(lines * 40 + 64);
    len += (size_t)sprintf(text, "x,\"");
    for (size_t i = 0; i < lines; i++)
        len += (size_t)sprintf(text + len, "row %zu padding padding padding\n", i);
    reader_pair p;
    open_pair(&p, text, len, 0);
    EACH(&p, {
        ERROR(INTERDICT_ERR_LIMIT, 1, "column 2");
        RECORD(2, "row 1 padding padding padding");
        for (size_t i = 2; i < lines; i++) {
            const char *const *f;
            size_t n;
            long line;
            if (interdict_csv_next(r_, &f, &n, &line, NULL) != 1 || line != (long)i + 1) {
                CHECK(!"row read back");
                break;
            }
        }
        END();
    });
    close_pair(&p);
    free(text);
}

/* An unclosed quote near the top of a large input: everything after is
 * still read, in linear time. */
static void test_unbalanced_then_many(void)
{
    size_t rows = 100000, len = 0;
    char *text = malloc(rows * 16 + 64);
    len += (size_t)sprintf(text, "a,\"open\n");
    for (size_t i = 0; i < rows; i++)
        len += (size_t)sprintf(text + len, "r%zu,\"\"\n", i);
    reader_pair p;
    open_pair(&p, text, len, 0);
    EACH(&p, {
        const char *const *f;
        size_t n, good = 0;
        long line;
        int rc;
        ERROR(INTERDICT_ERR_PARSE, 1, "column 2");
        while ((rc = interdict_csv_next(r_, &f, &n, &line, NULL)) == 1)
            good += n == 2 && f[1][0] == '\0';
        CHECK(rc == 0 && good == rows);
    });
    close_pair(&p);
    free(text);
}

/* ---- Files ----------------------------------------------------------------- */

/* Field i of record r, chosen to exercise quoting across chunk edges. */
static void make_field(char *out, size_t size, size_t r, size_t i)
{
    switch ((r + i) % 5) {
    case 0: snprintf(out, size, "plain%zu", r * 7 + i); break;
    case 1: snprintf(out, size, "with, comma %zu", r); break;
    case 2: snprintf(out, size, "quote \"%zu\" inside", r); break;
    case 3: snprintf(out, size, "two\nlines \xC3\xA9 %zu", r); break;
    default: snprintf(out, size, "%s", ""); break;
    }
}

/* Whether record r has the field made by case 3 of make_field. */
static bool has_two_lines(size_t r, size_t n_cols)
{
    return (8 - r % 5) % 5 < n_cols;
}

static void write_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void test_file_reading(void)
{
    char path[] = "/tmp/test_csv_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    const size_t n_records = 6000, n_cols = 4;
    char field[128];
    fputs("\xEF\xBB\xBF", fp);
    for (size_t r = 0; r < n_records; r++) {
        for (size_t i = 0; i < n_cols; i++) {
            if (i)
                fputc(',', fp);
            make_field(field, sizeof field, r, i);
            write_field(fp, field);
        }
        fputs(r % 3 ? "\n" : "\r\n", fp);
    }
    long size = ftell(fp);
    fclose(fp);
    CHECK(size > 200 * 1024);

    interdict_csv *csv;
    interdict_error err;
    CHECK(interdict_csv_open(path, &csv, &err) == INTERDICT_OK);
    const char *const *f;
    size_t n, mismatches = 0, r = 0;
    long line, want_line = 1;
    int rc;
    while ((rc = interdict_csv_next(csv, &f, &n, &line, &err)) == 1) {
        bool ok = r < n_records && n == n_cols && line == want_line;
        for (size_t i = 0; ok && i < n; i++) {
            make_field(field, sizeof field, r, i);
            ok = strcmp(f[i], field) == 0;
        }
        mismatches += !ok;
        want_line += 1 + has_two_lines(r, n_cols);
        r++;
    }
    CHECK(rc == 0);
    CHECK(r == n_records);
    CHECK(mismatches == 0);
    interdict_csv_close(csv);
    unlink(path);
}

static void test_missing_file(void)
{
    interdict_csv *csv = (interdict_csv *)&csv;
    interdict_error err;
    const char *path = "/nonexistent/queries.csv";
    CHECK(interdict_csv_open(path, &csv, &err) == INTERDICT_ERR_IO);
    CHECK(csv == NULL);
    CHECK(err.code == INTERDICT_ERR_IO);
    CHECK_STR(err.file, path);
    CHECK(strstr(err.message, strerror(ENOENT)) != NULL);
    CHECK(interdict_csv_open("/tmp", &csv, &err) == INTERDICT_ERR_IO);
}

static void test_read_failure(void)
{
    const char text[] = "a,b\nc,d\ne,f\n";
    mem_source src = {text, sizeof text - 1, 0, 5};
    interdict_csv *csv;
    interdict_error err;
    const char *const *f;
    size_t n;
    long line;
    CHECK(csv_open_reader(read_mem_source, &src, "pipe", 1, &csv, &err) == 0);
    CHECK(interdict_csv_next(csv, &f, &n, &line, &err) == 1);
    CHECK(interdict_csv_next(csv, &f, &n, &line, &err) == INTERDICT_ERR_IO);
    CHECK(err.code == INTERDICT_ERR_IO && !strcmp(err.file, "pipe"));
    CHECK(interdict_csv_next(csv, &f, &n, &line, &err) == 0);
    interdict_csv_close(csv);
}

static void test_api_edges(void)
{
    interdict_csv_close(NULL);
    interdict_error err;
    CHECK(interdict_csv_next(NULL, NULL, NULL, NULL, &err) == INTERDICT_ERR_INVALID);
    interdict_csv *csv;
    CHECK(interdict_csv_open_memory(NULL, 0, NULL, &csv, &err) == 0);
    CHECK(interdict_csv_next(csv, NULL, NULL, NULL, NULL) == 0);
    interdict_csv_close(csv);
    CHECK(interdict_csv_open_memory(NULL, 3, NULL, &csv, &err) == INTERDICT_ERR_INVALID);
}

int main(void)
{
    test_simple_and_header();
    test_quoted_fields();
    test_embedded_newlines();
    test_line_ends();
    test_bom();
    test_empty_lines_and_fields();
    test_unbalanced_quote();
    test_junk_after_quote();
    test_bare_quote();
    test_invalid_utf8();
    test_nul_byte();
    test_too_many_fields();
    test_field_limit();
    test_long_quoted_multiline();
    test_unbalanced_then_many();
    test_file_reading();
    test_missing_file();
    test_read_failure();
    test_api_edges();
    CHECK_DONE();
}
