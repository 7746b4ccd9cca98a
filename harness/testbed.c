// SPDX-License-Identifier: GPL-2.0
/*
 * testbed.c - create, configure and remove the veth testbed with iproute2,
 * and pin the NAPI kthreads of its ports.  Set-up is symmetric: every step
 * done by xl_testbed_up() is undone by deleting the run's namespaces, which
 * also destroys the veth pairs and every XDP program attached to them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/file.h>
#include "testbed.h"
#include "pkt.h"
#include "xl_spawn.h"
#include "netns.h"
#include "util.h"
#include "xl_err.h"

#define XL_LOCK_FILE "/run/xdplab.lock"

static const char *const role_names[XL_NR_ROLES] = { "generator", "dut-in", "dut-out", "sink" };
/* veth defaults: documentation address ranges (RFC 5737), locally administered MACs. */
static const struct {
	const char *ns_suffix, *ifname, *ip, *mac;
} veth_defaults[XL_NR_ROLES] = {
	[XL_ROLE_GEN] = { "gen", "gen0", "192.0.2.1", "02:58:4c:00:00:01" },
	[XL_ROLE_DUT_IN] = { "dut", "dut-in", "192.0.2.2", "02:58:4c:00:00:02" },
	[XL_ROLE_DUT_OUT] = { "dut", "dut-out", "198.51.100.1", "02:58:4c:00:00:03" },
	[XL_ROLE_SINK] = { "sink", "sink0", "198.51.100.2", "02:58:4c:00:00:04" },
};
static const char *const ns_suffixes[] = { "gen", "dut", "sink" };

const char *xl_role_name(enum xl_role r)
{
	return r < XL_NR_ROLES ? role_names[r] : "?";
}

int xl_role_parse(const char *s, enum xl_role *r)
{
	for (int i = 0; i < XL_NR_ROLES; i++) {
		if (!strcmp(s, role_names[i])) {
			*r = i;
			return 0;
		}
	}
	return -EINVAL;
}

int xl_testbed_init_veth(struct xl_testbed *tb, int cores)
{
	memset(tb, 0, sizeof(*tb));
	tb->create = true;
	tb->lock_fd = -1;
	tb->cores = cores;
	snprintf(tb->prefix, sizeof(tb->prefix), "xl%d", (int)getpid());
	for (int r = 0; r < XL_NR_ROLES; r++) {
		struct xl_port *p = &tb->port[r];

		snprintf(p->ns, sizeof(p->ns), "%s-%s", tb->prefix, veth_defaults[r].ns_suffix);
		snprintf(p->ifname, sizeof(p->ifname), "%s", veth_defaults[r].ifname);
		inet_pton(AF_INET, veth_defaults[r].ip, &p->ip);
		xl_parse_mac(veth_defaults[r].mac, p->mac);
	}
	/* Generator threads on the first cores, DUT queues on the next ones. */
	for (int i = 0; i < cores && i < XL_MAX_CORES; i++) {
		tb->gen_cpus[i] = i;
		tb->dut_cpus[i] = cores + i;
	}
	return 0;
}

int xl_testbed_check_cpus(const struct xl_testbed *tb)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t seen;

	if (tb->cores < 1 || tb->cores > XL_MAX_CORES)
		return xl_fail(XL_EXIT_USAGE, "cores must be 1..%d", XL_MAX_CORES);
	if (2L * tb->cores > online)
		return xl_fail(XL_EXIT_ENV,
			       "%d DUT cores need %d CPUs (one generator core per DUT core), "
			       "this machine has %ld; see README 'Scaling with cores'",
			       tb->cores, 2 * tb->cores, online);
	CPU_ZERO(&seen);
	for (int i = 0; i < tb->cores; i++) {
		int c[2] = { tb->gen_cpus[i], tb->dut_cpus[i] };

		for (int k = 0; k < 2; k++) {
			if (c[k] < 0 || c[k] >= online)
				return xl_fail(XL_EXIT_CONFIG, "CPU %d is not online (0..%ld)",
					       c[k], online - 1);
			if (CPU_ISSET(c[k], &seen))
				return xl_fail(
					XL_EXIT_CONFIG,
					"CPU %d is used twice: generator and DUT cores must be distinct",
					c[k]);
			CPU_SET(c[k], &seen);
		}
	}
	return 0;
}

static int take_lock(struct xl_testbed *tb)
{
	tb->lock_fd = open(XL_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (tb->lock_fd < 0)
		return xl_fail(XL_EXIT_ENV, "cannot open %s: %s", XL_LOCK_FILE, strerror(errno));
	if (flock(tb->lock_fd, LOCK_EX | LOCK_NB)) {
		close(tb->lock_fd);
		tb->lock_fd = -1;
		return xl_fail(XL_EXIT_ENV,
			       "another xdplab run holds %s: measurements must not overlap",
			       XL_LOCK_FILE);
	}
	return 0;
}

#define RUN(...)                                                                            \
	do {                                                                                \
		if (xl_run(__VA_ARGS__, NULL)) {                                            \
			xl_fail(XL_EXIT_ENV, "testbed set-up failed at: %s", #__VA_ARGS__); \
			goto fail;                                                          \
		}                                                                           \
	} while (0)

static int make_pair(struct xl_testbed *tb, enum xl_role a, enum xl_role b)
{
	struct xl_port *pa = &tb->port[a], *pb = &tb->port[b];
	char q[16], maca[24], macb[24], ipa[40], ipb[40];

	snprintf(q, sizeof(q), "%d", tb->cores);
	xl_format_mac(pa->mac, maca, sizeof(maca));
	xl_format_mac(pb->mac, macb, sizeof(macb));
	snprintf(ipa, sizeof(ipa), "%s/24", inet_ntoa(pa->ip));
	snprintf(ipb, sizeof(ipb), "%s/24", inet_ntoa(pb->ip));
	RUN("ip", "-n", pa->ns, "link", "add", pa->ifname, "numtxqueues", q, "numrxqueues", q,
	    "address", maca, "type", "veth", "peer", "name", pb->ifname, "netns", pb->ns,
	    "numtxqueues", q, "numrxqueues", q, "address", macb);
	RUN("ip", "-n", pa->ns, "addr", "add", ipa, "dev", pa->ifname);
	RUN("ip", "-n", pb->ns, "addr", "add", ipb, "dev", pb->ifname);
	RUN("ip", "-n", pa->ns, "link", "set", pa->ifname, "up");
	RUN("ip", "-n", pb->ns, "link", "set", pb->ifname, "up");
	/* Static neighbours: no ARP inside a measurement. */
	RUN("ip", "-n", pa->ns, "neigh", "replace", inet_ntoa(pb->ip), "lladdr", macb, "dev",
	    pa->ifname, "nud", "permanent");
	RUN("ip", "-n", pb->ns, "neigh", "replace", inet_ntoa(pa->ip), "lladdr", maca, "dev",
	    pb->ifname, "nud", "permanent");
	return 0;
fail:
	return -1;
}

int xl_testbed_up(struct xl_testbed *tb)
{
	char sink_net[64], gen_net[64];

	if (!tb->create) {
		tb->up = true;
		tb->dut_in_ifindex =
			xl_ns_ifindex(tb->port[XL_ROLE_DUT_IN].ns, tb->port[XL_ROLE_DUT_IN].ifname);
		return 0;
	}
	if (take_lock(tb))
		return -1;
	xl_testbed_cleanup(false);
	tb->up = true; /* from here on, down() has something to remove */
	for (size_t i = 0; i < sizeof(ns_suffixes) / sizeof(ns_suffixes[0]); i++) {
		char ns[64];

		snprintf(ns, sizeof(ns), "%s-%s", tb->prefix, ns_suffixes[i]);
		RUN("ip", "netns", "add", ns);
		RUN("ip", "-n", ns, "link", "set", "lo", "up");
		/* No IPv6 neighbour discovery or MLD chatter on the measured links. */
		RUN("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
		    "net.ipv6.conf.default.disable_ipv6=1");
	}
	if (make_pair(tb, XL_ROLE_GEN, XL_ROLE_DUT_IN) ||
	    make_pair(tb, XL_ROLE_DUT_OUT, XL_ROLE_SINK))
		goto fail;
	/* Routes so that the Linux forwarding baseline and replies have a path. */
	snprintf(sink_net, sizeof(sink_net), "%s/32", inet_ntoa(tb->port[XL_ROLE_SINK].ip));
	snprintf(gen_net, sizeof(gen_net), "%s/32", inet_ntoa(tb->port[XL_ROLE_GEN].ip));
	RUN("ip", "-n", tb->port[XL_ROLE_GEN].ns, "route", "add", sink_net, "via",
	    inet_ntoa(tb->port[XL_ROLE_DUT_IN].ip));
	RUN("ip", "-n", tb->port[XL_ROLE_SINK].ns, "route", "add", gen_net, "via",
	    inet_ntoa(tb->port[XL_ROLE_DUT_OUT].ip));
	tb->dut_in_ifindex =
		xl_ns_ifindex(tb->port[XL_ROLE_DUT_IN].ns, tb->port[XL_ROLE_DUT_IN].ifname);
	return 0;
fail:
	xl_testbed_down(tb);
	return -1;
}

void xl_testbed_down(struct xl_testbed *tb)
{
	if (tb->create && tb->up) {
		for (size_t i = 0; i < sizeof(ns_suffixes) / sizeof(ns_suffixes[0]); i++) {
			char ns[64], path[96];

			snprintf(ns, sizeof(ns), "%s-%s", tb->prefix, ns_suffixes[i]);
			snprintf(path, sizeof(path), "/run/netns/%s", ns);
			if (access(path, F_OK) == 0)
				xl_run("ip", "netns", "del", ns, NULL);
		}
	}
	tb->up = false;
	if (tb->lock_fd >= 0) {
		close(tb->lock_fd);
		tb->lock_fd = -1;
	}
}

int xl_testbed_gro(const struct xl_testbed *tb, enum xl_role r, bool on)
{
	const struct xl_port *p = &tb->port[r];

	return xl_run_ns(p->ns, "ethtool", "-K", p->ifname, "gro", on ? "on" : "off", NULL) ? -EIO
											    : 0;
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

int xl_testbed_napi_pids(const struct xl_testbed *tb, enum xl_role r, pid_t *pids, int max)
{
	return tb->create ? find_napi_threads(tb->port[r].ifname, pids, max) : 0;
}

int xl_testbed_pin_napi(const struct xl_testbed *tb, enum xl_role r, const int *cpus, int n,
			int rt_prio)
{
	const struct xl_port *p = &tb->port[r];
	char path[96];
	pid_t pids[XL_MAX_CORES * 2];
	int found;

	snprintf(path, sizeof(path), "/sys/class/net/%s/threaded", p->ifname);
	if (xl_write_file(p->ns, path, "1"))
		return -EOPNOTSUPP; /* no NAPI instance yet (no XDP, no GRO) */
	found = find_napi_threads(p->ifname, pids, XL_MAX_CORES * 2);
	for (int i = 0; i < found; i++) {
		cpu_set_t set;

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

int xl_testbed_cleanup(bool all)
{
	struct dirent *de;
	int removed = 0;
	DIR *d = opendir("/run/netns");

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(de->d_name, "xl", 2) || !strchr(de->d_name, '-'))
			continue;
		pid = strtol(de->d_name + 2, &end, 10);
		if (end == de->d_name + 2 || *end != '-') {
			/* A manual testbed ("xdplab testbed up") goes only with --all. */
			if (!all ||
			    strncmp(de->d_name, XL_MANUAL_PREFIX "-", strlen(XL_MANUAL_PREFIX) + 1))
				continue;
		} else if (!all && (pid == getpid() || xl_pid_is_xdplab(pid))) {
			continue;
		}
		if (xl_run("ip", "netns", "del", de->d_name, NULL) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}
