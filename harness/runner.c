// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - the trial engine behind `xdplab run` (see runner.h).  One
 * function measures one (system, rate, trial); the loops around it only
 * decide the order.  Any failure tears down what the measurement set up, and
 * the testbed is always removed on the way out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "runner.h"
#include "netns.h"
#ifdef XL_HAVE_DPDK
#include "dpdk_env.h"
#endif
#include "context.h"
#include "cpustat.h"
#include "gen.h"
#include "latency.h"
#include "progress.h"
#include "sig.h"
#include "taskclock.h"
#include "systems.h"
#include "util.h"
#include "xl_spawn.h"
#include "xl_err.h"

#define XL_SINK_RT_PRIO 10

#define XL_MAX_TASKS (2 * XL_MAX_CORES + 4)

struct snap {
	uint64_t t_ns, gen, dut, sink, rx_dropped;
	int ntasks;
	pid_t tasks[XL_MAX_TASKS];
	uint64_t task_ns[XL_MAX_TASKS];
	struct xl_cpu_sample dut_cpu, gen_cpu;
};

struct meas {
	struct xl_results *res;
	struct xl_run_cfg *cfg;
	struct xl_exp_cfg *exp;
	struct xl_testbed *tb;
	struct xl_progress *prog;
	const struct xl_system_def *def;
	enum xl_sys_mode mode;
	double rate;
	int trial, trials;
	unsigned int frame_size, flows;
	double warmup_s, duration_s;
};

static long pick(long v, long dflt)
{
	return v ? v : dflt;
}

static double pickd(double v, double dflt)
{
	return v > 0 ? v : dflt;
}

static int take_snap(struct xl_gen *g, struct xl_system *sys, struct xl_xdp *sink,
		     const struct xl_testbed *tb, struct snap *s)
{
	struct xl_datarec rec[XL_NR_ACTIONS];
	int err;

	s->t_ns = xl_now_ns();
	err = g->ops->sent(g, &s->gen);
	if (err)
		return err;
	err = xl_system_read(sys, &s->dut);
	if (err)
		return xl_fail(XL_EXIT_FAIL, "cannot read DUT counters of %s: %s", sys->def->name,
			       strerror(-err));
	s->sink = 0;
	if (sink) {
		err = xl_xdp_read_stats(sink, rec);
		if (err)
			return xl_fail(XL_EXIT_FAIL, "cannot read sink counters: %s", strerror(-err));
		s->sink = rec[XDP_DROP].packets;
	}
	/* The DUT's threads: dut-in's NAPI kthreads, plus a system's own processes. */
	s->ntasks = xl_testbed_napi_pids(tb, XL_ROLE_DUT_IN, s->tasks, XL_MAX_TASKS);
	if (s->ntasks < 0)
		s->ntasks = 0;
	if (sys->def->task_pids)
		s->ntasks += sys->def->task_pids(sys, s->tasks + s->ntasks, XL_MAX_TASKS - s->ntasks);
	for (int i = 0; i < s->ntasks; i++)
		if (xl_task_cpu_ns(s->tasks[i], &s->task_ns[i]))
			s->task_ns[i] = 0;
	/* Frames the DUT port dropped before processing them (full RX ring). */
	s->rx_dropped = 0;
	if (tb->dut_in_ifindex > 0) {
		struct rtnl_link_stats64 st;

		if (!xl_ns_link_stats(tb->port[XL_ROLE_DUT_IN].ns, tb->dut_in_ifindex, &st))
			s->rx_dropped = st.rx_dropped;
	}
	/* The clock is read again so the interval brackets every counter read. */
	s->t_ns = (s->t_ns + xl_now_ns()) / 2;
	if (xl_cpu_read_set(tb->dut_cpus, tb->cores, &s->dut_cpu) ||
	    xl_cpu_read_set(tb->gen_cpus, tb->cores, &s->gen_cpu))
		return xl_fail(XL_EXIT_ENV, "cannot read /proc/stat");
	return 0;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * part / whole : NAN;
}

/* Run time the DUT's threads accumulated between two snapshots (threads seen in both). */
static double task_ns_delta(const struct snap *a, const struct snap *b)
{
	uint64_t sum = 0;
	int found = 0;

	for (int i = 0; i < b->ntasks; i++) {
		for (int j = 0; j < a->ntasks; j++) {
			if (a->tasks[j] == b->tasks[i] && b->task_ns[i] >= a->task_ns[j]) {
				sum += b->task_ns[i] - a->task_ns[j];
				found++;
				break;
			}
		}
	}
	return found ? (double)sum : NAN;
}

/* Validity: a trial counts only if the generator hit its target and frames arrived. */
static void judge_row(const struct meas *m, struct xl_row_store *st, bool has_sink, uint64_t dgen,
		      uint64_t ddut, uint64_t dsink)
{
	struct xl_trial_row *w = &st->row;

	st->reason[0] = 0;
	if (!dgen)
		snprintf(st->reason, sizeof(st->reason), "generator sent nothing");
	else if (m->rate > 0 &&
		 fabs(w->offered_pps - m->rate) > m->rate * m->cfg->rate_tolerance_pct / 100)
		snprintf(st->reason, sizeof(st->reason),
			 "generator reached %.0f of %.0f pps (tolerance %g%%)", w->offered_pps,
			 m->rate, m->cfg->rate_tolerance_pct);
	else if (!ddut)
		snprintf(st->reason, sizeof(st->reason), "DUT received nothing");
	else if (has_sink && !dsink)
		snprintf(st->reason, sizeof(st->reason), "nothing delivered at the sink");
	w->valid = !st->reason[0];
	w->invalid_reason = st->reason;
}

static void fill_row(const struct meas *m, const struct snap *a, const struct snap *b,
		     struct xl_row_store *st)
{
	struct xl_trial_row *w = &st->row;
	double dt = (b->t_ns - a->t_ns) / 1e9;
	uint64_t dgen = b->gen - a->gen, ddut = b->dut - a->dut, dsink = b->sink - a->sink;
	uint64_t busy = b->dut_cpu.busy_ticks - a->dut_cpu.busy_ticks;
	uint64_t total = b->dut_cpu.total_ticks - a->dut_cpu.total_ticks;
	bool has_sink = m->def->sink != XL_SINK_NONE;
	uint64_t final = has_sink ? dsink : ddut;

	memset(st, 0, sizeof(*st));
	w->experiment = m->exp->name;
	w->system = m->def->name;
	w->mode = xl_sys_mode_name(m->mode);
	w->frame_size = m->frame_size;
	w->flows = m->flows;
	w->cores = m->tb->cores;
	w->trial = m->trial;
	w->target_pps = m->rate;
	w->duration_s = dt;
	w->offered_pkts = dgen;
	w->dut_pkts = ddut;
	w->sink_pkts = dsink;
	w->dut_rx_dropped = b->rx_dropped - a->rx_dropped;
	w->dut_task_ns_per_pkt = task_ns_delta(a, b) / (ddut ? (double)ddut : NAN);
	w->offered_pps = dgen / dt;
	w->dut_pps = ddut / dt;
	w->sink_pps = has_sink ? dsink / dt : NAN;
	w->loss_pct = dgen ? 100.0 * ((double)dgen - (double)final) / dgen : NAN;
	w->dut_cpu_pct = pct(busy, total);
	w->ns_per_pkt = ddut ? busy * xl_cpu_tick_seconds() * 1e9 / ddut : NAN;
	w->gen_cpu_pct = pct(b->gen_cpu.busy_ticks - a->gen_cpu.busy_ticks,
			     b->gen_cpu.total_ticks - a->gen_cpu.total_ticks);
	w->steal_pct = pct(b->dut_cpu.steal_ticks - a->dut_cpu.steal_ticks, total);
	judge_row(m, st, has_sink, dgen, ddut, dsink);
}

static struct xl_xdp *attach_sink(const struct xl_testbed *tb, enum xl_sink_at at, bool latency)
{
	enum xl_role r = at == XL_SINK_GEN ? XL_ROLE_GEN : at == XL_SINK_IN ? XL_ROLE_DUT_IN :
									      XL_ROLE_SINK;
	struct xl_xdp_opts o = {
		.ns = tb->port[r].ns[0] ? tb->port[r].ns : NULL,
		.ifname = tb->port[r].ifname,
		.mode = XL_MODE_NATIVE,
		.prog = latency ? "sink-latency" : "sink",
	};
	struct xl_xdp *x = xl_xdp_attach(&o);

	/*
	 * The sink's NAPI work belongs to the generator side, not to the DUT's cores.
	 * It shares those cores with the generator threads, which run in the kernel
	 * for milliseconds at a time: at normal priority the sink's 256-entry veth
	 * ring overflows while it waits for the CPU, and the instrument would lose
	 * frames the DUT delivered.  Real-time priority lets it preempt the generator.
	 * (A sink on dut-in, the no-DUT baseline, is pinned with the DUT's queues.)
	 */
	if (x && tb->create && r != XL_ROLE_DUT_IN)
		xl_testbed_pin_napi(tb, r, tb->gen_cpus, tb->cores, XL_SINK_RT_PRIO);
	return x;
}

static void gen_cfg_for(const struct meas *m, struct xl_gen_cfg *g)
{
	const struct xl_testbed *tb = m->tb;

	memset(g, 0, sizeof(*g));
	g->ns = tb->port[XL_ROLE_GEN].ns[0] ? tb->port[XL_ROLE_GEN].ns : NULL;
	g->ifname = tb->port[XL_ROLE_GEN].ifname;
	memcpy(g->pkt.src_mac, tb->port[XL_ROLE_GEN].mac, 6);
	memcpy(g->pkt.dst_mac, tb->port[XL_ROLE_DUT_IN].mac, 6);
	g->pkt.src_ip = tb->port[XL_ROLE_GEN].ip;
	g->pkt.dst_ip = tb->port[XL_ROLE_SINK].ip;
	g->pkt.frame_size = m->frame_size;
	g->pkt.flows = m->flows;
	g->rate_pps = m->rate;
	g->nthreads = tb->cores;
	memcpy(g->cpus, tb->gen_cpus, sizeof(int) * tb->cores);
	g->backend_opts = m->cfg->backend_opts[0] ? m->cfg->backend_opts : NULL;
}

/*
 * Sleep through a phase, refreshing the progress line with the live rate twice
 * a second; a count-limited generator ends the phase as soon as it is done.
 */
static int watch(const struct meas *m, struct xl_gen *g, struct xl_system *sys,
		 struct xl_xdp *sink, double secs, const char *phase)
{
	uint64_t end = xl_now_ns() + secs * 1e9, t_prev = xl_now_ns(), c_prev = 0, c;
	uint64_t next_show = 0;
	struct xl_datarec rec[XL_NR_ACTIONS];
	double mpps = -1;

	for (;;) {
		uint64_t now = xl_now_ns();
		double step = (end - now) / 1e9;

		if (now >= end || g->ops->done(g))
			return 0;
		if (!xl_sig_sleep(step > 0.05 ? 0.05 : step))
			return -EINTR;
		now = xl_now_ns();
		if (now < next_show)
			continue;
		next_show = now + 500000000ull;
		/* Live rate of what the experiment counts: the sink, else the DUT. */
		if (sink && !xl_xdp_read_stats(sink, rec))
			c = rec[XDP_DROP].packets;
		else if (xl_system_read(sys, &c))
			c = 0;
		if (c_prev)
			mpps = (c - c_prev) / ((now - t_prev) / 1e9) / 1e6;
		c_prev = c;
		t_prev = now;
		xl_progress_live(m->prog, m->exp->name, m->def->name, xl_sys_mode_name(m->mode),
				 m->rate, m->trial, m->trials, phase, mpps);
	}
}

/*
 * Everything on the DUT side of a trial: the system, the sink where frames
 * are forwarded, and the NAPI threads (which appear with XDP or GRO, so they
 * are pinned after set-up).  trial_teardown() undoes whatever was done.
 */
static int trial_setup(const struct meas *m, struct xl_system *sys, struct xl_xdp **sink,
		       bool latency)
{
	int err;

	xl_progress_live(m->prog, m->exp->name, m->def->name, xl_sys_mode_name(m->mode), m->rate,
			 m->trial, m->trials, "set-up", -1);
	err = xl_system_setup(sys);
	if (err)
		return err;
	sys->set_up = true;
	if (m->def->sink != XL_SINK_NONE) {
		*sink = attach_sink(m->tb, m->def->sink, latency);
		if (!*sink)
			return -1;
	}
	if (m->tb->create)
		xl_testbed_pin_napi(m->tb, XL_ROLE_DUT_IN, m->tb->dut_cpus, m->tb->cores, 0);
	/* Provenance of systems whose details are known only once they run (the DPDK PMD). */
	if (m->def->describe) {
		json_object *d;

		if (!json_object_object_get_ex(m->res->context, "system_details", &d)) {
			d = json_object_new_object();
			json_object_object_add(m->res->context, "system_details", d);
		}
		json_object_object_add(d, m->def->name,
				       json_object_new_string(m->def->describe(sys)));
	}
	return 0;
}

static void trial_teardown(struct xl_system *sys, struct xl_xdp *sink)
{
	xl_xdp_destroy(sink);
	if (sys->set_up)
		xl_system_teardown(sys);
	sys->set_up = false;
}

static int measure(const struct meas *m, struct xl_row_store *out)
{
	struct xl_system sys = { .def = m->def, .mode = m->mode, .tb = m->tb };
	struct xl_xdp *sink = NULL;
	struct xl_gen *g = NULL;
	struct xl_gen_cfg gc;
	struct snap a, b;
	int err;

	err = trial_setup(m, &sys, &sink, false);
	if (err)
		goto out;
	gen_cfg_for(m, &gc);
	g = xl_gen_open(m->cfg->backend, &gc);
	if (!g) {
		err = -1;
		goto out;
	}
	err = g->ops->start(g);
	if (err)
		goto out;
	err = watch(m, g, &sys, sink, m->warmup_s, "warm-up");
	if (err)
		goto out;
	err = take_snap(g, &sys, sink, m->tb, &a);
	if (err)
		goto out;
	err = watch(m, g, &sys, sink, m->duration_s, "measuring");
	if (err)
		goto out;
	err = take_snap(g, &sys, sink, m->tb, &b);
	if (err)
		goto out;
	fill_row(m, &a, &b, out);
out:
	xl_gen_close(g);
	trial_teardown(&sys, sink);
	return err;
}

static void write_latency(const struct meas *m, const struct xl_lat_result *lr, uint64_t sent,
			  const struct xl_row_store *st)
{
	FILE *f = xl_results_file(m->res, "latency.csv",
				  "experiment,system,mode,target_pps,trial,count,min_ns,avg_ns,p50_ns,"
				  "p90_ns,p99_ns,p999_ns,max_ns,share_under_10us,sent,received,lost,"
				  "reordered,unstamped,clock_anomalies,valid,invalid_reason");
	FILE *h = xl_results_file(m->res, "latency_hist.csv",
				  "system,mode,target_pps,trial,bucket_lo_ns,bucket_hi_ns,count,experiment");
	const char *mode = xl_sys_mode_name(m->mode);
	uint64_t n = lr->count;

	if (!f || !h)
		return;
	fprintf(f, "%s,%s,%s,%.0f,%d,%llu,%llu,%.1f,%.1f,%.1f,%.1f,%.1f,%llu,%.6f,%llu,%llu,%lld,%llu,%llu,%llu,%d,%s\n",
		m->exp->name, m->def->name, mode, m->rate, m->trial, (unsigned long long)n,
		(unsigned long long)lr->min_ns, n ? (double)lr->sum_ns / n : 0,
		xl_lat_percentile(lr->hist, n, 0.5), xl_lat_percentile(lr->hist, n, 0.9),
		xl_lat_percentile(lr->hist, n, 0.99), xl_lat_percentile(lr->hist, n, 0.999),
		(unsigned long long)lr->max_ns, xl_lat_share_below(lr->hist, n, 10000),
		(unsigned long long)sent, (unsigned long long)n, (long long)(sent - n),
		(unsigned long long)lr->reordered, (unsigned long long)lr->unstamped,
		(unsigned long long)lr->clock_anomalies, st->row.valid, st->reason);
	for (uint32_t b = 0; b < XL_LAT_BUCKETS; b++)
		if (lr->hist[b])
			fprintf(h, "%s,%s,%.0f,%d,%llu,%llu,%llu,%s\n", m->def->name, mode, m->rate,
				m->trial, (unsigned long long)xl_lat_bucket_lo(b),
				(unsigned long long)xl_lat_bucket_hi(b),
				(unsigned long long)lr->hist[b], m->exp->name);
	fflush(f);
	fflush(h);
}

/*
 * A latency trial: warm up unstamped at the target rate, then reset and arm
 * the sink's histogram and send exactly rate * duration stamped frames, so
 * that sent, received and lost are exact counts rather than rates.
 */
static int measure_latency(const struct meas *m, struct xl_row_store *out)
{
	struct xl_system sys = { .def = m->def, .mode = m->mode, .tb = m->tb };
	struct xl_lat_result *lr = calloc(1, sizeof(*lr));
	struct xl_xdp *sink = NULL;
	struct xl_gen *g = NULL;
	struct xl_gen_cfg gc;
	struct snap a, b;
	int err;

	if (!lr)
		return -ENOMEM;
	err = trial_setup(m, &sys, &sink, true);
	if (err)
		goto out;
	gen_cfg_for(m, &gc);
	if (m->warmup_s > 0.01) {
		g = xl_gen_open(m->cfg->backend, &gc);
		err = g ? g->ops->start(g) : -1;
		if (!err)
			err = watch(m, g, &sys, sink, m->warmup_s, "warm-up");
		xl_gen_close(g);
		g = NULL;
		if (err)
			goto out;
		xl_sig_sleep(0.05);
	}
	err = xl_lat_reset(sink);
	if (!err)
		err = xl_lat_enable(sink, true);
	if (err) {
		xl_fail(XL_EXIT_FAIL, "cannot arm the latency sink: %s", strerror(-err));
		goto out;
	}
	gc.stamp_time = true;
	gc.count = m->rate * m->duration_s;
	if (gc.count < 1)
		gc.count = 1;
	g = xl_gen_open(m->cfg->backend, &gc);
	if (!g) {
		err = -1;
		goto out;
	}
	err = take_snap(g, &sys, sink, m->tb, &a);
	if (!err)
		err = g->ops->start(g);
	/* Up to 50% slower than asked plus 2 s before the trial is cut short. */
	if (!err)
		err = watch(m, g, &sys, sink, m->duration_s * 1.5 + 2, "measuring");
	if (!err)
		err = take_snap(g, &sys, sink, m->tb, &b);
	if (err)
		goto out;
	/* Let frames in flight reach the sink before reading what arrived. */
	xl_sig_sleep(0.2);
	b.sink = 0;
	xl_lat_enable(sink, false);
	err = xl_lat_read(sink, lr);
	if (err) {
		xl_fail(XL_EXIT_FAIL, "cannot read the latency histogram: %s", strerror(-err));
		goto out;
	}
	b.sink = a.sink + lr->count;
	fill_row(m, &a, &b, out);
	/*
	 * The snapshots bracket start-up and the end-of-run poll; the rate the
	 * generator held is (frames - 1) over the span from first to last frame.
	 */
	if (g->ops->active_span && g->ops->active_span(g) > 0 && b.gen - a.gen > 1) {
		out->row.offered_pps = (b.gen - a.gen - 1) / g->ops->active_span(g);
		judge_row(m, out, true, b.gen - a.gen, b.dut - a.dut, lr->count);
	}
	if (!g->ops->done(g) && out->row.valid) {
		out->row.valid = false;
		snprintf(out->reason, sizeof(out->reason), "generator did not finish its frames in time");
	}
	write_latency(m, lr, b.gen - a.gen, out);
out:
	xl_gen_close(g);
	trial_teardown(&sys, sink);
	free(lr);
	return err;
}

static json_object *testbed_json(const struct xl_testbed *tb)
{
	json_object *o = json_object_new_object(), *ports = json_object_new_object();
	json_object *gc = json_object_new_array(), *dc = json_object_new_array();
	char drv[64];

	json_object_object_add(o, "type", json_object_new_string(tb->create ? "veth" : "existing"));
	json_object_object_add(o, "prefix", json_object_new_string(tb->prefix));
	json_object_object_add(o, "cores", json_object_new_int(tb->cores));
	for (int i = 0; i < tb->cores; i++) {
		json_object_array_add(gc, json_object_new_int(tb->gen_cpus[i]));
		json_object_array_add(dc, json_object_new_int(tb->dut_cpus[i]));
	}
	json_object_object_add(o, "gen_cpus", gc);
	json_object_object_add(o, "dut_cpus", dc);
	for (int r = 0; r < XL_NR_ROLES; r++) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "ns", json_object_new_string(tb->port[r].ns));
		json_object_object_add(p, "ifname", json_object_new_string(tb->port[r].ifname));
		if (xl_ns_driver(tb->port[r].ns[0] ? tb->port[r].ns : NULL, tb->port[r].ifname, drv,
				 sizeof(drv)) == 0)
			json_object_object_add(p, "driver", json_object_new_string(drv));
		json_object_object_add(ports, xl_role_name(r), p);
	}
	json_object_object_add(o, "ports", ports);
	return o;
}

static json_object *run_context(struct xl_run_cfg *cfg, const struct xl_runner_opts *o,
				const struct xl_testbed *tb)
{
	json_object *ctx = xl_context_new(o->argc, o->argv), *systems = json_object_new_object();
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(o->config_path, "r");

	json_object_object_add(ctx, "config_path", json_object_new_string(o->config_path));
	if (f) {
		FILE *m = open_memstream(&text, &len);
		char buf[4096];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
		fclose(f);
		json_object_object_add(ctx, "config_text", json_object_new_string(text));
		free(text);
	}
	json_object_object_add(ctx, "config", json_object_get(cfg->json));
	json_object_object_add(ctx, "testbed", testbed_json(tb));
	json_object_object_add(ctx, "generator_backend", json_object_new_string(cfg->backend));
	json_object_object_add(ctx, "clock_ticks_per_s",
			       json_object_new_double(1.0 / xl_cpu_tick_seconds()));
	json_object_object_add(ctx, "cpu_busy_fields",
			       json_object_new_string("user+nice+system+irq+softirq+steal of /proc/stat"));
	for (int e = 0; e < cfg->nexps; e++)
		for (int s = 0; s < cfg->exps[e].nsystems; s++)
			json_object_object_add(systems, cfg->exps[e].defs[s]->name,
					       json_object_new_string(cfg->exps[e].defs[s]->what));
	json_object_object_add(ctx, "systems", systems);
	return ctx;
}

static int count_measurements(const struct xl_run_cfg *cfg, double *est_each)
{
	int total = 0;
	double secs = 0;

	for (int e = 0; e < cfg->nexps; e++) {
		const struct xl_exp_cfg *x = &cfg->exps[e];
		int n = x->nrates * pick(x->trials, cfg->trials) * x->nsystems;

		total += n;
		/* ~0.7 s of set-up and teardown per measurement on this kind of VM */
		secs += n * (0.7 + pickd(x->warmup_s, cfg->warmup_s) +
			     pickd(x->duration_s, cfg->duration_s));
	}
	*est_each = total ? secs / total : 0;
	return total;
}

#define BPF_STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

/*
 * kernel.bpf_stats_enabled adds two clock reads to every program run (it
 * halved veth XDP drop on this kind of VM): throughput trials run with it off,
 * and the value found is restored when the run ends.
 */
static int bpf_stats_off(void)
{
	char v[8] = "";
	FILE *f = fopen(BPF_STATS_SYSCTL, "r");

	if (!f)
		return 0;
	if (!fgets(v, sizeof(v), f))
		v[0] = 0;
	fclose(f);
	if (v[0] != '1')
		return 0;
	if (xl_write_file(NULL, BPF_STATS_SYSCTL, "0"))
		xl_warn("kernel.bpf_stats_enabled is 1 and cannot be turned off: rates will be low");
	else
		xl_info("kernel.bpf_stats_enabled=1 turned off for the run (restored at the end)");
	return 1;
}

int xl_runner_run(struct xl_run_cfg *cfg, const struct xl_runner_opts *o,
		  struct xl_run_summary *sum)
{
	int stats_was_on;

	struct xl_testbed tb;
	struct xl_results res = {};
	struct xl_progress prog;
	json_object *ctx;
	double est;
	int total, err = 0, cap;

	memset(sum, 0, sizeof(*sum));
	if (xl_config_testbed(cfg, &tb))
		return -1;
#ifdef XL_HAVE_DPDK
	if (xl_dpdk_systems_set_opts(cfg->dpdk_opts[0] ? cfg->dpdk_opts : NULL))
		return -1;
#else
	if (cfg->dpdk_opts[0])
		return xl_fail(XL_EXIT_DPDK, "dpdk_opts given but this build has no DPDK (libdpdk-dev)");
#endif
	total = count_measurements(cfg, &est);
	cap = total;
	sum->rows = calloc(cap, sizeof(*sum->rows));
	if (!sum->rows)
		return -ENOMEM;
	err = xl_testbed_up(&tb);
	if (err)
		return err;
	stats_was_on = bpf_stats_off();
	ctx = run_context(cfg, o, &tb);
	json_object_object_add(ctx, "bpf_stats_enabled_before", json_object_new_int(stats_was_on));
	err = xl_results_open(&res, o->results_base, ctx);
	json_object_put(ctx);
	if (err)
		goto out;
	xl_spawn_set_log(res.log_fd);
#ifdef XL_HAVE_DPDK
	/* EAL output of every DPDK process goes to run.log (it shows no PCI probe). */
	xl_dpdk_set_log_fd(res.log_fd);
#endif
	xl_progress_init(&prog, total, est, o->quiet);
	for (int e = 0; e < cfg->nexps && !err; e++) {
		struct xl_exp_cfg *x = &cfg->exps[e];
		struct meas m = {
			.res = &res, .cfg = cfg, .exp = x, .tb = &tb, .prog = &prog,
			.trials = pick(x->trials, cfg->trials),
			.frame_size = pick(x->frame_size, cfg->frame_size),
			.flows = pick(x->flows, cfg->flows),
			.warmup_s = pickd(x->warmup_s, cfg->warmup_s),
			.duration_s = pickd(x->duration_s, cfg->duration_s),
		};

		for (int r = 0; r < x->nrates && !err; r++) {
			for (int t = 1; t <= m.trials && !err; t++) {
				for (int s = 0; s < x->nsystems && !err; s++) {
					struct xl_row_store *st = &sum->rows[sum->nrows];
					double final;

					m.rate = x->rates[r];
					m.trial = t;
					m.def = x->defs[s];
					m.mode = x->modes[s];
					err = x->kind == XL_KIND_LATENCY ? measure_latency(&m, st) :
									   measure(&m, st);
					if (err)
						break;
					xl_results_append(&res, &st->row);
					sum->nrows++;
					final = m.def->sink != XL_SINK_NONE ? st->row.sink_pps :
									       st->row.dut_pps;
					xl_progress_done(&prog, x->name, m.def->name,
							 xl_sys_mode_name(m.mode), m.rate, t, m.trials,
							 final / 1e6, st->row.ns_per_pkt, st->row.valid,
							 st->reason);
				}
			}
		}
	}
	xl_progress_end(&prog);
	xl_spawn_set_log(-1);
#ifdef XL_HAVE_DPDK
	xl_dpdk_set_log_fd(-1);
#endif
	if (err == -EINTR) {
		/* Completed trials are kept, marked as an interrupted run. */
		sum->interrupted = true;
		json_object_object_add(res.context, "status", json_object_new_string("interrupted"));
		xl_results_commit(&res);
		snprintf(sum->dir, sizeof(sum->dir), "%s", res.dir);
	} else if (err) {
		xl_results_abort(&res);
	} else {
		json_object_object_add(res.context, "status", json_object_new_string("complete"));
		err = xl_results_commit(&res);
		snprintf(sum->dir, sizeof(sum->dir), "%s", res.dir);
	}
out:
	if (stats_was_on)
		xl_write_file(NULL, BPF_STATS_SYSCTL, "1");
	xl_testbed_down(&tb);
	return err;
}
