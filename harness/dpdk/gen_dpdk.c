// SPDX-License-Identifier: GPL-2.0
/*
 * gen_dpdk.c - generator backend "dpdk": frames sent with rte_eth_tx_burst by
 * a separate process, xdplab-dpdkgen (dpdkgen_main.c), started in the
 * generator's namespace with one lcore per generator thread pinned to
 * cfg.cpus[i].  The port is chosen by backend_opts (opts.h): vdev=af_xdp
 * (default, net_af_xdp on cfg.ifname), vdev=af_packet, or pci=DBDF on a real
 * testbed (options: opts.h).  xdplab and the process share one mapped block: settings in, exact
 * per-lcore sent counters and state out, start/stop as sequence numbers.  The
 * file behind the block is unlinked as soon as the process has mapped it, so a
 * crash leaves no file; the process also exits when xdplab's end of its stdin
 * closes or xdplab dies (parent-death signal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "dpdkgen_shm.h"
#include "eal.h"
#include "opts.h"
#include "proc.h"
#include "gen/gen.h"
#include "systems/system.h"
#include "undo.h"
#include "util.h"
#include "xdplab.h"
#include "xl_err.h"

#define DG_START_TIMEOUT_MS 30000
#define DG_CMD_TIMEOUT_MS 5000
/* Frames per burst through the veth testbed's relay (fill_block). */
#define RELAY_BURST 8

struct dpdk_gen {
	struct xl_dpdk_opts opts;
	struct xl_dpdk_proc proc;
	struct xl_dg_shm *shm;
	char shm_path[160];
	int shm_undo; /* registry entry of the file until it is unlinked (a kill -9 meanwhile) */
	bool started; /* the process was spawned */
	char desc[192]; /* describe() */
};

/* xdplab-dpdkgen sits next to xdplab (build/), or one level up for test binaries. */
static int find_helper(char *path, size_t len)
{
	static const char *const rel[] = { "xdplab-dpdkgen", "../xdplab-dpdkgen" };
	char self[512], *dir;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return -ENOENT;
	self[n] = 0;
	dir = dirname(self);
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, len, "%s/%s", dir, rel[i]);
		if (access(path, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

static int map_block(struct dpdk_gen *d)
{
	int fd;

	mkdir("/run/xdplab", 0755);
	snprintf(d->shm_path, sizeof(d->shm_path), "/run/xdplab/%s.shm", d->proc.prefix);
	fd = open(d->shm_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	/* The process starts EAL before the file can go: a SIGKILL then must not leave it. */
	d->shm_undo = xl_undo_add("rmtree", d->shm_path, NULL);
	if (ftruncate(fd, sizeof(*d->shm))) {
		close(fd);
		return -errno;
	}
	d->shm = mmap(NULL, sizeof(*d->shm), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (d->shm == MAP_FAILED) {
		d->shm = NULL;
		return -errno;
	}
	return 0;
}

static void fill_block(struct dpdk_gen *d, const struct xl_gen_cfg *c)
{
	struct xl_dg_shm *s = d->shm;

	memset(s, 0, sizeof(*s));
	s->magic = XL_DG_MAGIC;
	s->version = XL_DG_VERSION;
	s->pkt = c->pkt;
	s->rate_pps = c->rate_pps;
	s->count = c->count;
	s->nthreads = c->nthreads;
	s->stamp_time = c->stamp_time;
	s->naddrs = c->naddrs;
	s->nsrcs = c->nsrcs;
	memcpy(s->addrs, c->dst_addrs, c->naddrs * sizeof(*c->dst_addrs));
	memcpy(s->srcs, c->src_addrs, c->nsrcs * sizeof(*c->src_addrs));
	if (c->frames) {
		s->nframes = c->frames->n;
		memcpy(s->frames, c->frames->f, c->frames->n * sizeof(*c->frames->f));
	}
	/*
	 * The relay's copies (testbed/relay.h) multiply a burst at the DUT, all in
	 * one softirq stretch on the generator's core: 32 frames x 16 copies kept
	 * that core from the sink's NAPI for long enough to overflow its 256-frame
	 * ring (measured: 0.2-2% sink drops at 1.3-1.6 Mpps).  Through the relay,
	 * unless burst= is set, every trial (the one-copy ceiling that the copies
	 * are planned from included) sends RELAY_BURST frames per burst: at most
	 * 128 at the DUT.  32 / copies per trial was measured worse: the plan,
	 * made at 32, then overloaded the generator, which fell 8-19% short
	 * beside a saturated DUT.
	 */
	s->burst = d->opts.burst;
	if (!d->opts.burst_set && c->relayed && s->burst > RELAY_BURST)
		s->burst = RELAY_BURST;
	/* Per queue: RX fill ring + TX ring (2048 each) + bursts in flight + lcore cache. */
	s->nb_mbufs = d->opts.mbufs ? d->opts.mbufs : 8192u * c->nthreads;
}

/* The process failed or died: one line saying why. */
static int helper_failed(struct dpdk_gen *d, const char *when)
{
	char why[256];

	if (d->shm && atomic_load(&d->shm->state) == XL_DG_FAILED)
		snprintf(why, sizeof(why), "%s", d->shm->error);
	else
		xl_dpdk_log_error(&d->proc, why, sizeof(why));
	return xl_fail(XL_EXIT_DPDK, "DPDK generator %s: %s", when, why);
}

static int wait_state(struct dpdk_gen *d)
{
	for (int ms = 0; ms < DG_START_TIMEOUT_MS; ms += 5) {
		uint32_t st = atomic_load(&d->shm->state);

		if (st == XL_DG_READY)
			return 0;
		if (st == XL_DG_FAILED || st == XL_DG_EXITED || !xl_dpdk_alive(&d->proc))
			return helper_failed(d, "failed to start");
		usleep(5000);
	}
	return xl_fail(XL_EXIT_DPDK, "DPDK generator did not start within %d s",
		       DG_START_TIMEOUT_MS / 1000);
}

static int dpdk_open(struct xl_gen *g)
{
	struct xl_gen_cfg *c = &g->cfg;
	struct dpdk_gen *d = calloc(1, sizeof(*d));
	const char *argv[64];
	char helper[600], vdev[160], store[1024];
	int argc = 0, err;

	if (!d)
		return -ENOMEM;
	g->priv = d;
	d->proc.stdin_fd = -1;
	if (xl_dpdk_opts_parse(c->backend_opts, &d->opts))
		return -EINVAL;
	if (c->naddrs > XL_DG_MAX_ADDRS || c->nsrcs > XL_DG_MAX_ADDRS)
		return xl_fail(XL_EXIT_USAGE,
			       "the dpdk generator cycles through at most %d "
			       "addresses",
			       XL_DG_MAX_ADDRS);
	/*
	 * The generator never receives.  With preferred busy polling (the af_xdp
	 * PMD's default) every send also busy-polls the port's RX NAPI for up to
	 * 20 us, which caps a paced sender far below its target rate.
	 */
	if (d->opts.kind == XL_DPDK_AF_XDP && d->opts.busy_budget < 0)
		d->opts.busy_budget = 0;
	if (d->opts.kind == XL_DPDK_PCI && d->opts.npci != 1)
		return xl_fail(XL_EXIT_DPDK, "the DPDK generator takes one pci= device");
	if (xl_dpdk_check_ports(&d->opts, c->ns, &c->ifname, 1))
		return -ENODEV;
	if (c->pkt.frame_size < XL_MIN_FRAME || c->pkt.frame_size > XL_MAX_FRAME || !c->pkt.flows ||
	    c->pkt.flows > 50000)
		return xl_fail(XL_EXIT_USAGE, "frame size must be %d..%d bytes and flows 1..50000",
			       XL_MIN_FRAME, XL_MAX_FRAME);
	for (int i = 0; i < c->nthreads; i++)
		if (c->cpus[i] < 0 || c->cpus[i] >= sysconf(_SC_NPROCESSORS_ONLN))
			return xl_fail(XL_EXIT_USAGE, "generator CPU %d is not online", c->cpus[i]);
	if (find_helper(helper, sizeof(helper)))
		return xl_fail(XL_EXIT_ENV, "xdplab-dpdkgen not found next to xdplab (run make)");
	xl_dpdk_proc_init(&d->proc, "gen", &d->opts);
	err = map_block(d);
	if (err)
		return xl_fail(XL_EXIT_DPDK, "cannot create %s: %s", d->shm_path, strerror(-err));
	fill_block(d, c);

	argv[argc++] = helper;
	if (xl_dpdk_eal_args(&d->proc, &d->opts, c->cpus, c->nthreads, argv, &argc, 60, store,
			     sizeof(store)))
		return xl_fail(XL_EXIT_DPDK, "too many DPDK arguments");
	xl_dpdk_vdev_arg(&d->opts, 0, c->ifname, c->nthreads, vdev, sizeof(vdev));
	if (vdev[0]) {
		argv[argc++] = "--vdev";
		argv[argc++] = vdev;
	}
	argv[argc++] = "--";
	argv[argc++] = d->shm_path;
	argv[argc] = NULL;
	err = xl_dpdk_spawn(&d->proc, &d->opts, d->opts.kind == XL_DPDK_PCI ? NULL : c->ns, c->cpus,
			    c->nthreads, argv);
	if (err)
		return err;
	d->started = true;
	err = wait_state(d);
	/* Both sides have it mapped (or the process is gone): the file can go. */
	unlink(d->shm_path);
	d->shm_path[0] = 0;
	if (d->shm_undo > 0)
		xl_undo_drop(d->shm_undo);
	d->shm_undo = 0;
	if (err)
		return err;
	xl_debug("DPDK generator %s up: port driver %s, TSC %.3f GHz", d->proc.prefix,
		 d->shm->port_info, d->shm->tsc_hz / 1e9);
	return 0;
}

static int wait_seq(struct dpdk_gen *d, _Atomic uint32_t *seq, uint32_t want, const char *what)
{
	for (int ms = 0; ms < DG_CMD_TIMEOUT_MS; ms++) {
		if (atomic_load(seq) == want)
			return 0;
		if (atomic_load(&d->shm->state) == XL_DG_FAILED || !xl_dpdk_alive(&d->proc))
			return helper_failed(d, what);
		usleep(1000);
	}
	return xl_fail(XL_EXIT_DPDK, "DPDK generator did not %s within %d s", what,
		       DG_CMD_TIMEOUT_MS / 1000);
}

static int dpdk_start(struct xl_gen *g)
{
	struct dpdk_gen *d = g->priv;
	uint32_t s = atomic_load(&d->shm->start_seq) + 1;
	int err;

	atomic_store(&d->shm->start_seq, s);
	/* A short counted run may be over before we look: done_seq counts as started. */
	for (int ms = 0; ms < DG_CMD_TIMEOUT_MS; ms++) {
		if (atomic_load(&d->shm->run_seq) == s || atomic_load(&d->shm->done_seq) == s)
			return 0;
		if (atomic_load(&d->shm->state) == XL_DG_FAILED || !xl_dpdk_alive(&d->proc))
			return helper_failed(d, "stopped");
		usleep(1000);
	}
	err = xl_fail(XL_EXIT_DPDK, "DPDK generator did not start sending within %d s",
		      DG_CMD_TIMEOUT_MS / 1000);
	return err;
}

static int dpdk_sent(struct xl_gen *g, uint64_t *frames)
{
	struct dpdk_gen *d = g->priv;

	*frames = 0;
	for (int i = 0; i < g->cfg.nthreads; i++)
		*frames += atomic_load_explicit(&d->shm->th[i].sent, memory_order_acquire);
	if (atomic_load(&d->shm->state) == XL_DG_FAILED)
		return helper_failed(d, "failed");
	return 0;
}

static bool dpdk_done(struct xl_gen *g)
{
	struct dpdk_gen *d = g->priv;
	uint32_t s = atomic_load(&d->shm->start_seq);

	return s && atomic_load(&d->shm->done_seq) == s;
}

static const char *dpdk_describe(struct xl_gen *g)
{
	struct dpdk_gen *d = g->priv;

	snprintf(d->desc, sizeof(d->desc), "xdplab-dpdkgen, port driver %s, %u frames per burst",
		 d->shm->port_info, d->shm->burst);
	return d->desc;
}

/* Seconds from this run's first accepted burst to its last, over all lcores (0 = none). */
static double dpdk_active_span(struct xl_gen *g)
{
	struct dpdk_gen *d = g->priv;
	uint64_t first = UINT64_MAX, last = 0;

	for (int i = 0; i < g->cfg.nthreads; i++) {
		uint64_t f = atomic_load(&d->shm->th[i].first_ns);
		uint64_t l = atomic_load(&d->shm->th[i].last_ns);

		if (!f)
			continue;
		first = f < first ? f : first;
		last = l > last ? l : last;
	}
	return last > first && first != UINT64_MAX ? (last - first) / 1e9 : 0;
}

/* The process exited or was killed while it should still be sending (or waiting). */
static bool dpdk_lost(struct xl_gen *g, char *why, size_t len)
{
	struct dpdk_gen *d = g->priv;

	if (!d || !d->started || xl_dpdk_alive(&d->proc))
		return false;
	snprintf(why, len, "the DPDK generator process (pid %d) exited or was killed",
		 (int)d->proc.pid);
	return true;
}

static void dpdk_stop(struct xl_gen *g)
{
	struct dpdk_gen *d = g->priv;
	uint32_t s;

	if (!d || !d->shm || !d->started)
		return;
	s = atomic_load(&d->shm->start_seq);
	if (!s || atomic_load(&d->shm->done_seq) == s || !xl_dpdk_alive(&d->proc))
		return;
	atomic_store(&d->shm->stop_seq, s);
	wait_seq(d, &d->shm->done_seq, s, "stop");
}

static void dpdk_close(struct xl_gen *g)
{
	struct dpdk_gen *d = g->priv;
	int status;

	if (!d)
		return;
	if (d->shm)
		atomic_store(&d->shm->exit_req, 1);
	if (d->started) {
		status = xl_dpdk_reap(&d->proc, 3000);
		if (status > 0)
			xl_debug("DPDK generator exited with status %d", status);
	} else {
		xl_dpdk_reap(&d->proc, 0); /* private log, nothing else */
	}
	if (d->shm)
		munmap(d->shm, sizeof(*d->shm));
	if (d->shm_path[0])
		unlink(d->shm_path);
	if (d->shm_undo > 0)
		xl_undo_drop(d->shm_undo);
	free(d);
	g->priv = NULL;
}

/*
 * An af_packet port leaves the kernel's receive path (and its XDP hook) to
 * the kernel: a sink can count what comes back there.  An af_xdp port's own
 * XDP program takes every frame of its queues, a PCI port is the PMD's.
 */
static bool dpdk_owns_port(const char *backend_opts)
{
	struct xl_dpdk_opts o;

	return xl_dpdk_opts_parse(backend_opts, &o) || o.kind != XL_DPDK_AF_PACKET;
}

static const struct xl_gen_ops dpdk_gen_ops = {
	.name = "dpdk",
	.owns_port = dpdk_owns_port,
	.replays = true,
	.what = "DPDK rte_eth_tx_burst in a separate process (xdplab-dpdkgen); port from --opts "
		"vdev=af_xdp|af_packet or pci=DBDF",
	.open = dpdk_open,
	.start = dpdk_start,
	.sent = dpdk_sent,
	.done = dpdk_done,
	.active_span = dpdk_active_span,
	.describe = dpdk_describe,
	.lost = dpdk_lost,
	.stop = dpdk_stop,
	.close = dpdk_close,
};

XL_CONSTRUCTOR(register_dpdk_gen)
{
	xl_gen_register(&dpdk_gen_ops);
}
