/* SPDX-License-Identifier: GPL-2.0 */
/*
 * testbed.h - the topology an experiment runs on, as roles mapped to ports:
 *
 *   [ns gen] gen0 ==veth== dut-in [ns dut] dut-out ==veth== sink0 [ns sink]
 *
 * For a veth testbed xdplab creates everything with a per-run prefix
 * ("xl<pid>") and records each namespace in the cleanup registry (undo.h), so
 * that a normal exit, a signal or, after a SIGKILL, the next run removes it.
 * An "existing" testbed (real NICs, or interfaces the user made) names the four
 * ports in the config; xdplab then only reads their addresses and never
 * creates or deletes them.  NAPI threads, GRO and their undo are in napi.c.
 */
#ifndef XL_TESTBED_H
#define XL_TESTBED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <net/if.h>
#include <netinet/in.h>
#include "undo.h"

enum xl_role {
	XL_ROLE_GEN,
	XL_ROLE_DUT_IN,
	XL_ROLE_DUT_OUT,
	XL_ROLE_SINK,
	XL_NR_ROLES
};

#define XL_MAX_CORES 32
#define XL_TB_NAMESPACES 3
/* Prefix of the testbed `xdplab testbed up` leaves in place for manual work. */
#define XL_MANUAL_PREFIX "xlt"

struct xl_xdp;

struct xl_port {
	char ns[48]; /* empty = the root namespace */
	char ifname[IF_NAMESIZE];
	uint8_t mac[6];
	struct in_addr ip;
};

struct xl_testbed {
	bool create; /* veth: xdplab owns the topology */
	char prefix[24];
	struct xl_port port[XL_NR_ROLES];
	int cores; /* DUT cores = DUT RX queues = generator threads */
	int gen_cpus[XL_MAX_CORES];
	int dut_cpus[XL_MAX_CORES];
	bool up;
	int lock_fd;
	int ns_undo[XL_TB_NAMESPACES]; /* registry entries of the namespaces made */
	int ifindex[XL_NR_ROLES]; /* of each port inside its namespace, once up */
	/* The port the generator sends on when it is not the generator port (relay.h). */
	char gen_tx[IF_NAMESIZE];
	struct xl_xdp *relay; /* the relay's program, when there is one */
	/*
	 * The generator's ceilings through the relay with one copy and with the most
	 * copies (relay.h), frames at the DUT per second; 0 = not measured.
	 */
	double relay_one_pps, relay_max_pps;
};

const char *xl_role_name(enum xl_role r);
/* Namespace of a role's port, NULL for the root namespace. */
const char *xl_port_ns(const struct xl_testbed *tb, enum xl_role r);

/* Defaults for a veth testbed of `cores` DUT cores with the given prefix. */
void xl_testbed_init_veth(struct xl_testbed *tb, int cores, const char *prefix);
/* Check that 2*cores CPUs exist and the configured ones are distinct/online. */
int xl_testbed_check_cpus(const struct xl_testbed *tb);
/* An existing port "[NAMESPACE:]IFNAME" for role r (must exist; MAC read from it). */
int xl_testbed_existing_port(struct xl_testbed *tb, enum xl_role r, const char *spec);
int xl_testbed_up(struct xl_testbed *tb);
void xl_testbed_down(struct xl_testbed *tb);

/*
 * Generic receive offload on a port, recorded for undo (veth needs it to receive
 * redirected frames without native XDP).  Returns the registry id (> 0), 0 when
 * nothing had to change, or -errno.
 */
int xl_testbed_gro(const struct xl_testbed *tb, enum xl_role r, bool on);
/*
 * Threaded NAPI on a port, kthreads pinned to cpus (one per RX queue); rt_prio > 0
 * also makes them SCHED_FIFO.  Each change is recorded for undo and kept in
 * `keep` (NULL: undone at exit).  Returns the number of threads pinned.
 */
int xl_testbed_pin_napi(const struct xl_testbed *tb, enum xl_role r, const int *cpus, int n,
			int rt_prio, struct xl_undo_set *keep);
/*
 * Poll a port's NAPI from a timer on its own CPU instead of being woken by the
 * sender: napi_defer_hard_irqs and gro_flush_timeout = poll_ns (0 restores
 * nothing and changes nothing).  A cross-CPU wake-up costs 15-50 us on a VM
 * (an IPI to another vCPU); a local timer costs a few.  Recorded for undo in keep.
 */
int xl_testbed_napi_poll(const struct xl_testbed *tb, enum xl_role r, long poll_ns,
			 struct xl_undo_set *keep);
/* The NAPI kthreads of a port (threaded NAPI), in queue order; returns how many. */
int xl_testbed_napi_pids(const struct xl_testbed *tb, enum xl_role r, pid_t *pids, int max);

#endif
