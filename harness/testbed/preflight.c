// SPDX-License-Identifier: GPL-2.0
/*
 * preflight.c - the testbed checks (see preflight.h) as one table.  A check
 * names the port it looks at (one role, or every role a system uses), who needs
 * it (a predicate over the run and each (system, mode) of the config), a test
 * that says what is wrong, and the fix: a command xdplab can run and undo, or
 * advice where the fix is not a state change xdplab should make (install a
 * package, change the config).  What xdplab sets up itself on the veth testbed
 * it creates (GRO per trial) is checked only on existing testbeds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include "preflight.h"
#include "gen/pkt.h"
#include "netns.h"
#include "pfprobe.h"
#include "rtquery.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define PF_ARGS 24
#define PF_ALL_ROLES XL_NR_ROLES
/* Protocol of the routes a fix adds (not 249: the routing fixture flushes those). */
#define PF_ROUTE_PROTO "static"

enum pf_level {
	PF_ERROR,
	PF_WARN
};
enum pf_result {
	PF_OK,
	PF_BAD,
	PF_SKIP /* another line already says why */
};

/* A fix: a command and its inverse, or (argv[0] NULL) advice in text. */
struct pf_fix {
	char text[400];
	const char *argv[PF_ARGS];
	const char *undo[PF_ARGS];
	char val[4][64]; /* formatted arguments the vectors point to */
};

struct pf_port {
	const struct xl_pf_input *in;
	enum xl_role role;
	const char *ns; /* NULL: the root namespace */
	const char *ifname;
	char driver[32];
	char needers[200];
	bool all_set_fwd; /* every system needing it sets net.ipv4.ip_forward=1 itself */
};

/* Results a later check depends on. */
struct pf_state {
	bool mtu_bad[XL_NR_ROLES];
	bool route_bad;
};

struct pf_check {
	const char *id;
	const char *what; /* the condition, as printed when it holds */
	enum xl_role role; /* PF_ALL_ROLES: each port a system uses */
	enum pf_level level;
	bool existing_only; /* xdplab sets this up itself on a veth testbed it creates */
	/* Needed for this run (s NULL) or by system s on port r? */
	bool (*needs)(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r);
	enum pf_result (*test)(struct pf_port *p, struct pf_state *st, char *why, size_t len);
	void (*fix)(struct pf_port *p, struct pf_fix *f);
};

static struct pf_state state;

/* ---- helpers ---------------------------------------------------------- */

static const struct xl_port *port_of(const struct pf_port *p, enum xl_role r)
{
	return &p->in->tb->port[r];
}

static const char *role_ns(const struct pf_port *p, enum xl_role r)
{
	return xl_port_ns(p->in->tb, r);
}

/* The role at the other end of the cable (veth pair) of role r. */
static enum xl_role partner(enum xl_role r)
{
	static const enum xl_role other[XL_NR_ROLES] = { XL_ROLE_DUT_IN, XL_ROLE_GEN, XL_ROLE_SINK,
							 XL_ROLE_DUT_OUT };
	return other[r];
}

static enum xl_role sink_role(enum xl_counts c)
{
	return c == XL_COUNTS_BACK ? XL_ROLE_GEN
	       : c == XL_COUNTS_IN ? XL_ROLE_DUT_IN
				   : XL_ROLE_SINK;
}

static bool is_veth(const struct pf_port *p)
{
	return !strcmp(p->driver, "veth");
}

static int read_long(const char *ns, const char *path, long *v)
{
	char buf[32];
	int err = xl_read_file(ns, path, buf, sizeof(buf));

	if (!err)
		*v = strtol(buf, NULL, 0); /* sysfs flags are hex (0x1003) */
	return err;
}

static long sys_knob(const struct pf_port *p, const char *fmt, const char *ifname)
{
	char path[160];
	long v = -1;

	snprintf(path, sizeof(path), fmt, ifname);
	read_long(p->ns, path, &v);
	return v;
}

/* Start a command: `ip [-n NS] ...` (ip) or `[ip netns exec NS] TOOL ...`; returns argc. */
static int cmd_start(const char **v, const char *ns, const char *tool)
{
	int n = 0;

	if (!strcmp(tool, "ip")) {
		v[n++] = "ip";
		if (ns) {
			v[n++] = "-n";
			v[n++] = ns;
		}
		return n;
	}
	if (ns) {
		v[n++] = "ip";
		v[n++] = "netns";
		v[n++] = "exec";
		v[n++] = ns;
	}
	v[n++] = tool;
	return n;
}

static void cmd_args(const char **v, int n, ...)
{
	va_list ap;
	const char *a;

	va_start(ap, n);
	while ((a = va_arg(ap, const char *)) && n < PF_ARGS - 1)
		v[n++] = a;
	va_end(ap);
	v[n] = NULL;
}

static void join(char *buf, size_t len, const char *const *v)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; v[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "", v[i]);
}

static bool sets_ip_forward(const struct xl_sys_entry *e)
{
	const char *v = xl_setting(e, "sysctl");

	return v && strstr(v, "net.ipv4.ip_forward=1");
}

/* ---- who needs what ---------------------------------------------------- */

static bool uses_role(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	if (!s)
		return false;
	return r == XL_ROLE_GEN || r == XL_ROLE_DUT_IN || s->e->counts == XL_COUNTS_SINK;
}

/* A native XDP program goes on port r: the system's own on dut-in, or the sink's. */
static bool native_on(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	if (!s)
		return false;
	return (r == XL_ROLE_DUT_IN && s->mode == XL_SM_NATIVE) ||
	       (s->e->counts != XL_COUNTS_DUT && sink_role(s->e->counts) == r);
}

/* veth gives dut-in a NAPI instance (it receives redirected frames) only with native XDP or GRO. */
static bool needs_napi_path(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && s->e->counts != XL_COUNTS_IN &&
	       (s->mode == XL_SM_GENERIC || s->mode == XL_SM_STACK);
}

static bool dut_receives(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && s->e->counts != XL_COUNTS_IN && s->mode != XL_SM_DPDK;
}

/* Systems whose frames the kernel routes toward the sink (its FIB decides). */
static bool kernel_routes(const struct xl_pf_sys *s)
{
	return s->e->counts == XL_COUNTS_SINK && (s->mode == XL_SM_STACK || sets_ip_forward(s->e));
}

static bool needs_forwarding(const struct xl_pf_input *in, const struct xl_pf_sys *s,
			     enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && kernel_routes(s);
}

/* A route and a neighbour toward the sink: routed systems, and the routing fixture's next hop. */
static bool needs_path_to_sink(const struct xl_pf_input *in, const struct xl_pf_sys *s,
			       enum xl_role r)
{
	if (r != XL_ROLE_DUT_OUT)
		return false;
	return s ? kernel_routes(s) : in->routes;
}

static bool needs_iptables(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && xl_setting(s->e, "iptables");
}

static bool run_livefr(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	return !s && r == XL_ROLE_GEN && in->livefr;
}

static bool run_cpus(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return !s && (r == XL_ROLE_GEN || r == XL_ROLE_DUT_IN);
}

static bool run_dut_in(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return !s && r == XL_ROLE_DUT_IN;
}

/* ---- the tests and their fixes ------------------------------------------ */

static enum pf_result t_live_frames(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	int err = xl_probe_live_frames();

	(void)p, (void)st;
	if (!err)
		return PF_OK;
	snprintf(why, len,
		 "the kernel refuses BPF_PROG_RUN in live-frames mode (%s): the live-frames "
		 "generator cannot send",
		 strerror(-err));
	return PF_BAD;
}

static void f_live_frames(struct pf_port *p, struct pf_fix *f)
{
	(void)p;
	snprintf(f->text, sizeof(f->text),
		 "set 'backend = dpdk' in [run] (the DPDK generator; see docs/dpdk.md)");
}

static enum pf_result t_cpus(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	const struct xl_testbed *tb = p->in->tb;
	const int *cpus = p->role == XL_ROLE_GEN ? tb->gen_cpus : tb->dut_cpus;
	cpu_set_t allowed;

	(void)st;
	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return PF_OK; /* cannot tell; the pinning itself warns */
	for (int i = 0; i < tb->cores; i++)
		if (!CPU_ISSET(cpus[i], &allowed)) {
			snprintf(why, len,
				 "CPU %d is outside the CPUs this process may run on (cpuset or "
				 "taskset): nothing can be pinned there",
				 cpus[i]);
			return PF_BAD;
		}
	return PF_OK;
}

static void f_cpus(struct pf_port *p, struct pf_fix *f)
{
	(void)p;
	snprintf(f->text, sizeof(f->text),
		 "run xdplab where these CPUs are allowed, or name allowed ones in "
		 "[testbed] gen_cpus/dut_cpus (see taskset -p $$)");
}

static bool link_is_up(const struct pf_port *p)
{
	long flags = sys_knob(p, "/sys/class/net/%s/flags", p->ifname);

	return flags > 0 && (flags & IFF_UP);
}

static enum pf_result t_link_up(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	(void)st;
	if (link_is_up(p))
		return PF_OK;
	snprintf(why, len, "link is down");
	return PF_BAD;
}

static void f_link_up(struct pf_port *p, struct pf_fix *f)
{
	int n = cmd_start(f->argv, p->ns, "ip");

	cmd_args(f->argv, n, "link", "set", p->ifname, "up", NULL);
	n = cmd_start(f->undo, p->ns, "ip");
	cmd_args(f->undo, n, "link", "set", p->ifname, "down", NULL);
}

static enum pf_result t_carrier(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	const struct xl_port *o = port_of(p, partner(p->role));

	(void)st;
	if (!link_is_up(p))
		return PF_SKIP; /* the link line says so */
	if (sys_knob(p, "/sys/class/net/%s/carrier", p->ifname) == 1)
		return PF_OK;
	snprintf(why, len, "no carrier: the other end (%s%s%s) is down or not connected",
		 o->ns[0] ? o->ns : "", o->ns[0] ? ":" : "", o->ifname);
	return PF_BAD;
}

static void f_carrier(struct pf_port *p, struct pf_fix *f)
{
	const struct xl_port *o = port_of(p, partner(p->role));
	const char *v[PF_ARGS];

	cmd_args(v, cmd_start(v, o->ns[0] ? o->ns : NULL, "ip"), "link", "set", o->ifname, "up",
		 NULL);
	join(f->text, sizeof(f->text), v);
	snprintf(f->text + strlen(f->text), sizeof(f->text) - strlen(f->text),
		 " (or check the cable)");
}

/* Largest MTU a veth peer may have for native XDP: one page minus headroom and skb tail. */
static long veth_xdp_max_mtu(void)
{
	long page = sysconf(_SC_PAGESIZE);

	/* SKB_WITH_OVERHEAD(PAGE_SIZE - XDP_PACKET_HEADROOM) - ETH_HLEN, x86-64 layout */
	return page - 256 - 320 - 14;
}

static enum pf_result t_mtu(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	enum xl_role o = partner(p->role);
	long max = veth_xdp_max_mtu();
	int mtu = xl_ns_mtu(p->ns, p->ifname), omtu;

	if (!is_veth(p))
		return PF_OK; /* the native probe speaks for other drivers */
	omtu = xl_ns_mtu(role_ns(p, o), port_of(p, o)->ifname);
	if (omtu <= max && mtu <= max)
		return PF_OK;
	st->mtu_bad[p->role] = true;
	snprintf(why, len,
		 "MTU %d%s is above %ld, the largest veth allows for native XDP (the "
		 "frame must fit one page)",
		 omtu > max ? omtu : mtu, omtu > max ? " of its peer" : "", max);
	return PF_BAD;
}

static void f_mtu(struct pf_port *p, struct pf_fix *f)
{
	enum xl_role o = partner(p->role);
	bool peer = xl_ns_mtu(role_ns(p, o), port_of(p, o)->ifname) > veth_xdp_max_mtu();
	const char *ns = peer ? role_ns(p, o) : p->ns;
	const char *ifname = peer ? port_of(p, o)->ifname : p->ifname;

	snprintf(f->val[0], sizeof(f->val[0]), "%d", xl_ns_mtu(ns, ifname));
	cmd_args(f->argv, cmd_start(f->argv, ns, "ip"), "link", "set", ifname, "mtu", "1500", NULL);
	cmd_args(f->undo, cmd_start(f->undo, ns, "ip"), "link", "set", ifname, "mtu", f->val[0],
		 NULL);
}

static enum pf_result t_native(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	int err;

	if (st->mtu_bad[p->role])
		return PF_SKIP;
	err = xl_probe_native_xdp(p->ns, p->ifname);
	if (!err)
		return PF_OK;
	snprintf(why, len, "driver %s refuses a native XDP program: %s", p->driver, strerror(-err));
	return PF_BAD;
}

static void f_native(struct pf_port *p, struct pf_fix *f)
{
	snprintf(f->text, sizeof(f->text),
		 "run the system in generic mode (NAME:generic in the experiment), or use "
		 "a port whose driver has native XDP (ethtool -i %s)",
		 p->ifname);
}

static enum pf_result t_gro(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	int gro;

	(void)st;
	if (!is_veth(p))
		return PF_OK; /* a NIC's driver receives without it */
	gro = xl_ns_gro(p->ns, p->ifname);
	if (gro == 1)
		return PF_OK;
	snprintf(why, len,
		 "GRO is off: veth drops the generator's redirected frames unless native XDP "
		 "or GRO gives it a NAPI instance, and without NAPI the receive work is not "
		 "the DUT core's");
	return PF_BAD;
}

/*
 * An skb generator (DPDK, pktgen) on a veth with TSO: veth skips the peer's NAPI,
 * for systems without native XDP on dut-in (native XDP clears the peer's TSO itself).
 */
static bool skb_generator(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	return !in->livefr && r == XL_ROLE_GEN && needs_napi_path(in, s, XL_ROLE_DUT_IN);
}

static enum pf_result t_tso(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	(void)st;
	if (!is_veth(p) || xl_ns_tso(p->ns, p->ifname) != 1)
		return PF_OK;
	snprintf(why, len,
		 "TSO is on: veth hands the generator's skbs to netif_rx on the sender's CPU "
		 "instead of the DUT's NAPI, so a system without native XDP is measured on the "
		 "wrong core");
	return PF_BAD;
}

static void f_tso(struct pf_port *p, struct pf_fix *f)
{
	cmd_args(f->argv, cmd_start(f->argv, p->ns, "ethtool"), "-K", p->ifname, "tso", "off",
		 NULL);
	cmd_args(f->undo, cmd_start(f->undo, p->ns, "ethtool"), "-K", p->ifname, "tso", "on", NULL);
}

static void f_gro(struct pf_port *p, struct pf_fix *f)
{
	cmd_args(f->argv, cmd_start(f->argv, p->ns, "ethtool"), "-K", p->ifname, "gro", "on", NULL);
	cmd_args(f->undo, cmd_start(f->undo, p->ns, "ethtool"), "-K", p->ifname, "gro", "off",
		 NULL);
}

static enum pf_result t_threaded(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	(void)st;
	if (sys_knob(p, "/sys/class/net/%s/threaded", p->ifname) >= 0)
		return PF_OK;
	snprintf(why, len,
		 "no threaded NAPI (kernel < 5.12 or driver without it): the receive work "
		 "cannot be pinned to the DUT cores and runs where the IRQ lands");
	return PF_BAD;
}

static void f_threaded(struct pf_port *p, struct pf_fix *f)
{
	snprintf(f->text, sizeof(f->text),
		 "pin the IRQs of %s to the DUT cores (/proc/irq/N/smp_affinity_list)", p->ifname);
}

static int rx_queues(const struct pf_port *p)
{
	char path[96];
	int n = 0;

	for (;; n++) {
		char v[8];

		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/rx-%d/rps_cpus", p->ifname,
			 n);
		if (xl_read_file(p->ns, path, v, sizeof(v)))
			break;
	}
	return n;
}

static enum pf_result t_queues(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	int n = rx_queues(p), cores = p->in->tb->cores;

	(void)st;
	if (n == 0 || n >= cores)
		return PF_OK; /* 0: no rps files to count (no RPS); the pinning warns */
	snprintf(why, len, "%d RX queue%s for %d DUT cores: the cores beyond %d get no traffic", n,
		 n == 1 ? "" : "s", cores, n);
	return PF_BAD;
}

static void f_queues(struct pf_port *p, struct pf_fix *f)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", p->in->tb->cores);
	snprintf(f->text, sizeof(f->text),
		 "%s%s%sethtool -L %s combined %s (veth: recreate it with numrxqueues %s)",
		 p->ns ? "ip netns exec " : "", p->ns ? p->ns : "", p->ns ? " " : "", p->ifname, v,
		 v);
}

static enum pf_result t_forwarding(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	long dev = sys_knob(p, "/proc/sys/net/ipv4/conf/%s/forwarding", p->ifname);
	long all = sys_knob(p, "/proc/sys/net/ipv4/%sip_forward", "");

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

static void f_forwarding(struct pf_port *p, struct pf_fix *f)
{
	snprintf(f->val[0], sizeof(f->val[0]), "net.ipv4.conf.%s.forwarding=1", p->ifname);
	snprintf(f->val[1], sizeof(f->val[1]), "net.ipv4.conf.%s.forwarding=0", p->ifname);
	cmd_args(f->argv, cmd_start(f->argv, p->ns, "sysctl"), "-qw", f->val[0], NULL);
	cmd_args(f->undo, cmd_start(f->undo, p->ns, "sysctl"), "-qw", f->val[1], NULL);
}

static enum pf_result t_route(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	struct in_addr sink = port_of(p, XL_ROLE_SINK)->ip;
	struct xl_rt_route rt;
	int err = xl_rt_route_get(p->ns, sink, &rt);

	st->route_bad = true;
	if (err) {
		snprintf(why, len, "no route to the sink's address %s in the DUT (%s)",
			 inet_ntoa(sink), strerror(-err));
		return PF_BAD;
	}
	if (rt.oif != xl_ns_ifindex(p->ns, p->ifname)) {
		char name[IF_NAMESIZE] = "?";
		int saved;

		if (!xl_ns_enter(p->ns, &saved)) {
			if_indextoname(rt.oif, name);
			xl_ns_leave(saved);
		}
		snprintf(why, len, "the route to the sink's address %s leaves through %s, not %s",
			 inet_ntoa(sink), name, p->ifname);
		return PF_BAD;
	}
	st->route_bad = false;
	return PF_OK;
}

/* A host route to role `to`'s address out of p's port, and its removal. */
static void host_route(struct pf_port *p, enum xl_role to, struct pf_fix *f)
{
	snprintf(f->val[0], sizeof(f->val[0]), "%s/32", inet_ntoa(port_of(p, to)->ip));
	cmd_args(f->argv, cmd_start(f->argv, p->ns, "ip"), "route", "add", f->val[0], "dev",
		 p->ifname, "proto", PF_ROUTE_PROTO, NULL);
	cmd_args(f->undo, cmd_start(f->undo, p->ns, "ip"), "route", "del", f->val[0], "dev",
		 p->ifname, "proto", PF_ROUTE_PROTO, NULL);
}

static void f_route(struct pf_port *p, struct pf_fix *f)
{
	host_route(p, XL_ROLE_SINK, f);
}

static enum pf_result t_neigh(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	const uint16_t valid =
		NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE;
	const struct xl_port *sink = port_of(p, XL_ROLE_SINK);
	struct xl_rt_route rt;
	struct in_addr hop;
	char want[24], have[24];
	uint16_t nud = 0;
	uint8_t mac[6];
	int err;

	if (st->route_bad || xl_rt_route_get(p->ns, sink->ip, &rt))
		return PF_SKIP;
	hop = rt.gw.s_addr ? rt.gw : sink->ip;
	err = xl_rt_neigh_get(p->ns, rt.oif, hop, mac, &nud);
	xl_format_mac(sink->mac, want, sizeof(want));
	if (err || !(nud & valid)) {
		snprintf(why, len,
			 "no neighbour entry for %s on %s: the DUT would ARP inside the "
			 "measurement, and the sink answers no ARP",
			 inet_ntoa(hop), p->ifname);
		return PF_BAD;
	}
	if (!rt.gw.s_addr && memcmp(mac, sink->mac, 6)) {
		xl_format_mac(mac, have, sizeof(have));
		snprintf(why, len, "the neighbour entry for %s is %s, the sink port's MAC is %s",
			 inet_ntoa(hop), have, want);
		return PF_BAD;
	}
	return PF_OK;
}

static void f_neigh(struct pf_port *p, struct pf_fix *f)
{
	const struct xl_port *sink = port_of(p, XL_ROLE_SINK);

	snprintf(f->val[0], sizeof(f->val[0]), "%s", inet_ntoa(sink->ip));
	xl_format_mac(sink->mac, f->val[1], sizeof(f->val[1]));
	cmd_args(f->argv, cmd_start(f->argv, p->ns, "ip"), "neigh", "replace", f->val[0], "lladdr",
		 f->val[1], "dev", p->ifname, "nud", "permanent", NULL);
	cmd_args(f->undo, cmd_start(f->undo, p->ns, "ip"), "neigh", "del", f->val[0], "dev",
		 p->ifname, NULL);
}

static enum pf_result t_rp_filter(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	struct in_addr gen = port_of(p, XL_ROLE_GEN)->ip;
	long all = sys_knob(p, "/proc/sys/net/ipv4/conf/%s/rp_filter", "all");
	long dev = sys_knob(p, "/proc/sys/net/ipv4/conf/%s/rp_filter", p->ifname);
	long rp = all > dev ? all : dev;
	struct xl_rt_route rt;

	(void)st;
	if (rp <= 0)
		return PF_OK;
	if (!xl_rt_route_get(p->ns, gen, &rt) &&
	    (rp == 2 || rt.oif == xl_ns_ifindex(p->ns, p->ifname)))
		return PF_OK;
	snprintf(why, len,
		 "rp_filter=%ld drops the generator's frames (source %s): the DUT has no route "
		 "back to it through %s",
		 rp, inet_ntoa(gen), p->ifname);
	return PF_BAD;
}

static void f_rp_filter(struct pf_port *p, struct pf_fix *f)
{
	host_route(p, XL_ROLE_GEN, f);
}

/* The tables named by the rules of every system needing iptables ("-t NAME", else filter). */
static enum pf_result t_iptables(struct pf_port *p, struct pf_state *st, char *why, size_t len)
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

static void f_iptables(struct pf_port *p, struct pf_fix *f)
{
	(void)p;
	snprintf(f->text, sizeof(f->text),
		 "apt-get install iptables (and load nf_tables: modprobe nf_tables)");
}

static const struct pf_check checks[] = {
	{ "live-frames", "the kernel runs the live-frames generator", XL_ROLE_GEN, PF_ERROR, false,
	  run_livefr, t_live_frames, f_live_frames },
	{ "cpus", "the configured CPUs can be pinned", XL_ROLE_GEN, PF_ERROR, false, run_cpus,
	  t_cpus, f_cpus },
	{ "cpus", "the configured CPUs can be pinned", XL_ROLE_DUT_IN, PF_ERROR, false, run_cpus,
	  t_cpus, f_cpus },
	{ "link", "link up", PF_ALL_ROLES, PF_ERROR, false, uses_role, t_link_up, f_link_up },
	{ "carrier", "carrier", PF_ALL_ROLES, PF_ERROR, false, uses_role, t_carrier, f_carrier },
	{ "mtu", "MTU fits native XDP", PF_ALL_ROLES, PF_ERROR, false, native_on, t_mtu, f_mtu },
	{ "xdp-native", "the driver attaches native XDP", PF_ALL_ROLES, PF_ERROR, false, native_on,
	  t_native, f_native },
	{ "gro", "GRO on (veth receives redirected frames through NAPI)", XL_ROLE_DUT_IN, PF_ERROR,
	  true, needs_napi_path, t_gro, f_gro },
	{ "tso", "no TSO on the generator's veth (its skbs reach the DUT's NAPI)", XL_ROLE_GEN,
	  PF_ERROR, true, skb_generator, t_tso, f_tso },
	{ "napi", "threaded NAPI available (receive work pinned to the DUT cores)", XL_ROLE_DUT_IN,
	  PF_WARN, false, dut_receives, t_threaded, f_threaded },
	{ "queues", "RX queues for every DUT core", XL_ROLE_DUT_IN, PF_ERROR, false, run_dut_in,
	  t_queues, f_queues },
	{ "forwarding", "IPv4 forwarding on", XL_ROLE_DUT_IN, PF_ERROR, false, needs_forwarding,
	  t_forwarding, f_forwarding },
	{ "rp-filter", "rp_filter passes the generator's source", XL_ROLE_DUT_IN, PF_ERROR, false,
	  needs_forwarding, t_rp_filter, f_rp_filter },
	{ "route", "route to the sink's address", XL_ROLE_DUT_OUT, PF_ERROR, false,
	  needs_path_to_sink, t_route, f_route },
	{ "neighbour", "static neighbour entry for the sink", XL_ROLE_DUT_OUT, PF_ERROR, false,
	  needs_path_to_sink, t_neigh, f_neigh },
	{ "iptables", "iptables works in the DUT namespace", XL_ROLE_DUT_IN, PF_ERROR, false,
	  needs_iptables, t_iptables, f_iptables },
};

/* ---- the driver ---------------------------------------------------------- */

void xl_pf_add_system(struct xl_pf_input *in, const struct xl_sys_entry *e, enum xl_sys_mode m)
{
	for (int i = 0; i < in->nsys; i++)
		if (in->sys[i].e == e && in->sys[i].mode == m)
			return;
	if (in->nsys < XL_PF_MAX_SYS)
		in->sys[in->nsys++] = (struct xl_pf_sys){ e, m };
}

/* Who needs check c on role r: their names in p->needers; false if nobody. */
static bool collect_needers(const struct pf_check *c, enum xl_role r, struct pf_port *p)
{
	const struct xl_pf_input *in = p->in;
	size_t off = 0;
	bool any = c->needs(in, NULL, r);

	p->needers[0] = 0;
	p->all_set_fwd = true;
	for (int i = 0; i < in->nsys; i++) {
		const struct xl_pf_sys *s = &in->sys[i];

		if (!c->needs(in, s, r))
			continue;
		any = true;
		p->all_set_fwd &= sets_ip_forward(s->e);
		if (off < sizeof(p->needers))
			off += snprintf(p->needers + off, sizeof(p->needers) - off, "%s%s%s%s",
					off ? ", " : "", s->e->name,
					s->mode == s->e->default_mode ? "" : ":",
					s->mode == s->e->default_mode ? ""
								      : xl_sys_mode_name(s->mode));
	}
	return any;
}

static void port_init(struct pf_port *p, const struct xl_pf_input *in, enum xl_role r)
{
	memset(p, 0, sizeof(*p));
	p->in = in;
	p->role = r;
	p->ns = xl_port_ns(in->tb, r);
	p->ifname = in->tb->port[r].ifname;
	if (xl_ns_driver(p->ns, p->ifname, p->driver, sizeof(p->driver)))
		snprintf(p->driver, sizeof(p->driver), "?");
}

/* Run the fix's command and record its inverse; 0 or -1. */
static int apply(const struct pf_fix *f, struct xl_undo_set *keep)
{
	const char *undo[PF_ARGS + 1] = { "-" };
	int n = 0;

	if (xl_spawn(f->argv))
		return -1;
	while (f->undo[n] && n < PF_ARGS - 1) {
		undo[n + 1] = f->undo[n];
		n++;
	}
	undo[n + 1] = NULL;
	xl_undo_keep(keep, xl_undo_push("cmd", undo));
	return 0;
}

static void say(enum xl_pf_report report, const char *tag, const struct pf_port *p,
		const struct pf_check *c, const char *text, const char *fix)
{
	const struct xl_port *pt = &p->in->tb->port[p->role];
	char where[80], msg[1024];

	snprintf(where, sizeof(where), "%s%s%s", pt->ns, pt->ns[0] ? ":" : "", pt->ifname);
	snprintf(msg, sizeof(msg), "%-9s %s %s: %s%s%s%s%s%s", xl_role_name(p->role), where, c->id,
		 text, p->needers[0] ? " [" : "", p->needers, p->needers[0] ? "]" : "",
		 fix ? (strcmp(tag, "fixed") ? "; fix: " : "; applied: ") : "", fix ? fix : "");
	if (report == XL_PF_ALL)
		printf("%-5s %s\n", tag, msg);
	else
		fprintf(stderr, "xdplab: preflight: %s%s%s\n", strcmp(tag, "FAIL") ? tag : "",
			strcmp(tag, "FAIL") ? " " : "", msg);
}

static int one(const struct pf_check *c, struct pf_port *p, bool fix, enum xl_pf_report report,
	       struct xl_undo_set *keep)
{
	char why[400] = "";
	struct pf_fix f = {};
	enum pf_result res = c->test(p, &state, why, sizeof(why));

	if (res == PF_SKIP)
		return 0;
	if (res == PF_OK) {
		if (report == XL_PF_ALL)
			say(report, "ok", p, c, c->what, NULL);
		return 0;
	}
	c->fix(p, &f);
	if (f.argv[0])
		join(f.text, sizeof(f.text), f.argv);
	if (fix && f.argv[0]) {
		char again[400] = "";

		if (!apply(&f, keep) && c->test(p, &state, again, sizeof(again)) == PF_OK) {
			say(report, "fixed", p, c, why, f.text);
			return 0;
		}
		snprintf(why + strlen(why), sizeof(why) - strlen(why), " (the fix did not help)");
	}
	say(report, c->level == PF_WARN ? "warn" : "FAIL", p, c, why, f.text);
	return c->level == PF_ERROR;
}

int xl_preflight(const struct xl_pf_input *in, bool fix, enum xl_pf_report report,
		 struct xl_undo_set *keep)
{
	int problems = 0;

	memset(&state, 0, sizeof(state));
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const struct pf_check *c = &checks[i];

		if (c->existing_only && in->tb->create)
			continue;
		for (int r = 0; r < XL_NR_ROLES; r++) {
			struct pf_port p;

			if ((c->role != PF_ALL_ROLES && c->role != (enum xl_role)r) ||
			    in->elsewhere[r])
				continue;
			port_init(&p, in, r);
			if (!collect_needers(c, r, &p))
				continue;
			problems += one(c, &p, fix, report, keep);
		}
	}
	return problems;
}
