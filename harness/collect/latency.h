/* SPDX-License-Identifier: GPL-2.0 */
/*
 * latency.h - read the sink's latency histogram (progs/lat_hist.h layout) and
 * turn it into the numbers of the paper's Table 1: count, min, average,
 * percentiles, maximum and the share under 10 us.  Percentiles are the
 * midpoint of the bucket holding the requested rank, so they are exact to the
 * bucket's resolution (25 ns below 100 us, 3.1% above); min, max and average
 * come from exact per-CPU running values, not from the buckets.
 */
#ifndef XL_LATENCY_H
#define XL_LATENCY_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "lat_hist.h"
#include "xdp_attach.h"

struct xl_lat_result {
	uint64_t hist[XL_LAT_BUCKETS];
	uint64_t count, sum_ns, min_ns, max_ns, reordered, unstamped, clock_anomalies;
};

/* Start or stop recording in an attached latency sink. */
int xl_lat_enable(struct xl_xdp *sink, bool on);
/* Zero the histogram, the summary and the sequence tracking. */
int xl_lat_reset(struct xl_xdp *sink);
int xl_lat_read(struct xl_xdp *sink, struct xl_lat_result *r);
/* Value at quantile q (0..1) of the histogram; 0 if empty. */
double xl_lat_percentile(const uint64_t *hist, uint64_t total, double q);
/* Share (0..1) of samples below limit_ns, limit a bucket edge. */
double xl_lat_share_below(const uint64_t *hist, uint64_t total, uint64_t limit_ns);

#endif
