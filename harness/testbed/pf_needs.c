// SPDX-License-Identifier: GPL-2.0
/*
 * pf_needs.c - who needs a preflight check: the predicates of the table's
 * "needs" column (preflight.c).  Each answers for the run as a whole (s NULL)
 * or for one (system, mode) of the config on one role's port, from what the
 * system counts where, its mode, and the settings it applies itself.
 */
#include <string.h>
#include "pf_internal.h"

static enum xl_role sink_role(enum xl_counts c)
{
	return c == XL_COUNTS_BACK ? XL_ROLE_GEN
	       : c == XL_COUNTS_IN ? XL_ROLE_DUT_IN
				   : XL_ROLE_SINK;
}

bool pf_sets_ip_forward(const struct xl_sys_entry *e)
{
	const char *v = xl_setting(e, "sysctl");

	return v && strstr(v, "net.ipv4.ip_forward=1");
}

bool pf_uses_role(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	if (!s)
		return false;
	return r == XL_ROLE_GEN || r == XL_ROLE_DUT_IN || s->e->counts == XL_COUNTS_SINK;
}

/* A native XDP program goes on port r: the system's own on dut-in, or the sink's. */
bool pf_native_on(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	if (!s)
		return false;
	return (r == XL_ROLE_DUT_IN && s->mode == XL_SM_NATIVE) ||
	       (s->e->counts != XL_COUNTS_DUT && sink_role(s->e->counts) == r);
}

/* veth gives dut-in a NAPI instance (it receives redirected frames) only with native XDP or GRO. */
bool pf_needs_napi_path(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && s->e->counts != XL_COUNTS_IN &&
	       (s->mode == XL_SM_GENERIC || s->mode == XL_SM_STACK);
}

/*
 * An skb generator (DPDK, pktgen) on a veth with TSO: veth skips the peer's NAPI,
 * for systems without native XDP on dut-in (native XDP clears the peer's TSO itself).
 */
bool pf_skb_generator(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	return !in->livefr && r == XL_ROLE_GEN && pf_needs_napi_path(in, s, XL_ROLE_DUT_IN);
}

bool pf_dut_receives(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && s->e->counts != XL_COUNTS_IN && s->mode != XL_SM_DPDK;
}

/* Systems whose frames the kernel forwards (its FIB decides), toward the sink or back. */
static bool kernel_forwards(const struct xl_pf_sys *s)
{
	return (s->e->counts == XL_COUNTS_SINK || s->e->counts == XL_COUNTS_BACK) &&
	       (s->mode == XL_SM_STACK || pf_sets_ip_forward(s->e));
}

/* ... toward the sink. */
static bool kernel_routes(const struct xl_pf_sys *s)
{
	return s->e->counts == XL_COUNTS_SINK && kernel_forwards(s);
}

bool pf_needs_forwarding(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && kernel_forwards(s);
}

/* A route and a neighbour toward the sink: routed systems, and the routing fixture's next hop. */
bool pf_needs_path_to_sink(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	if (r != XL_ROLE_DUT_OUT)
		return false;
	return s ? kernel_routes(s) : in->routes;
}

/*
 * A route and a neighbour back to the generator: systems the kernel forwards
 * back (one-armed), and the load balancer's fixture, whose routes go via it.
 */
bool pf_needs_path_back(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	if (r != XL_ROLE_DUT_IN)
		return false;
	return s ? s->e->counts == XL_COUNTS_BACK && kernel_forwards(s) : in->lb;
}

/*
 * The rr workload (a TCP client beside the generator, a server at the DUT's
 * address): that address on dut-in, and a way to it out of the generator port.
 */
bool pf_run_rr(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	return !s && in->rr && (r == XL_ROLE_GEN || r == XL_ROLE_DUT_IN);
}

bool pf_needs_iptables(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return s && r == XL_ROLE_DUT_IN && xl_setting(s->e, "iptables");
}

bool pf_run_livefr(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	return !s && r == XL_ROLE_GEN && in->livefr;
}

bool pf_run_cpus(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return !s && (r == XL_ROLE_GEN || r == XL_ROLE_DUT_IN);
}

bool pf_run_dut_in(const struct xl_pf_input *in, const struct xl_pf_sys *s, enum xl_role r)
{
	(void)in;
	return !s && r == XL_ROLE_DUT_IN;
}
