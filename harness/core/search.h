/* SPDX-License-Identifier: GPL-2.0 */
/*
 * search.h - the zero-loss throughput search (RFC 2544 throughput, RFC 9004's
 * NDR and PDR, in the spirit of CSIT's MLRsearch): the highest offered rate
 * with no loss (NDR) and with loss at most pdr_loss_pct (PDR), found by one
 * search whose trials serve both goals.
 *
 * The first trial is at the maximum rate; its forwarding rate (what got
 * through) is the first estimate; then each goal is bisected geometrically
 * between its highest passing rate and its lowest failing one until
 * upper / lower - 1 <= precision; then the lower bound is confirmed by
 * `repeats` more trials.  A goal's lower bound is always a rate that passed
 * and below which no trial failed: a failure at a rate below an earlier pass
 * (a non-monotonic or noisy system) discards the passes above it, and a
 * failed confirmation moves the upper bound down to it.  The search is a pure
 * state machine (no I/O), driven by the runner: next() -> trial -> report().
 */
#ifndef XL_SEARCH_H
#define XL_SEARCH_H

#include <stdbool.h>

#define XL_SEARCH_MAX_TRIALS 256

enum xl_goal {
	XL_GOAL_NDR,
	XL_GOAL_PDR,
	XL_NR_GOALS
};

struct xl_search_trial {
	double rate, loss_pct;
};

struct xl_search {
	double min_pps, max_pps, precision, loss_max_pct[XL_NR_GOALS];
	int repeats, max_trials;
	int ntrials;
	struct xl_search_trial t[XL_SEARCH_MAX_TRIALS];
	double estimate; /* forwarding rate of the first trial */
	int confirming[XL_NR_GOALS]; /* confirmations passed at confirm_rate */
	double confirm_rate[XL_NR_GOALS]; /* the lower bound they confirm */
	bool done[XL_NR_GOALS];
};

/* precision and losses in percent; repeats >= 0 confirmations; max_trials caps the search. */
void xl_search_init(struct xl_search *s, double min_pps, double max_pps, double precision_pct,
		    double pdr_loss_pct, int repeats, int max_trials);
/* The next rate to try; false when the search is over. */
bool xl_search_next(struct xl_search *s, double *rate);
/* The outcome of the trial at `rate`: loss in percent and what got through (pps). */
void xl_search_report(struct xl_search *s, double rate, double loss_pct, double forwarded_pps);
/*
 * A goal's result: lower = highest rate that passed with no failure below it
 * (0 if even min_pps failed), upper = lowest rate that failed (0 if none did:
 * the system kept up at max_pps).  Returns true when the precision was reached.
 */
bool xl_search_result(const struct xl_search *s, enum xl_goal g, double *lower, double *upper);

#endif
