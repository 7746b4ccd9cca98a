/* SPDX-License-Identifier: GPL-2.0 */
/*
 * routes_load.h - put a synthetic routing table (routes.h) into a network
 * namespace's main table and take it out again, or write it as `ip -batch`
 * input for use by hand.  Routes are tagged with protocol XL_ROUTES_PROTO
 * (249, no daemon's), so removal takes exactly them and never the testbed's own
 * connected routes.
 */
#ifndef XL_ROUTES_LOAD_H
#define XL_ROUTES_LOAD_H

#include <stdio.h>
#include "routes.h"

/*
 * Not RTPROT_BGP (186): on an existing testbed the DUT may run a BGP daemon, and
 * removing "our" routes by protocol must never take its routes.  249 is in the
 * range no routing daemon registers (iproute2's rt_protos stops well below).
 */
#define XL_ROUTES_PROTO 249
#define XL_ROUTES_PROTO_STR "249"

/*
 * Write the table as `ip -batch` input, one "route add P via GW [dev DEV]
 * proto 249" line per route.  gw is the next hop (an IPv4 address string),
 * dev may be NULL (the kernel then picks the device that reaches gw).
 * 0 or -EIO.
 */
int xl_routes_write_batch(FILE *f, const struct xl_route_table *t, const char *gw, const char *dev);
/*
 * Add every route of t, via gw [dev DEV], to the main table of namespace ns
 * (NULL = the caller's own).  Stops at the first route the kernel refuses and
 * returns its -errno (-EEXIST: route exists, -ENETUNREACH: gw not on a
 * connected net, -ENODEV: no such dev); -EINVAL for a bad gw.  Routes added
 * before a failure stay: xl_routes_unload() removes them.
 */
int xl_routes_load(const char *ns, const struct xl_route_table *t, const char *gw, const char *dev);
/* Remove every route of protocol XL_ROUTES_PROTO from ns's main table. 0 or -EIO. */
int xl_routes_unload(const char *ns);

#endif
