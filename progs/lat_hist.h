/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lat_hist.h - the latency histogram's bucket layout, shared by the sink
 * program (which fills it) and user space (which reads percentiles from it).
 *
 * Log-linear, in nanoseconds:
 *   - linear below 100 us: 2000 buckets of 50 ns (bucket i = [50 i, 50 (i+1)));
 *     10 us is a bucket edge, so "share under 10 us" is exact;
 *   - logarithmic from 100 us: 16 buckets per doubling, for 20 doublings
 *     (100 us .. ~105 s), bucket width 1/16 of the doubling's lower edge;
 *   - one overflow bucket above that.
 * Worst-case error of a value reported as its bucket's midpoint: 25 ns below
 * 100 us; 1/32 = 3.1% of the value from 100 us up (1/16 = 6.25% if the
 * bucket's lower edge is reported).
 */
#ifndef XL_LAT_HIST_H
#define XL_LAT_HIST_H

#define XL_LAT_LIN_NS 50ULL
#define XL_LAT_LIN_BUCKETS 2000
#define XL_LAT_LOG_BASE_NS (XL_LAT_LIN_NS * XL_LAT_LIN_BUCKETS) /* 100 us */
#define XL_LAT_SUB 16
#define XL_LAT_OCTAVES 20
#define XL_LAT_BUCKETS (XL_LAT_LIN_BUCKETS + XL_LAT_SUB * XL_LAT_OCTAVES + 1)

/* Bucket of a latency in ns; a bounded loop, fine for the verifier. */
static inline __u32 xl_lat_bucket(__u64 ns)
{
	__u64 base = XL_LAT_LOG_BASE_NS;
	__u32 oct;

	if (ns < XL_LAT_LOG_BASE_NS)
		return ns / XL_LAT_LIN_NS;
	for (oct = 0; oct < XL_LAT_OCTAVES; oct++) {
		if (ns < base * 2)
			return XL_LAT_LIN_BUCKETS + oct * XL_LAT_SUB +
			       (__u32)((ns - base) * XL_LAT_SUB / base);
		base *= 2;
	}
	return XL_LAT_BUCKETS - 1;
}

/* Lower edge of bucket b in ns. */
static inline __u64 xl_lat_bucket_lo(__u32 b)
{
	__u32 oct, sub;

	if (b < XL_LAT_LIN_BUCKETS)
		return b * XL_LAT_LIN_NS;
	if (b >= XL_LAT_BUCKETS - 1)
		return XL_LAT_LOG_BASE_NS << XL_LAT_OCTAVES;
	oct = (b - XL_LAT_LIN_BUCKETS) / XL_LAT_SUB;
	sub = (b - XL_LAT_LIN_BUCKETS) % XL_LAT_SUB;
	return (XL_LAT_LOG_BASE_NS << oct) + (XL_LAT_LOG_BASE_NS << oct) / XL_LAT_SUB * sub;
}

/* Upper edge (exclusive); the overflow bucket reports its lower edge. */
static inline __u64 xl_lat_bucket_hi(__u32 b)
{
	return b >= XL_LAT_BUCKETS - 1 ? xl_lat_bucket_lo(b) : xl_lat_bucket_lo(b + 1);
}

/* Per-CPU latency state of the sink (alongside the histogram). */
struct xl_lat_state {
	__u64 count;
	__u64 sum_ns;
	__u64 min_ns;
	__u64 max_ns;
	__u64 reordered; /* frames whose sequence number is below one already seen */
	__u64 unstamped; /* xdplab frames without a timestamp */
	__u64 clock_anomalies; /* timestamp in the future: clocks disagree */
};

#define XL_LAT_MAX_GENS 64

#endif
