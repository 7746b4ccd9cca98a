// SPDX-License-Identifier: GPL-2.0
/*
 * pfprobe.c - the preflight's trial attachments (see pfprobe.h).  The program
 * is XDP_DROP for the live-frames run (its frames go nowhere) and XDP_PASS for
 * the attach probe (a port that carries traffic keeps carrying it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include "pfprobe.h"
#include "netns.h"

static int load_const(int verdict)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = verdict },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "xl_probe", "GPL", insns, 2, NULL);

	return fd < 0 ? -errno : fd;
}

int xl_probe_live_frames(void)
{
	char frame[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = 60, .repeat = 1,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	int fd = load_const(XDP_DROP), err;

	if (fd < 0)
		return fd;
	err = bpf_prog_test_run_opts(fd, &o) ? -errno : 0;
	close(fd);
	return err;
}

int xl_probe_native_xdp(const char *ns, const char *ifname)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = XDP_FLAGS_DRV_MODE);
	int fd = load_const(XDP_PASS), ifindex, link = -1, saved, err;

	if (fd < 0)
		return fd;
	ifindex = xl_ns_ifindex(ns, ifname);
	err = ifindex < 0 ? ifindex : xl_ns_enter(ns, &saved);
	if (!err) {
		/* The ifindex is looked up in the namespace of the calling thread. */
		link = bpf_link_create(fd, ifindex, BPF_XDP, &lo);
		err = link < 0 ? -errno : 0;
		xl_ns_leave(saved);
	}
	if (link >= 0)
		close(link);
	close(fd);
	return err;
}
