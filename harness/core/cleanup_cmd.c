// SPDX-License-Identifier: GPL-2.0
/*
 * cleanup_cmd.c - `xdplab cleanup [--all]`: replay the cleanup-registry
 * journals of dead xdplab processes (namespaces, sysctls, rules, GRO, DPDK
 * processes and runtime directories, hugepages, partial results).  --all also
 * replays the manual testbed's journal and those of live processes, and
 * deletes every namespace with an xdplab name (xl<pid>-*, xlt-*), the
 * big hammer for state recorded nowhere.  Files of dead processes in
 * /run/xdplab that a SIGKILL left before they were registered (the DPDK
 * generator's control file and log, subprocess locks) go in every case.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/* /run/xdplab/xdplab-{gen,sub}-PID...: a file of process PID, or 0. */
static long run_file_pid(const char *name)
{
	char what[8];
	long pid;

	if (sscanf(name, "xdplab-%3[a-z]-%ld", what, &pid) != 2 ||
	    (strcmp(what, "gen") && strcmp(what, "sub")))
		return 0;
	return pid > 0 ? pid : 0;
}

static int sweep_run_files(void)
{
	char path[512];
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/run/xdplab");

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		long pid = run_file_pid(de->d_name);

		if (!pid || !(kill(pid, 0) && errno == ESRCH))
			continue;
		snprintf(path, sizeof(path), "/run/xdplab/%s", de->d_name);
		n += !unlink(path);
	}
	closedir(d);
	return n;
}

int xl_cmd_cleanup(int argc, char **argv)
{
	bool all = argc == 2 && !strcmp(argv[1], "--all");
	int n, ns = 0, files;

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
	files = sweep_run_files();
	printf("undid %d recorded change%s, removed %d file%s of dead processes", n,
	       n == 1 ? "" : "s", files, files == 1 ? "" : "s");
	if (all)
		printf(", removed %d more namespace%s", ns, ns == 1 ? "" : "s");
	printf("\n");
	return 0;
}
