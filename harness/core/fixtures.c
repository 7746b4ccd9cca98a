// SPDX-License-Identifier: GPL-2.0
/* fixtures.c - an experiment's routing table and destination frames (fixtures.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "fixtures.h"
#include "apps/lb_plan.h"
#include "apps/routes.h"
#include "apps/tcp_rr.h"
#include "netns.h"
#include "apps/routes_load.h"
#include "gen/pkt.h"
#include "remote/remote.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"
#include "xl_spawn.h"

/* Slab memory of the machine, kB (the routes' memory is its growth); -1 unknown. */
static long slab_kb(void)
{
	char buf[8192], *p;
	FILE *f = fopen("/proc/meminfo", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strstr(buf, "\nSlab:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

/* The namespace of the DUT's routing table; NULL = the caller's own (an existing testbed). */
static const char *dut_ns(const struct xl_testbed *tb)
{
	const char *ns = xl_port_ns(tb, XL_ROLE_DUT_OUT);

	return ns && ns[0] ? ns : NULL;
}

/*
 * ip route add PREFIX via GW dev DEV proto XL_ROUTES_PROTO in ns (flushed by
 * protocol).  GW needs a route of its own out of DEV: on an existing testbed
 * the preflight checks it (route-back).
 */
static int add_route(const char *ns, const char *prefix, struct in_addr gw, const char *dev)
{
	char via[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &gw, via, sizeof(via));
	return xl_run_ns(ns, "ip", "route", "add", prefix, "via", via, "dev", dev, "proto",
			 XL_ROUTES_PROTO_STR, NULL)
		       ? -EIO
		       : 0;
}

/*
 * The load balancer's plan: VIPs, reals, clients (apps/lb_plan.h).  The
 * generator sends from the clients to the VIPs; the DUT routes the reals'
 * range and the clients' range back toward the generator (one-armed, as
 * Katran: the balanced frames leave by the port they came in on, where the
 * checking sink sits).
 */
static int lb_setup(struct xl_run *run, const struct xl_exp_cfg *x)
{
	const struct xl_testbed *tb = run->tb;
	const char *ns = dut_ns(tb);
	struct xl_lb_plan *p = calloc(1, sizeof(*p));
	json_object *note;
	int err;

	if (!p)
		return xl_fail(XL_EXIT_FAIL, "out of memory");
	err = xl_lb_plan_make(p, x->lb_vips, x->lb_reals, x->src_addrs, XL_ROUTES_SEED);
	if (err) {
		free(p);
		return xl_fail(XL_EXIT_CONFIG,
			       "[experiment %s]: no load-balancer plan for %ld VIPs "
			       "x %ld reals, %ld clients: %s",
			       x->name, x->lb_vips, x->lb_reals, x->src_addrs, strerror(-err));
	}
	run->lb = p;
	/*
	 * Client i always asks VIP i mod nvips: destinations in step with the sources,
	 * so a flow (client, port) has one VIP even after the Linux balancer's DNAT
	 * has rewritten it (the checking sink tells flows apart by client and port).
	 */
	run->addrs = calloc(p->nsrcs, sizeof(*run->addrs));
	if (!run->addrs)
		return xl_fail(XL_EXIT_FAIL, "out of memory");
	for (uint32_t i = 0; i < p->nsrcs; i++)
		run->addrs[i] = p->vip[i % p->nvips];
	run->naddrs = p->nsrcs;
	run->srcs = p->srcs;
	run->nsrcs = p->nsrcs;
	run->fixture_undo = xl_undo_add("cmd", ns ? ns : "-", "ip", "route", "flush", "proto",
					XL_ROUTES_PROTO_STR, NULL);
	if (add_route(ns, "198.19.0.0/16", tb->port[XL_ROLE_GEN].ip,
		      tb->port[XL_ROLE_DUT_IN].ifname) ||
	    add_route(ns, "198.18.0.0/16", tb->port[XL_ROLE_GEN].ip,
		      tb->port[XL_ROLE_DUT_IN].ifname))
		return xl_fail(XL_EXIT_ENV,
			       "[experiment %s]: cannot route the load balancer's "
			       "reals and clients in the DUT (see run.log)",
			       x->name);
	note = json_object_new_object();
	json_object_object_add(note, "lb_vips", json_object_new_int64(p->nvips));
	json_object_object_add(note, "lb_reals_per_vip", json_object_new_int64(p->nreals));
	json_object_object_add(note, "src_addrs", json_object_new_int64(p->nsrcs));
	json_object_object_add(note, "seed", json_object_new_int(XL_ROUTES_SEED));
	json_object_object_add(
		note, "what",
		json_object_new_string(
			"VIPs 203.0.113.10+, reals in 198.19.0.0/16 (routed back out of dut-in: one-armed), "
			"clients in 198.18.0.0/16, UDP to port 80"));
	json_object_object_add(xl_run_load_note(run, x->name), "fixture", note);
	return 0;
}

/*
 * The request/response workload's return link (apps/tcp_rr.h): a veth pair
 * rr-gen (generator namespace, the client's address) -- rr-dut (DUT
 * namespace, a host route to the client, a permanent neighbour).  Deleting
 * rr-dut deletes its peer: one undo entry.
 */
static int rr_setup(struct xl_run *run, const struct xl_exp_cfg *x)
{
	const struct xl_testbed *tb = run->tb;
	const char *gns = xl_port_ns(tb, XL_ROLE_GEN), *dns = xl_port_ns(tb, XL_ROLE_DUT_IN);
	unsigned char mac[6];
	char macs[18], host[32];
	int err;

	/* Two hosts: the answers go back over the DUT host's route to the generator's (remote_rr.c). */
	if (xl_remote_role(XL_ROLE_GEN))
		return 0;
	if (!gns || !dns)
		return xl_fail(XL_EXIT_CONFIG,
			       "[experiment %s]: kind = rr needs the generator and "
			       "the DUT in network namespaces (a return link is made between them)",
			       x->name);
	snprintf(host, sizeof(host), "%s/32", XL_RR_CLIENT_ADDR);
	err = xl_run_ns(dns, "ip", "link", "add", XL_RR_LINK_DUT, "type", "veth", "peer", "name",
			XL_RR_LINK_GEN, "netns", gns, NULL);
	if (err)
		return xl_fail(XL_EXIT_ENV,
			       "[experiment %s]: cannot make the return link "
			       "(see run.log)",
			       x->name);
	run->rr_undo = xl_undo_add("cmd", dns, "ip", "link", "del", XL_RR_LINK_DUT, NULL);
	err = xl_run_ns(gns, "ip", "addr", "add", host, "dev", XL_RR_LINK_GEN, NULL) ||
	      xl_run_ns(gns, "ip", "link", "set", XL_RR_LINK_GEN, "up", NULL) ||
	      xl_run_ns(dns, "ip", "link", "set", XL_RR_LINK_DUT, "up", NULL) ||
	      xl_run_ns(dns, "ip", "route", "add", host, "dev", XL_RR_LINK_DUT, NULL) ||
	      xl_ns_mac(gns, XL_RR_LINK_GEN, mac);
	if (!err) {
		snprintf(macs, sizeof(macs), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
			 mac[2], mac[3], mac[4], mac[5]);
		err = xl_run_ns(dns, "ip", "neigh", "replace", XL_RR_CLIENT_ADDR, "lladdr", macs,
				"dev", XL_RR_LINK_DUT, "nud", "permanent", NULL);
	}
	return err ? xl_fail(XL_EXIT_ENV,
			     "[experiment %s]: cannot set up the return link "
			     "(see run.log)",
			     x->name)
		   : 0;
}

int xl_fixture_setup(struct xl_run *run, const struct xl_exp_cfg *x)
{
	const struct xl_testbed *tb = run->tb;
	const char *ns = dut_ns(tb), *dev = tb->port[XL_ROLE_DUT_OUT].ifname;
	struct xl_route_table t = {}, one = { .r = &(struct xl_route){ 0, 0 }, .n = 1 };
	size_t n = x->routes > x->dst_addrs ? x->routes : x->dst_addrs;
	json_object *note = json_object_new_object();
	uint32_t *dst = NULL;
	char gw[INET_ADDRSTRLEN];
	long slab0, slab1;
	double load_s;
	uint64_t t0;
	int err;

	if (x->lb_vips) {
		json_object_put(note);
		return lb_setup(run, x);
	}
	if (x->kind == XL_KIND_RR) {
		json_object_put(note);
		return rr_setup(run, x);
	}
	if (!x->routes)
		return 0;
	inet_ntop(AF_INET, &tb->port[XL_ROLE_SINK].ip, gw, sizeof(gw));
	err = xl_routes_generate(n, XL_ROUTES_SEED, &t);
	if (err)
		return xl_fail(XL_EXIT_FAIL, "[experiment %s]: cannot generate %zu routes: %s",
			       x->name, n, strerror(-err));
	/* A crash must not leave the table behind on an existing testbed. */
	run->fixture_undo = xl_undo_add("cmd", ns ? ns : "-", "ip", "route", "flush", "proto",
					XL_ROUTES_PROTO_STR, NULL);
	slab0 = slab_kb();
	t0 = xl_now_ns();
	err = xl_routes_load(ns, x->routes == 1 ? &one : &t, gw, dev);
	load_s = (xl_now_ns() - t0) / 1e9;
	if (err) {
		xl_routes_free(&t);
		json_object_put(note);
		return xl_fail(XL_EXIT_FAIL,
			       "[experiment %s]: loading %ld routes via %s dev %s: %s", x->name,
			       x->routes, gw, dev, strerror(-err));
	}
	json_object_object_add(note, "routes", json_object_new_int64(x->routes));
	json_object_object_add(
		note, "what",
		json_object_new_string(x->routes == 1 ? "one default route"
						      : "synthetic table, BGP prefix-length mix"));
	json_object_object_add(note, "seed", json_object_new_int(XL_ROUTES_SEED));
	json_object_object_add(note, "load_s", json_object_new_double(load_s));
	slab1 = slab_kb();
	if (slab0 >= 0 && slab1 >= 0)
		json_object_object_add(note, "slab_growth_kb",
				       json_object_new_int64(slab1 - slab0));
	xl_info("[experiment %s]: %ld route%s loaded in %.2f s", x->name, x->routes,
		x->routes == 1 ? "" : "s", load_s);
	if (x->dst_addrs) {
		dst = calloc(x->dst_addrs, sizeof(*dst));
		err = dst ? xl_routes_pick_dests(&t, x->dst_addrs, XL_ROUTES_SEED, dst) : -ENOMEM;
		for (long i = 0; !err && i < x->dst_addrs; i++)
			dst[i] = htonl(dst[i]); /* the generator writes them as they are */
		if (!err) {
			run->addrs = dst;
			run->naddrs = x->dst_addrs;
		} else {
			free(dst);
		}
		json_object_object_add(note, "dst_addrs", json_object_new_int64(x->dst_addrs));
	}
	xl_routes_free(&t);
	json_object_object_add(xl_run_load_note(run, x->name), "fixture", note);
	if (err)
		return xl_fail(XL_EXIT_FAIL, "[experiment %s]: destination frames: %s", x->name,
			       strerror(-err));
	return 0;
}

void xl_fixture_teardown(struct xl_run *run, const struct xl_exp_cfg *x)
{
	const char *ns = dut_ns(run->tb);

	free(run->addrs);
	run->addrs = NULL;
	run->naddrs = 0;
	run->srcs = NULL;
	run->nsrcs = 0;
	if (run->rr_undo > 0) {
		xl_undo_run(run->rr_undo);
		run->rr_undo = 0;
	}
	if (run->lb) {
		xl_lb_plan_free(run->lb);
		free(run->lb);
		run->lb = NULL;
	}
	if (!x->routes && !x->lb_vips)
		return;
	if (xl_routes_unload(ns))
		xl_warn("[experiment %s]: the routes could not all be removed", x->name);
	else if (run->fixture_undo > 0)
		xl_undo_drop(run->fixture_undo);
	run->fixture_undo = 0;
}
