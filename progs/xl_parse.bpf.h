/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_parse.bpf.h - header parsing shared by the application programs (router,
 * DDoS filter, load balancer): Ethernet with at most one VLAN tag, then the
 * start of the IP header.  UAPI headers have no VLAN header struct and no
 * AF_* constants, so the few needed are defined here.  Every accessor checks
 * the bound against data_end itself: the verifier needs the check next to the
 * access, and a frame cut short is an answer ("not parsed"), never an abort.
 */
#ifndef XL_PARSE_BPF_H
#define XL_PARSE_BPF_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>

#define XL_AF_INET 2
#define XL_AF_INET6 10
#define XL_VLAN_HLEN 4
#define XL_IP_MF 0x2000
#define XL_IP_OFFSET 0x1fff
#define XL_IP_DF 0x4000

struct xl_vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

/* Result of parsing the link layer: where L3 starts and what it is. */
struct xl_l2 {
	void *l3;
	__u16 l3_proto; /* host order ETH_P_* of the payload after any tag */
	__u8 vlan; /* 1 if one 802.1Q/802.1ad tag was skipped */
};

/*
 * Parse Ethernet and at most one VLAN tag.  Returns 0, or -1 for a frame too
 * short for the headers it announces.  A second tag (QinQ) is left in place:
 * l3_proto is then the inner tag's TPID, which no caller treats as IP.
 */
static __always_inline int xl_parse_l2(void *data, void *data_end, struct xl_l2 *l2)
{
	struct ethhdr *eth = data;
	struct xl_vlan_hdr *vh;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return -1;
	proto = bpf_ntohs(eth->h_proto);
	l2->l3 = eth + 1;
	l2->vlan = 0;
	if (proto == ETH_P_8021Q || proto == ETH_P_8021AD) {
		vh = l2->l3;
		if ((void *)(vh + 1) > data_end)
			return -1;
		proto = bpf_ntohs(vh->encap_proto);
		l2->l3 = vh + 1;
		l2->vlan = 1;
	}
	l2->l3_proto = proto;
	return 0;
}

/*
 * Ones'-complement sum of a 20-byte IPv4 header (no options), folded to 16
 * bits: 0xffff when the header's checksum is right; with check = 0, its
 * complement is the checksum to write.  Ten unrolled adds, no loop.
 */
static __always_inline __u16 xl_ipv4_sum20(const void *iph)
{
	const __u16 *w = iph;
	__u32 s = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		s += w[i];
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s;
}

#endif
