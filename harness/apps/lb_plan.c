// SPDX-License-Identifier: GPL-2.0
/*
 * lb_plan.c - make the load-balancer experiment's address plan and write it
 * into the XDP load balancer.  Reals are numbered into 198.19.0.0/16 in
 * order, skipping .0 and .255 of each /24 (254 per /24).  Sources are a seeded
 * partial Fisher-Yates shuffle of the same 65,024 host numbers of
 * 198.18.0.0/16, so they are distinct and the draw depends on the seed only
 * (splitmix64, no libc random()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "lb_plan.h"

#define VIP_BASE 0xcb00710au /* 203.0.113.10 */
#define REAL_NET 0xc6130000u /* 198.19.0.0/16 */
#define SRC_NET 0xc6120000u /* 198.18.0.0/16 */
#define HOSTS_PER_24 254u /* .1 .. .254 */
#define HOSTS_PER_16 (256u * HOSTS_PER_24)

/* Host number n (0 .. HOSTS_PER_16 - 1) of a /16, skipping .0 and .255: host order. */
static uint32_t host_addr(uint32_t net, uint32_t n)
{
	return net | (n / HOSTS_PER_24) << 8 | (n % HOSTS_PER_24 + 1);
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int xl_lb_plan_make(struct xl_lb_plan *p, uint32_t nvips, uint32_t nreals, uint32_t nsrcs,
		    uint32_t seed)
{
	uint32_t max_addrs =
		XL_LB_MAX_REALS < XL_LB_PLAN_MAX_ADDRS ? XL_LB_MAX_REALS : XL_LB_PLAN_MAX_ADDRS;
	uint64_t total = (uint64_t)nvips * nreals, rng = seed;
	uint32_t *pool;

	memset(p, 0, sizeof(*p));
	if (!nvips || nvips > XL_LB_MAX_VIPS || !total || total > max_addrs || !nsrcs ||
	    nsrcs > XL_LB_PLAN_MAX_SRCS)
		return -EINVAL;
	p->reals = calloc(total, sizeof(*p->reals));
	p->srcs = calloc(nsrcs, sizeof(*p->srcs));
	pool = calloc(HOSTS_PER_16, sizeof(*pool));
	if (!p->reals || !p->srcs || !pool) {
		free(pool);
		xl_lb_plan_free(p);
		return -ENOMEM;
	}
	p->nvips = nvips;
	p->nreals = nreals;
	p->nsrcs = nsrcs;
	p->proto = IPPROTO_UDP;
	p->port = htons(XL_LB_PLAN_PORT);
	for (uint32_t v = 0; v < nvips; v++)
		p->vip[v] = htonl(VIP_BASE + v);
	for (uint32_t r = 0; r < total; r++)
		p->reals[r] = htonl(host_addr(REAL_NET, r));
	for (uint32_t i = 0; i < HOSTS_PER_16; i++)
		pool[i] = i;
	/* Position i takes a random one of the pool's remaining entries i .. end. */
	for (uint32_t i = 0; i < nsrcs; i++) {
		uint32_t j = i + (uint32_t)(splitmix64(&rng) % (HOSTS_PER_16 - i)), t = pool[j];

		pool[j] = pool[i];
		pool[i] = t;
		p->srcs[i] = htonl(host_addr(SRC_NET, t));
	}
	free(pool);
	return 0;
}

void xl_lb_plan_free(struct xl_lb_plan *p)
{
	free(p->reals);
	free(p->srcs);
	p->reals = p->srcs = NULL;
	p->nreals = p->nsrcs = p->nvips = 0;
}

int xl_lb_plan_apply(const struct xl_lb_maps *m, const struct xl_lb_plan *p,
		     const struct xl_lb_ctl *ctl)
{
	uint32_t total = p->nvips * p->nreals, *ids;
	int err;

	if (!p->reals || !total)
		return -EINVAL;
	ids = calloc(total, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	err = xl_lb_set_ctl(m, ctl);
	for (uint32_t r = 0; r < total && !err; r++) {
		ids[r] = r;
		err = xl_lb_set_real(m, r, p->reals[r]);
	}
	for (uint32_t v = 0; v < p->nvips && !err; v++) {
		struct xl_lb_vip_key key = { .addr = p->vip[v],
					     .port = p->port,
					     .proto = p->proto };

		err = xl_lb_set_vip(m, &key, v, ids + v * p->nreals, p->nreals);
	}
	free(ids);
	return err;
}
