// SPDX-License-Identifier: GPL-2.0
/*
 * actions.c - the fexit action recorder's user side: find the target's BTF
 * function name, load xl_act_fexit against it, attach it as a tracing
 * bpf_link (the kernel removes it if the process dies), read its per-CPU
 * counters, and time what it adds to every run of the target.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "actions.h"
#include "collect/progstat.h"
#include "gen/pkt.h"
#include "util.h"
#include "xdp_actions.skel.h"
#include "xdp_attach.h"

struct xl_actions {
	struct xdp_actions *skel;
	int counts_fd;
};

/* The name of the program's main function: its first func_info record. */
static int prog_func_name(int prog_fd, char *buf, size_t len)
{
	struct bpf_prog_info info = {};
	struct bpf_func_info fi = {};
	__u32 info_len = sizeof(info);
	const struct btf_type *t;
	const char *name;
	struct btf *btf;
	__u32 btf_id;
	int err;

	err = bpf_obj_get_info_by_fd(prog_fd, &info, &info_len);
	if (err)
		return err;
	if (info.type != BPF_PROG_TYPE_XDP)
		return -EINVAL;
	if (!info.btf_id || !info.nr_func_info)
		return -EOPNOTSUPP;
	btf_id = info.btf_id;
	memset(&info, 0, sizeof(info));
	info.nr_func_info = 1;
	info.func_info_rec_size = sizeof(fi);
	info.func_info = (__u64)(unsigned long)&fi;
	err = bpf_obj_get_info_by_fd(prog_fd, &info, &info_len);
	if (err)
		return err;
	btf = btf__load_from_kernel_by_id(btf_id);
	if (!btf)
		return -errno;
	t = btf__type_by_id(btf, fi.type_id);
	name = t && btf_is_func(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
	if (!name || !*name)
		err = -EOPNOTSUPP;
	else if (snprintf(buf, len, "%s", name) >= (int)len)
		err = -ENAMETOOLONG;
	btf__free(btf);
	return err;
}

/* Open and load the recorder against the target, not attached yet. */
static int recorder_load(struct xl_actions *a, int xdp_prog_fd, const char *func)
{
	char name[128];
	int err;

	if (!func) {
		err = prog_func_name(xdp_prog_fd, name, sizeof(name));
		if (err)
			return err;
		func = name;
	}
	a->skel = xdp_actions__open();
	if (!a->skel)
		return -errno;
	bpf_program__set_autoload(a->skel->progs.xl_act_ref, false);
	err = bpf_program__set_attach_target(a->skel->progs.xl_act_fexit, xdp_prog_fd, func);
	if (err)
		return err;
	err = xdp_actions__load(a->skel);
	if (err)
		return err;
	a->counts_fd = bpf_map__fd(a->skel->maps.xl_act_counts);
	return 0;
}

static int recorder_link(struct xl_actions *a)
{
	struct bpf_link *l = bpf_program__attach_trace(a->skel->progs.xl_act_fexit);

	if (!l)
		return -errno;
	a->skel->links.xl_act_fexit = l;
	return 0;
}

struct xl_actions *xl_actions_attach(int xdp_prog_fd, const char *func)
{
	struct xl_actions *a = calloc(1, sizeof(*a));
	int err;

	if (!a) {
		errno = ENOMEM;
		return NULL;
	}
	err = recorder_load(a, xdp_prog_fd, func);
	if (err)
		goto err_destroy;
	err = recorder_link(a);
	if (err)
		goto err_destroy;
	return a;
err_destroy:
	xl_actions_destroy(a);
	errno = -err;
	return NULL;
}

int xl_actions_read(const struct xl_actions *a, struct xl_datarec out[XL_NR_ACTIONS],
		    struct xl_datarec *other)
{
	int err;

	for (__u32 k = 0; k < XL_NR_ACTIONS; k++) {
		err = xl_percpu_datarec_sum(a->counts_fd, k, &out[k]);
		if (err)
			return err;
	}
	return other ? xl_percpu_datarec_sum(a->counts_fd, XL_ACT_OTHER, other) : 0;
}

void xl_actions_destroy(struct xl_actions *a)
{
	if (!a)
		return;
	/* Destroys the link first, then the program: the trampoline goes with the link. */
	xdp_actions__destroy(a->skel);
	free(a);
}

int xl_actions_ref_prog(void)
{
	struct xdp_actions *skel = xdp_actions__open();
	int fd, err;

	if (!skel)
		return -errno;
	bpf_program__set_autoload(skel->progs.xl_act_fexit, false);
	err = xdp_actions__load(skel);
	if (err)
		goto out;
	/* The dup keeps the program alive after the skeleton closes its fd. */
	fd = fcntl(bpf_program__fd(skel->progs.xl_act_ref), F_DUPFD_CLOEXEC, 0);
	err = fd < 0 ? -errno : fd;
out:
	xdp_actions__destroy(skel);
	return err;
}

/* A call lasts about this long: long enough to average out, short enough to interleave. */
#define COST_CALL_NS 20e6
#define COST_MIN_REPEAT 1000
#define COST_MAX_REPEAT 1000000

/*
 * The kernel lets a tracing program that was loaded against a target attach
 * once (re-attaching to a program target is allowed for freplace only), so
 * every pair gets a recorder of its own, loaded before the pair is timed.
 */
static int timed_pair(int fd, const void *frame, size_t len, __u32 repeat, double *base,
		      double *with)
{
	struct xl_datarec counts[XL_NR_ACTIONS], other;
	struct xl_actions a = {};
	__u64 seen;
	int err;

	err = recorder_load(&a, fd, NULL);
	if (err)
		goto out;
	err = xl_prog_test_run(fd, frame, len, repeat, base, NULL);
	if (err)
		goto out;
	err = recorder_link(&a);
	if (err)
		goto out;
	err = xl_prog_test_run(fd, frame, len, repeat, with, NULL);
	if (err)
		goto out;
	/* Validate what was timed: the recorder ran on every one of those runs. */
	err = xl_actions_read(&a, counts, &other);
	if (err)
		goto out;
	seen = other.packets;
	for (int k = 0; k < XL_NR_ACTIONS; k++)
		seen += counts[k].packets;
	err = seen < repeat ? -EIO : 0;
out:
	xdp_actions__destroy(a.skel);
	return err;
}

int xl_actions_cost_ns(int xdp_prog_fd, const void *frame, size_t len, struct xl_actions_cost *out)
{
	double base[XL_ACTIONS_COST_PAIRS], with[XL_ACTIONS_COST_PAIRS],
		diff[XL_ACTIONS_COST_PAIRS], ns;
	unsigned char buf[XL_MIN_FRAME];
	int err, n;

	memset(out, 0, sizeof(*out));
	if (!frame) { /* the generator's 64-byte UDP test frame, to port 9 */
		struct xl_pkt_spec spec = { .frame_size = XL_MIN_FRAME, .flows = 1 };

		len = xl_pkt_len(XL_MIN_FRAME);
		err = xl_pkt_build(&spec, buf, len);
		if (err)
			return err;
		frame = buf;
	}
	/* Warm-up call, discarded; it also sizes repeat. */
	err = xl_prog_test_run(xdp_prog_fd, frame, len, COST_MIN_REPEAT, &ns, NULL);
	if (err)
		return err;
	out->repeat =
		ns > 0 && COST_CALL_NS / ns < COST_MAX_REPEAT ? COST_CALL_NS / ns : COST_MAX_REPEAT;
	if (out->repeat < COST_MIN_REPEAT)
		out->repeat = COST_MIN_REPEAT;
	for (n = 0; n < XL_ACTIONS_COST_PAIRS; n++) {
		err = timed_pair(xdp_prog_fd, frame, len, out->repeat, &base[n], &with[n]);
		if (err)
			return err;
		diff[n] = with[n] - base[n];
	}
	xl_sort_doubles(base, n);
	xl_sort_doubles(with, n);
	xl_sort_doubles(diff, n);
	out->pairs = n;
	out->base_ns = base[n / 2];
	out->with_ns = with[n / 2];
	out->cost_ns = diff[n / 2];
	out->cost_min_ns = diff[0];
	out->cost_max_ns = diff[n - 1];
	return 0;
}
