// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_config.c - libFuzzer target over the config reader: the strict INI pass
 * (lib/inifile.c) and the config parser behind it (xl_config_load_buf).  The
 * sanitizers catch memory errors, undefined behaviour and leaks; on top of
 * them this target aborts when a property that must hold does not: libinih
 * and the strict pass agree on every accepted text (never -EPROTO), an
 * accepted text holds no control byte, and a config that loads has every
 * value inside its documented range (no NaN, infinity or overflow getting
 * through), its CPU lists parse into range, and it serialises to JSON
 * without control bytes (context.json).
 * Built by `make fuzz`, run by tests/test_fuzz.sh.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/config.h"
#include "inifile.h"
#include "util.h"
#include "xdplab.h"
#include "xl_err.h"

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "fuzz_config: property violated: %s\n", #cond); \
			abort();                                                        \
		}                                                                       \
	} while (0)

static int count_key(void *user, const char *section, const char *name, const char *value)
{
	(void)section, (void)name, (void)value;
	(*(int *)user)++;
	return 1;
}

static int in(double v, double lo, double hi)
{
	return isfinite(v) && v >= lo && v <= hi;
}

static int terminated(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

static void cpu_list(const char *s)
{
	int cpus[XL_MAX_CORES], n = xl_parse_cpu_list(s, cpus, XL_MAX_CORES);

	CHECK(n == -EINVAL || (n >= 1 && n <= XL_MAX_CORES));
	for (int i = 0; i < n; i++)
		CHECK(cpus[i] >= 0 && cpus[i] <= 4095);
}

static void check_config(const struct xl_run_cfg *cfg)
{
	const char *json;

	CHECK(cfg->trials >= 1 && cfg->trials <= 1000);
	CHECK(in(cfg->warmup_s, 0, 600) && in(cfg->duration_s, 0.1, 3600));
	CHECK(cfg->frame_size >= XL_MIN_FRAME && cfg->frame_size <= XL_MAX_FRAME);
	CHECK(cfg->flows >= 1 && cfg->flows <= 50000);
	CHECK(cfg->cores >= 1 && cfg->cores <= XL_MAX_CORES);
	CHECK(in(cfg->bounds.rate_tolerance_pct, 0.1, 100) &&
	      in(cfg->bounds.steal_max_pct, 0, 100));
	CHECK(terminated(cfg->backend, sizeof(cfg->backend)) &&
	      terminated(cfg->backend_opts, sizeof(cfg->backend_opts)));
	for (int i = 0; i < cfg->next; i++)
		CHECK(terminated(cfg->ext[i].value, sizeof(cfg->ext[i].value)));
	CHECK(cfg->nexps >= 1 && cfg->nexps <= XL_MAX_EXPS);
	for (int i = 0; i < cfg->nexps; i++) {
		const struct xl_exp_cfg *e = &cfg->exps[i];

		CHECK(e->name[0] && terminated(e->name, sizeof(e->name)));
		for (int j = 0; j < i; j++)
			CHECK(strcmp(e->name, cfg->exps[j].name));
		CHECK(e->nsystems >= 1 && e->nsystems <= XL_MAX_SYSTEMS);
		for (int k = 0; k < e->nsystems; k++)
			CHECK(e->sys[k].e != NULL && e->sys[k].e->ops != NULL &&
			      (e->sys[k].e->modes & e->sys[k].mode));
		CHECK(e->nrates >= 1 && e->nrates <= XL_MAX_RATES);
		/* 0 = maximum (not for latency); else at least 1 pps */
		for (int r = 0; r < e->nrates; r++) {
			CHECK(in(e->rates[r], e->kind == XL_KIND_LATENCY, 1e9));
			CHECK(e->rates[r] == 0 || e->rates[r] >= 1);
			CHECK(!signbit(e->rates[r]));
		}
		/* 0 = inherit from [run] */
		CHECK(!e->frame_size ||
		      (e->frame_size >= XL_MIN_FRAME && e->frame_size <= XL_MAX_FRAME));
		CHECK(e->flows >= 0 && e->flows <= 50000 && e->trials >= 0 && e->trials <= 1000);
		CHECK(!e->duration_s || in(e->duration_s, 0.1, 3600));
		CHECK(in(e->warmup_s, 0, 600));
	}
	/* the CPU lists are parsed later (xl_config_testbed), with side effects: parse them here */
	cpu_list(cfg->gen_cpus);
	cpu_list(cfg->dut_cpus);
	json = json_object_to_json_string(cfg->json);
	CHECK(json != NULL);
	for (const char *p = json; *p; p++)
		CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct xl_run_cfg cfg;
	char err[256];
	int keys = 0, rc;

	rc = xl_ini_parse(text, size, count_key, &keys, err, sizeof(err));
	if (rc == -EPROTO) {
		fprintf(stderr, "fuzz_config: %s\n", err);
		abort();
	}
	CHECK(rc >= 0);
	if (rc == 0)
		for (size_t i = 0; i < size; i++)
			CHECK(data[i] >= 0x20 || data[i] == '\t' || data[i] == '\n' ||
			      (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n'));
	xl_reset_error();
	if (xl_config_load_buf("fuzz.ini", text, size, &cfg) == 0)
		check_config(&cfg);
	else
		CHECK(xl_exit_code() == XL_EXIT_CONFIG);
	xl_config_free(&cfg);
	xl_reset_error();
	return 0;
}
