// SPDX-License-Identifier: GPL-2.0
/*
 * progstat.c - bpf_prog_info and BPF_PROG_TEST_RUN of one XDP program.  The
 * kernel times the repeat loop itself (two clock reads per call, not per
 * run), so ns per run is the program plus the test loop's own per-run work
 * (resetting the xdp_buff); the median of XL_PROGSTAT_CALLS calls is kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "progstat.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int xl_progstat_measure(int prog_fd, const void *frame, size_t len, uint32_t repeat,
			struct xl_progstat *out)
{
	struct bpf_prog_info info = {};
	uint32_t info_len = sizeof(info);
	double ns[XL_PROGSTAT_CALLS];
	unsigned char data_out[2048];
	int err;

	memset(out, 0, sizeof(*out));
	err = bpf_obj_get_info_by_fd(prog_fd, &info, &info_len);
	if (err)
		return err;
	snprintf(out->name, sizeof(out->name), "%s", info.name);
	out->verified_insns = info.verified_insns;
	out->xlated_bytes = info.xlated_prog_len;
	out->jited_bytes = info.jited_prog_len;
	out->maps = info.nr_map_ids;
	out->repeat = repeat;
	/*
	 * One call first, not kept: the first run of a program after load paid up
	 * to 20% more here (cold caches and branch predictors, the JIT image's
	 * first pages), which made two loads of one object differ.
	 */
	for (int i = -1; i < XL_PROGSTAT_CALLS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len,
			    .data_out = data_out, .data_size_out = sizeof(data_out),
			    .repeat = repeat);

		err = bpf_prog_test_run_opts(prog_fd, &o);
		if (err)
			return err;
		if (i < 0)
			continue;
		ns[i] = o.duration; /* the kernel's average ns per run of this call */
		out->retval = o.retval;
		out->calls++;
	}
	qsort(ns, out->calls, sizeof(ns[0]), cmp_double);
	out->ns_min = ns[0];
	out->ns_max = ns[out->calls - 1];
	out->ns_median = ns[out->calls / 2];
	return 0;
}
