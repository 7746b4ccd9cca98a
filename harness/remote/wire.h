/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire.h - the agent protocol's framing: one JSON object per line, each way.
 * xdplab sends a request {"op": NAME, ...}; the agent answers each with one
 * line {"ok": true, ...} or {"ok": false, "error": TEXT, "exit": CODE}.  No
 * side ever reads text meant for people (the agent's messages go to stderr,
 * which xdplab copies into the run log).
 */
#ifndef XL_WIRE_H
#define XL_WIRE_H

#include <stddef.h>
#include <json-c/json.h>

#define XL_WIRE_MAX (1 << 20)
/* Per-frame address lists a remote generator takes (two of them fit one line). */
#define XL_REMOTE_MAX_ADDRS 16384

struct xl_wire {
	int fd;
	char *buf;
	size_t len, cap;
};

void xl_wire_init(struct xl_wire *w, int fd);
void xl_wire_free(struct xl_wire *w);
/*
 * Next line of fd as a JSON object, waiting up to timeout_ms (-1: forever).
 * Returns 1 with *obj set, 0 on timeout, -EPIPE at end of input, -EPROTO for a
 * line that is no JSON object or too long, other -errno on read errors.
 */
int xl_wire_read(struct xl_wire *w, int timeout_ms, json_object **obj);
/*
 * The git commit both ends compare, from this one object file (each object
 * holds the commit it was compiled at; one place keeps both ends consistent).
 */
const char *xl_wire_commit(void);
/*
 * SHA-256 of this process's binary (hex), the other half of the build check.
 * By path: sha256sum would read its own /proc/self/exe.
 */
int xl_wire_self_sha256(char *out, size_t len);
/* A JSON array of the n ints of v (CPU lists, roles). */
json_object *xl_wire_ints(const int *v, int n);
/* A new request {"op": op}. */
json_object *xl_wire_req(const char *op);
/* Write obj as one line to fd (all of it); 0 or -errno. */
int xl_wire_write(int fd, json_object *obj);

#endif
