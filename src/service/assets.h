/* assets.h - files embedded into the program at build time (web/, docs/). */
#ifndef INTERDICT_ASSETS_H
#define INTERDICT_ASSETS_H

#include <stddef.h>

typedef struct service_asset {
    const char *name;                  /* file name, e.g. "index.html" */
    const unsigned char *data;         /* NUL-terminated */
    size_t len;
} service_asset;

/* Ends with an entry whose name is NULL. */
extern const service_asset service_assets[];

#endif
