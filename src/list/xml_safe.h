/* xml_safe.h - reading list and message XML with libxml2, safely.
 *
 * Every XML input is hostile until parsed: network access is off, DTD
 * entity declarations end the parse (no expansion bombs, no XXE) and
 * libxml2's size limits stay on. Errors name the file and line. */
#ifndef INTERDICT_XML_SAFE_H
#define INTERDICT_XML_SAFE_H

#include "interdict.h"

#include <libxml/tree.h>

/* Parses the bytes into a tree, or returns NULL with err and *rc filled. */
xmlDocPtr xml_read_safe(const char *data, size_t len, const char *file,
                        interdict_error *err, interdict_status *rc);

/* What lies below the tree, as it is read. A document is read into a tree
 * down to `depth` (the root is at depth 1); the elements below it are not
 * built but reported: start and end of each, its text as libxml2 hands it
 * over (white space it judges ignorable left out), and other content
 * (comments, processing instructions, CDATA sections, entity references)
 * only as being there. `parent` is the tree element holding a reported
 * element at depth + 1, NULL deeper; `line` is the one libxml2 gives the
 * element's node. A callback returning nonzero gives the reading up, and
 * so does anything that a tree would not simply hold as elements and
 * text: an element with a namespace prefix, attributes or namespace
 * declarations, a document type declaration, a line past those whose
 * numbers libxml2 keeps exactly, a very long text. */
typedef struct xml_events {
    int depth;
    void *user;
    int (*start)(void *user, xmlNode *parent, const xmlChar *name, long line);
    int (*end)(void *user);
    int (*text)(void *user, const char *s, size_t n);
    int (*other)(void *user);
} xml_events;

/* As xml_read_safe, reporting what lies below ev->depth to ev. Returns
 * NULL with *gave_up set when the reading was given up (err and *rc are
 * then untouched: read the document with xml_read_safe instead), or NULL
 * with err and *rc filled when the document is not well-formed, whatever
 * ev was told of it. */
xmlDocPtr xml_read_safe_events(const char *data, size_t len, const char *file,
                               const xml_events *ev, int *gave_up, interdict_error *err,
                               interdict_status *rc);

/* An element with this local name (namespace prefixes ignored). */
int xml_is(const xmlNode *n, const char *local_name);

/* First child element with this local name, or NULL. */
xmlNode *xml_child(const xmlNode *parent, const char *local_name);

/* Next sibling element after n with this local name, or NULL. */
xmlNode *xml_next(const xmlNode *n, const char *local_name);

/* Line of a node (0 when unknown). */
long xml_line(const xmlNode *n);

/* Value of an attribute, copied into buf (NUL-terminated, truncated to fit,
 * leading and trailing white space dropped); "" when absent. Returns buf. */
char *xml_attr(const xmlNode *n, const char *name, char *buf, size_t size);

#endif
