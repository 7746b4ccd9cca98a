// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - start, watch and end the DPDK child processes (proc.h).  Nothing
 * here links DPDK: the processes are dpdk-testpmd and xdplab-dpdkgen, and
 * xdplab talks to them through their stdin, a shared memory block (the
 * generator) and DPDK's telemetry socket (both).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "proc.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

#define XL_RUN_DIR "/run/xdplab"
#define DPDK_RUN_DIR "/var/run/dpdk"
#define PREFIX_HEAD "xdplab-"

static atomic_int proc_seq;

void xl_dpdk_proc_init(struct xl_dpdk_proc *p, const char *what, const struct xl_dpdk_opts *o)
{
	int seq = atomic_fetch_add(&proc_seq, 1);

	memset(p, 0, sizeof(*p));
	p->stdin_fd = -1;
	p->grace_ms = 3000;
	snprintf(p->prefix, sizeof(p->prefix), PREFIX_HEAD "%s-%d-%d", what, (int)getpid(), seq);
	if (o && o->log[0]) {
		snprintf(p->log, sizeof(p->log), "%s", o->log);
	} else {
		snprintf(p->log, sizeof(p->log), XL_RUN_DIR "/%s.log", p->prefix);
		p->own_log = true;
	}
}

static int wait_ms(pid_t pid, int ms, int *status)
{
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0)
			return -errno;
		if (waited >= ms)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

/* In-process end of the child: stdin closed, then signals after the grace time. */
static void proc_stop(void *arg)
{
	struct xl_dpdk_proc *p = arg;
	int status = 0, ret;

	if (p->stdin_fd >= 0) {
		close(p->stdin_fd);
		p->stdin_fd = -1;
	}
	if (p->pid <= 0)
		return;
	ret = wait_ms(p->pid, p->grace_ms, &status);
	if (ret == -ETIMEDOUT) {
		kill(p->pid, SIGTERM);
		ret = wait_ms(p->pid, p->grace_ms, &status);
	}
	if (ret == -ETIMEDOUT) {
		xl_warn("DPDK process %d did not stop, killing it", (int)p->pid);
		kill(p->pid, SIGKILL);
		ret = wait_ms(p->pid, 5000, &status);
	}
	if (ret == -ECHILD)
		p->status = 0; /* reaped earlier by xl_dpdk_alive() */
	else if (!ret)
		p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	else
		p->status = ret;
	p->pid = 0;
}

/* fds[0] the terminal side (the child's stdin), fds[1] the controlling side we keep. */
static int open_pty(int fds[2])
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), slave;

	if (master < 0)
		return -1;
	if (grantpt(master) || unlockpt(master) || !ptsname(master)) {
		close(master);
		return -1;
	}
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0) {
		close(master);
		return -1;
	}
	fds[0] = slave;
	fds[1] = master;
	return 0;
}

int xl_dpdk_spawn(struct xl_dpdk_proc *p, const struct xl_dpdk_opts *o, const char *ns,
		  const int *cpus, int ncpus, const char *const argv[])
{
	const char *full[128];
	char rtdir[160], pid_s[16], start[24];
	int pipefd[2] = { -1, -1 }, logfd, n = 0;
	pid_t parent = getpid(), pid;
	cpu_set_t set;

	if (o->huge && xl_huge_reserve((o->mem_mb + 1) / 2, &p->huge))
		return -ENOMEM;
	if (ns && *ns) {
		full[n++] = "ip";
		full[n++] = "netns";
		full[n++] = "exec";
		full[n++] = ns;
	}
	for (int i = 0; argv[i] && n < 127; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	if (xl_verbose) {
		fprintf(stderr, "xdplab: debug: +");
		for (int i = 0; full[i]; i++)
			fprintf(stderr, " %s", full[i]);
		fputc('\n', stderr);
	}
	CPU_ZERO(&set);
	for (int i = 0; i < ncpus; i++)
		CPU_SET(cpus[i], &set);
	mkdir(XL_RUN_DIR, 0755);
	if (p->own_log)
		p->undo_log = xl_undo_add("rmtree", p->log, NULL);
	snprintf(rtdir, sizeof(rtdir), DPDK_RUN_DIR "/%s", p->prefix);
	p->undo_rtdir = xl_undo_add("rmtree", rtdir, NULL);
	logfd = open(p->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (p->own_log ? O_TRUNC : 0),
		     0644);
	if (logfd < 0) {
		xl_fail(XL_EXIT_DPDK, "cannot open DPDK log %s: %s", p->log, strerror(errno));
		goto fail;
	}
	if (p->tty_stdin ? open_pty(pipefd) : pipe2(pipefd, O_CLOEXEC)) {
		xl_fail(XL_EXIT_DPDK, "%s: %s", p->tty_stdin ? "pseudo-terminal" : "pipe",
			strerror(errno));
		close(logfd);
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		xl_fail(XL_EXIT_DPDK, "fork: %s", strerror(errno));
		close(logfd);
		goto fail;
	}
	if (pid == 0) {
		/* Own process group: a Ctrl-C reaches xdplab only, which tears down in order. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(126);
		sched_setaffinity(0, sizeof(set), &set);
		dup2(pipefd[0], 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		execvp(full[0], (char *const *)full);
		_exit(127);
	}
	close(logfd);
	close(pipefd[0]);
	p->stdin_fd = pipefd[1];
	p->pid = pid;
	snprintf(pid_s, sizeof(pid_s), "%d", (int)pid);
	snprintf(start, sizeof(start), "%llu", xl_proc_starttime(pid));
	p->undo_proc = xl_undo_add("proc", pid_s, start, NULL);
	xl_undo_set_fn(p->undo_proc, proc_stop, p);
	return 0;
fail:
	if (pipefd[0] >= 0) {
		close(pipefd[0]);
		close(pipefd[1]);
	}
	xl_dpdk_reap(p, 0);
	return -1;
}

bool xl_dpdk_alive(struct xl_dpdk_proc *p)
{
	int status;

	if (p->pid <= 0)
		return false;
	return waitpid(p->pid, &status, WNOHANG) == 0;
}

static void copy_log(const struct xl_dpdk_proc *p)
{
	int fd, log_fd = xl_spawn_log_fd();
	char buf[4096];
	ssize_t n;

	if (log_fd < 0)
		return;
	fd = open(p->log, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	dprintf(log_fd, "---- DPDK process %s ----\n", p->prefix);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(log_fd, buf, n) < 0)
			break;
	close(fd);
}

int xl_dpdk_reap(struct xl_dpdk_proc *p, int grace_ms)
{
	p->grace_ms = grace_ms;
	if (p->undo_proc > 0)
		xl_undo_run(p->undo_proc);
	else
		proc_stop(p); /* closes stdin of a child never recorded */
	p->undo_proc = 0;
	if (p->undo_rtdir > 0 && xl_undo_run(p->undo_rtdir))
		xl_warn("cannot remove %s/%s", DPDK_RUN_DIR, p->prefix);
	p->undo_rtdir = 0;
	xl_huge_release(&p->huge);
	if (p->log[0]) {
		copy_log(p);
		if (p->undo_log > 0)
			xl_undo_run(p->undo_log);
		p->undo_log = 0;
		p->log[0] = 0;
	}
	return p->status;
}

void xl_dpdk_log_error(const struct xl_dpdk_proc *p, char *buf, size_t len)
{
	static const char *const marks[] = { "Cause:", "Error",	 "error",     "Failed", "failed",
					     "Cannot", "cannot", "No probed", NULL };
	char line[512];
	FILE *f = fopen(p->log, "r");

	snprintf(buf, len, "no output");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		for (int i = 0; marks[i]; i++) {
			if (strstr(line, marks[i]) && !strstr(line, "libbpf: elf:")) {
				const char *s = line;

				while (*s == ' ' || *s == '\t')
					s++;
				snprintf(buf, len, "%s", s);
				break;
			}
		}
	}
	fclose(f);
}
