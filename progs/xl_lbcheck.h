/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_lbcheck.h - what the load balancer's checking sink (xdp_lb_check.bpf.c)
 * shares with user space (harness/apps/lb_check.c): its map names, sizes and
 * layouts.  Fixed-width types only.
 *
 * Maps: xl_lbchk_cnt (per-CPU array, slot 0) -> struct xl_lbchk_counters;
 * xl_lbchk_flows (hash) struct xl_lbchk_flow -> real (the first real the flow
 * was seen going to); xl_lbchk_reals (per-CPU hash) real -> frames.  Addresses
 * and ports in network byte order, as in the packet.
 */
#ifndef XL_LBCHECK_H
#define XL_LBCHECK_H

#include <linux/types.h>

#define XL_LBCHK_FLOWS 65536
#define XL_LBCHK_REALS 8192

/*
 * A flow.  IPIP: the inner (saddr, daddr = VIP, sport, dport).  Plain UDP
 * (DNAT'd by the Linux baseline, the VIP gone): daddr = 0.
 */
struct xl_lbchk_flow {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

struct xl_lbchk_counters {
	__u64 ipip; /* well-formed IPIP frames */
	__u64 plain; /* plain IPv4 UDP frames */
	__u64 other; /* anything else (ARP, IPv6, other protocols, cut short) */
	__u64 malformed; /* IPIP frames that fail a check */
	__u64 moved; /* frames of a known flow going to another real than its first */
	__u64 untracked; /* frames of a new flow when the flow map was full */
};

#endif
