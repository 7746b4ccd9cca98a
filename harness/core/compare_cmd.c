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

/* Run `python3 -m xdplab_analysis compare PRE... ARGS...`; returns only on failure. */
static int exec_compare(const char *const *pre, int npre, int argc, char **argv)
{
	char exe[PATH_MAX], pkg[PATH_MAX + 32];
	const char **args;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int k = 0;

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
	args = calloc(argc + npre + 6, sizeof(*args));
	if (!args)
		return XL_EXIT_FAIL;
	args[k++] = XL_PYTHON;
	args[k++] = "-B";
	args[k++] = "-m";
	args[k++] = "xdplab_analysis";
	args[k++] = "compare";
	for (int i = 0; i < npre; i++)
		args[k++] = pre[i];
	for (int i = 0; i < argc; i++)
		args[k++] = argv[i];
	setenv("PYTHONPATH", pkg, 1);
	execv(XL_PYTHON, (char *const *)args);
	free(args);
	return xl_fail(XL_EXIT_ENV, "cannot run %s: %s", XL_PYTHON, strerror(errno)), XL_EXIT_ENV;
}

int xl_cmd_compare(int argc, char **argv)
{
	return exec_compare(NULL, 0, argc - 1, argv + 1);
}

/* `xdplab baseline save OUT.json RUN_DIR --system SYS[:MODE]`: a baseline to commit. */
int xl_cmd_baseline(int argc, char **argv)
{
	const char *pre[] = { "--save-baseline", NULL };

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: xdplab baseline save OUT.json RUN_DIR --system SYS[:MODE] "
		       "[--experiment E]\n"
		       "  the run's values of one system (per trial), its program's deterministic\n"
		       "  metrics and the run's context, as one JSON file to commit; then\n"
		       "  xdplab compare OUT.json NEW_RUN_DIR (docs/ci.md).\n");
		return 0;
	}
	if (argc < 4 || strcmp(argv[1], "save"))
		return xl_fail(XL_EXIT_USAGE,
			       "usage: xdplab baseline save OUT.json RUN_DIR --system SYS[:MODE]"),
		       XL_EXIT_USAGE;
	pre[1] = argv[2];
	return exec_compare(pre, 2, argc - 3, argv + 3);
}
