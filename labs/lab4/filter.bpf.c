// SPDX-License-Identifier: GPL-2.0
/*
 * filter.bpf.c - lab 4's program: a UDP port filter (drop the port in
 * rodata `port`, pass the rest) with a hidden knob, EXTRA, the number of
 * rounds of a bounded loop over the UDP header per packet.  The lab's
 * instructor builds several versions with different EXTRA and hands them out
 * unlabelled; the students find which one got slower, and by how much, with
 * xdplab ab and xdplab compare.  Build:
 *   clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -DEXTRA=N \
 *         -c labs/lab4/filter.bpf.c -o vN.o
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#ifndef EXTRA
#define EXTRA 0
#endif

const volatile __u16 port = 9; /* xdplab's generator sends to UDP port 9 */
const volatile __u32 extra = EXTRA;

SEC("xdp")
int filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 acc = 0;

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	/* The injected slowdown: work the compiler cannot remove (acc is used below). */
	for (__u32 i = 0; i < 256 && i < extra; i++)
		acc += i ^ udp->source;
	if (acc == 0xffffffff)
		return XDP_ABORTED;
	return udp->dest == bpf_htons(port) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
