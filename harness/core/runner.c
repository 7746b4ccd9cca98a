// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - the loops behind `xdplab run` (see runner.h): testbed up, the
 * results directory and its context block, then every experiment, rate,
 * trial and system in round-robin order (trial.c measures one), and the
 * testbed always removed on the way out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"
#include "faults.h"
#include "fixtures.h"
#include "preflight_cmd.h"
#include "testbed/relay.h"
#include "schema.h"
#include "collect/cpustat.h"
#include "context.h"
#include "netns.h"
#include "progress.h"
#include "remote/remote.h"
#include "trial.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

static long pick(long v, long dflt)
{
	return v ? v : dflt;
}

static double pickd(double v, double dflt)
{
	return v > 0 ? v : dflt;
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
	if (cfg->backend_auto && cfg->backend_why[0])
		xl_warn("generator: %s (%s)", cfg->backend, cfg->backend_why);
	for (size_t i = 0; cfg->left_out && i < json_object_array_length(cfg->left_out); i++) {
		json_object *o = json_object_array_get_idx(cfg->left_out, i), *e, *s, *w;

		json_object_object_get_ex(o, "experiment", &e);
		json_object_object_get_ex(o, "system", &s);
		json_object_object_get_ex(o, "why", &w);
		xl_warn("[experiment %s] %s left out: %s", json_object_get_string(e),
			json_object_get_string(s)[0] ? json_object_get_string(s) : "(all)",
			json_object_get_string(w));
	}
	json_object_object_add(ctx, "generator_choice",
			       json_object_new_string(!cfg->backend_auto ? "configured"
						      : cfg->backend_why[0]
							      ? cfg->backend_why
							      : "auto: the first usable"));
	if (cfg->left_out)
		json_object_object_add(ctx, "left_out", json_object_get(cfg->left_out));
	json_object_object_add(ctx, "clock_ticks_per_s",
			       json_object_new_double(1.0 / xl_cpu_tick_seconds()));
	json_object_object_add(
		ctx, "cpu_busy_fields",
		json_object_new_string("user+nice+system+irq+softirq+steal of /proc/stat"));
	for (int e = 0; e < cfg->nexps; e++)
		for (int s = 0; s < cfg->exps[e].nsystems; s++)
			json_object_object_add(systems, cfg->exps[e].sys[s].e->name,
					       json_object_new_string(cfg->exps[e].sys[s].e->what));
	json_object_object_add(ctx, "systems", systems);
	json_object_object_add(ctx, "catalog", xl_catalog_json(&cfg->catalog));
	json_object_object_add(ctx, "experiments", xl_config_experiments_json(cfg));
	json_object_object_add(ctx, "schema", xl_schema_json());
	if (o->context) {
		json_object_object_foreach(o->context, k, v)
			json_object_object_add(ctx, k, json_object_get(v));
	}
	return ctx;
}

/* The relay's copies (testbed/relay.h), for context.json. */
static json_object *relay_note(const struct xl_testbed *tb)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "one_copy_ceiling_pps",
			       json_object_new_double(tb->relay_one_pps));
	json_object_object_add(o, "max_copies_ceiling_pps",
			       json_object_new_double(tb->relay_max_pps));
	json_object_object_add(o, "generator_load", json_object_new_double(XL_RELAY_LOAD));
	json_object_object_add(o, "max_copies", json_object_new_int(XL_RELAY_MAX_COPIES));
	json_object_object_add(
		o, "copies_rule",
		json_object_new_string(
			"a paced trial uses the fewest copies per generated frame that "
			"keep the generator's core under generator_load busy, by a "
			"cost model fitted to the two ceilings; an unpaced one uses "
			"max_copies (results.csv gen_copies)"));
	return o;
}

/* Paced rates, equal loads and searches need to know how fast the generator can pace. */
static bool needs_ceiling(const struct xl_run_cfg *cfg)
{
	for (int e = 0; e < cfg->nexps; e++)
		for (int r = 0; r < cfg->exps[e].nrates; r++)
			if (cfg->exps[e].rates[r] > 0 || cfg->exps[e].kind == XL_KIND_NDR ||
			    cfg->exps[e].load == XL_LOAD_EQUAL)
				return true;
	return false;
}

static int count_measurements(const struct xl_run_cfg *cfg, double *est_each)
{
	int total = 0;
	double secs = 0;

	for (int e = 0; e < cfg->nexps; e++) {
		const struct xl_exp_cfg *x = &cfg->exps[e];
		int n = x->nrates * pick(x->trials, cfg->trials) * x->nsystems;

		if (x->kind == XL_KIND_NDR)
			n = 12 * x->nsystems; /* a typical search; the progress line adapts */
		else if (x->kind == XL_KIND_THROUGHPUT && x->load == XL_LOAD_EQUAL &&
			 x->nrates == 1 && x->rates[0] == 0)
			n += 2 * x->nsystems; /* calibration and probe */

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
 * and the value found is restored through the cleanup registry (also after a
 * SIGKILL, by the next run).  Returns the registry entry, 0 if it was off.
 */
static int bpf_stats_off(void)
{
	char v[8] = "";

	if (xl_read_file(NULL, BPF_STATS_SYSCTL, v, sizeof(v)) || strcmp(v, "1"))
		return 0;
	if (xl_write_file(NULL, BPF_STATS_SYSCTL, "0")) {
		xl_warn("kernel.bpf_stats_enabled is 1 and cannot be turned off: rates will be low");
		return 0;
	}
	xl_info("kernel.bpf_stats_enabled=1 turned off for the run (restored at the end)");
	return xl_undo_add("sysctl", "-", BPF_STATS_SYSCTL, v, NULL);
}

/*
 * The runner itself, and every tool it starts, stays on the generator's cores:
 * the DUT's cores belong to the system under test.  (Threads that must be
 * elsewhere set their own affinity.)
 */
static void keep_off_dut(const struct xl_testbed *tb)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int i = 0; i < tb->cores; i++)
		CPU_SET(tb->gen_cpus[i], &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		xl_warn("cannot keep the runner off the DUT cores: %s", strerror(errno));
}

int xl_runner_run(struct xl_run_cfg *cfg, const struct xl_runner_opts *o,
		  struct xl_run_summary *sum)
{
	struct xl_undo_set pf_undo = {};
	int stats_undo = 0;
	struct xl_testbed tb;
	struct xl_results res = {};
	struct xl_progress prog;
	struct xl_run run;
	json_object *ctx;
	double est;
	int total, err = 0;

	memset(sum, 0, sizeof(*sum));
	if (xl_config_testbed(cfg, &tb))
		return -1;
	total = count_measurements(cfg, &est) - xl_resume_rows(o->resume);
	err = xl_testbed_up(&tb);
	if (err)
		return err;
	err = xl_remote_up(cfg, &tb); /* two-host mode: the other host's ports; else nothing */
	if (err)
		goto out;
	/* An skb generator on xdplab's veth testbed sends through the relay (relay.h). */
	if (tb.create && strcmp(cfg->backend, "livefr")) {
		err = xl_testbed_relay_up(&tb);
		if (err)
			goto out;
	}
	/* A system this testbed cannot measure stops the run here, with the reason. */
	err = xl_run_preflight(cfg, &tb, o->fix, &pf_undo);
	if (err)
		goto out;
	keep_off_dut(&tb);
	stats_undo = bpf_stats_off();
	/* A resumed run continues its recorded context.json and its directory. */
	ctx = o->resume ? xl_resume_context(o->resume, o->argc, o->argv, tb.prefix)
			: run_context(cfg, o, &tb);
	json_object_object_add(ctx, "bpf_stats_enabled_before",
			       json_object_new_int(stats_undo > 0));
	xl_remote_context(ctx);
	err = o->resume ? xl_results_reopen(&res, o->results_base, ctx)
			: xl_results_open(&res, o->results_base, ctx);
	json_object_put(ctx);
	if (err)
		goto out;
	/* Output of set-up tools and of DPDK processes goes to run.log (it shows no PCI probe). */
	xl_spawn_set_log(res.log_fd);
	xl_progress_init(&prog, total, est, o->quiet);
	run = (struct xl_run){ .cfg = cfg,
			       .res = &res,
			       .tb = &tb,
			       .prog = &prog,
			       .sum = sum,
			       .resume = o->resume,
			       .load = json_object_new_object() };
	/* Resumed: the rates recorded so far stay in the notes. */
	if (o->resume && json_object_object_get_ex(res.context, "load", &ctx)) {
		json_object_put(run.load);
		run.load = json_object_get(ctx);
	}
	run.ceiling_bounds = cfg->bounds;
	run.ceiling_bounds.rate_tolerance_pct = 100;
	json_object_object_add(res.context, "load", run.load);
	if (needs_ceiling(cfg))
		err = xl_measure_ceiling(&run, &cfg->exps[0]);
	xl_resume_ceiling(o->resume, &run.ceiling_pps, &tb.relay_one_pps);
	json_object_object_add(res.context, "generator_ceiling_pps",
			       json_object_new_double(run.ceiling_pps));
	/* The relay's copies are planned from its two ceilings (relay.h). */
	if (tb.relay) {
		tb.relay_max_pps = run.ceiling_pps;
		json_object_object_add(res.context, "generator_relay", relay_note(&tb));
	}
	xl_results_checkpoint(&res); /* a resumed run keeps this ceiling */
	for (int e = 0; e < cfg->nexps && !err; e++) {
		err = xl_fixture_setup(&run, &cfg->exps[e]);
		if (!err)
			err = xl_experiment_run(&run, &cfg->exps[e]);
		xl_fixture_teardown(&run, &cfg->exps[e]);
		xl_results_checkpoint(&res);
	}
	/* The last trial's fault may have broken the testbed: then the run did not complete. */
	if (!err)
		err = xl_fault_check_testbed(&tb);
	xl_progress_end(&prog);
	xl_spawn_set_log(-1);
	if (err == -EINTR) {
		/* Completed trials are kept, marked as an interrupted run. */
		sum->interrupted = true;
		json_object_object_add(res.context, "status",
				       json_object_new_string("interrupted"));
		xl_results_commit(&res);
		snprintf(sum->dir, sizeof(sum->dir), "%s", res.dir);
	} else if (err && xl_exit_code() == XL_EXIT_FAULT) {
		/* A fault stopped the run (faults.h): completed trials are kept. */
		json_object_object_add(res.context, "status",
				       json_object_new_string("stopped-by-fault"));
		json_object_object_add(
			res.context, "status_detail",
			json_object_new_string("a fault during the run stopped it; the "
					       "last row's invalid_reason says which"));
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
	xl_remote_down();
	if (stats_undo > 0)
		xl_undo_run(stats_undo);
	xl_undo_set_run(&pf_undo);
	xl_testbed_relay_down(&tb);
	xl_testbed_down(&tb);
	return err;
}
