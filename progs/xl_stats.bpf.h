/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_stats.bpf.h - the per-CPU, per-action packet and byte counters every
 * xdplab XDP program keeps (included by BPF objects only; user space reads
 * the map through the record layout in xdplab.h).
 */
#ifndef XL_STATS_BPF_H
#define XL_STATS_BPF_H

#include "xdplab.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XL_NR_ACTIONS);
	__type(key, __u32);
	__type(value, struct xl_datarec);
} xl_stats SEC(".maps");

/* Count the frame under the action the program returns, and return it. */
static __always_inline int xl_count(struct xdp_md *ctx, int action)
{
	__u32 key = action;
	struct xl_datarec *rec = bpf_map_lookup_elem(&xl_stats, &key);

	/* The lookup cannot fail for key < max_entries, but the verifier insists. */
	if (rec) {
		rec->packets++;
		rec->bytes += ctx->data_end - ctx->data;
	}
	return action;
}

#endif
