/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc.h - a DPDK child process (dpdk-testpmd, xdplab-dpdkgen): started in
 * its port's namespace under `ip netns exec`, CPU affinity limited to its
 * cores, in its own process group, with a parent-death signal; its hugepages,
 * runtime directory (/var/run/dpdk/<prefix>), private log and the process
 * itself are each recorded in the cleanup registry.  xdplab itself never links
 * or initialises DPDK: EAL initialises once per process and takes over lcores
 * and signals.
 */
#ifndef XL_DPDK_PROC_H
#define XL_DPDK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "hugepages.h"
#include "opts.h"

struct xl_dpdk_proc {
	pid_t pid;
	int status; /* exit status once reaped */
	int stdin_fd; /* write end of the child's stdin; closing it ends testpmd */
	bool tty_stdin; /* stdin is a pseudo-terminal, not a pipe (pktgen wants a terminal) */
	int grace_ms;
	char prefix[64]; /* --file-prefix, unique per process */
	char log[256]; /* EAL and PMD output */
	bool own_log; /* private log: removed at the end */
	struct xl_huge huge;
	int undo_proc, undo_rtdir, undo_log; /* registry entries */
};

/* Fill p with a fresh prefix ("xdplab-<what>-<pid>-<n>") and log path, nothing started. */
void xl_dpdk_proc_init(struct xl_dpdk_proc *p, const char *what, const struct xl_dpdk_opts *o);
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
 * grace_ms; then remove its runtime directory, release its hugepages, copy its
 * output to the run log and remove a private log.  Returns the child's exit
 * status (or -errno).  Idempotent.
 */
int xl_dpdk_reap(struct xl_dpdk_proc *p, int grace_ms);
/* Last error-looking line of the child's output (for a one-line failure). */
void xl_dpdk_log_error(const struct xl_dpdk_proc *p, char *buf, size_t len);

#endif
