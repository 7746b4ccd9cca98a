// SPDX-License-Identifier: GPL-2.0
/* relay.c - the generator's relay on xdplab's veth testbed (relay.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
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
	o.obj_path = path;
	tb->relay = xl_xdp_attach(&o);
	if (!tb->relay)
		return -1;
	snprintf(tb->gen_tx, sizeof(tb->gen_tx), "%s", XL_RELAY_TX);
	return xl_testbed_relay_copies(tb, 1);
}

void xl_testbed_relay_down(struct xl_testbed *tb)
{
	xl_xdp_destroy(tb->relay);
	tb->relay = NULL;
	tb->gen_tx[0] = 0;
}

int xl_testbed_relay_copies(const struct xl_testbed *tb, unsigned int copies)
{
	struct bpf_object *obj = tb->relay ? xl_xdp_object(tb->relay) : NULL;
	struct bpf_map *map = obj ? bpf_object__find_map_by_name(obj, "xl_relay_port") : NULL;
	const char *ns = xl_port_ns(tb, XL_ROLE_GEN);
	__u32 out = tb->ifindex[XL_ROLE_GEN];
	int saved, err;

	if (!map || copies < 1 || copies > XL_RELAY_MAX_COPIES)
		return xl_fail(XL_EXIT_FAIL, "relay copies %u: no relay or out of 1..%d", copies,
			       XL_RELAY_MAX_COPIES);
	/* A devmap's ifindex is resolved in the namespace of the updating thread. */
	err = xl_ns_enter(ns, &saved);
	if (err)
		return xl_fail(XL_EXIT_NOIF, "namespace %s: %s", ns, strerror(-err));
	for (__u32 k = 0; k < XL_RELAY_MAX_COPIES && !err; k++) {
		if (k < copies)
			err = bpf_map_update_elem(bpf_map__fd(map), &k, &out, 0) ? -errno : 0;
		else if (bpf_map_delete_elem(bpf_map__fd(map), &k) && errno != ENOENT)
			err = -errno;
	}
	xl_ns_leave(saved);
	if (err)
		return xl_fail(XL_EXIT_FAIL, "cannot set the relay to %u copies: %s", copies,
			       strerror(-err));
	return 0;
}

unsigned int xl_relay_copies_for(const struct xl_testbed *tb, double rate_pps)
{
	const unsigned int n = XL_RELAY_MAX_COPIES;
	double frame_s, copy_s;

	if (!tb->relay)
		return 1;
	if (rate_pps <= 0 || rate_pps >= XL_RELAY_UNPACED)
		return n;
	if (tb->relay_one_pps <= 0 || tb->relay_max_pps <= 0)
		return 1;
	frame_s = 1 / tb->relay_one_pps;
	copy_s = fmax(0, (n / tb->relay_max_pps - frame_s) / (n - 1));
	for (unsigned int k = 1; k < n; k++)
		if (rate_pps / k * (frame_s + (k - 1) * copy_s) <= XL_RELAY_LOAD)
			return k;
	return n;
}
