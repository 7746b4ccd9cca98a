/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h - an experiment run as read from an INI file (libinih):
 *
 *   [run]            trials, warmup_s, duration_s, frame_size, flows, cores,
 *                    backend, backend_opts, dpdk_opts, rate_tolerance_pct
 *   [testbed]        type = veth | existing; gen_cpus, dut_cpus; for existing:
 *                    generator, dut-in, dut-out, sink = [NAMESPACE:]IFNAME
 *   [experiment X]   systems = name[:mode], ...; rates = pps, ... (0 = maximum);
 *                    kind = throughput | latency (latency needs rates > 0);
 *                    optional frame_size, flows, trials, duration_s, warmup_s
 *
 * Keys are described by tables, so the parser, the validation and the error
 * messages ("FILE:LINE: ...") come from one place.
 */
#ifndef XL_CONFIG_H
#define XL_CONFIG_H

#include <json-c/json.h>
#include "systems.h"
#include "testbed.h"

#define XL_MAX_EXPS 16
#define XL_MAX_SYSTEMS 16
#define XL_MAX_RATES 32
#define XL_NAME_LEN 64

enum xl_exp_kind {
	XL_KIND_THROUGHPUT,
	XL_KIND_LATENCY
};

struct xl_exp_cfg {
	char name[XL_NAME_LEN];
	enum xl_exp_kind kind; /* kind = throughput (default) | latency */
	int nsystems;
	const struct xl_system_def *defs[XL_MAX_SYSTEMS];
	enum xl_sys_mode modes[XL_MAX_SYSTEMS];
	int nrates;
	double rates[XL_MAX_RATES];
	/* 0 = inherit from [run] */
	long frame_size, flows, trials;
	double duration_s, warmup_s;
};

struct xl_run_cfg {
	long trials, frame_size, flows, cores;
	double warmup_s, duration_s, rate_tolerance_pct;
	char backend[XL_NAME_LEN];
	char backend_opts[256];
	char dpdk_opts[256]; /* options of the testpmd systems (docs/dpdk.md) */
	char testbed_type[16];
	char gen_cpus[64], dut_cpus[64];
	char ports[XL_NR_ROLES][80]; /* existing testbed: [ns:]ifname per role */
	int nexps;
	struct xl_exp_cfg exps[XL_MAX_EXPS];
	json_object *json; /* the file as parsed: {section: {key: value}} */
};

/* Parse and validate; on error prints one line and returns -1 (XL_EXIT_CONFIG). */
int xl_config_load(const char *path, struct xl_run_cfg *cfg);
/* The same for a config already in memory (buf need not end in NUL); path names it. */
int xl_config_load_buf(const char *path, const char *buf, size_t len, struct xl_run_cfg *cfg);
/* Build the testbed description the config asks for (no side effects). */
int xl_config_testbed(const struct xl_run_cfg *cfg, struct xl_testbed *tb);
void xl_config_free(struct xl_run_cfg *cfg);

#endif
