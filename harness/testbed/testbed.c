// SPDX-License-Identifier: GPL-2.0
/*
 * testbed.c - roles and ports, the veth testbed (created with iproute2 and
 * recorded in the cleanup registry namespace by namespace), the CPU budget,
 * and existing ports named by the config.  Deleting a namespace also destroys
 * its veth ends and every XDP program and rule inside it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/file.h>
#include "testbed.h"
#include "gen/pkt.h"
#include "netns.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define XL_LOCK_FILE "/run/xdplab.lock"

static const char *const role_names[XL_NR_ROLES] = { "generator", "dut-in", "dut-out", "sink" };
/* veth defaults: documentation address ranges (RFC 5737), locally administered MACs. */
static const struct {
	const char *ns_suffix, *ifname, *ip, *mac;
} veth_defaults[XL_NR_ROLES] = {
	[XL_ROLE_GEN] = { "gen", "gen0", "192.0.2.1", "02:58:4c:00:00:01" },
	[XL_ROLE_DUT_IN] = { "dut", "dut-in", "192.0.2.2", "02:58:4c:00:00:02" },
	[XL_ROLE_DUT_OUT] = { "dut", "dut-out", "198.51.100.1", "02:58:4c:00:00:03" },
	[XL_ROLE_SINK] = { "sink", "sink0", "198.51.100.2", "02:58:4c:00:00:04" },
};
static const char *const ns_suffixes[XL_TB_NAMESPACES] = { "gen", "dut", "sink" };

const char *xl_role_name(enum xl_role r)
{
	return r < XL_NR_ROLES ? role_names[r] : "?";
}

const char *xl_port_ns(const struct xl_testbed *tb, enum xl_role r)
{
	return tb->port[r].ns[0] ? tb->port[r].ns : NULL;
}

void xl_testbed_init_veth(struct xl_testbed *tb, int cores, const char *prefix)
{
	memset(tb, 0, sizeof(*tb));
	tb->create = true;
	tb->lock_fd = -1;
	tb->cores = cores;
	snprintf(tb->prefix, sizeof(tb->prefix), "%s", prefix);
	for (int r = 0; r < XL_NR_ROLES; r++) {
		struct xl_port *p = &tb->port[r];

		snprintf(p->ns, sizeof(p->ns), "%s-%s", tb->prefix, veth_defaults[r].ns_suffix);
		snprintf(p->ifname, sizeof(p->ifname), "%s", veth_defaults[r].ifname);
		inet_pton(AF_INET, veth_defaults[r].ip, &p->ip);
		xl_parse_mac(veth_defaults[r].mac, p->mac);
	}
	/* Generator threads on the first cores, DUT queues on the next ones. */
	for (int i = 0; i < cores && i < XL_MAX_CORES; i++) {
		tb->gen_cpus[i] = i;
		tb->dut_cpus[i] = cores + i;
	}
}

int xl_testbed_check_cpus(const struct xl_testbed *tb)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t seen;

	if (tb->cores < 1 || tb->cores > XL_MAX_CORES)
		return xl_fail(XL_EXIT_USAGE, "cores must be 1..%d", XL_MAX_CORES);
	/*
	 * Test hook, read here only: XDPLAB_SHARE_CPUS=1 lets generator and DUT share
	 * CPUs, so the N-queue path can be tested on a machine with fewer than 2N CPUs
	 * (tests/test_multiqueue.sh).  Its numbers are not measurements.
	 */
	if (getenv("XDPLAB_SHARE_CPUS") && !strcmp(getenv("XDPLAB_SHARE_CPUS"), "1")) {
		for (int i = 0; i < tb->cores; i++)
			if (tb->gen_cpus[i] < 0 || tb->gen_cpus[i] >= online ||
			    tb->dut_cpus[i] < 0 || tb->dut_cpus[i] >= online)
				return xl_fail(XL_EXIT_CONFIG, "CPUs must be online (0..%ld)",
					       online - 1);
		xl_warn("XDPLAB_SHARE_CPUS=1: generator and DUT may share CPUs, a functional "
			"test only; the numbers are not measurements");
		return 0;
	}
	if (2L * tb->cores > online)
		return xl_fail(XL_EXIT_ENV,
			       "%d DUT cores need %d CPUs (one generator core per DUT core), "
			       "this machine has %ld; see README 'Scaling with cores'",
			       tb->cores, 2 * tb->cores, online);
	CPU_ZERO(&seen);
	for (int i = 0; i < tb->cores; i++) {
		int c[2] = { tb->gen_cpus[i], tb->dut_cpus[i] };

		for (int k = 0; k < 2; k++) {
			if (c[k] < 0 || c[k] >= online)
				return xl_fail(XL_EXIT_CONFIG, "CPU %d is not online (0..%ld)",
					       c[k], online - 1);
			if (CPU_ISSET(c[k], &seen))
				return xl_fail(
					XL_EXIT_CONFIG,
					"CPU %d is used twice: generator and DUT cores must be distinct",
					c[k]);
			CPU_SET(c[k], &seen);
		}
	}
	return 0;
}

int xl_testbed_existing_port(struct xl_testbed *tb, enum xl_role r, const char *spec)
{
	struct xl_port *p = &tb->port[r];
	struct in_addr ip = p->ip;
	const char *colon = strchr(spec, ':');

	if (!*spec)
		return xl_fail(XL_EXIT_CONFIG, "existing testbed: role '%s' has no interface",
			       xl_role_name(r));
	memset(p, 0, sizeof(*p));
	p->ip = ip;
	if (colon) {
		snprintf(p->ns, sizeof(p->ns), "%.*s", (int)(colon - spec), spec);
		spec = colon + 1;
	}
	snprintf(p->ifname, sizeof(p->ifname), "%s", spec);
	if (!xl_ns_exists(p->ns) || xl_ns_ifindex(p->ns, p->ifname) < 0)
		return xl_fail(XL_EXIT_NOIF, "existing testbed: %s interface '%s' does not exist",
			       xl_role_name(r), spec);
	tb->create = false;
	return xl_ns_mac(p->ns, p->ifname, p->mac);
}

static int take_lock(struct xl_testbed *tb)
{
	tb->lock_fd = open(XL_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (tb->lock_fd < 0)
		return xl_fail(XL_EXIT_ENV, "cannot open %s: %s", XL_LOCK_FILE, strerror(errno));
	if (flock(tb->lock_fd, LOCK_EX | LOCK_NB)) {
		close(tb->lock_fd);
		tb->lock_fd = -1;
		return xl_fail(XL_EXIT_ENV,
			       "another xdplab run holds %s: measurements must not overlap",
			       XL_LOCK_FILE);
	}
	return 0;
}

#define RUN(...)                                                                            \
	do {                                                                                \
		if (xl_run(__VA_ARGS__, NULL)) {                                            \
			xl_fail(XL_EXIT_ENV, "testbed set-up failed at: %s", #__VA_ARGS__); \
			goto fail;                                                          \
		}                                                                           \
	} while (0)

static int make_pair(struct xl_testbed *tb, enum xl_role a, enum xl_role b)
{
	struct xl_port *pa = &tb->port[a], *pb = &tb->port[b];
	char q[16], maca[24], macb[24], ipa[40], ipb[40];

	snprintf(q, sizeof(q), "%d", tb->cores);
	xl_format_mac(pa->mac, maca, sizeof(maca));
	xl_format_mac(pb->mac, macb, sizeof(macb));
	snprintf(ipa, sizeof(ipa), "%s/24", inet_ntoa(pa->ip));
	snprintf(ipb, sizeof(ipb), "%s/24", inet_ntoa(pb->ip));
	RUN("ip", "-n", pa->ns, "link", "add", pa->ifname, "numtxqueues", q, "numrxqueues", q,
	    "address", maca, "type", "veth", "peer", "name", pb->ifname, "netns", pb->ns,
	    "numtxqueues", q, "numrxqueues", q, "address", macb);
	RUN("ip", "-n", pa->ns, "addr", "add", ipa, "dev", pa->ifname);
	RUN("ip", "-n", pb->ns, "addr", "add", ipb, "dev", pb->ifname);
	RUN("ip", "-n", pa->ns, "link", "set", pa->ifname, "up");
	RUN("ip", "-n", pb->ns, "link", "set", pb->ifname, "up");
	/* Static neighbours: no ARP inside a measurement. */
	RUN("ip", "-n", pa->ns, "neigh", "replace", inet_ntoa(pb->ip), "lladdr", macb, "dev",
	    pa->ifname, "nud", "permanent");
	RUN("ip", "-n", pb->ns, "neigh", "replace", inet_ntoa(pa->ip), "lladdr", maca, "dev",
	    pb->ifname, "nud", "permanent");
	return 0;
fail:
	return -1;
}

static void resolve_ifindexes(struct xl_testbed *tb)
{
	for (int r = 0; r < XL_NR_ROLES; r++)
		tb->ifindex[r] = xl_ns_ifindex(tb->port[r].ns, tb->port[r].ifname);
}

int xl_testbed_up(struct xl_testbed *tb)
{
	char sink_net[64], gen_net[64];

	if (!tb->create) {
		tb->up = true;
		resolve_ifindexes(tb);
		return 0;
	}
	if (take_lock(tb))
		return -1;
	/* Whatever a killed xdplab left behind goes first (namespaces, sysctls, ...). */
	xl_undo_sweep(false);
	tb->up = true; /* from here on, down() has something to remove */
	for (int i = 0; i < XL_TB_NAMESPACES; i++) {
		char ns[64];

		snprintf(ns, sizeof(ns), "%s-%s", tb->prefix, ns_suffixes[i]);
		RUN("ip", "netns", "add", ns);
		tb->ns_undo[i] = xl_undo_add("netns", ns, NULL);
		RUN("ip", "-n", ns, "link", "set", "lo", "up");
		/* No IPv6 neighbour discovery or MLD chatter on the measured links. */
		RUN("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
		    "net.ipv6.conf.default.disable_ipv6=1");
	}
	if (make_pair(tb, XL_ROLE_GEN, XL_ROLE_DUT_IN) ||
	    make_pair(tb, XL_ROLE_DUT_OUT, XL_ROLE_SINK))
		goto fail;
	/*
	 * A generator that sends skbs (the DPDK generator's AF_XDP copy mode, pktgen's
	 * AF_PACKET) reaches dut-in's NAPI, and so the DUT's pinned core, only if the
	 * sending veth has no TSO: veth hands other skbs to netif_rx on the sender's CPU.
	 * (Native XDP on dut-in clears it too; generic and stack systems have none.)
	 */
	RUN("ip", "netns", "exec", tb->port[XL_ROLE_GEN].ns, "ethtool", "-K",
	    tb->port[XL_ROLE_GEN].ifname, "tso", "off");
	/* Routes so that the Linux forwarding baseline and replies have a path. */
	snprintf(sink_net, sizeof(sink_net), "%s/32", inet_ntoa(tb->port[XL_ROLE_SINK].ip));
	snprintf(gen_net, sizeof(gen_net), "%s/32", inet_ntoa(tb->port[XL_ROLE_GEN].ip));
	RUN("ip", "-n", tb->port[XL_ROLE_GEN].ns, "route", "add", sink_net, "via",
	    inet_ntoa(tb->port[XL_ROLE_DUT_IN].ip));
	RUN("ip", "-n", tb->port[XL_ROLE_SINK].ns, "route", "add", gen_net, "via",
	    inet_ntoa(tb->port[XL_ROLE_DUT_OUT].ip));
	resolve_ifindexes(tb);
	return 0;
fail:
	xl_testbed_down(tb);
	return -1;
}

void xl_testbed_down(struct xl_testbed *tb)
{
	for (int i = XL_TB_NAMESPACES - 1; i >= 0; i--) {
		if (tb->ns_undo[i] > 0)
			xl_undo_run(tb->ns_undo[i]);
		tb->ns_undo[i] = 0;
	}
	tb->up = false;
	if (tb->lock_fd >= 0) {
		close(tb->lock_fd);
		tb->lock_fd = -1;
	}
}
