/* text_scan.h - internal limits of the free-text scanner (text_scan.c),
 * shared with its tests. The API is in interdict.h ("Free text"). */
#ifndef INTERDICT_TEXT_SCAN_H
#define INTERDICT_TEXT_SCAN_H

#define TEXT_WORD_MAX_BYTES 128   /* a longer run of letters is no name: skipped */
#define TEXT_SEP_BREAK_BYTES 64   /* a longer run of separators ends a passage */
#define TEXT_MAX_GAP 3            /* words between two parts of one mention */
#define TEXT_SEG_MAX 256          /* matched words held before a forced cut */
#define TEXT_SEG_OVERLAP 32       /* words carried over a forced cut */

#endif
