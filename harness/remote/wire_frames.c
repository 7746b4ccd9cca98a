// SPDX-License-Identifier: GPL-2.0
/* wire_frames.c - a capture's frames on the wire, as hex (wire_frames.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "wire_frames.h"
#include "xl_err.h"

static const char hexd[] = "0123456789abcdef";

static int nibble(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

json_object *xl_wire_frames_req(const struct xl_frames *fr, unsigned int first)
{
	json_object *req = json_object_new_object(), *a = json_object_new_array();
	char buf[2 * XL_REPLAY_MAX_LEN + 1];

	json_object_object_add(req, "op", json_object_new_string("gen-frames"));
	json_object_object_add(req, "total", json_object_new_int(fr->n));
	json_object_object_add(req, "first", json_object_new_int(first));
	for (unsigned int i = first; i < fr->n && i < first + XL_WIRE_FRAMES_PER_REQ; i++) {
		const struct xl_replay_frame *f = &fr->f[i];

		for (uint32_t k = 0; k < f->len; k++) {
			buf[2 * k] = hexd[f->data[k] >> 4];
			buf[2 * k + 1] = hexd[f->data[k] & 15];
		}
		buf[2 * f->len] = 0;
		json_object_array_add(a, json_object_new_string(buf));
	}
	json_object_object_add(req, "frames", a);
	return req;
}

/* The statistics replay.h keeps, over the frames taken. */
static void frames_stats(struct xl_frames *fr)
{
	double sum = 0;

	fr->min_len = UINT32_MAX;
	fr->max_len = 0;
	for (unsigned int i = 0; i < fr->n; i++) {
		uint32_t l = fr->f[i].len;

		sum += l;
		fr->min_len = l < fr->min_len ? l : fr->min_len;
		fr->max_len = l > fr->max_len ? l : fr->max_len;
	}
	fr->mean_len = fr->n ? sum / fr->n : 0;
}

int xl_wire_frames_take(json_object *req, struct xl_frames *fr)
{
	json_object *v, *a;
	int total, first;
	size_t n;

	total = json_object_object_get_ex(req, "total", &v) ? json_object_get_int(v) : 0;
	first = json_object_object_get_ex(req, "first", &v) ? json_object_get_int(v) : -1;
	if (!json_object_object_get_ex(req, "frames", &a) ||
	    !json_object_is_type(a, json_type_array) || total < 1 || total > XL_REPLAY_MAX_FRAMES ||
	    first < 0)
		return xl_fail(XL_EXIT_USAGE, "gen-frames: malformed request");
	if (first == 0) {
		xl_frames_free(fr);
		memset(fr, 0, sizeof(*fr));
		fr->f = calloc(total, sizeof(*fr->f));
		if (!fr->f)
			return xl_fail(XL_EXIT_FAIL, "gen-frames: out of memory");
		fr->n = 0;
	}
	n = json_object_array_length(a);
	if (!fr->f || (unsigned int)first != fr->n || first + n > (size_t)total)
		return xl_fail(XL_EXIT_USAGE, "gen-frames: frames %d.. out of order", first);
	for (size_t i = 0; i < n; i++) {
		const char *h = json_object_get_string(json_object_array_get_idx(a, i));
		size_t len = h ? strlen(h) : 0;
		struct xl_replay_frame *f = &fr->f[first + i];

		if (!len || len % 2 || len / 2 > XL_REPLAY_MAX_LEN)
			return xl_fail(XL_EXIT_USAGE, "gen-frames: frame %zu malformed", first + i);
		for (size_t k = 0; k < len / 2; k++) {
			int hi = nibble(h[2 * k]), lo = nibble(h[2 * k + 1]);

			if (hi < 0 || lo < 0)
				return xl_fail(XL_EXIT_USAGE, "gen-frames: frame %zu malformed",
					       first + i);
			f->data[k] = hi << 4 | lo;
		}
		f->len = len / 2;
	}
	fr->n = first + n;
	frames_stats(fr);
	return 0;
}
