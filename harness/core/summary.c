// SPDX-License-Identifier: GPL-2.0
/*
 * summary.c - the table `xdplab run` prints at the end: per experiment,
 * system, mode and rate, the median and spread of the valid trials.
 * Nothing parses it; results.csv holds the data.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "summary.h"
#include "util.h"

static double median(double *v, int n)
{
	if (!n)
		return NAN;
	xl_sort_doubles(v, n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool same_group(const struct xl_trial_row *a, const struct xl_trial_row *b)
{
	return !strcmp(a->experiment, b->experiment) && !strcmp(a->system, b->system) &&
	       !strcmp(a->mode, b->mode) && a->target_pps == b->target_pps;
}

/* The valid rows of one group (same experiment, system, mode, rate), marked seen. */
static int group(const struct xl_run_summary *s, int first, bool *seen, int *members)
{
	int n = 0;

	for (int j = first; j < s->nrows; j++) {
		if (seen[j] || !same_group(&s->rows[first].row, &s->rows[j].row))
			continue;
		seen[j] = true;
		members[n++] = j;
	}
	return n;
}

static void rate_text(double pps, char *buf, size_t len)
{
	if (pps > 0)
		snprintf(buf, len, "%.0f", pps);
	else
		snprintf(buf, len, "max");
}

static void throughput_line(const struct xl_run_summary *s, const int *m, int total, double *v[4])
{
	const struct xl_trial_row *g = &s->rows[m[0]].row;
	int n = 0, sat = 0;
	char rate[16], spread[32];

	for (int k = 0; k < total; k++) {
		const struct xl_trial_row *r = &s->rows[m[k]].row;

		if (!r->valid)
			continue;
		sat += !strcmp(r->status, "saturated");
		v[0][n] = (isnan(r->sink_pps) ? r->dut_pps : r->sink_pps) / 1e6;
		v[1][n] = r->ns_per_pkt;
		v[2][n] = r->dut_cpu_pct;
		v[3][n] = r->offered_pps / 1e6;
		n++;
	}
	if (!isnan(g->rr_tps) && g->target_pps <= 0)
		snprintf(rate, sizeof(rate), "no flood"); /* an rr experiment's origin */
	else
		rate_text(g->target_pps, rate, sizeof(rate));
	if (!n) {
		printf("%-14s %-20s %-8s %-9s %9s %19s %9s %7s %8s %3d/%-2d\n", g->experiment,
		       g->system, g->mode, rate, "-", "", "-", "-", "-", 0, total);
		return;
	}
	for (int i = 0; i < 4; i++)
		median(v[i], n);
	snprintf(spread, sizeof(spread), "[%.3f - %.3f]", v[0][0], v[0][n - 1]);
	printf("%-14s %-20s %-8s %-9s %9.3f %19s %9.1f %7.1f %8.3f %3d/%-2d%s", g->experiment,
	       g->system, g->mode, rate, median(v[0], n), spread, median(v[1], n), median(v[2], n),
	       median(v[3], n), n, total,
	       sat == n ? " sat"
	       : sat	? " some sat"
			: "");
	/* rr experiments: the workload's transactions/s, the number Fig. 7 plots. */
	if (!isnan(g->rr_tps)) {
		for (int k = n = 0; k < total; k++)
			if (s->rows[m[k]].row.valid)
				v[0][n++] = s->rows[m[k]].row.rr_tps;
		printf("  TCP_RR %.0f/s", median(v[0], n));
	}
	printf("\n");
}

static void latency_line(const struct xl_run_summary *s, const int *m, int total, double *v[4])
{
	const struct xl_trial_row *g = &s->rows[m[0]].row;
	int n = 0;
	char rate[16];

	for (int k = 0; k < total; k++) {
		const struct xl_row_store *r = &s->rows[m[k]];

		if (!r->row.valid)
			continue;
		v[0][n] = r->lat_avg_us;
		v[1][n] = r->lat_p99_us;
		v[2][n] = r->lat_max_us;
		v[3][n] = r->lat_under10 * 100;
		n++;
	}
	rate_text(g->target_pps, rate, sizeof(rate));
	if (!n) {
		printf("%-14s %-20s %-8s %-9s %9s %9s %9s %9s %3d/%-2d\n", g->experiment, g->system,
		       g->mode, rate, "-", "-", "-", "-", 0, total);
		return;
	}
	printf("%-14s %-20s %-8s %-9s %9.1f %9.1f %9.0f %9.1f %3d/%-2d\n", g->experiment, g->system,
	       g->mode, rate, median(v[0], n), median(v[1], n), median(v[2], n), median(v[3], n), n,
	       total);
}

void xl_summary_print(const struct xl_run_summary *s)
{
	bool *seen = calloc(s->nrows + 1, sizeof(bool));
	int *m = calloc(s->nrows + 1, sizeof(int));
	double *v[4];
	bool any_lat = false, any_tp = false;

	for (int i = 0; i < 4; i++)
		v[i] = calloc(s->nrows + 1, sizeof(double));
	if (!seen || !m || !v[0] || !v[1] || !v[2] || !v[3])
		goto out;
	for (int i = 0; i < s->nrows; i++) {
		any_lat |= s->rows[i].latency;
		any_tp |= !s->rows[i].latency && !s->rows[i].search;
	}
	if (any_tp) {
		const char *last = "";

		printf("\n%-14s %-20s %-8s %-9s %9s %19s %9s %7s %8s %6s\n", "experiment", "system",
		       "mode", "rate", "Mpps", "[min - max]", "ns/pkt", "DUT%", "offered", "valid");
		for (int i = 0; i < s->nrows; i++) {
			if (seen[i] || s->rows[i].latency || s->rows[i].search)
				continue;
			if (strcmp(last, s->rows[i].row.experiment))
				printf("\n");
			last = s->rows[i].row.experiment;
			throughput_line(s, m, group(s, i, seen, m), v);
		}
		printf("\nMpps: what the DUT processed (drop systems) or delivered at the sink "
		       "(forwarding); ns/pkt: busy DUT CPU\ntime per packet; offered: Mpps the "
		       "generator sent (median); sat: the DUT could not keep up (its capacity).\n");
	}
	if (any_lat) {
		printf("\n%-14s %-20s %-8s %-9s %9s %9s %9s %9s %6s\n", "experiment", "system",
		       "mode", "rate", "avg us", "p99 us", "max us", "<10us %", "valid");
		for (int i = 0; i < s->nrows; i++)
			if (!seen[i] && s->rows[i].latency)
				latency_line(s, m, group(s, i, seen, m), v);
		printf("\nOne-way latency, medians over the valid trials; no-dut is the method's "
		       "own floor.\n");
	}
	if (s->nndr) {
		printf("\n%-14s %-20s %-8s %14s %14s %8s\n", "experiment", "system", "mode",
		       "NDR pps", "PDR pps", "trials");
		for (int i = 0; i < s->nndr; i++)
			printf("%-14s %-20s %-8s %14.0f %14.0f %8d%s\n", s->ndr[i].experiment,
			       s->ndr[i].system, s->ndr[i].mode, s->ndr[i].ndr, s->ndr[i].pdr,
			       s->ndr[i].trials, s->ndr[i].converged ? "" : "  (not converged)");
		printf("\nNDR: highest rate without loss; PDR: with loss at most the stated "
		       "share (ndr.csv).\n");
	}
out:
	free(seen);
	free(m);
	for (int i = 0; i < 4; i++)
		free(v[i]);
}
