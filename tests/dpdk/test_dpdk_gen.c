// SPDX-License-Identifier: GPL-2.0
/*
 * test_dpdk_gen.c - the "dpdk" generator backend on its own veth pair
 * (namespaces xldg<pid>-gen / xldg<pid>-dut, removed on exit and swept if a
 * previous run died): frames captured at the peer are byte-identical to
 * pkt.c's template with the flow, generator id, sequence number and a
 * CLOCK_MONOTONIC timestamp stamped like xdp_gen does (the live-frames
 * generator, whose stamp is bpf_ktime_get_ns(), is captured in the same way
 * for comparison); exactly K frames reach the xdplab sink program with the
 * right size; the paced rate is within 5% of 50 and 200 kpps over 2 s; the
 * EAL never mentions PCI; nothing is left behind (process, runtime
 * directory, shared-memory file, hugepages).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include "test_common.h"
#include "dpdk/hugepages.h"
#include "gen/gen.h"
#include "netns.h"
#include "gen/pkt.h"
#include "testbed/testbed.h"
#include "undo.h"
#include "util.h"
#include "xdp_attach.h"
#include "xdplab.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define GEN_MAC "02:58:4c:00:00:01"
#define DUT_MAC "02:58:4c:00:00:02"

static char ns_gen[32], ns_dut[32], log_path[128], opts[200];

static void topo_down(void)
{
	if (ns_gen[0])
		xl_run("ip", "netns", "del", ns_gen, NULL);
	if (ns_dut[0])
		xl_run("ip", "netns", "del", ns_dut, NULL);
	ns_gen[0] = ns_dut[0] = 0;
	unlink(log_path);
}

static int topo_up(void)
{
	xl_test_sweep_netns("xldg");
	snprintf(ns_gen, sizeof(ns_gen), "xldg%d-gen", (int)getpid());
	snprintf(ns_dut, sizeof(ns_dut), "xldg%d-dut", (int)getpid());
	atexit(topo_down);
	if (xl_run("ip", "netns", "add", ns_gen, NULL) ||
	    xl_run("ip", "netns", "add", ns_dut, NULL))
		return -1;
	if (xl_run("ip", "-n", ns_gen, "link", "add", "gen0", "address", GEN_MAC, "type", "veth",
		   "peer", "name", "dut-in", "netns", ns_dut, "address", DUT_MAC, NULL))
		return -1;
	/* No IPv6 chatter: the capture must see only generator frames. */
	xl_run_ns(ns_gen, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", NULL);
	xl_run_ns(ns_dut, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", NULL);
	if (xl_run("ip", "-n", ns_gen, "link", "set", "gen0", "up", NULL) ||
	    xl_run("ip", "-n", ns_dut, "link", "set", "dut-in", "up", NULL))
		return -1;
	return 0;
}

static void gen_cfg(struct xl_gen_cfg *c, unsigned int size, unsigned int flows, double rate,
		    uint64_t count)
{
	memset(c, 0, sizeof(*c));
	c->ns = ns_gen;
	c->ifname = "gen0";
	xl_parse_mac(GEN_MAC, c->pkt.src_mac);
	xl_parse_mac(DUT_MAC, c->pkt.dst_mac);
	inet_pton(AF_INET, "192.0.2.1", &c->pkt.src_ip);
	inet_pton(AF_INET, "198.51.100.2", &c->pkt.dst_ip);
	c->pkt.frame_size = size;
	c->pkt.flows = flows;
	c->rate_pps = rate;
	c->count = count;
	c->nthreads = 1;
	c->cpus[0] = 0;
	c->backend_opts = opts;
}

static int capture_open(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int saved, fd;

	if (xl_ns_enter(ns_dut, &saved))
		return -1;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	sll.sll_ifindex = if_nametoindex("dut-in");
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		fd = -1;
	}
	xl_ns_leave(saved);
	return fd;
}

/* Receive up to max xdplab frames (magic checked), waiting at most 1 s for each. */
static int capture(int fd, uint8_t frames[][XL_MAX_FRAME], int *lens, int max)
{
	int n = 0;

	while (n < max) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t len;

		if (poll(&p, 1, 1000) <= 0)
			break;
		len = recv(fd, frames[n], XL_MAX_FRAME, 0);
		if (len >= XL_PAYLOAD_END &&
		    ntohs(*(uint16_t *)(frames[n] + XL_OFF_MAGIC)) == XL_MAGIC)
			lens[n++] = len;
	}
	return n;
}

static uint8_t frames[80][XL_MAX_FRAME];
static int lens[80];

/* Run a counted generator with stamps; return its frames as captured at dut-in. */
static int stamped_run(const char *backend, int k, uint64_t *t_before, uint64_t *t_after)
{
	struct xl_gen_cfg c;
	struct xl_gen *g;
	int fd = capture_open(), n;

	if (fd < 0)
		return -1;
	gen_cfg(&c, 128, 4, 20000, k);
	c.stamp_time = true;
	g = xl_gen_open(backend, &c);
	if (!g) {
		close(fd);
		return -1;
	}
	*t_before = xl_now_ns();
	if (g->ops->start(g)) {
		xl_gen_close(g);
		close(fd);
		return -1;
	}
	for (int i = 0; i < 500 && !g->ops->done(g); i++)
		usleep(10000);
	*t_after = xl_now_ns();
	xl_gen_close(g);
	n = capture(fd, frames, lens, k);
	close(fd);
	return n;
}

static void test_frames(void)
{
	const int k = 64;
	uint64_t t0, t1, prev = 0;
	struct xl_gen_cfg c;
	uint8_t want[XL_MAX_FRAME];
	int n, bad_bytes = 0, bad_time = 0;

	n = stamped_run("dpdk", k, &t0, &t1);
	ASSERT_EQ(n, k, "dpdk_gen_captured_all");
	if (n != k)
		return;
	gen_cfg(&c, 128, 4, 0, 0);
	xl_pkt_build(&c.pkt, want, xl_pkt_len(128));
	for (int i = 0; i < n; i++) {
		uint64_t ts;

		memcpy(&ts, frames[i] + XL_OFF_TSTAMP, 8);
		/* Same bytes as pkt.c builds for flow i%4, generator 0, sequence i. */
		xl_pkt_stamp(want, i % 4, 0, i, ts);
		bad_bytes += lens[i] != (int)xl_pkt_len(128) || memcmp(frames[i], want, lens[i]);
		bad_time += ts < t0 || ts > t1 || ts < prev;
		prev = ts;
	}
	ASSERT_EQ(bad_bytes, 0, "dpdk_gen_frames_match_pkt_template");
	ASSERT_EQ(bad_time, 0, "dpdk_gen_stamps_are_clock_monotonic");
}

/* The live-frames generator stamps bpf_ktime_get_ns(): same clock, same window test. */
static void test_frames_livefr(void)
{
	uint64_t t0, t1;
	char why[256];
	int n, bad_time = 0;

	if (xl_gen_probe("livefr", why, sizeof(why))) {
		TEST_SKIP(why);
		return;
	}
	xl_run_ns(ns_dut, "ethtool", "-K", "dut-in", "gro", "on", NULL);
	n = stamped_run("livefr", 8, &t0, &t1);
	xl_run_ns(ns_dut, "ethtool", "-K", "dut-in", "gro", "off", NULL);
	for (int i = 0; i < n; i++) {
		uint64_t ts;

		memcpy(&ts, frames[i] + XL_OFF_TSTAMP, 8);
		bad_time += ts < t0 || ts > t1;
	}
	ASSERT_EQ(n, 8, "livefr_captured_all");
	ASSERT_EQ(bad_time, 0, "livefr_stamps_in_same_clock_window");
}

/* The sink program on dut-in; its NAPI thread on CPU 1, away from the generator. */
/* The sink pinning's registry entries, undone when the sink goes. */
static struct xl_undo_set sink_pins;

static struct xl_xdp *sink_up(void)
{
	struct xl_xdp_opts o = {
		.ns = ns_dut, .ifname = "dut-in", .mode = XL_MODE_NATIVE, .prog = "sink"
	};
	struct xl_testbed tb = {};
	int cpu = 1;
	struct xl_xdp *x = xl_xdp_attach(&o);

	snprintf(tb.port[XL_ROLE_DUT_IN].ns, sizeof(tb.port[0].ns), "%s", ns_dut);
	snprintf(tb.port[XL_ROLE_DUT_IN].ifname, sizeof(tb.port[0].ifname), "dut-in");
	if (x)
		xl_testbed_pin_napi(&tb, XL_ROLE_DUT_IN, &cpu, 1, 0, &sink_pins);
	return x;
}

static void sink_read(struct xl_xdp *x, struct xl_datarec *drop)
{
	struct xl_datarec rec[XL_NR_ACTIONS] = {};

	xl_xdp_read_stats(x, rec);
	*drop = rec[XDP_DROP];
}

static void test_count_and_rate(void)
{
	const uint64_t k = 50000;
	struct xl_datarec a, b;
	struct xl_gen_cfg c;
	struct xl_gen *g;
	struct xl_xdp *x = sink_up();

	if (!ASSERT_TRUE(x != NULL, "sink_attached"))
		return;

	/* Exactly K frames of 256 bytes (252 without FCS) over 16 flows. */
	sink_read(x, &a);
	gen_cfg(&c, 256, 16, 100000, k);
	g = xl_gen_open("dpdk", &c);
	if (ASSERT_TRUE(g != NULL, "dpdk_gen_open") &&
	    ASSERT_OK(g->ops->start(g), "dpdk_gen_start")) {
		uint64_t sent = 0;

		for (int i = 0; i < 1000 && !g->ops->done(g); i++)
			usleep(10000);
		ASSERT_TRUE(g->ops->done(g), "dpdk_gen_count_done");
		g->ops->sent(g, &sent);
		ASSERT_EQ(sent, k, "dpdk_gen_sent_exactly_k");
		usleep(200000);
		sink_read(x, &b);
		ASSERT_EQ(b.packets - a.packets, k, "sink_counted_exactly_k");
		ASSERT_EQ(b.bytes - a.bytes, k * 252, "sink_bytes_k_times_size");
	}
	xl_gen_close(g);

	/* Paced rates over a 2 s interval read next to monotonic timestamps. */
	for (int r = 0; r < 2; r++) {
		double target = r ? 200000 : 50000, rate;
		uint64_t s0, s1, t0, t1;
		char name[64];

		gen_cfg(&c, 64, 1, target, 0);
		g = xl_gen_open("dpdk", &c);
		if (!g || g->ops->start(g)) {
			ASSERT_TRUE(false, "dpdk_gen_paced_start");
			xl_gen_close(g);
			continue;
		}
		usleep(500000);
		g->ops->sent(g, &s0);
		t0 = xl_now_ns();
		usleep(2000000);
		g->ops->sent(g, &s1);
		t1 = xl_now_ns();
		xl_gen_close(g);
		rate = (s1 - s0) / ((t1 - t0) / 1e9);
		printf("# dpdk generator paced at %.0f pps: achieved %.1f pps\n", target, rate);
		snprintf(name, sizeof(name), "dpdk_gen_rate_%.0fk_within_5pct", target / 1000);
		ASSERT_NEAR(rate, target, target * 0.05, name);
	}
	xl_xdp_destroy(x);
	xl_undo_set_run(&sink_pins);
}

static int no_leftovers(long huge_before)
{
	struct dirent *de;
	int bad = 0;
	DIR *d;

	d = opendir("/var/run/dpdk");
	while (d && (de = readdir(d))) {
		long pid;
		char what[32];

		if (sscanf(de->d_name, "xdplab-%31[a-z]-%ld-", what, &pid) == 2 && pid == getpid())
			bad++;
	}
	if (d)
		closedir(d);
	/* This process's control files only: a dead run's are xdplab cleanup's to sweep. */
	d = opendir("/run/xdplab");
	while (d && (de = readdir(d))) {
		long pid;

		if (strstr(de->d_name, ".shm") &&
		    sscanf(de->d_name, "xdplab-gen-%ld-", &pid) == 1 && pid == getpid())
			bad++;
	}
	/* Nothing left in the cleanup registry: process, directories, hugepages undone. */
	bad += xl_undo_count();
	if (d)
		closedir(d);
	ASSERT_EQ(bad, 0, "no_runtime_dir_or_shm_left");
	ASSERT_EQ(xl_huge_nr(), huge_before, "nr_hugepages_restored");
	return bad;
}

static void test_log_no_pci(void)
{
	xl_assert_log_without_pci(log_path, "eal");
}

int main(void)
{
	long huge_before = xl_huge_nr();

	if (geteuid())
		SKIP_ALL("dpdk_gen", "needs root");
	if (access("build/xdplab-dpdkgen", X_OK))
		SKIP_ALL("dpdk_gen", "build/xdplab-dpdkgen not built (no libdpdk)");
	snprintf(log_path, sizeof(log_path), "/tmp/xldg%d-eal.log", (int)getpid());
	snprintf(opts, sizeof(opts), "vdev=af_xdp,log=%s", log_path);
	RUN_CASE("topology_up", ASSERT_OK(topo_up(), "topology_up"));
	if (xl_test_failed)
		return 1;
	RUN_TEST(test_frames);
	RUN_TEST(test_frames_livefr);
	RUN_TEST(test_count_and_rate);
	RUN_TEST(test_log_no_pci);
	RUN_CASE("no_leftovers", no_leftovers(huge_before));
	topo_down();
	return xl_test_failed;
}
