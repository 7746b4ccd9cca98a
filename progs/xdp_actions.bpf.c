// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_actions.bpf.c - count the verdicts of any XDP program without changing
 * it.  xl_act_fexit is an fexit program that user space attaches to an already
 * loaded XDP program (bpf_program__set_attach_target() with the target's fd
 * and BTF function name, before load): the BPF trampoline calls it after every
 * run of the target with the target's argument and return value, and it counts
 * packets and bytes per returned action in a per-CPU array.  Bytes are the
 * frame as the program leaves it (after any head/tail adjustment): what is
 * passed, sent or redirected.  xl_act_ref is a minimal XDP program that is
 * never attached to a device; loaders/actions.c times BPF_PROG_TEST_RUN of it
 * with and without the recorder to report what the recorder costs per packet.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "xdplab.h"

/*
 * An fexit program on an XDP program does not see the UAPI struct xdp_md: the
 * verifier translates the target's context argument to the kernel's struct
 * xdp_buff.  Only the two fields read here are declared; CO-RE relocates their
 * offsets against the running kernel's BTF, so no vmlinux.h is needed.
 */
struct xdp_buff {
	void *data;
	void *data_end;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XL_ACT_SLOTS);
	__type(key, __u32);
	__type(value, struct xl_datarec);
} xl_act_counts SEC(".maps");

/* No target in the section name: user space sets it per attached program. */
SEC("fexit")
int BPF_PROG(xl_act_fexit, struct xdp_buff *xdp, int action)
{
	/* Unsigned compare: negative return values land in the "other" slot too. */
	__u32 key = (__u32)action < XL_NR_ACTIONS ? (__u32)action : XL_ACT_OTHER;
	struct xl_datarec *rec = bpf_map_lookup_elem(&xl_act_counts, &key);

	/* Cannot fail for key < max_entries, but the verifier insists. */
	if (!rec)
		return 0;
	rec->packets++;
	/* xdp is a BTF pointer: these loads are checked by the kernel, not by us. */
	rec->bytes += xdp->data_end - xdp->data;
	return 0;
}

SEC("xdp")
int xl_act_ref(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
