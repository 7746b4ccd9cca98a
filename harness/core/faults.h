/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faults.h - faults during a run, and what the run does about each.  A trial
 * whose testbed or instrument failed under it is written as invalid with the
 * fault's one-word reason (validity.h), before any count is looked at:
 *
 *   netns-gone  a namespace of the testbed vanished     -> the run stops, exit 12
 *   port-gone   a port of the testbed vanished          -> the run stops, exit 12
 *   link-down   a port's link went down or flapped in
 *               the measured interval                   -> next trial, link re-checked
 *   gen-died    a generator thread or process stopped   -> next trial (a new generator);
 *                                                           twice in a row: stop, exit 12
 *   sink-stall  the sink stopped counting while the DUT
 *               still took frames                       -> next trial (a new sink)
 *
 * Before every trial the testbed is checked: namespaces and ports present,
 * links up.  A link of xdplab's own veth testbed that is down is set up again
 * (xdplab owns it); on an existing testbed xdplab waits a few seconds for it.
 * A testbed that stays broken stops the run with exit 12 (fault), and the
 * completed trials are kept ("status": "stopped-by-fault" in context.json).
 *
 * Faults are detected from outside the measured path: link state and
 * namespaces are read at the snapshots (after their counters), the sink and
 * DUT counters by the trial's progress loop every 0.5 s, the generator's
 * threads or process when the interval ends.  The one fault a test cannot
 * cause from outside, a generator thread of the live-frames backend dying, has
 * a test hook read once from the environment: XDPLAB_FAULT=gen-exit@T makes
 * thread 0 fail in the middle of the measured interval of every trial numbered
 * T.  Nothing else reads it.
 */
#ifndef XL_FAULTS_H
#define XL_FAULTS_H

#include <stdbool.h>
#include <stdint.h>
#include "gen/gen.h"
#include "systems/system.h"
#include "testbed/testbed.h"

struct xl_trial;
struct xl_row_store;
struct xl_snap;

/* The links of the testbed's ports at one snapshot. */
struct xl_links {
	unsigned int changes; /* carrier changes, summed over the ports */
	int down; /* a role whose port is not up (set down by someone first), or -1 */
	bool admin_down; /* that port was set down (else: it lost its carrier) */
	int gone; /* a role whose port (or its namespace) is gone, or -1 */
};

void xl_fault_links_read(const struct xl_testbed *tb, struct xl_links *l);

/*
 * The testbed is whole (every namespace and port there) and every link up,
 * after bringing xdplab's own links up again or waiting for an existing
 * testbed's.  0, or -1 with an exit-12 message naming the port and the fix.
 */
int xl_fault_check_testbed(const struct xl_testbed *tb);

/* The sink watched through the measured interval (zero-initialised before it). */
struct xl_fault_mon {
	bool started, moved, stalled;
	uint64_t t_move, sink, dut_at_move;
	double stall_s;
	uint64_t stall_dut;
};

/* One look at the sink and the DUT (the progress loop's 0.5 s cadence). */
void xl_fault_mon_sample(struct xl_fault_mon *fm, struct xl_system *sys, struct xl_xdp *sink);

/*
 * Before the second snapshot: when the testbed has lost a namespace or port,
 * the row of the interval so far is written invalid into st and true returned
 * (the counters may be unreadable; the next check stops the run).
 */
bool xl_fault_lost_row(const struct xl_trial *m, const struct xl_snap *a, struct xl_row_store *st);

/* After the second snapshot: the first fault of the trial, if any, into st (judged after). */
void xl_fault_note(const struct xl_trial *m, struct xl_gen *g, const struct xl_fault_mon *fm,
		   const struct xl_snap *a, const struct xl_snap *b, struct xl_row_store *st);

/* Test hook: seconds after start at which generator thread 0 fails in trial m, 0 = never. */
double xl_fault_gen_exit_s(const struct xl_trial *m);

#endif
