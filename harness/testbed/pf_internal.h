/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pf_internal.h - what the files of the preflight share and nothing outside
 * them uses: a port as a check sees it, the results one check leaves for a
 * later one, a fix, and the functions the check table (preflight.c) names:
 * who needs a check (pf_needs.c), and the tests and fixes of the host
 * (pf_host.c), of a port's link (pf_link.c) and of the DUT's forwarding path
 * (pf_route.c), with the helpers they share (pf_util.c).
 */
#ifndef XL_PF_INTERNAL_H
#define XL_PF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "preflight.h"

#define PF_ARGS 24

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
	bool route_bad[XL_NR_ROLES]; /* the route check of that port failed */
};

static inline const struct xl_port *port_of(const struct pf_port *p, enum xl_role r)
{
	return &p->in->tb->port[r];
}

static inline const char *role_ns(const struct pf_port *p, enum xl_role r)
{
	return xl_port_ns(p->in->tb, r);
}

/* The role at the other end of the cable (veth pair) of role r. */
static inline enum xl_role partner(enum xl_role r)
{
	static const enum xl_role other[XL_NR_ROLES] = { XL_ROLE_DUT_IN, XL_ROLE_GEN, XL_ROLE_SINK,
							 XL_ROLE_DUT_OUT };
	return other[r];
}

static inline bool is_veth(const struct pf_port *p)
{
	return !strcmp(p->driver, "veth");
}

/* pf_util.c */
/* The number in the sysfs/procfs file fmt (%s: ifname) in p's namespace, -1 if unreadable. */
long pf_sys_knob(const struct pf_port *p, const char *fmt, const char *ifname);
/* Start a command: `ip [-n NS] ...` (ip) or `[ip netns exec NS] TOOL ...`; returns argc. */
int pf_cmd_start(const char **v, const char *ns, const char *tool);
/* Append the arguments up to a NULL at v[n], and end v with NULL. */
void pf_cmd_args(const char **v, int n, ...);
/* v as one line, arguments separated by a space. */
void pf_join(char *buf, size_t len, const char *const *v);

/*
 * The columns of a check (preflight.c) that are functions.  needs: needed for
 * this run (s NULL) or by system s on port r?
 */
typedef bool pf_needs_fn(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r);
/* PF_OK, or PF_BAD and what is wrong in why. */
typedef enum pf_result pf_test_fn(struct pf_port *p, struct pf_state *st, char *why, size_t len);
/* A command and its inverse, or advice, in f. */
typedef void pf_fix_fn(struct pf_port *p, struct pf_fix *f);

/* pf_needs.c */
bool pf_sets_ip_forward(const struct xl_sys_entry *e);
pf_needs_fn pf_uses_role, pf_native_on, pf_needs_napi_path, pf_skb_generator, pf_dut_receives;
pf_needs_fn pf_needs_forwarding, pf_needs_path_to_sink, pf_needs_path_back, pf_needs_iptables;
pf_needs_fn pf_run_rr;
pf_needs_fn pf_run_livefr, pf_run_cpus, pf_run_dut_in;

/* pf_host.c */
pf_test_fn pf_t_live_frames, pf_t_cpus;
pf_fix_fn pf_f_live_frames, pf_f_cpus;

/* pf_link.c */
pf_test_fn pf_t_link_up, pf_t_carrier, pf_t_mtu, pf_t_native, pf_t_gro, pf_t_tso, pf_t_threaded,
	pf_t_queues;
pf_fix_fn pf_f_link_up, pf_f_carrier, pf_f_mtu, pf_f_native, pf_f_gro, pf_f_tso, pf_f_threaded,
	pf_f_queues;

/* pf_route.c */
pf_test_fn pf_t_forwarding, pf_t_route, pf_t_neigh, pf_t_dut_addr, pf_t_rp_filter, pf_t_iptables;
pf_fix_fn pf_f_forwarding, pf_f_route, pf_f_neigh, pf_f_dut_addr, pf_f_rp_filter, pf_f_iptables;

#endif
