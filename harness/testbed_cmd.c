// SPDX-License-Identifier: GPL-2.0
/*
 * testbed_cmd.c - `xdplab testbed up|down` (a testbed kept for manual work and
 * labs, prefix "xlt") and `xdplab cleanup` (remove testbeds of dead runs, or
 * all of them with --all).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "commands.h"
#include "pkt.h"
#include "testbed.h"
#include "util.h"
#include "xl_err.h"

static void print_testbed(const struct xl_testbed *tb)
{
	for (int r = 0; r < XL_NR_ROLES; r++) {
		char mac[24];

		xl_format_mac(tb->port[r].mac, mac, sizeof(mac));
		printf("%-10s ns %-12s dev %-8s mac %s ip %s\n", xl_role_name(r), tb->port[r].ns,
		       tb->port[r].ifname, mac, inet_ntoa(tb->port[r].ip));
	}
}

int xl_cmd_testbed(int argc, char **argv)
{
	struct xl_testbed tb;
	long cores = 1;
	int err;

	if (argc < 2 || (strcmp(argv[1], "up") && strcmp(argv[1], "down"))) {
		fprintf(stderr,
			"usage: xdplab testbed up [--cores N] | down\n"
			"  up    create the veth testbed (namespaces xlt-gen, xlt-dut, xlt-sink)\n"
			"  down  delete it\n");
		if (argc >= 2 && !strcmp(argv[1], "--help"))
			return 0;
		return xl_fail(XL_EXIT_USAGE, "testbed needs 'up' or 'down'"), XL_EXIT_USAGE;
	}
	if (argc == 4 && !strcmp(argv[2], "--cores")) {
		if (xl_parse_int(argv[3], 1, XL_MAX_CORES, &cores))
			return xl_fail(XL_EXIT_USAGE, "bad --cores '%s'", argv[3]), XL_EXIT_USAGE;
	} else if (argc != 2) {
		return xl_fail(XL_EXIT_USAGE, "unexpected argument '%s'", argv[2]), XL_EXIT_USAGE;
	}
	xl_testbed_init_veth(&tb, cores);
	snprintf(tb.prefix, sizeof(tb.prefix), "%s", XL_MANUAL_PREFIX);
	for (int r = 0; r < XL_NR_ROLES; r++) {
		char *dash = strchr(tb.port[r].ns, '-');
		char suffix[16];

		snprintf(suffix, sizeof(suffix), "%s", dash + 1);
		snprintf(tb.port[r].ns, sizeof(tb.port[r].ns), "%s-%s", tb.prefix, suffix);
	}
	if (!strcmp(argv[1], "down")) {
		tb.up = true;
		xl_testbed_down(&tb);
		return 0;
	}
	if (xl_testbed_check_cpus(&tb))
		return xl_exit_code();
	err = xl_testbed_up(&tb);
	if (err)
		return xl_exit_code();
	/*
	 * A manual testbed serves every system, the Linux stack included: GRO gives
	 * dut-in and sink0 their NAPI instance, so frames redirected into them arrive
	 * without an XDP program, and their NAPI threads run pinned like in a run.
	 */
	if (xl_testbed_gro(&tb, XL_ROLE_DUT_IN, true) || xl_testbed_gro(&tb, XL_ROLE_SINK, true))
		xl_warn("cannot enable GRO: the stack will see no traffic without an XDP program");
	xl_testbed_pin_napi(&tb, XL_ROLE_DUT_IN, tb.dut_cpus, tb.cores, 0);
	xl_testbed_pin_napi(&tb, XL_ROLE_SINK, tb.gen_cpus, tb.cores, 0);
	tb.up = false; /* keep it: release only the lock */
	xl_testbed_down(&tb);
	print_testbed(&tb);
	return 0;
}

int xl_cmd_cleanup(int argc, char **argv)
{
	bool all = argc == 2 && !strcmp(argv[1], "--all");
	int n;

	if (argc > 1 && !all) {
		if (!strcmp(argv[1], "--help")) {
			printf("usage: xdplab cleanup [--all]\n"
			       "  remove xdplab namespaces (and with them veths and XDP programs)\n"
			       "  of runs that are no longer alive; --all removes every one,\n"
			       "  including a manual testbed and those of running xdplab processes\n");
			return 0;
		}
		return xl_fail(XL_EXIT_USAGE, "usage: xdplab cleanup [--all]"), XL_EXIT_USAGE;
	}
	n = xl_testbed_cleanup(all);
	printf("removed %d namespace%s\n", n, n == 1 ? "" : "s");
	return 0;
}
