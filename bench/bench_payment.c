/* bench_payment - speed of payment message screening.
 *
 * usage: bench_payment [--list PATH] [--messages N] [--repeat N] [--threads N]
 *                      [--show-holds] [FILE...]
 *
 * Screens a generated mix of pacs.008, pain.001, MT103 and MT202COV
 * messages (ordinary names, addresses and remittance text, one in fifty with
 * a listed party), or the given files, against the list (the bundled UN
 * list by default) with the built-in rules. Each message is timed on its
 * own, from bytes to decision; prints messages per second and the latency
 * per message (mean, median, p99, max) in wall-clock and in CPU time,
 * overall and per format. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "interdict.h"

enum { F_PACS, F_PAIN, F_MT103, F_COV, F_FILE, N_FORMATS };
static const char *const FORMAT_NAMES[N_FORMATS] = {"pacs.008", "pain.001", "MT103", "MT202COV",
                                                     "file"};

typedef struct message {
    char *data;
    size_t len;
    int format;
} message;

typedef struct run {
    const interdict_index *ix;
    const interdict_payment_rules *rules;
    message *msgs;
    size_t n, total;
    double *latency;         /* per screening, seconds of wall-clock time */
    double *cpu;             /* the same in CPU time of the screening thread */
    atomic_size_t next, held, errors;
    bool show_holds;
} run;

/* ---- Generated messages --------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

#define PICK(a) a[rnd(sizeof a / sizeof a[0])]

static const char *const FIRST[] = {"Maria", "John", "Wei", "Ahmed", "Olga", "Pierre", "Sofia",
                                    "Kenji", "Fatima", "Carlos", "Anna", "Lukas", "Priya",
                                    "Mohammed", "Elena", "James", "Aisha", "Tomasz", "Ingrid",
                                    "Juan", "Yuki", "Omar", "Chloe", "Ivan", "Leila"};
static const char *const LAST[] = {"Schneider", "Smith", "Chen", "Hassan", "Ivanova", "Dubois",
                                   "Rossi", "Tanaka", "Khan", "Garcia", "Lindqvist", "Weber",
                                   "Patel", "Ali", "Popescu", "Brown", "Nowak", "Larsen",
                                   "Martinez", "Sato", "Haddad", "Moreau", "Petrov", "Nasser"};
static const char *const COMPANY[] = {
    "Muster Handels GmbH", "Nordic Timber AB", "Dupont Fournitures SARL", "Rossi Logistica Srl",
    "Pacific Rim Electronics Ltd", "Atlas Engineering BV", "Blue River Foods Inc",
    "Sunrise Textiles Pvt Ltd", "Andes Mining SA", "Baltic Shipping OU", "Alpine Tools AG",
    "Golden Harvest Trading LLC", "Maple Leaf Software Corp", "Cedar Medical Supplies Ltd"};
static const struct {
    const char *town, *cc, *bic;
} PLACES[] = {
    {"Berlin", "DE", "DEUTDEFF"}, {"Paris", "FR", "BNPAFRPP"}, {"Milano", "IT", "UNCRITMM"},
    {"Amsterdam", "NL", "INGBNL2A"}, {"London", "GB", "BARCGB22"}, {"New York", "US", "CITIUS33"},
    {"Stockholm", "SE", "ESSESESS"}, {"Madrid", "ES", "BSCHESMM"}, {"Zurich", "CH", "UBSWCHZH"},
    {"Tokyo", "JP", "BOTKJPJT"}, {"Mumbai", "IN", "SBININBB"}, {"Dubai", "AE", "EBILAEAD"},
    {"Warsaw", "PL", "PKOPPLPW"}, {"Toronto", "CA", "ROYCCAT2"}, {"Singapore", "SG", "DBSSSGSG"}};
static const char *const REMIT[] = {
    "Invoice office supplies", "Salary March ref", "Order spare parts for pumps",
    "Consulting fees quarter", "Rent flat", "Freight charges shipment",
    "Payment for software licences contract", "Refund of deposit booking", "School fees term",
    "Purchase of timber lot according to contract",
    "Maintenance services in Rotterdam and Antwerp building"};

static void remittance(char *out, size_t size)
{
    snprintf(out, size, "%s %u", PICK(REMIT), 1000 + rnd(9000));
}

/* one in fifty messages names a listed party, somewhere */
static const char *const LISTED[] = {"Aiman al Zawahry", "Al-Nusrah Front", "Jabhat Fateh al-Sham",
                                     "Hamza Usama Muhammad bin Laden", "Daedong Credit Bank",
                                     "Abu Bakr al-Baghdadi"};

static void person_or_company(char *out, size_t size, bool listed)
{
    if (listed)
        snprintf(out, size, "%s", PICK(LISTED));
    else if (rnd(3) == 0)
        snprintf(out, size, "%s", PICK(COMPANY));
    else
        snprintf(out, size, "%s %s", PICK(FIRST), PICK(LAST));
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 32);
}

static char *gen_pacs(bool listed, size_t *len)
{
    char dbtr[96], cdtr[96], remit[160];
    person_or_company(dbtr, sizeof dbtr, false);
    person_or_company(cdtr, sizeof cdtr, listed);
    remittance(remit, sizeof remit);
    int a = (int)rnd(sizeof PLACES / sizeof PLACES[0]), b = (int)rnd(sizeof PLACES / sizeof PLACES[0]);
    char *buf = malloc(4096);
    int n = snprintf(buf, 4096,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"><FIToFICstmrCdtTrf>\n"
        "<GrpHdr><MsgId>MSG%u</MsgId><CreDtTm>2024-01-17T09:30:00</CreDtTm><NbOfTxs>1</NbOfTxs>"
        "<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>\n<CdtTrfTxInf>"
        "<PmtId><InstrId>I%u</InstrId><EndToEndId>E%u</EndToEndId></PmtId>"
        "<IntrBkSttlmAmt Ccy=\"EUR\">%u.00</IntrBkSttlmAmt><ChrgBr>SHAR</ChrgBr>\n"
        "<InstgAgt><FinInstnId><BICFI>%sXXX</BICFI></FinInstnId></InstgAgt>"
        "<InstdAgt><FinInstnId><BICFI>%sXXX</BICFI></FinInstnId></InstdAgt>\n"
        "<Dbtr><Nm>%s</Nm><PstlAdr><StrtNm>Main Street</StrtNm><BldgNb>%u</BldgNb>"
        "<PstCd>%u</PstCd><TwnNm>%s</TwnNm><Ctry>%s</Ctry></PstlAdr></Dbtr>\n"
        "<DbtrAcct><Id><IBAN>%s89370400440532013000</IBAN></Id></DbtrAcct>"
        "<DbtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></DbtrAgt>"
        "<CdtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></CdtrAgt>\n"
        "<Cdtr><Nm>%s</Nm><PstlAdr><TwnNm>%s</TwnNm><Ctry>%s</Ctry></PstlAdr></Cdtr>"
        "<CdtrAcct><Id><Othr><Id>%u</Id></Othr></Id></CdtrAcct>\n"
        "<RmtInf><Ustrd>%s</Ustrd></RmtInf></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>\n",
        rnd(1000000), rnd(1000000), rnd(1000000), 100 + rnd(100000), PLACES[a].bic, PLACES[b].bic,
        dbtr, 1 + rnd(200), 10000 + rnd(80000), PLACES[a].town, PLACES[a].cc, PLACES[a].cc,
        PLACES[a].bic, PLACES[b].bic, cdtr, PLACES[b].town, PLACES[b].cc, rnd(100000000), remit);
    *len = (size_t)n;
    return buf;
}

static char *gen_pain(bool listed, size_t *len)
{
    char dbtr[96], c1[96], c2[96], r1[160], r2[160];
    person_or_company(dbtr, sizeof dbtr, false);
    person_or_company(c1, sizeof c1, false);
    person_or_company(c2, sizeof c2, listed);
    remittance(r1, sizeof r1);
    remittance(r2, sizeof r2);
    int a = (int)rnd(sizeof PLACES / sizeof PLACES[0]), b = (int)rnd(sizeof PLACES / sizeof PLACES[0]);
    char *buf = malloc(4096);
    int n = snprintf(buf, 4096,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"><CstmrCdtTrfInitn>\n"
        "<GrpHdr><MsgId>P%u</MsgId><CreDtTm>2024-01-18T07:45:00</CreDtTm><NbOfTxs>2</NbOfTxs>"
        "<InitgPty><Nm>%s</Nm></InitgPty></GrpHdr>\n"
        "<PmtInf><PmtInfId>B%u</PmtInfId><PmtMtd>TRF</PmtMtd><ReqdExctnDt><Dt>2024-01-19</Dt></ReqdExctnDt>"
        "<Dbtr><Nm>%s</Nm><PstlAdr><TwnNm>%s</TwnNm><Ctry>%s</Ctry></PstlAdr></Dbtr>"
        "<DbtrAcct><Id><IBAN>%s02200505501015871393</IBAN></Id></DbtrAcct>"
        "<DbtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></DbtrAgt>\n"
        "<CdtTrfTxInf><PmtId><EndToEndId>E%u</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"EUR\">%u.00</InstdAmt></Amt>"
        "<CdtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></CdtrAgt><Cdtr><Nm>%s</Nm></Cdtr>"
        "<RmtInf><Ustrd>%s</Ustrd></RmtInf></CdtTrfTxInf>\n"
        "<CdtTrfTxInf><PmtId><EndToEndId>F%u</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"EUR\">%u.00</InstdAmt></Amt>"
        "<Cdtr><Nm>%s</Nm><PstlAdr><AdrLine>%u Harbour Road</AdrLine><AdrLine>%s</AdrLine></PstlAdr></Cdtr>"
        "<RmtInf><Ustrd>%s</Ustrd></RmtInf></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>\n",
        rnd(1000000), dbtr, rnd(1000000), dbtr, PLACES[a].town, PLACES[a].cc, PLACES[a].cc,
        PLACES[a].bic, rnd(1000000), 100 + rnd(10000), PLACES[b].bic, c1, r1, rnd(1000000),
        100 + rnd(10000), c2, 1 + rnd(99), PLACES[b].town, r2);
    *len = (size_t)n;
    return buf;
}

static char *gen_mt103(bool listed, size_t *len)
{
    char ord[96], ben[96], remit[160];
    person_or_company(ord, sizeof ord, false);
    person_or_company(ben, sizeof ben, false);
    remittance(remit, sizeof remit);
    if (listed)   /* in the remittance text */
        snprintf(remit, sizeof remit, "ON BEHALF OF %s", PICK(LISTED));
    upper(ord);
    upper(ben);
    upper(remit);
    remit[35] = '\0';
    int a = (int)rnd(sizeof PLACES / sizeof PLACES[0]), b = (int)rnd(sizeof PLACES / sizeof PLACES[0]);
    char ta[40], tb[40];
    snprintf(ta, sizeof ta, "%s", PLACES[a].town);
    snprintf(tb, sizeof tb, "%s", PLACES[b].town);
    upper(ta);
    upper(tb);
    char *buf = malloc(2048);
    int n = snprintf(buf, 2048,
        "{1:F01%sAXXX0000000000}{2:I103%sXXXXN}{3:{121:e0f1c2d3-0a1b-4c5d-8e9f-0123456789ab}}{4:\r\n"
        ":20:REF%u\r\n:23B:CRED\r\n:32A:240117EUR%u,00\r\n"
        ":50K:/%s89370400440532013000\r\n%.35s\r\n%u MAIN STREET\r\n%s %s\r\n"
        ":52A:%s\r\n:57A:%s\r\n"
        ":59:/%s91ABNA0417164300\r\n%.35s\r\n%u HARBOUR ROAD\r\n%s %s\r\n"
        ":70:%s\r\n:71A:SHA\r\n-}{5:{CHK:123456789ABC}}",
        PLACES[a].bic, PLACES[b].bic, rnd(1000000), 100 + rnd(100000), PLACES[a].cc, ord,
        1 + rnd(200), ta, PLACES[a].cc, PLACES[a].bic, PLACES[b].bic, PLACES[b].cc, ben,
        1 + rnd(99), tb, PLACES[b].cc, remit);
    *len = (size_t)n;
    return buf;
}

static char *gen_cov(bool listed, size_t *len)
{
    char ord[96], ben[96];
    person_or_company(ord, sizeof ord, false);
    person_or_company(ben, sizeof ben, listed);
    upper(ord);
    upper(ben);
    int a = (int)rnd(sizeof PLACES / sizeof PLACES[0]), b = (int)rnd(sizeof PLACES / sizeof PLACES[0]);
    char *buf = malloc(2048);
    int n = snprintf(buf, 2048,
        "{1:F01%sAXXX0000000000}{2:I202%sXXXXN}{3:{119:COV}}{4:\r\n"
        ":20:COV%u\r\n:21:REF%u\r\n:32A:240117USD%u,\r\n:52A:%s\r\n:57A:CITIUS33\r\n:58A:%s\r\n"
        ":50K:/%s68539007547034\r\n%.35s\r\nMAIN STREET %u\r\n%s\r\n"
        ":52A:%s\r\n:57A:%s\r\n:59:/%u\r\n%.35s\r\nPO BOX %u\r\n"
        ":70:/RFB/INV%u\r\n-}",
        PLACES[a].bic, PLACES[b].bic, rnd(1000000), rnd(1000000), 1000 + rnd(1000000),
        PLACES[a].bic, PLACES[b].bic, PLACES[a].cc, ord, 1 + rnd(99), PLACES[a].cc, PLACES[a].bic,
        PLACES[b].bic, rnd(100000000), ben, 1 + rnd(9999), rnd(100000));
    *len = (size_t)n;
    return buf;
}

static message *generate(size_t n)
{
    message *m = calloc(n, sizeof *m);
    for (size_t i = 0; i < n; i++) {
        bool listed = rnd(50) == 0;
        m[i].format = (int)(i % 4);
        switch (m[i].format) {
        case F_PACS: m[i].data = gen_pacs(listed, &m[i].len); break;
        case F_PAIN: m[i].data = gen_pain(listed, &m[i].len); break;
        case F_MT103: m[i].data = gen_mt103(listed, &m[i].len); break;
        default: m[i].data = gen_cov(listed, &m[i].len); break;
        }
    }
    return m;
}

static message *read_files(char **paths, size_t n)
{
    message *m = calloc(n, sizeof *m);
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(paths[i], "rb");
        if (!f) {
            fprintf(stderr, "cannot open %s\n", paths[i]);
            exit(1);
        }
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        m[i].data = malloc((size_t)sz + 1);
        m[i].len = fread(m[i].data, 1, (size_t)sz, f);
        m[i].format = F_FILE;
        fclose(f);
    }
    return m;
}

/* ---- Timing ----------------------------------------------------------------------- */

static void *worker(void *arg)
{
    run *r = arg;
    interdict_payment_screener *s;
    interdict_error err;
    if (interdict_payment_screener_new(r->ix, r->rules, 0, &s, &err) != INTERDICT_OK)
        return NULL;
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->total)
            break;
        const message *m = &r->msgs[i % r->n];
        double t0 = now(), c0 = thread_cpu();
        interdict_status st = interdict_payment_screen_memory(s, m->data, m->len, "bench", &err);
        r->cpu[i] = thread_cpu() - c0;
        r->latency[i] = now() - t0;
        if (st != INTERDICT_OK) {
            atomic_fetch_add(&r->errors, 1);
            continue;
        }
        for (size_t k = 0; k < interdict_payment_message_count(s); k++) {
            const interdict_payment_message *pm = interdict_payment_message_at(s, k);
            if (!pm->hold || i >= r->n)
                continue;
            atomic_fetch_add(&r->held, 1);
            for (size_t t = 0; r->show_holds && t < pm->n_transactions; t++)
                for (size_t h = 0; h < pm->transactions[t].n_hits; h++)
                    printf("hold %zu %s %s: %s\n", i, pm->type, pm->transactions[t].hits[h].field,
                           pm->transactions[t].hits[h].reason);
        }
    }
    interdict_payment_screener_free(s);
    interdict_thread_cleanup();
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts a copy: the caller's latencies stay in input order. */
static void report(const char *what, const double *in, size_t n)
{
    if (n == 0)
        return;
    double *lat = malloc(n * sizeof *lat);
    memcpy(lat, in, n * sizeof *lat);
    qsort(lat, n, sizeof *lat, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lat[i];
    size_t p99 = (size_t)((double)(n - 1) * 0.99);
    printf("  %-9s n=%-7zu mean_us=%.1f p50_us=%.1f p99_us=%.1f max_us=%.1f\n", what, n,
           sum / (double)n * 1e6, lat[n / 2] * 1e6, lat[p99] * 1e6, lat[n - 1] * 1e6);
    free(lat);
}

int main(int argc, char **argv)
{
    const char *list_path = BENCH_LIST;
    size_t n_msgs = 4000;
    int repeat = 3, threads = 1;
    bool show_holds = false;
    char **files = calloc((size_t)argc, sizeof *files);
    size_t n_files = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--list") && i + 1 < argc)
            list_path = argv[++i];
        else if (!strcmp(argv[i], "--messages") && i + 1 < argc)
            n_msgs = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--show-holds"))
            show_holds = true;
        else if (argv[i][0] != '-')
            files[n_files++] = argv[i];
        else {
            fprintf(stderr, "usage: bench_payment [--list PATH] [--messages N] [--repeat N] "
                            "[--threads N] [--show-holds] [FILE...]\n");
            return 2;
        }
    }
    if (n_msgs < 1 || repeat < 1 || threads < 1 || threads > 64) {
        fprintf(stderr, "bench_payment: bad --messages, --repeat or --threads\n");
        return 2;
    }

    interdict_list *list;
    interdict_index *ix;
    interdict_payment_rules *rules;
    interdict_error err;
    char buf[512];
    double t0 = now();
    if (interdict_list_load(list_path, &list, &err) != INTERDICT_OK) {
        fprintf(stderr, "%s\n", interdict_error_format(&err, buf, sizeof buf));
        return 1;
    }
    const interdict_list *lists[1] = {list};
    if (interdict_index_build(lists, 1, &ix, &err) != INTERDICT_OK ||
        interdict_payment_rules_default(ix, &rules, &err) != INTERDICT_OK) {
        fprintf(stderr, "%s\n", interdict_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t1 = now();

    message *msgs = n_files ? read_files(files, n_files) : generate(n_msgs);
    size_t n = n_files ? n_files : n_msgs;
    run r;
    memset(&r, 0, sizeof r);
    r.ix = ix;
    r.rules = rules;
    r.msgs = msgs;
    r.n = n;
    r.total = n * (size_t)repeat;
    r.latency = calloc(r.total, sizeof *r.latency);
    r.cpu = calloc(r.total, sizeof *r.cpu);
    r.show_holds = show_holds;

    /* the first pass warms caches (ICU, pages); all passes are timed */
    pthread_t tid[64];
    double s0 = now();
    for (int t = 0; t < threads; t++)
        pthread_create(&tid[t], NULL, worker, &r);
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    double elapsed = now() - s0;

    printf("list=%s entries=%zu listed_bics=%zu setup_ms=%.1f\n", list_path,
           interdict_list_count(list), interdict_payment_rules_bics(rules), (t1 - t0) * 1e3);
    printf("messages=%zu repeat=%d threads=%d held=%zu errors=%zu\n", n, repeat, threads,
           (size_t)r.held, (size_t)r.errors);
    printf("messages_per_second=%.0f seconds=%.3f\n", (double)r.total / elapsed, elapsed);
    for (int clock = 0; clock < 2; clock++) {
        const double *lat_of = clock ? r.cpu : r.latency;
        printf("latency per message, bytes in to decision (%s):\n",
               clock ? "CPU time" : "wall clock");
        report("all", lat_of, r.total);
        for (int f = 0; f < N_FORMATS; f++) {
            double *lat = malloc(r.total * sizeof *lat);
            size_t k = 0;
            for (size_t i = 0; i < r.total; i++)
                if (msgs[i % n].format == f)
                    lat[k++] = lat_of[i];
            report(FORMAT_NAMES[f], lat, k);
            free(lat);
        }
    }

    for (size_t i = 0; i < n; i++)
        free(msgs[i].data);
    free(msgs);
    free(r.latency);
    free(r.cpu);
    free(files);
    interdict_payment_rules_free(rules);
    interdict_index_free(ix);
    interdict_list_free(list);
    interdict_thread_cleanup();
    return 0;
}
