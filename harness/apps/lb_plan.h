/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lb_plan.h - the address plan of the load-balancer experiment, shared by the
 * XDP load balancer (written into its maps here), the Linux-stack baseline
 * (lb_linux.c), the traffic generator (the sources) and the checking sink:
 * VIPs in TEST-NET-3, reals in the RFC 2544 benchmarking range 198.19.0.0/16,
 * and random client sources in 198.18.0.0/16, all drawn from a seed.
 */
#ifndef XL_LB_PLAN_H
#define XL_LB_PLAN_H

#include <stdint.h>
#include "xl_lb.h"
#include "lb_ctl.h"

#define XL_LB_PLAN_PORT 80 /* VIP port, host order */
#define XL_LB_PLAN_MAX_ADDRS 16000 /* cap on nvips * nreals, and below it XL_LB_MAX_REALS */
#define XL_LB_PLAN_MAX_SRCS 65000

struct xl_lb_plan {
	uint32_t nvips, nreals, nsrcs; /* nreals = reals PER VIP */
	uint8_t proto; /* IPPROTO_UDP */
	uint16_t port; /* network order */
	uint32_t vip[XL_LB_MAX_VIPS]; /* network order: 203.0.113.10 + i (TEST-NET-3) */
	/*
	 * nvips * nreals, network order; real j of VIP v is at [v * nreals + j]:
	 * 198.19.0.0/16, distinct, never .0 or .255 in the last octet.
	 */
	uint32_t *reals;
	uint32_t *srcs; /* nsrcs distinct sources in 198.18.0.0/16 from the seed, network order */
};

/*
 * Make the plan: 0, -EINVAL (nvips not in 1..XL_LB_MAX_VIPS, nvips * nreals
 * not in 1..min(XL_LB_MAX_REALS, XL_LB_PLAN_MAX_ADDRS), nsrcs not in
 * 1..XL_LB_PLAN_MAX_SRCS) or -ENOMEM.  The same arguments give the same plan.
 */
int xl_lb_plan_make(struct xl_lb_plan *p, uint32_t nvips, uint32_t nreals, uint32_t nsrcs,
		    uint32_t seed);
void xl_lb_plan_free(struct xl_lb_plan *p);
/*
 * Write the plan into the XDP LB's maps (lb_ctl.c): ctl, every real (id
 * v * nreals + j), every VIP (ring slice v) with its Maglev ring.  0 or -errno.
 */
int xl_lb_plan_apply(const struct xl_lb_maps *m, const struct xl_lb_plan *p,
		     const struct xl_lb_ctl *ctl);

#endif
