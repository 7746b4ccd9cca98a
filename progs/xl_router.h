/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_router.h - what the XDP router (xdp_router.bpf.c) shares with user space:
 * the meaning of its xl_why slots, i.e. why a frame was left to the kernel
 * stack (XDP_PASS) instead of being forwarded.  Slots XL_RT_FIB + n count the
 * bpf_fib_lookup() failures with return code n (BPF_FIB_LKUP_RET_*), so "no
 * neighbour" and "no route" can be told apart when a benchmark forwards
 * nothing.  Its devmap xl_rt_ports is keyed by egress ifindex, value ifindex.
 */
#ifndef XL_ROUTER_H
#define XL_ROUTER_H

#include "xl_why.h"

enum xl_rt_why {
	XL_RT_NOT_IP = 0, /* not IPv4/IPv6 after at most one VLAN tag (ARP, QinQ, ...) */
	XL_RT_MALFORMED = 1, /* truncated header, bad version, length field past the frame */
	XL_RT_IP_OPTIONS = 2, /* IPv4 options: the stack must process them (RFC 1812 5.2.4) */
	XL_RT_TTL = 3, /* TTL / hop limit <= 1: the stack sends ICMP time exceeded */
	XL_RT_V6_SCOPE = 4, /* IPv6 hop-by-hop header or link-local address */
	XL_RT_NO_PORT = 5, /* egress device is not in xl_rt_ports */
	XL_RT_FIB = 8, /* + BPF_FIB_LKUP_RET_* (1 blackhole .. 9 no source address) */
	XL_RT_FIB_LAST = 23, /* larger return codes of future kernels are counted here */
	XL_RT_WHY_MAX = 24,
};

#endif
