// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_ddos.bpf.c - an XDP filter that drops attack traffic before the kernel
 * stack spends anything on it (the paper's §5.2), and passes everything else.
 *
 * Configuration:
 * - maps (runtime, see xl_ddos.h): xl_ddos_l4 holds (IP protocol, L4
 *   destination port) rules, dport 0 meaning "the whole protocol" for
 *   protocols without ports; xl_ddos_src is an LPM trie of IPv4 source
 *   prefixes.  harness/apps/ddos_ctl.c writes both from "udp:53" and
 *   "203.0.113.0/24" strings.
 * - `const volatile` (fixed at load; the verifier prunes what is off, so
 *   clean traffic pays only for the stages in use): cfg_match_l4 and
 *   cfg_match_src switch the two stages (both on by default), and
 *   cfg_drop_frags drops every IPv4 fragment (off by default).
 *
 * Policy:
 * - Non-IP frames (ARP, LLDP, ...) and IP frames that match no rule pass.
 * - An IP frame too short for its IP header, or for the L4 ports of a port
 *   protocol, is dropped: the stack would drop it too (ip_rcv, udp_rcv), and
 *   dropping it here is the filter's whole purpose; the xl_why slot keeps
 *   these drops apart from rule hits.  IPv4 options are skipped, not refused.
 * - IPv4 fragments: the first fragment carries the ports and is matched.
 *   Non-first fragments have no ports, so only protocol-wide and source rules
 *   apply; the rest of a dropped datagram waits in the reassembly queue until
 *   it times out, bounded by ipfrag_high_thresh.  cfg_drop_frags closes that.
 * - IPv6: the L4 rule is matched when the first next header is the L4 one;
 *   behind extension headers the frame passes (not parsed).  Source prefix
 *   rules are IPv4 only.
 * Stage order: the exact-match hash (one lookup) before the trie walk.
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
#include "xl_ddos.h"

_Static_assert(XL_DDOS_WHY_MAX <= XL_WHY_SLOTS, "ddos reasons fit xl_why");

const volatile __u32 cfg_match_l4 = 1;
const volatile __u32 cfg_match_src = 1;
const volatile __u32 cfg_drop_frags = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XL_DDOS_MAX_L4_RULES);
	__type(key, struct xl_ddos_l4_key);
	__type(value, __u32);
} xl_ddos_l4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XL_DDOS_MAX_SRC_RULES);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* required for LPM tries */
	__type(key, struct xl_ddos_src_key);
	__type(value, __u32);
} xl_ddos_src SEC(".maps");

static __always_inline bool has_ports(__u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_DCCP;
}

/*
 * Look up the (protocol, port) rule for an L4 header at l4.  Returns 1 if a
 * rule matches, 0 if none does, -1 if a port protocol's ports are cut off.
 * with_ports = 0 for a non-first fragment, whose payload holds no L4 header.
 */
static __always_inline int match_l4(__u8 proto, void *l4, void *data_end, bool with_ports)
{
	struct xl_ddos_l4_key key = { .proto = proto };

	if (has_ports(proto)) {
		__be16 *ports = l4;

		if (!with_ports)
			return 0;
		if ((void *)(ports + 2) > data_end)
			return -1;
		key.dport = ports[1]; /* source port, then destination port */
	}
	return bpf_map_lookup_elem(&xl_ddos_l4, &key) != NULL;
}

static __always_inline int filter_ipv4(struct xdp_md *ctx, struct iphdr *iph, void *data_end)
{
	bool first_frag;
	int hit;

	if ((void *)(iph + 1) > data_end || iph->version != 4 || iph->ihl < 5)
		return xl_verdict(ctx, XDP_DROP, XL_DDOS_MALFORMED);
	if (cfg_drop_frags && (iph->frag_off & bpf_htons(XL_IP_MF | XL_IP_OFFSET)))
		return xl_verdict(ctx, XDP_DROP, XL_DDOS_FRAGMENT);
	if (cfg_match_l4) {
		first_frag = !(iph->frag_off & bpf_htons(XL_IP_OFFSET));
		/* ihl is 4 bits: the offset is bounded, the verifier sees it. */
		hit = match_l4(iph->protocol, (void *)iph + iph->ihl * 4, data_end, first_frag);
		if (hit < 0)
			return xl_verdict(ctx, XDP_DROP, XL_DDOS_MALFORMED);
		if (hit)
			return xl_verdict(ctx, XDP_DROP, XL_DDOS_HIT_L4);
	}
	if (cfg_match_src) {
		struct xl_ddos_src_key key = { .prefixlen = 32, .addr = iph->saddr };

		if (bpf_map_lookup_elem(&xl_ddos_src, &key))
			return xl_verdict(ctx, XDP_DROP, XL_DDOS_HIT_SRC);
	}
	return xl_count(ctx, XDP_PASS);
}

static __always_inline int filter_ipv6(struct xdp_md *ctx, struct ipv6hdr *ip6h, void *data_end)
{
	int hit;

	if ((void *)(ip6h + 1) > data_end)
		return xl_verdict(ctx, XDP_DROP, XL_DDOS_MALFORMED);
	if (cfg_match_l4) {
		hit = match_l4(ip6h->nexthdr, ip6h + 1, data_end, true);
		if (hit < 0)
			return xl_verdict(ctx, XDP_DROP, XL_DDOS_MALFORMED);
		if (hit)
			return xl_verdict(ctx, XDP_DROP, XL_DDOS_HIT_L4);
	}
	return xl_count(ctx, XDP_PASS);
}

SEC("xdp")
int xdp_ddos(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xl_l2 l2;

	/* Only a cut-off VLAN tag fails here (the kernel hands XDP >= 14 bytes). */
	if (xl_parse_l2(data, data_end, &l2))
		return xl_count(ctx, XDP_PASS);
	if (l2.l3_proto == ETH_P_IP)
		return filter_ipv4(ctx, l2.l3, data_end);
	if (l2.l3_proto == ETH_P_IPV6)
		return filter_ipv6(ctx, l2.l3, data_end);
	return xl_count(ctx, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
