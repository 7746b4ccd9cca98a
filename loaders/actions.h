/* SPDX-License-Identifier: GPL-2.0 */
/*
 * actions.h - per-action packet and byte counts for any loaded XDP program,
 * without changing it: an fexit program (progs/xdp_actions.bpf.c) attached to
 * the program through a BPF trampoline records every verdict.  It needs the
 * program's BTF (func_info) and a kernel with trampolines; it counts every run
 * of the program, from any device it is attached to and from
 * BPF_PROG_TEST_RUN alike.  Also what the recorder costs per packet, measured
 * with BPF_PROG_TEST_RUN.  The lab VM's kernel (6.18) refuses tracing
 * programs (EPERM), so there the recorder cannot attach and the cost cannot
 * be measured; under emulation (Debian 6.1 in QEMU TCG) it measured ~300 ns
 * against ~60 ns for a minimal program, an emulation figure (docs/actions.md).
 */
#ifndef XL_ACTIONS_H
#define XL_ACTIONS_H

#include <stddef.h>
#include "xdplab.h"

struct xl_actions;

/*
 * Attach the recorder to the loaded XDP program xdp_prog_fd.  func is the
 * program's BTF function name (libbpf's program name); NULL reads it from the
 * program's func_info.  NULL with errno set on failure: EOPNOTSUPP if the
 * program has no BTF, EINVAL if it is not an XDP program, else what the
 * kernel said (e.g. an offloaded program cannot be traced).
 */
struct xl_actions *xl_actions_attach(int xdp_prog_fd, const char *func);
/*
 * Counts since attach, summed over CPUs: out[a] for a = XDP_ABORTED ..
 * XDP_REDIRECT and, if other is not NULL, the runs that returned anything
 * else.  0 or -errno.
 */
int xl_actions_read(const struct xl_actions *a, struct xl_datarec out[XL_NR_ACTIONS],
		    struct xl_datarec *other);
/* Detach and unload the recorder; the XDP program itself is untouched. */
void xl_actions_destroy(struct xl_actions *a);

/*
 * The recorder's cost per run of a program, by BPF_PROG_TEST_RUN with repeat:
 * XL_ACTIONS_COST_PAIRS pairs of calls, one without and one with a recorder
 * attached (a fresh one per pair), interleaved so that drift on a shared
 * machine hits both alike.
 * repeat is chosen so that one call lasts about 20 ms.  The kernel reports
 * the mean ns per run of each call; cost is the median of the per-pair
 * differences, min and max their spread.
 */
#define XL_ACTIONS_COST_PAIRS 11

struct xl_actions_cost {
	__u32 repeat, pairs;
	double base_ns; /* median ns per run without the recorder */
	double with_ns; /* median ns per run with it */
	double cost_ns, cost_min_ns, cost_max_ns;
};

/*
 * Measure on xdp_prog_fd with frame (len bytes; NULL: a 64-byte UDP/IPv4
 * frame).  Every run executes the program for real (its maps change) and is
 * counted by any recorder already attached to it: measure on a program that
 * carries no traffic, such as xl_actions_ref_prog().  0 or -errno; -EIO if the
 * recorder did not see the runs it was timed on.
 */
int xl_actions_cost_ns(int xdp_prog_fd, const void *frame, size_t len, struct xl_actions_cost *out);
/* A minimal XDP program (returns XDP_PASS), never attached: its fd, or -errno. */
int xl_actions_ref_prog(void);

#endif
