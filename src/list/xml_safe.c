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
 * document tried to declare an entity; and, for xml_read_safe_events, where
 * the parser is and the handlers that build the tree above it. */
typedef struct {
    int have_error;
    int code;
    long line;
    char message[200];
    int entity_declared;
    long entity_line;
    const xml_events *ev;
    int below;                  /* elements open below the tree */
    size_t run;                 /* bytes of the text being read there */
    int gave_up;
    startElementNsSAX2Func start_element;
    endElementNsSAX2Func end_element;
    charactersSAXFunc characters;
    cdataBlockSAXFunc cdata;
    commentSAXFunc comment;
    processingInstructionSAXFunc pi;
    referenceSAXFunc reference;
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

/* ---- Reading below the tree ------------------------------------------------- */

/* Line numbers are exact below this: libxml2 keeps a node's in 16 bits and
 * finds larger ones from the node's neighbours (xmlGetLineNo). */
enum { EXACT_LINES = 65535 };

/* A text run longer than this is left to the tree, which alone applies
 * libxml2's limit on the size of a text node. */
enum { TEXT_RUN_MAX = 1 << 20 };

/* Once given up, the rest is parsed as usual (a document that is not
 * well-formed is an error all the same) and nothing more is reported. */
static void give_up(xml_diag *d)
{
    d->gave_up = 1;
}

/* Whether an element starting now lies below the tree. */
static int starts_below(const xmlParserCtxt *ctxt, const xml_diag *d)
{
    return d->below > 0 || ctxt->nodeNr >= d->ev->depth;
}

/* Whether content read now lies below the tree: in an element there. */
static int below_tree(const xml_diag *d)
{
    return d->below > 0;
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces,
                             const xmlChar **namespaces, int nb_attributes,
                             int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (!starts_below(ctxt, d)) {
        d->start_element(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                         nb_attributes, nb_defaulted, attributes);
        return;
    }
    long line = ctxt->input ? ctxt->input->line : 0;
    xmlNode *parent = d->below == 0 ? ctxt->node : NULL;
    d->below++;
    d->run = 0;
    if (d->gave_up)
        return;
    /* what the tree would make of more than a plain element, or of a
     * document type (element content, attribute defaults), is not
     * worked out here */
    if (prefix || nb_namespaces || nb_attributes || !ctxt->linenumbers || !ctxt->myDoc ||
        ctxt->myDoc->intSubset || line >= EXACT_LINES ||
        d->ev->start(d->ev->user, parent, localname, line))
        give_up(d);
}

static void on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                           const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (d->below == 0) {
        d->end_element(ctx, localname, prefix, uri);
        return;
    }
    d->below--;
    d->run = 0;
    if (!d->gave_up && d->ev->end(d->ev->user))
        give_up(d);
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (!below_tree(d)) {
        d->characters(ctx, ch, len);
        return;
    }
    d->run += (size_t)len;
    if (!d->gave_up &&
        (d->run > TEXT_RUN_MAX || d->ev->text(d->ev->user, (const char *)ch, (size_t)len)))
        give_up(d);
}

/* Comments, processing instructions, CDATA sections and entity references
 * below the tree. */
static void on_other(xml_diag *d)
{
    d->run = 0;
    if (!d->gave_up && d->ev->other(d->ev->user))
        give_up(d);
}

static void on_cdata(void *ctx, const xmlChar *value, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (below_tree(d))
        on_other(d);
    else
        d->cdata(ctx, value, len);
}

static void on_comment(void *ctx, const xmlChar *value)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (below_tree(d))
        on_other(d);
    else
        d->comment(ctx, value);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (below_tree(d))
        on_other(d);
    else
        d->pi(ctx, target, data);
}

static void on_reference(void *ctx, const xmlChar *name)
{
    xmlParserCtxtPtr ctxt = ctx;
    xml_diag *d = ctxt->_private;
    if (below_tree(d))
        on_other(d);
    else
        d->reference(ctx, name);
}

/* Builds the tree down to ev->depth and tells ev of what lies below. */
static int read_below(xmlParserCtxtPtr ctxt, xml_diag *d, const xml_events *ev)
{
    xmlSAXHandler *sax = ctxt->sax;
    if (!sax->startElementNs || !sax->endElementNs || !sax->characters || !sax->cdataBlock ||
        !sax->comment || !sax->processingInstruction || !sax->reference)
        return 0;
    d->ev = ev;
    d->start_element = sax->startElementNs;
    d->end_element = sax->endElementNs;
    d->characters = sax->characters;
    d->cdata = sax->cdataBlock;
    d->comment = sax->comment;
    d->pi = sax->processingInstruction;
    d->reference = sax->reference;
    sax->startElementNs = on_start_element;
    sax->endElementNs = on_end_element;
    sax->characters = on_characters;
    sax->cdataBlock = on_cdata;
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;
    sax->reference = on_reference;
    return 1;
}

/* ---- Reading ------------------------------------------------------------------ */

static xmlDocPtr read_safe(const char *data, size_t len, const char *file,
                           const xml_events *ev, int *gave_up, interdict_error *err,
                           interdict_status *rc)
{
    if (gave_up)
        *gave_up = 0;
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
    if (ev && !read_below(ctxt, &diag, ev)) {
        *gave_up = 1;
        xmlFreeParserCtxt(ctxt);
        return NULL;
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
    if (diag.gave_up) {
        *gave_up = 1;
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!doc || diag.entity_declared || !ctxt->wellFormed) {
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
    return read_safe(data, len, file, NULL, NULL, err, rc);
}

xmlDocPtr xml_read_safe_events(const char *data, size_t len, const char *file,
                               const xml_events *ev, int *gave_up, interdict_error *err,
                               interdict_status *rc)
{
    return read_safe(data, len, file, ev, gave_up, err, rc);
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
