// SPDX-License-Identifier: GPL-2.0
/*
 * experiments.c - how each kind of experiment spends its trials (runner.h):
 *
 *   throughput, a grid of rates: every system at every rate, trials
 *     interleaved ABBA (trial 1 in config order, trial 2 reversed, ...) so that
 *     a drift of the machine hits every system alike;
 *   throughput at rates = 0 with load = equal (the default): first one
 *     unpaced calibration trial per system (calibration.csv) gives each
 *     system's capacity; then every system is paced at one common rate, just
 *     above the slowest capacity (headroom_pct) or at the generator's paced
 *     ceiling if that is lower, so every comparison has equal offered load;
 *   throughput with load = max: every system at the generator's maximum;
 *   latency: the grid, with counted, time-stamped trials;
 *   ndr: per system, the NDR/PDR search of search.h over counted trials,
 *     its trials in results.csv and its result in ndr.csv.
 * Rates above the generator's paced ceiling (measured once per run) cannot be
 * offered: they are dropped before the experiment starts, with a warning and
 * a note in context.json ("load").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"
#include "search.h"
#include "apps/lb_plan.h"
#include "xl_err.h"

/*
 * The highest fraction of what the generator reached that a paced target may
 * be and still be held within the tolerance (measured: 97% of the ceiling was
 * missed by 2% now and then).
 */
#define XL_CEILING_USE 0.90
/*
 * A grid rate is held by pacing alone, with no probe to correct it: measured,
 * the generator missed 4 Mpps by 5-7% with a ceiling of 5.3 Mpps (76%), so grid
 * rates above 75% of the ceiling are left out.
 */
#define XL_GRID_USE 0.75

static long pick(long v, long dflt)
{
	return v ? v : dflt;
}

static double pickd(double v, double dflt)
{
	return v > 0 ? v : dflt;
}

static double final_pps(const struct xl_row_store *st)
{
	return st->row.sink_pps == st->row.sink_pps ? st->row.sink_pps : st->row.dut_pps;
}

static struct xl_row_store *next_row(struct xl_run *run)
{
	struct xl_run_summary *sum = run->sum;

	if (sum->nrows == sum->cap) {
		int cap = sum->cap ? 2 * sum->cap : 64;
		struct xl_row_store *r = realloc(sum->rows, cap * sizeof(*r));

		if (!r)
			return NULL;
		sum->rows = r;
		sum->cap = cap;
	}
	return &sum->rows[sum->nrows];
}

/*
 * One trial of the given kind, written to results.csv (or calibration.csv)
 * and kept for the summary table.  file NULL = results.csv.
 */
static int measure(struct xl_run *run, struct xl_trial *m,
		   int (*trial)(const struct xl_trial *, struct xl_row_store *), const char *file)
{
	struct xl_row_store *st = next_row(run);
	int err;

	if (!st)
		return -ENOMEM;
	/* Resumed: a trial the run completed before is its recorded row, not measured again. */
	if (xl_resume_take(run->resume, m, file, st)) {
		run->sum->nrows += !file;
		run->last = st;
		return 0;
	}
	err = trial(m, st);
	if (err)
		return err;
	if (file) {
		xl_results_append_to(run->res, file, &st->row);
	} else {
		xl_results_append(run->res, &st->row);
		run->sum->nrows++;
	}
	xl_progress_done(run->prog, m->exp_name, m->sys->name, xl_sys_mode_name(m->mode), m->rate,
			 m->trial, m->trials, final_pps(st) / 1e6, st->row.ns_per_pkt,
			 st->row.valid, st->row.invalid_detail);
	run->last = st;
	return 0;
}

/* The trial template of an experiment: everything but system, rate and trial number. */
static struct xl_trial template_for(struct xl_run *run, const struct xl_exp_cfg *x)
{
	const struct xl_run_cfg *cfg = run->cfg;
	struct xl_frames *fr = x->frames;

	return (struct xl_trial){
		.res = run->res,
		.tb = run->tb,
		.prog = run->prog,
		.exp_name = x->name,
		.backend = cfg->backend,
		.backend_opts = cfg->backend_opts,
		.bounds = &x->bounds,
		.keep_awake = cfg->keep_awake,
		.sink_poll_ns = cfg->sink_poll_ns,
		.trials = pick(x->trials, cfg->trials),
		/* A replay's rows carry its mean on-wire frame size and its number of frames. */
		.frame_size = fr ? (unsigned int)(fr->mean_len + XL_FCS_LEN + 0.5)
				 : pick(x->frame_size, cfg->frame_size),
		/* The load balancer's VIPs listen on the plan's port. */
		.dst_port = run->lb ? XL_LB_PLAN_PORT : pick(x->dst_port, cfg->dst_port),
		.flows = fr ? fr->n : pick(x->flows, cfg->flows),
		.proto = x->proto,
		.frames = fr,
		.keep_macs = x->keep_macs,
		.dst_addrs = run->addrs,
		.naddrs = run->naddrs,
		.src_addrs = run->srcs,
		.nsrcs = run->nsrcs,
		.rr = x->kind == XL_KIND_RR,
		.lb = run->lb,
		.warmup_s = pickd(x->warmup_s, cfg->warmup_s),
		.duration_s = pickd(x->duration_s, cfg->duration_s),
	};
}

static void use_system(struct xl_run *run, struct xl_trial *m, const struct xl_exp_cfg *x, int s)
{
	m->sys = x->sys[s].e;
	m->mode = x->sys[s].mode;
	m->run_opts = xl_config_run_opts(run->cfg, m->sys);
}

json_object *xl_run_load_note(struct xl_run *run, const char *exp)
{
	json_object *o;

	if (!json_object_object_get_ex(run->load, exp, &o)) {
		o = json_object_new_object();
		json_object_object_add(run->load, exp, o);
	}
	return o;
}

/* Every system at every rate of the list, trials interleaved ABBA. */
/* True the first time a system:mode is asked about: its program goes to programs.csv. */
static bool first_program(struct xl_run *run, const struct xl_trial *m)
{
	char key[80];

	snprintf(key, sizeof(key), "%s:%s", m->sys->name, xl_sys_mode_name(m->mode));
	for (int i = 0; i < run->nprograms; i++)
		if (!strcmp(run->programs[i], key))
			return false;
	if (run->nprograms == (int)(sizeof(run->programs) / sizeof(run->programs[0])))
		return false;
	snprintf(run->programs[run->nprograms++], sizeof(run->programs[0]), "%s", key);
	return true;
}

static int run_grid(struct xl_run *run, const struct xl_exp_cfg *x, const double *rates, int n,
		    int (*trial)(const struct xl_trial *, struct xl_row_store *))
{
	struct xl_trial m = template_for(run, x);
	int err = 0;

	for (int r = 0; r < n && !err; r++) {
		for (int t = 1; t <= m.trials && !err; t++) {
			for (int k = 0; k < x->nsystems && !err; k++) {
				int s = t % 2 ? k : x->nsystems - 1 - k;

				use_system(run, &m, x, s);
				m.rate = rates[r];
				m.trial = t;
				m.profile = x->profile && trial == xl_trial_throughput;
				m.program_row =
					(trial == xl_trial_throughput || trial == xl_trial_rr) &&
					first_program(run, &m);
				err = measure(run, &m, trial, NULL);
			}
		}
	}
	return err;
}

static json_object *rates_json(const double *rates, int n)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_double(rates[i]));
	return a;
}

/* Rates the generator can offer: those above its paced ceiling are dropped (and noted). */
static int offerable(struct xl_run *run, const struct xl_exp_cfg *x, double *rates)
{
	json_object *skipped = json_object_new_array();
	/* A flood's rate is read as offered, not held: it may go up to the ceiling itself. */
	double use = x->kind == XL_KIND_RR ? 1.0 : XL_GRID_USE;
	int n = 0;

	for (int r = 0; r < x->nrates; r++) {
		double rate = x->rates[r];

		/* "N%" of the ceiling: the same sweep on any generator (rounded to whole pps). */
		if (x->rate_pct[r]) {
			if (run->ceiling_pps <= 0)
				return xl_fail(XL_EXIT_FAIL,
					       "[experiment %s]: rates in %% need the "
					       "generator's ceiling, which was not measured",
					       x->name);
			rate = floor(rate / 100 * run->ceiling_pps); /* never above the ceiling */
		}
		if (rate > 0 && run->ceiling_pps > 0 && rate > use * run->ceiling_pps) {
			xl_warn("[experiment %s]: %.0f pps is above what the generator can pace here "
				"(ceiling %.0f pps): not measured",
				x->name, rate, run->ceiling_pps);
			json_object_array_add(skipped, json_object_new_double(rate));
			continue;
		}
		rates[n++] = rate;
	}
	if (n)
		json_object_object_add(xl_run_load_note(run, x->name), "rates_pps",
				       rates_json(rates, n));
	if (json_object_array_length(skipped))
		json_object_object_add(xl_run_load_note(run, x->name), "rates_above_ceiling",
				       skipped);
	else
		json_object_put(skipped);
	return n;
}

/*
 * Probe the common rate: one short paced trial per system (calibration.csv,
 * trial 0 with a target).  Where the generator shares its core with a sink
 * or an unpinned DUT, it reaches less paced than unpaced; a probe that falls
 * short lowers the rate to what it did reach, so the counted trials are not
 * lost to gen-short.  Likewise a sink that shares the generator's core and
 * drops part of what the DUT delivered (sink-drop): the rate falls below what
 * it counted (XL_SINK_MARGIN).  A round lowers it by at most 25%, so a probe
 * disturbed by a burst of host noise costs little; at most XL_PROBE_ROUNDS
 * rounds.
 */
#define XL_PROBE_ROUNDS 4
/*
 * A probe whose sink dropped frames: the rate falls to this share of what it
 * counted (measured: probes clean at 0.95 of it still lost 0.2-0.5% in 10 s trials).
 */
#define XL_SINK_MARGIN 0.9

static int probe_rate(struct xl_run *run, const struct xl_exp_cfg *x, double *rate, bool *bound)
{
	struct xl_trial m = template_for(run, x);
	double tol = x->bounds.rate_tolerance_pct / 100;

	for (int round = 0; round < XL_PROBE_ROUNDS; round++) {
		double reached = *rate;
		const char *short_of = "the generator";

		for (int s = 0; s < x->nsystems; s++) {
			int err;

			use_system(run, &m, x, s);
			m.rate = *rate;
			m.trial = 0;
			m.warmup_s = fmin(m.warmup_s, 0.5);
			m.duration_s = fmin(m.duration_s, 0.5);
			err = measure(run, &m, xl_trial_throughput, "calibration.csv");
			if (err)
				return err;
			/*
			 * A saturated system slows the generator by design (the sender pays for
			 * what the full ring rejects, validity.c): only a system that kept up
			 * tells what the generator can hold.
			 */
			if (run->last->row.offered_pps > 0 &&
			    run->last->row.offered_pps < reached &&
			    !(run->last->row.status && !strcmp(run->last->row.status, "saturated")))
				reached = run->last->row.offered_pps;
			/* Its drops come in bursts: a short probe that lost any needs a margin. */
			if (run->last->row.invalid_reason &&
			    !strcmp(run->last->row.invalid_reason, "sink-drop") &&
			    XL_SINK_MARGIN * final_pps(run->last) < reached) {
				reached = XL_SINK_MARGIN * final_pps(run->last);
				short_of = "the sink";
			}
		}
		if (reached >= (1 - tol / 2) * *rate)
			return 0;
		xl_warn("[experiment %s]: %s held %.0f of %.0f pps paced: lowering the common "
			"rate",
			x->name, short_of, reached, *rate);
		/* One disturbed probe must not collapse the rate: at most 25% lower per round. */
		*rate = 0.97 * fmax(reached, 0.75 * *rate);
		*bound = true;
	}
	return 0;
}

/*
 * The common rate of an equal-load experiment: just above the slowest
 * system's capacity, never above what the generator can pace.
 */
double xl_common_rate(const double *capacity, int n, double headroom_pct, double ceiling_pps,
		      bool *ceiling_bound)
{
	double slowest = 0, rate;

	for (int i = 0; i < n; i++)
		if (capacity[i] > 0 && (!slowest || capacity[i] < slowest))
			slowest = capacity[i];
	rate = slowest * (1 + headroom_pct / 100);
	*ceiling_bound = ceiling_pps > 0 && (!slowest || rate > XL_CEILING_USE * ceiling_pps);
	if (*ceiling_bound)
		rate = XL_CEILING_USE * ceiling_pps;
	return rate;
}

static int run_equal(struct xl_run *run, const struct xl_exp_cfg *x)
{
	struct xl_trial m = template_for(run, x);
	json_object *note = xl_run_load_note(run, x->name), *caps = json_object_new_object();
	double capacity[XL_MAX_SYSTEMS], rate, reach = run->ceiling_pps;
	char why[96];
	bool bound;
	int err = 0;

	/* Calibration: each system once at the maximum rate; its capacity is what got through. */
	for (int s = 0; s < x->nsystems && !err; s++) {
		char key[96];

		use_system(run, &m, x, s);
		m.rate = 0;
		m.trial = 0;
		m.duration_s = fmin(m.duration_s, 1.5);
		err = measure(run, &m, xl_trial_throughput, "calibration.csv");
		if (err)
			break;
		/*
		 * Its capacity is what got through.  A sink that shares the generator's core
		 * may drop some of it at full speed (sink-drop): the DUT delivered at least
		 * what was counted, a lower bound good enough to set a rate from.
		 */
		capacity[s] = run->last->row.valid ||
					      (run->last->row.invalid_reason &&
					       !strcmp(run->last->row.invalid_reason, "sink-drop"))
				      ? final_pps(run->last)
				      : 0;
		/* What the generator reached with this system (its sink may share the core). */
		if (run->last->row.valid && (!reach || run->last->row.offered_pps < reach))
			reach = run->last->row.offered_pps;
		snprintf(key, sizeof(key), "%s:%s", m.sys->name, xl_sys_mode_name(m.mode));
		json_object_object_add(caps, key, json_object_new_double(capacity[s]));
	}
	json_object_object_add(note, "capacity_pps", caps);
	if (err)
		return err;
	/* pace_by: the comparisons are about that system; slower ones saturate (line rate). */
	if (x->pace_by_index >= 0)
		rate = xl_common_rate(&capacity[x->pace_by_index], 1, x->headroom_pct, reach,
				      &bound);
	else
		rate = xl_common_rate(capacity, x->nsystems, x->headroom_pct, reach, &bound);
	if (rate <= 0)
		return xl_fail(XL_EXIT_FAIL, "[experiment %s]: no calibration trial was valid",
			       x->name);
	err = probe_rate(run, x, &rate, &bound);
	if (err)
		return err;
	xl_resume_rate(run->resume, x->name, &rate, &bound); /* resumed: the rate recorded */
	if (bound)
		snprintf(why, sizeof(why), "the generator's ceiling");
	else if (x->pace_by_index >= 0)
		snprintf(why, sizeof(why), "just above %s's capacity", x->pace_by);
	else
		snprintf(why, sizeof(why), "just above the slowest system's capacity");
	json_object_object_add(note, "common_pps", json_object_new_double(rate));
	json_object_object_add(note, "bound", json_object_new_string(why));
	/* For the analysis (compare leaves out Mpps then): not the sentence, a flag. */
	json_object_object_add(note, "ceiling_bound", json_object_new_boolean(bound));
	if (x->pace_by_index >= 0)
		json_object_object_add(note, "pace_by", json_object_new_string(x->pace_by));
	xl_info("[experiment %s]: every system at %.0f pps (%s)", x->name, rate, why);
	return run_grid(run, x, &rate, 1, xl_trial_throughput);
}

/* One system's NDR/PDR search over counted trials; the result goes to ndr.csv. */
static int run_ndr_system(struct xl_run *run, const struct xl_exp_cfg *x, int s, double lo,
			  double hi)
{
	struct xl_trial m = template_for(run, x);
	struct xl_search *srch = calloc(1, sizeof(*srch));
	double rate, nl, nu, pl, pu;
	bool nok, pok;
	FILE *f;
	int err = 0, step = 0, retries = 0;

	if (!srch)
		return -ENOMEM;
	use_system(run, &m, x, s);
	m.trials = x->ndr_max_trials;
	xl_search_init(srch, lo, hi, x->ndr_precision_pct, x->pdr_loss_pct, x->ndr_repeats,
		       x->ndr_max_trials);
	while (!err && xl_search_next(srch, &rate)) {
		const struct xl_trial_row *w;

		m.rate = rate;
		m.trial = ++step;
		err = measure(run, &m, xl_trial_counted, NULL);
		if (err)
			break;
		run->last->search = true;
		w = &run->last->row;
		/* A trial the instrument spoilt says nothing about the system: try it again. */
		if (!w->valid) {
			if (++retries > 3) {
				xl_warn("[experiment %s] %s: the search stopped after repeated invalid "
					"trials (%s)",
					x->name, m.sys->name, w->invalid_reason);
				break;
			}
			continue;
		}
		xl_search_report(srch, rate, w->loss_pct > 0 ? w->loss_pct : 0,
				 final_pps(run->last));
	}
	nok = xl_search_result(srch, XL_GOAL_NDR, &nl, &nu);
	pok = xl_search_result(srch, XL_GOAL_PDR, &pl, &pu);
	if (run->sum->nndr < XL_MAX_NDR)
		run->sum->ndr[run->sum->nndr++] =
			(struct xl_ndr_result){ x->name,   m.sys->name, xl_sys_mode_name(m.mode),
						nl,	   pl,		srch->ntrials,
						nok && pok };
	f = xl_results_file(run->res, "ndr.csv");
	if (f) {
		fprintf(f, "%s,%s,%s,%.0f,%.0f,%d,%.0f,%.0f,%d,%g,%g,%ld,%d,%g,%.0f,%.0f\n",
			x->name, m.sys->name, xl_sys_mode_name(m.mode), nl, nu, nok, pl, pu, pok,
			x->ndr_precision_pct, x->pdr_loss_pct, x->ndr_repeats, srch->ntrials,
			m.duration_s, lo, hi);
		fflush(f);
	}
	free(srch);
	return err;
}

static int run_ndr(struct xl_run *run, const struct xl_exp_cfg *x)
{
	double lo = 1e4, hi = run->ceiling_pps * XL_CEILING_USE;
	int err = 0;

	if (x->nrates == 2 && x->rates[0] > 0 && x->rates[1] > x->rates[0]) {
		lo = x->rates[0];
		hi = fmin(x->rates[1], hi > 0 ? hi : x->rates[1]);
	}
	if (hi <= lo)
		return xl_fail(XL_EXIT_CONFIG, "[experiment %s]: no rate range to search", x->name);
	for (int s = 0; s < x->nsystems && !err; s++)
		err = run_ndr_system(run, x, s, lo, hi);
	return err;
}

int xl_experiment_run(struct xl_run *run, const struct xl_exp_cfg *x)
{
	double rates[XL_MAX_RATES];
	int n;

	if (x->kind == XL_KIND_NDR)
		return run_ndr(run, x);
	if (x->kind == XL_KIND_THROUGHPUT && x->nrates == 1 && x->rates[0] == 0 &&
	    x->load == XL_LOAD_EQUAL)
		return run_equal(run, x);
	n = offerable(run, x, rates);
	if (n < 0)
		return n;
	return run_grid(run, x, rates, n,
			x->kind == XL_KIND_LATENCY ? xl_trial_latency
			: x->kind == XL_KIND_RR	   ? xl_trial_rr
						   : xl_trial_throughput);
}

int xl_measure_ceiling(struct xl_run *run, const struct xl_exp_cfg *x)
{
	struct xl_trial m = template_for(run, x);
	const struct xl_sys_entry *e = xl_catalog_find(&run->cfg->catalog, "xdp-drop");
	int err;

	/*
	 * The generator paced as fast as it can (one frame per program run, the
	 * clock read every time) into the cheapest DUT, XDP_DROP in the driver.
	 */
	if (!e || !e->ops)
		return 0;
	m.exp_name = "ceiling";
	m.sys = e;
	m.mode = XL_SM_NATIVE;
	m.run_opts = NULL;
	m.rate = 1e9;
	m.trial = 0;
	m.trials = 0;
	m.warmup_s = 0.5;
	m.duration_s = 1;
	m.bounds = &run->ceiling_bounds;
	/*
	 * Through the relay (testbed/relay.h): first with one copy per frame, the
	 * rate the generator itself can pace, which decides how many copies each
	 * paced rate needs; then with the most copies, the ceiling for the DUT.
	 */
	if (run->tb->relay) {
		m.exp_name = "ceiling-one-copy";
		m.copies = 1;
		err = measure(run, &m, xl_trial_throughput, "calibration.csv");
		if (err)
			return err;
		run->tb->relay_one_pps = run->last->row.offered_pps;
		xl_info("generator ceiling when paced, one copy per frame: %.0f pps",
			run->tb->relay_one_pps);
		m.exp_name = "ceiling";
		m.copies = 0;
	}
	err = measure(run, &m, xl_trial_throughput, "calibration.csv");
	if (err)
		return err;
	run->ceiling_pps = run->last->row.offered_pps;
	xl_info("generator ceiling when paced: %.0f pps", run->ceiling_pps);
	return 0;
}
