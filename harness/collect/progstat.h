/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progstat.h - the deterministic metrics of an XDP program: what the verifier
 * processed, its sizes and maps (bpf_prog_info), and its own run time by
 * BPF_PROG_TEST_RUN with repeat on the test frame.  These barely move between
 * runs, so they can be compared even on a noisy machine.
 */
#ifndef XL_PROGSTAT_H
#define XL_PROGSTAT_H

#include <stddef.h>
#include <stdint.h>

#define XL_PROGSTAT_CALLS 11

struct xl_progstat {
	char name[64];
	uint32_t verified_insns, xlated_bytes, jited_bytes, maps;
	uint32_t repeat, calls, retval;
	double ns_median, ns_min, ns_max; /* per run */
};

/* One BPF_PROG_TEST_RUN call of repeat runs: the kernel's mean ns per run, and the
 * program's return value (retval may be NULL); 0 or -errno. */
int xl_prog_test_run(int prog_fd, const void *frame, size_t len, uint32_t repeat, double *ns,
		     uint32_t *retval);
/* Measure prog_fd on frame (len bytes); 0 or -errno. */
int xl_progstat_measure(int prog_fd, const void *frame, size_t len, uint32_t repeat,
			struct xl_progstat *out);

#endif
