/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtquery.h - the two questions the preflight asks the kernel's IPv4 tables of
 * a namespace, through rtnetlink (no `ip` output is parsed): where does a route
 * lookup for an address lead (RTM_GETROUTE, what `ip route get` does), and
 * which link-layer address does a neighbour entry hold (RTM_GETNEIGH).
 */
#ifndef XL_RTQUERY_H
#define XL_RTQUERY_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

struct xl_rt_route {
	int oif; /* output interface index */
	struct in_addr gw; /* next hop; 0 = the destination is on the link */
	bool local; /* the destination is an address of the namespace itself (RTN_LOCAL) */
};

/* Output route lookup for dst in namespace ns (NULL = here): 0, or -errno (-ENETUNREACH). */
int xl_rt_route_get(const char *ns, struct in_addr dst, struct xl_rt_route *out);
/* Neighbour entry of dst on ifindex: 0 with mac and NUD state, -ENOENT if there is none. */
int xl_rt_neigh_get(const char *ns, int ifindex, struct in_addr dst, uint8_t mac[6],
		    uint16_t *state);

#endif
