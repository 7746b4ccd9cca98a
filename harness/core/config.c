// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - parse and validate a run configuration with libinih.  libinih
 * is Debian's small INI parser: it gives us sections, comments and line
 * numbers for error messages without hand-written tokenising.  It reads the
 * text through lib/inifile.c, which first rejects what libinih would silently
 * accept (duplicate sections and keys, control bytes, over-long lines).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ini.h>
#include "config.h"
#include "collect/sinks.h"
#include "gen/gen.h"
#include "inifile.h"
#include "systems/system.h"
#include "util.h"
#include "xdplab.h"
#include "xl_lb.h"

#define XL_RR_RATE_TOLERANCE_PCT 25
#include "xl_err.h"

enum key_type {
	K_INT,
	K_DOUBLE,
	K_STR
};

struct key_desc {
	const char *name;
	enum key_type type;
	size_t off;
	size_t size; /* K_STR buffer size */
	double min, max;
};

#define RUN_INT(n, f, lo, hi)                                       \
	{                                                           \
		n, K_INT, offsetof(struct xl_run_cfg, f), 0, lo, hi \
	}
#define RUN_DBL(n, f, lo, hi)                                          \
	{                                                              \
		n, K_DOUBLE, offsetof(struct xl_run_cfg, f), 0, lo, hi \
	}
#define RUN_STR(n, f)                                                                             \
	{                                                                                         \
		n, K_STR, offsetof(struct xl_run_cfg, f), sizeof(((struct xl_run_cfg *)0)->f), 0, \
			0                                                                         \
	}
#define EXP_STR(n, f)                                                                             \
	{                                                                                         \
		n, K_STR, offsetof(struct xl_exp_cfg, f), sizeof(((struct xl_exp_cfg *)0)->f), 0, \
			0                                                                         \
	}
#define EXP_INT(n, f, lo, hi)                                       \
	{                                                           \
		n, K_INT, offsetof(struct xl_exp_cfg, f), 0, lo, hi \
	}
#define EXP_DBL(n, f, lo, hi)                                          \
	{                                                              \
		n, K_DOUBLE, offsetof(struct xl_exp_cfg, f), 0, lo, hi \
	}

static const struct key_desc run_keys[] = {
	RUN_INT("trials", trials, 1, 1000),
	RUN_DBL("warmup_s", warmup_s, 0, 600),
	RUN_DBL("duration_s", duration_s, 0.1, 3600),
	RUN_INT("frame_size", frame_size, XL_MIN_FRAME, XL_MAX_FRAME),
	RUN_INT("flows", flows, 1, 50000),
	RUN_INT("dst_port", dst_port, 1, 65535),
	RUN_INT("cores", cores, 1, XL_MAX_CORES),
	RUN_INT("keep_awake", keep_awake, 0, 1),
	RUN_INT("sink_poll_ns", sink_poll_ns, 0, 1000000),
	RUN_STR("backend", backend),
	RUN_STR("backend_opts", backend_opts),
	RUN_STR("proto", proto_s),
	RUN_STR("pcap", pcap_s),
	RUN_STR("pcap_macs", pcap_macs_s),
	RUN_DBL("rate_tolerance_pct", bounds.rate_tolerance_pct, 0.1, 100),
	RUN_DBL("steal_max_pct", bounds.steal_max_pct, 0, 100),
	RUN_DBL("saturation_loss_pct", bounds.saturation_loss_pct, 0, 100),
	RUN_DBL("sink_drop_max_pct", bounds.sink_drop_max_pct, 0, 100),
	{ NULL },
};

static const struct key_desc testbed_keys[] = {
	RUN_STR("type", testbed_type),
	RUN_STR("gen_cpus", gen_cpus),
	RUN_STR("dut_cpus", dut_cpus),
	RUN_STR("generator", ports[XL_ROLE_GEN]),
	RUN_STR("dut-in", ports[XL_ROLE_DUT_IN]),
	RUN_STR("dut-out", ports[XL_ROLE_DUT_OUT]),
	RUN_STR("sink", ports[XL_ROLE_SINK]),
	{ NULL },
};

static const struct key_desc exp_keys[] = {
	EXP_INT("frame_size", frame_size, XL_MIN_FRAME, XL_MAX_FRAME),
	EXP_INT("flows", flows, 1, 50000),
	EXP_INT("dst_port", dst_port, 1, 65535),
	EXP_INT("routes", routes, 0, 2000000),
	EXP_INT("dst_addrs", dst_addrs, 0, XL_REPLAY_MAX_FRAMES),
	EXP_INT("lb_vips", lb_vips, 0, XL_LB_MAX_VIPS),
	EXP_INT("lb_reals", lb_reals, 0, XL_LB_PLAN_MAX_REALS),
	EXP_INT("src_addrs", src_addrs, 0, XL_LB_PLAN_MAX_SRCS),
	EXP_STR("proto", proto_s),
	EXP_STR("pcap", pcap_s),
	EXP_STR("pcap_macs", pcap_macs_s),
	EXP_INT("trials", trials, 1, 1000),
	EXP_DBL("duration_s", duration_s, 0.1, 3600),
	EXP_DBL("warmup_s", warmup_s, 0, 600),
	EXP_DBL("headroom_pct", headroom_pct, 0, 100),
	EXP_DBL("ndr_precision_pct", ndr_precision_pct, 0.1, 50),
	EXP_DBL("pdr_loss_pct", pdr_loss_pct, 0.001, 50),
	EXP_INT("ndr_repeats", ndr_repeats, 0, 10),
	EXP_INT("ndr_max_trials", ndr_max_trials, 3, 200),
	EXP_INT("on_demand", on_demand, 0, 1),
	EXP_INT("profile", profile, 0, 1),
	EXP_DBL("rate_tolerance_pct", rate_tolerance_pct, 0.1, 100),
	{ NULL },
};

struct parse_state {
	struct xl_run_cfg *cfg;
	const char *path, *text;
	char err[512];
};

static int set_key(const struct key_desc *keys, void *base, const char *name, const char *value,
		   char *err, size_t errlen)
{
	for (const struct key_desc *k = keys; k->name; k++) {
		void *p = (char *)base + k->off;
		double d;
		long l;

		if (strcmp(k->name, name))
			continue;
		switch (k->type) {
		case K_INT:
			if (xl_parse_int(value, k->min, k->max, &l)) {
				snprintf(err, errlen,
					 "%s must be an integer in %.0f..%.0f, not '%s'", name,
					 k->min, k->max, value);
				return -1;
			}
			*(long *)p = l;
			return 0;
		case K_DOUBLE:
			if (xl_parse_double(value, k->min, k->max, &d)) {
				snprintf(err, errlen, "%s must be a number in %g..%g, not '%s'",
					 name, k->min, k->max, value);
				return -1;
			}
			*(double *)p = d;
			return 0;
		case K_STR:
			if (strlen(value) >= k->size) {
				snprintf(err, errlen, "%s: value longer than %zu characters", name,
					 k->size - 1);
				return -1;
			}
			snprintf(p, k->size, "%s", value);
			return 0;
		}
	}
	snprintf(err, errlen, "unknown key '%s'", name);
	return -1;
}

static int parse_list(const char *value, char items[][XL_NAME_LEN], int max)
{
	char buf[1024], *save = NULL, *tok;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (n >= max || strlen(tok) >= XL_NAME_LEN)
			return -1;
		snprintf(items[n++], XL_NAME_LEN, "%s", tok);
	}
	return n;
}

static int exp_key(struct xl_exp_cfg *e, const char *name, const char *value, char *err,
		   size_t errlen)
{
	char items[XL_MAX_RATES > XL_MAX_SYSTEMS ? XL_MAX_RATES : XL_MAX_SYSTEMS][XL_NAME_LEN];
	int n;

	if (!strcmp(name, "pace_by")) {
		if (strlen(value) >= sizeof(e->pace_by)) {
			snprintf(err, errlen, "pace_by: a system of the experiment, not '%s'",
				 value);
			return -1;
		}
		snprintf(e->pace_by, sizeof(e->pace_by), "%s", value);
		return 0;
	}
	if (!strcmp(name, "systems")) {
		n = parse_list(value, e->specs, XL_MAX_SYSTEMS);
		if (n <= 0) {
			snprintf(err, errlen, "systems: 1..%d names expected", XL_MAX_SYSTEMS);
			return -1;
		}
		e->nsystems = n;
		return 0;
	}
	if (!strcmp(name, "rates")) {
		n = parse_list(value, items, XL_MAX_RATES);
		if (n <= 0) {
			snprintf(err, errlen, "rates: 1..%d values expected", XL_MAX_RATES);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			size_t len = strlen(items[i]);

			/* "N%": N percent of the generator's paced ceiling, measured at run start. */
			e->rate_pct[i] = len > 1 && items[i][len - 1] == '%';
			if (e->rate_pct[i]) {
				items[i][len - 1] = 0;
				if (xl_parse_double(items[i], 0.1, 100, &e->rates[i])) {
					snprintf(err, errlen,
						 "rates: '%s%%' is not a share of the generator's "
						 "ceiling (0.1%%..100%%)",
						 items[i]);
					return -1;
				}
				continue;
			}
			/*
			 * Under 1 pps a trial sends next to nothing, and far under it
			 * the generator's pacing sleep (1e9 / rate ns) overflows.
			 */
			if (xl_parse_double(items[i], 0, 1e9, &e->rates[i]) ||
			    (e->rates[i] > 0 && e->rates[i] < 1)) {
				snprintf(
					err, errlen,
					"rates: '%s' is not a rate in pps (0 = maximum, else 1..1e9)",
					items[i]);
				return -1;
			}
		}
		e->nrates = n;
		return 0;
	}
	if (!strcmp(name, "kind")) {
		if (!strcmp(value, "throughput"))
			e->kind = XL_KIND_THROUGHPUT;
		else if (!strcmp(value, "latency"))
			e->kind = XL_KIND_LATENCY;
		else if (!strcmp(value, "ndr"))
			e->kind = XL_KIND_NDR;
		else if (!strcmp(value, "rr"))
			e->kind = XL_KIND_RR;
		else {
			snprintf(err, errlen,
				 "kind must be 'throughput', 'latency', 'ndr' or 'rr', not '%s'",
				 value);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "load")) {
		if (!strcmp(value, "equal"))
			e->load = XL_LOAD_EQUAL;
		else if (!strcmp(value, "max"))
			e->load = XL_LOAD_MAX;
		else {
			snprintf(err, errlen, "load must be 'equal' or 'max', not '%s'", value);
			return -1;
		}
		return 0;
	}
	return set_key(exp_keys, e, name, value, err, errlen);
}

/* [run]: the core's keys, or one that a registered system kind or backend reads (dpdk_opts, pktgen). */
static int run_key(struct xl_run_cfg *cfg, const char *name, const char *value, char *err,
		   size_t errlen)
{
	struct xl_kv *kv;

	if (!xl_kind_claims_run_key(name) && !xl_gen_claims_run_key(name))
		return set_key(run_keys, cfg, name, value, err, errlen);
	if (cfg->next == XL_MAX_RUN_EXT || strlen(value) >= sizeof(kv->value)) {
		snprintf(err, errlen, "%s: value too long or too many plug-in keys", name);
		return -1;
	}
	kv = &cfg->ext[cfg->next++];
	snprintf(kv->key, sizeof(kv->key), "%s", name);
	snprintf(kv->value, sizeof(kv->value), "%s", value);
	return 0;
}

const char *xl_config_run_opts(const struct xl_run_cfg *cfg, const struct xl_sys_entry *e)
{
	if (!e->ops || !e->ops->run_key)
		return NULL;
	for (int i = 0; i < cfg->next; i++)
		if (!strcmp(cfg->ext[i].key, e->ops->run_key))
			return cfg->ext[i].value;
	return NULL;
}

/*
 * A backend with a [run] key of its own (backend = pktgen needs pktgen = PATH)
 * gets it as its first option, then checks its options before anything runs.
 */
static int backend_run_key(struct xl_run_cfg *cfg, const char *path,
			   const struct xl_gen_ops *backend)
{
	const char *val = NULL;
	char opts[sizeof(cfg->backend_opts)], err[256];
	int n;

	if (!backend->run_key)
		return 0;
	for (int i = 0; i < cfg->next; i++)
		if (!strcmp(cfg->ext[i].key, backend->run_key))
			val = cfg->ext[i].value;
	if (!val || !*val)
		return xl_fail(XL_EXIT_CONFIG, "%s: backend = %s needs %s = ... in [run]", path,
			       backend->name, backend->run_key);
	n = snprintf(opts, sizeof(opts), "%s=%s%s%s", backend->run_key, val,
		     cfg->backend_opts[0] ? "," : "", cfg->backend_opts);
	if (n < 0 || (size_t)n >= sizeof(opts))
		return xl_fail(XL_EXIT_CONFIG, "%s: %s and backend_opts are too long together",
			       path, backend->run_key);
	snprintf(cfg->backend_opts, sizeof(cfg->backend_opts), "%s", opts);
	if (backend->check && backend->check(cfg->backend_opts, err, sizeof(err)))
		return xl_fail(XL_EXIT_CONFIG, "%s: %s", path, err);
	return 0;
}

static void json_put(struct xl_run_cfg *cfg, const char *section, const char *name,
		     const char *value)
{
	json_object *sec;

	if (!json_object_object_get_ex(cfg->json, section, &sec)) {
		sec = json_object_new_object();
		json_object_object_add(cfg->json, section, sec);
	}
	json_object_object_add(sec, name, json_object_new_string(value));
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *ps = user;
	struct xl_run_cfg *cfg = ps->cfg;
	int rc;

	json_put(cfg, section, name, value);
	if (!strcmp(section, "run")) {
		rc = run_key(cfg, name, value, ps->err, sizeof(ps->err));
	} else if (!strcmp(section, "testbed")) {
		rc = set_key(testbed_keys, cfg, name, value, ps->err, sizeof(ps->err));
	} else if (!strncmp(section, "experiment ", 11)) {
		const char *ename = section + 11;
		struct xl_exp_cfg *e = NULL;

		for (int i = 0; i < cfg->nexps; i++)
			if (!strcmp(cfg->exps[i].name, ename))
				e = &cfg->exps[i];
		if (!e) {
			if (cfg->nexps >= XL_MAX_EXPS || !*ename || strlen(ename) >= XL_NAME_LEN ||
			    strpbrk(ename, ", \"")) {
				snprintf(
					ps->err, sizeof(ps->err),
					"experiment name must be 1..%d characters without spaces or commas (at most %d experiments)",
					XL_NAME_LEN - 1, XL_MAX_EXPS);
				return 0;
			}
			e = &cfg->exps[cfg->nexps++];
			snprintf(e->name, sizeof(e->name), "%s", ename);
			e->line = xl_ini_section_line(ps->text, section);
			e->headroom_pct = 10;
			e->ndr_precision_pct = 2;
			e->pdr_loss_pct = 0.5;
			e->ndr_repeats = 1;
			e->ndr_max_trials = 30;
		}
		rc = exp_key(e, name, value, ps->err, sizeof(ps->err));
	} else if (!strncmp(section, "host ", 5)) {
		rc = xl_hosts_set(&cfg->hosts, section + 5, name, value, ps->err, sizeof(ps->err));
	} else if (!strncmp(section, "system ", 7)) {
		char where[600];

		snprintf(where, sizeof(where), "%s:%d", ps->path,
			 xl_ini_section_line(ps->text, section));
		rc = xl_catalog_set(&cfg->catalog, section + 7, name, value, where, false, ps->err,
				    sizeof(ps->err));
	} else {
		snprintf(ps->err, sizeof(ps->err), "unknown section [%s]", section);
		return 0;
	}
	return rc == 0;
}

/*
 * An experiment's test traffic: its own proto, pcap and pcap_macs or [run]'s.
 * A pcap file is read now, so a bad one stops the run before any testbed.
 */
static int resolve_traffic(const struct xl_run_cfg *cfg, struct xl_exp_cfg *x, const char *path,
			   const struct xl_gen_ops *backend)
{
	const char *proto = x->proto_s[0] ? x->proto_s : cfg->proto_s;
	const char *pcap = x->pcap_s[0] ? x->pcap_s : cfg->pcap_s;
	const char *macs = x->pcap_macs_s[0] ? x->pcap_macs_s : cfg->pcap_macs_s;
	char err[4200];

	if (proto[0] && xl_proto_parse(proto, &x->proto))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] proto must be 'udp' or 'tcp', "
			       "not '%s'",
			       path, x->name, proto);
	if (macs[0] && strcmp(macs, "testbed") && strcmp(macs, "keep"))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] pcap_macs must be 'testbed' "
			       "or 'keep', not '%s'",
			       path, x->name, macs);
	x->keep_macs = !strcmp(macs, "keep");
	if (x->kind == XL_KIND_LATENCY && (pcap[0] || x->proto == XL_PROTO_TCP))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] latency trials send xdplab's "
			       "time-stamped UDP frames: no %s",
			       path, x->name, pcap[0] ? "pcap" : "proto = tcp");
	if (x->dst_addrs && !x->routes)
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] dst_addrs are picked from the "
			       "routing table: set routes",
			       path, x->name);
	if (x->lb_vips || x->lb_reals || x->src_addrs) {
		const char *why = NULL;

		if (!x->lb_vips || !x->lb_reals || !x->src_addrs)
			why = "lb_vips, lb_reals and src_addrs go together";
		else if (x->lb_vips * x->lb_reals > XL_LB_PLAN_MAX_REALS)
			why = "lb_vips * lb_reals is above the reals the balancer holds";
		else if (x->routes || x->dst_addrs || pcap[0])
			why = "a load-balancer plan sets the addresses: no routes, dst_addrs or pcap";
		else if (x->kind != XL_KIND_THROUGHPUT)
			why = "a load-balancer plan is for throughput experiments";
		else if (x->proto == XL_PROTO_TCP)
			why = "the load balancer's traffic is UDP (proto = udp)";
		else if (strcmp(cfg->backend, "livefr") && strcmp(cfg->backend, "dpdk"))
			why = "source addresses are implemented for backends livefr and dpdk";
		if (why)
			return xl_fail(XL_EXIT_CONFIG, "%s: [experiment %s] %s", path, x->name,
				       why);
	}
	if (x->kind == XL_KIND_RR && (pcap[0] || x->dst_addrs || x->proto == XL_PROTO_TCP))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] an rr experiment's flood is xdplab's UDP "
			       "frames to the DUT: no pcap, dst_addrs or proto = tcp",
			       path, x->name);
	if (x->dst_addrs && x->kind == XL_KIND_LATENCY)
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] latency trials send one "
			       "destination: no dst_addrs",
			       path, x->name);
	if (!pcap[0])
		return 0;
	if (x->dst_addrs)
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] pcap and dst_addrs both set "
			       "the frames: choose one",
			       path, x->name);
	if (proto[0])
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] a pcap's frames carry their own "
			       "protocol: leave proto out",
			       path, x->name);
	if (!backend->replays)
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: [experiment %s] pcap replay is implemented for "
			       "backend = livefr and dpdk, not %s",
			       path, x->name, backend->name);
	x->frames = calloc(1, sizeof(*x->frames));
	if (!x->frames)
		return xl_fail(XL_EXIT_FAIL, "out of memory");
	if (xl_frames_load(pcap, x->frames, err, sizeof(err)))
		return xl_fail(XL_EXIT_CONFIG, "%s: [experiment %s] %s", path, x->name, err);
	return 0;
}

/* Note what an automatically chosen backend cannot run (context.json "left_out"). */
static void note_left_out(struct xl_run_cfg *cfg, const char *exp, const char *sys, const char *why)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "experiment", json_object_new_string(exp));
	json_object_object_add(o, "system", json_object_new_string(sys ? sys : ""));
	json_object_object_add(o, "why", json_object_new_string(why));
	json_object_array_add(cfg->left_out, o);
}

/* An experiment's system specs against the catalog, then the checks that need the entries. */
static int resolve_systems(struct xl_run_cfg *cfg, struct xl_exp_cfg *x, const char *path,
			   const struct xl_gen_ops *backend)
{
	/* On xdplab's veth testbed the generator sends through a relay (testbed/relay.h). */
	bool relay = !strcmp(cfg->testbed_type, "veth");

	for (int k = 0; k < x->nsystems; k++) {
		const struct xl_sys_entry *e;
		int rc = xl_catalog_parse_spec(&cfg->catalog, x->specs[k], &e, &x->sys[k].mode);

		if (rc == -ENOENT)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s:%d: [experiment %s]: unknown system '%s' (xdplab run "
				       "--help lists them)",
				       path, x->line, x->name, x->specs[k]);
		if (!e->ops)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s:%d: [experiment %s]: system '%s' needs kind '%s', which "
				       "this build lacks (its plug-in was not built)",
				       path, x->line, x->name, e->name, e->kind);
		if (rc)
			return xl_fail(
				XL_EXIT_CONFIG,
				"%s:%d: [experiment %s]: system '%s': mode not allowed for it",
				path, x->line, x->name, x->specs[k]);
		x->sys[k].e = e;
		if (xl_setting(e, "lb") && !x->lb_vips)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s: [experiment %s] %s balances the experiment's plan: set "
				       "lb_vips, lb_reals and src_addrs",
				       path, x->name, e->name);
		if (xl_setting(e, "sink") &&
		    (!xl_sink_known(xl_setting(e, "sink")) || e->counts == XL_COUNTS_DUT))
			return xl_fail(XL_EXIT_CONFIG, "%s: [system %s] sink = %s: %s", e->source,
				       e->name, xl_setting(e, "sink"),
				       e->counts == XL_COUNTS_DUT
					       ? "it counts at the DUT, where no sink is"
					       : "unknown sink (lb-check)");
		if (x->kind == XL_KIND_RR && e->counts != XL_COUNTS_DUT)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s: [experiment %s] an rr experiment's systems receive the "
				       "flood on the DUT (counts = dut); %s forwards it",
				       path, x->name, e->name);
		if (x->kind == XL_KIND_LATENCY && e->counts == XL_COUNTS_DUT)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s: [experiment %s] latency needs forwarding systems; %s "
				       "drops everything",
				       path, x->name, e->name);
		/* A backend that owns the generator port's XDP hook leaves no room for a sink. */
		if (e->counts == XL_COUNTS_BACK && !relay && cfg->backend_auto &&
		    xl_gen_owns_port(backend, cfg->backend_opts)) {
			char why[160];

			snprintf(why, sizeof(why),
				 "it returns frames to the generator port, which the %s generator "
				 "owns (%s)",
				 backend->name, cfg->backend_why);
			note_left_out(cfg, x->name, e->name, why);
			memmove(&x->specs[k], &x->specs[k + 1],
				(x->nsystems - k - 1) * sizeof(x->specs[0]));
			x->nsystems--;
			k--;
			continue;
		}
		if (e->counts == XL_COUNTS_BACK && !relay &&
		    xl_gen_owns_port(backend, cfg->backend_opts))
			return xl_fail(
				XL_EXIT_CONFIG,
				"%s: [experiment %s] %s returns frames to the generator port, "
				"which the %s backend owns; use backend = livefr, or backend = "
				"dpdk with backend_opts = vdev=af_packet",
				path, x->name, e->name, backend->name);
		if (e->ops->check && e->ops->check(e, xl_config_run_opts(cfg, e)))
			return -1;
	}
	return 0;
}

int xl_config_load(const char *path, struct xl_run_cfg *cfg)
{
	char *buf;
	size_t len;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = xl_ini_read_file(path, &buf, &len);
	if (rc)
		return xl_fail(XL_EXIT_CONFIG, "cannot read config %s: %s", path, strerror(-rc));
	rc = xl_config_load_buf(path, buf, len, cfg);
	free(buf);
	return rc;
}

int xl_config_load_buf(const char *path, const char *buf, size_t len, struct xl_run_cfg *cfg)
{
	struct parse_state ps = { .cfg = cfg, .path = path };
	const struct xl_gen_ops *backend;
	bool no_backend = false;
	char *text;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->trials = 3;
	cfg->warmup_s = 1;
	cfg->duration_s = 2;
	cfg->frame_size = 64;
	cfg->flows = 1;
	cfg->cores = 1;
	cfg->keep_awake = 0;
	cfg->sink_poll_ns = 0;
	cfg->bounds = (struct xl_bounds){
		.rate_tolerance_pct = 2,
		.steal_max_pct = 10,
		.saturation_loss_pct = 1,
		.sink_drop_max_pct = 0.1,
	};
	snprintf(cfg->backend, sizeof(cfg->backend), XL_GEN_AUTO);
	snprintf(cfg->testbed_type, sizeof(cfg->testbed_type), "veth");
	cfg->json = json_object_new_object();
	if (xl_catalog_load_builtin(&cfg->catalog))
		return -1;
	/* A private NUL-terminated copy: section line lookups read it as a string. */
	text = strndup(buf, len);
	if (!text)
		return xl_fail(XL_EXIT_FAIL, "out of memory reading %s", path);
	ps.text = text;
	rc = xl_ini_parse(buf, len, handler, &ps, ps.err, sizeof(ps.err));
	free(text);
	if (rc > 0)
		return xl_fail(XL_EXIT_CONFIG, "%s:%d: %s", path, rc,
			       ps.err[0] ? ps.err : "syntax error");
	if (rc < 0)
		return xl_fail(XL_EXIT_CONFIG, "cannot parse %s: %s", path,
			       ps.err[0] ? ps.err : strerror(-rc));
	if (xl_catalog_finish(&cfg->catalog))
		return -1;
	if (!cfg->nexps)
		return xl_fail(XL_EXIT_CONFIG, "%s: no [experiment NAME] section", path);
	if (!strcmp(cfg->backend, XL_GEN_AUTO)) {
		const char *name =
			xl_gen_resolve(XL_GEN_AUTO, cfg->backend_why, sizeof(cfg->backend_why));

		/* The config is checked in full first: its own errors come before this one. */
		no_backend = !name;
		snprintf(cfg->backend, sizeof(cfg->backend), "%s", name ? name : "livefr");
		cfg->backend_auto = true;
	}
	/* Before the systems: what runs where depends on it (the relay, left-out systems). */
	if (strcmp(cfg->testbed_type, "veth") && strcmp(cfg->testbed_type, "existing"))
		return xl_fail(XL_EXIT_CONFIG,
			       "%s: testbed type must be 'veth' or 'existing', not '%s'", path,
			       cfg->testbed_type);
	cfg->left_out = json_object_new_array();
	backend = xl_gen_find(cfg->backend);
	if (!backend) {
		char names[128];

		xl_gen_list(names, sizeof(names));
		return xl_fail(XL_EXIT_CONFIG, "%s: unknown backend '%s' (available: %s)", path,
			       cfg->backend, names);
	}
	if (backend_run_key(cfg, path, backend))
		return -1;
	for (int i = 0; i < cfg->nexps; i++) {
		struct xl_exp_cfg *e = &cfg->exps[i];

		if (!e->nsystems)
			return xl_fail(XL_EXIT_CONFIG, "%s: [experiment %s] has no systems", path,
				       e->name);
		if (!e->nrates)
			e->nrates = 1; /* rates[0] = 0: maximum rate */
		for (int r = 0; r < e->nrates && e->kind == XL_KIND_LATENCY; r++)
			if (e->rates[r] <= 0)
				return xl_fail(
					XL_EXIT_CONFIG,
					"%s: [experiment %s] latency needs rates > 0 (frames are counted)",
					path, e->name);
		for (int r = 0; r < e->nrates && e->kind == XL_KIND_NDR; r++)
			if (e->rate_pct[r])
				return xl_fail(
					XL_EXIT_CONFIG,
					"%s: [experiment %s] an ndr search takes rates in pps, "
					"not %%",
					path, e->name);
		if (e->kind == XL_KIND_NDR && e->nrates > 2)
			return xl_fail(
				XL_EXIT_CONFIG,
				"%s: [experiment %s] an ndr search takes rates = MIN, MAX at most",
				path, e->name);
		if (resolve_systems(cfg, e, path, backend) ||
		    resolve_traffic(cfg, e, path, backend))
			return -1;
		if (!e->nsystems) {
			if (e->frames)
				xl_frames_free(e->frames);
			free(e->frames);
			memmove(e, e + 1, (cfg->nexps - i - 1) * sizeof(*e));
			cfg->nexps--;
			i--;
			continue;
		}
		e->pace_by_index = -1;
		for (int k = 0; e->pace_by[0] && k < e->nsystems; k++)
			if (!strcmp(e->specs[k], e->pace_by))
				e->pace_by_index = k;
		if (e->pace_by[0] && e->pace_by_index < 0)
			return xl_fail(
				XL_EXIT_CONFIG,
				"%s:%d: [experiment %s]: pace_by '%s' is not one of its systems "
				"(write it as in systems =)",
				path, e->line, e->name, e->pace_by);
		e->bounds = cfg->bounds;
		/*
		 * A flood is plotted at the rate it reached (offered_pps), not the one asked
		 * for: only a generator far off its target spoils an rr trial.
		 */
		if (e->kind == XL_KIND_RR)
			e->bounds.rate_tolerance_pct = XL_RR_RATE_TOLERANCE_PCT;
		if (e->rate_tolerance_pct > 0)
			e->bounds.rate_tolerance_pct = e->rate_tolerance_pct;
	}
	if (no_backend)
		return xl_fail(XL_EXIT_ENV, "no generator backend can run here (%s)",
			       cfg->backend_why);
	if (!cfg->nexps)
		return xl_fail(XL_EXIT_ENV,
			       "%s: every experiment was left out: the %s generator "
			       "cannot run them here",
			       path, cfg->backend);
	return xl_hosts_check(&cfg->hosts, cfg->testbed_type, path);
}

void xl_config_free(struct xl_run_cfg *cfg)
{
	for (int i = 0; i < cfg->nexps; i++) {
		if (cfg->exps[i].frames)
			xl_frames_free(cfg->exps[i].frames);
		free(cfg->exps[i].frames);
		cfg->exps[i].frames = NULL;
	}
	json_object_put(cfg->json);
	cfg->json = NULL;
	json_object_put(cfg->left_out);
	cfg->left_out = NULL;
	xl_catalog_free(&cfg->catalog);
}
