/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results.h - the results directory of one run: results.csv (one row per trial
 * per system), context.json (provenance), run.log (output of set-up tools).
 * Rows are appended, flushed and fsync'ed as trials finish; the directory is
 * created under a temporary name (recorded in the cleanup registry) and
 * renamed to results/<timestamp>/ only when the run ends.  Until the run
 * completes it holds the INCOMPLETE marker; a run that dies or fails after
 * completing trials is kept (<timestamp>-killed, -failed) and can be resumed.
 * Columns are defined once, in schema.c.
 */
#ifndef XL_RESULTS_H
#define XL_RESULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

struct xl_trial_row {
	const char *experiment;
	const char *system;
	const char *mode;
	unsigned int frame_size;
	unsigned int flows;
	int cores;
	int trial; /* 1..N; warm-up trials are not written */
	bool valid; /* status valid or saturated */
	const char *invalid_reason; /* one word (validity.h); "" unless invalid */
	double target_pps; /* 0 = maximum rate */
	double offered_pps; /* frames the generator sent / measured interval */
	double dut_pps; /* frames the DUT received / interval */
	double sink_pps; /* frames delivered at the sink / interval (NaN = not applicable) */
	double loss_pct; /* 100 * (offered - final) / offered, final = sink or DUT count */
	double dut_cpu_pct; /* busy share of the DUT cores, 0..100 per core averaged */
	double ns_per_pkt; /* DUT busy CPU-ns / frames processed by the DUT */
	double gen_cpu_pct;
	double steal_pct; /* hypervisor steal on the DUT cores */
	double duration_s; /* measured interval */
	uint64_t offered_pkts, dut_pkts, sink_pkts;
	uint64_t dut_rx_dropped; /* frames the DUT port dropped before processing (ring full) */
	/* Exact run time of the DUT's threads (NAPI kthreads of dut-in, testpmd) per
	 * packet the DUT processed; NaN where they cannot be named (real NICs). */
	double dut_task_ns_per_pkt;
	const char *status; /* valid | saturated | invalid */
	const char *invalid_detail; /* the reason as a sentence; "" when valid */
	uint64_t sink_rx_dropped; /* frames the sink's port dropped (instrument loss) */
	bool has_act; /* the DUT program's verdicts were counted */
	const char *act_from; /* "xl_stats" | "driver" | "" */
	uint64_t act[5]; /* frames per XDP action (XDP_ABORTED..XDP_REDIRECT) in the interval */
	/* Request/response experiments (kind = rr): transactions/s and stalled ones; NaN = none. */
	double rr_tps;
	uint64_t rr_stalls;
	/* Load-balancer experiments: what the checking sink saw (apps/lb_check.h). */
	bool has_lb;
	uint64_t lb_ipip, lb_plain, lb_malformed, lb_moved;
	uint32_t lb_flows, lb_reals_hit, lb_fpr_min, lb_fpr_max;
	double lb_fpr_median;
	unsigned int
		gen_copies; /* frames at the DUT per frame the generator sent; 0 = no generator */
};

#define XL_MAX_EXTRA_FILES 8

struct xl_results {
	char dir[512]; /* final directory */
	char tmpdir[512]; /* where it is written until it is complete */
	FILE *csv;
	FILE *extra[XL_MAX_EXTRA_FILES];
	char extra_name[XL_MAX_EXTRA_FILES][32];
	json_object *context;
	int log_fd;
	int undo; /* registry entry of the partial directory */
	char abs_tmpdir[4096]; /* its absolute path, for the in-process removal */
	char abs_final[4096]; /* the absolute final path (salvage: FINAL-killed, -failed) */
};

/* Create results/<timestamp>.partial/ under base (usually "results"). */
int xl_results_open(struct xl_results *r, const char *base, json_object *context);
/*
 * Continue the incomplete results directory dir (`run --resume`): renamed to
 * the partial name while it runs, its files appended to, context replacing
 * its context.json; its final name drops a -killed or -failed suffix.
 */
int xl_results_reopen(struct xl_results *r, const char *dir, json_object *context);
/* fflush and fsync every file of the run and rewrite context.json: a trial is on disk. */
int xl_results_sync(struct xl_results *r);
int xl_results_append(struct xl_results *r, const struct xl_trial_row *row);
/* Rewrite context.json in the partial directory (status "running"): what a salvage keeps. */
int xl_results_checkpoint(struct xl_results *r);
/* The same row written to another file of the results schema (calibration.csv). */
int xl_results_append_to(struct xl_results *r, const char *name, const struct xl_trial_row *row);
/* Another CSV file of the run (latency.csv...), created with its schema header on first use. */
FILE *xl_results_file(struct xl_results *r, const char *name);
/* Write context.json, rename to the final name, update <base>/latest. */
int xl_results_commit(struct xl_results *r);
/* A failed run: keep its completed trials as <timestamp>-failed, or remove an empty one. */
void xl_results_abort(struct xl_results *r);

#endif
