// SPDX-License-Identifier: GPL-2.0
/*
 * testpmd.c - the "testpmd" system kind: the paper's DPDK baselines as
 * systems (systems.ini: dpdk-rxonly drops, dpdk-mac and dpdk-io forward
 * dut-in -> dut-out, dpdk-macswap sends back out of dut-in, the paper's
 * latency set-up; settings fwd = testpmd forward mode, ports = 1 or 2; the
 * [run] key dpdk_opts reaches every instance as run_opts).  setup() starts
 * testpmd in the DUT namespace with every lcore on the DUT cores (the
 * forwarding lcores on dut_cpus[], the main lcore, which only waits on its
 * stdin, beside the first of them), waits until its ports are up through the
 * telemetry socket, and keeps that socket open; read() returns the frames the
 * DUT received (ipackets summed over its ports) from /ethdev/stats; teardown()
 * closes testpmd's stdin (its normal exit, which also detaches the PMD's XDP
 * program), escalates to signals if needed, and removes the runtime directory
 * and the hugepages it reserved (all recorded in the cleanup registry).  On veth the ports are reached through the
 * af_xdp (or af_packet) PMD, so testpmd here is not kernel bypass: describe()
 * says so for context.json, and docs/dpdk.md explains what that means.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "eal.h"
#include "opts.h"
#include "proc.h"
#include "telemetry.h"
#include "gen/pkt.h"
#include "netns.h"
#include "systems/system.h"
#include "xl_err.h"
#include "xl_spawn.h"
#include "util.h"

#define TESTPMD "dpdk-testpmd"
#define TP_READY_TIMEOUT_MS 30000
/*
 * EEVDF slice of dut-in's NAPI threads while testpmd runs (see tp_napi_slice).
 * Short enough that a woken NAPI thread preempts the busy-polling lcore before
 * the 256-entry veth ring overflows; fair sharing still holds under overload.
 */
#define TP_NAPI_SLICE_NS 100000

struct tp_mode {
	char fwd[32]; /* --forward-mode */
	int nports; /* 1: dut-in only; 2: dut-in and dut-out */
};

struct tp_sys {
	struct xl_dpdk_opts opts;
	struct xl_dpdk_proc proc;
	struct tp_mode mode;
	int tele_fd;
	bool napi_sliced;
	char version[64];
	char describe[640];
};

/* struct sched_attr as in include/uapi/linux/sched/types.h (glibc has no wrapper). */
struct tp_sched_attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

/*
 * On veth the af_xdp PMD still depends on the kernel: dut-in's NAPI thread
 * (pinned to the DUT core by the runner) runs the XDP program and copies each
 * frame into the socket, sharing the core with testpmd's busy-polling lcore.
 * With the default slice (~3 ms) the NAPI thread waits too long for the CPU
 * and the veth ring drops frames far below the maximum rate; real-time
 * priority instead lets it starve testpmd (receive livelock).  A short
 * SCHED_OTHER slice gives softirq-like wakeups with fair sharing.  slice_ns 0
 * restores the default.  Returns the number of threads changed.
 */
static int tp_napi_slice(const struct xl_testbed *tb, uint64_t slice_ns)
{
	pid_t pids[2 * XL_MAX_CORES];
	int found = xl_testbed_napi_pids(tb, XL_ROLE_DUT_IN, pids, 2 * XL_MAX_CORES), n = 0;

	for (int i = 0; i < found; i++) {
		struct tp_sched_attr a = { .size = sizeof(a), .sched_runtime = slice_ns };

		if (!syscall(SYS_sched_setattr, pids[i], &a, 0))
			n++;
	}
	return n;
}

static void tp_teardown(struct xl_system *s)
{
	struct tp_sys *t = s->priv;
	int status;

	if (!t)
		return;
	if (t->napi_sliced)
		tp_napi_slice(s->tb, 0);
	if (t->tele_fd >= 0)
		close(t->tele_fd);
	status = xl_dpdk_reap(&t->proc, 3000);
	if (status > 0)
		xl_debug("testpmd exited with status %d", status);
	free(t);
	s->priv = NULL;
}

static int tp_fail(struct xl_system *s, const char *what)
{
	struct tp_sys *t = s->priv;
	char why[256];

	xl_dpdk_log_error(&t->proc, why, sizeof(why));
	xl_fail(XL_EXIT_DPDK, "testpmd %s: %s", what, why);
	tp_teardown(s);
	return -1;
}

/* Ports up as testpmd's telemetry reports them; testpmd starts forwarding right after. */
static int tp_wait_ready(struct xl_system *s)
{
	struct tp_sys *t = s->priv;

	for (int ms = 0; ms < TP_READY_TIMEOUT_MS; ms += 20, usleep(20000)) {
		json_object *v;
		int up = 0;

		if (!xl_dpdk_alive(&t->proc))
			return tp_fail(s, "exited during start-up");
		if (t->tele_fd < 0) {
			t->tele_fd =
				xl_dpdk_tele_open(t->proc.prefix, t->version, sizeof(t->version));
			continue;
		}
		if (xl_dpdk_tele_cmd(t->tele_fd, "/ethdev/list", &v))
			continue;
		if (json_object_array_length(v) < (size_t)t->mode.nports) {
			json_object_put(v);
			continue;
		}
		json_object_put(v);
		for (int p = 0; p < t->mode.nports; p++) {
			json_object *st;
			char cmd[64];

			snprintf(cmd, sizeof(cmd), "/ethdev/link_status,%d", p);
			if (xl_dpdk_tele_cmd(t->tele_fd, cmd, &v))
				break;
			up += json_object_object_get_ex(v, "status", &st) &&
			      !strcmp(json_object_get_string(st), "UP");
			json_object_put(v);
		}
		if (up == t->mode.nports)
			return 0;
	}
	xl_fail(XL_EXIT_DPDK, "testpmd ports did not come up within %d s",
		TP_READY_TIMEOUT_MS / 1000);
	tp_teardown(s);
	return -1;
}

/* fwd = testpmd --forward-mode; ports = 1 (dut-in) or 2 (dut-in -> dut-out). */
static int tp_mode_of(const struct xl_sys_entry *e, struct tp_mode *m)
{
	const char *fwd = xl_setting(e, "fwd"), *ports = xl_setting(e, "ports");
	long n = 1;

	if (!fwd || strlen(fwd) >= sizeof(m->fwd) || strpbrk(fwd, " \t="))
		return xl_fail(XL_EXIT_CONFIG, "%s: [system %s] needs fwd = a testpmd forward mode",
			       e->source, e->name);
	if (ports && xl_parse_int(ports, 1, 2, &n))
		return xl_fail(XL_EXIT_CONFIG, "%s: [system %s] ports must be 1 or 2", e->source,
			       e->name);
	snprintf(m->fwd, sizeof(m->fwd), "%s", fwd);
	m->nports = n;
	return 0;
}

/* Config time: the entry's settings and the [run] dpdk_opts are usable. */
static int tp_check(const struct xl_sys_entry *e, const char *run_opts)
{
	struct xl_dpdk_opts o;
	struct tp_mode m;

	if (tp_mode_of(e, &m) || xl_dpdk_opts_parse(run_opts, &o))
		return -1;
	if (o.kind == XL_DPDK_PCI && o.busy_budget >= 0)
		return xl_fail(XL_EXIT_DPDK, "busy_budget= applies to vdev=af_xdp only");
	return 0;
}

static void tp_describe_ports(struct xl_system *s, char *buf, size_t len)
{
	struct tp_sys *t = s->priv;
	const struct xl_port *in = &s->tb->port[XL_ROLE_DUT_IN];
	char drv[32] = "?";

	switch (t->opts.kind) {
	case XL_DPDK_AF_XDP:
		xl_ns_driver(in->ns[0] ? in->ns : NULL, in->ifname, drv, sizeof(drv));
		snprintf(buf, len,
			 "net_af_xdp on %s (AF_XDP%s: the kernel driver receives every frame and "
			 "runs an XDP program that redirects it to the socket; not kernel bypass)",
			 drv, strcmp(drv, "veth") ? "" : ", copy mode on veth");
		break;
	case XL_DPDK_AF_PACKET:
		snprintf(buf, len,
			 "net_af_packet (AF_PACKET sockets: frames take the kernel receive path "
			 "up to the socket; not kernel bypass)");
		break;
	case XL_DPDK_PCI:
		snprintf(buf, len,
			 "PCI device(s) %s%s%s owned by DPDK (kernel bypass, as in the paper)",
			 t->opts.pci[0], t->opts.npci > 1 ? "+" : "",
			 t->opts.npci > 1 ? t->opts.pci[1] : "");
		break;
	}
}

static int tp_setup(struct xl_system *s)
{
	const struct xl_testbed *tb = s->tb;
	const char *ifnames[2] = { tb->port[XL_ROLE_DUT_IN].ifname,
				   tb->port[XL_ROLE_DUT_OUT].ifname };
	const char *ns = tb->port[XL_ROLE_DUT_IN].ns[0] ? tb->port[XL_ROLE_DUT_IN].ns : NULL;
	char store[1024], vdev[2][160], fwd[64], peer[2][48], rxq[24], txq[24], nb[32], mbufs[48];
	char mac[24];
	char ports[320];
	int cpus[XL_MAX_CORES + 1], argc = 0, cores = tb->cores;
	const char *argv[96];
	struct tp_mode mode;
	struct tp_sys *t;

	if (tp_mode_of(s->e, &mode))
		return -1;

	if (!xl_have_tool(TESTPMD))
		return xl_fail(XL_EXIT_ENV, "%s not found (Debian package dpdk-dev)", TESTPMD);
	if (mode.nports == 2 && strcmp(tb->port[XL_ROLE_DUT_IN].ns, tb->port[XL_ROLE_DUT_OUT].ns))
		return xl_fail(XL_EXIT_DPDK,
			       "dut-in and dut-out must share a namespace for testpmd");
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->tele_fd = -1;
	t->mode = mode;
	s->priv = t;
	if (xl_dpdk_opts_parse(s->run_opts, &t->opts) ||
	    xl_dpdk_check_ports(&t->opts, ns, ifnames, mode.nports)) {
		tp_teardown(s);
		return -1;
	}
	/*
	 * Preferred busy polling (the PMD's default) makes every RX and TX kick a
	 * syscall that busy-polls the port's NAPI; on veth that halves the rate
	 * and collapses under overload.  Measured in docs/dpdk.md; busy_budget=
	 * brings it back.
	 */
	if (t->opts.kind == XL_DPDK_AF_XDP && t->opts.busy_budget < 0)
		t->opts.busy_budget = 0;
	xl_dpdk_proc_init(&t->proc, "testpmd", &t->opts);

	/* lcore 0 (main) waits on stdin: idle, placed with the first forwarding lcore. */
	cpus[0] = tb->dut_cpus[0];
	for (int i = 0; i < cores; i++)
		cpus[i + 1] = tb->dut_cpus[i];
	argv[argc++] = TESTPMD;
	if (xl_dpdk_eal_args(&t->proc, &t->opts, cpus, cores + 1, argv, &argc, 80, store,
			     sizeof(store))) {
		tp_teardown(s);
		return xl_fail(XL_EXIT_DPDK, "too many DPDK arguments");
	}
	for (int p = 0; p < mode.nports; p++) {
		xl_dpdk_vdev_arg(&t->opts, p, ifnames[p], cores, vdev[p], sizeof(vdev[p]));
		if (vdev[p][0]) {
			argv[argc++] = "--vdev";
			argv[argc++] = vdev[p];
		}
	}
	argv[argc++] = "--";
	snprintf(fwd, sizeof(fwd), "--forward-mode=%s", mode.fwd);
	argv[argc++] = fwd;
	argv[argc++] = "--auto-start";
	argv[argc++] = "--stats-period=0"; /* no banner: counters come from telemetry */
	argv[argc++] = mode.nports == 1 ? "--port-topology=loop" : "--port-topology=paired";
	snprintf(nb, sizeof(nb), "--nb-cores=%d", cores);
	argv[argc++] = nb;
	snprintf(rxq, sizeof(rxq), "--rxq=%d", cores);
	argv[argc++] = rxq;
	snprintf(txq, sizeof(txq), "--txq=%d", cores);
	argv[argc++] = txq;
	snprintf(mbufs, sizeof(mbufs), "--total-num-mbufs=%u",
		 t->opts.mbufs ? t->opts.mbufs : 16384u * cores);
	argv[argc++] = mbufs;
	/* mac mode writes the peer as destination: the generator (port 0), the sink (port 1). */
	xl_format_mac(tb->port[mode.nports == 2 ? XL_ROLE_SINK : XL_ROLE_GEN].mac, mac,
		      sizeof(mac));
	snprintf(peer[0], sizeof(peer[0]), "--eth-peer=%d,%s", mode.nports == 2 ? 1 : 0, mac);
	argv[argc++] = peer[0];
	if (mode.nports == 2) {
		xl_format_mac(tb->port[XL_ROLE_GEN].mac, mac, sizeof(mac));
		snprintf(peer[1], sizeof(peer[1]), "--eth-peer=0,%s", mac);
		argv[argc++] = peer[1];
	}
	argv[argc] = NULL;

	if (xl_dpdk_spawn(&t->proc, &t->opts, t->opts.kind == XL_DPDK_PCI ? NULL : ns, tb->dut_cpus,
			  cores, argv)) {
		tp_teardown(s);
		return -1;
	}
	if (tp_wait_ready(s))
		return -1;
	if (t->opts.kind != XL_DPDK_PCI && tb->create) {
		/* Threaded NAPI on the DUT cores (as the runner does next), then the short slice. */
		xl_testbed_pin_napi(tb, XL_ROLE_DUT_IN, tb->dut_cpus, cores, 0, &s->undo);
		t->napi_sliced = tp_napi_slice(s->tb, TP_NAPI_SLICE_NS) > 0;
	}
	tp_describe_ports(s, ports, sizeof(ports));
	snprintf(t->describe, sizeof(t->describe),
		 "dpdk-testpmd (%s) --forward-mode=%s, %d forwarding lcore(s) on the DUT core(s), "
		 "main lcore idle on CPU %d; ports: %s%s",
		 t->version[0] ? t->version : "DPDK ?", mode.fwd, cores, tb->dut_cpus[0], ports,
		 t->napi_sliced ? "; dut-in NAPI threads share the DUT core (100 us slice)" : "");
	return 0;
}

static int tp_read(struct xl_system *s, uint64_t *dut_pkts)
{
	struct tp_sys *t = s->priv;

	*dut_pkts = 0;
	if (!t || t->tele_fd < 0)
		return -ENOTCONN;
	for (int p = 0; p < t->mode.nports; p++) {
		json_object *v, *ip;
		char cmd[48];
		int err;

		snprintf(cmd, sizeof(cmd), "/ethdev/stats,%d", p);
		err = xl_dpdk_tele_cmd(t->tele_fd, cmd, &v);
		if (err) {
			char why[256];

			xl_dpdk_log_error(&t->proc, why, sizeof(why));
			return xl_fail(XL_EXIT_DPDK, "cannot read testpmd counters (%s): %s",
				       strerror(-err),
				       xl_dpdk_alive(&t->proc) ? "still running" : why);
		}
		if (json_object_object_get_ex(v, "ipackets", &ip))
			*dut_pkts += (uint64_t)json_object_get_int64(ip);
		json_object_put(v);
	}
	return 0;
}

static const char *tp_describe(struct xl_system *s)
{
	struct tp_sys *t = s->priv;

	return t ? t->describe : "dpdk-testpmd (not running)";
}

/* testpmd's whole process (its lcores and main thread) is DUT work. */
static int tp_task_pids(struct xl_system *s, pid_t *pids, int max)
{
	struct tp_sys *t = s->priv;

	if (!t || t->proc.pid <= 0 || max < 1)
		return 0;
	pids[0] = t->proc.pid;
	return 1;
}

static const char *const tp_keys[] = { "fwd", "ports", NULL };

static const struct xl_kind_ops testpmd_kind = {
	.name = "testpmd",
	.what = "dpdk-testpmd on dut-in (and dut-out) through a DPDK PMD",
	.modes = XL_SM_DPDK,
	.keys = tp_keys,
	.run_key = "dpdk_opts",
	.check = tp_check,
	.setup = tp_setup,
	.read = tp_read,
	.teardown = tp_teardown,
	.task_pids = tp_task_pids,
	.describe = tp_describe,
};

extern const char xl_dpdk_systems_ini[];
extern const unsigned int xl_dpdk_systems_ini_len;

XL_CONSTRUCTOR(register_testpmd)
{
	xl_kind_register(&testpmd_kind);
	xl_catalog_register_text("harness/dpdk/systems.ini", xl_dpdk_systems_ini,
				 xl_dpdk_systems_ini_len);
}
