// SPDX-License-Identifier: GPL-2.0
/* progress.c - the run's terminal status line and per-measurement log lines. */
#include <stdio.h>
#include <unistd.h>
#include "progress.h"
#include "util.h"

void xl_progress_init(struct xl_progress *p, int total, double est_each_s, bool quiet)
{
	p->total = total;
	p->done = 0;
	p->start_ns = xl_now_ns();
	p->est_each_s = est_each_s;
	p->tty = isatty(STDERR_FILENO);
	p->quiet = quiet;
}

static double time_left(const struct xl_progress *p)
{
	double elapsed = (xl_now_ns() - p->start_ns) / 1e9;
	double each = p->done ? elapsed / p->done : p->est_each_s;
	double left = each * (p->total - p->done) - (p->done ? 0 : elapsed);

	return left > 0 ? left : 0;
}

static void fmt_time(double s, char *buf, size_t len)
{
	if (s >= 3600)
		snprintf(buf, len, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
	else if (s >= 60)
		snprintf(buf, len, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		snprintf(buf, len, "%ds", (int)s);
}

static void fmt_rate(double rate, char *buf, size_t len)
{
	if (rate <= 0)
		snprintf(buf, len, "max");
	else if (rate >= 1e6)
		snprintf(buf, len, "%gMpps", rate / 1e6);
	else if (rate >= 1e3)
		snprintf(buf, len, "%gkpps", rate / 1e3);
	else
		snprintf(buf, len, "%gpps", rate);
}

void xl_progress_live(struct xl_progress *p, const char *exp, const char *sys, const char *mode,
		      double rate, int trial, int trials, const char *phase, double mpps)
{
	char left[32], r[32];

	if (!p->tty || p->quiet)
		return;
	fmt_time(time_left(p), left, sizeof(left));
	fmt_rate(rate, r, sizeof(r));
	fprintf(stderr, "\r\033[K[%d/%d] %s | %s %s @%s | trial %d/%d | %s", p->done + 1, p->total,
		exp, sys, mode, r, trial, trials, phase);
	if (mpps >= 0)
		fprintf(stderr, " %.3f Mpps", mpps);
	fprintf(stderr, " | %s left", left);
	fflush(stderr);
}

void xl_progress_done(struct xl_progress *p, const char *exp, const char *sys, const char *mode,
		      double rate, int trial, int trials, double mpps, double ns_per_pkt,
		      bool valid, const char *why)
{
	char left[32], r[32];

	p->done++;
	if (p->quiet)
		return;
	fmt_time(time_left(p), left, sizeof(left));
	fmt_rate(rate, r, sizeof(r));
	fprintf(stderr,
		"%s[%d/%d] %-14s %-20s %-7s @%-8s trial %d/%d  %8.3f Mpps  %7.1f ns/pkt%s%s  (%s left)\n",
		p->tty ? "\r\033[K" : "", p->done, p->total, exp, sys, mode, r, trial, trials, mpps,
		ns_per_pkt, valid ? "" : "  INVALID: ", valid ? "" : why, left);
}

void xl_progress_end(struct xl_progress *p)
{
	if (p->tty && !p->quiet)
		fprintf(stderr, "\r\033[K");
}
