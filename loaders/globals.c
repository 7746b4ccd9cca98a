// SPDX-License-Identifier: GPL-2.0
/* globals.c - `const volatile` globals of any BPF object set by name through BTF. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "globals.h"

static struct bpf_map *rodata_map(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const char *n = bpf_map__name(m);
		size_t len = strlen(n);

		if (bpf_map__is_internal(m) && len >= 7 && !strcmp(n + len - 7, ".rodata"))
			return m;
	}
	return NULL;
}

static int put_var(const struct btf *btf, const struct btf_type *sec, const char *name, long long v,
		   uint8_t *data, size_t size)
{
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);

	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		if (vs->offset + vs->size > size)
			return -EINVAL;
		switch (vs->size) {
		case 1:
			if (v < INT8_MIN || v > UINT8_MAX)
				return -ERANGE;
			*(uint8_t *)(data + vs->offset) = v;
			return 0;
		case 2:
			if (v < INT16_MIN || v > UINT16_MAX)
				return -ERANGE;
			*(uint16_t *)(data + vs->offset) = v;
			return 0;
		case 4:
			if (v < INT32_MIN || v > UINT32_MAX)
				return -ERANGE;
			*(uint32_t *)(data + vs->offset) = v;
			return 0;
		case 8: *(uint64_t *)(data + vs->offset) = v; return 0;
		default: return -EINVAL;
		}
	}
	return -ENOENT;
}

int xl_obj_set_rodata(struct bpf_object *obj, const char *name, const char *value)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *m = rodata_map(obj);
	const struct btf_type *sec;
	long long v;
	char *end;
	size_t size;
	const void *init;
	uint8_t *data;
	int id, err;

	if (!btf || !m)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	errno = 0;
	v = strtoll(value, &end, 0);
	if (errno || end == value || *end)
		return -EINVAL;
	/* libbpf hands out the initial value read-only: change a copy and set it back. */
	init = bpf_map__initial_value(m, &size);
	if (!init)
		return -ENOENT;
	data = malloc(size);
	if (!data)
		return -ENOMEM;
	memcpy(data, init, size);
	err = put_var(btf, sec, name, v, data, size);
	if (!err)
		err = bpf_map__set_initial_value(m, data, size);
	free(data);
	return err;
}
