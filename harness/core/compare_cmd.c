// SPDX-License-Identifier: GPL-2.0
/*
 * compare_cmd.c - `xdplab compare ...`: the CI gate's verdict is statistics on
 * results files, which the analysis package does (pandas); this verb runs
 * `python3 -m xdplab_analysis compare ...` from the tree the binary was built
 * in, with the same arguments and exit code (docs/ci.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "xl_err.h"

#define XL_PYTHON "/usr/bin/python3" /* Debian's, with python3-pandas */

int xl_cmd_compare(int argc, char **argv)
{
	char exe[PATH_MAX], pkg[PATH_MAX + 32];
	const char **args;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return xl_fail(XL_EXIT_FAIL, "cannot find the xdplab binary: %s", strerror(errno)),
		       XL_EXIT_FAIL;
	exe[n] = 0;
	/* <tree>/build/xdplab -> <tree>/harness/analysis */
	snprintf(pkg, sizeof(pkg), "%s/harness/analysis", dirname(dirname(exe)));
	if (access(pkg, R_OK))
		return xl_fail(XL_EXIT_ENV, "no analysis package at %s", pkg), XL_EXIT_ENV;
	if (access(XL_PYTHON, X_OK))
		return xl_fail(XL_EXIT_ENV, "%s not found (Debian's python3 with python3-pandas)",
			       XL_PYTHON),
		       XL_EXIT_ENV;
	args = calloc(argc + 5, sizeof(*args));
	if (!args)
		return XL_EXIT_FAIL;
	args[0] = XL_PYTHON;
	args[1] = "-B";
	args[2] = "-m";
	args[3] = "xdplab_analysis";
	args[4] = "compare";
	for (int i = 1; i < argc; i++)
		args[4 + i] = argv[i];
	setenv("PYTHONPATH", pkg, 1);
	execv(XL_PYTHON, (char *const *)args);
	free(args);
	return xl_fail(XL_EXIT_ENV, "cannot run %s: %s", XL_PYTHON, strerror(errno)), XL_EXIT_ENV;
}
