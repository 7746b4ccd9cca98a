// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_lb.bpf.c - a layer-4 load balancer in Katran's design (the paper's
 * §5.3), IPv4 only: a frame to a VIP (address, port, protocol) is hashed on
 * its 5-tuple onto the VIP's Maglev lookup table, which names a real server;
 * the frame is then IPIP-encapsulated toward that real (outer source = the
 * LB's address) and sent back out with XDP_TX.  The reals decapsulate and
 * answer the client directly (direct server return), so the LB sees only the
 * client-to-VIP direction.  Layouts, sizes and the hash are in xl_lb.h; the
 * tables are built by harness/apps/maglev.c and written by lb_ctl.c.
 *
 * There is no per-connection state (Katran's LRU): stickiness comes from the
 * hash alone, and Maglev's minimal disruption keeps most flows on their real
 * when the set of reals changes.
 *
 * Policy: anything that is not an untagged IPv4 TCP/UDP frame to a VIP passes
 * to the stack unchanged, and so does a malformed header: the LB host's own
 * traffic goes there, and the stack judges the rest.  IPv4 fragments pass
 * (a non-first fragment has no ports to hash, so no fragment of a datagram can
 * be placed consistently; Katran drops them instead).  A VIP frame that would
 * exceed cfg_mtu once encapsulated is dropped (Katran's default; no ICMP
 * "fragmentation needed" is generated), as is one whose ring slot names an
 * unused real.  Each exception is counted in xl_why (xl_lb.h).
 *
 * Variants (`const volatile`): cfg_redirect = 1 sends through the devmap slot
 * 0 (an egress port) instead of XDP_TX, an empty slot aborting visibly;
 * cfg_mtu is the egress MTU.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdplab.h"
#include "xl_parse.bpf.h"
#include "xl_why.bpf.h"
#include "xl_lb.h"

_Static_assert(XL_LB_WHY_MAX <= XL_WHY_SLOTS, "lb reasons fit xl_why");

const volatile __u32 cfg_redirect = 0;
const volatile __u32 cfg_mtu = 1500;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XL_LB_MAX_VIPS);
	__type(key, struct xl_lb_vip_key);
	__type(value, struct xl_lb_vip);
} xl_lb_vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XL_LB_MAX_REALS);
	__type(key, __u32);
	__type(value, struct xl_lb_real);
} xl_lb_reals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XL_LB_MAX_VIPS *XL_LB_RING_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} xl_lb_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xl_lb_ctl);
} xl_lb_ctl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xl_lb_tx_port SEC(".maps");

/* The real for this flow, or NULL if the ring slot names no real. */
static __always_inline const struct xl_lb_real *pick_real(const struct xl_lb_vip *vip,
							  const struct iphdr *iph, __u32 ports)
{
	__u32 hash = xl_lb_flow_hash(iph->saddr, iph->daddr, ports, iph->protocol);
	const struct xl_lb_real *real;
	__u32 idx, *real_id;

	if (vip->num >= XL_LB_MAX_VIPS) /* else the index could wrap into another VIP's ring */
		return NULL;
	idx = vip->num * XL_LB_RING_SIZE + xl_lb_slot(hash);
	real_id = bpf_map_lookup_elem(&xl_lb_ring, &idx);
	if (!real_id)
		return NULL;
	real = bpf_map_lookup_elem(&xl_lb_reals, real_id);
	return real && real->addr ? real : NULL;
}

/* Prepend Ethernet + outer IPv4 (protocol 4) in front of the inner IP packet. */
static __always_inline int encap_ipip(struct xdp_md *ctx, const struct xl_lb_ctl *ctl, __be32 daddr,
				      const struct iphdr *inner_copy)
{
	struct iphdr outer = {
		.version = 4,
		.ihl = 5,
		.tos = inner_copy->tos,
		.tot_len = bpf_htons(bpf_ntohs(inner_copy->tot_len) + sizeof(struct iphdr)),
		/* RFC 2003 3.1: DF copied from the inner header, so PMTUD keeps working. */
		.frag_off = inner_copy->frag_off & bpf_htons(XL_IP_DF),
		.ttl = XL_LB_OUTER_TTL,
		.protocol = IPPROTO_IPIP,
		.saddr = ctl->src_addr,
		.daddr = daddr,
	};
	void *data, *data_end;
	struct ethhdr *eth;
	struct iphdr *oip;

	outer.check = (__u16)~xl_ipv4_sum20(&outer);
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	oip = (void *)(eth + 1);
	if ((void *)(oip + 1) > data_end)
		return -1;
	__builtin_memcpy(eth->h_dest, ctl->dst_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, ctl->src_mac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	__builtin_memcpy(oip, &outer, sizeof(outer));
	return 0;
}

SEC("xdp")
int xdp_lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	const struct xl_lb_real *real;
	const struct xl_lb_ctl *ctl;
	struct xl_lb_vip_key key = {};
	struct xl_lb_vip *vip;
	struct iphdr *iph, inner;
	__u32 zero = 0, ports;
	__u16 tot_len;
	void *l4;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return xl_verdict(ctx, XDP_PASS, XL_LB_NOT_PARSED);
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->version != 4 || iph->ihl < 5)
		return xl_verdict(ctx, XDP_PASS, XL_LB_NOT_PARSED);
	tot_len = bpf_ntohs(iph->tot_len);
	if (tot_len < iph->ihl * 4 || (void *)iph + tot_len > data_end)
		return xl_verdict(ctx, XDP_PASS, XL_LB_NOT_PARSED);
	if (iph->frag_off & bpf_htons(XL_IP_MF | XL_IP_OFFSET))
		return xl_verdict(ctx, XDP_PASS, XL_LB_FRAGMENT);
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return xl_verdict(ctx, XDP_PASS, XL_LB_NOT_PARSED);
	l4 = (void *)iph + iph->ihl * 4;
	if (l4 + sizeof(ports) > data_end)
		return xl_verdict(ctx, XDP_PASS, XL_LB_NOT_PARSED);
	__builtin_memcpy(&ports, l4, sizeof(ports));

	key.addr = iph->daddr;
	key.port = ((__be16 *)l4)[1]; /* destination port */
	key.proto = iph->protocol;
	vip = bpf_map_lookup_elem(&xl_lb_vips, &key);
	if (!vip)
		return xl_verdict(ctx, XDP_PASS, XL_LB_NOT_VIP);

	real = pick_real(vip, iph, ports);
	if (!real)
		return xl_verdict(ctx, XDP_DROP, XL_LB_NO_REAL);
	if (tot_len + sizeof(struct iphdr) > cfg_mtu)
		return xl_verdict(ctx, XDP_DROP, XL_LB_TOO_BIG);
	ctl = bpf_map_lookup_elem(&xl_lb_ctl, &zero);
	if (!ctl)
		return xl_count(ctx, XDP_ABORTED); /* cannot fail: slot 0 of an array */

	/* adjust_head invalidates every packet pointer: keep what the outer header needs. */
	__builtin_memcpy(&inner, iph, sizeof(inner));
	if (encap_ipip(ctx, ctl, real->addr, &inner))
		return xl_count(ctx, XDP_ABORTED); /* no headroom: a driver problem, show it */
	if (cfg_redirect)
		return xl_count(ctx, bpf_redirect_map(&xl_lb_tx_port, 0, XDP_ABORTED));
	return xl_count(ctx, XDP_TX);
}

char LICENSE[] SEC("license") = "GPL";
