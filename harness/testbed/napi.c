// SPDX-License-Identifier: GPL-2.0
/*
 * napi.c - the receive side of the testbed's ports: GRO (veth gives a port a
 * NAPI instance only with XDP or GRO), threaded NAPI and the pinning and
 * priority of the NAPI kthreads.  Every change is recorded in the cleanup
 * registry with the value it replaced, so existing testbeds get theirs back.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testbed.h"
#include "netns.h"
#include "undo.h"
#include "xl_err.h"
#include "xl_spawn.h"

int xl_testbed_gro(const struct xl_testbed *tb, enum xl_role r, bool on)
{
	const struct xl_port *p = &tb->port[r];
	const char *ns = xl_port_ns(tb, r);
	int cur = xl_ns_gro(ns, p->ifname), err;

	if (cur < 0)
		return cur;
	if (cur == on)
		return 0;
	err = xl_ns_set_gro(ns, p->ifname, on);
	if (err)
		return err;
	return xl_undo_add("cmd", ns ? ns : "-", "ethtool", "-K", p->ifname, "gro",
			   cur ? "on" : "off", NULL);
}

/* NAPI kthreads are named "napi/<ifname>-<napi id>", truncated to 15 characters. */
static int find_napi_threads(const char *ifname, pid_t *pids, int max)
{
	char want[32], path[64], comm[32];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(want, sizeof(want), "napi/%s-", ifname);
	want[15] = 0;
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, want, strlen(want)))
			pids[n++] = atoi(de->d_name);
		fclose(f);
	}
	closedir(d);
	/* Creation order is queue order: sort by pid. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && pids[j] < pids[j - 1]; j--) {
			pid_t t = pids[j];

			pids[j] = pids[j - 1];
			pids[j - 1] = t;
		}
	return n;
}

/* Write a per-device sysfs knob, keeping its old value for undo. */
static int set_knob(const struct xl_testbed *tb, enum xl_role r, const char *knob,
		    const char *value, struct xl_undo_set *keep)
{
	const char *ns = xl_port_ns(tb, r);
	char path[128], old[32];
	int err;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", tb->port[r].ifname, knob);
	err = xl_read_file(ns, path, old, sizeof(old));
	if (err)
		return err;
	if (!strcmp(old, value))
		return 0;
	err = xl_write_file(ns, path, value);
	if (err)
		return err;
	xl_undo_keep(keep, xl_undo_add("sysctl", ns ? ns : "-", path, old, NULL));
	return 0;
}

int xl_testbed_napi_poll(const struct xl_testbed *tb, enum xl_role r, long poll_ns,
			 struct xl_undo_set *keep)
{
	char v[32];
	int err;

	if (poll_ns <= 0)
		return 0;
	/* Deferrals before NAPI is handed back to the sender's wake-ups: "always". */
	err = set_knob(tb, r, "napi_defer_hard_irqs", "1000000", keep);
	snprintf(v, sizeof(v), "%ld", poll_ns);
	if (!err)
		err = set_knob(tb, r, "gro_flush_timeout", v, keep);
	return err;
}

int xl_testbed_napi_pids(const struct xl_testbed *tb, enum xl_role r, pid_t *pids, int max)
{
	return find_napi_threads(tb->port[r].ifname, pids, max);
}

/* Record a thread's current policy, priority and CPUs before they are changed. */
static int record_sched(pid_t pid)
{
	char pid_s[16], start[24], pol[8], prio[8], cpus[512] = "";
	struct sched_param sp;
	cpu_set_t set;
	size_t off = 0;
	int policy = sched_getscheduler(pid);

	if (policy < 0 || sched_getparam(pid, &sp) || sched_getaffinity(pid, sizeof(set), &set))
		return 0;
	for (int c = 0; c < CPU_SETSIZE && off < sizeof(cpus) - 8; c++)
		if (CPU_ISSET(c, &set))
			off += snprintf(cpus + off, sizeof(cpus) - off, "%s%d", off ? "," : "", c);
	snprintf(pid_s, sizeof(pid_s), "%d", (int)pid);
	snprintf(start, sizeof(start), "%llu", xl_proc_starttime(pid));
	snprintf(pol, sizeof(pol), "%d", policy);
	snprintf(prio, sizeof(prio), "%d", sp.sched_priority);
	return xl_undo_add("sched", pid_s, start, pol, prio, cpus, NULL);
}

int xl_testbed_pin_napi(const struct xl_testbed *tb, enum xl_role r, const int *cpus, int n,
			int rt_prio, struct xl_undo_set *keep)
{
	struct xl_undo_set none = {};
	const struct xl_port *p = &tb->port[r];
	const char *ns = xl_port_ns(tb, r);
	char path[96], old[16] = "";
	pid_t pids[XL_MAX_CORES * 2];
	int found;

	snprintf(path, sizeof(path), "/sys/class/net/%s/threaded", p->ifname);
	if (!xl_read_file(ns, path, old, sizeof(old)) && strcmp(old, "1")) {
		if (xl_write_file(ns, path, "1"))
			return -EOPNOTSUPP; /* no NAPI instance yet (no XDP, no GRO) */
		xl_undo_keep(keep ? keep : &none,
			     xl_undo_add("sysctl", ns ? ns : "-", path, old, NULL));
	}
	found = find_napi_threads(p->ifname, pids, XL_MAX_CORES * 2);
	for (int i = 0; i < found; i++) {
		cpu_set_t set;

		xl_undo_keep(keep ? keep : &none, record_sched(pids[i]));
		CPU_ZERO(&set);
		CPU_SET(cpus[i % n], &set);
		if (sched_setaffinity(pids[i], sizeof(set), &set))
			xl_warn("cannot pin NAPI thread %d of %s: %s", pids[i], p->ifname,
				strerror(errno));
		if (rt_prio) {
			struct sched_param sp = { .sched_priority = rt_prio };

			if (sched_setscheduler(pids[i], SCHED_FIFO, &sp))
				xl_warn("cannot make NAPI thread %d of %s real-time: %s", pids[i],
					p->ifname, strerror(errno));
		}
	}
	return found;
}
