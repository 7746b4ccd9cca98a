// SPDX-License-Identifier: GPL-2.0
/*
 * trial.c - one measurement (see trial.h): set-up of the system, its sink and
 * the NAPI threads, the generator through warm-up and measured interval, the
 * live progress line, and teardown of all of it on every path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include "trial.h"
#include "apps/lb_check.h"
#include "apps/tcp_rr.h"
#include "collect/latency.h"
#include "collect/sinks.h"
#include "collect/snapshot.h"
#include "trial_extras.h"
#include "faults.h"
#include "undo.h"
#include "gen/gen.h"
#include "testbed/awake.h"
#include "testbed/relay.h"
#include "remote/remote.h"
#include "sig.h"
#include "util.h"
#include "xl_err.h"

#define XL_SINK_RT_PRIO 10

static enum xl_role sink_role(enum xl_counts at)
{
	return at == XL_COUNTS_BACK ? XL_ROLE_GEN
	       : at == XL_COUNTS_IN ? XL_ROLE_DUT_IN
				    : XL_ROLE_SINK;
}

static struct xl_xdp *attach_sink(const struct xl_testbed *tb, const struct xl_sys_entry *e,
				  bool latency, struct xl_undo_set *keep)
{
	enum xl_role r = sink_role(e->counts);
	struct xl_xdp_opts o = {
		.ns = tb->port[r].ns[0] ? tb->port[r].ns : NULL,
		.ifname = tb->port[r].ifname,
		.mode = XL_MODE_NATIVE,
	};
	char path[4096];
	struct xl_xdp *x;

	if (xl_sink_prog(xl_setting(e, "sink"), latency, &o, path, sizeof(path)))
		return NULL;
	x = xl_xdp_attach(&o);

	/*
	 * The sink's NAPI work belongs to the generator side, not to the DUT's cores.
	 * It shares those cores with the generator threads, which run in the kernel
	 * for milliseconds at a time: at normal priority the sink's 256-entry veth
	 * ring overflows while it waits for the CPU, and the instrument would lose
	 * frames the DUT delivered.  Real-time priority lets it preempt the generator.
	 * A sink on dut-in (no-dut, the method's own floor) is placed the same way:
	 * the floor is then the instrument alone, generator and sink on one core,
	 * without the hop to another vCPU that every DUT measurement pays.
	 */
	if (x)
		xl_testbed_pin_napi(tb, r, tb->gen_cpus, tb->cores, XL_SINK_RT_PRIO, keep);
	return x;
}

void xl_trial_pkt_spec(const struct xl_trial *m, struct xl_pkt_spec *spec)
{
	const struct xl_testbed *tb = m->tb;

	memset(spec, 0, sizeof(*spec));
	memcpy(spec->src_mac, tb->port[XL_ROLE_GEN].mac, 6);
	memcpy(spec->dst_mac, tb->port[XL_ROLE_DUT_IN].mac, 6);
	spec->src_ip = tb->port[XL_ROLE_GEN].ip;
	/* The DDoS flood is aimed at the server on the DUT, as in the paper. */
	spec->dst_ip = tb->port[m->rr ? XL_ROLE_DUT_IN : XL_ROLE_SINK].ip;
	spec->frame_size = m->frame_size;
	spec->flows = m->flows;
	spec->dst_port = m->dst_port;
	spec->proto = m->proto;
}

/*
 * The generator's settings for m, and the relay's copies for its rate
 * (testbed/relay.h): the same rate gets the same copies for every system.
 */
static int gen_cfg_for(const struct xl_trial *m, struct xl_gen_cfg *g)
{
	const struct xl_testbed *tb = m->tb;

	memset(g, 0, sizeof(*g));
	g->ns = tb->port[XL_ROLE_GEN].ns[0] ? tb->port[XL_ROLE_GEN].ns : NULL;
	/* An skb generator sends through the relay (testbed/relay.h). */
	g->ifname = tb->gen_tx[0] ? tb->gen_tx : tb->port[XL_ROLE_GEN].ifname;
	xl_trial_pkt_spec(m, &g->pkt);
	if (m->frames && !m->keep_macs)
		xl_frames_set_macs(m->frames, tb->port[XL_ROLE_DUT_IN].mac,
				   tb->port[XL_ROLE_GEN].mac);
	g->frames = m->frames;
	g->dst_addrs = m->dst_addrs;
	g->naddrs = m->naddrs;
	g->src_addrs = m->src_addrs;
	g->nsrcs = m->nsrcs;
	g->rate_pps = m->rate;
	g->nthreads = tb->cores;
	memcpy(g->cpus, tb->gen_cpus, sizeof(int) * tb->cores);
	g->backend_opts = m->backend_opts && m->backend_opts[0] ? m->backend_opts : NULL;
	g->fault_exit_s = xl_fault_gen_exit_s(m);
	/*
	 * A capture is replayed frame after frame as it was recorded: no copies
	 * (the relay would send each frame k times in a row, a kinder order).
	 */
	g->copies = m->frames ? 1 : m->copies ? m->copies : xl_relay_copies_for(tb, m->rate);
	g->relayed = tb->relay != NULL;
	return tb->relay ? xl_testbed_relay_copies(tb, g->copies) : 0;
}

/*
 * Sleep through a phase, refreshing the progress line with the live rate twice
 * a second; a count-limited generator ends the phase as soon as it is done.
 */
static int watch(const struct xl_trial *m, struct xl_gen *g, struct xl_system *sys,
		 struct xl_xdp *sink, double secs, const char *phase, struct xl_fault_mon *fm)
{
	uint64_t end = xl_now_ns() + secs * 1e9, t_prev = xl_now_ns(), c_prev = 0, c;
	uint64_t next_show = 0;
	struct xl_datarec rec[XL_NR_ACTIONS];
	double mpps = -1;

	for (;;) {
		uint64_t now = xl_now_ns();
		double step = (end - now) / 1e9;

		if (now >= end || (g && g->ops->done(g)))
			return 0;
		if (!xl_sig_sleep(step > 0.05 ? 0.05 : step))
			return -EINTR;
		now = xl_now_ns();
		if (now < next_show)
			continue;
		next_show = now + 500000000ull;
		if (fm)
			xl_fault_mon_sample(fm, sys, sink);
		/* Live rate of what the experiment counts: the sink, else the DUT. */
		if (sink && !xl_xdp_read_stats(sink, rec))
			c = rec[XDP_DROP].packets;
		else if (xl_system_read(sys, &c))
			c = 0;
		if (c_prev)
			mpps = (c - c_prev) / ((now - t_prev) / 1e9) / 1e6;
		c_prev = c;
		t_prev = now;
		xl_progress_live(m->prog, m->exp_name, m->sys->name, xl_sys_mode_name(m->mode),
				 m->rate, m->trial, m->trials, phase, mpps);
	}
}

/*
 * Everything on the DUT side of a trial: the system, the sink where frames
 * are forwarded, and the NAPI threads (which appear with XDP or GRO, so they
 * are pinned after set-up).  trial_teardown() undoes whatever was done.
 */
static int trial_setup(const struct xl_trial *m, struct xl_system *sys, struct xl_xdp **sink,
		       bool latency)
{
	int err;

	xl_progress_live(m->prog, m->exp_name, m->sys->name, xl_sys_mode_name(m->mode), m->rate,
			 m->trial, m->trials, "set-up", -1);
	/* A link a fault set down comes back, or the run stops here (faults.h). */
	err = xl_fault_check_testbed(m->tb);
	if (err)
		return err;
	err = xl_system_setup(sys);
	if (err)
		return err;
	if (m->sys->counts != XL_COUNTS_DUT && xl_remote_role(sink_role(m->sys->counts))) {
		err = xl_remote_sink_attach(sink_role(m->sys->counts), xl_setting(m->sys, "sink"),
					    latency, m->tb);
		if (err)
			return err;
	} else if (m->sys->counts != XL_COUNTS_DUT) {
		*sink = attach_sink(m->tb, m->sys, latency, &sys->undo);
		if (!*sink)
			return -1;
		/* The instrument's receive side polls instead of waiting for IPI wake-ups. */
		if (latency && m->tb->create &&
		    xl_testbed_napi_poll(m->tb, sink_role(m->sys->counts), m->sink_poll_ns,
					 &sys->undo))
			xl_warn("cannot make the sink poll its port: latency includes its wake-ups");
	}
	/* On an existing testbed too: threaded NAPI and the affinity are restored after. */
	if (m->sys->counts != XL_COUNTS_IN &&
	    xl_testbed_pin_napi(m->tb, XL_ROLE_DUT_IN, m->tb->dut_cpus, m->tb->cores, 0,
				&sys->undo) <= 0 &&
	    !m->tb->create)
		xl_warn("no NAPI thread of %s to pin to the DUT cores: its receive work runs "
			"where the sender runs, and the DUT CPU reads low",
			m->tb->port[XL_ROLE_DUT_IN].ifname);
	/* Provenance of systems whose details are known only once they run (the DPDK PMD). */
	if (m->sys->ops->describe) {
		json_object *d;

		if (!json_object_object_get_ex(m->res->context, "system_details", &d)) {
			d = json_object_new_object();
			json_object_object_add(m->res->context, "system_details", d);
		}
		json_object_object_add(d, m->sys->name,
				       json_object_new_string(m->sys->ops->describe(sys)));
	}
	return 0;
}

/* What the generator runs (its describe op), into context.json's generator_details. */
static void note_generator(const struct xl_trial *m, struct xl_gen *g)
{
	if (g && g->ops->describe)
		json_object_object_add(m->res->context, "generator_details",
				       json_object_new_string(g->ops->describe(g)));
}

static void trial_teardown(struct xl_system *sys, struct xl_xdp *sink)
{
	xl_xdp_destroy(sink);
	xl_remote_sink_detach();
	xl_system_teardown(sys);
}

/*
 * The request/response workload of an rr trial: server on the DUT, client
 * beside the generator, here or on the generator's host (remote_rr.c).
 */
struct rr_work {
	struct xl_rr *local; /* both ends, or the server alone */
	bool remote; /* the client runs on the generator's host */
};

static int rr_start(const struct xl_trial *m, struct rr_work *w)
{
	const struct xl_testbed *tb = m->tb;
	bool far = xl_remote_role(XL_ROLE_GEN);
	struct xl_rr_cfg c = {
		.part = far ? XL_RR_SERVER : XL_RR_BOTH,
		.server_ns = xl_port_ns(tb, XL_ROLE_DUT_IN),
		.client_ns = xl_port_ns(tb, XL_ROLE_GEN),
		.server_ip = tb->port[XL_ROLE_DUT_IN].ip,
		.server_cpu = tb->dut_cpus[0],
		.client_cpu = tb->gen_cpus[0],
		.client_rt_prio = XL_SINK_RT_PRIO,
	};

	inet_pton(AF_INET, XL_RR_CLIENT_ADDR, &c.client_ip);
	w->local = xl_rr_start(&c);
	if (!w->local)
		return -1;
	if (!far)
		return 0;
	w->remote = true;
	return xl_remote_rr_start(tb);
}

/* Transactions (and stalls) so far: 0, or -errno if the remote client cannot be read. */
static int rr_read(const struct rr_work *w, uint64_t *count, uint64_t *stalls)
{
	if (w->remote)
		return xl_remote_rr_read(count, stalls);
	*count = w->local ? xl_rr_count(w->local) : 0;
	*stalls = w->local ? xl_rr_stalls(w->local) : 0;
	return 0;
}

static void rr_stop(struct rr_work *w)
{
	if (w->remote)
		xl_remote_rr_stop();
	xl_rr_stop(w->local);
	memset(w, 0, sizeof(*w));
}

static bool lb_checked(const struct xl_trial *m)
{
	const char *v = xl_setting(m->sys, "sink");

	return v && !strcmp(v, "lb-check");
}

/* The checking sink's maps emptied at the interval's start, here or on the sink's host. */
static void lb_reset(const struct xl_trial *m, struct xl_xdp *sink)
{
	int err = sink ? xl_lbchk_reset(xl_xdp_object(sink)) : xl_remote_lbchk_reset();

	if (err)
		xl_warn("%s trial %d: cannot reset the load-balancer check", m->sys->name,
			m->trial);
}

/* What the load balancer's checking sink saw in the interval, into the row. */
static void lb_row(struct xl_xdp *sink, struct xl_trial_row *w)
{
	struct xl_lbchk_result r;

	if (sink ? xl_lbchk_read(xl_xdp_object(sink), &r) : xl_remote_lbchk_read(&r)) {
		xl_warn("%s trial %d: cannot read the load-balancer check", w->system, w->trial);
		return;
	}
	w->has_lb = true;
	w->lb_ipip = r.ipip;
	w->lb_plain = r.plain;
	w->lb_malformed = r.malformed;
	w->lb_moved = r.moved;
	w->lb_flows = r.flows;
	w->lb_reals_hit = r.reals_hit;
	w->lb_fpr_min = r.flows_per_real_min;
	w->lb_fpr_max = r.flows_per_real_max;
	w->lb_fpr_median = r.flows_per_real_median;
}

/*
 * A throughput trial; with rr, the request/response workload runs through
 * warm-up and interval, and rate 0 means no flood at all (the curve's origin).
 */
static int timed_trial(const struct xl_trial *m, struct xl_row_store *out, bool rr)
{
	struct xl_system sys = {
		.e = m->sys, .mode = m->mode, .tb = m->tb, .run_opts = m->run_opts, .lb = m->lb
	};
	bool flood = !rr || m->rate > 0;
	struct xl_xdp *sink = NULL;
	struct xl_gen *g = NULL;
	struct rr_work work = {};
	struct xl_gen_cfg gc;
	struct xl_trial_profile prof = {};
	struct xl_fault_mon fm = {};
	struct xl_snap a, b;
	uint64_t rr_a = 0, rr_b = 0, stalls = 0;
	int err;

	err = trial_setup(m, &sys, &sink, false);
	if (err)
		goto out;
	if (m->program_row && sys.xdp)
		xl_trial_program_row(m, &sys); /* a missing metric is warned about, not fatal */
	if (rr) {
		err = rr_start(m, &work);
		if (err)
			goto out;
	}
	if (flood) {
		g = gen_cfg_for(m, &gc) ? NULL : xl_gen_open(m->backend, &gc);
		if (!g) {
			err = -1;
			goto out;
		}
		note_generator(m, g);
		err = g->ops->start(g);
		if (err)
			goto out;
	}
	err = watch(m, g, &sys, sink, m->warmup_s, "warm-up", NULL);
	if (err)
		goto out;
	if (m->profile) {
		err = xl_trial_profile_start(m, &prof);
		if (err)
			goto out;
	}
	if (lb_checked(m))
		lb_reset(m, sink);
	err = xl_snap_take(g, &sys, sink, m->tb, &a);
	if (!err && rr)
		err = rr_read(&work, &rr_a, &stalls);
	if (err)
		goto out;
	err = watch(m, g, &sys, sink, m->duration_s, "measuring", &fm);
	if (err || xl_fault_lost_row(m, &a, out))
		goto out;
	err = xl_snap_take(g, &sys, sink, m->tb, &b);
	if (!err && rr)
		err = rr_read(&work, &rr_b, &stalls);
	if (err)
		goto out;
	xl_snap_row(m, &a, &b, out);
	xl_fault_note(m, g, &fm, &a, &b, out);
	xl_row_judge(m, out, false);
	if (rr) {
		out->row.rr_tps = (rr_b - rr_a) / out->row.duration_s;
		out->row.rr_stalls = stalls;
		/* Without a flood the trial stands on the workload alone. */
		if (!flood)
			xl_row_judge_rr(m, out, rr_b - rr_a);
	}
	if (lb_checked(m))
		lb_row(sink, &out->row);
	if (m->profile && xl_trial_profile_write(m, &prof, &out->row))
		xl_warn("%s trial %d: perf recorded no samples", m->sys->name, m->trial);
out:
	if (prof.perf.pid > 0)
		xl_undo_run(prof.perf.undo);
	xl_gen_close(g);
	rr_stop(&work);
	trial_teardown(&sys, sink);
	return err;
}

int xl_trial_throughput(const struct xl_trial *m, struct xl_row_store *out)
{
	return timed_trial(m, out, false);
}

int xl_trial_rr(const struct xl_trial *m, struct xl_row_store *out)
{
	return timed_trial(m, out, true);
}

static void write_latency(const struct xl_trial *m, const struct xl_lat_result *lr, uint64_t sent,
			  const struct xl_row_store *st)
{
	FILE *f = xl_results_file(m->res, "latency.csv");
	FILE *h = xl_results_file(m->res, "latency_hist.csv");
	const char *mode = xl_sys_mode_name(m->mode);
	uint64_t n = lr->count;

	if (!f || !h)
		return;
	fprintf(f,
		"%s,%s,%s,%.0f,%d,%llu,%llu,%.1f,%.1f,%.1f,%.1f,%.1f,%llu,%.6f,%llu,%llu,%lld,%llu,%llu,%llu,%d,%s\n",
		m->exp_name, m->sys->name, mode, m->rate, m->trial, (unsigned long long)n,
		(unsigned long long)lr->min_ns, n ? (double)lr->sum_ns / n : 0,
		xl_lat_percentile(lr->hist, n, 0.5), xl_lat_percentile(lr->hist, n, 0.9),
		xl_lat_percentile(lr->hist, n, 0.99), xl_lat_percentile(lr->hist, n, 0.999),
		(unsigned long long)lr->max_ns, xl_lat_share_below(lr->hist, n, 10000),
		(unsigned long long)sent, (unsigned long long)n, (long long)(sent - n),
		(unsigned long long)lr->reordered, (unsigned long long)lr->unstamped,
		(unsigned long long)lr->clock_anomalies, st->row.valid, st->row.invalid_reason);
	for (uint32_t b = 0; b < XL_LAT_BUCKETS; b++)
		if (lr->hist[b])
			fprintf(h, "%s,%s,%.0f,%d,%llu,%llu,%llu,%s\n", m->sys->name, mode, m->rate,
				m->trial, (unsigned long long)xl_lat_bucket_lo(b),
				(unsigned long long)xl_lat_bucket_hi(b),
				(unsigned long long)lr->hist[b], m->exp_name);
	fflush(f);
	fflush(h);
}

/*
 * A latency trial: warm up unstamped at the target rate, then reset and arm
 * the sink's histogram and send exactly rate * duration stamped frames, so
 * that sent, received and lost are exact counts rather than rates.
 */
/*
 * A counted trial: warm up at the target rate, then send exactly rate *
 * duration frames and let those in flight arrive before the second snapshot,
 * so that sent, received and lost are exact counts rather than rates.  A
 * latency trial also stamps the frames and reads the sink's histogram.
 */
static int counted_trial(const struct xl_trial *m, struct xl_row_store *out, bool latency)
{
	struct xl_system sys = {
		.e = m->sys, .mode = m->mode, .tb = m->tb, .run_opts = m->run_opts
	};
	struct xl_lat_result *lr = calloc(1, sizeof(*lr));
	struct xl_awake awake = {};
	struct xl_fault_mon fm = {};
	struct xl_xdp *sink = NULL;
	struct xl_gen *g = NULL;
	struct xl_gen_cfg gc;
	struct xl_snap a, b;
	int err;

	if (!lr)
		return -ENOMEM;
	/* The DUT cores (where dut-in's NAPI runs) never go idle, if asked. */
	if (latency && m->keep_awake)
		xl_awake_start(&awake, m->tb->dut_cpus, m->tb->cores);
	err = trial_setup(m, &sys, &sink, latency);
	if (err)
		goto out;
	err = gen_cfg_for(m, &gc);
	if (err)
		goto out;
	if (m->warmup_s > 0.01) {
		g = xl_gen_open(m->backend, &gc);
		err = g ? g->ops->start(g) : -1;
		if (!err)
			err = watch(m, g, &sys, sink, m->warmup_s, "warm-up", NULL);
		xl_gen_close(g);
		g = NULL;
		if (err)
			goto out;
		xl_sig_sleep(0.05);
	}
	if (latency) {
		err = sink ? xl_lat_reset(sink) : xl_remote_lat_arm();
		if (!err && sink)
			err = xl_lat_enable(sink, true);
		if (err) {
			xl_fail(XL_EXIT_FAIL, "cannot arm the latency sink: %s", strerror(-err));
			goto out;
		}
	}
	gc.stamp_time = latency;
	gc.count = m->rate * m->duration_s;
	if (gc.count < 1)
		gc.count = 1;
	g = xl_gen_open(m->backend, &gc);
	if (!g) {
		err = -1;
		goto out;
	}
	note_generator(m, g);
	err = xl_snap_take(g, &sys, sink, m->tb, &a);
	if (!err)
		err = g->ops->start(g);
	/* Up to 50% slower than asked plus 2 s before the trial is cut short. */
	if (!err)
		err = watch(m, g, &sys, sink, m->duration_s * 1.5 + 2, "measuring", &fm);
	/* Let frames in flight reach the DUT and the sink before reading what arrived. */
	if (!err)
		xl_sig_sleep(0.2);
	if (err || xl_fault_lost_row(m, &a, out))
		goto out;
	err = xl_snap_take(g, &sys, sink, m->tb, &b);
	if (err)
		goto out;
	if (latency) {
		if (sink)
			xl_lat_enable(sink, false);
		err = sink ? xl_lat_read(sink, lr) : xl_remote_lat_read(lr);
		if (err) {
			xl_fail(XL_EXIT_FAIL, "cannot read the latency histogram: %s",
				strerror(-err));
			goto out;
		}
		b.sink = a.sink + lr->count;
	}
	xl_snap_row(m, &a, &b, out);
	/*
	 * The snapshots bracket start-up and the drain; the rate the generator
	 * held is (frames - 1) over the span from first to last frame.
	 */
	if (g->ops->active_span && g->ops->active_span(g) > 0 && b.gen - a.gen > 1)
		out->row.offered_pps = (b.gen - a.gen - 1) / g->ops->active_span(g);
	xl_fault_note(m, g, &fm, &a, &b, out);
	xl_row_judge(m, out, !g->ops->done(g));
	if (latency) {
		uint64_t n = lr->count;

		out->latency = true;
		out->lat_min_us = lr->min_ns / 1e3;
		out->lat_avg_us = n ? lr->sum_ns / 1e3 / n : NAN;
		out->lat_p99_us = xl_lat_percentile(lr->hist, n, 0.99) / 1e3;
		out->lat_max_us = lr->max_ns / 1e3;
		out->lat_under10 = xl_lat_share_below(lr->hist, n, 10000);
		write_latency(m, lr, b.gen - a.gen, out);
	}
out:
	xl_gen_close(g);
	trial_teardown(&sys, sink);
	xl_awake_stop(&awake);
	free(lr);
	return err;
}

int xl_trial_latency(const struct xl_trial *m, struct xl_row_store *out)
{
	return counted_trial(m, out, true);
}

int xl_trial_counted(const struct xl_trial *m, struct xl_row_store *out)
{
	return counted_trial(m, out, false);
}
