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
