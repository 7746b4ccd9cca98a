/* SPDX-License-Identifier: GPL-2.0 */
/*
 * systems.h - the systems an experiment compares, as table entries.  A system
 * is what runs on the device under test: an XDP program in some mode, the
 * Linux stack with some iptables rules or forwarding, or (with DPDK) testpmd.
 * Most systems are pure data (program, rules, sysctls) interpreted by the
 * generic set-up in systems.c; a system with its own life cycle (testpmd)
 * supplies setup/read/teardown hooks.  The runner owns everything else:
 * generator, sink, CPU sampling, NAPI pinning, trials and results.
 */
#ifndef XL_SYSTEMS_H
#define XL_SYSTEMS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "testbed.h"
#include "xdp_attach.h"

/*
 * Where forwarded frames are counted: nowhere (drop), back at the generator port
 * (TX), at the sink port, or on dut-in itself (the "no DUT" latency baseline).
 */
enum xl_sink_at {
	XL_SINK_NONE,
	XL_SINK_GEN,
	XL_SINK_OUT,
	XL_SINK_IN
};

/* Modes a system can run in (bit mask); the mode is recorded in results.csv. */
enum xl_sys_mode {
	XL_SM_NATIVE = 1 << 0, /* XDP in the driver */
	XL_SM_GENERIC = 1 << 1, /* XDP on the skb path */
	XL_SM_STACK = 1 << 2, /* Linux network stack, no XDP */
	XL_SM_DPDK = 1 << 3, /* DPDK PMD in user space */
	XL_SM_NONE = 1 << 4, /* no system: the sink sits on dut-in (latency floor) */
};
#define XL_SM_COUNT 5

struct xl_system;

struct xl_system_def {
	const char *name;
	const char *what;
	unsigned int modes; /* allowed XL_SM_* */
	enum xl_sink_at sink;
	/* Generic set-up, all optional: */
	const char *xdp_prog; /* built-in program attached to dut-in in the XDP mode */
	bool xdp_redirect_out; /* program redirects to dut-out */
	const char *const
		*nft_rules; /* iptables argv lines (NULL-separated, "" ends) in the DUT ns */
	bool ip_forward; /* net.ipv4.ip_forward=1 in the DUT namespace */
	bool gro_in; /* GRO on dut-in: veth needs it to receive xdp_xmit'd frames without native XDP */
	/* Systems with their own life cycle (testpmd) set these; the generic ones are used otherwise. */
	int (*setup)(struct xl_system *s);
	/* Monotonic count of frames the DUT received (NOT frames forwarded). */
	int (*read)(struct xl_system *s, uint64_t *dut_pkts);
	void (*teardown)(struct xl_system *s);
	/* Processes doing the DUT's work beyond the NAPI threads (testpmd); may be NULL. */
	int (*task_pids)(struct xl_system *s, pid_t *pids, int max);
	/* Per-system provenance for context.json (e.g. the DPDK PMD), may be NULL. */
	const char *(*describe)(struct xl_system *s);
};

struct xl_system {
	const struct xl_system_def *def;
	enum xl_sys_mode mode;
	struct xl_testbed *tb;
	struct xl_xdp *xdp; /* generic: the program on dut-in */
	bool rules_applied, forward_set, gro_set;
	bool set_up; /* xl_system_setup() succeeded: teardown is owed */
	void *priv; /* hook-owned state */
};

/* "name" or "name:mode"; the mode defaults to the first one the system allows. */
int xl_system_parse(const char *spec, const struct xl_system_def **def, enum xl_sys_mode *mode);
const char *xl_sys_mode_name(enum xl_sys_mode m);
int xl_system_setup(struct xl_system *s);
int xl_system_read(struct xl_system *s, uint64_t *dut_pkts);
void xl_system_teardown(struct xl_system *s);
/* Print the table (for --help and README). */
void xl_systems_print(void *file);

extern const struct xl_system_def xl_base_systems[];
#ifdef XL_HAVE_DPDK
/* DPDK systems (dpdk_systems.c), terminated by an entry with name NULL. */
extern const struct xl_system_def xl_dpdk_systems[];
#endif

#endif
