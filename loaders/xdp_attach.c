// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_attach.c - open, configure, load and attach one XDP program.  Built-in
 * programs come from the embedded xdp_bench skeleton; any other BPF object file
 * is opened by path and its program found by name.  Only the chosen program is
 * loaded (autoload off for the rest), which offload requires anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include "xdp_attach.h"
#include "xdp_bench.skel.h"
#include "globals.h"
#include "netns.h"
#include "xl_err.h"

struct xl_xdp {
	struct xdp_bench *skel; /* built-in object, or NULL */
	struct bpf_object *obj; /* the object in use (skeleton's or file's) */
	struct bpf_program *prog;
	int link_fd;
	int ifindex;
	int stats_fd;
};

const struct xl_builtin_prog xl_builtin_progs[] = {
	{ "drop", "xdp_drop", .what = "XDP_DROP without touching packet data" },
	{ "drop-read", "xdp_drop", .read_data = true,
	  .what = "XDP_DROP after reading the Ethernet header" },
	{ "pass", "xdp_pass", .what = "XDP_PASS (measures the cost of the XDP hook)" },
	{ "tx", "xdp_tx", .what = "swap MACs, XDP_TX back out of the same port" },
	{ "redirect", "xdp_redirect", .needs_egress = true,
	  .what = "swap MACs, XDP_REDIRECT through a devmap" },
	{ "sink", "xdp_sink", .what = "count xdplab frames and drop them" },
	{ "sink-latency", "xdp_sink", .latency = true,
	  .what = "sink that also records one-way latency in a histogram" },
	{ NULL },
};

static const struct {
	const char *name;
	unsigned int flags;
} modes[XL_MODE_COUNT] = {
	[XL_MODE_NATIVE] = { "native", XDP_FLAGS_DRV_MODE },
	[XL_MODE_GENERIC] = { "generic", XDP_FLAGS_SKB_MODE },
	[XL_MODE_OFFLOAD] = { "offload", XDP_FLAGS_HW_MODE },
};

/* Drivers with XDP offload in mainline; netdevsim is the kernel's software model. */
static const char *const offload_drivers = "nfp (Netronome Agilio); netdevsim for testing";

int xl_mode_parse(const char *s, enum xl_mode *mode)
{
	for (int i = 0; i < XL_MODE_COUNT; i++) {
		if (!strcmp(s, modes[i].name)) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *xl_mode_name(enum xl_mode mode)
{
	return mode < XL_MODE_COUNT ? modes[mode].name : "?";
}

unsigned int xl_mode_flags(enum xl_mode mode)
{
	return modes[mode].flags;
}

const struct xl_builtin_prog *xl_builtin_find(const char *name)
{
	for (const struct xl_builtin_prog *p = xl_builtin_progs; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

int xl_percpu_datarec_sum(int map_fd, __u32 key, struct xl_datarec *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xl_datarec *vals;

	if (ncpu < 0)
		return ncpu;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, vals)) {
		free(vals);
		return -errno;
	}
	sum->packets = sum->bytes = 0;
	for (int i = 0; i < ncpu; i++) {
		sum->packets += vals[i].packets;
		sum->bytes += vals[i].bytes;
	}
	free(vals);
	return 0;
}

static int list_programs(struct bpf_object *obj, char *buf, size_t len)
{
	struct bpf_program *p;
	size_t off = 0;

	buf[0] = 0;
	bpf_object__for_each_program(p, obj)
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s", off ? ", " : "",
				bpf_program__name(p));
	return 0;
}

/* The object's only XDP program, or NULL (and a message in names) when not exactly one. */
static struct bpf_program *only_xdp_prog(struct bpf_object *obj)
{
	struct bpf_program *p, *found = NULL;

	bpf_object__for_each_program(p, obj) {
		if (bpf_program__type(p) != BPF_PROG_TYPE_XDP)
			continue;
		if (found)
			return NULL;
		found = p;
	}
	return found;
}

/*
 * The program by name (or the only XDP one), checked to be XDP; xl_fail(code)
 * if not: a usage error when the name came from the command line, a config
 * error when it came from a [system] section.
 */
static struct bpf_program *find_prog(struct bpf_object *obj, const char *name, const char *path,
				     enum xl_exit code)
{
	struct bpf_program *p;
	char names[512];

	p = name ? bpf_object__find_program_by_name(obj, name) : only_xdp_prog(obj);
	if (!p) {
		list_programs(obj, names, sizeof(names));
		if (name)
			xl_fail(code, "no program '%s' in %s (available: %s)", name, path, names);
		else
			xl_fail(code, "%s has %s XDP program: name one (available: %s)", path,
				names[0] ? "more than one" : "no", names);
		return NULL;
	}
	if (bpf_program__type(p) != BPF_PROG_TYPE_XDP) {
		xl_fail(code, "program '%s' in %s is not an XDP program", bpf_program__name(p),
			path);
		return NULL;
	}
	return p;
}

static bool has_map_entry(const struct xl_xdp_opts *o, const char *map)
{
	for (int i = 0; i < o->nmaps; i++)
		if (!strcmp(o->maps[i].map, map))
			return true;
	return false;
}

static int open_object(struct xl_xdp *x, const struct xl_xdp_opts *o)
{
	const struct xl_builtin_prog *b = NULL;
	const char *bpf_name = o->prog;
	char names[512];

	if (!o->obj_path) {
		b = o->prog ? xl_builtin_find(o->prog) : NULL;
		if (!b) {
			names[0] = 0;
			for (const struct xl_builtin_prog *p = xl_builtin_progs; p->name; p++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s%s", names[0] ? ", " : "", p->name);
			return xl_fail(XL_EXIT_USAGE, "unknown program '%s' (built-in: %s)",
				       o->prog ? o->prog : "", names);
		}
		x->skel = xdp_bench__open();
		if (!x->skel)
			return xl_fail(XL_EXIT_BPF, "cannot open built-in BPF object: %s",
				       strerror(errno));
		x->skel->rodata->cfg_read_data = b->read_data;
		x->skel->rodata->cfg_latency = b->latency;
		x->obj = x->skel->obj;
		bpf_name = b->bpf_name;
	} else {
		x->obj = bpf_object__open_file(o->obj_path, NULL);
		if (!x->obj) {
			int err = errno;

			return xl_fail(err == ENOENT ? XL_EXIT_USAGE : XL_EXIT_BPF,
				       "cannot open BPF object %s: %s", o->obj_path, strerror(err));
		}
	}
	x->prog = find_prog(x->obj, bpf_name, o->obj_path ? o->obj_path : "the built-in object",
			    XL_EXIT_USAGE);
	if (!x->prog)
		return -1;
	for (int i = 0; i < o->nglobals; i++) {
		int err = xl_obj_set_rodata(x->obj, o->globals[i].name, o->globals[i].value);

		if (err)
			return xl_fail(XL_EXIT_CONFIG, "cannot set rodata.%s = %s: %s",
				       o->globals[i].name, o->globals[i].value,
				       err == -ENOENT	? "no such const volatile variable"
				       : err == -ERANGE ? "value does not fit the variable"
							: "not an integer");
	}
	if (o->redirect_to && !bpf_object__find_map_by_name(x->obj, "xl_tx_port"))
		return xl_fail(XL_EXIT_USAGE,
			       "program '%s' has no xl_tx_port devmap to redirect through",
			       bpf_name);
	for (int i = 0; i < o->nmaps; i++)
		if (!bpf_object__find_map_by_name(x->obj, o->maps[i].map))
			return xl_fail(XL_EXIT_CONFIG, "no map '%s' in the object", o->maps[i].map);
	if (b && b->needs_egress && !o->redirect_to && !has_map_entry(o, "xl_tx_port"))
		return xl_fail(XL_EXIT_USAGE,
			       "program '%s' needs an egress interface (--redirect-to)", o->prog);
	return 0;
}

int xl_xdp_check_object(const char *obj_path, const char *name)
{
	struct bpf_object *obj;
	int err = 0;

	if (!obj_path)
		return xl_builtin_find(name ? name : "")
			       ? 0
			       : xl_fail(XL_EXIT_CONFIG, "unknown built-in program '%s'",
					 name ? name : "");
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj)
		return xl_fail(XL_EXIT_CONFIG, "cannot open BPF object %s: %s", obj_path,
			       strerror(errno));
	if (!find_prog(obj, name, obj_path, XL_EXIT_CONFIG))
		err = -1;
	bpf_object__close(obj);
	return err;
}

static int load_object(struct xl_xdp *x, const struct xl_xdp_opts *o)
{
	struct bpf_program *p;
	char drv[64] = "unknown";
	int err, saved;

	bpf_object__for_each_program(p, x->obj)
		bpf_program__set_autoload(p, p == x->prog);
	/* Device-bound load: the driver's offload JIT verifies and translates it. */
	if (o->mode == XL_MODE_OFFLOAD)
		bpf_program__set_ifindex(x->prog, x->ifindex);
	/* The program's ifindex is resolved in the loading thread's namespace. */
	err = xl_ns_enter(o->ns, &saved);
	if (err)
		return xl_fail(XL_EXIT_NOIF, "namespace %s: %s", o->ns, strerror(-err));
	err = bpf_object__load(x->obj);
	xl_ns_leave(saved);
	if (!err)
		return 0;
	if (o->mode == XL_MODE_OFFLOAD) {
		xl_ns_driver(o->ns, o->ifname, drv, sizeof(drv));
		return xl_fail(XL_EXIT_MODE,
			       "offload: driver '%s' of %s cannot offload XDP programs (%s); "
			       "XDP offload is supported by: %s",
			       drv, o->ifname, strerror(-err), offload_drivers);
	}
	return xl_fail(XL_EXIT_BPF, "loading '%s' failed: %s (run with -v for the verifier log)",
		       bpf_program__name(x->prog), strerror(-err));
}

/*
 * The kernel resolves a devmap ifindex in the namespace of the thread that
 * updates the map: map entries are set from inside the interface's namespace,
 * or an index would name an unrelated device of the root namespace.
 */
static int set_maps(struct xl_xdp *x, const struct xl_xdp_opts *o)
{
	struct xl_xdp_map_entry all[XL_XDP_MAX_SETS + 1];
	int n = 0, err = 0, saved;

	for (int i = 0; i < o->nmaps; i++)
		all[n++] = o->maps[i];
	if (o->redirect_to) {
		int egress = xl_ns_ifindex(o->ns, o->redirect_to);

		if (egress < 0)
			return xl_fail(
				XL_EXIT_NOIF, "redirect target interface '%s' does not exist%s%s",
				o->redirect_to, o->ns ? " in namespace " : "", o->ns ? o->ns : "");
		all[n++] = (struct xl_xdp_map_entry){ "xl_tx_port", 0, egress };
	}
	if (!n)
		return 0;
	err = xl_ns_enter(o->ns, &saved);
	if (err)
		return xl_fail(XL_EXIT_NOIF, "namespace %s: %s", o->ns, strerror(-err));
	for (int i = 0; i < n && !err; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(x->obj, all[i].map);

		err = bpf_map_update_elem(bpf_map__fd(m), &all[i].key, &all[i].value, 0) ? -errno
											 : 0;
		if (err)
			xl_fail(XL_EXIT_MODE, "cannot set %s[%u] = %u: %s", all[i].map, all[i].key,
				all[i].value, strerror(-err));
	}
	xl_ns_leave(saved);
	return err ? -1 : 0;
}

static int attach_link(struct xl_xdp *x, const struct xl_xdp_opts *o)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = xl_mode_flags(o->mode));
	char drv[64] = "unknown";
	int saved, err, mtu;

	err = xl_ns_enter(o->ns, &saved);
	if (err)
		return xl_fail(XL_EXIT_NOIF, "namespace %s: %s", o->ns, strerror(-err));
	x->link_fd = bpf_link_create(bpf_program__fd(x->prog), x->ifindex, BPF_XDP, &lopts);
	err = x->link_fd < 0 ? -errno : 0;
	xl_ns_leave(saved);
	if (!err)
		return 0;
	xl_ns_driver(o->ns, o->ifname, drv, sizeof(drv));
	mtu = xl_ns_mtu(o->ns, o->ifname);
	if (err == -EBUSY || err == -EEXIST)
		return xl_fail(XL_EXIT_MODE,
			       "%s already has an XDP program attached (detach it first)",
			       o->ifname);
	if (o->mode == XL_MODE_NATIVE)
		return xl_fail(XL_EXIT_MODE,
			       "native XDP refused by driver '%s' on %s (MTU %d): %s; "
			       "try a smaller MTU or --mode generic",
			       drv, o->ifname, mtu, strerror(-err));
	return xl_fail(XL_EXIT_MODE, "%s XDP attach to %s (driver '%s') failed: %s",
		       xl_mode_name(o->mode), o->ifname, drv, strerror(-err));
}

struct xl_xdp *xl_xdp_attach(const struct xl_xdp_opts *o)
{
	struct xl_xdp *x = calloc(1, sizeof(*x));
	struct bpf_map *stats;

	if (!x)
		return NULL;
	x->link_fd = -1;
	x->stats_fd = -1;
	if (!xl_ns_exists(o->ns)) {
		xl_fail(XL_EXIT_NOIF, "network namespace '%s' does not exist", o->ns);
		goto err;
	}
	x->ifindex = xl_ns_ifindex(o->ns, o->ifname);
	if (x->ifindex < 0) {
		xl_fail(XL_EXIT_NOIF, "interface '%s' does not exist%s%s", o->ifname,
			o->ns ? " in namespace " : "", o->ns ? o->ns : "");
		goto err;
	}
	if (open_object(x, o) || load_object(x, o))
		goto err;
	if (set_maps(x, o))
		goto err;
	if (attach_link(x, o))
		goto err;
	stats = bpf_object__find_map_by_name(x->obj, "xl_stats");
	if (stats)
		x->stats_fd = bpf_map__fd(stats);
	return x;
err:
	xl_xdp_destroy(x);
	return NULL;
}

int xl_xdp_read_stats(const struct xl_xdp *x, struct xl_datarec out[XL_NR_ACTIONS])
{
	int err;

	if (x->stats_fd < 0)
		return -ENOENT;
	for (__u32 k = 0; k < XL_NR_ACTIONS; k++) {
		err = xl_percpu_datarec_sum(x->stats_fd, k, &out[k]);
		if (err)
			return err;
	}
	return 0;
}

struct bpf_object *xl_xdp_object(const struct xl_xdp *x)
{
	return x->obj;
}

void xl_xdp_destroy(struct xl_xdp *x)
{
	if (!x)
		return;
	if (x->link_fd >= 0)
		close(x->link_fd);
	if (x->skel)
		xdp_bench__destroy(x->skel);
	else if (x->obj)
		bpf_object__close(x->obj);
	free(x);
}

int xl_xdp_prog_fd(const struct xl_xdp *x)
{
	return x ? bpf_program__fd(x->prog) : -EINVAL;
}
