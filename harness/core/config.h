/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h - an experiment run as read from an INI file (libinih):
 *
 *   [run]            trials, warmup_s, duration_s, frame_size, flows, dst_port,
 *                    proto = udp | tcp, pcap = FILE, pcap_macs = testbed | keep, cores,
 *                    backend, backend_opts, rate_tolerance_pct, and the [run]
 *                    keys of plug-in system kinds (dpdk_opts)
 *   [testbed]        type = veth | existing; gen_cpus, dut_cpus; for existing:
 *                    generator, dut-in, dut-out, sink = [NAMESPACE:]IFNAME
 *   [system NAME]    a system of the user's (catalog.h; same keys as configs/systems.ini)
 *   [experiment X]   systems = name[:mode], ...; rates = pps, ... (0 = maximum);
 *                    kind = throughput | latency | ndr | rr (latency needs rates > 0;
 *                    rr: rates are flood rates, 0 = no flood);
 *                    routes, dst_addrs; lb_vips, lb_reals, src_addrs (fixtures.h);
 *                    load = equal | max, headroom_pct (throughput at rates = 0);
 *                    ndr_precision_pct, pdr_loss_pct, ndr_repeats, ndr_max_trials (ndr);
 *                    optional frame_size, flows, dst_port, proto, pcap, pcap_macs,
 *                    trials, duration_s, warmup_s
 *
 * Keys are described by tables, so the parser, the validation and the error
 * messages ("FILE:LINE: ...") come from one place.
 */
#ifndef XL_CONFIG_H
#define XL_CONFIG_H

#include <json-c/json.h>
#include "core/validity.h"
#include "gen/pkt.h"
#include "gen/replay.h"
#include "remote/hosts.h"
#include "systems/catalog.h"
#include "testbed/testbed.h"

#define XL_MAX_EXPS 16
#define XL_MAX_SYSTEMS 16
#define XL_MAX_RATES 32
#define XL_MAX_RUN_EXT 8
#define XL_NAME_LEN 64
/* The load balancer's plan (apps/lb_plan.h): reals over all VIPs, client sources. */
#define XL_LB_PLAN_MAX_REALS 4096 /* XL_LB_MAX_REALS */
#define XL_LB_PLAN_MAX_SRCS 65000

enum xl_exp_kind {
	XL_KIND_THROUGHPUT,
	XL_KIND_LATENCY,
	XL_KIND_NDR, /* zero-loss throughput search (core/search.h) */
	XL_KIND_RR, /* TCP request/response under a flood at each rate (0 = no flood): Fig. 7 */
};

/* How a throughput experiment offers load (core/load.c). */
enum xl_load {
	XL_LOAD_EQUAL, /* rates = 0: all systems at one common rate above the slowest capacity */
	XL_LOAD_MAX, /* rates = 0: every system at the generator's maximum (unequal loads) */
};

struct xl_exp_sys {
	const struct xl_sys_entry *e;
	enum xl_sys_mode mode;
};

struct xl_exp_cfg {
	char name[XL_NAME_LEN];
	enum xl_exp_kind kind; /* kind = throughput (default) | latency */
	int line; /* of its section header */
	int nsystems;
	char specs[XL_MAX_SYSTEMS][XL_NAME_LEN]; /* as written; resolved once all is read */
	struct xl_exp_sys sys[XL_MAX_SYSTEMS];
	int nrates;
	double rates[XL_MAX_RATES];
	bool rate_pct[XL_MAX_RATES]; /* rates[i] is a percentage of the generator's paced ceiling */
	/* 0 = inherit from [run] */
	long frame_size, flows, trials, dst_port;
	long routes,
		dst_addrs; /* fixtures.h: a routing table in the DUT, frames to its addresses */
	long lb_vips, lb_reals, src_addrs; /* fixtures.h: the load balancer's plan */
	char proto_s[8], pcap_s[4096], pcap_macs_s[8]; /* "" = inherit */
	double duration_s, warmup_s;
	enum xl_load load;
	double headroom_pct; /* equal load: common rate = slowest capacity * (1 + headroom) */
	double ndr_precision_pct, pdr_loss_pct;
	long ndr_repeats, ndr_max_trials;
	long on_demand; /* 1: runs only when named by --only */
	long profile; /* 1: a perf profile of the DUT cores in every counted trial */
	double rate_tolerance_pct; /* 0 = [run]'s */
	char pace_by[XL_NAME_LEN]; /* equal load: the system whose capacity sets the rate */
	int pace_by_index; /* its index in sys[]; -1 = the slowest */
	struct xl_bounds bounds; /* [run]'s bounds with this experiment's overrides */
	/* Resolved test traffic: protocol, or the frames of a pcap file (then proto is unused). */
	enum xl_proto proto;
	struct xl_frames *frames; /* NULL = the generated frame */
	int keep_macs; /* replay: 1 = send the file's MAC addresses, 0 = the testbed's */
};

struct xl_kv {
	char key[64];
	char value[256];
};

struct xl_run_cfg {
	long trials, frame_size, flows, cores, keep_awake, sink_poll_ns, dst_port;
	double warmup_s, duration_s;
	struct xl_bounds bounds; /* rate_tolerance_pct, steal_max_pct, ... of [run] */
	char backend[XL_NAME_LEN]; /* resolved: "auto" becomes the backend chosen */
	char backend_opts[256];
	bool backend_auto; /* chosen by "auto": what it cannot run is left out, not refused */
	char backend_why[256]; /* what "auto" passed over, and why */
	json_object *left_out; /* [{experiment, system, why}] left out for the backend */
	char proto_s[8], pcap_s[4096], pcap_macs_s[8];
	char testbed_type[16];
	char gen_cpus[64], dut_cpus[64];
	char ports[XL_NR_ROLES][80]; /* existing testbed: [ns:]ifname per role */
	int next;
	struct xl_kv ext[XL_MAX_RUN_EXT]; /* [run] keys that plug-in kinds read */
	int nexps;
	struct xl_exp_cfg exps[XL_MAX_EXPS];
	struct xl_catalog catalog;
	struct xl_hosts hosts; /* [host NAME]: roles on other hosts (two-host mode) */
	json_object *json; /* the file as parsed: {section: {key: value}} */
};

/* Parse and validate; on error prints one line and returns -1 (XL_EXIT_CONFIG). */
int xl_config_load(const char *path, struct xl_run_cfg *cfg);
/* Keep only the experiments named in "a,b,..." (--only); XL_EXIT_USAGE for an unknown one. */
int xl_config_only(struct xl_run_cfg *cfg, const char *only);
/* Without --only: leave out the experiments marked on_demand. */
void xl_config_drop_on_demand(struct xl_run_cfg *cfg);
/* The value of the [run] key a system's kind reads (NULL if none or unset). */
const char *xl_config_run_opts(const struct xl_run_cfg *cfg, const struct xl_sys_entry *e);
/* The same for a config already in memory (buf need not end in NUL); path names it. */
int xl_config_load_buf(const char *path, const char *buf, size_t len, struct xl_run_cfg *cfg);
/* Build the testbed description the config asks for (no side effects). */
int xl_config_testbed(const struct xl_run_cfg *cfg, struct xl_testbed *tb);
/* The experiments as they will run, for context.json. */
json_object *xl_config_experiments_json(const struct xl_run_cfg *cfg);
void xl_config_free(struct xl_run_cfg *cfg);

#endif
