/* commands.c - `interdict serve`, `interdict keys` and `interdict audit`. */
#include "interdict.h"
#include "service.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SERVE_USAGE[] =
    "usage: interdict serve [--port N] [--bind ADDR] [--db PATH|postgres://...]\n"
    "                       [--list PATH]... [--store PATH] [--threads N]\n"
    "                       [--max-body BYTES] [--max-batch N] [--timeout SECONDS]\n"
    "                       [--port-file PATH] [--no-cache] [--quiet]\n"
    "  --db        alerts, decisions, keys and the audit trail: a SQLite file\n"
    "              (default INTERDICT_DB, else interdict.db) or a PostgreSQL URI\n"
    "  --list      list files to screen against (repeatable); else the active\n"
    "              versions in --store (default: --db when it is a SQLite file),\n"
    "              else the bundled list\n"
    "  --port 0    any free port (written to --port-file)\n"
    "  --no-cache  screen every query afresh (by default the hits of recent\n"
    "              queries are kept until the lists are reloaded)\n";

static const char KEYS_USAGE[] =
    "usage: interdict keys create --role client|analyst|supervisor|admin --name NAME [--db DB]\n"
    "       interdict keys list [--db DB]\n"
    "       interdict keys revoke ID [--db DB]\n";

static const char AUDIT_USAGE[] =
    "usage: interdict audit verify [--db DB]\n"
    "       interdict audit show [--after SEQ] [--limit N] [--db DB]\n";

static const char *default_db(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("INTERDICT_DB");
    return env && *env ? env : "interdict.db";
}

static int number(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        fprintf(stderr, "interdict: %s must be a whole number from %ld to %ld, not '%s'\n", opt,
                lo, hi, v);
        return -1;
    }
    *out = n;
    return 0;
}

int interdict_serve_command(int argc, char **argv, const char *default_list)
{
    service_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.cache = 1;
    const char *env_list = getenv("INTERDICT_LIST");
    cfg.default_list = env_list && *env_list ? env_list : default_list;
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(SERVE_USAGE, stdout);
            return 0;
        }
        if (!strcmp(a, "--quiet")) {
            cfg.quiet = 1;
            continue;
        }
        if (!strcmp(a, "--no-cache")) {
            cfg.cache = 0;
            continue;
        }
        static const char *const WITH_VALUE[] = {"--port", "--bind", "--db", "--store", "--list",
                                                 "--threads", "--max-body", "--max-batch",
                                                 "--timeout", "--port-file", NULL};
        int known = 0;
        for (int k = 0; WITH_VALUE[k]; k++)
            known |= !strcmp(a, WITH_VALUE[k]);
        if (!known) {
            fprintf(stderr, "interdict: %s '%s'\n%s",
                    strncmp(a, "--", 2) ? "unexpected argument" : "unknown option", a, SERVE_USAGE);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "interdict: %s needs a value\n", a);
            return 2;
        }
        const char *v = argv[++i];
        long n;
        if (!strcmp(a, "--port")) {
            if (number(a, v, 0, 65535, &n) < 0)
                return 2;
            cfg.port = (int)n;
        } else if (!strcmp(a, "--bind")) {
            cfg.bind = v;
        } else if (!strcmp(a, "--db")) {
            db = v;
        } else if (!strcmp(a, "--store")) {
            cfg.store = v;
        } else if (!strcmp(a, "--list")) {
            if (cfg.n_list_paths == SERVICE_MAX_LISTS) {
                fprintf(stderr, "interdict: at most %d lists\n", SERVICE_MAX_LISTS);
                return 2;
            }
            cfg.list_paths[cfg.n_list_paths++] = v;
        } else if (!strcmp(a, "--threads")) {
            if (number(a, v, 1, 256, &n) < 0)
                return 2;
            cfg.threads = (unsigned)n;
        } else if (!strcmp(a, "--max-body")) {
            if (number(a, v, 1024, 64L << 20, &n) < 0)
                return 2;
            cfg.max_body = (size_t)n;
        } else if (!strcmp(a, "--max-batch")) {
            if (number(a, v, 1, 100000, &n) < 0)
                return 2;
            cfg.max_batch = (size_t)n;
        } else if (!strcmp(a, "--timeout")) {
            if (number(a, v, 1, 3600, &n) < 0)
                return 2;
            cfg.timeout = (unsigned)n;
        } else if (!strcmp(a, "--port-file")) {
            cfg.port_file = v;
        } else {
            fprintf(stderr, "interdict: unknown option '%s'\n%s", a, SERVE_USAGE);
            return 2;
        }
    }
    cfg.db = default_db(db);
    if (!cfg.store && cfg.n_list_paths == 0 && !strstr(cfg.db, "://"))
        cfg.store = cfg.db;
    char err[1024];
    service *svc = service_new(&cfg, err, sizeof err);
    if (!svc) {
        fprintf(stderr, "interdict: %s\n", err);
        return 1;
    }
    int rc = service_run(svc, &cfg);
    service_free(svc);
    return rc;
}

/* The --db option of keys and audit; other arguments are left in place. */
static int take_db(int argc, char **argv, const char **db, char **rest, int *n_rest)
{
    *n_rest = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "interdict: --db needs a value\n");
                return -1;
            }
            *db = argv[++i];
        } else {
            rest[(*n_rest)++] = argv[i];
        }
    }
    return 0;
}

static casebook *open_casebook(const char *db)
{
    char err[1024];
    casebook *cb = casebook_open(default_db(db), err, sizeof err);
    if (!cb)
        fprintf(stderr, "interdict: %s\n", err);
    return cb;
}

static void print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
}

int interdict_keys_command(int argc, char **argv)
{
    const char *db = NULL;
    char *rest[64];
    int n = 0;
    if (argc > 64 || take_db(argc, argv, &db, rest, &n) < 0 || n == 0) {
        fputs(KEYS_USAGE, stderr);
        return 2;
    }
    const char *sub = rest[0];
    if (!strcmp(sub, "create")) {
        const char *role_s = NULL, *name = NULL;
        for (int i = 1; i < n; i++) {
            if (i + 1 < n && !strcmp(rest[i], "--role"))
                role_s = rest[++i];
            else if (i + 1 < n && !strcmp(rest[i], "--name"))
                name = rest[++i];
            else {
                fprintf(stderr, "interdict: unexpected argument '%s'\n%s", rest[i], KEYS_USAGE);
                return 2;
            }
        }
        cb_role role;
        if (!role_s || cb_role_parse(role_s, &role) < 0) {
            fprintf(stderr, "interdict: --role must be client, analyst, supervisor or admin\n");
            return 2;
        }
        if (!name || !*name) {
            fprintf(stderr, "interdict: --name is required\n");
            return 2;
        }
        casebook *cb = open_casebook(db);
        if (!cb)
            return 1;
        char key[CB_KEY_MAX];
        int64_t id;
        int rc = casebook_key_create(cb, role, name, "system (keys create)", key, &id);
        if (rc != CB_OK) {
            fprintf(stderr, "interdict: %s\n", casebook_message());
            casebook_close(cb);
            return rc == CB_INVALID ? 2 : 1;
        }
        /* the key itself on stdout, once; what it is on stderr */
        printf("%s\n", key);
        fflush(stdout);
        memset(key, 0, sizeof key);
        fprintf(stderr, "interdict: key %" PRId64 " \"%s\" (%s) created; it is shown only"
                        " this once\n", id, name, cb_role_name(role));
        casebook_close(cb);
        return 0;
    }
    if (!strcmp(sub, "list") && n == 1) {
        casebook *cb = open_casebook(db);
        if (!cb)
            return 1;
        json_t *keys;
        int rc = casebook_keys(cb, &keys);
        if (rc == CB_OK) {
            print_json(keys);
            json_decref(keys);
        } else {
            fprintf(stderr, "interdict: %s\n", casebook_message());
        }
        casebook_close(cb);
        return rc == CB_OK ? 0 : 1;
    }
    if (!strcmp(sub, "revoke") && n == 2) {
        char *end;
        long long id = strtoll(rest[1], &end, 10);
        if (*end || id <= 0) {
            fprintf(stderr, "interdict: revoke needs a key id\n");
            return 2;
        }
        casebook *cb = open_casebook(db);
        if (!cb)
            return 1;
        int rc = casebook_key_revoke(cb, (int64_t)id, "system (keys revoke)");
        if (rc != CB_OK)
            fprintf(stderr, "interdict: %s\n", casebook_message());
        else
            fprintf(stderr, "interdict: key %lld revoked\n", id);
        casebook_close(cb);
        return rc == CB_OK ? 0 : 1;
    }
    fputs(KEYS_USAGE, stderr);
    return 2;
}

int interdict_audit_command(int argc, char **argv)
{
    const char *db = NULL;
    char *rest[64];
    int n = 0;
    if (argc > 64 || take_db(argc, argv, &db, rest, &n) < 0 || n == 0) {
        fputs(AUDIT_USAGE, stderr);
        return 2;
    }
    if (!strcmp(rest[0], "verify") && n == 1) {
        casebook *cb = open_casebook(db);
        if (!cb)
            return 1;
        int64_t entries = 0, bad = 0;
        char why[512];
        int rc = casebook_audit_verify(cb, &entries, &bad, why, sizeof why);
        casebook_close(cb);
        if (rc == CB_OK) {
            printf("audit trail intact: %" PRId64 " entries\n", entries);
            return 0;
        }
        if (rc == CB_CONFLICT) {
            printf("audit trail BROKEN at entry %" PRId64 ": %s (%" PRId64
                   " entries before it are intact)\n", bad, why, entries);
            return 1;
        }
        fprintf(stderr, "interdict: %s\n", casebook_message());
        return 1;
    }
    if (!strcmp(rest[0], "show")) {
        long after = 0, limit = 100;
        for (int i = 1; i < n; i++) {
            if (i + 1 < n && !strcmp(rest[i], "--after")) {
                if (number("--after", rest[++i], 0, 1L << 62, &after) < 0)
                    return 2;
            } else if (i + 1 < n && !strcmp(rest[i], "--limit")) {
                if (number("--limit", rest[++i], 1, 1000, &limit) < 0)
                    return 2;
            } else {
                fputs(AUDIT_USAGE, stderr);
                return 2;
            }
        }
        casebook *cb = open_casebook(db);
        if (!cb)
            return 1;
        json_t *arr;
        int rc = casebook_audit_list(cb, after, (int)limit, &arr);
        if (rc == CB_OK) {
            size_t i;
            json_t *e;
            json_array_foreach(arr, i, e) {
                json_dumpf(e, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
                putchar('\n');
            }
            json_decref(arr);
        } else {
            fprintf(stderr, "interdict: %s\n", casebook_message());
        }
        casebook_close(cb);
        return rc == CB_OK ? 0 : 1;
    }
    fputs(AUDIT_USAGE, stderr);
    return 2;
}
