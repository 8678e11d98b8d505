/* Payment messages: the ISO 20022 and SWIFT MT parsers (parties, roles,
 * field paths, transactions, errors), the rules and the screener. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "interdict.h"
#include "payment/payment.h"

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/payment/%s", TEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        *len = 0;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Parses a fixture (or a string) into doc. */
static void parse_file(pay_doc *doc, const char *name)
{
    size_t len;
    char *data = slurp(name, &len);
    pay_doc_init(doc, name);
    CHECK(data != NULL);
    CHECK(pay_parse(doc, data ? data : "", len) == INTERDICT_OK);
    free(data);
}

static void parse_text(pay_doc *doc, const char *text)
{
    pay_doc_init(doc, "<test>");
    CHECK(pay_parse(doc, text, strlen(text)) == INTERDICT_OK);
}

static pay_msg *msg(pay_doc *doc, size_t i)
{
    return i < doc->msgs.n ? PAY_AT(doc->msgs, pay_msg, i) : NULL;
}

/* The party of a message with this field path (NULL when none). */
static const pay_party *party(const pay_msg *m, const char *field)
{
    for (size_t i = 0; m && i < m->parties.n; i++) {
        const pay_party *p = PAY_AT(m->parties, pay_party, i);
        if (!strcmp(p->field, field))
            return p;
    }
    return NULL;
}

static const pay_text *text(const pay_msg *m, const char *field)
{
    for (size_t i = 0; m && i < m->texts.n; i++) {
        const pay_text *t = PAY_AT(m->texts, pay_text, i);
        if (!strcmp(t->field, field))
            return t;
    }
    return NULL;
}

/* An error of the message naming this field, NULL when none. */
static const pay_error *error_on(const pay_msg *m, const char *field)
{
    for (size_t i = 0; m && i < m->errors.n; i++) {
        const pay_error *e = PAY_AT(m->errors, pay_error, i);
        if (!strcmp(e->err.field, field))
            return e;
    }
    return NULL;
}

static bool has_country(const pay_party *p, const char *code, const char *source)
{
    for (size_t i = 0; p && i < p->n_countries; i++)
        if (!strcmp(p->countries[i].code, code) && (!source || !strcmp(p->countries[i].source, source)))
            return true;
    return false;
}

/* ---- ISO 20022 ---------------------------------------------------------------------- */

static void test_pacs008_parties(void)
{
    pay_doc doc;
    parse_file(&doc, "pacs008_clean.xml");
    CHECK(doc.msgs.n == 1);
    pay_msg *m = msg(&doc, 0);
    CHECK_STR(m->type, "pacs.008.001.08");
    CHECK_STR(m->id, "MSG-20240117-0001");
    CHECK(m->errors.n == 0);
    CHECK(m->txs.n == 1);
    CHECK_STR(PAY_AT(m->txs, pay_tx, 0)->id, "E2E-0001");
    CHECK_STR(PAY_AT(m->txs, pay_tx, 0)->field, "CdtTrfTxInf[1]");

    const pay_party *p = party(m, "CdtTrfTxInf[1]/Dbtr");
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->role, "debtor");
        CHECK_STR(p->name, "Maria Schneider");
        CHECK_STR(p->name_field, "CdtTrfTxInf[1]/Dbtr/Nm");
        CHECK(p->n_address == 4);
        CHECK(p->n_address == 4 && !strcmp(p->address[3], "Berlin"));
        CHECK(p->n_address == 4 && !strcmp(p->address_field[3], "CdtTrfTxInf[1]/Dbtr/PstlAdr/TwnNm"));
        CHECK(has_country(p, "DE", "address"));
        CHECK(p->n_countries == 1 && !strcmp(p->countries[0].field, "CdtTrfTxInf[1]/Dbtr/PstlAdr/Ctry"));
        CHECK(!p->agent);
        CHECK(p->tx_lo == 0 && p->tx_hi == 0);
    }
    p = party(m, "CdtTrfTxInf[1]/CdtrAgt");
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->role, "creditor agent");
        CHECK(p->agent);
        CHECK(p->type == INTERDICT_PARTY_ENTITY);
        CHECK_STR(p->bic, "INGBNL2A");
        CHECK_STR(p->bic_field, "CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI");
        CHECK(has_country(p, "NL", "BIC"));
    }
    p = party(m, "CdtTrfTxInf[1]/DbtrAcct");
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->role, "debtor account");
        CHECK_STR(p->account, "DE89370400440532013000");
        CHECK(has_country(p, "DE", "IBAN"));
    }
    CHECK(party(m, "CdtTrfTxInf[1]/InstgAgt") != NULL);
    CHECK(party(m, "CdtTrfTxInf[1]/InstdAgt") != NULL);
    CHECK(party(m, "CdtTrfTxInf[1]/Cdtr") != NULL);
    CHECK(party(m, "CdtTrfTxInf[1]/CdtrAcct") != NULL);
    CHECK(m->parties.n == 8);
    const pay_text *t = text(m, "CdtTrfTxInf[1]/RmtInf/Ustrd");
    CHECK(t != NULL);
    if (t) {
        CHECK_STR(t->role, "remittance information");
        CHECK_STR(t->text, "Invoice 2024-0117 office furniture and delivery");
    }
    pay_doc_free(&doc);
}

static void test_pacs008_header_and_transactions(void)
{
    pay_doc doc;
    parse_file(&doc, "pacs008_bah_multi.xml");
    CHECK(doc.msgs.n == 1);
    pay_msg *m = msg(&doc, 0);
    CHECK(m->errors.n == 0);
    CHECK(m->txs.n == 3);
    CHECK_STR(m->id, "BATCH-77");
    const pay_party *p = party(m, "AppHdr/Fr");
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->role, "business message sender");
        CHECK_STR(p->bic, "BNPAFRPPXXX");
        CHECK_STR(p->bic_field, "AppHdr/Fr/FIId/FinInstnId/BICFI");
        CHECK(p->tx_lo == 0 && p->tx_hi == PAY_ALL_TX);
    }
    p = party(m, "CdtTrfTxInf[2]/Cdtr");
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->name, "Al Nusrah Front");
        CHECK(p->type == INTERDICT_PARTY_ENTITY);   /* OrgId */
        CHECK(p->tx_lo == 1 && p->tx_hi == 1);
    }
    const pay_text *t1 = text(m, "CdtTrfTxInf[3]/RmtInf/Ustrd[1]");
    const pay_text *t2 = text(m, "CdtTrfTxInf[3]/RmtInf/Ustrd[2]");
    CHECK(t1 && t2);
    CHECK(t1 && t1->tx_lo == 2 && t1->tx_hi == 2);
    CHECK(t2 && !strcmp(t2->text, "in store"));
    pay_doc_free(&doc);
}

static void test_pain001(void)
{
    pay_doc doc;
    parse_file(&doc, "pain001_mixed.xml");
    pay_msg *m = msg(&doc, 0);
    CHECK(m && m->errors.n == 0);
    CHECK_STR(m->type, "pain.001.001.09");
    CHECK(m->txs.n == 3);
    CHECK_STR(PAY_AT(m->txs, pay_tx, 2)->field, "PmtInf[2]/CdtTrfTxInf[1]");
    CHECK_STR(PAY_AT(m->txs, pay_tx, 2)->id, "NT-3");
    const pay_party *p = party(m, "GrpHdr/InitgPty");
    CHECK(p && p->tx_lo == 0 && p->tx_hi == PAY_ALL_TX);
    CHECK(p && !strcmp(p->role, "initiating party"));
    p = party(m, "PmtInf[1]/Dbtr");
    CHECK(p && p->tx_lo == 0 && p->tx_hi == 1);   /* both transactions of the block */
    p = party(m, "PmtInf[2]/Dbtr");
    CHECK(p && p->tx_lo == 2 && p->tx_hi == 2);
    p = party(m, "PmtInf[2]/CdtTrfTxInf[1]/UltmtCdtr");
    CHECK(p && !strcmp(p->role, "ultimate creditor"));
    CHECK(p && !strcmp(p->name_field, "PmtInf[2]/CdtTrfTxInf[1]/UltmtCdtr/Nm"));
    pay_doc_free(&doc);

    parse_file(&doc, "pain001_clean.xml");
    m = msg(&doc, 0);
    CHECK(m && m->errors.n == 0 && m->txs.n == 2);
    p = party(m, "PmtInf[1]/CdtTrfTxInf[2]/Cdtr");
    CHECK(p && p->n_address == 2);
    CHECK(p && p->n_address == 2 && !strcmp(p->address_field[1], "PmtInf[1]/CdtTrfTxInf[2]/Cdtr/PstlAdr/AdrLine[2]"));
    CHECK(has_country(p, "IT", "address line"));   /* "20121 Milano Italy" */
    CHECK(text(m, "PmtInf[1]/CdtTrfTxInf[2]/RmtInf/Strd/AddtlRmtInf") != NULL);
    pay_doc_free(&doc);
}

static void test_mx_errors(void)
{
    static const struct {
        const char *file, *field;
        interdict_status code;
    } cases[] = {
        {"pacs008_truncated.xml", "XML", INTERDICT_ERR_PARSE},
        {"pacs008_bad_utf8.xml", "XML", INTERDICT_ERR_ENCODING},
        {"pacs008_latin1.xml", "encoding", INTERDICT_ERR_ENCODING},
        {"camt053.xml", "Document", INTERDICT_ERR_FORMAT},
        {"pacs008_long_name.xml", "CdtTrfTxInf[1]/Cdtr/Nm", INTERDICT_ERR_LIMIT},
        {"pacs008_missing_cdtr.xml", "CdtTrfTxInf[1]/Cdtr", INTERDICT_ERR_FORMAT},
        {"pacs008_nboftxs.xml", "GrpHdr/NbOfTxs", INTERDICT_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pay_doc doc;
        parse_file(&doc, cases[i].file);
        pay_msg *m = msg(&doc, 0);
        const pay_error *e = error_on(m, cases[i].field);
        if (!e)
            fprintf(stderr, "%s: no error on %s\n", cases[i].file, cases[i].field);
        CHECK(e != NULL);
        CHECK(e && e->err.code == cases[i].code);
        CHECK(e && !strcmp(e->err.file, cases[i].file));
        pay_doc_free(&doc);
    }
    /* the over-long name is still there to screen */
    pay_doc doc;
    parse_file(&doc, "pacs008_long_name.xml");
    const pay_party *p = party(msg(&doc, 0), "CdtTrfTxInf[1]/Cdtr");
    CHECK(p && strlen(p->name) == 150);
    pay_doc_free(&doc);

    /* entity declarations end the parse */
    parse_text(&doc, "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                     "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\">&x;</Document>");
    CHECK(doc.msgs.n == 1 && msg(&doc, 0)->errors.n == 1);
    CHECK(error_on(msg(&doc, 0), "DOCTYPE") != NULL);
    pay_doc_free(&doc);

    /* a header naming another message than the Document */
    parse_text(&doc, "<E><AppHdr><MsgDefIdr>pacs.009.001.08</MsgDefIdr></AppHdr>"
                     "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\">"
                     "<FIToFICstmrCdtTrf/></Document></E>");
    CHECK(error_on(msg(&doc, 0), "AppHdr/MsgDefIdr") != NULL);
    CHECK(error_on(msg(&doc, 0), "GrpHdr") != NULL);
    CHECK(error_on(msg(&doc, 0), "CdtTrfTxInf") != NULL);
    pay_doc_free(&doc);

    /* a tax record's creditor needs no name; a block's NbOfTxs must match */
    parse_text(&doc,
               "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"><CstmrCdtTrfInitn>"
               "<GrpHdr><MsgId>M</MsgId><NbOfTxs>1</NbOfTxs><InitgPty><Nm>A B</Nm></InitgPty></GrpHdr>"
               "<PmtInf><PmtInfId>P</PmtInfId><NbOfTxs>2</NbOfTxs><Dbtr><Nm>A B</Nm></Dbtr>"
               "<DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>"
               "<DbtrAgt><FinInstnId><BICFI>DEUTDEFF</BICFI></FinInstnId></DbtrAgt>"
               "<CdtTrfTxInf><PmtId><EndToEndId>E</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"EUR\">1</InstdAmt></Amt>"
               "<Cdtr><Nm>C D</Nm></Cdtr><Tax><Cdtr><TaxId>DE123</TaxId></Cdtr></Tax></CdtTrfTxInf>"
               "</PmtInf></CstmrCdtTrfInitn></Document>");
    CHECK(msg(&doc, 0)->errors.n == 1);
    CHECK(error_on(msg(&doc, 0), "PmtInf[1]/NbOfTxs") != NULL);
    pay_doc_free(&doc);

    /* XML that holds no ISO 20022 document */
    parse_text(&doc, "<note><to>x</to></note>");
    CHECK(doc.msgs.n == 1 && error_on(msg(&doc, 0), "note") != NULL);
    pay_doc_free(&doc);

    /* bad patterns: country, BIC, IBAN */
    parse_text(&doc,
               "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"><FIToFICstmrCdtTrf>"
               "<GrpHdr><MsgId>M</MsgId><NbOfTxs>1</NbOfTxs></GrpHdr><CdtTrfTxInf>"
               "<PmtId><EndToEndId>E</EndToEndId></PmtId><IntrBkSttlmAmt Ccy=\"EUR\">1</IntrBkSttlmAmt>"
               "<Dbtr><Nm>A B</Nm><PstlAdr><Ctry>ZZ</Ctry></PstlAdr></Dbtr>"
               "<DbtrAcct><Id><IBAN>12345</IBAN></Id></DbtrAcct>"
               "<DbtrAgt><FinInstnId><BICFI>DEUT1EFF</BICFI></FinInstnId></DbtrAgt>"
               "<CdtrAgt><FinInstnId><Nm>Some Bank</Nm></FinInstnId></CdtrAgt>"
               "<Cdtr><Nm>C D</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>");
    pay_msg *m = msg(&doc, 0);
    CHECK(error_on(m, "CdtTrfTxInf[1]/Dbtr/PstlAdr/Ctry") != NULL);
    CHECK(error_on(m, "CdtTrfTxInf[1]/DbtrAcct/Id/IBAN") != NULL);
    CHECK(error_on(m, "CdtTrfTxInf[1]/DbtrAgt/FinInstnId/BICFI") != NULL);
    CHECK(m->errors.n == 3);
    CHECK(m->errors.n && PAY_AT(m->errors, pay_error, 0)->tx_lo == 0);
    pay_doc_free(&doc);
}

static void test_mx_nesting(void)
{
    /* deep nesting is reported once, not followed */
    size_t depth = 200;
    char *x = malloc(depth * 8 + 400);
    size_t n = (size_t)sprintf(x, "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\">"
                                  "<FIToFICstmrCdtTrf><GrpHdr><MsgId>M</MsgId><NbOfTxs>0</NbOfTxs>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(x + n, "<a>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(x + n, "</a>");
    sprintf(x + n, "</GrpHdr></FIToFICstmrCdtTrf></Document>");
    pay_doc doc;
    parse_text(&doc, x);
    size_t deep = 0;
    for (size_t i = 0; i < msg(&doc, 0)->errors.n; i++)
        deep += PAY_AT(msg(&doc, 0)->errors, pay_error, i)->err.code == INTERDICT_ERR_LIMIT;
    CHECK(deep == 1);
    pay_doc_free(&doc);
    free(x);
}

/* ---- SWIFT MT -------------------------------------------------------------------------- */

static void test_mt103(void)
{
    pay_doc doc;
    parse_file(&doc, "mt103_clean.txt");
    CHECK(doc.msgs.n == 1);
    pay_msg *m = msg(&doc, 0);
    CHECK(m->errors.n == 0);
    CHECK_STR(m->type, "MT103");
    CHECK_STR(m->id, "REF20240117");
    CHECK(m->txs.n == 1);
    const pay_party *p = party(m, "block 1");
    CHECK(p && !strcmp(p->bic, "DEUTDEFFXXX") && !strcmp(p->role, "sender"));
    p = party(m, "block 2");
    CHECK(p && !strcmp(p->bic, "INGBNL2AXXX") && !strcmp(p->role, "receiver"));
    p = party(m, "50K");
    CHECK(p != NULL);
    if (p) {
        CHECK_STR(p->role, "ordering customer");
        CHECK_STR(p->name, "MARIA SCHNEIDER");
        CHECK_STR(p->name_field, "50K");
        CHECK_STR(p->account, "DE89370400440532013000");
        CHECK(p->n_address == 2);
        CHECK(has_country(p, "DE", "address line"));
    }
    p = party(m, "52A");
    CHECK(p && !strcmp(p->bic, "DEUTDEFF") && p->agent && !strcmp(p->role, "ordering institution"));
    p = party(m, "57A");
    CHECK(p && !strcmp(p->role, "account with institution"));
    p = party(m, "59");
    CHECK(p && !strcmp(p->name, "PIETER VAN DIJK") && !strcmp(p->role, "beneficiary customer"));
    CHECK(has_country(p, "NL", NULL));
    const pay_text *t = text(m, "70");
    CHECK(t && !strcmp(t->text, "INVOICE 2024-0117 OFFICE FURNITURE"));
    pay_doc_free(&doc);

    parse_file(&doc, "mt103_50f.txt");
    m = msg(&doc, 0);
    CHECK(m->errors.n == 0);
    p = party(m, "50F");
    CHECK(p && !strcmp(p->name, "HUGHES, OLIVER"));
    CHECK(p && p->dob && !strcmp(p->dob, "1980-02-14"));
    CHECK(p && p->type == INTERDICT_PARTY_PERSON);
    CHECK(has_country(p, "GB", "address"));
    p = party(m, "59F");
    CHECK(p && !strcmp(p->name, "EMILY CARTER") && !strcmp(p->account, "US12345678"));
    CHECK(has_country(p, "US", "address"));
    pay_doc_free(&doc);
}

static void test_mt202cov(void)
{
    pay_doc doc;
    parse_file(&doc, "mt202cov_listed.txt");
    pay_msg *m = msg(&doc, 0);
    CHECK(m->errors.n == 0);
    CHECK_STR(m->type, "MT202COV");
    CHECK(m->txs.n == 1);
    CHECK(party(m, "52A") && party(m, "B/52A"));
    const pay_party *p = party(m, "58A");
    CHECK(p && !strcmp(p->role, "beneficiary institution") && !strcmp(p->bic, "HSBCHKHH"));
    p = party(m, "B/50K");
    CHECK(p && !strcmp(p->name, "JAN JANSSENS") && !strcmp(p->role, "ordering customer"));
    p = party(m, "B/59");
    CHECK(p && !strcmp(p->name, "JABHAT FATEH AL-SHAM"));
    CHECK(text(m, "B/70") != NULL);
    pay_doc_free(&doc);

    parse_file(&doc, "mt202_clean.txt");
    CHECK_STR(msg(&doc, 0)->type, "MT202");
    CHECK(msg(&doc, 0)->errors.n == 0);
    pay_doc_free(&doc);
}

static void test_mt_multi(void)
{
    pay_doc doc;
    parse_file(&doc, "mt_multi.txt");
    CHECK(doc.msgs.n == 3);
    CHECK_STR(msg(&doc, 0)->type, "MT103");
    CHECK_STR(msg(&doc, 1)->id, "GB24011700042");
    CHECK_STR(msg(&doc, 2)->type, "MT202");
    for (size_t i = 0; i < doc.msgs.n; i++)
        CHECK(msg(&doc, i)->errors.n == 0);
    CHECK(msg(&doc, 1)->line > msg(&doc, 0)->line);
    pay_doc_free(&doc);
}

static void test_mt_errors(void)
{
    static const struct {
        const char *file, *field;
        interdict_status code;
    } cases[] = {
        {"mt103_no59.txt", "59a", INTERDICT_ERR_FORMAT},
        {"mt103_long50k.txt", "50K", INTERDICT_ERR_LIMIT},
        {"mt103_charset.txt", "50K", INTERDICT_ERR_ENCODING},
        {"mt103_charset.txt", "70", INTERDICT_ERR_ENCODING},
        {"mt103_truncated.txt", "block 4", INTERDICT_ERR_FORMAT},
        {"mt999.txt", "block 2", INTERDICT_ERR_FORMAT},
        {"not_payment.txt", "", INTERDICT_ERR_FORMAT},
        {"empty.txt", "", INTERDICT_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pay_doc doc;
        parse_file(&doc, cases[i].file);
        const pay_error *e = error_on(msg(&doc, 0), cases[i].field);
        if (!e)
            fprintf(stderr, "%s: no error on '%s'\n", cases[i].file, cases[i].field);
        CHECK(e != NULL);
        CHECK(e && e->err.code == cases[i].code);
        pay_doc_free(&doc);
    }
    pay_doc doc;
    parse_file(&doc, "mt999.txt");
    CHECK_STR(msg(&doc, 0)->type, "MT999");
    CHECK(msg(&doc, 0)->txs.n == 0);
    pay_doc_free(&doc);

    /* a field not allowed, one given twice, a bad 32A, a bad BIC, no COV flag */
    parse_text(&doc, "{1:F01BANKBEBBAXXX0000000000}{2:I202CHASUS33XXXXN}{4:\n"
                     ":20:X1\n:21:X2\n:32A:24011USD1,\n:58A:NOTABIC\n:59:SOMEONE\n"
                     ":50K:A PERSON\n:59:ANOTHER PERSON\n:59:THIRD PERSON\n:77B:REPORT\n-}");
    pay_msg *m = msg(&doc, 0);
    CHECK_STR(m->type, "MT202COV");
    CHECK(error_on(m, "59") != NULL);        /* before sequence B: not allowed in sequence A */
    CHECK(error_on(m, "32A") != NULL);
    CHECK(error_on(m, "58A") != NULL);
    CHECK(error_on(m, "block 3") != NULL);   /* sequence B without {119:COV} */
    CHECK(error_on(m, "B/59") != NULL);      /* given twice */
    CHECK(error_on(m, "B/77B") != NULL);     /* not in sequence B */
    pay_doc_free(&doc);

    /* garbage between messages is reported, the messages around it read */
    parse_text(&doc, "{1:F01BANKBEBBAXXX0000000000}{2:I202CHASUS33XXXXN}{4:\n:20:A\n:21:B\n"
                     ":32A:240101USD1,\n:58A:CITIUS33\n-}\nGARBAGE HERE\n"
                     "{1:F01BANKBEBBAXXX0000000000}{2:I202CHASUS33XXXXN}{4:\n:20:C\n:21:D\n"
                     ":32A:240101USD1,\n:58A:CITIUS33\n-}");
    CHECK(doc.msgs.n == 2);
    CHECK(msg(&doc, 0)->errors.n == 1 && error_on(msg(&doc, 0), "") != NULL);
    CHECK(msg(&doc, 1) && msg(&doc, 1)->errors.n == 0);
    CHECK(msg(&doc, 1) && !strcmp(msg(&doc, 1)->id, "C"));
    pay_doc_free(&doc);

    /* no block 2: the type is unknown */
    parse_text(&doc, "{1:F01BANKBEBBAXXX0000000000}{4:\n:20:A\n-}");
    CHECK(error_on(msg(&doc, 0), "block 2") != NULL);
    CHECK(msg(&doc, 0)->txs.n == 0);
    pay_doc_free(&doc);

    /* a NUL byte in the text block */
    static const char nul[] = "{1:F01BANKBEBBAXXX0000000000}{2:I202CHASUS33XXXXN}{4:\n:20:A\0B\n:21:B\n"
                              ":32A:240101USD1,\n:58A:CITIUS33\n:72:\0HIDDEN\n-}";
    pay_doc_init(&doc, "<test>");
    CHECK(pay_parse(&doc, nul, sizeof nul - 1) == INTERDICT_OK);
    const pay_error *e = error_on(msg(&doc, 0), "block 4");
    CHECK(e && e->err.code == INTERDICT_ERR_ENCODING && e->err.line == 2);
    CHECK(msg(&doc, 0)->texts.n == 0);
    pay_doc_free(&doc);

    /* an unterminated header block */
    parse_text(&doc, "{1:F01BANKBEBBAXXX0000000000}{2:I103CHASUS33XXXXN");
    CHECK(error_on(msg(&doc, 0), "block 2") != NULL);
    pay_doc_free(&doc);
}

/* ---- Helpers and rules ------------------------------------------------------------------ */

static void test_helpers(void)
{
    CHECK(pay_is_bic("DEUTDEFF", 8));
    CHECK(pay_is_bic("DEUTDEFF500", 11));
    CHECK(!pay_is_bic("DEUTDEF", 7));
    CHECK(!pay_is_bic("DEUT1EFF", 8));
    CHECK(!pay_is_bic("deutdeff", 8));
    CHECK(pay_is_country_code("KP"));
    CHECK(!pay_is_country_code("ZZ"));
    CHECK(!pay_is_country_code("kp"));
    char cc[3];
    CHECK(pay_country_in_line("TEHRAN, IRAN", cc) && !strcmp(cc, "IR"));
    CHECK(pay_country_in_line("10115 BERLIN DE", cc) && !strcmp(cc, "DE"));
    CHECK(pay_country_in_line("PYONGYANG DPRK", cc) && !strcmp(cc, "KP"));
    CHECK(pay_country_in_line("Damascus, Syrian Arab Republic", cc) && !strcmp(cc, "SY"));
    CHECK(!pay_country_in_line("12 MAIN STREET", cc));
    CHECK(!pay_country_in_line("rue de la loi", cc));
    CHECK(!pay_country_in_line("", cc));
}

static void test_rules(const interdict_index *ix)
{
    interdict_payment_rules *r;
    interdict_error err;
    CHECK(interdict_payment_rules_default(ix, &r, &err) == INTERDICT_OK);
    CHECK(interdict_payment_rules_countries(r) == 4);
    CHECK(interdict_payment_rules_bics(r) >= 5);   /* the DPRK banks of the UN list */
    CHECK(pay_rules_country(r, "KP") != NULL);
    CHECK(pay_rules_country(r, "DE") == NULL);
    const pay_rule_bic *b = pay_rules_bic(r, "DCBKKPPYXXX", 11);
    CHECK(b && b->entry && !strcmp(b->entry->ref, "KPe.023"));
    CHECK(pay_rules_bic(r, "DCBKKPPY123", 11) != NULL);   /* any branch of a listed institution */
    CHECK(pay_rules_bic(r, "DEUTDEFF", 8) == NULL);
    const char *term;
    const pay_rule_region *g = pay_rules_region(r, "ul kirova 12 sevastopol", &term);
    CHECK(g && !strcmp(g->country, "UA") && !strcmp(term, "sevastopol"));
    CHECK(pay_rules_region(r, "sevastopolskaya street", &term) == NULL);   /* whole words only */
    CHECK(pay_rules_region(r, "ua 43", &term) != NULL);
    interdict_payment_rules_free(r);

    const char *json = "{\"defaults\": false, \"list_bics\": false, \"countries\": [\"RU\"],"
                       " \"bics\": [\"ABCDEFGH\", {\"bic\": \"WXYZGB2L123\", \"reason\": \"why\"}],"
                       " \"regions\": [{\"name\": \"Somewhere\", \"terms\": [\"Zaporizhzhia\"]}]}";
    CHECK(interdict_payment_rules_load_memory(json, strlen(json), "r.json", ix, &r, &err) == INTERDICT_OK);
    CHECK(interdict_payment_rules_countries(r) == 1);
    CHECK(interdict_payment_rules_bics(r) == 2);
    CHECK(interdict_payment_rules_regions(r) == 1);
    CHECK(pay_rules_bic(r, "ABCDEFGHXXX", 11) != NULL);
    CHECK(pay_rules_bic(r, "WXYZGB2L123", 11) != NULL);
    CHECK(pay_rules_bic(r, "WXYZGB2L", 8) == NULL);        /* a branch listing is that branch only */
    CHECK(pay_rules_bic(r, "WXYZGB2L999", 11) == NULL);
    CHECK(pay_rules_bic(r, "DCBKKPPY", 8) == NULL);        /* list BICs switched off */
    interdict_payment_rules_free(r);

    static const struct {
        const char *json, *field;
        interdict_status code;
    } bad[] = {
        {"{\"countries\": [\"XX\"]}", "countries[0]", INTERDICT_ERR_INVALID},
        {"{\"bics\": [\"NOTABIC\"]}", "bics[0]", INTERDICT_ERR_INVALID},
        {"{\"colours\": []}", "", INTERDICT_ERR_INVALID},
        {"{\"regions\": [{\"name\": \"x\"}]}", "regions[0]", INTERDICT_ERR_INVALID},
        {"{\"defaults\": 1}", "defaults", INTERDICT_ERR_INVALID},
        {"[1, 2]", "", INTERDICT_ERR_INVALID},
        {"{\"countries\": [\"KP\",\n", "", INTERDICT_ERR_PARSE},
        {"{\"bics\": [], \"bics\": []}", "", INTERDICT_ERR_PARSE},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = (interdict_payment_rules *)1;
        interdict_status st = interdict_payment_rules_load_memory(bad[i].json, strlen(bad[i].json),
                                                                  "bad.json", ix, &r, &err);
        CHECK(st == bad[i].code);
        CHECK(r == NULL);
        CHECK(!strcmp(err.field, bad[i].field));
        CHECK(!strcmp(err.file, "bad.json"));
    }
    CHECK(interdict_payment_rules_load("/nonexistent/rules.json", ix, &r, &err) == INTERDICT_ERR_IO);
}

/* ---- Screening ------------------------------------------------------------------------------ */

static const interdict_payment_message *screen(interdict_payment_screener *s, const char *name,
                                               size_t i)
{
    char path[512];
    snprintf(path, sizeof path, "%s/payment/%s", TEST_DATA_DIR, name);
    interdict_error err;
    CHECK(interdict_payment_screen_file(s, path, &err) == INTERDICT_OK);
    return interdict_payment_message_at(s, i);
}

static const interdict_payment_hit *find_hit(const interdict_payment_transaction *t,
                                             interdict_payment_hit_kind kind, const char *field)
{
    for (size_t i = 0; t && i < t->n_hits; i++)
        if (t->hits[i].kind == kind && !strcmp(t->hits[i].field, field))
            return &t->hits[i];
    return NULL;
}

/* A pacs.008 with the given RmtInf content. */
static char *pacs_with_remittance(const char *rmt)
{
    static const char head[] =
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"><FIToFICstmrCdtTrf>"
        "<GrpHdr><MsgId>M</MsgId><NbOfTxs>1</NbOfTxs></GrpHdr><CdtTrfTxInf>"
        "<PmtId><EndToEndId>E</EndToEndId></PmtId><IntrBkSttlmAmt Ccy=\"EUR\">1</IntrBkSttlmAmt>"
        "<Dbtr><Nm>Oliver Hughes</Nm></Dbtr><DbtrAgt><FinInstnId><BICFI>BARCGB22</BICFI></FinInstnId></DbtrAgt>"
        "<CdtrAgt><FinInstnId><BICFI>CITIUS33</BICFI></FinInstnId></CdtrAgt>"
        "<Cdtr><Nm>Emily Carter</Nm></Cdtr><RmtInf>";
    static const char tail[] = "</RmtInf></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>";
    char *x = malloc(sizeof head + strlen(rmt) + sizeof tail);
    sprintf(x, "%s%s%s", head, rmt, tail);
    return x;
}

/* Free text is read whole, however long or however many fields: the
 * scanner takes time linear in the text, so nothing is left unscreened. */
static void test_text_limits(interdict_payment_screener *s)
{
    interdict_error err;
    /* one field of 600 words (over its length limit, still screened) */
    char *words = malloc(600 * 8 + 64);
    size_t n = (size_t)sprintf(words, "<Ustrd>");
    for (int i = 0; i < 600; i++)
        n += (size_t)sprintf(words + n, "%c ", 'A' + i % 26);
    sprintf(words + n, "</Ustrd>");
    char *x = pacs_with_remittance(words);
    CHECK(interdict_payment_screen_memory(s, x, strlen(x), "long", &err) == INTERDICT_OK);
    const interdict_payment_message *m = interdict_payment_message_at(s, 0);
    CHECK(m && m->n_transactions == 1 && m->transactions[0].hold);
    bool partly = false;
    for (size_t i = 0; m && m->n_transactions && i < m->transactions[0].n_errors; i++)
        partly |= strstr(m->transactions[0].errors[i].message, "in part") != NULL &&
                  !strcmp(m->transactions[0].errors[i].field, "CdtTrfTxInf[1]/RmtInf/Ustrd");
    CHECK(!partly);
    free(x);
    free(words);

    /* many fields, more than is screened per message */
    char *many = malloc(120 * 160 + 64);
    n = 0;
    for (int i = 0; i < 120; i++)
        n += (size_t)sprintf(many + n, "<Ustrd>Ayman Aiman Zawahiri Nusrah Jabhat Ayman Aiman Zawahiri "
                                       "Nusrah Jabhat Ayman Aiman Zawahiri Nusrah Jabhat</Ustrd>");
    x = pacs_with_remittance(many);
    CHECK(interdict_payment_screen_memory(s, x, strlen(x), "many", &err) == INTERDICT_OK);
    m = interdict_payment_message_at(s, 0);
    bool skipped = false, found = false;
    for (size_t i = 0; m && m->n_transactions && i < m->transactions[0].n_errors; i++)
        skipped |= strstr(m->transactions[0].errors[i].message, "not screened") != NULL;
    for (size_t i = 0; m && m->n_transactions && i < m->transactions[0].n_hits; i++)
        found |= m->transactions[0].hits[i].kind == INTERDICT_PAYMENT_HIT_TEXT &&
                 m->transactions[0].hits[i].entry &&
                 !strcmp(m->transactions[0].hits[i].entry->ref, "QDi.006");
    CHECK(!skipped);
    CHECK(found);
    CHECK(m && m->hold);
    free(x);
    free(many);
}

static void test_screening(const interdict_index *ix)
{
    interdict_payment_rules *rules;
    interdict_payment_screener *s;
    interdict_error err;
    CHECK(interdict_payment_rules_default(ix, &rules, &err) == INTERDICT_OK);
    CHECK(interdict_payment_screener_new(ix, rules, 0, &s, &err) == INTERDICT_OK);

    static const char *const clean[] = {"pacs008_clean.xml", "pain001_clean.xml", "mt103_clean.txt",
                                        "mt103_50f.txt", "mt202_clean.txt"};
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        const interdict_payment_message *m = screen(s, clean[i], 0);
        CHECK(m && !m->hold && m->n_errors == 0);
        for (size_t t = 0; m && t < m->n_transactions; t++)
            CHECK(!m->transactions[t].hold && m->transactions[t].n_hits == 0);
        if (m && m->hold)
            fprintf(stderr, "%s held\n", clean[i]);
    }

    const interdict_payment_message *m = screen(s, "pacs008_bah_multi.xml", 0);
    CHECK(m && m->hold && m->n_transactions == 3);
    if (m && m->n_transactions == 3) {
        CHECK(!m->transactions[0].hold);
        CHECK(m->transactions[1].hold);
        const interdict_payment_hit *h = find_hit(&m->transactions[1], INTERDICT_PAYMENT_HIT_NAME,
                                                  "CdtTrfTxInf[2]/Cdtr/Nm");
        CHECK(h && h->entry && !strcmp(h->entry->ref, "QDe.137"));
        CHECK(h && h->match && h->match->score >= 0.9);
        CHECK(h && !strcmp(h->role, "creditor"));
        CHECK(m->transactions[2].hold);
        h = find_hit(&m->transactions[2], INTERDICT_PAYMENT_HIT_TEXT, "CdtTrfTxInf[3]/RmtInf/Ustrd[1]");
        CHECK(h && h->entry && !strcmp(h->entry->ref, "QDi.006"));
        CHECK(h && !strcmp(h->value, "Aiman al Zawahri"));
        CHECK(m->transactions[0].n_parties >= 6);   /* header agents count for every transaction */
    }

    m = screen(s, "pacs008_dbtr_listed.xml", 0);
    CHECK(m && m->n_transactions == 1 &&
          find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_NAME, "CdtTrfTxInf[1]/Dbtr/Nm"));
    m = screen(s, "pacs008_ultmtcdtr_listed.xml", 0);
    CHECK(m && m->n_transactions == 1 &&
          find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_NAME, "CdtTrfTxInf[1]/UltmtCdtr/Nm"));
    m = screen(s, "pacs008_embargo_agent.xml", 0);
    CHECK(m && m->n_transactions == 1 &&
          find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_COUNTRY,
                   "CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI"));
    m = screen(s, "pacs008_listed_bic.xml", 0);
    const interdict_payment_hit *h = m && m->n_transactions ?
        find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_BIC, "CdtTrfTxInf[1]/IntrmyAgt1/FinInstnId/BICFI") : NULL;
    CHECK(h && h->entry && !strcmp(h->entry->ref, "KPe.047"));
    m = screen(s, "pacs008_crimea.xml", 0);
    CHECK(m && m->n_transactions == 1 &&
          find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_REGION, "CdtTrfTxInf[1]/Cdtr/PstlAdr/TwnNm"));

    m = screen(s, "pain001_mixed.xml", 0);
    CHECK(m && m->n_transactions == 3);
    if (m && m->n_transactions == 3) {
        CHECK(!m->transactions[0].hold);
        CHECK(m->transactions[1].hold && m->transactions[2].hold);
        CHECK(find_hit(&m->transactions[1], INTERDICT_PAYMENT_HIT_BIC,
                       "PmtInf[1]/CdtTrfTxInf[2]/CdtrAgt/FinInstnId/BICFI"));
        CHECK(find_hit(&m->transactions[2], INTERDICT_PAYMENT_HIT_NAME,
                       "PmtInf[2]/CdtTrfTxInf[1]/UltmtCdtr/Nm"));
    }

    static const struct {
        const char *file, *field;
        interdict_payment_hit_kind kind;
    } mt[] = {
        {"mt103_59_listed.txt", "59", INTERDICT_PAYMENT_HIT_NAME},
        {"mt103_50k_listed.txt", "50K", INTERDICT_PAYMENT_HIT_NAME},
        {"mt103_70_listed.txt", "70", INTERDICT_PAYMENT_HIT_TEXT},
        {"mt202cov_listed.txt", "B/59", INTERDICT_PAYMENT_HIT_NAME},
    };
    for (size_t i = 0; i < sizeof mt / sizeof mt[0]; i++) {
        m = screen(s, mt[i].file, 0);
        CHECK(m && m->hold && m->n_transactions == 1);
        CHECK(m && m->n_transactions == 1 && find_hit(&m->transactions[0], mt[i].kind, mt[i].field));
    }
    m = screen(s, "mt103_70_listed.txt", 0);
    h = m && m->n_transactions ? find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_TEXT, "70") : NULL;
    bool baghdadi = false;
    for (size_t i = 0; m && m->n_transactions && i < m->transactions[0].n_hits; i++)
        baghdadi |= m->transactions[0].hits[i].entry && !strcmp(m->transactions[0].hits[i].entry->ref, "QDi.299");
    CHECK(baghdadi);   /* the name runs over the line break of field 70 */

    /* unreadable messages are held, with the reason */
    static const char *const bad[] = {"pacs008_truncated.xml", "camt053.xml", "mt999.txt",
                                      "mt103_no59.txt", "mt103_charset.txt", "mt103_long50k.txt",
                                      "pacs008_bad_utf8.xml", "empty.txt", "not_payment.txt"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = screen(s, bad[i], 0);
        CHECK(m && m->hold && m->n_errors > 0);
        for (size_t t = 0; m && t < m->n_transactions; t++)
            CHECK(m->transactions[t].hold);
    }
    /* a transaction-level error holds that transaction only */
    m = screen(s, "pacs008_long_name.xml", 0);
    CHECK(m && m->hold && m->n_errors == 0 && m->n_transactions == 1 &&
          m->transactions[0].n_errors == 1 && m->transactions[0].hold);

    /* several messages in one file, decided one by one */
    screen(s, "mt_multi.txt", 0);
    CHECK(interdict_payment_message_count(s) == 3);
    CHECK(!interdict_payment_message_at(s, 0)->hold);
    CHECK(interdict_payment_message_at(s, 1)->hold);
    CHECK(!interdict_payment_message_at(s, 2)->hold);
    CHECK(interdict_payment_message_at(s, 3) == NULL);

    /* input that cannot be read at all */
    CHECK(interdict_payment_screen_file(s, "/nonexistent/file.xml", &err) == INTERDICT_ERR_IO);
    CHECK(interdict_payment_message_count(s) == 0);
    CHECK(interdict_payment_screen_memory(s, "", 0, "empty", &err) == INTERDICT_OK);
    CHECK(interdict_payment_message_count(s) == 1 && interdict_payment_message_at(s, 0)->hold);

    test_text_limits(s);

    /* a listed name inside a longer party name, over two MT lines */
    static const char run_on[] =
        "{1:F01BARCGB22AXXX0000000000}{2:I103CITIUS33XXXXN}{4:\n:20:X\n:23B:CRED\n"
        ":32A:240117USD1,\n:50K:ORGANISATION FOR THE SUPPORT OF AL-\nNUSRAH FRONT IN THE LEVANT\n"
        "LONDON GB\n:59:EMILY CARTER\n:71A:SHA\n-}";
    CHECK(interdict_payment_screen_memory(s, run_on, strlen(run_on), "run-on", &err) == INTERDICT_OK);
    m = interdict_payment_message_at(s, 0);
    h = m && m->n_transactions ? find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_TEXT, "50K") : NULL;
    CHECK(h && h->entry && !strcmp(h->entry->ref, "QDe.137"));
    /* and inside a long ISO name */
    char *x = pacs_with_remittance("<Ustrd>Donation</Ustrd>");
    char *at = strstr(x, "Emily Carter");
    char *y = malloc(strlen(x) + 100);
    sprintf(y, "%.*sFriends of the Jabhat al-Nusrah Relief Committee%s", (int)(at - x), x,
            at + strlen("Emily Carter"));
    CHECK(interdict_payment_screen_memory(s, y, strlen(y), "long-name", &err) == INTERDICT_OK);
    m = interdict_payment_message_at(s, 0);
    h = m && m->n_transactions ? find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_TEXT,
                                          "CdtTrfTxInf[1]/Cdtr/Nm") : NULL;
    bool named = h != NULL;
    for (size_t i = 0; m && m->n_transactions && i < m->transactions[0].n_hits; i++)
        named |= !strcmp(m->transactions[0].hits[i].field, "CdtTrfTxInf[1]/Cdtr/Nm") &&
                 m->transactions[0].hits[i].entry && !strcmp(m->transactions[0].hits[i].entry->ref, "QDe.137");
    CHECK(named);
    free(x);
    free(y);
    interdict_payment_screener_free(s);

    /* the rules file adds a listed BIC */
    char path[512];
    snprintf(path, sizeof path, "%s/payment/rules.json", TEST_DATA_DIR);
    interdict_payment_rules *more;
    CHECK(interdict_payment_rules_load(path, ix, &more, &err) == INTERDICT_OK);
    CHECK(interdict_payment_screener_new(ix, more, 0, &s, &err) == INTERDICT_OK);
    m = screen(s, "pacs008_clean.xml", 0);
    CHECK(m && m->hold && m->n_transactions == 1 &&
          find_hit(&m->transactions[0], INTERDICT_PAYMENT_HIT_BIC, "CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI"));
    interdict_payment_screener_free(s);
    interdict_payment_rules_free(more);
    interdict_payment_rules_free(rules);
    CHECK(interdict_payment_screener_new(NULL, NULL, 0, &s, &err) == INTERDICT_ERR_INVALID);
}

int main(void)
{
    test_pacs008_parties();
    test_pacs008_header_and_transactions();
    test_pain001();
    test_mx_errors();
    test_mx_nesting();
    test_mt103();
    test_mt202cov();
    test_mt_multi();
    test_mt_errors();
    test_helpers();

    interdict_list *list;
    interdict_index *ix;
    interdict_error err;
    CHECK(interdict_list_load(BUNDLED_LIST, &list, &err) == INTERDICT_OK);
    const interdict_list *lists[1] = {list};
    CHECK(interdict_index_build(lists, 1, &ix, &err) == INTERDICT_OK);
    test_rules(ix);
    test_screening(ix);
    interdict_index_free(ix);
    interdict_list_free(list);
    interdict_thread_cleanup();
    CHECK_DONE();
}
