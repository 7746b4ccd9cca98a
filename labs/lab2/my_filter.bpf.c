// SPDX-License-Identifier: GPL-2.0
/*
 * my_filter.bpf.c - lab 2's example XDP program: drop UDP to port 9 (what
 * xdplab's generator sends), pass everything else to the stack.  It counts
 * every verdict in xl_stats (progs/xl_stats.bpf.h), the map that xdplab's
 * loader reads, so `xdplab load --obj my_filter.bpf.o --prog my_filter`
 * prints rates per action.  Build from the repository root:
 *   clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -Iprogs \
 *         -c labs/lab2/my_filter.bpf.c -o my_filter.bpf.o
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
/* xl_stats (per-CPU packets/bytes per XDP action, the map xdplab's loader reads) and
 * xl_count(ctx, action), which counts the frame and returns the action. */
#include "xl_stats.bpf.h"

#define DROP_PORT 9

SEC("xdp")
int my_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	/* Every access must be proven inside [data, data_end) or the verifier refuses. */
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return xl_count(ctx, XDP_PASS);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP || ip->ihl < 5)
		return xl_count(ctx, XDP_PASS);
	/* IPv4 options make the header longer than struct iphdr: skip ihl words. */
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return xl_count(ctx, XDP_PASS);
	if (udp->dest == bpf_htons(DROP_PORT))
		return xl_count(ctx, XDP_DROP);
	return xl_count(ctx, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
