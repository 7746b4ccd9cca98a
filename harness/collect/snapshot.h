/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snapshot.h - the counters of one trial read at the two edges of its
 * measured interval (generator, DUT, sink, DUT RX-ring drops, CPU accounting,
 * the DUT threads' exact run time), each next to a monotonic timestamp, and
 * the results row computed from two of them.
 */
#ifndef XL_SNAPSHOT_H
#define XL_SNAPSHOT_H

#include <stdint.h>
#include <sys/types.h>
#include "cpustat.h"
#include "core/faults.h"
#include "core/trial.h"
#include "gen/gen.h"
#include "xdplab.h"

#define XL_MAX_TASKS (2 * XL_MAX_CORES + 4)

struct xl_snap {
	uint64_t t_ns, gen, dut, sink;
	unsigned int copies; /* the generator's copies per frame (gen.h), 0 without one */
	uint64_t rx_dropped; /* dut-in's RX ring drops */
	uint64_t sink_dropped; /* the sink port's RX ring drops */
	int ntasks;
	pid_t tasks[XL_MAX_TASKS];
	uint64_t task_ns[XL_MAX_TASKS];
	struct xl_cpu_sample dut_cpu, gen_cpu;
	/* The DUT program's verdicts: its own xl_stats, else the driver's counters. */
	bool has_act;
	const char *act_from; /* "xl_stats" | "driver" */
	uint64_t act[XL_NR_ACTIONS];
	struct xl_links links; /* the ports' links, read after the counters (faults.h) */
};

int xl_snap_take(struct xl_gen *g, struct xl_system *sys, struct xl_xdp *sink,
		 const struct xl_testbed *tb, struct xl_snap *s);
/* The results row of the interval a..b, judged (validity.h) from its counters. */
void xl_snap_row(const struct xl_trial *m, const struct xl_snap *a, const struct xl_snap *b,
		 struct xl_row_store *st);
/* Judge a row again after a caller changed what it knows (latency trials: span, completion). */
void xl_row_judge(const struct xl_trial *m, struct xl_row_store *st, bool gen_unfinished);
/* Judge an rr trial that ran no flood: it stands on its transactions alone. */
void xl_row_judge_rr(const struct xl_trial *m, struct xl_row_store *st, uint64_t transactions);

#endif
