/*
 * interdict.h - public API of the interdict sanctions screening library.
 *
 * The library has three objects:
 *
 *   interdict_list    a parsed sanctions list (entries with names, dates of
 *                     birth, nationalities, documents, ...). Owns all of its
 *                     strings; read-only once loaded.
 *   interdict_index   a screening index built over one or more lists. It is
 *                     immutable after interdict_index_build() and may be shared
 *                     by any number of threads without locking.
 *   interdict_result  the hits of one screening. Owned by the caller and
 *                     reusable: screening into the same result again clears
 *                     it, so a worker thread allocates once.
 *
 * Ownership: every _new, _load and _build function has a matching _free, and every
 * pointer returned by an accessor is owned by the object it came from and
 * stays valid until that object is freed (or, for results, screened into
 * again). An index refers to the lists it was built from: free the index
 * before the lists.
 *
 * Errors: functions return INTERDICT_OK (0) or a negative interdict_status
 * and, when the caller passes an interdict_error, fill it with the file,
 * line and field at fault and a message for a person to read.
 */
#ifndef INTERDICT_H
#define INTERDICT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INTERDICT_VERSION "0.1.0"

/* ---- Status codes and error records ------------------------------------ */

typedef enum interdict_status {
    INTERDICT_OK = 0,
    INTERDICT_ERR_IO = -1,          /* file could not be opened or read */
    INTERDICT_ERR_NOMEM = -2,       /* allocation failed */
    INTERDICT_ERR_PARSE = -3,       /* malformed input (XML, CSV, date, ...) */
    INTERDICT_ERR_FORMAT = -4,      /* well-formed but not the expected format */
    INTERDICT_ERR_ENCODING = -5,    /* invalid UTF-8 or unconvertible text */
    INTERDICT_ERR_LIMIT = -6,       /* input over a documented size limit */
    INTERDICT_ERR_INVALID = -7,     /* invalid argument or empty value */
    INTERDICT_ERR_UNICODE = -8      /* ICU could not be initialised */
} interdict_status;

/* Where and why something failed. All strings are NUL-terminated and
 * truncated to fit; empty when unknown. */
typedef struct interdict_error {
    interdict_status code;
    char file[256];      /* input file (or "<memory>", "<query>") */
    long line;           /* 1-based line number, 0 when unknown */
    char field[64];      /* element, column or query field at fault */
    char message[256];
} interdict_error;

/* Constant text naming a status ("parse error", ...). */
const char *interdict_status_name(interdict_status code);

/* Formats an error as "file:line: field: message" into buf (always
 * NUL-terminated). Returns buf. */
char *interdict_error_format(const interdict_error *err, char *buf, size_t size);

/* ---- List model --------------------------------------------------------- */

typedef enum interdict_party_type {
    INTERDICT_PARTY_UNKNOWN = 0,
    INTERDICT_PARTY_PERSON = 1,
    INTERDICT_PARTY_ENTITY = 2,
    INTERDICT_PARTY_VESSEL = 3,     /* a ship (IMO number in documents) */
    INTERDICT_PARTY_AIRCRAFT = 4    /* an aircraft (tail or serial number in documents) */
} interdict_party_type;

typedef enum interdict_name_kind {
    INTERDICT_NAME_PRIMARY = 0,     /* the list's main name */
    INTERDICT_NAME_ALIAS_GOOD = 1,  /* a.k.a., good quality */
    INTERDICT_NAME_ALIAS_LOW = 2,   /* a.k.a., low quality (nicknames, short forms) */
    INTERDICT_NAME_ORIGINAL = 3     /* name in its original script */
} interdict_name_kind;

typedef struct interdict_name {
    const char *text;               /* as given by the list, trimmed, UTF-8 */
    interdict_name_kind kind;
} interdict_name;

typedef enum interdict_date_kind {
    INTERDICT_DATE_EXACT = 0,       /* a day, month or year given as fact */
    INTERDICT_DATE_APPROX = 1,      /* "approximately" / "circa" */
    INTERDICT_DATE_RANGE = 2,       /* from .. to */
    INTERDICT_DATE_TEXT = 3         /* free text only (see note) */
} interdict_date_kind;

/* A date of birth. Unknown parts are 0: year-only dates have month = day = 0.
 * A range fills both ends; other kinds leave to_* equal to from_*. */
typedef struct interdict_date {
    interdict_date_kind kind;
    int16_t from_year, to_year;
    int8_t from_month, to_month;
    int8_t from_day, to_day;
    const char *note;               /* free text from the list, or NULL */
} interdict_date;

typedef struct interdict_document {
    const char *type;               /* "Passport", "National Identification Number",
                                       "IMO Number", "Aircraft Serial Number", ... */
    const char *number;
    const char *country;            /* issuing country */
    const char *note;
} interdict_document;

/* The same party's identifier on another list, e.g. {"un", "QDi.006"} in
 * an EU or UK record that implements a UN listing. */
typedef struct interdict_crossref {
    const char *list;
    const char *ref;
} interdict_crossref;

typedef struct interdict_address {
    const char *text;               /* street, city, province joined with ", " */
    const char *country;
} interdict_address;

/* One listed party. All pointers are owned by the list; arrays may be empty
 * (count 0, pointer possibly NULL); strings are never NULL unless stated. */
typedef struct interdict_entry {
    const char *ref;                /* list reference number, e.g. "QDi.006" */
    const char *list;               /* short list id, e.g. "un" */
    const char *regime;             /* main regime / program, e.g. "Al-Qaida" */
    const char *source_id;          /* the list's internal id (UN DATAID, ...) */
    interdict_party_type type;
    const char *listed_on;          /* YYYY-MM-DD, "" when not given; a value
                                       that is no date stays as written */
    const char *gender;             /* "" when not given */
    const char *comments;           /* "" when not given */

    const interdict_name *names;    size_t n_names;   /* names[0] is primary */
    const interdict_date *dobs;     size_t n_dobs;
    const char *const *places_of_birth; size_t n_places_of_birth;
    const char *const *nationalities;   size_t n_nationalities;
    const interdict_document *documents; size_t n_documents;
    const interdict_address *addresses;  size_t n_addresses;
    const char *const *titles;      size_t n_titles;
    const char *const *designations; size_t n_designations;
    const char *const *programs;    size_t n_programs;   /* programs / regimes */
    const interdict_crossref *crossrefs; size_t n_crossrefs;
} interdict_entry;

typedef struct interdict_list interdict_list;

/* Loads a list file. The format is detected from the content, never from
 * the file name: UN Security Council Consolidated List XML, OFAC SDN and
 * consolidated (non-SDN) XML and legacy CSV (the sdn/add/alt/comments files
 * beside the main one are read too), EU Financial Sanctions Files XML, UK
 * sanctions list CSV and XML, OpenSanctions FollowTheMoney JSON lines. XML
 * is parsed with network access and entity expansion disabled. */
interdict_status interdict_list_load(const char *path, interdict_list **out,
                                     interdict_error *err);

/* Same, from memory; `name` is used in error records. */
interdict_status interdict_list_load_memory(const char *data, size_t len,
                                            const char *name,
                                            interdict_list **out,
                                            interdict_error *err);

void interdict_list_free(interdict_list *list);

const char *interdict_list_id(const interdict_list *list);        /* "un", "ofac", "eu", ... */
const char *interdict_list_format(const interdict_list *list);    /* "un-xml", "ofac-csv", ... */
const char *interdict_list_source(const interdict_list *list);    /* path or name */
/* SHA-256 (hex) of the file; for a file set (OFAC CSV) of the files' digests. */
const char *interdict_list_checksum(const interdict_list *list);
/* The files read: 0 is the main file (as interdict_list_source), then any
 * further files of the set. */
size_t interdict_list_file_count(const interdict_list *list);
const char *interdict_list_file(const interdict_list *list, size_t i);
const char *interdict_list_generated(const interdict_list *list); /* date generated, or "" */
size_t interdict_list_count(const interdict_list *list);
const interdict_entry *interdict_list_entry(const interdict_list *list, size_t i);

/* ---- Changes between two versions of a list -------------------------------- */

typedef enum interdict_change_kind {
    INTERDICT_CHANGE_ADDED = 0,
    INTERDICT_CHANGE_REMOVED = 1,
    INTERDICT_CHANGE_CHANGED = 2
} interdict_change_kind;

/* Fields of an entry, as bits of interdict_change.fields. */
enum {
    INTERDICT_FIELD_NAMES = 1 << 0,
    INTERDICT_FIELD_TYPE = 1 << 1,
    INTERDICT_FIELD_PROGRAMS = 1 << 2,     /* regime and programs */
    INTERDICT_FIELD_DOBS = 1 << 3,
    INTERDICT_FIELD_PLACES_OF_BIRTH = 1 << 4,
    INTERDICT_FIELD_NATIONALITIES = 1 << 5,
    INTERDICT_FIELD_DOCUMENTS = 1 << 6,
    INTERDICT_FIELD_ADDRESSES = 1 << 7,
    INTERDICT_FIELD_TITLES = 1 << 8,
    INTERDICT_FIELD_DESIGNATIONS = 1 << 9,
    INTERDICT_FIELD_LISTED_ON = 1 << 10,
    INTERDICT_FIELD_GENDER = 1 << 11,
    INTERDICT_FIELD_COMMENTS = 1 << 12,
    INTERDICT_FIELD_CROSSREFS = 1 << 13,
    INTERDICT_FIELD_COUNT = 14
};

/* What screening depends on: a change to these can create new alerts. */
#define INTERDICT_FIELDS_SCREENED                                               \
    (INTERDICT_FIELD_NAMES | INTERDICT_FIELD_TYPE | INTERDICT_FIELD_DOBS |      \
     INTERDICT_FIELD_NATIONALITIES)

typedef struct interdict_change {
    interdict_change_kind kind;
    const interdict_entry *old_entry;   /* NULL when added */
    const interdict_entry *new_entry;   /* NULL when removed */
    unsigned fields;                    /* changed fields (CHANGED only) */
} interdict_change;

/* Compares two versions of the same list by entry reference. Fills a
 * malloc'd array (the caller frees it), removed and changed entries in the
 * old list's order, then added ones in the new list's order. */
interdict_status interdict_list_diff(const interdict_list *old_list,
                                     const interdict_list *new_list,
                                     interdict_change **out, size_t *n,
                                     interdict_error *err);

/* Constant name of one INTERDICT_FIELD_* bit ("names", "dobs", ...). */
const char *interdict_field_name(unsigned field);

/* ---- Query files (CSV, RFC 4180) ---------------------------------------- */

typedef struct interdict_csv interdict_csv;

/* Opens a CSV file ("-" reads standard input). Accepts a UTF-8 BOM, CRLF or
 * LF line ends and quoted fields with embedded commas, quotes ("") and line
 * breaks. */
interdict_status interdict_csv_open(const char *path, interdict_csv **out,
                                    interdict_error *err);
interdict_status interdict_csv_open_memory(const char *data, size_t len,
                                           const char *name,
                                           interdict_csv **out,
                                           interdict_error *err);

/* Reads the next record. Returns 1 and sets *fields / *n_fields (valid until
 * the next call) and *line (the line the record starts on); returns 0 at the
 * end of input; returns a negative status for a bad record (unbalanced
 * quote, invalid UTF-8, field over INTERDICT_CSV_MAX_FIELD bytes, ...) with
 * err naming the line and column. After a bad record the reader has skipped
 * to the start of the next line, so the caller may report it and go on. */
#define INTERDICT_CSV_MAX_FIELD ((size_t)1 << 20)
int interdict_csv_next(interdict_csv *csv, const char *const **fields,
                       size_t *n_fields, long *line, interdict_error *err);
void interdict_csv_close(interdict_csv *csv);

/* ---- Name normalisation -------------------------------------------------- */

/* Writes the normalised, Latin-script, lower-case form of a name (the form
 * the matcher compares) into buf. Returns the length written (excluding the
 * NUL), or a negative status. Useful for debugging and explanations. */
long interdict_normalize_name(const char *utf8, size_t len, char *buf,
                              size_t size, interdict_error *err);

/* Sets up now what normalising text like `utf8` (e.g. the start of a query
 * file) will need that is slow to set up: ICU's transliterators for the
 * scripts without built-in tables (Greek, Armenian, Thai ...). Optional and
 * thread-safe: a second thread can call it while lists load. */
void interdict_prepare_scripts(const char *utf8, size_t len);

/* ---- Screening ---------------------------------------------------------- */

typedef struct interdict_index interdict_index;

/* Default alert threshold: a score at or above it is an alert. */
#define INTERDICT_DEFAULT_THRESHOLD 0.68

/* Builds a screening index over `n` lists. The lists must outlive the index. */
interdict_status interdict_index_build(const interdict_list *const *lists,
                                       size_t n, interdict_index **out,
                                       interdict_error *err);
#define INTERDICT_MAX_LISTS 64
void interdict_index_free(interdict_index *index);

size_t interdict_index_names(const interdict_index *index);   /* names indexed */
size_t interdict_index_entries(const interdict_index *index); /* entries indexed */
/* Parties: entries of different lists that name the same party count once;
 * *shared (if not NULL) gets how many parties more than one list names. */
size_t interdict_index_parties(const interdict_index *index, size_t *shared);

/* What to screen. Only `name` is required; a date of birth, nationality
 * and party type, when given, raise or lower the scores. */
typedef struct interdict_query {
    const char *name;               /* UTF-8, any script */
    interdict_party_type type;      /* UNKNOWN when not known */
    const char *dob;                /* "YYYY", "YYYY-MM", "YYYY-MM-DD" or NULL */
    const char *nationality;        /* country name or ISO 3166 code, or NULL */
    double threshold;               /* <= 0: INTERDICT_DEFAULT_THRESHOLD */
    size_t max_hits;                /* 0: 10 */
    const char *lists;              /* comma-separated list ids or families to
                                       screen against ("un,ofac" also takes
                                       "ofac-cons"); NULL or "": all */
} interdict_query;

/* How one query token was matched to a token of the listed name. */
typedef enum interdict_match_kind {
    INTERDICT_MATCH_EXACT = 0,      /* same token after normalisation */
    INTERDICT_MATCH_VARIANT = 1,    /* known romanisation variant / phonetic key */
    INTERDICT_MATCH_FUZZY = 2,      /* spelling difference (typo) */
    INTERDICT_MATCH_JOINED = 3,     /* joined or split against two tokens */
    INTERDICT_MATCH_INITIAL = 4     /* an initial matched a full token */
} interdict_match_kind;

typedef struct interdict_token_match {
    char query_token[96];           /* normalised query token */
    char list_token[96];             /* normalised listed-name token(s) */
    interdict_match_kind kind;
    float similarity;               /* 0..1 */
} interdict_token_match;

/* Evidence beyond the name: +1 agrees, -1 conflicts, 0 not compared. */
typedef struct interdict_evidence {
    int8_t dob;
    int8_t nationality;
    int8_t type;
} interdict_evidence;

typedef struct interdict_hit {
    const interdict_entry *entry;
    double score;                   /* calibrated, 0..1 */
    double name_score;              /* score of the name alone */
    const char *matched_name;       /* the listed name that matched best */
    interdict_name_kind matched_kind;
    interdict_evidence evidence;
    const interdict_token_match *tokens; size_t n_tokens;
    size_t unmatched_query_tokens;  /* query tokens with no counterpart */
    size_t unmatched_list_tokens;   /* listed-name tokens not in the query */
    /* Every loaded entry that names the same party, this one included, in
     * list order (e.g. the UN entry and the EU and UK records implementing
     * it): one hit per party, however many lists carry it. */
    const interdict_entry *const *sources; size_t n_sources;
} interdict_hit;

typedef struct interdict_result interdict_result;

interdict_result *interdict_result_new(void);
void interdict_result_free(interdict_result *result);
size_t interdict_result_count(const interdict_result *result);
const interdict_hit *interdict_result_hit(const interdict_result *result, size_t i);

/* Why part of the last query was not used (e.g. an unknown country), or
 * NULL. The name is screened regardless. */
const char *interdict_result_warning(const interdict_result *result);

/* Screens one query. Hits at or above the threshold are stored in `result`
 * (cleared first), best first. Thread-safe for a shared index as long as
 * each thread uses its own result. */
interdict_status interdict_screen(const interdict_index *index,
                                  const interdict_query *query,
                                  interdict_result *result,
                                  interdict_error *err);

/* Constant word for a match kind ("exact", "variant", ...). */
const char *interdict_match_kind_name(interdict_match_kind kind);

/* Writes a one-line explanation of a hit ("aiman=ayman (variant), ...;
 * dob agrees") into buf. Returns buf. */
char *interdict_hit_explain(const interdict_hit *hit, char *buf, size_t size);

/* ---- List store: versions of every list (SQLite) ---------------------------
 *
 * Each imported list version keeps its files, where it came from, when it was
 * imported and its SHA-256. One version per list id is active: the one
 * screening uses. Importing is all or nothing: a version that does not parse,
 * or is implausibly small next to the active one, never becomes active. */

typedef struct interdict_store interdict_store;

typedef struct interdict_list_version {
    int64_t id;
    char list_id[32];               /* "un", "ofac", ... */
    char format[32];                /* "un-xml", ... */
    char generated[32];             /* the list's own date, or "" */
    char imported_at[32];           /* UTC, ISO 8601 */
    char origin[512];               /* path or URL it was imported from */
    char sha256[65];
    int64_t bytes;                  /* of all its files */
    int64_t entries;
    int active;
} interdict_list_version;

/* Opens (creating if needed) a store file. */
interdict_status interdict_store_open(const char *path, interdict_store **out,
                                      interdict_error *err);
void interdict_store_close(interdict_store *store);

/* Stores a loaded list (re-reading its files, which must not have changed
 * since it was loaded) as a new version and makes it active. With
 * min_ratio > 0, a list with fewer than min_ratio x the active version's
 * entries is refused (INTERDICT_ERR_INVALID). When the same content is
 * already stored, that version becomes active and *unchanged is set. */
interdict_status interdict_store_import(interdict_store *store, const interdict_list *list,
                                        const char *origin, double min_ratio,
                                        interdict_list_version *out, int *unchanged,
                                        interdict_error *err);

/* Versions of one list id (NULL: all), newest first, in a malloc'd array
 * the caller frees. With active_only, just the active ones. */
interdict_status interdict_store_versions(interdict_store *store, const char *list_id,
                                          int active_only, interdict_list_version **out,
                                          size_t *n, interdict_error *err);

/* Loads a stored version. */
interdict_status interdict_store_load(interdict_store *store, int64_t version_id,
                                      interdict_list **out, interdict_error *err);

/* The version of a list id a named job (e.g. a customer file's rescreening)
 * last used: 0 when none. */
interdict_status interdict_store_get_mark(interdict_store *store, const char *job,
                                          const char *list_id, int64_t *version_id,
                                          interdict_error *err);
interdict_status interdict_store_set_mark(interdict_store *store, const char *job,
                                          const char *list_id, int64_t version_id,
                                          interdict_error *err);

/* ---- Downloads (libcurl) ---------------------------------------------------- */

/* Downloads a URL (http, https or file) into a new file at `path`, written
 * to a temporary name beside it and renamed only once complete, so that a
 * failed or partial download never leaves a file behind. Fails on HTTP
 * errors, on more than max_bytes (0: the list size limit) and after
 * timeout_seconds (0: 300). */
interdict_status interdict_fetch(const char *url, const char *path, size_t max_bytes,
                                 long timeout_seconds, interdict_error *err);

/* Frees per-thread caches (ICU transliterators). Optional: call from a
 * worker thread before it exits to keep leak checkers quiet. */
void interdict_thread_cleanup(void);

/* ---- Payment messages -------------------------------------------------- */

/*
 * Screening of payment messages: ISO 20022 pacs.008 and pain.001 (XML,
 * UTF-8, optionally wrapped with a Business Application Header) and SWIFT
 * MT103, MT202 and MT202COV (text, one or more {1:}{2:}{3:}{4:} messages per
 * input). Every party of every transaction (names, addresses, countries,
 * BICs, accounts), the countries involved and the free-text fields
 * (remittance information, MT fields 70/72, purpose, instructions) are
 * screened against the index and against country and BIC rules. Each
 * transaction is decided `pass` or `hold`; a hold lists every hit with the
 * field it came from and why. A message, transaction or field that cannot
 * be read (malformed XML, unknown message type, missing mandatory field,
 * field over its length limit, characters outside the SWIFT X set, invalid
 * UTF-8, truncation) is held with an error naming the field: nothing passes
 * unscreened.
 */

/* Country and BIC rules. Refer to the index they were made with (listed
 * BICs point to its entries): free them before the index. */
typedef struct interdict_payment_rules interdict_payment_rules;

/* The built-in rules: the comprehensively sanctioned jurisdictions KP, IR,
 * SY and CU (from country codes, IBANs, BICs and country names or capitals
 * in addresses), the regions Crimea / Sevastopol, Donetsk and Luhansk
 * recognised from addresses, and as listed BICs the SWIFT/BIC codes of the
 * index's entries (documents whose type mentions SWIFT or BIC, and
 * "SWIFT:" / "SWIFT/BIC:" codes in their comments). `index` may be NULL. */
interdict_status interdict_payment_rules_default(const interdict_index *index,
                                                 interdict_payment_rules **out,
                                                 interdict_error *err);

/* Rules from a JSON file (unknown keys are errors):
 *   {
 *     "defaults": true,        built-in countries and regions too (default true)
 *     "list_bics": true,       BICs of the index's entries (default true)
 *     "countries": ["KP", {"code": "RU", "name": "Russia", "reason": "..."}],
 *     "regions": [{"name": "Crimea", "country": "UA",
 *                  "terms": ["Crimea", "Sevastopol"], "reason": "..."}],
 *     "bics": ["DCBKKPPY", {"bic": "ABCDEFGH123", "reason": "..."}]
 *   }
 * A BIC of 8 characters (or ending in XXX) holds every branch of the
 * institution; one of 11 characters holds that branch only. */
interdict_status interdict_payment_rules_load(const char *path, const interdict_index *index,
                                              interdict_payment_rules **out,
                                              interdict_error *err);
interdict_status interdict_payment_rules_load_memory(const char *data, size_t len,
                                                     const char *name,
                                                     const interdict_index *index,
                                                     interdict_payment_rules **out,
                                                     interdict_error *err);
void interdict_payment_rules_free(interdict_payment_rules *rules);

size_t interdict_payment_rules_countries(const interdict_payment_rules *rules);
size_t interdict_payment_rules_regions(const interdict_payment_rules *rules);
size_t interdict_payment_rules_bics(const interdict_payment_rules *rules);

typedef enum interdict_payment_hit_kind {
    INTERDICT_PAYMENT_HIT_NAME = 0,     /* a party's name matched a listed name */
    INTERDICT_PAYMENT_HIT_TEXT = 1,     /* words of a free-text field matched a listed name */
    INTERDICT_PAYMENT_HIT_BIC = 2,      /* a listed bank's BIC */
    INTERDICT_PAYMENT_HIT_COUNTRY = 3,  /* an embargoed jurisdiction */
    INTERDICT_PAYMENT_HIT_REGION = 4    /* an embargoed region or place named in an address */
} interdict_payment_hit_kind;

typedef struct interdict_payment_hit {
    interdict_payment_hit_kind kind;
    const char *field;              /* "CdtTrfTxInf[1]/Cdtr/Nm", "59", "B/50K", "70" */
    const char *role;               /* "creditor", "remittance information", ... */
    const char *value;              /* the name, words, BIC, country code or address line */
    const char *reason;             /* why, for a person to read */
    const interdict_hit *match;     /* NAME and TEXT: the list match; else NULL */
    const interdict_entry *entry;   /* the listed entry (NAME, TEXT, listed BIC), or NULL */
} interdict_payment_hit;

typedef struct interdict_payment_party {
    const char *role;               /* "debtor", "creditor agent", "ordering customer", ... */
    const char *field;              /* "CdtTrfTxInf[1]/Cdtr", "50K", "block 1" */
    interdict_party_type type;      /* PERSON / ENTITY when the message says; agents ENTITY */
    const char *name;               /* "" when none */
    const char *const *address;     /* address lines as given */
    size_t n_address;
    const char *country;            /* alpha-2 of its address (or BIC), or "" */
    const char *bic;                /* "" when none */
    const char *account;            /* IBAN or other account id, "" when none */
} interdict_payment_party;

typedef struct interdict_payment_transaction {
    size_t number;                  /* 1-based within the message */
    const char *id;                 /* EndToEndId (TxId, InstrId) or MT field 20, or "" */
    const char *field;              /* "CdtTrfTxInf[2]", "PmtInf[1]/CdtTrfTxInf[3]"; "" for MT */
    long line;
    int hold;                       /* 1 hold, 0 pass */
    const interdict_payment_hit *hits; size_t n_hits;
    /* Fields of this transaction that could not be read; a hold. Errors of
     * the message as a whole are the message's and hold every transaction. */
    const interdict_error *errors; size_t n_errors;
    const interdict_payment_party *const *parties; size_t n_parties;
    const char *const *countries; size_t n_countries;   /* every country involved */
} interdict_payment_transaction;

typedef struct interdict_payment_message {
    size_t number;                  /* 1-based within the input */
    const char *type;               /* "pacs.008.001.08", "pain.001.001.09", "MT103",
                                       "MT202", "MT202COV", "MT999", ...; "" when unknown */
    const char *id;                 /* MsgId or MT field 20, or "" */
    long line;                      /* where it starts in the input */
    int hold;                       /* a transaction is held, or the message unreadable */
    const interdict_payment_transaction *transactions; size_t n_transactions;
    const interdict_error *errors; size_t n_errors;    /* errors of the message as a whole */
} interdict_payment_message;

/* Screens payment messages; owns the report of its last screening. Not
 * thread-safe: use one per thread (they may share the index and rules). */
typedef struct interdict_payment_screener interdict_payment_screener;

/* threshold <= 0: INTERDICT_DEFAULT_THRESHOLD. rules NULL: no country or
 * BIC rules. The index and rules must outlive the screener. */
interdict_status interdict_payment_screener_new(const interdict_index *index,
                                                const interdict_payment_rules *rules,
                                                double threshold,
                                                interdict_payment_screener **out,
                                                interdict_error *err);
void interdict_payment_screener_free(interdict_payment_screener *s);

/* Screens every message of the input. Returns INTERDICT_OK when the input
 * could be taken in (held and unreadable messages included: see the report),
 * or an error when it could not be read at all (I/O, over the size limit,
 * out of memory). The report replaces the previous one and stays valid
 * until the next screening or interdict_payment_screener_free(). */
interdict_status interdict_payment_screen_memory(interdict_payment_screener *s,
                                                 const char *data, size_t len,
                                                 const char *name, interdict_error *err);
interdict_status interdict_payment_screen_file(interdict_payment_screener *s, const char *path,
                                               interdict_error *err);

size_t interdict_payment_message_count(const interdict_payment_screener *s);
const interdict_payment_message *interdict_payment_message_at(const interdict_payment_screener *s,
                                                              size_t i);

/* Constant word for a hit kind ("name", "text", "bic", "country", "region"). */
const char *interdict_payment_hit_kind_name(interdict_payment_hit_kind kind);

/* ---- Free text -------------------------------------------------------------
 *
 * Finds mentions of listed parties in running text (news, reports, payment
 * messages, chat) in any language and script: names inside sentences,
 * with quotes and punctuation around them, split across line breaks,
 * inflected or with attached particles (Arabic و/ب/ل, Russian case
 * endings, English 's, French d'), and acronyms the list gives. A name
 * that is also an everyday word, a lone given name or a short alias needs
 * more than itself to alert: the whole listed name, an exact-case acronym,
 * or a title beside it. Text is read in one pass, in time linear in its
 * length; invalid UTF-8 bytes are read as separators and reported in the
 * warning, never an error. */

typedef struct interdict_text_options {
    double threshold;               /* <= 0: INTERDICT_DEFAULT_THRESHOLD */
    size_t max_hits_per_span;       /* parties reported on one span; 0: 5 */
} interdict_text_options;

typedef struct interdict_text_hit {
    const interdict_entry *entry;
    double score;                   /* 0..1 */
    uint64_t start, end;            /* byte offsets of the mention, end exclusive */
    const char *text;               /* bytes start..end as written, NUL-terminated */
    const char *matched_name;       /* the listed name the mention matched */
    interdict_name_kind matched_kind;
    const char *explanation;        /* token by token, like interdict_hit_explain */
} interdict_text_hit;

typedef struct interdict_text_result interdict_text_result;

/* A result holds the hits of one text and the scanner's caches; reuse it
 * for the next text (one per thread). */
interdict_text_result *interdict_text_result_new(void);
void interdict_text_result_free(interdict_text_result *result);
size_t interdict_text_result_count(const interdict_text_result *result);
/* Hits in order of their start offset. */
const interdict_text_hit *interdict_text_result_hit(const interdict_text_result *result,
                                                    size_t i);
/* Why part of the text could not be read as written (invalid UTF-8), or NULL. */
const char *interdict_text_result_warning(const interdict_text_result *result);

/* Screens `len` bytes of UTF-8 text held in memory (a mapped file works). */
interdict_status interdict_screen_text(const interdict_index *index, const char *text,
                                       size_t len, const interdict_text_options *options,
                                       interdict_text_result *result,
                                       interdict_error *err);

/* The same in pieces, for streams: begin, feed the bytes in chunks of any
 * size (a chunk may end inside a word or a UTF-8 sequence), end. The hits
 * are those one call over the whole text would find, with offsets from the
 * start of the stream; memory stays bounded by the chunk size. */
interdict_status interdict_text_begin(const interdict_index *index,
                                      const interdict_text_options *options,
                                      interdict_text_result *result, interdict_error *err);
interdict_status interdict_text_feed(interdict_text_result *result, const char *data,
                                     size_t len, interdict_error *err);
interdict_status interdict_text_end(interdict_text_result *result, interdict_error *err);

/* ---- Service commands --------------------------------------------------------
 *
 * The HTTP service, its casebook (alerts, decisions, allow-list, API keys,
 * audit trail) and their commands live in the library (src/service/). For
 * the command-line tool: each takes the command's arguments (argv[0] is the
 * command's name) and returns its exit status. default_list is the list
 * screened when neither files nor a store with lists are named. */
int interdict_serve_command(int argc, char **argv, const char *default_list);
int interdict_keys_command(int argc, char **argv);
int interdict_audit_command(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* INTERDICT_H */
