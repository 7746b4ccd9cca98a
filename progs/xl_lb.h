/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_lb.h - what the XDP load balancer (xdp_lb.bpf.c) shares with user space:
 * map layouts, sizes, the flow hash, and the meaning of its xl_why slots.
 * Fixed-width types only; included by the BPF object, harness/apps/ (Maglev
 * table, control plane) and the tests, so both sides hash identically.
 *
 * Maps: xl_lb_vips (hash) VIP (addr, port, proto) -> struct xl_lb_vip;
 * xl_lb_reals (array) real index -> struct xl_lb_real; xl_lb_ring (array)
 * vip.num * XL_LB_RING_SIZE + slot -> real index (the VIP's Maglev table);
 * xl_lb_ctl (array, slot 0) -> struct xl_lb_ctl.  All addresses and ports are
 * in network byte order, as they appear in the packet.
 */
#ifndef XL_LB_H
#define XL_LB_H

#include <linux/types.h>
#include "xl_why.h"

/*
 * Maglev table size per VIP: a prime, so every skip in [1, M-1] is coprime
 * with M and each real's probe sequence is a full permutation.  Maglev's fill
 * gives every real floor(M/N) or ceil(M/N) slots, so imbalance is at most
 * 1/floor(M/N): under 1% up to N = 655 reals per VIP with 65537 (the
 * Maglev paper's M >> 100 N rule; Katran uses the same size).  Cost: 256 KiB
 * of ring per VIP.
 */
#define XL_LB_RING_SIZE 65537
#define XL_LB_MAX_VIPS 32
#define XL_LB_MAX_REALS 4096
#define XL_LB_FLOW_SEED 0x584c4221u
#define XL_LB_OUTER_TTL 64

struct xl_lb_vip_key {
	__be32 addr;
	__be16 port;
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 pad; /* must be 0: part of the hash key */
};

struct xl_lb_vip {
	__u32 num; /* which XL_LB_RING_SIZE slice of xl_lb_ring is this VIP's */
	__u32 flags; /* reserved, 0 */
};

struct xl_lb_real {
	__be32 addr; /* 0 = unused slot: frames hashed to it are dropped */
	__u32 flags; /* reserved, 0 */
};

/* Slot 0 of xl_lb_ctl: the outer headers of every encapsulated frame. */
struct xl_lb_ctl {
	__u8 dst_mac[6]; /* next hop toward the reals */
	__u8 src_mac[6]; /* the LB's egress port */
	__be32 src_addr; /* the LB's own address: outer IPv4 source */
};

enum xl_lb_why {
	XL_LB_NOT_VIP = 0, /* passed: IPv4 TCP/UDP, but no such VIP */
	XL_LB_NOT_PARSED = 1, /* passed: not untagged IPv4 TCP/UDP, or headers cut short */
	XL_LB_FRAGMENT = 2, /* passed: IPv4 fragment, no ports to hash */
	XL_LB_TOO_BIG = 3, /* dropped: encapsulated packet would exceed cfg_mtu */
	XL_LB_NO_REAL = 4, /* dropped: the ring points at an unused real slot */
	XL_LB_WHY_MAX = 5,
};

/*
 * A 32-bit finalizer (xor-shift / multiply, the constants of C. Wellons'
 * "lowbias32"): a bijection on 32 bits with good avalanche.
 */
static inline __attribute__((always_inline)) __u32 xl_lb_mix32(__u32 x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

/*
 * Flow hash of the 5-tuple: each word is folded in and mixed.  Every step is a
 * bijection, so two flows that differ in one field (say, the source address
 * alone) never collide.  ports = the raw 32-bit word holding source and
 * destination port as in the L4 header.
 */
static inline __attribute__((always_inline)) __u32 xl_lb_flow_hash(__be32 saddr, __be32 daddr,
								   __u32 ports, __u8 proto)
{
	__u32 h = xl_lb_mix32(XL_LB_FLOW_SEED ^ proto);

	h = xl_lb_mix32(h ^ saddr);
	h = xl_lb_mix32(h ^ daddr);
	return xl_lb_mix32(h ^ ports);
}

/* Hash -> ring slot by multiply-shift (Lemire): uniform, and no division. */
static inline __attribute__((always_inline)) __u32 xl_lb_slot(__u32 hash)
{
	return (__u32)(((__u64)hash * XL_LB_RING_SIZE) >> 32);
}

#endif
