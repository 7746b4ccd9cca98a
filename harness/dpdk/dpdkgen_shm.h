/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dpdkgen_shm.h - the only thing xdplab and its DPDK generator process
 * (xdplab-dpdkgen, dpdkgen_main.c) share: one page-aligned block in a file
 * under /run/xdplab that both map.  xdplab writes the frame and rate settings
 * before starting the process and then only the start/stop/exit sequence
 * numbers; the generator writes its state, an error line, and one exact sent
 * counter per sending lcore, each on its own cache line so that the lcores
 * never share a line and xdplab can read the counters at any moment.
 *
 * Runs: xdplab increments start_seq; the generator begins a run, sets run_seq
 * = start_seq, and sends until stop_seq == start_seq, its quota is reached or
 * it is told to exit; then it sets done_seq = start_seq.  Counters are never
 * reset, so they are monotonic across runs.
 */
#ifndef XL_DPDK_GEN_SHM_H
#define XL_DPDK_GEN_SHM_H

#include <stdatomic.h>
#include <stdint.h>
#include "gen/gen.h"
#include "gen/pkt.h"
#include "xdplab.h"

#define XL_DG_MAGIC 0x58444731u /* "XDG1" */
#define XL_DG_VERSION 4
/* Destination and source addresses a run may cycle through (routing, load balancer). */
#define XL_DG_MAX_ADDRS 4096

enum xl_dg_state {
	XL_DG_INIT = 0, /* EAL not up yet */
	XL_DG_READY = 1, /* port started, waiting for a run */
	XL_DG_RUNNING = 2,
	XL_DG_FAILED = 3, /* see error[]; the process exits */
	XL_DG_EXITED = 4,
};

struct xl_dg_thread {
	_Atomic uint64_t sent; /* frames accepted by rte_eth_tx_burst, written by one lcore */
	_Atomic uint32_t finished_seq; /* run this lcore finished */
	uint32_t pad;
	/*
	 * CLOCK_MONOTONIC of this run's first and last accepted burst (0 = none
	 * yet), read once the run is done: a counted run's rate is its frames over
	 * this span, not over the snapshots that bracket start-up and drain.
	 */
	_Atomic uint64_t first_ns, last_ns;
} __attribute__((aligned(64)));

struct xl_dg_shm {
	uint32_t magic;
	uint32_t version;
	/* Settings, written by xdplab before the process starts. */
	struct xl_pkt_spec pkt;
	double rate_pps; /* total over all lcores; 0 = maximum */
	uint64_t count; /* frames per run in total; 0 = until stopped */
	uint32_t nthreads;
	uint32_t stamp_time; /* CLOCK_MONOTONIC (= bpf_ktime_get_ns) into each frame */
	uint32_t burst;
	uint32_t nb_mbufs;
	uint32_t naddrs, nsrcs; /* 0 = the template's address */
	uint32_t addrs[XL_DG_MAX_ADDRS], srcs[XL_DG_MAX_ADDRS]; /* network order */
	/* Control, written by xdplab. */
	_Atomic uint32_t start_seq;
	_Atomic uint32_t stop_seq;
	_Atomic uint32_t exit_req;
	/* Status, written by the generator. */
	_Atomic uint32_t state;
	_Atomic uint32_t run_seq;
	_Atomic uint32_t done_seq;
	uint64_t tsc_hz;
	char error[256];
	char port_info[128]; /* driver name of the port, for provenance */
	struct xl_dg_thread th[XL_MAX_THREADS];
	/*
	 * A capture to replay (gen/replay.h), frame after frame in turn from each
	 * lcore's sequence number, sent as they are (no stamp, no address
	 * rewriting); nframes 0 = the template.  Last: its pages are touched only
	 * when a capture is replayed.
	 */
	uint32_t nframes;
	struct xl_replay_frame frames[XL_REPLAY_MAX_FRAMES];
};

#endif
