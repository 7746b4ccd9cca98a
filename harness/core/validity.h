/* SPDX-License-Identifier: GPL-2.0 */
/*
 * validity.h - what a trial's numbers are worth.  A trial is
 *   valid      the instrument did what was asked and the DUT kept up;
 *   saturated  the instrument did what was asked and the DUT could not keep
 *              up: its capacity was measured (a result, used like a valid one);
 *   invalid    the instrument failed; the one-word reason says how.  Faults
 *   seen during the trial come first (faults.h; they say nothing about counts):
 *     netns-gone   a namespace of the testbed vanished (the run stops, exit 12)
 *     port-gone    a port of the testbed vanished (the run stops, exit 12)
 *     link-down    a testbed link went down (or flapped) in the measured interval
 *     gen-died     a generator thread or process stopped before it was told to
 *     sink-stall   the sink stopped counting while the DUT still took frames
 *   then the counts:
 *     counter      a counter went backwards
 *     gen-error    the generator reported an error
 *     gen-idle     the generator sent nothing
 *     gen-short    it offered less than the target (beyond the tolerance)
 *     gen-over     it offered more than the target (beyond the tolerance)
 *     gen-late     a count-limited run did not finish its frames in time
 *     steal        hypervisor steal on the DUT cores above the bound
 *     no-rx        the DUT received nothing (the path to it is broken)
 *     no-delivery  a forwarding system delivered nothing at the sink
 *     sink-drop    the sink's port dropped what the DUT delivered
 * Invalid trials are written and counted, never averaged in.
 */
#ifndef XL_VALIDITY_H
#define XL_VALIDITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xl_status {
	XL_ST_VALID,
	XL_ST_SATURATED,
	XL_ST_INVALID,
};

/* The bounds a verdict uses, from the config ([run] keys of the same names). */
struct xl_bounds {
	double rate_tolerance_pct; /* generator vs target */
	double steal_max_pct; /* DUT cores */
	double saturation_loss_pct; /* DUT-side loss above this: saturated */
	double sink_drop_max_pct; /* sink port drops, of what it received */
};

struct xl_trial_counts {
	double target_pps; /* 0 = maximum */
	double offered_pps;
	double steal_pct;
	uint64_t gen, dut, sink; /* deltas over the interval */
	uint64_t sink_drops; /* frames the sink's port dropped (its RX ring was full) */
	bool has_sink;
	bool backwards; /* some counter decreased between the two snapshots */
	bool gen_error, gen_unfinished;
	/* A fault seen during the trial (faults.h): its one-word reason and sentence, or NULL. */
	const char *fault, *fault_detail;
};

struct xl_verdict {
	enum xl_status status;
	const char *reason; /* one word; "" unless invalid */
	char detail[128]; /* a sentence for people; "" when valid */
};

void xl_judge(const struct xl_bounds *b, const struct xl_trial_counts *c, struct xl_verdict *v);
const char *xl_status_name(enum xl_status s);

#endif
