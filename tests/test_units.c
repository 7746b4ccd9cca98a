// SPDX-License-Identifier: GPL-2.0
/*
 * test_units.c - the pure parts of xdplab: number and CPU-list parsing, system
 * specs, the config parser (values, defaults, inheritance, errors with line
 * numbers), and the /proc/stat reader.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "test_common.h"
#include "config.h"
#include "cpustat.h"
#include "latency.h"
#include "systems.h"
#include "util.h"
#include "xl_err.h"

static const char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/xdplab-test-%d.ini", getpid());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_parsers(void)
{
	int cpus[8];
	double d;
	long l;

	ASSERT_EQ(xl_parse_cpu_list("0", cpus, 8), 1, "cpulist: single CPU");
	ASSERT_EQ(xl_parse_cpu_list("0,2-4", cpus, 8), 4, "cpulist: list and range");
	ASSERT_EQ(cpus[3], 4, "cpulist: range expanded in order");
	ASSERT_TRUE(xl_parse_cpu_list("3-1", cpus, 8) < 0, "cpulist: reversed range rejected");
	ASSERT_TRUE(xl_parse_cpu_list("a", cpus, 8) < 0, "cpulist: garbage rejected");
	ASSERT_TRUE(xl_parse_cpu_list("0-9", cpus, 8) < 0, "cpulist: too many rejected");
	ASSERT_OK(xl_parse_double("1e6", 0, 1e9, &d), "number: exponent accepted");
	ASSERT_NEAR(d, 1e6, 0, "number: exponent value");
	ASSERT_TRUE(xl_parse_double("5x", 0, 10, &d) < 0, "number: trailing garbage rejected");
	ASSERT_TRUE(xl_parse_double("nan", 0, 10, &d) < 0, "number: NaN rejected");
	ASSERT_TRUE(xl_parse_int("11", 0, 10, &l) < 0, "number: out of range rejected");
	/* strtod() and strtol() take more than decimal numbers; these are not numbers here */
	ASSERT_TRUE(xl_parse_double("0x1p3", 0, 10, &d) < 0, "number: hex float rejected");
	ASSERT_TRUE(xl_parse_double("inf", 0, INFINITY, &d) < 0,
		    "number: inf rejected even when the range allows it");
	ASSERT_TRUE(xl_parse_double("-Infinity", -INFINITY, 0, &d) < 0,
		    "number: -Infinity rejected");
	ASSERT_TRUE(xl_parse_double("nan(1)", -INFINITY, INFINITY, &d) < 0,
		    "number: nan(...) rejected");
	ASSERT_TRUE(xl_parse_double(" 5", 0, 10, &d) < 0, "number: leading space rejected");
	ASSERT_TRUE(xl_parse_double("1e999", 0, INFINITY, &d) < 0, "number: overflow rejected");
	ASSERT_TRUE(xl_parse_double("1e-400", 0, 1, &d) < 0, "number: underflow rejected");
	ASSERT_TRUE(xl_parse_double("", 0, 1, &d) < 0, "number: empty rejected");
	if (ASSERT_OK(xl_parse_double("-0", 0, 1, &d), "number: -0 accepted"))
		ASSERT_TRUE(!signbit(d), "number: -0 read as 0");
	ASSERT_OK(xl_parse_double(".5", 0, 1, &d), "number: .5 accepted");
	ASSERT_TRUE(xl_parse_int("9223372036854775808", LONG_MIN, LONG_MAX, &l) < 0,
		    "number: long overflow rejected");
	ASSERT_TRUE(xl_parse_int("-9223372036854775809", LONG_MIN, LONG_MAX, &l) < 0,
		    "number: long underflow rejected");
	ASSERT_TRUE(xl_parse_int(" 5", 0, 10, &l) < 0,
		    "number: integer with a leading space rejected");
	ASSERT_TRUE(xl_parse_int("0x10", 0, 100, &l) < 0, "number: hex integer rejected");
	ASSERT_OK(xl_parse_int("-10", -10, 0, &l), "number: negative integer accepted");
	ASSERT_EQ(l, -10, "number: negative integer value");
}

static void test_system_specs(void)
{
	const struct xl_system_def *def;
	enum xl_sys_mode mode;

	ASSERT_OK(xl_system_parse("xdp-drop", &def, &mode), "system: name alone");
	ASSERT_EQ(mode, XL_SM_NATIVE, "system: XDP defaults to native");
	ASSERT_OK(xl_system_parse("xdp-tx:generic", &def, &mode), "system: name:mode");
	ASSERT_EQ(mode, XL_SM_GENERIC, "system: generic mode parsed");
	ASSERT_EQ(def->sink, XL_SINK_GEN, "system: xdp-tx delivers back to the generator port");
	ASSERT_OK(xl_system_parse("linux-fwd", &def, &mode), "system: stack baseline");
	ASSERT_EQ(mode, XL_SM_STACK, "system: stack mode by default");
	ASSERT_EQ(xl_system_parse("linux-raw:native", &def, &mode), -EINVAL,
		  "system: mode not allowed");
	ASSERT_EQ(xl_system_parse("nosuch", &def, &mode), -ENOENT, "system: unknown name");
}

static void test_config(void)
{
	struct xl_run_cfg cfg;
	const char *p;

	p = write_tmp(
		"[run]\ntrials = 4\nduration_s = 1.5\n[testbed]\ngen_cpus = 0\ndut_cpus = 1\n"
		"[experiment a]\nsystems = xdp-drop, linux-raw\n"
		"[experiment b]\nsystems = xdp-redirect:generic\nrates = 1000, 2e5\nflows = 8\n");
	if (ASSERT_OK(xl_config_load(p, &cfg), "config: valid file loads")) {
		ASSERT_EQ(cfg.trials, 4, "config: [run] trials");
		ASSERT_NEAR(cfg.duration_s, 1.5, 0, "config: [run] duration");
		ASSERT_EQ(cfg.frame_size, 64, "config: default frame size");
		ASSERT_EQ(cfg.nexps, 2, "config: two experiments");
		ASSERT_EQ(cfg.exps[0].nsystems, 2, "config: systems list");
		ASSERT_EQ(cfg.exps[0].nrates, 1, "config: default one rate");
		ASSERT_NEAR(cfg.exps[0].rates[0], 0, 0, "config: default rate is maximum");
		ASSERT_EQ(cfg.exps[1].nrates, 2, "config: rates list");
		ASSERT_NEAR(cfg.exps[1].rates[1], 2e5, 0, "config: rate value");
		ASSERT_EQ(cfg.exps[1].flows, 8, "config: per-experiment override");
		ASSERT_EQ(cfg.exps[1].modes[0], XL_SM_GENERIC, "config: system mode");
		ASSERT_TRUE(cfg.json != NULL, "config: kept as JSON for the context block");
		xl_config_free(&cfg);
	}
	xl_reset_error();
	p = write_tmp("[run]\ntrials = 4\n\n[experiment a]\nsystems = xdp-drop\nrates = slow\n");
	ASSERT_TRUE(xl_config_load(p, &cfg) < 0, "config: bad rate rejected");
	ASSERT_EQ(xl_exit_code(), XL_EXIT_CONFIG, "config: bad value is exit 3");
	xl_config_free(&cfg);
	xl_reset_error();
	p = write_tmp("[experiment a]\nsystems = xdp-drop\nrates = 0, 1, 1e9\n");
	ASSERT_OK(xl_config_load(p, &cfg), "config: rates 0 (maximum), 1 and 1e9 pps accepted");
	xl_config_free(&cfg);
	xl_reset_error();
	p = write_tmp("[experiment a]\nsystems = xdp-drop\nrates = 0.5\n");
	ASSERT_TRUE(xl_config_load(p, &cfg) < 0, "config: rate under 1 pps rejected");
	xl_config_free(&cfg);
	xl_reset_error();
	p = write_tmp("[experiment a]\nsystems = xdp-drop\nrates = 1e-12\n");
	ASSERT_TRUE(xl_config_load(p, &cfg) < 0,
		    "config: rate that would overflow pacing rejected");
	xl_config_free(&cfg);
	xl_reset_error();
	p = write_tmp("[run]\nduration_s = 0x1p1\n[experiment a]\nsystems = xdp-drop\n");
	ASSERT_TRUE(xl_config_load(p, &cfg) < 0, "config: hex float duration rejected");
	xl_config_free(&cfg);
	xl_reset_error();
	unlink(p);
}

static void test_cpustat(void)
{
	struct xl_cpu_sample a, b;
	int cpu0 = 0;

	ASSERT_OK(xl_cpu_read_set(&cpu0, 1, &a), "cpustat: read CPU 0");
	usleep(50000);
	ASSERT_OK(xl_cpu_read_set(&cpu0, 1, &b), "cpustat: read again");
	ASSERT_GE(b.total_ticks, a.total_ticks, "cpustat: ticks are monotonic");
	ASSERT_LE(a.busy_ticks, a.total_ticks, "cpustat: busy <= total");
	ASSERT_TRUE(xl_cpu_read(100000, &a) < 0, "cpustat: absent CPU is an error");
}

static void test_lat_buckets(void)
{
	ASSERT_EQ(xl_lat_bucket(0), 0, "hist: 0 ns in bucket 0");
	ASSERT_EQ(xl_lat_bucket(49), 0, "hist: 49 ns in bucket 0");
	ASSERT_EQ(xl_lat_bucket(50), 1, "hist: 50 ns starts bucket 1");
	ASSERT_EQ(xl_lat_bucket(9999), 199, "hist: 9999 ns below the 10 us edge");
	ASSERT_EQ(xl_lat_bucket(10000), 200, "hist: 10 us is a bucket edge");
	ASSERT_EQ(xl_lat_bucket(99999), XL_LAT_LIN_BUCKETS - 1, "hist: last linear bucket");
	ASSERT_EQ(xl_lat_bucket(100000), XL_LAT_LIN_BUCKETS, "hist: 100 us starts the log part");
	ASSERT_EQ(xl_lat_bucket(106249), XL_LAT_LIN_BUCKETS,
		  "hist: first log bucket is 6.25 us wide");
	ASSERT_EQ(xl_lat_bucket(106250), XL_LAT_LIN_BUCKETS + 1, "hist: second log bucket");
	ASSERT_EQ(xl_lat_bucket(199999), XL_LAT_LIN_BUCKETS + 15, "hist: end of first doubling");
	ASSERT_EQ(xl_lat_bucket(200000), XL_LAT_LIN_BUCKETS + 16, "hist: second doubling");
	ASSERT_EQ(xl_lat_bucket(~0ull >> 1), XL_LAT_BUCKETS - 1, "hist: huge value overflows");
	ASSERT_EQ(xl_lat_bucket((100000ull << 20) - 1), XL_LAT_BUCKETS - 2,
		  "hist: last log bucket");
	ASSERT_EQ(xl_lat_bucket(100000ull << 20), XL_LAT_BUCKETS - 1, "hist: overflow edge");
	{
		int bad = 0;

		/* Every bucket's edges map back to it, and edges are contiguous. */
		for (__u32 b = 0; b + 1 < XL_LAT_BUCKETS; b++)
			bad += xl_lat_bucket(xl_lat_bucket_lo(b)) != b ||
			       xl_lat_bucket(xl_lat_bucket_hi(b) - 1) != b ||
			       xl_lat_bucket_hi(b) != xl_lat_bucket_lo(b + 1);
		ASSERT_EQ(bad, 0, "hist: bucket edges round-trip for every bucket");
	}
	{
		double worst = 0;

		for (__u32 b = XL_LAT_LIN_BUCKETS; b + 1 < XL_LAT_BUCKETS; b++) {
			double w = (double)(xl_lat_bucket_hi(b) - xl_lat_bucket_lo(b)) /
				   xl_lat_bucket_lo(b);

			worst = w > worst ? w : worst;
		}
		ASSERT_NEAR(worst, 1.0 / 16, 1e-9,
			    "hist: log buckets at most 1/16 of their value wide");
	}
}

static void test_lat_percentiles(void)
{
	static uint64_t h[XL_LAT_BUCKETS];

	/* 90 samples in [5000, 5050), 9 in [20000, 20050), 1 in the 1 ms log bucket. */
	h[xl_lat_bucket(5000)] = 90;
	h[xl_lat_bucket(20000)] = 9;
	h[xl_lat_bucket(1000000)] = 1;
	ASSERT_NEAR(xl_lat_percentile(h, 100, 0.5), 5025, 0, "pct: p50 is the bucket midpoint");
	ASSERT_NEAR(xl_lat_percentile(h, 100, 0.9), 5025, 0,
		    "pct: p90 is the 90th sample's bucket");
	ASSERT_NEAR(xl_lat_percentile(h, 100, 0.91), 20025, 0, "pct: p91 moves to the next bucket");
	ASSERT_NEAR(xl_lat_percentile(h, 100, 0.99), 20025, 0, "pct: p99");
	ASSERT_NEAR(xl_lat_percentile(h, 100, 1.0),
		    (xl_lat_bucket_lo(xl_lat_bucket(1000000)) +
		     xl_lat_bucket_hi(xl_lat_bucket(1000000))) /
			    2.0,
		    0, "pct: p100 in the log bucket of 1 ms");
	ASSERT_NEAR(xl_lat_share_below(h, 100, 10000), 0.90, 1e-12, "pct: share under 10 us");
	ASSERT_NEAR(xl_lat_percentile(h, 0, 0.5), 0, 0, "pct: empty histogram gives 0");
}

int main(void)
{
	test_lat_buckets();
	test_lat_percentiles();
	test_parsers();
	test_system_specs();
	test_config();
	test_cpustat();
	return xl_test_failed;
}
