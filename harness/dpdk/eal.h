/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eal.h - the EAL arguments common to every DPDK process xdplab starts:
 * lcore map (lcore i on cpus[i]), --no-pci or -a for each allowed device (the
 * machine's own NIC is never probed), in-memory hugepages or --no-huge, a
 * unique file prefix, and PMD log levels.
 */
#ifndef XL_DPDK_EAL_H
#define XL_DPDK_EAL_H

#include <stddef.h>
#include "opts.h"
#include "proc.h"

/* Appends to argv at *argc (max slots); strings live in `store` (at least 1 KB). */
int xl_dpdk_eal_args(const struct xl_dpdk_proc *p, const struct xl_dpdk_opts *o, const int *cpus,
		     int ncpus, const char **argv, int *argc, int max, char *store,
		     size_t store_len);

#endif
