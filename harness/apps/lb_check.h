/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lb_check.h - read the load balancer's checking sink (progs/
 * xdp_lb_check.bpf.c, maps in progs/xl_lbcheck.h): frame classes, flows that
 * moved between reals, frames per real, and the spread of flows over reals.
 */
#ifndef XL_LB_CHECK_H
#define XL_LB_CHECK_H

#include <stdint.h>

struct bpf_object;

struct xl_lbchk_result {
	uint64_t ipip, plain, other, malformed, moved, untracked; /* frames, summed over CPUs */
	uint32_t flows; /* entries of the flow map */
	uint32_t reals_hit; /* distinct reals among the flows' first reals */
	/* Flows per real, over the reals_hit reals (0 if no flow). */
	uint32_t flows_per_real_min, flows_per_real_max;
	double flows_per_real_median;
};

/* Aggregate the checker's maps into r: 0, -ENOENT (not the checker's object), -errno. */
int xl_lbchk_read(struct bpf_object *obj, struct xl_lbchk_result *r);
/*
 * Per-real frame counts: fn(real address, network order; frames summed over
 * CPUs; ctx) for each real seen.  A non-zero return of fn stops the walk and
 * is returned.
 */
int xl_lbchk_foreach_real(struct bpf_object *obj,
			  int (*fn)(uint32_t real, uint64_t frames, void *ctx), void *ctx);
/* Empty every map (the start of a measured interval): 0 or -errno. */
int xl_lbchk_reset(struct bpf_object *obj);

#endif
