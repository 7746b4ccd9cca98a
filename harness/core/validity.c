// SPDX-License-Identifier: GPL-2.0
/* validity.c - the verdict on one trial (validity.h), checks in order of precedence. */
#include <math.h>
#include <stdio.h>
#include "validity.h"

const char *xl_status_name(enum xl_status s)
{
	switch (s) {
	case XL_ST_VALID: return "valid";
	case XL_ST_SATURATED: return "saturated";
	case XL_ST_INVALID: return "invalid";
	}
	return "?";
}

#define INVALID(r, ...)                                              \
	do {                                                         \
		v->status = XL_ST_INVALID;                           \
		v->reason = (r);                                     \
		snprintf(v->detail, sizeof(v->detail), __VA_ARGS__); \
		return;                                              \
	} while (0)

void xl_judge(const struct xl_bounds *b, const struct xl_trial_counts *c, struct xl_verdict *v)
{
	double tol = c->target_pps * b->rate_tolerance_pct / 100;
	uint64_t final = c->has_sink ? c->sink : c->dut;
	double loss_pct;

	v->status = XL_ST_VALID;
	v->reason = "";
	v->detail[0] = 0;
	/* A fault in the testbed or the instrument: the counts cannot be trusted. */
	if (c->fault)
		INVALID(c->fault, "%s", c->fault_detail ? c->fault_detail : "");
	/* The instrument first: any of these makes the numbers meaningless. */
	if (c->backwards)
		INVALID("counter", "a counter went backwards between the two snapshots");
	if (c->gen_error)
		INVALID("gen-error", "the generator reported an error");
	if (!c->gen)
		INVALID("gen-idle", "the generator sent nothing");
	/*
	 * Short of a target only matters while the system kept up.  A saturated system
	 * was offered more than it took either way, and on veth the sender pays for the
	 * frames a full ring rejects, so the generator falls short exactly then
	 * (measured: 2-30% at 1-4 Mpps); offered_pps says by how much.
	 */
	loss_pct = c->gen ? 100.0 * ((double)c->gen - (double) final) / c->gen : 0;
	if (c->target_pps > 0 && c->offered_pps < c->target_pps - tol &&
	    loss_pct <= b->saturation_loss_pct)
		INVALID("gen-short", "generator offered %.0f of %.0f pps (tolerance %g%%)",
			c->offered_pps, c->target_pps, b->rate_tolerance_pct);
	if (c->target_pps > 0 && c->offered_pps > c->target_pps + tol)
		INVALID("gen-over",
			"generator offered %.0f pps for a target of %.0f (tolerance %g%%)",
			c->offered_pps, c->target_pps, b->rate_tolerance_pct);
	if (c->gen_unfinished)
		INVALID("gen-late", "the generator did not finish its frames in time");
	if (!isnan(c->steal_pct) && c->steal_pct > b->steal_max_pct)
		INVALID("steal", "hypervisor steal %.1f%% on the DUT cores (bound %g%%)",
			c->steal_pct, b->steal_max_pct);
	if (!c->dut)
		INVALID("no-rx", "the DUT received nothing");
	if (c->has_sink && !c->sink)
		INVALID("no-delivery", "nothing delivered at the sink");
	if (c->has_sink && c->sink_drops > c->sink * b->sink_drop_max_pct / 100)
		INVALID("sink-drop", "the sink's port dropped %llu frames it was delivered",
			(unsigned long long)c->sink_drops);
	/* Then the system: frames it did not get through are its limit, a result. */
	if (loss_pct > b->saturation_loss_pct) {
		v->status = XL_ST_SATURATED;
		if (c->target_pps > 0 && c->offered_pps < c->target_pps - tol)
			snprintf(v->detail, sizeof(v->detail),
				 "the DUT kept %.2f%% of what was offered: its capacity was "
				 "measured; the generator offered %.0f of %.0f pps",
				 100 - loss_pct, c->offered_pps, c->target_pps);
		else
			snprintf(
				v->detail, sizeof(v->detail),
				"the DUT kept %.2f%% of what was offered: its capacity was measured",
				100 - loss_pct);
	}
}
