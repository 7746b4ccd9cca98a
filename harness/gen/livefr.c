// SPDX-License-Identifier: GPL-2.0
/*
 * livefr.c - generator backend on BPF_PROG_RUN live frames.  Each thread
 * owns one loaded trafficgen skeleton (its generator id is a load-time
 * constant), pins itself to its CPU, enters the generator namespace and calls
 * BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES in a loop.  The kernel runs
 * xdp_gen once per frame and pushes the redirected frames into the port's
 * ndo_xdp_xmit in batches.  Pacing is done by the program itself, frame by
 * frame against a deadline (trafficgen.bpf.c); this loop only keeps it
 * running, many runs per syscall, and stops it.  A counted run's limit is
 * enforced by the program too, so the count is exact.  The exact number of
 * frames sent comes from the program's per-CPU counters, so reading it
 * mid-run is precise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include "gen.h"
#include "systems/system.h"
#include "netns.h"
#include "testbed/pfprobe.h"
#include "xdp_attach.h"
#include "trafficgen.skel.h"
#include "util.h"
#include "xl_err.h"

/* Runs per syscall: ~5-10 ms of work, so a stop is prompt and set-up is rare. */
#define LIVEFR_REPEAT 65536
/*
 * Frames per flush (the kernel's live-frames batch): 64 by default; latency
 * trials flush every 8 runs, so a stamped frame waits at most 8 runs (well
 * under a microsecond) between its stamp and its transmission.
 */
#define LIVEFR_BATCH 64
#define LIVEFR_LATENCY_BATCH 8
/* A paced thread may fall this far behind and catch up (250 us, at least 128 frames). */
#define LIVEFR_DEBT_NS 250000
#define LIVEFR_DEBT_FRAMES 128

struct livefr_thread {
	struct xl_gen *g;
	struct trafficgen *skel;
	int pin_link; /* keeps xdp_gen in the kernel's XDP dispatcher, see pin_dispatcher() */
	pthread_t tid;
	bool started;
	uint64_t quota; /* frames this thread sends; 0 = unlimited */
	uint64_t fail_at_ns; /* test hook (gen.h fault_exit_s): fail at this time; 0 = never */
	_Atomic bool finished;
	int err;
};

struct livefr {
	struct livefr_thread th[XL_MAX_THREADS];
	uint8_t *frame;
	size_t frame_len;
	_Atomic bool stop;
};

static int run_batch(struct livefr *lf, int prog_fd, int ifindex, uint32_t n, uint32_t batch)
{
	struct xdp_md ctx = { .data_end = lf->frame_len, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = lf->frame, .data_size_in = lf->frame_len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = n,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = batch);

	return bpf_prog_test_run_opts(prog_fd, &opts) ? -errno : 0;
}

/* The thread's generator state, summed over CPUs (it runs on one, but may have moved). */
static int read_state(struct livefr_thread *t, struct xl_gen_state *out)
{
	int ncpu = libbpf_num_possible_cpus(), fd = bpf_map__fd(t->skel->maps.xl_gen_state);
	struct xl_gen_state *v;
	__u32 key = 0;

	if (ncpu < 0)
		return ncpu;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &key, v)) {
		free(v);
		return -errno;
	}
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < ncpu; i++) {
		out->sent += v[i].sent;
		out->idle += v[i].idle;
		if (v[i].first_ns && (!out->first_ns || v[i].first_ns < out->first_ns))
			out->first_ns = v[i].first_ns;
		if (v[i].last_ns > out->last_ns)
			out->last_ns = v[i].last_ns;
	}
	free(v);
	return 0;
}

/* A counted run: every CPU's slot gets the thread's limit before it starts. */
static int set_limit(struct livefr_thread *t, uint64_t limit)
{
	int ncpu = libbpf_num_possible_cpus(), fd = bpf_map__fd(t->skel->maps.xl_gen_state), err;
	struct xl_gen_state *v;
	__u32 key = 0;

	if (ncpu < 0)
		return ncpu;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (int i = 0; i < ncpu; i++)
		v[i].limit = limit;
	err = bpf_map_update_elem(fd, &key, v, 0) ? -errno : 0;
	free(v);
	return err;
}

/* n values of size bytes into an array map, keys 0..n-1 (the frames, the addresses). */
static int fill_map(struct bpf_map *map, const void *vals, __u32 n, size_t size)
{
	for (__u32 i = 0; i < n; i++)
		if (bpf_map_update_elem(bpf_map__fd(map), &i, (const char *)vals + i * size, 0))
			return -errno;
	return 0;
}

static void *livefr_thread_fn(void *arg)
{
	struct livefr_thread *t = arg;
	struct xl_gen *g = t->g;
	struct livefr *lf = g->priv;
	int prog_fd = bpf_program__fd(t->skel->progs.xdp_gen);
	int ifindex = t->skel->rodata->cfg_ifindex;
	uint32_t batch = g->cfg.stamp_time ? LIVEFR_LATENCY_BATCH : LIVEFR_BATCH;
	struct xl_gen_state st;
	int saved;

	t->err = xl_ns_enter(g->cfg.ns, &saved);
	if (t->err)
		goto out;
	while (!atomic_load_explicit(&lf->stop, memory_order_relaxed)) {
		t->err = run_batch(lf, prog_fd, ifindex, LIVEFR_REPEAT, batch);
		if (t->err)
			break;
		/* Fault injection for tests only: checked once per batch, never per frame. */
		if (t->fail_at_ns && xl_now_ns() >= t->fail_at_ns) {
			t->err = -ECANCELED;
			break;
		}
		/* The program stops sending at the limit; the loop stops when it has. */
		if (t->quota && (read_state(t, &st) || st.sent >= t->quota))
			break;
	}
	xl_ns_leave(saved);
out:
	atomic_store(&t->finished, true);
	return NULL;
}

/*
 * Every XDP BPF_PROG_RUN adds the program to the kernel's XDP dispatcher on
 * entry and removes it on exit, and each change waits for an RCU grace period
 * (milliseconds on a VM).  That would cap the syscall rate, and so the pacing,
 * at a few hundred per second.  Holding the program in the dispatcher through
 * an attachment makes both changes no-ops: attach it in generic mode to the
 * loopback device of the generator's namespace, which carries no traffic.
 * Failure only costs speed, so it is a warning.
 */
static void pin_dispatcher(struct livefr_thread *t, const char *ns)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo_opts, .flags = XDP_FLAGS_SKB_MODE);
	int lo = xl_ns_ifindex(ns, "lo"), saved;

	t->pin_link = -1;
	if (lo < 0 || xl_ns_enter(ns, &saved))
		return;
	t->pin_link =
		bpf_link_create(bpf_program__fd(t->skel->progs.xdp_gen), lo, BPF_XDP, &lo_opts);
	if (t->pin_link < 0)
		xl_warn("cannot hold the generator in the XDP dispatcher (%s): pacing is coarse",
			strerror(errno));
	xl_ns_leave(saved);
}

static int livefr_open(struct xl_gen *g)
{
	struct xl_gen_cfg *c = &g->cfg;
	struct livefr *lf = calloc(1, sizeof(*lf));
	int ifindex, err;

	if (!lf)
		return -ENOMEM;
	g->priv = lf;
	for (int i = 0; i < XL_MAX_THREADS; i++)
		lf->th[i].pin_link = -1;
	ifindex = xl_ns_ifindex(c->ns, c->ifname);
	if (ifindex < 0)
		return xl_fail(XL_EXIT_NOIF, "generator interface '%s' does not exist%s%s",
			       c->ifname, c->ns ? " in namespace " : "", c->ns ? c->ns : "");
	if (c->stamp_time && (c->frames || c->pkt.proto == XL_PROTO_TCP))
		return xl_fail(XL_EXIT_USAGE, "latency trials send xdplab's UDP frames, not %s",
			       c->frames ? "replayed ones" : "TCP");
	if (c->nsrcs && (c->frames || c->pkt.proto == XL_PROTO_TCP))
		return xl_fail(XL_EXIT_USAGE, "source addresses are written into UDP frames only");
	/* Replay: the live frame is as long as the longest; xdp_gen sets each one's length. */
	lf->frame_len = c->frames ? c->frames->max_len : xl_pkt_len(c->pkt.frame_size);
	lf->frame = calloc(1, lf->frame_len);
	if (!lf->frame)
		return -ENOMEM;
	if (c->frames)
		memcpy(lf->frame, c->frames->f[0].data, c->frames->f[0].len);
	else if (xl_pkt_build(&c->pkt, lf->frame, lf->frame_len))
		return xl_fail(XL_EXIT_USAGE, "frame size must be %d..%d bytes and flows 1..50000",
			       XL_MIN_FRAME, XL_MAX_FRAME);
	for (int i = 0; i < c->nthreads; i++) {
		struct livefr_thread *t = &lf->th[i];

		t->g = g;
		t->skel = trafficgen__open();
		if (!t->skel)
			return xl_fail(XL_EXIT_BPF, "cannot open generator object: %s",
				       strerror(errno));
		t->skel->rodata->cfg_ifindex = ifindex;
		t->skel->rodata->cfg_flows = c->frames ? c->frames->n : c->pkt.flows;
		t->skel->rodata->cfg_gen_id = i;
		t->skel->rodata->cfg_replay = c->frames ? c->frames->n : 0;
		if (!c->frames && (c->naddrs || c->nsrcs)) {
			t->skel->rodata->cfg_naddrs = c->naddrs;
			t->skel->rodata->cfg_nsrcs = c->nsrcs;
			t->skel->rodata->cfg_ip_sum = xl_pkt_ip_base_sum(lf->frame, c->nsrcs);
		}
		if (!c->frames && c->pkt.proto == XL_PROTO_TCP)
			t->skel->rodata->cfg_tcp_sum =
				xl_pkt_tcp_base_sum(lf->frame, lf->frame_len, c->naddrs);
		err = bpf_map__set_max_entries(t->skel->maps.xl_gen_addrs,
					       c->naddrs ? c->naddrs : 1);
		if (err)
			return xl_fail(XL_EXIT_BPF, "cannot size the address map: %s",
				       strerror(-err));
		err = err
			      ?: bpf_map__set_max_entries(t->skel->maps.xl_gen_srcs,
							  c->nsrcs ? c->nsrcs : 1);
		if (err)
			return xl_fail(XL_EXIT_BPF, "cannot size the address map: %s",
				       strerror(-err));
		err = bpf_map__set_max_entries(t->skel->maps.xl_replay,
					       c->frames ? c->frames->n : 1);
		if (err)
			return xl_fail(XL_EXIT_BPF, "cannot size the replay map: %s",
				       strerror(-err));
		t->skel->rodata->cfg_stamp_time = c->stamp_time;
		if (c->rate_pps > 0) {
			double interval_ps = 1e12 * c->nthreads / c->rate_pps;
			double debt_ps = interval_ps * LIVEFR_DEBT_FRAMES;

			t->skel->rodata->cfg_interval_ps = interval_ps;
			t->skel->rodata->cfg_debt_ps =
				debt_ps > LIVEFR_DEBT_NS * 1e3 ? debt_ps : LIVEFR_DEBT_NS * 1e3;
		}
		memcpy((void *)t->skel->rodata->cfg_tmpl, lf->frame, XL_TMPL_WORDS * 8);
		err = trafficgen__load(t->skel);
		if (err)
			return xl_fail(XL_EXIT_BPF, "cannot load generator program: %s",
				       strerror(-err));
		if (c->frames)
			err = fill_map(t->skel->maps.xl_replay, c->frames->f, c->frames->n,
				       sizeof(*c->frames->f));
		else
			err = fill_map(t->skel->maps.xl_gen_addrs, c->dst_addrs, c->naddrs,
				       sizeof(*c->dst_addrs))
				      ?: fill_map(t->skel->maps.xl_gen_srcs, c->src_addrs, c->nsrcs,
						  sizeof(*c->src_addrs));
		if (err)
			return xl_fail(XL_EXIT_BPF, "cannot load the replayed frames: %s",
				       strerror(-err));
		/* Only one program can sit on lo; one pinned program is enough for the test. */
		if (i == 0)
			pin_dispatcher(t, c->ns);
		if (c->count)
			t->quota = c->count / c->nthreads + (i < (int)(c->count % c->nthreads));
		if (set_limit(t, t->quota))
			return xl_fail(XL_EXIT_BPF, "cannot set the generator's frame limit");
	}
	return 0;
}

static int livefr_start(struct xl_gen *g)
{
	struct livefr *lf = g->priv;

	atomic_store(&lf->stop, false);
	for (int i = 0; i < g->cfg.nthreads; i++) {
		struct livefr_thread *t = &lf->th[i];
		pthread_attr_t attr;
		cpu_set_t set;
		int err;

		CPU_ZERO(&set);
		CPU_SET(g->cfg.cpus[i], &set);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		atomic_store(&t->finished, false);
		t->fail_at_ns = i == 0 && g->cfg.fault_exit_s > 0
					? xl_now_ns() + (uint64_t)(g->cfg.fault_exit_s * 1e9)
					: 0;
		err = pthread_create(&t->tid, &attr, livefr_thread_fn, t);
		pthread_attr_destroy(&attr);
		if (err)
			return xl_fail(XL_EXIT_ENV, "cannot start generator thread on CPU %d: %s",
				       g->cfg.cpus[i], strerror(err));
		t->started = true;
	}
	return 0;
}

static int livefr_sent(struct xl_gen *g, uint64_t *frames)
{
	struct livefr *lf = g->priv;
	struct xl_datarec rec;
	int err;

	*frames = 0;
	for (int i = 0; i < g->cfg.nthreads; i++) {
		err = xl_percpu_datarec_sum(bpf_map__fd(lf->th[i].skel->maps.xl_stats),
					    XDP_REDIRECT, &rec);
		if (err)
			return err;
		*frames += rec.packets;
	}
	return 0;
}

/* A thread that ended with an error died; one that ended at its quota or on stop did not. */
static bool livefr_lost(struct xl_gen *g, char *why, size_t len)
{
	struct livefr *lf = g->priv;

	for (int i = 0; lf && i < g->cfg.nthreads; i++) {
		struct livefr_thread *t = &lf->th[i];

		if (atomic_load(&t->finished) && t->err) {
			snprintf(why, len, "generator thread %d stopped: BPF_PROG_RUN failed: %s",
				 i,
				 t->err == -ECANCELED ? "fault injected (XDPLAB_FAULT)"
						      : strerror(-t->err));
			return true;
		}
	}
	return false;
}

static bool livefr_done(struct xl_gen *g)
{
	struct livefr *lf = g->priv;

	for (int i = 0; i < g->cfg.nthreads; i++)
		if (!atomic_load(&lf->th[i].finished))
			return false;
	return true;
}

static double livefr_active_span(struct xl_gen *g)
{
	struct livefr *lf = g->priv;
	uint64_t first = UINT64_MAX, last = 0;
	struct xl_gen_state st;

	/* From the program's own clock reads at the first and last frame (paced runs). */
	for (int i = 0; i < g->cfg.nthreads; i++) {
		if (read_state(&lf->th[i], &st) || !st.first_ns)
			continue;
		if (st.first_ns < first)
			first = st.first_ns;
		if (st.last_ns > last)
			last = st.last_ns;
	}
	return last > first ? (last - first) / 1e9 : 0;
}

static void livefr_stop(struct xl_gen *g)
{
	struct livefr *lf = g->priv;

	if (!lf)
		return;
	atomic_store(&lf->stop, true);
	for (int i = 0; i < g->cfg.nthreads; i++) {
		if (lf->th[i].started)
			pthread_join(lf->th[i].tid, NULL);
		lf->th[i].started = false;
	}
}

static void livefr_close(struct xl_gen *g)
{
	struct livefr *lf = g->priv;

	if (!lf)
		return;
	for (int i = 0; i < XL_MAX_THREADS; i++) {
		if (lf->th[i].pin_link >= 0)
			close(lf->th[i].pin_link);
		trafficgen__destroy(lf->th[i].skel);
	}
	free(lf->frame);
	free(lf);
	g->priv = NULL;
}

/* Some kernels refuse live-frames mode (EPERM): asked once per process (testbed/pfprobe.h). */
static int livefr_probe(char *why, size_t len)
{
	static int cached = 1; /* 1 = not asked yet */

	if (cached == 1)
		cached = xl_probe_live_frames();
	if (cached && why)
		snprintf(why, len, "this kernel refuses BPF_PROG_RUN live frames (%s)",
			 strerror(-cached));
	return cached;
}

static const struct xl_gen_ops livefr_ops = {
	.name = "livefr",
	.what = "in-kernel BPF_PROG_RUN live frames (xdp_gen redirects out of the port)",
	.replays = true,
	.open = livefr_open,
	.start = livefr_start,
	.sent = livefr_sent,
	.done = livefr_done,
	.active_span = livefr_active_span,
	.lost = livefr_lost,
	.stop = livefr_stop,
	.close = livefr_close,
	.probe = livefr_probe,
};

XL_CONSTRUCTOR(register_livefr)
{
	xl_gen_register(&livefr_ops);
}
