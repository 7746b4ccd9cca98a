/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dpdk_env.h - what every DPDK process xdplab starts needs, shared by the DPDK
 * generator backend (gen_dpdk.c) and the testpmd systems (dpdk_systems.c):
 * the "key=value,..." options that choose how DPDK reaches a port (af_xdp or
 * af_packet vdev on a kernel interface, or an allow-listed PCI device), 2 MB
 * hugepages reserved on demand and given back, the EAL arguments (never a PCI
 * scan unless a device is allow-listed), the child process itself (started in
 * the port's namespace under `ip netns exec`, pinned, in its own process group,
 * killed if xdplab dies), its runtime directory, and the telemetry socket
 * through which counters are read.  xdplab itself never links or initialises
 * DPDK: EAL initialises once per process and takes over lcores and signals.
 * Every user-facing failure here is one xl_fail(XL_EXIT_DPDK, ...) line, and
 * every function that acquires something has a release that undoes it fully.
 */
#ifndef XL_DPDK_ENV_H
#define XL_DPDK_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

enum xl_dpdk_port_kind {
	XL_DPDK_AF_XDP,
	XL_DPDK_AF_PACKET,
	XL_DPDK_PCI
};

#define XL_DPDK_MAX_PCI 2
#define XL_DPDK_PCI_LEN 16 /* "0000:00:00.0" */

/* Parsed backend/system options; see docs/dpdk.md for the keys. */
struct xl_dpdk_opts {
	enum xl_dpdk_port_kind kind;
	char pci[XL_DPDK_MAX_PCI][XL_DPDK_PCI_LEN]; /* kind PCI: port 0 (and 1), full DBDF */
	int npci;
	unsigned int mem_mb; /* hugepage memory, -m */
	bool huge; /* false: --no-huge (anonymous memory, nothing reserved) */
	unsigned int mbufs; /* mbufs in the pool; 0 = the program's default */
	unsigned int burst; /* frames per rte_eth_tx_burst (generator) */
	int busy_budget; /* af_xdp preferred busy polling budget; -1 = PMD default */
	char log[256]; /* where the EAL/PMD output goes; "" = private, removed at the end */
};

/* Parse "vdev=af_xdp,mem=128,..."; NULL/"" = defaults.  xl_fail(XL_EXIT_DPDK) on error. */
int xl_dpdk_opts_parse(const char *s, struct xl_dpdk_opts *o);
const char *xl_dpdk_kind_name(enum xl_dpdk_port_kind k);
/*
 * Check that the ports can be used: interfaces exist in ns (vdev kinds), or the
 * PCI devices exist and are not a kernel interface that is up (which would be
 * the machine's own NIC).  xl_fail(XL_EXIT_DPDK) on error.
 */
int xl_dpdk_check_ports(const struct xl_dpdk_opts *o, const char *ns, const char *const *ifnames,
			int nports);
/* The --vdev argument (or "" for PCI) of port i on interface ifname with nq queues. */
int xl_dpdk_vdev_arg(const struct xl_dpdk_opts *o, int i, const char *ifname, int nq, char *buf,
		     size_t len);

/*
 * Hugepages: raise /proc/sys/vm/nr_hugepages by `pages` 2 MB pages and remember
 * how many were added (in a ledger file under /run/xdplab, so a run killed with
 * -9 is repaired by the next one); release lowers it by the same amount.  Deltas
 * rather than saved values, so concurrent holders can release in any order and
 * the value from before the first reservation comes back.
 */
struct xl_huge {
	long added;
	char ledger[128];
};
int xl_huge_reserve(long pages, struct xl_huge *h);
void xl_huge_release(struct xl_huge *h);
/* Current nr_hugepages, for tests and context. */
long xl_huge_nr(void);

/* A DPDK child process. */
struct xl_dpdk_proc {
	pid_t pid;
	int stdin_fd; /* write end of the child's stdin; closing it ends testpmd */
	char prefix[64]; /* --file-prefix, unique per process */
	char log[256]; /* EAL and PMD output */
	bool own_log; /* private log: removed at the end */
	struct xl_huge huge;
};

/* Fill p with a fresh prefix ("xdplab-<what>-<pid>-<n>") and log path, nothing started. */
void xl_dpdk_proc_init(struct xl_dpdk_proc *p, const char *what, const struct xl_dpdk_opts *o);
/*
 * EAL arguments common to every xdplab DPDK process: lcore map (lcore i on
 * cpus[i]), --no-pci or -a for each allowed device, memory (in-memory hugepages
 * or --no-huge), file prefix, log levels.  Appends to argv at *argc (max slots).
 * Strings live in `store` (at least 1 KB).
 */
int xl_dpdk_eal_args(const struct xl_dpdk_proc *p, const struct xl_dpdk_opts *o, const int *cpus,
		     int ncpus, const char **argv, int *argc, int max, char *store,
		     size_t store_len);
/*
 * Reserve hugepages (if o->huge), then start argv (argv[0] is the program) in
 * namespace ns, its CPU affinity limited to cpus.  Output goes to p->log.
 */
int xl_dpdk_spawn(struct xl_dpdk_proc *p, const struct xl_dpdk_opts *o, const char *ns,
		  const int *cpus, int ncpus, const char *const argv[]);
/* True while the child runs (reaps it when it has exited). */
bool xl_dpdk_alive(struct xl_dpdk_proc *p);
/*
 * End the child: close its stdin, SIGTERM after grace_ms, SIGKILL after another
 * grace_ms; then remove its runtime directory, release its hugepages and its
 * private log.  Returns the child's exit status (or -errno).  Idempotent.
 */
int xl_dpdk_reap(struct xl_dpdk_proc *p, int grace_ms);
/* Last error-looking line of the child's output (for a one-line failure). */
void xl_dpdk_log_error(const struct xl_dpdk_proc *p, char *buf, size_t len);
/* Copy the child's output into fd (the run log), for provenance. */
void xl_dpdk_set_log_fd(int fd);

/* /var/run/dpdk/<prefix>: remove it (only xdplab's own prefixes). */
int xl_dpdk_rm_runtime_dir(const char *prefix);
/* Remove runtime dirs and hugepage ledgers of dead xdplab processes; returns how many. */
int xl_dpdk_sweep(void);

/* Telemetry (/var/run/dpdk/<prefix>/dpdk_telemetry.v2), one connection per reader. */
int xl_dpdk_tele_open(const char *prefix, char *version, size_t vlen);
/* Send cmd ("/ethdev/stats,0") and return the value under its key; caller puts it. */
int xl_dpdk_tele_cmd(int fd, const char *cmd, json_object **val);

/*
 * Options of the testpmd systems (dpdk_systems.c), e.g. from a config key;
 * validated now (xl_fail(XL_EXIT_DPDK) on a bad value), used by every later
 * set-up.  NULL or "" = defaults (vdev=af_xdp on dut-in/dut-out).
 */
int xl_dpdk_systems_set_opts(const char *opts);

#endif
