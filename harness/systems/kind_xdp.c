// SPDX-License-Identifier: GPL-2.0
/*
 * kind_xdp.c - systems that are an XDP program on dut-in: the built-in object
 * or any XDP object file, in native or generic mode, with `const volatile`
 * settings applied before load and map entries after, optionally in front of
 * stack rules (kind_stack.c).  The DUT's count is the program's own xl_stats
 * when the object has that map, else the frames dut-in received.
 *
 * Settings:  rodata.VAR = INTEGER          a const volatile global of the object
 *            map.NAME.KEY = VALUE | @ROLE   u32 -> u32 entry; @dut-out = that port's ifindex
 *                                           (KEY may be @ROLE too: a devmap keyed by ifindex)
 *            ddos.rule = RULE (ddos.rule.2 = ...)  a rule of the DDoS filter's maps
 *                                           (apps/ddos_ctl.h: "udp:9", "203.0.113.0/24")
 *            lb = plan                      write the experiment's load-balancer plan
 *                                           into the balancer's maps (apps/lb_plan.h)
 *            plus the stack kind's iptables / sysctl / sink
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "system.h"
#include "kind_stack.h"
#include "netns.h"
#include "util.h"
#include "xdp_attach.h"
#include "xl_err.h"
#include "apps/ddos_ctl.h"
#include "apps/lb_plan.h"

static const char *const xdp_keys[] = { "rodata.*",    "map.*",	      "ddos.rule",
					"ddos.rule.*", XL_STACK_KEYS, NULL };

static int role_of(const char *name)
{
	for (int r = 0; r < XL_NR_ROLES; r++)
		if (!strcmp(name, xl_role_name(r)))
			return r;
	return -1;
}

/* N or @ROLE (that port's ifindex; 0 when only checking, tb NULL). */
static int u32_or_role(const struct xl_sys_entry *e, const struct xl_testbed *tb, const char *k,
		       const char *v, long *out)
{
	int r;

	if (v[0] != '@') {
		if (!xl_parse_int(v, 0, UINT32_MAX, out))
			return 0;
		return xl_fail(XL_EXIT_CONFIG, "%s: [system %s] %s: want a u32 or @role, not '%s'",
			       e->source, e->name, k, v);
	}
	r = role_of(v + 1);
	if (r < 0)
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [system %s] %s: unknown role '%s' (generator, dut-in, dut-out, "
			       "sink)",
			       e->source, e->name, k, v + 1);
	*out = tb ? xl_ns_ifindex(xl_port_ns(tb, r), tb->port[r].ifname) : 0;
	if (*out < 0)
		return xl_fail(XL_EXIT_NOIF, "%s port %s does not exist", xl_role_name(r),
			       tb->port[r].ifname);
	return 0;
}

/*
 * The entry's settings as loader options.  tb NULL: check only (roles are
 * not resolved).  Errors are xl_fail(XL_EXIT_CONFIG) naming the entry.
 */
static int xdp_opts(const struct xl_sys_entry *e, const struct xl_testbed *tb,
		    struct xl_xdp_opts *o, char map_names[][64])
{
	for (int i = 0; i < e->nsettings; i++) {
		const char *k = e->settings[i].key, *v = e->settings[i].value, *dot;
		struct xl_xdp_map_entry *m;
		long key, val;

		if (!strncmp(k, "rodata.", 7)) {
			if (o->nglobals == XL_XDP_MAX_SETS)
				return xl_fail(XL_EXIT_CONFIG, "%s: too many rodata settings",
					       e->source);
			o->globals[o->nglobals++] = (struct xl_xdp_global){ k + 7, v };
			continue;
		}
		if (strncmp(k, "map.", 4))
			continue;
		dot = strrchr(k + 4, '.');
		if (!dot || dot == k + 4 || (size_t)(dot - k - 4) >= 64 ||
		    (dot[1] != '@' && xl_parse_int(dot + 1, 0, UINT32_MAX, &key)))
			return xl_fail(XL_EXIT_CONFIG,
				       "%s: [system %s] %s: want map.NAME.KEY (KEY a u32 or @role)",
				       e->source, e->name, k);
		if (o->nmaps == XL_XDP_MAX_SETS)
			return xl_fail(XL_EXIT_CONFIG, "%s: too many map settings", e->source);
		if (u32_or_role(e, tb, k, dot + 1, &key) || u32_or_role(e, tb, k, v, &val))
			return -1;
		snprintf(map_names[o->nmaps], 64, "%.*s", (int)(dot - k - 4), k + 4);
		m = &o->maps[o->nmaps++];
		*m = (struct xl_xdp_map_entry){ map_names[o->nmaps - 1], key, val };
	}
	return 0;
}

/* The DDoS filter's rules, in key order (ddos.rule, ddos.rule.2, ...); maps NULL: check only. */
static int ddos_rules(const struct xl_sys_entry *e, const struct xl_ddos_maps *maps)
{
	for (int i = 0; i < e->nsettings; i++) {
		const char *k = e->settings[i].key, *v = e->settings[i].value;
		struct xl_ddos_l4_key l4;
		struct xl_ddos_src_key src;
		int is_src, err;

		if (strcmp(k, "ddos.rule") && strncmp(k, "ddos.rule.", 10))
			continue;
		err = maps ? xl_ddos_rule_add(maps, v) : xl_ddos_rule_parse(v, &l4, &src, &is_src);
		if (err == -EINVAL)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s: [system %s] %s: '%s' is not PROTO[:PORT] or ADDR/LEN",
				       e->source, e->name, k, v);
		if (err)
			return xl_fail(XL_EXIT_BPF, "[system %s] cannot add rule '%s': %s", e->name,
				       v, strerror(-err));
	}
	return 0;
}

static int xdp_apps(struct xl_system *s)
{
	struct bpf_object *obj = xl_xdp_object(s->xdp);
	const char *lb = xl_setting(s->e, "lb");
	struct xl_ddos_maps dm;
	int err;

	if (xl_setting(s->e, "ddos.rule")) {
		if (xl_ddos_maps_find(obj, &dm))
			return xl_fail(XL_EXIT_CONFIG,
				       "[system %s]: ddos.rule needs the DDoS "
				       "filter's maps (xl_ddos_l4, xl_ddos_src)",
				       s->e->name);
		if (ddos_rules(s->e, &dm))
			return -1;
	}
	if (lb) {
		const struct xl_testbed *tb = s->tb;
		struct xl_lb_ctl ctl = { .src_addr = tb->port[XL_ROLE_DUT_IN].ip.s_addr };
		struct xl_lb_maps lm;

		if (!s->lb)
			return xl_fail(XL_EXIT_CONFIG,
				       "[system %s]: lb = plan needs an experiment "
				       "with lb_vips, lb_reals and src_addrs",
				       s->e->name);
		if (xl_lb_maps_find(obj, &lm))
			return xl_fail(XL_EXIT_CONFIG,
				       "[system %s]: lb = plan needs the load "
				       "balancer's maps (xl_lb_vips, ...)",
				       s->e->name);
		/*
		 * Out toward the reals: back where the frames came in (XDP_TX, Katran's way,
		 * counts = back) or out of dut-out to the sink (cfg_redirect, counts = sink).
		 */
		if (s->e->counts == XL_COUNTS_SINK) {
			memcpy(ctl.dst_mac, tb->port[XL_ROLE_SINK].mac, 6);
			memcpy(ctl.src_mac, tb->port[XL_ROLE_DUT_OUT].mac, 6);
			ctl.src_addr = tb->port[XL_ROLE_DUT_OUT].ip.s_addr;
		} else {
			memcpy(ctl.dst_mac, tb->port[XL_ROLE_GEN].mac, 6);
			memcpy(ctl.src_mac, tb->port[XL_ROLE_DUT_IN].mac, 6);
		}
		err = xl_lb_plan_apply(&lm, s->lb, &ctl);
		if (err)
			return xl_fail(XL_EXIT_BPF,
				       "[system %s]: cannot write the load-balancer "
				       "plan: %s",
				       s->e->name, strerror(-err));
	}
	return 0;
}

static int xdp_check(const struct xl_sys_entry *e, const char *run_opts)
{
	struct xl_xdp_opts o = {};
	char names[XL_XDP_MAX_SETS][64];
	const char *lb = xl_setting(e, "lb");

	(void)run_opts;
	if (xdp_opts(e, NULL, &o, names) || ddos_rules(e, NULL))
		return -1;
	if (lb && strcmp(lb, "plan"))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [system %s] lb: an XDP system takes 'plan', "
			       "not '%s'",
			       e->source, e->name, lb);
	return xl_xdp_check_object(e->obj, e->prog);
}

static int xdp_setup(struct xl_system *s)
{
	const struct xl_port *in = &s->tb->port[XL_ROLE_DUT_IN];
	struct xl_xdp_opts o = {
		.ns = xl_port_ns(s->tb, XL_ROLE_DUT_IN),
		.ifname = in->ifname,
		.mode = s->mode == XL_SM_NATIVE ? XL_MODE_NATIVE : XL_MODE_GENERIC,
		.prog = s->e->prog,
		.obj_path = s->e->obj,
	};
	char names[XL_XDP_MAX_SETS][64];

	if (xl_system_rx_path(s) || xl_stack_apply(s) || xdp_opts(s->e, s->tb, &o, names))
		return -1;
	s->xdp = xl_xdp_attach(&o);
	if (!s->xdp)
		return -1;
	if (xdp_apps(s)) {
		xl_xdp_destroy(s->xdp); /* a failed set-up owes no teardown: detach here */
		s->xdp = NULL;
		return -1;
	}
	return 0;
}

static int xdp_read(struct xl_system *s, uint64_t *dut_pkts)
{
	struct xl_datarec rec[XL_NR_ACTIONS];

	/* The program's own counters are exact; they count every frame it ran on. */
	if (s->xdp && !xl_xdp_read_stats(s->xdp, rec)) {
		*dut_pkts = 0;
		for (int a = 0; a < XL_NR_ACTIONS; a++)
			*dut_pkts += rec[a].packets;
		return 0;
	}
	return xl_system_link_rx(s, dut_pkts);
}

static void xdp_teardown(struct xl_system *s)
{
	xl_xdp_destroy(s->xdp);
	s->xdp = NULL;
}

static const struct xl_kind_ops xdp_kind = {
	.name = "xdp",
	.what = "an XDP program (built-in or any object file) on dut-in",
	.modes = XL_SM_NATIVE | XL_SM_GENERIC,
	.keys = xdp_keys,
	.check = xdp_check,
	.setup = xdp_setup,
	.read = xdp_read,
	.teardown = xdp_teardown,
};

XL_CONSTRUCTOR(register_xdp)
{
	xl_kind_register(&xdp_kind);
}
