/* ofac_xml.c - OFAC's sdn.xml and cons.xml (root <sdnList>).
 *
 * The SDN list and the consolidated (non-SDN) list are published in one
 * schema, in the namespace http://tempuri.org/sdnList.xsd (older files) or
 * the Sanctions List Service's export namespace; elements are matched by
 * local name, so either reads. Nothing in the content tells the two lists
 * apart, so the file name does: a name containing "cons" is the
 * consolidated list ("ofac-cons"), anything else the SDN list ("ofac").
 *
 * Elements the parser does not know are skipped: OFAC adds some from time
 * to time and none of them carries a name. */
#include "ofac.h"
#include "../util/error.h"
#include "xml_safe.h"

#include <libxml/tree.h>

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

typedef struct {
    entry_builder b;
    ofac_text comments, scratch;
    const char *file;
} xml_parse;

/* Collapsed text of an element in the list's arena; "" when absent. */
static const char *text_of(xml_parse *p, const xmlNode *n)
{
    if (!n)
        return "";
    xmlChar *content = xmlNodeGetContent(n);
    if (!content) {
        if (n->children)
            p->b.oom = 1;
        return "";
    }
    const char *s = builder_str(&p->b, (const char *)content);
    xmlFree(content);
    return s;
}

static const char *child_text(xml_parse *p, const xmlNode *parent, const char *name)
{
    return text_of(p, xml_child(parent, name));
}

/* Every <item> of every <list> child of an entry. */
#define FOR_EACH_ITEM(entry, list, item, var)                                        \
    for (xmlNode *list_ = xml_child(entry, list); list_; list_ = xml_next(list_, list)) \
        for (xmlNode *var = xml_child(list_, item); var; var = xml_next(var, item))

/* "lastName, firstName" when both are given, else whichever is. */
static const char *person_name(xml_parse *p, const xmlNode *n)
{
    const char *last = child_text(p, n, "lastName"), *first = child_text(p, n, "firstName");
    if (!*first)
        return last;
    if (!*last)
        return first;
    ofac_text *t = &p->scratch;
    ofac_text_reset(t);
    ofac_text_adds(t, last);
    ofac_text_adds(t, ", ");
    ofac_text_adds(t, first);
    return builder_str(&p->b, builder_buf_str(&t->buf));
}

static int type_of(const char *s, interdict_party_type *out)
{
    static const struct {
        const char *name;
        interdict_party_type type;
    } TYPES[] = {{"Individual", INTERDICT_PARTY_PERSON}, {"Entity", INTERDICT_PARTY_ENTITY},
                 {"Vessel", INTERDICT_PARTY_VESSEL}, {"Aircraft", INTERDICT_PARTY_AIRCRAFT}};
    for (size_t i = 0; i < sizeof TYPES / sizeof *TYPES; i++)
        if (strcasecmp(s, TYPES[i].name) == 0) {
            *out = TYPES[i].type;
            return 1;
        }
    return 0;
}

static void add_aliases(xml_parse *p, const xmlNode *entry)
{
    FOR_EACH_ITEM(entry, "akaList", "aka", aka) {
        const char *category = child_text(p, aka, "category");
        interdict_name_kind kind = strcasecmp(category, "weak") == 0 ? INTERDICT_NAME_ALIAS_LOW
                                                                     : INTERDICT_NAME_ALIAS_GOOD;
        builder_name(&p->b, person_name(p, aka), kind);
    }
}

/* <id>: a document, the gender, or (for descriptive types such as e-mail
 * addresses) a clause of the comments. */
static void add_ids(xml_parse *p, const xmlNode *entry)
{
    FOR_EACH_ITEM(entry, "idList", "id", id) {
        const char *type = child_text(p, id, "idType");
        const char *number = child_text(p, id, "idNumber");
        const char *issued = child_text(p, id, "issueDate");
        const char *expires = child_text(p, id, "expirationDate");
        ofac_text *note = &p->scratch;
        ofac_text_reset(note);
        ofac_text_clause(note, "issued", issued);
        ofac_text_clause(note, "expires", expires);
        const char *note_text = builder_str(&p->b, builder_buf_str(&note->buf));
        if (!ofac_identifier(&p->b, type, number, child_text(p, id, "idCountry"), note_text))
            ofac_text_clause(&p->comments, type, number);
    }
}

static void add_addresses(xml_parse *p, const xmlNode *entry)
{
    static const char *const PARTS[] = {"address1", "address2", "address3", "city",
                                        "stateOrProvince", "postalCode"};
    FOR_EACH_ITEM(entry, "addressList", "address", a) {
        ofac_text *t = &p->scratch;
        ofac_text_reset(t);
        for (size_t i = 0; i < sizeof PARTS / sizeof *PARTS; i++) {
            const char *part = child_text(p, a, PARTS[i]);
            if (*part && t->buf.len)
                ofac_text_adds(t, ", ");
            ofac_text_adds(t, part);
        }
        builder_address(&p->b, builder_buf_str(&t->buf), child_text(p, a, "country"));
    }
}

/* Elements inside the entry's lists (aliases, ids, addresses, ...). */
static size_t count_items(const xmlNode *entry)
{
    size_t n = 0;
    for (const xmlNode *c = entry->children; c; c = c->next)
        for (const xmlNode *g = c->type == XML_ELEMENT_NODE ? c->children : NULL; g; g = g->next)
            n += g->type == XML_ELEMENT_NODE;
    return n;
}

static interdict_status parse_entry(xml_parse *p, const xmlNode *entry, interdict_error *err)
{
    long line = xml_line(entry);
    if (count_items(entry) > OFAC_MAX_ITEMS)
        return set_error(err, INTERDICT_ERR_LIMIT, p->file, line, "",
                         "entry with more than %d aliases, ids, addresses and other items",
                         OFAC_MAX_ITEMS);
    const char *uid = child_text(p, entry, "uid");
    if (!*uid)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, line, "uid",
                         "<sdnEntry> without a uid");
    const char *type_text = child_text(p, entry, "sdnType");
    interdict_party_type type;
    if (!type_of(type_text, &type))
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, line, "sdnType",
                         "entry %s: sdnType \"%.40s\" is not Individual, Entity, Vessel or "
                         "Aircraft", uid, type_text);
    entry_builder *b = &p->b;
    builder_begin(b, uid, type, line);
    b->entry.source_id = b->entry.ref;
    builder_name(b, person_name(p, entry), INTERDICT_NAME_PRIMARY);
    ofac_titles(b, child_text(p, entry, "title"));
    FOR_EACH_ITEM(entry, "programList", "program", prog)
        builder_program(b, text_of(p, prog));
    add_aliases(p, entry);
    ofac_text_reset(&p->comments);
    ofac_text_adds(&p->comments, child_text(p, entry, "remarks"));
    add_ids(p, entry);
    add_addresses(p, entry);
    FOR_EACH_ITEM(entry, "nationalityList", "nationality", n)
        builder_nationality(b, child_text(p, n, "country"));
    FOR_EACH_ITEM(entry, "citizenshipList", "citizenship", c)
        builder_nationality(b, child_text(p, c, "country"));
    FOR_EACH_ITEM(entry, "dateOfBirthList", "dateOfBirthItem", d)
        ofac_dob(b, child_text(p, d, "dateOfBirth"));
    FOR_EACH_ITEM(entry, "placeOfBirthList", "placeOfBirthItem", pob)
        builder_place_of_birth(b, child_text(p, pob, "placeOfBirth"));
    for (xmlNode *v = xml_child(entry, "vesselInfo"); v; v = xml_next(v, "vesselInfo"))
        ofac_vessel(b, &p->comments, child_text(p, v, "callSign"), child_text(p, v, "vesselType"),
                    child_text(p, v, "vesselFlag"), child_text(p, v, "vesselOwner"),
                    child_text(p, v, "tonnage"), child_text(p, v, "grossRegisteredTonnage"));
    if (p->comments.oom || p->scratch.oom)
        b->oom = 1;
    b->entry.comments = builder_str(b, builder_buf_str(&p->comments.buf));
    return builder_end(b, "lastName", err);
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Publish_Date MM/DD/YYYY (or YYYY-MM-DD) -> "YYYY-MM-DD"; "" when absent. */
static interdict_status publish_date(xml_parse *p, const xmlNode *root, interdict_list *list,
                                     interdict_error *err)
{
    const xmlNode *info = xml_child(root, "publshInformation");
    const xmlNode *date = xml_child(info, "Publish_Date");
    const char *s = text_of(p, date);
    char out[11];
    list->generated = "";
    if (!*s)
        return INTERDICT_OK;
    size_t n = strlen(s);
    if (n == 10 && s[2] == '/' && s[5] == '/' && digits(s, 2) && digits(s + 3, 2) &&
        digits(s + 6, 4)) {
        memcpy(out, s + 6, 4);
        out[4] = '-';
        memcpy(out + 5, s, 2);
        out[7] = '-';
        memcpy(out + 8, s + 3, 2);
    } else if (n == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) && digits(s + 5, 2) &&
               digits(s + 8, 2)) {
        memcpy(out, s, 10);
    } else {
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, xml_line(date), "Publish_Date",
                         "Publish_Date \"%.40s\" is not MM/DD/YYYY", s);
    }
    out[10] = '\0';
    int month = (out[5] - '0') * 10 + (out[6] - '0'), day = (out[8] - '0') * 10 + (out[9] - '0');
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return set_error(err, INTERDICT_ERR_FORMAT, p->file, xml_line(date), "Publish_Date",
                         "Publish_Date \"%.40s\" is not a date", s);
    list->generated = builder_str(&p->b, out);
    return INTERDICT_OK;
}

static int name_mentions_cons(const char *name)
{
    for (const char *s = ofac_basename(name); *s; s++)
        if (strncasecmp(s, "cons", 4) == 0)
            return 1;
    return 0;
}

interdict_status list_parse_ofac_xml(interdict_list *list, const char *data, size_t len,
                                     const char *name, const char *path,
                                     interdict_error *err)
{
    if (!name)
        name = "<memory>";
    if (len > LIST_MAX_FILE_BYTES || len > INT32_MAX)
        return set_error(err, INTERDICT_ERR_LIMIT, name, 0, "", "input too large");
    interdict_status rc = INTERDICT_OK;
    xmlDocPtr doc = xml_read_safe(data, len, name, err, &rc);
    if (!doc)
        return rc;
    list->id = name_mentions_cons(path ? path : name) ? OFAC_CONS_ID : OFAC_SDN_ID;
    list->format = "ofac-xml";
    xml_parse p;
    memset(&p, 0, sizeof p);
    p.file = name;
    builder_init(&p.b, list, name);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!xml_is(root, "sdnList"))
        rc = set_error(err, INTERDICT_ERR_FORMAT, name, xml_line(root), "",
                       "root element is not <sdnList>");
    if (rc == INTERDICT_OK)
        rc = publish_date(&p, root, list, err);
    for (xmlNode *e = rc == INTERDICT_OK ? xml_child(root, "sdnEntry") : NULL;
         e && rc == INTERDICT_OK; e = xml_next(e, "sdnEntry"))
        rc = parse_entry(&p, e, err);
    if (rc == INTERDICT_OK)
        rc = builder_finish(&p.b, "uid", err);
    builder_free(&p.b);
    ofac_text_free(&p.comments);
    ofac_text_free(&p.scratch);
    xmlFreeDoc(doc);
    return rc;
}
