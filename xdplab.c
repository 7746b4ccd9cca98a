// SPDX-License-Identifier: GPL-2.0
/*
 * xdplab.c - the one xdplab binary: a table of subcommands (load, gen, run,
 * testbed, cleanup, schema, ab, compare), each implemented in its layer (loaders/,
 * harness/gen/, harness/core/, harness/testbed/).  It also sets up what every
 * command needs: libbpf's
 * logging routed to -v, bpffs mounted, and no hard failure on RLIMIT_MEMLOCK
 * (the kernel charges BPF memory to the cgroup; raising the limit needs
 * CAP_SYS_RESOURCE, which this kind of machine may not grant).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <bpf/libbpf.h>
#include "commands.h"
#include "undo.h"
#include "xl_err.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
	bool unprivileged; /* reads files only: no root needed */
} commands[] = {
	{ "run", xl_cmd_run, "run experiments from a config file, write results/<time>/", false },
	{ "load", xl_cmd_load, "attach an XDP program to an interface and show its rates", false },
	{ "gen", xl_cmd_gen, "send test traffic out of an interface", false },
	{ "testbed", xl_cmd_testbed, "create or destroy the veth testbed (up|down)", false },
	{ "cleanup", xl_cmd_cleanup,
	  "undo what dead xdplab processes left behind (--all: everything)", false },
	{ "schema", xl_cmd_schema, "the columns of every results file (--markdown for docs)",
	  false },
	{ "ab", xl_cmd_ab, "A/B benchmark of two XDP objects, interleaved at equal load", false },
	{ "compare", xl_cmd_compare,
	  "verdict of an A/B run or of a run against a baseline (exit code for CI)", true },
	{ "baseline", xl_cmd_baseline, "save a run's numbers as a baseline file to commit", true },
	{ "agent", xl_cmd_agent, "two-host mode's remote side, started over ssh (JSON lines)",
	  false },
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && xl_verbose < 2)
		return 0;
	if (!xl_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xdplab [-v] COMMAND [options]   (xdplab COMMAND --help)\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
	xl_print_exit_codes(f);
}

static void prepare_env(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };
	struct statfs st;

	/* Best effort: on kernels >= 5.11 memlock no longer limits BPF memory. */
	if (setrlimit(RLIMIT_MEMLOCK, &r))
		xl_debug("setrlimit(MEMLOCK) failed (%s); relying on cgroup accounting",
			 strerror(errno));
	if (statfs("/sys/fs/bpf", &st) || st.f_type != BPF_FS_MAGIC) {
		mkdir("/sys/fs/bpf", 0755);
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700"))
			xl_debug("cannot mount bpffs: %s", strerror(errno));
	}
}

int main(int argc, char **argv)
{
	int argi = 1, rc;

	while (argi < argc && !strcmp(argv[argi], "-v")) {
		xl_verbose++;
		argi++;
	}
	if (argi >= argc || !strcmp(argv[argi], "--help") || !strcmp(argv[argi], "-h")) {
		usage(argi >= argc ? stderr : stdout);
		return argi >= argc ? XL_EXIT_USAGE : 0;
	}
	libbpf_set_print(libbpf_print);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[argi], commands[i].name))
			continue;
		if (commands[i].unprivileged)
			return commands[i].fn(argc - argi, argv + argi);
		if (geteuid() != 0 && strcmp(argv[argc - 1], "--help")) {
			xl_fail(XL_EXIT_ENV, "must run as root (BPF, namespaces, XDP attach)");
			return XL_EXIT_ENV;
		}
		prepare_env();
		rc = commands[i].fn(argc - argi, argv + argi);
		/* Whatever a command recorded and did not undo itself (an error path). */
		xl_undo_all();
		return rc;
	}
	xl_fail(XL_EXIT_USAGE, "unknown command '%s' (xdplab --help)", argv[argi]);
	return XL_EXIT_USAGE;
}
