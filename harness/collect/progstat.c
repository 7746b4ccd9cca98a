// SPDX-License-Identifier: GPL-2.0
/*
 * progstat.c - bpf_prog_info and BPF_PROG_TEST_RUN of one XDP program.  The
 * kernel times the repeat loop itself (two clock reads per call, not per
 * run), so ns per run is the program plus the test loop's own per-run work
 * (resetting the xdp_buff); the median of XL_PROGSTAT_CALLS calls is kept.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "progstat.h"
#include "util.h"
#include "xdplab.h"

int xl_prog_test_run(int prog_fd, const void *frame, size_t len, uint32_t repeat, double *ns,
		     uint32_t *retval)
{
	unsigned char out[XL_MAX_FRAME + 256]; /* room for a program that grows the frame */
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = repeat);
	int err = bpf_prog_test_run_opts(prog_fd, &o);

	if (err)
		return err;
	*ns = o.duration; /* the kernel's average ns per run of this call */
	if (retval)
		*retval = o.retval;
	return 0;
}

int xl_progstat_measure(int prog_fd, const void *frame, size_t len, uint32_t repeat,
			struct xl_progstat *out)
{
	struct bpf_prog_info info = {};
	uint32_t info_len = sizeof(info);
	double ns[XL_PROGSTAT_CALLS], discard;
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
	err = xl_prog_test_run(prog_fd, frame, len, repeat, &discard, NULL);
	for (int i = 0; !err && i < XL_PROGSTAT_CALLS; i++) {
		err = xl_prog_test_run(prog_fd, frame, len, repeat, &ns[i], &out->retval);
		out->calls += !err;
	}
	if (err)
		return err;
	xl_sort_doubles(ns, out->calls);
	out->ns_min = ns[0];
	out->ns_max = ns[out->calls - 1];
	out->ns_median = ns[out->calls / 2];
	return 0;
}
