// SPDX-License-Identifier: GPL-2.0
/*
 * load_cmd.c - `xdplab load`: attach one XDP program (built-in or any object
 * file) to an interface in native, generic or offload mode, print per-second
 * rates per XDP action, optionally write the samples as JSON and/or CSV, and
 * detach on every exit path (duration elapsed, SIGINT/SIGTERM, error).  The
 * rate of an interval is the counter delta divided by the interval measured
 * with CLOCK_MONOTONIC next to the read, never by the nominal sleep.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <linux/bpf.h>
#include <unistd.h>
#include "actions.h"
#include "collect/ethtool_xdp.h"
#include "commands.h"
#include "context.h"
#include "sig.h"
#include "util.h"
#include "xdp_attach.h"
#include "xl_err.h"

static const char *const action_names[XL_ACT_SLOTS] = { "aborted", "drop",     "pass",
							"tx",	   "redirect", "other" };

/* Where the per-action counts come from, best first. */
enum counter_src {
	SRC_XL_STATS,
	SRC_FEXIT,
	SRC_DRIVER,
	SRC_NONE
};
static const char *const src_names[] = { "xl_stats", "fexit", "driver", "none" };

struct counters {
	enum counter_src src;
	const struct xl_xdp *x;
	struct xl_actions *rec;
	const char *ns, *ifname;
	/* Driver counters run since the device was created: counts are from attach on. */
	struct xl_datarec base[XL_NR_ACTIONS];
	int nslots; /* the fexit recorder also counts verdicts that are no action */
	bool bytes; /* drivers do not count bytes per action */
	bool have_cost;
	struct xl_actions_cost cost;
};

static int counters_read(const struct counters *c, struct xl_datarec out[XL_ACT_SLOTS])
{
	struct xl_ethtool_xdp e;
	int err;

	memset(out, 0, XL_ACT_SLOTS * sizeof(*out));
	switch (c->src) {
	case SRC_XL_STATS: return xl_xdp_read_stats(c->x, out);
	case SRC_FEXIT: return xl_actions_read(c->rec, out, &out[XL_ACT_OTHER]);
	case SRC_DRIVER:
		err = xl_ethtool_xdp_read(c->ns, c->ifname, &e);
		for (int a = 0; !err && a < XL_NR_ACTIONS; a++)
			out[a].packets = e.act[a].packets > c->base[a].packets
						 ? e.act[a].packets - c->base[a].packets
						 : 0;
		return err;
	default: return 0;
	}
}

static const char *fexit_failure(int err)
{
	switch (err) {
	case EOPNOTSUPP: return "the program has no BTF";
	case EPERM: return "this kernel refuses BPF tracing programs";
	default: return strerror(err);
	}
}

/* Pick the source and say in one line which it is (and what it costs). */
static void counters_open(struct counters *c, const struct xl_xdp_opts *xo, const struct xl_xdp *x)
{
	struct xl_ethtool_xdp e;
	const char *why;
	int ref, err;

	*c = (struct counters){
		.x = x, .ns = xo->ns, .ifname = xo->ifname, .nslots = XL_NR_ACTIONS, .bytes = true
	};
	if (xl_xdp_read_stats(x, c->base) != -ENOENT) {
		c->src = SRC_XL_STATS;
		return;
	}
	c->rec = xl_actions_attach(xl_xdp_prog_fd(x), NULL);
	if (c->rec) {
		c->src = SRC_FEXIT;
		c->nslots = XL_ACT_SLOTS;
		/* Timed on a program of its own: the user's gets no synthetic frames. */
		ref = xl_actions_ref_prog();
		c->have_cost = ref >= 0 && !xl_actions_cost_ns(ref, NULL, 0, &c->cost);
		if (ref >= 0)
			close(ref);
		if (c->have_cost)
			xl_info("counting actions with an fexit program: costs ~%.0f ns per packet",
				c->cost.cost_ns);
		else
			xl_info("counting actions with an fexit program (its cost per packet could not be measured)");
		return;
	}
	why = fexit_failure(errno);
	err = xo->mode == XL_MODE_NATIVE ? xl_ethtool_xdp_read(xo->ns, xo->ifname, &e) : -EINVAL;
	if (!err) {
		c->src = SRC_DRIVER;
		c->bytes = false;
		for (int a = 0; a < XL_NR_ACTIONS; a++)
			c->base[a] = e.act[a];
		xl_info("no fexit recorder (%s): counting actions with the %s driver's XDP counters "
			"(aborted counted as drop, no bytes per action)",
			why, e.driver);
		return;
	}
	c->src = SRC_NONE;
	if (xo->mode != XL_MODE_NATIVE)
		xl_warn("no per-action counters: no fexit recorder (%s), and driver counters need native mode",
			why);
	else
		xl_warn("no per-action counters: no fexit recorder (%s), and driver '%s' has no XDP counters",
			why, e.driver[0] ? e.driver : "?");
}

static void counters_close(struct counters *c)
{
	xl_actions_destroy(c->rec);
	c->rec = NULL;
}

static void counters_context(const struct counters *c, json_object *ctx)
{
	json_object_object_add(ctx, "counters", json_object_new_string(src_names[c->src]));
	if (!c->have_cost)
		return;
	json_object_object_add(ctx, "fexit_cost_ns", json_object_new_double(c->cost.cost_ns));
	json_object_object_add(ctx, "fexit_cost_min_ns",
			       json_object_new_double(c->cost.cost_min_ns));
	json_object_object_add(ctx, "fexit_cost_max_ns",
			       json_object_new_double(c->cost.cost_max_ns));
	json_object_object_add(ctx, "fexit_cost_repeat", json_object_new_int64(c->cost.repeat));
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xdplab load --dev IF --prog NAME [options]\n"
		   "  -d, --dev IF          interface to attach to\n"
		   "  -n, --ns NS           network namespace of IF (default: current)\n"
		   "  -m, --mode MODE       native (default), generic or offload\n"
		   "  -p, --prog NAME       built-in program, or program name in --obj\n"
		   "  -o, --obj FILE        BPF object file holding --prog (any XDP object)\n"
		   "  -r, --redirect-to IF  egress interface for the redirect program\n"
		   "  -t, --duration SEC    stop after SEC seconds (default: until Ctrl-C)\n"
		   "  -i, --interval SEC    sampling interval (default 1)\n"
		   "  -j, --json FILE       write samples and context as JSON\n"
		   "  -c, --csv FILE        write samples as CSV\n"
		   "  -q, --quiet           no per-interval lines on the terminal\n"
		   "Built-in programs:\n");
	for (const struct xl_builtin_prog *p = xl_builtin_progs; p->name; p++)
		fprintf(f, "  %-10s %s\n", p->name, p->what);
	fprintf(f, "Per-action counts: the program's xl_stats map; for any other object an fexit\n"
		   "recorder (needs the program's BTF), else the driver's XDP counters (native\n"
		   "mode; veth), else none (docs/actions.md).\n"
		   "Ctrl-C ends a run normally (exit 0) after detaching.\n");
}

struct samples {
	json_object *arr;
	char *csv;
	size_t csv_len;
	FILE *csv_f;
};

static void record(struct samples *s, const struct counters *c, double t, double dt,
		   const struct xl_datarec *prev, const struct xl_datarec *cur, bool quiet)
{
	const char *empty = c->src == SRC_NONE ? "  no per-action counters" : "  no packets";
	json_object *row = json_object_new_object();
	char line[512];
	size_t off = 0;

	json_object_object_add(row, "t_s", json_object_new_double(t));
	json_object_object_add(row, "interval_s", json_object_new_double(dt));
	off += snprintf(line, sizeof(line), "%7.1fs", t);
	for (int a = 0; a < c->nslots; a++) {
		uint64_t dp = cur[a].packets - prev[a].packets, db = cur[a].bytes - prev[a].bytes;
		char key[32];

		snprintf(key, sizeof(key), "%s_pps", action_names[a]);
		json_object_object_add(row, key, json_object_new_double(dp / dt));
		snprintf(key, sizeof(key), "%s_packets", action_names[a]);
		json_object_object_add(row, key, json_object_new_int64(cur[a].packets));
		fprintf(s->csv_f, "%.6f,%.6f,%s,%llu,%llu,%.1f\n", t, dt, action_names[a],
			(unsigned long long)cur[a].packets, (unsigned long long)cur[a].bytes,
			dp / dt);
		if ((dp || cur[a].packets) && c->bytes)
			off += snprintf(line + off, sizeof(line) - off,
					"  %s %.3f Mpps (%.1f Mbit/s)", action_names[a],
					dp / dt / 1e6, db * 8 / dt / 1e6);
		else if (dp || cur[a].packets)
			off += snprintf(line + off, sizeof(line) - off, "  %s %.3f Mpps",
					action_names[a], dp / dt / 1e6);
	}
	json_object_array_add(s->arr, row);
	if (!quiet)
		printf("%s\n", off > 9 ? line : empty);
	fflush(stdout);
}

int xl_cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "ns", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "prog", required_argument, NULL, 'p' },
		{ "obj", required_argument, NULL, 'o' },
		{ "redirect-to", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "json", required_argument, NULL, 'j' },
		{ "csv", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	struct xl_xdp_opts xo = { .mode = XL_MODE_NATIVE };
	const char *json_path = NULL, *csv_path = NULL;
	double duration = 0, interval = 1;
	struct xl_datarec prev[XL_ACT_SLOTS], cur[XL_ACT_SLOTS];
	struct counters c;
	struct samples s = {};
	struct xl_xdp *x = NULL;
	bool quiet = false;
	uint64_t t0, tprev;
	int opt, err;

	while ((opt = getopt_long(argc, argv, "d:n:m:p:o:r:t:i:j:c:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': xo.ifname = optarg; break;
		case 'n': xo.ns = optarg; break;
		case 'm':
			if (xl_mode_parse(optarg, &xo.mode))
				return xl_fail(XL_EXIT_USAGE,
					       "unknown mode '%s' (native, generic, offload)",
					       optarg),
				       XL_EXIT_USAGE;
			break;
		case 'p': xo.prog = optarg; break;
		case 'o': xo.obj_path = optarg; break;
		case 'r': xo.redirect_to = optarg; break;
		case 't':
			if (xl_parse_double(optarg, 0.001, 1e7, &duration))
				return xl_fail(XL_EXIT_USAGE, "bad --duration '%s'", optarg),
				       XL_EXIT_USAGE;
			break;
		case 'i':
			if (xl_parse_double(optarg, 0.01, 3600, &interval))
				return xl_fail(XL_EXIT_USAGE, "bad --interval '%s'", optarg),
				       XL_EXIT_USAGE;
			break;
		case 'j': json_path = optarg; break;
		case 'c': csv_path = optarg; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return XL_EXIT_USAGE;
		}
	}
	if (!xo.ifname || !xo.prog) {
		usage(stderr);
		return xl_fail(XL_EXIT_USAGE, "--dev and --prog are required"), XL_EXIT_USAGE;
	}
	if (optind < argc)
		return xl_fail(XL_EXIT_USAGE, "unexpected argument '%s'", argv[optind]),
		       XL_EXIT_USAGE;

	xl_sig_install();
	x = xl_xdp_attach(&xo);
	if (!x)
		return xl_exit_code() ? xl_exit_code() : XL_EXIT_FAIL;
	fprintf(stderr, "xdplab: %s attached to %s in %s mode; Ctrl-C to detach\n", xo.prog,
		xo.ifname, xl_mode_name(xo.mode));
	s.arr = json_object_new_array();
	s.csv_f = open_memstream(&s.csv, &s.csv_len);
	fprintf(s.csv_f, "t_s,interval_s,action,packets,bytes,pps\n");
	counters_open(&c, &xo, x);
	if (counters_read(&c, prev))
		memset(prev, 0, sizeof(prev));
	t0 = tprev = xl_now_ns();
	while (!xl_sig_stopped()) {
		double left = duration ? duration - (xl_now_ns() - t0) / 1e9 : interval;
		uint64_t t;

		if (duration && left <= 0)
			break;
		xl_sig_sleep(left < interval ? left : interval);
		if (counters_read(&c, cur))
			memset(cur, 0, sizeof(cur));
		t = xl_now_ns();
		record(&s, &c, (t - t0) / 1e9, (t - tprev) / 1e9, prev, cur, quiet);
		memcpy(prev, cur, sizeof(prev));
		tprev = t;
	}
	/* The recorder first: it holds a reference on the program. */
	counters_close(&c);
	xl_xdp_destroy(x);
	fprintf(stderr, "xdplab: detached from %s\n", xo.ifname);
	fclose(s.csv_f);
	err = 0;
	if (csv_path && xl_atomic_write(csv_path, s.csv, s.csv_len))
		err = xl_fail(XL_EXIT_FAIL, "cannot write %s", csv_path);
	if (json_path) {
		json_object *root = json_object_new_object(), *ctx = xl_context_new(argc, argv);

		json_object_object_add(ctx, "interface", json_object_new_string(xo.ifname));
		json_object_object_add(ctx, "mode", json_object_new_string(xl_mode_name(xo.mode)));
		json_object_object_add(ctx, "program", json_object_new_string(xo.prog));
		counters_context(&c, ctx);
		json_object_object_add(root, "context", ctx);
		json_object_object_add(root, "samples", json_object_get(s.arr));
		if (xl_json_write(json_path, root))
			err = xl_fail(XL_EXIT_FAIL, "cannot write %s", json_path);
		json_object_put(root);
	}
	json_object_put(s.arr);
	free(s.csv);
	return err ? xl_exit_code() : 0;
}
