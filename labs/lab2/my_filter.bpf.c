// SPDX-License-Identifier: GPL-2.0
/*
 * my_filter.bpf.c - lab 2's example XDP program: drop UDP to port 9 (what
 * xdplab's generator sends), pass everything else to the stack.  It counts
 * every verdict in xl_stats, the per-CPU map xdplab's loader knows, so
 * `xdplab load --obj my_filter.bpf.o --prog my_filter` prints rates per
 * action.  Build from the repository root:
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
#include "xdplab.h" /* struct xl_datarec, XL_NR_ACTIONS: shared with the loader */

#define DROP_PORT 9

/* Key = the XDP action returned (XDP_ABORTED=0 .. XDP_REDIRECT=4). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XL_NR_ACTIONS);
	__type(key, __u32);
	__type(value, struct xl_datarec);
} xl_stats SEC(".maps");

static __always_inline int count(struct xdp_md *ctx, int action)
{
	__u32 key = action;
	struct xl_datarec *rec = bpf_map_lookup_elem(&xl_stats, &key);

	if (rec) { /* cannot fail for key < max_entries, but the verifier insists */
		rec->packets++;
		rec->bytes += ctx->data_end - ctx->data;
	}
	return action;
}

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
		return count(ctx, XDP_PASS);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP || ip->ihl < 5)
		return count(ctx, XDP_PASS);
	/* IPv4 options make the header longer than struct iphdr: skip ihl words. */
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return count(ctx, XDP_PASS);
	if (udp->dest == bpf_htons(DROP_PORT))
		return count(ctx, XDP_DROP);
	return count(ctx, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
