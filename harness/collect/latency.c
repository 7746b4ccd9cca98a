// SPDX-License-Identifier: GPL-2.0
/* latency.c - latency sink control, histogram reads and percentiles. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "latency.h"

static int map_fd(struct xl_xdp *sink, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(xl_xdp_object(sink), name);

	return m ? bpf_map__fd(m) : -ENOENT;
}

int xl_lat_enable(struct xl_xdp *sink, bool on)
{
	int fd = map_fd(sink, "xl_lat_ctl");
	__u32 key = 0, val = on;

	if (fd < 0)
		return fd;
	return bpf_map_update_elem(fd, &key, &val, 0) ? -errno : 0;
}

/* Write zeroes to keys 0..n-1 of a per-CPU map with values of vsize bytes. */
static int zero_percpu(int fd, __u32 n, size_t vsize)
{
	int ncpu = libbpf_num_possible_cpus();
	void *zero;
	int err = 0;

	if (fd < 0)
		return fd;
	zero = calloc(ncpu, (vsize + 7) & ~7ul);
	if (!zero)
		return -ENOMEM;
	for (__u32 k = 0; k < n && !err; k++)
		err = bpf_map_update_elem(fd, &k, zero, 0) ? -errno : 0;
	free(zero);
	return err;
}

int xl_lat_reset(struct xl_xdp *sink)
{
	int err;

	err = zero_percpu(map_fd(sink, "xl_lat_hist"), XL_LAT_BUCKETS, sizeof(__u64));
	if (!err)
		err = zero_percpu(map_fd(sink, "xl_lat_state"), 1, sizeof(struct xl_lat_state));
	if (!err)
		err = zero_percpu(map_fd(sink, "xl_lat_seq"), XL_LAT_MAX_GENS, sizeof(__u32));
	return err;
}

int xl_lat_read(struct xl_xdp *sink, struct xl_lat_result *r)
{
	int hfd = map_fd(sink, "xl_lat_hist"), sfd = map_fd(sink, "xl_lat_state");
	int ncpu = libbpf_num_possible_cpus();
	struct xl_lat_state *st;
	__u64 *vals;
	__u32 key = 0;
	int err = 0;

	if (hfd < 0 || sfd < 0)
		return -ENOENT;
	memset(r, 0, sizeof(*r));
	vals = calloc(ncpu, sizeof(*vals));
	st = calloc(ncpu, sizeof(*st));
	if (!vals || !st) {
		err = -ENOMEM;
		goto out;
	}
	for (__u32 b = 0; b < XL_LAT_BUCKETS; b++) {
		if (bpf_map_lookup_elem(hfd, &b, vals)) {
			err = -errno;
			goto out;
		}
		for (int c = 0; c < ncpu; c++)
			r->hist[b] += vals[c];
	}
	if (bpf_map_lookup_elem(sfd, &key, st)) {
		err = -errno;
		goto out;
	}
	for (int c = 0; c < ncpu; c++) {
		if (st[c].count && (!r->count || st[c].min_ns < r->min_ns))
			r->min_ns = st[c].min_ns;
		if (st[c].max_ns > r->max_ns)
			r->max_ns = st[c].max_ns;
		r->count += st[c].count;
		r->sum_ns += st[c].sum_ns;
		r->reordered += st[c].reordered;
		r->unstamped += st[c].unstamped;
		r->clock_anomalies += st[c].clock_anomalies;
	}
out:
	free(vals);
	free(st);
	return err;
}

double xl_lat_percentile(const uint64_t *hist, uint64_t total, double q)
{
	uint64_t rank, cum = 0;

	if (!total)
		return 0;
	/* Nearest-rank definition: the smallest value with at least q of the samples. */
	rank = (uint64_t)ceil(q * total);
	if (rank < 1)
		rank = 1;
	for (__u32 b = 0; b < XL_LAT_BUCKETS; b++) {
		cum += hist[b];
		if (cum >= rank)
			return (xl_lat_bucket_lo(b) + xl_lat_bucket_hi(b)) / 2.0;
	}
	return xl_lat_bucket_lo(XL_LAT_BUCKETS - 1);
}

double xl_lat_share_below(const uint64_t *hist, uint64_t total, uint64_t limit_ns)
{
	uint64_t below = 0;

	if (!total)
		return 0;
	for (__u32 b = 0; b < XL_LAT_BUCKETS && xl_lat_bucket_hi(b) <= limit_ns; b++)
		below += hist[b];
	return (double)below / total;
}
