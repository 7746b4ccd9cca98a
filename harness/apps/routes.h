/* SPDX-License-Identifier: GPL-2.0 */
/*
 * routes.h - a synthetic, full-size IPv4 routing table for the XDP router
 * experiment (the paper loaded a 752,138-route BGP dump): N unique prefixes,
 * deterministic from a seed, with the prefix-length mix of the 2018 global
 * BGP table, never overlapping reserved or documentation ranges; and K
 * destination addresses that the table covers.  Loading the table into a
 * namespace is in routes_load.h.  Addresses are host byte order throughout.
 */
#ifndef XL_ROUTES_H
#define XL_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XL_ROUTES_PAPER 752138 /* routes in the paper's BGP dump */
#define XL_ROUTES_DESTS 4000 /* destinations of the router experiment */

struct xl_route {
	uint32_t addr; /* network address: host bits are zero */
	uint8_t len;
};

struct xl_route_table {
	struct xl_route *r; /* sorted by (addr, len) */
	size_t n;
};

/* One prefix length and its share of the table, in parts per million. */
struct xl_prefix_share {
	uint8_t len;
	uint32_t ppm;
};

/* The target mix (shares sum to 1,000,000), and its number of entries. */
extern const struct xl_prefix_share xl_bgp_mix[];
extern const size_t xl_bgp_mix_len;

/* How many of n routes have length len under the mix (largest remainder). */
size_t xl_routes_target(size_t n, uint8_t len);
/* True if addr/len overlaps (contains or lies in) a range never to be routed. */
bool xl_routes_forbidden(uint32_t addr, uint8_t len);

/* Generate n routes from seed.  0, -ENOMEM, or -ENOSPC if the mix cannot hold n. */
int xl_routes_generate(size_t n, uint64_t seed, struct xl_route_table *t);
void xl_routes_free(struct xl_route_table *t);

/*
 * k destinations (k <= t->n), each a host address inside a different route
 * of t, picked from seed; the network and broadcast addresses of the route
 * are avoided.  0 or -EINVAL.
 */
int xl_routes_pick_dests(const struct xl_route_table *t, size_t k, uint64_t seed, uint32_t *out);

#endif
