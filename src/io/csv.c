/* csv.c - streaming RFC 4180 reader for query files.
 *
 * Input is pulled in chunks into a refillable buffer, so a file of any size
 * is read in bounded memory. The reader keeps only the current record's
 * fields (each at most INTERDICT_CSV_MAX_FIELD bytes) and, while a quoted
 * field spans lines, the raw bytes since the line after its opening quote
 * (at most about twice the field limit), which is where reading resumes if
 * that quote turns out to be bad.
 *
 * Error recovery: a bad record is reported once, then reading resumes at
 * the start of a later physical line:
 *   - bare quote, junk after a closing quote, over-long unquoted field:
 *     the line after the one where the error was found;
 *   - a quote never closed, an over-long quoted field: the line after the
 *     one where the quote opened, re-scanned as ordinary records;
 *   - invalid UTF-8, a NUL byte, more than CSV_MAX_FIELDS fields: noted, and
 *     the record is parsed to its end, so a well-formed multi-line record
 *     is skipped as a whole.
 * Every call consumes input. A re-scan after a bad quote covers only lines
 * that were inside that quote; such lines hold quotes only in "" pairs, so
 * no quote opened while re-scanning them can extend past its own line and
 * trigger another re-scan of the same bytes. Each byte is therefore read
 * at most twice: reading is linear and always terminates.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "io/csv.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_CHUNK ((size_t)64 << 10)
#define CSV_MAX_FIELDS 1024
#define CSV_END (-1) /* peek result at the end of the input */

/* How a field parser stopped. */
enum field_end {
    FIELD_NEXT,      /* a comma: another field follows */
    FIELD_LAST,      /* a line end or the end of input: the record is done */
    FIELD_ABANDONED, /* a structural error: already resynchronised */
    FIELD_NONE       /* (internal) no terminator at the read position */
};

struct interdict_csv {
    /* Input. Memory readers point `data` at the caller's bytes and never
     * refill; stream readers own the buffer. */
    csv_read_fn read_fn;
    void *read_ctx;
    int fd;
    bool owns_fd;
    size_t chunk;
    const unsigned char *data;
    unsigned char *owned;
    size_t cap, pos, end;
    bool at_eof, finished, bom_checked;
    interdict_status io_status; /* set when a read (or buffer growth) failed */
    int io_errno;
    long line; /* physical line at pos, 1-based */

    /* While a quoted field spans lines: the start of the line after the
     * one where it opened, kept in the buffer so reading can resume there. */
    bool anchored;
    size_t anchor;
    long anchor_line;

    char name[256];

    /* The current record: fields back to back, NUL-terminated. */
    long record_line;
    size_t column;    /* 1-based number of the field being read */
    size_t field_len; /* its length so far, stored or not */
    size_t n_fields;  /* fields stored (never more than CSV_MAX_FIELDS) */
    char *text;
    size_t text_len, text_cap;
    size_t offsets[CSV_MAX_FIELDS];
    const char *ptrs[CSV_MAX_FIELDS];
    interdict_error problem; /* first error in the record, code 0 if none */
};

/* ---- Input buffer --------------------------------------------------------- */

/* Drops consumed bytes, keeping the rewind anchor if there is one. */
static void compact_buffer(interdict_csv *csv)
{
    size_t keep = csv->anchored ? csv->anchor : csv->pos;
    if (keep == 0)
        return;
    memmove(csv->owned, csv->owned + keep, csv->end - keep);
    csv->end -= keep;
    csv->pos -= keep;
    if (csv->anchored)
        csv->anchor -= keep;
}

/* Ensures a full chunk of free space; grows only while a quoted field
 * spanning lines is anchored (bounded by the field limit). */
static bool make_room(interdict_csv *csv)
{
    if (csv->cap - csv->end >= csv->chunk)
        return true;
    compact_buffer(csv);
    if (csv->cap - csv->end >= csv->chunk)
        return true;
    size_t cap = csv->cap * 2;
    if (cap < csv->end + csv->chunk)
        cap = csv->end + csv->chunk;
    unsigned char *grown = realloc(csv->owned, cap);
    if (!grown)
        return false;
    csv->owned = grown;
    csv->data = grown;
    csv->cap = cap;
    return true;
}

/* Reads one more chunk. False at the end of input or after a failure,
 * which is remembered in io_status and reported by interdict_csv_next. */
static bool refill(interdict_csv *csv)
{
    if (csv->at_eof)
        return false;
    if (!make_room(csv)) {
        csv->at_eof = true;
        csv->io_status = INTERDICT_ERR_NOMEM;
        csv->io_errno = ENOMEM;
        return false;
    }
    long n = csv->read_fn(csv->read_ctx, csv->owned + csv->end, csv->chunk);
    if (n <= 0) {
        csv->at_eof = true;
        if (n < 0) {
            csv->io_status = INTERDICT_ERR_IO;
            csv->io_errno = errno;
        }
        return false;
    }
    csv->end += (size_t)n;
    return true;
}

/* The byte `ahead` places past the read position, or CSV_END. */
static int peek_at(interdict_csv *csv, size_t ahead)
{
    while (csv->end - csv->pos <= ahead)
        if (!refill(csv))
            return CSV_END;
    return csv->data[csv->pos + ahead];
}

static int peek(interdict_csv *csv)
{
    return peek_at(csv, 0);
}

/* Consumes one byte (which must have been peeked), counting lines. */
static void advance(interdict_csv *csv)
{
    if (csv->data[csv->pos++] == '\n')
        csv->line++;
}

/* Length of the line end at the read position: 1 for LF, 2 for CRLF, 1 for
 * a CR that ends the input; 0 if there is none. */
static size_t line_end_length(interdict_csv *csv)
{
    int c = peek(csv);
    if (c == '\n')
        return 1;
    if (c != '\r')
        return 0;
    int next = peek_at(csv, 1);
    return next == '\n' ? 2 : next == CSV_END ? 1 : 0;
}

static void skip_bytes(interdict_csv *csv, size_t n)
{
    while (n--)
        advance(csv);
}

/* Resynchronises after an error: moves to the start of the next physical
 * line without looking at quotes. */
static void skip_rest_of_line(interdict_csv *csv)
{
    for (;;) {
        if (csv->pos == csv->end && !refill(csv))
            return;
        const unsigned char *from = csv->data + csv->pos;
        const unsigned char *lf = memchr(from, '\n', csv->end - csv->pos);
        if (lf) {
            csv->pos += (size_t)(lf - from) + 1;
            csv->line++;
            return;
        }
        csv->pos = csv->end;
    }
}

/* Resynchronises after a bad quoted field: back to the line after the one
 * where the quote opened if the field crossed a line, else onward to it. */
static void resume_after_quote(interdict_csv *csv)
{
    if (csv->anchored) {
        csv->pos = csv->anchor;
        csv->line = csv->anchor_line;
        csv->anchored = false;
        return;
    }
    skip_rest_of_line(csv);
}

static void skip_bom(interdict_csv *csv)
{
    if (csv->bom_checked)
        return;
    csv->bom_checked = true;
    if (peek_at(csv, 2) != CSV_END && memcmp(csv->data + csv->pos, "\xEF\xBB\xBF", 3) == 0)
        csv->pos += 3;
}

/* Empty lines are not records. */
static void skip_empty_lines(interdict_csv *csv)
{
    size_t n;
    while ((n = line_end_length(csv)) > 0)
        skip_bytes(csv, n);
}

/* ---- Errors ---------------------------------------------------------------- */

/* Records the record's first error; later ones are consequences. */
__attribute__((format(printf, 4, 5)))
static void note_problem(interdict_csv *csv, interdict_status code, long line,
                         const char *fmt, ...)
{
    if (csv->problem.code != INTERDICT_OK)
        return;
    char message[sizeof csv->problem.message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    char column[32];
    snprintf(column, sizeof column, "column %zu", csv->column);
    set_error(&csv->problem, code, csv->name, line, column, "%s", message);
}

static void note_field_overflow(interdict_csv *csv, interdict_status code)
{
    if (code == INTERDICT_ERR_LIMIT)
        note_problem(csv, code, csv->record_line, "field longer than %zu bytes",
                     INTERDICT_CSV_MAX_FIELD);
    else
        note_problem(csv, code, csv->record_line, "out of memory reading a field");
}

/* ---- UTF-8 ----------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (at most avail bytes), or 0 if
 * it is invalid: overlong forms, surrogates and code points past U+10FFFF
 * are rejected. */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail)
{
    unsigned char lead = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        lo = lead == 0xE0 ? 0xA0 : 0x80; /* overlong */
        hi = lead == 0xED ? 0x9F : 0xBF; /* surrogates */
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        lo = lead == 0xF0 ? 0x90 : 0x80; /* overlong */
        hi = lead == 0xF4 ? 0x8F : 0xBF; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (avail < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

/* Checks a finished field's bytes. Quotes, commas and line ends are ASCII,
 * so checking fields is the same as checking the raw record. */
static void check_field_text(interdict_csv *csv, const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == 0) {
            note_problem(csv, INTERDICT_ERR_ENCODING, csv->record_line,
                         "NUL byte at byte %zu of the field", i + 1);
            return;
        }
        size_t n = utf8_sequence_length(s + i, len - i);
        if (n == 0) {
            note_problem(csv, INTERDICT_ERR_ENCODING, csv->record_line,
                         "invalid UTF-8 at byte %zu of the field", i + 1);
            return;
        }
        i += n;
    }
}

/* ---- Record text ----------------------------------------------------------- */

static bool store_text_byte(interdict_csv *csv, char c)
{
    if (csv->text_len == csv->text_cap) {
        size_t cap = csv->text_cap * 2;
        char *grown = realloc(csv->text, cap);
        if (!grown)
            return false;
        csv->text = grown;
        csv->text_cap = cap;
    }
    csv->text[csv->text_len++] = c;
    return true;
}

static void start_record(interdict_csv *csv)
{
    clear_error(&csv->problem);
    csv->record_line = csv->line;
    csv->column = 0;
    csv->n_fields = 0;
    csv->text_len = 0;
}

static void begin_field(interdict_csv *csv)
{
    csv->column++;
    csv->field_len = 0;
    if (csv->column <= CSV_MAX_FIELDS)
        csv->offsets[csv->column - 1] = csv->text_len;
    else if (csv->column == CSV_MAX_FIELDS + 1)
        note_problem(csv, INTERDICT_ERR_LIMIT, csv->record_line,
                     "more than %d fields in one record", CSV_MAX_FIELDS);
}

/* Adds a byte to the current field. Fields past CSV_MAX_FIELDS are only
 * counted, so a record with an error still parses to its end cheaply. */
static interdict_status add_byte(interdict_csv *csv, int c)
{
    if (++csv->field_len > INTERDICT_CSV_MAX_FIELD)
        return INTERDICT_ERR_LIMIT;
    if (csv->column > CSV_MAX_FIELDS)
        return INTERDICT_OK;
    return store_text_byte(csv, (char)c) ? INTERDICT_OK : INTERDICT_ERR_NOMEM;
}

static void end_field(interdict_csv *csv)
{
    if (csv->column > CSV_MAX_FIELDS)
        return;
    size_t start = csv->offsets[csv->column - 1];
    check_field_text(csv, (const unsigned char *)csv->text + start, csv->text_len - start);
    if (!store_text_byte(csv, '\0'))
        note_problem(csv, INTERDICT_ERR_NOMEM, csv->record_line, "out of memory reading a field");
    csv->n_fields = csv->column;
}

/* ---- Fields ---------------------------------------------------------------- */

/* Consumes what ends a field, if it is at the read position. */
static enum field_end take_terminator(interdict_csv *csv)
{
    int c = peek(csv);
    if (c == ',') {
        advance(csv);
        return FIELD_NEXT;
    }
    if (c == CSV_END)
        return FIELD_LAST;
    size_t n = line_end_length(csv);
    if (n == 0)
        return FIELD_NONE;
    skip_bytes(csv, n);
    return FIELD_LAST;
}

static enum field_end read_unquoted(interdict_csv *csv)
{
    for (;;) {
        int c = peek(csv);
        if (c == ',' || c == '\n' || c == '\r' || c == CSV_END) {
            enum field_end end = take_terminator(csv);
            if (end != FIELD_NONE)
                return end;
            /* a CR not ending the line is data */
        } else if (c == '"') {
            note_problem(csv, INTERDICT_ERR_PARSE, csv->record_line,
                         "bare quote in unquoted field (quote the whole field and double "
                         "the quote)");
            skip_rest_of_line(csv);
            return FIELD_ABANDONED;
        }
        interdict_status status = add_byte(csv, c);
        if (status != INTERDICT_OK) {
            note_field_overflow(csv, status);
            skip_rest_of_line(csv);
            return FIELD_ABANDONED;
        }
        advance(csv);
    }
}

/* Remembers the first line start inside a quoted field as the place to
 * resume if the field turns out to be bad. */
static void anchor_after_newline(interdict_csv *csv)
{
    if (csv->anchored)
        return;
    csv->anchored = true;
    csv->anchor = csv->pos;
    csv->anchor_line = csv->line;
}

/* Reads the body of a quoted field through its closing quote. False if the
 * field was bad (reported, and the reader resynchronised). */
static bool read_quoted_body(interdict_csv *csv, long opened)
{
    for (;;) {
        int c = peek(csv);
        if (c == CSV_END) {
            note_problem(csv, INTERDICT_ERR_PARSE, opened,
                         "unbalanced quote: field opened here is never closed");
            resume_after_quote(csv);
            return false;
        }
        advance(csv);
        if (c == '"') {
            if (peek(csv) != '"')
                return true;       /* the closing quote */
            advance(csv);          /* "" is a literal quote */
        } else if (c == '\n') {
            anchor_after_newline(csv);
        }
        interdict_status status = add_byte(csv, c);
        if (status != INTERDICT_OK) {
            note_field_overflow(csv, status);
            resume_after_quote(csv);
            return false;
        }
    }
}

static enum field_end read_quoted(interdict_csv *csv)
{
    long opened = csv->line;
    advance(csv); /* the opening quote */
    csv->anchored = false;
    if (!read_quoted_body(csv, opened))
        return FIELD_ABANDONED;
    csv->anchored = false; /* closed: no rewind needed any more */
    enum field_end end = take_terminator(csv);
    if (end != FIELD_NONE)
        return end;
    note_problem(csv, INTERDICT_ERR_PARSE, csv->record_line,
                 "unexpected character after closing quote");
    skip_rest_of_line(csv);
    return FIELD_ABANDONED;
}

/* Reads one record's fields; errors are left in csv->problem. */
static void read_record(interdict_csv *csv)
{
    for (;;) {
        begin_field(csv);
        enum field_end end = peek(csv) == '"' ? read_quoted(csv) : read_unquoted(csv);
        if (end == FIELD_ABANDONED)
            return;
        end_field(csv);
        if (end == FIELD_LAST)
            return;
    }
}

/* ---- Public API ------------------------------------------------------------ */

static interdict_csv *new_reader(const char *name)
{
    interdict_csv *csv = calloc(1, sizeof *csv);
    if (!csv)
        return NULL;
    csv->text_cap = 256; /* never NULL, even for an empty first field */
    csv->text = malloc(csv->text_cap);
    if (!csv->text) {
        free(csv);
        return NULL;
    }
    csv->fd = -1;
    csv->line = 1;
    snprintf(csv->name, sizeof csv->name, "%s", name);
    return csv;
}

interdict_status csv_open_reader(csv_read_fn read_fn, void *ctx, const char *name,
                                 size_t chunk, interdict_csv **out,
                                 interdict_error *err)
{
    if (!name)
        name = "<stream>";
    if (!read_fn || !out)
        return set_error(err, INTERDICT_ERR_INVALID, name, 0, "", "no reader or output pointer");
    *out = NULL;
    interdict_csv *csv = new_reader(name);
    if (!csv)
        return set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "out of memory");
    csv->read_fn = read_fn;
    csv->read_ctx = ctx;
    csv->chunk = chunk ? chunk : CSV_CHUNK;
    csv->cap = 2 * csv->chunk;
    csv->owned = malloc(csv->cap);
    if (!csv->owned) {
        interdict_csv_close(csv);
        return set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "out of memory");
    }
    csv->data = csv->owned;
    *out = csv;
    return INTERDICT_OK;
}

static long read_fd(void *ctx, void *buf, size_t size)
{
    int fd = *(const int *)ctx;
    for (;;) {
        ssize_t n = read(fd, buf, size);
        if (n >= 0 || errno != EINTR)
            return (long)n;
    }
}

static bool is_directory(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

interdict_status interdict_csv_open(const char *path, interdict_csv **out,
                                    interdict_error *err)
{
    if (!path || !out)
        return set_error(err, INTERDICT_ERR_INVALID, path ? path : "", 0, "",
                         "no path or output pointer");
    *out = NULL;
    bool from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot open: %s", strerror(errno));
    if (is_directory(fd)) {
        if (!from_stdin)
            close(fd);
        return set_error(err, INTERDICT_ERR_IO, path, 0, "", "cannot read: is a directory");
    }
    interdict_csv *csv;
    interdict_status status =
        csv_open_reader(read_fd, NULL, from_stdin ? "<stdin>" : path, 0, &csv, err);
    if (status != INTERDICT_OK) {
        if (!from_stdin)
            close(fd);
        return status;
    }
    csv->fd = fd;
    csv->owns_fd = !from_stdin;
    csv->read_ctx = &csv->fd;
    *out = csv;
    return INTERDICT_OK;
}

/* Reads straight from the caller's bytes without copying: `data` must stay
 * valid and unchanged until interdict_csv_close. */
interdict_status interdict_csv_open_memory(const char *data, size_t len,
                                           const char *name,
                                           interdict_csv **out,
                                           interdict_error *err)
{
    if (!name)
        name = "<memory>";
    if (!out || (!data && len))
        return set_error(err, INTERDICT_ERR_INVALID, name, 0, "", "no data or output pointer");
    *out = NULL;
    interdict_csv *csv = new_reader(name);
    if (!csv)
        return set_error(err, INTERDICT_ERR_NOMEM, name, 0, "", "out of memory");
    csv->data = (const unsigned char *)data;
    csv->end = len;
    csv->at_eof = true;
    *out = csv;
    return INTERDICT_OK;
}

/* The end of the input: 0, or the read failure once (then 0 for good, so
 * callers that go on after errors stop). */
static int finish(interdict_csv *csv, interdict_error *err)
{
    csv->finished = true;
    if (csv->io_status == INTERDICT_OK)
        return 0;
    return set_error(err, csv->io_status, csv->name, csv->line, "", "read failed: %s",
                     strerror(csv->io_errno));
}

int interdict_csv_next(interdict_csv *csv, const char *const **fields,
                       size_t *n_fields, long *line, interdict_error *err)
{
    if (!csv)
        return set_error(err, INTERDICT_ERR_INVALID, "", 0, "", "no CSV reader");
    if (fields)
        *fields = csv->ptrs;
    if (n_fields)
        *n_fields = 0;
    if (csv->finished)
        return 0;
    skip_bom(csv);
    skip_empty_lines(csv);
    if (peek(csv) == CSV_END)
        return finish(csv, err);
    start_record(csv);
    read_record(csv);
    if (line)
        *line = csv->record_line;
    if (csv->io_status != INTERDICT_OK)
        return finish(csv, err);
    if (csv->problem.code != INTERDICT_OK) {
        if (err)
            *err = csv->problem;
        return csv->problem.code;
    }
    for (size_t i = 0; i < csv->n_fields; i++)
        csv->ptrs[i] = csv->text + csv->offsets[i];
    if (n_fields)
        *n_fields = csv->n_fields;
    return 1;
}

void interdict_csv_close(interdict_csv *csv)
{
    if (!csv)
        return;
    if (csv->owns_fd)
        close(csv->fd);
    free(csv->owned);
    free(csv->text);
    free(csv);
}

size_t csv_memory_use(const interdict_csv *csv)
{
    return csv ? sizeof *csv + csv->cap + csv->text_cap : 0;
}
