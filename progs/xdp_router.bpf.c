// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_router.bpf.c - an XDP IPv4/IPv6 router in the spirit of the kernel's
 * xdp_fwd sample (the paper's §5.1): route lookup in the kernel's own FIB with
 * bpf_fib_lookup(), then TTL / hop-limit decrement, MAC rewrite from the
 * neighbour entry, and redirect through a devmap keyed by egress ifindex.
 * It is a fast path in front of the stack, not a replacement: every frame it
 * does not fully understand is passed to the stack unchanged, so the box
 * behaves like a Linux router without XDP, only faster for the common case.
 *
 * Policy (each exception counted in xl_why, see xl_router.h):
 * - Malformed or truncated headers -> XDP_PASS.  The stack drops them anyway
 *   and counts them where operators look (IpInHdrErrors, InTruncatedPkts);
 *   dropping here would hide them.  Filtering is xdp_ddos's job.
 * - IPv4 options -> XDP_PASS: a router must act on some of them (record
 *   route, timestamp, source route), which the stack does.  They are rare.
 * - IPv4 fragments are forwarded like any packet: routing needs only the IP
 *   header, and the lookup uses no L4 ports (so a non-first fragment, which
 *   has none, takes the same path as the first).
 * - IPv6 hop-by-hop header, or a link-local source or destination -> PASS
 *   (the stack handles router alert, and link-local must not be forwarded).
 * - TTL / hop limit <= 1 -> PASS so the stack sends ICMP time exceeded; a
 *   failed lookup (no route, no neighbour, blackhole, MTU exceeded, ...) ->
 *   PASS so the stack resolves the neighbour or sends the ICMP error.
 * - A VLAN-tagged frame is routed on its inner header and leaves untagged:
 *   the FIB names the egress port, and a VLAN on the ingress port says
 *   nothing about the egress one.  The lookup uses the ingress port's
 *   ifindex (the VLAN sub-device is not known here), so iif-based policy
 *   rules see the physical port.
 * Not done (as in xdp_fwd): IP header checksum verification (the RFC 1624
 * update keeps a bad checksum bad, so the receiver still drops the packet),
 * reverse-path filtering and martian-source checks.
 *
 * Order matters on the fast path: the devmap is consulted (redirect_map with
 * XDP_PASS as its miss action) *before* the frame is modified, so a port that
 * is not in the map gets the original frame passed to the stack.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdplab.h"
#include "xl_parse.bpf.h"
#include "xl_why.bpf.h"
#include "xl_router.h"

_Static_assert(XL_RT_WHY_MAX <= XL_WHY_SLOTS, "router reasons fit xl_why");

/* 1 = BPF_FIB_LOOKUP_DIRECT: main table only, FIB rules skipped (xdp_fwd_direct). */
const volatile __u32 cfg_fib_direct = 0;

/* Egress ports the router may redirect to: key and value are the ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xl_rt_ports SEC(".maps");

static __always_inline int rt_pass(struct xdp_md *ctx, __u32 why)
{
	return xl_verdict(ctx, XDP_PASS, why);
}

static __always_inline int rt_fib_fail(struct xdp_md *ctx, int rc)
{
	__u32 why = XL_RT_FIB + (__u32)rc;

	return rt_pass(ctx, why > XL_RT_FIB_LAST ? XL_RT_FIB_LAST : why);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one changed 16-bit word. */
static __always_inline void csum_replace16(__sum16 *check, __u16 old, __u16 new)
{
	__u32 s = (__u16) ~*check + (__u16)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	*check = ~s;
}

/*
 * Rewrite the MACs, drop the VLAN tag if there was one, and count the
 * redirect that bpf_redirect_map() already set up.
 */
static __always_inline int rt_forward(struct xdp_md *ctx, const struct bpf_fib_lookup *fib,
				      bool vlan)
{
	void *data, *data_end;
	struct ethhdr *eth;

	/* The tag sits between the MACs and the inner EtherType: moving the start
	 * of the frame past it leaves the inner EtherType where h_proto belongs,
	 * and both MACs are rewritten below anyway. */
	if (vlan && bpf_xdp_adjust_head(ctx, XL_VLAN_HLEN))
		return xl_count(ctx, XDP_ABORTED); /* cannot happen: IP header checked */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return xl_count(ctx, XDP_ABORTED);
	__builtin_memcpy(eth->h_dest, fib->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib->smac, ETH_ALEN);
	return xl_count(ctx, XDP_REDIRECT);
}

static __always_inline int rt_lookup(struct xdp_md *ctx, struct bpf_fib_lookup *fib)
{
	return bpf_fib_lookup(ctx, fib, sizeof(*fib), cfg_fib_direct ? BPF_FIB_LOOKUP_DIRECT : 0);
}

static __always_inline int route_ipv4(struct xdp_md *ctx, struct iphdr *iph, void *data_end,
				      bool vlan)
{
	struct bpf_fib_lookup fib = {};
	__u16 old, tot_len;
	int rc;

	if ((void *)(iph + 1) > data_end)
		return rt_pass(ctx, XL_RT_MALFORMED);
	tot_len = bpf_ntohs(iph->tot_len);
	if (iph->version != 4 || iph->ihl < 5 || tot_len < sizeof(*iph) ||
	    (void *)iph + tot_len > data_end)
		return rt_pass(ctx, XL_RT_MALFORMED);
	if (iph->ihl != 5)
		return rt_pass(ctx, XL_RT_IP_OPTIONS);
	if (iph->ttl <= 1)
		return rt_pass(ctx, XL_RT_TTL);

	fib.family = XL_AF_INET;
	fib.tos = iph->tos;
	fib.l4_protocol = iph->protocol;
	fib.tot_len = tot_len;
	fib.ipv4_src = iph->saddr;
	fib.ipv4_dst = iph->daddr;
	fib.ifindex = ctx->ingress_ifindex;
	rc = rt_lookup(ctx, &fib);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return rt_fib_fail(ctx, rc);
	if (bpf_redirect_map(&xl_rt_ports, fib.ifindex, XDP_PASS) != XDP_REDIRECT)
		return rt_pass(ctx, XL_RT_NO_PORT);

	/* TTL and protocol share one 16-bit word of the checksummed header. */
	old = *(__u16 *)&iph->ttl;
	iph->ttl--;
	csum_replace16(&iph->check, old, *(__u16 *)&iph->ttl);
	return rt_forward(ctx, &fib, vlan);
}

static __always_inline bool ipv6_link_local(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

static __always_inline int route_ipv6(struct xdp_md *ctx, struct ipv6hdr *ip6h, void *data_end,
				      bool vlan)
{
	struct bpf_fib_lookup fib = {};
	int rc;

	if ((void *)(ip6h + 1) > data_end)
		return rt_pass(ctx, XL_RT_MALFORMED);
	if (ip6h->version != 6 || (void *)(ip6h + 1) + bpf_ntohs(ip6h->payload_len) > data_end)
		return rt_pass(ctx, XL_RT_MALFORMED);
	if (ip6h->nexthdr == IPPROTO_HOPOPTS || ipv6_link_local(&ip6h->saddr) ||
	    ipv6_link_local(&ip6h->daddr))
		return rt_pass(ctx, XL_RT_V6_SCOPE);
	if (ip6h->hop_limit <= 1)
		return rt_pass(ctx, XL_RT_TTL);

	fib.family = XL_AF_INET6;
	fib.flowinfo = *(__be32 *)ip6h & bpf_htonl(0x0fffffff); /* traffic class + flow label */
	fib.l4_protocol = ip6h->nexthdr;
	/* The MTU check compares tot_len with the route MTU: the whole L3 packet. */
	fib.tot_len = sizeof(*ip6h) + bpf_ntohs(ip6h->payload_len);
	__builtin_memcpy(fib.ipv6_src, &ip6h->saddr, sizeof(fib.ipv6_src));
	__builtin_memcpy(fib.ipv6_dst, &ip6h->daddr, sizeof(fib.ipv6_dst));
	fib.ifindex = ctx->ingress_ifindex;
	rc = rt_lookup(ctx, &fib);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return rt_fib_fail(ctx, rc);
	if (bpf_redirect_map(&xl_rt_ports, fib.ifindex, XDP_PASS) != XDP_REDIRECT)
		return rt_pass(ctx, XL_RT_NO_PORT);

	ip6h->hop_limit--; /* IPv6 has no header checksum */
	return rt_forward(ctx, &fib, vlan);
}

SEC("xdp")
int xdp_router(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xl_l2 l2;

	if (xl_parse_l2(data, data_end, &l2))
		return rt_pass(ctx, XL_RT_MALFORMED);
	if (l2.l3_proto == ETH_P_IP)
		return route_ipv4(ctx, l2.l3, data_end, l2.vlan);
	if (l2.l3_proto == ETH_P_IPV6)
		return route_ipv6(ctx, l2.l3, data_end, l2.vlan);
	return rt_pass(ctx, XL_RT_NOT_IP);
}

char LICENSE[] SEC("license") = "GPL";
