// SPDX-License-Identifier: GPL-2.0
/* ssh.c - the ssh child behind a session with a remote agent (ssh.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "ssh.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

/* The full argv: ssh's options and destination, then the remote words. */
static void build_argv(const struct xl_host *host, const char *const words[], struct xl_ssh_argv *a)
{
	xl_host_ssh_argv(host, a);
	for (int i = 0; words[i] && a->n < XL_SSH_MAX_ARGS - 1; i++)
		a->argv[a->n++] = words[i];
	a->argv[a->n] = NULL;
}

/* Copy what ssh wrote on stderr to the run log, keeping its last line for errors. */
static void drain_stderr(struct xl_ssh *s)
{
	char buf[4096];
	ssize_t n;

	if (s->err_fd < 0)
		return;
	while ((n = read(s->err_fd, buf, sizeof(buf) - 1)) > 0) {
		char *end, *line;
		int log = xl_spawn_log_fd();

		buf[n] = 0;
		if (log >= 0 && write(log, buf, n) < 0)
			log = -1;
		else if (xl_verbose)
			fputs(buf, stderr);
		end = buf + n;
		while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
			*--end = 0;
		line = strrchr(buf, '\n');
		line = line ? line + 1 : buf;
		if (*line)
			xl_escape(s->last_err, sizeof(s->last_err), line, strlen(line));
	}
}

int xl_ssh_open(struct xl_ssh *s, const struct xl_host *host, const char *const words[])
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	struct xl_ssh_argv a;
	pid_t parent = getpid();
	char pid_s[16], start_s[24];

	/* A request to a connection that died is an error to handle, not a SIGPIPE death. */
	signal(SIGPIPE, SIG_IGN);
	memset(s, 0, sizeof(*s));
	s->host = host;
	s->to_fd = s->err_fd = -1;
	xl_wire_init(&s->from, -1);
	build_argv(host, words, &a);
	if (xl_verbose) {
		fprintf(stderr, "xdplab: debug: +");
		for (int i = 0; a.argv[i]; i++)
			fprintf(stderr, " %s", a.argv[i]);
		fputc('\n', stderr);
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC | O_NONBLOCK))
		goto fail;
	s->pid = fork();
	if (s->pid < 0)
		goto fail;
	if (s->pid == 0) {
		/* Own process group: a Ctrl-C reaches xdplab only, which ends the session. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(126);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(a.argv[0], (char *const *)a.argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	s->to_fd = in[1];
	s->err_fd = err[0];
	xl_wire_init(&s->from, out[0]);
	snprintf(pid_s, sizeof(pid_s), "%d", (int)s->pid);
	snprintf(start_s, sizeof(start_s), "%llu", xl_proc_starttime(s->pid));
	s->undo = xl_undo_add("proc", pid_s, start_s, NULL);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	return xl_fail(XL_EXIT_ENV, "host %s: cannot start ssh: %s", host->name, strerror(errno));
}

/* ssh's exit status once it has ended (waiting up to 2 s), -1 if it has not. */
static int exit_status(struct xl_ssh *s)
{
	int status;

	for (int ms = 0; s->pid > 0 && ms < 2000; ms += 20) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			s->status =
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		usleep(20000);
	}
	return s->pid > 0 ? -1 : s->status;
}

json_object *xl_ssh_call(struct xl_ssh *s, json_object *req, int timeout_ms)
{
	json_object *rep = NULL, *v;
	const char *op = "?";
	int rc;

	if (json_object_object_get_ex(req, "op", &v))
		op = json_object_get_string(v);
	rc = s->to_fd < 0 ? -EPIPE : xl_wire_write(s->to_fd, req);
	if (!rc)
		rc = xl_wire_read(&s->from, timeout_ms, &rep);
	drain_stderr(s);
	if (rc == 0) {
		xl_fail(XL_EXIT_FAIL, "host %s: no answer to '%s' within %d ms", s->host->name, op,
			timeout_ms);
		return NULL;
	}
	if (rc < 0) {
		char why[64];

		snprintf(why, sizeof(why), "ssh ended with status %d", exit_status(s));
		xl_fail(XL_EXIT_ENV, "host %s: connection lost at '%s': %s", s->host->name, op,
			s->last_err[0] ? s->last_err : why);
		return NULL;
	}
	if (json_object_object_get_ex(rep, "ok", &v) && json_object_get_boolean(v))
		return rep;
	{
		const char *msg = "unknown error";
		int code = XL_EXIT_FAIL;

		if (json_object_object_get_ex(rep, "error", &v))
			msg = json_object_get_string(v);
		if (json_object_object_get_ex(rep, "exit", &v) && json_object_get_int(v) > 0)
			code = json_object_get_int(v);
		xl_fail(code, "host %s: %s", s->host->name, msg);
	}
	json_object_put(rep);
	return NULL;
}

json_object *xl_ssh_ask(struct xl_ssh *s, const char *op, int timeout_ms)
{
	json_object *req = xl_wire_req(op), *rep = xl_ssh_call(s, req, timeout_ms);

	json_object_put(req);
	return rep;
}

int xl_ssh_call_put(struct xl_ssh *s, json_object *req, int timeout_ms)
{
	json_object *rep = xl_ssh_call(s, req, timeout_ms);

	json_object_put(req);
	json_object_put(rep);
	return rep ? 0 : -1;
}

void xl_ssh_close(struct xl_ssh *s)
{
	int status;

	if (s->to_fd >= 0) {
		close(s->to_fd);
		s->to_fd = -1;
	}
	if (s->pid > 0) {
		/* The agent undoes its work when its input ends; ssh ends with it. */
		for (int ms = 0; ms < 8000; ms += 20) {
			if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
				s->pid = 0;
				break;
			}
			drain_stderr(s);
			usleep(20000);
		}
		if (s->undo > 0)
			xl_undo_run(s->undo); /* still there: TERM, then KILL, its group */
		if (s->pid > 0)
			waitpid(s->pid, &status, 0);
		s->pid = 0;
	} else if (s->undo > 0) {
		xl_undo_drop(s->undo);
	}
	s->undo = 0;
	drain_stderr(s);
	if (s->err_fd >= 0)
		close(s->err_fd);
	s->err_fd = -1;
	if (s->from.fd >= 0)
		close(s->from.fd);
	xl_wire_free(&s->from);
	s->from.fd = -1;
}

int xl_ssh_run(const struct xl_host *host, const char *const words[])
{
	struct xl_ssh_argv a;

	build_argv(host, words, &a);
	return xl_spawn(a.argv);
}
