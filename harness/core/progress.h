/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progress.h - what a person watching a long run sees: experiment, system,
 * trial k of n, live Mpps and time left, on one refreshed stderr line when
 * stderr is a terminal, one line per finished measurement otherwise.  Nothing
 * here is ever parsed: results go to files.
 */
#ifndef XL_PROGRESS_H
#define XL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct xl_progress {
	int total, done;
	uint64_t start_ns;
	double est_each_s; /* estimate per measurement before any has finished */
	bool tty, quiet;
};

void xl_progress_init(struct xl_progress *p, int total, double est_each_s, bool quiet);
/* Live update during a measurement. */
void xl_progress_live(struct xl_progress *p, const char *exp, const char *sys, const char *mode,
		      double rate, int trial, int trials, const char *phase, double mpps);
/* A measurement finished. */
void xl_progress_done(struct xl_progress *p, const char *exp, const char *sys, const char *mode,
		      double rate, int trial, int trials, double mpps, double ns_per_pkt,
		      bool valid, const char *why);
void xl_progress_end(struct xl_progress *p);

#endif
