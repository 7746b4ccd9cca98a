// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_relay.bpf.c - the generator's relay on xdplab's veth testbed: every
 * frame that arrives on the relay port is redirected, unchanged, out of the
 * generator port (every filled devmap slot names it).  An skb generator (the DPDK generator's
 * AF_XDP copy mode, pktgen's AF_PACKET) sends into the relay's peer; the relay
 * turns its skbs into XDP frames on the generator's core, so dut-in receives
 * XDP frames exactly as from the live-frames generator.  Without it veth would
 * convert every skb for a native XDP program on dut-in itself (a page
 * allocation and a copy on the DUT's core, measured 400 ns/pkt for XDP_DROP),
 * and the DUT would be charged for the generator's kind of frames.
 *
 * The relay can also send each frame several times (relay.h): the generator
 * then offers the DUT a multiple of what it can pace, as pktgen's clone_skb.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdplab.h"
#include "xl_stats.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, XL_RELAY_MAX_COPIES);
	__type(key, __u32);
	__type(value, __u32);
} xl_relay_port SEC(".maps");

SEC("xdp")
int xdp_relay(struct xdp_md *ctx)
{
	/*
	 * Broadcast: one copy per filled slot, every slot the generator port.
	 * The kernel clones the frame (a page and a copy each) for all but the
	 * last slot, on this core: the generator's, not the DUT's.
	 */
	return xl_count(ctx, bpf_redirect_map(&xl_relay_port, 0, BPF_F_BROADCAST));
}

char LICENSE[] SEC("license") = "GPL";
