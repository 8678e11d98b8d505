/* dynlib.c - shared libraries bound when first needed (see dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

bool dynlib_bind(const char *soname, const dynlib_symbol *symbols, size_t n, char *err,
                 size_t err_size)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(err, err_size, "cannot load %s: %s", soname, why ? why : "not found");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        dlerror();
        void *p = dlsym(lib, symbols[i].name);
        if (!p) {
            snprintf(err, err_size, "%s has no function %s", soname, symbols[i].name);
            return false;   /* lib stays open: other slots may point into it */
        }
        if (symbols[i].slot_size != sizeof p) {
            snprintf(err, err_size, "%s: function pointers of an unexpected size", soname);
            return false;
        }
        memcpy(symbols[i].slot, &p, sizeof p);
    }
    return true;
}
