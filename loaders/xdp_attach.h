/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_attach.h - load one XDP program (built-in or from any BPF object file)
 * and attach it to an interface by name in native, generic or offload mode.
 * Attachment is a bpf_link, so the kernel detaches it if the process dies;
 * xl_xdp_destroy() detaches on every normal path.  All user-facing failures are
 * reported once through xl_fail() with the exit class they belong to.
 */
#ifndef XL_XDP_ATTACH_H
#define XL_XDP_ATTACH_H

#include <stdbool.h>
#include "xdplab.h"

enum xl_mode {
	XL_MODE_NATIVE,
	XL_MODE_GENERIC,
	XL_MODE_OFFLOAD,
	XL_MODE_COUNT
};

int xl_mode_parse(const char *s, enum xl_mode *mode);
const char *xl_mode_name(enum xl_mode mode);
/* XDP_FLAGS_* for a mode. */
unsigned int xl_mode_flags(enum xl_mode mode);

/* One `const volatile` global set before load, or one map entry (u32 -> u32) set after. */
struct xl_xdp_global {
	const char *name;
	const char *value;
};
struct xl_xdp_map_entry {
	const char *map;
	__u32 key;
	__u32 value;
};

#define XL_XDP_MAX_SETS 16

struct xl_xdp_opts {
	const char *ns; /* namespace of the interface, NULL = current */
	const char *ifname;
	enum xl_mode mode;
	/* Built-in program ("drop", "drop-read", "pass", "tx", "redirect", "sink")
	 * when obj_path is NULL; otherwise the BPF program name inside obj_path
	 * (NULL: the object's only XDP program). */
	const char *prog;
	const char *obj_path;
	/* redirect: egress interface (same namespace) put into slot 0 of xl_tx_port. */
	const char *redirect_to;
	struct xl_xdp_global globals[XL_XDP_MAX_SETS];
	int nglobals;
	/* Set from inside ns, so that a devmap's ifindex names the namespace's device. */
	struct xl_xdp_map_entry maps[XL_XDP_MAX_SETS];
	int nmaps;
};

struct xl_xdp;

struct xl_xdp *xl_xdp_attach(const struct xl_xdp_opts *opts);
/*
 * Open an object and find its program without loading anything (config-time
 * checks): 0, or xl_fail() with the reason.  name NULL = the only XDP program.
 */
int xl_xdp_check_object(const char *obj_path, const char *name);
/* Sum of the per-CPU xl_stats records; -ENOENT if the object has no xl_stats. */
int xl_xdp_read_stats(const struct xl_xdp *x, struct xl_datarec out[XL_NR_ACTIONS]);
/* The loaded object, for callers that use program-specific maps (latency). */
struct bpf_object *xl_xdp_object(const struct xl_xdp *x);
/* The attached program's fd (for bpf_prog_info and BPF_PROG_TEST_RUN). */
int xl_xdp_prog_fd(const struct xl_xdp *x);
void xl_xdp_destroy(struct xl_xdp *x);

/* Built-in programs, for --help and validation. */
struct xl_builtin_prog {
	const char *name;
	const char *bpf_name;
	bool read_data;
	bool latency;
	bool needs_egress;
	const char *what;
};
extern const struct xl_builtin_prog xl_builtin_progs[];
const struct xl_builtin_prog *xl_builtin_find(const char *name);

/* Sum a per-CPU array element of struct xl_datarec. */
int xl_percpu_datarec_sum(int map_fd, __u32 key, struct xl_datarec *sum);

#endif
