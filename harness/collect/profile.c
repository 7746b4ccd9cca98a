// SPDX-License-Identifier: GPL-2.0
/*
 * profile.c - where the DUT core's time goes: `perf record -e cpu-clock` on
 * the DUT CPUs for exactly the measured interval of a trial, then `perf
 * report` folded to one share per kernel symbol.  cpu-clock is a software
 * event, so it works on a VM without a PMU; it samples at 4 kHz (about 8,000
 * samples in a 2 s trial: a share resolves to about 1%).  perf runs on the
 * profiled cores, so its cost (about 1% of a core) is paid by the system under
 * test, visibly (perf's symbols), and not by the generator.  The perf process is
 * in the cleanup registry like any child, and its data file is removed once
 * summarised.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "profile.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define PERF "perf"

static void stop_perf(void *arg)
{
	struct xl_profile *p = arg;
	int status;

	if (p->pid <= 0)
		return;
	kill(p->pid, SIGINT);
	for (int i = 0; i < 300; i++) { /* up to 3 s for perf to write its file */
		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = 0;
			return;
		}
		usleep(10000);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &status, 0);
	p->pid = 0;
}

int xl_profile_start(struct xl_profile *p, const int *cpus, int ncpus, const char *data_path)
{
	char cpulist[128] = "", pid_s[16], start[24];
	const char *argv[] = { PERF,   "record", "-q",	  "-e", "cpu-clock", "-F",
			       "4000", "-C",	 cpulist, "-o", data_path,   NULL };
	size_t off = 0;
	pid_t parent = getpid(), pid;
	cpu_set_t set;

	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s", data_path);
	if (!xl_have_tool(PERF))
		return xl_fail(XL_EXIT_FAIL, "profile = 1 needs perf (Debian package linux-perf)");
	for (int i = 0; i < ncpus && off < sizeof(cpulist) - 8; i++)
		off += snprintf(cpulist + off, sizeof(cpulist) - off, "%s%d", i ? "," : "",
				cpus[i]);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = xl_spawn_log_fd();

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(126);
		/* perf's own work lands on the profiled cores, not on the generator's. */
		sched_setaffinity(0, sizeof(set), &set);
		if (fd < 0)
			fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	p->pid = pid;
	snprintf(pid_s, sizeof(pid_s), "%d", (int)pid);
	snprintf(start, sizeof(start), "%llu", xl_proc_starttime(pid));
	p->undo = xl_undo_add("proc", pid_s, start, NULL);
	xl_undo_set_fn(p->undo, stop_perf, p);
	/* perf needs a moment to open its events; samples before that are lost. */
	usleep(200000);
	return 0;
}

/*
 * A line of `perf report --stdio --sort comm,sym`: "  12.34%  napi/dut-in-8  [k] name".
 * The idle task's samples (comm swapper) are the core's idle time, not a cost.
 */
static bool parse_line(const char *line, double *pct, char *sym, size_t len)
{
	char comm[64];
	const char *s;

	if (sscanf(line, " %lf%% %63s", pct, comm) != 2 || !strncmp(comm, "swapper", 7))
		return false;
	s = strchr(line, ']');
	if (!s)
		return false;
	s++;
	while (*s == ' ')
		s++;
	snprintf(sym, len, "%s", s);
	sym[strcspn(sym, "\n")] = 0;
	return *sym != 0;
}

int xl_profile_stop(struct xl_profile *p, xl_profile_row_fn row, void *ctx)
{
	char cmd[512], line[512], sym[256];
	double pct;
	FILE *f;
	int n = 0;

	if (p->pid <= 0)
		return -ESRCH;
	xl_undo_run(p->undo); /* stop_perf: SIGINT, perf writes the file */
	snprintf(cmd, sizeof(cmd),
		 PERF " report -i '%s' --stdio --sort comm,sym --percent-limit 0.5 -q 2>/dev/null",
		 p->path);
	f = popen(cmd, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (parse_line(line, &pct, sym, sizeof(sym))) {
			row(ctx, sym, pct);
			n++;
		}
	pclose(f);
	unlink(p->path);
	return n ? 0 : -ENODATA;
}
