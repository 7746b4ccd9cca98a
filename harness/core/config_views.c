// SPDX-License-Identifier: GPL-2.0
/*
 * config_views.c - what the runner takes from a loaded config: the testbed it
 * asks for, the experiments kept by --only, and the experiments as they will
 * run (inherited values filled in) for context.json.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "util.h"
#include "xdplab.h"
#include "xl_err.h"

int xl_config_only(struct xl_run_cfg *cfg, const char *only)
{
	char buf[512], *save = NULL, *tok;
	struct xl_exp_cfg *kept = calloc(XL_MAX_EXPS, sizeof(*kept));
	int n = 0;

	if (!kept)
		return -ENOMEM;
	snprintf(buf, sizeof(buf), "%s", only);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int found = -1;

		for (int i = 0; i < cfg->nexps; i++)
			if (!strcmp(cfg->exps[i].name, tok))
				found = i;
		if (found < 0 || n == XL_MAX_EXPS) {
			free(kept);
			return xl_fail(XL_EXIT_USAGE, "--only: no experiment '%s' in the config",
				       tok);
		}
		kept[n++] = cfg->exps[found];
	}
	memcpy(cfg->exps, kept, sizeof(kept[0]) * n);
	cfg->nexps = n;
	free(kept);
	return 0;
}

void xl_config_drop_on_demand(struct xl_run_cfg *cfg)
{
	int n = 0;

	for (int i = 0; i < cfg->nexps; i++)
		if (!cfg->exps[i].on_demand)
			cfg->exps[n++] = cfg->exps[i];
	cfg->nexps = n;
}

static long pick(long v, long dflt)
{
	return v ? v : dflt;
}

static double pickd(double v, double dflt)
{
	return v > 0 ? v : dflt;
}

/* A replay's provenance: which file (path and SHA-256) and what was in it. */
static json_object *frames_json(const struct xl_exp_cfg *x)
{
	const struct xl_frames *fr = x->frames;
	json_object *p = json_object_new_object();

	json_object_object_add(p, "path", json_object_new_string(fr->path));
	json_object_object_add(p, "sha256", json_object_new_string(fr->sha256));
	json_object_object_add(p, "frames", json_object_new_int(fr->n));
	json_object_object_add(p, "min_len", json_object_new_int(fr->min_len));
	json_object_object_add(p, "max_len", json_object_new_int(fr->max_len));
	json_object_object_add(p, "mean_len", json_object_new_double(fr->mean_len));
	json_object_object_add(p, "padded", json_object_new_int(fr->padded));
	json_object_object_add(p, "macs",
			       json_object_new_string(x->keep_macs ? "keep" : "testbed"));
	return p;
}

json_object *xl_config_experiments_json(const struct xl_run_cfg *cfg)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < cfg->nexps; i++) {
		const struct xl_exp_cfg *x = &cfg->exps[i];
		json_object *j = json_object_new_object(), *sys = json_object_new_array(),
			    *rates = json_object_new_array();

		static const char *const kinds[] = { "throughput", "latency", "ndr", "rr" };

		json_object_object_add(j, "kind", json_object_new_string(kinds[x->kind]));
		if (x->kind == XL_KIND_THROUGHPUT)
			json_object_object_add(
				j, "load",
				json_object_new_string(x->load == XL_LOAD_MAX ? "max" : "equal"));
		for (int k = 0; k < x->nsystems; k++) {
			json_object *s = json_object_new_object();

			json_object_object_add(s, "system",
					       json_object_new_string(x->sys[k].e->name));
			json_object_object_add(
				s, "mode",
				json_object_new_string(xl_sys_mode_name(x->sys[k].mode)));
			json_object_array_add(sys, s);
		}
		json_object_object_add(j, "systems", sys);
		if (x->lb_vips) {
			json_object_object_add(j, "lb_vips", json_object_new_int64(x->lb_vips));
			json_object_object_add(j, "lb_reals", json_object_new_int64(x->lb_reals));
			json_object_object_add(j, "src_addrs", json_object_new_int64(x->src_addrs));
		}
		for (int r = 0; r < x->nrates; r++) {
			char pct[32];

			/* A share of the ceiling as written; the pps it became is in "load". */
			snprintf(pct, sizeof(pct), "%g%%", x->rates[r]);
			json_object_array_add(rates, x->rate_pct[r]
							     ? json_object_new_string(pct)
							     : json_object_new_double(x->rates[r]));
		}
		json_object_object_add(j, "rates", rates);
		json_object_object_add(j, "trials",
				       json_object_new_int(pick(x->trials, cfg->trials)));
		json_object_object_add(
			j, "duration_s",
			json_object_new_double(pickd(x->duration_s, cfg->duration_s)));
		json_object_object_add(j, "warmup_s",
				       json_object_new_double(pickd(x->warmup_s, cfg->warmup_s)));
		json_object_object_add(j, "frame_size",
				       json_object_new_int(pick(x->frame_size, cfg->frame_size)));
		json_object_object_add(
			j, "dst_port",
			json_object_new_int(pick(pick(x->dst_port, cfg->dst_port), XL_UDP_DPORT)));
		json_object_object_add(j, "flows", json_object_new_int(pick(x->flows, cfg->flows)));
		json_object_object_add(
			j, "proto",
			json_object_new_string(x->frames ? "pcap" : xl_proto_name(x->proto)));
		if (x->frames)
			json_object_object_add(j, "pcap", frames_json(x));
		json_object_object_add(o, x->name, j);
	}
	return o;
}

int xl_config_testbed(const struct xl_run_cfg *cfg, struct xl_testbed *tb)
{
	char prefix[24];
	int n;

	snprintf(prefix, sizeof(prefix), "xl%d", (int)getpid());
	xl_testbed_init_veth(tb, cfg->cores, prefix);
	if (!strcmp(cfg->testbed_type, "existing"))
		for (int r = 0; r < XL_NR_ROLES; r++)
			if (xl_hosts_of(&cfg->hosts, r)
				    ? xl_hosts_port(tb, r, cfg->ports[r])
				    : xl_testbed_existing_port(tb, r, cfg->ports[r]))
				return -1;
	if (cfg->gen_cpus[0]) {
		n = xl_parse_cpu_list(cfg->gen_cpus, tb->gen_cpus, XL_MAX_CORES);
		if (n != tb->cores)
			return xl_fail(XL_EXIT_CONFIG,
				       "gen_cpus must list exactly %d CPU(s) (cores = %d)",
				       tb->cores, tb->cores);
	}
	if (cfg->dut_cpus[0]) {
		n = xl_parse_cpu_list(cfg->dut_cpus, tb->dut_cpus, XL_MAX_CORES);
		if (n != tb->cores)
			return xl_fail(XL_EXIT_CONFIG,
				       "dut_cpus must list exactly %d CPU(s) (cores = %d)",
				       tb->cores, tb->cores);
	}
	/* Two hosts: gen_cpus are the generator host's, checked there. */
	return xl_hosts_of(&cfg->hosts, XL_ROLE_GEN) ? xl_hosts_check_dut_cpus(tb)
						     : xl_testbed_check_cpus(tb);
}
