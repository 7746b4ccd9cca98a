// SPDX-License-Identifier: GPL-2.0
/*
 * pf_host.c - the preflight checks of the host rather than of a port: does the
 * kernel run the live-frames generator, and may this process pin threads to
 * the configured generator and DUT CPUs.  Neither has a command to fix it.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include "pf_internal.h"
#include "pfprobe.h"

enum pf_result pf_t_live_frames(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	int err = xl_probe_live_frames();

	(void)p, (void)st;
	if (!err)
		return PF_OK;
	snprintf(why, len,
		 "the kernel refuses BPF_PROG_RUN in live-frames mode (%s): the live-frames "
		 "generator cannot send",
		 strerror(-err));
	return PF_BAD;
}

void pf_f_live_frames(struct pf_port *p, struct pf_fix *f)
{
	(void)p;
	snprintf(f->text, sizeof(f->text),
		 "set 'backend = dpdk' in [run] (the DPDK generator; see docs/dpdk.md)");
}

enum pf_result pf_t_cpus(struct pf_port *p, struct pf_state *st, char *why, size_t len)
{
	const struct xl_testbed *tb = p->in->tb;
	const int *cpus = p->role == XL_ROLE_GEN ? tb->gen_cpus : tb->dut_cpus;
	cpu_set_t allowed;

	(void)st;
	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return PF_OK; /* cannot tell; the pinning itself warns */
	for (int i = 0; i < tb->cores; i++)
		if (!CPU_ISSET(cpus[i], &allowed)) {
			snprintf(why, len,
				 "CPU %d is outside the CPUs this process may run on (cpuset or "
				 "taskset): nothing can be pinned there",
				 cpus[i]);
			return PF_BAD;
		}
	return PF_OK;
}

void pf_f_cpus(struct pf_port *p, struct pf_fix *f)
{
	(void)p;
	snprintf(f->text, sizeof(f->text),
		 "run xdplab where these CPUs are allowed, or name allowed ones in "
		 "[testbed] gen_cpus/dut_cpus (see taskset -p $$)");
}
