/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trial.h - one measurement: a system at one rate, one trial.  A throughput
 * trial sets the system and its sink up, runs the generator through a
 * warm-up and the measured interval and computes one results row; a latency
 * trial sends an exact number of timestamped frames and also writes the
 * latency summary and histogram.  Everything set up is torn down on every path.
 * The runner fills one struct xl_trial per measurement with exactly what it
 * needs; nothing here reads the config.
 */
#ifndef XL_TRIAL_H
#define XL_TRIAL_H

#include <stdbool.h>
#include "progress.h"
#include "gen/pkt.h"
#include "results.h"
#include "validity.h"
#include "systems/system.h"
#include "gen/replay.h"
#include "testbed/testbed.h"

struct xl_lb_plan;

struct xl_trial {
	struct xl_results *res;
	struct xl_testbed *tb;
	struct xl_progress *prog;
	const char *exp_name;
	const struct xl_sys_entry *sys;
	enum xl_sys_mode mode;
	const char *run_opts; /* the [run] value the system's kind reads, or NULL */
	const char *backend, *backend_opts; /* generator */
	double rate; /* pps, 0 = maximum */
	unsigned int copies; /* relay copies per generated frame; 0 = by rate (testbed/relay.h) */
	const struct xl_bounds *bounds; /* what makes a trial valid, saturated or invalid */
	int trial, trials;
	unsigned int frame_size, flows, dst_port; /* dst_port 0: the default, 9 */
	enum xl_proto proto;
	/* Replay: these frames instead of the generated one (frame_size, flows: their mean, n). */
	struct xl_frames *frames;
	bool keep_macs; /* replay: the file's MAC addresses, not the testbed's */
	const uint32_t *dst_addrs; /* destinations in turn (fixtures.h), network order */
	unsigned int naddrs;
	const uint32_t *src_addrs; /* sources in turn (fixtures.h), network order */
	unsigned int nsrcs;
	/* kind = rr: a TCP request/response workload runs beside the flood (apps/tcp_rr.h),
	 * the flood is aimed at the DUT's own address, and rate 0 means no flood. */
	bool rr;
	const struct xl_lb_plan *lb; /* the experiment's load-balancer plan, or NULL */
	double warmup_s, duration_s;
	bool keep_awake; /* latency: keep the DUT cores out of idle (testbed/awake.h) */
	long sink_poll_ns; /* latency: the sink's port polled by a local timer this often */
	bool program_row; /* write the XDP program's metrics to programs.csv */
	bool profile; /* profile the DUT cores over the measured interval (profile.csv) */
};

/* A measured row and the text its strings point to. */
struct xl_row_store {
	struct xl_trial_row row;
	char detail[128];
	bool backwards; /* a counter decreased between the snapshots */
	const char *fault; /* a fault seen during the trial (faults.h), or NULL */
	char fault_detail[128];
	/* Latency trials: the summary the terminal table shows. */
	bool latency;
	bool search; /* a step of an ndr search (summarised by its result) */
	double lat_min_us, lat_avg_us, lat_p99_us, lat_max_us, lat_under10;
};

/* The test frame of a trial: the testbed's MACs and addresses, m's size, flows, port, protocol. */
void xl_trial_pkt_spec(const struct xl_trial *m, struct xl_pkt_spec *spec);

int xl_trial_throughput(const struct xl_trial *m, struct xl_row_store *out);
/* A throughput trial with the request/response workload beside the flood (kind = rr). */
int xl_trial_rr(const struct xl_trial *m, struct xl_row_store *out);
int xl_trial_latency(const struct xl_trial *m, struct xl_row_store *out);
/* Exactly rate * duration frames, drained before the second snapshot: exact loss (ndr). */
int xl_trial_counted(const struct xl_trial *m, struct xl_row_store *out);

#endif
