// SPDX-License-Identifier: GPL-2.0
/*
 * pf_route.c - the preflight checks of the DUT's IPv4 forwarding path, for the
 * systems the kernel routes: forwarding on, rp_filter passing the generator's
 * source, a route and a static neighbour entry toward the sink (out of
 * dut-out) or, for systems the kernel forwards back out of dut-in (the Linux
 * load balancer, one-armed), toward the generator (looked up over rtnetlink,
 * rtquery.h), and iptables working for the tables a system's rules
 * name.  Forwarding is fixed with sysctl, missing routes and neighbours with
 * `ip`; iptables only gets advice.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include "pf_internal.h"
#include "gen/pkt.h"
#include "netns.h"
#include "rtquery.h"
#include "xl_spawn.h"

/* Protocol of the routes a fix adds (not 249: the routing fixture flushes those). */
#define PF_ROUTE_PROTO "static"

enum pf_result pf_t_forwarding(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	long dev = pf_sys_knob(p, "/proc/sys/net/ipv4/conf/%s/forwarding", p->ifname);
	long all = pf_sys_knob(p, "/proc/sys/net/ipv4/%sip_forward", "");

	(void)st;
	/* Writing ip_forward=1 (the system does) turns forwarding on for every device. */
	if (dev == 1 || (p->all_set_fwd && all == 0))
		return PF_OK;
	snprintf(why, len,
		 "IPv4 forwarding is off on %s (net.ipv4.conf.%s.forwarding=%ld, "
		 "net.ipv4.ip_forward=%ld): the stack would not forward",
		 p->ifname, p->ifname, dev, all);
	return PF_BAD;
}

void pf_f_forwarding(struct pf_port *p, struct pf_fix *f)
{
	snprintf(f->val[0], sizeof(f->val[0]), "net.ipv4.conf.%s.forwarding=1", p->ifname);
	snprintf(f->val[1], sizeof(f->val[1]), "net.ipv4.conf.%s.forwarding=0", p->ifname);
	pf_cmd_args(f->argv, pf_cmd_start(f->argv, p->ns, "sysctl"), "-qw", f->val[0], NULL);
	pf_cmd_args(f->undo, pf_cmd_start(f->undo, p->ns, "sysctl"), "-qw", f->val[1], NULL);
}

/* The role a forwarding check on p's port looks toward: dut-out's sink, dut-in's generator. */
static enum xl_role toward(const struct pf_port *p)
{
	return partner(p->role);
}

static const char *whose(enum xl_role r)
{
	return r == XL_ROLE_SINK  ? "the sink's"
	       : r == XL_ROLE_GEN ? "the generator's"
				  : "the DUT's";
}

/* Where p's port is, as the route messages say it. */
static const char *side(const struct pf_port *p)
{
	return p->role == XL_ROLE_GEN ? "on the generator's side" : "in the DUT";
}

enum pf_result pf_t_route(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	enum xl_role to = toward(p);
	struct in_addr dst = port_of(p, to)->ip;
	struct xl_rt_route rt;
	int err = xl_rt_route_get(p->ns, dst, &rt);

	st->route_bad[p->role] = true;
	if (err) {
		snprintf(why, len, "no route to %s address %s %s (%s)", whose(to), inet_ntoa(dst),
			 side(p), strerror(-err));
		return PF_BAD;
	}
	if (rt.oif != xl_ns_ifindex(p->ns, p->ifname)) {
		char name[IF_NAMESIZE] = "?";
		int saved;

		if (!xl_ns_enter(p->ns, &saved)) {
			if_indextoname(rt.oif, name);
			xl_ns_leave(saved);
		}
		snprintf(why, len, "the route to %s address %s leaves through %s, not %s",
			 whose(to), inet_ntoa(dst), name, p->ifname);
		return PF_BAD;
	}
	st->route_bad[p->role] = false;
	return PF_OK;
}

/* A host route to role `to`'s address out of p's port, and its removal. */
static void host_route(struct pf_port *p, enum xl_role to, struct pf_fix *f)
{
	snprintf(f->val[0], sizeof(f->val[0]), "%s/32", inet_ntoa(port_of(p, to)->ip));
	pf_cmd_args(f->argv, pf_cmd_start(f->argv, p->ns, "ip"), "route", "add", f->val[0], "dev",
		    p->ifname, "proto", PF_ROUTE_PROTO, NULL);
	pf_cmd_args(f->undo, pf_cmd_start(f->undo, p->ns, "ip"), "route", "del", f->val[0], "dev",
		    p->ifname, "proto", PF_ROUTE_PROTO, NULL);
}

void pf_f_route(struct pf_port *p, struct pf_fix *f)
{
	host_route(p, toward(p), f);
}

enum pf_result pf_t_neigh(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	const uint16_t valid =
		NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE;
	enum xl_role to = toward(p);
	const struct xl_port *peer = port_of(p, to);
	struct xl_rt_route rt;
	struct in_addr hop;
	char want[24], have[24];
	uint16_t nud = 0;
	uint8_t mac[6];
	int err;

	if (st->route_bad[p->role] || xl_rt_route_get(p->ns, peer->ip, &rt))
		return PF_SKIP;
	hop = rt.gw.s_addr ? rt.gw : peer->ip;
	err = xl_rt_neigh_get(p->ns, rt.oif, hop, mac, &nud);
	xl_format_mac(peer->mac, want, sizeof(want));
	if (err || !(nud & valid)) {
		snprintf(why, len,
			 "no neighbour entry for %s on %s: %s would ARP inside the "
			 "measurement, and the %s port answers no ARP",
			 inet_ntoa(hop), p->ifname,
			 p->role == XL_ROLE_GEN ? "the generator's side" : "the DUT",
			 xl_role_name(to));
		return PF_BAD;
	}
	if (!rt.gw.s_addr && memcmp(mac, peer->mac, 6)) {
		xl_format_mac(mac, have, sizeof(have));
		snprintf(why, len, "the neighbour entry for %s is %s, the %s port's MAC is %s",
			 inet_ntoa(hop), have, xl_role_name(to), want);
		return PF_BAD;
	}
	return PF_OK;
}

void pf_f_neigh(struct pf_port *p, struct pf_fix *f)
{
	const struct xl_port *peer = port_of(p, toward(p));

	snprintf(f->val[0], sizeof(f->val[0]), "%s", inet_ntoa(peer->ip));
	xl_format_mac(peer->mac, f->val[1], sizeof(f->val[1]));
	pf_cmd_args(f->argv, pf_cmd_start(f->argv, p->ns, "ip"), "neigh", "replace", f->val[0],
		    "lladdr", f->val[1], "dev", p->ifname, "nud", "permanent", NULL);
	pf_cmd_args(f->undo, pf_cmd_start(f->undo, p->ns, "ip"), "neigh", "del", f->val[0], "dev",
		    p->ifname, NULL);
}

/* The DUT's own address (dut-in's), where an rr experiment's server listens and its flood goes. */
enum pf_result pf_t_dut_addr(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	struct in_addr a = port_of(p, XL_ROLE_DUT_IN)->ip;
	struct xl_rt_route rt;

	(void)st;
	if (!xl_rt_route_get(p->ns, a, &rt) && rt.local)
		return PF_OK;
	snprintf(why, len,
		 "%s is not an address of the DUT: the request/response server listens there "
		 "and the flood is aimed at it",
		 inet_ntoa(a));
	return PF_BAD;
}

void pf_f_dut_addr(struct pf_port *p, struct pf_fix *f)
{
	snprintf(f->val[0], sizeof(f->val[0]), "%s/32", inet_ntoa(port_of(p, XL_ROLE_DUT_IN)->ip));
	pf_cmd_args(f->argv, pf_cmd_start(f->argv, p->ns, "ip"), "addr", "add", f->val[0], "dev",
		    p->ifname, NULL);
	pf_cmd_args(f->undo, pf_cmd_start(f->undo, p->ns, "ip"), "addr", "del", f->val[0], "dev",
		    p->ifname, NULL);
}

enum pf_result pf_t_rp_filter(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	struct in_addr gen = port_of(p, XL_ROLE_GEN)->ip;
	int rp = xl_ns_rp_filter(p->ns, p->ifname);
	struct xl_rt_route rt;

	(void)st;
	if (rp <= 0)
		return PF_OK;
	if (!xl_rt_route_get(p->ns, gen, &rt) &&
	    (rp == 2 || rt.oif == xl_ns_ifindex(p->ns, p->ifname)))
		return PF_OK;
	snprintf(why, len,
		 "rp_filter=%d drops the generator's frames (source %s): the DUT has no route "
		 "back to it through %s",
		 rp, inet_ntoa(gen), p->ifname);
	return PF_BAD;
}

void pf_f_rp_filter(struct pf_port *p, struct pf_fix *f)
{
	host_route(p, XL_ROLE_GEN, f);
}

/* The tables named by the rules of every system needing iptables ("-t NAME", else filter). */
enum pf_result pf_t_iptables(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	const char *tables[] = { "raw", "mangle", "nat", "filter" };

	(void)st;
	if (!xl_have_tool("iptables")) {
		snprintf(why, len, "iptables is not installed");
		return PF_BAD;
	}
	for (int i = 0; i < p->in->nsys; i++) {
		const struct xl_sys_entry *e = p->in->sys[i].e;
		const char *rule = xl_setting(e, "iptables");

		if (!rule)
			continue;
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			char opt[24];

			snprintf(opt, sizeof(opt), "-t %s ", tables[t]);
			if (t < 3 && !strstr(rule, opt))
				continue;
			if (xl_run_ns(p->ns, "iptables", "-w", "-t", tables[t], "-S", NULL)) {
				snprintf(why, len,
					 "iptables cannot use table %s in %s (system %s): no "
					 "nf_tables/x_tables support for it",
					 tables[t], p->ns ? p->ns : "the root namespace", e->name);
				return PF_BAD;
			}
			break;
		}
	}
	return PF_OK;
}

void pf_f_iptables(struct pf_port *p, struct pf_fix *f)
{
	(void)p;
	snprintf(f->text, sizeof(f->text),
		 "apt-get install iptables (and load nf_tables: modprobe nf_tables)");
}
