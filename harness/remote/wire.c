// SPDX-License-Identifier: GPL-2.0
/* wire.c - JSON lines over a pipe, read with a deadline (wire.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wire.h"
#include "util.h"

void xl_wire_init(struct xl_wire *w, int fd)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
}

void xl_wire_free(struct xl_wire *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

/* A complete line already buffered: parse it and drop it from the buffer. */
static int take_line(struct xl_wire *w, json_object **obj)
{
	char *nl = w->len ? memchr(w->buf, '\n', w->len) : NULL;
	size_t used;

	if (!nl)
		return 0;
	*nl = 0;
	used = nl - w->buf + 1;
	*obj = json_tokener_parse(w->buf);
	memmove(w->buf, w->buf + used, w->len - used);
	w->len -= used;
	if (!*obj || !json_object_is_type(*obj, json_type_object)) {
		json_object_put(*obj);
		*obj = NULL;
		return -EPROTO;
	}
	return 1;
}

int xl_wire_read(struct xl_wire *w, int timeout_ms, json_object **obj)
{
	uint64_t end = xl_now_ns() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000000ull;
	int rc;

	*obj = NULL;
	for (;;) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };
		int wait = -1;
		ssize_t n;

		rc = take_line(w, obj);
		if (rc)
			return rc;
		if (w->len + 4096 > w->cap) {
			size_t cap = w->cap ? 2 * w->cap : 65536;
			char *b;

			if (cap > XL_WIRE_MAX)
				return -EPROTO;
			b = realloc(w->buf, cap);
			if (!b)
				return -ENOMEM;
			w->buf = b;
			w->cap = cap;
		}
		if (timeout_ms >= 0) {
			uint64_t now = xl_now_ns();

			if (now >= end)
				return 0;
			wait = (end - now) / 1000000 + 1;
		}
		rc = poll(&p, 1, wait);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc == 0)
			continue; /* the deadline check above ends it */
		n = read(w->fd, w->buf + w->len, w->cap - w->len - 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		w->len += n;
	}
}

int xl_wire_self_sha256(char *out, size_t len)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	out[0] = 0;
	if (n <= 0)
		return -errno;
	path[n] = 0;
	return xl_sha256_file(path, out, len);
}

json_object *xl_wire_ints(const int *v, int n)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int(v[i]));
	return a;
}

json_object *xl_wire_req(const char *op)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "op", json_object_new_string(op));
	return o;
}

const char *xl_wire_commit(void)
{
	return XL_GIT_COMMIT;
}

int xl_wire_write(int fd, json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(s), off = 0;
	char *line = malloc(len + 1);

	if (!line)
		return -ENOMEM;
	memcpy(line, s, len);
	line[len++] = '\n';
	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(line);
			return -errno;
		}
		off += n;
	}
	free(line);
	return 0;
}
