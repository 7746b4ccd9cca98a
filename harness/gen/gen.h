/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gen.h - the traffic driver's backend interface.  A backend sends xdplab test
 * frames (pkt.h) out of one generator port from nthreads pinned threads, at
 * maximum rate or paced to rate_pps, until stopped or until count frames are
 * sent.  The runner drives every backend the same way: open, start, read the
 * monotonic sent counter at the edges of the measured interval, stop, close.
 * Backends register themselves at start-up (xl_gen_register): "livefr"
 * (in-kernel BPF_PROG_RUN live frames, livefr.c) always, others from plug-ins
 * (the DPDK plug-in's "dpdk", harness/dpdk/gen_dpdk.c, and "pktgen", a
 * user-installed pktgen-dpdk, harness/dpdk/gen_pktgen.c).
 */
#ifndef XL_GEN_H
#define XL_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pkt.h"
#include "replay.h"

#define XL_MAX_THREADS 64

struct xl_gen_cfg {
	const char *ns; /* namespace of the generator port, NULL = current */
	const char *ifname;
	struct xl_pkt_spec pkt;
	double rate_pps; /* total target over all threads; 0 = as fast as possible */
	uint64_t count; /* stop after this many frames in total; 0 = until stopped */
	int nthreads;
	int cpus[XL_MAX_THREADS]; /* CPU of each thread */
	bool stamp_time; /* latency trials only: stamp bpf_ktime_get_ns() into each frame */
	const struct xl_frames *frames; /* replay these in turn (replay.h); NULL = pkt's frame */
	const uint32_t *dst_addrs; /* IPv4 destinations (network order), one per frame in turn */
	unsigned int naddrs; /* 0 = pkt's dst_ip only */
	const uint32_t *src_addrs; /* IPv4 sources (network order), one per frame in turn (UDP) */
	unsigned int nsrcs; /* 0 = pkt's src_ip only */
	const char *backend_opts; /* backend-specific "key=value,..." (e.g. DPDK vdev) */
	/*
	 * Each frame the backend sends reaches the DUT this many times (the veth
	 * testbed's relay copies it, testbed/relay.h); 0 or 1 = once.  rate_pps
	 * and count are what the DUT is offered: xl_gen_open() hands the backend
	 * rate_pps / copies and count / copies (rounded up), xl_gen_sent()
	 * multiplies its counter back.
	 */
	unsigned int copies;
	bool relayed; /* the frames go through that relay (it may copy them) */
	/*
	 * Test hook (harness/core/faults.h, XDPLAB_FAULT=gen-exit@T): thread 0 fails
	 * this many seconds after start, as if its send call had failed; 0 = never.
	 */
	double fault_exit_s;
};

struct xl_gen;

/* What a generator on another host reads there with its sent counter (two-host mode). */
struct xl_gen_far {
	bool has_sink; /* the sink is on that host too */
	uint64_t sink, sink_dropped;
	bool has_cpu; /* that host's generator CPUs, /proc/stat ticks */
	uint64_t cpu_busy, cpu_total, cpu_steal;
};

struct xl_gen_ops {
	const char *name;
	const char *what;
	/*
	 * Optional: whether the backend, with these options, owns the generator
	 * port's XDP hook or takes every frame arriving there (a PMD over AF_XDP
	 * or the NIC), so that no sink can sit there.  NULL: it never does.
	 */
	bool (*owns_port)(const char *backend_opts);
	/* The backend sends a capture's frames (cfg.frames, gen/replay.h). */
	bool replays;
	/*
	 * Optional: a [run] key the backend needs (e.g. "pktgen" = the program's
	 * path).  The config requires it with this backend and hands it on as the
	 * first backend option, "KEY=VALUE,<backend_opts>".
	 */
	const char *run_key;
	/* Optional: check the backend options at config time; -1 with a one-line reason in err. */
	int (*check)(const char *backend_opts, char *err, size_t errlen);
	int (*open)(struct xl_gen *g);
	int (*start)(struct xl_gen *g);
	/* Frames handed to the port so far (monotonic, exact at the moment of reading). */
	int (*sent)(struct xl_gen *g, uint64_t *frames);
	/* True once a count-limited run has sent everything. */
	bool (*done)(struct xl_gen *g);
	/* Optional: seconds from the first frame's send to the last one's (count-limited runs). */
	double (*active_span)(struct xl_gen *g);
	/* Optional: the far host's counters read with the last sent() (remote backend). */
	int (*far)(struct xl_gen *g, struct xl_gen_far *far);
	/*
	 * Optional: true once a thread or process stopped on its own before it was
	 * told to or had sent its count (it failed or was killed); why says which.
	 */
	bool (*lost)(struct xl_gen *g, char *why, size_t len);
	void (*stop)(struct xl_gen *g);
	void (*close)(struct xl_gen *g);
	/*
	 * Optional: what an open generator runs, for context.json's
	 * generator_details (e.g. pktgen-dpdk's version, the PMD's driver).
	 */
	const char *(*describe)(struct xl_gen *g);
	/* Optional: can this kernel/build run the backend at all?  0, or -errno and why. */
	int (*probe)(char *why, size_t len);
};

struct xl_gen {
	const struct xl_gen_ops *ops;
	/* The backend's view: rate and count per copy, copies >= 1. */
	struct xl_gen_cfg cfg;
	void *priv;
};

void xl_gen_register(const struct xl_gen_ops *ops);
const struct xl_gen_ops *xl_gen_find(const char *name);
/* True if a registered backend reads this [run] key. */
bool xl_gen_claims_run_key(const char *key);
/* Whether backend o with these options leaves no room for a sink on its port (owns_port). */
bool xl_gen_owns_port(const struct xl_gen_ops *o, const char *backend_opts);
/* Open a backend by name; NULL with an xl_fail() message on error. */
struct xl_gen *xl_gen_open(const char *backend, const struct xl_gen_cfg *cfg);
void xl_gen_close(struct xl_gen *g);
/* The backend's lost() (false when it has none). */
bool xl_gen_lost(struct xl_gen *g, char *why, size_t len);
/* Frames offered to the DUT so far: the backend's sent counter times cfg.copies. */
int xl_gen_sent(struct xl_gen *g, uint64_t *frames);
/* Print the names of the built-in backends, comma separated. */
void xl_gen_list(char *buf, size_t len);
/*
 * The backend a name stands for.  "auto" (the default) is the first usable of
 * livefr and dpdk: some kernels refuse BPF_PROG_RUN's live-frames mode, and
 * then the DPDK generator sends instead.  why (if not NULL) says what was
 * passed over.  NULL: none is usable here (why says why).
 */
const char *xl_gen_resolve(const char *name, char *why, size_t len);
/* Can the named backend run here?  0, or -errno with why (-ENOENT: not in this build). */
int xl_gen_probe(const char *name, char *why, size_t len);
#define XL_GEN_AUTO "auto"

#endif
