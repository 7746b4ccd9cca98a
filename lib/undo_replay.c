// SPDX-License-Identifier: GPL-2.0
/*
 * undo_replay.c - what each kind of cleanup-registry entry does when it is
 * undone (undo.h lists the kinds and their arguments).  Every replay checks
 * first that the state is still there and still its own (a namespace exists,
 * a pid still names the process started then, a path is one xdplab names),
 * so replaying an entry twice, or after the state went away, does no harm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "undo.h"
#include "context.h"
#include "util.h"
#include "xl_spawn.h"

static const char *ns_arg(const char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

static bool ns_present(const char *ns)
{
	char path[128];

	if (!ns)
		return true;
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	return access(path, F_OK) == 0;
}

unsigned long long xl_proc_starttime(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')'))) {
		/* Field 22 (starttime); fields after ')' start at 3 (state). */
		p += 2;
		for (int field = 3; field < 22 && p; field++) {
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		if (p)
			start = strtoull(p, NULL, 10);
	}
	fclose(f);
	return start;
}

static int undo_netns(const char *const a[])
{
	if (!ns_present(a[0]))
		return 0;
	return xl_run("ip", "netns", "del", a[0], NULL) ? -EIO : 0;
}

static int undo_sysctl(const char *const a[])
{
	if (!ns_present(ns_arg(a[0])))
		return 0;
	return xl_write_file(ns_arg(a[0]), a[1], a[2]);
}

static int undo_cmd(const char *const a[])
{
	const char *argv[XL_UNDO_MAX_ARGS + 5];
	const char *ns = ns_arg(a[0]);
	int n = 0;

	if (!ns_present(ns))
		return 0;
	if (ns) {
		argv[n++] = "ip";
		argv[n++] = "netns";
		argv[n++] = "exec";
		argv[n++] = ns;
	}
	for (int i = 1; a[i]; i++)
		argv[n++] = a[i];
	argv[n] = NULL;
	return xl_spawn(argv) ? -EIO : 0;
}

static int undo_sub(const char *const a[])
{
	char lock_path[160], buf[32];
	const char *base = strrchr(a[0], '/');
	long delta, v;
	FILE *f;
	int lock, err = 0;

	if (xl_parse_int(a[1], 0, 1L << 40, &delta))
		return -EINVAL;
	mkdir("/run/xdplab", 0755);
	snprintf(lock_path, sizeof(lock_path), "/run/xdplab/%s.lock", base ? base + 1 : a[0]);
	lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock >= 0)
		flock(lock, LOCK_EX);
	f = fopen(a[0], "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		err = -errno ? -errno : -EIO;
	} else {
		v = strtol(buf, NULL, 10) - delta;
		snprintf(buf, sizeof(buf), "%ld", v < 0 ? 0 : v);
		err = xl_write_file(NULL, a[0], buf);
	}
	if (f)
		fclose(f);
	if (lock >= 0)
		close(lock);
	return err;
}

static int undo_proc(const char *const a[])
{
	long pid;
	unsigned long long start = strtoull(a[1], NULL, 10);

	if (xl_parse_int(a[0], 1, 1L << 30, &pid))
		return -EINVAL;
	if (xl_proc_starttime(pid) != start)
		return 0; /* gone, or the pid now names another process */
	if (kill(-pid, SIGTERM) && kill(pid, SIGTERM))
		return errno == ESRCH ? 0 : -errno;
	for (int ms = 0; ms < 3000; ms += 20) {
		if (xl_proc_starttime(pid) != start)
			return 0;
		usleep(20000);
	}
	if (kill(-pid, SIGKILL))
		kill(pid, SIGKILL);
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Only trees xdplab names itself: a component starting "xdplab-" or ".partial-". */
static bool ours(const char *path)
{
	return strstr(path, "/xdplab-") || strstr(path, ".partial-") ||
	       !strncmp(path, "/run/xdplab/", 12);
}

static int undo_rmtree(const char *const a[])
{
	if (!ours(a[0]) || strstr(a[0], "/../"))
		return -EPERM;
	if (access(a[0], F_OK))
		return 0;
	nftw(a[0], rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return access(a[0], F_OK) ? 0 : -EBUSY;
}

/*
 * A run's partial results directory that will not complete: its process died
 * (SIGKILL, a crash: STATUS "killed", replayed by the next xdplab process) or
 * failed (STATUS "failed", by the process itself).  What it completed is kept:
 * context.json's status becomes STATUS, the INCOMPLETE marker stays, and the
 * directory is renamed to FINAL-STATUS, where `xdplab run --resume` can finish
 * it.  A killed run is kept whenever its context.json was written (it was
 * running); a failed one only with a completed trial in results.csv (bad input
 * leaves nothing behind).  Without that it is removed like an rmtree.
 */
static int undo_salvage(const char *const a[])
{
	static const char marker[] = "This run did not complete: see context.json \"status\".\n";
	const char *status = a[2] && !strcmp(a[2], "failed") ? "failed" : "killed";
	bool killed = !strcmp(status, "killed");
	char path[PATH_MAX], final[PATH_MAX], line[64];
	json_object *ctx;
	int rows = 0;
	FILE *f;

	if (!strstr(a[0], ".partial-") || strstr(a[0], "/../") || strstr(a[1], "/../"))
		return -EPERM;
	if (access(a[0], F_OK))
		return 0;
	snprintf(path, sizeof(path), "%s/results.csv", a[0]);
	f = fopen(path, "r");
	while (f && rows < 2 && fgets(line, sizeof(line), f))
		rows += !!strchr(line, '\n');
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/context.json", a[0]);
	ctx = killed || rows >= 2 ? json_object_from_file(path) : NULL;
	if (!ctx)
		return undo_rmtree(a);
	json_object_object_add(ctx, "status", json_object_new_string(status));
	json_object_object_add(
		ctx, "status_detail",
		json_object_new_string(killed ? "the run's process died before it finished "
						"(SIGKILL or a crash); these are the trials "
						"it completed"
					      : "the run stopped on an error (see run.log and "
						"its message); these are the trials it "
						"completed"));
	if (xl_json_write(path, ctx)) {
		json_object_put(ctx);
		return -EIO;
	}
	json_object_put(ctx);
	snprintf(path, sizeof(path), "%s/" XL_INCOMPLETE_MARKER, a[0]);
	if (access(path, F_OK) && xl_atomic_write(path, marker, sizeof(marker) - 1))
		return -EIO;
	snprintf(final, sizeof(final), "%s-%s", a[1], status);
	for (int i = 2; !access(final, F_OK) && i < 100; i++)
		snprintf(final, sizeof(final), "%s-%s-%d", a[1], status, i);
	return rename(a[0], final) ? -errno : 0;
}

static int undo_sched(const char *const a[])
{
	struct sched_param sp = { 0 };
	long pid, policy, prio;
	int cpus[1024], n;
	cpu_set_t set;

	if (xl_parse_int(a[0], 1, 1L << 30, &pid) || xl_parse_int(a[2], 0, 7, &policy) ||
	    xl_parse_int(a[3], 0, 99, &prio))
		return -EINVAL;
	if (xl_proc_starttime(pid) != strtoull(a[1], NULL, 10))
		return 0;
	sp.sched_priority = prio;
	sched_setscheduler(pid, policy, &sp);
	n = xl_parse_cpu_list(a[4], cpus, 1024);
	if (n > 0) {
		CPU_ZERO(&set);
		for (int i = 0; i < n; i++)
			CPU_SET(cpus[i], &set);
		sched_setaffinity(pid, sizeof(set), &set);
	}
	return 0;
}

static const struct {
	const char *kind;
	int nargs; /* minimum */
	int (*replay)(const char *const a[]);
} kinds[] = {
	{ "netns", 1, undo_netns }, { "sysctl", 3, undo_sysctl },   { "cmd", 2, undo_cmd },
	{ "sub", 2, undo_sub },	    { "proc", 2, undo_proc },	    { "rmtree", 1, undo_rmtree },
	{ "sched", 5, undo_sched }, { "salvage", 2, undo_salvage },
};

int xl_undo_replay(const char *kind, const char *const args[])
{
	int n = 0;

	while (args[n])
		n++;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, kind))
			return n < kinds[i].nargs ? -EINVAL : kinds[i].replay(args);
	return -ENOENT;
}
