// SPDX-License-Identifier: GPL-2.0
/* spawn.c - argv-based child processes with output routed to the run log. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "xl_spawn.h"
#include "xl_err.h"

extern char **environ;
static int log_fd = -1;

void xl_spawn_set_log(int fd)
{
	log_fd = fd;
}

int xl_spawn_log_fd(void)
{
	return log_fd;
}

int xl_spawn(const char *const argv[])
{
	posix_spawn_file_actions_t fa;
	int status, err, out = log_fd;
	pid_t pid;

	if (xl_verbose) {
		fprintf(stderr, "xdplab: debug: +");
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		fputc('\n', stderr);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (out >= 0) {
		posix_spawn_file_actions_adddup2(&fa, out, 1);
		posix_spawn_file_actions_adddup2(&fa, out, 2);
	} else if (!xl_verbose) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	}
	err = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		return -err;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

#define XL_MAX_ARGS 64

int xl_spawn_ns(const char *ns, const char *const args[])
{
	const char *argv[XL_MAX_ARGS];
	int n = 0;

	if (ns && *ns) {
		argv[n++] = "ip";
		argv[n++] = "netns";
		argv[n++] = "exec";
		argv[n++] = ns;
	}
	for (int i = 0; args[i] && n < XL_MAX_ARGS - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return xl_spawn(argv);
}

static int vrun(const char *ns, const char *arg0, va_list ap)
{
	const char *argv[XL_MAX_ARGS];
	int n = 0;

	argv[n++] = arg0;
	while (n < XL_MAX_ARGS - 1 && (argv[n] = va_arg(ap, const char *)))
		n++;
	argv[n] = NULL;
	return xl_spawn_ns(ns, argv);
}

int xl_run(const char *arg0, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg0);
	ret = vrun(NULL, arg0, ap);
	va_end(ap);
	return ret;
}

int xl_run_ns(const char *ns, const char *arg0, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg0);
	ret = vrun(ns, arg0, ap);
	va_end(ap);
	return ret;
}

int xl_write_file(const char *ns, const char *path, const char *value)
{
	char script[512];
	FILE *f;

	if (ns && *ns) {
		/* sysfs shows the mounting namespace's devices: let `ip netns exec` remount it. */
		snprintf(script, sizeof(script), "echo %s > %s", value, path);
		return xl_run_ns(ns, "sh", "-c", script, NULL) ? -EIO : 0;
	}
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fputs(value, f) < 0) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

int xl_read_file(const char *ns, const char *path, char *buf, size_t len)
{
	int pipefd[2], status;
	ssize_t n = 0, r;
	pid_t pid;

	if (!ns || !*ns) {
		FILE *f = fopen(path, "r");

		if (!f)
			return -errno;
		if (!fgets(buf, len, f))
			buf[0] = 0;
		fclose(f);
		buf[strcspn(buf, "\n")] = 0;
		return 0;
	}
	/* sysfs shows the mounting namespace's devices: `ip netns exec` remounts it. */
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(pipefd[1], 1);
		/* A missing file is an answer (-EIO), not a message on the terminal. */
		if (null >= 0)
			dup2(null, 2);
		execlp("ip", "ip", "netns", "exec", ns, "cat", path, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((size_t)n < len - 1 && (r = read(pipefd[0], buf + n, len - 1 - n)) > 0)
		n += r;
	close(pipefd[0]);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int xl_have_tool(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096], *save = NULL, *dir;

	snprintf(buf, sizeof(buf), "%s", path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char full[4200];

		snprintf(full, sizeof(full), "%s/%s", dir, name);
		if (access(full, X_OK) == 0)
			return 1;
	}
	return 0;
}
