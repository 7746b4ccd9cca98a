// SPDX-License-Identifier: GPL-2.0
/* relay.c - the generator's relay on xdplab's veth testbed (relay.h). */
#include <stdio.h>
#include <string.h>
#include "relay.h"
#include "netns.h"
#include "util.h"
#include "xdp_attach.h"
#include "xl_err.h"
#include "xl_spawn.h"

int xl_testbed_relay_up(struct xl_testbed *tb)
{
	const char *ns = xl_port_ns(tb, XL_ROLE_GEN);
	struct xl_xdp_opts o = {
		.ns = ns,
		.ifname = XL_RELAY_RX,
		.mode = XL_MODE_NATIVE,
		.prog = "xdp_relay",
	};
	char path[4096], q[16];
	int out;

	if (!tb->create || !ns)
		return xl_fail(XL_EXIT_FAIL, "the relay is for xdplab's own veth testbed");
	if (xl_exe_relative("xdp_relay.bpf.o", path, sizeof(path)))
		return xl_fail(XL_EXIT_ENV, "xdp_relay.bpf.o is not beside xdplab (run make)");
	snprintf(q, sizeof(q), "%d", tb->cores);
	if (xl_run("ip", "-n", ns, "link", "add", XL_RELAY_TX, "numtxqueues", q, "numrxqueues", q,
		   "type", "veth", "peer", "name", XL_RELAY_RX, "numtxqueues", q, "numrxqueues", q,
		   NULL) ||
	    xl_run("ip", "-n", ns, "link", "set", XL_RELAY_TX, "up", NULL) ||
	    xl_run("ip", "-n", ns, "link", "set", XL_RELAY_RX, "up", NULL))
		return xl_fail(XL_EXIT_ENV, "cannot make the generator's relay in %s (see run.log)",
			       ns);
	out = xl_ns_ifindex(ns, tb->port[XL_ROLE_GEN].ifname);
	if (out < 0)
		return xl_fail(XL_EXIT_NOIF, "generator port %s is gone",
			       tb->port[XL_ROLE_GEN].ifname);
	o.obj_path = path;
	o.maps[o.nmaps++] = (struct xl_xdp_map_entry){ "xl_relay_port", 0, out };
	tb->relay = xl_xdp_attach(&o);
	if (!tb->relay)
		return -1;
	snprintf(tb->gen_tx, sizeof(tb->gen_tx), "%s", XL_RELAY_TX);
	return 0;
}

void xl_testbed_relay_down(struct xl_testbed *tb)
{
	xl_xdp_destroy(tb->relay);
	tb->relay = NULL;
	tb->gen_tx[0] = 0;
}
