// SPDX-License-Identifier: GPL-2.0
/*
 * systems.c - the base system table (XDP programs, Linux stack baselines) and
 * the generic set-up that interprets its data: GRO, iptables rules, IP
 * forwarding and an XDP program on dut-in.  Every step records that it was
 * done, and teardown undoes exactly those steps in reverse order, so a failed
 * set-up leaves the DUT as it found it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "systems.h"
#include "netns.h"
#include "xl_spawn.h"
#include "xl_err.h"

/* Rules are iptables argument strings; "-A" is replaced by "-D" to remove them. */
static const char *const raw_drop_rules[] = {
	"-t raw -A PREROUTING -p udp --dport 9 -j DROP",
	NULL,
};
/*
 * Conntrack must see the packet before it is dropped: raw runs before
 * conntrack, mangle after it.  The conntrack match makes the namespace
 * register conntrack's hooks, so each frame pays the lookup and the creation
 * (and release) of an unconfirmed entry, as in the paper's "conntrack" series.
 */
static const char *const conntrack_drop_rules[] = {
	"-t mangle -A PREROUTING -p udp --dport 9 -m conntrack --ctstate NEW,ESTABLISHED,RELATED,INVALID -j DROP",
	NULL,
};

#define XDP_MODES (XL_SM_NATIVE | XL_SM_GENERIC)

const struct xl_system_def xl_base_systems[] = {
	{ .name = "xdp-drop",
	  .what = "XDP_DROP, packet data untouched",
	  .modes = XDP_MODES,
	  .xdp_prog = "drop" },
	{ .name = "xdp-drop-read",
	  .what = "XDP_DROP after reading the Ethernet header",
	  .modes = XDP_MODES,
	  .xdp_prog = "drop-read" },
	{ .name = "linux-raw",
	  .what = "iptables DROP in raw PREROUTING (no conntrack)",
	  .modes = XL_SM_STACK,
	  .nft_rules = raw_drop_rules },
	{ .name = "linux-conntrack",
	  .what = "iptables DROP after connection tracking",
	  .modes = XL_SM_STACK,
	  .nft_rules = conntrack_drop_rules },
	{ .name = "linux-raw+xdp-pass",
	  .what = "raw DROP behind an XDP program returning XDP_PASS",
	  .modes = XDP_MODES,
	  .xdp_prog = "pass",
	  .nft_rules = raw_drop_rules },
	{ .name = "xdp-tx",
	  .what = "swap MACs, XDP_TX back to the generator port",
	  .modes = XDP_MODES,
	  .sink = XL_SINK_GEN,
	  .xdp_prog = "tx" },
	{ .name = "xdp-redirect",
	  .what = "swap MACs, XDP_REDIRECT via devmap to dut-out",
	  .modes = XDP_MODES,
	  .sink = XL_SINK_OUT,
	  .xdp_prog = "redirect",
	  .xdp_redirect_out = true },
	{ .name = "linux-fwd",
	  .what = "Linux IPv4 forwarding dut-in -> dut-out",
	  .modes = XL_SM_STACK,
	  .sink = XL_SINK_OUT,
	  .ip_forward = true },
	{ .name = "no-dut",
	  .what = "no system: the sink counts on dut-in (the method's own floor)",
	  .modes = XL_SM_NONE,
	  .sink = XL_SINK_IN },
	{ .name = NULL },
};

static const char *const sys_mode_names[XL_SM_COUNT] = { "native", "generic", "stack", "dpdk",
							 "none" };

const char *xl_sys_mode_name(enum xl_sys_mode m)
{
	for (int i = 0; i < XL_SM_COUNT; i++)
		if (m == 1u << i)
			return sys_mode_names[i];
	return "?";
}

static const struct xl_system_def *const tables[] = {
	xl_base_systems,
#ifdef XL_HAVE_DPDK
	xl_dpdk_systems,
#endif
};

static const struct xl_system_def *find_def(const char *name)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct xl_system_def *d = tables[t]; d->name; d++)
			if (!strcmp(d->name, name))
				return d;
	return NULL;
}

int xl_system_parse(const char *spec, const struct xl_system_def **def, enum xl_sys_mode *mode)
{
	char name[64];
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);

	if (len >= sizeof(name))
		return -EINVAL;
	memcpy(name, spec, len);
	name[len] = 0;
	*def = find_def(name);
	if (!*def)
		return -ENOENT;
	if (!colon) {
		*mode = (*def)->modes & -(*def)->modes; /* lowest allowed mode */
		return 0;
	}
	for (int i = 0; i < XL_SM_COUNT; i++) {
		if (!strcmp(colon + 1, sys_mode_names[i])) {
			*mode = 1u << i;
			return ((*def)->modes & *mode) ? 0 : -EINVAL;
		}
	}
	return -EINVAL;
}

void xl_systems_print(void *file)
{
	FILE *f = file;

	fprintf(f, "Systems (name[:mode]):\n");
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (const struct xl_system_def *d = tables[t]; d->name; d++) {
			char modes[64] = "";

			for (int i = 0; i < XL_SM_COUNT; i++)
				if (d->modes & (1u << i))
					snprintf(modes + strlen(modes),
						 sizeof(modes) - strlen(modes), "%s%s",
						 modes[0] ? "|" : "", sys_mode_names[i]);
			fprintf(f, "  %-20s %-16s %s\n", d->name, modes, d->what);
		}
	}
}

/* Run "iptables <rule>" in the DUT namespace, with -A turned into -D when removing. */
static int apply_rule(const char *ns, const char *rule, bool remove)
{
	const char *argv[40];
	char buf[512], *save = NULL, *tok;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", rule);
	argv[n++] = "ip";
	argv[n++] = "netns";
	argv[n++] = "exec";
	argv[n++] = ns;
	argv[n++] = "iptables";
	argv[n++] = "-w";
	for (tok = strtok_r(buf, " ", &save); tok && n < 38; tok = strtok_r(NULL, " ", &save))
		argv[n++] = (remove && !strcmp(tok, "-A")) ? "-D" : tok;
	argv[n] = NULL;
	return xl_spawn(argv);
}

static int set_forward(const char *ns, bool on)
{
	return xl_run_ns(ns, "sysctl", "-qw",
			 on ? "net.ipv4.ip_forward=1" : "net.ipv4.ip_forward=0", NULL);
}

static void generic_teardown(struct xl_system *s)
{
	const struct xl_port *in = &s->tb->port[XL_ROLE_DUT_IN];

	xl_xdp_destroy(s->xdp);
	s->xdp = NULL;
	if (s->forward_set)
		set_forward(in->ns, false);
	s->forward_set = false;
	if (s->rules_applied)
		for (const char *const *r = s->def->nft_rules; *r; r++)
			apply_rule(in->ns, *r, true);
	s->rules_applied = false;
	if (s->gro_set)
		xl_testbed_gro(s->tb, XL_ROLE_DUT_IN, false);
	s->gro_set = false;
}

static int generic_setup(struct xl_system *s)
{
	const struct xl_system_def *d = s->def;
	const struct xl_port *in = &s->tb->port[XL_ROLE_DUT_IN];

	/* veth delivers xdp_xmit'd frames to a peer without native XDP only through GRO/NAPI. */
	if (s->mode != XL_SM_NATIVE && s->mode != XL_SM_NONE && s->tb->create) {
		if (xl_testbed_gro(s->tb, XL_ROLE_DUT_IN, true))
			return xl_fail(XL_EXIT_ENV, "cannot enable GRO on %s (ethtool)",
				       in->ifname);
		s->gro_set = true;
	}
	if (d->nft_rules) {
		for (const char *const *r = d->nft_rules; *r; r++) {
			if (apply_rule(in->ns, *r, false)) {
				for (const char *const *u = d->nft_rules; u != r; u++)
					apply_rule(in->ns, *u, true);
				generic_teardown(s);
				return xl_fail(XL_EXIT_ENV, "iptables %s failed in %s", *r, in->ns);
			}
		}
		s->rules_applied = true;
	}
	if (d->ip_forward) {
		if (set_forward(in->ns, true)) {
			generic_teardown(s);
			return xl_fail(XL_EXIT_ENV, "cannot enable IP forwarding in %s", in->ns);
		}
		s->forward_set = true;
	}
	if (d->xdp_prog) {
		struct xl_xdp_opts o = {
			.ns = in->ns[0] ? in->ns : NULL,
			.ifname = in->ifname,
			.mode = s->mode == XL_SM_NATIVE ? XL_MODE_NATIVE : XL_MODE_GENERIC,
			.prog = d->xdp_prog,
			.redirect_to =
				d->xdp_redirect_out ? s->tb->port[XL_ROLE_DUT_OUT].ifname : NULL,
		};

		s->xdp = xl_xdp_attach(&o);
		if (!s->xdp) {
			generic_teardown(s);
			return -1;
		}
	}
	return 0;
}

static int generic_read(struct xl_system *s, uint64_t *dut_pkts)
{
	const struct xl_port *in = &s->tb->port[XL_ROLE_DUT_IN];
	struct xl_datarec rec[XL_NR_ACTIONS];
	struct rtnl_link_stats64 st;
	int err;

	/* The program's own counters are exact; they count every frame it ran on. */
	if (s->xdp && !xl_xdp_read_stats(s->xdp, rec)) {
		*dut_pkts = 0;
		for (int a = 0; a < XL_NR_ACTIONS; a++)
			*dut_pkts += rec[a].packets;
		return 0;
	}
	/* Stack systems: frames the driver passed up (veth counts after its ring). */
	if (s->tb->dut_in_ifindex <= 0)
		return -ENODEV;
	err = xl_ns_link_stats(in->ns, s->tb->dut_in_ifindex, &st);
	if (err)
		return err;
	*dut_pkts = st.rx_packets;
	return 0;
}

int xl_system_setup(struct xl_system *s)
{
	return s->def->setup ? s->def->setup(s) : generic_setup(s);
}

int xl_system_read(struct xl_system *s, uint64_t *dut_pkts)
{
	return s->def->read ? s->def->read(s, dut_pkts) : generic_read(s, dut_pkts);
}

void xl_system_teardown(struct xl_system *s)
{
	if (s->def->teardown)
		s->def->teardown(s);
	else
		generic_teardown(s);
}
