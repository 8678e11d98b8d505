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

/* Called for every element at one depth (the root is at depth 1) as soon
 * as it is complete, while the rest of the document is still being read.
 * `exact_lines` is false once the document is past the lines whose numbers
 * libxml2 keeps exactly: line numbers of this element and those after it
 * are then found from their neighbours, so read them only once the whole
 * tree is there. Returning nonzero lets the element's children go (the
 * element itself stays, empty) unless something in the document may still
 * refer to them. */
typedef int (*xml_element_fn)(void *user, xmlNode *element, int exact_lines);

/* As xml_read_safe, telling `each` of the elements at `depth` as they are
 * read. The tree returned holds what was not let go; its root and the
 * document's DTD are complete. A document that turns out not to be
 * well-formed is still an error, whatever `each` has seen of it. */
xmlDocPtr xml_read_safe_each(const char *data, size_t len, const char *file, int depth,
                             xml_element_fn each, void *user, interdict_error *err,
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
