// SPDX-License-Identifier: GPL-2.0
/* wire_lbchk.c - the load-balancer check's result on the wire (wire_lbchk.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "wire_lbchk.h"

enum fld_type {
	U64,
	U32,
	DBL
};

static const struct {
	const char *key;
	size_t off;
	enum fld_type type;
} fields[] = {
#define F(name, type)                                               \
	{                                                           \
#name, offsetof(struct xl_lbchk_result, name), type \
	}
	F(ipip, U64),
	F(plain, U64),
	F(other, U64),
	F(malformed, U64),
	F(moved, U64),
	F(untracked, U64),
	F(flows, U32),
	F(reals_hit, U32),
	F(flows_per_real_min, U32),
	F(flows_per_real_max, U32),
	F(flows_per_real_median, DBL),
#undef F
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

void xl_wire_lbchk_put(json_object *rep, const struct xl_lbchk_result *r)
{
	const char *base = (const char *)r;

	for (size_t i = 0; i < NFIELDS; i++) {
		const void *p = base + fields[i].off;
		json_object *v = fields[i].type == U64
					 ? json_object_new_int64((int64_t) * (const uint64_t *)p)
				 : fields[i].type == U32
					 ? json_object_new_int64(*(const uint32_t *)p)
					 : json_object_new_double(*(const double *)p);

		json_object_object_add(rep, fields[i].key, v);
	}
}

int xl_wire_lbchk_get(json_object *rep, struct xl_lbchk_result *r)
{
	char *base = (char *)r;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < NFIELDS; i++) {
		void *p = base + fields[i].off;
		json_object *v;

		if (!json_object_object_get_ex(rep, fields[i].key, &v))
			return -EPROTO;
		if (fields[i].type == U64)
			*(uint64_t *)p = (uint64_t)json_object_get_int64(v);
		else if (fields[i].type == U32)
			*(uint32_t *)p = (uint32_t)json_object_get_int64(v);
		else
			*(double *)p = json_object_get_double(v);
	}
	return 0;
}
