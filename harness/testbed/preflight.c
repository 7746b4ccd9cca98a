// SPDX-License-Identifier: GPL-2.0
/*
 * preflight.c - the testbed checks (see preflight.h) as one table.  A check
 * names the port it looks at (one role, or every role a system uses), who needs
 * it (a predicate over the run and each (system, mode) of the config), a test
 * that says what is wrong, and the fix: a command xdplab can run and undo, or
 * advice where the fix is not a state change xdplab should make (install a
 * package, change the config).  What xdplab sets up itself on the veth testbed
 * it creates (GRO per trial) is checked only on existing testbeds.  This file
 * holds the table, runs it, applies the fixes and prints the lines; who needs
 * a check is pf_needs.c, the tests and fixes are pf_host.c, pf_link.c and
 * pf_route.c (pf_internal.h).
 */
#include <stdio.h>
#include <string.h>
#include "preflight.h"
#include "pf_internal.h"
#include "netns.h"
#include "xl_spawn.h"

#define PF_ALL_ROLES XL_NR_ROLES

enum pf_level {
	PF_ERROR,
	PF_WARN
};

struct pf_check {
	const char *id;
	const char *what; /* the condition, as printed when it holds */
	enum xl_role role; /* PF_ALL_ROLES: each port a system uses */
	enum pf_level level;
	bool existing_only; /* xdplab sets this up itself on a veth testbed it creates */
	pf_needs_fn *needs;
	pf_test_fn *test;
	pf_fix_fn *fix;
};

static struct pf_state state;

static const struct pf_check checks[] = {
	{ "live-frames", "the kernel runs the live-frames generator", XL_ROLE_GEN, PF_ERROR, false,
	  pf_run_livefr, pf_t_live_frames, pf_f_live_frames },
	{ "cpus", "the configured CPUs can be pinned", XL_ROLE_GEN, PF_ERROR, false, pf_run_cpus,
	  pf_t_cpus, pf_f_cpus },
	{ "cpus", "the configured CPUs can be pinned", XL_ROLE_DUT_IN, PF_ERROR, false, pf_run_cpus,
	  pf_t_cpus, pf_f_cpus },
	{ "link", "link up", PF_ALL_ROLES, PF_ERROR, false, pf_uses_role, pf_t_link_up,
	  pf_f_link_up },
	{ "carrier", "carrier", PF_ALL_ROLES, PF_ERROR, false, pf_uses_role, pf_t_carrier,
	  pf_f_carrier },
	{ "mtu", "MTU fits native XDP", PF_ALL_ROLES, PF_ERROR, false, pf_native_on, pf_t_mtu,
	  pf_f_mtu },
	{ "xdp-native", "the driver attaches native XDP", PF_ALL_ROLES, PF_ERROR, false,
	  pf_native_on, pf_t_native, pf_f_native },
	{ "gro", "GRO on (veth receives redirected frames through NAPI)", XL_ROLE_DUT_IN, PF_ERROR,
	  true, pf_needs_napi_path, pf_t_gro, pf_f_gro },
	{ "tso", "no TSO on the generator's veth (its skbs reach the DUT's NAPI)", XL_ROLE_GEN,
	  PF_ERROR, true, pf_skb_generator, pf_t_tso, pf_f_tso },
	{ "napi", "threaded NAPI available (receive work pinned to the DUT cores)", XL_ROLE_DUT_IN,
	  PF_WARN, false, pf_dut_receives, pf_t_threaded, pf_f_threaded },
	{ "queues", "RX queues for every DUT core", XL_ROLE_DUT_IN, PF_ERROR, false, pf_run_dut_in,
	  pf_t_queues, pf_f_queues },
	{ "forwarding", "IPv4 forwarding on", XL_ROLE_DUT_IN, PF_ERROR, false, pf_needs_forwarding,
	  pf_t_forwarding, pf_f_forwarding },
	{ "rp-filter", "rp_filter passes the generator's source", XL_ROLE_DUT_IN, PF_ERROR, false,
	  pf_needs_forwarding, pf_t_rp_filter, pf_f_rp_filter },
	{ "route", "route to the sink's address", XL_ROLE_DUT_OUT, PF_ERROR, false,
	  pf_needs_path_to_sink, pf_t_route, pf_f_route },
	{ "neighbour", "static neighbour entry for the sink", XL_ROLE_DUT_OUT, PF_ERROR, false,
	  pf_needs_path_to_sink, pf_t_neigh, pf_f_neigh },
	{ "route-back", "route back to the generator's address", XL_ROLE_DUT_IN, PF_ERROR, false,
	  pf_needs_path_back, pf_t_route, pf_f_route },
	{ "neighbour-back", "static neighbour entry for the generator", XL_ROLE_DUT_IN, PF_ERROR,
	  false, pf_needs_path_back, pf_t_neigh, pf_f_neigh },
	{ "dut-addr", "the DUT has its address (request/response server)", XL_ROLE_DUT_IN, PF_ERROR,
	  true, pf_run_rr, pf_t_dut_addr, pf_f_dut_addr },
	{ "rr-route", "route to the DUT's address out of the generator port", XL_ROLE_GEN, PF_ERROR,
	  true, pf_run_rr, pf_t_route, pf_f_route },
	{ "rr-neighbour", "static neighbour entry for the DUT beside the generator", XL_ROLE_GEN,
	  PF_ERROR, true, pf_run_rr, pf_t_neigh, pf_f_neigh },
	{ "iptables", "iptables works in the DUT namespace", XL_ROLE_DUT_IN, PF_ERROR, false,
	  pf_needs_iptables, pf_t_iptables, pf_f_iptables },
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
		p->all_set_fwd &= pf_sets_ip_forward(s->e);
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
	if (p->in->line)
		p->in->line(p->in->line_ctx, tag, msg);
	else
		xl_pf_print(report, tag, "", msg);
}

void xl_pf_print(enum xl_pf_report report, const char *tag, const char *host, const char *msg)
{
	if (report == XL_PF_ALL)
		printf("%-5s %s%s\n", tag, host, msg);
	else
		fprintf(stderr, "xdplab: preflight: %s%s%s%s\n", strcmp(tag, "FAIL") ? tag : "",
			strcmp(tag, "FAIL") ? " " : "", host, msg);
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
		pf_join(f.text, sizeof(f.text), f.argv);
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
