/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hugepages.h - 2 MB hugepages for DPDK processes, reserved on demand through
 * nr_hugepages and given back.  Each reservation is a delta recorded in the
 * cleanup registry (kind "sub"), so concurrent holders release in any order,
 * the value from before the first reservation comes back, and a run killed
 * with -9 is repaired by the next xdplab process or `xdplab cleanup`.
 */
#ifndef XL_DPDK_HUGEPAGES_H
#define XL_DPDK_HUGEPAGES_H

struct xl_huge {
	long added;
	int undo; /* registry entry */
};

int xl_huge_reserve(long pages, struct xl_huge *h);
void xl_huge_release(struct xl_huge *h);
/* Current nr_hugepages, for tests and context. */
long xl_huge_nr(void);

#endif
