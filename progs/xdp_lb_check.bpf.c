// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_lb_check.bpf.c - the checking sink of the load-balancer experiment: it
 * sits where the balanced frames arrive, counts and drops every frame (as the
 * plain sink does, in xl_stats[XDP_DROP]), and on the way checks the
 * balancer's work.  A frame is one of:
 *   ipip      - IPv4 protocol 4 from the XDP LB, well formed: outer ihl 5,
 *               outer checksum right, outer length = inner length + 20 = the
 *               frame's IP bytes (Ethernet padding allowed only up to the
 *               46-byte minimum payload), inner IPv4 TCP/UDP with its ports
 *               (not a later fragment).  Real = outer daddr, flow = inner
 *               (saddr, daddr, sport, dport).
 *   malformed - IPv4 protocol 4 that fails any of those checks.
 *   plain     - IPv4 UDP with ports, as the Linux baseline's DNAT leaves it.
 *               Real = daddr, flow = (saddr, sport, dport): the VIP is gone,
 *               and the generator gives each source one VIP.
 *   other     - anything else (ARP, IPv6, other protocols, cut short).
 * Each flow's first real is kept in xl_lbchk_flows; a frame of a known flow
 * going to another real counts as moved, a new flow that finds the map full
 * as untracked.  Frames per real go to xl_lbchk_reals.
 *
 * It runs on the generator's core, so it is kept cheap: no loop over packet
 * data (the outer checksum is ten unrolled 16-bit adds), one flow lookup and
 * one real lookup per frame, per-CPU counters except the shared flow map.
 * Layouts are in xl_lbcheck.h; user space reads them in harness/apps/lb_check.c.
 */
#include <linux/bpf.h>
#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdplab.h"
#include "xl_parse.bpf.h"
#include "xl_stats.bpf.h"
#include "xl_lbcheck.h"

#define ETH_MIN_PAYLOAD 46

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xl_lbchk_counters);
} xl_lbchk_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XL_LBCHK_FLOWS);
	__type(key, struct xl_lbchk_flow);
	__type(value, __be32);
} xl_lbchk_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, XL_LBCHK_REALS);
	__type(key, __be32);
	__type(value, __u64);
} xl_lbchk_reals SEC(".maps");

/*
 * The ports of the L4 header behind iph (any ihl) into the flow: 0, or -1 if
 * the packet is cut short, not TCP/UDP, or a later fragment (no ports).
 */
static __always_inline int l4_ports(const struct iphdr *iph, void *data_end,
				    struct xl_lbchk_flow *flow)
{
	__be16 *l4;

	if (iph->ihl < 5 || (iph->protocol != IPPROTO_UDP && iph->protocol != IPPROTO_TCP) ||
	    (iph->frag_off & bpf_htons(XL_IP_OFFSET)))
		return -1;
	l4 = (void *)iph + iph->ihl * 4;
	if ((void *)(l4 + 2) > data_end)
		return -1;
	flow->sport = l4[0];
	flow->dport = l4[1];
	return 0;
}

/*
 * An IPIP frame: 0 and the flow and real if well formed, -1 if not.  len is
 * the frame's bytes after Ethernet.
 */
static __always_inline int parse_ipip(const struct iphdr *oip, void *data_end, __u32 len,
				      struct xl_lbchk_flow *flow, __be32 *real)
{
	const struct iphdr *iip = oip + 1;
	__u16 olen = bpf_ntohs(oip->tot_len);

	if (oip->ihl != 5 || xl_ipv4_sum20(oip) != 0xffff || (void *)(iip + 1) > data_end ||
	    iip->version != 4)
		return -1;
	if (olen != bpf_ntohs(iip->tot_len) + sizeof(*oip))
		return -1;
	if (olen != len && !(olen < len && len <= ETH_MIN_PAYLOAD))
		return -1;
	if (l4_ports(iip, data_end, flow))
		return -1;
	flow->saddr = iip->saddr;
	flow->daddr = iip->daddr;
	*real = oip->daddr;
	return 0;
}

/* Keep the flow's first real (or count it moved, or untracked); one more frame for real. */
static __always_inline void track(struct xl_lbchk_counters *c, const struct xl_lbchk_flow *flow,
				  __be32 real)
{
	__be32 *first = bpf_map_lookup_elem(&xl_lbchk_flows, flow);
	__u64 one = 1, *frames;

	if (first) {
		c->moved += *first != real;
	} else if (bpf_map_update_elem(&xl_lbchk_flows, flow, &real, BPF_NOEXIST) == -E2BIG) {
		c->untracked++; /* -EEXIST: another CPU inserted it first, fine */
	}
	frames = bpf_map_lookup_elem(&xl_lbchk_reals, &real);
	if (!frames && bpf_map_update_elem(&xl_lbchk_reals, &real, &one, BPF_NOEXIST) == -EEXIST)
		frames = bpf_map_lookup_elem(&xl_lbchk_reals, &real); /* another CPU added it */
	if (frames)
		(*frames)++;
}

SEC("xdp")
int xdp_lb_check(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xl_lbchk_flow flow = {};
	struct ethhdr *eth = data;
	struct xl_lbchk_counters *c;
	struct iphdr *iph;
	__u32 zero = 0;
	__be32 real;

	c = bpf_map_lookup_elem(&xl_lbchk_cnt, &zero);
	if (!c) /* cannot fail: slot 0 of an array */
		return xl_count(ctx, XDP_DROP);
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    iph->version != 4) {
		c->other++;
	} else if (iph->protocol == IPPROTO_IPIP) {
		if (parse_ipip(iph, data_end, (__u32)(data_end - (void *)iph), &flow, &real)) {
			c->malformed++;
		} else {
			c->ipip++;
			track(c, &flow, real);
		}
	} else if (iph->protocol == IPPROTO_UDP && !l4_ports(iph, data_end, &flow)) {
		c->plain++;
		flow.saddr = iph->saddr;
		track(c, &flow, iph->daddr);
	} else {
		c->other++;
	}
	return xl_count(ctx, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
