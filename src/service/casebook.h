/* casebook.h - alerts, analysts' decisions, the allow-list, API keys and the
 * hash-chained audit trail, in SQLite (a file path) or PostgreSQL (a
 * postgres:// URI); one schema and one set of statements for both.
 *
 * Writes go through one writer thread that commits in groups: screenings
 * that do not alert queue their audit record and return at once; alerts,
 * decisions, allow-list and key changes wait until their transaction is
 * committed, so whatever the caller acknowledges survives a crash. The
 * writer is also the only one to extend the audit chain, so entries are in
 * one order with no gaps: entry N stores SHA-256(hash of N-1 || canonical
 * JSON of N).
 *
 * All functions are thread-safe. Those returning int return a cb_status;
 * casebook_message() then says what went wrong, for the calling thread. */
#ifndef INTERDICT_CASEBOOK_H
#define INTERDICT_CASEBOOK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct casebook casebook;

typedef enum cb_status {
    CB_OK = 0,
    CB_NOT_FOUND = 1,    /* no such alert, allow-list entry or key */
    CB_CONFLICT = 2,     /* not in a state that allows it (already decided, ...) */
    CB_INVALID = 3,      /* bad argument (unknown decision, empty reason, ...) */
    CB_FORBIDDEN = 4,    /* the caller may not (e.g. approve their own request) */
    CB_ERROR = 5         /* the database failed */
} cb_status;

typedef enum cb_role {
    CB_ROLE_NONE = 0,
    CB_ROLE_CLIENT = 1,      /* screening */
    CB_ROLE_ANALYST = 2,     /* + read and decide alerts */
    CB_ROLE_SUPERVISOR = 3,  /* + approve allow-list entries */
    CB_ROLE_ADMIN = 4        /* + manage keys, reload lists */
} cb_role;

const char *cb_role_name(cb_role r);
int cb_role_parse(const char *s, cb_role *out);   /* 0 ok, -1 unknown */

typedef struct cb_principal {
    int64_t key_id;
    char name[64];
    cb_role role;
} cb_principal;

/* "name (key N)": who, as the audit trail records it. */
void cb_principal_actor(const cb_principal *p, char *buf, size_t size);

/* The message of the calling thread's last failure. */
const char *casebook_message(void);

casebook *casebook_open(const char *target, char *err, size_t err_size);
/* Commits what is queued, stops the writer, closes the database. */
void casebook_close(casebook *cb);
const char *casebook_backend_name(const casebook *cb);     /* "sqlite", "postgresql" */
int casebook_ping(casebook *cb);
/* Waits until every queued record is committed. */
int casebook_flush(casebook *cb);
size_t casebook_queue_depth(casebook *cb);

/* ---- Audit trail ------------------------------------------------------------ */

/* Records one event. detail (a JSON object; the reference is taken) says
 * what; versions names the list versions in use. With wait, returns once
 * the record is committed. */
int casebook_audit(casebook *cb, const char *actor, const char *action, const char *subject,
                   const char *versions, json_t *detail, int wait);

/* The same with the detail as JSON text already (detail_len bytes, copied):
 * the record is made ready on the calling thread, and the writer only adds
 * the time, the sequence number and the hash. */
int casebook_audit_text(casebook *cb, const char *actor, const char *action, const char *subject,
                        const char *versions, const char *detail, size_t detail_len, int wait);

/* Checks the whole chain. *entries gets the number checked; on a broken
 * chain returns CB_CONFLICT with *bad_seq the first bad entry and why. */
int casebook_audit_verify(casebook *cb, int64_t *entries, int64_t *bad_seq, char *why,
                          size_t why_size);

/* Entries after seq `after`, oldest first (at most limit). */
int casebook_audit_list(casebook *cb, int64_t after, int limit, json_t **out);

/* ---- Alerts ----------------------------------------------------------------- */

typedef struct cb_alert_new {
    const char *screening_id;
    const char *customer_id;    /* "" when the client gave none */
    const char *customer_fp;    /* hash of the screened fields */
    const char *actor;
    const char *versions;       /* list versions, short form */
    json_t *query;              /* borrowed */
    json_t *hits;               /* borrowed: array of hit objects with list, ref, entry_fp */
    json_t *lists;              /* borrowed: list versions */
    json_t *audit_detail;       /* borrowed: what the audit record says */
} cb_alert_new;

/* Stores an alert and its audit record in one transaction; returns once
 * committed. What the alert holds is copied to text on the calling thread. */
int casebook_alert_create(casebook *cb, const cb_alert_new *a, int64_t *id);
/* Several alerts in one transaction (a batch request): all or none. */
int casebook_alerts_create(casebook *cb, const cb_alert_new *a, size_t n, int64_t *ids);

/* ---- Writes in flight --------------------------------------------------------
 * For a caller that must not block until the commit (an HTTP worker thread
 * serving many connections): the write is queued and notify(arg) is called
 * from the writer thread once it is committed or has failed. notify should
 * be quick; after it, or after casebook_write_wait, casebook_write_result
 * tells how it went. The owner frees the write once done with it. */
typedef struct cb_write cb_write;
typedef void (*cb_notify_fn)(void *arg);

/* casebook_alerts_create, in flight. On CB_OK *out is the write and notify
 * will be called; on failure *out is NULL and notify is not called. */
int casebook_alerts_create_async(casebook *cb, const cb_alert_new *a, size_t n,
                                 cb_notify_fn notify, void *arg, cb_write **out);
/* casebook_audit_text with wait, in flight. */
int casebook_audit_text_async(casebook *cb, const char *actor, const char *action,
                              const char *subject, const char *versions, const char *detail,
                              size_t detail_len, cb_notify_fn notify, void *arg, cb_write **out);
/* Blocks until the write is committed or has failed. */
void casebook_write_wait(cb_write *w);
/* Waits, then returns the write's status; ids (n of them, may be NULL) get
 * the alerts' ids, msg the failure's message. */
int casebook_write_result(cb_write *w, int64_t *ids, size_t n, char *msg, size_t msg_size);
/* Waits, then frees. */
void casebook_write_free(cb_write *w);

/* Whether an approved allow-list entry covers this customer and listed
 * entry with these fingerprints: 1 (and *allow_id), 0, or -1 on error. */
int casebook_allowed(casebook *cb, const char *customer_id, const char *list, const char *ref,
                     const char *customer_fp, const char *entry_fp, int64_t *allow_id);

/* Alerts with a status ("open", "escalated", "true_match", "false_positive";
 * NULL: all), newest first, with ids below before_id (0: no bound). */
int casebook_alerts(casebook *cb, const char *status, int64_t before_id, int limit,
                    json_t **out);
/* One alert with its decisions and allow-list entries. */
int casebook_alert_get(casebook *cb, int64_t id, json_t **out);

/* Decides an open (or, for a supervisor, escalated) alert: decision is
 * "true_match", "false_positive" or "escalate"; reason is required. */
int casebook_decide(casebook *cb, int64_t alert_id, const char *decision, const char *reason,
                    const cb_principal *who, const char *versions);

/* Asks for an allow-list entry for a false-positive alert's customer and
 * one listed entry (list and ref), or every hit of the alert (list NULL).
 * *created (if not NULL) gets the new entries. */
int casebook_allow_request(casebook *cb, int64_t alert_id, const char *list, const char *ref,
                           const char *reason, const cb_principal *who, json_t **created);

/* "approve" or "reject" a pending entry (by someone other than the one who
 * asked), or "revoke" an approved one. */
int casebook_allow_decide(casebook *cb, int64_t allow_id, const char *action,
                          const char *reason, const cb_principal *who);

int casebook_allowlist(casebook *cb, const char *status, json_t **out);

/* ---- API keys ------------------------------------------------------------ */

#define CB_KEY_MAX 80

/* Makes a key (printed once; only its SHA-256 is stored). */
int casebook_key_create(casebook *cb, cb_role role, const char *name, const char *actor,
                        char key[CB_KEY_MAX], int64_t *id);
/* CB_OK and *out for a valid key; CB_NOT_FOUND for an unknown or revoked one. */
int casebook_key_check(casebook *cb, const char *key, cb_principal *out);
int casebook_keys(casebook *cb, json_t **out);
int casebook_key_revoke(casebook *cb, int64_t id, const char *actor);

/* Hex SHA-256 of the compact, key-sorted JSON of v. */
int cb_fingerprint(const json_t *v, char hex[65]);

#endif
