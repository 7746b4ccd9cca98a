// SPDX-License-Identifier: GPL-2.0
/*
 * test_dpdk_systems.c - the testpmd systems driven through their hooks on a
 * veth testbed of this test's own (namespaces xldt<pid>-gen/-dut/-sink, set up
 * like the runner's): dpdk-rxonly and dpdk-mac receive (read() rises), mac
 * delivers at the sink, the DUT core is busy, describe() says the port is not
 * kernel bypass, the EAL log has no PCI line, and teardown leaves no process,
 * runtime directory or hugepage.  Bad DPDK settings (unknown vdev, bad or
 * absent PCI address, the machine's own NIC, missing interface, more hugepages
 * than the machine has) fail with exit class 8 and leave nothing behind.
 *
 * It doubles as the DPDK benchmark: XL_BENCH_RATE (pps, 0 = maximum) and
 * XL_BENCH_SECONDS change the load; the "#" lines report Mpps and DUT ns/pkt.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "test_common.h"
#include "collect/cpustat.h"
#include "dpdk/hugepages.h"
#include "dpdk/opts.h"
#include "gen/gen.h"
#include "gen/pkt.h"
#include "systems/system.h"
#include "testbed/testbed.h"
#include "undo.h"
#include "util.h"
#include "xdp_attach.h"
#include "xl_err.h"
#include "xl_spawn.h"

static struct xl_testbed tb;
static char log_path[128];

static const char *const roles_ns[XL_NR_ROLES] = { "gen", "dut", "dut", "sink" };
static const char *const roles_if[XL_NR_ROLES] = { "gen0", "dut-in", "dut-out", "sink0" };

static void topo_down(void)
{
	const char *sfx[] = { "gen", "dut", "sink" };

	if (!tb.prefix[0])
		return;
	for (int i = 0; i < 3; i++) {
		char ns[64];

		snprintf(ns, sizeof(ns), "%s-%s", tb.prefix, sfx[i]);
		xl_run("ip", "netns", "del", ns, NULL);
	}
	tb.prefix[0] = 0;
	unlink(log_path);
}

static int pair(enum xl_role a, enum xl_role b)
{
	char ma[24], mb[24];

	xl_format_mac(tb.port[a].mac, ma, sizeof(ma));
	xl_format_mac(tb.port[b].mac, mb, sizeof(mb));
	if (xl_run("ip", "-n", tb.port[a].ns, "link", "add", tb.port[a].ifname, "address", ma,
		   "type", "veth", "peer", "name", tb.port[b].ifname, "netns", tb.port[b].ns,
		   "address", mb, NULL))
		return -1;
	return xl_run("ip", "-n", tb.port[a].ns, "link", "set", tb.port[a].ifname, "up", NULL) ||
	       xl_run("ip", "-n", tb.port[b].ns, "link", "set", tb.port[b].ifname, "up", NULL);
}

static int topo_up(void)
{
	const char *sfx[] = { "gen", "dut", "sink" };

	xl_test_sweep_netns("xldt");
	memset(&tb, 0, sizeof(tb));
	tb.create = true;
	tb.cores = 1;
	tb.gen_cpus[0] = 0;
	tb.dut_cpus[0] = 1;
	tb.lock_fd = -1;
	snprintf(tb.prefix, sizeof(tb.prefix), "xldt%d", (int)getpid());
	atexit(topo_down);
	for (int r = 0; r < XL_NR_ROLES; r++) {
		char mac[24];

		snprintf(tb.port[r].ns, sizeof(tb.port[r].ns), "%s-%s", tb.prefix, roles_ns[r]);
		snprintf(tb.port[r].ifname, sizeof(tb.port[r].ifname), "%s", roles_if[r]);
		snprintf(mac, sizeof(mac), "02:58:4c:00:00:%02x", r + 1);
		xl_parse_mac(mac, tb.port[r].mac);
	}
	for (int i = 0; i < 3; i++) {
		char ns[64];

		snprintf(ns, sizeof(ns), "%s-%s", tb.prefix, sfx[i]);
		if (xl_run("ip", "netns", "add", ns, NULL))
			return -1;
		xl_run_ns(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", NULL);
	}
	if (pair(XL_ROLE_GEN, XL_ROLE_DUT_IN) || pair(XL_ROLE_DUT_OUT, XL_ROLE_SINK))
		return -1;
	tb.up = true;
	return 0;
}

static struct xl_catalog cat;
static char cur_opts[200];

static const struct xl_sys_entry *find(const char *name)
{
	if (!cat.n && (xl_catalog_load_builtin(&cat) || xl_catalog_finish(&cat)))
		return NULL;
	return xl_catalog_find(&cat, name);
}

/* The [run] dpdk_opts of a config: checked as the config loader does, then used by set-up. */
static int set_opts(const char *opts)
{
	const struct xl_sys_entry *e = find("dpdk-rxonly");

	if (!e || !e->ops)
		return -ENOENT;
	if (e->ops->check(e, opts))
		return -EINVAL;
	snprintf(cur_opts, sizeof(cur_opts), "%s", opts ? opts : "");
	return 0;
}

static int dpdk_leftovers(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/var/run/dpdk");
	char me[32];

	snprintf(me, sizeof(me), "-%d-", (int)getpid());
	while (d && (de = readdir(d)))
		n += !strncmp(de->d_name, "xdplab-", 7) && strstr(de->d_name, me);
	if (d)
		closedir(d);
	/* Nothing left in the cleanup registry: processes, directories, hugepages undone. */
	return n + xl_undo_count();
}

static double env_num(const char *name, double def)
{
	const char *v = getenv(name);

	return v && *v ? atof(v) : def;
}

static void run_system(const char *name)
{
	const struct xl_sys_entry *def = find(name);
	struct xl_system s = { .e = def, .mode = XL_SM_DPDK, .tb = &tb, .run_opts = cur_opts };
	double rate = env_num("XL_BENCH_RATE", 200000), secs = env_num("XL_BENCH_SECONDS", 2);
	struct xl_cpu_sample ca, cb;
	struct xl_datarec ra[XL_NR_ACTIONS] = {}, rb[XL_NR_ACTIONS] = {};
	uint64_t da = 0, db = 0, ga = 0, gb = 0, t0, t1;
	struct xl_xdp *sink = NULL;
	struct xl_gen *g = NULL;
	struct xl_gen_cfg c = {};
	char what[96];
	double dt, dut_pps, busy_ns;

	snprintf(what, sizeof(what), "%s_setup", name);
	if (!ASSERT_TRUE(def != NULL, "system_in_table") || !ASSERT_OK(xl_system_setup(&s), what))
		return;
	snprintf(what, sizeof(what), "%s_describe_not_bypass", name);
	ASSERT_TRUE(strstr(def->ops->describe(&s), "not kernel bypass") != NULL, what);
	printf("# %s: %s\n", name, def->ops->describe(&s));
	if (def->counts == XL_COUNTS_SINK) {
		struct xl_xdp_opts o = { .ns = tb.port[XL_ROLE_SINK].ns,
					 .ifname = "sink0",
					 .mode = XL_MODE_NATIVE,
					 .prog = "sink" };

		sink = xl_xdp_attach(&o);
		/* As the runner does: the sink's NAPI on the generator core, real-time. */
		if (sink)
			xl_testbed_pin_napi(&tb, XL_ROLE_SINK, tb.gen_cpus, 1, 10, &s.undo);
	}
	xl_testbed_pin_napi(&tb, XL_ROLE_DUT_IN, tb.dut_cpus, 1, 0, &s.undo);

	c.ns = tb.port[XL_ROLE_GEN].ns;
	c.ifname = "gen0";
	memcpy(c.pkt.src_mac, tb.port[XL_ROLE_GEN].mac, 6);
	memcpy(c.pkt.dst_mac, tb.port[XL_ROLE_DUT_IN].mac, 6);
	inet_pton(AF_INET, "192.0.2.1", &c.pkt.src_ip);
	inet_pton(AF_INET, "198.51.100.2", &c.pkt.dst_ip);
	c.pkt.frame_size = 64;
	c.pkt.flows = 1;
	c.rate_pps = rate;
	c.nthreads = 1;
	c.cpus[0] = tb.gen_cpus[0];
	g = xl_gen_open(getenv("XL_BENCH_GEN") ? getenv("XL_BENCH_GEN") : XL_GEN_AUTO, &c);
	if (!ASSERT_TRUE(g && !g->ops->start(g), "generator_started"))
		goto out;
	usleep(500000);
	xl_system_read(&s, &da);
	g->ops->sent(g, &ga);
	if (sink)
		xl_xdp_read_stats(sink, ra);
	xl_cpu_read(tb.dut_cpus[0], &ca);
	t0 = xl_now_ns();
	usleep(secs * 1e6);
	xl_system_read(&s, &db);
	g->ops->sent(g, &gb);
	if (sink)
		xl_xdp_read_stats(sink, rb);
	xl_cpu_read(tb.dut_cpus[0], &cb);
	t1 = xl_now_ns();
	dt = (t1 - t0) / 1e9;
	dut_pps = (db - da) / dt;
	busy_ns = (cb.busy_ticks - ca.busy_ticks) * xl_cpu_tick_seconds() * 1e9;
	printf("# %s: offered %.3f Mpps, DUT received %.3f Mpps, sink %.3f Mpps, DUT CPU %.1f%%, "
	       "%.1f ns/pkt\n",
	       name, (gb - ga) / dt / 1e6, dut_pps / 1e6,
	       sink ? (rb[XDP_DROP].packets - ra[XDP_DROP].packets) / dt / 1e6 : 0.0,
	       100.0 * (cb.busy_ticks - ca.busy_ticks) / (double)(cb.total_ticks - ca.total_ticks),
	       db > da ? busy_ns / (db - da) : 0.0);
	snprintf(what, sizeof(what), "%s_dut_pps_positive", name);
	ASSERT_GT(db - da, 0, what);
	snprintf(what, sizeof(what), "%s_dut_cpu_busy", name);
	ASSERT_GT(cb.busy_ticks - ca.busy_ticks, 0, what);
	if (sink) {
		snprintf(what, sizeof(what), "%s_sink_pps_positive", name);
		ASSERT_GT(rb[XDP_DROP].packets - ra[XDP_DROP].packets, 0, what);
	}
out:
	xl_gen_close(g);
	xl_xdp_destroy(sink);
	xl_system_teardown(&s);
	snprintf(what, sizeof(what), "%s_teardown_clean", name);
	ASSERT_EQ(dpdk_leftovers(), 0, what);
}

/* One bad setting: set-up fails with class want (8, 4 for a missing port) and leaves nothing. */
static void bad_setup(const char *name, const char *opts, const char *dut_in, int want)
{
	struct xl_system s = { .e = find("dpdk-rxonly"), .mode = XL_SM_DPDK, .tb = &tb };
	char saved[IF_NAMESIZE], what[96];
	long huge = xl_huge_nr();
	int err;

	xl_reset_error();
	snprintf(saved, sizeof(saved), "%s", tb.port[XL_ROLE_DUT_IN].ifname);
	if (dut_in)
		snprintf(tb.port[XL_ROLE_DUT_IN].ifname, IF_NAMESIZE, "%s", dut_in);
	err = set_opts(opts);
	s.run_opts = cur_opts;
	if (!err) {
		err = xl_system_setup(&s);
		if (!err)
			xl_system_teardown(&s);
	}
	snprintf(tb.port[XL_ROLE_DUT_IN].ifname, IF_NAMESIZE, "%s", saved);
	snprintf(what, sizeof(what), "bad_%s_fails", name);
	ASSERT_TRUE(err != 0, what);
	snprintf(what, sizeof(what), "bad_%s_exit_%d", name, want);
	ASSERT_EQ(xl_exit_code(), want, what);
	snprintf(what, sizeof(what), "bad_%s_leaves_nothing", name);
	ASSERT_TRUE(dpdk_leftovers() == 0 && xl_huge_nr() == huge && !s.priv, what);
	xl_reset_error();
}

/* The PCI address of eth0: the last path component that parses as one. */
static int own_nic_addr(char *addr, size_t len)
{
	char dev[PATH_MAX], *save = NULL, *c;
	int found = -ENOENT;

	if (!realpath("/sys/class/net/eth0/device", dev))
		return -ENOENT;
	for (c = strtok_r(dev, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		unsigned int a, b, d, f;
		char tail;

		if (sscanf(c, "%x:%x:%x.%x%c", &a, &b, &d, &f, &tail) == 4) {
			snprintf(addr, len, "%s", c);
			found = 0;
		}
	}
	return found;
}

/* The machine's own NIC is refused before any DPDK process could see it. */
static void own_nic_refused(void)
{
	struct xl_dpdk_opts o;
	char addr[64], opts[96];

	if (own_nic_addr(addr, sizeof(addr))) {
		TEST_SKIP("eth0 is not a PCI device here");
		return;
	}
	snprintf(opts, sizeof(opts), "pci=%s", addr);
	xl_reset_error();
	ASSERT_OK(xl_dpdk_opts_parse(opts, &o), "own_nic_address_parses");
	ASSERT_TRUE(xl_dpdk_check_ports(&o, NULL, NULL, 1) != 0, "own_nic_refused");
	ASSERT_EQ(xl_exit_code(), XL_EXIT_DPDK, "own_nic_refused_exit_8");
	xl_reset_error();
}

static void test_log_no_pci(void)
{
	xl_assert_log_without_pci(log_path, "testpmd");
}

int main(void)
{
	long huge_before = xl_huge_nr();
	char opts[200];

	if (geteuid())
		SKIP_ALL("dpdk_systems", "needs root");
	if (!xl_have_tool("dpdk-testpmd"))
		SKIP_ALL("dpdk_systems", "dpdk-testpmd not installed (package dpdk-dev)");
	snprintf(log_path, sizeof(log_path), "/tmp/xldt%d-testpmd.log", (int)getpid());
	RUN_CASE("topology_up", ASSERT_OK(topo_up(), "topology_up"));
	if (xl_test_failed)
		return 1;
	snprintf(opts, sizeof(opts), "vdev=af_xdp,log=%s", log_path);
	RUN_CASE("set_opts", ASSERT_OK(set_opts(opts), "set_opts"));
	RUN_CASE("dpdk-rxonly", run_system("dpdk-rxonly"));
	RUN_CASE("dpdk-mac", run_system("dpdk-mac"));
	RUN_TEST(test_log_no_pci);

	RUN_CASE("bad_vdev_kind", bad_setup("vdev_kind", "vdev=foo", NULL, XL_EXIT_DPDK));
	RUN_CASE("bad_pci_address", bad_setup("pci_address", "pci=zz:00.0", NULL, XL_EXIT_DPDK));
	RUN_CASE("bad_pci_absent", bad_setup("pci_absent", "pci=0000:7f:1f.7", NULL, XL_EXIT_DPDK));
	RUN_CASE("bad_unknown_key", bad_setup("unknown_key", "queues=2", NULL, XL_EXIT_DPDK));
	RUN_CASE("bad_mem_value", bad_setup("mem_value", "mem=lots", NULL, XL_EXIT_DPDK));
	RUN_CASE("bad_interface_absent",
		 bad_setup("interface_absent", "vdev=af_xdp", "nosuch0", XL_EXIT_NOIF));
	RUN_CASE("bad_no_hugepages", bad_setup("no_hugepages", "mem=65536", NULL, XL_EXIT_DPDK));
	RUN_TEST(own_nic_refused);
	RUN_CASE("nr_hugepages_restored",
		 ASSERT_EQ(xl_huge_nr(), huge_before, "nr_hugepages_restored"));
	topo_down();
	xl_catalog_free(&cat);
	return xl_test_failed;
}
