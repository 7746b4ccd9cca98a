// SPDX-License-Identifier: GPL-2.0
/* snapshot.c - read a trial's counters at an interval edge; rows from two edges. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "snapshot.h"
#include "ethtool_xdp.h"
#include "xdp_attach.h"
#include "netns.h"
#include "taskclock.h"
#include "util.h"
#include "xl_err.h"

/* A port's rx_dropped (tx = false) or tx_dropped counter; 0 if it cannot be read. */
static uint64_t dropped(const struct xl_testbed *tb, enum xl_role r, bool tx)
{
	struct rtnl_link_stats64 st;

	if (tb->ifindex[r] > 0 && !xl_ns_link_stats(tb->port[r].ns, tb->ifindex[r], &st))
		return tx ? st.tx_dropped : st.rx_dropped;
	return 0;
}

static uint64_t rx_dropped(const struct xl_testbed *tb, enum xl_role r)
{
	return dropped(tb, r, false);
}

/*
 * Per-action counts of the DUT's XDP program, for any program and without
 * changing it: a built-in program counts into xl_stats; any other object in
 * native mode is counted by the driver where it keeps XDP counters (veth).
 * The fexit recorder (loaders/actions.h) is not used in timed trials: it costs
 * every packet; `xdplab load` uses it.
 */
static void read_actions(struct xl_system *sys, const struct xl_testbed *tb, struct xl_snap *s)
{
	struct xl_datarec rec[XL_NR_ACTIONS];
	struct xl_ethtool_xdp e;

	s->has_act = false;
	if (!sys->xdp)
		return;
	if (!xl_xdp_read_stats(sys->xdp, rec)) {
		s->act_from = "xl_stats";
	} else if (sys->mode == XL_SM_NATIVE &&
		   !xl_ethtool_xdp_read(tb->port[XL_ROLE_DUT_IN].ns[0] ? tb->port[XL_ROLE_DUT_IN].ns
								       : NULL,
					tb->port[XL_ROLE_DUT_IN].ifname, &e)) {
		memcpy(rec, e.act, sizeof(rec));
		s->act_from = "driver";
	} else {
		return;
	}
	for (int a = 0; a < XL_NR_ACTIONS; a++)
		s->act[a] = rec[a].packets;
	s->has_act = true;
}

int xl_snap_take(struct xl_gen *g, struct xl_system *sys, struct xl_xdp *sink,
		 const struct xl_testbed *tb, struct xl_snap *s)
{
	struct xl_datarec rec[XL_NR_ACTIONS];
	struct xl_gen_far far;
	int err;

	s->t_ns = xl_now_ns();
	s->gen = 0;
	s->copies = g ? g->cfg.copies : 0;
	err = g ? xl_gen_sent(g, &s->gen) : 0; /* no generator: an rr trial without flood */
	if (err)
		return err;
	err = xl_system_read(sys, &s->dut);
	if (err)
		return xl_fail(XL_EXIT_FAIL, "cannot read DUT counters of %s: %s", sys->e->name,
			       strerror(-err));
	s->sink = 0;
	if (sink) {
		err = xl_xdp_read_stats(sink, rec);
		if (err)
			return xl_fail(XL_EXIT_FAIL, "cannot read sink counters: %s",
				       strerror(-err));
		s->sink = rec[XDP_DROP].packets;
	}
	/* The DUT's threads: dut-in's NAPI kthreads, plus a system's own processes. */
	s->ntasks = xl_testbed_napi_pids(tb, XL_ROLE_DUT_IN, s->tasks, XL_MAX_TASKS);
	if (s->ntasks < 0)
		s->ntasks = 0;
	if (sys->e->ops->task_pids)
		s->ntasks +=
			sys->e->ops->task_pids(sys, s->tasks + s->ntasks, XL_MAX_TASKS - s->ntasks);
	for (int i = 0; i < s->ntasks; i++)
		if (xl_task_cpu_ns(s->tasks[i], &s->task_ns[i]))
			s->task_ns[i] = 0;
	/* Frames the DUT port, and the sink's, dropped before processing them (full RX ring). */
	s->rx_dropped = rx_dropped(tb, XL_ROLE_DUT_IN);
	/*
	 * On xdplab's veth testbed an skb generator's frames that dut-in's full ring
	 * rejects are counted as the sender's tx_dropped instead (redirected frames as
	 * dut-in's rx_dropped, and veth shows those on the sender too): the larger.
	 */
	if (tb->create) {
		uint64_t tx = dropped(tb, XL_ROLE_GEN, true);

		if (tx > s->rx_dropped)
			s->rx_dropped = tx;
	}
	s->sink_dropped = 0;
	if (sink)
		s->sink_dropped = rx_dropped(tb, sys->e->counts == XL_COUNTS_BACK ? XL_ROLE_GEN
						 : sys->e->counts == XL_COUNTS_IN ? XL_ROLE_DUT_IN
										  : XL_ROLE_SINK);
	read_actions(sys, tb, s);
	/* The clock is read again so the interval brackets every counter read. */
	s->t_ns = (s->t_ns + xl_now_ns()) / 2;
	if (xl_cpu_read_set(tb->dut_cpus, tb->cores, &s->dut_cpu) ||
	    xl_cpu_read_set(tb->gen_cpus, tb->cores, &s->gen_cpu))
		return xl_fail(XL_EXIT_ENV, "cannot read /proc/stat");
	/* A generator on another host: its sink and CPU were read there, with sent. */
	if (g && g->ops->far && !g->ops->far(g, &far)) {
		if (far.has_sink && !sink) {
			s->sink = far.sink;
			s->sink_dropped = far.sink_dropped;
		}
		if (far.has_cpu)
			s->gen_cpu = (struct xl_cpu_sample){ .busy_ticks = far.cpu_busy,
							     .total_ticks = far.cpu_total,
							     .steal_ticks = far.cpu_steal };
	}
	xl_fault_links_read(tb, &s->links);
	return 0;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * part / whole : NAN;
}

/* Run time the DUT's threads accumulated between two snapshots (threads seen in both). */
static double task_ns_delta(const struct xl_snap *a, const struct xl_snap *b)
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

void xl_row_judge(const struct xl_trial *m, struct xl_row_store *st, bool gen_unfinished)
{
	struct xl_trial_row *w = &st->row;
	struct xl_trial_counts c = {
		.target_pps = m->rate,
		.offered_pps = w->offered_pps,
		.steal_pct = w->steal_pct,
		.gen = w->offered_pkts,
		.dut = w->dut_pkts,
		.sink = w->sink_pkts,
		.sink_drops = w->sink_rx_dropped,
		.has_sink = m->sys->counts != XL_COUNTS_DUT,
		.backwards = st->backwards,
		.gen_unfinished = gen_unfinished,
		.fault = st->fault,
		.fault_detail = st->fault_detail,
	};
	struct xl_verdict v;

	xl_judge(m->bounds, &c, &v);
	snprintf(st->detail, sizeof(st->detail), "%s", v.detail);
	w->status = xl_status_name(v.status);
	w->valid = v.status != XL_ST_INVALID;
	w->invalid_reason = v.reason;
	w->invalid_detail = st->detail;
}

void xl_row_judge_rr(const struct xl_trial *m, struct xl_row_store *st, uint64_t transactions)
{
	struct xl_trial_row *w = &st->row;

	st->detail[0] = 0;
	w->status = "valid";
	w->invalid_reason = "";
	if (st->fault)
		w->invalid_reason = st->fault;
	else if (st->backwards)
		w->invalid_reason = "counter";
	else if (!transactions)
		w->invalid_reason = "rr-none";
	else if (!isnan(w->steal_pct) && w->steal_pct > m->bounds->steal_max_pct)
		w->invalid_reason = "steal";
	if (w->invalid_reason[0]) {
		snprintf(st->detail, sizeof(st->detail), "%s",
			 st->fault ? st->fault_detail
			 : transactions
				 ? "a counter went backwards or the host stole the DUT's CPU"
				 : "no request/response transaction completed without a flood");
		w->status = "invalid";
	}
	w->valid = !w->invalid_reason[0];
	w->invalid_detail = st->detail;
}

void xl_snap_row(const struct xl_trial *m, const struct xl_snap *a, const struct xl_snap *b,
		 struct xl_row_store *st)
{
	struct xl_trial_row *w = &st->row;
	double dt = (b->t_ns - a->t_ns) / 1e9;
	uint64_t dgen = b->gen - a->gen, ddut = b->dut - a->dut, dsink = b->sink - a->sink;
	uint64_t busy = b->dut_cpu.busy_ticks - a->dut_cpu.busy_ticks;
	uint64_t total = b->dut_cpu.total_ticks - a->dut_cpu.total_ticks;
	bool has_sink = m->sys->counts != XL_COUNTS_DUT;
	uint64_t final = has_sink ? dsink : ddut;

	memset(st, 0, sizeof(*st));
	st->backwards = b->gen < a->gen || b->dut < a->dut || b->sink < a->sink ||
			b->rx_dropped < a->rx_dropped || b->sink_dropped < a->sink_dropped;
	w->experiment = m->exp_name;
	w->system = m->sys->name;
	w->mode = xl_sys_mode_name(m->mode);
	w->frame_size = m->frame_size;
	w->flows = m->flows;
	w->cores = m->tb->cores;
	w->trial = m->trial;
	w->target_pps = m->rate;
	w->gen_copies = b->copies;
	w->duration_s = dt;
	w->offered_pkts = dgen;
	w->dut_pkts = ddut;
	w->sink_pkts = dsink;
	w->dut_rx_dropped = b->rx_dropped - a->rx_dropped;
	w->sink_rx_dropped = b->sink_dropped - a->sink_dropped;
	w->dut_task_ns_per_pkt = task_ns_delta(a, b) / (ddut ? (double)ddut : NAN);
	w->offered_pps = dgen / dt;
	w->dut_pps = ddut / dt;
	w->sink_pps = has_sink ? dsink / dt : NAN;
	w->loss_pct = dgen ? 100.0 * ((double)dgen - (double) final) / dgen : NAN;
	w->dut_cpu_pct = pct(busy, total);
	w->ns_per_pkt = ddut ? busy * xl_cpu_tick_seconds() * 1e9 / ddut : NAN;
	w->gen_cpu_pct = pct(b->gen_cpu.busy_ticks - a->gen_cpu.busy_ticks,
			     b->gen_cpu.total_ticks - a->gen_cpu.total_ticks);
	w->steal_pct = pct(b->dut_cpu.steal_ticks - a->dut_cpu.steal_ticks, total);
	w->has_act = a->has_act && b->has_act && a->act_from == b->act_from;
	w->act_from = w->has_act ? a->act_from : "";
	for (int i = 0; w->has_act && i < XL_NR_ACTIONS; i++)
		w->act[i] = b->act[i] - a->act[i];
	w->rr_tps = NAN;
	xl_row_judge(m, st, false);
}
