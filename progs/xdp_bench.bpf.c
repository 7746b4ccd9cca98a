// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_bench.bpf.c - the XDP programs under test: drop (with and without reading
 * the packet), pass, tx and redirect, plus the sink that counts what arrives at
 * the far end.  One object, programs picked by name; per-variant behaviour is a
 * `const volatile` setting fixed before load, so the verifier prunes the unused
 * path and the measured program carries no per-packet configuration branch.
 * Every program counts packets and bytes per returned action in xl_stats.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdplab.h"
#include "lat_hist.h"
#include "xl_stats.bpf.h"

/* drop: 1 = read the Ethernet header before dropping (the paper's "read" variant). */
const volatile __u32 cfg_read_data = 0;
/* sink: 1 = latency variant (histogram, reordering); only loaded for latency trials. */
const volatile __u32 cfg_latency = 0;
/* Tests only: a fixed "now" instead of the clock, to check bucket placement exactly. */
const volatile __u64 cfg_test_now = 0;

/* redirect: slot 0 holds the egress interface. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xl_tx_port SEC(".maps");

/* Latency variant: the histogram, per-CPU summary, highest sequence seen per generator. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XL_LAT_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} xl_lat_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xl_lat_state);
} xl_lat_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XL_LAT_MAX_GENS);
	__type(key, __u32);
	__type(value, __u32); /* highest sequence number seen + 1; 0 = none yet */
} xl_lat_seq SEC(".maps");

/* Slot 0: 1 while user space measures (warm-up frames are not recorded). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xl_lat_ctl SEC(".maps");

static __always_inline void swap_macs(struct ethhdr *eth)
{
	__u8 tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	if (cfg_read_data) {
		void *data = (void *)(long)ctx->data;
		void *data_end = (void *)(long)ctx->data_end;
		struct ethhdr *eth = data;
		volatile __u16 proto;

		if ((void *)(eth + 1) > data_end)
			return xl_count(ctx, XDP_DROP);
		/* The volatile store keeps the load that the variant exists to measure. */
		proto = eth->h_proto;
		(void)proto;
	}
	return xl_count(ctx, XDP_DROP);
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return xl_count(ctx, XDP_PASS);
}

/*
 * Swap the MACs of a frame that has an Ethernet header; false for a frame too
 * short for one (the callers drop and count it, never abort).
 */
static __always_inline bool bounce(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return false;
	swap_macs(eth);
	return true;
}

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	if (!bounce(ctx))
		return xl_count(ctx, XDP_DROP);
	return xl_count(ctx, XDP_TX);
}

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	if (!bounce(ctx))
		return xl_count(ctx, XDP_DROP);
	/* An empty slot returns XDP_ABORTED: a mis-set egress port shows in the counters. */
	return xl_count(ctx, bpf_redirect_map(&xl_tx_port, 0, XDP_ABORTED));
}

/*
 * Sink: frames carrying the xdplab magic are counted under XDP_DROP and dropped;
 * anything else (stray neighbour traffic) is counted under XDP_PASS and passed,
 * so the sink's count is exactly the generator's frames that arrived.
 */
static __always_inline void record_latency(void *data, void *data_end)
{
	struct xl_lat_state *st;
	__u32 key = 0, *on, *seen, gen, seq, b;
	__u64 ts, now, lat, *slot;

	on = bpf_map_lookup_elem(&xl_lat_ctl, &key);
	st = bpf_map_lookup_elem(&xl_lat_state, &key);
	if (!on || !*on || !st || data + XL_PAYLOAD_END > data_end)
		return;
	ts = *(__u64 *)(data + XL_OFF_TSTAMP);
	if (!ts) {
		st->unstamped++;
		return;
	}
	now = cfg_test_now ? cfg_test_now : bpf_ktime_get_ns();
	if (now < ts) {
		st->clock_anomalies++;
		return;
	}
	lat = now - ts;
	b = xl_lat_bucket(lat);
	slot = bpf_map_lookup_elem(&xl_lat_hist, &b);
	if (slot)
		(*slot)++;
	if (!st->count || lat < st->min_ns)
		st->min_ns = lat;
	if (lat > st->max_ns)
		st->max_ns = lat;
	st->count++;
	st->sum_ns += lat;

	gen = *(__u16 *)(data + XL_OFF_GEN) & (XL_LAT_MAX_GENS - 1);
	seq = *(__u32 *)(data + XL_OFF_SEQ);
	seen = bpf_map_lookup_elem(&xl_lat_seq, &gen);
	if (seen) {
		/* The newest number again is a copy of the relay's (relay.h), not reordering. */
		if (seq + 1 < *seen)
			st->reordered++;
		else
			*seen = seq + 1;
	}
}

SEC("xdp")
int xdp_sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u16 *magic = data + XL_OFF_MAGIC;

	if ((void *)(magic + 1) > data_end || *magic != bpf_htons(XL_MAGIC))
		return xl_count(ctx, XDP_PASS);
	if (cfg_latency)
		record_latency(data, data_end);
	return xl_count(ctx, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
