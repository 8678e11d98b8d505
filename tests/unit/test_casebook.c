/* Tests of the casebook: keys, alerts, decisions, the allow-list and the
 * audit chain, against SQLite and, when PostgreSQL is installed, against a
 * throwaway PostgreSQL cluster (tests/service/pg_cluster.sh). */
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "service/casebook.h"

static json_t *hit(const char *list, const char *ref, const char *fp)
{
    json_t *h = json_object();
    json_object_set_new(h, "list", json_string(list));
    json_object_set_new(h, "ref", json_string(ref));
    json_object_set_new(h, "entry_fp", json_string(fp));
    json_object_set_new(h, "score", json_real(0.9));
    return h;
}

static int64_t make_alert(casebook *cb, const char *customer, const char *cfp)
{
    json_t *query = json_pack("{s:s}", "name", "Test Person");
    json_t *hits = json_array();
    json_array_append_new(hits, hit("un", "QDi.001", "fp-entry-1"));
    json_array_append_new(hits, hit("un", "QDi.002", "fp-entry-2"));
    json_t *lists = json_array();
    json_t *detail = json_pack("{s:s}", "screening_id", "s1");
    cb_alert_new a = {.screening_id = "s1", .customer_id = customer, .customer_fp = cfp,
                      .actor = "tester", .versions = "un:2026:abc", .query = query, .hits = hits,
                      .lists = lists, .audit_detail = detail};
    int64_t id = 0;
    /* no CHECK here: worker threads call this (the callers check the id) */
    if (casebook_alert_create(cb, &a, &id) != CB_OK)
        id = 0;
    json_decref(query);
    json_decref(hits);
    json_decref(lists);
    json_decref(detail);
    return id;
}

typedef struct worker_arg {
    casebook *cb;
    int n;
    int failures;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    for (int i = 0; i < w->n; i++) {
        json_t *d = json_pack("{s:i}", "i", i);
        if (casebook_audit(w->cb, "worker", "screen", "s", "v", d, i % 50 == 0) != CB_OK)
            w->failures++;
        if (i % 40 == 0 && make_alert(w->cb, "cw", "fp") <= 0)
            w->failures++;
    }
    return NULL;
}

typedef struct notice_box {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int count;
} notice_box;

static void on_notice(void *arg)
{
    notice_box *b = arg;
    pthread_mutex_lock(&b->lock);
    b->count++;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
}

/* Writes in flight: the notice comes once each is committed, then the
 * result says how it went. Three entries. */
static void in_flight(casebook *cb)
{
    notice_box box = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    json_t *query = json_pack("{s:s}", "name", "Async Person");
    json_t *hits = json_array();
    json_array_append_new(hits, hit("un", "QDi.003", "fp-entry-3"));
    json_t *lists = json_array();
    json_t *detail = json_pack("{s:s}", "screening_id", "s-async");
    cb_alert_new a = {.screening_id = "s-async", .customer_id = "", .customer_fp = "fp",
                      .actor = "tester", .versions = "v", .query = query, .hits = hits,
                      .lists = lists, .audit_detail = detail};
    cb_write *w1 = NULL, *w2 = NULL;
    CHECK(casebook_alerts_create_async(cb, &a, 1, on_notice, &box, &w1) == CB_OK && w1);
    /* the caller's objects may go at once: the write holds their text */
    json_decref(query);
    json_decref(hits);
    json_decref(lists);
    json_decref(detail);
    static const char text[] = "{\"note\":\"durable \\\"quoted\\\"\"}";
    CHECK(casebook_audit_text_async(cb, "tester", "note", "n1", "v", text, sizeof text - 1,
                                    on_notice, &box, &w2) == CB_OK && w2);
    pthread_mutex_lock(&box.lock);
    while (box.count < 2)
        pthread_cond_wait(&box.cond, &box.lock);
    pthread_mutex_unlock(&box.lock);
    int64_t id = 0;
    char msg[128];
    CHECK(casebook_write_result(w1, &id, 1, msg, sizeof msg) == CB_OK && id > 0);
    CHECK(casebook_write_result(w2, NULL, 0, msg, sizeof msg) == CB_OK);
    casebook_write_free(w1);
    casebook_write_free(w2);
    json_t *alert;
    CHECK(casebook_alert_get(cb, id, &alert) == CB_OK);
    CHECK_STR(json_string_value(json_object_get(alert, "screening_id")), "s-async");
    json_decref(alert);
    /* control characters and quotes in every field, waited for */
    static const char odd[] = "{\"x\":\"tab\\t\\u0001\"}";
    CHECK(casebook_audit_text(cb, "act\x01or \"q\"", "no\tte", "sub\\ject", "v\n1", odd,
                              sizeof odd - 1, 1) == CB_OK);
}

static void run(const char *target, int is_sqlite)
{
    fprintf(stderr, "casebook on %s\n", is_sqlite ? "SQLite" : "PostgreSQL");
    char err[512];
    casebook *cb = casebook_open(target, err, sizeof err);
    CHECK(cb != NULL);
    if (!cb) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(casebook_ping(cb) == CB_OK);

    /* keys */
    char key[CB_KEY_MAX], key2[CB_KEY_MAX], key3[CB_KEY_MAX];
    int64_t kid, kid2, kid3;
    CHECK(casebook_key_create(cb, CB_ROLE_ANALYST, "ann", NULL, key, &kid) == CB_OK);
    CHECK(strlen(key) == 68 && !strncmp(key, "idk_", 4));
    CHECK(casebook_key_create(cb, CB_ROLE_SUPERVISOR, "sue", NULL, key2, &kid2) == CB_OK);
    CHECK(casebook_key_create(cb, CB_ROLE_CLIENT, "app", NULL, key3, &kid3) == CB_OK);
    CHECK(casebook_key_create(cb, CB_ROLE_NONE, "x", NULL, key3, &kid3) == CB_INVALID);
    CHECK(casebook_key_create(cb, CB_ROLE_CLIENT, "", NULL, key3, &kid3) == CB_INVALID);
    cb_principal ann, sue, who;
    CHECK(casebook_key_check(cb, key, &ann) == CB_OK && ann.role == CB_ROLE_ANALYST);
    CHECK_STR(ann.name, "ann");
    CHECK(casebook_key_check(cb, key2, &sue) == CB_OK && sue.role == CB_ROLE_SUPERVISOR);
    char wrong[CB_KEY_MAX];
    memcpy(wrong, key, sizeof wrong);
    wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
    CHECK(casebook_key_check(cb, wrong, &who) == CB_NOT_FOUND);
    CHECK(casebook_key_check(cb, "", &who) == CB_NOT_FOUND);
    CHECK(casebook_key_check(cb, NULL, &who) == CB_NOT_FOUND);
    json_t *keys;
    CHECK(casebook_keys(cb, &keys) == CB_OK && json_array_size(keys) == 3);
    char *dump = json_dumps(keys, 0);
    CHECK(dump && !strstr(dump, key) && !strstr(dump, "hash"));
    free(dump);
    json_decref(keys);

    /* alerts and decisions */
    int64_t a1 = make_alert(cb, "cust-1", "cfp-1");
    int64_t a2 = make_alert(cb, "cust-1", "cfp-1");
    int64_t a3 = make_alert(cb, "", "cfp-x");
    CHECK(a1 > 0 && a2 > a1 && a3 > a2);
    json_t *alert;
    CHECK(casebook_alert_get(cb, a1, &alert) == CB_OK);
    CHECK_STR(json_string_value(json_object_get(alert, "status")), "open");
    CHECK(json_array_size(json_object_get(alert, "hits")) == 2);
    json_decref(alert);
    CHECK(casebook_alert_get(cb, 999999, &alert) == CB_NOT_FOUND);
    json_t *list;
    CHECK(casebook_alerts(cb, "open", 0, 10, &list) == CB_OK && json_array_size(list) == 3);
    json_decref(list);
    CHECK(casebook_alerts(cb, NULL, a3, 10, &list) == CB_OK && json_array_size(list) == 2);
    json_decref(list);

    CHECK(casebook_decide(cb, a1, "maybe", "r", &ann, "v") == CB_INVALID);
    CHECK(casebook_decide(cb, a1, "false_positive", "", &ann, "v") == CB_INVALID);
    CHECK(casebook_decide(cb, 999999, "false_positive", "r", &ann, "v") == CB_NOT_FOUND);
    CHECK(casebook_allow_request(cb, a1, NULL, NULL, "r", &ann, NULL) == CB_CONFLICT);
    CHECK(casebook_decide(cb, a1, "false_positive", "different dob", &ann, "v") == CB_OK);
    CHECK(casebook_decide(cb, a1, "true_match", "again", &ann, "v") == CB_CONFLICT);
    CHECK(casebook_decide(cb, a2, "escalate", "unsure", &ann, "v") == CB_OK);
    CHECK(casebook_decide(cb, a2, "true_match", "sure", &ann, "v") == CB_FORBIDDEN);
    CHECK(casebook_decide(cb, a2, "true_match", "sure", &sue, "v") == CB_OK);
    CHECK(casebook_alert_get(cb, a2, &alert) == CB_OK);
    CHECK_STR(json_string_value(json_object_get(alert, "status")), "true_match");
    CHECK(json_array_size(json_object_get(alert, "decisions")) == 2);
    json_decref(alert);

    /* allow-list: one hit, then the rest; four eyes; fingerprints */
    json_t *created = NULL;
    CHECK(casebook_allow_request(cb, a1, "un", "QDi.001", "known", &ann, &created) == CB_OK);
    CHECK(json_array_size(created) == 1);
    int64_t w1 = json_integer_value(json_object_get(json_array_get(created, 0), "id"));
    json_decref(created);
    CHECK(casebook_allow_request(cb, a1, "un", "QDi.999", "x", &ann, NULL) == CB_NOT_FOUND);
    CHECK(casebook_allow_request(cb, a1, "un", NULL, "x", &ann, NULL) == CB_INVALID);
    CHECK(casebook_allow_request(cb, a1, NULL, NULL, "rest", &sue, &created) == CB_OK);
    CHECK(json_array_size(created) == 1);
    int64_t w2 = json_integer_value(json_object_get(json_array_get(created, 0), "id"));
    json_decref(created);
    CHECK(casebook_allow_request(cb, a1, NULL, NULL, "again", &ann, NULL) == CB_CONFLICT);
    int64_t allow_id;
    CHECK(casebook_allowed(cb, "cust-1", "un", "QDi.001", "cfp-1", "fp-entry-1", &allow_id) == 0);
    CHECK(casebook_allow_decide(cb, w1, "approve", "ok", &ann) == CB_FORBIDDEN);
    CHECK(casebook_allow_decide(cb, w1, "approve", "ok", &sue) == CB_OK);
    CHECK(casebook_allow_decide(cb, w1, "approve", "ok", &sue) == CB_CONFLICT);
    CHECK(casebook_allow_decide(cb, w2, "approve", "mine", &sue) == CB_FORBIDDEN);
    CHECK(casebook_allow_decide(cb, w2, "reject", "no", &ann) == CB_OK);
    CHECK(casebook_allow_decide(cb, w2, "fly", "no", &ann) == CB_INVALID);
    CHECK(casebook_allowed(cb, "cust-1", "un", "QDi.001", "cfp-1", "fp-entry-1", &allow_id) == 1);
    CHECK(allow_id == w1);
    CHECK(casebook_allowed(cb, "cust-1", "un", "QDi.001", "cfp-2", "fp-entry-1", &allow_id) == 0);
    CHECK(casebook_allowed(cb, "cust-1", "un", "QDi.001", "cfp-1", "fp-entry-9", &allow_id) == 0);
    CHECK(casebook_allowed(cb, "cust-2", "un", "QDi.001", "cfp-1", "fp-entry-1", &allow_id) == 0);
    CHECK(casebook_allowed(cb, "", "un", "QDi.001", "cfp-1", "fp-entry-1", &allow_id) == 0);
    CHECK(casebook_allowed(cb, "cust-1", "un", "QDi.002", "cfp-1", "fp-entry-2", &allow_id) == 0);
    CHECK(casebook_allowlist(cb, "approved", &list) == CB_OK && json_array_size(list) == 1);
    json_decref(list);
    CHECK(casebook_allow_decide(cb, w1, "revoke", "moved", &sue) == CB_OK);
    CHECK(casebook_allowed(cb, "cust-1", "un", "QDi.001", "cfp-1", "fp-entry-1", &allow_id) == 0);
    CHECK(casebook_decide(cb, a3, "false_positive", "no customer id", &ann, "v") == CB_OK);
    CHECK(casebook_allow_request(cb, a3, NULL, NULL, "r", &ann, NULL) == CB_CONFLICT);

    /* many writers at once: one chain, nothing lost */
    pthread_t th[4];
    worker_arg wa[4];
    for (int i = 0; i < 4; i++) {
        wa[i] = (worker_arg){.cb = cb, .n = 500};
        pthread_create(&th[i], NULL, worker, &wa[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(wa[i].failures == 0);
    }
    in_flight(cb);
    CHECK(casebook_flush(cb) == CB_OK);
    CHECK(casebook_queue_depth(cb) == 0);
    int64_t entries = 0, bad = 0;
    char why[256];
    CHECK(casebook_audit_verify(cb, &entries, &bad, why, sizeof why) == CB_OK);
    /* 3 keys + 3 alerts + 4 decisions + 2 requests + 3 allow-list decisions
     * + 2000 audits + 52 alerts + 3 in flight */
    CHECK(entries == 3 + 3 + 4 + 2 + 3 + 2000 + 52 + 3);
    json_t *audit;
    CHECK(casebook_audit_list(cb, 0, 5, &audit) == CB_OK && json_array_size(audit) == 5);
    CHECK_STR(json_string_value(json_object_get(json_array_get(audit, 0), "action")),
              "key_create");
    json_decref(audit);
    CHECK(casebook_key_revoke(cb, kid, "admin") == CB_OK);
    CHECK(casebook_key_check(cb, key, &who) == CB_NOT_FOUND);
    CHECK(casebook_key_revoke(cb, kid, "admin") == CB_CONFLICT);
    CHECK(casebook_key_revoke(cb, 424242, "admin") == CB_NOT_FOUND);
    casebook_close(cb);

    /* reopened: the chain goes on from where it was */
    cb = casebook_open(target, err, sizeof err);
    CHECK(cb != NULL);
    if (!cb)
        return;
    CHECK(casebook_audit(cb, "t", "note", "x", "", json_object(), 1) == CB_OK);
    CHECK(casebook_audit_verify(cb, &entries, &bad, why, sizeof why) == CB_OK);
    CHECK(entries == 3 + 3 + 4 + 2 + 3 + 2000 + 52 + 3 + 1 + 1);
    casebook_close(cb);

    if (is_sqlite) {
        /* the trail refuses changes; a forced one is found */
        sqlite3 *db;
        CHECK(sqlite3_open(target, &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, "UPDATE cb_audit SET actor = 'x' WHERE seq = 7", NULL, NULL,
                           NULL) != SQLITE_OK);
        CHECK(sqlite3_exec(db, "DELETE FROM cb_audit WHERE seq = 7", NULL, NULL, NULL) !=
              SQLITE_OK);
        CHECK(sqlite3_exec(db, "DROP TRIGGER cb_audit_no_update;"
                               "UPDATE cb_audit SET actor = 'mallory' WHERE seq = 7",
                           NULL, NULL, NULL) == SQLITE_OK);
        sqlite3_close(db);
        cb = casebook_open(target, err, sizeof err);
        CHECK(cb && casebook_audit_verify(cb, &entries, &bad, why, sizeof why) == CB_CONFLICT);
        CHECK(bad == 7 && entries == 6);
        CHECK(strstr(why, "entry 7") != NULL);
        casebook_close(cb);
        CHECK(sqlite3_open(target, &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, "DROP TRIGGER cb_audit_no_delete;"
                               "DELETE FROM cb_audit WHERE seq = 3", NULL, NULL, NULL) ==
              SQLITE_OK);
        sqlite3_close(db);
        cb = casebook_open(target, err, sizeof err);
        CHECK(cb && casebook_audit_verify(cb, &entries, &bad, why, sizeof why) == CB_CONFLICT);
        CHECK(bad == 3 && entries == 2);
        casebook_close(cb);
    }
}

int main(void)
{
    char dir[] = "/tmp/interdict-casebook-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    /* the cluster may run as another user (initdb refuses root) */
    if (chmod(dir, 0755) != 0)
        return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/casebook.db", dir);
    run(path, 1);

    /* bad targets fail cleanly */
    char err[512];
    CHECK(casebook_open("/nonexistent/dir/x.db", err, sizeof err) == NULL && err[0]);
    CHECK(casebook_open("postgresql:///nodb?host=/nonexistent&port=1", err, sizeof err) == NULL);
    CHECK(strstr(err, "PostgreSQL") != NULL);

    char cmd[512], uri[512] = "";
    snprintf(cmd, sizeof cmd, "%s/../service/pg_cluster.sh start %s/pg", TEST_DATA_DIR, dir);
    FILE *p = popen(cmd, "r");
    if (p && fgets(uri, sizeof uri, p))
        uri[strcspn(uri, "\n")] = '\0';
    int st = p ? pclose(p) : -1;
    if (st == 0 && uri[0])
        run(uri, 0);
    else
        fprintf(stderr, "SKIP: the PostgreSQL half (no PostgreSQL cluster could be started)\n");
    snprintf(cmd, sizeof cmd, "%s/../service/pg_cluster.sh stop %s/pg; rm -rf %s", TEST_DATA_DIR,
             dir, dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    CHECK_DONE();
}
