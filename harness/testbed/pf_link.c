// SPDX-License-Identifier: GPL-2.0
/*
 * pf_link.c - the preflight checks of one port's link and receive path: link
 * up, carrier from the other end, an MTU small enough for native XDP on veth,
 * the driver taking a native XDP program, GRO and TSO on veth (they decide whether
 * frames reach the DUT's NAPI), threaded NAPI, and an RX queue per DUT core.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include "pf_internal.h"
#include "netns.h"
#include "pfprobe.h"
#include "xl_spawn.h"

static bool link_is_up(const struct pf_port *p)
{
	long flags = pf_sys_knob(p, "/sys/class/net/%s/flags", p->ifname);

	return flags > 0 && (flags & IFF_UP);
}

enum pf_result pf_t_link_up(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	(void)st;
	if (link_is_up(p))
		return PF_OK;
	snprintf(why, len, "link is down");
	return PF_BAD;
}

void pf_f_link_up(struct pf_port *p, struct pf_fix *f)
{
	int n = pf_cmd_start(f->argv, p->ns, "ip");

	pf_cmd_args(f->argv, n, "link", "set", p->ifname, "up", NULL);
	n = pf_cmd_start(f->undo, p->ns, "ip");
	pf_cmd_args(f->undo, n, "link", "set", p->ifname, "down", NULL);
}

enum pf_result pf_t_carrier(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	const struct xl_port *o = port_of(p, partner(p->role));

	(void)st;
	if (!link_is_up(p))
		return PF_SKIP; /* the link line says so */
	if (pf_sys_knob(p, "/sys/class/net/%s/carrier", p->ifname) == 1)
		return PF_OK;
	snprintf(why, len, "no carrier: the other end (%s%s%s) is down or not connected",
		 o->ns[0] ? o->ns : "", o->ns[0] ? ":" : "", o->ifname);
	return PF_BAD;
}

void pf_f_carrier(struct pf_port *p, struct pf_fix *f)
{
	const struct xl_port *o = port_of(p, partner(p->role));
	const char *v[PF_ARGS];

	pf_cmd_args(v, pf_cmd_start(v, o->ns[0] ? o->ns : NULL, "ip"), "link", "set", o->ifname,
		    "up", NULL);
	pf_join(f->text, sizeof(f->text), v);
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

enum pf_result pf_t_mtu(struct pf_port *p, struct pf_state *st, char *why, size_t len)
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

void pf_f_mtu(struct pf_port *p, struct pf_fix *f)
{
	enum xl_role o = partner(p->role);
	bool peer = xl_ns_mtu(role_ns(p, o), port_of(p, o)->ifname) > veth_xdp_max_mtu();
	const char *ns = peer ? role_ns(p, o) : p->ns;
	const char *ifname = peer ? port_of(p, o)->ifname : p->ifname;

	snprintf(f->val[0], sizeof(f->val[0]), "%d", xl_ns_mtu(ns, ifname));
	pf_cmd_args(f->argv, pf_cmd_start(f->argv, ns, "ip"), "link", "set", ifname, "mtu", "1500",
		    NULL);
	pf_cmd_args(f->undo, pf_cmd_start(f->undo, ns, "ip"), "link", "set", ifname, "mtu",
		    f->val[0], NULL);
}

enum pf_result pf_t_native(struct pf_port *p, struct pf_state *st, char *why, size_t len)
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

void pf_f_native(struct pf_port *p, struct pf_fix *f)
{
	snprintf(f->text, sizeof(f->text),
		 "run the system in generic mode (NAME:generic in the experiment), or use "
		 "a port whose driver has native XDP (ethtool -i %s)",
		 p->ifname);
}

enum pf_result pf_t_gro(struct pf_port *p, struct pf_state *st, char *why, size_t len)
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

enum pf_result pf_t_tso(struct pf_port *p, struct pf_state *st, char *why, size_t len)
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

void pf_f_tso(struct pf_port *p, struct pf_fix *f)
{
	pf_cmd_args(f->argv, pf_cmd_start(f->argv, p->ns, "ethtool"), "-K", p->ifname, "tso", "off",
		    NULL);
	pf_cmd_args(f->undo, pf_cmd_start(f->undo, p->ns, "ethtool"), "-K", p->ifname, "tso", "on",
		    NULL);
}

void pf_f_gro(struct pf_port *p, struct pf_fix *f)
{
	pf_cmd_args(f->argv, pf_cmd_start(f->argv, p->ns, "ethtool"), "-K", p->ifname, "gro", "on",
		    NULL);
	pf_cmd_args(f->undo, pf_cmd_start(f->undo, p->ns, "ethtool"), "-K", p->ifname, "gro", "off",
		    NULL);
}

enum pf_result pf_t_threaded(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	(void)st;
	if (pf_sys_knob(p, "/sys/class/net/%s/threaded", p->ifname) >= 0)
		return PF_OK;
	snprintf(why, len,
		 "no threaded NAPI (kernel < 5.12 or driver without it): the receive work "
		 "cannot be pinned to the DUT cores and runs where the IRQ lands");
	return PF_BAD;
}

void pf_f_threaded(struct pf_port *p, struct pf_fix *f)
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

enum pf_result pf_t_queues(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	int n = rx_queues(p), cores = p->in->tb->cores;

	(void)st;
	if (n == 0 || n >= cores)
		return PF_OK; /* 0: no rps files to count (no RPS); the pinning warns */
	snprintf(why, len, "%d RX queue%s for %d DUT cores: the cores beyond %d get no traffic", n,
		 n == 1 ? "" : "s", cores, n);
	return PF_BAD;
}

void pf_f_queues(struct pf_port *p, struct pf_fix *f)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", p->in->tb->cores);
	snprintf(f->text, sizeof(f->text),
		 "%s%s%sethtool -L %s combined %s (veth: recreate it with numrxqueues %s)",
		 p->ns ? "ip netns exec " : "", p->ns ? p->ns : "", p->ns ? " " : "", p->ifname, v,
		 v);
}
