/* SPDX-License-Identifier: GPL-2.0 */
/*
 * context.h - the provenance block written beside every result: host, kernel,
 * CPU model and count, frequency-scaling governor, tool and library versions,
 * git commit, the exact command line, and the xdplab settings of the run
 * (added by the caller).  Built with json-c so that strings are escaped right.
 */
#ifndef XL_CONTEXT_H
#define XL_CONTEXT_H

#include <json-c/json.h>

/* New object with the machine part filled in; argv is recorded verbatim. */
json_object *xl_context_new(int argc, char **argv);
/* Write obj to path atomically (pretty-printed). */
int xl_json_write(const char *path, json_object *obj);

#endif
