// SPDX-License-Identifier: GPL-2.0
/*
 * test_units.c - the pure parts of xdplab: number and CPU-list parsing, the
 * system catalog (shipped entries, user [system] sections, their errors), the
 * config parser (values, defaults, inheritance, errors with line numbers), the
 * results schema, the cleanup registry (undo and replay after a SIGKILL), the
 * relay's copies per rate, and the /proc/stat reader.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "test_common.h"
#include "core/config.h"
#include "collect/cpustat.h"
#include "collect/latency.h"
#include "core/schema.h"
#include "systems/system.h"
#include "testbed/relay.h"
#include "undo.h"
#include "xl_spawn.h"
#include "util.h"
#include "xl_err.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

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
	struct xl_catalog c = {};
	const struct xl_sys_entry *e;
	enum xl_sys_mode mode;

	if (!ASSERT_OK(xl_catalog_load_builtin(&c), "catalog: shipped systems load") ||
	    !ASSERT_OK(xl_catalog_finish(&c), "catalog: shipped systems are valid"))
		goto out;
	ASSERT_OK(xl_catalog_parse_spec(&c, "xdp-drop", &e, &mode), "system: name alone");
	ASSERT_EQ(mode, XL_SM_NATIVE, "system: XDP defaults to native");
	ASSERT_OK(xl_catalog_parse_spec(&c, "xdp-tx:generic", &e, &mode), "system: name:mode");
	ASSERT_EQ(mode, XL_SM_GENERIC, "system: generic mode parsed");
	ASSERT_EQ(e->counts, XL_COUNTS_BACK, "system: xdp-tx delivers back to the generator port");
	ASSERT_OK(xl_catalog_parse_spec(&c, "linux-fwd", &e, &mode), "system: stack baseline");
	ASSERT_EQ(mode, XL_SM_STACK, "system: stack mode by default");
	ASSERT_TRUE(xl_setting(e, "sysctl") && strstr(xl_setting(e, "sysctl"), "ip_forward=1"),
		    "system: linux-fwd turns forwarding on");
	ASSERT_EQ(xl_catalog_parse_spec(&c, "linux-raw:native", &e, &mode), -EINVAL,
		  "system: mode not allowed");
	ASSERT_EQ(xl_catalog_parse_spec(&c, "nosuch", &e, &mode), -ENOENT, "system: unknown name");
	e = xl_catalog_find(&c, "xdp-redirect");
	ASSERT_TRUE(e && e->ops && !strcmp(e->ops->name, "xdp"), "catalog: kind resolved");
	ASSERT_TRUE(e && xl_setting(e, "map.xl_tx_port.0") &&
			    !strcmp(xl_setting(e, "map.xl_tx_port.0"), "@dut-out"),
		    "catalog: redirect's devmap slot is data");
	e = xl_catalog_find(&c, "xdp-router");
	ASSERT_TRUE(e && xl_setting(e, "map.xl_rt_ports.@dut-out") &&
			    !strcmp(xl_setting(e, "map.xl_rt_ports.@dut-out"), "@dut-out"),
		    "catalog: the router's devmap is keyed by dut-out's ifindex");
	ASSERT_TRUE(e && e->obj && e->obj[0] == '/' && strstr(e->obj, "xdp_router.bpf.o"),
		    "catalog: a built-in system's object is found beside the binary");
	ASSERT_TRUE(json_object_object_length(xl_catalog_json(&c)) >= 9,
		    "catalog: every built-in system in the JSON view");
out:
	xl_catalog_free(&c);
}

/* A user's [system] section: a system without C changes, and its errors. */
static void test_user_systems(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "[system s]\nkind = warp\n", "unknown kind" },
		{ "[system xdp-drop]\nkind = xdp\n", "is built in" },
		{ "[system s]\nkind = xdp\ncounts = far\n", "counts must be" },
		{ "[system s]\nkind = stack\nmodes = native\n", "cannot run in the modes" },
		{ "[system s]\nkind = stack\nrodata.x = 1\n", "unknown key 'rodata.x'" },
		{ "[system s]\nkind = xdp\nprog = pass\nprog = drop\n", "duplicate key" },
		{ "[system s]\nkind = xdp\nobj = /nonexistent.o\n", "cannot open BPF object" },
		{ "[system s]\nkind = xdp\nobj = build/xdp_bench.bpf.o\nprog = nosuch\n",
		  "no program 'nosuch'" },
		{ "[system s]\nkind = xdp\nobj = build/xdp_bench.bpf.o\n",
		  "XDP program" }, /* several programs: one must be named */
		{ "[system s]\nkind = xdp\nprog = pass\nmap.xl_tx_port.x = 1\n", "map.NAME.KEY" },
		{ "[system s]\nkind = xdp\nprog = pass\nmap.m.0 = @moon\n", "unknown role" },
		{ "[system s]\nkind = xdp\nprog = pass\nmap.m.@moon = 1\n", "unknown role" },
	};
	struct xl_run_cfg cfg;
	const struct xl_sys_entry *e;
	const char *p;
	char err[512], path[256];
	FILE *f;

	p = write_tmp("[system my-pass]\nkind = xdp\nprog = pass\nlabel = mine\ncounts = dut\n"
		      "rodata.cfg_read_data = 1\n[experiment a]\nsystems = my-pass:generic\n");
	if (ASSERT_OK(xl_config_load(p, &cfg), "user system: config with [system] loads")) {
		e = cfg.exps[0].sys[0].e;
		ASSERT_TRUE(e && !strcmp(e->name, "my-pass") && !strcmp(e->label, "mine"),
			    "user system: used by the experiment");
		ASSERT_EQ(cfg.exps[0].sys[0].mode, XL_SM_GENERIC, "user system: mode given");
		ASSERT_TRUE(e && strstr(e->source, ":1"), "user system: source names FILE:LINE");
	}
	xl_config_free(&cfg);
	xl_reset_error();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[96];
		FILE *tmp = tmpfile();
		int rc, saved = dup(2);

		p = write_tmp(bad[i].text);
		snprintf(path, sizeof(path), "%s", p);
		f = fopen(path, "a");
		fputs("[experiment a]\nsystems = s\n", f);
		fclose(f);
		/* Capture the one-line message. */
		fflush(stderr);
		dup2(fileno(tmp), 2);
		rc = xl_config_load(path, &cfg);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		rewind(tmp);
		err[0] = 0;
		if (!fgets(err, sizeof(err), tmp))
			err[0] = 0;
		fclose(tmp);
		snprintf(name, sizeof(name), "user system: rejected with '%s'", bad[i].want);
		XL_CHECK(rc < 0 && xl_exit_code() == XL_EXIT_CONFIG && strstr(err, bad[i].want),
			 name, "rc %d, exit %d, message '%s'", rc, xl_exit_code(), err);
		xl_config_free(&cfg);
		xl_reset_error();
	}
	unlink(p);
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
		ASSERT_TRUE(!strcmp(cfg.exps[0].sys[1].e->name, "linux-raw"),
			    "config: systems resolved in the catalog");
		ASSERT_EQ(cfg.exps[0].nrates, 1, "config: default one rate");
		ASSERT_NEAR(cfg.exps[0].rates[0], 0, 0, "config: default rate is maximum");
		ASSERT_EQ(cfg.exps[1].nrates, 2, "config: rates list");
		ASSERT_NEAR(cfg.exps[1].rates[1], 2e5, 0, "config: rate value");
		ASSERT_EQ(cfg.exps[1].flows, 8, "config: per-experiment override");
		ASSERT_EQ(cfg.exps[1].sys[0].mode, XL_SM_GENERIC, "config: system mode");
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

static void test_schema(void)
{
	const struct xl_csv_schema *r = xl_schema_find("results.csv");
	json_object *j = xl_schema_json(), *a;
	int n = 0, bad = 0;

	if (!ASSERT_TRUE(r != NULL, "schema: results.csv defined"))
		return;
	for (const struct xl_column *c = r->cols; c->name; c++, n++)
		bad += !c->type[0] || !c->meaning[0] || strchr(c->name, ',') != NULL;
	ASSERT_EQ(bad, 0, "schema: every column has a type and a meaning");
	ASSERT_TRUE(!strncmp(xl_schema_header("results.csv"), "experiment,system,mode,", 23),
		    "schema: header in file order");
	ASSERT_TRUE(json_object_object_get_ex(j, "results.csv", &a) &&
			    (int)json_object_array_length(a) == n,
		    "schema: JSON view lists every column");
	ASSERT_TRUE(xl_schema_header("latency.csv") && xl_schema_header("latency_hist.csv"),
		    "schema: latency files defined");
	json_object_put(j);
}

/* The relay's copies per rate (testbed/relay.h): its cost model, not a measurement. */
static void test_relay_copies(void)
{
	struct xl_testbed tb = { .relay = (struct xl_xdp *)&tb }; /* only tested for NULL */
	const double one = 500e3, most = 3.2e6, frame_s = 1 / one;
	const double copy_s = (XL_RELAY_MAX_COPIES / most - frame_s) / (XL_RELAY_MAX_COPIES - 1);
	unsigned int prev = 1, k;
	int bad_load = 0, not_fewest = 0;

	ASSERT_EQ(xl_relay_copies_for(&tb, 2e6), 1, "relay copies: 1 before the ceilings");
	tb.relay_one_pps = one;
	tb.relay_max_pps = most;
	ASSERT_EQ(xl_relay_copies_for(&tb, 0), XL_RELAY_MAX_COPIES, "relay copies: unpaced, most");
	ASSERT_EQ(xl_relay_copies_for(&tb, XL_RELAY_UNPACED), XL_RELAY_MAX_COPIES,
		  "relay copies: the ceiling probe's rate, most");
	ASSERT_EQ(xl_relay_copies_for(&tb, 1000), 1, "relay copies: a low rate, one");
	ASSERT_EQ(xl_relay_copies_for(&tb, XL_RELAY_LOAD * one), 1,
		  "relay copies: one while the generator alone stays under the load");
	ASSERT_EQ(xl_relay_copies_for(&tb, XL_RELAY_LOAD * one * 1.01), 2,
		  "relay copies: two just above it");
	for (double r = 1e4; r < most; r *= 1.1) {
		k = xl_relay_copies_for(&tb, r);
		ASSERT_TRUE(k >= prev && k <= XL_RELAY_MAX_COPIES,
			    "relay copies: never fewer for a higher rate");
		prev = k;
		if (k < XL_RELAY_MAX_COPIES)
			bad_load += r / k * (frame_s + (k - 1) * copy_s) > XL_RELAY_LOAD + 1e-9;
		if (k > 1)
			not_fewest += r / (k - 1) * (frame_s + (k - 2) * copy_s) <= XL_RELAY_LOAD;
	}
	ASSERT_EQ(bad_load, 0, "relay copies: the modelled load stays under XL_RELAY_LOAD");
	ASSERT_EQ(not_fewest, 0, "relay copies: the fewest copies that do");
	ASSERT_EQ(xl_relay_copies_for(&tb, 0.99 * most), XL_RELAY_MAX_COPIES,
		  "relay copies: the most near the ceiling");
	tb.relay = NULL;
	ASSERT_EQ(xl_relay_copies_for(&tb, 2e6), 1, "relay copies: none without a relay");
}

static int file_is(const char *path, const char *want)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return !strcmp(buf, want);
}

/* The cleanup registry: in-process undo order, drop, and replay after a SIGKILL. */
static void test_undo(void)
{
	char file[64], dir[64], sub[64];
	int a, b, status;
	pid_t pid;

	snprintf(file, sizeof(file), "/tmp/xdplab-undo-%d", getpid());
	snprintf(dir, sizeof(dir), "/run/xdplab/test-undo-%d", getpid());
	snprintf(sub, sizeof(sub), "/tmp/xdplab-sub-%d", getpid());
	xl_write_file(NULL, file, "changed");
	a = xl_undo_add("sysctl", "-", file, "first", NULL);
	b = xl_undo_add("sysctl", "-", file, "second", NULL);
	ASSERT_TRUE(a > 0 && b > a, "undo: entries recorded");
	ASSERT_EQ(xl_undo_count(), 2, "undo: two live entries");
	xl_undo_all();
	ASSERT_TRUE(file_is(file, "first"), "undo: newest first, so the oldest value wins");
	ASSERT_EQ(xl_undo_count(), 0, "undo: nothing left after undo_all");
	a = xl_undo_add("sysctl", "-", file, "dropped", NULL);
	xl_undo_drop(a);
	xl_undo_all();
	ASSERT_TRUE(file_is(file, "first"), "undo: a dropped entry is not undone");
	ASSERT_TRUE(xl_undo_add("cmd", "-", "a\tb", NULL) < 0, "undo: tabs in arguments refused");

	/* A child records state and dies without cleaning up, as after kill -9. */
	mkdir("/run/xdplab", 0755);
	mkdir(dir, 0755);
	xl_write_file(NULL, sub, "10");
	pid = fork();
	if (pid == 0) {
		xl_undo_add("rmtree", dir, NULL);
		xl_undo_add("sysctl", "-", file, "restored", NULL);
		xl_undo_add("sub", sub, "3", NULL);
		_exit(0); /* no atexit handlers: the registry is not undone */
	}
	waitpid(pid, &status, 0);
	ASSERT_TRUE(access(dir, F_OK) == 0 && file_is(file, "first"),
		    "undo: a dead process's state is still there");
	ASSERT_GE(xl_undo_sweep(false), 3, "undo: the sweep replays the dead journal");
	ASSERT_TRUE(access(dir, F_OK) != 0, "undo: its directory removed");
	ASSERT_TRUE(file_is(file, "restored"), "undo: its sysctl restored");
	ASSERT_TRUE(file_is(sub, "7"), "undo: its delta given back");
	ASSERT_EQ(xl_undo_sweep(false), 0, "undo: a journal is replayed once");
	ASSERT_TRUE(xl_undo_replay("rmtree", (const char *const[]){ "/etc", NULL }) == -EPERM,
		    "undo: rmtree refuses paths xdplab does not name");
	unlink(file);
	unlink(sub);
}

int main(void)
{
	libbpf_set_print(NULL); /* libbpf's own warnings would precede the message checked */
	RUN_TEST(test_lat_buckets);
	RUN_TEST(test_lat_percentiles);
	RUN_TEST(test_parsers);
	RUN_TEST(test_system_specs);
	RUN_TEST(test_user_systems);
	RUN_TEST(test_config);
	RUN_TEST(test_schema);
	RUN_TEST(test_relay_copies);
	RUN_TEST(test_undo);
	RUN_TEST(test_cpustat);
	return xl_test_failed;
}
