/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_ddos.h - what the XDP DDoS filter (xdp_ddos.bpf.c) shares with user
 * space: the keys of its two rule maps and the meaning of its xl_why slots.
 *
 * xl_ddos_l4 (hash): drop IP protocol `proto` to L4 destination port `dport`
 * (network order).  For protocols without ports (ICMP, GRE, ESP, ...) dport
 * is 0 and the rule drops the whole protocol.  Matched for IPv4 and IPv6.
 * xl_ddos_src (LPM trie): drop IPv4 sources inside prefix addr/prefixlen.
 * Values of both maps are unused (__u32, write 1).
 */
#ifndef XL_DDOS_H
#define XL_DDOS_H

#include <linux/types.h>
#include "xl_why.h"

#define XL_DDOS_MAX_L4_RULES 4096
#define XL_DDOS_MAX_SRC_RULES 65536

struct xl_ddos_l4_key {
	__u8 proto;
	__u8 pad; /* must be 0: part of the hash key */
	__be16 dport;
};

struct xl_ddos_src_key {
	__u32 prefixlen; /* LPM trie keys start with the prefix length in bits */
	__be32 addr;
};

enum xl_ddos_why {
	XL_DDOS_HIT_L4 = 0, /* dropped: protocol + destination port rule */
	XL_DDOS_HIT_SRC = 1, /* dropped: source prefix rule */
	XL_DDOS_FRAGMENT = 2, /* dropped: IPv4 fragment (cfg_drop_frags) */
	XL_DDOS_MALFORMED = 3, /* dropped: IP frame too short for the headers it announces */
	XL_DDOS_WHY_MAX = 4,
};

#endif
