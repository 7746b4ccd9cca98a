// SPDX-License-Identifier: GPL-2.0
/*
 * test_actions.c - per-action counts for an XDP program that xdplab did not
 * write (tests/fixtures/user_xdp.c, compiled here with clang, with and
 * without BTF): the fexit recorder's exact counts per verdict by
 * BPF_PROG_TEST_RUN with N frames of each kind, its failures (no BTF, unknown
 * function) leaving nothing loaded, the same counts on a veth pair in native
 * mode for frames sent through an AF_PACKET socket, the driver's ethtool
 * counters agreeing with them, a driver without such counters, and the
 * recorder's cost being measured.  Runs in a private network namespace
 * (unshare), so the veth pairs vanish with the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/if.h>
#include <sys/socket.h>
#include "test_common.h"
#include "actions.h"
#include "collect/ethtool_xdp.h"
#include "netns.h"
#include "xdp_attach.h"
#include "xl_spawn.h"

#define FRAME_LEN 60 /* a 64-byte frame on the wire */

static char obj_btf[PATH_MAX], obj_nobtf[PATH_MAX], tmpdir[] = "/tmp/xlact.XXXXXX";
/* Why the recorder cannot run on this kernel, or "" if it can. */
static char no_fexit[128];

/* Attach the recorder to a program of its own once: does this kernel allow it at all? */
static void probe_fexit(void)
{
	int fd = xl_actions_ref_prog();
	struct xl_actions *a;

	if (fd < 0) {
		snprintf(no_fexit, sizeof(no_fexit), "cannot load the reference program: %s",
			 strerror(-fd));
		return;
	}
	a = xl_actions_attach(fd, NULL);
	if (!a)
		snprintf(no_fexit, sizeof(no_fexit), "%s",
			 errno == EPERM ? "this kernel refuses BPF tracing programs (EPERM)"
					: strerror(errno));
	xl_actions_destroy(a);
	close(fd);
}

#define SKIP_WITHOUT_FEXIT()                 \
	do {                                 \
		if (no_fexit[0]) {           \
			TEST_SKIP(no_fexit); \
			return;              \
		}                            \
	} while (0)

/* Build tests/fixtures/user_xdp.c twice: with BTF (-g) and without. */
static int build_fixture(void)
{
	char exe[PATH_MAX], src[PATH_MAX + 32], inc[PATH_MAX + 2];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	glob_t g;

	if (n <= 0)
		return -errno;
	exe[n] = 0;
	/* <repo>/build/tests/test_actions */
	for (int i = 0; i < 3; i++)
		*strrchr(exe, '/') = 0;
	snprintf(src, sizeof(src), "%s/tests/fixtures/user_xdp.c", exe);
	/* asm/types.h lives in the multiarch include directory (Debian). */
	if (glob("/usr/include/*-linux-gnu/asm/types.h", 0, NULL, &g))
		return -ENOENT;
	snprintf(inc, sizeof(inc), "-I%s", g.gl_pathv[0]);
	*strstr(inc, "/asm/types.h") = 0;
	globfree(&g);
	if (!mkdtemp(tmpdir))
		return -errno;
	snprintf(obj_btf, sizeof(obj_btf), "%s/user_xdp.o", tmpdir);
	snprintf(obj_nobtf, sizeof(obj_nobtf), "%s/user_xdp_nobtf.o", tmpdir);
	if (xl_run("clang", "-O2", "-g", "-target", "bpf", inc, "-c", src, "-o", obj_btf, NULL) ||
	    xl_run("clang", "-O2", "-target", "bpf", inc, "-c", src, "-o", obj_nobtf, NULL))
		return -EIO;
	return 0;
}

static void remove_fixture(void)
{
	unlink(obj_btf);
	unlink(obj_nobtf);
	rmdir(tmpdir);
}

/* Ethernet + IPv4 + UDP (sport, dport), or an experimental ethertype if !udp. */
static void make_frame(uint8_t *buf, const uint8_t dst[ETH_ALEN], bool udp, uint16_t sport,
		       uint16_t dport)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *uh = (struct udphdr *)(ip + 1);

	memset(buf, 0, FRAME_LEN);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, "\x02\x58\x4c\x00\x00\x01", ETH_ALEN);
	eth->h_proto = htons(udp ? ETH_P_IP : 0x88b5);
	if (!udp)
		return;
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(FRAME_LEN - sizeof(*eth));
	ip->saddr = htonl(0xc0000201); /* 192.0.2.1 */
	ip->daddr = htonl(0xc6336402); /* 198.51.100.2 */
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(FRAME_LEN - sizeof(*eth) - sizeof(*ip));
}

/* One kind of frame, how many of it a test sends, and the slot it must count in. */
struct kind {
	const char *what;
	bool udp;
	uint16_t sport, dport;
	int slot; /* XDP action, or XL_ACT_OTHER */
	unsigned int n;
};

/* xdp_verdicts: one kind per slot, each with a different count. */
static const struct kind verdict_kinds[] = {
	{ "udp:9 even sport", true, 10000, 9, XDP_DROP, 300 },
	{ "udp:9 odd sport", true, 10001, 9, XDP_TX, 200 },
	{ "udp:5", true, 10000, 5, XDP_ABORTED, 100 },
	{ "udp:6", true, 10000, 6, XDP_REDIRECT, 150 },
	{ "udp:80", true, 10000, 80, XDP_PASS, 250 },
	{ "not ip", false, 0, 0, XDP_PASS, 50 },
	{ "udp:99", true, 10000, 99, XL_ACT_OTHER, 70 },
};
#define NKINDS (sizeof(verdict_kinds) / sizeof(verdict_kinds[0]))

static const uint8_t any_mac[ETH_ALEN] = { 2, 0x58, 0x4c, 0, 0, 2 };

static struct bpf_object *open_load(const char *path, struct bpf_program **prog, const char *name)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);

	if (!obj)
		return NULL;
	*prog = bpf_object__find_program_by_name(obj, name);
	if (!*prog || bpf_object__load(obj)) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* Number of loaded programs called name (the kernel keeps 15 characters). */
static int count_progs_named(const char *name)
{
	__u32 id = 0;
	int n = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(info.name, name))
			n++;
		close(fd);
	}
	return n;
}

/* Recorder programs still loaded: freeing one after its last fd closes is not instant. */
static int recorders_left(int before)
{
	int n = count_progs_named("xl_act_fexit");

	for (int i = 0; i < 100 && n > before; i++) {
		usleep(10000);
		n = count_progs_named("xl_act_fexit");
	}
	return n;
}

static void expect_counts(const struct xl_datarec got[XL_ACT_SLOTS], const struct kind *k,
			  size_t nk, bool bytes, const char *what)
{
	uint64_t want[XL_ACT_SLOTS] = {};
	static const char *const slot[XL_ACT_SLOTS] = { "aborted", "drop",     "pass",
							"tx",	   "redirect", "other" };
	char name[128];

	for (size_t i = 0; i < nk; i++)
		want[k[i].slot] += k[i].n;
	for (int s = 0; s < XL_ACT_SLOTS; s++) {
		snprintf(name, sizeof(name), "%s: %s packets", what, slot[s]);
		ASSERT_EQ(got[s].packets, want[s], name);
		if (!bytes)
			continue;
		snprintf(name, sizeof(name), "%s: %s bytes", what, slot[s]);
		ASSERT_EQ(got[s].bytes, want[s] * FRAME_LEN, name);
	}
}

static int read_all(const struct xl_actions *a, struct xl_datarec out[XL_ACT_SLOTS])
{
	return xl_actions_read(a, out, &out[XL_ACT_OTHER]);
}

/* N frames of each kind by BPF_PROG_TEST_RUN (repeat = N): exact counts per slot. */
static void test_counts_test_run(void)
{
	struct xl_datarec got[XL_ACT_SLOTS];
	int before = count_progs_named("xl_act_fexit");
	struct xl_actions *a = NULL;
	struct bpf_program *prog;
	uint8_t frame[FRAME_LEN];
	struct bpf_object *obj;

	SKIP_WITHOUT_FEXIT();
	obj = open_load(obj_btf, &prog, "xdp_verdicts");
	if (!ASSERT_TRUE(obj != NULL, "user object loads"))
		return;
	a = xl_actions_attach(bpf_program__fd(prog), NULL);
	if (!ASSERT_TRUE(a != NULL, "recorder attaches (function name from BTF)"))
		goto out;
	ASSERT_EQ(count_progs_named("xl_act_fexit"), before + 1, "one recorder loaded");
	ASSERT_OK(read_all(a, got), "read before any run");
	ASSERT_EQ(got[XDP_PASS].packets + got[XDP_DROP].packets, 0, "nothing counted yet");
	for (size_t i = 0; i < NKINDS; i++) {
		const struct kind *k = &verdict_kinds[i];
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = FRAME_LEN,
			    .repeat = k->n);
		char name[96];

		make_frame(frame, any_mac, k->udp, k->sport, k->dport);
		snprintf(name, sizeof(name), "test_run %s", k->what);
		ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(prog), &o), name);
		snprintf(name, sizeof(name), "verdict of %s", k->what);
		ASSERT_EQ(o.retval, k->slot == XL_ACT_OTHER ? 99 : k->slot, name);
	}
	ASSERT_OK(read_all(a, got), "read after the runs");
	expect_counts(got, verdict_kinds, NKINDS, true, "test_run");
out:
	xl_actions_destroy(a);
	bpf_object__close(obj);
	ASSERT_EQ(recorders_left(before), before, "recorder unloaded after destroy");
}

/* The brief's simplest user program: drop UDP to port 9, pass the rest. */
static void test_counts_drop9(void)
{
	static const struct kind kinds[] = {
		{ "udp:9", true, 10001, 9, XDP_DROP, 1000 },
		{ "udp:53", true, 10001, 53, XDP_PASS, 400 },
		{ "not ip", false, 0, 0, XDP_PASS, 100 },
	};
	struct xl_datarec got[XL_ACT_SLOTS];
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct xl_actions *a = NULL;
	uint8_t frame[FRAME_LEN];

	SKIP_WITHOUT_FEXIT();
	obj = open_load(obj_btf, &prog, "xdp_drop9");
	if (!ASSERT_TRUE(obj != NULL, "user object loads"))
		return;
	/* The name as libbpf knows it, instead of from BTF. */
	a = xl_actions_attach(bpf_program__fd(prog), bpf_program__name(prog));
	if (!ASSERT_TRUE(a != NULL, "recorder attaches (function name given)"))
		goto out;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = FRAME_LEN,
			    .repeat = kinds[i].n);

		make_frame(frame, any_mac, kinds[i].udp, kinds[i].sport, kinds[i].dport);
		ASSERT_OK(bpf_prog_test_run_opts(bpf_program__fd(prog), &o), "test_run");
	}
	ASSERT_OK(read_all(a, got), "read");
	expect_counts(got, kinds, 3, true, "drop9");
out:
	xl_actions_destroy(a);
	bpf_object__close(obj);
}

/* Failures are reported as -errno and leave no recorder loaded. */
static void test_attach_failures(void)
{
	struct bpf_program *prog;
	struct bpf_object *obj = open_load(obj_nobtf, &prog, "xdp_drop9");
	int before = count_progs_named("xl_act_fexit");
	struct xl_actions *a;

	if (!ASSERT_TRUE(obj != NULL, "object without BTF loads"))
		return;
	errno = 0;
	a = xl_actions_attach(bpf_program__fd(prog), NULL);
	ASSERT_TRUE(a == NULL, "no BTF: attach fails");
	ASSERT_EQ(errno, EOPNOTSUPP, "no BTF: errno is EOPNOTSUPP");
	xl_actions_destroy(a);
	bpf_object__close(obj);

	obj = open_load(obj_btf, &prog, "xdp_drop9");
	if (!ASSERT_TRUE(obj != NULL, "user object loads"))
		return;
	errno = 0;
	a = xl_actions_attach(bpf_program__fd(prog), "no_such_function");
	ASSERT_TRUE(a == NULL, "unknown function: attach fails");
	ASSERT_NEQ(errno, 0, "unknown function: errno set");
	xl_actions_destroy(a);
	bpf_object__close(obj);
	ASSERT_EQ(recorders_left(before), before, "failed attaches leave no recorder");
}

/* ethtool counters of a driver that has none: -EOPNOTSUPP. */
static void test_driver_without_counters(void)
{
	struct xl_ethtool_xdp e;

	ASSERT_EQ(xl_ethtool_xdp_read(NULL, "lo", &e), -EOPNOTSUPP, "lo: no XDP counters");
	ASSERT_EQ(xl_ethtool_xdp_read(NULL, "nosuch0", &e), -ENODEV, "missing device: -ENODEV");
}

static int send_frames(int fd, int ifindex, const uint8_t *frame, unsigned int n)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_ifindex = ifindex,
				  .sll_halen = ETH_ALEN };

	memcpy(to.sll_addr, frame, ETH_ALEN);
	for (unsigned int i = 0; i < n; i++) {
		if (sendto(fd, frame, FRAME_LEN, 0, (struct sockaddr *)&to, sizeof(to)) !=
		    FRAME_LEN)
			return -errno;
		/* Stay far below the 256-frame veth ring, whoever runs the NAPI. */
		if (i % 32 == 31)
			usleep(200);
	}
	return 0;
}

/* Driver counters, as actions, of a0 since e0 was read. */
static int driver_delta(const struct xl_ethtool_xdp *e0, struct xl_ethtool_xdp *e1,
			struct xl_datarec d[XL_ACT_SLOTS])
{
	int err = xl_ethtool_xdp_read(NULL, "a0", e1);

	memset(d, 0, XL_ACT_SLOTS * sizeof(*d));
	for (int s = 0; !err && s < XL_NR_ACTIONS; s++)
		d[s].packets = e1->act[s].packets - e0->act[s].packets;
	return err;
}

/*
 * xdp_verdicts in native mode on a0 (peer a1, b0 the redirect target): frames
 * of each kind sent into a1 arrive at a0's XDP program.  veth's own counters
 * match what was sent, kind by kind (aborted under drop); so does the
 * recorder, where the kernel allows it, and to the byte.
 */
static void test_veth_native(void)
{
	char ifidx[16];
	struct xl_xdp_opts xo = {
		.ifname = "a0", .mode = XL_MODE_NATIVE, .prog = "xdp_verdicts", .obj_path = obj_btf
	};
	/* Drivers count aborted as drop: the same frames, as the driver sees them. */
	struct kind as_driver[NKINDS];
	struct xl_ethtool_xdp e0, e1;
	struct xl_datarec got[XL_ACT_SLOTS], drv[XL_ACT_SLOTS];
	struct xl_actions *a = NULL;
	struct xl_xdp *x = NULL;
	uint8_t frame[FRAME_LEN], mac[ETH_ALEN];
	int before = count_progs_named("xl_act_fexit"), fd = -1, ifindex, err;
	uint64_t sent = 0;
	__u32 xdp_id = 0;
	size_t nk = NKINDS - 1; /* no out-of-range verdict: the kernel would warn about it */

	memcpy(as_driver, verdict_kinds, sizeof(as_driver));
	for (size_t i = 0; i < nk; i++)
		if (as_driver[i].slot == XDP_ABORTED)
			as_driver[i].slot = XDP_DROP;
	if (!ASSERT_OK(
		    xl_run("ip", "link", "add", "a0", "type", "veth", "peer", "name", "a1", NULL),
		    "veth a0/a1") ||
	    !ASSERT_OK(
		    xl_run("ip", "link", "add", "b0", "type", "veth", "peer", "name", "b1", NULL),
		    "veth b0/b1"))
		return;
	xl_run("ip", "link", "set", "a0", "up", NULL);
	xl_run("ip", "link", "set", "a1", "up", NULL);
	xl_run("ip", "link", "set", "b0", "up", NULL);
	xl_run("ip", "link", "set", "b1", "up", NULL);
	/* veth takes XDP_TX and redirected frames only into a peer with GRO (or XDP). */
	if (!ASSERT_OK(xl_ns_set_gro(NULL, "a1", true), "GRO on a1") ||
	    !ASSERT_OK(xl_ns_set_gro(NULL, "b1", true), "GRO on b1"))
		goto out;
	snprintf(ifidx, sizeof(ifidx), "%d", xl_ns_ifindex(NULL, "b0"));
	xo.globals[xo.nglobals++] = (struct xl_xdp_global){ "redirect_ifindex", ifidx };
	x = xl_xdp_attach(&xo);
	if (!ASSERT_TRUE(x != NULL, "user program attached to a0 in native mode"))
		goto out;
	if (!no_fexit[0]) {
		a = xl_actions_attach(xl_xdp_prog_fd(x), NULL);
		if (!ASSERT_TRUE(a != NULL, "recorder attached"))
			goto out;
	}
	err = xl_ethtool_xdp_read(NULL, "a0", &e0);
	ASSERT_OK(err, "veth has XDP counters");
	if (err)
		goto out;
	ASSERT_EQ(strcmp(e0.driver, "veth"), 0, "driver is veth");
	ASSERT_EQ(e0.queues, 1, "one receive queue");
	ASSERT_OK(xl_ns_mac(NULL, "a0", mac), "a0's MAC");
	ifindex = xl_ns_ifindex(NULL, "a1");
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (!ASSERT_GE(fd, 0, "packet socket"))
		goto out;
	for (size_t i = 0; i < nk; i++) {
		const struct kind *k = &verdict_kinds[i];

		make_frame(frame, mac, k->udp, k->sport, k->dport);
		ASSERT_OK(send_frames(fd, ifindex, frame, k->n), k->what);
		sent += k->n;
	}
	/* The last frames may still be in the ring: wait for them, up to 2 s. */
	for (int i = 0; i < 200 && !driver_delta(&e0, &e1, drv) && e1.packets - e0.packets < sent;
	     i++)
		usleep(10000);
	ASSERT_OK(driver_delta(&e0, &e1, drv), "driver counters after");
	ASSERT_EQ(e1.packets - e0.packets, sent, "driver: frames run through XDP");
	/* veth counts an skb without its Ethernet header, an XDP frame whole. */
	ASSERT_GE(e1.bytes - e0.bytes, sent * (FRAME_LEN - ETH_HLEN), "driver: bytes, at least");
	ASSERT_LE(e1.bytes - e0.bytes, sent * FRAME_LEN, "driver: bytes, at most");
	ASSERT_EQ(e1.errors - e0.errors, 0, "driver: no failed tx or redirect");
	expect_counts(drv, as_driver, nk, false, "driver");
	if (a) {
		ASSERT_OK(read_all(a, got), "recorder read");
		expect_counts(got, verdict_kinds, nk, true, "recorder");
	}
out:
	if (fd >= 0)
		close(fd);
	xl_actions_destroy(a);
	xl_xdp_destroy(x);
	ifindex = xl_ns_ifindex(NULL, "a0");
	ASSERT_OK(bpf_xdp_query_id(ifindex, 0, &xdp_id), "query a0's XDP program");
	ASSERT_EQ(xdp_id, 0, "nothing attached to a0 after destroy");
	ASSERT_EQ(recorders_left(before), before, "no recorder left after destroy");
	xl_run("ip", "link", "del", "a0", NULL);
	xl_run("ip", "link", "del", "b0", NULL);
	if (no_fexit[0] && !xl_case_failed)
		printf("  recorder part not run: %s\n", no_fexit);
}

/* The recorder's cost is measured (never judged here: no timing thresholds in tests). */
static void test_cost_measured(void)
{
	struct xl_actions_cost c;
	struct bpf_program *prog;
	struct bpf_object *obj;
	int fd;

	SKIP_WITHOUT_FEXIT();
	fd = xl_actions_ref_prog();
	if (!ASSERT_GE(fd, 0, "reference program loads"))
		return;
	ASSERT_OK(xl_actions_cost_ns(fd, NULL, 0, &c), "cost on the reference program");
	close(fd);
	ASSERT_EQ(c.pairs, XL_ACTIONS_COST_PAIRS, "every pair measured");
	ASSERT_GE(c.repeat, 1000, "repeat sized");
	ASSERT_GT(c.base_ns, 0, "time per run without the recorder");
	ASSERT_GT(c.cost_ns, 0, "the recorder costs something");
	printf("  reference: %.0f ns/run, with recorder %.0f; cost %.0f ns (min %.0f, max %.0f) x%u runs\n",
	       c.base_ns, c.with_ns, c.cost_ns, c.cost_min_ns, c.cost_max_ns, c.repeat);

	obj = open_load(obj_btf, &prog, "xdp_drop9");
	if (!ASSERT_TRUE(obj != NULL, "user object loads"))
		return;
	ASSERT_OK(xl_actions_cost_ns(bpf_program__fd(prog), NULL, 0, &c), "cost on xdp_drop9");
	ASSERT_GT(c.cost_ns, 0, "the recorder costs something on xdp_drop9");
	printf("  xdp_drop9: %.0f ns/run, with recorder %.0f; cost %.0f ns (min %.0f, max %.0f) x%u runs\n",
	       c.base_ns, c.with_ns, c.cost_ns, c.cost_min_ns, c.cost_max_ns, c.repeat);
	bpf_object__close(obj);
}

int main(void)
{
	int err;

	if (unshare(CLONE_NEWNET)) {
		printf("FAIL setup: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 1;
	}
	/* No IPv6 in this namespace: no neighbour discovery frames among the counted ones. */
	xl_write_file(NULL, "/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	xl_write_file(NULL, "/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	/* Expected failures would print libbpf's warnings; V=1 shows them. */
	if (!getenv("V"))
		libbpf_set_print(NULL);
	if (!xl_have_tool("clang"))
		SKIP_ALL("test_actions", "clang not installed: cannot build the user object");
	err = build_fixture();
	if (err) {
		printf("FAIL setup: cannot compile tests/fixtures/user_xdp.c: %s\n",
		       strerror(-err));
		remove_fixture();
		return 1;
	}
	probe_fexit();
	if (no_fexit[0])
		printf("  fexit recorder unavailable: %s\n", no_fexit);
	RUN_TEST(test_counts_test_run);
	RUN_TEST(test_counts_drop9);
	RUN_TEST(test_attach_failures);
	RUN_TEST(test_driver_without_counters);
	RUN_TEST(test_veth_native);
	RUN_TEST(test_cost_measured);
	remove_fixture();
	return xl_test_failed;
}
