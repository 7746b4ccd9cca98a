/* SPDX-License-Identifier: GPL-2.0 */
/*
 * system.h - a system set up on the device under test for one trial, and
 * the small interface through which system kinds plug in.  A kind (xdp, stack,
 * none here; testpmd in the DPDK plug-in) registers itself at start-up with
 * xl_kind_register(); an instance gets only what it needs: its catalog entry,
 * its mode, the testbed, and the value of its kind's [run] key if it has one.
 * Every change a kind makes is recorded in the cleanup registry (undo.h), so
 * teardown, a signal or the next run after a SIGKILL can undo it.
 */
#ifndef XL_SYSTEM_H
#define XL_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "catalog.h"
#include "undo.h"
#include "testbed/testbed.h"

struct xl_system;
struct xl_lb_plan;

struct xl_kind_ops {
	const char *name;
	const char *what;
	unsigned int modes; /* modes entries of this kind may allow */
	/* Setting keys the kind accepts; "prefix.*" accepts any key with that prefix. */
	const char *const *keys;
	/* A [run] key the kind reads (e.g. "dpdk_opts"); its value reaches s->run_opts. */
	const char *run_key;
	/* At config time: can this entry run with these [run] options?  xl_fail on error. */
	int (*check)(const struct xl_sys_entry *e, const char *run_opts);
	int (*setup)(struct xl_system *s);
	/* Monotonic count of frames the DUT received (not frames forwarded). */
	int (*read)(struct xl_system *s, uint64_t *dut_pkts);
	void (*teardown)(struct xl_system *s);
	/* Processes doing the DUT's work beyond the NAPI threads (testpmd); may be NULL. */
	int (*task_pids)(struct xl_system *s, pid_t *pids, int max);
	/* Provenance for context.json once running (e.g. the DPDK PMD); may be NULL. */
	const char *(*describe)(struct xl_system *s);
};

struct xl_system {
	const struct xl_sys_entry *e;
	enum xl_sys_mode mode;
	struct xl_testbed *tb;
	const char *run_opts;
	const struct xl_lb_plan *lb; /* the experiment's load-balancer plan (setting lb), or NULL */
	struct xl_xdp *xdp; /* kind xdp: the program on dut-in */
	void *priv; /* kind-owned state */
	struct xl_undo_set undo; /* registry entries made during set-up, undone in reverse */
	bool set_up; /* setup succeeded: teardown is owed */
};

void xl_kind_register(const struct xl_kind_ops *ops);
const struct xl_kind_ops *xl_kind_find(const char *name);
/* True if a registered kind reads [run] key `key`. */
bool xl_kind_claims_run_key(const char *key);
/* Does key match one of a kind's patterns? */
bool xl_kind_accepts(const struct xl_kind_ops *ops, const char *key);

int xl_system_setup(struct xl_system *s);
int xl_system_read(struct xl_system *s, uint64_t *dut_pkts);
void xl_system_teardown(struct xl_system *s);

/* For kinds: remember a registry entry (id > 0) so teardown undoes it. */
void xl_system_keep(struct xl_system *s, int undo_id);
/* For kinds: undo everything kept, newest first. */
void xl_system_undo(struct xl_system *s);
/* For kinds: veth gives dut-in a NAPI instance only with native XDP or GRO; turn GRO on if needed. */
int xl_system_rx_path(struct xl_system *s);
/* For kinds: frames the DUT port passed up (rx_packets of dut-in). */
int xl_system_link_rx(struct xl_system *s, uint64_t *pkts);

/* Register a kind (or a shipped systems file) when the program starts. */
#define XL_CONSTRUCTOR(fn) static void __attribute__((constructor)) fn(void)

#endif
