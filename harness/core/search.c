// SPDX-License-Identifier: GPL-2.0
/* search.c - the NDR/PDR search (search.h): bounds derived from every trial so far. */
#include <math.h>
#include <string.h>
#include "search.h"

void xl_search_init(struct xl_search *s, double min_pps, double max_pps, double precision_pct,
		    double pdr_loss_pct, int repeats, int max_trials)
{
	memset(s, 0, sizeof(*s));
	s->min_pps = min_pps;
	s->max_pps = max_pps;
	s->precision = precision_pct / 100;
	s->loss_max_pct[XL_GOAL_NDR] = 0;
	s->loss_max_pct[XL_GOAL_PDR] = pdr_loss_pct;
	s->repeats = repeats;
	s->max_trials = max_trials < XL_SEARCH_MAX_TRIALS ? max_trials : XL_SEARCH_MAX_TRIALS;
}

static bool passes(const struct xl_search *s, enum xl_goal g, const struct xl_search_trial *t)
{
	return t->loss_pct <= s->loss_max_pct[g];
}

/* Lowest failing rate (0: none), and the highest passing rate below it (0: none). */
static void bounds(const struct xl_search *s, enum xl_goal g, double *lower, double *upper)
{
	*upper = 0;
	*lower = 0;
	for (int i = 0; i < s->ntrials; i++)
		if (!passes(s, g, &s->t[i]) && (!*upper || s->t[i].rate < *upper))
			*upper = s->t[i].rate;
	for (int i = 0; i < s->ntrials; i++)
		if (passes(s, g, &s->t[i]) && (!*upper || s->t[i].rate < *upper) &&
		    s->t[i].rate > *lower)
			*lower = s->t[i].rate;
}

static bool narrow(const struct xl_search *s, double lower, double upper)
{
	return !upper || (lower > 0 && upper / lower - 1 <= s->precision + 1e-12);
}

bool xl_search_result(const struct xl_search *s, enum xl_goal g, double *lower, double *upper)
{
	bounds(s, g, lower, upper);
	return narrow(s, *lower, *upper);
}

bool xl_search_next(struct xl_search *s, double *rate)
{
	if (!s->ntrials) {
		*rate = s->max_pps;
		return true;
	}
	if (s->ntrials >= s->max_trials)
		return false;
	for (int g = 0; g < XL_NR_GOALS; g++) {
		double lower, upper;

		if (s->done[g])
			continue;
		bounds(s, g, &lower, &upper);
		if (!upper) {
			s->done[g] = true; /* kept up at the maximum rate */
			continue;
		}
		if (narrow(s, lower, upper)) {
			if (s->confirming[g] < s->repeats) {
				*rate = lower;
				return true;
			}
			s->done[g] = true;
			continue;
		}
		if (!lower) {
			/* Nothing passed yet: the first estimate, then downwards to min_pps. */
			double r = s->estimate > 0 && s->estimate < upper ? s->estimate * 0.99
									  : upper / 2;

			if (upper <= s->min_pps) {
				s->done[g] = true; /* even the minimum fails */
				continue;
			}
			*rate = r < s->min_pps ? s->min_pps : r;
			return true;
		}
		*rate = sqrt(lower * upper);
		return true;
	}
	return false;
}

void xl_search_report(struct xl_search *s, double rate, double loss_pct, double forwarded_pps)
{
	if (s->ntrials >= XL_SEARCH_MAX_TRIALS)
		return;
	if (!s->ntrials)
		s->estimate = forwarded_pps;
	s->t[s->ntrials++] = (struct xl_search_trial){ rate, loss_pct };
	for (int g = 0; g < XL_NR_GOALS; g++) {
		double lower, upper;

		bounds(s, g, &lower, &upper);
		/* Confirmations count for one lower bound: a new bound starts again at 0. */
		if (lower != s->confirm_rate[g]) {
			s->confirm_rate[g] = lower;
			s->confirming[g] = 0;
		} else if (rate == lower && passes(s, g, &s->t[s->ntrials - 1])) {
			s->confirming[g]++;
		}
		/* A goal is reopened when a later trial moved its bounds apart again. */
		if (!narrow(s, lower, upper) || s->confirming[g] < s->repeats)
			s->done[g] = false;
	}
}
