/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_why.bpf.h - per-CPU counters of *why* an application program chose its
 * verdict (which rule dropped a frame, why the router left one to the stack).
 * xl_stats says how many frames got each action; xl_why says why, with the
 * reasons each program lists in its shared header (xl_router.h, xl_ddos.h,
 * xl_lb.h).  Reasons are counted on the exceptional paths only: the fast path
 * of each program (forward, pass clean traffic, encapsulate) touches xl_stats
 * alone.  BPF objects only; user space sums the slots (harness/apps/why.c).
 */
#ifndef XL_WHY_BPF_H
#define XL_WHY_BPF_H

#include "xl_stats.bpf.h"
#include "xl_why.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XL_WHY_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} xl_why SEC(".maps");

/* Count the reason, then the action (xl_count), and return the action. */
static __always_inline int xl_verdict(struct xdp_md *ctx, int action, __u32 why)
{
	__u64 *slot = bpf_map_lookup_elem(&xl_why, &why);

	if (slot)
		(*slot)++;
	return xl_count(ctx, action);
}

#endif
