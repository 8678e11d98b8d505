/* ofac.h - pieces shared by the OFAC XML and CSV parsers.
 *
 * OFAC publishes the same records in two shapes: the legacy CSV set, where
 * dates of birth, documents and weak aliases are facts inside a free-text
 * remarks column, and sdn.xml / cons.xml, where most of them have their own
 * elements. Both end up in the same interdict_entry fields through these
 * helpers, so an entry reads the same whichever file it came from. */
#ifndef INTERDICT_LIST_OFAC_H
#define INTERDICT_LIST_OFAC_H

#include "builder.h"

#define OFAC_SDN_ID "ofac"
#define OFAC_CONS_ID "ofac-cons"   /* consolidated (non-SDN) list */

/* Most aliases, addresses, identifiers or remarks facts one entry may
 * have. Real entries have fewer than a hundred of each; the cap keeps the
 * builder's per-entry duplicate checks, which are quadratic, fast on
 * hostile input. */
#define OFAC_MAX_ITEMS 5000

/* A growable text buffer; out of memory is sticky in `oom`. */
typedef struct {
    builder_buf buf;
    int oom;
} ofac_text;

void ofac_text_reset(ofac_text *t);
void ofac_text_free(ofac_text *t);
void ofac_text_add(ofac_text *t, const char *s, size_t n);
void ofac_text_adds(ofac_text *t, const char *s);
/* Appends s after "; " unless the buffer is empty or s is blank. */
void ofac_text_clause(ofac_text *t, const char *label, const char *s);

/* The last path component of a path or name. */
const char *ofac_basename(const char *path);

/* One identifier of an entry, from an XML <id> or a remarks fact. The type
 * is OFAC's label ("Passport", "Cedula No.", "Vessel Registration
 * Identification", ...); a few are renamed to the model's usual names
 * ("IMO Number", "National Identification Number", ...). "Gender" sets the
 * entry's gender. Returns 0 when the label describes the party rather than
 * identifying it (e-mail, website, secondary sanctions risk, ...): the
 * caller keeps such facts in the comments. */
int ofac_identifier(entry_builder *b, const char *type, const char *number,
                    const char *country, const char *note);

/* "Finance Director, X; Director, Y": one title per office. */
void ofac_titles(entry_builder *b, const char *s);

/* A date of birth as OFAC writes it: "14 Mar 1965", "1965", "circa 1965",
 * "1960 to 1962", and also ranges of full dates ("01 Jan 1961 to 31 Dec
 * 1962", "Mar 1962 to Feb 1963"), kept as ranges with their months and
 * days. Anything else is kept as text. */
void ofac_dob(entry_builder *b, const char *text);

/* Vessel particulars: the call sign becomes a document, the flag a
 * nationality (the country whose flag the ship flies), the rest is
 * added to `comments`. Empty arguments are skipped. */
void ofac_vessel(entry_builder *b, ofac_text *comments, const char *call_sign,
                 const char *vessel_type, const char *flag, const char *owner,
                 const char *tonnage, const char *grt);

/* Reads the facts of a remarks text ("DOB 14 Mar 1965; alt. POB Baghdad,
 * Iraq; Passport A1234567 (Iraq); a.k.a. 'BNC'.") into the open entry:
 * dates and places of birth, nationalities and citizenships, gender,
 * documents, weak aliases. Facts it does not know are left to the
 * comments, which keep the whole text. Returns the number of facts, or -1
 * (having read none) when there are more than OFAC_MAX_ITEMS. */
int ofac_remarks_facts(entry_builder *b, const char *remarks);


#endif
