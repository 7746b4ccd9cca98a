// SPDX-License-Identifier: GPL-2.0
/*
 * trafficgen.bpf.c - the in-kernel traffic generator.  User space runs xdp_gen
 * with BPF_PROG_RUN in live-frames mode (BPF_F_TEST_XDP_LIVE_FRAMES): the kernel
 * hands the program a frame initialised from the template, the program varies
 * the UDP source port over cfg_flows flows, stamps a sequence number (and, in
 * latency trials only, a timestamp) and redirects the frame out of cfg_ifindex.
 *
 * Pacing happens here, frame by frame, against a deadline: with cfg_interval_ps
 * set, the program reads the clock on every run and sends only when the next
 * frame is due (a run that is early returns XDP_DROP, and the kernel recycles
 * the frame at once).  User space keeps calling BPF_PROG_RUN with many runs
 * per call, so the per-call set-up is paid rarely and frames leave evenly
 * spaced, never in bursts that would overflow the 256-frame veth ring.  A
 * deadline missed by more than cfg_debt_ps (the thread was preempted) is not
 * repaid in a burst: the schedule restarts from now.  At the maximum rate
 * (cfg_interval_ps 0) no clock is read at all.
 *
 * Live frames are recycled without being re-copied from the template, and the
 * systems under test write into them (XDP_TX swaps MACs, Linux forwarding
 * rewrites MACs, TTL and checksum).  So the program rewrites the headers from
 * cfg_tmpl on every run and writes every varied field absolutely.
 *
 * Two variants of the test frame (xdplab.h): TCP frames (cfg_tcp_sum set) get
 * their checksum written from the sum user space computed with the varied
 * fields zero, plus those fields; replayed frames (cfg_replay frames in
 * xl_replay, from a pcap file) are copied whole into the live frame, in turn.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdplab.h"
#include "xl_stats.bpf.h"

const volatile __u32 cfg_ifindex = 0;
const volatile __u32 cfg_flows = 1;
const volatile __u16 cfg_gen_id = 0;
/* 1 only in latency trials: a clock read per frame is expensive on a paravirtual clock. */
const volatile __u8 cfg_stamp_time = 0;
/* Pacing: picoseconds between this thread's frames (0 = as fast as possible). */
const volatile __u64 cfg_interval_ps = 0;
/* How far behind its schedule the thread may fall and still catch up. */
const volatile __u64 cfg_debt_ps = 0;
/* Ethernet + IPv4 + UDP headers and the magic, as user space built them, in words. */
const volatile __u64 cfg_tmpl[XL_TMPL_WORDS] = {};
/*
 * TCP frames: the ones'-complement sum (unfolded) of the pseudo-header and the
 * segment with the source port, the generator id, the sequence number and the
 * checksum taken as zero; 0 = UDP (its checksum is optional and left 0).
 */
const volatile __u32 cfg_tcp_sum = 0;
/*
 * Destination addresses: cfg_naddrs of them in xl_gen_addrs (network order),
 * one per frame in turn; cfg_ip_sum is the IPv4 header's sum (unfolded) with
 * the checksum and the destination taken as zero.  0 = the template's address.
 */
const volatile __u32 cfg_naddrs = 0;
const volatile __u32 cfg_ip_sum = 0;
/*
 * Source addresses: cfg_nsrcs of them in xl_gen_srcs, one per frame in turn,
 * independently of the destinations (UDP only: the TCP sum keeps the source);
 * cfg_ip_sum then leaves the source out too.
 */
const volatile __u32 cfg_nsrcs = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* user space sets it to cfg_nsrcs */
	__type(key, __u32);
	__type(value, __u32);
} xl_gen_srcs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* user space sets it to cfg_naddrs */
	__type(key, __u32);
	__type(value, __u32);
} xl_gen_addrs SEC(".maps");

/* Replay: frames in xl_replay (flows cycles over them); 0 = the template frame. */
const volatile __u32 cfg_replay = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* user space sets it to the number of frames */
	__type(key, __u32);
	__type(value, struct xl_replay_frame);
} xl_replay SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xl_gen_state);
} xl_gen_state SEC(".maps");

/* The checksum of an unfolded ones'-complement sum (RFC 1071). */
static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* The frame's length is set first, then its bytes: the recycled frame may be shorter. */
static __always_inline int replay(struct xdp_md *ctx, __u32 idx)
{
	struct xl_replay_frame *f = bpf_map_lookup_elem(&xl_replay, &idx);
	int have = ctx->data_end - ctx->data;
	__u32 len;

	if (!f)
		return XDP_ABORTED;
	len = f->len;
	if (len < XL_PAYLOAD_END || len > XL_REPLAY_MAX_LEN)
		return XDP_ABORTED; /* user space loads only frames in range */
	if ((int)len != have && bpf_xdp_adjust_tail(ctx, (int)len - have))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, f->data, len))
		return XDP_ABORTED;
	xl_count(ctx, XDP_REDIRECT);
	return bpf_redirect(cfg_ifindex, 0);
}

SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xl_gen_state *st;
	__u32 key = 0, flow;
	__u64 seq, now = 0;

	if (data + XL_PAYLOAD_END > data_end)
		return XDP_ABORTED; /* user space never builds a shorter template */
	st = bpf_map_lookup_elem(&xl_gen_state, &key);
	if (!st)
		return XDP_ABORTED;
	if (st->limit && st->sent >= st->limit)
		return XDP_DROP; /* a counted run is complete */
	if (cfg_interval_ps || cfg_stamp_time)
		now = bpf_ktime_get_ns();
	if (cfg_interval_ps) {
		__u64 now_ps = now * 1000;

		if (!st->next_ps || now_ps > st->next_ps + cfg_debt_ps)
			st->next_ps = now_ps; /* first frame, or too far behind: restart */
		if (now_ps < st->next_ps) {
			st->idle++;
			return XDP_DROP; /* not due yet */
		}
		st->next_ps += cfg_interval_ps;
		if (!st->first_ns)
			st->first_ns = now;
		st->last_ns = now;
	}
	st->sent++;
	seq = st->seq++;
	flow = st->flow;
	/* A wrap-around counter instead of seq % flows: no division per frame. */
	st->flow = flow + 1 >= cfg_flows ? 0 : flow + 1;
	if (cfg_replay)
		return replay(ctx, flow);

		/* Word by word through the volatile array: a memcpy would let the compiler
	 * fold the (zero-initialised) template into constant stores. */
#pragma unroll
	for (int i = 0; i < XL_TMPL_WORDS; i++)
		((__u64 *)data)[i] = cfg_tmpl[i];
	*(__u16 *)(data + XL_OFF_UDP_SPORT) = bpf_htons(XL_UDP_SPORT_BASE + flow);
	*(__u16 *)(data + XL_OFF_GEN) = cfg_gen_id;
	*(__u32 *)(data + XL_OFF_SEQ) = (__u32)seq;
	if (cfg_stamp_time)
		*(__u64 *)(data + XL_OFF_TSTAMP) = now;
	if (cfg_naddrs) {
		__u32 i = st->addr, *a;

		st->addr = i + 1 >= cfg_naddrs ? 0 : i + 1;
		a = bpf_map_lookup_elem(&xl_gen_addrs, &i);
		if (!a)
			return XDP_ABORTED;
		*(__u16 *)(data + XL_OFF_IP_DADDR) = *a & 0xffff;
		*(__u16 *)(data + XL_OFF_IP_DADDR + 2) = *a >> 16;
	}
	if (cfg_nsrcs) {
		__u32 i = st->src, *a;

		st->src = i + 1 >= cfg_nsrcs ? 0 : i + 1;
		a = bpf_map_lookup_elem(&xl_gen_srcs, &i);
		if (!a)
			return XDP_ABORTED;
		*(__u16 *)(data + XL_OFF_IP_SADDR) = *a & 0xffff;
		*(__u16 *)(data + XL_OFF_IP_SADDR + 2) = *a >> 16;
	}
	if (cfg_naddrs || cfg_nsrcs) {
		/* cfg_ip_sum left out the destination, and the source when it varies. */
		__u32 sum = cfg_ip_sum + *(__u16 *)(data + XL_OFF_IP_DADDR) +
			    *(__u16 *)(data + XL_OFF_IP_DADDR + 2);

		if (cfg_nsrcs)
			sum += *(__u16 *)(data + XL_OFF_IP_SADDR) +
			       *(__u16 *)(data + XL_OFF_IP_SADDR + 2);
		*(__u16 *)(data + XL_OFF_IP_CSUM) = csum_fold(sum);
	}
	if (cfg_tcp_sum) {
		/* The pseudo-header holds the destination: cfg_tcp_sum leaves it out then. */
		__u32 sum = cfg_tcp_sum + *(__u16 *)(data + XL_OFF_UDP_SPORT) +
			    *(__u16 *)(data + XL_OFF_GEN) + *(__u16 *)(data + XL_OFF_SEQ) +
			    *(__u16 *)(data + XL_OFF_SEQ + 2);

		if (cfg_naddrs)
			sum += *(__u16 *)(data + XL_OFF_IP_DADDR) +
			       *(__u16 *)(data + XL_OFF_IP_DADDR + 2);
		*(__u16 *)(data + XL_OFF_TCP_CSUM) = csum_fold(sum);
	}

	/* Counted as sent before the redirect: the port drops what its ring cannot take. */
	xl_count(ctx, XDP_REDIRECT);
	return bpf_redirect(cfg_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
