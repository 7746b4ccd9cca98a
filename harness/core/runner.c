// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - the loops behind `xdplab run` (see runner.h): testbed up, the
 * results directory and its context block, then every experiment, rate,
 * trial and system in round-robin order (trial.c measures one), and the
 * testbed always removed on the way out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"
#include "schema.h"
#include "collect/cpustat.h"
#include "context.h"
#include "netns.h"
#include "progress.h"
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

int xl_runner_run(struct xl_run_cfg *cfg, const struct xl_runner_opts *o,
		  struct xl_run_summary *sum)
{
	int stats_undo;
	struct xl_testbed tb;
	struct xl_results res = {};
	struct xl_progress prog;
	json_object *ctx;
	double est;
	int total, err = 0;

	memset(sum, 0, sizeof(*sum));
	if (xl_config_testbed(cfg, &tb))
		return -1;
	total = count_measurements(cfg, &est);
	sum->rows = calloc(total, sizeof(*sum->rows));
	if (!sum->rows)
		return -ENOMEM;
	err = xl_testbed_up(&tb);
	if (err)
		return err;
	stats_undo = bpf_stats_off();
	ctx = run_context(cfg, o, &tb);
	json_object_object_add(ctx, "bpf_stats_enabled_before",
			       json_object_new_int(stats_undo > 0));
	err = xl_results_open(&res, o->results_base, ctx);
	json_object_put(ctx);
	if (err)
		goto out;
	/* Output of set-up tools and of DPDK processes goes to run.log (it shows no PCI probe). */
	xl_spawn_set_log(res.log_fd);
	xl_progress_init(&prog, total, est, o->quiet);
	for (int e = 0; e < cfg->nexps && !err; e++) {
		struct xl_exp_cfg *x = &cfg->exps[e];
		struct xl_trial m = {
			.res = &res,
			.tb = &tb,
			.prog = &prog,
			.exp_name = x->name,
			.backend = cfg->backend,
			.backend_opts = cfg->backend_opts,
			.bounds = &cfg->bounds,
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
					m.sys = x->sys[s].e;
					m.mode = x->sys[s].mode;
					m.run_opts = xl_config_run_opts(cfg, m.sys);
					err = x->kind == XL_KIND_LATENCY
						      ? xl_trial_latency(&m, st)
						      : xl_trial_throughput(&m, st);
					if (err)
						break;
					xl_results_append(&res, &st->row);
					sum->nrows++;
					final = m.sys->counts != XL_COUNTS_DUT ? st->row.sink_pps
									       : st->row.dut_pps;
					xl_progress_done(&prog, x->name, m.sys->name,
							 xl_sys_mode_name(m.mode), m.rate, t,
							 m.trials, final / 1e6, st->row.ns_per_pkt,
							 st->row.valid, st->row.invalid_detail);
				}
			}
		}
	}
	xl_progress_end(&prog);
	xl_spawn_set_log(-1);
	if (err == -EINTR) {
		/* Completed trials are kept, marked as an interrupted run. */
		sum->interrupted = true;
		json_object_object_add(res.context, "status",
				       json_object_new_string("interrupted"));
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
	if (stats_undo > 0)
		xl_undo_run(stats_undo);
	xl_testbed_down(&tb);
	return err;
}
