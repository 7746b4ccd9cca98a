// SPDX-License-Identifier: GPL-2.0
/*
 * lb_ctl.c - write the XDP load balancer's configuration: outer-header
 * settings, reals, and per-VIP Maglev rings (built by maglev.c, written with
 * one batched map update per VIP rather than 65537 syscalls).
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lb_ctl.h"
#include "maglev.h"

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	return map ? bpf_map__fd(map) : -ENOENT;
}

int xl_lb_maps_find(struct bpf_object *obj, struct xl_lb_maps *m)
{
	m->vips = map_fd(obj, "xl_lb_vips");
	m->reals = map_fd(obj, "xl_lb_reals");
	m->ring = map_fd(obj, "xl_lb_ring");
	m->ctl = map_fd(obj, "xl_lb_ctl");
	return m->vips < 0 || m->reals < 0 || m->ring < 0 || m->ctl < 0 ? -ENOENT : 0;
}

int xl_lb_set_ctl(const struct xl_lb_maps *m, const struct xl_lb_ctl *ctl)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(m->ctl, &zero, ctl, BPF_ANY) ? -errno : 0;
}

int xl_lb_set_real(const struct xl_lb_maps *m, uint32_t id, uint32_t addr)
{
	struct xl_lb_real real = { .addr = addr };

	if (id >= XL_LB_MAX_REALS)
		return -EINVAL;
	return bpf_map_update_elem(m->reals, &id, &real, BPF_ANY) ? -errno : 0;
}

int xl_lb_set_vip(const struct xl_lb_maps *m, const struct xl_lb_vip_key *key, uint32_t num,
		  const uint32_t *real_ids, uint32_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct xl_lb_vip vip = { .num = num };
	uint32_t *addrs = NULL, *table = NULL, *slots = NULL, count = XL_LB_RING_SIZE;
	struct xl_lb_real real;
	int err = -EINVAL;

	if (num >= XL_LB_MAX_VIPS || !n || n > XL_LB_MAX_REALS || key->pad)
		return -EINVAL;
	addrs = calloc(n, sizeof(*addrs));
	table = calloc(XL_LB_RING_SIZE, sizeof(*table));
	slots = calloc(XL_LB_RING_SIZE, sizeof(*slots));
	if (!addrs || !table || !slots) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (real_ids[i] >= XL_LB_MAX_REALS ||
		    bpf_map_lookup_elem(m->reals, &real_ids[i], &real) || !real.addr) {
			err = -ENOENT;
			goto out;
		}
		addrs[i] = real.addr;
	}
	err = xl_maglev_build(addrs, n, XL_LB_RING_SIZE, table);
	if (err)
		goto out;
	/* Maglev yields positions in real_ids[]; the ring stores the ids, at global keys. */
	for (uint32_t s = 0; s < XL_LB_RING_SIZE; s++) {
		slots[s] = num * XL_LB_RING_SIZE + s;
		table[s] = real_ids[table[s]];
	}
	if (bpf_map_update_batch(m->ring, slots, table, &count, &opts)) {
		err = -errno;
		goto out;
	}
	err = bpf_map_update_elem(m->vips, key, &vip, BPF_ANY) ? -errno : 0;
out:
	free(slots);
	free(table);
	free(addrs);
	return err;
}

int xl_lb_del_vip(const struct xl_lb_maps *m, const struct xl_lb_vip_key *key)
{
	return bpf_map_delete_elem(m->vips, key) ? -errno : 0;
}
