/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lb_ctl.h - control plane of the XDP load balancer (progs/xdp_lb.bpf.c):
 * write the LB's outer-header settings, the real servers, and a VIP with its
 * Maglev table into the program's maps.  Layouts are in progs/xl_lb.h.
 */
#ifndef XL_LB_CTL_H
#define XL_LB_CTL_H

#include <stdint.h>
#include "xl_lb.h"

struct bpf_object;

struct xl_lb_maps {
	int vips;
	int reals;
	int ring;
	int ctl;
};

/* Find the LB's maps in a loaded object; -ENOENT if one is missing. */
int xl_lb_maps_find(struct bpf_object *obj, struct xl_lb_maps *m);
int xl_lb_set_ctl(const struct xl_lb_maps *m, const struct xl_lb_ctl *ctl);
/* Real slot id (< XL_LB_MAX_REALS) gets IPv4 address addr (network order; 0 frees it). */
int xl_lb_set_real(const struct xl_lb_maps *m, uint32_t id, uint32_t addr);
/*
 * Serve VIP key with ring slice num (< XL_LB_MAX_VIPS) over the n reals
 * real_ids[], which must be set already: their addresses are the Maglev keys,
 * so a real keeps its slots whatever its id or position in the list.  The ring
 * is written before the VIP is inserted, so a new VIP never serves from a
 * half-written table.  Returns 0 or -errno (-ENOENT for an unset real).
 */
int xl_lb_set_vip(const struct xl_lb_maps *m, const struct xl_lb_vip_key *key, uint32_t num,
		  const uint32_t *real_ids, uint32_t n);
int xl_lb_del_vip(const struct xl_lb_maps *m, const struct xl_lb_vip_key *key);

#endif
