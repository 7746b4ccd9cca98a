// SPDX-License-Identifier: GPL-2.0
/*
 * cleanup_cmd.c - `xdplab cleanup [--all]`: replay the cleanup-registry
 * journals of dead xdplab processes (namespaces, sysctls, rules, GRO, DPDK
 * processes and runtime directories, hugepages, partial results).  --all also
 * replays the manual testbed's journal and those of live processes, and
 * deletes every namespace with an xdplab name (xl<pid>-*, xlt-*), the
 * big hammer for state recorded nowhere.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

static bool xdplab_ns_name(const char *n)
{
	const char *p = n + 2;

	if (!strncmp(n, "xlt-", 4))
		return true;
	if (strncmp(n, "xl", 2) || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '-';
}

static int sweep_names(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/run/netns");

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (xdplab_ns_name(de->d_name) && !xl_run("ip", "netns", "del", de->d_name, NULL))
			n++;
	closedir(d);
	return n;
}

int xl_cmd_cleanup(int argc, char **argv)
{
	bool all = argc == 2 && !strcmp(argv[1], "--all");
	int n, ns = 0;

	if (argc > 1 && !all) {
		if (!strcmp(argv[1], "--help")) {
			printf("usage: xdplab cleanup [--all]\n"
			       "  undo what dead xdplab processes left behind (namespaces, sysctls,\n"
			       "  rules, DPDK processes and hugepages, partial results), from the\n"
			       "  cleanup registry in " XL_UNDO_DIR ";\n"
			       "  --all also removes the manual testbed, the state of running xdplab\n"
			       "  processes, and every namespace with an xdplab name\n");
			return 0;
		}
		return xl_fail(XL_EXIT_USAGE, "usage: xdplab cleanup [--all]"), XL_EXIT_USAGE;
	}
	n = xl_undo_sweep(all);
	if (all)
		ns = sweep_names();
	printf("undid %d recorded change%s", n, n == 1 ? "" : "s");
	if (all)
		printf(", removed %d more namespace%s", ns, ns == 1 ? "" : "s");
	printf("\n");
	return 0;
}
