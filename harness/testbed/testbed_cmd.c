// SPDX-License-Identifier: GPL-2.0
/*
 * testbed_cmd.c - `xdplab testbed up|down|check`: a veth testbed kept for manual
 * work and labs (prefix "xlt"); `check CONFIG` is the preflight of a config's
 * testbed (harness/core/preflight_cmd.c).  `up` hands its cleanup-registry entries to the
 * named journal "manual-testbed", which `down` (or `xdplab cleanup --all`)
 * replays.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "commands.h"
#include "gen/pkt.h"
#include "testbed.h"
#include "undo.h"
#include "util.h"
#include "xl_err.h"

#define MANUAL_JOURNAL "manual-testbed"

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

	if (argc >= 2 && !strcmp(argv[1], "check"))
		return xl_cmd_testbed_check(argc, argv);
	if (argc < 2 || (strcmp(argv[1], "up") && strcmp(argv[1], "down"))) {
		fprintf(stderr,
			"usage: xdplab testbed up [--cores N] | down | check [CONFIG] [--fix]\n"
			"  up     create the veth testbed (namespaces xlt-gen, xlt-dut, xlt-sink)\n"
			"  down   delete it\n"
			"  check  can CONFIG's testbed measure its systems? one line per check, each\n"
			"         problem with the command that fixes it; --fix applies those\n"
			"         commands, checks again and restores everything on exit\n"
			"         (exit 0 ready, 7 not ready, 3 bad config, 4 no such interface)\n");
		if (argc >= 2 && !strcmp(argv[1], "--help"))
			return 0;
		return xl_fail(XL_EXIT_USAGE, "testbed needs 'up', 'down' or 'check'"),
		       XL_EXIT_USAGE;
	}
	if (argc == 4 && !strcmp(argv[2], "--cores")) {
		if (xl_parse_int(argv[3], 1, XL_MAX_CORES, &cores))
			return xl_fail(XL_EXIT_USAGE, "bad --cores '%s'", argv[3]), XL_EXIT_USAGE;
	} else if (argc != 2) {
		return xl_fail(XL_EXIT_USAGE, "unexpected argument '%s'", argv[2]), XL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "down")) {
		xl_undo_replay_named(MANUAL_JOURNAL);
		return 0;
	}
	xl_testbed_init_veth(&tb, cores, XL_MANUAL_PREFIX);
	if (xl_testbed_check_cpus(&tb) || xl_testbed_up(&tb))
		return xl_exit_code();
	/*
	 * A manual testbed serves every system, the Linux stack included: GRO gives
	 * dut-in and sink0 their NAPI instance, so frames redirected into them arrive
	 * without an XDP program, and their NAPI threads run pinned like in a run.
	 */
	if (xl_testbed_gro(&tb, XL_ROLE_DUT_IN, true) < 0 ||
	    xl_testbed_gro(&tb, XL_ROLE_SINK, true) < 0)
		xl_warn("cannot enable GRO: the stack will see no traffic without an XDP program");
	xl_testbed_pin_napi(&tb, XL_ROLE_DUT_IN, tb.dut_cpus, tb.cores, 0, NULL);
	xl_testbed_pin_napi(&tb, XL_ROLE_SINK, tb.gen_cpus, tb.cores, 0, NULL);
	/* Keep it: its undo entries go to the named journal that `down` replays. */
	if (xl_undo_handoff(MANUAL_JOURNAL)) {
		xl_fail(XL_EXIT_ENV, "cannot record the manual testbed for `testbed down`");
		xl_undo_all();
		return XL_EXIT_ENV;
	}
	memset(tb.ns_undo, 0, sizeof(tb.ns_undo));
	xl_testbed_down(&tb); /* releases only the lock now */
	print_testbed(&tb);
	return 0;
}
