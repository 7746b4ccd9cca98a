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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool same_group(const struct xl_trial_row *a, const struct xl_trial_row *b)
{
	return !strcmp(a->experiment, b->experiment) && !strcmp(a->system, b->system) &&
	       !strcmp(a->mode, b->mode) && a->target_pps == b->target_pps;
}

void xl_summary_print(const struct xl_run_summary *s)
{
	bool *seen = calloc(s->nrows + 1, sizeof(bool));
	double *mpps = calloc(s->nrows + 1, sizeof(double)),
	       *ns = calloc(s->nrows + 1, sizeof(double));
	double *cpu = calloc(s->nrows + 1, sizeof(double)),
	       *loss = calloc(s->nrows + 1, sizeof(double));
	const char *last_exp = "";

	if (!seen || !mpps || !ns || !cpu || !loss)
		goto out;
	printf("\n%-14s %-20s %-8s %-9s %9s %19s %9s %7s %8s %6s\n", "experiment", "system", "mode",
	       "rate", "Mpps", "[min - max]", "ns/pkt", "DUT%", "loss%", "valid");
	for (int i = 0; i < s->nrows; i++) {
		const struct xl_trial_row *g = &s->rows[i].row;
		int n = 0, total = 0;
		char rate[16];

		if (seen[i])
			continue;
		for (int j = i; j < s->nrows; j++) {
			const struct xl_trial_row *r = &s->rows[j].row;

			if (seen[j] || !same_group(g, r))
				continue;
			seen[j] = true;
			total++;
			if (!r->valid)
				continue;
			mpps[n] = (isnan(r->sink_pps) ? r->dut_pps : r->sink_pps) / 1e6;
			ns[n] = r->ns_per_pkt;
			cpu[n] = r->dut_cpu_pct;
			loss[n] = r->loss_pct;
			n++;
		}
		if (strcmp(last_exp, g->experiment))
			printf("\n");
		last_exp = g->experiment;
		if (g->target_pps > 0)
			snprintf(rate, sizeof(rate), "%.0f", g->target_pps);
		else
			snprintf(rate, sizeof(rate), "max");
		if (!n) {
			printf("%-14s %-20s %-8s %-9s %9s %19s %9s %7s %8s %3d/%-2d\n",
			       g->experiment, g->system, g->mode, rate, "-", "", "-", "-", "-", 0,
			       total);
			continue;
		}
		{
			double m = median(mpps, n), lo = mpps[0], hi = mpps[n - 1];
			char spread[32];

			snprintf(spread, sizeof(spread), "[%.3f - %.3f]", lo, hi);
			printf("%-14s %-20s %-8s %-9s %9.3f %19s %9.1f %7.1f %8.2f %3d/%-2d\n",
			       g->experiment, g->system, g->mode, rate, m, spread, median(ns, n),
			       median(cpu, n), median(loss, n), n, total);
		}
	}
	printf("\nMpps is what the DUT dropped (drop experiments) or what reached the sink "
	       "(forwarding);\nns/pkt is busy DUT CPU time per packet the DUT processed.\n");
out:
	free(seen);
	free(mpps);
	free(ns);
	free(cpu);
	free(loss);
}
