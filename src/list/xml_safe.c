/* xml_safe.c - libxml2 with network access and entity expansion off. */
#include "xml_safe.h"
#include "../util/error.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <ctype.h>
#include <limits.h>
#include <string.h>

#if LIBXML_VERSION >= 21200
typedef const xmlError xml_error_t;
#else
typedef xmlError xml_error_t;
#endif

/* ---- Parser diagnostics --------------------------------------------------- */

/* What libxml2 told us while parsing: the first error, and whether the
 * document tried to declare an entity; and who is told of complete
 * elements (xml_read_safe_each). */
typedef struct {
    int have_error;
    int code;
    long line;
    char message[200];
    int entity_declared;
    long entity_line;
    int each_depth;
    xml_element_fn each;
    void *each_user;
    endElementNsSAX2Func end_element;   /* libxml2's own, which builds the tree */
} xml_diag;

/* Keeps the first error: later ones are usually consequences of it. */
static void on_xml_error(void *user, xml_error_t *e)
{
    xmlParserCtxtPtr ctxt = user;
    xml_diag *d = ctxt ? ctxt->_private : NULL;
    if (!d || !e || e->level < XML_ERR_ERROR || d->have_error)
        return;
    d->have_error = 1;
    d->code = e->code;
    d->line = e->line;
    /* libxml2 messages end in a newline and may span lines */
    size_t n = 0;
    for (const char *m = e->message ? e->message : ""; *m && n + 1 < sizeof d->message; m++) {
        char c = isspace((unsigned char)*m) ? ' ' : *m;
        if (c == ' ' && (n == 0 || d->message[n - 1] == ' '))
            continue;
        d->message[n++] = c;
    }
    while (n > 0 && d->message[n - 1] == ' ')
        n--;
    d->message[n] = '\0';
}

/* Any entity declaration ends the parse: no list or message format needs
 * one, and refusing them closes off expansion bombs and XXE for good. */
static void reject_entity(void *ctx)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (!d->entity_declared) {
        d->entity_declared = 1;
        d->entity_line = ctxt->input ? ctxt->input->line : 0;
    }
    xmlStopParser(ctxt);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type,
                           const xmlChar *public_id, const xmlChar *system_id,
                           xmlChar *content)
{
    (void)name, (void)type, (void)public_id, (void)system_id, (void)content;
    reject_entity(ctx);
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name,
                                    const xmlChar *public_id,
                                    const xmlChar *system_id,
                                    const xmlChar *notation)
{
    (void)name, (void)public_id, (void)system_id, (void)notation;
    reject_entity(ctx);
}

static int is_encoding_error(const xml_diag *d)
{
    if (d->code == XML_ERR_INVALID_ENCODING || d->code == XML_ERR_UNKNOWN_ENCODING ||
        d->code == XML_ERR_UNSUPPORTED_ENCODING)
        return 1;
    return d->code == XML_ERR_INVALID_CHAR && strstr(d->message, "UTF-8") != NULL;
}

static interdict_status xml_failure(const xml_diag *d, xmlParserCtxtPtr ctxt,
                                    const char *file, interdict_error *err)
{
    if (d->entity_declared)
        return set_error(err, INTERDICT_ERR_FORMAT, file, d->entity_line, "DOCTYPE",
                         "DTD/entities not allowed");
    if (d->have_error)
        return set_error(err, is_encoding_error(d) ? INTERDICT_ERR_ENCODING : INTERDICT_ERR_PARSE,
                         file, d->line, "", "%s", d->message);
    xml_error_t *last = xmlCtxtGetLastError(ctxt);
    if (last && last->code == XML_ERR_NO_MEMORY)
        return set_error(err, INTERDICT_ERR_NOMEM, file, 0, "", "out of memory parsing XML");
    return set_error(err, INTERDICT_ERR_PARSE, file, last ? last->line : 0, "",
                     "XML parser failed");
}

/* Line numbers of nodes are exact below this: libxml2 keeps them in 16
 * bits and finds larger ones from the node's neighbours (xmlGetLineNo). */
enum { EXACT_LINES = 65535 };

/* A node's children can go once nothing else may look at them: the
 * document keeps no table of IDs or references into the tree, and no
 * line number is found through them. */
static int may_empty(const xmlParserCtxt *ctxt, const xmlNode *node)
{
    const xmlDoc *doc = node->doc;
    return doc && !doc->ids && !doc->refs && ctxt->input && ctxt->input->line < EXACT_LINES;
}

/* The end of an element: libxml2 closes it, then the caller reads it and
 * may let its children go. */
static void on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                           const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    xmlNodePtr node = ctxt->node;
    int depth = ctxt->nodeNr;
    d->end_element(ctx, localname, prefix, uri);
    if (!node || depth != d->each_depth || node->type != XML_ELEMENT_NODE)
        return;
    long line = ctxt->input ? ctxt->input->line : 0;
    if (d->each(d->each_user, node, line < EXACT_LINES) && node->children &&
        may_empty(ctxt, node)) {
        /* the element itself stays: it is its parent's last child, which
         * is how libxml2 tells text that follows from text to join */
        xmlFreeNodeList(node->children);
        node->children = node->last = NULL;
    }
}

static xmlDocPtr read_safe(const char *data, size_t len, const char *file, int depth,
                           xml_element_fn each, void *user, interdict_error *err,
                           interdict_status *rc)
{
    if (len > INT_MAX) {
        *rc = set_error(err, INTERDICT_ERR_LIMIT, file, 0, "", "XML input too large");
        return NULL;
    }
    xml_diag diag = {0};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        *rc = set_error(err, INTERDICT_ERR_NOMEM, file, 0, "", "out of memory");
        return NULL;
    }
    ctxt->_private = &diag;
    if (each && ctxt->sax->endElementNs) {
        diag.each_depth = depth;
        diag.each = each;
        diag.each_user = user;
        diag.end_element = ctxt->sax->endElementNs;
        ctxt->sax->endElementNs = on_end_element;
    }
    ctxt->sax->entityDecl = on_entity_decl;
    ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
#if LIBXML_VERSION >= 21300
    xmlCtxtSetErrorHandler(ctxt, on_xml_error, ctxt);
#else
    ctxt->sax->serror = on_xml_error;   /* per parse, not process-wide */
#endif
    /* no XML_PARSE_NOENT, DTDLOAD or HUGE: entities stay unexpanded,
     * nothing is fetched and libxml2's size limits stay on */
    int options = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_BIG_LINES |
                  XML_PARSE_COMPACT;   /* short texts inside their nodes: the tree is only read */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL, options);
    if (!doc || diag.entity_declared || !ctxt->wellFormed) {
        *rc = xml_failure(&diag, ctxt, file, err);
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* Parses the bytes into a tree, or fills err. */
xmlDocPtr xml_read_safe(const char *data, size_t len, const char *file,
                        interdict_error *err, interdict_status *rc)
{
    return read_safe(data, len, file, 0, NULL, NULL, err, rc);
}

xmlDocPtr xml_read_safe_each(const char *data, size_t len, const char *file, int depth,
                             xml_element_fn each, void *user, interdict_error *err,
                             interdict_status *rc)
{
    return read_safe(data, len, file, depth, each, user, err, rc);
}


int xml_is(const xmlNode *n, const char *local_name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcmp((const char *)n->name, local_name) == 0;
}

xmlNode *xml_child(const xmlNode *parent, const char *local_name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (xml_is(c, local_name))
            return c;
    return NULL;
}

xmlNode *xml_next(const xmlNode *n, const char *local_name)
{
    for (xmlNode *c = n ? n->next : NULL; c; c = c->next)
        if (xml_is(c, local_name))
            return c;
    return NULL;
}

long xml_line(const xmlNode *n)
{
    long line = n ? xmlGetLineNo(n) : 0;
    return line > 0 ? line : 0;
}

char *xml_attr(const xmlNode *n, const char *name, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    if (!v)
        return buf;
    const char *s = (const char *)v;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    xmlFree(v);
    return buf;
}
